//! Joining: rules, screening questions, the approval queue; and moderation: reports, the
//! queue, hide/restore, bans, member roles, pre-moderation settings and the audit log.
//!
//! Storage (besides `join`'s keys and the keys `moderation` documents):
//! * the [`Visibility`] of a post or reply is on its talk record: hide/restore/approve/reject
//!   change that record and its feed entries through `talk::moderated` (no `mod/visibility`).
//! * `mod/audit-seq` → `u64`, the last audit id handed out (keeps audit keys unique).

mod joining;
mod moderating;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::accounts::{Email, Role};
use crate::error::{ApiError, ErrorCode};
use crate::ids::{CommunitySlug, MemberId};
use crate::join::{Application, JoinPolicy, JoinRequest, MembershipState};
use crate::moderation::{
    self, AuditEntry, AuditId, Ban, BanDays, ContentRef, MemberRole, MemberRoleRequest, ModReason,
    ModerationSettings, QueueEntry, ReportFiled, ReportRequest, ResolveRequest, Visibility,
};
use crate::store::{Batch, Page, Store, StoreError, get_json};
use crate::talk::Cursor;
use crate::time::Timestamp;

use super::{Actor, Outcome, Reply, identity, keys};

/// The commands of this area (see [`super::Command::Membership`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum MembershipCommand {
    /// `GET …/join` (anyone).
    GetJoinPolicy,
    /// `PUT …/join` (owner, admin).
    PutJoinPolicy { policy: JoinPolicy },
    /// `POST …/join` (a member).
    Join { request: JoinRequest },
    /// `GET …/members/me` (a member).
    MyMembership,
    /// `GET …/applications` (those who review: staff and member moderators).
    ListApplications { cursor: Option<Cursor> },
    /// `POST …/applications/{member}/approve|reject`.
    ReviewApplication {
        member: MemberId,
        approve: bool,
        reason: ModReason,
    },
    /// `POST …/moderation/reports` (a member).
    Report { request: ReportRequest },
    /// `GET …/moderation/queue`.
    Queue { cursor: Option<Cursor> },
    /// `POST …/moderation/reports/resolve`.
    Resolve { request: ResolveRequest },
    /// `POST …/moderation/hide` and `…/restore`.
    SetVisibility {
        content: ContentRef,
        hide: bool,
        reason: ModReason,
    },
    /// `POST …/moderation/approve` and `…/reject`: a post or reply waiting for review.
    ReviewPost {
        content: ContentRef,
        approve: bool,
        #[serde(default)]
        reason: ModReason,
    },
    /// `PUT …/members/{member}/ban`.
    Ban {
        member: MemberId,
        days: Option<BanDays>,
        reason: ModReason,
    },
    /// `DELETE …/members/{member}/ban`.
    Unban { member: MemberId, reason: ModReason },
    /// `GET …/moderation/bans`: the bans in force, by member id (those who ban).
    ListBans { cursor: Option<Cursor> },
    /// `PUT …/members/{member}/role`.
    SetMemberRole {
        member: MemberId,
        request: MemberRoleRequest,
    },
    /// `GET …/moderation/audit` (oldest first).
    Audit { cursor: Option<Cursor> },
    /// `GET …/moderation/settings`.
    GetModerationSettings,
    /// `PUT …/moderation/settings`.
    PutModerationSettings {
        settings: ModerationSettings,
        reason: ModReason,
    },
}

/// One page of a list, and the cursor of the next (absent on the last page).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Paged<T> {
    pub items: Vec<T>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Cursor>,
}

/// `POST …/join`: where the member stands now, and the welcome if they are in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Joined {
    pub membership: MembershipState,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub welcome: Option<String>,
}

/// An application after review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Reviewed {
    pub member: MemberId,
    pub approved: bool,
}

/// Who may see a post or reply now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContentVisibility {
    pub content: ContentRef,
    pub visibility: Visibility,
}

/// A member's role after a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MemberRoleView {
    pub member: MemberId,
    pub role: MemberRole,
}

/// An audit entry with its id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditRecord {
    pub id: String,
    #[serde(flatten)]
    pub entry: AuditEntry,
}

