//! Events: capacity, sign-up questions, waitlist, cancellation and promotion, attendance, reminders.
//!
//! Pure state and transitions. The application layer loads the values below, calls one
//! transition and writes everything it changed back in one atomic batch:
//!
//! | key | value | why separate |
//! | --- | --- | --- |
//! | `event/{event_id}` | [`Event`]: what, where, when, questions, status, attendance code | read by every listing; a few KB |
//! | `event-roster/{event_id}` | [`Roster`]: capacity, confirmed seats, the waitlist | the one value every sign-up rewrites; bounded by [`Roster::MAX_CONFIRMED`] and [`Roster::MAX_WAITLIST`] (worst case ≈ 0.8 MB, under the 2 MB value limit of SQLite-backed Durable Objects) |
//! | `event-answers/{event_id}/{member_id}` | [`Answers`] to the sign-up questions | up to a few KB per member; kept out of the roster so it stays small |
//! | `event-reminders/{event_id}` | [`SentReminders`] | written only by the reminder alarm |
//!
//! The roster's prefix differs from `event/` so that listing `event/` yields events only.
//!
//! Attendance uses **one code per event** ([`AttendanceCode`]), shown by the organiser at the
//! venue or read out on the stream, which the member types into the widget during the
//! check-in window ([`Schedule::check_in_opens_at`] … [`Schedule::check_in_closes_at`]). We chose it
//! over per-ticket codes because it works the same online and offline, needs no staff device
//! or scanning at the door, and keeps the roster to one string per event. Its weakness (a
//! code passed to someone who is not there) is bounded by the window, by the organiser
//! rotating the code ([`Event::rotate_attendance_code`]) and by only confirmed members being
//! able to check in; staff can still mark a member present by hand
//! ([`Roster::mark_attended`]).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};
use crate::ids::{BoundedText, MemberId, ParseError, short_id, string_newtype};
use crate::time::Timestamp;

// ---------------------------------------------------------------------------------------------
// Identifiers and bounded values
// ---------------------------------------------------------------------------------------------

short_id!(
    /// An event: 1–40 characters of `a-z 0-9 -`, chosen by the caller (e.g. a random id).
    EventId,
    "an event id"
);
short_id!(
    /// A sign-up question within its event (`size`, `diet`): 1–40 characters of `a-z 0-9 -`.
    QuestionId,
    "a question id"
);

pub type EventTitle = BoundedText<1, 120>;
pub type EventDescription = BoundedText<0, 10_000>;
/// Where an offline event happens, as people would write it: venue and address.
pub type Place = BoundedText<1, 300>;
pub type CancelReason = BoundedText<0, 500>;
pub type QuestionPrompt = BoundedText<1, 200>;
pub type ChoiceText = BoundedText<1, 100>;
pub type ShortAnswer = BoundedText<1, 300>;

string_newtype! {
    /// The link of an online event: `https://`, a host, no spaces or quotes, at most 2000 bytes.
    pub struct EventUrl;
}

impl EventUrl {
    pub const MAX_LEN: usize = 2000;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "the event link";
        let url = raw.trim();
        ParseError::check_length(WHAT, url.len(), 1..=Self::MAX_LEN)?;
        let Some(rest) = url
            .get(..8)
            .filter(|scheme| scheme.eq_ignore_ascii_case("https://"))
            .and_then(|_| url.get(8..))
        else {
            return Err(ParseError::Invalid {
                what: WHAT,
                why: "it must start with https://",
            });
        };
        let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let clean = |c: char| {
            !c.is_whitespace() && !c.is_control() && !matches!(c, '"' | '<' | '>' | '\\' | '`')
        };
        if host.is_empty() || host.contains('@') || !url.chars().all(clean) {
            return Err(ParseError::Invalid {
                what: WHAT,
                why: "it needs a host and may not contain spaces, quotes or credentials",
            });
        }
        Ok(Self(url.to_owned()))
    }
}

/// Where the event happens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Venue {
    /// A stream or meeting; the link is shown only to confirmed attendees.
    Online { url: EventUrl },
    /// A place people go to.
    Offline { place: Place },
}

/// How many people may hold a confirmed seat: 1 to [`Capacity::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u32", into = "u32")]
pub struct Capacity(u32);

impl Capacity {
    /// Also the ceiling of an event without a capacity: the roster must fit one value.
    pub const MAX: u32 = 5_000;

    pub fn new(seats: u32) -> Result<Self, ParseError> {
        if (1..=Self::MAX).contains(&seats) {
            Ok(Self(seats))
        } else {
            Err(ParseError::Length {
                what: "the capacity",
                min: 1,
                max: Self::MAX as usize,
            })
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<u32> for Capacity {
    type Error = ParseError;
    fn try_from(seats: u32) -> Result<Self, Self::Error> {
        Self::new(seats)
    }
}

impl From<Capacity> for u32 {
    fn from(c: Capacity) -> Self {
        c.0
    }
}

// ---------------------------------------------------------------------------------------------
// Schedule
// ---------------------------------------------------------------------------------------------

/// Why a schedule was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    #[error("the event must end after it starts")]
    EndsNotAfterStart,
    #[error("sign-up must close after it opens")]
    SignupClosesNotAfterOpens,
    #[error("sign-up must close by the time the event ends")]
    SignupClosesAfterEnd,
}

/// When the event runs and when members may sign up. Sign-up is open from `signup_opens_at`
/// (inclusive; `None`: from publication) until `signup_closes_at` (exclusive), which defaults
/// to the start and may be no later than the end (late joining of an online event).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ScheduleFields")]
pub struct Schedule {
    starts_at: Timestamp,
    ends_at: Timestamp,
    signup_opens_at: Option<Timestamp>,
    signup_closes_at: Timestamp,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScheduleFields {
    starts_at: Timestamp,
    ends_at: Timestamp,
    signup_opens_at: Option<Timestamp>,
    signup_closes_at: Timestamp,
}

impl TryFrom<ScheduleFields> for Schedule {
    type Error = ScheduleError;
    fn try_from(f: ScheduleFields) -> Result<Self, Self::Error> {
        Self::new(
            f.starts_at,
            f.ends_at,
            f.signup_opens_at,
            Some(f.signup_closes_at),
        )
    }
}

impl Schedule {
    /// Check-in opens this long before the start.
    pub const CHECK_IN_BEFORE_START: i64 = Timestamp::HOUR;
    /// Check-in stays open this long after the end.
    pub const CHECK_IN_AFTER_END: i64 = Timestamp::HOUR;

    pub fn new(
        starts_at: Timestamp,
        ends_at: Timestamp,
        signup_opens_at: Option<Timestamp>,
        signup_closes_at: Option<Timestamp>,
    ) -> Result<Self, ScheduleError> {
        if ends_at <= starts_at {
            return Err(ScheduleError::EndsNotAfterStart);
        }
        let signup_closes_at = signup_closes_at.unwrap_or(starts_at);
        if signup_opens_at.is_some_and(|opens| signup_closes_at <= opens) {
            return Err(ScheduleError::SignupClosesNotAfterOpens);
        }
        if signup_closes_at > ends_at {
            return Err(ScheduleError::SignupClosesAfterEnd);
        }
        Ok(Self {
            starts_at,
            ends_at,
            signup_opens_at,
            signup_closes_at,
        })
    }

    pub fn starts_at(&self) -> Timestamp {
        self.starts_at
    }

    pub fn ends_at(&self) -> Timestamp {
        self.ends_at
    }

    pub fn signup_opens_at(&self) -> Option<Timestamp> {
        self.signup_opens_at
    }

    pub fn signup_closes_at(&self) -> Timestamp {
        self.signup_closes_at
    }

    /// `opens <= now < closes`.
    pub fn signup_open_at(&self, now: Timestamp) -> bool {
        self.signup_opens_at.is_none_or(|opens| opens <= now) && now < self.signup_closes_at
    }

    pub fn check_in_opens_at(&self) -> Timestamp {
        self.starts_at.plus_millis(-Self::CHECK_IN_BEFORE_START)
    }

    pub fn check_in_closes_at(&self) -> Timestamp {
        self.ends_at.plus_millis(Self::CHECK_IN_AFTER_END)
    }

    /// `check_in_opens_at <= now < check_in_closes_at`.
    pub fn check_in_open_at(&self, now: Timestamp) -> bool {
        self.check_in_opens_at() <= now && now < self.check_in_closes_at()
    }
}

// ---------------------------------------------------------------------------------------------
// Sign-up questions and answers
// ---------------------------------------------------------------------------------------------

/// The options of a choice question: 2–20, all different.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "Vec<ChoiceText>", into = "Vec<ChoiceText>")]
pub struct Choices(Vec<ChoiceText>);

impl Choices {
    pub const MIN: usize = 2;
    pub const MAX: usize = 20;

    pub fn new(options: Vec<ChoiceText>) -> Result<Self, ParseError> {
        if !(Self::MIN..=Self::MAX).contains(&options.len()) {
            return Err(ParseError::Length {
                what: "the list of options",
                min: Self::MIN,
                max: Self::MAX,
            });
        }
        let distinct: BTreeSet<&str> = options.iter().map(BoundedText::as_str).collect();
        if distinct.len() != options.len() {
            return Err(ParseError::Invalid {
                what: "the list of options",
                why: "an option appears twice",
            });
        }
        Ok(Self(options))
    }

    pub fn as_slice(&self) -> &[ChoiceText] {
        &self.0
    }

    fn find(&self, typed: &str) -> Option<&ChoiceText> {
        let typed = typed.trim();
        self.0.iter().find(|o| o.as_str() == typed)
    }
}

impl TryFrom<Vec<ChoiceText>> for Choices {
    type Error = ParseError;
    fn try_from(options: Vec<ChoiceText>) -> Result<Self, Self::Error> {
        Self::new(options)
    }
}

impl From<Choices> for Vec<ChoiceText> {
    fn from(c: Choices) -> Self {
        c.0
    }
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    ShortText,
    SingleChoice { options: Choices },
    MultipleChoice { options: Choices },
}

/// One question asked on sign-up. On the wire:
/// `{"id":"size","prompt":"T-shirt size","required":true,"type":"single_choice","options":["S","M"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Question {
    pub id: QuestionId,
    pub prompt: QuestionPrompt,
    #[serde(default)]
    pub required: bool,
    #[serde(flatten)]
    pub kind: QuestionKind,
}

/// The questions of an event: at most [`Questions::MAX`], ids all different.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "Vec<Question>", into = "Vec<Question>")]
pub struct Questions(Vec<Question>);

impl Questions {
    pub const MAX: usize = 10;

    pub fn new(questions: Vec<Question>) -> Result<Self, ParseError> {
        if questions.len() > Self::MAX {
            return Err(ParseError::Length {
                what: "the list of questions",
                min: 0,
                max: Self::MAX,
            });
        }
        let ids: BTreeSet<&QuestionId> = questions.iter().map(|q| &q.id).collect();
        if ids.len() != questions.len() {
            return Err(ParseError::Invalid {
                what: "the list of questions",
                why: "two questions share an id",
            });
        }
        Ok(Self(questions))
    }

    pub fn as_slice(&self) -> &[Question] {
        &self.0
    }

    /// Checks a member's answers against the questions: every required question answered,
    /// no unknown question, each answer of the right shape and among the options. An empty
    /// text or an empty list counts as no answer.
    pub fn check(&self, input: &AnswerInputs) -> Result<Answers, AnswerError> {
        if let Some(unknown) = input.keys().find(|id| !self.0.iter().any(|q| &q.id == *id)) {
            return Err(AnswerError::UnknownQuestion(unknown.clone()));
        }
        let mut answers = BTreeMap::new();
        for q in &self.0 {
            let given = input.get(&q.id).filter(|a| !a.is_blank());
            let Some(given) = given else {
                if q.required {
                    return Err(AnswerError::Missing(q.id.clone()));
                }
                continue;
            };
            let answer = match (&q.kind, given) {
                (QuestionKind::ShortText, AnswerInput::One(text)) => {
                    Answer::Text(ShortAnswer::parse(text).map_err(|e| AnswerError::BadText {
                        question: q.id.clone(),
                        why: e,
                    })?)
                }
                (QuestionKind::SingleChoice { options }, AnswerInput::One(choice)) => {
                    Answer::Choice(
                        options
                            .find(choice)
                            .cloned()
                            .ok_or_else(|| AnswerError::NotAnOption(q.id.clone()))?,
                    )
                }
                (QuestionKind::MultipleChoice { options }, AnswerInput::Many(choices)) => {
                    let mut picked: Vec<ChoiceText> = Vec::with_capacity(choices.len());
                    for choice in choices {
                        let option = options
                            .find(choice)
                            .ok_or_else(|| AnswerError::NotAnOption(q.id.clone()))?;
                        if picked.contains(option) {
                            return Err(AnswerError::RepeatedChoice(q.id.clone()));
                        }
                        picked.push(option.clone());
                    }
                    Answer::Choices(picked)
                }
                _ => return Err(AnswerError::WrongShape(q.id.clone())),
            };
            answers.insert(q.id.clone(), answer);
        }
        Ok(Answers(answers))
    }
}

impl TryFrom<Vec<Question>> for Questions {
    type Error = ParseError;
    fn try_from(questions: Vec<Question>) -> Result<Self, Self::Error> {
        Self::new(questions)
    }
}

impl From<Questions> for Vec<Question> {
    fn from(q: Questions) -> Self {
        q.0
    }
}

/// An answer as a member sends it: a string (short text, single choice) or a list of strings
/// (multiple choice).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum AnswerInput {
    One(String),
    Many(Vec<String>),
}

impl AnswerInput {
    fn is_blank(&self) -> bool {
        match self {
            Self::One(text) => text.trim().is_empty(),
            Self::Many(list) => list.is_empty(),
        }
    }
}

/// Answers as sent, by question id.
pub type AnswerInputs = BTreeMap<QuestionId, AnswerInput>;

/// One checked answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Text(ShortAnswer),
    Choice(ChoiceText),
    Choices(Vec<ChoiceText>),
}

