//! The goal library pages (G-8): templates and the key-result library with their filters, the
//! forms HR keeps them with, "use this template", and bulk assignment with a preview.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;
use waymark_app::goals::convert::{KeyResultInput, over_library};
use waymark_app::goals::library::{
    AssignInput, AssignReport, Library, LibraryFilter, LibraryItemInput, LibraryItemView, TemplateInput, TemplateView,
    UseTemplateInput,
};
use waymark_app::goals::{FRAMEWORKS, PeriodView};
use waymark_app::org::UnitView;
use waymark_app::{AppError, policy::Actor};

use super::{
    FORM_KR_KINDS as KR_KINDS, Page, field_messages, form_number as num, form_text as text, render, render_form,
};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

/// Key-result rows a template form offers; blank rows are ignored.
const TEMPLATE_ROWS: usize = 6;

fn fmt(v: Option<f64>) -> String {
    v.map(|v| format!("{v}")).unwrap_or_default()
}

// ---- the library ----------------------------------------------------------------------------

#[derive(Deserialize, Default)]
pub struct LibraryQuery {
    #[serde(default)]
    job_family: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    period: String,
    #[serde(default)]
    archived: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "goal_library.html")]
struct LibraryPage {
    page: Page,
    lib: Library,
    periods: Vec<PeriodView>,
    /// The period "use this template" makes the goal in.
    current: Option<PeriodView>,
    q: LibraryQuery,
    notice: Option<String>,
}

impl LibraryPage {
    fn picked(&self, id: &Uuid) -> bool {
        self.q.period == id.to_string()
    }
}

pub async fn page(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<LibraryQuery>,
) -> Response {
    let filter = LibraryFilter {
        job_family: text(&q.job_family),
        level: text(&q.level),
        period_id: q.period.parse().ok(),
        include_archived: q.archived.is_some(),
    };
    let goals = st.app.goals();
    let (lib, periods) = match (goals.library(&actor, &filter).await, goals.periods_with_current(&actor, None).await) {
        (Ok(l), Ok(p)) => (l, p),
        (Err(e), _) | (_, Err(e)) => return page_error(ctx.lang, e),
    };
    let (periods, current) = periods;
    let notice = q.done.as_deref().and_then(|d| ctx.lang.try_t(&format!("library-done-{d}")));
    let page = Page::for_user(&actor, &ctx, ctx.lang.t("library-title"), "goals", "/goals/library");
    render(&LibraryPage { page, lib, periods, current, q, notice })
}

#[derive(Deserialize)]
pub struct UseForm {
    period_id: Uuid,
}

