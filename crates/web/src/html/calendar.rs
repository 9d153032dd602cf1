//! HR's calendar page (T-6): the time zone, the reminder schedule, holidays and make-up working
//! days, the reminders of the coming two weeks and the ones sent.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use waymark_app::AppError;
use waymark_app::calendar::{CalendarDayInput, CalendarSettings, CalendarView};
use waymark_app::policy::Actor;

use super::{DoneQuery, Page, field_messages, form_text, render_form};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    page: Page,
    v: CalendarView,
    notice: Option<String>,
    errors: Vec<String>,
}

impl CalendarPage {
    fn weekday(&self, n: impl std::borrow::Borrow<u32>) -> String {
        self.page.t(&format!("weekday-{}", n.borrow()))
    }
}

async fn calendar_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    shown: Option<CalendarSettings>,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let mut v = match st.app.calendar().view_to_edit(actor).await {
        Ok(v) => v,
        Err(e) => return page_error(ctx.lang, e),
    };
    if let Some(s) = shown {
        v.settings = s;
    }
    let page = Page::for_user(actor, ctx, ctx.lang.t("calendar-title"), "admin", "/admin/calendar");
    let p = CalendarPage { page, v, notice, errors };
    render_form(&p, &p.errors)
}

pub async fn page(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    axum::extract::Query(q): axum::extract::Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|_| ctx.lang.t("saved"));
    calendar_page(&st, &actor, &ctx, None, notice, vec![]).await
}

/// Checkboxes arrive only when ticked.
#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    utc_offset: String,
    #[serde(default)]
    weekly_report: Option<String>,
    #[serde(default)]
    weekly_weekday: String,
    #[serde(default)]
    weekly_hour: String,
    #[serde(default)]
    monthly_check_in: Option<String>,
    #[serde(default)]
    stale_goals: Option<String>,
    #[serde(default)]
    pending_approvals: Option<String>,
    #[serde(default)]
    goal_setting: Option<String>,
    review_writing: Option<String>,
    #[serde(default)]
    reminder_hour: String,
}

pub async fn save(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Form(f): Form<SettingsForm>) -> Response {
    // A number that does not read goes on as out of range, so the service names the field.
    let n = |s: &str| s.trim().parse::<u32>().unwrap_or(u32::MAX);
    let input = CalendarSettings {
        utc_offset: f.utc_offset.trim().to_string(),
        weekly_report: f.weekly_report.is_some(),
        weekly_weekday: n(&f.weekly_weekday),
        weekly_hour: n(&f.weekly_hour),
        monthly_check_in: f.monthly_check_in.is_some(),
        stale_goals: f.stale_goals.is_some(),
        pending_approvals: f.pending_approvals.is_some(),
        goal_setting: f.goal_setting.is_some(),
        review_writing: f.review_writing.is_some(),
        reminder_hour: n(&f.reminder_hour),
    };
    match st.app.calendar().save(&actor, input.clone()).await {
        Ok(_) => Redirect::to("/admin/calendar?done=saved").into_response(),
        Err(e @ AppError::Invalid(_)) => {
            calendar_page(&st, &actor, &ctx, Some(input), None, field_messages(ctx.lang, &e)).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Deserialize)]
pub struct DayForm {
    #[serde(default)]
    day: String,
    #[serde(default)]
    working: String,
    #[serde(default)]
    name: String,
}

pub async fn put_day(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Form(f): Form<DayForm>) -> Response {
    let Ok(day) = NaiveDate::parse_from_str(f.day.trim(), "%Y-%m-%d") else {
        let e = AppError::field("day", "invalid_date", "use YYYY-MM-DD");
        return calendar_page(&st, &actor, &ctx, None, None, field_messages(ctx.lang, &e)).await;
    };
    let input = CalendarDayInput { working: f.working == "working", name: form_text(&f.name) };
    match st.app.calendar().put_day(&actor, day, input).await {
        Ok(_) => Redirect::to("/admin/calendar?done=day#days").into_response(),
        Err(e @ AppError::Invalid(_)) => {
            calendar_page(&st, &actor, &ctx, None, None, field_messages(ctx.lang, &e)).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn delete_day(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(day): Path<NaiveDate>,
) -> Response {
    match st.app.calendar().delete_day(&actor, day).await {
        Ok(()) => Redirect::to("/admin/calendar?done=day#days").into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}
