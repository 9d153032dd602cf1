//! A result after calibration (V-6): the person reads it with how it was computed and its
//! history, acknowledges it and may appeal; HR releases a cycle's results and handles appeals
//! (assign, decide, answer).

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use uuid::Uuid;
use waymark_app::policy::Actor;
use waymark_app::reviews::{
    AppealDecisionInput, AppealInput, AppealView, AssignAppealInput, ReleaseInput, ResultAcknowledgeInput, ResultView,
};
use waymark_domain::reviews::release::Outcome;

use super::reviews::cycle_page;
use super::{DoneQuery, Page, Pairs, pair, render_form, settle};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

// ---- a result --------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "review_result.html")]
struct ResultPage {
    page: Page,
    r: ResultView,
    notice: Option<String>,
    errors: Vec<String>,
}

pub(super) async fn result_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    match st.app.reviews().result(actor, id).await {
        Ok(r) => {
            let title = format!("{} · {}", ctx.lang.t("reviews-result-title"), r.person.name);
            let page = Page::for_user(actor, ctx, title, "reviews", &format!("/reviews/participants/{id}/result"));
            let p = ResultPage { page, r, notice, errors };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn result(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("reviews-done-{d}")));
    result_page(&st, &actor, &ctx, id, notice, vec![]).await
}

pub async fn acknowledge(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input = ResultAcknowledgeInput { comment: Some(pair(&pairs, "comment").to_string()) };
    settle(
        ctx.lang,
        st.app.reviews().acknowledge(&actor, id, input).await,
        format!("/reviews/participants/{id}/result?done=acknowledged"),
        |errors| result_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

pub async fn appeal(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input = AppealInput { reasons: pair(&pairs, "reasons").into() };
    settle(
        ctx.lang,
        st.app.reviews().appeal(&actor, id, input).await,
        format!("/reviews/participants/{id}/result?done=appealed"),
        |errors| result_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

// ---- HR: release and appeals ----------------------------------------------------------------------

/// Releases the cycle's results, or one unit's (`unit`).
pub async fn release(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input = ReleaseInput { unit_id: pair(&pairs, "unit").parse().ok() };
    settle(
        ctx.lang,
        st.app.reviews().release(&actor, id, input).await,
        format!("/admin/reviews/cycles/{id}?done=released#release"),
        |errors| cycle_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

#[derive(Template)]
#[template(path = "review_appeal.html")]
struct AppealPage {
    page: Page,
    a: AppealView,
    notice: Option<String>,
    errors: Vec<String>,
}

async fn appeal_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    match st.app.reviews().appeal_view(actor, id).await {
        Ok(a) => {
            let title = format!("{} · {}", ctx.lang.t("appeals-title"), a.person.name);
            let page = Page::for_user(actor, ctx, title, "admin", &format!("/admin/reviews/appeals/{id}"));
            let p = AppealPage { page, a, notice, errors };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn appeal_view(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("appeals-done-{d}")));
    appeal_page(&st, &actor, &ctx, id, notice, vec![]).await
}

pub async fn assign(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let Ok(assignee_id) = pair(&pairs, "assignee").parse() else {
        let errors = vec![ctx.lang.t("appeals-pick-handler")];
        return appeal_page(&st, &actor, &ctx, id, None, errors).await;
    };
    settle(
        ctx.lang,
        st.app.reviews().assign_appeal(&actor, id, AssignAppealInput { assignee_id }).await,
        format!("/admin/reviews/appeals/{id}?done=assigned"),
        |errors| appeal_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

pub async fn decide(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let outcome = match pair(&pairs, "outcome") {
        "changed" => Outcome::Changed,
        "upheld" => Outcome::Upheld,
        _ => {
            let errors = vec![ctx.lang.t("appeals-pick-outcome")];
            return appeal_page(&st, &actor, &ctx, id, None, errors).await;
        }
    };
    // The grade picker is only meaningful for a changed result; a stale pick is dropped.
    let grade = Some(pair(&pairs, "grade").to_string()).filter(|g| !g.is_empty() && outcome == Outcome::Changed);
    let input = AppealDecisionInput { outcome, grade, answer: pair(&pairs, "answer").into() };
    settle(
        ctx.lang,
        st.app.reviews().decide_appeal(&actor, id, input).await,
        format!("/admin/reviews/appeals/{id}?done=decided"),
        |errors| appeal_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}
