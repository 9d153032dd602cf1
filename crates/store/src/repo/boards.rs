//! The HR board's reads (T-5): counts per unit below a unit, aggregated by the database, and
//! the "abnormal progress" and "stale updates" lists, paged. A goal belongs to its own unit
//! (unit and team goals) or to its first owner's unit.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use uuid::Uuid;

use crate::StoreResult;
use crate::closure::raw;

/// Goals of a period that have a status light, with their unit (own or first owner's).
const TRACKED_GOALS: &str = "
    FROM goal g
    JOIN goal_owner o ON o.goal_id = g.id AND o.position = 0
    JOIN employee e ON e.id = o.employee_id
    LEFT JOIN goal_tracking t ON t.goal_id = g.id
    WHERE g.period_id = $1 AND g.status IN ('submitted', 'approved', 'filed')";

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
}

pub async fn unit_counts<C: ConnectionTrait>(c: &C, period: Uuid, root: Uuid) -> StoreResult<Vec<UnitCount>> {
    // The group is the goal unit's ancestor that is a child of the root, or the root itself
    // (depth 0) for goals set at the root's own level.
    let sql = format!(
        "SELECT ut.ancestor_id AS unit_id, t.status AS light, COUNT(*) AS goals,
                SUM(g.progress_bp) AS progress_bp,
                SUM(CASE WHEN g.progress_bp >= 10000 THEN 1 ELSE 0 END) AS achieved,
                SUM(CASE WHEN g.level <> 'company' AND EXISTS (SELECT 1 FROM goal_link l WHERE l.child_goal_id = g.id)
                         THEN 1 ELSE 0 END) AS aligned,
                SUM(CASE WHEN g.level <> 'company' THEN 1 ELSE 0 END) AS alignable
         {}
         GROUP BY ut.ancestor_id, t.status",
        TRACKED_GOALS.replace(
            "LEFT JOIN goal_tracking t ON t.goal_id = g.id",
            "LEFT JOIN goal_tracking t ON t.goal_id = g.id
             JOIN unit_tree ut ON ut.unit_id = COALESCE(g.unit_id, e.unit_id)
             JOIN unit gu ON gu.id = ut.ancestor_id AND (gu.parent_id = $2 OR (gu.id = $2 AND ut.depth = 0))",
        )
    );
    let st = raw(c.get_database_backend(), &sql, vec![Value::from(period), Value::from(root)]);
    Ok(UnitCount::find_by_statement(st).all(c).await?)
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

/// The goals of a list below `unit` (any depth), and what selects them.
fn list_filter(list: BoardList, light: Option<&str>, stale_before: DateTime<Utc>, values: &mut Vec<Value>) -> String {
    let filter = match list {
        BoardList::Abnormal => match light {
            Some(l) => {
                values.push(Value::from(l.to_string()));
                "AND t.status = $3"
            }
            None => "AND t.status IN ('red', 'yellow')",
        },
        BoardList::Stale => {
            values.push(Value::from(stale_before));
            "AND COALESCE(t.last_update_at, g.created_at) < $3"
        }
    };
    format!(
        "{TRACKED_GOALS}
         AND EXISTS (SELECT 1 FROM unit_tree r WHERE r.ancestor_id = $2 AND r.unit_id = COALESCE(g.unit_id, e.unit_id))
         {filter}"
    )
}

/// A page of a list below `unit` (any depth); `light` narrows the abnormal list.
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
    let mut values = vec![Value::from(period), Value::from(unit)];
    let from = list_filter(list, light, stale_before, &mut values);
    let order = match list {
        BoardList::Abnormal => "CASE t.status WHEN 'red' THEN 0 ELSE 1 END, g.progress_bp, g.id",
        BoardList::Stale => "COALESCE(t.last_update_at, g.created_at), g.id",
    };
    let sql = format!(
        "SELECT g.id AS goal_id, g.title, g.progress_bp, COALESCE(g.unit_id, e.unit_id) AS unit_id,
                e.name AS owner_name, e.employee_no AS owner_no, t.status AS light, t.last_update_at, g.created_at
         {from} ORDER BY {order} LIMIT {limit} OFFSET {offset}"
    );
    Ok(BoardGoal::find_by_statement(raw(c.get_database_backend(), &sql, values)).all(c).await?)
}

/// How many goals below `unit` have had no update since `stale_before` (the abnormal list's
/// length is in the unit counts).
pub async fn stale_count<C: ConnectionTrait>(
    c: &C,
    period: Uuid,
    unit: Uuid,
    stale_before: DateTime<Utc>,
) -> StoreResult<i64> {
    #[derive(FromQueryResult)]
    struct N {
        n: i64,
    }
    let mut values = vec![Value::from(period), Value::from(unit)];
    let from = list_filter(BoardList::Stale, None, stale_before, &mut values);
    let st = raw(c.get_database_backend(), &format!("SELECT COUNT(*) AS n {from}"), values);
    Ok(N::find_by_statement(st).one(c).await?.map_or(0, |n| n.n))
}
