//! How a review's score is computed (V-3), and the record of how it was: every input with the
//! parts it came from, the formula, the result and its grade. Scores are on 0–100.
//!
//! - `goals`: the person's goals of the period (G-14), each goal's achievement placed on the
//!   same 0–100 as a rating ([`goal_score`]: the target is "meets expectations"), capped at
//!   `GOAL_CAP` % so that one runaway KPI cannot carry a review, weighted by the goals' weights
//!   (and, where the template says so, by the share of the period each goal was held).
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
    /// The share of the period the goal was held, 0–1: 1 for a goal set by the start, or when
    /// the template counts late goals at full weight ([`held`]).
    pub held: f64,
}

/// Where a goal's achievement sits on the 0–100 a rating is placed on, so that goals and
/// ratings mean the same (issue 22, item 11: with the target at 100 a person who met every
/// goal and was rated "meets" on everything scored 80, an A, and one rated "exceeds" an S):
/// reaching the target is "meets expectations", the middle of the scale (50, where 符合期望
/// sits on the default five points); below it, half a point per point of achievement; above it,
/// a point per point, so the cap (150 %) is the top (100, "far exceeds").
pub fn goal_score(achievement: f64) -> f64 {
    let a = if achievement.is_nan() { 0.0 } else { achievement.clamp(0.0, GOAL_CAP) };
    if a <= 100.0 { a / 2.0 } else { 50.0 + (a - 100.0) }
}

