//! Events as use cases: staff publish, edit, cancel, resize and run events; members list
//! them, sign up with answers, cancel and check in at the venue; the reminder job tells
//! confirmed members a day and an hour before. The rules are in [`crate::events`]; this
//! module loads, authorises, calls one transition and writes everything in one batch.
//!
//! Storage (see [`crate::events`] for the first four):
//! * `event/{id}` → [`Event`], `event-roster/{id}` → [`Roster`],
//!   `event-answers/{id}/{member}` → [`Answers`], `event-reminders/{id}` → [`SentReminders`];
//! * `event-ends/{ends_at, 13 digits}/{id}` → the event id: the index that lists events that
//!   have not ended, soonest to end first (written on creation; the schedule never changes).

mod csv;
#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

use crate::accounts::Role;
use crate::community::TimeZone;
use crate::error::{ApiError, ErrorCode};
use crate::events::{
    Answers, AttendanceCode, AttendanceOutcome, AttendeeRow, CancelEventRequest, CapacityRequest,
    CheckInRequest, Event, EventDraft, EventEdit, EventId, EventView, OrganiserEventView, Released,
    Roster, SentReminders, SignUpRequest, TicketView, due_reminders, next_reminder_at,
};
use crate::ids::{CommunitySlug, MemberId};
use crate::moderation::{self, ActorRole};
use crate::notify::{ActivityKind, NotificationKind, NotificationTarget, Notify};
use crate::points::{Action, BalanceView, CauseKey, LedgerEntry, PointRules, PointsAccount};
use crate::recognition::Activity;
use crate::sso::MemberProfile;
use crate::store::{Store, get_json};
use crate::talk::{Cursor, PageSize};
use crate::time::Timestamp;
use crate::webhook::{self, SignupStatus, WebhookEvent};

use super::{Actor, Change, Outcome, Reply, identity, keys, load_community};

pub use csv::attendees_csv;

/// Storage keys of this area (the domain's, plus the listing index).
pub mod event_keys {
    use crate::events::EventId;
    use crate::ids::MemberId;
    use crate::time::Timestamp;

    pub fn event(id: &EventId) -> String {
        format!("event/{id}")
    }

    pub fn roster(id: &EventId) -> String {
        format!("event-roster/{id}")
    }

    pub fn answers(id: &EventId, member: &MemberId) -> String {
        format!("event-answers/{id}/{member}")
    }

    pub fn answers_prefix(id: &EventId) -> String {
        format!("event-answers/{id}/")
    }

    pub fn reminders(id: &EventId) -> String {
        format!("event-reminders/{id}")
    }

    /// The index of events by end time.
    pub const BY_END: &str = "event-ends/";

    pub fn by_end(ends_at: Timestamp, id: &EventId) -> String {
        format!("{BY_END}{:013}/{id}", ends_at.millis().max(0))
    }

    /// The greatest key of events that end at or before `now` (ids are `a-z 0-9 -`, all
    /// below `~`), so listing after it yields the events still to end.
    pub fn ended_by(now: Timestamp) -> String {
        format!("{BY_END}{:013}/~", now.millis().max(0))
    }
}

