//! Workers KV as the read cache: a community's public configuration, so that anonymous
//! reads and CORS decisions need no Durable Object call on a warm cache. Only the
//! community's Durable Object writes these keys.

use quanzi_core::app::PublicConfig;
use quanzi_core::error::ApiError;
use quanzi_core::ids::CommunitySlug;
use worker::Env;

use crate::community_object;
use crate::http::internal;

pub const BINDING: &str = "CACHE";

pub fn config_key(slug: &CommunitySlug) -> String {
    format!("v1/community/{slug}/config")
}

/// The public configuration of `slug`: from KV, or from the Durable Object on a miss
/// (which then refills KV).
pub async fn public_config(env: &Env, slug: &CommunitySlug) -> Result<PublicConfig, ApiError> {
    let kv = env.kv(BINDING).map_err(|e| internal("kv binding", e))?;
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
