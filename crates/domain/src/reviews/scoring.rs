//! How a review's score is computed (V-3), and the record of how it was: every input with the
//! parts it came from, the formula, the result and its grade. Scores are on 0–100.
//!
//! - `goals`: the weighted achievement of the person's goals of the period (G-14), each goal
//!   capped at `GOAL_CAP` % so that one runaway KPI cannot carry a review.
//! - `competencies`, `values`, `skills`, `environment`: each rated section, per reviewer the
//!   weighted mean of its items placed on 0–100 by the scale, then combined over the sources
//!   (self, manager, peers, upward) with the template's source weights; peers first averaged.
//! - `self`, `manager`, `peers`, `upward`: each source's own mean over the rated sections.
//!
//! A source that gave no review (no peers nominated, say) leaves the weights of the others,
//! renormalized; a variable the formula needs and nobody provided makes the score incomplete,
//! with the reason, rather than a number made up.

use serde::{Deserialize, Serialize};

use super::formula::{Formula, FormulaError};
use super::grades::GradeBands;
use super::scale::RatingScale;
use crate::goals::weights::{Weighted, normalized};

pub const GOAL_CAP: f64 = 150.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    #[serde(rename = "self")]
    SelfReview,
    Manager,
    Peers,
    Upward,
}

impl Source {
    pub const ALL: [Source; 4] = [Source::SelfReview, Source::Manager, Source::Peers, Source::Upward];
    pub fn code(self) -> &'static str {
        match self {
            Source::SelfReview => "self",
            Source::Manager => "manager",
            Source::Peers => "peers",
            Source::Upward => "upward",
        }
    }
    pub fn parse(s: &str) -> Option<Source> {
        Source::ALL.into_iter().find(|x| x.code() == s)
    }
}

/// The rated kinds of section, as the formula names them.
pub const RATED_SECTIONS: [&str; 4] = ["competencies", "values", "skills", "environment"];

/// Weights of the sources in percent; they must add up to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SourceWeights {
    pub self_review: u32,
    pub manager: u32,
    pub peers: u32,
    pub upward: u32,
}

impl Default for SourceWeights {
    fn default() -> Self {
        SourceWeights { self_review: 10, manager: 70, peers: 20, upward: 0 }
    }
}

impl SourceWeights {
    pub fn of(&self, s: Source) -> u32 {
        match s {
            Source::SelfReview => self.self_review,
            Source::Manager => self.manager,
            Source::Peers => self.peers,
            Source::Upward => self.upward,
        }
    }
    /// The total when it is not 100 (summed wide: any four numbers may arrive).
    pub fn check(&self) -> Result<(), u64> {
        let total = Source::ALL.iter().map(|s| self.of(*s) as u64).sum::<u64>();
        if total == 100 { Ok(()) } else { Err(total) }
    }
}

/// One rated item as a reviewer rated it.
#[derive(Debug, Clone, Copy)]
pub struct ItemRating {
    /// The item's weight within its section in percent (`None`: shares what is left).
    pub weight: Option<f64>,
    pub value: i32,
}

/// A reviewer's section on 0–100: the items' weighted mean placed on the scale. `None` when
/// nothing was rated.
pub fn section_score(scale: &RatingScale, items: &[ItemRating]) -> Option<f64> {
    if items.is_empty() {
        return None;
    }
    let shares = normalized(&items.iter().map(|i| Weighted { percent: i.weight, archived: false }).collect::<Vec<_>>());
    Some(round2(items.iter().zip(shares).map(|(i, s)| s * scale.to_percent(i.value)).sum()))
}

/// A goal of the period as the review sees it.
#[derive(Debug, Clone)]
pub struct GoalInput {
    pub title: String,
    pub weight: Option<f64>,
    /// Achievement in percent (G-14 progress).
    pub achievement: f64,
}