/// The commands of this area (see [`super::Command::Events`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventCommand {
    /// Staff (`ManageEvents`) publish an event; the worker drew the id and the code's bytes.
    Create {
        id: EventId,
        code_entropy: [u8; AttendanceCode::LEN],
        draft: EventDraft,
    },
    /// Staff (`ManageEvents`) change the title, description and venue.
    Edit { event: EventId, edit: EventEdit },
    /// Staff (`ManageEvents`) cancel the event; everyone on the roster is told.
    Cancel {
        event: EventId,
        request: CancelEventRequest,
    },
    /// Staff (`ManageEvents`) set the capacity; raising it promotes from the waitlist.
    ChangeCapacity {
        event: EventId,
        request: CapacityRequest,
    },
    /// Staff (`ManageEvents`) replace the attendance code (the worker drew the bytes).
    RotateCode {
        event: EventId,
        code_entropy: [u8; AttendanceCode::LEN],
    },
    /// Staff (`MarkAttendance`) read the attendee list with answers and check-in status.
    Attendees { event: EventId },
    /// Staff (`MarkAttendance`) mark a confirmed member present without the code.
    MarkAttended { event: EventId, member: MemberId },
    /// Anyone: the events that have not ended (with `include_ended`, all of them, for the
    /// dashboard's history), soonest to end first.
    List {
        #[serde(default)]
        cursor: Option<Cursor>,
        #[serde(default)]
        limit: Option<PageSize>,
        #[serde(default)]
        include_ended: bool,
    },
    /// Anyone: one event; a signed-in member also sees their ticket.
    Get { event: EventId },
    /// A member (not banned) signs up with answers: a seat, or a place on the waitlist.
    SignUp {
        event: EventId,
        request: SignUpRequest,
    },
    /// A member gives up their seat (the first waiting is promoted) or waitlist place.
    CancelSignUp { event: EventId },
    /// A confirmed member checks in at the event with its code.
    CheckIn {
        event: EventId,
        request: CheckInRequest,
    },
    /// The operator (the reminder alarm): records and sends every reminder now due.
    DueReminders,
}

/// The replies of this area; [`EventReply::into_body`] is what HTTP clients receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum EventReply {
    /// The organiser's view (with the attendance code) after a staff change.
    Organiser(OrganiserEventView),
    Attendees(AttendeeList),
    Event(EventView),
    Page(EventPage),
    SignedUp(SignedUp),
    SignUpCancelled(SignUpCancelled),
    Attendance(AttendanceResult),
    Reminders(RemindersSent),
}

impl EventReply {
    /// The JSON body of the HTTP response.
    pub fn into_body(self) -> Result<serde_json::Value, ApiError> {
        let value = match self {
            Self::Organiser(view) => serde_json::to_value(view),
            Self::Attendees(list) => serde_json::to_value(list),
            Self::Event(view) => serde_json::to_value(view),
            Self::Page(page) => serde_json::to_value(page),
            Self::SignedUp(signed) => serde_json::to_value(signed),
            Self::SignUpCancelled(cancelled) => serde_json::to_value(cancelled),
            Self::Attendance(result) => serde_json::to_value(result),
            Self::Reminders(sent) => serde_json::to_value(sent),
        };
        value.map_err(|e| ApiError::new(ErrorCode::Internal, format!("encoding a reply: {e}")))
    }
}

/// `GET …/events`: one page of events and where the next starts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EventPage {
    pub events: Vec<EventView>,
    pub next: Option<Cursor>,
}

/// `POST …/events/{id}/signup`: the member's ticket and the event as they now see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignedUp {
    pub ticket: TicketView,
    pub event: EventView,
}

/// `DELETE …/events/{id}/signup`: what the member gave up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SignUpCancelled {
    pub released: Released,
    pub event: EventView,
}

/// A check-in (by the member, or marked by staff): the outcome and the points it earned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendanceResult {
    #[serde(flatten)]
    pub outcome: AttendanceOutcome,
    /// The ledger lines written (none when already attended or the rule gives nothing).
    pub awarded: Vec<LedgerEntry>,
    /// The attendee's balance after it.
    pub balance: BalanceView,
}

/// `POST …/events/reminders`: how many reminders were sent, and when to run again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemindersSent {
    pub sent: u32,
    pub events: u32,
    /// The earliest instant another reminder may fall due (for the next alarm).
    pub next_at: Option<Timestamp>,
}

/// One attendee line for staff: the roster row, the member's name and their answers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendeeLine {
    #[serde(flatten)]
    pub row: AttendeeRow,
    /// As the brand's token last named them (absent if never seen).
    pub name: Option<String>,
    pub answers: Answers,
}

