//! Feedback pages (F-2 … F-4, F-8): the overview (requests waiting, received, given, public
//! praise, one's requests, a manager's balance, coaching prompts), the writing form with its
//! templates and the coach's live hints, an item, and the request form. Forms with repeated
//! fields (a template's parts, the people asked) are read as pairs.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde::Deserialize;
use uuid::Uuid;
use waymark_app::coaching::PromptView;
use waymark_app::feedback::{
    BalanceView, CoachView, FeedbackInput, FeedbackView, Person, RequestInput, RequestView, Which,
};
use waymark_app::policy::Actor;
use waymark_domain::feedback::Template as Guide;

use super::{DoneQuery, Page, Pairs, field_messages, pair, pairs_of, render, render_form};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

// ---- overview ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "feedback.html")]
struct OverviewPage {
    page: Page,
    waiting: Vec<RequestView>,
    sent: Vec<RequestView>,
    received: Vec<FeedbackView>,
    given: Vec<FeedbackView>,
    public: Vec<FeedbackView>,
    balance: Option<BalanceView>,
    prompts: Vec<PromptView>,
    /// Feedback asked for by events elsewhere (F-7).
    todos: Vec<waymark_app::webhooks::TodoView>,
    notice: Option<String>,
}

pub async fn overview(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<DoneQuery>,
) -> Response {
    let f = st.app.feedback();
    let lists = async {
        let (waiting, sent) = f.requests(&actor).await?;
        let received = f.list(&actor, Which::Received).await?;
        let given = f.list(&actor, Which::Given).await?;
        let public = f.list(&actor, Which::Public).await?;
        Ok::<_, waymark_app::AppError>((waiting, sent, received, given, public))
    };
    let (waiting, sent, received, given, public) = match lists.await {
        Ok(l) => l,
        Err(e) => return page_error(ctx.lang, e),
    };
    let balance = if actor.is_manager { part!(ctx.lang, f.balance(&actor, None).await) } else { None };
    let day = st.app.today().num_days_from_ce() as u64;
    let prompts = part!(ctx.lang, st.app.coaching().suggest(&actor, ctx.lang, day, 3).await).unwrap_or_default();
    let todos = match st.app.webhooks().todos(&actor).await {
        Ok(t) => t,
        Err(e) => return page_error(ctx.lang, e),
    };
    let notice = q.done.map(|d| ctx.lang.t(&format!("feedback-done-{d}")));
    let page = Page::for_user(&actor, &ctx, ctx.lang.t("feedback-title"), "feedback", "/feedback");
    render(&OverviewPage { page, waiting, sent, received, given, public, balance, prompts, todos, notice })
}

