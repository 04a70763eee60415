//! Talk as commands: topics (staff create and edit; members join and leave; brand tags join
//! members automatically whenever they act), threads in topics and per-page comment threads,
//! replies one level deep, reactions, accepted answers, pin / feature / lock, and feeds with
//! cursors. The rules are [`crate::talk`]'s; this layer loads the records it names, asks who
//! may act, and writes the result, the notifications, the activity and the points in one
//! [`Change`](super::Change).
//!
//! Who may do what:
//! * members (SSO token, not banned) post, reply, react, join and leave, edit and delete
//!   their own posts; a member made member moderator (`mod/role/{member}`) acts as talk staff
//!   too (replies in locked threads, accepts answers, pins);
//! * pin / feature / lock follow the moderation table's `hide_content` row (owner, admin,
//!   moderator, member moderator);
//! * topics are created and edited by those who may change settings (owner, admin, the
//!   operator).
//!
//! Storage beyond the domain's `talk/…` layout (see [`crate::talk`]):
//! * `talk/name/{lower-case display name}` → [`MemberId`]: resolves `@name` mentions; written
//!   whenever a member writes in talk;
//! * `member/{id}/profile` (as check-in writes it), the points keys of [`crate::points`],
//!   notifications and activity through [`Change::commit`](super::Change::commit).

mod acting;
pub(super) mod moderated;
mod posts;
mod topics;
mod views;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};
use crate::ids::CommunitySlug;
use crate::store::Store;
use crate::talk::wire::{
    ListRequest, ReplyListView, ReplyView, ThreadListView, ThreadView, TopicView,
};
use crate::talk::{
    Body, Cursor, FlagChange, PageUrl, ReactionKind, ReplyId, ThreadId, ThreadKind, ThreadTitle,
    Toggled, TopicDraft, TopicId,
};
use crate::time::Timestamp;

use super::{Actor, Outcome, Reply};

/// Which list of threads to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "feed", rename_all = "snake_case")]
pub enum FeedChoice {
    /// Every live topic thread, pinned first, then most recently active.
    All,
    /// Featured threads, most recently active first.
    Featured,
    /// One topic's threads, pinned first.
    Topic { topic: TopicId },
}

/// The commands of this area (see [`super::Command::Talk`]). Ids of new threads and replies
/// are drawn by the worker; `Body` carries the markdown and the HTML the worker rendered and
/// sanitised from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TalkCommand {
    /// Every topic, in id order, with whether the viewer is in it.
    ListTopics {
        #[serde(default)]
        list: ListRequest,
    },
    /// Staff create a topic.
    CreateTopic {
        id: TopicId,
        draft: TopicDraft,
    },
    /// Staff replace a topic's name, description and auto-join tags.
    EditTopic {
        topic: TopicId,
        draft: TopicDraft,
    },
    JoinTopic {
        topic: TopicId,
    },
    LeaveTopic {
        topic: TopicId,
    },
    /// A page of a feed.
    ListThreads {
        feed: FeedChoice,
        #[serde(default)]
        list: ListRequest,
    },
    /// A member opens a thread in a topic.
    CreateThread {
        id: ThreadId,
        topic: TopicId,
        kind: ThreadKind,
        title: ThreadTitle,
        body: Body,
    },
    /// One thread and the first page of its replies.
    GetThread {
        thread: ThreadId,
        #[serde(default)]
        replies: ListRequest,
    },
    /// A page of a thread's replies, in reading order.
    ListReplies {
        thread: ThreadId,
        #[serde(default)]
        list: ListRequest,
    },
    /// The author edits their thread; `None` keeps a field.
    EditThread {
        thread: ThreadId,
        title: Option<ThreadTitle>,
        body: Option<Body>,
    },
    /// The author deletes their thread (replies stay).
    DeleteThread {
        thread: ThreadId,
    },
    /// A reply to the thread or, with `in_reply_to`, to one of its replies.
    PostReply {
        thread: ThreadId,
        id: ReplyId,
        in_reply_to: Option<ReplyId>,
        body: Body,
    },
    EditReply {
        thread: ThreadId,
        reply: ReplyId,
        body: Body,
    },
    DeleteReply {
        thread: ThreadId,
        reply: ReplyId,
    },
    /// Toggles a reaction on a thread's opening post.
    ReactToThread {
        thread: ThreadId,
        kind: ReactionKind,
    },
    /// Toggles a reaction on a reply.
    ReactToReply {
        thread: ThreadId,
        reply: ReplyId,
        kind: ReactionKind,
    },
    /// Accepts `reply` as the question's answer, or withdraws the accepted one (`None`).
    AcceptAnswer {
        thread: ThreadId,
        reply: Option<ReplyId>,
    },
    /// Staff pin, feature or lock a thread.
    SetFlags {
        thread: ThreadId,
        change: FlagChange,
    },
    /// The comment thread of a page (empty if nobody commented yet) and its first comments.
    PageComments {
        page: PageUrl,
        #[serde(default)]
        list: ListRequest,
    },
    /// A comment on a page: opens the page's thread on the first one.
    PostPageComment {
        page: PageUrl,
        id: ReplyId,
        in_reply_to: Option<ReplyId>,
        body: Body,
    },
}

/// A page of topics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicListView {
    pub topics: Vec<TopicView>,
    pub next: Option<Cursor>,
}

/// One thread with the first page of its replies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadDetailView {
    pub thread: ThreadView,
    pub replies: Vec<ReplyView>,
    pub next: Option<Cursor>,
}

/// A reply just posted, with the thread it is in (a page's thread id is derived from its
/// URL, so the widget learns it here).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PostedReplyView {
    pub thread: ThreadId,
    pub reply: ReplyView,
}

