//! Joining a community: its join policy (open, or screening questions with an approval
//! queue), the rules (code of conduct) a member accepts, applications and memberships.
//!
//! Pure state and transitions; the application layer (`app::membership`) loads, calls and
//! writes.
//!
//! | key | value |
//! | --- | --- |
//! | `join/policy` | [`JoinPolicy`] (absent: open, no rules, no questions) |
//! | `member/{id}/membership` | [`Membership`]: the member joined (written once; kept while banned) |
//! | `application/{id}` | [`Application`] while it waits for review (deleted on approval or rejection) |
//!
//! A member's state ([`MembershipState`]) combines these with the ban at `mod/ban/{id}`.

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};
use crate::ids::{BoundedText, MemberId};
use crate::sso::MemberProfile;
use crate::time::Timestamp;

/// The code of conduct: up to 5,000 characters, may be empty.
pub type RulesText = BoundedText<0, 5000>;
/// A screening question: 1–200 characters.
pub type Question = BoundedText<1, 200>;
/// A member's answer to a screening question: 1–1,000 characters.
pub type AnswerText = BoundedText<1, 1000>;
/// What a newly joined member is told: up to 500 characters, may be empty.
pub type WelcomeText = BoundedText<0, 500>;

pub mod keys {
    use crate::ids::MemberId;

    pub const POLICY: &str = "join/policy";
    /// Every pending application, in member id order: prefix of [`application`].
    pub const APPLICATIONS: &str = "application/";

    pub fn membership(member: &MemberId) -> String {
        format!("member/{member}/membership")
    }

    pub fn application(member: &MemberId) -> String {
        format!("{APPLICATIONS}{member}")
    }
}

/// How members get in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum JoinMode {
    /// Anyone signed in by the brand who accepts the rules is a member at once.
    #[default]
    Open,
    /// Members answer the questions and wait for staff to approve.
    Screening,
}

/// A community's join policy, stored at `join/policy`; also the body of `PUT …/join` and the
/// answer of `GET …/join`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "JoinPolicyFields")]
pub struct JoinPolicy {
    mode: JoinMode,
    rules: RulesText,
    questions: Vec<Question>,
    welcome: WelcomeText,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct JoinPolicyFields {
    #[serde(default)]
    mode: JoinMode,
    #[serde(default)]
    rules: RulesText,
    #[serde(default)]
    questions: Vec<Question>,
    #[serde(default)]
    welcome: WelcomeText,
}

/// Why a join policy was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error(
        "a policy has at most {} screening questions",
        JoinPolicy::MAX_QUESTIONS
    )]
    TooManyQuestions,
    #[error("screening needs at least one question")]
    ScreeningWithoutQuestions,
    #[error("an open community asks no questions; set `mode` to `screening`")]
    QuestionsWhenOpen,
}

impl From<PolicyError> for ApiError {
    fn from(e: PolicyError) -> Self {
        ApiError::invalid(e.to_string())
    }
}

impl TryFrom<JoinPolicyFields> for JoinPolicy {
    type Error = PolicyError;
    fn try_from(f: JoinPolicyFields) -> Result<Self, Self::Error> {
        Self::new(f.mode, f.rules, f.questions, f.welcome)
    }
}

impl JoinPolicy {
    pub const MAX_QUESTIONS: usize = 5;

    pub fn new(
        mode: JoinMode,
        rules: RulesText,
        questions: Vec<Question>,
        welcome: WelcomeText,
    ) -> Result<Self, PolicyError> {
        if questions.len() > Self::MAX_QUESTIONS {
            return Err(PolicyError::TooManyQuestions);
        }
        match mode {
            JoinMode::Screening if questions.is_empty() => {
                return Err(PolicyError::ScreeningWithoutQuestions);
            }
            JoinMode::Open if !questions.is_empty() => return Err(PolicyError::QuestionsWhenOpen),
            _ => {}
        }
        Ok(Self {
            mode,
            rules,
            questions,
            welcome,
        })
    }

    pub fn mode(&self) -> JoinMode {
        self.mode
    }

    pub fn rules(&self) -> &RulesText {
        &self.rules
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn welcome(&self) -> &WelcomeText {
        &self.welcome
    }
}

/// `POST …/join`: the member accepts the rules and answers the questions, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct JoinRequest {
    pub accept_rules: bool,
    #[serde(default)]
    pub answers: Vec<AnswerText>,
}

/// A member of the community, stored at `member/{id}/membership`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub member: MemberId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    pub joined_at: Timestamp,
    /// Open join, or approved after screening.
    pub approved: bool,
}

