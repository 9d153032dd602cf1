//! Recognition: kudos and their feed, company values, one's points and badges, the
//! reward menu, redemptions and HR's decisions.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use waymark_app::recognition::{
    KudosInput, KudosView, RedemptionDecisionInput, RedemptionView, RewardInput, RewardView, ValueInput, ValueView,
    WalletView,
};

use super::{ApiJson, ApiPath, ApiQuery};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FeedQuery {
    /// Kudos older than this (the last `created_at` of the previous page).
    pub before: Option<DateTime<Utc>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RedemptionQuery {
    /// true: the requests waiting for HR; otherwise the caller's own.
    pub pending: Option<bool>,
}

/// Thanks 1–10 people for 1–3 company values; each receives 10 points.
#[utoipa::path(post, path = "/api/v1/kudos", tag = "recognition", request_body = KudosInput,
    responses((status = 201, body = KudosView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn give(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<KudosInput>,
) -> ApiResult<(StatusCode, Json<KudosView>)> {
    Ok((StatusCode::CREATED, Json(st.app.recognition().give(&actor, input).await?)))
}

/// The kudos the caller may see, newest first, 50 at a time.
#[utoipa::path(get, path = "/api/v1/kudos", tag = "recognition", params(FeedQuery),
    responses((status = 200, body = Vec<KudosView>), (status = 400, body = Problem), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn feed(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<FeedQuery>,
) -> ApiResult<Json<Vec<KudosView>>> {
    Ok(Json(st.app.recognition().feed(&actor, q.before).await?))
}

#[utoipa::path(get, path = "/api/v1/company-values", tag = "recognition",
    responses((status = 200, body = Vec<ValueView>), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn values(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<ValueView>>> {
    Ok(Json(st.app.recognition().values(&actor).await?))
}

/// Adds a company value (HR).
#[utoipa::path(post, path = "/api/v1/company-values", tag = "recognition", request_body = ValueInput,
    responses((status = 201, body = ValueView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn add_value(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<ValueInput>,
) -> ApiResult<(StatusCode, Json<ValueView>)> {
    Ok((StatusCode::CREATED, Json(st.app.recognition().save_value(&actor, None, input).await?)))
}

/// Renames, describes, retires or restores a company value (HR).
#[utoipa::path(put, path = "/api/v1/company-values/{id}", tag = "recognition", params(("id" = Uuid, Path)), request_body = ValueInput,
    responses((status = 200, body = ValueView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn save_value(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ValueInput>,
) -> ApiResult<Json<ValueView>> {
    Ok(Json(st.app.recognition().save_value(&actor, Some(id), input).await?))
}

/// The caller's points, badges, kudos counts and what is left of this month's allowance.
#[utoipa::path(get, path = "/api/v1/me/recognition", tag = "recognition",
    responses((status = 200, body = WalletView), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn wallet(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<WalletView>> {
    Ok(Json(st.app.recognition().wallet(&actor).await?))
}

/// The reward menu (HR also sees retired rewards).
#[utoipa::path(get, path = "/api/v1/rewards", tag = "recognition",
    responses((status = 200, body = Vec<RewardView>), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn rewards(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<RewardView>>> {
    Ok(Json(st.app.recognition().rewards(&actor).await?))
}

/// Adds a reward to the menu (HR).
#[utoipa::path(post, path = "/api/v1/rewards", tag = "recognition", request_body = RewardInput,
    responses((status = 201, body = RewardView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn add_reward(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<RewardInput>,
) -> ApiResult<(StatusCode, Json<RewardView>)> {
    Ok((StatusCode::CREATED, Json(st.app.recognition().save_reward(&actor, None, input).await?)))
}

/// Changes a reward: cost, stock, retired or offered (HR).
#[utoipa::path(put, path = "/api/v1/rewards/{id}", tag = "recognition", params(("id" = Uuid, Path)), request_body = RewardInput,
    responses((status = 200, body = RewardView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn save_reward(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<RewardInput>,
) -> ApiResult<Json<RewardView>> {
    Ok(Json(st.app.recognition().save_reward(&actor, Some(id), input).await?))
}

/// Asks to redeem a reward: the points are held and one of the stock reserved until HR decides.
#[utoipa::path(post, path = "/api/v1/rewards/{id}/redeem", tag = "recognition", params(("id" = Uuid, Path)),
    responses((status = 201, body = RedemptionView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn redeem(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<(StatusCode, Json<RedemptionView>)> {
    Ok((StatusCode::CREATED, Json(st.app.recognition().redeem(&actor, id).await?)))
}

#[utoipa::path(get, path = "/api/v1/redemptions", tag = "recognition", params(RedemptionQuery),
    responses((status = 200, body = Vec<RedemptionView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn redemptions(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<RedemptionQuery>,
) -> ApiResult<Json<Vec<RedemptionView>>> {
    Ok(Json(st.app.recognition().redemptions(&actor, q.pending.unwrap_or(false)).await?))
}

/// Approves or rejects a redemption (HR of the person's unit); a rejection gives the points
/// and the stock back and needs a note.
#[utoipa::path(post, path = "/api/v1/redemptions/{id}/decision", tag = "recognition", params(("id" = Uuid, Path)), request_body = RedemptionDecisionInput,
    responses((status = 200, body = RedemptionView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn decide(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<RedemptionDecisionInput>,
) -> ApiResult<Json<RedemptionView>> {
    Ok(Json(st.app.recognition().decide(&actor, id, input).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuarterQuery {
    /// Like 2026-Q4; the current quarter by default.
    #[param(pattern = "^[0-9]{4}-Q[1-4]$")]
    pub quarter: Option<String>,
}

/// The recognition network of a quarter among the people of the caller's HR units.
#[utoipa::path(get, path = "/api/v1/recognition/network", tag = "recognition", params(QuarterQuery),
    responses((status = 200, body = waymark_app::recognition_network::NetworkView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn network(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<QuarterQuery>,
) -> ApiResult<Json<waymark_app::recognition_network::NetworkView>> {
    Ok(Json(st.app.recognition().network(&actor, q.quarter.as_deref()).await?))
}

/// The quarter's stars (绩效之星): the most recognized people and what colleagues wrote.
#[utoipa::path(get, path = "/api/v1/recognition/stars", tag = "recognition", params(QuarterQuery),
    responses((status = 200, body = Vec<waymark_app::recognition_network::StarView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn stars(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<QuarterQuery>,
) -> ApiResult<Json<Vec<waymark_app::recognition_network::StarView>>> {
    Ok(Json(st.app.recognition().stars(&actor, q.quarter.as_deref()).await?.1))
}
