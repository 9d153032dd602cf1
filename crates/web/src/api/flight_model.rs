//! The flight-risk model on the organization's history (SPEC I-4; issue 26, item 3): its
//! latest fit with the validation figures HR judges it by, and fitting it again.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_app::flight_model::ModelStatus;
use waymark_domain::flight_risk::history::{self, ModelRun, Outcome};

use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

#[derive(Debug, Serialize, ToSchema)]
pub struct CalibrationBandOut {
    /// The band of predicted probabilities, [from, to).
    pub from: f64,
    pub to: f64,
    pub people: usize,
    pub mean_predicted: f64,
    /// The share of the band's people who left.
    pub share_left: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeatureWeightOut {
    /// The feature's code (e.g. months_at_level, potential).
    pub feature: String,
    /// For a category, the value the weight is for (e.g. high); none for a measure.
    pub value: Option<String>,
    /// The weight on the standardized feature: above 0 raises the chance of leaving.
    pub weight: f64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModelValidationOut {
    pub folds: Option<usize>,
    pub roc_auc: f64,
    pub pr_auc: f64,
    pub brier: f64,
    pub calibration: Vec<CalibrationBandOut>,
    /// The strongest features of the model fitted on everyone, largest weight first.
    pub strongest: Vec<FeatureWeightOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModelRunOut {
    pub id: Uuid,
    pub fitted_at: DateTime<Utc>,
    /// Who asked for it; none for the system.
    pub fitted_by: Option<String>,
    /// The snapshot day: features as they stood then, leaving counted in the months after.
    pub as_of: NaiveDate,
    pub horizon_months: u32,
    pub people: usize,
    pub leavers: usize,
    /// Leavers (and stayers) needed at least to fit.
    pub min_leavers: usize,
    /// Whether a model was fitted; if not, the signals keep to their rules.
    pub fitted: bool,
    pub validation: Option<ModelValidationOut>,
}

impl From<ModelRun> for ModelRunOut {
    fn from(r: ModelRun) -> Self {
        let (people, leavers) = r.outcome.counts();
        let validation = match r.outcome {
            Outcome::Fitted { evaluation: e, .. } => Some(ModelValidationOut {
                folds: e.folds,
                roc_auc: e.roc_auc,
                pr_auc: e.pr_auc,
                brier: e.brier,
                calibration: e
                    .calibration
                    .into_iter()
                    .map(|b| CalibrationBandOut {
                        from: b.from,
                        to: b.to,
                        people: b.people,
                        mean_predicted: b.mean_predicted,
                        share_left: b.share_left,
                    })
                    .collect(),
                strongest: e
                    .strongest
                    .into_iter()
                    .map(|(name, weight)| {
                        let (feature, value) = history::split_feature(&name);
                        FeatureWeightOut { feature: feature.into(), value: value.map(String::from), weight }
                    })
                    .collect(),
            }),
            Outcome::TooFew { .. } => None,
        };
        ModelRunOut {
            id: r.id,
            fitted_at: r.fitted_at,
            fitted_by: r.fitted_by_name,
            as_of: r.as_of,
            horizon_months: history::HORIZON_MONTHS,
            people,
            leavers,
            min_leavers: history::MIN_LEAVERS,
            fitted: validation.is_some(),
            validation,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ModelStatusOut {
    /// The latest fit; none before the first.
    pub latest: Option<ModelRunOut>,
    /// Whether the caller may fit it again (org-wide HR).
    pub can_fit: bool,
}

impl From<ModelStatus> for ModelStatusOut {
    fn from(s: ModelStatus) -> Self {
        ModelStatusOut { latest: s.latest.map(Into::into), can_fit: s.can_fit }
    }
}

/// The flight-risk model's latest fit and its validation (HR).
#[utoipa::path(get, path = "/api/v1/signals/model", tag = "signals",
    responses((status = 200, body = ModelStatusOut), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn status(State(st): State<AppState>, ApiUser(actor): ApiUser) -> Result<Json<ModelStatusOut>, ApiError> {
    Ok(Json(st.app.flight_model().status(&actor).await?.into()))
}

/// Fits the model on the organization's history now, validated by k-fold (org-wide HR). Too
/// few leavers: kept as such, nothing fitted.
#[utoipa::path(post, path = "/api/v1/signals/model/fit", tag = "signals",
    responses((status = 200, body = ModelRunOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn fit(State(st): State<AppState>, ApiUser(actor): ApiUser) -> Result<Json<ModelRunOut>, ApiError> {
    Ok(Json(st.app.flight_model().fit(&actor).await?.into()))
}
