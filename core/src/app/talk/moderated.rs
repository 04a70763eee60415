//! Moderation in talk. A post's [`Visibility`] lives on its talk record (thread or reply), so
//! reads decide who sees it without a lookup per item:
//! * new threads and replies are screened with [`moderation::screen_new_post`]; a pending
//!   one is kept out of feeds and reply counts and queued at [`moderation::pending_key`];
//! * hide, restore, approve and reject (from membership's moderation routes) change the
//!   record, its thread's feed entries and reply counts in the batch that also holds the
//!   audit entry ([`change_visibility`]).
//!
//! Pending and hidden content is seen by its author (marked) and moderators (marked) only:
//! a thread is `not_found` for everyone else, a reply is left out of reply lists.

use crate::error::ApiError;
use crate::ids::MemberId;
use crate::join;
use crate::moderation::{
    self, AuditEntry, AuthorStanding, ContentRef, ModerationSettings, PreModeration, QueueEntry,
    Visibility, VisibilityError,
};
use crate::recognition::MemberStats;
use crate::store::{Batch, Store, get_json};
use crate::talk as domain;
use crate::time::Timestamp;

use super::super::points::rkeys;
use super::acting::{Acting, load_reply, load_thread, put_thread};

/// The visibility of a new post by `member`: published unless the community's
/// pre-moderation applies to them. Their standing is their membership's `joined_at` (now,
/// when they never joined through `…/join`) and their published threads and replies (the
/// counters in their stats; pending posts earn nothing, so they do not count).
pub(super) async fn screen(
    store: &impl Store,
    acting: &Acting,
    member: &MemberId,
    now: Timestamp,
) -> Result<Visibility, ApiError> {
    let settings = get_json::<ModerationSettings>(store, moderation::SETTINGS_KEY)
        .await?
        .unwrap_or_default();
    if settings.pre_moderation == PreModeration::Off {
        return Ok(Visibility::Published);
    }
    let joined_at = get_json::<join::Membership>(store, &join::keys::membership(member))
        .await?
        .map_or(now, |m| m.joined_at);
    let stats = get_json::<MemberStats>(store, &rkeys::stats(member))
        .await?
        .unwrap_or_default();
    let standing = AuthorStanding {
        role: acting.role,
        joined_at,
        published_posts: stats.posts.saturating_add(stats.replies),
    };
    Ok(moderation::screen_new_post(&settings, &standing, now))
}

/// Queues the review of `content` when `visibility` is pending.
pub(super) fn queue_if_pending(
    batch: &mut Batch,
    content: ContentRef,
    visibility: &Visibility,
) -> Result<(), ApiError> {
    if let Visibility::Pending { since } = visibility {
        batch.put_json(
            moderation::pending_key(&content),
            &QueueEntry::pending(content, *since),
        )?;
    }
    Ok(())
}

/// Applies `decide` (hide, restore, approve or reject) to the visibility of `content`'s
/// talk record. Returns the batch that writes the record, its thread's feed entries and
/// counts and removes any pending queue line, with the audit entry `decide` made and the
/// new visibility. Content that does not exist is `not_found`.
pub(in crate::app) async fn change_visibility(
    store: &impl Store,
    content: &ContentRef,
    decide: impl FnOnce(&mut Visibility) -> Result<AuditEntry, VisibilityError>,
) -> Result<(Batch, AuditEntry, Visibility), ApiError> {
    let mut batch = Batch::new();
    let (entry, visibility) = match content {
        ContentRef::Post { thread } => {
            let before = load_thread(store, thread).await?;
            let mut after = before.clone();
            let entry = decide(&mut after.visibility)?;
            put_thread(&mut batch, Some(&before), &after)?;
            (entry, after.visibility)
        }
        ContentRef::Reply { thread, reply } => {
            let before = load_thread(store, thread).await?;
            let mut after = before.clone();
            let (key, mut reply) = load_reply(store, thread, reply).await?;
            let mut top = match &reply.parent {
                Some(parent) => Some(load_reply(store, thread, &parent.id).await?),
                None => None,
            };
            let mut visibility = reply.visibility.clone();
            let entry = decide(&mut visibility)?;
            domain::set_reply_visibility(
                &mut after,
                top.as_mut().map(|(_, t)| t),
                &mut reply,
                visibility.clone(),
            );
            batch.put_json(key, &reply)?;
            if let Some((top_key, top_level)) = &top {
                batch.put_json(top_key.clone(), top_level)?;
            }
            put_thread(&mut batch, Some(&before), &after)?;
            (entry, visibility)
        }
    };
    batch.delete(moderation::pending_key(content));
    Ok((batch, entry, visibility))
}
