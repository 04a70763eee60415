//! Insight: the numbers community operations lives on — daily, weekly and monthly active
//! members, new members and what members did, retention by join cohort, contribution
//! tiers, the most engaged threads, topics and events, check-in streaks, churn risk, and
//! saved segments of members.
//!
//! # Kept up to date in the batch of each action
//!
//! `app::Change::commit` turns the activity of a use case into [`rollup::Fact`]s and folds
//! them into the stored rollups in the same batch ([`rollup::Rollups::apply`]); no
//! dashboard read scans the activity log. Storage (all under `insight/`):
//!
//! | key | value | written |
//! | --- | --- | --- |
//! | `insight/member/{member}` | [`rollup::Trail`]: first, last and join day, events attended | on a member's first action of a day, a join, an attendance |
//! | `insight/quiet/{inverted day}/{member}` | the member's last active day | moved with the trail's last day: the churn list, most recently active first |
//! | `insight/day/{yyyy-mm-dd}` | [`rollup::DayRollup`]: active members, actions by kind, check-ins by streak, and who came back after how long | every action (today's), a member's first action of a day (their previous day's) |
//! | `insight/week/{yyyy-Www}`, `insight/month/{yyyy-mm}` | [`rollup::PeriodRollup`]: distinct active members | a member's first action of the week / month |
//! | `insight/cohort/{yyyy-Www}` | [`rollup::Cohort`]: joined that week, back in week + 2, back within the month after | a join; a cohort member's first action of a week in the following four |
//! | `insight/engage/{yyyy-Www}/{thread\|topic\|event}/{id}` | [`rollup::Engagement`] | a post, reply, reaction or accepted answer (thread and its topic); a sign-up or attendance (event) |
//! | `insight/totals` | `u32`: members with a trail | a member's first action ever |
//! | `insight/segment/{id}` | [`segment::Segment`] | by staff |
//!
//! ## What one action costs
//!
//! The batch's members' trails are read first (one get each); they alone decide which
//! cells the actions touch, which are then read (one get each) and written back if they
//! changed. For one action by one member:
//!
//! * **again the same day** (the common case): gets `insight/member/…` and today's
//!   `insight/day/…`, puts the day; plus, for talk, the thread's and its topic's
//!   `insight/engage/…` (get and put each; the thread's topic is read from the batch, which
//!   holds the thread the action wrote), for an event, the event's. So 2–4 gets, 1–3 puts.
//! * **the member's first action of the day** adds: the trail (put), the previous active
//!   day's rollup (get, put), the quiet index (one delete, one put); the first of a week or
//!   month adds that period (get, put); a cohort member's first of a week in the four after
//!   joining adds the cohort (get, put); a new member adds `insight/totals` (get, put).
//!   At most about 10 gets and 10 puts.
//!
//! # Read when asked
//!
//! * Overview, streaks: one list of `insight/day/` over the range (≤ 92 days), one of weeks
//!   and months.
//! * Churn risk count: one list of `insight/day/` from the first day (one key per day the
//!   community has existed), folded by [`rollup::at_risk`] for any quiet period; the list:
//!   one page of `insight/quiet/` (members who went quiet most recently first).
//! * Tiers ([`tiers`]): lists the all-time leaderboard (one key per member with points).
//! * Top items: lists one week's `insight/engage/{week}/{kind}/` (one key per item touched
//!   that week).
//! * Segments ([`segment`]): scan the member index, one key per member, and read only
//!   what the filter names for members the trail does not decide.

pub mod period;
pub mod rollup;
pub mod script;
pub mod segment;
pub mod tiers;

pub use period::{Month, Week};
pub use rollup::{Fact, ItemKind, Rollups};

/// The storage keys of insight (see the table above).
pub mod keys {
    use chrono::{Datelike, NaiveDate};

    use super::period::{Month, Week};
    use super::rollup::ItemKind;
    use super::segment::SegmentId;
    use crate::ids::MemberId;

    pub const TOTALS: &str = "insight/totals";
    pub const TRAILS: &str = "insight/member/";
    pub const QUIET: &str = "insight/quiet/";
    pub const DAYS: &str = "insight/day/";
    pub const WEEKS: &str = "insight/week/";
    pub const MONTHS: &str = "insight/month/";
    pub const COHORTS: &str = "insight/cohort/";
    pub const ENGAGEMENT: &str = "insight/engage/";
    pub const SEGMENTS: &str = "insight/segment/";

    pub fn trail(member: &MemberId) -> String {
        format!("{TRAILS}{member}")
    }

    /// Later days sort first.
    pub fn inverted(day: NaiveDate) -> String {
        format!("{:07}", 9_999_999 - day.num_days_from_ce())
    }

    pub fn quiet(day: NaiveDate, member: &MemberId) -> String {
        format!("{QUIET}{}/{member}", inverted(day))
    }

    /// The `start_after` of the quiet list for members last active on `day` or before.
    pub fn quiet_from(day: NaiveDate) -> String {
        format!("{QUIET}{}", inverted(day))
    }

    pub fn day(day: NaiveDate) -> String {
        format!("{DAYS}{day}")
    }

    pub fn week(week: &Week) -> String {
        format!("{WEEKS}{week}")
    }

    pub fn month(month: &Month) -> String {
        format!("{MONTHS}{month}")
    }

    pub fn cohort(week: &Week) -> String {
        format!("{COHORTS}{week}")
    }

    pub fn engagement_prefix(week: &Week, kind: ItemKind) -> String {
        format!("{ENGAGEMENT}{week}/{}/", kind.as_str())
    }

    pub fn engagement(week: &Week, kind: ItemKind, id: &str) -> String {
        format!("{}{id}", engagement_prefix(week, kind))
    }

    pub fn segment(id: &SegmentId) -> String {
        format!("{SEGMENTS}{id}")
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::keys;
    use crate::ids::MemberId;

    #[test]
    fn the_quiet_index_lists_later_days_first_and_starts_at_a_cutoff() {
        let m = MemberId::parse("m").unwrap();
        let d = |n| NaiveDate::from_ymd_opt(2026, 9, n).unwrap();
        let (early, late) = (keys::quiet(d(1), &m), keys::quiet(d(20), &m));
        assert!(late < early);
        // Listing after `quiet_from(cutoff)` yields the cutoff day and every earlier one.
        let from = keys::quiet_from(d(10));
        assert!(keys::quiet(d(10), &m) > from);
        assert!(keys::quiet(d(9), &m) > from);
        assert!(keys::quiet(d(11), &m) < from);
    }
}
