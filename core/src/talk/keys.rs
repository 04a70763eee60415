//! Storage keys of talk (the layout is in the [`super`] module docs), the feed index a
//! thread appears in, and opaque cursors for clients.
//!
//! Paging a feed: `store.list(prefix, cursor.map(|c| c.start_after(prefix)), size)`, then
//! hand the client [`Cursor::next`] of the page. Every item is visited once, in key order.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::ids::{MemberId, ParseError};
use crate::store::Page;
use crate::time::Timestamp;

use super::ids::{ReplyId, ThreadId, ThreadTitle, TopicId};
use super::page::PageUrl;
use super::reaction::ReactionCounts;
use super::reply::Reply;
use super::thread::{Thread, ThreadFlags, ThreadKind};

/// Every topic, in id order.
pub const TOPICS: &str = "talk/topic/";

/// A timestamp as 19 zero-padded digits (instants before 1970 count as 1970).
pub fn ascending(t: Timestamp) -> String {
    format!("{:019}", t.0.max(0))
}

/// A timestamp inverted (`i64::MAX - ms`) and padded, so that later sorts first.
pub fn descending(t: Timestamp) -> String {
    format!("{:019}", i64::MAX - t.0.max(0))
}

pub fn topic(id: &TopicId) -> String {
    format!("{TOPICS}{id}")
}

/// The members of a topic: prefix of [`topic_member`].
pub fn topic_members(topic: &TopicId) -> String {
    format!("talk/topic-member/{topic}/")
}

pub fn topic_member(topic: &TopicId, member: &MemberId) -> String {
    format!("{}{member}", topic_members(topic))
}

/// A member's topics: prefix of [`member_topic`].
pub fn member_topics(member: &MemberId) -> String {
    format!("talk/member-topic/{member}/")
}

pub fn member_topic(member: &MemberId, topic: &TopicId) -> String {
    format!("{}{topic}", member_topics(member))
}

pub fn thread(id: &ThreadId) -> String {
    format!("talk/thread/{id}")
}

/// A thread's replies in reading order: prefix of [`reply`].
pub fn replies(thread: &ThreadId) -> String {
    format!("talk/replies/{thread}/")
}

fn reply_segment(created_at: Timestamp, id: &ReplyId) -> String {
    // `!` sorts below every id character, so `…-ab!/…` (children of `ab`) comes before
    // `…-ab-c!` (a sibling whose id extends `ab`).
    format!("{}-{id}!", ascending(created_at))
}

/// Where a reply is stored: under its thread, nested replies under their top-level reply.
pub fn reply(reply: &Reply) -> String {
    let own = reply_segment(reply.created_at, &reply.id);
    match &reply.parent {
        None => format!("{}{own}", replies(&reply.thread)),
        Some(p) => format!(
            "{}{}/{own}",
            replies(&reply.thread),
            reply_segment(p.created_at, &p.id)
        ),
    }
}

/// Holds the [`reply`] key of a reply (a JSON string), to find it by id.
pub fn reply_locator(thread: &ThreadId, reply: &ReplyId) -> String {
    format!("talk/reply/{thread}/{reply}")
}

/// A member's [`super::ReactionSet`] on a thread's opening post.
pub fn thread_reaction(thread: &ThreadId, member: &MemberId) -> String {
    format!("talk/reaction/thread/{thread}/{member}")
}

/// A member's [`super::ReactionSet`] on a reply.
pub fn reply_reaction(thread: &ThreadId, reply: &ReplyId, member: &MemberId) -> String {
    format!("talk/reaction/reply/{thread}/{reply}/{member}")
}

/// A list of threads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "feed", content = "of", rename_all = "snake_case")]
pub enum Feed {
    /// Every live topic thread: pinned first, then most recently active.
    All,
    /// One topic's live threads: pinned first, then most recently active.
    Topic(TopicId),
    /// Featured live threads, most recently active first.
    Featured,
    /// A member's live threads, newest first.
    Member(MemberId),
    /// Page threads, most recently active first (for the dashboard).
    Pages,
}

impl Feed {
    pub fn prefix(&self) -> String {
        match self {
            Self::All => "talk/feed/all/".to_owned(),
            Self::Topic(t) => format!("talk/feed/topic/{t}/"),
            Self::Featured => "talk/feed/featured/".to_owned(),
            Self::Member(m) => format!("talk/feed/member/{m}/"),
            Self::Pages => "talk/feed/pages/".to_owned(),
        }
    }

    /// The key of `thread`'s entry in this feed (whether or not it belongs there).
    pub fn entry(&self, thread: &Thread) -> String {
        let band = if thread.flags.pinned { "0" } else { "1" };
        let prefix = self.prefix();
        let id = &thread.id;
        match self {
            Self::All | Self::Topic(_) => {
                format!(
                    "{prefix}{band}/{}/{id}",
                    descending(thread.last_activity_at)
                )
            }
            Self::Featured | Self::Pages => {
                format!("{prefix}{}/{id}", descending(thread.last_activity_at))
            }
            Self::Member(_) => format!("{prefix}{}/{id}", descending(thread.created_at)),
        }
    }

    /// The feeds `thread` belongs in now.
    pub fn of(thread: &Thread) -> Vec<Feed> {
        if !thread.visibility.is_public() {
            // Pending and hidden threads are in no feed.
            return Vec::new();
        }
        if thread.page().is_some() {
            return vec![Feed::Pages];
        }
        let (Some(topic), Some(author)) = (thread.topic(), thread.author()) else {
            return Vec::new();
        };
        if thread.is_deleted() {
            return Vec::new();
        }
        let mut feeds = vec![
            Feed::All,
            Feed::Topic(topic.clone()),
            Feed::Member(author.clone()),
        ];
        if thread.flags.featured {
            feeds.push(Feed::Featured);
        }
        feeds
    }
}

