use std::cell::{Cell, RefCell};
use std::net::IpAddr;

use super::*;
use crate::accounts::Email;
use crate::app::testing::{NOON, claims, community_with_key, member, signed, slug};
use crate::idempotency::IdempotencyKey;
use crate::ids::MemberId;
use crate::rate_limit::{Limits, RateLimiter};
use crate::store::{MemoryStore, StoreError, block_on};

const CHECKIN_PATH: &str = "/api/v1/communities/demo/checkins";

fn keyed(key: &str, body: &str) -> WriteGuard {
    WriteGuard {
        idempotency: Some(IdempotentRequest {
            key: IdempotencyKey::parse(key).unwrap(),
            fingerprint: Fingerprint::of("POST", CHECKIN_PATH, body.as_bytes()),
        }),
        client_ip: None,
    }
}

fn from(ip: &str) -> WriteGuard {
    WriteGuard {
        idempotency: None,
        client_ip: Some(ip.parse().unwrap()),
    }
}

/// Runs `command` under `guard` with no rate limits.
fn run(
    store: &impl Store,
    actor: &Actor,
    command: Command,
    guard: &WriteGuard,
    now: Timestamp,
) -> Result<Reply, ApiError> {
    block_on(handle(store, &slug(), actor, command, now, guard, |_| {
        Ok(())
    }))
    .map(|o| o.reply)
}

fn ledger_lines(store: &MemoryStore, sub: &str) -> usize {
    let prefix = format!("member/{sub}/ledger/");
    block_on(store.list(&prefix, None, 100))
        .unwrap()
        .entries
        .len()
}

fn records(store: &MemoryStore) -> (usize, usize) {
    let count = |prefix: &str| {
        block_on(store.list(prefix, None, 1000))
            .unwrap()
            .entries
            .len()
    };
    (count("idem/"), count(keys::EXPIRY_PREFIX))
}

#[test]
fn a_retried_check_in_gets_the_first_answer_and_points_once() {
    let (store, key) = community_with_key(NOON);
    let lin = member(&key, "u1");
    let guard = keyed("checkin-2026-09-25", "");
    let commits = store.ops().commits;
    let first = run(&store, &lin, Command::CheckIn, &guard, NOON).unwrap();
    assert_eq!(
        store.ops().commits,
        commits + 1,
        "the effect and its answer are one batch"
    );
    assert_eq!(records(&store), (1, 1));

    let later = NOON.plus_millis(Timestamp::MINUTE);
    let again = run(&store, &lin, Command::CheckIn, &guard, later).unwrap();
    assert_eq!(again, first, "the same answer, not already_checked_in");
    assert_eq!(store.ops().commits, commits + 1, "a replay writes nothing");
    assert_eq!(ledger_lines(&store, "u1"), 1);

    // Without the key, the retry is a second check-in, and refused.
    let unkeyed = run(
        &store,
        &lin,
        Command::CheckIn,
        &WriteGuard::default(),
        later,
    );
    assert_eq!(unkeyed.unwrap_err().code, ErrorCode::AlreadyCheckedIn);
}

#[test]
fn a_key_used_for_another_request_is_refused_and_changes_nothing() {
    let (store, key) = community_with_key(NOON);
    let lin = member(&key, "u1");
    run(&store, &lin, Command::CheckIn, &keyed("k", ""), NOON).unwrap();
    let before = (store.ops().commits, store.len());
    let err = run(&store, &lin, Command::CheckIn, &keyed("k", "{}"), NOON).unwrap_err();
    assert_eq!(err.code, ErrorCode::IdempotencyKeyReused);
    assert_eq!(err.http_status(), 422);
    assert_eq!((store.ops().commits, store.len()), before);
}

