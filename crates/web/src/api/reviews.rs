//! Reviews (V-1, V-2, V-3): templates and cycles for HR; review tasks, peers, the review form
//! with its evidence, and scores with how they were computed.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use uuid::Uuid;
use waymark_app::reviews::{
    CycleHealth, CycleInput, CycleView, LockedReview, MoveInput, NominationView, PeerDecisionInput, PeersInput,
    ResultView, ReviewForm, ReviewInput, ReviewTemplateInput, ReviewTemplateView, SessionInput, SessionSummary,
    SessionView, StageInput, TaskView, UnlockInput,
};

use super::{ApiJson, ApiJsonList, ApiPath, ApiQuery};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

/// Review templates (everyone signed in reads them).
#[utoipa::path(get, path = "/api/v1/review-templates", tag = "reviews",
    responses((status = 200, body = Vec<ReviewTemplateView>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn templates(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<Vec<ReviewTemplateView>>> {
    Ok(Json(st.app.reviews().templates(&actor).await?))
}

/// Creates a template (HR): items in sections, the scale with its anchors, source weights adding
/// up to 100, a formula checked now (unknown names, syntax, division by zero), the grades.
#[utoipa::path(post, path = "/api/v1/review-templates", tag = "reviews", request_body = ReviewTemplateInput,
    responses((status = 201, body = ReviewTemplateView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_template(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<ReviewTemplateInput>,
) -> ApiResult<(StatusCode, Json<ReviewTemplateView>)> {
    Ok((StatusCode::CREATED, Json(st.app.reviews().save_template(&actor, None, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/review-templates/{id}", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = ReviewTemplateView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn template(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<ReviewTemplateView>> {
    Ok(Json(st.app.reviews().template(&actor, id).await?))
}

/// Replaces a template no cycle uses yet.
#[utoipa::path(put, path = "/api/v1/review-templates/{id}", tag = "reviews", params(("id" = Uuid, Path)), request_body = ReviewTemplateInput,
    responses((status = 200, body = ReviewTemplateView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_template(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ReviewTemplateInput>,
) -> ApiResult<Json<ReviewTemplateView>> {
    Ok(Json(st.app.reviews().save_template(&actor, Some(id), input).await?))
}

/// The cycles of the caller's HR scope.
#[utoipa::path(get, path = "/api/v1/review-cycles", tag = "reviews",
    responses((status = 200, body = Vec<CycleView>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn cycles(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<CycleView>>> {
    Ok(Json(st.app.reviews().cycles(&actor).await?))
}

/// Sets up a cycle (a draft): the goal period, the template, the units and filter, the stages.
#[utoipa::path(post, path = "/api/v1/review-cycles", tag = "reviews", request_body = CycleInput,
    responses((status = 201, body = CycleView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_cycle(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<CycleInput>,
) -> ApiResult<(StatusCode, Json<CycleView>)> {
    Ok((StatusCode::CREATED, Json(st.app.reviews().create_cycle(&actor, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/review-cycles/{id}", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = CycleView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn cycle(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<CycleView>> {
    Ok(Json(st.app.reviews().cycle(&actor, id).await?))
}

/// Launches a draft cycle: participants chosen as they stand now, reviews assigned.
#[utoipa::path(post, path = "/api/v1/review-cycles/{id}/launch", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = CycleView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn launch(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<CycleView>> {
    Ok(Json(st.app.reviews().launch(&actor, id).await?))
}

/// A cycle's health: progress of each kind of review, people without goals or feedback, and
/// those needing a nudge first.
#[utoipa::path(get, path = "/api/v1/review-cycles/{id}/health", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = CycleHealth), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn health(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<CycleHealth>> {
    Ok(Json(st.app.reviews().health(&actor, id).await?))
}

/// The reviews the caller is asked to write.
#[utoipa::path(get, path = "/api/v1/me/review-tasks", tag = "reviews",
    responses((status = 200, body = Vec<TaskView>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn my_tasks(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<TaskView>>> {
    Ok(Json(st.app.reviews().my_tasks(&actor).await?))
}

/// The cycles the caller takes part in, with the peers they named.
#[utoipa::path(get, path = "/api/v1/me/review-participations", tag = "reviews",
    responses((status = 200, body = Vec<NominationView>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn my_participations(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<Vec<NominationView>>> {
    Ok(Json(st.app.reviews().my_nominations(&actor).await?))
}

/// A participant's peers (the person, their managers, HR).
#[utoipa::path(get, path = "/api/v1/review-participants/{id}/peers", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = NominationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn peers(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<NominationView>> {
    Ok(Json(st.app.reviews().nominations(&actor, id).await?))
}

/// The person names their peers during the nomination stage.
#[utoipa::path(put, path = "/api/v1/review-participants/{id}/peers", tag = "reviews", params(("id" = Uuid, Path)), request_body = PeersInput,
    responses((status = 200, body = NominationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn nominate(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<PeersInput>,
) -> ApiResult<Json<NominationView>> {
    Ok(Json(st.app.reviews().nominate(&actor, id, input).await?))
}

/// Their manager (or HR) approves or rejects the peers named.
#[utoipa::path(post, path = "/api/v1/review-participants/{id}/peers/decision", tag = "reviews", params(("id" = Uuid, Path)), request_body = PeerDecisionInput,
    responses((status = 200, body = NominationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn decide_peers(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<PeerDecisionInput>,
) -> ApiResult<Json<NominationView>> {
    Ok(Json(st.app.reviews().decide_peers(&actor, id, input).await?))
}

/// A participant's score, grade and how they were computed (their managers, HR).
#[utoipa::path(get, path = "/api/v1/review-participants/{id}/result", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = ResultView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn result(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<ResultView>> {
    Ok(Json(st.app.reviews().result(&actor, id).await?))
}

/// A review's form with its ratings and, for self and manager reviews, the evidence of the period.
#[utoipa::path(get, path = "/api/v1/reviews/{id}", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = ReviewForm), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn form(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<ReviewForm>> {
    Ok(Json(st.app.reviews().form(&actor, id).await?))
}

/// Saves the reviewer's ratings as a draft, or submits them (final; the person is scored again).
#[utoipa::path(put, path = "/api/v1/reviews/{id}", tag = "reviews", params(("id" = Uuid, Path)), request_body = ReviewInput,
    responses((status = 200, body = ReviewForm), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn save(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ReviewInput>,
) -> ApiResult<Json<ReviewForm>> {
    Ok(Json(st.app.reviews().save_review(&actor, id, input).await?))
}

/// The calibration sessions of a cycle (HR).
#[utoipa::path(get, path = "/api/v1/review-cycles/{id}/calibration-sessions", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<SessionSummary>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn sessions(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<Vec<SessionSummary>>> {
    Ok(Json(st.app.reviews().sessions(&actor, id).await?))
}

/// Opens a calibration session over a launched cycle's participants of one unit (and below),
/// optionally one level.
#[utoipa::path(post, path = "/api/v1/review-cycles/{id}/calibration-sessions", tag = "reviews", params(("id" = Uuid, Path)), request_body = SessionInput,
    responses((status = 201, body = SessionView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_session(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<SessionInput>,
) -> ApiResult<(StatusCode, Json<SessionView>)> {
    Ok((StatusCode::CREATED, Json(st.app.reviews().create_session(&actor, id, input).await?)))
}

/// A session: the distribution against the guideline, each manager's leniency with its
/// evidence, outliers, the people with their grades, and the moves made.
#[utoipa::path(get, path = "/api/v1/calibration-sessions/{id}", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = SessionView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn session(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<SessionView>> {
    Ok(Json(st.app.reviews().session(&actor, id).await?))
}

/// Moves a person to another grade, with the reason (recorded, audited); not in a locked session.
#[utoipa::path(post, path = "/api/v1/calibration-sessions/{id}/moves", tag = "reviews", params(("id" = Uuid, Path)), request_body = MoveInput,
    responses((status = 200, body = SessionView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn move_grade(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<MoveInput>,
) -> ApiResult<Json<SessionView>> {
    Ok(Json(st.app.reviews().move_grade(&actor, id, input).await?))
}

/// Locks a session: its grades stand.
#[utoipa::path(post, path = "/api/v1/calibration-sessions/{id}/lock", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = SessionView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn lock(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<SessionView>> {
    Ok(Json(st.app.reviews().lock_session(&actor, id).await?))
}

/// Opens a locked session again, with the reason (audited).
#[utoipa::path(post, path = "/api/v1/calibration-sessions/{id}/unlock", tag = "reviews", params(("id" = Uuid, Path)), request_body = UnlockInput,
    responses((status = 200, body = SessionView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn unlock(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<UnlockInput>,
) -> ApiResult<Json<SessionView>> {
    Ok(Json(st.app.reviews().unlock_session(&actor, id, input).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RescheduleQuery {
    /// true: go ahead although the dates lock reviews that can be written today (see
    /// `POST …/stages/effect` for whose); without it such dates are refused with 422.
    pub confirm_locking: Option<bool>,
}

/// Moves the stages' dates (HR): checked as at set-up, audited; a launched cycle keeps its
/// stages. Dates that would lock reviews people can write today (calibration brought forward,
/// a writing stage moved later) are refused (422, `locks_open_reviews`) unless `confirm_locking=true`.
#[utoipa::path(put, path = "/api/v1/review-cycles/{id}/stages", tag = "reviews", params(("id" = Uuid, Path), RescheduleQuery), request_body = Vec<StageInput>,
    responses((status = 200, body = CycleView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn reschedule(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<RescheduleQuery>,
    ApiJsonList(input): ApiJsonList<StageInput>,
) -> ApiResult<Json<CycleView>> {
    Ok(Json(st.app.reviews().reschedule(&actor, id, input, q.confirm_locking.unwrap_or(false)).await?))
}

/// What new stage dates would do, without changing anything (HR): the reviews that can be
/// written today and would be locked — closed, or not open until their stage opens.
#[utoipa::path(post, path = "/api/v1/review-cycles/{id}/stages/effect", tag = "reviews", params(("id" = Uuid, Path)), request_body = Vec<StageInput>,
    responses((status = 200, body = Vec<LockedReview>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn reschedule_effect(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJsonList(input): ApiJsonList<StageInput>,
) -> ApiResult<Json<Vec<LockedReview>>> {
    Ok(Json(st.app.reviews().reschedule_effect(&actor, id, &input).await?))
}

/// The cycle's results as XLSX (HR): score, formula grade, calibrated grade and the latest
/// calibration move with its reason, per participant. `lang=en` for English headers.
#[utoipa::path(get, path = "/api/v1/review-cycles/{id}/results.xlsx", tag = "reviews", params(("id" = Uuid, Path), ("lang" = Option<String>, Query, description = "en for English headers")),
    responses((status = 200, description = "The workbook", content((String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn results_xlsx(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    axum::extract::Query(q): axum::extract::Query<std::collections::HashMap<String, String>>,
) -> Result<axum::response::Response, ApiError> {
    let chinese = q.get("lang").is_none_or(|l| l != "en");
    let bytes = st.app.reviews().results_xlsx(&actor, id, chinese).await?;
    Ok(super::transfer::file_response(bytes, waymark_app::import::FileFormat::Xlsx, "review-results"))
}
