//! Insight for the community's staff: the dashboard's numbers ([`crate::insight`] holds the
//! rollups, segments and tiers; this module loads, folds and answers).
//!
//! Reads are for staff with any role (owner, admin, moderator) and the operator; saving
//! segments is for owners and admins. Every action's activity is folded into the rollups
//! by [`record`] from `Change::commit`, in the action's batch.
//!
//! Automations (a trigger such as "quiet for 14 days" or "attended event X", an action such
//! as a notification or a webhook) are meant to build on two things here: a [`Filter`]
//! evaluated for one member ([`segments::matches`]) and the facts [`record`] folds, which
//! name the member and what they did.

mod csv;
mod query;
mod read;
mod record;
pub mod scripted;
mod segments;
#[cfg(test)]
mod tests;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::accounts::Role;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{CommunitySlug, MemberId};
use crate::insight::rollup::{Engagement, ItemKind};
use crate::insight::segment::{Days, Filter, Segment, SegmentDraft, SegmentId};
use crate::insight::tiers::Tiers;
use crate::insight::{Month, Week};
use crate::store::{Store, get_json};
use crate::talk::Cursor;
use crate::time::Timestamp;

use super::{Actor, Outcome, Reply, identity, keys, load_community};

pub use csv::{csv, directory_csv};
pub use query::{View, command_from_query};
pub(crate) use record::record;
pub use record::{fold, load_all, quiet_index, recompute};
pub use segments::matches;
pub(crate) use segments::{Judge, entry as trail_entry};

/// The commands of this area (see [`super::Command::Insight`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InsightCommand {
    /// `GET …/insight/overview?from=&to=`: one row per day (default: the last 30 days),
    /// and the weeks and months they touch.
    Overview {
        #[serde(default)]
        from: Option<NaiveDate>,
        #[serde(default)]
        to: Option<NaiveDate>,
    },
    /// `GET …/insight/retention?from=&to=`: join cohorts by ISO week (default: the last 12).
    Retention {
        #[serde(default)]
        from: Option<Week>,
        #[serde(default)]
        to: Option<Week>,
    },
    /// `GET …/insight/tiers`.
    Tiers,
    /// `GET …/insight/top?kind=&week=&limit=`: the most engaged threads, topics or events
    /// of a week (default: this week).
    Top {
        kind: ItemKind,
        #[serde(default)]
        week: Option<Week>,
        #[serde(default)]
        limit: Option<u32>,
    },
    /// `GET …/insight/streaks?from=&to=`: check-ins per day by the streak they reached.
    Streaks {
        #[serde(default)]
        from: Option<NaiveDate>,
        #[serde(default)]
        to: Option<NaiveDate>,
    },
    /// `GET …/insight/churn?quiet_days=&from=&to=`: members at risk per day.
    Churn {
        #[serde(default)]
        quiet_days: Option<Days>,
        #[serde(default)]
        from: Option<NaiveDate>,
        #[serde(default)]
        to: Option<NaiveDate>,
    },
    /// `GET …/insight/churn/members?quiet_days=&cursor=&limit=`: who, most recently
    /// active first.
    ChurnMembers {
        #[serde(default)]
        quiet_days: Option<Days>,
        #[serde(default)]
        cursor: Option<Cursor>,
        #[serde(default)]
        limit: Option<u32>,
    },
    /// `GET …/segments`.
    ListSegments,
    /// `GET …/segments/{id}`: the segment and its live count.
    GetSegment { id: SegmentId },
    /// `POST …/segments` (the worker drew the id).
    CreateSegment { id: SegmentId, draft: SegmentDraft },
    /// `PUT …/segments/{id}`.
    UpdateSegment { id: SegmentId, draft: SegmentDraft },
    /// `DELETE …/segments/{id}`.
    DeleteSegment { id: SegmentId },
    /// `GET …/segments/{id}/members?cursor=&limit=`.
    SegmentMembers {
        id: SegmentId,
        #[serde(default)]
        cursor: Option<Cursor>,
        #[serde(default)]
        limit: Option<u32>,
    },
    /// `POST …/segments/preview`: the count of an unsaved filter, and a few members.
    PreviewSegment { filter: Filter },
}

