//! 1:1 pages (F-1): one's cadences and meetings with the form to set one up and the calendar
//! subscription; a cadence's settings; a meeting with its agenda, notes, private note, action
//! items, linked goals and coaching prompts (F-8); its ICS file; and the public feed address.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::coaching::PromptView;
use waymark_app::one_on_ones::{
    ActionInput, AgendaInput, FeedLink, GoalLinkInput, MeetingView, NotesInput, OneOnOnesOverview, RescheduleInput,
    SeriesInput, SeriesUpdate, SeriesView,
};
use waymark_app::policy::Actor;

use super::{DoneQuery, Page, field_messages, form_text, render_form};
use crate::AppState;
use crate::api::ics_response;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

/// The wall-clock value of a `datetime-local` input for an instant.
fn local_input(page: &Page, t: &chrono::DateTime<chrono::Utc>) -> String {
    page.zone.time(*t).format("%Y-%m-%dT%H:%M").to_string()
}

// ---- overview --------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "one_on_ones.html")]
struct OverviewPage {
    page: Page,
    v: OneOnOnesOverview,
    form: SeriesForm,
    feed: Option<FeedLink>,
    notice: Option<String>,
    errors: Vec<String>,
}

#[derive(Deserialize, Default, Clone)]
pub struct SeriesForm {
    #[serde(default)]
    with: String,
    #[serde(default)]
    cadence: String,
    #[serde(default)]
    first_at: String,
    #[serde(default)]
    duration_min: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    active: Option<String>,
}

async fn overview_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    form: SeriesForm,
    feed_url: Option<String>,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let app = st.app.one_on_ones();
    let v = match app.overview(actor).await {
        Ok(v) => v,
        Err(e) => return page_error(ctx.lang, e),
    };
    let feed = part!(ctx.lang, app.feed(actor).await).flatten().map(|f| FeedLink { url: feed_url, ..f });
    let page = Page::for_user(actor, ctx, ctx.lang.t("one-on-ones-title"), "one-on-ones", "/one-on-ones");
    let p = OverviewPage { page, v, form, feed, notice, errors };
    render_form(&p, &p.errors)
}

pub async fn overview(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(if d == "revoked" { "feed-revoked" } else { "saved" }));
    overview_page(&st, &actor, &ctx, SeriesForm::default(), None, notice, vec![]).await
}

/// Minutes as typed; what does not read goes on as 0, so the service names the field.
fn minutes(s: &str) -> u32 {
    s.trim().parse().unwrap_or(0)
}

