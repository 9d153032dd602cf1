//! The flight-risk model and how it is validated (SPEC I-4; issue 26, item 3): a regularized
//! logistic regression over a labelled table of people (who left, who stayed, their features),
//! measured by k-fold cross-validation or on rows it never saw, never claimed.

pub mod features;
pub mod history;
pub mod logistic;
pub mod metrics;

use features::{Encoder, Table, TableError};
use logistic::{FitError, Logistic};
use metrics::CalibrationBin;

/// scikit-learn's regularization strength for the reference figure on the IBM file
/// (../shared/data/README.md): the same objective, so the same meaning.
pub const DEFAULT_C: f64 = 0.5;

/// How a model did on people it was not fitted on.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Evaluation {
    /// Folds of the cross-validation; None when scored on a separate table.
    pub folds: Option<usize>,
    /// People scored and, of them, leavers.
    pub people: usize,
    pub leavers: usize,
    /// Each the mean over the folds (one value when scored on a separate table).
    pub roc_auc: f64,
    pub pr_auc: f64,
    pub brier: f64,
    /// Over every scored person (each scored by the model that did not see them).
    pub calibration: Vec<CalibrationBin>,
    /// The model fitted on all the training rows: its features by the size of their weight,
    /// largest first (on standardized features, so sizes compare).
    pub strongest: Vec<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    #[error(transparent)]
    Table(#[from] TableError),
    #[error(transparent)]
    Fit(#[from] FitError),
    #[error("{folds} folds need at least {folds} people of each outcome; there are {fewest}")]
    TooFewForFolds { folds: usize, fewest: usize },
    #[error("cross-validation needs at least 2 folds")]
    FoldsBelowTwo,
    #[error("the second table lacks the column \"{0}\"")]
    MissingInTest(String),
}

/// How many of the strongest features an evaluation names.
const STRONGEST: usize = 10;
/// Bands of the calibration table.
const CALIBRATION_BINS: usize = 10;

/// Stratified k-fold cross-validation on one table: the people of each outcome dealt to the
/// folds in turn (in the table's order, so the same file always gives the same figures), each
/// fold scored by a model fitted, with its own encoding, on the others.
pub fn cross_validate(
    table: &Table,
    label: &str,
    positive: &str,
    folds: usize,
    c: f64,
) -> Result<Evaluation, EvalError> {
    cross_validate_fitted(table, label, positive, folds, c, &[]).map(|(e, _, _)| e)
}

/// [`cross_validate`], also giving the model fitted on every row and its encoding; the columns
/// named in `categorical` are categories whatever they hold.
pub fn cross_validate_fitted(
    table: &Table,
    label: &str,
    positive: &str,
    folds: usize,
    c: f64,
    categorical: &[&str],
) -> Result<(Evaluation, Logistic, Encoder), EvalError> {
    if folds < 2 {
        return Err(EvalError::FoldsBelowTwo);
    }
    let labelled = table.labelled(label, positive)?;
    let y = &labelled.outcome;
    let leavers = y.iter().filter(|v| **v).count();
    let fewest = leavers.min(y.len() - leavers);
    if fewest < folds {
        return Err(EvalError::TooFewForFolds { folds, fewest });
    }
    let mut fold_of = vec![0usize; y.len()];
    let (mut pos, mut neg) = (0usize, 0usize);
    for (i, outcome) in y.iter().enumerate() {
        let n = if *outcome { &mut pos } else { &mut neg };
        fold_of[i] = *n % folds;
        *n += 1;
    }
    let mut scored_all = Vec::with_capacity(y.len());
    let (mut roc, mut pr, mut brier) = (0.0, 0.0, 0.0);
    for f in 0..folds {
        let train: Vec<usize> = (0..y.len()).filter(|i| fold_of[*i] != f).collect();
        let test: Vec<usize> = (0..y.len()).filter(|i| fold_of[*i] == f).collect();
        let (model, encoder) = fit_rows(table, &labelled.features, y, &train, c, categorical)?;
        let scored = score_rows(&model, &encoder, table, y, &test)?;
        // Each fold holds both outcomes (at least one of each was dealt to it).
        roc += metrics::roc_auc(&scored).unwrap_or(0.5);
        pr += metrics::pr_auc(&scored).unwrap_or(0.0);
        brier += metrics::brier(&scored).unwrap_or(0.0);
        scored_all.extend(scored);
    }
    let k = folds as f64;
    let all: Vec<usize> = (0..y.len()).collect();
    let (model, encoder) = fit_rows(table, &labelled.features, y, &all, c, categorical)?;
    let evaluation = Evaluation {
        folds: Some(folds),
        people: y.len(),
        leavers,
        roc_auc: roc / k,
        pr_auc: pr / k,
        brier: brier / k,
        calibration: metrics::calibration(&scored_all, CALIBRATION_BINS),
        strongest: strongest(&model, &encoder),
    };
    Ok((evaluation, model, encoder))
}

/// Fitted on `train`, scored on `test` (the same columns, in any order).
pub fn held_out(train: &Table, test: &Table, label: &str, positive: &str, c: f64) -> Result<Evaluation, EvalError> {
    let labelled = train.labelled(label, positive)?;
    let test = reorder_like(train, test)?;
    let test_labels = test.labelled(label, positive)?;
    let all: Vec<usize> = (0..labelled.outcome.len()).collect();
    let (model, encoder) = fit_rows(train, &labelled.features, &labelled.outcome, &all, c, &[])?;
    let rows: Vec<usize> = (0..test_labels.outcome.len()).collect();
    let scored = score_rows(&model, &encoder, &test, &test_labels.outcome, &rows)?;
    let strongest = strongest(&model, &encoder);
    Ok(Evaluation {
        folds: None,
        people: scored.len(),
        leavers: test_labels.outcome.iter().filter(|v| **v).count(),
        roc_auc: metrics::roc_auc(&scored).unwrap_or(0.5),
        pr_auc: metrics::pr_auc(&scored).unwrap_or(0.0),
        brier: metrics::brier(&scored).unwrap_or(0.0),
        calibration: metrics::calibration(&scored, CALIBRATION_BINS),
        strongest,
    })
}

fn fit_rows(
    table: &Table,
    features: &[usize],
    y: &[bool],
    rows: &[usize],
    c: f64,
    categorical: &[&str],
) -> Result<(Logistic, Encoder), EvalError> {
    let encoder = Encoder::fit(table, features, rows, categorical)?;
    let x = rows.iter().map(|r| encoder.row(table, *r)).collect::<Result<Vec<_>, _>>()?;
    let outcomes: Vec<bool> = rows.iter().map(|r| y[*r]).collect();
    Ok((Logistic::fit(&x, &outcomes, c)?, encoder))
}

fn score_rows(
    model: &Logistic,
    encoder: &Encoder,
    table: &Table,
    y: &[bool],
    rows: &[usize],
) -> Result<Vec<(f64, bool)>, EvalError> {
    rows.iter().map(|r| Ok((model.probability(&encoder.row(table, *r)?), y[*r]))).collect()
}

/// The model's features by the size of their weight, largest first.
fn strongest(model: &Logistic, encoder: &Encoder) -> Vec<(String, f64)> {
    let mut named: Vec<(String, f64)> = encoder.names().into_iter().zip(model.weights.iter().copied()).collect();
    named.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then_with(|| a.0.cmp(&b.0)));
    named.truncate(STRONGEST);
    named
}

