//! Q&A: the accepted answer of a question. Only the question's author or staff accept; one
//! answer at a time, changeable; the outcome names the answer's author so that points and
//! badges can follow.

use crate::error::{ApiError, ErrorCode};
use crate::ids::MemberId;

use super::Actor;
use super::ids::ReplyId;
use super::notice::{Notice, NoticeKind, Notices};
use super::reply::Reply;
use super::thread::{Thread, ThreadKind};

/// Why an answer was not accepted (or cleared).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AcceptAnswerError {
    #[error("only questions have accepted answers")]
    NotAQuestion,
    #[error("only the question's author or staff may accept an answer")]
    NotAllowed,
    #[error("that reply is not in this thread")]
    NotInThread,
    #[error("that reply was deleted")]
    ReplyDeleted,
}

impl From<AcceptAnswerError> for ApiError {
    fn from(e: AcceptAnswerError) -> Self {
        let code = match e {
            AcceptAnswerError::NotAQuestion => ErrorCode::InvalidInput,
            AcceptAnswerError::NotAllowed => ErrorCode::Forbidden,
            AcceptAnswerError::NotInThread | AcceptAnswerError::ReplyDeleted => ErrorCode::NotFound,
        };
        ApiError::new(code, e.to_string())
    }
}

/// An answer was accepted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerAccepted {
    pub reply: ReplyId,
    /// Who wrote the accepted answer: points and badges follow them.
    pub answer_author: MemberId,
    /// Who asked (equal to `answer_author` when someone accepts their own reply).
    pub question_author: MemberId,
    /// The answer accepted before, now replaced (its award may be reversed).
    pub replaced: Option<ReplyId>,
    /// False when `reply` was already the accepted answer (nothing changed).
    pub changed: bool,
    pub notices: Vec<Notice>,
}

fn may_accept(actor: &Actor, thread: &Thread) -> Result<MemberId, AcceptAnswerError> {
    if thread.kind != ThreadKind::Question {
        return Err(AcceptAnswerError::NotAQuestion);
    }
    let asker = thread.author().ok_or(AcceptAnswerError::NotAQuestion)?;
    if !(actor.is_staff() || actor.is(asker)) {
        return Err(AcceptAnswerError::NotAllowed);
    }
    Ok(asker.clone())
}

/// Accepts `reply` as the answer to the question `thread`, replacing any earlier one.
pub fn accept_answer(
    actor: &Actor,
    thread: &mut Thread,
    reply: &Reply,
) -> Result<AnswerAccepted, AcceptAnswerError> {
    let question_author = may_accept(actor, thread)?;
    if reply.thread != thread.id {
        return Err(AcceptAnswerError::NotInThread);
    }
    if reply.is_deleted() {
        return Err(AcceptAnswerError::ReplyDeleted);
    }
    let changed = thread.accepted_answer.as_ref() != Some(&reply.id);
    let mut notices = Notices::new(actor.member(), thread.target(Some(&reply.id)));
    let replaced = if changed {
        notices.add(NoticeKind::AnswerAccepted, &reply.author);
        thread.accepted_answer.replace(reply.id.clone())
    } else {
        None
    };
    Ok(AnswerAccepted {
        reply: reply.id.clone(),
        answer_author: reply.author.clone(),
        question_author,
        replaced,
        changed,
        notices: notices.into_vec(),
    })
}

/// Withdraws the accepted answer; returns the one withdrawn, if any.
pub fn clear_accepted_answer(
    actor: &Actor,
    thread: &mut Thread,
) -> Result<Option<ReplyId>, AcceptAnswerError> {
    may_accept(actor, thread)?;
    Ok(thread.accepted_answer.take())
}
