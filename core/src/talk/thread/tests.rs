use proptest::prelude::*;

use super::*;
use crate::talk::answer::*;
use crate::talk::fixtures::*;
use crate::talk::reaction::{
    ReactError, ReactionKind, ReactionSet, react_to_reply, react_to_thread,
};
use crate::talk::reply::*;

fn kinds_and_recipients(notices: &[Notice]) -> Vec<(NoticeKind, String)> {
    notices
        .iter()
        .map(|n| (n.kind, n.recipient.to_string()))
        .collect()
}

fn question() -> Thread {
    thread_by("q1", ThreadKind::Question, "asker", NOW)
}

#[test]
fn a_new_thread_notifies_the_members_it_mentions_but_not_its_author() {
    let draft = ThreadDraft {
        id: thread_id("t1"),
        topic: TopicId::parse("run").unwrap(),
        kind: ThreadKind::Story,
        title: ThreadTitle::parse("My first trail run").unwrap(),
        text: text("with @{bob} and @{ann} and me @{ann}"),
    };
    let created = create_thread(&as_member("ann"), draft, NOW).unwrap();
    assert_eq!(
        kinds_and_recipients(&created.notices),
        [(NoticeKind::Mention, "bob".to_owned())]
    );
    let t = created.thread;
    assert_eq!(t.author(), Some(&member("ann")));
    assert_eq!(
        (t.reply_count, t.created_at, t.last_activity_at),
        (0, NOW, NOW)
    );
    assert_eq!(created.notices[0].target.thread, t.id);
}

#[test]
fn staff_without_a_member_identity_cannot_post() {
    let draft = ThreadDraft {
        id: thread_id("t1"),
        topic: TopicId::parse("run").unwrap(),
        kind: ThreadKind::Discussion,
        title: ThreadTitle::parse("Hello").unwrap(),
        text: text("hi"),
    };
    assert_eq!(
        create_thread(&Actor::Staff, draft, NOW).unwrap_err(),
        CreateThreadError::NoMemberIdentity
    );
    let mut t = question();
    let reply = ReplyDraft {
        id: reply_id("r1"),
        text: text("hi"),
    };
    assert_eq!(
        post_reply(&Actor::Staff, &mut t, ReplyTo::Thread, reply, NOW).unwrap_err(),
        PostReplyError::NoMemberIdentity
    );
}

