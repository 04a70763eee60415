//! Segments: saved filters over members, for a live count and a member list.
//!
//! A [`Filter`] is JSON, one key per condition:
//!
//! ```json
//! {"all": [
//!   {"tag": "vip"},
//!   {"attended": {"within_days": 30}},
//!   {"not": {"attended": {"event": "beginners-2026"}}},
//!   {"points": {"min": 100}}
//! ]}
//! ```
//!
//! | condition | true when the member … | reads |
//! | --- | --- | --- |
//! | `{"all": [...]}`, `{"any": [...]}`, `{"not": …}` | all / any / not | — |
//! | `{"tag": "vip"}` | carries the brand tag (from their latest SSO token) or the community's staff tag | profile, staff tags |
//! | `{"profile": {"email_verified": true}}`, `phone_verified`, `{"locale": "zh-CN"}` | has that profile field | profile |
//! | `{"level": {"min": 2, "max": 4}}` | is at a level in the range | points account |
//! | `{"points": {"min": 100}}` | earned points (lifetime, what levels use) in the range | points account |
//! | `{"balance": {"max": 50}}` | holds a balance in the range | points account |
//! | `{"badge": "first_post"}` | holds the badge | badges |
//! | `{"topic": "running"}` | is in the topic | one key per topic named |
//! | `{"attended": {"event": "x", "within_days": 30}}` | attended event `x` (any event without `event`) within the last days (ever without `within_days`) | trail |
//! | `{"last_active": {"within_days": 7}}` / `{"quiet_days": 14}` | did something in the last 7 days / nothing in the last 14 | trail |
//! | `{"joined": {"within_days": 30}}` | joined in the last 30 days | trail |
//!
//! Evaluation reads the member index (`insight/member/…`, one trail per member) and decides
//! with the trail alone whenever it can (three-valued: a condition that needs the profile
//! is unknown until it is read); only then reads the member's other keys, and only those
//! the filter names.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::community::Locale;
use crate::error::ApiError;
use crate::events::EventId;
use crate::ids::{BoundedText, BrandTag, bounded_u32, short_id};
use crate::recognition::{BadgeId, MemberBadges};
use crate::sso::MemberProfile;
use crate::talk::TopicId;
use crate::time::Timestamp;

use super::rollup::Trail;

short_id!(
    /// A saved segment (`vip-lapsed`, or an id the worker drew).
    SegmentId,
    "a segment id"
);

/// A segment's name: 1–60 characters.
pub type SegmentName = BoundedText<1, 60>;

bounded_u32!(
    /// A number of days in a filter: 1–3650.
    Days,
    1,
    3650,
    "the number of days",
    "must be between 1 and 3650"
);

/// A range of numbers; at least one bound, `min <= max`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Range {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<u64>,
}

impl Range {
    fn contains(&self, n: u64) -> bool {
        self.min.is_none_or(|min| n >= min) && self.max.is_none_or(|max| n <= max)
    }
}

/// A profile field the brand's token carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ProfileField {
    EmailVerified(bool),
    PhoneVerified(bool),
    Locale(Locale),
}

/// `{"event": "x", "within_days": 30}`: both optional.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AttendedFilter {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<EventId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub within_days: Option<Days>,
}

/// `{"within_days": 7}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Within {
    pub within_days: Days,
}

/// Which members a segment holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Filter {
    // The API document refers to `Filter` here instead of unfolding it again.
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    All(Vec<Filter>),
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    Any(Vec<Filter>),
    #[cfg_attr(feature = "openapi", schema(no_recursion))]
    Not(Box<Filter>),
    Tag(BrandTag),
    Profile(ProfileField),
    Level(Range),
    Points(Range),
    Balance(Range),
    Badge(BadgeId),
    Topic(TopicId),
    Attended(AttendedFilter),
    LastActive(Within),
    QuietDays(Days),
    Joined(Within),
}

impl Filter {
    /// The deepest nesting of `all`, `any` and `not`.
    pub const MAX_DEPTH: usize = 4;
    /// The most conditions one filter holds.
    pub const MAX_CONDITIONS: usize = 32;

    /// Checks the rules serde cannot: non-empty lists, ranges with a bound and in order,
    /// nesting and size.
    pub fn validate(&self) -> Result<(), ApiError> {
        let mut conditions = 0usize;
        self.check(0, &mut conditions)
    }

