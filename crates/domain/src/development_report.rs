//! The development report's analysis (SPEC D-2): from the ratings a person received in released
//! reviews, which dimensions (competencies, values, skills) are stable strengths, which are
//! volatile, which need growth; and whether learning in a dimension shows up in the ratings
//! that came after it (学–用闭环). Rule-based and explained: every finding carries the
//! figures it stands on.
//!
//! Ratings are placed on 0–100 by their scale, so templates with different scales combine.
//! Self-ratings are shown but never decide a finding: they are self-reported, the others are
//! what colleagues saw.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::reviews::scoring::Source;

/// Fewer colleagues' ratings of a dimension than this: too little evidence for a finding.
pub const MIN_RATINGS: usize = 2;
/// Ratings of one dimension this far apart (on 0–100: two points of a five-point scale)
/// disagree: the dimension is volatile, whatever its mean.
pub const VOLATILE_SPREAD: f64 = 50.0;
/// A strength: a mean at least this high …
pub const STRENGTH_MEAN: f64 = 75.0;
/// … and no rating under the middle of the scale.
pub const STRENGTH_FLOOR: f64 = 50.0;
/// A growth area: a mean under the middle of the scale.
pub const GROWTH_MEAN: f64 = 50.0;
/// Fewer anonymous ratings than this in a dimension: its figures are not shown to the person.
pub const ANONYMITY_MIN: usize = 3;
/// Learning "shows up" when the dimension's mean rose by at least this much afterwards.
pub const LEARNING_GAIN: f64 = 10.0;

/// One rating a person received for one dimension in one released review.
#[derive(Debug, Clone, PartialEq)]
pub struct DimensionRating {
    /// The item's title as the template names it (e.g. 沟通协作).
    pub dimension: String,
    pub cycle: Uuid,
    /// When the cycle's result was released to the person.
    pub released_on: NaiveDate,
    pub source: Source,
    /// The rating placed on 0–100 by its scale.
    pub percent: f64,
}

/// Something learnt in a dimension: a completed development action naming it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LearningRecord {
    pub dimension: String,
    pub title: String,
    pub done_on: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    /// Rated high by every colleague, in every cycle.
    Strength,
    /// Ratings disagree (across raters or cycles) by two points of five or more.
    Volatile,
    /// Rated under the middle of the scale.
    Growth,
    /// Neither: in line.
    Steady,
    /// Fewer than [`MIN_RATINGS`] colleagues' ratings.
    TooFew,
}

impl Assessment {
    pub fn code(self) -> &'static str {
        match self {
            Assessment::Strength => "strength",
            Assessment::Volatile => "volatile",
            Assessment::Growth => "growth",
            Assessment::Steady => "steady",
            Assessment::TooFew => "too_few",
        }
    }

    /// An area to develop: what the recommendations and the plan are about.
    pub fn is_area(self) -> bool {
        matches!(self, Assessment::Volatile | Assessment::Growth)
    }
}

/// One dimension's finding with the figures it stands on (colleagues' ratings only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DimensionFinding {
    pub dimension: String,
    pub assessment: Assessment,
    /// Colleagues' ratings counted, over how many cycles.
    pub ratings: usize,
    pub cycles: usize,
    /// Mean, lowest and highest colleagues' rating, 0–100 (none without one).
    pub mean: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The person's own mean rating, shown beside, never deciding.
    pub self_mean: Option<f64>,
    /// How many of the colleagues' ratings are anonymous (peers, reports).
    #[serde(default)]
    pub anonymous: usize,
}

impl DimensionFinding {
    /// Whether the figures may be shown to the person: with one or two anonymous ratings among
    /// a handful, a mean and a range let them work out what a peer gave (the light 360 and
    /// the pages hold the same line of [`ANONYMITY_MIN`]). Managers' ratings are not anonymous.
    pub fn figures_shareable(&self) -> bool {
        self.anonymous == 0 || self.anonymous >= ANONYMITY_MIN
    }