/// The replies of this area; [`MembershipReply::into_body`] is what HTTP clients receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum MembershipReply {
    JoinPolicy(JoinPolicy),
    Joined(Joined),
    State(MembershipState),
    Applications(Paged<Application>),
    Reviewed(Reviewed),
    ReportFiled(ReportFiled),
    Queue(Paged<QueueEntry>),
    Resolved(AuditEntry),
    Visibility(ContentVisibility),
    Banned(Ban),
    Unbanned(AuditEntry),
    Bans(Paged<Ban>),
    MemberRole(MemberRoleView),
    Audit(Paged<AuditRecord>),
    ModerationSettings(ModerationSettings),
}

impl MembershipReply {
    /// The JSON body of the HTTP response.
    pub fn into_body(self) -> Result<serde_json::Value, ApiError> {
        let value = match self {
            Self::JoinPolicy(v) => serde_json::to_value(v),
            Self::Joined(v) => serde_json::to_value(v),
            Self::State(v) => serde_json::to_value(v),
            Self::Applications(v) => serde_json::to_value(v),
            Self::Reviewed(v) => serde_json::to_value(v),
            Self::ReportFiled(v) => serde_json::to_value(v),
            Self::Queue(v) => serde_json::to_value(v),
            Self::Resolved(v) | Self::Unbanned(v) => serde_json::to_value(v),
            Self::Visibility(v) => serde_json::to_value(v),
            Self::Banned(v) => serde_json::to_value(v),
            Self::Bans(v) => serde_json::to_value(v),
            Self::MemberRole(v) => serde_json::to_value(v),
            Self::Audit(v) => serde_json::to_value(v),
            Self::ModerationSettings(v) => serde_json::to_value(v),
        };
        value.map_err(|e| ApiError::new(ErrorCode::Internal, format!("encoding a reply: {e}")))
    }
}

pub async fn handle(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    command: MembershipCommand,
    now: Timestamp,
) -> Result<Outcome, ApiError> {
    use MembershipCommand as C;
    let reply = match command {
        C::GetJoinPolicy => joining::get_policy(store, slug).await?,
        C::PutJoinPolicy { policy } => joining::put_policy(store, slug, actor, policy).await?,
        C::Join { request } => joining::join(store, slug, actor, request, now).await?,
        C::MyMembership => joining::my_membership(store, slug, actor, now).await?,
        C::ListApplications { cursor } => {
            joining::list_applications(store, slug, actor, cursor, now).await?
        }
        C::ReviewApplication {
            member,
            approve,
            reason,
        } => joining::review(store, slug, actor, member, approve, reason, now).await?,
        C::Report { request } => moderating::report(store, slug, actor, request, now).await?,
        C::Queue { cursor } => moderating::queue(store, slug, actor, cursor, now).await?,
        C::Resolve { request } => moderating::resolve(store, slug, actor, request, now).await?,
        C::SetVisibility {
            content,
            hide,
            reason,
        } => {
            let change = if hide {
                moderating::VisibilityChange::Hide
            } else {
                moderating::VisibilityChange::Restore
            };
            moderating::set_visibility(store, slug, actor, content, change, reason, now).await?
        }
        C::ReviewPost {
            content,
            approve,
            reason,
        } => {
            let change = if approve {
                moderating::VisibilityChange::Approve
            } else {
                moderating::VisibilityChange::Reject
            };
            moderating::set_visibility(store, slug, actor, content, change, reason, now).await?
        }
        C::Ban {
            member,
            days,
            reason,
        } => moderating::ban(store, slug, actor, member, days, reason, now).await?,
        C::Unban { member, reason } => {
            moderating::unban(store, slug, actor, member, reason, now).await?
        }
        C::ListBans { cursor } => moderating::bans(store, slug, actor, cursor, now).await?,
        C::SetMemberRole { member, request } => {
            moderating::set_member_role(store, slug, actor, member, request, now).await?
        }
        C::Audit { cursor } => moderating::audit(store, slug, actor, cursor, now).await?,
        C::GetModerationSettings => moderating::get_settings(store, slug, actor, now).await?,
        C::PutModerationSettings { settings, reason } => {
            moderating::put_settings(store, slug, actor, settings, reason, now).await?
        }
    };
    Ok(Outcome::read(Reply::Membership(reply)))
}

