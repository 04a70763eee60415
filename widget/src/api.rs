//! The typed client for the worker's API: every call returns a wire type or an `ApiError`
//! from core, so views match on error codes, never on strings.

use quanzi_core::api::CommunityView;
use quanzi_core::error::{ApiError, ErrorBody, ErrorCode};
use serde::de::DeserializeOwned;

#[derive(Clone, Debug)]
pub struct Client {
    base: String,
}

impl Client {
    pub fn new(base: impl Into<String>) -> Self {
        Self { base: base.into() }
    }

    pub async fn community(&self, slug: &str) -> Result<CommunityView, ApiError> {
        self.get(&format!("api/v1/communities/{slug}")).await
    }

    async fn get<T: DeserializeOwned>(&self, path: &str) -> Result<T, ApiError> {
        let url = format!("{}{}", self.base, path);
        let res = gloo_net::http::Request::get(&url)
            .send()
            .await
            .map_err(|_| ApiError::new(ErrorCode::Unknown, "network"))?;
        if res.ok() {
            res.json::<T>()
                .await
                .map_err(|_| ApiError::new(ErrorCode::Unknown, "bad response"))
        } else {
            match res.json::<ErrorBody>().await {
                Ok(body) => Err(body.error),
                Err(_) => Err(ApiError::new(
                    ErrorCode::Unknown,
                    format!("status {}", res.status()),
                )),
            }
        }
    }
}
