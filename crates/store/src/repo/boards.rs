//! The HR board (T-5): its narrow copy of each goal (`goal_board`), kept up to date by the
//! store whenever one of the sources is written, and the board's reads — counts per unit below
//! a unit and the "abnormal progress" and "stale updates" lists, paged — over that one table.
//! A goal belongs to its own unit (unit and team goals) or to its first owner's unit.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, FromQueryResult, Value};
use uuid::Uuid;

use crate::StoreResult;
use crate::closure::raw;

/// A goal's board row, from its sources: the goal, its first owner's unit, its tracking row
/// (light, last update) and whether it supports another goal. The links are read for the chunk's
/// goals by index (a correlated EXISTS let PostgreSQL, without statistics during a bulk load,
/// hash the whole link table for every chunk). Returns each row's period and unit, so the
/// counts of the units it now belongs to are recomputed.
const BOARD_ROW: &str = "
    INSERT INTO goal_board (goal_id, period_id, unit_id, level, tracked, progress_bp, light,
                            last_update_at, created_at, aligned, active_at)
    SELECT g.id, g.period_id, COALESCE(g.unit_id, e.unit_id), g.level,
           g.status IN ('submitted', 'approved', 'filed'), g.progress_bp, t.status, t.last_update_at,
           g.created_at, l.child_goal_id IS NOT NULL, COALESCE(t.last_update_at, g.created_at)
    FROM goal g
    LEFT JOIN goal_owner o ON o.goal_id = g.id AND o.position = 0
    LEFT JOIN employee e ON e.id = o.employee_id
    LEFT JOIN goal_tracking t ON t.goal_id = g.id
    LEFT JOIN (SELECT DISTINCT child_goal_id FROM goal_link WHERE {links}) l ON l.child_goal_id = g.id
    WHERE {goals}
    ON CONFLICT (goal_id) DO UPDATE SET
        period_id = excluded.period_id, unit_id = excluded.unit_id, level = excluded.level,
        tracked = excluded.tracked, progress_bp = excluded.progress_bp, light = excluded.light,
        last_update_at = excluded.last_update_at, created_at = excluded.created_at, aligned = excluded.aligned,
        active_at = excluded.active_at";

/// The counts of tracked goals per period, unit and light ('' for none yet), from the board
/// rows `{where}` selects. On SQLite `tracked` is written `+tracked`: otherwise SQLite (3.50)
/// walks the whole period by the light index (period, tracked) instead of the few rows of the
/// unit by (period, unit) — 0.6 ms instead of 0.02 ms, in every check-in.
const COUNTS: &str = "
    INSERT INTO goal_board_count (period_id, unit_id, light, goals, progress_bp, achieved, aligned, alignable)
    SELECT period_id, unit_id, COALESCE(light, ''), COUNT(*), SUM(progress_bp),
           SUM(CASE WHEN progress_bp >= 10000 THEN 1 ELSE 0 END),
           SUM(CASE WHEN level <> 'company' AND aligned THEN 1 ELSE 0 END),
           SUM(CASE WHEN level <> 'company' THEN 1 ELSE 0 END)
    FROM goal_board WHERE {tracked} = {yes} AND unit_id IS NOT NULL AND {where}
    GROUP BY period_id, unit_id, COALESCE(light, '')";

/// Serializes count maintenance between transactions on PostgreSQL (SQLite has one writer):
/// two transactions recounting one unit would otherwise each miss the other's rows.
const COUNT_LOCK: i64 = 0x5741_594D_4243; // "WAYMBC"

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct PeriodUnit {
    period_id: Uuid,
    unit_id: Uuid,
}

/// What of a board row the counts are made of (and where it is counted).
#[derive(Debug, Clone, PartialEq, FromQueryResult)]
struct Counted {
    goal_id: Uuid,
    period_id: Uuid,
    unit_id: Option<Uuid>,
    level: String,
    tracked: bool,
    progress_bp: i32,
    light: Option<String>,
    aligned: bool,
}

const COUNTED: &str = "goal_id, period_id, unit_id, level, tracked, progress_bp, light, aligned";

