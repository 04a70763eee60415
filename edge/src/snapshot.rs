//! Anonymous read snapshots: the first page of what visitors without credentials read most
//! (feeds, a thread with its first replies, a page's comments, topics, events, the current
//! leaderboards), kept in KV as the exact JSON body the object would answer, so that a warm
//! anonymous read costs one KV read and no Durable Object request.
//!
//! * The worker ([`serve`]) answers an anonymous `GET` of one of these [`View`]s from KV; on
//!   a miss it asks the community's object (`/snapshot`), which answers and fills KV.
//!   Anything else (a member or staff caller, a cursor, a page size, an unknown query)
//!   goes the ordinary way, to the object.
//! * The object ([`publisher`]) is the only writer. It remembers which views it published
//!   (in its own storage, so a restart forgets nothing) and, after any command that wrote
//!   something, computes them again as an anonymous reader and rewrites those that changed,
//!   or deletes those that became an error (a deleted or hidden thread, a part switched
//!   off). Writes are coalesced: a flush runs at most once a second, so a key is written
//!   at most once a second, KV's limit. Moderation and feature switches hold because a
//!   snapshot is always what core answers an anonymous reader.
//! * For [`READ_THROUGH_MS`] after this isolate forwarded a change to a community, its
//!   anonymous reads of that community skip KV and ask the object, so whoever just wrote
//!   reads their own change while the flush is under way. Other isolates may serve the
//!   previous snapshot for up to a flush (and KV's own propagation, about a minute).
//! * Time-dependent views (events, leaderboards) live [`SHORT_TTL_SECONDS`] in KV, so an
//!   event that ended or a week that turned over shows within a minute without any write.

pub mod publisher;

use std::cell::RefCell;
use std::collections::HashMap;

use quanzi_core::app::events::EventCommand;
use quanzi_core::app::points::{Board, PointsCommand};
use quanzi_core::app::talk::{FeedChoice, TalkCommand};
use quanzi_core::app::{Actor, Command, PublicConfig};
use quanzi_core::community::Features;
use quanzi_core::error::ApiError;
use quanzi_core::events::EventId;
use quanzi_core::ids::CommunitySlug;
use quanzi_core::recognition::Period;
use quanzi_core::talk::wire::ListRequest;
use quanzi_core::talk::{PageUrl, ThreadId, TopicId};
use serde::{Deserialize, Serialize};
use worker::{Date, Env, Method, Request, Response};

use crate::api::{Answer, json, member_actor};
use crate::http::internal;
use crate::{cache, community_object, rpc};

/// How long after forwarding a change this isolate reads a community through its object.
/// The object flushes at most [`publisher::SPACING_MS`] after a change.
pub const READ_THROUGH_MS: f64 = 2_000.0;

/// KV lifetime of a snapshot that only changes by writes (talk).
pub const LONG_TTL_SECONDS: u64 = 3_600;

/// KV lifetime of a snapshot that also changes with time (events, leaderboards); KV's
/// minimum.
pub const SHORT_TTL_SECONDS: u64 = 60;

/// A read that may be answered from a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "view", rename_all = "snake_case")]
pub enum View {
    /// `GET threads[?feed=all|featured|&topic=…]`, `GET topics/{topic}/threads`.
    Feed { feed: FeedChoice },
    /// `GET threads/{thread}`: the thread and its first page of replies.
    Thread { thread: ThreadId },
    /// `GET pages/comments?url=…`.
    Page { page: PageUrl },
    /// `GET topics`.
    Topics,
    /// `GET events`: the events that have not ended.
    Events,
    /// `GET events/{event}`.
    Event { event: EventId },
    /// `GET leaderboards/{week|month|all}`.
    Leaderboard { period: Period },
}

