//! Trees of people and units: cycle detection for manager assignments (O-4) and the
//! ancestor lists the store keeps as closure tables so reporting-line queries stay fast
//! at 100 000 employees (O-3).

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// Finds a cycle in a parent map (child → parent). Returns the nodes of one cycle in
/// order of traversal, starting at the first node (in `order`) that leads into it.
pub fn find_cycle<K: Copy + Eq + Hash>(parents: &HashMap<K, K>, order: &[K]) -> Option<Vec<K>> {
    let mut settled: HashSet<K> = HashSet::new();
    for &start in order {
        if settled.contains(&start) {
            continue;
        }
        let mut path: Vec<K> = Vec::new();
        let mut on_path: HashSet<K> = HashSet::new();
        let mut node = start;
        loop {
            if settled.contains(&node) {
                break;
            }
            if !on_path.insert(node) {
                let at = path.iter().position(|&n| n == node).unwrap_or(0);
                return Some(path[at..].to_vec());
            }
            path.push(node);
            match parents.get(&node) {
                Some(&p) => node = p,
                None => break,
            }
        }
        settled.extend(path);
    }
    None
}

/// Ancestors of `node`, nearest first, following a cycle-free parent map.
/// Stops (rather than looping) if the map should contain a cycle.
pub fn ancestors<K: Copy + Eq + Hash>(parents: &HashMap<K, K>, node: K) -> Vec<K> {
    let mut out = Vec::new();
    let mut seen = HashSet::from([node]);
    let mut cur = node;
    while let Some(&p) = parents.get(&cur) {
        if !seen.insert(p) {
            break;
        }
        out.push(p);
        cur = p;
    }
    out
}

/// Closure rows (ancestor, descendant, depth ≥ 1) for every node of a forest.
pub fn closure_rows<K: Copy + Eq + Hash>(parents: &HashMap<K, K>, nodes: &[K]) -> Vec<(K, K, i32)> {
    let mut rows = Vec::new();
    for &n in nodes {
        for (i, a) in ancestors(parents, n).into_iter().enumerate() {
            rows.push((a, n, i as i32 + 1));
        }
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn o4_detects_a_manager_cycle_and_names_its_members() {
        // 1 → 2 → 3 → 1 and 4 → 1: the cycle is 1, 2, 3 whichever node we start from.
        let parents = HashMap::from([(1, 2), (2, 3), (3, 1), (4, 1)]);
        let cycle = find_cycle(&parents, &[4, 1, 2, 3]).unwrap();
        assert_eq!(cycle, vec![1, 2, 3]);
    }

    #[test]
    fn o4_a_tree_has_no_cycle() {
        let parents = HashMap::from([(2, 1), (3, 1), (4, 2), (5, 4)]);
        assert_eq!(find_cycle(&parents, &[1, 2, 3, 4, 5]), None);
        let selfish = HashMap::from([(7, 7)]);
        assert_eq!(find_cycle(&selfish, &[7]), Some(vec![7]));
    }

    #[test]
    fn o3_closure_rows_list_every_ancestor_with_depth() {
        // 1 ← 2 ← 4 ← 5, 1 ← 3
        let parents = HashMap::from([(2, 1), (3, 1), (4, 2), (5, 4)]);
        let mut rows = closure_rows(&parents, &[1, 2, 3, 4, 5]);
        rows.sort();
        assert_eq!(rows, vec![(1, 2, 1), (1, 3, 1), (1, 4, 2), (1, 5, 3), (2, 4, 1), (2, 5, 2), (4, 5, 1)]);
        assert_eq!(ancestors(&parents, 5), vec![4, 2, 1]);
    }
}