#[test]
fn keys_belong_to_one_caller() {
    let (store, key) = community_with_key(NOON);
    let guard = keyed("shared-key", "");
    let Reply::CheckedIn(lin) =
        run(&store, &member(&key, "u1"), Command::CheckIn, &guard, NOON).unwrap()
    else {
        panic!("a check-in")
    };
    let Reply::CheckedIn(mei) =
        run(&store, &member(&key, "u2"), Command::CheckIn, &guard, NOON).unwrap()
    else {
        panic!("a check-in")
    };
    assert_eq!(ledger_lines(&store, "u1"), 1);
    assert_eq!(
        ledger_lines(&store, "u2"),
        1,
        "Mei's own check-in ran, not Lin's replay"
    );
    assert_eq!(lin.balance, mei.balance);
    assert_eq!(records(&store), (2, 2));

    // Staff keys are their own, too: the operator's `shared-key` is a new request.
    let settings = serde_json::from_value(serde_json::json!({"name": "Renamed"})).unwrap();
    let put = Command::PutCommunity { settings };
    let staff_guard = WriteGuard {
        idempotency: Some(IdempotentRequest {
            key: IdempotencyKey::parse("shared-key").unwrap(),
            fingerprint: Fingerprint::of("PUT", "/api/v1/admin/communities/demo", b"{}"),
        }),
        client_ip: None,
    };
    let Reply::Community(view) = run(&store, &Actor::Operator, put, &staff_guard, NOON).unwrap()
    else {
        panic!("a community")
    };
    assert_eq!(view.name, "Renamed");
}

#[test]
fn refusals_are_not_kept_so_a_retry_is_decided_afresh() {
    let (store, key) = community_with_key(NOON);
    let lin = member(&key, "u1");
    run(&store, &lin, Command::CheckIn, &WriteGuard::default(), NOON).unwrap();
    let before = store.ops().commits;
    let guard = keyed("k", "");
    for _ in 0..2 {
        let err = run(&store, &lin, Command::CheckIn, &guard, NOON).unwrap_err();
        assert_eq!(err.code, ErrorCode::AlreadyCheckedIn);
    }
    assert_eq!(store.ops().commits, before);
    assert_eq!(records(&store), (0, 0));
    // The next day the same key runs the new check-in.
    let tomorrow = NOON.plus_millis(Timestamp::DAY);
    let lin = signed(&key, &claims("u1", "Lin", "demo", tomorrow));
    run(&store, &lin, Command::CheckIn, &guard, tomorrow).unwrap();
    assert_eq!(ledger_lines(&store, "u1"), 2);
}

#[test]
fn answers_expire_after_a_day_and_are_pruned_a_few_at_a_time() {
    let (store, key) = community_with_key(NOON);
    let at = |sub: &str, now: Timestamp| signed(&key, &claims(sub, "Lin", "demo", now));
    for i in 0..6 {
        run(
            &store,
            &member(&key, &format!("m{i}")),
            Command::CheckIn,
            &keyed("k", ""),
            NOON,
        )
        .unwrap();
    }
    assert_eq!(records(&store), (6, 6));

    // Still live just before a day has passed: replayed.
    let almost = NOON.plus_millis(TTL_MILLIS - 1);
    run(
        &store,
        &at("m0", almost),
        Command::CheckIn,
        &keyed("k", ""),
        almost,
    )
    .unwrap();
    assert_eq!(ledger_lines(&store, "m0"), 1);

    // A day later, a keyed write removes the oldest PRUNE_PER_WRITE expired records.
    let day = NOON.plus_millis(TTL_MILLIS);
    run(
        &store,
        &at("fresh", day),
        Command::CheckIn,
        &keyed("k", ""),
        day,
    )
    .unwrap();
    assert_eq!(
        records(&store),
        (6 - PRUNE_PER_WRITE + 1, 6 - PRUNE_PER_WRITE + 1)
    );

    // The key is free again: m0 checks in anew, and the last expired records go.
    run(
        &store,
        &at("m0", day),
        Command::CheckIn,
        &keyed("k", ""),
        day,
    )
    .unwrap();
    assert_eq!(ledger_lines(&store, "m0"), 2);
    assert_eq!(
        records(&store),
        (2, 2),
        "fresh's and m0's new answers, one index entry each"
    );
}

/// A store whose commits fail: nothing of a failed write may remain.
struct BrokenCommits<'a>(&'a MemoryStore);

impl Store for BrokenCommits<'_> {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.0.get(key).await
    }
    async fn list(
        &self,
        prefix: &str,
        start_after: Option<&str>,
        limit: usize,
    ) -> Result<crate::store::Page, StoreError> {
        self.0.list(prefix, start_after, limit).await
    }
    async fn commit(&self, _: Batch) -> Result<(), StoreError> {
        Err(StoreError("disk on fire".into()))
    }
}

