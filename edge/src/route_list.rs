//! Every route the worker serves, as a method and a path template, in one list.
//!
//! [`refusal`] runs in front of `routes::dispatch`: a request whose path matches no template
//! is refused with `route_not_found` (404), and one whose method the path does not take with
//! `method_not_allowed` (405, `Allow` from this list). So no handler answers unless its route
//! is listed here, and the API document (`openapi/`, served as `GET /api/v1/openapi.json`) is
//! tested to describe exactly these routes. Adding a route: its arm in `routes`/`api`, a line
//! here, and its operation in `openapi/src/operations.rs` (the test names what is missing).
//!
//! Plain data and `std` only: the `quanzi-openapi` crate compiles this file natively too.

/// `(method, path template)`; `{name}` matches one path segment.
pub const ROUTES: &[(&str, &str)] = &[
    // Marketer accounts (the dashboard).
    ("POST", "/api/v1/auth/signup"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/password"),
    ("GET", "/api/v1/auth/me"),
    // The operator.
    ("PUT", "/api/v1/admin/communities/{slug}"),
    // Communities and their settings.
    ("POST", "/api/v1/communities"),
    ("GET", "/api/v1/communities/{slug}"),
    ("PUT", "/api/v1/communities/{slug}"),
    ("GET", "/api/v1/communities/{slug}/settings"),
    ("GET", "/api/v1/communities/{slug}/first-view"),
    ("GET", "/api/v1/communities/{slug}/sso-keys"),
    ("POST", "/api/v1/communities/{slug}/sso-keys"),
    // Webhooks.
    ("GET", "/api/v1/communities/{slug}/webhooks"),
    ("POST", "/api/v1/communities/{slug}/webhooks"),
    ("DELETE", "/api/v1/communities/{slug}/webhooks/{webhook}"),
    (
        "GET",
        "/api/v1/communities/{slug}/webhooks/{webhook}/deliveries",
    ),
    // The team (staff).
    ("GET", "/api/v1/communities/{slug}/team"),
    ("POST", "/api/v1/communities/{slug}/team/invites"),
    ("DELETE", "/api/v1/communities/{slug}/team/invites/{invite}"),
    ("POST", "/api/v1/communities/{slug}/team/accept"),
    ("PUT", "/api/v1/communities/{slug}/team/members/{email}"),
    ("DELETE", "/api/v1/communities/{slug}/team/members/{email}"),
    // Check-in.
    ("POST", "/api/v1/communities/{slug}/checkins"),
    ("GET", "/api/v1/communities/{slug}/checkins/me"),
    ("PUT", "/api/v1/communities/{slug}/checkins/reminder"),
    // Talk.
    ("GET", "/api/v1/communities/{slug}/topics"),
    ("POST", "/api/v1/communities/{slug}/topics"),
    ("PUT", "/api/v1/communities/{slug}/topics/{topic}"),
    (
        "POST",
        "/api/v1/communities/{slug}/topics/{topic}/membership",
    ),
    (
        "DELETE",
        "/api/v1/communities/{slug}/topics/{topic}/membership",
    ),
    ("GET", "/api/v1/communities/{slug}/topics/{topic}/threads"),
    ("GET", "/api/v1/communities/{slug}/threads"),
    ("POST", "/api/v1/communities/{slug}/threads"),
    ("GET", "/api/v1/communities/{slug}/threads/{thread}"),
    ("PATCH", "/api/v1/communities/{slug}/threads/{thread}"),
    ("DELETE", "/api/v1/communities/{slug}/threads/{thread}"),
    ("GET", "/api/v1/communities/{slug}/threads/{thread}/replies"),
    (
        "POST",
        "/api/v1/communities/{slug}/threads/{thread}/replies",
    ),
    (
        "PATCH",
        "/api/v1/communities/{slug}/threads/{thread}/replies/{reply}",
    ),
    (
        "DELETE",
        "/api/v1/communities/{slug}/threads/{thread}/replies/{reply}",
    ),
    (
        "POST",
        "/api/v1/communities/{slug}/threads/{thread}/reactions",
    ),
    (
        "POST",
        "/api/v1/communities/{slug}/threads/{thread}/replies/{reply}/reactions",
    ),
    ("PUT", "/api/v1/communities/{slug}/threads/{thread}/answer"),
    ("PUT", "/api/v1/communities/{slug}/threads/{thread}/flags"),
    ("GET", "/api/v1/communities/{slug}/pages/comments"),
    ("POST", "/api/v1/communities/{slug}/pages/comments"),
    // Events.
    ("GET", "/api/v1/communities/{slug}/events"),
    ("POST", "/api/v1/communities/{slug}/events"),
    ("POST", "/api/v1/communities/{slug}/events/reminders"),
    ("GET", "/api/v1/communities/{slug}/events/{event}"),
    ("PATCH", "/api/v1/communities/{slug}/events/{event}"),
    ("POST", "/api/v1/communities/{slug}/events/{event}/cancel"),
    ("PUT", "/api/v1/communities/{slug}/events/{event}/capacity"),
    (
        "POST",
        "/api/v1/communities/{slug}/events/{event}/attendance-code",
    ),
    ("GET", "/api/v1/communities/{slug}/events/{event}/attendees"),
    (
        "GET",
        "/api/v1/communities/{slug}/events/{event}/attendees.csv",
    ),
    (
        "POST",
        "/api/v1/communities/{slug}/events/{event}/attendees/{member}/attendance",
    ),
    ("POST", "/api/v1/communities/{slug}/events/{event}/signup"),
    ("DELETE", "/api/v1/communities/{slug}/events/{event}/signup"),
    ("POST", "/api/v1/communities/{slug}/events/{event}/check-in"),
    // Points, rewards and recognition.
    ("GET", "/api/v1/communities/{slug}/me/points"),
    ("GET", "/api/v1/communities/{slug}/me/points/ledger"),
    ("PUT", "/api/v1/communities/{slug}/me/title"),
    ("GET", "/api/v1/communities/{slug}/rewards"),
    ("POST", "/api/v1/communities/{slug}/rewards"),
    ("PUT", "/api/v1/communities/{slug}/rewards/{reward}"),
    ("POST", "/api/v1/communities/{slug}/rewards/{reward}/redeem"),
    ("POST", "/api/v1/communities/{slug}/points/adjustments"),
    ("GET", "/api/v1/communities/{slug}/points/rules"),
    ("PUT", "/api/v1/communities/{slug}/points/rules"),
    ("GET", "/api/v1/communities/{slug}/levels"),
    ("PUT", "/api/v1/communities/{slug}/levels"),
    ("GET", "/api/v1/communities/{slug}/badges"),
    ("PUT", "/api/v1/communities/{slug}/badges"),
    (
        "POST",
        "/api/v1/communities/{slug}/badges/{badge}/holders/{member}",
    ),
    (
        "DELETE",
        "/api/v1/communities/{slug}/badges/{badge}/holders/{member}",
    ),
    ("GET", "/api/v1/communities/{slug}/leaderboards/{period}"),
    // Joining.
    ("GET", "/api/v1/communities/{slug}/join"),
    ("PUT", "/api/v1/communities/{slug}/join"),
    ("POST", "/api/v1/communities/{slug}/join"),
    ("GET", "/api/v1/communities/{slug}/members/me"),
    ("GET", "/api/v1/communities/{slug}/applications"),
    (
        "POST",
        "/api/v1/communities/{slug}/applications/{member}/approve",
    ),
    (
        "POST",
        "/api/v1/communities/{slug}/applications/{member}/reject",
    ),
    // Moderation.
    ("POST", "/api/v1/communities/{slug}/moderation/reports"),
    (
        "POST",
        "/api/v1/communities/{slug}/moderation/reports/resolve",
    ),
    ("GET", "/api/v1/communities/{slug}/moderation/queue"),
    ("POST", "/api/v1/communities/{slug}/moderation/hide"),
    ("POST", "/api/v1/communities/{slug}/moderation/restore"),
    ("POST", "/api/v1/communities/{slug}/moderation/approve"),
    ("POST", "/api/v1/communities/{slug}/moderation/reject"),
    ("GET", "/api/v1/communities/{slug}/moderation/audit"),
    ("GET", "/api/v1/communities/{slug}/moderation/bans"),
    ("GET", "/api/v1/communities/{slug}/moderation/settings"),
    ("PUT", "/api/v1/communities/{slug}/moderation/settings"),
    ("PUT", "/api/v1/communities/{slug}/members/{member}/ban"),
    ("DELETE", "/api/v1/communities/{slug}/members/{member}/ban"),
    ("PUT", "/api/v1/communities/{slug}/members/{member}/role"),
    // The members directory (staff).
    ("GET", "/api/v1/communities/{slug}/members"),
    ("GET", "/api/v1/communities/{slug}/members.csv"),
    ("GET", "/api/v1/communities/{slug}/members/{member}"),
    (
        "PUT",
        "/api/v1/communities/{slug}/members/{member}/tags/{tag}",
    ),
    (
        "DELETE",
        "/api/v1/communities/{slug}/members/{member}/tags/{tag}",
    ),
    // Data: the whole community's export and import (owner), a member's export and erasure.
    ("GET", "/api/v1/communities/{slug}/export"),
    ("POST", "/api/v1/communities/{slug}/import"),
    ("GET", "/api/v1/communities/{slug}/members/{member}/export"),
    ("GET", "/api/v1/communities/{slug}/me/export"),
    ("DELETE", "/api/v1/communities/{slug}/members/{member}"),
    // Inbox.
    ("GET", "/api/v1/communities/{slug}/notifications"),
    (
        "GET",
        "/api/v1/communities/{slug}/notifications/unread-count",
    ),
    ("POST", "/api/v1/communities/{slug}/notifications/read"),
    ("GET", "/api/v1/communities/{slug}/activity/daily"),
    // Insight and segments (staff).
    ("GET", "/api/v1/communities/{slug}/insight/overview"),
    ("GET", "/api/v1/communities/{slug}/insight/overview.csv"),
    ("GET", "/api/v1/communities/{slug}/insight/retention"),
    ("GET", "/api/v1/communities/{slug}/insight/retention.csv"),
    ("GET", "/api/v1/communities/{slug}/insight/tiers"),
    ("GET", "/api/v1/communities/{slug}/insight/tiers.csv"),
    ("GET", "/api/v1/communities/{slug}/insight/top"),
    ("GET", "/api/v1/communities/{slug}/insight/top.csv"),
    ("GET", "/api/v1/communities/{slug}/insight/streaks"),
    ("GET", "/api/v1/communities/{slug}/insight/streaks.csv"),
    ("GET", "/api/v1/communities/{slug}/insight/churn"),
    ("GET", "/api/v1/communities/{slug}/insight/churn.csv"),
    ("GET", "/api/v1/communities/{slug}/insight/churn/members"),
    (
        "GET",
        "/api/v1/communities/{slug}/insight/churn/members.csv",
    ),
    ("GET", "/api/v1/communities/{slug}/segments"),
    ("POST", "/api/v1/communities/{slug}/segments"),
    ("POST", "/api/v1/communities/{slug}/segments/preview"),
    ("GET", "/api/v1/communities/{slug}/segments/{segment}"),
    ("PUT", "/api/v1/communities/{slug}/segments/{segment}"),
    ("DELETE", "/api/v1/communities/{slug}/segments/{segment}"),
    (
        "GET",
        "/api/v1/communities/{slug}/segments/{segment}/members",
    ),
    (
        "GET",
        "/api/v1/communities/{slug}/segments/{segment}/members.csv",
    ),
    // Automations (owners, admins).
    ("GET", "/api/v1/communities/{slug}/automations"),
    ("POST", "/api/v1/communities/{slug}/automations"),
    ("GET", "/api/v1/communities/{slug}/automations/{automation}"),
    ("PUT", "/api/v1/communities/{slug}/automations/{automation}"),
    (
        "DELETE",
        "/api/v1/communities/{slug}/automations/{automation}",
    ),
    (
        "POST",
        "/api/v1/communities/{slug}/automations/{automation}/dry-run",
    ),
    (
        "GET",
        "/api/v1/communities/{slug}/automations/{automation}/runs",
    ),
];

/// Why the gate refuses a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No template matches the path: `route_not_found`.
    NoRoute,
    /// The path is a route, the method is not one of its methods: `method_not_allowed`
    /// with this `Allow` value.
    Method { allow: String },
}

