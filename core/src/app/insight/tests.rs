//! Insight against a scripted community played through the application layer: every
//! number is checked against an answer worked out from the script's steps here (plain
//! loops over the steps, not the rollups), and the stored rollups against a full
//! recomputation from the activity log.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use chrono::{Duration, NaiveDate};
use serde_json::json;

use super::*;
use crate::accounts::Email;
use crate::app::{Command, handle as app_handle};
use crate::insight::rollup::Trail;
use crate::insight::script::{Action, Community, Persona, ScriptConfig, Step, TOPICS};
use crate::insight::tiers::Tier;
use crate::notify::ActivityKind;
use crate::store::{Batch, MemoryStore, block_on};

use scripted::{Stage, at, first_day};

/// The scripted community after its eight weeks, and every step it took.
struct Played {
    store: MemoryStore,
    stage: Stage,
    script: Community,
    steps: Vec<Step>,
}

/// The script is played once (it takes a while unoptimised) and shared by the tests, one at
/// a time.
fn played() -> MutexGuard<'static, Played> {
    static PLAYED: OnceLock<Mutex<Played>> = OnceLock::new();
    let played = PLAYED.get_or_init(|| {
        let store = MemoryStore::new();
        let mut script = Community::new(ScriptConfig::default());
        let stage = block_on(scripted::set_up(&store, &script)).unwrap();
        let mut steps = Vec::new();
        for _ in 0..script.days() {
            let (_, day) = script.day();
            for step in &day {
                if let Err(e) = block_on(scripted::play(&store, &stage, &script, step)) {
                    panic!("{step:?}: {e:?}");
                }
            }
            steps.extend(day);
        }
        Mutex::new(Played {
            store,
            stage,
            script,
            steps,
        })
    });
    played.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The script's last day, 22:00.
fn now(p: &Played) -> Timestamp {
    at(&p.stage, p.script.days() - 1, 22 * 60)
}

fn last_day(p: &Played) -> u32 {
    p.script.days() - 1
}

fn date(d: u32) -> NaiveDate {
    first_day() + Duration::days(i64::from(d))
}

fn ask_as(p: &Played, actor: &Actor, command: InsightCommand) -> Result<InsightReply, ApiError> {
    let outcome = block_on(app_handle(
        &p.store,
        &p.stage.slug,
        actor,
        Command::Insight(command),
        now(p),
    ))?;
    match outcome.reply {
        Reply::Insight(reply) => Ok(reply),
        other => panic!("{other:?}"),
    }
}

fn ask(p: &Played, command: serde_json::Value) -> InsightReply {
    ask_as(
        p,
        &Actor::Operator,
        serde_json::from_value(command).unwrap(),
    )
    .unwrap()
}

