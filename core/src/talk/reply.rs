//! Replies: one level of nesting, editing and soft deleting by the author.
//!
//! A reply answers the thread or a reply; a reply to a nested reply sits under the same
//! top-level reply as the one it answers (`parent` is always a top-level reply;
//! `in_reply_to` keeps the reply actually answered, for display). A top-level reply's
//! `reply_count` is its live nested replies.

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};
use crate::ids::MemberId;
use crate::moderation::Visibility;
use crate::time::Timestamp;

use super::Actor;
use super::ids::{ReplyId, ThreadId};
use super::notice::{Notice, NoticeKind, NoticeTarget, Notices};
use super::reaction::ReactionCounts;
use super::thread::{EditPostError, Post, PostText, Thread, add_mentions, edit_post};

/// The top-level reply a nested reply sits under (its time places it in the key order).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReplyParent {
    pub id: ReplyId,
    pub created_at: Timestamp,
}

/// A reply's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReplyContent {
    Live(Post),
    /// Deleted by its author: the body is gone, nested replies stay.
    Deleted {
        at: Timestamp,
    },
}

/// A reply in a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reply {
    pub id: ReplyId,
    pub thread: ThreadId,
    pub author: MemberId,
    /// The top-level reply this one sits under; `None` for a top-level reply.
    #[serde(default)]
    pub parent: Option<ReplyParent>,
    /// The reply this one answered (its parent, or a sibling under the same parent).
    #[serde(default)]
    pub in_reply_to: Option<ReplyId>,
    pub content: ReplyContent,
    #[serde(default)]
    pub reactions: ReactionCounts,
    /// Live nested replies under this one (top-level replies only).
    #[serde(default)]
    pub reply_count: u32,
    pub created_at: Timestamp,
    /// Who may see it: a pending or hidden reply is left out of reply lists for everyone
    /// but its author and moderators, and out of every reply count. Absent: published.
    #[serde(default, skip_serializing_if = "Visibility::is_public")]
    pub visibility: Visibility,
}

impl Reply {
    /// Whether `viewer` (none: anonymous) may read it; `moderator` sees everything.
    pub fn visible_to(&self, viewer: Option<&MemberId>, moderator: bool) -> bool {
        self.visibility.is_public() || moderator || viewer == Some(&self.author)
    }
}

/// Sets `reply`'s visibility and keeps the counts (the thread's and, for a nested reply,
/// its top-level reply's `top_level`) to published, live replies only.
pub fn set_reply_visibility(
    thread: &mut Thread,
    top_level: Option<&mut Reply>,
    reply: &mut Reply,
    visibility: Visibility,
) {
    let was = reply.visibility.is_public();
    let now = visibility.is_public();
    reply.visibility = visibility;
    if was == now || reply.is_deleted() {
        return;
    }
    let step = |n: u32| {
        if now {
            n.saturating_add(1)
        } else {
            n.saturating_sub(1)
        }
    };
    thread.reply_count = step(thread.reply_count);
    if reply.parent.is_some()
        && let Some(top) = top_level
    {
        top.reply_count = step(top.reply_count);
    }
}

impl Reply {
    pub fn is_top_level(&self) -> bool {
        self.parent.is_none()
    }

    /// The top-level reply this one belongs to: its parent, or itself. To answer this reply,
    /// load that one too and pass [`ReplyTo::Nested`] (or [`ReplyTo::TopLevel`] if it is
    /// this one).
    pub fn top_level_id(&self) -> &ReplyId {
        self.parent.as_ref().map_or(&self.id, |p| &p.id)
    }

    pub fn post(&self) -> Option<&Post> {
        match &self.content {
            ReplyContent::Live(post) => Some(post),
            ReplyContent::Deleted { .. } => None,
        }
    }

    pub fn is_deleted(&self) -> bool {
        matches!(self.content, ReplyContent::Deleted { .. })
    }
}

