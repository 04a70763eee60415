//! Quanzi's API document: OpenAPI 3.1, generated from core's wire types.
//!
//! [`operations::all`] lists every operation once (method, path, who, parameters, body,
//! answers); this crate turns that list into the document, with the JSON Schemas that
//! utoipa derives from core's types (core's `openapi` feature) and the shared error answers,
//! which list the wire `ErrorCode`s of each status. `cargo xtask build` writes [`json`] to
//! `dist/public/api/v1/openapi.json`, served by the assets binding as
//! `GET /api/v1/openapi.json`. The tests check that the document is well formed and that it
//! lists exactly the worker's routes (`edge/src/route_list.rs`).

pub mod bodies;
pub mod operation;
pub mod operations;

use std::collections::BTreeMap;

use quanzi_core::error::{ErrorBody, ErrorCode};
use quanzi_core::idempotency::IdempotencyKey;
use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn, Paths};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::{ResponseBuilder, ResponsesBuilder};
use utoipa::openapi::schema::{Components, Schema};
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::server::ServerBuilder;
use utoipa::openapi::tag::TagBuilder;
use utoipa::openapi::{InfoBuilder, OpenApi, OpenApiBuilder, Ref, RefOr, Required};

use operation::{Content, Method, Op, Schemaed};

/// Why the document could not be made: a mistake in `operations.rs` or a schema clash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocError(pub String);

impl std::fmt::Display for DocError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for DocError {}

/// The document, pretty-printed JSON.
pub fn json() -> Result<String, DocError> {
    let doc = document()?;
    doc.to_pretty_json()
        .map_err(|e| DocError(format!("encoding the document: {e}")))
}

/// The API document.
pub fn document() -> Result<OpenApi, DocError> {
    let ops = operations::all();
    let mut schemas = Schemas::default();
    schemas.add(&operation::reference::<ErrorBody>())?;

    let mut paths = Paths::new();
    for op in &ops {
        let operation = operation_of(op, &mut schemas)?;
        if paths
            .get_path_operation(op.path, http_method(op.method))
            .is_some()
        {
            return Err(DocError(format!(
                "{} {} is declared twice",
                op.method.as_str(),
                op.path
            )));
        }
        paths.add_path_operation(op.path, vec![http_method(op.method)], operation);
    }

    let mut components = Components::new();
    components.schemas = schemas.named;
    // `unknown` is what clients read a code from a newer server as; no server sends it.
    if let Some(RefOr::T(Schema::Object(codes))) = components.schemas.get_mut("ErrorCode")
        && let Some(values) = codes.enum_values.as_mut()
    {
        values.retain(|v| v != UNKNOWN);
    }
    components.responses = error_responses()?;
    for (name, scheme) in security_schemes() {
        components.add_security_scheme(name, scheme);
    }

    Ok(OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Quanzi API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(DESCRIPTION))
                .build(),
        )
        .servers(Some([ServerBuilder::new()
            .url("/")
            .description(Some("the worker that serves this document"))
            .build()]))
        .paths(paths)
        .components(Some(components))
        .tags(Some(TAGS.iter().map(|(name, description)| {
            TagBuilder::new()
                .name(*name)
                .description(Some(*description))
                .build()
        })))
        .build())
}

const DESCRIPTION: &str = "The HTTP API of a Quanzi worker: a brand's member community \
(talk, check-ins, points, events, joining, moderation, notifications) and the dashboard's \
marketer accounts. Errors are always `{\"error\": {\"code\", \"message\"}}` with the code's \
HTTP status; a refused request changes nothing. A path that is not listed here answers \
`route_not_found` (404), a listed path with another method `method_not_allowed` (405). \
Browsers may call a community's routes only from an origin on its allowlist (CORS \
preflights are answered on every community route).";

const IDEMPOTENCY: &str = "Makes a retry safe: for 24 hours, the same key with the same \
request by the same caller answers as the first one did, without doing it again; the same key \
with another request is refused (`idempotency_key_reused`, 422).";

/// Tags, one per area, in the order a reader meets them.
const TAGS: &[(&str, &str)] = &[
    (
        "community",
        "A community's public settings, its settings for staff, sign-in keys.",
    ),
    (
        "check-in",
        "Daily check-ins, streaks and the month calendar.",
    ),
    ("joining", "The join policy, joining, and applications."),
    (
        "talk",
        "Topics, threads, replies, reactions, Q&A, comments under pages.",
    ),
    ("events", "Events, sign-up and waitlists, attendance."),
    (
        "points",
        "Points, the ledger, rewards, levels, badges and leaderboards.",
    ),
    (
        "moderation",
        "Reports, the queue, hiding and restoring, bans and roles, the audit log.",
    ),
    ("inbox", "Notifications and daily activity."),
    (
        "insight",
        "Activity, retention, tiers, popular content, streaks, churn risk, segments (staff).",
    ),
    (
        "members",
        "The members directory: search and filters, a member's page, staff tags (staff).",
    ),
    ("webhooks", "Events sent to the brand's own servers."),
    (
        "automations",
        "When a trigger and a segment hold, an action for the member, once (owners, admins).",
    ),
    (
        "team",
        "The marketers who run the community: roles, invites by link (staff).",
    ),
    (
        "accounts",
        "Marketer accounts and sessions (the dashboard).",
    ),
    ("operator", "The deployment's operator."),
];

