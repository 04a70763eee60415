//! Randomness from the runtime's `crypto.getRandomValues`: session tokens, salts, SSO secrets.

use quanzi_core::error::ApiError;

use crate::http::internal;

/// `N` random bytes.
pub fn bytes<const N: usize>() -> Result<[u8; N], ApiError> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes).map_err(|e| internal("random", e))?;
    Ok(bytes)
}

/// `N` random bytes as lower-case hex.
pub fn hex<const N: usize>() -> Result<String, ApiError> {
    Ok(bytes::<N>()?.iter().map(|b| format!("{b:02x}")).collect())
}
