//! Threads: opening one in a topic (or a page's comment thread), editing and soft deleting
//! by the author, and pin / feature / lock by staff. Replies are in [`super::reply`], the
//! accepted answer of a question in [`super::answer`].
//!
//! A thread's `reply_count` is its live (not deleted) replies at both levels;
//! `last_activity_at` is when it was opened or last replied to (it never moves back); feeds
//! sort on it.

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};
use crate::ids::MemberId;
use crate::moderation::Visibility;
use crate::time::Timestamp;

use super::Actor;
use super::ids::{Body, ReplyId, ThreadId, ThreadTitle, TopicId};
use super::mention::Mentions;
use super::notice::{Notice, NoticeKind, NoticeTarget, Notices};
use super::page::PageUrl;
use super::reaction::ReactionCounts;

/// What a thread is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ThreadKind {
    #[default]
    Discussion,
    /// May have one accepted answer.
    Question,
    /// A member's story (unboxing, experience): shown with more weight.
    Story,
}

/// The text of a new or edited post: its body and whom it mentions (resolved by the caller
/// with [`Mentions::resolve`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostText {
    pub body: Body,
    pub mentions: Mentions,
}

/// A live post's content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Post {
    pub body: Body,
    #[serde(default)]
    pub mentions: Mentions,
    #[serde(default)]
    pub edited_at: Option<Timestamp>,
}

impl Post {
    pub(super) fn new(text: PostText) -> Self {
        Self {
            body: text.body,
            mentions: text.mentions,
            edited_at: None,
        }
    }
}

/// A topic thread's opening post.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Opening {
    Live {
        title: ThreadTitle,
        post: Post,
    },
    /// Deleted by its author: title and body are gone, the replies stay.
    Deleted {
        at: Timestamp,
    },
}

/// Where a thread lives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Place {
    /// A member's thread in a topic.
    Topic {
        topic: TopicId,
        author: MemberId,
        opening: Opening,
    },
    /// The comment thread of a page of the brand's site: no opening post; its replies are
    /// the page's comments.
    Page { url: PageUrl },
}

/// What staff set on a thread.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(default)]
pub struct ThreadFlags {
    /// Listed before every other thread of its feeds.
    pub pinned: bool,
    /// Listed in the featured feed.
    pub featured: bool,
    /// No new replies (staff may still reply).
    pub locked: bool,
}

/// A thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    pub id: ThreadId,
    pub kind: ThreadKind,
    pub place: Place,
    #[serde(default)]
    pub flags: ThreadFlags,
    /// The accepted answer, on a question.
    #[serde(default)]
    pub accepted_answer: Option<ReplyId>,
    /// Live replies, both levels.
    pub reply_count: u32,
    /// Reactions on the opening post.
    #[serde(default)]
    pub reactions: ReactionCounts,
    pub created_at: Timestamp,
    pub last_activity_at: Timestamp,
    /// Who may see it: pending (pre-moderation) and hidden threads are seen only by their
    /// author and moderators, and are in no feed. Absent in stored data: published.
    #[serde(default, skip_serializing_if = "Visibility::is_public")]
    pub visibility: Visibility,
}

impl Thread {
    /// Whether `viewer` (none: anonymous) may read it; `moderator` sees everything.
    pub fn visible_to(&self, viewer: Option<&MemberId>, moderator: bool) -> bool {
        self.visibility.is_public() || moderator || viewer.is_some_and(|v| self.author() == Some(v))
    }

    /// The member who opened it (none for a page's thread).
    pub fn author(&self) -> Option<&MemberId> {
        match &self.place {
            Place::Topic { author, .. } => Some(author),
            Place::Page { .. } => None,
        }
    }

    pub fn topic(&self) -> Option<&TopicId> {
        match &self.place {
            Place::Topic { topic, .. } => Some(topic),
            Place::Page { .. } => None,
        }
    }

    pub fn page(&self) -> Option<&PageUrl> {
        match &self.place {
            Place::Page { url } => Some(url),
            Place::Topic { .. } => None,
        }
    }

    /// The live opening post and its title.
    pub fn opening(&self) -> Option<(&ThreadTitle, &Post)> {
        match &self.place {
            Place::Topic {
                opening: Opening::Live { title, post },
                ..
            } => Some((title, post)),
            _ => None,
        }
    }

