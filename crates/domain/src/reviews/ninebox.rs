//! The nine-box (V-7): performance from the calibrated grade, potential from a separate
//! assessment, each low / medium / high; nine named boxes (configurable names).

use serde::{Deserialize, Serialize};

/// 0 low, 1 medium, 2 high.
pub type Level = u8;

/// Box names indexed `[potential][performance]`, potential and performance 0 = low.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoxNames(pub [[String; 3]; 3]);

impl BoxNames {
    pub fn default_for(lang: &str) -> BoxNames {
        let zh = lang.starts_with("zh");
        let n = |z: &str, e: &str| if zh { z.to_string() } else { e.to_string() };
        BoxNames([
            [n("需淘汰", "Talent risk"), n("稳定贡献者", "Effective"), n("专业骨干", "Trusted professional")],
            [n("待观察", "Inconsistent"), n("中坚", "Core player"), n("高绩效者", "High performer")],
            [n("待激发", "Rough diamond"), n("潜力股", "High potential"), n("明星", "Star")],
        ])
    }

    pub fn name(&self, performance: Level, potential: Level) -> &str {
        &self.0[potential.min(2) as usize][performance.min(2) as usize]
    }
}

/// Performance level of a grade: the top two grades high, the bottom two low, the rest medium
/// (with S/A/B/C/D: S, A high; B medium; C, D low). `index` is the grade's position, best first.
pub fn performance_level(index: usize, grades: usize) -> Level {
    if grades <= 3 {
        return (grades.saturating_sub(1).saturating_sub(index)).min(2) as Level;
    }
    if index < 2 {
        2
    } else if index + 2 >= grades {
        0
    } else {
        1
    }
}

/// 1–9 in the usual layout: 1 is low/low, 9 high/high, rows of potential.
pub fn box_number(performance: Level, potential: Level) -> u8 {
    potential.min(2) * 3 + performance.min(2) + 1
}

/// A level's code: low, medium or high.
pub fn level_code(l: Level) -> &'static str {
    ["low", "medium", "high"][l.min(2) as usize]
}

pub fn parse_level(s: &str) -> Option<Level> {
    ["low", "medium", "high"].iter().position(|x| *x == s).map(|i| i as Level)
}

/// How a person moved since the previous cycle: up when performance and potential together
/// rose, down when they fell, across when they stayed the same sum in another box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Movement {
    New,
    Up,
    Down,
    Across,
    Same,
}

impl Movement {
    pub fn code(self) -> &'static str {
        match self {
            Movement::New => "new",
            Movement::Up => "up",
            Movement::Down => "down",
            Movement::Across => "across",
            Movement::Same => "same",
        }
    }
}

pub fn movement(previous: Option<(Level, Level)>, now: (Level, Level)) -> Movement {
    let Some(prev) = previous else { return Movement::New };
    let sum = |(a, b): (Level, Level)| a as i32 + b as i32;
    match sum(now).cmp(&sum(prev)) {
        std::cmp::Ordering::Greater => Movement::Up,
        std::cmp::Ordering::Less => Movement::Down,
        std::cmp::Ordering::Equal if prev == now => Movement::Same,
        std::cmp::Ordering::Equal => Movement::Across,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v7_grades_to_levels_and_boxes() {
        let levels: Vec<Level> = (0..5).map(|i| performance_level(i, 5)).collect();
        assert_eq!(levels, [2, 2, 1, 0, 0]);
        assert_eq!((0..3).map(|i| performance_level(i, 3)).collect::<Vec<_>>(), [2, 1, 0]);
        let names = BoxNames::default_for("zh-CN");
        assert_eq!(names.name(2, 2), "明星");
        assert_eq!(names.name(0, 0), "需淘汰");
        assert_eq!(names.name(0, 1), "待观察");
        assert_eq!(names.name(1, 1), "中坚");
        assert_eq!((box_number(0, 0), box_number(2, 2), box_number(2, 0)), (1, 9, 3));
    }

    #[test]
    fn v7_levels_and_movement() {
        assert_eq!((parse_level("high"), parse_level("x")), (Some(2), None));
        assert_eq!(level_code(1), "medium");
        // (performance, potential): 中坚 (1,1) → 高绩效者 (2,1): up; → 待观察 (0,1): down.
        assert_eq!(movement(Some((1, 1)), (2, 1)), Movement::Up);
        assert_eq!(movement(Some((1, 1)), (0, 1)), Movement::Down);
        // 专业骨干 (2,0) → 潜力股 (1,2)? sums 2 → 3: up. 稳定贡献者 (1,0) → 待观察 (0,1): across.
        assert_eq!(movement(Some((2, 0)), (1, 2)), Movement::Up);
        assert_eq!(movement(Some((1, 0)), (0, 1)), Movement::Across);
        assert_eq!(movement(Some((2, 2)), (2, 2)), Movement::Same);
        assert_eq!(movement(None, (0, 0)), Movement::New);
    }
}
