//! The rollups and the one fold that maintains them: [`Rollups::apply`] takes one member
//! action ([`Fact`]) and moves every counter it concerns. The application layer runs it
//! over the few stored cells an action touches (incrementally, in the action's batch) and
//! over the whole activity log (a full recomputation); both must agree.

use std::collections::BTreeMap;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::ids::MemberId;
use crate::notify::ActivityKind;

use super::period::{Month, Week};

/// One member action, with what the activity log alone does not say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub member: MemberId,
    pub kind: ActivityKind,
    /// The community-local day.
    pub day: NaiveDate,
    /// The thread, event or reward it concerns.
    pub subject: Option<String>,
    /// The topic of the thread, for talk in a topic.
    pub topic: Option<String>,
    /// For a check-in: the streak it reached.
    pub streak: Option<u32>,
}

/// What members did, by kind; one counter per [`ActivityKind`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    #[serde(default, skip_serializing_if = "is_zero")]
    pub joined: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub checked_in: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub posted: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub replied: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub reacted: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub answer_accepted: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub signed_up: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub cancelled_sign_up: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub attended: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub redeemed: u32,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub reported: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn bump(n: &mut u32) {
    *n = n.saturating_add(1);
}

impl Counts {
    pub fn bump(&mut self, kind: ActivityKind) {
        bump(match kind {
            ActivityKind::Joined => &mut self.joined,
            ActivityKind::CheckedIn => &mut self.checked_in,
            ActivityKind::Posted => &mut self.posted,
            ActivityKind::Replied => &mut self.replied,
            ActivityKind::Reacted => &mut self.reacted,
            ActivityKind::AnswerAccepted => &mut self.answer_accepted,
            ActivityKind::SignedUp => &mut self.signed_up,
            ActivityKind::CancelledSignUp => &mut self.cancelled_sign_up,
            ActivityKind::Attended => &mut self.attended,
            ActivityKind::Redeemed => &mut self.redeemed,
            ActivityKind::Reported => &mut self.reported,
        });
    }
}

/// Check-ins by the streak they reached: `1`, `2–6`, `7–13`, `14–29`, `30+` days.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StreakBuckets(pub [u32; 5]);

impl StreakBuckets {
    /// The buckets' labels, in order.
    pub const LABELS: [&'static str; 5] = ["1", "2-6", "7-13", "14-29", "30+"];

    /// The bucket a streak of `days` falls in.
    pub fn bucket(days: u32) -> usize {
        match days {
            0 | 1 => 0,
            2..=6 => 1,
            7..=13 => 2,
            14..=29 => 3,
            _ => 4,
        }
    }

    pub fn add(&mut self, days: u32) {
        bump(&mut self.0[Self::bucket(days)]);
    }

    fn is_empty(&self) -> bool {
        self.0.iter().all(|n| *n == 0)
    }
}

/// One community-local day, at `insight/day/{yyyy-mm-dd}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayRollup {
    /// Distinct members who did anything.
    #[serde(default)]
    pub active: u32,
    #[serde(default)]
    pub counts: Counts,
    #[serde(default, skip_serializing_if = "StreakBuckets::is_empty")]
    pub streaks: StreakBuckets,
    /// Members whose latest action so far is on this day (they have not come back since).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub last_seen: u32,
    /// Members active on this day whose next action came `g` days later, by `g`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub returned_after: BTreeMap<u32, u32>,
}

/// Distinct active members of a week or a month, at `insight/week/{week}`,
/// `insight/month/{month}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodRollup {
    pub active: u32,
}

/// The members who joined in one ISO week, at `insight/cohort/{week}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cohort {
    pub joined: u32,
    /// Of them, active in the week two weeks after the join week.
    pub week2: u32,
    /// Of them, active at least once in the four weeks after the join week (the month after).
    pub month1: u32,
}

/// What an item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Thread,
    Topic,
    Event,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Thread => "thread",
            ItemKind::Topic => "topic",
            ItemKind::Event => "event",
        }
    }
}