/// `GET …/events/{id}/attendees`: confirmed in seat order, then the waitlist in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttendeeList {
    pub event: EventView,
    pub attendance_code: String,
    pub attended: u32,
    pub attendees: Vec<AttendeeLine>,
}

pub async fn handle(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    command: EventCommand,
    now: Timestamp,
) -> Result<Outcome, ApiError> {
    let reply = match command {
        EventCommand::Create {
            id,
            code_entropy,
            draft,
        } => create(store, slug, actor, id, code_entropy, draft, now).await?,
        EventCommand::Edit { event, edit } => {
            staff_change(store, slug, actor, &event, now, |event, _, now| {
                event.edit(edit, now)?;
                Ok(StaffEffect::event_only())
            })
            .await?
        }
        EventCommand::Cancel { event, request } => {
            staff_change(store, slug, actor, &event, now, |event, roster, now| {
                let cancelled = event.cancel(roster, request.reason, now)?;
                Ok(StaffEffect {
                    notify: cancelled.notify,
                    kind: NotificationKind::EventCancelled,
                    ..StaffEffect::event_only()
                })
            })
            .await?
        }
        EventCommand::ChangeCapacity { event, request } => {
            staff_change(store, slug, actor, &event, now, |event, roster, now| {
                let changed = roster.change_capacity(event, request.capacity, now)?;
                Ok(StaffEffect {
                    roster_changed: true,
                    event_changed: false,
                    notify: changed.promoted,
                    kind: NotificationKind::EventPromoted,
                })
            })
            .await?
        }
        EventCommand::RotateCode {
            event,
            code_entropy,
        } => {
            staff_change(store, slug, actor, &event, now, |event, _, now| {
                event.rotate_attendance_code(AttendanceCode::from_entropy(code_entropy), now)?;
                Ok(StaffEffect::event_only())
            })
            .await?
        }
        EventCommand::Attendees { event } => attendees(store, slug, actor, &event, now).await?,
        EventCommand::MarkAttended { event, member } => {
            mark_attended(store, slug, actor, &event, &member, now).await?
        }
        EventCommand::List {
            cursor,
            limit,
            include_ended,
        } => {
            let limit = limit.unwrap_or_default();
            list(store, slug, actor, cursor, limit, include_ended, now).await?
        }
        EventCommand::Get { event } => {
            let viewer = identity::viewer(store, slug, actor, now)
                .await?
                .map(|m| m.id);
            let (event, roster) = load_event(store, &event).await?;
            EventReply::Event(EventView::new(&event, &roster, viewer.as_ref(), now))
        }
        EventCommand::SignUp { event, request } => {
            sign_up(store, slug, actor, &event, request, now).await?
        }
        EventCommand::CancelSignUp { event } => {
            cancel_sign_up(store, slug, actor, &event, now).await?
        }
        EventCommand::CheckIn { event, request } => {
            check_in(store, slug, actor, &event, &request, now).await?
        }
        EventCommand::DueReminders => send_due_reminders(store, slug, actor, now).await?,
    };
    Ok(Outcome::read(Reply::Events(reply)))
}

// ---------------------------------------------------------------------------------------------
// Loading and authorising
// ---------------------------------------------------------------------------------------------

fn no_such_event(id: &EventId) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("there is no event `{id}`"))
}

async fn load_event(store: &impl Store, id: &EventId) -> Result<(Event, Roster), ApiError> {
    let event = get_json::<Event>(store, &event_keys::event(id))
        .await?
        .ok_or_else(|| no_such_event(id))?;
    let roster = get_json::<Roster>(store, &event_keys::roster(id))
        .await?
        .ok_or_else(|| no_such_event(id))?;
    Ok((event, roster))
}

