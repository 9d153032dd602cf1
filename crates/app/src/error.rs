//! The service layer's one error type; the web layer maps it to status codes and bodies.

use serde::Serialize;
use waymark_domain::import::ImportError;
use waymark_store::StoreError;

/// A refused field, named as in the API (`email`, `hire_date` …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldIssue {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl FieldIssue {
    pub fn new(field: &str, code: &str, message: impl Into<String>) -> Self {
        Self { field: field.into(), code: code.into(), message: message.into() }
    }
}

/// An optional text input: trimmed, blank is none, at most `max` characters; a refusal goes to
/// `issues` under `field`, so a form names every problem at once.
pub(crate) fn text_field(field: &str, value: Option<&str>, max: usize, issues: &mut Vec<FieldIssue>) -> Option<String> {
    waymark_domain::org::optional_text(value.unwrap_or(""), max)
        .map_err(|e| issues.push(FieldIssue::new(field, e.code(), e.message())))
        .ok()
        .flatten()
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not signed in")]
    Unauthenticated,
    #[error("not allowed")]
    Forbidden,
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("invalid input: {}", .0.iter().map(|f| format!("{} {}", f.field, f.message)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldIssue>),
    #[error("the import has {} error(s)", .0.len())]
    Import(Vec<ImportError>),
    #[error("file is larger than the limit of {limit} bytes")]
    TooLarge { limit: usize },
    #[error("too many failed sign-ins; try again in {retry_after_secs} seconds")]
    Throttled { retry_after_secs: u64 },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<waymark_store::DbErr> for AppError {
    fn from(e: waymark_store::DbErr) -> Self {
        AppError::Store(e.into())
    }
}

impl AppError {
    pub fn field(field: &str, code: &str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldIssue::new(field, code, message)])
    }
}

pub type AppResult<T> = Result<T, AppError>;
