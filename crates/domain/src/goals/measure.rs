//! How one key result (or KPI metric, deliverable, milestone, behaviour indicator) turns into
//! progress (SPEC G-1, G-14). Every measure has its native score — the number people in that
//! framework talk about (KPI achievement %, OKR 0.0–1.0, milestones done) — and a progress on
//! one 0–1 scale that rolls up across frameworks.

use serde::{Deserialize, Serialize};

/// Which way is good for a numeric measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    HigherIsBetter,
    LowerIsBetter,
}

impl Direction {
    /// Whether `value` is at least as good as `reference`.
    fn meets(self, value: f64, reference: f64) -> bool {
        match self {
            Self::HigherIsBetter => value >= reference,
            Self::LowerIsBetter => value <= reference,
        }
    }
}

/// The explicit rule for a numeric key result whose target equals its start (G-14): there is
/// no distance to travel, so "keep it there" is the only meaning that makes sense.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlatTarget {
    /// Done (1.0) while the current value is at least as good as the target, else 0.
    Hold,
}

/// How a KPI's achievement percentage is computed from its actual value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum KpiFormula {
    /// actual ÷ target (higher is better) or target ÷ actual (lower is better).
    Ratio,
    /// The distance travelled from baseline to target, as for a key result.
    Linear,
}

/// The highest KPI achievement a stretch target can earn, in percent.
pub const KPI_STRETCH_CAP: f64 = 120.0;

/// A measure with its inputs. Values are plain numbers in the measure's own unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Measure {
    /// An OKR key result or any counted quantity: from `start` towards `target`.
    Numeric { start: f64, target: f64, current: f64, direction: Direction, flat: Option<FlatTarget> },
    /// A KPI (G-1): below `threshold` earns nothing; between target and `stretch` earns up to
    /// [`KPI_STRETCH_CAP`]; without a stretch, achievement stops at 100 %.
    Kpi {
        baseline: f64,
        threshold: Option<f64>,
        target: f64,
        stretch: Option<f64>,
        actual: f64,
        direction: Direction,
        formula: KpiFormula,
    },
    /// An OKR key result scored by hand, 0.0–1.0.
    Score { score: f64 },
    /// An MBO deliverable or a project milestone: done or not.
    Done { done: bool },
    /// A behaviour indicator (e.g. 拜访质量) rated on a scale, aiming at `target`.
    Rating { min: f64, target: f64, value: f64 },
    /// Progress taken from the goals and key results aligned to this one (G-5).
    Rollup,
}

/// Why a measure's inputs are refused; `field` names the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MeasureError {
    pub field: &'static str,
    pub code: &'static str,
}

/// The largest magnitude a key result's value may have: values are stored as integers of
/// ten-thousandths (i64), and 10^14 keeps them exact with room to spare.
pub const MAX_ABS_VALUE: f64 = 1e14;

impl MeasureError {
    fn new(field: &'static str, code: &'static str) -> Self {
        Self { field, code }
    }

    pub fn message(&self) -> &'static str {
        match self.code {
            "target_equals_start" => "target equals start: choose the hold rule or a different target",
            "direction_mismatch" => "the target must lie in the measure's good direction from the start",
            "threshold_beyond_target" => "the threshold must lie between baseline and target",
            "stretch_before_target" => "the stretch target must lie beyond the target",
            "out_of_range" => "must be between 0 and 1",
            "not_finite" => "must be a number",
            "value_out_of_range" => "must be between -100 000 000 000 000 and 100 000 000 000 000",
            "target_not_above_min" => "the target must be above the bottom of the scale",
            _ => "is not valid",
        }
    }
}

/// The traffic-light band of an OKR score (G-14): 0.7–1.0 green, 0.4–0.6 yellow, 0.0–0.3 red.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OkrBand {
    Green,
    Yellow,
    Red,
}

