//! HR's goal periods page (G-3, T-6): the periods with their dates and goal-setting deadlines,
//! a form for a new period and, per period, its name and deadline.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::goals::{PeriodInput, PeriodUpdate, PeriodView};
use waymark_app::policy::Actor;

use super::{DoneQuery, Page, field_messages, form_text, render_form};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

#[derive(Template)]
#[template(path = "periods.html")]
struct PeriodsPage {
    page: Page,
    periods: Vec<PeriodView>,
    /// The new-period form as entered, when it was refused.
    new: NewPeriodForm,
    notice: Option<String>,
    errors: Vec<String>,
}

async fn periods_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    new: NewPeriodForm,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let periods = match st.app.goals().periods_to_edit(actor).await {
        Ok(p) => p,
        Err(e) => return page_error(ctx.lang, e),
    };
    let page = Page::for_user(actor, ctx, ctx.lang.t("periods-title"), "admin", "/admin/periods");
    let p = PeriodsPage { page, periods, new, notice, errors };
    render_form(&p, &p.errors)
}

pub async fn page(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|_| ctx.lang.t("saved"));
    periods_page(&st, &actor, &ctx, NewPeriodForm::default(), notice, vec![]).await
}

#[derive(Deserialize, Default, Clone)]
pub struct NewPeriodForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    starts_on: String,
    #[serde(default)]
    ends_on: String,
    #[serde(default)]
    setting_due_on: String,
}

pub async fn create(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(f): Form<NewPeriodForm>,
) -> Response {
    let input = PeriodInput {
        name: f.name.clone(),
        kind: f.kind.clone(),
        starts_on: f.starts_on.trim().to_string(),
        ends_on: f.ends_on.trim().to_string(),
        setting_due_on: form_text(&f.setting_due_on),
    };
    match st.app.goals().create_period(&actor, input).await {
        Ok(_) => Redirect::to("/admin/periods?done=created").into_response(),
        Err(e @ AppError::Invalid(_)) => periods_page(&st, &actor, &ctx, f, None, field_messages(ctx.lang, &e)).await,
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Deserialize)]
pub struct UpdateForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    setting_due_on: String,
}

pub async fn update(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<UpdateForm>,
) -> Response {
    let input = PeriodUpdate { name: f.name, setting_due_on: form_text(&f.setting_due_on) };
    match st.app.goals().update_period(&actor, id, input).await {
        Ok(_) => Redirect::to("/admin/periods?done=saved").into_response(),
        Err(e @ AppError::Invalid(_)) => {
            periods_page(&st, &actor, &ctx, NewPeriodForm::default(), None, field_messages(ctx.lang, &e)).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}
