use serde_json::{Value, json};

use super::*;
use crate::accounts::{Email, Role};
use crate::app::points::{Board, PointsCommand};
use crate::app::testing::{NOON, claims, community_with_key, signed, slug};
use crate::app::{Command, handle};
use crate::recognition::Period;
use crate::sso::SsoKey;
use crate::store::{MemoryStore, block_on};

const LIN: &str = "lin-erase-7";
const LIN_NAME: &str = "Lin Erasable";
const BO: &str = "bo-keep-3";

fn command(value: Value) -> Command {
    serde_json::from_value(value).unwrap()
}

fn run_in(
    store: &MemoryStore,
    slug: &CommunitySlug,
    actor: &Actor,
    command: Command,
) -> Result<Reply, ApiError> {
    block_on(handle(store, slug, actor, command, NOON)).map(|o| o.reply)
}

fn ok(store: &MemoryStore, actor: &Actor, value: Value) -> Reply {
    run_in(store, &slug(), actor, command(value.clone()))
        .unwrap_or_else(|e| panic!("{value}: {e:?}"))
}

fn member_actor(key: &SsoKey, sub: &str, name: &str) -> Actor {
    signed(key, &claims(sub, name, "demo", NOON))
}

fn body(markdown: &str) -> Value {
    json!({"markdown": markdown, "rendered_html": format!("<p>{markdown}</p>")})
}

/// `who` joins the community and the topic `topic`.
fn enrol(store: &MemoryStore, who: &Actor, topic: &str) {
    ok(
        store,
        who,
        json!({"type": "membership", "body": {"type": "join", "request": {"accept_rules": true}}}),
    );
    ok(
        store,
        who,
        json!({"type": "talk", "body": {"type": "join_topic", "topic": topic}}),
    );
}

/// `who` opens the discussion `id` in `topic`.
fn open_thread(store: &MemoryStore, who: &Actor, id: &str, topic: &str, title: &str, text: &str) {
    ok(
        store,
        who,
        json!({"type": "talk", "body": {"type": "create_thread", "id": id, "topic": topic,
            "kind": "discussion", "title": title, "body": body(text)}}),
    );
}

/// `who` replies `id` to `thread`.
fn reply(store: &MemoryStore, who: &Actor, thread: &str, id: &str, text: &str) {
    ok(
        store,
        who,
        json!({"type": "talk", "body": {"type": "post_reply", "thread": thread, "id": id,
            "in_reply_to": null, "body": body(text)}}),
    );
}

/// `who` likes `thread`'s opening post.
fn like(store: &MemoryStore, who: &Actor, thread: &str) {
    ok(
        store,
        who,
        json!({"type": "talk", "body": {"type": "react_to_thread", "thread": thread, "kind": "like"}}),
    );
}

