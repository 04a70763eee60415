//! Moderation: reports, pre-moderation, hide/restore, bans, roles, the audit log.
//!
//! Pure state and transitions. Every moderation action returns an [`AuditEntry`] that the
//! application layer appends in the same batch as the change it records.
//!
//! | key | value |
//! | --- | --- |
//! | `mod/settings` | [`ModerationSettings`] (absent: no pre-moderation) |
//! | `mod/report/{target}` | [`ReportCase`]: the reports about one target, `{target}` = [`Target::key_segment`] |
//! | `mod/open/{target}` | [`QueueEntry`] while the case has open reports (deleted on resolution), so the queue is one `list` |
//! | `mod/ban/{member_id}` | [`Ban`] (deleted on unban; an expired ban may linger harmlessly) |
//! | `mod/role/{member_id}` | [`MemberRole`] (absent: a plain member) |
//! | `mod/audit/{at:019}-{audit_id}` | [`AuditEntry`], see [`AuditEntry::storage_key`]; written once, never changed |
//! | `mod/audit-seq` | `u64`: the last [`AuditId`] handed out by `app::membership` (zero-padded to 12 digits) |
//! | `mod/open/pending-{target}` | [`QueueEntry`] with `pending_since`: a post or reply waiting for review, see [`pending_key`] |
//!
//! Staff roles (owner, admin, moderator) belong to marketer accounts and live in the
//! community's staff list (`staff/{email}`, see [`crate::accounts::Role`]; invites and
//! team changes in [`crate::team`]); member moderators are members given powers here.
//! [`can`] is the one table of who may do what.
//! Talk embeds a post's [`Visibility`] in its thread and reply records: [`screen_new_post`]
//! sets it on creation, and hide/restore/approve/reject change the record (and its feed
//! entries) in the same batch as the audit entry, so reads never look anything up here.

use serde::{Deserialize, Serialize};

use crate::accounts::{Email, Role};
use crate::error::{ApiError, ErrorCode};
use crate::ids::{BoundedText, BrandTag, MemberId, ParseError, short_id};
use crate::recognition::BadgeId;
use crate::talk::{ReplyId, ThreadId};
use crate::time::Timestamp;

pub mod spam;
use spam::{HeldFor, PostSignals, SpamSignals};

/// Why a moderator acted, or a note on a decision: up to 500 characters, may be empty.
pub type ModReason = BoundedText<0, 500>;
/// What a reporter adds: up to 500 characters (required for [`ReportReason::Other`]).
pub type ReportNote = BoundedText<0, 500>;

// ---------------------------------------------------------------------------------------------
// Who acts, and what they may do
// ---------------------------------------------------------------------------------------------

/// A role as far as permissions go, most powerful first: the three staff roles of marketer
/// accounts, then member moderators and members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActorRole {
    Owner,
    Admin,
    Moderator,
    MemberModerator,
    Member,
}

impl ActorRole {
    /// Most powerful first.
    pub const ALL: [Self; 5] = [
        Self::Owner,
        Self::Admin,
        Self::Moderator,
        Self::MemberModerator,
        Self::Member,
    ];

    /// Higher is more powerful: owner 4 … member 0.
    pub fn rank(self) -> u8 {
        match self {
            Self::Owner => 4,
            Self::Admin => 3,
            Self::Moderator => 2,
            Self::MemberModerator => 1,
            Self::Member => 0,
        }
    }

    /// The table's column for this role.
    fn column(self) -> usize {
        usize::from(4 - self.rank())
    }
}

impl From<Role> for ActorRole {
    fn from(role: Role) -> Self {
        match role {
            Role::Owner => Self::Owner,
            Role::Admin => Self::Admin,
            Role::Moderator => Self::Moderator,
        }
    }
}

impl From<MemberRole> for ActorRole {
    fn from(role: MemberRole) -> Self {
        match role {
            MemberRole::Member => Self::Member,
            MemberRole::MemberModerator => Self::MemberModerator,
        }
    }
}

/// What a member can be made in a community ("members manage members"). Stored at
/// `mod/role/{member_id}`; absent means [`MemberRole::Member`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    #[default]
    Member,
    MemberModerator,
}

/// Everything the permission table decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Write a thread or a reply (a ban still refuses it: see [`check_write`]).
    Post,
    Report,
    /// Publish without pre-moderation.
    SkipPreModeration,
    ViewQueue,
    HideContent,
    RestoreContent,
    /// Approve or reject a pending post.
    ReviewPending,
    ResolveReports,
    Ban,
    Unban,
    ViewAuditLog,
    /// Appoint or remove member moderators and staff below oneself.
    ChangeRoles,
    /// Invite marketers to the team by link, change teammates' roles, remove teammates: up
    /// to one's own role (owners any role, owners included; admins admins and moderators,
    /// never an owner). The last owner is never removed or demoted (see [`crate::team`]).
    ManageTeam,
    /// Moderation settings (pre-moderation) and the community's settings.
    ChangeSettings,
    /// Publish, edit, cancel events and change their capacity.
    ManageEvents,
    /// Mark a member present at an event without the code.
    MarkAttendance,
}

impl Action {
    pub const ALL: [Self; 16] = [
        Self::Post,
        Self::Report,
        Self::SkipPreModeration,
        Self::ViewQueue,
        Self::HideContent,
        Self::RestoreContent,
        Self::ReviewPending,
        Self::ResolveReports,
        Self::Ban,
        Self::Unban,
        Self::ViewAuditLog,
        Self::ChangeRoles,
        Self::ManageTeam,
        Self::ChangeSettings,
        Self::ManageEvents,
        Self::MarkAttendance,
    ];
}

const Y: bool = true;
const N: bool = false;

/// The permission table, one row per action. Columns: owner, admin, moderator,
/// member moderator, member. A `match`, so a new action cannot be forgotten.
fn row(action: Action) -> [bool; 5] {
    match action {
        Action::Post => [Y, Y, Y, Y, Y],
        Action::Report => [Y, Y, Y, Y, Y],
        Action::SkipPreModeration => [Y, Y, Y, Y, N],
        Action::ViewQueue => [Y, Y, Y, Y, N],
        Action::HideContent => [Y, Y, Y, Y, N],
        Action::RestoreContent => [Y, Y, Y, Y, N],
        Action::ReviewPending => [Y, Y, Y, Y, N],
        Action::ResolveReports => [Y, Y, Y, Y, N],
        Action::Ban => [Y, Y, Y, N, N],
        Action::Unban => [Y, Y, Y, N, N],
        Action::ViewAuditLog => [Y, Y, Y, N, N],
        Action::MarkAttendance => [Y, Y, Y, N, N],
        Action::ChangeRoles => [Y, Y, N, N, N],
        Action::ManageTeam => [Y, Y, N, N, N],
        Action::ChangeSettings => [Y, Y, N, N, N],
        Action::ManageEvents => [Y, Y, N, N, N],
    }
}

/// Whether someone with `role` may do `action`.
pub fn can(role: ActorRole, action: Action) -> bool {
    row(action).get(role.column()).copied().unwrap_or(false)
}

/// Who did something, for the record.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActorRef {
    /// A marketer on the dashboard.
    Staff { email: Email },
    /// A member (a member moderator, when acting here).
    Member { id: MemberId },
    /// The community's own rules (the report threshold, see [`spam`]).
    Community,
}

/// Someone acting in moderation, with the role the application layer looked up (never taken
/// from the request). A banned member moderator should not be made an `Actor`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub who: ActorRef,
    pub role: ActorRole,
}

impl Actor {
    pub fn staff(email: Email, role: Role) -> Self {
        Self {
            who: ActorRef::Staff { email },
            role: role.into(),
        }
    }

    pub fn member(id: MemberId, role: MemberRole) -> Self {
        Self {
            who: ActorRef::Member { id },
            role: role.into(),
        }
    }

    pub fn can(&self, action: Action) -> bool {
        can(self.role, action)
    }

    fn require(&self, action: Action) -> Result<(), Forbidden> {
        if self.can(action) {
            Ok(())
        } else {
            Err(Forbidden { action })
        }
    }
}

/// The actor's role does not allow the action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("your role does not allow this ({action:?})")]
pub struct Forbidden {
    pub action: Action,
}

impl From<Forbidden> for ApiError {
    fn from(e: Forbidden) -> Self {
        ApiError::new(ErrorCode::Forbidden, e.to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// Targets and the audit log
// ---------------------------------------------------------------------------------------------

/// Content a moderator can hide: a thread's opening post, or a reply in a thread.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ContentRef {
    Post { thread: ThreadId },
    Reply { thread: ThreadId, reply: ReplyId },
}

/// What a report is about.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    Post { thread: ThreadId },
    Reply { thread: ThreadId, reply: ReplyId },
    Member { member: MemberId },
}

impl Target {
    /// The target inside storage keys: `post:{thread}`, `reply:{thread}:{reply}`,
    /// `member:{member}`. Never contains `/`; the kind prefix keeps it unambiguous.
    pub fn key_segment(&self) -> String {
        match self {
            Self::Post { thread } => format!("post:{thread}"),
            Self::Reply { thread, reply } => format!("reply:{thread}:{reply}"),
            Self::Member { member } => format!("member:{member}"),
        }
    }
}

impl From<ContentRef> for Target {
    fn from(c: ContentRef) -> Self {
        match c {
            ContentRef::Post { thread } => Self::Post { thread },
            ContentRef::Reply { thread, reply } => Self::Reply { thread, reply },
        }
    }
}

/// What a moderation action was about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AuditTarget {
    Post { thread: ThreadId },
    Reply { thread: ThreadId, reply: ReplyId },
    Member { member: MemberId },
    Staff { email: Email },
    Settings,
}

