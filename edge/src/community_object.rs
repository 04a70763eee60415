//! The Durable Object of one community: the single writer of its state. Its `fetch` is a
//! thin transport: decode an envelope, run `quanzi_core::app::handle` over the object's
//! storage, encode the outcome, and republish the public configuration to KV when it changed.

use std::cell::Cell;
use std::panic::AssertUnwindSafe;

use quanzi_core::app::{self, Actor, Command, PublicConfig, Reply};
use quanzi_core::error::ApiError;
use quanzi_core::ids::CommunitySlug;
use quanzi_core::time::Timestamp;
use serde::{Deserialize, Serialize};
use worker::{Date, DurableObject, Env, Request, Response, Result, State, durable_object};

use crate::store::DurableStore;
use crate::{cache, http, rpc};

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
        match req.path().as_str() {
            "/command" => rpc::answer(self.command(&store, &mut req).await),
            "/public-config" => rpc::answer(self.public_config(&store, &mut req).await),
            _ => http::not_found(),
        }
    }
}

impl CommunityObject {
    async fn command(
        &self,
        store: &DurableStore,
        req: &mut Request,
    ) -> std::result::Result<Reply, ApiError> {
        let envelope: Envelope = rpc::command(req).await?;
        let now = Timestamp(Date::now().as_millis() as i64);
        let outcome = app::handle(
            store,
            &envelope.slug,
            &envelope.actor,
            envelope.command,
            now,
        )
        .await?;
        // Awaited, so the next read through KV sees the change here.
        if let Some(config) = outcome.republish {
            cache::publish(&self.env, &envelope.slug, &config).await;
        }
        Ok(outcome.reply)
    }

    async fn public_config(
        &self,
        store: &DurableStore,
        req: &mut Request,
    ) -> std::result::Result<PublicConfig, ApiError> {
        let slug: CommunitySlug = rpc::command(req).await?;
        let config = app::public_config(store, &slug).await?;
        let now = Date::now().as_millis() as f64;
        if now - self.last_refill_ms.get() >= REFILL_INTERVAL_MS {
            self.last_refill_ms.set(now);
            // After the response, off the request's path.
            let (env, slug, config) = (self.env.clone(), slug, config.clone());
            self.state
                .wait_until(async move { cache::publish(&env, &slug, &config).await });
        }
        Ok(config)
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
    rpc::call(env, BINDING, slug.as_str(), "/command", &envelope).await
}

/// The public configuration of `slug`, read from its object (a KV miss).
pub async fn public_config(
    env: &Env,
    slug: &CommunitySlug,
) -> std::result::Result<PublicConfig, ApiError> {
    rpc::call(env, BINDING, slug.as_str(), "/public-config", slug).await
}
