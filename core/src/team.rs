//! A community's team: the marketers who run it, each with a staff [`Role`], and the invites
//! that bring new ones in by link.
//!
//! An invite is a random token (drawn by the worker, 32 bytes as hex) of which only the
//! SHA-256 is stored; the link `/dashboard/#/invite/{slug}/{token}` is in the answer that
//! creates it and nowhere else. It names the community, the role, who invited and the email
//! it is for; it lasts [`INVITE_MILLIS`] (7 days) and is used once.
//!
//! Who may do what (the `ManageTeam` row of [`crate::moderation`]'s permission table):
//! owners invite, promote, demote and remove anyone, owners included; admins do the same for
//! admins and moderators but never touch an owner or make one; moderators only read the
//! team. Nobody removes or demotes the last owner, so a community always has one.
//!
//! Storage (the community's object):
//! * `staff/{email}` → [`Role`] (`app::keys::staff`): the authority on the team
//! * `team/invite/{sha256(token) hex}` → [`Invite`], pending or finished (kept
//!   [`FINISHED_KEPT_MILLIS`] after it was used, revoked or expired, so a used link says so)

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::accounts::{Email, Role, token_digest};
use crate::error::{ApiError, ErrorCode};
use crate::ids::{CommunitySlug, ParseError, short_id};
use crate::moderation::{Action, Actor, ActorRole, Forbidden};
use crate::time::Timestamp;

/// How long an invite link works.
pub const INVITE_MILLIS: i64 = 7 * Timestamp::DAY;
/// How long a used, revoked or expired invite is kept (so its link explains itself).
pub const FINISHED_KEPT_MILLIS: i64 = 30 * Timestamp::DAY;
/// The most pending invites a community holds at once.
pub const MAX_PENDING: usize = 50;
/// The most teammates (with pending invites) a community has.
pub const MAX_TEAM: usize = 100;

/// The secret of an invite link: 32–128 lowercase hex characters. Never stored (only its
/// [`InviteToken::digest`]) and never printed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct InviteToken(String);

impl fmt::Debug for InviteToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("InviteToken(…)")
    }
}

impl InviteToken {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "the invite token";
        let raw = raw.trim();
        ParseError::check_length(WHAT, raw.len(), 32..=128)?;
        if !raw
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(ParseError::Charset {
                what: WHAT,
                allowed: "lowercase hex digits",
            });
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// What is stored: the token's SHA-256, as hex.
    pub fn digest(&self) -> String {
        token_digest(&self.0)
    }
}

impl TryFrom<String> for InviteToken {
    type Error = ParseError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<InviteToken> for String {
    fn from(t: InviteToken) -> Self {
        t.0
    }
}

short_id!(
    /// An invite as the dashboard names it: the first 16 hex digits of its digest (which
    /// tell nothing of the token).
    InviteId,
    "an invite id"
);

impl InviteId {
    /// The id of the invite stored under `digest`.
    pub fn of_digest(digest: &str) -> Result<Self, ParseError> {
        Self::parse(digest.get(..16).unwrap_or(digest))
    }
}

/// Where an invite stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum InviteState {
    Pending,
    Accepted { by: Email, at: Timestamp },
    Revoked { by: Email, at: Timestamp },
}

/// A stored invite (at `team/invite/{digest}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    pub id: InviteId,
    pub email: Email,
    pub role: Role,
    pub invited_by: Email,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub state: InviteState,
}

impl Invite {
    /// A new invite for `email` as `role`, by `actor`, checked against the permission table,
    /// valid for `lifetime_millis` (clamped to 1 ms ..= [`INVITE_MILLIS`]; the deployment
    /// shortens it only for tests).
    pub fn new(
        actor: &Actor,
        by: &Email,
        token: &InviteToken,
        (email, role): (Email, Role),
        lifetime_millis: i64,
        now: Timestamp,
    ) -> Result<Self, TeamError> {
        require_manager(actor)?;
        if !within_reach(actor.role, role) {
            return Err(TeamError::AboveYou);
        }
        Ok(Self {
            id: InviteId::of_digest(&token.digest()).map_err(|_| TeamError::BadToken)?,
            email,
            role,
            invited_by: by.clone(),
            created_at: now,
            expires_at: now.plus_millis(lifetime_millis.clamp(1, INVITE_MILLIS)),
            state: InviteState::Pending,
        })
    }

    /// Pending and not expired at `now`.
    pub fn is_open(&self, now: Timestamp) -> bool {
        self.state == InviteState::Pending && now < self.expires_at
    }

