//! The flight-risk model's page (SPEC I-4; issue 26, item 3): how the model was trained on the
//! organization's history, how far it can be trusted (its k-fold figures, each explained), its
//! calibration and strongest features in words, and fitting it again.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use waymark_app::policy::Actor;
use waymark_domain::flight_risk::history::{self, ModelRun, Outcome};

use super::{DoneQuery, Page, render_form, settle};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

struct Band {
    range: String,
    people: usize,
    predicted: String,
    left: String,
}

struct Weight {
    feature: String,
    raises: bool,
    weight: String,
}

/// The latest fit in words.
struct RunView {
    /// "On 7 Dec 2026 by 王芳" (or by the nightly sweep).
    fitted: String,
    history: String,
    fitted_model: bool,
    roc_auc: String,
    pr_auc: String,
    base_rate: String,
    brier: String,
    brier_base: String,
    folds: usize,
    bands: Vec<Band>,
    weights: Vec<Weight>,
}

#[derive(Template)]
#[template(path = "flight_model.html")]
struct ModelPage {
    page: Page,
    run: Option<RunView>,
    months: u32,
    min_leavers: usize,
    can_fit: bool,
    notice: Option<String>,
    errors: Vec<String>,
}

fn percent(page: &Page, share: f64) -> String {
    format!("{}%", page.num(share * 100.0))
}

/// A model feature in words: its column's name, and for a category the value.
fn feature_words(page: &Page, name: &str) -> String {
    let (column, value) = history::split_feature(name);
    match value {
        None => page.label("model-feature", column),
        Some(v) => feature_value_words(page, column, v),
    }
}

/// A feature with a person's value in words ("潜力评估：高", "近 90 天取消的一对一：3").
pub(super) fn feature_value_words(page: &Page, column: &str, value: &str) -> String {
    let value_words = match column {
        "potential" => page.label("model-potential", value),
        "has_result" => page.t(if value == "1" { "model-yes" } else { "model-no" }),
        _ => value.to_string(),
    };
    page.lang.ta("model-feature-value", &[("feature", page.label("model-feature", column)), ("value", value_words)])
}

fn run_view(page: &Page, r: ModelRun) -> RunView {
    let by = r.fitted_by_name.clone().unwrap_or_else(|| page.t("flight-model-by-system"));
    let fitted = page.ta2("flight-model-fitted", "date", page.on_year(&page.zone.date(r.fitted_at)), "by", by);
    let (people, leavers) = r.outcome.counts();
    let history = page.lang.ta(
        "flight-model-history",
        &[
            ("as_of", page.on_year(&r.as_of)),
            ("people", people.to_string()),
            ("leavers", leavers.to_string()),
            ("months", history::HORIZON_MONTHS.to_string()),
        ],
    );
    let rate = if people == 0 { 0.0 } else { leavers as f64 / people as f64 };
    let mut view = RunView {
        fitted,
        history,
        fitted_model: false,
        roc_auc: String::new(),
        pr_auc: String::new(),
        base_rate: percent(page, (rate * 1000.0).round() / 1000.0),
        brier: String::new(),
        // Always saying the base rate b scores b(1 − b): the mark to beat.
        brier_base: page.num((rate * (1.0 - rate) * 1000.0).round() / 1000.0),
        folds: history::FOLDS,
        bands: Vec::new(),
        weights: Vec::new(),
    };
    if let Outcome::Fitted { evaluation: e, .. } = r.outcome {
        let three = |v: f64| page.num((v * 1000.0).round() / 1000.0);
        view.fitted_model = true;
        view.roc_auc = three(e.roc_auc);
        view.pr_auc = three(e.pr_auc);
        view.brier = three(e.brier);
        view.folds = e.folds.unwrap_or(history::FOLDS);
        view.bands = e
            .calibration
            .iter()
            .map(|b| Band {
                range: format!("{} – {}", percent(page, b.from), percent(page, b.to)),
                people: b.people,
                predicted: percent(page, (b.mean_predicted * 1000.0).round() / 1000.0),
                left: percent(page, (b.share_left * 1000.0).round() / 1000.0),
            })
            .collect();
        view.weights = e
            .strongest
            .iter()
            .map(|(name, w)| Weight {
                feature: feature_words(page, name),
                raises: *w > 0.0,
                weight: page.num((w.abs() * 100.0).round() / 100.0),
            })
            .collect();
    }
    view
}

async fn model_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    match st.app.flight_model().status(actor).await {
        Ok(s) => {
            let page = Page::for_user(actor, ctx, ctx.lang.t("flight-model-title"), "insights", "/signals/model");
            let run = s.latest.map(|r| run_view(&page, r));
            let p = ModelPage {
                page,
                run,
                months: history::HORIZON_MONTHS,
                min_leavers: history::MIN_LEAVERS,
                can_fit: s.can_fit,
                notice,
                errors,
            };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn model(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Query(q): Query<DoneQuery>) -> Response {
    let notice = q.done.as_deref().filter(|d| *d == "fitted").map(|_| ctx.lang.t("flight-model-done"));
    model_page(&st, &actor, &ctx, notice, vec![]).await
}

pub async fn fit(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    let fitted = st.app.flight_model().fit(&actor).await;
    settle(ctx.lang, fitted, "/signals/model?done=fitted".into(), |errors| model_page(&st, &actor, &ctx, None, errors))
        .await
}
