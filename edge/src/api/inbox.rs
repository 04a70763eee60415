//! HTTP routes of the inbox area: the member's notifications, and daily activity for the
//! community's owner and admins.

use quanzi_core::app::Command;
use quanzi_core::app::inbox::{InboxCommand, MarkRead};
use quanzi_core::error::ApiError;
use quanzi_core::ids::CommunitySlug;
use quanzi_core::talk::Cursor;
use worker::{Env, Method, Request};

use super::{Answer, body, member_actor, query, run, staff_reader};
use crate::http::{self, internal};

/// Routes `rest` (starting with this area's first segment), or `None` if unknown here.
pub async fn route(
    mut req: Request,
    env: &Env,
    slug: &CommunitySlug,
    rest: &[&str],
) -> Option<Answer> {
    let method = req.method();
    let answer = match (rest, method) {
        (["notifications"], Method::Get) => list(&req, env, slug).await,
        (["notifications"], _) => not_allowed("GET"),
        (["notifications", "unread-count"], Method::Get) => {
            send(&req, env, slug, InboxCommand::UnreadCount).await
        }
        (["notifications", "unread-count"], _) => not_allowed("GET"),
        (["notifications", "read"], Method::Post) => mark_read(&mut req, env, slug).await,
        (["notifications", "read"], _) => not_allowed("POST"),
        (["activity", "daily"], Method::Get) => daily(&req, env, slug).await,
        (["activity", "daily"], _) => not_allowed("GET"),
        _ => return None,
    };
    Some(answer)
}

fn not_allowed(allow: &str) -> Answer {
    http::method_not_allowed(allow).map_err(|e| internal("response", e))
}

async fn send(req: &Request, env: &Env, slug: &CommunitySlug, command: InboxCommand) -> Answer {
    run(env, slug, member_actor(req), Command::Inbox(command), 200).await
}

/// `GET …/notifications?cursor=`: newest first.
async fn list(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let cursor = match query(req, "cursor")? {
        Some(raw) if !raw.is_empty() => {
            Some(Cursor::parse(&raw).map_err(|e| ApiError::invalid(e.to_string()))?)
        }
        _ => None,
    };
    send(req, env, slug, InboxCommand::List { cursor }).await
}

/// `POST …/notifications/read` `{"ids": [...]}` or `{"all": true}`.
async fn mark_read(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let which: MarkRead = body(req)
        .await
        .map_err(|_| ApiError::invalid("send {\"ids\": [\"…\"]} or {\"all\": true}"))?;
    send(req, env, slug, InboxCommand::MarkRead { which }).await
}

/// `GET …/activity/daily?from=YYYY-MM-DD&to=YYYY-MM-DD` (owner, admin, or the operator).
async fn daily(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let day = |name: &str| -> Result<String, ApiError> {
        query(req, name)?
            .ok_or_else(|| ApiError::invalid(format!("`{name}` is required (YYYY-MM-DD)")))
    };
    // Parsed by core's own types (the worker has no date crate).
    let command: InboxCommand = serde_json::from_value(serde_json::json!({
        "type": "daily_activity", "from": day("from")?, "to": day("to")?,
    }))
    .map_err(|_| ApiError::invalid("`from` and `to` must be dates, YYYY-MM-DD"))?;
    let actor = staff_reader(req, env).await?;
    run(env, slug, actor, Command::Inbox(command), 200).await
}
