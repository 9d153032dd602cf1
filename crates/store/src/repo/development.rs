//! Review conversations (V-5) and development plans with their actions and checkpoints (D-1).

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use uuid::Uuid;

use waymark_domain::development::{ActionKind, Plan, PlanAction, PlanCheckpoint, PlanState};

use crate::entities::{dev_action, dev_checkpoint, dev_plan, review_conversation};
use crate::{StoreError, StoreResult};

// A plan's state or capabilities, or an action's kind, that we did not write are refused as
// corrupt: capabilities read as none would drop what the plan is for.

fn to_plan(m: dev_plan::Model) -> StoreResult<Plan> {
    Ok(Plan {
        id: m.id,
        employee_id: m.employee_id,
        participant_id: m.participant_id,
        title: m.title,
        capabilities: serde_json::from_str(&m.capabilities)
            .map_err(|_| StoreError::Corrupt("development plan capabilities"))?,
        state: PlanState::parse(&m.state).ok_or(StoreError::Corrupt("development plan state"))?,
        created_by_name: m.created_by_name,
        created_at: m.created_at,
        updated_at: m.updated_at,
    })
}

fn plan_row(p: Plan) -> dev_plan::Model {
    dev_plan::Model {
        id: p.id,
        employee_id: p.employee_id,
        participant_id: p.participant_id,
        title: p.title,
        capabilities: serde_json::to_string(&p.capabilities).unwrap_or_else(|_| "[]".into()),
        state: p.state.code().into(),
        created_by_name: p.created_by_name,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

fn to_plans(rows: Vec<dev_plan::Model>) -> StoreResult<Vec<Plan>> {
    rows.into_iter().map(to_plan).collect()
}

fn to_action(a: dev_action::Model) -> StoreResult<PlanAction> {
    Ok(PlanAction {
        id: a.id,
        plan_id: a.plan_id,
        kind: ActionKind::parse(&a.kind).ok_or(StoreError::Corrupt("development action kind"))?,
        title: a.title,
        capability: a.capability,
        due_on: a.due_on,
        done_at: a.done_at,
        position: a.position,
    })
}

fn action_row(a: PlanAction) -> dev_action::Model {
    dev_action::Model {
        id: a.id,
        plan_id: a.plan_id,
        kind: a.kind.code().into(),
        title: a.title,
        capability: a.capability,
        due_on: a.due_on,
        done_at: a.done_at,
        position: a.position,
    }
}

fn to_checkpoint(k: dev_checkpoint::Model) -> PlanCheckpoint {
    PlanCheckpoint {
        id: k.id,
        plan_id: k.plan_id,
        due_on: k.due_on,
        note: k.note,
        held_at: k.held_at,
        held_by_name: k.held_by_name,
    }
}

fn checkpoint_row(k: PlanCheckpoint) -> dev_checkpoint::Model {
    dev_checkpoint::Model {
        id: k.id,
        plan_id: k.plan_id,
        due_on: k.due_on,
        note: k.note,
        held_at: k.held_at,
        held_by_name: k.held_by_name,
    }
}

pub async fn conversation<C: ConnectionTrait>(
    c: &C,
    participant: Uuid,
) -> StoreResult<Option<review_conversation::Model>> {
    Ok(review_conversation::Entity::find_by_id(participant).one(c).await?)
}

/// Inserts or replaces the conversation of its participant.
pub async fn save_conversation<C: ConnectionTrait>(c: &C, m: review_conversation::Model) -> StoreResult<()> {
    review_conversation::Entity::delete_by_id(m.participant_id).exec(c).await?;
    review_conversation::Entity::insert(m.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn insert_plan<C: ConnectionTrait>(
    c: &C,
    plan: Plan,
    actions: Vec<PlanAction>,
    checkpoints: Vec<PlanCheckpoint>,
) -> StoreResult<()> {
    dev_plan::Entity::insert(plan_row(plan).into_active_model()).exec_without_returning(c).await?;
    if !actions.is_empty() {
        dev_action::Entity::insert_many(actions.into_iter().map(|a| action_row(a).into_active_model()))
            .exec_without_returning(c)
            .await?;
    }
    if !checkpoints.is_empty() {
        dev_checkpoint::Entity::insert_many(checkpoints.into_iter().map(|k| checkpoint_row(k).into_active_model()))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

pub async fn plan<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<Plan>> {
    dev_plan::Entity::find_by_id(id).one(c).await?.map(to_plan).transpose()
}

pub async fn update_plan<C: ConnectionTrait>(c: &C, p: Plan) -> StoreResult<()> {
    plan_row(p).into_active_model().reset_all().update(c).await?;
    Ok(())
}

/// A person's plans, newest first.
pub async fn plans_of<C: ConnectionTrait>(c: &C, employee: Uuid) -> StoreResult<Vec<Plan>> {
    to_plans(
        dev_plan::Entity::find()
            .filter(dev_plan::Column::EmployeeId.eq(employee))
            .order_by_desc(dev_plan::Column::CreatedAt)
            .all(c)
            .await?,
    )
}

/// The plans made from one review.
pub async fn plans_from<C: ConnectionTrait>(c: &C, participant: Uuid) -> StoreResult<Vec<Plan>> {
    to_plans(
        dev_plan::Entity::find()
            .filter(dev_plan::Column::ParticipantId.eq(participant))
            .order_by_asc(dev_plan::Column::CreatedAt)
            .all(c)
            .await?,
    )
}

pub async fn actions<C: ConnectionTrait>(c: &C, plan: Uuid) -> StoreResult<Vec<PlanAction>> {
    dev_action::Entity::find()
        .filter(dev_action::Column::PlanId.eq(plan))
        .order_by_asc(dev_action::Column::Position)
        .all(c)
        .await?
        .into_iter()
        .map(to_action)
        .collect()
}

pub async fn action<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<PlanAction>> {
    dev_action::Entity::find_by_id(id).one(c).await?.map(to_action).transpose()
}

pub async fn set_action_done<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    done_at: Option<chrono::DateTime<chrono::Utc>>,
) -> StoreResult<()> {
    dev_action::Entity::update_many()
        .col_expr(dev_action::Column::DoneAt, Expr::value(done_at))
        .filter(dev_action::Column::Id.eq(id))
        .exec(c)
        .await?;
    Ok(())
}

pub async fn checkpoints<C: ConnectionTrait>(c: &C, plan: Uuid) -> StoreResult<Vec<PlanCheckpoint>> {
    Ok(dev_checkpoint::Entity::find()
        .filter(dev_checkpoint::Column::PlanId.eq(plan))
        .order_by_asc(dev_checkpoint::Column::DueOn)
        .all(c)
        .await?
        .into_iter()
        .map(to_checkpoint)
        .collect())
}

pub async fn checkpoint<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<PlanCheckpoint>> {
    Ok(dev_checkpoint::Entity::find_by_id(id).one(c).await?.map(to_checkpoint))
}

pub async fn update_checkpoint<C: ConnectionTrait>(c: &C, k: PlanCheckpoint) -> StoreResult<()> {
    checkpoint_row(k).into_active_model().reset_all().update(c).await?;
    Ok(())
}
