//! Moderation use cases: each loads, lets `crate::moderation` decide, and writes the change
//! with its audit entry in one batch.

use crate::error::{ApiError, ErrorCode};
use crate::ids::{CommunitySlug, MemberId};
use crate::moderation::Target;
use crate::moderation::spam::HeldFor;
use crate::moderation::{
    self, AuditEntry, Ban, BanDays, ContentRef, MemberRole, MemberRoleRequest, ModReason,
    ModerationSettings, QueueEntry, ReportCase, ReportRequest, ResolveRequest, Visibility,
    change_member_role, change_settings, lift_ban, order_queue,
};
use crate::notify::ActivityKind;
use crate::store::{Batch, Store, get_json};
use crate::talk::Cursor;
use crate::time::Timestamp;
use crate::webhook::{self, WebhookEvent};

use super::super::{Actor, Change, identity, keys, load_community, talk, webhooks};
use super::{
    AuditRecord, ContentVisibility, MemberRoleView, MembershipReply, Paged, commit_audited,
    mod_keys, moderator, page, require,
};

pub async fn report(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    request: ReportRequest,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let member = identity::writing_member(store, slug, actor, now).await?;
    let community = load_community(store, slug).await?;
    let ReportRequest {
        target,
        reason,
        note,
    } = request;
    let case_key = mod_keys::report(&target);
    let mut case = get_json::<ReportCase>(store, &case_key)
        .await?
        .unwrap_or_else(|| ReportCase::new(target.clone()));
    let filed = case.file(member.id.clone(), reason, note, now)?;
    let reported = WebhookEvent::ReportCreated(webhook::ReportCreated {
        target: target.clone(),
        reason,
        reporter: member.id.clone(),
    });
    let mut change = Change::new();
    change.batch.put_json(&case_key, &case)?;
    if let Some(entry) = case.queue_entry() {
        change.batch.put_json(mod_keys::open(&target), &entry)?;
    }
    change.activity.push((
        member.id.clone(),
        ActivityKind::Reported,
        Some(target.key_segment()),
    ));
    change.webhooks.push(reported);
    hold_if_reported_enough(store, &mut change.batch, &case, now).await?;
    change.commit(store, community.time_zone, now).await?;
    Ok(MembershipReply::ReportFiled(filed))
}

/// The report threshold: published content with at least `hide_after_reports` open
/// reports (each from a different member) goes back to review, out of sight, and waits in
/// the queue for a moderator to approve or reject it; the hold is in the audit log.
async fn hold_if_reported_enough(
    store: &impl Store,
    batch: &mut Batch,
    case: &ReportCase,
    now: Timestamp,
) -> Result<(), ApiError> {
    let content = match case.target() {
        Target::Post { thread } => ContentRef::Post {
            thread: thread.clone(),
        },
        Target::Reply { thread, reply } => ContentRef::Reply {
            thread: thread.clone(),
            reply: reply.clone(),
        },
        Target::Member { .. } => return Ok(()),
    };
    let settings = get_json::<ModerationSettings>(store, moderation::SETTINGS_KEY)
        .await?
        .unwrap_or_default();
    let reports = case.open_count();
    if settings.hide_after_reports == 0 || reports < u32::from(settings.hide_after_reports) {
        return Ok(());
    }
    let hold = |v: &mut Visibility| v.hold_for_review(content.clone(), reports, now);
    let (held, entry, visibility) =
        match talk::moderated::change_visibility(store, &content, hold).await {
            Ok(done) => done,
            // Already out of sight (pending, hidden) or gone: nothing to hold.
            Err(e) if matches!(e.code, ErrorCode::Conflict | ErrorCode::NotFound) => {
                return Ok(());
            }
            Err(e) => return Err(e),
        };
    batch.extend(held.into_writes());
    if let Visibility::Pending { since } = visibility {
        batch.put_json(
            moderation::pending_key(&content),
            &QueueEntry::pending(content, since).because(Some(HeldFor::Reports)),
        )?;
    }
    super::append_audit(store, batch, &entry).await?;
    Ok(())
}

pub async fn queue(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    cursor: Option<Cursor>,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let who = moderator(store, slug, actor, now).await?;
    require(&who, moderation::Action::ViewQueue)?;
    let (items, next) = page::<QueueEntry>(store, mod_keys::OPEN, cursor.as_ref()).await?;
    let mut items: Vec<QueueEntry> = items.into_iter().map(|(_, e)| e).collect();
    order_queue(&mut items);
    Ok(MembershipReply::Queue(Paged { items, next }))
}

pub async fn resolve(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    request: ResolveRequest,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let who = moderator(store, slug, actor, now).await?;
    require(&who, moderation::Action::ResolveReports)?;
    let case_key = mod_keys::report(&request.target);
    let mut case = get_json::<ReportCase>(store, &case_key)
        .await?
        .ok_or_else(|| ApiError::new(ErrorCode::NotFound, "there are no reports about this"))?;
    let entry = case.resolve(&who, request.decision, request.note, now)?;
    let mut batch = Batch::new();
    batch.put_json(&case_key, &case)?;
    batch.delete(mod_keys::open(&request.target));
    commit_audited(store, batch, &entry).await?;
    Ok(MembershipReply::Resolved(entry))
}