fn http_method(method: Method) -> HttpMethod {
    match method {
        Method::Get => HttpMethod::Get,
        Method::Post => HttpMethod::Post,
        Method::Put => HttpMethod::Put,
        Method::Patch => HttpMethod::Patch,
        Method::Delete => HttpMethod::Delete,
    }
}

/// Named component schemas, refusing two different schemas under one name.
#[derive(Default)]
struct Schemas {
    named: BTreeMap<String, RefOr<Schema>>,
}

impl Schemas {
    fn add(&mut self, schemaed: &Schemaed) -> Result<(), DocError> {
        for (name, schema) in &schemaed.components {
            match self.named.get(name) {
                Some(existing) if existing != schema => {
                    return Err(DocError(format!(
                        "two different schemas are named `{name}`: give one `#[schema(as = …)]`"
                    )));
                }
                Some(_) => {}
                None => {
                    self.named.insert(name.clone(), schema.clone());
                }
            }
        }
        Ok(())
    }
}

fn operation_of(
    op: &Op,
    schemas: &mut Schemas,
) -> Result<utoipa::openapi::path::Operation, DocError> {
    if op.tag.is_empty() || !TAGS.iter().any(|(t, _)| *t == op.tag) {
        return Err(DocError(format!(
            "{} {}: unknown tag `{}`",
            op.method.as_str(),
            op.path,
            op.tag
        )));
    }
    if op.success.is_empty() {
        return Err(DocError(format!(
            "{} {}: no success answer",
            op.method.as_str(),
            op.path
        )));
    }
    let mut description = String::from(op.who.describe());
    if let Some(more) = op.description {
        description = format!("{more}\n\n{description}");
    }
    let mut builder = OperationBuilder::new()
        .tag(op.tag)
        .summary(Some(op.summary))
        .description(Some(description))
        .operation_id(Some(op.operation_id()));

    for name in op.path_params() {
        let param = operations::path_param(name).ok_or_else(|| {
            DocError(format!(
                "{}: no description of the path parameter `{name}`",
                op.path
            ))
        })?;
        schemas.add(&param.schema)?;
        builder = builder.parameter(
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some(param.description))
                .schema(Some(param.schema.schema.clone()))
                .example(Some(param.example.into())),
        );
    }
    if op.idempotent() {
        let key = operation::reference::<IdempotencyKey>();
        schemas.add(&key)?;
        builder = builder.parameter(
            ParameterBuilder::new()
                .name("Idempotency-Key")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(IDEMPOTENCY))
                .schema(Some(key.schema)),
        );
    }
    for (params, location) in [
        (&op.query, ParameterIn::Query),
        (&op.headers, ParameterIn::Header),
    ] {
        for param in params {
            schemas.add(&param.schema)?;
            builder = builder.parameter(
                ParameterBuilder::new()
                    .name(param.name)
                    .parameter_in(location.clone())
                    .required(param.required.clone())
                    .description(Some(param.description))
                    .schema(Some(param.schema.schema.clone()))
                    .example(param.example.clone()),
            );
        }
    }
    if let Some(body) = &op.body {
        schemas.add(&body.schema)?;
        builder = builder.request_body(Some(
            RequestBodyBuilder::new()
                .required(Some(if body.required {
                    Required::True
                } else {
                    Required::False
                }))
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(body.schema.schema.clone()))
                        .build(),
                )
                .build(),
        ));
    }

    let mut responses = ResponsesBuilder::new();
    for success in &op.success {
        let mut response = ResponseBuilder::new().description(success.description);
        match &success.content {
            Content::Json(schema) => {
                schemas.add(schema)?;
                response = response.content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(schema.schema.clone()))
                        .build(),
                );
            }
            Content::Csv => {
                response = response.content(
                    "text/csv; charset=utf-8",
                    ContentBuilder::new()
                        .schema(Some(operation::plain::<String>()))
                        .build(),
                );
            }
            Content::Empty => {}
        }
        for (name, header_description) in &success.headers {
            response = response.header(
                *name,
                HeaderBuilder::new()
                    .schema(Some(operation::plain::<String>()))
                    .description(Some(*header_description))
                    .build(),
            );
        }
        responses = responses.response(success.status.to_string(), response.build());
    }
    for status in op.error_statuses() {
        let name = error_response_name(status).ok_or_else(|| {
            DocError(format!(
                "{} {}: no error answer has status {status}",
                op.method.as_str(),
                op.path
            ))
        })?;
        responses = responses.response(
            status.to_string(),
            RefOr::Ref(Ref::from_response_name(name)),
        );
    }
    builder = builder.responses(responses.build());

    for alternative in op.who.security(op.method) {
        let mut requirement = SecurityRequirement::default();
        for scheme in alternative {
            requirement = requirement.add(scheme, Vec::<String>::new());
        }
        builder = builder.security(requirement);
    }
    Ok(builder.build())
}

