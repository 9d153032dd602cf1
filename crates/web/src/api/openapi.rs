//! The OpenAPI document, generated from the handlers' annotations.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{goals, org, transfer};
use crate::error::{FieldProblem, Problem, RowProblem};

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A personal API token (Account → API tokens)"))
                    .build(),
            ),
        );
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Waymark API", description = "Organization, people, import/export, audit, goals and alignment of Waymark (路标)."),
    paths(
        org::me, org::list_units, org::create_unit, org::get_unit, org::update_unit,
        org::list_employees, org::create_employee, org::get_employee, org::update_employee,
        org::change_status, org::reports,
        transfer::import_employees, transfer::export_employees, transfer::import_units, transfer::export_units,
        transfer::audit_log,
        goals::list_periods, goals::create_period, goals::my_goals, goals::shared_goals,
        goals::create_goal, goals::get_goal, goals::align, goals::progress,
    ),
    components(schemas(Problem, FieldProblem, RowProblem, transfer::ExportFormat, transfer::HeaderLang)),
    modifiers(&BearerAuth),
)]
pub struct ApiDoc;

pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
