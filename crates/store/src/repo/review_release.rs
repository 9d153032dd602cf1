//! Release, acknowledgement and appeals of review results (V-6).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::{review_appeal, review_participant};

const CHUNK: usize = 500;

/// Marks the participants released, skipping any already released; returns how many were.
pub async fn release<C: ConnectionTrait>(c: &C, ids: &[Uuid], at: DateTime<Utc>, by: &str) -> StoreResult<u64> {
    let mut n = 0;
    for chunk in ids.chunks(CHUNK) {
        n += review_participant::Entity::update_many()
            .col_expr(review_participant::Column::ReleasedAt, Expr::value(Some(at)))
            .col_expr(review_participant::Column::ReleasedByName, Expr::value(Some(by.to_string())))
            .filter(review_participant::Column::Id.is_in(chunk.iter().copied()))
            .filter(review_participant::Column::ReleasedAt.is_null())
            .exec(c)
            .await?
            .rows_affected;
    }
    Ok(n)
}

pub async fn acknowledge<C: ConnectionTrait>(
    c: &C,
    participant: Uuid,
    at: DateTime<Utc>,
    comment: Option<String>,
) -> StoreResult<()> {
    review_participant::Entity::update_many()
        .col_expr(review_participant::Column::AcknowledgedAt, Expr::value(Some(at)))
        .col_expr(review_participant::Column::AckComment, Expr::value(comment))
        .filter(review_participant::Column::Id.eq(participant))
        .exec(c)
        .await?;
    Ok(())
}

pub async fn insert_appeal<C: ConnectionTrait>(c: &C, a: review_appeal::Model) -> StoreResult<()> {
    review_appeal::Entity::insert(a.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn update_appeal<C: ConnectionTrait>(c: &C, a: review_appeal::Model) -> StoreResult<()> {
    a.into_active_model().reset_all().update(c).await?;
    Ok(())
}

pub async fn appeal<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<review_appeal::Model>> {
    Ok(review_appeal::Entity::find_by_id(id).one(c).await?)
}

pub async fn appeal_of<C: ConnectionTrait>(c: &C, participant: Uuid) -> StoreResult<Option<review_appeal::Model>> {
    Ok(review_appeal::Entity::find().filter(review_appeal::Column::ParticipantId.eq(participant)).one(c).await?)
}

/// The appeals not yet decided, oldest first: few at any time, whoever they wait on.
pub async fn open_appeals<C: ConnectionTrait>(c: &C) -> StoreResult<Vec<review_appeal::Model>> {
    Ok(review_appeal::Entity::find()
        .filter(review_appeal::Column::State.ne("decided"))
        .order_by_asc(review_appeal::Column::CreatedAt)
        .all(c)
        .await?)
}

/// The appeals about these participants, oldest first.
pub async fn appeals_of<C: ConnectionTrait>(c: &C, participants: &[Uuid]) -> StoreResult<Vec<review_appeal::Model>> {
    let mut out = Vec::new();
    for chunk in participants.chunks(CHUNK) {
        out.extend(
            review_appeal::Entity::find()
                .filter(review_appeal::Column::ParticipantId.is_in(chunk.iter().copied()))
                .order_by_asc(review_appeal::Column::CreatedAt)
                .all(c)
                .await?,
        );
    }
    out.sort_by_key(|a| a.created_at);
    Ok(out)
}

/// Sets the grade a decided appeal changed the result to.
pub async fn set_appeal_grade<C: ConnectionTrait>(c: &C, participant: Uuid, grade: &str) -> StoreResult<()> {
    review_participant::Entity::update_many()
        .col_expr(review_participant::Column::AppealGrade, Expr::value(Some(grade.to_string())))
        .filter(review_participant::Column::Id.eq(participant))
        .exec(c)
        .await?;
    Ok(())
}
