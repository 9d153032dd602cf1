//! Tracking on the pages (SPEC §3): the goal page's check-in form with files, acting on alerts
//! and review tasks, the progress chart's data, and HR's thresholds page with the sweep.

use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::policy::Actor;
use waymark_app::tracking::{
    BoardQuery, CheckInInput, DismissInput, ExecutiveBoard, ExecutiveQuery, GoalCheckInInput, ReviewTaskInput,
    SweepReport, TaskDoneInput, TrackingSettingsView, TrackingView, Upload,
};

use super::goals::goal_view;
use super::{Page, field_messages, form_number, form_text, render_form, script_json};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;
use crate::i18n::Lang;

/// The chart's data (T-1): the goal's progress at the end of each day with check-ins, oldest
/// first, and the ideal pace from 0 % at the period's start to 100 % at its end.
pub fn chart_json(lang: Lang, t: &TrackingView) -> String {
    let actual: Vec<(String, f64)> = t.progress_by_day.iter().map(|d| (d.on.to_string(), d.progress)).collect();
    let v = serde_json::json!({
        "actual": actual,
        "ideal": [[t.period_start.to_string(), 0.0], [t.period_end.to_string(), 100.0]],
        "labels": {"actual": lang.t("chart-actual"), "ideal": lang.t("chart-ideal")},
    });
    script_json(&v)
}

/// The my-goals board's chart (T-5): each goal's progress, coloured by its light, against the
/// ideal pace today.
pub fn my_board_json(lang: Lang, m: &waymark_app::goals::MyGoals) -> String {
    let shown: Vec<&waymark_app::goals::GoalSummary> = m.goals.iter().filter(|g| g.status != "archived").collect();
    bars_json(lang, &shown, m.board.pace_percent)
}

/// Goals as bars of progress in their light's colour, with the ideal pace (`tracking.js`).
pub fn bars_json(lang: Lang, goals: &[&waymark_app::goals::GoalSummary], pace: f64) -> String {
    let v = serde_json::json!({
        "titles": goals.iter().map(|g| g.title.as_str()).collect::<Vec<_>>(),
        "progress": goals.iter().map(|g| g.progress_percent).collect::<Vec<_>>(),
        "lights": goals.iter().map(|g| g.light.as_deref().unwrap_or("")).collect::<Vec<_>>(),
        "pace": pace,
        "labels": {"progress": lang.t("goal-progress"), "pace": lang.t("chart-ideal")},
    });
    script_json(&v)
}

