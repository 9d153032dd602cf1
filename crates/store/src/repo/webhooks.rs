//! Inbound webhooks (F-7): integrations, external ids, received events and feedback to-dos.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::{external_identity, feedback_todo, integration, webhook_event};

pub const QUEUED: &str = "queued";
pub const DONE: &str = "done";
pub const OPEN: &str = "open";

pub async fn insert_integration<C: ConnectionTrait>(c: &C, i: integration::Model) -> StoreResult<()> {
    integration::Entity::insert(i.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn integration<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<integration::Model>> {
    Ok(integration::Entity::find_by_id(id).one(c).await?)
}

pub async fn integrations<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<integration::Model>> {
    Ok(integration::Entity::find().order_by_asc(integration::Column::CreatedAt).all(c).await?)
}

/// Changes the secret, the team or whether it is active.
pub async fn update_integration<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    secret: Option<&str>,
    team: Option<&str>,
    active: Option<bool>,
) -> StoreResult<()> {
    let mut u = integration::Entity::update_many().filter(integration::Column::Id.eq(id));
    if let Some(s) = secret {
        u = u.col_expr(integration::Column::Secret, Expr::value(s));
    }
    if let Some(t) = team {
        u = u.col_expr(integration::Column::Team, Expr::value(t));
    }
    if let Some(a) = active {
        u = u.col_expr(integration::Column::Active, Expr::value(a));
    }
    u.exec(c).await?;
    Ok(())
}

pub async fn put_identity<C: ConnectionTrait>(
    c: &C,
    system: &str,
    external_id: &str,
    employee: Uuid,
) -> StoreResult<()> {
    use external_identity::Column as K;
    let row =
        external_identity::Model { system: system.into(), external_id: external_id.into(), employee_id: employee };
    external_identity::Entity::insert(row.into_active_model())
        .on_conflict(OnConflict::columns([K::System, K::ExternalId]).update_column(K::EmployeeId).to_owned())
        .exec_without_returning(c)
        .await?;
    Ok(())
}

pub async fn delete_identity<C: ConnectionTrait>(c: &C, system: &str, external_id: &str) -> StoreResult<bool> {
    let r = external_identity::Entity::delete_by_id((system.to_string(), external_id.to_string())).exec(c).await?;
    Ok(r.rows_affected == 1)
}

pub async fn identities<C: ConnectionTrait>(c: &C, limit: u64) -> StoreResult<Vec<external_identity::Model>> {
    Ok(external_identity::Entity::find()
        .order_by_asc(external_identity::Column::System)
        .order_by_asc(external_identity::Column::ExternalId)
        .limit(limit)
        .all(c)
        .await?)
}

/// (external id, employee) for those of `ids` mapped in `system`.
pub async fn mapped<C: ConnectionTrait>(c: &C, system: &str, ids: &[String]) -> StoreResult<Vec<(String, Uuid)>> {
    Ok(external_identity::Entity::find()
        .select_only()
        .column(external_identity::Column::ExternalId)
        .column(external_identity::Column::EmployeeId)
        .filter(external_identity::Column::System.eq(system))
        .filter(external_identity::Column::ExternalId.is_in(ids.iter().cloned()))
        .into_tuple()
        .all(c)
        .await?)
}

/// Records a received event; false when one with its id, or its very body, was already
/// received (either unique key).
pub async fn record_event<C: ConnectionTrait>(c: &C, e: webhook_event::Model) -> StoreResult<bool> {
    let n = webhook_event::Entity::insert(e.into_active_model())
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .exec_without_returning(c)
        .await?;
    Ok(n == 1)
}

pub async fn event<C: ConnectionTrait>(
    c: &C,
    integration: Uuid,
    id: &str,
) -> StoreResult<Option<webhook_event::Model>> {
    Ok(webhook_event::Entity::find_by_id((integration, id.to_string())).one(c).await?)
}

pub async fn finish_event<C: ConnectionTrait>(
    c: &C,
    integration: Uuid,
    id: &str,
    todos: i32,
    unknown: &str,
) -> StoreResult<()> {
    webhook_event::Entity::update_many()
        .col_expr(webhook_event::Column::State, Expr::value(DONE))
        .col_expr(webhook_event::Column::Todos, Expr::value(todos))
        .col_expr(webhook_event::Column::Unknown, Expr::value(unknown))
        .filter(webhook_event::Column::IntegrationId.eq(integration))
        .filter(webhook_event::Column::EventId.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

/// The latest events of an integration, without their payloads.
pub async fn recent_events<C: ConnectionTrait>(
    c: &C,
    integration: Uuid,
    limit: u64,
) -> StoreResult<Vec<(String, DateTime<Utc>, String, i32, String)>> {
    use webhook_event::Column as K;
    Ok(webhook_event::Entity::find()
        .select_only()
        .columns([K::EventId, K::ReceivedAt, K::State, K::Todos, K::Unknown])
        .filter(K::IntegrationId.eq(integration))
        .order_by_desc(K::ReceivedAt)
        .limit(limit)
        .into_tuple()
        .all(c)
        .await?)
}

/// Inserts to-dos, skipping any the event already made (a retried job).
pub async fn insert_todos<C: ConnectionTrait>(c: &C, rows: Vec<feedback_todo::Model>) -> StoreResult<()> {
    use feedback_todo::Column as K;
    if rows.is_empty() {
        return Ok(());
    }
    feedback_todo::Entity::insert_many(rows.into_iter().map(IntoActiveModel::into_active_model))
        .on_conflict(
            OnConflict::columns([K::IntegrationId, K::EventId, K::OwnerId, K::AboutId]).do_nothing().to_owned(),
        )
        .exec_without_returning(c)
        .await?;
    Ok(())
}

pub async fn open_todos<C: ConnectionTrait>(c: &C, owner: Uuid, limit: u64) -> StoreResult<Vec<feedback_todo::Model>> {
    Ok(feedback_todo::Entity::find()
        .filter(feedback_todo::Column::OwnerId.eq(owner))
        .filter(feedback_todo::Column::State.eq(OPEN))
        .order_by_desc(feedback_todo::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await?)
}

pub async fn todo<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<feedback_todo::Model>> {
    Ok(feedback_todo::Entity::find_by_id(id).one(c).await?)
}

/// Closes open to-dos: one (`id`), or all of `owner`'s about `about`; how many were closed.
pub async fn close_todos<C: ConnectionTrait>(
    c: &C,
    owner: Uuid,
    id: Option<Uuid>,
    about: Option<Uuid>,
    state: &str,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let mut u = feedback_todo::Entity::update_many()
        .col_expr(feedback_todo::Column::State, Expr::value(state))
        .col_expr(feedback_todo::Column::ClosedAt, Expr::value(Some(now)))
        .filter(feedback_todo::Column::OwnerId.eq(owner))
        .filter(feedback_todo::Column::State.eq(OPEN));
    if let Some(id) = id {
        u = u.filter(feedback_todo::Column::Id.eq(id));
    }
    if let Some(a) = about {
        u = u.filter(feedback_todo::Column::AboutId.eq(a));
    }
    Ok(u.exec(c).await?.rows_affected)
}
