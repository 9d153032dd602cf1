//! Persistence for Waymark on SQLite (embedded, default) or PostgreSQL, chosen at run time
//! from the database URL. One migration set serves both. No SQL lives outside this crate.

pub mod closure;
pub mod entities;
pub mod memo;
pub mod migration;
mod one_cpu;
pub mod repo;
pub mod testing;
mod write;

use std::sync::Arc;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, TransactionTrait};
use sea_orm_migration::MigratorTrait;
use tokio::sync::Mutex;
pub use write::WriteTxn;

pub use sea_orm::{self, DbErr, sea_query};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("unsupported database URL {0:?}: use sqlite://… or postgres://…")]
    UnsupportedUrl(String),
    /// A stored value the app cannot read (written to the database by hand, or by a bug):
    /// refused rather than guessed, where a guess would widen what happens (e.g. units that do
    /// not parse read as "the whole organization").
    #[error("unreadable {0} in the database")]
    Corrupt(&'static str),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// A stored number that is never negative when we write it (an hour, a month, a count): one
/// below zero was written by someone else, and is refused as `what` rather than wrapped.
pub(crate) fn unsigned(v: i32, what: &'static str) -> StoreResult<u32> {
    u32::try_from(v).map_err(|_| StoreError::Corrupt(what))
}

impl StoreError {
    /// Whether a unique index refused the write: two requests at once wrote the same thing,
    /// and the one that lost answers as if it had seen the other.
    pub fn is_unique_violation(&self) -> bool {
        matches!(self, StoreError::Db(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))))
    }
}

/// A pool on either backend. SQLite allows one writer: write transactions take a process-wide
/// lock so that they queue instead of failing with SQLITE_BUSY, and run on a connection of
/// their own, so that a write never waits for a pooled connection behind the readers while it
/// holds the lock (issue 21: under 60 readers and 20 writers, every write queued twice and took
/// a second).
#[derive(Clone)]
pub struct Db {
    pub conn: DatabaseConnection,
    sqlite_writer: Option<Arc<Mutex<()>>>,
    /// SQLite's write connection; on PostgreSQL writes use the pool.
    writer_conn: Option<DatabaseConnection>,
    /// The CPU SQLite's writing is kept on, for a server (`connect_for_server`).
    writer_cpu: Option<usize>,
    /// The audit chain's key (issue 21): set by the app from the server key, which lives
    /// outside the database; shared by every clone of this handle.
    audit_key: Arc<std::sync::RwLock<[u8; 32]>>,
}

impl Db {
    /// Connects and applies pragmas; does not migrate.
    pub async fn connect(url: &str) -> StoreResult<Db> {
        Self::open(url, false).await
    }

    /// As `connect`, for a server: on SQLite the write connection's database thread is kept on
    /// one CPU, where the server's write thread goes too (`pin_to_writer_cpu`), so that the
    /// hand-offs of a write transaction stay on one core (see `one_cpu`). As `connect` on
    /// PostgreSQL, on one CPU, or where the system refuses.
    pub async fn connect_for_server(url: &str) -> StoreResult<Db> {
        Self::open(url, true).await
    }

