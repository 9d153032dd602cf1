//! Weekly reports (T-2), managers' "seen" on check-ins, and the counts of the follow-up rate
//! (T-6).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, Value};
use uuid::Uuid;

use crate::StoreResult;
use crate::closure::raw;
use crate::entities::{check_in, weekly_report};

pub const DRAFT: &str = "draft";
pub const SUBMITTED: &str = "submitted";

pub async fn report<C: ConnectionTrait>(
    c: &C,
    employee: Uuid,
    week: NaiveDate,
) -> StoreResult<Option<weekly_report::Model>> {
    Ok(weekly_report::Entity::find()
        .filter(weekly_report::Column::EmployeeId.eq(employee))
        .filter(weekly_report::Column::WeekStart.eq(week))
        .one(c)
        .await?)
}

pub async fn report_by_id<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<weekly_report::Model>> {
    Ok(weekly_report::Entity::find_by_id(id).one(c).await?)
}

/// Writes a person's report of a week: a second save of the same week (another tab, a retry)
/// updates the one row instead of failing on the unique week. A report acknowledged in the
/// meantime is left alone: false.
pub async fn save_report<C: ConnectionTrait>(c: &C, m: weekly_report::Model) -> StoreResult<bool> {
    use sea_orm::sea_query::{Expr, ExprTrait};
    use weekly_report::Column as W;
    let n = weekly_report::Entity::insert(weekly_report::ActiveModel::from(m))
        .on_conflict(
            OnConflict::columns([W::EmployeeId, W::WeekStart])
                .update_columns([W::Done, W::Blockers, W::NextWeek, W::State, W::SubmittedAt, W::UpdatedAt])
                .action_and_where(Expr::col((weekly_report::Entity, W::AcknowledgedAt)).is_null())
                .to_owned(),
        )
        .exec_without_returning(c)
        .await?;
    Ok(n > 0)
}