#[test]
fn reply_notices_name_each_member_once_most_specific_first() {
    // thread by `op`; top-level reply by `top`; nested reply by `mid` under it.
    struct Case {
        why: &'static str,
        replier: &'static str,
        answering: Option<&'static str>,
        body: &'static str,
        want: Vec<(NoticeKind, &'static str)>,
    }
    let cases = [
        Case {
            why: "a reply to the thread tells its author",
            replier: "x",
            answering: None,
            body: "hi",
            want: vec![(NoticeKind::ReplyToYourThread, "op")],
        },
        Case {
            why: "the author replying to their own thread tells nobody",
            replier: "op",
            answering: None,
            body: "hi",
            want: vec![],
        },
        Case {
            why: "a reply to a top-level reply tells its author, then the thread's",
            replier: "x",
            answering: Some("r-top"),
            body: "hi",
            want: vec![
                (NoticeKind::ReplyToYourReply, "top"),
                (NoticeKind::ReplyToYourThread, "op"),
            ],
        },
        Case {
            why: "a reply to a nested reply tells its author and the top-level author",
            replier: "x",
            answering: Some("r-mid"),
            body: "hi",
            want: vec![
                (NoticeKind::ReplyToYourReply, "mid"),
                (NoticeKind::ReplyToYourReply, "top"),
                (NoticeKind::ReplyToYourThread, "op"),
            ],
        },
        Case {
            why: "a mention of someone already told adds nothing; others get a mention",
            replier: "x",
            answering: Some("r-top"),
            body: "@{op} @{top} @{z} @{x}",
            want: vec![
                (NoticeKind::ReplyToYourReply, "top"),
                (NoticeKind::ReplyToYourThread, "op"),
                (NoticeKind::Mention, "z"),
            ],
        },
    ];
    for case in cases {
        let mut t = thread_by("t1", ThreadKind::Discussion, "op", NOW);
        let mut top = reply_by(&mut t, ReplyTo::Thread, "r-top", "top", NOW);
        let mid = reply_by(&mut t, ReplyTo::TopLevel(&mut top), "r-mid", "mid", NOW);
        let to = match case.answering {
            None => ReplyTo::Thread,
            Some("r-top") => ReplyTo::TopLevel(&mut top),
            Some(_) => ReplyTo::Nested {
                answered: &mid,
                top_level: &mut top,
            },
        };
        let draft = ReplyDraft {
            id: reply_id("new"),
            text: text(case.body),
        };
        let posted = post_reply(&as_member(case.replier), &mut t, to, draft, NOW).unwrap();
        let want: Vec<_> = case
            .want
            .iter()
            .map(|(k, m)| (*k, (*m).to_owned()))
            .collect();
        assert_eq!(kinds_and_recipients(&posted.notices), want, "{}", case.why);
        assert!(
            posted
                .notices
                .iter()
                .all(|n| n.target.reply == Some(reply_id("new"))
                    && n.actor == Some(member(case.replier))),
            "{}",
            case.why
        );
    }
}

#[test]
fn a_reply_to_a_nested_reply_attaches_to_its_top_level_reply() {
    let mut t = thread_by("t1", ThreadKind::Discussion, "op", NOW);
    let mut top = reply_by(&mut t, ReplyTo::Thread, "a", "ann", NOW.plus_millis(1));
    let nested = reply_by(
        &mut t,
        ReplyTo::TopLevel(&mut top),
        "b",
        "bob",
        NOW.plus_millis(2),
    );
    let deeper = reply_by(
        &mut t,
        ReplyTo::Nested {
            answered: &nested,
            top_level: &mut top,
        },
        "c",
        "cat",
        NOW.plus_millis(3),
    );
    let parent = ReplyParent {
        id: reply_id("a"),
        created_at: NOW.plus_millis(1),
    };
    assert_eq!(nested.parent.as_ref(), Some(&parent));
    assert_eq!(nested.in_reply_to, Some(reply_id("a")));
    assert_eq!(deeper.parent.as_ref(), Some(&parent));
    assert_eq!(deeper.in_reply_to, Some(reply_id("b")));
    assert_eq!(deeper.top_level_id(), &reply_id("a"));
    assert_eq!(top.top_level_id(), &reply_id("a"));
    assert_eq!((t.reply_count, top.reply_count), (3, 2));
    assert_eq!(t.last_activity_at, NOW.plus_millis(3));
}

#[test]
fn replies_that_do_not_fit_the_thread_are_refused() {
    let mut t = thread_by("t1", ThreadKind::Discussion, "op", NOW);
    let mut other = thread_by("t2", ThreadKind::Discussion, "op", NOW);
    let mut foreign = reply_by(&mut other, ReplyTo::Thread, "f", "ann", NOW);
    let mut top = reply_by(&mut t, ReplyTo::Thread, "a", "ann", NOW);
    let mut top2 = reply_by(&mut t, ReplyTo::Thread, "a2", "ann", NOW);
    let mut nested = reply_by(&mut t, ReplyTo::TopLevel(&mut top), "b", "bob", NOW);
    let nested_copy = nested.clone();
    let draft = || ReplyDraft {
        id: reply_id("x"),
        text: text("x"),
    };
    let who = as_member("cat");
    let before = t.clone();
    let results = [
        post_reply(&who, &mut t, ReplyTo::TopLevel(&mut foreign), draft(), NOW),
        post_reply(&who, &mut t, ReplyTo::TopLevel(&mut nested), draft(), NOW),
        post_reply(
            &who,
            &mut t,
            ReplyTo::Nested {
                answered: &nested_copy,
                top_level: &mut top2,
            },
            draft(),
            NOW,
        ),
    ];
    let errors: Vec<_> = results.into_iter().map(|r| r.unwrap_err()).collect();
    assert_eq!(
        errors,
        [
            PostReplyError::NotInThread,
            PostReplyError::NotTopLevel,
            PostReplyError::NotUnderTopLevel
        ]
    );
    assert_eq!(t, before, "a refused reply changes nothing");
    assert_eq!(top2.reply_count, 0);
}

#[test]
fn a_locked_thread_refuses_member_replies_but_not_staff() {
    let mut t = question();
    moderate_thread(
        &Actor::Staff,
        &mut t,
        FlagChange {
            locked: Some(true),
            ..FlagChange::default()
        },
    )
    .unwrap();
    let draft = |id: &str| ReplyDraft {
        id: reply_id(id),
        text: text("hi"),
    };
    let err = post_reply(&as_member("ann"), &mut t, ReplyTo::Thread, draft("r1"), NOW).unwrap_err();
    assert_eq!(err, PostReplyError::Locked);
    assert_eq!(ApiError::from(err).code, ErrorCode::ThreadLocked);
    assert_eq!(t.reply_count, 0);
    let moderator = Actor::Moderator(member("mo"));
    assert!(post_reply(&moderator, &mut t, ReplyTo::Thread, draft("r2"), NOW).is_ok());
}

#[test]
fn only_the_author_edits_and_newly_mentioned_members_are_told() {
    let mut t = thread_by("t1", ThreadKind::Discussion, "op", NOW);
    let edit = ThreadEdit {
        title: None,
        text: Some(text("now with @{bob}")),
    };
    assert_eq!(
        edit_thread(&as_member("bob"), &mut t, edit.clone(), NOW),
        Err(EditPostError::NotAuthor)
    );
    assert_eq!(
        edit_thread(&Actor::Moderator(member("mo")), &mut t, edit.clone(), NOW),
        Err(EditPostError::NotAuthor)
    );
    let later = NOW.plus_millis(5);
    let notices = edit_thread(&as_member("op"), &mut t, edit, later).unwrap();
    assert_eq!(
        kinds_and_recipients(&notices),
        [(NoticeKind::Mention, "bob".to_owned())]
    );
    let again = ThreadEdit {
        title: Some(ThreadTitle::parse("Renamed").unwrap()),
        text: Some(text("@{bob} and @{cat}")),
    };
    let notices = edit_thread(&as_member("op"), &mut t, again, later).unwrap();
    assert_eq!(
        kinds_and_recipients(&notices),
        [(NoticeKind::Mention, "cat".to_owned())]
    );
    let (title, post) = t.opening().unwrap();
    assert_eq!(title.as_str(), "Renamed");
    assert_eq!(post.edited_at, Some(later));
    assert_eq!(t.last_activity_at, NOW, "edits are not activity");
}

#[test]
fn replies_are_edited_by_their_author_only() {
    let mut t = question();
    let mut r = reply_by(&mut t, ReplyTo::Thread, "r1", "ann", NOW);
    assert_eq!(
        edit_reply(&as_member("bob"), &mut r, text("x"), NOW),
        Err(EditPostError::NotAuthor)
    );
    let notices = edit_reply(&as_member("ann"), &mut r, text("ping @{asker}"), NOW).unwrap();
    assert_eq!(
        kinds_and_recipients(&notices),
        [(NoticeKind::Mention, "asker".to_owned())]
    );
    assert_eq!(notices[0].target.reply, Some(reply_id("r1")));
    assert_eq!(r.post().unwrap().body.markdown.as_str(), "ping @{asker}");
    delete_reply(&as_member("ann"), &mut t, &mut r, None, NOW).unwrap();
    assert_eq!(
        edit_reply(&as_member("ann"), &mut r, text("x"), NOW),
        Err(EditPostError::Deleted)
    );
}

#[test]
fn deleting_a_thread_is_soft_and_keeps_its_replies() {
    let mut t = thread_by("t1", ThreadKind::Discussion, "op", NOW);
    reply_by(&mut t, ReplyTo::Thread, "r1", "ann", NOW);
    assert_eq!(
        delete_thread(&as_member("ann"), &mut t, NOW),
        Err(DeleteThreadError::NotAuthor)
    );
    let deleted = delete_thread(&as_member("op"), &mut t, NOW).unwrap();
    assert_eq!(deleted.author, member("op"));
    assert!(t.is_deleted());
    assert_eq!(t.opening(), None);
    assert_eq!(t.reply_count, 1);
    assert_eq!(t.author(), Some(&member("op")));
    assert_eq!(
        delete_thread(&as_member("op"), &mut t, NOW),
        Err(DeleteThreadError::AlreadyDeleted)
    );
    assert_eq!(
        edit_thread(&as_member("op"), &mut t, ThreadEdit::default(), NOW),
        Err(EditPostError::Deleted)
    );
    // Conversation may go on under a deleted opening post.
    assert!(
        post_reply(
            &as_member("bob"),
            &mut t,
            ReplyTo::Thread,
            ReplyDraft {
                id: reply_id("r2"),
                text: text("still here")
            },
            NOW
        )
        .is_ok()
    );
}

#[test]
fn deleting_a_reply_drops_the_counts_keeps_its_children_and_withdraws_an_accepted_answer() {
    let mut t = question();
    let mut top = reply_by(&mut t, ReplyTo::Thread, "a", "ann", NOW);
    let mut nested = reply_by(&mut t, ReplyTo::TopLevel(&mut top), "b", "bob", NOW);
    accept_answer(&as_member("asker"), &mut t, &top).unwrap();

    assert_eq!(
        delete_reply(&as_member("bob"), &mut t, &mut nested, None, NOW),
        Err(DeleteReplyError::TopLevelMissing)
    );
    let gone = delete_reply(&as_member("bob"), &mut t, &mut nested, Some(&mut top), NOW).unwrap();
    assert!(!gone.was_accepted_answer);
    assert_eq!((t.reply_count, top.reply_count), (1, 0));

    assert_eq!(
        delete_reply(&as_member("bob"), &mut t, &mut top, None, NOW),
        Err(DeleteReplyError::NotAuthor)
    );
    let gone = delete_reply(&as_member("ann"), &mut t, &mut top, None, NOW).unwrap();
    assert!(gone.was_accepted_answer);
    assert_eq!(t.accepted_answer, None);
    assert_eq!(t.reply_count, 0);
    assert_eq!(
        delete_reply(&as_member("ann"), &mut t, &mut top, None, NOW),
        Err(DeleteReplyError::AlreadyDeleted)
    );
    assert!(top.post().is_none());
}

#[test]
fn only_staff_pin_feature_and_lock_and_featuring_tells_the_author_once() {
    let mut t = thread_by("t1", ThreadKind::Story, "op", NOW);
    let feature = FlagChange {
        featured: Some(true),
        pinned: Some(true),
        ..FlagChange::default()
    };
    assert_eq!(
        moderate_thread(&as_member("op"), &mut t, feature),
        Err(ModerateThreadError::NotStaff)
    );
    let notices = moderate_thread(&Actor::Staff, &mut t, feature).unwrap();
    assert_eq!(
        kinds_and_recipients(&notices),
        [(NoticeKind::ThreadFeatured, "op".to_owned())]
    );
    assert_eq!(notices[0].actor, None);
    assert_eq!(
        t.flags,
        ThreadFlags {
            pinned: true,
            featured: true,
            locked: false
        }
    );
    assert!(
        moderate_thread(&Actor::Moderator(member("mo")), &mut t, feature)
            .unwrap()
            .is_empty()
    );
    let unpin = FlagChange {
        pinned: Some(false),
        ..FlagChange::default()
    };
    moderate_thread(&Actor::Staff, &mut t, unpin).unwrap();
    assert_eq!((t.flags.pinned, t.flags.featured), (false, true));
}

#[test]
fn who_may_accept_an_answer() {
    let cases = [
        (as_member("asker"), true),
        (Actor::Moderator(member("mo")), true),
        (Actor::Staff, true),
        (as_member("answerer"), false),
        (as_member("someone"), false),
    ];
    for (actor, allowed) in cases {
        let mut t = question();
        let r = reply_by(&mut t, ReplyTo::Thread, "r1", "answerer", NOW);
        let result = accept_answer(&actor, &mut t, &r);
        assert_eq!(result.is_ok(), allowed, "{actor:?}");
        if !allowed {
            assert_eq!(result.unwrap_err(), AcceptAnswerError::NotAllowed);
            assert_eq!(t.accepted_answer, None);
        }
    }
}

#[test]
fn an_accepted_answer_reports_its_author_and_can_be_changed() {
    let mut t = question();
    let first = reply_by(&mut t, ReplyTo::Thread, "r1", "ann", NOW);
    let second = reply_by(&mut t, ReplyTo::Thread, "r2", "bob", NOW);
    let asker = as_member("asker");

    let accepted = accept_answer(&asker, &mut t, &first).unwrap();
    assert_eq!(
        (
            accepted.answer_author.as_str(),
            accepted.question_author.as_str()
        ),
        ("ann", "asker")
    );
    assert_eq!((accepted.replaced, accepted.changed), (None, true));
    assert_eq!(
        kinds_and_recipients(&accepted.notices),
        [(NoticeKind::AnswerAccepted, "ann".to_owned())]
    );
    assert_eq!(accepted.notices[0].target.reply, Some(reply_id("r1")));

    let same = accept_answer(&asker, &mut t, &first).unwrap();
    assert!(!same.changed && same.notices.is_empty() && same.replaced.is_none());

    let changed = accept_answer(&asker, &mut t, &second).unwrap();
    assert_eq!(changed.replaced, Some(reply_id("r1")));
    assert_eq!(t.accepted_answer, Some(reply_id("r2")));

    assert_eq!(
        clear_accepted_answer(&as_member("ann"), &mut t),
        Err(AcceptAnswerError::NotAllowed)
    );
    assert_eq!(
        clear_accepted_answer(&asker, &mut t),
        Ok(Some(reply_id("r2")))
    );
    assert_eq!(clear_accepted_answer(&asker, &mut t), Ok(None));
}

#[test]
fn answers_are_accepted_only_on_questions_from_live_replies_of_the_same_thread() {
    let mut discussion = thread_by("d", ThreadKind::Discussion, "asker", NOW);
    let r = reply_by(&mut discussion, ReplyTo::Thread, "r1", "ann", NOW);
    assert_eq!(
        accept_answer(&as_member("asker"), &mut discussion, &r),
        Err(AcceptAnswerError::NotAQuestion)
    );
    let mut page = open_page_thread(
        None,
        PageUrl::parse("https://brand.example/p").unwrap(),
        NOW,
    )
    .unwrap();
    assert_eq!(
        accept_answer(&Actor::Staff, &mut page, &r),
        Err(AcceptAnswerError::NotAQuestion)
    );
    let mut q = question();
    assert_eq!(
        accept_answer(&as_member("asker"), &mut q, &r),
        Err(AcceptAnswerError::NotInThread)
    );
    let mut mine = reply_by(&mut q, ReplyTo::Thread, "r2", "ann", NOW);
    delete_reply(&as_member("ann"), &mut q, &mut mine, None, NOW).unwrap();
    assert_eq!(
        accept_answer(&as_member("asker"), &mut q, &mine),
        Err(AcceptAnswerError::ReplyDeleted)
    );
}

#[test]
fn a_page_thread_is_found_by_its_url_and_holds_comments_only() {
    let url = PageUrl::parse("https://brand.example/launch?utm_source=wx").unwrap();
    let mut t = open_page_thread(None, url.clone(), NOW).unwrap();
    assert_eq!(t.id, ThreadId::for_page(&url));
    assert_eq!((t.author(), t.topic(), t.page()), (None, None, Some(&url)));
    let c = reply_by(&mut t, ReplyTo::Thread, "c1", "ann", NOW.plus_millis(1));
    assert_eq!(c.thread, t.id);
    let reopened = open_page_thread(Some(t.clone()), url, NOW.plus_millis(9)).unwrap();
    assert_eq!(reopened, t);
    let other = PageUrl::parse("https://brand.example/other").unwrap();
    assert_eq!(
        open_page_thread(Some(t.clone()), other, NOW),
        Err(PageThreadError::KeyTaken)
    );
    assert_eq!(
        edit_thread(&as_member("ann"), &mut t, ThreadEdit::default(), NOW),
        Err(EditPostError::NoOpeningPost)
    );
    assert_eq!(
        delete_thread(&as_member("ann"), &mut t, NOW),
        Err(DeleteThreadError::NoOpeningPost)
    );
    assert_eq!(
        react_to_thread(&mut t, &mut ReactionSet::default(), ReactionKind::Like),
        Err(ReactError::NoOpeningPost)
    );
}

#[test]
fn reactions_land_on_live_posts_only() {
    let mut t = question();
    let mut r = reply_by(&mut t, ReplyTo::Thread, "r1", "ann", NOW);
    let mut mine = ReactionSet::default();
    let on = react_to_thread(&mut t, &mut mine, ReactionKind::Thanks).unwrap();
    assert!(on.on);
    assert_eq!(t.reactions.thanks, 1);
    let mut mine_on_reply = ReactionSet::default();
    react_to_reply(&mut r, &mut mine_on_reply, ReactionKind::Like).unwrap();
    assert_eq!(r.reactions.like, 1);
    delete_reply(&as_member("ann"), &mut t, &mut r, None, NOW).unwrap();
    assert_eq!(
        react_to_reply(&mut r, &mut mine_on_reply, ReactionKind::Like),
        Err(ReactError::Deleted)
    );
    delete_thread(&as_member("asker"), &mut t, NOW).unwrap();
    assert_eq!(
        react_to_thread(&mut t, &mut mine, ReactionKind::Thanks),
        Err(ReactError::Deleted)
    );
    assert_eq!(t.reactions.thanks, 1, "a refused toggle changes nothing");
}

#[test]
fn every_error_maps_to_its_wire_code() {
    let cases: Vec<(ApiError, ErrorCode)> = vec![
        (
            CreateThreadError::NoMemberIdentity.into(),
            ErrorCode::Forbidden,
        ),
        (PageThreadError::KeyTaken.into(), ErrorCode::Conflict),
        (EditPostError::NotAuthor.into(), ErrorCode::Forbidden),
        (EditPostError::Deleted.into(), ErrorCode::NotFound),
        (EditPostError::NoOpeningPost.into(), ErrorCode::InvalidInput),
        (DeleteThreadError::NotAuthor.into(), ErrorCode::Forbidden),
        (
            DeleteThreadError::AlreadyDeleted.into(),
            ErrorCode::NotFound,
        ),
        (
            DeleteThreadError::NoOpeningPost.into(),
            ErrorCode::InvalidInput,
        ),
        (
            PostReplyError::NoMemberIdentity.into(),
            ErrorCode::Forbidden,
        ),
        (PostReplyError::Locked.into(), ErrorCode::ThreadLocked),
        (PostReplyError::NotInThread.into(), ErrorCode::NotFound),
        (PostReplyError::NotTopLevel.into(), ErrorCode::InvalidInput),
        (
            PostReplyError::NotUnderTopLevel.into(),
            ErrorCode::InvalidInput,
        ),
        (DeleteReplyError::NotAuthor.into(), ErrorCode::Forbidden),
        (DeleteReplyError::AlreadyDeleted.into(), ErrorCode::NotFound),
        (DeleteReplyError::NotInThread.into(), ErrorCode::NotFound),
        (
            DeleteReplyError::TopLevelMissing.into(),
            ErrorCode::InvalidInput,
        ),
        (ModerateThreadError::NotStaff.into(), ErrorCode::Forbidden),
        (
            AcceptAnswerError::NotAQuestion.into(),
            ErrorCode::InvalidInput,
        ),
        (AcceptAnswerError::NotAllowed.into(), ErrorCode::Forbidden),
        (AcceptAnswerError::NotInThread.into(), ErrorCode::NotFound),
        (AcceptAnswerError::ReplyDeleted.into(), ErrorCode::NotFound),
        (ReactError::Deleted.into(), ErrorCode::NotFound),
        (ReactError::NoOpeningPost.into(), ErrorCode::InvalidInput),
    ];
    for (err, code) in cases {
        assert_eq!(err.code, code, "{err}");
        assert!(!err.message.is_empty());
    }
}

#[test]
fn threads_and_replies_round_trip_through_json() {
    let mut t = question();
    let mut top = reply_by(&mut t, ReplyTo::Thread, "a", "ann", NOW);
    let nested = reply_by(&mut t, ReplyTo::TopLevel(&mut top), "b", "bob", NOW);
    for thread in [t.clone(), {
        let mut d = t.clone();
        delete_thread(&as_member("asker"), &mut d, NOW).unwrap();
        d
    }] {
        let json = serde_json::to_string(&thread).unwrap();
        assert_eq!(serde_json::from_str::<Thread>(&json).unwrap(), thread);
    }
    for reply in [top, nested] {
        let json = serde_json::to_string(&reply).unwrap();
        assert_eq!(serde_json::from_str::<Reply>(&json).unwrap(), reply);
    }
    let json = serde_json::to_value(&t).unwrap();
    assert_eq!(json["place"]["type"], "topic");
    assert_eq!(json["place"]["opening"]["state"], "live");
}

#[derive(Debug, Clone)]
enum Op {
    /// Reply to the thread (`None`) or to the reply at this index (modulo the count).
    Post { to: Option<usize>, by: u8 },
    /// The author deletes the reply at this index.
    Delete { at: usize },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (proptest::option::of(0usize..64), 0u8..4).prop_map(|(to, by)| Op::Post { to, by }),
        1 => (0usize..64).prop_map(|at| Op::Delete { at }),
    ]
}

