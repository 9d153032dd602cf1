//! HR administration: import and export of employees and units, and the audit log.

use askama::Template;
use axum::extract::{Multipart, Query, State};
use axum::response::Response;
use serde::Deserialize;
use waymark_app::AppError;
use waymark_app::audit::{AuditFilter, AuditRecord};
use waymark_app::import::FileFormat;

use super::{Page, error_text, render};
use crate::AppState;
use crate::api::transfer_file_response;
use crate::context::PageUser;
use crate::error::page_error;

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    page: Page,
    summary: Option<String>,
    file_error: Option<String>,
    /// Row, column, value, problem.
    rows: Vec<(usize, String, String, String)>,
    /// What the last import was of (employees, units, goals or attendance): keep that choice selected.
    what: &'static str,
}

pub async fn page(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    if let Err(e) = st.app.imports().ensure_allowed(&actor) {
        return page_error(ctx.lang, e);
    }
    let page = Page::for_user(&actor, &ctx, ctx.lang.t("admin-title"), "admin", "/admin");
    render(&AdminPage { page, summary: None, file_error: None, rows: vec![], what: "employees" })
}

pub async fn import(State(st): State<AppState>, PageUser(actor, ctx): PageUser, mut mp: Multipart) -> Response {
    let mut file: Option<(Option<String>, Vec<u8>)> = None;
    let mut read_error = None;
    let mut what = "employees";
    let mut ignore_unknown = false;
    let mut progress = String::new();
    loop {
        match mp.next_field().await {
            Ok(Some(field)) if field.name() == Some("ignore_unknown_columns") => {
                ignore_unknown = field.text().await.is_ok_and(|v| !v.is_empty());
            }
            Ok(Some(field)) if field.name() == Some("progress") => {
                progress = field.text().await.unwrap_or_default();
            }
            Ok(Some(field)) if field.name() == Some("what") => {
                what = match field.text().await.as_deref() {
                    Ok("units") => "units",
                    Ok("goals") => "goals",
                    Ok("attendance") => "attendance",
                    _ => "employees",
                };
            }
            Ok(Some(field)) if field.name() == Some("file") => {
                let name = field.file_name().map(str::to_string);
                match field.bytes().await {
                    Ok(b) => file = Some((name, b.to_vec())),
                    Err(e) => read_error = Some(e.body_text()),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => {
                read_error = Some(e.body_text());
                break;
            }
        }
    }
    let page = Page::for_user(&actor, &ctx, ctx.lang.t("admin-title"), "admin", "/admin");
    let lang = ctx.lang;
    let Some((name, bytes)) = file else {
        let msg = read_error
            .map(|e| format!("{}: {e}", lang.t("import-no-file")))
            .unwrap_or_else(|| lang.t("import-no-file"));
        return render(&AdminPage { page, summary: None, file_error: Some(msg), rows: vec![], what });
    };
    // The page watches the import's progress under its token while it runs.
    let (app, _forget) = st.progress.watch(&st.app, actor.user_id, &progress);
    let imports = app.imports().ignoring_unknown_columns(ignore_unknown);
    let result = match what {
        "units" => imports.import_units(&actor, &bytes, name.as_deref()).await,
        "goals" => imports.import_goals(&actor, &bytes, name.as_deref()).await,
        "attendance" => imports.import_attendance(&actor, &bytes, name.as_deref()).await,
        _ => imports.import_employees(&actor, &bytes, name.as_deref()).await,
    };
    match result {
        Ok(s) => {
            let mut summary = lang.ta(
                "import-done",
                &[
                    ("created", s.created.to_string()),
                    ("updated", s.updated.to_string()),
                    ("unchanged", s.unchanged.to_string()),
                ],
            );
            if !s.ignored_columns.is_empty() {
                summary =
                    format!("{summary} {}", lang.ta("import-ignored", &[("columns", s.ignored_columns.join("、"))]));
            }
            render(&AdminPage { page, summary: Some(summary), file_error: None, rows: vec![], what })
        }
        Err(AppError::Import(errors)) => {
            let rows = errors
                .into_iter()
                .map(|e| {
                    (
                        e.row,
                        e.column.clone(),
                        e.quoted_value(),
                        error_text(lang, e.problem.code(), &e.problem.message()),
                    )
                })
                .collect();
            let mut r = render(&AdminPage { page, summary: None, file_error: None, rows, what });
            *r.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            r
        }
        Err(AppError::TooLarge { limit }) => {
            let mut r = render(&AdminPage {
                page,
                summary: None,
                file_error: Some(lang.ta("import-too-large", &[("limit", format!("{} MiB", limit / 1024 / 1024))])),
                rows: vec![],
                what,
            });
            *r.status_mut() = axum::http::StatusCode::PAYLOAD_TOO_LARGE;
            r
        }
        Err(e) => page_error(lang, e),
    }
}

#[derive(Deserialize)]
pub struct ExportQuery {
    /// `units` for the unit tree; people otherwise.
    what: Option<String>,
    format: Option<String>,
    headers: Option<String>,
}

pub async fn export(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<ExportQuery>,
) -> Response {
    let format = if q.format.as_deref() == Some("xlsx") { FileFormat::Xlsx } else { FileFormat::Csv };
    let chinese = q.headers.as_deref() != Some("en");
    let units = q.what.as_deref() == Some("units");
    let imports = st.app.imports();
    let result = if units {
        imports.export_units(&actor, format, chinese).await
    } else {
        imports.export_employees(&actor, format, chinese).await
    };
    match result {
        Ok(bytes) => transfer_file_response(bytes, format, if units { "units" } else { "employees" }),
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    page: Page,
    entity_type: String,
    entity_id: String,
    person: String,
    records: Vec<AuditLine>,
    next_before: Option<i64>,
    error: Option<String>,
}

/// A record as the page reads it: when on the organization's clock, and its changes field by
/// field; ids and the raw snapshots stay folded away under "details".
struct AuditLine {
    record: AuditRecord,
    at: chrono::DateTime<chrono::Utc>,
    changes: Vec<waymark_app::goals::changes::FieldChange>,
}

#[derive(Deserialize)]
pub struct AuditQuery {
    entity_type: Option<String>,
    entity_id: Option<String>,
    /// Employee number of the person the changes are about.
    person: Option<String>,
    before_seq: Option<i64>,
}

const AUDIT_PAGE: u64 = 100;

pub async fn audit(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<AuditQuery>,
) -> Response {
    let clean = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let (entity_type, entity_id, person) = (clean(q.entity_type), clean(q.entity_id), clean(q.person));
    let mut error = None;
    let subject = match &person {
        Some(no) => match st.app.org().employee_id_by_no(&actor, no).await {
            Ok(id) => Some(id),
            Err(AppError::NotFound(_)) => {
                error = Some(ctx.lang.t("audit-unknown-person"));
                None
            }
            Err(e) => return page_error(ctx.lang, e),
        },
        None => None,
    };
    let filter = AuditFilter {
        entity_type: entity_type.clone(),
        entity_id: entity_id.clone(),
        subject_employee_id: subject,
        actor_user_id: None,
        before_seq: q.before_seq,
        limit: AUDIT_PAGE,
        within_units: None,
        excluding_subject: None,
    };
    let records = if error.is_some() {
        vec![]
    } else {
        match st.app.audit().list(&actor, filter).await {
            Ok(r) => r,
            Err(e) => return page_error(ctx.lang, e),
        }
    };
    let next_before = (records.len() as u64 == AUDIT_PAGE).then(|| records.last().map(|r| r.seq)).flatten();
    let records = records
        .into_iter()
        .map(|r| AuditLine {
            at: waymark_app::audit::instant(&r.occurred_at),
            changes: waymark_app::goals::changes::field_changes(r.before.as_deref(), r.after.as_deref()),
            record: r,
        })
        .collect();
    let page = Page::for_user(&actor, &ctx, ctx.lang.t("audit-title"), "admin", "/admin/audit");
    render(&AuditPage {
        page,
        entity_type: entity_type.unwrap_or_default(),
        entity_id: entity_id.unwrap_or_default(),
        person: person.unwrap_or_default(),
        records,
        next_before,
        error,
    })
}
