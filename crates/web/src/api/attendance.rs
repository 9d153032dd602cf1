//! Working hours and leave per person and week (issue 26, item 1): pushed by the attendance
//! system or imported as a file, and each person's recorded weeks.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_app::attendance::WeekInput;
use waymark_app::import::ImportSummary;

use super::transfer::{ImportQuery, importer};
use super::{ApiJson, ApiPath, ApiQuery};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

/// One person's week as the attendance system sends it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WorkWeekIn {
    /// The person's employee number.
    pub employee_no: String,
    /// Any day of the week (2026-11-30) or its ISO number (2026-W49).
    pub week: String,
    /// Hours worked in the week, 0–168.
    pub hours: f64,
    /// Days of leave taken in the week, 0–7; none taken when absent.
    pub leave_days: Option<f64>,
}

/// Weeks sent together: all recorded or none.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WorkWeeksIn {
    pub weeks: Vec<WorkWeekIn>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WorkWeekOut {
    /// The week's Monday.
    pub week: NaiveDate,
    pub hours: f64,
    /// Days of leave taken; none when the attendance system sent hours alone.
    pub leave_days: Option<f64>,
}

/// Record weeks of working time and leave: all or none. HR, for the people of their units
/// (never themselves). A week already recorded for the person is replaced. Refused rows are
/// numbered as in a file: the first week is row 2.
#[utoipa::path(post, path = "/api/v1/work-weeks", tag = "signals", request_body = WorkWeeksIn,
    responses((status = 200, body = ImportSummary), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, description = "Rows refused; nothing was written", body = Problem)),
    security(("bearer" = [])))]
pub async fn record(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<WorkWeeksIn>,
) -> Result<Json<ImportSummary>, ApiError> {
    let weeks: Vec<WeekInput> = input
        .weeks
        .into_iter()
        .map(|w| WeekInput { employee_no: w.employee_no, week: w.week, hours: w.hours, leave_days: w.leave_days })
        .collect();
    Ok(Json(st.app.attendance().record(&actor, &weeks).await?))
}

/// Weeks as a file: 工号/employee_no, 周/week, 工时/hours, 休假天数/leave_days (CSV or XLSX).
#[utoipa::path(post, path = "/api/v1/import/attendance", tag = "import/export", params(ImportQuery),
    request_body(content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "application/octet-stream"))),
    responses((status = 200, body = ImportSummary), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, description = "Rows refused; nothing was written", body = Problem)),
    security(("bearer" = [])))]
pub async fn import(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportSummary>, ApiError> {
    Ok(Json(importer(&st, &q).import_attendance(&actor, &body, q.filename.as_deref()).await?))
}

/// A person's recorded weeks of the last half year (what the signal rules read): the person
/// and HR of their unit.
#[utoipa::path(get, path = "/api/v1/employees/{id}/work-weeks", tag = "signals", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<WorkWeekOut>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn of_person(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<Json<Vec<WorkWeekOut>>, ApiError> {
    let weeks = st.app.attendance().recent_weeks(&actor, id).await?;
    Ok(Json(
        weeks
            .into_iter()
            .map(|w| WorkWeekOut {
                week: w.week,
                hours: f64::from(w.hours_tenths) / 10.0,
                leave_days: w.leave_tenths.map(|t| f64::from(t) / 10.0),
            })
            .collect(),
    ))
}
