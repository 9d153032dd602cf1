//! Admission control for reads (issue 21, item 11): at most a few reads are worked on at once;
//! the rest wait their turn before any work is done for them. Under a flat-out load every
//! ready task shares the runtime's queue, and a write transaction — which on SQLite holds the
//! one writer lock across a few dozen statements, each a hop to the database thread and back —
//! waited behind every ready reader at each hop: with 60 readers the lock was held ~30 ms for
//! 5 ms of work, and 20 writers queued behind it. With the reads admitted a few at a time the
//! CPU does the same reading, in a different order, and writes are not starved. Writes are not
//! limited here: SQLite's writer lock and PostgreSQL's pool already bound them.
//!
//! On SQLite the writes also run on a thread of their own (`Writes`). A statement's answer
//! comes from the database's thread, and a task woken from outside the runtime joins the
//! runtime's shared queue behind every read in progress; the writer lock is held all the while.
//! On its own thread the write is the only task, and the operating system runs it as soon as
//! the answer is there, so the lock is held about as long as its statements take.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
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

/// The thread SQLite's writes run on, if any: a one-thread runtime, shut down with the state.
#[derive(Clone, Default)]
pub struct Writes(Option<Arc<WriterThread>>);

struct WriterThread(Option<tokio::runtime::Runtime>);

impl Drop for WriterThread {
    fn drop(&mut self) {
        // Not `drop`: a runtime may not be dropped (and block) inside another's task.
        if let Some(rt) = self.0.take() {
            rt.shutdown_background();
        }
    }
}

impl Writes {
    /// A writer thread when writes take turns on one writer; none otherwise (PostgreSQL runs
    /// writes side by side, and its connections belong to the runtime that opened them). The
    /// thread goes to the CPU SQLite's writing is kept on, if it is kept on one: each statement
    /// is then a hand-off between two threads of one core (`Db::connect_for_server`).
    pub fn new(app: &waymark_app::App) -> std::io::Result<Self> {
        if !app.db.single_writer() {
            return Ok(Writes(None));
        }
        let db = app.db.clone();
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .thread_name("waymark-writes")
            .on_thread_start(move || {
                db.pin_to_writer_cpu();
            })
            .enable_all()
            .build()?;
        Ok(Writes(Some(Arc::new(WriterThread(Some(rt))))))
    }

    fn handle(&self) -> Option<&tokio::runtime::Handle> {
        self.0.as_ref().and_then(|t| t.0.as_ref()).map(|rt| rt.handle())
    }
}

pub async fn admit(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let method = req.method().clone();
    if is_read(&method) {
        // A page is a dozen services asking some of the same questions: each asked once.
        return admitted(&state.reads, &method, waymark_app::reading(next.run(req))).await;
    }
    let Some(writes) = state.writes.handle() else { return next.run(req).await };
    // A write carried on by its thread even if the client goes away: it commits or rolls back
    // as a whole either way.
    match writes.spawn(next.run(req)).await {
        Ok(response) => response,
        Err(e) => {
            tracing::error!(error = %e, "a write's task failed");
            axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD)
}

/// Runs `work` at once if it writes, or once a read's permit is free.
async fn admitted<F: Future>(reads: &Reads, method: &Method, work: F) -> F::Output {
    if !is_read(method) {
        return work.await;
    }
    // The semaphore is never closed, so acquiring fails only if it were; then serve anyway.
    let _permit = reads.0.acquire().await.ok();
    work.await
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, Ordering};

    use tokio::sync::oneshot;

    use super::*;

    #[tokio::test]
    async fn a_read_waits_for_a_permit_and_a_write_does_not() {
        let reads = Reads::new(1);
        let (release, held) = oneshot::channel::<()>();
        let first = tokio::spawn({
            let reads = reads.clone();
            async move { admitted(&reads, &Method::GET, async { held.await.ok() }).await }
        });
        tokio::task::yield_now().await;
        let second_ran = Arc::new(AtomicBool::new(false));
        let second = tokio::spawn({
            let (reads, ran) = (reads.clone(), second_ran.clone());
            async move { admitted(&reads, &Method::HEAD, async move { ran.store(true, Ordering::SeqCst) }).await }
        });
        // With the one permit held, a write goes straight through and the second read waits.
        assert_eq!(admitted(&reads, &Method::POST, async { "written" }).await, "written");
        for _ in 0..10 {
            tokio::task::yield_now().await;
        }
        assert!(!second_ran.load(Ordering::SeqCst), "the second read waits for the first");
        release.send(()).unwrap();
        first.await.unwrap();
        second.await.unwrap();
        assert!(second_ran.load(Ordering::SeqCst), "and runs once the permit is free");
    }

    #[test]
    fn at_least_one_read_is_admitted() {
        assert_eq!(Reads::new(0).0.available_permits(), 1);
    }
}
