//! The goal-setting workflow and everything around an agreed goal (SPEC G-6, G-7, G-10 … G-12):
//! submit and decide, the approval queue and rules, changes with a reason, history,
//! commitments, the goal map, break points, team goals, and the inbox.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use waymark_app::goals::changes::{CommitmentInput, GoalPatch, HistoryEntry, KeyResultChange, ReasonInput};
use waymark_app::goals::map::{BreakPoints, GoalMap};
use waymark_app::goals::requests::AlignmentDecision;
use waymark_app::goals::reuse::ReuseInput;
use waymark_app::goals::workflow::{ApprovalRuleInput, ApprovalRuleView, DecisionInput, PendingApproval, SubmitInput};
use waymark_app::goals::{GoalView, MyGoals, Recommendation, TeamMember, WeightInput};
use waymark_app::inbox::Inbox;

use super::{ApiJson, ApiPath, ApiQuery};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

/// Submit a draft or returned goal for approval (G-10).
#[utoipa::path(post, path = "/api/v1/goals/{id}/submit", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = SubmitInput,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn submit(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<SubmitInput>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().submit(&actor, id, input).await?))
}

/// Approve the pending step, or return the goal with a comment (G-10).
#[utoipa::path(post, path = "/api/v1/goals/{id}/decision", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = DecisionInput,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn decide(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().decide(&actor, id, input).await?))
}

/// Goals waiting for the caller's decision, oldest first.
#[utoipa::path(get, path = "/api/v1/approvals", tag = "goal workflow",
    responses((status = 200, body = Vec<PendingApproval>), (status = 401, body = Problem)), security(("bearer" = [])))]
pub async fn queue(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<PendingApproval>>> {
    Ok(Json(st.app.goals().approval_queue(&actor).await?))
}

#[utoipa::path(get, path = "/api/v1/approval-rules", tag = "goal workflow",
    responses((status = 200, body = Vec<ApprovalRuleView>), (status = 401, body = Problem), (status = 403, body = Problem)), security(("bearer" = [])))]
pub async fn rules(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Vec<ApprovalRuleView>>> {
    Ok(Json(st.app.goals().approval_rules(&actor).await?))
}

/// Set the approval nodes for a unit (and below) and level; replaces the rule for that pair.
#[utoipa::path(put, path = "/api/v1/approval-rules", tag = "goal workflow", request_body = ApprovalRuleInput,
    responses((status = 200, body = Vec<ApprovalRuleView>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn set_rule(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<ApprovalRuleInput>,
) -> ApiResult<Json<Vec<ApprovalRuleView>>> {
    Ok(Json(st.app.goals().set_approval_rule(&actor, input).await?))
}

/// Change a goal's title, description, visibility, focus flag or due date; approved goals need a reason (G-11).
#[utoipa::path(patch, path = "/api/v1/goals/{id}", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = GoalPatch,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_goal(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<GoalPatch>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().update_goal(&actor, id, input).await?))
}

#[utoipa::path(post, path = "/api/v1/goals/{id}/archive", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = ReasonInput,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn archive_goal(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ReasonInput>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().archive_goal(&actor, id, input).await?))
}

#[utoipa::path(post, path = "/api/v1/goals/{id}/key-results", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = KeyResultChange,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn add_key_result(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<KeyResultChange>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().add_key_result(&actor, id, input).await?))
}

/// Replace a key result's definition; its current value stays unless given.
#[utoipa::path(put, path = "/api/v1/key-results/{id}", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = KeyResultChange,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn edit_key_result(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<KeyResultChange>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().edit_key_result(&actor, id, input).await?))
}

#[utoipa::path(post, path = "/api/v1/key-results/{id}/archive", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = ReasonInput,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn archive_key_result(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ReasonInput>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().archive_key_result(&actor, id, true, input).await?))
}

#[utoipa::path(post, path = "/api/v1/key-results/{id}/restore", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = ReasonInput,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn restore_key_result(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ReasonInput>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().archive_key_result(&actor, id, false, input).await?))
}

/// Remove an alignment link (the child goal stops supporting the parent).
#[utoipa::path(post, path = "/api/v1/alignments/{id}/remove", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = ReasonInput,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn unalign(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ReasonInput>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().unalign(&actor, id, input).await?))
}

/// Change how much an alignment link contributes to its parent (G-5): a weight in % or null
/// for an equal share, with a reason when the supporting goal is agreed; kept in its history.
#[utoipa::path(post, path = "/api/v1/alignments/{id}/weight", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = WeightInput,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn reweight(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<WeightInput>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().reweight(&actor, id, input).await?))
}

/// Accepts a pending request to support this goal (issue 22, item 1): the link is made with
/// the weight given (blank: the weight asked for) and counts from now on. Whoever may change
/// the goal being supported: its owner, their manager, HR in scope.
#[utoipa::path(post, path = "/api/v1/alignment-requests/{id}/accept", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = AlignmentDecision,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn accept_alignment(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<AlignmentDecision>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().accept_alignment(&actor, id, input).await?))
}

/// Declines a pending request to support this goal, with why (`comment`, required).
#[utoipa::path(post, path = "/api/v1/alignment-requests/{id}/decline", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = AlignmentDecision,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn decline_alignment(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<AlignmentDecision>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().decline_alignment(&actor, id, input).await?))
}

