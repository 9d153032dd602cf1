//! Progress of a set of goals from the database: the goals being computed, the links into
//! them, and — for children outside the set — their last stored progress. This lets a change
//! recompute only the goal it touched and its ancestors, with the domain's one roll-up rule.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;
use waymark_domain::goals::measure::Measure;
use waymark_domain::goals::rollup::{
    Contribution, Cycle, End, GoalGraph, GoalNode, Item, Link, ProgressSource, roll_up,
};
use waymark_domain::goals::weights::Weighted;
use waymark_domain::goals::workflow::is_agreed;
use waymark_store::entities::{goal_link, key_result};
use waymark_store::repo::goals::GoalRecord;

use super::convert::{BP, measure_of, weight_of};
use waymark_store::repo::goals::MeasuredGoal;

/// What the roll-up needs of a goal: its id, where its progress comes from, its key results'
/// ids and measures in order.
pub trait RollupGoal {
    fn id(&self) -> Uuid;
    fn rolls_up_children(&self) -> bool;
    fn items(&self) -> Vec<(Uuid, Item)>;
    /// The progress stored now (basis points): the goal's, and its key results' by id.
    fn stored(&self) -> (i32, Vec<(Uuid, i32)>);
    /// Agreed (approved or filed): only then does its progress count in its parents' (G-5).
    fn agreed(&self) -> bool;
}

impl RollupGoal for GoalRecord {
    fn id(&self) -> Uuid {
        self.goal.id
    }
    fn rolls_up_children(&self) -> bool {
        self.goal.progress_source == "children"
    }
    fn items(&self) -> Vec<(Uuid, Item)> {
        self.key_results.iter().map(|k| (k.id, Item { weight: weight_of(k), measure: measure_of(k) })).collect()
    }
    fn stored(&self) -> (i32, Vec<(Uuid, i32)>) {
        (self.goal.progress_bp, self.key_results.iter().map(|k| (k.id, k.progress_bp)).collect())
    }
    fn agreed(&self) -> bool {
        is_agreed(&self.goal.status)
    }
}

impl RollupGoal for MeasuredGoal {
    fn id(&self) -> Uuid {
        self.id
    }
    fn rolls_up_children(&self) -> bool {
        self.progress_source == "children"
    }
    fn items(&self) -> Vec<(Uuid, Item)> {
        self.key_results.iter().map(|k| (k.id, Item { weight: weight_of(k), measure: measure_of(k) })).collect()
    }
    fn stored(&self) -> (i32, Vec<(Uuid, i32)>) {
        (self.progress_bp, self.key_results.iter().map(|k| (k.id, k.progress_bp)).collect())
    }
    fn agreed(&self) -> bool {
        is_agreed(&self.status)
    }
}

/// New progress by id, in basis points.
pub type ProgressChanges = Vec<(Uuid, i32)>;

/// The computed progress that differs from the stored one: (goals, key results).
pub fn changes<G: RollupGoal>(records: &[G], ev: &Evaluated) -> (ProgressChanges, ProgressChanges) {
    let (mut goals, mut krs) = (Vec::new(), Vec::new());
    for r in records {
        let (goal_bp, items) = r.stored();
        let new = to_bp(ev.goal[&r.id()]);
        if new != goal_bp {
            goals.push((r.id(), new));
        }
        for (id, old) in items {
            let new = to_bp(ev.key_result[&id]);
            if new != old {
                krs.push((id, new));
            }
        }
    }
    (goals, krs)
}

/// Writes computed progress into records: new, copied or imported goals not stored yet, and
/// those a roll-up has just stored.
pub fn fill_progress(records: &mut [GoalRecord], ev: &Evaluated) {
    for r in records {
        r.goal.progress_bp = to_bp(ev.goal[&r.goal.id]);
        for k in &mut r.key_results {
            k.progress_bp = to_bp(ev.key_result[&k.id]);
        }
    }
}

/// Computed progress (0–1) by goal and key result id, and each link's contribution.
#[derive(Debug, Default)]
pub struct Evaluated {
    pub goal: HashMap<Uuid, f64>,
    pub key_result: HashMap<Uuid, f64>,
    pub link: HashMap<Uuid, Contribution>,
}

/// Progress of a child outside the computed set, as last stored, and which of those children
/// are agreed (the others do not count).
pub struct Fixed<'a> {
    pub goals: &'a HashMap<Uuid, f64>,
    pub key_results: &'a HashMap<Uuid, f64>,
    pub agreed: &'a HashSet<Uuid>,
}

