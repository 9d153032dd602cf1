//! A rating scale (V-2): any number of points, each with a value, a label and a behavioural
//! anchor ("what this looks like"). A rating is placed on 0–100 by where it sits between the
//! lowest and the highest point, so scales of different lengths combine.

use serde::{Deserialize, Serialize};

pub const MIN_POINTS: usize = 2;
pub const MAX_POINTS: usize = 10;
pub const MAX_LABEL_CHARS: usize = 40;
pub const MAX_ANCHOR_CHARS: usize = 300;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScalePoint {
    pub value: i32,
    pub label: String,
    /// The behaviour that earns this point.
    #[serde(default)]
    pub anchor: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingScale {
    pub points: Vec<ScalePoint>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScaleProblem {
    PointCount,
    /// Values must rise strictly from the first point to the last (index of the offender).
    NotRising(usize),
    LabelEmpty(usize),
    LabelTooLong(usize),
    AnchorTooLong(usize),
}

impl RatingScale {
    /// 1…n with numeric labels: the default and the tests' scale.
    pub fn points(n: i32) -> RatingScale {
        RatingScale {
            points: (1..=n).map(|v| ScalePoint { value: v, label: v.to_string(), anchor: String::new() }).collect(),
        }
    }

    pub fn check(&self) -> Result<(), ScaleProblem> {
        if !(MIN_POINTS..=MAX_POINTS).contains(&self.points.len()) {
            return Err(ScaleProblem::PointCount);
        }
        for (i, p) in self.points.iter().enumerate() {
            if i > 0 && p.value <= self.points[i - 1].value {
                return Err(ScaleProblem::NotRising(i));
            }
            if p.label.trim().is_empty() {
                return Err(ScaleProblem::LabelEmpty(i));
            }
            if p.label.chars().count() > MAX_LABEL_CHARS {
                return Err(ScaleProblem::LabelTooLong(i));
            }
            if p.anchor.chars().count() > MAX_ANCHOR_CHARS {
                return Err(ScaleProblem::AnchorTooLong(i));
            }
        }
        Ok(())
    }

    pub fn contains(&self, value: i32) -> bool {
        self.points.iter().any(|p| p.value == value)
    }

    pub fn min(&self) -> i32 {
        self.points.first().map_or(0, |p| p.value)
    }

    pub fn max(&self) -> i32 {
        self.points.last().map_or(0, |p| p.value)
    }

    /// Where `value` sits between the lowest and the highest point, in percent.
    pub fn to_percent(&self, value: i32) -> f64 {
        let (lo, hi) = (self.min() as f64, self.max() as f64);
        if hi <= lo { 0.0 } else { ((value as f64 - lo) / (hi - lo) * 100.0).clamp(0.0, 100.0) }
    }

    pub fn label_of(&self, value: i32) -> Option<&str> {
        self.points.iter().find(|p| p.value == value).map(|p| p.label.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v2_any_number_of_points_placed_on_0_to_100() {
        let s = RatingScale::points(5);
        assert_eq!(s.check(), Ok(()));
        assert_eq!((s.to_percent(1), s.to_percent(3), s.to_percent(5)), (0.0, 50.0, 100.0));
        // A 0–3 scale: 2 sits at two thirds.
        let t = RatingScale::points(4);
        let t = RatingScale { points: t.points.into_iter().map(|p| ScalePoint { value: p.value - 1, ..p }).collect() };
        assert!((t.to_percent(2) - 66.666_666).abs() < 1e-3);
    }

    #[test]
    fn v2_bad_scales_are_named() {
        assert_eq!(RatingScale::points(1).check(), Err(ScaleProblem::PointCount));
        assert_eq!(RatingScale::points(11).check(), Err(ScaleProblem::PointCount));
        let mut s = RatingScale::points(3);
        s.points[2].value = 2;
        assert_eq!(s.check(), Err(ScaleProblem::NotRising(2)));
        let mut s = RatingScale::points(3);
        s.points[1].label = " ".into();
        assert_eq!(s.check(), Err(ScaleProblem::LabelEmpty(1)));
        assert!(!RatingScale::points(5).contains(6));
    }
}
