//! Reading a fact once per page (issue 23: HR's home on PostgreSQL).
//!
//! A page made of a dozen services asks some of the same small questions many times: HR's home
//! read the list of goal periods five times, the review cycles four times, one cycle's stages
//! seven times and the same people a dozen times, ~136 statements where ~90 were different. On
//! PostgreSQL each is a round trip and a plan. Inside [`within`], the reads that go through
//! [`once`] are made once and shared by everything that runs in the same task (the parts of a
//! page joined with `try_join!` are), including a read another part is still waiting for.
//!
//! Only what the one task reads is shared, for as long as it runs: nothing is kept between
//! requests, so another request's change is never hidden for longer than the page being
//! rendered takes. A write begun inside the scope ([`crate::Db::begin_write`]) ends the sharing
//! for the rest of it, so a page that changes something reads its own change.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

use crate::{StoreError, StoreResult};

/// At most this many ids in one shared read (a page's few people, not a unit's thousands).
pub(crate) const FEW: usize = 64;

type Slot = Arc<OnceCell<Arc<dyn Any + Send + Sync>>>;

#[derive(Default)]
pub struct Memo {
    slots: Mutex<Option<HashMap<String, Slot>>>,
}

tokio::task_local! {
    static MEMO: Memo;
}

/// Runs `f` with its reads through [`once`] made once each. Inside a scope already, the same
/// scope (a page that asks the home page's service shares with it).
pub async fn within<F: Future>(f: F) -> F::Output {
    if MEMO.try_with(|_| ()).is_ok() {
        return f.await;
    }
    MEMO.scope(Memo { slots: Mutex::new(Some(HashMap::new())) }, f).await
}

/// Ends the sharing for the rest of the scope (a write has begun).
pub(crate) fn stop() {
    let _ = MEMO.try_with(|m| *m.slots.lock().unwrap_or_else(|p| p.into_inner()) = None);
}

/// The value under `key` if this scope has read it, else `load`'s, kept for the rest of the
/// scope. Outside a scope, or after a write began, simply `load`. An error is not kept: the
/// next asker reads again. The key is the question (with its ids); the answer's type is part
/// of it, so one key never holds two types.
pub(crate) async fn once<T, Fut>(key: impl FnOnce() -> String, load: impl FnOnce() -> Fut) -> StoreResult<T>
where
    T: Clone + Send + Sync + 'static,
    Fut: Future<Output = StoreResult<T>>,
{
    let slot: Option<Slot> = MEMO
        .try_with(|m| {
            let mut slots = m.slots.lock().unwrap_or_else(|p| p.into_inner());
            let slots = slots.as_mut()?;
            Some(slots.entry(format!("{}|{}", std::any::type_name::<T>(), key())).or_default().clone())
        })
        .ok()
        .flatten();
    let Some(slot) = slot else { return load().await };
    let value =
        slot.get_or_try_init(|| async { load().await.map(|v| Arc::new(v) as Arc<dyn Any + Send + Sync>) }).await?;
    value.downcast_ref::<T>().cloned().ok_or(StoreError::Corrupt("shared read"))
}

/// A key's ids in a stable order, so that the same people asked in another order share a read.
pub(crate) fn ids_key(what: &str, ids: &[uuid::Uuid]) -> String {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    let mut key = String::with_capacity(what.len() + ids.len() * 37);
    key.push_str(what);
    for id in ids {
        key.push(' ');
        key.push_str(&id.simple().to_string());
    }
    key
}