/// The `demo` community with two members who posted, replied, reacted, checked in, earned
/// points, signed up for an event, reported and were moderated.
fn populated() -> (MemoryStore, SsoKey) {
    let (store, key) = community_with_key(NOON);
    let op = Actor::Operator;
    let lin = member_actor(&key, LIN, LIN_NAME);
    let bo = member_actor(&key, BO, "Bo");
    ok(
        &store,
        &op,
        json!({"type": "talk", "body": {"type": "create_topic", "id": "run", "draft": {"name": "Run"}}}),
    );
    // A welcome automation: its fired keys and run log name whoever joins.
    ok(
        &store,
        &op,
        json!({"type": "automation", "body": {"type": "create", "id": "welcome", "draft": {
            "name": "Welcome", "enabled": true, "trigger": {"kind": "member_joined"},
            "action": {"kind": "grant_points", "points": 5}}}}),
    );
    for who in [&lin, &bo] {
        enrol(&store, who, "run");
    }
    run_in(&store, &slug(), &lin, Command::CheckIn).unwrap();
    open_thread(&store, &lin, "t1", "run", "Hello all", "Hi from me");
    reply(&store, &bo, "t1", "r1", "Welcome @Lin Erasable");
    reply(&store, &lin, "t1", "r2", "Thanks");
    like(&store, &bo, "t1");
    // Lin acts on Bo's things: a reaction (Bo's ledger cause names Lin), a mention by id
    // (Bo's inbox names Lin as the actor), a report (Lin is the reporter).
    ok(
        &store,
        &lin,
        json!({"type": "talk", "body": {"type": "react_to_reply", "thread": "t1", "reply": "r1", "kind": "like"}}),
    );
    reply(&store, &lin, "t1", "r3", "Thanks @{bo-keep-3}");
    reply(&store, &bo, "t1", "r4", "You are welcome @{lin-erase-7}");
    ok(
        &store,
        &lin,
        json!({"type": "membership", "body": {"type": "report", "request": {
            "target": {"kind": "reply", "thread": "t1", "reply": "r1"}, "reason": "spam"}}}),
    );
    run_in(
        &store,
        &slug(),
        &lin,
        Command::SetCheckinReminder(crate::app::ReminderSetting { enabled: true }),
    )
    .unwrap();
    // Lin moderates as a member moderator: the hidden reply and the audit log name Lin as
    // `{"kind": "member", "id": …}`; Bo reports Lin, whose activity's subject is `member:…`.
    ok(
        &store,
        &op,
        json!({"type": "membership", "body": {"type": "set_member_role", "member": LIN,
            "request": {"role": "member_moderator"}}}),
    );
    ok(
        &store,
        &lin,
        json!({"type": "membership", "body": {"type": "set_visibility",
            "content": {"kind": "reply", "thread": "t1", "reply": "r1"}, "hide": true, "reason": "spam"}}),
    );
    ok(
        &store,
        &bo,
        json!({"type": "membership", "body": {"type": "report", "request": {
            "target": {"kind": "member", "member": LIN}, "reason": "spam"}}}),
    );
    ok(
        &store,
        &op,
        json!({"type": "points", "body": {"type": "adjust", "member": LIN, "delta": 50, "reason": "welcome"}}),
    );
    ok(
        &store,
        &op,
        json!({"type": "events", "body": {"type": "create", "id": "tea",
            "code_entropy": [1, 2, 3, 4, 5, 6],
            "draft": {"title": "Tea", "venue": {"kind": "offline", "place": "Shanghai"},
                "starts_at": NOON.plus_millis(3 * Timestamp::DAY),
                "ends_at": NOON.plus_millis(3 * Timestamp::DAY + Timestamp::HOUR)}}}),
    );
    for who in [&lin, &bo] {
        ok(
            &store,
            who,
            json!({"type": "events", "body": {"type": "sign_up", "event": "tea", "request": {}}}),
        );
    }
    ok(
        &store,
        &bo,
        json!({"type": "membership", "body": {"type": "report", "request": {
            "target": {"kind": "post", "thread": "t1"}, "reason": "spam"}}}),
    );
    ok(
        &store,
        &op,
        json!({"type": "membership", "body": {"type": "ban", "member": LIN, "days": 2, "reason": "calm down"}}),
    );
    // The worker's own bookkeeping (which anonymous snapshots it published).
    let mut batch = crate::store::Batch::new();
    batch
        .put_json("edge/views", &json!({"slug": "tea", "views": {}}))
        .unwrap();
    block_on(store.commit(batch)).unwrap();
    (store, key)
}

fn dump(store: &MemoryStore) -> Vec<(String, String)> {
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = block_on(scan_page(store, after.as_deref())).unwrap();
        all.extend(page.entries);
        match page.next {
            Some(next) => after = Some(next),
            None => return all,
        }
    }
}

fn data(
    store: &MemoryStore,
    slug: &CommunitySlug,
    actor: &Actor,
    c: DataCommand,
) -> Result<DataReply, ApiError> {
    match run_in(store, slug, actor, Command::Data(c))? {
        Reply::Data(reply) => Ok(reply),
        other => panic!("not a data reply: {other:?}"),
    }
}

