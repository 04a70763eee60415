//! The Durable Object of one community: the single writer of its state. Its `fetch` is a
//! thin transport: decode an envelope, run `quanzi_core::app::handle` over the object's
//! storage, encode the outcome, and republish the public configuration to KV when it changed.

use std::cell::{Cell, RefCell};
use std::panic::AssertUnwindSafe;

use quanzi_core::app::{self, Actor, Command, PublicConfig, Reply};
use quanzi_core::error::ApiError;
use quanzi_core::ids::CommunitySlug;
use quanzi_core::rate_limit::RateLimiter;
use quanzi_core::time::Timestamp;
use serde::{Deserialize, Serialize};
use worker::{Date, DurableObject, Env, Request, Response, Result, State, durable_object};

use crate::snapshot::publisher::Views;
use crate::store::DurableStore;
use crate::{cache, http, protection, rpc};

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
    /// Set for writes: the idempotency key and client address (see `protection`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    guard: Option<app::protection::WriteGuard>,
}

#[durable_object]
pub struct CommunityObject {
    state: State,
    env: Env,
    last_refill_ms: AssertUnwindSafe<Cell<f64>>,
    /// The anonymous read snapshots this object publishes to KV.
    views: AssertUnwindSafe<Views>,
    /// The write rate limits of this community, in memory: every write passes here.
    limiter: AssertUnwindSafe<RefCell<RateLimiter>>,
}

impl DurableObject for CommunityObject {
    fn new(state: State, env: Env) -> Self {
        let limits = protection::limits(&env);
        Self {
            state,
            env,
            last_refill_ms: AssertUnwindSafe(Cell::new(f64::NEG_INFINITY)),
            views: AssertUnwindSafe(Views::new()),
            limiter: AssertUnwindSafe(RefCell::new(RateLimiter::new(limits))),
        }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let store = DurableStore::new(self.state.storage());
        match req.path().as_str() {
            "/command" => {
                // Seen by the scheduler: a queued webhook delivery or a new event wakes the alarm.
                let watched = crate::scheduler::Watched::new(&store);
                let answer = rpc::answer(self.command(&watched, &mut req).await);
                watched.arm_if_touched(&self.state).await;
                if store.wrote() {
                    self.views.changed(&self.state, &self.env);
                }
                answer
            }
            "/snapshot" => rpc::answer(
                self.views
                    .missed(&self.state, &self.env, &store, &mut req)
                    .await,
            ),
            "/public-config" => rpc::answer(self.public_config(&store, &mut req).await),
            _ => http::not_found(),
        }
    }

    /// Webhook deliveries and event reminders (see `scheduler`).
    async fn alarm(&self) -> Result<Response> {
        crate::scheduler::wake(&self.state, &self.env).await
    }
}

impl CommunityObject {
    async fn command(
        &self,
        store: &impl quanzi_core::store::Store,
        req: &mut Request,
    ) -> std::result::Result<Reply, ApiError> {
        let envelope: Envelope = rpc::command(req).await?;
        let now = Timestamp(Date::now().as_millis() as i64);
        let outcome = match &envelope.guard {
            // A write: replayed, refused or counted first (`app::protection`).
            Some(guard) => {
                app::protection::handle(
                    store,
                    &envelope.slug,
                    &envelope.actor,
                    envelope.command,
                    now,
                    guard,
                    |subjects| self.limiter.borrow_mut().admit(subjects, now),
                )
                .await?
            }
            None => {
                app::handle(
                    store,
                    &envelope.slug,
                    &envelope.actor,
                    envelope.command,
                    now,
                )
                .await?
            }
        };
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

/// Runs `command` as `actor` in the community `slug`. The first command sent with a write
/// request's `Env` carries its guard (see `protection`).
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
        guard: protection::take_guard(env),
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