    /// When it stopped being usable, if it has.
    fn finished_at(&self, now: Timestamp) -> Option<Timestamp> {
        match &self.state {
            InviteState::Accepted { at, .. } | InviteState::Revoked { at, .. } => Some(*at),
            InviteState::Pending if now >= self.expires_at => Some(self.expires_at),
            InviteState::Pending => None,
        }
    }

    /// Finished long enough ago to be forgotten.
    pub fn is_stale(&self, now: Timestamp) -> bool {
        self.finished_at(now)
            .is_some_and(|at| now.millis().saturating_sub(at.millis()) >= FINISHED_KEPT_MILLIS)
    }

    /// Uses the invite for the signed-in `email`. It must be pending, unexpired, and for
    /// this email.
    ///
    /// The account's email must be the one invited. Discourse does the same with invites
    /// sent to an address (redeeming one under another email is refused), while its
    /// shareable links carry no address; here every invite grants staff powers, so a
    /// forwarded or leaked link must not hand them to whoever opens it.
    pub fn accept(&mut self, email: &Email, now: Timestamp) -> Result<Role, TeamError> {
        self.usable(now)?;
        if &self.email != email {
            return Err(TeamError::OtherEmail {
                masked: mask(&self.email),
            });
        }
        self.state = InviteState::Accepted {
            by: email.clone(),
            at: now,
        };
        Ok(self.role)
    }

    /// Withdraws a pending invite (owner, or an admin for an invite within their reach).
    pub fn revoke(&mut self, actor: &Actor, by: &Email, now: Timestamp) -> Result<(), TeamError> {
        require_manager(actor)?;
        if !within_reach(actor.role, self.role) {
            return Err(TeamError::AboveYou);
        }
        self.usable(now)?;
        self.state = InviteState::Revoked {
            by: by.clone(),
            at: now,
        };
        Ok(())
    }

    fn usable(&self, now: Timestamp) -> Result<(), TeamError> {
        match &self.state {
            InviteState::Accepted { .. } => Err(TeamError::Used),
            InviteState::Revoked { .. } => Err(TeamError::Revoked),
            InviteState::Pending if now >= self.expires_at => Err(TeamError::Expired),
            InviteState::Pending => Ok(()),
        }
    }

    pub fn view(&self) -> InviteView {
        InviteView {
            id: self.id.clone(),
            email: self.email.clone(),
            role: self.role,
            invited_by: self.invited_by.clone(),
            created_at: self.created_at,
            expires_at: self.expires_at,
        }
    }
}

/// `m***@brand.example`: enough to tell which address an invite was for, not to harvest it.
fn mask(email: &Email) -> String {
    let raw = email.as_str();
    match raw.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

/// Whether someone of `actor` rank may grant, change or remove `role`: roles up to one's own.
fn within_reach(actor: ActorRole, role: Role) -> bool {
    ActorRole::from(role).rank() <= actor.rank()
}

fn require_manager(actor: &Actor) -> Result<(), TeamError> {
    if actor.can(Action::ManageTeam) {
        Ok(())
    } else {
        Err(TeamError::Forbidden(Forbidden {
            action: Action::ManageTeam,
        }))
    }
}

/// Checks a change of a teammate's role (`to: None` removes them). `owners` is how many
/// owners the team has now.
pub fn check_change(
    actor: &Actor,
    from: Role,
    to: Option<Role>,
    owners: usize,
) -> Result<(), TeamError> {
    require_manager(actor)?;
    if to == Some(from) {
        return Err(TeamError::Unchanged);
    }
    if !within_reach(actor.role, from) || to.is_some_and(|to| !within_reach(actor.role, to)) {
        return Err(TeamError::AboveYou);
    }
    if from == Role::Owner && owners <= 1 {
        return Err(TeamError::LastOwner);
    }
    Ok(())
}

/// Why a team change or an invite was refused. A refusal changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error(
        "you can only invite, change or remove roles up to your own (only owners touch owners)"
    )]
    AboveYou,
    #[error("they already have this role")]
    Unchanged,
    #[error("the last owner cannot be removed or demoted; make someone else an owner first")]
    LastOwner,
    #[error("this invite link is not valid; ask for a new one")]
    Unknown,
    #[error("this invite link is not valid")]
    BadToken,
    #[error("this invite was already used; ask for a new one")]
    Used,
    #[error("this invite was revoked; ask for a new one")]
    Revoked,
    #[error("this invite has expired (links last 7 days); ask for a new one")]
    Expired,
    #[error("this invite is for {masked}; sign in with that email to accept it")]
    OtherEmail { masked: String },
    #[error("they are already on this team; change their role instead")]
    AlreadyTeammate,
    #[error("you are already on this team")]
    AlreadyOnTeam,
    #[error("there is already a pending invite for this email; revoke it first")]
    AlreadyInvited,
    #[error("this team is full ({MAX_TEAM} teammates and invites, {MAX_PENDING} pending)")]
    Full,
    #[error("there is no such teammate")]
    NoTeammate,
    #[error("there is no such invite")]
    NoInvite,
}