/// The author edits their reply. Members newly mentioned are notified.
pub fn edit_reply(
    actor: &Actor,
    reply: &mut Reply,
    text: PostText,
    now: Timestamp,
) -> Result<Vec<Notice>, EditPostError> {
    let mut notices = Notices::new(
        actor.member(),
        NoticeTarget {
            thread: reply.thread.clone(),
            reply: Some(reply.id.clone()),
        },
    );
    let ReplyContent::Live(post) = &mut reply.content else {
        return Err(EditPostError::Deleted);
    };
    if !actor.is(&reply.author) {
        return Err(EditPostError::NotAuthor);
    }
    edit_post(post, text, now, &mut notices);
    Ok(notices.into_vec())
}

/// What a new reply answers. The caller loads the reply being answered and, if that one is
/// nested, the top-level reply it sits under ([`Reply::top_level_id`]).
#[derive(Debug)]
pub enum ReplyTo<'a> {
    /// The thread: a new top-level reply.
    Thread,
    /// A top-level reply: the new reply goes under it.
    TopLevel(&'a mut Reply),
    /// A nested reply: the new reply goes under the same top-level reply.
    Nested {
        answered: &'a Reply,
        top_level: &'a mut Reply,
    },
}

/// A new reply. The caller makes `id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyDraft {
    pub id: ReplyId,
    pub text: PostText,
}

/// A reply was posted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyPosted {
    pub reply: Reply,
    /// The answered reply's author, the top-level reply's author, the thread's author and
    /// the mentioned members: each once, never the replier.
    pub notices: Vec<Notice>,
}

/// Why a reply was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PostReplyError {
    #[error("posting needs a member identity; staff post as a member")]
    NoMemberIdentity,
    #[error("this thread is locked")]
    Locked,
    #[error("that reply is not in this thread")]
    NotInThread,
    #[error("that reply is not a top-level reply")]
    NotTopLevel,
    #[error("that reply is not under the given top-level reply")]
    NotUnderTopLevel,
}

impl From<PostReplyError> for ApiError {
    fn from(e: PostReplyError) -> Self {
        let code = match e {
            PostReplyError::NoMemberIdentity => ErrorCode::Forbidden,
            PostReplyError::Locked => ErrorCode::ThreadLocked,
            PostReplyError::NotInThread => ErrorCode::NotFound,
            PostReplyError::NotTopLevel | PostReplyError::NotUnderTopLevel => {
                ErrorCode::InvalidInput
            }
        };
        ApiError::new(code, e.to_string())
    }
}