pub async fn use_template(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<UseForm>,
) -> Response {
    match st.app.goals().use_template(&actor, id, UseTemplateInput { period_id: Some(f.period_id) }).await {
        Ok(g) => Redirect::to(&format!("/goals/{}?done=from-template", g.summary.id)).into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    #[serde(default)]
    restore: Option<String>,
}

pub async fn archive_template(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<ArchiveForm>,
) -> Response {
    let archived = f.restore.is_none();
    match st.app.goals().set_template_archived(&actor, id, archived).await {
        Ok(_) => Redirect::to("/goals/library?done=saved&archived=on").into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn archive_item(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<ArchiveForm>,
) -> Response {
    let archived = f.restore.is_none();
    match st.app.goals().set_library_item_archived(&actor, id, archived).await {
        Ok(_) => Redirect::to("/goals/library?done=saved&archived=on").into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}

/// Adds the standard indicators the library does not hold yet (HR).
pub async fn add_standard(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    let english = ctx.lang.code().starts_with("en");
    match st.app.add_standard_library_items(&actor, english).await {
        Ok(r) => Redirect::to(&format!("/goals/library?done=standard&added={}", r.added)).into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}

// ---- the template form ----------------------------------------------------------------------

/// One key-result row of the template form: library item, title, kind, start, target, unit,
/// weight, and what the form does not show (kept as JSON, so saving does not lose it).
#[derive(Clone, Default)]
struct TemplateRow {
    library_item_id: String,
    title: String,
    kind: String,
    start: String,
    target: String,
    unit: String,
    weight: String,
    keep: String,
}

#[derive(Clone, Default)]
struct TemplateForm {
    title: String,
    description: String,
    framework: String,
    job_family: String,
    level: String,
    period_id: String,
    is_key: bool,
    weight: String,
    rows: Vec<TemplateRow>,
}

impl TemplateForm {
    fn from_view(t: &TemplateView) -> Self {
        let mut rows: Vec<TemplateRow> = t
            .key_results
            .iter()
            .map(|k| TemplateRow {
                library_item_id: k.library_item_id.map(|i| i.to_string()).unwrap_or_default(),
                title: k.title.clone(),
                kind: k.kind.clone(),
                start: fmt(k.start),
                target: fmt(k.target),
                unit: k.unit_label.clone().unwrap_or_default(),
                weight: fmt(k.weight),
                keep: serde_json::to_string(k).unwrap_or_default(),
            })
            .collect();
        rows.resize(rows.len().max(TEMPLATE_ROWS), TemplateRow::default());
        TemplateForm {
            title: t.title.clone(),
            description: t.description.clone().unwrap_or_default(),
            framework: t.framework.clone(),
            job_family: t.job_family.clone().unwrap_or_default(),
            level: t.level.clone().unwrap_or_default(),
            period_id: t.period_id.map(|p| p.to_string()).unwrap_or_default(),
            is_key: t.is_key,
            weight: fmt(t.weight),
            rows,
        }
    }

    fn blank() -> Self {
        TemplateForm {
            framework: "okr".into(),
            is_key: true,
            rows: vec![TemplateRow::default(); TEMPLATE_ROWS],
            ..Default::default()
        }
    }

    fn parse(pairs: &[(String, String)]) -> Self {
        let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()).unwrap_or_default();
        let count = pairs.iter().filter(|(n, _)| n.ends_with("_title") && n.starts_with("kr")).count();
        let rows = (0..count.clamp(TEMPLATE_ROWS, 50))
            .map(|i| {
                let col = |c: &str| get(&format!("kr{i}_{c}"));
                TemplateRow {
                    library_item_id: col("library"),
                    title: col("title"),
                    kind: col("kind"),
                    start: col("start"),
                    target: col("target"),
                    unit: col("unit"),
                    weight: col("weight"),
                    keep: col("keep"),
                }
            })
            .collect();
        TemplateForm {
            title: get("title"),
            description: get("description"),
            framework: get("framework"),
            job_family: get("job_family"),
            level: get("level"),
            period_id: get("period_id"),
            is_key: get("is_key") == "on",
            weight: get("weight"),
            rows,
        }
    }

    fn input(&self) -> TemplateInput {
        let key_results = self
            .rows
            .iter()
            .filter(|r| !r.title.trim().is_empty() || !r.library_item_id.is_empty())
            .map(|r| {
                let shown = KeyResultInput {
                    library_item_id: r.library_item_id.parse().ok(),
                    title: r.title.clone(),
                    kind: r.kind.clone(),
                    start: num(&r.start),
                    target: num(&r.target),
                    unit_label: text(&r.unit),
                    weight: num(&r.weight),
                    ..Default::default()
                };
                // A row chosen from the library takes the library's current definition for
                // what it leaves blank; a row of its own keeps what the form does not show.
                match serde_json::from_str::<KeyResultInput>(&r.keep) {
                    Ok(kept) if shown.library_item_id.is_none() => {
                        KeyResultInput { library_item_id: None, ..over_library(&kept, &shown) }
                    }
                    _ => shown,
                }
            })
            .collect();
        TemplateInput {
            title: self.title.clone(),
            description: text(&self.description),
            framework: self.framework.clone(),
            job_family: text(&self.job_family),
            level: text(&self.level),
            period_id: self.period_id.parse().ok(),
            is_key: Some(self.is_key),
            weight: num(&self.weight),
            key_results,
        }
    }
}

#[derive(Template)]
#[template(path = "goal_template_form.html")]
struct TemplateFormPage {
    page: Page,
    /// None: a new template.
    id: Option<Uuid>,
    form: TemplateForm,
    frameworks: &'static [&'static str],
    kr_kinds: &'static [&'static str],
    periods: Vec<PeriodView>,
    items: Vec<LibraryItemView>,
    errors: Vec<String>,
}

impl TemplateFormPage {
    fn same(&self, a: &str, b: &str) -> bool {
        a == b
    }
    fn is(&self, a: &str, id: &Uuid) -> bool {
        a == id.to_string()
    }
}

async fn template_form(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Option<Uuid>,
    form: TemplateForm,
    errors: Vec<String>,
) -> Response {
    let goals = st.app.goals();
    let (periods, items) = match (goals.periods(actor).await, goals.library_items(actor).await) {
        (Ok(p), Ok(i)) => (p, i),
        (Err(e), _) | (_, Err(e)) => return page_error(ctx.lang, e),
    };
    let title = ctx.lang.t(if id.is_some() { "library-template-edit" } else { "library-template-new" });
    let page = Page::for_user(actor, ctx, title, "goals", "/goals/library");
    let p = TemplateFormPage { page, id, form, frameworks: &FRAMEWORKS, kr_kinds: &KR_KINDS, periods, items, errors };
    render_form(&p, &p.errors)
}

pub async fn new_template(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    template_form(&st, &actor, &ctx, None, TemplateForm::blank(), vec![]).await
}

pub async fn edit_template(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
) -> Response {
    match st.app.goals().template(&actor, id).await {
        Ok(t) => template_form(&st, &actor, &ctx, Some(id), TemplateForm::from_view(&t), vec![]).await,
        Err(e) => page_error(ctx.lang, e),
    }
}

async fn save_template(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Option<Uuid>,
    pairs: Vec<(String, String)>,
) -> Response {
    let form = TemplateForm::parse(&pairs);
    let goals = st.app.goals();
    let r = match id {
        None => goals.create_template(actor, form.input()).await,
        Some(id) => goals.update_template(actor, id, form.input()).await,
    };
    match r {
        Ok(_) => Redirect::to("/goals/library?done=saved").into_response(),
        Err(e @ AppError::Invalid(_)) => template_form(st, actor, ctx, id, form, field_messages(ctx.lang, &e)).await,
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn create_template(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    save_template(&st, &actor, &ctx, None, pairs).await
}

pub async fn update_template(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    save_template(&st, &actor, &ctx, Some(id), pairs).await
}

// ---- the library item form ------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct ItemForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    direction: String,
    #[serde(default)]
    formula: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    threshold: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    stretch: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    job_family: String,
    #[serde(default)]
    level: String,
}

impl ItemForm {
    fn from_view(i: &LibraryItemView) -> Self {
        let k = &i.key_result;
        ItemForm {
            title: k.title.clone(),
            kind: k.kind.clone(),
            unit: k.unit_label.clone().unwrap_or_default(),
            direction: k.direction.clone().unwrap_or_default(),
            formula: k.formula.clone().unwrap_or_default(),
            start: fmt(k.start),
            threshold: fmt(k.threshold),
            target: fmt(k.target),
            stretch: fmt(k.stretch),
            description: i.description.clone().unwrap_or_default(),
            job_family: i.job_family.clone().unwrap_or_default(),
            level: i.level.clone().unwrap_or_default(),
        }
    }

    fn input(&self) -> LibraryItemInput {
        LibraryItemInput {
            key_result: KeyResultInput {
                title: self.title.clone(),
                kind: self.kind.clone(),
                unit_label: text(&self.unit),
                direction: text(&self.direction),
                formula: text(&self.formula),
                start: num(&self.start),
                threshold: num(&self.threshold),
                target: num(&self.target),
                stretch: num(&self.stretch),
                ..Default::default()
            },
            description: text(&self.description),
            job_family: text(&self.job_family),
            level: text(&self.level),
        }
    }
}

#[derive(Template)]
#[template(path = "kr_item_form.html")]
struct ItemFormPage {
    page: Page,
    id: Option<Uuid>,
    form: ItemForm,
    kr_kinds: &'static [&'static str],
    errors: Vec<String>,
}

fn item_form(actor: &Actor, ctx: &RequestContext, id: Option<Uuid>, form: ItemForm, errors: Vec<String>) -> Response {
    let title = ctx.lang.t(if id.is_some() { "library-item-edit" } else { "library-item-new" });
    let page = Page::for_user(actor, ctx, title, "goals", "/goals/library");
    let p = ItemFormPage { page, id, form, kr_kinds: &KR_KINDS, errors };
    render_form(&p, &p.errors)
}

pub async fn new_item(PageUser(actor, ctx): PageUser) -> Response {
    item_form(&actor, &ctx, None, ItemForm { kind: "kpi".into(), ..Default::default() }, vec![])
}

pub async fn edit_item(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    match st.app.goals().library_item(&actor, id).await {
        Ok(i) => item_form(&actor, &ctx, Some(id), ItemForm::from_view(&i), vec![]),
        Err(e) => page_error(ctx.lang, e),
    }
}

async fn save_item(st: &AppState, actor: &Actor, ctx: &RequestContext, id: Option<Uuid>, f: ItemForm) -> Response {
    let goals = st.app.goals();
    let r = match id {
        None => goals.create_library_item(actor, f.input()).await,
        Some(id) => goals.update_library_item(actor, id, f.input()).await,
    };
    match r {
        Ok(_) => Redirect::to("/goals/library?done=saved").into_response(),
        Err(e @ AppError::Invalid(_)) => item_form(actor, ctx, id, f, field_messages(ctx.lang, &e)),
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn create_item(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(f): Form<ItemForm>,
) -> Response {
    save_item(&st, &actor, &ctx, None, f).await
}

pub async fn update_item(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<ItemForm>,
) -> Response {
    save_item(&st, &actor, &ctx, Some(id), f).await
}

// ---- bulk assignment ------------------------------------------------------------------------

#[derive(Deserialize, Default, Clone)]
pub struct AssignForm {
    #[serde(default)]
    period_id: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    include_subunits: Option<String>,
    #[serde(default)]
    job_family: String,
    #[serde(default)]
    level: String,
    /// "preview" or "assign".
    #[serde(default)]
    go: String,
    /// The page's token for watching the assignment's progress.
    #[serde(default)]
    progress: String,
}

#[derive(Template)]
#[template(path = "goal_assign.html")]
struct AssignPage {
    page: Page,
    t: TemplateView,
    periods: Vec<PeriodView>,
    units: Vec<UnitView>,
    form: AssignForm,
    report: Option<AssignReport>,
    errors: Vec<String>,
}

impl AssignPage {
    fn is(&self, a: &str, id: &Uuid) -> bool {
        a == id.to_string()
    }
}

async fn assign_view(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    form: AssignForm,
    report: Option<AssignReport>,
    errors: Vec<String>,
) -> Response {
    let goals = st.app.goals();
    let (t, periods, units) =
        match (goals.template(actor, id).await, goals.periods(actor).await, st.app.org().units(actor).await) {
            (Ok(t), Ok(p), Ok(u)) => (t, p, u),
            (Err(e), _, _) | (_, Err(e), _) | (_, _, Err(e)) => return page_error(ctx.lang, e),
        };
    let page = Page::for_user(
        actor,
        ctx,
        ctx.lang.ta("library-assign-title", &[("title", t.title.clone())]),
        "goals",
        "/goals/library",
    );
    let p = AssignPage { page, t, periods, units, form, report, errors };
    render_form(&p, &p.errors)
}

pub async fn assign_page(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    let form = AssignForm { include_subunits: Some("on".into()), ..Default::default() };
    assign_view(&st, &actor, &ctx, id, form, None, vec![]).await
}

pub async fn assign(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<AssignForm>,
) -> Response {
    let input = AssignInput {
        period_id: f.period_id.parse().ok(),
        unit_id: f.unit_id.parse().ok(),
        include_subunits: f.include_subunits.is_some(),
        job_family: text(&f.job_family),
        level: text(&f.level),
        dry_run: f.go != "assign",
    };
    let (app, _forget) = st.progress.watch(&st.app, actor.user_id, &f.progress);
    match app.goals().assign_template(&actor, id, input).await {
        Ok(report) => assign_view(&st, &actor, &ctx, id, f, Some(report), vec![]).await,
        Err(e @ (AppError::Invalid(_) | AppError::Forbidden)) => {
            let errors = field_messages(ctx.lang, &e);
            let mut r = assign_view(&st, &actor, &ctx, id, f, None, errors).await;
            if matches!(e, AppError::Forbidden) {
                *r.status_mut() = StatusCode::FORBIDDEN;
            }
            r
        }
        Err(e) => page_error(ctx.lang, e),
    }
}
