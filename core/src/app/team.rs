//! The team page: who runs the community, inviting marketers by link, accepting an invite,
//! changing a teammate's role and removing a teammate. The rules are in [`crate::team`];
//! every change is written with its audit entry in one batch.
//!
//! Storage: `staff/{email}` ([`keys::staff`]) and `team/invite/{digest}` (see
//! [`crate::team`]). The directory's staff index (`accounts`) is written by the worker after
//! a change here, from the reply.
//!
//! Who: any staff reads the teammates; owners and admins (and the operator, as an owner)
//! also read the pending invites and manage the team; any signed-in marketer may accept an
//! invite sent to their own email.

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::accounts::{Email, Role};
use crate::error::{ApiError, ErrorCode};
use crate::ids::CommunitySlug;
use crate::moderation::{self, Action, ActorRef, AuditAction, AuditEntry, AuditTarget, ModReason};
use crate::store::{Batch, Store, get_json};
use crate::team::{
    CreatedInvite, INVITE_MILLIS, Invite, InviteId, InviteToken, InviteView, JoinedTeam,
    MAX_PENDING, MAX_TEAM, NewInvite, Team, TeamError, Teammate, check_change,
};
use crate::time::Timestamp;

use super::membership::{commit_audited, moderator};
use super::{Actor, Outcome, Reply, keys, load_community};

/// Storage keys of this area.
pub mod tkeys {
    pub const STAFF: &str = "staff/";
    pub const INVITES: &str = "team/invite/";

    /// The invite whose token has this digest.
    pub fn invite(digest: &str) -> String {
        format!("{INVITES}{digest}")
    }
}

/// What the team page asks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TeamCommand {
    /// `GET …/team`.
    Get,
    /// `POST …/team/invites`: the worker drew the token.
    Invite {
        token: InviteToken,
        request: NewInvite,
        /// How long the link works: [`crate::team::INVITE_MILLIS`] unless the deployment
        /// says less (tests of expiry).
        #[serde(default)]
        lifetime_millis: Option<i64>,
    },
    /// `DELETE …/team/invites/{invite}`.
    Revoke { invite: InviteId },
    /// `POST …/team/accept`: the signed-in marketer accepts an invite.
    Accept { token: InviteToken },
    /// `PUT …/team/members/{email}`.
    SetRole { email: Email, role: Role },
    /// `DELETE …/team/members/{email}`.
    Remove { email: Email },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum TeamReply {
    Team(Team),
    Created(CreatedInvite),
    Revoked(InviteView),
    JoinedTeam(JoinedTeam),
    /// The teammate after a role change, or as they were before their removal.
    Teammate(Teammate),
}

impl TeamReply {
    pub fn into_body(self) -> Result<serde_json::Value, ApiError> {
        let value = match self {
            Self::Team(v) => serde_json::to_value(v),
            Self::Created(v) => serde_json::to_value(v),
            Self::Revoked(v) => serde_json::to_value(v),
            Self::JoinedTeam(v) => serde_json::to_value(v),
            Self::Teammate(v) => serde_json::to_value(v),
        };
        value.map_err(|e| ApiError::new(ErrorCode::Internal, format!("encoding a reply: {e}")))
    }
}

pub async fn handle(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    command: TeamCommand,
    now: Timestamp,
) -> Result<Outcome, ApiError> {
    let reply = match command {
        TeamCommand::Get => TeamReply::Team(team(store, slug, actor, now).await?),
        TeamCommand::Invite {
            token,
            request,
            lifetime_millis,
        } => {
            let lifetime = lifetime_millis.unwrap_or(INVITE_MILLIS);
            TeamReply::Created(invite(store, slug, actor, token, (request, lifetime), now).await?)
        }
        TeamCommand::Revoke { invite } => {
            TeamReply::Revoked(revoke(store, slug, actor, invite, now).await?)
        }
        TeamCommand::Accept { token } => {
            TeamReply::JoinedTeam(accept(store, slug, actor, token, now).await?)
        }
        TeamCommand::SetRole { email, role } => {
            TeamReply::Teammate(change(store, slug, actor, email, Some(role), now).await?)
        }
        TeamCommand::Remove { email } => {
            TeamReply::Teammate(change(store, slug, actor, email, None, now).await?)
        }
    };
    Ok(Outcome::read(Reply::Team(reply)))
}

