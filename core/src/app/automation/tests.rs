//! Automations against the scripted community played through the application layer: who
//! they reach is checked against answers worked out from the script's steps alone; then
//! dry runs against real runs, exactly once under repeated runs and repeated triggers, and
//! each action through the path of its own area.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use chrono::Duration;
use serde_json::json;

use super::*;
use crate::accounts::Email;
use crate::app::insight::scripted::{self, Ledger, Stage, at, first_day};
use crate::app::{Command, handle as app_handle};
use crate::insight::script::{Action as Step, Community, ScriptConfig};
use crate::notify::Notification;
use crate::points::{LedgerEntry, PointsAccount, Reason};
use crate::store::{MemoryStore, block_on};
use crate::webhook::Delivery;

const MEMBERS: u32 = 60;

fn ask(
    store: &MemoryStore,
    stage: &Stage,
    actor: &Actor,
    command: AutomationCommand,
    now: Timestamp,
) -> Result<AutomationReply, ApiError> {
    let outcome = block_on(app_handle(
        store,
        &stage.slug,
        actor,
        Command::Automation(command),
        now,
    ))?;
    match outcome.reply {
        Reply::Automation(reply) => Ok(reply),
        other => panic!("{other:?}"),
    }
}

fn id(raw: &str) -> AutomationId {
    AutomationId::parse(raw).unwrap()
}

fn create(store: &MemoryStore, stage: &Stage, now: Timestamp, raw: &str, draft: serde_json::Value) {
    let command = AutomationCommand::Create {
        id: id(raw),
        draft: serde_json::from_value(draft).unwrap(),
    };
    ask(store, stage, &Actor::Operator, command, now).unwrap();
}

fn command(json: serde_json::Value) -> Command {
    serde_json::from_value(json).unwrap()
}

/// `(member, occurrence)` of every firing of `automation`.
fn fired(store: &MemoryStore, automation: &str) -> BTreeSet<(String, String)> {
    let prefix = akeys::fired_prefix(&id(automation));
    block_on(store.list(&prefix, None, 100_000))
        .unwrap()
        .entries
        .into_iter()
        .map(|(key, _)| {
            let rest = key.strip_prefix(&prefix).unwrap();
            let (occurrence, member) = rest.split_once('/').unwrap();
            (member.to_owned(), occurrence.to_owned())
        })
        .collect()
}

fn inbox(store: &MemoryStore, member: &str) -> Vec<Notification> {
    let member = MemberId::parse(member).unwrap();
    block_on(store.list(&crate::notify::keys::inbox_prefix(&member), None, 1000))
        .unwrap()
        .entries
        .iter()
        .map(|(_, v)| serde_json::from_str(v).unwrap())
        .collect()
}

fn saying(store: &MemoryStore, member: &str, message: &str) -> usize {
    inbox(store, member)
        .iter()
        .filter(|n| n.target.message.as_deref() == Some(message))
        .count()
}

fn account(store: &MemoryStore, member: &str) -> PointsAccount {
    let member = MemberId::parse(member).unwrap();
    block_on(get_json::<PointsAccount>(store, &keys::points(&member)))
        .unwrap()
        .unwrap_or_default()
}

fn staff_tags(store: &MemoryStore, member: &str) -> Vec<String> {
    let member = MemberId::parse(member).unwrap();
    block_on(get_json::<StaffTags>(store, &mkeys::staff_tags(&member)))
        .unwrap()
        .unwrap_or_default()
        .tags
        .iter()
        .map(ToString::to_string)
        .collect()
}

/// The scripted community played to its end with four automations saved before day 0,
/// and what the script did, worked out from its steps.
struct Played {
    store: MemoryStore,
    stage: Stage,
    script: Community,
    /// Per member index: points the script's own rules give.
    ledger: Ledger,
    /// Member index → events attended.
    attended: BTreeMap<usize, BTreeSet<String>>,
    /// Member index → the last day they did something that is logged.
    last_active: BTreeMap<usize, u32>,
}

