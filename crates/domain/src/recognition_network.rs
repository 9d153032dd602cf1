//! The recognition network: who recognizes whom, as a graph. People are nodes, a kudos
//! from A to B an edge; from it: frequent givers and receivers, people who bridge teams
//! (betweenness centrality), people and teams receiving none, and the flows between teams.
//!
//! Betweenness is Brandes' algorithm on the undirected, unweighted graph. Exact, it costs one
//! breadth-first search per person — 100 000 searches over a million edges is far too slow for
//! a page — so above [`EXACT_UP_TO`] people it runs from a fixed-seed sample of sources and
//! scales the result (Brandes & Pich 2007); the ranking of the strongest bridges is what HR
//! reads, and it is stable under sampling.

use std::collections::HashMap;

use petgraph::graph::{NodeIndex, UnGraph};

/// Up to this many people betweenness is exact.
pub const EXACT_UP_TO: usize = 2_000;
/// Sources sampled above that.
pub const SAMPLES: usize = 96;

/// A kudos edge: giver and recipient as indexes into the people list, and how many times.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    pub from: u32,
    pub to: u32,
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    /// (person, kudos given), most first, at most `top`.
    pub top_givers: Vec<(u32, u32)>,
    pub top_receivers: Vec<(u32, u32)>,
    /// (person, betweenness), strongest first, at most `top`; only people with a score above 0.
    pub bridges: Vec<(u32, f64)>,
    /// People who received nothing.
    pub receiving_none: Vec<u32>,
    /// Teams none of whose people received anything.
    pub teams_receiving_none: Vec<u32>,
    /// (from team, to team, kudos), across teams only, most first.
    pub team_flows: Vec<(u32, u32, u32)>,
    /// Whether betweenness was sampled.
    pub sampled: bool,
}

