//! Use cases of events against a `MemoryStore`: authorisation, one batch per command,
//! promotion exactly once, notifications, points, reminders, pagination.

use serde_json::json;

use super::*;
use crate::accounts::Email;
use crate::app::testing::{NOON, claims, community_with_key, signed, slug};
use crate::app::{Command, handle as app_handle};
use crate::events::{Capacity, CapacityRequest, Phase};
use crate::moderation::{ActorRef, Ban};
use crate::notify::Notification;
use crate::sso::SsoKey;
use crate::store::Batch;
use crate::store::{MemoryStore, block_on};

const NOW: Timestamp = NOON;
const START: Timestamp = Timestamp(NOW.0 + 10 * Timestamp::DAY);
const END: Timestamp = Timestamp(START.0 + 2 * Timestamp::HOUR);

fn eid(raw: &str) -> EventId {
    EventId::parse(raw).unwrap()
}

fn m(raw: &str) -> MemberId {
    MemberId::parse(raw).unwrap()
}

struct World {
    store: MemoryStore,
    key: SsoKey,
}

fn run_at(
    world: &World,
    actor: &Actor,
    command: EventCommand,
    now: Timestamp,
) -> Result<EventReply, ApiError> {
    block_on(app_handle(
        &world.store,
        &slug(),
        actor,
        Command::Events(command),
        now,
    ))
    .map(|o| match o.reply {
        Reply::Events(reply) => reply,
        other => panic!("not an events reply: {other:?}"),
    })
}

fn run(world: &World, actor: &Actor, command: EventCommand) -> Result<EventReply, ApiError> {
    run_at(world, actor, command, NOW)
}

fn world() -> World {
    let (store, key) = community_with_key(NOW);
    World { store, key }
}

impl World {
    /// A member's token, good for a day around `NOW` and the event's start.
    fn member_at(&self, sub: &str, now: Timestamp) -> Actor {
        signed(&self.key, &claims(sub, &format!("Name {sub}"), "demo", now))
    }

    fn member(&self, sub: &str) -> Actor {
        self.member_at(sub, NOW)
    }

    fn staff(&self, email: &str, role: Option<Role>) -> Actor {
        let email = Email::parse(email).unwrap();
        if let Some(role) = role {
            let mut batch = Batch::new();
            batch.put_json(keys::staff(&email), &role).unwrap();
            block_on(self.store.commit(batch)).unwrap();
        }
        Actor::Marketer { email }
    }

    fn create(&self, id: &str, extra: serde_json::Value) -> OrganiserEventView {
        let mut draft = json!({
            "title": "Tea tasting 品茶会",
            "venue": {"kind": "offline", "place": "Shanghai, Wukang Rd 1"},
            "starts_at": START.0,
            "ends_at": END.0,
        });
        if let (Some(base), Some(extra)) = (draft.as_object_mut(), extra.as_object()) {
            base.extend(extra.clone());
        }
        let command = EventCommand::Create {
            id: eid(id),
            code_entropy: [0, 1, 2, 3, 4, 5],
            draft: serde_json::from_value(draft).unwrap(),
        };
        match run(self, &Actor::Operator, command).unwrap() {
            EventReply::Organiser(view) => view,
            other => panic!("{other:?}"),
        }
    }

    fn sign_up(&self, id: &str, who: &str) -> Result<TicketView, ApiError> {
        let command = EventCommand::SignUp {
            event: eid(id),
            request: SignUpRequest::default(),
        };
        run(self, &self.member(who), command).map(|r| match r {
            EventReply::SignedUp(s) => s.ticket,
            other => panic!("{other:?}"),
        })
    }

    fn inbox(&self, who: &str) -> Vec<Notification> {
        let prefix = crate::notify::keys::inbox_prefix(&m(who));
        block_on(self.store.list(&prefix, None, 1000))
            .unwrap()
            .entries
            .iter()
            .map(|(_, v)| serde_json::from_str(v).unwrap())
            .collect()
    }

    fn get(&self, id: &str, actor: &Actor) -> EventView {
        match run(self, actor, EventCommand::Get { event: eid(id) }).unwrap() {
            EventReply::Event(view) => view,
            other => panic!("{other:?}"),
        }
    }

    fn commits(&self) -> usize {
        self.store.ops().commits
    }
}

