//! Webhooks against the memory store: who registers, events queued in the change's own
//! batch, the outbox cycle of attempts and retries, and the log.

use serde_json::json;

use super::*;
use crate::accounts::{Email, Role};
use crate::app::testing::{NOON, community_with_key, member, run};
use crate::app::{Command, keys as app_keys};
use crate::sso::SsoKey;
use crate::store::{MemoryStore, block_on};
use crate::webhook::{AttemptOutcome, EventType, SignupStatus};

fn command(json: serde_json::Value) -> Command {
    serde_json::from_value(json).unwrap()
}

fn create(id: &str, url: &str, events: &[&str]) -> Command {
    Command::Webhooks(WebhookCommand::Create {
        id: WebhookId::parse(id).unwrap(),
        secret: WebhookSecret::parse(&"k".repeat(64)).unwrap(),
        request: serde_json::from_value(json!({"url": url, "events": events})).unwrap(),
        policy: UrlPolicy::Public,
    })
}

fn hook(id: &str) -> WebhookId {
    WebhookId::parse(id).unwrap()
}

/// The `demo` community with a topic `run` and an endpoint `wh-1` wanting `events`.
fn world(events: &[&str]) -> (MemoryStore, SsoKey) {
    let (store, key) = community_with_key(NOON);
    let topic = json!({"type": "talk", "body": {"type": "create_topic", "id": "run", "draft": {"name": "Running"}}});
    run(&store, &Actor::Operator, command(topic), NOON).unwrap();
    run(
        &store,
        &Actor::Operator,
        create("wh-1", "https://hooks.brand.example/q", events),
        NOON,
    )
    .unwrap();
    (store, key)
}

fn new_thread(id: &str) -> Command {
    command(json!({"type": "talk", "body": {
        "type": "create_thread", "id": id, "topic": "run", "kind": "discussion",
        "title": "Which shoes?", "body": {"markdown": "Tell me", "rendered_html": "<p>Tell me</p>"}
    }}))
}

fn outbox(store: &MemoryStore) -> Vec<Delivery> {
    block_on(store.list(keys::OUTBOX, None, 1000))
        .unwrap()
        .entries
        .iter()
        .map(|(_, v)| serde_json::from_str(v).unwrap())
        .collect()
}

fn types(store: &MemoryStore) -> Vec<EventType> {
    outbox(store).iter().map(|d| d.event.event_type()).collect()
}

#[test]
fn an_event_is_queued_in_the_batch_of_its_change() {
    let (store, key) = world(&["thread.created"]);
    let before = store.ops().commits;
    run(&store, &member(&key, "ann"), new_thread("t1"), NOON).unwrap();
    assert_eq!(
        store.ops().commits - before,
        1,
        "one batch: thread and delivery"
    );
    let queued = outbox(&store);
    assert_eq!(queued.len(), 1);
    let delivery = &queued[0];
    assert_eq!(
        (
            delivery.id.as_str(),
            delivery.event_id.as_str(),
            delivery.attempts
        ),
        ("dlv-1-wh-1", "evt-1", 0)
    );
    let WebhookEvent::ThreadCreated(data) = &delivery.event else {
        panic!("{:?}", delivery.event)
    };
    assert_eq!(
        (
            data.thread.as_str(),
            data.topic.as_str(),
            data.title.as_str(),
            data.author.as_str()
        ),
        ("t1", "run", "Which shoes?", "ann")
    );
    assert_eq!(block_on(next_due(&store)).unwrap(), Some(NOON));

    // A refused command queues nothing.
    let before = store.ops().commits;
    assert!(run(&store, &member(&key, "ann"), new_thread("t1"), NOON).is_err());
    assert_eq!(store.ops().commits, before);
    assert_eq!(outbox(&store).len(), 1);
}

