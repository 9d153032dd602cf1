//! The weekly report pages (T-2): one's own report of a week, prefilled from the week's
//! check-ins; the manager's team digest with acknowledgement; the follow-up rate (T-6) for the
//! manager and for HR.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::policy::Actor;
use waymark_app::tracking::{
    AcknowledgeInput, FollowUpOverview, FollowUpView, TeamDigest, WeeklyReportInput, WeeklyReportView,
};
use waymark_domain::calendar::{month_nav, parse_month, week_nav};

use super::{Page, field_messages, form_text, render, render_form};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

#[derive(Deserialize, Default)]
pub struct WeekQuery {
    /// Any day of the week (YYYY-MM-DD); this week when absent or unreadable.
    #[serde(default)]
    week: Option<String>,
    #[serde(default)]
    manager: Option<Uuid>,
    #[serde(default)]
    month: Option<String>,
    #[serde(default)]
    page: Option<i32>,
    #[serde(default)]
    done: Option<String>,
}

fn day_of(s: &Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

#[derive(Template)]
#[template(path = "weekly.html")]
struct WeeklyPage {
    page: Page,
    r: WeeklyReportView,
    recent: Vec<WeeklyReportView>,
    prev: NaiveDate,
    next: Option<NaiveDate>,
    notice: Option<String>,
    errors: Vec<String>,
}

async fn weekly_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    r: WeeklyReportView,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let recent = part!(ctx.lang, st.app.tracking().my_recent_weeks(actor).await).unwrap_or_default();
    let (prev, next) = week_nav(r.week_start, st.app.today());
    let page = Page::for_user(actor, ctx, ctx.lang.t("weekly-title"), "tracking", "/tracking/weekly");
    let p = WeeklyPage { page, r, recent, prev, next, notice, errors };
    render_form(&p, &p.errors)
}

pub async fn my_week(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<WeekQuery>,
) -> Response {
    match st.app.tracking().my_week(&actor, day_of(&q.week)).await {
        Ok(r) => {
            let notice =
                q.done.as_deref().map(|d| ctx.lang.t(if d == "submitted" { "weekly-submitted" } else { "saved" }));
            weekly_page(&st, &actor, &ctx, r, notice, vec![]).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Deserialize)]
pub struct WeekForm {
    #[serde(default)]
    done: String,
    #[serde(default)]
    blockers: String,
    #[serde(default)]
    next_week: String,
    /// Which button: save or submit.
    #[serde(default)]
    action: String,
}

pub async fn save_week(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(week): Path<NaiveDate>,
    Form(f): Form<WeekForm>,
) -> Response {
    let submit = f.action == "submit";
    let input = WeeklyReportInput {
        done: Some(f.done.clone()),
        blockers: Some(f.blockers.clone()),
        next_week: Some(f.next_week.clone()),
        submit,
    };
    let t = st.app.tracking();
    match t.save_week(&actor, week, input).await {
        Ok(r) => {
            let done = if submit { "submitted" } else { "saved" };
            Redirect::to(&format!("/tracking/weekly?week={}&done={done}", r.week_start)).into_response()
        }
        Err(e @ AppError::Invalid(_)) => match t.my_week(&actor, Some(week)).await {
            // Show what was typed, so it can be corrected.
            Ok(r) => {
                let shown = WeeklyReportView { done: f.done, blockers: f.blockers, next_week: f.next_week, ..r };
                weekly_page(&st, &actor, &ctx, shown, None, field_messages(ctx.lang, &e)).await
            }
            Err(e) => page_error(ctx.lang, e),
        },
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Template)]
#[template(path = "weekly_team.html")]
struct TeamPage {
    page: Page,
    d: TeamDigest,
    /// The actor's own team (no manager's name in the title).
    own: bool,
    follow_up: Option<FollowUpView>,
    prev: NaiveDate,
    next: Option<NaiveDate>,
    manager_query: String,
    notice: Option<String>,
    errors: Vec<String>,
}

async fn team_page(st: &AppState, actor: &Actor, ctx: &RequestContext, q: &WeekQuery, errors: Vec<String>) -> Response {
    let t = st.app.tracking();
    let d = match t.team_digest(actor, day_of(&q.week), q.manager).await {
        Ok(d) => d,
        Err(e) => return page_error(ctx.lang, e),
    };
    let follow_up = part!(ctx.lang, t.follow_up(actor, Some(d.manager_id), Some(d.week_start)).await);
    let (prev, next) = week_nav(d.week_start, st.app.today());
    let manager_query = q.manager.map(|m| format!("&manager={m}")).unwrap_or_default();
    let notice = q.done.as_ref().map(|_| ctx.lang.t("weekly-acknowledged"));
    let page = Page::for_user(actor, ctx, ctx.lang.t("digest-title"), "tracking", "/tracking/weekly/team");
    let own = actor.employee_id == Some(d.manager_id);
    let p = TeamPage { page, d, own, follow_up, prev, next, manager_query, notice, errors };
    render_form(&p, &p.errors)
}

pub async fn team(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Query(q): Query<WeekQuery>) -> Response {
    team_page(&st, &actor, &ctx, &q, vec![]).await
}

#[derive(Deserialize)]
pub struct AckForm {
    #[serde(default)]
    comment: String,
    #[serde(default)]
    week: Option<String>,
    #[serde(default)]
    manager: Option<Uuid>,
}

pub async fn acknowledge(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<AckForm>,
) -> Response {
    let input = AcknowledgeInput { comment: form_text(&f.comment) };
    let q = WeekQuery { week: f.week.clone(), manager: f.manager, ..Default::default() };
    match st.app.tracking().acknowledge(&actor, id, input).await {
        Ok(r) => {
            let m = f.manager.map(|m| format!("&manager={m}")).unwrap_or_default();
            Redirect::to(&format!(
                "/tracking/weekly/team?week={}{m}&done=acknowledged#p-{}",
                r.week_start, r.employee_id
            ))
            .into_response()
        }
        Err(e @ AppError::Invalid(_)) => team_page(&st, &actor, &ctx, &q, field_messages(ctx.lang, &e)).await,
        Err(e) => page_error(ctx.lang, e),
    }
}

/// A manager marks a check-in seen from the goal's timeline.
pub async fn review_check_in(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path((goal, id)): Path<(Uuid, Uuid)>,
) -> Response {
    match st.app.tracking().review_check_in(&actor, id).await {
        Ok(()) => Redirect::to(&format!("/goals/{goal}?done=reviewed#tracking")).into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Template)]
#[template(path = "follow_up.html")]
struct FollowUpPage {
    page: Page,
    f: FollowUpOverview,
    prev_month: String,
    next_month: Option<String>,
}

/// The follow-up rate (T-6): a manager's own per report; HR's list of managers, lowest first.
pub async fn follow_up(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<WeekQuery>,
) -> Response {
    let month = q.month.as_deref().and_then(parse_month);
    match st.app.tracking().follow_up_overview(&actor, q.manager, month, q.page).await {
        Ok(f) => {
            let (prev, next) = month_nav(f.from, st.app.today());
            let prev_month = prev.format("%Y-%m").to_string();
            let next_month = next.map(|n| n.format("%Y-%m").to_string());
            let page = Page::for_user(&actor, &ctx, ctx.lang.t("follow-up-title"), "tracking", "/tracking/follow-up");
            render(&FollowUpPage { page, f, prev_month, next_month })
        }
        Err(e) => page_error(ctx.lang, e),
    }
}
