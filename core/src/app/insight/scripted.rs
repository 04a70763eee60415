//! Playing a [`Community`] script through the application layer, for the tests and the
//! benchmark: [`set_up`] creates the community (simple point rules, a three-level ladder,
//! the script's topics and events), [`play`] runs one step as the member would, and
//! [`seed`] folds whole days straight into the rollups (with the profiles and points those
//! days would leave), for a community too big to play action by action.
//!
//! The point rules make points easy to work out from a script: a check-in 1, a post 5, a
//! reply 2, attending an event 10, nothing else, no caps and no streak bonuses. Levels: 1
//! from 0 points, 2 from 20, 3 from 60.

use chrono::{Duration, NaiveDate, TimeZone as _};
use serde_json::json;

use crate::community::TimeZone;
use crate::error::{ApiError, ErrorCode};
use crate::ids::{CommunitySlug, MemberId};
use crate::insight::Fact;
use crate::insight::script::{Action, Community, Step, TOPICS};
use crate::notify::ActivityKind;
use crate::recognition::{BoardEntry, PeriodKey};
use crate::sso::{KeyId, MemberProfile, SsoKey, SsoSecret, sign};
use crate::store::{Batch, Store};
use crate::time::Timestamp;

use super::super::points::board_index;
use super::super::{Actor, Command, Reply, handle, keys as app_keys};
use super::fold;

/// The scripted community's slug.
pub const SLUG: &str = "scripted";

/// Day 0 of every script: Monday 2026-08-03 (ISO week 32), in Asia/Shanghai.
pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 8, 3).unwrap_or(NaiveDate::MIN)
}

/// What [`set_up`] made: the key members sign in with, and the events' attendance codes.
#[derive(Debug, Clone)]
pub struct Stage {
    pub slug: CommunitySlug,
    pub tz: TimeZone,
    key: SsoKey,
    codes: Vec<String>,
}

fn internal(what: &str, e: impl std::fmt::Display) -> ApiError {
    ApiError::new(ErrorCode::Internal, format!("{what}: {e}"))
}

fn command(value: serde_json::Value) -> Result<Command, ApiError> {
    serde_json::from_value(value).map_err(|e| internal("a scripted command", e))
}

/// The instant of `minute` past midnight on script day `day`, community-local.
pub fn at(stage: &Stage, day: u32, minute: u32) -> Timestamp {
    let local = (first_day() + Duration::days(i64::from(day)))
        .and_hms_opt(0, 0, 0)
        .map(|midnight| midnight + Duration::minutes(i64::from(minute)));
    let utc = local.and_then(|l| stage.tz.tz().from_local_datetime(&l).earliest());
    Timestamp(utc.map_or(0, |t| t.timestamp_millis()))
}

/// Creates the community for `script` in an empty `store`.
pub async fn set_up(store: &impl Store, script: &Community) -> Result<Stage, ApiError> {
    let slug = CommunitySlug::parse(SLUG).map_err(|e| internal("slug", e))?;
    let tz = TimeZone::parse("Asia/Shanghai").map_err(|e| internal("time zone", e))?;
    let key = SsoKey {
        kid: KeyId::parse("k1").map_err(|e| internal("kid", e))?,
        secret: SsoSecret::parse(&"s".repeat(64)).map_err(|e| internal("secret", e))?,
        created_at: Timestamp(0),
    };
    let mut stage = Stage {
        slug,
        tz,
        key,
        codes: Vec::new(),
    };
    let now = at(&stage, 0, 8 * 60);
    let op = Actor::Operator;
    let run = async |c: Command| handle(store, &stage.slug, &op, c, now).await;
    run(command(json!({
        "type": "put_community",
        "body": {"settings": {"name": "Scripted", "time_zone": "Asia/Shanghai"}}
    }))?)
    .await?;
    run(Command::AddSsoKey {
        kid: stage.key.kid.clone(),
        secret: stage.key.secret.clone(),
    })
    .await?;
    let action = |points: u32| json!({"points": points, "daily_cap": null});
    run(command(
        json!({"type": "points", "body": {"type": "put_rules",
            "points": {
                "post": action(5), "reply": action(2), "reaction_received": action(0),
                "check_in": action(1), "event_attended": action(10), "accepted_answer": action(0),
                "streak_bonus_daily_cap": null
            },
            "checkin": {"streak_bonuses": [], "makeup": {"enabled": false}}
        }}),
    )?)
    .await?;
    let level = |threshold: u32, name: &str| json!({"threshold": threshold, "names": {"zh_cn": name, "en": name}});
    run(command(
        json!({"type": "points", "body": {"type": "put_levels",
        "levels": [level(0, "One"), level(20, "Two"), level(60, "Three")]}}),
    )?)
    .await?;
    for topic in TOPICS {
        run(command(
            json!({"type": "talk", "body": {"type": "create_topic",
            "id": topic, "draft": {"name": topic}}}),
        )?)
        .await?;
    }
    let mut codes = Vec::new();
    for event in &script.events {
        let starts = at(&stage, event.day, 19 * 60);
        let ends = at(&stage, event.day, 21 * 60);
        let reply = run(command(
            json!({"type": "events", "body": {"type": "create",
            "id": event.id, "code_entropy": [1, 2, 3, 4, 5, 6],
            "draft": {
                "title": format!("Tasting {}", event.id),
                "venue": {"kind": "offline", "place": "Shanghai"},
                "starts_at": starts, "ends_at": ends
            }}}),
        )?)
        .await?;
        let Reply::Events(super::super::events::EventReply::Organiser(view)) = reply.reply else {
            return Err(internal("creating an event", "unexpected reply"));
        };
        codes.push(view.attendance_code);
    }
    stage.codes = codes;
    Ok(stage)
}