fn fixed_node(progress: f64) -> GoalNode {
    GoalNode {
        source: ProgressSource::KeyResults,
        items: vec![Item {
            weight: Weighted { percent: None, archived: false },
            measure: Measure::Score { score: progress },
        }],
    }
}

/// Evaluates `records` with `links` into them. Links whose child is neither in `records` nor in
/// `fixed` are ignored (the child was deleted). A cycle comes back as the ids of its goals, in
/// the order progress would flow.
pub fn evaluate<G: RollupGoal>(
    records: &[G],
    links: &[goal_link::Model],
    fixed: Fixed,
) -> Result<Evaluated, Vec<Uuid>> {
    let mut graph = GoalGraph::default();
    let mut goal_index: HashMap<Uuid, u32> = HashMap::with_capacity(records.len());
    let mut kr_index: HashMap<Uuid, (u32, u32)> = HashMap::with_capacity(records.len() * 2);
    let mut kr_ids: Vec<Vec<Uuid>> = Vec::with_capacity(records.len());
    for r in records {
        let gi = graph.goals.len() as u32;
        goal_index.insert(r.id(), gi);
        let (ids, items): (Vec<Uuid>, Vec<Item>) = r.items().into_iter().unzip();
        for (ii, k) in ids.iter().enumerate() {
            kr_index.insert(*k, (gi, ii as u32));
        }
        kr_ids.push(ids);
        let source = if r.rolls_up_children() { ProgressSource::Children } else { ProgressSource::KeyResults };
        graph.goals.push(GoalNode { source, items });
    }
    let agreed_records: HashSet<Uuid> = records.iter().filter(|r| r.agreed()).map(|r| r.id()).collect();
    let mut used_links = Vec::new();
    for l in links {
        let counts = agreed_records.contains(&l.child_goal_id) || fixed.agreed.contains(&l.child_goal_id);
        let parent = match l.parent_kr_id {
            Some(k) => kr_index.get(&k).map(|&(g, i)| End::Item(g, i)),
            None => goal_index.get(&l.parent_goal_id).map(|&g| End::Goal(g)),
        };
        let child = match l.child_kr_id {
            Some(k) => kr_index.get(&k).map(|&(g, i)| End::Item(g, i)).or_else(|| {
                fixed.key_results.get(&k).map(|&p| {
                    graph.goals.push(fixed_node(p));
                    End::Item(graph.goals.len() as u32 - 1, 0)
                })
            }),
            None => goal_index.get(&l.child_goal_id).map(|&g| End::Goal(g)).or_else(|| {
                fixed.goals.get(&l.child_goal_id).map(|&p| {
                    graph.goals.push(fixed_node(p));
                    End::Goal(graph.goals.len() as u32 - 1)
                })
            }),
        };
        if let (Some(child), Some(parent)) = (child, parent) {
            graph.links.push(Link { child, parent, weight: l.weight_bp.map(|w| w as f64 / BP), counts });
            used_links.push(l.id);
        }
    }
    let r = roll_up(&graph).map_err(|Cycle(ends)| {
        // Only computed goals can be on a cycle: fixed children have no inputs.
        let mut ids: Vec<Uuid> = Vec::new();
        for e in ends {
            let (End::Goal(g) | End::Item(g, _)) = e;
            if let Some(r) = records.get(g as usize)
                && ids.last() != Some(&r.id())
            {
                ids.push(r.id());
            }
        }
        ids
    })?;
    let mut out = Evaluated {
        goal: HashMap::with_capacity(records.len()),
        key_result: HashMap::with_capacity(kr_index.len()),
        link: HashMap::with_capacity(used_links.len()),
    };
    for (gi, (rec, ids)) in records.iter().zip(&kr_ids).enumerate() {
        out.goal.insert(rec.id(), r.goal[gi]);
        for (k, p) in ids.iter().zip(&r.item[gi]) {
            out.key_result.insert(*k, *p);
        }
    }
    for (id, c) in used_links.into_iter().zip(r.link) {
        out.link.insert(id, c);
    }
    Ok(out)
}

/// Progress as stored: basis points of 100 %.
pub fn to_bp(progress: f64) -> i32 {
    (progress * 10_000.0).round() as i32
}

pub fn from_bp(bp: i32) -> f64 {
    bp as f64 / 10_000.0
}

/// Cached progress of key results, for children aligned by key result.
pub fn kr_progress(krs: &[key_result::Model]) -> HashMap<Uuid, f64> {
    krs.iter().map(|k| (k.id, from_bp(k.progress_bp))).collect()
}
