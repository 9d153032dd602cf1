//! 1:1s (F-1): cadences, meetings and what they hold, ICS files and one's calendar feed; the
//! coaching question bank (F-8).

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_app::coaching::{PromptInput, PromptView};
use waymark_app::one_on_ones::{
    ActionInput, ActionView, AgendaInput, AgendaView, FeedLink, GoalLinkInput, MeetingView, NotesInput,
    OneOnOnesOverview, RescheduleInput, SeriesInput, SeriesUpdate, SeriesView,
};

use super::{ApiJson, ApiPath};
use crate::AppState;
use crate::context::{ApiUser, RequestContext};
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

/// A topic ticked off, an action item done (or open again), a prompt retired (or back).
#[derive(Debug, Deserialize, ToSchema)]
pub struct DiscussedInput {
    pub discussed: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct MeetingActionDoneInput {
    pub done: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ActiveInput {
    pub active: bool,
}

/// An ICS document as a download.
pub fn ics_response(body: String, name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8".to_string()),
            (header::CONTENT_DISPOSITION, format!("attachment; filename=\"{name}.ics\"")),
            (header::CACHE_CONTROL, "no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// One's 1:1s: cadences, the coming meetings, the last 90 days' and who has none yet.
#[utoipa::path(get, path = "/api/v1/one-on-ones", tag = "one-on-ones",
    responses((status = 200, body = OneOnOnesOverview), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn overview(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<OneOnOnesOverview>> {
    Ok(Json(st.app.one_on_ones().overview(&actor).await?))
}

/// Sets up 1:1s with a direct report or with one's manager (or restarts ended ones).
#[utoipa::path(post, path = "/api/v1/one-on-one-series", tag = "one-on-ones", request_body = SeriesInput,
    responses((status = 201, body = SeriesView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn create_series(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<SeriesInput>,
) -> ApiResult<(StatusCode, Json<SeriesView>)> {
    Ok((StatusCode::CREATED, Json(st.app.one_on_ones().create_series(&actor, input).await?)))
}

#[utoipa::path(get, path = "/api/v1/one-on-one-series/{id}", tag = "one-on-ones", params(("id" = Uuid, Path)),
    responses((status = 200, body = SeriesView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn get_series(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<SeriesView>> {
    Ok(Json(st.app.one_on_ones().series_view(&actor, id).await?))
}

/// Changes a cadence (the untouched meetings to come follow it) or ends it (`active: false`).
#[utoipa::path(put, path = "/api/v1/one-on-one-series/{id}", tag = "one-on-ones", params(("id" = Uuid, Path)), request_body = SeriesUpdate,
    responses((status = 200, body = SeriesView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn update_series(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<SeriesUpdate>,
) -> ApiResult<Json<SeriesView>> {
    Ok(Json(st.app.one_on_ones().update_series(&actor, id, input).await?))
}

/// A meeting with its agenda, shared notes, the caller's own private note, action items and
/// linked goals; for its two participants only.
#[utoipa::path(get, path = "/api/v1/one-on-ones/{id}", tag = "one-on-ones", params(("id" = Uuid, Path)),
    responses((status = 200, body = MeetingView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn meeting(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<MeetingView>> {
    Ok(Json(st.app.one_on_ones().meeting(&actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/one-on-ones/{id}/reschedule", tag = "one-on-ones", params(("id" = Uuid, Path)), request_body = RescheduleInput,
    responses((status = 200, body = MeetingView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn reschedule(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<RescheduleInput>,
) -> ApiResult<Json<MeetingView>> {
    Ok(Json(st.app.one_on_ones().reschedule(&actor, id, input).await?))
}

#[utoipa::path(post, path = "/api/v1/one-on-ones/{id}/cancel", tag = "one-on-ones", params(("id" = Uuid, Path)),
    responses((status = 200, body = MeetingView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn cancel(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<MeetingView>> {
    Ok(Json(st.app.one_on_ones().cancel(&actor, id).await?))
}

/// Marks a meeting held (from an hour before it starts): it counts in the follow-up rate.
#[utoipa::path(post, path = "/api/v1/one-on-ones/{id}/held", tag = "one-on-ones", params(("id" = Uuid, Path)),
    responses((status = 200, body = MeetingView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn held(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<MeetingView>> {
    Ok(Json(st.app.one_on_ones().mark_held(&actor, id).await?))
}

#[utoipa::path(post, path = "/api/v1/one-on-ones/{id}/agenda", tag = "one-on-ones", params(("id" = Uuid, Path)), request_body = AgendaInput,
    responses((status = 201, body = AgendaView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn add_agenda(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<AgendaInput>,
) -> ApiResult<(StatusCode, Json<AgendaView>)> {
    Ok((StatusCode::CREATED, Json(st.app.one_on_ones().add_agenda_item(&actor, id, input).await?)))
}

#[utoipa::path(put, path = "/api/v1/agenda-items/{id}", tag = "one-on-ones", params(("id" = Uuid, Path)), request_body = DiscussedInput,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn set_discussed(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<DiscussedInput>,
) -> ApiResult<StatusCode> {
    st.app.one_on_ones().set_discussed(&actor, id, input.discussed).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Takes one's own topic off the agenda while it has not been discussed.
#[utoipa::path(delete, path = "/api/v1/agenda-items/{id}", tag = "one-on-ones", params(("id" = Uuid, Path)),
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn remove_agenda(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<StatusCode> {
    st.app.one_on_ones().remove_agenda_item(&actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(put, path = "/api/v1/one-on-ones/{id}/notes", tag = "one-on-ones", params(("id" = Uuid, Path)), request_body = NotesInput,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn shared_notes(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<NotesInput>,
) -> ApiResult<StatusCode> {
    st.app.one_on_ones().save_shared_notes(&actor, id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's private note: visible to them alone.
#[utoipa::path(put, path = "/api/v1/one-on-ones/{id}/private-note", tag = "one-on-ones", params(("id" = Uuid, Path)), request_body = NotesInput,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn private_note(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<NotesInput>,
) -> ApiResult<StatusCode> {
    st.app.one_on_ones().save_private_note(&actor, id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Agrees an action item (at most three per meeting).
#[utoipa::path(post, path = "/api/v1/one-on-ones/{id}/actions", tag = "one-on-ones", params(("id" = Uuid, Path)), request_body = ActionInput,
    responses((status = 201, body = ActionView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn add_action(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ActionInput>,
) -> ApiResult<(StatusCode, Json<ActionView>)> {
    Ok((StatusCode::CREATED, Json(st.app.one_on_ones().add_action(&actor, id, input).await?)))
}

#[utoipa::path(put, path = "/api/v1/one-on-one-actions/{id}", tag = "one-on-ones", params(("id" = Uuid, Path)), request_body = MeetingActionDoneInput,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn set_action_done(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<MeetingActionDoneInput>,
) -> ApiResult<StatusCode> {
    st.app.one_on_ones().set_action_done(&actor, id, input.done).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/api/v1/one-on-ones/{id}/goals", tag = "one-on-ones", params(("id" = Uuid, Path)), request_body = GoalLinkInput,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn link_goal(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<GoalLinkInput>,
) -> ApiResult<StatusCode> {
    st.app.one_on_ones().link_goal(&actor, id, input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/one-on-ones/{id}/goals/{goal_id}", tag = "one-on-ones",
    params(("id" = Uuid, Path), ("goal_id" = Uuid, Path)),
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn unlink_goal(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath((id, goal_id)): ApiPath<(Uuid, Uuid)>,
) -> ApiResult<StatusCode> {
    st.app.one_on_ones().unlink_goal(&actor, id, goal_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The meeting as an ICS file (RFC 5545), in the caller's language.
#[utoipa::path(get, path = "/api/v1/one-on-ones/{id}/ics", tag = "one-on-ones", params(("id" = Uuid, Path)),
    responses((status = 200, description = "text/calendar", content_type = "text/calendar"), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn meeting_ics(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ctx: RequestContext,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Response> {
    let body = st.app.one_on_ones().meeting_ics(&actor, id, ctx.lang).await?;
    Ok(ics_response(body, &format!("one-on-one-{id}")))
}

/// One's calendar subscription, if any (its address is shown only when made).
#[utoipa::path(get, path = "/api/v1/me/calendar-feed", tag = "one-on-ones",
    responses((status = 200, body = Option<FeedLink>), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn feed(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<Option<FeedLink>>> {
    Ok(Json(st.app.one_on_ones().feed(&actor).await?))
}

/// A new secret subscription address (the previous one stops working), shown this once.
#[utoipa::path(post, path = "/api/v1/me/calendar-feed", tag = "one-on-ones",
    responses((status = 201, body = FeedLink), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn renew_feed(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
) -> ApiResult<(StatusCode, Json<FeedLink>)> {
    Ok((StatusCode::CREATED, Json(st.app.one_on_ones().renew_feed(&actor).await?)))
}

#[utoipa::path(delete, path = "/api/v1/me/calendar-feed", tag = "one-on-ones",
    responses((status = 204), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn revoke_feed(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<StatusCode> {
    st.app.one_on_ones().revoke_feed(&actor).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The coaching question bank in the caller's language: built-in, then HR's own.
#[utoipa::path(get, path = "/api/v1/coaching-prompts", tag = "one-on-ones",
    responses((status = 200, body = [PromptView]), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn prompts(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ctx: RequestContext,
) -> ApiResult<Json<Vec<PromptView>>> {
    Ok(Json(st.app.coaching().list(&actor, ctx.lang).await?))
}

/// Adds a question to the bank (HR).
#[utoipa::path(post, path = "/api/v1/coaching-prompts", tag = "one-on-ones", request_body = PromptInput,
    responses((status = 201, body = PromptView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn add_prompt(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ctx: RequestContext,
    ApiJson(input): ApiJson<PromptInput>,
) -> ApiResult<(StatusCode, Json<PromptView>)> {
    Ok((StatusCode::CREATED, Json(st.app.coaching().add(&actor, ctx.lang, input).await?)))
}

/// Retires one of HR's questions (or brings it back).
#[utoipa::path(put, path = "/api/v1/coaching-prompts/{id}", tag = "one-on-ones", params(("id" = Uuid, Path)), request_body = ActiveInput,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn set_prompt(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ActiveInput>,
) -> ApiResult<StatusCode> {
    st.app.coaching().set_active(&actor, id, input.active).await?;
    Ok(StatusCode::NO_CONTENT)
}
