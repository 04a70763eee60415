//! Fixtures shared by the application layer's unit tests: a community with an SSO key,
//! and member tokens signed with it.

use serde_json::json;

use super::{Actor, Command, Reply, handle};
use crate::error::ApiError;
use crate::ids::CommunitySlug;
use crate::sso::{KeyId, SsoKey, SsoSecret, sign};
use crate::store::{MemoryStore, block_on};
use crate::time::Timestamp;

/// 2026-09-25 12:00 Asia/Shanghai (a Friday, ISO week 39).
pub(crate) const NOON: Timestamp = Timestamp(1_790_308_800_000);

/// The community the fixtures create.
pub(crate) fn slug() -> CommunitySlug {
    CommunitySlug::parse("demo").unwrap()
}

/// Runs one command against the `demo` community and returns its reply.
pub(crate) fn run(
    store: &MemoryStore,
    actor: &Actor,
    command: Command,
    now: Timestamp,
) -> Result<Reply, ApiError> {
    block_on(handle(store, &slug(), actor, command, now)).map(|o| o.reply)
}

/// A store holding the `demo` community (named "Demo") with the SSO key `k1`, added at `now`.
pub(crate) fn community_with_key(now: Timestamp) -> (MemoryStore, SsoKey) {
    let store = MemoryStore::new();
    let settings = serde_json::from_value(json!({"name": "Demo"})).unwrap();
    run(
        &store,
        &Actor::Operator,
        Command::PutCommunity { settings },
        now,
    )
    .unwrap();
    let key = SsoKey {
        kid: KeyId::parse("k1").unwrap(),
        secret: SsoSecret::parse(&"s".repeat(64)).unwrap(),
        created_at: now,
    };
    let add = Command::AddSsoKey {
        kid: key.kid.clone(),
        secret: key.secret.clone(),
    };
    run(&store, &Actor::Operator, add, now).unwrap();
    (store, key)
}

/// The claims of a member token issued at `now`, valid for an hour.
pub(crate) fn claims(sub: &str, name: &str, aud: &str, now: Timestamp) -> serde_json::Value {
    let secs = now.millis() / 1000;
    json!({"sub": sub, "name": name, "aud": aud, "iat": secs, "exp": secs + 3600})
}

/// A member actor whose token carries `claims`, signed with `key`.
pub(crate) fn signed(key: &SsoKey, claims: &serde_json::Value) -> Actor {
    Actor::Member {
        token: sign(claims, key).unwrap(),
    }
}

/// A member named "Lin" of the `demo` community, with a token issued at `NOON`.
pub(crate) fn member(key: &SsoKey, sub: &str) -> Actor {
    signed(key, &claims(sub, "Lin", "demo", NOON))
}