/// Staff may do `action` here: the operator, or a marketer whose role in this community's
/// own staff list allows it in the moderation permission table.
async fn require_staff(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    action: moderation::Action,
) -> Result<(), ApiError> {
    let refused = || {
        ApiError::new(
            ErrorCode::Forbidden,
            "only the community's staff may do this with events",
        )
    };
    let role = match actor {
        Actor::Operator => ActorRole::Owner,
        Actor::Marketer { email } => {
            load_community(store, slug).await?;
            match get_json::<Role>(store, &keys::staff(email)).await? {
                Some(role) => ActorRole::from(role),
                None => return Err(refused()),
            }
        }
        Actor::Member { .. } => return Err(refused()),
        Actor::Anonymous => {
            return Err(ApiError::new(
                ErrorCode::Unauthenticated,
                "sign in to the dashboard to manage events",
            ));
        }
    };
    if moderation::can(role, action) {
        Ok(())
    } else {
        Err(ApiError::new(
            ErrorCode::Forbidden,
            "your role in this community does not allow this",
        ))
    }
}

fn event_target(id: &EventId) -> NotificationTarget {
    NotificationTarget {
        event: Some(id.to_string()),
        ..NotificationTarget::default()
    }
}

/// The `event.signup` webhook event of `member`'s place in `event`.
fn signup_event(
    event: &Event,
    member: MemberId,
    status: SignupStatus,
    position: Option<u32>,
) -> WebhookEvent {
    WebhookEvent::EventSignup(webhook::EventSignup {
        event: event.id().clone(),
        title: event.title().as_str().to_owned(),
        member,
        status,
        position,
    })
}

fn notify_all(change: &mut Change, members: Vec<MemberId>, kind: NotificationKind, id: &EventId) {
    change
        .notify
        .extend(members.into_iter().map(|recipient| Notify {
            recipient,
            kind,
            actor: None,
            target: event_target(id),
        }));
}

// ---------------------------------------------------------------------------------------------
// Staff
// ---------------------------------------------------------------------------------------------

async fn create(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: EventId,
    code_entropy: [u8; AttendanceCode::LEN],
    draft: EventDraft,
    now: Timestamp,
) -> Result<EventReply, ApiError> {
    require_staff(store, slug, actor, moderation::Action::ManageEvents).await?;
    let community = load_community(store, slug).await?;
    if store.get(&event_keys::event(&id)).await?.is_some() {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            format!("there is already an event `{id}`"),
        ));
    }
    let code = AttendanceCode::from_entropy(code_entropy);
    let (event, roster) = Event::create(id, draft, code, now)?;
    let mut change = Change::new();
    change
        .batch
        .put_json(event_keys::event(event.id()), &event)?;
    change
        .batch
        .put_json(event_keys::roster(event.id()), &roster)?;
    change.batch.put_json(
        event_keys::by_end(event.schedule().ends_at(), event.id()),
        event.id(),
    )?;
    change.commit(store, community.time_zone, now).await?;
    Ok(EventReply::Organiser(OrganiserEventView::new(
        &event, &roster, now,
    )))
}

/// What a staff transition changed and whom to tell.
struct StaffEffect {
    event_changed: bool,
    roster_changed: bool,
    notify: Vec<MemberId>,
    kind: NotificationKind,
}

impl StaffEffect {
    /// The event itself changed; nobody is told (`kind` matters only with recipients).
    fn event_only() -> Self {
        Self {
            event_changed: true,
            roster_changed: false,
            notify: Vec::new(),
            kind: NotificationKind::EventPromoted,
        }
    }
}

