//! The daily check-in reminder through the application layer: opting in and out, the run
//! on the automations' alarm path, exactly once a member and community-local day.

use chrono::{NaiveDate, TimeZone as _};
use serde_json::json;

use super::*;
use crate::app::automation::{AutomationCommand, AutomationReply};
use crate::app::testing::{NOON, claims, community_with_key, run, signed};
use crate::app::{Command, MyCheckin, Reply};
use crate::error::ErrorCode;
use crate::notify::Notification;
use crate::sso::SsoKey;
use crate::store::{MemoryStore, block_on};
use crate::webhook::Delivery;

/// `h:m` on `2026-09-{day}`, Asia/Shanghai (the fixtures' community's time zone).
fn at(day: u32, h: u32, m: u32) -> Timestamp {
    let local = NaiveDate::from_ymd_opt(2026, 9, day)
        .unwrap()
        .and_hms_opt(h, m, 0)
        .unwrap();
    let t = chrono_tz::Asia::Shanghai
        .from_local_datetime(&local)
        .unwrap();
    Timestamp(t.timestamp_millis())
}

fn member(key: &SsoKey, sub: &str, now: Timestamp) -> Actor {
    signed(key, &claims(sub, "Lin", "demo", now))
}

fn set(
    store: &MemoryStore,
    actor: &Actor,
    enabled: bool,
    now: Timestamp,
) -> Result<Reply, ApiError> {
    run(
        store,
        actor,
        Command::SetCheckinReminder(ReminderSetting { enabled }),
        now,
    )
}

fn mine(store: &MemoryStore, actor: &Actor, now: Timestamp) -> MyCheckin {
    let Reply::MyCheckin(mine) =
        run(store, actor, Command::MyCheckin { month: None }, now).unwrap()
    else {
        panic!("not my check-in")
    };
    mine
}

/// The alarm's run: answers when the next is due.
fn run_due(store: &MemoryStore, now: Timestamp) -> Option<Timestamp> {
    let command = Command::Automation(AutomationCommand::RunDue);
    let Reply::Automation(AutomationReply::Ran(ran)) =
        run(store, &Actor::Operator, command, now).unwrap()
    else {
        panic!("not a run")
    };
    ran.next_at
}

fn reminders(store: &MemoryStore, member: &str) -> usize {
    let member = MemberId::parse(member).unwrap();
    block_on(store.list(&crate::notify::keys::inbox_prefix(&member), None, 1000))
        .unwrap()
        .entries
        .iter()
        .map(|(_, v)| serde_json::from_str::<Notification>(v).unwrap())
        .filter(|n| n.kind == NotificationKind::CheckinReminder)
        .count()
}

fn webhook_events(store: &MemoryStore) -> Vec<(String, NaiveDate)> {
    block_on(store.list(crate::webhook::keys::OUTBOX, None, 1000))
        .unwrap()
        .entries
        .iter()
        .filter_map(
            |(_, v)| match serde_json::from_str::<Delivery>(v).unwrap().event {
                WebhookEvent::CheckinReminder(r) => Some((r.member.as_str().to_owned(), r.day)),
                _ => None,
            },
        )
        .collect()
}

fn hook(store: &MemoryStore, now: Timestamp) {
    let hook = Command::Webhooks(crate::app::webhooks::WebhookCommand::Create {
        id: crate::webhook::WebhookId::parse("wh-1").unwrap(),
        secret: crate::webhook::WebhookSecret::parse(&"k".repeat(64)).unwrap(),
        request: serde_json::from_value(
            json!({"url": "https://hooks.brand.example/q", "events": ["checkin.reminder"]}),
        )
        .unwrap(),
        policy: crate::webhook::UrlPolicy::Public,
    });
    run(store, &Actor::Operator, hook, now).unwrap();
}

fn day(d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 9, d).unwrap()
}