    fn check(&self, depth: usize, conditions: &mut usize) -> Result<(), ApiError> {
        *conditions += 1;
        if *conditions > Self::MAX_CONDITIONS {
            return Err(ApiError::invalid(format!(
                "a filter holds at most {} conditions",
                Self::MAX_CONDITIONS
            )));
        }
        if depth > Self::MAX_DEPTH {
            return Err(ApiError::invalid(format!(
                "`all`, `any` and `not` nest at most {} deep",
                Self::MAX_DEPTH
            )));
        }
        match self {
            Filter::All(parts) | Filter::Any(parts) => {
                if parts.is_empty() {
                    return Err(ApiError::invalid(
                        "`all` and `any` need at least one condition",
                    ));
                }
                parts
                    .iter()
                    .try_for_each(|p| p.check(depth + 1, conditions))
            }
            Filter::Not(inner) => inner.check(depth + 1, conditions),
            Filter::Level(range) | Filter::Points(range) | Filter::Balance(range) => {
                match (range.min, range.max) {
                    (None, None) => Err(ApiError::invalid("a range needs `min`, `max` or both")),
                    (Some(min), Some(max)) if min > max => Err(ApiError::invalid(
                        "a range's `min` must not be above its `max`",
                    )),
                    _ => Ok(()),
                }
            }
            Filter::Tag(_)
            | Filter::Profile(_)
            | Filter::Badge(_)
            | Filter::Topic(_)
            | Filter::Attended(_)
            | Filter::LastActive(_)
            | Filter::QuietDays(_)
            | Filter::Joined(_) => Ok(()),
        }
    }

    /// What besides the trail the filter may need to read.
    pub fn needs(&self) -> Needs {
        let mut needs = Needs::default();
        self.collect(&mut needs);
        needs
    }

    fn collect(&self, needs: &mut Needs) {
        match self {
            Filter::All(parts) | Filter::Any(parts) => parts.iter().for_each(|p| p.collect(needs)),
            Filter::Not(inner) => inner.collect(needs),
            Filter::Tag(_) | Filter::Profile(_) => needs.profile = true,
            Filter::Level(_) => {
                needs.points = true;
                needs.levels = true;
            }
            Filter::Points(_) | Filter::Balance(_) => needs.points = true,
            Filter::Badge(_) => needs.badges = true,
            Filter::Topic(topic) => {
                needs.topics.insert(topic.clone());
            }
            Filter::Attended(_)
            | Filter::LastActive(_)
            | Filter::QuietDays(_)
            | Filter::Joined(_) => {}
        }
    }

    /// Whether the member matches: `None` when that depends on something `facts` has not
    /// loaded.
    pub fn eval(&self, facts: &Facts<'_>) -> Option<bool> {
        let days_ago = |days: Days| {
            facts
                .today
                .checked_sub_signed(Duration::days(i64::from(days.get()) - 1))
        };
        match self {
            Filter::All(parts) => {
                let mut unknown = false;
                for part in parts {
                    match part.eval(facts) {
                        Some(false) => return Some(false),
                        None => unknown = true,
                        Some(true) => {}
                    }
                }
                (!unknown).then_some(true)
            }
            Filter::Any(parts) => {
                let mut unknown = false;
                for part in parts {
                    match part.eval(facts) {
                        Some(true) => return Some(true),
                        None => unknown = true,
                        Some(false) => {}
                    }
                }
                (!unknown).then_some(false)
            }
            Filter::Not(inner) => inner.eval(facts).map(|b| !b),
            Filter::Tag(tag) => facts
                .profile
                .map(|p| p.is_some_and(|p| p.tags.contains(tag))),
            Filter::Profile(field) => facts.profile.map(|p| {
                p.is_some_and(|p| match field {
                    ProfileField::EmailVerified(want) => p.email_verified == *want,
                    ProfileField::PhoneVerified(want) => p.phone_verified == *want,
                    ProfileField::Locale(want) => p.locale == Some(*want),
                })
            }),
            Filter::Level(range) => facts.points.map(|p| range.contains(u64::from(p.level))),
            Filter::Points(range) => facts.points.map(|p| range.contains(p.earned)),
            Filter::Balance(range) => facts.points.map(|p| range.contains(p.balance)),
            Filter::Badge(badge) => facts.badges.map(|b| b.is_some_and(|b| b.holds(badge))),
            Filter::Topic(topic) => facts.topics.map(|t| t.contains(topic)),
            Filter::Attended(a) => {
                let since = match a.within_days {
                    Some(days) => Some(days_ago(days)?),
                    None => None,
                };
                Some(
                    facts
                        .trail
                        .attended(a.event.as_ref().map(EventId::as_str), since),
                )
            }
            // Within the last N days, today included: the latest action on or after
            // today - (N - 1).
            Filter::LastActive(w) => {
                Some(days_ago(w.within_days).is_none_or(|since| facts.trail.last >= since))
            }
            // Nothing in the last N days: the latest action on or before today - N.
            Filter::QuietDays(days) => Some(
                facts
                    .today
                    .checked_sub_signed(Duration::days(i64::from(days.get())))
                    .is_some_and(|cutoff| facts.trail.last <= cutoff),
            ),
            Filter::Joined(w) => {
                Some(facts.trail.joined.is_some_and(|joined| {
                    days_ago(w.within_days).is_none_or(|since| joined >= since)
                }))
            }
        }
    }
}

