//! Feedback (F-2 … F-4): giving and reading it, requests for it, the coach and the balance.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use waymark_app::feedback::{BalanceView, CoachView, FeedbackInput, FeedbackView, RequestInput, RequestView, Which};

use super::{ApiJson, ApiPath, ApiQuery};
use crate::AppState;
use crate::context::{ApiUser, RequestContext};
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// received (shared with the caller), given (by the caller), public (praise across the
    /// organization) or about (one person's, for their managers and HR; needs `employee`).
    #[param(pattern = "^(received|given|public|about)$")]
    pub r#box: Option<String>,
    pub employee: Option<Uuid>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BalanceQuery {
    /// Another manager (their own managers and HR); the caller by default.
    pub manager: Option<Uuid>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CoachInput {
    /// The draft, up to 5 000 characters, Chinese or English (when it is not in parts).
    #[serde(default)]
    pub text: String,
    /// The template the draft is written in: sbi, star, sandwich or free. With `parts`, the
    /// parts the template has for the situation, the behaviour and the impact decide those.
    #[serde(default)]
    pub template: Option<String>,
    /// The parts' texts in the template's order (SBI: situation, behaviour, impact).
    #[serde(default)]
    pub parts: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RequestLists {
    /// Requests waiting for the caller's answer.
    pub waiting: Vec<RequestView>,
    /// The caller's own requests, newest first (the last 20).
    pub sent: Vec<RequestView>,
}

/// Gives feedback (or answers a request with it).
#[utoipa::path(post, path = "/api/v1/feedback", tag = "feedback", request_body = FeedbackInput,
    responses((status = 201, body = FeedbackView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn give(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<FeedbackInput>,
) -> ApiResult<(StatusCode, Json<FeedbackView>)> {
    Ok((StatusCode::CREATED, Json(st.app.feedback().give(&actor, input).await?)))
}

/// Feedback the caller may read, newest first (at most 100).
#[utoipa::path(get, path = "/api/v1/feedback", tag = "feedback", params(ListQuery),
    responses((status = 200, body = Vec<FeedbackView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn list(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<FeedbackView>>> {
    let which = Which::parse(q.r#box.as_deref(), q.employee)?;
    Ok(Json(st.app.feedback().list(&actor, which).await?))
}

#[utoipa::path(get, path = "/api/v1/feedback/{id}", tag = "feedback", params(("id" = Uuid, Path)),
    responses((status = 200, body = FeedbackView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<FeedbackView>> {
    Ok(Json(st.app.feedback().get(&actor, id).await?))
}

/// The coach's reading of a draft (F-3): vague, harsh, label and no_impact hints with the
/// words they are about, the SBI parts found, and a rewrite frame.
#[utoipa::path(post, path = "/api/v1/feedback/coach", tag = "feedback", request_body = CoachInput,
    responses((status = 200, body = CoachView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn coach(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<CoachInput>,
) -> ApiResult<Json<CoachView>> {
    let f = st.app.feedback();
    Ok(Json(match input.template.as_deref() {
        Some(t) => f.coach_template(&actor, t, &input.parts)?,
        None => f.coach(&actor, &input.text)?,
    }))
}

/// A manager's recognition and improvement feedback over the last 90 days (F-4).
#[utoipa::path(get, path = "/api/v1/feedback/balance", tag = "feedback", params(BalanceQuery),
    responses((status = 200, body = BalanceView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn balance(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiQuery(q): ApiQuery<BalanceQuery>,
) -> ApiResult<Json<BalanceView>> {
    Ok(Json(st.app.feedback().balance(&actor, q.manager).await?))
}

/// Asks 1–10 people for feedback about the caller or one of their reports; they are reminded
/// after three working days if they have not answered.
#[utoipa::path(post, path = "/api/v1/feedback-requests", tag = "feedback", request_body = RequestInput,
    responses((status = 201, body = RequestView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn request(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<RequestInput>,
) -> ApiResult<(StatusCode, Json<RequestView>)> {
    Ok((StatusCode::CREATED, Json(st.app.feedback().request(&actor, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/feedback-requests", tag = "feedback",
    responses((status = 200, body = RequestLists), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn requests(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<RequestLists>> {
    let (waiting, sent) = st.app.feedback().requests(&actor).await?;
    Ok(Json(RequestLists { waiting, sent }))
}

#[utoipa::path(get, path = "/api/v1/feedback-requests/{id}", tag = "feedback", params(("id" = Uuid, Path)),
    responses((status = 200, body = RequestView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_request(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(st.app.feedback().request_view(&actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/feedback-requests/{id}/decline", tag = "feedback", params(("id" = Uuid, Path)),
    responses((status = 200, body = RequestView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn decline(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<RequestView>> {
    Ok(Json(st.app.feedback().decline(&actor, id).await?))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RewriteIn {
    /// The person the feedback is for.
    pub recipient_id: Uuid,
    #[schema(pattern = "^(sbi|star|sandwich|free)$")]
    pub template: String,
    /// The parts' texts in the template's order.
    pub parts: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RewriteOut {
    /// The AI's wording of each part, names put back; none when it gave none.
    pub parts: Option<Vec<String>>,
    /// Why there is no AI wording: off, timeout, unreachable, refused or bad_reply.
    #[schema(pattern = "^(off|timeout|unreachable|refused|bad_reply)$")]
    pub fallback: Option<String>,
    /// The coach's own reading and rewrite frame (the rules' suggestion).
    pub coach: CoachView,
}

/// Suggests a rewrite of a draft the coach flagged, by the AI endpoint an administrator
/// connected (off by default): the parts are sent with the writer's and recipient's names
/// replaced by roles, and the call is audited. Only the writer sees it; nothing is sent.
#[utoipa::path(post, path = "/api/v1/feedback/ai-rewrite", tag = "feedback", request_body = RewriteIn,
    responses((status = 200, body = RewriteOut), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn ai_rewrite(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ctx: RequestContext,
    ApiJson(input): ApiJson<RewriteIn>,
) -> ApiResult<Json<RewriteOut>> {
    let o = st.app.feedback().ai_rewrite(&actor, ctx.lang, input.recipient_id, &input.template, &input.parts).await?;
    Ok(Json(RewriteOut { parts: o.parts, fallback: o.fallback.map(|f| f.code().into()), coach: o.coach }))
}
