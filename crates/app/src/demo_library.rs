//! The demo's goal library (G-8): standard key results and goal templates for the demo's job
//! families, made through the same service HR uses, so they are checked like any other.

use uuid::Uuid;

use crate::goals::convert::KeyResultInput;
use crate::goals::library::{LibraryItemInput, TemplateInput};
use crate::policy::Actor;
use crate::{App, AppResult};

/// (zh, en) text.
type Text = (&'static str, &'static str);

/// What loading the standard indicators did.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct StandardItems {
    /// Every standard item's id, in order.
    pub ids: Vec<Uuid>,
    /// How many were added now (the rest were there already).
    pub added: usize,
}

struct Item {
    family: Text,
    title: Text,
    how: Text,
    unit: Text,
    kind: &'static str,
    /// start, threshold, target, stretch.
    values: (f64, Option<f64>, f64, Option<f64>),
}

const ITEMS: &[Item] = &[
    Item {
        family: ("销售", "Sales"),
        title: ("新签合同额", "New contract value"),
        how: ("本季度签约并生效的合同金额（不含税）", "Contracts signed and in force this quarter, before tax"),
        unit: ("万元", "k CNY"),
        kind: "kpi",
        values: (0.0, Some(80.0), 100.0, Some(120.0)),
    },
    Item {
        family: ("销售", "Sales"),
        title: ("回款率", "Collection rate"),
        how: ("已回款金额 ÷ 应回款金额", "Collected ÷ due"),
        unit: ("%", "%"),
        kind: "kpi",
        values: (80.0, Some(85.0), 95.0, Some(100.0)),
    },
    Item {
        family: ("销售", "Sales"),
        title: ("新客户数", "New customers"),
        how: ("首次签约的客户数", "Customers signing for the first time"),
        unit: ("家", "customers"),
        kind: "numeric",
        values: (0.0, None, 20.0, None),
    },
    Item {
        family: ("产品/研发", "Product/Engineering"),
        title: ("线上故障数", "Production incidents"),
        how: ("P1/P2 级线上故障次数，越少越好", "P1/P2 incidents; fewer is better"),
        unit: ("次", "incidents"),
        kind: "numeric",
        values: (10.0, None, 2.0, None),
    },
    Item {
        family: ("产品/研发", "Product/Engineering"),
        title: ("需求按期交付率", "On-time delivery"),
        how: ("按承诺日期上线的需求 ÷ 承诺的需求", "Items released by the promised date ÷ items promised"),
        unit: ("%", "%"),
        kind: "kpi",
        values: (70.0, Some(80.0), 90.0, Some(100.0)),
    },
    Item {
        family: ("职能支持", "Corporate Functions"),
        title: ("内部客户满意度", "Internal customer satisfaction"),
        how: ("季度内部服务调研平均分（5 分制）", "Quarterly internal survey, 5-point scale"),
        unit: ("分", "points"),
        kind: "kpi",
        values: (4.0, Some(4.2), 4.5, Some(4.8)),
    },
    Item {
        family: ("职能支持", "Corporate Functions"),
        title: ("流程处理时效", "Request turnaround"),
        how: ("从提交到办结的平均工作日，越短越好", "Average working days from request to done; shorter is better"),
        unit: ("天", "days"),
        kind: "numeric",
        values: (5.0, None, 2.0, None),
    },
    Item {
        family: ("客服", "Customer Service"),
        title: ("首次响应时长", "First response time"),
        how: ("工单首次响应的平均分钟数，越短越好", "Average minutes to first response; shorter is better"),
        unit: ("分钟", "minutes"),
        kind: "numeric",
        values: (60.0, None, 30.0, None),
    },
    Item {
        family: ("客服", "Customer Service"),
        title: ("客户满意度 CSAT", "Customer satisfaction (CSAT)"),
        how: ("满意及非常满意的回访占比", "Share of satisfied or very satisfied follow-ups"),
        unit: ("%", "%"),
        kind: "kpi",
        values: (85.0, Some(88.0), 92.0, Some(95.0)),
    },
    // Operations roles (issue 22, item 9): safety, process and quality indicators to weigh
    // beside trips, output and throughput.
    Item {
        family: ("运输", "Transport"),
        title: ("安全行车零责任事故", "Zero at-fault accidents"),
        how: ("本季度负有责任的行车事故次数", "At-fault road accidents this quarter"),
        unit: ("次", "accidents"),
        kind: "numeric",
        values: (1.0, None, 0.0, None),
    },
    Item {
        family: ("运输", "Transport"),
        title: ("超速报警次数", "Speeding alerts"),
        how: ("车载终端记录的超速报警次数，越少越好", "Speeding alerts logged by the vehicle unit; fewer is better"),
        unit: ("次", "alerts"),
        kind: "numeric",
        values: (10.0, None, 0.0, None),
    },
    Item {
        family: ("运输", "Transport"),
        title: ("疲劳驾驶预警次数", "Fatigue-driving alerts"),
        how: ("连续驾驶超时与疲劳监测预警次数", "Alerts for driving too long without a break"),
        unit: ("次", "alerts"),
        kind: "numeric",
        values: (5.0, None, 0.0, None),
    },
    Item {
        family: ("运输", "Transport"),
        title: ("出车前安全检查完成率", "Pre-trip safety check completion"),
        how: ("完成并签字的出车前检查 ÷ 出车次数", "Signed pre-trip checks ÷ trips"),
        unit: ("%", "%"),
        kind: "kpi",
        values: (90.0, Some(95.0), 100.0, None),
    },
    Item {
        family: ("运输", "Transport"),
        title: ("乘客投诉率", "Passenger complaints"),
        how: ("每万人次的有效投诉数", "Upheld complaints per 10 000 passengers"),
        unit: ("件/万人次", "per 10 000"),
        kind: "numeric",
        values: (3.0, None, 1.0, None),
    },
    Item {
        family: ("设备操作", "Equipment Operation"),
        title: ("安全操作规程执行率", "Safe operating procedure adherence"),
        how: ("抽查中按规程操作的次数 ÷ 抽查次数", "Spot checks done by the procedure ÷ spot checks"),
        unit: ("%", "%"),
        kind: "kpi",
        values: (90.0, Some(95.0), 100.0, None),
    },
    Item {
        family: ("设备操作", "Equipment Operation"),
        title: ("设备点检完成率", "Equipment inspection completion"),
        how: ("按时完成的点检 ÷ 计划点检", "Inspections done on time ÷ inspections planned"),
        unit: ("%", "%"),
        kind: "kpi",
        values: (85.0, Some(90.0), 98.0, Some(100.0)),
    },
    Item {
        family: ("设备操作", "Equipment Operation"),
        title: ("产品一次合格率", "First-pass yield"),
        how: ("一次检验合格的产品 ÷ 检验的产品", "Units passing first inspection ÷ units inspected"),
        unit: ("%", "%"),
        kind: "kpi",
        values: (95.0, Some(96.0), 98.0, Some(99.0)),
    },
    Item {
        family: ("护理", "Nursing"),
        title: ("给药差错次数", "Medication errors"),
        how: ("上报的给药差错事件数，越少越好", "Medication errors reported; fewer is better"),
        unit: ("次", "errors"),
        kind: "numeric",
        values: (2.0, None, 0.0, None),
    },
    Item {
        family: ("护理", "Nursing"),
        title: ("患者跌倒发生次数", "Patient falls"),
        how: ("病区内患者跌倒事件数", "Patient falls on the ward"),
        unit: ("次", "falls"),
        kind: "numeric",
        values: (2.0, None, 0.0, None),
    },
    Item {
        family: ("护理", "Nursing"),
        title: ("手卫生依从率", "Hand-hygiene compliance"),
        how: ("观察到的正确手卫生次数 ÷ 应执行次数", "Observed correct hand hygiene ÷ opportunities"),
        unit: ("%", "%"),
        kind: "kpi",
        values: (80.0, Some(85.0), 95.0, Some(98.0)),
    },
    Item {
        family: ("护理", "Nursing"),
        title: ("护理文书合格率", "Nursing record quality"),
        how: ("抽查合格的护理文书 ÷ 抽查份数", "Records passing audit ÷ records audited"),
        unit: ("%", "%"),
        kind: "kpi",
        values: (90.0, Some(92.0), 98.0, None),
    },
];