    async fn open(url: &str, server: bool) -> StoreResult<Db> {
        let is_sqlite = url.starts_with("sqlite:");
        if !is_sqlite && !url.starts_with("postgres://") && !url.starts_with("postgresql://") {
            return Err(StoreError::UnsupportedUrl(url.to_string()));
        }
        let mut opts = ConnectOptions::new(url.to_string());
        opts.sqlx_logging(std::env::var_os("WAYMARK_SQL_LOG").is_some()).acquire_timeout(Duration::from_secs(10));
        if is_sqlite {
            // A connection to a file cannot have gone away: no ping before each use (on SQLite
            // a ping is one more hand-off to the connection's thread for every statement).
            opts.max_connections(8).min_connections(1).test_before_acquire(false);
            opts.map_sqlx_sqlite_opts(|o| sqlite_options(o).thread_name(|n| format!("sqlite-read-{n}")));
        } else {
            // A connection in use every few milliseconds is alive: ping only one that has been
            // idle long enough for the server, a proxy or a firewall to have dropped it. A
            // ping on every use was one more round trip for each statement (HR's home page is
            // ~40 of them).
            opts.max_connections(16).min_connections(1).test_before_acquire_if_idle_for(Duration::from_secs(30));
            // Statements are prepared once per connection; after five runs PostgreSQL may switch
            // to a generic plan that ignores the parameters (an IN list of 8 people, a month),
            // and for the follow-up counts that plan scanned the check-in table: 8 ms became
            // 950 ms once the connections were warm (docs/benchmarks.md, issue 4). Always plan for
            // the actual values; a plan costs well under a millisecond here.
            //
            // Index probes are priced as cheap as they are: PostgreSQL's default random_page_cost
            // (4) assumes a spinning disk, and with it a read of 100 goals' tracking rows or
            // owners by id scanned the whole table (12 000 rows, 2.5 ms) instead of probing the
            // primary key 100 times (0.25 ms); HR's home does two such reads (issue 23). 1.1 is
            // the usual setting for SSDs and for data that fits in memory, as Waymark's does.
            opts.map_sqlx_postgres_opts(|o| {
                o.options([("plan_cache_mode", "force_custom_plan"), ("random_page_cost", "1.1")])
            });
        }
        let (writer_conn, writer_cpu) = if is_sqlite {
            let mut w = opts.clone();
            // Never closed for age or idleness: its thread keeps the CPU it was started on.
            // No minimum either: with one, sqlx starts a task on the runtime that races the
            // pinned opening to open the connection, and when it wins the database thread is
            // started from a runtime thread, on every CPU (seen once in CI). Opened once by
            // `open_writer`, the connection stays; were it lost, the next write opens another,
            // from the server's write thread (on the writer's CPU) for a request's write.
            w.max_connections(1).min_connections(0).max_lifetime(None).idle_timeout(None);
            // Named, so that an operator (and a test) can find it among the threads.
            w.map_sqlx_sqlite_opts(|o| sqlite_options(o).thread_name(|_| WRITER_THREAD.to_string()));
            let cpu = if server { one_cpu::choose() } else { None };
            let (conn, cpu) = open_writer(w, cpu).await?;
            (Some(conn), cpu)
        } else {
            (None, None)
        };
        let conn = Database::connect(opts).await?;
        Ok(Db {
            conn,
            sqlite_writer: is_sqlite.then(|| Arc::new(Mutex::new(()))),
            writer_conn,
            writer_cpu,
            audit_key: Arc::new(std::sync::RwLock::new([0; 32])),
        })
    }

    /// The CPU SQLite's writing is kept on, if any.
    pub fn writer_cpu(&self) -> Option<usize> {
        self.writer_cpu
    }

    /// Keeps the calling thread on the CPU of SQLite's writing, if it is kept on one: for the
    /// thread a server runs its writes on. Whether it now is.
    pub fn pin_to_writer_cpu(&self) -> bool {
        self.writer_cpu.is_some_and(one_cpu::pin_current_thread)
    }

    /// Sets the key the audit chain is hashed under (the app derives it from the server key).
    pub fn set_audit_key(&self, key: [u8; 32]) {
        *self.audit_key.write().unwrap_or_else(|p| p.into_inner()) = key;
    }

    pub fn audit_key(&self) -> [u8; 32] {
        *self.audit_key.read().unwrap_or_else(|p| p.into_inner())
    }

    pub async fn migrate(&self) -> StoreResult<()> {
        let pending = migration::Migrator::get_pending_migrations(&self.conn).await?.len();
        migration::Migrator::up(&self.conn, None).await?;
        // Migrations fill new tables and columns; plan the next requests on their real sizes.
        if pending > 0 {
            self.analyze().await?;
        }
        Ok(())
    }

    /// Whether writes take turns on one writer (SQLite), rather than running side by side.
    pub fn single_writer(&self) -> bool {
        self.sqlite_writer.is_some()
    }

