//! Numbers and instants as the member's language writes them. Numbers are grouped here:
//! zh-CN and en both group thousands with a comma, so no tables are needed. Instants (ms
//! since the epoch, as the wire carries them) go through the browser's `Intl` in the
//! community's time zone, so the widget ships no calendar or time-zone code of its own.

use js_sys::{JsString, Object, Reflect};
use quanzi_core::community::Locale;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// JS `Date`, bound here for a `toLocaleString` that may throw (a time zone the browser
    /// does not know) without taking the widget down.
    #[wasm_bindgen(js_name = Date)]
    type JsDate;

    #[wasm_bindgen(constructor, js_class = "Date")]
    fn new(millis: f64) -> JsDate;

    #[wasm_bindgen(method, catch, js_class = "Date", js_name = toLocaleString)]
    fn to_locale_string_checked(
        this: &JsDate,
        locale: &str,
        options: &JsValue,
    ) -> Result<JsString, JsValue>;
}

pub use quanzi_shell::number;

/// A change of points with its sign: `+5`, `−20` (a true minus sign), `0`.
pub fn signed(delta: i64) -> String {
    let size = number(delta.unsigned_abs());
    match delta.signum() {
        1 => format!("+{size}"),
        -1 => format!("\u{2212}{size}"),
        _ => size,
    }
}

/// How much of an instant to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// `3月5日周四` / `Thu, Mar 5`.
    Day,
    /// `3月5日` / `Mar 5`.
    Date,
    /// `14:00`.
    Time,
    /// `3月5日 14:00` / `Mar 5, 14:00`.
    DayTime,
    /// `3月` / `Mar`: the top of an event's calendar leaf.
    Month,
}

fn tag(locale: Locale) -> &'static str {
    match locale {
        Locale::ZhCn => "zh-CN",
        Locale::En => "en",
    }
}

fn options(style: Style, time_zone: &str) -> Object {
    let o = Object::new();
    let set = |k: &str, v: &str| {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&o, &JsValue::from_str(k), &JsValue::from_str(v));
    };
    if !time_zone.is_empty() {
        set("timeZone", time_zone);
    }
    match style {
        Style::Day => {
            set("weekday", "short");
            set("month", "short");
            set("day", "numeric");
        }
        Style::Date => {
            set("month", "short");
            set("day", "numeric");
        }
        Style::Time => {
            set("hour", "2-digit");
            set("minute", "2-digit");
            set("hourCycle", "h23");
        }
        Style::DayTime => {
            set("month", "short");
            set("day", "numeric");
            set("hour", "2-digit");
            set("minute", "2-digit");
            set("hourCycle", "h23");
        }
        Style::Month => set("month", "short"),
    }
    o
}

/// `millis` in the community's `time_zone` (the viewer's own if the browser does not know it).
pub fn instant(millis: i64, locale: Locale, time_zone: &str, style: Style) -> String {
    // f64 holds every millisecond count up to 2^53, far past the year 9999.
    let date = JsDate::new(millis as f64);
    date.to_locale_string_checked(tag(locale), &options(style, time_zone))
        .or_else(|_| date.to_locale_string_checked(tag(locale), &options(style, "")))
        .map(String::from)
        .unwrap_or_default()
}

/// The day of the month alone, as digits (the big number of an event's calendar leaf).
pub fn day_of_month(millis: i64, time_zone: &str) -> String {
    let o = options(Style::Month, time_zone);
    let _ = Reflect::delete_property(&o, &JsValue::from_str("month"));
    let _ = Reflect::set(&o, &JsValue::from_str("day"), &JsValue::from_str("numeric"));
    let date = JsDate::new(millis as f64);
    // `en` writes the bare number; zh-CN would add 日.
    date.to_locale_string_checked("en", &o)
        .map(String::from)
        .unwrap_or_default()
}

/// An event's time: `3月5日周四 14:00–16:00`, or both ends in full when it spans days.
pub fn span(starts: i64, ends: i64, locale: Locale, time_zone: &str) -> String {
    let day = |t| instant(t, locale, time_zone, Style::Day);
    let time = |t| instant(t, locale, time_zone, Style::Time);
    if day(starts) == day(ends) {
        format!("{} {}–{}", day(starts), time(starts), time(ends))
    } else {
        format!(
            "{} {} – {} {}",
            day(starts),
            time(starts),
            day(ends),
            time(ends)
        )
    }
}

/// Milliseconds since the epoch, now, by the browser's clock.
pub fn now() -> i64 {
    js_sys::Date::now() as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_carry_their_sign() {
        assert_eq!(signed(5), "+5");
        assert_eq!(signed(-1_200), "\u{2212}1,200");
        assert_eq!(signed(0), "0");
        assert_eq!(signed(i64::MIN), "\u{2212}9,223,372,036,854,775,808");
    }
}