#[test]
fn only_subscribed_endpoints_get_deliveries() {
    let (store, key) = world(&["member.joined"]);
    run(&store, &member(&key, "ann"), new_thread("t1"), NOON).unwrap();
    assert!(outbox(&store).is_empty());

    let (bare, key) = community_with_key(NOON);
    let topic = json!({"type": "talk", "body": {"type": "create_topic", "id": "run", "draft": {"name": "Running"}}});
    run(&bare, &Actor::Operator, command(topic), NOON).unwrap();
    run(&bare, &member(&key, "ann"), new_thread("t1"), NOON).unwrap();
    assert!(outbox(&bare).is_empty());
    assert_eq!(block_on(bare.get(keys::SEQ)).unwrap(), None);
}

#[test]
fn posting_tells_of_the_thread_the_reply_and_the_badge_earned() {
    let (store, key) = world(&[
        "thread.created",
        "reply.created",
        "badge.earned",
        "member.level_up",
    ]);
    run(&store, &member(&key, "ann"), new_thread("t1"), NOON).unwrap();
    let reply = command(json!({"type": "talk", "body": {
        "type": "post_reply", "thread": "t1", "id": "r1", "in_reply_to": null,
        "body": {"markdown": "Me too", "rendered_html": "<p>Me too</p>"}
    }}));
    run(&store, &member(&key, "bo"), reply, NOON).unwrap();
    let queued = types(&store);
    assert!(queued.contains(&EventType::ThreadCreated), "{queued:?}");
    assert!(queued.contains(&EventType::ReplyCreated), "{queued:?}");
    assert!(
        queued.contains(&EventType::BadgeEarned),
        "the first post earns a badge: {queued:?}"
    );
    let ids: std::collections::BTreeSet<String> =
        outbox(&store).into_iter().map(|d| d.event_id).collect();
    assert_eq!(ids.len(), queued.len(), "every event has its own id");
}

#[test]
fn sign_ups_tell_confirmed_waitlisted_and_promoted() {
    let (store, key) = world(&["event.signup"]);
    let start = NOON.plus_millis(10 * crate::time::Timestamp::DAY);
    let event = command(json!({"type": "events", "body": {
        "type": "create", "id": "tasting", "code_entropy": [0, 1, 2, 3, 4, 5],
        "draft": {"title": "Tea tasting", "venue": {"kind": "offline", "place": "Shanghai"},
                  "starts_at": start.0, "ends_at": start.0 + crate::time::Timestamp::HOUR,
                  "capacity": 1}
    }}));
    run(&store, &Actor::Operator, event, NOON).unwrap();
    let sign_up = || {
        command(
            json!({"type": "events", "body": {"type": "sign_up", "event": "tasting", "request": {}}}),
        )
    };
    run(&store, &member(&key, "ann"), sign_up(), NOON).unwrap();
    run(&store, &member(&key, "bo"), sign_up(), NOON).unwrap();
    let cancel =
        command(json!({"type": "events", "body": {"type": "cancel_sign_up", "event": "tasting"}}));
    run(&store, &member(&key, "ann"), cancel, NOON).unwrap();
    let mut seen: Vec<(String, SignupStatus, Option<u32>)> = outbox(&store)
        .into_iter()
        .map(|d| match d.event {
            WebhookEvent::EventSignup(s) => (s.member.to_string(), s.status, s.position),
            other => panic!("{other:?}"),
        })
        .collect();
    seen.sort_by_key(|(m, s, _)| (m.clone(), *s as u8));
    assert_eq!(
        seen,
        [
            ("ann".to_owned(), SignupStatus::Confirmed, None),
            ("bo".to_owned(), SignupStatus::Waitlisted, Some(1)),
            ("bo".to_owned(), SignupStatus::Promoted, None),
        ]
    );
}

#[test]
fn joining_and_reporting_are_told() {
    let (store, key) = world(&["member.joined", "report.created"]);
    let join = command(
        json!({"type": "membership", "body": {"type": "join", "request": {"accept_rules": true}}}),
    );
    run(&store, &member(&key, "ann"), join, NOON).unwrap();
    let report = command(
        json!({"type": "membership", "body": {"type": "report", "request": {
            "target": {"kind": "member", "member": "bo"}, "reason": "spam"
        }}}),
    );
    run(&store, &member(&key, "ann"), report, NOON).unwrap();
    let mut queued = types(&store);
    queued.sort();
    assert_eq!(queued, [EventType::ReportCreated, EventType::MemberJoined]);
}