/// Every page of the export of `store`, joined, as an import takes it.
fn export_all(store: &MemoryStore, slug: &CommunitySlug, page: u32) -> ExportDocument {
    let mut cursor = None;
    let mut whole: Option<ExportDocument> = None;
    loop {
        let DataReply::Export(doc) = data(
            store,
            slug,
            &Actor::Operator,
            DataCommand::Export {
                cursor: cursor.take(),
                limit: Some(page),
            },
        )
        .unwrap() else {
            panic!("an export")
        };
        assert!(doc.entries.len() <= page as usize);
        let next = doc.next.clone();
        match &mut whole {
            Some(w) => w.entries.extend(doc.entries),
            None => whole = Some(*doc),
        }
        match next {
            Some(n) => cursor = Some(n),
            None => break,
        }
    }
    let mut whole = whole.unwrap();
    whole.next = None;
    whole
}

/// The operator erases `member`.
fn erase(store: &MemoryStore, member: &str) -> Erased {
    match data(
        store,
        &slug(),
        &Actor::Operator,
        DataCommand::EraseMember {
            member: MemberId::parse(member).unwrap(),
        },
    ) {
        Ok(DataReply::Erased(erased)) => erased,
        other => panic!("{other:?}"),
    }
}

fn fresh(name: &str) -> (MemoryStore, CommunitySlug) {
    let store = MemoryStore::new();
    let slug = CommunitySlug::parse(name).unwrap();
    let settings = serde_json::from_value(json!({"name": "Fresh"})).unwrap();
    run_in(
        &store,
        &slug,
        &Actor::Operator,
        Command::PutCommunity { settings },
    )
    .unwrap();
    (store, slug)
}

#[test]
fn an_export_imported_into_a_fresh_community_is_the_same_state() {
    let (source, _) = populated();
    let document = export_all(&source, &slug(), 7);
    let keys: Vec<&str> = document.entries.iter().map(|(k, _)| k.as_str()).collect();
    assert!(keys.contains(&"community") && keys.contains(&"talk/thread/t1"));
    assert!(
        keys.iter().all(|k| !is_private(k)),
        "no secrets leave: {keys:?}"
    );
    assert!(
        keys.iter().all(|k| !is_derived(k)),
        "the rank index is rebuilt, not carried: {keys:?}"
    );
    assert!(keys.len() > 40, "a populated community: {}", keys.len());

    let (target, new_slug) = fresh("fresh");
    let DataReply::Imported(imported) = data(
        &target,
        &new_slug,
        &Actor::Operator,
        DataCommand::Import {
            document: Box::new(document.clone()),
        },
    )
    .unwrap() else {
        panic!("imported")
    };
    assert_eq!(imported.entries, document.entries.len() as u64);

    let again = export_all(&target, &new_slug, 1000);
    assert_eq!(again.slug, new_slug);
    let mut expected = document.entries.clone();
    for (key, value) in &mut expected {
        if key == "community" {
            value["slug"] = json!("fresh");
        }
    }
    assert_eq!(
        again.entries, expected,
        "every key and value, the slug rewritten"
    );

    // A read through the application layer answers the same.
    let thread = |store: &MemoryStore, slug: &CommunitySlug| {
        run_in(
            store,
            slug,
            &Actor::Anonymous,
            command(json!({"type": "talk", "body": {"type": "get_thread", "thread": "t1"}})),
        )
        .unwrap()
    };
    assert_eq!(thread(&source, &slug()), thread(&target, &new_slug));
}

