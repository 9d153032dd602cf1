//! The HR board (T-5): its narrow copy of each goal (`goal_board`), kept up to date by the
//! store whenever one of the sources is written, and the board's reads — counts per unit below
//! a unit and the "abnormal progress" and "stale updates" lists, paged — over that one table.
//! A goal belongs to its own unit (unit and team goals) or to its first owner's unit.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use uuid::Uuid;

use crate::StoreResult;
use crate::closure::raw;

/// A goal's board row, from its sources: the goal, its first owner's unit, its tracking row
/// (light, last update) and whether it supports another goal. The links are read for the chunk's
/// goals by index (a correlated EXISTS let PostgreSQL, without statistics during a bulk load,
/// hash the whole link table for every chunk).
const BOARD_ROW: &str = "
    INSERT INTO goal_board (goal_id, period_id, unit_id, level, tracked, progress_bp, light,
                            last_update_at, created_at, aligned)
    SELECT g.id, g.period_id, COALESCE(g.unit_id, e.unit_id), g.level,
           g.status IN ('submitted', 'approved', 'filed'), g.progress_bp, t.status, t.last_update_at,
           g.created_at, l.child_goal_id IS NOT NULL
    FROM goal g
    LEFT JOIN goal_owner o ON o.goal_id = g.id AND o.position = 0
    LEFT JOIN employee e ON e.id = o.employee_id
    LEFT JOIN goal_tracking t ON t.goal_id = g.id
    LEFT JOIN (SELECT DISTINCT child_goal_id FROM goal_link WHERE child_goal_id IN ({ids})) l ON l.child_goal_id = g.id
    WHERE g.id IN ({ids})
    ON CONFLICT (goal_id) DO UPDATE SET
        period_id = excluded.period_id, unit_id = excluded.unit_id, level = excluded.level,
        tracked = excluded.tracked, progress_bp = excluded.progress_bp, light = excluded.light,
        last_update_at = excluded.last_update_at, created_at = excluded.created_at, aligned = excluded.aligned";

/// Rewrites the board rows of these goals from their sources. Called by every repository
/// function that writes a source (goals, owners, progress, links, tracking, an owner's unit), in
/// the caller's transaction, so the board is never behind what it counts.
pub async fn refresh<C: ConnectionTrait>(c: &C, goals: &[Uuid]) -> StoreResult<()> {
    let b = c.get_database_backend();
    for chunk in goals.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = BOARD_ROW.replace("{ids}", &marks.join(","));
        c.execute_raw(raw(b, &sql, chunk.iter().map(|g| Value::from(*g)).collect())).await?;
    }
    Ok(())
}

/// Rewrites the board rows of the goals these people own first (their unit changed).
pub async fn refresh_owned_by<C: ConnectionTrait>(c: &C, employees: &[Uuid]) -> StoreResult<()> {
    let b = c.get_database_backend();
    for chunk in employees.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let ids = format!("SELECT goal_id FROM goal_owner WHERE position = 0 AND employee_id IN ({})", marks.join(","));
        let sql = BOARD_ROW.replace("{ids}", &ids);
        c.execute_raw(raw(b, &sql, chunk.iter().map(|e| Value::from(*e)).collect())).await?;
    }
    Ok(())
}

/// Counts for one unit directly below the board's unit (or the board's unit itself, for goals
/// set at its own level) and one light.
#[derive(Debug, Clone, FromQueryResult)]
pub struct UnitCount {
    pub unit_id: Uuid,
    pub light: Option<String>,
    pub goals: i64,
    pub progress_bp: i64,
    pub achieved: i64,
    pub aligned: i64,
    /// Goals that are expected to support another (all but company goals).
    pub alignable: i64,
    /// Goals with no update since the stale cutoff.
    pub stale: i64,
}

