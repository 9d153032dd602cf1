//! Goal pages (SPEC §2): my goals, a person's goals, team goals, a goal with its key results,
//! workflow, commitments and history, the new-goal form (with cascade), and the break points.
//! The goal map and the approval queue are in `goal_map.rs` and `approvals.rs`.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;
use waymark_app::goals::changes::{CommitmentInput, GoalPatch, HistoryEntry, KeyResultChange, ReasonInput};
use waymark_app::goals::convert::KeyResultInput;
use waymark_app::goals::map::BreakPoints;
use waymark_app::goals::requests::AlignmentDecision;
use waymark_app::goals::workflow::{DecisionInput, SubmitInput};
use waymark_app::goals::{
    AlignInput, FRAMEWORKS, GoalInput, GoalSummary, GoalView, MyGoals, PeriodView, ProgressInput, TeamMember,
    WeightInput,
};
use waymark_app::{AppError, policy::Actor};

use super::{FORM_KR_KINDS, Page, field_messages, form_number as num, form_text as text, render, render_form};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    period: Option<Uuid>,
    parent: Option<Uuid>,
    done: Option<String>,
    /// New-goal form: the framework to start with (from the recommendation).
    framework: Option<String>,
    /// Goal page: the timeline's older page, check-ins before this one.
    before: Option<Uuid>,
}

async fn periods_and_pick(
    st: &AppState,
    actor: &Actor,
    asked: Option<Uuid>,
) -> Result<(Vec<PeriodView>, Option<PeriodView>), AppError> {
    st.app.goals().periods_with_current(actor, asked).await
}

/// A page's body, or the error page in the user's language.
fn or_error_page(lang: crate::i18n::Lang, r: Result<Response, AppError>) -> Response {
    r.unwrap_or_else(|e| page_error(lang, e))
}

// ---- my goals, a person's goals -------------------------------------------------------------

#[derive(Template)]
#[template(path = "goals.html")]
struct GoalsPage {
    page: Page,
    periods: Vec<PeriodView>,
    period: Option<PeriodView>,
    mine: Option<MyGoals>,
    /// Whose goals (None: the actor's own).
    person: Option<(Uuid, String)>,
    is_manager: bool,
    shared: Vec<GoalSummary>,
    notice: Option<String>,
    /// The my-goals board's chart data (own goals only).
    board_json: Option<String>,
}

pub async fn my_goals(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let body = async {
        let (periods, period) = periods_and_pick(&st, &actor, q.period).await?;
        let (mine, shared) = match &period {
            Some(p) => st.app.goals().goals_home(&actor, p.id).await?,
            None => (None, vec![]),
        };
        let notice = q.done.as_deref().and_then(|d| ctx.lang.try_t(&format!("goal-done-{d}")));
        let page = Page::for_user(&actor, &ctx, ctx.lang.t("goals-title"), "goals", "/goals");
        let is_manager = actor.is_manager;
        let board_json =
            mine.as_ref().filter(|m| !m.goals.is_empty()).map(|m| super::tracking::my_board_json(ctx.lang, m));
        Ok(render(&GoalsPage { page, periods, period, mine, person: None, is_manager, shared, notice, board_json }))
    };
    or_error_page(ctx.lang, body.await)
}

pub async fn person_goals(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let body = async {
        let (periods, period) = periods_and_pick(&st, &actor, q.period).await?;
        let card = st.app.org().profile(&actor, id).await?.card;
        let mine = match &period {
            Some(p) => Some(st.app.goals().goals_of(&actor, id, p.id).await?),
            None => None,
        };
        let title = ctx.lang.ta("goals-of", &[("name", card.name.clone())]);
        let page = Page::for_user(&actor, &ctx, title, "goals", &format!("/people/{id}/goals"));
        let person = Some((id, card.name));
        let p = GoalsPage {
            page,
            periods,
            period,
            mine,
            person,
            is_manager: false,
            shared: vec![],
            notice: None,
            board_json: None,
        };
        Ok(render(&p))
    };
    or_error_page(ctx.lang, body.await)
}

#[derive(Deserialize)]
pub struct ReuseForm {
    period: Uuid,
    from_period_id: Uuid,
}

