//! The in-app inbox (T-7's first channel): services put messages in, each user reads their own.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::notify::Notification;
use waymark_store::WriteTxn;
use waymark_store::repo::inbox as repo;

use crate::policy::Actor;
use crate::{App, AppError, AppResult};

pub struct InboxService<'a> {
    pub(crate) app: &'a App,
}

/// What a message is about; `kind` names its text (`inbox-<kind>` in the language files).
#[derive(Clone)]
pub struct Message<'a> {
    pub kind: &'a str,
    pub entity_type: &'a str,
    pub entity_id: Uuid,
    pub subject: &'a str,
    pub body: Option<&'a str>,
}

/// Puts one message in each recipient's inbox with the write `tx` (a decision and its
/// notification are written together or not at all). The actor is not told of their own action.
pub fn notify(tx: &WriteTxn, actor: &Actor, now: DateTime<Utc>, recipients: &[Uuid], m: Message<'_>) {
    let mut seen = std::collections::HashSet::new();
    let each = recipients.iter().filter(|r| seen.insert(**r)).map(|r| (*r, m.clone())).collect();
    notify_each(tx, actor, now, each)
}

/// Puts its own message in each recipient's inbox (e.g. each person's newly assigned goal), with
/// the jobs that deliver them by e-mail and IM as the recipients' preferences say (T-7).
pub fn notify_each(tx: &WriteTxn, actor: &Actor, now: DateTime<Utc>, messages: Vec<(Uuid, Message<'_>)>) {
    let inbox: Vec<Notification> = messages
        .into_iter()
        .filter(|(r, _)| Some(*r) != actor.user_id)
        .map(|(r, m)| Notification {
            id: Uuid::now_v7(),
            recipient_id: r,
            kind: m.kind.to_string(),
            entity_type: m.entity_type.to_string(),
            entity_id: m.entity_id,
            actor_name: actor.display_name.clone(),
            subject: m.subject.to_string(),
            body: m.body.map(str::to_string),
            read_at: None,
            created_at: now,
        })
        .collect();
    let ids: Vec<Uuid> = inbox.iter().map(|n| n.id).collect();
    let fan_outs = ids
        .chunks(1000)
        .map(|ids| crate::jobs::Job::Fanout { notifications: ids.to_vec() }.row(now, now, None))
        .collect();
    tx.notify(inbox, fan_outs);
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: Uuid,
    pub kind: String,
    pub entity_type: String,
    pub entity_id: Uuid,
    /// Who acted.
    pub actor_name: String,
    /// What it is about, e.g. the goal's title.
    pub subject: String,
    /// A comment that came with it, e.g. why a goal was returned.
    pub body: Option<String>,
    pub read: bool,
    pub created_at: DateTime<Utc>,
    /// Where the message leads in Waymark (a path).
    pub link: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Inbox {
    pub unread: u64,
    pub items: Vec<NotificationView>,
}

impl From<Notification> for NotificationView {
    fn from(n: Notification) -> Self {
        let link = crate::notify::render::link_path(&n.kind, &n.entity_type, n.entity_id);
        NotificationView {
            link,
            id: n.id,
            kind: n.kind,
            entity_type: n.entity_type,
            entity_id: n.entity_id,
            actor_name: n.actor_name,
            subject: n.subject,
            body: n.body,
            read: n.read_at.is_some(),
            created_at: n.created_at,
        }
    }
}

impl InboxService<'_> {
    fn me(actor: &Actor) -> AppResult<Uuid> {
        actor.user_id.ok_or(AppError::Forbidden)
    }

    /// The newest 50 messages and the unread count; a user sees only their own inbox.
    pub async fn list(&self, actor: &Actor) -> AppResult<Inbox> {
        let me = Self::me(actor)?;
        let c = &self.app.db.conn;
        let items = repo::latest(c, me, 50).await?.into_iter().map(NotificationView::from).collect();
        Ok(Inbox { unread: repo::unread_count(c, me).await?, items })
    }

    pub async fn unread(&self, actor: &Actor) -> AppResult<u64> {
        Ok(repo::unread_count(&self.app.db.conn, Self::me(actor)?).await?)
    }

    /// Marks one message (or all, with `None`) read.
    pub async fn mark_read(&self, actor: &Actor, id: Option<Uuid>) -> AppResult<u64> {
        let me = Self::me(actor)?;
        let tx = self.app.db.begin_write().await?;
        let n = repo::mark_read(&*tx, me, id, self.app.clock.now()).await?;
        tx.commit().await?;
        if id.is_some() && n == 0 {
            // Unknown, someone else's or already read: nothing to tell apart for the caller.
            return Ok(0);
        }
        Ok(n)
    }
}