impl From<TeamError> for ApiError {
    fn from(e: TeamError) -> Self {
        let code = match &e {
            TeamError::Forbidden(_) | TeamError::AboveYou | TeamError::OtherEmail { .. } => {
                ErrorCode::Forbidden
            }
            TeamError::Unknown | TeamError::NoTeammate | TeamError::NoInvite => ErrorCode::NotFound,
            TeamError::BadToken => ErrorCode::InvalidInput,
            TeamError::Unchanged
            | TeamError::LastOwner
            | TeamError::Used
            | TeamError::Revoked
            | TeamError::Expired
            | TeamError::AlreadyTeammate
            | TeamError::AlreadyOnTeam
            | TeamError::AlreadyInvited
            | TeamError::Full => ErrorCode::Conflict,
        };
        ApiError::new(code, e.to_string())
    }
}

// ---- wire types ----

/// A pending invite, as the team page lists it (never its token).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InviteView {
    pub id: InviteId,
    pub email: Email,
    pub role: Role,
    pub invited_by: Email,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
}

/// One teammate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Teammate {
    pub email: Email,
    pub role: Role,
}

/// `GET …/team`: the teammates (owners first, then by email), and the pending invites
/// (empty for whoever may not manage the team).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Team {
    /// The reader's own role (the operator reads as an owner).
    pub you: Role,
    /// Whether the reader may invite, change roles and remove teammates.
    pub can_manage: bool,
    pub teammates: Vec<Teammate>,
    pub invites: Vec<InviteView>,
}

/// `POST …/team/invites`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewInvite {
    /// Trimmed and lower-cased.
    pub email: Email,
    pub role: Role,
}

/// The answer to `POST …/team/invites`: the invite and its link, shown this once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedInvite {
    pub invite: InviteView,
    /// The secret of the link (only its digest is kept).
    pub token: InviteToken,
    /// The dashboard's path that accepts it, to put after the deployment's origin.
    pub path: String,
}

impl CreatedInvite {
    /// The dashboard's accept page for `token` of `slug`.
    pub fn path_of(slug: &CommunitySlug, token: &InviteToken) -> String {
        format!("/dashboard/#/invite/{slug}/{}", token.expose())
    }
}

/// `POST …/team/accept`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AcceptInvite {
    pub token: InviteToken,
}

/// `PUT …/team/members/{email}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RoleChange {
    pub role: Role,
}

