//! What the demo's goals say, by job family: a sales team sells and visits customers, a plant
//! counts its yield and its accidents, engineering ships and keeps defects down. Every
//! person's set carries a behaviour, process, quality or safety indicator beside its results
//! (the balance that issue 22 asks for), so the demo shows goals a real company writes, and
//! the lopsided-set warning only where it belongs.

/// One key result: its title and unit in both languages, where it started and where it aims
/// (a target below the start is lower-is-better: defects, response times, accidents).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Kr {
    pub zh: (&'static str, &'static str),
    pub en: (&'static str, &'static str),
    pub start: f64,
    pub target: f64,
}

const fn kr(zh: (&'static str, &'static str), en: (&'static str, &'static str), start: f64, target: f64) -> Kr {
    Kr { zh, en, start, target }
}

/// A goal with its key results.
#[derive(Debug, Clone, Copy)]
pub(crate) struct GoalText {
    pub zh: &'static str,
    pub en: &'static str,
    pub krs: &'static [Kr],
}

/// What one job family's goals say at each level.
pub(crate) struct Family {
    /// Year goals of a business unit: measured directly, as a company measures its divisions.
    pub division: [GoalText; 2],
    /// Which company goal (of [`COMPANY`]) each year goal supports.
    pub supports: [usize; 2],
    /// A department's quarter priorities (rolled up from its teams).
    pub department: [(&'static str, &'static str); 4],
    /// A team's quarter goal (rolled up from its members).
    pub team: (&'static str, &'static str),
    /// A person's quarter OKR: one of these.
    pub okrs: [GoalText; 3],
    /// A person's KPI beside it, for about half of them.
    pub kpi: GoalText,
}

/// The company's year goals: each rolls up from the business units' year goals below it, which
/// are measured directly (finance, the satisfaction survey, the platform's own figures).
pub(crate) const COMPANY: [(&str, &str); 3] = [
    ("营收增长 30%，成为华东第一", "Grow revenue 30% and lead East China"),
    ("客户满意度达到 90 分", "Reach a customer satisfaction of 90"),
    ("核心产品完成云化转型", "Move the core product to the cloud"),
];

const SALES: Family = Family {
    supports: [0, 0],
    division: [
        GoalText {
            zh: "全年新签合同额突破 5 亿元",
            en: "Sign 500M CNY of new contracts this year",
            krs: &[
                kr(("新签合同额", "万元"), ("New contract value", "10k CNY"), 0.0, 50_000.0),
                kr(("重点客户拜访", "次"), ("Key account visits", "visits"), 0.0, 1_200.0),
            ],
        },
        GoalText {
            zh: "重点区域市场份额提升到 25%",
            en: "Raise the share of key regions to 25%",
            krs: &[
                kr(("重点区域市场份额", "%"), ("Share in key regions", "%"), 18.0, 25.0),
                kr(("客户投诉", "件"), ("Customer complaints", "complaints"), 80.0, 30.0),
            ],
        },
    ],
    department: [
        ("本季度新签合同额达成", "Hit this quarter's new contract value"),
        ("老客户续约与增购", "Renewals and upsell of existing accounts"),
        ("回款及时、坏账清零", "Collect on time, no bad debt"),
        ("新行业客户突破", "Break into new industries"),
    ],
    team: ("完成本季度销售指标", "Hit this quarter's sales target"),
    okrs: [
        GoalText {
            zh: "拓展华东重点客户",
            en: "Win key accounts in East China",
            krs: &[
                kr(("新签合同额", "万元"), ("New contract value", "10k CNY"), 0.0, 300.0),
                kr(("完成客户拜访", "次"), ("Customer visits", "visits"), 0.0, 60.0),
                kr(("回款及时率", "%"), ("Payments collected on time", "%"), 70.0, 95.0),
            ],
        },
        GoalText {
            zh: "提升老客户续约与增购",
            en: "Renew and grow existing accounts",
            krs: &[
                kr(("客户续约率", "%"), ("Renewal rate", "%"), 70.0, 92.0),
                kr(("增购合同额", "万元"), ("Upsell contract value", "10k CNY"), 0.0, 120.0),
                kr(("客户投诉", "件"), ("Customer complaints", "complaints"), 8.0, 2.0),
            ],
        },
        GoalText {
            zh: "打开渠道合作新局面",
            en: "Open up channel partnerships",
            krs: &[
                kr(("新签渠道伙伴", "家"), ("New channel partners", "partners"), 0.0, 8.0),
                kr(("渠道销售额", "万元"), ("Channel sales", "10k CNY"), 0.0, 200.0),
                kr(("渠道伙伴培训", "场"), ("Partner training sessions", "sessions"), 0.0, 6.0),
            ],
        },
    ],
    kpi: GoalText {
        zh: "回款 KPI",
        en: "Collections KPI",
        krs: &[kr(("季度回款额", "万元"), ("Collections this quarter", "10k CNY"), 0.0, 400.0)],
    },
};

