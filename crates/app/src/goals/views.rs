//! What pages and the API show of goals: progress in percent with the native score, weights
//! as they count, and each alignment link with its contribution (G-5, G-6, G-14).

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::goals::measure::{NativeScore, OkrBand};
use waymark_domain::goals::period::Period;
use waymark_domain::goals::weights::{Weighted, effective_percents, weight_sum};
use waymark_domain::goals::{FOCUS_LIMIT, focus_warning};
use waymark_store::entities::{goal_link, key_result};
use waymark_store::repo::goals::GoalRecord;

use super::convert::{from_e4, measure_of, weight_of};
use super::evaluate::{Evaluated, from_bp};
use crate::audit::json;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PeriodView {
    pub id: Uuid,
    pub name: String,
    pub kind: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The goal-setting deadline, if HR set one.
    pub setting_due_on: Option<NaiveDate>,
}

impl From<Period> for PeriodView {
    fn from(p: Period) -> Self {
        PeriodView {
            id: p.id,
            name: p.name,
            kind: p.kind.code().into(),
            starts_on: p.starts_on,
            ends_on: p.ends_on,
            setting_due_on: p.setting_due_on,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoalSummary {
    pub id: Uuid,
    pub period_id: Uuid,
    pub title: String,
    pub framework: String,
    pub level: String,
    pub status: String,
    pub visibility: String,
    pub is_key: bool,
    /// Weight among the owner's goals of the period as entered, in percent (blank: equal share).
    pub weight_entered: Option<f64>,
    pub owner_ids: Vec<Uuid>,
    /// The owners' names, in the order of `owner_ids`.
    pub owner_names: Vec<String>,
    /// The owners' employee numbers, in the order of `owner_ids`.
    pub owner_nos: Vec<String>,
    pub unit_id: Option<Uuid>,
    /// 0–100, as last rolled up.
    pub progress_percent: f64,
    /// The status light as last evaluated (T-3): green, yellow or red; none while untracked.
    pub light: Option<String>,
    /// The last check-in or value update.
    pub last_update_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When the goal was set: a goal never updated is silent since then (T-3).
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<&GoalRecord> for GoalSummary {
    fn from(r: &GoalRecord) -> Self {
        let g = &r.goal;
        GoalSummary {
            id: g.id,
            period_id: g.period_id,
            title: g.title.clone(),
            framework: g.framework.clone(),
            level: g.level.clone(),
            status: g.status.clone(),
            visibility: g.visibility.clone(),
            is_key: g.is_key,
            weight_entered: g.weight_bp.map(|w| w as f64 / 100.0),
            owner_ids: r.owners.clone(),
            owner_names: vec![],
            owner_nos: vec![],
            unit_id: g.unit_id,
            progress_percent: percent(from_bp(g.progress_bp)),
            light: None,
            last_update_at: None,
            created_at: g.created_at,
        }
    }
}

/// A fraction (0–1) as a percentage with one decimal, as every view shows it.
pub(crate) fn percent(p: f64) -> f64 {
    (p * 1000.0).round() / 10.0
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeyResultView {
    pub id: Uuid,
    pub title: String,
    pub kind: String,
    pub unit_label: Option<String>,
    pub direction: Option<String>,
    pub start: Option<f64>,
    pub target: Option<f64>,
    pub current: Option<f64>,
    pub threshold: Option<f64>,
    pub stretch: Option<f64>,
    pub done: bool,
    pub archived: bool,
    /// As entered, in percent (blank when left to share the rest).
    pub weight_entered: Option<f64>,
    /// As it counts, in percent.
    pub weight_effective: f64,
    pub progress_percent: f64,
    /// The framework's own score: fraction (OKR 0.0–1.0), achievement % (KPI), done.
    #[schema(value_type = Object)]
    pub native: NativeScore,
    /// OKR traffic light for fraction scores: green, yellow or red.
    #[schema(value_type = Option<String>)]
    pub band: Option<OkrBand>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkView {
    pub link_id: Uuid,
    pub goal: Option<GoalSummary>,
    /// The parent's key result this link supports, if any.
    pub parent_key_result_id: Option<Uuid>,
    pub parent_key_result_title: Option<String>,
    /// The child's key result that supports, if any.
    pub child_key_result_id: Option<Uuid>,
    pub child_key_result_title: Option<String>,
    pub weight_entered: Option<f64>,
    /// Share among the parent's supporters, in percent.
    pub share_percent: Option<f64>,
    /// Share × the child's progress, in percentage points of the parent.
    pub contribution_percent: Option<f64>,
    /// Whether the parent's progress is made of these contributions.
    pub counted: Option<bool>,
    /// The supporting goal is not agreed yet (draft, submitted, returned, archived), so it
    /// counts for nothing in this goal's progress until it is approved (G-5).
    pub waiting: Option<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoalView {
    #[serde(flatten)]
    pub summary: GoalSummary,
    pub description: Option<String>,
    pub progress_source: String,
    pub due_on: Option<NaiveDate>,
    pub key_results: Vec<KeyResultView>,
    /// Effective weights of the live key results added up (G-2).
    pub weight_total: f64,
    pub weights_sum_to_100: bool,
    /// The goals this one supports (upward).
    pub supports: Vec<LinkView>,
    /// The goals supporting this one, with their contributions (downward).
    pub supported_by: Vec<LinkView>,
    pub can_edit: bool,
    /// The actor may change it now (not while in approval, not once archived).
    pub changeable: bool,
    /// A change needs a reason: the goal is agreed (G-11).
    pub change_needs_reason: bool,
    /// Where it stands in the goal-setting workflow (G-10).
    pub workflow: super::workflow::WorkflowState,
    /// Support promised for it (G-12).
    pub commitments: Vec<super::changes::CommitmentView>,
    /// The actor may record promised support (the owners' managers, HR).
    pub can_commit: bool,
    /// While it is written, submitted and approved: the owner's goals of the period measure
    /// results only (no behaviour, process, quality or safety indicator), with indicators to add.
    pub balance: Option<super::balance::BalanceWarning>,
    /// Pending requests to support this goal: not counted in its progress until accepted.
    pub requests_in: Vec<super::requests::AlignmentRequestView>,
    /// This goal's pending requests to support others: not counted there until accepted.
    pub requests_out: Vec<super::requests::AlignmentRequestView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyGoals {
    pub period: PeriodView,
    pub goals: Vec<GoalSummary>,
    /// Each goal's weight as it counts, in percent, in the order of `goals` (G-2).
    pub weights_effective: Vec<f64>,
    pub weight_total: f64,
    pub weights_sum_to_100: bool,
    pub key_goals: usize,
    /// Set when there are more than 7 key goals (G-9).
    pub focus_warning: Option<usize>,
    pub focus_limit: usize,
    /// The my-goals board (T-5): where the goals stand against the ideal pace.
    pub board: MyBoard,
    /// The goals measure results only (no behaviour, process, quality or safety indicator),
    /// with indicators from the library to add (issue 22, item 9).
    pub balance: Option<super::balance::BalanceWarning>,
}

/// One's goals of a period at a glance (T-5).
#[derive(Debug, Clone, Default, Serialize, ToSchema, PartialEq)]
pub struct MyBoard {
    /// The share of the period elapsed today, in %: where an on-pace goal would be.
    pub pace_percent: f64,
    /// Progress of all the goals together, each counted by its weight, in %.
    pub weighted_progress: f64,
    pub green: usize,
    pub yellow: usize,
    pub red: usize,
}

/// The board of `m`'s goals on `today` (lights filled in).
pub fn board(m: &MyGoals, today: chrono::NaiveDate) -> MyBoard {
    let pace = waymark_domain::tracking::status::elapsed(m.period.starts_on, m.period.ends_on, today);
    let weighted: f64 = m.goals.iter().zip(&m.weights_effective).map(|(g, w)| g.progress_percent * w / 100.0).sum();
    let lit = |l: &str| m.goals.iter().filter(|g| g.light.as_deref() == Some(l)).count();
    MyBoard {
        pace_percent: percent(pace),
        weighted_progress: (weighted * 10.0).round() / 10.0,
        green: lit("green"),
        yellow: lit("yellow"),
        red: lit("red"),
    }
}

/// One direct report's goals in a period (team goals page).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamMember {
    pub employee_id: Uuid,
    pub name: String,
    pub goals: Vec<GoalSummary>,
    pub key_goals: usize,
    /// How many of the goals show each light (T-5's team board).
    pub green: usize,
    pub yellow: usize,
    pub red: usize,
    /// The newest update on any of the goals.
    pub last_update_at: Option<chrono::DateTime<chrono::Utc>>,
    /// This month's follow-up of this report by the reader (T-6), when the reader is their
    /// manager: check-ins and weekly reports seen.
    pub follow_up: Option<crate::tracking::FollowUpLine>,
}

pub fn my_goals(period: PeriodView, goals: &[GoalRecord]) -> MyGoals {
    let key_goals = goals.iter().filter(|r| r.goal.is_key && r.goal.status != "archived").count();
    let weights: Vec<Weighted> = goals
        .iter()
        .map(|r| Weighted {
            percent: r.goal.weight_bp.map(|w| w as f64 / 100.0),
            archived: r.goal.status == "archived",
        })
        .collect();
    let sum = weight_sum(&weights);
    MyGoals {
        period,
        goals: goals.iter().map(GoalSummary::from).collect(),
        weights_effective: effective_percents(&weights),
        weight_total: (sum.total * 100.0).round() / 100.0,
        weights_sum_to_100: sum.sums_to_100,
        key_goals,
        focus_warning: focus_warning(key_goals),
        focus_limit: FOCUS_LIMIT,
        board: MyBoard::default(),
        balance: None,
    }
}

fn kr_view(k: &key_result::Model, progress: f64, effective: f64) -> KeyResultView {
    let (_, native) = measure_of(k).evaluate(progress);
    let band = match native {
        NativeScore::Fraction { value } => Some(OkrBand::of(value)),
        _ => None,
    };
    KeyResultView {
        id: k.id,
        title: k.title.clone(),
        kind: k.kind.clone(),
        unit_label: k.unit_label.clone(),
        direction: k.direction.clone(),
        start: k.start_e4.map(from_e4),
        target: k.target_e4.map(from_e4),
        current: k.current_e4.map(from_e4),
        threshold: k.threshold_e4.map(from_e4),
        stretch: k.stretch_e4.map(from_e4),
        done: k.done,
        archived: k.archived,
        weight_entered: weight_of(k).percent,
        weight_effective: effective,
        progress_percent: percent(progress),
        native,
        band,
    }
}

#[allow(clippy::too_many_arguments)]
pub fn goal_view(
    r: &GoalRecord,
    ev: &Evaluated,
    into: &[goal_link::Model],
    up: &[goal_link::Model],
    children: &[GoalRecord],
    parents: &[GoalRecord],
    visible: &[Uuid],
    can_edit: bool,
    workflow: super::workflow::WorkflowState,
) -> GoalView {
    let weights: Vec<_> = r.key_results.iter().map(weight_of).collect();
    let effective = effective_percents(&weights);
    let sum = weight_sum(&weights);
    let key_results = r
        .key_results
        .iter()
        .zip(effective)
        .map(|(k, e)| kr_view(k, ev.key_result.get(&k.id).copied().unwrap_or(0.0), e))
        .collect();
    let summary_of = |id: Uuid, pool: &[GoalRecord]| {
        pool.iter().find(|x| x.goal.id == id && visible.contains(&id)).map(GoalSummary::from)
    };
    // A key result's title, from this goal or a linked goal the actor may see.
    let kr_title = |id: Option<Uuid>| {
        let id = id?;
        std::iter::once(r)
            .chain(parents.iter().chain(children).filter(|x| visible.contains(&x.goal.id)))
            .flat_map(|x| &x.key_results)
            .find(|k| k.id == id)
            .map(|k| k.title.clone())
    };
    let link_view = |l: &goal_link::Model, goal: Option<GoalSummary>, with_contribution: bool| {
        let c = if with_contribution { ev.link.get(&l.id).copied() } else { None };
        LinkView {
            link_id: l.id,
            goal,
            parent_key_result_id: l.parent_kr_id,
            parent_key_result_title: kr_title(l.parent_kr_id),
            child_key_result_id: l.child_kr_id,
            child_key_result_title: kr_title(l.child_kr_id),
            weight_entered: l.weight_bp.map(|w| w as f64 / 100.0),
            share_percent: c.map(|c| percent(c.share)),
            contribution_percent: c.map(|c| percent(c.value)),
            counted: c.map(|c| c.counted),
            waiting: c.map(|c| c.waiting),
        }
    };
    let mut summary = GoalSummary::from(r);
    summary.progress_percent = percent(ev.goal.get(&r.goal.id).copied().unwrap_or(0.0));
    GoalView {
        summary,
        description: r.goal.description.clone(),
        progress_source: r.goal.progress_source.clone(),
        due_on: r.goal.due_on,
        key_results,
        weight_total: (sum.total * 100.0).round() / 100.0,
        weights_sum_to_100: sum.sums_to_100,
        supports: up.iter().map(|l| link_view(l, summary_of(l.parent_goal_id, parents), false)).collect(),
        supported_by: into.iter().map(|l| link_view(l, summary_of(l.child_goal_id, children), true)).collect(),
        can_edit,
        changeable: can_edit && waymark_domain::goals::workflow::takes_changes(&r.goal.status),
        change_needs_reason: waymark_domain::goals::workflow::is_agreed(&r.goal.status),
        workflow,
        commitments: vec![],
        can_commit: false,
        balance: None,
        requests_in: vec![],
        requests_out: vec![],
    }
}

pub fn kr_json(k: &key_result::Model) -> Option<String> {
    json(&serde_json::json!({
        "title": k.title, "kind": k.kind, "current": k.current_e4.map(from_e4), "done": k.done,
        "target": k.target_e4.map(from_e4), "weight_bp": k.weight_bp, "archived": k.archived,
    }))
}

pub fn goal_json(r: &GoalRecord, links: &[goal_link::Model]) -> Option<String> {
    let g = &r.goal;
    json(&serde_json::json!({
        "title": g.title, "framework": g.framework, "level": g.level, "period_id": g.period_id,
        "unit_id": g.unit_id, "visibility": g.visibility, "status": g.status, "owners": r.owners,
        "is_key": g.is_key, "weight_bp": g.weight_bp,
        "key_results": r.key_results.iter().map(|k| &k.title).collect::<Vec<_>>(),
        "supports": links.iter().map(|l| l.parent_goal_id).collect::<Vec<_>>(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn goal(progress: f64, light: Option<&str>) -> GoalSummary {
        GoalSummary {
            id: Uuid::nil(),
            period_id: Uuid::nil(),
            title: "g".into(),
            framework: "okr".into(),
            level: "individual".into(),
            status: "approved".into(),
            visibility: "public".into(),
            is_key: false,
            weight_entered: None,
            owner_ids: vec![],
            owner_names: vec![],
            owner_nos: vec![],
            unit_id: None,
            progress_percent: progress,
            light: light.map(Into::into),
            last_update_at: None,
            created_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    #[test]
    fn t5_my_board_weighs_progress_and_counts_lights() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let period = PeriodView {
            id: Uuid::nil(),
            name: "Q4".into(),
            kind: "quarter".into(),
            starts_on: d(10, 1),
            ends_on: d(12, 31),
            setting_due_on: None,
        };
        let m = MyGoals {
            period,
            goals: vec![goal(50.0, Some("yellow")), goal(100.0, Some("green")), goal(20.0, None)],
            // 60 % + 40 % + an archived goal counting nothing.
            weights_effective: vec![60.0, 40.0, 0.0],
            weight_total: 100.0,
            weights_sum_to_100: true,
            key_goals: 0,
            focus_warning: None,
            focus_limit: FOCUS_LIMIT,
            board: MyBoard::default(),
            balance: None,
        };
        // 15 November is day 46 of the quarter's 92: half way. 0.6 × 50 + 0.4 × 100 = 70.
        let b = board(&m, d(11, 15));
        assert_eq!(b, MyBoard { pace_percent: 50.0, weighted_progress: 70.0, green: 1, yellow: 1, red: 0 });
        // Before the start nothing is due; after the end all of it.
        assert_eq!(board(&m, d(9, 1)).pace_percent, 0.0);
        assert_eq!(board(&m, d(12, 31)).pace_percent, 100.0);
    }
}
