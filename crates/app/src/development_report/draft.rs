//! The rules' draft of a report, worded in the reader's language: every sentence states the
//! finding with the figures it stands on, so the manager edits facts, not guesses.

use waymark_domain::development_report::{
    Analysis, Assessment, DimensionFinding, LearningVerdict, ReportText, same_dimension,
};

use super::recommend::Recommendations;
use crate::i18n::Lang;

/// A 0–100 figure as the pages print it.
fn pct(x: Option<f64>) -> String {
    x.map_or_else(String::new, |v| format!("{v:.0}"))
}

fn figures(f: &DimensionFinding) -> Vec<(&'static str, String)> {
    vec![
        ("dimension", f.dimension.clone()),
        ("mean", pct(f.mean)),
        ("low", pct(f.low)),
        ("high", pct(f.high)),
        ("ratings", f.ratings.to_string()),
        ("cycles", f.cycles.to_string()),
    ]
}

fn lines(v: Vec<String>) -> String {
    v.into_iter().map(|l| format!("- {l}")).collect::<Vec<_>>().join("\n")
}

pub(super) fn draft(lang: Lang, a: &Analysis, rec: &Recommendations) -> ReportText {
    // The draft is written to be shared: where figures could unmask a peer, it states the
    // finding without them (the manager still reads them in the table).
    let key = |base: &str, f: &DimensionFinding| {
        if f.figures_shareable() { base.to_string() } else { format!("{base}-plain") }
    };
    let strengths: Vec<String> =
        a.strengths().map(|f| lang.ta(&key("devreport-draft-strength", f), &figures(f))).collect();
    let mut areas: Vec<String> = a
        .areas()
        .map(|f| {
            let base = if f.assessment == Assessment::Volatile {
                "devreport-draft-volatile"
            } else {
                "devreport-draft-growth"
            };
            lang.ta(&key(base, f), &figures(f))
        })
        .collect();
    for e in &a.learning {
        let args = [
            ("title", e.title.clone()),
            ("dimension", e.dimension.clone()),
            ("before", pct(e.before)),
            ("after", pct(e.after)),
        ];
        let hidden = a.findings.iter().any(|f| same_dimension(&f.dimension, &e.dimension) && !f.figures_shareable());
        let verdict = e.verdict.code().replace('_', "-");
        let plain = if hidden && e.verdict != LearningVerdict::NotYet { "-plain" } else { "" };
        areas.push(lang.ta(&format!("devreport-draft-learning-{verdict}{plain}"), &args));
    }
    let sep = lang.t("list-separator");
    let mut actions = Vec::new();
    for f in a.areas() {
        let same = |d: &str| same_dimension(d, &f.dimension);
        let mentors: Vec<String> =
            rec.mentors.iter().filter(|m| same(&m.dimension)).map(|m| m.person.name.clone()).collect();
        if !mentors.is_empty() {
            actions.push(
                lang.ta(
                    "devreport-draft-mentors",
                    &[("dimension", f.dimension.clone()), ("names", mentors.join(&sep))],
                ),
            );
        }
        for s in rec.actions.iter().filter(|s| same(&s.dimension)) {
            actions.push(lang.ta(
                &format!("devreport-draft-{}", s.kind),
                &[
                    ("title", s.title.clone()),
                    ("dimension", f.dimension.clone()),
                    ("people", s.people.to_string()),
                    ("completed", s.completed.to_string()),
                ],
            ));
        }
        if mentors.is_empty() && !rec.actions.iter().any(|s| same(&s.dimension)) {
            actions.push(lang.ta("devreport-draft-practice", &[("dimension", f.dimension.clone())]));
        }
    }
    let mut support: Vec<String> = a
        .findings
        .iter()
        .filter_map(|f| {
            let key = match f.assessment {
                Assessment::Strength => "devreport-support-strength",
                Assessment::Volatile => "devreport-support-volatile",
                Assessment::Growth => "devreport-support-growth",
                Assessment::Steady | Assessment::TooFew => return None,
            };
            Some(lang.ta(key, &[("dimension", f.dimension.clone())]))
        })
        .collect();
    for e in a.learning.iter().filter(|e| e.verdict == LearningVerdict::NotVisible) {
        support.push(
            lang.ta("devreport-support-apply", &[("title", e.title.clone()), ("dimension", e.dimension.clone())]),
        );
    }
    let or_none = |v: Vec<String>, none: &str| if v.is_empty() { lang.t(none) } else { lines(v) };
    ReportText {
        strengths: or_none(strengths, "devreport-draft-no-strengths"),
        areas: or_none(areas, "devreport-draft-no-areas"),
        actions: or_none(actions, "devreport-draft-no-actions"),
        support: or_none(support, "devreport-draft-no-support"),
    }
}
