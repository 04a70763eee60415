//! Insight as CSV (RFC 4180, CRLF line ends), for staff to open in a spreadsheet: one row
//! per day, cohort, tier, item or member. Text from members (names, titles, tags) that a
//! spreadsheet would run as a formula gets a leading `'`.

use crate::insight::rollup::StreakBuckets;

use super::{InsightReply, MemberRow};
use crate::app::members::MemberSummary;

/// The CSV text of `reply`, header row first; `None` for replies that are not a table
/// (a segment's definition, the list of segments, a deletion).
pub fn csv(reply: &InsightReply) -> Option<String> {
    let mut out = String::new();
    match reply {
        InsightReply::Overview(o) => {
            row(
                &mut out,
                [
                    "day",
                    "active",
                    "new_members",
                    "checkins",
                    "posts",
                    "replies",
                    "reactions",
                    "signups",
                    "attended",
                ],
            );
            for d in &o.days {
                row(
                    &mut out,
                    [
                        d.day.to_string(),
                        d.active.to_string(),
                        d.new_members.to_string(),
                        d.checkins.to_string(),
                        d.posts.to_string(),
                        d.replies.to_string(),
                        d.reactions.to_string(),
                        d.signups.to_string(),
                        d.attended.to_string(),
                    ],
                );
            }
        }
        InsightReply::Retention(r) => {
            row(
                &mut out,
                [
                    "week",
                    "joined",
                    "week2",
                    "week2_percent",
                    "month1",
                    "month1_percent",
                    "final",
                ],
            );
            for c in &r.cohorts {
                row(
                    &mut out,
                    [
                        c.week.to_string(),
                        c.joined.to_string(),
                        c.week2.to_string(),
                        percent(c.week2, c.joined),
                        c.month1.to_string(),
                        percent(c.month1, c.joined),
                        yes_no(c.month1_final).to_owned(),
                    ],
                );
            }
        }
        InsightReply::Tiers(t) => {
            row(
                &mut out,
                ["tier", "members", "min_points", "points", "points_percent"],
            );
            for tier in &t.tiers {
                let name = match tier.tier {
                    crate::insight::tiers::Tier::Top1 => "top_1",
                    crate::insight::tiers::Tier::Top10 => "top_10",
                    crate::insight::tiers::Tier::Rest => "rest",
                };
                row(
                    &mut out,
                    [
                        name.to_owned(),
                        tier.members.to_string(),
                        tier.min_points.to_string(),
                        tier.points.to_string(),
                        percent_u64(tier.points, t.points),
                    ],
                );
            }
        }
        InsightReply::Top(t) => {
            row(
                &mut out,
                [
                    "week",
                    "kind",
                    "id",
                    "title",
                    "score",
                    "posts",
                    "replies",
                    "reactions",
                    "answers",
                    "signups",
                    "attended",
                ],
            );
            for item in &t.items {
                let e = &item.engagement;
                row(
                    &mut out,
                    [
                        t.week.to_string(),
                        t.kind.as_str().to_owned(),
                        item.id.clone(),
                        item.title.clone().unwrap_or_default(),
                        item.score.to_string(),
                        e.posts.to_string(),
                        e.replies.to_string(),
                        e.reactions.to_string(),
                        e.answers.to_string(),
                        e.signups.to_string(),
                        e.attended.to_string(),
                    ],
                );
            }
        }
        InsightReply::Streaks(s) => {
            let mut header = vec!["day".to_owned(), "checkins".to_owned()];
            header.extend(StreakBuckets::LABELS.iter().map(|l| format!("streak_{l}")));
            row(&mut out, header);
            for d in &s.days {
                let c = d.streaks;
                row(
                    &mut out,
                    [
                        d.day.to_string(),
                        d.checkins.to_string(),
                        c.one.to_string(),
                        c.two_to_six.to_string(),
                        c.week.to_string(),
                        c.two_weeks.to_string(),
                        c.month.to_string(),
                    ],
                );
            }
        }
        InsightReply::Churn(c) => {
            row(&mut out, ["day", "at_risk", "quiet_days"]);
            for d in &c.days {
                row(
                    &mut out,
                    [
                        d.day.to_string(),
                        d.at_risk.to_string(),
                        c.quiet_days.to_string(),
                    ],
                );
            }
        }
        InsightReply::QuietMembers(q) => {
            row(&mut out, ["member", "name", "last_active", "quiet_days"]);
            for m in &q.items {
                row(
                    &mut out,
                    [
                        m.member.to_string(),
                        m.name.clone().unwrap_or_default(),
                        m.last_active.to_string(),
                        m.quiet_days.to_string(),
                    ],
                );
            }
        }
        InsightReply::SegmentMembers(page) => members(&mut out, &page.items),
        InsightReply::Preview(preview) => members(&mut out, &preview.sample),
        InsightReply::Segments(_) | InsightReply::Segment(_) | InsightReply::Deleted(_) => {
            return None;
        }
    }
    Some(out)
}

