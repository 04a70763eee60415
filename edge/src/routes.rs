//! The route table of `/api/v1/`. Each arm parses the path into typed values and hands off
//! to one function; nothing here decides a rule.

use quanzi_core::api::CommunitySettings;
use quanzi_core::app::{Actor, Command, Reply};
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::ids::CommunitySlug;
use worker::{Context, Env, Method, Request, Response, Result};

use crate::cors::{self, Caller};
use crate::http::{self, internal, read_json};
use crate::{auth, cache, community_object, directory_object, operator};

pub async fn dispatch(req: Request, env: &Env, _ctx: &Context) -> Result<Response> {
    let path = req.path();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match segments.as_slice() {
        ["api", "v1", "communities", slug] => {
            let slug = match parse_existing_slug(slug) {
                Ok(slug) => slug,
                Err(err) => return cors::decorate_error(http::error(&err)?, &req),
            };
            community(req, env, &slug).await
        }
        ["api", "v1", "communities"] => match req.method() {
            Method::Post => create_community(req, env).await,
            _ => http::method_not_allowed("POST"),
        },
        ["api", "v1", "auth", action] => match (req.method(), *action) {
            (Method::Post, "signup") => auth::sign_up(req, env).await,
            (Method::Post, "login") => auth::login(req, env).await,
            (Method::Post, "logout") => auth::logout(req, env).await,
            (Method::Get, "me") => auth::me(req, env).await,
            (_, "signup" | "login" | "logout") => http::method_not_allowed("POST"),
            (_, "me") => http::method_not_allowed("GET"),
            _ => http::not_found(),
        },
        ["api", "v1", "admin", "communities", slug] => admin_community(req, env, slug).await,
        _ => http::not_found(),
    }
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

/// `GET /api/v1/communities/{slug}`: the public configuration, from KV when warm.
async fn community(req: Request, env: &Env, slug: &CommunitySlug) -> Result<Response> {
    let config = match cache::public_config(env, slug).await {
        Ok(config) => config,
        Err(err) if err.code == ErrorCode::CommunityNotFound => {
            return cors::decorate_error(http::error(&err)?, &req);
        }
        Err(err) => return http::error(&err),
    };
    if req.method() == Method::Put {
        return update_community(req, env, slug).await;
    }
    let caller = Caller::of(&req, &config);
    if let Some(refusal) = caller.refusal(slug.as_str()) {
        return cors::decorate_error(http::error(&refusal)?, &req);
    }
    let res = match req.method() {
        Method::Options => return cors::preflight(&caller),
        Method::Get | Method::Head => http::json(200, &config.community)?,
        _ => http::method_not_allowed("GET, PUT, OPTIONS")?,
    };
    cors::decorate(res, &caller)
}

/// `PUT /api/v1/admin/communities/{slug}`: the operator creates or replaces a community.
async fn admin_community(mut req: Request, env: &Env, raw_slug: &str) -> Result<Response> {
    if let Some(origin) = cors::request_origin(&req)
        && !cors::is_same_origin(&req, &origin)
    {
        return http::error(&ApiError::new(
            ErrorCode::OriginNotAllowed,
            "operator routes are not for browsers",
        ));
    }
    if req.method() != Method::Put {
        return http::method_not_allowed("PUT");
    }
    if !operator::is_operator(&req, env) {
        return http::error(&ApiError::new(
            ErrorCode::Unauthenticated,
            "this route needs `Authorization: Bearer <OPERATOR_TOKEN>`",
        ));
    }
    let slug = match CommunitySlug::parse(raw_slug) {
        Ok(slug) => slug,
        Err(e) => return http::error(&ApiError::invalid(e.to_string())),
    };
    let settings: CommunitySettings = match read_json(&mut req).await {
        Ok(settings) => settings,
        Err(err) => return http::error(&err),
    };
    match community_object::call(
        env,
        &slug,
        Actor::Operator,
        Command::PutCommunity { settings },
    )
    .await
    {
        Ok(reply) => render(reply),
        Err(err) => http::error(&err),
    }
}

/// `POST /api/v1/communities` `{"slug": …, "settings": {…}}`: a marketer creates a
/// community and becomes its owner.
async fn create_community(mut req: Request, env: &Env) -> Result<Response> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct NewCommunity {
        slug: CommunitySlug,
        settings: CommunitySettings,
    }
    let result = async {
        let me = auth::session_for_write(&req, env).await?;
        let body: NewCommunity = read_json(&mut req).await?;
        let actor = Actor::Marketer {
            email: me.email.clone(),
        };
        let command = Command::CreateCommunity {
            settings: body.settings,
        };
        let reply = community_object::call(env, &body.slug, actor, command).await?;
        let index = quanzi_core::accounts::DirectoryCommand::IndexStaff {
            email: me.email,
            slug: body.slug,
            role: quanzi_core::accounts::Role::Owner,
        };
        directory_object::call(env, &index).await?;
        let Reply::Community(view) = reply;
        http::json(201, &view).map_err(|e| internal("response", e))
    }
    .await;
    result.or_else(|err| http::error(&err))
}

/// `PUT /api/v1/communities/{slug}`: the owner or an admin replaces the settings.
async fn update_community(mut req: Request, env: &Env, slug: &CommunitySlug) -> Result<Response> {
    let result = async {
        let me = auth::session_for_write(&req, env).await?;
        let settings: CommunitySettings = read_json(&mut req).await?;
        let actor = Actor::Marketer { email: me.email };
        let reply =
            community_object::call(env, slug, actor, Command::PutCommunity { settings }).await?;
        render(reply).map_err(|e| internal("response", e))
    }
    .await;
    result.or_else(|err| http::error(&err))
}

fn render(reply: Reply) -> Result<Response> {
    match reply {
        Reply::Community(view) => http::json(200, &view),
    }
}
