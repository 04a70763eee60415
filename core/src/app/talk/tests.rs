//! Talk use cases against the memory store.

use super::*;
use crate::accounts::{Email, Role};
use crate::app::keys;
use crate::app::testing::{NOON, claims, community_with_key, signed, slug};
use crate::error::ErrorCode;
use crate::ids::MemberId;
use crate::moderation::MemberRole;
use crate::notify::{self, Notification, NotificationKind};
use crate::points::PointsAccount;
use crate::sso::{KeyId, SsoKey, SsoSecret};
use crate::store::{Batch, MemoryStore, Store, block_on, get_json};
use crate::talk::wire::ListRequest;
use crate::talk::{BodyText, PageSize, TopicDescription, TopicName};

struct World {
    store: MemoryStore,
    key: SsoKey,
}

impl World {
    fn new() -> Self {
        let (store, key) = community_with_key(NOON);
        let world = Self { store, key };
        world
            .run(&Actor::Operator, create_topic("run", &[]))
            .unwrap();
        world
    }

    fn member_with(&self, sub: &str, name: &str, tags: &[&str]) -> Actor {
        let mut claims = claims(sub, name, "demo", NOON);
        claims["tags"] = serde_json::json!(tags);
        signed(&self.key, &claims)
    }

    fn member(&self, sub: &str) -> Actor {
        self.member_with(sub, sub, &[])
    }

    fn put(&self, key: String, value: &impl serde::Serialize) {
        let mut batch = Batch::new();
        batch.put_json(key, value).unwrap();
        block_on(self.store.commit(batch)).unwrap();
    }

    fn run(&self, actor: &Actor, command: TalkCommand) -> Result<TalkReply, ApiError> {
        self.run_at(actor, command, NOON)
    }

    fn run_at(
        &self,
        actor: &Actor,
        command: TalkCommand,
        now: Timestamp,
    ) -> Result<TalkReply, ApiError> {
        let outcome = block_on(handle(&self.store, &slug(), actor, command, now))?;
        match outcome.reply {
            Reply::Talk(reply) => Ok(reply),
            other => panic!("a talk reply, not {other:?}"),
        }
    }

    fn code(&self, actor: &Actor, command: TalkCommand) -> ErrorCode {
        let before = self.store.ops().commits;
        let err = self.run(actor, command).unwrap_err();
        assert_eq!(self.store.ops().commits, before, "a refusal writes nothing");
        err.code
    }

    fn thread(&self, actor: &Actor, id: &str, kind: ThreadKind, at: Timestamp) -> ThreadView {
        let TalkReply::Thread(view) = self
            .run_at(actor, new_thread(id, "run", kind, "Which shoes?"), at)
            .unwrap()
        else {
            panic!()
        };
        *view
    }

    fn reply(&self, actor: &Actor, thread: &str, id: &str, to: Option<&str>) -> ReplyView {
        let command = TalkCommand::PostReply {
            thread: tid(thread),
            id: rid(id),
            in_reply_to: to.map(rid),
            body: body("me too"),
        };
        let TalkReply::Posted(posted) = self.run(actor, command).unwrap() else {
            panic!()
        };
        posted.reply
    }

    fn inbox(&self, member: &str) -> Vec<Notification> {
        let prefix = notify::keys::inbox_prefix(&MemberId::parse(member).unwrap());
        let page = block_on(self.store.list(&prefix, None, 100)).unwrap();
        page.entries
            .iter()
            .map(|(_, v)| serde_json::from_str(v).unwrap())
            .collect()
    }

    fn balance(&self, member: &str) -> u64 {
        let key = keys::points(&MemberId::parse(member).unwrap());
        block_on(get_json::<PointsAccount>(&self.store, &key))
            .unwrap()
            .map_or(0, |a| a.balance())
    }

    fn feed(&self, feed: FeedChoice, limit: u32, cursor: Option<Cursor>) -> ThreadListView {
        let list = ListRequest {
            cursor,
            limit: PageSize::parse(limit).unwrap(),
        };
        let TalkReply::Threads(view) = self
            .run(&Actor::Anonymous, TalkCommand::ListThreads { feed, list })
            .unwrap()
        else {
            panic!()
        };
        view
    }
}

fn tid(id: &str) -> ThreadId {
    ThreadId::parse(id).unwrap()
}

fn rid(id: &str) -> ReplyId {
    ReplyId::parse(id).unwrap()
}

fn body(markdown: &str) -> Body {
    Body {
        markdown: BodyText::parse(markdown).unwrap(),
        rendered_html: format!("<p>{markdown}</p>"),
    }
}

fn create_topic(id: &str, tags: &[&str]) -> TalkCommand {
    TalkCommand::CreateTopic {
        id: TopicId::parse(id).unwrap(),
        draft: TopicDraft {
            name: TopicName::parse(id).unwrap(),
            description: TopicDescription::default(),
            auto_join_tags: tags
                .iter()
                .map(|t| crate::talk::BrandTag::parse(t).unwrap())
                .collect(),
        },
    }
}