fn played() -> MutexGuard<'static, Played> {
    static PLAYED: OnceLock<Mutex<Played>> = OnceLock::new();
    let played = PLAYED.get_or_init(|| {
        let store = MemoryStore::new();
        let mut script = Community::new(ScriptConfig {
            members: MEMBERS,
            weeks: 3,
            seed: 11,
        });
        let stage = block_on(scripted::set_up(&store, &script)).unwrap();
        let t0 = at(&stage, 0, 8 * 60);
        create(
            &store,
            &stage,
            t0,
            "welcome",
            json!({"name": "Welcome VIPs", "enabled": true, "trigger": {"kind": "member_joined"},
                "segment": {"tag": "vip"}, "action": {"kind": "notify", "message": "Welcome!"}}),
        );
        create(
            &store,
            &stage,
            t0,
            "attendee",
            json!({"name": "Thanks for coming", "enabled": true,
                "trigger": {"kind": "event_attended"},
                "action": {"kind": "grant_points", "points": 7}}),
        );
        create(
            &store,
            &stage,
            t0,
            "level2",
            json!({"name": "Level two", "enabled": true,
                "trigger": {"kind": "level_reached", "level": 2},
                "action": {"kind": "add_tag", "tag": "level-2"}}),
        );
        create(
            &store,
            &stage,
            t0,
            "off",
            json!({"name": "Switched off", "trigger": {"kind": "member_joined"},
                "action": {"kind": "notify", "message": "never"}}),
        );
        let mut ledger = Ledger::new(MEMBERS as usize);
        let mut attended: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
        let mut last_active = BTreeMap::new();
        for _ in 0..script.days() {
            let (_, steps) = script.day();
            for step in &steps {
                if let Err(e) = block_on(scripted::play(&store, &stage, &script, step)) {
                    panic!("{step:?}: {e:?}");
                }
                if scripted::fact(&script, &mut ledger, step).is_some() {
                    last_active.insert(step.member, step.day);
                }
                if let Step::Attend { event } = &step.action {
                    attended
                        .entry(step.member)
                        .or_default()
                        .insert(script.events[*event].id.clone());
                }
            }
        }
        Mutex::new(Played {
            store,
            stage,
            script,
            ledger,
            attended,
            last_active,
        })
    });
    played.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Played {
    fn id(&self, member: usize) -> String {
        self.script.members[member].id.clone()
    }

    /// What the member earned: the script's rules plus 7 per event attended.
    fn earned(&self, member: usize) -> u64 {
        let attended = self.attended.get(&member).map_or(0, BTreeSet::len) as u64;
        self.ledger.points(member) + 7 * attended
    }

    fn members(&self) -> impl Iterator<Item = usize> {
        0..self.script.members.len()
    }
}