impl OkrBand {
    /// Scores are judged at one decimal, as OKR practice writes them: 0.65 counts as 0.7.
    pub fn of(score: f64) -> Self {
        let tenths = (score.clamp(0.0, 1.0) * 10.0).round();
        if tenths >= 7.0 {
            Self::Green
        } else if tenths >= 4.0 {
            Self::Yellow
        } else {
            Self::Red
        }
    }
}

/// The native score of a measure, as its framework states it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum NativeScore {
    /// Share of the way from start to target, 0–1 (an OKR score for key results).
    Fraction {
        value: f64,
    },
    /// KPI achievement in percent, up to [`KPI_STRETCH_CAP`].
    Achievement {
        percent: f64,
    },
    Done {
        done: bool,
    },
    /// Filled in by the roll-up.
    Rollup,
}

impl Measure {
    /// The value that is `fraction` of the way from the start to the target (a check-in given
    /// in %, T-1): 0.5 of 10 → 30 is 20. None for kinds without a value (done, roll-up).
    pub fn value_at(&self, fraction: f64) -> Option<f64> {
        let between = |from: f64, to: f64| from + fraction * (to - from);
        match *self {
            Measure::Numeric { start, target, .. } => Some(between(start, target)),
            Measure::Kpi { baseline, target, .. } => Some(between(baseline, target)),
            Measure::Score { .. } => Some(fraction),
            Measure::Rating { min, target, .. } => Some(between(min, target)),
            Measure::Done { .. } | Measure::Rollup => None,
        }
    }

    /// Checks the inputs; the same rules for forms, API and import. A value beyond
    /// [`MAX_ABS_VALUE`] is refused naming the field (it would not fit the stored scale and was
    /// silently clamped before issue 21).
    pub fn validate(&self) -> Result<(), MeasureError> {
        let finite = |field, v: f64| {
            if !v.is_finite() {
                Err(MeasureError::new(field, "not_finite"))
            } else if v.abs() > MAX_ABS_VALUE {
                Err(MeasureError::new(field, "value_out_of_range"))
            } else {
                Ok(())
            }
        };
        match *self {
            Measure::Numeric { start, target, current, direction, flat } => {
                finite("start", start)?;
                finite("target", target)?;
                finite("current", current)?;
                if target == start {
                    return if flat.is_some() {
                        Ok(())
                    } else {
                        Err(MeasureError::new("target", "target_equals_start"))
                    };
                }
                if direction.meets(start, target) {
                    return Err(MeasureError::new("target", "direction_mismatch"));
                }
                Ok(())
            }
            Measure::Kpi { baseline, threshold, target, stretch, actual, direction, .. } => {
                for (f, v) in [("baseline", baseline), ("target", target), ("actual", actual)] {
                    finite(f, v)?;
                }
                if target == baseline {
                    return Err(MeasureError::new("target", "target_equals_start"));
                }
                if direction.meets(baseline, target) {
                    return Err(MeasureError::new("target", "direction_mismatch"));
                }
                if let Some(t) = threshold {
                    finite("threshold", t)?;
                    if !direction.meets(target, t) || !direction.meets(t, baseline) {
                        return Err(MeasureError::new("threshold", "threshold_beyond_target"));
                    }
                }
                if let Some(s) = stretch {
                    finite("stretch", s)?;
                    if s == target || !direction.meets(s, target) {
                        return Err(MeasureError::new("stretch", "stretch_before_target"));
                    }
                }
                Ok(())
            }
            Measure::Score { score } => {
                if (0.0..=1.0).contains(&score) {
                    Ok(())
                } else {
                    Err(MeasureError::new("score", "out_of_range"))
                }
            }
            Measure::Rating { min, target, value } => {
                for (f, v) in [("min", min), ("target", target), ("value", value)] {
                    finite(f, v)?;
                }
                if target <= min { Err(MeasureError::new("target", "target_not_above_min")) } else { Ok(()) }
            }
            Measure::Done { .. } | Measure::Rollup => Ok(()),
        }
    }