    /// The finding as the person may read it: the figures hidden where they could unmask a peer.
    pub fn for_the_person(&self) -> DimensionFinding {
        if self.figures_shareable() {
            return self.clone();
        }
        DimensionFinding { mean: None, low: None, high: None, ..self.clone() }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LearningVerdict {
    /// The dimension's mean rose by at least [`LEARNING_GAIN`] after the learning.
    ShowsUp,
    /// Rated after the learning, without that rise.
    NotVisible,
    /// No released review since the learning.
    NotYet,
    /// No released review before it to compare with.
    NoBaseline,
}

impl LearningVerdict {
    pub fn code(self) -> &'static str {
        match self {
            LearningVerdict::ShowsUp => "shows_up",
            LearningVerdict::NotVisible => "not_visible",
            LearningVerdict::NotYet => "not_yet",
            LearningVerdict::NoBaseline => "no_baseline",
        }
    }
}

/// Whether one piece of learning shows up in the ratings after it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LearningEffect {
    pub dimension: String,
    pub title: String,
    pub done_on: NaiveDate,
    /// Colleagues' mean in the dimension in the last cycle released before it, and in the
    /// first released after it.
    pub before: Option<f64>,
    pub after: Option<f64>,
    pub verdict: LearningVerdict,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Released cycles the ratings come from.
    pub cycles: usize,
    /// Areas first (volatile, growth), then strengths, steady, too few; by name within.
    pub findings: Vec<DimensionFinding>,
    pub learning: Vec<LearningEffect>,
}

impl Analysis {
    /// The analysis as the person may read it: figures hidden in dimensions where they could
    /// unmask a peer's rating, and the before/after of learning in those dimensions too.
    pub fn for_the_person(&self) -> Analysis {
        let hidden = |d: &str| self.findings.iter().any(|f| same_dimension(&f.dimension, d) && !f.figures_shareable());
        Analysis {
            cycles: self.cycles,
            findings: self.findings.iter().map(DimensionFinding::for_the_person).collect(),
            learning: self
                .learning
                .iter()
                .map(|l| {
                    if hidden(&l.dimension) {
                        LearningEffect { before: None, after: None, ..l.clone() }
                    } else {
                        l.clone()
                    }
                })
                .collect(),
        }
    }

    pub fn areas(&self) -> impl Iterator<Item = &DimensionFinding> {
        self.findings.iter().filter(|f| f.assessment.is_area())
    }

    pub fn strengths(&self) -> impl Iterator<Item = &DimensionFinding> {
        self.findings.iter().filter(|f| f.assessment == Assessment::Strength)
    }
}

/// At most this many characters in each part of a report.
pub const MAX_TEXT_CHARS: usize = 4_000;

/// The report's four parts, as the manager writes them (drafted by the rules first).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportText {
    pub strengths: String,
    pub areas: String,
    pub actions: String,
    /// How the manager can support them.
    pub support: String,
}

impl ReportText {
    /// The parts trimmed, or the first part too long or all empty (`None` when all are empty).
    pub fn checked(&self) -> Result<ReportText, Option<&'static str>> {
        let t = ReportText {
            strengths: self.strengths.trim().to_string(),
            areas: self.areas.trim().to_string(),
            actions: self.actions.trim().to_string(),
            support: self.support.trim().to_string(),
        };
        let parts =
            [("strengths", &t.strengths), ("areas", &t.areas), ("actions", &t.actions), ("support", &t.support)];
        if let Some((name, _)) = parts.iter().find(|(_, v)| v.chars().count() > MAX_TEXT_CHARS) {
            return Err(Some(name));
        }
        if parts.iter().all(|(_, v)| v.is_empty()) {
            return Err(None);
        }
        Ok(t)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    /// The manager's and HR's: the person does not see it.
    Draft,
    /// Shared with the person.
    Shared,
}

impl ReportState {
    pub fn code(self) -> &'static str {
        match self {
            ReportState::Draft => "draft",
            ReportState::Shared => "shared",
        }
    }

    pub fn parse(s: &str) -> Option<ReportState> {
        [ReportState::Draft, ReportState::Shared].into_iter().find(|x| x.code() == s)
    }
}

/// A saved report on a person after a review cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub id: Uuid,
    pub employee: Uuid,
    /// The latest released cycle it covers.
    pub cycle: Uuid,
    pub text: ReportText,
    /// The analysis the text was written on.
    pub analysis: Analysis,
    pub state: ReportState,
    pub written_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub shared_at: Option<DateTime<Utc>>,
    /// The development plan made from it.
    pub plan: Option<Uuid>,
}