    /// Whether the author deleted the opening post.
    pub fn is_deleted(&self) -> bool {
        matches!(
            self.place,
            Place::Topic {
                opening: Opening::Deleted { .. },
                ..
            }
        )
    }

    pub(super) fn target(&self, reply: Option<&ReplyId>) -> NoticeTarget {
        NoticeTarget {
            thread: self.id.clone(),
            reply: reply.cloned(),
        }
    }
}

pub(super) fn add_mentions(notices: &mut Notices, mentions: &Mentions, except: Option<&Mentions>) {
    for m in mentions.members() {
        if !except.is_some_and(|old| old.contains(m)) {
            notices.add(NoticeKind::Mention, m);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Opening threads

/// A new thread in a topic. The caller makes `id` and checks that `topic` exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadDraft {
    pub id: ThreadId,
    pub topic: TopicId,
    pub kind: ThreadKind,
    pub title: ThreadTitle,
    pub text: PostText,
}

/// A thread was opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadCreated {
    pub thread: Thread,
    /// The mentioned members.
    pub notices: Vec<Notice>,
}

/// Why a thread was not opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreateThreadError {
    #[error("posting needs a member identity; staff post as a member")]
    NoMemberIdentity,
}

impl From<CreateThreadError> for ApiError {
    fn from(e: CreateThreadError) -> Self {
        ApiError::new(ErrorCode::Forbidden, e.to_string())
    }
}

/// Opens a thread in a topic.
pub fn create_thread(
    actor: &Actor,
    draft: ThreadDraft,
    now: Timestamp,
) -> Result<ThreadCreated, CreateThreadError> {
    let author = actor.member().ok_or(CreateThreadError::NoMemberIdentity)?;
    let thread = Thread {
        id: draft.id,
        kind: draft.kind,
        place: Place::Topic {
            topic: draft.topic,
            author: author.clone(),
            opening: Opening::Live {
                title: draft.title,
                post: Post::new(draft.text),
            },
        },
        flags: ThreadFlags::default(),
        accepted_answer: None,
        reply_count: 0,
        reactions: ReactionCounts::default(),
        created_at: now,
        last_activity_at: now,
        visibility: Visibility::Published,
    };
    let mut notices = Notices::new(Some(author), thread.target(None));
    if let Some((_, post)) = thread.opening() {
        add_mentions(&mut notices, &post.mentions, None);
    }
    Ok(ThreadCreated {
        thread,
        notices: notices.into_vec(),
    })
}

/// Why a page's thread could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PageThreadError {
    #[error("another thread holds this page's key")]
    KeyTaken,
}

impl From<PageThreadError> for ApiError {
    fn from(e: PageThreadError) -> Self {
        ApiError::new(ErrorCode::Conflict, e.to_string())
    }
}

/// The comment thread of the page `url`: `existing` (what is stored at
/// `talk/thread/{ThreadId::for_page(url)}`) if there is one, else a new, empty thread to
/// store with the first comment.
pub fn open_page_thread(
    existing: Option<Thread>,
    url: PageUrl,
    now: Timestamp,
) -> Result<Thread, PageThreadError> {
    match existing {
        Some(thread) if thread.page() == Some(&url) => Ok(thread),
        Some(_) => Err(PageThreadError::KeyTaken),
        None => Ok(Thread {
            id: ThreadId::for_page(&url),
            kind: ThreadKind::Discussion,
            place: Place::Page { url },
            flags: ThreadFlags::default(),
            accepted_answer: None,
            reply_count: 0,
            reactions: ReactionCounts::default(),
            created_at: now,
            last_activity_at: now,
            visibility: Visibility::Published,
        }),
    }
}

// ---------------------------------------------------------------------------------------
// Editing and deleting by the author

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditPostError {
    #[error("only the author may edit a post")]
    NotAuthor,
    #[error("that post was deleted")]
    Deleted,
    #[error("a page's thread has no post of its own")]
    NoOpeningPost,
}

impl From<EditPostError> for ApiError {
    fn from(e: EditPostError) -> Self {
        let code = match e {
            EditPostError::NotAuthor => ErrorCode::Forbidden,
            EditPostError::Deleted => ErrorCode::NotFound,
            EditPostError::NoOpeningPost => ErrorCode::InvalidInput,
        };
        ApiError::new(code, e.to_string())
    }
}

/// What an author changes on their thread; `None` keeps the field.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ThreadEdit {
    pub title: Option<ThreadTitle>,
    pub text: Option<PostText>,
}