/// A member's checked answers, stored at `event-answers/{event_id}/{member_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct Answers(BTreeMap<QuestionId, Answer>);

impl Answers {
    pub fn get(&self, question: &QuestionId) -> Option<&Answer> {
        self.0.get(question)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Why the answers to the sign-up questions were refused; names the question.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnswerError {
    #[error("question `{0}` needs an answer")]
    Missing(QuestionId),
    #[error("there is no question `{0}`")]
    UnknownQuestion(QuestionId),
    #[error("question `{0}` takes a different kind of answer")]
    WrongShape(QuestionId),
    #[error("the answer to `{0}` is not one of its options")]
    NotAnOption(QuestionId),
    #[error("the answer to `{0}` picks an option twice")]
    RepeatedChoice(QuestionId),
    #[error("the answer to `{question}`: {why}")]
    BadText {
        question: QuestionId,
        why: ParseError,
    },
}

impl From<AnswerError> for ApiError {
    fn from(e: AnswerError) -> Self {
        ApiError::new(ErrorCode::InvalidInput, e.to_string())
    }
}

// ---------------------------------------------------------------------------------------------
// Attendance code
// ---------------------------------------------------------------------------------------------

/// Crockford's base 32: no I, L, O or U, so what is read aloud is typed right.
const CODE_ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

string_newtype! {
    /// The event's attendance code: 6 characters of Crockford base 32 (30 bits), made from
    /// caller-provided random bytes. Typing is forgiving: case, spaces and hyphens are ignored,
    /// and O, I, L read as 0, 1, 1.
    pub struct AttendanceCode;
}

impl AttendanceCode {
    pub const LEN: usize = 6;

    /// The code for these random bytes (each byte gives one character, without bias).
    pub fn from_entropy(bytes: [u8; Self::LEN]) -> Self {
        Self(
            bytes
                .iter()
                .map(|b| char::from(CODE_ALPHABET[usize::from(b & 31)]))
                .collect(),
        )
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let code = Self::normalise(raw);
        if code.len() == Self::LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b)) {
            Ok(Self(code))
        } else {
            Err(ParseError::Invalid {
                what: "the attendance code",
                why: "it is 6 letters and digits",
            })
        }
    }

    fn normalise(typed: &str) -> String {
        typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                other => other,
            })
            .collect()
    }

    /// Whether `typed` is this code. Compares in time independent of where they differ.
    pub fn matches(&self, typed: &str) -> bool {
        let typed = Self::normalise(typed);
        typed.len() == self.0.len()
            && typed
                .bytes()
                .zip(self.0.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

// ---------------------------------------------------------------------------------------------
// The event
// ---------------------------------------------------------------------------------------------

/// Whether the event is still on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum EventStatus {
    Scheduled,
    Cancelled { at: Timestamp, reason: CancelReason },
}

/// Where an event stands at an instant; what the widget shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    SignupNotOpen,
    SignupOpen,
    SignupClosed,
    Ongoing,
    Ended,
    Cancelled,
}

/// An event as stored at `event/{event_id}`. Its seats are in the [`Roster`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    id: EventId,
    title: EventTitle,
    description: EventDescription,
    venue: Venue,
    schedule: Schedule,
    questions: Questions,
    status: EventStatus,
    attendance_code: AttendanceCode,
    created_at: Timestamp,
}

/// `POST /api/v1/events` (organiser): a new event. Times are ms since the epoch, UTC.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventDraft {
    pub title: EventTitle,
    #[serde(default)]
    pub description: EventDescription,
    pub venue: Venue,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    /// `None`: open as soon as published.
    #[serde(default)]
    pub signup_opens_at: Option<Timestamp>,
    /// `None`: closes when the event starts.
    #[serde(default)]
    pub signup_closes_at: Option<Timestamp>,
    /// `None`: no limit but the platform's ([`Capacity::MAX`]).
    #[serde(default)]
    pub capacity: Option<Capacity>,
    #[serde(default)]
    pub questions: Questions,
}

/// `PATCH /api/v1/events/{id}` (organiser): the words and the place; times, capacity and
/// questions have their own rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct EventEdit {
    pub title: EventTitle,
    #[serde(default)]
    pub description: EventDescription,
    pub venue: Venue,
}

/// Why an event could not be created.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreateEventError {
    #[error(transparent)]
    Schedule(#[from] ScheduleError),
    #[error("the event must start in the future")]
    StartsInPast,
}

impl From<CreateEventError> for ApiError {
    fn from(e: CreateEventError) -> Self {
        ApiError::new(ErrorCode::InvalidInput, e.to_string())
    }
}

/// Why an organiser's change to an event was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChangeEventError {
    #[error("the event was cancelled")]
    Cancelled,
    #[error("the event is over")]
    Ended,
}

impl From<ChangeEventError> for ApiError {
    fn from(e: ChangeEventError) -> Self {
        ApiError::new(ErrorCode::EventClosed, e.to_string())
    }
}

/// Why an event could not be cancelled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CancelEventError {
    #[error("the event is already cancelled")]
    AlreadyCancelled,
    #[error("the event is over")]
    Ended,
}

impl From<CancelEventError> for ApiError {
    fn from(e: CancelEventError) -> Self {
        let code = match e {
            CancelEventError::AlreadyCancelled => ErrorCode::Conflict,
            CancelEventError::Ended => ErrorCode::EventClosed,
        };
        ApiError::new(code, e.to_string())
    }
}

/// The event was cancelled: tell these members (confirmed first, then the waitlist).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventCancelled {
    pub notify: Vec<MemberId>,
}

impl Event {
    /// A new event and its empty roster, from an organiser's draft.
    pub fn create(
        id: EventId,
        draft: EventDraft,
        attendance_code: AttendanceCode,
        now: Timestamp,
    ) -> Result<(Self, Roster), CreateEventError> {
        let schedule = Schedule::new(
            draft.starts_at,
            draft.ends_at,
            draft.signup_opens_at,
            draft.signup_closes_at,
        )?;
        if schedule.starts_at() <= now {
            return Err(CreateEventError::StartsInPast);
        }
        let event = Self {
            id,
            title: draft.title,
            description: draft.description,
            venue: draft.venue,
            schedule,
            questions: draft.questions,
            status: EventStatus::Scheduled,
            attendance_code,
            created_at: now,
        };
        Ok((event, Roster::new(draft.capacity)))
    }

    pub fn id(&self) -> &EventId {
        &self.id
    }

    pub fn title(&self) -> &EventTitle {
        &self.title
    }

    pub fn description(&self) -> &EventDescription {
        &self.description
    }

    pub fn venue(&self) -> &Venue {
        &self.venue
    }

    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    pub fn questions(&self) -> &Questions {
        &self.questions
    }

    pub fn status(&self) -> &EventStatus {
        &self.status
    }

    /// For the organiser only: never put this in a member's view.
    pub fn attendance_code(&self) -> &AttendanceCode {
        &self.attendance_code
    }

    pub fn created_at(&self) -> Timestamp {
        self.created_at
    }

    pub fn is_cancelled(&self) -> bool {
        matches!(self.status, EventStatus::Cancelled { .. })
    }

    pub fn phase(&self, now: Timestamp) -> Phase {
        let s = &self.schedule;
        if self.is_cancelled() {
            Phase::Cancelled
        } else if now >= s.ends_at() {
            Phase::Ended
        } else if now >= s.starts_at() {
            Phase::Ongoing
        } else if s.signup_open_at(now) {
            Phase::SignupOpen
        } else if now < s.signup_closes_at() {
            Phase::SignupNotOpen
        } else {
            Phase::SignupClosed
        }
    }

    fn ensure_changeable(&self, now: Timestamp) -> Result<(), ChangeEventError> {
        if self.is_cancelled() {
            Err(ChangeEventError::Cancelled)
        } else if now >= self.schedule.ends_at() {
            Err(ChangeEventError::Ended)
        } else {
            Ok(())
        }
    }

    /// Replaces title, description and venue, until the event ends.
    pub fn edit(&mut self, edit: EventEdit, now: Timestamp) -> Result<(), ChangeEventError> {
        self.ensure_changeable(now)?;
        self.title = edit.title;
        self.description = edit.description;
        self.venue = edit.venue;
        Ok(())
    }

    /// A new attendance code (e.g. the old one leaked), until the event ends.
    pub fn rotate_attendance_code(
        &mut self,
        code: AttendanceCode,
        now: Timestamp,
    ) -> Result<(), ChangeEventError> {
        self.ensure_changeable(now)?;
        self.attendance_code = code;
        Ok(())
    }

    /// Cancels the whole event. The roster is kept for the record; everyone on it is told.
    pub fn cancel(
        &mut self,
        roster: &Roster,
        reason: CancelReason,
        now: Timestamp,
    ) -> Result<EventCancelled, CancelEventError> {
        if self.is_cancelled() {
            return Err(CancelEventError::AlreadyCancelled);
        }
        if now >= self.schedule.ends_at() {
            return Err(CancelEventError::Ended);
        }
        self.status = EventStatus::Cancelled { at: now, reason };
        let notify = roster
            .confirmed
            .iter()
            .map(|s| s.member.clone())
            .chain(roster.waitlist.iter().map(|w| w.member.clone()))
            .collect();
        Ok(EventCancelled { notify })
    }
}

