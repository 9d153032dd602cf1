//! The recognition network (issue 5 benchmark: 100 000 people and 1 000 000 kudos analysed in
//! under 5 s). A synthetic organization: 2 000 teams of 50; most kudos stay inside a team,
//! one in five crosses to a team nearby, a few cross anywhere, and a fifth of the people give
//! most of them. Run: `cargo bench -p waymark-domain --bench network`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use waymark_domain::recognition_network::{Edge, analyze};

const PEOPLE: u32 = 100_000;
const TEAM: u32 = 50;
const KUDOS: u32 = 1_000_000;

fn organization() -> (Vec<u32>, Vec<Edge>) {
    let team_of: Vec<u32> = (0..PEOPLE).map(|p| p / TEAM).collect();
    let mut state = 42u64;
    let mut next = move |n: u32| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as u32
    };
    let teams = PEOPLE / TEAM;
    // One edge per kudos (the database groups repeats; here they stay apart, the harder case).
    let edges = (0..KUDOS)
        .map(|_| {
            let giver = if next(10) < 8 { next(PEOPLE / 5) * 5 } else { next(PEOPLE) };
            let team = giver / TEAM;
            let to_team = match next(100) {
                0..=79 => team,
                80..=97 => (team + 1 + next(3)) % teams,
                _ => next(teams),
            };
            let mut to = to_team * TEAM + next(TEAM);
            if to == giver {
                to = to_team * TEAM + (to + 1) % TEAM;
            }
            Edge { from: giver, to, count: 1 }
        })
        .collect();
    (team_of, edges)
}

fn network(c: &mut Criterion) {
    let (team_of, edges) = organization();
    let mut g = c.benchmark_group("recognition_network");
    g.sample_size(10);
    g.bench_function("analyze 100k people, 1M kudos", |b| {
        b.iter(|| black_box(analyze(&team_of, PEOPLE / TEAM, &edges, 10, 7)))
    });
    g.finish();
}

criterion_group!(benches, network);
criterion_main!(benches);