/// Copies the actor's goals of another period into the shown one as drafts (G-8).
pub async fn reuse(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Form(f): Form<ReuseForm>) -> Response {
    let input = waymark_app::goals::reuse::ReuseInput { from_period_id: f.from_period_id };
    match st.app.goals().reuse_goals(&actor, f.period, input).await {
        Ok(_) => Redirect::to(&format!("/goals?period={}&done=reused", f.period)).into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}

// ---- team goals -----------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "team_goals.html")]
struct TeamPage {
    page: Page,
    periods: Vec<PeriodView>,
    period: Option<PeriodView>,
    team: Vec<TeamMember>,
}

impl TeamPage {
    /// This month's follow-up of a report (T-6): "62.5%", or "—" when there was nothing to
    /// follow up.
    fn follow_rate(&self, m: &TeamMember) -> String {
        match m.follow_up.as_ref().and_then(|l| l.rate) {
            Some(r) => format!("{}%", self.page.num(r)),
            None => "—".into(),
        }
    }
}

pub async fn team_goals(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let body = async {
        let (periods, period) = periods_and_pick(&st, &actor, q.period).await?;
        let team = match &period {
            Some(p) => st.app.goals().team_goals(&actor, p.id).await?,
            None => vec![],
        };
        let page = Page::for_user(&actor, &ctx, ctx.lang.t("goals-team"), "goals", "/goals/team");
        Ok(render(&TeamPage { page, periods, period, team }))
    };
    or_error_page(ctx.lang, body.await)
}

// ---- break points ---------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "break_points.html")]
struct BreakPage {
    page: Page,
    periods: Vec<PeriodView>,
    period: Option<PeriodView>,
    bp: Option<BreakPoints>,
}

pub async fn break_points(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let body = async {
        let (periods, period) = periods_and_pick(&st, &actor, q.period).await?;
        let bp = match &period {
            Some(p) => Some(st.app.goals().break_points(&actor, p.id).await?),
            None => None,
        };
        let page = Page::for_user(&actor, &ctx, ctx.lang.t("goals-break-points"), "goals", "/goals/break-points");
        Ok(render(&BreakPage { page, periods, period, bp }))
    };
    or_error_page(ctx.lang, body.await)
}

// ---- new goal -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "goal_new.html")]
struct NewGoalPage {
    page: Page,
    period: PeriodView,
    shared: Vec<GoalSummary>,
    parent: Option<Uuid>,
    frameworks: &'static [&'static str],
    kr_kinds: &'static [&'static str],
    can_share: bool,
    recommendation: Option<waymark_app::goals::Recommendation>,
    /// Templates that suit the actor for this period (G-8).
    templates: Vec<waymark_app::goals::library::TemplateView>,
    /// The form as typed, when it comes back refused.
    form: NewGoalForm,
    errors: Vec<String>,
}

impl NewGoalPage {
    fn is_parent(&self, id: &Uuid) -> bool {
        self.parent == Some(*id)
    }
    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }
}

/// Key-result rows the form offers; blank rows are ignored.
const KR_ROWS: usize = 5;

#[derive(Default, Clone)]
struct NewGoalForm {
    title: String,
    description: String,
    framework: String,
    level: String,
    visibility: String,
    is_key: bool,
    /// The goal's own weight among the person's goals.
    goal_weight: String,
    weight: String,
    krs: Vec<[String; 6]>,
}

impl NewGoalForm {
    fn blank() -> Self {
        NewGoalForm {
            framework: "okr".into(),
            level: "individual".into(),
            visibility: "public".into(),
            is_key: true,
            krs: vec![Default::default(); KR_ROWS],
            ..Default::default()
        }
    }
}

pub async fn new_goal(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let period = match periods_and_pick(&st, &actor, q.period).await {
        Ok((_, Some(p))) => p,
        Ok((_, None)) => return page_error(ctx.lang, AppError::NotFound("period")),
        Err(e) => return page_error(ctx.lang, e),
    };
    let mut form = NewGoalForm::blank();
    if let Some(f) = q.framework.filter(|f| FRAMEWORKS.contains(&f.as_str())) {
        form.framework = f;
    }
    new_goal_view(&st, &actor, &ctx, period, q.parent, form, vec![]).await
}

