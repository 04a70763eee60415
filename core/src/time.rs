//! Instants come in from outside (the worker's clock, a test's fixed value); nothing in core
//! reads a clock.

use chrono::{DateTime, NaiveDate, TimeZone as _, Utc};
use serde::{Deserialize, Serialize};

use crate::community::TimeZone;

/// Milliseconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    pub const MINUTE: i64 = 60_000;
    pub const HOUR: i64 = 60 * Self::MINUTE;
    pub const DAY: i64 = 24 * Self::HOUR;

    pub fn millis(self) -> i64 {
        self.0
    }

    /// This instant in UTC; `None` only for instants chrono cannot represent.
    pub fn utc(self) -> Option<DateTime<Utc>> {
        Utc.timestamp_millis_opt(self.0).single()
    }

    /// The calendar day this instant falls on in `tz` (the community's "today").
    pub fn local_date(self, tz: TimeZone) -> Option<NaiveDate> {
        self.utc().map(|t| t.with_timezone(&tz.tz()).date_naive())
    }

    pub fn plus_millis(self, ms: i64) -> Self {
        Self(self.0.saturating_add(ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_date_follows_the_time_zone() {
        // 2026-03-01 17:30 UTC is 2026-03-02 01:30 in Shanghai and still 03-01 in New York.
        let t = Timestamp(1_772_386_200_000);
        let shanghai = TimeZone::parse("Asia/Shanghai").unwrap();
        let new_york = TimeZone::parse("America/New_York").unwrap();
        assert_eq!(t.local_date(shanghai), NaiveDate::from_ymd_opt(2026, 3, 2));
        assert_eq!(t.local_date(new_york), NaiveDate::from_ymd_opt(2026, 3, 1));
    }
}
