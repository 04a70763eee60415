use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::store::{Batch, MemoryStore, Store, block_on};
use crate::talk::Actor;
use crate::talk::fixtures::*;
use crate::talk::reply::{ReplyDraft, ReplyTo, post_reply};
use crate::talk::thread::{FlagChange, delete_thread, moderate_thread, open_page_thread};

#[test]
fn keys_are_spelled_once_here() {
    let t = thread_id("t1");
    let topic = TopicId::parse("run").unwrap();
    let ann = member("wx:ann@b.example");
    let cases = [
        (super::topic(&topic), "talk/topic/run"),
        (
            topic_member(&topic, &ann),
            "talk/topic-member/run/wx:ann@b.example",
        ),
        (
            member_topic(&ann, &topic),
            "talk/member-topic/wx:ann@b.example/run",
        ),
        (thread(&t), "talk/thread/t1"),
        (replies(&t), "talk/replies/t1/"),
        (reply_locator(&t, &reply_id("r1")), "talk/reply/t1/r1"),
        (
            thread_reaction(&t, &ann),
            "talk/reaction/thread/t1/wx:ann@b.example",
        ),
        (
            reply_reaction(&t, &reply_id("r1"), &ann),
            "talk/reaction/reply/t1/r1/wx:ann@b.example",
        ),
        (Feed::All.prefix(), "talk/feed/all/"),
        (Feed::Topic(topic.clone()).prefix(), "talk/feed/topic/run/"),
    ];
    for (key, want) in cases {
        assert_eq!(key, want);
    }
    assert!(super::topic(&topic).starts_with(TOPICS));
}

#[test]
fn timestamps_in_keys_sort_as_numbers() {
    let times = [0, 1, 9, 10, 1_790_000_000_000, i64::MAX];
    for pair in times.windows(2) {
        let (a, b) = (Timestamp(pair[0]), Timestamp(pair[1]));
        assert!(ascending(a) < ascending(b));
        assert!(descending(a) > descending(b));
        assert_eq!(ascending(a).len(), 19);
        assert_eq!(descending(a).len(), 19);
    }
    assert_eq!(ascending(Timestamp(-5)), ascending(Timestamp(0)));
}

#[test]
fn feed_entries_put_pinned_first_then_newest_then_by_id() {
    let feed = Feed::All;
    let mut pinned_old = thread_by("p", ThreadKind::Discussion, "ann", NOW);
    pinned_old.flags.pinned = true;
    let newer = thread_by("n", ThreadKind::Discussion, "ann", NOW.plus_millis(10));
    let older_a = thread_by("a", ThreadKind::Discussion, "ann", NOW.plus_millis(5));
    let older_ab = thread_by("a-b", ThreadKind::Discussion, "ann", NOW.plus_millis(5));
    let mut keys =
        [&older_ab, &newer, &pinned_old, &older_a].map(|t| (feed.entry(t), t.id.to_string()));
    keys.sort();
    let order: Vec<_> = keys.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(order, ["p", "n", "a", "a-b"]);
}

#[test]
fn nested_replies_sort_right_after_their_parent_even_when_ids_share_a_prefix() {
    let mut t = thread_by("t", ThreadKind::Discussion, "op", NOW);
    let mut ab = reply_by(&mut t, ReplyTo::Thread, "ab", "ann", NOW);
    let ab_c = reply_by(&mut t, ReplyTo::Thread, "ab-c", "ann", NOW);
    let child = reply_by(
        &mut t,
        ReplyTo::TopLevel(&mut ab),
        "z",
        "bob",
        NOW.plus_millis(1),
    );
    let mut keys = [&ab_c, &child, &ab].map(|r| (reply(r), r.id.to_string()));
    keys.sort();
    let order: Vec<_> = keys.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(order, ["ab", "z", "ab-c"]);
    assert!(keys.iter().all(|(k, _)| k.starts_with(&replies(&t.id))));
}

