//! Notifications (the member's inbox) and the activity log.
//!
//! Reads and writes the keys [`crate::notify`] documents: `member/{id}/inbox/…`,
//! `member/{id}/inbox-unread` (kept equal to the number of unread notifications),
//! `activity/{day}/…` and `active/{day}/{member}`.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ErrorCode};
use crate::ids::CommunitySlug;
use crate::notify::{self, ActivityEvent, Notification};
use crate::store::{Batch, Page, Store, StoreError, get_json};
use crate::talk::Cursor;
use crate::time::Timestamp;

use super::{Actor, Outcome, Reply, identity, load_community};

/// The commands of this area (see [`super::Command::Inbox`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InboxCommand {
    /// `GET …/notifications?cursor=`: newest first.
    List { cursor: Option<Cursor> },
    /// `GET …/notifications/unread-count`.
    UnreadCount,
    /// `POST …/notifications/read`: the given ids, or all.
    MarkRead { which: MarkRead },
    /// `GET …/activity/daily?from=&to=` (owner, admin).
    DailyActivity { from: NaiveDate, to: NaiveDate },
}

/// Which notifications to mark read: `{"ids": [...]}` or `{"all": true}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged, deny_unknown_fields)]
pub enum MarkRead {
    Ids { ids: Vec<String> },
    All { all: AllTrue },
}

/// `true`, the only value `all` takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "bool", into = "bool")]
pub struct AllTrue;

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for AllTrue {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Boolean)
            .enum_values(Some([true]))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for AllTrue {}

impl TryFrom<bool> for AllTrue {
    type Error = &'static str;
    fn try_from(b: bool) -> Result<Self, Self::Error> {
        if b {
            Ok(Self)
        } else {
            Err("`all` must be true")
        }
    }
}

impl From<AllTrue> for bool {
    fn from(_: AllTrue) -> bool {
        true
    }
}

/// A page of notifications, newest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NotificationPage {
    pub items: Vec<Notification>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Cursor>,
    pub unread: u32,
}

/// The member's unread count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UnreadCount {
    pub unread: u32,
}

/// After marking read: how many changed, and the unread count now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct MarkedRead {
    pub marked: u32,
    pub unread: u32,
}

/// One community-local day of activity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayActivity {
    pub day: NaiveDate,
    pub active_members: u32,
    /// Events by kind (`checked_in`, `joined`, …); kinds that did not happen are absent.
    pub events: BTreeMap<String, u32>,
}

/// `GET …/activity/daily`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DailyActivity {
    pub days: Vec<DayActivity>,
}

/// The replies of this area; [`InboxReply::into_body`] is what HTTP clients receive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", content = "body", rename_all = "snake_case")]
pub enum InboxReply {
    Notifications(NotificationPage),
    UnreadCount(UnreadCount),
    MarkedRead(MarkedRead),
    DailyActivity(DailyActivity),
}

impl InboxReply {
    /// The JSON body of the HTTP response.
    pub fn into_body(self) -> Result<serde_json::Value, ApiError> {
        let value = match self {
            Self::Notifications(v) => serde_json::to_value(v),
            Self::UnreadCount(v) => serde_json::to_value(v),
            Self::MarkedRead(v) => serde_json::to_value(v),
            Self::DailyActivity(v) => serde_json::to_value(v),
        };
        value.map_err(|e| ApiError::new(ErrorCode::Internal, format!("encoding a reply: {e}")))
    }
}

/// Notifications per page.
const PAGE: usize = 20;
/// Ids one request may mark read.
pub const MAX_IDS: usize = 100;
/// The longest range of days one activity request covers.
pub const MAX_DAYS: i64 = 92;
/// Keys read per storage list while counting.
const SCAN: usize = 1000;

pub async fn handle(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    command: InboxCommand,
    now: Timestamp,
) -> Result<Outcome, ApiError> {
    let reply = match command {
        InboxCommand::List { cursor } => list(store, slug, actor, cursor, now).await?,
        InboxCommand::UnreadCount => {
            let member = identity::member(store, slug, actor, now).await?;
            InboxReply::UnreadCount(UnreadCount {
                unread: unread(store, &notify::keys::unread(&member.id)).await?,
            })
        }
        InboxCommand::MarkRead { which } => mark_read(store, slug, actor, which, now).await?,
        InboxCommand::DailyActivity { from, to } => daily(store, slug, actor, from, to).await?,
    };
    Ok(Outcome::read(Reply::Inbox(reply)))
}

async fn unread(store: &impl Store, key: &str) -> Result<u32, ApiError> {
    Ok(get_json::<u32>(store, key).await?.unwrap_or(0))
}

