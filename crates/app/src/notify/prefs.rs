//! A user's notification settings (T-7): e-mail on or off, an IM webhook (Feishu/Lark, DingTalk,
//! WeCom or Slack-compatible) with its signing secret, the categories each channel leaves out,
//! a test message, and the user's latest deliveries with why any failed.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::notify::im::Platform;
use waymark_domain::notify::{Category, Prefs};
use waymark_store::repo::{jobs as jobs_repo, notify_prefs as repo};

use crate::audit::{entry, json};
use crate::jobs::{self, Job, JobView};
use crate::notify::pref_of;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{AppError, AppResult, FieldIssue};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeliveryView {
    pub id: Uuid,
    /// email, im or test.
    pub kind: String,
    /// queued, running, done or failed.
    pub state: String,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub finished_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotifyPrefsView {
    pub email_enabled: bool,
    /// The address on the user's employee record (HR keeps it).
    pub email_address: Option<String>,
    /// Whether this server has a mail server configured.
    pub email_available: bool,
    /// Categories not sent by e-mail.
    pub email_off: Vec<String>,
    pub im_enabled: bool,
    /// feishu, dingtalk, wecom or slack.
    pub im_platform: Option<String>,
    pub im_url: Option<String>,
    /// Whether a signing secret is kept (it is never shown again).
    pub im_has_secret: bool,
    /// Categories not sent to the IM webhook.
    pub im_off: Vec<String>,
    /// The categories: workflow, tracking, reminders.
    pub categories: Vec<String>,
    pub platforms: Vec<String>,
    /// The latest 20 deliveries to this user.
    pub deliveries: Vec<DeliveryView>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NotifyPrefsInput {
    pub email_enabled: bool,
    #[serde(default)]
    pub email_off: Vec<String>,
    pub im_enabled: bool,
    pub im_platform: Option<String>,
    pub im_url: Option<String>,
    /// The platform's signing secret (Feishu, DingTalk). Absent: keep the one kept; empty:
    /// remove it.
    pub im_secret: Option<String>,
    #[serde(default)]
    pub im_off: Vec<String>,
}

fn codes(cs: &[Category]) -> Vec<String> {
    cs.iter().map(|c| c.code().to_string()).collect()
}

fn categories(field: &str, given: &[String], issues: &mut Vec<FieldIssue>) -> Vec<Category> {
    let mut out: Vec<Category> = Vec::new();
    for g in given {
        match Category::parse(g) {
            Some(c) if !out.contains(&c) => out.push(c),
            Some(_) => {}
            None => issues.push(FieldIssue::new(
                field,
                "unknown",
                format!("{g:?} is not one of workflow, tracking, reminders"),
            )),
        }
    }
    out.sort();
    out
}

/// A webhook address Waymark may call: http(s), on the platform's own host (https) or on a host
/// the administrator allowed (`im_hosts`), so the server cannot be pointed at internal services.
fn check_url(platform: Platform, raw: &str, allowed_hosts: &[String]) -> Result<String, (&'static str, String)> {
    let raw = raw.trim();
    if raw.len() > 2000 {
        return Err(("too_long", "at most 2000 characters".into()));
    }
    let url = reqwest::Url::parse(raw).map_err(|e| ("not_url", format!("not a URL: {e}")))?;
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    let official = platform.official_hosts().contains(&host.as_str());
    let listed = allowed_hosts.iter().any(|h| h.eq_ignore_ascii_case(&host));
    match url.scheme() {
        "https" if official || listed => Ok(url.to_string()),
        "http" if listed => Ok(url.to_string()),
        "https" | "http" if !official && !listed => Err((
            "host_not_allowed",
            format!(
                "{host} is not {}'s webhook host ({}); an administrator can allow other hosts (im_hosts)",
                platform.code(),
                platform.official_hosts().join(", ")
            ),
        )),
        _ => Err(("not_https", "the platform's webhooks are https".into())),
    }
}

impl crate::notify::NotifyService<'_> {
    fn me(actor: &Actor) -> AppResult<Uuid> {
        let me = actor.user_id.ok_or(AppError::Unauthenticated)?;
        if !allowed(actor, Action::Write, Resource::NotificationPrefs, Facts { is_self: true, ..Facts::default() }) {
            return Err(AppError::Forbidden);
        }
        Ok(me)
    }

    pub async fn prefs(&self, actor: &Actor) -> AppResult<NotifyPrefsView> {
        let me = Self::me(actor)?;
        let c = &self.app.db.conn;
        let r = repo::recipients(c, &[me]).await?.pop().ok_or(AppError::NotFound("user"))?;
        let deliveries = jobs_repo::for_recipient(c, me, 20).await?;
        let p = pref_of(&r);
        Ok(NotifyPrefsView {
            email_enabled: p.email_enabled,
            email_address: r.email,
            email_available: self.app.config.notify.mail.is_some(),
            email_off: codes(&p.email_off),
            im_enabled: p.im_enabled,
            im_platform: p.im_platform.map(|x| x.code().to_string()),
            im_url: p.im_url,
            im_has_secret: p.im_secret.is_some(),
            im_off: codes(&p.im_off),
            categories: Category::ALL.iter().map(|c| c.code().to_string()).collect(),
            platforms: Platform::ALL.iter().map(|p| p.code().to_string()).collect(),
            deliveries: deliveries
                .into_iter()
                .map(|j| DeliveryView {
                    id: j.id,
                    kind: j.kind,
                    state: j.state.code().into(),
                    attempts: j.attempts,
                    last_error: j.last_error,
                    created_at: j.created_at,
                    finished_at: j.finished_at,
                })
                .collect(),
        })
    }

    /// Saves the settings after checking them all; audited without the secret.
    pub async fn set_prefs(&self, actor: &Actor, input: NotifyPrefsInput) -> AppResult<NotifyPrefsView> {
        let me = Self::me(actor)?;
        let mut issues = Vec::new();
        let email_off = categories("email_off", &input.email_off, &mut issues);
        let im_off = categories("im_off", &input.im_off, &mut issues);
        let platform_text = input.im_platform.as_deref().map(str::trim).filter(|s| !s.is_empty());
        let platform = platform_text.and_then(Platform::parse);
        if platform_text.is_some() && platform.is_none() {
            issues.push(FieldIssue::new("im_platform", "unknown", "must be feishu, dingtalk, wecom or slack"));
        }
        let url = match (platform, input.im_url.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
            (_, None) => None,
            (Some(p), Some(u)) => check_url(p, u, &self.app.config.notify.im_hosts)
                .map_err(|(code, m)| issues.push(FieldIssue::new("im_url", code, m)))
                .ok(),
            (None, Some(_)) => {
                if platform_text.is_none() {
                    issues.push(FieldIssue::new("im_platform", "required", "say which platform the webhook is on"));
                }
                None
            }
        };
        if input.im_enabled && (platform.is_none() || url.is_none()) && issues.is_empty() {
            issues.push(FieldIssue::new("im_url", "required", "IM needs a platform and a webhook URL"));
        }
        let c = &self.app.db.conn;
        let before = repo::get(c, me).await?;
        let secret = match input.im_secret.as_deref().map(str::trim) {
            None => before.as_ref().and_then(|b| b.im_secret.clone()),
            Some("") => None,
            Some(s) if s.chars().count() > 200 => {
                issues.push(FieldIssue::new("im_secret", "too_long", "at most 200 characters"));
                None
            }
            Some(s) => Some(s.to_string()),
        };
        if let Some(p) = platform
            && !p.signs()
            && input.im_secret.as_deref().is_some_and(|s| !s.trim().is_empty())
        {
            issues.push(FieldIssue::new("im_secret", "not_signed", format!("{} webhooks are not signed", p.code())));
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = self.app.clock.now();
        let row = Prefs {
            user_id: me,
            email_enabled: input.email_enabled,
            email_off,
            im_enabled: input.im_enabled,
            im_platform: platform,
            im_url: url,
            im_secret: secret.filter(|_| platform.is_some_and(Platform::signs)),
            im_off,
            updated_at: now,
        };
        let redact = |p: &Prefs| {
            serde_json::json!({
                "email_enabled": p.email_enabled, "email_off": codes(&p.email_off).join(","), "im_enabled": p.im_enabled,
                "im_platform": p.im_platform.map(|x| x.code()), "im_host": p.im_url.as_deref().and_then(|u| reqwest::Url::parse(u).ok()).and_then(|u| u.host_str().map(str::to_string)),
                "im_has_secret": p.im_secret.is_some(), "im_off": codes(&p.im_off).join(","),
            })
        };
        let tx = self.app.db.begin_write().await?;
        repo::upsert(&*tx, row.clone()).await?;
        let audit = entry(
            actor,
            now,
            "notification_pref",
            me,
            actor.employee_id,
            "update",
            before.as_ref().and_then(|b| json(&redact(b))),
            json(&redact(&row)),
            None,
        );
        tx.audit(vec![audit]);
        tx.commit().await?;
        self.prefs(actor).await
    }

    /// Queues a test message to oneself on `channel` (email or im) as it is set now.
    pub async fn send_test(&self, actor: &Actor, channel: &str) -> AppResult<JobView> {
        let me = Self::me(actor)?;
        let view = self.prefs(actor).await?;
        match channel {
            "email" if !view.email_available => {
                return Err(AppError::field("channel", "unavailable", "no mail server is configured on this server"));
            }
            "email" if view.email_address.is_none() => {
                return Err(AppError::field(
                    "channel",
                    "no_address",
                    "there is no e-mail address on your record; ask HR",
                ));
            }
            "im" if view.im_url.is_none() => {
                return Err(AppError::field("channel", "no_webhook", "set an IM webhook first"));
            }
            "email" | "im" => {}
            _ => return Err(AppError::field("channel", "unknown", "must be email or im")),
        }
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        let ids = jobs::enqueue(&*tx, now, vec![(Job::Test { user: me, channel: channel.into() }, Some(me))]).await?;
        tx.commit().await?;
        let job = jobs_repo::get(&self.app.db.conn, ids[0]).await?.ok_or(AppError::NotFound("job"))?;
        Ok(job.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t7_webhook_hosts_are_the_platforms_own_unless_allowed() {
        assert!(check_url(Platform::DingTalk, "https://oapi.dingtalk.com/robot/send?access_token=x", &[]).is_ok());
        assert!(check_url(Platform::DingTalk, "http://oapi.dingtalk.com/robot/send", &[]).is_err());
        assert!(check_url(Platform::Slack, "https://10.0.0.5/hooks/x", &[]).is_err());
        assert!(check_url(Platform::Slack, "http://127.0.0.1:9/hooks/x", &["127.0.0.1".into()]).is_ok());
        assert!(check_url(Platform::Feishu, "file:///etc/passwd", &[]).is_err());
        assert!(check_url(Platform::Feishu, "not a url", &[]).is_err());
    }
}