impl From<Target> for AuditTarget {
    fn from(t: Target) -> Self {
        match t {
            Target::Post { thread } => Self::Post { thread },
            Target::Reply { thread, reply } => Self::Reply { thread, reply },
            Target::Member { member } => Self::Member { member },
        }
    }
}

impl From<ContentRef> for AuditTarget {
    fn from(c: ContentRef) -> Self {
        Target::from(c).into()
    }
}

/// What a moderation action did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AuditAction {
    Hide,
    Restore,
    Approve,
    Reject,
    ResolveReports {
        decision: Decision,
        reports: u32,
    },
    Ban {
        until: Option<Timestamp>,
    },
    Unban,
    ChangeMemberRole {
        from: MemberRole,
        to: MemberRole,
    },
    ChangeStaffRole {
        from: Option<Role>,
        to: Option<Role>,
    },
    ChangeSettings {
        settings: ModerationSettings,
    },
    /// Staff put one of the community's own tags on a member (`app::members`).
    TagMember {
        tag: BrandTag,
    },
    /// Staff took one of the community's own tags off a member.
    UntagMember {
        tag: BrandTag,
    },
    /// Staff added or took away points by hand (`app::points`); the reason is the ledger's note.
    AdjustPoints {
        delta: i64,
    },
    /// Staff gave a member a badge.
    GrantBadge {
        badge: BadgeId,
    },
    /// Staff took a badge back.
    RevokeBadge {
        badge: BadgeId,
    },
    /// A marketer was invited to the team with this role (`app::team`).
    InviteStaff {
        role: Role,
    },
    /// A pending invite was withdrawn.
    RevokeInvite {
        role: Role,
    },
    /// The invited marketer accepted and joined with this role.
    AcceptInvite {
        role: Role,
    },
    /// Published content went back to review after this many reports (the community's
    /// report threshold, by [`ActorRef::Community`]).
    HoldForReview {
        reports: u32,
    },
}

/// One line of the append-only audit log: who, with which role, did what, to what, when,
/// and why. Every moderation function here returns one; the application layer writes it
/// under [`AuditEntry::storage_key`] in the same batch, and never rewrites or deletes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuditEntry {
    pub at: Timestamp,
    pub actor: ActorRef,
    pub role: ActorRole,
    pub action: AuditAction,
    pub target: AuditTarget,
    pub reason: ModReason,
}

impl AuditEntry {
    fn new(
        actor: &Actor,
        action: AuditAction,
        target: impl Into<AuditTarget>,
        reason: ModReason,
        now: Timestamp,
    ) -> Self {
        Self {
            at: now,
            actor: actor.who.clone(),
            role: actor.role,
            action,
            target: target.into(),
            reason,
        }
    }

    /// `mod/audit/{at:019}-{id}`: listing the prefix reads the log oldest first; the
    /// caller's unique `id` keeps two entries of the same millisecond apart.
    pub fn storage_key(&self, id: &AuditId) -> String {
        format!("mod/audit/{:019}-{id}", self.at.millis().max(0))
    }
}

short_id!(
    /// The caller-made id of an audit entry: 1–40 characters of `a-z 0-9 -`.
    AuditId,
    "an audit id"
);

// ---------------------------------------------------------------------------------------------
// Pre-moderation
// ---------------------------------------------------------------------------------------------

/// Which new members' posts wait for review: their first `first_posts` posts, and/or while
/// they are younger than `younger_than_days` days. At least one of the two is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "NewMemberRuleFields")]
pub struct NewMemberRule {
    first_posts: Option<u32>,
    younger_than_days: Option<u32>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NewMemberRuleFields {
    #[serde(default)]
    first_posts: Option<u32>,
    #[serde(default)]
    younger_than_days: Option<u32>,
}

impl TryFrom<NewMemberRuleFields> for NewMemberRule {
    type Error = ParseError;
    fn try_from(f: NewMemberRuleFields) -> Result<Self, Self::Error> {
        Self::new(f.first_posts, f.younger_than_days)
    }
}

impl NewMemberRule {
    pub const MAX_POSTS: u32 = 100;
    pub const MAX_DAYS: u32 = 365;

    pub fn new(
        first_posts: Option<u32>,
        younger_than_days: Option<u32>,
    ) -> Result<Self, ParseError> {
        if first_posts.is_none() && younger_than_days.is_none() {
            return Err(ParseError::Invalid {
                what: "the new-member rule",
                why: "set a number of first posts, a number of days, or both",
            });
        }
        if first_posts.is_some_and(|n| !(1..=Self::MAX_POSTS).contains(&n)) {
            return Err(ParseError::Length {
                what: "the number of first posts to review",
                min: 1,
                max: Self::MAX_POSTS as usize,
            });
        }
        if younger_than_days.is_some_and(|d| !(1..=Self::MAX_DAYS).contains(&d)) {
            return Err(ParseError::Length {
                what: "the number of days a member counts as new",
                min: 1,
                max: Self::MAX_DAYS as usize,
            });
        }
        Ok(Self {
            first_posts,
            younger_than_days,
        })
    }

    pub fn first_posts(&self) -> Option<u32> {
        self.first_posts
    }

    pub fn younger_than_days(&self) -> Option<u32> {
        self.younger_than_days
    }

    /// `published_posts < first_posts`, or `now - joined_at < days`.
    fn applies_to(&self, author: &AuthorStanding, now: Timestamp) -> bool {
        let few_posts = self.first_posts.is_some_and(|n| author.published_posts < n);
        let young = self.younger_than_days.is_some_and(|d| {
            now.millis().saturating_sub(author.joined_at.millis())
                < i64::from(d).saturating_mul(Timestamp::DAY)
        });
        few_posts || young
    }
}

/// Whether new posts wait for a moderator before anyone sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum PreModeration {
    #[default]
    Off,
    /// Every post of every member.
    AllPosts,
    /// Posts of new members only.
    NewMembers(NewMemberRule),
}

/// A community's moderation settings, stored at `mod/settings`; also the request and
/// response of `PUT/GET /api/v1/admin/moderation/settings`. Fields left out take their
/// defaults (spam signals on, content held after 3 reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ModerationSettings {
    #[serde(default)]
    pub pre_moderation: PreModeration,
    #[serde(default)]
    pub spam: SpamSignals,
    /// Open reports from different members that send a published post or reply back to
    /// review, out of sight until a moderator approves or rejects it (0: never).
    #[serde(default = "default_hide_after_reports")]
    pub hide_after_reports: u8,
}

fn default_hide_after_reports() -> u8 {
    spam::DEFAULT_HIDE_AFTER_REPORTS
}

impl Default for ModerationSettings {
    fn default() -> Self {
        Self {
            pre_moderation: PreModeration::default(),
            spam: SpamSignals::default(),
            hide_after_reports: spam::DEFAULT_HIDE_AFTER_REPORTS,
        }
    }
}

/// Where the community's [`ModerationSettings`] are stored.
pub const SETTINGS_KEY: &str = "mod/settings";

/// What pre-moderation needs to know about the author of a new post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuthorStanding {
    pub role: ActorRole,
    pub joined_at: Timestamp,
    /// Posts (threads and replies) of theirs that were published, not counting pending ones.
    pub published_posts: u32,
}

/// Whether a new post is published at once or waits for review. Staff and member
/// moderators never wait.
pub fn screen_new_post(
    settings: &ModerationSettings,
    author: &AuthorStanding,
    now: Timestamp,
) -> Visibility {
    if can(author.role, Action::SkipPreModeration) {
        return Visibility::Published;
    }
    let pending = match settings.pre_moderation {
        PreModeration::Off => false,
        PreModeration::AllPosts => true,
        PreModeration::NewMembers(rule) => rule.applies_to(author, now),
    };
    if pending {
        Visibility::Pending { since: now }
    } else {
        Visibility::Published
    }
}

/// [`screen_new_post`], then the spam signals: the visibility of a new post and, when it
/// waits, why. Staff and member moderators never wait.
pub fn screen_post(
    settings: &ModerationSettings,
    author: &AuthorStanding,
    signals: PostSignals,
    now: Timestamp,
) -> (Visibility, Option<HeldFor>) {
    let visibility = screen_new_post(settings, author, now);
    if !visibility.is_public() {
        return (visibility, Some(HeldFor::PreModeration));
    }
    if can(author.role, Action::SkipPreModeration) {
        return (visibility, None);
    }
    let new_member = author.published_posts < u32::from(settings.spam.links_until_posts);
    let held = if signals.has_link && new_member {
        Some(HeldFor::LinkFromNewMember)
    } else if signals.repeats_recent && settings.spam.repeated_text {
        Some(HeldFor::RepeatedText)
    } else {
        None
    };
    match held {
        Some(_) => (Visibility::Pending { since: now }, held),
        None => (visibility, None),
    }
}

