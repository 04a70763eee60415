//! Sending webhook deliveries: the deployment's settings for them, and one signed POST per
//! attempt. What is due, what an answer means and when to retry are core's
//! (`quanzi_core::app::webhooks`, `quanzi_core::webhook`); the community's object calls this
//! from its alarm (see `scheduler`).
//!
//! Worker variables:
//! * `ALLOW_LOCAL_WEBHOOKS` (`1`/`true`): also accept plain `http://` to `127.0.0.1`, `[::1]`
//!   and `localhost` (local development and the end-to-end tests); unset in production;
//! * `WEBHOOK_RETRY_BASE_MS`: the first retry interval (default 10 s; the later ones are
//!   multiples of it), so tests can watch a whole retry cycle.

use quanzi_core::app::webhooks::Due;
use quanzi_core::ids::CommunitySlug;
use quanzi_core::time::Timestamp;
use quanzi_core::webhook::{
    AttemptResult, DEFAULT_RETRY_BASE_MS, UrlPolicy, WebhookUrl, signature_header,
};
use worker::{AbortSignal, Env, Fetch, Headers, Method, Request, RequestInit, RequestRedirect};

/// How long a receiver has to answer one attempt.
const TIMEOUT_MS: u32 = 10_000;

/// The receiver addresses this deployment accepts.
pub fn url_policy(env: &Env) -> UrlPolicy {
    let allowed = env
        .var("ALLOW_LOCAL_WEBHOOKS")
        .map(|v| v.to_string())
        .is_ok_and(|v| matches!(v.trim(), "1" | "true" | "yes"));
    if allowed {
        UrlPolicy::AllowLocal
    } else {
        UrlPolicy::Public
    }
}

/// The first retry interval, in milliseconds.
pub fn retry_base_ms(env: &Env) -> i64 {
    env.var("WEBHOOK_RETRY_BASE_MS")
        .ok()
        .and_then(|v| v.to_string().trim().parse::<i64>().ok())
        .filter(|ms| *ms > 0)
        .unwrap_or(DEFAULT_RETRY_BASE_MS)
}

/// One attempt of `due`: the JSON body, signed, POSTed to its endpoint; a 2xx answer
/// delivers it, anything else (another status, no answer within [`TIMEOUT_MS`], a
/// redirect, an address the deployment no longer accepts) fails the attempt.
pub async fn attempt(
    due: &Due,
    community: &CommunitySlug,
    policy: UrlPolicy,
    now: Timestamp,
) -> AttemptResult {
    match send(due, community, policy, now).await {
        Ok(status) => AttemptResult::from_status(status),
        Err(error) => AttemptResult::Failed {
            status: None,
            error: Some(error),
        },
    }
}

async fn send(
    due: &Due,
    community: &CommunitySlug,
    policy: UrlPolicy,
    now: Timestamp,
) -> Result<u16, String> {
    let url = WebhookUrl::parse(due.webhook.url.as_str(), policy)
        .map_err(|e| format!("not sent: {e}"))?;
    let body = due.delivery.body(community).map_err(|e| e.message)?;
    let signature = signature_header(
        due.webhook.secret.expose(),
        now.millis().div_euclid(1000),
        &body,
    )
    .map_err(|e| e.to_string())?;
    let headers = Headers::new();
    let set = |name: &str, value: &str| {
        headers
            .set(name, value)
            .map_err(|e| format!("header {name}: {e}"))
    };
    set("content-type", "application/json")?;
    set("user-agent", "Quanzi-Webhooks/1")?;
    set("quanzi-event", due.delivery.event.event_type().as_str())?;
    set("quanzi-delivery", &due.delivery.id)?;
    set("quanzi-signature", &signature)?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post)
        .with_headers(headers)
        .with_redirect(RequestRedirect::Manual)
        .with_body(Some(body.into()));
    let request = Request::new_with_init(url.as_str(), &init).map_err(|e| e.to_string())?;
    let signal = AbortSignal::from(worker::web_sys::AbortSignal::timeout_with_u32(TIMEOUT_MS));
    let response = Fetch::Request(request)
        .send_with_signal(&signal)
        .await
        .map_err(|e| e.to_string())?;
    Ok(response.status_code())
}