#[test]
fn an_import_refuses_a_community_with_content_and_bad_documents_changing_nothing() {
    let (source, _) = populated();
    let document = export_all(&source, &slug(), 1000);
    let import = |store: &MemoryStore, slug: &CommunitySlug, doc: ExportDocument| {
        data(
            store,
            slug,
            &Actor::Operator,
            DataCommand::Import {
                document: Box::new(doc),
            },
        )
    };
    // Into the populated community itself: not fresh.
    let before = dump(&source);
    let err = import(&source, &slug(), document.clone()).unwrap_err();
    assert_eq!(err.code, ErrorCode::CommunityNotEmpty);
    assert_eq!(err.code.http_status(), 409);
    assert_eq!(dump(&source), before);

    let (target, new_slug) = fresh("fresh");
    let before = dump(&target);
    let edit = |f: &dyn Fn(&mut ExportDocument)| {
        let mut doc = document.clone();
        f(&mut doc);
        doc
    };
    let bad = [
        edit(&|d| d.format = "other".into()),
        edit(&|d| d.version = 2),
        edit(&|d| d.next = Some("talk/".into())),
        edit(&|d| d.entries.push(("sso/keys".into(), json!([])))),
        edit(&|d| d.entries.push(("edge/views".into(), json!({})))),
        edit(&|d| {
            d.entries
                .push(("staff/eve@evil.example".into(), json!("owner")))
        }),
        edit(&|d| d.entries.push(("surprise/x".into(), json!(1)))),
        edit(&|d| {
            d.entries
                .push(("board-rank/all/00000000000000000001/x".into(), json!(null)))
        }),
        edit(&|d| d.entries.push(("talk".into(), json!(1)))),
        edit(&|d| d.entries.push(("".into(), json!(1)))),
        edit(&|d| {
            let first = d.entries[1].clone();
            d.entries.push(first)
        }),
        edit(&|d| d.entries.retain(|(k, _)| k != "community")),
        // A value the store could not hold, at the very end: refused before any write.
        edit(&|d| {
            d.entries.push((
                "talk/thread/zz-huge".into(),
                json!("x".repeat(MAX_VALUE_BYTES)),
            ))
        }),
        edit(&|d| {
            for (k, v) in &mut d.entries {
                if k == "community" {
                    *v = json!({"name": ""});
                }
            }
        }),
    ];
    for doc in bad {
        let err = import(&target, &new_slug, doc).unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput, "{}", err.message);
        assert_eq!(dump(&target), before, "nothing written: {}", err.message);
    }
    assert!(import(&target, &new_slug, document).is_ok());
}

#[test]
fn only_the_owner_exports_and_imports_and_owners_or_admins_erase() {
    let (store, key) = populated();
    let owner = Email::parse("own@brand.example").unwrap();
    let admin = Email::parse("adm@brand.example").unwrap();
    let mut batch = Batch::new();
    batch.put_json(keys::staff(&owner), &Role::Owner).unwrap();
    batch.put_json(keys::staff(&admin), &Role::Admin).unwrap();
    block_on(store.commit(batch)).unwrap();
    let marketer = |email: &Email| Actor::Marketer {
        email: email.clone(),
    };
    let stranger = Actor::Marketer {
        email: Email::parse("x@other.example").unwrap(),
    };
    let lin = member_actor(&key, LIN, LIN_NAME);
    let export = || DataCommand::Export {
        cursor: None,
        limit: None,
    };
    assert!(data(&store, &slug(), &marketer(&owner), export()).is_ok());
    for (who, code) in [
        (&marketer(&admin), ErrorCode::Forbidden),
        (&stranger, ErrorCode::Forbidden),
        (&lin, ErrorCode::Forbidden),
        (&Actor::Anonymous, ErrorCode::Unauthenticated),
    ] {
        assert_eq!(data(&store, &slug(), who, export()).unwrap_err().code, code);
    }
    let member = MemberId::parse(LIN).unwrap();
    let before = dump(&store);
    for who in [&stranger, &lin, &Actor::Anonymous] {
        for c in [
            DataCommand::ExportMember {
                member: member.clone(),
            },
            DataCommand::EraseMember {
                member: member.clone(),
            },
        ] {
            assert!(data(&store, &slug(), who, c).is_err());
        }
    }
    assert_eq!(dump(&store), before);
    assert!(
        data(
            &store,
            &slug(),
            &marketer(&admin),
            DataCommand::ExportMember { member }
        )
        .is_ok()
    );
    // An id the community does not have is refused before anything is touched, even one
    // that is also a word of the storage layout (`board/all/…`, `talk/feed/all/…`).
    for nobody in ["nobody-here", "all", "feed"] {
        let err = data(
            &store,
            &slug(),
            &marketer(&admin),
            DataCommand::EraseMember {
                member: MemberId::parse(nobody).unwrap(),
            },
        )
        .unwrap_err();
        assert_eq!(err.code, ErrorCode::NotFound, "{nobody}");
        assert_eq!(dump(&store), before, "{nobody}");
    }
}