#[test]
fn opted_in_members_who_have_not_checked_in_are_reminded_once_a_day() {
    let (store, key) = community_with_key(at(25, 8, 0));
    hook(&store, at(25, 8, 0));
    let t = at(25, 9, 0);
    let (ann, bob, cat) = (
        member(&key, "ann", t),
        member(&key, "bob", t),
        member(&key, "cat", t),
    );
    assert!(!mine(&store, &ann, t).reminder);
    assert_eq!(
        set(&store, &ann, true, t).unwrap(),
        Reply::CheckinReminder(ReminderSetting { enabled: true })
    );
    set(&store, &bob, true, t).unwrap();
    assert!(mine(&store, &ann, t).reminder);
    assert!(!mine(&store, &cat, t).reminder);
    // Bob checks in today; Cat never opted in.
    run(&store, &bob, Command::CheckIn, t).unwrap();
    run(&store, &cat, Command::CheckIn, t).unwrap();

    // Before the hour (default 20:00 local): nothing, and the next run is at 20:00.
    assert_eq!(run_due(&store, at(25, 19, 59)), Some(at(25, 20, 0)));
    assert_eq!(reminders(&store, "ann"), 0);

    // At the hour: Ann only, once; then the next run is tomorrow at 20:00.
    assert_eq!(run_due(&store, at(25, 20, 0)), Some(at(26, 20, 0)));
    assert_eq!(
        (
            reminders(&store, "ann"),
            reminders(&store, "bob"),
            reminders(&store, "cat")
        ),
        (1, 0, 0)
    );
    assert_eq!(webhook_events(&store), [("ann".to_owned(), day(25))]);
    assert_eq!(run_due(&store, at(25, 21, 0)), Some(at(26, 20, 0)));
    assert_eq!(reminders(&store, "ann"), 1);
    // Dan opts in after the day's run: reminded at the next wake, Ann not again.
    let dan = member(&key, "dan", at(25, 22, 0));
    set(&store, &dan, true, at(25, 22, 0)).unwrap();
    assert_eq!(run_due(&store, at(25, 22, 0)), Some(at(26, 20, 0)));
    assert_eq!(run_due(&store, at(25, 23, 59)), Some(at(26, 20, 0)));
    assert_eq!((reminders(&store, "ann"), reminders(&store, "dan")), (1, 1));
    let dan = member(&key, "dan", at(25, 23, 0));
    set(&store, &dan, false, at(25, 23, 0)).unwrap();

    // The next day: again (Bob has not checked in on the 26th either).
    assert_eq!(run_due(&store, at(26, 20, 30)), Some(at(27, 20, 0)));
    assert_eq!((reminders(&store, "ann"), reminders(&store, "bob")), (2, 1));
    assert_eq!(webhook_events(&store).len(), 4);
    // The 25th's keys are pruned; the 26th's guard the day.
    let kept = block_on(store.list(rkeys::REMINDED, None, 100))
        .unwrap()
        .entries;
    assert!(
        kept.iter()
            .all(|(k, _)| k.starts_with(&rkeys::reminded_day(day(26)))),
        "{kept:?}"
    );
    assert_eq!(kept.len(), 2);

    // Ann opts out: no more reminders for her.
    let t27 = at(27, 9, 0);
    let ann = member(&key, "ann", t27);
    set(&store, &ann, false, t27).unwrap();
    assert!(!mine(&store, &ann, t27).reminder);
    run_due(&store, at(27, 20, 0));
    assert_eq!((reminders(&store, "ann"), reminders(&store, "bob")), (2, 2));

    // Bob opts out too: nobody is left, no run is scheduled.
    let bob = member(&key, "bob", t27);
    set(&store, &bob, false, t27).unwrap();
    assert_eq!(run_due(&store, at(28, 20, 0)), None);
    assert_eq!((reminders(&store, "ann"), reminders(&store, "bob")), (2, 2));
}

#[test]
fn the_day_is_the_community_local_day_and_the_hour_is_a_check_in_rule() {
    let (store, key) = community_with_key(at(25, 8, 0));
    // The hour is a community check-in setting (with the points rules).
    let rules = json!({"type": "points", "body": {"type": "put_rules",
        "points": {}, "checkin": {"reminder_hour": 7}}});
    run(
        &store,
        &Actor::Operator,
        serde_json::from_value(rules).unwrap(),
        at(25, 8, 0),
    )
    .unwrap();
    // Dee checks in at 00:30 on the 26th local time (16:30 UTC on the 25th); Eve at 23:30
    // on the 25th (15:30 UTC, the same UTC day as Dee's).
    let (dee_t, eve_t) = (at(26, 0, 30), at(25, 23, 30));
    assert_eq!(
        dee_t.utc().unwrap().date_naive(),
        eve_t.utc().unwrap().date_naive()
    );
    let dee = member(&key, "dee", dee_t);
    let eve = member(&key, "eve", eve_t);
    set(&store, &eve, true, eve_t).unwrap();
    run(&store, &eve, Command::CheckIn, eve_t).unwrap();
    set(&store, &dee, true, dee_t).unwrap();
    run(&store, &dee, Command::CheckIn, dee_t).unwrap();
    // 06:59 local on the 26th (22:59 UTC on the 25th): not yet.
    assert_eq!(run_due(&store, at(26, 6, 59)), Some(at(26, 7, 0)));
    assert_eq!(reminders(&store, "eve"), 0);
    // 07:00 local: Eve has not checked in on the 26th, Dee has.
    assert_eq!(run_due(&store, at(26, 7, 0)), Some(at(27, 7, 0)));
    assert_eq!((reminders(&store, "dee"), reminders(&store, "eve")), (0, 1));
}

