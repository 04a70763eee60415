//! The automation form's fields as the marketer types them, and the draft they make: every
//! rule the form can check before sending (the API checks again and says why it refuses).
//! The segment shows its common conditions as fields; conditions the form has no field for
//! (written through the API) are kept as they are.

use quanzi_core::automation::{
    Automation, AutomationAction, AutomationDraft, AutomationMessage, AutomationName,
    AutomationPoints, Hour, LevelNumber, Trigger,
};
use quanzi_core::events::EventId;
use quanzi_core::ids::BrandTag;
use quanzi_core::insight::segment::{Days, Filter, Range, Within};
use quanzi_core::recognition::BadgeId;

use crate::i18n::Text;

/// The kinds of trigger, as the API names them.
pub const TRIGGERS: [&str; 6] = [
    "member_joined",
    "event_attended",
    "level_reached",
    "badge_earned",
    "inactive",
    "daily",
];

/// The kinds of action, as the API names them.
pub const ACTIONS: [&str; 6] = [
    "notify",
    "grant_points",
    "grant_badge",
    "add_tag",
    "invite_to_event",
    "webhook",
];

/// What the form holds: text, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fields {
    pub name: String,
    /// One of [`TRIGGERS`].
    pub trigger: String,
    pub days: String,
    pub hour: String,
    pub level: String,
    /// Empty: any badge.
    pub trigger_badge: String,
    /// Empty: any event.
    pub trigger_event: String,
    pub seg_tag: String,
    pub seg_level: String,
    pub seg_points: String,
    pub seg_quiet: String,
    pub seg_active: String,
    pub seg_joined: String,
    /// Segment conditions the form has no field for, kept unchanged.
    pub seg_other: Option<Filter>,
    /// One of [`ACTIONS`].
    pub action: String,
    pub message: String,
    pub points: String,
    pub badge: String,
    pub tag: String,
    pub event: String,
    /// Kept as it was (saving never changes whether it is on).
    pub enabled: bool,
}

impl Default for Fields {
    fn default() -> Self {
        Self {
            name: String::new(),
            trigger: "member_joined".into(),
            days: "14".into(),
            hour: "9".into(),
            level: "2".into(),
            trigger_badge: String::new(),
            trigger_event: String::new(),
            seg_tag: String::new(),
            seg_level: String::new(),
            seg_points: String::new(),
            seg_quiet: String::new(),
            seg_active: String::new(),
            seg_joined: String::new(),
            seg_other: None,
            action: "notify".into(),
            message: String::new(),
            points: "10".into(),
            badge: String::new(),
            tag: String::new(),
            event: String::new(),
            enabled: false,
        }
    }
}

fn number(raw: &str) -> Option<u32> {
    raw.trim().parse().ok()
}

/// An optional number field: `Ok(None)` when empty.
fn optional(raw: &str, rule: &'static str) -> Result<Option<u32>, &'static str> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    number(raw).map(Some).ok_or(rule)
}

fn days(raw: &str, t: Text) -> Result<Option<Days>, &'static str> {
    optional(raw, t.auto_days_rule())?
        .map(|n| Days::new(n).map_err(|_| t.auto_days_rule()))
        .transpose()
}

