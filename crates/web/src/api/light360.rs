//! The light 360 (F-6): anonymous ratings of one person after a project.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use uuid::Uuid;
use waymark_app::light360::{AnswerInput, Light360Input, Light360Lists, Light360View};

use super::{ApiJson, ApiPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

/// Sets up a survey about the caller, a report or (HR) a person in their units, and invites
/// 3–30 collaborators; it closes the day after its last day.
#[utoipa::path(post, path = "/api/v1/light360", tag = "light360", request_body = Light360Input,
    responses((status = 201, body = Light360View), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<Light360Input>,
) -> ApiResult<(StatusCode, Json<Light360View>)> {
    Ok((StatusCode::CREATED, Json(st.app.light360().create(&actor, input).await?)))
}

/// Surveys waiting for the caller's answer, and those about the caller or set up by them.
#[utoipa::path(get, path = "/api/v1/light360", tag = "light360",
    responses((status = 200, body = Light360Lists), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn lists(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Light360Lists>> {
    Ok(Json(st.app.light360().lists(&actor).await?))
}

/// A survey; its results for the person, their managers and HR once it has closed with at
/// least three answers. No view names who answered what.
#[utoipa::path(get, path = "/api/v1/light360/{id}", tag = "light360", params(("id" = Uuid, Path)),
    responses((status = 200, body = Light360View), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<Light360View>> {
    Ok(Json(st.app.light360().get(&actor, id).await?))
}

/// Answers a survey the caller is invited to, once, while it is open. Stored without the
/// caller's name or the time.
#[utoipa::path(post, path = "/api/v1/light360/{id}/answers", tag = "light360", params(("id" = Uuid, Path)), request_body = AnswerInput,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn answer(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<AnswerInput>,
) -> ApiResult<StatusCode> {
    st.app.light360().answer(&actor, id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Closes a survey before its last day (its creator or HR).
#[utoipa::path(post, path = "/api/v1/light360/{id}/close", tag = "light360", params(("id" = Uuid, Path)),
    responses((status = 200, body = Light360View), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn close(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<Light360View>> {
    Ok(Json(st.app.light360().close(&actor, id).await?))
}
