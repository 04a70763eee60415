//! Talk: topics, threads, replies, reactions, Q&A, mentions, per-page threads, cursor pagination.
//!
//! Pure state and transitions over plain serde structs. The application layer loads the
//! records named below from the store, calls one function here, and writes back what changed
//! (the records it passed in by `&mut`, the records an outcome returns, and the
//! [`keys::IndexChange`] of each thread it touched) in one atomic batch. Nothing here reads a
//! clock or makes an id: `now` and the ids of new threads and replies come in as arguments.
//!
//! # The pieces
//! | submodule | what it holds |
//! | --- | --- |
//! | [`ids`] | [`ThreadId`], [`ReplyId`], [`TopicId`], [`BrandTag`], bounded texts, [`Body`] |
//! | [`topic`] | topics (interest groups), joining and leaving, auto-join by brand tag |
//! | [`thread`] | threads: open, edit, soft delete by the author; pin / feature / lock by staff |
//! | [`reply`] | replies, nested one level: post, edit, soft delete |
//! | [`answer`] | the accepted answer of a question |
//! | [`reaction`] | the fixed set of reactions, one of each kind per member per target, counts on the target |
//! | [`mention`] | `@name` and `@{member id}` tokens in markdown source, code skipped |
//! | [`page`] | page URLs normalised into a stable key, so a page has one comment thread |
//! | [`notice`] | who an action should notify ([`Notice`]) |
//! | [`keys`] | storage keys, feed index entries and opaque cursors |
//! | [`wire`] | requests the widget sends and views it receives |
//!
//! # Storage layout
//! All keys live under `talk/`. Ids never contain `/` ([`ThreadId`], [`ReplyId`] and
//! [`TopicId`] are `[a-z0-9-]`, [`MemberId`] is `[A-Za-z0-9_.:@-]`), so every prefix below
//! ends at a `/` and never matches a longer sibling id. Timestamps in keys are 19 zero-padded
//! digits; "inverted" means `i64::MAX - ms`, so that newer sorts first.
//!
//! | key | value |
//! | --- | --- |
//! | `talk/topic/{topic}` | [`Topic`] (list the prefix for every topic, in id order) |
//! | `talk/topic-member/{topic}/{member}` | [`Membership`] (members of a topic) |
//! | `talk/member-topic/{member}/{topic}` | [`Membership`] (a member's topics; same record) |
//! | `talk/thread/{thread}` | [`Thread`] (a page's thread has the id [`ThreadId::for_page`]) |
//! | `talk/replies/{thread}/{ts}-{top}!` | a top-level [`Reply`] |
//! | `talk/replies/{thread}/{ts}-{top}!/{ts}-{reply}!` | a nested [`Reply`] under `top` |
//! | `talk/reply/{thread}/{reply}` | the key of that reply above (a JSON string) |
//! | `talk/reaction/thread/{thread}/{member}` | [`ReactionSet`]: the member's reactions on the thread |
//! | `talk/reaction/reply/{thread}/{reply}/{member}` | [`ReactionSet`] on a reply |
//! | `talk/feed/all/{band}/{inv activity}/{thread}` | [`ThreadCard`]: every live topic thread |
//! | `talk/feed/topic/{topic}/{band}/{inv activity}/{thread}` | [`ThreadCard`]: one topic |
//! | `talk/feed/featured/{inv activity}/{thread}` | [`ThreadCard`]: featured threads |
//! | `talk/feed/member/{member}/{inv created}/{thread}` | [`ThreadCard`]: a member's threads, newest first |
//! | `talk/feed/pages/{inv activity}/{thread}` | [`ThreadCard`]: page threads, most recently active first |
//!
//! `band` is `0` for pinned threads and `1` for the rest, so pinned threads come first. The
//! replies of a thread list, under one prefix, in reading order: each top-level reply (oldest
//! first) followed by its nested replies (oldest first); the `!` after each id sorts below
//! every id character, which keeps a reply's children before a sibling whose id extends its
//! own. Ties on a timestamp break on the id. Feeds hold a copy of the thread's card so that
//! one `list` call renders a page; [`keys::IndexChange::between`] says which entries to
//! delete and put after any change to a thread. Soft-deleted threads leave every feed (their
//! replies stay readable by link).
//!
//! Clients page with an opaque [`Cursor`]: `list(prefix, Some(cursor.start_after(prefix)), n)`.

