//! Alignment requests (issue 22, item 1): pending until the parent's owner decides.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::alignment_request;

pub async fn insert<C: ConnectionTrait>(c: &C, rows: Vec<alignment_request::Model>) -> StoreResult<()> {
    for r in rows {
        alignment_request::Entity::insert(r.into_active_model()).exec_without_returning(c).await?;
    }
    Ok(())
}

pub async fn get<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<alignment_request::Model>> {
    Ok(alignment_request::Entity::find_by_id(id).one(c).await?)
}

/// Marks a pending request decided; false when it was no longer pending (decided meanwhile).
pub async fn decide<C: ConnectionTrait>(c: &C, decided: alignment_request::Model) -> StoreResult<bool> {
    use sea_orm::sea_query::Expr;
    let r = alignment_request::Entity::update_many()
        .col_expr(alignment_request::Column::State, Expr::value(decided.state))
        .col_expr(alignment_request::Column::DecidedByName, Expr::value(decided.decided_by_name))
        .col_expr(alignment_request::Column::DecidedAt, Expr::value(decided.decided_at))
        .col_expr(alignment_request::Column::DecisionNote, Expr::value(decided.decision_note))
        .col_expr(alignment_request::Column::WeightBp, Expr::value(decided.weight_bp))
        .filter(alignment_request::Column::Id.eq(decided.id))
        .filter(alignment_request::Column::State.eq("pending"))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}

/// The pending requests into any of these goals (asking to support them).
pub async fn pending_into<C: ConnectionTrait>(c: &C, parents: &[Uuid]) -> StoreResult<Vec<alignment_request::Model>> {
    Ok(alignment_request::Entity::find()
        .filter(alignment_request::Column::ParentGoalId.is_in(parents.to_vec()))
        .filter(alignment_request::Column::State.eq("pending"))
        .order_by_asc(alignment_request::Column::RequestedAt)
        .all(c)
        .await?)
}

/// The pending requests from any of these goals (asking to support another).
pub async fn pending_from<C: ConnectionTrait>(c: &C, children: &[Uuid]) -> StoreResult<Vec<alignment_request::Model>> {
    Ok(alignment_request::Entity::find()
        .filter(alignment_request::Column::ChildGoalId.is_in(children.to_vec()))
        .filter(alignment_request::Column::State.eq("pending"))
        .order_by_asc(alignment_request::Column::RequestedAt)
        .all(c)
        .await?)
}
