//! The members directory for the community's staff: search and filter members, one
//! member's page (profile, level, balance, badges, tags, and a timeline of their recent
//! points and activity), and the community's own staff tags on a member.
//!
//! Filters are segment [`Filter`]s (`crate::insight::segment`) built from the query and
//! evaluated by the segments' own judge over the member index (`insight/member/…`), so a
//! directory search and a segment with the same conditions always agree. Free text (`q`)
//! matches a member's id or name, case-insensitively.
//!
//! Staff tags are the community's own labels, kept apart from the brand's tags (which every
//! SSO token replaces): a segment's or search's `tag` condition matches either kind.
//!
//! Storage:
//! * `member/{id}/staff-tags` → [`StaffTags`] (absent: none)
//!
//! Who: staff with any role (owner, admin, moderator) and the operator read and tag; every
//! tag change is written with its audit entry in one batch. Members and strangers are
//! refused.

#[cfg(test)]
mod tests;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::community::Locale;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{BoundedText, BrandTag, CommunitySlug, MemberId};
use crate::insight::keys as insight_keys;
use crate::insight::rollup::Trail;
use crate::insight::segment::{Days, Filter, Range};
use crate::moderation::{self, AuditAction, AuditEntry, AuditTarget, MemberRole, ModReason};
use crate::notify::{self, ActivityEvent, ActivityKind};
use crate::points::{BalanceView, LedgerEntry, PointsAccount};
use crate::recognition::{BadgeId, BadgeView, LevelProgress, MemberBadges, RecognitionRules};
use crate::sso::MemberProfile;
use crate::store::{Batch, Store, StoreError, get_json};
use crate::talk::Cursor;
use crate::time::Timestamp;

use super::insight::{Judge, trail_entry};
use super::membership::{Paged, append_audit, mod_keys, moderator};
use super::points::rkeys;
use super::{Actor, Outcome, Reply, keys, load_community};

/// Free text to find members by: 1–64 characters of their id or name.
pub type SearchText = BoundedText<1, 64>;

/// Storage keys of this area.
pub mod mkeys {
    use crate::ids::MemberId;

    pub fn staff_tags(member: &MemberId) -> String {
        format!("member/{member}/staff-tags")
    }
}

/// Members per page unless asked otherwise, and at most.
pub const PAGE: u32 = 50;
pub const MAX_PAGE: u32 = 200;
/// The most members one page of the directory examines (it may then hold fewer than asked
/// for and still have a `next`).
pub const SCAN_BUDGET: usize = 5000;
/// Index entries read per storage list.
const LIST_PAGE: usize = 1000;
/// The most staff tags on one member.
pub const MAX_STAFF_TAGS: usize = 20;
/// Ledger lines, and activities, a member's timeline shows at most.
pub const TIMELINE_LEDGER: usize = 20;
pub const TIMELINE_ACTIVITY: usize = 20;
/// How many days before their last active day the timeline looks for activity.
pub const TIMELINE_DAYS: i64 = 30;

/// The conditions of a directory search, all optional; a member matches all that are given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberQuery {
    /// Part of the member's id or name, any case.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub q: Option<SearchText>,
    /// At exactly this level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// Carries this tag, the brand's or the community's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<BrandTag>,
    /// Holds this badge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badge: Option<BadgeId>,
    /// Did something within the last N days (today included).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active_within_days: Option<Days>,
    /// Did nothing in the last N days.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inactive_days: Option<Days>,
    /// Earned (lifetime) at least this many points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_points: Option<u64>,
    /// Earned (lifetime) at most this many points.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_points: Option<u64>,
}

impl MemberQuery {
    /// The segment filter of the structured conditions (`q` is matched apart); an empty
    /// `all` when there are none, which every member matches.
    pub fn filter(&self) -> Result<Filter, ApiError> {
        let mut parts = Vec::new();
        if let Some(level) = self.level {
            if level == 0 {
                return Err(ApiError::invalid("levels start at 1"));
            }
            let level = u64::from(level);
            parts.push(Filter::Level(Range {
                min: Some(level),
                max: Some(level),
            }));
        }
        if let Some(tag) = &self.tag {
            parts.push(Filter::Tag(tag.clone()));
        }
        if let Some(badge) = &self.badge {
            parts.push(Filter::Badge(badge.clone()));
        }
        if let Some(days) = self.active_within_days {
            parts.push(Filter::LastActive(crate::insight::segment::Within {
                within_days: days,
            }));
        }
        if let Some(days) = self.inactive_days {
            parts.push(Filter::QuietDays(days));
        }
        if let (Some(min), Some(max)) = (self.min_points, self.max_points)
            && min > max
        {
            return Err(ApiError::invalid(
                "`min_points` must not be above `max_points`",
            ));
        }
        if self.min_points.is_some() || self.max_points.is_some() {
            parts.push(Filter::Points(Range {
                min: self.min_points,
                max: self.max_points,
            }));
        }
        Ok(Filter::All(parts))
    }
}