/// A template: family, title, framework, weight, and its key results as indexes into ITEMS
/// or (title, unit, start, target) of its own.
struct Template {
    family: Text,
    title: Text,
    framework: &'static str,
    weight: f64,
    items: &'static [usize],
    own: &'static [(Text, Text, f64, f64)],
    this_quarter: bool,
}

const TEMPLATES: &[Template] = &[
    Template {
        family: ("销售", "Sales"),
        title: ("完成季度销售指标", "Hit the quarterly sales target"),
        framework: "kpi",
        weight: 60.0,
        items: &[0, 1],
        own: &[],
        this_quarter: true,
    },
    Template {
        family: ("销售", "Sales"),
        title: ("拓展新客户", "Win new customers"),
        framework: "okr",
        weight: 40.0,
        items: &[2],
        own: &[(("客户拜访次数", "Customer visits"), ("次", "visits"), 0.0, 60.0)],
        this_quarter: false,
    },
    Template {
        family: ("产品/研发", "Product/Engineering"),
        title: ("提升交付质量", "Ship with quality"),
        framework: "okr",
        weight: 50.0,
        items: &[3, 4],
        own: &[],
        this_quarter: false,
    },
    Template {
        family: ("职能支持", "Corporate Functions"),
        title: ("提升内部服务体验", "Better internal service"),
        framework: "kpi",
        weight: 30.0,
        items: &[5, 6],
        own: &[],
        this_quarter: false,
    },
    Template {
        family: ("客服", "Customer Service"),
        title: ("提升服务水平", "Raise the service level"),
        framework: "kpi",
        weight: 70.0,
        items: &[7, 8],
        own: &[],
        this_quarter: true,
    },
];