/// A thread as a feed lists it: stored at each feed entry, so one `list` renders a page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadCard {
    pub id: ThreadId,
    pub kind: ThreadKind,
    #[serde(default)]
    pub topic: Option<TopicId>,
    #[serde(default)]
    pub page: Option<PageUrl>,
    #[serde(default)]
    pub author: Option<MemberId>,
    #[serde(default)]
    pub title: Option<ThreadTitle>,
    pub flags: ThreadFlags,
    pub answered: bool,
    pub reply_count: u32,
    pub reactions: ReactionCounts,
    pub created_at: Timestamp,
    pub last_activity_at: Timestamp,
}

impl From<&Thread> for ThreadCard {
    fn from(t: &Thread) -> Self {
        Self {
            id: t.id.clone(),
            kind: t.kind,
            topic: t.topic().cloned(),
            page: t.page().cloned(),
            author: t.author().cloned(),
            title: t.opening().map(|(title, _)| title.clone()),
            flags: t.flags,
            answered: t.accepted_answer.is_some(),
            reply_count: t.reply_count,
            reactions: t.reactions,
            created_at: t.created_at,
            last_activity_at: t.last_activity_at,
        }
    }
}

/// The feed entries to delete and to put after a thread changed. Write it in the same batch
/// as the thread.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct IndexChange {
    pub delete: Vec<String>,
    pub put: Vec<(String, ThreadCard)>,
}

impl IndexChange {
    /// From `before` (the stored thread, `None` when new) to `after`: every current entry is
    /// put (its card may have changed) and every entry no longer current is deleted.
    pub fn between(before: Option<&Thread>, after: &Thread) -> Self {
        let now: Vec<String> = Feed::of(after).iter().map(|f| f.entry(after)).collect();
        let delete = before
            .map(|b| {
                Feed::of(b)
                    .iter()
                    .map(|f| f.entry(b))
                    .filter(|k| !now.contains(k))
                    .collect()
            })
            .unwrap_or_default();
        let card = ThreadCard::from(after);
        Self {
            delete,
            put: now.into_iter().map(|k| (k, card.clone())).collect(),
        }
    }
}

/// How many items a page holds: 1–50, 20 unless asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct PageSize(u8);

impl PageSize {
    pub const MAX: u8 = 50;

    pub fn parse(n: u32) -> Result<Self, ParseError> {
        u8::try_from(n)
            .ok()
            .filter(|n| (1..=Self::MAX).contains(n))
            .map(Self)
            .ok_or(ParseError::Invalid {
                what: "the page size",
                why: "it must be between 1 and 50",
            })
    }

    pub fn get(self) -> usize {
        usize::from(self.0)
    }
}

impl Default for PageSize {
    fn default() -> Self {
        Self(20)
    }
}

impl TryFrom<u32> for PageSize {
    type Error = ParseError;
    fn try_from(n: u32) -> Result<Self, Self::Error> {
        Self::parse(n)
    }
}

impl From<PageSize> for u32 {
    fn from(size: PageSize) -> Self {
        u32::from(size.0)
    }
}

/// Where the next page starts: opaque to clients (base64url text). It holds the last key
/// seen relative to the list's prefix, so a cursor can never reach outside the list it is
/// used with.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cursor {
    after: String,
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Cursor {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::ids::string_schema(
            "Where the next page starts: opaque text to send back as `?cursor=`.",
            "dGhyZWFkLzAwMDE",
        )
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Cursor {}

impl Cursor {
    /// The longest position a cursor carries, in bytes.
    pub const MAX_LEN: usize = 512;

    /// The cursor after `key` in the list of `prefix`; `None` if `key` is not in that list.
    pub fn after(prefix: &str, key: &str) -> Option<Self> {
        key.strip_prefix(prefix)
            .filter(|rest| !rest.is_empty() && rest.len() <= Self::MAX_LEN)
            .map(|rest| Self {
                after: rest.to_owned(),
            })
    }

    /// The cursor for the page after `page` of the list of `prefix` (`None` on the last).
    pub fn next(prefix: &str, page: &Page) -> Option<Self> {
        page.next.as_deref().and_then(|k| Self::after(prefix, k))
    }

    /// The `start_after` key for `store.list(prefix, …)`.
    pub fn start_after(&self, prefix: &str) -> String {
        format!("{prefix}{}", self.after)
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        const BAD: ParseError = ParseError::Invalid {
            what: "the cursor",
            why: "it is not one this server gave out",
        };
        let bytes = base64url_decode(raw).ok_or(BAD)?;
        let after = String::from_utf8(bytes).map_err(|_| BAD)?;
        if after.is_empty() || after.len() > Self::MAX_LEN || after.chars().any(char::is_control) {
            return Err(BAD);
        }
        Ok(Self { after })
    }

    /// The text a client holds.
    pub fn encode(&self) -> String {
        base64url_encode(self.after.as_bytes())
    }
}

impl TryFrom<String> for Cursor {
    type Error = ParseError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Cursor> for String {
    fn from(c: Cursor) -> Self {
        c.encode()
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        let sextets = chunk.len() + 1;
        for i in 0..sextets {
            let index = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(ALPHABET[index as usize]));
        }
    }
    out
}

fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let value = |c: u8| ALPHABET.iter().position(|a| *a == c).map(|p| p as u32);
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    for chunk in text.as_bytes().chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        let len = chunk.len() - 1;
        out.extend_from_slice(bytes.get(1..1 + len)?);
        // Reject non-canonical text (stray bits past the last byte).
        if bytes.iter().skip(1 + len).any(|b| *b != 0) {
            return None;
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests;