/// Records a manager's acknowledgement of a submitted report, once: false if it was not
/// submitted or someone acknowledged it first.
pub async fn acknowledge<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    by: Uuid,
    name: &str,
    comment: Option<String>,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    use sea_orm::sea_query::Expr;
    use weekly_report::Column as W;
    let r = weekly_report::Entity::update_many()
        .col_expr(W::AcknowledgedBy, Expr::value(by))
        .col_expr(W::AcknowledgedName, Expr::value(name.to_string()))
        .col_expr(W::AcknowledgedAt, Expr::value(at))
        .col_expr(W::Comment, Expr::value(comment))
        .filter(W::Id.eq(id))
        .filter(W::State.eq(SUBMITTED))
        .filter(W::AcknowledgedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// Many reports at once (the demo).
pub async fn insert_reports<C: ConnectionTrait>(c: &C, rows: Vec<weekly_report::Model>) -> StoreResult<()> {
    for chunk in rows.chunks(500) {
        weekly_report::Entity::insert_many(chunk.iter().cloned().map(weekly_report::ActiveModel::from))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

/// The reports of some people for one week.
pub async fn reports_of_week<C: ConnectionTrait>(
    c: &C,
    employees: &[Uuid],
    week: NaiveDate,
) -> StoreResult<Vec<weekly_report::Model>> {
    let mut out = Vec::new();
    for chunk in employees.chunks(500) {
        out.extend(
            weekly_report::Entity::find()
                .filter(weekly_report::Column::WeekStart.eq(week))
                .filter(weekly_report::Column::EmployeeId.is_in(chunk.to_vec()))
                .all(c)
                .await?,
        );
    }
    Ok(out)
}

/// A person's latest reports, newest week first.
pub async fn recent_reports<C: ConnectionTrait>(
    c: &C,
    employee: Uuid,
    limit: u64,
) -> StoreResult<Vec<weekly_report::Model>> {
    use sea_orm::QuerySelect;
    Ok(weekly_report::Entity::find()
        .filter(weekly_report::Column::EmployeeId.eq(employee))
        .order_by_desc(weekly_report::Column::WeekStart)
        .limit(limit)
        .all(c)
        .await?)
}

/// The check-ins a person wrote on days `from` to `to` (inclusive), oldest first.
pub async fn check_ins_by<C: ConnectionTrait>(
    c: &C,
    author: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> StoreResult<Vec<check_in::Model>> {
    Ok(check_in::Entity::find()
        .filter(check_in::Column::AuthorId.eq(author))
        .filter(check_in::Column::OnDate.gte(from))
        .filter(check_in::Column::OnDate.lte(to))
        .order_by_asc(check_in::Column::CreatedAt)
        .order_by_asc(check_in::Column::Id)
        .all(c)
        .await?)
}

/// Marks a person's check-ins of days `from` to `to` seen by `reviewer`, those not yet seen.
pub async fn mark_reviewed<C: ConnectionTrait>(
    c: &C,
    author: Uuid,
    from: NaiveDate,
    to: NaiveDate,
    reviewer: Uuid,
    at: DateTime<Utc>,
) -> StoreResult<u64> {
    use sea_orm::sea_query::Expr;
    let r = check_in::Entity::update_many()
        .col_expr(check_in::Column::ReviewedBy, Expr::value(reviewer))
        .col_expr(check_in::Column::ReviewedAt, Expr::value(at))
        .filter(check_in::Column::AuthorId.eq(author))
        .filter(check_in::Column::OnDate.gte(from))
        .filter(check_in::Column::OnDate.lte(to))
        .filter(check_in::Column::ReviewedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected)
}

/// Marks one check-in seen (if it was not yet).
pub async fn mark_one_reviewed<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    reviewer: Uuid,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    use sea_orm::sea_query::Expr;
    let r = check_in::Entity::update_many()
        .col_expr(check_in::Column::ReviewedBy, Expr::value(reviewer))
        .col_expr(check_in::Column::ReviewedAt, Expr::value(at))
        .filter(check_in::Column::Id.eq(id))
        .filter(check_in::Column::ReviewedAt.is_null())
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// One report's month as their manager's follow-up counts it.
#[derive(Debug, Clone, FromQueryResult, PartialEq, Eq)]
pub struct FollowUpRow {
    pub manager_id: Uuid,
    pub employee_id: Uuid,
    pub check_ins: i64,
    pub reviewed: i64,
    pub reports: i64,
    pub acknowledged: i64,
    /// 1:1s held (F-1).
    pub one_on_ones: i64,
}

/// Check-ins (by people, not systems) made on days `from` to `to`, submitted weekly reports
/// of the weeks ending in them (a week counts in the month of its Sunday) and 1:1s held from
/// `held_from` to `held_to` (the same days as instants), per person and their manager: of
/// `people` if given (read by author, through their indexes), else of everyone (HR's list of
/// managers: one aggregate over the month).
pub async fn follow_up<C: ConnectionTrait>(
    c: &C,
    from: NaiveDate,
    to: NaiveDate,
    (held_from, held_to): (DateTime<Utc>, DateTime<Utc>),
    people: Option<&[Uuid]>,
) -> StoreResult<Vec<FollowUpRow>> {
    let b = c.get_database_backend();
    let mut out: Vec<FollowUpRow> = Vec::new();
    let chunks: Vec<Option<&[Uuid]>> = match people {
        None => vec![None],
        Some([]) => vec![],
        Some(p) => p.chunks(500).map(Some).collect(),
    };
    for chunk in chunks {
        let (week_from, week_to) = (from - chrono::Duration::days(6), to - chrono::Duration::days(6));
        let mut values = vec![
            Value::from(from),
            Value::from(to),
            Value::from(week_from),
            Value::from(week_to),
            Value::from(held_from),
            Value::from(held_to),
        ];
        let (by_author, by_employee, by_report) = match chunk {
            None => (String::new(), String::new(), String::new()),
            Some(ids) => {
                let marks: Vec<String> = (0..ids.len()).map(|i| format!("${}", i + 7)).collect();
                values.extend(ids.iter().map(|i| Value::from(*i)));
                let list = marks.join(",");
                (
                    format!(" AND ci.author_id IN ({list})"),
                    format!(" AND w.employee_id IN ({list})"),
                    format!(" AND o.report_id IN ({list})"),
                )
            }
        };
        // Check-ins and reports count for the person's manager now; a 1:1 for the manager who
        // held it.
        let sql = format!(
            "SELECT manager_id, employee_id, CAST(SUM(check_ins) AS BIGINT) AS check_ins,
                    CAST(SUM(reviewed) AS BIGINT) AS reviewed, CAST(SUM(reports) AS BIGINT) AS reports,
                    CAST(SUM(acknowledged) AS BIGINT) AS acknowledged, CAST(SUM(one_on_ones) AS BIGINT) AS one_on_ones
             FROM (
               SELECT e.manager_id AS manager_id, e.id AS employee_id, COUNT(*) AS check_ins,
                      COUNT(ci.reviewed_at) AS reviewed, 0 AS reports, 0 AS acknowledged, 0 AS one_on_ones
               FROM check_in ci JOIN employee e ON e.id = ci.author_id
               WHERE ci.on_date >= $1 AND ci.on_date <= $2 AND ci.source = 'person'
                 AND e.manager_id IS NOT NULL{by_author}
               GROUP BY e.manager_id, e.id
               UNION ALL
               SELECT e.manager_id, e.id, 0, 0, COUNT(*), COUNT(w.acknowledged_at), 0
               FROM weekly_report w JOIN employee e ON e.id = w.employee_id
               WHERE w.week_start >= $3 AND w.week_start <= $4 AND w.state = 'submitted'
                 AND e.manager_id IS NOT NULL{by_employee}
               GROUP BY e.manager_id, e.id
               UNION ALL
               SELECT o.manager_id, o.report_id, 0, 0, 0, 0, COUNT(*)
               FROM one_on_one o
               WHERE o.state = 'held' AND o.starts_at >= $5 AND o.starts_at < $6{by_report}
               GROUP BY o.manager_id, o.report_id
             ) x GROUP BY manager_id, employee_id"
        );
        out.extend(FollowUpRow::find_by_statement(raw(b, &sql, values)).all(c).await?);
    }
    Ok(out)
}

/// A goal of the periods running on a day, with its owner, light and open alerts: what the
/// digest and the report's "next week" are made from.
#[derive(Debug, Clone, FromQueryResult)]
pub struct OwnedGoal {
    pub employee_id: Uuid,
    pub goal_id: Uuid,
    pub title: String,
    pub light: Option<String>,
    pub open_alerts: i64,
    pub last_update_at: Option<DateTime<Utc>>,
}

pub async fn running_goals_of<C: ConnectionTrait>(
    c: &C,
    owners: &[Uuid],
    today: NaiveDate,
) -> StoreResult<Vec<OwnedGoal>> {
    let b = c.get_database_backend();
    let mut out = Vec::new();
    for chunk in owners.chunks(500) {
        let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT o.employee_id, g.id AS goal_id, g.title, t.status AS light, t.last_update_at,
                    (SELECT COUNT(*) FROM risk_alert a WHERE a.goal_id = g.id AND a.state = 'open') AS open_alerts
             FROM goal g
             JOIN goal_owner o ON o.goal_id = g.id
             JOIN goal_period p ON p.id = g.period_id
             LEFT JOIN goal_tracking t ON t.goal_id = g.id
             WHERE o.employee_id IN ({}) AND g.status IN ('submitted', 'approved', 'filed')
               AND p.starts_on <= $1 AND p.ends_on >= $1
             ORDER BY g.created_at, g.id",
            marks.join(",")
        );
        let mut values = vec![Value::from(today)];
        values.extend(chunk.iter().map(|i| Value::from(*i)));
        out.extend(OwnedGoal::find_by_statement(raw(b, &sql, values)).all(c).await?);
    }
    Ok(out)
}
