//! HTTP routes of the events area, under `/api/v1/communities/{slug}/events`.
//!
//! | method | path | who |
//! | --- | --- | --- |
//! | `GET` | `events[?cursor=&limit=&include_ended=true]` | anyone (a member token adds `my_ticket`) |
//! | `POST` | `events` | staff (`ManageEvents`): 201 |
//! | `POST` | `events/reminders` | the operator (the reminder alarm) |
//! | `GET` / `PATCH` | `events/{id}` | anyone / staff |
//! | `POST` | `events/{id}/cancel` | staff |
//! | `PUT` | `events/{id}/capacity` | staff |
//! | `POST` | `events/{id}/attendance-code` | staff: a new code |
//! | `GET` | `events/{id}/attendees`, `events/{id}/attendees.csv` | staff (`MarkAttendance`) |
//! | `POST` | `events/{id}/attendees/{member}/attendance` | staff (`MarkAttendance`) |
//! | `POST` / `DELETE` | `events/{id}/signup` | a member: 201 / 200 |
//! | `POST` | `events/{id}/check-in` | a member, with the code |
//!
//! Who may do what is decided in core; this file only establishes the actor, draws the
//! randomness (event ids, attendance codes) and renders.

use quanzi_core::app::events::{EventCommand, EventReply, attendees_csv};
use quanzi_core::app::{Actor, Command, Reply};
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::events::{AttendanceCode, EventId};
use quanzi_core::ids::{CommunitySlug, MemberId};
use quanzi_core::talk::{Cursor, PageSize};
use worker::{Env, Method, Request, Response};

use serde::de::DeserializeOwned;

use super::{Answer, body, member_actor, not_allowed, query, run, run_with_body, staff_or_bearer};
use crate::http::internal;
use crate::{community_object, random};

/// Routes `rest` (starting with this area's first segment), or `None` if unknown here.
pub async fn route(req: Request, env: &Env, slug: &CommunitySlug, rest: &[&str]) -> Option<Answer> {
    let answer = match rest {
        ["events"] => match req.method() {
            Method::Get => list(&req, env, slug).await,
            Method::Post => create(req, env, slug).await,
            _ => not_allowed("GET, POST"),
        },
        ["events", "reminders"] => match req.method() {
            Method::Post => reminders(&req, env, slug).await,
            _ => not_allowed("POST"),
        },
        ["events", id, tail @ ..] => match event_id(id) {
            Ok(id) => one_event(req, env, slug, id, tail).await?,
            Err(err) => Err(err),
        },
        _ => return None,
    };
    Some(answer)
}

/// The routes under `events/{id}`; `None` for an unknown tail.
async fn one_event(
    mut req: Request,
    env: &Env,
    slug: &CommunitySlug,
    event: EventId,
    tail: &[&str],
) -> Option<Answer> {
    let method = req.method();
    let answer = match (tail, method) {
        ([], Method::Get) => {
            let actor = member_actor(&req);
            events(env, slug, actor, EventCommand::Get { event }, 200).await
        }
        ([], Method::Patch) => {
            event_staff_with_body(&mut req, env, slug, 200, |edit| EventCommand::Edit {
                event,
                edit,
            })
            .await
        }
        ([], _) => not_allowed("GET, PATCH"),
        (["cancel"], Method::Post) => {
            event_staff_with_body(&mut req, env, slug, 200, |request| EventCommand::Cancel {
                event,
                request,
            })
            .await
        }
        (["cancel"], _) => not_allowed("POST"),
        (["capacity"], Method::Put) => {
            event_staff_with_body(&mut req, env, slug, 200, |request| {
                EventCommand::ChangeCapacity { event, request }
            })
            .await
        }
        (["capacity"], _) => not_allowed("PUT"),
        (["attendance-code"], Method::Post) => {
            async move {
                let actor = staff_or_bearer(&req, env, true).await?;
                let code_entropy = random::bytes::<{ AttendanceCode::LEN }>()?;
                let command = EventCommand::RotateCode {
                    event,
                    code_entropy,
                };
                events(env, slug, actor, command, 200).await
            }
            .await
        }
        (["attendance-code"], _) => not_allowed("POST"),
        (["attendees"], Method::Get) => {
            async move {
                let actor = staff_or_bearer(&req, env, false).await?;
                events(env, slug, actor, EventCommand::Attendees { event }, 200).await
            }
            .await
        }
        (["attendees.csv"], Method::Get) => csv(&req, env, slug, event).await,
        (["attendees"] | ["attendees.csv"], _) => not_allowed("GET"),
        (["attendees", member, "attendance"], Method::Post) => {
            async move {
                let member =
                    MemberId::parse(member).map_err(|e| ApiError::invalid(e.to_string()))?;
                let actor = staff_or_bearer(&req, env, true).await?;
                let command = EventCommand::MarkAttended { event, member };
                events(env, slug, actor, command, 200).await
            }
            .await
        }
        (["attendees", _, "attendance"], _) => not_allowed("POST"),
        (["signup"], Method::Post) => {
            member_with_body(&mut req, env, slug, 201, |request| EventCommand::SignUp {
                event,
                request,
            })
            .await
        }
        (["signup"], Method::Delete) => {
            let actor = member_actor(&req);
            events(env, slug, actor, EventCommand::CancelSignUp { event }, 200).await
        }
        (["signup"], _) => not_allowed("POST, DELETE"),
        (["check-in"], Method::Post) => {
            member_with_body(&mut req, env, slug, 200, |request| EventCommand::CheckIn {
                event,
                request,
            })
            .await
        }
        (["check-in"], _) => not_allowed("POST"),
        _ => return None,
    };
    Some(answer)
}

