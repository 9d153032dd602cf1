//! Inbound webhooks (F-7): integrations, external ids, received events and feedback to-dos.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use waymark_domain::webhooks::{
    Ask, Event, EventState, EventSummary, ExternalIdentity, Integration, Source, Todo, TodoState,
};

use crate::entities::{external_identity, feedback_todo, integration, webhook_event};
use crate::{StoreError, StoreResult};

// ---- the mapping --------------------------------------------------------------------------
// An integration's kind decides how its deliveries are verified, an event's state whether its
// job makes to-dos and tells people, a to-do's state whether it is shown: a value we did not
// write is refused as corrupt. A team or a list of unknown names that does not parse is too
// (read as empty, a team would silently ask no one).

fn ids_json(ids: &[Uuid]) -> String {
    serde_json::to_string(ids).unwrap_or_else(|_| "[]".into())
}

fn to_integration(m: integration::Model) -> StoreResult<Integration> {
    Ok(Integration {
        id: m.id,
        source: Source::parse(&m.kind).ok_or(StoreError::Corrupt("integration kind"))?,
        name: m.name,
        secret: m.secret,
        team: serde_json::from_str(&m.team).map_err(|_| StoreError::Corrupt("integration team"))?,
        active: m.active,
        created_at: m.created_at,
    })
}

fn to_event(m: webhook_event::Model) -> StoreResult<Event> {
    Ok(Event {
        integration_id: m.integration_id,
        event_id: m.event_id,
        received_at: m.received_at,
        digest: m.digest,
        trigger: serde_json::from_str(&m.payload).map_err(|_| StoreError::Corrupt("webhook event payload"))?,
        state: EventState::parse(&m.state).ok_or(StoreError::Corrupt("webhook event state"))?,
        todos: m.todos,
        unknown: serde_json::from_str(&m.unknown).map_err(|_| StoreError::Corrupt("webhook event names"))?,
    })
}

fn to_todo(m: feedback_todo::Model) -> StoreResult<Todo> {
    Ok(Todo {
        id: m.id,
        owner_id: m.owner_id,
        about_id: m.about_id,
        ask: Ask::parse(&m.ask).ok_or(StoreError::Corrupt("feedback to-do ask"))?,
        title: m.title,
        url: m.url,
        integration_id: m.integration_id,
        event_id: m.event_id,
        state: TodoState::parse(&m.state).ok_or(StoreError::Corrupt("feedback to-do state"))?,
        created_at: m.created_at,
        closed_at: m.closed_at,
    })
}

fn todo_row(t: Todo) -> feedback_todo::Model {
    feedback_todo::Model {
        id: t.id,
        owner_id: t.owner_id,
        about_id: t.about_id,
        ask: t.ask.code().into(),
        title: t.title,
        url: t.url,
        integration_id: t.integration_id,
        event_id: t.event_id,
        state: t.state.code().into(),
        created_at: t.created_at,
        closed_at: t.closed_at,
    }
}

