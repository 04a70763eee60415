//! Workers KV as the read cache: a community's public configuration, so that anonymous
//! reads and CORS decisions need no Durable Object call on a warm cache, and the anonymous
//! read snapshots of [`crate::snapshot`]. Only the community's Durable Object writes these
//! keys.
//!
//! Key layout (one namespace, `CACHE`):
//! * `v1/community/{slug}/config`: the [`PublicConfig`];
//! * `v1/community/{slug}/view/{name}`: the JSON body of one anonymous read (see
//!   [`crate::snapshot::View::name`]).
//!
//! On top of KV, each isolate keeps the configurations it read for [`CONFIG_TTL_MS`], so a
//! warm request spends no KV read on them. KV itself is eventually consistent (a write can
//! take about a minute to reach every location), so this short memory adds no new kind of
//! staleness; the isolate that forwards a settings change forgets its copy at once
//! ([`forget`]).

use std::cell::RefCell;
use std::collections::HashMap;

use quanzi_core::app::PublicConfig;
use quanzi_core::error::ApiError;
use quanzi_core::ids::CommunitySlug;
use worker::{Date, Env};

use crate::community_object;
use crate::http::internal;
use crate::meter;

pub const BINDING: &str = "CACHE";

/// How long an isolate trusts a configuration it read.
pub const CONFIG_TTL_MS: f64 = 30_000.0;

/// At most this many configurations are kept per isolate; beyond, the stale ones go first.
const MAX_CONFIGS: usize = 512;

thread_local! {
    /// slug → (configuration, when it was read). Never borrowed across an `await`.
    static CONFIGS: RefCell<HashMap<String, (PublicConfig, f64)>> = RefCell::new(HashMap::new());
}

pub fn config_key(slug: &CommunitySlug) -> String {
    format!("v1/community/{slug}/config")
}

/// The KV key of the anonymous read snapshot `name` of `slug`.
pub fn view_key(slug: &CommunitySlug, name: &str) -> String {
    format!("v1/community/{slug}/view/{name}")
}

/// The public configuration of `slug`: from this isolate's memory if read in the last
/// [`CONFIG_TTL_MS`], else from KV, else from the Durable Object (which then refills KV).
pub async fn public_config(env: &Env, slug: &CommunitySlug) -> Result<PublicConfig, ApiError> {
    let now = Date::now().as_millis() as f64;
    if let Some(config) = remembered(slug, now) {
        return Ok(config);
    }
    let config = from_kv_or_object(env, slug).await?;
    remember(slug, &config, now);
    Ok(config)
}

/// Drops this isolate's copy of `slug`'s configuration, after this isolate forwarded a
/// change of it: the next request reads KV, which the object rewrote before answering.
pub fn forget(slug: &CommunitySlug) {
    CONFIGS.with(|configs| configs.borrow_mut().remove(slug.as_str()));
}

fn remembered(slug: &CommunitySlug, now: f64) -> Option<PublicConfig> {
    CONFIGS.with(|configs| {
        configs
            .borrow()
            .get(slug.as_str())
            .filter(|(_, read_at)| now - read_at < CONFIG_TTL_MS && now >= *read_at)
            .map(|(config, _)| config.clone())
    })
}

fn remember(slug: &CommunitySlug, config: &PublicConfig, now: f64) {
    CONFIGS.with(|configs| {
        let mut configs = configs.borrow_mut();
        if configs.len() >= MAX_CONFIGS {
            configs.retain(|_, (_, read_at)| now - *read_at < CONFIG_TTL_MS);
            if configs.len() >= MAX_CONFIGS {
                configs.clear();
            }
        }
        configs.insert(slug.as_str().to_owned(), (config.clone(), now));
    });
}

async fn from_kv_or_object(env: &Env, slug: &CommunitySlug) -> Result<PublicConfig, ApiError> {
    let kv = env.kv(BINDING).map_err(|e| internal("kv binding", e))?;
    meter::kv_read();
    let cached = kv
        .get(&config_key(slug))
        .text()
        .await
        .map_err(|e| internal("kv get", e))?;
    if let Some(text) = cached {
        match serde_json::from_str(&text) {
            Ok(config) => return Ok(config),
            // A value written by an older version: fall through and let the object rewrite it.
            Err(e) => worker::console_warn!("stale cache entry for {slug}: {e}"),
        }
    }
    community_object::public_config(env, slug).await
}

/// Writes `config` for `slug`. Called from the community's Durable Object only.
pub async fn publish(env: &Env, slug: &CommunitySlug, config: &PublicConfig) {
    let result = async {
        let text = serde_json::to_string(config).map_err(|e| e.to_string())?;
        env.kv(BINDING)
            .map_err(|e| e.to_string())?
            .put(&config_key(slug), text)
            .map_err(|e| e.to_string())?
            .execute()
            .await
            .map_err(|e| e.to_string())
    }
    .await;
    if let Err(e) = result {
        worker::console_error!("publishing the config of {slug} to KV failed: {e}");
    }
}

/// Writes the snapshot `name` of `slug` with a time to live. Called from the community's
/// Durable Object only.
pub async fn put_view(
    env: &Env,
    slug: &CommunitySlug,
    name: &str,
    body: String,
    ttl_seconds: u64,
) -> Result<(), String> {
    env.kv(BINDING)
        .map_err(|e| e.to_string())?
        .put(&view_key(slug, name), body)
        .map_err(|e| e.to_string())?
        .expiration_ttl(ttl_seconds)
        .execute()
        .await
        .map_err(|e| e.to_string())
}

/// Removes the snapshot `name` of `slug`. Called from the community's Durable Object only.
pub async fn delete_view(env: &Env, slug: &CommunitySlug, name: &str) -> Result<(), String> {
    env.kv(BINDING)
        .map_err(|e| e.to_string())?
        .delete(&view_key(slug, name))
        .await
        .map_err(|e| e.to_string())
}

/// The snapshot `name` of `slug`, if KV has it. Called from the worker (one metered read).
pub async fn get_view(
    env: &Env,
    slug: &CommunitySlug,
    name: &str,
) -> Result<Option<String>, ApiError> {
    let kv = env.kv(BINDING).map_err(|e| internal("kv binding", e))?;
    meter::kv_read();
    kv.get(&view_key(slug, name))
        .text()
        .await
        .map_err(|e| internal("kv get", e))
}
