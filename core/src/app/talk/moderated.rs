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
use crate::moderation::spam::{self, HeldFor, PostSignals, RecentTexts};
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

/// A new post, screened: its visibility and, when it waits for review, why.
#[derive(Debug, Clone)]
pub(super) struct Screened {
    pub visibility: Visibility,
    pub held_for: Option<HeldFor>,
}

/// Screens a new post by `member` whose title and body are `text`: pre-moderation first
/// (their standing is their membership's `joined_at`, now when they never joined through
/// `…/join`, and their published threads and replies, the counters in their stats; pending
/// posts earn nothing, so they do not count), then the spam signals (a link while they
/// have few published posts, the same text as one of theirs from the last day). The
/// member's recent texts are written into `batch` when the repeat signal is on.
pub(super) async fn screen(
    store: &impl Store,
    acting: &Acting,
    member: &MemberId,
    text: &str,
    batch: &mut Batch,
    now: Timestamp,
) -> Result<Screened, ApiError> {
    let published = Screened {
        visibility: Visibility::Published,
        held_for: None,
    };
    if moderation::can(acting.role, moderation::Action::SkipPreModeration) {
        return Ok(published);
    }
    let settings = get_json::<ModerationSettings>(store, moderation::SETTINGS_KEY)
        .await?
        .unwrap_or_default();
    let has_link = settings.spam.links_until_posts > 0 && spam::has_link(text);
    let fingerprint = settings
        .spam
        .repeated_text
        .then(|| spam::fingerprint(text))
        .flatten();
    let repeats_recent = match fingerprint {
        Some(fingerprint) => {
            let key = RecentTexts::key(member);
            let mut recent = get_json::<RecentTexts>(store, &key)
                .await?
                .unwrap_or_default();
            let repeated = recent.repeat(fingerprint, now);
            batch.put_json(key, &recent)?;
            repeated
        }
        None => false,
    };
    let needs_standing = settings.pre_moderation != PreModeration::Off || has_link;
    let (joined_at, published_posts) = if needs_standing {
        let joined_at = get_json::<join::Membership>(store, &join::keys::membership(member))
            .await?
            .map_or(now, |m| m.joined_at);
        let stats = get_json::<MemberStats>(store, &rkeys::stats(member))
            .await?
            .unwrap_or_default();
        (joined_at, stats.posts.saturating_add(stats.replies))
    } else {
        (now, 0)
    };
    let standing = AuthorStanding {
        role: acting.role,
        joined_at,
        published_posts,
    };
    let signals = PostSignals {
        has_link,
        repeats_recent,
    };
    let (visibility, held_for) = moderation::screen_post(&settings, &standing, signals, now);
    Ok(Screened {
        visibility,
        held_for,
    })
}

/// Queues the review of `content` when `visibility` is pending, saying why.
pub(super) fn queue_if_pending(
    batch: &mut Batch,
    content: ContentRef,
    visibility: &Visibility,
    held_for: Option<HeldFor>,
) -> Result<(), ApiError> {
    if let Visibility::Pending { since } = visibility {
        batch.put_json(
            moderation::pending_key(&content),
            &QueueEntry::pending(content, *since).because(held_for),
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
