//! Server-rendered pages, one module per screen, askama templates in `templates/`.

mod account;
mod admin;
mod auth;
mod org;

use askama::Template;
use axum::Router;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use uuid::Uuid;
use waymark_app::policy::Actor;
use waymark_domain::org::EmployeeStatus;

use crate::AppState;
use crate::context::RequestContext;
use crate::i18n::Lang;

/// What every page's layout needs.
pub struct Page {
    pub lang: Lang,
    pub csrf: String,
    pub title: String,
    pub nav: &'static str,
    pub narrow: bool,
    pub path: String,
    pub user: Option<NavUser>,
}

pub struct NavUser {
    pub name: String,
    pub employee_id: Option<Uuid>,
    pub is_hr: bool,
}

impl Page {
    pub fn t(&self, key: &str) -> String {
        self.lang.t(key)
    }
    pub fn ta(&self, key: &str, name: &'static str, value: impl ToString) -> String {
        self.lang.ta(key, &[(name, value.to_string())])
    }
    pub fn other_lang_code(&self) -> &'static str {
        if self.lang == Lang::ZhCn { "en" } else { "zh-CN" }
    }
    pub fn other_lang_name(&self) -> &'static str {
        if self.lang == Lang::ZhCn { "English" } else { "中文" }
    }
    pub fn status<S: std::borrow::Borrow<EmployeeStatus>>(&self, s: S) -> String {
        self.lang.t(&format!("status-{}", s.borrow().as_str()))
    }
    pub fn kind(&self, k: &str) -> String {
        self.lang.try_t(&format!("kind-{k}")).unwrap_or_else(|| k.to_string())
    }

    /// A page for a signed-in user.
    pub fn for_user(actor: &Actor, ctx: &RequestContext, title: String, nav: &'static str, path: &str) -> Page {
        let name = actor.display_name.clone();
        Page {
            lang: ctx.lang,
            csrf: ctx.csrf.clone(),
            title,
            nav,
            narrow: false,
            path: path.to_string(),
            user: Some(NavUser { name, employee_id: actor.employee_id, is_hr: actor.is_hr() }),
        }
    }

    pub fn anonymous(ctx: &RequestContext, title: String) -> Page {
        Page { lang: ctx.lang, csrf: ctx.csrf.clone(), title, nav: "", narrow: true, path: "/login".into(), user: None }
    }
}

pub fn render<T: Template>(t: &T) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// Only same-site paths are followed after sign-in or a language switch.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".into(),
    }
}

const CSS: &str = include_str!("../../static/app.css");
const HTMX: &str = include_str!("../../static/htmx.min.js");

fn asset(body: &'static str, mime: &'static str) -> Response {
    ([(header::CONTENT_TYPE, mime), (header::CACHE_CONTROL, "public, max-age=86400")], body).into_response()
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(|| async { asset(CSS, "text/css; charset=utf-8") }))
        .route("/static/htmx.min.js", get(|| async { asset(HTMX, "text/javascript; charset=utf-8") }))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang/{code}", get(auth::switch_lang))
        .route("/", get(account::home))
        .route("/org", get(org::chart))
        .route("/org/search", get(org::search))
        .route("/org/units/{id}/children", get(org::children))
        .route("/units", post(org::create_unit))
        .route("/units/{id}", get(org::unit_page).post(org::update_unit))
        .route("/people", post(org::create_person))
        .route("/people/new", get(org::new_person))
        .route("/people/{id}", get(org::person_page).post(org::update_person))
        .route("/people/{id}/edit", get(org::edit_person))
        .route("/people/{id}/status", post(org::change_status))
        .route("/admin", get(admin::page))
        .route("/admin/import", post(admin::import))
        .route("/admin/export", get(admin::export))
        .route("/admin/audit", get(admin::audit))
        .route("/account", get(account::page))
        .route("/account/locale", post(account::locale))
        .route("/account/tokens", post(account::create_token))
        .route("/account/tokens/{id}/revoke", post(account::revoke_token))
}

/// The page text for a service's error code (`error-<code>` in the Fluent files), or the
/// service's own English message when the code has no translation.
pub fn error_text(lang: Lang, code: &str, fallback: &str) -> String {
    lang.try_t(&format!("error-{}", code.replace('_', "-"))).unwrap_or_else(|| fallback.to_string())
}

/// Field errors of a service, in the page's language.
pub fn field_messages(lang: Lang, e: &waymark_app::AppError) -> Vec<String> {
    match e {
        waymark_app::AppError::Invalid(fields) => fields
            .iter()
            .map(|f| {
                let field =
                    lang.try_t(&format!("field-{}", f.field.replace('_', "-"))).unwrap_or_else(|| f.field.clone());
                let msg =
                    lang.try_t(&format!("error-{}", f.code.replace('_', "-"))).unwrap_or_else(|| f.message.clone());
                format!("{field}: {msg}")
            })
            .collect(),
        other => vec![lang.t(match other {
            waymark_app::AppError::Forbidden => "error-forbidden",
            waymark_app::AppError::NotFound(_) => "error-not-found",
            _ => "error-internal",
        })],
    }
}
