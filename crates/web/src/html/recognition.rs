//! Recognition pages: the feed with the thank-you form, one's points and badges,
//! the reward menu and one's redemptions; HR's page for values, rewards and the redemption
//! queue.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::policy::Actor;
use waymark_app::recognition::{
    DecisionInput, KudosInput, KudosView, RedemptionView, RewardInput, RewardView, ValueInput, ValueView, WalletView,
};

use super::{DoneQuery, Page, field_messages, render_form};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

type Pairs = Vec<(String, String)>;

fn value<'a>(pairs: &'a Pairs, key: &str) -> &'a str {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str()).unwrap_or("")
}

fn ids(pairs: &Pairs, key: &str) -> Vec<Uuid> {
    pairs.iter().filter(|(k, _)| k == key).filter_map(|(_, v)| v.parse().ok()).collect()
}

#[derive(Template)]
#[template(path = "recognition.html")]
struct RecognitionPage {
    page: Page,
    feed: Vec<KudosView>,
    values: Vec<ValueView>,
    wallet: Option<WalletView>,
    rewards: Vec<RewardView>,
    redemptions: Vec<RedemptionView>,
    message: String,
    notice: Option<String>,
    errors: Vec<String>,
}

async fn show(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    message: String,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let r = st.app.recognition();
    let loaded = async {
        let feed = r.feed(actor, None).await?;
        let values = r.values(actor).await?.into_iter().filter(|v| v.active).collect();
        let rewards = r.rewards(actor).await?.into_iter().filter(|w| w.active).collect();
        let wallet = if actor.employee_id.is_some() { Some(r.wallet(actor).await?) } else { None };
        let redemptions = r.redemptions(actor, false).await?;
        Ok::<_, AppError>((feed, values, wallet, rewards, redemptions))
    };
    let (feed, values, wallet, rewards, redemptions) = match loaded.await {
        Ok(l) => l,
        Err(e) => return page_error(ctx.lang, e),
    };
    let page = Page::for_user(actor, ctx, ctx.lang.t("recognition-title"), "recognition", "/recognition");
    let p = RecognitionPage { page, feed, values, wallet, rewards, redemptions, message, notice, errors };
    render_form(&p, &p.errors)
}

pub async fn page(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Query(q): Query<DoneQuery>) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("recognition-done-{d}")));
    show(&st, &actor, &ctx, String::new(), notice, vec![]).await
}

pub async fn give(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Form(pairs): Form<Pairs>) -> Response {
    let input = KudosInput {
        recipient_ids: ids(&pairs, "from"),
        value_ids: ids(&pairs, "value"),
        message: value(&pairs, "message").into(),
        audience: value(&pairs, "audience").into(),
    };
    match st.app.recognition().give(&actor, input).await {
        Ok(_) => Redirect::to("/recognition?done=thanked").into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            show(&st, &actor, &ctx, value(&pairs, "message").into(), None, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn redeem(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    match st.app.recognition().redeem(&actor, id).await {
        Ok(_) => Redirect::to("/recognition?done=redeemed#redemptions").into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            show(&st, &actor, &ctx, String::new(), None, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

// ---- HR --------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "recognition_admin.html")]
struct AdminPage {
    page: Page,
    values: Vec<ValueView>,
    rewards: Vec<RewardView>,
    pending: Vec<RedemptionView>,
    notice: Option<String>,
    errors: Vec<String>,
}

async fn admin_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let r = st.app.recognition();
    let loaded = async {
        let pending = r.redemptions(actor, true).await?;
        Ok::<_, AppError>((r.values(actor).await?, r.rewards(actor).await?, pending))
    };
    let (values, rewards, pending) = match loaded.await {
        Ok(l) => l,
        Err(e) => return page_error(ctx.lang, e),
    };
    let page = Page::for_user(actor, ctx, ctx.lang.t("recognition-admin-title"), "admin", "/admin/recognition");
    let p = AdminPage { page, values, rewards, pending, notice, errors };
    render_form(&p, &p.errors)
}

pub async fn admin(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Query(q): Query<DoneQuery>) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("recognition-done-{d}")));
    admin_page(&st, &actor, &ctx, notice, vec![]).await
}

async fn after_save<T>(st: &AppState, actor: &Actor, ctx: &RequestContext, r: Result<T, AppError>) -> Response {
    match r {
        Ok(_) => Redirect::to("/admin/recognition?done=saved").into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            admin_page(st, actor, ctx, None, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn save_value(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input = ValueInput {
        name: value(&pairs, "name").into(),
        description: value(&pairs, "description").into(),
        active: value(&pairs, "active") != "false",
    };
    let r = st.app.recognition().save_value(&actor, value(&pairs, "id").parse().ok(), input).await;
    after_save(&st, &actor, &ctx, r).await
}

pub async fn save_reward(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(pairs): Form<Pairs>,
) -> Response {
    let Ok(cost) = value(&pairs, "cost").trim().parse::<i64>() else {
        let msg = format!("{}: {}", ctx.lang.t("field-cost"), ctx.lang.t("error-invalid-number"));
        return admin_page(&st, &actor, &ctx, None, vec![msg]).await;
    };
    let stock = value(&pairs, "stock").trim();
    let stock = if stock.is_empty() {
        None
    } else {
        match stock.parse::<i32>() {
            Ok(s) => Some(s),
            Err(_) => {
                let msg = format!("{}: {}", ctx.lang.t("field-stock"), ctx.lang.t("error-invalid-number"));
                return admin_page(&st, &actor, &ctx, None, vec![msg]).await;
            }
        }
    };
    let input = RewardInput {
        name: value(&pairs, "name").into(),
        description: value(&pairs, "description").into(),
        cost,
        stock,
        active: value(&pairs, "active") != "false",
    };
    let r = st.app.recognition().save_reward(&actor, value(&pairs, "id").parse().ok(), input).await;
    after_save(&st, &actor, &ctx, r).await
}

pub async fn decide(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input = DecisionInput { approve: value(&pairs, "approve") == "true", note: value(&pairs, "note").into() };
    let r = st.app.recognition().decide(&actor, id, input).await;
    after_save(&st, &actor, &ctx, r).await
}