fn code_of(result: Result<impl std::fmt::Debug, ApiError>) -> ErrorCode {
    result.unwrap_err().code
}

#[test]
fn staff_publish_events_and_everyone_else_is_refused_without_a_write() {
    let w = world();
    let draft = || EventDraft {
        title: crate::events::EventTitle::parse("x").unwrap(),
        description: Default::default(),
        venue: serde_json::from_value(json!({"kind": "offline", "place": "here"})).unwrap(),
        starts_at: START,
        ends_at: END,
        signup_opens_at: None,
        signup_closes_at: None,
        capacity: None,
        questions: Default::default(),
    };
    let create = |id: &str| EventCommand::Create {
        id: eid(id),
        code_entropy: [9; 6],
        draft: draft(),
    };
    let before = w.commits();
    let cases = [
        (Actor::Anonymous, ErrorCode::Unauthenticated),
        (w.member("u1"), ErrorCode::Forbidden),
        (
            w.staff("stranger@brand.example", None),
            ErrorCode::Forbidden,
        ),
        (
            w.staff("mod@brand.example", Some(Role::Moderator)),
            ErrorCode::Forbidden,
        ),
    ];
    let before = before + 1; // the moderator's staff row
    for (actor, want) in cases {
        assert_eq!(code_of(run(&w, &actor, create("e1"))), want, "{actor:?}");
    }
    assert_eq!(w.commits(), before, "refusals write nothing");

    let admin = w.staff("admin@brand.example", Some(Role::Admin));
    let EventReply::Organiser(view) = run(&w, &admin, create("e1")).unwrap() else {
        panic!()
    };
    assert_eq!(view.attendance_code.len(), 6);
    assert_eq!(view.event.phase, Phase::SignupOpen);
    assert_eq!(code_of(run(&w, &admin, create("e1"))), ErrorCode::Conflict);

    let mut past = draft();
    past.starts_at = NOW;
    let command = EventCommand::Create {
        id: eid("e2"),
        code_entropy: [0; 6],
        draft: past,
    };
    assert_eq!(code_of(run(&w, &admin, command)), ErrorCode::InvalidInput);
    assert_eq!(
        code_of(run(
            &w,
            &Actor::Anonymous,
            EventCommand::Get { event: eid("nope") }
        )),
        ErrorCode::NotFound
    );
}

#[test]
fn sign_ups_fill_the_seats_then_the_waitlist_and_a_cancel_promotes_the_first_once() {
    let w = world();
    w.create("tea", json!({"capacity": 2}));
    let tickets: Vec<TicketView> = ["a", "b", "c", "d"]
        .iter()
        .map(|who| w.sign_up("tea", who).unwrap())
        .collect();
    assert_eq!(
        tickets,
        [
            TicketView::Confirmed { attended: false },
            TicketView::Confirmed { attended: false },
            TicketView::Waitlisted { position: 1 },
            TicketView::Waitlisted { position: 2 },
        ]
    );
    assert_eq!(code_of(w.sign_up("tea", "c")), ErrorCode::AlreadySignedUp);

    let cancel = |who: &str| {
        run(
            &w,
            &w.member(who),
            EventCommand::CancelSignUp { event: eid("tea") },
        )
    };
    let EventReply::SignUpCancelled(gone) = cancel("a").unwrap() else {
        panic!()
    };
    assert_eq!(gone.released, Released::Seat);
    assert_eq!(gone.event.my_ticket, None);
    assert_eq!(
        w.get("tea", &w.member("c")).my_ticket,
        Some(TicketView::Confirmed { attended: false })
    );
    assert_eq!(
        w.get("tea", &w.member("d")).my_ticket,
        Some(TicketView::Waitlisted { position: 1 })
    );
    let told = w.inbox("c");
    assert_eq!(told.len(), 1);
    assert_eq!(told[0].kind, NotificationKind::EventPromoted);
    assert_eq!(told[0].target.event.as_deref(), Some("tea"));
    assert!(w.inbox("d").is_empty());

    assert_eq!(code_of(cancel("a")), ErrorCode::NotSignedUp);
    // Leaving the waitlist promotes nobody.
    let EventReply::SignUpCancelled(left) = cancel("d").unwrap() else {
        panic!()
    };
    assert_eq!(left.released, Released::WaitlistPlace);
    assert_eq!(w.inbox("c").len(), 1, "promoted exactly once");

    let anonymous = w.get("tea", &Actor::Anonymous);
    assert_eq!(
        (anonymous.confirmed, anonymous.waiting, anonymous.my_ticket),
        (2, 0, None)
    );
}

