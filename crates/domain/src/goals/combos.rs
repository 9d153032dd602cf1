//! Recommended framework combinations per job family (G-8): which frameworks suit a kind of
//! work, with what weights, and why. A recommendation, never a rule: people may mix as they
//! see fit (G-1). Families are matched by the words HR uses for them, in Chinese or English.

/// One framework of a combination and its share of the person's goals, in percent.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Part {
    pub framework: &'static str,
    pub weight: f64,
    /// What the part measures, as a key in the language files (`combo-part-<what>`).
    pub what: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Combo {
    /// The kind of work, as a key (`combo-<group>` in the language files).
    pub group: &'static str,
    pub parts: &'static [Part],
}

const SALES: Combo = Combo {
    group: "sales",
    parts: &[
        Part { framework: "kpi", weight: 60.0, what: "results" },
        Part { framework: "behaviour", weight: 40.0, what: "visits" },
    ],
};
const RND: Combo = Combo {
    group: "rnd",
    parts: &[
        Part { framework: "okr", weight: 70.0, what: "outcomes" },
        Part { framework: "milestone", weight: 30.0, what: "delivery" },
    ],
};
const FUNCTIONS: Combo = Combo {
    group: "functions",
    parts: &[
        Part { framework: "mbo", weight: 70.0, what: "tasks" },
        Part { framework: "kpi", weight: 30.0, what: "satisfaction" },
    ],
};
const SERVICE: Combo = Combo {
    group: "service",
    parts: &[
        Part { framework: "kpi", weight: 70.0, what: "service-levels" },
        Part { framework: "behaviour", weight: 30.0, what: "service-quality" },
    ],
};
const PRODUCTION: Combo = Combo {
    group: "production",
    parts: &[
        Part { framework: "kpi", weight: 60.0, what: "output" },
        Part { framework: "behaviour", weight: 20.0, what: "safe-operation" },
        Part { framework: "milestone", weight: 20.0, what: "improvement" },
    ],
};
/// Drivers, dispatchers, couriers: the trips and the fares are half the job; how the vehicle
/// is driven is the other half (the bus company that measured only fares and trips got
/// fatigue driving, speeding and accidents).
const TRANSPORT: Combo = Combo {
    group: "transport",
    parts: &[
        Part { framework: "kpi", weight: 50.0, what: "trips-and-punctuality" },
        Part { framework: "behaviour", weight: 50.0, what: "safe-driving" },
    ],
};
/// Operators of machines, plants, warehouses and sites.
const OPERATIONS: Combo = Combo {
    group: "operations",
    parts: &[
        Part { framework: "kpi", weight: 60.0, what: "output" },
        Part { framework: "behaviour", weight: 40.0, what: "safe-operation" },
    ],
};
/// Nurses and other clinical staff: care quality and patient safety before throughput.
const CARE: Combo = Combo {
    group: "care",
    parts: &[
        Part { framework: "kpi", weight: 50.0, what: "care-quality" },
        Part { framework: "behaviour", weight: 50.0, what: "patient-safety" },
    ],
};
/// Any other family: outcomes, and how the work is done beside them.
const GENERAL: Combo = Combo {
    group: "general",
    parts: &[
        Part { framework: "okr", weight: 70.0, what: "outcomes" },
        Part { framework: "behaviour", weight: 30.0, what: "ways-of-working" },
    ],
};