fn new_thread(id: &str, topic: &str, kind: ThreadKind, markdown: &str) -> TalkCommand {
    TalkCommand::CreateThread {
        id: tid(id),
        topic: TopicId::parse(topic).unwrap(),
        kind,
        // Each its own title: the same long text twice in a day waits for review.
        title: ThreadTitle::parse(&format!("A title {id}")).unwrap(),
        body: body(markdown),
    }
}

fn marketer(w: &World, email: &str, role: Option<Role>) -> Actor {
    let email = Email::parse(email).unwrap();
    if let Some(role) = role {
        w.put(keys::staff(&email), &role);
    }
    Actor::Marketer { email }
}

#[test]
fn only_settings_staff_create_and_edit_topics() {
    let w = World::new();
    let ann = w.member("ann");
    assert_eq!(w.code(&ann, create_topic("tea", &[])), ErrorCode::Forbidden);
    let moderator = marketer(&w, "mo@brand.example", Some(Role::Moderator));
    assert_eq!(
        w.code(&moderator, create_topic("tea", &[])),
        ErrorCode::Forbidden
    );
    let stranger = marketer(&w, "x@elsewhere.example", None);
    assert_eq!(
        w.code(&stranger, create_topic("tea", &[])),
        ErrorCode::Forbidden
    );
    assert_eq!(
        w.code(&Actor::Anonymous, create_topic("tea", &[])),
        ErrorCode::Unauthenticated
    );
    let admin = marketer(&w, "ad@brand.example", Some(Role::Admin));
    assert!(w.run(&admin, create_topic("tea", &[])).is_ok());
    assert_eq!(
        w.code(&admin, create_topic("tea", &[])),
        ErrorCode::Conflict
    );

    let edit = |topic: &str| TalkCommand::EditTopic {
        topic: TopicId::parse(topic).unwrap(),
        draft: TopicDraft {
            name: TopicName::parse("Tea time").unwrap(),
            description: TopicDescription::parse("Oolong and more").unwrap(),
            auto_join_tags: Vec::new(),
        },
    };
    let TalkReply::Topic(edited) = w.run(&admin, edit("tea")).unwrap() else {
        panic!()
    };
    assert_eq!(
        (edited.name.as_str(), edited.description.as_str()),
        ("Tea time", "Oolong and more")
    );
    assert_eq!(w.code(&admin, edit("nope")), ErrorCode::NotFound);
    assert_eq!(w.code(&ann, edit("tea")), ErrorCode::Forbidden);
}

fn topics(w: &World, actor: &Actor) -> Vec<crate::talk::wire::TopicView> {
    let TalkReply::Topics(list) = w
        .run(
            actor,
            TalkCommand::ListTopics {
                list: ListRequest::default(),
            },
        )
        .unwrap()
    else {
        panic!()
    };
    list.topics
}

#[test]
fn members_join_and_leave_and_brand_tags_join_them_when_they_act() {
    let w = World::new();
    w.run(&Actor::Operator, create_topic("vip", &["gold"]))
        .unwrap();
    let ann = w.member_with("ann", "Ann", &["gold"]);
    let join = |topic: &str, join: bool| {
        let topic = TopicId::parse(topic).unwrap();
        if join {
            TalkCommand::JoinTopic { topic }
        } else {
            TalkCommand::LeaveTopic { topic }
        }
    };
    // Listing shows the tag's topic as joined, before anything is written.
    let listed = topics(&w, &ann);
    assert_eq!(
        listed
            .iter()
            .map(|t| (t.id.as_str(), t.joined, t.member_count))
            .collect::<Vec<_>>(),
        [("run", false, 0), ("vip", true, 1)]
    );
    let TalkReply::Topic(run) = w.run(&ann, join("run", true)).unwrap() else {
        panic!()
    };
    assert_eq!((run.joined, run.member_count), (true, 1));
    // Joining synced the tag's membership too.
    let stored = topics(&w, &Actor::Anonymous);
    assert_eq!(
        stored.iter().map(|t| t.member_count).collect::<Vec<_>>(),
        [1, 1]
    );
    let TalkReply::Topic(again) = w.run(&ann, join("run", true)).unwrap() else {
        panic!()
    };
    assert_eq!(again.member_count, 1, "joining twice counts once");
    let TalkReply::Topic(left) = w.run(&ann, join("vip", false)).unwrap() else {
        panic!()
    };
    assert_eq!((left.joined, left.member_count), (false, 0));
    // Acting again does not pull them back into a topic they left.
    w.thread(&ann, "t1", ThreadKind::Discussion, NOON);
    assert!(!topics(&w, &ann)[1].joined);
    assert_eq!(w.code(&ann, join("nope", true)), ErrorCode::NotFound);
    assert_eq!(
        w.code(&Actor::Operator, join("run", true)),
        ErrorCode::Forbidden
    );

    // A member who posts without ever joining is auto-joined by their tag.
    let bob = w.member_with("bob", "Bob", &["gold"]);
    w.thread(&bob, "t2", ThreadKind::Discussion, NOON);
    let stored = topics(&w, &Actor::Anonymous);
    assert_eq!(stored[1].member_count, 1);
}