/// The commands of this area (see [`super::Command::Members`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MembersCommand {
    /// `GET …/members?q=&level=&tag=&badge=&active_within_days=&inactive_days=&min_points=&max_points=&cursor=&limit=`.
    List {
        #[serde(default)]
        query: MemberQuery,
        #[serde(default)]
        cursor: Option<Cursor>,
        #[serde(default)]
        limit: Option<u32>,
    },
    /// `GET …/members/{member}`.
    Get { member: MemberId },
    /// `PUT …/members/{member}/tags/{tag}`.
    Tag { member: MemberId, tag: BrandTag },
    /// `DELETE …/members/{member}/tags/{tag}`.
    Untag { member: MemberId, tag: BrandTag },
}

/// The query parameters of `GET …/members`.
pub const QUERY_PARAMETERS: [&str; 10] = [
    "q",
    "level",
    "tag",
    "badge",
    "active_within_days",
    "inactive_days",
    "min_points",
    "max_points",
    "cursor",
    "limit",
];

/// `GET …/members` from its query's pairs: each parameter checked here, a bad or unknown
/// one refused with a clear `invalid_input`; empty values count as absent.
pub fn list_from_query(pairs: &[(String, String)]) -> Result<MembersCommand, ApiError> {
    const NUMBERS: [&str; 6] = [
        "level",
        "active_within_days",
        "inactive_days",
        "min_points",
        "max_points",
        "limit",
    ];
    let mut fields = Map::new();
    let mut cursor = None;
    let mut limit = None;
    let mut seen: Vec<&str> = Vec::new();
    for (name, value) in pairs {
        let Some(known) = QUERY_PARAMETERS.iter().find(|p| **p == name) else {
            return Err(ApiError::invalid(format!(
                "unknown parameter `{name}` (the directory takes: {})",
                QUERY_PARAMETERS.join(", ")
            )));
        };
        if seen.contains(known) {
            return Err(ApiError::invalid(format!("`{name}` is given twice")));
        }
        seen.push(known);
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        let number = || {
            value
                .parse::<u64>()
                .map_err(|_| ApiError::invalid(format!("`{name}` must be a whole number")))
        };
        match *known {
            "cursor" => {
                cursor = Some(Cursor::parse(value).map_err(|e| ApiError::invalid(e.to_string()))?);
            }
            "limit" => {
                limit = Some(u32::try_from(number()?).unwrap_or(u32::MAX));
            }
            _ if NUMBERS.contains(known) => {
                fields.insert((*known).to_owned(), Value::from(number()?));
            }
            _ => {
                fields.insert((*known).to_owned(), Value::from(value));
            }
        }
    }
    let query: MemberQuery = serde_json::from_value(Value::Object(fields))
        .map_err(|e| ApiError::invalid(format!("the search: {e}")))?;
    Ok(MembersCommand::List {
        query,
        cursor,
        limit,
    })
}

/// A member's staff tags, at `member/{id}/staff-tags`: in order, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffTags {
    pub tags: Vec<BrandTag>,
}

/// One member in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberSummary {
    pub member: MemberId,
    /// As the brand last vouched for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    /// From the member's latest SSO token.
    pub brand_tags: Vec<BrandTag>,
    /// The community's own, set by its staff.
    pub staff_tags: Vec<BrandTag>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined: Option<NaiveDate>,
    /// The latest community-local day they did anything.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_active: Option<NaiveDate>,
    /// Points earned (lifetime, what levels use).
    pub points: u64,
    /// Points to spend.
    pub balance: u64,
    pub level: u8,
    /// A member moderator or a plain member (absent: a plain member).
    #[serde(default, skip_serializing_if = "is_plain_member")]
    pub role: MemberRole,
}

fn is_plain_member(role: &MemberRole) -> bool {
    *role == MemberRole::Member
}

/// One line of a member's timeline, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineItem {
    /// A ledger line: points earned, spent or adjusted by staff (with the reason).
    Points { at: Timestamp, entry: LedgerEntry },
    /// A badge earned or granted.
    Badge { at: Timestamp, badge: BadgeView },
    /// Something the member did.
    Activity {
        at: Timestamp,
        activity: ActivityKind,
        /// The thread, event or reward it concerns, if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        subject: Option<String>,
    },
}

