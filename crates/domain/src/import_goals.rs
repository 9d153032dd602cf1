//! Validation of a goal import (SPEC G-8): goals as HR keeps them in Excel, one row per key
//! result, the goal's columns repeated (or left as they are in merged cells: a row with no
//! goal continues the goal above). Rows of the same owner, period and goal title make one goal.
//! All goals or all errors, each naming its row and column, like the people import. The key
//! results' measure rules are checked by the service with the same code as forms and the API.

use std::collections::HashMap;

use serde::Serialize;
use uuid::Uuid;

use crate::import::{ImportColumn, ImportError, Problem, RowReader, Sheet, Table, header_key};
use crate::org::{self, FieldError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GoalColumn {
    OwnerNo,
    Period,
    Goal,
    Framework,
    KeyResult,
    Kind,
    Start,
    Target,
    Unit,
    Weight,
}

impl GoalColumn {
    pub const ALL: [GoalColumn; 10] = [
        Self::OwnerNo,
        Self::Period,
        Self::Goal,
        Self::Framework,
        Self::KeyResult,
        Self::Kind,
        Self::Start,
        Self::Target,
        Self::Unit,
        Self::Weight,
    ];
}

impl ImportColumn for GoalColumn {
    const REQUIRED: &'static [Self] = &[Self::OwnerNo, Self::Period, Self::Goal];

    fn from_header(cell: &str) -> Option<Self> {
        Some(match header_key(cell).as_str() {
            "负责人工号" | "工号" | "员工工号" | "ownerno" | "owner" | "employeeno" => Self::OwnerNo,
            "周期" | "目标周期" | "考核周期" | "period" => Self::Period,
            "目标" | "目标名称" | "goal" | "goaltitle" | "objective" => Self::Goal,
            "目标类型" | "类型" | "framework" | "goaltype" => Self::Framework,
            "关键结果" | "关键结果名称" | "指标" | "指标名称" | "kr" | "keyresult" | "measure" => {
                Self::KeyResult
            }
            "指标类型" | "关键结果类型" | "kind" | "measurekind" => Self::Kind,
            "起始值" | "基准值" | "起点" | "基线" | "初始值" | "start" | "baseline" | "startvalue" => {
                Self::Start
            }
            "目标值" | "目标数值" | "target" | "targetvalue" => Self::Target,
            "单位" | "计量单位" | "unit" | "uom" => Self::Unit,
            "权重" | "权重(%)" | "权重（%）" | "占比" | "weight" | "weight(%)" | "weightpercent" => {
                Self::Weight
            }
            _ => return None,
        })
    }

    fn header(self, chinese: bool) -> &'static str {
        let (zh, en) = match self {
            Self::OwnerNo => ("负责人工号", "owner_no"),
            Self::Period => ("周期", "period"),
            Self::Goal => ("目标", "goal"),
            Self::Framework => ("目标类型", "framework"),
            Self::KeyResult => ("关键结果", "key_result"),
            Self::Kind => ("指标类型", "kind"),
            Self::Start => ("起始值", "start"),
            Self::Target => ("目标值", "target"),
            Self::Unit => ("单位", "unit"),
            Self::Weight => ("权重", "weight"),
        };
        if chinese { zh } else { en }
    }
}

pub struct GoalImportContext<'a> {
    /// Employee number → employee, for the owners the importer may assign goals to.
    pub owners: &'a HashMap<String, Uuid>,
    /// Period name → period.
    pub periods: &'a HashMap<String, Uuid>,
    pub max_rows: usize,
}

/// One key-result row, its numbers read, its rules still to check.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyResultRow {
    pub row: usize,
    pub title: String,
    pub kind: &'static str,
    pub start: Option<f64>,
    pub target: Option<f64>,
    pub unit: Option<String>,
    pub weight: Option<f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GoalImportRecord {
    /// The goal's first row.
    pub row: usize,
    pub owner: Uuid,
    pub period: Uuid,
    pub title: String,
    pub framework: &'static str,
    pub key_results: Vec<KeyResultRow>,
}

