//! Scoring and calibration statistics (issue 6 benchmark: 100 000 reviews in under 2 s).
//! 100 000 participants under 10 000 managers, each with a self review, a manager review and
//! two peer reviews over two rated sections and three weighted goals: every score computed
//! through the formula with its explanation, then the session's distribution, the leniency of
//! every manager and the outlier fences over all of them.
//! Run: `cargo bench -p waymark-domain --bench reviews`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use waymark_domain::reviews::calibration::{distribution, fences, leniency};
use waymark_domain::reviews::formula::Formula;
use waymark_domain::reviews::grades::GradeBands;
use waymark_domain::reviews::scoring::{GoalInput, Source, SourceScores, SourceWeights, score};

const PARTICIPANTS: u32 = 100_000;
const TEAM: u32 = 10;

struct Person {
    manager: u32,
    goals: Vec<GoalInput>,
    reviews: Vec<SourceScores>,
}

fn people() -> Vec<Person> {
    let mut state = 7u64;
    let mut next = move |n: u32| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as f64
    };
    (0..PARTICIPANTS)
        .map(|p| {
            let manager = p / TEAM;
            // One manager in twenty rates ten points higher.
            let lenient = if manager.is_multiple_of(20) { 10.0 } else { 0.0 };
            let goals = (0..3)
                .map(|g| GoalInput {
                    title: format!("目标{g}"),
                    weight: Some([50.0, 30.0, 20.0][g]),
                    achievement: 40.0 + next(80),
                    held: 1.0,
                })
                .collect();
            let mut reviews = Vec::new();
            for source in [Source::SelfReview, Source::Manager, Source::Peers, Source::Peers] {
                let bump = if source == Source::Manager { lenient } else { 0.0 };
                reviews.push(SourceScores {
                    source,
                    sections: vec![("competencies", 50.0 + next(40) + bump), ("values", 50.0 + next(40) + bump)],
                });
            }
            Person { manager, goals, reviews }
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let people = people();
    let formula = Formula::parse("0.6*goals + 0.3*competencies + 0.1*values").unwrap();
    let weights = SourceWeights::default();
    let bands = GradeBands::default();
    let mut g = c.benchmark_group("reviews");
    g.sample_size(10);
    g.bench_function("score_and_calibrate_100k", |b| {
        b.iter(|| {
            let mut ratings = Vec::with_capacity(people.len());
            let mut grades = Vec::with_capacity(people.len());
            for p in &people {
                let e = score(&formula, &weights, &bands, &p.goals, &p.reviews).unwrap();
                let s = e.score.unwrap();
                ratings.push((p.manager, s));
                grades.push(bands.index_of(s));
            }
            let scores: Vec<f64> = ratings.iter().map(|(_, s)| *s).collect();
            black_box((distribution(&bands, &grades), leniency(&ratings), fences(&scores)))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
