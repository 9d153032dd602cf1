//! The goal map (G-6): from any goal, the chain up to the company goals and the tree of
//! supporting goals down, a few levels at a time so it stays usable at thousands of nodes;
//! and the break points (G-7).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_store::repo::goals::{self as repo, GoalRecord};

use super::{GoalService, GoalSummary};
use crate::policy::{Action, Actor, Resource, allowed};
use crate::{AppError, AppResult};

/// Deepest tree one request unfolds; deeper levels load when a node is opened.
pub const MAX_MAP_DEPTH: usize = 4;
/// Most nodes one request unfolds: a level that would pass it stays folded (its nodes open on
/// demand), so a company goal with thousands of supporters opens as fast as a small one.
pub const MAP_NODE_BUDGET: usize = 150;
/// Longest chain up followed (alignment graphs are shallow; this bounds a bad one).
const MAX_CHAIN: usize = 20;
/// Break points listed per kind; the totals count them all.
const BREAK_POINT_LIST: usize = 200;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MapNode {
    pub goal: GoalSummary,
    /// Goals supporting this one directly (all of them, whether unfolded or visible).
    pub supporters: i64,
    /// Supporters the actor may not see (private goals).
    pub hidden: usize,
    /// Requests to support it waiting for its owner (issue 22, item 1): not counted, not drawn.
    pub pending: usize,
    /// Unfolded supporters; empty below the requested depth.
    #[schema(no_recursion)]
    pub children: Vec<MapNode>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoalMap {
    /// From the top (a company goal) down to the goal's parent, following its first alignment.
    pub chain_up: Vec<GoalSummary>,
    /// Other goals the goal supports directly.
    pub also_supports: Vec<GoalSummary>,
    pub tree: MapNode,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BreakPoints {
    /// Company, unit and team goals no one supports.
    pub unsupported: Vec<GoalSummary>,
    pub unsupported_total: usize,
    /// Individual goals aligned to nothing.
    pub orphans: Vec<GoalSummary>,
    pub orphans_total: usize,
}

impl GoalService<'_> {
    /// The map around one goal, `depth` levels down (1 to 4).
    pub async fn map(&self, actor: &Actor, id: Uuid, depth: usize) -> AppResult<GoalMap> {
        let root = self.load(id).await?;
        if !self.may(actor, Action::Read, &root).await? {
            return Err(AppError::NotFound("goal"));
        }
        let c = self.c();
        // Up: the first visible parent at each level.
        let mut chain = Vec::new();
        let mut also = Vec::new();
        let mut at = id;
        let mut seen = HashSet::from([id]);
        for level in 0..MAX_CHAIN {
            let parents: Vec<Uuid> = repo::links_from(c, &[at]).await?.iter().map(|l| l.parent_goal_id).collect();
            let visible = self.readable(actor, repo::goals(c, &parents).await?).await?;
            let Some(first) = visible.first().cloned() else { break };
            if level == 0 {
                also = visible[1..].to_vec();
            }
            if !seen.insert(first.goal.id) {
                break;
            }
            at = first.goal.id;
            chain.push(first);
        }
        chain.reverse();
        // Down: level by level, one read per level.
        let depth = depth.clamp(1, MAX_MAP_DEPTH);
        let mut levels: Vec<Vec<(Uuid, Uuid)>> = Vec::new(); // (parent, child) per level
        let mut frontier = vec![id];
        let mut records: HashMap<Uuid, GoalRecord> = HashMap::from([(id, root)]);
        let mut hidden: HashMap<Uuid, usize> = HashMap::new();
        for level in 0..depth {
            // Count before reading: a level past the budget is not read at all.
            let coming: i64 = repo::supporter_counts(c, &frontier).await?.values().sum();
            if level > 0 && records.len() + coming as usize > MAP_NODE_BUDGET {
                break;
            }
            let links = repo::links_into(c, &frontier).await?;
            let child_ids: Vec<Uuid> =
                links.iter().map(|l| l.child_goal_id).filter(|c| !records.contains_key(c)).collect();
            let visible = self.readable(actor, repo::goals(c, &child_ids).await?).await?;
            let visible_ids: HashSet<Uuid> = visible.iter().map(|r| r.goal.id).collect();
            let mut edges = Vec::new();
            let mut added = HashSet::new();
            for l in &links {
                if visible_ids.contains(&l.child_goal_id) {
                    if added.insert(l.child_goal_id) {
                        edges.push((l.parent_goal_id, l.child_goal_id));
                    }
                } else if !records.contains_key(&l.child_goal_id) {
                    *hidden.entry(l.parent_goal_id).or_default() += 1;
                }
            }
            records.extend(visible.into_iter().map(|r| (r.goal.id, r)));
            frontier = edges.iter().map(|(_, c)| *c).collect();
            levels.push(edges);
            if frontier.is_empty() {
                break;
            }
        }
        let all: Vec<GoalRecord> = records.values().cloned().collect();
        let ids: Vec<Uuid> = all.iter().map(|r| r.goal.id).collect();
        let counts = repo::supporter_counts(c, &ids).await?;
        let mut pending: HashMap<Uuid, usize> = HashMap::new();
        for r in waymark_store::repo::alignment_requests::pending_into(c, &ids).await? {
            *pending.entry(r.parent_goal_id).or_default() += 1;
        }
        let summaries: HashMap<Uuid, GoalSummary> =
            self.summaries(&all).await?.into_iter().map(|s| (s.id, s)).collect();
        let mut kids: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
        for (p, ch) in levels.iter().flatten() {
            kids.entry(*p).or_default().push(*ch);
        }
        fn build(
            id: Uuid,
            s: &HashMap<Uuid, GoalSummary>,
            kids: &HashMap<Uuid, Vec<Uuid>>,
            counts: &HashMap<Uuid, i64>,
            hidden: &HashMap<Uuid, usize>,
            pending: &HashMap<Uuid, usize>,
        ) -> MapNode {
            MapNode {
                goal: s[&id].clone(),
                supporters: counts.get(&id).copied().unwrap_or(0),
                hidden: hidden.get(&id).copied().unwrap_or(0),
                pending: pending.get(&id).copied().unwrap_or(0),
                children: kids
                    .get(&id)
                    .map(|k| k.iter().map(|c| build(*c, s, kids, counts, hidden, pending)).collect())
                    .unwrap_or_default(),
            }
        }
        let tree = build(id, &summaries, &kids, &counts, &hidden, &pending);
        Ok(GoalMap { chain_up: self.summaries(&chain).await?, also_supports: self.summaries(&also).await?, tree })
    }

    /// Break points (G-7) of a period within the actor's reach: their own goals, their reporting
    /// line's, and for HR the goals of their units.
    pub async fn break_points(&self, actor: &Actor, period_id: Uuid) -> AppResult<BreakPoints> {
        let c = self.c();
        repo::period(c, period_id).await?.ok_or(AppError::NotFound("period"))?;
        let (unsupported, orphans) = repo::break_point_ids(c, period_id).await?;
        let within = async |ids: Vec<Uuid>| -> AppResult<Vec<GoalRecord>> {
            let records = repo::goals(c, &ids).await?;
            let facts = self.facts(actor, &records.iter().collect::<Vec<_>>()).await?;
            Ok(records
                .into_iter()
                .zip(facts)
                .filter(|(_, f)| {
                    (f.is_self || f.manages || f.in_hr_scope) && allowed(actor, Action::Read, Resource::Goal, *f)
                })
                .map(|(r, _)| r)
                .collect())
        };
        let unsupported = within(unsupported).await?;
        let orphans = within(orphans).await?;
        let (ut, ot) = (unsupported.len(), orphans.len());
        Ok(BreakPoints {
            unsupported: self.summaries(&unsupported[..ut.min(BREAK_POINT_LIST)]).await?,
            unsupported_total: ut,
            orphans: self.summaries(&orphans[..ot.min(BREAK_POINT_LIST)]).await?,
            orphans_total: ot,
        })
    }
}