/// A reviewer's sections, already scored.
#[derive(Debug, Clone)]
pub struct SourceScores {
    pub source: Source,
    /// (section kind, score 0–100).
    pub sections: Vec<(&'static str, f64)>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Part {
    /// A goal's title, a source's code or a section's kind.
    pub label: String,
    pub value: f64,
    /// Its share of the input, 0–1.
    pub share: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Input {
    pub variable: String,
    /// `None`: nobody provided it.
    pub value: Option<f64>,
    pub parts: Vec<Part>,
}

/// A computed score and how.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Explanation {
    pub formula: String,
    pub inputs: Vec<Input>,
    /// The formula's value (rounded to 0.01); `None` while an input it needs is missing.
    pub score: Option<f64>,
    pub grade: Option<String>,
    /// The variables the formula needs and nobody has provided yet.
    pub missing: Vec<String>,
}

/// Computes every input, evaluates the formula and maps the result to a grade.
pub fn score(
    formula: &Formula,
    weights: &SourceWeights,
    bands: &GradeBands,
    goals: &[GoalInput],
    reviews: &[SourceScores],
) -> Result<Explanation, FormulaError> {
    let mut inputs = vec![goal_input(goals)];
    for section in RATED_SECTIONS {
        inputs.push(section_input(section, weights, reviews));
    }
    for source in Source::ALL {
        inputs.push(source_input(source, reviews));
    }
    let missing: Vec<String> = formula
        .variables()
        .iter()
        .filter(|v| inputs.iter().any(|i| i.variable == **v && i.value.is_none()))
        .map(|v| v.to_string())
        .collect();
    let (score, grade) = if missing.is_empty() {
        let values: Vec<(&str, f64)> =
            inputs.iter().filter_map(|i| i.value.map(|v| (i.variable.as_str(), v))).collect();
        let s = round2(formula.eval(&values)?);
        (Some(s), Some(bands.grade_of(s).to_string()))
    } else {
        (None, None)
    };
    Ok(Explanation { formula: formula.text().to_string(), inputs, score, grade, missing })
}

fn goal_input(goals: &[GoalInput]) -> Input {
    if goals.is_empty() {
        return Input { variable: "goals".into(), value: None, parts: vec![] };
    }
    let shares = normalized(&goals.iter().map(|g| Weighted { percent: g.weight, archived: false }).collect::<Vec<_>>());
    let parts: Vec<Part> = goals
        .iter()
        .zip(shares)
        .map(|(g, share)| Part { label: g.title.clone(), value: g.achievement.clamp(0.0, GOAL_CAP), share })
        .collect();
    let value = round2(parts.iter().map(|p| p.value * p.share).sum());
    Input { variable: "goals".into(), value: Some(value), parts }
}

/// One source's mean for a section; peers (several reviews) averaged first.
fn source_section(source: Source, section: &str, reviews: &[SourceScores]) -> Option<f64> {
    mean(
        reviews
            .iter()
            .filter(|r| r.source == source)
            .filter_map(|r| r.sections.iter().find(|(k, _)| *k == section).map(|(_, v)| *v)),
    )
}

fn section_input(section: &'static str, weights: &SourceWeights, reviews: &[SourceScores]) -> Input {
    let present: Vec<(Source, f64, f64)> = Source::ALL
        .iter()
        .filter_map(|s| source_section(*s, section, reviews).map(|v| (*s, v, weights.of(*s) as f64)))
        .filter(|(_, _, w)| *w > 0.0)
        .collect();
    let total: f64 = present.iter().map(|(_, _, w)| w).sum();
    if present.is_empty() || total <= 0.0 {
        return Input { variable: section.into(), value: None, parts: vec![] };
    }
    let parts: Vec<Part> = present
        .iter()
        .map(|(s, v, w)| Part { label: s.code().to_string(), value: round2(*v), share: w / total })
        .collect();
    let value = round2(present.iter().map(|(_, v, w)| v * w / total).sum());
    Input { variable: section.into(), value: Some(value), parts }
}

fn source_input(source: Source, reviews: &[SourceScores]) -> Input {
    let parts: Vec<(&'static str, f64)> =
        RATED_SECTIONS.iter().filter_map(|k| source_section(source, k, reviews).map(|v| (*k, v))).collect();
    if parts.is_empty() {
        return Input { variable: source.code().into(), value: None, parts: vec![] };
    }
    let share = 1.0 / parts.len() as f64;
    let value = round2(parts.iter().map(|(_, v)| v * share).sum());
    let parts = parts.into_iter().map(|(k, v)| Part { label: k.to_string(), value: round2(v), share }).collect();
    Input { variable: source.code().into(), value: Some(value), parts }
}

fn mean(xs: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = xs.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / n as f64)
}

pub fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn five() -> RatingScale {
        RatingScale::points(5)
    }

    #[test]
    fn v3_section_score_places_ratings_on_the_scale() {
        // 1–5 scale: 4 → 75 %, 5 → 100 %, 3 → 50 %. Weights 50/30/20: 37.5 + 30 + 10 = 77.5.
        let items = [
            ItemRating { weight: Some(50.0), value: 4 },
            ItemRating { weight: Some(30.0), value: 5 },
            ItemRating { weight: Some(20.0), value: 3 },
        ];
        assert_eq!(section_score(&five(), &items), Some(77.5));
        // No weights: equal shares, (75 + 100 + 50) / 3 = 75.
        let equal: Vec<_> = items.iter().map(|i| ItemRating { weight: None, ..*i }).collect();
        assert_eq!(section_score(&five(), &equal), Some(75.0));
        assert_eq!(section_score(&five(), &[]), None);
    }

