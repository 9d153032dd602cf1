//! Bulk import and export of employees and units (O-4) and the audit log (P-2).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use waymark_app::audit::AuditFilter;
use waymark_app::import::{FileFormat, ImportSummary};

use super::ApiQuery;
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

pub const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The original file name; `.xlsx` selects Excel when the content does not tell.
    pub filename: Option<String>,
    /// true: leave out the columns Waymark does not read and list them in `ignored_columns`;
    /// absent or false: a file with such a column is refused, naming it, and nothing is written.
    pub ignore_unknown_columns: Option<bool>,
}

/// The import service for a request: columns Waymark does not read are refused unless the
/// request asks for them to be ignored.
pub(super) fn importer<'a>(st: &'a AppState, q: &ImportQuery) -> waymark_app::import::ImportService<'a> {
    st.app.imports().ignoring_unknown_columns(q.ignore_unknown_columns.unwrap_or(false))
}

/// Upload the file itself as the body: CSV (UTF-8 with or without BOM, or GB18030/GBK) or XLSX.
#[utoipa::path(post, path = "/api/v1/import/employees", tag = "import/export", params(ImportQuery),
    request_body(content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "application/octet-stream"))),
    responses((status = 200, body = ImportSummary), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, description = "Rows refused; nothing was written", body = Problem)),
    security(("bearer" = [])))]
pub async fn import_employees(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportSummary>, ApiError> {
    Ok(Json(importer(&st, &q).import_employees(&actor, &body, q.filename.as_deref()).await?))
}

/// Units are matched by code; parents by code in the file or by code or path in the organization.
#[utoipa::path(post, path = "/api/v1/import/units", tag = "import/export", params(ImportQuery),
    request_body(content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "application/octet-stream"))),
    responses((status = 200, body = ImportSummary), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, description = "Rows refused; nothing was written", body = Problem)),
    security(("bearer" = [])))]
pub async fn import_units(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportSummary>, ApiError> {
    Ok(Json(importer(&st, &q).import_units(&actor, &body, q.filename.as_deref()).await?))
}

/// Goals as drafts, one row per key result: 负责人工号/owner_no, 周期/period, 目标/goal,
/// 目标类型/framework, 关键结果/key_result, 指标类型/kind, 起始值/start, 目标值/target, 单位/unit,
/// 权重/weight. HR only, for people in their units; all rows or none.
#[utoipa::path(post, path = "/api/v1/import/goals", tag = "import/export", params(ImportQuery),
    request_body(content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), (String = "application/octet-stream"))),
    responses((status = 200, body = ImportSummary), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 413, body = Problem), (status = 422, description = "Rows refused; nothing was written", body = Problem)),
    security(("bearer" = [])))]
pub async fn import_goals(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<Json<ImportSummary>, ApiError> {
    Ok(Json(importer(&st, &q).import_goals(&actor, &body, q.filename.as_deref()).await?))
}

#[derive(Deserialize, IntoParams, ToSchema)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// csv (default) or xlsx.
    pub format: Option<ExportFormat>,
    /// Header language: zh (default) or en.
    pub headers: Option<HeaderLang>,
}

#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum ExportFormat {
    Csv,
    Xlsx,
}

#[derive(Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "lowercase")]
pub enum HeaderLang {
    Zh,
    En,
}

#[utoipa::path(get, path = "/api/v1/export/employees", tag = "import/export", params(ExportQuery),
    responses((status = 200, description = "The file", content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn export_employees(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let (format, chinese) = q.choice();
    let bytes = st.app.imports().export_employees(&actor, format, chinese).await?;
    Ok(file_response(bytes, format, "employees"))
}

/// The unit tree, parents before children, in the shape the unit import reads.
#[utoipa::path(get, path = "/api/v1/export/units", tag = "import/export", params(ExportQuery),
    responses((status = 200, description = "The file", content((String = "text/csv"), (String = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn export_units(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<ExportQuery>,
) -> Result<Response, ApiError> {
    let (format, chinese) = q.choice();
    let bytes = st.app.imports().export_units(&actor, format, chinese).await?;
    Ok(file_response(bytes, format, "units"))
}

impl ExportQuery {
    fn choice(&self) -> (FileFormat, bool) {
        let format = match self.format.unwrap_or(ExportFormat::Csv) {
            ExportFormat::Csv => FileFormat::Csv,
            ExportFormat::Xlsx => FileFormat::Xlsx,
        };
        (format, !matches!(self.headers, Some(HeaderLang::En)))
    }
}

/// A downloaded file named `<what>.csv` or `<what>.xlsx`.
pub fn file_response(bytes: Vec<u8>, format: FileFormat, what: &str) -> Response {
    let (mime, ext) = match format {
        FileFormat::Csv => ("text/csv; charset=utf-8", "csv"),
        FileFormat::Xlsx => (XLSX_MIME, "xlsx"),
    };
    (
        [
            (header::CONTENT_TYPE, mime.to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{what}.{ext}\"")),
        ],
        bytes,
    )
        .into_response()
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// unit, employee, user, api_token …
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    /// Every change about this person.
    pub subject_employee_id: Option<Uuid>,
    /// Newest first, strictly before this sequence number (for paging).
    pub before_seq: Option<i64>,
    /// 1 to 500; default 100.
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<u64>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntry {
    pub seq: i64,
    pub occurred_at: String,
    pub actor: String,
    pub entity_type: String,
    pub entity_id: String,
    pub subject_employee_id: Option<Uuid>,
    pub action: String,
    /// JSON text of the entity before the change.
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
    pub hash: String,
}

#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery),
    responses((status = 200, body = Vec<AuditEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)), security(("bearer" = [])))]
pub async fn audit_log(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> Result<Json<Vec<AuditEntry>>, ApiError> {
    let filter = AuditFilter {
        entity_type: q.entity_type,
        entity_id: q.entity_id,
        subject_employee_id: q.subject_employee_id,
        actor_user_id: None,
        before_seq: q.before_seq,
        limit: q.limit.unwrap_or(100),
        within_units: None,
        excluding_subject: None,
    };
    let rows = st.app.audit().list(&actor, filter).await?;
    Ok(Json(
        rows.into_iter()
            .map(|r| AuditEntry {
                seq: r.seq,
                occurred_at: r.occurred_at,
                actor: r.actor,
                entity_type: r.entity_type,
                entity_id: r.entity_id,
                subject_employee_id: r.subject_employee_id,
                action: r.action,
                before: r.before,
                after: r.after,
                reason: r.reason,
                hash: r.hash,
            })
            .collect(),
    ))
}