#[test]
fn only_owners_admins_and_the_operator_manage_endpoints() {
    let (store, key) = world(&["thread.created"]);
    let marketer = |email: &str, role: Option<Role>| {
        let email = Email::parse(email).unwrap();
        if let Some(role) = role {
            let mut batch = Batch::new();
            batch.put_json(app_keys::staff(&email), &role).unwrap();
            block_on(store.commit(batch)).unwrap();
        }
        Actor::Marketer { email }
    };
    let list = || Command::Webhooks(WebhookCommand::List);
    let refused = [
        member(&key, "ann"),
        Actor::Anonymous,
        marketer("stranger@x.example", None),
        marketer("mod@brand.example", Some(Role::Moderator)),
    ];
    for who in &refused {
        assert_eq!(
            run(&store, who, list(), NOON).unwrap_err().code,
            ErrorCode::Forbidden
        );
        let before = store.ops().commits;
        let err = run(
            &store,
            who,
            create("wh-2", "https://a.example/", &["badge.earned"]),
            NOON,
        );
        assert_eq!(err.unwrap_err().code, ErrorCode::Forbidden);
        assert_eq!(store.ops().commits, before);
    }
    let admin = marketer("admin@brand.example", Some(Role::Admin));
    let Reply::Webhooks(WebhookReply::List(WebhookList { webhooks: views })) =
        run(&store, &admin, list(), NOON).unwrap()
    else {
        panic!()
    };
    assert_eq!(views.len(), 1);
    let body = serde_json::to_string(&views).unwrap();
    assert!(!body.contains(&"k".repeat(64)), "no secret in a list");
}

#[test]
fn bad_endpoints_are_refused_before_any_write() {
    let (store, _) = world(&["thread.created"]);
    let before = store.ops().commits;
    let cases = [
        create("wh-2", "http://hooks.brand.example/q", &["thread.created"]),
        create("wh-2", "https://10.1.2.3/q", &["thread.created"]),
        create("wh-2", "http://127.0.0.1:9000/q", &["thread.created"]),
        create("wh-2", "https://hooks.brand.example/q", &[]),
        create("wh-1", "https://hooks.brand.example/q", &["thread.created"]),
    ];
    let codes: Vec<ErrorCode> = cases
        .into_iter()
        .map(|c| run(&store, &Actor::Operator, c, NOON).unwrap_err().code)
        .collect();
    assert_eq!(
        codes,
        [
            ErrorCode::InvalidInput,
            ErrorCode::InvalidInput,
            ErrorCode::InvalidInput,
            ErrorCode::InvalidInput,
            ErrorCode::Conflict
        ]
    );
    assert_eq!(store.ops().commits, before);
    let local = Command::Webhooks(WebhookCommand::Create {
        id: hook("wh-3"),
        secret: WebhookSecret::parse(&"k".repeat(64)).unwrap(),
        request: serde_json::from_value(
            json!({"url": "http://127.0.0.1:9000/q", "events": ["thread.created"]}),
        )
        .unwrap(),
        policy: UrlPolicy::AllowLocal,
    });
    assert!(run(&store, &Actor::Operator, local, NOON).is_ok());
}

