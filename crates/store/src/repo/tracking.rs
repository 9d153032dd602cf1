//! Check-ins, attachments, goal status and its changes, risk alerts and review tasks (SPEC §3).

use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use sea_orm::{FromQueryResult, Value};
use uuid::Uuid;
use waymark_domain::tracking::SweepRun;

use crate::closure::raw;
use crate::entities::{
    check_in, check_in_attachment, goal, goal_status_change, goal_tracking, review_task, risk_alert, sweep_run,
    tracking_settings,
};
use crate::{StoreResult, memo};

/// Rows per multi-row insert: well under SQLite's 32 766 bound parameters for every table here.
const CHUNK: usize = 1000;

// ---- settings ------------------------------------------------------------------------------

pub async fn settings<C: ConnectionTrait>(c: &C) -> StoreResult<Option<tracking_settings::Model>> {
    memo::once(|| "tracking settings".into(), || async { Ok(tracking_settings::Entity::find_by_id(1).one(c).await?) })
        .await
}

pub async fn save_settings<C: ConnectionTrait>(c: &C, s: tracking_settings::Model) -> StoreResult<()> {
    use tracking_settings::Column as S;
    tracking_settings::Entity::insert(s.into_active_model())
        .on_conflict(
            OnConflict::column(S::Id)
                .update_columns([
                    S::YellowBehindBp,
                    S::RedBehindBp,
                    S::StaleDays,
                    S::StallWeeks,
                    S::PaceWindowDays,
                    S::UpdatedBy,
                    S::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(c)
        .await?;
    Ok(())
}

// ---- check-ins -----------------------------------------------------------------------------

pub async fn insert_check_in<C: ConnectionTrait>(c: &C, m: check_in::Model) -> StoreResult<()> {
    check_in::Entity::insert(m.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn check_in<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<check_in::Model>> {
    Ok(check_in::Entity::find_by_id(id).one(c).await?)
}

/// Many check-ins at once (demo data, imports), in chunks.
pub async fn insert_check_ins<C: ConnectionTrait>(c: &C, rows: Vec<check_in::Model>) -> StoreResult<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).map(|r| r.into_active_model()).collect();
        check_in::Entity::insert_many(chunk).exec_without_returning(c).await?;
    }
    Ok(())
}

/// A value pushed earlier with this id for this key result, if any.
pub async fn check_in_by_external<C: ConnectionTrait>(
    c: &C,
    key_result_id: Uuid,
    external_id: &str,
) -> StoreResult<Option<check_in::Model>> {
    Ok(check_in::Entity::find()
        .filter(check_in::Column::KeyResultId.eq(key_result_id))
        .filter(check_in::Column::ExternalId.eq(external_id))
        .one(c)
        .await?)
}

/// A goal's check-ins, newest first, at most `limit`, older than the check-in `before` if
/// given (the next page of its timeline); an unknown `before` gives none.
pub async fn newest_check_ins<C: ConnectionTrait>(
    c: &C,
    goal_id: Uuid,
    before: Option<Uuid>,
    limit: u64,
) -> StoreResult<Vec<check_in::Model>> {
    use check_in::Column as K;
    use sea_orm::{Condition, QuerySelect};
    let mut q = check_in::Entity::find().filter(K::GoalId.eq(goal_id));
    if let Some(id) = before {
        let Some(b) = check_in::Entity::find_by_id(id).filter(K::GoalId.eq(goal_id)).one(c).await? else {
            return Ok(vec![]);
        };
        q = q.filter(
            Condition::any()
                .add(K::CreatedAt.lt(b.created_at))
                .add(Condition::all().add(K::CreatedAt.eq(b.created_at)).add(K::Id.lt(b.id))),
        );
    }
    Ok(q.order_by_desc(K::CreatedAt).order_by_desc(K::Id).limit(limit).all(c).await?)
}

/// How many check-ins a goal has.
pub async fn check_in_count<C: ConnectionTrait>(c: &C, goal_id: Uuid) -> StoreResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(check_in::Entity::find().filter(check_in::Column::GoalId.eq(goal_id)).count(c).await?)
}

/// The goal's progress at the end of each day it had check-ins, oldest first: the chart's
/// series, one point a day however many check-ins a day had. The day's last check-in is found
/// on the (goal, day, time) index without reading the rows, and only those rows are read: at
/// 10 000 check-ins reading two columns of every one took 17 ms.
pub async fn progress_by_day<C: ConnectionTrait>(c: &C, goal_id: Uuid) -> StoreResult<Vec<(chrono::NaiveDate, i32)>> {
    #[derive(FromQueryResult)]
    struct DayRow {
        on_date: chrono::NaiveDate,
        goal_progress_bp: i32,
    }
    let sql = "SELECT c.on_date, c.goal_progress_bp FROM check_in c \
               JOIN (SELECT on_date, MAX(created_at) AS last_at FROM check_in WHERE goal_id = $1 GROUP BY on_date) d \
               ON c.on_date = d.on_date AND c.created_at = d.last_at \
               WHERE c.goal_id = $1 ORDER BY c.on_date, c.id";
    let b = c.get_database_backend();
    let rows = DayRow::find_by_statement(raw(b, sql, vec![Value::from(goal_id)])).all(c).await?;
    // Two check-ins in the same instant: the later id is the day's last.
    let mut out: Vec<(chrono::NaiveDate, i32)> = Vec::new();
    for r in rows {
        match out.last_mut() {
            Some(last) if last.0 == r.on_date => last.1 = r.goal_progress_bp,
            _ => out.push((r.on_date, r.goal_progress_bp)),
        }
    }
    Ok(out)
}

pub async fn insert_attachments<C: ConnectionTrait>(c: &C, rows: Vec<check_in_attachment::Model>) -> StoreResult<()> {
    if rows.is_empty() {
        return Ok(());
    }
    check_in_attachment::Entity::insert_many(rows.into_iter().map(|r| r.into_active_model()))
        .exec_without_returning(c)
        .await?;
    Ok(())
}

pub async fn attachment<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<check_in_attachment::Model>> {
    Ok(check_in_attachment::Entity::find_by_id(id).one(c).await?)
}

pub async fn attachments_of_check_in<C: ConnectionTrait>(
    c: &C,
    check_in_id: Uuid,
) -> StoreResult<Vec<check_in_attachment::Model>> {
    Ok(check_in_attachment::Entity::find()
        .filter(check_in_attachment::Column::CheckInId.eq(check_in_id))
        .order_by_asc(check_in_attachment::Column::CreatedAt)
        .all(c)
        .await?)
}

/// The files of these check-ins.
pub async fn attachments_of_check_ins<C: ConnectionTrait>(
    c: &C,
    check_in_ids: &[Uuid],
) -> StoreResult<Vec<check_in_attachment::Model>> {
    let mut out = Vec::new();
    for ids in check_in_ids.chunks(CHUNK) {
        out.extend(
            check_in_attachment::Entity::find()
                .filter(check_in_attachment::Column::CheckInId.is_in(ids.to_vec()))
                .order_by_asc(check_in_attachment::Column::CreatedAt)
                .all(c)
                .await?,
        );
    }
    Ok(out)
}

// ---- status --------------------------------------------------------------------------------

pub async fn tracking<C: ConnectionTrait>(c: &C, goal_ids: &[Uuid]) -> StoreResult<Vec<goal_tracking::Model>> {
    let mut out = Vec::with_capacity(goal_ids.len());
    for ids in goal_ids.chunks(CHUNK) {
        out.extend(
            goal_tracking::Entity::find().filter(goal_tracking::Column::GoalId.is_in(ids.to_vec())).all(c).await?,
        );
    }
    Ok(out)
}

/// Writes each goal's current status (insert or replace).
pub async fn upsert_tracking<C: ConnectionTrait>(c: &C, rows: Vec<goal_tracking::Model>) -> StoreResult<()> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.goal_id).collect();
    upsert_tracking_bulk(c, rows).await?;
    super::boards::refresh(c, &ids).await
}