/// What the script did, worked out from its steps alone.
struct Truth {
    personas: Vec<Persona>,
    /// Day → members who did something that is logged (joining a topic is not).
    active: BTreeMap<u32, BTreeSet<usize>>,
    /// (day, what) → how many.
    counts: BTreeMap<(u32, &'static str), u32>,
    join_day: BTreeMap<usize, u32>,
    points: BTreeMap<usize, u64>,
    posted: BTreeSet<usize>,
    in_topic: BTreeSet<(usize, usize)>,
    /// (member, event) → day attended.
    attended: BTreeMap<(usize, usize), u32>,
    thread_topic: BTreeMap<String, usize>,
    /// (week number, kind, id) → actions.
    engagement: BTreeMap<(u32, &'static str, String), u32>,
    /// Day → check-ins by streak bucket.
    streaks: BTreeMap<u32, [u32; 5]>,
}

fn truth(p: &Played) -> Truth {
    let mut t = Truth {
        personas: p.script.members.clone(),
        active: BTreeMap::new(),
        counts: BTreeMap::new(),
        join_day: BTreeMap::new(),
        points: BTreeMap::new(),
        posted: BTreeSet::new(),
        in_topic: BTreeSet::new(),
        attended: BTreeMap::new(),
        thread_topic: BTreeMap::new(),
        engagement: BTreeMap::new(),
        streaks: BTreeMap::new(),
    };
    let mut last_checkin: BTreeMap<usize, (u32, u32)> = BTreeMap::new();
    for s in &p.steps {
        let week = s.day / 7;
        let mut count = |what: &'static str| *t.counts.entry((s.day, what)).or_default() += 1;
        let mut points = 0;
        let logged = !matches!(s.action, Action::JoinTopic { .. });
        match &s.action {
            Action::Join => {
                count("joined");
                t.join_day.insert(s.member, s.day);
            }
            Action::JoinTopic { topic } => {
                t.in_topic.insert((s.member, *topic));
            }
            Action::CheckIn => {
                count("checkins");
                points = 1;
                let run = match last_checkin.get(&s.member) {
                    Some((day, run)) if day + 1 == s.day => run + 1,
                    _ => 1,
                };
                last_checkin.insert(s.member, (s.day, run));
                let bucket = match run {
                    1 => 0,
                    2..=6 => 1,
                    7..=13 => 2,
                    14..=29 => 3,
                    _ => 4,
                };
                t.streaks.entry(s.day).or_default()[bucket] += 1;
            }
            Action::Post { thread, topic } => {
                count("posts");
                points = 5;
                t.posted.insert(s.member);
                t.thread_topic.insert(thread.clone(), *topic);
                *t.engagement
                    .entry((week, "thread", thread.clone()))
                    .or_default() += 1;
                *t.engagement
                    .entry((week, "topic", TOPICS[*topic].to_owned()))
                    .or_default() += 1;
            }
            Action::Reply { thread, .. } | Action::React { thread, .. } => {
                let is_reply = matches!(s.action, Action::Reply { .. });
                count(if is_reply { "replies" } else { "reactions" });
                points = if is_reply { 2 } else { 0 };
                let topic = TOPICS[t.thread_topic[thread]].to_owned();
                *t.engagement
                    .entry((week, "thread", thread.clone()))
                    .or_default() += 1;
                *t.engagement.entry((week, "topic", topic)).or_default() += 1;
            }
            Action::SignUp { event } => {
                count("signups");
                let id = p.script.events[*event].id.clone();
                *t.engagement.entry((week, "event", id)).or_default() += 1;
            }
            Action::Attend { event } => {
                count("attended");
                points = 10;
                t.attended.insert((s.member, *event), s.day);
                let id = p.script.events[*event].id.clone();
                *t.engagement.entry((week, "event", id)).or_default() += 1;
            }
        }
        *t.points.entry(s.member).or_default() += points;
        if logged {
            t.active.entry(s.day).or_default().insert(s.member);
        }
    }
    t
}

impl Truth {
    fn count(&self, day: u32, what: &str) -> u32 {
        self.counts.get(&(day, what)).copied().unwrap_or(0)
    }

    /// Members active on any day in `days`.
    fn active_in(&self, days: impl IntoIterator<Item = u32>) -> BTreeSet<usize> {
        days.into_iter()
            .filter_map(|d| self.active.get(&d))
            .flatten()
            .copied()
            .collect()
    }

    /// The member's last active day on or before `day`.
    fn last_active(&self, member: usize, day: u32) -> Option<u32> {
        (0..=day)
            .rev()
            .find(|d| self.active.get(d).is_some_and(|m| m.contains(&member)))
    }

    fn members(&self) -> BTreeSet<usize> {
        self.active.values().flatten().copied().collect()
    }

    fn id(&self, member: usize) -> String {
        self.personas[member].id.clone()
    }
}

#[test]
fn the_overview_counts_every_day_week_and_month() {
    let guard = played();
    let p = &*guard;
    let t = truth(p);
    let last = last_day(p);
    let InsightReply::Overview(o) = ask(
        p,
        json!({"type": "overview", "from": date(0), "to": date(last)}),
    ) else {
        panic!()
    };
    assert_eq!(o.days.len(), 56);
    for (d, row) in (0..).zip(&o.days) {
        assert_eq!(row.day, date(d));
        let active = t.active.get(&d).map_or(0, BTreeSet::len) as u32;
        assert_eq!(row.active, active, "active on day {d}");
        assert_eq!(row.new_members, t.count(d, "joined"), "joins on day {d}");
        assert_eq!(row.checkins, t.count(d, "checkins"), "check-ins on day {d}");
        assert_eq!(row.posts, t.count(d, "posts"), "day {d}");
        assert_eq!(row.replies, t.count(d, "replies"), "day {d}");
        assert_eq!(row.reactions, t.count(d, "reactions"), "day {d}");
        assert_eq!(row.signups, t.count(d, "signups"), "day {d}");
        assert_eq!(row.attended, t.count(d, "attended"), "day {d}");
    }
    assert!(
        o.days.iter().map(|d| d.posts).sum::<u32>() > 20,
        "a lively script"
    );
    assert_eq!(o.weeks.len(), 8);
    for (w, row) in (0..).zip(&o.weeks) {
        assert_eq!(row.period, Week::of(date(w * 7)).to_string());
        let want = t.active_in(w * 7..w * 7 + 7).len() as u32;
        assert_eq!(row.active, want, "week {w}");
    }
    let periods: Vec<&str> = o.months.iter().map(|m| m.period.as_str()).collect();
    assert_eq!(periods, ["2026-08", "2026-09"]);
    for row in &o.months {
        let days = (0..=last).filter(|d| Month::of(date(*d)).as_str() == row.period);
        assert_eq!(row.active, t.active_in(days).len() as u32, "{}", row.period);
    }
}

#[test]
fn retention_follows_each_join_cohort() {
    let guard = played();
    let p = &*guard;
    let t = truth(p);
    let InsightReply::Retention(r) = ask(
        p,
        json!({"type": "retention", "from": Week::of(date(0)), "to": Week::of(date(49))}),
    ) else {
        panic!()
    };
    assert_eq!(r.cohorts.len(), 8);
    for (w, row) in (0u32..).zip(&r.cohorts) {
        let cohort: BTreeSet<usize> = t
            .join_day
            .iter()
            .filter(|(_, d)| **d / 7 == w)
            .map(|(m, _)| *m)
            .collect();
        let week2 = t.active_in((w + 2) * 7..(w + 3) * 7);
        let month1 = t.active_in((w + 1) * 7..(w + 5) * 7);
        assert_eq!(row.week, Week::of(date(w * 7)));
        assert_eq!(row.joined, cohort.len() as u32, "cohort {w}");
        assert_eq!(
            row.week2,
            cohort.intersection(&week2).count() as u32,
            "cohort {w}"
        );
        assert_eq!(
            row.month1,
            cohort.intersection(&month1).count() as u32,
            "cohort {w}"
        );
        assert_eq!((row.week2_final, row.month1_final), (w + 2 < 7, w + 4 < 7));
    }
    let retained: u32 = r.cohorts.iter().map(|c| c.week2).sum();
    assert!(
        retained > 0 && retained < 100,
        "some came back, not all: {retained}"
    );
}

#[test]
fn tiers_rank_members_by_points() {
    let guard = played();
    let p = &*guard;
    let t = truth(p);
    let InsightReply::Tiers(tiers) = ask(p, json!({"type": "tiers"})) else {
        panic!()
    };
    let members = t.members().len();
    let mut points: Vec<u64> = t.points.values().copied().filter(|p| *p > 0).collect();
    points.sort_unstable_by(|a, b| b.cmp(a));
    let cut = |n: usize| points[n.min(points.len()) - 1];
    let (cut1, cut10) = (cut(members.div_ceil(100)), cut(members.div_ceil(10)));
    let top1: Vec<u64> = points.iter().copied().filter(|p| *p >= cut1).collect();
    let top10: Vec<u64> = points
        .iter()
        .copied()
        .filter(|p| *p < cut1 && *p >= cut10)
        .collect();
    assert_eq!(tiers.members, members as u32);
    assert_eq!(tiers.points, points.iter().sum::<u64>());
    let rows: Vec<(Tier, u32, u64)> = tiers
        .tiers
        .iter()
        .map(|r| (r.tier, r.members, r.points))
        .collect();
    assert_eq!(
        rows,
        [
            (Tier::Top1, top1.len() as u32, top1.iter().sum()),
            (Tier::Top10, top10.len() as u32, top10.iter().sum()),
            (
                Tier::Rest,
                (members - top1.len() - top10.len()) as u32,
                points.iter().sum::<u64>() - top1.iter().sum::<u64>() - top10.iter().sum::<u64>()
            ),
        ]
    );
    assert_eq!(
        tiers.leaders.first().map(|l| l.points),
        points.first().copied()
    );
}

#[test]
fn the_most_engaged_threads_topics_and_events_of_each_week() {
    let guard = played();
    let p = &*guard;
    let t = truth(p);
    for week in 0..8u32 {
        for kind in ["thread", "topic", "event"] {
            let InsightReply::Top(top) = ask(
                p,
                json!({"type": "top", "kind": kind, "week": Week::of(date(week * 7)), "limit": 5}),
            ) else {
                panic!()
            };
            let mut want: Vec<(String, u32)> = t
                .engagement
                .iter()
                .filter(|((w, k, _), _)| *w == week && *k == kind)
                .map(|((_, _, id), n)| (id.clone(), *n))
                .collect();
            want.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            want.truncate(5);
            let got: Vec<(String, u32)> =
                top.items.iter().map(|i| (i.id.clone(), i.score)).collect();
            assert_eq!(got, want, "week {week}, {kind}s");
            for item in &top.items {
                assert!(item.title.is_some(), "{kind} {} has a title", item.id);
            }
        }
    }
}

#[test]
fn check_ins_by_streak_reached() {
    let guard = played();
    let p = &*guard;
    let t = truth(p);
    let last = last_day(p);
    let InsightReply::Streaks(s) = ask(
        p,
        json!({"type": "streaks", "from": date(last - 40), "to": date(last)}),
    ) else {
        panic!()
    };
    for row in &s.days {
        let d = u32::try_from((row.day - first_day()).num_days()).unwrap();
        let want = t.streaks.get(&d).copied().unwrap_or_default();
        let c = row.streaks;
        assert_eq!(
            [c.one, c.two_to_six, c.week, c.two_weeks, c.month],
            want,
            "day {d}"
        );
        assert_eq!(row.checkins, want.iter().sum::<u32>());
    }
    let long: u32 = s
        .days
        .iter()
        .map(|d| d.streaks.week + d.streaks.two_weeks)
        .sum();
    assert!(long > 0, "some streaks reach a week");
}

#[test]
fn churn_risk_per_day_and_who_went_quiet() {
    let guard = played();
    let p = &*guard;
    let t = truth(p);
    let last = last_day(p);
    for quiet in [7u32, 14] {
        let InsightReply::Churn(c) = ask(p, json!({"type": "churn", "quiet_days": quiet})) else {
            panic!()
        };
        assert_eq!(c.days.len(), 30, "the last 30 days by default");
        for row in &c.days {
            let d = u32::try_from((row.day - first_day()).num_days()).unwrap();
            let want = t
                .members()
                .into_iter()
                .filter(|m| t.last_active(*m, d).is_some_and(|l| d - l >= quiet))
                .count() as u32;
            assert_eq!(row.at_risk, want, "quiet {quiet}, day {d}");
        }
        assert_eq!(c.at_risk, c.days.last().unwrap().at_risk);
    }

    // The list, most recently active first, page by page.
    let mut want: Vec<(String, NaiveDate)> = t
        .members()
        .into_iter()
        .filter_map(|m| {
            let l = t.last_active(m, last)?;
            (last - l >= 14).then(|| (t.id(m), date(l)))
        })
        .collect();
    want.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    assert!(want.len() > 10, "some went quiet: {}", want.len());
    let mut got = Vec::new();
    let mut cursor: Option<Cursor> = None;
    loop {
        let InsightReply::QuietMembers(page) = ask(
            p,
            json!({"type": "churn_members", "cursor": cursor, "limit": 7}),
        ) else {
            panic!()
        };
        assert!(page.items.len() <= 7);
        for m in &page.items {
            assert_eq!(m.quiet_days as i64, (date(last) - m.last_active).num_days());
            assert_eq!(
                m.name.as_deref(),
                Some(format!("Member {}", m.member).as_str())
            );
        }
        got.extend(
            page.items
                .into_iter()
                .map(|m| (m.member.to_string(), m.last_active)),
        );
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(got, want);
}

/// Every member id of a saved segment, page by page.
fn segment_members(p: &Played, id: &str) -> Vec<String> {
    let mut got = Vec::new();
    let mut cursor: Option<Cursor> = None;
    loop {
        let InsightReply::SegmentMembers(page) = ask(
            p,
            json!({"type": "segment_members", "id": id, "cursor": cursor, "limit": 4}),
        ) else {
            panic!()
        };
        got.extend(page.items.iter().map(|m| m.member.to_string()));
        match page.next {
            Some(next) => cursor = Some(next),
            None => return got,
        }
    }
}

#[test]
fn segments_count_and_list_the_members_they_describe() {
    let guard = played();
    let p = &*guard;
    let t = truth(p);
    let last = last_day(p);
    let level = |points: u64| match points {
        0..20 => 1,
        20..60 => 2,
        _ => 3,
    };
    let e4 = p.script.events.iter().position(|e| e.id == "e4").unwrap();
    let members = t.members();
    let attended_since = |m: usize, since: u32| {
        t.attended
            .iter()
            .any(|((who, _), d)| *who == m && *d >= since)
    };
    type Expect<'a> = Box<dyn Fn(usize) -> bool + 'a>;
    let cases: Vec<(&str, serde_json::Value, Expect)> = vec![
        (
            "vip-events",
            json!({"all": [{"tag": "vip"}, {"attended": {"within_days": 30}},
                           {"not": {"attended": {"event": "e4"}}}]}),
            Box::new(|m| {
                t.personas[m].tags.contains(&"vip".to_owned())
                    && attended_since(m, last - 29)
                    && !t.attended.contains_key(&(m, e4))
            }),
        ),
        (
            "tea-regulars",
            json!({"all": [{"points": {"min": 20}}, {"topic": "tea"}]}),
            Box::new(|m| t.points[&m] >= 20 && t.in_topic.contains(&(m, 0))),
        ),
        (
            "level-3",
            json!({"level": {"min": 3}}),
            Box::new(|m| level(t.points[&m]) == 3),
        ),
        (
            "posters",
            json!({"badge": "first_post"}),
            Box::new(|m| t.posted.contains(&m)),
        ),
        (
            "lapsed",
            json!({"quiet_days": 14}),
            Box::new(|m| t.last_active(m, last).is_some_and(|l| last - l >= 14)),
        ),
        (
            "verified",
            json!({"profile": {"email_verified": true}}),
            Box::new(|m| t.personas[m].email_verified),
        ),
        (
            "newcomers",
            json!({"joined": {"within_days": 14}}),
            Box::new(|m| t.join_day[&m] + 14 > last),
        ),
        (
            "gold-or-recent",
            json!({"any": [{"tag": "gold"}, {"last_active": {"within_days": 3}}]}),
            Box::new(|m| {
                t.personas[m].tags.contains(&"gold".to_owned())
                    || t.last_active(m, last).is_some_and(|l| l + 3 > last)
            }),
        ),
    ];
    for (id, filter, want) in &cases {
        let want: Vec<String> = members
            .iter()
            .copied()
            .filter(|m| want(*m))
            .map(|m| t.id(m))
            .collect();
        assert!(!want.is_empty(), "{id} is not empty");
        let InsightReply::Preview(preview) =
            ask(p, json!({"type": "preview_segment", "filter": filter}))
        else {
            panic!()
        };
        assert_eq!(preview.count as usize, want.len(), "{id}: preview");
        let sample: Vec<String> = preview
            .sample
            .iter()
            .map(|m| m.member.to_string())
            .collect();
        assert_eq!(sample, want[..want.len().min(10)], "{id}: sample");
        let InsightReply::Segment(view) = ask(
            p,
            json!({"type": "create_segment", "id": id, "draft": {"name": id, "filter": filter}}),
        ) else {
            panic!()
        };
        assert_eq!(view.count as usize, want.len(), "{id}: count");
        assert_eq!(segment_members(p, id), want, "{id}: members");
    }
    let InsightReply::Segments(list) = ask(p, json!({"type": "list_segments"})) else {
        panic!()
    };
    assert_eq!(list.items.len(), cases.len());
    // A row carries what the dashboard shows.
    let InsightReply::SegmentMembers(page) = ask(
        p,
        json!({"type": "segment_members", "id": "level-3", "limit": 1}),
    ) else {
        panic!()
    };
    let row = &page.items[0];
    let m = t
        .personas
        .iter()
        .position(|x| x.id == row.member.as_str())
        .unwrap();
    assert_eq!((row.points, row.level), (t.points[&m], 3));
    assert_eq!(row.joined, Some(date(t.join_day[&m])));
    assert_eq!(row.tags, t.personas[m].tags);
    for (id, _, _) in &cases {
        let InsightReply::Deleted(_) = ask(p, json!({"type": "delete_segment", "id": id})) else {
            panic!()
        };
    }
}

#[test]
fn the_stored_rollups_equal_a_recomputation_from_the_activity_log() {
    let guard = played();
    let p = &*guard;
    let stored = block_on(load_all(&p.store)).unwrap();
    let recomputed = block_on(recompute(&p.store)).unwrap();
    assert_eq!(stored.members, recomputed.members);
    assert_eq!(stored.trails, recomputed.trails);
    assert_eq!(stored.days, recomputed.days);
    assert_eq!(stored.weeks, recomputed.weeks);
    assert_eq!(stored.months, recomputed.months);
    assert_eq!(stored.cohorts, recomputed.cohorts);
    assert_eq!(stored.engagement, recomputed.engagement);
    let quiet = block_on(quiet_index(&p.store)).unwrap();
    let lasts: BTreeMap<MemberId, NaiveDate> = stored
        .trails
        .iter()
        .map(|(m, t)| (m.clone(), t.last))
        .collect();
    assert_eq!(
        quiet, lasts,
        "one quiet-index key per member, at their last day"
    );
    assert_eq!(stored.members as usize, truth(p).members().len());
}

#[test]
fn seeding_folds_the_same_rollups_as_playing() {
    // The benchmark seeds days straight into the rollups; the same script played through
    // the application layer (above) must leave the same numbers.
    let guard = played();
    let p = &*guard;
    let store = MemoryStore::new();
    let mut script = Community::new(ScriptConfig::default());
    let mut ledger = scripted::Ledger::new(script.members.len());
    for _ in 0..script.days() {
        let (_, steps) = script.day();
        block_on(scripted::seed(&store, &script, &mut ledger, &steps)).unwrap();
    }
    let seeded = block_on(load_all(&store)).unwrap();
    let played = block_on(load_all(&p.store)).unwrap();
    assert_eq!(seeded, played);
    let t = truth(p);
    for (m, points) in &t.points {
        assert_eq!(ledger.points(*m), *points);
    }
}

/// The day's first action of a member costs a few more keys than a repeat; both stay small.
#[test]
fn one_action_reads_and_writes_a_few_keys() {
    let store = MemoryStore::new();
    let mut script = Community::new(ScriptConfig::default());
    let mut ledger = scripted::Ledger::new(script.members.len());
    for _ in 0..30 {
        let (_, steps) = script.day();
        block_on(scripted::seed(&store, &script, &mut ledger, &steps)).unwrap();
    }
    // A member who joined in an earlier week and was last active on day 29.
    let trail_of = |id: &MemberId| {
        block_on(get_json::<Trail>(&store, &crate::insight::keys::trail(id))).unwrap()
    };
    let id = script
        .members
        .iter()
        .map(|m| MemberId::parse(&m.id).unwrap())
        .find(|id| {
            trail_of(id)
                .is_some_and(|t| t.last == date(29) && t.joined.is_some_and(|j| j < date(21)))
        })
        .unwrap();
    let cost = |day: u32, kind: ActivityKind| {
        let before = store.ops().gets;
        let mut batch = Batch::new();
        block_on(record::record(
            &store,
            &mut batch,
            date(day),
            &[(id.clone(), kind, None)],
        ))
        .unwrap();
        let writes = batch.writes().len();
        block_on(store.commit(batch)).unwrap();
        (store.ops().gets - before, writes)
    };
    // Again the same day: gets the trail, the check-in state and the day; puts the day.
    assert_eq!(cost(29, ActivityKind::CheckedIn), (3, 1));
    // The first action of day 30, a Wednesday in the same week and month as day 29: gets
    // the trail, today and the previous active day; puts the trail, the quiet index's move
    // (a delete and a put), today and the previous day.
    assert_eq!(cost(30, ActivityKind::Redeemed), (3, 5));
    assert_eq!(trail_of(&id).map(|t| t.last), Some(date(30)));
}

#[test]
fn staff_read_owners_and_admins_save_and_others_are_refused() {
    let store = MemoryStore::new();
    let script = Community::new(ScriptConfig {
        members: 3,
        weeks: 1,
        seed: 1,
    });
    let stage = block_on(scripted::set_up(&store, &script)).unwrap();
    let now = at(&stage, 0, 12 * 60);
    let run = |actor: &Actor, command: serde_json::Value| {
        let command = Command::Insight(serde_json::from_value(command).unwrap());
        block_on(app_handle(&store, &stage.slug, actor, command, now)).map(|o| o.reply)
    };
    let staff = |email: &str, role: Role| {
        let email = Email::parse(email).unwrap();
        let mut batch = Batch::new();
        batch.put_json(keys::staff(&email), &role).unwrap();
        block_on(store.commit(batch)).unwrap();
        Actor::Marketer { email }
    };
    let moderator = staff("mo@brand.example", Role::Moderator);
    let admin = staff("ad@brand.example", Role::Admin);
    let stranger = Actor::Marketer {
        email: Email::parse("x@elsewhere.example").unwrap(),
    };
    let member = scripted::member(&stage, &script, 0, now).unwrap();
    let save = json!({"type": "create_segment", "id": "vip", "draft": {"name": "VIP", "filter": {"tag": "vip"}}});
    for who in [&moderator, &admin, &Actor::Operator] {
        assert!(run(who, json!({"type": "tiers"})).is_ok());
    }
    for who in [&stranger, &member] {
        let err = run(who, json!({"type": "overview"})).unwrap_err();
        assert_eq!(err.code, ErrorCode::Forbidden);
    }
    let anonymous = run(&Actor::Anonymous, json!({"type": "overview"})).unwrap_err();
    assert_eq!(anonymous.code, ErrorCode::Unauthenticated);
    let commits = store.ops().commits;
    for who in [&moderator, &stranger, &member] {
        assert_eq!(
            run(who, save.clone()).unwrap_err().code,
            ErrorCode::Forbidden
        );
    }
    assert_eq!(store.ops().commits, commits, "a refusal writes nothing");
    assert!(run(&admin, save.clone()).is_ok());
    assert_eq!(run(&admin, save).unwrap_err().code, ErrorCode::Conflict);
}

#[test]
fn bad_requests_are_refused_with_nothing_written() {
    let guard = played();
    let p = &*guard;
    let commits = p.store.ops().commits;
    let bad = [
        json!({"type": "overview", "from": "2026-09-10", "to": "2026-09-01"}),
        json!({"type": "overview", "from": "2026-01-01", "to": "2026-09-01"}),
        json!({"type": "retention", "from": "2025-W01", "to": "2026-W30"}),
        json!({"type": "top", "kind": "thread", "limit": 0}),
        json!({"type": "top", "kind": "thread", "limit": 101}),
        json!({"type": "churn_members", "limit": 1001}),
        json!({"type": "create_segment", "id": "x", "draft": {"name": "X", "filter": {"all": []}}}),
        json!({"type": "create_segment", "id": "x", "draft": {"name": "X", "filter": {"points": {"min": 9, "max": 1}}}}),
        json!({"type": "preview_segment", "filter": {"any": []}}),
    ];
    for command in bad {
        let command: InsightCommand = serde_json::from_value(command.clone()).unwrap();
        let err = ask_as(p, &Actor::Operator, command.clone()).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{command:?}");
    }
    for (command, code) in [
        (
            json!({"type": "get_segment", "id": "nope"}),
            ErrorCode::NotFound,
        ),
        (
            json!({"type": "delete_segment", "id": "nope"}),
            ErrorCode::NotFound,
        ),
        (
            json!({"type": "segment_members", "id": "nope"}),
            ErrorCode::NotFound,
        ),
        (
            json!({"type": "update_segment", "id": "nope", "draft": {"name": "N", "filter": {"tag": "x"}}}),
            ErrorCode::NotFound,
        ),
    ] {
        let command: InsightCommand = serde_json::from_value(command).unwrap();
        assert_eq!(ask_as(p, &Actor::Operator, command).unwrap_err().code, code);
    }
    assert_eq!(p.store.ops().commits, commits);
}
