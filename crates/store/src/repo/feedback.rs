//! Feedback (F-2) and requests for it; the counts behind a manager's balance (F-4).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::StoreResult;
use crate::entities::{feedback, feedback_request, feedback_request_ask};

pub const OPEN: &str = "open";
pub const ANSWERED: &str = "answered";
pub const DECLINED: &str = "declined";

pub async fn insert_feedback<C: ConnectionTrait>(c: &C, f: feedback::Model) -> StoreResult<()> {
    feedback::Entity::insert(f.into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn feedback<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<feedback::Model>> {
    Ok(feedback::Entity::find_by_id(id).one(c).await?)
}

/// Newest first, before `before` when paging.
pub async fn feedback_to<C: ConnectionTrait>(c: &C, recipient: Uuid, limit: u64) -> StoreResult<Vec<feedback::Model>> {
    Ok(feedback::Entity::find()
        .filter(feedback::Column::RecipientId.eq(recipient))
        .order_by_desc(feedback::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await?)
}

pub async fn feedback_from<C: ConnectionTrait>(c: &C, giver: Uuid, limit: u64) -> StoreResult<Vec<feedback::Model>> {
    Ok(feedback::Entity::find()
        .filter(feedback::Column::GiverId.eq(giver))
        .order_by_desc(feedback::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await?)
}

pub async fn public_feedback<C: ConnectionTrait>(c: &C, limit: u64) -> StoreResult<Vec<feedback::Model>> {
    Ok(feedback::Entity::find()
        .filter(feedback::Column::Visibility.eq("public"))
        .order_by_desc(feedback::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await?)
}

/// How many items of `kind` a giver gave since `since`.
pub async fn given_since<C: ConnectionTrait>(c: &C, giver: Uuid, kind: &str, since: DateTime<Utc>) -> StoreResult<u64> {
    Ok(feedback::Entity::find()
        .filter(feedback::Column::GiverId.eq(giver))
        .filter(feedback::Column::Kind.eq(kind))
        .filter(feedback::Column::CreatedAt.gte(since))
        .count(c)
        .await?)
}

// ---- requests -----------------------------------------------------------------------------

pub async fn insert_request<C: ConnectionTrait>(
    c: &C,
    r: feedback_request::Model,
    responders: &[Uuid],
) -> StoreResult<()> {
    let id = r.id;
    feedback_request::Entity::insert(r.into_active_model()).exec_without_returning(c).await?;
    let asks = responders.iter().map(|p| {
        feedback_request_ask::Model {
            request_id: id,
            responder_id: *p,
            state: OPEN.into(),
            feedback_id: None,
            answered_at: None,
        }
        .into_active_model()
    });
    feedback_request_ask::Entity::insert_many(asks).exec_without_returning(c).await?;
    Ok(())
}

pub async fn request<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<feedback_request::Model>> {
    Ok(feedback_request::Entity::find_by_id(id).one(c).await?)
}

pub async fn asks_of<C: ConnectionTrait>(c: &C, request: Uuid) -> StoreResult<Vec<feedback_request_ask::Model>> {
    Ok(feedback_request_ask::Entity::find().filter(feedback_request_ask::Column::RequestId.eq(request)).all(c).await?)
}

/// The asks of several requests, in one read.
pub async fn asks_of_requests<C: ConnectionTrait>(
    c: &C,
    requests: &[Uuid],
) -> StoreResult<Vec<feedback_request_ask::Model>> {
    Ok(feedback_request_ask::Entity::find()
        .filter(feedback_request_ask::Column::RequestId.is_in(requests.iter().copied()))
        .all(c)
        .await?)
}

pub async fn ask<C: ConnectionTrait>(
    c: &C,
    request: Uuid,
    responder: Uuid,
) -> StoreResult<Option<feedback_request_ask::Model>> {
    Ok(feedback_request_ask::Entity::find_by_id((request, responder)).one(c).await?)
}

/// The requests still waiting for `responder`'s answer, newest first.
pub async fn open_asks_for<C: ConnectionTrait>(c: &C, responder: Uuid) -> StoreResult<Vec<feedback_request::Model>> {
    let ids: Vec<Uuid> = feedback_request_ask::Entity::find()
        .select_only()
        .column(feedback_request_ask::Column::RequestId)
        .filter(feedback_request_ask::Column::ResponderId.eq(responder))
        .filter(feedback_request_ask::Column::State.eq(OPEN))
        .into_tuple()
        .all(c)
        .await?;
    Ok(feedback_request::Entity::find()
        .filter(feedback_request::Column::Id.is_in(ids))
        .order_by_desc(feedback_request::Column::CreatedAt)
        .all(c)
        .await?)
}

pub async fn requests_by<C: ConnectionTrait>(
    c: &C,
    requester: Uuid,
    limit: u64,
) -> StoreResult<Vec<feedback_request::Model>> {
    Ok(feedback_request::Entity::find()
        .filter(feedback_request::Column::RequesterId.eq(requester))
        .order_by_desc(feedback_request::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await?)
}

/// Closes an open ask as answered by `feedback` or declined (`feedback` none); false when it
/// was not open (answered twice, or racing a decline).
pub async fn close_ask<C: ConnectionTrait>(
    c: &C,
    request: Uuid,
    responder: Uuid,
    feedback: Option<Uuid>,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let state = if feedback.is_some() { ANSWERED } else { DECLINED };
    let r = feedback_request_ask::Entity::update_many()
        .col_expr(feedback_request_ask::Column::State, Expr::value(state))
        .col_expr(feedback_request_ask::Column::FeedbackId, Expr::value(feedback))
        .col_expr(feedback_request_ask::Column::AnsweredAt, Expr::value(Some(now)))
        .filter(feedback_request_ask::Column::RequestId.eq(request))
        .filter(feedback_request_ask::Column::ResponderId.eq(responder))
        .filter(feedback_request_ask::Column::State.eq(OPEN))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}