/// Rewrites the board rows of these goals from their sources, and the counts of the units they
/// left and joined. Called by every repository function that writes a source (goals, owners,
/// progress, links, tracking, an owner's unit), in the caller's transaction, so the board is
/// never behind what it counts. A unit is recounted only if one of its goals changed in what
/// is counted: a check-in rewrites the row twice (progress, then the light and last update),
/// and the second usually changes only when the goal was last updated.
pub async fn refresh<C: ConnectionTrait>(c: &C, goals: &[Uuid]) -> StoreResult<()> {
    let b = c.get_database_backend();
    if goals.is_empty() {
        return Ok(());
    }
    if b == DbBackend::Postgres {
        c.execute_raw(raw(b, "SELECT pg_advisory_xact_lock($1)", vec![Value::from(COUNT_LOCK)])).await?;
    }
    for chunk in goals.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let ids = marks.join(",");
        let values = || chunk.iter().map(|g| Value::from(*g)).collect::<Vec<_>>();
        let sql = format!("SELECT {COUNTED} FROM goal_board WHERE goal_id IN ({ids})");
        let before = Counted::find_by_statement(raw(b, &sql, values())).all(c).await?;
        let sql = format!("{} RETURNING {COUNTED}", board_rows_of(&ids));
        let after = c
            .query_all_raw(raw(b, &sql, values()))
            .await?
            .iter()
            .map(|r| Counted::from_query_result(r, ""))
            .collect::<Result<Vec<_>, _>>()?;
        recount(c, changed_units(before, after)).await?;
    }
    Ok(())
}

/// The units counting a goal before or after, for each goal whose counted part changed (or
/// whose row came or went).
fn changed_units(before: Vec<Counted>, after: Vec<Counted>) -> Vec<PeriodUnit> {
    let old: std::collections::HashMap<Uuid, Counted> = before.into_iter().map(|r| (r.goal_id, r)).collect();
    let mut seen = std::collections::HashSet::new();
    let mut touched = Vec::new();
    let mut add = |r: &Counted| touched.extend(r.unit_id.map(|unit_id| PeriodUnit { period_id: r.period_id, unit_id }));
    for new in &after {
        seen.insert(new.goal_id);
        match old.get(&new.goal_id) {
            Some(o) if o == new => {}
            Some(o) => {
                add(o);
                add(new);
            }
            None => add(new),
        }
    }
    for (id, o) in &old {
        if !seen.contains(id) {
            add(o);
        }
    }
    touched
}

/// Recomputes the counts of these (period, unit) pairs from the board rows.
async fn recount<C: ConnectionTrait>(c: &C, mut touched: Vec<PeriodUnit>) -> StoreResult<()> {
    let b = c.get_database_backend();
    touched.sort();
    touched.dedup();
    for same_period in touched.chunk_by(|x, y| x.period_id == y.period_id) {
        for units in same_period.chunks(500) {
            let marks: Vec<String> = (2..units.len() + 2).map(|i| format!("${i}")).collect();
            let mut values = vec![Value::from(units[0].period_id)];
            values.extend(units.iter().map(|u| Value::from(u.unit_id)));
            let which = format!("period_id = $1 AND unit_id IN ({})", marks.join(","));
            c.execute_raw(raw(b, &format!("DELETE FROM goal_board_count WHERE {which}"), values.clone())).await?;
            let sql = COUNTS.replace("{tracked}", tracked(b)).replace("{yes}", yes(b)).replace("{where}", &which);
            c.execute_raw(raw(b, &sql, values)).await?;
        }
    }
    Ok(())
}

/// The `tracked` column as the counts filter it: not an index column on SQLite (see COUNTS).
fn tracked(b: DbBackend) -> &'static str {
    if b == DbBackend::Sqlite { "+tracked" } else { "tracked" }
}

/// The literal `true` of a backend (SQLite keeps booleans as 0 and 1).
fn yes(b: DbBackend) -> &'static str {
    if b == DbBackend::Sqlite { "1" } else { "TRUE" }
}

/// The board statement for the goals `ids` selects (a list of placeholders or a subquery).
fn board_rows_of(ids: &str) -> String {
    BOARD_ROW.replace("{links}", &format!("child_goal_id IN ({ids})")).replace("{goals}", &format!("g.id IN ({ids})"))
}

/// Rewrites every goal's board row and every count in two statements: for bulk writers (the
/// demo generator), which write goals, links and tracking with the `…_bulk` functions and call
/// this once before committing. Per-chunk refreshes during a bulk load run before PostgreSQL
/// has statistics for the new rows and get sequential plans (the 100 000-person demo went from
/// 120 to 300 s), so the sources are analyzed first.
pub async fn rebuild_all<C: ConnectionTrait>(c: &C) -> StoreResult<()> {
    let b = c.get_database_backend();
    if b == DbBackend::Postgres {
        c.execute_unprepared("ANALYZE goal, goal_owner, employee, goal_tracking, goal_link").await?;
        c.execute_raw(raw(b, "SELECT pg_advisory_xact_lock($1)", vec![Value::from(COUNT_LOCK)])).await?;
    }
    let sql = BOARD_ROW.replace("{links}", "TRUE").replace("{goals}", "TRUE");
    c.execute_raw(raw(b, &sql, vec![])).await?;
    c.execute_unprepared("DELETE FROM goal_board_count").await?;
    c.execute_unprepared(&COUNTS.replace("{tracked}", tracked(b)).replace("{yes}", yes(b)).replace("{where}", "TRUE"))
        .await?;
    Ok(())
}

