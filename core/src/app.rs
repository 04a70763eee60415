//! The application layer: one [`Command`] from one [`Actor`] at one instant, against one
//! community's [`Store`]. It loads, decides (authorisation included), writes one atomic
//! batch and returns the reply. The worker only adapts HTTP to this function.

pub mod automation;
pub mod data;
pub mod events;
mod habit;
mod identity;
pub mod inbox;
pub mod insight;
pub mod members;
pub mod membership;
pub mod points;
pub mod protection;
pub mod talk;
pub mod team;
#[cfg(test)]
pub(crate) mod testing;
pub mod webhooks;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use habit::reminder::{ReminderSetting, rkeys as reminder_keys};
pub use habit::{CheckinResult, MyCheckin};

use crate::accounts::{Email, Role};
use crate::api::{CommunitySettings, CommunityView};
use crate::checkin::YearMonth;
use crate::community::{Community, Feature, Origin, TimeZone};
use crate::error::{ApiError, ErrorCode};
use crate::ids::{CommunitySlug, MemberId};
use crate::notify::{self, ActivityEvent, ActivityKind, Notification, Notify};
use crate::sso::{KeyId, NewSsoKey, SsoKey, SsoKeyView, SsoSecret};
use crate::store::{Batch, Store, StoreError, get_json};
use crate::time::Timestamp;

/// Who is asking. The worker establishes this (token, cookie, operator secret) before
/// calling [`handle`]; core decides what each actor may do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Actor {
    /// A visitor without credentials: may read public things.
    Anonymous,
    /// The operator of this deployment (holder of the operator secret).
    Operator,
    /// A signed-in marketer; their role in this community is looked up here, in the
    /// community's own staff list, never taken from the request.
    Marketer { email: Email },
    /// A visitor presenting the brand's SSO token; verified here, against this community's
    /// keys, on every command.
    Member { token: String },
}

/// Everything a community can be asked to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum Command {
    /// Read the community's public configuration.
    GetCommunity,
    /// A marketer creates this community and becomes its owner. Refused if it exists.
    CreateCommunity {
        settings: CommunitySettings,
    },
    /// Replace the settings (the operator may also create this way).
    PutCommunity {
        settings: CommunitySettings,
    },
    /// Add a member sign-in key (the worker drew the secret); two stay active for rotation.
    AddSsoKey {
        kid: KeyId,
        secret: SsoSecret,
    },
    /// The settings as saved, allowed origins included (owner, admin): what the dashboard edits.
    GetSettings,
    /// The active sign-in keys' ids and ages, never their secrets (owner, admin).
    ListSsoKeys,
    /// The member checks in for today.
    CheckIn,
    /// The member's check-in status, one month's calendar (default: this month) and balance.
    MyCheckin {
        month: Option<YearMonth>,
    },
    /// The member opts in to (or out of) the daily check-in reminder.
    SetCheckinReminder(ReminderSetting),
    Talk(talk::TalkCommand),
    Events(events::EventCommand),
    Points(points::PointsCommand),
    Membership(membership::MembershipCommand),
    Inbox(inbox::InboxCommand),
    Webhooks(webhooks::WebhookCommand),
    Insight(insight::InsightCommand),
    /// The staff's members directory: search, a member's page, staff tags.
    Members(members::MembersCommand),
    /// Automations: saved, dry-run, logged; `RunDue` for the alarm.
    Automation(automation::AutomationCommand),
    /// The team: teammates, invites by link, roles (`app::team`).
    Team(team::TeamCommand),
    /// Export and import of the whole community, a member's export and erasure (`app::data`).
    Data(data::DataCommand),
}

/// What a community answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum Reply {
    Community(CommunityView),
    Settings(CommunitySettings),
    SsoKeys(Vec<SsoKeyView>),
    /// A key just added, with its secret: kept as the answer, so a retry shows the same key.
    NewSsoKey(NewSsoKey),
    CheckedIn(CheckinResult),
    MyCheckin(MyCheckin),
    CheckinReminder(ReminderSetting),
    Talk(talk::TalkReply),
    Events(events::EventReply),
    Points(points::PointsReply),
    Membership(membership::MembershipReply),
    Inbox(inbox::InboxReply),
    Webhooks(webhooks::WebhookReply),
    Insight(insight::InsightReply),
    Members(members::MembersReply),
    Automation(automation::AutomationReply),
    Team(team::TeamReply),
    Data(data::DataReply),
}

