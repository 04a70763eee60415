//! Topics: staff create and edit them, members list, join and leave them.

use crate::error::ApiError;
use crate::ids::CommunitySlug;
use crate::moderation::Action as Permission;
use crate::store::{Store, get_json};
use crate::talk::wire::{ListRequest, TopicView};
use crate::talk::{
    self as domain, Cursor, Membership, Topic, TopicDraft, TopicId, keys as talk_keys,
};
use crate::time::Timestamp;

use super::super::{Actor, Change, identity};
use super::TopicListView;
use super::acting::{Acting, TopicBook, commit, not_found};

/// A page of topics in id order. A signed-in member sees which they are in, their brand
/// tags counted as they would be once they act.
pub async fn list(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    list: ListRequest,
    now: Timestamp,
) -> Result<TopicListView, ApiError> {
    let viewer = identity::viewer(store, slug, actor, now).await?;
    let prefix = talk_keys::TOPICS;
    let start = list.cursor.as_ref().map(|c| c.start_after(prefix));
    let page = store
        .list(prefix, start.as_deref(), list.limit.get())
        .await?;
    let mut topics = Vec::with_capacity(page.entries.len());
    for (_, value) in &page.entries {
        topics.push(parse::<Topic>(value)?);
    }
    let mine: Vec<Membership> = match &viewer {
        Some(profile) => {
            let mut book = TopicBook::load(store, &profile.id).await?;
            book.sync(profile, now);
            // Counts as they will be once this member acts.
            for t in &mut topics {
                if let Some(synced) = book.topics.iter().find(|s| s.id == t.id) {
                    t.member_count = synced.member_count;
                }
            }
            book.mine
        }
        None => Vec::new(),
    };
    Ok(TopicListView {
        topics: topics
            .iter()
            .map(|t| TopicView::new(t, mine.iter().find(|m| m.topic == t.id)))
            .collect(),
        next: Cursor::next(prefix, &page),
    })
}

fn parse<T: serde::de::DeserializeOwned>(value: &str) -> Result<T, ApiError> {
    serde_json::from_str(value)
        .map_err(|e| ApiError::from(crate::store::StoreError(format!("corrupt talk value: {e}"))))
}

pub async fn create(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: TopicId,
    draft: TopicDraft,
    now: Timestamp,
) -> Result<TopicView, ApiError> {
    let acting = settings_staff(store, slug, actor, now).await?;
    let existing = get_json::<Topic>(store, &talk_keys::topic(&id)).await?;
    let topic = domain::create_topic(&acting.talk, existing.as_ref(), id, draft, now)?;
    save(store, &acting, &topic, now).await
}

pub async fn edit(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: TopicId,
    draft: TopicDraft,
    now: Timestamp,
) -> Result<TopicView, ApiError> {
    let acting = settings_staff(store, slug, actor, now).await?;
    let mut topic = get_json::<Topic>(store, &talk_keys::topic(&id))
        .await?
        .ok_or_else(|| not_found("topic", &id))?;
    domain::edit_topic(&acting.talk, &mut topic, draft, now)?;
    save(store, &acting, &topic, now).await
}

/// Staff who may change the community's settings (and so its topics).
async fn settings_staff(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<Acting, ApiError> {
    let acting = Acting::writer(store, slug, actor, now).await?;
    acting.require(Permission::ChangeSettings)?;
    Ok(acting)
}

/// Writes `topic` in one commit and answers its view.
async fn save(
    store: &impl Store,
    acting: &Acting,
    topic: &Topic,
    now: Timestamp,
) -> Result<TopicView, ApiError> {
    let mut change = Change::new();
    change.batch.put_json(talk_keys::topic(&topic.id), topic)?;
    commit(store, change, None, acting.tz, now).await?;
    Ok(TopicView::new(topic, None))
}

/// The member joins (`join`) or leaves a topic by choice. Their brand tags are synced
/// first, so leaving a topic a tag put them in keeps them out.
pub async fn membership(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    topic: TopicId,
    join: bool,
    now: Timestamp,
) -> Result<TopicView, ApiError> {
    let acting = Acting::writer(store, slug, actor, now).await?;
    let profile = acting.member()?;
    let mut book = TopicBook::load(store, &profile.id).await?;
    book.sync(profile, now);
    let (topic, record) = book.choose(&topic, &profile.id, join, now)?;
    let mut change = Change::new();
    acting.touch_profile(&mut change.batch)?;
    book.write(&mut change.batch)?;
    commit(store, change, None, acting.tz, now).await?;
    Ok(TopicView::new(&topic, Some(&record)))
}