#[test]
fn answers_are_checked_stored_and_listed_for_staff_with_a_csv() {
    let w = world();
    w.create(
        "tea",
        json!({"questions": [
            {"id": "size", "prompt": "T-shirt size", "required": true, "type": "single_choice", "options": ["S", "M"]},
            {"id": "note", "prompt": "Anything, else?", "type": "short_text"}
        ]}),
    );
    let sign_up = |who: &str, answers: serde_json::Value| {
        let request: SignUpRequest = serde_json::from_value(json!({ "answers": answers })).unwrap();
        run(
            &w,
            &w.member(who),
            EventCommand::SignUp {
                event: eid("tea"),
                request,
            },
        )
    };
    let before = w.commits();
    assert_eq!(code_of(sign_up("a", json!({}))), ErrorCode::InvalidInput);
    assert_eq!(
        code_of(sign_up("a", json!({"size": "XL"}))),
        ErrorCode::InvalidInput
    );
    assert_eq!(
        code_of(sign_up("a", json!({"size": "S", "zzz": "?"}))),
        ErrorCode::InvalidInput
    );
    assert_eq!(w.commits(), before);
    sign_up("a", json!({"size": "S", "note": "=1+1, \"vegan\""})).unwrap();
    sign_up("b", json!({"size": "M"})).unwrap();

    let moderator = w.staff("mod@brand.example", Some(Role::Moderator));
    let EventReply::Attendees(list) = run(
        &w,
        &moderator,
        EventCommand::Attendees { event: eid("tea") },
    )
    .unwrap() else {
        panic!()
    };
    assert_eq!(list.attendees.len(), 2);
    assert_eq!(list.attendees[0].name.as_deref(), Some("Name a"));
    assert_eq!(list.attendees[0].answers.len(), 2);
    assert_eq!(list.attendees[1].answers.len(), 1);
    let body = serde_json::to_value(&list).unwrap();
    assert_eq!(body["attendees"][0]["member"], "a");
    assert_eq!(
        body["attendees"][0]["ticket"],
        json!({"status": "confirmed", "attended": false})
    );
    assert_eq!(
        body["attendees"][0]["answers"]["size"],
        json!({"choice": "S"})
    );

    let csv = attendees_csv(&list);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "member,name,status,waitlist_position,attended,signed_up_at,confirmed_at,attended_at,T-shirt size,\"Anything, else?\""
    );
    assert!(
        lines[1]
            .starts_with("a,Name a,confirmed,,no,2026-09-25T04:00:00Z,2026-09-25T04:00:00Z,,S,"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].ends_with(",\"'=1+1, \"\"vegan\"\"\""),
        "{}",
        lines[1]
    );
    assert_eq!(lines.len(), 4, "header, two rows, the final line end");

    assert_eq!(
        code_of(run(
            &w,
            &w.member("a"),
            EventCommand::Attendees { event: eid("tea") }
        )),
        ErrorCode::Forbidden
    );
}

#[test]
fn banned_members_cannot_sign_up() {
    let w = world();
    w.create("tea", json!({}));
    let ban = Ban {
        member: m("bad"),
        by: ActorRef::Staff {
            email: Email::parse("mod@brand.example").unwrap(),
        },
        at: NOW,
        until: None,
        reason: Default::default(),
    };
    let mut batch = Batch::new();
    batch.put_json(keys::ban(&m("bad")), &ban).unwrap();
    block_on(w.store.commit(batch)).unwrap();
    assert_eq!(code_of(w.sign_up("tea", "bad")), ErrorCode::Banned);
    assert_eq!(w.get("tea", &Actor::Anonymous).confirmed, 0);
}

