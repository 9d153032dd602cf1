//! The nine-box page (V-7) of a cycle, the box names, and assessing a person's potential from
//! their result page.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::org::UnitView;
use waymark_app::policy::Actor;
use waymark_app::reviews::{NineBoxView, PotentialInput};

use super::{Page, Pairs, pair, pairs_of, render_form, settle};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

#[derive(Template)]
#[template(path = "ninebox.html")]
struct NineBoxPage {
    page: Page,
    v: NineBoxView,
    units: Vec<UnitView>,
    /// Box 1 to 9, for the names form (org-wide HR).
    names: Vec<String>,
    notice: Option<String>,
    errors: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct NineBoxQuery {
    unit: Option<String>,
    done: Option<String>,
}

async fn ninebox_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    unit: Option<Uuid>,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let r = st.app.reviews();
    let loaded = async {
        Ok::<_, AppError>((
            r.ninebox(actor, id, unit).await?,
            r.units_in_scope(actor).await?,
            r.box_names(actor).await?,
        ))
    }
    .await;
    match loaded {
        Ok((v, units, names)) => {
            let title = format!("{} · {}", ctx.lang.t("ninebox-title"), v.cycle_name);
            let page = Page::for_user(actor, ctx, title, "admin", &format!("/admin/reviews/cycles/{id}/ninebox"));
            let p = NineBoxPage { page, v, units, names: names.0.iter().flatten().cloned().collect(), notice, errors };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn ninebox(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<NineBoxQuery>,
) -> Response {
    let unit = q.unit.as_deref().and_then(|u| u.parse().ok());
    let notice = q.done.map(|d| ctx.lang.t(&format!("ninebox-done-{d}")));
    ninebox_page(&st, &actor, &ctx, id, unit, notice, vec![]).await
}

pub async fn ninebox_xlsx(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<NineBoxQuery>,
) -> Response {
    let unit = q.unit.as_deref().and_then(|u| u.parse().ok());
    let chinese = ctx.lang.code() != "en";
    match st.app.reviews().ninebox_xlsx(&actor, id, unit, chinese).await {
        Ok(bytes) => crate::api::transfer::file_response(bytes, waymark_app::import::FileFormat::Xlsx, "ninebox"),
        Err(e) => page_error(ctx.lang, e),
    }
}

/// The nine names, from the grid page of cycle `cycle`.
pub async fn set_names(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    settle(
        ctx.lang,
        st.app.reviews().set_box_names(&actor, pairs_of(&pairs, "name")).await,
        format!("/admin/reviews/cycles/{id}/ninebox?done=named"),
        |errors| ninebox_page(&st, &actor, &ctx, id, None, None, errors),
    )
    .await
}

/// A potential from the result page: `level`, `rationale`.
pub async fn assess(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input = PotentialInput { level: pair(&pairs, "level").into(), rationale: pair(&pairs, "rationale").into() };
    settle(
        ctx.lang,
        st.app.reviews().assess_potential(&actor, id, input).await,
        format!("/reviews/participants/{id}/result?done=potential#potential"),
        |errors| super::review_release::result_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}