/// How much happened around one thread, topic or event in one week, at
/// `insight/engage/{week}/{kind}/{id}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Engagement {
    #[serde(default)]
    pub posts: u32,
    #[serde(default)]
    pub replies: u32,
    #[serde(default)]
    pub reactions: u32,
    #[serde(default)]
    pub answers: u32,
    #[serde(default)]
    pub signups: u32,
    #[serde(default)]
    pub attended: u32,
}

impl Engagement {
    /// Every action counts one.
    pub fn score(&self) -> u32 {
        [
            self.posts,
            self.replies,
            self.reactions,
            self.answers,
            self.signups,
            self.attended,
        ]
        .iter()
        .fold(0u32, |sum, n| sum.saturating_add(*n))
    }

    fn bump(&mut self, kind: ActivityKind) {
        match kind {
            ActivityKind::Posted => bump(&mut self.posts),
            ActivityKind::Replied => bump(&mut self.replies),
            ActivityKind::Reacted => bump(&mut self.reactions),
            ActivityKind::AnswerAccepted => bump(&mut self.answers),
            ActivityKind::SignedUp => bump(&mut self.signups),
            ActivityKind::Attended => bump(&mut self.attended),
            ActivityKind::Joined
            | ActivityKind::CheckedIn
            | ActivityKind::CancelledSignUp
            | ActivityKind::Redeemed
            | ActivityKind::Reported => {}
        }
    }
}

/// An event a member attended, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub event: String,
    pub day: NaiveDate,
}

/// One member's trail, at `insight/member/{member}`: what the rollups need to know about
/// them (and what segments filter on besides their profile and points).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Trail {
    /// The first day they did anything.
    pub first: NaiveDate,
    /// The latest day they did anything.
    pub last: NaiveDate,
    /// The day they joined (their cohort), if they did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub joined: Option<NaiveDate>,
    /// Already counted in their cohort's one-month retention.
    #[serde(default, skip_serializing_if = "is_false")]
    pub month1: bool,
    /// The events they attended, the latest attendance of each, at most
    /// [`Trail::MAX_ATTENDED`] (the oldest go first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attended: Vec<Attendance>,
}

impl Trail {
    pub const MAX_ATTENDED: usize = 200;

    fn new(day: NaiveDate) -> Self {
        Self {
            first: day,
            last: day,
            joined: None,
            month1: false,
            attended: Vec::new(),
        }
    }

    fn attend(&mut self, event: &str, day: NaiveDate) {
        self.attended.retain(|a| a.event != event);
        self.attended.push(Attendance {
            event: event.to_owned(),
            day,
        });
        if self.attended.len() > Self::MAX_ATTENDED {
            self.attended.remove(0);
        }
    }

    /// Whether they attended `event` (any event if `None`) on or after `since` (ever if
    /// `None`).
    pub fn attended(&self, event: Option<&str>, since: Option<NaiveDate>) -> bool {
        self.attended
            .iter()
            .any(|a| event.is_none_or(|e| a.event == e) && since.is_none_or(|since| a.day >= since))
    }
}

/// Every rollup, or the part of them one batch touches. The stored form is one key per
/// entry (see [`super`]); this is the form the fold works on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rollups {
    /// Members with a trail.
    pub members: u32,
    pub trails: BTreeMap<MemberId, Trail>,
    pub days: BTreeMap<NaiveDate, DayRollup>,
    pub weeks: BTreeMap<Week, PeriodRollup>,
    pub months: BTreeMap<Month, PeriodRollup>,
    pub cohorts: BTreeMap<Week, Cohort>,
    pub engagement: BTreeMap<(Week, ItemKind, String), Engagement>,
}