/// Changes the moderation settings (owner and admin).
pub fn change_settings(
    actor: &Actor,
    settings: &mut ModerationSettings,
    new: ModerationSettings,
    reason: ModReason,
    now: Timestamp,
) -> Result<AuditEntry, Forbidden> {
    actor.require(Action::ChangeSettings)?;
    *settings = new;
    Ok(AuditEntry::new(
        actor,
        AuditAction::ChangeSettings { settings: new },
        AuditTarget::Settings,
        reason,
        now,
    ))
}

// ---------------------------------------------------------------------------------------------
// Visibility of content: pending, published, hidden
// ---------------------------------------------------------------------------------------------

/// Who can see a post or reply. Talk embeds this in its records.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Visibility {
    #[default]
    Published,
    /// Waiting for review: only the author and moderators see it.
    Pending { since: Timestamp },
    /// Taken down by a moderator: only moderators (and the author, marked hidden) see it.
    Hidden {
        by: ActorRef,
        at: Timestamp,
        reason: ModReason,
    },
}

/// Why a change of visibility was refused. A refusal changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VisibilityError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("it is already hidden")]
    AlreadyHidden,
    #[error("it is not hidden")]
    NotHidden,
    #[error("it is not waiting for review")]
    NotPending,
    #[error("it is not published")]
    NotPublished,
}

impl From<VisibilityError> for ApiError {
    fn from(e: VisibilityError) -> Self {
        match e {
            VisibilityError::Forbidden(f) => f.into(),
            VisibilityError::AlreadyHidden
            | VisibilityError::NotHidden
            | VisibilityError::NotPending
            | VisibilityError::NotPublished => ApiError::new(ErrorCode::Conflict, e.to_string()),
        }
    }
}

impl Visibility {
    /// Whether everyone may see it.
    pub fn is_public(&self) -> bool {
        matches!(self, Self::Published)
    }

    /// Hides published or pending content.
    pub fn hide(
        &mut self,
        actor: &Actor,
        content: ContentRef,
        reason: ModReason,
        now: Timestamp,
    ) -> Result<AuditEntry, VisibilityError> {
        actor.require(Action::HideContent)?;
        if matches!(self, Self::Hidden { .. }) {
            return Err(VisibilityError::AlreadyHidden);
        }
        *self = Self::Hidden {
            by: actor.who.clone(),
            at: now,
            reason: reason.clone(),
        };
        Ok(AuditEntry::new(
            actor,
            AuditAction::Hide,
            content,
            reason,
            now,
        ))
    }

    /// Publishes hidden content again.
    pub fn restore(
        &mut self,
        actor: &Actor,
        content: ContentRef,
        reason: ModReason,
        now: Timestamp,
    ) -> Result<AuditEntry, VisibilityError> {
        actor.require(Action::RestoreContent)?;
        if !matches!(self, Self::Hidden { .. }) {
            return Err(VisibilityError::NotHidden);
        }
        *self = Self::Published;
        Ok(AuditEntry::new(
            actor,
            AuditAction::Restore,
            content,
            reason,
            now,
        ))
    }

    /// Sends published content back to review after `reports` reports (the community's
    /// threshold acting, not a moderator): out of sight until approved or rejected.
    pub fn hold_for_review(
        &mut self,
        content: ContentRef,
        reports: u32,
        now: Timestamp,
    ) -> Result<AuditEntry, VisibilityError> {
        if !self.is_public() {
            return Err(VisibilityError::NotPublished);
        }
        *self = Self::Pending { since: now };
        let community = Actor {
            who: ActorRef::Community,
            role: ActorRole::Member,
        };
        Ok(AuditEntry::new(
            &community,
            AuditAction::HoldForReview { reports },
            content,
            ModReason::default(),
            now,
        ))
    }

    /// Publishes pending content.
    pub fn approve(
        &mut self,
        actor: &Actor,
        content: ContentRef,
        now: Timestamp,
    ) -> Result<AuditEntry, VisibilityError> {
        actor.require(Action::ReviewPending)?;
        if !matches!(self, Self::Pending { .. }) {
            return Err(VisibilityError::NotPending);
        }
        *self = Self::Published;
        Ok(AuditEntry::new(
            actor,
            AuditAction::Approve,
            content,
            ModReason::default(),
            now,
        ))
    }

    /// Refuses pending content: it stays hidden.
    pub fn reject(
        &mut self,
        actor: &Actor,
        content: ContentRef,
        reason: ModReason,
        now: Timestamp,
    ) -> Result<AuditEntry, VisibilityError> {
        actor.require(Action::ReviewPending)?;
        if !matches!(self, Self::Pending { .. }) {
            return Err(VisibilityError::NotPending);
        }
        *self = Self::Hidden {
            by: actor.who.clone(),
            at: now,
            reason: reason.clone(),
        };
        Ok(AuditEntry::new(
            actor,
            AuditAction::Reject,
            content,
            reason,
            now,
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Reports and the queue
// ---------------------------------------------------------------------------------------------

/// Why a member reports something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ReportReason {
    Spam,
    Abuse,
    OffTopic,
    /// Needs a note saying what is wrong.
    Other,
}

/// One member's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub reporter: MemberId,
    pub reason: ReportReason,
    pub note: ReportNote,
    pub at: Timestamp,
}

/// How a moderator closed the open reports about a target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Nothing wrong: the reports are dismissed.
    Dismissed,
    /// Something was done (hidden, banned), recorded by its own audit entry.
    ActionTaken,
}

/// The last time the reports about a target were resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    pub by: ActorRef,
    pub at: Timestamp,
    pub decision: Decision,
    pub reports: u32,
    pub note: ModReason,
}

/// Reports about one target, stored at `mod/report/{target}`. Open reports are kept up to
/// [`ReportCase::MAX_OPEN`] (one per reporter); beyond that they are only counted, so the
/// value stays small however viral the target.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportCase {
    target: Target,
    open: Vec<Report>,
    /// Open reports past [`ReportCase::MAX_OPEN`], counted but not kept.
    #[serde(default)]
    overflow: u32,
    #[serde(default)]
    last_resolution: Option<Resolution>,
}

/// `POST /api/v1/reports` (member).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportRequest {
    pub target: Target,
    pub reason: ReportReason,
    #[serde(default)]
    pub note: ReportNote,
}

/// A report was filed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportFiled {
    /// Open reports about the target, this one included.
    pub open_reports: u32,
}

/// Why a report was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("say what is wrong when the reason is `other`")]
    OtherNeedsNote,
    #[error("you cannot report yourself")]
    SelfReport,
    #[error("you already reported this; a moderator will look at it")]
    AlreadyReported,
}

impl From<ReportError> for ApiError {
    fn from(e: ReportError) -> Self {
        let code = match e {
            ReportError::OtherNeedsNote | ReportError::SelfReport => ErrorCode::InvalidInput,
            ReportError::AlreadyReported => ErrorCode::Conflict,
        };
        ApiError::new(code, e.to_string())
    }
}

/// `POST /api/v1/admin/reports/resolve` (moderators).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    pub target: Target,
    pub decision: Decision,
    #[serde(default)]
    pub note: ModReason,
}

/// Why a resolution was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("there are no open reports about this")]
    NothingOpen,
}

impl From<ResolveError> for ApiError {
    fn from(e: ResolveError) -> Self {
        match e {
            ResolveError::Forbidden(f) => f.into(),
            ResolveError::NothingOpen => ApiError::new(ErrorCode::NotFound, e.to_string()),
        }
    }
}

/// How many open reports give each reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReasonCounts {
    pub spam: u32,
    pub abuse: u32,
    pub off_topic: u32,
    pub other: u32,
}

impl ReasonCounts {
    fn add(&mut self, reason: ReportReason) {
        let slot = match reason {
            ReportReason::Spam => &mut self.spam,
            ReportReason::Abuse => &mut self.abuse,
            ReportReason::OffTopic => &mut self.off_topic,
            ReportReason::Other => &mut self.other,
        };
        *slot = slot.saturating_add(1);
    }
}

/// One line of the moderation queue: a target and its open reports, grouped. Stored at
/// `mod/open/{target}` and returned by `GET /api/v1/admin/reports`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QueueEntry {
    pub target: Target,
    pub reports: u32,
    pub reasons: ReasonCounts,
    pub first_reported_at: Timestamp,
    pub last_reported_at: Timestamp,
    /// The latest non-empty notes, newest first, at most [`QueueEntry::MAX_NOTES`].
    pub notes: Vec<String>,
    /// Set on a post waiting for review (pre-moderation), stored at [`pending_key`]: when it
    /// was posted. Such an entry has no reports; approving or rejecting removes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pending_since: Option<Timestamp>,
    /// Why a pending post waits (pre-moderation, a spam signal, reports).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held_for: Option<HeldFor>,
}