/// What staff (the operator) export of Lin's data.
fn staff_export_of_lin(store: &MemoryStore) -> Box<MemberExport> {
    let DataReply::MemberExport(export) = data(
        store,
        &slug(),
        &Actor::Operator,
        DataCommand::ExportMember {
            member: MemberId::parse(LIN).unwrap(),
        },
    )
    .unwrap() else {
        panic!("a member export")
    };
    export
}

fn mentions(entries: &[(String, String)], needle: &str) -> Vec<String> {
    let needle = needle.to_lowercase();
    entries
        .iter()
        .filter(|(k, v)| k.to_lowercase().contains(&needle) || v.to_lowercase().contains(&needle))
        .map(|(k, v)| format!("{k} = {v}"))
        .collect()
}

#[test]
fn a_members_export_holds_their_data() {
    let (store, _) = populated();
    let export = staff_export_of_lin(&store);
    let keys: Vec<&str> = export.entries.iter().map(|(k, _)| k.as_str()).collect();
    for wanted in [
        "member/lin-erase-7/profile",
        "member/lin-erase-7/checkin",
        "member/lin-erase-7/points",
        "talk/thread/t1",
        "event-roster/tea",
        "mod/ban/lin-erase-7",
    ] {
        assert!(keys.contains(&wanted), "{wanted} in {keys:?}");
    }
    assert!(
        keys.iter()
            .any(|k| k.starts_with("member/lin-erase-7/ledger/"))
    );
    // Bo's entries come only where they name Lin (Lin's reaction in Bo's ledger, Lin's
    // mention in Bo's inbox); every entry names Lin.
    assert!(!keys.contains(&"member/bo-keep-3/profile"));
    assert!(!keys.contains(&"member/bo-keep-3/points"));
    for (key, value) in &export.entries {
        assert!(
            key.contains(LIN) || value.to_string().contains(LIN),
            "{key} = {value} names {LIN}"
        );
    }
}

