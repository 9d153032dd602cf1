//! Periods, goals, owners, key results and alignment links (SPEC §2).

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::Value;
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;
use waymark_domain::goals::period::{Period, PeriodKind};

use super::boards;
use crate::closure::raw;
use crate::entities::{goal, goal_link, goal_owner, goal_period, key_result};
use crate::{StoreError, StoreResult, memo};

/// Rows per statement for batched reads and writes (well under SQLite's parameter limit).
const CHUNK: usize = 500;

// ---- periods -------------------------------------------------------------------------------

fn to_period(m: goal_period::Model) -> StoreResult<Period> {
    Ok(Period {
        id: m.id,
        name: m.name,
        kind: PeriodKind::parse(&m.kind).ok_or(StoreError::Corrupt("goal period kind"))?,
        starts_on: m.starts_on,
        ends_on: m.ends_on,
        setting_due_on: m.setting_due_on,
        created_at: m.created_at,
    })
}

fn period_row(p: Period) -> goal_period::Model {
    goal_period::Model {
        id: p.id,
        name: p.name,
        kind: p.kind.code().into(),
        starts_on: p.starts_on,
        ends_on: p.ends_on,
        setting_due_on: p.setting_due_on,
        created_at: p.created_at,
    }
}

fn to_periods(rows: Vec<goal_period::Model>) -> StoreResult<Vec<Period>> {
    rows.into_iter().map(to_period).collect()
}