/// One day of the overview.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OverviewDay {
    pub day: NaiveDate,
    /// Distinct members who did anything.
    pub active: u32,
    /// Members who joined.
    pub new_members: u32,
    pub checkins: u32,
    pub posts: u32,
    pub replies: u32,
    pub reactions: u32,
    pub signups: u32,
    pub attended: u32,
}

/// Distinct active members of one week or month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodActive {
    /// `2026-W39` or `2026-09`.
    pub period: String,
    pub active: u32,
}

/// `GET …/insight/overview`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Overview {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: Vec<OverviewDay>,
    /// The ISO weeks the range touches (whole weeks, not only the days in the range).
    pub weeks: Vec<PeriodActive>,
    /// The months the range touches (whole months).
    pub months: Vec<PeriodActive>,
}

/// One join cohort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CohortRow {
    /// The ISO week they joined.
    pub week: Week,
    pub joined: u32,
    /// Of them, active in the week two weeks later.
    pub week2: u32,
    /// Of them, active at least once in the four weeks after the join week.
    pub month1: u32,
    /// Whether week + 2 is over (else `week2` may still grow).
    pub week2_final: bool,
    /// Whether the four weeks after are over.
    pub month1_final: bool,
}

/// `GET …/insight/retention`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Retention {
    pub cohorts: Vec<CohortRow>,
}

/// A thread, topic or event and what happened around it in the week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopItem {
    pub id: String,
    /// The thread's title, topic's or event's name, if it still exists.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Every action counts one.
    pub score: u32,
    pub engagement: Engagement,
}

/// `GET …/insight/top`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopItems {
    pub week: Week,
    pub kind: ItemKind,
    pub items: Vec<TopItem>,
}

/// Check-ins by the streak they reached.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreakCounts {
    #[serde(rename = "1")]
    pub one: u32,
    #[serde(rename = "2-6")]
    pub two_to_six: u32,
    #[serde(rename = "7-13")]
    pub week: u32,
    #[serde(rename = "14-29")]
    pub two_weeks: u32,
    #[serde(rename = "30+")]
    pub month: u32,
}

/// One day of check-ins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StreakDay {
    pub day: NaiveDate,
    pub checkins: u32,
    pub streaks: StreakCounts,
}

/// `GET …/insight/streaks`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Streaks {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: Vec<StreakDay>,
}

/// Members at risk on one day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChurnDay {
    pub day: NaiveDate,
    pub at_risk: u32,
}

/// `GET …/insight/churn`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Churn {
    /// Members active before who did nothing in this many days (today included) are at risk.
    pub quiet_days: u32,
    /// At risk today.
    pub at_risk: u32,
    pub days: Vec<ChurnDay>,
}

/// A member who went quiet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuietMember {
    pub member: MemberId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub last_active: NaiveDate,
    /// Days since their last action.
    pub quiet_days: u32,
}

/// `GET …/insight/churn/members`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuietMembers {
    pub quiet_days: u32,
    pub items: Vec<QuietMember>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Cursor>,
}

/// A member in a segment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberRow {
    pub member: MemberId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    pub tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined: Option<NaiveDate>,
    pub last_active: NaiveDate,
    /// Points earned (lifetime).
    pub points: u64,
    pub level: u8,
}

/// `GET …/segments`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentList {
    pub items: Vec<Segment>,
}

/// `GET …/segments/{id}` (and the answer to saving one): the segment and its live count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentView {
    pub segment: Segment,
    pub count: u32,
}

/// `GET …/segments/{id}/members`. A page scans at most a bounded number of members, so it
/// may hold fewer than asked for and still have a `next`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentMembers {
    pub items: Vec<MemberRow>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Cursor>,
}

