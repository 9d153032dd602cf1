//! The executive board (T-5): the period's strategic (company) goals, each with the goals that
//! support it two levels down — where the strategy stands and where it is in trouble — for
//! executives and HR. Only goals the reader may see are shown.

use std::collections::HashMap;
use waymark_domain::goals::period::Period;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use waymark_store::repo::goals::{self as goals_repo, GoalRecord};

use super::TrackingService;
use crate::goals::{GoalSummary, PeriodView};
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{AppError, AppResult};

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExecutiveQuery {
    /// The period; by default the longest one running today (the year, where strategy is set).
    pub period: Option<Uuid>,
}

/// A goal on the board with the goals aligned to it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StrategicNode {
    pub goal: GoalSummary,
    /// The goals aligned to this one (two levels below a strategic goal, none further).
    #[schema(no_recursion)]
    pub children: Vec<StrategicNode>,
}

/// A strategic goal with its two levels of support and their lights.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StrategicGoal {
    pub node: StrategicNode,
    /// Lights of the supporting goals (both levels).
    pub green: usize,
    pub yellow: usize,
    pub red: usize,
    /// Supporting goals (both levels).
    pub supporting: usize,
    /// Requests to support this goal or a goal below it, waiting for their owners: shown, not
    /// counted (issue 22, item 1).
    pub pending: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExecutiveBoard {
    pub period: PeriodView,
    pub periods: Vec<PeriodView>,
    /// The share of the period elapsed today, in %.
    pub pace_percent: f64,
    pub goals: Vec<StrategicGoal>,
}

/// The board's period: the one asked for, else the longest one running today (the year, where
/// strategy is set).
fn board_period(periods: &[Period], asked: Option<Uuid>, today: chrono::NaiveDate) -> AppResult<&Period> {
    match asked {
        Some(p) => periods.iter().find(|x| x.id == p).ok_or(AppError::NotFound("period")),
        None => periods
            .iter()
            .filter(|p| p.starts_on <= today && today <= p.ends_on)
            .max_by_key(|p| p.ends_on - p.starts_on)
            .or(periods.first())
            .ok_or(AppError::NotFound("period")),
    }
}

/// The strategy board in brief (the executive's home page): the company goals of the board's
/// period with their own lights, and the share of the period gone.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StrategyBrief {
    pub period: PeriodView,
    pub pace_percent: f64,
    pub goals: Vec<GoalSummary>,
}

