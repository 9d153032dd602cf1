//! The JSON REST API under `/api/v1` (SPEC P-4), documented by the OpenAPI document at
//! `/api/v1/openapi.json`. It calls the same services as the pages.

mod extract;
mod goals;
mod openapi;
mod org;
mod transfer;

use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
pub use extract::{ApiJson, ApiPath, ApiQuery};
pub use openapi::ApiDoc;
pub use transfer::file_response as transfer_file_response;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/openapi.json", get(openapi::document))
        .route("/me", get(org::me))
        .route("/units", get(org::list_units).post(org::create_unit))
        .route("/units/{id}", get(org::get_unit).put(org::update_unit))
        .route("/employees", get(org::list_employees).post(org::create_employee))
        .route("/employees/{id}", get(org::get_employee).put(org::update_employee))
        .route("/employees/{id}/status", post(org::change_status))
        .route("/employees/{id}/reports", get(org::reports))
        .route("/import/employees", post(transfer::import_employees))
        .route("/export/employees", get(transfer::export_employees))
        .route("/import/units", post(transfer::import_units))
        .route("/export/units", get(transfer::export_units))
        .route("/audit", get(transfer::audit_log))
        .route("/periods", get(goals::list_periods).post(goals::create_period))
        .route("/periods/{id}/my-goals", get(goals::my_goals))
        .route("/periods/{id}/shared-goals", get(goals::shared_goals))
        .route("/goals", post(goals::create_goal))
        .route("/goals/{id}", get(goals::get_goal))
        .route("/goals/{id}/alignments", post(goals::align))
        .route("/key-results/{id}/progress", post(goals::progress))
}
