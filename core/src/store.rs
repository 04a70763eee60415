//! The storage port. The domain owns this trait; the worker implements it over a Durable
//! Object's transactional storage and [`MemoryStore`] implements it for tests.
//!
//! Keys are `/`-separated strings (`community`, `member/{id}/ledger/{seq}`), values are JSON
//! text. Futures are not `Send`: the worker is single-threaded wasm.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::ops::Bound;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// Storage failed underneath us; the request fails with `internal` and changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("storage: {0}")]
pub struct StoreError(pub String);

/// One write of an atomic [`Batch`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    Put { key: String, value: String },
    Delete { key: String },
}

/// Writes applied all together or not at all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Batch {
    writes: Vec<Write>,
}

impl Batch {
    pub fn new() -> Self {
        Self::default()
    }

    /// Queues `value` as JSON under `key`.
    pub fn put_json<T: Serialize>(
        &mut self,
        key: impl Into<String>,
        value: &T,
    ) -> Result<&mut Self, StoreError> {
        let value = serde_json::to_string(value).map_err(|e| StoreError(e.to_string()))?;
        self.writes.push(Write::Put {
            key: key.into(),
            value,
        });
        Ok(self)
    }

    pub fn delete(&mut self, key: impl Into<String>) -> &mut Self {
        self.writes.push(Write::Delete { key: key.into() });
        self
    }

    /// Queues writes that are already encoded, such as another batch's.
    pub fn extend(&mut self, writes: impl IntoIterator<Item = Write>) -> &mut Self {
        self.writes.extend(writes);
        self
    }

    pub fn is_empty(&self) -> bool {
        self.writes.is_empty()
    }

    pub fn writes(&self) -> &[Write] {
        &self.writes
    }

    pub fn into_writes(self) -> Vec<Write> {
        self.writes
    }
}

/// A page of keys under a prefix, in key order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub entries: Vec<(String, String)>,
    /// Pass as `start_after` to read the next page; `None` on the last page.
    pub next: Option<String>,
}

impl Page {
    /// A page from up to `limit + 1` entries read in key order: the extra entry only says
    /// that there is a next page, which starts after the last entry kept.
    pub fn from_overfetched(mut entries: Vec<(String, String)>, limit: usize) -> Self {
        let next = if entries.len() > limit {
            entries.truncate(limit);
            entries.last().map(|(k, _)| k.clone())
        } else {
            None
        };
        Self { entries, next }
    }
}

/// A transactional key-value store scoped to one community.
#[allow(
    async_fn_in_trait,
    reason = "single-threaded wasm: the futures are deliberately not Send"
)]
pub trait Store {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError>;

    /// Up to `limit` entries whose key starts with `prefix`, after `start_after` if given.
    async fn list(
        &self,
        prefix: &str,
        start_after: Option<&str>,
        limit: usize,
    ) -> Result<Page, StoreError>;

    /// Applies every write of `batch` atomically.
    async fn commit(&self, batch: Batch) -> Result<(), StoreError>;
}

/// Reads `key` and parses its JSON.
pub async fn get_json<T: DeserializeOwned>(
    store: &impl Store,
    key: &str,
) -> Result<Option<T>, StoreError> {
    match store.get(key).await? {
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|e| StoreError(format!("corrupt value at {key}: {e}"))),
        None => Ok(None),
    }
}

/// An in-memory [`Store`] for tests. It also counts operations, so tests can assert
/// storage budgets per request.
#[derive(Debug, Default)]
pub struct MemoryStore {
    map: RefCell<BTreeMap<String, String>>,
    ops: RefCell<OpCount>,
}

/// How many storage calls a store has served.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OpCount {
    pub gets: usize,
    pub lists: usize,
    pub commits: usize,
}

impl MemoryStore {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn ops(&self) -> OpCount {
        *self.ops.borrow()
    }

    pub fn len(&self) -> usize {
        self.map.borrow().len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.borrow().is_empty()
    }
}

impl Store for MemoryStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.ops.borrow_mut().gets += 1;
        Ok(self.map.borrow().get(key).cloned())
    }

    async fn list(
        &self,
        prefix: &str,
        start_after: Option<&str>,
        limit: usize,
    ) -> Result<Page, StoreError> {
        self.ops.borrow_mut().lists += 1;
        let map = self.map.borrow();
        let lower = match start_after {
            Some(after) if after >= prefix => Bound::Excluded(after.to_owned()),
            _ => Bound::Included(prefix.to_owned()),
        };
        let entries: Vec<(String, String)> = map
            .range((lower, Bound::Unbounded))
            .take_while(|(k, _)| k.starts_with(prefix))
            .take(limit.saturating_add(1))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Ok(Page::from_overfetched(entries, limit))
    }

    async fn commit(&self, batch: Batch) -> Result<(), StoreError> {
        self.ops.borrow_mut().commits += 1;
        let mut map = self.map.borrow_mut();
        for write in batch.into_writes() {
            match write {
                Write::Put { key, value } => {
                    map.insert(key, value);
                }
                Write::Delete { key } => {
                    map.remove(&key);
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) fn block_on<F: std::future::Future>(future: F) -> F::Output {
    // The memory store never suspends, so one poll completes any future built on it.
    let mut future = std::pin::pin!(future);
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    match future.as_mut().poll(&mut cx) {
        std::task::Poll::Ready(out) => out,
        std::task::Poll::Pending => panic!("a MemoryStore future suspended"),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn filled(keys: &[&str]) -> MemoryStore {
        let store = MemoryStore::new();
        let mut batch = Batch::new();
        for k in keys {
            batch.put_json(*k, k).unwrap();
        }
        block_on(store.commit(batch)).unwrap();
        store
    }

    #[test]
    fn list_pages_through_a_prefix_only() {
        let store = filled(&["a/1", "a/2", "a/3", "ab", "b/1"]);
        let first = block_on(store.list("a/", None, 2)).unwrap();
        let keys: Vec<_> = first.entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a/1", "a/2"]);
        assert_eq!(first.next.as_deref(), Some("a/2"));
        let second = block_on(store.list("a/", first.next.as_deref(), 2)).unwrap();
        let keys: Vec<_> = second.entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a/3"]);
        assert_eq!(second.next, None);
    }

    #[test]
    fn a_batch_puts_and_deletes_and_is_counted() {
        let store = filled(&["x", "y"]);
        let mut batch = Batch::new();
        batch.delete("x").put_json("z", &1).unwrap();
        block_on(store.commit(batch)).unwrap();
        assert_eq!(block_on(store.get("x")).unwrap(), None);
        assert_eq!(block_on(get_json::<i32>(&store, "z")).unwrap(), Some(1));
        assert_eq!(
            store.ops(),
            OpCount {
                gets: 2,
                lists: 0,
                commits: 2
            }
        );
    }

    proptest! {
        #[test]
        fn paging_visits_every_key_once(keys in proptest::collection::btree_set("[a-c]{1,4}", 0..40), limit in 1usize..7) {
            let store = filled(&keys.iter().map(String::as_str).collect::<Vec<_>>());
            let mut seen = Vec::new();
            let mut after: Option<String> = None;
            loop {
                let page = block_on(store.list("", after.as_deref(), limit)).unwrap();
                prop_assert!(page.entries.len() <= limit);
                seen.extend(page.entries.into_iter().map(|(k, _)| k));
                match page.next { Some(n) => after = Some(n), None => break }
            }
            prop_assert_eq!(seen, keys.into_iter().collect::<Vec<_>>());
        }
    }
}
