//! Responses: JSON bodies and the wire error model.

use quanzi_core::error::{ApiError, ErrorCode};
use serde::Serialize;
use worker::{Response, Result};

/// A JSON response with `status`.
pub fn json<T: Serialize>(status: u16, body: &T) -> Result<Response> {
    let mut res = Response::from_json(body)?.with_status(status);
    res.headers_mut().set("cache-control", "no-store")?;
    Ok(res)
}

/// Every answer of the worker: never sniffed as another type, never rendered as a page
/// that could run or frame anything (the API answers JSON and CSV, not documents).
pub fn secure(res: Result<Response>) -> Result<Response> {
    let mut res = res?;
    let headers = res.headers_mut();
    headers.set("x-content-type-options", "nosniff")?;
    headers.set(
        "content-security-policy",
        "default-src 'none'; frame-ancestors 'none'",
    )?;
    Ok(res)
}

/// The `{"error": {...}}` response for `err`.
pub fn error(err: &ApiError) -> Result<Response> {
    let mut res = json(err.http_status(), &err.body())?;
    if let Some(seconds) = err.retry_after {
        res.headers_mut().set("retry-after", &seconds.to_string())?;
    }
    Ok(res)
}

/// No such route (`route_not_found`): not a missing thread or event, which is `not_found`.
pub fn not_found() -> Result<Response> {
    error(&ApiError::new(
        ErrorCode::RouteNotFound,
        "no such route; GET /api/v1/openapi.json lists them all",
    ))
}

pub fn method_not_allowed(allow: &str) -> Result<Response> {
    let mut res = error(&ApiError::new(
        ErrorCode::MethodNotAllowed,
        format!("this route accepts {allow}"),
    ))?;
    res.headers_mut().set("allow", allow)?;
    Ok(res)
}

/// Internal failures are logged with detail and answered without it.
pub fn internal(context: &str, detail: impl std::fmt::Display) -> ApiError {
    worker::console_error!("{context}: {detail}");
    ApiError::new(
        ErrorCode::Internal,
        "something went wrong on our side; please retry",
    )
}

/// Reads a JSON body into `T`, turning any parse failure into a clear `invalid_input`.
pub async fn read_json<T: serde::de::DeserializeOwned>(
    req: &mut worker::Request,
) -> std::result::Result<T, ApiError> {
    parse_json(&read_text(req).await?)
}

/// The request body as text, at most [`MAX_BODY_BYTES`] of UTF-8 (a clear `invalid_input`
/// otherwise: bytes that are not UTF-8 are refused, not replaced with `�` and stored).
pub async fn read_text(req: &mut worker::Request) -> std::result::Result<String, ApiError> {
    let bytes = req
        .bytes()
        .await
        .map_err(|_| ApiError::invalid("the request body could not be read"))?;
    if bytes.len() > MAX_BODY_BYTES {
        return Err(ApiError::invalid(format!(
            "the request body is over {MAX_BODY_BYTES} bytes"
        )));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| ApiError::invalid("the request body is not UTF-8"))?;
    // As the Fetch standard's `text()` does: a leading byte-order mark is not content.
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    })
}

/// Parses a JSON body's text into `T` (a clear `invalid_input` on failure).
pub fn parse_json<T: serde::de::DeserializeOwned>(text: &str) -> std::result::Result<T, ApiError> {
    serde_json::from_str(text)
        .map_err(|e| ApiError::invalid(format!("the request body is not valid: {e}")))
}

pub const MAX_BODY_BYTES: usize = 64 * 1024;