async fn events(
    env: &Env,
    slug: &CommunitySlug,
    actor: Actor,
    command: EventCommand,
    status: u16,
) -> Answer {
    run(env, slug, actor, Command::Events(command), status).await
}

/// As staff, writing (see [`staff`]): runs the command made of the JSON body.
async fn event_staff_with_body<B: DeserializeOwned>(
    req: &mut Request,
    env: &Env,
    slug: &CommunitySlug,
    status: u16,
    command: impl FnOnce(B) -> EventCommand,
) -> Answer {
    let actor = staff_or_bearer(req, env, true).await?;
    run_with_body(req, env, slug, actor, status, |b| {
        Command::Events(command(b))
    })
    .await
}

/// As the member whose token the request carries: runs the command made of the JSON body.
async fn member_with_body<B: DeserializeOwned>(
    req: &mut Request,
    env: &Env,
    slug: &CommunitySlug,
    status: u16,
    command: impl FnOnce(B) -> EventCommand,
) -> Answer {
    super::member_with_body(req, env, slug, status, |b| Command::Events(command(b))).await
}

/// A path id that does not parse names no event: a 404, not a 400.
fn event_id(raw: &str) -> Result<EventId, ApiError> {
    EventId::parse(raw)
        .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("there is no event `{raw}`")))
}

/// `GET …/events?cursor=…&limit=…`
async fn list(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let cursor = match query(req, "cursor")? {
        Some(raw) => Some(Cursor::parse(&raw).map_err(|e| ApiError::invalid(e.to_string()))?),
        None => None,
    };
    let limit = match query(req, "limit")? {
        Some(raw) => {
            let n: u32 = raw
                .parse()
                .map_err(|_| ApiError::invalid("the page size must be a number from 1 to 50"))?;
            Some(PageSize::parse(n).map_err(|e| ApiError::invalid(e.to_string()))?)
        }
        None => None,
    };
    let include_ended = match query(req, "include_ended")?.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::invalid("include_ended is true or false")),
    };
    let command = EventCommand::List {
        cursor,
        limit,
        include_ended,
    };
    events(env, slug, member_actor(req), command, 200).await
}

/// `POST …/events` with an event draft: the worker draws the id and the code.
async fn create(mut req: Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let actor = staff_or_bearer(&req, env, true).await?;
    let draft = body(&mut req).await?;
    let id = EventId::parse(&random::hex::<8>()?).map_err(|e| internal("event id", e))?;
    let code_entropy = random::bytes::<{ AttendanceCode::LEN }>()?;
    let command = EventCommand::Create {
        id,
        code_entropy,
        draft,
    };
    events(env, slug, actor, command, 201).await
}

/// `POST …/events/reminders`: the operator (later the alarm) sends what is due.
async fn reminders(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let actor = staff_or_bearer(req, env, true).await?;
    events(env, slug, actor, EventCommand::DueReminders, 200).await
}

/// `GET …/events/{id}/attendees.csv`: the attendee list as a spreadsheet file.
async fn csv(req: &Request, env: &Env, slug: &CommunitySlug, event: EventId) -> Answer {
    let actor = staff_or_bearer(req, env, false).await?;
    let command = Command::Events(EventCommand::Attendees {
        event: event.clone(),
    });
    let Reply::Events(EventReply::Attendees(list)) =
        community_object::call(env, slug, actor, command).await?
    else {
        return Err(internal("attendees", "unexpected reply"));
    };
    // A byte-order mark, so that spreadsheets read the UTF-8 (names in Chinese) correctly.
    let text = format!("\u{feff}{}", attendees_csv(&list));
    let mut res = Response::from_bytes(text.into_bytes())
        .map_err(|e| internal("response", e))?
        .with_status(200);
    let headers = res.headers_mut();
    for (name, value) in [
        ("content-type", "text/csv; charset=utf-8".to_owned()),
        (
            "content-disposition",
            format!("attachment; filename=\"event-{event}-attendees.csv\""),
        ),
        ("cache-control", "no-store".to_owned()),
    ] {
        headers
            .set(name, &value)
            .map_err(|e| internal("response", e))?;
    }
    Ok(res)
}
