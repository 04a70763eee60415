use serde_json::json;

use super::*;
use crate::app::Command;
use crate::app::testing::{NOON, claims, community_with_key, member, run, signed};
use crate::sso::SsoKey;
use crate::store::{MemoryStore, block_on};

fn m(
    store: &MemoryStore,
    actor: &Actor,
    command: serde_json::Value,
) -> Result<MembershipReply, ApiError> {
    let command: MembershipCommand = serde_json::from_value(command).unwrap();
    match run(store, actor, Command::Membership(command), NOON)? {
        Reply::Membership(reply) => Ok(reply),
        other => panic!("{other:?}"),
    }
}

fn m_at(
    store: &MemoryStore,
    actor: &Actor,
    command: serde_json::Value,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let command: MembershipCommand = serde_json::from_value(command).unwrap();
    match run(store, actor, Command::Membership(command), now)? {
        Reply::Membership(reply) => Ok(reply),
        other => panic!("{other:?}"),
    }
}

fn code(result: Result<MembershipReply, ApiError>) -> ErrorCode {
    result.unwrap_err().code
}

/// A topic `run`, ann's thread `t1` and, when `reply` is set, bob's reply `r2` in it: what
/// moderation hides lives in talk.
fn talk_content(store: &MemoryStore, key: &SsoKey, reply: bool) {
    use crate::app::talk::TalkCommand;
    let talk = |actor: &Actor, command: serde_json::Value| {
        let command: TalkCommand = serde_json::from_value(command).unwrap();
        run(store, actor, Command::Talk(command), NOON).unwrap();
    };
    let body = json!({"markdown": "hi", "rendered_html": "<p>hi</p>"});
    talk(
        &Actor::Operator,
        json!({"type": "create_topic", "id": "run", "draft": {"name": "Run", "description": "", "auto_join_tags": []}}),
    );
    talk(
        &member(key, "ann"),
        json!({"type": "create_thread", "id": "t1", "topic": "run", "kind": "discussion", "title": "Hi", "body": body}),
    );
    if reply {
        talk(
            &member(key, "bob"),
            json!({"type": "post_reply", "thread": "t1", "id": "r2", "in_reply_to": null, "body": body}),
        );
    }
}

fn community() -> (MemoryStore, SsoKey) {
    community_with_key(NOON)
}

fn state(store: &MemoryStore, actor: &Actor) -> serde_json::Value {
    let reply = m(store, actor, json!({"type": "my_membership"})).unwrap();
    reply.into_body().unwrap()
}

fn screening(store: &MemoryStore) {
    m(
        store,
        &Actor::Operator,
        json!({"type": "put_join_policy", "policy": {"mode": "screening", "rules": "Be kind.", "questions": ["Why?"]}}),
    )
    .unwrap();
}

#[test]
fn an_open_community_takes_members_who_accept_the_rules() {
    let (store, key) = community();
    let policy =
        json!({"type": "put_join_policy", "policy": {"rules": "Be kind.", "welcome": "欢迎!"}});
    assert_eq!(
        code(m(&store, &member(&key, "u1"), policy.clone())),
        ErrorCode::Forbidden
    );
    m(&store, &Actor::Operator, policy).unwrap();
    let read = m(
        &store,
        &Actor::Anonymous,
        json!({"type": "get_join_policy"}),
    )
    .unwrap();
    assert_eq!(read.into_body().unwrap()["rules"], "Be kind.");

    let lin = member(&key, "u1");
    assert_eq!(state(&store, &lin), json!({"state": "none"}));
    let before = store.ops().commits;
    let refused = m(
        &store,
        &lin,
        json!({"type": "join", "request": {"accept_rules": false}}),
    );
    assert_eq!(code(refused), ErrorCode::InvalidInput);
    assert_eq!(store.ops().commits, before, "a refusal writes nothing");

    let joined = m(
        &store,
        &lin,
        json!({"type": "join", "request": {"accept_rules": true}}),
    )
    .unwrap();
    assert_eq!(
        joined.into_body().unwrap(),
        json!({"membership": {"state": "member", "joined_at": NOON.0}, "welcome": "欢迎!"})
    );
    assert_eq!(state(&store, &lin)["state"], "member");
    let again = m(
        &store,
        &lin,
        json!({"type": "join", "request": {"accept_rules": true}}),
    );
    assert_eq!(code(again), ErrorCode::Conflict);
    let stored: crate::join::Membership = block_on(get_json(&store, "member/u1/membership"))
        .unwrap()
        .unwrap();
    assert_eq!(stored.name, "Lin");
    let day = NOON
        .local_day(crate::community::TimeZone::default())
        .unwrap();
    assert!(
        block_on(store.get(&format!("active/{day}/u1")))
            .unwrap()
            .is_some()
    );
}