/// The tracked goals of a period counted per unit and light in one pass over the board table,
/// then summed up to the units directly below `root` (the few hundred per-unit rows, not the
/// goals, meet the unit tree).
pub async fn unit_counts<C: ConnectionTrait>(
    c: &C,
    period: Uuid,
    root: Uuid,
    stale_before: DateTime<Utc>,
) -> StoreResult<Vec<UnitCount>> {
    // The group is the goal unit's ancestor that is a child of the root, or the root itself
    // (depth 0) for goals set at the root's own level.
    let sql = "SELECT ut.ancestor_id AS unit_id, x.light,
                CAST(SUM(x.goals) AS BIGINT) AS goals, CAST(SUM(x.progress_bp) AS BIGINT) AS progress_bp,
                CAST(SUM(x.achieved) AS BIGINT) AS achieved, CAST(SUM(x.aligned) AS BIGINT) AS aligned,
                CAST(SUM(x.alignable) AS BIGINT) AS alignable, CAST(SUM(x.stale) AS BIGINT) AS stale
         FROM (
           SELECT b.unit_id, b.light, COUNT(*) AS goals, SUM(b.progress_bp) AS progress_bp,
                  SUM(CASE WHEN b.progress_bp >= 10000 THEN 1 ELSE 0 END) AS achieved,
                  SUM(CASE WHEN b.level <> 'company' AND b.aligned THEN 1 ELSE 0 END) AS aligned,
                  SUM(CASE WHEN b.level <> 'company' THEN 1 ELSE 0 END) AS alignable,
                  SUM(CASE WHEN COALESCE(b.last_update_at, b.created_at) < $3 THEN 1 ELSE 0 END) AS stale
           FROM goal_board b
           WHERE b.period_id = $1 AND b.tracked = $4 AND b.unit_id IS NOT NULL
           GROUP BY b.unit_id, b.light
         ) x
         JOIN unit_tree ut ON ut.unit_id = x.unit_id
         JOIN unit gu ON gu.id = ut.ancestor_id AND (gu.parent_id = $2 OR (gu.id = $2 AND ut.depth = 0))
         GROUP BY ut.ancestor_id, x.light";
    let values = vec![Value::from(period), Value::from(root), Value::from(stale_before), Value::from(true)];
    Ok(UnitCount::find_by_statement(raw(c.get_database_backend(), sql, values)).all(c).await?)
}

/// One goal on a board list.
#[derive(Debug, Clone, FromQueryResult)]
pub struct BoardGoal {
    pub goal_id: Uuid,
    pub title: String,
    pub progress_bp: i32,
    pub unit_id: Uuid,
    pub owner_name: String,
    pub owner_no: String,
    pub light: Option<String>,
    pub last_update_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// Which list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardList {
    /// Red or yellow lights (进展异常), red first.
    Abnormal,
    /// No update since the cutoff (更新滞后), the longest silent first.
    Stale,
}

/// A page of a list below `unit` (any depth); `light` narrows the abnormal list. The page is
/// chosen on the board table alone; only its rows are joined to the goal and owner.
#[allow(clippy::too_many_arguments)]
pub async fn board_list<C: ConnectionTrait>(
    c: &C,
    period: Uuid,
    unit: Uuid,
    list: BoardList,
    light: Option<&str>,
    stale_before: DateTime<Utc>,
    limit: u64,
    offset: u64,
) -> StoreResult<Vec<BoardGoal>> {
    let mut values = vec![Value::from(period), Value::from(unit), Value::from(true)];
    let filter = match list {
        BoardList::Abnormal => match light {
            Some(l) => {
                values.push(Value::from(l.to_string()));
                "b.light = $4"
            }
            None => "b.light IN ('red', 'yellow')",
        },
        BoardList::Stale => {
            values.push(Value::from(stale_before));
            "COALESCE(b.last_update_at, b.created_at) < $4"
        }
    };
    let order = match list {
        BoardList::Abnormal => "CASE p.light WHEN 'red' THEN 0 ELSE 1 END, p.progress_bp, p.goal_id",
        BoardList::Stale => "COALESCE(p.last_update_at, p.created_at), p.goal_id",
    };
    let sql = format!(
        "SELECT p.goal_id, g.title, p.progress_bp, p.unit_id, COALESCE(e.name, '') AS owner_name,
                COALESCE(e.employee_no, '') AS owner_no, p.light, p.last_update_at, p.created_at
         FROM (
           SELECT b.goal_id, b.progress_bp, b.unit_id, b.light, b.last_update_at, b.created_at
           FROM goal_board b
           WHERE b.period_id = $1 AND b.tracked = $3 AND {filter}
             AND b.unit_id IN (SELECT r.unit_id FROM unit_tree r WHERE r.ancestor_id = $2)
           ORDER BY {inner} LIMIT {limit} OFFSET {offset}
         ) p
         JOIN goal g ON g.id = p.goal_id
         LEFT JOIN goal_owner o ON o.goal_id = p.goal_id AND o.position = 0
         LEFT JOIN employee e ON e.id = o.employee_id
         ORDER BY {order}",
        inner = order.replace("p.", "b.")
    );
    Ok(BoardGoal::find_by_statement(raw(c.get_database_backend(), &sql, values)).all(c).await?)
}

/// A goal's board row as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct BoardRow {
    pub goal_id: Uuid,
    pub period_id: Uuid,
    pub unit_id: Option<Uuid>,
    pub level: String,
    pub tracked: bool,
    pub progress_bp: i32,
    pub light: Option<String>,
    pub last_update_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub aligned: bool,
}

/// Every board row, by goal (to check the copy against its sources).
pub async fn rows<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<BoardRow>> {
    let sql = "SELECT goal_id, period_id, unit_id, level, tracked, progress_bp, light, last_update_at, created_at,
                      aligned
               FROM goal_board ORDER BY goal_id";
    Ok(BoardRow::find_by_statement(raw(c.get_database_backend(), sql, vec![])).all(c).await?)
}
