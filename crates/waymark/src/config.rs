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
        .merge(Env::prefixed("WAYMARK_"))
        .merge(Serialized::defaults(overrides))
        .extract()?;
    if s.log_format != "text" && s.log_format != "json" {
        anyhow::bail!("log_format must be text or json, not {:?}", s.log_format);
    }
    Ok(s)
}
