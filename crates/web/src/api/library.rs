//! `/goal-templates`, `/kr-library`: goal templates, the key-result library and bulk
//! assignment (G-8).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use uuid::Uuid;
use waymark_app::demo_library::StandardItems;
use waymark_app::goals::GoalView;
use waymark_app::goals::library::{
    AssignInput, AssignReport, Library, LibraryFilter, LibraryItemInput, LibraryItemView, TemplateInput, TemplateView,
    UseTemplateInput,
};

use super::{ApiJson, ApiPath, ApiQuery};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

/// Templates and library items: a filled filter field shows the entries for that value and
/// those for anyone.
#[utoipa::path(get, path = "/api/v1/goal-library", tag = "goal library", params(LibraryFilter),
    responses((status = 200, body = Library), (status = 400, body = Problem), (status = 401, body = Problem)), security(("bearer" = [])))]
pub async fn library(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(f): ApiQuery<LibraryFilter>,
) -> ApiResult<Json<Library>> {
    Ok(Json(st.app.goals().library(&actor, &f).await?))
}

#[utoipa::path(post, path = "/api/v1/goal-templates", tag = "goal library", request_body = TemplateInput,
    responses((status = 201, body = TemplateView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_template(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<TemplateInput>,
) -> ApiResult<(StatusCode, Json<TemplateView>)> {
    Ok((StatusCode::CREATED, Json(st.app.goals().create_template(&actor, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/goal-templates/{id}", tag = "goal library", params(("id" = Uuid, Path)),
    responses((status = 200, body = TemplateView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn get_template(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<TemplateView>> {
    Ok(Json(st.app.goals().template(&actor, id).await?))
}

#[utoipa::path(put, path = "/api/v1/goal-templates/{id}", tag = "goal library", params(("id" = Uuid, Path)), request_body = TemplateInput,
    responses((status = 200, body = TemplateView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_template(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<TemplateInput>,
) -> ApiResult<Json<TemplateView>> {
    Ok(Json(st.app.goals().update_template(&actor, id, input).await?))
}

/// No longer offered or assignable; goals made from it stay.
#[utoipa::path(post, path = "/api/v1/goal-templates/{id}/archive", tag = "goal library", params(("id" = Uuid, Path)),
    responses((status = 200, body = TemplateView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn archive_template(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<TemplateView>> {
    Ok(Json(st.app.goals().set_template_archived(&actor, id, true).await?))
}

#[utoipa::path(post, path = "/api/v1/goal-templates/{id}/restore", tag = "goal library", params(("id" = Uuid, Path)),
    responses((status = 200, body = TemplateView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn restore_template(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<TemplateView>> {
    Ok(Json(st.app.goals().set_template_archived(&actor, id, false).await?))
}

/// A draft goal for the caller made from the template.
#[utoipa::path(post, path = "/api/v1/goal-templates/{id}/use", tag = "goal library", params(("id" = Uuid, Path)), request_body = UseTemplateInput,
    responses((status = 201, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn use_template(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<UseTemplateInput>,
) -> ApiResult<(StatusCode, Json<GoalView>)> {
    Ok((StatusCode::CREATED, Json(st.app.goals().use_template(&actor, id, input).await?)))
}

/// Draft goals from the template for everyone the filter matches, skipping people who already
/// have it in the period; `dry_run` only counts and lists them.
#[utoipa::path(post, path = "/api/v1/goal-templates/{id}/assign", tag = "goal library", params(("id" = Uuid, Path)), request_body = AssignInput,
    responses((status = 200, body = AssignReport), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn assign_template(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<AssignInput>,
) -> ApiResult<Json<AssignReport>> {
    Ok(Json(st.app.goals().assign_template(&actor, id, input).await?))
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StandardQuery {
    /// en: the English titles; anything else or absent: Chinese.
    pub lang: Option<String>,
}

/// Adds the standard indicators the library does not hold yet (HR): key results for sales,
/// engineering, functions and service, and the safety, process and quality indicators of
/// operations roles (transport, equipment operation, nursing). Run again, it adds nothing twice.
#[utoipa::path(post, path = "/api/v1/kr-library/standard", tag = "goal library", params(StandardQuery),
    responses((status = 200, body = StandardItems), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn add_standard(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<StandardQuery>,
) -> ApiResult<Json<StandardItems>> {
    Ok(Json(st.app.add_standard_library_items(&actor, q.lang.as_deref() == Some("en")).await?))
}

#[utoipa::path(post, path = "/api/v1/kr-library", tag = "goal library", request_body = LibraryItemInput,
    responses((status = 201, body = LibraryItemView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_item(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<LibraryItemInput>,
) -> ApiResult<(StatusCode, Json<LibraryItemView>)> {
    Ok((StatusCode::CREATED, Json(st.app.goals().create_library_item(&actor, input).await?)))
}

#[utoipa::path(put, path = "/api/v1/kr-library/{id}", tag = "goal library", params(("id" = Uuid, Path)), request_body = LibraryItemInput,
    responses((status = 200, body = LibraryItemView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_item(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<LibraryItemInput>,
) -> ApiResult<Json<LibraryItemView>> {
    Ok(Json(st.app.goals().update_library_item(&actor, id, input).await?))
}

#[utoipa::path(post, path = "/api/v1/kr-library/{id}/archive", tag = "goal library", params(("id" = Uuid, Path)),
    responses((status = 200, body = LibraryItemView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn archive_item(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<LibraryItemView>> {
    Ok(Json(st.app.goals().set_library_item_archived(&actor, id, true).await?))
}

#[utoipa::path(post, path = "/api/v1/kr-library/{id}/restore", tag = "goal library", params(("id" = Uuid, Path)),
    responses((status = 200, body = LibraryItemView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn restore_item(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<LibraryItemView>> {
    Ok(Json(st.app.goals().set_library_item_archived(&actor, id, false).await?))
}
