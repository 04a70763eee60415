//! The document is well-formed OpenAPI 3.1: its version, every `$ref` resolves, operation ids
//! are unique, path parameters match their templates, security requirements name defined
//! schemes, every error answer is the shared error body. (The served file is also checked
//! against the OpenAPI 3.1 JSON Schema in `tests/api/openapi.test.mjs`.)
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test crate: a failed unwrap is a failed test"
)]

use std::collections::BTreeSet;

use quanzi_core::error::ErrorCode;
use serde_json::Value;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn doc() -> Value {
    serde_json::from_str(&quanzi_openapi::json().unwrap()).unwrap()
}

/// Every `(path, method, operation)`.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            assert!(METHODS.contains(&method.as_str()), "{path}: `{method}`");
            out.push((path.clone(), method.clone(), op.clone()));
        }
    }
    out
}

fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn it_is_openapi_3_1() {
    let doc = doc();
    assert_eq!(doc["openapi"], "3.1.0");
    assert_eq!(doc["info"]["title"], "Quanzi API");
    assert!(doc["info"]["version"].is_string());
    assert!(operations(&doc).len() > 80, "the whole API is described");
}

#[test]
fn every_ref_resolves() {
    let doc = doc();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("`{r}` is not local"));
        assert!(doc.pointer(pointer).is_some(), "`{r}` resolves to nothing");
    }
}

#[test]
fn every_component_schema_is_used() {
    let doc = doc();
    let mut all = Vec::new();
    refs(&doc, &mut all);
    let used: BTreeSet<String> = all.into_iter().collect();
    for name in doc["components"]["schemas"].as_object().unwrap().keys() {
        assert!(
            used.contains(&format!("#/components/schemas/{name}")),
            "`{name}` is never referred to"
        );
    }
}

#[test]
fn operation_ids_are_unique_and_every_operation_is_complete() {
    let doc = doc();
    let tags: BTreeSet<&str> = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    let mut ids = BTreeSet::new();
    for (path, method, op) in operations(&doc) {
        let id = op["operationId"].as_str().unwrap().to_owned();
        assert!(ids.insert(id.clone()), "operationId `{id}` twice");
        assert!(op["summary"].is_string(), "{method} {path}: no summary");
        for tag in op["tags"].as_array().unwrap() {
            assert!(
                tags.contains(tag.as_str().unwrap()),
                "{method} {path}: tag {tag}"
            );
        }
        let responses = op["responses"].as_object().unwrap();
        assert!(
            responses.keys().any(|s| s.starts_with('2')),
            "{method} {path}: no success answer"
        );
        for (status, response) in responses {
            let code: u16 = status.parse().unwrap();
            if code >= 400 {
                let r = response["$ref"].as_str().unwrap_or_default();
                assert!(
                    r.starts_with("#/components/responses/"),
                    "{method} {path} {status}: not a shared error answer"
                );
            }
        }
        for requirement in op["security"].as_array().unwrap() {
            for scheme in requirement.as_object().unwrap().keys() {
                assert!(schemes.contains_key(scheme), "{method} {path}: `{scheme}`");
            }
        }
    }
}

#[test]
fn path_parameters_match_their_templates() {
    let doc = doc();
    for (path, method, op) in operations(&doc) {
        let in_template: BTreeSet<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_owned)
            .collect();
        let declared: BTreeSet<String> = op["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|p| p["in"] == "path")
            .inspect(|p| assert_eq!(p["required"], true, "{method} {path}: {p}"))
            .map(|p| p["name"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(in_template, declared, "{method} {path}");
    }
}

#[test]
fn errors_are_the_shared_body_with_every_wire_code() {
    let doc = doc();
    let body = &doc["components"]["schemas"]["ErrorBody"];
    assert_eq!(body["required"], serde_json::json!(["error"]));
    let codes: Vec<String> = doc["components"]["schemas"]["ErrorCode"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_owned())
        .collect();
    for code in [
        ErrorCode::InvalidInput,
        ErrorCode::NotFound,
        ErrorCode::RouteNotFound,
        ErrorCode::MethodNotAllowed,
        ErrorCode::CommunityNotFound,
        ErrorCode::Internal,
    ] {
        let wire = serde_json::to_value(code).unwrap();
        assert!(codes.contains(&wire.as_str().unwrap().to_owned()), "{wire}");
    }
    // Each shared error answer names the codes of its status, and only those.
    for (name, response) in doc["components"]["responses"].as_object().unwrap() {
        let description = response["description"].as_str().unwrap();
        let schema = &response["content"]["application/json"]["schema"]["$ref"];
        assert_eq!(schema, "#/components/schemas/ErrorBody", "{name}");
        for code in &codes {
            let status = serde_json::from_value::<ErrorCode>(Value::String(code.clone()))
                .unwrap()
                .http_status();
            let named = description.contains(&format!("`{code}`"));
            let this = ERROR_NAMES.iter().find(|(n, _)| n == name).unwrap().1;
            assert_eq!(named, status == this, "{name}: `{code}` ({status})");
        }
    }
}

const ERROR_NAMES: &[(&str, u16)] = &[
    ("BadRequest", 400),
    ("Unauthenticated", 401),
    ("Forbidden", 403),
    ("NotFound", 404),
    ("MethodNotAllowed", 405),
    ("Conflict", 409),
    ("UnprocessableContent", 422),
    ("TooManyRequests", 429),
    ("InternalError", 500),
];

#[test]
fn the_document_reads_back_and_is_deterministic() {
    let json = quanzi_openapi::json().unwrap();
    let parsed: utoipa::openapi::OpenApi = serde_json::from_str(&json).unwrap();
    assert_eq!(
        parsed.paths.paths.len(),
        doc()["paths"].as_object().unwrap().len()
    );
    assert_eq!(
        quanzi_openapi::json().unwrap(),
        json,
        "the same build, the same bytes"
    );
}