fn parse<T: serde::de::DeserializeOwned>(key: &str, text: &str) -> Result<T, ApiError> {
    serde_json::from_str(text)
        .map_err(|e| StoreError(format!("corrupt value at {key}: {e}")).into())
}

async fn list(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    cursor: Option<Cursor>,
    now: Timestamp,
) -> Result<InboxReply, ApiError> {
    let member = identity::member(store, slug, actor, now).await?;
    let prefix = notify::keys::inbox_prefix(&member.id);
    let start = cursor.map(|c| c.start_after(&prefix));
    let Page { entries, next } = store.list(&prefix, start.as_deref(), PAGE).await?;
    let items = entries
        .iter()
        .map(|(key, text)| parse::<Notification>(key, text))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(InboxReply::Notifications(NotificationPage {
        items,
        next: next.as_deref().and_then(|k| Cursor::after(&prefix, k)),
        unread: unread(store, &notify::keys::unread(&member.id)).await?,
    }))
}

async fn mark_read(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    which: MarkRead,
    now: Timestamp,
) -> Result<InboxReply, ApiError> {
    let member = identity::member(store, slug, actor, now).await?;
    let prefix = notify::keys::inbox_prefix(&member.id);
    let unread_key = notify::keys::unread(&member.id);
    let before = unread(store, &unread_key).await?;
    let mut batch = Batch::new();
    let mut marked: u32 = 0;
    let after = match which {
        MarkRead::Ids { ids } => {
            if ids.len() > MAX_IDS {
                return Err(ApiError::invalid(format!(
                    "mark at most {MAX_IDS} notifications at once"
                )));
            }
            let mut seen = std::collections::BTreeSet::new();
            for id in ids {
                if id.is_empty() || id.contains('/') || !seen.insert(id.clone()) {
                    continue;
                }
                let key = format!("{prefix}{id}");
                if let Some(mut note) = get_json::<Notification>(store, &key).await?
                    && !note.read
                {
                    note.read = true;
                    batch.put_json(key, &note)?;
                    marked = marked.saturating_add(1);
                }
            }
            before.saturating_sub(marked)
        }
        MarkRead::All { .. } => {
            let mut start: Option<String> = None;
            loop {
                let page = store.list(&prefix, start.as_deref(), SCAN).await?;
                for (key, text) in &page.entries {
                    let mut note = parse::<Notification>(key, text)?;
                    if !note.read {
                        note.read = true;
                        batch.put_json(key.clone(), &note)?;
                        marked = marked.saturating_add(1);
                    }
                }
                match page.next {
                    Some(next) => start = Some(next),
                    None => break,
                }
            }
            0
        }
    };
    if marked > 0 || after != before {
        batch.put_json(unread_key, &after)?;
        store.commit(batch).await?;
    }
    Ok(InboxReply::MarkedRead(MarkedRead {
        marked,
        unread: after,
    }))
}

async fn daily(
    store: &impl Store,
    slug: &CommunitySlug,
    actor: &Actor,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<InboxReply, ApiError> {
    identity::require_settings_access(store, slug, actor).await?;
    load_community(store, slug).await?;
    let span = (to - from).num_days();
    if span < 0 {
        return Err(ApiError::invalid("`from` must not be after `to`"));
    }
    if span >= MAX_DAYS {
        return Err(ApiError::invalid(format!(
            "ask for at most {MAX_DAYS} days at once"
        )));
    }
    let mut days = Vec::new();
    for day in from.iter_days().take_while(|d| *d <= to) {
        let active_members = count(store, &crate::notify::keys::active_prefix(day)).await?;
        let mut events: BTreeMap<String, u32> = BTreeMap::new();
        let prefix = notify::keys::activity_prefix(day);
        let mut start: Option<String> = None;
        loop {
            let page = store.list(&prefix, start.as_deref(), SCAN).await?;
            for (key, text) in &page.entries {
                let event = parse::<ActivityEvent>(key, text)?;
                let kind = serde_json::to_value(event.kind)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let n = events.entry(kind).or_insert(0);
                *n = n.saturating_add(1);
            }
            match page.next {
                Some(next) => start = Some(next),
                None => break,
            }
        }
        days.push(DayActivity {
            day,
            active_members,
            events,
        });
    }
    Ok(InboxReply::DailyActivity(DailyActivity { days }))
}

/// How many keys start with `prefix`.
async fn count(store: &impl Store, prefix: &str) -> Result<u32, ApiError> {
    let mut total: u32 = 0;
    let mut start: Option<String> = None;
    loop {
        let page = store.list(prefix, start.as_deref(), SCAN).await?;
        total = total.saturating_add(u32::try_from(page.entries.len()).unwrap_or(u32::MAX));
        match page.next {
            Some(next) => start = Some(next),
            None => return Ok(total),
        }
    }
}

#[cfg(test)]
mod tests;
