//! Signed audit checkpoints sent out of the server (SPEC P-2, issue 21 item 5). The checkpoint
//! file in the data directory finds a chain rewound in the database; someone who can write to
//! both the database and the data directory can rewind that file too. A copy of each checkpoint
//! in a mailbox or an IM group that the server cannot take back is the anchor they cannot
//! reach: `waymark audit verify --checkpoints FILE` holds the chain against those copies.

use lettre::message::Mailbox;
use waymark_domain::notify::im::Platform;

use crate::App;
use crate::i18n::Lang;
use crate::jobs::Job;
use crate::notify::DeliveryError;

/// Where checkpoints are sent besides the file, as the operator configured it.
#[derive(Debug, Clone, Default)]
pub struct Shipping {
    /// Mailboxes that receive each checkpoint (through the notification mail server).
    pub mail_to: Vec<Mailbox>,
    /// An IM group robot that receives each checkpoint.
    pub im: Option<ImTarget>,
    /// The language of the messages.
    pub lang: Lang,
}

#[derive(Debug, Clone)]
pub struct ImTarget {
    pub platform: Platform,
    pub url: String,
    pub secret: Option<String>,
}

impl Shipping {
    /// The destinations as configured: mailboxes (which need the mail server), an IM robot
    /// (platform, URL, secret) and the language (zh-CN or en). The error names the setting that is wrong.
    pub fn configured(
        mail_to: &[String],
        mail_server: bool,
        (platform, url, secret): (Option<&str>, Option<&str>, Option<&str>),
        lang: &str,
    ) -> Result<Shipping, String> {
        if !mail_to.is_empty() && !mail_server {
            return Err("mail_to: needs a mail server ([mail])".into());
        }
        let mail_to = mail_to
            .iter()
            .map(|m| m.parse::<Mailbox>().map_err(|e| format!("mail_to: {m:?} is not an e-mail address: {e}")))
            .collect::<Result<Vec<_>, _>>()?;
        let im = match (platform, url) {
            (None, None) => None,
            (Some(p), Some(url)) => {
                let platform = Platform::parse(p)
                    .ok_or_else(|| format!("im_platform: {p:?} is not one of feishu, dingtalk, wecom, slack"))?;
                let parsed = reqwest::Url::parse(url).map_err(|e| format!("im_url: {e}"))?;
                if !matches!(parsed.scheme(), "https" | "http") {
                    return Err("im_url: must be an http(s) address".into());
                }
                Some(ImTarget { platform, url: url.to_string(), secret: secret.map(str::to_string) })
            }
            _ => return Err("im_platform and im_url: give both or neither".into()),
        };
        let lang = Lang::parse(lang).ok_or_else(|| format!("lang: {lang:?} is not zh-CN or en"))?;
        Ok(Shipping { mail_to, im, lang })
    }

    pub fn is_empty(&self) -> bool {
        self.mail_to.is_empty() && self.im.is_none()
    }

    /// One job per destination, so that a mailbox that refuses does not send the IM message
    /// again on each retry.
    pub(crate) fn jobs(&self, line: &str) -> Vec<Job> {
        let mut jobs: Vec<Job> = self
            .mail_to
            .iter()
            .map(|m| Job::ShipCheckpoint { line: line.to_string(), to: format!("mail:{}", m.email) })
            .collect();
        if self.im.is_some() {
            jobs.push(Job::ShipCheckpoint { line: line.to_string(), to: "im".into() });
        }
        jobs
    }

    /// Where checkpoints go, as an administrator reads it: addresses and the robot's host
    /// (never its URL, whose path or query is its secret).
    pub fn destinations(&self) -> Vec<String> {
        let mut out: Vec<String> = self.mail_to.iter().map(|m| m.email.to_string()).collect();
        if let Some(im) = &self.im {
            let host = reqwest::Url::parse(&im.url).ok().and_then(|u| u.host_str().map(str::to_string));
            out.push(format!("{} ({})", im.platform.code(), host.unwrap_or_default()));
        }
        out
    }
}

/// Sends one checkpoint line to one destination (`mail:<address>` or `im`).
pub(crate) async fn deliver(app: &App, line: &str, to: &str) -> Result<(), DeliveryError> {
    let shipping = &app.config.audit_shipping;
    // Read with the checkpoint's own format and key: a line the server did not sign is not sent.
    let cp = app.audit().read_line(line).ok_or_else(|| DeliveryError::permanent("not a checkpoint line"))?;
    let (seq, hash) = (cp.seq.to_string(), cp.hash.as_str());
    let time = app.zone().time(crate::audit::instant(&cp.at)).format("%Y-%m-%d %H:%M:%S").to_string();
    let link = format!("{}/admin/accounts", app.config.notify.public_url.trim_end_matches('/'));
    let r = crate::notify::render::audit_checkpoint(shipping.lang, &seq, hash, &time, line, &link);
    match to.strip_prefix("mail:") {
        Some(address) => {
            let to = shipping
                .mail_to
                .iter()
                .find(|m| m.email.to_string() == address)
                .cloned()
                .ok_or_else(|| DeliveryError::permanent(format!("{address} is no longer configured")))?;
            crate::notify::send_mail(app, to, &r, &format!("checkpoint.{seq}.{}", &hash[..hash.len().min(16)])).await
        }
        None => {
            let im = shipping.im.as_ref().ok_or_else(|| DeliveryError::permanent("no IM robot is configured"))?;
            let now_ms = app.clock.now().timestamp_millis();
            app.channels.im.send(im.platform, &im.url, im.secret.as_deref(), now_ms, &r.im).await
        }
    }
}