impl TrackingService<'_> {
    /// A period's company goals the actor may read, agreed or waiting (not drafts, not
    /// archived): the board's roots and the brief's lines. Their key results are not read: a
    /// summary's progress is the goal's own.
    async fn strategic_goals(&self, actor: &Actor, period: Uuid) -> AppResult<Vec<GoalRecord>> {
        let c = self.c();
        let company = goals_repo::goal_ids_at_levels(c, period, &["company"]).await?;
        Ok(self
            .app
            .goals()
            .readable(actor, goals_repo::goals_without_key_results(c, &company).await?)
            .await?
            .into_iter()
            .filter(|r| r.goal.status != "archived" && r.goal.status != "draft")
            .collect())
    }

    /// The company goals of the board's default period as the actor may read them, without
    /// the two levels of support the board unfolds (which cost tens of milliseconds at 10 000
    /// people).
    pub async fn strategy_brief(&self, actor: &Actor) -> AppResult<StrategyBrief> {
        if !allowed(actor, Action::Read, Resource::ExecutiveBoard, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let c = self.c();
        let today = self.app.today();
        let periods = goals_repo::periods(c).await?;
        let period = board_period(&periods, None, today)?;
        let goals = self.app.goals();
        let roots = self.strategic_goals(actor, period.id).await?;
        let pace = waymark_domain::tracking::status::elapsed(period.starts_on, period.ends_on, today);
        Ok(StrategyBrief {
            period: PeriodView::from(period.clone()),
            pace_percent: crate::goals::views::percent(pace),
            goals: goals.summaries(&roots).await?,
        })
    }

    pub async fn executive_board(&self, actor: &Actor, q: &ExecutiveQuery) -> AppResult<ExecutiveBoard> {
        if !allowed(actor, Action::Read, Resource::ExecutiveBoard, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let c = self.c();
        let today = self.app.today();
        let periods = goals_repo::periods(c).await?;
        let period = board_period(&periods, q.period, today)?;
        let goals = self.app.goals();
        let roots = self.strategic_goals(actor, period.id).await?;
        // Two levels of support, in two reads each way.
        let mut parents: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        let mut level: Vec<Uuid> = roots.iter().map(|r| r.goal.id).collect();
        let mut below: Vec<GoalRecord> = Vec::new();
        for _ in 0..2 {
            let links = goals_repo::links_into(c, &level).await?;
            let ids: Vec<Uuid> = links.iter().map(|l| l.child_goal_id).collect();
            let found = goals.readable(actor, goals_repo::goals(c, &ids).await?).await?;
            let found: Vec<GoalRecord> = found.into_iter().filter(|r| r.goal.status != "archived").collect();
            let shown: std::collections::HashSet<Uuid> = found.iter().map(|r| r.goal.id).collect();
            for l in &links {
                if shown.contains(&l.child_goal_id) {
                    let kids = parents.entry(l.parent_goal_id).or_default();
                    if !kids.contains(&l.child_goal_id) {
                        kids.push(l.child_goal_id);
                    }
                }
            }
            level = found.iter().map(|r| r.goal.id).collect();
            below.extend(found);
        }
        let mut all = roots.clone();
        all.extend(below);
        let summaries: HashMap<Uuid, GoalSummary> =
            goals.summaries(&all).await?.into_iter().map(|s| (s.id, s)).collect();
        let node = |id: Uuid, depth: u8| -> Option<StrategicNode> { build(id, depth, &parents, &summaries) };
        let all_ids: Vec<Uuid> = all.iter().map(|r| r.goal.id).collect();
        let asked = waymark_store::repo::alignment_requests::pending_into(c, &all_ids).await?;
        let pending_in = |n: &StrategicNode| {
            let mut ids = vec![n.goal.id];
            let mut stack: Vec<&StrategicNode> = n.children.iter().collect();
            while let Some(k) = stack.pop() {
                ids.push(k.goal.id);
                stack.extend(k.children.iter());
            }
            asked.iter().filter(|r| ids.contains(&r.parent_goal_id)).count()
        };
        let board = roots
            .iter()
            .filter_map(|r| node(r.goal.id, 0))
            .map(|n| {
                let mut lights = Vec::new();
                collect(&n, &mut lights);
                let lit = |l: &str| lights.iter().filter(|x| x.as_deref() == Some(l)).count();
                StrategicGoal {
                    green: lit("green"),
                    yellow: lit("yellow"),
                    red: lit("red"),
                    supporting: lights.len(),
                    pending: pending_in(&n),
                    node: n,
                }
            })
            .collect();
        let pace = waymark_domain::tracking::status::elapsed(period.starts_on, period.ends_on, today);
        Ok(ExecutiveBoard {
            period: PeriodView::from(period.clone()),
            periods: periods.into_iter().map(PeriodView::from).collect(),
            pace_percent: crate::goals::views::percent(pace),
            goals: board,
        })
    }
}

/// A goal and its supporters down to depth 2.
fn build(
    id: Uuid,
    depth: u8,
    parents: &HashMap<Uuid, Vec<Uuid>>,
    summaries: &HashMap<Uuid, GoalSummary>,
) -> Option<StrategicNode> {
    let goal = summaries.get(&id)?.clone();
    let children = match (depth < 2, parents.get(&id)) {
        (true, Some(kids)) => kids.iter().filter_map(|k| build(*k, depth + 1, parents, summaries)).collect(),
        _ => vec![],
    };
    Some(StrategicNode { goal, children })
}

/// The lights of every supporter below a node.
fn collect(n: &StrategicNode, out: &mut Vec<Option<String>>) {
    for c in &n.children {
        out.push(c.goal.light.clone());
        collect(c, out);
    }
}
