//! A store that holds a command's writes back: every batch the command commits is staged
//! (and visible to its own later reads), then written by the caller in one batch together
//! with what it adds (an idempotency record), so both land or neither does.

use std::cell::RefCell;
use std::collections::BTreeMap;

use crate::store::{Batch, Page, Store, StoreError, Write};

pub struct Staged<'a, S> {
    inner: &'a S,
    /// The latest staged value of each key (`None`: deleted), for reads.
    overlay: RefCell<BTreeMap<String, Option<String>>>,
    /// Every staged write in order, for the final batch.
    writes: RefCell<Vec<Write>>,
}

impl<'a, S: Store> Staged<'a, S> {
    pub fn new(inner: &'a S) -> Self {
        Self {
            inner,
            overlay: RefCell::default(),
            writes: RefCell::default(),
        }
    }

    /// The staged writes, in the order the command made them, as one batch.
    pub fn into_batch(self) -> Batch {
        let mut batch = Batch::new();
        batch.extend(self.writes.into_inner());
        batch
    }
}

impl<S: Store> Store for Staged<'_, S> {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        let staged = self.overlay.borrow().get(key).cloned();
        match staged {
            Some(value) => Ok(value),
            None => self.inner.get(key).await,
        }
    }

    async fn list(
        &self,
        prefix: &str,
        start_after: Option<&str>,
        limit: usize,
    ) -> Result<Page, StoreError> {
        if limit == 0 {
            return Ok(Page {
                entries: Vec::new(),
                next: None,
            });
        }
        let in_range = |key: &str| key.starts_with(prefix) && start_after.is_none_or(|a| key > a);
        let staged: Vec<(String, Option<String>)> = self
            .overlay
            .borrow()
            .iter()
            .filter(|(key, _)| in_range(key))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        // Each staged delete may hide one stored entry: read that many more.
        let deletes = staged.iter().filter(|(_, v)| v.is_none()).count();
        let page = self
            .inner
            .list(prefix, start_after, limit.saturating_add(deletes))
            .await?;
        // When the store has more, only keys up to the last one read are settled here;
        // staged keys beyond it belong to a later page.
        let horizon = page.next.clone();
        let mut merged: BTreeMap<String, String> = page.entries.into_iter().collect();
        for (key, value) in staged {
            if horizon.as_deref().is_some_and(|h| key.as_str() > h) {
                continue;
            }
            match value {
                Some(value) => merged.insert(key, value),
                None => merged.remove(&key),
            };
        }
        let entries: Vec<(String, String)> = merged.into_iter().collect();
        if horizon.is_none() {
            return Ok(Page::from_overfetched(entries, limit));
        }
        // The store had a full page beyond what deletes can remove: at least `limit` remain.
        let mut entries = entries;
        entries.truncate(limit);
        let next = entries.last().map(|(k, _)| k.clone()).or(horizon);
        Ok(Page { entries, next })
    }

    async fn commit(&self, batch: Batch) -> Result<(), StoreError> {
        let writes = batch.into_writes();
        let mut overlay = self.overlay.borrow_mut();
        for write in &writes {
            match write {
                Write::Put { key, value } => overlay.insert(key.clone(), Some(value.clone())),
                Write::Delete { key } => overlay.insert(key.clone(), None),
            };
        }
        self.writes.borrow_mut().extend(writes);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::store::{MemoryStore, block_on};

    fn put(batch: &mut Batch, key: &str) {
        batch.put_json(key, &key).unwrap();
    }

    fn keys_of(page: &Page) -> Vec<&str> {
        page.entries.iter().map(|(k, _)| k.as_str()).collect()
    }

    #[test]
    fn staged_writes_are_read_back_and_reach_the_store_only_when_committed() {
        let store = MemoryStore::new();
        let mut seed = Batch::new();
        put(&mut seed, "a/1");
        put(&mut seed, "a/3");
        block_on(store.commit(seed)).unwrap();

        let staged = Staged::new(&store);
        let mut batch = Batch::new();
        put(&mut batch, "a/2");
        batch.delete("a/3");
        block_on(staged.commit(batch)).unwrap();
        assert_eq!(store.ops().commits, 1, "nothing written yet");
        assert_eq!(
            block_on(staged.get("a/2")).unwrap().as_deref(),
            Some("\"a/2\"")
        );
        assert_eq!(block_on(staged.get("a/3")).unwrap(), None);
        assert_eq!(
            block_on(store.get("a/3")).unwrap().as_deref(),
            Some("\"a/3\"")
        );
        let page = block_on(staged.list("a/", None, 10)).unwrap();
        assert_eq!(keys_of(&page), ["a/1", "a/2"]);

        block_on(store.commit(staged.into_batch())).unwrap();
        let page = block_on(store.list("a/", None, 10)).unwrap();
        assert_eq!(keys_of(&page), ["a/1", "a/2"]);
    }

    #[derive(Debug, Clone)]
    enum Op {
        Put(String),
        Delete(String),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            "[ab]/[a-d]{1,2}".prop_map(Op::Put),
            "[ab]/[a-d]{1,2}".prop_map(Op::Delete),
        ]
    }

    fn apply(ops: &[Op]) -> Batch {
        let mut batch = Batch::new();
        for op in ops {
            match op {
                Op::Put(k) => put(&mut batch, &format!("{k}!")),
                Op::Delete(k) => {
                    batch.delete(format!("{k}!"));
                }
            }
        }
        batch
    }

    fn page_through(store: &impl Store, prefix: &str, limit: usize) -> Vec<(String, String)> {
        let mut seen = Vec::new();
        let mut after: Option<String> = None;
        loop {
            let page = block_on(store.list(prefix, after.as_deref(), limit)).unwrap();
            assert!(page.entries.len() <= limit);
            seen.extend(page.entries);
            match page.next {
                Some(next) => after = Some(next),
                None => return seen,
            }
        }
    }

    proptest! {
        /// Reading through the stage is reading the store with the staged writes applied.
        #[test]
        fn the_stage_reads_like_the_store_after_the_commit(
            stored in proptest::collection::vec(op(), 0..30),
            staged_ops in proptest::collection::vec(op(), 0..30),
            limit in 1usize..6,
            prefix in prop_oneof![Just(""), Just("a/"), Just("b/a")],
        ) {
            let store = MemoryStore::new();
            block_on(store.commit(apply(&stored))).unwrap();
            let expected = MemoryStore::new();
            block_on(expected.commit(apply(&stored))).unwrap();
            block_on(expected.commit(apply(&staged_ops))).unwrap();

            let staged = Staged::new(&store);
            // Two commits, as a use case may make.
            let (first, second) = staged_ops.split_at(staged_ops.len() / 2);
            block_on(staged.commit(apply(first))).unwrap();
            block_on(staged.commit(apply(second))).unwrap();

            prop_assert_eq!(page_through(&staged, prefix, limit), page_through(&expected, prefix, limit));
            for op in &staged_ops {
                let (Op::Put(k) | Op::Delete(k)) = op;
                let key = format!("{k}!");
                prop_assert_eq!(block_on(staged.get(&key)).unwrap(), block_on(expected.get(&key)).unwrap());
            }
            block_on(store.commit(staged.into_batch())).unwrap();
            prop_assert_eq!(page_through(&store, "", 100), page_through(&expected, "", 100));
        }
    }
}
