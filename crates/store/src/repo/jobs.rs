//! The durable job queue. Every instance claims from the same table: a claim takes due jobs
//! (queued and due, or running with a lease that ran out because its worker died) and leases
//! them to one worker; on PostgreSQL rows another worker is claiming are skipped
//! (`FOR UPDATE SKIP LOCKED`), on SQLite the database has one writer. Finishing checks the
//! lease is still ours, so a worker that overran its lease cannot mark another's work.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict, Order, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;
use waymark_domain::jobs::{JobRecord, JobState};

use crate::entities::job::{self, Column as J};
use crate::{StoreError, StoreResult};

const QUEUED: &str = "queued";
const RUNNING: &str = "running";
const DONE: &str = "done";
const FAILED: &str = "failed";

fn to_job(m: job::Model) -> StoreResult<JobRecord> {
    Ok(JobRecord {
        id: m.id,
        kind: m.kind,
        payload: m.payload,
        state: JobState::parse(&m.state).ok_or(StoreError::Corrupt("job state"))?,
        attempts: m.attempts,
        max_attempts: m.max_attempts,
        run_at: m.run_at,
        locked_by: m.locked_by,
        locked_until: m.locked_until,
        last_error: m.last_error,
        dedupe_key: m.dedupe_key,
        recipient_id: m.recipient_id,
        created_at: m.created_at,
        finished_at: m.finished_at,
    })
}

fn job_row(j: JobRecord) -> job::Model {
    job::Model {
        id: j.id,
        kind: j.kind,
        payload: j.payload,
        state: j.state.code().into(),
        attempts: j.attempts,
        max_attempts: j.max_attempts,
        run_at: j.run_at,
        locked_by: j.locked_by,
        locked_until: j.locked_until,
        last_error: j.last_error,
        dedupe_key: j.dedupe_key,
        recipient_id: j.recipient_id,
        created_at: j.created_at,
        finished_at: j.finished_at,
    }
}

fn to_jobs(rows: Vec<job::Model>) -> StoreResult<Vec<JobRecord>> {
    rows.into_iter().map(to_job).collect()
}