impl TimelineItem {
    pub fn at(&self) -> Timestamp {
        match self {
            Self::Points { at, .. } | Self::Badge { at, .. } | Self::Activity { at, .. } => *at,
        }
    }
}

/// `GET …/members/{member}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberDetail {
    pub summary: MemberSummary,
    pub email_verified: bool,
    pub phone_verified: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locale: Option<Locale>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_active: Option<NaiveDate>,
    pub level: LevelProgress,
    pub balance: BalanceView,
    pub badges: Vec<BadgeView>,
    pub role: MemberRole,
    /// Recent points, badges and activity, newest first.
    pub timeline: Vec<TimelineItem>,
}

/// `PUT/DELETE …/members/{member}/tags/{tag}`: the member's tags after the change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberTags {
    pub member: MemberId,
    pub brand_tags: Vec<BrandTag>,
    pub staff_tags: Vec<BrandTag>,
}

/// The replies of this area; [`MembersReply::into_body`] is what HTTP clients receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum MembersReply {
    Directory(Paged<MemberSummary>),
    Member(Box<MemberDetail>),
    Tags(MemberTags),
}

impl MembersReply {
    /// The JSON body of the HTTP response.
    pub fn into_body(self) -> Result<serde_json::Value, ApiError> {
        let value = match self {
            Self::Directory(v) => serde_json::to_value(v),
            Self::Member(v) => serde_json::to_value(v),
            Self::Tags(v) => serde_json::to_value(v),
        };
        value.map_err(|e| ApiError::new(ErrorCode::Internal, format!("encoding a reply: {e}")))
    }
}

pub async fn handle(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    command: MembersCommand,
    now: Timestamp,
) -> Result<Outcome, ApiError> {
    let who = staff(store, slug, actor, now).await?;
    let community = load_community(store, slug).await?;
    let today = now.local_day(community.time_zone)?;
    let reply = match command {
        MembersCommand::List {
            query,
            cursor,
            limit,
        } => {
            let limit = match limit.unwrap_or(PAGE) {
                0 => return Err(ApiError::invalid("`limit` must be at least 1")),
                n if n > MAX_PAGE => {
                    return Err(ApiError::invalid(format!(
                        "`limit` must be at most {MAX_PAGE}"
                    )));
                }
                n => usize::try_from(n).unwrap_or(usize::MAX),
            };
            MembersReply::Directory(list(store, &query, cursor, limit, today).await?)
        }
        MembersCommand::Get { member } => {
            MembersReply::Member(Box::new(detail(store, &member).await?))
        }
        MembersCommand::Tag { member, tag } => {
            MembersReply::Tags(retag(store, &who, member, tag, true, now).await?)
        }
        MembersCommand::Untag { member, tag } => {
            MembersReply::Tags(retag(store, &who, member, tag, false, now).await?)
        }
    };
    Ok(Outcome::read(Reply::Members(reply)))
}

/// Staff of this community with any role, or the operator (as an owner); members are
/// refused with `forbidden`, visitors with `unauthenticated`.
async fn staff(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<moderation::Actor, ApiError> {
    match actor {
        Actor::Member { .. } => Err(ApiError::new(
            ErrorCode::Forbidden,
            "only the community's staff may see and tag its members",
        )),
        Actor::Anonymous => Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "sign in to the dashboard to see the members",
        )),
        Actor::Operator | Actor::Marketer { .. } => moderator(store, slug, actor, now).await,
    }
}

fn no_member(member: &MemberId) -> ApiError {
    ApiError::new(
        ErrorCode::NotFound,
        format!("there is no member `{member}` in this community"),
    )
}

async fn staff_tags_of(store: &impl Store, member: &MemberId) -> Result<StaffTags, ApiError> {
    Ok(get_json::<StaffTags>(store, &mkeys::staff_tags(member))
        .await?
        .unwrap_or_default())
}

/// The member's profile with their staff tags added to the brand's: what segment filters
/// match `tag` against.
pub(crate) async fn profile_with_staff_tags(
    store: &impl Store,
    member: &MemberId,
) -> Result<Option<MemberProfile>, ApiError> {
    let Some(mut profile) = get_json::<MemberProfile>(store, &keys::profile(member)).await? else {
        return Ok(None);
    };
    for tag in staff_tags_of(store, member).await?.tags {
        if !profile.tags.contains(&tag) {
            profile.tags.push(tag);
        }
    }
    Ok(Some(profile))
}