/// The share of a period of `period_days` days that a goal set with `days_left` days to go
/// was held, 0–1 (a goal set before the period starts holds all of it).
pub fn held(days_left: i64, period_days: i64) -> f64 {
    if period_days <= 0 { 1.0 } else { (days_left as f64 / period_days as f64).clamp(0.0, 1.0) }
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
    /// A goal's achievement in percent, from which `value` was placed ([`goal_score`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub achievement: Option<f64>,
    /// A goal held for part of the period only: that part, 0–1, by which its weight was cut.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub held: Option<f64>,
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
    // A goal held for part of the period counts for that part of its weight; if none was held
    // at all (every goal set after the period), the weights stand as they are.
    let cut: Vec<f64> = goals.iter().zip(&shares).map(|(g, s)| s * g.held.clamp(0.0, 1.0)).collect();
    let total: f64 = cut.iter().sum();
    let shares: Vec<f64> = if total > 0.0 { cut.iter().map(|s| s / total).collect() } else { shares };
    let parts: Vec<Part> = goals
        .iter()
        .zip(shares)
        .map(|(g, share)| Part {
            label: g.title.clone(),
            value: round2(goal_score(g.achievement)),
            share,
            achievement: Some(round2(g.achievement)),
            held: (g.held < 1.0).then(|| round2(g.held.clamp(0.0, 1.0))),
        })
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
        .map(|(s, v, w)| Part {
            label: s.code().to_string(),
            value: round2(*v),
            share: w / total,
            achievement: None,
            held: None,
        })
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
    let parts = parts
        .into_iter()
        .map(|(k, v)| Part { label: k.to_string(), value: round2(v), share, achievement: None, held: None })
        .collect();
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

    fn goal(title: &str, weight: f64, achievement: f64) -> GoalInput {
        GoalInput { title: title.into(), weight: Some(weight), achievement, held: 1.0 }
    }

    #[test]
    fn v3_score_explains_every_step() {
        let formula = Formula::parse("0.6*goals + 0.4*competencies").unwrap();
        let weights = SourceWeights { self_review: 10, manager: 70, peers: 20, upward: 0 };
        // 90 % is placed at 45; 180 % is capped at 150 %, placed at 100.
        let goals = [goal("营收", 60.0, 90.0), goal("新客户", 40.0, 180.0)];
        let reviews = [
            SourceScores { source: Source::SelfReview, sections: vec![("competencies", 100.0)] },
            SourceScores { source: Source::Manager, sections: vec![("competencies", 75.0)] },
            SourceScores { source: Source::Peers, sections: vec![("competencies", 50.0)] },
            SourceScores { source: Source::Peers, sections: vec![("competencies", 70.0)] },
        ];
        let e = score(&formula, &weights, &GradeBands::default(), &goals, &reviews).unwrap();
        // goals: 0.6 × 45 + 0.4 × 100 = 27 + 40 = 67.
        let g = e.inputs.iter().find(|i| i.variable == "goals").unwrap();
        assert_eq!(g.value, Some(67.0));
        assert_eq!((g.parts[1].value, g.parts[1].achievement, g.parts[1].held), (100.0, Some(180.0), None));
        // competencies: peers (50 + 70) / 2 = 60; 0.1 × 100 + 0.7 × 75 + 0.2 × 60 = 10 + 52.5 + 12 = 74.5.
        let c = e.inputs.iter().find(|i| i.variable == "competencies").unwrap();
        assert_eq!(c.value, Some(74.5));
        assert_eq!(c.parts.iter().map(|p| p.label.as_str()).collect::<Vec<_>>(), ["self", "manager", "peers"]);
        // 0.6 × 67 + 0.4 × 74.5 = 40.2 + 29.8 = 70 → A (≥ 58).
        assert_eq!(e.score, Some(70.0));
        assert_eq!(e.grade.as_deref(), Some("A"));
        assert!(e.missing.is_empty());
    }

    #[test]
    fn v3_goal_achievement_sits_on_the_ratings_scale() {
        // The target is "meets" (50); half a point per point below it, a point per point above.
        assert_eq!(goal_score(0.0), 0.0);
        assert_eq!(goal_score(80.0), 40.0);
        assert_eq!(goal_score(100.0), 50.0);
        assert_eq!(goal_score(125.0), 75.0);
        assert_eq!(goal_score(150.0), 100.0);
        assert_eq!(goal_score(400.0), 100.0);
        assert_eq!(goal_score(-20.0), 0.0);
        assert_eq!(goal_score(f64::NAN), 0.0);
    }

    #[test]
    fn v3_the_default_scale_grades_and_goals_agree() {
        // Issue 22, item 11: every item rated the same by every source, goals at their target.
        let scale = five();
        let all = |value: i32| {
            let items: Vec<ItemRating> = (0..4).map(|_| ItemRating { weight: None, value }).collect();
            let section = section_score(&scale, &items).unwrap();
            Source::ALL.map(|source| SourceScores { source, sections: vec![("competencies", section)] })
        };
        let at_target = [goal("营收", 70.0, 100.0), goal("回款", 30.0, 100.0)];
        let starter = Formula::parse("0.6*goals + 0.4*competencies").unwrap();
        let ratings_only = Formula::parse("competencies").unwrap();
        let grade = |f: &Formula, goals: &[GoalInput], value: i32| {
            let e = score(f, &SourceWeights::default(), &GradeBands::default(), goals, &all(value)).unwrap();
            (e.score.unwrap(), e.grade.unwrap())
        };
        // meets: 0.6 × 50 + 0.4 × 50 = 50 → B; exceeds: 30 + 0.4 × 75 = 60 → A; far exceeds:
        // 30 + 40 = 70 → A (an S needs goals beyond the target too); below: 30 + 10 = 40 → B;
        // far below: 30 → C.
        assert_eq!(grade(&starter, &at_target, 3), (50.0, "B".into()));
        assert_eq!(grade(&starter, &at_target, 4), (60.0, "A".into()));
        assert_eq!(grade(&starter, &at_target, 5), (70.0, "A".into()));
        assert_eq!(grade(&starter, &at_target, 2), (40.0, "B".into()));
        assert_eq!(grade(&starter, &at_target, 1), (30.0, "C".into()));
        // Far exceeding everything, goals at 150 %: 100 → S.
        assert_eq!(grade(&starter, &[goal("营收", 100.0, 150.0)], 5), (100.0, "S".into()));
        // Ratings alone: 0 D, 25 C, 50 B, 75 A, 100 S.
        let by_rating: Vec<String> = (1..=5).map(|v| grade(&ratings_only, &[], v).1).collect();
        assert_eq!(by_rating, ["D", "C", "B", "A", "S"]);
        // Goals alone: at target B, 120 % (70) A, 60 % (30) C.
        let goals_only = Formula::parse("goals").unwrap();
        assert_eq!(grade(&goals_only, &[goal("营收", 100.0, 100.0)], 3).1, "B");
        assert_eq!(grade(&goals_only, &[goal("营收", 100.0, 120.0)], 3).1, "A");
        assert_eq!(grade(&goals_only, &[goal("营收", 100.0, 60.0)], 3).1, "C");
    }

    #[test]
    fn v3_a_late_goal_counts_for_the_part_of_the_period_it_was_held() {
        // A quarter of 92 days; a goal set with 23 days left was held for a quarter of it.
        assert_eq!(held(23, 92), 0.25);
        assert_eq!(held(120, 92), 1.0);
        assert_eq!(held(-3, 92), 0.0);
        // Two goals of equal weight, the late one at 0 %: at full weight it halves the goals
        // (0.5 × 50 + 0.5 × 0 = 25); held for a quarter, its weight is cut to 0.5 × 0.25, so the
        // shares are 0.5 / 0.625 = 0.8 and 0.2: 0.8 × 50 = 40.
        let full = [goal("营收", 50.0, 100.0), goal("新项目", 50.0, 0.0)];
        let late = [goal("营收", 50.0, 100.0), GoalInput { held: 0.25, ..goal("新项目", 50.0, 0.0) }];
        let goals_only = Formula::parse("goals").unwrap();
        let value = |goals: &[GoalInput]| {
            let e = score(&goals_only, &SourceWeights::default(), &GradeBands::default(), goals, &[]).unwrap();
            let g = e.inputs.into_iter().find(|i| i.variable == "goals").unwrap();
            (g.value.unwrap(), g.parts.iter().map(|p| (round2(p.share), p.held)).collect::<Vec<_>>())
        };
        assert_eq!(value(&full), (25.0, vec![(0.5, None), (0.5, None)]));
        assert_eq!(value(&late), (40.0, vec![(0.8, None), (0.2, Some(0.25))]));
        // Every goal set after the period: the weights stand (nothing is divided by zero).
        let none = [GoalInput { held: 0.0, ..goal("营收", 50.0, 100.0) }];
        assert_eq!(value(&none).0, 50.0);
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
        assert_eq!(e.grade.as_deref(), Some("A"));
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
        assert_eq!(e.grade.as_deref(), Some("A"));
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