/// What a filter reads besides the member's trail.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs {
    pub profile: bool,
    pub points: bool,
    /// The level ladder (read once per evaluation).
    pub levels: bool,
    pub badges: bool,
    /// The topics whose membership it asks about.
    pub topics: BTreeSet<TopicId>,
}

/// A member's points as filters see them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PointsFacts {
    pub earned: u64,
    pub balance: u64,
    pub level: u8,
}

/// What is known of one member; `None` fields are not loaded (yet).
#[derive(Debug, Clone, Copy)]
pub struct Facts<'a> {
    /// The community-local day of the evaluation.
    pub today: NaiveDate,
    pub trail: &'a Trail,
    /// Loaded: `Some(profile)`, where the member may have none stored.
    pub profile: Option<Option<&'a MemberProfile>>,
    pub points: Option<PointsFacts>,
    pub badges: Option<Option<&'a MemberBadges>>,
    /// Loaded: the topics among [`Needs::topics`] the member is in.
    pub topics: Option<&'a BTreeSet<TopicId>>,
}

impl<'a> Facts<'a> {
    /// Only the trail.
    pub fn trail(today: NaiveDate, trail: &'a Trail) -> Self {
        Self {
            today,
            trail,
            profile: None,
            points: None,
            badges: None,
            topics: None,
        }
    }
}

/// `POST …/segments`, `PUT …/segments/{id}`: a name and a filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SegmentDraft {
    pub name: SegmentName,
    pub filter: Filter,
}

/// `POST …/segments/preview`: a filter to count before saving it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PreviewRequest {
    pub filter: Filter,
}