#[test]
fn when_the_batch_fails_neither_the_effect_nor_the_answer_is_kept() {
    let (store, key) = community_with_key(NOON);
    let lin = member(&key, "u1");
    let guard = keyed("k", "");
    let err = run(&BrokenCommits(&store), &lin, Command::CheckIn, &guard, NOON).unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    assert_eq!(ledger_lines(&store, "u1"), 0);
    assert_eq!(records(&store), (0, 0));
    // The retry runs for real.
    run(&store, &lin, Command::CheckIn, &guard, NOON).unwrap();
    assert_eq!(ledger_lines(&store, "u1"), 1);
}

#[test]
fn the_rate_limit_counts_the_verified_member_and_the_address_and_refuses_before_anything_runs() {
    let (store, key) = community_with_key(NOON);
    let limiter = RefCell::new(RateLimiter::new(Limits {
        per_caller: 1,
        per_address: 10,
    }));
    let seen = RefCell::new(Vec::new());
    let guard = WriteGuard {
        client_ip: Some("203.0.113.9".parse().unwrap()),
        ..keyed("k", "")
    };
    let limited = |actor: &Actor, command: Command, guard: &WriteGuard| {
        block_on(handle(
            &store,
            &slug(),
            actor,
            command,
            NOON,
            guard,
            |subjects| {
                seen.borrow_mut().push(subjects.to_vec());
                limiter.borrow_mut().admit(subjects, NOON)
            },
        ))
    };
    let lin = member(&key, "u1");
    limited(&lin, Command::CheckIn, &guard).unwrap();
    let ip: IpAddr = "203.0.113.9".parse().unwrap();
    assert_eq!(
        seen.borrow().last().unwrap(),
        &vec![
            Subject::Member(MemberId::parse("u1").unwrap()),
            Subject::Address(ip)
        ]
    );

    // The replay is not counted: the limit of one is not hit.
    let count = seen.borrow().len();
    limited(&lin, Command::CheckIn, &guard).unwrap();
    assert_eq!(seen.borrow().len(), count, "a replay asks no limit");

    // A new write by Lin is refused before it runs: nothing changes.
    let before = (store.ops().commits, store.len());
    let err = limited(&lin, Command::CheckIn, &keyed("k2", "")).unwrap_err();
    assert_eq!(err.code, ErrorCode::RateLimited);
    assert!(err.retry_after.is_some_and(|s| (1..=60).contains(&s)));
    assert_eq!((store.ops().commits, store.len()), before);

    // Staff count as themselves; the operator not at all; anonymous by address only.
    let mia = Actor::Marketer {
        email: Email::parse("mia@brand.example").unwrap(),
    };
    limited(&mia, Command::CheckIn, &from("198.51.100.1")).unwrap_err();
    assert_eq!(
        seen.borrow().last().unwrap(),
        &vec![
            Subject::Marketer(Email::parse("mia@brand.example").unwrap()),
            Subject::Address("198.51.100.1".parse().unwrap())
        ]
    );
    limited(&Actor::Operator, Command::CheckIn, &from("198.51.100.1")).unwrap_err();
    assert_eq!(seen.borrow().last().unwrap(), &Vec::<Subject>::new());
    let err = limited(&Actor::Anonymous, Command::CheckIn, &from("198.51.100.1")).unwrap_err();
    assert_eq!(err.code, ErrorCode::Unauthenticated);
    assert_eq!(
        seen.borrow().last().unwrap(),
        &vec![Subject::Address("198.51.100.1".parse().unwrap())]
    );
}

#[test]
fn a_bad_token_is_refused_by_the_command_as_without_protection() {
    let (store, _) = community_with_key(NOON);
    let forged = Actor::Member {
        token: "not-a-token".into(),
    };
    let asked = Cell::new(false);
    let err = block_on(handle(
        &store,
        &slug(),
        &forged,
        Command::CheckIn,
        NOON,
        &keyed("k", ""),
        |subjects| {
            asked.set(true);
            assert!(
                subjects.is_empty(),
                "no caller bucket for an unverified token"
            );
            Ok(())
        },
    ))
    .unwrap_err();
    assert_eq!(err.code, ErrorCode::Unauthenticated);
    assert!(asked.get());
    assert_eq!(records(&store), (0, 0));
}
