//! The insight benchmark, run by `xtask/src/insight_bench.rs` in an optimised build: a
//! scripted community of `--members` members (default 1,000,000) in a `MemoryStore`, eight
//! weeks of history folded into the rollups, then two days played through
//! `app::handle` (the second one measured) and every dashboard query timed. Memory is what a
//! counting global allocator saw: live bytes after each phase, and the peak during each.
//!
//! Prints markdown lines on stdout (the report); progress goes to stderr.
//!
//! `cargo run --release -p xtask --example insight_bench -- --members 50000`

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeSet;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use quanzi_core::app::insight::scripted::{self, Ledger};
use quanzi_core::app::{Actor, Command, handle};
use quanzi_core::insight::script::{Action, Community, ScriptConfig, Step};
use quanzi_core::store::{MemoryStore, Store};
use quanzi_core::talk::ThreadId;
use quanzi_core::time::Timestamp;

/// Counts the bytes the process holds, and the most it held since the last [`reset_peak`].
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// The most ever held: never reset.
static TOP: AtomicUsize = AtomicUsize::new(0);

fn grew(bytes: usize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
    TOP.fetch_max(live, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
}

// SAFETY: every call is passed on to the system allocator unchanged; only counters move.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's obligations are the system allocator's.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as above.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as above.
        let moved = unsafe { System.realloc(ptr, layout, new_size) };
        if !moved.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        moved
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// Starts a new peak at the bytes held now; returns them.
fn reset_peak() -> usize {
    let now = live();
    PEAK.store(now, Ordering::Relaxed);
    now
}

fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// Drives a future over the memory store, which never suspends.
fn block_on<F: std::future::Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        if let std::task::Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
    }
}

fn mib(bytes: usize) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

type Failure = Box<dyn std::error::Error>;

fn fail(what: &str, e: impl std::fmt::Debug) -> Failure {
    format!("{what}: {e:?}").into()
}

fn main() {
    let mut members: u32 = 1_000_000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (
            arg.as_str(),
            args.next().map(|n| n.replace('_', "").parse::<u32>()),
        ) {
            ("--members", Some(Ok(n))) if n >= 100 => members = n,
            _ => {
                eprintln!("usage: insight_bench [--members N (at least 100)]");
                std::process::exit(2);
            }
        }
    }
    match measure(members) {
        Ok(lines) => {
            for line in lines {
                println!("{line}");
            }
        }
        Err(e) => {
            eprintln!("insight bench failed: {e}");
            std::process::exit(1);
        }
    }
}

/// Whether a reply or reaction of the first played day finds its thread: threads of seeded
/// days were never written.
fn target_exists(store: &MemoryStore, step: &Step) -> Result<bool, Failure> {
    let thread = match &step.action {
        Action::Reply { thread, .. } | Action::React { thread, .. } => thread,
        _ => return Ok(true),
    };
    let id = ThreadId::parse(thread).map_err(|e| fail("thread id", e))?;
    Ok(block_on(store.get(&quanzi_core::talk::keys::thread(&id)))
        .map_err(|e| fail("store", e))?
        .is_some())
}