impl Reply {
    /// The JSON body of the HTTP response.
    pub fn into_body(self) -> Result<serde_json::Value, ApiError> {
        let json = |v: Result<serde_json::Value, serde_json::Error>| {
            v.map_err(|e| ApiError::new(ErrorCode::Internal, format!("encoding a reply: {e}")))
        };
        match self {
            Reply::Community(view) => json(serde_json::to_value(view)),
            Reply::Settings(settings) => json(serde_json::to_value(settings)),
            Reply::SsoKeys(keys) => json(serde_json::to_value(keys)),
            Reply::NewSsoKey(key) => json(serde_json::to_value(key)),
            Reply::CheckedIn(result) => json(serde_json::to_value(result)),
            Reply::MyCheckin(mine) => json(serde_json::to_value(mine)),
            Reply::CheckinReminder(setting) => json(serde_json::to_value(setting)),
            Reply::Talk(reply) => reply.into_body(),
            Reply::Events(reply) => reply.into_body(),
            Reply::Points(reply) => reply.into_body(),
            Reply::Membership(reply) => reply.into_body(),
            Reply::Inbox(reply) => reply.into_body(),
            Reply::Webhooks(reply) => reply.into_body(),
            Reply::Insight(reply) => reply.into_body(),
            Reply::Members(reply) => reply.into_body(),
            Reply::Automation(reply) => reply.into_body(),
            Reply::Team(reply) => reply.into_body(),
            Reply::Data(reply) => reply.into_body(),
        }
    }
}

/// The public configuration that the worker caches in KV: what to show, and which origins
/// may embed it (for CORS without a Durable Object call).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicConfig {
    pub community: CommunityView,
    pub allowed_origins: Vec<Origin>,
}

impl PublicConfig {
    pub fn allows_origin(&self, origin: &str) -> bool {
        self.allowed_origins
            .iter()
            .any(|o| o.as_str().eq_ignore_ascii_case(origin))
    }
}

impl From<&Community> for PublicConfig {
    fn from(c: &Community) -> Self {
        Self {
            community: CommunityView::from(c),
            allowed_origins: c.allowed_origins.clone(),
        }
    }
}

/// The reply, plus what the caller must republish to the public cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub reply: Reply,
    /// Set when the public configuration is new or changed.
    pub republish: Option<PublicConfig>,
}

impl Outcome {
    fn read(reply: Reply) -> Self {
        Self {
            reply,
            republish: None,
        }
    }
}

/// What a use case decided, before it is written: the writes, and the notifications and
/// activity that [`Change::commit`] adds to the same batch.
#[derive(Debug, Default)]
pub struct Change {
    pub batch: Batch,
    pub notify: Vec<Notify>,
    pub activity: Vec<(MemberId, ActivityKind, Option<String>)>,
    /// What to tell the brand's webhooks: queued in the outbox by [`Change::commit`].
    pub webhooks: Vec<crate::webhook::WebhookEvent>,
}

