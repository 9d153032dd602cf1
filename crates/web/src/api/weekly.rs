//! Weekly reports and the team digest (T-2), following up (T-6: acknowledging reports, marking
//! check-ins seen, the follow-up rate), and the organization's calendar with its reminders.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::calendar::{CalendarDay, CalendarDayInput, CalendarSettings, CalendarView};
use waymark_app::tracking::{
    AcknowledgeInput, FollowUpBoard, FollowUpView, TeamDigest, WeeklyReportInput, WeeklyReportView,
};

use super::{ApiJson, ApiPath, ApiQuery};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeekQuery {
    /// Any day of the week; this week (in the organization's time zone) by default.
    pub week: Option<NaiveDate>,
    /// Another manager's team (their own managers and HR); one's own by default.
    pub manager: Option<Uuid>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// The month as YYYY-MM; this month by default.
    #[param(pattern = "^[0-9]{4}-[0-9]{2}$")]
    pub month: Option<String>,
    /// Another manager (their own managers and HR); oneself by default.
    pub manager: Option<Uuid>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ManagersQuery {
    /// The month as YYYY-MM; this month by default.
    #[param(pattern = "^[0-9]{4}-[0-9]{2}$")]
    pub month: Option<String>,
    /// 1-based page of 50.
    #[param(minimum = 1)]
    pub page: Option<i32>,
}

fn month(m: &Option<String>) -> Result<Option<NaiveDate>, AppError> {
    match m {
        None => Ok(None),
        Some(m) => waymark_domain::calendar::parse_month(m)
            .map(Some)
            .ok_or_else(|| AppError::field("month", "invalid_format", "write the month as YYYY-MM")),
    }
}

/// One's report of a week: as saved, or (state `new`) a draft prefilled from the week's
/// check-ins and the goals behind pace.
#[utoipa::path(get, path = "/api/v1/me/weekly-report", tag = "weekly", params(WeekQuery),
    responses((status = 200, body = WeeklyReportView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn my_week(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<WeekQuery>,
) -> ApiResult<Json<WeeklyReportView>> {
    Ok(Json(st.app.tracking().my_week(&actor, q.week).await?))
}

/// One's latest weekly reports, newest first.
#[utoipa::path(get, path = "/api/v1/me/weekly-reports", tag = "weekly",
    responses((status = 200, body = [WeeklyReportView]), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn my_recent(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<WeeklyReportView>>> {
    Ok(Json(st.app.tracking().my_recent_weeks(&actor).await?))
}

/// Save one's report of the week holding `week` (any day of it); `submit` sends it to the
/// manager, who hears at once if it names blockers. Editable until the manager has seen it.
#[utoipa::path(put, path = "/api/v1/me/weekly-reports/{week}", tag = "weekly", params(("week" = NaiveDate, Path)), request_body = WeeklyReportInput,
    responses((status = 200, body = WeeklyReportView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn save_week(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(week): ApiPath<NaiveDate>,
    ApiJson(input): ApiJson<WeeklyReportInput>,
) -> ApiResult<Json<WeeklyReportView>> {
    Ok(Json(st.app.tracking().save_week(&actor, week, input).await?))
}

/// A manager's week: each direct report's submitted report and goals in trouble, blockers
/// first, then red goals and open alerts, then yellow, then the rest.
#[utoipa::path(get, path = "/api/v1/weekly-digest", tag = "weekly", params(WeekQuery),
    responses((status = 200, body = TeamDigest), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn digest(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<WeekQuery>,
) -> ApiResult<Json<TeamDigest>> {
    Ok(Json(st.app.tracking().team_digest(&actor, q.week, q.manager).await?))
}

/// A manager in the person's line marks their submitted report seen, with an optional comment;
/// the week's check-ins count as seen too.
#[utoipa::path(post, path = "/api/v1/weekly-reports/{id}/acknowledge", tag = "weekly", params(("id" = Uuid, Path)), request_body = AcknowledgeInput,
    responses((status = 200, body = WeeklyReportView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn acknowledge(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<AcknowledgeInput>,
) -> ApiResult<Json<WeeklyReportView>> {
    Ok(Json(st.app.tracking().acknowledge(&actor, id, input).await?))
}

/// A manager in the author's line marks one check-in seen (for the follow-up rate).
#[utoipa::path(post, path = "/api/v1/check-ins/{id}/review", tag = "weekly", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn review_check_in(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    st.app.tracking().review_check_in(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A manager's follow-up rate in a month, per direct report (T-6).
#[utoipa::path(get, path = "/api/v1/follow-up", tag = "weekly", params(MonthQuery),
    responses((status = 200, body = FollowUpView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn follow_up(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<MonthQuery>,
) -> ApiResult<Json<FollowUpView>> {
    let m = month(&q.month)?;
    Ok(Json(st.app.tracking().follow_up(&actor, q.manager, m).await?))
}

/// Every manager's follow-up rate in a month within the HR scope, lowest first (T-6).
#[utoipa::path(get, path = "/api/v1/follow-up/managers", tag = "weekly", params(ManagersQuery),
    responses((status = 200, body = FollowUpBoard), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn follow_up_board(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<ManagersQuery>,
) -> ApiResult<Json<FollowUpBoard>> {
    let m = month(&q.month)?;
    Ok(Json(st.app.tracking().follow_up_board(&actor, m, q.page).await?))
}

/// The organization's time zone, reminder schedule, holidays, the next two weeks' reminders
/// and the latest sent.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "weekly",
    responses((status = 200, body = CalendarView), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn calendar(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<CalendarView>> {
    Ok(Json(st.app.calendar().view(&actor).await?))
}

/// Set the time zone and reminder schedule (organization-wide HR); audited.
#[utoipa::path(put, path = "/api/v1/calendar", tag = "weekly", request_body = CalendarSettings,
    responses((status = 200, body = CalendarSettings), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn save_calendar(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<CalendarSettings>,
) -> ApiResult<Json<CalendarSettings>> {
    Ok(Json(st.app.calendar().save(&actor, input).await?))
}

/// Set a holiday (`working: false`) or make-up working day (organization-wide HR).
#[utoipa::path(put, path = "/api/v1/calendar/days/{day}", tag = "weekly", params(("day" = NaiveDate, Path)), request_body = CalendarDayInput,
    responses((status = 200, body = CalendarDay), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn put_day(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(day): ApiPath<NaiveDate>,
    ApiJson(input): ApiJson<CalendarDayInput>,
) -> ApiResult<Json<CalendarDay>> {
    Ok(Json(st.app.calendar().put_day(&actor, day, input).await?))
}

/// Make a day ordinary again (organization-wide HR).
#[utoipa::path(delete, path = "/api/v1/calendar/days/{day}", tag = "weekly", params(("day" = NaiveDate, Path)),
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete_day(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(day): ApiPath<NaiveDate>,
) -> ApiResult<StatusCode> {
    st.app.calendar().delete_day(&actor, day).await?;
    Ok(StatusCode::NO_CONTENT)
}