async fn new_goal_view(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    period: PeriodView,
    parent: Option<Uuid>,
    form: NewGoalForm,
    errors: Vec<String>,
) -> Response {
    // Cascade (G-5): a parent from another period is offered too, so the link can be chosen.
    let mut shared = match st.app.goals().alignable_goals(actor, period.id).await {
        Ok(s) => s,
        Err(e) => return page_error(ctx.lang, e),
    };
    if let Some(p) = parent
        && !shared.iter().any(|g| g.id == p)
        && let Some(v) = part!(ctx.lang, st.app.goals().view(actor, p).await)
    {
        shared.insert(0, v.summary);
    }
    let mut form = form;
    if parent.is_some() && form.title.is_empty() && errors.is_empty() {
        // Prefill from the parent: its framework, and for a team goal its level.
        if let Some(g) = shared.iter().find(|g| Some(g.id) == parent) {
            form.framework = g.framework.clone();
        }
    }
    let recommendation = part!(ctx.lang, st.app.goals().recommendation(actor).await).flatten();
    let templates = part!(ctx.lang, st.app.goals().templates_for_me(actor, period.id).await).unwrap_or_default();
    let page = Page::for_user(actor, ctx, ctx.lang.t("goal-new"), "goals", "/goals/new");
    let p = NewGoalPage {
        page,
        period,
        shared,
        parent,
        frameworks: &FRAMEWORKS,
        kr_kinds: &FORM_KR_KINDS,
        can_share: actor.is_hr() || actor.is_manager,
        recommendation,
        templates,
        form,
        errors,
    };
    render_form(&p, &p.errors)
}

/// `POST /goals`: the form's fields as pairs, since key-result rows repeat.
pub async fn create_goal(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str()).unwrap_or("");
    let mut form = NewGoalForm {
        title: get("title").into(),
        description: get("description").into(),
        framework: get("framework").into(),
        level: text(get("level")).unwrap_or_else(|| "individual".into()),
        visibility: text(get("visibility")).unwrap_or_else(|| "public".into()),
        is_key: get("is_key") == "on",
        goal_weight: get("goal_weight").into(),
        weight: get("weight").into(),
        krs: vec![],
    };
    for i in 0..KR_ROWS {
        let col = |c: &str| get(&format!("kr{i}_{c}")).to_string();
        form.krs.push([col("title"), col("kind"), col("start"), col("target"), col("unit"), col("weight")]);
    }
    let Ok(period_id) = get("period_id").parse::<Uuid>() else {
        return page_error(ctx.lang, AppError::NotFound("period"));
    };
    let parent = get("parent_id").parse::<Uuid>().ok();
    let key_results = form
        .krs
        .iter()
        .filter(|r| !r[0].trim().is_empty())
        .map(|r| KeyResultInput {
            title: r[0].clone(),
            kind: r[1].clone(),
            start: num(&r[2]),
            target: num(&r[3]),
            unit_label: text(&r[4]),
            weight: num(&r[5]),
            ..Default::default()
        })
        .collect();
    let input = GoalInput {
        period_id,
        title: form.title.clone(),
        description: text(&form.description),
        framework: form.framework.clone(),
        level: Some(form.level.clone()),
        unit_id: None,
        owner_ids: vec![],
        visibility: Some(form.visibility.clone()),
        is_key: Some(form.is_key),
        weight: num(&form.goal_weight),
        progress_source: None,
        due_on: text(get("due_on")),
        key_results,
        aligned_to: parent
            .map(|p| AlignInput {
                goal_id: p,
                key_result_id: None,
                from_key_result_id: None,
                weight: num(&form.weight),
            })
            .into_iter()
            .collect(),
    };
    match st.app.goals().create_goal(&actor, input).await {
        Ok(v) => Redirect::to(&format!("/goals/{}?done=created", v.summary.id)).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let period = match periods_and_pick(&st, &actor, Some(period_id)).await {
                Ok((_, Some(p))) => p,
                _ => return page_error(ctx.lang, e),
            };
            new_goal_view(&st, &actor, &ctx, period, parent, form, field_messages(ctx.lang, &e)).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

// ---- one goal -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "goal.html")]
struct GoalPage {
    page: Page,
    g: GoalView,
    history: Vec<HistoryEntry>,
    /// How many history entries the goal has; the page shows the newest `GOAL_PAGE_HISTORY`.
    history_total: u64,
    /// What the goal could align to (shown to those who may change it).
    shared: Vec<GoalSummary>,
    /// The live key results of `shared`, which this goal's key results can align to.
    parent_krs: std::collections::HashMap<Uuid, Vec<(Uuid, String)>>,
    /// The key-result library, to add a key result from (shown to those who may change it).
    library: Vec<waymark_app::goals::library::LibraryItemView>,
    kr_kinds: &'static [&'static str],
    /// Progress tracking (T-1, T-3, T-4), for readers of the goal.
    tracking: Option<waymark_app::tracking::TrackingView>,
    chart_json: String,
    confidences: &'static [&'static str],
    accept: String,
    max_mb: usize,
    me: Option<Uuid>,
    notice: Option<String>,
    errors: Vec<String>,
}