/// Dimensions are matched by their trimmed name, ignoring case: templates of different
/// cycles name the same competency the same way.
pub fn same_dimension(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

fn key(d: &str) -> String {
    d.trim().to_lowercase()
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// Colleagues' ratings of one dimension, summed: what a finding needs (a database can sum
/// them where the rows are, and sums of parts add up).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RatingSum {
    pub count: usize,
    /// The sum of the ratings (0–100 each).
    pub total: f64,
    pub low: f64,
    pub high: f64,
}

impl RatingSum {
    pub fn of(ratings: &[f64]) -> RatingSum {
        RatingSum {
            count: ratings.len(),
            total: ratings.iter().sum(),
            low: ratings.iter().copied().fold(f64::INFINITY, f64::min),
            high: ratings.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        }
    }

    pub fn merge(self, other: RatingSum) -> RatingSum {
        RatingSum {
            count: self.count + other.count,
            total: self.total + other.total,
            low: self.low.min(other.low),
            high: self.high.max(other.high),
        }
    }

    pub fn mean(&self) -> f64 {
        if self.count == 0 { 0.0 } else { self.total / self.count as f64 }
    }

    /// How the dimension stands.
    pub fn assess(&self) -> Assessment {
        if self.count < MIN_RATINGS {
            return Assessment::TooFew;
        }
        let m = self.mean();
        if self.high - self.low >= VOLATILE_SPREAD {
            Assessment::Volatile
        } else if m >= STRENGTH_MEAN && self.low >= STRENGTH_FLOOR {
            Assessment::Strength
        } else if m < GROWTH_MEAN {
            Assessment::Growth
        } else {
            Assessment::Steady
        }
    }
}

/// How a dimension stands from its colleagues' ratings (0–100).
pub fn assess(colleagues: &[f64]) -> Assessment {
    RatingSum::of(colleagues).assess()
}

fn order(a: Assessment) -> u8 {
    match a {
        Assessment::Volatile => 0,
        Assessment::Growth => 1,
        Assessment::Strength => 2,
        Assessment::Steady => 3,
        Assessment::TooFew => 4,
    }
}

/// One dimension's ratings gathered: its name as first seen, colleagues' and own ratings, and
/// the cycles colleagues rated it in.
#[derive(Default)]
struct Gathered {
    name: String,
    others: Vec<f64>,
    anonymous: usize,
    own: Vec<f64>,
    cycles: Vec<Uuid>,
}

/// The analysis of one person's ratings and learning.
pub fn analyse(ratings: &[DimensionRating], learning: &[LearningRecord]) -> Analysis {
    let mut by_dim: BTreeMap<String, Gathered> = BTreeMap::new();
    let mut cycles: Vec<Uuid> = Vec::new();
    for r in ratings {
        let e = by_dim
            .entry(key(&r.dimension))
            .or_insert_with(|| Gathered { name: r.dimension.trim().to_string(), ..Gathered::default() });
        if r.source == Source::SelfReview {
            e.own.push(r.percent);
        } else {
            e.others.push(r.percent);
            if matches!(r.source, Source::Peers | Source::Upward) {
                e.anonymous += 1;
            }
            if !e.cycles.contains(&r.cycle) {
                e.cycles.push(r.cycle);
            }
        }
        if !cycles.contains(&r.cycle) {
            cycles.push(r.cycle);
        }
    }
    let mut findings: Vec<DimensionFinding> = by_dim
        .into_values()
        .map(|g| DimensionFinding {
            assessment: assess(&g.others),
            ratings: g.others.len(),
            cycles: g.cycles.len(),
            mean: mean(&g.others),
            low: g.others.iter().copied().reduce(f64::min),
            high: g.others.iter().copied().reduce(f64::max),
            self_mean: mean(&g.own),
            anonymous: g.anonymous,
            dimension: g.name,
        })
        .collect();
    findings.sort_by(|a, b| order(a.assessment).cmp(&order(b.assessment)).then_with(|| a.dimension.cmp(&b.dimension)));
    let learning = learning.iter().map(|l| effect(ratings, l)).collect();
    Analysis { cycles: cycles.len(), findings, learning }
}

/// Colleagues' mean in `dimension` for each released cycle, by release day.
fn cycle_means(ratings: &[DimensionRating], dimension: &str) -> Vec<(NaiveDate, f64)> {
    let mut per: BTreeMap<(NaiveDate, Uuid), Vec<f64>> = BTreeMap::new();
    for r in ratings.iter().filter(|r| r.source != Source::SelfReview && same_dimension(&r.dimension, dimension)) {
        per.entry((r.released_on, r.cycle)).or_default().push(r.percent);
    }
    per.into_iter().filter_map(|((day, _), xs)| mean(&xs).map(|m| (day, m))).collect()
}

/// Compares the dimension's cycle before the learning with the first one after it.
pub fn effect(ratings: &[DimensionRating], l: &LearningRecord) -> LearningEffect {
    let means = cycle_means(ratings, &l.dimension);
    let before = means.iter().rev().find(|(day, _)| *day <= l.done_on).map(|(_, m)| *m);
    let after = means.iter().find(|(day, _)| *day > l.done_on).map(|(_, m)| *m);
    let verdict = match (before, after) {
        (_, None) => LearningVerdict::NotYet,
        (None, Some(_)) => LearningVerdict::NoBaseline,
        (Some(b), Some(a)) if a - b >= LEARNING_GAIN => LearningVerdict::ShowsUp,
        _ => LearningVerdict::NotVisible,
    };
    LearningEffect {
        dimension: l.dimension.clone(),
        title: l.title.clone(),
        done_on: l.done_on,
        before,
        after,
        verdict,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn r(dim: &str, cycle: Uuid, released: &str, source: Source, percent: f64) -> DimensionRating {
        DimensionRating { dimension: dim.into(), cycle, released_on: day(released), source, percent }
    }

    #[test]
    fn d2_report_text_is_trimmed_and_bounded() {
        let t = ReportText { strengths: "  稳定交付 ".into(), ..ReportText::default() };
        assert_eq!(t.checked().unwrap().strengths, "稳定交付");
        assert_eq!(ReportText { areas: " \n ".into(), ..ReportText::default() }.checked(), Err(None));
        let long =
            ReportText { support: "长".repeat(MAX_TEXT_CHARS + 1), strengths: "x".into(), ..ReportText::default() };
        assert_eq!(long.checked(), Err(Some("support")));
        let edge = ReportText { support: "长".repeat(MAX_TEXT_CHARS), ..ReportText::default() };
        assert!(edge.checked().is_ok());
    }

    #[test]
    fn d2_assessments_follow_the_thresholds() {
        // Five-point scale: 1→0, 2→25, 3→50, 4→75, 5→100.
        assert_eq!(assess(&[75.0]), Assessment::TooFew);
        assert_eq!(assess(&[75.0, 100.0]), Assessment::Strength); // mean 87.5, floor 75
        assert_eq!(assess(&[50.0, 100.0]), Assessment::Volatile); // 3 and 5: two points apart
        assert_eq!(assess(&[75.0, 75.0, 50.0]), Assessment::Steady); // mean 66.7
        assert_eq!(assess(&[100.0, 100.0, 75.0, 50.0]), Assessment::Volatile); // 50 apart, whatever the mean
        // A ten-point scale (1→0 … 10→100): 9, 9, 9 and 5 — mean 77.8, one rating under the middle.
        let ten = |v: f64| (v - 1.0) / 9.0 * 100.0;
        assert_eq!(assess(&[ten(9.0), ten(9.0), ten(9.0), ten(5.0)]), Assessment::Steady);
        assert_eq!(assess(&[ten(9.0), ten(9.0), ten(9.0), ten(6.0)]), Assessment::Strength); // floor 55.6
        assert_eq!(assess(&[25.0, 50.0]), Assessment::Growth); // mean 37.5
        assert_eq!(assess(&[50.0, 50.0]), Assessment::Steady); // the middle is not under it
        // Sums of parts: 75 and 100 in one cycle, 100 in another — a strength, mean 91.7.
        let parts = RatingSum::of(&[75.0, 100.0]).merge(RatingSum::of(&[100.0]));
        assert_eq!((parts.count, parts.total, parts.low, parts.high), (3, 275.0, 75.0, 100.0));
        assert_eq!(parts.assess(), Assessment::Strength);
    }

    #[test]
    fn d2_self_ratings_are_shown_but_never_decide() {
        let c = Uuid::from_u128(1);
        let ratings = [
            r("沟通", c, "2026-10-10", Source::SelfReview, 100.0),
            r("沟通", c, "2026-10-10", Source::Manager, 25.0),
            r("沟通", c, "2026-10-10", Source::Peers, 50.0),
        ];
        let a = analyse(&ratings, &[]);
        assert_eq!(a.cycles, 1);
        let f = &a.findings[0];
        assert_eq!(f.assessment, Assessment::Growth);
        assert_eq!((f.ratings, f.cycles), (2, 1));
        assert_eq!(f.mean, Some(37.5));
        assert_eq!((f.low, f.high), (Some(25.0), Some(50.0)));
        assert_eq!(f.self_mean, Some(100.0));
    }

    #[test]
    fn d2_figures_that_could_unmask_a_peer_are_hidden_from_the_person() {
        let c = Uuid::from_u128(1);
        // The manager's 3 and two peers' 4 and 5: mean 75, range 50–100 — with the manager's
        // rating known, the range gives away both peers'.
        let ratings = [
            r("沟通", c, "2026-10-10", Source::Manager, 50.0),
            r("沟通", c, "2026-10-10", Source::Peers, 75.0),
            r("沟通", c, "2026-10-10", Source::Peers, 100.0),
            r("交付", c, "2026-10-10", Source::Manager, 75.0),
            r("交付", c, "2026-10-10", Source::Manager, 100.0),
        ];
        let learn = LearningRecord { dimension: "沟通".into(), title: "课".into(), done_on: day("2026-08-01") };
        let a = analyse(&ratings, &[learn]);
        let f = |a: &Analysis, d: &str| a.findings.iter().find(|f| f.dimension == d).unwrap().clone();
        assert_eq!((f(&a, "沟通").anonymous, f(&a, "沟通").mean), (2, Some(75.0)));
        assert!(!f(&a, "沟通").figures_shareable() && f(&a, "交付").figures_shareable());
        let mine = a.for_the_person();
        assert_eq!((f(&mine, "沟通").mean, f(&mine, "沟通").low, f(&mine, "沟通").high), (None, None, None));
        assert_eq!(f(&mine, "沟通").assessment, Assessment::Volatile, "the finding itself stays");
        assert_eq!(f(&mine, "交付").mean, Some(87.5), "managers' ratings are not anonymous");
        assert_eq!(mine.learning[0].after, None);
        assert_eq!(a.learning[0].after, Some(75.0), "the manager still sees it");
        // Three anonymous ratings: shown.
        let more = [&ratings[..], &[r("沟通", c, "2026-10-10", Source::Upward, 75.0)]].concat();
        assert!(analyse(&more, &[]).for_the_person().findings.iter().all(|f| f.mean.is_some()));
    }

    #[test]
    fn d2_findings_combine_cycles_and_put_areas_first() {
        let (q2, q3) = (Uuid::from_u128(2), Uuid::from_u128(3));
        let ratings = [
            // Delivery: 4 then 5 from the manager, 5 from a peer: a strength over two cycles.
            r("交付", q2, "2026-07-10", Source::Manager, 75.0),
            r("交付", q3, "2026-10-10", Source::Manager, 100.0),
            r("交付", q3, "2026-10-10", Source::Peers, 100.0),
            // Communication: 2 in Q2, 4 in Q3 — two points apart, volatile.
            r(" communication ", q2, "2026-07-10", Source::Manager, 25.0),
            r("Communication", q3, "2026-10-10", Source::Manager, 75.0),
        ];
        let a = analyse(&ratings, &[]);
        assert_eq!(a.cycles, 2);
        let names: Vec<(&str, Assessment)> = a.findings.iter().map(|f| (f.dimension.as_str(), f.assessment)).collect();
        assert_eq!(names, vec![("communication", Assessment::Volatile), ("交付", Assessment::Strength)]);
        assert_eq!(a.findings[1].mean, Some(275.0 / 3.0));
        assert_eq!(a.findings[0].cycles, 2);
        assert_eq!(a.areas().count(), 1);
        assert_eq!(a.strengths().count(), 1);
    }

    #[test]
    fn d2_learning_is_compared_with_the_cycles_around_it() {
        let (q2, q3) = (Uuid::from_u128(2), Uuid::from_u128(3));
        let ratings = [
            r("沟通", q2, "2026-07-10", Source::Manager, 25.0),
            r("沟通", q2, "2026-07-10", Source::Peers, 50.0), // Q2 mean 37.5
            r("沟通", q3, "2026-10-10", Source::Manager, 50.0), // Q3 mean 50: +12.5
            r("沟通", q3, "2026-10-10", Source::SelfReview, 100.0), // not counted
            r("交付", q2, "2026-07-10", Source::Manager, 75.0),
            r("交付", q3, "2026-10-10", Source::Manager, 75.0),
        ];
        let learn =
            |dim: &str, on: &str| LearningRecord { dimension: dim.into(), title: "课".into(), done_on: day(on) };
        let a = analyse(
            &ratings,
            &[
                learn("沟通", "2026-08-01"),
                learn("交付", "2026-08-01"),
                learn("沟通", "2026-11-01"),
                learn("沟通", "2026-06-01"),
            ],
        );
        let got: Vec<(LearningVerdict, Option<f64>, Option<f64>)> =
            a.learning.iter().map(|e| (e.verdict, e.before, e.after)).collect();
        assert_eq!(
            got,
            vec![
                (LearningVerdict::ShowsUp, Some(37.5), Some(50.0)),
                (LearningVerdict::NotVisible, Some(75.0), Some(75.0)),
                (LearningVerdict::NotYet, Some(50.0), None),
                (LearningVerdict::NoBaseline, None, Some(37.5)),
            ]
        );
        // Released on the day of the learning counts as before it.
        let same_day = effect(&ratings, &learn("沟通", "2026-07-10"));
        assert_eq!((same_day.before, same_day.after), (Some(37.5), Some(50.0)));
    }
}
