//! Grades (V-3, V-4): a score maps to the first grade whose threshold it reaches (S ≥ 85,
//! A ≥ 58, B ≥ 40, C ≥ 20, D below by default), and the calibration guideline says what share
//! of people each grade should hold (S 10 % / A 20 % / B 50 % / C 15 % / D 5 %).
//!
//! The default thresholds agree with the default scale placed on 0–100 (far below 0, below 25,
//! meets 50, exceeds 75, far exceeds 100) and with goals at their target placed at 50
//! ([`super::scoring::goal_score`]), under the starter formula `0.6*goals + 0.4*competencies`
//! as under a ratings-only one (issue 22, item 11): all "meets" with goals at target is 50, a
//! B; all "exceeds" with goals at target is 60, an A (75 on ratings alone); all "below" is 40
//! with goals at target (still a B: the goals were met) and 25 on ratings alone, a C.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Band {
    pub code: String,
    /// The lowest score that earns the grade.
    pub min: f64,
    /// The share the guideline expects, in percent.
    pub guideline: u32,
}

/// The grades from best to worst.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GradeBands {
    pub bands: Vec<Band>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GradeProblem {
    Count,
    CodeEmpty(usize),
    CodeRepeated(usize),
    /// Thresholds must fall strictly from the best grade to the worst.
    NotFalling(usize),
    /// The worst grade must start at 0 so that every score has a grade.
    LastNotZero,
    /// The guideline shares add up to this instead of 100.
    GuidelineTotal(u64),
}

impl Default for GradeBands {
    fn default() -> Self {
        let b = |code: &str, min: f64, guideline: u32| Band { code: code.into(), min, guideline };
        GradeBands {
            bands: vec![b("S", 85.0, 10), b("A", 58.0, 20), b("B", 40.0, 50), b("C", 20.0, 15), b("D", 0.0, 5)],
        }
    }
}

impl GradeBands {
    pub fn check(&self) -> Result<(), GradeProblem> {
        if !(2..=9).contains(&self.bands.len()) {
            return Err(GradeProblem::Count);
        }
        for (i, b) in self.bands.iter().enumerate() {
            let code = b.code.trim();
            if code.is_empty() || code.chars().count() > 8 {
                return Err(GradeProblem::CodeEmpty(i));
            }
            if self.bands[..i].iter().any(|o| o.code.trim() == code) {
                return Err(GradeProblem::CodeRepeated(i));
            }
            if i > 0 && (b.min.is_nan() || b.min >= self.bands[i - 1].min) {
                return Err(GradeProblem::NotFalling(i));
            }
        }
        if self.bands.last().map(|b| b.min) != Some(0.0) {
            return Err(GradeProblem::LastNotZero);
        }
        let total: u64 = self.bands.iter().map(|b| b.guideline as u64).sum();
        if total != 100 {
            return Err(GradeProblem::GuidelineTotal(total));
        }
        Ok(())
    }

    pub fn index_of(&self, score: f64) -> usize {
        self.bands.iter().position(|b| score >= b.min).unwrap_or(self.bands.len().saturating_sub(1))
    }

    pub fn grade_of(&self, score: f64) -> &str {
        self.bands.get(self.index_of(score)).map_or("", |b| b.code.as_str())
    }

    pub fn position(&self, code: &str) -> Option<usize> {
        self.bands.iter().position(|b| b.code == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v3_thresholds_map_scores_to_grades() {
        let g = GradeBands::default();
        assert_eq!(g.check(), Ok(()));
        let grades: Vec<&str> = [100.0, 85.0, 84.99, 58.0, 57.9, 40.0, 39.9, 20.0, 19.9, 0.0, -3.0]
            .iter()
            .map(|s| g.grade_of(*s))
            .collect();
        assert_eq!(grades, ["S", "S", "A", "A", "B", "B", "C", "C", "D", "D", "D"]);
    }

    #[test]
    fn v3_bad_grade_settings_are_named() {
        let mut g = GradeBands::default();
        g.bands[2].min = 60.0;
        assert_eq!(g.check(), Err(GradeProblem::NotFalling(2)));
        let mut g = GradeBands::default();
        g.bands[4].min = 10.0;
        assert_eq!(g.check(), Err(GradeProblem::LastNotZero));
        let mut g = GradeBands::default();
        g.bands[0].guideline = 15;
        assert_eq!(g.check(), Err(GradeProblem::GuidelineTotal(105)));
        let mut g = GradeBands::default();
        g.bands[1].code = "S".into();
        assert_eq!(g.check(), Err(GradeProblem::CodeRepeated(1)));
    }
}