#[test]
fn a_thread_appears_in_the_feeds_its_state_calls_for() {
    let mut t = thread_by("t", ThreadKind::Discussion, "ann", NOW);
    let topic = TopicId::parse("run").unwrap();
    assert_eq!(
        Feed::of(&t),
        [
            Feed::All,
            Feed::Topic(topic.clone()),
            Feed::Member(member("ann"))
        ]
    );
    t.flags.featured = true;
    assert!(Feed::of(&t).contains(&Feed::Featured));
    delete_thread(&as_member("ann"), &mut t, NOW).unwrap();
    assert!(Feed::of(&t).is_empty(), "deleted threads leave every feed");
    let page = open_page_thread(None, PageUrl::parse("https://b.example/x").unwrap(), NOW).unwrap();
    assert_eq!(Feed::of(&page), [Feed::Pages]);
}

#[test]
fn an_index_change_moves_a_bumped_thread_and_refreshes_its_card() {
    let before = thread_by("t", ThreadKind::Question, "ann", NOW);
    let mut after = before.clone();
    reply_by(&mut after, ReplyTo::Thread, "r", "bob", NOW.plus_millis(7));
    let change = IndexChange::between(Some(&before), &after);
    // The member feed sorts on creation, so its key stays and is only rewritten.
    assert_eq!(change.delete.len(), 2);
    assert_eq!(change.put.len(), 3);
    assert!(change.put.iter().all(|(_, card)| card.reply_count == 1));
    let created = IndexChange::between(None, &before);
    assert!(created.delete.is_empty());
    assert_eq!(created.put.len(), 3);
}

#[test]
fn cursors_round_trip_and_stay_inside_their_list() {
    let prefix = "talk/feed/all/";
    let key = "talk/feed/all/1/9223370246854775807/t-1";
    let cursor = Cursor::after(prefix, key).unwrap();
    let text = cursor.encode();
    assert!(
        text.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    );
    let back = Cursor::parse(&text).unwrap();
    assert_eq!(back.start_after(prefix), key);
    assert_eq!(
        serde_json::from_value::<Cursor>(serde_json::to_value(&cursor).unwrap()).unwrap(),
        cursor
    );
    assert_eq!(Cursor::after(prefix, "talk/feed/featured/x"), None);
    assert_eq!(Cursor::after(prefix, prefix), None);
    // Used with another list, a cursor positions inside that list, never outside it.
    assert!(
        back.start_after("talk/feed/topic/run/")
            .starts_with("talk/feed/topic/run/")
    );
}

#[test]
fn forged_cursors_are_refused() {
    let bad = ["", "!!!!", "a", "AAAA====", "_w", "AB"];
    for raw in bad {
        assert!(Cursor::parse(raw).is_err(), "{raw:?}");
    }
    let control = base64url_encode(b"a\x00b");
    assert!(Cursor::parse(&control).is_err());
    let long = base64url_encode("x".repeat(Cursor::MAX_LEN + 1).as_bytes());
    assert!(Cursor::parse(&long).is_err());
}

#[test]
fn page_sizes_are_bounded() {
    let cases = [
        (0, false),
        (1, true),
        (20, true),
        (50, true),
        (51, false),
        (300, false),
    ];
    for (n, ok) in cases {
        assert_eq!(PageSize::parse(n).is_ok(), ok, "{n}");
    }
    assert_eq!(PageSize::default().get(), 20);
}

proptest! {
    #[test]
    fn base64url_round_trips_any_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let text = base64url_encode(&bytes);
        prop_assert_eq!(base64url_decode(&text), Some(bytes));
    }

    /// Whatever a client sends as `?cursor=`: no panic, and a cursor only if it holds a
    /// short position without control characters, that reads back the same and stays
    /// inside whichever list it is used with.
    #[test]
    fn any_cursor_text_parses_to_a_position_inside_the_list_or_is_refused(
        raw in prop_oneof!["[A-Za-z0-9_-]{0,40}", "[A-Za-z0-9_=+/%-]{0,20}", any::<String>()],
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
    ) {
        for text in [raw, base64url_encode(&bytes)] {
            let Ok(cursor) = Cursor::parse(&text) else { continue };
            let position = cursor.start_after("");
            prop_assert!(!position.is_empty() && position.len() <= Cursor::MAX_LEN, "{:?}", text);
            prop_assert!(!position.chars().any(char::is_control), "{:?}", text);
            prop_assert_eq!(Cursor::parse(&cursor.encode()), Ok(cursor.clone()));
            prop_assert!(cursor.start_after("talk/feed/all/").starts_with("talk/feed/all/"));
        }
    }

    /// The cursor after any key of a list leads back to that key.
    #[test]
    fn cursors_after_any_key_lead_back_to_it(rest in "[a-z0-9/-]{1,80}|\\PC{1,40}") {
        let prefix = "talk/replies/t-1/";
        let key = format!("{prefix}{rest}");
        let cursor = Cursor::after(prefix, &key).unwrap();
        let back = Cursor::parse(&cursor.encode()).unwrap();
        prop_assert_eq!(back.start_after(prefix), key);
    }
}