impl App {
    /// Adds the standard indicators (the demo's, including the behaviour, process, quality
    /// and safety ones for operations roles) that the library does not hold yet, matched by
    /// title and job family: HR's 载入标准指标 and `POST /api/v1/library/standard`. Returns the
    /// ids of every standard item, in order, whether added now or already there.
    pub async fn add_standard_library_items(&self, actor: &Actor, english: bool) -> AppResult<StandardItems> {
        let pick = |t: Text| if english { t.1 } else { t.0 }.to_string();
        let goals = self.goals();
        let held = goals.library(actor, &Default::default()).await?.items;
        let (mut ids, mut added) = (Vec::new(), 0);
        for it in ITEMS {
            let (title, family) = (pick(it.title), pick(it.family));
            if let Some(same) =
                held.iter().find(|h| !h.archived && h.title == title && h.job_family.as_deref() == Some(&family))
            {
                ids.push(same.id);
                continue;
            }
            let (start, threshold, target, stretch) = it.values;
            let input = LibraryItemInput {
                key_result: KeyResultInput {
                    title,
                    kind: it.kind.into(),
                    unit_label: Some(pick(it.unit)),
                    start: Some(start),
                    threshold,
                    target: Some(target),
                    stretch,
                    ..Default::default()
                },
                description: Some(pick(it.how)),
                job_family: Some(family),
                level: None,
            };
            ids.push(goals.create_library_item(actor, input).await?.id);
            added += 1;
        }
        Ok(StandardItems { ids, added })
    }

    /// Fills an empty goal library with the demo's items and templates.
    pub async fn create_demo_library(&self, english: bool, quarter: Uuid) -> AppResult<()> {
        let pick = |t: Text| if english { t.1 } else { t.0 }.to_string();
        let actor = Actor::system("demo");
        let goals = self.goals();
        let ids = self.add_standard_library_items(&actor, english).await?.ids;
        for t in TEMPLATES {
            let share = 100.0 / (t.items.len() + t.own.len()) as f64;
            let from_library = t.items.iter().map(|i| KeyResultInput {
                library_item_id: Some(ids[*i]),
                weight: Some(share),
                ..Default::default()
            });
            let own = t.own.iter().map(|(title, unit, start, target)| KeyResultInput {
                title: pick(*title),
                kind: "numeric".into(),
                unit_label: Some(pick(*unit)),
                start: Some(*start),
                target: Some(*target),
                weight: Some(share),
                ..Default::default()
            });
            let input = TemplateInput {
                title: pick(t.title),
                description: None,
                framework: t.framework.into(),
                job_family: Some(pick(t.family)),
                level: None,
                period_id: t.this_quarter.then_some(quarter),
                is_key: Some(true),
                weight: Some(t.weight),
                key_results: from_library.chain(own).collect(),
            };
            goals.create_template(&actor, input).await?;
        }
        Ok(())
    }
}
