//! The flight-risk model's fits (SPEC I-4): each kept, the latest read.

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set};
use waymark_domain::flight_risk::history::{Fitted, ModelRun, Outcome};

use crate::entities::flight_model;
use crate::{StoreError, StoreResult};

fn count(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

pub async fn insert_run<C: ConnectionTrait>(c: &C, run: &ModelRun) -> StoreResult<()> {
    let (people, leavers) = run.outcome.counts();
    let (evaluation, model) = match &run.outcome {
        Outcome::Fitted { evaluation, fitted } => {
            let e = serde_json::to_string(evaluation).map_err(|_| StoreError::Corrupt("model evaluation"))?;
            let m = serde_json::to_string(fitted).map_err(|_| StoreError::Corrupt("fitted model"))?;
            (Some(e), Some(m))
        }
        Outcome::TooFew { .. } => (None, None),
    };
    flight_model::ActiveModel {
        id: Set(run.id),
        fitted_at: Set(run.fitted_at),
        fitted_by: Set(run.fitted_by),
        fitted_by_name: Set(run.fitted_by_name.clone()),
        as_of: Set(run.as_of),
        people: Set(count(people)),
        leavers: Set(count(leavers)),
        evaluation: Set(evaluation),
        model: Set(model),
    }
    .insert(c)
    .await?;
    Ok(())
}

/// The newest fit, if any ran.
pub async fn latest_run<C: ConnectionTrait>(c: &C) -> StoreResult<Option<ModelRun>> {
    let Some(m) = flight_model::Entity::find()
        .order_by_desc(flight_model::Column::FittedAt)
        .order_by_desc(flight_model::Column::Id)
        .one(c)
        .await?
    else {
        return Ok(None);
    };
    let outcome = match (m.evaluation, m.model) {
        (Some(e), Some(f)) => Outcome::Fitted {
            evaluation: serde_json::from_str(&e).map_err(|_| StoreError::Corrupt("model evaluation"))?,
            fitted: serde_json::from_str::<Fitted>(&f).map_err(|_| StoreError::Corrupt("fitted model"))?,
        },
        _ => Outcome::TooFew {
            people: usize::try_from(m.people).unwrap_or(0),
            leavers: usize::try_from(m.leavers).unwrap_or(0),
        },
    };
    Ok(Some(ModelRun {
        id: m.id,
        fitted_at: m.fitted_at,
        fitted_by: m.fitted_by,
        fitted_by_name: m.fitted_by_name,
        as_of: m.as_of,
        outcome,
    }))
}
