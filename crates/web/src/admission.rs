//! Admission control for reads (issue 21, item 11): at most a few reads are worked on at once;
//! the rest wait their turn before any work is done for them. Under a flat-out load every
//! ready task shares the runtime's queue, and a write transaction — which on SQLite holds the
//! one writer lock across a few dozen statements, each a hop to the database thread and back —
//! waited behind every ready reader at each hop: with 60 readers the lock was held ~30 ms for
//! 5 ms of work, and 20 writers queued behind it. With the reads admitted a few at a time the
//! CPU does the same reading, in a different order, and writes are not starved. Writes are not
//! limited here: SQLite's writer lock and PostgreSQL's pool already bound them.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use tokio::sync::Semaphore;

use crate::AppState;

/// The reads in progress at once, by default: a few per core keep the cores busy while one
/// request waits for the database, without queueing the writes behind a crowd.
pub fn default_reads_at_once() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2) * 4
}

/// The permits reads take, shared by every clone of the state.
#[derive(Clone)]
pub struct Reads(pub Arc<Semaphore>);

impl Reads {
    pub fn new(at_once: usize) -> Self {
        Reads(Arc::new(Semaphore::new(at_once.max(1))))
    }
}

pub async fn admit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    // The semaphore is never closed, so acquiring fails only if it were; then serve anyway.
    let _permit = state.reads.0.acquire().await.ok();
    next.run(req).await
}