/// Check-ins on one page of the goal's timeline: a quarter of weekly check-ins on three key
/// results is forty entries, which on a phone is metres of scrolling; older ones are a link away.
const GOAL_PAGE_TIMELINE: u64 = 15;
/// History entries on the goal page (the API gives up to 2 000): a goal checked in on every day
/// has as many progress entries as days.
const GOAL_PAGE_HISTORY: u64 = 100;

pub(crate) async fn goal_view(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    before: Option<Uuid>,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let goals = st.app.goals();
    let (g, (history, history_total)) =
        match (goals.view(actor, id).await, goals.newest_history(actor, id, GOAL_PAGE_HISTORY).await) {
            (Ok(g), Ok(h)) => (g, h),
            (Err(e), _) | (_, Err(e)) => return page_error(ctx.lang, e),
        };
    let (shared, parent_krs) = if g.can_edit {
        part!(ctx.lang, goals.alignable_targets(actor, g.summary.period_id).await).unwrap_or_default()
    } else {
        Default::default()
    };
    let library =
        if g.changeable { part!(ctx.lang, goals.library_items(actor).await).unwrap_or_default() } else { vec![] };
    let page = waymark_app::tracking::TimelinePage { before, limit: Some(GOAL_PAGE_TIMELINE) };
    let tracking = part!(ctx.lang, st.app.tracking().tracking(actor, id, page).await);
    let chart_json = tracking.as_ref().map(|t| super::tracking::chart_json(ctx.lang, t)).unwrap_or_default();
    let page = Page::for_user(actor, ctx, g.summary.title.clone(), "goals", &format!("/goals/{id}"));
    let p = GoalPage {
        page,
        g,
        history,
        history_total,
        shared,
        parent_krs,
        library,
        kr_kinds: &FORM_KR_KINDS,
        tracking,
        chart_json,
        confidences: &waymark_app::tracking::CONFIDENCES,
        accept: waymark_domain::tracking::attachment::accepted_extensions()
            .iter()
            .map(|e| format!(".{e}"))
            .collect::<Vec<_>>()
            .join(","),
        max_mb: st.app.config.attachment_max_bytes / (1024 * 1024),
        me: actor.employee_id,
        notice,
        errors,
    };
    render_form(&p, &p.errors)
}

pub async fn goal_page(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    let notice = q.done.as_deref().and_then(|d| ctx.lang.try_t(&format!("goal-done-{d}")));
    goal_view(&st, &actor, &ctx, id, q.before, notice, vec![]).await
}

