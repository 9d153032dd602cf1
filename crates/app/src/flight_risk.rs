//! Validating the flight-risk model on labelled files (SPEC I-4; issue 26, item 3): a table of
//! people with an outcome column (who left) and their features, read through the import's
//! capped reader (CSV in UTF-8 or GB18030, or XLSX), then cross-validated on the one file or
//! fitted on it and scored on a second. The model and its measures are the domain's.

use waymark_domain::flight_risk::features::Table;
use waymark_domain::flight_risk::logistic::FitError;
use waymark_domain::flight_risk::{self, EvalError, Evaluation};

use crate::import::{ReadLimits, read_table, sniff};
use crate::{AppError, AppResult};

/// What to validate: the training file, and the file to score on if any (else k-fold).
pub struct ModelCheck<'a> {
    pub train: (&'a [u8], &'a str),
    pub test: Option<(&'a [u8], &'a str)>,
    pub label: &'a str,
    pub positive: &'a str,
    pub folds: usize,
    /// Regularization strength (scikit-learn's C; smaller is stronger).
    pub c: f64,
}

/// The caps of a labelled file: a company's history of people is at most a few hundred
/// thousand rows of a few dozen columns.
pub fn limits(max_bytes: usize) -> ReadLimits {
    ReadLimits { max_rows: 1_000_000, ..ReadLimits::for_upload(max_bytes, 1_000_000) }
}

pub fn evaluate(check: &ModelCheck<'_>, limits: &ReadLimits) -> AppResult<Evaluation> {
    let train = labelled_table(check.train, limits)?;
    let evaluated = match check.test {
        None => flight_risk::cross_validate(&train, check.label, check.positive, check.folds, check.c),
        Some(file) => {
            let test = labelled_table(file, limits)?;
            flight_risk::held_out(&train, &test, check.label, check.positive, check.c)
        }
    };
    evaluated.map_err(|e| {
        let field = match e {
            EvalError::MissingInTest(_) => "test",
            EvalError::TooFewForFolds { .. } | EvalError::FoldsBelowTwo => "folds",
            EvalError::Fit(FitError::BadC) => "c",
            _ => "train",
        };
        AppError::field(field, "model", e.to_string())
    })
}

/// A file's first row as the column names, the rest as people.
fn labelled_table((bytes, name): (&[u8], &str), limits: &ReadLimits) -> AppResult<Table> {
    let mut rows = read_table(bytes, sniff(bytes, Some(name)), limits)?.rows.into_iter();
    let columns = rows.next().ok_or_else(|| AppError::field("train", "empty", format!("{name} is empty")))?;
    Ok(Table { columns: columns.into_iter().map(|c| c.trim().to_string()).collect(), rows: rows.collect() })
}