impl Fields {
    /// The fields of a saved automation.
    pub fn of(saved: &Automation) -> Self {
        let mut fields = Fields {
            name: saved.name.to_string(),
            enabled: saved.enabled,
            ..Fields::default()
        };
        match &saved.trigger {
            Trigger::MemberJoined {} => fields.trigger = "member_joined".into(),
            Trigger::EventAttended { event } => {
                fields.trigger = "event_attended".into();
                fields.trigger_event = event.as_ref().map(ToString::to_string).unwrap_or_default();
            }
            Trigger::LevelReached { level } => {
                fields.trigger = "level_reached".into();
                fields.level = level.get().to_string();
            }
            Trigger::BadgeEarned { badge } => {
                fields.trigger = "badge_earned".into();
                fields.trigger_badge = badge.as_ref().map(ToString::to_string).unwrap_or_default();
            }
            Trigger::Inactive { days, hour } => {
                fields.trigger = "inactive".into();
                fields.days = days.get().to_string();
                fields.hour = hour.get().to_string();
            }
            Trigger::Daily { hour } => {
                fields.trigger = "daily".into();
                fields.hour = hour.get().to_string();
            }
        }
        match &saved.action {
            AutomationAction::Notify { message } => {
                fields.action = "notify".into();
                fields.message = message.to_string();
            }
            AutomationAction::GrantPoints { points } => {
                fields.action = "grant_points".into();
                fields.points = points.get().to_string();
            }
            AutomationAction::GrantBadge { badge } => {
                fields.action = "grant_badge".into();
                fields.badge = badge.to_string();
            }
            AutomationAction::AddTag { tag } => {
                fields.action = "add_tag".into();
                fields.tag = tag.to_string();
            }
            AutomationAction::InviteToEvent { event, message } => {
                fields.action = "invite_to_event".into();
                fields.event = event.to_string();
                fields.message = message
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default();
            }
            AutomationAction::Webhook {} => fields.action = "webhook".into(),
        }
        fields.split_segment(saved.segment.clone());
        fields
    }

    /// Spreads `segment`'s conditions over the fields; the rest goes to `seg_other`.
    fn split_segment(&mut self, segment: Option<Filter>) {
        let parts = match segment {
            None => Vec::new(),
            Some(Filter::All(parts)) => parts,
            Some(one) => vec![one],
        };
        let mut others = Vec::new();
        for part in parts {
            let slot = match &part {
                Filter::Tag(tag) => Some((&mut self.seg_tag, tag.to_string())),
                Filter::Level(Range {
                    min: Some(min),
                    max: None,
                }) => Some((&mut self.seg_level, min.to_string())),
                Filter::Points(Range {
                    min: Some(min),
                    max: None,
                }) => Some((&mut self.seg_points, min.to_string())),
                Filter::QuietDays(days) => Some((&mut self.seg_quiet, days.get().to_string())),
                Filter::LastActive(within) => {
                    Some((&mut self.seg_active, within.within_days.get().to_string()))
                }
                Filter::Joined(within) => {
                    Some((&mut self.seg_joined, within.within_days.get().to_string()))
                }
                _ => None,
            };
            match slot {
                Some((field, value)) if field.is_empty() => *field = value,
                _ => others.push(part),
            }
        }
        self.seg_other = match others.len() {
            0 => None,
            1 => others.pop(),
            _ => Some(Filter::All(others)),
        };
    }