/// A framework as people write it: OKR, KPI, MBO, 里程碑/milestone, 行为指标/behaviour.
pub fn framework(s: &str) -> Option<&'static str> {
    Some(match header_key(s).as_str() {
        "" | "okr" => "okr",
        "kpi" => "kpi",
        "mbo" => "mbo",
        "里程碑" | "项目里程碑" | "milestone" | "milestones" => "milestone",
        "行为指标" | "行为" | "behaviour" | "behavior" => "behaviour",
        _ => return None,
    })
}

/// A key result's kind; blank: KPI for a KPI goal, numeric with numbers, done without.
fn kind(s: &str, framework: &str, has_numbers: bool) -> Option<&'static str> {
    Some(match header_key(s).as_str() {
        "" if framework == "kpi" => "kpi",
        "" if has_numbers => "numeric",
        "" => "done",
        "数值" | "numeric" | "number" => "numeric",
        "kpi" => "kpi",
        "评分" | "score" => "score",
        "完成" | "完成型" | "done" | "milestone" | "里程碑" => "done",
        "等级" | "评级" | "rating" => "rating",
        _ => return None,
    })
}

fn number(s: &str) -> Result<Option<f64>, FieldError> {
    let t = s.trim().trim_end_matches('%').replace([',', '，'], "");
    if t.is_empty() {
        return Ok(None);
    }
    t.parse::<f64>().ok().filter(|v| v.is_finite()).map(Some).ok_or(FieldError::InvalidNumber)
}

/// Validates a whole table of goals; all records or all errors (G-8, Q-2).
pub fn validate_goals(table: &Table, ctx: &GoalImportContext) -> Result<Vec<GoalImportRecord>, Vec<ImportError>> {
    let sheet = Sheet::<GoalColumn>::read(table, ctx.max_rows)?;
    let mut errors = Vec::new();
    let mut goals: Vec<GoalImportRecord> = Vec::new();
    let mut index: HashMap<(Uuid, Uuid, String), usize> = HashMap::new();
    let mut last: Option<(String, String, String)> = None;
    for r in sheet.rows() {
        // Merged cells arrive blank: a row without owner, period and goal continues the last goal.
        let (owner_no, period, title) =
            match (r.get(GoalColumn::OwnerNo), r.get(GoalColumn::Period), r.get(GoalColumn::Goal)) {
                ("", "", "") => match &last {
                    Some(l) => l.clone(),
                    None => (String::new(), String::new(), String::new()),
                },
                (o, p, t) => (o.to_string(), p.to_string(), t.to_string()),
            };
        last = Some((owner_no.clone(), period.clone(), title.clone()));
        let before = errors.len();
        let owner = ctx.owners.get(owner_no.as_str()).copied();
        if owner.is_none() {
            errors.push(err(&r, GoalColumn::OwnerNo, &owner_no, Problem::UnknownOwner));
        }
        let period_id = ctx.periods.get(period.as_str()).copied();
        if period_id.is_none() {
            errors.push(err(&r, GoalColumn::Period, &period, Problem::UnknownPeriod));
        }
        let title = match org::required_text(&title, 200) {
            Ok(t) => Some(t),
            Err(e) => {
                errors.push(err(&r, GoalColumn::Goal, &title, Problem::Field { error: e }));
                None
            }
        };
        let fw = framework(r.get(GoalColumn::Framework));
        if fw.is_none() {
            errors.push(r.error(GoalColumn::Framework, Problem::InvalidChoice));
        }
        let num = |col: GoalColumn, errors: &mut Vec<ImportError>| match number(r.get(col)) {
            Ok(v) => v,
            Err(e) => {
                errors.push(r.error(col, Problem::Field { error: e }));
                None
            }
        };
        let start = num(GoalColumn::Start, &mut errors);
        let target = num(GoalColumn::Target, &mut errors);
        let weight = num(GoalColumn::Weight, &mut errors);
        let kr_title = r.get(GoalColumn::KeyResult).to_string();
        let kr_kind = kind(r.get(GoalColumn::Kind), fw.unwrap_or("okr"), start.is_some() || target.is_some());
        if kr_kind.is_none() {
            errors.push(r.error(GoalColumn::Kind, Problem::InvalidChoice));
        }
        if errors.len() > before {
            continue;
        }
        let (Some(owner), Some(period_id), Some(title), Some(fw), Some(kr_kind)) =
            (owner, period_id, title, fw, kr_kind)
        else {
            continue;
        };
        let at = *index.entry((owner, period_id, title.clone())).or_insert_with(|| {
            goals.push(GoalImportRecord {
                row: r.row,
                owner,
                period: period_id,
                title: title.clone(),
                framework: fw,
                key_results: vec![],
            });
            goals.len() - 1
        });
        if !kr_title.is_empty() {
            let unit = Some(r.get(GoalColumn::Unit).to_string()).filter(|u| !u.is_empty());
            goals[at].key_results.push(KeyResultRow {
                row: r.row,
                title: kr_title,
                kind: kr_kind,
                start,
                target,
                unit,
                weight,
            });
        }
    }
    if errors.is_empty() { Ok(goals) } else { Err(errors) }
}