fn measure(members: u32) -> Result<Vec<String>, Failure> {
    let bench_started = Instant::now();
    let base = reset_peak();
    let store = MemoryStore::new();
    let mut script = Community::new(ScriptConfig {
        members,
        weeks: 8,
        seed: 7,
    });
    let stage = block_on(scripted::set_up(&store, &script)).map_err(|e| fail("set-up", e))?;
    let days = script.days();
    let mut ledger = Ledger::new(script.members.len());

    // History: every day but the last two, folded straight into the rollups.
    eprintln!(
        "insight bench: seeding {} days of {members} members",
        days - 2
    );
    let seed_started = Instant::now();
    let mut seeded_steps = 0usize;
    for _ in 0..days - 2 {
        let (_, steps) = script.day();
        seeded_steps += steps.len();
        block_on(scripted::seed(&store, &script, &mut ledger, &steps))
            .map_err(|e| fail("seeding", e))?;
    }
    let last_seeded = days - 3;
    let now = scripted::at(&stage, last_seeded, 23 * 60);
    block_on(scripted::seed_members(
        &store,
        &script,
        &ledger,
        last_seeded,
        now,
    ))
    .map_err(|e| fail("seeding members", e))?;
    let seed_time = seed_started.elapsed();
    let after_seed = live();
    let seed_peak = peak();
    let keys_after_seed = store.len();

    // The second-to-last day through the application layer (so the last day's replies find
    // their threads); then the last day, measured.
    eprintln!("insight bench: playing day {}", days - 2);
    let (_, warm) = script.day();
    let mut skipped = 0usize;
    for step in &warm {
        if !target_exists(&store, step)? {
            skipped += 1;
            continue;
        }
        block_on(scripted::play(&store, &stage, &script, step))
            .map_err(|e| fail(&format!("{step:?}"), e))?;
    }
    eprintln!("insight bench: playing day {} (measured)", days - 1);
    let (_, day) = script.day();
    let before_day = reset_peak();
    let ops_before = store.ops();
    let day_started = Instant::now();
    for step in &day {
        block_on(scripted::play(&store, &stage, &script, step))
            .map_err(|e| fail(&format!("{step:?}"), e))?;
    }
    let day_time = day_started.elapsed();
    let ops = store.ops();
    let day_peak = peak().saturating_sub(before_day);
    let day_growth = live().saturating_sub(before_day);
    let actions = day.len().max(1);
    let active: BTreeSet<usize> = day.iter().map(|s| s.member).collect();

    // The dashboard's queries, as the operator, at 22:00 on the last day.
    let at: Timestamp = scripted::at(&stage, days - 1, 22 * 60);
    let queries: Vec<(&str, serde_json::Value)> = vec![
        ("overview, 30 days", serde_json::json!({"type": "overview"})),
        (
            "retention, 12 weeks",
            serde_json::json!({"type": "retention"}),
        ),
        ("tiers", serde_json::json!({"type": "tiers"})),
        (
            "top threads",
            serde_json::json!({"type": "top", "kind": "thread"}),
        ),
        (
            "top topics",
            serde_json::json!({"type": "top", "kind": "topic"}),
        ),
        (
            "top events",
            serde_json::json!({"type": "top", "kind": "event"}),
        ),
        ("streaks, 30 days", serde_json::json!({"type": "streaks"})),
        ("churn risk, 30 days", serde_json::json!({"type": "churn"})),
        (
            "churn list, 50",
            serde_json::json!({"type": "churn_members"}),
        ),
        (
            "segment count: quiet 14 days (trail only)",
            serde_json::json!({"type": "preview_segment", "filter": {"quiet_days": 14}}),
        ),
        (
            "segment count: vip and attended in 30 days (reads profiles)",
            serde_json::json!({"type": "preview_segment", "filter":
                {"all": [{"attended": {"within_days": 30}}, {"tag": "vip"}]}}),
        ),
        (
            "segment count: points ≥ 20 (reads every account)",
            serde_json::json!({"type": "preview_segment", "filter": {"points": {"min": 20}}}),
        ),
    ];
    let mut rows = Vec::new();
    for (name, command) in queries {
        let command: Command =
            serde_json::from_value(serde_json::json!({"type": "insight", "body": command}))
                .map_err(|e| fail(name, e))?;
        let before = reset_peak();
        let started = Instant::now();
        let outcome = block_on(handle(&store, &stage.slug, &Actor::Operator, command, at))
            .map_err(|e| fail(name, e))?;
        let took = started.elapsed();
        let size = outcome
            .reply
            .into_body()
            .map(|b| b.to_string().len())
            .unwrap_or(0);
        rows.push(format!(
            "| {name} | {} | {} | {} B |",
            ms(took),
            mib(peak().saturating_sub(before)),
            size
        ));
    }
    let segment = serde_json::json!({"type": "insight", "body": {"type": "create_segment",
        "id": "lapsed", "draft": {"name": "Lapsed", "filter": {"quiet_days": 14}}}});
    let command: Command = serde_json::from_value(segment).map_err(|e| fail("segment", e))?;
    block_on(handle(&store, &stage.slug, &Actor::Operator, command, at))
        .map_err(|e| fail("segment", e))?;
    let page = serde_json::json!({"type": "insight", "body": {"type": "segment_members",
        "id": "lapsed", "limit": 50}});
    let command: Command = serde_json::from_value(page).map_err(|e| fail("page", e))?;
    let before = reset_peak();
    let started = Instant::now();
    block_on(handle(&store, &stage.slug, &Actor::Operator, command, at))
        .map_err(|e| fail("segment page", e))?;
    rows.push(format!(
        "| segment members, first page of 50 | {} | {} | |",
        ms(started.elapsed()),
        mib(peak().saturating_sub(before))
    ));

    let per = |n: usize| n as f64 / actions as f64;
    let mut lines = vec![
        format!("### Insight at {members} members"),
        String::new(),
        format!(
            "A scripted community in a `MemoryStore` (native, optimised): {} days of history \
             ({seeded_steps} actions) folded straight into the rollups, with profiles, \
             points and all-time leaderboard entries; then a day played through `app::handle` \
             ({} replies and reactions to seeded threads skipped) and the last day measured.",
            days - 2,
            skipped
        ),
        String::new(),
        "| phase | value |".to_owned(),
        "| --- | --- |".to_owned(),
        format!(
            "| seeding (fold + members) | {:.1} s |",
            seed_time.as_secs_f64()
        ),
        format!(
            "| store after seeding | {keys_after_seed} keys, {} live |",
            mib(after_seed.saturating_sub(base))
        ),
        format!(
            "| peak while seeding | {} |",
            mib(seed_peak.saturating_sub(base))
        ),
        format!(
            "| the measured day | {} actions by {} members in {:.2} s ({:.1} µs an action, rollups included) |",
            day.len(),
            active.len(),
            day_time.as_secs_f64(),
            day_time.as_secs_f64() * 1e6 / actions as f64
        ),
        format!(
            "| storage per action | {:.1} gets, {:.2} lists, {:.2} batches |",
            per(ops.gets - ops_before.gets),
            per(ops.lists - ops_before.lists),
            per(ops.commits - ops_before.commits)
        ),
        format!(
            "| memory the day added | {} (peak above the start: {}) |",
            mib(day_growth),
            mib(day_peak)
        ),
        String::new(),
        "| dashboard query | time | peak memory | answer |".to_owned(),
        "| --- | --- | --- | --- |".to_owned(),
    ];
    lines.extend(rows);
    lines.push(String::new());
    lines.push(format!(
        "Total {:.1} s; the process peaked at {} above its start.",
        bench_started.elapsed().as_secs_f64(),
        mib(TOP.load(Ordering::Relaxed).saturating_sub(base))
    ));
    Ok(lines)
}