impl Rollups {
    /// Moves every counter `fact` concerns. Which entries it touches depends only on the
    /// trail of `fact.member` (never on a counter's value), so applying the facts of a batch
    /// to their trails alone names the cells to load before applying them for real.
    ///
    /// An action on a day before the member's latest day (a clock stepping back) counts in
    /// that day's actions but not as a distinct active member.
    pub fn apply(&mut self, fact: &Fact) {
        let day = fact.day;
        let week = Week::of(day);
        let month = Month::of(day);
        let before = self.trails.get(&fact.member).map(|t| t.last);
        let new_day = before.is_none_or(|last| day > last);
        let new_week = before.is_none_or(|last| week > Week::of(last));
        let new_month = before.is_none_or(|last| month > Month::of(last));

        let today = self.days.entry(day).or_default();
        today.counts.bump(fact.kind);
        if let (ActivityKind::CheckedIn, Some(streak)) = (fact.kind, fact.streak) {
            today.streaks.add(streak);
        }
        if new_day {
            bump(&mut today.active);
            bump(&mut today.last_seen);
            if let Some(last) = before {
                let gap = u32::try_from((day - last).num_days()).unwrap_or(u32::MAX);
                let previous = self.days.entry(last).or_default();
                previous.last_seen = previous.last_seen.saturating_sub(1);
                bump(previous.returned_after.entry(gap).or_default());
            }
        }
        if new_week {
            bump(&mut self.weeks.entry(week.clone()).or_default().active);
        }
        if new_month {
            bump(&mut self.months.entry(month).or_default().active);
        }

        if before.is_none() {
            self.members = self.members.saturating_add(1);
        }
        let trail = self
            .trails
            .entry(fact.member.clone())
            .or_insert_with(|| Trail::new(day));
        if new_day {
            trail.last = day;
        }
        if new_week && let Some(joined) = trail.joined {
            let cohort_week = Week::of(joined);
            let after = cohort_week.weeks_until(&week);
            if after == 2 {
                bump(&mut self.cohorts.entry(cohort_week.clone()).or_default().week2);
            }
            if (1..=4).contains(&after) && !trail.month1 {
                trail.month1 = true;
                bump(&mut self.cohorts.entry(cohort_week).or_default().month1);
            }
        }
        match (fact.kind, fact.subject.as_deref()) {
            (ActivityKind::Joined, _) if trail.joined.is_none() => {
                trail.joined = Some(day);
                bump(&mut self.cohorts.entry(week.clone()).or_default().joined);
            }
            (ActivityKind::Attended, Some(event)) => trail.attend(event, day),
            _ => {}
        }

        let mut engage = |kind: ItemKind, id: &str| {
            self.engagement
                .entry((week.clone(), kind, id.to_owned()))
                .or_default()
                .bump(fact.kind);
        };
        match (fact.kind, fact.subject.as_deref()) {
            (
                ActivityKind::Posted
                | ActivityKind::Replied
                | ActivityKind::Reacted
                | ActivityKind::AnswerAccepted,
                Some(thread),
            ) => {
                engage(ItemKind::Thread, thread);
                if let Some(topic) = fact.topic.as_deref() {
                    engage(ItemKind::Topic, topic);
                }
            }
            (ActivityKind::SignedUp | ActivityKind::Attended, Some(event)) => {
                engage(ItemKind::Event, event);
            }
            _ => {}
        }
    }
}

