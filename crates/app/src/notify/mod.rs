//! Notifications beyond the inbox (T-7): each user's channels and what they want on them, and
//! the delivery jobs that carry inbox messages to e-mail and IM. A message is written to the
//! inbox with a fan-out job in the same transaction; the fan-out reads the recipients'
//! preferences and queues one delivery per channel, each retried on its own.

mod email;
mod im;
mod prefs;
pub mod render;

use std::sync::Arc;

use lettre::message::Mailbox;
use uuid::Uuid;
use waymark_domain::notify::{Category, Prefs};
use waymark_store::repo::{inbox as inbox_repo, notify_prefs};

use crate::App;
use crate::i18n::Lang;
use crate::jobs::{self, Job};

pub use email::{MailConfig, MailTls, Mailer};
pub use im::ImSender;
pub use prefs::{DeliveryView, NotifyPrefsInput, NotifyPrefsView};

/// Where delivered messages go and what may be addressed.
#[derive(Debug, Clone)]
pub struct NotifyConfig {
    /// The SMTP server; none: no e-mail is sent.
    pub mail: Option<MailConfig>,
    /// Waymark's address as users reach it, for links in messages.
    pub public_url: String,
    /// Webhook hosts allowed besides the platforms' own (a self-hosted Mattermost, a proxy).
    pub im_hosts: Vec<String>,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        Self { mail: None, public_url: "http://127.0.0.1:8080".into(), im_hosts: Vec::new() }
    }
}

pub struct NotifyService<'a> {
    pub(crate) app: &'a App,
}

/// The ways out, built once from the configuration and shared by every worker task.
pub struct Channels {
    mailer: Option<Result<Mailer, String>>,
    pub(crate) im: ImSender,
}

impl Channels {
    pub fn new(cfg: &NotifyConfig) -> Arc<Channels> {
        Arc::new(Channels { mailer: cfg.mail.as_ref().map(Mailer::new), im: ImSender::new() })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Email,
    Im,
}

/// Why a delivery did not happen. A permanent failure (the server refused the address, the
/// webhook refused the signature) is not retried; a transient one is, with backoff.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryError {
    pub permanent: bool,
    pub reason: String,
}

impl DeliveryError {
    pub fn permanent(reason: impl Into<String>) -> Self {
        Self { permanent: true, reason: reason.into() }
    }
    pub fn transient(reason: impl std::fmt::Display) -> Self {
        Self { permanent: false, reason: reason.to_string() }
    }
}

/// Which channels a recipient wants for a category, as their preferences say (no preferences:
/// e-mail on, no IM), given whether the server can send e-mail at all.
fn wanted(r: &notify_prefs::Recipient, category: Category, mail_configured: bool) -> Vec<Channel> {
    let mut out = Vec::new();
    if r.disabled {
        return out;
    }
    let p = pref_of(r);
    if mail_configured && r.email.is_some() && p.wants_email(category) {
        out.push(Channel::Email);
    }
    if p.wants_im(category) {
        out.push(Channel::Im);
    }
    out
}

/// A recipient's preferences, or the defaults for someone who never set any.
pub(crate) fn pref_of(r: &notify_prefs::Recipient) -> Prefs {
    r.pref.clone().unwrap_or_else(|| Prefs::default_for(r.user_id))
}

/// The fan-out job: one delivery job per wanted channel of each message's recipient.
pub(crate) async fn fan_out(app: &App, ids: &[Uuid]) -> Result<(), DeliveryError> {
    let c = &app.db.conn;
    let messages = inbox_repo::by_ids(c, ids).await.map_err(DeliveryError::transient)?;
    let mut users: Vec<Uuid> = messages.iter().map(|m| m.recipient_id).collect();
    users.sort();
    users.dedup();
    let recipients: std::collections::HashMap<Uuid, notify_prefs::Recipient> = notify_prefs::recipients(c, &users)
        .await
        .map_err(DeliveryError::transient)?
        .into_iter()
        .map(|r| (r.user_id, r))
        .collect();
    // A mail server that is configured but unusable still gets its deliveries, which then fail
    // with the reason for the administrator to see.
    let mail_configured = app.channels.mailer.is_some();
    let mut deliveries = Vec::new();
    for m in &messages {
        let Some(r) = recipients.get(&m.recipient_id) else { continue };
        for ch in wanted(r, Category::of_kind(&m.kind), mail_configured) {
            let job = match ch {
                Channel::Email => Job::Email { notification: m.id },
                Channel::Im => Job::Im { notification: m.id },
            };
            deliveries.push((job, Some(r.user_id)));
        }
    }
    let now = app.clock.now();
    let tx = app.db.begin_write().await.map_err(DeliveryError::transient)?;
    jobs::enqueue(&*tx, now, deliveries).await.map_err(DeliveryError::transient)?;
    tx.commit().await.map_err(DeliveryError::transient)?;
    Ok(())
}

