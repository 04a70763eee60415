//! Webhooks as use cases: the owner, admins and the operator register, list and delete
//! endpoints and read each one's delivery log; [`enqueue`] (called by
//! [`Change::commit`](super::Change::commit)) puts a use case's events in the outbox in its
//! own batch; the community's object takes what is [`due`], sends it and
//! [`record_attempt`]s the answer. The rules are in [`crate::webhook`].
//!
//! Storage: see [`crate::webhook::keys`].

use serde::{Deserialize, Serialize};

use crate::community::Community;
use crate::error::{ApiError, ErrorCode};
use crate::ids::CommunitySlug;
use crate::moderation::ContentRef;
use crate::store::{Batch, Store, get_json};
use crate::talk::{self, Place, Thread, keys as talk_keys};
use crate::time::Timestamp;
use crate::webhook::{
    self, AttemptLog, AttemptResult, CreatedWebhook, Delivery, DeliveryLog, NewWebhook, UrlPolicy,
    Webhook, WebhookEvent, WebhookId, WebhookList, WebhookSecret, WebhookView, Webhooks, keys,
};

use super::{Actor, Outcome, Reply, identity, load_community};

/// The commands of this area (see [`super::Command::Webhooks`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum WebhookCommand {
    /// Registers an endpoint; the worker drew the id and the secret, and says which
    /// receiver addresses this deployment accepts.
    Create {
        id: WebhookId,
        secret: WebhookSecret,
        request: NewWebhook,
        policy: UrlPolicy,
    },
    /// Every endpoint, without secrets.
    List,
    /// Removes an endpoint with its log; its queued deliveries are dropped.
    Delete { webhook: WebhookId },
    /// An endpoint's last attempts, newest first.
    Deliveries { webhook: WebhookId },
}

/// `GET …/webhooks/{id}/deliveries`: the endpoint's last attempts, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DeliveriesView {
    pub webhook: WebhookId,
    pub deliveries: Vec<AttemptLog>,
}

/// The replies of this area; [`WebhookReply::into_body`] is what HTTP clients receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum WebhookReply {
    /// A new endpoint with its secret: the object's answer, so a retry with the same
    /// `Idempotency-Key` gets the secret first drawn, not the retry's.
    Created(CreatedWebhook),
    List(WebhookList),
    Deleted(WebhookView),
    Deliveries(DeliveriesView),
}

impl WebhookReply {
    /// The JSON body of the HTTP response.
    pub fn into_body(self) -> Result<serde_json::Value, ApiError> {
        let value = match self {
            Self::Created(created) => serde_json::to_value(created),
            Self::Deleted(view) => serde_json::to_value(view),
            Self::List(list) => serde_json::to_value(list),
            Self::Deliveries(view) => serde_json::to_value(view),
        };
        value.map_err(|e| ApiError::new(ErrorCode::Internal, format!("encoding a reply: {e}")))
    }
}

pub async fn handle(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    command: WebhookCommand,
    now: Timestamp,
) -> Result<Outcome, ApiError> {
    identity::require_settings_access(store, slug, actor).await?;
    load_community(store, slug).await?;
    let mut hooks = registry(store).await?;
    let reply = match command {
        WebhookCommand::Create {
            id,
            secret,
            request,
            policy,
        } => {
            let webhook = hooks.register(id, secret, request, policy, now)?;
            let created = CreatedWebhook {
                webhook: webhook.view(),
                secret: webhook.secret.expose().to_owned(),
            };
            let mut batch = Batch::new();
            batch.put_json(keys::HOOKS, &hooks)?;
            store.commit(batch).await?;
            WebhookReply::Created(created)
        }
        WebhookCommand::List => WebhookReply::List(WebhookList {
            webhooks: hooks.views(),
        }),
        WebhookCommand::Delete { webhook } => {
            let removed = hooks.remove(&webhook).ok_or_else(|| no_such(&webhook))?;
            let mut batch = Batch::new();
            batch.put_json(keys::HOOKS, &hooks)?;
            batch.delete(keys::log(&webhook));
            store.commit(batch).await?;
            WebhookReply::Deleted(removed.view())
        }
        WebhookCommand::Deliveries { webhook } => {
            if hooks.get(&webhook).is_none() {
                return Err(no_such(&webhook));
            }
            let log = get_json::<DeliveryLog>(store, &keys::log(&webhook))
                .await?
                .unwrap_or_default();
            WebhookReply::Deliveries(DeliveriesView {
                webhook,
                deliveries: log.lines().to_vec(),
            })
        }
    };
    Ok(Outcome::read(Reply::Webhooks(reply)))
}

fn no_such(id: &WebhookId) -> ApiError {
    ApiError::new(ErrorCode::NotFound, format!("there is no webhook `{id}`"))
}

async fn registry(store: &impl Store) -> Result<Webhooks, ApiError> {
    Ok(get_json::<Webhooks>(store, keys::HOOKS)
        .await?
        .unwrap_or_default())
}

/// Queues in `batch` one delivery of each of `events` to every endpoint subscribed to it,
/// due at `now`. Costs one read when the community has no endpoint.
pub(crate) async fn enqueue(
    store: &impl Store,
    batch: &mut Batch,
    events: Vec<WebhookEvent>,
    now: Timestamp,
) -> Result<(), ApiError> {
    let hooks = registry(store).await?;
    if hooks.is_empty() {
        return Ok(());
    }
    let mut seq = get_json::<u64>(store, keys::SEQ).await?.unwrap_or(0);
    let start = seq;
    for event in events {
        let subscribed: Vec<&Webhook> = hooks.subscribed(event.event_type()).collect();
        if subscribed.is_empty() {
            continue;
        }
        seq += 1;
        for hook in subscribed {
            let delivery = Delivery::new(seq, hook, event.clone(), now);
            batch.put_json(keys::due(now, &delivery.id), &delivery)?;
        }
    }
    if seq != start {
        batch.put_json(keys::SEQ, &seq)?;
    }
    Ok(())
}

