//! The flight-risk model on the organization's own history (SPEC I-4; issue 26, item 3).
//!
//! A snapshot a horizon ago: everyone who worked here then, with the facts the signal rules
//! read as they stood on that day (released results, own check-ins, 1:1s, feedback received,
//! time at the level, potential, learning) and whether they left within the horizon. That is
//! "people who left against people who stayed, with their features as they were months before
//! leaving". The model fitted on it scores today's people for the same horizon ahead, and each
//! person's score splits exactly into what each feature contributed.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::features::{Encoder, Table};
use super::logistic::Logistic;
use super::{EvalError, Evaluation, cross_validate_fitted};
use crate::signals::facts::months_between;
use crate::signals::{ModelEstimate, ModelPart, PersonFacts};

/// How far ahead the model looks: who left within this many months of the snapshot.
pub const HORIZON_MONTHS: u32 = 12;
/// Below this many leavers (or stayers) in the history a fit would learn noise: the signals
/// keep to their rules, and the page says so.
pub const MIN_LEAVERS: usize = 30;
/// The folds of the validation shown to HR.
pub const FOLDS: usize = 5;
/// The outcome column of the history table.
pub const LABEL: &str = "left";
const YES: &str = "yes";
const NO: &str = "no";
/// The level column's value for someone without a level.
pub const NO_LEVEL: &str = "—";

/// The features, by code, in the table's order; pages word each (`model-feature-<code>`).
pub const FEATURES: [&str; 15] = [
    "tenure_months",
    "months_at_level",
    "months_over_peers",
    "level",
    "has_result",
    "result",
    "result_change",
    "check_ins_recent",
    "check_ins_earlier",
    "one_on_ones_held",
    "one_on_ones_cancelled",
    "feedback_received",
    "feedback_critical",
    "recognition",
    "potential",
];

/// The features that are categories whatever their values look like.
const CATEGORIES: [&str; 2] = ["level", "potential"];

/// A model feature's name as its column and, for a category, its value (`potential=high`).
pub fn split_feature(name: &str) -> (&str, Option<&str>) {
    match name.split_once('=') {
        Some((column, value)) => (column, Some(value)),
        None => (name, None),
    }
}

/// The day the history is read as of: a horizon before `today`.
pub fn snapshot_date(today: NaiveDate) -> NaiveDate {
    today.checked_sub_months(Months::new(HORIZON_MONTHS)).unwrap_or(today)
}

/// One person's features on `as_of`, as the table holds them (numbers as text, categories as
/// codes), in [`FEATURES`] order.
pub fn features(f: &PersonFacts, as_of: NaiveDate) -> Vec<String> {
    let tenure = f.hired.map_or(0, |h| months_between(h, as_of));
    let at_level = f.at_level_since.map_or(0, |s| months_between(s, as_of));
    let over_peers = f.peer_median_months.map_or(0, |(median, _)| i64::from(at_level) - i64::from(median));
    let latest = f.released.last().map(|r| r.score_bp);
    let change = match f.released.as_slice() {
        [.., before, last] => last.score_bp - before.score_bp,
        _ => 0,
    };
    let potential = match f.potential {
        None => "none",
        Some((level, _)) if level <= 0 => "low",
        Some((1, _)) => "medium",
        Some(_) => "high",
    };
    let received = f.feedback_recent.total + f.feedback_earlier.total;
    let critical = f.feedback_recent.critical + f.feedback_earlier.critical;
    let recognition = f.feedback_recent.recognition + f.feedback_earlier.recognition;
    vec![
        tenure.to_string(),
        at_level.to_string(),
        over_peers.to_string(),
        f.level.clone().filter(|l| !l.trim().is_empty()).unwrap_or_else(|| NO_LEVEL.into()),
        u8::from(latest.is_some()).to_string(),
        // Out of 100, as people read scores; 0 where there is none (`has_result` tells).
        (f64::from(latest.unwrap_or(0)) / 100.0).to_string(),
        (f64::from(change) / 100.0).to_string(),
        f.check_ins_recent.to_string(),
        f.check_ins_earlier.to_string(),
        f.one_on_ones_held.to_string(),
        f.one_on_ones_cancelled.to_string(),
        received.to_string(),
        critical.to_string(),
        recognition.to_string(),
        potential.into(),
    ]
}

/// The history as a table: one row per person (in the order of their ids, so the same history
/// always gives the same folds), the last column whether they left.
pub fn table(facts: &HashMap<Uuid, PersonFacts>, left: &HashSet<Uuid>, as_of: NaiveDate) -> Table {
    let mut ids: Vec<&Uuid> = facts.keys().collect();
    ids.sort();
    let rows = ids
        .into_iter()
        .map(|id| {
            let mut row = features(&facts[id], as_of);
            row.push(if left.contains(id) { YES } else { NO }.into());
            row
        })
        .collect();
    Table { columns: columns(), rows }
}

/// The history table's columns: the features, then the outcome.
fn columns() -> Vec<String> {
    FEATURES.iter().copied().chain([LABEL]).map(String::from).collect()
}