/// `POST …/segments/preview`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentPreview {
    pub count: u32,
    /// The first few members, in id order.
    pub sample: Vec<MemberRow>,
}

/// `DELETE …/segments/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SegmentDeleted {
    pub id: SegmentId,
}

/// The replies of this area; [`InsightReply::into_body`] is what HTTP clients receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum InsightReply {
    Overview(Overview),
    Retention(Retention),
    Tiers(Tiers),
    Top(TopItems),
    Streaks(Streaks),
    Churn(Churn),
    QuietMembers(QuietMembers),
    Segments(SegmentList),
    Segment(SegmentView),
    SegmentMembers(SegmentMembers),
    Preview(SegmentPreview),
    Deleted(SegmentDeleted),
}

impl InsightReply {
    /// The JSON body of the HTTP response.
    pub fn into_body(self) -> Result<serde_json::Value, ApiError> {
        let value = match self {
            Self::Overview(v) => serde_json::to_value(v),
            Self::Retention(v) => serde_json::to_value(v),
            Self::Tiers(v) => serde_json::to_value(v),
            Self::Top(v) => serde_json::to_value(v),
            Self::Streaks(v) => serde_json::to_value(v),
            Self::Churn(v) => serde_json::to_value(v),
            Self::QuietMembers(v) => serde_json::to_value(v),
            Self::Segments(v) => serde_json::to_value(v),
            Self::Segment(v) => serde_json::to_value(v),
            Self::SegmentMembers(v) => serde_json::to_value(v),
            Self::Preview(v) => serde_json::to_value(v),
            Self::Deleted(v) => serde_json::to_value(v),
        };
        value.map_err(|e| ApiError::new(ErrorCode::Internal, format!("encoding a reply: {e}")))
    }
}

/// The longest range of days one request covers.
pub const MAX_DAYS: i64 = 92;
/// The most weeks of cohorts one request covers.
pub const MAX_WEEKS: i64 = 52;
/// The quiet period churn risk uses unless asked otherwise.
pub const DEFAULT_QUIET_DAYS: u32 = 14;

pub async fn handle(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    command: InsightCommand,
    now: Timestamp,
) -> Result<Outcome, ApiError> {
    let writes = matches!(
        command,
        InsightCommand::CreateSegment { .. }
            | InsightCommand::UpdateSegment { .. }
            | InsightCommand::DeleteSegment { .. }
    );
    if writes {
        identity::require_settings_access(store, slug, actor).await?;
    } else {
        require_staff(store, slug, actor).await?;
    }
    let community = load_community(store, slug).await?;
    let today = now.local_day(community.time_zone)?;
    let reply = match command {
        InsightCommand::Overview { from, to } => {
            let (from, to) = days(from, to, today)?;
            InsightReply::Overview(read::overview(store, from, to).await?)
        }
        InsightCommand::Retention { from, to } => {
            let to = to.unwrap_or_else(|| Week::of(today));
            let from = from.unwrap_or_else(|| to.plus(-11));
            let span = from.weeks_until(&to);
            if span < 0 {
                return Err(ApiError::invalid("`from` must not be after `to`"));
            }
            if span >= MAX_WEEKS {
                return Err(ApiError::invalid(format!(
                    "ask for at most {MAX_WEEKS} weeks at once"
                )));
            }
            InsightReply::Retention(read::retention(store, &from, &to, today).await?)
        }
        InsightCommand::Tiers => InsightReply::Tiers(read::tiers(store).await?),
        InsightCommand::Top { kind, week, limit } => {
            let week = week.unwrap_or_else(|| Week::of(today));
            let limit = bounded(limit, 10, 100, "limit")?;
            InsightReply::Top(read::top(store, week, kind, limit).await?)
        }
        InsightCommand::Streaks { from, to } => {
            let (from, to) = days(from, to, today)?;
            InsightReply::Streaks(read::streaks(store, from, to).await?)
        }
        InsightCommand::Churn {
            quiet_days,
            from,
            to,
        } => {
            let (from, to) = days(from, to, today)?;
            let quiet = quiet_days.map_or(DEFAULT_QUIET_DAYS, Days::get);
            InsightReply::Churn(read::churn(store, quiet, from, to, today).await?)
        }
        InsightCommand::ChurnMembers {
            quiet_days,
            cursor,
            limit,
        } => {
            let quiet = quiet_days.map_or(DEFAULT_QUIET_DAYS, Days::get);
            let limit = bounded(limit, 50, 1000, "limit")?;
            InsightReply::QuietMembers(
                read::quiet_members(store, quiet, cursor, limit, today).await?,
            )
        }
        InsightCommand::ListSegments => InsightReply::Segments(segments::list(store).await?),
        InsightCommand::GetSegment { id } => {
            InsightReply::Segment(segments::get(store, &id, today).await?)
        }
        InsightCommand::CreateSegment { id, draft } => {
            InsightReply::Segment(segments::create(store, id, draft, today, now).await?)
        }
        InsightCommand::UpdateSegment { id, draft } => {
            InsightReply::Segment(segments::update(store, id, draft, today, now).await?)
        }
        InsightCommand::DeleteSegment { id } => {
            InsightReply::Deleted(segments::delete(store, id).await?)
        }
        InsightCommand::SegmentMembers { id, cursor, limit } => {
            let limit = bounded(limit, 50, 1000, "limit")?;
            InsightReply::SegmentMembers(segments::members(store, &id, cursor, limit, today).await?)
        }
        InsightCommand::PreviewSegment { filter } => {
            InsightReply::Preview(segments::preview(store, &filter, today).await?)
        }
    };
    Ok(Outcome::read(Reply::Insight(reply)))
}