/// `None` when `method` on `path` is a listed route (`HEAD` counts as `GET`; `OPTIONS`, the
/// CORS preflight, passes on any listed path); otherwise why not. Paths are compared as
/// `routes::dispatch` splits them: without leading or trailing `/`.
pub fn refusal(method: &str, path: &str) -> Option<Refusal> {
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let mut best: Option<Vec<bool>> = None;
    let mut methods: Vec<&str> = Vec::new();
    for (route_method, template) in ROUTES {
        let Some(literals) = match_template(template, &segments) else {
            continue;
        };
        match &best {
            Some(b) if *b > literals => continue,
            Some(b) if *b == literals => {}
            _ => {
                best = Some(literals);
                methods.clear();
            }
        }
        if !methods.contains(route_method) {
            methods.push(route_method);
        }
    }
    if methods.is_empty() {
        return Some(Refusal::NoRoute);
    }
    let wanted = if method == "HEAD" { "GET" } else { method };
    if wanted == "OPTIONS" || methods.contains(&wanted) {
        return None;
    }
    let mut allow = methods.join(", ");
    if segments.starts_with(&["api", "v1", "communities"]) && segments.len() > 3 {
        // The community scope answers CORS preflights on every route.
        allow.push_str(", OPTIONS");
    }
    Some(Refusal::Method { allow })
}

/// Which segments of `template` are literal, if it matches `segments` (more literal
/// segments, earlier, is the more specific match: `events/reminders` over `events/{event}`).
fn match_template(template: &str, segments: &[&str]) -> Option<Vec<bool>> {
    let parts: Vec<&str> = template.trim_matches('/').split('/').collect();
    if parts.len() != segments.len() {
        return None;
    }
    parts
        .iter()
        .zip(segments)
        .map(|(part, segment)| {
            if part.starts_with('{') && part.ends_with('}') {
                Some(false)
            } else {
                (part == segment).then_some(true)
            }
        })
        .collect()
}
