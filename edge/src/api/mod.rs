//! The member and staff API under `/api/v1/communities/{slug}/…`, one module per area. Each
//! area's `route` parses the path and body into a core command and renders the reply; the
//! community scope in `routes` has already checked the community and the caller's origin.

pub mod automations;
pub mod data;
pub mod events;
pub mod inbox;
pub mod insight;
pub mod members;
pub mod membership;
pub mod points;
pub mod talk;
pub mod team;
pub mod webhooks;

use quanzi_core::app::{Actor, Command, Reply};
use quanzi_core::error::ApiError;
use quanzi_core::ids::CommunitySlug;
use serde::Serialize;
use serde::de::DeserializeOwned;
use worker::{Env, Request, Response};

use crate::http::{self, internal};
use crate::{auth, community_object, operator};

/// A handler's result: a response, or the error to render.
pub type Answer = Result<Response, ApiError>;

pub fn json<T: Serialize>(status: u16, body: &T) -> Answer {
    http::json(status, body).map_err(|e| internal("response", e))
}

/// The reply's JSON body with `status`.
pub fn render(status: u16, reply: Reply) -> Answer {
    json(status, &reply.into_body()?)
}

/// The brand's SSO token from `Authorization: Bearer …`, verified by the community object.
pub fn member_actor(req: &Request) -> Actor {
    let header = req
        .headers()
        .get("authorization")
        .ok()
        .flatten()
        .unwrap_or_default();
    match header.strip_prefix("Bearer ") {
        Some(token) if !token.trim().is_empty() => Actor::Member {
            token: token.trim().to_owned(),
        },
        _ => Actor::Anonymous,
    }
}

/// The operator (bearer token) or the signed-in marketer (cookie and CSRF token).
pub async fn staff_actor(req: &Request, env: &Env) -> Result<Actor, ApiError> {
    if operator::is_operator(req, env) {
        return Ok(Actor::Operator);
    }
    let me = auth::session_for_write(req, env).await?;
    Ok(Actor::Marketer { email: me.email })
}

/// The actor of a staff route: the operator, a marketer's session (with CSRF for writes),
/// or else whoever the bearer says, so that core refuses members with `forbidden` and
/// strangers with `unauthenticated`.
pub async fn staff_or_bearer(req: &Request, env: &Env, write: bool) -> Result<Actor, ApiError> {
    if operator::is_operator(req, env) {
        return Ok(Actor::Operator);
    }
    let has_cookie = req
        .headers()
        .get("cookie")
        .ok()
        .flatten()
        .is_some_and(|c| !c.trim().is_empty());
    match (has_cookie, write) {
        (true, true) => staff_actor(req, env).await,
        (true, false) => staff_reader(req, env).await,
        (false, _) => Ok(member_actor(req)),
    }
}

/// A marketer's session for reads (no CSRF token needed), or the operator.
pub async fn staff_reader(req: &Request, env: &Env) -> Result<Actor, ApiError> {
    if operator::is_operator(req, env) {
        return Ok(Actor::Operator);
    }
    let (me, _) = auth::session(req, env).await?;
    Ok(Actor::Marketer { email: me.email })
}

/// Runs `command` in the community and renders the reply with `status`.
pub async fn run(
    env: &Env,
    slug: &CommunitySlug,
    actor: Actor,
    command: Command,
    status: u16,
) -> Answer {
    render(
        status,
        community_object::call(env, slug, actor, command).await?,
    )
}

/// Reads the JSON body into `B` and runs the command made of it as `actor` (decided before
/// the body is read), rendering the reply with `status`.
pub async fn run_with_body<B: DeserializeOwned>(
    req: &mut Request,
    env: &Env,
    slug: &CommunitySlug,
    actor: Actor,
    status: u16,
    command: impl FnOnce(B) -> Command,
) -> Answer {
    let body: B = body(req).await?;
    run(env, slug, actor, command(body), status).await
}

/// As staff ([`staff_actor`]): runs the command made of the JSON body.
pub async fn staff_with_body<B: DeserializeOwned>(
    req: &mut Request,
    env: &Env,
    slug: &CommunitySlug,
    status: u16,
    command: impl FnOnce(B) -> Command,
) -> Answer {
    let actor = staff_actor(req, env).await?;
    run_with_body(req, env, slug, actor, status, command).await
}

/// As the member whose token the request carries (or anonymous: core refuses): runs the
/// command made of the JSON body.
pub async fn member_with_body<B: DeserializeOwned>(
    req: &mut Request,
    env: &Env,
    slug: &CommunitySlug,
    status: u16,
    command: impl FnOnce(B) -> Command,
) -> Answer {
    let actor = member_actor(req);
    run_with_body(req, env, slug, actor, status, command).await
}

/// `405 method_not_allowed` with an `Allow: {allow}` header.
pub fn not_allowed(allow: &str) -> Answer {
    http::method_not_allowed(allow).map_err(|e| internal("response", e))
}

/// Parses the JSON body into `T` (a clear `invalid_input` on failure).
pub async fn body<T: DeserializeOwned>(req: &mut Request) -> Result<T, ApiError> {
    http::read_json(req).await
}

/// A query parameter, if present.
pub fn query(req: &Request, name: &str) -> Result<Option<String>, ApiError> {
    let url = req.url().map_err(|e| internal("url", e))?;
    Ok(url
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned()))
}

/// Routes `rest` (the path after `/communities/{slug}/`) to its area; `None` if no area
/// knows the path.
pub async fn route(req: Request, env: &Env, slug: &CommunitySlug, rest: &[&str]) -> Option<Answer> {
    match rest.first().copied()? {
        "topics" | "threads" | "pages" => talk::route(req, env, slug, rest).await,
        "events" => events::route(req, env, slug, rest).await,
        "me" if rest == ["me", "export"] => data::route(req, env, slug, rest).await,
        "points" | "rewards" | "leaderboards" | "badges" | "levels" | "me" => {
            points::route(req, env, slug, rest).await
        }
        "export" | "import" => data::route(req, env, slug, rest).await,
        "members" if data::handles(rest, &req.method()) => data::route(req, env, slug, rest).await,
        "members" | "members.csv" if members::handles(rest) => {
            members::route(req, env, slug, rest).await
        }
        "join" | "members" | "applications" | "moderation" => {
            membership::route(req, env, slug, rest).await
        }
        "notifications" | "activity" => inbox::route(req, env, slug, rest).await,
        "insight" | "segments" => insight::route(req, env, slug, rest).await,
        "webhooks" => webhooks::route(req, env, slug, rest).await,
        "automations" => automations::route(req, env, slug, rest).await,
        "team" => team::route(req, env, slug, rest).await,
        _ => None,
    }
}