// ---------------------------------------------------------------------------------------------
// The roster: seats and the waitlist
// ---------------------------------------------------------------------------------------------

/// A confirmed place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub member: MemberId,
    pub signed_up_at: Timestamp,
    /// When the seat became theirs: at sign-up, or when promoted from the waitlist.
    pub confirmed_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attended_at: Option<Timestamp>,
}

/// A place in the waitlist.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Waiting {
    pub member: MemberId,
    pub signed_up_at: Timestamp,
}

/// Who holds a seat and who waits, stored at `event-roster/{event_id}`.
///
/// Invariants, checked again when read from storage: no member appears twice; the confirmed
/// never outnumber the seat limit (the capacity, or [`Roster::MAX_CONFIRMED`]); nobody waits
/// while a seat is free; the waitlist is first come, first served.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RosterFields")]
pub struct Roster {
    capacity: Option<Capacity>,
    confirmed: Vec<Seat>,
    waitlist: VecDeque<Waiting>,
}

#[derive(Deserialize)]
struct RosterFields {
    capacity: Option<Capacity>,
    confirmed: Vec<Seat>,
    waitlist: VecDeque<Waiting>,
}

impl TryFrom<RosterFields> for Roster {
    type Error = ParseError;
    fn try_from(f: RosterFields) -> Result<Self, Self::Error> {
        let roster = Self {
            capacity: f.capacity,
            confirmed: f.confirmed,
            waitlist: f.waitlist,
        };
        let broken = |why| ParseError::Invalid {
            what: "the event roster",
            why,
        };
        let members: BTreeSet<&MemberId> = roster.members().collect();
        if members.len() != roster.confirmed.len() + roster.waitlist.len() {
            return Err(broken("a member appears twice"));
        }
        if roster.confirmed.len() > roster.seat_limit() {
            return Err(broken("more confirmed than seats"));
        }
        if !roster.waitlist.is_empty() && roster.has_free_seat() {
            return Err(broken("someone waits while a seat is free"));
        }
        if roster.waitlist.len() > Roster::MAX_WAITLIST {
            return Err(broken("the waitlist is too long"));
        }
        Ok(roster)
    }
}

/// A member's place, as they see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum TicketView {
    Confirmed {
        attended: bool,
    },
    /// `position` 1 is next in line.
    Waitlisted {
        position: u32,
    },
}

/// A sign-up went through.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignUpOutcome {
    pub ticket: TicketView,
    /// To store at `event-answers/{event_id}/{member_id}`.
    pub answers: Answers,
}

/// Why a sign-up was refused. A refused sign-up changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignUpError {
    #[error("the event was cancelled")]
    Cancelled,
    #[error("sign-up has not opened yet")]
    NotOpenYet { opens_at: Timestamp },
    #[error("sign-up is closed")]
    Closed,
    #[error("you are already signed up")]
    AlreadySignedUp,
    #[error("the event and its waitlist are full")]
    WaitlistFull,
    #[error(transparent)]
    Answers(#[from] AnswerError),
}

impl From<SignUpError> for ApiError {
    fn from(e: SignUpError) -> Self {
        let code = match &e {
            SignUpError::Cancelled
            | SignUpError::NotOpenYet { .. }
            | SignUpError::Closed
            | SignUpError::WaitlistFull => ErrorCode::EventClosed,
            SignUpError::AlreadySignedUp => ErrorCode::AlreadySignedUp,
            SignUpError::Answers(_) => ErrorCode::InvalidInput,
        };
        ApiError::new(code, e.to_string())
    }
}

/// What a member gave up by cancelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Released {
    Seat,
    WaitlistPlace,
}

/// A member cancelled; `promoted` took the freed seat (notify them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CancelOutcome {
    pub released: Released,
    pub promoted: Option<MemberId>,
}

/// Why a member's cancellation was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CancelSignUpError {
    #[error("the event was cancelled")]
    EventCancelled,
    #[error("the event has started")]
    Started,
    #[error("you are not signed up")]
    NotSignedUp,
}

impl From<CancelSignUpError> for ApiError {
    fn from(e: CancelSignUpError) -> Self {
        let code = match e {
            CancelSignUpError::EventCancelled | CancelSignUpError::Started => {
                ErrorCode::EventClosed
            }
            CancelSignUpError::NotSignedUp => ErrorCode::NotSignedUp,
        };
        ApiError::new(code, e.to_string())
    }
}

/// `PUT /api/v1/events/{id}/capacity` (organiser). `null`: no limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CapacityRequest {
    pub capacity: Option<Capacity>,
}

/// The capacity changed; `promoted` moved up from the waitlist, in order (notify them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapacityOutcome {
    pub promoted: Vec<MemberId>,
}

/// Why a capacity change was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CapacityError {
    #[error(transparent)]
    Event(#[from] ChangeEventError),
    #[error("{confirmed} people already hold a seat; the capacity cannot go below that")]
    BelowConfirmed { confirmed: u32 },
}

impl From<CapacityError> for ApiError {
    fn from(e: CapacityError) -> Self {
        match e {
            CapacityError::Event(e) => e.into(),
            CapacityError::BelowConfirmed { .. } => {
                ApiError::new(ErrorCode::Conflict, e.to_string())
            }
        }
    }
}

/// `POST /api/v1/events/{id}/check-in` (member): the code shown at the venue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckInRequest {
    pub code: String,
}

/// A member was marked present. Points and badges count only [`AttendanceOutcome::Attended`],
/// so a repeated check-in awards nothing twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum AttendanceOutcome {
    Attended { member: MemberId, at: Timestamp },
    AlreadyAttended { member: MemberId, at: Timestamp },
}

/// Why attendance was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttendanceError {
    #[error("the event was cancelled")]
    EventCancelled,
    #[error("check-in has not opened yet")]
    NotOpenYet { opens_at: Timestamp },
    #[error("check-in has closed")]
    Closed,
    #[error("you do not hold a seat at this event")]
    NotSignedUp,
    #[error("you are still on the waitlist")]
    OnWaitlist,
    #[error("that is not the event's code")]
    WrongCode,
}

impl From<AttendanceError> for ApiError {
    fn from(e: AttendanceError) -> Self {
        let code = match e {
            AttendanceError::EventCancelled
            | AttendanceError::NotOpenYet { .. }
            | AttendanceError::Closed => ErrorCode::EventClosed,
            AttendanceError::NotSignedUp | AttendanceError::OnWaitlist => ErrorCode::NotSignedUp,
            AttendanceError::WrongCode => ErrorCode::WrongAttendanceCode,
        };
        ApiError::new(code, e.to_string())
    }
}

impl Roster {
    /// Ceiling of the confirmed list (an event "without capacity" included).
    pub const MAX_CONFIRMED: usize = Capacity::MAX as usize;
    /// Ceiling of the waitlist.
    pub const MAX_WAITLIST: usize = 1_000;

    pub fn new(capacity: Option<Capacity>) -> Self {
        Self {
            capacity,
            confirmed: Vec::new(),
            waitlist: VecDeque::new(),
        }
    }

    pub fn capacity(&self) -> Option<Capacity> {
        self.capacity
    }

    /// Confirmed seats, in the order they were taken.
    pub fn confirmed(&self) -> &[Seat] {
        &self.confirmed
    }

    /// The waitlist, first in line first.
    pub fn waitlist(&self) -> impl ExactSizeIterator<Item = &Waiting> {
        self.waitlist.iter()
    }

    pub fn confirmed_count(&self) -> u32 {
        count(self.confirmed.len())
    }

    pub fn waiting_count(&self) -> u32 {
        count(self.waitlist.len())
    }

    pub fn attended_count(&self) -> u32 {
        count(
            self.confirmed
                .iter()
                .filter(|s| s.attended_at.is_some())
                .count(),
        )
    }

    /// Seats still free; `None` when the event has no capacity.
    pub fn seats_left(&self) -> Option<u32> {
        self.capacity
            .map(|c| c.get().saturating_sub(self.confirmed_count()))
    }

    /// Everyone on the roster, confirmed first.
    pub fn members(&self) -> impl Iterator<Item = &MemberId> {
        self.confirmed
            .iter()
            .map(|s| &s.member)
            .chain(self.waitlist.iter().map(|w| &w.member))
    }

    /// The member's place, if they have one.
    pub fn ticket(&self, member: &MemberId) -> Option<TicketView> {
        if let Some(seat) = self.confirmed.iter().find(|s| &s.member == member) {
            return Some(TicketView::Confirmed {
                attended: seat.attended_at.is_some(),
            });
        }
        self.waitlist
            .iter()
            .position(|w| &w.member == member)
            .map(|i| TicketView::Waitlisted {
                position: count(i + 1),
            })
    }

    fn seat_limit(&self) -> usize {
        self.capacity
            .map_or(Self::MAX_CONFIRMED, |c| c.get() as usize)
            .min(Self::MAX_CONFIRMED)
    }

    fn has_free_seat(&self) -> bool {
        self.confirmed.len() < self.seat_limit()
    }

    /// Signs `member` up: a seat while one is free, else the end of the waitlist. The
    /// answers are checked first; a refusal changes nothing.
    pub fn sign_up(
        &mut self,
        event: &Event,
        member: MemberId,
        answers: &AnswerInputs,
        now: Timestamp,
    ) -> Result<SignUpOutcome, SignUpError> {
        if event.is_cancelled() {
            return Err(SignUpError::Cancelled);
        }
        let schedule = event.schedule();
        if !schedule.signup_open_at(now) {
            return Err(match schedule.signup_opens_at() {
                Some(opens_at) if now < opens_at => SignUpError::NotOpenYet { opens_at },
                _ => SignUpError::Closed,
            });
        }
        if self.members().any(|m| m == &member) {
            return Err(SignUpError::AlreadySignedUp);
        }
        let answers = event.questions().check(answers)?;
        let ticket = if self.waitlist.is_empty() && self.has_free_seat() {
            self.confirmed.push(Seat {
                member,
                signed_up_at: now,
                confirmed_at: now,
                attended_at: None,
            });
            TicketView::Confirmed { attended: false }
        } else if self.waitlist.len() < Self::MAX_WAITLIST {
            self.waitlist.push_back(Waiting {
                member,
                signed_up_at: now,
            });
            TicketView::Waitlisted {
                position: self.waiting_count(),
            }
        } else {
            return Err(SignUpError::WaitlistFull);
        };
        Ok(SignUpOutcome { ticket, answers })
    }

    /// The member gives up their seat or waitlist place, until the event starts. A freed
    /// seat goes to the first member waiting, and only to them.
    pub fn cancel(
        &mut self,
        event: &Event,
        member: &MemberId,
        now: Timestamp,
    ) -> Result<CancelOutcome, CancelSignUpError> {
        if event.is_cancelled() {
            return Err(CancelSignUpError::EventCancelled);
        }
        if now >= event.schedule().starts_at() {
            return Err(CancelSignUpError::Started);
        }
        if let Some(i) = self.confirmed.iter().position(|s| &s.member == member) {
            self.confirmed.remove(i);
            let promoted = self.promote_first(now);
            return Ok(CancelOutcome {
                released: Released::Seat,
                promoted,
            });
        }
        if let Some(i) = self.waitlist.iter().position(|w| &w.member == member) {
            self.waitlist.remove(i);
            return Ok(CancelOutcome {
                released: Released::WaitlistPlace,
                promoted: None,
            });
        }
        Err(CancelSignUpError::NotSignedUp)
    }

