//! Progress tracking (SPEC §3): check-ins and their files, KPI actuals from other systems, a
//! goal's status, timeline and alerts, review tasks, the thresholds and the sweep.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use waymark_app::tracking::{
    AlertView, BoardQuery, CheckInInput, CheckInView, DismissInput, ExecutiveBoard, ExecutiveQuery, GoalCheckInInput,
    HrBoard, KpiActualInput, ReviewTaskInput, ReviewTaskView, SweepReport, TaskDoneInput, TimelinePage,
    TrackingSettingsView, TrackingView, Upload,
};

use super::{ApiJson, ApiPath, ApiQuery};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

/// A goal's status with its reason, the chart's series (progress at the end of each day), one
/// page of its check-ins (newest first; `before` and `limit` page through them), the period
/// for the ideal pace, alerts with their evidence, review tasks and recorded status changes.
#[utoipa::path(get, path = "/api/v1/goals/{id}/tracking", tag = "tracking", params(("id" = Uuid, Path), TimelinePage),
    responses((status = 200, body = TrackingView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn tracking(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(page): ApiQuery<TimelinePage>,
) -> ApiResult<Json<TrackingView>> {
    Ok(Json(st.app.tracking().tracking(&actor, id, page).await?))
}

/// A check-in on a goal as a whole: confidence and a note (T-1).
#[utoipa::path(post, path = "/api/v1/goals/{id}/check-ins", tag = "tracking", params(("id" = Uuid, Path)), request_body = GoalCheckInInput,
    responses((status = 200, body = CheckInView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn check_in_goal(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<GoalCheckInInput>,
) -> ApiResult<Json<CheckInView>> {
    Ok(Json(st.app.tracking().check_in_goal(&actor, id, input, vec![]).await?))
}

/// A check-in on a key result: its new value (or % of the way), confidence and a note (T-1).
/// The goal and every goal it supports roll up; status and alerts follow.
#[utoipa::path(post, path = "/api/v1/key-results/{id}/check-ins", tag = "tracking", params(("id" = Uuid, Path)), request_body = CheckInInput,
    responses((status = 200, body = CheckInView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn check_in_key_result(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<CheckInInput>,
) -> ApiResult<Json<CheckInView>> {
    Ok(Json(st.app.tracking().check_in_key_result(&actor, id, input, vec![]).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FileQuery {
    /// The file's name; its extension decides the type (png, jpg, gif, webp, pdf, xlsx,
    /// docx, pptx, txt, csv, md), which the content must match.
    pub filename: String,
}

/// Attach a file to a check-in: the file itself is the body.
#[utoipa::path(post, path = "/api/v1/check-ins/{id}/attachments", tag = "tracking", params(("id" = Uuid, Path), FileQuery),
    request_body(content((String = "application/octet-stream"))),
    responses((status = 200, body = CheckInView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn attach(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<FileQuery>,
    body: Bytes,
) -> ApiResult<Json<CheckInView>> {
    let files = vec![Upload { file_name: q.filename, bytes: body.to_vec() }];
    Ok(Json(st.app.tracking().attach(&actor, id, files).await?))
}

/// An attachment, to people who may read its goal.
#[utoipa::path(get, path = "/api/v1/attachments/{id}", tag = "tracking", params(("id" = Uuid, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn attachment(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Response> {
    let a = st.app.tracking().attachment(&actor, id).await?;
    Ok(attachment_response(a))
}

/// The file with the type we decided at upload; never sniffed, never a page of ours.
fn attachment_response(a: waymark_app::tracking::Attachment) -> Response {
    let disposition = if a.inline { "inline" } else { "attachment" };
    (
        [
            (header::CONTENT_TYPE, a.content_type),
            (header::CONTENT_DISPOSITION, format!("{disposition}; filename*=UTF-8''{}", percent_encode(&a.file_name))),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
            (header::CONTENT_SECURITY_POLICY, "sandbox; default-src 'none'".into()),
            (header::CACHE_CONTROL, "private, max-age=3600".into()),
        ],
        a.bytes,
    )
        .into_response()
}

/// RFC 5987 encoding of a file name: unreserved ASCII as is, every other byte as %XX.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A metric value from another system (T-4), e.g. the CRM's signed revenue each night. A resend
/// with the same `external_id` returns the first without recording it again.
#[utoipa::path(post, path = "/api/v1/kpi-actuals", tag = "tracking", request_body = KpiActualInput,
    responses((status = 200, body = CheckInView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn push_actual(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<KpiActualInput>,
) -> ApiResult<Json<CheckInView>> {
    Ok(Json(st.app.tracking().push_actual(&actor, input).await?))
}

/// Dismiss an alert, saying why it needs no action.
#[utoipa::path(post, path = "/api/v1/alerts/{id}/dismiss", tag = "tracking", params(("id" = Uuid, Path)), request_body = DismissInput,
    responses((status = 200, body = AlertView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn dismiss_alert(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<DismissInput>,
) -> ApiResult<Json<AlertView>> {
    Ok(Json(st.app.tracking().dismiss_alert(&actor, id, input).await?))
}

/// Open a review task (专项复盘) on a goal, from one of its alerts or on its own.
#[utoipa::path(post, path = "/api/v1/goals/{id}/review-tasks", tag = "tracking", params(("id" = Uuid, Path)), request_body = ReviewTaskInput,
    responses((status = 200, body = ReviewTaskView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn open_review_task(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ReviewTaskInput>,
) -> ApiResult<Json<ReviewTaskView>> {
    Ok(Json(st.app.tracking().open_review_task(&actor, id, input).await?))
}

/// Close a review task with what it found and decided.
#[utoipa::path(post, path = "/api/v1/review-tasks/{id}/done", tag = "tracking", params(("id" = Uuid, Path)), request_body = TaskDoneInput,
    responses((status = 200, body = ReviewTaskView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn complete_task(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<TaskDoneInput>,
) -> ApiResult<Json<ReviewTaskView>> {
    Ok(Json(st.app.tracking().complete_task(&actor, id, input).await?))
}

/// The organization's status thresholds and risk rules.
#[utoipa::path(get, path = "/api/v1/tracking-settings", tag = "tracking",
    responses((status = 200, body = TrackingSettingsView), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn settings(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<TrackingSettingsView>> {
    Ok(Json(st.app.tracking().settings(&actor).await?))
}

/// Set the thresholds (organization-wide HR).
#[utoipa::path(put, path = "/api/v1/tracking-settings", tag = "tracking", request_body = TrackingSettingsView,
    responses((status = 200, body = TrackingSettingsView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn save_settings(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<TrackingSettingsView>,
) -> ApiResult<Json<TrackingSettingsView>> {
    Ok(Json(st.app.tracking().save_settings(&actor, input).await?))
}

/// Evaluate every tracked goal now (the nightly sweep; organization-wide HR).
#[utoipa::path(post, path = "/api/v1/tracking/sweep", tag = "tracking",
    responses((status = 200, body = SweepReport), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn sweep(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<SweepReport>> {
    Ok(Json(st.app.tracking().sweep(&actor).await?))
}

/// The executive board (T-5): the period's company goals with the goals supporting them two
/// levels down, their progress and lights. Executives and HR; only goals the reader may see.
#[utoipa::path(get, path = "/api/v1/boards/executive", tag = "tracking", params(ExecutiveQuery),
    responses((status = 200, body = ExecutiveBoard), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn executive_board(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<ExecutiveQuery>,
) -> ApiResult<Json<ExecutiveBoard>> {
    Ok(Json(st.app.tracking().executive_board(&actor, &q).await?))
}

/// The HR board (T-5) of a period and unit: completion, alignment, lights per unit below, and a
/// page of the 进展异常 (abnormal) or 更新滞后 (stale) list. HR of the unit.
#[utoipa::path(get, path = "/api/v1/boards/hr", tag = "tracking", params(BoardQuery),
    responses((status = 200, body = HrBoard), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn hr_board(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<BoardQuery>,
) -> ApiResult<Json<HrBoard>> {
    Ok(Json(st.app.tracking().hr_board(&actor, &q).await?))
}

/// The chosen list in full as CSV (UTF-8 with BOM; Chinese headers).
#[utoipa::path(get, path = "/api/v1/boards/hr/export", tag = "tracking", params(BoardQuery),
    responses((status = 200, description = "CSV", content_type = "text/csv"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn hr_board_export(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<BoardQuery>,
) -> ApiResult<Response> {
    let bytes = st.app.tracking().hr_board_csv(&actor, &q, false).await?;
    Ok(board_file(bytes, &q))
}

/// The board's export as a download named after its list.
pub fn board_file(bytes: Vec<u8>, q: &BoardQuery) -> Response {
    let what = if q.list.as_deref() == Some("stale") { "stale-updates" } else { "abnormal-progress" };
    super::transfer::file_response(bytes, waymark_app::import::FileFormat::Csv, what)
}
