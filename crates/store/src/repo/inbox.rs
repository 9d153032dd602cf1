//! The in-app inbox: notifications per user, newest first, with an unread count.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;
use waymark_domain::notify::Notification;

use crate::StoreResult;
use crate::entities::notification;

fn to_notification(m: notification::Model) -> Notification {
    Notification {
        id: m.id,
        recipient_id: m.recipient_id,
        kind: m.kind,
        entity_type: m.entity_type,
        entity_id: m.entity_id,
        actor_name: m.actor_name,
        subject: m.subject,
        body: m.body,
        read_at: m.read_at,
        created_at: m.created_at,
    }
}

fn notification_row(n: Notification) -> notification::Model {
    notification::Model {
        id: n.id,
        recipient_id: n.recipient_id,
        kind: n.kind,
        entity_type: n.entity_type,
        entity_id: n.entity_id,
        actor_name: n.actor_name,
        subject: n.subject,
        body: n.body,
        read_at: n.read_at,
        created_at: n.created_at,
    }
}

/// Messages join inboxes only with the write that sends them (`WriteTxn::notify`).
pub(crate) async fn insert<C: ConnectionTrait>(c: &C, messages: Vec<Notification>) -> StoreResult<()> {
    for chunk in messages.chunks(200) {
        notification::Entity::insert_many(chunk.iter().cloned().map(|n| notification_row(n).into_active_model()))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

pub async fn latest<C: ConnectionTrait>(c: &C, user: Uuid, limit: u64) -> StoreResult<Vec<Notification>> {
    Ok(notification::Entity::find()
        .filter(notification::Column::RecipientId.eq(user))
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(to_notification)
        .collect())
}

pub async fn unread_count<C: ConnectionTrait>(c: &C, user: Uuid) -> StoreResult<u64> {
    Ok(notification::Entity::find()
        .filter(notification::Column::RecipientId.eq(user))
        .filter(notification::Column::ReadAt.is_null())
        .count(c)
        .await?)
}

/// Marks one (`Some(id)`) or all of a user's notifications read; only the user's own.
pub async fn mark_read<C: ConnectionTrait>(
    c: &C,
    user: Uuid,
    id: Option<Uuid>,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let mut q = notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(now))
        .filter(notification::Column::RecipientId.eq(user))
        .filter(notification::Column::ReadAt.is_null());
    if let Some(id) = id {
        q = q.filter(notification::Column::Id.eq(id));
    }
    Ok(q.exec(c).await?.rows_affected)
}

pub async fn by_ids<C: ConnectionTrait>(c: &C, ids: &[Uuid]) -> StoreResult<Vec<Notification>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let rows =
            notification::Entity::find().filter(notification::Column::Id.is_in(chunk.iter().copied())).all(c).await?;
        out.extend(rows.into_iter().map(to_notification));
    }
    Ok(out)
}
