//! The object's side of the snapshots: which views it published, and the flush that keeps
//! them true. See the parent module for the whole picture.
//!
//! The published views are indexed in the object's own storage under [`INDEX_KEY`] (the
//! slug, and per view its digest and when it was written), so that a restarted object still
//! rewrites what an earlier instance published. The flush runs off the request path
//! (`wait_until`), at most once per [`SPACING_MS`]:
//! * after a command that wrote, every indexed view is computed again and rewritten if its
//!   body changed, or deleted if it became an error;
//! * after a miss, the view is written, unless the same body went out less than
//!   [`REFILL_MS`] ago (KV takes up to a minute to show a write everywhere, and a burst of
//!   misses in that minute must not become a burst of writes);
//! * at most [`MAX_VIEWS`] views are indexed; the oldest are deleted from KV to make room.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::time::Duration;

use quanzi_core::error::ApiError;
use quanzi_core::ids::CommunitySlug;
use quanzi_core::store::{Batch, Store};
use quanzi_core::time::Timestamp;
use serde::{Deserialize, Serialize};
use worker::{Date, Delay, Env, Request, State};

use super::{Ask, View, render};
use crate::cache;
use crate::rpc;
use crate::store::DurableStore;

/// Where the object keeps its index of published views.
pub const INDEX_KEY: &str = "edge/views";

/// The least time between two flushes, hence between two writes of one KV key.
pub const SPACING_MS: f64 = 1_000.0;

/// A miss does not rewrite an unchanged view written this recently.
pub const REFILL_MS: f64 = 60_000.0;

/// The most views one community keeps in KV.
pub const MAX_VIEWS: usize = 128;

/// How long after its time to live an entry stays indexed (and so rewritten on a change).
const EXPIRY_MARGIN_MS: f64 = 5_000.0;

/// A flush loop not seen alive for this long is taken for lost (its task never resumed),
/// and the next change starts another.
const STALLED_MS: f64 = 30_000.0;

/// One published view.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Entry {
    view: View,
    /// A digest of the body last written.
    digest: u64,
    /// When it was written (ms since the epoch).
    written_ms: f64,
}

impl Entry {
    fn expires_ms(&self) -> f64 {
        self.written_ms + self.view.ttl_seconds() as f64 * 1_000.0
    }
}

/// The stored index: the community's slug and its published views by name.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    slug: Option<CommunitySlug>,
    views: BTreeMap<String, Entry>,
}

/// Why a view is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Due {
    /// The community changed: rewrite if the body did.
    Changed,
    /// A reader missed it: write unless the same body went out very recently.
    Missed,
}

#[derive(Default)]
struct Flush {
    /// Loaded from storage on the first flush of this instance.
    index: Option<Index>,
    /// The slug as the last request named it (before the index is loaded).
    slug: Option<CommunitySlug>,
    due: BTreeMap<String, (View, Due)>,
    /// Every indexed view is due (the index may not be loaded yet).
    all_due: bool,
    /// A flush loop runs (the one of `generation`), last seen alive at `heartbeat_ms`.
    running: bool,
    generation: u64,
    heartbeat_ms: f64,
    last_flush_ms: f64,
}

/// The object's snapshot publisher. Cheap to hold; one per object instance.
#[derive(Default)]
pub struct Views {
    inner: Rc<RefCell<Flush>>,
}

impl Views {
    pub fn new() -> Self {
        Self::default()
    }

    /// `/snapshot`: the anonymous body of the view the worker missed; schedules the fill.
    pub async fn missed(
        &self,
        state: &State,
        env: &Env,
        store: &DurableStore,
        req: &mut Request,
    ) -> Result<serde_json::Value, ApiError> {
        let Ask { slug, view } = rpc::command(req).await?;
        let body = render(store, &slug, &view, now()).await?;
        {
            let mut flush = self.inner.borrow_mut();
            flush.slug = Some(slug);
            flush.due.entry(view.name()).or_insert((view, Due::Missed));
        }
        self.schedule(state, env);
        Ok(body)
    }

    /// After a command that wrote: every published view is due.
    pub fn changed(&self, state: &State, env: &Env) {
        self.inner.borrow_mut().all_due = true;
        self.schedule(state, env);
    }

    /// Runs the flush loop after the response, unless it runs already.
    fn schedule(&self, state: &State, env: &Env) {
        let generation = {
            let mut flush = self.inner.borrow_mut();
            let at_ms = now().millis() as f64;
            if flush.running && at_ms - flush.heartbeat_ms < STALLED_MS {
                return;
            }
            flush.running = true;
            flush.generation = flush.generation.wrapping_add(1);
            flush.heartbeat_ms = at_ms;
            flush.generation
        };
        let (inner, env, store) = (
            self.inner.clone(),
            env.clone(),
            DurableStore::new(state.storage()),
        );
        state.wait_until(async move { run(&inner, &env, &store, generation).await });
    }
}

fn now() -> Timestamp {
    Timestamp(Date::now().as_millis() as i64)
}