    #[test]
    fn v3_score_explains_every_step() {
        let formula = Formula::parse("0.6*goals + 0.4*competencies").unwrap();
        let weights = SourceWeights { self_review: 10, manager: 70, peers: 20, upward: 0 };
        let goals = [
            GoalInput { title: "营收".into(), weight: Some(60.0), achievement: 90.0 },
            // 180 % is capped at 150 %.
            GoalInput { title: "新客户".into(), weight: Some(40.0), achievement: 180.0 },
        ];
        let reviews = [
            SourceScores { source: Source::SelfReview, sections: vec![("competencies", 100.0)] },
            SourceScores { source: Source::Manager, sections: vec![("competencies", 75.0)] },
            SourceScores { source: Source::Peers, sections: vec![("competencies", 50.0)] },
            SourceScores { source: Source::Peers, sections: vec![("competencies", 70.0)] },
        ];
        let e = score(&formula, &weights, &GradeBands::default(), &goals, &reviews).unwrap();
        // goals: 0.6 × 90 + 0.4 × 150 = 54 + 60 = 114.
        let g = e.inputs.iter().find(|i| i.variable == "goals").unwrap();
        assert_eq!(g.value, Some(114.0));
        assert_eq!(g.parts[1].value, 150.0);
        // competencies: peers (50 + 70) / 2 = 60; 0.1 × 100 + 0.7 × 75 + 0.2 × 60 = 10 + 52.5 + 12 = 74.5.
        let c = e.inputs.iter().find(|i| i.variable == "competencies").unwrap();
        assert_eq!(c.value, Some(74.5));
        assert_eq!(c.parts.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(), ["self", "manager", "peers"]);
        // 0.6 × 114 + 0.4 × 74.5 = 68.4 + 29.8 = 98.2 → S (≥ 90).
        assert_eq!(e.score, Some(98.2));
        assert_eq!(e.grade.as_deref(), Some("S"));
        assert!(e.missing.is_empty());
    }

    #[test]
    fn v3_missing_sources_renormalize_and_missing_inputs_are_named() {
        let weights = SourceWeights::default(); // 10 / 70 / 20 / 0
        let reviews = [
            SourceScores { source: Source::SelfReview, sections: vec![("competencies", 80.0)] },
            SourceScores { source: Source::Manager, sections: vec![("competencies", 60.0)] },
        ];
        // No peers: self and manager share 10:70 → 80 × 0.125 + 60 × 0.875 = 10 + 52.5 = 62.5.
        let formula = Formula::parse("competencies").unwrap();
        let e = score(&formula, &weights, &GradeBands::default(), &[], &reviews).unwrap();
        assert_eq!(e.score, Some(62.5));
        assert_eq!(e.grade.as_deref(), Some("C"));
        // A formula reading goals and peers cannot be computed yet, and says why.
        let needs = Formula::parse("0.5*goals + 0.5*peers").unwrap();
        let e = score(&needs, &weights, &GradeBands::default(), &[], &reviews).unwrap();
        assert_eq!(e.score, None);
        assert_eq!(e.missing, ["goals", "peers"]);
    }

    #[test]
    fn v3_source_scores_average_their_sections() {
        let reviews =
            [SourceScores { source: Source::Manager, sections: vec![("competencies", 80.0), ("values", 60.0)] }];
        let formula = Formula::parse("manager").unwrap();
        let e = score(&formula, &SourceWeights::default(), &GradeBands::default(), &[], &reviews).unwrap();
        assert_eq!(e.score, Some(70.0));
        assert_eq!(e.grade.as_deref(), Some("B"));
    }

    #[test]
    fn v3_weights_must_add_up_to_100() {
        assert_eq!(SourceWeights::default().check(), Ok(()));
        assert_eq!(SourceWeights { self_review: 20, manager: 70, peers: 20, upward: 0 }.check(), Err(110));
        // Any numbers may arrive through the API: no overflow.
        let huge = SourceWeights { self_review: u32::MAX, manager: u32::MAX, peers: 0, upward: 0 };
        assert_eq!(huge.check(), Err(2 * u32::MAX as u64));
    }
}
