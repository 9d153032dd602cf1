//! Feedback (F-2) and requests for it; the counts behind a manager's balance (F-4).

use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use uuid::Uuid;
use waymark_domain::feedback::{Ask, AskState, Feedback, FeedbackRequest, Kind, Template, Visibility};

use crate::entities::{feedback, feedback_request, feedback_request_ask};
use crate::{StoreError, StoreResult};

fn to_feedback(m: feedback::Model) -> StoreResult<Feedback> {
    Ok(Feedback {
        id: m.id,
        giver_id: m.giver_id,
        recipient_id: m.recipient_id,
        kind: Kind::parse(&m.kind).ok_or(StoreError::Corrupt("feedback kind"))?,
        visibility: Visibility::parse(&m.visibility).ok_or(StoreError::Corrupt("feedback visibility"))?,
        template: Template::parse(&m.template).ok_or(StoreError::Corrupt("feedback template"))?,
        parts: serde_json::from_str(&m.parts).map_err(|_| StoreError::Corrupt("feedback parts"))?,
        body: m.body,
        goal_id: m.goal_id,
        request_id: m.request_id,
        created_at: m.created_at,
    })
}

fn feedback_row(f: Feedback) -> feedback::Model {
    feedback::Model {
        id: f.id,
        giver_id: f.giver_id,
        recipient_id: f.recipient_id,
        kind: f.kind.code().into(),
        visibility: f.visibility.code().into(),
        template: f.template.code().into(),
        parts: serde_json::to_string(&f.parts).unwrap_or_else(|_| "[]".into()),
        body: f.body,
        goal_id: f.goal_id,
        request_id: f.request_id,
        created_at: f.created_at,
    }
}

fn to_feedbacks(rows: Vec<feedback::Model>) -> StoreResult<Vec<Feedback>> {
    rows.into_iter().map(to_feedback).collect()
}

pub async fn insert_feedback<C: ConnectionTrait>(c: &C, f: Feedback) -> StoreResult<()> {
    feedback::Entity::insert(feedback_row(f).into_active_model()).exec_without_returning(c).await?;
    Ok(())
}

pub async fn feedback<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<Feedback>> {
    feedback::Entity::find_by_id(id).one(c).await?.map(to_feedback).transpose()
}

/// Newest first, at most `limit`.
pub async fn feedback_to<C: ConnectionTrait>(c: &C, recipient: Uuid, limit: u64) -> StoreResult<Vec<Feedback>> {
    to_feedbacks(
        feedback::Entity::find()
            .filter(feedback::Column::RecipientId.eq(recipient))
            .order_by_desc(feedback::Column::CreatedAt)
            .limit(limit)
            .all(c)
            .await?,
    )
}

pub async fn feedback_from<C: ConnectionTrait>(c: &C, giver: Uuid, limit: u64) -> StoreResult<Vec<Feedback>> {
    to_feedbacks(
        feedback::Entity::find()
            .filter(feedback::Column::GiverId.eq(giver))
            .order_by_desc(feedback::Column::CreatedAt)
            .limit(limit)
            .all(c)
            .await?,
    )
}

pub async fn public_feedback<C: ConnectionTrait>(c: &C, limit: u64) -> StoreResult<Vec<Feedback>> {
    to_feedbacks(
        feedback::Entity::find()
            .filter(feedback::Column::Visibility.eq(Visibility::Public.code()))
            .order_by_desc(feedback::Column::CreatedAt)
            .limit(limit)
            .all(c)
            .await?,
    )
}

/// How many items of `kind` a giver gave since `since`.
pub async fn given_since<C: ConnectionTrait>(c: &C, giver: Uuid, kind: Kind, since: DateTime<Utc>) -> StoreResult<u64> {
    Ok(feedback::Entity::find()
        .filter(feedback::Column::GiverId.eq(giver))
        .filter(feedback::Column::Kind.eq(kind.code()))
        .filter(feedback::Column::CreatedAt.gte(since))
        .count(c)
        .await?)
}

// ---- requests -----------------------------------------------------------------------------

fn to_request(m: feedback_request::Model) -> FeedbackRequest {
    FeedbackRequest {
        id: m.id,
        requester_id: m.requester_id,
        subject_id: m.subject_id,
        message: m.message,
        created_at: m.created_at,
    }
}

fn request_row(r: FeedbackRequest) -> feedback_request::Model {
    feedback_request::Model {
        id: r.id,
        requester_id: r.requester_id,
        subject_id: r.subject_id,
        message: r.message,
        created_at: r.created_at,
    }
}

