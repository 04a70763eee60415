//! HTTP routes of automations, for the community's owners and admins (and the operator).
//! The worker draws new ids (`au-` and hex digits); core checks who may and everything
//! else. The time triggers run on the object's alarm (`scheduler`), not here.
//!
//! | method | path | who |
//! | --- | --- | --- |
//! | `GET`, `POST` | `automations` | owner, admin, operator (`POST`: 201) |
//! | `GET`, `PUT`, `DELETE` | `automations/{id}` | owner, admin, operator |
//! | `POST` | `automations/{id}/dry-run?limit=` | owner, admin, operator |
//! | `GET` | `automations/{id}/runs` | owner, admin, operator |

use quanzi_core::app::automation::{AutomationCommand, AutomationReply};
use quanzi_core::app::{Command, Reply};
use quanzi_core::automation::{AutomationDraft, AutomationId};
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::ids::CommunitySlug;
use worker::{Env, Method, Request};

use super::{Answer, body, not_allowed, query, render, run, staff_or_bearer};
use crate::http::internal;
use crate::{community_object, random};

/// Routes `rest` (starting with `automations`), or `None` if unknown here.
pub async fn route(
    mut req: Request,
    env: &Env,
    slug: &CommunitySlug,
    rest: &[&str],
) -> Option<Answer> {
    let method = req.method();
    let answer = match (rest, method) {
        (["automations"], Method::Get) => {
            simple(&req, env, slug, false, AutomationCommand::List).await
        }
        (["automations"], Method::Post) => create(&mut req, env, slug).await,
        (["automations"], _) => not_allowed("GET, POST"),
        (["automations", raw, tail @ ..], method) => {
            let id = match automation_id(raw) {
                Ok(id) => id,
                Err(err) => return Some(Err(err)),
            };
            one(&mut req, env, slug, id, tail, method).await?
        }
        _ => return None,
    };
    Some(answer)
}

/// The routes under `automations/{id}`; `None` for an unknown tail.
async fn one(
    req: &mut Request,
    env: &Env,
    slug: &CommunitySlug,
    id: AutomationId,
    tail: &[&str],
    method: Method,
) -> Option<Answer> {
    let answer = match (tail, method) {
        ([], Method::Get) => simple(req, env, slug, false, AutomationCommand::Get { id }).await,
        ([], Method::Put) => update(req, env, slug, id).await,
        ([], Method::Delete) => {
            simple(req, env, slug, true, AutomationCommand::Delete { id }).await
        }
        ([], _) => not_allowed("GET, PUT, DELETE"),
        (["dry-run"], Method::Post) => dry_run(req, env, slug, id).await,
        (["dry-run"], _) => not_allowed("POST"),
        (["runs"], Method::Get) => {
            simple(req, env, slug, false, AutomationCommand::Runs { id }).await
        }
        (["runs"], _) => not_allowed("GET"),
        _ => return None,
    };
    Some(answer)
}

/// A path id that does not parse names no automation: a 404, not a 400.
fn automation_id(raw: &str) -> Result<AutomationId, ApiError> {
    AutomationId::parse(raw).map_err(|_| {
        ApiError::new(
            ErrorCode::NotFound,
            format!("there is no automation `{raw}`"),
        )
    })
}

async fn simple(
    req: &Request,
    env: &Env,
    slug: &CommunitySlug,
    write: bool,
    command: AutomationCommand,
) -> Answer {
    let actor = staff_or_bearer(req, env, write).await?;
    run(env, slug, actor, Command::Automation(command), 200).await
}

/// `POST …/automations` with an [`AutomationDraft`]: the saved automation (off unless
/// `enabled`).
async fn create(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let actor = staff_or_bearer(req, env, true).await?;
    let draft: AutomationDraft = body(req).await?;
    let id = AutomationId::parse(&format!("au-{}", random::hex::<6>()?))
        .map_err(|e| internal("automation id", e))?;
    let command = Command::Automation(AutomationCommand::Create { id, draft });
    // The answer comes from the object: a retry with the same Idempotency-Key gets the
    // automation first saved, not one with the id drawn for the retry.
    let reply @ Reply::Automation(AutomationReply::Automation(_)) =
        community_object::call(env, slug, actor, command).await?
    else {
        return Err(internal("automations", "unexpected reply"));
    };
    render(201, reply)
}

/// `PUT …/automations/{id}` with an [`AutomationDraft`] (also how it is switched on and off).
async fn update(req: &mut Request, env: &Env, slug: &CommunitySlug, id: AutomationId) -> Answer {
    let actor = staff_or_bearer(req, env, true).await?;
    let draft: AutomationDraft = body(req).await?;
    let command = Command::Automation(AutomationCommand::Update { id, draft });
    run(env, slug, actor, command, 200).await
}

/// `POST …/automations/{id}/dry-run?limit=`: how many and which members it would reach.
async fn dry_run(req: &Request, env: &Env, slug: &CommunitySlug, id: AutomationId) -> Answer {
    let limit = match query(req, "limit")? {
        Some(raw) => Some(
            raw.parse::<u32>()
                .map_err(|_| ApiError::invalid("`limit` must be a whole number"))?,
        ),
        None => None,
    };
    let actor = staff_or_bearer(req, env, true).await?;
    let command = Command::Automation(AutomationCommand::DryRun { id, limit });
    run(env, slug, actor, command, 200).await
}
