//! Automations: when a trigger happens to a member who is in a segment, do something for
//! them, once per member per occurrence of the trigger.
//!
//! ```json
//! {"name": "Welcome", "enabled": true,
//!  "trigger": {"kind": "member_joined"},
//!  "segment": {"tag": "vip"},
//!  "action": {"kind": "notify", "message": "Welcome to the club!"}}
//! ```
//!
//! | trigger | fires for a member when … | occurrence |
//! | --- | --- | --- |
//! | `member_joined` | they join | `joined` |
//! | `event_attended` (`event` optional) | they check in at (that) event | `attended-{event}` |
//! | `level_reached` (`level`) | they reach the level | `level-{n}` |
//! | `badge_earned` (`badge` optional) | they earn or are granted (that) badge | `badge-{id}` |
//! | `inactive` (`days`, `hour`) | checked daily at `hour`: they did nothing in `days` days | `quiet-{last active day}` |
//! | `daily` (`hour`) | every day at `hour` (community-local) | `day-{local day}` |
//!
//! Actions: `notify` (a message in the member's inbox), `grant_points`, `grant_badge`,
//! `add_tag` (a staff tag), `invite_to_event` (an inbox notification pointing at the event),
//! `webhook` (an `automation.fired` event to the brand's webhooks).
//!
//! This module is the model and its rules; `app::automation` stores, fires and answers.
//!
//! Storage:
//! * `automation/def/{id}` → [`Automation`]
//! * `automation/fired/{id}/{occurrence}/{member}` → [`Timestamp`] (fired once: written in
//!   the batch of the action; a daily trigger's past days are pruned as it runs)
//! * `automation/log/{id}` → [`RunLog`] (the last [`RunLog::MAX`] firings, newest first)
//! * `automation/ran/{id}` → the community-local day a time trigger last ran
//! * `automation/cursor/{id}` → where today's run of a time trigger, cut short by its cap,
//!   stopped (the next run carries on there; a complete run deletes it)

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::accounts::Email;
use crate::error::ApiError;
use crate::events::EventId;
use crate::ids::{BoundedText, BrandTag, MemberId, bounded_u32, short_id};
use crate::insight::segment::{Days, Filter};
use crate::recognition::BadgeId;
use crate::time::Timestamp;

short_id!(
    /// An automation (`welcome`, or an id the worker drew).
    AutomationId,
    "an automation id"
);

/// An automation's name: 1–60 characters.
pub type AutomationName = BoundedText<1, 60>;
/// What an automation tells a member: 1–280 characters.
pub type AutomationMessage = BoundedText<1, 280>;

bounded_u32!(
    /// The community-local hour a time trigger runs at: 0–23.
    Hour,
    0,
    23,
    "the hour",
    "must be between 0 and 23"
);

bounded_u32!(
    /// Points an automation gives: 1–10,000.
    AutomationPoints,
    1,
    10_000,
    "the points",
    "must be between 1 and 10000"
);

bounded_u32!(
    /// A level a trigger waits for: 2–100 (everyone starts at level 1).
    LevelNumber,
    2,
    100,
    "the level",
    "must be between 2 and 100"
);

fn nine() -> Hour {
    Hour(9)
}

/// When an automation fires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Trigger {
    /// `{"kind": "member_joined"}` (braces, so that unknown fields are refused).
    MemberJoined {},
    EventAttended {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        event: Option<EventId>,
    },
    LevelReached {
        level: LevelNumber,
    },
    BadgeEarned {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        badge: Option<BadgeId>,
    },
    /// Checked once a day at `hour` (default 9).
    Inactive {
        days: Days,
        #[serde(default = "nine")]
        hour: Hour,
    },
    /// Once a day at `hour` (default 9).
    Daily {
        #[serde(default = "nine")]
        hour: Hour,
    },
}

/// Something that happened to a member, as a commit reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Happening {
    Joined,
    Attended(String),
    LevelUp { from: u8, to: u8 },
    Badge(BadgeId),
}

impl Trigger {
    /// The hour a time trigger runs at; `None` for triggers fired by what members do.
    pub fn hour(&self) -> Option<Hour> {
        match self {
            Self::Inactive { hour, .. } | Self::Daily { hour } => Some(*hour),
            _ => None,
        }
    }

