//! Bottom-up roll-up through the alignment graph (SPEC G-5, G-14), in one pass over the whole
//! organization: goals and key results are nodes, progress flows from children to parents in
//! topological order, and every link reports its child's contribution.
//!
//! Rules, so that every number can be explained:
//! - a key result's progress comes from its measure; a `Rollup` key result takes the weighted
//!   progress of the goals and key results aligned to it;
//! - a goal's progress comes from its live key results (weighted), or — when the goal rolls up
//!   from children — from the goals aligned to it (weighted by their link weights);
//! - a link's contribution is its normalized weight among its siblings × the child's progress;
//!   it is `counted` when the parent's progress is made of its children.

use serde::Serialize;

use super::measure::Measure;
use super::weights::{Weighted, normalized};

/// Where a goal's own progress comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgressSource {
    KeyResults,
    Children,
}

#[derive(Debug, Clone)]
pub struct Item {
    pub weight: Weighted,
    pub measure: Measure,
}

#[derive(Debug, Clone)]
pub struct GoalNode {
    pub source: ProgressSource,
    pub items: Vec<Item>,
}

/// One end of an alignment link: a goal, or a key result (goal index, item index).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum End {
    Goal(u32),
    Item(u32, u32),
}

#[derive(Debug, Clone, Copy)]
pub struct Link {
    pub child: End,
    pub parent: End,
    /// Contribution weight in percent; blank links share the rest equally.
    pub weight: Option<f64>,
    /// Whether the child's progress may count in the parent's (G-5): only an agreed child
    /// (approved or filed) on an accepted link. A link that does not count takes no share, so
    /// its siblings' shares are as if it were not there; it still reports what it would give.
    pub counts: bool,
}

