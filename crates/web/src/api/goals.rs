//! `/periods`, `/goals`, `/key-results`: goals and alignment (SPEC §2).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use uuid::Uuid;
use waymark_app::goals::{
    AlignInput, GoalInput, GoalSummary, GoalView, MyGoals, PeriodInput, PeriodUpdate, PeriodView, ProgressInput,
};

use super::{ApiJson, ApiPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

#[utoipa::path(get, path = "/api/v1/periods", tag = "goals",
    responses((status = 200, body = Vec<PeriodView>), (status = 401, body = Problem)), security(("bearer" = [])))]
pub async fn list_periods(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<PeriodView>>> {
    Ok(Json(st.app.goals().periods(&actor).await?))
}

#[utoipa::path(post, path = "/api/v1/periods", tag = "goals", request_body = PeriodInput,
    responses((status = 201, body = PeriodView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_period(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<PeriodInput>,
) -> ApiResult<(StatusCode, Json<PeriodView>)> {
    Ok((StatusCode::CREATED, Json(st.app.goals().create_period(&actor, input).await?)))
}

/// Renames a period or sets its goal-setting deadline (org-wide HR); its dates stay.
#[utoipa::path(put, path = "/api/v1/periods/{id}", tag = "goals", params(("id" = Uuid, Path)), request_body = PeriodUpdate,
    responses((status = 200, body = PeriodView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_period(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<PeriodUpdate>,
) -> ApiResult<Json<PeriodView>> {
    Ok(Json(st.app.goals().update_period(&actor, id, input).await?))
}

#[utoipa::path(get, path = "/api/v1/periods/{id}/my-goals", tag = "goals", params(("id" = Uuid, Path)),
    responses((status = 200, body = MyGoals), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn my_goals(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<MyGoals>> {
    Ok(Json(st.app.goals().my_goals(&actor, id).await?))
}

#[utoipa::path(get, path = "/api/v1/periods/{id}/shared-goals", tag = "goals", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<GoalSummary>), (status = 400, body = Problem), (status = 401, body = Problem)), security(("bearer" = [])))]
pub async fn shared_goals(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<Vec<GoalSummary>>> {
    Ok(Json(st.app.goals().shared_goals(&actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/goals", tag = "goals", request_body = GoalInput,
    responses((status = 201, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_goal(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<GoalInput>,
) -> ApiResult<(StatusCode, Json<GoalView>)> {
    Ok((StatusCode::CREATED, Json(st.app.goals().create_goal(&actor, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/goals/{id}", tag = "goals", params(("id" = Uuid, Path)),
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn get_goal(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().view(&actor, id).await?))
}

/// Align the goal to a parent goal or key result; cycles are refused naming the goals.
#[utoipa::path(post, path = "/api/v1/goals/{id}/alignments", tag = "goals", params(("id" = Uuid, Path)), request_body = AlignInput,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn align(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<AlignInput>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().align(&actor, id, input).await?))
}

/// A key result's new value; the goal and everything it supports roll up.
#[utoipa::path(post, path = "/api/v1/key-results/{id}/progress", tag = "goals", params(("id" = Uuid, Path)), request_body = ProgressInput,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn progress(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ProgressInput>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().update_progress(&actor, id, input).await?))
}