const FUNCTIONS: Family = Family {
    supports: [2, 0],
    division: [
        GoalText {
            zh: "人才梯队与组织能力建设",
            en: "Build the talent bench and the organization's capabilities",
            krs: &[
                kr(("关键岗位到岗率", "%"), ("Key roles filled", "%"), 60.0, 95.0),
                kr(("管理者培训覆盖率", "%"), ("Managers trained", "%"), 30.0, 100.0),
            ],
        },
        GoalText {
            zh: "经营管理提效，费用率下降 2 个点",
            en: "Run leaner: expense ratio down 2 points",
            krs: &[
                kr(("管理费用率", "%"), ("Administrative expense ratio", "%"), 12.0, 10.0),
                kr(("报表按时提交率", "%"), ("Reports submitted on time", "%"), 80.0, 100.0),
            ],
        },
    ],
    department: [
        ("关键岗位招聘按期到位", "Fill key roles on schedule"),
        ("月结提速与核算质量", "Faster month-end close, accurate books"),
        ("内部服务满意度提升", "Better internal service"),
        ("制度流程梳理上线", "Policies and processes written and live"),
    ],
    team: ("按期完成本季度重点工作", "Deliver this quarter's priorities on schedule"),
    okrs: [
        GoalText {
            zh: "关键岗位招聘按期到位",
            en: "Fill key roles on schedule",
            krs: &[
                kr(("关键岗位到岗", "人"), ("Key roles filled", "people"), 0.0, 12.0),
                kr(("招聘按期完成率", "%"), ("Hires made on time", "%"), 60.0, 90.0),
                kr(("新员工转正率", "%"), ("New hires confirmed", "%"), 80.0, 95.0),
            ],
        },
        GoalText {
            zh: "月结提速，核算零差错",
            en: "Faster month-end close with no errors",
            krs: &[
                kr(("月结天数", "天"), ("Days to close the month", "days"), 8.0, 4.0),
                kr(("凭证差错", "笔"), ("Voucher errors", "errors"), 20.0, 3.0),
                kr(("报表按时提交率", "%"), ("Reports on time", "%"), 80.0, 100.0),
            ],
        },
        GoalText {
            zh: "内部服务满意度提升",
            en: "Better internal service",
            krs: &[
                kr(("内部服务满意度", "分"), ("Internal satisfaction", "points"), 75.0, 88.0),
                kr(("工单处理及时率", "%"), ("Tickets handled on time", "%"), 70.0, 95.0),
                kr(("流程优化上线", "项"), ("Process improvements live", "items"), 0.0, 6.0),
            ],
        },
    ],
    kpi: GoalText {
        zh: "服务时效 KPI",
        en: "Service timeliness KPI",
        krs: &[kr(("工单按时办结率", "%"), ("Tickets closed on time", "%"), 0.0, 95.0)],
    },
};