    /// Moves the first waiting member to a free seat, if there is both.
    fn promote_first(&mut self, now: Timestamp) -> Option<MemberId> {
        if !self.has_free_seat() {
            return None;
        }
        let next = self.waitlist.pop_front()?;
        let member = next.member.clone();
        self.confirmed.push(Seat {
            member: next.member,
            signed_up_at: next.signed_up_at,
            confirmed_at: now,
            attended_at: None,
        });
        Some(member)
    }

    /// Sets the capacity, until the event ends. Raising it promotes from the waitlist in
    /// order; it may not go below the number already confirmed (nobody loses a seat).
    pub fn change_capacity(
        &mut self,
        event: &Event,
        capacity: Option<Capacity>,
        now: Timestamp,
    ) -> Result<CapacityOutcome, CapacityError> {
        event.ensure_changeable(now)?;
        let confirmed = self.confirmed_count();
        if capacity.is_some_and(|c| c.get() < confirmed) {
            return Err(CapacityError::BelowConfirmed { confirmed });
        }
        self.capacity = capacity;
        let mut promoted = Vec::new();
        while let Some(member) = self.promote_first(now) {
            promoted.push(member);
        }
        Ok(CapacityOutcome { promoted })
    }

    /// The member checks in with the code they were shown, during the check-in window.
    pub fn check_in(
        &mut self,
        event: &Event,
        member: &MemberId,
        typed_code: &str,
        now: Timestamp,
    ) -> Result<AttendanceOutcome, AttendanceError> {
        let seat = self.seat_for_attendance(event, member, now)?;
        if !event.attendance_code().matches(typed_code) {
            return Err(AttendanceError::WrongCode);
        }
        Ok(Self::attend(seat, now))
    }

    /// Staff mark a confirmed member present without a code (during the check-in window).
    pub fn mark_attended(
        &mut self,
        event: &Event,
        member: &MemberId,
        now: Timestamp,
    ) -> Result<AttendanceOutcome, AttendanceError> {
        let seat = self.seat_for_attendance(event, member, now)?;
        Ok(Self::attend(seat, now))
    }

    fn seat_for_attendance(
        &mut self,
        event: &Event,
        member: &MemberId,
        now: Timestamp,
    ) -> Result<&mut Seat, AttendanceError> {
        if event.is_cancelled() {
            return Err(AttendanceError::EventCancelled);
        }
        let schedule = event.schedule();
        if now < schedule.check_in_opens_at() {
            return Err(AttendanceError::NotOpenYet {
                opens_at: schedule.check_in_opens_at(),
            });
        }
        if !schedule.check_in_open_at(now) {
            return Err(AttendanceError::Closed);
        }
        if self.waitlist.iter().any(|w| &w.member == member) {
            return Err(AttendanceError::OnWaitlist);
        }
        self.confirmed
            .iter_mut()
            .find(|s| &s.member == member)
            .ok_or(AttendanceError::NotSignedUp)
    }

    fn attend(seat: &mut Seat, now: Timestamp) -> AttendanceOutcome {
        match seat.attended_at {
            Some(at) => AttendanceOutcome::AlreadyAttended {
                member: seat.member.clone(),
                at,
            },
            None => {
                seat.attended_at = Some(now);
                AttendanceOutcome::Attended {
                    member: seat.member.clone(),
                    at: now,
                }
            }
        }
    }

    /// The organiser's attendee list: confirmed in seat order, then the waitlist in order.
    pub fn attendees(&self) -> Vec<AttendeeRow> {
        let confirmed = self.confirmed.iter().map(|s| AttendeeRow {
            member: s.member.clone(),
            ticket: TicketView::Confirmed {
                attended: s.attended_at.is_some(),
            },
            signed_up_at: s.signed_up_at,
            confirmed_at: Some(s.confirmed_at),
            attended_at: s.attended_at,
        });
        let waiting = self.waitlist.iter().enumerate().map(|(i, w)| AttendeeRow {
            member: w.member.clone(),
            ticket: TicketView::Waitlisted {
                position: count(i + 1),
            },
            signed_up_at: w.signed_up_at,
            confirmed_at: None,
            attended_at: None,
        });
        confirmed.chain(waiting).collect()
    }
}

/// Lengths here are bounded far below `u32::MAX`; saturate rather than panic regardless.
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

// ---------------------------------------------------------------------------------------------
// Reminders
// ---------------------------------------------------------------------------------------------

/// Which reminder: a day before the start, or an hour before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    DayBefore,
    HourBefore,
}

impl ReminderKind {
    /// Earliest first.
    pub const ALL: [Self; 2] = [Self::DayBefore, Self::HourBefore];

    pub fn lead_millis(self) -> i64 {
        match self {
            Self::DayBefore => Timestamp::DAY,
            Self::HourBefore => Timestamp::HOUR,
        }
    }

    pub fn due_at(self, starts_at: Timestamp) -> Timestamp {
        starts_at.plus_millis(-self.lead_millis())
    }
}

/// A notification to send now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    pub event: EventId,
    pub member: MemberId,
    pub kind: ReminderKind,
    pub starts_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
struct SentReminder {
    kind: ReminderKind,
    member: MemberId,
}

/// The reminders already sent for one event, stored at `event-reminders/{event_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SentReminders(BTreeSet<SentReminder>);

impl SentReminders {
    pub fn contains(&self, kind: ReminderKind, member: &MemberId) -> bool {
        self.0.contains(&SentReminder {
            kind,
            member: member.clone(),
        })
    }

    /// Records reminders as sent (call with what [`due_reminders`] returned, in the same batch).
    pub fn record(&mut self, reminders: &[Reminder]) {
        self.0.extend(reminders.iter().map(|r| SentReminder {
            kind: r.kind,
            member: r.member.clone(),
        }));
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The reminders due at `now` for an event that is on and has not started: for each
/// confirmed member, the latest reminder whose time has come, if they held their seat by
/// then and have not had it yet. Earlier kinds that were missed are skipped (one message,
/// not two), and someone confirmed after a reminder's time does not get that reminder.
pub fn due_reminders(
    event: &Event,
    roster: &Roster,
    now: Timestamp,
    already_sent: &SentReminders,
) -> Vec<Reminder> {
    let starts_at = event.schedule().starts_at();
    if event.is_cancelled() || now >= starts_at {
        return Vec::new();
    }
    let Some(kind) = ReminderKind::ALL
        .into_iter()
        .rev()
        .find(|k| k.due_at(starts_at) <= now)
    else {
        return Vec::new();
    };
    let due_at = kind.due_at(starts_at);
    roster
        .confirmed
        .iter()
        .filter(|s| s.confirmed_at < due_at && !already_sent.contains(kind, &s.member))
        .map(|s| Reminder {
            event: event.id().clone(),
            member: s.member.clone(),
            kind,
            starts_at,
        })
        .collect()
}

/// When [`due_reminders`] may next return something (for an alarm), if ever.
pub fn next_reminder_at(event: &Event, now: Timestamp) -> Option<Timestamp> {
    let starts_at = event.schedule().starts_at();
    if event.is_cancelled() {
        return None;
    }
    ReminderKind::ALL
        .into_iter()
        .map(|k| k.due_at(starts_at))
        .find(|at| *at > now && *at < starts_at)
}

// ---------------------------------------------------------------------------------------------
// Wire types
// ---------------------------------------------------------------------------------------------

/// `POST /api/v1/events/{id}/signup` (member).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignUpRequest {
    #[serde(default)]
    pub answers: AnswerInputs,
}

/// `POST /api/v1/events/{id}/cancel` (organiser).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelEventRequest {
    #[serde(default)]
    pub reason: CancelReason,
}

/// Where the event is, as a member sees it: the online link only with a confirmed seat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum VenueView {
    Online { url: Option<String> },
    Offline { place: String },
}

/// `GET /api/v1/events/{id}`: an event as a member (or a visitor) sees it. Never carries the
/// attendance code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventView {
    pub id: EventId,
    pub title: String,
    pub description: String,
    pub venue: VenueView,
    pub starts_at: Timestamp,
    pub ends_at: Timestamp,
    pub signup_opens_at: Option<Timestamp>,
    pub signup_closes_at: Timestamp,
    pub phase: Phase,
    pub signup_open: bool,
    pub capacity: Option<u32>,
    pub confirmed: u32,
    pub waiting: u32,
    pub seats_left: Option<u32>,
    pub questions: Vec<Question>,
    pub cancel_reason: Option<String>,
    /// The viewer's own place, if they are signed in and on the roster.
    pub my_ticket: Option<TicketView>,
}

impl EventView {
    pub fn new(event: &Event, roster: &Roster, viewer: Option<&MemberId>, now: Timestamp) -> Self {
        let my_ticket = viewer.and_then(|m| roster.ticket(m));
        let confirmed_viewer = matches!(my_ticket, Some(TicketView::Confirmed { .. }));
        let venue = match event.venue() {
            Venue::Online { url } => VenueView::Online {
                url: confirmed_viewer.then(|| url.as_str().to_owned()),
            },
            Venue::Offline { place } => VenueView::Offline {
                place: place.to_string(),
            },
        };
        let s = event.schedule();
        Self {
            id: event.id().clone(),
            title: event.title().to_string(),
            description: event.description().to_string(),
            venue,
            starts_at: s.starts_at(),
            ends_at: s.ends_at(),
            signup_opens_at: s.signup_opens_at(),
            signup_closes_at: s.signup_closes_at(),
            phase: event.phase(now),
            signup_open: !event.is_cancelled() && s.signup_open_at(now),
            capacity: roster.capacity().map(Capacity::get),
            confirmed: roster.confirmed_count(),
            waiting: roster.waiting_count(),
            seats_left: roster.seats_left(),
            questions: event.questions().as_slice().to_vec(),
            cancel_reason: match event.status() {
                EventStatus::Cancelled { reason, .. } => Some(reason.to_string()),
                EventStatus::Scheduled => None,
            },
            my_ticket,
        }
    }
}

/// One line of the organiser's attendee list (answers are joined in from their own keys).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendeeRow {
    pub member: MemberId,
    pub ticket: TicketView,
    pub signed_up_at: Timestamp,
    pub confirmed_at: Option<Timestamp>,
    pub attended_at: Option<Timestamp>,
}

/// `GET /api/v1/admin/events/{id}`: the organiser's view, with the attendance code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganiserEventView {
    pub event: EventView,
    pub attendance_code: String,
    pub attended: u32,
    pub attendees: Vec<AttendeeRow>,
}