/// [`upsert_tracking`] without the board rows: the caller runs `boards::rebuild_all` before
/// it commits (bulk loads).
pub async fn upsert_tracking_bulk<C: ConnectionTrait>(c: &C, rows: Vec<goal_tracking::Model>) -> StoreResult<()> {
    use goal_tracking::Column as T;
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).map(|r| r.into_active_model()).collect();
        goal_tracking::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::column(T::GoalId)
                    .update_columns([
                        T::Status,
                        T::Reason,
                        T::StatusSince,
                        T::LastUpdateAt,
                        T::Confidence,
                        T::EvaluatedOn,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

pub async fn insert_status_changes<C: ConnectionTrait>(c: &C, rows: Vec<goal_status_change::Model>) -> StoreResult<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).map(|r| r.into_active_model()).collect();
        goal_status_change::Entity::insert_many(chunk).exec_without_returning(c).await?;
    }
    Ok(())
}

/// A goal's newest status changes, at most `limit`, and how many it has in all.
pub async fn status_changes<C: ConnectionTrait>(
    c: &C,
    goal_id: Uuid,
    limit: u64,
) -> StoreResult<(Vec<goal_status_change::Model>, u64)> {
    use goal_status_change::{Column, Entity};
    super::newest_and_total(c, Entity::find().filter(Column::GoalId.eq(goal_id)), Column::ChangedAt, limit).await
}

