//! Optional AI drafting (issue 26, item 5): an OpenAI-compatible chat endpoint that an
//! administrator connected (`[ai]` in the configuration; off without it) drafts the wording of
//! a development report and suggests a rewrite of feedback the coach flagged.
//!
//! Every call is written to the audit log before it is made — what is sent, for whom, by
//! whom — and its outcome after; a timeout, an error or an answer of the wrong shape gives the
//! caller a reason to fall back to the rules' draft. What is sent is built by
//! `waymark_domain::ai_draft`, which decides what may leave the server.

use std::time::{Duration, Instant};

use serde::Serialize;
use uuid::Uuid;
use waymark_domain::ai_draft::{MAX_REPLY_BYTES, Prompt, ReplyProblem, completion_content};

use crate::App;
use crate::audit::entry;
use crate::policy::Actor;
use crate::policy::{Action, Facts, Resource, allowed};
use crate::{AppError, AppResult};

/// The endpoint as the operator configured it.
#[derive(Clone)]
pub struct AiConfig {
    /// The base URL, e.g. `http://127.0.0.1:8000/v1`; requests go to `{base}/chat/completions`.
    pub base: reqwest::Url,
    pub model: String,
    api_key: Option<String>,
    pub timeout: Duration,
    http: reqwest::Client,
}

impl std::fmt::Debug for AiConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key.
        write!(f, "AiConfig({} {} {:?})", self.host(), self.model, self.timeout)
    }
}

impl AiConfig {
    /// The endpoint, checked: an http(s) base URL, a model name and a timeout of 1–120 s. The
    /// error names the setting that is wrong.
    pub fn new(endpoint: &str, model: &str, api_key: Option<String>, timeout_secs: u64) -> Result<AiConfig, String> {
        let base = reqwest::Url::parse(endpoint.trim()).map_err(|e| format!("endpoint: {e}"))?;
        if !matches!(base.scheme(), "https" | "http") || base.host_str().is_none() {
            return Err("endpoint: must be an http(s) address".into());
        }
        if model.trim().is_empty() {
            return Err("model: name the model to use".into());
        }
        if !(1..=120).contains(&timeout_secs) {
            return Err("timeout_secs: between 1 and 120".into());
        }
        let _ = rustls::crypto::ring::default_provider().install_default();
        let timeout = Duration::from_secs(timeout_secs);
        let http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(5)))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("Waymark/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| format!("endpoint: {e}"))?;
        let api_key = api_key.filter(|k| !k.trim().is_empty());
        Ok(AiConfig { base, model: model.trim().to_string(), api_key, timeout, http })
    }

    /// The endpoint's host, as an administrator reads it (never its path or key).
    pub fn host(&self) -> String {
        let host = self.base.host_str().unwrap_or_default();
        match self.base.port() {
            Some(p) => format!("{host}:{p}"),
            None => host.to_string(),
        }
    }

    fn url(&self) -> String {
        format!("{}/chat/completions", self.base.as_str().trim_end_matches('/'))
    }
}

/// What a draft is for; part of what the audit log says was sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    DevelopmentReport,
    FeedbackRewrite,
    /// The administrator checks that the endpoint answers.
    ConnectionTest,
}

/// Why no AI wording is offered; the page says it in words and shows the rules' draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Fallback {
    /// No endpoint is connected.
    Off,
    /// It did not answer within the configured time.
    Timeout,
    /// It could not be reached.
    Unreachable,
    /// It answered with an error status.
    Refused,
    /// Its answer was not a draft of the shape asked for.
    BadReply,
}

impl Fallback {
    pub fn code(self) -> &'static str {
        match self {
            Fallback::Off => "off",
            Fallback::Timeout => "timeout",
            Fallback::Unreachable => "unreachable",
            Fallback::Refused => "refused",
            Fallback::BadReply => "bad_reply",
        }
    }
}

impl From<ReplyProblem> for Fallback {
    fn from(_: ReplyProblem) -> Self {
        Fallback::BadReply
    }
}

/// One call's raw result: the model's content, or why there is none (with detail for the log).
type Called = Result<String, (Fallback, String)>;

/// The administrator's check of the connection: whether it answered as asked, and how fast.
#[derive(Debug, Clone, Serialize)]
pub struct AiTest {
    /// Why it did not answer as asked; none when it did.
    pub fallback: Option<Fallback>,
    pub ms: u64,
}

impl AiTest {
    pub fn ok(&self) -> bool {
        self.fallback.is_none()
    }
}

/// What the administrator's page says about the connection.
#[derive(Debug, Clone, Serialize)]
pub struct AiStatus {
    pub on: bool,
    pub host: Option<String>,
    pub model: Option<String>,
    pub timeout_secs: Option<u64>,
}

impl App {
    pub fn ai_status(&self) -> AiStatus {
        match &self.config.ai {
            None => AiStatus { on: false, host: None, model: None, timeout_secs: None },
            Some(c) => AiStatus {
                on: true,
                host: Some(c.host()),
                model: Some(c.model.clone()),
                timeout_secs: Some(c.timeout.as_secs()),
            },
        }
    }

