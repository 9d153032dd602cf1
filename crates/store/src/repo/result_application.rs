//! Promotion nominations and incentives from released results (V-9).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::{promotion_nomination, result_incentive};

const CHUNK: usize = 500;

pub async fn insert_nomination<C: ConnectionTrait>(c: &C, n: promotion_nomination::Model) -> StoreResult<()> {
    promotion_nomination::Entity::insert(n.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn nomination<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<promotion_nomination::Model>> {
    Ok(promotion_nomination::Entity::find_by_id(id).one(c).await?)
}

pub async fn nomination_of<C: ConnectionTrait>(
    c: &C,
    participant: Uuid,
) -> StoreResult<Option<promotion_nomination::Model>> {
    Ok(promotion_nomination::Entity::find()
        .filter(promotion_nomination::Column::ParticipantId.eq(participant))
        .one(c)
        .await?)
}

pub async fn nominations_of_cycle<C: ConnectionTrait>(
    c: &C,
    cycle: Uuid,
) -> StoreResult<Vec<promotion_nomination::Model>> {
    Ok(promotion_nomination::Entity::find()
        .filter(promotion_nomination::Column::CycleId.eq(cycle))
        .order_by_asc(promotion_nomination::Column::CreatedAt)
        .all(c)
        .await?)
}

/// Records the decision on a nomination still open; false when it was decided meanwhile.
pub async fn decide_nomination<C: ConnectionTrait>(
    c: &C,
    id: Uuid,
    state: &str,
    note: Option<String>,
    by: &str,
    at: DateTime<Utc>,
) -> StoreResult<bool> {
    let r = promotion_nomination::Entity::update_many()
        .col_expr(promotion_nomination::Column::State, Expr::value(state))
        .col_expr(promotion_nomination::Column::DecisionNote, Expr::value(note))
        .col_expr(promotion_nomination::Column::DecidedByName, Expr::value(Some(by.to_string())))
        .col_expr(promotion_nomination::Column::DecidedAt, Expr::value(Some(at)))
        .filter(promotion_nomination::Column::Id.eq(id))
        .filter(promotion_nomination::Column::State.eq("nominated"))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

pub async fn insert_incentives<C: ConnectionTrait>(c: &C, rows: Vec<result_incentive::Model>) -> StoreResult<()> {
    for chunk in rows.chunks(CHUNK) {
        result_incentive::Entity::insert_many(chunk.iter().cloned().map(IntoActiveModel::into_active_model))
            .exec_without_returning(c)
            .await?;
    }
    Ok(())
}

pub async fn incentives_of_cycle<C: ConnectionTrait>(c: &C, cycle: Uuid) -> StoreResult<Vec<result_incentive::Model>> {
    Ok(result_incentive::Entity::find()
        .filter(result_incentive::Column::CycleId.eq(cycle))
        .order_by_asc(result_incentive::Column::CreatedAt)
        .all(c)
        .await?)
}

pub async fn incentives_of_participant<C: ConnectionTrait>(
    c: &C,
    participant: Uuid,
) -> StoreResult<Vec<result_incentive::Model>> {
    Ok(result_incentive::Entity::find()
        .filter(result_incentive::Column::ParticipantId.eq(participant))
        .order_by_asc(result_incentive::Column::CreatedAt)
        .all(c)
        .await?)
}
