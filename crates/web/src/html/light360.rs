//! Light 360 pages (F-6): what waits for one's answer and one's own surveys, setting one up
//! (the people invited picked with the feedback search), a survey with its anonymous answer
//! form or its results.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::feedback::Person;
use waymark_app::light360::{AnswerInput, AnswerItem, Light360Input, Light360Lists, Light360View};
use waymark_app::policy::Actor;
use waymark_domain::light360::default_questions;

use super::{DoneQuery, Page, Pairs, field_messages, pair, pair_ids, render, render_form};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

#[derive(Template)]
#[template(path = "light360.html")]
struct OverviewPage {
    page: Page,
    lists: Light360Lists,
    notice: Option<String>,
}

pub async fn overview(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<DoneQuery>,
) -> Response {
    match st.app.light360().lists(&actor).await {
        Ok(lists) => {
            let notice = q.done.map(|d| ctx.lang.t(&format!("light360-done-{d}")));
            let page = Page::for_user(&actor, &ctx, ctx.lang.t("light360-title"), "feedback", "/light360");
            render(&OverviewPage { page, lists, notice })
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Template)]
#[template(path = "light360_new.html")]
struct NewPage {
    page: Page,
    reports: Vec<Person>,
    form: NewForm,
    today: String,
    errors: Vec<String>,
}

#[derive(Default)]
struct NewForm {
    subject: String,
    project: String,
    ended_on: String,
    closes_on: String,
    questions: String,
}

async fn new_page(st: &AppState, actor: &Actor, ctx: &RequestContext, form: NewForm, errors: Vec<String>) -> Response {
    let reports = match st.app.feedback().request_subjects(actor).await {
        Ok(r) => r,
        Err(e) => return page_error(ctx.lang, e),
    };
    let page = Page::for_user(actor, ctx, ctx.lang.t("light360-new"), "feedback", "/light360/new");
    let today = st.app.today().to_string();
    let p = NewPage { page, reports, form, today, errors };
    render_form(&p, &p.errors)
}

pub async fn new_form(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    let today = st.app.today();
    let form = NewForm {
        ended_on: today.to_string(),
        closes_on: (today + chrono::Duration::days(waymark_app::light360::DEFAULT_OPEN_DAYS)).to_string(),
        questions: default_questions(ctx.lang.code()).join("\n"),
        ..NewForm::default()
    };
    new_page(&st, &actor, &ctx, form, vec![]).await
}

pub async fn create(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Form(pairs): Form<Pairs>) -> Response {
    let form = NewForm {
        subject: pair(&pairs, "subject").into(),
        project: pair(&pairs, "project").into(),
        ended_on: pair(&pairs, "ended_on").into(),
        closes_on: pair(&pairs, "closes_on").into(),
        questions: pair(&pairs, "questions").into(),
    };
    let (Ok(ended_on), Ok(closes_on)) = (form.ended_on.parse(), form.closes_on.parse()) else {
        let msg = format!("{}: {}", ctx.lang.t("light360-ended-on"), ctx.lang.t("error-invalid-date"));
        return new_page(&st, &actor, &ctx, form, vec![msg]).await;
    };
    let input = Light360Input {
        subject_id: form.subject.parse().ok(),
        project: form.project.clone(),
        ended_on,
        closes_on: Some(closes_on),
        questions: form.questions.lines().map(str::to_string).collect(),
        invitee_ids: pair_ids(&pairs, "from"),
    };
    match st.app.light360().create(&actor, input).await {
        Ok(v) => Redirect::to(&format!("/light360/{}?done=created", v.id)).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            new_page(&st, &actor, &ctx, form, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Template)]
#[template(path = "light360_item.html")]
struct ItemPage {
    page: Page,
    s: Light360View,
    notice: Option<String>,
    errors: Vec<String>,
}

async fn item_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    match st.app.light360().get(actor, id).await {
        Ok(s) => {
            let title = format!("{} · {}", ctx.lang.t("light360-title"), s.project);
            let page = Page::for_user(actor, ctx, title, "feedback", &format!("/light360/{id}"));
            let p = ItemPage { page, s, notice, errors };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn item(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("light360-done-{d}")));
    item_page(&st, &actor, &ctx, id, notice, vec![]).await
}

/// The answer form: `rating_<n>` and `comment_<n>` per question.
pub async fn answer(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let count = pairs.iter().filter(|(k, _)| k.starts_with("comment_")).count();
    let answers = (0..count)
        .map(|i| AnswerItem {
            rating: pair(&pairs, &format!("rating_{i}")).parse().unwrap_or(0),
            comment: pair(&pairs, &format!("comment_{i}")).to_string(),
        })
        .collect();
    match st.app.light360().answer(&actor, id, AnswerInput { answers }).await {
        Ok(()) => Redirect::to("/light360?done=answered").into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            item_page(&st, &actor, &ctx, id, None, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn close(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    match st.app.light360().close(&actor, id).await {
        Ok(_) => Redirect::to(&format!("/light360/{id}?done=closed")).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            item_page(&st, &actor, &ctx, id, None, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}