impl Change {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes everything in one batch: the use case's writes, each notification (and the
    /// recipient's unread count), the activity log with the day's active marker, and one
    /// webhook delivery per subscribed endpoint and event.
    pub async fn commit(
        mut self,
        store: &impl Store,
        tz: TimeZone,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let day = now.local_day(tz)?;
        // The dashboard's rollups, in this same batch (`insight`).
        insight::record(store, &mut self.batch, day, &self.activity).await?;
        // The automations this change sets off, with the rollups above in view: their
        // actions join this batch (`automation`).
        automation::on_commit(store, &mut self, tz, day, now).await?;
        // Per recipient: (unread count, next sequence number). The sequence makes every
        // notification key unique even when two commands share a millisecond.
        let mut inbox: BTreeMap<MemberId, (u32, u64)> = BTreeMap::new();
        for note in self.notify {
            let (unread, seq) = match inbox.get(&note.recipient) {
                Some(state) => *state,
                None => (
                    get_json::<u32>(store, &notify::keys::unread(&note.recipient))
                        .await?
                        .unwrap_or(0),
                    get_json::<u64>(store, &notify::keys::inbox_seq(&note.recipient))
                        .await?
                        .unwrap_or(0),
                ),
            };
            inbox.insert(note.recipient.clone(), (unread.saturating_add(1), seq + 1));
            let id = format!("{}-{seq:012}", notify::newest_first(now));
            let stored = Notification {
                id: id.clone(),
                kind: note.kind,
                actor: note.actor,
                target: note.target,
                at: now,
                read: false,
            };
            self.batch.put_json(
                format!("{}{id}", notify::keys::inbox_prefix(&note.recipient)),
                &stored,
            )?;
        }
        for (member, (unread, seq)) in inbox {
            self.batch
                .put_json(notify::keys::unread(&member), &unread)?;
            self.batch
                .put_json(notify::keys::inbox_seq(&member), &seq)?;
        }
        for (n, (member, kind, subject)) in self.activity.into_iter().enumerate() {
            // The member in the key keeps it unique across commands in the same millisecond
            // (one member's commands are refused or serialised by their own state).
            let key = format!(
                "{}{:013}-{member}-{n}",
                notify::keys::activity_prefix(day),
                now.millis()
            );
            let event = ActivityEvent {
                member: member.clone(),
                kind,
                at: now,
                day,
                subject,
            };
            self.batch.put_json(key, &event)?;
            self.batch
                .put_json(notify::keys::active(day, &member), &true)?;
        }
        if !self.webhooks.is_empty() {
            let events = std::mem::take(&mut self.webhooks);
            webhooks::enqueue(store, &mut self.batch, events, now).await?;
        }
        store.commit(self.batch).await?;
        Ok(())
    }
}

/// Storage keys of a community. One place, so that a key is never spelled twice.
pub mod keys {
    use crate::ids::MemberId;

    pub const COMMUNITY: &str = "community";
    pub const SSO_KEYS: &str = "sso/keys";
    pub const RULES_CHECKIN: &str = "rules/checkin";
    pub const RULES_POINTS: &str = "rules/points";

    pub fn profile(member: &MemberId) -> String {
        format!("member/{member}/profile")
    }

    pub fn checkin(member: &MemberId) -> String {
        format!("member/{member}/checkin")
    }

    pub fn points(member: &MemberId) -> String {
        format!("member/{member}/points")
    }

    pub fn ledger(member: &MemberId, sort_key: &str) -> String {
        format!("member/{member}/ledger/{sort_key}")
    }

    pub fn cause(member: &MemberId, cause: &str) -> String {
        format!("member/{member}/cause/{cause}")
    }

    pub fn ban(member: &MemberId) -> String {
        format!("mod/ban/{member}")
    }

    /// The role of a marketer in this community.
    pub fn staff(email: &crate::accounts::Email) -> String {
        format!("staff/{email}")
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        // The detail goes to the log by the caller; clients get no internals.
        let _ = e;
        ApiError::new(
            ErrorCode::Internal,
            "something went wrong on our side; please retry",
        )
    }
}

fn community_not_found(slug: &CommunitySlug) -> ApiError {
    ApiError::new(
        ErrorCode::CommunityNotFound,
        format!("there is no community `{slug}`"),
    )
}

/// Loads the community's settings, or `community_not_found`.
pub async fn load_community(
    store: &impl Store,
    slug: &CommunitySlug,
) -> Result<Community, ApiError> {
    get_json::<Community>(store, keys::COMMUNITY)
        .await?
        .ok_or_else(|| community_not_found(slug))
}

