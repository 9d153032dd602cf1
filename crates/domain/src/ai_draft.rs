//! Optional AI drafting (issue 26, item 5): what Waymark sends to an OpenAI-compatible chat
//! endpoint and how it reads the answer. Pure: the app sends, audits and falls back.
//!
//! The rules of what leaves the server live here, in one place:
//! - only the fields a draft needs: dimension names and the rules' findings, never ids, dates
//!   of birth, units or the text of anyone else's review;
//! - people are named by their role ("the employee", "the writer", "the colleague"), never by
//!   name: names the server knows are replaced before sending ([`pseudonymize`]);
//! - figures that could unmask an anonymous peer's rating are not sent (the same rule as the
//!   person's own view, [`DimensionFinding::figures_shareable`]);
//! - the answer is only ever a proposal for a human to edit: it is read as JSON of a known
//!   shape, each text capped, and anything else is refused (the caller falls back to the rules).

use serde::Serialize;
use serde_json::json;

use crate::coach::Flag;
use crate::development_report::{Analysis, LearningVerdict, MAX_TEXT_CHARS, ReportText};
use crate::secrets::keyed_hash;

/// Largest answer read from the endpoint, in bytes; the rest is not read.
pub const MAX_REPLY_BYTES: usize = 256 * 1024;

/// Why an answer is not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyProblem {
    /// Not an OpenAI chat completion (no `choices[0].message.content`).
    NotACompletion,
    /// The content is not the JSON object asked for, or lacks its keys.
    NotTheShape,
    /// The object is there but says nothing.
    Empty,
}

impl ReplyProblem {
    pub fn code(&self) -> &'static str {
        match self {
            ReplyProblem::NotACompletion => "not_a_completion",
            ReplyProblem::NotTheShape => "not_the_shape",
            ReplyProblem::Empty => "empty",
        }
    }
}

/// A chat request's two messages: the instructions and the facts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Prompt {
    pub system: String,
    pub user: String,
}

impl Prompt {
    /// The body of `POST {endpoint}/chat/completions`.
    pub fn body(&self, model: &str) -> serde_json::Value {
        json!({
            "model": model,
            "messages": [
                { "role": "system", "content": self.system },
                { "role": "user", "content": self.user },
            ],
            "temperature": 0.2,
            "max_tokens": 1200,
            "stream": false,
            "response_format": { "type": "json_object" },
        })
    }
}

fn language_name(zh: bool) -> &'static str {
    if zh { "Simplified Chinese (zh-CN)" } else { "English" }
}

/// The facts of a development report as they are sent: the findings (figures only where they
/// cannot unmask a peer), the learning verdicts without the actions' titles (a title may name a
/// mentor), and the courses and projects several people's plans name.
pub fn report_prompt(zh: bool, a: &Analysis, suggested: &[(String, String, String)]) -> Prompt {
    let findings: Vec<serde_json::Value> = a
        .findings
        .iter()
        .map(|f| {
            let mut o = json!({
                "dimension": f.dimension,
                "finding": f.assessment.code(),
                "ratings": f.ratings,
                "cycles": f.cycles,
            });
            if f.figures_shareable() {
                let r = |x: Option<f64>| x.map(|v| (v * 10.0).round() / 10.0);
                o["colleagues_mean_0_100"] = json!(r(f.mean));
                o["lowest_0_100"] = json!(r(f.low));
                o["highest_0_100"] = json!(r(f.high));
            }
            o
        })
        .collect();
    let hidden = |d: &str| {
        a.findings.iter().any(|f| crate::development_report::same_dimension(&f.dimension, d) && !f.figures_shareable())
    };
    let learning: Vec<serde_json::Value> = a
        .learning
        .iter()
        .map(|e| {
            let mut o = json!({ "dimension": e.dimension, "verdict": e.verdict.code() });
            if !hidden(&e.dimension) && e.verdict != LearningVerdict::NotYet {
                o["before_0_100"] = json!(e.before.map(|v| v.round()));
                o["after_0_100"] = json!(e.after.map(|v| v.round()));
            }
            o
        })
        .collect();
    let suggested: Vec<serde_json::Value> = suggested
        .iter()
        .map(|(dimension, kind, title)| json!({ "dimension": dimension, "kind": kind, "title": title }))
        .collect();
    let facts = json!({
        "person": "the employee",
        "findings": findings,
        "learning_after_completed_actions": learning,
        "courses_and_projects_others_planned": suggested,
    });
    let system = format!(
        "You help a manager draft a development report for one employee after a performance review. \
         Write in {lang}. Use only the facts given; never invent ratings, names, dates or events. \
         Findings: strength = stable strength, volatile = ratings vary widely, growth = below the middle of the scale, \
         steady = neither, too_few = not enough ratings to judge. Learning verdicts: shows_up = the rating rose after the learning, \
         not_visible = no rise yet, not_yet = no review since, no_baseline = no review before. \
         Refer to the person as \"the employee\" (in Chinese \"该员工\"); name no one. \
         Answer with one JSON object with exactly these string keys: \"strengths\", \"areas\", \"actions\", \"support\" \
         (how the manager can support them). Each value is a few short lines, each starting with \"- \".",
        lang = language_name(zh)
    );
    Prompt { system, user: facts.to_string() }
}