// ---- writing -------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "feedback_new.html")]
struct NewPage {
    page: Page,
    form: GiveForm,
    /// The part codes of the chosen template, with what was written in each.
    parts: Vec<(&'static str, String)>,
    recipient_name: Option<String>,
    request: Option<RequestView>,
    coach: CoachView,
    errors: Vec<String>,
    /// An AI endpoint is connected: the coach's panel offers its rewrite.
    ai_on: bool,
    /// What became of the writer's request for the AI's rewrite.
    ai: Option<AiNote>,
}

impl NewPage {
    /// What the writer had written before the AI's rewrite was filled in.
    fn ai_before(&self) -> Option<&[(&'static str, String)]> {
        match &self.ai {
            Some(AiNote::Drafted { before }) => Some(before),
            _ => None,
        }
    }
    /// Why the AI gave no rewrite.
    fn ai_fallback(&self) -> Option<&'static str> {
        match &self.ai {
            Some(AiNote::Fallback(code)) => Some(code),
            _ => None,
        }
    }
}

/// The AI's rewrite as the form shows it: filled in, with what the writer had before; or why
/// there is none.
enum AiNote {
    Drafted { before: Vec<(&'static str, String)> },
    Fallback(&'static str),
}

#[derive(Default, Clone)]
struct GiveForm {
    to: String,
    kind: String,
    visibility: String,
    template: String,
    goal_id: String,
    request: String,
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    to: Option<Uuid>,
    #[serde(default)]
    request: Option<Uuid>,
    #[serde(default)]
    template: Option<String>,
    #[serde(default)]
    kind: Option<String>,
}

pub async fn new_form(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<NewQuery>,
) -> Response {
    let kind = q.kind.unwrap_or_else(|| "recognition".into());
    let template = q.template.filter(|t| Guide::parse(t).is_some()).unwrap_or_else(|| "sbi".into());
    let form = GiveForm {
        to: q.to.map(|t| t.to_string()).unwrap_or_default(),
        visibility: "recipient".into(),
        kind,
        template,
        goal_id: String::new(),
        request: q.request.map(|r| r.to_string()).unwrap_or_default(),
    };
    new_page(&st, &actor, &ctx, form, vec![], vec![]).await
}

async fn new_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    form: GiveForm,
    texts: Vec<String>,
    errors: Vec<String>,
) -> Response {
    new_page_with(st, actor, ctx, form, texts, errors, None).await
}

async fn new_page_with(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    mut form: GiveForm,
    texts: Vec<String>,
    errors: Vec<String>,
    ai: Option<AiNote>,
) -> Response {
    let f = st.app.feedback();
    let request = match form.request.parse::<Uuid>() {
        Ok(r) => match f.request_view(actor, r).await {
            Ok(v) => Some(v),
            Err(e) => return page_error(ctx.lang, e),
        },
        Err(_) => None,
    };
    if let Some(r) = &request {
        form.to = r.about.id.to_string();
    }
    let recipient_name = match form.to.parse::<Uuid>() {
        Ok(id) => part!(ctx.lang, st.app.org().employee(actor, id).await).map(|e| e.name),
        Err(_) => None,
    };
    let guide = Guide::parse(&form.template).unwrap_or(Guide::Sbi);
    let parts: Vec<(&'static str, String)> =
        guide.parts().iter().enumerate().map(|(i, p)| (*p, texts.get(i).cloned().unwrap_or_default())).collect();
    let draft: Vec<(&str, &str)> = parts.iter().map(|(c, t)| (*c, t.as_str())).collect();
    let coach = f.coach_parts(actor, &draft).unwrap_or_else(|_| empty_coach());
    let page = Page::for_user(actor, ctx, ctx.lang.t("feedback-new-title"), "feedback", "/feedback/new");
    let ai_on = st.app.ai_status().on;
    let p = NewPage { page, form, parts, recipient_name, request, coach, errors, ai_on, ai };
    render_form(&p, &p.errors)
}

fn empty_coach() -> CoachView {
    CoachView {
        lang: String::new(),
        state: "empty".into(),
        hints: vec![],
        situation: false,
        behaviour: false,
        impact: false,
        rewrite: vec![],
    }
}

fn give_form(pairs: &Pairs) -> GiveForm {
    GiveForm {
        to: pair(pairs, "to").to_string(),
        kind: pair(pairs, "kind").to_string(),
        visibility: pair(pairs, "visibility").to_string(),
        template: pair(pairs, "template").to_string(),
        goal_id: pair(pairs, "goal_id").to_string(),
        request: pair(pairs, "request").to_string(),
    }
}

pub async fn give(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Form(pairs): Form<Pairs>) -> Response {
    let form = give_form(&pairs);
    let texts = pairs_of(&pairs, "part");
    let Ok(recipient_id) = form.to.parse::<Uuid>() else {
        let msg = ctx.lang.t("feedback-choose-recipient");
        return new_page(&st, &actor, &ctx, form, texts, vec![msg]).await;
    };
    let input = FeedbackInput {
        recipient_id,
        kind: form.kind.clone(),
        visibility: form.visibility.clone(),
        template: form.template.clone(),
        parts: texts.clone(),
        goal_id: form.goal_id.parse().ok(),
        request_id: form.request.parse().ok(),
    };
    match st.app.feedback().give(&actor, input).await {
        Ok(v) => Redirect::to(&format!("/feedback/{}?done=given", v.id)).into_response(),
        Err(e @ waymark_app::AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            new_page(&st, &actor, &ctx, form, texts, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

/// The AI's rewrite of the draft the coach flagged, filled into the form for the writer to
/// edit and send (or not); the writer's own words stay on the page beside it.
pub async fn ai_rewrite(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(pairs): Form<Pairs>,
) -> Response {
    let form = give_form(&pairs);
    let texts = pairs_of(&pairs, "part");
    let Ok(recipient) = form.to.parse::<Uuid>() else {
        let msg = ctx.lang.t("feedback-choose-recipient");
        return new_page(&st, &actor, &ctx, form, texts, vec![msg]).await;
    };
    let template = Guide::parse(&form.template).unwrap_or(Guide::Sbi);
    match st.app.feedback().ai_rewrite(&actor, ctx.lang, recipient, template.code(), &texts).await {
        Ok(o) => {
            let (shown, note) = match (o.parts, o.fallback) {
                (Some(parts), _) => {
                    let before = template.parts().iter().copied().zip(texts).collect();
                    (parts, AiNote::Drafted { before })
                }
                (None, f) => (texts, AiNote::Fallback(f.map_or("bad_reply", |f| f.code()))),
            };
            new_page_with(&st, &actor, &ctx, form, shown, vec![], Some(note)).await
        }
        Err(e @ waymark_app::AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            new_page(&st, &actor, &ctx, form, texts, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

/// htmx: the coach's hints for what is in the form now.
#[derive(Template)]
#[template(path = "feedback_coach.html")]
struct CoachPartial {
    page: Page,
    coach: CoachView,
    ai_on: bool,
}

pub async fn coach(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Form(pairs): Form<Pairs>) -> Response {
    let texts = pairs_of(&pairs, "part");
    let template = match pair(&pairs, "template") {
        "" => "sbi",
        t => t,
    };
    let page = Page::for_user(&actor, &ctx, String::new(), "feedback", "/feedback/new");
    match st.app.feedback().coach_template(&actor, template, &texts) {
        Ok(coach) => render(&CoachPartial { page, coach, ai_on: st.app.ai_status().on }),
        Err(e) => Html(field_messages(ctx.lang, &e).join(" ")).into_response(),
    }
}

/// htmx: people matching a search, as choices for the form (`multi` for the request form).
#[derive(Template)]
#[template(path = "feedback_pick.html")]
struct PickPartial {
    people: Vec<waymark_app::org::EmployeeCard>,
    multi: bool,
    /// The searcher, who is not offered (empty for an account without a person).
    me: String,
}

#[derive(Deserialize)]
pub struct PickQuery {
    #[serde(default)]
    q: String,
    #[serde(default)]
    multi: Option<String>,
}

pub async fn pick(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Query(q): Query<PickQuery>) -> Response {
    if q.q.trim().is_empty() {
        return Html(String::new()).into_response();
    }
    match st.app.org().search(&actor, Some(q.q), None, false, 0, 10).await {
        Ok(r) => render(&PickPartial {
            people: r.items,
            multi: q.multi.is_some(),
            me: actor.employee_id.map(|m| m.to_string()).unwrap_or_default(),
        }),
        Err(e) => page_error(ctx.lang, e),
    }
}

// ---- an item ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "feedback_item.html")]
struct ItemPage {
    page: Page,
    f: FeedbackView,
    notice: Option<String>,
}

pub async fn item(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> Response {
    match st.app.feedback().get(&actor, id).await {
        Ok(f) => {
            let notice = q.done.map(|d| ctx.lang.t(&format!("feedback-done-{d}")));
            let page = Page::for_user(&actor, &ctx, ctx.lang.t("feedback-item-title"), "feedback", "/feedback");
            render(&ItemPage { page, f, notice })
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

// ---- requests ------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "feedback_request.html")]
struct RequestPage {
    page: Page,
    reports: Vec<Person>,
    about: String,
    message: String,
    errors: Vec<String>,
}

async fn request_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    about: String,
    message: String,
    errors: Vec<String>,
) -> Response {
    let reports = match st.app.feedback().request_subjects(actor).await {
        Ok(r) => r,
        Err(e) => return page_error(ctx.lang, e),
    };
    let page = Page::for_user(actor, ctx, ctx.lang.t("feedback-request-title"), "feedback", "/feedback/request");
    let p = RequestPage { page, reports, about, message, errors };
    render_form(&p, &p.errors)
}

pub async fn request_form(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    request_page(&st, &actor, &ctx, String::new(), String::new(), vec![]).await
}

pub async fn request(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Form(pairs): Form<Pairs>) -> Response {
    let about = pair(&pairs, "about").to_string();
    let message = pair(&pairs, "message").to_string();
    let input = RequestInput {
        about: about.parse().ok(),
        from: pairs_of(&pairs, "from").iter().filter_map(|v| v.parse().ok()).collect(),
        message: message.clone(),
    };
    match st.app.feedback().request(&actor, input).await {
        Ok(_) => Redirect::to("/feedback?done=requested").into_response(),
        Err(e @ waymark_app::AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            request_page(&st, &actor, &ctx, about, message, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn decline(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    match st.app.feedback().decline(&actor, id).await {
        Ok(_) => Redirect::to("/feedback?done=declined").into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}