/// Posts a reply in `thread`. A locked thread refuses it, except from staff.
pub fn post_reply(
    actor: &Actor,
    thread: &mut Thread,
    to: ReplyTo<'_>,
    draft: ReplyDraft,
    now: Timestamp,
) -> Result<ReplyPosted, PostReplyError> {
    let author = actor.member().ok_or(PostReplyError::NoMemberIdentity)?;
    if thread.flags.locked && !actor.is_staff() {
        return Err(PostReplyError::Locked);
    }
    let mut notices = Notices::new(Some(author), thread.target(Some(&draft.id)));
    let (parent, in_reply_to) = match to {
        ReplyTo::Thread => (None, None),
        ReplyTo::TopLevel(top) => {
            if top.thread != thread.id {
                return Err(PostReplyError::NotInThread);
            }
            if !top.is_top_level() {
                return Err(PostReplyError::NotTopLevel);
            }
            top.reply_count = top.reply_count.saturating_add(1);
            notices.add(NoticeKind::ReplyToYourReply, &top.author);
            (Some(top), None)
        }
        ReplyTo::Nested {
            answered,
            top_level,
        } => {
            if answered.thread != thread.id || top_level.thread != thread.id {
                return Err(PostReplyError::NotInThread);
            }
            if !top_level.is_top_level() {
                return Err(PostReplyError::NotTopLevel);
            }
            if answered.parent.as_ref().map(|p| &p.id) != Some(&top_level.id) {
                return Err(PostReplyError::NotUnderTopLevel);
            }
            top_level.reply_count = top_level.reply_count.saturating_add(1);
            notices.add(NoticeKind::ReplyToYourReply, &answered.author);
            notices.add(NoticeKind::ReplyToYourReply, &top_level.author);
            (Some(top_level), Some(answered.id.clone()))
        }
    };
    if let Some(thread_author) = thread.author() {
        notices.add(NoticeKind::ReplyToYourThread, thread_author);
    }
    add_mentions(&mut notices, &draft.text.mentions, None);

    let parent = parent.map(|top| ReplyParent {
        id: top.id.clone(),
        created_at: top.created_at,
    });
    let in_reply_to = in_reply_to.or_else(|| parent.as_ref().map(|p| p.id.clone()));
    thread.reply_count = thread.reply_count.saturating_add(1);
    thread.last_activity_at = thread.last_activity_at.max(now);
    Ok(ReplyPosted {
        reply: Reply {
            id: draft.id,
            thread: thread.id.clone(),
            author: author.clone(),
            parent,
            in_reply_to,
            content: ReplyContent::Live(Post::new(draft.text)),
            reactions: ReactionCounts::default(),
            reply_count: 0,
            created_at: now,
            visibility: Visibility::Published,
        },
        notices: notices.into_vec(),
    })
}

/// Why a reply was not deleted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeleteReplyError {
    #[error("only the author may delete a reply")]
    NotAuthor,
    #[error("that reply was already deleted")]
    AlreadyDeleted,
    #[error("that reply is not in this thread")]
    NotInThread,
    #[error("a nested reply is deleted together with its top-level reply's count")]
    TopLevelMissing,
}

impl From<DeleteReplyError> for ApiError {
    fn from(e: DeleteReplyError) -> Self {
        let code = match e {
            DeleteReplyError::NotAuthor => ErrorCode::Forbidden,
            DeleteReplyError::AlreadyDeleted | DeleteReplyError::NotInThread => ErrorCode::NotFound,
            DeleteReplyError::TopLevelMissing => ErrorCode::InvalidInput,
        };
        ApiError::new(code, e.to_string())
    }
}

/// A reply was deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyDeleted {
    pub author: MemberId,
    /// It was the thread's accepted answer, which is now cleared.
    pub was_accepted_answer: bool,
}

/// The author deletes their reply: the body goes, nested replies stay, the counts drop. For
/// a nested reply, pass its top-level reply as `top_level`.
pub fn delete_reply(
    actor: &Actor,
    thread: &mut Thread,
    reply: &mut Reply,
    top_level: Option<&mut Reply>,
    now: Timestamp,
) -> Result<ReplyDeleted, DeleteReplyError> {
    if reply.thread != thread.id {
        return Err(DeleteReplyError::NotInThread);
    }
    if reply.is_deleted() {
        return Err(DeleteReplyError::AlreadyDeleted);
    }
    if !actor.is(&reply.author) {
        return Err(DeleteReplyError::NotAuthor);
    }
    if let Some(parent) = &reply.parent {
        let top = top_level
            .filter(|t| t.id == parent.id && t.thread == thread.id)
            .ok_or(DeleteReplyError::TopLevelMissing)?;
        if reply.visibility.is_public() {
            top.reply_count = top.reply_count.saturating_sub(1);
        }
    }
    reply.content = ReplyContent::Deleted { at: now };
    if reply.visibility.is_public() {
        // A pending or hidden reply was never counted.
        thread.reply_count = thread.reply_count.saturating_sub(1);
    }
    let was_accepted_answer = thread.accepted_answer.as_ref() == Some(&reply.id);
    if was_accepted_answer {
        thread.accepted_answer = None;
    }
    Ok(ReplyDeleted {
        author: reply.author.clone(),
        was_accepted_answer,
    })
}
