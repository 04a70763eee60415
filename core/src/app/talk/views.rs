//! Reading talk: feeds, one thread with its replies, a page's comments. Reads write
//! nothing; a signed-in viewer also sees their own reactions.

use crate::error::ApiError;
use crate::ids::{CommunitySlug, MemberId};
use crate::store::{Store, StoreError, get_json};
use crate::talk::wire::{
    ListRequest, ReplyListView, ReplyView, ThreadCardView, ThreadListView, ThreadView,
};
use crate::talk::{
    self as domain, Cursor, Feed, PageUrl, ReactionSet, Thread, ThreadCard, ThreadId, Topic,
    keys as talk_keys,
};
use crate::time::Timestamp;

use super::super::{Actor, identity};
use super::acting::{load_thread, not_found};
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

/// The member reading (see [`viewer`]) and the thread `id`.
async fn viewer_and_thread(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: &ThreadId,
    now: Timestamp,
) -> Result<(Option<MemberId>, Thread), ApiError> {
    let viewer = viewer(store, slug, actor, now).await?;
    let thread = load_thread(store, id).await?;
    Ok((viewer, thread))
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

/// A page of `thread`'s replies, with the viewer's reactions on each.
async fn reply_page(
    store: &impl Store,
    thread: &Thread,
    viewer: Option<&MemberId>,
    list: &ListRequest,
) -> Result<ReplyListView, ApiError> {
    let prefix = talk_keys::replies(&thread.id);
    let start = list.cursor.as_ref().map(|c| c.start_after(&prefix));
    let page = store
        .list(&prefix, start.as_deref(), list.limit.get())
        .await?;
    let mut replies = Vec::with_capacity(page.entries.len());
    for (key, value) in &page.entries {
        let reply = parse::<domain::Reply>(key, value)?;
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
    let (viewer, thread) = viewer_and_thread(store, slug, actor, &id, now).await?;
    let view = thread_view(store, &thread, viewer.as_ref()).await?;
    let replies = reply_page(store, &thread, viewer.as_ref(), &list).await?;
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
    let (viewer, thread) = viewer_and_thread(store, slug, actor, &id, now).await?;
    reply_page(store, &thread, viewer.as_ref(), &list).await
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
    let viewer = viewer(store, slug, actor, now).await?;
    let id = ThreadId::for_page(&url);
    let stored = get_json::<Thread>(store, &talk_keys::thread(&id)).await?;
    let thread = match stored {
        Some(thread) if thread.page() == Some(&url) => Some(thread),
        Some(_) => return Err(domain::PageThreadError::KeyTaken.into()),
        None => None,
    };
    let (view, replies) = match &thread {
        Some(thread) => (
            Some(thread_view(store, thread, viewer.as_ref()).await?),
            reply_page(store, thread, viewer.as_ref(), &list).await?,
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