/// After a goal action: back to the goal page with a notice, or the page with the errors.
async fn after(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    done: &str,
    r: Result<GoalView, AppError>,
) -> Response {
    match r {
        Ok(v) => Redirect::to(&format!("/goals/{}?done={done}", v.summary.id)).into_response(),
        Err(e @ AppError::Invalid(_)) => goal_view(st, actor, ctx, id, None, None, field_messages(ctx.lang, &e)).await,
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    comment: String,
    #[serde(default)]
    decision: String,
    #[serde(default)]
    reason: String,
}

pub async fn submit(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<CommentForm>,
) -> Response {
    let r = st.app.goals().submit(&actor, id, SubmitInput { comment: text(&f.comment) }).await;
    after(&st, &actor, &ctx, id, "submitted", r).await
}

pub async fn decide(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<CommentForm>,
) -> Response {
    let done = if f.decision == "return" { "returned" } else { "approved" };
    let r = st.app.goals().decide(&actor, id, DecisionInput { decision: f.decision, comment: text(&f.comment) }).await;
    // Approvers come from the queue and go back to it.
    match r {
        Ok(_) => Redirect::to(&format!("/approvals?done={done}")).into_response(),
        Err(e) => after(&st, &actor, &ctx, id, done, Err(e)).await,
    }
}

pub async fn archive(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<CommentForm>,
) -> Response {
    let r = st.app.goals().archive_goal(&actor, id, ReasonInput { reason: text(&f.reason) }).await;
    after(&st, &actor, &ctx, id, "saved", r).await
}

#[derive(Deserialize)]
pub struct EditForm {
    title: String,
    #[serde(default)]
    description: String,
    visibility: String,
    #[serde(default)]
    is_key: Option<String>,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    weight: String,
    /// Owners' employee numbers, separated by commas or spaces.
    #[serde(default)]
    owners: Option<String>,
    #[serde(default)]
    reason: String,
}

pub async fn edit(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<EditForm>,
) -> Response {
    let patch = GoalPatch {
        title: Some(f.title),
        description: Some(f.description),
        visibility: Some(f.visibility),
        is_key: Some(f.is_key.is_some()),
        weight: num(&f.weight).or_else(|| (!f.weight.trim().is_empty()).then_some(f64::NAN)),
        clear_weight: Some(f.weight.trim().is_empty()),
        due_on: Some(f.due_on),
        owner_ids: None,
        owner_nos: f
            .owners
            .map(|o| o.split(|c: char| c == ',' || c == '，' || c.is_whitespace()).map(str::to_string).collect()),
        reason: text(&f.reason),
    };
    let r = st.app.goals().update_goal(&actor, id, patch).await;
    after(&st, &actor, &ctx, id, "saved", r).await
}

#[derive(Deserialize)]
pub struct ProgressForm {
    goal_id: Uuid,
    #[serde(default)]
    current: String,
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    kind: String,
}

pub async fn progress(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(kr): Path<Uuid>,
    Form(f): Form<ProgressForm>,
) -> Response {
    let input = if f.kind == "done" {
        ProgressInput { current: None, done: Some(f.done.is_some()) }
    } else {
        // A value that is not a number is sent on as NaN, so the service names the field.
        ProgressInput { current: Some(num(&f.current).unwrap_or(f64::NAN)), done: None }
    };
    let r = st.app.goals().update_progress(&actor, kr, input).await;
    after(&st, &actor, &ctx, f.goal_id, "progress", r).await
}

#[derive(Deserialize)]
pub struct KrForm {
    /// From the key-result library: its definition fills what the form leaves blank.
    #[serde(default)]
    library_item_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    weight: String,
    #[serde(default)]
    reason: String,
}

pub async fn add_key_result(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<KrForm>,
) -> Response {
    let key_result = KeyResultInput {
        library_item_id: f.library_item_id.parse().ok(),
        title: f.title,
        kind: f.kind,
        start: num(&f.start),
        target: num(&f.target),
        unit_label: text(&f.unit),
        weight: num(&f.weight),
        ..Default::default()
    };
    let r = st.app.goals().add_key_result(&actor, id, KeyResultChange { key_result, reason: text(&f.reason) }).await;
    after(&st, &actor, &ctx, id, "saved", r).await
}

#[derive(Deserialize)]
pub struct GoalRef {
    goal_id: Uuid,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    done: Option<String>,
}

pub async fn archive_key_result(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(kr): Path<Uuid>,
    Form(f): Form<GoalRef>,
) -> Response {
    let r = st.app.goals().archive_key_result(&actor, kr, true, ReasonInput { reason: text(&f.reason) }).await;
    after(&st, &actor, &ctx, f.goal_id, "saved", r).await
}

pub async fn unalign(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(link): Path<Uuid>,
    Form(f): Form<GoalRef>,
) -> Response {
    let r = st.app.goals().unalign(&actor, link, ReasonInput { reason: text(&f.reason) }).await;
    after(&st, &actor, &ctx, f.goal_id, "saved", r).await
}

#[derive(Deserialize)]
pub struct WeightForm {
    goal_id: Uuid,
    /// Blank: an equal share.
    #[serde(default)]
    weight: String,
    #[serde(default)]
    reason: String,
}

/// A weight field of a form: blank is none (an equal share), anything else must be a number.
fn optional_weight(field: &str) -> Result<Option<f64>, AppError> {
    match field.trim() {
        "" => Ok(None),
        w => num(w).map(Some).ok_or_else(|| AppError::field("weight", "not_a_number", "must be a number")),
    }
}

pub async fn reweight(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(link): Path<Uuid>,
    Form(f): Form<WeightForm>,
) -> Response {
    let weight = match optional_weight(&f.weight) {
        Ok(w) => w,
        Err(e) => return goal_view(&st, &actor, &ctx, f.goal_id, None, None, field_messages(ctx.lang, &e)).await,
    };
    let r = st.app.goals().reweight(&actor, link, WeightInput { weight, reason: text(&f.reason) }).await;
    after(&st, &actor, &ctx, f.goal_id, "saved", r).await
}

#[derive(Deserialize)]
pub struct RequestForm {
    /// The goal page to return to.
    goal_id: Uuid,
    /// Blank: the weight asked for.
    #[serde(default)]
    weight: String,
    #[serde(default)]
    comment: String,
}

/// Accepts, declines or withdraws a pending alignment request from a goal page.
pub async fn decide_request(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path((id, what)): Path<(Uuid, String)>,
    Form(f): Form<RequestForm>,
) -> Response {
    let weight = match optional_weight(&f.weight) {
        Ok(w) => w,
        Err(e) => return goal_view(&st, &actor, &ctx, f.goal_id, None, None, field_messages(ctx.lang, &e)).await,
    };
    let input = AlignmentDecision { weight, comment: text(&f.comment) };
    let goals = st.app.goals();
    let r = match what.as_str() {
        "accept" => goals.accept_alignment(&actor, id, input).await,
        "decline" => goals.decline_alignment(&actor, id, input).await,
        "withdraw" => goals.withdraw_alignment(&actor, id).await,
        _ => return page_error(ctx.lang, AppError::NotFound("page")),
    };
    // A goal (or key result) measured by itself does not take its supporters' progress: the
    // notice must not say it does. An accepted request becomes the link of the same id, whose
    // `counted` the roll-up has decided.
    let counted =
        |v: &waymark_app::goals::GoalView| v.supported_by.iter().any(|l| l.link_id == id && l.counted == Some(true));
    let done = match &r {
        Ok(v) if what == "accept" && !counted(v) => "request-accept-own".to_string(),
        _ => format!("request-{what}"),
    };
    after(&st, &actor, &ctx, f.goal_id, &done, r).await
}

#[derive(Deserialize)]
pub struct AlignForm {
    /// A goal id, or `goal-id:key-result-id` for one of its key results.
    parent_id: String,
    /// This goal's own key result that supports the parent (blank: the whole goal).
    #[serde(default)]
    from_key_result_id: String,
    #[serde(default)]
    weight: String,
}

pub async fn align(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<AlignForm>,
) -> Response {
    let (goal, kr) = f.parent_id.trim().split_once(':').unwrap_or((f.parent_id.trim(), ""));
    let Ok(parent) = goal.parse::<Uuid>() else {
        let e = AppError::field("aligned_to[0].goal_id", "unknown_goal", "no such goal");
        return goal_view(&st, &actor, &ctx, id, None, None, field_messages(ctx.lang, &e)).await;
    };
    let input = AlignInput {
        goal_id: parent,
        key_result_id: kr.parse().ok(),
        from_key_result_id: f.from_key_result_id.parse().ok(),
        weight: num(&f.weight),
    };
    let r = st.app.goals().align(&actor, id, input).await;
    // Aligned at once, or asked of the parent's owner (issue 22, item 1).
    let asked = r.as_ref().is_ok_and(|v| v.requests_out.iter().any(|q| q.parent_goal_id == parent));
    after(&st, &actor, &ctx, id, if asked { "align-requested" } else { "saved" }, r).await
}

#[derive(Deserialize)]
pub struct CommitmentForm {
    kind: String,
    description: String,
    #[serde(default)]
    due_on: String,
}

pub async fn add_commitment(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<CommitmentForm>,
) -> Response {
    let input =
        CommitmentInput { kind: f.kind, description: f.description, provider_id: None, due_on: text(&f.due_on) };
    let r = st.app.goals().add_commitment(&actor, id, input).await;
    after(&st, &actor, &ctx, id, "saved", r).await
}

pub async fn commitment_done(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(c): Path<Uuid>,
    Form(f): Form<GoalRef>,
) -> Response {
    let r = st.app.goals().complete_commitment(&actor, c, f.done.is_some()).await;
    after(&st, &actor, &ctx, f.goal_id, "saved", r).await
}