#[test]
fn screening_queues_applications_and_staff_decide() {
    let (store, key) = community();
    screening(&store);
    let lin = member(&key, "u1");
    let ann = member(&key, "u2");
    let join =
        json!({"type": "join", "request": {"accept_rules": true, "answers": ["I love tea"]}});
    let wrong = json!({"type": "join", "request": {"accept_rules": true}});
    assert_eq!(code(m(&store, &lin, wrong)), ErrorCode::InvalidInput);
    m(&store, &lin, join.clone()).unwrap();
    m(&store, &ann, join.clone()).unwrap();
    assert_eq!(state(&store, &lin)["state"], "pending");
    assert_eq!(code(m(&store, &lin, join)), ErrorCode::Conflict);

    let list = json!({"type": "list_applications", "cursor": null});
    assert_eq!(code(m(&store, &lin, list.clone())), ErrorCode::Forbidden);
    assert_eq!(
        code(m(&store, &Actor::Anonymous, list.clone())),
        ErrorCode::Unauthenticated
    );
    let MembershipReply::Applications(page) = m(&store, &Actor::Operator, list.clone()).unwrap()
    else {
        panic!()
    };
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[0].answers[0].answer.as_str(), "I love tea");

    let review = |who: &str, approve: bool| json!({"type": "review_application", "member": who, "approve": approve, "reason": ""});
    m(&store, &Actor::Operator, review("u1", true)).unwrap();
    m(&store, &Actor::Operator, review("u2", false)).unwrap();
    assert_eq!(
        code(m(&store, &Actor::Operator, review("u1", true))),
        ErrorCode::NotFound
    );
    assert_eq!(state(&store, &lin)["state"], "member");
    assert_eq!(
        state(&store, &ann)["state"],
        "none",
        "rejected: may apply again"
    );
    let MembershipReply::Applications(page) = m(&store, &Actor::Operator, list).unwrap() else {
        panic!()
    };
    assert!(page.items.is_empty());

    let note: Vec<crate::notify::Notification> = block_on(store.list("member/u1/inbox/", None, 10))
        .unwrap()
        .entries
        .iter()
        .map(|(_, v)| serde_json::from_str(v).unwrap())
        .collect();
    assert_eq!(note.len(), 1);
    assert_eq!(note[0].kind, crate::notify::NotificationKind::JoinApproved);
    let rejected: Option<u32> = block_on(get_json(&store, "member/u2/inbox-unread")).unwrap();
    assert_eq!(rejected, Some(1));
    let audit = m(
        &store,
        &Actor::Operator,
        json!({"type": "audit", "cursor": null}),
    )
    .unwrap();
    let body = audit.into_body().unwrap();
    let actions: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["approve", "reject"]);
}

#[test]
fn a_ban_refuses_writes_until_it_expires_or_is_lifted() {
    let (store, key) = community();
    let bob = member(&key, "bob");
    let ban = json!({"type": "ban", "member": "bob", "days": 1, "reason": "spam"});
    assert_eq!(code(m(&store, &bob, ban.clone())), ErrorCode::Forbidden);
    m(&store, &Actor::Operator, ban).unwrap();
    assert!(
        block_on(store.get("mod/ban/bob")).unwrap().is_some(),
        "the key identity reads"
    );
    assert_eq!(
        run(&store, &bob, Command::CheckIn, NOON).unwrap_err().code,
        ErrorCode::Banned
    );
    assert_eq!(state(&store, &bob)["state"], "banned");
    let join = json!({"type": "join", "request": {"accept_rules": true}});
    assert_eq!(code(m(&store, &bob, join)), ErrorCode::Banned);

    let tomorrow = NOON.plus_millis(Timestamp::DAY);
    let bob_later = signed(&key, &claims("bob", "Bob", "demo", tomorrow));
    assert!(
        run(&store, &bob_later, Command::CheckIn, tomorrow).is_ok(),
        "the ban expired"
    );

    m(
        &store,
        &Actor::Operator,
        json!({"type": "ban", "member": "bob", "days": null, "reason": ""}),
    )
    .unwrap();
    let unban = json!({"type": "unban", "member": "bob", "reason": "appeal"});
    m(&store, &Actor::Operator, unban.clone()).unwrap();
    assert_eq!(
        code(m(&store, &Actor::Operator, unban)),
        ErrorCode::NotFound
    );
    assert!(block_on(store.get("mod/ban/bob")).unwrap().is_none());
}

