//! Using released results (V-9): promotion nominations on the technical and management tracks,
//! and incentives from the reward menu.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use uuid::Uuid;
use waymark_app::reviews::{
    CycleApplicationView, GrantInput, GrantOutcome, PromotionDecisionInput, PromotionInput, PromotionView,
};

use super::{ApiJson, ApiPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

/// Nominates a released result for promotion (a manager of the person or HR of their unit):
/// the track, the level nominated for and the reasons. Only results in the cycle's two best
/// grades, not under appeal, once per result. HR of the person's unit is told.
#[utoipa::path(post, path = "/api/v1/review-participants/{id}/promotion-nomination", tag = "reviews", params(("id" = Uuid, Path)), request_body = PromotionInput,
    responses((status = 201, body = PromotionView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn nominate(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<PromotionInput>,
) -> ApiResult<(StatusCode, Json<PromotionView>)> {
    Ok((StatusCode::CREATED, Json(st.app.reviews().nominate_for_promotion(&actor, id, input).await?)))
}

/// HR of the person's unit approves a nomination — the person's level becomes the one
/// nominated for — or declines it with why. The nominator is told, and the person when approved.
#[utoipa::path(post, path = "/api/v1/promotion-nominations/{id}/decision", tag = "reviews", params(("id" = Uuid, Path)), request_body = PromotionDecisionInput,
    responses((status = 200, body = PromotionView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn decide(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<PromotionDecisionInput>,
) -> ApiResult<Json<PromotionView>> {
    Ok(Json(st.app.reviews().decide_promotion(&actor, id, input).await?))
}

/// Grants a reward of the menu on released results (HR): to one participant, or to everyone
/// released with the chosen grades in the cycle or one unit of it. The stock is taken for all
/// of them or the grant is refused; no points are spent. Each person is told.
#[utoipa::path(post, path = "/api/v1/review-cycles/{id}/incentives", tag = "reviews", params(("id" = Uuid, Path)), request_body = GrantInput,
    responses((status = 201, body = GrantOutcome), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn grant(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<GrantInput>,
) -> ApiResult<(StatusCode, Json<GrantOutcome>)> {
    Ok((StatusCode::CREATED, Json(st.app.reviews().grant_incentives(&actor, id, input).await?)))
}

/// The cycle's promotion nominations and incentives, with its grades and the rewards that may
/// be granted (HR of the whole cycle).
#[utoipa::path(get, path = "/api/v1/review-cycles/{id}/application", tag = "reviews", params(("id" = Uuid, Path)),
    responses((status = 200, body = CycleApplicationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn cycle_application(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<CycleApplicationView>> {
    Ok(Json(st.app.reviews().cycle_application(&actor, id).await?))
}
