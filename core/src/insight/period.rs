//! Calendar periods of the community-local day: ISO weeks (`2026-W39`) and months
//! (`2026-09`). Both are text on the wire and in storage keys, and sort chronologically as
//! text (four-digit years, two-digit weeks and months).

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::ids::{ParseError, string_newtype};

string_newtype! {
    /// An ISO 8601 week, `2026-W39`: Monday to Sunday; the first week of a year is the one
    /// with its first Thursday.
    #[derive(PartialOrd, Ord)]
    pub struct Week;
}

const WEEK: ParseError = ParseError::Invalid {
    what: "the week",
    why: "use an ISO week such as 2026-W39",
};

impl Week {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let (year, week) = raw.split_once("-W").ok_or(WEEK)?;
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(week, 2) {
            return Err(WEEK);
        }
        let year: i32 = year.parse().map_err(|_| WEEK)?;
        let week: u32 = week.parse().map_err(|_| WEEK)?;
        NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).ok_or(WEEK)?;
        Ok(Self(raw.to_owned()))
    }

    /// The week `day` falls in.
    pub fn of(day: NaiveDate) -> Self {
        let week = day.iso_week();
        Self(format!("{:04}-W{:02}", week.year(), week.week()))
    }

    /// Its Monday.
    pub fn monday(&self) -> NaiveDate {
        let parsed = self.0.split_once("-W").and_then(|(y, w)| {
            NaiveDate::from_isoywd_opt(y.parse().ok()?, w.parse().ok()?, Weekday::Mon)
        });
        // Every `Week` was parsed or built from a date, so this is always `Some`.
        parsed.unwrap_or(NaiveDate::MIN)
    }

    /// The week `n` weeks later (earlier for negative `n`).
    pub fn plus(&self, n: i64) -> Self {
        Self::of(self.monday() + Duration::weeks(n))
    }

    /// Whole weeks from `self` to `later` (negative if `later` is earlier).
    pub fn weeks_until(&self, later: &Week) -> i64 {
        (later.monday() - self.monday()).num_weeks()
    }
}

string_newtype! {
    /// A calendar month, `2026-09`.
    #[derive(PartialOrd, Ord)]
    pub struct Month;
}

impl Month {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const BAD: ParseError = ParseError::Invalid {
            what: "the month",
            why: "use a month such as 2026-09",
        };
        let (year, month) = raw.split_once('-').ok_or(BAD)?;
        let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(year, 4) || !digits(month, 2) {
            return Err(BAD);
        }
        let year: i32 = year.parse().map_err(|_| BAD)?;
        let month: u32 = month.parse().map_err(|_| BAD)?;
        NaiveDate::from_ymd_opt(year, month, 1).ok_or(BAD)?;
        Ok(Self(raw.to_owned()))
    }

    /// The month `day` falls in.
    pub fn of(day: NaiveDate) -> Self {
        Self(format!("{:04}-{:02}", day.year(), day.month()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn weeks_follow_iso_8601_across_years() {
        let cases = [
            (day(2026, 9, 25), "2026-W39"),
            (day(2026, 1, 1), "2026-W01"),
            // 2027-01-01 is a Friday: still the last week of 2026.
            (day(2027, 1, 1), "2026-W53"),
            (day(2024, 12, 30), "2025-W01"),
        ];
        for (date, want) in cases {
            assert_eq!(Week::of(date).as_str(), want, "{date}");
            assert_eq!(Week::parse(want).unwrap(), Week::of(date));
            assert!(Week::of(date).monday() <= date);
        }
        let w = Week::parse("2026-W52").unwrap();
        assert_eq!(w.plus(2).as_str(), "2027-W01", "2026 has 53 weeks");
        assert_eq!(w.weeks_until(&w.plus(2)), 2);
        assert_eq!(w.plus(-52).as_str(), "2025-W52");
    }

    #[test]
    fn bad_weeks_and_months_are_refused() {
        for bad in [
            "2026-W54", "2025-W53", "2026-w01", "26-W01", "2026-W1", "2026-01", "",
        ] {
            assert!(Week::parse(bad).is_err(), "{bad}");
        }
        for bad in ["2026-13", "2026-00", "2026-9", "2026-W09", "x"] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Month::of(day(2026, 9, 25)),
            Month::parse("2026-09").unwrap()
        );
    }
}