#[test]
fn bad_or_foreign_actors_change_nothing() {
    let (store, key) = community_with_key(NOON);
    let before = store.ops().commits;
    let other = signed(&key, &claims("ann", "Lin", "elsewhere", NOON));
    for actor in [Actor::Anonymous, other, Actor::Operator] {
        let err = set(&store, &actor, true, NOON).unwrap_err();
        assert_eq!(err.code, ErrorCode::Unauthenticated, "{err:?}");
    }
    assert_eq!(store.ops().commits, before, "a refusal writes nothing");
    // The check-in switched off: refused, nothing written, nobody reminded.
    let ann = member(&key, "ann", NOON);
    set(&store, &ann, true, NOON).unwrap();
    let settings =
        serde_json::from_value(json!({"name": "Demo", "features": {"checkin": false}})).unwrap();
    run(
        &store,
        &Actor::Operator,
        Command::PutCommunity { settings },
        NOON,
    )
    .unwrap();
    let err = set(&store, &ann, false, NOON).unwrap_err();
    assert_eq!(err.code, ErrorCode::FeatureDisabled);
    assert_eq!(run_due(&store, at(25, 21, 0)), None);
    assert_eq!(reminders(&store, "ann"), 0);
}

#[test]
fn an_erased_member_is_not_reminded_under_their_pseudonym() {
    let (store, key) = community_with_key(at(25, 8, 0));
    let t = at(25, 9, 0);
    let ann = member(&key, "ann", t);
    set(&store, &ann, true, t).unwrap();
    let erase = Command::Data(crate::app::data::DataCommand::EraseMember {
        member: MemberId::parse("ann").unwrap(),
    });
    run(&store, &Actor::Operator, erase, t).unwrap();
    // Erasure takes the opt-in away: nobody is left to remind.
    assert!(
        block_on(store.list(rkeys::OPTED_IN, None, 10))
            .unwrap()
            .entries
            .is_empty()
    );
    assert_eq!(run_due(&store, at(25, 20, 0)), None);
    let inboxes = block_on(store.list("member/", None, 1000)).unwrap().entries;
    assert!(
        inboxes.iter().all(|(k, _)| !k.contains("/inbox/")),
        "{inboxes:?}"
    );
}

#[test]
fn a_capped_run_carries_on_where_it_stopped_and_pruning_keeps_up() {
    use crate::app::automation::RUN_CAP;
    let cap = RUN_CAP as usize;
    let (store, key) = community_with_key(at(25, 8, 0));
    let t = at(25, 9, 0);
    let members = 2 * cap + 200;
    for i in 0..members {
        set(&store, &member(&key, &format!("m{i:05}"), t), true, t).unwrap();
    }
    // Earlier days left more reminded keys than one run's allowance.
    let mut past = Batch::new();
    for i in 0..3 * PRUNE + cap {
        past.put_json(
            rkeys::reminded(day(20), &MemberId::parse(&format!("p{i}")).unwrap()),
            &t,
        )
        .unwrap();
    }
    block_on(store.commit(past)).unwrap();
    let count = |prefix: &str| {
        block_on(store.list(prefix, None, 10 * members))
            .unwrap()
            .entries
            .len()
    };

    let t = at(25, 20, 0);
    let reads = |run: &dyn Fn()| {
        let before = store.ops().gets;
        run();
        store.ops().gets - before
    };
    let first = reads(&|| assert_eq!(run_due(&store, t), Some(t), "capped: again at once"));
    assert_eq!(count(&rkeys::reminded_day(day(25))), cap);
    let second = reads(&|| assert_eq!(run_due(&store, t), Some(t)));
    assert_eq!(count(&rkeys::reminded_day(day(25))), 2 * cap);
    // The second run starts where the first stopped: as many reads as the first, not one
    // more for each member the first reached.
    assert!(second < first + 50, "{first} then {second} reads");
    assert_eq!(run_due(&store, t), Some(at(26, 20, 0)));
    assert_eq!(count(&rkeys::reminded_day(day(25))), members);
    for i in [0, cap, members - 1] {
        assert_eq!(reminders(&store, &format!("m{i:05}")), 1);
    }
    // Every past key went, while today's keep guarding the day.
    assert_eq!(count(&rkeys::reminded_day(day(20))), 0);
    assert!(block_on(store.get(rkeys::CURSOR)).unwrap().is_none());
}
