//! The nine-box (V-7): potential assessments, the grid of a cycle with movement, its export,
//! and the organization's box names.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use waymark_app::reviews::{NineBoxView, PotentialInput, ResultView};

use super::{ApiJson, ApiPath, ApiQuery};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NineBoxQuery {
    /// One unit (with those below); the whole cycle when absent.
    pub unit_id: Option<Uuid>,
    /// en for English headers (XLSX).
    pub lang: Option<String>,
}

/// Assesses a participant's potential (their managers, HR of their unit); returns the result.
#[utoipa::path(put, path = "/api/v1/review-participants/{id}/potential", tag = "reviews", params(("id" = Uuid, Path)), request_body = PotentialInput,
    responses((status = 200, body = ResultView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn assess(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<PotentialInput>,
) -> ApiResult<Json<ResultView>> {
    let r = st.app.reviews();
    r.assess_potential(&actor, id, input).await?;
    Ok(Json(r.result(&actor, id).await?))
}

/// The nine-box of a cycle (HR of the cycle): rows of potential high to low, each low to high
/// performance, the people in each box with their movement; who is not placed yet and why.
#[utoipa::path(get, path = "/api/v1/review-cycles/{id}/ninebox", tag = "reviews", params(("id" = Uuid, Path), NineBoxQuery),
    responses((status = 200, body = NineBoxView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn ninebox(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<NineBoxQuery>,
) -> ApiResult<Json<NineBoxView>> {
    Ok(Json(st.app.reviews().ninebox(&actor, id, q.unit_id).await?))
}

/// The nine-box as XLSX, one row per placed person.
#[utoipa::path(get, path = "/api/v1/review-cycles/{id}/ninebox.xlsx", tag = "reviews", params(("id" = Uuid, Path), NineBoxQuery),
    responses((status = 200, description = "The workbook", content((String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn ninebox_xlsx(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<NineBoxQuery>,
) -> Result<axum::response::Response, ApiError> {
    let chinese = q.lang.as_deref() != Some("en");
    let bytes = st.app.reviews().ninebox_xlsx(&actor, id, q.unit_id, chinese).await?;
    Ok(super::transfer::file_response(bytes, waymark_app::import::FileFormat::Xlsx, "ninebox"))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct BoxNamesInput {
    /// Nine names, box 1 (low performance, low potential) to 9 (high, high), rows of potential.
    pub names: Vec<String>,
}

/// The nine box names, box 1 to 9.
#[utoipa::path(get, path = "/api/v1/ninebox-names", tag = "reviews",
    responses((status = 200, body = Vec<String>), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn names(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<String>>> {
    let n = st.app.reviews().box_names(&actor).await?;
    Ok(Json(n.0.iter().flatten().cloned().collect()))
}

/// Names the boxes (org-wide HR).
#[utoipa::path(put, path = "/api/v1/ninebox-names", tag = "reviews", request_body = BoxNamesInput,
    responses((status = 200, body = Vec<String>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn set_names(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<BoxNamesInput>,
) -> ApiResult<Json<Vec<String>>> {
    let n = st.app.reviews().set_box_names(&actor, input.names).await?;
    Ok(Json(n.0.iter().flatten().cloned().collect()))
}