// ---- alerts and review tasks ---------------------------------------------------------------

pub async fn insert_alerts<C: ConnectionTrait>(c: &C, rows: Vec<risk_alert::Model>) -> StoreResult<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).map(|r| r.into_active_model()).collect();
        risk_alert::Entity::insert_many(chunk).exec_without_returning(c).await?;
    }
    Ok(())
}

pub async fn update_alert<C: ConnectionTrait>(c: &C, a: risk_alert::Model) -> StoreResult<()> {
    a.into_active_model().reset_all().update(c).await?;
    Ok(())
}

pub async fn alert<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<risk_alert::Model>> {
    Ok(risk_alert::Entity::find_by_id(id).one(c).await?)
}

/// A goal's alerts for its page, newest first: every open and dismissed one, and the
/// `resolved` most recent of those resolved, which pile up over a goal's life (a goal with ten
/// thousand check-ins had 3 334); with how many were resolved in all.
pub async fn alerts_for_page<C: ConnectionTrait>(
    c: &C,
    goal_id: Uuid,
    resolved: u64,
) -> StoreResult<(Vec<risk_alert::Model>, u64)> {
    use risk_alert::{Column, Entity};
    let mut rows = unresolved_alerts_of_goal(c, goal_id).await?;
    let closed = Entity::find().filter(Column::GoalId.eq(goal_id)).filter(Column::State.eq("resolved"));
    let (last, total) = super::newest_and_total(c, closed, Column::RaisedAt, resolved).await?;
    rows.extend(last);
    rows.sort_by_key(|a| std::cmp::Reverse(a.raised_at));
    Ok((rows, total))
}

/// A goal's alerts that are not resolved (open or dismissed): what a check-in weighs its risks
/// against. Resolved alerts pile up over a goal's life and are never read here (issue 21).
pub async fn unresolved_alerts_of_goal<C: ConnectionTrait>(
    c: &C,
    goal_id: Uuid,
) -> StoreResult<Vec<risk_alert::Model>> {
    Ok(risk_alert::Entity::find()
        .filter(risk_alert::Column::GoalId.eq(goal_id))
        .filter(risk_alert::Column::State.is_in(["open", "dismissed"]))
        .order_by_desc(risk_alert::Column::RaisedAt)
        .all(c)
        .await?)
}

