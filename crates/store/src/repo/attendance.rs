//! Working time and leave per person and week (issue 26, item 1): saved as imported or pushed,
//! one row per person and week, and read by the signal computation as each person's tallies.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, Func, OnConflict, SimpleExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;
use waymark_domain::attendance::WorkWeek;
use waymark_domain::signals::{OVERTIME_TENTHS, Windows, WorkFacts, WorkTally};

use crate::StoreResult;
use crate::entities::work_week::{self, Column};

/// People per read of their existing weeks, and rows per insert: well under SQLite's limit on
/// parameters (8 columns a row).
const CHUNK: usize = 100;

/// What saving a batch of weeks did: weeks new, weeks replaced with other figures, and weeks
/// already recorded as they are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Saved {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

fn tenths(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

/// Saves `weeks` (one per person and week; a week already recorded is replaced), recording
/// where they came from (`import` or `api`), when and by whom.
pub async fn save<C: ConnectionTrait>(
    c: &C,
    weeks: &[WorkWeek],
    source: &str,
    at: DateTime<Utc>,
    by: Option<Uuid>,
) -> StoreResult<Saved> {
    let mut saved = Saved::default();
    let mut by_person: HashMap<Uuid, Vec<&WorkWeek>> = HashMap::new();
    for w in weeks {
        by_person.entry(w.person).or_default().push(w);
    }
    let people: Vec<Uuid> = by_person.keys().copied().collect();
    let (Some(first), Some(last)) = (weeks.iter().map(|w| w.week).min(), weeks.iter().map(|w| w.week).max()) else {
        return Ok(saved);
    };
    let mut existing: HashMap<(Uuid, NaiveDate), work_week::Model> = HashMap::new();
    for chunk in people.chunks(CHUNK) {
        let rows = work_week::Entity::find()
            .filter(Column::EmployeeId.is_in(chunk.iter().copied()))
            .filter(Column::WeekStart.between(first, last))
            .all(c)
            .await?;
        existing.extend(rows.into_iter().map(|r| ((r.employee_id, r.week_start), r)));
    }
    let mut new_rows = Vec::new();
    for w in weeks {
        let (hours_tenths, leave_tenths) = (tenths(w.hours_tenths), w.leave_tenths.map(tenths));
        match existing.remove(&(w.person, w.week)) {
            Some(r) if r.hours_tenths == hours_tenths && r.leave_tenths == leave_tenths => saved.unchanged += 1,
            Some(r) => {
                let mut a = r.into_active_model();
                a.hours_tenths = Set(hours_tenths);
                a.leave_tenths = Set(leave_tenths);
                a.source = Set(source.to_string());
                a.recorded_at = Set(at);
                a.recorded_by = Set(by);
                a.update(c).await?;
                saved.updated += 1;
            }
            None => {
                new_rows.push(row(w, source, at, by).into_active_model());
                saved.created += 1;
            }
        }
    }
    // Another import of the same weeks may commit between the read above and these inserts
    // (PostgreSQL writers run side by side): the later one replaces the week, as if it had read it.
    let replace = OnConflict::columns([Column::EmployeeId, Column::WeekStart])
        .update_columns([
            Column::HoursTenths,
            Column::LeaveTenths,
            Column::Source,
            Column::RecordedAt,
            Column::RecordedBy,
        ])
        .to_owned();
    let mut rows = new_rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).collect();
        work_week::Entity::insert_many(chunk).on_conflict(replace.clone()).exec_without_returning(c).await?;
    }
    Ok(saved)
}

/// Writes weeks known to be new (the demo's), in large statements.
pub async fn insert_new<C: ConnectionTrait>(
    c: &C,
    weeks: &[WorkWeek],
    source: &str,
    at: DateTime<Utc>,
    by: Option<Uuid>,
) -> StoreResult<()> {
    // 8 parameters a row: 1 000 rows stay under both databases' limits (32 766 and 65 535).
    for chunk in weeks.chunks(1_000) {
        let rows = chunk.iter().map(|w| row(w, source, at, by).into_active_model());
        work_week::Entity::insert_many(rows).exec_without_returning(c).await?;
    }
    Ok(())
}