/// The member `who` of `script`, signed in at `now` with a token valid for an hour.
pub fn member(
    stage: &Stage,
    script: &Community,
    who: usize,
    now: Timestamp,
) -> Result<Actor, ApiError> {
    let persona = script
        .members
        .get(who)
        .ok_or_else(|| internal("a member", "no such member"))?;
    let secs = now.millis() / 1000;
    let claims = json!({
        "sub": persona.id, "name": format!("Member {}", persona.id), "aud": stage.slug.as_str(),
        "iat": secs, "exp": secs + 3600, "tags": persona.tags,
        "email_verified": persona.email_verified,
    });
    Ok(Actor::Member {
        token: sign(&claims, &stage.key).map_err(|e| internal("a token", e))?,
    })
}

/// Runs `step` through the application layer, as its member.
pub async fn play(
    store: &impl Store,
    stage: &Stage,
    script: &Community,
    step: &Step,
) -> Result<Reply, ApiError> {
    let now = at(stage, step.day, step.minute);
    let actor = member(stage, script, step.member, now)?;
    let body = |markdown: &str| json!({"markdown": markdown, "rendered_html": format!("<p>{markdown}</p>")});
    let command = match &step.action {
        Action::Join => command(json!({"type": "membership", "body": {"type": "join",
            "request": {"accept_rules": true}}}))?,
        Action::JoinTopic { topic } => command(json!({"type": "talk", "body": {
            "type": "join_topic", "topic": TOPICS[*topic]}}))?,
        Action::CheckIn => Command::CheckIn,
        Action::Post { thread, topic } => command(json!({"type": "talk", "body": {
            "type": "create_thread", "id": thread, "topic": TOPICS[*topic],
            "kind": "discussion", "title": format!("Thread {thread}"), "body": body("Hello")}}))?,
        Action::Reply { thread, .. } => command(json!({"type": "talk", "body": {
            "type": "post_reply", "thread": thread,
            "id": format!("r{}-{}-{}", step.day, step.minute, step.member),
            "in_reply_to": null, "body": body("Agreed")}}))?,
        Action::React { thread, .. } => command(json!({"type": "talk", "body": {
            "type": "react_to_thread", "thread": thread, "kind": "like"}}))?,
        Action::SignUp { event } => command(json!({"type": "events", "body": {
            "type": "sign_up", "event": script.events[*event].id, "request": {}}}))?,
        Action::Attend { event } => command(json!({"type": "events", "body": {
            "type": "check_in", "event": script.events[*event].id,
            "request": {"code": stage.codes.get(*event).cloned().unwrap_or_default()}}}))?,
    };
    Ok(handle(store, &stage.slug, &actor, command, now)
        .await?
        .reply)
}

/// What a day of the script leaves behind besides the rollups, for [`seed`].
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    /// Per member: points earned, and the last check-in day with the run up to it.
    points: Vec<u64>,
    runs: Vec<Option<(u32, u32)>>,
}

impl Ledger {
    pub fn new(members: usize) -> Self {
        Self {
            points: vec![0; members],
            runs: vec![None; members],
        }
    }

    pub fn points(&self, member: usize) -> u64 {
        self.points.get(member).copied().unwrap_or(0)
    }
}