pub async fn insert_task<C: ConnectionTrait>(c: &C, t: review_task::Model) -> StoreResult<()> {
    review_task::Entity::insert(t.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_task<C: ConnectionTrait>(c: &C, t: review_task::Model) -> StoreResult<()> {
    t.into_active_model().reset_all().update(c).await?;
    Ok(())
}

pub async fn task<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<review_task::Model>> {
    Ok(review_task::Entity::find_by_id(id).one(c).await?)
}

pub async fn tasks_of_goal<C: ConnectionTrait>(c: &C, goal_id: Uuid) -> StoreResult<Vec<review_task::Model>> {
    Ok(review_task::Entity::find()
        .filter(review_task::Column::GoalId.eq(goal_id))
        .order_by_desc(review_task::Column::CreatedAt)
        .all(c)
        .await?)
}

// ---- the sweep -----------------------------------------------------------------------------

/// Records the sweep's run of its day (a second run the same day replaces the first's figures).
pub async fn record_sweep<C: ConnectionTrait>(c: &C, run: SweepRun) -> StoreResult<()> {
    use sweep_run::Column as K;
    // Counts beyond the columns' range are kept at the largest they hold (a count, not a key).
    let int = |n: u32| i32::try_from(n).unwrap_or(i32::MAX);
    let row = sweep_run::Model {
        on_date: run.on_date,
        finished_at: run.finished_at,
        goals: int(run.goals),
        status_changes: int(run.status_changes),
        alerts_raised: int(run.alerts_raised),
        alerts_resolved: int(run.alerts_resolved),
        elapsed_ms: i64::try_from(run.elapsed_ms).unwrap_or(i64::MAX),
    };
    let update = [K::FinishedAt, K::Goals, K::StatusChanges, K::AlertsRaised, K::AlertsResolved, K::ElapsedMs];
    sweep_run::Entity::insert(row.into_active_model())
        .on_conflict(OnConflict::column(K::OnDate).update_columns(update).to_owned())
        .exec_without_returning(c)
        .await?;
    Ok(())
}

/// The sweep's latest run, if it ever ran.
pub async fn last_sweep<C: ConnectionTrait>(c: &C) -> StoreResult<Option<SweepRun>> {
    // Negative counts can only be written by hand: they read as none.
    let count = |n: i32| u32::try_from(n).unwrap_or(0);
    Ok(sweep_run::Entity::find().order_by_desc(sweep_run::Column::OnDate).one(c).await?.map(|m| SweepRun {
        on_date: m.on_date,
        finished_at: m.finished_at,
        goals: count(m.goals),
        status_changes: count(m.status_changes),
        alerts_raised: count(m.alerts_raised),
        alerts_resolved: count(m.alerts_resolved),
        elapsed_ms: u64::try_from(m.elapsed_ms).unwrap_or(0),
    }))
}

/// Makes the sweep one at a time across app instances: on PostgreSQL a transaction-scoped
/// advisory lock (a second sweep waits, then reads what the first wrote); SQLite's single
/// writer already serializes it.
pub async fn lock_sweep<C: ConnectionTrait>(c: &C) -> StoreResult<()> {
    if c.get_database_backend() == sea_orm::DbBackend::Postgres {
        c.execute_unprepared("SELECT pg_advisory_xact_lock(7265736)").await?;
    }
    Ok(())
}

/// A tracked goal as the sweep reads it: only what its status is computed from.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct TrackedGoal {
    pub goal_id: Uuid,
    pub progress_bp: i32,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub period_id: Uuid,
}

/// Every goal with a status light (submitted, approved, filed).
pub async fn tracked_goals<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<TrackedGoal>> {
    use sea_orm::QuerySelect;
    Ok(goal::Entity::find()
        .select_only()
        .column_as(goal::Column::Id, "goal_id")
        .column(goal::Column::ProgressBp)
        .column(goal::Column::CreatedAt)
        .column(goal::Column::PeriodId)
        .filter(goal::Column::Status.is_in(["submitted", "approved", "filed"]))
        .into_model::<TrackedGoal>()
        .all(c)
        .await?)
}

pub async fn all_tracking<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<goal_tracking::Model>> {
    Ok(goal_tracking::Entity::find().all(c).await?)
}

/// The alerts in one state (open, dismissed) of the goals with ids from `first` to `last`
/// (inclusive), for the sweep's slice of goals.
pub async fn alerts_in_state<C: ConnectionTrait>(
    c: &C,
    state: &str,
    first: Uuid,
    last: Uuid,
) -> StoreResult<Vec<risk_alert::Model>> {
    Ok(risk_alert::Entity::find()
        .filter(risk_alert::Column::GoalId.between(first, last))
        .filter(risk_alert::Column::State.eq(state))
        .all(c)
        .await?)
}

/// One point of a goal's timeline, as the risk rules read it.
#[derive(Debug, Clone, sea_orm::FromQueryResult)]
pub struct TimelinePoint {
    pub goal_id: Uuid,
    pub on_date: chrono::NaiveDate,
    pub goal_progress_bp: i32,
    pub confidence: Option<String>,
}

/// The check-ins on or after `since` of the goals with ids from `first` to `last` (inclusive;
/// one goal when they are equal), grouped by goal, oldest first within a goal: what the risk
/// rules read. The sweep reads the organization a slice of goals at a time. On SQLite the slice
/// comes as one JSON document built by SQLite: decoding 3 million points row by row through the
/// driver took 13 s of a 22 s sweep, SQLite itself 3 s.
pub async fn recent_points<C: ConnectionTrait>(
    c: &C,
    since: chrono::NaiveDate,
    first: Uuid,
    last: Uuid,
) -> StoreResult<Vec<TimelinePoint>> {
    if c.get_database_backend() == sea_orm::DbBackend::Sqlite {
        return sqlite_recent_points(c, since, first, last).await;
    }
    use sea_orm::QuerySelect;
    Ok(check_in::Entity::find()
        .select_only()
        .column(check_in::Column::GoalId)
        .column(check_in::Column::OnDate)
        .column(check_in::Column::GoalProgressBp)
        .column(check_in::Column::Confidence)
        .filter(check_in::Column::GoalId.between(first, last))
        .filter(check_in::Column::OnDate.gte(since))
        .order_by_asc(check_in::Column::GoalId)
        .order_by_asc(check_in::Column::CreatedAt)
        .order_by_asc(check_in::Column::Id)
        .into_model::<TimelinePoint>()
        .all(c)
        .await?)
}

/// What the risk rules read of one goal (`domain::tracking::risk::sample`), read by index seeks
/// whatever the goal's history: the last check-in of each week in `weeks` (Monday–Sunday
/// ranges), the first on or after `pace_from`, and the last two on or after `since` that said a
/// confidence. Oldest first. A check-in's cost no longer grows with the check-ins before it.
pub async fn sampled_points<C: ConnectionTrait>(
    c: &C,
    goal: Uuid,
    since: chrono::NaiveDate,
    pace_from: chrono::NaiveDate,
    weeks: &[(chrono::NaiveDate, chrono::NaiveDate)],
) -> StoreResult<Vec<TimelinePoint>> {
    // One statement of index seeks (UNION ALL of LIMITed subqueries), not one per week: inside
    // a check-in's write transaction every statement is a round trip while the writer lock is
    // held (issue 21: eight round trips of the 36 a check-in made).
    const COLUMNS: &str = "id, goal_id, on_date, goal_progress_bp, confidence, created_at";
    let mut values = vec![Value::from(goal)];
    let mut arg = |v: Value| {
        values.push(v);
        format!("${}", values.len())
    };
    let mut parts = Vec::new();
    for (monday, sunday) in weeks {
        let (from, to) = (arg(Value::from(*monday)), arg(Value::from(*sunday)));
        parts.push(format!(
            "SELECT {COLUMNS} FROM check_in WHERE goal_id = $1 AND on_date BETWEEN {from} AND {to}
             ORDER BY on_date DESC, created_at DESC LIMIT 1"
        ));
    }
    let from = arg(Value::from(pace_from));
    parts.push(format!(
        "SELECT {COLUMNS} FROM check_in WHERE goal_id = $1 AND on_date >= {from} ORDER BY on_date, created_at LIMIT 1"
    ));
    let from = arg(Value::from(since));
    parts.push(format!(
        "SELECT {COLUMNS} FROM check_in WHERE goal_id = $1 AND on_date >= {from} AND confidence IS NOT NULL
         ORDER BY on_date DESC, created_at DESC LIMIT 2"
    ));
    let sql = parts.iter().enumerate().map(|(i, p)| format!("SELECT * FROM ({p}) AS s{i}")).collect::<Vec<_>>();
    let b = c.get_database_backend();
    let mut rows = SampledRow::find_by_statement(raw(b, &sql.join(" UNION ALL "), values)).all(c).await?;
    rows.sort_by_key(|r| (r.on_date, r.created_at, r.id));
    rows.dedup_by_key(|r| r.id);
    Ok(rows
        .into_iter()
        .map(|r| TimelinePoint {
            goal_id: r.goal_id,
            on_date: r.on_date,
            goal_progress_bp: r.goal_progress_bp,
            confidence: r.confidence,
        })
        .collect())
}

#[derive(sea_orm::FromQueryResult)]
struct SampledRow {
    id: Uuid,
    goal_id: Uuid,
    on_date: chrono::NaiveDate,
    goal_progress_bp: i32,
    confidence: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
}

async fn sqlite_recent_points<C: ConnectionTrait>(
    c: &C,
    since: chrono::NaiveDate,
    first: Uuid,
    last: Uuid,
) -> StoreResult<Vec<TimelinePoint>> {
    let sql = "SELECT json_group_array(json_array(hex(goal_id), on_date, goal_progress_bp, confidence)
                   ORDER BY goal_id, created_at, id)
               FROM check_in WHERE goal_id BETWEEN $1 AND $2 AND on_date >= $3";
    let st = raw(sea_orm::DbBackend::Sqlite, sql, vec![Value::from(first), Value::from(last), Value::from(since)]);
    let doc: Option<String> = match c.query_one_raw(st).await? {
        Some(r) => r.try_get_by_index(0)?,
        None => None,
    };
    let rows: Vec<(String, chrono::NaiveDate, i32, Option<String>)> =
        serde_json::from_str(doc.as_deref().unwrap_or("[]")).map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
    rows.into_iter()
        .map(|(id, on_date, goal_progress_bp, confidence)| {
            let goal_id = Uuid::try_parse(&id).map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
            Ok(TimelinePoint { goal_id, on_date, goal_progress_bp, confidence })
        })
        .collect::<Result<Vec<_>, sea_orm::DbErr>>()
        .map_err(Into::into)
}