    /// Sends a prompt that says nothing about anyone and reports whether the endpoint answered
    /// in the protocol; the administrator's check after connecting it. Audited like any call.
    pub async fn ai_test(&self, actor: &Actor) -> AppResult<AiTest> {
        if !allowed(actor, Action::Write, Resource::Integrations, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let started = Instant::now();
        let prompt = waymark_domain::ai_draft::test_prompt();
        let r = self
            .ai_draft(actor, Purpose::ConnectionTest, None, &prompt, waymark_domain::ai_draft::read_test, |_| None)
            .await?;
        Ok(AiTest { fallback: r.err(), ms: started.elapsed().as_millis() as u64 })
    }

    /// Sends one prompt for `purpose` about `subject` (the person the text is about) and reads
    /// the model's content, parsed by `read`. Audited before it is sent and after it answers.
    pub(crate) async fn ai_draft<T>(
        &self,
        actor: &Actor,
        purpose: Purpose,
        subject: Option<Uuid>,
        prompt: &Prompt,
        read: impl FnOnce(&str) -> Result<T, ReplyProblem>,
        fingerprint: impl FnOnce(&T) -> Option<String>,
    ) -> AppResult<Result<T, Fallback>> {
        let Some(ai) = &self.config.ai else { return Ok(Err(Fallback::Off)) };
        let call = Uuid::now_v7();
        // Keys of their own (ai_…): the audit page names them and their values in words.
        let sent = serde_json::json!({
            "ai_purpose": purpose,
            "ai_endpoint": ai.host(),
            "ai_model": ai.model,
            "sent": { "system": prompt.system, "user": prompt.user },
        });
        self.audit_ai(actor, call, subject, "send", sent).await?;
        let started = Instant::now();
        let called = call_endpoint(ai, prompt).await;
        let ms = started.elapsed().as_millis() as u64;
        let outcome = called.and_then(|content| {
            read(&content).map_err(|p| (Fallback::BadReply, format!("{}: {} characters", p.code(), content.len())))
        });
        let after = match &outcome {
            Ok(v) => {
                serde_json::json!({ "ai_purpose": purpose, "ai_outcome": "drafted", "ai_ms": ms, "fingerprint": fingerprint(v) })
            }
            Err((f, detail)) => {
                serde_json::json!({ "ai_purpose": purpose, "ai_outcome": f.code(), "ai_ms": ms, "detail": detail })
            }
        };
        self.audit_ai(actor, call, subject, "receive", after).await?;
        if let Err((f, detail)) = &outcome {
            tracing::warn!(fallback = f.code(), %detail, "AI drafting fell back to the rules");
        }
        Ok(outcome.map_err(|(f, _)| f))
    }

    async fn audit_ai(
        &self,
        actor: &Actor,
        call: Uuid,
        subject: Option<Uuid>,
        action: &str,
        v: serde_json::Value,
    ) -> AppResult<()> {
        let tx = self.db.begin_write().await?;
        let now = self.clock.now();
        tx.audit(vec![entry(actor, now, "ai_draft", call, subject, action, None, Some(v.to_string()), None)]);
        tx.commit().await?;
        Ok(())
    }

    /// The fingerprints of every AI draft made about `subject` (see
    /// `waymark_domain::ai_draft::fingerprint`), read back from the audit log.
    pub(crate) async fn ai_fingerprints(&self, subject: Uuid) -> AppResult<Vec<String>> {
        let rows = waymark_store::repo::audit::ai_outcomes(&self.db.conn, subject).await?;
        Ok(rows
            .into_iter()
            .filter_map(|after| serde_json::from_str::<serde_json::Value>(&after).ok())
            .filter_map(|v| v.get("fingerprint").and_then(|f| f.as_str()).map(str::to_string))
            .collect())
    }
}

async fn call_endpoint(ai: &AiConfig, prompt: &Prompt) -> Called {
    let mut req =
        ai.http.post(ai.url()).header("content-type", "application/json").body(prompt.body(&ai.model).to_string());
    if let Some(k) = &ai.api_key {
        req = req.bearer_auth(k);
    }
    let mut resp = req.send().await.map_err(classify)?;
    let status = resp.status();
    if !status.is_success() {
        return Err((Fallback::Refused, format!("HTTP {}", status.as_u16())));
    }
    // Read at most MAX_REPLY_BYTES: a hostile or broken endpoint cannot fill the memory.
    let mut body = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(classify)? {
        if body.len() + chunk.len() > MAX_REPLY_BYTES {
            return Err((Fallback::BadReply, format!("answer larger than {MAX_REPLY_BYTES} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    completion_content(&body).map_err(|p| (Fallback::BadReply, p.code().to_string()))
}

fn classify(e: reqwest::Error) -> (Fallback, String) {
    if e.is_timeout() {
        (Fallback::Timeout, "no answer in time".into())
    } else {
        // reqwest's message quotes the URL; the host is in the audit record already.
        let e = e.without_url();
        let cause = std::error::Error::source(&e).map(|s| format!(": {s}")).unwrap_or_default();
        (Fallback::Unreachable, format!("{e}{cause}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_endpoint_is_checked_and_the_key_never_printed() {
        let c = AiConfig::new("http://127.0.0.1:8000/v1/", "qwen", Some("sk-secret".into()), 20).unwrap();
        assert_eq!(c.url(), "http://127.0.0.1:8000/v1/chat/completions");
        assert_eq!(c.host(), "127.0.0.1:8000");
        assert!(!format!("{c:?}").contains("sk-secret"));
        assert!(AiConfig::new("ftp://x/v1", "m", None, 20).unwrap_err().starts_with("endpoint"));
        assert!(AiConfig::new("http://x/v1", " ", None, 20).unwrap_err().starts_with("model"));
        assert!(AiConfig::new("http://x/v1", "m", None, 0).unwrap_err().starts_with("timeout_secs"));
        assert!(AiConfig::new("not a url", "m", None, 5).unwrap_err().starts_with("endpoint"));
    }
}
