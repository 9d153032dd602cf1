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
}
