//! F-3: the feedback coach against its labelled evaluation sets (`tests/coach_eval/*.tsv`, at
//! least 150 sentences per language and set: vague, harsh, labels, good SBI, behaviour without
//! impact, neutral). Precision and recall of every flag must be at least 0.85 on every set in
//! both languages (issue 22, item 10); the held-out sets are reported only.
//! `cargo test -p waymark-domain --test coach_eval -- --nocapture` prints the table for
//! docs/benchmarks.md and, with COACH_EVAL_MISSES=1, every sentence the coach got wrong.

use std::collections::BTreeSet;

use waymark_domain::coach::{Flag, advise};

struct Case {
    category: String,
    expected: BTreeSet<Flag>,
    text: String,
}

fn load(file: &str) -> Vec<Case> {
    let path = format!("{}/tests/coach_eval/{file}", env!("CARGO_MANIFEST_DIR"));
    let body = std::fs::read_to_string(&path).expect("evaluation set");
    body.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| {
            let mut cols = l.splitn(3, '\t');
            let category = cols.next().unwrap().to_string();
            let flags = cols.next().unwrap();
            let text = cols.next().unwrap_or_else(|| panic!("three columns: {l}")).to_string();
            let expected = if flags == "-" {
                BTreeSet::new()
            } else {
                flags.split(',').map(|f| Flag::parse(f).unwrap_or_else(|| panic!("flag {f}"))).collect()
            };
            Case { category, expected, text }
        })
        .collect()
}

/// (flag, true positives, false positives, false negatives) per flag.
fn score(cases: &[Case]) -> Vec<(Flag, usize, usize, usize)> {
    let verbose = std::env::var_os("COACH_EVAL_MISSES").is_some();
    let mut out: Vec<(Flag, usize, usize, usize)> = Flag::ALL.iter().map(|f| (*f, 0, 0, 0)).collect();
    for c in cases {
        let got: BTreeSet<Flag> = advise(&c.text).hints.iter().map(|h| h.flag).collect();
        if verbose && got != c.expected {
            println!("[{}] expected {:?} got {:?}: {}", c.category, c.expected, got, c.text);
        }
        for row in out.iter_mut() {
            match (c.expected.contains(&row.0), got.contains(&row.0)) {
                (true, true) => row.1 += 1,
                (false, true) => row.2 += 1,
                (true, false) => row.3 += 1,
                (false, false) => {}
            }
        }
    }
    out
}

fn check(lang: &str, file: &str) {
    let cases = load(file);
    assert!(cases.len() >= 150, "{lang}: at least 150 sentences, found {}", cases.len());
    for cat in ["vague", "harsh", "sbi", "neutral"] {
        assert!(cases.iter().any(|c| c.category == cat), "{lang}: category {cat}");
    }
    println!(
        "\n{lang} ({} sentences)\n\n| flag | expected | flagged | correct | precision | recall |\n|---|---:|---:|---:|---:|---:|",
        cases.len()
    );
    let mut low = Vec::new();
    for (flag, tp, fp, fn_) in score(&cases) {
        let precision = if tp + fp == 0 { 1.0 } else { tp as f64 / (tp + fp) as f64 };
        let recall = if tp + fn_ == 0 { 1.0 } else { tp as f64 / (tp + fn_) as f64 };
        println!("| {} | {} | {} | {} | {:.2} | {:.2} |", flag.code(), tp + fn_, tp + fp, tp, precision, recall);
        assert!(tp + fn_ >= 15, "{lang}: at least 15 sentences expect {}", flag.code());
        if precision < 0.85 {
            low.push(format!("{} precision {:.2}", flag.code(), precision));
        }
        if recall < 0.85 {
            low.push(format!("{} recall {:.2}", flag.code(), recall));
        }
    }
    assert!(low.is_empty(), "{lang}: under 0.85: {low:?}");
}

/// The held-out sets were written after the rules were frozen: reported, not held to the target
/// (a rule changed to pass them would make them a second development set).
fn report_held_out(lang: &str, file: &str) {
    let cases = load(file);
    println!(
        "\n{lang}, held out ({} sentences)\n\n| flag | expected | flagged | correct | precision | recall |\n|---|---:|---:|---:|---:|---:|",
        cases.len()
    );
    for (flag, tp, fp, fn_) in score(&cases) {
        let precision = if tp + fp == 0 { f64::NAN } else { tp as f64 / (tp + fp) as f64 };
        let recall = if tp + fn_ == 0 { f64::NAN } else { tp as f64 / (tp + fn_) as f64 };
        println!("| {} | {} | {} | {} | {:.2} | {:.2} |", flag.code(), tp + fn_, tp + fp, tp, precision, recall);
    }
}

#[test]
fn f3_coach_on_the_held_out_sentences() {
    report_held_out("English", "en_holdout.tsv");
    report_held_out("中文", "zh_holdout.tsv");
}

#[test]
fn f3_coach_precision_on_the_english_evaluation_set() {
    check("English", "en.tsv");
}

#[test]
fn f3_coach_precision_on_the_chinese_evaluation_set() {
    check("中文", "zh.tsv");
}

#[test]
fn f3_coach_on_the_second_english_set() {
    check("English, second set", "en_more.tsv");
}

#[test]
fn f3_coach_on_the_second_chinese_set() {
    check("中文，第二套", "zh_more.tsv");
}