/// The writer's feedback as it is sent to be reworded: the template's parts with the coach's
/// flags, names already replaced by roles (see [`pseudonymize`]).
pub fn rewrite_prompt(zh: bool, parts: &[(&str, String)], flags: &[(Flag, Vec<String>)]) -> Prompt {
    let parts_json: Vec<serde_json::Value> =
        parts.iter().map(|(code, text)| json!({ "part": code, "text": text })).collect();
    let flags_json: Vec<serde_json::Value> =
        flags.iter().map(|(f, words)| json!({ "problem": f.code(), "words": words })).collect();
    let facts = json!({ "parts": parts_json, "coach_found": flags_json });
    let system = format!(
        "You help a colleague improve a piece of workplace feedback before they send it. \
         Write in {lang}. Keep the writer's meaning and facts; add none. \
         Fix what the coach found: vague = say the concrete situation and behaviour, \
         harsh = drop absolute or insulting words, label = describe what was done instead of what the person is, \
         no_impact = say the effect. Where a fact is missing, leave a bracketed slot such as [when?] rather than inventing it. \
         The writer is \"[me]\" and the recipient \"[colleague]\"; keep those markers as they are. \
         Answer with one JSON object with one key \"parts\": an array of exactly {n} strings, one per part, in order.",
        lang = language_name(zh),
        n = parts.len()
    );
    Prompt { system, user: facts.to_string() }
}

/// A short exchange that shows the endpoint answers in the protocol, as asked: it says
/// nothing about anyone.
pub fn test_prompt() -> Prompt {
    Prompt {
        system: "Answer with the JSON object {\"ok\": true} and nothing else.".into(),
        user: "{\"test\": \"connection\"}".into(),
    }
}

/// Any JSON object is an answer of the shape asked for (a model may add keys).
pub fn read_test(content: &str) -> Result<(), ReplyProblem> {
    object_in(content).map(|_| ())
}

/// Replaces each name (longest first, so "张三丰" is not left as "[…]丰") with its role marker.
/// Names shorter than two characters are left alone: a one-letter "name" would blank text.
pub fn pseudonymize(text: &str, names: &[(&str, &str)]) -> String {
    let mut names: Vec<&(&str, &str)> = names.iter().filter(|(n, _)| n.trim().chars().count() >= 2).collect();
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.chars().count()));
    let mut out = text.to_string();
    for (name, role) in names {
        out = out.replace(name.trim(), role);
    }
    out
}

/// The content of an OpenAI chat completion's first choice.
pub fn completion_content(body: &[u8]) -> Result<String, ReplyProblem> {
    let v: serde_json::Value = serde_json::from_slice(body).map_err(|_| ReplyProblem::NotACompletion)?;
    v.pointer("/choices/0/message/content")
        .and_then(|c| c.as_str())
        .map(str::to_string)
        .ok_or(ReplyProblem::NotACompletion)
}

/// The JSON object in a model's content: models often wrap it in a ```json fence.
fn object_in(content: &str) -> Result<serde_json::Map<String, serde_json::Value>, ReplyProblem> {
    let t = content.trim();
    let t = t.strip_prefix("```json").or_else(|| t.strip_prefix("```")).unwrap_or(t);
    let t = t.strip_suffix("```").unwrap_or(t).trim();
    match serde_json::from_str::<serde_json::Value>(t) {
        Ok(serde_json::Value::Object(m)) => Ok(m),
        _ => Err(ReplyProblem::NotTheShape),
    }
}