    /// Progress on the common 0–1 scale and the native score. `Rollup` measures get their
    /// progress from the roll-up, which passes it in as `rolled`.
    pub fn evaluate(&self, rolled: f64) -> (f64, NativeScore) {
        match *self {
            Measure::Numeric { start, target, current, direction, .. } => {
                let p = if target == start {
                    // The hold rule (validation guarantees it was chosen).
                    if direction.meets(current, target) { 1.0 } else { 0.0 }
                } else {
                    fraction(start, target, current)
                };
                (p, NativeScore::Fraction { value: p })
            }
            Measure::Kpi { baseline, threshold, target, stretch, actual, direction, formula } => {
                let percent = kpi_achievement(baseline, threshold, target, stretch, actual, direction, formula);
                ((percent / 100.0).min(1.0), NativeScore::Achievement { percent })
            }
            Measure::Score { score } => {
                let s = score.clamp(0.0, 1.0);
                (s, NativeScore::Fraction { value: s })
            }
            Measure::Done { done } => (if done { 1.0 } else { 0.0 }, NativeScore::Done { done }),
            Measure::Rating { min, target, value } => {
                let p = fraction(min, target, value);
                (p, NativeScore::Fraction { value: p })
            }
            Measure::Rollup => (rolled.clamp(0.0, 1.0), NativeScore::Rollup),
        }
    }
}

/// (current − start) / (target − start), clamped to 0–1. The same formula mirrors itself for
/// lower-is-better, where target < start makes both differences negative.
fn fraction(start: f64, target: f64, current: f64) -> f64 {
    ((current - start) / (target - start)).clamp(0.0, 1.0)
}

/// KPI achievement in percent (G-14): zero when worse than the threshold; 100 % at target;
/// between target and stretch, linear from 100 % to [`KPI_STRETCH_CAP`]; capped there.
fn kpi_achievement(
    baseline: f64,
    threshold: Option<f64>,
    target: f64,
    stretch: Option<f64>,
    actual: f64,
    direction: Direction,
    formula: KpiFormula,
) -> f64 {
    if let Some(t) = threshold
        && !direction.meets(actual, t)
    {
        return 0.0;
    }
    if direction.meets(actual, target) && actual != target {
        return match stretch {
            None => 100.0,
            Some(s) if direction.meets(actual, s) => KPI_STRETCH_CAP,
            Some(s) => 100.0 + (KPI_STRETCH_CAP - 100.0) * (actual - target) / (s - target),
        };
    }
    let percent = match formula {
        KpiFormula::Linear => fraction(baseline, target, actual) * 100.0,
        KpiFormula::Ratio => match direction {
            Direction::HigherIsBetter if target > 0.0 => (actual / target * 100.0).max(0.0),
            Direction::LowerIsBetter if actual > 0.0 => (target / actual * 100.0).max(0.0),
            // A ratio against zero or a negative target says nothing: fall back to distance.
            _ => fraction(baseline, target, actual) * 100.0,
        },
    };
    percent.clamp(0.0, 100.0)
}

#[cfg(test)]
mod value_at_tests {
    use super::*;

