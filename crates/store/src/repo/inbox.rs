//! The in-app inbox: notifications per user, newest first, with an unread count.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::notification;

pub async fn insert<C: ConnectionTrait>(c: &C, rows: Vec<notification::Model>) -> StoreResult<()> {
    for chunk in rows.chunks(200) {
        notification::Entity::insert_many(chunk.iter().cloned().map(IntoActiveModel::into_active_model))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

pub async fn latest<C: ConnectionTrait>(c: &C, user: Uuid, limit: u64) -> StoreResult<Vec<notification::Model>> {
    Ok(notification::Entity::find()
        .filter(notification::Column::RecipientId.eq(user))
        .order_by_desc(notification::Column::CreatedAt)
        .order_by_desc(notification::Column::Id)
        .limit(limit)
        .all(c)
        .await?)
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

pub async fn by_ids<C: ConnectionTrait>(c: &C, ids: &[Uuid]) -> StoreResult<Vec<notification::Model>> {
    let mut out = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        out.extend(
            notification::Entity::find().filter(notification::Column::Id.is_in(chunk.iter().copied())).all(c).await?,
        );
    }
    Ok(out)
}
