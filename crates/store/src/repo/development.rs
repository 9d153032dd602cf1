//! Review conversations (V-5) and development plans with their actions and checkpoints (D-1).

use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::{dev_action, dev_checkpoint, dev_plan, review_conversation};

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
    plan: dev_plan::Model,
    actions: Vec<dev_action::Model>,
    checkpoints: Vec<dev_checkpoint::Model>,
) -> StoreResult<()> {
    dev_plan::Entity::insert(plan.into_active_model()).exec_without_returning(c).await?;
    if !actions.is_empty() {
        dev_action::Entity::insert_many(actions.into_iter().map(|a| a.into_active_model()))
            .exec_without_returning(c)
            .await?;
    }
    if !checkpoints.is_empty() {
        dev_checkpoint::Entity::insert_many(checkpoints.into_iter().map(|a| a.into_active_model()))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

pub async fn plan<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<dev_plan::Model>> {
    Ok(dev_plan::Entity::find_by_id(id).one(c).await?)
}

pub async fn update_plan<C: ConnectionTrait>(c: &C, p: dev_plan::Model) -> StoreResult<()> {
    p.into_active_model().reset_all().update(c).await?;
    Ok(())
}

/// A person's plans, newest first.
pub async fn plans_of<C: ConnectionTrait>(c: &C, employee: Uuid) -> StoreResult<Vec<dev_plan::Model>> {
    Ok(dev_plan::Entity::find()
        .filter(dev_plan::Column::EmployeeId.eq(employee))
        .order_by_desc(dev_plan::Column::CreatedAt)
        .all(c)
        .await?)
}

/// The plans made from one review.
pub async fn plans_from<C: ConnectionTrait>(c: &C, participant: Uuid) -> StoreResult<Vec<dev_plan::Model>> {
    Ok(dev_plan::Entity::find()
        .filter(dev_plan::Column::ParticipantId.eq(participant))
        .order_by_asc(dev_plan::Column::CreatedAt)
        .all(c)
        .await?)
}

pub async fn actions<C: ConnectionTrait>(c: &C, plan: Uuid) -> StoreResult<Vec<dev_action::Model>> {
    Ok(dev_action::Entity::find()
        .filter(dev_action::Column::PlanId.eq(plan))
        .order_by_asc(dev_action::Column::Position)
        .all(c)
        .await?)
}

pub async fn action<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<dev_action::Model>> {
    Ok(dev_action::Entity::find_by_id(id).one(c).await?)
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

pub async fn checkpoints<C: ConnectionTrait>(c: &C, plan: Uuid) -> StoreResult<Vec<dev_checkpoint::Model>> {
    Ok(dev_checkpoint::Entity::find()
        .filter(dev_checkpoint::Column::PlanId.eq(plan))
        .order_by_asc(dev_checkpoint::Column::DueOn)
        .all(c)
        .await?)
}

pub async fn checkpoint<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<dev_checkpoint::Model>> {
    Ok(dev_checkpoint::Entity::find_by_id(id).one(c).await?)
}

pub async fn update_checkpoint<C: ConnectionTrait>(c: &C, m: dev_checkpoint::Model) -> StoreResult<()> {
    m.into_active_model().reset_all().update(c).await?;
    Ok(())
}