impl View {
    /// The view `rest` (the path under the community) names, if it is one and the query
    /// asks for its first page with no other parameter; `None` sends the request the
    /// ordinary way (which also explains any bad input).
    pub fn of(req: &Request, rest: &[&str]) -> Option<View> {
        let url = req.url().ok()?;
        let mut params: Vec<(String, String)> = url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        params.sort();
        let names: Vec<&str> = params.iter().map(|(k, _)| k.as_str()).collect();
        let param = |name: &str| {
            params
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let view = match (rest, names.as_slice()) {
            (["threads"], [] | ["feed"] | ["topic"] | ["feed", "topic"]) => {
                let feed = match (param("feed"), param("topic")) {
                    (_, Some(topic)) => FeedChoice::Topic {
                        topic: TopicId::parse(topic).ok()?,
                    },
                    (None | Some("all"), None) => FeedChoice::All,
                    (Some("featured"), None) => FeedChoice::Featured,
                    (Some(_), None) => return None,
                };
                View::Feed { feed }
            }
            (["topics", topic, "threads"], []) => View::Feed {
                feed: FeedChoice::Topic {
                    topic: TopicId::parse(topic).ok()?,
                },
            },
            (["threads", thread], []) => View::Thread {
                thread: ThreadId::parse(thread).ok()?,
            },
            (["pages", "comments"], ["url"]) => View::Page {
                page: PageUrl::parse(param("url")?).ok()?,
            },
            (["topics"], []) => View::Topics,
            (["events"], []) => View::Events,
            (["events", "reminders"], _) => return None,
            (["events", event], []) => View::Event {
                event: EventId::parse(event).ok()?,
            },
            (["leaderboards", period], []) => View::Leaderboard {
                period: match *period {
                    "week" => Period::Week,
                    "month" => Period::Month,
                    "all" => Period::AllTime,
                    _ => return None,
                },
            },
            _ => return None,
        };
        Some(view)
    }

    /// The view's name in KV keys (`feed/all`, `thread/{id}`, `board/week`, …): one name
    /// per view, no two views alike.
    pub fn name(&self) -> String {
        match self {
            View::Feed {
                feed: FeedChoice::All,
            } => "feed/all".to_owned(),
            View::Feed {
                feed: FeedChoice::Featured,
            } => "feed/featured".to_owned(),
            View::Feed {
                feed: FeedChoice::Topic { topic },
            } => format!("feed/topic/{topic}"),
            View::Thread { thread } => format!("thread/{thread}"),
            View::Page { page } => format!("page/{}", ThreadId::for_page(page)),
            View::Topics => "topics".to_owned(),
            View::Events => "events".to_owned(),
            View::Event { event } => format!("event/{event}"),
            View::Leaderboard { period } => match period {
                Period::Week => "board/week",
                Period::Month => "board/month",
                Period::AllTime => "board/all",
            }
            .to_owned(),
        }
    }

    /// The command whose anonymous reply is this view: the same one the route runs.
    pub fn command(&self) -> Command {
        let first_page = ListRequest::default;
        match self.clone() {
            View::Feed { feed } => Command::Talk(TalkCommand::ListThreads {
                feed,
                list: first_page(),
            }),
            View::Thread { thread } => Command::Talk(TalkCommand::GetThread {
                thread,
                replies: first_page(),
            }),
            View::Page { page } => Command::Talk(TalkCommand::PageComments {
                page,
                list: first_page(),
            }),
            View::Topics => Command::Talk(TalkCommand::ListTopics { list: first_page() }),
            View::Events => Command::Events(EventCommand::List {
                cursor: None,
                limit: None,
                include_ended: false,
            }),
            View::Event { event } => Command::Events(EventCommand::Get { event }),
            View::Leaderboard { period } => Command::Points(PointsCommand::Leaderboard {
                board: Board::Current { period },
                limit: None,
            }),
        }
    }

    /// Seconds the snapshot lives in KV.
    pub fn ttl_seconds(&self) -> u64 {
        match self {
            View::Events | View::Event { .. } | View::Leaderboard { .. } => SHORT_TTL_SECONDS,
            _ => LONG_TTL_SECONDS,
        }
    }

    /// Whether the community shows this part at all (a switched-off part is answered by
    /// the object, with its refusal).
    fn shown(&self, features: &Features) -> bool {
        match self {
            View::Events | View::Event { .. } => features.events,
            View::Leaderboard { .. } => true,
            _ => features.talk,
        }
    }
}

/// What the worker asks the object on a miss.
#[derive(Debug, Serialize, Deserialize)]
pub struct Ask {
    pub slug: CommunitySlug,
    pub view: View,
}

thread_local! {
    /// slug → when this isolate last forwarded a change to it. Never borrowed across an
    /// `await`.
    static CHANGED: RefCell<HashMap<String, f64>> = RefCell::new(HashMap::new());
}

/// Records that this isolate forwarded a change (any non-read request) to `slug`.
pub fn forwarded_change(slug: &CommunitySlug) {
    let now = Date::now().as_millis() as f64;
    CHANGED.with(|changed| {
        let mut changed = changed.borrow_mut();
        changed.retain(|_, at| now - *at < READ_THROUGH_MS);
        changed.insert(slug.as_str().to_owned(), now);
    });
}

fn reads_through(slug: &CommunitySlug) -> bool {
    let now = Date::now().as_millis() as f64;
    CHANGED.with(|changed| {
        changed
            .borrow()
            .get(slug.as_str())
            .is_some_and(|at| now - at < READ_THROUGH_MS)
    })
}

/// A request with no credentials at all: no bearer token and no cookie (a dashboard
/// session reads as staff, who see more).
fn is_anonymous(req: &Request) -> bool {
    let has_cookie = req
        .headers()
        .get("cookie")
        .ok()
        .flatten()
        .is_some_and(|c| !c.trim().is_empty());
    !has_cookie && member_actor(req) == Actor::Anonymous
}

/// Answers an anonymous read of a [`View`] from its snapshot (or the object, on a miss);
/// `None` if the request is not one.
pub async fn serve(
    req: &Request,
    env: &Env,
    slug: &CommunitySlug,
    config: &PublicConfig,
    rest: &[&str],
) -> Option<Answer> {
    if req.method() != Method::Get || !is_anonymous(req) {
        return None;
    }
    let view = View::of(req, rest)?;
    if !view.shown(&config.community.features) || reads_through(slug) {
        return None;
    }
    Some(read(env, slug, view).await)
}

async fn read(env: &Env, slug: &CommunitySlug, view: View) -> Answer {
    if let Some(body) = cached(env, slug, &view).await {
        return json_text(body);
    }
    json(200, &ask(env, slug, view).await?)
}

/// The snapshot of `view` in KV, if there is one. KV trouble is no reason to fail a read
/// the object can answer: it is logged and read as a miss.
async fn cached(env: &Env, slug: &CommunitySlug, view: &View) -> Option<String> {
    match cache::get_view(env, slug, &view.name()).await {
        Ok(body) => body,
        Err(_) => {
            worker::console_warn!("reading the snapshot {} of {slug} failed", view.name());
            None
        }
    }
}

/// What an anonymous reader of `view` is answered, parsed as `T`: the snapshot when warm
/// (and this isolate has not just written), else the object's answer. For the worker's own
/// use (the widget's first view); `None` when the view is switched off or cannot be read.
pub async fn anonymous<T: serde::de::DeserializeOwned>(
    env: &Env,
    slug: &CommunitySlug,
    config: &PublicConfig,
    view: View,
) -> Option<T> {
    if !view.shown(&config.community.features) {
        return None;
    }
    if !reads_through(slug)
        && let Some(parsed) = cached(env, slug, &view)
            .await
            .and_then(|body| serde_json::from_str(&body).ok())
    {
        return Some(parsed);
    }
    serde_json::from_value(ask(env, slug, view).await.ok()?).ok()
}

/// The object's anonymous answer to `view` (which also fills the snapshot).
async fn ask(env: &Env, slug: &CommunitySlug, view: View) -> Result<serde_json::Value, ApiError> {
    let ask = Ask {
        slug: slug.clone(),
        view,
    };
    rpc::call(
        env,
        community_object::BINDING,
        slug.as_str(),
        "/snapshot",
        &ask,
    )
    .await
}

/// A stored JSON body, answered as the route would answer it.
fn json_text(body: String) -> Answer {
    let mut res = Response::ok(body).map_err(|e| internal("response", e))?;
    let headers = res.headers_mut();
    for (name, value) in [
        ("content-type", "application/json"),
        ("cache-control", "no-store"),
    ] {
        headers
            .set(name, value)
            .map_err(|e| internal("response", e))?;
    }
    Ok(res)
}

/// The JSON body of the anonymous reply to `view`, as the object computes it.
pub async fn render(
    store: &impl quanzi_core::store::Store,
    slug: &CommunitySlug,
    view: &View,
    now: quanzi_core::time::Timestamp,
) -> Result<serde_json::Value, ApiError> {
    let outcome =
        quanzi_core::app::handle(store, slug, &Actor::Anonymous, view.command(), now).await?;
    outcome.reply.into_body()
}
