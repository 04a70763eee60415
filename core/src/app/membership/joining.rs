//! Joining: the policy, a member's join request, and the review of applications.

use crate::error::{ApiError, ErrorCode};
use crate::ids::{CommunitySlug, MemberId};
use crate::join::{
    self, Application, JoinDecision, JoinPolicy, JoinRequest, Membership, MembershipState,
};
use crate::moderation::{self, AuditAction, AuditEntry, AuditTarget, Ban, ModReason, is_banned};
use crate::notify::{ActivityKind, NotificationKind, NotificationTarget, Notify};
use crate::sso::MemberProfile;
use crate::store::{Store, get_json};
use crate::talk::Cursor;
use crate::time::Timestamp;
use crate::webhook::{JoinedVia, MemberJoined, WebhookEvent};

use super::super::{Actor, Change, identity, keys, load_community};
use super::{Joined, MembershipReply, Paged, Reviewed, append_audit, moderator, page, require};

/// The `member.joined` webhook event.
fn joined(member: MemberId, via: JoinedVia) -> WebhookEvent {
    WebhookEvent::MemberJoined(MemberJoined { member, via })
}

pub async fn get_policy(
    store: &impl Store,
    slug: &CommunitySlug,
) -> Result<MembershipReply, ApiError> {
    load_community(store, slug).await?;
    Ok(MembershipReply::JoinPolicy(load_policy(store).await?))
}

async fn load_policy(store: &impl Store) -> Result<JoinPolicy, ApiError> {
    Ok(get_json::<JoinPolicy>(store, join::keys::POLICY)
        .await?
        .unwrap_or_default())
}

pub async fn put_policy(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    policy: JoinPolicy,
) -> Result<MembershipReply, ApiError> {
    identity::require_settings_access(store, slug, actor).await?;
    load_community(store, slug).await?;
    let mut change = Change::new();
    change.batch.put_json(join::keys::POLICY, &policy)?;
    store.commit(change.batch).await?;
    Ok(MembershipReply::JoinPolicy(policy))
}

/// The member's standing: ban in force, membership, pending application.
async fn state_of(
    store: &impl Store,
    member: &MemberId,
    now: Timestamp,
) -> Result<(MembershipState, Option<Membership>), ApiError> {
    let membership = get_json::<Membership>(store, &join::keys::membership(member)).await?;
    let application = get_json::<Application>(store, &join::keys::application(member)).await?;
    let ban = get_json::<Ban>(store, &keys::ban(member)).await?;
    let ban_until = ban
        .filter(|b| is_banned(Some(b), member, now))
        .map(|b| b.until);
    let state = MembershipState::of(membership.as_ref(), application.as_ref(), ban_until);
    Ok((state, membership))
}

pub async fn join(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    request: JoinRequest,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let member: MemberProfile = identity::writing_member(store, slug, actor, now).await?;
    let community = load_community(store, slug).await?;
    let policy = load_policy(store).await?;
    let (state, _) = state_of(store, &member.id, now).await?;
    let decision = join::join(&policy, &member, &state, request, now)?;
    let mut change = Change::new();
    let (state, welcome) = match decision {
        JoinDecision::Joined(membership) => {
            change
                .batch
                .put_json(join::keys::membership(&member.id), &membership)?;
            change
                .activity
                .push((member.id.clone(), ActivityKind::Joined, None));
            change
                .webhooks
                .push(joined(member.id.clone(), JoinedVia::Open));
            let welcome = policy.welcome().as_str();
            (
                MembershipState::Member {
                    joined_at: membership.joined_at,
                },
                (!welcome.is_empty()).then(|| welcome.to_owned()),
            )
        }
        JoinDecision::Applied(application) => {
            change
                .batch
                .put_json(join::keys::application(&member.id), &application)?;
            (
                MembershipState::Pending {
                    applied_at: application.applied_at,
                },
                None,
            )
        }
    };
    change.batch.put_json(keys::profile(&member.id), &member)?;
    change.commit(store, community.time_zone, now).await?;
    Ok(MembershipReply::Joined(Joined {
        membership: state,
        welcome,
    }))
}

pub async fn my_membership(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let member = identity::member(store, slug, actor, now).await?;
    let (state, _) = state_of(store, &member.id, now).await?;
    Ok(MembershipReply::State(state))
}

pub async fn list_applications(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    cursor: Option<Cursor>,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let who = moderator(store, slug, actor, now).await?;
    require(&who, moderation::Action::ReviewPending)?;
    let (items, next) =
        page::<Application>(store, join::keys::APPLICATIONS, cursor.as_ref()).await?;
    Ok(MembershipReply::Applications(Paged {
        items: items.into_iter().map(|(_, a)| a).collect(),
        next,
    }))
}

pub async fn review(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    member: MemberId,
    approve: bool,
    reason: ModReason,
    now: Timestamp,
) -> Result<MembershipReply, ApiError> {
    let who = moderator(store, slug, actor, now).await?;
    require(&who, moderation::Action::ReviewPending)?;
    let community = load_community(store, slug).await?;
    let key = join::keys::application(&member);
    let application = get_json::<Application>(store, &key).await?.ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotFound,
            format!("no application from `{member}` is waiting for review"),
        )
    })?;
    let mut change = Change::new();
    change.batch.delete(key);
    let kind = if approve {
        let membership = join::approve(application, now);
        change
            .batch
            .put_json(join::keys::membership(&member), &membership)?;
        change
            .activity
            .push((member.clone(), ActivityKind::Joined, None));
        change
            .webhooks
            .push(joined(member.clone(), JoinedVia::Approved));
        NotificationKind::JoinApproved
    } else {
        NotificationKind::JoinRejected
    };
    change.notify.push(Notify {
        recipient: member.clone(),
        kind,
        actor: None,
        target: NotificationTarget::default(),
    });
    let entry = AuditEntry {
        at: now,
        actor: who.who.clone(),
        role: who.role,
        action: if approve {
            AuditAction::Approve
        } else {
            AuditAction::Reject
        },
        target: AuditTarget::Member {
            member: member.clone(),
        },
        reason,
    };
    append_audit(store, &mut change.batch, &entry).await?;
    change.commit(store, community.time_zone, now).await?;
    Ok(MembershipReply::Reviewed(Reviewed {
        member,
        approved: approve,
    }))
}