impl QueueEntry {
    pub const MAX_NOTES: usize = 3;

    /// The queue line of content waiting for review since `since`.
    pub fn pending(content: ContentRef, since: Timestamp) -> Self {
        Self {
            target: content.into(),
            reports: 0,
            reasons: ReasonCounts::default(),
            first_reported_at: since,
            last_reported_at: since,
            notes: Vec::new(),
            pending_since: Some(since),
            held_for: None,
        }
    }

    /// The same line, saying why the content waits.
    pub fn because(self, held_for: Option<HeldFor>) -> Self {
        Self { held_for, ..self }
    }
}

/// Where the queue line of a post or reply waiting for review lives:
/// `mod/open/pending-{target}` (beside the report lines, so the queue stays one `list`).
pub fn pending_key(content: &ContentRef) -> String {
    format!(
        "mod/open/pending-{}",
        Target::from(content.clone()).key_segment()
    )
}

/// Orders the queue: most reported first, then the longest waiting, then by target.
pub fn order_queue(entries: &mut [QueueEntry]) {
    entries.sort_by(|a, b| {
        b.reports
            .cmp(&a.reports)
            .then(a.first_reported_at.cmp(&b.first_reported_at))
            .then_with(|| a.target.cmp(&b.target))
    });
}

impl ReportCase {
    /// Reports kept per target while open.
    pub const MAX_OPEN: usize = 100;