#[test]
fn erasure_leaves_no_trace_of_the_member_and_keeps_the_totals() {
    let (store, key) = populated();
    let board = || {
        let reply = run_in(
            &store,
            &slug(),
            &Actor::Anonymous,
            Command::Points(PointsCommand::Leaderboard {
                board: Board::Current {
                    period: Period::AllTime,
                },
                limit: None,
            }),
        )
        .unwrap();
        reply.into_body().unwrap().to_string()
    };
    assert!(board().contains(LIN));
    let ledger_total = |store: &MemoryStore, member: &str| -> i64 {
        dump(store)
            .iter()
            .filter(|(k, _)| k.starts_with(&format!("member/{member}/ledger/")))
            .map(|(_, v)| {
                serde_json::from_str::<Value>(v).unwrap()["delta"]
                    .as_i64()
                    .unwrap()
            })
            .sum()
    };
    let lin_total = ledger_total(&store, LIN);
    assert!(lin_total >= 50);
    let roster_before: Value =
        serde_json::from_str(&block_on(store.get("event-roster/tea")).unwrap().unwrap()).unwrap();

    let erased = erase(&store, LIN);
    assert_eq!(erased.pseudonym.as_str(), "erased-1");
    assert!(erased.rewritten > 0 && erased.removed > 0);

    let all = dump(&store);
    for needle in [LIN, LIN_NAME] {
        assert_eq!(
            mentions(&all, needle),
            Vec::<String>::new(),
            "{needle} is gone"
        );
    }
    // Ledger lines keep their amounts under the pseudonym; the account stays consistent.
    assert_eq!(ledger_total(&store, "erased-1"), lin_total);
    let account: Value = serde_json::from_str(
        &block_on(store.get("member/erased-1/points"))
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    assert_eq!(account["balance"].as_i64(), Some(lin_total));
    assert!(
        block_on(store.get("member/erased-1/profile"))
            .unwrap()
            .is_none()
    );
    // The seat is kept, under the pseudonym.
    let roster_after: Value =
        serde_json::from_str(&block_on(store.get("event-roster/tea")).unwrap().unwrap()).unwrap();
    assert_eq!(
        roster_after.to_string().replace("erased-1", LIN),
        roster_before.to_string()
    );
    // The post stays readable.
    let thread = run_in(
        &store,
        &slug(),
        &Actor::Anonymous,
        command(json!({"type": "talk", "body": {"type": "get_thread", "thread": "t1"}})),
    )
    .unwrap()
    .into_body()
    .unwrap()
    .to_string();
    assert!(
        thread.contains("Hello all") && thread.contains("erased-1"),
        "{thread}"
    );
    // Leaderboards and the directory drop them; the other member is untouched.
    assert!(!board().contains("erased-1"));
    let search = |q: &str| {
        run_in(
            &store,
            &slug(),
            &Actor::Operator,
            command(json!({"type": "members", "body": {"type": "list", "query": {"q": q}}})),
        )
        .unwrap()
        .into_body()
        .unwrap()
        .to_string()
    };
    assert!(!search("erase").contains("erased-1"));
    assert!(search("bo").contains(BO));
    // Whoever signs in again with the same id starts afresh.
    let lin = member_actor(&key, LIN, LIN_NAME);
    let again = run_in(
        &store,
        &slug(),
        &lin,
        command(
            json!({"type": "membership", "body": {"type": "join", "request": {"accept_rules": true}}}),
        ),
    );
    assert!(again.is_ok(), "{again:?}");
    // A second erasure takes the next pseudonym.
    let second = erase(&store, LIN);
    assert_eq!(second.pseudonym.as_str(), "erased-2");
}

/// Members whose ids are words of the layout (`1`, `all`) and a name that starts another's.
#[test]
fn erasing_a_member_whose_id_is_a_layout_word_touches_nothing_else() {
    let (store, key) = community_with_key(NOON);
    let op = Actor::Operator;
    let one = member_actor(&key, "1", "Al");
    let all = member_actor(&key, "all", "Alice");
    let bo = member_actor(&key, BO, "Bo");
    ok(
        &store,
        &op,
        json!({"type": "talk", "body": {"type": "create_topic", "id": "all", "draft": {"name": "All"}}}),
    );
    for who in [&one, &all, &bo] {
        enrol(&store, who, "all");
        run_in(&store, &slug(), who, Command::CheckIn).unwrap();
    }
    open_thread(&store, &bo, "1", "all", "1", "step 1 by @Alice, cc @Al");
    open_thread(&store, &one, "one", "all", "Mine", "all of 1");
    reply(&store, &all, "1", "all", "all 1");
    like(&store, &one, "1");
    let before = dump(&store);
    let count = |entries: &[(String, String)], prefix: &str| {
        entries
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .count()
    };
    let value_of = |entries: &[(String, String)], key: &str| {
        entries
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    };

    assert_eq!(erase(&store, "1").pseudonym.as_str(), "erased-1");
    let after = dump(&store);
    // The feeds keep every thread (their keys hold `all` and the band `1`).
    for prefix in ["talk/feed/all/", "talk/feed/topic/all/", "talk/topic/"] {
        assert_eq!(count(&after, prefix), count(&before, prefix), "{prefix}");
    }
    // Bo's thread `1` is as it was but for the whole mention of Al.
    let thread: Value = serde_json::from_str(&value_of(&after, "talk/thread/1").unwrap()).unwrap();
    let text = thread.to_string();
    assert!(
        text.contains("step 1 by @Alice, cc @Deleted member"),
        "{text}"
    );
    assert!(text.contains(BO) && !text.contains("erased-1\":"), "{text}");
    // What `all` and Bo hold that does not name `1` is untouched (Bo's ledger line for the
    // reaction of `1` is renamed, as it should be).
    for (k, v) in &before {
        let others = [
            "member/all/",
            "member/bo-keep-3/",
            "board/all/all",
            "board/all/bo-keep-3",
        ];
        if others.iter().any(|p| k.starts_with(p)) {
            let k = k.replace("react-t:1:1", "react-t:1:erased-1");
            let now = value_of(&after, &k).unwrap_or_else(|| panic!("{k} is kept"));
            let parse = |text: &str| serde_json::from_str::<Value>(text).unwrap();
            assert_eq!(
                parse(&now.replace("react-t:1:erased-1", "react-t:1:1")),
                parse(v),
                "{k}"
            );
        }
    }
    assert!(value_of(&after, "member/erased-1/points").is_some());
    assert!(value_of(&after, "talk/topic-member/all/erased-1").is_some());
    assert!(value_of(&after, "member/1/points").is_none());

    assert_eq!(erase(&store, "all").pseudonym.as_str(), "erased-2");
    let after = dump(&store);
    for prefix in ["talk/feed/all/", "talk/feed/topic/all/", "talk/topic/"] {
        assert_eq!(count(&after, prefix), count(&before, prefix), "{prefix}");
    }
    assert!(value_of(&after, "board/all/all").is_none());
    assert!(value_of(&after, "board/all/bo-keep-3").is_some());
    assert!(value_of(&after, "talk/topic/all").is_some());
    assert!(value_of(&after, "talk/topic-member/all/bo-keep-3").is_some());
    assert!(value_of(&after, "talk/topic-member/all/erased-2").is_some());
    // The reply with id `all` keeps its id, under its new author.
    let replies: Vec<&(String, String)> = after
        .iter()
        .filter(|(k, _)| k.starts_with("talk/replies/1/"))
        .collect();
    assert_eq!(replies.len(), 1);
    let reply: Value = serde_json::from_str(&replies[0].1).unwrap();
    assert_eq!(reply["id"], "all");
    assert_eq!(reply["author"], "erased-2");
    // Bo's text never changed: `@Alice` is a whole mention now, renamed; `step 1` stays.
    let thread = value_of(&after, "talk/thread/1").unwrap();
    assert!(
        thread.contains("step 1 by @Deleted member, cc @Deleted member"),
        "{thread}"
    );
}

#[test]
fn a_member_exports_their_own_data_and_nobody_elses() {
    let (store, key) = populated();
    let lin = member_actor(&key, LIN, LIN_NAME);
    let DataReply::MemberExport(mine) =
        data(&store, &slug(), &lin, DataCommand::ExportMine).unwrap()
    else {
        panic!("a member export")
    };
    assert_eq!(mine.member.as_str(), LIN);
    let keys: Vec<&str> = mine.entries.iter().map(|(k, _)| k.as_str()).collect();
    for wanted in [
        "member/lin-erase-7/profile",
        "member/lin-erase-7/points",
        "talk/thread/t1",
        "mod/ban/lin-erase-7",
    ] {
        assert!(keys.contains(&wanted), "{wanted} in {keys:?}");
    }
    // Entries that are somebody else's, though they name Lin, stay out: Bo's ledger line
    // for Lin's reaction, Bo's notification of Lin's mention, the event's roster, the
    // report Lin filed against Bo's reply (moderation's), the audit log.
    // (Lin's own entries may name others as they name Lin: who reacted, who mentioned.)
    for (key, value) in &mine.entries {
        assert!(
            key.contains(LIN)
                || ((key.starts_with("talk/thread/") || key.starts_with("talk/replies/"))
                    && value.to_string().contains(&format!("\"{LIN}\""))),
            "{key} is not Lin's own"
        );
        assert!(!key.starts_with("member/bo-keep-3/"), "{key}");
        assert!(
            !key.starts_with("mod/report/") && !key.starts_with("mod/open/"),
            "{key}"
        );
    }
    assert!(!keys.contains(&"event-roster/tea"));
    // The staff's export of Lin holds more (entries of others that name Lin).
    let staff = staff_export_of_lin(&store);
    assert!(staff.entries.len() > mine.entries.len());
    // Nobody signed in, or staff without a member token: refused.
    for actor in [Actor::Anonymous, Actor::Operator] {
        let err = data(&store, &slug(), &actor, DataCommand::ExportMine).unwrap_err();
        assert_eq!(err.code, ErrorCode::Unauthenticated, "{actor:?}");
    }
}
