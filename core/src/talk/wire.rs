//! Wire types of talk: the requests the widget and dashboard send, and the views they
//! receive. Bounded fields are the parsing newtypes, so a request that deserialises is
//! valid; unknown fields are refused. The reply to a reaction toggle is
//! [`super::reaction::Toggled`].

use serde::{Deserialize, Serialize};

use crate::ids::MemberId;
use crate::moderation::Visibility;
use crate::time::Timestamp;

use super::ids::{
    BodyText, BrandTag, ReplyId, ThreadId, ThreadTitle, TopicDescription, TopicId, TopicName,
};
use super::keys::{Cursor, PageSize, ThreadCard};
use super::page::PageUrl;
use super::reaction::{ReactionCounts, ReactionKind, ReactionSet};
use super::reply::{Reply, ReplyContent};
use super::thread::{Opening, Place, Thread, ThreadKind};
use super::topic::{Membership, Topic, TopicDraft};

/// `POST …/talk/topics` (staff): a new topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CreateTopicRequest {
    pub id: TopicId,
    pub name: TopicName,
    #[serde(default)]
    pub description: TopicDescription,
    #[serde(default)]
    pub auto_join_tags: Vec<BrandTag>,
}

impl CreateTopicRequest {
    pub fn into_parts(self) -> (TopicId, TopicDraft) {
        (
            self.id,
            TopicDraft {
                name: self.name,
                description: self.description,
                auto_join_tags: self.auto_join_tags,
            },
        )
    }
}

/// `PUT …/talk/topics/{topic}` (staff) takes a [`TopicDraft`].
pub type EditTopicRequest = TopicDraft;

/// `POST …/talk/threads`: open a thread in a topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CreateThreadRequest {
    pub topic: TopicId,
    #[serde(default)]
    pub kind: ThreadKind,
    pub title: ThreadTitle,
    /// Markdown; the worker renders it.
    pub body: BodyText,
}

/// `PATCH …/talk/threads/{thread}`: the author edits; absent fields stay.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditThreadRequest {
    #[serde(default)]
    pub title: Option<ThreadTitle>,
    #[serde(default)]
    pub body: Option<BodyText>,
}

/// `POST …/talk/threads/{thread}/replies`: reply to the thread, or to one of its replies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PostReplyRequest {
    #[serde(default)]
    pub in_reply_to: Option<ReplyId>,
    pub body: BodyText,
}

/// `POST …/talk/pages/comments`: comment on a page (its thread is opened on the first one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageCommentRequest {
    /// Normalised on parse; the thread is `ThreadId::for_page(&page)`.
    pub page: PageUrl,
    #[serde(default)]
    pub in_reply_to: Option<ReplyId>,
    pub body: BodyText,
}

/// `PATCH …/talk/threads/{thread}/replies/{reply}`: the author edits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EditReplyRequest {
    pub body: BodyText,
}

/// `POST …/talk/threads/{thread}[/replies/{reply}]/reactions`: toggle one reaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReactRequest {
    pub kind: ReactionKind,
}

/// `PATCH …/talk/threads/{thread}/flags` (staff) takes a [`super::thread::FlagChange`].
pub type ModerateThreadRequest = super::thread::FlagChange;

/// `PUT …/talk/threads/{thread}/answer`: accept `reply`, or withdraw with `null`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptAnswerRequest {
    pub reply: Option<ReplyId>,
}

/// The query of any list: `?cursor=…&limit=…`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListRequest {
    #[serde(default)]
    pub cursor: Option<Cursor>,
    #[serde(default)]
    pub limit: PageSize,
}

/// A topic as members see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicView {
    pub id: TopicId,
    pub name: String,
    pub description: String,
    pub member_count: u32,
    /// Whether the viewer is in it.
    pub joined: bool,
    /// Members holding any of these brand tags join it automatically (staff edit them).
    #[serde(default)]
    pub auto_join_tags: Vec<BrandTag>,
}

impl TopicView {
    /// `mine` is the viewer's membership of this topic, if any.
    pub fn new(topic: &Topic, mine: Option<&Membership>) -> Self {
        Self {
            id: topic.id.clone(),
            name: topic.name.to_string(),
            description: topic.description.to_string(),
            member_count: topic.member_count,
            joined: mine.is_some_and(|m| m.topic == topic.id && m.is_member()),
            auto_join_tags: topic.auto_join_tags.clone(),
        }
    }
}