#[test]
fn checking_in_with_the_code_awards_points_once_and_staff_can_mark_by_hand() {
    let w = world();
    let created = w.create("tea", json!({}));
    let code = created.attendance_code.clone();
    w.sign_up("tea", "a").unwrap();
    w.sign_up("tea", "b").unwrap();
    let at_venue = START.plus_millis(10 * Timestamp::MINUTE);
    let check_in = |who: &str, code: &str, now: Timestamp| {
        let request = CheckInRequest {
            code: code.to_owned(),
        };
        run_at(
            &w,
            &w.member_at(who, now),
            EventCommand::CheckIn {
                event: eid("tea"),
                request,
            },
            now,
        )
    };
    let before = w.commits();
    assert_eq!(
        code_of(check_in("a", &code, NOW)),
        ErrorCode::EventClosed,
        "not open yet"
    );
    assert_eq!(
        code_of(check_in("a", "ZZZZZZ", at_venue)),
        ErrorCode::WrongAttendanceCode
    );
    assert_eq!(
        code_of(check_in("stranger", &code, at_venue)),
        ErrorCode::NotSignedUp
    );
    assert_eq!(w.commits(), before);

    let EventReply::Attendance(first) = check_in("a", &code.to_lowercase(), at_venue).unwrap()
    else {
        panic!()
    };
    assert!(matches!(first.outcome, AttendanceOutcome::Attended { .. }));
    assert_eq!(first.awarded.len(), 1);
    assert_eq!(first.awarded[0].delta, 20);
    assert_eq!(first.balance.balance, 20);
    let body = serde_json::to_value(&first).unwrap();
    assert_eq!(body["outcome"], "attended");

    let before = w.commits();
    let EventReply::Attendance(again) = check_in("a", &code, at_venue).unwrap() else {
        panic!()
    };
    assert!(matches!(
        again.outcome,
        AttendanceOutcome::AlreadyAttended { .. }
    ));
    assert!(again.awarded.is_empty());
    assert_eq!(again.balance.balance, 20, "points exactly once");
    assert_eq!(w.commits(), before, "a repeat writes nothing");

    let mark = |actor: &Actor, who: &str| {
        run_at(
            &w,
            actor,
            EventCommand::MarkAttended {
                event: eid("tea"),
                member: m(who),
            },
            // A minute later: `Change::commit` keys activity by the millisecond.
            at_venue.plus_millis(Timestamp::MINUTE),
        )
    };
    assert_eq!(code_of(mark(&w.member("a"), "b")), ErrorCode::Forbidden);
    let moderator = w.staff("mod@brand.example", Some(Role::Moderator));
    let EventReply::Attendance(marked) = mark(&moderator, "b").unwrap() else {
        panic!()
    };
    assert_eq!(marked.balance.balance, 20);
    let get = EventCommand::Get { event: eid("tea") };
    let EventReply::Event(seen) = run_at(&w, &w.member_at("b", at_venue), get, at_venue).unwrap()
    else {
        panic!()
    };
    assert_eq!(
        seen.my_ticket,
        Some(TicketView::Confirmed { attended: true })
    );

    // The activity log has both attendances.
    let day = at_venue
        .local_day(crate::community::TimeZone::default())
        .unwrap();
    let activity = block_on(
        w.store
            .list(&crate::notify::keys::activity_prefix(day), None, 100),
    )
    .unwrap();
    let attended = activity
        .entries
        .iter()
        .filter(|(_, v)| v.contains("\"attended\""))
        .count();
    assert_eq!(attended, 2);
}

#[test]
fn a_rotated_code_replaces_the_old_one() {
    let w = world();
    let old = w.create("tea", json!({})).attendance_code;
    w.sign_up("tea", "a").unwrap();
    let rotate = EventCommand::RotateCode {
        event: eid("tea"),
        code_entropy: [31, 30, 29, 28, 27, 26],
    };
    let EventReply::Organiser(view) = run(&w, &Actor::Operator, rotate).unwrap() else {
        panic!()
    };
    assert_ne!(view.attendance_code, old);
    let at_venue = START;
    let check_in = |code: &str| {
        let request = CheckInRequest {
            code: code.to_owned(),
        };
        run_at(
            &w,
            &w.member_at("a", at_venue),
            EventCommand::CheckIn {
                event: eid("tea"),
                request,
            },
            at_venue,
        )
    };
    assert_eq!(code_of(check_in(&old)), ErrorCode::WrongAttendanceCode);
    assert!(check_in(&view.attendance_code).is_ok());
}

