//! `quanzi_core::store::Store` over a Durable Object's transactional storage.
//!
//! Values are stored as JSON strings. A batch is applied inside one storage transaction,
//! so a command's writes land together or not at all.

use std::cell::Cell;

use quanzi_core::store::{Batch, Page, Store, StoreError, Write};
use worker::{ListOptions, Storage, wasm_bindgen::JsValue};

pub struct DurableStore {
    storage: Storage,
    /// Whether a non-empty batch was committed through this handle.
    wrote: Cell<bool>,
}

impl DurableStore {
    pub fn new(storage: Storage) -> Self {
        Self {
            storage,
            wrote: Cell::new(false),
        }
    }

    /// Whether anything was written through this handle (the snapshots may be stale).
    pub fn wrote(&self) -> bool {
        self.wrote.get()
    }
}

fn store_error(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

impl Store for DurableStore {
    async fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.storage.get::<String>(key).await.map_err(store_error)
    }

    async fn list(
        &self,
        prefix: &str,
        start_after: Option<&str>,
        limit: usize,
    ) -> Result<Page, StoreError> {
        // `start` is inclusive; the smallest key after `k` is `k` followed by NUL.
        let start = start_after.map(|after| format!("{after}\u{0}"));
        let mut options = ListOptions::new()
            .prefix(prefix)
            .limit(limit.saturating_add(1));
        if let Some(start) = start.as_deref() {
            options = options.start(start);
        }
        let map = self
            .storage
            .list_with_options(options)
            .await
            .map_err(store_error)?;
        let mut entries = Vec::with_capacity(map.size() as usize);
        let mut bad_entry = false;
        map.for_each(
            &mut |value: JsValue, key: JsValue| match (key.as_string(), value.as_string()) {
                (Some(k), Some(v)) => entries.push((k, v)),
                _ => bad_entry = true,
            },
        );
        if bad_entry {
            return Err(StoreError(format!("a non-text entry under {prefix}")));
        }
        Ok(Page::from_overfetched(entries, limit))
    }

    async fn commit(&self, batch: Batch) -> Result<(), StoreError> {
        if batch.is_empty() {
            return Ok(());
        }
        self.wrote.set(true);
        let writes = batch.into_writes();
        self.storage
            .transaction(move |txn| async move {
                for write in writes {
                    match write {
                        Write::Put { key, value } => txn.put(&key, value).await?,
                        Write::Delete { key } => {
                            txn.delete(&key).await?;
                        }
                    }
                }
                Ok(())
            })
            .await
            .map_err(store_error)
    }
}
