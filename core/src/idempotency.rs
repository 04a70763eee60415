//! Idempotent writes: a client retrying a write with the same `Idempotency-Key` gets the
//! first answer back instead of a second effect.
//!
//! A key belongs to one caller ([`Scope`]): two callers using the same key never see each
//! other's answers. The request behind a key is remembered by its [`Fingerprint`] (method,
//! path and query, body), so the same key sent with another request is refused rather than
//! answered with the wrong reply. Records live for [`TTL_MILLIS`]; an expired record is
//! ignored when looked up and removed by a bounded prune on later keyed writes.
//!
//! Storage (see [`keys`]): `idem/{digest}` → [`Record`], where `digest` is the SHA-256 of
//! scope and key (so any key is safe in a storage key and no caller can reach another's
//! record); `idem-exp/{at}/{digest}` → `""`, the expiry index, oldest first.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::accounts::Email;
use crate::ids::{MemberId, ParseError, string_newtype};
use crate::time::Timestamp;

/// How long an answer is kept for replay: 24 hours.
pub const TTL_MILLIS: i64 = Timestamp::DAY;

/// How many expired records one keyed write removes, at most: enough to keep pace with
/// the writes that create them, bounded so no write pays for a backlog.
pub const PRUNE_PER_WRITE: usize = 4;

string_newtype! {
    /// The client's `Idempotency-Key`: 1–255 visible ASCII characters (`!` to `~`), such
    /// as a UUID.
    pub struct IdempotencyKey;
}

impl IdempotencyKey {
    pub const MAX_LEN: usize = 255;

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const WHAT: &str = "the Idempotency-Key";
        ParseError::check_length(WHAT, raw.len(), 1..=Self::MAX_LEN)?;
        if raw.bytes().all(|b| b.is_ascii_graphic()) {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ParseError::Charset {
                what: WHAT,
                allowed: "visible ASCII characters (no spaces)",
            })
        }
    }
}

/// What identifies a request behind a key: the SHA-256 of its method, its path with the
/// query, and its body, in hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fingerprint(String);

impl Fingerprint {
    pub fn of(method: &str, path_and_query: &str, body: &[u8]) -> Self {
        let mut hash = Sha256::new();
        // Lengths first, so that no two different requests hash the same bytes.
        for part in [method.as_bytes(), path_and_query.as_bytes(), body] {
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part);
        }
        Self(hex(&hash.finalize()))
    }
}

/// What the worker adds to a write request: the client's key with the request's
/// fingerprint, if the client sent one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotentRequest {
    pub key: IdempotencyKey,
    pub fingerprint: Fingerprint,
}

/// Whose keys these are: replies are kept per caller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Member(MemberId),
    Marketer(Email),
    Operator,
}

impl Scope {
    /// The storage digest of `key` in this scope.
    pub fn digest(&self, key: &IdempotencyKey) -> String {
        let mut hash = Sha256::new();
        let (kind, id) = match self {
            Scope::Member(id) => ("member", id.as_str()),
            Scope::Marketer(email) => ("marketer", email.as_str()),
            Scope::Operator => ("operator", ""),
        };
        for part in [kind, id, key.as_str()] {
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part.as_bytes());
        }
        hex(&hash.finalize())
    }
}

/// A kept answer: which request it answered, the reply, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record<R> {
    pub fingerprint: Fingerprint,
    pub at: Timestamp,
    pub reply: R,
}

impl<R> Record<R> {
    pub fn is_expired(&self, now: Timestamp) -> bool {
        now.millis().saturating_sub(self.at.millis()) >= TTL_MILLIS
    }
}

/// What to do with a keyed request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision<R> {
    /// No live answer under this key: run the command and keep its answer.
    Run,
    /// The same request was answered already: send that answer again.
    Replay(R),
    /// The key was used for a different request.
    Reused,
}

