//! The Quanzi worker. It adapts HTTP to `quanzi_core::app`: it authenticates, applies CORS,
//! serves cached public reads from KV, and forwards every command to the community's
//! Durable Object, the single writer of that community's state.
//!
//! Static files (`/embed.js`, `/widget/*`, `/dashboard/*`) never reach this code: the
//! assets binding serves them before the worker runs.

mod api;
mod auth;
mod cache;
mod community_object;
mod cors;
mod directory_object;
mod first_view;
mod http;
mod meter;
mod operator;
mod protection;
mod random;
mod route_list;
mod routes;
mod rpc;
mod scheduler;
mod snapshot;
mod store;
mod webhooks;

pub use community_object::CommunityObject;
pub use directory_object::DirectoryObject;

use worker::{Context, Env, Request, Response, Result, event};

#[event(fetch)]
async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    let meter = meter::start();
    let res = routes::dispatch(req, &env, &ctx).await;
    http::secure(meter.finish(&env, res))
}