    /// The occurrence `happening` is of this trigger, if it is one.
    pub fn occurrence(&self, happening: &Happening) -> Option<String> {
        match (self, happening) {
            (Self::MemberJoined {}, Happening::Joined) => Some("joined".to_owned()),
            (Self::EventAttended { event }, Happening::Attended(attended))
                if event.as_ref().is_none_or(|e| e.as_str() == attended) =>
            {
                Some(format!("attended-{attended}"))
            }
            (Self::LevelReached { level }, Happening::LevelUp { from, to })
                if u32::from(*from) < level.get() && level.get() <= u32::from(*to) =>
            {
                Some(format!("level-{}", level.get()))
            }
            (Self::BadgeEarned { badge }, Happening::Badge(earned))
                if badge.as_ref().is_none_or(|b| b == earned) =>
            {
                Some(format!("badge-{earned}"))
            }
            _ => None,
        }
    }
}

/// What an automation does for a member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum AutomationAction {
    /// A notification in the member's inbox with this message.
    Notify { message: AutomationMessage },
    /// Points, through the ledger (once per occurrence).
    GrantPoints { points: AutomationPoints },
    /// A badge from the catalogue (skipped if they hold it).
    GrantBadge { badge: BadgeId },
    /// A staff tag (audited as the automation's author).
    AddTag { tag: BrandTag },
    /// A notification pointing at the event, with an optional message.
    InviteToEvent {
        event: EventId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message: Option<AutomationMessage>,
    },
    /// An `automation.fired` event to the brand's webhooks.
    Webhook {},
}

/// An automation as staff write it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AutomationDraft {
    pub name: AutomationName,
    pub trigger: Trigger,
    /// Only members this filter holds are reached (everyone without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<Filter>,
    pub action: AutomationAction,
    /// Off until switched on (after a dry run, typically).
    #[serde(default)]
    pub enabled: bool,
}

impl AutomationDraft {
    /// The rules serde cannot check: the segment's.
    pub fn validate(&self) -> Result<(), ApiError> {
        if let Some(filter) = &self.segment {
            filter.validate()?;
        }
        Ok(())
    }
}

/// A saved automation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Automation {
    pub id: AutomationId,
    pub name: AutomationName,
    pub trigger: Trigger,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub segment: Option<Filter>,
    pub action: AutomationAction,
    pub enabled: bool,
    /// The staff member who created it (the operator as `operator@quanzi.invalid`); staff
    /// tags it adds are audited as theirs.
    pub created_by: Email,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl Automation {
    /// The most automations a community keeps.
    pub const MAX: usize = 50;
}

/// One firing, as the run log shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunEntry {
    pub at: Timestamp,
    pub member: MemberId,
    pub occurrence: String,
    /// Whether the action did something (a badge they hold, an event gone: not).
    pub done: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The last firings of an automation, newest first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RunLog {
    pub entries: Vec<RunEntry>,
}

impl RunLog {
    /// Entries kept per automation.
    pub const MAX: usize = 50;

    /// Adds `entry` first, dropping the oldest beyond [`Self::MAX`].
    pub fn push(&mut self, entry: RunEntry) {
        self.entries.insert(0, entry);
        self.entries.truncate(Self::MAX);
    }
}

pub mod keys {
    use super::AutomationId;
    use crate::ids::MemberId;

    pub const DEFS: &str = "automation/def/";

    pub fn def(id: &AutomationId) -> String {
        format!("{DEFS}{id}")
    }

    pub fn fired(id: &AutomationId, member: &MemberId, occurrence: &str) -> String {
        format!("automation/fired/{id}/{occurrence}/{member}")
    }

    /// The fired keys of one occurrence (`day-2026-08-03`), or of every one starting so.
    pub fn fired_occurrences(id: &AutomationId, occurrence_start: &str) -> String {
        format!("automation/fired/{id}/{occurrence_start}")
    }

    pub fn fired_prefix(id: &AutomationId) -> String {
        format!("automation/fired/{id}/")
    }

    pub fn log(id: &AutomationId) -> String {
        format!("automation/log/{id}")
    }

    pub fn ran(id: &AutomationId) -> String {
        format!("automation/ran/{id}")
    }

    /// Every automation's run cursor: the prefix of [`cursor`].
    pub const CURSORS: &str = "automation/cursor/";

    /// Where a time trigger's run cut short by its cap stopped today (`RunCursor`).
    pub fn cursor(id: &AutomationId) -> String {
        format!("{CURSORS}{id}")
    }
}

