//! Daily check-in: one per member per community-local day, streaks, calendar, make-up cards.
//!
//! # Aggregates and the storage keys they are meant for
//!
//! | aggregate | key | size |
//! | --- | --- | --- |
//! | [`CheckinRules`] | `rules/checkin` | one per community |
//! | [`CheckinState`] | `member/{member_id}/checkin` | a few bytes per active month (two 31-bit masks) |
//!
//! A check-in writes the state and, through [`crate::points`], the award for
//! [`Action::CheckIn`](crate::points::Action::CheckIn) under the cause
//! [`CheckedIn::cause`] plus one award per [`StreakBonusEarned`], in one batch.
//!
//! # Days
//! A day is a calendar day in the community's time zone ([`Timestamp::local_day`]), so a
//! day may last 23 or 25 hours around a DST change. The streak is the run of consecutive
//! checked-in days ending today or yesterday; a member who has not checked in yet today
//! keeps yesterday's streak until the day is over.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::community::TimeZone;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{ParseError, bounded_u32};
use crate::points::{CauseKey, Points};
use crate::time::Timestamp;

pub use crate::time::DateOutOfRange;

/// A calendar month, `2026-03` on the wire and in maps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct YearMonth {
    year: i32,
    month: u32,
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for YearMonth {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::ids::string_schema("A calendar month, `YYYY-MM`.", "2026-03")
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for YearMonth {}

impl YearMonth {
    pub const MIN_YEAR: i32 = crate::time::MIN_YEAR;
    pub const MAX_YEAR: i32 = crate::time::MAX_YEAR;

    pub fn new(year: i32, month: u32) -> Result<Self, ParseError> {
        if (Self::MIN_YEAR..=Self::MAX_YEAR).contains(&year) && (1..=12).contains(&month) {
            Ok(Self { year, month })
        } else {
            Err(ParseError::Invalid {
                what: "the month",
                why: "use YYYY-MM with a year from 1970 to 9999",
            })
        }
    }

    /// `2026-03`.
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let bad = ParseError::Invalid {
            what: "the month",
            why: "use YYYY-MM with a year from 1970 to 9999",
        };
        let (y, m) = raw.split_once('-').ok_or(bad.clone())?;
        if y.len() != 4 || m.len() != 2 || !(y.bytes().chain(m.bytes())).all(|b| b.is_ascii_digit())
        {
            return Err(bad);
        }
        let year = y.parse().map_err(|_| bad.clone())?;
        let month = m.parse().map_err(|_| bad)?;
        Self::new(year, month)
    }

    /// The month `date` falls in, if its year is supported.
    pub fn of(date: NaiveDate) -> Result<Self, DateOutOfRange> {
        Self::new(date.year(), date.month()).map_err(|_| DateOutOfRange)
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        self.month
    }

    pub fn first_day(self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year, self.month, 1)
    }

    /// 28–31.
    pub fn days(self) -> u32 {
        let next = if self.month == 12 {
            NaiveDate::from_ymd_opt(self.year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year, self.month + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).map_or(31, |d| d.day())
    }
}

impl fmt::Display for YearMonth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for YearMonth {
    type Error = ParseError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<YearMonth> for String {
    fn from(m: YearMonth) -> Self {
        m.to_string()
    }
}

bounded_u32!(
    /// A streak length that earns a bonus: 1–3650 days.
    StreakDays,
    1,
    3650,
    "the streak length",
    "must be between 1 and 3650 days"
);

bounded_u32!(
    /// How far back a make-up card reaches: 1–31 days.
    MakeupWindow,
    1,
    31,
    "the make-up window",
    "must be between 1 and 31 days"
);

bounded_u32!(
    /// The community-local hour the daily check-in reminder goes out: 0–23 (default 20).
    ReminderHour,
    0,
    23,
    "the reminder hour",
    "must be between 0 and 23"
);

impl Default for ReminderHour {
    fn default() -> Self {
        Self(20)
    }
}

bounded_u32!(
    /// How many make-up cards staff (or a reward) give at once: 1–99.
    CardCount,
    1,
    99,
    "the number of cards",
    "must be between 1 and 99"
);

/// Extra points for reaching a streak of `days` consecutive days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StreakBonus {
    pub days: StreakDays,
    pub points: Points,
}

/// The streak milestones, sorted by length, each length once, at most 20.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "Vec<StreakBonus>", into = "Vec<StreakBonus>")]
pub struct StreakBonuses(Vec<StreakBonus>);

impl StreakBonuses {
    pub const MAX: usize = 20;

    /// Sorts by length; refuses more than [`Self::MAX`] or the same length twice.
    pub fn new(mut bonuses: Vec<StreakBonus>) -> Result<Self, ParseError> {
        if bonuses.len() > Self::MAX {
            return Err(ParseError::Invalid {
                what: "the streak bonuses",
                why: "at most 20 milestones",
            });
        }
        bonuses.sort_by_key(|b| b.days);
        if bonuses.windows(2).any(|w| w[0].days == w[1].days) {
            return Err(ParseError::Invalid {
                what: "the streak bonuses",
                why: "each streak length may appear once",
            });
        }
        Ok(Self(bonuses))
    }

    pub fn as_slice(&self) -> &[StreakBonus] {
        &self.0
    }

