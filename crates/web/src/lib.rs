//! The web edge: server-rendered pages (askama + htmx), the JSON API under `/api/v1` with
//! its OpenAPI document, sign-in, CSRF, i18n, health and metrics. Handlers parse and
//! render; every decision is made by the services in `waymark_app`.

pub mod admission;
pub mod api;
pub mod context;
pub mod cookies;
pub mod error;
pub mod html;
pub mod i18n;
pub mod metrics;
pub mod progress;
pub mod security;

use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware;
use waymark_app::App;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
    /// Cookies, trusted proxies, the metrics token, allowed origins.
    pub web: Arc<security::WebConfig>,
    pub metrics: Arc<metrics::Metrics>,
    /// The key CSRF tokens are signed with (derived from the server key).
    pub(crate) csrf_key: Arc<[u8; 32]>,
    /// Reads admitted at once (the rest wait their turn).
    pub(crate) reads: admission::Reads,
    /// SQLite's writes, on a thread of their own.
    pub(crate) writes: admission::Writes,
    /// Long work pages are watching (imports, bulk assignment).
    pub(crate) progress: progress::Watched,
}

impl AppState {
    pub fn new(app: App, secure_cookies: bool) -> Self {
        Self::with_web(app, security::WebConfig { secure_cookies, ..security::WebConfig::default() })
    }

    pub fn with_web(app: App, web: security::WebConfig) -> Self {
        let csrf_key = Arc::new(app.config.server_key.derive(waymark_app::secret::Purpose::Csrf));
        let reads = admission::Reads::new(web.reads_at_once.unwrap_or_else(admission::default_reads_at_once));
        // Without the thread (it could not be started) writes run with everything else.
        let writes = admission::Writes::new(&app).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "no thread of their own for writes");
            admission::Writes::default()
        });
        let metrics = Arc::new(metrics::Metrics::default());
        Self { app, web: Arc::new(web), metrics, csrf_key, reads, writes, progress: progress::Watched::default() }
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
        .layer(middleware::from_fn_with_state(state.clone(), admission::admit))
        .layer(middleware::from_fn_with_state(state.clone(), security::headers))
        .layer(middleware::from_fn_with_state(state.clone(), metrics::track))
        .layer(DefaultBodyLimit::max(body_limit))
        .with_state(state)
}
