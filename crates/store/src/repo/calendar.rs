//! The organization's calendar and reminder schedule (T-6), the reminders' recipients, and the
//! record that makes each reminder go out once.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ConnectionTrait, EntityTrait, FromQueryResult, IntoActiveModel, QueryOrder, Value};
use uuid::Uuid;

use waymark_domain::calendar::{Schedule, SentReminder, Settings, SpecialDay};

use crate::closure::raw;
use crate::entities::{calendar_day, org_calendar, reminder_run};
use crate::{StoreResult, unsigned};

/// The organization's settings, if HR has saved them.
pub async fn calendar<C: ConnectionTrait>(c: &C) -> StoreResult<Option<Settings>> {
    let Some(m) = org_calendar::Entity::find_by_id(1).one(c).await? else { return Ok(None) };
    Ok(Some(Settings {
        offset_minutes: m.utc_offset_minutes,
        schedule: Schedule {
            weekly_report: m.weekly_report,
            weekly_weekday: unsigned(m.weekly_weekday, "weekly report weekday")?,
            weekly_hour: unsigned(m.weekly_hour, "weekly report hour")?,
            monthly_check_in: m.monthly_check_in,
            stale_goals: m.stale_goals,
            pending_approvals: m.pending_approvals,
            goal_setting: m.goal_setting,
            review_writing: m.review_writing,
            reminder_hour: unsigned(m.reminder_hour, "reminder hour")?,
        },
    }))
}

/// Saves every setting (all of them: a column left out of the update would keep its first
/// value whatever HR saves later).
pub async fn save_calendar<C: ConnectionTrait>(
    c: &C,
    s: &Settings,
    by: Option<Uuid>,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    use org_calendar::Column as K;
    let m = org_calendar::Model {
        id: 1,
        utc_offset_minutes: s.offset_minutes,
        weekly_report: s.schedule.weekly_report,
        weekly_weekday: s.schedule.weekly_weekday as i32,
        weekly_hour: s.schedule.weekly_hour as i32,
        monthly_check_in: s.schedule.monthly_check_in,
        stale_goals: s.schedule.stale_goals,
        pending_approvals: s.schedule.pending_approvals,
        goal_setting: s.schedule.goal_setting,
        review_writing: s.schedule.review_writing,
        reminder_hour: s.schedule.reminder_hour as i32,
        updated_by: by,
        updated_at: at,
    };
    org_calendar::Entity::insert(m.into_active_model())
        .on_conflict(
            OnConflict::column(K::Id)
                .update_columns([
                    K::UtcOffsetMinutes,
                    K::WeeklyReport,
                    K::WeeklyWeekday,
                    K::WeeklyHour,
                    K::MonthlyCheckIn,
                    K::StaleGoals,
                    K::PendingApprovals,
                    K::GoalSetting,
                    K::ReviewWriting,
                    K::ReminderHour,
                    K::UpdatedBy,
                    K::UpdatedAt,
                ])
                .to_owned(),
        )
        .exec_without_returning(c)
        .await?;
    Ok(())
}

/// The days that differ from Monday–Friday, in date order.
pub async fn days<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<SpecialDay>> {
    Ok(calendar_day::Entity::find()
        .order_by_asc(calendar_day::Column::Day)
        .all(c)
        .await?
        .into_iter()
        .map(|d| SpecialDay { day: d.day, working: d.working, name: d.name })
        .collect())
}

pub async fn put_day<C: ConnectionTrait>(c: &C, d: SpecialDay) -> StoreResult<()> {
    let row = calendar_day::Model { day: d.day, working: d.working, name: d.name };
    calendar_day::Entity::insert(row.into_active_model())
        .on_conflict(
            OnConflict::column(calendar_day::Column::Day)
                .update_columns([calendar_day::Column::Working, calendar_day::Column::Name])
                .to_owned(),
        )
        .exec_without_returning(c)
        .await?;
    Ok(())
}

pub async fn delete_day<C: ConnectionTrait>(c: &C, day: NaiveDate) -> StoreResult<bool> {
    Ok(calendar_day::Entity::delete_by_id(day).exec(c).await?.rows_affected > 0)
}

/// Records that the reminder `key` went out; false if it already had (do not send again).
pub async fn record_run<C: ConnectionTrait>(c: &C, key: &str, recipients: i32, at: DateTime<Utc>) -> StoreResult<bool> {
    let row = reminder_run::Model { key: key.to_string(), recipients, sent_at: at };
    let n = reminder_run::Entity::insert(row.into_active_model())
        .on_conflict(OnConflict::column(reminder_run::Column::Key).do_nothing().to_owned())
        .exec_without_returning(c)
        .await?;
    Ok(n > 0)
}