/// Words that name each kind of work, checked in this order (service before sales, so
/// "售后服务" is service).
const WORDS: &[(&[&str], Combo)] = &[
    (&["护士", "护理", "医护", "临床", "医生", "医疗", "nurse", "nursing", "clinical", "medical"], CARE),
    (
        &[
            "司机",
            "驾驶",
            "运输",
            "物流",
            "配送",
            "客运",
            "公交",
            "调度",
            "快递",
            "driver",
            "transport",
            "logistics",
            "delivery",
            "courier",
            "dispatch",
        ],
        TRANSPORT,
    ),
    (&["客服", "客户服务", "售后", "客户成功", "customer service", "support", "customer success"], SERVICE),
    (&["销售", "市场", "商务", "渠道", "sales", "marketing", "business development", "account"], SALES),
    (&["研发", "产品", "技术", "工程", "设计", "engineering", "product", "r&d", "research", "develop", "design"], RND),
    (&["生产", "制造", "品质", "质量", "供应链", "production", "manufactur", "quality", "supply"], PRODUCTION),
    (
        &[
            "操作",
            "运维",
            "仓储",
            "仓库",
            "装配",
            "设备",
            "安装",
            "operator",
            "equipment",
            "warehouse",
            "plant",
            "maintenance",
        ],
        OPERATIONS,
    ),
    (
        &["职能", "人力", "财务", "法务", "行政", "hr", "human", "finance", "legal", "admin", "functions", "it"],
        FUNCTIONS,
    ),
];

/// The combination recommended for a job family: the family's kind of work when its name is
/// recognised, the general one otherwise (issue 22, item 9: a driver, an operator, a nurse got
/// nothing). None only when no family is known.
pub fn recommend(job_family: &str) -> Option<Combo> {
    let f = job_family.trim().to_lowercase();
    if f.is_empty() {
        return None;
    }
    Some(recognised(&f).unwrap_or(GENERAL))
}

fn recognised(f: &str) -> Option<Combo> {
    let words_of =
        |s: &str| s.split(|c: char| !c.is_alphanumeric() && c != '&').map(str::to_string).collect::<Vec<_>>();
    let tokens = words_of(f);
    WORDS
        .iter()
        .find(|(words, _)| {
            words.iter().any(|w| {
                // Chinese words match inside the name; short English words only as whole words
                // ("it" must not match "quality").
                if w.is_ascii() && w.len() <= 3 { tokens.iter().any(|t| t == w) } else { f.contains(w) }
            })
        })
        .map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    //! G-8 recommended framework combinations.
    use super::*;

    #[test]
    fn g8_families_get_their_combination() {
        let group = |f: &str| recommend(f).map(|c| c.group);
        assert_eq!(group("销售"), Some("sales"));
        assert_eq!(group("Sales"), Some("sales"));
        assert_eq!(group("产品/研发"), Some("rnd"));
        assert_eq!(group("Product/Engineering"), Some("rnd"));
        assert_eq!(group("职能支持"), Some("functions"));
        assert_eq!(group("Corporate Functions"), Some("functions"));
        assert_eq!(group("IT"), Some("functions"));
        assert_eq!(group("客服"), Some("service"));
        assert_eq!(group("售后服务"), Some("service"));
        assert_eq!(group("Quality"), Some("production"), "\"it\" inside a word is not IT");
        assert_eq!(group("生产"), Some("production"));
        assert_eq!(group("公交司机"), Some("transport"));
        assert_eq!(group("Driver"), Some("transport"));
        assert_eq!(group("设备操作"), Some("operations"));
        assert_eq!(group("Warehouse"), Some("operations"));
        assert_eq!(group("护理"), Some("care"));
        assert_eq!(group("Nursing"), Some("care"));
        // Every family gets a combination (issue 22, item 9); only no family gets none.
        assert_eq!(group("董事会秘书"), Some("general"));
        assert_eq!(group(" "), None);
    }

    #[test]
    fn g8_operations_roles_get_a_safety_or_behaviour_part() {
        for f in ["公交司机", "设备操作", "护理", "生产", "董事会秘书"] {
            let c = recommend(f).unwrap();
            assert!(c.parts.iter().any(|p| p.framework == "behaviour"), "{f}: {:?}", c.parts);
        }
    }

    #[test]
    fn g8_every_combination_adds_up_to_100() {
        for c in WORDS.iter().map(|(_, c)| c).chain([&GENERAL]) {
            assert_eq!(c.parts.iter().map(|p| p.weight).sum::<f64>(), 100.0, "{}", c.group);
        }
    }
}
