//! The deployment operator: whoever holds the `OPERATOR_TOKEN` secret may create
//! communities (`wrangler secret put OPERATOR_TOKEN`; `cargo xtask dev` sets one locally).

use subtle::ConstantTimeEq;
use worker::{Env, Request};

/// Secrets shorter than this are treated as unset, so a forgotten or trivial token
/// never opens the operator routes.
const MIN_TOKEN_LEN: usize = 24;

pub fn is_operator(req: &Request, env: &Env) -> bool {
    let Ok(expected) = env.secret("OPERATOR_TOKEN").map(|s| s.to_string()) else {
        return false;
    };
    if expected.len() < MIN_TOKEN_LEN {
        return false;
    }
    let given = req
        .headers()
        .get("authorization")
        .ok()
        .flatten()
        .unwrap_or_default();
    let Some(token) = given.strip_prefix("Bearer ") else {
        return false;
    };
    token.as_bytes().ct_eq(expected.as_bytes()).into()
}
