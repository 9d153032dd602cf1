//! Review pages (V-1 … V-4): one's review tasks, cycles and released results; the review form
//! with the evidence beside it; naming and approving peers; for HR the cycles (set up, launch,
//! health, calibration) and the templates. A result with its release and appeal: `review_release`.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::goals::PeriodView;
use waymark_app::org::UnitView;
use waymark_app::policy::Actor;
use waymark_app::reviews::{
    AppealView, CycleHealth, CycleInput, CycleView, ItemInput, LockedReview, ManagerRow, MoveInput, MyResult,
    NominationView, PeerDecisionInput, PeersInput, RatingInput, ReviewForm, ReviewInput, ReviewTemplateInput,
    ReviewTemplateView, SessionInput, SessionSummary, SessionView, StageInput, TaskView, UnlockInput, WeightsInput,
};
use waymark_domain::reviews::calibration::Verdict;
use waymark_domain::reviews::cycle::Stage;
use waymark_domain::reviews::grades::Band;
use waymark_domain::reviews::scale::ScalePoint;

use super::{DoneQuery, Page, Pairs, field_messages, pair, pair_ids, render, render_form, settle};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

// ---- one's reviews ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "reviews.html")]
struct MinePage {
    page: Page,
    /// Reviews still to write (or not yet open), then those submitted, folded away.
    tasks: Vec<TaskView>,
    submitted: Vec<TaskView>,
    cycles: Vec<NominationView>,
    results: Vec<MyResult>,
    notice: Option<String>,
}

pub async fn mine(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Query(q): Query<DoneQuery>) -> Response {
    let r = st.app.reviews();
    let loaded = async {
        if actor.employee_id.is_none() {
            return Ok((vec![], vec![], vec![]));
        }
        Ok::<_, AppError>((r.my_tasks(&actor).await?, r.my_nominations(&actor).await?, r.my_results(&actor).await?))
    }
    .await;
    let (tasks, cycles, results) = match loaded {
        Ok(x) => x,
        Err(e) => return page_error(ctx.lang, e),
    };
    let (submitted, tasks) = tasks.into_iter().partition(|t| t.state == "submitted");
    let notice = q.done.map(|d| ctx.lang.t(&format!("reviews-done-{d}")));
    let page = Page::for_user(&actor, &ctx, ctx.lang.t("reviews-title"), "reviews", "/reviews");
    render(&MinePage { page, tasks, submitted, cycles, results, notice })
}

// ---- the review form ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "review_form.html")]
struct FormPage {
    page: Page,
    f: ReviewForm,
    notice: Option<String>,
    errors: Vec<String>,
}