#[derive(Debug, Clone, Default)]
pub struct GoalGraph {
    pub goals: Vec<GoalNode>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Contribution {
    /// The link's share among the links into the same parent, 0–1.
    pub share: f64,
    /// share × the child's progress.
    pub value: f64,
    /// Whether the parent's progress is made of these contributions.
    pub counted: bool,
    /// The link does not count yet (a draft or unapproved child, an alignment not accepted):
    /// `share` and `value` are 0.
    pub waiting: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RollUp {
    pub goal: Vec<f64>,
    /// Progress of each goal's items, in the goal's item order.
    pub item: Vec<Vec<f64>>,
    /// One per link, in link order.
    pub link: Vec<Contribution>,
}

/// The goals and key results of a cycle, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cycle(pub Vec<End>);

/// Dense node numbering: goals first, then every goal's items.
struct Nodes {
    goals: usize,
    offset: Vec<usize>,
    total: usize,
}

impl Nodes {
    fn new(g: &GoalGraph) -> Self {
        let mut offset = Vec::with_capacity(g.goals.len());
        let mut next = g.goals.len();
        for goal in &g.goals {
            offset.push(next);
            next += goal.items.len();
        }
        Nodes { goals: g.goals.len(), offset, total: next }
    }
    fn id(&self, e: End) -> usize {
        match e {
            End::Goal(g) => g as usize,
            End::Item(g, i) => self.offset[g as usize] + i as usize,
        }
    }
    fn end(&self, id: usize) -> End {
        if id < self.goals {
            return End::Goal(id as u32);
        }
        let g = self.offset.partition_point(|&o| o <= id) - 1;
        End::Item(g as u32, (id - self.offset[g]) as u32)
    }
}

/// Checks that every link points at an existing goal or key result.
fn check_ends(g: &GoalGraph) -> bool {
    let ok = |e: End| match e {
        End::Goal(x) => (x as usize) < g.goals.len(),
        End::Item(x, i) => g.goals.get(x as usize).is_some_and(|n| (i as usize) < n.items.len()),
    };
    g.links.iter().all(|l| ok(l.child) && ok(l.parent))
}

/// Rolls the whole graph up. Fails with one cycle when the alignment graph has any.
pub fn roll_up(g: &GoalGraph) -> Result<RollUp, Cycle> {
    assert!(check_ends(g), "links refer to goals and items of the graph");
    let nodes = Nodes::new(g);
    // Edges child → parent: every item feeds its goal; every link feeds its parent.
    let mut indegree = vec![0u32; nodes.total];
    let mut out_start = vec![0usize; nodes.total + 1];
    let edge_list = |f: &mut dyn FnMut(usize, usize)| {
        for (gi, goal) in g.goals.iter().enumerate() {
            for ii in 0..goal.items.len() {
                f(nodes.id(End::Item(gi as u32, ii as u32)), gi);
            }
        }
        for l in &g.links {
            f(nodes.id(l.child), nodes.id(l.parent));
        }
    };
    edge_list(&mut |from, to| {
        out_start[from + 1] += 1;
        indegree[to] += 1;
    });
    for i in 0..nodes.total {
        out_start[i + 1] += out_start[i];
    }
    let mut fill = out_start.clone();
    let mut out = vec![0usize; out_start[nodes.total]];
    edge_list(&mut |from, to| {
        out[fill[from]] = to;
        fill[from] += 1;
    });

    // Links into each parent, with their shares among siblings.
    let mut into: Vec<Vec<usize>> = vec![Vec::new(); nodes.total];
    for (li, l) in g.links.iter().enumerate() {
        into[nodes.id(l.parent)].push(li);
    }
    let mut share = vec![0.0; g.links.len()];
    for links in into.iter().filter(|l| !l.is_empty()) {
        // A link that does not count is left out like an archived key result.
        let weights: Vec<Weighted> =
            links.iter().map(|&li| Weighted { percent: g.links[li].weight, archived: !g.links[li].counts }).collect();
        for (&li, s) in links.iter().zip(normalized(&weights)) {
            share[li] = s;
        }
    }
    let item_shares: Vec<Vec<f64>> =
        g.goals.iter().map(|goal| normalized(&goal.items.iter().map(|i| i.weight).collect::<Vec<_>>())).collect();

    // Kahn's algorithm: a node is evaluated once all it depends on is.
    let mut progress = vec![0.0; nodes.total];
    let mut queue: Vec<usize> = (0..nodes.total).filter(|&n| indegree[n] == 0).collect();
    let mut done = 0;
    while let Some(n) = queue.pop() {
        done += 1;
        let from_links = || into[n].iter().map(|&li| share[li] * progress[nodes.id(g.links[li].child)]).sum::<f64>();
        progress[n] = match nodes.end(n) {
            End::Item(gi, ii) => {
                let rolled = from_links();
                g.goals[gi as usize].items[ii as usize].measure.evaluate(rolled).0
            }
            End::Goal(gi) => match g.goals[gi as usize].source {
                ProgressSource::Children => from_links(),
                ProgressSource::KeyResults => {
                    let start = nodes.offset[gi as usize];
                    item_shares[gi as usize].iter().enumerate().map(|(i, s)| s * progress[start + i]).sum()
                }
            },
        };
        for &to in &out[out_start[n]..out_start[n + 1]] {
            indegree[to] -= 1;
            if indegree[to] == 0 {
                queue.push(to);
            }
        }
    }
    if done < nodes.total {
        return Err(find_cycle(&nodes, &out, &out_start, &indegree));
    }

    let link = g
        .links
        .iter()
        .enumerate()
        .map(|(li, l)| {
            let counted = match l.parent {
                End::Goal(p) => g.goals[p as usize].source == ProgressSource::Children,
                End::Item(p, i) => matches!(g.goals[p as usize].items[i as usize].measure, Measure::Rollup),
            };
            let value = share[li] * progress[nodes.id(l.child)];
            Contribution { share: share[li], value, counted, waiting: !l.counts }
        })
        .collect();
    let item = g
        .goals
        .iter()
        .enumerate()
        .map(|(gi, goal)| progress[nodes.offset[gi]..nodes.offset[gi] + goal.items.len()].to_vec())
        .collect();
    progress.truncate(nodes.goals);
    Ok(RollUp { goal: progress, item, link })
}

/// Every node left with a positive in-degree waits for at least one other such node, so
/// walking from one to a node it waits for must come back to a node already seen.
fn find_cycle(nodes: &Nodes, out: &[usize], out_start: &[usize], indegree: &[u32]) -> Cycle {
    let stuck = |n: usize| indegree[n] > 0;
    let mut waits_for = vec![usize::MAX; nodes.total];
    for from in (0..nodes.total).filter(|&n| stuck(n)) {
        for &to in &out[out_start[from]..out_start[from + 1]] {
            if stuck(to) {
                waits_for[to] = from;
            }
        }
    }
    let start = (0..nodes.total).find(|&n| stuck(n)).unwrap_or(0);
    let mut seen_at = std::collections::HashMap::new();
    let mut path = Vec::new();
    let mut n = start;
    while !seen_at.contains_key(&n) && n != usize::MAX {
        seen_at.insert(n, path.len());
        path.push(n);
        n = waits_for[n];
    }
    let from = seen_at.get(&n).copied().unwrap_or(0);
    // Walked against the flow of progress: reverse to read child → parent.
    Cycle(path[from..].iter().rev().map(|&id| nodes.end(id)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goals::measure::Direction;

    fn kr(weight: Option<f64>, current: f64) -> Item {
        let measure =
            Measure::Numeric { start: 0.0, target: 100.0, current, direction: Direction::HigherIsBetter, flat: None };
        Item { weight: Weighted { percent: weight, archived: false }, measure }
    }

    fn goal(items: Vec<Item>) -> GoalNode {
        GoalNode { source: ProgressSource::KeyResults, items }
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn g14_goal_progress_is_the_weighted_key_results() {
        // 50 % × 0.8 + 30 % × 0.5 + 20 % × 0.0 = 0.55
        let g = GoalGraph {
            goals: vec![goal(vec![kr(Some(50.0), 80.0), kr(Some(30.0), 50.0), kr(Some(20.0), 0.0)])],
            links: vec![],
        };
        let r = roll_up(&g).unwrap();
        close(r.goal[0], 0.55);
        assert_eq!(r.item[0], vec![0.8, 0.5, 0.0]);
    }

    #[test]
    fn g14_archived_key_results_and_milestones() {
        // Milestones weighted 1:1:2, the first two done; a fourth archived (done) counts nothing.
        let m = |w: f64, done: bool, archived: bool| Item {
            weight: Weighted { percent: Some(w), archived },
            measure: Measure::Done { done },
        };
        let g = GoalGraph {
            goals: vec![goal(vec![
                m(25.0, true, false),
                m(25.0, true, false),
                m(50.0, false, false),
                m(40.0, true, true),
            ])],
            links: vec![],
        };
        close(roll_up(&g).unwrap().goal[0], 0.5);
    }

    #[test]
    fn g5_children_roll_up_by_link_weight() {
        // Company goal C rolls up from unit goals A (0.6) and B (0.2), weighted 75/25:
        // 0.75 × 0.6 + 0.25 × 0.2 = 0.5.
        let c = GoalNode { source: ProgressSource::Children, items: vec![] };
        let g = GoalGraph {
            goals: vec![c, goal(vec![kr(None, 60.0)]), goal(vec![kr(None, 20.0)])],
            links: vec![
                Link { child: End::Goal(1), parent: End::Goal(0), weight: Some(75.0), counts: true },
                Link { child: End::Goal(2), parent: End::Goal(0), weight: Some(25.0), counts: true },
            ],
        };
        let r = roll_up(&g).unwrap();
        close(r.goal[0], 0.5);
        close(r.link[0].value, 0.45);
        close(r.link[1].value, 0.05);
        assert!(r.link[0].counted);
    }

    #[test]
    fn g5_children_that_do_not_count_take_no_share() {
        // Company goal C (from children) with three children, weighted 80/10/10: a draft at
        // 0.1 (80 %), a submitted one at 1.0 (10 %) and an approved one at 0.5 (10 %). Only
        // the approved one counts; alone it takes the whole share: C = 1 × 0.5 = 0.5. Counted
        // with the drafts, C would be 0.8 × 0.1 + 0.1 × 1.0 + 0.1 × 0.5 = 0.23.
        let c = GoalNode { source: ProgressSource::Children, items: vec![] };
        let g = GoalGraph {
            goals: vec![c, goal(vec![kr(None, 10.0)]), goal(vec![kr(None, 100.0)]), goal(vec![kr(None, 50.0)])],
            links: vec![
                Link { child: End::Goal(1), parent: End::Goal(0), weight: Some(80.0), counts: false },
                Link { child: End::Goal(2), parent: End::Goal(0), weight: Some(10.0), counts: false },
                Link { child: End::Goal(3), parent: End::Goal(0), weight: Some(10.0), counts: true },
            ],
        };
        let r = roll_up(&g).unwrap();
        close(r.goal[0], 0.5);
        assert!(r.link[0].waiting && r.link[1].waiting && !r.link[2].waiting);
        close(r.link[0].value, 0.0);
        close(r.link[2].share, 1.0);
        // No child counts: the parent has nothing to show yet.
        let mut none = g.clone();
        none.links[2].counts = false;
        close(roll_up(&none).unwrap().goal[0], 0.0);
    }

    #[test]
    fn g5_key_results_align_to_key_results_through_several_levels() {
        // Company goal 0 has a rolled-up KR (weight 50) and a measured KR at 0.4 (weight 50).
        // Its rolled KR takes team goal 1 (equal share) and team KR (2,0) (equal share).
        // Team goal 1 rolls up from individual goal 3 (0.9); goal 2's KR is at 0.3.
        // KR(0,0) = 0.5 × 0.9 + 0.5 × 0.3 = 0.6; goal 0 = 0.5 × 0.6 + 0.5 × 0.4 = 0.5.
        let rollup = Item { weight: Weighted { percent: Some(50.0), archived: false }, measure: Measure::Rollup };
        let g = GoalGraph {
            goals: vec![
                goal(vec![rollup, kr(Some(50.0), 40.0)]),
                GoalNode { source: ProgressSource::Children, items: vec![] },
                goal(vec![kr(None, 30.0)]),
                goal(vec![kr(None, 90.0)]),
            ],
            links: vec![
                Link { child: End::Goal(1), parent: End::Item(0, 0), weight: None, counts: true },
                Link { child: End::Item(2, 0), parent: End::Item(0, 0), weight: None, counts: true },
                Link { child: End::Goal(3), parent: End::Goal(1), weight: None, counts: true },
            ],
        };
        let r = roll_up(&g).unwrap();
        close(r.goal[1], 0.9);
        close(r.item[0][0], 0.6);
        close(r.goal[0], 0.5);
        // A goal aligned to a goal that is measured by its own key results: shown, not counted.
        let mut g2 = g.clone();
        g2.links.push(Link { child: End::Goal(3), parent: End::Goal(2), weight: None, counts: true });
        let r2 = roll_up(&g2).unwrap();
        assert!(!r2.link[3].counted);
        close(r2.goal[2], 0.3);
    }

    #[test]
    fn g5_cycles_are_found_and_named() {
        // 0 ← 1 ← 2 ← 0 (each supports the next).
        let c = || GoalNode { source: ProgressSource::Children, items: vec![] };
        let g = GoalGraph {
            goals: vec![c(), c(), c(), goal(vec![kr(None, 10.0)])],
            links: vec![
                Link { child: End::Goal(3), parent: End::Goal(2), weight: None, counts: true },
                Link { child: End::Goal(1), parent: End::Goal(0), weight: None, counts: true },
                Link { child: End::Goal(2), parent: End::Goal(1), weight: None, counts: true },
                Link { child: End::Goal(0), parent: End::Goal(2), weight: None, counts: true },
            ],
        };
        let Cycle(nodes) = roll_up(&g).unwrap_err();
        let mut sorted = nodes.clone();
        sorted.sort_by_key(|e| format!("{e:?}"));
        assert_eq!(sorted, vec![End::Goal(0), End::Goal(1), End::Goal(2)]);
        // A key result aligned to its own goal's parent chain is a cycle too: KR(0,0) → goal 1 → goal 0.
        let g = GoalGraph {
            goals: vec![goal(vec![kr(None, 0.0)]), c()],
            links: vec![
                Link { child: End::Item(0, 0), parent: End::Goal(1), weight: None, counts: true },
                Link { child: End::Goal(1), parent: End::Item(0, 0), weight: None, counts: true },
            ],
        };
        assert!(roll_up(&g).is_err());
    }
}
