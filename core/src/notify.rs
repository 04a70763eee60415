//! What members are told and what they did: notifications for a member's inbox, and the
//! activity log that analytics reads. Use cases return these in their `Outcome`; the
//! application layer writes them in the same batch as the change they describe.
//!
//! Storage:
//! * `member/{id}/inbox/{inverted ms, 19 digits}-{n}` → [`Notification`] (newest first)
//! * `member/{id}/inbox-unread` → `u32`; `member/{id}/inbox-seq` → `u64` (keeps ids unique)
//! * `activity/{yyyy-mm-dd}/{ms, 13+ digits}-{member}-{n}` → [`ActivityEvent`] (the
//!   community-local day)
//! * `active/{yyyy-mm-dd}/{member}` → `true` (one key per active member per day: DAU by listing)

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::MemberId;
use crate::time::Timestamp;

/// Everything a member can be notified about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    ReplyToYourThread,
    ReplyToYourReply,
    Mention,
    AnswerAccepted,
    ThreadFeatured,
    BadgeEarned,
    LevelUp,
    EventPromoted,
    EventReminder,
    EventCancelled,
    JoinApproved,
    JoinRejected,
    PointsAdjusted,
    /// A message from the community's staff (an automation's), in `target.message`.
    Message,
    /// An invitation to the event in `target.event`, with the staff's words if any.
    EventInvite,
    /// The daily check-in reminder the member opted in to: not checked in yet today.
    CheckinReminder,
}

/// What a notification points at; every field optional so one shape fits all kinds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationTarget {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thread: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub badge: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<u8>,
    /// The words of a message the community's staff wrote (an automation's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// A notification to deliver: who gets it, and what it says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notify {
    pub recipient: MemberId,
    pub kind: NotificationKind,
    /// The member who acted, if a member did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<MemberId>,
    pub target: NotificationTarget,
}

/// A notification as stored and as the widget lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notification {
    /// The key suffix, stable: used to mark it read.
    pub id: String,
    pub kind: NotificationKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<MemberId>,
    pub target: NotificationTarget,
    pub at: Timestamp,
    pub read: bool,
}

/// What kind of thing a member did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActivityKind {
    Joined,
    CheckedIn,
    Posted,
    Replied,
    Reacted,
    AnswerAccepted,
    SignedUp,
    CancelledSignUp,
    Attended,
    Redeemed,
    Reported,
}

/// One member action, for analytics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityEvent {
    pub member: MemberId,
    pub kind: ActivityKind,
    pub at: Timestamp,
    /// The community-local day it happened on.
    pub day: NaiveDate,
    /// The thread, event or reward it concerns, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
}

/// The inverted, zero-padded timestamp that makes newer keys sort first.
pub fn newest_first(at: Timestamp) -> String {
    format!("{:019}", i64::MAX.saturating_sub(at.millis().max(0)))
}

pub mod keys {
    use chrono::NaiveDate;

    use crate::ids::MemberId;

    pub fn inbox_prefix(member: &MemberId) -> String {
        format!("member/{member}/inbox/")
    }

    pub fn unread(member: &MemberId) -> String {
        format!("member/{member}/inbox-unread")
    }

    /// The next notification number of a member.
    pub fn inbox_seq(member: &MemberId) -> String {
        format!("member/{member}/inbox-seq")
    }

    pub fn active_prefix(day: NaiveDate) -> String {
        format!("active/{day}/")
    }

    pub fn activity_prefix(day: NaiveDate) -> String {
        format!("activity/{day}/")
    }

    pub fn active(day: NaiveDate, member: &MemberId) -> String {
        format!("{}{member}", active_prefix(day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_instants_sort_first() {
        let older = newest_first(Timestamp(1_000));
        let newer = newest_first(Timestamp(2_000));
        assert!(newer < older);
        assert_eq!(newer.len(), 19);
    }
}