#[test]
fn member_triggers_fire_once_each_as_the_script_says() {
    let p = played();
    let vips: BTreeSet<(String, String)> = p
        .members()
        .filter(|m| p.script.members[*m].tags.iter().any(|t| t == "vip"))
        .map(|m| (p.id(m), "joined".to_owned()))
        .collect();
    assert!(vips.len() > 3 && vips.len() < MEMBERS as usize, "{vips:?}");
    assert_eq!(fired(&p.store, "welcome"), vips);
    for m in p.members() {
        let want = usize::from(vips.contains(&(p.id(m), "joined".to_owned())));
        assert_eq!(saying(&p.store, &p.id(m), "Welcome!"), want, "{}", p.id(m));
        assert_eq!(saying(&p.store, &p.id(m), "never"), 0, "switched off");
    }
    assert!(fired(&p.store, "off").is_empty());

    let attendances: BTreeSet<(String, String)> = p
        .attended
        .iter()
        .flat_map(|(m, events)| events.iter().map(|e| (p.id(*m), format!("attended-{e}"))))
        .collect();
    assert!(!attendances.is_empty());
    assert_eq!(fired(&p.store, "attendee"), attendances);

    // Points went through the ledger: every member's total is the script's plus 7 per
    // event, and each automation line is an adjustment by "Automation".
    for m in p.members() {
        assert_eq!(
            account(&p.store, &p.id(m)).earned(),
            p.earned(m),
            "{}",
            p.id(m)
        );
    }
    let (someone, events) = p.attended.iter().next().unwrap();
    let member = MemberId::parse(&p.id(*someone)).unwrap();
    for event in events {
        let cause = format!("auto:attendee:attended-{event}");
        let record: crate::points::CauseRecord =
            block_on(get_json(&p.store, &keys::cause(&member, &cause)))
                .unwrap()
                .unwrap();
        let entry: LedgerEntry = record.entry.unwrap();
        assert_eq!(entry.delta, 7);
        assert!(
            matches!(&entry.reason, Reason::Adjustment { note, by }
                if note.as_str() == "Thanks for coming" && by.as_str() == "Automation"),
            "{:?}",
            entry.reason
        );
    }

    // Level 2 is 20 points: reached by the script's points and the automation's alike.
    let level2: BTreeSet<(String, String)> = p
        .members()
        .filter(|m| p.earned(*m) >= 20)
        .map(|m| (p.id(m), "level-2".to_owned()))
        .collect();
    assert!(!level2.is_empty());
    assert_eq!(fired(&p.store, "level2"), level2);
    for m in p.members() {
        let tagged = staff_tags(&p.store, &p.id(m)) == ["level-2"];
        assert_eq!(tagged, p.earned(m) >= 20, "{}", p.id(m));
    }
    // Some member crossed 20 only thanks to an automation's points: the cascade.
    assert!(
        p.members()
            .any(|m| p.ledger.points(m) < 20 && p.earned(m) >= 20),
        "the script has no such member; pick another seed"
    );

    let now = at(&p.stage, p.script.days(), 12 * 60);
    let AutomationReply::Runs(log) = ask(
        &p.store,
        &p.stage,
        &Actor::Operator,
        AutomationCommand::Runs { id: id("welcome") },
        now,
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(log.entries.len(), vips.len().min(RunLog::MAX));
    assert!(
        log.entries.windows(2).all(|w| w[0].at >= w[1].at),
        "newest first"
    );
    assert!(
        log.entries
            .iter()
            .all(|e| e.done && e.occurrence == "joined")
    );
}

/// The members (ids) whose last logged action was at least `days` days before `day`.
fn quiet_on(p: &Played, day: u32, days: u32) -> BTreeSet<String> {
    p.last_active
        .iter()
        .filter(|(_, last)| **last + days <= day)
        .map(|(m, _)| p.id(*m))
        .collect()
}

fn dry(p: &Played, automation: &str, now: Timestamp) -> DryRun {
    let command = AutomationCommand::DryRun {
        id: id(automation),
        limit: Some(MAX_SAMPLE),
    };
    match ask(&p.store, &p.stage, &Actor::Operator, command, now).unwrap() {
        AutomationReply::DryRun(dry) => dry,
        other => panic!("{other:?}"),
    }
}

fn run_due(p: &Played, now: Timestamp) -> RanDue {
    match ask(
        &p.store,
        &p.stage,
        &Actor::Operator,
        AutomationCommand::RunDue,
        now,
    )
    .unwrap()
    {
        AutomationReply::Ran(ran) => ran,
        other => panic!("{other:?}"),
    }
}

fn enable(p: &Played, automation: &str, now: Timestamp) {
    let command = AutomationCommand::SetEnabled {
        id: id(automation),
        enabled: true,
    };
    ask(&p.store, &p.stage, &Actor::Operator, command, now).unwrap();
}

#[test]
fn time_triggers_reach_what_the_dry_run_said_once() {
    let p = played();
    let last = p.script.days() - 1;
    // The last day, 22:30, after the day's steps: quiet for 7 days, gold members left out.
    let now = at(&p.stage, last, 22 * 60 + 30);
    create(
        &p.store,
        &p.stage,
        now,
        "quiet",
        json!({"name": "We miss you", "trigger": {"kind": "inactive", "days": 7, "hour": 22},
            "segment": {"not": {"tag": "gold"}},
            "action": {"kind": "notify", "message": "We miss you"}}),
    );
    let gold: BTreeSet<String> = p
        .members()
        .filter(|m| p.script.members[*m].tags.iter().any(|t| t == "gold"))
        .map(|m| p.id(m))
        .collect();
    let expected: Vec<String> = quiet_on(&p, last, 7)
        .into_iter()
        .filter(|m| !gold.contains(m))
        .collect();
    assert!(expected.len() > 2, "{expected:?}");

    let before = dry(&p, "quiet", now);
    assert!(!before.on_event);
    assert_eq!(before.count as usize, expected.len());
    let named: Vec<String> = before.members.iter().map(ToString::to_string).collect();
    assert_eq!(named, expected);
    assert_eq!(run_due(&p, now).fired, 0, "switched off, it does nothing");
    assert!(fired(&p.store, "quiet").is_empty());

    enable(&p, "quiet", now);
    let early = at(&p.stage, last, 21 * 60 + 59);
    assert_eq!(run_due(&p, early).fired, 0, "not before its hour");
    let ran = run_due(&p, now);
    assert_eq!(ran.fired as usize, expected.len());
    let reached: Vec<String> = fired(&p.store, "quiet")
        .into_iter()
        .map(|(m, _)| m)
        .collect();
    assert_eq!(reached, expected, "the dry run named exactly these");
    assert_eq!(
        ran.next_at,
        Some(at(&p.stage, last + 1, 22 * 60)),
        "tomorrow at its hour"
    );
    for (m, occurrence) in fired(&p.store, "quiet") {
        let index = p.members().find(|i| p.id(*i) == m).unwrap();
        let last_day = first_day() + Duration::days(i64::from(p.last_active[&index]));
        assert_eq!(occurrence, format!("quiet-{last_day}"));
    }

    // Again; then again after losing the day's marker (a replayed run): nothing twice.
    assert_eq!(run_due(&p, now.plus_millis(60_000)).fired, 0);
    let mut batch = Batch::new();
    batch.delete(akeys::ran(&id("quiet")));
    block_on(p.store.commit(batch)).unwrap();
    assert_eq!(run_due(&p, now.plus_millis(120_000)).fired, 0);
    // The next day the same quiet spell is the same occurrence.
    let tomorrow = at(&p.stage, last + 1, 22 * 60 + 30);
    let newly = quiet_on(&p, last + 1, 7).len() - quiet_on(&p, last, 7).len();
    let newly_not_gold = quiet_on(&p, last + 1, 7)
        .difference(&quiet_on(&p, last, 7))
        .filter(|m| !gold.contains(*m))
        .count();
    assert!(newly >= newly_not_gold);
    assert_eq!(dry(&p, "quiet", tomorrow).count as usize, newly_not_gold);
    assert_eq!(run_due(&p, tomorrow).fired as usize, newly_not_gold);
    for m in &expected {
        assert_eq!(saying(&p.store, m, "We miss you"), 1, "{m}");
    }
    assert_eq!(dry(&p, "quiet", tomorrow).count, 0, "everyone reached");

    // Daily at 9 for members with 20 points or more, two days running.
    let day2 = last + 2;
    create(
        &p.store,
        &p.stage,
        now,
        "daily",
        json!({"name": "Daily", "enabled": false, "trigger": {"kind": "daily"},
            "segment": {"points": {"min": 20}},
            "action": {"kind": "notify", "message": "Daily"}}),
    );
    let rich: Vec<String> = p
        .members()
        .filter(|m| p.earned(*m) >= 20)
        .map(|m| p.id(m))
        .collect();
    let nine = at(&p.stage, day2, 9 * 60 + 5);
    let dry_daily = dry(&p, "daily", nine);
    assert_eq!(
        dry_daily
            .members
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>(),
        rich
    );
    enable(&p, "daily", nine);
    let eight = at(&p.stage, day2, 8 * 60);
    let waiting = run_due(&p, eight);
    assert_eq!(waiting.fired, 0);
    assert_eq!(waiting.next_at, Some(at(&p.stage, day2, 9 * 60)));
    assert_eq!(run_due(&p, nine).fired as usize, rich.len());
    assert_eq!(run_due(&p, nine.plus_millis(1000)).fired, 0);
    let next_nine = at(&p.stage, day2 + 1, 9 * 60 + 5);
    assert_eq!(run_due(&p, next_nine).fired as usize, rich.len());
    for m in &rich {
        assert_eq!(saying(&p.store, m, "Daily"), 2, "{m}");
    }
    // Yesterday's fired keys guard nothing any more: the run pruned them.
    let second = format!("day-{}", first_day() + Duration::days(i64::from(day2 + 1)));
    let kept = fired(&p.store, "daily");
    assert_eq!(kept.len(), rich.len());
    assert!(
        kept.iter().all(|(_, occurrence)| *occurrence == second),
        "{kept:?}"
    );
}

#[test]
fn each_action_goes_through_its_own_area_once() {
    let store = MemoryStore::new();
    let mut script = Community::new(ScriptConfig {
        members: 3,
        weeks: 2,
        seed: 3,
    });
    let stage = block_on(scripted::set_up(&store, &script)).unwrap();
    let t0 = at(&stage, 0, 8 * 60);
    let op = Actor::Operator;
    let badges = json!({"type": "points", "body": {"type": "put_badges", "badges": [
        {"id": "vip", "names": {"zh_cn": "贵宾", "en": "VIP"}, "award": {"by": "staff"}}
    ]}});
    block_on(app_handle(&store, &stage.slug, &op, command(badges), t0)).unwrap();
    let hook = Command::Webhooks(crate::app::webhooks::WebhookCommand::Create {
        id: crate::webhook::WebhookId::parse("wh-1").unwrap(),
        secret: crate::webhook::WebhookSecret::parse(&"k".repeat(64)).unwrap(),
        request: serde_json::from_value(
            json!({"url": "https://hooks.brand.example/q", "events": ["automation.fired"]}),
        )
        .unwrap(),
        policy: crate::webhook::UrlPolicy::Public,
    });
    block_on(app_handle(&store, &stage.slug, &op, hook, t0)).unwrap();
    let on_join = |action: serde_json::Value| {
        json!({"name": "On join", "enabled": true, "trigger": {"kind": "member_joined"},
            "action": action})
    };
    create(
        &store,
        &stage,
        t0,
        "a-notify",
        on_join(json!({"kind": "notify", "message": "Hello"})),
    );
    create(
        &store,
        &stage,
        t0,
        "a-points",
        on_join(json!({"kind": "grant_points", "points": 15})),
    );
    create(
        &store,
        &stage,
        t0,
        "a-badge",
        on_join(json!({"kind": "grant_badge", "badge": "vip"})),
    );
    create(
        &store,
        &stage,
        t0,
        "a-tag",
        on_join(json!({"kind": "add_tag", "tag": "new"})),
    );
    create(
        &store,
        &stage,
        t0,
        "a-invite",
        on_join(json!({"kind": "invite_to_event", "event": "e1", "message": "Come taste"})),
    );
    create(
        &store,
        &stage,
        t0,
        "a-hook",
        on_join(json!({"kind": "webhook"})),
    );
    create(
        &store,
        &stage,
        t0,
        "on-badge",
        json!({"name": "Badge", "enabled": true,
            "trigger": {"kind": "badge_earned", "badge": "vip"},
            "action": {"kind": "notify", "message": "Nice badge"}}),
    );

    // The first member joins (day 0 or later: play their join step).
    let (day, steps) = loop {
        let (day, steps) = script.day();
        if steps.iter().any(|s| s.action == Step::Join) {
            break (day, steps);
        }
    };
    let join = steps.iter().find(|s| s.action == Step::Join).unwrap();
    let who = script.members[join.member].id.clone();
    let before = store.ops().commits;
    block_on(scripted::play(&store, &stage, &script, join)).unwrap();
    assert_eq!(
        store.ops().commits - before,
        1,
        "the join and every action: one batch"
    );

    let notes = inbox(&store, &who);
    assert_eq!(saying(&store, &who, "Hello"), 1);
    let invite = notes
        .iter()
        .find(|n| n.target.message.as_deref() == Some("Come taste"))
        .unwrap();
    assert_eq!(invite.target.event.as_deref(), Some("e1"));
    assert_eq!(
        saying(&store, &who, "Nice badge"),
        1,
        "the granted badge set off another"
    );
    assert!(notes.iter().any(
        |n| n.kind == NotificationKind::BadgeEarned && n.target.badge.as_deref() == Some("vip")
    ));
    assert_eq!(account(&store, &who).balance(), 15);
    assert_eq!(staff_tags(&store, &who), ["new"]);
    let audit = block_on(store.list("mod/audit/", None, 100)).unwrap();
    assert!(
        audit.entries.iter().any(|(_, v)| v.contains("tag_member")),
        "{audit:?}"
    );
    let outbox: Vec<Delivery> = block_on(store.list(crate::webhook::keys::OUTBOX, None, 100))
        .unwrap()
        .entries
        .iter()
        .map(|(_, v)| serde_json::from_str(v).unwrap())
        .collect();
    assert_eq!(outbox.len(), 1);
    let WebhookEvent::AutomationFired(data) = &outbox[0].event else {
        panic!("{:?}", outbox[0].event)
    };
    assert_eq!(
        (data.automation.as_str(), data.member.as_str()),
        ("a-hook", who.as_str())
    );
    assert_eq!(data.occurrence, "joined");

    // Staff take the badge away and give it again: the same occurrence, nothing twice.
    let now = at(&stage, day, 12 * 60);
    for kind in ["revoke_badge", "grant_badge"] {
        let c = json!({"type": "points", "body": {"type": kind, "badge": "vip", "member": who}});
        block_on(app_handle(&store, &stage.slug, &op, command(c), now)).unwrap();
    }
    assert_eq!(saying(&store, &who, "Nice badge"), 1);
    assert_eq!(fired(&store, "on-badge").len(), 1);
    // A second badge grant by the automation is skipped and logged so.
    let mut batch = Batch::new();
    batch.delete(akeys::fired(
        &id("a-badge"),
        &MemberId::parse(&who).unwrap(),
        "joined",
    ));
    block_on(store.commit(batch)).unwrap();
    let mut change = Change::new();
    change
        .activity
        .push((MemberId::parse(&who).unwrap(), ActivityKind::Joined, None));
    block_on(change.commit(&store, stage.tz, now)).unwrap();
    let AutomationReply::Runs(log) = ask(
        &store,
        &stage,
        &op,
        AutomationCommand::Runs { id: id("a-badge") },
        now,
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(log.entries.len(), 2);
    assert!(!log.entries[0].done);
    assert_eq!(
        log.entries[0].note.as_deref(),
        Some("already holds the badge `vip`")
    );
    // The other automations had fired for this occurrence: a replayed join does nothing.
    assert_eq!(saying(&store, &who, "Hello"), 1);
    assert_eq!(account(&store, &who).balance(), 15);
}

#[test]
fn only_owners_and_admins_manage_automations_and_bad_input_writes_nothing() {
    let store = MemoryStore::new();
    let script = Community::new(ScriptConfig {
        members: 1,
        weeks: 1,
        seed: 1,
    });
    let stage = block_on(scripted::set_up(&store, &script)).unwrap();
    let now = at(&stage, 0, 8 * 60);
    let staff = |email: &str, role: Role| {
        let email = Email::parse(email).unwrap();
        let mut batch = Batch::new();
        batch.put_json(keys::staff(&email), &role).unwrap();
        block_on(store.commit(batch)).unwrap();
        Actor::Marketer { email }
    };
    let admin = staff("ada@brand.example", Role::Admin);
    let moderator = staff("mo@brand.example", Role::Moderator);
    let draft = || {
        serde_json::from_value::<AutomationDraft>(json!({"name": "Hi",
            "trigger": {"kind": "member_joined"}, "action": {"kind": "webhook"}}))
        .unwrap()
    };
    let make = |who: &Actor, raw: &str| {
        ask(
            &store,
            &stage,
            who,
            AutomationCommand::Create {
                id: id(raw),
                draft: draft(),
            },
            now,
        )
    };
    let commits = store.ops().commits;
    for (who, code) in [
        (&moderator, ErrorCode::Forbidden),
        (&Actor::Anonymous, ErrorCode::Unauthenticated),
    ] {
        assert_eq!(make(who, "x").unwrap_err().code, code);
        let list = ask(&store, &stage, who, AutomationCommand::List, now);
        assert_eq!(list.unwrap_err().code, code);
    }
    assert_eq!(
        ask(&store, &stage, &admin, AutomationCommand::RunDue, now)
            .unwrap_err()
            .code,
        ErrorCode::Forbidden
    );
    let mut bad = draft();
    bad.segment = Some(Filter::All(Vec::new()));
    let refused = ask(
        &store,
        &stage,
        &admin,
        AutomationCommand::Create {
            id: id("x"),
            draft: bad,
        },
        now,
    );
    assert_eq!(refused.unwrap_err().code, ErrorCode::InvalidInput);
    assert_eq!(store.ops().commits, commits, "refusals write nothing");

    let AutomationReply::Automation(made) = make(&admin, "a0").unwrap() else {
        panic!()
    };
    assert_eq!(made.created_by.as_str(), "ada@brand.example");
    assert!(!made.enabled);
    assert_eq!(make(&admin, "a0").unwrap_err().code, ErrorCode::Conflict);
    for n in 1..Automation::MAX {
        make(&admin, &format!("a{n}")).unwrap();
    }
    assert_eq!(
        make(&admin, "one-more").unwrap_err().code,
        ErrorCode::Conflict
    );
    let AutomationReply::List(list) =
        ask(&store, &stage, &admin, AutomationCommand::List, now).unwrap()
    else {
        panic!()
    };
    assert_eq!(list.items.len(), Automation::MAX);
    let missing = ask(
        &store,
        &stage,
        &admin,
        AutomationCommand::Get { id: id("nope") },
        now,
    );
    assert_eq!(missing.unwrap_err().code, ErrorCode::NotFound);
    let zero = AutomationCommand::DryRun {
        id: id("a0"),
        limit: Some(0),
    };
    assert_eq!(
        ask(&store, &stage, &admin, zero, now).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    let AutomationReply::Deleted(gone) = ask(
        &store,
        &stage,
        &admin,
        AutomationCommand::Delete { id: id("a0") },
        now,
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(gone.id, id("a0"));
    let again = ask(
        &store,
        &stage,
        &admin,
        AutomationCommand::Get { id: id("a0") },
        now,
    );
    assert_eq!(again.unwrap_err().code, ErrorCode::NotFound);
}

#[test]
fn a_run_stops_at_its_cap_and_the_next_carries_on() {
    let store = MemoryStore::new();
    let mut script = Community::new(ScriptConfig {
        members: 14,
        weeks: 1,
        seed: 5,
    });
    let stage = block_on(scripted::set_up(&store, &script)).unwrap();
    for _ in 0..script.days() {
        let (_, steps) = script.day();
        for step in &steps {
            block_on(scripted::play(&store, &stage, &script, step)).unwrap();
        }
    }
    let day = script.days();
    let now = at(&stage, day, 10 * 60);
    for raw in ["first", "second"] {
        create(
            &store,
            &stage,
            now,
            raw,
            json!({"name": raw, "enabled": true, "trigger": {"kind": "daily", "hour": 6},
                "action": {"kind": "notify", "message": raw}}),
        );
    }
    let dry = |raw: &str| match ask(
        &store,
        &stage,
        &Actor::Operator,
        AutomationCommand::DryRun {
            id: id(raw),
            limit: Some(MAX_SAMPLE),
        },
        now,
    )
    .unwrap()
    {
        AutomationReply::DryRun(dry) => dry,
        other => panic!("{other:?}"),
    };
    let everyone: BTreeSet<String> = dry("first")
        .members
        .iter()
        .map(ToString::to_string)
        .collect();
    let due = 2 * everyone.len();
    assert!(due > 10, "{due}");

    // Earlier days left more fired keys than one run deletes beyond what it writes.
    let past_day = now.local_day(stage.tz).unwrap() - chrono::Duration::days(3);
    let mut past = Batch::new();
    for i in 0..2 * PRUNE + 10 {
        let member = crate::ids::MemberId::parse(&format!("gone-{i}")).unwrap();
        let key = akeys::fired(&id("first"), &member, &day_occurrence(past_day));
        past.put_json(key, &true).unwrap();
    }
    block_on(store.commit(past)).unwrap();
    let past_prefix = akeys::fired_occurrences(&id("first"), &day_occurrence(past_day));

    const CAP: u32 = 4;
    let mut runs = Vec::new();
    let mut reads = Vec::new();
    let mut t = now;
    loop {
        let before = store.ops().gets;
        let ran = block_on(super::run_due(&store, stage.tz, t, CAP)).unwrap();
        reads.push(store.ops().gets - before);
        runs.push(ran.fired as usize);
        assert!(runs.len() <= due, "it ends");
        if ran.next_at != Some(t) {
            assert_eq!(
                ran.next_at,
                Some(at(&stage, day + 1, 6 * 60)),
                "done for today: tomorrow at its hour"
            );
            break;
        }
        t = t.plus_millis(1000);
    }
    // Full runs until the last: bounded work per wake, nothing lost between wakes. Each run
    // carries on where the one before stopped (a cursor), so a later run reads no more than
    // the first: it does not check again the members reached already.
    let first = reads[0];
    assert!(
        reads.iter().all(|n| *n <= first + 2 * CAP as usize),
        "reads per run: {reads:?}"
    );
    assert!(
        block_on(store.list(akeys::CURSORS, None, 10))
            .unwrap()
            .entries
            .is_empty(),
        "a complete run leaves no cursor"
    );
    let (last, full) = runs.split_last().unwrap();
    assert!(full.iter().all(|n| *n == CAP as usize), "{runs:?}");
    assert_eq!(runs.iter().sum::<usize>(), due, "{runs:?}");
    assert!(*last <= CAP as usize, "{runs:?}");
    for raw in ["first", "second"] {
        let reached: BTreeSet<String> = fired(&store, raw).into_iter().map(|(m, _)| m).collect();
        assert_eq!(reached, everyone, "{raw}: everyone once");
        assert_eq!(dry(raw).count, 0, "{raw}: nobody left today");
        for m in &everyone {
            assert_eq!(saying(&store, m, raw), 1, "{raw} {m}");
        }
    }
    let again = block_on(super::run_due(&store, stage.tz, t.plus_millis(1000), CAP)).unwrap();
    assert_eq!(again.fired, 0);
    // Every run, the capped ones too, pruned: nothing of the past day is left.
    let left = block_on(store.list(&past_prefix, None, 5000))
        .unwrap()
        .entries;
    assert!(left.is_empty(), "{} past keys left", left.len());
}