const ENGINEERING: Family = Family {
    supports: [2, 1],
    division: [
        GoalText {
            zh: "核心产品完成云原生改造",
            en: "Make the core product cloud-native",
            krs: &[
                kr(("云化模块上线", "个"), ("Cloud modules live", "modules"), 0.0, 40.0),
                kr(("版本按时发布率", "%"), ("Releases on time", "%"), 70.0, 95.0),
            ],
        },
        GoalText {
            zh: "线上质量与稳定性显著提升",
            en: "Much better quality and stability in production",
            krs: &[
                kr(("线上严重故障", "次"), ("Severe incidents", "incidents"), 12.0, 3.0),
                kr(("线上缺陷", "个"), ("Production defects", "defects"), 400.0, 150.0),
            ],
        },
    ],
    department: [
        ("按期交付本季度版本", "Ship this quarter's releases on schedule"),
        ("核心服务可用性 99.95%", "99.95% availability of core services"),
        ("数据平台支撑业务决策", "A data platform the business decides with"),
        ("研发效能提升 20%", "Engineering throughput up 20%"),
    ],
    team: ("按期交付本季度版本", "Ship this quarter's release on schedule"),
    okrs: [
        GoalText {
            zh: "完成订单中心云原生改造",
            en: "Make the order service cloud-native",
            krs: &[
                kr(("上线微服务", "个"), ("Services live", "services"), 0.0, 12.0),
                kr(("线上缺陷", "个"), ("Production defects", "defects"), 30.0, 8.0),
                kr(("需求按时交付率", "%"), ("Stories delivered on time", "%"), 70.0, 95.0),
            ],
        },
        GoalText {
            zh: "提升系统稳定性",
            en: "Make the system more stable",
            krs: &[
                kr(("核心接口可用性", "%"), ("Core API availability", "%"), 99.0, 99.95),
                kr(("故障平均恢复时间", "分钟"), ("Mean time to recover", "minutes"), 60.0, 15.0),
                kr(("事故复盘按时完成率", "%"), ("Incident reviews on time", "%"), 50.0, 100.0),
            ],
        },
        GoalText {
            zh: "数据平台支撑业务决策",
            en: "A data platform the business decides with",
            krs: &[
                kr(("上线数据看板", "个"), ("Dashboards live", "dashboards"), 0.0, 10.0),
                kr(("数据准确率", "%"), ("Data accuracy", "%"), 90.0, 99.5),
                kr(("跨团队分享会", "场"), ("Cross-team sharing sessions", "sessions"), 0.0, 6.0),
            ],
        },
    ],
    kpi: GoalText {
        zh: "交付 KPI",
        en: "Delivery KPI",
        krs: &[kr(("按期交付需求数", "个"), ("Stories delivered on schedule", "stories"), 0.0, 30.0)],
    },
};

const SERVICE: Family = Family {
    supports: [1, 1],
    division: [
        GoalText {
            zh: "客户满意度提升到 92 分",
            en: "Raise customer satisfaction to 92",
            krs: &[
                kr(("客户满意度", "分"), ("Customer satisfaction", "points"), 84.0, 92.0),
                kr(("服务规范抽检合格率", "%"), ("Service checks passed", "%"), 85.0, 98.0),
            ],
        },
        GoalText {
            zh: "服务效率提升 30%",
            en: "Serve 30% faster",
            krs: &[
                kr(("平均响应时长", "分钟"), ("Average response time", "minutes"), 30.0, 12.0),
                kr(("人均处理工单", "张/天"), ("Tickets per person", "a day"), 20.0, 26.0),
            ],
        },
    ],
    department: [
        ("本季度服务指标达标", "Meet this quarter's service levels"),
        ("首次解决率提升到 88%", "First-contact resolution at 88%"),
        ("重点客户成功计划", "A success plan for every key account"),
        ("知识库与服务规范完善", "A complete knowledge base and service standard"),
    ],
    team: ("本季度服务指标达标", "Meet this quarter's service levels"),
    okrs: [
        GoalText {
            zh: "提升客户满意度",
            en: "Happier customers",
            krs: &[
                kr(("客户满意度", "分"), ("Customer satisfaction", "points"), 82.0, 92.0),
                kr(("首次解决率", "%"), ("First-contact resolution", "%"), 70.0, 88.0),
                kr(("服务规范抽检合格率", "%"), ("Service checks passed", "%"), 85.0, 98.0),
            ],
        },
        GoalText {
            zh: "缩短工单响应时间",
            en: "Answer tickets faster",
            krs: &[
                kr(("平均响应时长", "分钟"), ("Average response time", "minutes"), 30.0, 10.0),
                kr(("工单按时关闭率", "%"), ("Tickets closed on time", "%"), 80.0, 96.0),
                kr(("客户跟进回访", "次"), ("Customer follow-up calls", "calls"), 0.0, 120.0),
            ],
        },
        GoalText {
            zh: "客户成功与续约",
            en: "Customer success and renewals",
            krs: &[
                kr(("健康度达标客户", "家"), ("Healthy accounts", "accounts"), 0.0, 40.0),
                kr(("客户续约率", "%"), ("Renewal rate", "%"), 80.0, 93.0),
                kr(("客户培训", "场"), ("Customer training sessions", "sessions"), 0.0, 10.0),
            ],
        },
    ],
    kpi: GoalText {
        zh: "服务质量 KPI",
        en: "Service quality KPI",
        krs: &[kr(("客户满意度", "分"), ("Customer satisfaction", "points"), 0.0, 92.0)],
    },
};

