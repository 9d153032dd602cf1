//! The development report page (D-2): the analysis, the recommendations and the editable
//! report for the manager and HR; the shared report for the person.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::development_report::{Mentor, ReportInput, ReportView, Suggested};
use waymark_app::policy::Actor;
use waymark_domain::development_report::ReportText;

use super::{DoneQuery, Page, Pairs, field_messages, pair, render_form, settle};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

#[derive(Template)]
#[template(path = "development_report.html")]
struct ReportPage {
    page: Page,
    v: ReportView,
    /// What the form holds: what was just sent, else the saved report, else the rules' draft.
    text: ReportText,
    notice: Option<String>,
    errors: Vec<String>,
    /// An AI endpoint is connected: the form offers its draft.
    ai_on: bool,
}

impl ReportPage {
    /// A 0–100 figure, rounded, or a dash.
    fn pct(&self, x: &Option<f64>) -> String {
        x.map_or_else(|| "—".to_string(), |v| format!("{v:.0}"))
    }
    fn mentor_line(&self, m: &Mentor) -> String {
        let args = [
            ("dimension", m.dimension.clone()),
            ("mean", format!("{:.0}", m.mean)),
            ("ratings", m.ratings.to_string()),
        ];
        self.page.lang.ta("devreport-mentor-figures", &args)
    }
    fn suggested_line(&self, s: &Suggested) -> String {
        let args = [
            ("kind", self.page.label("development-kind", s.kind)),
            ("dimension", s.dimension.clone()),
            ("people", s.people.to_string()),
            ("completed", s.completed.to_string()),
        ];
        self.page.lang.ta("devreport-suggested-figures", &args)
    }
}

async fn report_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    employee: Uuid,
    sent: Option<ReportText>,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    match st.app.development_reports().report(actor, ctx.lang, employee).await {
        Ok(v) => {
            let text = sent.or_else(|| v.saved.as_ref().map(|s| s.text.clone())).unwrap_or_else(|| v.draft.clone());
            let title = format!("{} · {}", ctx.lang.t("devreport-title"), v.person.name);
            let page = Page::for_user(actor, ctx, title, "reviews", &format!("/people/{employee}/development/report"));
            let ai_on = st.app.ai_status().on;
            let p = ReportPage { page, v, text, notice, errors, ai_on };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn report(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("devreport-done-{d}")));
    report_page(&st, &actor, &ctx, id, None, notice, vec![]).await
}

/// Saves the report; the "share" button shares it too.
pub async fn save(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let text = ReportText {
        strengths: pair(&pairs, "strengths").into(),
        areas: pair(&pairs, "areas").into(),
        actions: pair(&pairs, "actions").into(),
        support: pair(&pairs, "support").into(),
    };
    let share = pair(&pairs, "share") == "1";
    let input = ReportInput { text: text.clone(), share };
    let done = if share { "shared" } else { "saved" };
    settle(
        ctx.lang,
        st.app.development_reports().save(&actor, id, input).await,
        format!("/people/{id}/development/report?done={done}"),
        |errors| report_page(&st, &actor, &ctx, id, Some(text), None, errors),
    )
    .await
}

/// Puts the AI's draft (or the rules', when it fails) into the form, unsaved, saying which.
pub async fn ai_draft(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    match st.app.development_reports().ai_draft(&actor, ctx.lang, id).await {
        Ok(d) => {
            let notice = match d.fallback {
                None => ctx.lang.t("devreport-ai-drafted"),
                Some(f) => ctx.lang.t(&format!("ai-fallback-{}", f.code().replace('_', "-"))),
            };
            report_page(&st, &actor, &ctx, id, Some(d.text), Some(notice), vec![]).await
        }
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            report_page(&st, &actor, &ctx, id, None, None, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

/// Turns the saved report into a development plan and opens it.
pub async fn make_plan(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    match st.app.development_reports().make_plan(&actor, ctx.lang, id).await {
        Ok(p) => Redirect::to(&format!("/development/{}?done=created", p.id)).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            report_page(&st, &actor, &ctx, id, None, None, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}