/// Storage keys of moderation that this area writes (see [`crate::moderation`]'s table).
pub mod mod_keys {
    use crate::ids::MemberId;
    use crate::moderation::Target;

    pub const SETTINGS: &str = "mod/settings";
    pub const OPEN: &str = "mod/open/";
    pub const AUDIT: &str = "mod/audit/";
    pub const AUDIT_SEQ: &str = "mod/audit-seq";
    /// Every ban, by member id: the prefix of `app::keys::ban`.
    pub const BANS: &str = "mod/ban/";

    pub fn report(target: &Target) -> String {
        format!("mod/report/{}", target.key_segment())
    }

    pub fn open(target: &Target) -> String {
        format!("{OPEN}{}", target.key_segment())
    }

    pub fn role(member: &MemberId) -> String {
        format!("mod/role/{member}")
    }
}

/// The address the operator acts under in the audit log (the operator has no account).
const OPERATOR_EMAIL: &str = "operator@quanzi.invalid";

/// The moderation actor behind `actor`, with the role looked up here: the operator acts as
/// an owner, a marketer with their staff role, a member with their member role (a banned
/// member is refused).
pub(super) async fn moderator(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<moderation::Actor, ApiError> {
    match actor {
        Actor::Operator => {
            let email = Email::parse(OPERATOR_EMAIL)
                .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
            Ok(moderation::Actor::staff(email, Role::Owner))
        }
        Actor::Marketer { email } => {
            super::load_community(store, slug).await?;
            match get_json::<Role>(store, &keys::staff(email)).await? {
                Some(role) => Ok(moderation::Actor::staff(email.clone(), role)),
                None => Err(ApiError::new(
                    ErrorCode::Forbidden,
                    "you have no role in this community",
                )),
            }
        }
        Actor::Member { .. } => {
            let member = identity::writing_member(store, slug, actor, now).await?;
            let role = get_json::<MemberRole>(store, &mod_keys::role(&member.id))
                .await?
                .unwrap_or_default();
            Ok(moderation::Actor::member(member.id, role))
        }
        Actor::Anonymous => Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "sign in to moderate",
        )),
    }
}

/// Requires `action` of the moderator.
fn require(who: &moderation::Actor, action: moderation::Action) -> Result<(), ApiError> {
    if who.can(action) {
        Ok(())
    } else {
        Err(moderation::Forbidden { action }.into())
    }
}

/// Queues `entry` in `batch` under a fresh audit id (one per command).
pub(super) async fn append_audit(
    store: &impl Store,
    batch: &mut Batch,
    entry: &AuditEntry,
) -> Result<(), ApiError> {
    let seq = get_json::<u64>(store, mod_keys::AUDIT_SEQ)
        .await?
        .unwrap_or(0)
        .saturating_add(1);
    let id = AuditId::parse(&format!("{seq:012}"))
        .map_err(|e| ApiError::new(ErrorCode::Internal, e.to_string()))?;
    batch.put_json(mod_keys::AUDIT_SEQ, &seq)?;
    batch.put_json(entry.storage_key(&id), entry)?;
    Ok(())
}

/// Writes `batch` with `entry` appended to the audit log, in one commit.
pub(super) async fn commit_audited(
    store: &impl Store,
    mut batch: Batch,
    entry: &AuditEntry,
) -> Result<(), ApiError> {
    append_audit(store, &mut batch, entry).await?;
    store.commit(batch).await?;
    Ok(())
}

/// Items per page of every list here.
const PAGE: usize = 50;

/// One page of the JSON values under `prefix`, after `cursor`.
async fn page<T: serde::de::DeserializeOwned>(
    store: &impl Store,
    prefix: &str,
    cursor: Option<&Cursor>,
) -> Result<(Vec<(String, T)>, Option<Cursor>), ApiError> {
    let start = cursor.map(|c| c.start_after(prefix));
    let Page { entries, next } = store.list(prefix, start.as_deref(), PAGE).await?;
    let next = next.as_deref().and_then(|k| Cursor::after(prefix, k));
    let mut items = Vec::with_capacity(entries.len());
    for (key, text) in entries {
        let value = serde_json::from_str(&text)
            .map_err(|e| ApiError::from(StoreError(format!("corrupt value at {key}: {e}"))))?;
        items.push((key, value));
    }
    Ok((items, next))
}
