//! Probation pages (V-8): the running probations one follows, and a person's probation with
//! HR's start form, the checkpoints to hold and the conversion decision.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use uuid::Uuid;
use waymark_app::policy::Actor;
use waymark_app::probation::{
    ConversionInput, ConversionOutcome, PersonProbation, ProbationInput, ProbationNoteInput, ProbationView,
};

use super::{DoneQuery, Page, Pairs, pair, render, render_form, settle};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

#[derive(Template)]
#[template(path = "probations.html")]
struct ListPage {
    page: Page,
    list: Vec<ProbationView>,
}

pub async fn list(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    match st.app.probation().in_progress(&actor).await {
        Ok(list) => {
            let page = Page::for_user(&actor, &ctx, ctx.lang.t("probation-list-title"), "reviews", "/probation");
            render(&ListPage { page, list })
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Template)]
#[template(path = "probation.html")]
struct PersonPage {
    page: Page,
    v: PersonProbation,
    notice: Option<String>,
    errors: Vec<String>,
    /// What was typed into a refused form, shown again.
    typed: Pairs,
}

impl PersonPage {
    fn typed(&self, key: &str) -> &str {
        pair(&self.typed, key)
    }
}

async fn person_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<String>,
    typed: Pairs,
) -> Response {
    match st.app.probation().of_person(actor, id).await {
        Ok(v) => {
            let title = format!("{} · {}", ctx.lang.t("probation-title"), v.person.name);
            let page = Page::for_user(actor, ctx, title, "reviews", &format!("/people/{id}/probation"));
            let p = PersonPage { page, v, notice, errors, typed };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn person(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("probation-done-{d}")));
    person_page(&st, &actor, &ctx, id, notice, vec![], Pairs::new()).await
}

pub async fn start(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input = ProbationInput {
        contract: pair(&pairs, "contract").into(),
        contract_months: pair(&pairs, "contract_months").parse().ok(),
        months: pair(&pairs, "months").parse().unwrap_or(0),
    };
    settle(
        ctx.lang,
        st.app.probation().start(&actor, id, input).await,
        format!("/people/{id}/probation?done=started"),
        |errors| person_page(&st, &actor, &ctx, id, None, errors, pairs.clone()),
    )
    .await
}

pub async fn hold(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path((id, checkpoint)): Path<(Uuid, Uuid)>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input = ProbationNoteInput { note: pair(&pairs, "note").into() };
    settle(
        ctx.lang,
        st.app.probation().hold(&actor, checkpoint, input).await,
        format!("/people/{id}/probation?done=held"),
        |errors| person_page(&st, &actor, &ctx, id, None, errors, Pairs::new()),
    )
    .await
}

pub async fn decide(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path((id, probation)): Path<(Uuid, Uuid)>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let outcome = match pair(&pairs, "outcome") {
        "convert" => ConversionOutcome::Convert,
        "not_convert" => ConversionOutcome::NotConvert,
        "extend" => ConversionOutcome::Extend,
        _ => {
            let errors = vec![ctx.lang.t("probation-pick-outcome")];
            return person_page(&st, &actor, &ctx, id, None, errors, pairs).await;
        }
    };
    let input =
        ConversionInput { outcome, months: pair(&pairs, "months").parse().ok(), note: pair(&pairs, "note").into() };
    settle(
        ctx.lang,
        st.app.probation().decide(&actor, probation, input).await,
        format!("/people/{id}/probation?done=decided"),
        |errors| person_page(&st, &actor, &ctx, id, None, errors, pairs.clone()),
    )
    .await
}