/// Analyses the network of `people` (each with their team) and kudos `edges`.
pub fn analyze(team_of: &[u32], teams: u32, edges: &[Edge], top: usize, seed: u64) -> Network {
    let n = team_of.len();
    let mut given = vec![0u32; n];
    let mut received = vec![0u32; n];
    let mut flows: HashMap<(u32, u32), u32> = HashMap::new();
    let mut graph = UnGraph::<(), ()>::with_capacity(n, edges.len());
    for _ in 0..n {
        graph.add_node(());
    }
    // One undirected edge per pair of people, however many kudos went either way.
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(edges.len());
    for e in edges {
        given[e.from as usize] += e.count;
        received[e.to as usize] += e.count;
        let (a, b) = (team_of[e.from as usize], team_of[e.to as usize]);
        if a != b {
            *flows.entry((a, b)).or_default() += e.count;
        }
        if e.from != e.to {
            pairs.push((e.from.min(e.to), e.from.max(e.to)));
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    for (a, b) in pairs {
        graph.add_edge(NodeIndex::new(a as usize), NodeIndex::new(b as usize), ());
    }
    let sampled = n > EXACT_UP_TO;
    let scores = betweenness(&graph, if sampled { Some((SAMPLES, seed)) } else { None });
    let mut team_received = vec![0u32; teams as usize];
    for (p, r) in received.iter().enumerate() {
        team_received[team_of[p] as usize] += r;
    }
    let team_has_people = {
        let mut t = vec![false; teams as usize];
        for &u in team_of {
            t[u as usize] = true;
        }
        t
    };
    let mut team_flows: Vec<(u32, u32, u32)> = flows.into_iter().map(|((a, b), c)| (a, b, c)).collect();
    team_flows.sort_unstable_by(|x, y| y.2.cmp(&x.2).then(x.0.cmp(&y.0)).then(x.1.cmp(&y.1)));
    Network {
        top_givers: top_by(&given, top),
        top_receivers: top_by(&received, top),
        bridges: {
            let mut b: Vec<(u32, f64)> =
                scores.iter().enumerate().filter(|(_, s)| **s > 0.0).map(|(i, s)| (i as u32, *s)).collect();
            b.sort_unstable_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
            b.truncate(top);
            b
        },
        receiving_none: (0..n as u32).filter(|p| received[*p as usize] == 0).collect(),
        teams_receiving_none: (0..teams)
            .filter(|t| team_has_people[*t as usize] && team_received[*t as usize] == 0)
            .collect(),
        team_flows,
        sampled,
    }
}

fn top_by(counts: &[u32], top: usize) -> Vec<(u32, u32)> {
    let mut v: Vec<(u32, u32)> =
        counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(i, c)| (i as u32, *c)).collect();
    v.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(top);
    v
}

/// Brandes' betweenness on an undirected, unweighted graph (each unordered pair counted once),
/// from every node or from `k` sources drawn with `seed`, scaled by n / k.
///
/// The searches run over a flat copy of the adjacency (offsets and targets, built once from
/// the petgraph graph), and the back-propagation finds a node's predecessors as its neighbours
/// one step closer to the source instead of storing lists: both keep the inner loops in cache,
/// which is what makes 100 000 people and a million kudos fit the five-second budget. The
/// sources are shared out over the available cores.
pub fn betweenness(g: &UnGraph<(), ()>, sample: Option<(usize, u64)>) -> Vec<f64> {
    let n = g.node_count();
    let mut score = vec![0.0f64; n];
    if n == 0 {
        return score;
    }
    let mut offsets = vec![0u32; n + 1];
    for e in g.raw_edges() {
        offsets[e.source().index() + 1] += 1;
        offsets[e.target().index() + 1] += 1;
    }
    for i in 0..n {
        offsets[i + 1] += offsets[i];
    }
    let mut fill = offsets.clone();
    let mut targets = vec![0u32; offsets[n] as usize];
    for e in g.raw_edges() {
        let (a, b) = (e.source().index(), e.target().index());
        targets[fill[a] as usize] = b as u32;
        fill[a] += 1;
        targets[fill[b] as usize] = a as u32;
        fill[b] += 1;
    }
    let sources: Vec<usize> = match sample {
        Some((k, seed)) if k < n => pick(n, k, seed),
        _ => (0..n).collect(),
    };
    // The searches from different sources are independent: split them over the cores, each
    // with its own buffers, and add the partial scores up.
    let threads = std::thread::available_parallelism().map_or(1, |t| t.get()).min(8).min(sources.len().max(1));
    let per = sources.len().div_ceil(threads);
    let adjacency = Adjacency { offsets: &offsets, targets: &targets };
    let partials: Vec<Vec<f64>> = std::thread::scope(|scope| {
        let handles: Vec<_> =
            sources.chunks(per.max(1)).map(|chunk| scope.spawn(move || adjacency.dependencies(chunk))).collect();
        handles.into_iter().map(|h| h.join().expect("a betweenness thread")).collect()
    });
    for part in partials {
        for (s, p) in score.iter_mut().zip(part) {
            *s += p;
        }
    }
    // Each unordered pair was counted from both ends when every node is a source.
    let scale = n as f64 / sources.len() as f64 / 2.0;
    score.iter_mut().for_each(|s| *s *= scale);
    score
}

/// The graph as flat arrays: node `v`'s neighbours are `targets[offsets[v]..offsets[v + 1]]`.
#[derive(Clone, Copy)]
struct Adjacency<'a> {
    offsets: &'a [u32],
    targets: &'a [u32],
}

impl Adjacency<'_> {
    fn neighbours(&self, v: usize) -> &[u32] {
        &self.targets[self.offsets[v] as usize..self.offsets[v + 1] as usize]
    }

    /// Brandes' dependency accumulation from each of `sources`, summed per node (unscaled).
    fn dependencies(self, sources: &[usize]) -> Vec<f64> {
        let n = self.offsets.len() - 1;
        let mut score = vec![0.0f64; n];
        let mut sigma = vec![0.0f64; n];
        let mut dist = vec![-1i32; n];
        let mut delta = vec![0.0f64; n];
        let mut order: Vec<u32> = Vec::with_capacity(n);
        for &s in sources {
            for &v in &order {
                let v = v as usize;
                sigma[v] = 0.0;
                dist[v] = -1;
                delta[v] = 0.0;
            }
            order.clear();
            sigma[s] = 1.0;
            dist[s] = 0;
            order.push(s as u32);
            // `order` is the queue: breadth-first order is the order nodes are reached.
            let mut head = 0;
            while head < order.len() {
                let v = order[head] as usize;
                head += 1;
                let dv = dist[v];
                for &w in self.neighbours(v) {
                    let w = w as usize;
                    if dist[w] < 0 {
                        dist[w] = dv + 1;
                        order.push(w as u32);
                    }
                    if dist[w] == dv + 1 {
                        sigma[w] += sigma[v];
                    }
                }
            }
            for &w in order.iter().rev() {
                let w = w as usize;
                let dw = dist[w];
                let coefficient = (1.0 + delta[w]) / sigma[w];
                for &v in self.neighbours(w) {
                    let v = v as usize;
                    if dist[v] == dw - 1 {
                        delta[v] += sigma[v] * coefficient;
                    }
                }
                if w != s {
                    score[w] += delta[w];
                }
            }
        }
        score
    }
}

