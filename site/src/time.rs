//! Instants as a community's people read them: in the community's time zone, whatever the
//! marketer's computer is set to.

use chrono::{NaiveDateTime, TimeZone as _};
use quanzi_core::community::TimeZone;
use quanzi_core::time::Timestamp;

/// The `<input type="datetime-local">` format.
const INPUT: &str = "%Y-%m-%dT%H:%M";

/// `2026-03-05 19:30` in `tz`.
pub fn show(at: Timestamp, tz: TimeZone) -> String {
    at.utc()
        .map(|t| {
            t.with_timezone(&tz.tz())
                .format("%Y-%m-%d %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// The value of a `datetime-local` input showing `at` in `tz`.
pub fn to_input(at: Timestamp, tz: TimeZone) -> String {
    at.utc()
        .map(|t| t.with_timezone(&tz.tz()).format(INPUT).to_string())
        .unwrap_or_default()
}

/// Reads a `datetime-local` value as a wall-clock time in `tz`. In the hour a DST change
/// repeats, the earlier instant; a time the change skips is `None`.
pub fn from_input(raw: &str, tz: TimeZone) -> Option<Timestamp> {
    let raw = raw.trim();
    let naive = NaiveDateTime::parse_from_str(raw, INPUT)
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    let local = tz.tz().from_local_datetime(&naive).earliest()?;
    Some(Timestamp(local.timestamp_millis()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wall_clock_times_are_read_in_the_communitys_zone() {
        let shanghai = TimeZone::parse("Asia/Shanghai").unwrap();
        let berlin = TimeZone::parse("Europe/Berlin").unwrap();
        // 2026-03-05 19:30 in Shanghai is 11:30 UTC.
        let at = from_input("2026-03-05T19:30", shanghai).unwrap();
        assert_eq!(at, Timestamp(1_772_710_200_000));
        assert_eq!(to_input(at, shanghai), "2026-03-05T19:30");
        assert_eq!(show(at, berlin), "2026-03-05 12:30");
        assert_eq!(from_input("2026-03-05T19:30:00", shanghai), Some(at));
        // 02:30 on 2026-03-29 does not exist in Berlin (clocks jump from 02:00 to 03:00).
        assert_eq!(from_input("2026-03-29T02:30", berlin), None);
        assert_eq!(from_input("tomorrow", shanghai), None);
        assert_eq!(from_input("", shanghai), None);
    }
}
