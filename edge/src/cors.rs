//! CORS per community: a page may call a community's API only from an origin on that
//! community's allowlist (or from this worker's own origin, i.e. the dashboard).

use quanzi_core::app::PublicConfig;
use quanzi_core::error::{ApiError, ErrorCode};
use worker::{Request, Response, Result};

/// Where a request came from, judged against a community's allowlist.
#[derive(Debug, PartialEq, Eq)]
pub enum Caller {
    /// No `Origin` header: a server, curl, or a same-origin GET.
    NoOrigin,
    /// A page on this worker's own origin (the dashboard).
    SameOrigin,
    /// A page on an allowed origin; responses must carry it back.
    Allowed(String),
    /// A page on an origin the community has not allowed.
    Refused(String),
}

impl Caller {
    pub fn of(req: &Request, config: &PublicConfig) -> Caller {
        let Some(origin) = request_origin(req) else {
            return Caller::NoOrigin;
        };
        if is_same_origin(req, &origin) {
            Caller::SameOrigin
        } else if config.allows_origin(&origin) {
            Caller::Allowed(origin)
        } else {
            Caller::Refused(origin)
        }
    }

    /// The origin to echo in `Access-Control-Allow-Origin`, if any.
    fn echo(&self) -> Option<&str> {
        match self {
            Caller::Allowed(origin) => Some(origin),
            _ => None,
        }
    }

    /// `origin_not_allowed` for a refused caller.
    pub fn refusal(&self, slug: &str) -> Option<ApiError> {
        match self {
            Caller::Refused(origin) => Some(ApiError::new(
                ErrorCode::OriginNotAllowed,
                format!(
                    "{origin} may not embed the community `{slug}`; add it to the community's allowed origins"
                ),
            )),
            _ => None,
        }
    }
}

pub fn request_origin(req: &Request) -> Option<String> {
    req.headers()
        .get("origin")
        .ok()
        .flatten()
        .filter(|o| o != "null")
}

pub fn is_same_origin(req: &Request, origin: &str) -> bool {
    req.url()
        .is_ok_and(|url| url.origin().ascii_serialization() == origin)
}

/// Adds the CORS headers that let an allowed page read `res`.
pub fn decorate(mut res: Response, caller: &Caller) -> Result<Response> {
    let headers = res.headers_mut();
    headers.append("vary", "Origin")?;
    if let Some(origin) = caller.echo() {
        headers.set("access-control-allow-origin", origin)?;
        headers.set("access-control-expose-headers", "retry-after")?;
    }
    Ok(res)
}

/// Lets a page read an error that carries no community data (an unknown community, or
/// its own refusal), so the widget can explain the problem instead of failing blind.
pub fn decorate_error(mut res: Response, req: &Request) -> Result<Response> {
    if let Some(origin) = request_origin(req) {
        let headers = res.headers_mut();
        headers.append("vary", "Origin")?;
        headers.set("access-control-allow-origin", &origin)?;
    }
    Ok(res)
}

/// The answer to an allowed preflight request.
pub fn preflight(caller: &Caller) -> Result<Response> {
    let mut res = Response::empty()?.with_status(204);
    let headers = res.headers_mut();
    headers.set(
        "access-control-allow-methods",
        "GET, POST, PUT, PATCH, DELETE",
    )?;
    headers.set(
        "access-control-allow-headers",
        "authorization, content-type, idempotency-key",
    )?;
    headers.set("access-control-max-age", "86400")?;
    decorate(res, caller)
}