async fn form_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<String>,
    typed: Option<ReviewInput>,
) -> Response {
    match st.app.reviews().form(actor, id).await {
        Ok(mut f) => {
            // Keep what was typed when it was refused.
            if let Some(t) = typed {
                for it in &mut f.items {
                    if let Some(x) = t.ratings.iter().find(|x| x.item_id == it.item.id) {
                        it.value = x.value;
                        it.comment = x.comment.clone();
                    }
                }
                f.summary = t.summary;
            }
            let title = format!("{} · {}", ctx.lang.t("reviews-form-title"), f.person.name);
            let page = Page::for_user(actor, ctx, title, "reviews", &format!("/reviews/{id}"));
            let p = FormPage { page, f, notice, errors };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn form(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("reviews-done-{d}")));
    form_page(&st, &actor, &ctx, id, notice, vec![], None).await
}

/// The form posts `value_<item>` and `comment_<item>` per item, `summary`, and `submit` when
/// submitting rather than saving.
pub async fn save(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let mut ratings: Vec<RatingInput> = Vec::new();
    for (k, _) in pairs.iter().filter(|(k, _)| k.starts_with("comment_")) {
        let Ok(item_id) = k["comment_".len()..].parse::<Uuid>() else { continue };
        let value = pair(&pairs, &format!("value_{item_id}"));
        ratings.push(RatingInput {
            item_id,
            value: if value.is_empty() { None } else { value.parse().ok() },
            comment: pair(&pairs, k).to_string(),
        });
    }
    let input =
        ReviewInput { ratings, summary: pair(&pairs, "summary").into(), submit: !pair(&pairs, "submit").is_empty() };
    let submit = input.submit;
    match st.app.reviews().save_review(&actor, id, input.clone()).await {
        Ok(_) => {
            Redirect::to(&format!("/reviews/{id}?done={}", if submit { "submitted" } else { "saved" })).into_response()
        }
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            form_page(&st, &actor, &ctx, id, None, errors, Some(input)).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

// ---- peers --------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "review_peers.html")]
struct PeersPage {
    page: Page,
    n: NominationView,
    notice: Option<String>,
    errors: Vec<String>,
}

async fn peers_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    match st.app.reviews().nominations(actor, id).await {
        Ok(n) => {
            let title = format!("{} · {}", ctx.lang.t("reviews-peers-title"), n.person.name);
            let page = Page::for_user(actor, ctx, title, "reviews", &format!("/reviews/participants/{id}/peers"));
            let p = PeersPage { page, n, notice, errors };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn peers(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("reviews-done-{d}")));
    peers_page(&st, &actor, &ctx, id, notice, vec![]).await
}

/// The person's list: `peer` for those kept, `from` for those picked with the people search.
pub async fn nominate(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let mut peer_ids = pair_ids(&pairs, "peer");
    peer_ids.extend(pair_ids(&pairs, "from"));
    let input = PeersInput { peer_ids };
    settle(
        ctx.lang,
        st.app.reviews().nominate(&actor, id, input).await,
        format!("/reviews/participants/{id}/peers?done=nominated"),
        |errors| peers_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

/// The manager's decision: `decision_<peer>` = approve or reject.
pub async fn decide(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let mut input = PeerDecisionInput { approve: vec![], reject: vec![] };
    for (k, v) in &pairs {
        let Some(peer) = k.strip_prefix("decision_").and_then(|p| p.parse::<Uuid>().ok()) else { continue };
        match v.as_str() {
            "approve" => input.approve.push(peer),
            "reject" => input.reject.push(peer),
            _ => {}
        }
    }
    settle(
        ctx.lang,
        st.app.reviews().decide_peers(&actor, id, input).await,
        format!("/reviews/participants/{id}/peers?done=decided"),
        |errors| peers_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

// ---- HR: cycles ----------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "reviews_admin.html")]
struct AdminPage {
    page: Page,
    cycles: Vec<CycleView>,
    templates: Vec<ReviewTemplateView>,
    periods: Vec<PeriodView>,
    units: Vec<UnitView>,
    form: CycleForm,
    stages: Vec<&'static str>,
    notice: Option<String>,
    errors: Vec<String>,
}

#[derive(Default)]
struct CycleForm {
    name: String,
    period: String,
    template: String,
    units: Vec<Uuid>,
    job_families: String,
    levels: String,
    hired_by: String,
    /// (opens, closes) per stage in `Stage::ALL` order.
    dates: Vec<(String, String)>,
}

impl CycleForm {
    fn opens(&self, i: &usize) -> &str {
        self.dates.get(*i).map_or("", |d| d.0.as_str())
    }
    fn closes(&self, i: &usize) -> &str {
        self.dates.get(*i).map_or("", |d| d.1.as_str())
    }
    fn has_unit(&self, id: &Uuid) -> bool {
        self.units.contains(id)
    }
}

async fn admin_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    form: CycleForm,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let r = st.app.reviews();
    let loaded = async {
        Ok::<_, AppError>((
            r.cycles(actor).await?,
            r.templates(actor).await?,
            st.app.goals().periods(actor).await?,
            r.units_in_scope(actor).await?,
        ))
    }
    .await;
    match loaded {
        Ok((cycles, templates, periods, units)) => {
            let page = Page::for_user(actor, ctx, ctx.lang.t("reviews-admin-title"), "admin", "/admin/reviews");
            let stages = Stage::ALL.iter().map(|s| s.code()).collect();
            let p = AdminPage { page, cycles, templates, periods, units, form, stages, notice, errors };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn admin(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Query(q): Query<DoneQuery>) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("reviews-done-{d}")));
    admin_page(&st, &actor, &ctx, CycleForm::default(), notice, vec![]).await
}

pub async fn create_cycle(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(pairs): Form<Pairs>,
) -> Response {
    let form = CycleForm {
        name: pair(&pairs, "name").into(),
        period: pair(&pairs, "period").into(),
        template: pair(&pairs, "template").into(),
        units: pair_ids(&pairs, "unit"),
        job_families: pair(&pairs, "job_families").into(),
        levels: pair(&pairs, "levels").into(),
        hired_by: pair(&pairs, "hired_by").into(),
        dates: form_dates(&pairs),
    };
    let stages = match stage_inputs(ctx.lang, &form.dates) {
        Ok(s) => s,
        Err(msg) => return admin_page(&st, &actor, &ctx, form, None, vec![msg]).await,
    };
    let (Ok(period_id), Ok(template_id)) = (form.period.parse(), form.template.parse()) else {
        let msg = format!("{}: {}", ctx.lang.t("reviews-template"), ctx.lang.t("error-required"));
        return admin_page(&st, &actor, &ctx, form, None, vec![msg]).await;
    };
    let list = |s: &str| s.split([',', '，', '、']).map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect();
    let input = CycleInput {
        name: form.name.clone(),
        period_id,
        template_id,
        unit_ids: form.units.clone(),
        job_families: list(&form.job_families),
        levels: list(&form.levels),
        hired_by: form.hired_by.parse().ok(),
        stages,
    };
    match st.app.reviews().create_cycle(&actor, input).await {
        Ok(c) => Redirect::to(&format!("/admin/reviews/cycles/{}?done=created", c.id)).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            admin_page(&st, &actor, &ctx, form, None, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Template)]
#[template(path = "review_cycle.html")]
struct CyclePage {
    page: Page,
    h: CycleHealth,
    sessions: Vec<SessionSummary>,
    appeals: Vec<AppealView>,
    units: Vec<UnitView>,
    notice: Option<String>,
    errors: Vec<String>,
    /// The page of the participants' table shown (1-based) and how many there are.
    people_page: usize,
    people_pages: usize,
}

/// Participants per page of the cycle's table: a cycle over the whole organization made the
/// page 14 000 px long at 200 people (issue 23, item 6).
const PEOPLE_PER_PAGE: usize = 50;

pub(super) async fn cycle_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    cycle_page_at(st, actor, ctx, id, notice, errors, 1).await
}

#[allow(clippy::too_many_arguments)]
async fn cycle_page_at(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<String>,
    people_page: usize,
) -> Response {
    let r = st.app.reviews();
    let loaded = async {
        Ok::<_, AppError>((
            r.health(actor, id).await?,
            r.sessions(actor, id).await?,
            r.appeals(actor, id).await?,
            r.units_in_scope(actor).await?,
        ))
    }
    .await;
    match loaded {
        Ok((mut h, sessions, appeals, units)) => {
            let title = format!("{} · {}", ctx.lang.t("reviews-cycle-title"), h.cycle.name);
            let page = Page::for_user(actor, ctx, title, "admin", &format!("/admin/reviews/cycles/{id}"));
            let people_pages = h.rows.len().div_ceil(PEOPLE_PER_PAGE).max(1);
            let people_page = people_page.clamp(1, people_pages);
            h.rows = h.rows.into_iter().skip((people_page - 1) * PEOPLE_PER_PAGE).take(PEOPLE_PER_PAGE).collect();
            let p = CyclePage { page, h, sessions, appeals, units, notice, errors, people_page, people_pages };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn create_session(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input = SessionInput {
        name: pair(&pairs, "name").into(),
        unit_id: pair(&pairs, "unit").parse().ok(),
        level: Some(pair(&pairs, "level").to_string()),
    };
    match st.app.reviews().create_session(&actor, id, input).await {
        Ok(s) => Redirect::to(&format!("/admin/reviews/calibration/{}", s.id)).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            cycle_page(&st, &actor, &ctx, id, None, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

// ---- HR: calibration (V-4) ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "calibration.html")]
struct SessionPage {
    page: Page,
    s: SessionView,
    notice: Option<String>,
    errors: Vec<String>,
    /// The distribution against the guideline, for the chart (the table stays as the
    /// accessible view).
    chart_json: String,
    /// The people in their grade's column (issue 23, item 5).
    columns: Vec<GradeColumn>,
}

/// One grade's column of the calibration board: who is in it now, best score first, beside
/// what the guideline would put there.
struct GradeColumn {
    code: String,
    expected: usize,
    people: Vec<waymark_app::reviews::CalibrationRow>,
}

/// The session's scored people by their grade after calibration, in the grades' order (each
/// column keeps the session's order: best score first).
fn grade_columns(s: &SessionView) -> Vec<GradeColumn> {
    s.distribution
        .iter()
        .map(|g| {
            let people =
                s.people.iter().filter(|p| p.final_grade.as_deref() == Some(g.code.as_str())).cloned().collect();
            GradeColumn { code: g.code.clone(), expected: g.expected, people }
        })
        .collect()
}

impl SessionPage {
    fn verdict(&self, m: &ManagerRow) -> &'static str {
        match m.stat.verdict {
            Verdict::Lenient => "lenient",
            Verdict::Severe => "severe",
            Verdict::InLine => "in_line",
            Verdict::TooFew => "too_few",
        }
    }
    fn p_value(&self, m: &ManagerRow) -> String {
        if m.stat.verdict == Verdict::TooFew {
            "—".into()
        } else if m.stat.p < 0.001 {
            "< 0.001".into()
        } else {
            format!("{:.3}", m.stat.p)
        }
    }
}

async fn session_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    match st.app.reviews().session(actor, id).await {
        Ok(s) => {
            let title = format!("{} · {}", ctx.lang.t("calibration-title"), s.name);
            let page = Page::for_user(actor, ctx, title, "admin", &format!("/admin/reviews/calibration/{id}"));
            let chart = serde_json::json!({
                "grades": s.distribution.iter().map(|g| g.code.clone()).collect::<Vec<_>>(),
                "actual": s.distribution.iter().map(|g| g.count).collect::<Vec<_>>(),
                "expected": s.distribution.iter().map(|g| g.expected).collect::<Vec<_>>(),
                "labels": {"actual": ctx.lang.t("calibration-count"), "expected": ctx.lang.t("calibration-expected")},
            });
            let chart_json = super::script_json(&chart);
            let columns = grade_columns(&s);
            let p = SessionPage { page, s, notice, errors, chart_json, columns };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn session(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("calibration-done-{d}")));
    session_page(&st, &actor, &ctx, id, notice, vec![]).await
}

/// A move from the people table: `participant`, `grade`, `reason`.
pub async fn move_grade(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let Ok(participant_id) = pair(&pairs, "participant").parse() else {
        return page_error(ctx.lang, AppError::NotFound("participant"));
    };
    let input =
        MoveInput { participant_id, grade: pair(&pairs, "grade").into(), reason: pair(&pairs, "reason").into() };
    settle(
        ctx.lang,
        st.app.reviews().move_grade(&actor, id, input).await,
        format!("/admin/reviews/calibration/{id}?done=moved"),
        |errors| session_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

pub async fn lock(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    settle(
        ctx.lang,
        st.app.reviews().lock_session(&actor, id).await,
        format!("/admin/reviews/calibration/{id}?done=locked"),
        |errors| session_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

pub async fn unlock(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    settle(
        ctx.lang,
        st.app.reviews().unlock_session(&actor, id, UnlockInput { reason: pair(&pairs, "reason").into() }).await,
        format!("/admin/reviews/calibration/{id}?done=unlocked"),
        |errors| session_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

/// The stages from the form's `opens_<stage>` and `closes_<stage>` dates, in `Stage::ALL`
/// order; a stage left empty is left out; a date that is not one is named.
fn stage_inputs(lang: waymark_app::i18n::Lang, dates: &[(String, String)]) -> Result<Vec<StageInput>, String> {
    let mut stages = Vec::new();
    for (s, (o, c)) in Stage::ALL.iter().zip(dates) {
        if o.is_empty() && c.is_empty() {
            continue;
        }
        match (o.parse(), c.parse()) {
            (Ok(opens_on), Ok(closes_on)) => stages.push(StageInput { stage: s.code().into(), opens_on, closes_on }),
            _ => {
                let stage = lang.t(&format!("reviews-stage-{}", s.code().replace('_', "-")));
                return Err(format!("{stage}: {}", lang.t("error-invalid-date")));
            }
        }
    }
    Ok(stages)
}

fn form_dates(pairs: &Pairs) -> Vec<(String, String)> {
    Stage::ALL
        .iter()
        .map(|s| {
            (pair(pairs, &format!("opens_{}", s.code())).into(), pair(pairs, &format!("closes_{}", s.code())).into())
        })
        .collect()
}

#[derive(Template)]
#[template(path = "review_reschedule_confirm.html")]
struct RescheduleConfirmPage {
    page: Page,
    id: Uuid,
    /// The dates as the form sent them: (stage code, opens, closes).
    dates: Vec<(&'static str, String, String)>,
    locked: Vec<LockedReview>,
    /// How many of each kind of review, in the order the kinds are written.
    by_source: Vec<(&'static str, usize)>,
}

/// New dates for the cycle's stages.
pub async fn reschedule(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let dates = form_dates(&pairs);
    let stages = match stage_inputs(ctx.lang, &dates) {
        Ok(s) => s,
        Err(msg) => return cycle_page(&st, &actor, &ctx, id, None, vec![msg]).await,
    };
    // Dates that would lock reviews people can write today are shown with whose before
    // anything changes (issue 22, item 12); a refusal of the dates themselves comes below.
    let confirmed = !pair(&pairs, "confirm_locking").is_empty();
    if !confirmed
        && let Ok(locked) = st.app.reviews().reschedule_effect(&actor, id, &stages).await
        && !locked.is_empty()
    {
        let title = ctx.lang.t("reviews-reschedule-confirm-title");
        let page = Page::for_user(&actor, &ctx, title, "admin", &format!("/admin/reviews/cycles/{id}"));
        let dates = Stage::ALL.iter().zip(dates).map(|(s, (o, c))| (s.code(), o, c)).collect();
        let by_source = ["self", "peers", "manager", "upward"]
            .into_iter()
            .map(|k| (k, locked.iter().filter(|l| l.source == k).count()))
            .filter(|(_, n)| *n > 0)
            .collect();
        return render(&RescheduleConfirmPage { page, id, dates, locked, by_source });
    }
    settle(
        ctx.lang,
        st.app.reviews().reschedule(&actor, id, stages, confirmed).await,
        format!("/admin/reviews/cycles/{id}?done=rescheduled"),
        |errors| cycle_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

#[derive(serde::Deserialize)]
pub struct CycleQuery {
    #[serde(default)]
    done: Option<String>,
    /// The page of the participants' table (1-based).
    #[serde(default)]
    page: Option<usize>,
}

pub async fn cycle(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<CycleQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("reviews-done-{d}")));
    cycle_page_at(&st, &actor, &ctx, id, notice, vec![], q.page.unwrap_or(1)).await
}

pub async fn launch(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    settle(
        ctx.lang,
        st.app.reviews().launch(&actor, id).await,
        format!("/admin/reviews/cycles/{id}?done=launched"),
        |errors| cycle_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

// ---- HR: templates ------------------------------------------------------------------------------

/// Blank rows offered below the existing items, scale points and grades.
const BLANK_ROWS: usize = 4;

#[derive(Template)]
#[template(path = "review_template_form.html")]
struct TemplatePage {
    page: Page,
    id: Option<Uuid>,
    t: ReviewTemplateInput,
    sections: [&'static str; 6],
    locked: bool,
    errors: Vec<String>,
}

impl TemplatePage {
    fn items(&self) -> Vec<Option<&ItemInput>> {
        self.t.items.iter().map(Some).chain(std::iter::repeat_n(None, BLANK_ROWS)).collect()
    }
    fn points(&self) -> Vec<Option<&ScalePoint>> {
        self.t.scale.iter().flatten().map(Some).chain(std::iter::repeat_n(None, BLANK_ROWS)).collect()
    }
    fn bands(&self) -> Vec<Option<&Band>> {
        self.t.grades.iter().flatten().map(Some).chain(std::iter::repeat_n(None, 2)).collect()
    }
}

fn template_page(
    actor: &Actor,
    ctx: &RequestContext,
    id: Option<Uuid>,
    t: ReviewTemplateInput,
    locked: bool,
    errors: Vec<String>,
) -> Response {
    let path = id.map_or("/admin/reviews/templates/new".to_string(), |id| format!("/admin/reviews/templates/{id}"));
    let page = Page::for_user(actor, ctx, ctx.lang.t("reviews-template-title"), "admin", &path);
    let p = TemplatePage { page, id, t, sections: waymark_app::reviews::SECTIONS, locked, errors };
    render_form(&p, &p.errors)
}

pub async fn new_template(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    match st.app.reviews().starter(&actor, ctx.lang.code()) {
        Ok(t) => template_page(&actor, &ctx, None, t, false, vec![]),
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn edit_template(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
) -> Response {
    match st.app.reviews().template(&actor, id).await {
        Ok(v) => {
            let locked = v.in_use;
            let t = ReviewTemplateInput {
                name: v.name,
                job_families: v.job_families,
                levels: v.levels,
                scale: Some(v.scale),
                grades: Some(v.grades),
                formula: v.formula,
                weights: v.weights,
                peers_min: v.peers_min,
                peers_max: v.peers_max,
                items: v
                    .items
                    .into_iter()
                    .map(|i| ItemInput {
                        section: i.section,
                        title: i.title,
                        description: i.description,
                        weight: i.weight,
                        required: i.required,
                    })
                    .collect(),
                active: v.active,
                prorate_late_goals: v.prorate_late_goals,
            };
            template_page(&actor, &ctx, Some(id), t, locked, vec![])
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

/// Rows are numbered: `item_section_<n>`, `point_value_<n>`, `grade_code_<n>` …; blank rows
/// are left out.
fn template_from(pairs: &Pairs) -> ReviewTemplateInput {
    let num = |k: &str| pair(pairs, k).trim().parse::<f64>().ok();
    let int = |k: &str| pair(pairs, k).trim().parse::<u32>().unwrap_or(0);
    let rows = |prefix: &str| {
        let mut n: Vec<usize> =
            pairs.iter().filter_map(|(k, _)| k.strip_prefix(prefix).and_then(|r| r.parse().ok())).collect();
        n.sort_unstable();
        n.dedup();
        n
    };
    let items = rows("item_title_")
        .into_iter()
        .filter(|n| !pair(pairs, &format!("item_title_{n}")).trim().is_empty())
        .map(|n| ItemInput {
            section: pair(pairs, &format!("item_section_{n}")).into(),
            title: pair(pairs, &format!("item_title_{n}")).into(),
            description: pair(pairs, &format!("item_description_{n}")).into(),
            weight: num(&format!("item_weight_{n}")),
            required: !pair(pairs, &format!("item_required_{n}")).is_empty(),
        })
        .collect();
    let scale = rows("point_label_")
        .into_iter()
        .filter(|n| !pair(pairs, &format!("point_label_{n}")).trim().is_empty())
        .map(|n| ScalePoint {
            value: pair(pairs, &format!("point_value_{n}")).trim().parse().unwrap_or(i32::MIN),
            label: pair(pairs, &format!("point_label_{n}")).into(),
            anchor: pair(pairs, &format!("point_anchor_{n}")).into(),
        })
        .collect();
    let grades = rows("grade_code_")
        .into_iter()
        .filter(|n| !pair(pairs, &format!("grade_code_{n}")).trim().is_empty())
        .map(|n| Band {
            code: pair(pairs, &format!("grade_code_{n}")).into(),
            min: num(&format!("grade_min_{n}")).unwrap_or(f64::NAN),
            guideline: int(&format!("grade_guideline_{n}")),
        })
        .collect();
    let list = |s: &str| {
        pair(pairs, s).split([',', '，', '、']).map(|x| x.trim().to_string()).filter(|x| !x.is_empty()).collect()
    };
    ReviewTemplateInput {
        name: pair(pairs, "name").into(),
        job_families: list("job_families"),
        levels: list("levels"),
        scale: Some(scale),
        grades: Some(grades),
        formula: pair(pairs, "formula").into(),
        weights: WeightsInput {
            self_review: int("weight_self"),
            manager: int("weight_manager"),
            peers: int("weight_peers"),
            upward: int("weight_upward"),
        },
        peers_min: int("peers_min"),
        peers_max: int("peers_max"),
        items,
        active: !pair(pairs, "active").is_empty(),
        prorate_late_goals: !pair(pairs, "prorate_late_goals").is_empty(),
    }
}

pub async fn create_template(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(pairs): Form<Pairs>,
) -> Response {
    save_template(&st, &actor, &ctx, None, &pairs).await
}

pub async fn update_template(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    save_template(&st, &actor, &ctx, Some(id), &pairs).await
}

async fn save_template(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Option<Uuid>,
    pairs: &Pairs,
) -> Response {
    let t = template_from(pairs);
    settle(
        ctx.lang,
        st.app.reviews().save_template(actor, id, t.clone()).await,
        "/admin/reviews?done=template-saved".into(),
        |errors| async move { template_page(actor, ctx, id, t, false, errors) },
    )
    .await
}

/// The cycle's results and calibration record as XLSX, headers in the page's language.
pub async fn results_xlsx(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
) -> Response {
    let chinese = ctx.lang.code().starts_with("zh");
    match st.app.reviews().results_xlsx(&actor, id, chinese).await {
        Ok(bytes) => {
            crate::api::transfer::file_response(bytes, waymark_app::import::FileFormat::Xlsx, "review-results")
        }
        Err(e) => page_error(ctx.lang, e),
    }
}
