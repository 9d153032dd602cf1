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
        Part { framework: "kpi", weight: 70.0, what: "output" },
        Part { framework: "milestone", weight: 30.0, what: "improvement" },
    ],
};

/// Words that name each kind of work, checked in this order (service before sales, so
/// "售后服务" is service).
const WORDS: &[(&[&str], Combo)] = &[
    (&["客服", "客户服务", "售后", "客户成功", "customer service", "support", "customer success"], SERVICE),
    (&["销售", "市场", "商务", "渠道", "sales", "marketing", "business development", "account"], SALES),
    (&["研发", "产品", "技术", "工程", "设计", "engineering", "product", "r&d", "research", "develop", "design"], RND),
    (&["生产", "制造", "品质", "质量", "供应链", "production", "manufactur", "quality", "supply"], PRODUCTION),
    (
        &["职能", "人力", "财务", "法务", "行政", "hr", "human", "finance", "legal", "admin", "functions", "it"],
        FUNCTIONS,
    ),
];

/// The combination recommended for a job family, if the family is recognised.
pub fn recommend(job_family: &str) -> Option<Combo> {
    let f = job_family.trim().to_lowercase();
    if f.is_empty() {
        return None;
    }
    let words_of =
        |s: &str| s.split(|c: char| !c.is_alphanumeric() && c != '&').map(str::to_string).collect::<Vec<_>>();
    let tokens = words_of(&f);
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
        assert_eq!(group("董事会秘书"), None);
        assert_eq!(group(" "), None);
    }

    #[test]
    fn g8_every_combination_adds_up_to_100() {
        for (_, c) in WORDS {
            assert_eq!(c.parts.iter().map(|p| p.weight).sum::<f64>(), 100.0, "{}", c.group);
        }
    }
}
