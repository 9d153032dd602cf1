//! `/healthz`, `/readyz` and `/metrics` (Prometheus text format) — SPEC P-5.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;

const BUCKETS_MS: [u64; 10] = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 5000];

/// Request counters by status class and a latency histogram.
#[derive(Default)]
pub struct Metrics {
    by_class: [AtomicU64; 5],
    buckets: [AtomicU64; 10],
    count: AtomicU64,
    sum_us: AtomicU64,
}

impl Metrics {
    fn observe(&self, status: StatusCode, micros: u64) {
        let class = (status.as_u16() / 100).clamp(1, 5) as usize - 1;
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
        self.count.fetch_add(1, Ordering::Relaxed);
        self.sum_us.fetch_add(micros, Ordering::Relaxed);
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            if micros <= b * 1000 {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        s.push_str("# HELP waymark_http_requests_total HTTP requests served, by status class.\n# TYPE waymark_http_requests_total counter\n");
        for (i, c) in self.by_class.iter().enumerate() {
            s.push_str(&format!(
                "waymark_http_requests_total{{class=\"{}xx\"}} {}\n",
                i + 1,
                c.load(Ordering::Relaxed)
            ));
        }
        s.push_str("# HELP waymark_http_request_duration_seconds Time to answer a request.\n# TYPE waymark_http_request_duration_seconds histogram\n");
        for (i, b) in BUCKETS_MS.iter().enumerate() {
            s.push_str(&format!(
                "waymark_http_request_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                *b as f64 / 1000.0,
                self.buckets[i].load(Ordering::Relaxed)
            ));
        }
        let count = self.count.load(Ordering::Relaxed);
        s.push_str(&format!("waymark_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}\n"));
        s.push_str(&format!(
            "waymark_http_request_duration_seconds_sum {}\n",
            self.sum_us.load(Ordering::Relaxed) as f64 / 1e6
        ));
        s.push_str(&format!("waymark_http_request_duration_seconds_count {count}\n"));
        if let Some(rss) = resident_bytes() {
            s.push_str(&format!("# HELP process_resident_memory_bytes Resident memory.\n# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes {rss}\n"));
        }
        s.push_str(&format!("# HELP waymark_build_info Version of the running binary.\n# TYPE waymark_build_info gauge\nwaymark_build_info{{version=\"{}\"}} 1\n", env!("CARGO_PKG_VERSION")));
        s
    }
}

fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

pub async fn track(State(st): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let resp = next.run(req).await;
    st.metrics.observe(resp.status(), start.elapsed().as_micros() as u64);
    resp
}

/// On the main address `/metrics` answers only with the configured bearer token (issue 21):
/// request counts and memory tell an outsider when the company is busy and what it runs.
/// Without a token it is served on `metrics_listen` alone ([`metrics_only`]).
pub fn routes() -> Router<AppState> {
    Router::new().route("/healthz", get(|| async { "ok" })).route("/readyz", get(ready)).route(
        "/metrics",
        get(|State(st): State<AppState>, headers: axum::http::HeaderMap| async move {
            match (&st.web.metrics_token, crate::context::bearer_token(&headers)) {
                (Some(t), Some(g)) if crate::security::same_secret(t, g) => exposition(&st),
                (Some(_), _) => StatusCode::UNAUTHORIZED.into_response(),
                (None, _) => StatusCode::NOT_FOUND.into_response(),
            }
        }),
    )
}

fn exposition(st: &AppState) -> Response {
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], st.metrics.render()).into_response()
}

/// The router of the separate metrics address: `/metrics` with no token, nothing else.
pub fn metrics_only(state: AppState) -> Router {
    Router::new().route("/metrics", get(|State(st): State<AppState>| async move { exposition(&st) })).with_state(state)
}

async fn ready(State(st): State<AppState>) -> Response {
    match st.app.db.ping().await {
        Ok(()) => "ready".into_response(),
        Err(e) => (StatusCode::SERVICE_UNAVAILABLE, format!("database unavailable: {e}")).into_response(),
    }
}