/// Pages through `prefix` with cursors passed as client text, returning the keys.
fn page_through(store: &MemoryStore, prefix: &str, size: usize) -> Vec<String> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let start = cursor
            .as_deref()
            .map(|text| Cursor::parse(text).unwrap().start_after(prefix));
        let page = block_on(store.list(prefix, start.as_deref(), size)).unwrap();
        assert!(page.entries.len() <= size);
        seen.extend(page.entries.iter().map(|(k, _)| k.clone()));
        match Cursor::next(prefix, &page) {
            Some(next) => cursor = Some(next.encode()),
            None => return seen,
        }
    }
}

fn id_of(key: &str) -> &str {
    key.rsplit('/').next().unwrap()
}

proptest! {
    #[test]
    fn paging_a_feed_visits_every_thread_once_pinned_first_then_newest(
        threads in proptest::collection::btree_map("[a-c]{1,3}(-[a-c]{1,2})?", (any::<bool>(), 0i64..20), 0..30),
        other_topic in proptest::collection::btree_set("[a-c]{1,3}", 0..5),
        size in 1usize..8,
    ) {
        let store = MemoryStore::new();
        let mut batch = Batch::new();
        for (id, (pinned, age)) in &threads {
            let mut t = thread_by(id, ThreadKind::Discussion, "ann", NOW.plus_millis(*age));
            t.flags.pinned = *pinned;
            for (key, card) in IndexChange::between(None, &t).put {
                batch.put_json(key, &card).unwrap();
            }
        }
        // Threads of another topic share the store but not the topic's feed.
        for id in &other_topic {
            let mut t = thread_by(&format!("x{id}"), ThreadKind::Discussion, "bob", NOW);
            t.place = match t.place {
                crate::talk::Place::Topic { author, opening, .. } => crate::talk::Place::Topic {
                    topic: TopicId::parse("swim").unwrap(),
                    author,
                    opening,
                },
                other => other,
            };
            for (key, card) in IndexChange::between(None, &t).put {
                batch.put_json(key, &card).unwrap();
            }
        }
        block_on(store.commit(batch)).unwrap();

        let mut want: Vec<(bool, i64, &String)> = threads
            .iter()
            .map(|(id, (pinned, age))| (!*pinned, -*age, id))
            .collect();
        want.sort();
        let want: Vec<&str> = want.iter().map(|(_, _, id)| id.as_str()).collect();

        let feed = Feed::Topic(TopicId::parse("run").unwrap());
        let seen = page_through(&store, &feed.prefix(), size);
        let got: Vec<&str> = seen.iter().map(|k| id_of(k)).collect();
        prop_assert_eq!(&got, &want);

        let member_feed = page_through(&store, &Feed::Member(member("ann")).prefix(), size);
        prop_assert_eq!(member_feed.len(), threads.len());
        let all = page_through(&store, &Feed::All.prefix(), size);
        prop_assert_eq!(all.len(), threads.len() + other_topic.len());
    }

    #[test]
    fn paging_replies_visits_each_once_in_reading_order(
        shape in proptest::collection::vec((proptest::option::of(0usize..16), 0i64..4), 0..40),
        size in 1usize..8,
    ) {
        let mut t = thread_by("t", ThreadKind::Discussion, "op", NOW);
        let mut replies: Vec<Reply> = Vec::new();
        let mut clock = NOW;
        for (i, (to, gap)) in shape.into_iter().enumerate() {
            clock = clock.plus_millis(gap);
            let id = format!("r{}", i % 7) + &"-x".repeat(i / 7);
            let tops: Vec<usize> = (0..replies.len()).filter(|k| replies[*k].is_top_level()).collect();
            let under = to.filter(|_| !tops.is_empty()).map(|k| tops[k % tops.len()]);
            let posted = match under {
                None => reply_by(&mut t, ReplyTo::Thread, &id, "ann", clock),
                Some(k) => reply_by(&mut t, ReplyTo::TopLevel(&mut replies[k]), &id, "bob", clock),
            };
            replies.push(posted);
        }
        let store = MemoryStore::new();
        let mut batch = Batch::new();
        for r in &replies {
            batch.put_json(reply(r), r).unwrap();
            batch.put_json(reply_locator(&r.thread, &r.id), &reply(r)).unwrap();
        }
        block_on(store.commit(batch)).unwrap();

        // Reading order: top-level by (time, id), each followed by its children by (time, id).
        let mut tops: Vec<&Reply> = replies.iter().filter(|r| r.is_top_level()).collect();
        tops.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
        let mut want = Vec::new();
        for top in tops {
            want.push(top.id.to_string());
            let mut children: Vec<&Reply> = replies
                .iter()
                .filter(|r| r.parent.as_ref().map(|p| &p.id) == Some(&top.id))
                .collect();
            children.sort_by(|a, b| (a.created_at, &a.id).cmp(&(b.created_at, &b.id)));
            want.extend(children.iter().map(|c| c.id.to_string()));
        }

        let seen = page_through(&store, &replies_prefix(&t.id), size);
        let by_key: BTreeMap<String, Reply> = seen
            .iter()
            .map(|k| (k.clone(), serde_json::from_str(&block_on(store.get(k)).unwrap().unwrap()).unwrap()))
            .collect();
        let got: Vec<String> = seen.iter().map(|k| by_key[k].id.to_string()).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn applying_each_index_change_leaves_exactly_the_current_entries(
        steps in proptest::collection::vec((0usize..4, 0u8..5), 0..40)
    ) {
        let store = MemoryStore::new();
        let mut threads: Vec<Thread> = (0..4)
            .map(|i| thread_by(&format!("t{i}"), ThreadKind::Discussion, "ann", NOW))
            .collect();
        let mut batch = Batch::new();
        for t in &threads {
            for (k, card) in IndexChange::between(None, t).put {
                batch.put_json(k, &card).unwrap();
            }
        }
        block_on(store.commit(batch)).unwrap();
        for (step, (which, action)) in steps.into_iter().enumerate() {
            let now = NOW.plus_millis(step as i64 + 1);
            let before = threads[which].clone();
            let t = &mut threads[which];
            let (pinned, featured) = (t.flags.pinned, t.flags.featured);
            let change = match action {
                0 => Some(FlagChange::default()),
                1 => Some(FlagChange { pinned: Some(!pinned), ..FlagChange::default() }),
                2 => Some(FlagChange { featured: Some(!featured), ..FlagChange::default() }),
                3 => None,
                _ => Some(FlagChange { locked: Some(true), ..FlagChange::default() }),
            };
            match change {
                Some(flags) if action > 0 => {
                    moderate_thread(&Actor::Staff, t, flags).unwrap();
                }
                Some(_) => {
                    // A moderator, so that a thread locked by an earlier step still takes it.
                    let draft = ReplyDraft {
                        id: reply_id(&format!("r{step}")),
                        text: text("x"),
                    };
                    post_reply(&Actor::Moderator(member("mo")), t, ReplyTo::Thread, draft, now)
                        .unwrap();
                }
                None => {
                    let _ = delete_thread(&as_member("ann"), t, now);
                }
            }
            let change = IndexChange::between(Some(&before), t);
            let mut batch = Batch::new();
            for k in change.delete { batch.delete(k); }
            for (k, card) in change.put { batch.put_json(k, &card).unwrap(); }
            block_on(store.commit(batch)).unwrap();
        }
        let stored = block_on(store.list("talk/feed/", None, 10_000)).unwrap();
        let mut want: Vec<(String, ThreadCard)> = threads
            .iter()
            .flat_map(|t| IndexChange::between(None, t).put)
            .collect();
        want.sort_by(|a, b| a.0.cmp(&b.0));
        let got: Vec<(String, ThreadCard)> = stored
            .entries
            .into_iter()
            .map(|(k, v)| (k, serde_json::from_str(&v).unwrap()))
            .collect();
        prop_assert_eq!(got, want);
    }
}

fn replies_prefix(thread: &ThreadId) -> String {
    replies(thread)
}
