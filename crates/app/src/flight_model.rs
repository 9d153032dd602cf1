//! The flight-risk model fitted on the organization's own history (SPEC I-4; issue 26, item
//! 3): the facts the signal rules read, as they stood a year ago for everyone then employed,
//! against who left within the year. Org-wide HR fits it on demand; the fit is validated by
//! k-fold before anyone reads a figure, refused on too few leavers (the signals keep to their
//! rules, and the page says so), kept with its figures, and audited. HR reads how far it can
//! be trusted: ROC-AUC, PR-AUC, Brier score, a calibration table and its strongest features.

use chrono::{Duration, NaiveTime};
use uuid::Uuid;
use waymark_domain::flight_risk::history::{self, ModelRun, Outcome};
use waymark_domain::flight_risk::{DEFAULT_C, EvalError};
use waymark_domain::signals::{self, Windows};
use waymark_store::repo::flight_model as repo;
use waymark_store::repo::signals::{self as signal_repo, Population};

use crate::audit::{entry, json};
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppError, AppResult};

/// The latest fit with what its reader may do.
#[derive(Debug, Clone)]
pub struct ModelStatus {
    pub latest: Option<ModelRun>,
    pub can_fit: bool,
}

pub struct FlightModelService<'a> {
    pub(crate) app: &'a App,
}

impl FlightModelService<'_> {
    /// Reads the history, validates and fits (or finds too few leavers), keeps the run.
    pub async fn fit(&self, actor: &Actor) -> AppResult<ModelRun> {
        if !allowed(actor, Action::Write, Resource::SignalModel, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let c = &self.app.db.conn;
        let now = self.app.clock.now();
        let today = self.app.today();
        let as_of = history::snapshot_date(today);
        let w = Windows::new(as_of);
        // Nothing recorded after the snapshot day counts among its facts.
        let end_of_day = (as_of + Duration::days(1)).and_time(NaiveTime::MIN).and_utc() - Duration::microseconds(1);
        let inputs = signal_repo::inputs(c, &w, end_of_day, Population::EmployedOn(as_of)).await?;
        let left = signal_repo::left_between(c, as_of, today).await?;
        let facts = signals::gather(inputs, &w);
        // Newton steps over every person of the history: CPU work, off the request threads.
        let outcome =
            tokio::task::spawn_blocking(move || history::fit(&history::table(&facts, &left, as_of), DEFAULT_C))
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?
                .map_err(fit_error)?;
        let run = ModelRun {
            id: Uuid::now_v7(),
            fitted_at: now,
            fitted_by: actor.user_id,
            fitted_by_name: actor.user_id.map(|_| actor.display_name.clone()),
            as_of,
            outcome,
        };
        let (people, leavers) = run.outcome.counts();
        let figures = match &run.outcome {
            Outcome::Fitted { evaluation: e, .. } => serde_json::json!({
                "as_of": as_of, "people": people, "leavers": leavers,
                "roc_auc": e.roc_auc, "pr_auc": e.pr_auc, "brier": e.brier,
            }),
            Outcome::TooFew { .. } => serde_json::json!({
                "as_of": as_of, "people": people, "leavers": leavers, "fitted": false,
            }),
        };
        let tx = self.app.db.begin_write().await?;
        repo::insert_run(&*tx, &run).await?;
        tx.audit(vec![entry(actor, now, "flight_model", run.id, None, "fit", None, json(&figures), None)]);
        tx.commit().await?;
        Ok(run)
    }

    /// Whether the actor may read the model's page (pages link to it only then).
    pub fn can_read(&self, actor: &Actor) -> bool {
        allowed(actor, Action::Read, Resource::SignalModel, Facts::default())
    }

    /// The latest fit, for HR (its figures are about the organization, never a person).
    pub async fn status(&self, actor: &Actor) -> AppResult<ModelStatus> {
        if !allowed(actor, Action::Read, Resource::SignalModel, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let latest = repo::latest_run(&self.app.db.conn).await?;
        Ok(ModelStatus { latest, can_fit: allowed(actor, Action::Write, Resource::SignalModel, Facts::default()) })
    }
}

/// A history that cannot be fitted is the data's state, said as such (the rules still stand).
fn fit_error(e: EvalError) -> AppError {
    AppError::field("history", "unfit", e.to_string())
}