/// The comments of a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PageCommentsView {
    /// The page's normalised URL.
    pub page: String,
    /// The id its thread has (or will have, once someone comments).
    pub thread_id: ThreadId,
    /// The thread, once someone commented.
    pub thread: Option<ThreadView>,
    pub replies: Vec<ReplyView>,
    pub next: Option<Cursor>,
}

/// The replies of this area; [`TalkReply::into_body`] is what HTTP clients receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum TalkReply {
    Topics(TopicListView),
    Topic(TopicView),
    Threads(ThreadListView),
    ThreadDetail(Box<ThreadDetailView>),
    Thread(Box<ThreadView>),
    Replies(ReplyListView),
    Reply(Box<ReplyView>),
    Posted(Box<PostedReplyView>),
    Reaction(Toggled),
    PageComments(Box<PageCommentsView>),
}

impl TalkReply {
    /// The JSON body of the HTTP response.
    pub fn into_body(self) -> Result<serde_json::Value, ApiError> {
        let value = match self {
            Self::Topics(v) => serde_json::to_value(v),
            Self::Topic(v) => serde_json::to_value(v),
            Self::Threads(v) => serde_json::to_value(v),
            Self::ThreadDetail(v) => serde_json::to_value(v),
            Self::Thread(v) => serde_json::to_value(v),
            Self::Replies(v) => serde_json::to_value(v),
            Self::Reply(v) => serde_json::to_value(v),
            Self::Posted(v) => serde_json::to_value(v),
            Self::Reaction(v) => serde_json::to_value(v),
            Self::PageComments(v) => serde_json::to_value(v),
        };
        value.map_err(|e| ApiError::new(ErrorCode::Internal, format!("encoding a reply: {e}")))
    }
}

pub async fn handle(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    command: TalkCommand,
    now: Timestamp,
) -> Result<Outcome, ApiError> {
    use TalkCommand as C;
    let reply = match command {
        C::ListTopics { list } => {
            TalkReply::Topics(topics::list(store, slug, actor, list, now).await?)
        }
        C::CreateTopic { id, draft } => {
            TalkReply::Topic(topics::create(store, slug, actor, id, draft, now).await?)
        }
        C::EditTopic { topic, draft } => {
            TalkReply::Topic(topics::edit(store, slug, actor, topic, draft, now).await?)
        }
        C::JoinTopic { topic } => {
            TalkReply::Topic(topics::membership(store, slug, actor, topic, true, now).await?)
        }
        C::LeaveTopic { topic } => {
            TalkReply::Topic(topics::membership(store, slug, actor, topic, false, now).await?)
        }
        C::ListThreads { feed, list } => TalkReply::Threads(views::feed(store, feed, list).await?),
        C::CreateThread {
            id,
            topic,
            kind,
            title,
            body,
        } => {
            let draft = posts::NewThread {
                id,
                topic,
                kind,
                title,
                body,
            };
            TalkReply::Thread(Box::new(
                posts::create_thread(store, slug, actor, draft, now).await?,
            ))
        }
        C::GetThread { thread, replies } => TalkReply::ThreadDetail(Box::new(
            views::thread(store, slug, actor, thread, replies, now).await?,
        )),
        C::ListReplies { thread, list } => {
            TalkReply::Replies(views::replies(store, slug, actor, thread, list, now).await?)
        }
        C::EditThread {
            thread,
            title,
            body,
        } => TalkReply::Thread(Box::new(
            posts::edit_thread(store, slug, actor, thread, title, body, now).await?,
        )),
        C::DeleteThread { thread } => TalkReply::Thread(Box::new(
            posts::delete_thread(store, slug, actor, thread, now).await?,
        )),
        C::PostReply {
            thread,
            id,
            in_reply_to,
            body,
        } => {
            let to = posts::ReplyTarget::Thread(thread);
            TalkReply::Posted(Box::new(
                posts::post_reply(store, slug, actor, to, id, in_reply_to, body, now).await?,
            ))
        }
        C::PostPageComment {
            page,
            id,
            in_reply_to,
            body,
        } => {
            let to = posts::ReplyTarget::Page(page);
            TalkReply::Posted(Box::new(
                posts::post_reply(store, slug, actor, to, id, in_reply_to, body, now).await?,
            ))
        }
        C::EditReply {
            thread,
            reply,
            body,
        } => TalkReply::Reply(Box::new(
            posts::edit_reply(store, slug, actor, thread, reply, body, now).await?,
        )),
        C::DeleteReply { thread, reply } => TalkReply::Reply(Box::new(
            posts::delete_reply(store, slug, actor, thread, reply, now).await?,
        )),
        C::ReactToThread { thread, kind } => {
            TalkReply::Reaction(posts::react(store, slug, actor, thread, None, kind, now).await?)
        }
        C::ReactToReply {
            thread,
            reply,
            kind,
        } => TalkReply::Reaction(
            posts::react(store, slug, actor, thread, Some(reply), kind, now).await?,
        ),
        C::AcceptAnswer { thread, reply } => TalkReply::Thread(Box::new(
            posts::accept(store, slug, actor, thread, reply, now).await?,
        )),
        C::SetFlags { thread, change } => TalkReply::Thread(Box::new(
            posts::set_flags(store, slug, actor, thread, change, now).await?,
        )),
        C::PageComments { page, list } => TalkReply::PageComments(Box::new(
            views::page(store, slug, actor, page, list, now).await?,
        )),
    };
    Ok(Outcome::read(Reply::Talk(reply)))
}