proptest! {
    #[test]
    fn replies_never_nest_deeper_than_one_level_and_counts_match_live_replies(
        ops in proptest::collection::vec(op(), 0..60)
    ) {
        let mut t = thread_by("t", ThreadKind::Discussion, "op", NOW);
        let mut replies: Vec<Reply> = Vec::new();
        for (step, op) in ops.into_iter().enumerate() {
            let now = NOW.plus_millis(step as i64);
            match op {
                Op::Post { to, by } => {
                    let draft = ReplyDraft { id: reply_id(&format!("r{step}")), text: text("x") };
                    let actor = as_member(&format!("m{by}"));
                    let answered = to.filter(|_| !replies.is_empty()).map(|i| i % replies.len());
                    let posted = match answered {
                        None => post_reply(&actor, &mut t, ReplyTo::Thread, draft, now),
                        Some(i) => {
                            let target = replies[i].clone();
                            let top = replies.iter().position(|r| &r.id == target.top_level_id()).unwrap();
                            let to = if top == i {
                                ReplyTo::TopLevel(&mut replies[top])
                            } else {
                                ReplyTo::Nested { answered: &target, top_level: &mut replies[top] }
                            };
                            post_reply(&actor, &mut t, to, draft, now)
                        }
                    };
                    replies.push(posted.unwrap().reply);
                }
                Op::Delete { at } => {
                    if replies.is_empty() { continue; }
                    let i = at % replies.len();
                    let mut reply = replies[i].clone();
                    let actor = Actor::Member(reply.author.clone());
                    let top = reply.parent.as_ref().and_then(|p| replies.iter().position(|r| r.id == p.id));
                    let result = match top {
                        Some(k) => delete_reply(&actor, &mut t, &mut reply, Some(&mut replies[k]), now),
                        None => delete_reply(&actor, &mut t, &mut reply, None, now),
                    };
                    prop_assert_eq!(result.is_err(), replies[i].is_deleted());
                    replies[i] = reply;
                }
            }
        }
        for r in &replies {
            if let Some(p) = &r.parent {
                let parent = replies.iter().find(|x| x.id == p.id).unwrap();
                prop_assert!(parent.is_top_level(), "{:?} nests under a nested reply", r.id);
                prop_assert_eq!(parent.created_at, p.created_at);
            }
        }
        let live = replies.iter().filter(|r| !r.is_deleted()).count();
        prop_assert_eq!(t.reply_count as usize, live);
        for top in replies.iter().filter(|r| r.is_top_level()) {
            let children = replies
                .iter()
                .filter(|r| !r.is_deleted() && r.parent.as_ref().map(|p| &p.id) == Some(&top.id))
                .count();
            prop_assert_eq!(top.reply_count as usize, children);
        }
    }
}
