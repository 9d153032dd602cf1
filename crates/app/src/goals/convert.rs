//! Between stored key results (scaled integers) and the domain's measures, and between the
//! forms' input and stored rows. One place for the scaling rules.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use waymark_domain::goals::measure::{Direction, FlatTarget, KpiFormula, Measure};
use waymark_domain::goals::weights::{Weighted, check_weight};
use waymark_domain::org::{self as rules};
use waymark_store::entities::key_result;

use crate::FieldIssue;

/// Values are stored × 10 000; weights in basis points of a percent.
pub const E4: f64 = 10_000.0;
pub const BP: f64 = 100.0;

/// A weight in percent as stored (basis points), checked: blank, or 0–100. A weight out of range
/// is reported under `field` and left blank.
pub fn weight_bp(field: &str, percent: Option<f64>, issues: &mut Vec<FieldIssue>) -> Option<i32> {
    let w = percent?;
    match check_weight(w) {
        Ok(()) => Some((w * BP).round() as i32),
        Err(code) => {
            issues.push(FieldIssue::new(field, code, "must be a percentage between 0 and 100"));
            None
        }
    }
}

pub fn to_e4(v: f64) -> i64 {
    (v * E4).round() as i64
}
pub fn from_e4(v: i64) -> f64 {
    v as f64 / E4
}

/// The kinds of key result, as stored and as the API names them.
pub const KR_KINDS: [&str; 6] = ["numeric", "kpi", "score", "done", "rating", "rollup"];

/// A key result as a form or the API enters it. Which values matter depends on `kind`:
/// numeric (start, target, current, direction, flat_rule), kpi (start = baseline, threshold,
/// target, stretch, current = actual, direction, formula), score (current = 0.0–1.0, from 0),
/// done (done), rating (start = bottom of the scale, target, current), rollup (none).
/// With `library_item_id`, the key-result library's definition fills what is left blank here.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, ToSchema)]
pub struct KeyResultInput {
    /// Take the definition from this item of the key-result library (G-8); the fields given
    /// here override it, the ones left blank come from it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub library_item_id: Option<uuid::Uuid>,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    #[schema(pattern = "^(numeric|kpi|score|done|rating|rollup)?$")]
    pub kind: String,
    #[serde(default)]
    pub unit_label: Option<String>,
    /// higher_is_better (default) or lower_is_better.
    #[serde(default)]
    pub direction: Option<String>,
    /// `hold`: the rule for a target equal to the start.
    #[serde(default)]
    pub flat_rule: Option<String>,
    /// KPI: ratio (default) or linear.
    #[serde(default)]
    pub formula: Option<String>,
    #[serde(default)]
    pub start: Option<f64>,
    #[serde(default)]
    pub target: Option<f64>,
    #[serde(default)]
    pub current: Option<f64>,
    #[serde(default)]
    pub threshold: Option<f64>,
    #[serde(default)]
    pub stretch: Option<f64>,
    #[serde(default)]
    pub done: Option<bool>,
    /// Percent, 0–100; blank shares what the others leave.
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    #[schema(format = Date)]
    pub due_on: Option<String>,
}

fn direction(s: Option<&str>) -> Result<Direction, &'static str> {
    match s.unwrap_or("higher_is_better") {
        "higher_is_better" | "higher" => Ok(Direction::HigherIsBetter),
        "lower_is_better" | "lower" => Ok(Direction::LowerIsBetter),
        _ => Err("invalid_direction"),
    }
}

/// The measure columns of a key result, whichever way it was read.
pub struct MeasureCols<'a> {
    pub kind: &'a str,
    pub direction: Option<&'a str>,
    pub flat_rule: Option<&'a str>,
    pub formula: Option<&'a str>,
    pub start_e4: Option<i64>,
    pub target_e4: Option<i64>,
    pub current_e4: Option<i64>,
    pub threshold_e4: Option<i64>,
    pub stretch_e4: Option<i64>,
    pub done: bool,
    pub weight_bp: Option<i32>,
    pub archived: bool,
}

/// A stored key result: a full row, or its measure columns only (the organization-wide roll-up).
pub trait StoredMeasure {
    fn cols(&self) -> MeasureCols<'_>;
}

/// Both row types carry the measure columns under the same names.
macro_rules! stored_measure {
    ($t:ty) => {
        impl StoredMeasure for $t {
            fn cols(&self) -> MeasureCols<'_> {
                MeasureCols {
                    kind: &self.kind,
                    direction: self.direction.as_deref(),
                    flat_rule: self.flat_rule.as_deref(),
                    formula: self.formula.as_deref(),
                    start_e4: self.start_e4,
                    target_e4: self.target_e4,
                    current_e4: self.current_e4,
                    threshold_e4: self.threshold_e4,
                    stretch_e4: self.stretch_e4,
                    done: self.done,
                    weight_bp: self.weight_bp,
                    archived: self.archived,
                }
            }
        }
    };
}
stored_measure!(key_result::Model);
stored_measure!(waymark_store::repo::goals::KrMeasure);