pub mod answer;
pub mod ids;
pub mod keys;
pub mod mention;
pub mod notice;
pub mod page;
pub mod reaction;
pub mod reply;
pub mod thread;
pub mod topic;
pub mod wire;

#[cfg(test)]
mod fixtures;

use serde::{Deserialize, Serialize};

use crate::ids::MemberId;

pub use self::answer::{AcceptAnswerError, AnswerAccepted, accept_answer, clear_accepted_answer};
pub use self::ids::{
    Body, BodyText, BrandTag, ReplyId, ThreadId, ThreadTitle, TopicDescription, TopicId, TopicName,
};
pub use self::keys::{Cursor, Feed, IndexChange, PageSize, ThreadCard};
pub use self::mention::{Mention, MentionName, Mentions};
pub use self::notice::{Notice, NoticeKind, NoticeTarget};
pub use self::page::{PageKey, PageUrl};
pub use self::reaction::{
    ReactError, ReactionCounts, ReactionKind, ReactionSet, Toggled, react_to_reply, react_to_thread,
};
pub use self::reply::{
    DeleteReplyError, PostReplyError, Reply, ReplyContent, ReplyDeleted, ReplyDraft, ReplyParent,
    ReplyPosted, ReplyTo, delete_reply, edit_reply, post_reply, set_reply_visibility,
};
pub use self::thread::{
    CreateThreadError, DeleteThreadError, EditPostError, FlagChange, ModerateThreadError, Opening,
    PageThreadError, Place, Post, PostText, Thread, ThreadCreated, ThreadDeleted, ThreadDraft,
    ThreadEdit, ThreadFlags, ThreadKind, create_thread, delete_thread, edit_thread,
    moderate_thread, open_page_thread,
};
pub use self::topic::{
    CreateTopicError, EditTopicError, Membership, MembershipStatus, MembershipWrite, Topic,
    TopicDraft, create_topic, desired_topics, edit_topic, join_topic, leave_topic,
    sync_auto_membership,
};

/// Who is acting in talk. The application layer maps its own actor (SSO token, dashboard
/// session) to this.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "role", content = "member", rename_all = "snake_case")]
pub enum Actor {
    /// A signed-in member.
    Member(MemberId),
    /// A member who moderates this community: a member, and staff too.
    Moderator(MemberId),
    /// A marketer working from the dashboard (owner, admin, moderator): staff, but no member
    /// identity, so they cannot post.
    Staff,
}

impl Actor {
    /// The member acting, if the actor is one.
    pub fn member(&self) -> Option<&MemberId> {
        match self {
            Self::Member(m) | Self::Moderator(m) => Some(m),
            Self::Staff => None,
        }
    }

    /// Whether the actor may pin, feature, lock and accept answers anywhere.
    pub fn is_staff(&self) -> bool {
        matches!(self, Self::Moderator(_) | Self::Staff)
    }

    /// Whether the actor is the member `who`.
    pub fn is(&self, who: &MemberId) -> bool {
        self.member() == Some(who)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actors_know_whether_they_are_staff_and_who_they_are() {
        let ann = MemberId::parse("ann").unwrap();
        let cases = [
            (Actor::Member(ann.clone()), false, true),
            (Actor::Moderator(ann.clone()), true, true),
            (Actor::Staff, true, false),
        ];
        for (actor, staff, is_ann) in cases {
            assert_eq!(actor.is_staff(), staff, "{actor:?}");
            assert_eq!(actor.is(&ann), is_ann, "{actor:?}");
        }
    }

    #[test]
    fn actor_wire_shape() {
        let actor = Actor::Moderator(MemberId::parse("u_1").unwrap());
        assert_eq!(
            serde_json::to_value(&actor).unwrap(),
            serde_json::json!({"role": "moderator", "member": "u_1"})
        );
        assert_eq!(
            serde_json::to_value(Actor::Staff).unwrap(),
            serde_json::json!({"role": "staff"})
        );
    }
}