#[test]
fn cancelling_the_event_tells_everyone_on_the_roster_and_closes_it() {
    let w = world();
    w.create("tea", json!({"capacity": 1}));
    w.sign_up("tea", "a").unwrap();
    w.sign_up("tea", "b").unwrap();
    let cancel = EventCommand::Cancel {
        event: eid("tea"),
        request: serde_json::from_value(json!({"reason": "typhoon"})).unwrap(),
    };
    assert_eq!(
        code_of(run(&w, &w.member("a"), cancel.clone())),
        ErrorCode::Forbidden
    );
    let EventReply::Organiser(view) = run(&w, &Actor::Operator, cancel.clone()).unwrap() else {
        panic!()
    };
    assert_eq!(view.event.phase, Phase::Cancelled);
    assert_eq!(view.event.cancel_reason.as_deref(), Some("typhoon"));
    for who in ["a", "b"] {
        let inbox = w.inbox(who);
        assert_eq!(inbox.len(), 1, "{who}");
        assert_eq!(inbox[0].kind, NotificationKind::EventCancelled);
    }
    assert_eq!(
        code_of(run(&w, &Actor::Operator, cancel)),
        ErrorCode::Conflict
    );
    assert_eq!(code_of(w.sign_up("tea", "c")), ErrorCode::EventClosed);
}

#[test]
fn editing_and_raising_the_capacity_promote_and_notify_in_order() {
    let w = world();
    w.create("tea", json!({"capacity": 1}));
    for who in ["a", "b", "c", "d"] {
        w.sign_up("tea", who).unwrap();
    }
    let resize = |seats: Option<u32>| EventCommand::ChangeCapacity {
        event: eid("tea"),
        request: CapacityRequest {
            capacity: seats.map(|s| Capacity::new(s).unwrap()),
        },
    };
    let owner = w.staff("owner@brand.example", Some(Role::Owner));
    let EventReply::Organiser(view) = run(&w, &owner, resize(Some(3))).unwrap() else {
        panic!()
    };
    assert_eq!((view.event.confirmed, view.event.waiting), (3, 1));
    assert_eq!(w.inbox("b").len(), 1);
    assert_eq!(w.inbox("c").len(), 1);
    assert!(w.inbox("d").is_empty());
    assert_eq!(
        code_of(run(&w, &owner, resize(Some(2)))),
        ErrorCode::Conflict
    );

    let edit = EventCommand::Edit {
        event: eid("tea"),
        edit: serde_json::from_value(json!({"title": "Tea, renamed", "venue": {"kind": "online", "url": "https://live.example/room"}})).unwrap(),
    };
    run(&w, &owner, edit).unwrap();
    let seen = w.get("tea", &w.member("a"));
    assert_eq!(seen.title, "Tea, renamed");
    assert_eq!(
        seen.venue,
        crate::events::VenueView::Online {
            url: Some("https://live.example/room".into())
        }
    );
    assert_eq!(
        w.get("tea", &w.member("d")).venue,
        crate::events::VenueView::Online { url: None }
    );
}

#[test]
fn the_list_pages_through_events_that_have_not_ended() {
    let w = world();
    for (i, id) in ["e1", "e2", "e3", "e4", "e5"].iter().enumerate() {
        let start = START.plus_millis(i as i64 * Timestamp::DAY);
        w.create(
            id,
            json!({"starts_at": start.0, "ends_at": start.0 + Timestamp::HOUR}),
        );
    }
    w.sign_up("e2", "a").unwrap();
    let list_all = |cursor: Option<Cursor>, now: Timestamp, include_ended: bool| {
        let command = EventCommand::List {
            cursor,
            limit: Some(PageSize::parse(2).unwrap()),
            include_ended,
        };
        match run_at(&w, &w.member_at("a", now), command, now).unwrap() {
            EventReply::Page(page) => page,
            other => panic!("{other:?}"),
        }
    };
    let list = |cursor: Option<Cursor>, now: Timestamp| list_all(cursor, now, false);
    let mut seen = Vec::new();
    let mut cursor = None;
    let mut pages = 0;
    loop {
        let page = list(cursor, NOW);
        pages += 1;
        for e in &page.events {
            seen.push((e.id.to_string(), e.my_ticket.is_some()));
        }
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 3);
    let ids: Vec<&str> = seen.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["e1", "e2", "e3", "e4", "e5"]);
    assert_eq!(
        seen.iter()
            .filter(|(_, mine)| *mine)
            .map(|(id, _)| id.as_str())
            .collect::<Vec<_>>(),
        ["e2"]
    );

    // Two days on, the first two have ended.
    let later = START.plus_millis(Timestamp::DAY + 2 * Timestamp::HOUR);
    let first = list(None, later);
    let ids: Vec<String> = first.events.iter().map(|e| e.id.to_string()).collect();
    assert_eq!(ids, ["e3", "e4"]);
    // An old cursor cannot bring an ended event back.
    let stale = Cursor::after(
        event_keys::BY_END,
        &event_keys::by_end(Timestamp(0), &eid("e0")),
    );
    let page = list(stale, later);
    assert_eq!(page.events[0].id.as_str(), "e3");
    // The dashboard's history includes them, and pages on from there.
    let history = list_all(None, later, true);
    let ids: Vec<String> = history.events.iter().map(|e| e.id.to_string()).collect();
    assert_eq!(ids, ["e1", "e2"]);
    assert_eq!(history.events[0].phase, Phase::Ended);
    let next = list_all(history.next, later, true);
    assert_eq!(next.events[0].id.as_str(), "e3");
}