pub async fn insert<C: ConnectionTrait>(c: &C, jobs: Vec<JobRecord>) -> StoreResult<()> {
    for chunk in jobs.chunks(500) {
        job::Entity::insert_many(chunk.iter().cloned().map(|j| job_row(j).into_active_model()))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

/// Inserts a job unless one with the same `dedupe_key` exists; true when it was inserted.
pub async fn insert_once<C: ConnectionTrait>(c: &C, job: JobRecord) -> StoreResult<bool> {
    let n = job::Entity::insert(job_row(job).into_active_model())
        .on_conflict(OnConflict::column(J::DedupeKey).do_nothing().to_owned())
        .exec_without_returning(c)
        .await?;
    Ok(n > 0)
}

/// Leases up to `limit` due jobs to `worker` until `lease_until`, oldest due first, counting
/// the attempt.
pub async fn claim<C: ConnectionTrait>(
    c: &C,
    worker: &str,
    now: DateTime<Utc>,
    lease_until: DateTime<Utc>,
    limit: u64,
) -> StoreResult<Vec<JobRecord>> {
    let backend = c.get_database_backend();
    let mut due = Query::select();
    due.column(J::Id)
        .from(job::Entity)
        .cond_where(
            Condition::any()
                .add(Condition::all().add(J::State.eq(QUEUED)).add(J::RunAt.lte(now)))
                .add(Condition::all().add(J::State.eq(RUNNING)).add(J::LockedUntil.lt(now))),
        )
        .order_by(J::RunAt, Order::Asc)
        .limit(limit);
    if backend == DbBackend::Postgres {
        due.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
    }
    let claim = Query::update()
        .table(job::Entity)
        .value(J::State, RUNNING)
        .value(J::LockedBy, worker)
        .value(J::LockedUntil, lease_until)
        .value(J::Attempts, Expr::col(J::Attempts).add(1))
        .and_where(Expr::col(J::Id).in_subquery(due))
        .returning_all()
        .to_owned();
    let rows = c.query_all_raw(backend.build(&claim)).await?;
    let rows = rows.iter().map(|r| job::Model::from_query_result(r, "")).collect::<Result<Vec<_>, _>>()?;
    let mut jobs = to_jobs(rows)?;
    jobs.sort_by_key(|j| (j.run_at, j.id));
    Ok(jobs)
}

fn ours(id: Uuid, worker: &str) -> Condition {
    Condition::all().add(J::Id.eq(id)).add(J::State.eq(RUNNING)).add(J::LockedBy.eq(worker))
}

/// Marks a leased job done; false when the lease was no longer ours.
pub async fn finish<C: ConnectionTrait>(c: &C, id: Uuid, worker: &str, now: DateTime<Utc>) -> StoreResult<bool> {
    let r = job::Entity::update_many()
        .col_expr(J::State, Expr::value(DONE))
        .col_expr(J::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(J::FinishedAt, Expr::value(now))
        .filter(ours(id, worker))
        .exec(c)
        .await?;
    Ok(r.rows_affected > 0)
}

/// Puts a leased job back in the queue to run at `run_at`, keeping why it failed.
pub async fn retry_later<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    worker: &str,
    error: &str,
    run_at: DateTime<Utc>,
) -> StoreResult<bool> {
    let r = job::Entity::update_many()
        .col_expr(J::State, Expr::value(QUEUED))
        .col_expr(J::RunAt, Expr::value(run_at))
        .col_expr(J::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(J::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(J::LastError, Expr::value(error))
        .filter(ours(id, worker))
        .exec(c)
        .await?;
    Ok(r.rows_affected > 0)
}

/// Gives a leased job up with its reason.
pub async fn fail<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    worker: &str,
    error: &str,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let r = job::Entity::update_many()
        .col_expr(J::State, Expr::value(FAILED))
        .col_expr(J::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(J::LastError, Expr::value(error))
        .col_expr(J::FinishedAt, Expr::value(now))
        .filter(ours(id, worker))
        .exec(c)
        .await?;
    Ok(r.rows_affected > 0)
}

/// A failed job queued again from its first attempt (an admin fixed the mail server, say).
pub async fn requeue<C: ConnectionTrait>(c: &C, id: Uuid, now: DateTime<Utc>) -> StoreResult<bool> {
    let r = job::Entity::update_many()
        .col_expr(J::State, Expr::value(QUEUED))
        .col_expr(J::Attempts, Expr::value(0))
        .col_expr(J::RunAt, Expr::value(now))
        .col_expr(J::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(J::FinishedAt, Expr::value(Option::<DateTime<Utc>>::None))
        .filter(J::Id.eq(id))
        .filter(J::State.eq(FAILED))
        .exec(c)
        .await?;
    Ok(r.rows_affected > 0)
}

pub async fn get<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<JobRecord>> {
    job::Entity::find_by_id(id).one(c).await?.map(to_job).transpose()
}

/// Jobs in one state (or all), newest first, a page at a time.
pub async fn list<C: ConnectionTrait>(
    c: &C,
    state: Option<JobState>,
    limit: u64,
    offset: u64,
) -> StoreResult<Vec<JobRecord>> {
    let mut q = job::Entity::find();
    if let Some(s) = state {
        q = q.filter(J::State.eq(s.code()));
    }
    to_jobs(q.order_by_desc(J::CreatedAt).order_by_desc(J::Id).limit(limit).offset(offset).all(c).await?)
}

#[derive(Debug, Clone, FromQueryResult)]
struct StateCount {
    state: String,
    n: i64,
}

/// How many jobs are in each state (states without jobs left out).
pub async fn count_by_state<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<(JobState, i64)>> {
    job::Entity::find()
        .select_only()
        .column(J::State)
        .column_as(J::Id.count(), "n")
        .group_by(J::State)
        .into_model::<StateCount>()
        .all(c)
        .await?
        .into_iter()
        .map(|s| Ok((JobState::parse(&s.state).ok_or(StoreError::Corrupt("job state"))?, s.n)))
        .collect()
}

/// A user's latest deliveries, newest first.
pub async fn for_recipient<C: ConnectionTrait>(c: &C, user: Uuid, limit: u64) -> StoreResult<Vec<JobRecord>> {
    to_jobs(
        job::Entity::find()
            .filter(J::RecipientId.eq(user))
            .order_by_desc(J::CreatedAt)
            .order_by_desc(J::Id)
            .limit(limit)
            .all(c)
            .await?,
    )
}

/// Forgets finished work older than `before` (failed jobs stay until an admin deals with them).
pub async fn purge_done<C: ConnectionTrait>(c: &C, before: DateTime<Utc>) -> StoreResult<u64> {
    let r = job::Entity::delete_many().filter(J::State.eq(DONE)).filter(J::FinishedAt.lt(before)).exec(c).await?;
    Ok(r.rows_affected)
}