/// `test` with its columns in `train`'s order (extra columns dropped).
fn reorder_like(train: &Table, test: &Table) -> Result<Table, EvalError> {
    let at: Vec<usize> = train
        .columns
        .iter()
        .map(|c| test.columns.iter().position(|t| t == c).ok_or_else(|| EvalError::MissingInTest(c.clone())))
        .collect::<Result<_, _>>()?;
    test.check_rows()?;
    Ok(Table {
        columns: train.columns.clone(),
        rows: test.rows.iter().map(|r| at.iter().map(|i| r[*i].clone()).collect()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A made-up history where leaving follows overtime and short tenure by known effects, the
    /// rest noise from a fixed generator: the fit must recover the signs.
    fn synthetic(n: usize) -> Table {
        let mut state = 42u64;
        let mut next = move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let mut rows = Vec::new();
        for _ in 0..n {
            let overtime = next() < 0.3;
            let tenure = (next() * 10.0).floor();
            let noise = next() * 100.0;
            let log_odds = -2.0 + if overtime { 1.5 } else { 0.0 } - 0.3 * (tenure - 5.0);
            let left = next() < 1.0 / (1.0 + (-log_odds).exp());
            rows.push(vec![
                if overtime { "Yes" } else { "No" }.to_string(),
                tenure.to_string(),
                format!("{noise:.1}"),
                if left { "Yes" } else { "No" }.to_string(),
            ]);
        }
        Table { columns: vec!["OverTime".into(), "Tenure".into(), "Noise".into(), "Left".into()], rows }
    }

    #[test]
    fn i4_the_fit_recovers_the_signs_of_known_effects_and_validates_above_chance() {
        let t = synthetic(2000);
        let e = cross_validate(&t, "Left", "Yes", 5, DEFAULT_C).unwrap();
        assert_eq!(e.folds, Some(5));
        assert_eq!(e.people, 2000);
        let weight = |name: &str| e.strongest.iter().find(|(n, _)| n == name).map(|(_, w)| *w).unwrap();
        assert!(weight("OverTime=Yes") > 0.0 && weight("OverTime=No") < 0.0);
        assert!(weight("Tenure") < 0.0);
        assert!(weight("Noise").abs() < weight("Tenure").abs());
        assert!(e.roc_auc > 0.7, "{}", e.roc_auc);
        // Calibrated: every band's people add up, and the scored people are all the people.
        assert_eq!(e.calibration.iter().map(|b| b.people).sum::<usize>(), 2000);
    }

    #[test]
    fn i4_scoring_on_a_second_table_uses_its_columns_by_name() {
        let train = synthetic(600);
        let mut test = synthetic(300);
        // The same columns in another order.
        test.columns.reverse();
        for r in &mut test.rows {
            r.reverse();
        }
        let e = held_out(&train, &test, "Left", "Yes", DEFAULT_C).unwrap();
        assert_eq!((e.folds, e.people), (None, 300));
        test.columns[0] = "Gone".into();
        assert_eq!(
            held_out(&train, &test, "Left", "Yes", DEFAULT_C).unwrap_err(),
            EvalError::MissingInTest("Left".into())
        );
    }

    #[test]
    fn i4_too_few_people_of_an_outcome_for_the_folds_is_said() {
        let t = Table {
            columns: vec!["x".into(), "y".into()],
            rows: vec![
                vec!["1".into(), "Y".into()],
                vec!["2".into(), "N".into()],
                vec!["3".into(), "N".into()],
                vec!["4".into(), "N".into()],
            ],
        };
        assert_eq!(
            cross_validate(&t, "y", "Y", 2, 1.0).unwrap_err(),
            EvalError::TooFewForFolds { folds: 2, fewest: 1 }
        );
        assert_eq!(cross_validate(&t, "y", "Y", 1, 1.0).unwrap_err(), EvalError::FoldsBelowTwo);
    }
}
