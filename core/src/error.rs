//! The error contract: one wire [`ErrorCode`] enum that the worker, the widget and the
//! dashboard all match on, and the JSON body `{"error":{"code":"…","message":"…"}}`.

use serde::{Deserialize, Serialize};

/// Every error a client can receive. Serialised `snake_case`; clients treat codes they do
/// not know as [`ErrorCode::Unknown`], so adding a code never breaks an old widget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// The request body or a parameter could not be parsed or broke a rule.
    InvalidInput,
    /// No credentials, or credentials that could not be verified.
    Unauthenticated,
    /// Verified, but not allowed to do this.
    Forbidden,
    /// The page's origin is not on the community's allowlist.
    OriginNotAllowed,
    /// No community with that slug.
    CommunityNotFound,
    /// No such resource (thread, event, reward…) on a route that exists.
    NotFound,
    /// No such route: the path is not part of the API (`GET /api/v1/openapi.json` lists
    /// every route). Distinct from `not_found`, so a client can tell a typo from a deleted thing.
    RouteNotFound,
    /// The route exists, the method does not.
    MethodNotAllowed,
    /// The change conflicts with the current state (e.g. a slug already taken).
    Conflict,
    /// The member already checked in today (community-local day).
    AlreadyCheckedIn,
    /// Not enough points for this redemption.
    InsufficientPoints,
    /// The reward has no stock left.
    OutOfStock,
    /// The event is not open for this (cancelled, ended, or sign-up closed).
    EventClosed,
    /// The member is already signed up (or waiting) for this event.
    AlreadySignedUp,
    /// The member holds no sign-up for this event.
    NotSignedUp,
    /// The attendance code does not match.
    WrongAttendanceCode,
    /// The thread is locked: no new replies.
    ThreadLocked,
    /// The member is banned from this community (until the time in the message, if any).
    Banned,
    /// The member must join (accept the rules, pass screening) before doing this.
    NotAMember,
    /// Posting requires a verified phone number in this community.
    PhoneVerificationRequired,
    /// The community has switched this part off.
    FeatureDisabled,
    /// Too many requests; retry after the `Retry-After` header.
    RateLimited,
    /// The `Idempotency-Key` was already used by this caller for a different request.
    IdempotencyKeyReused,
    /// An import needs a freshly created community; this one already has content.
    CommunityNotEmpty,
    /// Our fault. The message never carries internals.
    Internal,
    /// A code this build does not know (sent by a newer server).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// The HTTP status that carries this code.
    pub fn http_status(self) -> u16 {
        match self {
            Self::InvalidInput => 400,
            Self::Unauthenticated => 401,
            Self::Forbidden
            | Self::OriginNotAllowed
            | Self::Banned
            | Self::NotAMember
            | Self::PhoneVerificationRequired
            | Self::FeatureDisabled => 403,
            Self::CommunityNotFound | Self::NotFound | Self::RouteNotFound => 404,
            Self::MethodNotAllowed => 405,
            Self::Conflict
            | Self::AlreadyCheckedIn
            | Self::InsufficientPoints
            | Self::OutOfStock
            | Self::EventClosed
            | Self::AlreadySignedUp
            | Self::NotSignedUp
            | Self::ThreadLocked
            | Self::CommunityNotEmpty => 409,
            Self::WrongAttendanceCode => 400,
            Self::IdempotencyKeyReused => 422,
            Self::RateLimited => 429,
            Self::Internal | Self::Unknown => 500,
        }
    }
}

/// An error as it travels: a code to match on and a message for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[error("{code:?}: {message}")]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    /// With `rate_limited`: the seconds to wait (also sent as the `Retry-After` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u32>,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    pub fn invalid(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
    }

    pub fn http_status(&self) -> u16 {
        self.code.http_status()
    }

    /// The wire body, `{"error": {...}}`.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: self.clone(),
        }
    }
}

/// The JSON envelope of every error response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ErrorBody {
    pub error: ApiError,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_wire_shape() {
        let body = ApiError::new(ErrorCode::CommunityNotFound, "no community `x`").body();
        assert_eq!(
            serde_json::to_value(&body).unwrap(),
            serde_json::json!({"error": {"code": "community_not_found", "message": "no community `x`"}})
        );
    }

    #[test]
    fn unknown_codes_parse_as_unknown() {
        let body: ErrorBody =
            serde_json::from_str(r#"{"error":{"code":"from_the_future","message":"m"}}"#).unwrap();
        assert_eq!(body.error.code, ErrorCode::Unknown);
    }

    #[test]
    fn statuses_table() {
        let cases = [
            (ErrorCode::InvalidInput, 400),
            (ErrorCode::Unauthenticated, 401),
            (ErrorCode::OriginNotAllowed, 403),
            (ErrorCode::CommunityNotFound, 404),
            (ErrorCode::RouteNotFound, 404),
            (ErrorCode::Conflict, 409),
            (ErrorCode::IdempotencyKeyReused, 422),
            (ErrorCode::RateLimited, 429),
            (ErrorCode::Internal, 500),
        ];
        for (code, status) in cases {
            assert_eq!(code.http_status(), status, "{code:?}");
        }
    }
}