#[test]
fn feeds_list_pinned_first_then_recent_and_page_with_cursors() {
    let w = World::new();
    let ann = w.member("ann");
    for (i, id) in ["a", "b", "c", "d", "e"].iter().enumerate() {
        w.thread(
            &ann,
            id,
            ThreadKind::Discussion,
            NOON.plus_millis(i as i64 * 1000),
        );
    }
    let pin = TalkCommand::SetFlags {
        thread: tid("b"),
        change: FlagChange {
            pinned: Some(true),
            ..FlagChange::default()
        },
    };
    w.run(&Actor::Operator, pin).unwrap();
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = w.feed(FeedChoice::All, 2, cursor);
        assert!(page.threads.len() <= 2);
        seen.extend(page.threads.iter().map(|t| t.id.to_string()));
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, ["b", "e", "d", "c", "a"]);
    let topic = w.feed(
        FeedChoice::Topic {
            topic: TopicId::parse("run").unwrap(),
        },
        50,
        None,
    );
    assert_eq!(topic.threads.len(), 5);
    assert!(topic.threads[0].pinned);
    let missing = TalkCommand::ListThreads {
        feed: FeedChoice::Topic {
            topic: TopicId::parse("nope").unwrap(),
        },
        list: ListRequest::default(),
    };
    assert_eq!(w.code(&Actor::Anonymous, missing), ErrorCode::NotFound);
    let absent = new_thread("z", "nope", ThreadKind::Discussion, "hi");
    assert_eq!(w.code(&ann, absent), ErrorCode::NotFound);
    let taken = new_thread("a", "run", ThreadKind::Discussion, "hi");
    assert_eq!(w.code(&ann, taken), ErrorCode::Conflict);
}

#[test]
fn posting_earns_points_and_replies_nest_one_level_with_notifications() {
    let w = World::new();
    let (ann, bob, cat) = (w.member("ann"), w.member("bob"), w.member("cat"));
    w.thread(&ann, "t", ThreadKind::Discussion, NOON);
    assert_eq!(w.balance("ann"), 10, "the default post rule");
    let top = w.reply(&bob, "t", "r1", None);
    assert_eq!(top.parent, None);
    let nested = w.reply(&cat, "t", "r2", Some("r1"));
    assert_eq!(nested.parent, Some(rid("r1")));
    // A reply to a nested reply sits under the same top-level reply.
    let deeper = w.reply(&ann, "t", "r3", Some("r2"));
    assert_eq!(
        (deeper.parent, deeper.in_reply_to),
        (Some(rid("r1")), Some(rid("r2")))
    );
    assert_eq!(w.balance("bob"), 5);

    let kinds = |m: &str| -> Vec<NotificationKind> {
        let mut k: Vec<_> = w.inbox(m).iter().map(|n| n.kind).collect();
        k.sort_by_key(|k| format!("{k:?}"));
        k
    };
    // Ann's first thread earned her the first-post badge; then two replies came in.
    assert_eq!(
        kinds("ann"),
        [
            NotificationKind::BadgeEarned,
            NotificationKind::ReplyToYourThread,
            NotificationKind::ReplyToYourThread
        ]
    );
    assert_eq!(
        kinds("bob"),
        [
            NotificationKind::ReplyToYourReply,
            NotificationKind::ReplyToYourReply
        ]
    );
    assert_eq!(kinds("cat"), [NotificationKind::ReplyToYourReply]);

    let TalkReply::ThreadDetail(detail) = w
        .run(
            &Actor::Anonymous,
            TalkCommand::GetThread {
                thread: tid("t"),
                replies: ListRequest {
                    cursor: None,
                    limit: PageSize::parse(2).unwrap(),
                },
            },
        )
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(detail.thread.reply_count, 3);
    assert_eq!(
        detail
            .replies
            .iter()
            .map(|r| r.id.to_string())
            .collect::<Vec<_>>(),
        ["r1", "r2"]
    );
    let TalkReply::Replies(rest) = w
        .run(
            &Actor::Anonymous,
            TalkCommand::ListReplies {
                thread: tid("t"),
                list: ListRequest {
                    cursor: detail.next,
                    limit: PageSize::default(),
                },
            },
        )
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(rest.replies.len(), 1);
    assert_eq!(rest.replies[0].id, rid("r3"));
    assert_eq!(rest.next, None);

    let missing = TalkCommand::PostReply {
        thread: tid("t"),
        id: rid("r9"),
        in_reply_to: Some(rid("zz")),
        body: body("x"),
    };
    assert_eq!(w.code(&bob, missing), ErrorCode::NotFound);
    let dup = TalkCommand::PostReply {
        thread: tid("t"),
        id: rid("r1"),
        in_reply_to: None,
        body: body("x"),
    };
    assert_eq!(w.code(&bob, dup), ErrorCode::Conflict);
}