pub(super) fn edit_post(post: &mut Post, text: PostText, now: Timestamp, notices: &mut Notices) {
    add_mentions(notices, &text.mentions, Some(&post.mentions));
    post.body = text.body;
    post.mentions = text.mentions;
    post.edited_at = Some(now);
}

/// The author edits their thread's title or body. Members newly mentioned are notified.
pub fn edit_thread(
    actor: &Actor,
    thread: &mut Thread,
    edit: ThreadEdit,
    now: Timestamp,
) -> Result<Vec<Notice>, EditPostError> {
    let mut notices = Notices::new(actor.member(), thread.target(None));
    let Place::Topic {
        author, opening, ..
    } = &mut thread.place
    else {
        return Err(EditPostError::NoOpeningPost);
    };
    let Opening::Live { title, post } = opening else {
        return Err(EditPostError::Deleted);
    };
    if !actor.is(author) {
        return Err(EditPostError::NotAuthor);
    }
    if let Some(new_title) = edit.title {
        *title = new_title;
        post.edited_at = Some(now);
    }
    if let Some(text) = edit.text {
        edit_post(post, text, now, &mut notices);
    }
    Ok(notices.into_vec())
}

/// Why a thread was not deleted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeleteThreadError {
    #[error("only the author may delete a thread")]
    NotAuthor,
    #[error("that thread was already deleted")]
    AlreadyDeleted,
    #[error("a page's thread has no post of its own")]
    NoOpeningPost,
}

impl From<DeleteThreadError> for ApiError {
    fn from(e: DeleteThreadError) -> Self {
        let code = match e {
            DeleteThreadError::NotAuthor => ErrorCode::Forbidden,
            DeleteThreadError::AlreadyDeleted => ErrorCode::NotFound,
            DeleteThreadError::NoOpeningPost => ErrorCode::InvalidInput,
        };
        ApiError::new(code, e.to_string())
    }
}

/// A thread was deleted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThreadDeleted {
    /// Whose thread it was (for the points ledger to reverse an award, if its rules say so).
    pub author: MemberId,
}

/// The author deletes their thread: the title and body go, the replies stay, the thread
/// leaves every feed. (Staff removal is moderation's, not this.)
pub fn delete_thread(
    actor: &Actor,
    thread: &mut Thread,
    now: Timestamp,
) -> Result<ThreadDeleted, DeleteThreadError> {
    let Place::Topic {
        author, opening, ..
    } = &mut thread.place
    else {
        return Err(DeleteThreadError::NoOpeningPost);
    };
    if matches!(opening, Opening::Deleted { .. }) {
        return Err(DeleteThreadError::AlreadyDeleted);
    }
    if !actor.is(author) {
        return Err(DeleteThreadError::NotAuthor);
    }
    *opening = Opening::Deleted { at: now };
    Ok(ThreadDeleted {
        author: author.clone(),
    })
}

// ---------------------------------------------------------------------------------------
// Staff: pin, feature, lock

/// Flags to change; `None` keeps one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct FlagChange {
    pub pinned: Option<bool>,
    pub featured: Option<bool>,
    pub locked: Option<bool>,
}

/// Why a moderation change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModerateThreadError {
    #[error("only staff may pin, feature or lock threads")]
    NotStaff,
}

impl From<ModerateThreadError> for ApiError {
    fn from(e: ModerateThreadError) -> Self {
        ApiError::new(ErrorCode::Forbidden, e.to_string())
    }
}

/// Staff pin, feature or lock a thread. A thread newly featured notifies its author.
pub fn moderate_thread(
    actor: &Actor,
    thread: &mut Thread,
    change: FlagChange,
) -> Result<Vec<Notice>, ModerateThreadError> {
    if !actor.is_staff() {
        return Err(ModerateThreadError::NotStaff);
    }
    let mut notices = Notices::new(actor.member(), thread.target(None));
    let flags = &mut thread.flags;
    let newly_featured = change.featured == Some(true) && !flags.featured;
    flags.pinned = change.pinned.unwrap_or(flags.pinned);
    flags.featured = change.featured.unwrap_or(flags.featured);
    flags.locked = change.locked.unwrap_or(flags.locked);
    if newly_featured && let Some(author) = thread.author() {
        notices.add(NoticeKind::ThreadFeatured, author);
    }
    Ok(notices.into_vec())
}

#[cfg(test)]
mod tests;