/// Decides a keyed request given the live or expired record under its key.
pub fn decide<R>(
    record: Option<Record<R>>,
    fingerprint: &Fingerprint,
    now: Timestamp,
) -> Decision<R> {
    match record {
        Some(record) if !record.is_expired(now) => {
            if record.fingerprint == *fingerprint {
                Decision::Replay(record.reply)
            } else {
                Decision::Reused
            }
        }
        _ => Decision::Run,
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Storage keys of idempotency records.
pub mod keys {
    use crate::time::Timestamp;

    pub const EXPIRY_PREFIX: &str = "idem-exp/";

    pub fn record(digest: &str) -> String {
        format!("idem/{digest}")
    }

    /// The expiry index entry of the record `digest` written `at`: sorts oldest first.
    pub fn expiry(at: Timestamp, digest: &str) -> String {
        format!("{EXPIRY_PREFIX}{:013}/{digest}", at.millis().max(0))
    }

    /// The digest and write time of an expiry index entry.
    pub fn parse_expiry(key: &str) -> Option<(Timestamp, &str)> {
        let (at, digest) = key.strip_prefix(EXPIRY_PREFIX)?.split_once('/')?;
        Some((Timestamp(at.parse().ok()?), digest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_table() {
        let cases: &[(&str, bool)] = &[
            ("0b7c4b8e-3f0a-4c1e-9d51-6a8e3c2f1a90", true),
            ("a", true),
            ("!~/:@=+", true),
            ("", false),
            ("with space", false),
            ("tab\there", false),
            ("ünïcode", false),
            ("new\nline", false),
        ];
        for &(raw, ok) in cases {
            assert_eq!(IdempotencyKey::parse(raw).is_ok(), ok, "{raw:?}");
        }
        assert!(IdempotencyKey::parse(&"k".repeat(255)).is_ok());
        assert!(IdempotencyKey::parse(&"k".repeat(256)).is_err());
    }

    #[test]
    fn fingerprints_tell_requests_apart() {
        let a = Fingerprint::of("POST", "/api/v1/communities/tea/threads", b"{\"x\":1}");
        assert_eq!(
            a,
            Fingerprint::of("POST", "/api/v1/communities/tea/threads", b"{\"x\":1}")
        );
        let others = [
            Fingerprint::of("PUT", "/api/v1/communities/tea/threads", b"{\"x\":1}"),
            Fingerprint::of("POST", "/api/v1/communities/tea/threads?a", b"{\"x\":1}"),
            Fingerprint::of("POST", "/api/v1/communities/tea/threads", b"{\"x\":2}"),
            // The same bytes split differently between path and body.
            Fingerprint::of("POST", "/api/v1/communities/tea/threads{", b"\"x\":1}"),
        ];
        for other in others {
            assert_ne!(a, other);
        }
    }

    #[test]
    fn scopes_keep_callers_apart() {
        let key = IdempotencyKey::parse("k1").unwrap();
        let lin = Scope::Member(MemberId::parse("lin").unwrap());
        let digests = [
            lin.digest(&key),
            Scope::Member(MemberId::parse("mei").unwrap()).digest(&key),
            Scope::Marketer(Email::parse("lin@brand.example").unwrap()).digest(&key),
            Scope::Operator.digest(&key),
            lin.digest(&IdempotencyKey::parse("k2").unwrap()),
        ];
        let unique: std::collections::BTreeSet<_> = digests.iter().collect();
        assert_eq!(unique.len(), digests.len());
        assert_eq!(digests[0], lin.digest(&key), "stable");
    }

    #[test]
    fn decisions_over_a_day() {
        let at = Timestamp(1_790_308_800_000);
        let print = Fingerprint::of("POST", "/x", b"");
        let record = || Record {
            fingerprint: print.clone(),
            at,
            reply: 7,
        };
        assert_eq!(decide::<i32>(None, &print, at), Decision::Run);
        assert_eq!(decide(Some(record()), &print, at), Decision::Replay(7));
        let later = at.plus_millis(TTL_MILLIS - 1);
        assert_eq!(decide(Some(record()), &print, later), Decision::Replay(7));
        let other = Fingerprint::of("POST", "/y", b"");
        assert_eq!(decide(Some(record()), &other, later), Decision::Reused);
        let expired = at.plus_millis(TTL_MILLIS);
        assert_eq!(decide(Some(record()), &print, expired), Decision::Run);
        assert_eq!(decide(Some(record()), &other, expired), Decision::Run);
    }

    #[test]
    fn expiry_keys_sort_by_time_and_parse_back() {
        let early = keys::expiry(Timestamp(999), "ab");
        let late = keys::expiry(Timestamp(1_790_308_800_000), "cd");
        assert!(early < late);
        assert_eq!(
            keys::parse_expiry(&late),
            Some((Timestamp(1_790_308_800_000), "cd"))
        );
        assert_eq!(keys::parse_expiry("idem-exp/x/ab"), None);
    }
}
