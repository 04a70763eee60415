//! Who a request is: members by the brand's SSO token (verified against this community's
//! keys), staff by their role in this community's own staff list.

use crate::accounts::Role;
use crate::error::{ApiError, ErrorCode};
use crate::ids::CommunitySlug;
use crate::moderation::{Ban, check_write};
use crate::sso::{self, MemberProfile, SsoKey, SsoKeyView, SsoKeys};
use crate::store::{Batch, Store, get_json};
use crate::time::Timestamp;

use super::{Actor, keys, load_community};

/// The member behind `actor`'s token, or `unauthenticated`.
pub async fn member(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<MemberProfile, ApiError> {
    let Actor::Member { token } = actor else {
        return Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "sign in through the brand's site to do this",
        ));
    };
    let sso_keys = get_json::<SsoKeys>(store, keys::SSO_KEYS)
        .await?
        .unwrap_or_default();
    if sso_keys.is_empty() {
        return Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "this community has no sign-in key yet; its owner creates one in the dashboard",
        ));
    }
    Ok(sso::verify(token, &sso_keys, slug, now)?)
}

/// The member viewing, if the actor is one (a bad token is refused, not ignored, so the
/// widget asks for a fresh one); `None` for anyone else.
pub async fn viewer(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<Option<MemberProfile>, ApiError> {
    match actor {
        Actor::Member { .. } => Ok(Some(member(store, slug, actor, now).await?)),
        Actor::Anonymous | Actor::Operator | Actor::Marketer { .. } => Ok(None),
    }
}

/// The member behind `actor`, allowed to write (not banned).
pub async fn writing_member(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<MemberProfile, ApiError> {
    let member = member(store, slug, actor, now).await?;
    let ban = get_json::<Ban>(store, &keys::ban(&member.id)).await?;
    check_write(ban.as_ref(), &member.id, now)
        .map_err(|refused| ApiError::new(ErrorCode::Banned, refused.to_string()))?;
    Ok(member)
}

/// Whether `actor` may change this community's settings: the operator, its owner or an admin.
pub async fn require_settings_access(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
) -> Result<(), ApiError> {
    let refused = || {
        ApiError::new(
            ErrorCode::Forbidden,
            "only the community's owner and admins may change its settings",
        )
    };
    match actor {
        Actor::Operator => Ok(()),
        Actor::Marketer { email } => {
            load_community(store, slug).await?;
            match get_json::<Role>(store, &keys::staff(email)).await? {
                Some(Role::Owner | Role::Admin) => Ok(()),
                _ => Err(refused()),
            }
        }
        Actor::Anonymous | Actor::Member { .. } => Err(refused()),
    }
}

/// Adds a signing key (the worker drew the secret), retiring the oldest of two.
pub async fn add_sso_key(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    key: SsoKey,
) -> Result<Vec<SsoKeyView>, ApiError> {
    require_settings_access(store, slug, actor).await?;
    let mut sso_keys = get_json::<SsoKeys>(store, keys::SSO_KEYS)
        .await?
        .unwrap_or_default();
    sso_keys.add(key)?;
    let mut batch = Batch::new();
    batch.put_json(keys::SSO_KEYS, &sso_keys)?;
    store.commit(batch).await?;
    Ok(sso_keys.views())
}

/// The active signing keys' ids and ages (never a secret), for the settings staff.
pub async fn sso_keys(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
) -> Result<Vec<SsoKeyView>, ApiError> {
    require_settings_access(store, slug, actor).await?;
    Ok(get_json::<SsoKeys>(store, keys::SSO_KEYS)
        .await?
        .unwrap_or_default()
        .views())
}
