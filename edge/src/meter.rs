//! The binding-call meter: how many KV reads, KV writes and Durable Object requests the
//! worker made for one request. With the variable `QUANZI_METER=1` (tests and benchmarks
//! set it; a deployment does not) every response carries them:
//!
//! ```text
//! x-quanzi-meter: kv_read=1,kv_write=0,do=0
//! ```
//!
//! Only the worker's own calls are counted (the KV reads in [`crate::cache`], the object
//! requests in [`crate::rpc`]), not what a Durable Object does while serving one; the
//! worker has no KV write path at all (only objects write KV), so `kv_write` states that.
//! Counters are per isolate: if two requests overlap in one isolate, their counts mix, and
//! the header says so with `,overlap=1` rather than report a wrong number quietly.

use std::cell::Cell;

use worker::{Env, Response, Result};

pub const HEADER: &str = "x-quanzi-meter";
pub const SWITCH: &str = "QUANZI_METER";

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Counts {
    kv_read: u32,
    kv_write: u32,
    object: u32,
}

thread_local! {
    static TOTALS: Cell<Counts> = Cell::new(Counts::default());
    static IN_FLIGHT: Cell<u32> = const { Cell::new(0) };
    static STARTED: Cell<u64> = const { Cell::new(0) };
}

fn bump(f: impl FnOnce(&mut Counts)) {
    TOTALS.with(|totals| {
        let mut counts = totals.get();
        f(&mut counts);
        totals.set(counts);
    });
}

/// The worker read a KV key.
pub fn kv_read() {
    bump(|c| c.kv_read = c.kv_read.saturating_add(1));
}

/// The worker sent a request to a Durable Object.
pub fn object_request() {
    bump(|c| c.object = c.object.saturating_add(1));
}

/// One request's reading, from [`start`] to [`Reading::finish`].
pub struct Reading {
    at_start: Counts,
    sequence: u64,
    overlapped: bool,
}

/// Starts reading the meter for a request.
pub fn start() -> Reading {
    let in_flight = IN_FLIGHT.with(|n| {
        n.set(n.get().saturating_add(1));
        n.get()
    });
    let sequence = STARTED.with(|s| {
        s.set(s.get().wrapping_add(1));
        s.get()
    });
    Reading {
        at_start: TOTALS.with(Cell::get),
        sequence,
        overlapped: in_flight > 1,
    }
}

impl Reading {
    /// Ends the reading; with the meter switched on, adds the header to the response.
    pub fn finish(self, env: &Env, res: Result<Response>) -> Result<Response> {
        let in_flight = IN_FLIGHT.with(|n| {
            let left = n.get().saturating_sub(1);
            n.set(left);
            left
        });
        let overlapped =
            self.overlapped || in_flight > 0 || STARTED.with(Cell::get) != self.sequence;
        let mut res = res?;
        if is_on(env) {
            let end = TOTALS.with(Cell::get);
            let mut value = format!(
                "kv_read={},kv_write={},do={}",
                end.kv_read.wrapping_sub(self.at_start.kv_read),
                end.kv_write.wrapping_sub(self.at_start.kv_write),
                end.object.wrapping_sub(self.at_start.object),
            );
            if overlapped {
                value.push_str(",overlap=1");
            }
            res.headers_mut().set(HEADER, &value)?;
        }
        Ok(res)
    }
}

fn is_on(env: &Env) -> bool {
    env.var(SWITCH).is_ok_and(|v| v.to_string() == "1")
}
