//! One settings struct, layered by figment.

use std::path::PathBuf;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Settings {
    /// Address to listen on.
    pub listen: String,
    /// Data directory: holds the SQLite database when no database URL is set.
    pub data_dir: PathBuf,
    /// `postgres://user@host/db` to use PostgreSQL instead of the embedded SQLite file.
    pub database_url: Option<String>,
    /// Mark cookies Secure (set when users reach Waymark over https).
    pub secure_cookies: bool,
    /// Largest import file, in MiB.
    pub import_max_mb: usize,
    /// Largest check-in attachment, in MiB.
    pub attachment_max_mb: usize,
    /// How long a sign-in lasts, in hours.
    pub session_hours: i64,
    /// Log format: text or json.
    pub log_format: String,
    /// Waymark's address as users reach it, for links in e-mail and IM messages
    /// (default: http:// and the listen address).
    pub public_url: Option<String>,
    /// Webhook hosts users may point IM notifications at besides the platforms' own
    /// (open.feishu.cn, open.larksuite.com, oapi.dingtalk.com, qyapi.weixin.qq.com, hooks.slack.com).
    pub im_hosts: Vec<String>,
    /// The SMTP server for e-mail notifications; absent: no e-mail.
    pub mail: Option<MailSettings>,
    /// Where each signed checkpoint of the audit chain is also sent, out of reach of whoever can
    /// write to the database and the data directory; absent: the checkpoint file alone.
    pub audit_shipping: Option<AuditShippingSettings>,
    /// An OpenAI-compatible chat endpoint that drafts the wording of development reports and
    /// suggests rewrites of flagged feedback; absent: off (the rules' drafts alone).
    pub ai: Option<AiSettings>,
    /// Run the job worker (deliveries, the nightly sweep) in `serve`.
    pub worker: bool,
    /// A claimed job is free for another worker after this many seconds.
    pub job_lease_secs: i64,
    /// Pause between looks at an empty job queue, in milliseconds.
    pub job_idle_ms: u64,
    /// The server key as 64 hexadecimal digits; absent: `<data_dir>/secret.key`, made on first
    /// start. Several instances on one PostgreSQL database must share it.
    pub secret_key: Option<String>,
    /// Addresses (or CIDR ranges) of reverse proxies whose X-Forwarded-For and
    /// X-Forwarded-Proto are believed; from anyone else they are ignored.
    pub trusted_proxies: Vec<String>,
    /// A bearer token that `/metrics` asks for; absent: `/metrics` is served only on
    /// `metrics_listen`.
    pub metrics_token: Option<String>,
    /// A separate address (e.g. 127.0.0.1:9090) that serves `/metrics` alone.
    pub metrics_listen: Option<String>,
    /// Page and API reads worked on at once; the rest wait their turn, so that writes are not
    /// starved under load. Absent: four per core.
    pub reads_at_once: Option<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MailSettings {
    pub host: String,
    /// Default 587 (STARTTLS); 465 for tls, 25 for a local relay.
    #[serde(default = "default_mail_port")]
    pub port: u16,
    /// none, starttls (default) or tls.
    #[serde(default = "default_mail_tls")]
    pub tls: String,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender, e.g. "路标 <waymark@example.com>".
    pub from: String,
    #[serde(default = "default_mail_timeout")]
    pub timeout_secs: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AuditShippingSettings {
    /// Mailboxes that receive each checkpoint (needs `[mail]`).
    #[serde(default)]
    pub mail_to: Vec<String>,
    /// An IM group robot: feishu, dingtalk, wecom or slack, with its webhook URL and, for
    /// Feishu and DingTalk, its signing secret.
    pub im_platform: Option<String>,
    pub im_url: Option<String>,
    pub im_secret: Option<String>,
    /// The messages' language: zh-CN (default) or en.
    #[serde(default = "default_shipping_lang")]
    pub lang: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AiSettings {
    /// The API's base URL, e.g. http://127.0.0.1:8000/v1 (requests go to
    /// <endpoint>/chat/completions).
    pub endpoint: String,
    pub model: String,
    /// Sent as a bearer token; better given as WAYMARK_AI__API_KEY than written in the file.
    pub api_key: Option<String>,
    /// Wait at most this long for a draft (1–120 s); then the rules' draft is shown.
    #[serde(default = "default_ai_timeout")]
    pub timeout_secs: u64,
}

fn default_ai_timeout() -> u64 {
    20
}

fn default_shipping_lang() -> String {
    "zh-CN".into()
}

fn default_mail_port() -> u16 {
    587
}
fn default_mail_tls() -> String {
    "starttls".into()
}
fn default_mail_timeout() -> u64 {
    20
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            listen: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("./waymark-data"),
            database_url: None,
            secure_cookies: false,
            import_max_mb: 10,
            attachment_max_mb: 10,
            session_hours: 12,
            log_format: "text".into(),
            public_url: None,
            im_hosts: Vec::new(),
            mail: None,
            audit_shipping: None,
            ai: None,
            worker: true,
            job_lease_secs: 300,
            job_idle_ms: 1000,
            secret_key: None,
            trusted_proxies: Vec::new(),
            metrics_token: None,
            metrics_listen: None,
            reads_at_once: None,
        }
    }
}

/// Flags that override the layered settings when given.
#[derive(Debug, Default, Serialize)]
pub struct Overrides {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listen: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_url: Option<String>,
}

pub fn load(config: Option<&PathBuf>, overrides: Overrides) -> anyhow::Result<Settings> {
    let file = config.cloned().unwrap_or_else(|| PathBuf::from("waymark.toml"));
    if config.is_some() && !file.exists() {
        anyhow::bail!("configuration file {} does not exist", file.display());
    }
    let s: Settings = Figment::from(Serialized::defaults(Settings::default()))
        .merge(Toml::file(&file))
        // WAYMARK_MAIL__HOST sets mail.host.
        .merge(Env::prefixed("WAYMARK_").split("__"))
        .merge(Serialized::defaults(overrides))
        .extract()?;
    if !(5..=86_400).contains(&s.job_lease_secs) {
        anyhow::bail!("job_lease_secs must be 5–86400, not {}", s.job_lease_secs);
    }
    if s.log_format != "text" && s.log_format != "json" {
        anyhow::bail!("log_format must be text or json, not {:?}", s.log_format);
    }
    Ok(s)
}
