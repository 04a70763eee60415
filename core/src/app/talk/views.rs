//! Reading talk: feeds, one thread with its replies, a page's comments. Reads write
//! nothing; a signed-in viewer also sees their own reactions.

use crate::accounts::Role;
use crate::error::ApiError;
use crate::ids::{CommunitySlug, MemberId};
use crate::moderation::{self, Action as Permission, ActorRole, MemberRole};
use crate::store::{Store, StoreError, get_json};
use crate::talk::wire::{
    ListRequest, ReplyListView, ReplyView, ThreadCardView, ThreadListView, ThreadView,
};
use crate::talk::{
    self as domain, Cursor, Feed, PageUrl, ReactionSet, Thread, ThreadCard, ThreadId, Topic,
    keys as talk_keys,
};
use crate::time::Timestamp;

use super::super::{Actor, identity, keys};
use super::acting::{load_thread, member_role_key, not_found};
use super::{FeedChoice, PageCommentsView, ThreadDetailView};

fn parse<T: serde::de::DeserializeOwned>(key: &str, value: &str) -> Result<T, ApiError> {
    serde_json::from_str(value)
        .map_err(|e| ApiError::from(StoreError(format!("corrupt value at {key}: {e}"))))
}

/// The id of the member reading, if a member token came with the request.
async fn viewer(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<Option<MemberId>, ApiError> {
    Ok(identity::viewer(store, slug, actor, now)
        .await?
        .map(|m| m.id))
}

/// Who reads: the member (see [`viewer`]), and whether they moderate (staff, operator, a
/// member moderator), which shows them pending and hidden content too.
struct Reader {
    member: Option<MemberId>,
    moderator: bool,
}

impl Reader {
    async fn of(
        store: &impl Store,
        slug: &CommunitySlug,
        actor: &Actor,
        now: Timestamp,
    ) -> Result<Self, ApiError> {
        let member = viewer(store, slug, actor, now).await?;
        let role: Option<ActorRole> = match (actor, &member) {
            (Actor::Operator, _) => Some(ActorRole::Owner),
            (Actor::Marketer { email }, _) => get_json::<Role>(store, &keys::staff(email))
                .await?
                .map(ActorRole::from),
            (_, Some(m)) => get_json::<MemberRole>(store, &member_role_key(m))
                .await?
                .map(ActorRole::from),
            (_, None) => None,
        };
        Ok(Self {
            member,
            moderator: role.is_some_and(|r| moderation::can(r, Permission::HideContent)),
        })
    }

    fn sees_thread(&self, thread: &Thread) -> bool {
        thread.visible_to(self.member.as_ref(), self.moderator)
    }
}

/// The reader and the thread `id`; a thread they may not see is `not_found`.
async fn viewer_and_thread(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: &ThreadId,
    now: Timestamp,
) -> Result<(Reader, Thread), ApiError> {
    let reader = Reader::of(store, slug, actor, now).await?;
    let thread = load_thread(store, id).await?;
    if !reader.sees_thread(&thread) {
        return Err(not_found("thread", id));
    }
    Ok((reader, thread))
}

/// A page of a feed.
pub async fn feed(
    store: &impl Store,
    choice: FeedChoice,
    list: ListRequest,
) -> Result<ThreadListView, ApiError> {
    let feed = match choice {
        FeedChoice::All => Feed::All,
        FeedChoice::Featured => Feed::Featured,
        FeedChoice::Topic { topic } => {
            if get_json::<Topic>(store, &talk_keys::topic(&topic))
                .await?
                .is_none()
            {
                return Err(not_found("topic", &topic));
            }
            Feed::Topic(topic)
        }
    };
    let prefix = feed.prefix();
    let start = list.cursor.as_ref().map(|c| c.start_after(&prefix));
    let page = store
        .list(&prefix, start.as_deref(), list.limit.get())
        .await?;
    let mut threads = Vec::with_capacity(page.entries.len());
    for (key, value) in &page.entries {
        threads.push(ThreadCardView::from(&parse::<ThreadCard>(key, value)?));
    }
    Ok(ThreadListView {
        threads,
        next: Cursor::next(&prefix, &page),
    })
}

async fn reaction_set(store: &impl Store, key: Option<String>) -> Result<ReactionSet, ApiError> {
    Ok(match key {
        Some(key) => get_json::<ReactionSet>(store, &key)
            .await?
            .unwrap_or_default(),
        None => ReactionSet::default(),
    })
}

/// A page of `thread`'s replies, with the viewer's reactions on each. Pending and hidden
/// replies are left out (a page may hold fewer than asked) unless the reader wrote them or
/// moderates.
async fn reply_page(
    store: &impl Store,
    thread: &Thread,
    reader: &Reader,
    list: &ListRequest,
) -> Result<ReplyListView, ApiError> {
    let viewer = reader.member.as_ref();
    let prefix = talk_keys::replies(&thread.id);
    let start = list.cursor.as_ref().map(|c| c.start_after(&prefix));
    let page = store
        .list(&prefix, start.as_deref(), list.limit.get())
        .await?;
    let mut replies = Vec::with_capacity(page.entries.len());
    for (key, value) in &page.entries {
        let reply = parse::<domain::Reply>(key, value)?;
        if !reply.visible_to(viewer, reader.moderator) {
            continue;
        }
        let mine = reaction_set(
            store,
            viewer.map(|m| talk_keys::reply_reaction(&thread.id, &reply.id, m)),
        )
        .await?;
        replies.push(ReplyView::new(
            &reply,
            thread.accepted_answer.as_ref(),
            &mine,
        ));
    }
    Ok(ReplyListView {
        replies,
        next: Cursor::next(&prefix, &page),
    })
}

async fn thread_view(
    store: &impl Store,
    thread: &Thread,
    viewer: Option<&MemberId>,
) -> Result<ThreadView, ApiError> {
    let mine = reaction_set(
        store,
        viewer.map(|m| talk_keys::thread_reaction(&thread.id, m)),
    )
    .await?;
    Ok(ThreadView::new(thread, &mine))
}

/// One thread and the first page of its replies.
pub async fn thread(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: ThreadId,
    list: ListRequest,
    now: Timestamp,
) -> Result<ThreadDetailView, ApiError> {
    let (reader, thread) = viewer_and_thread(store, slug, actor, &id, now).await?;
    let view = thread_view(store, &thread, reader.member.as_ref()).await?;
    let replies = reply_page(store, &thread, &reader, &list).await?;
    Ok(ThreadDetailView {
        thread: view,
        replies: replies.replies,
        next: replies.next,
    })
}

/// A page of a thread's replies.
pub async fn replies(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: ThreadId,
    list: ListRequest,
    now: Timestamp,
) -> Result<ReplyListView, ApiError> {
    let (reader, thread) = viewer_and_thread(store, slug, actor, &id, now).await?;
    reply_page(store, &thread, &reader, &list).await
}

/// A page's comment thread (none until the first comment) and a page of its comments.
pub async fn page(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    url: PageUrl,
    list: ListRequest,
    now: Timestamp,
) -> Result<PageCommentsView, ApiError> {
    let reader = Reader::of(store, slug, actor, now).await?;
    let id = ThreadId::for_page(&url);
    let stored = get_json::<Thread>(store, &talk_keys::thread(&id)).await?;
    let thread = match stored {
        // A hidden page thread reads as no thread yet.
        Some(thread) if thread.page() == Some(&url) && !reader.sees_thread(&thread) => None,
        Some(thread) if thread.page() == Some(&url) => Some(thread),
        Some(_) => return Err(domain::PageThreadError::KeyTaken.into()),
        None => None,
    };
    let (view, replies) = match &thread {
        Some(thread) => (
            Some(thread_view(store, thread, reader.member.as_ref()).await?),
            reply_page(store, thread, &reader, &list).await?,
        ),
        None => (
            None,
            ReplyListView {
                replies: Vec::new(),
                next: None,
            },
        ),
    };
    Ok(PageCommentsView {
        page: url.to_string(),
        thread_id: id,
        thread: view,
        replies: replies.replies,
        next: replies.next,
    })
}