fn row(w: &WorkWeek, source: &str, at: DateTime<Utc>, by: Option<Uuid>) -> work_week::Model {
    work_week::Model {
        id: Uuid::now_v7(),
        employee_id: w.person,
        week_start: w.week,
        hours_tenths: tenths(w.hours_tenths),
        leave_tenths: w.leave_tenths.map(tenths),
        source: source.to_string(),
        recorded_at: at,
        recorded_by: by,
    }
}

/// One person's recorded weeks from `from` on, oldest first.
pub async fn weeks_of<C: ConnectionTrait>(c: &C, person: Uuid, from: NaiveDate) -> StoreResult<Vec<WorkWeek>> {
    let rows = work_week::Entity::find()
        .filter(Column::EmployeeId.eq(person))
        .filter(Column::WeekStart.gte(from))
        .order_by_asc(Column::WeekStart)
        .all(c)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| WorkWeek {
            person: r.employee_id,
            week: r.week_start,
            hours_tenths: r.hours_tenths.max(0) as u32,
            leave_tenths: r.leave_tenths.map(|t| t.max(0) as u32),
        })
        .collect())
}

/// A person, then weeks, weeks over and hours of the recent window; the same of the one before;
/// weeks and leave of the leave window.
type TallyRow = (Uuid, i64, i64, i64, i64, i64, i64, i64, i64);

/// Each person's attendance over the windows of `w` (complete weeks only), summed by the
/// database: one row per person with weeks recorded, whatever the organization's size.
pub async fn tallies<C: ConnectionTrait>(c: &C, w: &Windows) -> StoreResult<Vec<(Uuid, WorkFacts)>> {
    // Leave is read from the weeks whose leave is known.
    let leave = Condition::all().add(Column::WeekStart.gte(w.leave_from())).add(Column::LeaveTenths.is_not_null());
    let recent = Condition::all().add(Column::WeekStart.gte(w.work_recent_from()));
    let earlier = Condition::all()
        .add(Column::WeekStart.gte(w.work_earlier_from()))
        .add(Column::WeekStart.lt(w.work_recent_from()));
    let over = |window: Condition| window.add(Column::HoursTenths.gt(tenths(OVERTIME_TENTHS)));
    let sum = |when: Condition, then: SimpleExpr| Expr::expr(Func::sum(Expr::case(when, then).finally(0)));
    let one = || SimpleExpr::from(1);
    let hours = || SimpleExpr::from(Expr::col(Column::HoursTenths));
    let rows: Vec<TallyRow> = work_week::Entity::find()
        .select_only()
        .column(Column::EmployeeId)
        .column_as(sum(recent.clone(), one()), "recent_weeks")
        .column_as(sum(over(recent.clone()), one()), "recent_over")
        .column_as(sum(recent, hours()), "recent_hours")
        .column_as(sum(earlier.clone(), one()), "earlier_weeks")
        .column_as(sum(over(earlier.clone()), one()), "earlier_over")
        .column_as(sum(earlier, hours()), "earlier_hours")
        .column_as(sum(leave.clone(), one()), "leave_weeks")
        .column_as(sum(leave, SimpleExpr::from(Expr::col(Column::LeaveTenths))), "leave_tenths")
        .filter(Column::WeekStart.gte(w.leave_from().min(w.work_earlier_from())))
        .filter(Column::WeekStart.lt(w.work_until()))
        .group_by(Column::EmployeeId)
        .into_tuple()
        .all(c)
        .await?;
    let n = |v: i64| v.clamp(0, i64::from(u32::MAX)) as u32;
    Ok(rows
        .into_iter()
        .map(|(id, rw, ro, rh, ew, eo, eh, lw, lt)| {
            let recent = WorkTally { weeks: n(rw), over: n(ro), hours_tenths: n(rh), leave_tenths: 0 };
            let earlier = WorkTally { weeks: n(ew), over: n(eo), hours_tenths: n(eh), leave_tenths: 0 };
            let leave = WorkTally { weeks: n(lw), over: 0, hours_tenths: 0, leave_tenths: n(lt) };
            (id, WorkFacts { recent, earlier, leave })
        })
        .collect())
}
