//! The web edge: server-rendered pages (askama + htmx), the JSON API under `/api/v1` with
//! its OpenAPI document, sign-in, CSRF, i18n, health and metrics. Handlers parse and
//! render; every decision is made by the services in `waymark_app`.

pub mod api;
pub mod context;
pub mod error;
pub mod html;
pub mod i18n;
pub mod metrics;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use waymark_app::App;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Mark cookies `Secure` (set when served over https, or behind a TLS proxy).
    pub secure_cookies: bool,
    pub metrics: Arc<metrics::Metrics>,
}

impl AppState {
    pub fn new(app: App, secure_cookies: bool) -> Self {
        Self { app, secure_cookies, metrics: Arc::new(metrics::Metrics::default()) }
    }
}

/// The whole application as one router.
pub fn router(state: AppState) -> Router {
    let c = &state.app.config;
    // A page's check-in form carries all its files in one request.
    let body_limit = c.import_max_bytes.max(c.attachment_max_bytes * c.attachment_max_files) + 64 * 1024;
    Router::new()
        .merge(html::routes())
        .nest("/api/v1", api::routes())
        .merge(metrics::routes())
        .fallback(error::not_found)
        .layer(middleware::from_fn_with_state(state.clone(), context::request_context))
        .layer(middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}
