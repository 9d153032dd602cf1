//! Notification settings (T-7): one's own channels and a test message; and for the
//! administrator, the job queue with failed deliveries and their reasons, and retrying them.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use waymark_app::jobs::{JobList, JobView};
use waymark_app::notify::{NotifyPrefsInput, NotifyPrefsView};

use super::{ApiJson, ApiPath, ApiQuery};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

/// One's notification settings: e-mail, the IM webhook, the categories each leaves out, and
/// the latest deliveries with why any failed.
#[utoipa::path(get, path = "/api/v1/me/notification-settings", tag = "notifications",
    responses((status = 200, body = NotifyPrefsView), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn prefs(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<NotifyPrefsView>> {
    Ok(Json(st.app.notify().prefs(&actor).await?))
}

/// Change one's notification settings. The webhook must be on the platform's own host (or one
/// the administrator allowed); a signing secret only for Feishu and DingTalk.
#[utoipa::path(put, path = "/api/v1/me/notification-settings", tag = "notifications", request_body = NotifyPrefsInput,
    responses((status = 200, body = NotifyPrefsView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn set_prefs(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<NotifyPrefsInput>,
) -> ApiResult<Json<NotifyPrefsView>> {
    Ok(Json(st.app.notify().set_prefs(&actor, input).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct TestInput {
    /// email or im.
    pub channel: String,
}

/// Send oneself a test message on a channel; the job's outcome shows in the settings.
#[utoipa::path(post, path = "/api/v1/me/notification-settings/test", tag = "notifications", request_body = TestInput,
    responses((status = 200, body = JobView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn send_test(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<TestInput>,
) -> ApiResult<Json<JobView>> {
    Ok(Json(st.app.notify().send_test(&actor, &input.channel).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JobQuery {
    /// queued, running, done or failed; default: all.
    pub state: Option<String>,
    /// 1-based page of 50.
    #[param(minimum = 1)]
    pub page: Option<i32>,
}

/// The job queue's counts and a page of its jobs, newest first (the system administrator).
#[utoipa::path(get, path = "/api/v1/jobs", tag = "notifications", params(JobQuery),
    responses((status = 200, body = JobList), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn jobs(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<JobQuery>,
) -> ApiResult<Json<JobList>> {
    Ok(Json(st.app.jobs().list(&actor, q.state.as_deref(), q.page).await?))
}

/// Queue a failed job again from its first attempt (the system administrator); audited.
#[utoipa::path(post, path = "/api/v1/jobs/{id}/retry", tag = "notifications", params(("id" = Uuid, Path)),
    responses((status = 200, body = JobView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn retry(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<JobView>> {
    Ok(Json(st.app.jobs().retry(&actor, id).await?))
}
