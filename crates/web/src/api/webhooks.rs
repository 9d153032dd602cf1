//! Inbound webhooks (F-7): the delivery endpoint the other systems post to, signed with the
//! integration's secret; the administrator's integrations and identity mappings; and each
//! person's feedback to-dos.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_app::webhooks::{
    IdentityInput, IdentityView, Ingested, IntegrationInput, IntegrationUpdate, IntegrationView, TodoView,
};

use super::{ApiJson, ApiPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    /// queued (a trigger, recorded once and turned into to-dos) or ignored (not a trigger).
    pub status: String,
}

/// Receives a delivery from GitHub (`milestone` or `pull_request` closed), GitLab (milestone
/// or issue closed), Jira (version released), or a generic or learning event. Signed as the
/// sender signs (X-Hub-Signature-256, X-Gitlab-Token, X-Hub-Signature, or X-Waymark-Signature
/// `t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>." + body)>` within five minutes); idempotent on
/// the event id. Needs no account: the signature is the credential.
#[utoipa::path(post, path = "/api/v1/hooks/{id}", tag = "webhooks", params(("id" = Uuid, Path)),
    request_body(content = serde_json::Value, content_type = "application/json"),
    responses((status = 200, body = Delivery), (status = 202, body = Delivery), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 413, body = Problem), (status = 422, body = Problem)))]
pub async fn deliver(
    State(st): State<AppState>,
    ApiPath(id): ApiPath<Uuid>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<Delivery>)> {
    let pairs: Vec<(&str, &str)> =
        headers.iter().filter_map(|(k, v)| v.to_str().ok().map(|v| (k.as_str(), v))).collect();
    match st.app.webhooks().ingest(id, &pairs, &body).await? {
        Ingested::Queued => Ok((StatusCode::ACCEPTED, Json(Delivery { status: "queued".into() }))),
        Ingested::Ignored => Ok((StatusCode::OK, Json(Delivery { status: "ignored".into() }))),
    }
}

/// The integrations (administrators), with their latest events and whom they could not match.
#[utoipa::path(get, path = "/api/v1/integrations", tag = "webhooks",
    responses((status = 200, body = Vec<IntegrationView>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn list(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<IntegrationView>>> {
    Ok(Json(st.app.webhooks().list(&actor).await?))
}

/// Sets up an integration; the answer carries its signing secret, shown this once.
#[utoipa::path(post, path = "/api/v1/integrations", tag = "webhooks", request_body = IntegrationInput,
    responses((status = 201, body = IntegrationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<IntegrationInput>,
) -> ApiResult<(StatusCode, Json<IntegrationView>)> {
    Ok((StatusCode::CREATED, Json(st.app.webhooks().create(&actor, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/integrations/{id}", tag = "webhooks", params(("id" = Uuid, Path)),
    responses((status = 200, body = IntegrationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<IntegrationView>> {
    Ok(Json(st.app.webhooks().get(&actor, id).await?))
}

/// Changes the team asked when an event names no one, or turns the integration off or on.
#[utoipa::path(patch, path = "/api/v1/integrations/{id}", tag = "webhooks", params(("id" = Uuid, Path)), request_body = IntegrationUpdate,
    responses((status = 200, body = IntegrationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<IntegrationUpdate>,
) -> ApiResult<Json<IntegrationView>> {
    Ok(Json(st.app.webhooks().update(&actor, id, input).await?))
}

/// A new signing secret, shown once; the old one stops working at once.
#[utoipa::path(post, path = "/api/v1/integrations/{id}/secret", tag = "webhooks", params(("id" = Uuid, Path)),
    responses((status = 200, body = IntegrationView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn renew_secret(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<IntegrationView>> {
    Ok(Json(st.app.webhooks().renew_secret(&actor, id).await?))
}

/// People's ids in other systems, mapped to employees (administrators).
#[utoipa::path(get, path = "/api/v1/external-identities", tag = "webhooks",
    responses((status = 200, body = Vec<IdentityView>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn identities(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<IdentityView>>> {
    Ok(Json(st.app.webhooks().identities(&actor).await?))
}

/// Maps a person's id in another system (a GitHub login) to an employee, replacing any mapping.
#[utoipa::path(put, path = "/api/v1/external-identities", tag = "webhooks", request_body = IdentityInput,
    responses((status = 200, body = IdentityView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn put_identity(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<IdentityInput>,
) -> ApiResult<Json<IdentityView>> {
    Ok(Json(st.app.webhooks().put_identity(&actor, input).await?))
}

#[utoipa::path(delete, path = "/api/v1/external-identities/{system}/{external_id}", tag = "webhooks",
    params(("system" = String, Path), ("external_id" = String, Path)),
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn delete_identity(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath((system, external_id)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    st.app.webhooks().delete_identity(&actor, &system, &external_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's open feedback to-dos, made by events elsewhere; giving the person feedback
/// settles them.
#[utoipa::path(get, path = "/api/v1/feedback-todos", tag = "webhooks",
    responses((status = 200, body = Vec<TodoView>), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn todos(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<TodoView>>> {
    Ok(Json(st.app.webhooks().todos(&actor).await?))
}

#[utoipa::path(post, path = "/api/v1/feedback-todos/{id}/dismiss", tag = "webhooks", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn dismiss(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    st.app.webhooks().dismiss(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