fn err(r: &RowReader<GoalColumn>, col: GoalColumn, value: &str, problem: Problem) -> ImportError {
    let mut e = r.error(col, problem);
    e.value = value.to_string();
    e
}

#[cfg(test)]
mod tests {
    //! G-8 goal import: grouping, merged cells, and each refused cell named.
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table { rows: rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect() }
    }

    #[test]
    fn g8_rows_group_into_goals_and_merged_cells_continue_the_goal_above() {
        let owners = HashMap::from([("E1".to_string(), Uuid::from_u128(1)), ("E2".to_string(), Uuid::from_u128(2))]);
        let periods = HashMap::from([("2026 Q4".to_string(), Uuid::from_u128(9))]);
        let ctx = GoalImportContext { owners: &owners, periods: &periods, max_rows: 100 };
        let t = table(&[
            &["负责人工号", "周期", "目标", "目标类型", "关键结果", "起始值", "目标值", "单位", "权重"],
            &["E1", "2026 Q4", "提升续约率", "OKR", "续约客户数", "0", "40", "家", "50"],
            &["", "", "", "", "大客户回访", "0", "20", "次", "50%"],
            &["E2", "2026 Q4", "服务质量", "KPI", "满意度", "80", "90", "分", ""],
            &["E1", "2026 Q4", "提升续约率", "OKR", "流失预警", "48", "12", "小时", ""],
        ]);
        let goals = validate_goals(&t, &ctx).unwrap();
        assert_eq!(goals.len(), 2);
        assert_eq!(
            goals[0].key_results.iter().map(|k| k.title.as_str()).collect::<Vec<_>>(),
            ["续约客户数", "大客户回访", "流失预警"]
        );
        assert_eq!(goals[0].key_results[1].weight, Some(50.0));
        assert_eq!((goals[1].framework, goals[1].key_results[0].kind), ("kpi", "kpi"));
        assert_eq!(goals[0].key_results[0].kind, "numeric");
    }

    #[test]
    fn g8_unknown_owner_period_framework_and_bad_numbers_are_named_by_row_and_column() {
        let owners = HashMap::from([("E1".to_string(), Uuid::from_u128(1))]);
        let periods = HashMap::from([("2026 Q4".to_string(), Uuid::from_u128(9))]);
        let ctx = GoalImportContext { owners: &owners, periods: &periods, max_rows: 100 };
        let t = table(&[
            &["工号", "周期", "目标", "目标类型", "关键结果", "起始值", "目标值"],
            &["NOBODY", "2026 Q4", "A", "OKR", "k", "0", "1"],
            &["E1", "2027", "B", "OKR", "k", "0", "1"],
            &["E1", "2026 Q4", "C", "SMART", "k", "zero", "1"],
        ]);
        let errs = validate_goals(&t, &ctx).unwrap_err();
        let got: Vec<(usize, &str, &str)> = errs.iter().map(|e| (e.row, e.column.as_str(), e.problem.code())).collect();
        assert_eq!(
            got,
            vec![
                (2, "工号", "unknown_owner"),
                (3, "周期", "unknown_period"),
                (4, "目标类型", "invalid_choice"),
                (4, "起始值", "invalid_number"),
            ]
        );
    }
}