/// A thread in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadCardView {
    pub id: ThreadId,
    pub kind: ThreadKind,
    pub topic: Option<TopicId>,
    pub page: Option<String>,
    pub author: Option<MemberId>,
    pub title: Option<String>,
    pub pinned: bool,
    pub featured: bool,
    pub locked: bool,
    pub answered: bool,
    pub reply_count: u32,
    pub reactions: ReactionCounts,
    pub created_at: Timestamp,
    pub last_activity_at: Timestamp,
}

impl From<&ThreadCard> for ThreadCardView {
    fn from(c: &ThreadCard) -> Self {
        Self {
            id: c.id.clone(),
            kind: c.kind,
            topic: c.topic.clone(),
            page: c.page.as_ref().map(|p| p.to_string()),
            author: c.author.clone(),
            title: c.title.as_ref().map(|t| t.to_string()),
            pinned: c.flags.pinned,
            featured: c.flags.featured,
            locked: c.flags.locked,
            answered: c.answered,
            reply_count: c.reply_count,
            reactions: c.reactions,
            created_at: c.created_at,
            last_activity_at: c.last_activity_at,
        }
    }
}

/// A page of threads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadListView {
    pub threads: Vec<ThreadCardView>,
    pub next: Option<Cursor>,
}

/// One thread, opened. A deleted opening post shows no title, body or author.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadView {
    pub id: ThreadId,
    pub kind: ThreadKind,
    pub topic: Option<TopicId>,
    pub page: Option<String>,
    pub author: Option<MemberId>,
    pub title: Option<String>,
    /// The sanitised HTML to show.
    pub body_html: Option<String>,
    /// The source, for the author's editor.
    pub body_markdown: Option<String>,
    pub deleted: bool,
    pub edited_at: Option<Timestamp>,
    pub pinned: bool,
    pub featured: bool,
    pub locked: bool,
    pub accepted_answer: Option<ReplyId>,
    pub reply_count: u32,
    pub reactions: ReactionCounts,
    /// The viewer's own reactions on the opening post.
    pub my_reactions: Vec<ReactionKind>,
    pub created_at: Timestamp,
    pub last_activity_at: Timestamp,
    /// Only when not published: `{"state": "pending", "since"}` or `{"state": "hidden", …}`,
    /// which only the author and moderators ever see.
    #[serde(default, skip_serializing_if = "Visibility::is_public")]
    pub visibility: Visibility,
}

impl ThreadView {
    /// `mine` is the viewer's reactions on the opening post (empty for anonymous viewers).
    pub fn new(thread: &Thread, mine: &ReactionSet) -> Self {
        let (author, live) = match &thread.place {
            Place::Topic {
                author,
                opening: Opening::Live { title, post },
                ..
            } => (Some(author.clone()), Some((title, post))),
            _ => (None, None),
        };
        Self {
            id: thread.id.clone(),
            kind: thread.kind,
            topic: thread.topic().cloned(),
            page: thread.page().map(|p| p.to_string()),
            author,
            title: live.map(|(t, _)| t.to_string()),
            body_html: live.map(|(_, p)| p.body.rendered_html.clone()),
            body_markdown: live.map(|(_, p)| p.body.markdown.to_string()),
            deleted: thread.is_deleted(),
            edited_at: live.and_then(|(_, p)| p.edited_at),
            pinned: thread.flags.pinned,
            featured: thread.flags.featured,
            locked: thread.flags.locked,
            accepted_answer: thread.accepted_answer.clone(),
            reply_count: thread.reply_count,
            reactions: thread.reactions,
            my_reactions: mine.kinds().to_vec(),
            created_at: thread.created_at,
            last_activity_at: thread.last_activity_at,
            visibility: thread.visibility.clone(),
        }
    }
}

/// One reply. A deleted reply shows no body or author; its nested replies still show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyView {
    pub id: ReplyId,
    /// The top-level reply this one sits under.
    pub parent: Option<ReplyId>,
    pub in_reply_to: Option<ReplyId>,
    pub author: Option<MemberId>,
    pub body_html: Option<String>,
    pub body_markdown: Option<String>,
    pub deleted: bool,
    pub edited_at: Option<Timestamp>,
    /// The accepted answer of its question.
    pub accepted: bool,
    pub reply_count: u32,
    pub reactions: ReactionCounts,
    pub my_reactions: Vec<ReactionKind>,
    pub created_at: Timestamp,
    /// Only when not published: `{"state": "pending", "since"}` or `{"state": "hidden", …}`,
    /// which only the author and moderators ever see.
    #[serde(default, skip_serializing_if = "Visibility::is_public")]
    pub visibility: Visibility,
}