#[test]
fn member_moderators_handle_reports_and_content_but_not_people() {
    let (store, key) = community();
    talk_content(&store, &key, false);
    let ann = member(&key, "ann");
    let mia = member(&key, "mia");
    let report = json!({"type": "report", "request": {"target": {"kind": "post", "thread": "t1"}, "reason": "spam"}});
    let MembershipReply::ReportFiled(filed) = m(&store, &ann, report.clone()).unwrap() else {
        panic!()
    };
    assert_eq!(filed.open_reports, 1);
    assert_eq!(code(m(&store, &ann, report)), ErrorCode::Conflict);
    let queue = json!({"type": "queue", "cursor": null});
    assert_eq!(code(m(&store, &mia, queue.clone())), ErrorCode::Forbidden);

    let role = json!({"type": "set_member_role", "member": "mia", "request": {"role": "member_moderator"}});
    assert_eq!(code(m(&store, &mia, role.clone())), ErrorCode::Forbidden);
    m(&store, &Actor::Operator, role.clone()).unwrap();
    assert_eq!(code(m(&store, &Actor::Operator, role)), ErrorCode::Conflict);

    let MembershipReply::Queue(page) = m(&store, &mia, queue.clone()).unwrap() else {
        panic!()
    };
    assert_eq!(page.items.len(), 1);
    let hide = json!({"type": "set_visibility", "content": {"kind": "post", "thread": "t1"}, "hide": true, "reason": "spam"});
    m(&store, &mia, hide.clone()).unwrap();
    assert_eq!(code(m(&store, &mia, hide)), ErrorCode::Conflict);
    let stored: crate::talk::Thread = block_on(get_json(&store, "talk/thread/t1"))
        .unwrap()
        .unwrap();
    assert!(matches!(stored.visibility, Visibility::Hidden { .. }));
    let resolve = json!({"type": "resolve", "request": {"target": {"kind": "post", "thread": "t1"}, "decision": "action_taken"}});
    m(&store, &mia, resolve.clone()).unwrap();
    assert_eq!(code(m(&store, &mia, resolve)), ErrorCode::NotFound);
    let MembershipReply::Queue(page) = m(&store, &mia, queue).unwrap() else {
        panic!()
    };
    assert!(page.items.is_empty());
    let restore = json!({"type": "set_visibility", "content": {"kind": "post", "thread": "t1"}, "hide": false, "reason": ""});
    m(&store, &mia, restore).unwrap();
    let stored: crate::talk::Thread = block_on(get_json(&store, "talk/thread/t1"))
        .unwrap()
        .unwrap();
    assert!(stored.visibility.is_public());

    let ban = json!({"type": "ban", "member": "ann", "days": 1, "reason": ""});
    assert_eq!(code(m(&store, &mia, ban)), ErrorCode::Forbidden);
    let audit = json!({"type": "audit", "cursor": null});
    assert_eq!(code(m(&store, &mia, audit.clone())), ErrorCode::Forbidden);
    let MembershipReply::Audit(log) = m(&store, &Actor::Operator, audit).unwrap() else {
        panic!()
    };
    let ids: Vec<&str> = log.items.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids.len(), 4, "role, hide, resolve, restore: {ids:?}");
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, ids, "unique, in order");
}

