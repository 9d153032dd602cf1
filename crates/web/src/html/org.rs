//! The org chart, unit pages and employee profiles (SPEC O-1, O-3, O-5), with HR's forms.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;
use waymark_app::org::{
    EmployeeCard, EmployeeInput, Profile, StatusChange, UNIT_KINDS, UnitDetail, UnitInput, UnitView,
};
use waymark_app::{AppError, policy::Actor};
use waymark_domain::org::EmployeeStatus;

use super::{Page, field_messages, render, render_form};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

#[derive(Template)]
#[template(path = "org.html")]
struct OrgPage {
    page: Page,
    q: String,
    results: Option<String>,
    tree: String,
    total: u64,
}

#[derive(Template)]
#[template(path = "org_children.html")]
struct Children<'a> {
    page: &'a Page,
    units: Vec<UnitView>,
    people: Vec<EmployeeCard>,
}

#[derive(Template)]
#[template(path = "search_results.html")]
struct Results<'a> {
    page: &'a Page,
    items: Vec<EmployeeCard>,
    total: u64,
}

#[derive(Deserialize)]
pub struct SearchQuery {
    q: Option<String>,
}

async fn search_html(st: &AppState, actor: &Actor, page: &Page, q: &str) -> Result<String, AppError> {
    let r = st.app.org().search(actor, Some(q.to_string()), None, true, 0, 50).await?;
    Ok(Results { page, items: r.items, total: r.total }.render().unwrap_or_default())
}

pub async fn chart(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<SearchQuery>,
) -> Response {
    let page = Page::for_user(&actor, &ctx, ctx.lang.t("org-title"), "org", "/org");
    let org = st.app.org();
    let roots = match org.child_units(&actor, None).await {
        Ok(r) => r,
        Err(e) => return page_error(ctx.lang, e),
    };
    let total = match org.headcount(&actor).await {
        Ok(n) => n,
        Err(e) => return page_error(ctx.lang, e),
    };
    let tree = Children { page: &page, units: roots, people: vec![] }.render().unwrap_or_default();
    let query = q.q.unwrap_or_default();
    let results = if query.trim().is_empty() {
        None
    } else {
        match search_html(&st, &actor, &page, &query).await {
            Ok(h) => Some(h),
            Err(e) => return page_error(ctx.lang, e),
        }
    };
    render(&OrgPage { page, q: query, results, tree, total })
}

/// htmx: search results as the user types.
pub async fn search(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<SearchQuery>,
) -> Response {
    let page = Page::for_user(&actor, &ctx, String::new(), "org", "/org");
    let query = q.q.unwrap_or_default();
    if query.trim().is_empty() {
        return axum::response::Html(String::new()).into_response();
    }
    match search_html(&st, &actor, &page, &query).await {
        Ok(h) => axum::response::Html(h).into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}

/// htmx: the sub-units and members of one unit, loaded when its node is opened.
pub async fn children(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    let page = Page::for_user(&actor, &ctx, String::new(), "org", "/org");
    match st.app.org().unit_detail(&actor, id).await {
        Ok(d) => render(&Children { page: &page, units: d.children, people: d.members }),
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Template)]
#[template(path = "unit.html")]
struct UnitPage {
    page: Page,
    d: UnitDetail,
    kinds: &'static [&'static str],
    notice: Option<String>,
    errors: Vec<String>,
}