/// Staff with any role in this community (owner, admin, moderator), or the operator.
async fn require_staff(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
) -> Result<(), ApiError> {
    let refused = || {
        ApiError::new(
            ErrorCode::Forbidden,
            "only the community's staff may read its insight",
        )
    };
    match actor {
        Actor::Operator => Ok(()),
        Actor::Marketer { email } => {
            load_community(store, slug).await?;
            match get_json::<Role>(store, &keys::staff(email)).await? {
                Some(Role::Owner | Role::Admin | Role::Moderator) => Ok(()),
                None => Err(refused()),
            }
        }
        Actor::Member { .. } => Err(refused()),
        Actor::Anonymous => Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "sign in to the dashboard to read insight",
        )),
    }
}

/// `from..=to`, defaulting to the 30 days up to today, at most [`MAX_DAYS`].
fn days(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), ApiError> {
    let to = to.unwrap_or(today);
    let from = match from {
        Some(from) => from,
        None => to
            .checked_sub_signed(chrono::Duration::days(29))
            .ok_or_else(|| ApiError::invalid("`to` is too early"))?,
    };
    let span = (to - from).num_days();
    if span < 0 {
        return Err(ApiError::invalid("`from` must not be after `to`"));
    }
    if span >= MAX_DAYS {
        return Err(ApiError::invalid(format!(
            "ask for at most {MAX_DAYS} days at once"
        )));
    }
    Ok((from, to))
}

fn bounded(n: Option<u32>, default: u32, max: u32, what: &str) -> Result<usize, ApiError> {
    match n.unwrap_or(default) {
        0 => Err(ApiError::invalid(format!("`{what}` must be at least 1"))),
        n if n > max => Err(ApiError::invalid(format!("`{what}` must be at most {max}"))),
        n => Ok(usize::try_from(n).unwrap_or(usize::MAX)),
    }
}

/// The months `from..=to` touches.
fn months(from: NaiveDate, to: NaiveDate) -> Vec<Month> {
    let mut months: Vec<Month> = Vec::new();
    for day in from.iter_days().take_while(|d| *d <= to) {
        let month = Month::of(day);
        if months.last() != Some(&month) {
            months.push(month);
        }
    }
    months
}