/// `k` distinct numbers below `n`, the same for the same seed (splitmix64; no crate needed for
/// a reproducible sample).
fn pick(n: usize, k: usize, seed: u64) -> Vec<usize> {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let mut seen = std::collections::HashSet::with_capacity(k);
    let mut out = Vec::with_capacity(k);
    while out.len() < k {
        let x = (next() % n as u64) as usize;
        if seen.insert(x) {
            out.push(x);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(from: u32, to: u32, count: u32) -> Edge {
        Edge { from, to, count }
    }

    #[test]
    fn r3_a_path_has_its_middle_as_the_bridge() {
        // 0 - 1 - 2: the only shortest path between 0 and 2 runs through 1, so 1 scores 1 and
        // the ends 0 (one pair, counted once).
        let mut g = UnGraph::<(), ()>::new_undirected();
        let n: Vec<_> = (0..3).map(|_| g.add_node(())).collect();
        g.add_edge(n[0], n[1], ());
        g.add_edge(n[1], n[2], ());
        assert_eq!(betweenness(&g, None), vec![0.0, 1.0, 0.0]);
    }

    #[test]
    fn r3_two_teams_joined_by_one_person() {
        // Team 0: a triangle 0-1-2; team 1: a triangle 3-4-5; 2 thanked 3 (and 3 thanked 2).
        // Every path between the teams (3 × 3 = 9 pairs) crosses 2 and 3: each carries the 9
        // cross pairs less the pairs it is an end of — 2 lies between {0,1} and {3,4,5}: 6;
        // the same for 3. Nobody else is between anyone.
        let team_of = [0, 0, 0, 1, 1, 1];
        let edges = [e(0, 1, 2), e(1, 2, 1), e(2, 0, 1), e(3, 4, 1), e(4, 5, 1), e(5, 3, 1), e(2, 3, 3), e(3, 2, 1)];
        let net = analyze(&team_of, 3, &edges, 10, 7);
        assert_eq!(net.bridges, vec![(2, 6.0), (3, 6.0)]);
        assert_eq!(net.top_givers[0], (2, 4), "2 gave 1 + 3");
        assert_eq!(net.top_receivers[0], (3, 4), "3 received 1 + 3");
        assert_eq!(net.team_flows, vec![(0, 1, 3), (1, 0, 1)]);
        assert!(net.receiving_none.is_empty());
        // Team 2 has no people, so it is not "receiving none".
        assert!(net.teams_receiving_none.is_empty());
        assert!(!net.sampled);
    }

    #[test]
    fn r3_people_and_teams_receiving_none() {
        let team_of = [0, 0, 1, 2];
        let net = analyze(&team_of, 3, &[e(0, 1, 1), e(2, 1, 2)], 10, 1);
        assert_eq!(net.receiving_none, vec![0, 2, 3]);
        assert_eq!(net.teams_receiving_none, vec![1, 2]);
        assert_eq!(net.top_givers, vec![(2, 2), (0, 1)]);
    }

    #[test]
    fn r3_sampled_betweenness_finds_the_same_bridge() {
        // Two rings of 1 500 joined through person 0, who knows 1 on one side and 1 501 on the
        // other: every path between the sides runs 1 → 0 → 1 501, so those three are the
        // bridges, and sampling (n = 3 001 > 2 000) still finds exactly them.
        let mut team_of = vec![0u32];
        let mut edges = Vec::new();
        for side in 0..2u32 {
            let base = 1 + side * 1_500;
            for i in 0..1_500u32 {
                team_of.push(side + 1);
                // A ring with chords: every person within a few hops of the rest of their side.
                edges.push(e(base + i, base + (i + 1) % 1_500, 1));
                edges.push(e(base + i, base + (i + 37) % 1_500, 1));
            }
            edges.push(e(0, base, 1));
        }
        let net = analyze(&team_of, 3, &edges, 3, 42);
        assert!(net.sampled);
        let mut top: Vec<u32> = net.bridges.iter().map(|b| b.0).collect();
        top.sort();
        assert_eq!(top, vec![0, 1, 1_501]);
    }
}