/// Whether `needle` (lower-cased) is part of the member's id or name.
fn found(needle: &str, member: &MemberId, profile: Option<&MemberProfile>) -> bool {
    member.as_str().to_lowercase().contains(needle)
        || profile.is_some_and(|p| p.name.to_string().to_lowercase().contains(needle))
}

async fn summary(
    store: &impl Store,
    rules: &RecognitionRules,
    member: MemberId,
    profile: Option<&MemberProfile>,
    trail: Option<&Trail>,
) -> Result<MemberSummary, ApiError> {
    let account = get_json::<PointsAccount>(store, &keys::points(&member))
        .await?
        .unwrap_or_default();
    let staff_tags = staff_tags_of(store, &member).await?.tags;
    let role = get_json::<MemberRole>(store, &mod_keys::role(&member))
        .await?
        .unwrap_or_default();
    Ok(MemberSummary {
        name: profile.map(|p| p.name.to_string()),
        avatar: profile.and_then(|p| p.avatar.clone()),
        brand_tags: profile.map(|p| p.tags.clone()).unwrap_or_default(),
        staff_tags,
        joined: trail.and_then(|t| t.joined),
        last_active: trail.map(|t| t.last),
        points: account.earned(),
        balance: account.balance(),
        level: rules.levels.level_for(account.earned()),
        role,
        member,
    })
}

async fn recognition_rules(store: &impl Store) -> Result<RecognitionRules, ApiError> {
    Ok(
        get_json::<RecognitionRules>(store, rkeys::RULES_RECOGNITION)
            .await?
            .unwrap_or_default(),
    )
}

/// One page of the members matching `query`, in id order.
async fn list(
    store: &impl Store,
    query: &MemberQuery,
    cursor: Option<Cursor>,
    limit: usize,
    today: NaiveDate,
) -> Result<Paged<MemberSummary>, ApiError> {
    let filter = query.filter()?;
    let judge = Judge::new(store, &filter, today).await?;
    let rules = recognition_rules(store).await?;
    let needle = query.q.as_ref().map(|q| q.to_string().to_lowercase());
    let prefix = insight_keys::TRAILS;
    let mut after = cursor.map(|c| c.start_after(prefix));
    let mut items = Vec::new();
    let mut scanned = 0usize;
    loop {
        let want = LIST_PAGE.min(SCAN_BUDGET - scanned);
        let page = store.list(prefix, after.as_deref(), want).await?;
        for (key, text) in &page.entries {
            scanned += 1;
            let (member, trail) = trail_entry(key, text)?;
            if !judge.matches(store, &member, &trail).await? {
                continue;
            }
            let profile = get_json::<MemberProfile>(store, &keys::profile(&member)).await?;
            if let Some(needle) = &needle
                && !found(needle, &member, profile.as_ref())
            {
                continue;
            }
            items.push(summary(store, &rules, member, profile.as_ref(), Some(&trail)).await?);
            if items.len() == limit {
                // The last match may also be the last member.
                let more =
                    page.next.is_some() || page.entries.last().is_some_and(|(last, _)| last != key);
                let next = Cursor::after(prefix, key).filter(|_| more);
                return Ok(Paged { items, next });
            }
        }
        match page.next {
            Some(next) if scanned < SCAN_BUDGET => after = Some(next),
            Some(next) => {
                return Ok(Paged {
                    items,
                    next: Cursor::after(prefix, &next),
                });
            }
            None => return Ok(Paged { items, next: None }),
        }
    }
}

/// One member's page.
async fn detail(store: &impl Store, member: &MemberId) -> Result<MemberDetail, ApiError> {
    let profile = get_json::<MemberProfile>(store, &keys::profile(member))
        .await?
        .ok_or_else(|| no_member(member))?;
    let trail = get_json::<Trail>(store, &insight_keys::trail(member)).await?;
    let rules = recognition_rules(store).await?;
    let account = get_json::<PointsAccount>(store, &keys::points(member))
        .await?
        .unwrap_or_default();
    let badges = get_json::<MemberBadges>(store, &rkeys::badges(member))
        .await?
        .unwrap_or_default()
        .views(&rules.badges);
    let mut timeline: Vec<TimelineItem> = Vec::new();
    let ledger = store
        .list(&rkeys::ledger_prefix(member), None, TIMELINE_LEDGER)
        .await?;
    for (key, text) in &ledger.entries {
        let entry: LedgerEntry = parse(key, text)?;
        timeline.push(TimelineItem::Points {
            at: entry.at,
            entry,
        });
    }
    for badge in &badges {
        timeline.push(TimelineItem::Badge {
            at: badge.at,
            badge: badge.clone(),
        });
    }
    if let Some(trail) = &trail {
        for event in recent_activity(store, member, trail.last).await? {
            timeline.push(TimelineItem::Activity {
                at: event.at,
                activity: event.kind,
                subject: event.subject,
            });
        }
    }
    // Newest first; a stable sort keeps each source's own order within a millisecond.
    timeline.sort_by_key(|item| std::cmp::Reverse(item.at()));
    let summary = summary(
        store,
        &rules,
        member.clone(),
        Some(&profile),
        trail.as_ref(),
    )
    .await?;
    Ok(MemberDetail {
        role: summary.role,
        summary,
        email_verified: profile.email_verified,
        phone_verified: profile.phone_verified,
        locale: profile.locale,
        first_active: trail.as_ref().map(|t| t.first),
        level: rules.levels.progress(account.earned()),
        balance: account.view(),
        badges,
        timeline,
    })
}