pub async fn insert_integration<C: ConnectionTrait>(c: &C, i: Integration) -> StoreResult<()> {
    let row = integration::Model {
        id: i.id,
        kind: i.source.code().into(),
        name: i.name,
        secret: i.secret,
        team: ids_json(&i.team),
        active: i.active,
        created_at: i.created_at,
    };
    integration::Entity::insert(row.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn integration<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<Integration>> {
    integration::Entity::find_by_id(id).one(c).await?.map(to_integration).transpose()
}

pub async fn integrations<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<Integration>> {
    integration::Entity::find()
        .order_by_asc(integration::Column::CreatedAt)
        .all(c)
        .await?
        .into_iter()
        .map(to_integration)
        .collect()
}

/// Changes the secret, the team or whether it is active.
pub async fn update_integration<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    secret: Option<&str>,
    team: Option<&[Uuid]>,
    active: Option<bool>,
) -> StoreResult<()> {
    let mut u = integration::Entity::update_many().filter(integration::Column::Id.eq(id));
    if let Some(s) = secret {
        u = u.col_expr(integration::Column::Secret, Expr::value(s));
    }
    if let Some(t) = team {
        u = u.col_expr(integration::Column::Team, Expr::value(ids_json(t)));
    }
    if let Some(a) = active {
        u = u.col_expr(integration::Column::Active, Expr::value(a));
    }
    u.exec(c).await?;
    Ok(())
}

pub async fn put_identity<C: ConnectionTrait>(c: &C, i: ExternalIdentity) -> StoreResult<()> {
    use external_identity::Column as K;
    let row = external_identity::Model {
        system: i.system.code().into(),
        external_id: i.external_id,
        employee_id: i.employee_id,
    };
    external_identity::Entity::insert(row.into_active_model())
        .on_conflict(OnConflict::columns([K::System, K::ExternalId]).update_column(K::EmployeeId).to_owned())
        .exec_without_returning(c)
        .await?;
    Ok(())
}

pub async fn delete_identity<C: ConnectionTrait>(c: &C, system: Source, external_id: &str) -> StoreResult<bool> {
    let r =
        external_identity::Entity::delete_by_id((system.code().to_string(), external_id.to_string())).exec(c).await?;
    Ok(r.rows_affected == 1)
}

pub async fn identities<C: ConnectionTrait>(c: &C, limit: u64) -> StoreResult<Vec<ExternalIdentity>> {
    external_identity::Entity::find()
        .order_by_asc(external_identity::Column::System)
        .order_by_asc(external_identity::Column::ExternalId)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(|m| {
            Ok(ExternalIdentity {
                system: Source::parse(&m.system).ok_or(StoreError::Corrupt("external id system"))?,
                external_id: m.external_id,
                employee_id: m.employee_id,
            })
        })
        .collect()
}

/// (external id, employee) for those of `ids` mapped in `system`.
pub async fn mapped<C: ConnectionTrait>(c: &C, system: Source, ids: &[String]) -> StoreResult<Vec<(String, Uuid)>> {
    Ok(external_identity::Entity::find()
        .select_only()
        .column(external_identity::Column::ExternalId)
        .column(external_identity::Column::EmployeeId)
        .filter(external_identity::Column::System.eq(system.code()))
        .filter(external_identity::Column::ExternalId.is_in(ids.iter().cloned()))
        .into_tuple()
        .all(c)
        .await?)
}

/// Records a received event; false when one with its id, or its very body, was already
/// received (either unique key).
pub async fn record_event<C: ConnectionTrait>(c: &C, e: Event) -> StoreResult<bool> {
    let row = webhook_event::Model {
        integration_id: e.integration_id,
        event_id: e.event_id,
        received_at: e.received_at,
        digest: e.digest,
        payload: serde_json::to_string(&e.trigger).map_err(|_| StoreError::Corrupt("webhook event payload"))?,
        state: e.state.code().into(),
        todos: e.todos,
        unknown: serde_json::to_string(&e.unknown).unwrap_or_else(|_| "[]".into()),
    };
    let n = webhook_event::Entity::insert(row.into_active_model())
        .on_conflict(OnConflict::new().do_nothing().to_owned())
        .exec_without_returning(c)
        .await?;
    Ok(n == 1)
}

pub async fn event<C: ConnectionTrait>(c: &C, integration: Uuid, id: &str) -> StoreResult<Option<Event>> {
    webhook_event::Entity::find_by_id((integration, id.to_string())).one(c).await?.map(to_event).transpose()
}

pub async fn finish_event<C: ConnectionTrait>(
    c: &C,
    integration: Uuid,
    id: &str,
    todos: i32,
    unknown: &[String],
) -> StoreResult<()> {
    let unknown = serde_json::to_string(unknown).unwrap_or_else(|_| "[]".into());
    webhook_event::Entity::update_many()
        .col_expr(webhook_event::Column::State, Expr::value(EventState::Done.code()))
        .col_expr(webhook_event::Column::Todos, Expr::value(todos))
        .col_expr(webhook_event::Column::Unknown, Expr::value(unknown))
        .filter(webhook_event::Column::IntegrationId.eq(integration))
        .filter(webhook_event::Column::EventId.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

/// The latest events of an integration, without their payloads.
pub async fn recent_events<C: ConnectionTrait>(c: &C, integration: Uuid, limit: u64) -> StoreResult<Vec<EventSummary>> {
    use webhook_event::Column as K;
    let rows: Vec<(String, DateTime<Utc>, String, i32, String)> = webhook_event::Entity::find()
        .select_only()
        .columns([K::EventId, K::ReceivedAt, K::State, K::Todos, K::Unknown])
        .filter(K::IntegrationId.eq(integration))
        .order_by_desc(K::ReceivedAt)
        .limit(limit)
        .into_tuple()
        .all(c)
        .await?;
    rows.into_iter()
        .map(|(event_id, received_at, state, todos, unknown)| {
            Ok(EventSummary {
                event_id,
                received_at,
                state: EventState::parse(&state).ok_or(StoreError::Corrupt("webhook event state"))?,
                todos,
                unknown: serde_json::from_str(&unknown).map_err(|_| StoreError::Corrupt("webhook event names"))?,
            })
        })
        .collect()
}

/// Inserts to-dos, skipping any the event already made (a retried job).
pub async fn insert_todos<C: ConnectionTrait>(c: &C, todos: Vec<Todo>) -> StoreResult<()> {
    use feedback_todo::Column as K;
    if todos.is_empty() {
        return Ok(());
    }
    feedback_todo::Entity::insert_many(todos.into_iter().map(|t| todo_row(t).into_active_model()))
        .on_conflict(
            OnConflict::columns([K::IntegrationId, K::EventId, K::OwnerId, K::AboutId]).do_nothing().to_owned(),
        )
        .exec_without_returning(c)
        .await?;
    Ok(())
}

pub async fn open_todos<C: ConnectionTrait>(c: &C, owner: Uuid, limit: u64) -> StoreResult<Vec<Todo>> {
    feedback_todo::Entity::find()
        .filter(feedback_todo::Column::OwnerId.eq(owner))
        .filter(feedback_todo::Column::State.eq(TodoState::Open.code()))
        .order_by_desc(feedback_todo::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(to_todo)
        .collect()
}

pub async fn todo<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<Todo>> {
    feedback_todo::Entity::find_by_id(id).one(c).await?.map(to_todo).transpose()
}

/// Closes open to-dos: one (`id`), or all of `owner`'s about `about`; how many were closed.
pub async fn close_todos<C: ConnectionTrait>(
    c: &C,
    owner: Uuid,
    id: Option<Uuid>,
    about: Option<Uuid>,
    state: TodoState,
    now: DateTime<Utc>,
) -> StoreResult<u64> {
    let mut u = feedback_todo::Entity::update_many()
        .col_expr(feedback_todo::Column::State, Expr::value(state.code()))
        .col_expr(feedback_todo::Column::ClosedAt, Expr::value(Some(now)))
        .filter(feedback_todo::Column::OwnerId.eq(owner))
        .filter(feedback_todo::Column::State.eq(TodoState::Open.code()));
    if let Some(id) = id {
        u = u.filter(feedback_todo::Column::Id.eq(id));
    }
    if let Some(a) = about {
        u = u.filter(feedback_todo::Column::AboutId.eq(a));
    }
    Ok(u.exec(c).await?.rows_affected)
}