#[test]
fn mentions_by_name_and_by_id_notify_known_members() {
    let w = World::new();
    let lin = w.member_with("u_lin", "小林", &[]);
    w.thread(&lin, "t0", ThreadKind::Discussion, NOON);
    let ann = w.member("ann");
    w.run(
        &ann,
        new_thread(
            "t1",
            "run",
            ThreadKind::Discussion,
            "hi @小林 and @{u_lin} and @{ghost} `@bob`",
        ),
    )
    .unwrap();
    // Lin also earned the first-post badge for t0; the mention is the one about t1.
    let inbox: Vec<_> = w
        .inbox("u_lin")
        .into_iter()
        .filter(|n| n.kind != NotificationKind::BadgeEarned)
        .collect();
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].kind, NotificationKind::Mention);
    assert_eq!(inbox[0].target.thread.as_deref(), Some("t1"));
    assert!(w.inbox("ghost").is_empty());
}

#[test]
fn reactions_toggle_and_the_author_earns_once_per_reacting_member() {
    let w = World::new();
    let (ann, bob) = (w.member("ann"), w.member("bob"));
    w.thread(&ann, "t", ThreadKind::Discussion, NOON);
    let react = || TalkCommand::ReactToThread {
        thread: tid("t"),
        kind: ReactionKind::Heart,
    };
    let before = w.balance("ann");
    let TalkReply::Reaction(on) = w.run(&bob, react()).unwrap() else {
        panic!()
    };
    assert!(on.on);
    assert_eq!(on.counts.heart, 1);
    let TalkReply::Reaction(off) = w.run(&bob, react()).unwrap() else {
        panic!()
    };
    assert!(!off.on);
    assert_eq!(off.counts.heart, 0);
    w.run(&bob, react()).unwrap();
    assert_eq!(
        w.balance("ann"),
        before + 1,
        "one award per reacting member"
    );
    w.run(&ann, react()).unwrap();
    assert_eq!(
        w.balance("ann"),
        before + 1,
        "no points for reacting to oneself"
    );
    let TalkReply::ThreadDetail(seen) = w
        .run(
            &bob,
            TalkCommand::GetThread {
                thread: tid("t"),
                replies: ListRequest::default(),
            },
        )
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(seen.thread.reactions.heart, 2);
    assert_eq!(seen.thread.my_reactions, [ReactionKind::Heart]);
    let card = &w.feed(FeedChoice::All, 10, None).threads[0];
    assert_eq!(card.reactions.heart, 2, "the feed card follows");

    w.reply(&ann, "t", "r1", None);
    let on_reply = TalkCommand::ReactToReply {
        thread: tid("t"),
        reply: rid("r1"),
        kind: ReactionKind::Like,
    };
    let TalkReply::Reaction(liked) = w.run(&bob, on_reply).unwrap() else {
        panic!()
    };
    assert_eq!(liked.counts.like, 1);
    assert_eq!(
        w.code(&Actor::Operator, react()),
        ErrorCode::Forbidden,
        "staff have no member identity to react with"
    );
}

#[test]
fn the_asker_or_staff_accept_an_answer_and_its_author_earns_once() {
    let w = World::new();
    let (ann, bob, cat) = (w.member("ann"), w.member("bob"), w.member("cat"));
    w.thread(&ann, "q", ThreadKind::Question, NOON);
    w.reply(&bob, "q", "r1", None);
    w.reply(&cat, "q", "r2", None);
    let accept = |reply: Option<&str>| TalkCommand::AcceptAnswer {
        thread: tid("q"),
        reply: reply.map(rid),
    };
    assert_eq!(w.code(&cat, accept(Some("r2"))), ErrorCode::Forbidden);
    let before = w.balance("bob");
    let TalkReply::Thread(view) = w.run(&ann, accept(Some("r1"))).unwrap() else {
        panic!()
    };
    assert_eq!(view.accepted_answer, Some(rid("r1")));
    assert_eq!(w.balance("bob"), before + 15);
    w.run(&ann, accept(Some("r1"))).unwrap();
    assert_eq!(
        w.balance("bob"),
        before + 15,
        "accepting again awards nothing"
    );
    assert!(
        w.inbox("bob")
            .iter()
            .any(|n| n.kind == NotificationKind::AnswerAccepted)
    );
    let TalkReply::Thread(cleared) = w.run(&Actor::Operator, accept(None)).unwrap() else {
        panic!()
    };
    assert_eq!(cleared.accepted_answer, None);
    assert!(!w.feed(FeedChoice::All, 10, None).threads[0].answered);
    w.thread(&ann, "d", ThreadKind::Discussion, NOON);
    w.reply(&bob, "d", "r3", None);
    let not_question = TalkCommand::AcceptAnswer {
        thread: tid("d"),
        reply: Some(rid("r3")),
    };
    assert_eq!(w.code(&ann, not_question), ErrorCode::InvalidInput);
}

