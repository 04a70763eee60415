//! Notices: whom an action should notify, as values a notifications layer stores.
//!
//! One action gives each member at most one notice, of the most specific kind (a reply to
//! your reply beats a reply to your thread, which beats a mention), and never one to the
//! member who acted.

use serde::{Deserialize, Serialize};

use crate::ids::MemberId;

use super::ids::{ReplyId, ThreadId};

/// Why a member is being told.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// Someone answered the member's reply (or replied under it).
    ReplyToYourReply,
    /// Someone replied in the member's thread.
    ReplyToYourThread,
    /// The member was mentioned in a new or edited post.
    Mention,
    /// The member's reply was accepted as the answer to a question.
    AnswerAccepted,
    /// Staff featured the member's thread.
    ThreadFeatured,
}

/// What a notice points at: a thread, or one reply in it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NoticeTarget {
    pub thread: ThreadId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<ReplyId>,
}

/// One member to notify about one action.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Notice {
    pub kind: NoticeKind,
    pub recipient: MemberId,
    /// Who acted, when a member did (staff working from the dashboard have no member id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<MemberId>,
    pub target: NoticeTarget,
}

/// Collects the notices of one action; add them most specific first.
#[derive(Debug)]
pub(crate) struct Notices {
    actor: Option<MemberId>,
    target: NoticeTarget,
    list: Vec<Notice>,
}

impl Notices {
    pub(crate) fn new(actor: Option<&MemberId>, target: NoticeTarget) -> Self {
        Self {
            actor: actor.cloned(),
            target,
            list: Vec::new(),
        }
    }

    /// Adds a notice unless `recipient` acted or already has one from this action.
    pub(crate) fn add(&mut self, kind: NoticeKind, recipient: &MemberId) {
        if self.actor.as_ref() == Some(recipient)
            || self.list.iter().any(|n| &n.recipient == recipient)
        {
            return;
        }
        self.list.push(Notice {
            kind,
            recipient: recipient.clone(),
            actor: self.actor.clone(),
            target: self.target.clone(),
        });
    }

    pub(crate) fn into_vec(self) -> Vec<Notice> {
        self.list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(id: &str) -> MemberId {
        MemberId::parse(id).unwrap()
    }

    #[test]
    fn one_notice_per_member_the_first_kind_wins_and_never_to_the_actor() {
        let target = NoticeTarget {
            thread: ThreadId::parse("t").unwrap(),
            reply: None,
        };
        let mut notices = Notices::new(Some(&m("me")), target);
        notices.add(NoticeKind::ReplyToYourThread, &m("ann"));
        notices.add(NoticeKind::Mention, &m("ann"));
        notices.add(NoticeKind::Mention, &m("me"));
        notices.add(NoticeKind::Mention, &m("bob"));
        let got: Vec<_> = notices
            .into_vec()
            .into_iter()
            .map(|n| (n.kind, n.recipient.to_string()))
            .collect();
        assert_eq!(
            got,
            [
                (NoticeKind::ReplyToYourThread, "ann".to_owned()),
                (NoticeKind::Mention, "bob".to_owned())
            ]
        );
    }

    #[test]
    fn notice_wire_shape() {
        let notice = Notice {
            kind: NoticeKind::AnswerAccepted,
            recipient: m("ann"),
            actor: None,
            target: NoticeTarget {
                thread: ThreadId::parse("t1").unwrap(),
                reply: Some(ReplyId::parse("r1").unwrap()),
            },
        };
        assert_eq!(
            serde_json::to_value(&notice).unwrap(),
            serde_json::json!({
                "kind": "answer_accepted",
                "recipient": "ann",
                "target": {"thread": "t1", "reply": "r1"}
            })
        );
    }
}