/// The events of a pre-moderated post a moderator just approved (`thread.created` or
/// `reply.created`, as if it had been published on creation); none for a page's thread.
pub(crate) async fn approved(
    store: &impl Store,
    content: &ContentRef,
) -> Result<Vec<WebhookEvent>, ApiError> {
    let (ContentRef::Post { thread } | ContentRef::Reply { thread, .. }) = content;
    let Some(thread) = get_json::<Thread>(store, &talk_keys::thread(thread)).await? else {
        return Ok(Vec::new());
    };
    let event = match content {
        ContentRef::Post { .. } => match (thread.opening(), thread.topic(), thread.author()) {
            (Some((title, _)), Some(topic), Some(author)) => {
                WebhookEvent::ThreadCreated(webhook::ThreadCreated {
                    thread: thread.id.clone(),
                    topic: topic.clone(),
                    kind: thread.kind,
                    title: title.as_str().to_owned(),
                    author: author.clone(),
                })
            }
            _ => return Ok(Vec::new()),
        },
        ContentRef::Reply { reply, .. } => {
            let locator = talk_keys::reply_locator(&thread.id, reply);
            let Some(key) = get_json::<String>(store, &locator).await? else {
                return Ok(Vec::new());
            };
            let Some(reply) = get_json::<talk::Reply>(store, &key).await? else {
                return Ok(Vec::new());
            };
            let page = match &thread.place {
                Place::Page { url } => Some(url.as_str().to_owned()),
                Place::Topic { .. } => None,
            };
            WebhookEvent::ReplyCreated(webhook::ReplyCreated {
                thread: thread.id.clone(),
                reply: reply.id,
                in_reply_to: reply.in_reply_to,
                author: reply.author,
                page,
            })
        }
    };
    Ok(vec![event])
}

/// A delivery whose time has come, with its endpoint.
#[derive(Debug, Clone)]
pub struct Due {
    /// Its outbox key.
    pub key: String,
    pub delivery: Delivery,
    pub webhook: Webhook,
}

/// Up to `limit` deliveries due at `now`, soonest first. Deliveries to endpoints deleted
/// since are dropped from the outbox here.
pub async fn due(store: &impl Store, now: Timestamp, limit: usize) -> Result<Vec<Due>, ApiError> {
    let hooks = registry(store).await?;
    let page = store.list(keys::OUTBOX, None, limit).await?;
    let mut out = Vec::new();
    let mut orphans = Batch::new();
    for (key, value) in page.entries {
        if keys::due_at(&key).is_none_or(|at| at > now) {
            break;
        }
        let delivery: Delivery = serde_json::from_str(&value)
            .map_err(|e| ApiError::from(crate::store::StoreError(format!("corrupt {key}: {e}"))))?;
        match hooks.get(&delivery.webhook) {
            Some(webhook) => out.push(Due {
                key,
                webhook: webhook.clone(),
                delivery,
            }),
            None => {
                orphans.delete(key);
            }
        }
    }
    if !orphans.is_empty() {
        store.commit(orphans).await?;
    }
    Ok(out)
}

/// Records the answer to one attempt of `due`: removes it from the outbox, queues the next
/// attempt when one is left, and adds a line to its endpoint's log. `None` when the
/// delivery was no longer in the outbox (handled meanwhile), and nothing is written.
pub async fn record_attempt(
    store: &impl Store,
    due: Due,
    result: AttemptResult,
    now: Timestamp,
    retry_base_ms: i64,
) -> Result<Option<AttemptLog>, ApiError> {
    if store.get(&due.key).await?.is_none() {
        return Ok(None);
    }
    let Due {
        key, mut delivery, ..
    } = due;
    let mut batch = Batch::new();
    batch.delete(key);
    let (line, next) = delivery.record(result, now, retry_base_ms);
    if let Some(at) = next {
        batch.put_json(keys::due(at, &delivery.id), &delivery)?;
    }
    // The endpoint may have been deleted while the request was out.
    if registry(store).await?.get(&delivery.webhook).is_some() {
        let log_key = keys::log(&delivery.webhook);
        let mut log = get_json::<DeliveryLog>(store, &log_key)
            .await?
            .unwrap_or_default();
        log.push(line.clone());
        batch.put_json(log_key, &log)?;
    }
    store.commit(batch).await?;
    Ok(Some(line))
}

/// When the soonest queued delivery is due, if any.
pub async fn next_due(store: &impl Store) -> Result<Option<Timestamp>, ApiError> {
    let page = store.list(keys::OUTBOX, None, 1).await?;
    Ok(page.entries.first().and_then(|(key, _)| keys::due_at(key)))
}

/// The slug of the community in `store` (an object's alarm knows no request), if it exists.
pub async fn community_slug(store: &impl Store) -> Result<Option<CommunitySlug>, ApiError> {
    Ok(get_json::<Community>(store, super::keys::COMMUNITY)
        .await?
        .map(|c| c.slug))
}

#[cfg(test)]
mod tests;
