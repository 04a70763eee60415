//! Quanzi's domain: every rule of a brand's member community, as plain Rust.
//!
//! Nothing here knows about HTTP, wasm, Durable Objects or the clock. Time, time zones and
//! ids come in as arguments, storage sits behind the [`store::Store`] trait, and the
//! application layer ([`app::handle`]) turns one [`app::Command`] from one [`app::Actor`]
//! into one response, so the whole API can be tested natively.
#![forbid(unsafe_code)]

pub mod accounts;
pub mod api;
pub mod app;
pub mod automation;
pub mod checkin;
pub mod color;
pub mod community;
pub mod error;
pub mod events;
pub mod idempotency;
pub mod ids;
pub mod insight;
pub mod join;
pub mod login_limit;
pub mod moderation;
pub mod notify;
pub mod points;
pub mod rate_limit;
pub mod recognition;
pub mod sso;
pub mod store;
pub mod talk;
pub mod team;
pub mod time;
pub mod webhook;