/// Rewrites the board rows of the goals these people own first (their unit changed).
pub async fn refresh_owned_by<C: ConnectionTrait>(c: &C, employees: &[Uuid]) -> StoreResult<()> {
    let b = c.get_database_backend();
    let mut goals = Vec::new();
    for chunk in employees.chunks(500) {
        let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
        let sql = format!("SELECT goal_id FROM goal_owner WHERE position = 0 AND employee_id IN ({})", marks.join(","));
        let rows = c.query_all_raw(raw(b, &sql, chunk.iter().map(|e| Value::from(*e)).collect())).await?;
        for r in rows {
            goals.push(r.try_get::<Uuid>("", "goal_id")?);
        }
    }
    refresh(c, &goals).await
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
}

/// The tracked goals of a period counted per unit and light, summed up to the units directly
/// below `root`: the kept counts (a few rows per unit), not the goals, meet the unit tree.
pub async fn unit_counts<C: ConnectionTrait>(c: &C, period: Uuid, root: Uuid) -> StoreResult<Vec<UnitCount>> {
    // The group is the count's unit itself when that is a child of the root (or the root: goals
    // set at the root's own level), else its ancestor that is a child of the root. `unit_tree`
    // holds no row of a unit for itself, so the unit's own goals take the second branch; with one
    // branch, a unit's own-level goals were lost on its parent's board (a department's board
    // counted 51 goals where the company's counted the same department's 53).
    let sql = "SELECT g.unit_id, NULLIF(g.light, '') AS light,
                CAST(SUM(g.goals) AS BIGINT) AS goals, CAST(SUM(g.progress_bp) AS BIGINT) AS progress_bp,
                CAST(SUM(g.achieved) AS BIGINT) AS achieved, CAST(SUM(g.aligned) AS BIGINT) AS aligned,
                CAST(SUM(g.alignable) AS BIGINT) AS alignable
         FROM (
           SELECT ut.ancestor_id AS unit_id, x.light, x.goals, x.progress_bp, x.achieved, x.aligned, x.alignable
           FROM goal_board_count x
           JOIN unit_tree ut ON ut.unit_id = x.unit_id
           JOIN unit gu ON gu.id = ut.ancestor_id AND gu.parent_id = $2
           WHERE x.period_id = $1 AND x.goals <> 0
           UNION ALL
           SELECT x.unit_id, x.light, x.goals, x.progress_bp, x.achieved, x.aligned, x.alignable
           FROM goal_board_count x
           JOIN unit gu ON gu.id = x.unit_id AND (gu.parent_id = $2 OR gu.id = $2)
           WHERE x.period_id = $1 AND x.goals <> 0
         ) g
         GROUP BY g.unit_id, g.light";
    let values = vec![Value::from(period), Value::from(root)];
    Ok(UnitCount::find_by_statement(raw(c.get_database_backend(), sql, values)).all(c).await?)
}

/// The goal unit filter of a board read: below `$2`, any depth. On SQLite the column is
/// written `+b.unit_id` so that SQLite walks the period's (light or activity) index in list
/// order and tests the unit on the way, instead of looking up each of the subtree's units (12 000
/// lookups and a sort for the whole organization).
fn below_unit(b: DbBackend) -> &'static str {
    match b {
        DbBackend::Sqlite => "+b.unit_id IN (SELECT r.unit_id FROM unit_tree r WHERE r.ancestor_id = $2)",
        _ => "b.unit_id IN (SELECT r.unit_id FROM unit_tree r WHERE r.ancestor_id = $2)",
    }
}

/// How many tracked goals of a period below `root` have had no update since `before` (the
/// stale list's length): a range of the activity index.
pub async fn stale_count<C: ConnectionTrait>(
    c: &C,
    period: Uuid,
    root: Uuid,
    before: DateTime<Utc>,
) -> StoreResult<i64> {
    let b = c.get_database_backend();
    let sql = format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM goal_board b
         WHERE b.period_id = $1 AND b.tracked = $3 AND b.active_at < $4 AND {}",
        below_unit(b)
    );
    let values = vec![Value::from(period), Value::from(root), Value::from(true), Value::from(before)];
    let row = c.query_one_raw(raw(b, &sql, values)).await?;
    Ok(match row {
        Some(r) => r.try_get::<i64>("", "n")?,
        None => 0,
    })
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
pub enum BoardList<'a> {
    /// One light of the abnormal list (进展异常: red, then yellow), least progress first.
    Light(&'a str),
    /// No update since the cutoff (更新滞后), the longest silent first.
    Stale(DateTime<Utc>),
}

