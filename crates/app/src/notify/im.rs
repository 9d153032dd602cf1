//! IM webhooks over HTTPS (reqwest on rustls): the platform's body, signed where it signs,
//! and its answer read (the platforms answer HTTP 200 to a refused message).

use std::time::Duration;

use waymark_domain::notify::im::{self, ImMessage, Platform};

use super::DeliveryError;

pub struct ImSender {
    http: reqwest::Client,
}

impl ImSender {
    pub fn new() -> ImSender {
        // One process-wide TLS provider (ring); a second install is refused, which is fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(15))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Waymark/", env!("CARGO_PKG_VERSION")))
            .build()
            .expect("an HTTP client with the default TLS settings builds");
        ImSender { http }
    }

    pub async fn send(
        &self,
        platform: Platform,
        url: &str,
        secret: Option<&str>,
        now_ms: i64,
        m: &ImMessage,
    ) -> Result<(), DeliveryError> {
        let req = im::request(platform, url, secret, now_ms, m);
        let body = serde_json::to_vec(&req.body).expect("JSON serializes");
        let resp = self
            .http
            .post(&req.url)
            .header("content-type", "application/json; charset=utf-8")
            .body(body)
            .send()
            .await
            .map_err(|e| DeliveryError::transient(format!("webhook unreachable: {}", without_url(&e))))?;
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
            return Err(DeliveryError::transient(format!("webhook answered HTTP {status}")));
        }
        if !status.is_success() {
            return Err(DeliveryError::permanent(format!("webhook answered HTTP {status}")));
        }
        im::accepted(platform, &text)
            .map_err(|body| DeliveryError::permanent(format!("webhook refused the message: {body}")))
    }
}

impl Default for ImSender {
    fn default() -> Self {
        Self::new()
    }
}

/// reqwest's errors quote the URL, whose query is the webhook's secret token.
fn without_url(e: &reqwest::Error) -> String {
    let mut s = e.to_string();
    if let Some(u) = e.url() {
        s = s.replace(u.as_str(), &format!("{}://{}", u.scheme(), u.host_str().unwrap_or("?")));
    }
    let mut src = std::error::Error::source(e);
    while let Some(inner) = src {
        s.push_str(": ");
        s.push_str(&inner.to_string());
        src = inner.source();
    }
    s
}