#[test]
fn staff_and_member_moderators_pin_feature_and_lock() {
    let w = World::new();
    let (ann, bob) = (w.member("ann"), w.member("bob"));
    w.thread(&ann, "t", ThreadKind::Discussion, NOON);
    let flags = |locked: bool| TalkCommand::SetFlags {
        thread: tid("t"),
        change: FlagChange {
            locked: Some(locked),
            featured: Some(true),
            pinned: None,
        },
    };
    assert_eq!(w.code(&bob, flags(true)), ErrorCode::Forbidden);
    let none = marketer(&w, "x@y.example", None);
    assert_eq!(w.code(&none, flags(true)), ErrorCode::Forbidden);
    w.put(
        super::acting::member_role_key(&MemberId::parse("mo").unwrap()),
        &MemberRole::MemberModerator,
    );
    let mo = w.member("mo");
    let TalkReply::Thread(view) = w.run(&mo, flags(true)).unwrap() else {
        panic!()
    };
    assert!(view.locked && view.featured);
    assert!(
        w.inbox("ann")
            .iter()
            .any(|n| n.kind == NotificationKind::ThreadFeatured)
    );
    assert_eq!(w.feed(FeedChoice::Featured, 10, None).threads.len(), 1);
    let reply = |id: &str| TalkCommand::PostReply {
        thread: tid("t"),
        id: rid(id),
        in_reply_to: None,
        body: body("hello"),
    };
    assert_eq!(w.code(&bob, reply("r1")), ErrorCode::ThreadLocked);
    assert!(w.run(&mo, reply("r2")).is_ok(), "moderators still reply");
    let moderator = marketer(&w, "mod@brand.example", Some(Role::Moderator));
    assert!(w.run(&moderator, flags(false)).is_ok());
    assert!(w.run(&bob, reply("r3")).is_ok());
}

#[test]
fn authors_edit_and_delete_their_own_posts_only() {
    let w = World::new();
    let (ann, bob) = (w.member("ann"), w.member("bob"));
    w.thread(&ann, "t", ThreadKind::Discussion, NOON);
    w.reply(&bob, "t", "r1", None);
    let edit = TalkCommand::EditThread {
        thread: tid("t"),
        title: Some(ThreadTitle::parse("Better title").unwrap()),
        body: Some(body("new body")),
    };
    assert_eq!(w.code(&bob, edit.clone()), ErrorCode::Forbidden);
    let TalkReply::Thread(edited) = w.run(&ann, edit).unwrap() else {
        panic!()
    };
    assert_eq!(edited.title.as_deref(), Some("Better title"));
    assert_eq!(edited.body_html.as_deref(), Some("<p>new body</p>"));
    assert_eq!(
        w.feed(FeedChoice::All, 10, None).threads[0]
            .title
            .as_deref(),
        Some("Better title")
    );
    let edit_reply = TalkCommand::EditReply {
        thread: tid("t"),
        reply: rid("r1"),
        body: body("edited"),
    };
    assert_eq!(w.code(&ann, edit_reply.clone()), ErrorCode::Forbidden);
    let TalkReply::Reply(r) = w.run(&bob, edit_reply).unwrap() else {
        panic!()
    };
    assert!(r.edited_at.is_some());
    let del_reply = TalkCommand::DeleteReply {
        thread: tid("t"),
        reply: rid("r1"),
    };
    assert_eq!(w.code(&ann, del_reply.clone()), ErrorCode::Forbidden);
    let TalkReply::Reply(gone) = w.run(&bob, del_reply.clone()).unwrap() else {
        panic!()
    };
    assert!(gone.deleted && gone.body_html.is_none());
    assert_eq!(w.code(&bob, del_reply), ErrorCode::NotFound);

    let del = TalkCommand::DeleteThread { thread: tid("t") };
    assert_eq!(w.code(&bob, del.clone()), ErrorCode::Forbidden);
    let TalkReply::Thread(deleted) = w.run(&ann, del).unwrap() else {
        panic!()
    };
    assert!(deleted.deleted && deleted.title.is_none());
    assert!(w.feed(FeedChoice::All, 10, None).threads.is_empty());
}

#[test]
fn a_page_has_one_comment_thread_opened_by_its_first_comment() {
    let w = World::new();
    let ann = w.member("ann");
    let page = |url: &str| PageUrl::parse(url).unwrap();
    let read = |url: &str| {
        let TalkReply::PageComments(view) = w
            .run(
                &Actor::Anonymous,
                TalkCommand::PageComments {
                    page: page(url),
                    list: ListRequest::default(),
                },
            )
            .unwrap()
        else {
            panic!()
        };
        view
    };
    let before = w.store.ops().commits;
    let empty = read("https://brand.example/p?utm_source=x");
    assert_eq!(w.store.ops().commits, before, "reading writes nothing");
    assert!(empty.thread.is_none() && empty.replies.is_empty());
    let comment = |url: &str, id: &str| TalkCommand::PostPageComment {
        page: page(url),
        id: rid(id),
        in_reply_to: None,
        body: body("nice page"),
    };
    let TalkReply::Posted(first) = w
        .run(&ann, comment("https://Brand.example/p#top", "c1"))
        .unwrap()
    else {
        panic!()
    };
    assert_eq!(first.thread, empty.thread_id);
    w.run(&ann, comment("https://brand.example/p", "c2"))
        .unwrap();
    let seen = read("https://brand.example/p");
    assert_eq!(seen.thread.map(|t| t.reply_count), Some(2));
    assert_eq!(seen.replies.len(), 2);
    assert!(
        w.feed(FeedChoice::All, 10, None).threads.is_empty(),
        "page threads stay out of the topic feeds"
    );
}