    /// Milestones `m` with `after < m.days <= upto`, for the run that started on `run_start`.
    fn crossed(&self, after: u32, upto: u32, run_start: NaiveDate) -> Vec<StreakBonusEarned> {
        self.0
            .iter()
            .filter(|b| after < b.days.get() && b.days.get() <= upto)
            .map(|b| StreakBonusEarned {
                days: b.days,
                points: b.points,
                cause: CauseKey::streak_bonus(run_start, b.days.get()),
            })
            .collect()
    }

    fn next_after(&self, streak: u32) -> Option<StreakBonus> {
        self.0.iter().copied().find(|b| b.days.get() > streak)
    }
}

impl Default for StreakBonuses {
    /// 7 days: 20, 30 days: 100, 100 days: 500.
    fn default() -> Self {
        Self(
            [(7, 20), (30, 100), (100, 500)]
                .into_iter()
                .map(|(days, points)| StreakBonus {
                    days: StreakDays(days),
                    points: Points::new(points).unwrap_or(Points::ZERO),
                })
                .collect(),
        )
    }
}

impl TryFrom<Vec<StreakBonus>> for StreakBonuses {
    type Error = ParseError;
    fn try_from(v: Vec<StreakBonus>) -> Result<Self, Self::Error> {
        Self::new(v)
    }
}

impl From<StreakBonuses> for Vec<StreakBonus> {
    fn from(b: StreakBonuses) -> Self {
        b.0
    }
}

/// Whether members may fill a missed day with a make-up card, and how far back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, default)]
pub struct MakeupRules {
    /// Off by default.
    pub enabled: bool,
    /// A card fills a day among the last `window_days` days before today (default 3).
    pub window_days: MakeupWindow,
}

impl Default for MakeupRules {
    fn default() -> Self {
        Self {
            enabled: false,
            window_days: MakeupWindow(3),
        }
    }
}

/// A community's check-in rules. The points for the check-in itself are in
/// [`crate::points::PointRules::check_in`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, default)]
pub struct CheckinRules {
    pub streak_bonuses: StreakBonuses,
    pub makeup: MakeupRules,
    /// The community-local hour at which members who opted in and have not checked in
    /// that day are reminded (`app::habit`'s reminder run).
    pub reminder_hour: ReminderHour,
}

/// A streak milestone reached: award it with [`crate::points::Award::streak_bonus`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StreakBonusEarned {
    pub days: StreakDays,
    pub points: Points,
    /// `streak:{run_start}:{days}`: once per run and milestone.
    pub cause: CauseKey,
}

/// Which days of one month were checked in: bit `d - 1` is day `d`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct MonthMarks {
    #[serde(default)]
    checked: u32,
    /// The subset of `checked` filled with a make-up card.
    #[serde(default, skip_serializing_if = "is_zero")]
    made_up: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

fn bit(day: NaiveDate) -> u32 {
    1 << (day.day0() & 31)
}

/// The latest run of consecutive checked-in days: `end` is the latest day checked in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
struct Run {
    start: NaiveDate,
    end: NaiveDate,
}

impl Run {
    fn len(self) -> u32 {
        let days = (self.end - self.start).num_days().saturating_add(1);
        u32::try_from(days).unwrap_or(0)
    }
}

/// Held make-up cards are capped so the count stays meaningful.
pub const MAX_CARDS_HELD: u32 = 99;

/// One member's check-ins, stored at `member/{member_id}/checkin`.
///
/// Invariants: `run.end` is the latest marked day and `run` the maximal run of consecutive
/// marked days ending there; `total_days` is the number of marked days; `longest` is the
/// longest run ever.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckinState {
    #[serde(default)]
    run: Option<Run>,
    #[serde(default)]
    longest: u32,
    #[serde(default)]
    total_days: u32,
    #[serde(default)]
    makeup_cards: u32,
    #[serde(default)]
    months: BTreeMap<YearMonth, MonthMarks>,
}

/// A check-in done: award [`Self::cause`] with the check-in rule, and each bonus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckedIn {
    pub date: NaiveDate,
    /// `checkin:{date}`.
    pub cause: CauseKey,
    pub streak: u32,
    pub longest_streak: u32,
    pub total_days: u32,
    pub bonuses: Vec<StreakBonusEarned>,
}

