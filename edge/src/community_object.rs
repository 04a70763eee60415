//! The Durable Object of one community: the single writer of its state. Its `fetch` is a
//! thin transport: decode an envelope, run `quanzi_core::app::handle` over the object's
//! storage, encode the outcome, and republish the public configuration to KV when it changed.

use std::cell::Cell;
use std::panic::AssertUnwindSafe;

use quanzi_core::app::{self, Actor, Command, PublicConfig, Reply};
use quanzi_core::error::{ApiError, ErrorBody};
use quanzi_core::ids::CommunitySlug;
use quanzi_core::time::Timestamp;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use worker::{
    Date, DurableObject, Env, Method, Request, RequestInit, Response, Result, State, durable_object,
};

use crate::cache;
use crate::http::{self, internal};
use crate::store::DurableStore;

pub const BINDING: &str = "COMMUNITY";

/// A refill of the KV cache after a miss is skipped if one happened this recently, so a
/// burst of cold reads cannot exceed KV's one-write-per-second-per-key budget.
const REFILL_INTERVAL_MS: f64 = 60_000.0;

/// One command, as the worker hands it to the object.
#[derive(Serialize, Deserialize)]
struct Envelope {
    slug: CommunitySlug,
    actor: Actor,
    command: Command,
}

#[durable_object]
pub struct CommunityObject {
    state: State,
    env: Env,
    last_refill_ms: AssertUnwindSafe<Cell<f64>>,
}

impl DurableObject for CommunityObject {
    fn new(state: State, env: Env) -> Self {
        Self {
            state,
            env,
            last_refill_ms: AssertUnwindSafe(Cell::new(f64::NEG_INFINITY)),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let store = DurableStore::new(self.state.storage());
        match (req.method(), req.path().as_str()) {
            (Method::Post, "/command") => {
                let envelope: Envelope = match req.json().await {
                    Ok(envelope) => envelope,
                    Err(e) => return http::error(&internal("community object envelope", e)),
                };
                let now = Timestamp(Date::now().as_millis() as i64);
                match app::handle(
                    &store,
                    &envelope.slug,
                    &envelope.actor,
                    envelope.command,
                    now,
                )
                .await
                {
                    Ok(outcome) => {
                        // Awaited, so the next read through KV sees the change here.
                        if let Some(config) = outcome.republish {
                            cache::publish(&self.env, &envelope.slug, &config).await;
                        }
                        http::json(200, &outcome.reply)
                    }
                    Err(err) => http::error(&err),
                }
            }
            (Method::Get, path) if path.starts_with("/public-config/") => {
                let Ok(slug) = CommunitySlug::parse(&path["/public-config/".len()..]) else {
                    return http::not_found();
                };
                match app::public_config(&store, &slug).await {
                    Ok(config) => {
                        let now = Date::now().as_millis() as f64;
                        if now - self.last_refill_ms.get() >= REFILL_INTERVAL_MS {
                            self.last_refill_ms.set(now);
                            self.refill(slug, config.clone());
                        }
                        http::json(200, &config)
                    }
                    Err(err) => http::error(&err),
                }
            }
            _ => http::not_found(),
        }
    }
}

impl CommunityObject {
    /// Refills KV after a miss, after the response, off the request's path.
    fn refill(&self, slug: CommunitySlug, config: PublicConfig) {
        let env = self.env.clone();
        self.state
            .wait_until(async move { cache::publish(&env, &slug, &config).await });
    }
}

/// Runs `command` as `actor` in the community `slug`.
pub async fn call(
    env: &Env,
    slug: &CommunitySlug,
    actor: Actor,
    command: Command,
) -> std::result::Result<Reply, ApiError> {
    let envelope = Envelope {
        slug: slug.clone(),
        actor,
        command,
    };
    let body = serde_json::to_string(&envelope).map_err(|e| internal("encode envelope", e))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(body.into()));
    let req = Request::new_with_init("https://community/command", &init)
        .map_err(|e| internal("request", e))?;
    send(env, slug, req).await
}

/// The public configuration of `slug`, read from its object (a KV miss).
pub async fn public_config(
    env: &Env,
    slug: &CommunitySlug,
) -> std::result::Result<PublicConfig, ApiError> {
    let req = Request::new(
        &format!("https://community/public-config/{slug}"),
        Method::Get,
    )
    .map_err(|e| internal("request", e))?;
    send(env, slug, req).await
}

async fn send<T: DeserializeOwned>(
    env: &Env,
    slug: &CommunitySlug,
    req: Request,
) -> std::result::Result<T, ApiError> {
    let stub = env
        .durable_object(BINDING)
        .and_then(|ns| ns.get_by_name(slug.as_str()))
        .map_err(|e| internal("community object stub", e))?;
    let mut res = stub
        .fetch_with_request(req)
        .await
        .map_err(|e| internal("community object fetch", e))?;
    let status = res.status_code();
    let text = res
        .text()
        .await
        .map_err(|e| internal("community object body", e))?;
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|e| internal("community object reply", e))
    } else {
        match serde_json::from_str::<ErrorBody>(&text) {
            Ok(body) => Err(body.error),
            Err(e) => Err(internal("community object error", e)),
        }
    }
}
