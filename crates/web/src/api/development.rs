//! The review conversation (V-5) and development plans (D-1).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_app::development::{CheckpointInput, PlanInput, PlanView};
use waymark_app::reviews::{ConversationInput, ConversationView};

use super::{ApiJson, ApiPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

/// The review conversation of a participant: the person, their managers and HR.
#[utoipa::path(get, path = "/api/v1/review-participants/{id}/conversation", tag = "development", params(("id" = Uuid, Path)),
    responses((status = 200, body = ConversationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn conversation(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<ConversationView>> {
    Ok(Json(st.app.reviews().conversation(&actor, id).await?))
}

/// Records the conversation (the person's managers): standing, facts, what the next grade
/// needs, the conclusion, 2–3 capabilities; draft goals named are made in the next period.
#[utoipa::path(put, path = "/api/v1/review-participants/{id}/conversation", tag = "development", params(("id" = Uuid, Path)), request_body = ConversationInput,
    responses((status = 200, body = ConversationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn save_conversation(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ConversationInput>,
) -> ApiResult<Json<ConversationView>> {
    Ok(Json(st.app.reviews().save_conversation(&actor, id, input).await?))
}

/// A person's development plans, newest first.
#[utoipa::path(get, path = "/api/v1/people/{id}/development-plans", tag = "development", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<PlanView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn plans_of(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<Vec<PlanView>>> {
    Ok(Json(st.app.development().plans_of(&actor, id).await?))
}

/// Makes a development plan: the goal, its capabilities, 1–10 actions, up to 6 checkpoints
/// (each reminded the working day before).
#[utoipa::path(post, path = "/api/v1/development-plans", tag = "development", request_body = PlanInput,
    responses((status = 201, body = PlanView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_plan(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<PlanInput>,
) -> ApiResult<(StatusCode, Json<PlanView>)> {
    Ok((StatusCode::CREATED, Json(st.app.development().create_plan(&actor, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/development-plans/{id}", tag = "development", params(("id" = Uuid, Path)),
    responses((status = 200, body = PlanView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn plan(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<PlanView>> {
    Ok(Json(st.app.development().plan(&actor, id).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActionDoneInput {
    pub done: bool,
}

/// Marks an action done or not done.
#[utoipa::path(post, path = "/api/v1/development-actions/{id}/done", tag = "development", params(("id" = Uuid, Path)), request_body = ActionDoneInput,
    responses((status = 200, body = PlanView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn action_done(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ActionDoneInput>,
) -> ApiResult<Json<PlanView>> {
    Ok(Json(st.app.development().set_action_done(&actor, id, input.done).await?))
}

/// Holds a checkpoint with what was found.
#[utoipa::path(post, path = "/api/v1/development-checkpoints/{id}/held", tag = "development", params(("id" = Uuid, Path)), request_body = CheckpointInput,
    responses((status = 200, body = PlanView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn hold_checkpoint(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<CheckpointInput>,
) -> ApiResult<Json<PlanView>> {
    Ok(Json(st.app.development().hold_checkpoint(&actor, id, input).await?))
}
