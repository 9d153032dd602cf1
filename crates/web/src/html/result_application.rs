//! Using released results (V-9): a promotion nomination and incentives from the result page,
//! HR's decision on a nomination, and a cycle's nominations and incentives with the grant to
//! everyone of chosen grades.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use uuid::Uuid;
use waymark_app::org::UnitView;
use waymark_app::policy::Actor;
use waymark_app::reviews::{CycleApplicationView, GrantInput, PromotionDecisionInput, PromotionInput};

use super::review_release::result_page;
use super::{DoneQuery, Page, Pairs, pair, pairs_of, render_form, settle};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

/// A nomination from the result page: `track`, `to_level`, `reasons`.
pub async fn nominate(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input = PromotionInput {
        track: pair(&pairs, "track").into(),
        to_level: pair(&pairs, "to_level").into(),
        reasons: pair(&pairs, "reasons").into(),
    };
    settle(
        ctx.lang,
        st.app.reviews().nominate_for_promotion(&actor, id, input).await,
        format!("/reviews/participants/{id}/result?done=promotion-nominated#application"),
        |errors| result_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

/// HR's decision on the nomination `nomination` of participant `id`: `decision` approve or
/// decline, `note`.
pub async fn decide(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path((id, nomination)): Path<(Uuid, Uuid)>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input =
        PromotionDecisionInput { approve: pair(&pairs, "decision") == "approve", note: pair(&pairs, "note").into() };
    settle(
        ctx.lang,
        st.app.reviews().decide_promotion(&actor, nomination, input).await,
        format!("/reviews/participants/{id}/result?done=promotion-decided#application"),
        |errors| result_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

/// An incentive on one result, from its page: `reward`, `reason`.
pub async fn grant_one(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path((cycle, id)): Path<(Uuid, Uuid)>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let Ok(reward_id) = pair(&pairs, "reward").parse() else {
        return result_page(&st, &actor, &ctx, id, None, vec![ctx.lang.t("application-pick-reward")]).await;
    };
    let input = GrantInput {
        reward_id,
        reason: pair(&pairs, "reason").into(),
        participant_id: Some(id),
        grades: Vec::new(),
        unit_id: None,
    };
    settle(
        ctx.lang,
        st.app.reviews().grant_incentives(&actor, cycle, input).await,
        format!("/reviews/participants/{id}/result?done=granted#application"),
        |errors| result_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

#[derive(Template)]
#[template(path = "result_application.html")]
struct ApplicationPage {
    page: Page,
    a: CycleApplicationView,
    units: Vec<UnitView>,
    notice: Option<String>,
    errors: Vec<String>,
}

async fn application_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let reviews = st.app.reviews();
    let loaded = async {
        Ok::<_, waymark_app::AppError>((
            reviews.cycle_application(actor, id).await?,
            reviews.units_in_scope(actor).await?,
        ))
    };
    match loaded.await {
        Ok((a, units)) => {
            let title = format!("{} · {}", ctx.lang.t("application-title"), a.cycle_name);
            let page = Page::for_user(actor, ctx, title, "admin", &format!("/admin/reviews/cycles/{id}/application"));
            let p = ApplicationPage { page, a, units, notice, errors };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn application(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("application-done-{d}")));
    application_page(&st, &actor, &ctx, id, notice, vec![]).await
}

/// An incentive to everyone released with the chosen grades: `reward`, `grade` (repeated),
/// `unit` (optional), `reason`.
pub async fn grant_by_grade(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let Ok(reward_id) = pair(&pairs, "reward").parse() else {
        return application_page(&st, &actor, &ctx, id, None, vec![ctx.lang.t("application-pick-reward")]).await;
    };
    let input = GrantInput {
        reward_id,
        reason: pair(&pairs, "reason").into(),
        participant_id: None,
        grades: pairs_of(&pairs, "grade"),
        unit_id: pair(&pairs, "unit").parse().ok(),
    };
    settle(
        ctx.lang,
        st.app.reviews().grant_incentives(&actor, id, input).await,
        format!("/admin/reviews/cycles/{id}/application?done=granted#incentives"),
        |errors| application_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}