pub async fn insert_period<C: ConnectionTrait>(c: &C, p: Period) -> StoreResult<()> {
    goal_period::Entity::insert(period_row(p).into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

/// Every period, newest first (read once per page inside [`crate::memo::within`]).
pub async fn periods<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<Period>> {
    memo::once(
        || "periods".into(),
        || async {
            to_periods(
                goal_period::Entity::find()
                    .order_by_desc(goal_period::Column::StartsOn)
                    .order_by_asc(goal_period::Column::Name)
                    .all(c)
                    .await?,
            )
        },
    )
    .await
}

pub async fn period<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<Period>> {
    memo::once(
        || memo::ids_key("period", &[id]),
        || async { goal_period::Entity::find_by_id(id).one(c).await?.map(to_period).transpose() },
    )
    .await
}

/// Periods whose goal-setting deadline falls between two days (inclusive), earliest first.
pub async fn periods_due_between<C: ConnectionTrait>(
    c: &C,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<Period>> {
    to_periods(
        goal_period::Entity::find()
            .filter(goal_period::Column::SettingDueOn.between(from, to))
            .order_by_asc(goal_period::Column::SettingDueOn)
            .all(c)
            .await?,
    )
}

pub async fn update_period<C: ConnectionTrait>(c: &C, p: Period) -> StoreResult<()> {
    period_row(p).into_active_model().reset_all().update(c).await?;
    Ok(())
}

pub async fn period_by_name<C: ConnectionTrait>(c: &C, name: &str) -> StoreResult<Option<Period>> {
    goal_period::Entity::find().filter(goal_period::Column::Name.eq(name)).one(c).await?.map(to_period).transpose()
}

// ---- goals ---------------------------------------------------------------------------------

/// A goal with its owners (in order) and key results (in order).
#[derive(Debug, Clone, PartialEq)]
pub struct GoalRecord {
    pub goal: goal::Model,
    pub owners: Vec<Uuid>,
    pub key_results: Vec<key_result::Model>,
}

pub async fn insert_goals<C: ConnectionTrait>(c: &C, goals: Vec<GoalRecord>) -> StoreResult<()> {
    let ids: Vec<Uuid> = goals.iter().map(|r| r.goal.id).collect();
    insert_goals_bulk(c, goals).await?;
    boards::refresh(c, &ids).await
}

/// [`insert_goals`] without the board rows: the caller runs [`boards::rebuild_all`] before it
/// commits (bulk loads).
pub async fn insert_goals_bulk<C: ConnectionTrait>(c: &C, goals: Vec<GoalRecord>) -> StoreResult<()> {
    let mut g_rows = Vec::new();
    let mut o_rows = Vec::new();
    let mut k_rows = Vec::new();
    for r in goals {
        for (i, e) in r.owners.iter().enumerate() {
            o_rows.push(
                goal_owner::Model { goal_id: r.goal.id, employee_id: *e, position: i as i32 }.into_active_model(),
            );
        }
        g_rows.push(r.goal.into_active_model());
        k_rows.extend(r.key_results.into_iter().map(IntoActiveModel::into_active_model));
    }
    for chunk in chunked(g_rows, 25) {
        goal::Entity::insert_many(chunk).exec_without_returning(c).await?;
    }
    for chunk in chunked(o_rows, 150) {
        goal_owner::Entity::insert_many(chunk).exec_without_returning(c).await?;
    }
    for chunk in chunked(k_rows, 25) {
        key_result::Entity::insert_many(chunk).exec_without_returning(c).await?;
    }
    Ok(())
}

fn chunked<T>(rows: Vec<T>, size: usize) -> Vec<Vec<T>> {
    let mut out = Vec::new();
    let mut it = rows.into_iter().peekable();
    while it.peek().is_some() {
        out.push(it.by_ref().take(size).collect());
    }
    out
}

pub async fn update_goal<C: ConnectionTrait>(c: &C, g: goal::Model) -> StoreResult<()> {
    let id = g.id;
    g.into_active_model().reset_all().update(c).await?;
    boards::refresh(c, &[id]).await
}

/// Replaces a goal's owners, in order.
pub async fn set_owners<C: ConnectionTrait>(c: &C, goal: Uuid, owners: &[Uuid]) -> StoreResult<()> {
    goal_owner::Entity::delete_many().filter(goal_owner::Column::GoalId.eq(goal)).exec(c).await?;
    let rows = owners
        .iter()
        .enumerate()
        .map(|(i, e)| goal_owner::Model { goal_id: goal, employee_id: *e, position: i as i32 }.into_active_model());
    if !owners.is_empty() {
        goal_owner::Entity::insert_many(rows).exec_without_returning(c).await?;
    }
    boards::refresh(c, &[goal]).await
}

pub async fn update_key_result<C: ConnectionTrait>(c: &C, k: key_result::Model) -> StoreResult<()> {
    k.into_active_model().reset_all().update(c).await?;
    Ok(())
}

pub async fn insert_key_result<C: ConnectionTrait>(c: &C, k: key_result::Model) -> StoreResult<()> {
    key_result::Entity::insert(k.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

/// Goals with their owners and key results, in the order of `ids` (missing ones skipped).
pub async fn goals<C: ConnectionTrait>(c: &C, ids: &[Uuid]) -> StoreResult<Vec<GoalRecord>> {
    load_goals(c, ids, true).await
}

/// Goals with their owners but not their key results (left empty): for lists that show goals,
/// not their measures (the team board). A team of 8 with 6 goals each reads 48 goals; their 96
/// key results were a fifth of the page's time.
pub async fn goals_without_key_results<C: ConnectionTrait>(c: &C, ids: &[Uuid]) -> StoreResult<Vec<GoalRecord>> {
    load_goals(c, ids, false).await
}

async fn load_goals<C: ConnectionTrait>(c: &C, ids: &[Uuid], key_results: bool) -> StoreResult<Vec<GoalRecord>> {
    let mut by_id: HashMap<Uuid, GoalRecord> = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        for g in goal::Entity::find().filter(goal::Column::Id.is_in(chunk.to_vec())).all(c).await? {
            by_id.insert(g.id, GoalRecord { goal: g, owners: vec![], key_results: vec![] });
        }
        let owners = goal_owner::Entity::find()
            .filter(goal_owner::Column::GoalId.is_in(chunk.to_vec()))
            .order_by_asc(goal_owner::Column::Position)
            .all(c)
            .await?;
        for o in owners {
            if let Some(r) = by_id.get_mut(&o.goal_id) {
                r.owners.push(o.employee_id);
            }
        }
        if !key_results {
            continue;
        }
        let krs = key_result::Entity::find()
            .filter(key_result::Column::GoalId.is_in(chunk.to_vec()))
            .order_by_asc(key_result::Column::Position)
            .all(c)
            .await?;
        for k in krs {
            if let Some(r) = by_id.get_mut(&k.goal_id) {
                r.key_results.push(k);
            }
        }
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

pub async fn goal<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<GoalRecord>> {
    Ok(goals(c, &[id]).await?.pop())
}

pub async fn key_result<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<key_result::Model>> {
    Ok(key_result::Entity::find_by_id(id).one(c).await?)
}

/// Ids of the goals an employee owns (alone or with others) in a period, oldest first. Two
/// index reads: the person's goals, then which of them are in the period (a subquery lets
/// SQLite scan the whole period instead).
pub async fn goal_ids_owned_by<C: ConnectionTrait>(c: &C, employee: Uuid, period: Uuid) -> StoreResult<Vec<Uuid>> {
    let owned: Vec<Uuid> = memo::once(
        || memo::ids_key("goals owned by", &[employee]),
        || async {
            Ok(goal_owner::Entity::find()
                .select_only()
                .column(goal_owner::Column::GoalId)
                .filter(goal_owner::Column::EmployeeId.eq(employee))
                .into_tuple()
                .all(c)
                .await?)
        },
    )
    .await?;
    let mut out = Vec::new();
    for chunk in owned.chunks(CHUNK) {
        // The period is checked here: in the query it made SQLite walk the whole period's index
        // (see `goals_owned_by_any`).
        let rows: Vec<(Uuid, Uuid, chrono::DateTime<chrono::Utc>)> = goal::Entity::find()
            .select_only()
            .columns([goal::Column::Id, goal::Column::PeriodId, goal::Column::CreatedAt])
            .filter(goal::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(c)
            .await?;
        out.extend(rows.into_iter().filter(|(_, p, _)| *p == period).map(|(id, _, at)| (id, at)));
    }
    out.sort_by_key(|(id, at)| (*at, *id));
    Ok(out.into_iter().map(|(id, _)| id).collect())
}

/// Company and unit goals of a period (the roots people align to).
pub async fn shared_goal_ids<C: ConnectionTrait>(c: &C, period: Uuid) -> StoreResult<Vec<Uuid>> {
    goal_ids_at_levels(c, period, &["company", "unit", "team"]).await
}

/// The ids of a period's goals set at these levels, oldest first.
pub async fn goal_ids_at_levels<C: ConnectionTrait>(c: &C, period: Uuid, levels: &[&str]) -> StoreResult<Vec<Uuid>> {
    Ok(goal::Entity::find()
        .select_only()
        .column(goal::Column::Id)
        .filter(goal::Column::PeriodId.eq(period))
        .filter(goal::Column::Level.is_in(levels.iter().copied()))
        .order_by_asc(goal::Column::CreatedAt)
        .into_tuple()
        .all(c)
        .await?)
}

/// Stores computed progress of goals and key results (basis points).
pub async fn set_progress<C: ConnectionTrait>(c: &C, goals: &[(Uuid, i32)], krs: &[(Uuid, i32)]) -> StoreResult<()> {
    set_progress_of(c, "goal", goals).await?;
    set_progress_of(c, "key_result", krs).await?;
    boards::refresh(c, &goals.iter().map(|(id, _)| *id).collect::<Vec<_>>()).await
}

/// Writes each row's `progress_bp`, a chunk of rows a statement: a check-in's roll-up changes
/// the goal and each goal above it, and one UPDATE each was one more hop to SQLite's database
/// thread apiece inside the writer lock.
async fn set_progress_of<C: ConnectionTrait>(c: &C, table: &str, rows: &[(Uuid, i32)]) -> StoreResult<()> {
    let b = c.get_database_backend();
    for chunk in rows.chunks(CHUNK / 2) {
        let whens: String = (0..chunk.len()).map(|i| format!(" WHEN ${} THEN ${}", 2 * i + 1, 2 * i + 2)).collect();
        let ids: Vec<String> = (0..chunk.len()).map(|i| format!("${}", 2 * i + 1)).collect();
        let sql = format!("UPDATE {table} SET progress_bp = CASE id{whens} END WHERE id IN ({})", ids.join(", "));
        let values: Vec<Value> = chunk.iter().flat_map(|(id, bp)| [Value::from(*id), Value::from(*bp)]).collect();
        c.execute_raw(raw(b, &sql, values)).await?;
    }
    Ok(())
}

/// Stored progress (basis points) and workflow status of goals by id: what a child outside a
/// roll-up contributes, and whether it counts.
pub async fn goal_progress<C: ConnectionTrait>(c: &C, ids: &[Uuid]) -> StoreResult<Vec<(Uuid, i32, String)>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        out.extend(
            goal::Entity::find()
                .select_only()
                .columns([goal::Column::Id, goal::Column::ProgressBp, goal::Column::Status])
                .filter(goal::Column::Id.is_in(chunk.to_vec()))
                .into_tuple::<(Uuid, i32, String)>()
                .all(c)
                .await?,
        );
    }
    Ok(out)
}

/// Key results by id (with their stored progress).
pub async fn key_results<C: ConnectionTrait>(c: &C, ids: &[Uuid]) -> StoreResult<Vec<key_result::Model>> {
    let mut out = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        out.extend(key_result::Entity::find().filter(key_result::Column::Id.is_in(chunk.to_vec())).all(c).await?);
    }
    Ok(out)
}

// ---- alignment -----------------------------------------------------------------------------

pub async fn insert_links<C: ConnectionTrait>(c: &C, links: Vec<goal_link::Model>) -> StoreResult<()> {
    let children: Vec<Uuid> = links.iter().map(|l| l.child_goal_id).collect();
    insert_links_bulk(c, links).await?;
    boards::refresh(c, &children).await
}

/// [`insert_links`] without the board rows (see [`insert_goals_bulk`]).
pub async fn insert_links_bulk<C: ConnectionTrait>(c: &C, links: Vec<goal_link::Model>) -> StoreResult<()> {
    for chunk in chunked(links.into_iter().map(IntoActiveModel::into_active_model).collect(), 100) {
        goal_link::Entity::insert_many(chunk).exec_without_returning(c).await?;
    }
    Ok(())
}

pub async fn delete_link<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<()> {
    let child = goal_link::Entity::find_by_id(id).one(c).await?.map(|l| l.child_goal_id);
    goal_link::Entity::delete_by_id(id).exec(c).await?;
    boards::refresh(c, &child.into_iter().collect::<Vec<_>>()).await
}

/// A link's contribution weight (blank: an equal share).
pub async fn set_link_weight<C: ConnectionTrait>(c: &C, id: Uuid, weight_bp: Option<i32>) -> StoreResult<()> {
    goal_link::Entity::update_many()
        .col_expr(goal_link::Column::WeightBp, Expr::value(weight_bp))
        .filter(goal_link::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

pub async fn link<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<goal_link::Model>> {
    Ok(goal_link::Entity::find_by_id(id).one(c).await?)
}

/// Links whose parent goal is one of `parents` (what supports them).
pub async fn links_into<C: ConnectionTrait>(c: &C, parents: &[Uuid]) -> StoreResult<Vec<goal_link::Model>> {
    let mut out = Vec::new();
    for chunk in parents.chunks(CHUNK) {
        out.extend(
            goal_link::Entity::find()
                .filter(goal_link::Column::ParentGoalId.is_in(chunk.to_vec()))
                .order_by_asc(goal_link::Column::CreatedAt)
                .all(c)
                .await?,
        );
    }
    Ok(out)
}

/// Links whose child goal is one of `children` (what they support).
pub async fn links_from<C: ConnectionTrait>(c: &C, children: &[Uuid]) -> StoreResult<Vec<goal_link::Model>> {
    let mut out = Vec::new();
    for chunk in children.chunks(CHUNK) {
        out.extend(
            goal_link::Entity::find()
                .filter(goal_link::Column::ChildGoalId.is_in(chunk.to_vec()))
                .order_by_asc(goal_link::Column::CreatedAt)
                .all(c)
                .await?,
        );
    }
    Ok(out)
}

/// Every goal above `start` along the alignment links, however many levels up, in one
/// statement (a check-in's roll-up walked it one level a statement: five on the demo's
/// company → unit → team → person lines, each a hop to SQLite's database thread inside the
/// writer lock). `UNION` ends the walk on a cycle, should the links ever hold one. Unordered;
/// `start` itself only if it is above another of `start` (or on a cycle).
pub async fn goals_above<C: ConnectionTrait>(c: &C, start: &[Uuid]) -> StoreResult<Vec<Uuid>> {
    let b = c.get_database_backend();
    let mut out = Vec::new();
    for chunk in start.chunks(CHUNK) {
        let list = (1..=chunk.len()).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ");
        let sql = format!(
            "WITH RECURSIVE up(id) AS ( \
               SELECT parent_goal_id FROM goal_link WHERE child_goal_id IN ({list}) \
               UNION \
               SELECT l.parent_goal_id FROM goal_link l JOIN up ON l.child_goal_id = up.id \
             ) SELECT id FROM up"
        );
        let values: Vec<Value> = chunk.iter().map(|id| Value::from(*id)).collect();
        for row in c.query_all_raw(raw(b, &sql, values)).await? {
            out.push(row.try_get_by_index::<Uuid>(0)?);
        }
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// How many links point into each of `parents` (their direct supporters); `COUNT(*)` so the
/// parent index answers alone.
pub async fn supporter_counts<C: ConnectionTrait>(c: &C, parents: &[Uuid]) -> StoreResult<HashMap<Uuid, i64>> {
    let mut out = HashMap::new();
    for chunk in parents.chunks(CHUNK) {
        let rows: Vec<(Uuid, i64)> = goal_link::Entity::find()
            .select_only()
            .column(goal_link::Column::ParentGoalId)
            .column_as(Expr::expr(sea_orm::sea_query::Func::count(Expr::col(sea_orm::sea_query::Asterisk))), "n")
            .filter(goal_link::Column::ParentGoalId.is_in(chunk.to_vec()))
            .group_by(goal_link::Column::ParentGoalId)
            .into_tuple()
            .all(c)
            .await?;
        out.extend(rows);
    }
    Ok(out)
}

/// Break points of a period (G-7): shared goals (company, unit, team) nobody supports, and
/// individual goals that support nothing; archived goals left out. Oldest first.
pub async fn break_point_ids<C: ConnectionTrait>(c: &C, period: Uuid) -> StoreResult<(Vec<Uuid>, Vec<Uuid>)> {
    let supported = Query::select().column(goal_link::Column::ParentGoalId).from(goal_link::Entity).to_owned();
    let aligned = Query::select().column(goal_link::Column::ChildGoalId).from(goal_link::Entity).to_owned();
    let base = goal::Entity::find()
        .select_only()
        .column(goal::Column::Id)
        .filter(goal::Column::PeriodId.eq(period))
        .filter(goal::Column::Status.ne("archived"))
        .order_by_asc(goal::Column::CreatedAt);
    let unsupported = base
        .clone()
        .filter(goal::Column::Level.ne("individual"))
        .filter(goal::Column::Id.not_in_subquery(supported))
        .into_tuple()
        .all(c)
        .await?;
    let orphans = base
        .filter(goal::Column::Level.eq("individual"))
        .filter(goal::Column::Id.not_in_subquery(aligned))
        .into_tuple()
        .all(c)
        .await?;
    Ok((unsupported, orphans))
}

/// (goal, owner) pairs of the given employees' goals in a period: their goals by owner index,
/// then which are in the period.
pub async fn goals_owned_by_any<C: ConnectionTrait>(
    c: &C,
    employees: &[Uuid],
    period: Uuid,
) -> StoreResult<Vec<(Uuid, Uuid)>> {
    let mut pairs: Vec<(Uuid, Uuid)> = Vec::new();
    for chunk in employees.chunks(CHUNK) {
        pairs.extend(
            goal_owner::Entity::find()
                .select_only()
                .columns([goal_owner::Column::GoalId, goal_owner::Column::EmployeeId])
                .filter(goal_owner::Column::EmployeeId.is_in(chunk.to_vec()))
                .into_tuple::<(Uuid, Uuid)>()
                .all(c)
                .await?,
        );
    }
    let ids: Vec<Uuid> = pairs.iter().map(|(g, _)| *g).collect();
    let mut in_period = std::collections::HashSet::new();
    // The period is checked here, not in the query: with it there, SQLite walked the period's
    // index (every goal of the quarter, 40 ms at 125 000 goals) instead of looking up the ids.
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<(Uuid, Uuid)> = goal::Entity::find()
            .select_only()
            .columns([goal::Column::Id, goal::Column::PeriodId])
            .filter(goal::Column::Id.is_in(chunk.to_vec()))
            .into_tuple()
            .all(c)
            .await?;
        in_period.extend(rows.into_iter().filter(|(_, p)| *p == period).map(|(g, _)| g));
    }
    pairs.retain(|(g, _)| in_period.contains(g));
    Ok(pairs)
}

/// A key result's measure columns only: what the roll-up reads.
#[derive(Debug, Clone, PartialEq, sea_orm::FromQueryResult)]
pub struct KrMeasure {
    pub id: Uuid,
    pub goal_id: Uuid,
    pub kind: String,
    pub direction: Option<String>,
    pub flat_rule: Option<String>,
    pub formula: Option<String>,
    pub start_e4: Option<i64>,
    pub target_e4: Option<i64>,
    pub current_e4: Option<i64>,
    pub threshold_e4: Option<i64>,
    pub stretch_e4: Option<i64>,
    pub done: bool,
    pub weight_bp: Option<i32>,
    pub archived: bool,
    pub progress_bp: i32,
}

/// A goal as the roll-up sees it: where its progress comes from and its measures.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasuredGoal {
    pub id: Uuid,
    pub progress_source: String,
    /// The workflow status: only agreed goals count in their parents' progress.
    pub status: String,
    pub progress_bp: i32,
    pub key_results: Vec<KrMeasure>,
}

/// The whole alignment graph with measure columns only (no titles, owners or times): the
/// organization-wide roll-up's input. Given a pool, the three table reads run at once on
/// separate connections.
pub async fn whole_graph<C: ConnectionTrait + Sync>(c: &C) -> StoreResult<(Vec<MeasuredGoal>, Vec<goal_link::Model>)> {
    use key_result::Column as K;
    let goals = goal::Entity::find()
        .select_only()
        .columns([goal::Column::Id, goal::Column::ProgressSource, goal::Column::ProgressBp, goal::Column::Status])
        .into_tuple::<(Uuid, String, i32, String)>()
        .all(c);
    // No ORDER BY: a table scan, not an index walk with a lookup per row; items keep their
    // ids, so their order does not matter to the roll-up. Columns are read by position: by
    // name, decoding 300 000 rows costs several times the query itself on SQLite.
    let kr_cols = [
        K::Id,
        K::GoalId,
        K::Kind,
        K::Direction,
        K::FlatRule,
        K::Formula,
        K::StartE4,
        K::TargetE4,
        K::CurrentE4,
        K::ThresholdE4,
        K::StretchE4,
        K::Done,
        K::WeightBp,
        K::Archived,
        K::ProgressBp,
    ];
    let kr_query = Query::select().columns(kr_cols).from(key_result::Entity).to_owned();
    let krs = async {
        if c.get_database_backend() == sea_orm::DbBackend::Sqlite {
            return sqlite_kr_measures(c).await;
        }
        let rows = c.query_all(&kr_query).await?;
        rows.iter()
            .map(|r| {
                Ok(KrMeasure {
                    id: r.try_get_by_index(0)?,
                    goal_id: r.try_get_by_index(1)?,
                    kind: r.try_get_by_index(2)?,
                    direction: r.try_get_by_index(3)?,
                    flat_rule: r.try_get_by_index(4)?,
                    formula: r.try_get_by_index(5)?,
                    start_e4: r.try_get_by_index(6)?,
                    target_e4: r.try_get_by_index(7)?,
                    current_e4: r.try_get_by_index(8)?,
                    threshold_e4: r.try_get_by_index(9)?,
                    stretch_e4: r.try_get_by_index(10)?,
                    done: r.try_get_by_index(11)?,
                    weight_bp: r.try_get_by_index(12)?,
                    archived: r.try_get_by_index(13)?,
                    progress_bp: r.try_get_by_index(14)?,
                })
            })
            .collect::<Result<Vec<_>, sea_orm::DbErr>>()
    };
    use goal_link::Column as L;
    let link_query = Query::select()
        .columns([L::Id, L::ChildGoalId, L::ChildKrId, L::ParentGoalId, L::ParentKrId, L::WeightBp, L::CreatedAt])
        .from(goal_link::Entity)
        .to_owned();
    let links = async {
        let rows = c.query_all(&link_query).await?;
        rows.iter()
            .map(|r| {
                Ok(goal_link::Model {
                    id: r.try_get_by_index(0)?,
                    child_goal_id: r.try_get_by_index(1)?,
                    child_kr_id: r.try_get_by_index(2)?,
                    parent_goal_id: r.try_get_by_index(3)?,
                    parent_kr_id: r.try_get_by_index(4)?,
                    weight_bp: r.try_get_by_index(5)?,
                    created_at: r.try_get_by_index(6)?,
                })
            })
            .collect::<Result<Vec<_>, sea_orm::DbErr>>()
    };
    let (rows, krs, links) = tokio::try_join!(goals, krs, links)?;
    let mut index: HashMap<Uuid, usize> = HashMap::with_capacity(rows.len());
    let mut goals: Vec<MeasuredGoal> = Vec::with_capacity(rows.len());
    for (id, progress_source, progress_bp, status) in rows {
        index.insert(id, goals.len());
        goals.push(MeasuredGoal { id, progress_source, status, progress_bp, key_results: vec![] });
    }
    for k in krs {
        if let Some(&i) = index.get(&k.goal_id) {
            goals[i].key_results.push(k);
        }
    }
    Ok((goals, links))
}

/// Shared goals (company, unit, team) of the given periods that are company goals or belong to
/// one of `units`; archived ones left out, oldest first. What a person in those units aligns to.
/// Two index reads (by period and level, by unit) rather than one OR that scans the period.
/// Every key result's measure on SQLite, as one JSON document built by SQLite: decoding
/// 300 000 rows through the driver one by one cost 1.6 s of the roll-up's 2 s load, SQLite
/// itself 0.3 s. UUIDs travel as hex, flags as 0/1.
async fn sqlite_kr_measures<C: ConnectionTrait>(c: &C) -> Result<Vec<KrMeasure>, sea_orm::DbErr> {
    type Row = (
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        i64,
        Option<i32>,
        i64,
        i32,
    );
    let sql = "SELECT json_group_array(json_array(hex(id), hex(goal_id), kind, direction, flat_rule, formula, \
               start_e4, target_e4, current_e4, threshold_e4, stretch_e4, done, weight_bp, archived, progress_bp)) \
               FROM key_result";
    let row = c.query_one_raw(sea_orm::Statement::from_string(sea_orm::DbBackend::Sqlite, sql)).await?;
    let doc: String = match row {
        Some(r) => r.try_get_by_index(0)?,
        None => return Ok(vec![]),
    };
    let rows: Vec<Row> = serde_json::from_str(&doc).map_err(|e| sea_orm::DbErr::Custom(e.to_string()))?;
    let uuid = |s: &str| Uuid::try_parse(s).map_err(|e| sea_orm::DbErr::Custom(e.to_string()));
    rows.into_iter()
        .map(|r| {
            Ok(KrMeasure {
                id: uuid(&r.0)?,
                goal_id: uuid(&r.1)?,
                kind: r.2,
                direction: r.3,
                flat_rule: r.4,
                formula: r.5,
                start_e4: r.6,
                target_e4: r.7,
                current_e4: r.8,
                threshold_e4: r.9,
                stretch_e4: r.10,
                done: r.11 != 0,
                weight_bp: r.12,
                archived: r.13 != 0,
                progress_bp: r.14,
            })
        })
        .collect()
}

pub async fn shared_goal_ids_for_units<C: ConnectionTrait>(
    c: &C,
    periods: &[Uuid],
    units: &[Uuid],
) -> StoreResult<Vec<Uuid>> {
    let mut found: Vec<(Uuid, chrono::DateTime<chrono::Utc>)> = goal::Entity::find()
        .select_only()
        .columns([goal::Column::Id, goal::Column::CreatedAt])
        .filter(goal::Column::PeriodId.is_in(periods.to_vec()))
        .filter(goal::Column::Status.ne("archived"))
        .filter(goal::Column::Level.eq("company"))
        .into_tuple()
        .all(c)
        .await?;
    if !units.is_empty() {
        // By unit only, period and level checked here: given the period too, SQLite walks the
        // period index through every unit's goals.
        let rows: Vec<(Uuid, chrono::DateTime<chrono::Utc>, Uuid, String)> = goal::Entity::find()
            .select_only()
            .columns([goal::Column::Id, goal::Column::CreatedAt, goal::Column::PeriodId, goal::Column::Level])
            .filter(goal::Column::UnitId.is_in(units.to_vec()))
            .filter(goal::Column::Status.ne("archived"))
            .into_tuple()
            .all(c)
            .await?;
        found.extend(
            rows.into_iter()
                .filter(|(_, _, p, level)| periods.contains(p) && (level == "unit" || level == "team"))
                .map(|(id, at, _, _)| (id, at)),
        );
    }
    found.sort_by_key(|(id, at)| (*at, *id));
    found.dedup();
    Ok(found.into_iter().map(|(id, _)| id).collect())
}
