//! The route table of `/api/v1/`. Each arm parses the path into typed values and hands off
//! to one function; nothing here decides a rule.

use quanzi_core::accounts::{DirectoryCommand, Role};
use quanzi_core::api::CommunitySettings;
use quanzi_core::app::{Actor, Command, Reply};
use quanzi_core::checkin::YearMonth;
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::ids::CommunitySlug;
use quanzi_core::sso::{KeyId, SsoSecret};
use worker::{Context, Env, Method, Request, Response, Result};

use crate::api::{self, Answer, json, member_actor, render, staff_actor};
use crate::cors::{self, Caller};
use crate::http::{self, internal, read_json};
use crate::route_list::{self, Refusal};
use crate::{
    auth, cache, community_object, directory_object, first_view, operator, protection, random,
    snapshot,
};

pub async fn dispatch(req: Request, env: &Env, _ctx: &Context) -> Result<Response> {
    let path = req.path();
    // Only the routes in `route_list::ROUTES` (what the API document describes) get past here.
    match route_list::refusal(req.method().as_ref(), &path) {
        None => {}
        Some(Refusal::NoRoute) => return cors::decorate_error(http::not_found()?, &req),
        Some(Refusal::Method { allow }) => {
            return cors::decorate_error(http::method_not_allowed(&allow)?, &req);
        }
    }
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["api", "v1", "communities"] => match req.method() {
            Method::Post => respond(create_community(req, env).await),
            _ => http::method_not_allowed("POST"),
        },
        ["api", "v1", "communities", slug, rest @ ..] => match parse_existing_slug(slug) {
            Ok(slug) => community_scope(req, env, &slug, rest).await,
            Err(err) => cors::decorate_error(http::error(&err)?, &req),
        },
        ["api", "v1", "auth", action] => match (req.method(), *action) {
            (Method::Post, "signup") => auth::sign_up(req, env).await,
            (Method::Post, "login") => auth::login(req, env).await,
            (Method::Post, "logout") => auth::logout(req, env).await,
            (Method::Post, "password") => auth::change_password(req, env).await,
            (Method::Get, "me") => auth::me(req, env).await,
            (_, "signup" | "login" | "logout" | "password") => http::method_not_allowed("POST"),
            (_, "me") => http::method_not_allowed("GET"),
            _ => http::not_found(),
        },
        ["api", "v1", "admin", "communities", slug] => admin_community(req, env, slug).await,
        _ => http::not_found(),
    }
}

fn respond(answer: Answer) -> Result<Response> {
    answer.or_else(|err| http::error(&err))
}

/// A path slug that does not parse names no community: that is a 404, not a 400.
fn parse_existing_slug(raw: &str) -> std::result::Result<CommunitySlug, ApiError> {
    CommunitySlug::parse(raw).map_err(|_| {
        ApiError::new(
            ErrorCode::CommunityNotFound,
            format!("there is no community `{raw}`"),
        )
    })
}

/// Everything under `/api/v1/communities/{slug}`: the community must exist, a browser caller
/// must be on its allowlist, and every answer carries the CORS headers for that caller.
async fn community_scope(
    req: Request,
    env: &Env,
    slug: &CommunitySlug,
    rest: &[&str],
) -> Result<Response> {
    let config = match cache::public_config(env, slug).await {
        Ok(config) => config,
        Err(err) if err.code == ErrorCode::CommunityNotFound => {
            return cors::decorate_error(http::error(&err)?, &req);
        }
        Err(err) => return http::error(&err),
    };
    let caller = Caller::of(&req, &config);
    if let Some(refusal) = caller.refusal(slug.as_str()) {
        return cors::decorate_error(http::error(&refusal)?, &req);
    }
    if req.method() == Method::Options {
        return cors::preflight(&caller);
    }
    // An anonymous read of a snapshot view: one KV read when warm (see `snapshot`).
    if let Some(answer) = snapshot::serve(&req, env, slug, &config, rest).await {
        return cors::decorate(respond(answer)?, &caller);
    }
    // A write carries its Idempotency-Key and the client's address to the object.
    let scoped = match protection::scope_write(&req, env).await {
        Ok(scoped) => scoped,
        Err(err) => return cors::decorate(http::error(&err)?, &caller),
    };
    let env = scoped.as_ref().unwrap_or(env);
    let changes = !matches!(req.method(), Method::Get | Method::Head);
    let answer = match (req.method(), rest) {
        (Method::Get | Method::Head, []) => json(200, &config.community),
        (Method::Put, []) => update_community(req, env, slug).await,
        (_, []) => return http::method_not_allowed("GET, PUT, OPTIONS"),
        (Method::Post, ["sso-keys"]) => add_sso_key(req, env, slug).await,
        (Method::Get, ["sso-keys"]) => staff_read(&req, env, slug, Command::ListSsoKeys).await,
        (_, ["sso-keys"]) => return http::method_not_allowed("GET, POST"),
        (Method::Get, ["settings"]) => staff_read(&req, env, slug, Command::GetSettings).await,
        (_, ["settings"]) => return http::method_not_allowed("GET"),
        (Method::Get, ["first-view"]) => first_view::serve(&req, env, slug, &config).await,
        (_, ["first-view"]) => return http::method_not_allowed("GET"),
        (Method::Post, ["checkins"]) => {
            member_command(&req, env, slug, Command::CheckIn, 200).await
        }
        (_, ["checkins"]) => return http::method_not_allowed("POST"),
        (Method::Get, ["checkins", "me"]) => my_checkin(&req, env, slug).await,
        (_, ["checkins", "me"]) => return http::method_not_allowed("GET"),
        (Method::Put, ["checkins", "reminder"]) => checkin_reminder(req, env, slug).await,
        (_, ["checkins", "reminder"]) => return http::method_not_allowed("PUT"),
        _ => match api::route(req, env, slug, rest).await {
            Some(answer) => answer,
            None => return cors::decorate(http::not_found()?, &caller),
        },
    };
    if changes {
        after_change(slug, rest.is_empty());
    }
    cors::decorate(respond(answer)?, &caller)
}