    #[test]
    fn t1_a_percentage_is_the_way_from_start_to_target() {
        let n = Measure::Numeric {
            start: 10.0,
            target: 30.0,
            current: 0.0,
            direction: Direction::HigherIsBetter,
            flat: None,
        };
        assert_eq!(n.value_at(0.5), Some(20.0));
        // Lower is better: from 8 % churn to 4 %, three quarters of the way is 5 %.
        let down =
            Measure::Numeric { start: 8.0, target: 4.0, current: 0.0, direction: Direction::LowerIsBetter, flat: None };
        assert_eq!(down.value_at(0.75), Some(5.0));
        assert_eq!(Measure::Rating { min: 1.0, target: 4.0, value: 0.0 }.value_at(1.0), Some(4.0));
        assert_eq!(Measure::Score { score: 0.0 }.value_at(0.7), Some(0.7));
        assert_eq!(Measure::Done { done: false }.value_at(0.5), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::*;

    fn num(start: f64, target: f64, current: f64, direction: Direction) -> Measure {
        Measure::Numeric { start, target, current, direction, flat: None }
    }

    fn progress(m: &Measure) -> f64 {
        m.validate().unwrap();
        m.evaluate(0.0).0
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn g14_numeric_progress_from_a_start_that_is_not_zero() {
        // Revenue from 200 to 500 (万元); at 320 the way travelled is 120 of 300 = 0.4.
        close(progress(&num(200.0, 500.0, 320.0, HigherIsBetter)), 0.4);
        // Still at the start, and below it: nothing.
        close(progress(&num(200.0, 500.0, 200.0, HigherIsBetter)), 0.0);
        close(progress(&num(200.0, 500.0, 150.0, HigherIsBetter)), 0.0);
    }

    #[test]
    fn g14_lower_is_better_is_mirrored() {
        // Defects from 40 down to 10; at 31 we are 9 of 30 along = 0.3.
        close(progress(&num(40.0, 10.0, 31.0, LowerIsBetter)), 0.3);
        // Worse than the start counts as 0, better than the target as 1.
        close(progress(&num(40.0, 10.0, 45.0, LowerIsBetter)), 0.0);
        close(progress(&num(40.0, 10.0, 4.0, LowerIsBetter)), 1.0);
    }

    #[test]
    fn g14_values_beyond_target_and_negative_values() {
        close(progress(&num(0.0, 100.0, 130.0, HigherIsBetter)), 1.0);
        // A loss of −50 to be turned into a profit of +30: at −10 we are 40 of 80 = 0.5.
        close(progress(&num(-50.0, 30.0, -10.0, HigherIsBetter)), 0.5);
        // Temperature deviation from −2 down to −8: at −5, 3 of 6 = 0.5.
        close(progress(&num(-2.0, -8.0, -5.0, LowerIsBetter)), 0.5);
    }

    #[test]
    fn g14_target_equal_to_start_needs_the_hold_rule() {
        let bare = num(95.0, 95.0, 96.0, HigherIsBetter);
        assert_eq!(bare.validate(), Err(MeasureError { field: "target", code: "target_equals_start" }));
        let hold = |current, direction| Measure::Numeric {
            start: 95.0,
            target: 95.0,
            current,
            direction,
            flat: Some(FlatTarget::Hold),
        };
        close(progress(&hold(96.0, HigherIsBetter)), 1.0);
        close(progress(&hold(95.0, HigherIsBetter)), 1.0);
        close(progress(&hold(94.9, HigherIsBetter)), 0.0);
        close(progress(&hold(94.9, LowerIsBetter)), 1.0);
    }

    #[test]
    fn g14_direction_must_match_the_target() {
        let wrong = num(10.0, 40.0, 20.0, LowerIsBetter);
        assert_eq!(wrong.validate(), Err(MeasureError { field: "target", code: "direction_mismatch" }));
        assert_eq!(num(f64::NAN, 1.0, 0.0, HigherIsBetter).validate().unwrap_err().code, "not_finite");
    }

    fn kpi(threshold: Option<f64>, stretch: Option<f64>, actual: f64, formula: KpiFormula) -> Measure {
        Measure::Kpi { baseline: 0.0, threshold, target: 1000.0, stretch, actual, direction: HigherIsBetter, formula }
    }

    fn achievement(m: &Measure) -> f64 {
        m.validate().unwrap();
        match m.evaluate(0.0).1 {
            NativeScore::Achievement { percent } => percent,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn g14_kpi_achievement_with_threshold_and_stretch() {
        // Sales target 1000, threshold 600, stretch 1500.
        let k = |actual| kpi(Some(600.0), Some(1500.0), actual, KpiFormula::Ratio);
        close(achievement(&k(500.0)), 0.0); // below the threshold
        close(achievement(&k(600.0)), 60.0); // at the threshold: 600 / 1000
        close(achievement(&k(850.0)), 85.0);
        close(achievement(&k(1000.0)), 100.0);
        close(achievement(&k(1250.0)), 110.0); // halfway to stretch: 100 + 20 × 250/500
        close(achievement(&k(2000.0)), 120.0); // beyond stretch: capped
        // Roll-up progress stops at 1.0; the native achievement keeps the 110 %.
        close(k(1250.0).evaluate(0.0).0, 1.0);
        // Without a stretch target, over-achievement stops at 100 %.
        close(achievement(&kpi(None, None, 1300.0, KpiFormula::Ratio)), 100.0);
    }

    #[test]
    fn g14_kpi_lower_is_better_and_linear_formula() {
        // Complaint rate: baseline 5 %, target 2 %, threshold 4 %, stretch 1 %.
        let m = |actual| Measure::Kpi {
            baseline: 5.0,
            threshold: Some(4.0),
            target: 2.0,
            stretch: Some(1.0),
            actual,
            direction: LowerIsBetter,
            formula: KpiFormula::Ratio,
        };
        close(achievement(&m(4.5)), 0.0);
        close(achievement(&m(2.5)), 80.0); // 2 / 2.5
        close(achievement(&m(1.5)), 110.0);
        let linear = Measure::Kpi {
            baseline: 5.0,
            threshold: None,
            target: 2.0,
            stretch: None,
            actual: 4.1,
            direction: LowerIsBetter,
            formula: KpiFormula::Linear,
        };
        close(achievement(&linear), 30.0); // 0.9 of 3 travelled
        let bad = Measure::Kpi {
            baseline: 0.0,
            threshold: Some(1200.0),
            target: 1000.0,
            stretch: Some(900.0),
            actual: 0.0,
            direction: HigherIsBetter,
            formula: KpiFormula::Ratio,
        };
        assert_eq!(bad.validate().unwrap_err().field, "threshold");
    }

    #[test]
    fn g14_okr_bands() {
        assert_eq!(OkrBand::of(1.0), OkrBand::Green);
        assert_eq!(OkrBand::of(0.7), OkrBand::Green);
        assert_eq!(OkrBand::of(0.66), OkrBand::Green); // written as 0.7
        assert_eq!(OkrBand::of(0.6), OkrBand::Yellow);
        assert_eq!(OkrBand::of(0.4), OkrBand::Yellow);
        assert_eq!(OkrBand::of(0.3), OkrBand::Red);
        assert_eq!(OkrBand::of(0.0), OkrBand::Red);
        assert_eq!(Measure::Score { score: 1.2 }.validate().unwrap_err().code, "out_of_range");
    }

    #[test]
    fn g14_done_and_rating_measures() {
        close(progress(&Measure::Done { done: true }), 1.0);
        close(progress(&Measure::Done { done: false }), 0.0);
        // Visit quality rated 1–5, aiming at 4: a 3 is 2 of 3 steps.
        close(progress(&Measure::Rating { min: 1.0, target: 4.0, value: 3.0 }), 2.0 / 3.0);
        close(progress(&Measure::Rating { min: 1.0, target: 4.0, value: 5.0 }), 1.0);
    }

    #[test]
    fn issue21_values_beyond_the_stored_scale_are_refused_naming_the_field() {
        let m = Measure::Numeric {
            start: -1e300,
            target: 1e300,
            current: 0.0,
            direction: Direction::HigherIsBetter,
            flat: None,
        };
        let e = m.validate().unwrap_err();
        assert_eq!((e.field, e.code), ("start", "value_out_of_range"));
        let ok = Measure::Numeric {
            start: 0.0,
            target: 1e14,
            current: 0.0,
            direction: Direction::HigherIsBetter,
            flat: None,
        };
        assert!(ok.validate().is_ok());
    }
}
