//! The attendee list as CSV (RFC 4180), for staff to open in a spreadsheet.
//!
//! One row per attendee, confirmed first, then the waitlist; one column per sign-up
//! question. Cells that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR at
//! the start) get a leading `'`, so an answer cannot become code on a marketer's machine.

use crate::events::{Answer, TicketView};
use crate::time::Timestamp;

use super::AttendeeList;

/// The CSV text of `list`, header row first, CRLF line ends.
pub fn attendees_csv(list: &AttendeeList) -> String {
    let questions = &list.event.questions;
    let mut header: Vec<String> = [
        "member",
        "name",
        "status",
        "waitlist_position",
        "attended",
        "signed_up_at",
        "confirmed_at",
        "attended_at",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    header.extend(questions.iter().map(|q| q.prompt.to_string()));

    let mut out = String::new();
    push_row(&mut out, &header);
    for line in &list.attendees {
        let (status, position, attended) = match line.row.ticket {
            TicketView::Confirmed { attended } => ("confirmed", String::new(), attended),
            TicketView::Waitlisted { position } => ("waitlisted", position.to_string(), false),
        };
        let mut cells = vec![
            line.row.member.to_string(),
            line.name.clone().unwrap_or_default(),
            status.to_owned(),
            position,
            if attended { "yes" } else { "no" }.to_owned(),
            iso(Some(line.row.signed_up_at)),
            iso(line.row.confirmed_at),
            iso(line.row.attended_at),
        ];
        cells.extend(questions.iter().map(|q| {
            match line.answers.get(&q.id) {
                Some(Answer::Text(text)) => text.to_string(),
                Some(Answer::Choice(choice)) => choice.to_string(),
                Some(Answer::Choices(choices)) => choices
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
                None => String::new(),
            }
        }));
        push_row(&mut out, &cells);
    }
    out
}

/// `2026-09-25T04:00:00Z`, or empty.
fn iso(at: Option<Timestamp>) -> String {
    at.and_then(Timestamp::utc)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

fn push_row(out: &mut String, cells: &[String]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell_text(cell));
    }
    out.push_str("\r\n");
}

fn cell_text(raw: &str) -> String {
    let defused = if raw.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{raw}")
    } else {
        raw.to_owned()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

#[cfg(test)]
mod tests {
    use super::cell_text;

    #[test]
    fn cells_are_quoted_and_formulas_defused_table() {
        let cases = [
            ("plain", "plain"),
            ("", ""),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("two\nlines", "\"two\nlines\""),
            ("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\""),
            ("+1", "'+1"),
            ("-2", "'-2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("茶, 水", "\"茶, 水\""),
        ];
        for (raw, want) in cases {
            assert_eq!(cell_text(raw), want, "{raw:?}");
        }
    }
}
