//! The system administrator's security API (issue 21): accounts with lock and unlock, the
//! sign-in failures with who is throttled, the audit chain's signed checkpoints.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use waymark_app::accounts::{AccountView, ThrottleView};

use super::{ApiJson, ApiPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

/// Every account with whether it is locked (the system administrator).
#[utoipa::path(get, path = "/api/v1/accounts", tag = "security",
    responses((status = 200, body = Vec<AccountView>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn accounts(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<AccountView>>> {
    Ok(Json(st.app.accounts().list(&actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct LockInput {
    /// true locks the account (its sessions end, its password and tokens stop working); false unlocks it.
    pub locked: bool,
}

/// Locks or unlocks an account (the system administrator; never their own).
#[utoipa::path(put, path = "/api/v1/accounts/{username}/lock", tag = "security", params(("username" = String, Path)),
    request_body = LockInput,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn lock(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(username): ApiPath<String>,
    ApiJson(input): ApiJson<LockInput>,
) -> ApiResult<StatusCode> {
    st.app.accounts().set_locked(&actor, &username, input.locked).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Sign-in failures of the last quarter hour by account and by address, with who is throttled.
#[utoipa::path(get, path = "/api/v1/sign-in-throttles", tag = "security",
    responses((status = 200, body = ThrottleView), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn throttles(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<ThrottleView>> {
    Ok(Json(st.app.accounts().throttles(&actor).await?))
}

/// A signed checkpoint of the audit chain's head, written outside the database.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditCheckpoint {
    /// How many records the chain had.
    pub records: i64,
    /// The hash of the newest of them.
    pub hash: String,
    pub at: DateTime<Utc>,
}

/// The newest signed checkpoints of the audit chain (the system administrator).
#[utoipa::path(get, path = "/api/v1/audit/checkpoints", tag = "security",
    responses((status = 200, body = Vec<AuditCheckpoint>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn checkpoints(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<AuditCheckpoint>>> {
    let list = st.app.audit().checkpoints(&actor, 100)?;
    Ok(Json(list.into_iter().map(|c| AuditCheckpoint { records: c.seq, hash: c.hash, at: c.at }).collect()))
}
