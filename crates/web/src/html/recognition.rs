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
    KudosInput, KudosView, RedemptionDecisionInput, RedemptionView, RewardInput, RewardView, ValueInput, ValueView,
    WalletView,
};

use super::{DoneQuery, Page, Pairs, field_messages, pair, pair_ids, render_form};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

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

impl RecognitionPage {
    /// Kudos shown before the feed folds the rest away (issue 23, item 6: the page was 8 800 px,
    /// with the rewards below the whole feed).
    fn feed_shown(&self) -> usize {
        10
    }

    /// Why the reader cannot redeem this reward now, by the rule redeeming applies (issue 23,
    /// item 6: the button was active without enough points); none when they can.
    fn redeem_blocked(&self, r: &RewardView) -> Option<String> {
        use waymark_domain::recognition::{RedeemProblem, check_redeem};
        let balance = self.wallet.as_ref()?.balance;
        match check_redeem(balance, r.cost, r.stock, r.active) {
            Ok(()) => None,
            Err(RedeemProblem::NotEnoughPoints { balance, cost }) => {
                Some(self.page.ta("recognition-points-short", "short", cost - balance))
            }
            Err(RedeemProblem::OutOfStock) => Some(self.page.t("error-out-of-stock")),
            Err(RedeemProblem::Inactive) => Some(self.page.t("error-inactive")),
        }
    }
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
        recipient_ids: pair_ids(&pairs, "from"),
        value_ids: pair_ids(&pairs, "value"),
        message: pair(&pairs, "message").into(),
        audience: pair(&pairs, "audience").into(),
    };
    match st.app.recognition().give(&actor, input).await {
        Ok(_) => Redirect::to("/recognition?done=thanked").into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            show(&st, &actor, &ctx, pair(&pairs, "message").into(), None, errors).await
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
        name: pair(&pairs, "name").into(),
        description: pair(&pairs, "description").into(),
        active: pair(&pairs, "active") != "false",
    };
    let r = st.app.recognition().save_value(&actor, pair(&pairs, "id").parse().ok(), input).await;
    after_save(&st, &actor, &ctx, r).await
}

pub async fn save_reward(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(pairs): Form<Pairs>,
) -> Response {
    let Ok(cost) = pair(&pairs, "cost").trim().parse::<i64>() else {
        let msg = format!("{}: {}", ctx.lang.t("field-cost"), ctx.lang.t("error-invalid-number"));
        return admin_page(&st, &actor, &ctx, None, vec![msg]).await;
    };
    let stock = pair(&pairs, "stock").trim();
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
        name: pair(&pairs, "name").into(),
        description: pair(&pairs, "description").into(),
        cost,
        stock,
        active: pair(&pairs, "active") != "false",
    };
    let r = st.app.recognition().save_reward(&actor, pair(&pairs, "id").parse().ok(), input).await;
    after_save(&st, &actor, &ctx, r).await
}

pub async fn decide(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input =
        RedemptionDecisionInput { approve: pair(&pairs, "approve") == "true", note: pair(&pairs, "note").into() };
    let r = st.app.recognition().decide(&actor, id, input).await;
    after_save(&st, &actor, &ctx, r).await
}

// ---- the network and the stars (R-3) ---------------------------------------------------------

#[derive(serde::Deserialize, Default)]
pub struct QuarterQuery {
    #[serde(default)]
    quarter: Option<String>,
}

/// A team on the network picture: where it sits on the circle and how big it is drawn.
pub struct Dot {
    pub name: String,
    pub x: f64,
    pub y: f64,
    pub r: f64,
}

/// A flow between two teams on the picture.
pub struct Line {
    pub x1: f64,
    pub y1: f64,
    pub x2: f64,
    pub y2: f64,
    pub width: f64,
    pub title: String,
}

#[derive(Template)]
#[template(path = "recognition_network.html")]
struct NetworkPage {
    page: Page,
    n: waymark_app::recognition_network::NetworkView,
    dots: Vec<Dot>,
    lines: Vec<Line>,
}

/// The teams with flows, on a circle (at most 24, the busiest), joined by lines as thick as
/// their kudos: an SVG drawn on the server, no script.
fn picture(n: &waymark_app::recognition_network::NetworkView) -> (Vec<Dot>, Vec<Line>) {
    use std::collections::HashMap;
    let mut weight: HashMap<Uuid, (String, u32)> = HashMap::new();
    for f in &n.team_flows {
        for t in [&f.from, &f.to] {
            weight.entry(t.id).or_insert((t.name.clone(), 0)).1 += f.kudos;
        }
    }
    let mut teams: Vec<(Uuid, String, u32)> = weight.into_iter().map(|(id, (name, w))| (id, name, w)).collect();
    teams.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
    teams.truncate(24);
    let max = teams.iter().map(|t| t.2).max().unwrap_or(1).max(1) as f64;
    let count = teams.len().max(1) as f64;
    let at: HashMap<Uuid, (f64, f64)> = teams
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let a = std::f64::consts::TAU * i as f64 / count - std::f64::consts::FRAC_PI_2;
            (t.0, (300.0 + 230.0 * a.cos(), 300.0 + 230.0 * a.sin()))
        })
        .collect();
    let dots = teams
        .iter()
        .map(|t| {
            let (x, y) = at[&t.0];
            Dot { name: t.1.clone(), x, y, r: 6.0 + 18.0 * (t.2 as f64 / max).sqrt() }
        })
        .collect();
    let top = n.team_flows.first().map(|f| f.kudos).unwrap_or(1).max(1) as f64;
    let lines = n
        .team_flows
        .iter()
        .filter_map(|f| {
            let ((x1, y1), (x2, y2)) = (at.get(&f.from.id)?, at.get(&f.to.id)?);
            Some(Line {
                x1: *x1,
                y1: *y1,
                x2: *x2,
                y2: *y2,
                width: 1.0 + 7.0 * f.kudos as f64 / top,
                title: format!("{} → {}: {}", f.from.name, f.to.name, f.kudos),
            })
        })
        .collect();
    (dots, lines)
}

pub async fn network(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<QuarterQuery>,
) -> Response {
    match st.app.recognition().network(&actor, q.quarter.as_deref().filter(|s| !s.is_empty())).await {
        Ok(n) => {
            let (dots, lines) = picture(&n);
            let page = Page::for_user(&actor, &ctx, ctx.lang.t("network-title"), "recognition", "/recognition/network");
            render_form(&NetworkPage { page, n, dots, lines }, &[])
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Template)]
#[template(path = "recognition_stars.html")]
struct StarsPage {
    page: Page,
    quarter: String,
    stars: Vec<waymark_app::recognition_network::StarView>,
}

pub async fn stars(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Query(q): Query<QuarterQuery>,
) -> Response {
    match st.app.recognition().stars(&actor, q.quarter.as_deref().filter(|s| !s.is_empty())).await {
        Ok((quarter, stars)) => {
            let page = Page::for_user(&actor, &ctx, ctx.lang.t("stars-title"), "recognition", "/recognition/stars");
            render_form(&StarsPage { page, quarter, stars }, &[])
        }
        Err(e) => page_error(ctx.lang, e),
    }
}