#[test]
fn banned_and_anonymous_members_cannot_write() {
    let w = World::new();
    let ann = w.member("ann");
    let ann_id = MemberId::parse("ann").unwrap();
    let ban = crate::moderation::Ban {
        member: ann_id.clone(),
        by: crate::moderation::ActorRef::Member {
            id: MemberId::parse("mo").unwrap(),
        },
        at: NOON,
        until: None,
        reason: crate::moderation::ModReason::default(),
    };
    w.put(keys::ban(&ann_id), &ban);
    let code = w.code(
        &ann,
        new_thread("t", "run", ThreadKind::Discussion, "hello"),
    );
    assert_eq!(code, ErrorCode::Banned);
    assert_eq!(
        w.code(
            &Actor::Anonymous,
            new_thread("t", "run", ThreadKind::Discussion, "hi")
        ),
        ErrorCode::Unauthenticated
    );
    let other_key = SsoKey {
        kid: KeyId::parse("k1").unwrap(),
        secret: SsoSecret::parse(&"t".repeat(64)).unwrap(),
        created_at: NOON,
    };
    let forged = World {
        store: MemoryStore::new(),
        key: other_key,
    }
    .member("bob");
    assert_eq!(
        w.code(
            &forged,
            new_thread("t", "run", ThreadKind::Discussion, "hi")
        ),
        ErrorCode::Unauthenticated
    );
}

#[test]
fn anonymous_reads_cost_one_get_and_one_list_and_write_nothing() {
    let w = World::new();
    let ann = w.member("ann");
    w.thread(&ann, "t", ThreadKind::Discussion, NOON);
    w.reply(&ann, "t", "r1", None);
    let cost = |command: TalkCommand| {
        let before = w.store.ops();
        w.run(&Actor::Anonymous, command).unwrap();
        let after = w.store.ops();
        (
            after.gets - before.gets,
            after.lists - before.lists,
            after.commits - before.commits,
        )
    };
    let open = TalkCommand::GetThread {
        thread: tid("t"),
        replies: ListRequest::default(),
    };
    assert_eq!(cost(open), (1, 1, 0));
    let feed = TalkCommand::ListThreads {
        feed: FeedChoice::All,
        list: ListRequest::default(),
    };
    assert_eq!(cost(feed), (0, 1, 0));
}

// ---- moderation in talk ----

mod moderated {
    use super::*;
    use crate::app::Command;
    use crate::app::membership::{MembershipCommand, MembershipReply};
    use crate::moderation::{ModerationSettings, QueueEntry, SETTINGS_KEY, Visibility};
    use crate::talk::Thread;

    fn moderate(w: &World, actor: &Actor, command: serde_json::Value) -> Result<(), ApiError> {
        let command: MembershipCommand = serde_json::from_value(command).unwrap();
        crate::app::testing::run(&w.store, actor, Command::Membership(command), NOON)?;
        Ok(())
    }

    fn post_op(op: &str, thread: &str) -> serde_json::Value {
        let content = serde_json::json!({"kind": "post", "thread": thread});
        match op {
            "hide" | "restore" => {
                serde_json::json!({"type": "set_visibility", "content": content, "hide": op == "hide", "reason": ""})
            }
            _ => {
                serde_json::json!({"type": "review_post", "content": content, "approve": op == "approve"})
            }
        }
    }

    fn reply_op(op: &str, thread: &str, reply: &str) -> serde_json::Value {
        let content = serde_json::json!({"kind": "reply", "thread": thread, "reply": reply});
        serde_json::json!({"type": "review_post", "content": content, "approve": op == "approve"})
    }

    fn get(w: &World, actor: &Actor, thread: &str) -> Result<ThreadDetailView, ApiError> {
        let command = TalkCommand::GetThread {
            thread: tid(thread),
            replies: ListRequest::default(),
        };
        match w.run(actor, command)? {
            TalkReply::ThreadDetail(view) => Ok(*view),
            other => panic!("{other:?}"),
        }
    }

    fn feed_ids(w: &World) -> Vec<String> {
        w.feed(FeedChoice::All, 20, None)
            .threads
            .iter()
            .map(|t| t.id.to_string())
            .collect()
    }

    fn queue(w: &World) -> Vec<QueueEntry> {
        let command = MembershipCommand::Queue { cursor: None };
        let reply = crate::app::testing::run(
            &w.store,
            &Actor::Operator,
            Command::Membership(command),
            NOON,
        )
        .unwrap();
        match reply {
            Reply::Membership(MembershipReply::Queue(page)) => page.items,
            other => panic!("{other:?}"),
        }
    }