/// The measure a stored key result describes.
pub fn measure_of(k: &impl StoredMeasure) -> Measure {
    let k = k.cols();
    let v = |x: Option<i64>| x.map(from_e4).unwrap_or(0.0);
    let dir = direction(k.direction).unwrap_or(Direction::HigherIsBetter);
    match k.kind {
        "kpi" => Measure::Kpi {
            baseline: v(k.start_e4),
            threshold: k.threshold_e4.map(from_e4),
            target: v(k.target_e4),
            stretch: k.stretch_e4.map(from_e4),
            actual: v(k.current_e4),
            direction: dir,
            formula: if k.formula == Some("linear") { KpiFormula::Linear } else { KpiFormula::Ratio },
        },
        "score" => Measure::Score { score: v(k.current_e4) },
        "done" => Measure::Done { done: k.done },
        "rating" => Measure::Rating { min: v(k.start_e4), target: v(k.target_e4), value: v(k.current_e4) },
        "rollup" => Measure::Rollup,
        _ => Measure::Numeric {
            start: v(k.start_e4),
            target: v(k.target_e4),
            current: v(k.current_e4),
            direction: dir,
            flat: (k.flat_rule == Some("hold")).then_some(FlatTarget::Hold),
        },
    }
}

/// A key result row before a form fills it in.
pub fn blank_key_result(goal_id: uuid::Uuid, position: i32, now: chrono::DateTime<chrono::Utc>) -> key_result::Model {
    key_result::Model {
        id: uuid::Uuid::now_v7(),
        goal_id,
        position,
        title: String::new(),
        kind: String::new(),
        unit_label: None,
        direction: None,
        flat_rule: None,
        formula: None,
        start_e4: None,
        target_e4: None,
        current_e4: None,
        threshold_e4: None,
        stretch_e4: None,
        done: false,
        weight_bp: None,
        archived: false,
        progress_bp: 0,
        due_on: None,
        created_at: now,
        updated_at: now,
    }
}

pub fn weight_of(k: &impl StoredMeasure) -> Weighted {
    let k = k.cols();
    Weighted { percent: k.weight_bp.map(|w| w as f64 / BP), archived: k.archived }
}

/// Checks one key result of a form; fills `row` (everything but ids and times) or names the
/// fields that are wrong, prefixed with `prefix` (e.g. `key_results[2].`).
pub fn check_key_result(
    input: &KeyResultInput,
    prefix: &str,
    row: &mut key_result::Model,
    issues: &mut Vec<FieldIssue>,
) {
    let before = issues.len();
    let mut bad = |field: &str, code: &str, message: &str| {
        issues.push(FieldIssue::new(&format!("{prefix}{field}"), code, message));
    };
    match rules::required_text(&input.title, 200) {
        Ok(t) => row.title = t,
        Err(e) => bad("title", e.code(), e.message()),
    }
    if !KR_KINDS.contains(&input.kind.as_str()) {
        bad("kind", "invalid_kind", "must be numeric, kpi, score, done, rating or rollup");
        return;
    }
    // Without a stated direction, a target below the start means lower is better (e.g. hours to
    // respond 48 → 12); a target above it, higher.
    let implied = match (input.direction.as_deref(), input.start, input.target) {
        (None, Some(s), Some(t)) if t < s => Some("lower_is_better"),
        (d, _, _) => d,
    };
    let dir = match direction(implied) {
        Ok(d) => d,
        Err(code) => {
            bad("direction", code, "must be higher_is_better or lower_is_better");
            Direction::HigherIsBetter
        }
    };
    if let Some(w) = input.weight
        && let Err(code) = check_weight(w)
    {
        bad("weight", code, "must be a percentage between 0 and 100");
    }
    if input.flat_rule.as_deref().is_some_and(|f| f != "hold") {
        bad("flat_rule", "invalid_flat_rule", "must be hold");
    }
    if input.formula.as_deref().is_some_and(|f| f != "ratio" && f != "linear") {
        bad("formula", "invalid_formula", "must be ratio or linear");
    }
    let due = rules::parse_date(input.due_on.as_deref().unwrap_or(""));
    if due.is_err() {
        bad("due_on", "invalid_date", "is not a date (use YYYY-MM-DD)");
    }
    let needs = |v: Option<f64>, field: &str, issues: &mut Vec<FieldIssue>| {
        if v.is_none() {
            issues.push(FieldIssue::new(&format!("{prefix}{field}"), "required", "is required"));
        }
    };
    if matches!(input.kind.as_str(), "numeric" | "kpi" | "rating") {
        needs(input.start, "start", issues);
        needs(input.target, "target", issues);
    }
    if issues.len() > before {
        return;
    }
    row.kind = input.kind.clone();
    row.unit_label = input.unit_label.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    row.direction = matches!(input.kind.as_str(), "numeric" | "kpi").then(|| match dir {
        Direction::HigherIsBetter => "higher_is_better".into(),
        Direction::LowerIsBetter => "lower_is_better".into(),
    });
    row.flat_rule = input.flat_rule.clone();
    row.formula = (input.kind == "kpi").then(|| input.formula.clone().unwrap_or_else(|| "ratio".into()));
    row.start_e4 = input.start.map(to_e4);
    row.target_e4 = input.target.map(to_e4);
    // A new measured key result starts where it starts; a hand-given score starts at 0.
    let first = if input.kind == "score" { Some(0.0) } else { input.start };
    row.current_e4 = input.current.or(first).map(to_e4);
    row.threshold_e4 = input.threshold.map(to_e4);
    row.stretch_e4 = input.stretch.map(to_e4);
    row.done = input.done.unwrap_or(false);
    row.weight_bp = input.weight.map(|w| (w * BP).round() as i32);
    row.due_on = due.ok().flatten();
    if let Err(e) = measure_of(row).validate() {
        issues.push(FieldIssue::new(&format!("{prefix}{}", input_field(e.field)), e.code, e.message()));
    }
}

