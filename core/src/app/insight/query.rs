//! Query strings into commands: the worker hands over the route's view and the query's
//! pairs, and core parses them with its own types (dates, weeks, cursors), so that every
//! parameter is checked in one place and a bad one gets a clear `invalid_input`.

use serde_json::{Map, Value};

use crate::error::ApiError;
use crate::insight::segment::SegmentId;

use super::InsightCommand;

/// A read that takes a query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    Overview,
    Retention,
    Tiers,
    Top,
    Streaks,
    Churn,
    ChurnMembers,
    SegmentMembers(SegmentId),
}

/// The parameters each view takes (`format=csv` is the worker's, and allowed everywhere).
fn allowed(view: &View) -> &'static [&'static str] {
    match view {
        View::Overview | View::Streaks => &["from", "to"],
        View::Retention => &["from", "to"],
        View::Tiers => &[],
        View::Top => &["kind", "week", "limit"],
        View::Churn => &["quiet_days", "from", "to"],
        View::ChurnMembers => &["quiet_days", "cursor", "limit"],
        View::SegmentMembers(_) => &["cursor", "limit"],
    }
}

/// Parameters whose values are numbers.
const NUMBERS: [&str; 2] = ["limit", "quiet_days"];

/// The command `view` asks for with the query `pairs`.
pub fn command_from_query(
    view: View,
    pairs: &[(String, String)],
) -> Result<InsightCommand, ApiError> {
    let allowed = allowed(&view);
    let mut fields = Map::new();
    for (name, value) in pairs {
        if name == "format" {
            if value != "csv" && value != "json" {
                return Err(ApiError::invalid("`format` is `csv` or `json`"));
            }
            continue;
        }
        if !allowed.contains(&name.as_str()) {
            let known = if allowed.is_empty() {
                "none".to_owned()
            } else {
                allowed.join(", ")
            };
            return Err(ApiError::invalid(format!(
                "unknown parameter `{name}` (this view takes: {known})"
            )));
        }
        if fields.contains_key(name) {
            return Err(ApiError::invalid(format!("`{name}` is given twice")));
        }
        if value.is_empty() {
            continue;
        }
        let value = if NUMBERS.contains(&name.as_str()) {
            let n: u32 = value
                .parse()
                .map_err(|_| ApiError::invalid(format!("`{name}` must be a whole number")))?;
            Value::from(n)
        } else {
            Value::from(value.as_str())
        };
        fields.insert(name.clone(), value);
    }
    let kind = match &view {
        View::Overview => "overview",
        View::Retention => "retention",
        View::Tiers => "tiers",
        View::Top => "top",
        View::Streaks => "streaks",
        View::Churn => "churn",
        View::ChurnMembers => "churn_members",
        View::SegmentMembers(id) => {
            fields.insert("id".to_owned(), Value::from(id.as_str()));
            "segment_members"
        }
    };
    if matches!(view, View::Top) && !fields.contains_key("kind") {
        return Err(ApiError::invalid(
            "`kind` is required: thread, topic or event",
        ));
    }
    fields.insert("type".to_owned(), Value::from(kind));
    serde_json::from_value(Value::Object(fields)).map_err(|e| {
        // serde names the field and what it expected, e.g. "premature end of input" for a
        // bad date, "unknown variant" for a kind: keep its words, drop the position.
        let detail = e.to_string();
        let detail = detail
            .split(" at line")
            .next()
            .unwrap_or(&detail)
            .to_owned();
        ApiError::invalid(format!("bad query: {detail}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;
    use crate::insight::ItemKind;

    fn pairs(raw: &[(&str, &str)]) -> Vec<(String, String)> {
        raw.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn queries_become_commands() {
        let overview = command_from_query(
            View::Overview,
            &pairs(&[
                ("from", "2026-09-01"),
                ("to", "2026-09-30"),
                ("format", "csv"),
            ]),
        )
        .unwrap();
        let InsightCommand::Overview { from, to } = overview else {
            panic!("{overview:?}")
        };
        assert_eq!(from.unwrap().to_string(), "2026-09-01");
        assert_eq!(to.unwrap().to_string(), "2026-09-30");
        let top =
            command_from_query(View::Top, &pairs(&[("kind", "topic"), ("limit", "5")])).unwrap();
        assert_eq!(
            top,
            InsightCommand::Top {
                kind: ItemKind::Topic,
                week: None,
                limit: Some(5)
            }
        );
        let churn =
            command_from_query(View::Churn, &pairs(&[("quiet_days", "7"), ("from", "")])).unwrap();
        assert!(
            matches!(churn, InsightCommand::Churn { quiet_days: Some(d), from: None, .. } if d.get() == 7)
        );
        assert_eq!(
            command_from_query(View::Tiers, &[]).unwrap(),
            InsightCommand::Tiers
        );
    }

    #[test]
    fn bad_queries_are_refused_clearly() {
        type Case = (View, &'static [(&'static str, &'static str)], &'static str);
        let table: [Case; 9] = [
            (View::Overview, &[("from", "yesterday")], "bad query"),
            (
                View::Overview,
                &[("since", "2026-09-01")],
                "unknown parameter `since`",
            ),
            (View::Retention, &[("from", "2026-40")], "bad query"),
            (View::Top, &[], "`kind` is required"),
            (View::Top, &[("kind", "rumours")], "bad query"),
            (
                View::Top,
                &[("kind", "thread"), ("limit", "ten")],
                "whole number",
            ),
            (View::Churn, &[("quiet_days", "0")], "bad query"),
            (View::Tiers, &[("format", "xml")], "`format`"),
            (View::ChurnMembers, &[("cursor", "%%")], "bad query"),
        ];
        for (view, raw, want) in table {
            let err = command_from_query(view.clone(), &pairs(raw)).unwrap_err();
            assert_eq!(err.code, ErrorCode::InvalidInput);
            assert!(
                err.message.contains(want),
                "{view:?} {raw:?}: {}",
                err.message
            );
        }
        let twice = pairs(&[("to", "2026-09-01"), ("to", "2026-09-02")]);
        assert!(command_from_query(View::Overview, &twice).is_err());
    }
}