#[test]
fn a_failed_attempt_is_retried_on_schedule_and_logged() {
    let (store, key) = world(&["thread.created"]);
    run(&store, &member(&key, "ann"), new_thread("t1"), NOON).unwrap();
    assert!(
        block_on(due(&store, NOON.plus_millis(-1), 10))
            .unwrap()
            .is_empty()
    );

    let first = block_on(due(&store, NOON, 10)).unwrap();
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].webhook.id, hook("wh-1"));
    let failed = AttemptResult::from_status(500);
    let line = block_on(record_attempt(
        &store,
        first[0].clone(),
        failed,
        NOON,
        1_000,
    ))
    .unwrap()
    .unwrap();
    assert_eq!(
        (line.attempt, line.outcome, line.next_retry_at),
        (1, AttemptOutcome::Retrying, Some(NOON.plus_millis(1_000)))
    );
    // Recording the same attempt twice does nothing the second time.
    let again = AttemptResult::from_status(500);
    assert_eq!(
        block_on(record_attempt(&store, first[0].clone(), again, NOON, 1_000)).unwrap(),
        None
    );
    assert_eq!(
        block_on(next_due(&store)).unwrap(),
        Some(NOON.plus_millis(1_000))
    );
    assert!(block_on(due(&store, NOON, 10)).unwrap().is_empty());

    let later = NOON.plus_millis(1_000);
    let second = block_on(due(&store, later, 10)).unwrap();
    assert_eq!(second[0].delivery.attempts, 1);
    let ok = AttemptResult::from_status(204);
    block_on(record_attempt(&store, second[0].clone(), ok, later, 1_000)).unwrap();
    assert_eq!(block_on(next_due(&store)).unwrap(), None);

    let read = Command::Webhooks(WebhookCommand::Deliveries {
        webhook: hook("wh-1"),
    });
    let Reply::Webhooks(WebhookReply::Deliveries(log)) =
        run(&store, &Actor::Operator, read, NOON).unwrap()
    else {
        panic!()
    };
    let lines: Vec<(u32, AttemptOutcome, Option<u16>)> = log
        .deliveries
        .iter()
        .map(|l| (l.attempt, l.outcome, l.status))
        .collect();
    assert_eq!(
        lines,
        [
            (2, AttemptOutcome::Delivered, Some(204)),
            (1, AttemptOutcome::Retrying, Some(500)),
        ]
    );
}

#[test]
fn deleting_an_endpoint_drops_its_log_and_queued_deliveries() {
    let (store, key) = world(&["thread.created"]);
    run(&store, &member(&key, "ann"), new_thread("t1"), NOON).unwrap();
    let delete = Command::Webhooks(WebhookCommand::Delete {
        webhook: hook("wh-1"),
    });
    run(&store, &Actor::Operator, delete.clone(), NOON).unwrap();
    assert_eq!(
        run(&store, &Actor::Operator, delete, NOON)
            .unwrap_err()
            .code,
        ErrorCode::NotFound
    );
    assert!(block_on(due(&store, NOON, 10)).unwrap().is_empty());
    assert!(outbox(&store).is_empty(), "the orphan was dropped");
    assert_eq!(
        block_on(community_slug(&store)).unwrap().map(String::from),
        Some("demo".to_owned())
    );
}

#[test]
fn a_pre_moderated_post_is_told_when_a_moderator_approves_it() {
    let (store, key) = world(&["thread.created"]);
    let settings = json!({"type": "membership", "body": {"type": "put_moderation_settings",
        "settings": {"pre_moderation": {"mode": "all_posts"}}, "reason": ""}});
    run(&store, &Actor::Operator, command(settings), NOON).unwrap();
    run(&store, &member(&key, "ann"), new_thread("t1"), NOON).unwrap();
    assert!(outbox(&store).is_empty(), "pending: nobody is told yet");

    let approve = json!({"type": "membership", "body": {"type": "review_post",
        "content": {"kind": "post", "thread": "t1"}, "approve": true}});
    let before = store.ops().commits;
    run(&store, &Actor::Operator, command(approve), NOON).unwrap();
    assert_eq!(
        store.ops().commits - before,
        1,
        "one batch: approval and delivery"
    );
    let queued = outbox(&store);
    assert_eq!(queued.len(), 1);
    let WebhookEvent::ThreadCreated(data) = &queued[0].event else {
        panic!("{:?}", queued[0].event)
    };
    assert_eq!((data.thread.as_str(), data.author.as_str()), ("t1", "ann"));
}
