//! Write protection at the edge: the worker reads what a write request says about itself
//! (its `Idempotency-Key` with the request's fingerprint, and the client's address from
//! `CF-Connecting-IP`) and hands it with the command to the community's object, which
//! decides (`quanzi_core::app::protection`): replays, refused key reuse, rate limits.
//!
//! How the guard reaches `community_object::call`: route handlers pass only `env` down, so
//! a write request gets its own `Env`, an object whose prototype is the deployment's `Env`
//! (every binding reads through it) with the guard as one extra property. The first
//! command sent with it takes the guard: a request's one write.

use std::net::IpAddr;

use quanzi_core::app::protection::WriteGuard;
use quanzi_core::error::ApiError;
use quanzi_core::idempotency::{Fingerprint, IdempotencyKey, IdempotentRequest};
use quanzi_core::rate_limit::Limits;
use worker::js_sys::{Object, Reflect};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::{Env, Method, Request};

use crate::http::{MAX_BODY_BYTES, internal};

/// The request header of a client's idempotency key.
pub const KEY_HEADER: &str = "idempotency-key";
/// Where Cloudflare puts the client's address.
pub const ADDRESS_HEADER: &str = "cf-connecting-ip";
/// Worker variables that set the write limits per minute (`0` switches one off).
pub const PER_CALLER_VAR: &str = "WRITES_PER_MINUTE_PER_CALLER";
pub const PER_ADDRESS_VAR: &str = "WRITES_PER_MINUTE_PER_ADDRESS";

/// The property of a request's `Env` that carries its guard.
const GUARD_PROPERTY: &str = "__quanzi_write_guard";

/// For a write (`POST`, `PUT`, `PATCH`, `DELETE`): the request's own `Env` carrying its
/// guard; `None` for a read. A malformed `Idempotency-Key` is `invalid_input`.
pub async fn scope_write(req: &Request, env: &Env) -> Result<Option<Env>, ApiError> {
    let method = req.method();
    if !matches!(
        method,
        Method::Post | Method::Put | Method::Patch | Method::Delete
    ) {
        return Ok(None);
    }
    let guard = WriteGuard {
        idempotency: idempotency(req, &method).await?,
        client_ip: client_ip(req),
    };
    let text = serde_json::to_string(&guard).map_err(|e| internal("write guard", e))?;
    let scoped = Object::create(env.unchecked_ref::<Object>());
    Reflect::set(
        &scoped,
        &JsValue::from_str(GUARD_PROPERTY),
        &JsValue::from_str(&text),
    )
    .map_err(|e| internal("write guard", format!("{e:?}")))?;
    Ok(Some(scoped.unchecked_into::<Env>()))
}

/// Takes the guard from a write request's `Env` (see [`scope_write`]), once.
pub fn take_guard(env: &Env) -> Option<WriteGuard> {
    let property = JsValue::from_str(GUARD_PROPERTY);
    let target = env.unchecked_ref::<Object>();
    if !Object::has_own(target, &property) {
        return None;
    }
    let text = Reflect::get(target, &property).ok()?.as_string()?;
    let _ = Reflect::delete_property(target, &property);
    match serde_json::from_str(&text) {
        Ok(guard) => Some(guard),
        Err(e) => {
            worker::console_error!("unreadable write guard: {e}");
            None
        }
    }
}

async fn idempotency(
    req: &Request,
    method: &Method,
) -> Result<Option<IdempotentRequest>, ApiError> {
    let Some(raw) = req.headers().get(KEY_HEADER).ok().flatten() else {
        return Ok(None);
    };
    let key = IdempotencyKey::parse(&raw).map_err(|e| ApiError::invalid(e.to_string()))?;
    let url = req.url().map_err(|e| internal("url", e))?;
    let target = match url.query() {
        Some(query) => format!("{}?{query}", url.path()),
        None => url.path().to_owned(),
    };
    // A copy of the body (the handler reads the original).
    let mut copy = req.clone().map_err(|e| internal("request copy", e))?;
    let body = copy
        .bytes()
        .await
        .map_err(|_| ApiError::invalid("the request body could not be read"))?;
    if body.len() > MAX_BODY_BYTES {
        return Err(ApiError::invalid(format!(
            "the request body is over {MAX_BODY_BYTES} bytes"
        )));
    }
    Ok(Some(IdempotentRequest {
        key,
        fingerprint: Fingerprint::of(method.as_ref(), &target, &body),
    }))
}

/// The client's address (`CF-Connecting-IP`), if it is one.
pub(crate) fn client_ip(req: &Request) -> Option<IpAddr> {
    req.headers()
        .get(ADDRESS_HEADER)
        .ok()
        .flatten()
        .and_then(|raw| raw.trim().parse().ok())
}

/// The write limits: the worker variables, or the defaults (30 per caller, 120 per
/// address, per minute).
pub fn limits(env: &Env) -> Limits {
    let read = |name: &str, default: u32| match env.var(name) {
        Err(_) => default,
        Ok(value) => value.to_string().trim().parse().unwrap_or_else(|_| {
            worker::console_warn!("{name} is not a number of writes per minute; using {default}");
            default
        }),
    };
    Limits {
        per_caller: read(PER_CALLER_VAR, Limits::DEFAULT_PER_CALLER),
        per_address: read(PER_ADDRESS_VAR, Limits::DEFAULT_PER_ADDRESS),
    }
}