/// A key result entered over a library definition (G-8): what is given wins, what is left
/// blank comes from the library.
pub fn over_library(base: &KeyResultInput, given: &KeyResultInput) -> KeyResultInput {
    let text = |g: &String, b: &String| if g.trim().is_empty() { b.clone() } else { g.clone() };
    let blank_is_none = |g: &Option<String>| g.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    KeyResultInput {
        library_item_id: given.library_item_id,
        title: text(&given.title, &base.title),
        kind: text(&given.kind, &base.kind),
        unit_label: blank_is_none(&given.unit_label).or_else(|| base.unit_label.clone()),
        direction: blank_is_none(&given.direction).or_else(|| base.direction.clone()),
        flat_rule: blank_is_none(&given.flat_rule).or_else(|| base.flat_rule.clone()),
        formula: blank_is_none(&given.formula).or_else(|| base.formula.clone()),
        start: given.start.or(base.start),
        target: given.target.or(base.target),
        current: given.current.or(base.current),
        threshold: given.threshold.or(base.threshold),
        stretch: given.stretch.or(base.stretch),
        done: given.done.or(base.done),
        weight: given.weight.or(base.weight),
        due_on: blank_is_none(&given.due_on).or_else(|| base.due_on.clone()),
    }
}

/// The domain names KPI and rating inputs by their meaning; the form has one set of fields.
fn input_field(domain_field: &str) -> &str {
    match domain_field {
        "baseline" | "min" => "start",
        "actual" | "value" | "score" => "current",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_survive_the_scaling() {
        assert_eq!(to_e4(320.5), 3_205_000);
        assert_eq!(from_e4(to_e4(-0.0125)), -0.0125);
        assert_eq!(to_e4(0.1 + 0.2), 3000);
    }

    #[test]
    fn g8_a_library_definition_fills_only_the_blanks() {
        let base = KeyResultInput {
            title: "客户满意度".into(),
            kind: "kpi".into(),
            unit_label: Some("分".into()),
            start: Some(80.0),
            threshold: Some(85.0),
            target: Some(90.0),
            stretch: Some(95.0),
            formula: Some("linear".into()),
            ..Default::default()
        };
        let given = KeyResultInput {
            library_item_id: Some(uuid::Uuid::nil()),
            title: " ".into(),
            target: Some(92.0),
            unit_label: Some("".into()),
            weight: Some(40.0),
            ..Default::default()
        };
        let k = over_library(&base, &given);
        assert_eq!(k.title, "客户满意度", "a blank title is the library's");
        assert_eq!(k.kind, "kpi");
        assert_eq!(k.unit_label.as_deref(), Some("分"), "a blank unit is the library's");
        assert_eq!((k.start, k.threshold, k.target, k.stretch), (Some(80.0), Some(85.0), Some(92.0), Some(95.0)));
        assert_eq!(k.formula.as_deref(), Some("linear"));
        assert_eq!(k.weight, Some(40.0));
        assert_eq!(k.library_item_id, Some(uuid::Uuid::nil()));
    }
}