/// How many members were at risk of churning on `on`: active before, and with no action in
/// the `quiet` days up to and including `on` (their latest action at least `quiet` days
/// earlier). `days` must hold every day up to `on - quiet`.
///
/// A member whose actions were on `p` and next on `p + g` was at risk on `on` exactly when
/// `p <= on - quiet` and `on < p + g`; one who has not come back since `p`, whenever
/// `p <= on - quiet`.
pub fn at_risk(days: &BTreeMap<NaiveDate, DayRollup>, quiet: u32, on: NaiveDate) -> u32 {
    let Some(cutoff) = on.checked_sub_signed(Duration::days(i64::from(quiet))) else {
        return 0;
    };
    let mut total: u32 = 0;
    for (p, rollup) in days.range(..=cutoff) {
        let since = u32::try_from((on - *p).num_days()).unwrap_or(u32::MAX);
        let returned_later: u32 = rollup
            .returned_after
            .range(since.saturating_add(1)..)
            .map(|(_, n)| *n)
            .fold(0u32, u32::saturating_add);
        total = total
            .saturating_add(rollup.last_seen)
            .saturating_add(returned_later);
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Day `d` counted from 2026-09-01 (day 1), a Tuesday of ISO week 36.
    fn day(d: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 9, 1).unwrap() + Duration::days(d - 1)
    }

    fn fact(member: &str, kind: ActivityKind, d: i64) -> Fact {
        Fact {
            member: MemberId::parse(member).unwrap(),
            kind,
            day: day(d),
            subject: None,
            topic: None,
            streak: None,
        }
    }

    #[test]
    fn distinct_members_are_counted_once_per_day_week_and_month() {
        let mut r = Rollups::default();
        for f in [
            fact("a", ActivityKind::CheckedIn, 1),
            fact("a", ActivityKind::Posted, 1),
            fact("b", ActivityKind::CheckedIn, 1),
            fact("a", ActivityKind::CheckedIn, 2),
            fact("a", ActivityKind::CheckedIn, 8),
        ] {
            r.apply(&f);
        }
        assert_eq!(r.members, 2);
        assert_eq!(r.days[&day(1)].active, 2);
        assert_eq!(r.days[&day(1)].counts.checked_in, 2);
        assert_eq!(r.days[&day(1)].counts.posted, 1);
        assert_eq!(r.days[&day(2)].active, 1);
        assert_eq!(r.weeks[&Week::of(day(1))].active, 2);
        assert_eq!(r.weeks[&Week::of(day(8))].active, 1);
        assert_eq!(r.months[&Month::of(day(1))].active, 2);
        assert_eq!(r.trails[&MemberId::parse("a").unwrap()].last, day(8));
    }

    #[test]
    fn at_risk_follows_each_members_quiet_spells() {
        // a: days 1, 2, 20. b: day 3 only. c: day 10 only.
        let mut r = Rollups::default();
        for f in [
            fact("a", ActivityKind::CheckedIn, 1),
            fact("a", ActivityKind::CheckedIn, 2),
            fact("b", ActivityKind::CheckedIn, 3),
            fact("c", ActivityKind::CheckedIn, 10),
            fact("a", ActivityKind::CheckedIn, 20),
        ] {
            r.apply(&f);
        }
        // Quiet for 7 days: a from day 9 to 19, b from day 10 on, c from day 17 on.
        let table = [
            (8, 0),
            (9, 1),
            (10, 2),
            (16, 2),
            (17, 3),
            (19, 3),
            (20, 2),
            (26, 2),
            (27, 3),
        ];
        for (d, want) in table {
            assert_eq!(at_risk(&r.days, 7, day(d)), want, "day {d}");
        }
        assert_eq!(at_risk(&r.days, 30, day(20)), 0);
    }

    #[test]
    fn cohorts_count_returns_two_weeks_and_a_month_after_joining() {
        let mut r = Rollups::default();
        // Joined in week 36 (day 1); back in week 38 (day 15): both counts.
        r.apply(&fact("a", ActivityKind::Joined, 1));
        r.apply(&fact("a", ActivityKind::CheckedIn, 15));
        // Joined in week 36; back in week 37 and week 40, not week 38: the month only, once.
        r.apply(&fact("b", ActivityKind::Joined, 2));
        r.apply(&fact("b", ActivityKind::CheckedIn, 8));
        r.apply(&fact("b", ActivityKind::CheckedIn, 29));
        // Joined in week 36, back only in week 41 (day 35, five weeks later): neither.
        r.apply(&fact("c", ActivityKind::Joined, 3));
        r.apply(&fact("c", ActivityKind::CheckedIn, 35));
        let cohort = r.cohorts[&Week::of(day(1))];
        assert_eq!(
            cohort,
            Cohort {
                joined: 3,
                week2: 1,
                month1: 2
            }
        );
    }

    #[test]
    fn streaks_fall_in_buckets() {
        let table = [
            (1, 0),
            (2, 1),
            (6, 1),
            (7, 2),
            (13, 2),
            (14, 3),
            (29, 3),
            (30, 4),
            (400, 4),
        ];
        for (days, bucket) in table {
            assert_eq!(StreakBuckets::bucket(days), bucket, "{days}");
        }
    }
}