/// The fact a step records (`None` for steps that record none, such as joining a topic),
/// keeping `ledger`'s points and check-in runs.
pub fn fact(script: &Community, ledger: &mut Ledger, step: &Step) -> Option<Fact> {
    let member = MemberId::parse(&script.members.get(step.member)?.id).ok()?;
    let day = first_day() + Duration::days(i64::from(step.day));
    let mut streak = None;
    let (kind, subject, topic, points) = match &step.action {
        Action::Join => (ActivityKind::Joined, None, None, 0),
        Action::JoinTopic { .. } => return None,
        Action::CheckIn => {
            let run = match ledger.runs.get(step.member).copied().flatten() {
                Some((last, n)) if last + 1 == step.day => n + 1,
                _ => 1,
            };
            if let Some(slot) = ledger.runs.get_mut(step.member) {
                *slot = Some((step.day, run));
            }
            streak = Some(run);
            (ActivityKind::CheckedIn, None, None, 1)
        }
        Action::Post { thread, topic } => {
            (ActivityKind::Posted, Some(thread.clone()), Some(*topic), 5)
        }
        Action::Reply { thread, topic } => {
            (ActivityKind::Replied, Some(thread.clone()), Some(*topic), 2)
        }
        Action::React { thread, topic } => {
            (ActivityKind::Reacted, Some(thread.clone()), Some(*topic), 0)
        }
        Action::SignUp { event } => (
            ActivityKind::SignedUp,
            Some(script.events.get(*event)?.id.clone()),
            None,
            0,
        ),
        Action::Attend { event } => (
            ActivityKind::Attended,
            Some(script.events.get(*event)?.id.clone()),
            None,
            10,
        ),
    };
    if let Some(p) = ledger.points.get_mut(step.member) {
        *p += points;
    }
    Some(Fact {
        member,
        kind,
        day,
        subject,
        topic: topic.map(|t| TOPICS[t].to_owned()),
        streak,
    })
}

/// Folds `steps` (one day's) straight into the rollups in one batch, without the
/// application layer: no activity log, threads, rosters or ledgers are written.
pub async fn seed(
    store: &impl Store,
    script: &Community,
    ledger: &mut Ledger,
    steps: &[Step],
) -> Result<(), ApiError> {
    let facts: Vec<Fact> = steps
        .iter()
        .filter_map(|s| fact(script, ledger, s))
        .collect();
    let mut batch = Batch::new();
    fold(store, &mut batch, &facts).await?;
    store.commit(batch).await?;
    Ok(())
}

/// Writes what [`seed`]ed days leave on each member who joined by `day`: their profile (the
/// tags their token carries), points account and all-time leaderboard entry with its index
/// key, and the index's totals. Once, on a store without all-time leaderboard entries.
pub async fn seed_members(
    store: &impl Store,
    script: &Community,
    ledger: &Ledger,
    day: u32,
    now: Timestamp,
) -> Result<(), ApiError> {
    let mut batch = Batch::new();
    let mut totals = board_index::BoardTotals::default();
    for (i, persona) in script.members.iter().enumerate() {
        if persona.join_day > day {
            continue;
        }
        let profile: MemberProfile = serde_json::from_value(json!({
            "id": persona.id, "name": format!("Member {}", persona.id), "avatar": null,
            "email_verified": persona.email_verified, "phone_verified": false,
            "tags": persona.tags, "locale": null,
        }))
        .map_err(|e| internal("a profile", e))?;
        batch.put_json(app_keys::profile(&profile.id), &profile)?;
        let points = ledger.points(i);
        if points > 0 {
            let account = json!({"balance": points, "earned": points, "next_seq": 0});
            batch.put_json(app_keys::points(&profile.id), &account)?;
            let entry = BoardEntry {
                member: profile.id.clone(),
                points,
                reached_at: now,
            };
            let all = PeriodKey::all_time();
            let board = super::super::points::rkeys::board(&all, &profile.id);
            batch.put_json(board, &entry)?;
            // With its key in the board's points-ordered index (see the marker below).
            batch.put_json(board_index::key(&all, &entry), &())?;
            totals.members += 1;
            totals.points = totals.points.saturating_add(points);
        }
        if batch.writes().len() > 30_000 {
            store.commit(std::mem::take(&mut batch)).await?;
        }
    }
    // The index is complete: every all-time entry is one of these (the store had none).
    batch.put_json(board_index::marker(&PeriodKey::all_time()), &totals)?;
    store.commit(batch).await?;
    Ok(())
}