/// The shared error answers, by HTTP status.
const ERROR_RESPONSES: &[(u16, &str)] = &[
    (400, "BadRequest"),
    (401, "Unauthenticated"),
    (403, "Forbidden"),
    (404, "NotFound"),
    (405, "MethodNotAllowed"),
    (409, "Conflict"),
    (422, "UnprocessableContent"),
    (429, "TooManyRequests"),
    (500, "InternalError"),
];

fn error_response_name(status: u16) -> Option<&'static str> {
    ERROR_RESPONSES
        .iter()
        .find(|(s, _)| *s == status)
        .map(|(_, name)| *name)
}

const UNKNOWN: &str = "unknown";

/// Every code of the wire `ErrorCode` enum, as its derived schema lists them (less
/// `unknown`, which only clients produce).
pub fn error_codes() -> Result<Vec<(String, ErrorCode)>, DocError> {
    let schema = serde_json::to_value(<ErrorCode as utoipa::PartialSchema>::schema())
        .map_err(|e| DocError(format!("ErrorCode's schema: {e}")))?;
    let values = schema
        .get("enum")
        .and_then(serde_json::Value::as_array)
        .ok_or_else(|| DocError("ErrorCode's schema lists no codes".into()))?;
    values
        .iter()
        .filter(|v| *v != UNKNOWN)
        .map(|v| {
            let code: ErrorCode = serde_json::from_value(v.clone())
                .map_err(|e| DocError(format!("error code {v}: {e}")))?;
            let name = v.as_str().unwrap_or_default().to_owned();
            Ok((name, code))
        })
        .collect()
}

/// `components.responses`: one per status, with the codes that status carries.
fn error_responses() -> Result<BTreeMap<String, RefOr<utoipa::openapi::Response>>, DocError> {
    let codes = error_codes()?;
    if let Some((wire, code)) = codes
        .iter()
        .find(|(_, code)| error_response_name(code.http_status()).is_none())
    {
        return Err(DocError(format!(
            "`{wire}` has status {}, which no shared error answer has: add it to ERROR_RESPONSES",
            code.http_status()
        )));
    }
    let mut out = BTreeMap::new();
    for (status, name) in ERROR_RESPONSES {
        let carried: Vec<String> = codes
            .iter()
            .filter(|(_, code)| code.http_status() == *status)
            .map(|(wire, _)| format!("`{wire}`"))
            .collect();
        if carried.is_empty() {
            return Err(DocError(format!("no error code has status {status}")));
        }
        let mut response = ResponseBuilder::new()
            .description(format!(
                "An error: `{{\"error\": {{\"code\", \"message\"}}}}`, code one of {}.",
                carried.join(", ")
            ))
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(RefOr::Ref(Ref::from_schema_name("ErrorBody"))))
                    .build(),
            );
        if *status == 429 {
            response = response.header(
                "retry-after",
                HeaderBuilder::new()
                    .schema(Some(operation::plain::<u32>()))
                    .description(Some("The seconds to wait before trying again."))
                    .build(),
            );
        }
        let response = response.build();
        out.insert((*name).to_owned(), RefOr::T(response));
    }
    Ok(out)
}

fn security_schemes() -> Vec<(&'static str, SecurityScheme)> {
    use operation::{CSRF, MEMBER, OPERATOR, SESSION};
    vec![
        (
            MEMBER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "A member: the HS256 JWT the brand's server signs with one of the \
                         community's sign-in keys (`aud` = the community's slug, `kid` = the key \
                         id, at most 24 hours long).",
                    ))
                    .build(),
            ),
        ),
        (
            SESSION,
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                "qz_session",
                "A marketer's dashboard session (HttpOnly cookie set by signup and login). \
                 Writes must also send `x-csrf-token` and come from the worker's own origin.",
            ))),
        ),
        (
            CSRF,
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "x-csrf-token",
                "The session's CSRF token (`csrf` in the answers of signup, login and \
                 `GET /api/v1/auth/me`), required with the session cookie on every write.",
            ))),
        ),
        (
            OPERATOR,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The deployment's operator: `Authorization: Bearer <OPERATOR_TOKEN>` \
                         (a worker secret). Not for browsers.",
                    ))
                    .build(),
            ),
        ),
    ]
}