const PRODUCTION: Family = Family {
    supports: [0, 1],
    division: [
        GoalText {
            zh: "制造成本下降 8%",
            en: "Cut manufacturing cost by 8%",
            krs: &[
                kr(("单位制造成本", "元"), ("Unit manufacturing cost", "CNY"), 130.0, 120.0),
                kr(("设备综合效率", "%"), ("Overall equipment effectiveness", "%"), 72.0, 85.0),
            ],
        },
        GoalText {
            zh: "质量与安全双达标",
            en: "Quality and safety both on target",
            krs: &[
                kr(("一次合格率", "%"), ("First-pass yield", "%"), 95.0, 99.0),
                kr(("安全事故", "起"), ("Safety accidents", "accidents"), 4.0, 0.0),
            ],
        },
    ],
    department: [
        ("完成本季度生产计划", "Meet this quarter's production plan"),
        ("一次合格率提升到 99%", "First-pass yield at 99%"),
        ("安全生产零事故", "Zero safety accidents"),
        ("供应链准时交付", "On-time supply"),
    ],
    team: ("完成本季度生产计划", "Meet this quarter's production plan"),
    okrs: [
        GoalText {
            zh: "降本增效",
            en: "Lower cost, higher output",
            krs: &[
                kr(("单位制造成本", "元"), ("Unit manufacturing cost", "CNY"), 120.0, 110.0),
                kr(("产线产量", "件"), ("Line output", "units"), 0.0, 5_000.0),
                kr(("设备点检完成率", "%"), ("Equipment inspections done", "%"), 85.0, 100.0),
            ],
        },
        GoalText {
            zh: "质量提升",
            en: "Better quality",
            krs: &[
                kr(("一次合格率", "%"), ("First-pass yield", "%"), 95.0, 99.0),
                kr(("客户质量投诉", "件"), ("Quality complaints", "complaints"), 6.0, 1.0),
                kr(("安全隐患整改", "项"), ("Safety hazards fixed", "items"), 0.0, 20.0),
            ],
        },
        GoalText {
            zh: "安全生产零事故",
            en: "Zero safety accidents",
            krs: &[
                kr(("安全事故", "起"), ("Safety accidents", "accidents"), 2.0, 0.0),
                kr(("安全培训", "课时"), ("Safety training", "hours"), 0.0, 16.0),
                kr(("交接班记录完整率", "%"), ("Shift handovers recorded", "%"), 90.0, 100.0),
            ],
        },
    ],
    kpi: GoalText {
        zh: "产量 KPI",
        en: "Output KPI",
        krs: &[kr(("合格产品产量", "件"), ("Good units produced", "units"), 0.0, 6_000.0)],
    },
};

/// A value as people would enter it on a measure running from `start` to `target`: whole
/// numbers on a wide range (visits, 10k CNY), two decimals on a narrow one (99.0 → 99.95 %).
pub(crate) fn as_entered(value: f64, start: f64, target: f64) -> f64 {
    if (target - start).abs() >= 20.0 { value.round() } else { (value * 100.0).round() / 100.0 }
}

/// The family of a business unit or person, by the demo's job family names (zh or en);
/// management and anything else reads as corporate functions.
pub(crate) fn family(job_family: Option<&str>) -> &'static Family {
    match job_family.unwrap_or("") {
        "销售" | "Sales" => &SALES,
        "产品/研发" | "Product/Engineering" => &ENGINEERING,
        "客服" | "Customer Service" => &SERVICE,
        "生产" | "Production" => &PRODUCTION,
        _ => &FUNCTIONS,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use waymark_domain::goals::balance::{Indicator, results_only};

    /// Every person's OKR in the demo has an indicator beside its results (issue 23, item 8,
    /// with issue 22's balance rule), in both languages.
    #[test]
    fn values_are_entered_as_people_enter_them() {
        assert_eq!(as_entered(123.46, 0.0, 300.0), 123.0);
        assert_eq!(as_entered(99.4567, 99.0, 99.95), 99.46);
        assert_eq!(as_entered(3.333, 8.0, 4.0), 3.33);
    }

    #[test]
    fn q6_every_demo_okr_measures_more_than_results() {
        for f in [&SALES, &FUNCTIONS, &ENGINEERING, &SERVICE, &PRODUCTION] {
            for g in &f.okrs {
                let zh: Vec<Indicator> = g.krs.iter().map(|k| Indicator { framework: "okr", title: k.zh.0 }).collect();
                let en: Vec<Indicator> = g.krs.iter().map(|k| Indicator { framework: "okr", title: k.en.0 }).collect();
                assert!(!results_only(&zh), "{}", g.zh);
                assert!(!results_only(&en), "{}", g.en);
            }
        }
    }
}