    fn all_posts(w: &World) {
        let settings: ModerationSettings =
            serde_json::from_value(serde_json::json!({"pre_moderation": {"mode": "all_posts"}}))
                .unwrap();
        w.put(SETTINGS_KEY.to_owned(), &settings);
    }

    fn member_moderator(w: &World, sub: &str) -> Actor {
        w.put(format!("mod/role/{sub}"), &MemberRole::MemberModerator);
        w.member(sub)
    }

    #[test]
    fn a_hidden_thread_leaves_the_feeds_and_only_its_author_and_moderators_read_it() {
        let w = World::new();
        let (ann, bob) = (w.member("ann"), w.member("bob"));
        let mo = member_moderator(&w, "mo");
        w.thread(&ann, "t1", ThreadKind::Discussion, NOON);
        assert_eq!(feed_ids(&w), ["t1"]);

        let before = w.store.ops().commits;
        moderate(&w, &mo, post_op("hide", "t1")).unwrap();
        assert_eq!(
            w.store.ops().commits - before,
            1,
            "record, feeds and audit in one batch"
        );
        assert!(feed_ids(&w).is_empty());
        for reader in [&bob, &Actor::Anonymous] {
            assert_eq!(get(&w, reader, "t1").unwrap_err().code, ErrorCode::NotFound);
        }
        for reader in [&ann, &mo, &Actor::Operator] {
            let view = get(&w, reader, "t1").unwrap();
            assert!(matches!(view.thread.visibility, Visibility::Hidden { .. }));
        }
        let reply = TalkCommand::PostReply {
            thread: tid("t1"),
            id: rid("r1"),
            in_reply_to: None,
            body: body("hello?"),
        };
        assert_eq!(w.code(&bob, reply), ErrorCode::NotFound, "no replies to it");

        moderate(&w, &mo, post_op("restore", "t1")).unwrap();
        assert_eq!(feed_ids(&w), ["t1"]);
        assert!(get(&w, &bob, "t1").unwrap().thread.visibility.is_public());
    }

    #[test]
    fn with_pre_moderation_a_new_thread_waits_in_the_queue_until_approved() {
        let w = World::new();
        all_posts(&w);
        let ann = w.member("ann");
        let view = w.thread(&ann, "t1", ThreadKind::Discussion, NOON);
        assert_eq!(view.visibility, Visibility::Pending { since: NOON });
        assert!(feed_ids(&w).is_empty());
        assert_eq!(w.balance("ann"), 0, "nothing earned while pending");
        assert_eq!(
            get(&w, &w.member("bob"), "t1").unwrap_err().code,
            ErrorCode::NotFound
        );
        assert!(!get(&w, &ann, "t1").unwrap().thread.visibility.is_public());
        let queued = queue(&w);
        assert_eq!(queued.len(), 1);
        assert_eq!(queued[0].pending_since, Some(NOON));

        let bob = w.member("bob");
        assert_eq!(
            moderate(&w, &bob, post_op("approve", "t1"))
                .unwrap_err()
                .code,
            ErrorCode::Forbidden
        );
        moderate(&w, &Actor::Operator, post_op("approve", "t1")).unwrap();
        assert_eq!(feed_ids(&w), ["t1"]);
        assert!(queue(&w).is_empty());
        assert_eq!(
            moderate(&w, &Actor::Operator, post_op("approve", "t1"))
                .unwrap_err()
                .code,
            ErrorCode::Conflict,
            "no longer pending"
        );
    }

    #[test]
    fn a_rejected_thread_stays_hidden_and_moderators_skip_pre_moderation() {
        let w = World::new();
        all_posts(&w);
        w.thread(&w.member("ann"), "t1", ThreadKind::Discussion, NOON);
        moderate(&w, &Actor::Operator, post_op("reject", "t1")).unwrap();
        assert!(feed_ids(&w).is_empty());
        assert!(queue(&w).is_empty());
        assert_eq!(
            get(&w, &Actor::Anonymous, "t1").unwrap_err().code,
            ErrorCode::NotFound
        );

        let mo = member_moderator(&w, "mo");
        let view = w.thread(&mo, "t2", ThreadKind::Discussion, NOON);
        assert!(view.visibility.is_public());
        assert_eq!(feed_ids(&w), ["t2"]);
    }

    #[test]
    fn new_member_pre_moderation_counts_published_posts() {
        let w = World::new();
        let settings: ModerationSettings = serde_json::from_value(
            serde_json::json!({"pre_moderation": {"mode": "new_members", "first_posts": 1}}),
        )
        .unwrap();
        w.put(SETTINGS_KEY.to_owned(), &settings);
        let ann = w.member("ann");
        let first = w.thread(&ann, "t1", ThreadKind::Discussion, NOON);
        assert!(!first.visibility.is_public(), "no published post yet");
        moderate(&w, &Actor::Operator, post_op("approve", "t1")).unwrap();
        // Approval earns nothing retroactively; a published post by a member with stats does.
        w.put(
            "member/ann/stats".to_owned(),
            &serde_json::json!({"posts": 1}),
        );
        let second = w.thread(&ann, "t2", ThreadKind::Discussion, NOON);
        assert!(second.visibility.is_public());
    }

