//! The document and the worker agree on the routes: every route the worker serves
//! (`edge/src/route_list.rs`, the list its gate lets through) is documented, and every
//! documented operation is one of them. (That each listed route reaches its handler is
//! checked against the real worker in `tests/api/openapi.test.mjs`.)
#![allow(
    clippy::unwrap_used,
    reason = "a test crate: a failed unwrap is a failed test"
)]

#[path = "../../edge/src/route_list.rs"]
#[allow(
    dead_code,
    reason = "the worker's module; this test reads its list and gate"
)]
mod route_list;

use std::collections::BTreeSet;

use route_list::{ROUTES, Refusal, refusal};

fn documented() -> BTreeSet<(String, String)> {
    let doc = serde_json::to_value(quanzi_openapi::document().unwrap()).unwrap();
    let mut out = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            if [
                "get", "post", "put", "patch", "delete", "head", "options", "trace",
            ]
            .contains(&method.as_str())
            {
                out.insert((method.to_ascii_uppercase(), path.clone()));
            }
        }
    }
    out
}

fn served() -> BTreeSet<(String, String)> {
    ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect()
}

#[test]
fn every_route_the_worker_serves_is_documented() {
    let missing: Vec<_> = served().difference(&documented()).cloned().collect();
    assert!(
        missing.is_empty(),
        "routes in edge/src/route_list.rs without an operation in openapi/src/operations.rs: {missing:#?}"
    );
}

#[test]
fn every_documented_operation_is_a_route_of_the_worker() {
    let extra: Vec<_> = documented().difference(&served()).cloned().collect();
    assert!(
        extra.is_empty(),
        "operations in openapi/src/operations.rs that edge/src/route_list.rs does not list (the worker refuses them): {extra:#?}"
    );
}

#[test]
fn the_route_list_has_no_duplicates() {
    assert_eq!(served().len(), ROUTES.len(), "a route is listed twice");
}

#[test]
fn the_gate_lets_listed_routes_through_and_refuses_the_rest() {
    let pass: &[(&str, &str)] = &[
        ("GET", "/api/v1/communities/demo"),
        ("HEAD", "/api/v1/communities/demo"),
        ("OPTIONS", "/api/v1/communities/demo/threads/abc"),
        ("PUT", "/api/v1/communities/demo/"),
        ("POST", "/api/v1/communities"),
        ("POST", "/api/v1/communities/demo/events/reminders"),
        ("GET", "/api/v1/communities/demo/events/e1/attendees.csv"),
        ("DELETE", "/api/v1/communities/demo/badges/vip/holders/u_1"),
        ("GET", "/api/v1/auth/me"),
    ];
    for (method, path) in pass {
        assert_eq!(refusal(method, path), None, "{method} {path}");
    }
    let refused: &[(&str, &str, Refusal)] = &[
        ("GET", "/api/v1/nothing", Refusal::NoRoute),
        ("GET", "/", Refusal::NoRoute),
        ("GET", "/api/v1/communities/demo/nothing", Refusal::NoRoute),
        (
            "OPTIONS",
            "/api/v1/communities/demo/nothing",
            Refusal::NoRoute,
        ),
        (
            "GET",
            "/api/v1/communities/demo/threads/t/replies/r/reactions/x",
            Refusal::NoRoute,
        ),
        (
            "DELETE",
            "/api/v1/communities/demo",
            Refusal::Method {
                allow: "GET, PUT, OPTIONS".into(),
            },
        ),
        (
            "GET",
            "/api/v1/communities",
            Refusal::Method {
                allow: "POST".into(),
            },
        ),
        // The literal segment wins: `events/reminders` is not an event id here.
        (
            "GET",
            "/api/v1/communities/demo/events/reminders",
            Refusal::Method {
                allow: "POST, OPTIONS".into(),
            },
        ),
        (
            "DELETE",
            "/api/v1/communities/demo/events/e1",
            Refusal::Method {
                allow: "GET, PATCH, OPTIONS".into(),
            },
        ),
        (
            "GET",
            "/api/v1/auth/login",
            Refusal::Method {
                allow: "POST".into(),
            },
        ),
    ];
    for (method, path, want) in refused {
        assert_eq!(
            refusal(method, path).as_ref(),
            Some(want),
            "{method} {path}"
        );
    }
}

#[test]
fn every_documented_operation_passes_the_gate_with_its_example_parameters() {
    let doc = serde_json::to_value(quanzi_openapi::document().unwrap()).unwrap();
    for (template, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let mut path = template.clone();
            for param in op["parameters"].as_array().into_iter().flatten() {
                if param["in"] == "path" {
                    let name = param["name"].as_str().unwrap();
                    let example = param["example"].as_str().unwrap();
                    path = path.replace(&format!("{{{name}}}"), example);
                }
            }
            assert!(
                !path.contains('{'),
                "{path}: a path parameter has no example"
            );
            let method = method.to_ascii_uppercase();
            assert_eq!(refusal(&method, &path), None, "{method} {path}");
        }
    }
}
