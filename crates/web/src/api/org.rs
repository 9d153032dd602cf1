//! `/me`, `/units`, `/employees`: the organization and its people.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use waymark_app::org::{
    EmployeeCard, EmployeeInput, EmployeePage, Profile, StatusChange, UnitDetail, UnitInput, UnitView,
};

use super::{ApiJson, ApiPath, ApiQuery};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user_id: Option<Uuid>,
    pub username: String,
    pub display_name: String,
    /// The signed-in person's directory entry, when the account belongs to an employee.
    pub employee: Option<EmployeeCard>,
    /// employee, manager, hr, executive, admin.
    pub roles: Vec<String>,
    pub locale: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/me", tag = "me",
    responses((status = 200, body = Me), (status = 401, body = Problem)), security(("bearer" = [])))]
pub async fn me(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Me>> {
    let employee = match actor.employee_id {
        Some(id) => Some(st.app.org().employee(&actor, id).await?),
        None => None,
    };
    let roles = actor.roles().into_iter().map(String::from).collect();
    Ok(Json(Me {
        user_id: actor.user_id,
        username: actor.label.clone(),
        display_name: actor.display_name.clone(),
        employee,
        roles,
        locale: actor.locale.clone(),
    }))
}

#[utoipa::path(get, path = "/api/v1/units", tag = "units",
    responses((status = 200, body = Vec<UnitView>), (status = 401, body = Problem)), security(("bearer" = [])))]
pub async fn list_units(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<UnitView>>> {
    Ok(Json(st.app.org().units(&actor).await?))
}

#[utoipa::path(post, path = "/api/v1/units", tag = "units", request_body = UnitInput,
    responses((status = 201, body = UnitView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_unit(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<UnitInput>,
) -> ApiResult<(StatusCode, Json<UnitView>)> {
    Ok((StatusCode::CREATED, Json(st.app.org().create_unit(&actor, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/units/{id}", tag = "units", params(("id" = Uuid, Path)),
    responses((status = 200, body = UnitDetail), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn get_unit(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<UnitDetail>> {
    Ok(Json(st.app.org().unit_detail(&actor, id).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReasonQuery {
    /// Why the change is made; kept in the audit log.
    pub reason: Option<String>,
}

#[utoipa::path(put, path = "/api/v1/units/{id}", tag = "units", params(("id" = Uuid, Path), ReasonQuery), request_body = UnitInput,
    responses((status = 200, body = UnitView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_unit(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<ReasonQuery>,
    ApiJson(input): ApiJson<UnitInput>,
) -> ApiResult<Json<UnitView>> {
    Ok(Json(st.app.org().update_unit(&actor, id, input, q.reason).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EmployeeQuery {
    /// Part of a name or employee number.
    pub q: Option<String>,
    /// Only people in this unit and its sub-units.
    pub unit_id: Option<Uuid>,
    /// Include people who have left.
    #[serde(default)]
    pub include_left: bool,
    #[serde(default)]
    #[param(minimum = 0, maximum = 1099511627776_u64)]
    pub offset: u64,
    /// 1 to 200; default 50.
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

#[utoipa::path(get, path = "/api/v1/employees", tag = "employees", params(EmployeeQuery),
    responses((status = 200, body = EmployeePage), (status = 400, body = Problem), (status = 401, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn list_employees(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<EmployeeQuery>,
) -> ApiResult<Json<EmployeePage>> {
    Ok(Json(st.app.org().search(&actor, q.q, q.unit_id, q.include_left, q.offset, q.limit.unwrap_or(50)).await?))
}

#[utoipa::path(post, path = "/api/v1/employees", tag = "employees", request_body = EmployeeInput,
    responses((status = 201, body = EmployeeCard), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_employee(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<EmployeeInput>,
) -> ApiResult<(StatusCode, Json<EmployeeCard>)> {
    Ok((StatusCode::CREATED, Json(st.app.org().create_employee(&actor, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/employees/{id}", tag = "employees", params(("id" = Uuid, Path)),
    responses((status = 200, body = Profile), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn get_employee(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<Profile>> {
    Ok(Json(st.app.org().profile(&actor, id).await?))
}

#[utoipa::path(put, path = "/api/v1/employees/{id}", tag = "employees", params(("id" = Uuid, Path), ReasonQuery), request_body = EmployeeInput,
    responses((status = 200, body = EmployeeCard), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_employee(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<ReasonQuery>,
    ApiJson(input): ApiJson<EmployeeInput>,
) -> ApiResult<Json<EmployeeCard>> {
    Ok(Json(st.app.org().update_employee(&actor, id, input, q.reason).await?))
}

#[utoipa::path(post, path = "/api/v1/employees/{id}/status", tag = "employees", params(("id" = Uuid, Path)), request_body = StatusChange,
    responses((status = 200, body = EmployeeCard), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn change_status(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(change): ApiJson<StatusChange>,
) -> ApiResult<Json<EmployeeCard>> {
    Ok(Json(st.app.org().change_status(&actor, id, change).await?))
}

#[derive(Serialize, ToSchema)]
pub struct Reports {
    pub manager_id: Uuid,
    /// Everyone in the reporting line below the manager, at any depth.
    pub total: usize,
    pub employee_ids: Vec<Uuid>,
}

#[utoipa::path(get, path = "/api/v1/employees/{id}/reports", tag = "employees", params(("id" = Uuid, Path)),
    responses((status = 200, body = Reports), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn reports(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<Reports>> {
    let ids = st.app.org().all_reports(&actor, id).await?;
    Ok(Json(Reports { manager_id: id, total: ids.len(), employee_ids: ids }))
}