/// Loads the event, applies one `ManageEvents` transition, writes what it changed with its
/// notifications, and answers with the organiser's view.
async fn staff_change(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: &EventId,
    now: Timestamp,
    transition: impl FnOnce(&mut Event, &mut Roster, Timestamp) -> Result<StaffEffect, ApiError>,
) -> Result<EventReply, ApiError> {
    require_staff(store, slug, actor, moderation::Action::ManageEvents).await?;
    let community = load_community(store, slug).await?;
    let (mut event, mut roster) = load_event(store, id).await?;
    let effect = transition(&mut event, &mut roster, now)?;
    let mut change = Change::new();
    if effect.event_changed {
        change.batch.put_json(event_keys::event(id), &event)?;
    }
    if effect.roster_changed {
        change.batch.put_json(event_keys::roster(id), &roster)?;
    }
    if effect.kind == NotificationKind::EventPromoted {
        for member in &effect.notify {
            let promoted = signup_event(&event, member.clone(), SignupStatus::Promoted, None);
            change.webhooks.push(promoted);
        }
    }
    notify_all(&mut change, effect.notify, effect.kind, id);
    change.commit(store, community.time_zone, now).await?;
    Ok(EventReply::Organiser(OrganiserEventView::new(
        &event, &roster, now,
    )))
}

