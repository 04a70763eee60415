//! Instants come in from outside (the worker's clock, a test's fixed value); nothing in core
//! reads a clock.

use chrono::{DateTime, Datelike, NaiveDate, TimeZone as _, Utc};
use serde::{Deserialize, Serialize};

use crate::community::TimeZone;
use crate::error::ApiError;

/// The first year core supports.
pub const MIN_YEAR: i32 = 1970;
/// The last year core supports.
pub const MAX_YEAR: i32 = 9999;

/// The instant or date lies outside the years 1970–9999 that core supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the date is outside the supported range (1970–9999)")]
pub struct DateOutOfRange;

impl From<DateOutOfRange> for ApiError {
    fn from(e: DateOutOfRange) -> Self {
        ApiError::invalid(e.to_string())
    }
}

/// Milliseconds since the Unix epoch, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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

    /// The calendar day this instant falls on in `tz` (the community's "today"), within
    /// the years [`MIN_YEAR`]–[`MAX_YEAR`].
    pub fn local_day(self, tz: TimeZone) -> Result<NaiveDate, DateOutOfRange> {
        self.utc()
            .map(|t| t.with_timezone(&tz.tz()).date_naive())
            .filter(|day| (MIN_YEAR..=MAX_YEAR).contains(&day.year()))
            .ok_or(DateOutOfRange)
    }

    pub fn plus_millis(self, ms: i64) -> Self {
        Self(self.0.saturating_add(ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_day_follows_the_time_zone_within_the_supported_years() {
        // 2026-03-01 17:30 UTC is 2026-03-02 01:30 in Shanghai and still 03-01 in New York.
        let t = Timestamp(1_772_386_200_000);
        let shanghai = TimeZone::parse("Asia/Shanghai").unwrap();
        let new_york = TimeZone::parse("America/New_York").unwrap();
        assert_eq!(
            t.local_day(shanghai).ok(),
            NaiveDate::from_ymd_opt(2026, 3, 2)
        );
        assert_eq!(
            t.local_day(new_york).ok(),
            NaiveDate::from_ymd_opt(2026, 3, 1)
        );
        // The epoch is already 1970-01-01 in Shanghai but still 1969 in New York.
        assert_eq!(
            Timestamp(0).local_day(shanghai).ok(),
            NaiveDate::from_ymd_opt(1970, 1, 1)
        );
        assert_eq!(Timestamp(0).local_day(new_york), Err(DateOutOfRange));
        assert_eq!(Timestamp(i64::MAX).local_day(shanghai), Err(DateOutOfRange));
    }
}