/// The members directory as CSV (`GET …/members.csv`): header row first, one row per
/// member, tags joined with `; `.
pub fn directory_csv(rows: &[MemberSummary]) -> String {
    let mut out = String::new();
    row(
        &mut out,
        [
            "member",
            "name",
            "brand_tags",
            "staff_tags",
            "joined",
            "last_active",
            "points",
            "balance",
            "level",
        ],
    );
    let tags = |tags: &[crate::ids::BrandTag]| {
        tags.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; ")
    };
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    for m in rows {
        row(
            &mut out,
            [
                m.member.to_string(),
                m.name.clone().unwrap_or_default(),
                tags(&m.brand_tags),
                tags(&m.staff_tags),
                day(m.joined),
                day(m.last_active),
                m.points.to_string(),
                m.balance.to_string(),
                m.level.to_string(),
            ],
        );
    }
    out
}

fn members(out: &mut String, rows: &[MemberRow]) {
    row(
        out,
        [
            "member",
            "name",
            "tags",
            "joined",
            "last_active",
            "points",
            "level",
        ],
    );
    for m in rows {
        row(
            out,
            [
                m.member.to_string(),
                m.name.clone().unwrap_or_default(),
                m.tags.join("; "),
                m.joined.map(|d| d.to_string()).unwrap_or_default(),
                m.last_active.to_string(),
                m.points.to_string(),
                m.level.to_string(),
            ],
        );
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// `part` of `whole` in percent with one decimal, empty when `whole` is 0.
fn percent(part: u32, whole: u32) -> String {
    percent_u64(u64::from(part), u64::from(whole))
}

fn percent_u64(part: u64, whole: u64) -> String {
    if whole == 0 {
        return String::new();
    }
    // Tenths of a percent, rounded half up, in integers.
    let tenths = (u128::from(part) * 2000 + u128::from(whole)) / (2 * u128::from(whole));
    format!("{}.{}", tenths / 10, tenths % 10)
}

fn row<S: AsRef<str>>(out: &mut String, cells: impl IntoIterator<Item = S>) {
    for (i, cell) in cells.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&cell_text(cell.as_ref()));
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
    use super::*;

    #[test]
    fn percentages_round_to_a_tenth() {
        let table = [
            (1, 3, "33.3"),
            (2, 3, "66.7"),
            (1, 8, "12.5"),
            (0, 5, "0.0"),
            (5, 5, "100.0"),
            (1, 0, ""),
        ];
        for (part, whole, want) in table {
            assert_eq!(percent(part, whole), want, "{part}/{whole}");
        }
    }

    #[test]
    fn the_directory_has_a_header_and_one_row_per_member() {
        let m = MemberSummary {
            member: crate::ids::MemberId::parse("u1").unwrap(),
            name: Some("=Lin, Wei".to_owned()),
            avatar: None,
            brand_tags: vec![
                crate::ids::BrandTag::parse("vip").unwrap(),
                crate::ids::BrandTag::parse("茶").unwrap(),
            ],
            staff_tags: vec![],
            joined: chrono::NaiveDate::from_ymd_opt(2026, 9, 1),
            last_active: None,
            points: 12,
            balance: 7,
            level: 2,
            role: Default::default(),
        };
        assert_eq!(
            directory_csv(&[m]),
            "member,name,brand_tags,staff_tags,joined,last_active,points,balance,level\r\n\
             u1,\"'=Lin, Wei\",vip; 茶,,2026-09-01,,12,7,2\r\n"
        );
        assert_eq!(directory_csv(&[]).lines().count(), 1);
    }

    #[test]
    fn member_text_cannot_become_a_formula() {
        assert_eq!(cell_text("=cmd()"), "'=cmd()");
        assert_eq!(cell_text("a, b"), "\"a, b\"");
        assert_eq!(cell_text("茶"), "茶");
    }
}