/// After this isolate forwarded a change to `slug`: its own anonymous reads skip the
/// snapshots until the object has flushed them, and a settings change drops the
/// configuration this isolate remembers.
fn after_change(slug: &CommunitySlug, settings: bool) {
    snapshot::forwarded_change(slug);
    if settings {
        cache::forget(slug);
    }
}

async fn member_command(
    req: &Request,
    env: &Env,
    slug: &CommunitySlug,
    command: Command,
    status: u16,
) -> Answer {
    api::run(env, slug, member_actor(req), command, status).await
}

/// `GET …/checkins/me?month=2026-03`
async fn my_checkin(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let month = match api::query(req, "month")? {
        Some(raw) => Some(YearMonth::parse(&raw).map_err(|e| ApiError::invalid(e.to_string()))?),
        None => None,
    };
    member_command(req, env, slug, Command::MyCheckin { month }, 200).await
}

/// `PUT …/checkins/reminder` `{"enabled": true}`: the member opts in to (or out of) the
/// daily check-in reminder.
async fn checkin_reminder(mut req: Request, env: &Env, slug: &CommunitySlug) -> Answer {
    api::member_with_body(&mut req, env, slug, 200, Command::SetCheckinReminder).await
}

/// A read for the settings staff (a marketer's session, or the operator): `GET …/settings`
/// (the settings as saved, allowed origins included) and `GET …/sso-keys` (key ids only).
async fn staff_read(req: &Request, env: &Env, slug: &CommunitySlug, command: Command) -> Answer {
    let actor = api::staff_reader(req, env).await?;
    render(
        200,
        community_object::call(env, slug, actor, command).await?,
    )
}

/// `POST …/sso-keys`: a new member sign-in key. The secret is in this answer only.
async fn add_sso_key(req: Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let actor = staff_actor(&req, env).await?;
    let kid = KeyId::parse(&format!("k{}", random::hex::<4>()?)).map_err(|e| internal("kid", e))?;
    let secret = SsoSecret::parse(&random::hex::<32>()?).map_err(|e| internal("secret", e))?;
    let command = Command::AddSsoKey { kid, secret };
    // The answer comes from the object (a retry with the same Idempotency-Key gets the
    // key first added, not the one drawn for the retry).
    let reply @ Reply::NewSsoKey(_) = community_object::call(env, slug, actor, command).await?
    else {
        return Err(internal("sso keys", "unexpected reply"));
    };
    render(201, reply)
}

/// `POST /api/v1/communities` `{"slug": …, "settings": {…}}`: a marketer creates a
/// community and becomes its owner.
async fn create_community(mut req: Request, env: &Env) -> Answer {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct NewCommunity {
        slug: CommunitySlug,
        settings: CommunitySettings,
    }
    let me = auth::session_for_write(&req, env).await?;
    let scoped = protection::scope_write(&req, env).await?;
    let env = scoped.as_ref().unwrap_or(env);
    let body: NewCommunity = read_json(&mut req).await?;
    let actor = Actor::Marketer {
        email: me.email.clone(),
    };
    let command = Command::CreateCommunity {
        settings: body.settings,
    };
    let reply = community_object::call(env, &body.slug, actor, command).await?;
    let index = DirectoryCommand::IndexStaff {
        email: me.email,
        slug: body.slug,
        role: Role::Owner,
    };
    directory_object::call(env, &index).await?;
    render(201, reply)
}

/// `PUT /api/v1/communities/{slug}`: the owner or an admin replaces the settings.
async fn update_community(mut req: Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let me = auth::session_for_write(&req, env).await?;
    let settings: CommunitySettings = read_json(&mut req).await?;
    let actor = Actor::Marketer { email: me.email };
    render(
        200,
        community_object::call(env, slug, actor, Command::PutCommunity { settings }).await?,
    )
}

/// `PUT /api/v1/admin/communities/{slug}`: the operator creates or replaces a community.
async fn admin_community(mut req: Request, env: &Env, raw_slug: &str) -> Result<Response> {
    let answer = async {
        if let Some(origin) = cors::request_origin(&req)
            && !cors::is_same_origin(&req, &origin)
        {
            return Err(ApiError::new(
                ErrorCode::OriginNotAllowed,
                "operator routes are not for browsers",
            ));
        }
        if req.method() != Method::Put {
            return http::method_not_allowed("PUT").map_err(|e| internal("response", e));
        }
        if !operator::is_operator(&req, env) {
            return Err(ApiError::new(
                ErrorCode::Unauthenticated,
                "this route needs `Authorization: Bearer <OPERATOR_TOKEN>`",
            ));
        }
        let slug = CommunitySlug::parse(raw_slug).map_err(|e| ApiError::invalid(e.to_string()))?;
        let scoped = protection::scope_write(&req, env).await?;
        let env = scoped.as_ref().unwrap_or(env);
        let settings: CommunitySettings = read_json(&mut req).await?;
        let reply = community_object::call(
            env,
            &slug,
            Actor::Operator,
            Command::PutCommunity { settings },
        )
        .await;
        after_change(&slug, true);
        render(200, reply?)
    }
    .await;
    respond(answer)
}
