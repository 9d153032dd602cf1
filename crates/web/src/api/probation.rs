//! Probation 1-3-6 (V-8).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use uuid::Uuid;
use waymark_app::probation::{ConversionInput, PersonProbation, ProbationInput, ProbationNoteInput, ProbationView};

use super::{ApiJson, ApiPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

/// Running probations the caller follows (their reports', HR's units'), ending soonest first.
#[utoipa::path(get, path = "/api/v1/probations", tag = "reviews",
    responses((status = 200, body = Vec<ProbationView>), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn in_progress(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<ProbationView>>> {
    Ok(Json(st.app.probation().in_progress(&actor).await?))
}

/// A person's probation, if started: the person, their managers and HR of their unit.
#[utoipa::path(get, path = "/api/v1/people/{id}/probation", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = PersonProbation), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn of_person(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<PersonProbation>> {
    Ok(Json(st.app.probation().of_person(&actor, id).await?))
}

/// Starts the person's probation from their hire date (HR): the contract's terms are checked
/// against Labour Contract Law art. 19; the 1-3-6 checkpoints and the conversion are set.
#[utoipa::path(post, path = "/api/v1/people/{id}/probation", tag = "reviews", params(("id" = Uuid, Path)), request_body = ProbationInput,
    responses((status = 201, body = ProbationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn start(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ProbationInput>,
) -> ApiResult<(StatusCode, Json<ProbationView>)> {
    Ok((StatusCode::CREATED, Json(st.app.probation().start(&actor, id, input).await?)))
}

/// Holds a checkpoint (month 1, 3 or 6) with what was found: the manager or HR.
#[utoipa::path(post, path = "/api/v1/probation-checkpoints/{id}", tag = "reviews", params(("id" = Uuid, Path)), request_body = ProbationNoteInput,
    responses((status = 200, body = ProbationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn hold(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ProbationNoteInput>,
) -> ApiResult<Json<ProbationView>> {
    Ok(Json(st.app.probation().hold(&actor, id, input).await?))
}

/// Decides the conversion: convert, not_convert, or extend once within the cap.
#[utoipa::path(post, path = "/api/v1/probations/{id}/decision", tag = "reviews", params(("id" = Uuid, Path)), request_body = ConversionInput,
    responses((status = 200, body = ProbationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn decide(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ConversionInput>,
) -> ApiResult<Json<ProbationView>> {
    Ok(Json(st.app.probation().decide(&actor, id, input).await?))
}