/// A missed day filled with a make-up card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MadeUp {
    pub date: NaiveDate,
    /// The current streak as of today after the fill.
    pub streak: u32,
    pub longest_streak: u32,
    pub total_days: u32,
    pub cards_left: u32,
    pub bonuses: Vec<StreakBonusEarned>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CheckinError {
    #[error("already checked in on {0}")]
    AlreadyCheckedIn(NaiveDate),
    /// `now` is a day earlier than a day already checked in (a clock that went back).
    #[error("a later day ({0}) is already checked in")]
    LaterDayRecorded(NaiveDate),
    #[error(transparent)]
    DateOutOfRange(#[from] DateOutOfRange),
}

impl From<CheckinError> for ApiError {
    fn from(e: CheckinError) -> Self {
        let code = match e {
            CheckinError::AlreadyCheckedIn(_) => ErrorCode::AlreadyCheckedIn,
            CheckinError::LaterDayRecorded(_) => ErrorCode::Conflict,
            CheckinError::DateOutOfRange(_) => ErrorCode::InvalidInput,
        };
        ApiError::new(code, e.to_string())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MakeupError {
    #[error("make-up cards are not enabled in this community")]
    Disabled,
    #[error("only a day before today can be made up")]
    NotInThePast,
    #[error("a make-up card reaches back to {oldest} at the earliest")]
    OutsideWindow { oldest: NaiveDate },
    #[error("{0} is already checked in")]
    AlreadyCheckedIn(NaiveDate),
    #[error("no make-up card left")]
    NoCard,
    #[error(transparent)]
    DateOutOfRange(#[from] DateOutOfRange),
}

impl From<MakeupError> for ApiError {
    fn from(e: MakeupError) -> Self {
        let code = match e {
            MakeupError::Disabled => ErrorCode::Forbidden,
            MakeupError::NotInThePast
            | MakeupError::OutsideWindow { .. }
            | MakeupError::DateOutOfRange(_) => ErrorCode::InvalidInput,
            MakeupError::AlreadyCheckedIn(_) => ErrorCode::AlreadyCheckedIn,
            MakeupError::NoCard => ErrorCode::Conflict,
        };
        ApiError::new(code, e.to_string())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GrantCardsError {
    #[error("a member holds at most {MAX_CARDS_HELD} make-up cards (has {held})")]
    TooMany { held: u32 },
}

impl From<GrantCardsError> for ApiError {
    fn from(e: GrantCardsError) -> Self {
        ApiError::new(ErrorCode::Conflict, e.to_string())
    }
}

impl CheckinState {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn is_checked_in(&self, day: NaiveDate) -> bool {
        YearMonth::of(day).is_ok_and(|m| {
            self.months
                .get(&m)
                .is_some_and(|marks| marks.checked & bit(day) != 0)
        })
    }

    fn is_made_up(&self, day: NaiveDate) -> bool {
        YearMonth::of(day).is_ok_and(|m| {
            self.months
                .get(&m)
                .is_some_and(|marks| marks.made_up & bit(day) != 0)
        })
    }

    /// The run of consecutive checked-in days ending today, or yesterday if today is not
    /// checked in yet; 0 otherwise.
    pub fn current_streak(&self, today: NaiveDate) -> u32 {
        match self.run {
            Some(run) if today.pred_opt().is_some_and(|y| run.end >= y) => run.len(),
            _ => 0,
        }
    }

    pub fn longest_streak(&self) -> u32 {
        self.longest
    }

    pub fn total_days(&self) -> u32 {
        self.total_days
    }

    pub fn makeup_cards(&self) -> u32 {
        self.makeup_cards
    }

    /// The latest day checked in.
    pub fn last_day(&self) -> Option<NaiveDate> {
        self.run.map(|r| r.end)
    }

    fn mark(&mut self, day: NaiveDate, month: YearMonth, made_up: bool) {
        let marks = self.months.entry(month).or_default();
        marks.checked |= bit(day);
        if made_up {
            marks.made_up |= bit(day);
        }
        self.total_days = self.total_days.saturating_add(1);
    }

    /// Consecutive checked-in days going back from `from` (0 if it is not checked in).
    fn count_back(&self, from: Option<NaiveDate>) -> u32 {
        let mut n = 0;
        let mut day = from;
        while let Some(d) = day.filter(|d| n < self.total_days && self.is_checked_in(*d)) {
            n += 1;
            day = d.pred_opt();
        }
        n
    }

    /// Consecutive checked-in days going forward from `from` (0 if it is not checked in).
    fn count_forward(&self, from: Option<NaiveDate>) -> u32 {
        let mut n = 0;
        let mut day = from;
        while let Some(d) = day.filter(|d| n < self.total_days && self.is_checked_in(*d)) {
            n += 1;
            day = d.succ_opt();
        }
        n
    }

    /// Checks the member in for the community-local day of `now`.
    pub fn check_in(
        &mut self,
        rules: &CheckinRules,
        now: Timestamp,
        tz: TimeZone,
    ) -> Result<CheckedIn, CheckinError> {
        let today = now.local_day(tz)?;
        let month = YearMonth::of(today)?;
        if self.is_checked_in(today) {
            return Err(CheckinError::AlreadyCheckedIn(today));
        }
        if let Some(run) = self.run.filter(|r| r.end > today) {
            return Err(CheckinError::LaterDayRecorded(run.end));
        }
        let continued = self.run.filter(|r| r.end.succ_opt() == Some(today));
        let previous = continued.map_or(0, Run::len);
        let start = continued.map_or(today, |r| r.start);
        self.mark(today, month, false);
        let run = Run { start, end: today };
        self.run = Some(run);
        let streak = run.len();
        self.longest = self.longest.max(streak);
        Ok(CheckedIn {
            date: today,
            cause: CauseKey::check_in(today),
            streak,
            longest_streak: self.longest,
            total_days: self.total_days,
            bonuses: rules.streak_bonuses.crossed(previous, streak, start),
        })
    }

    /// Fills the missed `day` with one make-up card, joining the runs on either side.
    pub fn make_up(
        &mut self,
        rules: &CheckinRules,
        day: NaiveDate,
        now: Timestamp,
        tz: TimeZone,
    ) -> Result<MadeUp, MakeupError> {
        if !rules.makeup.enabled {
            return Err(MakeupError::Disabled);
        }
        let today = now.local_day(tz)?;
        if day >= today {
            return Err(MakeupError::NotInThePast);
        }
        let window = u64::from(rules.makeup.window_days.get());
        let oldest = today
            .checked_sub_days(chrono::Days::new(window))
            .ok_or(DateOutOfRange)?;
        if day < oldest {
            return Err(MakeupError::OutsideWindow { oldest });
        }
        let month = YearMonth::of(day)?;
        if self.is_checked_in(day) {
            return Err(MakeupError::AlreadyCheckedIn(day));
        }
        if self.makeup_cards == 0 {
            return Err(MakeupError::NoCard);
        }
        let before = self.count_back(day.pred_opt());
        let after = self.count_forward(day.succ_opt());
        let start = day
            .checked_sub_days(chrono::Days::new(u64::from(before)))
            .ok_or(DateOutOfRange)?;
        let end = day
            .checked_add_days(chrono::Days::new(u64::from(after)))
            .ok_or(DateOutOfRange)?;
        self.mark(day, month, true);
        self.makeup_cards -= 1;
        let joined = Run { start, end };
        if self.run.is_none_or(|r| end >= r.end) {
            self.run = Some(joined);
        }
        self.longest = self.longest.max(joined.len());
        Ok(MadeUp {
            date: day,
            streak: self.current_streak(today),
            longest_streak: self.longest,
            total_days: self.total_days,
            cards_left: self.makeup_cards,
            bonuses: rules
                .streak_bonuses
                .crossed(before.max(after), joined.len(), start),
        })
    }

    /// Gives the member `n` make-up cards (staff, a reward, a level perk).
    pub fn grant_makeup_cards(&mut self, n: CardCount) -> Result<u32, GrantCardsError> {
        let held = self.makeup_cards.saturating_add(n.get());
        if held > MAX_CARDS_HELD {
            return Err(GrantCardsError::TooMany {
                held: self.makeup_cards,
            });
        }
        self.makeup_cards = held;
        Ok(held)
    }

    /// The member's check-in status as of `now`.
    pub fn status(
        &self,
        rules: &CheckinRules,
        now: Timestamp,
        tz: TimeZone,
    ) -> Result<CheckinStatus, DateOutOfRange> {
        let today = now.local_day(tz)?;
        let streak = self.current_streak(today);
        Ok(CheckinStatus {
            today,
            checked_in_today: self.is_checked_in(today),
            current_streak: streak,
            longest_streak: self.longest,
            total_days: self.total_days,
            makeup_cards: self.makeup_cards,
            makeup_enabled: rules.makeup.enabled,
            next_bonus: rules.streak_bonuses.next_after(streak).map(|b| NextBonus {
                days: b.days.get(),
                points: b.points.get(),
                days_to_go: b.days.get() - streak,
            }),
        })
    }

    /// Which days of `month` were checked in, made up, and could be made up now.
    pub fn calendar(
        &self,
        rules: &CheckinRules,
        month: YearMonth,
        now: Timestamp,
        tz: TimeZone,
    ) -> Result<CheckinCalendar, DateOutOfRange> {
        let today = now.local_day(tz)?;
        let oldest =
            today.checked_sub_days(chrono::Days::new(u64::from(rules.makeup.window_days.get())));
        let can_fill = rules.makeup.enabled && self.makeup_cards > 0;
        let mut calendar = CheckinCalendar {
            month,
            days_in_month: month.days(),
            today,
            checked_in: Vec::new(),
            made_up: Vec::new(),
            fillable: Vec::new(),
        };
        for d in 1..=month.days() {
            let Some(date) = NaiveDate::from_ymd_opt(month.year(), month.month(), d) else {
                continue;
            };
            if self.is_checked_in(date) {
                calendar.checked_in.push(d);
                if self.is_made_up(date) {
                    calendar.made_up.push(d);
                }
            } else if can_fill && date < today && oldest.is_some_and(|o| date >= o) {
                calendar.fillable.push(d);
            }
        }
        Ok(calendar)
    }
}

// ---- wire types ----

/// The next streak milestone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextBonus {
    pub days: u32,
    pub points: u32,
    /// Check-ins still needed, today's included.
    pub days_to_go: u32,
}

/// `GET …/me/checkin`: the member's check-in status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinStatus {
    /// The community-local date.
    pub today: NaiveDate,
    pub checked_in_today: bool,
    pub current_streak: u32,
    pub longest_streak: u32,
    pub total_days: u32,
    pub makeup_cards: u32,
    pub makeup_enabled: bool,
    pub next_bonus: Option<NextBonus>,
}

/// `GET …/me/checkin/calendar?month=2026-03`: days of the month, as day numbers 1–31.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CheckinCalendar {
    pub month: YearMonth,
    pub days_in_month: u32,
    pub today: NaiveDate,
    pub checked_in: Vec<u32>,
    /// The checked-in days that were filled with a make-up card.
    pub made_up: Vec<u32>,
    /// Missed days a card could fill now (empty without cards or with make-up off).
    pub fillable: Vec<u32>,
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use chrono::{NaiveDateTime, TimeZone as _};
    use proptest::prelude::*;

    use super::*;

    fn zone(name: &str) -> TimeZone {
        TimeZone::parse(name).unwrap()
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// The instant of a local wall-clock time (the earlier one if ambiguous).
    fn at(tz: &str, y: i32, m: u32, d: u32, h: u32, min: u32) -> Timestamp {
        let naive: NaiveDateTime = date(y, m, d).and_hms_opt(h, min, 0).unwrap();
        let local = zone(tz)
            .tz()
            .from_local_datetime(&naive)
            .earliest()
            .unwrap();
        Timestamp(local.timestamp_millis())
    }

    fn makeup_on(window: u32) -> CheckinRules {
        CheckinRules {
            makeup: MakeupRules {
                enabled: true,
                window_days: MakeupWindow::new(window).unwrap(),
            },
            ..CheckinRules::default()
        }
    }

    fn checked_in_days(
        state: &mut CheckinState,
        rules: &CheckinRules,
        tz: &str,
        days: &[NaiveDate],
    ) {
        for d in days {
            state
                .check_in(rules, at(tz, d.year(), d.month(), d.day(), 12, 0), zone(tz))
                .unwrap();
        }
    }

    fn run_of(start: NaiveDate, n: u32) -> Vec<NaiveDate> {
        start.iter_days().take(n as usize).collect()
    }

    #[test]
    fn a_second_check_in_on_the_same_local_day_is_refused() {
        let rules = CheckinRules::default();
        let mut state = CheckinState::new();
        let tz = "Asia/Shanghai";
        state
            .check_in(&rules, at(tz, 2026, 3, 2, 0, 1), zone(tz))
            .unwrap();
        let before = state.clone();
        let err = state
            .check_in(&rules, at(tz, 2026, 3, 2, 23, 59), zone(tz))
            .unwrap_err();
        assert_eq!(err, CheckinError::AlreadyCheckedIn(date(2026, 3, 2)));
        assert_eq!(ApiError::from(err).code, ErrorCode::AlreadyCheckedIn);
        assert_eq!(state, before);
    }

    #[test]
    fn local_days_follow_the_community_time_zone_across_midnight_and_dst() {
        // (zone, first instant, second instant, same local day?)
        let cases: &[(&str, Timestamp, Timestamp, bool)] = &[
            // Shanghai midnight is 16:00 UTC.
            (
                "Asia/Shanghai",
                Timestamp(1_772_380_800_000 - 1),
                Timestamp(1_772_380_800_000),
                false,
            ),
            // New York springs forward on 2026-03-08: a 23-hour day, still one day.
            (
                "America/New_York",
                at("America/New_York", 2026, 3, 8, 0, 5),
                at("America/New_York", 2026, 3, 8, 23, 55),
                true,
            ),
            // Berlin falls back on 2026-10-25: a 25-hour day; 00:30 and 23:30 are 24 h apart.
            (
                "Europe/Berlin",
                at("Europe/Berlin", 2026, 10, 25, 0, 30),
                at("Europe/Berlin", 2026, 10, 25, 0, 30).plus_millis(24 * Timestamp::HOUR),
                true,
            ),
            // Berlin springs forward on 2026-03-29: 23 hours later is already the next day.
            (
                "Europe/Berlin",
                at("Europe/Berlin", 2026, 3, 29, 0, 30),
                at("Europe/Berlin", 2026, 3, 29, 0, 30).plus_millis(23 * Timestamp::HOUR),
                false,
            ),
        ];
        let rules = CheckinRules::default();
        for &(tz, first, second, same) in cases {
            let mut state = CheckinState::new();
            state.check_in(&rules, first, zone(tz)).unwrap();
            let second = state.check_in(&rules, second, zone(tz));
            assert_eq!(second.is_err(), same, "{tz} {first:?} {second:?}");
            if let Ok(done) = second {
                assert_eq!(done.streak, 2, "{tz}");
            }
        }
    }

    #[test]
    fn the_streak_grows_on_consecutive_days_and_restarts_after_a_gap() {
        let rules = CheckinRules::default();
        let tz = "Asia/Shanghai";
        let mut state = CheckinState::new();
        // (day, streak after, longest after)
        let cases = [
            (date(2026, 2, 27), 1, 1),
            (date(2026, 2, 28), 2, 2),
            (date(2026, 3, 1), 3, 3),
            (date(2026, 3, 3), 1, 3),
            (date(2026, 3, 4), 2, 3),
        ];
        for (day, streak, longest) in cases {
            let done = state
                .check_in(
                    &rules,
                    at(tz, day.year(), day.month(), day.day(), 9, 0),
                    zone(tz),
                )
                .unwrap();
            assert_eq!(
                (done.streak, done.longest_streak),
                (streak, longest),
                "{day}"
            );
            assert_eq!(done.cause, CauseKey::check_in(day));
        }
        assert_eq!(state.total_days(), 5);
        // Yesterday's streak still counts before today's check-in; it is gone a day later.
        assert_eq!(state.current_streak(date(2026, 3, 5)), 2);
        assert_eq!(state.current_streak(date(2026, 3, 6)), 0);
    }

    #[test]
    fn a_check_in_for_a_day_before_the_latest_is_refused() {
        let rules = CheckinRules::default();
        let tz = "Asia/Shanghai";
        let mut state = CheckinState::new();
        state
            .check_in(&rules, at(tz, 2026, 3, 5, 9, 0), zone(tz))
            .unwrap();
        let err = state
            .check_in(&rules, at(tz, 2026, 3, 4, 9, 0), zone(tz))
            .unwrap_err();
        assert_eq!(err, CheckinError::LaterDayRecorded(date(2026, 3, 5)));
        assert_eq!(ApiError::from(err).code, ErrorCode::Conflict);
    }

    #[test]
    fn streak_bonuses_are_reported_when_a_milestone_is_reached() {
        let rules = CheckinRules::default();
        let tz = "Asia/Shanghai";
        let mut state = CheckinState::new();
        let start = date(2026, 1, 1);
        let mut earned = Vec::new();
        for d in run_of(start, 101) {
            let done = state
                .check_in(
                    &rules,
                    at(tz, d.year(), d.month(), d.day(), 20, 0),
                    zone(tz),
                )
                .unwrap();
            for b in done.bonuses {
                earned.push((
                    done.streak,
                    b.days.get(),
                    b.points.get(),
                    b.cause.to_string(),
                ));
            }
        }
        assert_eq!(
            earned,
            [
                (7, 7, 20, "streak:2026-01-01:7".to_owned()),
                (30, 30, 100, "streak:2026-01-01:30".to_owned()),
                (100, 100, 500, "streak:2026-01-01:100".to_owned()),
            ]
        );
    }

    #[test]
    fn streak_bonus_rules_are_parsed_sorted_and_without_duplicates() {
        let rules: CheckinRules = serde_json::from_value(serde_json::json!({
            "streak_bonuses": [{"days": 30, "points": 50}, {"days": 3, "points": 5}]
        }))
        .unwrap();
        let days: Vec<u32> = rules
            .streak_bonuses
            .as_slice()
            .iter()
            .map(|b| b.days.get())
            .collect();
        assert_eq!(days, [3, 30]);
        assert!(!rules.makeup.enabled, "make-up is off by default");
        let bad = [
            serde_json::json!({"streak_bonuses": [{"days": 7, "points": 1}, {"days": 7, "points": 2}]}),
            serde_json::json!({"streak_bonuses": [{"days": 0, "points": 1}]}),
            serde_json::json!({"makeup": {"enabled": true, "window_days": 0}}),
            serde_json::json!({"makeup": {"enabled": true, "window_days": 32}}),
            serde_json::json!({"surprise": 1}),
        ];
        for json in bad {
            assert!(
                serde_json::from_value::<CheckinRules>(json.clone()).is_err(),
                "{json}"
            );
        }
    }

    #[test]
    fn a_make_up_card_fills_a_missed_day_and_restores_the_streak() {
        let rules = makeup_on(3);
        let tz = "Europe/Berlin";
        let mut state = CheckinState::new();
        // Six days in a row, miss the 7th, check in on the 8th.
        checked_in_days(&mut state, &rules, tz, &run_of(date(2026, 3, 1), 6));
        checked_in_days(&mut state, &rules, tz, &[date(2026, 3, 8)]);
        assert_eq!(state.current_streak(date(2026, 3, 8)), 1);
        state
            .grant_makeup_cards(CardCount::new(1).unwrap())
            .unwrap();
        let done = state
            .make_up(
                &rules,
                date(2026, 3, 7),
                at(tz, 2026, 3, 8, 18, 0),
                zone(tz),
            )
            .unwrap();
        assert_eq!(done.streak, 8);
        assert_eq!(done.longest_streak, 8);
        assert_eq!(done.cards_left, 0);
        // The joined run crossed 7 days: its bonus is reported once, for the run's start.
        let bonuses: Vec<_> = done.bonuses.iter().map(|b| b.cause.to_string()).collect();
        assert_eq!(bonuses, ["streak:2026-03-01:7"]);
        // The next day continues the restored streak.
        checked_in_days(&mut state, &rules, tz, &[date(2026, 3, 9)]);
        assert_eq!(state.current_streak(date(2026, 3, 9)), 9);
        let calendar = state
            .calendar(
                &rules,
                YearMonth::parse("2026-03").unwrap(),
                at(tz, 2026, 3, 9, 19, 0),
                zone(tz),
            )
            .unwrap();
        assert_eq!(calendar.checked_in, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
        assert_eq!(calendar.made_up, [7]);
        assert_eq!(calendar.days_in_month, 31);
    }

    #[test]
    fn a_make_up_before_todays_check_in_keeps_the_streak_alive() {
        let rules = makeup_on(3);
        let tz = "Asia/Shanghai";
        let mut state = CheckinState::new();
        checked_in_days(&mut state, &rules, tz, &run_of(date(2026, 3, 1), 3));
        state
            .grant_makeup_cards(CardCount::new(2).unwrap())
            .unwrap();
        // Today is the 5th, the 4th was missed.
        let now = at(tz, 2026, 3, 5, 8, 0);
        assert_eq!(state.current_streak(date(2026, 3, 5)), 0);
        let done = state
            .make_up(&rules, date(2026, 3, 4), now, zone(tz))
            .unwrap();
        assert_eq!(done.streak, 4);
        let checked = state.check_in(&rules, now, zone(tz)).unwrap();
        assert_eq!(checked.streak, 5);
    }

    #[test]
    fn make_up_refusals_table() {
        let tz = "Asia/Shanghai";
        let now = at(tz, 2026, 3, 10, 12, 0);
        let mut base = CheckinState::new();
        checked_in_days(&mut base, &makeup_on(3), tz, &[date(2026, 3, 8)]);
        let mut with_card = base.clone();
        with_card
            .grant_makeup_cards(CardCount::new(1).unwrap())
            .unwrap();
        let cases: Vec<(
            CheckinRules,
            &CheckinState,
            NaiveDate,
            MakeupError,
            ErrorCode,
        )> = vec![
            (
                CheckinRules::default(),
                &with_card,
                date(2026, 3, 9),
                MakeupError::Disabled,
                ErrorCode::Forbidden,
            ),
            (
                makeup_on(3),
                &with_card,
                date(2026, 3, 10),
                MakeupError::NotInThePast,
                ErrorCode::InvalidInput,
            ),
            (
                makeup_on(3),
                &with_card,
                date(2026, 3, 11),
                MakeupError::NotInThePast,
                ErrorCode::InvalidInput,
            ),
            (
                makeup_on(3),
                &with_card,
                date(2026, 3, 6),
                MakeupError::OutsideWindow {
                    oldest: date(2026, 3, 7),
                },
                ErrorCode::InvalidInput,
            ),
            (
                makeup_on(3),
                &with_card,
                date(2026, 3, 8),
                MakeupError::AlreadyCheckedIn(date(2026, 3, 8)),
                ErrorCode::AlreadyCheckedIn,
            ),
            (
                makeup_on(3),
                &base,
                date(2026, 3, 9),
                MakeupError::NoCard,
                ErrorCode::Conflict,
            ),
        ];
        for (rules, state, day, want, code) in cases {
            let mut state = state.clone();
            let before = state.clone();
            let err = state.make_up(&rules, day, now, zone(tz)).unwrap_err();
            assert_eq!(err, want, "{day}");
            assert_eq!(ApiError::from(err).code, code, "{day}");
            assert_eq!(state, before, "a refusal changes nothing");
        }
        // The oldest day in the window is allowed.
        let mut state = with_card.clone();
        assert!(
            state
                .make_up(&makeup_on(3), date(2026, 3, 7), now, zone(tz))
                .is_ok()
        );
    }

    #[test]
    fn cards_are_capped_at_ninety_nine() {
        let mut state = CheckinState::new();
        assert_eq!(
            state.grant_makeup_cards(CardCount::new(99).unwrap()),
            Ok(99)
        );
        let err = state
            .grant_makeup_cards(CardCount::new(1).unwrap())
            .unwrap_err();
        assert_eq!(err, GrantCardsError::TooMany { held: 99 });
        assert_eq!(state.makeup_cards(), 99);
        assert!(CardCount::new(0).is_err());
    }

    #[test]
    fn status_reports_the_next_bonus_and_todays_state() {
        let rules = CheckinRules::default();
        let tz = "America/New_York";
        let mut state = CheckinState::new();
        checked_in_days(&mut state, &rules, tz, &run_of(date(2026, 3, 1), 5));
        let status = state
            .status(&rules, at(tz, 2026, 3, 6, 7, 0), zone(tz))
            .unwrap();
        assert_eq!(status.today, date(2026, 3, 6));
        assert!(!status.checked_in_today);
        assert_eq!(status.current_streak, 5);
        assert_eq!(
            status.next_bonus,
            Some(NextBonus {
                days: 7,
                points: 20,
                days_to_go: 2
            })
        );
        let json = serde_json::to_value(&status).unwrap();
        assert_eq!(json["today"], "2026-03-06");
        assert_eq!(json["next_bonus"]["days_to_go"], 2);
    }

    #[test]
    fn the_calendar_lists_fillable_days_only_with_cards_and_make_up_on() {
        let tz = "Asia/Shanghai";
        let now = at(tz, 2026, 3, 3, 12, 0);
        let month = YearMonth::parse("2026-03").unwrap();
        let mut state = CheckinState::new();
        checked_in_days(&mut state, &makeup_on(5), tz, &[date(2026, 3, 2)]);
        assert!(
            state
                .calendar(&makeup_on(5), month, now, zone(tz))
                .unwrap()
                .fillable
                .is_empty()
        );
        state
            .grant_makeup_cards(CardCount::new(1).unwrap())
            .unwrap();
        let cal = state.calendar(&makeup_on(5), month, now, zone(tz)).unwrap();
        assert_eq!(cal.fillable, [1]);
        let feb = state
            .calendar(
                &makeup_on(5),
                YearMonth::parse("2026-02").unwrap(),
                now,
                zone(tz),
            )
            .unwrap();
        assert_eq!(feb.days_in_month, 28);
        assert_eq!(feb.fillable, [26, 27, 28]);
        assert!(
            state
                .calendar(&CheckinRules::default(), month, now, zone(tz))
                .unwrap()
                .fillable
                .is_empty()
        );
    }

    #[test]
    fn year_month_table() {
        let cases: &[(&str, Option<u32>)] = &[
            ("2026-03", Some(31)),
            ("2026-02", Some(28)),
            ("2028-02", Some(29)),
            ("2026-12", Some(31)),
            ("2026-04", Some(30)),
            ("2026-13", None),
            ("2026-00", None),
            ("1969-12", None),
            ("2026-3", None),
            ("26-03", None),
            ("2026/03", None),
            ("+026-03", None),
        ];
        for &(raw, days) in cases {
            assert_eq!(
                YearMonth::parse(raw).ok().map(YearMonth::days),
                days,
                "{raw}"
            );
        }
        assert_eq!(YearMonth::parse("2026-03").unwrap().to_string(), "2026-03");
    }

    #[test]
    fn the_state_is_small_and_round_trips_through_json() {
        let rules = CheckinRules::default();
        let tz = "Asia/Shanghai";
        let mut state = CheckinState::new();
        checked_in_days(&mut state, &rules, tz, &run_of(date(2025, 1, 1), 365));
        let json = serde_json::to_string(&state).unwrap();
        assert!(
            json.len() < 600,
            "a year of daily check-ins takes {} bytes",
            json.len()
        );
        assert_eq!(serde_json::from_str::<CheckinState>(&json).unwrap(), state);
        assert_eq!(state.longest_streak(), 365);
    }

    // ---- properties ----

    /// The run of consecutive days in `days` ending at `end`.
    fn model_run(days: &BTreeSet<NaiveDate>, end: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = Some(end);
        while let Some(day) = d.filter(|x| days.contains(x)) {
            n += 1;
            d = day.pred_opt();
        }
        n
    }

    fn model_longest(days: &BTreeSet<NaiveDate>) -> u32 {
        days.iter().map(|d| model_run(days, *d)).max().unwrap_or(0)
    }

    #[derive(Debug, Clone)]
    enum Op {
        /// Move the clock forward by this many minutes and check in.
        CheckIn(u32),
        /// Move the clock forward and try to fill the day this many days back.
        MakeUp(u32, u32),
        GrantCard,
    }

    fn op() -> impl Strategy<Value = Op> {
        // Steps up to ~50 hours: many land on the same day, some skip days.
        prop_oneof![
            6 => (0u32..3_000).prop_map(Op::CheckIn),
            2 => ((0u32..1_500), (1u32..6)).prop_map(|(m, back)| Op::MakeUp(m, back)),
            1 => Just(Op::GrantCard),
        ]
    }

    /// Starting instants just before DST changes and a Shanghai midnight.
    fn start() -> impl Strategy<Value = (&'static str, Timestamp)> {
        prop_oneof![
            Just((
                "America/New_York",
                at("America/New_York", 2026, 3, 6, 22, 0)
            )),
            Just((
                "America/New_York",
                at("America/New_York", 2026, 10, 30, 22, 0)
            )),
            Just(("Europe/Berlin", at("Europe/Berlin", 2026, 3, 27, 22, 0))),
            Just(("Europe/Berlin", at("Europe/Berlin", 2026, 10, 23, 22, 0))),
            Just(("Asia/Shanghai", at("Asia/Shanghai", 2026, 3, 1, 23, 0))),
        ]
        .prop_flat_map(|(tz, t)| {
            (
                Just(tz),
                (0i64..48 * 60).prop_map(move |m| t.plus_millis(m * Timestamp::MINUTE)),
            )
        })
    }

    proptest! {
        #[test]
        fn check_in_invariants_hold_over_random_instants(
            (tz_name, t0) in start(),
            ops in proptest::collection::vec(op(), 1..80),
            makeup in any::<bool>(),
        ) {
            let tz = zone(tz_name);
            let rules = if makeup { makeup_on(3) } else { CheckinRules::default() };
            let mut state = CheckinState::new();
            let mut days: BTreeSet<NaiveDate> = BTreeSet::new();
            let mut cards = 0u32;
            let mut now = t0;
            for op in ops {
                match op {
                    Op::CheckIn(minutes) => {
                        now = now.plus_millis(i64::from(minutes) * Timestamp::MINUTE);
                        let today = now.local_day(tz).unwrap();
                        let result = state.check_in(&rules, now, tz);
                        // Never two check-ins on one local day; a new day always succeeds.
                        prop_assert_eq!(result.is_ok(), !days.contains(&today));
                        if let Ok(done) = result {
                            days.insert(today);
                            prop_assert_eq!(done.date, today);
                            prop_assert_eq!(done.streak, model_run(&days, today));
                        }
                    }
                    Op::MakeUp(minutes, back) => {
                        now = now.plus_millis(i64::from(minutes) * Timestamp::MINUTE);
                        let today = now.local_day(tz).unwrap();
                        let day = today - chrono::Days::new(u64::from(back));
                        let allowed = makeup && back <= 3 && cards > 0 && !days.contains(&day);
                        let result = state.make_up(&rules, day, now, tz);
                        prop_assert_eq!(result.is_ok(), allowed, "{:?}", result);
                        if result.is_ok() {
                            days.insert(day);
                            cards -= 1;
                        }
                    }
                    Op::GrantCard => {
                        if state.grant_makeup_cards(CardCount::new(1).unwrap()).is_ok() {
                            cards += 1;
                        }
                    }
                }
                let today = now.local_day(tz).unwrap();
                let yesterday = today.pred_opt().unwrap();
                let expected = if days.contains(&today) {
                    model_run(&days, today)
                } else {
                    model_run(&days, yesterday)
                };
                prop_assert_eq!(state.current_streak(today), expected);
                prop_assert!(state.longest_streak() >= state.current_streak(today));
                prop_assert_eq!(state.longest_streak(), model_longest(&days));
                prop_assert_eq!(state.total_days() as usize, days.len());
                prop_assert_eq!(state.makeup_cards(), cards);
                for d in &days {
                    prop_assert!(state.is_checked_in(*d));
                }
            }
            let back: CheckinState = serde_json::from_str(&serde_json::to_string(&state).unwrap()).unwrap();
            prop_assert_eq!(back, state);
        }

        #[test]
        fn each_milestone_of_a_run_is_reported_once(
            gaps in proptest::collection::vec(prop_oneof![8 => Just(1u64), 1 => 2u64..4], 1..160),
        ) {
            let rules = CheckinRules {
                streak_bonuses: StreakBonuses::new(
                    [3u32, 7, 30, 100].iter().map(|&d| StreakBonus {
                        days: StreakDays::new(d).unwrap(),
                        points: Points::new(d).unwrap(),
                    }).collect(),
                ).unwrap(),
                ..CheckinRules::default()
            };
            let tz = zone("Asia/Shanghai");
            let mut state = CheckinState::new();
            let mut day = date(2026, 1, 1);
            let mut causes = BTreeSet::new();
            for gap in gaps {
                day = day + chrono::Days::new(gap);
                let done = state.check_in(&rules, at("Asia/Shanghai", day.year(), day.month(), day.day(), 12, 0), tz).unwrap();
                for b in done.bonuses {
                    prop_assert_eq!(b.days.get(), done.streak);
                    prop_assert!(causes.insert(b.cause), "a bonus cause was reported twice");
                }
            }
        }
    }
}