/// A question and the member's answer to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuestionAnswer {
    pub question: Question,
    pub answer: AnswerText,
}

/// An application waiting for review, stored at `application/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Application {
    pub member: MemberId,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub avatar: Option<String>,
    pub answers: Vec<QuestionAnswer>,
    pub applied_at: Timestamp,
}

/// Where a member stands; `GET …/members/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum MembershipState {
    None,
    Pending {
        applied_at: Timestamp,
    },
    Member {
        joined_at: Timestamp,
    },
    Banned {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<Timestamp>,
    },
}

impl MembershipState {
    /// A ban in force wins; then membership; then a pending application.
    pub fn of(
        membership: Option<&Membership>,
        application: Option<&Application>,
        ban_until: Option<Option<Timestamp>>,
    ) -> Self {
        match (ban_until, membership, application) {
            (Some(until), _, _) => Self::Banned { until },
            (None, Some(m), _) => Self::Member {
                joined_at: m.joined_at,
            },
            (None, None, Some(a)) => Self::Pending {
                applied_at: a.applied_at,
            },
            (None, None, None) => Self::None,
        }
    }
}

/// What a join request leads to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinDecision {
    /// A member at once (open community).
    Joined(Membership),
    /// Waiting for review (screening).
    Applied(Application),
}

/// Why a join request was refused. A refusal changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JoinError {
    #[error("accept the community's rules to join (`accept_rules: true`)")]
    RulesNotAccepted,
    #[error("answer each of the {expected} questions, in order")]
    WrongAnswers { expected: usize },
    #[error("you are already a member")]
    AlreadyMember,
    #[error("your application is waiting for review")]
    AlreadyPending,
}

impl From<JoinError> for ApiError {
    fn from(e: JoinError) -> Self {
        let code = match e {
            JoinError::RulesNotAccepted | JoinError::WrongAnswers { .. } => ErrorCode::InvalidInput,
            JoinError::AlreadyMember | JoinError::AlreadyPending => ErrorCode::Conflict,
        };
        ApiError::new(code, e.to_string())
    }
}

/// Decides a join request against the policy and the member's current standing.
pub fn join(
    policy: &JoinPolicy,
    profile: &MemberProfile,
    current: &MembershipState,
    request: JoinRequest,
    now: Timestamp,
) -> Result<JoinDecision, JoinError> {
    match current {
        MembershipState::Member { .. } => return Err(JoinError::AlreadyMember),
        MembershipState::Pending { .. } => return Err(JoinError::AlreadyPending),
        // The caller refuses banned members before asking.
        MembershipState::None | MembershipState::Banned { .. } => {}
    }
    if !request.accept_rules {
        return Err(JoinError::RulesNotAccepted);
    }
    let expected = policy.questions.len();
    if request.answers.len() != expected {
        return Err(JoinError::WrongAnswers { expected });
    }
    match policy.mode {
        JoinMode::Open => Ok(JoinDecision::Joined(Membership {
            member: profile.id.clone(),
            name: profile.name.to_string(),
            avatar: profile.avatar.clone(),
            joined_at: now,
            approved: false,
        })),
        JoinMode::Screening => Ok(JoinDecision::Applied(Application {
            member: profile.id.clone(),
            name: profile.name.to_string(),
            avatar: profile.avatar.clone(),
            answers: policy
                .questions
                .iter()
                .cloned()
                .zip(request.answers)
                .map(|(question, answer)| QuestionAnswer { question, answer })
                .collect(),
            applied_at: now,
        })),
    }
}