    pub fn new(target: Target) -> Self {
        Self {
            target,
            open: Vec::new(),
            overflow: 0,
            last_resolution: None,
        }
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    pub fn open_reports(&self) -> &[Report] {
        &self.open
    }

    pub fn open_count(&self) -> u32 {
        u32::try_from(self.open.len())
            .unwrap_or(u32::MAX)
            .saturating_add(self.overflow)
    }

    pub fn is_open(&self) -> bool {
        self.open_count() > 0
    }

    pub fn last_resolution(&self) -> Option<&Resolution> {
        self.last_resolution.as_ref()
    }

    /// Files a member's report: one open report per reporter; `other` needs a note; a
    /// member cannot report themselves. A report after a resolution opens a new round.
    pub fn file(
        &mut self,
        reporter: MemberId,
        reason: ReportReason,
        note: ReportNote,
        now: Timestamp,
    ) -> Result<ReportFiled, ReportError> {
        if reason == ReportReason::Other && note.as_str().is_empty() {
            return Err(ReportError::OtherNeedsNote);
        }
        if matches!(&self.target, Target::Member { member } if *member == reporter) {
            return Err(ReportError::SelfReport);
        }
        if self.open.iter().any(|r| r.reporter == reporter) {
            return Err(ReportError::AlreadyReported);
        }
        if self.open.len() < Self::MAX_OPEN {
            self.open.push(Report {
                reporter,
                reason,
                note,
                at: now,
            });
        } else {
            self.overflow = self.overflow.saturating_add(1);
        }
        Ok(ReportFiled {
            open_reports: self.open_count(),
        })
    }

    /// Closes every open report about the target with one decision.
    pub fn resolve(
        &mut self,
        actor: &Actor,
        decision: Decision,
        note: ModReason,
        now: Timestamp,
    ) -> Result<AuditEntry, ResolveError> {
        actor.require(Action::ResolveReports)?;
        if !self.is_open() {
            return Err(ResolveError::NothingOpen);
        }
        let reports = self.open_count();
        self.open.clear();
        self.overflow = 0;
        self.last_resolution = Some(Resolution {
            by: actor.who.clone(),
            at: now,
            decision,
            reports,
            note: note.clone(),
        });
        Ok(AuditEntry::new(
            actor,
            AuditAction::ResolveReports { decision, reports },
            self.target.clone(),
            note,
            now,
        ))
    }

    /// The case's line in the queue; `None` when nothing is open (delete `mod/open/{target}`).
    pub fn queue_entry(&self) -> Option<QueueEntry> {
        let first = self.open.first()?;
        let mut reasons = ReasonCounts::default();
        for r in &self.open {
            reasons.add(r.reason);
        }
        Some(QueueEntry {
            target: self.target.clone(),
            reports: self.open_count(),
            reasons,
            first_reported_at: first.at,
            last_reported_at: self.open.iter().map(|r| r.at).max().unwrap_or(first.at),
            notes: self
                .open
                .iter()
                .rev()
                .filter(|r| !r.note.as_str().is_empty())
                .take(QueueEntry::MAX_NOTES)
                .map(|r| r.note.to_string())
                .collect(),
            pending_since: None,
            held_for: None,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Bans
// ---------------------------------------------------------------------------------------------

/// How long a ban lasts: 1–3650 days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u32", into = "u32")]
pub struct BanDays(u32);

impl BanDays {
    pub const MAX: u32 = 3650;

    pub fn new(days: u32) -> Result<Self, ParseError> {
        if (1..=Self::MAX).contains(&days) {
            Ok(Self(days))
        } else {
            Err(ParseError::Length {
                what: "the ban length in days",
                min: 1,
                max: Self::MAX as usize,
            })
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for BanDays {
    type Error = ParseError;
    fn try_from(days: u32) -> Result<Self, Self::Error> {
        Self::new(days)
    }
}

impl From<BanDays> for u32 {
    fn from(d: BanDays) -> Self {
        d.0
    }
}

/// A member's ban, stored at `mod/ban/{member_id}`. In force from when it was imposed until
/// `until` (exclusive), or for good when `until` is `None`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ban {
    pub member: MemberId,
    pub by: ActorRef,
    pub at: Timestamp,
    pub until: Option<Timestamp>,
    pub reason: ModReason,
}

/// `POST /api/v1/admin/bans` (staff). `days: null` bans for good.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BanRequest {
    pub member: MemberId,
    #[serde(default)]
    pub days: Option<BanDays>,
    #[serde(default)]
    pub reason: ModReason,
}

/// `DELETE /api/v1/admin/bans/{member}` (staff).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnbanRequest {
    #[serde(default)]
    pub reason: ModReason,
}

/// Why a ban was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BanError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
}

impl From<BanError> for ApiError {
    fn from(e: BanError) -> Self {
        match e {
            BanError::Forbidden(f) => f.into(),
        }
    }
}

/// Why an unban was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UnbanError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("this member is not banned")]
    NotBanned,
}

impl From<UnbanError> for ApiError {
    fn from(e: UnbanError) -> Self {
        match e {
            UnbanError::Forbidden(f) => f.into(),
            UnbanError::NotBanned => ApiError::new(ErrorCode::NotFound, e.to_string()),
        }
    }
}

impl Ban {
    /// Bans `member` for `days`, or for good; replaces any earlier ban. Only staff may ban,
    /// and every staff role outranks every member role (member moderators included), so
    /// nobody bans a peer. A banned member moderator keeps the role but cannot act: the
    /// application layer checks the ban before making them an [`Actor`].
    pub fn impose(
        actor: &Actor,
        member: MemberId,
        days: Option<BanDays>,
        reason: ModReason,
        now: Timestamp,
    ) -> Result<(Self, AuditEntry), BanError> {
        actor.require(Action::Ban)?;
        let until =
            days.map(|d| now.plus_millis(i64::from(d.get()).saturating_mul(Timestamp::DAY)));
        let audit = AuditEntry::new(
            actor,
            AuditAction::Ban { until },
            Target::Member {
                member: member.clone(),
            },
            reason.clone(),
            now,
        );
        let ban = Self {
            member,
            by: actor.who.clone(),
            at: now,
            until,
            reason,
        };
        Ok((ban, audit))
    }

    /// In force at `now`: `until` is absent or still ahead (`now < until`).
    pub fn is_active(&self, now: Timestamp) -> bool {
        self.until.is_none_or(|until| now < until)
    }
}

/// Whether `member` is banned at `now`, given the ban stored for them (if any).
pub fn is_banned(ban: Option<&Ban>, member: &MemberId, now: Timestamp) -> bool {
    ban.is_some_and(|b| &b.member == member && b.is_active(now))
}

/// Lifts a ban in force (the caller deletes `mod/ban/{member_id}`).
pub fn lift_ban(
    actor: &Actor,
    ban: Option<&Ban>,
    reason: ModReason,
    now: Timestamp,
) -> Result<AuditEntry, UnbanError> {
    actor.require(Action::Unban)?;
    let ban = ban
        .filter(|b| b.is_active(now))
        .ok_or(UnbanError::NotBanned)?;
    Ok(AuditEntry::new(
        actor,
        AuditAction::Unban,
        Target::Member {
            member: ban.member.clone(),
        },
        reason,
        now,
    ))
}

/// A member may not write (post, reply, react, report, sign up) right now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteRefused {
    #[error("you are banned from this community{}", until_text(*until))]
    Banned { until: Option<Timestamp> },
}

fn until_text(until: Option<Timestamp>) -> String {
    match until.and_then(Timestamp::utc) {
        Some(t) => format!(" until {}", t.format("%Y-%m-%d %H:%M UTC")),
        None => String::new(),
    }
}

impl From<WriteRefused> for ApiError {
    fn from(e: WriteRefused) -> Self {
        ApiError::new(ErrorCode::Banned, e.to_string())
    }
}

/// The write-permission check every member write goes through first.
pub fn check_write(
    ban: Option<&Ban>,
    member: &MemberId,
    now: Timestamp,
) -> Result<(), WriteRefused> {
    match ban {
        Some(b) if is_banned(Some(b), member, now) => Err(WriteRefused::Banned { until: b.until }),
        _ => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------------------------

/// `PUT /api/v1/admin/members/{member}/role` (owner, admin).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MemberRoleRequest {
    pub role: MemberRole,
    #[serde(default)]
    pub reason: ModReason,
}

/// Why a role change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleChangeError {
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("you can only grant or remove roles below your own")]
    NotBelowYou,
    #[error("nothing to change")]
    Unchanged,
}

impl From<RoleChangeError> for ApiError {
    fn from(e: RoleChangeError) -> Self {
        match e {
            RoleChangeError::Forbidden(f) => f.into(),
            RoleChangeError::NotBelowYou => ApiError::new(ErrorCode::Forbidden, e.to_string()),
            RoleChangeError::Unchanged => ApiError::new(ErrorCode::Conflict, e.to_string()),
        }
    }
}

fn check_role_change(
    actor: &Actor,
    from: Option<ActorRole>,
    to: Option<ActorRole>,
) -> Result<(), RoleChangeError> {
    actor.require(Action::ChangeRoles)?;
    if from == to {
        return Err(RoleChangeError::Unchanged);
    }
    let below = |r: Option<ActorRole>| r.is_none_or(|r| r.rank() < actor.role.rank());
    if !below(from) || !below(to) {
        return Err(RoleChangeError::NotBelowYou);
    }
    Ok(())
}

/// Makes a member a member moderator or a plain member again (the caller writes
/// `mod/role/{member_id}`).
pub fn change_member_role(
    actor: &Actor,
    member: &MemberId,
    from: MemberRole,
    to: MemberRole,
    reason: ModReason,
    now: Timestamp,
) -> Result<AuditEntry, RoleChangeError> {
    check_role_change(actor, Some(from.into()), Some(to.into()))?;
    Ok(AuditEntry::new(
        actor,
        AuditAction::ChangeMemberRole { from, to },
        Target::Member {
            member: member.clone(),
        },
        reason,
        now,
    ))
}

/// Grants, changes or removes (`None`) a marketer's staff role. Only below one's own rank:
/// the owner appoints admins and moderators, an admin appoints moderators, and nobody
/// grants or removes ownership here.
pub fn change_staff_role(
    actor: &Actor,
    email: &Email,
    from: Option<Role>,
    to: Option<Role>,
    reason: ModReason,
    now: Timestamp,
) -> Result<AuditEntry, RoleChangeError> {
    check_role_change(actor, from.map(Into::into), to.map(Into::into))?;
    Ok(AuditEntry::new(
        actor,
        AuditAction::ChangeStaffRole { from, to },
        AuditTarget::Staff {
            email: email.clone(),
        },
        reason,
        now,
    ))
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    const NOW: Timestamp = Timestamp(1_790_000_000_000);

    fn m(id: &str) -> MemberId {
        MemberId::parse(id).unwrap()
    }

    fn email(raw: &str) -> Email {
        Email::parse(raw).unwrap()
    }

    fn reason(text: &str) -> ModReason {
        ModReason::parse(text).unwrap()
    }

    fn actor(role: ActorRole) -> Actor {
        let staff = |r| Actor::staff(email("staff@brand.example"), r);
        match role {
            ActorRole::Owner => staff(Role::Owner),
            ActorRole::Admin => staff(Role::Admin),
            ActorRole::Moderator => staff(Role::Moderator),
            ActorRole::MemberModerator => Actor::member(m("mm"), MemberRole::MemberModerator),
            ActorRole::Member => Actor::member(m("plain"), MemberRole::Member),
        }
    }

    fn thread(id: &str) -> ThreadId {
        ThreadId::parse(id).unwrap()
    }

    fn post() -> ContentRef {
        ContentRef::Post {
            thread: thread("t1"),
        }
    }

    // --- the permission table ------------------------------------------------------------

    #[test]
    fn the_permission_table_is_exactly_this() {
        use Action::*;
        // Columns: owner, admin, moderator, member moderator, member.
        let expected: &[(Action, &str)] = &[
            (Post, "YYYYY"),
            (Report, "YYYYY"),
            (SkipPreModeration, "YYYY-"),
            (ViewQueue, "YYYY-"),
            (HideContent, "YYYY-"),
            (RestoreContent, "YYYY-"),
            (ReviewPending, "YYYY-"),
            (ResolveReports, "YYYY-"),
            (Ban, "YYY--"),
            (Unban, "YYY--"),
            (ViewAuditLog, "YYY--"),
            (MarkAttendance, "YYY--"),
            (ChangeRoles, "YY---"),
            (ManageTeam, "YY---"),
            (ChangeSettings, "YY---"),
            (ManageEvents, "YY---"),
        ];
        let listed: Vec<Action> = expected.iter().map(|(a, _)| *a).collect();
        for action in Action::ALL {
            assert_eq!(
                listed.iter().filter(|a| **a == action).count(),
                1,
                "{action:?} must appear once in the expected table"
            );
        }
        assert_eq!(listed.len(), Action::ALL.len());
        for (action, grants) in expected {
            for (role, grant) in ActorRole::ALL.into_iter().zip(grants.chars()) {
                assert_eq!(can(role, *action), grant == 'Y', "{role:?} {action:?}");
            }
        }
    }

    #[test]
    fn powers_only_grow_with_rank() {
        for action in Action::ALL {
            for higher in ActorRole::ALL {
                for lower in ActorRole::ALL
                    .into_iter()
                    .filter(|r| r.rank() < higher.rank())
                {
                    assert!(
                        !can(lower, action) || can(higher, action),
                        "{lower:?} may {action:?} but {higher:?} may not"
                    );
                }
            }
        }
    }

    #[test]
    fn member_moderators_moderate_content_but_not_people_or_settings() {
        let mm = ActorRole::MemberModerator;
        for action in [
            Action::HideContent,
            Action::RestoreContent,
            Action::ResolveReports,
            Action::ReviewPending,
            Action::ViewQueue,
        ] {
            assert!(can(mm, action), "{action:?}");
        }
        for action in [
            Action::Ban,
            Action::Unban,
            Action::ChangeRoles,
            Action::ChangeSettings,
        ] {
            assert!(!can(mm, action), "{action:?}");
        }
    }

    #[test]
    fn every_role_that_may_ban_outranks_every_member_role() {
        for role in ActorRole::ALL.into_iter().filter(|r| can(*r, Action::Ban)) {
            for member_role in [MemberRole::Member, MemberRole::MemberModerator] {
                assert!(
                    role.rank() > ActorRole::from(member_role).rank(),
                    "{role:?}"
                );
            }
        }
    }

    #[test]
    fn staff_roles_map_to_their_permission_roles() {
        assert_eq!(ActorRole::from(Role::Owner), ActorRole::Owner);
        assert_eq!(ActorRole::from(Role::Admin), ActorRole::Admin);
        assert_eq!(ActorRole::from(Role::Moderator), ActorRole::Moderator);
        assert_eq!(
            serde_json::to_value(ActorRole::MemberModerator).unwrap(),
            json!("member_moderator")
        );
    }

    // --- pre-moderation ------------------------------------------------------------------

    #[test]
    fn pre_moderation_table() {
        let new_members = |posts, days| ModerationSettings {
            pre_moderation: PreModeration::NewMembers(NewMemberRule::new(posts, days).unwrap()),
            ..ModerationSettings::default()
        };
        let off = ModerationSettings::default();
        let all = ModerationSettings {
            pre_moderation: PreModeration::AllPosts,
            ..ModerationSettings::default()
        };
        let week = 7 * Timestamp::DAY;
        let author = |role, age: i64, posts| AuthorStanding {
            role,
            joined_at: NOW.plus_millis(-age),
            published_posts: posts,
        };
        let member = ActorRole::Member;
        let cases = [
            ("off", off, author(member, 0, 0), false),
            ("all posts", all, author(member, 1000 * week, 500), true),
            (
                "all posts, member moderator",
                all,
                author(ActorRole::MemberModerator, 0, 0),
                false,
            ),
            (
                "all posts, staff",
                all,
                author(ActorRole::Moderator, 0, 0),
                false,
            ),
            (
                "first 3 posts: 2 published",
                new_members(Some(3), None),
                author(member, week, 2),
                true,
            ),
            (
                "first 3 posts: 3 published",
                new_members(Some(3), None),
                author(member, 0, 3),
                false,
            ),
            (
                "younger than 7 days, just under",
                new_members(None, Some(7)),
                author(member, week - 1, 50),
                true,
            ),
            (
                "younger than 7 days, exactly 7",
                new_members(None, Some(7)),
                author(member, week, 0),
                false,
            ),
            (
                "either rule: old but few posts",
                new_members(Some(3), Some(7)),
                author(member, 2 * week, 1),
                true,
            ),
            (
                "either rule: many posts but young",
                new_members(Some(3), Some(7)),
                author(member, 0, 9),
                true,
            ),
            (
                "either rule: old with posts",
                new_members(Some(3), Some(7)),
                author(member, week, 3),
                false,
            ),
        ];
        for (what, settings, author, pending) in cases {
            let got = screen_new_post(&settings, &author, NOW);
            assert_eq!(
                got,
                if pending {
                    Visibility::Pending { since: NOW }
                } else {
                    Visibility::Published
                },
                "{what}"
            );
        }
    }

    #[test]
    fn new_member_rules_are_checked_when_parsed() {
        let cases = [
            (json!({"mode": "off"}), true),
            (json!({"mode": "all_posts"}), true),
            (json!({"mode": "new_members", "first_posts": 3}), true),
            (json!({"mode": "new_members", "younger_than_days": 7}), true),
            (
                json!({"mode": "new_members", "first_posts": 3, "younger_than_days": 7}),
                true,
            ),
            (json!({"mode": "new_members"}), false),
            (json!({"mode": "new_members", "first_posts": 0}), false),
            (json!({"mode": "new_members", "first_posts": 101}), false),
            (
                json!({"mode": "new_members", "younger_than_days": 366}),
                false,
            ),
            (
                json!({"mode": "new_members", "first_posts": 3, "extra": 1}),
                false,
            ),
            (json!({"mode": "sometimes"}), false),
        ];
        for (value, ok) in cases {
            let parsed = serde_json::from_value::<PreModeration>(value.clone());
            assert_eq!(parsed.is_ok(), ok, "{value}");
            if let Ok(p) = parsed {
                assert_eq!(
                    serde_json::from_value::<PreModeration>(serde_json::to_value(p).unwrap())
                        .unwrap(),
                    p
                );
            }
        }
        assert_eq!(
            serde_json::from_value::<ModerationSettings>(json!({})).unwrap(),
            ModerationSettings::default()
        );
    }

    #[test]
    fn only_owners_and_admins_change_settings_and_it_is_audited() {
        let new = ModerationSettings {
            pre_moderation: PreModeration::AllPosts,
            ..ModerationSettings::default()
        };
        for role in ActorRole::ALL {
            let mut settings = ModerationSettings::default();
            let result =
                change_settings(&actor(role), &mut settings, new, reason("spam wave"), NOW);
            let allowed = matches!(role, ActorRole::Owner | ActorRole::Admin);
            assert_eq!(result.is_ok(), allowed, "{role:?}");
            assert_eq!(settings == new, allowed, "{role:?}");
            if let Ok(entry) = result {
                assert_eq!(entry.target, AuditTarget::Settings);
                assert_eq!(entry.action, AuditAction::ChangeSettings { settings: new });
            }
        }
    }

    // --- visibility ----------------------------------------------------------------------

    #[derive(Debug, Clone, Copy)]
    enum Op {
        Hide,
        Restore,
        Approve,
        Reject,
    }

    fn apply(v: &mut Visibility, op: Op, by: &Actor) -> Result<AuditEntry, VisibilityError> {
        match op {
            Op::Hide => v.hide(by, post(), reason("r"), NOW),
            Op::Restore => v.restore(by, post(), reason("r"), NOW),
            Op::Approve => v.approve(by, post(), NOW),
            Op::Reject => v.reject(by, post(), reason("r"), NOW),
        }
    }

    #[test]
    fn visibility_transitions_table() {
        let by = actor(ActorRole::MemberModerator);
        let hidden = Visibility::Hidden {
            by: by.who.clone(),
            at: NOW,
            reason: reason("r"),
        };
        let pending = Visibility::Pending { since: NOW };
        let published = Visibility::Published;
        let cases = [
            (published.clone(), Op::Hide, Ok(hidden.clone())),
            (
                published.clone(),
                Op::Restore,
                Err(VisibilityError::NotHidden),
            ),
            (
                published.clone(),
                Op::Approve,
                Err(VisibilityError::NotPending),
            ),
            (
                published.clone(),
                Op::Reject,
                Err(VisibilityError::NotPending),
            ),
            (pending.clone(), Op::Hide, Ok(hidden.clone())),
            (
                pending.clone(),
                Op::Restore,
                Err(VisibilityError::NotHidden),
            ),
            (pending.clone(), Op::Approve, Ok(published.clone())),
            (pending.clone(), Op::Reject, Ok(hidden.clone())),
            (
                hidden.clone(),
                Op::Hide,
                Err(VisibilityError::AlreadyHidden),
            ),
            (hidden.clone(), Op::Restore, Ok(published.clone())),
            (
                hidden.clone(),
                Op::Approve,
                Err(VisibilityError::NotPending),
            ),
            (hidden.clone(), Op::Reject, Err(VisibilityError::NotPending)),
        ];
        for (start, op, want) in cases {
            let mut v = start.clone();
            match (apply(&mut v, op, &by), want) {
                (Ok(_), Ok(end)) => assert_eq!(v, end, "{start:?} {op:?}"),
                (Err(got), Err(want)) => {
                    assert_eq!(got, want, "{start:?} {op:?}");
                    assert_eq!(v, start, "a refusal changes nothing: {start:?} {op:?}");
                    assert_eq!(ApiError::from(got).code, ErrorCode::Conflict);
                }
                (got, want) => panic!("{start:?} {op:?}: got {got:?}, want {want:?}"),
            }
        }
        assert!(published.is_public());
        assert!(!pending.is_public() && !hidden.is_public());
    }

    #[test]
    fn plain_members_cannot_change_visibility() {
        let by = actor(ActorRole::Member);
        for op in [Op::Hide, Op::Restore, Op::Approve, Op::Reject] {
            let mut v = Visibility::Pending { since: NOW };
            let err = apply(&mut v, op, &by).unwrap_err();
            assert!(matches!(err, VisibilityError::Forbidden(_)), "{op:?}");
            assert_eq!(ApiError::from(err).code, ErrorCode::Forbidden);
            assert_eq!(v, Visibility::Pending { since: NOW });
        }
    }

    #[test]
    fn hiding_writes_who_what_target_when_and_why() {
        let by = actor(ActorRole::MemberModerator);
        let mut v = Visibility::Published;
        let reply = ContentRef::Reply {
            thread: thread("t1"),
            reply: ReplyId::parse("r9").unwrap(),
        };
        let entry = v.hide(&by, reply, reason("insults"), NOW).unwrap();
        assert_eq!(
            serde_json::to_value(&entry).unwrap(),
            json!({
                "at": NOW.0,
                "actor": {"kind": "member", "id": "mm"},
                "role": "member_moderator",
                "action": {"type": "hide"},
                "target": {"kind": "reply", "thread": "t1", "reply": "r9"},
                "reason": "insults"
            })
        );
        let back: AuditEntry =
            serde_json::from_value(serde_json::to_value(&entry).unwrap()).unwrap();
        assert_eq!(back, entry);
    }

    #[test]
    fn audit_keys_sort_by_time_then_id() {
        let mut v = Visibility::Published;
        let entry = v
            .hide(&actor(ActorRole::Admin), post(), reason(""), Timestamp(42))
            .unwrap();
        let id = AuditId::parse("a1").unwrap();
        assert_eq!(entry.storage_key(&id), "mod/audit/0000000000000000042-a1");
        let later = AuditEntry {
            at: NOW,
            ..entry.clone()
        };
        assert!(entry.storage_key(&id) < later.storage_key(&AuditId::parse("0").unwrap()));
        assert!(AuditId::parse("A").is_err() && AuditId::parse("").is_err());
    }

    // --- reports -------------------------------------------------------------------------

    fn note(text: &str) -> ReportNote {
        ReportNote::parse(text).unwrap()
    }

    #[test]
    fn target_key_segments_and_wire_shape() {
        let cases = [
            (
                Target::Post {
                    thread: thread("t1"),
                },
                "post:t1",
                json!({"kind": "post", "thread": "t1"}),
            ),
            (
                Target::Reply {
                    thread: thread("t1"),
                    reply: ReplyId::parse("r2").unwrap(),
                },
                "reply:t1:r2",
                json!({"kind": "reply", "thread": "t1", "reply": "r2"}),
            ),
            (
                Target::Member { member: m("wx:o1") },
                "member:wx:o1",
                json!({"kind": "member", "member": "wx:o1"}),
            ),
        ];
        for (target, key, wire) in cases {
            assert_eq!(target.key_segment(), key);
            assert!(!target.key_segment().contains('/'));
            assert_eq!(serde_json::to_value(&target).unwrap(), wire);
        }
        let request: ReportRequest = serde_json::from_value(
            json!({"target": {"kind": "post", "thread": "t1"}, "reason": "off_topic"}),
        )
        .unwrap();
        assert_eq!(request.reason, ReportReason::OffTopic);
        assert_eq!(request.note.as_str(), "");
    }

    #[test]
    fn report_refusals_table() {
        let member_case = || ReportCase::new(Target::Member { member: m("bob") });
        let cases = [
            (
                "ann",
                ReportReason::Other,
                "",
                ReportError::OtherNeedsNote,
                ErrorCode::InvalidInput,
            ),
            (
                "bob",
                ReportReason::Abuse,
                "",
                ReportError::SelfReport,
                ErrorCode::InvalidInput,
            ),
        ];
        for (reporter, why, text, want, wire) in cases {
            let mut case = member_case();
            let err = case.file(m(reporter), why, note(text), NOW).unwrap_err();
            assert_eq!(err, want);
            assert_eq!(ApiError::from(err).code, wire);
            assert!(!case.is_open());
        }
        let mut case = member_case();
        case.file(m("ann"), ReportReason::Spam, note(""), NOW)
            .unwrap();
        let err = case
            .file(m("ann"), ReportReason::Abuse, note(""), NOW)
            .unwrap_err();
        assert_eq!(err, ReportError::AlreadyReported);
        assert_eq!(ApiError::from(err).code, ErrorCode::Conflict);
        assert_eq!(case.open_count(), 1);
    }

    #[test]
    fn the_queue_groups_reports_per_target() {
        let mut case = ReportCase::new(Target::Post {
            thread: thread("t1"),
        });
        let filings = [
            ("ann", ReportReason::Spam, "ads", 0),
            ("bob", ReportReason::Spam, "", 5),
            ("cy", ReportReason::Other, "fake giveaway", 9),
            ("dee", ReportReason::Abuse, "rude", 3),
        ];
        for (i, (who, why, text, minute)) in filings.iter().enumerate() {
            let filed = case
                .file(
                    m(who),
                    *why,
                    note(text),
                    NOW.plus_millis(minute * Timestamp::MINUTE),
                )
                .unwrap();
            assert_eq!(filed.open_reports as usize, i + 1);
        }
        let entry = case.queue_entry().unwrap();
        assert_eq!(entry.reports, 4);
        assert_eq!(
            entry.reasons,
            ReasonCounts {
                spam: 2,
                abuse: 1,
                off_topic: 0,
                other: 1
            }
        );
        assert_eq!(entry.first_reported_at, NOW);
        assert_eq!(
            entry.last_reported_at,
            NOW.plus_millis(9 * Timestamp::MINUTE)
        );
        assert_eq!(entry.notes, ["rude", "fake giveaway", "ads"]);
    }

    #[test]
    fn resolving_closes_every_open_report_and_a_new_report_reopens_the_case() {
        let mut case = ReportCase::new(Target::Post {
            thread: thread("t1"),
        });
        case.file(m("ann"), ReportReason::Spam, note(""), NOW)
            .unwrap();
        case.file(m("bob"), ReportReason::Spam, note(""), NOW)
            .unwrap();

        let err = case
            .resolve(
                &actor(ActorRole::Member),
                Decision::Dismissed,
                reason(""),
                NOW,
            )
            .unwrap_err();
        assert_eq!(ApiError::from(err).code, ErrorCode::Forbidden);
        assert_eq!(case.open_count(), 2);

        let by = actor(ActorRole::MemberModerator);
        let entry = case
            .resolve(&by, Decision::ActionTaken, reason("hidden"), NOW)
            .unwrap();
        assert_eq!(
            entry.action,
            AuditAction::ResolveReports {
                decision: Decision::ActionTaken,
                reports: 2
            }
        );
        assert_eq!(
            entry.target,
            AuditTarget::Post {
                thread: thread("t1")
            }
        );
        assert!(!case.is_open());
        assert_eq!(case.queue_entry(), None);
        assert_eq!(case.last_resolution().map(|r| r.reports), Some(2));

        let err = case
            .resolve(&by, Decision::Dismissed, reason(""), NOW)
            .unwrap_err();
        assert_eq!(err, ResolveError::NothingOpen);
        assert_eq!(ApiError::from(err).code, ErrorCode::NotFound);

        // The same member may report again in a new round.
        case.file(m("ann"), ReportReason::Abuse, note(""), NOW)
            .unwrap();
        assert_eq!(case.queue_entry().map(|e| e.reports), Some(1));
    }

    #[test]
    fn reports_past_the_ceiling_are_counted_not_kept() {
        let mut case = ReportCase::new(Target::Post {
            thread: thread("viral"),
        });
        for i in 0..(ReportCase::MAX_OPEN + 5) {
            case.file(m(&format!("m{i}")), ReportReason::Spam, note(""), NOW)
                .unwrap();
        }
        assert_eq!(case.open_reports().len(), ReportCase::MAX_OPEN);
        assert_eq!(case.open_count() as usize, ReportCase::MAX_OPEN + 5);
        let stored: ReportCase =
            serde_json::from_str(&serde_json::to_string(&case).unwrap()).unwrap();
        assert_eq!(stored, case);
        let entry = case
            .clone()
            .resolve(
                &actor(ActorRole::Admin),
                Decision::Dismissed,
                reason(""),
                NOW,
            )
            .unwrap();
        assert_eq!(
            entry.action,
            AuditAction::ResolveReports {
                decision: Decision::Dismissed,
                reports: 105
            }
        );
    }

    #[test]
    fn the_queue_puts_the_most_reported_then_the_oldest_first() {
        let entry = |thread_id: &str, reports, minute: i64| QueueEntry {
            target: Target::Post {
                thread: thread(thread_id),
            },
            reports,
            reasons: ReasonCounts::default(),
            first_reported_at: NOW.plus_millis(minute * Timestamp::MINUTE),
            last_reported_at: NOW,
            notes: vec![],
            pending_since: None,
            held_for: None,
        };
        let mut queue = vec![
            entry("a", 1, 0),
            entry("b", 5, 9),
            entry("c", 5, 2),
            entry("d", 1, 0),
        ];
        order_queue(&mut queue);
        let order: Vec<String> = queue.iter().map(|e| e.target.key_segment()).collect();
        assert_eq!(order, ["post:c", "post:b", "post:a", "post:d"]);
    }

    // --- bans ----------------------------------------------------------------------------

    #[test]
    fn staff_ban_for_a_number_of_days_or_for_good() {
        let by = actor(ActorRole::Moderator);
        let (ban, entry) = Ban::impose(
            &by,
            m("bob"),
            Some(BanDays::new(7).unwrap()),
            reason("spam"),
            NOW,
        )
        .unwrap();
        let until = NOW.plus_millis(7 * Timestamp::DAY);
        assert_eq!(ban.until, Some(until));
        assert_eq!(entry.action, AuditAction::Ban { until: Some(until) });
        assert_eq!(entry.target, AuditTarget::Member { member: m("bob") });
        assert_eq!(
            entry.actor,
            ActorRef::Staff {
                email: email("staff@brand.example")
            }
        );

        let (forever, _) = Ban::impose(&by, m("bob"), None, reason(""), NOW).unwrap();
        assert_eq!(forever.until, None);
        assert!(is_banned(Some(&forever), &m("bob"), Timestamp(i64::MAX)));
    }

    #[test]
    fn only_staff_may_ban() {
        for role in ActorRole::ALL {
            let result = Ban::impose(&actor(role), m("bob"), None, reason(""), NOW);
            assert_eq!(result.is_ok(), can(role, Action::Ban), "{role:?}");
            if let Err(err) = result {
                assert_eq!(ApiError::from(err).code, ErrorCode::Forbidden);
            }
        }
        assert!(serde_json::from_value::<BanRequest>(json!({"member": "bob", "days": 0})).is_err());
        assert!(
            serde_json::from_value::<BanRequest>(json!({"member": "bob", "days": 3651})).is_err()
        );
        let permanent: BanRequest = serde_json::from_value(json!({"member": "bob"})).unwrap();
        assert_eq!(permanent.days, None);
    }

    #[test]
    fn a_ban_ends_exactly_at_its_expiry() {
        let until = NOW.plus_millis(Timestamp::DAY);
        let ban = Ban {
            member: m("bob"),
            by: actor(ActorRole::Admin).who,
            at: NOW,
            until: Some(until),
            reason: reason(""),
        };
        let cases = [
            (NOW, true),
            (until.plus_millis(-1), true),
            (until, false),
            (until.plus_millis(1), false),
        ];
        for (now, banned) in cases {
            assert_eq!(is_banned(Some(&ban), &m("bob"), now), banned, "{now:?}");
            assert_eq!(
                check_write(Some(&ban), &m("bob"), now).is_err(),
                banned,
                "{now:?}"
            );
        }
        assert!(!is_banned(Some(&ban), &m("ann"), NOW), "someone else's ban");
        assert!(!is_banned(None, &m("bob"), NOW));
    }

    #[test]
    fn a_refused_write_says_until_when() {
        let ban = Ban {
            member: m("bob"),
            by: actor(ActorRole::Admin).who,
            at: NOW,
            until: Some(Timestamp(1_790_086_400_000)),
            reason: reason(""),
        };
        let err = ApiError::from(check_write(Some(&ban), &m("bob"), NOW).unwrap_err());
        assert_eq!(err.code, ErrorCode::Banned);
        assert_eq!(
            err.message,
            "you are banned from this community until 2026-09-22 14:13 UTC"
        );
        let forever = Ban { until: None, ..ban };
        let err = ApiError::from(check_write(Some(&forever), &m("bob"), NOW).unwrap_err());
        assert_eq!(err.message, "you are banned from this community");
    }

    #[test]
    fn unbanning_needs_a_ban_in_force_and_the_power_to_ban() {
        let by = actor(ActorRole::Admin);
        let (ban, _) = Ban::impose(
            &by,
            m("bob"),
            Some(BanDays::new(1).unwrap()),
            reason(""),
            NOW,
        )
        .unwrap();
        let entry = lift_ban(&by, Some(&ban), reason("appeal"), NOW).unwrap();
        assert_eq!(entry.action, AuditAction::Unban);
        assert_eq!(entry.reason.as_str(), "appeal");

        let expired = ban.until.unwrap();
        let cases = [
            (
                actor(ActorRole::MemberModerator),
                Some(&ban),
                NOW,
                ErrorCode::Forbidden,
            ),
            (by.clone(), Some(&ban), expired, ErrorCode::NotFound),
            (by.clone(), None, NOW, ErrorCode::NotFound),
        ];
        for (who, ban, now, want) in cases {
            let err = lift_ban(&who, ban, reason(""), now).unwrap_err();
            assert_eq!(ApiError::from(err).code, want, "{who:?} {now:?}");
        }
    }

    // --- roles ---------------------------------------------------------------------------

    #[test]
    fn member_role_changes_table() {
        use MemberRole::{Member as Plain, MemberModerator as Mm};
        let cases = [
            (ActorRole::Owner, Plain, Mm, Ok(())),
            (ActorRole::Admin, Plain, Mm, Ok(())),
            (ActorRole::Admin, Mm, Plain, Ok(())),
            (ActorRole::Admin, Mm, Mm, Err(ErrorCode::Conflict)),
            (ActorRole::Moderator, Plain, Mm, Err(ErrorCode::Forbidden)),
            (
                ActorRole::MemberModerator,
                Plain,
                Mm,
                Err(ErrorCode::Forbidden),
            ),
            (ActorRole::Member, Plain, Mm, Err(ErrorCode::Forbidden)),
        ];
        for (role, from, to, want) in cases {
            let got = change_member_role(&actor(role), &m("ann"), from, to, reason(""), NOW);
            assert_eq!(
                got.as_ref()
                    .map(|_| ())
                    .map_err(|e| ApiError::from(e.clone()).code),
                want,
                "{role:?} {from:?} -> {to:?}"
            );
            if let Ok(entry) = got {
                assert_eq!(entry.action, AuditAction::ChangeMemberRole { from, to });
                assert_eq!(entry.target, AuditTarget::Member { member: m("ann") });
            }
        }
    }

    #[test]
    fn staff_role_changes_only_below_ones_own_rank() {
        use Role::{Admin, Moderator, Owner};
        let cases = [
            (ActorRole::Owner, None, Some(Admin), Ok(())),
            (ActorRole::Owner, Some(Admin), Some(Moderator), Ok(())),
            (ActorRole::Owner, Some(Admin), None, Ok(())),
            (
                ActorRole::Owner,
                None,
                Some(Owner),
                Err(RoleChangeError::NotBelowYou),
            ),
            (
                ActorRole::Owner,
                Some(Owner),
                Some(Admin),
                Err(RoleChangeError::NotBelowYou),
            ),
            (ActorRole::Admin, None, Some(Moderator), Ok(())),
            (ActorRole::Admin, Some(Moderator), None, Ok(())),
            (
                ActorRole::Admin,
                None,
                Some(Admin),
                Err(RoleChangeError::NotBelowYou),
            ),
            (
                ActorRole::Admin,
                Some(Admin),
                None,
                Err(RoleChangeError::NotBelowYou),
            ),
            (
                ActorRole::Admin,
                None,
                None,
                Err(RoleChangeError::Unchanged),
            ),
        ];
        let target = email("new@brand.example");
        for (role, from, to, want) in cases {
            let got = change_staff_role(&actor(role), &target, from, to, reason(""), NOW);
            assert_eq!(
                got.as_ref().map(|_| ()).map_err(Clone::clone),
                want,
                "{role:?} {from:?} -> {to:?}"
            );
            if let Ok(entry) = got {
                assert_eq!(
                    entry.target,
                    AuditTarget::Staff {
                        email: target.clone()
                    }
                );
            }
        }
        let err = change_staff_role(
            &actor(ActorRole::Moderator),
            &target,
            None,
            Some(Moderator),
            reason(""),
            NOW,
        )
        .unwrap_err();
        assert!(matches!(err, RoleChangeError::Forbidden(_)));
        assert_eq!(
            ApiError::from(RoleChangeError::NotBelowYou).code,
            ErrorCode::Forbidden
        );
    }

    // --- properties ----------------------------------------------------------------------

    proptest! {
        /// A ban in force refuses every write; it ends exactly at `until` (exclusive).
        #[test]
        fn a_ban_refuses_writes_until_exactly_its_expiry(
            imposed in 0..2_000_000_000_000i64,
            length in proptest::option::of(1..(400 * Timestamp::DAY)),
            offset in -3i64..3,
            jitter in proptest::bool::ANY,
        ) {
            let until = length.map(|l| Timestamp(imposed + l));
            let ban = Ban {
                member: m("bob"),
                by: ActorRef::Member { id: m("mm") },
                at: Timestamp(imposed),
                until,
                reason: ModReason::default(),
            };
            // Probe right around the boundary, or anywhere in the ban.
            let now = match (until, jitter) {
                (Some(u), true) => u.plus_millis(offset),
                (Some(u), false) => Timestamp(imposed + (u.0 - imposed) / 2 + offset),
                (None, _) => Timestamp(imposed.saturating_add(offset.abs() * Timestamp::DAY * 365)),
            };
            let in_force = until.is_none_or(|u| now < u);
            prop_assert_eq!(check_write(Some(&ban), &m("bob"), now).is_err(), in_force);
            prop_assert_eq!(is_banned(Some(&ban), &m("bob"), now), in_force);
            if in_force {
                let err = ApiError::from(check_write(Some(&ban), &m("bob"), now).unwrap_err());
                prop_assert_eq!(err.code, ErrorCode::Banned);
            }
            prop_assert!(check_write(Some(&ban), &m("ann"), now).is_ok());
        }

        /// The queue entry counts every accepted report; resolving empties it.
        #[test]
        fn the_queue_counts_each_reporter_once(reporters in proptest::collection::vec(0..12u8, 0..40)) {
            let mut case = ReportCase::new(Target::Post { thread: thread("t") });
            let mut distinct = BTreeSet::new();
            for r in &reporters {
                let filed = case.file(m(&format!("m{r}")), ReportReason::Spam, ReportNote::default(), NOW);
                prop_assert_eq!(filed.is_ok(), distinct.insert(*r));
            }
            let reports = case.queue_entry().map_or(0, |e| e.reports as usize);
            prop_assert_eq!(reports, distinct.len());
            if !distinct.is_empty() {
                case.resolve(&actor(ActorRole::MemberModerator), Decision::Dismissed, ModReason::default(), NOW).unwrap();
            }
            prop_assert_eq!(case.queue_entry(), None);
        }

        /// New-member pre-moderation holds a post exactly when one of its rules applies;
        /// staff and member moderators are never held.
        #[test]
        fn new_member_rule_holds_exactly_the_new(
            posts in proptest::option::of(1..20u32),
            days in proptest::option::of(1..30u32),
            published in 0..30u32,
            age in 0..(40 * Timestamp::DAY),
            role_index in 0..5usize,
        ) {
            prop_assume!(posts.is_some() || days.is_some());
            let settings = ModerationSettings {
                pre_moderation: PreModeration::NewMembers(NewMemberRule::new(posts, days).unwrap()),
                ..ModerationSettings::default()
            };
            let role = ActorRole::ALL[role_index];
            let author = AuthorStanding { role, joined_at: NOW.plus_millis(-age), published_posts: published };
            let new = posts.is_some_and(|n| published < n)
                || days.is_some_and(|d| age < i64::from(d) * Timestamp::DAY);
            let held = role == ActorRole::Member && new;
            prop_assert_eq!(
                screen_new_post(&settings, &author, NOW),
                if held { Visibility::Pending { since: NOW } } else { Visibility::Published }
            );
        }
    }

    #[test]
    fn error_codes_table() {
        let cases: Vec<(ApiError, ErrorCode)> = vec![
            (
                Forbidden {
                    action: Action::Ban,
                }
                .into(),
                ErrorCode::Forbidden,
            ),
            (VisibilityError::NotPending.into(), ErrorCode::Conflict),
            (ReportError::AlreadyReported.into(), ErrorCode::Conflict),
            (ResolveError::NothingOpen.into(), ErrorCode::NotFound),
            (UnbanError::NotBanned.into(), ErrorCode::NotFound),
            (
                WriteRefused::Banned { until: None }.into(),
                ErrorCode::Banned,
            ),
            (RoleChangeError::Unchanged.into(), ErrorCode::Conflict),
        ];
        for (err, want) in cases {
            assert_eq!(err.code, want, "{err}");
        }
    }
}
