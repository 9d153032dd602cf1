//! Probations and their checkpoints (V-8).

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::{probation, probation_checkpoint};

pub async fn insert<C: ConnectionTrait>(
    c: &C,
    p: probation::Model,
    checkpoints: Vec<probation_checkpoint::Model>,
) -> StoreResult<()> {
    probation::Entity::insert(p.into_active_model()).exec_without_returning(c).await?;
    probation_checkpoint::Entity::insert_many(checkpoints.into_iter().map(|k| k.into_active_model()))
        .exec_without_returning(c)
        .await?;
    Ok(())
}

pub async fn of_employee<C: ConnectionTrait>(c: &C, employee: Uuid) -> StoreResult<Option<probation::Model>> {
    Ok(probation::Entity::find().filter(probation::Column::EmployeeId.eq(employee)).one(c).await?)
}

pub async fn get<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<probation::Model>> {
    Ok(probation::Entity::find_by_id(id).one(c).await?)
}

pub async fn update<C: ConnectionTrait>(c: &C, p: probation::Model) -> StoreResult<()> {
    p.into_active_model().reset_all().update(c).await?;
    Ok(())
}

/// Probations still running, ending soonest first.
pub async fn in_progress<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<probation::Model>> {
    Ok(probation::Entity::find()
        .filter(probation::Column::State.eq("in_progress"))
        .order_by_asc(probation::Column::EndsOn)
        .all(c)
        .await?)
}

pub async fn checkpoints<C: ConnectionTrait>(c: &C, probation: Uuid) -> StoreResult<Vec<probation_checkpoint::Model>> {
    Ok(probation_checkpoint::Entity::find()
        .filter(probation_checkpoint::Column::ProbationId.eq(probation))
        .order_by_asc(probation_checkpoint::Column::DueOn)
        .all(c)
        .await?)
}

/// The checkpoints of many probations in one read, by probation then date.
pub async fn checkpoints_of<C: ConnectionTrait>(
    c: &C,
    probations: &[Uuid],
) -> StoreResult<Vec<probation_checkpoint::Model>> {
    let mut out = Vec::new();
    for chunk in probations.chunks(500) {
        out.extend(
            probation_checkpoint::Entity::find()
                .filter(probation_checkpoint::Column::ProbationId.is_in(chunk.iter().copied()))
                .order_by_asc(probation_checkpoint::Column::DueOn)
                .all(c)
                .await?,
        );
    }
    Ok(out)
}

pub async fn checkpoint<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<probation_checkpoint::Model>> {
    Ok(probation_checkpoint::Entity::find_by_id(id).one(c).await?)
}

pub async fn update_checkpoint<C: ConnectionTrait>(c: &C, k: probation_checkpoint::Model) -> StoreResult<()> {
    k.into_active_model().reset_all().update(c).await?;
    Ok(())
}
