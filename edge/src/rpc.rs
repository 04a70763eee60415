//! Calls from the worker to a Durable Object and back: a JSON command in, a JSON reply or the
//! wire error body out. Both objects use this, so the transport is written once.

use quanzi_core::error::{ApiError, ErrorBody};
use serde::Serialize;
use serde::de::DeserializeOwned;
use worker::{Env, Method, Request, RequestInit, Response};

use crate::http::{self, internal};

/// Sends `body` to `path` on the object `name` of `binding`.
pub async fn call<B: Serialize, T: DeserializeOwned>(
    env: &Env,
    binding: &str,
    name: &str,
    path: &str,
    body: &B,
) -> Result<T, ApiError> {
    let text = serde_json::to_string(body).map_err(|e| internal("encode command", e))?;
    let mut init = RequestInit::new();
    init.with_method(Method::Post).with_body(Some(text.into()));
    let req = Request::new_with_init(&format!("https://object{path}"), &init)
        .map_err(|e| internal("object request", e))?;
    let stub = env
        .durable_object(binding)
        .and_then(|ns| ns.get_by_name(name))
        .map_err(|e| internal("object stub", e))?;
    crate::meter::object_request();
    let mut res = stub
        .fetch_with_request(req)
        .await
        .map_err(|e| internal("object fetch", e))?;
    let status = res.status_code();
    let text = res.text().await.map_err(|e| internal("object body", e))?;
    if (200..300).contains(&status) {
        serde_json::from_str(&text).map_err(|e| internal("object reply", e))
    } else {
        match serde_json::from_str::<ErrorBody>(&text) {
            Ok(body) => Err(body.error),
            Err(e) => Err(internal("object error", e)),
        }
    }
}

/// Reads the command an object was sent.
pub async fn command<T: DeserializeOwned>(req: &mut Request) -> Result<T, ApiError> {
    req.json().await.map_err(|e| internal("object command", e))
}

/// The object's answer: the reply, or the error body with its status.
pub fn answer<T: Serialize>(result: Result<T, ApiError>) -> worker::Result<Response> {
    match result {
        Ok(reply) => http::json(200, &reply),
        Err(err) => http::error(&err),
    }
}