impl OrganiserEventView {
    pub fn new(event: &Event, roster: &Roster, now: Timestamp) -> Self {
        Self {
            event: EventView::new(event, roster, None, now),
            attendance_code: event.attendance_code().as_str().to_owned(),
            attended: roster.attended_count(),
            attendees: roster.attendees(),
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;

    const NOW: Timestamp = Timestamp(1_790_000_000_000);
    const START: Timestamp = Timestamp(NOW.0 + 10 * Timestamp::DAY);
    const END: Timestamp = Timestamp(START.0 + 2 * Timestamp::HOUR);
    const SOON: Timestamp = Timestamp(NOW.0 + Timestamp::HOUR);

    fn m(id: &str) -> MemberId {
        MemberId::parse(id).unwrap()
    }

    fn at(offset_from_start: i64) -> Timestamp {
        START.plus_millis(offset_from_start)
    }

    fn code() -> AttendanceCode {
        AttendanceCode::from_entropy([0, 1, 2, 3, 30, 31])
    }

    fn draft(extra: serde_json::Value) -> EventDraft {
        let mut base = json!({
            "title": "Tea tasting 品茶会",
            "venue": {"kind": "offline", "place": "Shanghai, Wukang Rd 1"},
            "starts_at": START.0,
            "ends_at": END.0,
        });
        if let (Some(base), Some(extra)) = (base.as_object_mut(), extra.as_object()) {
            base.extend(extra.clone());
        }
        serde_json::from_value(base).unwrap()
    }

    fn event(extra: serde_json::Value) -> (Event, Roster) {
        Event::create(EventId::parse("tea-1").unwrap(), draft(extra), code(), NOW).unwrap()
    }

    fn with_capacity(capacity: u32) -> (Event, Roster) {
        event(json!({ "capacity": capacity }))
    }

    fn no_answers() -> AnswerInputs {
        AnswerInputs::new()
    }

    fn sign_up(event: &Event, roster: &mut Roster, who: &str) -> TicketView {
        roster
            .sign_up(event, m(who), &no_answers(), SOON)
            .unwrap()
            .ticket
    }

    fn waitlist_ids(roster: &Roster) -> Vec<String> {
        roster.waitlist().map(|w| w.member.to_string()).collect()
    }

    fn confirmed_ids(roster: &Roster) -> Vec<String> {
        roster
            .confirmed()
            .iter()
            .map(|s| s.member.to_string())
            .collect()
    }

    // --- parsing -------------------------------------------------------------------------

    #[test]
    fn event_id_table() {
        let cases: &[(&str, bool)] = &[
            ("tea-1", true),
            ("a", true),
            (&"x".repeat(40), true),
            (&"x".repeat(41), false),
            ("", false),
            ("Tea", false),
            ("tea_1", false),
            ("a/b", false),
        ];
        for (raw, ok) in cases {
            assert_eq!(EventId::parse(raw).is_ok(), *ok, "{raw:?}");
        }
    }

    #[test]
    fn event_url_table() {
        let cases: &[(&str, bool)] = &[
            ("https://meet.example/abc?pwd=1", true),
            ("HTTPS://live.example", true),
            ("  https://live.example/x  ", true),
            ("http://live.example", false),
            ("javascript:alert(1)", false),
            ("https://", false),
            ("https:///path", false),
            ("https://user:pw@live.example", false),
            ("https://live.example/a b", false),
            ("https://live.example/\"onload", false),
            ("", false),
        ];
        for &(raw, ok) in cases {
            assert_eq!(EventUrl::parse(raw).is_ok(), ok, "{raw:?}");
        }
        assert!(EventUrl::parse(&format!("https://a.example/{}", "x".repeat(2000))).is_err());
    }

    #[test]
    fn capacity_is_between_one_and_the_platform_ceiling() {
        for (seats, ok) in [(0, false), (1, true), (5_000, true), (5_001, false)] {
            assert_eq!(Capacity::new(seats).is_ok(), ok, "{seats}");
        }
        assert!(serde_json::from_value::<Capacity>(json!(0)).is_err());
    }

    #[test]
    fn schedule_table() {
        let t = |h: i64| Some(at(h * Timestamp::HOUR));
        type Case = (
            Option<Timestamp>,
            Option<Timestamp>,
            Result<Timestamp, ScheduleError>,
        );
        // (signup opens, signup closes) for an event from START to START+2h → closes at.
        let cases: &[Case] = &[
            (None, None, Ok(START)),
            (t(-48), None, Ok(START)),
            (None, t(1), Ok(at(Timestamp::HOUR))),
            (None, t(2), Ok(END)),
            (None, t(3), Err(ScheduleError::SignupClosesAfterEnd)),
            (t(-1), t(-1), Err(ScheduleError::SignupClosesNotAfterOpens)),
            (t(0), None, Err(ScheduleError::SignupClosesNotAfterOpens)),
        ];
        for (opens, closes, want) in cases {
            let got = Schedule::new(START, END, *opens, *closes).map(|s| s.signup_closes_at());
            assert_eq!(&got, want, "{opens:?} {closes:?}");
        }
        assert_eq!(
            Schedule::new(START, START, None, None),
            Err(ScheduleError::EndsNotAfterStart)
        );
        assert_eq!(
            Schedule::new(END, START, None, None),
            Err(ScheduleError::EndsNotAfterStart)
        );
    }

    #[test]
    fn a_stored_schedule_is_checked_when_read() {
        let bad =
            json!({"starts_at": 10, "ends_at": 5, "signup_opens_at": null, "signup_closes_at": 10});
        assert!(serde_json::from_value::<Schedule>(bad).is_err());
        let good = Schedule::new(START, END, None, None).unwrap();
        let back: Schedule = serde_json::from_value(serde_json::to_value(good).unwrap()).unwrap();
        assert_eq!(back, good);
    }

    #[test]
    fn creating_an_event_checks_times_and_defaults_sign_up_to_close_at_the_start() {
        let (event, roster) = event(json!({}));
        assert_eq!(event.schedule().signup_closes_at(), START);
        assert_eq!(event.schedule().signup_opens_at(), None);
        assert_eq!(roster.capacity(), None);
        assert_eq!(event.phase(NOW), Phase::SignupOpen);

        let id = EventId::parse("e").unwrap();
        let past = draft(json!({"starts_at": NOW.0, "ends_at": END.0}));
        assert_eq!(
            Event::create(id.clone(), past, code(), NOW).unwrap_err(),
            CreateEventError::StartsInPast
        );
        let backwards = draft(json!({"ends_at": START.0 - 1}));
        assert_eq!(
            Event::create(id, backwards, code(), NOW).unwrap_err(),
            CreateEventError::Schedule(ScheduleError::EndsNotAfterStart)
        );
    }

    #[test]
    fn drafts_with_bad_fields_do_not_parse() {
        let base = json!({
            "title": "x", "venue": {"kind": "offline", "place": "here"},
            "starts_at": START.0, "ends_at": END.0
        });
        assert!(serde_json::from_value::<EventDraft>(base.clone()).is_ok());
        let bad = [
            json!({"title": ""}),
            json!({"capacity": 0}),
            json!({"venue": {"kind": "online", "url": "ftp://x"}}),
            json!({"venue": {"kind": "online"}}),
            json!({"venue": {"kind": "moon", "place": "x"}}),
            json!({"surprise": 1}),
        ];
        for patch in bad {
            let mut value = base.clone();
            if let (Some(v), Some(p)) = (value.as_object_mut(), patch.as_object()) {
                v.extend(p.clone());
            }
            assert!(
                serde_json::from_value::<EventDraft>(value).is_err(),
                "{patch}"
            );
        }
    }

    // --- questions and answers -----------------------------------------------------------

    fn questions() -> serde_json::Value {
        json!([
            {"id": "name", "prompt": "Your name", "required": true, "type": "short_text"},
            {"id": "size", "prompt": "T-shirt size", "required": true,
             "type": "single_choice", "options": ["S", "M", "L"]},
            {"id": "topics", "prompt": "Topics", "type": "multiple_choice",
             "options": ["tea", "coffee", "cake"]}
        ])
    }

    #[test]
    fn question_lists_are_checked_when_parsed() {
        assert!(serde_json::from_value::<Questions>(questions()).is_ok());
        let one_option =
            json!([{"id": "a", "prompt": "p", "type": "single_choice", "options": ["x"]}]);
        let twice =
            json!([{"id": "a", "prompt": "p", "type": "single_choice", "options": ["x", " x"]}]);
        let same_id = json!([
            {"id": "a", "prompt": "p", "type": "short_text"},
            {"id": "a", "prompt": "q", "type": "short_text"}
        ]);
        let eleven: Vec<_> = (0..11)
            .map(|i| json!({"id": format!("q{i}"), "prompt": "p", "type": "short_text"}))
            .collect();
        let unknown_type = json!([{"id": "a", "prompt": "p", "type": "essay"}]);
        for bad in [one_option, twice, same_id, json!(eleven), unknown_type] {
            assert!(
                serde_json::from_value::<Questions>(bad.clone()).is_err(),
                "{bad}"
            );
        }
    }

    #[test]
    fn questions_round_trip_in_their_wire_shape() {
        let parsed: Questions = serde_json::from_value(questions()).unwrap();
        let mut want = questions();
        // `required` defaults to false and is then written out.
        want[2]["required"] = json!(false);
        assert_eq!(serde_json::to_value(&parsed).unwrap(), want);
    }

    #[test]
    fn answers_table() {
        let qs: Questions = serde_json::from_value(questions()).unwrap();
        let q = |id: &str| QuestionId::parse(id).unwrap();
        let long = "x".repeat(301);
        let cases: Vec<(serde_json::Value, Result<usize, AnswerError>)> = vec![
            (json!({"name": "Li", "size": "M"}), Ok(2)),
            (
                json!({"name": "Li", "size": " M ", "topics": ["tea", "cake"]}),
                Ok(3),
            ),
            (json!({"name": "Li", "size": "M", "topics": []}), Ok(2)),
            (json!({"size": "M"}), Err(AnswerError::Missing(q("name")))),
            (
                json!({"name": "  ", "size": "M"}),
                Err(AnswerError::Missing(q("name"))),
            ),
            (json!({"name": "Li"}), Err(AnswerError::Missing(q("size")))),
            (
                json!({"name": "Li", "size": "XL"}),
                Err(AnswerError::NotAnOption(q("size"))),
            ),
            (
                json!({"name": "Li", "size": ["M"]}),
                Err(AnswerError::WrongShape(q("size"))),
            ),
            (
                json!({"name": ["Li"], "size": "M"}),
                Err(AnswerError::WrongShape(q("name"))),
            ),
            (
                json!({"name": "Li", "size": "M", "topics": "tea"}),
                Err(AnswerError::WrongShape(q("topics"))),
            ),
            (
                json!({"name": "Li", "size": "M", "topics": ["tea", "tea"]}),
                Err(AnswerError::RepeatedChoice(q("topics"))),
            ),
            (
                json!({"name": "Li", "size": "M", "topics": ["wine"]}),
                Err(AnswerError::NotAnOption(q("topics"))),
            ),
            (
                json!({"name": "Li", "size": "M", "shoe": "42"}),
                Err(AnswerError::UnknownQuestion(q("shoe"))),
            ),
        ];
        for (input, want) in cases {
            let parsed: AnswerInputs = serde_json::from_value(input.clone()).unwrap();
            assert_eq!(qs.check(&parsed).map(|a| a.len()), want, "{input}");
        }
        let too_long: AnswerInputs =
            serde_json::from_value(json!({"name": long, "size": "M"})).unwrap();
        assert!(matches!(
            qs.check(&too_long),
            Err(AnswerError::BadText { .. })
        ));
    }

    #[test]
    fn checked_answers_keep_the_option_text() {
        let qs: Questions = serde_json::from_value(questions()).unwrap();
        let input: AnswerInputs = serde_json::from_value(
            json!({"name": " 李雷 ", "size": "M", "topics": ["cake", "tea"]}),
        )
        .unwrap();
        let answers = qs.check(&input).unwrap();
        assert_eq!(
            serde_json::to_value(&answers).unwrap(),
            json!({"name": {"text": "李雷"}, "size": {"choice": "M"}, "topics": {"choices": ["cake", "tea"]}})
        );
    }

    #[test]
    fn a_sign_up_with_bad_answers_changes_nothing() {
        let (event, mut roster) = event(json!({ "questions": questions(), "capacity": 1 }));
        let before = roster.clone();
        let err = roster
            .sign_up(&event, m("a"), &no_answers(), SOON)
            .unwrap_err();
        assert!(matches!(err, SignUpError::Answers(AnswerError::Missing(_))));
        assert_eq!(ApiError::from(err).code, ErrorCode::InvalidInput);
        assert_eq!(roster, before);

        let good: AnswerInputs =
            serde_json::from_value(json!({"name": "Li", "size": "S"})).unwrap();
        let outcome = roster.sign_up(&event, m("a"), &good, SOON).unwrap();
        assert_eq!(outcome.answers.len(), 2);
    }

    // --- sign-up, waitlist, cancellation -------------------------------------------------

    #[test]
    fn sign_up_confirms_while_seats_last_then_waitlists_in_order() {
        let (event, mut roster) = with_capacity(2);
        let tickets: Vec<TicketView> = ["a", "b", "c", "d"]
            .iter()
            .map(|who| sign_up(&event, &mut roster, who))
            .collect();
        assert_eq!(
            tickets,
            vec![
                TicketView::Confirmed { attended: false },
                TicketView::Confirmed { attended: false },
                TicketView::Waitlisted { position: 1 },
                TicketView::Waitlisted { position: 2 },
            ]
        );
        assert_eq!(roster.seats_left(), Some(0));
        assert_eq!(
            roster.ticket(&m("d")),
            Some(TicketView::Waitlisted { position: 2 })
        );
        assert_eq!(roster.ticket(&m("z")), None);
    }

    #[test]
    fn an_event_without_capacity_confirms_everyone() {
        let (event, mut roster) = event(json!({}));
        for i in 0..50 {
            let ticket = sign_up(&event, &mut roster, &format!("m{i}"));
            assert_eq!(ticket, TicketView::Confirmed { attended: false });
        }
        assert_eq!(roster.seats_left(), None);
    }

    #[test]
    fn signing_up_twice_is_refused_whether_confirmed_or_waiting() {
        let (event, mut roster) = with_capacity(1);
        sign_up(&event, &mut roster, "a");
        sign_up(&event, &mut roster, "b");
        for who in ["a", "b"] {
            let err = roster
                .sign_up(&event, m(who), &no_answers(), SOON)
                .unwrap_err();
            assert_eq!(err, SignUpError::AlreadySignedUp);
            assert_eq!(ApiError::from(err).code, ErrorCode::AlreadySignedUp);
        }
        assert_eq!((roster.confirmed_count(), roster.waiting_count()), (1, 1));
    }

    #[test]
    fn sign_up_window_boundaries() {
        let opens = NOW.plus_millis(Timestamp::DAY);
        let (event, _) = event(json!({ "signup_opens_at": opens.0 }));
        let cases = [
            (
                opens.plus_millis(-1),
                Err(SignUpError::NotOpenYet { opens_at: opens }),
            ),
            (opens, Ok(())),
            (START.plus_millis(-1), Ok(())),
            (START, Err(SignUpError::Closed)),
            (END, Err(SignUpError::Closed)),
        ];
        for (now, want) in cases {
            let mut roster = Roster::new(None);
            let got = roster
                .sign_up(&event, m("a"), &no_answers(), now)
                .map(|_| ());
            assert_eq!(got, want, "{now:?}");
        }
    }

    #[test]
    fn a_cancelled_seat_goes_to_the_first_waiting_member_exactly_once() {
        let (event, mut roster) = with_capacity(2);
        for who in ["a", "b", "c", "d"] {
            sign_up(&event, &mut roster, who);
        }
        let outcome = roster.cancel(&event, &m("a"), SOON).unwrap();
        assert_eq!(
            outcome,
            CancelOutcome {
                released: Released::Seat,
                promoted: Some(m("c")),
            }
        );
        assert_eq!(confirmed_ids(&roster), ["b", "c"]);
        assert_eq!(waitlist_ids(&roster), ["d"]);
        assert_eq!(
            roster.ticket(&m("d")),
            Some(TicketView::Waitlisted { position: 1 })
        );
        let seat_c = roster
            .confirmed()
            .iter()
            .find(|s| s.member == m("c"))
            .unwrap();
        assert_eq!((seat_c.signed_up_at, seat_c.confirmed_at), (SOON, SOON));

        // Cancelling again is refused: nobody is promoted twice for one seat.
        assert_eq!(
            roster.cancel(&event, &m("a"), SOON),
            Err(CancelSignUpError::NotSignedUp)
        );
        assert_eq!(confirmed_ids(&roster), ["b", "c"]);
    }

    #[test]
    fn leaving_the_waitlist_promotes_nobody_and_moves_the_rest_up() {
        let (event, mut roster) = with_capacity(1);
        for who in ["a", "b", "c", "d"] {
            sign_up(&event, &mut roster, who);
        }
        let outcome = roster.cancel(&event, &m("c"), SOON).unwrap();
        assert_eq!(
            outcome,
            CancelOutcome {
                released: Released::WaitlistPlace,
                promoted: None,
            }
        );
        assert_eq!(waitlist_ids(&roster), ["b", "d"]);
        assert_eq!(
            roster.ticket(&m("d")),
            Some(TicketView::Waitlisted { position: 2 })
        );
    }

    #[test]
    fn cancelling_a_seat_with_nobody_waiting_frees_it() {
        let (event, mut roster) = with_capacity(2);
        sign_up(&event, &mut roster, "a");
        let outcome = roster.cancel(&event, &m("a"), SOON).unwrap();
        assert_eq!(outcome.promoted, None);
        assert_eq!(roster.seats_left(), Some(2));
    }

    #[test]
    fn cancellation_is_refused_once_the_event_starts_or_is_cancelled() {
        let (mut event, mut roster) = with_capacity(2);
        sign_up(&event, &mut roster, "a");
        let err = roster.cancel(&event, &m("a"), START).unwrap_err();
        assert_eq!(err, CancelSignUpError::Started);
        assert_eq!(ApiError::from(err).code, ErrorCode::EventClosed);
        assert!(
            roster
                .cancel(&event, &m("a"), START.plus_millis(-1))
                .is_ok()
        );

        sign_up(&event, &mut roster, "b");
        event
            .cancel(&roster, CancelReason::default(), SOON)
            .unwrap();
        assert_eq!(
            roster.cancel(&event, &m("b"), SOON),
            Err(CancelSignUpError::EventCancelled)
        );
        let err = roster.cancel(&event, &m("nobody"), SOON).unwrap_err();
        assert_eq!(ApiError::from(err).code, ErrorCode::EventClosed);
    }

    #[test]
    fn not_signed_up_maps_to_its_wire_code() {
        let (event, mut roster) = with_capacity(2);
        let err = roster.cancel(&event, &m("a"), SOON).unwrap_err();
        assert_eq!(ApiError::from(err).code, ErrorCode::NotSignedUp);
    }

    // --- capacity ------------------------------------------------------------------------

    #[test]
    fn raising_capacity_promotes_from_the_waitlist_in_order() {
        let (event, mut roster) = with_capacity(1);
        for who in ["a", "b", "c", "d"] {
            sign_up(&event, &mut roster, who);
        }
        let outcome = roster
            .change_capacity(&event, Some(Capacity::new(3).unwrap()), SOON)
            .unwrap();
        assert_eq!(outcome.promoted, vec![m("b"), m("c")]);
        assert_eq!(waitlist_ids(&roster), ["d"]);

        let outcome = roster.change_capacity(&event, None, SOON).unwrap();
        assert_eq!(outcome.promoted, vec![m("d")]);
        assert_eq!(confirmed_ids(&roster), ["a", "b", "c", "d"]);
    }

    #[test]
    fn lowering_capacity_never_removes_a_confirmed_member() {
        let (event, mut roster) = with_capacity(4);
        for who in ["a", "b", "c"] {
            sign_up(&event, &mut roster, who);
        }
        let before = roster.clone();
        let err = roster
            .change_capacity(&event, Some(Capacity::new(2).unwrap()), SOON)
            .unwrap_err();
        assert_eq!(err, CapacityError::BelowConfirmed { confirmed: 3 });
        assert_eq!(ApiError::from(err).code, ErrorCode::Conflict);
        assert_eq!(roster, before);

        let outcome = roster
            .change_capacity(&event, Some(Capacity::new(3).unwrap()), SOON)
            .unwrap();
        assert!(outcome.promoted.is_empty());
        assert_eq!(confirmed_ids(&roster), ["a", "b", "c"]);
        assert_eq!(
            sign_up(&event, &mut roster, "d"),
            TicketView::Waitlisted { position: 1 }
        );
    }

    #[test]
    fn capacity_cannot_change_after_the_event_or_once_cancelled() {
        let (mut event, mut roster) = with_capacity(2);
        let err = roster.change_capacity(&event, None, END).unwrap_err();
        assert_eq!(err, CapacityError::Event(ChangeEventError::Ended));
        assert_eq!(ApiError::from(err).code, ErrorCode::EventClosed);
        event
            .cancel(&roster, CancelReason::default(), SOON)
            .unwrap();
        assert_eq!(
            roster.change_capacity(&event, None, SOON),
            Err(CapacityError::Event(ChangeEventError::Cancelled))
        );
    }

    // --- cancelling the event ------------------------------------------------------------

    #[test]
    fn cancelling_the_event_tells_everyone_and_closes_it() {
        let (mut event, mut roster) = with_capacity(1);
        for who in ["a", "b"] {
            sign_up(&event, &mut roster, who);
        }
        let reason = CancelReason::parse("typhoon").unwrap();
        let outcome = event.cancel(&roster, reason, SOON).unwrap();
        assert_eq!(outcome.notify, vec![m("a"), m("b")]);
        assert_eq!(event.phase(SOON), Phase::Cancelled);
        assert_eq!(
            roster.sign_up(&event, m("c"), &no_answers(), SOON),
            Err(SignUpError::Cancelled)
        );
        let err = event
            .cancel(&roster, CancelReason::default(), SOON)
            .unwrap_err();
        assert_eq!(ApiError::from(err).code, ErrorCode::Conflict);
        let view = EventView::new(&event, &roster, None, SOON);
        assert_eq!(view.cancel_reason.as_deref(), Some("typhoon"));
        assert!(!view.signup_open);
    }

    #[test]
    fn an_ended_event_cannot_be_cancelled_or_edited() {
        let (mut event, roster) = with_capacity(1);
        assert_eq!(
            event.cancel(&roster, CancelReason::default(), END),
            Err(CancelEventError::Ended)
        );
        let edit: EventEdit = serde_json::from_value(
            json!({"title": "New", "venue": {"kind": "online", "url": "https://live.example"}}),
        )
        .unwrap();
        assert_eq!(event.edit(edit.clone(), END), Err(ChangeEventError::Ended));
        event.edit(edit, SOON).unwrap();
        assert_eq!(event.title().as_str(), "New");
    }

    #[test]
    fn phase_table() {
        let opens = NOW.plus_millis(Timestamp::DAY);
        let (event, _) = event(json!({ "signup_opens_at": opens.0 }));
        let cases = [
            (NOW, Phase::SignupNotOpen),
            (opens, Phase::SignupOpen),
            (START.plus_millis(-1), Phase::SignupOpen),
            (START, Phase::Ongoing),
            (END.plus_millis(-1), Phase::Ongoing),
            (END, Phase::Ended),
        ];
        for (now, want) in cases {
            assert_eq!(event.phase(now), want, "{now:?}");
        }
        let (early_close, _) = event_closing_before_start();
        assert_eq!(
            early_close.phase(START.plus_millis(-1)),
            Phase::SignupClosed
        );
    }

    fn event_closing_before_start() -> (Event, Roster) {
        event(json!({ "signup_closes_at": START.0 - Timestamp::DAY }))
    }

    // --- attendance ----------------------------------------------------------------------

    #[test]
    fn attendance_codes_come_from_the_callers_bytes_without_bias() {
        assert_eq!(code().as_str(), "0123YZ");
        assert_eq!(
            AttendanceCode::from_entropy([32, 33, 255, 224, 0, 31]).as_str(),
            "01Z00Z"
        );
        assert_eq!(
            AttendanceCode::from_entropy([7; 6]),
            AttendanceCode::from_entropy([7; 6])
        );
    }

    #[test]
    fn typed_codes_are_forgiving_table() {
        let code = AttendanceCode::parse("K7Q10M").unwrap();
        let cases = [
            ("K7Q10M", true),
            ("k7q10m", true),
            (" k7q-10m ", true),
            ("K7 Q1 0M", true),
            ("K7QIOM", true),
            ("K7QLoM", true),
            ("K7Q10N", false),
            ("K7Q10", false),
            ("K7Q10MM", false),
            ("", false),
            ("Ｋ7Q10M", false),
        ];
        for (typed, ok) in cases {
            assert_eq!(code.matches(typed), ok, "{typed:?}");
        }
        assert!(AttendanceCode::parse("K7Q1U0").is_err());
        assert!(serde_json::from_value::<AttendanceCode>(json!("abc")).is_err());
    }

    #[test]
    fn check_in_window_boundaries() {
        let (event, mut roster) = with_capacity(5);
        sign_up(&event, &mut roster, "a");
        let opens = START.plus_millis(-Timestamp::HOUR);
        let closes = END.plus_millis(Timestamp::HOUR);
        let cases = [
            (
                opens.plus_millis(-1),
                Err(AttendanceError::NotOpenYet { opens_at: opens }),
            ),
            (opens, Ok(())),
            (closes.plus_millis(-1), Ok(())),
            (closes, Err(AttendanceError::Closed)),
        ];
        for (now, want) in cases {
            let mut r = roster.clone();
            let got = r
                .check_in(&event, &m("a"), code().as_str(), now)
                .map(|_| ());
            assert_eq!(got, want, "{now:?}");
        }
    }

    #[test]
    fn checking_in_reports_attended_once() {
        let (event, mut roster) = with_capacity(5);
        sign_up(&event, &mut roster, "a");
        let t = START.plus_millis(5 * Timestamp::MINUTE);
        let first = roster.check_in(&event, &m("a"), "0123yz", t).unwrap();
        assert_eq!(
            first,
            AttendanceOutcome::Attended {
                member: m("a"),
                at: t
            }
        );
        let again = roster
            .check_in(&event, &m("a"), "0123YZ", t.plus_millis(1))
            .unwrap();
        assert_eq!(
            again,
            AttendanceOutcome::AlreadyAttended {
                member: m("a"),
                at: t
            }
        );
        assert_eq!(roster.attended_count(), 1);
        assert_eq!(
            roster.ticket(&m("a")),
            Some(TicketView::Confirmed { attended: true })
        );
    }

    #[test]
    fn check_in_refusals_table() {
        let (event, mut roster) = with_capacity(1);
        sign_up(&event, &mut roster, "a");
        sign_up(&event, &mut roster, "b");
        let t = START;
        let cases = [
            (
                "a",
                "WRONG1",
                AttendanceError::WrongCode,
                ErrorCode::WrongAttendanceCode,
            ),
            (
                "b",
                "0123YZ",
                AttendanceError::OnWaitlist,
                ErrorCode::NotSignedUp,
            ),
            (
                "c",
                "0123YZ",
                AttendanceError::NotSignedUp,
                ErrorCode::NotSignedUp,
            ),
        ];
        for (who, typed, want, wire) in cases {
            let err = roster.check_in(&event, &m(who), typed, t).unwrap_err();
            assert_eq!(err, want, "{who}");
            assert_eq!(ApiError::from(err).code, wire, "{who}");
        }
        assert_eq!(roster.attended_count(), 0);
    }

    #[test]
    fn staff_mark_attendance_without_the_code_and_a_rotated_code_replaces_the_old() {
        let (mut event, mut roster) = with_capacity(5);
        sign_up(&event, &mut roster, "a");
        sign_up(&event, &mut roster, "b");
        assert!(matches!(
            roster.mark_attended(&event, &m("a"), START),
            Ok(AttendanceOutcome::Attended { .. })
        ));
        let fresh = AttendanceCode::from_entropy([9, 9, 9, 9, 9, 9]);
        event.rotate_attendance_code(fresh, SOON).unwrap();
        assert_eq!(
            roster.check_in(&event, &m("b"), "0123YZ", START),
            Err(AttendanceError::WrongCode)
        );
        assert!(roster.check_in(&event, &m("b"), "999999", START).is_ok());
        assert_eq!(roster.attended_count(), 2);
    }

    #[test]
    fn a_cancelled_event_takes_no_check_ins() {
        let (mut event, mut roster) = with_capacity(5);
        sign_up(&event, &mut roster, "a");
        event
            .cancel(&roster, CancelReason::default(), SOON)
            .unwrap();
        let err = roster
            .check_in(&event, &m("a"), "0123YZ", START)
            .unwrap_err();
        assert_eq!(err, AttendanceError::EventCancelled);
        assert_eq!(ApiError::from(err).code, ErrorCode::EventClosed);
    }

    // --- reminders -----------------------------------------------------------------------

    fn kinds(reminders: &[Reminder]) -> Vec<(String, ReminderKind)> {
        reminders
            .iter()
            .map(|r| (r.member.to_string(), r.kind))
            .collect()
    }

    #[test]
    fn reminders_go_out_a_day_and_an_hour_before_once_each() {
        let (event, mut roster) = with_capacity(5);
        sign_up(&event, &mut roster, "a");
        let mut sent = SentReminders::default();
        let day = at(-Timestamp::DAY);
        let hour = at(-Timestamp::HOUR);
        assert!(due_reminders(&event, &roster, day.plus_millis(-1), &sent).is_empty());

        let due = due_reminders(&event, &roster, day, &sent);
        assert_eq!(kinds(&due), [("a".to_owned(), ReminderKind::DayBefore)]);
        assert_eq!(due[0].event, *event.id());
        assert_eq!(due[0].starts_at, START);
        sent.record(&due);
        assert!(due_reminders(&event, &roster, day.plus_millis(Timestamp::HOUR), &sent).is_empty());

        let due = due_reminders(&event, &roster, hour, &sent);
        assert_eq!(kinds(&due), [("a".to_owned(), ReminderKind::HourBefore)]);
        sent.record(&due);
        assert!(due_reminders(&event, &roster, hour.plus_millis(1), &sent).is_empty());
        assert_eq!(sent.len(), 2);
    }

    #[test]
    fn reminder_eligibility_table() {
        // Who is on the roster when the reminder job runs at `run`, and what they get.
        let day = at(-Timestamp::DAY);
        let hour = at(-Timestamp::HOUR);
        let (event, _) = event(json!({"capacity": 2, "signup_closes_at": START.0}));
        let cases: Vec<(&str, Timestamp, Timestamp, Vec<ReminderKind>)> = vec![
            (
                "signed up early, job ran on time",
                SOON,
                day,
                vec![ReminderKind::DayBefore],
            ),
            (
                "signed up early, the day reminder was missed",
                SOON,
                hour.plus_millis(10),
                vec![ReminderKind::HourBefore],
            ),
            (
                "signed up after the day reminder",
                day.plus_millis(1),
                day.plus_millis(5),
                vec![],
            ),
            (
                "signed up after the day reminder, at the hour",
                day.plus_millis(1),
                hour,
                vec![ReminderKind::HourBefore],
            ),
            (
                "signed up exactly at the hour mark",
                hour,
                hour.plus_millis(1),
                vec![],
            ),
            ("after the start", SOON, START, vec![]),
            ("long before", SOON, SOON, vec![]),
        ];
        for (what, signed_up, run, want) in cases {
            let mut roster = Roster::new(Some(Capacity::new(2).unwrap()));
            roster
                .sign_up(&event, m("a"), &no_answers(), signed_up)
                .unwrap();
            let got: Vec<ReminderKind> =
                due_reminders(&event, &roster, run, &SentReminders::default())
                    .iter()
                    .map(|r| r.kind)
                    .collect();
            assert_eq!(got, want, "{what}");
        }
    }

    #[test]
    fn only_confirmed_members_of_a_live_event_are_reminded() {
        let (mut event, mut roster) = with_capacity(1);
        sign_up(&event, &mut roster, "a");
        sign_up(&event, &mut roster, "b");
        let hour = at(-Timestamp::HOUR);
        let due = due_reminders(&event, &roster, hour, &SentReminders::default());
        assert_eq!(kinds(&due), [("a".to_owned(), ReminderKind::HourBefore)]);
        event
            .cancel(&roster, CancelReason::default(), SOON)
            .unwrap();
        assert!(due_reminders(&event, &roster, hour, &SentReminders::default()).is_empty());
    }

    #[test]
    fn next_reminder_time_table() {
        let (event, _) = with_capacity(1);
        let day = at(-Timestamp::DAY);
        let hour = at(-Timestamp::HOUR);
        let cases = [
            (NOW, Some(day)),
            (day.plus_millis(-1), Some(day)),
            (day, Some(hour)),
            (hour, None),
            (END, None),
        ];
        for (now, want) in cases {
            assert_eq!(next_reminder_at(&event, now), want, "{now:?}");
        }
    }

    #[test]
    fn sent_reminders_round_trip_through_json() {
        let mut sent = SentReminders::default();
        sent.record(&[Reminder {
            event: EventId::parse("e").unwrap(),
            member: m("a"),
            kind: ReminderKind::DayBefore,
            starts_at: START,
        }]);
        let value = serde_json::to_value(&sent).unwrap();
        assert_eq!(value, json!([{"kind": "day_before", "member": "a"}]));
        let back: SentReminders = serde_json::from_value(value).unwrap();
        assert!(back.contains(ReminderKind::DayBefore, &m("a")));
        assert!(!back.contains(ReminderKind::HourBefore, &m("a")));
    }

    // --- views and storage ---------------------------------------------------------------

    #[test]
    fn the_online_link_is_shown_to_confirmed_members_only_and_the_code_never() {
        let (event, mut roster) = event(json!({
            "capacity": 1,
            "venue": {"kind": "online", "url": "https://live.example/room"}
        }));
        sign_up(&event, &mut roster, "a");
        sign_up(&event, &mut roster, "b");
        let link = |viewer: Option<&str>| {
            let who = viewer.map(m);
            match EventView::new(&event, &roster, who.as_ref(), SOON).venue {
                VenueView::Online { url } => url,
                VenueView::Offline { .. } => None,
            }
        };
        assert_eq!(
            link(Some("a")).as_deref(),
            Some("https://live.example/room")
        );
        assert_eq!(link(Some("b")), None);
        assert_eq!(link(None), None);

        let view = EventView::new(&event, &roster, Some(&m("b")), SOON);
        assert_eq!(view.my_ticket, Some(TicketView::Waitlisted { position: 1 }));
        assert_eq!(
            (view.confirmed, view.waiting, view.seats_left),
            (1, 1, Some(0))
        );
        let text = serde_json::to_string(&view).unwrap();
        assert!(!text.contains(code().as_str()));
        assert!(text.contains("\"phase\":\"signup_open\""));

        let organiser = OrganiserEventView::new(&event, &roster, SOON);
        assert_eq!(organiser.attendance_code, code().as_str());
        assert_eq!(organiser.attendees.len(), 2);
        assert_eq!(
            serde_json::to_value(organiser.attendees[1].ticket).unwrap(),
            json!({"status": "waitlisted", "position": 1})
        );
    }

    #[test]
    fn event_and_roster_round_trip_through_storage_json() {
        let (event, mut roster) = event(json!({"capacity": 1, "questions": questions()}));
        roster
            .sign_up(
                &event,
                m("a"),
                &serde_json::from_value(json!({"name": "Li", "size": "S"})).unwrap(),
                SOON,
            )
            .unwrap();
        roster
            .sign_up(
                &event,
                m("b"),
                &serde_json::from_value(json!({"name": "Wu", "size": "L"})).unwrap(),
                SOON,
            )
            .unwrap();
        let e: Event = serde_json::from_str(&serde_json::to_string(&event).unwrap()).unwrap();
        let r: Roster = serde_json::from_str(&serde_json::to_string(&roster).unwrap()).unwrap();
        assert_eq!((e, r), (event, roster));
    }

    #[test]
    fn a_stored_roster_that_breaks_an_invariant_is_refused() {
        let seat = |who: &str| json!({"member": who, "signed_up_at": 1, "confirmed_at": 1});
        let wait = |who: &str| json!({"member": who, "signed_up_at": 1});
        let bad = [
            json!({"capacity": 2, "confirmed": [seat("a"), seat("a")], "waitlist": []}),
            json!({"capacity": 2, "confirmed": [seat("a")], "waitlist": [wait("a")]}),
            json!({"capacity": 1, "confirmed": [seat("a"), seat("b")], "waitlist": []}),
            json!({"capacity": 2, "confirmed": [seat("a")], "waitlist": [wait("b")]}),
        ];
        for value in bad {
            assert!(
                serde_json::from_value::<Roster>(value.clone()).is_err(),
                "{value}"
            );
        }
        let good = json!({"capacity": 1, "confirmed": [seat("a")], "waitlist": [wait("b")]});
        assert!(serde_json::from_value::<Roster>(good).is_ok());
    }

    #[test]
    fn error_codes_table() {
        let cases: Vec<(ApiError, ErrorCode)> = vec![
            (SignUpError::Closed.into(), ErrorCode::EventClosed),
            (SignUpError::WaitlistFull.into(), ErrorCode::EventClosed),
            (
                SignUpError::NotOpenYet { opens_at: NOW }.into(),
                ErrorCode::EventClosed,
            ),
            (SignUpError::Cancelled.into(), ErrorCode::EventClosed),
            (
                CreateEventError::StartsInPast.into(),
                ErrorCode::InvalidInput,
            ),
            (ChangeEventError::Cancelled.into(), ErrorCode::EventClosed),
            (CancelEventError::Ended.into(), ErrorCode::EventClosed),
            (AttendanceError::Closed.into(), ErrorCode::EventClosed),
            (
                AnswerError::Missing(QuestionId::parse("q").unwrap()).into(),
                ErrorCode::InvalidInput,
            ),
        ];
        for (err, want) in cases {
            assert_eq!(err.code, want, "{err}");
        }
    }

    #[test]
    fn the_waitlist_has_a_ceiling() {
        let (event, mut roster) = with_capacity(1);
        sign_up(&event, &mut roster, "first");
        for i in 0..Roster::MAX_WAITLIST {
            sign_up(&event, &mut roster, &format!("w{i}"));
        }
        assert_eq!(
            roster.sign_up(&event, m("late"), &no_answers(), SOON),
            Err(SignUpError::WaitlistFull)
        );
    }

    // --- properties ----------------------------------------------------------------------

    #[derive(Debug, Clone)]
    enum Op {
        SignUp(u8),
        Cancel(u8),
        Capacity(Option<u32>),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (0..10u8).prop_map(Op::SignUp),
            3 => (0..10u8).prop_map(Op::Cancel),
            1 => proptest::option::weighted(0.8, 1..7u32).prop_map(Op::Capacity),
        ]
    }

    proptest! {
        /// Whatever is typed as an online event's link: no panic, and a link only when it
        /// is `https://`, has a host without credentials, and holds no spaces, quotes or
        /// angle brackets (it is drawn into attendees' pages).
        #[test]
        fn event_links_are_https_with_a_host_and_nothing_that_breaks_out(
            raw in prop_oneof![
                "(https|HTTPS|http|javascript)://[a-z@.:]{0,12}(/[a-z0-9 \"<>`%?#=.-]{0,12}){0,3}",
                any::<String>(),
            ],
        ) {
            let Ok(url) = EventUrl::parse(&raw) else { return Ok(()) };
            let url = url.as_str();
            prop_assert!(url.len() <= EventUrl::MAX_LEN);
            prop_assert!(url.get(..8).is_some_and(|s| s.eq_ignore_ascii_case("https://")), "{}", url);
            let host = url[8..].split(['/', '?', '#']).next().unwrap_or_default();
            prop_assert!(!host.is_empty() && !host.contains('@'), "{}", url);
            prop_assert!(!url.chars().any(|c| c.is_whitespace() || c.is_control() || "\"<>\\`".contains(c)), "{}", url);
        }
    }

    proptest! {
        /// Against a reference model (a set of confirmed and a FIFO queue): the confirmed
        /// never exceed the capacity; nobody appears twice; nobody waits while a seat is
        /// free; the waitlist is served first come, first served; a cancelled seat promotes
        /// exactly the first waiting member when someone waits, and nobody otherwise;
        /// a refused step changes nothing; the roster survives storage.
        #[test]
        fn roster_invariants_hold_over_any_sequence(
            initial in proptest::option::of(1..5u32),
            ops in proptest::collection::vec(op(), 0..80),
        ) {
            let (event, mut roster) = match initial {
                Some(c) => with_capacity(c),
                None => event(json!({})),
            };
            let mut confirmed: BTreeSet<MemberId> = BTreeSet::new();
            let mut queue: VecDeque<MemberId> = VecDeque::new();
            let limit = |r: &Roster| r.capacity().map_or(Roster::MAX_CONFIRMED, |c| c.get() as usize);

            for op in ops {
                let before = roster.clone();
                match op {
                    Op::SignUp(i) => {
                        let who = m(&format!("m{i}"));
                        let result = roster.sign_up(&event, who.clone(), &no_answers(), SOON);
                        if confirmed.contains(&who) || queue.contains(&who) {
                            prop_assert_eq!(result, Err(SignUpError::AlreadySignedUp));
                            prop_assert_eq!(&roster, &before);
                        } else if queue.is_empty() && confirmed.len() < limit(&before) {
                            prop_assert_eq!(result.map(|o| o.ticket), Ok(TicketView::Confirmed { attended: false }));
                            confirmed.insert(who);
                        } else {
                            queue.push_back(who);
                            prop_assert_eq!(
                                result.map(|o| o.ticket),
                                Ok(TicketView::Waitlisted { position: count(queue.len()) })
                            );
                        }
                    }
                    Op::Cancel(i) => {
                        let who = m(&format!("m{i}"));
                        let result = roster.cancel(&event, &who, SOON);
                        if confirmed.remove(&who) {
                            let expected = queue.pop_front();
                            if let Some(next) = &expected {
                                confirmed.insert(next.clone());
                            }
                            prop_assert_eq!(result, Ok(CancelOutcome { released: Released::Seat, promoted: expected }));
                        } else if let Some(pos) = queue.iter().position(|w| w == &who) {
                            queue.remove(pos);
                            prop_assert_eq!(result, Ok(CancelOutcome { released: Released::WaitlistPlace, promoted: None }));
                        } else {
                            prop_assert_eq!(result, Err(CancelSignUpError::NotSignedUp));
                            prop_assert_eq!(&roster, &before);
                        }
                    }
                    Op::Capacity(seats) => {
                        let capacity = seats.map(|s| Capacity::new(s).unwrap());
                        let result = roster.change_capacity(&event, capacity, SOON);
                        if seats.is_some_and(|s| (s as usize) < confirmed.len()) {
                            prop_assert_eq!(result, Err(CapacityError::BelowConfirmed { confirmed: count(confirmed.len()) }));
                            prop_assert_eq!(&roster, &before);
                        } else {
                            let room = limit(&roster).saturating_sub(confirmed.len());
                            let expected: Vec<MemberId> = queue.drain(..room.min(queue.len())).collect();
                            confirmed.extend(expected.iter().cloned());
                            prop_assert_eq!(result, Ok(CapacityOutcome { promoted: expected }));
                        }
                    }
                }

                // The model and the roster agree.
                let actual_confirmed: BTreeSet<MemberId> = roster.confirmed().iter().map(|s| s.member.clone()).collect();
                prop_assert_eq!(&actual_confirmed, &confirmed);
                let actual_queue: VecDeque<MemberId> = roster.waitlist().map(|w| w.member.clone()).collect();
                prop_assert_eq!(&actual_queue, &queue);
                // Invariants.
                prop_assert!(roster.confirmed().len() <= limit(&roster));
                let everyone: Vec<&MemberId> = roster.members().collect();
                let distinct: BTreeSet<&MemberId> = everyone.iter().copied().collect();
                prop_assert_eq!(everyone.len(), distinct.len());
                prop_assert!(queue.is_empty() || roster.confirmed().len() == limit(&roster));
                let stored: Roster = serde_json::from_str(&serde_json::to_string(&roster).unwrap()).unwrap();
                prop_assert_eq!(&stored, &roster);
            }
        }

        #[test]
        fn any_code_matches_itself_however_it_is_typed(bytes in any::<[u8; 6]>(), lower in any::<bool>(), dash in 0..7usize) {
            let code = AttendanceCode::from_entropy(bytes);
            let mut typed = if lower { code.as_str().to_ascii_lowercase() } else { code.as_str().to_owned() };
            if let Some(split) = typed.char_indices().nth(dash).map(|(i, _)| i) {
                typed.insert(split, '-');
            }
            prop_assert!(code.matches(&typed));
            prop_assert_eq!(AttendanceCode::parse(&typed), Ok(code.clone()));
        }

        #[test]
        fn reminders_never_repeat_and_only_reach_confirmed_members(
            signups in proptest::collection::vec((0..6u8, 0..(10 * 24i64)), 0..12),
            runs in proptest::collection::vec(0..(10 * 24 * 60i64), 1..20),
        ) {
            let (event, _) = with_capacity(3);
            let mut sent = SentReminders::default();
            let mut seen: BTreeSet<(ReminderKind, MemberId)> = BTreeSet::new();
            let mut runs = runs;
            runs.sort_unstable();
            // Members sign up at hour offsets after NOW; reminder jobs run at minute offsets.
            let mut signups = signups;
            signups.sort_by_key(|(_, h)| *h);
            for minute in runs {
                let now = NOW.plus_millis(minute * Timestamp::MINUTE);
                let mut roster = Roster::new(Some(Capacity::new(3).unwrap()));
                for (who, hour) in &signups {
                    let t = NOW.plus_millis(hour * Timestamp::HOUR);
                    if t <= now {
                        let _ = roster.sign_up(&event, m(&format!("m{who}")), &no_answers(), t);
                    }
                }
                let due = due_reminders(&event, &roster, now, &sent);
                for r in &due {
                    prop_assert!(seen.insert((r.kind, r.member.clone())), "sent twice: {:?}", r);
                    let confirmed = matches!(roster.ticket(&r.member), Some(TicketView::Confirmed { .. }));
                    prop_assert!(confirmed, "reminded while not confirmed: {:?}", r);
                    prop_assert!(r.kind.due_at(START) <= now && now < START);
                }
                sent.record(&due);
            }
        }
    }
}