/// Flushes until nothing is due, one flush per [`SPACING_MS`]; stops early if a newer loop
/// took over.
async fn run(inner: &Rc<RefCell<Flush>>, env: &Env, store: &DurableStore, generation: u64) {
    loop {
        let wait = inner.borrow().last_flush_ms + SPACING_MS - now().millis() as f64;
        if wait > 0.0 {
            Delay::from(Duration::from_millis(wait.ceil() as u64)).await;
        }
        {
            let mut flush = inner.borrow_mut();
            if flush.generation != generation {
                return;
            }
            flush.heartbeat_ms = now().millis() as f64;
        }
        if !flush_once(inner, env, store).await {
            let mut flush = inner.borrow_mut();
            if flush.generation == generation {
                flush.running = false;
            }
            return;
        }
    }
}

/// One flush of everything due; `false` if nothing was (or the index could not be read:
/// what is due stays due for the next change).
async fn flush_once(inner: &Rc<RefCell<Flush>>, env: &Env, store: &DurableStore) -> bool {
    let loaded = inner.borrow_mut().index.take();
    let mut index = match loaded {
        Some(index) => index,
        None => match load(store).await {
            Ok(index) => index,
            Err(e) => {
                worker::console_error!("reading the snapshot index failed: {e}");
                return false;
            }
        },
    };
    let at_ms = now().millis() as f64;
    // KV dropped these by itself (a few seconds' margin: KV counts from the end of the put).
    index
        .views
        .retain(|_, e| e.expires_ms() + EXPIRY_MARGIN_MS > at_ms);
    let due = {
        let mut flush = inner.borrow_mut();
        let mut due = std::mem::take(&mut flush.due);
        if std::mem::take(&mut flush.all_due) {
            for (name, entry) in &index.views {
                due.entry(name.clone())
                    .or_insert((entry.view.clone(), Due::Changed));
            }
        }
        if let Some(slug) = flush.slug.clone() {
            index.slug = Some(slug);
        }
        due
    };
    let did_work = !due.is_empty();
    if let Some(slug) = index.slug.clone().filter(|_| did_work) {
        inner.borrow_mut().last_flush_ms = at_ms;
        let before = serde_json::to_string(&index).ok();
        for (name, (view, why)) in due {
            publish(env, store, &slug, &mut index, name, view, why).await;
        }
        make_room(env, &slug, &mut index).await;
        if serde_json::to_string(&index).ok() != before {
            save(store, &index).await;
        }
    }
    inner.borrow_mut().index = Some(index);
    did_work
}

/// Computes `view` as an anonymous reader and writes, keeps or deletes its snapshot.
async fn publish(
    env: &Env,
    store: &DurableStore,
    slug: &CommunitySlug,
    index: &mut Index,
    name: String,
    view: View,
    why: Due,
) {
    let at = now();
    let at_ms = at.millis() as f64;
    let previous = index.views.get(&name);
    match render(store, slug, &view, at).await {
        Ok(body) => {
            let body = body.to_string();
            let digest = digest(&body);
            let same = previous.is_some_and(|e| e.digest == digest);
            let recent = previous.is_some_and(|e| {
                at_ms - e.written_ms < REFILL_MS.min(view.ttl_seconds() as f64 * 500.0)
            });
            let write = match why {
                Due::Changed => !same,
                Due::Missed => !(same && recent),
            };
            if !write {
                return;
            }
            match cache::put_view(env, slug, &name, body, view.ttl_seconds()).await {
                Ok(()) => {
                    index.views.insert(
                        name,
                        Entry {
                            view,
                            digest,
                            written_ms: at_ms,
                        },
                    );
                }
                Err(e) => {
                    worker::console_error!("writing the snapshot {name} of {slug} failed: {e}");
                    forget(env, slug, index, &name).await;
                }
            }
        }
        // Gone, hidden or switched off: no anonymous reader may see the old body.
        Err(_) => {
            if index.views.contains_key(&name) {
                forget(env, slug, index, &name).await;
            }
        }
    }
}

/// Deletes the snapshot `name` and drops it from the index.
async fn forget(env: &Env, slug: &CommunitySlug, index: &mut Index, name: &str) {
    if let Err(e) = cache::delete_view(env, slug, name).await {
        worker::console_error!("deleting the snapshot {name} of {slug} failed: {e}");
    }
    index.views.remove(name);
}

/// Beyond [`MAX_VIEWS`], deletes the oldest views.
async fn make_room(env: &Env, slug: &CommunitySlug, index: &mut Index) {
    while index.views.len() > MAX_VIEWS {
        let oldest = index
            .views
            .iter()
            .min_by(|a, b| a.1.written_ms.total_cmp(&b.1.written_ms))
            .map(|(name, _)| name.clone());
        match oldest {
            Some(name) => forget(env, slug, index, &name).await,
            None => break,
        }
    }
}

fn digest(body: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    hasher.finish()
}

async fn load(store: &DurableStore) -> Result<Index, quanzi_core::store::StoreError> {
    Ok(match store.get(INDEX_KEY).await? {
        Some(text) => serde_json::from_str(&text).unwrap_or_else(|e| {
            worker::console_warn!("an unreadable snapshot index was reset: {e}");
            Index::default()
        }),
        None => Index::default(),
    })
}

async fn save(store: &DurableStore, index: &Index) {
    let mut batch = Batch::new();
    let result = match batch.put_json(INDEX_KEY, index) {
        Ok(_) => store.commit(batch).await,
        Err(e) => Err(e),
    };
    if let Err(e) = result {
        worker::console_error!("saving the snapshot index failed: {e}");
    }
}