/// A model fitted on the whole history, with the encoding of its features.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fitted {
    pub model: Logistic,
    pub encoder: Encoder,
}

/// What a fit on the history came to.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Validated by k-fold and fitted on everyone.
    Fitted { evaluation: Evaluation, fitted: Fitted },
    /// Too few leavers or stayers to learn from: the rules alone stand.
    TooFew { people: usize, leavers: usize },
}

/// Validates and fits on the history table, or says it is too small.
pub fn fit(table: &Table, c: f64) -> Result<Outcome, EvalError> {
    let leavers = table.rows.iter().filter(|r| r.last().is_some_and(|v| v == YES)).count();
    let people = table.rows.len();
    if leavers.min(people - leavers) < MIN_LEAVERS {
        return Ok(Outcome::TooFew { people, leavers });
    }
    let (evaluation, model, encoder) = cross_validate_fitted(table, LABEL, YES, FOLDS, c, &CATEGORIES)?;
    Ok(Outcome::Fitted { evaluation, fitted: Fitted { model, encoder } })
}

impl Outcome {
    /// How many people the history held, and how many of them left.
    pub fn counts(&self) -> (usize, usize) {
        match self {
            Outcome::Fitted { evaluation, .. } => (evaluation.people, evaluation.leavers),
            Outcome::TooFew { people, leavers } => (*people, *leavers),
        }
    }
}

/// One fit, as kept: when, by whom (none for the nightly sweep), the snapshot day it read.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelRun {
    pub id: Uuid,
    pub fitted_at: DateTime<Utc>,
    pub fitted_by: Option<Uuid>,
    pub fitted_by_name: Option<String>,
    pub as_of: NaiveDate,
    pub outcome: Outcome,
}

/// One person's score and what each feature contributed to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explained {
    /// The chance of leaving within the horizon.
    pub probability: f64,
    /// The log-odds of someone at the history's averages; with every contribution it adds up
    /// to the person's log-odds.
    pub baseline: f64,
    /// Each feature's part of the log-odds (a category: the part of the person's value),
    /// largest first by size; the person's value as the table holds it.
    pub parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Part {
    pub feature: String,
    pub value: String,
    pub log_odds: f64,
}

impl Fitted {
    /// Scores one person's features (in [`FEATURES`] order).
    pub fn explain(&self, features: Vec<String>) -> Result<Explained, EvalError> {
        let mut row = features.clone();
        row.push(NO.into());
        let one = Table { columns: columns(), rows: vec![row] };
        let x = self.encoder.row(&one, 0)?;
        let each = self.model.contributions(&x);
        // The encoded features map back to their columns in order: a measure is one, a
        // category as many as its values (only the person's own is non-zero).
        let widths = self.encoder.widths();
        let mut parts = Vec::with_capacity(FEATURES.len());
        let mut at = 0;
        for (i, width) in widths.into_iter().enumerate() {
            let log_odds: f64 = each[at..at + width].iter().sum();
            at += width;
            parts.push(Part { feature: FEATURES[i].into(), value: features[i].clone(), log_odds });
        }
        parts.sort_by(|a, b| b.log_odds.abs().total_cmp(&a.log_odds.abs()).then_with(|| a.feature.cmp(&b.feature)));
        Ok(Explained { probability: self.model.probability(&x), baseline: self.model.intercept, parts })
    }
}

/// How many of the features that raised an estimate most it names.
const RAISING: usize = 3;