/// The latest reminders sent, newest first.
pub async fn recent_runs<C: ConnectionTrait>(c: &C, limit: u64) -> StoreResult<Vec<SentReminder>> {
    use sea_orm::QuerySelect;
    Ok(reminder_run::Entity::find()
        .order_by_desc(reminder_run::Column::SentAt)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(|r| SentReminder { key: r.key, recipients: r.recipients, sent_at: r.sent_at })
        .collect())
}

/// A reminder's recipient: a user account and how many things the reminder is about.
#[derive(Debug, Clone, FromQueryResult, PartialEq, Eq)]
pub struct Due {
    pub user_id: Uuid,
    pub count: i64,
}

/// Active people (with an active account) who have not submitted the week's report.
pub async fn weekly_report_missing<C: ConnectionTrait>(c: &C, week: NaiveDate) -> StoreResult<Vec<Due>> {
    let sql = "SELECT u.id AS user_id, CAST(1 AS BIGINT) AS count
        FROM user_account u JOIN employee e ON e.id = u.employee_id
        WHERE u.disabled = $2 AND e.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM weekly_report w
                          WHERE w.employee_id = e.id AND w.week_start = $1 AND w.state = 'submitted')
        ORDER BY u.id";
    let st = raw(c.get_database_backend(), sql, vec![Value::from(week), Value::from(false)]);
    Ok(Due::find_by_statement(st).all(c).await?)
}

/// Active people (with an active account) who own no submitted, approved or filed goal of the
/// period: they have not set their goals yet.
pub async fn goals_not_submitted<C: ConnectionTrait>(c: &C, period: Uuid) -> StoreResult<Vec<Due>> {
    let sql = "SELECT u.id AS user_id, CAST(1 AS BIGINT) AS count
        FROM user_account u JOIN employee e ON e.id = u.employee_id
        WHERE u.disabled = $2 AND e.status = 'active'
          AND NOT EXISTS (SELECT 1 FROM goal_owner o JOIN goal g ON g.id = o.goal_id
                          WHERE o.employee_id = e.id AND g.period_id = $1
                            AND g.status IN ('submitted', 'approved', 'filed'))
        ORDER BY u.id";
    let st = raw(c.get_database_backend(), sql, vec![Value::from(period), Value::from(false)]);
    Ok(Due::find_by_statement(st).all(c).await?)
}

/// Owners (active, with an active account) of unfinished tracked goals of the periods running
/// on `today` with no update since `since` (and set before it), with how many such goals.
pub async fn goals_not_updated_since<C: ConnectionTrait>(
    c: &C,
    today: NaiveDate,
    since: DateTime<Utc>,
) -> StoreResult<Vec<Due>> {
    let sql = "SELECT u.id AS user_id, CAST(COUNT(DISTINCT g.id) AS BIGINT) AS count
        FROM goal g
        JOIN goal_period p ON p.id = g.period_id
        JOIN goal_owner o ON o.goal_id = g.id
        JOIN employee e ON e.id = o.employee_id
        JOIN user_account u ON u.employee_id = e.id
        LEFT JOIN goal_tracking t ON t.goal_id = g.id
        WHERE g.status IN ('submitted', 'approved', 'filed') AND g.progress_bp < 10000
          AND p.starts_on <= $1 AND p.ends_on >= $1 AND g.created_at < $2
          AND (t.last_update_at IS NULL OR t.last_update_at < $2)
          AND u.disabled = $3 AND e.status = 'active'
        GROUP BY u.id ORDER BY u.id";
    let st = raw(c.get_database_backend(), sql, vec![Value::from(today), Value::from(since), Value::from(false)]);
    Ok(Due::find_by_statement(st).all(c).await?)
}

/// Approvers (active accounts) with goals waiting for their manager-step decision.
pub async fn approvals_waiting<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<Due>> {
    let sql = "SELECT u.id AS user_id, CAST(COUNT(*) AS BIGINT) AS count
        FROM goal_approval a JOIN user_account u ON u.employee_id = a.approver_id
        WHERE u.disabled = $1
        GROUP BY u.id ORDER BY u.id";
    let st = raw(c.get_database_backend(), sql, vec![Value::from(false)]);
    Ok(Due::find_by_statement(st).all(c).await?)
}

/// Goals waiting for HR filing, per unit.
#[derive(Debug, Clone, FromQueryResult)]
pub struct FilingWait {
    pub unit_id: Uuid,
    pub count: i64,
}

pub async fn filings_waiting<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<FilingWait>> {
    let sql = "SELECT unit_id, CAST(COUNT(*) AS BIGINT) AS count FROM goal_approval
        WHERE step = 'hr_filing' AND unit_id IS NOT NULL GROUP BY unit_id";
    Ok(FilingWait::find_by_statement(raw(c.get_database_backend(), sql, vec![])).all(c).await?)
}
