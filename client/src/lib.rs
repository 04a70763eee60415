//! The typed client for the worker's API. Every call returns a wire type from core or an
//! `ApiError`, so views match on error codes, never on strings. Network failures and
//! unreadable answers become `ErrorCode::Unknown` with a short reason.

use gloo_net::http::{Request, RequestBuilder};
use quanzi_core::accounts::Me;
use quanzi_core::api::{CommunitySettings, CommunityView};
use quanzi_core::app::{CheckinResult, MyCheckin};
use quanzi_core::error::{ApiError, ErrorBody, ErrorCode};
use quanzi_core::ids::CommunitySlug;
use serde::Serialize;
use serde::de::DeserializeOwned;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Client {
    base: String,
}

impl Client {
    /// `base` is the worker's origin with a trailing slash, or `/` on the worker's own pages.
    pub fn new(base: impl Into<String>) -> Self {
        Self { base: base.into() }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub async fn community(&self, slug: &str) -> Result<CommunityView, ApiError> {
        send(
            Request::get(&self.url(&format!("api/v1/communities/{slug}"))),
            None::<&()>,
        )
        .await
    }

    /// Checks the member in for today (`token`: the brand's SSO token).
    pub async fn check_in(&self, slug: &str, token: &str) -> Result<CheckinResult, ApiError> {
        let req = Request::post(&self.url(&format!("api/v1/communities/{slug}/checkins")));
        send(bearer(req, token), None::<&()>).await
    }

    /// The member's check-in status, this month's calendar and balance.
    pub async fn my_checkin(&self, slug: &str, token: &str) -> Result<MyCheckin, ApiError> {
        let req = Request::get(&self.url(&format!("api/v1/communities/{slug}/checkins/me")));
        send(bearer(req, token), None::<&()>).await
    }

    pub async fn me(&self) -> Result<Me, ApiError> {
        send(Request::get(&self.url("api/v1/auth/me")), None::<&()>).await
    }

    pub async fn sign_up(&self, email: &str, name: &str, password: &str) -> Result<Me, ApiError> {
        let body = serde_json::json!({ "email": email, "name": name, "password": password });
        send(Request::post(&self.url("api/v1/auth/signup")), Some(&body)).await
    }

    pub async fn login(&self, email: &str, password: &str) -> Result<Me, ApiError> {
        let body = serde_json::json!({ "email": email, "password": password });
        send(Request::post(&self.url("api/v1/auth/login")), Some(&body)).await
    }

    pub async fn logout(&self, csrf: &str) -> Result<(), ApiError> {
        let req = Request::post(&self.url("api/v1/auth/logout")).header("x-csrf-token", csrf);
        send_empty(req).await
    }

    pub async fn create_community(
        &self,
        csrf: &str,
        slug: &CommunitySlug,
        settings: &CommunitySettings,
    ) -> Result<CommunityView, ApiError> {
        let body = serde_json::json!({ "slug": slug, "settings": settings });
        let req = Request::post(&self.url("api/v1/communities")).header("x-csrf-token", csrf);
        send(req, Some(&body)).await
    }
}

fn bearer(req: RequestBuilder, token: &str) -> RequestBuilder {
    req.header("authorization", &format!("Bearer {token}"))
}

fn unknown(reason: &str) -> ApiError {
    ApiError::new(ErrorCode::Unknown, reason)
}

async fn response(
    req: RequestBuilder,
    body: Option<&impl Serialize>,
) -> Result<gloo_net::http::Response, ApiError> {
    let sent = match body {
        Some(body) => req.json(body).map_err(|_| unknown("request"))?.send().await,
        None => req.send().await,
    };
    let res = sent.map_err(|_| unknown("network"))?;
    if res.ok() {
        return Ok(res);
    }
    match res.json::<ErrorBody>().await {
        Ok(body) => Err(body.error),
        Err(_) => Err(unknown(&format!("status {}", res.status()))),
    }
}

async fn send<T: DeserializeOwned>(
    req: RequestBuilder,
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    response(req, body)
        .await?
        .json::<T>()
        .await
        .map_err(|_| unknown("bad response"))
}

async fn send_empty(req: RequestBuilder) -> Result<(), ApiError> {
    response(req, None::<&()>).await.map(drop)
}