/// The staff member behind `actor` (the operator as an owner), with their email; members
/// and strangers are refused.
async fn staff(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<(moderation::Actor, Email, Role), ApiError> {
    let who = moderator(store, slug, actor, now).await?;
    let role = match who.role {
        moderation::ActorRole::Owner => Role::Owner,
        moderation::ActorRole::Admin => Role::Admin,
        moderation::ActorRole::Moderator => Role::Moderator,
        moderation::ActorRole::MemberModerator | moderation::ActorRole::Member => {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "only the community's staff see its team",
            ));
        }
    };
    let ActorRef::Staff { email } = who.who.clone() else {
        return Err(ApiError::new(
            ErrorCode::Forbidden,
            "only the community's staff see its team",
        ));
    };
    Ok((who, email, role))
}

/// Every teammate, owners first, then admins and moderators, each by email.
async fn teammates(store: &impl Store) -> Result<Vec<Teammate>, ApiError> {
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.list(tkeys::STAFF, after.as_deref(), 200).await?;
        for (key, value) in page.entries {
            let email = Email::parse(&key[tkeys::STAFF.len()..]);
            let role = serde_json::from_str::<Role>(&value);
            if let (Ok(email), Ok(role)) = (email, role) {
                all.push(Teammate { email, role });
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    all.sort_by(|a, b| a.role.cmp(&b.role).then_with(|| a.email.cmp(&b.email)));
    Ok(all)
}

/// Every stored invite with its storage key.
async fn invites(store: &impl Store) -> Result<Vec<(String, Invite)>, ApiError> {
    let mut all = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.list(tkeys::INVITES, after.as_deref(), 200).await?;
        for (key, value) in page.entries {
            if let Ok(invite) = serde_json::from_str::<Invite>(&value) {
                all.push((key, invite));
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    Ok(all)
}

fn audit(
    who: &moderation::Actor,
    action: AuditAction,
    target: &Email,
    now: Timestamp,
) -> AuditEntry {
    AuditEntry {
        at: now,
        actor: who.who.clone(),
        role: who.role,
        action,
        target: AuditTarget::Staff {
            email: target.clone(),
        },
        reason: ModReason::default(),
    }
}

async fn team(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<Team, ApiError> {
    let (who, _, you) = staff(store, slug, actor, now).await?;
    let can_manage = who.can(Action::ManageTeam);
    let mut pending: Vec<InviteView> = if can_manage {
        invites(store)
            .await?
            .into_iter()
            .filter(|(_, invite)| invite.is_open(now))
            .map(|(_, invite)| invite.view())
            .collect()
    } else {
        Vec::new()
    };
    pending.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    Ok(Team {
        you,
        can_manage,
        teammates: teammates(store).await?,
        invites: pending,
    })
}

async fn invite(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    token: InviteToken,
    (request, lifetime): (NewInvite, i64),
    now: Timestamp,
) -> Result<CreatedInvite, ApiError> {
    let (who, by, _) = staff(store, slug, actor, now).await?;
    let wanted = (request.email, request.role);
    let created = Invite::new(&who, &by, &token, wanted, lifetime, now)?;
    if get_json::<Role>(store, &keys::staff(&created.email))
        .await?
        .is_some()
    {
        return Err(TeamError::AlreadyTeammate.into());
    }
    let stored = invites(store).await?;
    let mut batch = Batch::new();
    let mut open = 0;
    for (key, old) in &stored {
        if old.is_open(now) {
            if old.email == created.email {
                return Err(TeamError::AlreadyInvited.into());
            }
            open += 1;
        } else if old.is_stale(now) {
            batch.delete(key.clone());
        }
    }
    let team = teammates(store).await?.len();
    if open >= MAX_PENDING || team + open >= MAX_TEAM {
        return Err(TeamError::Full.into());
    }
    let key = tkeys::invite(&token.digest());
    if store.get(&key).await?.is_some() {
        return Err(TeamError::BadToken.into());
    }
    batch.put_json(key, &created)?;
    let entry = audit(
        &who,
        AuditAction::InviteStaff { role: created.role },
        &created.email,
        now,
    );
    commit_audited(store, batch, &entry).await?;
    Ok(CreatedInvite {
        invite: created.view(),
        path: CreatedInvite::path_of(slug, &token),
        token,
    })
}

async fn revoke(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: InviteId,
    now: Timestamp,
) -> Result<InviteView, ApiError> {
    let (who, by, _) = staff(store, slug, actor, now).await?;
    let prefix = tkeys::invite(id.as_str());
    let page = store.list(&prefix, None, 2).await?;
    let [(key, value)] = page.entries.as_slice() else {
        return Err(TeamError::NoInvite.into());
    };
    let mut invite = serde_json::from_str::<Invite>(value).map_err(|_| TeamError::NoInvite)?;
    if invite.id != id {
        return Err(TeamError::NoInvite.into());
    }
    invite.revoke(&who, &by, now)?;
    let mut batch = Batch::new();
    batch.put_json(key.clone(), &invite)?;
    let entry = audit(
        &who,
        AuditAction::RevokeInvite { role: invite.role },
        &invite.email,
        now,
    );
    commit_audited(store, batch, &entry).await?;
    Ok(invite.view())
}

async fn accept(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    token: InviteToken,
    now: Timestamp,
) -> Result<JoinedTeam, ApiError> {
    let Actor::Marketer { email } = actor else {
        return Err(ApiError::new(
            ErrorCode::Unauthenticated,
            "sign in to the dashboard to accept an invite",
        ));
    };
    load_community(store, slug).await?;
    let key = tkeys::invite(&token.digest());
    let mut invite = get_json::<Invite>(store, &key)
        .await?
        .ok_or(TeamError::Unknown)?;
    let role = invite.accept(email, now)?;
    if get_json::<Role>(store, &keys::staff(email))
        .await?
        .is_some()
    {
        return Err(TeamError::AlreadyOnTeam.into());
    }
    let mut batch = Batch::new();
    batch.put_json(key, &invite)?;
    batch.put_json(keys::staff(email), &role)?;
    let who = moderation::Actor::staff(email.clone(), role);
    let entry = audit(&who, AuditAction::AcceptInvite { role }, email, now);
    commit_audited(store, batch, &entry).await?;
    Ok(JoinedTeam {
        slug: slug.clone(),
        role,
    })
}

/// Changes a teammate's role, or removes them (`to: None`).
async fn change(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    email: Email,
    to: Option<Role>,
    now: Timestamp,
) -> Result<Teammate, ApiError> {
    let (who, _, _) = staff(store, slug, actor, now).await?;
    let key = keys::staff(&email);
    let from = get_json::<Role>(store, &key)
        .await?
        .ok_or(TeamError::NoTeammate)?;
    let owners = teammates(store)
        .await?
        .iter()
        .filter(|t| t.role == Role::Owner)
        .count();
    check_change(&who, from, to, owners)?;
    let mut batch = Batch::new();
    match to {
        Some(role) => {
            batch.put_json(key, &role)?;
        }
        None => {
            batch.delete(key);
        }
    }
    let entry = audit(
        &who,
        AuditAction::ChangeStaffRole {
            from: Some(from),
            to,
        },
        &email,
        now,
    );
    commit_audited(store, batch, &entry).await?;
    Ok(Teammate {
        email,
        role: to.unwrap_or(from),
    })
}
