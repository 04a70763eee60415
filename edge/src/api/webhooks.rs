//! HTTP routes of webhooks: the owner, admins and the operator register endpoints, list and
//! delete them and read each one's delivery log. The worker draws the id and the signing
//! secret (shown once, in the answer to `POST`) and says which addresses this deployment
//! accepts (`webhooks::url_policy`); core decides the rest.
//!
//! | method | path | who |
//! | --- | --- | --- |
//! | `GET`, `POST` | `webhooks` | owner, admin, operator |
//! | `DELETE` | `webhooks/{id}` | owner, admin, operator |
//! | `GET` | `webhooks/{id}/deliveries` | owner, admin, operator |

use quanzi_core::app::webhooks::{WebhookCommand, WebhookReply};
use quanzi_core::app::{Command, Reply};
use quanzi_core::error::{ApiError, ErrorCode};
use quanzi_core::ids::CommunitySlug;
use quanzi_core::webhook::{NewWebhook, WebhookId, WebhookSecret};
use worker::{Env, Method, Request};

use super::{Answer, body, not_allowed, render, run, staff_actor, staff_reader};
use crate::http::internal;
use crate::{community_object, random, webhooks};

/// Routes `rest` (starting with `webhooks`), or `None` if unknown here.
pub async fn route(
    mut req: Request,
    env: &Env,
    slug: &CommunitySlug,
    rest: &[&str],
) -> Option<Answer> {
    let answer = match (rest, req.method()) {
        (["webhooks"], Method::Get) => list(&req, env, slug).await,
        (["webhooks"], Method::Post) => create(&mut req, env, slug).await,
        (["webhooks"], _) => not_allowed("GET, POST"),
        (["webhooks", id], Method::Delete) => delete(&req, env, slug, id).await,
        (["webhooks", _], _) => not_allowed("DELETE"),
        (["webhooks", id, "deliveries"], Method::Get) => deliveries(&req, env, slug, id).await,
        (["webhooks", _, "deliveries"], _) => not_allowed("GET"),
        _ => return None,
    };
    Some(answer)
}

fn webhook_id(raw: &str) -> Result<WebhookId, ApiError> {
    WebhookId::parse(raw)
        .map_err(|_| ApiError::new(ErrorCode::NotFound, format!("there is no webhook `{raw}`")))
}

/// `GET …/webhooks`: every endpoint, without secrets.
async fn list(req: &Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let actor = staff_reader(req, env).await?;
    run(
        env,
        slug,
        actor,
        Command::Webhooks(WebhookCommand::List),
        200,
    )
    .await
}

/// `POST …/webhooks` `{"url", "events": [...], "description"?}`: the new endpoint, with its
/// signing secret (this answer only).
async fn create(req: &mut Request, env: &Env, slug: &CommunitySlug) -> Answer {
    let actor = staff_actor(req, env).await?;
    let request: NewWebhook = body(req).await?;
    let id = WebhookId::parse(&format!("wh-{}", random::hex::<6>()?))
        .map_err(|e| internal("webhook id", e))?;
    let secret =
        WebhookSecret::parse(&random::hex::<32>()?).map_err(|e| internal("webhook secret", e))?;
    let command = Command::Webhooks(WebhookCommand::Create {
        id,
        secret,
        request,
        policy: webhooks::url_policy(env),
    });
    // The answer comes from the object (a retry with the same Idempotency-Key gets the
    // endpoint first registered, not the one drawn for the retry).
    let reply @ Reply::Webhooks(WebhookReply::Created(_)) =
        community_object::call(env, slug, actor, command).await?
    else {
        return Err(internal("webhooks", "unexpected reply"));
    };
    render(201, reply)
}

/// `DELETE …/webhooks/{id}`: the endpoint as it was; its log and queued deliveries go.
async fn delete(req: &Request, env: &Env, slug: &CommunitySlug, raw: &str) -> Answer {
    let actor = staff_actor(req, env).await?;
    let webhook = webhook_id(raw)?;
    let command = Command::Webhooks(WebhookCommand::Delete { webhook });
    run(env, slug, actor, command, 200).await
}

/// `GET …/webhooks/{id}/deliveries`: the last attempts, newest first.
async fn deliveries(req: &Request, env: &Env, slug: &CommunitySlug, raw: &str) -> Answer {
    let actor = staff_reader(req, env).await?;
    let webhook = webhook_id(raw)?;
    let command = Command::Webhooks(WebhookCommand::Deliveries { webhook });
    run(env, slug, actor, command, 200).await
}