fn capped(s: &str, max: usize) -> String {
    s.trim().chars().take(max).collect()
}

/// A value as text: a string as it is, a list of strings as "- " lines (some models answer so).
fn text_of(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Array(items) => {
            let lines: Option<Vec<String>> = items.iter().map(|i| i.as_str().map(|s| format!("- {s}"))).collect();
            lines.map(|l| l.join("\n"))
        }
        _ => None,
    }
}

/// The report's four parts from the model's content, each capped at the report's limit.
pub fn read_report(content: &str) -> Result<ReportText, ReplyProblem> {
    let m = object_in(content)?;
    let part = |k: &str| m.get(k).and_then(text_of).map(|s| capped(&s, MAX_TEXT_CHARS));
    let (Some(strengths), Some(areas), Some(actions), Some(support)) =
        (part("strengths"), part("areas"), part("actions"), part("support"))
    else {
        return Err(ReplyProblem::NotTheShape);
    };
    let t = ReportText { strengths, areas, actions, support };
    if [&t.strengths, &t.areas, &t.actions, &t.support].iter().all(|s| s.is_empty()) {
        return Err(ReplyProblem::Empty);
    }
    Ok(t)
}

/// The reworded parts from the model's content: exactly `n`, each capped at `max` characters.
pub fn read_rewrite(content: &str, n: usize, max: usize) -> Result<Vec<String>, ReplyProblem> {
    let m = object_in(content)?;
    let parts = m.get("parts").and_then(|p| p.as_array()).ok_or(ReplyProblem::NotTheShape)?;
    let parts: Option<Vec<String>> = parts.iter().map(|p| p.as_str().map(|s| capped(s, max))).collect();
    let parts = parts.filter(|p| p.len() == n).ok_or(ReplyProblem::NotTheShape)?;
    if parts.iter().all(String::is_empty) {
        return Err(ReplyProblem::Empty);
    }
    Ok(parts)
}