/// Runs one command for `actor` against the community `slug` whose state is in `store`.
pub async fn handle(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    command: Command,
    now: Timestamp,
) -> Result<Outcome, ApiError> {
    match command {
        Command::GetCommunity => {
            let community = load_community(store, slug).await?;
            Ok(Outcome::read(Reply::Community(CommunityView::from(
                &community,
            ))))
        }
        Command::CreateCommunity { settings } => {
            let Actor::Marketer { email } = actor else {
                return Err(ApiError::new(
                    ErrorCode::Forbidden,
                    "sign in to create a community",
                ));
            };
            if store.get(keys::COMMUNITY).await?.is_some() {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    format!("the address `{slug}` is taken; pick another"),
                ));
            }
            let community = community_from(slug, settings)?;
            let mut batch = Batch::new();
            batch.put_json(keys::COMMUNITY, &community)?;
            batch.put_json(keys::staff(email), &Role::Owner)?;
            store.commit(batch).await?;
            Ok(Outcome {
                reply: Reply::Community(CommunityView::from(&community)),
                republish: Some(PublicConfig::from(&community)),
            })
        }
        Command::PutCommunity { settings } => {
            identity::require_settings_access(store, slug, actor).await?;
            let community = community_from(slug, settings)?;
            let mut batch = Batch::new();
            batch.put_json(keys::COMMUNITY, &community)?;
            store.commit(batch).await?;
            Ok(Outcome {
                reply: Reply::Community(CommunityView::from(&community)),
                republish: Some(PublicConfig::from(&community)),
            })
        }
        Command::AddSsoKey { kid, secret } => {
            let key = SsoKey {
                kid: kid.clone(),
                secret: secret.clone(),
                created_at: now,
            };
            let active = identity::add_sso_key(store, slug, actor, key).await?;
            Ok(Outcome::read(Reply::NewSsoKey(NewSsoKey {
                kid,
                secret: secret.expose().to_owned(),
                active,
            })))
        }
        Command::GetSettings => {
            identity::require_settings_access(store, slug, actor).await?;
            let community = load_community(store, slug).await?;
            Ok(Outcome::read(Reply::Settings(CommunitySettings::from(
                &community,
            ))))
        }
        Command::ListSsoKeys => Ok(Outcome::read(Reply::SsoKeys(
            identity::sso_keys(store, slug, actor).await?,
        ))),
        Command::CheckIn => {
            require_feature(store, slug, Feature::Checkin).await?;
            Ok(Outcome::read(Reply::CheckedIn(
                habit::check_in(store, slug, actor, now).await?,
            )))
        }
        Command::MyCheckin { month } => {
            require_feature(store, slug, Feature::Checkin).await?;
            Ok(Outcome::read(Reply::MyCheckin(
                habit::my_checkin(store, slug, actor, month, now).await?,
            )))
        }
        Command::SetCheckinReminder(setting) => {
            require_feature(store, slug, Feature::Checkin).await?;
            Ok(Outcome::read(Reply::CheckinReminder(
                habit::reminder::set(store, slug, actor, setting, now).await?,
            )))
        }
        Command::Membership(command) => membership::handle(store, slug, actor, command, now).await,
        Command::Inbox(command) => inbox::handle(store, slug, actor, command, now).await,
        Command::Webhooks(command) => webhooks::handle(store, slug, actor, command, now).await,
        Command::Insight(command) => insight::handle(store, slug, actor, command, now).await,
        Command::Members(command) => members::handle(store, slug, actor, command, now).await,
        Command::Automation(command) => automation::handle(store, slug, actor, command, now).await,
        Command::Team(command) => team::handle(store, slug, actor, command, now).await,
        Command::Data(command) => data::handle(store, slug, actor, command, now).await,
        Command::Events(command) => {
            require_feature(store, slug, Feature::Events).await?;
            events::handle(store, slug, actor, command, now).await
        }
        Command::Points(command) => {
            if command.is_redemption() {
                require_feature(store, slug, Feature::Rewards).await?;
            }
            points::handle(store, slug, actor, command, now).await
        }
        Command::Talk(command) => {
            require_feature(store, slug, Feature::Talk).await?;
            talk::handle(store, slug, actor, command, now).await
        }
    }
}

/// Refuses a command of a part the community has switched off.
async fn require_feature(
    store: &impl Store,
    slug: &CommunitySlug,
    feature: Feature,
) -> Result<(), ApiError> {
    if load_community(store, slug).await?.features.is_on(feature) {
        Ok(())
    } else {
        let what = match feature {
            Feature::Talk => "discussions",
            Feature::Checkin => "the daily check-in",
            Feature::Events => "events",
            Feature::Rewards => "rewards",
        };
        Err(ApiError::new(
            ErrorCode::FeatureDisabled,
            format!("this community has turned {what} off"),
        ))
    }
}

