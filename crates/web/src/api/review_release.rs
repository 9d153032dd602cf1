//! Release, acknowledgement and appeals of review results (V-6).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use uuid::Uuid;
use waymark_app::reviews::{
    AppealDecisionInput, AppealInput, AppealView, AssignAppealInput, MyResult, ReleaseInput, ReleaseOutcome,
    ResultAcknowledgeInput, ResultView,
};

use super::{ApiJson, ApiPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

/// Releases the cycle's results (HR), all of them or one unit's (with those below): from the
/// release stage on, once no open calibration session holds those people. The people are told.
#[utoipa::path(post, path = "/api/v1/review-cycles/{id}/release", tag = "reviews", params(("id" = Uuid, Path)), request_body = ReleaseInput,
    responses((status = 200, body = ReleaseOutcome), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn release(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ReleaseInput>,
) -> ApiResult<Json<ReleaseOutcome>> {
    Ok(Json(st.app.reviews().release(&actor, id, input).await?))
}

/// The appeals of a cycle (HR of the people appealing), oldest first.
#[utoipa::path(get, path = "/api/v1/review-cycles/{id}/appeals", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<AppealView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn appeals(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<Vec<AppealView>>> {
    Ok(Json(st.app.reviews().appeals(&actor, id).await?))
}

/// The caller's released results, newest cycle first.
#[utoipa::path(get, path = "/api/v1/me/review-results", tag = "reviews",
    responses((status = 200, body = Vec<MyResult>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn my_results(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<MyResult>>> {
    Ok(Json(st.app.reviews().my_results(&actor).await?))
}

/// The person acknowledges having read their released result (once), with words if they like.
/// It does not waive the appeal.
#[utoipa::path(post, path = "/api/v1/review-participants/{id}/acknowledgement", tag = "reviews", params(("id" = Uuid, Path)), request_body = ResultAcknowledgeInput,
    responses((status = 200, body = ResultView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn acknowledge(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ResultAcknowledgeInput>,
) -> ApiResult<Json<ResultView>> {
    let reviews = st.app.reviews();
    reviews.acknowledge(&actor, id, input).await?;
    Ok(Json(reviews.result(&actor, id).await?))
}

/// The person appeals their released result with reasons, inside the appeals window, once.
#[utoipa::path(post, path = "/api/v1/review-participants/{id}/appeal", tag = "reviews", params(("id" = Uuid, Path)), request_body = AppealInput,
    responses((status = 201, body = AppealView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn appeal(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<AppealInput>,
) -> ApiResult<(StatusCode, Json<AppealView>)> {
    Ok((StatusCode::CREATED, Json(st.app.reviews().appeal(&actor, id, input).await?)))
}

/// An appeal: the person who made it and HR of their unit.
#[utoipa::path(get, path = "/api/v1/review-appeals/{id}", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = AppealView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn appeal_view(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<AppealView>> {
    Ok(Json(st.app.reviews().appeal_view(&actor, id).await?))
}

/// Assigns (or hands over) an appeal to an HR user of the person's unit (HR), who is told.
#[utoipa::path(post, path = "/api/v1/review-appeals/{id}/assignment", tag = "reviews", params(("id" = Uuid, Path)), request_body = AssignAppealInput,
    responses((status = 200, body = AppealView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn assign(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<AssignAppealInput>,
) -> ApiResult<Json<AppealView>> {
    Ok(Json(st.app.reviews().assign_appeal(&actor, id, input).await?))
}

/// The assigned handler decides (upheld, or changed with the new grade) and answers the person.
#[utoipa::path(post, path = "/api/v1/review-appeals/{id}/decision", tag = "reviews", params(("id" = Uuid, Path)), request_body = AppealDecisionInput,
    responses((status = 200, body = AppealView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn decide(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<AppealDecisionInput>,
) -> ApiResult<Json<AppealView>> {
    Ok(Json(st.app.reviews().decide_appeal(&actor, id, input).await?))
}