/// A saved segment, at `insight/segment/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Segment {
    pub id: SegmentId,
    pub name: SegmentName,
    pub filter: Filter,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn filter(value: serde_json::Value) -> Result<Filter, String> {
        let filter: Filter = serde_json::from_value(value).map_err(|e| e.to_string())?;
        filter.validate().map_err(|e| e.message)?;
        Ok(filter)
    }

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, d).unwrap()
    }

    fn trail() -> Trail {
        serde_json::from_value(json!({
            "first": "2026-09-01", "last": "2026-09-10", "joined": "2026-09-02",
            "attended": [{"event": "e1", "day": "2026-09-05"}]
        }))
        .unwrap()
    }

    #[test]
    fn filters_parse_and_bad_ones_are_refused() {
        let good = [
            json!({"tag": "VIP"}),
            json!({"all": [{"tag": "vip"}, {"not": {"attended": {"event": "e2"}}}]}),
            json!({"any": [{"points": {"min": 10}}, {"level": {"max": 3}}]}),
            json!({"attended": {}}),
            json!({"profile": {"locale": "zh-CN"}}),
            json!({"quiet_days": 14}),
            json!({"last_active": {"within_days": 7}}),
        ];
        for value in good {
            assert!(filter(value.clone()).is_ok(), "{value}");
        }
        let deep = (0..6).fold(json!({"tag": "x"}), |f, _| json!({"not": f}));
        let wide = json!({"any": (0..40).map(|_| json!({"tag": "x"})).collect::<Vec<_>>()});
        let bad = [
            json!({"all": []}),
            json!({"points": {}}),
            json!({"points": {"min": 5, "max": 4}}),
            json!({"tag": ""}),
            json!({"tag": "a", "badge": "b"}),
            json!({"colour": "red"}),
            json!({"quiet_days": 0}),
            json!({"attended": {"event": "e1", "when": 3}}),
            json!({"profile": {"shoe_size": 42}}),
            deep,
            wide,
        ];
        for value in bad {
            assert!(filter(value.clone()).is_err(), "{value}");
        }
        assert_eq!(
            filter(json!({"tag": " VIP "})).unwrap(),
            Filter::Tag(BrandTag::parse("vip").unwrap()),
            "tags match case-insensitively"
        );
    }

    #[test]
    fn the_trail_decides_alone_when_it_can() {
        let trail = trail();
        let facts = Facts::trail(day(20), &trail);
        let table = [
            (json!({"attended": {}}), Some(true)),
            (json!({"attended": {"event": "e1"}}), Some(true)),
            (json!({"attended": {"event": "e2"}}), Some(false)),
            // Day 5 is 16 days before day 20: within 16 days (20 - 15 = 5), not within 15.
            (json!({"attended": {"within_days": 16}}), Some(true)),
            (json!({"attended": {"within_days": 15}}), Some(false)),
            // Last active on day 10: quiet for 10 days, not 11; active within 11, not 10.
            (json!({"quiet_days": 10}), Some(true)),
            (json!({"quiet_days": 11}), Some(false)),
            (json!({"last_active": {"within_days": 11}}), Some(true)),
            (json!({"last_active": {"within_days": 10}}), Some(false)),
            (json!({"joined": {"within_days": 19}}), Some(true)),
            (json!({"joined": {"within_days": 18}}), Some(false)),
            (json!({"tag": "vip"}), None),
            (
                json!({"all": [{"tag": "vip"}, {"quiet_days": 11}]}),
                Some(false),
            ),
            (
                json!({"any": [{"tag": "vip"}, {"quiet_days": 10}]}),
                Some(true),
            ),
            (json!({"any": [{"tag": "vip"}, {"quiet_days": 11}]}), None),
            (json!({"not": {"attended": {"event": "e2"}}}), Some(true)),
        ];
        for (value, want) in table {
            assert_eq!(filter(value.clone()).unwrap().eval(&facts), want, "{value}");
        }
    }

    #[test]
    fn loaded_facts_decide_the_rest() {
        let trail = trail();
        let profile: MemberProfile = serde_json::from_value(json!({
            "id": "m1", "name": "Lin", "avatar": null, "email_verified": true,
            "phone_verified": false, "tags": ["vip"], "locale": "en"
        }))
        .unwrap();
        let topics: BTreeSet<TopicId> = [TopicId::parse("tea").unwrap()].into();
        let facts = Facts {
            profile: Some(Some(&profile)),
            points: Some(PointsFacts {
                earned: 120,
                balance: 30,
                level: 2,
            }),
            badges: Some(None),
            topics: Some(&topics),
            ..Facts::trail(day(20), &trail)
        };
        let table = [
            (json!({"tag": "vip"}), true),
            (json!({"tag": "gold"}), false),
            (json!({"profile": {"email_verified": true}}), true),
            (json!({"profile": {"phone_verified": true}}), false),
            (json!({"profile": {"locale": "en"}}), true),
            (json!({"points": {"min": 120}}), true),
            (json!({"points": {"min": 121}}), false),
            (json!({"balance": {"max": 30}}), true),
            (json!({"level": {"min": 2, "max": 2}}), true),
            (json!({"badge": "first_post"}), false),
            (json!({"topic": "tea"}), true),
            (json!({"topic": "coffee"}), false),
        ];
        for (value, want) in table {
            assert_eq!(
                filter(value.clone()).unwrap().eval(&facts),
                Some(want),
                "{value}"
            );
        }
        let needs = filter(json!({"all": [{"tag": "x"}, {"level": {"min": 1}}, {"topic": "tea"}]}))
            .unwrap()
            .needs();
        assert!(needs.profile && needs.points && needs.levels && !needs.badges);
        assert_eq!(needs.topics.len(), 1);
    }
}