/// The membership an approved application becomes.
pub fn approve(application: Application, now: Timestamp) -> Membership {
    Membership {
        member: application.member,
        name: application.name,
        avatar: application.avatar,
        joined_at: now,
        approved: true,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const NOW: Timestamp = Timestamp(1_790_000_000_000);

    fn profile(id: &str) -> MemberProfile {
        MemberProfile {
            id: MemberId::parse(id).unwrap(),
            name: crate::sso::MemberName::parse("Lin").unwrap(),
            avatar: None,
            email_verified: false,
            phone_verified: false,
            tags: vec![],
            locale: None,
        }
    }

    fn policy(v: serde_json::Value) -> Result<JoinPolicy, serde_json::Error> {
        serde_json::from_value(v)
    }

    fn request(accept: bool, answers: &[&str]) -> JoinRequest {
        JoinRequest {
            accept_rules: accept,
            answers: answers
                .iter()
                .map(|a| AnswerText::parse(a).unwrap())
                .collect(),
        }
    }

    #[test]
    fn policies_table() {
        let cases = [
            (json!({}), true),
            (json!({"mode": "open", "rules": "Be kind."}), true),
            (json!({"mode": "screening", "questions": ["Why?"]}), true),
            (json!({"mode": "screening"}), false),
            (json!({"mode": "open", "questions": ["Why?"]}), false),
            (
                json!({"mode": "screening", "questions": ["1", "2", "3", "4", "5", "6"]}),
                false,
            ),
            (json!({"mode": "screening", "questions": [""]}), false),
            (json!({"rules": "x".repeat(5001)}), false),
            (json!({"surprise": 1}), false),
            (json!({"mode": "invite_only"}), false),
        ];
        for (value, ok) in cases {
            assert_eq!(policy(value.clone()).is_ok(), ok, "{value}");
        }
        let stored =
            policy(json!({"mode": "screening", "questions": ["Why?"], "welcome": "Hi"})).unwrap();
        let again: JoinPolicy =
            serde_json::from_str(&serde_json::to_string(&stored).unwrap()).unwrap();
        assert_eq!(again, stored);
    }

    #[test]
    fn open_join_needs_the_rules_accepted_and_no_answers() {
        let open = JoinPolicy::default();
        let none = MembershipState::None;
        let cases = [
            (request(false, &[]), Err(ErrorCode::InvalidInput)),
            (request(true, &["why not"]), Err(ErrorCode::InvalidInput)),
            (request(true, &[]), Ok(())),
        ];
        for (req, want) in cases {
            let got = join(&open, &profile("u1"), &none, req.clone(), NOW);
            assert_eq!(
                got.as_ref()
                    .map(|_| ())
                    .map_err(|e| ApiError::from(e.clone()).code),
                want,
                "{req:?}"
            );
        }
        let Ok(JoinDecision::Joined(m)) =
            join(&open, &profile("u1"), &none, request(true, &[]), NOW)
        else {
            panic!("joined")
        };
        assert_eq!(
            (m.joined_at, m.approved, m.name.as_str()),
            (NOW, false, "Lin")
        );
    }

    #[test]
    fn screening_files_an_application_with_questions_and_answers() {
        let screening =
            policy(json!({"mode": "screening", "questions": ["Why?", "Since when?"]})).unwrap();
        let none = MembershipState::None;
        let err = join(
            &screening,
            &profile("u1"),
            &none,
            request(true, &["tea"]),
            NOW,
        );
        assert_eq!(err, Err(JoinError::WrongAnswers { expected: 2 }));
        let Ok(JoinDecision::Applied(app)) = join(
            &screening,
            &profile("u1"),
            &none,
            request(true, &["tea", "2019"]),
            NOW,
        ) else {
            panic!("applied")
        };
        assert_eq!(app.answers[1].question.as_str(), "Since when?");
        assert_eq!(app.answers[1].answer.as_str(), "2019");
        let member = approve(app, NOW.plus_millis(5));
        assert!(member.approved);
        assert_eq!(member.joined_at, NOW.plus_millis(5));
    }

    #[test]
    fn members_and_applicants_cannot_join_twice() {
        let open = JoinPolicy::default();
        let cases = [
            (
                MembershipState::Member { joined_at: NOW },
                JoinError::AlreadyMember,
            ),
            (
                MembershipState::Pending { applied_at: NOW },
                JoinError::AlreadyPending,
            ),
        ];
        for (state, want) in cases {
            assert_eq!(
                join(&open, &profile("u1"), &state, request(true, &[]), NOW),
                Err(want.clone())
            );
            assert_eq!(ApiError::from(want).code, ErrorCode::Conflict);
        }
    }

    #[test]
    fn state_table() {
        let m = Membership {
            member: MemberId::parse("u1").unwrap(),
            name: "Lin".into(),
            avatar: None,
            joined_at: NOW,
            approved: false,
        };
        let a = Application {
            member: m.member.clone(),
            name: "Lin".into(),
            avatar: None,
            answers: vec![],
            applied_at: NOW,
        };
        let cases = [
            (None, None, None, json!({"state": "none"})),
            (
                None,
                Some(&a),
                None,
                json!({"state": "pending", "applied_at": NOW.0}),
            ),
            (
                Some(&m),
                None,
                None,
                json!({"state": "member", "joined_at": NOW.0}),
            ),
            (Some(&m), None, Some(None), json!({"state": "banned"})),
            (
                None,
                Some(&a),
                Some(Some(NOW)),
                json!({"state": "banned", "until": NOW.0}),
            ),
        ];
        for (membership, application, ban, want) in cases {
            let state = MembershipState::of(membership, application, ban);
            assert_eq!(serde_json::to_value(&state).unwrap(), want);
        }
    }
}