impl Explained {
    /// As a signal's fact: the chance and the history's rate in whole percents, and the
    /// features that raised the chance most (only those that raised it).
    pub fn estimate(&self, people: usize, leavers: usize) -> ModelEstimate {
        // Whole percents from 1 to 99: a model learned from others' history is never certain,
        // and "0 %" or "100 %" would say it is.
        let whole = |share: f64| (share * 100.0).round().clamp(1.0, 99.0) as u32;
        let rate = if people == 0 { 0.0 } else { leavers as f64 / people as f64 };
        let mut raising: Vec<&Part> = self.parts.iter().filter(|p| p.log_odds > 0.0).collect();
        raising.sort_by(|a, b| b.log_odds.total_cmp(&a.log_odds).then_with(|| a.feature.cmp(&b.feature)));
        ModelEstimate {
            percent: whole(self.probability),
            base_percent: whole(rate),
            people: u32::try_from(people).unwrap_or(u32::MAX),
            leavers: u32::try_from(leavers).unwrap_or(u32::MAX),
            raising: raising
                .into_iter()
                .take(RAISING)
                .map(|p| ModelPart {
                    feature: p.feature.clone(),
                    value: p.value.clone(),
                    hundredths: (p.log_odds * 100.0).round() as i32,
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signals::{FeedbackTally, Released};

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn i4_the_snapshot_is_a_horizon_back_and_features_read_as_of_it() {
        let as_of = snapshot_date(day(2026, 12, 7));
        assert_eq!(as_of, day(2025, 12, 7));
        let f = PersonFacts {
            hired: Some(day(2022, 12, 8)),
            at_level_since: Some(day(2024, 6, 7)),
            peer_median_months: Some((12, 7)),
            level: Some("P5".into()),
            released: vec![
                Released { cycle: "H1".into(), on: day(2025, 1, 10), score_bp: 8_250 },
                Released { cycle: "H2".into(), on: day(2025, 7, 10), score_bp: 7_000 },
            ],
            check_ins_recent: 2,
            check_ins_earlier: 6,
            one_on_ones_held: 1,
            one_on_ones_cancelled: 3,
            feedback_recent: FeedbackTally { total: 4, critical: 2, recognition: 1 },
            feedback_earlier: FeedbackTally { total: 3, critical: 0, recognition: 3 },
            potential: Some((2, day(2025, 7, 1))),
            learning_done: 0,
            work: Default::default(),
            manager_changed: None,
        };
        // Hired 2022-12-08: 35 whole months by 2025-12-07 (the 36th comes on the 8th); at
        // level since 2024-06-07: 18 months, 6 over the peers' median of 12; results 70 after
        // 82.5: a change of −12.5; feedback 7 in both windows, 2 critical, 4 recognition.
        assert_eq!(
            features(&f, as_of),
            ["35", "18", "6", "P5", "1", "70", "-12.5", "2", "6", "1", "3", "7", "2", "4", "high"]
        );
        let none = features(&PersonFacts::default(), as_of);
        assert_eq!(none, ["0", "0", "0", NO_LEVEL, "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "none"]);
    }

    /// A history where leaving follows cancelled 1:1s up and results down by known effects,
    /// check-ins noise: the fit must recover the signs, and contributions add up.
    #[test]
    fn i4_a_fit_on_a_synthetic_history_recovers_known_effects_and_explains_exactly() {
        let mut state = 7u64;
        let mut next = move || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        let as_of = day(2025, 12, 7);
        let mut facts = HashMap::new();
        let mut left = HashSet::new();
        for i in 0..1500u128 {
            let cancelled = (next() * 5.0).floor() as u32;
            let score = 5_000 + (next() * 5_000.0) as i32;
            let f = PersonFacts {
                hired: Some(day(2020, 1, 1)),
                at_level_since: Some(day(2023, 1, 1)),
                level: Some(if next() < 0.5 { "P4" } else { "P5" }.into()),
                released: vec![Released { cycle: "H2".into(), on: day(2025, 7, 1), score_bp: score }],
                one_on_ones_cancelled: cancelled,
                check_ins_recent: (next() * 10.0) as u32,
                ..PersonFacts::default()
            };
            let log_odds = -1.5 + 0.6 * (f64::from(cancelled) - 2.0) - 0.0006 * f64::from(score - 7_500);
            if next() < 1.0 / (1.0 + (-log_odds).exp()) {
                left.insert(Uuid::from_u128(i));
            }
            facts.insert(Uuid::from_u128(i), f);
        }
        let t = table(&facts, &left, as_of);
        let Outcome::Fitted { evaluation, fitted } = fit(&t, super::super::DEFAULT_C).unwrap() else {
            panic!("enough leavers to fit");
        };
        assert_eq!((evaluation.folds, evaluation.people), (Some(FOLDS), 1500));
        assert!(evaluation.roc_auc > 0.7, "{}", evaluation.roc_auc);
        let weight =
            |name: &str| fitted.encoder.names().iter().position(|n| n == name).map(|i| fitted.model.weights[i]);
        assert!(weight("one_on_ones_cancelled").unwrap() > 0.0);
        assert!(weight("result").unwrap() < 0.0);
        assert!(weight("check_ins_recent").unwrap().abs() < weight("one_on_ones_cancelled").unwrap().abs());

        let someone = facts[&Uuid::from_u128(3)].clone();
        let x = features(&someone, as_of);
        let e = fitted.explain(x).unwrap();
        // Exact: the baseline and the parts add up to the log-odds of the probability.
        let sum = e.baseline + e.parts.iter().map(|p| p.log_odds).sum::<f64>();
        assert!((1.0 / (1.0 + (-sum).exp()) - e.probability).abs() < 1e-12);
        assert_eq!(e.parts.len(), FEATURES.len());
        assert!(e.parts.windows(2).all(|w| w[0].log_odds.abs() >= w[1].log_odds.abs()));
        // As a signal's fact: whole percents, the rate of the history, only raising parts.
        let m = e.estimate(1500, 300);
        assert_eq!((m.base_percent, m.people, m.leavers), (20, 1500, 300));
        assert_eq!(m.percent, (e.probability * 100.0).round() as u32);
        assert!(m.raising.len() <= 3 && m.raising.iter().all(|p| p.hundredths >= 0));
    }

    #[test]
    fn i4_too_few_leavers_is_said_not_fitted() {
        let as_of = day(2025, 12, 7);
        let facts: HashMap<Uuid, PersonFacts> =
            (0..100u128).map(|i| (Uuid::from_u128(i), PersonFacts::default())).collect();
        let left: HashSet<Uuid> = (0..29u128).map(Uuid::from_u128).collect();
        assert_eq!(fit(&table(&facts, &left, as_of), 0.5).unwrap(), Outcome::TooFew { people: 100, leavers: 29 });
    }
}