/// A page of a list below `unit` (any depth). The page is chosen on the board table alone, in
/// the order of its index; only its rows are joined to the goal and owner.
pub async fn board_list<C: ConnectionTrait>(
    c: &C,
    period: Uuid,
    unit: Uuid,
    list: BoardList<'_>,
    limit: u64,
    offset: u64,
) -> StoreResult<Vec<BoardGoal>> {
    let b = c.get_database_backend();
    let mut values = vec![Value::from(period), Value::from(unit), Value::from(true)];
    let (filter, order) = match list {
        BoardList::Light(l) => {
            values.push(Value::from(l.to_string()));
            ("b.light = $4", "p.progress_bp, p.goal_id")
        }
        BoardList::Stale(before) => {
            values.push(Value::from(before));
            ("b.active_at < $4", "p.active_at, p.goal_id")
        }
    };
    let sql = format!(
        "SELECT p.goal_id, g.title, p.progress_bp, p.unit_id, COALESCE(e.name, '') AS owner_name,
                COALESCE(e.employee_no, '') AS owner_no, p.light, p.last_update_at, p.created_at
         FROM (
           SELECT b.goal_id, b.progress_bp, b.unit_id, b.light, b.last_update_at, b.created_at, b.active_at
           FROM goal_board b
           WHERE b.period_id = $1 AND b.tracked = $3 AND {filter} AND {below}
           ORDER BY {inner} LIMIT {limit} OFFSET {offset}
         ) p
         JOIN goal g ON g.id = p.goal_id
         LEFT JOIN goal_owner o ON o.goal_id = p.goal_id AND o.position = 0
         LEFT JOIN employee e ON e.id = o.employee_id
         ORDER BY {order}",
        below = below_unit(b),
        inner = order.replace("p.", "b.")
    );
    Ok(BoardGoal::find_by_statement(raw(b, &sql, values)).all(c).await?)
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
    pub active_at: Option<DateTime<Utc>>,
}

/// Every board row, by goal (to check the copy against its sources).
pub async fn rows<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<BoardRow>> {
    let sql = "SELECT goal_id, period_id, unit_id, level, tracked, progress_bp, light, last_update_at, created_at,
                      aligned, active_at
               FROM goal_board ORDER BY goal_id";
    Ok(BoardRow::find_by_statement(raw(c.get_database_backend(), sql, vec![])).all(c).await?)
}

/// A kept count as stored.
#[derive(Debug, Clone, PartialEq, Eq, FromQueryResult)]
pub struct CountRow {
    pub period_id: Uuid,
    pub unit_id: Uuid,
    pub light: String,
    pub goals: i64,
    pub progress_bp: i64,
    pub achieved: i64,
    pub aligned: i64,
    pub alignable: i64,
}

/// Every kept count that is not zero, in key order (to check the counts against the rows).
pub async fn counts<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<CountRow>> {
    let sql = "SELECT period_id, unit_id, light, goals, progress_bp, achieved, aligned, alignable
               FROM goal_board_count WHERE goals <> 0 ORDER BY period_id, unit_id, light";
    Ok(CountRow::find_by_statement(raw(c.get_database_backend(), sql, vec![])).all(c).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(goal: u128, unit: u128, light: Option<&str>, progress_bp: i32) -> Counted {
        Counted {
            goal_id: Uuid::from_u128(goal),
            period_id: Uuid::from_u128(100),
            unit_id: Some(Uuid::from_u128(unit)),
            level: "individual".into(),
            tracked: true,
            progress_bp,
            light: light.map(str::to_string),
            aligned: false,
        }
    }

    fn units(t: Vec<PeriodUnit>) -> Vec<u128> {
        let mut u: Vec<u128> = t.iter().map(|p| p.unit_id.as_u128()).collect();
        u.sort();
        u.dedup();
        u
    }

    #[test]
    fn only_a_change_in_what_is_counted_recounts_a_unit() {
        // The second write of a check-in: same light and progress (only the last update moved).
        let same = changed_units(vec![row(1, 7, Some("green"), 4000)], vec![row(1, 7, Some("green"), 4000)]);
        assert!(same.is_empty());
        // Progress moved: the unit is recounted.
        let moved = changed_units(vec![row(1, 7, Some("green"), 4000)], vec![row(1, 7, Some("green"), 4500)]);
        assert_eq!(units(moved), vec![7]);
        // The goal moved to another unit (its owner did): both units.
        let left = changed_units(vec![row(1, 7, None, 0)], vec![row(1, 8, None, 0)]);
        assert_eq!(units(left), vec![7, 8]);
        // A new row, and a row that went: their units.
        assert_eq!(units(changed_units(vec![], vec![row(2, 9, None, 0)])), vec![9]);
        assert_eq!(units(changed_units(vec![row(3, 6, None, 0)], vec![])), vec![6]);
    }
}
