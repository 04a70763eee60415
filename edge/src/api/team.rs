//! HTTP routes of the team: teammates, invites by link, roles. The worker draws each
//! invite's token (its link is in the answer to `POST team/invites` only) and, after the
//! community changed its team, updates the directory's staff index from the reply, so the
//! marketer's dashboard lists the community (or no longer does).
//!
//! | method | path | who |
//! | --- | --- | --- |
//! | `GET` | `team` | staff (invites: owner, admin) |
//! | `POST` | `team/invites` | owner, admin |
//! | `DELETE` | `team/invites/{invite}` | owner, admin |
//! | `POST` | `team/accept` | any signed-in marketer (the invited email) |
//! | `PUT`, `DELETE` | `team/members/{email}` | owner, admin |
//!
//! The worker variable `INVITE_LIFETIME_MS` shortens the 7 days a link works (tests only).

use quanzi_core::accounts::{DirectoryCommand, Email};
use quanzi_core::app::team::{TeamCommand, TeamReply};
use quanzi_core::app::{Actor, Command, Reply};
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::ids::CommunitySlug;
use quanzi_core::team::{AcceptInvite, InviteId, InviteToken, NewInvite, RoleChange};
use worker::{Env, Method, Request};

use super::{Answer, body, not_allowed, render, staff_or_bearer};
use crate::http::internal;
use crate::{auth, community_object, directory_object, random};

/// Routes `rest` (starting with `team`), or `None` if unknown here.
pub async fn route(
    mut req: Request,
    env: &Env,
    slug: &CommunitySlug,
    rest: &[&str],
) -> Option<Answer> {
    let answer = match (rest, req.method()) {
        (["team"], Method::Get) => read(&req, env, slug).await,
        (["team"], _) => not_allowed("GET"),
        (["team", "invites"], Method::Post) => invite(&mut req, env, slug).await,
        (["team", "invites"], _) => not_allowed("POST"),
        (["team", "invites", id], Method::Delete) => revoke(&req, env, slug, id).await,
        (["team", "invites", _], _) => not_allowed("DELETE"),
        (["team", "accept"], Method::Post) => accept(&mut req, env, slug).await,
        (["team", "accept"], _) => not_allowed("POST"),
        (["team", "members", email], Method::Put) => set_role(&mut req, env, slug, email).await,
        (["team", "members", email], Method::Delete) => remove(&req, env, slug, email).await,
        (["team", "members", _], _) => not_allowed("PUT, DELETE"),
        _ => return None,
    };
    Some(answer)
}

async fn run(
    env: &Env,
    slug: &CommunitySlug,
    actor: Actor,
    command: TeamCommand,
) -> Result<TeamReply, ApiError> {
    match community_object::call(env, slug, actor, Command::Team(command)).await? {
        Reply::Team(reply) => Ok(reply),
        _ => Err(internal("team", "unexpected reply")),
    }
}

fn answer(status: u16, reply: TeamReply) -> Answer {
    render(status, Reply::Team(reply))
}

/// `GET …/team`
async fn read(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let actor = staff_or_bearer(req, env, false).await?;
    answer(200, run(env, slug, actor, TeamCommand::Get).await?)
}

/// `POST …/team/invites` `{"email", "role"}`: the invite and its link (this answer only).
async fn invite(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let actor = staff_or_bearer(req, env, true).await?;
    let request: NewInvite = body(req).await?;
    let token = InviteToken::parse(&random::hex::<32>()?).map_err(|e| internal("invite", e))?;
    // The answer comes from the object (a retry with the same Idempotency-Key gets the
    // invite first made, not one with the token drawn for the retry).
    let command = TeamCommand::Invite {
        token,
        request,
        lifetime_millis: lifetime_millis(env),
    };
    let reply = run(env, slug, actor, command).await?;
    answer(201, reply)
}

/// `INVITE_LIFETIME_MS`: how long invite links work, if shorter than 7 days (for tests of
/// expiry; core never lets it exceed 7 days).
fn lifetime_millis(env: &Env) -> Option<i64> {
    env.var("INVITE_LIFETIME_MS")
        .ok()
        .and_then(|v| v.to_string().trim().parse::<i64>().ok())
        .filter(|ms| *ms > 0)
}

/// `DELETE …/team/invites/{invite}`
async fn revoke(req: &Request, env: &Env, slug: &CommunitySlug, raw: &str) -> Answer {
    let actor = staff_or_bearer(req, env, true).await?;
    let invite = InviteId::parse(raw)
        .map_err(|_| ApiError::new(ErrorCode::NotFound, "there is no such invite"))?;
    answer(
        200,
        run(env, slug, actor, TeamCommand::Revoke { invite }).await?,
    )
}

/// `POST …/team/accept` `{"token"}`: the signed-in marketer joins the team.
async fn accept(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let me = auth::session_for_write(req, env).await?;
    let AcceptInvite { token } = body(req).await?;
    let actor = Actor::Marketer {
        email: me.email.clone(),
    };
    let reply = run(env, slug, actor, TeamCommand::Accept { token }).await?;
    if let TeamReply::JoinedTeam(joined) = &reply {
        let index = DirectoryCommand::IndexStaff {
            email: me.email,
            slug: joined.slug.clone(),
            role: joined.role,
        };
        directory_object::call(env, &index).await?;
    }
    answer(200, reply)
}

/// `PUT …/team/members/{email}` `{"role"}`
async fn set_role(req: &mut Request, env: &Env, slug: &CommunitySlug, raw: &str) -> Answer {
    let actor = staff_or_bearer(req, env, true).await?;
    let email = teammate(raw)?;
    let RoleChange { role } = body(req).await?;
    let reply = run(env, slug, actor, TeamCommand::SetRole { email, role }).await?;
    if let TeamReply::Teammate(t) = &reply {
        let index = DirectoryCommand::IndexStaff {
            email: t.email.clone(),
            slug: slug.clone(),
            role: t.role,
        };
        directory_object::call(env, &index).await?;
    }
    answer(200, reply)
}

/// `DELETE …/team/members/{email}`: the teammate as they were.
async fn remove(req: &Request, env: &Env, slug: &CommunitySlug, raw: &str) -> Answer {
    let actor = staff_or_bearer(req, env, true).await?;
    let email = teammate(raw)?;
    let reply = run(env, slug, actor, TeamCommand::Remove { email }).await?;
    if let TeamReply::Teammate(t) = &reply {
        let unindex = DirectoryCommand::UnindexStaff {
            email: t.email.clone(),
            slug: slug.clone(),
        };
        directory_object::call(env, &unindex).await?;
    }
    answer(200, reply)
}

/// A teammate's email from the path (percent-decoded; a literal `+` stays a `+`). One that
/// does not parse names no teammate: a 404.
fn teammate(raw: &str) -> Result<Email, ApiError> {
    let escaped = raw.replace('+', "%2B");
    let decoded = worker::url::form_urlencoded::parse(format!("v={escaped}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    Email::parse(&decoded)
        .map_err(|_| ApiError::new(ErrorCode::NotFound, "there is no such teammate"))
}
