//! E-mail over SMTP (lettre): plain and HTML alternatives, a Message-ID fixed per delivery so a
//! retried message can be recognised by the receiving side, pooled connections.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::DeliveryError;
use super::render::Rendered;

/// How to reach the mail server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailTls {
    /// Plain SMTP (a relay on the same host or network).
    None,
    /// Plain connection upgraded with STARTTLS, required (usually port 587).
    StartTls,
    /// TLS from the first byte (SMTPS, usually port 465).
    Tls,
}

impl MailTls {
    pub fn parse(s: &str) -> Option<MailTls> {
        match s {
            "none" => Some(MailTls::None),
            "starttls" => Some(MailTls::StartTls),
            "tls" => Some(MailTls::Tls),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct MailConfig {
    pub host: String,
    pub port: u16,
    pub tls: MailTls,
    pub username: Option<String>,
    pub password: Option<String>,
    /// The sender, e.g. `路标 <waymark@example.com>`.
    pub from: Mailbox,
    pub timeout_secs: u64,
}

impl MailConfig {
    /// The mail server's settings checked: a host, a TLS mode, a sender that is an address,
    /// a user name and password given together.
    pub fn new(
        host: &str,
        port: u16,
        tls: &str,
        username: Option<String>,
        password: Option<String>,
        from: &str,
        timeout_secs: u64,
    ) -> Result<MailConfig, String> {
        if host.trim().is_empty() {
            return Err("mail.host is empty".into());
        }
        let tls = MailTls::parse(tls).ok_or_else(|| format!("mail.tls must be none, starttls or tls, not {tls:?}"))?;
        let from = from.parse::<Mailbox>().map_err(|e| format!("mail.from {from:?} is not an address: {e}"))?;
        if username.is_some() != password.is_some() {
            return Err("mail.username and mail.password go together".into());
        }
        Ok(MailConfig {
            host: host.trim().into(),
            port,
            tls,
            username,
            password,
            from,
            timeout_secs: timeout_secs.max(1),
        })
    }
}

/// SMTP connections kept open to the mail server, per instance (the worker's default batch).
const MAX_CONNECTIONS: u32 = 16;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl Mailer {
    pub fn new(cfg: &MailConfig) -> Result<Mailer, String> {
        // As many pooled connections as a worker sends at once (its batch): with lettre's default
        // of 10, six of a batch of 16 waited for a connection.
        let pool = PoolConfig::new().max_size(MAX_CONNECTIONS);
        let mut b = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&cfg.host)
            .port(cfg.port)
            .timeout(Some(Duration::from_secs(cfg.timeout_secs)))
            .pool_config(pool);
        let tls = || TlsParameters::new(cfg.host.clone()).map_err(|e| format!("TLS for {}: {e}", cfg.host));
        b = match cfg.tls {
            MailTls::None => b.tls(Tls::None),
            MailTls::StartTls => b.tls(Tls::Required(tls()?)),
            MailTls::Tls => b.tls(Tls::Wrapper(tls()?)),
        };
        if let (Some(u), Some(p)) = (&cfg.username, &cfg.password) {
            b = b.credentials(Credentials::new(u.clone(), p.clone()));
        }
        Ok(Mailer { transport: b.build(), from: cfg.from.clone() })
    }

    /// Sends one message; `message_id` is without angle brackets (`<id>@<host>`).
    pub async fn send(&self, to: Mailbox, r: &Rendered, message_id: &str) -> Result<(), DeliveryError> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(r.subject.clone())
            .message_id(Some(format!("<{message_id}>")))
            .multipart(MultiPart::alternative_plain_html(r.text.clone(), r.html.clone()))
            .map_err(|e| DeliveryError::permanent(format!("cannot build the message: {e}")))?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            // A 5xx answer (unknown mailbox, refused sender) will not change by retrying.
            Err(e) if e.is_permanent() => Err(DeliveryError::permanent(format!("the mail server refused: {e}"))),
            Err(e) => Err(DeliveryError::transient(format!("mail server: {e}"))),
        }
    }
}