/// The member's latest activity, newest first: the days they were active (one marker read
/// per day, from their last active day back [`TIMELINE_DAYS`]), each day's log read for
/// their lines, until [`TIMELINE_ACTIVITY`] are found.
async fn recent_activity(
    store: &impl Store,
    member: &MemberId,
    last: NaiveDate,
) -> Result<Vec<ActivityEvent>, ApiError> {
    let mut found: Vec<ActivityEvent> = Vec::new();
    for back in 0..TIMELINE_DAYS {
        let Some(day) = last.checked_sub_signed(Duration::days(back)) else {
            break;
        };
        if store
            .get(&notify::keys::active(day, member))
            .await?
            .is_none()
        {
            continue;
        }
        let prefix = notify::keys::activity_prefix(day);
        let mut of_day: Vec<ActivityEvent> = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = store.list(&prefix, after.as_deref(), LIST_PAGE).await?;
            for (key, text) in &page.entries {
                let event: ActivityEvent = parse(key, text)?;
                if &event.member == member {
                    of_day.push(event);
                }
            }
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        // The log of a day is oldest first.
        for event in of_day.into_iter().rev() {
            found.push(event);
            if found.len() == TIMELINE_ACTIVITY {
                return Ok(found);
            }
        }
    }
    Ok(found)
}

fn parse<T: serde::de::DeserializeOwned>(key: &str, text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text)
        .map_err(|e| ApiError::from(StoreError(format!("corrupt value at {key}: {e}"))))
}

/// Puts `tag` on the member (`add`) or takes it off, with the audit entry, in one batch.
/// Putting a tag the member has, or taking off one they lack, writes nothing.
async fn retag(
    store: &impl Store,
    who: &moderation::Actor,
    member: MemberId,
    tag: BrandTag,
    add: bool,
    now: Timestamp,
) -> Result<MemberTags, ApiError> {
    let profile = get_json::<MemberProfile>(store, &keys::profile(&member))
        .await?
        .ok_or_else(|| no_member(&member))?;
    let mut staff_tags = staff_tags_of(store, &member).await?;
    let has = staff_tags.tags.contains(&tag);
    let changed = match (add, has) {
        (true, false) => {
            if staff_tags.tags.len() >= MAX_STAFF_TAGS {
                return Err(ApiError::invalid(format!(
                    "a member carries at most {MAX_STAFF_TAGS} staff tags; take one off first"
                )));
            }
            staff_tags.tags.push(tag.clone());
            staff_tags.tags.sort();
            true
        }
        (false, true) => {
            staff_tags.tags.retain(|t| t != &tag);
            true
        }
        (true, true) => false,
        (false, false) => {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("member `{member}` has no staff tag `{tag}`"),
            ));
        }
    };
    if changed {
        let entry = AuditEntry {
            at: now,
            actor: who.who.clone(),
            role: who.role,
            action: if add {
                AuditAction::TagMember { tag }
            } else {
                AuditAction::UntagMember { tag }
            },
            target: AuditTarget::Member {
                member: member.clone(),
            },
            reason: ModReason::default(),
        };
        let mut batch = Batch::new();
        if staff_tags.tags.is_empty() {
            batch.delete(mkeys::staff_tags(&member));
        } else {
            batch.put_json(mkeys::staff_tags(&member), &staff_tags)?;
        }
        append_audit(store, &mut batch, &entry).await?;
        store.commit(batch).await?;
    }
    Ok(MemberTags {
        member,
        brand_tags: profile.tags,
        staff_tags: staff_tags.tags,
    })
}