    fn trigger(&self, t: Text) -> Result<Trigger, &'static str> {
        let hour = || {
            number(&self.hour)
                .and_then(|n| Hour::new(n).ok())
                .ok_or(t.auto_hour_rule())
        };
        Ok(match self.trigger.as_str() {
            "event_attended" => Trigger::EventAttended {
                event: optional_id(&self.trigger_event, EventId::parse, t.auto_event_rule())?,
            },
            "level_reached" => Trigger::LevelReached {
                level: number(&self.level)
                    .and_then(|n| LevelNumber::new(n).ok())
                    .ok_or(t.auto_level_rule())?,
            },
            "badge_earned" => Trigger::BadgeEarned {
                badge: optional_id(&self.trigger_badge, BadgeId::parse, t.auto_badge_rule())?,
            },
            "inactive" => Trigger::Inactive {
                days: days(&self.days, t)?.ok_or(t.auto_days_rule())?,
                hour: hour()?,
            },
            "daily" => Trigger::Daily { hour: hour()? },
            _ => Trigger::MemberJoined {},
        })
    }

    fn segment(&self, t: Text) -> Result<Option<Filter>, &'static str> {
        let mut parts = Vec::new();
        let tag = self.seg_tag.trim();
        if !tag.is_empty() {
            parts.push(Filter::Tag(
                BrandTag::parse(tag).map_err(|_| t.auto_tag_rule())?,
            ));
        }
        let at_least = |raw: &str| -> Result<Option<Range>, &'static str> {
            Ok(optional(raw, t.auto_number_rule())?.map(|n| Range {
                min: Some(u64::from(n)),
                max: None,
            }))
        };
        if let Some(range) = at_least(&self.seg_level)? {
            parts.push(Filter::Level(range));
        }
        if let Some(range) = at_least(&self.seg_points)? {
            parts.push(Filter::Points(range));
        }
        if let Some(days) = days(&self.seg_quiet, t)? {
            parts.push(Filter::QuietDays(days));
        }
        if let Some(within_days) = days(&self.seg_active, t)? {
            parts.push(Filter::LastActive(Within { within_days }));
        }
        if let Some(within_days) = days(&self.seg_joined, t)? {
            parts.push(Filter::Joined(Within { within_days }));
        }
        match self.seg_other.clone() {
            Some(Filter::All(others)) => parts.extend(others),
            other => parts.extend(other),
        }
        Ok(match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Filter::All(parts)),
        })
    }

    fn action(&self, t: Text) -> Result<AutomationAction, &'static str> {
        let message = || AutomationMessage::parse(&self.message).map_err(|_| t.auto_message_rule());
        let event = || EventId::parse(self.event.trim()).map_err(|_| t.auto_event_rule());
        Ok(match self.action.as_str() {
            "grant_points" => AutomationAction::GrantPoints {
                points: number(&self.points)
                    .and_then(|n| AutomationPoints::new(n).ok())
                    .ok_or(t.auto_points_rule())?,
            },
            "grant_badge" => AutomationAction::GrantBadge {
                badge: BadgeId::parse(self.badge.trim()).map_err(|_| t.auto_badge_rule())?,
            },
            "add_tag" => AutomationAction::AddTag {
                tag: BrandTag::parse(&self.tag).map_err(|_| t.auto_tag_rule())?,
            },
            "invite_to_event" => AutomationAction::InviteToEvent {
                event: event()?,
                message: if self.message.trim().is_empty() {
                    None
                } else {
                    Some(message()?)
                },
            },
            "webhook" => AutomationAction::Webhook {},
            _ => AutomationAction::Notify {
                message: message()?,
            },
        })
    }

    /// The draft to send, or what to fix first (in `t`'s language).
    pub fn draft(&self, t: Text) -> Result<AutomationDraft, &'static str> {
        Ok(AutomationDraft {
            name: AutomationName::parse(&self.name).map_err(|_| t.auto_name_rule())?,
            trigger: self.trigger(t)?,
            segment: self.segment(t)?,
            action: self.action(t)?,
            enabled: self.enabled,
        })
    }
}

fn optional_id<T, E>(
    raw: &str,
    parse: fn(&str) -> Result<T, E>,
    rule: &'static str,
) -> Result<Option<T>, &'static str> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    parse(raw).map(Some).map_err(|_| rule)
}

#[cfg(test)]
mod tests {
    use quanzi_core::accounts::Email;
    use quanzi_core::automation::AutomationId;
    use quanzi_core::community::Locale;
    use quanzi_core::time::Timestamp;

    use super::*;

    const EN: Text = Text(Locale::En);

    fn saved(draft: AutomationDraft) -> Automation {
        Automation {
            id: AutomationId::parse("au-1").unwrap(),
            name: draft.name,
            trigger: draft.trigger,
            segment: draft.segment,
            action: draft.action,
            enabled: draft.enabled,
            created_by: Email::parse("mia@brand.example").unwrap(),
            created_at: Timestamp(0),
            updated_at: Timestamp(0),
        }
    }

    #[test]
    fn the_welcome_automation_from_the_form() {
        let fields = Fields {
            name: " Welcome ".into(),
            message: "Welcome!".into(),
            ..Fields::default()
        };
        let draft = fields.draft(EN).unwrap();
        assert_eq!(
            serde_json::to_value(&draft).unwrap(),
            serde_json::json!({"name": "Welcome", "trigger": {"kind": "member_joined"},
                "action": {"kind": "notify", "message": "Welcome!"}, "enabled": false})
        );
    }