async fn unit_view(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    match st.app.org().unit_detail(actor, id).await {
        Ok(d) => {
            let page = Page::for_user(actor, ctx, d.unit.name.clone(), "org", &format!("/units/{id}"));
            let p = UnitPage { page, d, kinds: &UNIT_KINDS, notice, errors };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn unit_page(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    unit_view(&st, &actor, &ctx, id, None, vec![]).await
}

#[derive(Deserialize)]
pub struct UnitForm {
    name: String,
    code: Option<String>,
    kind: String,
    parent_id: Option<String>,
    reason: Option<String>,
}

impl UnitForm {
    fn input(&self) -> UnitInput {
        UnitInput {
            name: self.name.clone(),
            code: self.code.clone().filter(|c| !c.trim().is_empty()),
            parent_id: self.parent_id.as_deref().and_then(|p| p.parse().ok()),
            kind: self.kind.clone(),
        }
    }
}

pub async fn create_unit(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(f): Form<UnitForm>,
) -> Response {
    let input = f.input();
    match st.app.org().create_unit(&actor, input.clone()).await {
        Ok(u) => Redirect::to(&format!("/units/{}", u.id)).into_response(),
        Err(e @ AppError::Invalid(_)) => match input.parent_id {
            Some(p) => unit_view(&st, &actor, &ctx, p, None, field_messages(ctx.lang, &e)).await,
            None => page_error(ctx.lang, e),
        },
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn update_unit(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<UnitForm>,
) -> Response {
    let reason = f.reason.clone().filter(|r| !r.trim().is_empty());
    match st.app.org().update_unit(&actor, id, f.input(), reason).await {
        Ok(_) => unit_view(&st, &actor, &ctx, id, Some(ctx.lang.t("saved")), vec![]).await,
        Err(e @ AppError::Invalid(_)) => unit_view(&st, &actor, &ctx, id, None, field_messages(ctx.lang, &e)).await,
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    page: Page,
    p: Profile,
    tab: String,
    tabs: [(&'static str, &'static str); 5],
    tab_title: &'static str,
    tab_text: &'static str,
    statuses: [EmployeeStatus; 3],
    today: String,
    notice: Option<String>,
    errors: Vec<String>,
}

#[derive(Deserialize)]
pub struct TabQuery {
    tab: Option<String>,
}

const TABS: [(&str, &str); 5] = [
    ("overview", "tab-overview"),
    ("goals", "tab-goals"),
    ("feedback", "tab-feedback"),
    ("reviews", "tab-reviews"),
    ("development", "tab-development"),
];

async fn person_view(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    tab: Option<String>,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let p = match st.app.org().profile(actor, id).await {
        Ok(p) => p,
        Err(e) => return page_error(ctx.lang, e),
    };
    let tab = tab.filter(|t| TABS.iter().any(|(k, _)| k == t)).unwrap_or_else(|| "overview".into());
    let (tab_title, tab_text) = match tab.as_str() {
        "goals" => ("tab-goals", "tab-goals-text"),
        "feedback" => ("tab-feedback", "tab-feedback-text"),
        "reviews" => ("tab-reviews", "tab-reviews-text"),
        "development" => ("tab-development", "tab-development-text"),
        _ => ("tab-overview", "tab-overview"),
    };
    let page = Page::for_user(actor, ctx, p.card.name.clone(), "org", &format!("/people/{id}"));
    let today = st.app.today().to_string();
    let page = PersonPage {
        page,
        p,
        tab,
        tabs: TABS,
        tab_title,
        tab_text,
        statuses: EmployeeStatus::ALL,
        today,
        notice,
        errors,
    };
    render_form(&page, &page.errors)
}

pub async fn person_page(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<TabQuery>,
) -> Response {
    person_view(&st, &actor, &ctx, id, q.tab, None, vec![]).await
}

#[derive(Deserialize)]
pub struct StatusForm {
    status: String,
    effective_on: String,
    reason: Option<String>,
}

pub async fn change_status(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<StatusForm>,
) -> Response {
    let change = StatusChange { status: f.status, effective_on: f.effective_on, reason: f.reason };
    match st.app.org().change_status(&actor, id, change).await {
        Ok(_) => person_view(&st, &actor, &ctx, id, None, Some(ctx.lang.t("saved")), vec![]).await,
        Err(e @ AppError::Invalid(_)) => {
            person_view(&st, &actor, &ctx, id, None, None, field_messages(ctx.lang, &e)).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

/// The employee form's values, as typed (so a refused form comes back filled in).
#[derive(Deserialize, Default, Clone)]
pub struct PersonForm {
    #[serde(default)]
    employee_no: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    manager_no: String,
    #[serde(default)]
    job_family: String,
    #[serde(default)]
    career_track: String,
    #[serde(default)]
    level: String,
    #[serde(default)]
    location: String,
    #[serde(default)]
    hire_date: String,
    #[serde(default)]
    probation_end: String,
    #[serde(default)]
    reason: String,
}

fn opt(s: &str) -> Option<String> {
    Some(s.trim().to_string()).filter(|s| !s.is_empty())
}

impl PersonForm {
    fn input(&self) -> Result<EmployeeInput, AppError> {
        let unit_id = self.unit_id.parse().map_err(|_| AppError::field("unit_id", "unknown_unit", "no such unit"))?;
        Ok(EmployeeInput {
            employee_no: self.employee_no.clone(),
            name: self.name.clone(),
            email: opt(&self.email),
            unit_id,
            manager_no: opt(&self.manager_no),
            job_family: opt(&self.job_family),
            career_track: opt(&self.career_track),
            level: opt(&self.level),
            location: opt(&self.location),
            hire_date: self.hire_date.clone(),
            probation_end: opt(&self.probation_end),
        })
    }
}

struct FormValues {
    employee_no: String,
    name: String,
    email: String,
    unit_id: Uuid,
    manager_no: String,
    job_family: String,
    career_track: String,
    level: String,
    location: String,
    hire_date: String,
    probation_end: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "person_form.html")]
struct PersonFormPage {
    page: Page,
    id: Option<Uuid>,
    f: FormValues,
    units: Vec<(Uuid, String)>,
    errors: Vec<String>,
}

async fn form_view(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Option<Uuid>,
    f: PersonForm,
    errors: Vec<String>,
) -> Response {
    let units = match st.app.org().assignable_units(actor).await {
        Ok(u) => u,
        Err(e) => return page_error(ctx.lang, e),
    };
    let title = ctx.lang.t(if id.is_some() { "person-edit" } else { "person-add" });
    let page = Page::for_user(actor, ctx, title, "org", "/people/new");
    let values = FormValues {
        unit_id: f.unit_id.parse().unwrap_or_default(),
        employee_no: f.employee_no,
        name: f.name,
        email: f.email,
        manager_no: f.manager_no,
        job_family: f.job_family,
        career_track: f.career_track,
        level: f.level,
        location: f.location,
        hire_date: f.hire_date,
        probation_end: f.probation_end,
        reason: f.reason,
    };
    let p = PersonFormPage { page, id, f: values, units, errors };
    render_form(&p, &p.errors)
}

#[derive(Deserialize)]
pub struct NewQuery {
    unit_id: Option<String>,
}

pub async fn new_person(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<NewQuery>,
) -> Response {
    form_view(
        &st,
        &actor,
        &ctx,
        None,
        PersonForm { unit_id: q.unit_id.unwrap_or_default(), ..PersonForm::default() },
        vec![],
    )
    .await
}

pub async fn create_person(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(f): Form<PersonForm>,
) -> Response {
    let result = match f.input() {
        Ok(input) => st.app.org().create_employee(&actor, input).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(c) => Redirect::to(&format!("/people/{}", c.id)).into_response(),
        Err(e @ AppError::Invalid(_)) => form_view(&st, &actor, &ctx, None, f, field_messages(ctx.lang, &e)).await,
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn edit_person(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    let p = match st.app.org().profile(&actor, id).await {
        Ok(p) if p.can_edit => p,
        Ok(_) => return page_error(ctx.lang, AppError::Forbidden),
        Err(e) => return page_error(ctx.lang, e),
    };
    let Some(r) = p.record else { return page_error(ctx.lang, AppError::Forbidden) };
    let manager_no = p.chain.first().map(|m| m.employee_no.clone()).unwrap_or_default();
    let f = PersonForm {
        employee_no: p.card.employee_no,
        name: p.card.name,
        email: r.email.unwrap_or_default(),
        unit_id: p.card.unit_id.to_string(),
        manager_no,
        job_family: p.card.job_family.unwrap_or_default(),
        career_track: r.career_track.map(|t| t.as_str().to_string()).unwrap_or_default(),
        level: p.card.level.unwrap_or_default(),
        location: p.card.location.unwrap_or_default(),
        hire_date: r.hire_date.to_string(),
        probation_end: r.probation_end.map(|d| d.to_string()).unwrap_or_default(),
        reason: String::new(),
    };
    form_view(&st, &actor, &ctx, Some(id), f, vec![]).await
}

pub async fn update_person(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<PersonForm>,
) -> Response {
    let result = match f.input() {
        Ok(input) => st.app.org().update_employee(&actor, id, input, opt(&f.reason)).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => person_view(&st, &actor, &ctx, id, None, Some(ctx.lang.t("saved")), vec![]).await,
        Err(e @ AppError::Invalid(_)) => form_view(&st, &actor, &ctx, Some(id), f, field_messages(ctx.lang, &e)).await,
        Err(e) => page_error(ctx.lang, e),
    }
}