/// The day-of occurrence of a daily trigger, and of a quiet spell that began after `last`.
pub fn day_occurrence(day: NaiveDate) -> String {
    format!("day-{day}")
}

pub fn quiet_occurrence(last_active: NaiveDate) -> String {
    format!("quiet-{last_active}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(json: serde_json::Value) -> Result<AutomationDraft, serde_json::Error> {
        serde_json::from_value(json)
    }

    #[test]
    fn drafts_parse_or_say_why_not() {
        let cases = [
            (
                serde_json::json!({"name": "Hi", "trigger": {"kind": "member_joined"},
                    "action": {"kind": "notify", "message": "Welcome"}}),
                true,
            ),
            (
                serde_json::json!({"name": "Hi", "trigger": {"kind": "inactive", "days": 14},
                    "segment": {"tag": "vip"}, "action": {"kind": "grant_points", "points": 5}}),
                true,
            ),
            (
                serde_json::json!({"name": "Hi", "trigger": {"kind": "daily", "hour": 24},
                    "action": {"kind": "webhook"}}),
                false,
            ),
            (
                serde_json::json!({"name": "", "trigger": {"kind": "member_joined"},
                    "action": {"kind": "webhook"}}),
                false,
            ),
            (
                serde_json::json!({"name": "Hi", "trigger": {"kind": "level_reached", "level": 1},
                    "action": {"kind": "webhook"}}),
                false,
            ),
            (
                serde_json::json!({"name": "Hi", "trigger": {"kind": "member_joined"},
                    "action": {"kind": "grant_points", "points": 0}}),
                false,
            ),
            (
                serde_json::json!({"name": "Hi", "trigger": {"kind": "member_joined", "x": 1},
                    "action": {"kind": "webhook"}}),
                false,
            ),
            (
                serde_json::json!({"name": "Hi", "trigger": {"kind": "rain"},
                    "action": {"kind": "webhook"}}),
                false,
            ),
        ];
        for (json, ok) in cases {
            assert_eq!(draft(json.clone()).is_ok(), ok, "{json}");
        }
        let daily = draft(
            serde_json::json!({"name": "D", "trigger": {"kind": "daily"},
            "action": {"kind": "webhook"}}),
        )
        .unwrap();
        assert_eq!(daily.trigger.hour().map(Hour::get), Some(9));
        assert!(!daily.enabled, "off until switched on");
        let bad_segment = draft(
            serde_json::json!({"name": "S", "trigger": {"kind": "daily"},
            "segment": {"all": []}, "action": {"kind": "webhook"}}),
        )
        .unwrap();
        assert!(bad_segment.validate().is_err());
    }

    #[test]
    fn triggers_name_their_occurrences() {
        let level = |n| Trigger::LevelReached {
            level: LevelNumber::new(n).unwrap(),
        };
        let up = |from, to| Happening::LevelUp { from, to };
        let cases = [
            (Trigger::MemberJoined {}, Happening::Joined, Some("joined")),
            (
                Trigger::MemberJoined {},
                Happening::Attended("e1".into()),
                None,
            ),
            (
                Trigger::EventAttended { event: None },
                Happening::Attended("e1".into()),
                Some("attended-e1"),
            ),
            (
                Trigger::EventAttended {
                    event: Some(EventId::parse("e2").unwrap()),
                },
                Happening::Attended("e1".into()),
                None,
            ),
            (level(3), up(1, 3), Some("level-3")),
            (level(3), up(1, 2), None),
            (level(3), up(3, 4), None),
            (
                Trigger::BadgeEarned { badge: None },
                Happening::Badge(BadgeId::parse("vip").unwrap()),
                Some("badge-vip"),
            ),
            (Trigger::Daily { hour: nine() }, Happening::Joined, None),
        ];
        for (trigger, happening, expected) in cases {
            assert_eq!(
                trigger.occurrence(&happening).as_deref(),
                expected,
                "{trigger:?} {happening:?}"
            );
        }
    }

    #[test]
    fn the_run_log_keeps_the_newest_fifty() {
        let mut log = RunLog::default();
        for n in 0..60 {
            log.push(RunEntry {
                at: Timestamp(n),
                member: MemberId::parse("m1").unwrap(),
                occurrence: "joined".into(),
                done: true,
                note: None,
            });
        }
        assert_eq!(log.entries.len(), RunLog::MAX);
        assert_eq!(log.entries[0].at, Timestamp(59));
        assert_eq!(log.entries[49].at, Timestamp(10));
    }
}