    #[test]
    fn pending_replies_are_left_out_of_lists_and_counts_until_approved() {
        let w = World::new();
        let (ann, bob) = (w.member("ann"), w.member("bob"));
        w.thread(&ann, "t1", ThreadKind::Discussion, NOON);
        w.reply(&ann, "t1", "r1", None);
        all_posts(&w);
        let pending = w.reply(&bob, "t1", "r2", Some("r1"));
        assert_eq!(pending.visibility, Visibility::Pending { since: NOON });
        let card = &w.feed(FeedChoice::All, 20, None).threads[0];
        assert_eq!(card.reply_count, 1, "only the published reply counts");

        let ids = |reader: &Actor| -> Vec<String> {
            get(&w, reader, "t1")
                .unwrap()
                .replies
                .iter()
                .map(|r| r.id.to_string())
                .collect()
        };
        assert_eq!(ids(&Actor::Anonymous), ["r1"]);
        assert_eq!(ids(&w.member("cy")), ["r1"]);
        assert_eq!(ids(&bob), ["r1", "r2"], "the author sees their own, marked");
        assert_eq!(ids(&Actor::Operator), ["r1", "r2"]);
        let top = &get(&w, &Actor::Anonymous, "t1").unwrap().replies[0];
        assert_eq!(top.reply_count, 0);

        let answer = TalkCommand::PostReply {
            thread: tid("t1"),
            id: rid("r3"),
            in_reply_to: Some(rid("r2")),
            body: body("to a pending one"),
        };
        assert_eq!(w.code(&w.member("cy"), answer), ErrorCode::NotFound);

        moderate(&w, &Actor::Operator, reply_op("approve", "t1", "r2")).unwrap();
        assert_eq!(ids(&Actor::Anonymous), ["r1", "r2"]);
        assert_eq!(w.feed(FeedChoice::All, 20, None).threads[0].reply_count, 2);
        assert_eq!(
            get(&w, &Actor::Anonymous, "t1").unwrap().replies[0].reply_count,
            1
        );
    }

    #[test]
    fn stored_records_without_visibility_read_as_published() {
        let w = World::new();
        w.thread(&w.member("ann"), "t1", ThreadKind::Discussion, NOON);
        let raw = block_on(w.store.get("talk/thread/t1")).unwrap().unwrap();
        assert!(
            !raw.contains("visibility"),
            "published is not written: {raw}"
        );
        let thread: Thread = serde_json::from_str(&raw).unwrap();
        assert!(thread.visibility.is_public());
    }
}

#[test]
fn a_community_may_require_a_verified_phone_to_post() {
    let w = World::new();
    let settings = serde_json::from_value(
        serde_json::json!({"name": "Demo", "posting_requires_phone_verified": true}),
    )
    .unwrap();
    let put = crate::app::Command::PutCommunity { settings };
    let outcome = block_on(crate::app::handle(
        &w.store,
        &slug(),
        &Actor::Operator,
        put,
        NOON,
    ))
    .unwrap();
    let Reply::Community(view) = outcome.reply else {
        panic!("a community")
    };
    assert!(view.posting_requires_phone_verified, "shown to the widget");

    let verified = |sub: &str, phone: Option<bool>| {
        let mut claims = claims(sub, sub, "demo", NOON);
        if let Some(phone) = phone {
            claims["phone_verified"] = serde_json::json!(phone);
        }
        signed(&w.key, &claims)
    };
    let comment = |id: &str| TalkCommand::PostPageComment {
        page: PageUrl::parse("https://brand.example/p").unwrap(),
        id: rid(id),
        in_reply_to: None,
        body: body("hello"),
    };
    let post = |id: &str| new_thread(id, "run", ThreadKind::Discussion, "hi");
    for unverified in [verified("ann", None), verified("bo", Some(false))] {
        assert_eq!(
            w.code(&unverified, post("t1")),
            ErrorCode::PhoneVerificationRequired
        );
        assert_eq!(
            w.code(&unverified, comment("c1")),
            ErrorCode::PhoneVerificationRequired
        );
    }
    let cy = verified("cy", Some(true));
    w.thread(&cy, "t1", ThreadKind::Discussion, NOON);
    let ann = verified("ann", None);
    assert_eq!(
        w.code(
            &ann,
            TalkCommand::PostReply {
                thread: tid("t1"),
                id: rid("r1"),
                in_reply_to: None,
                body: body("me too"),
            }
        ),
        ErrorCode::PhoneVerificationRequired
    );
    w.reply(&cy, "t1", "r1", None);
    w.run(&cy, comment("c1")).unwrap();
    // Reacting needs no phone.
    w.run(
        &ann,
        TalkCommand::ReactToThread {
            thread: tid("t1"),
            kind: crate::talk::ReactionKind::Like,
        },
    )
    .unwrap();
}