    #[test]
    fn every_kind_reads_back_from_its_saved_automation() {
        let other = Filter::Not(Box::new(Filter::Tag(BrandTag::parse("staff").unwrap())));
        let cases = [
            serde_json::json!({"name": "A", "trigger": {"kind": "inactive", "days": 14, "hour": 8},
                "segment": {"all": [{"tag": "vip"}, {"level": {"min": 2}}, {"points": {"min": 100}},
                    {"quiet_days": 7}, {"last_active": {"within_days": 90}},
                    {"joined": {"within_days": 30}}]},
                "action": {"kind": "invite_to_event", "event": "e1", "message": "Come back"},
                "enabled": true}),
            serde_json::json!({"name": "B", "trigger": {"kind": "daily", "hour": 0},
                "segment": {"tag": "vip"}, "action": {"kind": "webhook"}, "enabled": false}),
            serde_json::json!({"name": "C", "trigger": {"kind": "badge_earned", "badge": "vip"},
                "action": {"kind": "add_tag", "tag": "fan"}, "enabled": false}),
            serde_json::json!({"name": "D", "trigger": {"kind": "level_reached", "level": 3},
                "segment": {"all": [{"tag": "vip"}, {"tag": "fan"},
                    {"not": {"tag": "staff"}}]},
                "action": {"kind": "grant_badge", "badge": "vip"}, "enabled": false}),
            serde_json::json!({"name": "E", "trigger": {"kind": "event_attended"},
                "action": {"kind": "grant_points", "points": 25}, "enabled": false}),
        ];
        for json in cases {
            let draft: AutomationDraft = serde_json::from_value(json.clone()).unwrap();
            let fields = Fields::of(&saved(draft.clone()));
            assert_eq!(fields.draft(EN).as_ref(), Ok(&draft), "{json}");
        }
        // What the form has no field for stays, apart from the fields.
        let draft: AutomationDraft = serde_json::from_value(serde_json::json!({"name": "F",
            "trigger": {"kind": "member_joined"},
            "segment": {"all": [{"tag": "vip"}, {"not": {"tag": "staff"}}]},
            "action": {"kind": "webhook"}}))
        .unwrap();
        let fields = Fields::of(&saved(draft));
        assert_eq!(fields.seg_tag, "vip");
        assert_eq!(fields.seg_other, Some(other));
    }

    #[test]
    fn bad_fields_say_which_rule() {
        let base = Fields {
            name: "N".into(),
            message: "Hi".into(),
            ..Fields::default()
        };
        type Change = fn(&mut Fields);
        let cases: [(Change, &str); 9] = [
            (|f| f.name = " ".into(), EN.auto_name_rule()),
            (|f| f.message = String::new(), EN.auto_message_rule()),
            (
                |f| {
                    f.trigger = "daily".into();
                    f.hour = "24".into();
                },
                EN.auto_hour_rule(),
            ),
            (
                |f| {
                    f.trigger = "inactive".into();
                    f.days = "0".into();
                },
                EN.auto_days_rule(),
            ),
            (
                |f| {
                    f.trigger = "level_reached".into();
                    f.level = "1".into();
                },
                EN.auto_level_rule(),
            ),
            (
                |f| {
                    f.action = "grant_points".into();
                    f.points = "0".into();
                },
                EN.auto_points_rule(),
            ),
            (
                |f| {
                    f.action = "grant_badge".into();
                    f.badge = String::new();
                },
                EN.auto_badge_rule(),
            ),
            (
                |f| {
                    f.action = "invite_to_event".into();
                    f.event = String::new();
                },
                EN.auto_event_rule(),
            ),
            (|f| f.seg_points = "many".into(), EN.auto_number_rule()),
        ];
        assert!(base.draft(EN).is_ok());
        for (change, rule) in cases {
            let mut fields = base.clone();
            change(&mut fields);
            assert_eq!(fields.draft(EN).err(), Some(rule), "{fields:?}");
        }
    }
}