/// After a tracking action: back to the goal's tracking section, or the goal page with errors.
async fn back(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    goal: Uuid,
    done: &str,
    r: Result<(), AppError>,
) -> Response {
    match r {
        Ok(()) => Redirect::to(&format!("/goals/{goal}?done={done}#tracking")).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            goal_view(st, actor, ctx, goal, None, None, field_messages(ctx.lang, &e)).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

/// The check-in form: a key result (value, % or done) or the goal as a whole, confidence, a
/// note and files, in one multipart request.
pub async fn check_in(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(goal): Path<Uuid>,
    mut mp: Multipart,
) -> Response {
    let (mut target, mut current, mut percent, mut note, mut confidence, mut done) =
        (String::new(), String::new(), String::new(), String::new(), String::new(), String::new());
    let mut files = Vec::new();
    loop {
        match mp.next_field().await {
            Ok(Some(field)) => {
                let name = field.name().unwrap_or("").to_string();
                if name == "file" {
                    let file_name = field.file_name().unwrap_or("").to_string();
                    match field.bytes().await {
                        // A file input left empty still sends a part with no name and no bytes.
                        Ok(b) if file_name.is_empty() && b.is_empty() => {}
                        Ok(b) => files.push(Upload { file_name, bytes: b.to_vec() }),
                        Err(e) => return back(&st, &actor, &ctx, goal, "", Err(upload_error(e.body_text()))).await,
                    }
                    continue;
                }
                let text = field.text().await.unwrap_or_default();
                match name.as_str() {
                    "target" => target = text,
                    "current" => current = text,
                    "percent" => percent = text,
                    "note" => note = text,
                    "confidence" => confidence = text,
                    "done" => done = text,
                    _ => {}
                }
            }
            Ok(None) => break,
            Err(e) => return back(&st, &actor, &ctx, goal, "", Err(upload_error(e.body_text()))).await,
        }
    }
    let t = st.app.tracking();
    // Text that is not a number goes on as NaN, so the service names the field.
    let number = |s: &str| form_text(s).map(|v| form_number(&v).unwrap_or(f64::NAN));
    let r = match target.parse::<Uuid>() {
        Ok(kr) => {
            let input = CheckInInput {
                current: number(&current),
                percent: number(&percent),
                // A deliverable's state is said explicitly (done / not done); blank says nothing.
                done: match done.as_str() {
                    "yes" => Some(true),
                    "no" => Some(false),
                    _ => None,
                },
                unit: None,
                confidence: form_text(&confidence),
                note: form_text(&note),
            };
            t.check_in_key_result(&actor, kr, input, files).await.map(|_| ())
        }
        Err(_) => {
            let input = GoalCheckInInput { confidence: form_text(&confidence), note: form_text(&note) };
            t.check_in_goal(&actor, goal, input, files).await.map(|_| ())
        }
    };
    back(&st, &actor, &ctx, goal, "checked-in", r).await
}

fn upload_error(detail: String) -> AppError {
    AppError::field("file", "unreadable", format!("the upload could not be read: {detail}"))
}

#[derive(Deserialize)]
pub struct DismissForm {
    goal_id: Uuid,
    #[serde(default)]
    note: String,
}

pub async fn dismiss(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<DismissForm>,
) -> Response {
    let r = st.app.tracking().dismiss_alert(&actor, id, DismissInput { note: form_text(&f.note) }).await;
    back(&st, &actor, &ctx, f.goal_id, "dismissed", r.map(|_| ())).await
}

#[derive(Deserialize)]
pub struct TaskForm {
    #[serde(default)]
    alert_id: String,
    #[serde(default)]
    owner_no: String,
    #[serde(default)]
    due_on: String,
}

pub async fn open_task(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(goal): Path<Uuid>,
    Form(f): Form<TaskForm>,
) -> Response {
    let input = ReviewTaskInput {
        alert_id: f.alert_id.parse().ok(),
        title: None,
        owner_id: None,
        owner_no: form_text(&f.owner_no),
        due_on: f.due_on,
    };
    let r = st.app.tracking().open_review_task(&actor, goal, input).await;
    back(&st, &actor, &ctx, goal, "task-opened", r.map(|_| ())).await
}

#[derive(Deserialize)]
pub struct TaskDoneForm {
    goal_id: Uuid,
    #[serde(default)]
    outcome: String,
}

pub async fn task_done(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<TaskDoneForm>,
) -> Response {
    let r = st.app.tracking().complete_task(&actor, id, TaskDoneInput { outcome: form_text(&f.outcome) }).await;
    back(&st, &actor, &ctx, f.goal_id, "task-done", r.map(|_| ())).await
}

// ---- HR: thresholds and the sweep ---------------------------------------------------------

#[derive(Template)]
#[template(path = "tracking_settings.html")]
struct SettingsPage {
    page: Page,
    s: TrackingSettingsView,
    sweep: Option<SweepReport>,
    notice: Option<String>,
    errors: Vec<String>,
}

impl SettingsPage {
    fn sweep_text(&self) -> Option<String> {
        let r = self.sweep.as_ref()?;
        let args = [
            ("goals", r.goals.to_string()),
            ("changes", r.status_changes.to_string()),
            ("raised", r.alerts_raised.to_string()),
            ("resolved", r.alerts_resolved.to_string()),
            ("ms", r.elapsed_ms.to_string()),
        ];
        Some(self.page.lang.ta("sweep-done", &args))
    }
}

fn settings_page(actor: &Actor, ctx: &RequestContext, s: TrackingSettingsView) -> SettingsPage {
    let page = Page::for_user(actor, ctx, ctx.lang.t("tracking-settings-title"), "admin", "/admin/tracking");
    SettingsPage { page, s, sweep: None, notice: None, errors: vec![] }
}

pub async fn settings(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    match st.app.tracking().settings_to_edit(&actor).await {
        Ok(s) => render_form(&settings_page(&actor, &ctx, s), &[]),
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    yellow_behind: String,
    #[serde(default)]
    red_behind: String,
    #[serde(default)]
    stale_days: String,
    #[serde(default)]
    stall_weeks: String,
    #[serde(default)]
    pace_window_days: String,
}

pub async fn save_settings(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(f): Form<SettingsForm>,
) -> Response {
    let n = |s: &str| form_number(s).unwrap_or(f64::NAN);
    // Whole numbers: anything else is sent on out of range, so the service names the field.
    let whole = |s: &str| form_number(s).filter(|v| v.fract() == 0.0 && v.abs() < 1e6).map(|v| v as i64).unwrap_or(-1);
    let input = TrackingSettingsView {
        yellow_behind: n(&f.yellow_behind),
        red_behind: n(&f.red_behind),
        stale_days: whole(&f.stale_days),
        stall_weeks: whole(&f.stall_weeks),
        pace_window_days: whole(&f.pace_window_days),
    };
    match st.app.tracking().save_settings(&actor, input.clone()).await {
        Ok(s) => {
            let mut p = settings_page(&actor, &ctx, s);
            p.notice = Some(ctx.lang.t("saved"));
            render_form(&p, &[])
        }
        Err(e @ AppError::Invalid(_)) => {
            let mut p = settings_page(&actor, &ctx, input);
            p.errors = field_messages(ctx.lang, &e);
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn sweep(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    let t = st.app.tracking();
    match (t.sweep(&actor).await, t.settings(&actor).await) {
        (Ok(r), Ok(s)) => {
            let mut p = settings_page(&actor, &ctx, s);
            p.sweep = Some(r);
            render_form(&p, &[])
        }
        (Err(e), _) | (_, Err(e)) => page_error(ctx.lang, e),
    }
}

// ---- HR board (T-5) ------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "hr_board.html")]
struct HrBoardPage {
    page: Page,
    periods: Vec<waymark_app::goals::PeriodView>,
    period: Option<waymark_app::goals::PeriodView>,
    b: waymark_app::tracking::HrBoard,
    chart_json: String,
    /// The query string of the current filters, for the export link and paging.
    query: String,
    pages: u64,
}

pub async fn hr_board(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    axum::extract::Query(q): axum::extract::Query<BoardQuery>,
) -> Response {
    let b = match st.app.tracking().hr_board(&actor, &q).await {
        Ok(b) => b,
        Err(e) => return page_error(ctx.lang, e),
    };
    let periods = part!(ctx.lang, st.app.goals().periods(&actor).await).unwrap_or_default();
    let period = periods.iter().find(|p| p.id == b.period_id).cloned();
    let lang = ctx.lang;
    let units: Vec<&str> = b.units.iter().map(|u| u.name.as_str()).collect();
    let series =
        |f: fn(&waymark_app::tracking::LightCounts) -> i64| b.units.iter().map(|u| f(&u.counts)).collect::<Vec<_>>();
    let chart = serde_json::json!({
        "units": units,
        "green": series(|c| c.green), "yellow": series(|c| c.yellow), "red": series(|c| c.red),
        "labels": {"green": lang.t("light-green"), "yellow": lang.t("light-yellow"), "red": lang.t("light-red")},
    });
    let mut query = format!("period={}&unit={}&list={}", b.period_id, b.unit_id, b.list);
    if let Some(l) = &b.light {
        query.push_str(&format!("&light={l}"));
    }
    let pages = ((b.total.max(0) as u64).div_ceil(waymark_app::tracking::BOARD_PAGE)).max(1);
    let page = Page::for_user(&actor, &ctx, ctx.lang.t("board-hr-title"), "tracking", "/tracking/hr");
    let chart_json = script_json(&chart);
    render_form(&HrBoardPage { page, periods, period, b, chart_json, query, pages }, &[])
}

#[derive(Template)]
#[template(path = "executive.html")]
struct ExecutivePage {
    page: Page,
    b: ExecutiveBoard,
    chart_json: String,
}

/// The executive board (T-5): strategic goals two levels down.
pub async fn executive_board(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    axum::extract::Query(q): axum::extract::Query<ExecutiveQuery>,
) -> Response {
    match st.app.tracking().executive_board(&actor, &q).await {
        Ok(b) => {
            let roots: Vec<&waymark_app::goals::GoalSummary> = b.goals.iter().map(|g| &g.node.goal).collect();
            let chart_json = bars_json(ctx.lang, &roots, b.pace_percent);
            let page = Page::for_user(&actor, &ctx, ctx.lang.t("board-exec-title"), "tracking", "/tracking/executive");
            render_form(&ExecutivePage { page, b, chart_json }, &[])
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn hr_board_export(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    axum::extract::Query(q): axum::extract::Query<BoardQuery>,
) -> Response {
    match st.app.tracking().hr_board_csv(&actor, &q, ctx.lang != Lang::ZhCn).await {
        Ok(bytes) => crate::api::board_file(bytes, &q),
        Err(e) => page_error(ctx.lang, e),
    }
}
