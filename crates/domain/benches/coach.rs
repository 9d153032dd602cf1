//! The feedback coach per keystroke-request (issue 5 benchmark: p99 under 20 ms at 1 000
//! characters of Chinese text). Criterion reports the mean; the server-side figure with its
//! p99 comes from the load run in docs/benchmarks.md. Run: `cargo bench -p waymark-domain --bench coach`.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use waymark_domain::coach::{advise, warm_up};

/// About 1 000 characters of Chinese feedback: sentences of the evaluation set's kinds, repeated.
fn chinese(chars: usize) -> String {
    let parts = [
        "周二的客户演示中，你一步步带客户看完了新仪表盘，客户当天就签字确认了。",
        "你总是拖延交付，这份报告简直一塌糊涂。",
        "希望你以后更主动一些，沟通能力有待提高。",
        "上周四的站会上，你就一个缺陷讲了十五分钟。",
        "他这个人很自私，没人愿意和他合作。",
    ];
    let mut s = String::new();
    for p in parts.iter().cycle() {
        if s.chars().count() >= chars {
            break;
        }
        s.push_str(p);
    }
    s.chars().take(chars).collect()
}

fn english(chars: usize) -> String {
    let base = "In Tuesday's client demo, you walked the customer through the new dashboard step by step, which got us their sign-off the same day. You always miss deadlines. You need to be more organized. ";
    base.repeat(chars / base.len() + 1).chars().take(chars).collect()
}

fn bench(c: &mut Criterion) {
    warm_up();
    let zh = chinese(1000);
    let en = english(1000);
    c.bench_function("coach 1000 chars zh", |b| b.iter(|| advise(black_box(&zh))));
    c.bench_function("coach 1000 chars en", |b| b.iter(|| advise(black_box(&en))));
    c.bench_function("coach 5000 chars zh (the longest accepted)", |b| b.iter(|| advise(black_box(&chinese(5000)))));
}

criterion_group!(benches, bench);
criterion_main!(benches);