    /// Where write transactions run: SQLite's own write connection, or the PostgreSQL pool.
    fn writer(&self) -> &DatabaseConnection {
        self.writer_conn.as_ref().unwrap_or(&self.conn)
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    pub async fn begin_write(&self) -> StoreResult<WriteTxn> {
        memo::stop();
        let guard = match &self.sqlite_writer {
            Some(m) => Some(m.clone().lock_owned().await),
            None => None,
        };
        let txn = self.writer().begin().await?;
        Ok(WriteTxn::new(txn, guard, self.audit_key()))
    }

    /// A write transaction only if one can start now: on SQLite, None while another writer
    /// (the nightly sweep, a bulk import) holds the database. For bookkeeping a request can
    /// skip — it must not wait seconds behind a long write.
    pub async fn try_begin_write(&self) -> StoreResult<Option<WriteTxn>> {
        memo::stop();
        let guard = match &self.sqlite_writer {
            Some(m) => match m.clone().try_lock_owned() {
                Ok(g) => Some(g),
                Err(_) => return Ok(None),
            },
            None => None,
        };
        let txn = self.writer().begin().await?;
        Ok(Some(WriteTxn::new(txn, guard, self.audit_key())))
    }

    /// Refreshes the planner's statistics after a bulk load (the demo generator, large imports).
    /// PostgreSQL's autovacuum would get there, but not before the first requests are planned on
    /// empty-table estimates. SQLite is left without statistics: its queries are written for the
    /// plans it makes without them (docs/architecture-notes.md, "SQLite plans").
    pub async fn analyze(&self) -> StoreResult<()> {
        if self.backend() == DbBackend::Postgres {
            self.conn.execute_unprepared("ANALYZE").await?;
        }
        Ok(())
    }

    /// A write transaction for a bulk load (the demo generator): the same thousand-row insert
    /// runs thousands of times, so PostgreSQL may keep its plan instead of planning each run
    /// for its values as every other statement is (`plan_cache_mode` in `connect`).
    pub async fn begin_bulk_write(&self) -> StoreResult<WriteTxn> {
        let tx = self.begin_write().await?;
        if self.backend() == DbBackend::Postgres {
            tx.execute_unprepared("SET LOCAL plan_cache_mode = auto").await?;
        }
        Ok(tx)
    }

    /// A cheap round trip, for readiness checks.
    pub async fn ping(&self) -> StoreResult<()> {
        self.conn.execute_unprepared("SELECT 1").await?;
        Ok(())
    }

    pub async fn close(self) {
        if let Some(w) = self.writer_conn {
            let _ = w.close().await;
        }
        let _ = self.conn.close().await;
    }
}

/// Opens SQLite's write connection, its database thread kept on `cpu` if given and allowed:
/// the connection is opened from a short-lived thread pinned first, since sqlx starts the
/// database thread from whichever thread opens the connection and a new thread inherits its
/// creator's CPUs. Not a runtime's thread, which would stay pinned for everything else it runs.
/// The opening runs on the caller's runtime, which outlives that thread: the pool hands
/// connections back in tasks of that runtime (a runtime of the thread's own dropped them).
async fn open_writer(opts: ConnectOptions, cpu: Option<usize>) -> StoreResult<(DatabaseConnection, Option<usize>)> {
    let Some(cpu) = cpu else { return Ok((Database::connect(opts).await?, None)) };
    let (sent, opened) = tokio::sync::oneshot::channel();
    let runtime = tokio::runtime::Handle::current();
    let pinned_opts = opts.clone();
    let spawned = std::thread::Builder::new().name("waymark-writer-open".into()).spawn(move || {
        let opened = one_cpu::pin_current_thread(cpu).then(|| runtime.block_on(Database::connect(pinned_opts)));
        let _ = sent.send(opened);
    });
    // None: the thread could not start, stopped, or could not be pinned.
    let pinned = if spawned.is_ok() { opened.await.ok().flatten() } else { None };
    if let Some(conn) = pinned {
        tracing::info!(cpu, "SQLite's writing is kept on one CPU");
        return Ok((conn?, Some(cpu)));
    }
    tracing::info!("SQLite's writing could not be kept on one CPU");
    Ok((Database::connect(opts).await?, None))
}

/// The name of SQLite's write connection's thread.
pub const WRITER_THREAD: &str = "sqlite-writer";

/// Every SQLite connection's settings.
fn sqlite_options(o: SqliteConnectOptions) -> SqliteConnectOptions {
    o.journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10))
        .create_if_missing(true)
        // 32 MiB of pages per connection (SQLite's default is 2 MiB): at 500 000 goals the team
        // board's index reads missed the cache and went to the operating system for each page
        // (6.3 → 5.0 ms a request). Grown only as used, so a small organization's memory does
        // not change.
        .pragma("cache_size", "-32768")
}

/// SQLite URL of the database file inside a data directory.
pub fn sqlite_url_for_dir(dir: &std::path::Path) -> String {
    format!("sqlite://{}?mode=rwc", dir.join("waymark.db").display())
}