#[test]
fn moderation_settings_need_owner_or_admin_and_are_audited() {
    let (store, key) = community();
    let put = json!({"type": "put_moderation_settings", "settings": {"pre_moderation": {"mode": "new_members", "first_posts": 3}}, "reason": ""});
    assert_eq!(
        code(m(&store, &member(&key, "u1"), put.clone())),
        ErrorCode::Forbidden
    );
    let stranger = Actor::Marketer {
        email: crate::accounts::Email::parse("x@y.example").unwrap(),
    };
    assert_eq!(
        code(m(&store, &stranger, put.clone())),
        ErrorCode::Forbidden
    );
    m(&store, &Actor::Operator, put).unwrap();
    let got = m(
        &store,
        &Actor::Operator,
        json!({"type": "get_moderation_settings"}),
    )
    .unwrap();
    assert_eq!(
        got.into_body().unwrap(),
        json!({
            "pre_moderation": {"mode": "new_members", "first_posts": 3, "younger_than_days": null},
            "spam": {"links_until_posts": 3, "repeated_text": true},
            "hide_after_reports": 3
        })
    );
    assert_eq!(
        block_on(store.list("mod/audit/", None, 10))
            .unwrap()
            .entries
            .len(),
        1
    );
}

#[test]
fn audit_pages_with_a_cursor() {
    let (store, _) = community();
    for i in 0..(PAGE + 3) {
        let ban = json!({"type": "ban", "member": format!("m{i}"), "days": 1, "reason": ""});
        m_at(&store, &Actor::Operator, ban, NOON).unwrap();
    }
    let MembershipReply::Audit(first) = m(
        &store,
        &Actor::Operator,
        json!({"type": "audit", "cursor": null}),
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(first.items.len(), PAGE);
    let cursor = first.next.unwrap();
    let MembershipReply::Audit(second) = m(
        &store,
        &Actor::Operator,
        json!({"type": "audit", "cursor": cursor.encode()}),
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(second.items.len(), 3);
    assert!(second.next.is_none());
}

#[test]
fn staff_act_with_their_own_role_and_a_banned_member_moderator_cannot() {
    let (store, key) = community();
    let moderator_email = crate::accounts::Email::parse("mo@brand.example").unwrap();
    let mut batch = Batch::new();
    batch
        .put_json(keys::staff(&moderator_email), &Role::Moderator)
        .unwrap();
    block_on(store.commit(batch)).unwrap();
    let mo = Actor::Marketer {
        email: moderator_email,
    };
    m(
        &store,
        &mo,
        json!({"type": "ban", "member": "bob", "days": 2, "reason": ""}),
    )
    .unwrap();
    let role = json!({"type": "set_member_role", "member": "mia", "request": {"role": "member_moderator"}});
    assert_eq!(code(m(&store, &mo, role.clone())), ErrorCode::Forbidden);
    let settings = json!({"type": "put_moderation_settings", "settings": {"pre_moderation": {"mode": "all_posts"}}, "reason": ""});
    assert_eq!(code(m(&store, &mo, settings)), ErrorCode::Forbidden);

    m(&store, &Actor::Operator, role).unwrap();
    let mia = member(&key, "mia");
    let queue = json!({"type": "queue", "cursor": null});
    m(&store, &mia, queue.clone()).unwrap();
    m(
        &store,
        &mo,
        json!({"type": "ban", "member": "mia", "days": null, "reason": ""}),
    )
    .unwrap();
    assert_eq!(code(m(&store, &mia, queue)), ErrorCode::Banned);

    let MembershipReply::Audit(log) = m(
        &store,
        &Actor::Operator,
        json!({"type": "audit", "cursor": null}),
    )
    .unwrap() else {
        panic!()
    };
    let by: Vec<serde_json::Value> = log
        .items
        .iter()
        .map(|r| serde_json::to_value(&r.entry.actor).unwrap())
        .collect();
    assert_eq!(
        by,
        [
            json!({"kind": "staff", "email": "mo@brand.example"}),
            json!({"kind": "staff", "email": OPERATOR_EMAIL}),
            json!({"kind": "staff", "email": "mo@brand.example"}),
        ]
    );
}

#[test]
fn hiding_a_reply_records_its_visibility_for_talk() {
    let (store, key) = community();
    talk_content(&store, &key, true);
    let missing = json!({"type": "set_visibility", "content": {"kind": "reply", "thread": "t1", "reply": "r9"}, "hide": true, "reason": ""});
    assert_eq!(
        code(m(&store, &Actor::Operator, missing)),
        ErrorCode::NotFound
    );
    let hide = json!({"type": "set_visibility", "content": {"kind": "reply", "thread": "t1", "reply": "r2"}, "hide": true, "reason": "abuse"});
    let before = store.ops();
    m(&store, &Actor::Operator, hide).unwrap();
    assert_eq!(
        store.ops().commits - before.commits,
        1,
        "one batch: visibility and audit"
    );
    let locator: String = block_on(get_json(&store, "talk/reply/t1/r2"))
        .unwrap()
        .unwrap();
    let stored: crate::talk::Reply = block_on(get_json(&store, &locator)).unwrap().unwrap();
    assert!(!stored.visibility.is_public());
    let thread: crate::talk::Thread = block_on(get_json(&store, "talk/thread/t1"))
        .unwrap()
        .unwrap();
    assert_eq!(thread.reply_count, 0, "a hidden reply is not counted");
    assert_eq!(
        block_on(store.list("mod/audit/", None, 10))
            .unwrap()
            .entries
            .len(),
        1
    );
}

#[test]
fn the_ban_list_shows_bans_in_force_to_those_who_ban() {
    let (store, key) = community();
    let bans = |actor: &Actor, now: Timestamp| {
        m_at(
            &store,
            actor,
            json!({"type": "list_bans", "cursor": null}),
            now,
        )
    };
    let MembershipReply::Bans(empty) = bans(&Actor::Operator, NOON).unwrap() else {
        panic!("bans")
    };
    assert!(empty.items.is_empty());
    for (who, days) in [("bob", json!(1)), ("cat", json!(null))] {
        let ban = json!({"type": "ban", "member": who, "days": days, "reason": "spam"});
        m(&store, &Actor::Operator, ban).unwrap();
    }
    let MembershipReply::Bans(now) = bans(&Actor::Operator, NOON).unwrap() else {
        panic!("bans")
    };
    let names: Vec<&str> = now.items.iter().map(|b| b.member.as_str()).collect();
    assert_eq!(names, ["bob", "cat"]);
    let later = NOON.plus_millis(2 * Timestamp::DAY);
    let MembershipReply::Bans(later) = bans(&Actor::Operator, later).unwrap() else {
        panic!("bans")
    };
    assert_eq!(later.items.len(), 1, "bob's ban expired");
    assert_eq!(code(bans(&member(&key, "ann"), NOON)), ErrorCode::Forbidden);
}

/// Posts `title`/`body` as `who` in topic `run` (thread `id`); the thread as stored.
fn post_as(
    store: &MemoryStore,
    key: &SsoKey,
    who: &str,
    id: &str,
    body: &str,
) -> crate::talk::Thread {
    use crate::app::talk::TalkCommand;
    let body = json!({"markdown": body, "rendered_html": "<p>x</p>"});
    let command: TalkCommand = serde_json::from_value(
        json!({"type": "create_thread", "id": id, "topic": "run", "kind": "discussion", "title": "A question", "body": body}),
    )
    .unwrap();
    run(store, &member(key, who), Command::Talk(command), NOON).unwrap();
    block_on(get_json(store, &format!("talk/thread/{id}")))
        .unwrap()
        .unwrap()
}

fn pending_line(store: &MemoryStore, id: &str) -> Option<QueueEntry> {
    block_on(get_json(store, &format!("mod/open/pending-post:{id}"))).unwrap()
}

#[test]
fn a_link_from_a_new_member_and_a_repeated_text_wait_for_review() {
    use crate::moderation::spam::HeldFor;
    let (store, key) = community();
    talk_content(&store, &key, false);
    // ann has one published post (t1): a link from her waits, with the reason queued.
    let linked = post_as(
        &store,
        &key,
        "ann",
        "t2",
        "cheap tea at https://spam.example",
    );
    assert!(matches!(linked.visibility, Visibility::Pending { .. }));
    assert_eq!(
        pending_line(&store, "t2").unwrap().held_for,
        Some(HeldFor::LinkFromNewMember)
    );
    // The same long text twice in a day: the second waits; a short one never does.
    let text = "Join my group for free samples every single day";
    assert!(
        post_as(&store, &key, "bob", "t3", text)
            .visibility
            .is_public()
    );
    let again = post_as(&store, &key, "bob", "t4", &text.to_uppercase());
    assert!(matches!(again.visibility, Visibility::Pending { .. }));
    assert_eq!(
        pending_line(&store, "t4").unwrap().held_for,
        Some(HeldFor::RepeatedText)
    );
    assert!(
        post_as(&store, &key, "bob", "t5", "thanks")
            .visibility
            .is_public()
    );
    assert!(
        post_as(&store, &key, "bob", "t6", "thanks")
            .visibility
            .is_public()
    );
    // Moderators are never held.
    let role = json!({"type": "set_member_role", "member": "mia", "request": {"role": "member_moderator"}});
    m(&store, &Actor::Operator, role).unwrap();
    let official = post_as(&store, &key, "mia", "t7", "see https://brand.example");
    assert!(official.visibility.is_public());
    assert!(pending_line(&store, "t7").is_none());
    // Both signals off: the same posts are published at once.
    let off = json!({"type": "put_moderation_settings", "settings": {"spam": {"links_until_posts": 0, "repeated_text": false}}, "reason": ""});
    m(&store, &Actor::Operator, off).unwrap();
    assert!(
        post_as(
            &store,
            &key,
            "ann",
            "t8",
            "cheap tea at https://spam.example"
        )
        .visibility
        .is_public()
    );
    assert!(
        post_as(&store, &key, "bob", "t9", text)
            .visibility
            .is_public()
    );
}

#[test]
fn enough_reports_hold_published_content_for_review_and_a_moderator_decides() {
    use crate::moderation::spam::HeldFor;
    let (store, key) = community();
    talk_content(&store, &key, false);
    let report = json!({"type": "report", "request": {"target": {"kind": "post", "thread": "t1"}, "reason": "spam"}});
    for who in ["r1", "r2"] {
        m(&store, &member(&key, who), report.clone()).unwrap();
    }
    let thread = |store: &MemoryStore| -> crate::talk::Thread {
        block_on(get_json(store, "talk/thread/t1"))
            .unwrap()
            .unwrap()
    };
    assert!(
        thread(&store).visibility.is_public(),
        "two reports: still up"
    );
    m(&store, &member(&key, "r3"), report.clone()).unwrap();
    assert!(
        matches!(thread(&store).visibility, Visibility::Pending { .. }),
        "the third holds it"
    );
    assert_eq!(
        pending_line(&store, "t1").unwrap().held_for,
        Some(HeldFor::Reports)
    );
    // A fourth report changes nothing more (already out of sight).
    m(&store, &member(&key, "r4"), report.clone()).unwrap();
    let MembershipReply::Audit(log) = m(
        &store,
        &Actor::Operator,
        json!({"type": "audit", "cursor": null}),
    )
    .unwrap() else {
        panic!()
    };
    let holds: Vec<_> = log
        .items
        .iter()
        .filter(|r| {
            matches!(
                r.entry.action,
                crate::moderation::AuditAction::HoldForReview { reports: 3 }
            )
        })
        .collect();
    assert_eq!(holds.len(), 1, "{:?}", log.items);
    assert_eq!(holds[0].entry.actor, crate::moderation::ActorRef::Community);
    // The moderator approves: published again, the pending line gone.
    let approve = json!({"type": "review_post", "content": {"kind": "post", "thread": "t1"}, "approve": true});
    m(&store, &Actor::Operator, approve).unwrap();
    assert!(thread(&store).visibility.is_public());
    assert!(pending_line(&store, "t1").is_none());
}

#[test]
fn the_report_threshold_can_be_turned_off() {
    let (store, key) = community();
    talk_content(&store, &key, false);
    let off = json!({"type": "put_moderation_settings", "settings": {"hide_after_reports": 0}, "reason": ""});
    m(&store, &Actor::Operator, off).unwrap();
    let report = json!({"type": "report", "request": {"target": {"kind": "post", "thread": "t1"}, "reason": "spam"}});
    for who in ["r1", "r2", "r3", "r4", "r5"] {
        m(&store, &member(&key, who), report.clone()).unwrap();
    }
    let stored: crate::talk::Thread = block_on(get_json(&store, "talk/thread/t1"))
        .unwrap()
        .unwrap();
    assert!(stored.visibility.is_public());
}