/// Withdraws one's own pending request (whoever may change the supporting goal).
#[utoipa::path(post, path = "/api/v1/alignment-requests/{id}/withdraw", tag = "goal workflow", params(("id" = Uuid, Path)),
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn withdraw_alignment(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().withdraw_alignment(&actor, id).await?))
}

/// Who changed what, when and why (G-11), oldest first.
#[utoipa::path(get, path = "/api/v1/goals/{id}/history", tag = "goal workflow", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<HistoryEntry>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn history(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<Vec<HistoryEntry>>> {
    Ok(Json(st.app.goals().history(&actor, id).await?))
}

/// Record support promised for a goal (G-12): the owners' managers or HR.
#[utoipa::path(post, path = "/api/v1/goals/{id}/commitments", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = CommitmentInput,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn add_commitment(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<CommitmentInput>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().add_commitment(&actor, id, input).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CommitmentDoneInput {
    pub done: bool,
}

#[utoipa::path(post, path = "/api/v1/commitments/{id}/done", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = CommitmentDoneInput,
    responses((status = 200, body = GoalView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn commitment_done(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<CommitmentDoneInput>,
) -> ApiResult<Json<GoalView>> {
    Ok(Json(st.app.goals().complete_commitment(&actor, id, input.done).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MapQuery {
    /// Levels of supporting goals to unfold, 1–4 (default 2); a level that would pass 150 nodes stays folded.
    #[param(minimum = 1, maximum = 4)]
    pub depth: Option<usize>,
}

/// The goal map (G-6): the chain up to the company goals and the tree of supporters down.
#[utoipa::path(get, path = "/api/v1/goals/{id}/map", tag = "goal workflow", params(("id" = Uuid, Path), MapQuery),
    responses((status = 200, body = GoalMap), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn map(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<MapQuery>,
) -> ApiResult<Json<GoalMap>> {
    Ok(Json(st.app.goals().map(&actor, id, q.depth.unwrap_or(2)).await?))
}

/// Break points (G-7) within the caller's reach: unsupported shared goals and unaligned individual goals.
#[utoipa::path(get, path = "/api/v1/periods/{id}/break-points", tag = "goal workflow", params(("id" = Uuid, Path)),
    responses((status = 200, body = BreakPoints), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn break_points(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<BreakPoints>> {
    Ok(Json(st.app.goals().break_points(&actor, id).await?))
}

/// The caller's direct reports and their goals in the period.
#[utoipa::path(get, path = "/api/v1/periods/{id}/team-goals", tag = "goal workflow", params(("id" = Uuid, Path)),
    responses((status = 200, body = Vec<TeamMember>), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn team_goals(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<Vec<TeamMember>>> {
    Ok(Json(st.app.goals().team_goals(&actor, id).await?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    pub period_id: Uuid,
}

/// A person's goals in a period, as far as the caller may see them.
#[utoipa::path(get, path = "/api/v1/employees/{id}/goals", tag = "goal workflow", params(("id" = Uuid, Path), PeriodQuery),
    responses((status = 200, body = MyGoals), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)), security(("bearer" = [])))]
pub async fn person_goals(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> ApiResult<Json<MyGoals>> {
    Ok(Json(st.app.goals().goals_of(&actor, id, q.period_id).await?))
}

/// Copy the caller's goals of another period into this one as drafts (G-8: reuse of one's history).
#[utoipa::path(post, path = "/api/v1/periods/{id}/reuse", tag = "goal workflow", params(("id" = Uuid, Path)), request_body = ReuseInput,
    responses((status = 200, body = MyGoals), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn reuse(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ReuseInput>,
) -> ApiResult<Json<MyGoals>> {
    Ok(Json(st.app.goals().reuse_goals(&actor, id, input).await?))
}

/// The framework combination recommended for the caller's job family (G-8); null when none.
#[utoipa::path(get, path = "/api/v1/goals/recommendation", tag = "goal workflow",
    responses((status = 200, body = Option<Recommendation>), (status = 401, body = Problem)), security(("bearer" = [])))]
pub async fn recommendation(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<Json<Option<Recommendation>>> {
    Ok(Json(st.app.goals().recommendation(&actor).await?))
}

/// The caller's in-app inbox: the newest 50 messages and the unread count.
#[utoipa::path(get, path = "/api/v1/inbox", tag = "inbox",
    responses((status = 200, body = Inbox), (status = 401, body = Problem), (status = 403, body = Problem)), security(("bearer" = [])))]
pub async fn inbox(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Inbox>> {
    Ok(Json(st.app.inbox().list(&actor).await?))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ReadInput {
    /// One message; blank: all of them.
    #[serde(default)]
    pub id: Option<Uuid>,
}

/// Mark one message or all messages read; answers the inbox.
#[utoipa::path(post, path = "/api/v1/inbox/read", tag = "inbox", request_body = ReadInput,
    responses((status = 200, body = Inbox), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn mark_read(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<ReadInput>,
) -> ApiResult<Json<Inbox>> {
    st.app.inbox().mark_read(&actor, input.id).await?;
    Ok(Json(st.app.inbox().list(&actor).await?))
}
