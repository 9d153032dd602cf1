//! Errors at the edge: the API answers a JSON problem naming the field (or the import
//! row and column); pages answer a readable page in the user's language.

use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;
use waymark_app::{AppError, FieldIssue};

use crate::i18n::Lang;

/// One refused import cell.
#[derive(Debug, Serialize, ToSchema)]
pub struct RowProblem {
    /// Row as Excel shows it (the header is row 1).
    pub row: usize,
    pub column: String,
    pub value: String,
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// The body of every API error.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A stable code: unauthenticated, forbidden, not_found, invalid, import_invalid, too_large, throttled, bad_request, internal.
    pub error: String,
    pub message: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldProblem>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowProblem>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: Problem,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self { status, body: Problem { error: code.into(), message: message.into(), fields: vec![], rows: vec![] } }
    }
    pub fn bad_request(field: &str, message: impl Into<String>) -> Self {
        let message = message.into();
        let mut e = Self::new(StatusCode::BAD_REQUEST, "bad_request", message.clone());
        e.body.fields.push(FieldProblem { field: field.into(), code: "bad_request".into(), message });
        e
    }
}

fn field(f: FieldIssue) -> FieldProblem {
    FieldProblem { field: f.field, code: f.code, message: f.message }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        let msg = e.to_string();
        match e {
            AppError::Unauthenticated => Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", msg),
            AppError::Forbidden => Self::new(StatusCode::FORBIDDEN, "forbidden", "you are not allowed to do this"),
            AppError::NotFound(_) => Self::new(StatusCode::NOT_FOUND, "not_found", msg),
            AppError::Invalid(fields) => {
                let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", msg);
                e.body.fields = fields.into_iter().map(field).collect();
                e
            }
            AppError::Import(rows) => {
                let mut e = Self::new(StatusCode::UNPROCESSABLE_ENTITY, "import_invalid", msg);
                e.body.rows = rows
                    .into_iter()
                    .map(|r| RowProblem {
                        row: r.row,
                        value: r.quoted_value(),
                        column: r.column,
                        code: r.problem.code().into(),
                        message: r.problem.message(),
                    })
                    .collect();
                e
            }
            AppError::TooLarge { .. } => Self::new(StatusCode::PAYLOAD_TOO_LARGE, "too_large", msg),
            AppError::Throttled { .. } => Self::new(StatusCode::TOO_MANY_REQUESTS, "throttled", msg),
            AppError::Store(_) | AppError::Internal(_) => {
                tracing::error!(error = %msg, "request failed");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error; see the server log")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        let status = if r.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE {
            StatusCode::UNSUPPORTED_MEDIA_TYPE
        } else {
            StatusCode::BAD_REQUEST
        };
        let mut e = Self::bad_request("body", r.body_text());
        e.status = status;
        e
    }
}
impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        Self::bad_request("query", r.body_text())
    }
}
impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        Self::bad_request("path", r.body_text())
    }
}

/// A service error shown as a page.
pub fn page_error(lang: Lang, e: AppError) -> Response {
    let (status, key) = match &e {
        AppError::Forbidden => (StatusCode::FORBIDDEN, "error-forbidden"),
        AppError::NotFound(_) => (StatusCode::NOT_FOUND, "error-not-found"),
        AppError::Unauthenticated => (StatusCode::UNAUTHORIZED, "error-unauthenticated"),
        AppError::Invalid(_) | AppError::Import(_) | AppError::TooLarge { .. } => {
            (StatusCode::UNPROCESSABLE_ENTITY, "error-invalid")
        }
        AppError::Throttled { .. } => (StatusCode::TOO_MANY_REQUESTS, "login-throttled"),
        AppError::Store(_) | AppError::Internal(_) => {
            tracing::error!(error = %e, "page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "error-internal")
        }
    };
    let body = format!(
        "<!doctype html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head><body><main class=\"narrow\"><h1>{title}</h1><p>{msg}</p><p><a href=\"/\">{home}</a></p></main></body></html>",
        code = lang.code(),
        title = status.as_u16(),
        msg = html_escape(&lang.t(key)),
        home = html_escape(&lang.t("nav-home")),
    );
    (status, Html(body)).into_response()
}

pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

pub async fn not_found(uri: Uri, headers: axum::http::HeaderMap) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::new(StatusCode::NOT_FOUND, "not_found", "no such endpoint").into_response();
    }
    let lang = headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
        .unwrap_or_default();
    page_error(lang, AppError::NotFound("page"))
}