/// Settings checked against the rules that span fields.
fn community_from(
    slug: &CommunitySlug,
    settings: CommunitySettings,
) -> Result<Community, ApiError> {
    if settings.allowed_origins.len() > Community::MAX_ORIGINS {
        return Err(ApiError::invalid(format!(
            "a community allows at most {} origins",
            Community::MAX_ORIGINS
        )));
    }
    if settings.theme.radius > 24 {
        return Err(ApiError::invalid(
            "the corner radius must be between 0 and 24 pixels",
        ));
    }
    Ok(Community {
        slug: slug.clone(),
        name: settings.name,
        slogan: settings.slogan,
        locale: settings.locale,
        time_zone: settings.time_zone,
        allowed_origins: settings.allowed_origins,
        theme: settings.theme,
        features: settings.features,
        posting_requires_phone_verified: settings.posting_requires_phone_verified,
        logo: settings.logo,
    })
}

/// The public configuration of the community in `store`, for the cache.
pub async fn public_config(
    store: &impl Store,
    slug: &CommunitySlug,
) -> Result<PublicConfig, ApiError> {
    Ok(PublicConfig::from(&load_community(store, slug).await?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{MemoryStore, block_on};

    fn slug() -> CommunitySlug {
        CommunitySlug::parse("demo").unwrap()
    }

    fn settings(json: serde_json::Value) -> CommunitySettings {
        serde_json::from_value(json).unwrap()
    }

    const NOW: Timestamp = Timestamp(1_790_000_000_000);

    #[test]
    fn an_unknown_community_is_not_found() {
        let store = MemoryStore::new();
        let err = block_on(handle(
            &store,
            &slug(),
            &Actor::Anonymous,
            Command::GetCommunity,
            NOW,
        ))
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::CommunityNotFound);
    }

    #[test]
    fn the_operator_creates_and_anyone_reads() {
        let store = MemoryStore::new();
        let put = Command::PutCommunity {
            settings: settings(serde_json::json!({
                "name": "  圈子 Demo ",
                "allowed_origins": ["http://127.0.0.1:8788"]
            })),
        };
        let created = block_on(handle(&store, &slug(), &Actor::Operator, put, NOW)).unwrap();
        let published = created.republish.unwrap();
        assert!(published.allows_origin("http://127.0.0.1:8788"));
        assert!(!published.allows_origin("https://evil.example"));

        let read = block_on(handle(
            &store,
            &slug(),
            &Actor::Anonymous,
            Command::GetCommunity,
            NOW,
        ))
        .unwrap();
        let Reply::Community(view) = read.reply else {
            panic!("a community reply")
        };
        assert_eq!(view.name, "圈子 Demo");
        assert_eq!(view.time_zone, "Asia/Shanghai");
        assert_eq!(read.republish, None);
    }

    #[test]
    fn only_the_operator_may_create_and_a_refusal_writes_nothing() {
        let store = MemoryStore::new();
        let put = Command::PutCommunity {
            settings: settings(serde_json::json!({"name": "x"})),
        };
        let err = block_on(handle(&store, &slug(), &Actor::Anonymous, put, NOW)).unwrap_err();
        assert_eq!(err.code, ErrorCode::Forbidden);
        assert!(store.is_empty());
        assert_eq!(store.ops().commits, 0);
    }

    fn marketer(email: &str) -> Actor {
        Actor::Marketer {
            email: Email::parse(email).unwrap(),
        }
    }

    #[test]
    fn a_marketer_creates_a_community_once_and_owns_it() {
        let store = MemoryStore::new();
        let create = || Command::CreateCommunity {
            settings: settings(serde_json::json!({"name": "Tea"})),
        };
        let mia = marketer("mia@brand.example");
        let created = block_on(handle(&store, &slug(), &mia, create(), NOW)).unwrap();
        assert!(created.republish.is_some());
        let again = block_on(handle(
            &store,
            &slug(),
            &marketer("leo@brand.example"),
            create(),
            NOW,
        ));
        assert_eq!(again.unwrap_err().code, ErrorCode::Conflict);
        let anonymous = block_on(handle(&store, &slug(), &Actor::Anonymous, create(), NOW));
        assert_eq!(anonymous.unwrap_err().code, ErrorCode::Forbidden);

        let rename = |who: &Actor| {
            let put = Command::PutCommunity {
                settings: settings(serde_json::json!({"name": "Renamed"})),
            };
            block_on(handle(&store, &slug(), who, put, NOW))
        };
        assert_eq!(
            rename(&marketer("leo@brand.example")).unwrap_err().code,
            ErrorCode::Forbidden
        );
        assert!(rename(&mia).is_ok());
    }

    #[test]
    fn bad_settings_are_refused_before_any_write() {
        let bad = [
            serde_json::json!({"name": ""}),
            serde_json::json!({"name": "x", "time_zone": "Mars/Base"}),
            serde_json::json!({"name": "x", "allowed_origins": ["https://a.example/path"]}),
            serde_json::json!({"name": "x", "surprise": true}),
        ];
        for json in bad {
            assert!(
                serde_json::from_value::<CommunitySettings>(json.clone()).is_err(),
                "{json}"
            );
        }
        let store = MemoryStore::new();
        let mut too_round = settings(serde_json::json!({"name": "x"}));
        too_round.theme.radius = 25;
        let err = block_on(handle(
            &store,
            &slug(),
            &Actor::Operator,
            Command::PutCommunity {
                settings: too_round,
            },
            NOW,
        ))
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
        assert!(store.is_empty());
    }

    #[test]
    fn a_read_costs_one_storage_get() {
        let store = MemoryStore::new();
        let put = Command::PutCommunity {
            settings: settings(serde_json::json!({"name": "x"})),
        };
        block_on(handle(&store, &slug(), &Actor::Operator, put, NOW)).unwrap();
        let before = store.ops();
        block_on(handle(
            &store,
            &slug(),
            &Actor::Anonymous,
            Command::GetCommunity,
            NOW,
        ))
        .unwrap();
        let after = store.ops();
        assert_eq!(
            (
                after.gets - before.gets,
                after.lists - before.lists,
                after.commits - before.commits
            ),
            (1, 0, 0)
        );
    }
}

#[cfg(test)]
mod member_tests {
    use super::testing::{NOON, claims, community_with_key, run, signed};
    use super::*;
    use crate::error::ErrorCode;
    use crate::store::MemoryStore;

    fn member(key: &SsoKey, sub: &str, aud: &str, now: Timestamp) -> Actor {
        signed(key, &claims(sub, "Lin", aud, now))
    }

    #[test]
    fn a_member_checks_in_once_a_day_and_earns_points() {
        let (store, key) = community_with_key(NOON);
        let lin = member(&key, "u1", "demo", NOON);
        let Reply::CheckedIn(first) = run(&store, &lin, Command::CheckIn, NOON).unwrap() else {
            panic!()
        };
        assert!(first.status.checked_in_today);
        assert_eq!(first.status.current_streak, 1);
        assert_eq!(first.awarded.len(), 1);
        assert_eq!(first.balance.balance, first.awarded[0].delta as u64);

        let before = store.ops().commits;
        let again = run(
            &store,
            &lin,
            Command::CheckIn,
            NOON.plus_millis(Timestamp::HOUR),
        )
        .unwrap_err();
        assert_eq!(again.code, ErrorCode::AlreadyCheckedIn);
        assert_eq!(
            store.ops().commits,
            before,
            "a refused check-in writes nothing"
        );

        let Reply::MyCheckin(mine) =
            run(&store, &lin, Command::MyCheckin { month: None }, NOON).unwrap()
        else {
            panic!()
        };
        assert_eq!(mine.calendar.checked_in, vec![25]);
        assert_eq!(mine.balance, first.balance);
    }

    #[test]
    fn a_week_of_check_ins_earns_the_streak_bonus_once() {
        let (store, key) = community_with_key(NOON);
        let mut total = 0;
        let mut bonus_lines = 0;
        for day in 0..8 {
            let now = NOON.plus_millis(day * Timestamp::DAY);
            let Reply::CheckedIn(result) = run(
                &store,
                &member(&key, "u1", "demo", now),
                Command::CheckIn,
                now,
            )
            .unwrap() else {
                panic!()
            };
            total += result.awarded.iter().map(|e| e.delta).sum::<i64>();
            bonus_lines += result.awarded.len() - 1;
            assert_eq!(
                result.balance.balance as i64, total,
                "balance is the sum of the ledger"
            );
            assert_eq!(result.status.current_streak, day as u32 + 1);
        }
        assert_eq!(bonus_lines, 1, "the 7-day bonus, once");
    }

    #[test]
    fn a_part_the_community_switched_off_refuses_its_commands() {
        let (store, key) = community_with_key(NOON);
        let settings = serde_json::from_value(
            serde_json::json!({"name": "Demo", "features": {"checkin": false}}),
        )
        .unwrap();
        let Reply::Community(view) = run(
            &store,
            &Actor::Operator,
            Command::PutCommunity { settings },
            NOON,
        )
        .unwrap() else {
            panic!("a community reply")
        };
        assert!(
            !view.features.checkin && view.features.talk,
            "unset switches stay on"
        );
        let before = store.ops().commits;
        let err = run(
            &store,
            &member(&key, "u1", "demo", NOON),
            Command::CheckIn,
            NOON,
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::FeatureDisabled);
        assert_eq!(store.ops().commits, before, "nothing written");
    }

    #[test]
    fn tokens_for_other_communities_or_without_keys_are_refused() {
        let (store, key) = community_with_key(NOON);
        let other = member(&key, "u1", "other", NOON);
        assert_eq!(
            run(&store, &other, Command::CheckIn, NOON)
                .unwrap_err()
                .code,
            ErrorCode::Unauthenticated
        );
        assert_eq!(
            run(&store, &Actor::Anonymous, Command::CheckIn, NOON)
                .unwrap_err()
                .code,
            ErrorCode::Unauthenticated
        );

        let bare = MemoryStore::new();
        let settings = serde_json::from_value(serde_json::json!({"name": "Bare"})).unwrap();
        run(
            &bare,
            &Actor::Operator,
            Command::PutCommunity { settings },
            NOON,
        )
        .unwrap();
        let err = run(
            &bare,
            &member(&key, "u1", "demo", NOON),
            Command::CheckIn,
            NOON,
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::Unauthenticated);
        assert!(err.message.contains("no sign-in key"));
    }

    #[test]
    fn settings_and_key_ids_are_read_by_owners_and_admins_only() {
        let (store, key) = community_with_key(NOON);
        let lin = member(&key, "u1", "demo", NOON);
        let stranger = Actor::Marketer {
            email: Email::parse("x@y.example").unwrap(),
        };
        for who in [&lin, &stranger, &Actor::Anonymous] {
            for command in [Command::GetSettings, Command::ListSsoKeys] {
                assert_eq!(
                    run(&store, who, command, NOON).unwrap_err().code,
                    ErrorCode::Forbidden
                );
            }
        }
        let Reply::Settings(settings) =
            run(&store, &Actor::Operator, Command::GetSettings, NOON).unwrap()
        else {
            panic!("settings")
        };
        let Reply::SsoKeys(keys) =
            run(&store, &Actor::Operator, Command::ListSsoKeys, NOON).unwrap()
        else {
            panic!("keys")
        };
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].kid, key.kid);
        // What was read can be saved back unchanged.
        let Reply::Community(view) = run(
            &store,
            &Actor::Operator,
            Command::PutCommunity {
                settings: settings.clone(),
            },
            NOON,
        )
        .unwrap() else {
            panic!("community")
        };
        assert_eq!(view.name, settings.name.to_string());
    }

    #[test]
    fn only_settings_staff_add_sign_in_keys() {
        let (store, key) = community_with_key(NOON);
        let add = || Command::AddSsoKey {
            kid: KeyId::parse("k2").unwrap(),
            secret: SsoSecret::parse(&"t".repeat(64)).unwrap(),
        };
        let lin = member(&key, "u1", "demo", NOON);
        assert_eq!(
            run(&store, &lin, add(), NOON).unwrap_err().code,
            ErrorCode::Forbidden
        );
        let stranger = Actor::Marketer {
            email: Email::parse("x@y.example").unwrap(),
        };
        assert_eq!(
            run(&store, &stranger, add(), NOON).unwrap_err().code,
            ErrorCode::Forbidden
        );
        let Reply::NewSsoKey(added) = run(&store, &Actor::Operator, add(), NOON).unwrap() else {
            panic!()
        };
        assert_eq!(added.active.len(), 2);
        assert_eq!((added.kid.as_str(), added.secret.len()), ("k2", 64));
    }
}