fn lang_of(r: &notify_prefs::Recipient) -> Lang {
    r.locale.as_deref().and_then(Lang::parse).unwrap_or_default()
}

/// Delivers one inbox message on one channel. The recipient's preferences are read again:
/// a channel switched off since the message was queued is not used.
pub(crate) async fn deliver(app: &App, id: Uuid, channel: Channel, job_id: Uuid) -> Result<(), DeliveryError> {
    let c = &app.db.conn;
    let Some(n) = inbox_repo::by_ids(c, &[id]).await.map_err(DeliveryError::transient)?.pop() else {
        return Ok(()); // the message is gone (its user was removed): nothing to deliver
    };
    let Some(r) = notify_prefs::recipients(c, &[n.recipient_id]).await.map_err(DeliveryError::transient)?.pop() else {
        return Ok(());
    };
    let cfg = &app.config.notify;
    if !wanted(&r, Category::of_kind(&n.kind), app.channels.mailer.is_some()).contains(&channel) {
        return Ok(());
    }
    let text = render::notification(lang_of(&r), &n, &r.display_name, &cfg.public_url);
    send(app, &r, channel, &text, &format!("{}.{}", n.id, job_id.simple())).await
}

/// The test message a user asked for, on the channel as it is set now.
pub(crate) async fn deliver_test(app: &App, user: Uuid, channel: &str) -> Result<(), DeliveryError> {
    let r = notify_prefs::recipients(&app.db.conn, &[user])
        .await
        .map_err(DeliveryError::transient)?
        .pop()
        .ok_or_else(|| DeliveryError::permanent("the user no longer exists"))?;
    let channel = match channel {
        "email" => Channel::Email,
        "im" => Channel::Im,
        other => return Err(DeliveryError::permanent(format!("unknown channel {other}"))),
    };
    let text = render::test_message(lang_of(&r), &r.display_name, &app.config.notify.public_url);
    send(app, &r, channel, &text, &format!("test.{}", Uuid::now_v7().simple())).await
}

async fn send(
    app: &App,
    r: &notify_prefs::Recipient,
    channel: Channel,
    text: &render::Rendered,
    message_key: &str,
) -> Result<(), DeliveryError> {
    match channel {
        Channel::Email => {
            let address = r.email.as_deref().ok_or_else(|| DeliveryError::permanent("no e-mail address on record"))?;
            let to = format!("{} <{address}>", r.display_name)
                .parse::<Mailbox>()
                .or_else(|_| address.parse::<Mailbox>())
                .map_err(|e| DeliveryError::permanent(format!("{address:?} is not an e-mail address: {e}")))?;
            send_mail(app, to, text, message_key).await
        }
        Channel::Im => {
            let p = pref_of(r);
            let (Some(platform), Some(url)) = (p.im_platform, p.im_url.as_deref()) else {
                return Err(DeliveryError::permanent("no IM webhook is set"));
            };
            let now_ms = app.clock.now().timestamp_millis();
            app.channels.im.send(platform, url, p.im_secret.as_deref(), now_ms, &text.im).await
        }
    }
}

/// One message through the configured mail server; `message_key` makes its Message-ID.
pub(crate) async fn send_mail(
    app: &App,
    to: Mailbox,
    text: &render::Rendered,
    message_key: &str,
) -> Result<(), DeliveryError> {
    let mailer = match &app.channels.mailer {
        Some(Ok(m)) => m,
        Some(Err(e)) => return Err(DeliveryError::permanent(e.clone())),
        None => return Err(DeliveryError::permanent("no mail server is configured")),
    };
    let host = mailer_domain(app);
    mailer.send(to, text, &format!("{message_key}@{host}")).await
}

/// The domain part of Message-IDs: the sender's domain.
fn mailer_domain(app: &App) -> String {
    app.config
        .notify
        .mail
        .as_ref()
        .map(|m| m.from.email.domain().to_string())
        .unwrap_or_else(|| "waymark.invalid".into())
}
