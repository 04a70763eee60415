//! Writes with protection: [`handle`] runs a write command like [`super::handle`], after
//! two checks the worker asks for with a [`WriteGuard`]:
//!
//! - **Idempotency.** With a key, a live answer to the same request by the same caller is
//!   sent again without running anything, and a key used for a different request is refused
//!   (`idempotency_key_reused`). Otherwise the command runs over a [`Staged`] store and its
//!   writes are committed in one batch together with the answer's record, so a retry can
//!   never find the effect without the answer or the answer without the effect. Only
//!   successful answers are kept: a refusal writes nothing, and its retry is decided afresh.
//!   Copies sent at once are answered once because the caller runs one command at a time per
//!   community (the Durable Object does: a command awaits nothing but its own storage, so
//!   no other request interleaves), and the second copy finds the first one's record.
//! - **Rate limits.** Every write that is not a replay counts against the verified caller
//!   and the client's address (the operator is exempt); `admit` (the object's
//!   [`crate::rate_limit::RateLimiter`]) refuses it, before anything runs, when a bucket is
//!   empty.
//!
//! Storage: the records and expiry index of [`crate::idempotency`].

mod staged;

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};
use crate::idempotency::{
    self, Decision, Fingerprint, IdempotentRequest, PRUNE_PER_WRITE, Record, Scope, TTL_MILLIS,
    keys,
};
use crate::ids::CommunitySlug;
use crate::rate_limit::Subject;
use crate::store::{Batch, Store, get_json};
use crate::time::Timestamp;

use super::{Actor, Command, Outcome, Reply, identity};
pub use staged::Staged;

/// What the worker knows about a write request beyond its command.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteGuard {
    /// The client's `Idempotency-Key` and the request's fingerprint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idempotency: Option<IdempotentRequest>,
    /// The client's address (`CF-Connecting-IP`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_ip: Option<IpAddr>,
}

/// Runs the write `command` for `actor` under `guard`; `admit` takes the write from the
/// rate limits of the subjects it is given, or refuses it.
pub async fn handle(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    command: Command,
    now: Timestamp,
    guard: &WriteGuard,
    admit: impl FnOnce(&[Subject]) -> Result<(), ApiError>,
) -> Result<Outcome, ApiError> {
    // A caller who cannot be verified has no keys and no bucket of their own; the command
    // refuses them below with its own error.
    let scope = scope_of(store, slug, actor, now).await.ok().flatten();
    let mut keyed = None;
    if let (Some(scope), Some(request)) = (&scope, &guard.idempotency) {
        let digest = scope.digest(&request.key);
        let record = get_json::<Record<Reply>>(store, &keys::record(&digest)).await?;
        let previous = record.as_ref().map(|r| r.at);
        match idempotency::decide(record, &request.fingerprint, now) {
            Decision::Replay(reply) => return Ok(Outcome::read(reply)),
            Decision::Reused => return Err(reused()),
            Decision::Run => {
                keyed = Some(Keyed {
                    digest,
                    fingerprint: request.fingerprint.clone(),
                    previous,
                })
            }
        }
    }

    let mut subjects = Vec::with_capacity(2);
    match &scope {
        Some(Scope::Member(id)) => subjects.push(Subject::Member(id.clone())),
        Some(Scope::Marketer(email)) => subjects.push(Subject::Marketer(email.clone())),
        Some(Scope::Operator) | None => {}
    }
    if let (Some(ip), false) = (guard.client_ip, matches!(actor, Actor::Operator)) {
        subjects.push(Subject::address(ip));
    }
    admit(&subjects)?;

    let Some(keyed) = keyed else {
        return super::handle(store, slug, actor, command, now).await;
    };
    let staged = Staged::new(store);
    let result = super::handle(&staged, slug, actor, command, now).await;
    let mut batch = staged.into_batch();
    match result {
        Ok(outcome) => {
            keyed.keep(store, &mut batch, &outcome.reply, now).await?;
            store.commit(batch).await?;
            Ok(outcome)
        }
        Err(err) => {
            // As without a key: whatever the command wrote before it failed stays written.
            if !batch.is_empty() {
                store.commit(batch).await?;
            }
            Err(err)
        }
    }
}

/// Whose keys and bucket a request uses: members by their verified token.
async fn scope_of(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    now: Timestamp,
) -> Result<Option<Scope>, ApiError> {
    Ok(match actor {
        Actor::Member { .. } => Some(Scope::Member(
            identity::member(store, slug, actor, now).await?.id,
        )),
        Actor::Marketer { email } => Some(Scope::Marketer(email.clone())),
        Actor::Operator => Some(Scope::Operator),
        Actor::Anonymous => None,
    })
}

fn reused() -> ApiError {
    ApiError::new(
        ErrorCode::IdempotencyKeyReused,
        "this Idempotency-Key was already used for a different request; use a new key for a new request",
    )
}

/// A keyed request about to run: where its answer goes.
struct Keyed {
    digest: String,
    fingerprint: Fingerprint,
    /// When the expired record under the same key was written, if one is still stored.
    previous: Option<Timestamp>,
}

impl Keyed {
    /// Adds to `batch`, after the command's own writes: the removal of up to
    /// [`PRUNE_PER_WRITE`] expired records, then this answer's record and index entry.
    async fn keep(
        self,
        store: &impl Store,
        batch: &mut Batch,
        reply: &Reply,
        now: Timestamp,
    ) -> Result<(), ApiError> {
        let oldest = store
            .list(keys::EXPIRY_PREFIX, None, PRUNE_PER_WRITE)
            .await?;
        for (key, _) in oldest.entries {
            match keys::parse_expiry(&key) {
                Some((at, _)) if now.millis().saturating_sub(at.millis()) < TTL_MILLIS => break,
                Some((_, digest)) => {
                    batch.delete(keys::record(digest));
                }
                None => {}
            }
            batch.delete(key);
        }
        if let Some(at) = self.previous {
            batch.delete(keys::expiry(at, &self.digest));
        }
        let record = Record {
            fingerprint: self.fingerprint,
            at: now,
            reply,
        };
        batch.put_json(keys::record(&self.digest), &record)?;
        batch.put_json(keys::expiry(now, &self.digest), &"")?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