fn to_ask(m: feedback_request_ask::Model) -> StoreResult<Ask> {
    Ok(Ask {
        request_id: m.request_id,
        responder_id: m.responder_id,
        state: AskState::parse(&m.state).ok_or(StoreError::Corrupt("feedback request state"))?,
        feedback_id: m.feedback_id,
        answered_at: m.answered_at,
    })
}

fn to_asks(rows: Vec<feedback_request_ask::Model>) -> StoreResult<Vec<Ask>> {
    rows.into_iter().map(to_ask).collect()
}

/// A request and an open ask of each responder.
pub async fn insert_request<C: ConnectionTrait>(c: &C, r: FeedbackRequest, responders: &[Uuid]) -> StoreResult<()> {
    let id = r.id;
    feedback_request::Entity::insert(request_row(r).into_active_model()).exec_without_returning(c).await?;
    let asks = responders.iter().map(|p| {
        feedback_request_ask::Model {
            request_id: id,
            responder_id: *p,
            state: AskState::Open.code().into(),
            feedback_id: None,
            answered_at: None,
        }
        .into_active_model()
    });
    feedback_request_ask::Entity::insert_many(asks).exec_without_returning(c).await?;
    Ok(())
}

pub async fn request<C: ConnectionTrait>(c: &C, id: Uuid) -> StoreResult<Option<FeedbackRequest>> {
    Ok(feedback_request::Entity::find_by_id(id).one(c).await?.map(to_request))
}

pub async fn asks_of<C: ConnectionTrait>(c: &C, request: Uuid) -> StoreResult<Vec<Ask>> {
    to_asks(
        feedback_request_ask::Entity::find().filter(feedback_request_ask::Column::RequestId.eq(request)).all(c).await?,
    )
}

/// The asks of several requests, in one read.
pub async fn asks_of_requests<C: ConnectionTrait>(c: &C, requests: &[Uuid]) -> StoreResult<Vec<Ask>> {
    to_asks(
        feedback_request_ask::Entity::find()
            .filter(feedback_request_ask::Column::RequestId.is_in(requests.iter().copied()))
            .all(c)
            .await?,
    )
}

pub async fn ask<C: ConnectionTrait>(c: &C, request: Uuid, responder: Uuid) -> StoreResult<Option<Ask>> {
    feedback_request_ask::Entity::find_by_id((request, responder)).one(c).await?.map(to_ask).transpose()
}

/// The requests still waiting for `responder`'s answer, newest first.
pub async fn open_asks_for<C: ConnectionTrait>(c: &C, responder: Uuid) -> StoreResult<Vec<FeedbackRequest>> {
    let ids: Vec<Uuid> = feedback_request_ask::Entity::find()
        .select_only()
        .column(feedback_request_ask::Column::RequestId)
        .filter(feedback_request_ask::Column::ResponderId.eq(responder))
        .filter(feedback_request_ask::Column::State.eq(AskState::Open.code()))
        .into_tuple()
        .all(c)
        .await?;
    Ok(feedback_request::Entity::find()
        .filter(feedback_request::Column::Id.is_in(ids))
        .order_by_desc(feedback_request::Column::CreatedAt)
        .all(c)
        .await?
        .into_iter()
        .map(to_request)
        .collect())
}

pub async fn requests_by<C: ConnectionTrait>(c: &C, requester: Uuid, limit: u64) -> StoreResult<Vec<FeedbackRequest>> {
    Ok(feedback_request::Entity::find()
        .filter(feedback_request::Column::RequesterId.eq(requester))
        .order_by_desc(feedback_request::Column::CreatedAt)
        .limit(limit)
        .all(c)
        .await?
        .into_iter()
        .map(to_request)
        .collect())
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
    let state = if feedback.is_some() { AskState::Answered } else { AskState::Declined };
    let r = feedback_request_ask::Entity::update_many()
        .col_expr(feedback_request_ask::Column::State, Expr::value(state.code()))
        .col_expr(feedback_request_ask::Column::FeedbackId, Expr::value(feedback))
        .col_expr(feedback_request_ask::Column::AnsweredAt, Expr::value(Some(now)))
        .filter(feedback_request_ask::Column::RequestId.eq(request))
        .filter(feedback_request_ask::Column::ResponderId.eq(responder))
        .filter(feedback_request_ask::Column::State.eq(AskState::Open.code()))
        .exec(c)
        .await?;
    Ok(r.rows_affected == 1)
}