/// A fingerprint of a report's text as drafted, kept in the audit log: a report whose text
/// still has it was not edited by a person and is not shared.
pub fn fingerprint(t: &ReportText) -> String {
    let parts = [t.strengths.trim(), t.areas.trim(), t.actions.trim(), t.support.trim()];
    // Each part's length before it, so that text moved from one part to the next differs.
    let lengths: Vec<[u8; 8]> = parts.iter().map(|p| (p.len() as u64).to_be_bytes()).collect();
    let mut bytes: Vec<&[u8]> = Vec::new();
    for (p, n) in parts.iter().zip(&lengths) {
        bytes.push(n);
        bytes.push(p.as_bytes());
    }
    hex::encode(keyed_hash(b"waymark/ai-draft/v1", &bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::development_report::{Assessment, DimensionFinding, LearningEffect};

    fn finding(d: &str, a: Assessment, anonymous: usize) -> DimensionFinding {
        DimensionFinding {
            dimension: d.into(),
            assessment: a,
            ratings: 4,
            cycles: 2,
            mean: Some(62.5),
            low: Some(25.0),
            high: Some(100.0),
            self_mean: Some(75.0),
            anonymous,
        }
    }

    #[test]
    fn d2_the_report_prompt_sends_findings_and_hides_figures_that_could_unmask_a_peer() {
        let a = Analysis {
            cycles: 2,
            findings: vec![finding("协作沟通", Assessment::Volatile, 0), finding("创新", Assessment::Growth, 1)],
            learning: vec![LearningEffect {
                dimension: "创新".into(),
                title: "跟张三学习".into(),
                done_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(),
                before: Some(40.0),
                after: Some(45.0),
                verdict: LearningVerdict::NotVisible,
            }],
        };
        let p = report_prompt(true, &a, &[("创新".into(), "course".into(), "设计思维".into())]);
        let facts: serde_json::Value = serde_json::from_str(&p.user).unwrap();
        assert_eq!(facts["findings"][0]["colleagues_mean_0_100"], 62.5);
        assert_eq!(facts["findings"][0]["finding"], "volatile");
        // One anonymous rating in 创新: no figure leaves, neither in the finding nor the learning.
        assert!(facts["findings"][1].get("colleagues_mean_0_100").is_none());
        assert!(facts["learning_after_completed_actions"][0].get("before_0_100").is_none());
        // The action's title (which names a mentor) and the self-rating are not sent.
        assert!(!p.user.contains("张三") && !p.user.contains("self"));
        assert!(p.system.contains("Simplified Chinese"));
        assert_eq!(p.body("m")["messages"][1]["content"], p.user);
    }

    #[test]
    fn d2_names_become_roles_longest_first_and_one_letter_names_are_left() {
        let names = [("张三", "[colleague]"), ("张三丰", "[me]"), ("A", "[x]")];
        assert_eq!(pseudonymize("张三丰说张三总是迟到。A plan", &names), "[me]说[colleague]总是迟到。A plan");
    }

    #[test]
    fn d2_a_report_reply_is_read_from_a_fenced_object_and_anything_else_is_refused() {
        let body = br#"{"choices":[{"message":{"role":"assistant","content":"```json\n{\"strengths\":\"- a\",\"areas\":[\"b\",\"c\"],\"actions\":\"\",\"support\":\"- d\"}\n```"}}]}"#;
        let t = read_report(&completion_content(body).unwrap()).unwrap();
        assert_eq!((t.strengths.as_str(), t.areas.as_str(), t.support.as_str()), ("- a", "- b\n- c", "- d"));
        assert_eq!(completion_content(b"<html>502</html>"), Err(ReplyProblem::NotACompletion));
        assert_eq!(completion_content(br#"{"choices":[]}"#), Err(ReplyProblem::NotACompletion));
        assert_eq!(read_report("I cannot help with that."), Err(ReplyProblem::NotTheShape));
        assert_eq!(read_report(r#"{"strengths":"x"}"#), Err(ReplyProblem::NotTheShape));
        let empty = r#"{"strengths":" ","areas":"","actions":"","support":""}"#;
        assert_eq!(read_report(empty), Err(ReplyProblem::Empty));
        let long = format!(r#"{{"strengths":"{}","areas":"","actions":"","support":""}}"#, "长".repeat(5000));
        assert_eq!(read_report(&long).unwrap().strengths.chars().count(), MAX_TEXT_CHARS);
    }

    #[test]
    fn d2_the_connection_test_accepts_any_object_and_nothing_else() {
        assert_eq!(read_test("{\"ok\": true}"), Ok(()));
        assert_eq!(read_test("```json\n{\"ok\": true, \"note\": 1}\n```"), Ok(()));
        assert_eq!(read_test("ok"), Err(ReplyProblem::NotTheShape));
        assert_eq!(read_test("[1]"), Err(ReplyProblem::NotTheShape));
        assert!(!test_prompt().user.contains("employee"));
    }

    #[test]
    fn d2_a_rewrite_needs_exactly_the_parts_asked_for() {
        assert_eq!(read_rewrite(r#"{"parts":["a","b","c"]}"#, 3, 10).unwrap(), vec!["a", "b", "c"]);
        assert_eq!(read_rewrite(r#"{"parts":["a","b"]}"#, 3, 10), Err(ReplyProblem::NotTheShape));
        assert_eq!(read_rewrite(r#"{"parts":["","",""]}"#, 3, 10), Err(ReplyProblem::Empty));
        assert_eq!(read_rewrite(r#"{"parts":["abcdef"]}"#, 1, 3).unwrap(), vec!["abc"]);
        let p = rewrite_prompt(false, &[("situation", "[colleague] was late".into())], &[(Flag::Harsh, vec![])]);
        assert!(p.system.contains("exactly 1 strings") && p.user.contains("harsh"));
    }

    #[test]
    fn d2_the_fingerprint_ignores_surrounding_space_and_sees_any_edit() {
        let a = ReportText { strengths: "- a".into(), areas: "- b".into(), ..ReportText::default() };
        let spaced = ReportText { strengths: " - a \n".into(), ..a.clone() };
        let edited = ReportText { areas: "- b!".into(), ..a.clone() };
        assert_eq!(fingerprint(&a), fingerprint(&spaced));
        assert_ne!(fingerprint(&a), fingerprint(&edited));
        // Parts are kept apart: moving a line from one part to the next changes it.
        let moved = ReportText { strengths: "- a- b".into(), areas: String::new(), ..a.clone() };
        assert_ne!(fingerprint(&a), fingerprint(&moved));
    }
}