/// What a moderator does to the visibility of a post or reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisibilityChange {
    Hide,
    Restore,
    /// Publishes pending content.
    Approve,
    /// Keeps pending content hidden.
    Reject,
}

/// Changes the visibility on the talk record itself (and its feed entries, reply counts and
/// queue line: see `talk::moderated`), in one batch with the audit entry.
pub async fn set_visibility(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    content: ContentRef,
    change: VisibilityChange,
    reason: ModReason,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let who = moderator(store, slug, actor, now).await?;
    let target = content.clone();
    let decide = |v: &mut Visibility| match change {
        VisibilityChange::Hide => v.hide(&who, target, reason, now),
        VisibilityChange::Restore => v.restore(&who, target, reason, now),
        VisibilityChange::Approve => v.approve(&who, target, now),
        VisibilityChange::Reject => v.reject(&who, target, reason, now),
    };
    let (mut batch, entry, visibility) =
        talk::moderated::change_visibility(store, &content, decide).await?;
    if change == VisibilityChange::Approve && visibility.is_public() {
        // Published now: the brand's webhooks hear of it as of a new post.
        let events = webhooks::approved(store, &content).await?;
        webhooks::enqueue(store, &mut batch, events, now).await?;
    }
    commit_audited(store, batch, &entry).await?;
    Ok(MembershipReply::Visibility(ContentVisibility {
        content,
        visibility,
    }))
}

pub async fn ban(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    member: MemberId,
    days: Option<BanDays>,
    reason: ModReason,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let who = moderator(store, slug, actor, now).await?;
    let (ban, entry) = Ban::impose(&who, member.clone(), days, reason, now)?;
    let mut batch = Batch::new();
    batch.put_json(keys::ban(&member), &ban)?;
    commit_audited(store, batch, &entry).await?;
    Ok(MembershipReply::Banned(ban))
}

pub async fn unban(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    member: MemberId,
    reason: ModReason,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let who = moderator(store, slug, actor, now).await?;
    let ban = get_json::<Ban>(store, &keys::ban(&member)).await?;
    let entry = lift_ban(&who, ban.as_ref(), reason, now)?;
    let mut batch = Batch::new();
    batch.delete(keys::ban(&member));
    commit_audited(store, batch, &entry).await?;
    Ok(MembershipReply::Unbanned(entry))
}

/// The bans in force (expired ones are left out, so a page may hold fewer than the page
/// size), in member id order.
pub async fn bans(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    cursor: Option<Cursor>,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let who = moderator(store, slug, actor, now).await?;
    require(&who, moderation::Action::Ban)?;
    let (items, next) = page::<Ban>(store, mod_keys::BANS, cursor.as_ref()).await?;
    let items = items
        .into_iter()
        .map(|(_, ban)| ban)
        .filter(|ban| ban.is_active(now))
        .collect();
    Ok(MembershipReply::Bans(Paged { items, next }))
}

pub async fn set_member_role(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    member: MemberId,
    request: MemberRoleRequest,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let who = moderator(store, slug, actor, now).await?;
    let key = mod_keys::role(&member);
    let from = get_json::<MemberRole>(store, &key)
        .await?
        .unwrap_or_default();
    let entry = change_member_role(&who, &member, from, request.role, request.reason, now)?;
    let mut batch = Batch::new();
    match request.role {
        MemberRole::Member => batch.delete(&key),
        role => batch.put_json(&key, &role)?,
    };
    commit_audited(store, batch, &entry).await?;
    Ok(MembershipReply::MemberRole(MemberRoleView {
        member,
        role: request.role,
    }))
}

pub async fn audit(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    cursor: Option<Cursor>,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let who = moderator(store, slug, actor, now).await?;
    require(&who, moderation::Action::ViewAuditLog)?;
    let (items, next) = page::<AuditEntry>(store, mod_keys::AUDIT, cursor.as_ref()).await?;
    let items = items
        .into_iter()
        .map(|(key, entry)| AuditRecord {
            id: key.strip_prefix(mod_keys::AUDIT).unwrap_or(&key).to_owned(),
            entry,
        })
        .collect();
    Ok(MembershipReply::Audit(Paged { items, next }))
}

pub async fn get_settings(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let who = moderator(store, slug, actor, now).await?;
    require(&who, moderation::Action::ViewQueue)?;
    Ok(MembershipReply::ModerationSettings(
        get_json::<ModerationSettings>(store, mod_keys::SETTINGS)
            .await?
            .unwrap_or_default(),
    ))
}

pub async fn put_settings(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    new: ModerationSettings,
    reason: ModReason,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let who = moderator(store, slug, actor, now).await?;
    let mut settings = get_json::<ModerationSettings>(store, mod_keys::SETTINGS)
        .await?
        .unwrap_or_default();
    let entry: AuditEntry = change_settings(&who, &mut settings, new, reason, now)?;
    let mut batch = Batch::new();
    batch.put_json(mod_keys::SETTINGS, &settings)?;
    commit_audited(store, batch, &entry).await?;
    Ok(MembershipReply::ModerationSettings(settings))
}