#[test]
fn reminders_go_to_confirmed_members_once_and_only_the_operator_sends_them() {
    let w = world();
    w.create("tea", json!({"capacity": 1}));
    w.create(
        "later",
        json!({"starts_at": START.0 + 5 * Timestamp::DAY, "ends_at": END.0 + 5 * Timestamp::DAY}),
    );
    w.sign_up("tea", "a").unwrap();
    w.sign_up("tea", "b").unwrap();
    w.sign_up("later", "a").unwrap();
    let day_before = START.plus_millis(-Timestamp::DAY + Timestamp::MINUTE);
    let send = |actor: &Actor, now: Timestamp| run_at(&w, actor, EventCommand::DueReminders, now);
    assert_eq!(
        code_of(send(&w.member("a"), day_before)),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code_of(send(
            &w.staff("owner@brand.example", Some(Role::Owner)),
            day_before
        )),
        ErrorCode::Forbidden
    );
    assert_eq!(
        code_of(send(&Actor::Anonymous, day_before)),
        ErrorCode::Unauthenticated
    );

    let EventReply::Reminders(first) = send(&Actor::Operator, day_before).unwrap() else {
        panic!()
    };
    assert_eq!((first.sent, first.events), (1, 1));
    assert_eq!(first.next_at, Some(START.plus_millis(-Timestamp::HOUR)));
    let inbox = w.inbox("a");
    assert_eq!(inbox.len(), 1);
    assert_eq!(inbox[0].kind, NotificationKind::EventReminder);
    assert!(w.inbox("b").is_empty(), "the waitlist is not reminded");

    let before = w.commits();
    let EventReply::Reminders(again) =
        send(&Actor::Operator, day_before.plus_millis(Timestamp::MINUTE)).unwrap()
    else {
        panic!()
    };
    assert_eq!(again.sent, 0);
    assert_eq!(w.commits(), before, "nothing due, nothing written");

    let hour_before = START.plus_millis(-Timestamp::HOUR);
    let EventReply::Reminders(hour) = send(&Actor::Operator, hour_before).unwrap() else {
        panic!()
    };
    assert_eq!(hour.sent, 1);
    assert_eq!(w.inbox("a").len(), 2);
}

#[test]
fn commands_and_replies_keep_their_wire_shape() {
    let command: EventCommand = serde_json::from_value(json!({
        "type": "sign_up", "event": "tea", "request": {"answers": {"size": "S"}}
    }))
    .unwrap();
    assert!(matches!(command, EventCommand::SignUp { .. }));
    let list: EventCommand = serde_json::from_value(json!({"type": "list"})).unwrap();
    assert_eq!(
        list,
        EventCommand::List {
            cursor: None,
            limit: None,
            include_ended: false
        }
    );
    let reply = EventReply::Reminders(RemindersSent {
        sent: 2,
        events: 1,
        next_at: None,
    });
    assert_eq!(
        reply.into_body().unwrap(),
        json!({"sent": 2, "events": 1, "next_at": null})
    );
}
