//! Full roll-up of a 100 000-employee organization's alignment graph (issue 3 benchmark:
//! target under 200 ms in the domain). The graph has the demo's shape: 3 company goals, 2 goals
//! per business unit and department, 1 per team, and per individual an OKR with 3 key results
//! aligned to the team goal plus, for every other person, a KPI with one key result —
//! about 150 000 goals and 330 000 key results, 500 000 nodes in all.
//! Run: `cargo bench -p waymark-domain --bench rollup`.

use criterion::{Criterion, criterion_group, criterion_main};
use waymark_domain::goals::measure::{Direction, Measure};
use waymark_domain::goals::rollup::{End, GoalGraph, GoalNode, Item, Link, ProgressSource, roll_up};
use waymark_domain::goals::weights::Weighted;

fn organization(people: usize) -> GoalGraph {
    let mut g = GoalGraph::default();
    let shared = |g: &mut GoalGraph| {
        g.goals.push(GoalNode { source: ProgressSource::Children, items: vec![] });
        (g.goals.len() - 1) as u32
    };
    let link = |g: &mut GoalGraph, child: u32, parent: u32| {
        g.links.push(Link { child: End::Goal(child), parent: End::Goal(parent), weight: None, counts: true })
    };
    let company: Vec<u32> = (0..3).map(|_| shared(&mut g)).collect();
    // 10 business units × 10 departments × (people / 1000) teams of about 10.
    let teams_per_dept = (people / 1000).max(1);
    let mut team_goals = Vec::new();
    for b in 0..10 {
        let bu: Vec<u32> = (0..2).map(|_| shared(&mut g)).collect();
        for (i, &x) in bu.iter().enumerate() {
            link(&mut g, x, company[(b + i) % 3]);
        }
        for d in 0..10 {
            let dept: Vec<u32> = (0..2).map(|_| shared(&mut g)).collect();
            for (i, &x) in dept.iter().enumerate() {
                link(&mut g, x, bu[(d + i) % 2]);
            }
            for t in 0..teams_per_dept {
                let team = shared(&mut g);
                link(&mut g, team, dept[t % 2]);
                team_goals.push(team);
            }
        }
    }
    let kr = |i: usize| Item {
        weight: Weighted { percent: None, archived: false },
        measure: Measure::Numeric {
            start: 0.0,
            target: 40.0 + (i % 60) as f64,
            current: (i * 7 % 100) as f64,
            direction: Direction::HigherIsBetter,
            flat: None,
        },
    };
    for p in 0..people {
        g.goals.push(GoalNode { source: ProgressSource::KeyResults, items: (0..3).map(|k| kr(p + k)).collect() });
        let okr = (g.goals.len() - 1) as u32;
        if p % 10 != 0 {
            link(&mut g, okr, team_goals[p % team_goals.len()]);
        }
        if p % 2 == 0 {
            g.goals.push(GoalNode { source: ProgressSource::KeyResults, items: vec![kr(p)] });
        }
    }
    g
}

fn bench(c: &mut Criterion) {
    let g = organization(100_000);
    let items: usize = g.goals.iter().map(|n| n.items.len()).sum();
    eprintln!("graph: {} goals, {} key results, {} links", g.goals.len(), items, g.links.len());
    let mut group = c.benchmark_group("rollup");
    group.sample_size(10);
    group.bench_function("whole organization, 100 000 employees", |b| b.iter(|| roll_up(&g).unwrap()));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
