//! Lopsided indicator sets (issue 22, item 9; SPEC G-8): what a person is measured on is what
//! they will do. The source articles' bus company measured drivers only by fare revenue and
//! trips, and got fatigue driving, speeding and accidents. A person's goals for a period that
//! hold only result indicators — no behaviour, process, quality or safety one — are flagged
//! when they are written, submitted and approved, with indicators from the library to add.
//!
//! An indicator's dimension is read from its framework (a behaviour goal is behaviour) and
//! otherwise from the words of its title, in Chinese or English. It is a hint for a person to
//! read, never a rule that blocks anything.

/// What an indicator measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Dimension {
    /// An outcome: revenue, trips, output, a delivered project.
    Results,
    /// How the work is done by the person: visits, coaching, collaboration, learning.
    Behaviour,
    /// Following the way of working: procedures, checklists, inspections, on-time steps.
    Process,
    /// The quality of what is done: defects, complaints, accuracy, satisfaction.
    Quality,
    /// Harm avoided: accidents, violations, fatigue, speeding, patient falls.
    Safety,
}

impl Dimension {
    pub fn code(self) -> &'static str {
        match self {
            Dimension::Results => "results",
            Dimension::Behaviour => "behaviour",
            Dimension::Process => "process",
            Dimension::Quality => "quality",
            Dimension::Safety => "safety",
        }
    }
}

/// Words that mark a dimension, checked in this order (safety first: "安全检查" is safety, not
/// process). English words are matched in lower case inside the title.
const WORDS: &[(Dimension, &[&str])] = &[
    (
        Dimension::Safety,
        &[
            "安全",
            "事故",
            "违章",
            "超速",
            "疲劳",
            "隐患",
            "工伤",
            "伤害",
            "跌倒",
            "给药差错",
            "院内感染",
            "危险",
            "medication error",
            "safety",
            "safe ",
            "accident",
            "incident-free",
            "injur",
            "speeding",
            "fatigue",
            "hazard",
            "violation",
            "near miss",
            "patient fall",
        ],
    ),
    (
        Dimension::Quality,
        &[
            "质量",
            "品质",
            "合格率",
            "良率",
            "不良",
            "返工",
            "缺陷",
            "投诉",
            "满意",
            "准确率",
            "差错",
            "错误率",
            "好评",
            "quality",
            "defect",
            "rework",
            "complaint",
            "satisf",
            "accuracy",
            "error rate",
            "nps",
            "first-pass",
        ],
    ),
    (
        Dimension::Process,
        &[
            "流程",
            "规范",
            "规程",
            "标准作业",
            "sop",
            "点检",
            "巡检",
            "检查完成",
            "交接班",
            "记录完整",
            "文书",
            "依从",
            "及时率",
            "按时",
            "按期",
            "准时",
            "process",
            "procedure",
            "checklist",
            "inspection",
            "compliance",
            "on-time",
            "on time",
            "punctual",
        ],
    ),
    (
        Dimension::Behaviour,
        &[
            "行为",
            "拜访",
            "跟进",
            "协作",
            "培训",
            "学习",
            "分享",
            "辅导",
            "带教",
            "沟通",
            "服务态度",
            "礼仪",
            "价值观",
            "behaviour",
            "behavior",
            "visit",
            "follow-up",
            "coaching",
            "mentor",
            "training",
            "collaborat",
            "sharing",
        ],
    ),
];

/// The dimension of one indicator: a goal (its framework and title) or a key result (its
/// goal's framework and its own title).
pub fn dimension(framework: &str, title: &str) -> Dimension {
    if framework == "behaviour" {
        return Dimension::Behaviour;
    }
    let t = format!("{} ", title.trim().to_lowercase());
    WORDS.iter().find(|(_, words)| words.iter().any(|w| t.contains(w))).map_or(Dimension::Results, |(d, _)| *d)
}

/// One indicator of a person's set: the framework of its goal and its title.
#[derive(Debug, Clone, Copy)]
pub struct Indicator<'a> {
    pub framework: &'a str,
    pub title: &'a str,
}

/// Whether a set measures results only: at least one indicator, and none of behaviour,
/// process, quality or safety.
pub fn results_only(set: &[Indicator<'_>]) -> bool {
    !set.is_empty() && set.iter().all(|i| dimension(i.framework, i.title) == Dimension::Results)
}

#[cfg(test)]
mod tests {
    //! Issue 22, item 9 (G-8).
    use super::*;

    fn kpi(title: &str) -> Indicator<'_> {
        Indicator { framework: "kpi", title }
    }

    #[test]
    fn g8_the_bus_drivers_fares_and_trips_are_results_only() {
        let driver = [kpi("票款收入"), kpi("月度趟次"), kpi("营收目标")];
        assert!(results_only(&driver));
        // One safety indicator balances it; so does a behaviour goal.
        let safer = [kpi("票款收入"), kpi("月度趟次"), kpi("安全行车零责任事故")];
        assert!(!results_only(&safer));
        let behaviour = [kpi("票款收入"), Indicator { framework: "behaviour", title: "文明驾驶" }];
        assert!(!results_only(&behaviour));
        // Nothing written yet is not lopsided.
        assert!(!results_only(&[]));
    }

    #[test]
    fn g8_dimensions_are_read_from_words_in_either_language() {
        assert_eq!(dimension("kpi", "超速报警次数"), Dimension::Safety);
        assert_eq!(dimension("kpi", "出车前安全检查完成率"), Dimension::Safety, "safety before process");
        assert_eq!(dimension("kpi", "Zero speeding alerts"), Dimension::Safety);
        assert_eq!(dimension("kpi", "产品一次合格率"), Dimension::Quality);
        assert_eq!(dimension("kpi", "Customer complaints per 1 000 trips"), Dimension::Quality);
        assert_eq!(dimension("kpi", "设备点检完成率"), Dimension::Process);
        assert_eq!(dimension("okr", "On-time handover checklist"), Dimension::Process);
        assert_eq!(dimension("kpi", "客户拜访次数"), Dimension::Behaviour);
        assert_eq!(dimension("kpi", "新签合同额"), Dimension::Results);
        assert_eq!(dimension("okr", "Launch the payments gateway"), Dimension::Results);
    }
}
