//! Builders shared by talk's tests.

use crate::ids::MemberId;
use crate::time::Timestamp;

use super::Actor;
use super::ids::{Body, BodyText, ReplyId, ThreadId, ThreadTitle, TopicId};
use super::mention::Mentions;
use super::reply::{Reply, ReplyDraft, ReplyTo, post_reply};
use super::thread::{PostText, Thread, ThreadDraft, ThreadKind, create_thread};

pub const NOW: Timestamp = Timestamp(1_790_000_000_000);

pub fn member(id: &str) -> MemberId {
    MemberId::parse(id).unwrap()
}

pub fn as_member(id: &str) -> Actor {
    Actor::Member(member(id))
}

/// A post's text mentioning `@{id}` for each of `mentions`.
pub fn text(markdown: &str) -> PostText {
    PostText {
        body: Body {
            markdown: BodyText::parse(markdown).unwrap(),
            rendered_html: format!("<p>{markdown}</p>"),
        },
        mentions: Mentions::resolve(markdown, |_| None),
    }
}

pub fn thread_id(id: &str) -> ThreadId {
    ThreadId::parse(id).unwrap()
}

pub fn reply_id(id: &str) -> ReplyId {
    ReplyId::parse(id).unwrap()
}

/// A thread `id` of `kind` by `author` in topic `run`, opened at `at`.
pub fn thread_by(id: &str, kind: ThreadKind, author: &str, at: Timestamp) -> Thread {
    let draft = ThreadDraft {
        id: thread_id(id),
        topic: TopicId::parse("run").unwrap(),
        kind,
        title: ThreadTitle::parse("Which shoes?").unwrap(),
        text: text("Looking for trail shoes"),
    };
    create_thread(&as_member(author), draft, at).unwrap().thread
}

/// A reply `id` by `author` answering `to`, at `at`.
pub fn reply_by(
    thread: &mut Thread,
    to: ReplyTo<'_>,
    id: &str,
    author: &str,
    at: Timestamp,
) -> Reply {
    let draft = ReplyDraft {
        id: reply_id(id),
        text: text("me too"),
    };
    post_reply(&as_member(author), thread, to, draft, at)
        .unwrap()
        .reply
}