impl ReplyView {
    /// `accepted_answer` is the thread's; `mine` the viewer's reactions on this reply.
    pub fn new(reply: &Reply, accepted_answer: Option<&ReplyId>, mine: &ReactionSet) -> Self {
        let post = match &reply.content {
            ReplyContent::Live(post) => Some(post),
            ReplyContent::Deleted { .. } => None,
        };
        Self {
            id: reply.id.clone(),
            parent: reply.parent.as_ref().map(|p| p.id.clone()),
            in_reply_to: reply.in_reply_to.clone(),
            author: post.map(|_| reply.author.clone()),
            body_html: post.map(|p| p.body.rendered_html.clone()),
            body_markdown: post.map(|p| p.body.markdown.to_string()),
            deleted: post.is_none(),
            edited_at: post.and_then(|p| p.edited_at),
            accepted: accepted_answer == Some(&reply.id),
            reply_count: reply.reply_count,
            reactions: reply.reactions,
            my_reactions: mine.kinds().to_vec(),
            created_at: reply.created_at,
            visibility: reply.visibility.clone(),
        }
    }
}

/// A page of replies in reading order: each top-level reply followed by its nested ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReplyListView {
    pub replies: Vec<ReplyView>,
    pub next: Option<Cursor>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_parse_only_when_valid() {
        let ok = serde_json::json!({"topic": "run", "kind": "question", "title": " Shoes? ", "body": "Which **ones**?"});
        let req: CreateThreadRequest = serde_json::from_value(ok).unwrap();
        assert_eq!(
            (req.kind, req.title.as_str()),
            (ThreadKind::Question, "Shoes?")
        );
        let defaults: CreateThreadRequest =
            serde_json::from_value(serde_json::json!({"topic": "run", "title": "t", "body": "b"}))
                .unwrap();
        assert_eq!(defaults.kind, ThreadKind::Discussion);
        let bad = [
            serde_json::json!({"topic": "Run", "title": "t", "body": "b"}),
            serde_json::json!({"topic": "run", "title": "", "body": "b"}),
            serde_json::json!({"topic": "run", "title": "t", "body": "  "}),
            serde_json::json!({"topic": "run", "title": "t", "body": "b", "kind": "poll"}),
            serde_json::json!({"topic": "run", "title": "t", "body": "b", "author": "me"}),
        ];
        for json in bad {
            assert!(
                serde_json::from_value::<CreateThreadRequest>(json.clone()).is_err(),
                "{json}"
            );
        }
        let page: PageCommentRequest = serde_json::from_value(
            serde_json::json!({"page": "HTTPS://Brand.example/a?utm_source=x#c", "body": "hi"}),
        )
        .unwrap();
        assert_eq!(page.page.as_str(), "https://brand.example/a");
        assert!(
            serde_json::from_value::<ReactRequest>(serde_json::json!({"kind": "angry"})).is_err()
        );
    }

    #[test]
    fn list_requests_default_and_bound_the_page_size() {
        let req: ListRequest = serde_json::from_value(serde_json::json!({})).unwrap();
        assert_eq!((req.cursor, req.limit.get()), (None, 20));
        assert!(serde_json::from_value::<ListRequest>(serde_json::json!({"limit": 0})).is_err());
        assert!(serde_json::from_value::<ListRequest>(serde_json::json!({"limit": 51})).is_err());
        assert!(
            serde_json::from_value::<ListRequest>(serde_json::json!({"cursor": "%%"})).is_err()
        );
    }

    #[test]
    fn create_topic_request_splits_into_id_and_draft() {
        let req: CreateTopicRequest = serde_json::from_value(
            serde_json::json!({"id": "vip-lounge", "name": "VIP", "auto_join_tags": ["VIP"]}),
        )
        .unwrap();
        let (id, draft) = req.into_parts();
        assert_eq!(id.as_str(), "vip-lounge");
        assert_eq!(draft.auto_join_tags[0].as_str(), "vip");
    }
}