/// The answer to accepting an invite: the community joined and the role in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JoinedTeam {
    pub slug: CommunitySlug,
    pub role: Role,
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: Timestamp = Timestamp(1_790_000_000_000);

    fn email(s: &str) -> Email {
        Email::parse(s).unwrap()
    }

    fn staff(role: Role) -> Actor {
        Actor::staff(email("boss@brand.example"), role)
    }

    fn token(c: char) -> InviteToken {
        InviteToken::parse(&c.to_string().repeat(64)).unwrap()
    }

    #[test]
    fn tokens_are_hex_and_never_printed() {
        let cases: &[(&str, bool)] = &[
            (&"a".repeat(64), true),
            (&"0123456789abcdef".repeat(2), true),
            (&"a".repeat(31), false),
            (&"a".repeat(129), false),
            (&"A".repeat(64), false),
            (&"g".repeat(64), false),
        ];
        for &(raw, ok) in cases {
            assert_eq!(InviteToken::parse(raw).is_ok(), ok, "{raw}");
        }
        assert_eq!(format!("{:?}", token('a')), "InviteToken(…)");
        assert_eq!(token('a').digest().len(), 64);
        assert_ne!(token('a').digest(), token('a').expose());
    }

    #[test]
    fn who_may_invite_which_role() {
        use Role::{Admin, Moderator, Owner};
        let cases = [
            (Owner, Owner, Ok(())),
            (Owner, Admin, Ok(())),
            (Owner, Moderator, Ok(())),
            (Admin, Owner, Err(TeamError::AboveYou)),
            (Admin, Admin, Ok(())),
            (Admin, Moderator, Ok(())),
        ];
        for (by, role, want) in cases {
            let got = Invite::new(
                &staff(by),
                &email("boss@brand.example"),
                &token('b'),
                (email("new@brand.example"), role),
                INVITE_MILLIS,
                NOW,
            );
            assert_eq!(got.map(|_| ()), want, "{by:?} invites {role:?}");
        }
        let moderator = Invite::new(
            &staff(Moderator),
            &email("boss@brand.example"),
            &token('b'),
            (email("new@brand.example"), Moderator),
            INVITE_MILLIS,
            NOW,
        );
        assert!(matches!(moderator, Err(TeamError::Forbidden(_))));
    }

    fn invite(role: Role) -> Invite {
        Invite::new(
            &staff(Role::Owner),
            &email("boss@brand.example"),
            &token('c'),
            (email("Mia@Brand.example"), role),
            INVITE_MILLIS,
            NOW,
        )
        .unwrap()
    }

    #[test]
    fn an_invite_is_used_once_by_its_email_within_seven_days() {
        let mut open = invite(Role::Moderator);
        assert_eq!(open.id.as_str(), &token('c').digest()[..16]);
        assert_eq!(open.expires_at, NOW.plus_millis(7 * Timestamp::DAY));
        let other = open.accept(&email("leo@brand.example"), NOW).unwrap_err();
        assert_eq!(
            other,
            TeamError::OtherEmail {
                masked: "m***@brand.example".into()
            }
        );
        assert_eq!(ApiError::from(other).code, ErrorCode::Forbidden);
        assert!(open.is_open(NOW));
        let role = open.accept(&email("mia@brand.example"), NOW).unwrap();
        assert_eq!(role, Role::Moderator);
        assert!(!open.is_open(NOW));
        assert_eq!(
            open.accept(&email("mia@brand.example"), NOW),
            Err(TeamError::Used)
        );

        let mut late = invite(Role::Admin);
        let expiry = NOW.plus_millis(INVITE_MILLIS);
        assert!(late.is_open(expiry.plus_millis(-1)));
        assert_eq!(
            late.accept(&email("mia@brand.example"), expiry),
            Err(TeamError::Expired)
        );
        assert!(!late.is_stale(expiry.plus_millis(FINISHED_KEPT_MILLIS - 1)));
        assert!(late.is_stale(expiry.plus_millis(FINISHED_KEPT_MILLIS)));

        let mut revoked = invite(Role::Admin);
        revoked
            .revoke(&staff(Role::Admin), &email("boss@brand.example"), NOW)
            .unwrap();
        assert_eq!(
            revoked.accept(&email("mia@brand.example"), NOW),
            Err(TeamError::Revoked)
        );
        assert_eq!(
            revoked.revoke(&staff(Role::Owner), &email("boss@brand.example"), NOW),
            Err(TeamError::Revoked)
        );
        let mut owners = invite(Role::Owner);
        assert_eq!(
            owners.revoke(&staff(Role::Admin), &email("boss@brand.example"), NOW),
            Err(TeamError::AboveYou)
        );
        for e in [TeamError::Used, TeamError::Revoked, TeamError::Expired] {
            assert_eq!(ApiError::from(e).code, ErrorCode::Conflict);
        }
        assert_eq!(ApiError::from(TeamError::Unknown).code, ErrorCode::NotFound);
    }

    #[test]
    fn role_changes_table() {
        use Role::{Admin, Moderator, Owner};
        let cases = [
            (Owner, Admin, Some(Owner), 1, Ok(())),
            (Owner, Owner, Some(Admin), 2, Ok(())),
            (Owner, Owner, None, 2, Ok(())),
            (Owner, Owner, Some(Admin), 1, Err(TeamError::LastOwner)),
            (Owner, Owner, None, 1, Err(TeamError::LastOwner)),
            (
                Owner,
                Moderator,
                Some(Moderator),
                1,
                Err(TeamError::Unchanged),
            ),
            (Admin, Moderator, Some(Admin), 1, Ok(())),
            (Admin, Admin, Some(Moderator), 1, Ok(())),
            (Admin, Admin, None, 1, Ok(())),
            (Admin, Moderator, Some(Owner), 1, Err(TeamError::AboveYou)),
            (Admin, Owner, Some(Admin), 2, Err(TeamError::AboveYou)),
            (Admin, Owner, None, 2, Err(TeamError::AboveYou)),
        ];
        for (by, from, to, owners, want) in cases {
            assert_eq!(
                check_change(&staff(by), from, to, owners),
                want,
                "{by:?}: {from:?} -> {to:?} with {owners} owners"
            );
        }
        assert!(matches!(
            check_change(&staff(Moderator), Moderator, None, 1),
            Err(TeamError::Forbidden(_))
        ));
    }
}