pub async fn create_series(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(f): Form<SeriesForm>,
) -> Response {
    let Ok(with) = Uuid::try_parse(f.with.trim()) else {
        let e = AppError::field("with", "required", "choose the person");
        return overview_page(&st, &actor, &ctx, f, None, None, field_messages(ctx.lang, &e)).await;
    };
    let input = SeriesInput {
        with,
        cadence: f.cadence.clone(),
        first_at: f.first_at.clone(),
        duration_min: minutes(&f.duration_min),
        location: form_text(&f.location),
    };
    match st.app.one_on_ones().create_series(&actor, input).await {
        Ok(s) => match s.next {
            Some(m) => Redirect::to(&format!("/one-on-ones/{}?done=created", m.id)).into_response(),
            None => Redirect::to("/one-on-ones?done=created").into_response(),
        },
        Err(e @ AppError::Invalid(_)) => {
            overview_page(&st, &actor, &ctx, f, None, None, field_messages(ctx.lang, &e)).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn renew_feed(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    match st.app.one_on_ones().renew_feed(&actor).await {
        Ok(f) => {
            overview_page(&st, &actor, &ctx, SeriesForm::default(), f.url, Some(ctx.lang.t("feed-made")), vec![]).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn revoke_feed(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    match st.app.one_on_ones().revoke_feed(&actor).await {
        Ok(()) | Err(AppError::NotFound(_)) => Redirect::to("/one-on-ones?done=revoked").into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}

/// The subscription feed: no session, the secret in the address is the key.
pub async fn feed(State(st): State<AppState>, ctx: RequestContext, Path(file): Path<String>) -> Response {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    match st.app.one_on_ones().feed_ics(token).await {
        Ok(body) => ics_response(body, "waymark-1on1"),
        Err(e) => page_error(ctx.lang, e),
    }
}

// ---- a cadence ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "one_on_one_series.html")]
struct SeriesPage {
    page: Page,
    s: SeriesView,
    form: SeriesForm,
    errors: Vec<String>,
}

async fn series_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    form: Option<SeriesForm>,
    errors: Vec<String>,
) -> Response {
    let s = match st.app.one_on_ones().series_view(actor, id).await {
        Ok(s) => s,
        Err(e) => return page_error(ctx.lang, e),
    };
    let page = Page::for_user(actor, ctx, ctx.lang.t("one-on-one-series-title"), "one-on-ones", "/one-on-ones");
    let form = form.unwrap_or_else(|| SeriesForm {
        with: String::new(),
        cadence: s.cadence.clone(),
        first_at: local_input(&page, &s.first_at),
        duration_min: s.duration_min.to_string(),
        location: s.location.clone().unwrap_or_default(),
        active: s.active.then(|| "1".into()),
    });
    let p = SeriesPage { page, s, form, errors };
    render_form(&p, &p.errors)
}

pub async fn series(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    series_page(&st, &actor, &ctx, id, None, vec![]).await
}

pub async fn update_series(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<SeriesForm>,
) -> Response {
    let input = SeriesUpdate {
        cadence: f.cadence.clone(),
        first_at: f.first_at.clone(),
        duration_min: minutes(&f.duration_min),
        location: form_text(&f.location),
        active: f.active.is_some(),
    };
    match st.app.one_on_ones().update_series(&actor, id, input).await {
        Ok(_) => Redirect::to("/one-on-ones?done=saved").into_response(),
        Err(e @ AppError::Invalid(_)) => {
            series_page(&st, &actor, &ctx, id, Some(f), field_messages(ctx.lang, &e)).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

// ---- a meeting ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "one_on_one.html")]
struct MeetingPage {
    page: Page,
    m: MeetingView,
    prompts: Vec<PromptView>,
    /// The reschedule form's value.
    starts_at: String,
    notice: Option<String>,
    errors: Vec<String>,
}

impl MeetingPage {
    /// The person on the other side of the table.
    fn other(&self) -> &str {
        if self.m.is_manager { &self.m.meeting.report_name } else { &self.m.meeting.manager_name }
    }
}

async fn meeting_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let m = match st.app.one_on_ones().meeting(actor, id).await {
        Ok(m) => m,
        Err(e) => return page_error(ctx.lang, e),
    };
    // The manager gets three questions to ask, the same each time this meeting is opened.
    let prompts = match m.is_manager {
        true => part!(ctx.lang, st.app.coaching().suggest(actor, ctx.lang, id.as_u128() as u64, 3).await)
            .unwrap_or_default(),
        false => vec![],
    };
    let page = Page::for_user(actor, ctx, ctx.lang.t("one-on-one-title"), "one-on-ones", "/one-on-ones");
    let starts_at = local_input(&page, &m.meeting.starts_at);
    let p = MeetingPage { page, m, prompts, starts_at, notice, errors };
    render_form(&p, &p.errors)
}

pub async fn meeting(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(if d == "created" { "one-on-one-created" } else { "saved" }));
    meeting_page(&st, &actor, &ctx, id, notice, vec![]).await
}

/// After a change: back to the meeting (at `anchor`), or the meeting with the error named.
async fn after(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    r: Result<(), AppError>,
    anchor: &str,
) -> Response {
    match r {
        Ok(()) => Redirect::to(&format!("/one-on-ones/{id}?done=saved#{anchor}")).into_response(),
        Err(e @ AppError::Invalid(_)) => meeting_page(st, actor, ctx, id, None, field_messages(ctx.lang, &e)).await,
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Deserialize, Default)]
pub struct TextForm {
    #[serde(default)]
    text: String,
}

pub async fn add_agenda(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<TextForm>,
) -> Response {
    let r = st.app.one_on_ones().add_agenda_item(&actor, id, AgendaInput { text: f.text }).await.map(|_| ());
    after(&st, &actor, &ctx, id, r, "agenda").await
}

#[derive(Deserialize, Default)]
pub struct ToggleForm {
    /// The meeting to go back to.
    #[serde(default)]
    meeting: Option<Uuid>,
    #[serde(default)]
    on: Option<String>,
}

pub async fn set_discussed(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(item): Path<Uuid>,
    Form(f): Form<ToggleForm>,
) -> Response {
    let r = st.app.one_on_ones().set_discussed(&actor, item, f.on.is_some()).await;
    back(&st, &actor, &ctx, f.meeting, r, "agenda").await
}

pub async fn remove_agenda(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(item): Path<Uuid>,
    Form(f): Form<ToggleForm>,
) -> Response {
    let r = st.app.one_on_ones().remove_agenda_item(&actor, item).await;
    back(&st, &actor, &ctx, f.meeting, r, "agenda").await
}

/// Back to the meeting a form came from (the item's own page is the meeting).
async fn back(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    meeting: Option<Uuid>,
    r: Result<(), AppError>,
    anchor: &str,
) -> Response {
    match meeting {
        Some(id) => after(st, actor, ctx, id, r, anchor).await,
        None => match r {
            Ok(()) => Redirect::to("/one-on-ones").into_response(),
            Err(e) => page_error(ctx.lang, e),
        },
    }
}

pub async fn shared_notes(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<TextForm>,
) -> Response {
    let r = st.app.one_on_ones().save_shared_notes(&actor, id, NotesInput { text: f.text }).await;
    after(&st, &actor, &ctx, id, r, "notes").await
}

pub async fn private_note(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<TextForm>,
) -> Response {
    let r = st.app.one_on_ones().save_private_note(&actor, id, NotesInput { text: f.text }).await;
    after(&st, &actor, &ctx, id, r, "private").await
}

#[derive(Deserialize, Default)]
pub struct ActionForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    owner_id: Option<Uuid>,
    #[serde(default)]
    due_on: String,
}

pub async fn add_action(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<ActionForm>,
) -> Response {
    let input = ActionInput { text: f.text, owner_id: f.owner_id, due_on: form_text(&f.due_on) };
    let r = st.app.one_on_ones().add_action(&actor, id, input).await.map(|_| ());
    after(&st, &actor, &ctx, id, r, "actions").await
}

pub async fn set_action_done(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(action): Path<Uuid>,
    Form(f): Form<ToggleForm>,
) -> Response {
    let r = st.app.one_on_ones().set_action_done(&actor, action, f.on.is_some()).await;
    back(&st, &actor, &ctx, f.meeting, r, "actions").await
}

#[derive(Deserialize, Default)]
pub struct GoalForm {
    #[serde(default)]
    goal_id: String,
}

pub async fn link_goal(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<GoalForm>,
) -> Response {
    let r = match Uuid::try_parse(f.goal_id.trim()) {
        Ok(goal_id) => st.app.one_on_ones().link_goal(&actor, id, GoalLinkInput { goal_id }).await,
        Err(_) => Err(AppError::field("goal_id", "required", "choose a goal")),
    };
    after(&st, &actor, &ctx, id, r, "goals").await
}

pub async fn unlink_goal(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path((id, goal)): Path<(Uuid, Uuid)>,
) -> Response {
    let r = st.app.one_on_ones().unlink_goal(&actor, id, goal).await;
    after(&st, &actor, &ctx, id, r, "goals").await
}

#[derive(Deserialize, Default)]
pub struct RescheduleForm {
    #[serde(default)]
    starts_at: String,
    #[serde(default)]
    duration_min: String,
}

pub async fn reschedule(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<RescheduleForm>,
) -> Response {
    let duration_min = form_text(&f.duration_min).map(|d| minutes(&d));
    let r = st
        .app
        .one_on_ones()
        .reschedule(&actor, id, RescheduleInput { starts_at: f.starts_at, duration_min })
        .await
        .map(|_| ());
    after(&st, &actor, &ctx, id, r, "when").await
}

pub async fn cancel(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    let r = st.app.one_on_ones().cancel(&actor, id).await.map(|_| ());
    after(&st, &actor, &ctx, id, r, "when").await
}

pub async fn held(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    let r = st.app.one_on_ones().mark_held(&actor, id).await.map(|_| ());
    after(&st, &actor, &ctx, id, r, "when").await
}

pub async fn meeting_ics(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    match st.app.one_on_ones().meeting_ics(&actor, id, ctx.lang).await {
        Ok(body) => ics_response(body, &format!("one-on-one-{id}")),
        Err(e) => page_error(ctx.lang, e),
    }
}

// ---- HR: the question bank ---------------------------------------------------------------------

#[derive(Template)]
#[template(path = "prompts.html")]
struct PromptsPage {
    page: Page,
    prompts: Vec<PromptView>,
    notice: Option<String>,
    errors: Vec<String>,
}

async fn prompts_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let prompts = match st.app.coaching().list_to_edit(actor, ctx.lang).await {
        Ok(p) => p,
        Err(e) => return page_error(ctx.lang, e),
    };
    let page = Page::for_user(actor, ctx, ctx.lang.t("prompts-title"), "admin", "/admin/prompts");
    let p = PromptsPage { page, prompts, notice, errors };
    render_form(&p, &p.errors)
}

pub async fn prompts(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|_| ctx.lang.t("saved"));
    prompts_page(&st, &actor, &ctx, notice, vec![]).await
}

#[derive(Deserialize, Default)]
pub struct PromptForm {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    text_zh: String,
    #[serde(default)]
    text_en: String,
}

pub async fn add_prompt(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(f): Form<PromptForm>,
) -> Response {
    let input =
        waymark_app::coaching::PromptInput { topic: f.topic, text_zh: f.text_zh, text_en: form_text(&f.text_en) };
    match st.app.coaching().add(&actor, ctx.lang, input).await {
        Ok(_) => Redirect::to("/admin/prompts?done=saved").into_response(),
        Err(e @ AppError::Invalid(_)) => prompts_page(&st, &actor, &ctx, None, field_messages(ctx.lang, &e)).await,
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn set_prompt(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<ToggleForm>,
) -> Response {
    match st.app.coaching().set_active(&actor, id, f.on.is_some()).await {
        Ok(()) => Redirect::to("/admin/prompts?done=saved").into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}
