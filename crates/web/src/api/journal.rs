//! The key-event journal (F-5).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::NaiveDate;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;
use waymark_app::journal::{JournalEntryView, JournalInput};

use super::{ApiJson, ApiPath, ApiQuery};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JournalQuery {
    /// Whose journal: the caller's by default; a report's for their managers; anyone's in HR scope.
    pub employee: Option<Uuid>,
    /// First day (the last 365 days by default).
    pub from: Option<NaiveDate>,
    /// Last day (today by default).
    pub to: Option<NaiveDate>,
}

/// Records a key event about the caller or one of their reports.
#[utoipa::path(post, path = "/api/v1/journal", tag = "journal", request_body = JournalInput,
    responses((status = 201, body = JournalEntryView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn record(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<JournalInput>,
) -> ApiResult<(StatusCode, Json<JournalEntryView>)> {
    Ok((StatusCode::CREATED, Json(st.app.journal().record(&actor, input).await?)))
}

/// One person's key events dated in a range, newest first (at most 500).
#[utoipa::path(get, path = "/api/v1/journal", tag = "journal", params(JournalQuery),
    responses((status = 200, body = Vec<JournalEntryView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<JournalQuery>,
) -> ApiResult<Json<Vec<JournalEntryView>>> {
    Ok(Json(st.app.journal().list(&actor, q.employee, q.from, q.to).await?))
}

#[utoipa::path(get, path = "/api/v1/journal/{id}", tag = "journal", params(("id" = Uuid, Path)),
    responses((status = 200, body = JournalEntryView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<JournalEntryView>> {
    Ok(Json(st.app.journal().get(&actor, id).await?))
}

/// Changes an entry (its author only); the person it is about stays the same.
#[utoipa::path(put, path = "/api/v1/journal/{id}", tag = "journal", params(("id" = Uuid, Path)), request_body = JournalInput,
    responses((status = 200, body = JournalEntryView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<JournalInput>,
) -> ApiResult<Json<JournalEntryView>> {
    Ok(Json(st.app.journal().update(&actor, id, input).await?))
}

/// Removes an entry (its author only); the audit log keeps what it said.
#[utoipa::path(delete, path = "/api/v1/journal/{id}", tag = "journal", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    st.app.journal().delete(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
