use serde_json::json;

use super::*;
use crate::app::testing::{NOON, community_with_key, member, slug};
use crate::app::{Change, Command, handle as app_handle};
use crate::community::TimeZone;
use crate::ids::MemberId;
use crate::notify::{ActivityKind, NotificationKind, NotificationTarget, Notify};
use crate::sso::SsoKey;
use crate::store::{MemoryStore, block_on};

fn community() -> (MemoryStore, SsoKey) {
    community_with_key(NOON)
}

fn inbox(
    store: &MemoryStore,
    actor: &Actor,
    command: serde_json::Value,
) -> Result<InboxReply, ApiError> {
    let command: InboxCommand = serde_json::from_value(command).unwrap();
    match block_on(app_handle(
        store,
        &slug(),
        actor,
        Command::Inbox(command),
        NOON,
    ))?
    .reply
    {
        Reply::Inbox(reply) => Ok(reply),
        other => panic!("{other:?}"),
    }
}

/// Delivers `n` notifications to `who`, each in its own commit, `ms` apart.
fn deliver(store: &MemoryStore, who: &str, n: i64) {
    for i in 0..n {
        let mut change = Change::new();
        change.notify.push(Notify {
            recipient: MemberId::parse(who).unwrap(),
            kind: NotificationKind::JoinApproved,
            actor: None,
            target: NotificationTarget::default(),
        });
        block_on(change.commit(store, TimeZone::default(), NOON.plus_millis(i))).unwrap();
    }
}

fn unread(store: &MemoryStore, actor: &Actor) -> u32 {
    let InboxReply::UnreadCount(c) = inbox(store, actor, json!({"type": "unread_count"})).unwrap()
    else {
        panic!()
    };
    c.unread
}

#[test]
fn notifications_page_newest_first_and_count_unread() {
    let (store, key) = community();
    let lin = member(&key, "u1");
    deliver(&store, "u1", 25);
    deliver(&store, "u2", 1);
    assert_eq!(unread(&store, &lin), 25);
    let InboxReply::Notifications(first) =
        inbox(&store, &lin, json!({"type": "list", "cursor": null})).unwrap()
    else {
        panic!()
    };
    assert_eq!(first.items.len(), PAGE);
    assert_eq!(first.items[0].at, NOON.plus_millis(24), "newest first");
    assert!(first.items.windows(2).all(|w| w[0].at > w[1].at));
    let cursor = first.next.unwrap().encode();
    let InboxReply::Notifications(second) =
        inbox(&store, &lin, json!({"type": "list", "cursor": cursor})).unwrap()
    else {
        panic!()
    };
    assert_eq!(second.items.len(), 5);
    assert!(second.next.is_none());
    assert_eq!(second.items[4].at, NOON);
    assert_eq!(
        inbox(&store, &Actor::Anonymous, json!({"type": "unread_count"}))
            .unwrap_err()
            .code,
        ErrorCode::Unauthenticated
    );
}

#[test]
fn marking_read_keeps_the_unread_count_exact() {
    let (store, key) = community();
    let lin = member(&key, "u1");
    deliver(&store, "u1", 5);
    let InboxReply::Notifications(page) =
        inbox(&store, &lin, json!({"type": "list", "cursor": null})).unwrap()
    else {
        panic!()
    };
    let ids: Vec<String> = page.items.iter().map(|n| n.id.clone()).collect();
    let mark =
        |ids: serde_json::Value| inbox(&store, &lin, json!({"type": "mark_read", "which": ids}));
    let InboxReply::MarkedRead(r) =
        mark(json!({"ids": [ids[0], ids[1], ids[1], "nope", "a/b"]})).unwrap()
    else {
        panic!()
    };
    assert_eq!((r.marked, r.unread), (2, 3));
    let InboxReply::MarkedRead(r) = mark(json!({"ids": [ids[0]]})).unwrap() else {
        panic!()
    };
    assert_eq!((r.marked, r.unread), (0, 3), "already read: no change");
    let too_many: Vec<String> = (0..=MAX_IDS).map(|i| i.to_string()).collect();
    assert_eq!(
        mark(json!({"ids": too_many})).unwrap_err().code,
        ErrorCode::InvalidInput
    );
    let InboxReply::MarkedRead(r) = mark(json!({"all": true})).unwrap() else {
        panic!()
    };
    assert_eq!((r.marked, r.unread), (3, 0));
    assert_eq!(unread(&store, &lin), 0);
    assert!(serde_json::from_value::<MarkRead>(json!({"all": false})).is_err());
    let commits = store.ops().commits;
    mark(json!({"all": true})).unwrap();
    assert_eq!(
        store.ops().commits,
        commits,
        "nothing to mark writes nothing"
    );
}

#[test]
fn daily_activity_counts_active_members_and_events_by_kind() {
    let (store, key) = community();
    for (who, kind, offset) in [
        ("u1", ActivityKind::CheckedIn, 0),
        // Distinct instants: Change::commit numbers events per commit, not per millisecond.
        ("u1", ActivityKind::Joined, 1),
        ("u2", ActivityKind::CheckedIn, 2),
        ("u1", ActivityKind::CheckedIn, Timestamp::DAY),
    ] {
        let mut change = Change::new();
        change
            .activity
            .push((MemberId::parse(who).unwrap(), kind, None));
        block_on(change.commit(&store, TimeZone::default(), NOON.plus_millis(offset))).unwrap();
    }
    let ask = |who: &Actor, from: &str, to: &str| {
        inbox(
            &store,
            who,
            json!({"type": "daily_activity", "from": from, "to": to}),
        )
    };
    assert_eq!(
        ask(&member(&key, "u1"), "2026-09-25", "2026-09-26")
            .unwrap_err()
            .code,
        ErrorCode::Forbidden
    );
    assert_eq!(
        ask(&Actor::Operator, "2026-09-26", "2026-09-25")
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    assert_eq!(
        ask(&Actor::Operator, "2026-01-01", "2026-12-31")
            .unwrap_err()
            .code,
        ErrorCode::InvalidInput
    );
    let reply = ask(&Actor::Operator, "2026-09-24", "2026-09-26").unwrap();
    assert_eq!(
        reply.into_body().unwrap(),
        json!({"days": [
            {"day": "2026-09-24", "active_members": 0, "events": {}},
            {"day": "2026-09-25", "active_members": 2, "events": {"checked_in": 2, "joined": 1}},
            {"day": "2026-09-26", "active_members": 1, "events": {"checked_in": 1}},
        ]})
    );
}