async fn attendees(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: &EventId,
    now: Timestamp,
) -> Result<EventReply, ApiError> {
    require_staff(store, slug, actor, moderation::Action::MarkAttendance).await?;
    let (event, roster) = load_event(store, id).await?;
    // All answers of the event, a page at a time (the roster bounds their number).
    let prefix = event_keys::answers_prefix(id);
    let mut answers: std::collections::BTreeMap<String, Answers> =
        std::collections::BTreeMap::new();
    let mut after: Option<String> = None;
    loop {
        let page = store.list(&prefix, after.as_deref(), 500).await?;
        for (key, value) in page.entries {
            let parsed: Answers = serde_json::from_str(&value).map_err(|e| {
                ApiError::from(crate::store::StoreError(format!("corrupt {key}: {e}")))
            })?;
            if let Some(member) = key.strip_prefix(&prefix) {
                answers.insert(member.to_owned(), parsed);
            }
        }
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    let mut lines = Vec::with_capacity(roster.attendees().len());
    for row in roster.attendees() {
        let name = get_json::<MemberProfile>(store, &keys::profile(&row.member))
            .await?
            .map(|p| p.name.to_string());
        let answers = answers.remove(row.member.as_str()).unwrap_or_default();
        lines.push(AttendeeLine { row, name, answers });
    }
    Ok(EventReply::Attendees(AttendeeList {
        event: EventView::new(&event, &roster, None, now),
        attendance_code: event.attendance_code().as_str().to_owned(),
        attended: roster.attended_count(),
        attendees: lines,
    }))
}

async fn mark_attended(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: &EventId,
    member: &MemberId,
    now: Timestamp,
) -> Result<EventReply, ApiError> {
    require_staff(store, slug, actor, moderation::Action::MarkAttendance).await?;
    let community = load_community(store, slug).await?;
    let (event, mut roster) = load_event(store, id).await?;
    let outcome = roster.mark_attended(&event, member, now)?;
    attended(store, community.time_zone, id, member, roster, outcome, now).await
}

// ---------------------------------------------------------------------------------------------
// Members
// ---------------------------------------------------------------------------------------------

async fn list(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    cursor: Option<Cursor>,
    limit: PageSize,
    include_ended: bool,
    now: Timestamp,
) -> Result<EventReply, ApiError> {
    let viewer = identity::viewer(store, slug, actor, now)
        .await?
        .map(|m| m.id);
    let prefix = event_keys::BY_END;
    // Past the events that have ended (unless wanted), and past the cursor: whichever is
    // further, so an old cursor cannot bring an ended event back.
    let floor = (!include_ended).then(|| event_keys::ended_by(now));
    let start_after = match (cursor.map(|c| c.start_after(prefix)), floor) {
        (Some(after), Some(floor)) => Some(after.max(floor)),
        (after, floor) => after.or(floor),
    };
    let page = store
        .list(prefix, start_after.as_deref(), limit.get())
        .await?;
    let mut events = Vec::with_capacity(page.entries.len());
    for (key, _) in &page.entries {
        let Some(raw) = key.rsplit('/').next() else {
            continue;
        };
        let Ok(id) = EventId::parse(raw) else {
            continue;
        };
        let (event, roster) = load_event(store, &id).await?;
        events.push(EventView::new(&event, &roster, viewer.as_ref(), now));
    }
    Ok(EventReply::Page(EventPage {
        events,
        next: Cursor::next(prefix, &page),
    }))
}

async fn sign_up(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: &EventId,
    request: SignUpRequest,
    now: Timestamp,
) -> Result<EventReply, ApiError> {
    let member = identity::writing_member(store, slug, actor, now).await?;
    let community = load_community(store, slug).await?;
    let (event, mut roster) = load_event(store, id).await?;
    let signed = roster.sign_up(&event, member.id.clone(), &request.answers, now)?;
    let mut change = Change::new();
    change.batch.put_json(event_keys::roster(id), &roster)?;
    change
        .batch
        .put_json(event_keys::answers(id, &member.id), &signed.answers)?;
    change.batch.put_json(keys::profile(&member.id), &member)?;
    change.activity.push((
        member.id.clone(),
        ActivityKind::SignedUp,
        Some(id.to_string()),
    ));
    let (status, position) = match signed.ticket {
        TicketView::Confirmed { .. } => (SignupStatus::Confirmed, None),
        TicketView::Waitlisted { position } => (SignupStatus::Waitlisted, Some(position)),
    };
    change
        .webhooks
        .push(signup_event(&event, member.id.clone(), status, position));
    change.commit(store, community.time_zone, now).await?;
    Ok(EventReply::SignedUp(SignedUp {
        ticket: signed.ticket,
        event: EventView::new(&event, &roster, Some(&member.id), now),
    }))
}

async fn cancel_sign_up(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: &EventId,
    now: Timestamp,
) -> Result<EventReply, ApiError> {
    let member = identity::member(store, slug, actor, now).await?;
    let community = load_community(store, slug).await?;
    let (event, mut roster) = load_event(store, id).await?;
    let cancelled = roster.cancel(&event, &member.id, now)?;
    let mut change = Change::new();
    change.batch.put_json(event_keys::roster(id), &roster)?;
    change.batch.delete(event_keys::answers(id, &member.id));
    if let Some(promoted) = cancelled.promoted {
        let promoted_event = signup_event(&event, promoted.clone(), SignupStatus::Promoted, None);
        change.webhooks.push(promoted_event);
        notify_all(
            &mut change,
            vec![promoted],
            NotificationKind::EventPromoted,
            id,
        );
    }
    change.activity.push((
        member.id.clone(),
        ActivityKind::CancelledSignUp,
        Some(id.to_string()),
    ));
    change.commit(store, community.time_zone, now).await?;
    Ok(EventReply::SignUpCancelled(SignUpCancelled {
        released: cancelled.released,
        event: EventView::new(&event, &roster, Some(&member.id), now),
    }))
}

async fn check_in(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    id: &EventId,
    request: &CheckInRequest,
    now: Timestamp,
) -> Result<EventReply, ApiError> {
    let member = identity::writing_member(store, slug, actor, now).await?;
    let community = load_community(store, slug).await?;
    let (event, mut roster) = load_event(store, id).await?;
    let outcome = roster.check_in(&event, &member.id, &request.code, now)?;
    attended(
        store,
        community.time_zone,
        id,
        &member.id,
        roster,
        outcome,
        now,
    )
    .await
}

/// Writes a first attendance with its points and activity; a repeated one writes nothing.
async fn attended(
    store: &impl Store,
    tz: TimeZone,
    id: &EventId,
    member: &MemberId,
    roster: Roster,
    outcome: AttendanceOutcome,
    now: Timestamp,
) -> Result<EventReply, ApiError> {
    let AttendanceOutcome::Attended { .. } = outcome else {
        let account = get_json::<PointsAccount>(store, &keys::points(member))
            .await?
            .unwrap_or_default();
        return Ok(EventReply::Attendance(AttendanceResult {
            outcome,
            awarded: Vec::new(),
            balance: account.view(),
        }));
    };
    let rules = get_json::<PointRules>(store, keys::RULES_POINTS)
        .await?
        .unwrap_or_default();
    let cause =
        CauseKey::new("event", id.as_str()).map_err(|e| ApiError::invalid(e.to_string()))?;
    let mut change = Change::new();
    // Points, leaderboards, stats and recognition in the same batch as the attendance.
    let earning = super::points::earn::earn(
        store,
        &mut change,
        member,
        vec![rules.award(Action::EventAttended, cause)],
        &[Activity::EventAttended],
        tz,
        now,
    )
    .await?;
    change.batch.put_json(event_keys::roster(id), &roster)?;
    change
        .activity
        .push((member.clone(), ActivityKind::Attended, Some(id.to_string())));
    change.commit(store, tz, now).await?;
    Ok(EventReply::Attendance(AttendanceResult {
        outcome,
        awarded: earning.awarded,
        balance: earning.account.view(),
    }))
}

// ---------------------------------------------------------------------------------------------
// Reminders
// ---------------------------------------------------------------------------------------------

/// Every reminder due now, for every event that has not ended, recorded and sent in one
/// batch: a reminder is sent once, however often this runs.
async fn send_due_reminders(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<EventReply, ApiError> {
    match actor {
        Actor::Operator => {}
        Actor::Anonymous => {
            return Err(ApiError::new(
                ErrorCode::Unauthenticated,
                "reminders are sent by the deployment's operator",
            ));
        }
        Actor::Member { .. } | Actor::Marketer { .. } => {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "reminders are sent by the deployment's operator",
            ));
        }
    }
    let community = load_community(store, slug).await?;
    let mut change = Change::new();
    let (mut sent, mut events) = (0u32, 0u32);
    let mut next_at: Option<Timestamp> = None;
    let mut after = event_keys::ended_by(now);
    loop {
        let page = store.list(event_keys::BY_END, Some(&after), 100).await?;
        for (key, _) in &page.entries {
            let Some(id) = key
                .rsplit('/')
                .next()
                .and_then(|raw| EventId::parse(raw).ok())
            else {
                continue;
            };
            let Some(event) = get_json::<Event>(store, &event_keys::event(&id)).await? else {
                continue;
            };
            if let Some(at) = next_reminder_at(&event, now) {
                next_at = Some(next_at.map_or(at, |n| n.min(at)));
            }
            let starts_at = event.schedule().starts_at();
            let first_due = crate::events::ReminderKind::ALL
                .into_iter()
                .map(|k| k.due_at(starts_at))
                .min()
                .unwrap_or(starts_at);
            if event.is_cancelled() || now < first_due || now >= starts_at {
                continue;
            }
            let Some(roster) = get_json::<Roster>(store, &event_keys::roster(&id)).await? else {
                continue;
            };
            let mut record = get_json::<SentReminders>(store, &event_keys::reminders(&id))
                .await?
                .unwrap_or_default();
            let due = due_reminders(&event, &roster, now, &record);
            if due.is_empty() {
                continue;
            }
            record.record(&due);
            change.batch.put_json(event_keys::reminders(&id), &record)?;
            sent = sent.saturating_add(u32::try_from(due.len()).unwrap_or(u32::MAX));
            events = events.saturating_add(1);
            notify_all(
                &mut change,
                due.into_iter().map(|r| r.member).collect(),
                NotificationKind::EventReminder,
                &id,
            );
        }
        match page.next {
            Some(next) => after = next,
            None => break,
        }
    }
    if !change.notify.is_empty() {
        change.commit(store, community.time_zone, now).await?;
    }
    Ok(EventReply::Reminders(RemindersSent {
        sent,
        events,
        next_at,
    }))
}
