//! Review templates (V-2, V-3): the items rated, in sections (the goals of the period,
//! competencies, values, key skills, environment factors, free text), the rating scale with its
//! behavioural anchors, the weights of self, manager, peers and upward, the formula and the
//! grades. A template that a cycle uses is not changed any more: ratings hang on its items.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::reviews::formula::{Formula, FormulaError};
use waymark_domain::reviews::grades::{Band, GradeBands, GradeProblem};
use waymark_domain::reviews::scale::{RatingScale, ScalePoint, ScaleProblem};
use waymark_domain::reviews::scoring::{RATED_SECTIONS, SourceWeights};
use waymark_store::entities::{review_item, review_template};
use waymark_store::repo::reviews as repo;

use super::ReviewService;
use crate::audit::entry;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{AppError, AppResult};

/// Kinds of section: the goals of the period, the rated ones, and free text.
pub const SECTIONS: [&str; 6] = ["goals", "competencies", "values", "skills", "environment", "text"];
pub const MAX_ITEMS: usize = 40;
pub const MAX_TITLE_CHARS: usize = 100;
pub const MAX_DESCRIPTION_CHARS: usize = 500;
pub const MAX_PEERS: u32 = 10;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct ItemInput {
    /// goals, competencies, values, skills, environment or text.
    pub section: String,
    pub title: String,
    /// The behaviour expected, shown beside the rating.
    #[serde(default)]
    pub description: String,
    /// Share within its section in percent; blank items share what the others leave.
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default = "yes")]
    pub required: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Copy, Deserialize, Serialize, ToSchema)]
pub struct WeightsInput {
    #[serde(rename = "self")]
    pub self_review: u32,
    pub manager: u32,
    pub peers: u32,
    pub upward: u32,
}

/// How the document describes a point of the rating scale (the domain's `ScalePoint`, which
/// knows nothing of the API document).
#[derive(ToSchema)]
#[schema(as = ScalePoint)]
#[allow(dead_code)]
pub struct ScalePointDoc {
    value: i32,
    label: String,
    /// The behaviour that earns this point.
    #[serde(default)]
    anchor: String,
}

/// How the document describes a grade (the domain's `Band`).
#[derive(ToSchema)]
#[schema(as = GradeBand)]
#[allow(dead_code)]
pub struct GradeBandDoc {
    code: String,
    /// The lowest score that earns the grade.
    min: f64,
    /// The share the guideline expects, in percent.
    guideline: u32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReviewTemplateInput {
    pub name: String,
    /// Job families it is meant for (any when empty).
    #[serde(default)]
    pub job_families: Vec<String>,
    /// Levels it is meant for (any when empty).
    #[serde(default)]
    pub levels: Vec<String>,
    /// The rating scale, lowest point first (2–10 points); 1–5 with Chinese labels when absent.
    #[serde(default)]
    #[schema(value_type = Option<Vec<ScalePointDoc>>)]
    pub scale: Option<Vec<ScalePoint>>,
    /// Grades best first with their lowest score and guideline share; S/A/B/C/D when absent.
    #[serde(default)]
    #[schema(value_type = Option<Vec<GradeBandDoc>>)]
    pub grades: Option<Vec<Band>>,
    /// e.g. `0.6*goals + 0.4*competencies`; variables: goals, competencies, values, skills,
    /// environment, self, manager, peers, upward (each 0–100).
    pub formula: String,
    /// Weights of the sources in percent, adding up to 100.
    pub weights: WeightsInput,
    /// How many peers each person nominates (0 and 0: no peer review).
    #[serde(default)]
    pub peers_min: u32,
    #[serde(default)]
    pub peers_max: u32,
    pub items: Vec<ItemInput>,
    #[serde(default = "yes")]
    pub active: bool,
    /// Count a goal set part-way through the period for the part of the period it was held
    /// (a goal set with a quarter of the period left counts at a quarter of its weight); off:
    /// every goal at its full weight.
    #[serde(default)]
    pub prorate_late_goals: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemView {
    pub id: Uuid,
    pub section: String,
    pub title: String,
    pub description: String,
    pub weight: Option<f64>,
    pub required: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewTemplateView {
    pub id: Uuid,
    pub name: String,
    pub job_families: Vec<String>,
    pub levels: Vec<String>,
    #[schema(value_type = Vec<ScalePointDoc>)]
    pub scale: Vec<ScalePoint>,
    #[schema(value_type = Vec<GradeBandDoc>)]
    pub grades: Vec<Band>,
    pub formula: String,
    pub weights: WeightsInput,
    pub peers_min: u32,
    pub peers_max: u32,
    pub items: Vec<ItemView>,
    pub active: bool,
    /// Goals set part-way through the period count for the part they were held.
    pub prorate_late_goals: bool,
    /// A cycle uses it: it can no longer be changed.
    pub in_use: bool,
}

/// The scale offered when HR names none: five points with behavioural anchors.
pub fn default_scale(lang: &str) -> Vec<ScalePoint> {
    let zh = lang.starts_with("zh");
    let p = |v: i32, zl: &str, za: &str, el: &str, ea: &str| ScalePoint {
        value: v,
        label: if zh { zl } else { el }.into(),
        anchor: if zh { za } else { ea }.into(),
    };
    vec![
        p(
            1,
            "远低于期望",
            "多数时候达不到岗位要求，需要持续指导",
            "Far below",
            "Mostly short of the role; needs steady guidance",
        ),
        p(2, "低于期望", "部分达到要求，有明显的改进空间", "Below", "Partly meets the role; clear room to improve"),
        p(3, "符合期望", "稳定达到岗位要求", "Meets", "Consistently meets the role"),
        p(4, "超出期望", "经常超出要求，并带动身边的人", "Exceeds", "Often exceeds and lifts those around"),
        p(5, "远超期望", "持续超出要求，是团队的标杆", "Far exceeds", "Consistently far beyond; a model for the team"),
    ]
}

/// A template a new organization can start from: goals, four competencies, the values, a
/// free-text question.
pub fn starter_template(lang: &str) -> ReviewTemplateInput {
    let zh = lang.starts_with("zh");
    let t = |z: &str, e: &str| if zh { z.to_string() } else { e.to_string() };
    let item = |section: &str, title: String, description: String, weight: Option<f64>| ItemInput {
        section: section.into(),
        title,
        description,
        weight,
        required: true,
    };
    ReviewTemplateInput {
        name: t("通用绩效考核模板", "Standard performance review"),
        job_families: vec![],
        levels: vec![],
        scale: Some(default_scale(lang)),
        grades: Some(GradeBands::default().bands),
        formula: "0.6*goals + 0.4*competencies".into(),
        weights: WeightsInput { self_review: 10, manager: 70, peers: 20, upward: 0 },
        peers_min: 2,
        peers_max: 5,
        items: vec![
            item(
                "goals",
                t("本期目标", "Goals of the period"),
                t("目标达成情况自动带入", "Achievement loaded from the goals"),
                None,
            ),
            item(
                "competencies",
                t("专业能力", "Expertise"),
                t("解决本岗位问题的深度与质量", "Depth and quality of solving the role's problems"),
                Some(30.0),
            ),
            item(
                "competencies",
                t("执行力", "Execution"),
                t("按承诺交付，遇到阻碍主动推进", "Delivers as promised, pushes through obstacles"),
                Some(30.0),
            ),
            item(
                "competencies",
                t("协作沟通", "Collaboration"),
                t("清晰沟通，主动补位", "Communicates clearly, steps in for others"),
                Some(20.0),
            ),
            item(
                "competencies",
                t("学习成长", "Learning"),
                t("快速学习并把所学用到工作中", "Learns fast and applies it"),
                Some(20.0),
            ),
            item(
                "values",
                t("价值观践行", "Living our values"),
                t("在关键事件中体现公司价值观", "Shows the company values in key moments"),
                None,
            ),
            item("text", t("下一周期最需要加强的能力", "What to strengthen next"), String::new(), None),
        ],
        active: true,
        prorate_late_goals: false,
    }
}

impl ReviewService<'_> {
    pub async fn templates(&self, actor: &Actor) -> AppResult<Vec<ReviewTemplateView>> {
        if !allowed(actor, Action::Read, Resource::ReviewTemplate, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let rows = repo::templates(self.c()).await?;
        let ids: Vec<Uuid> = rows.iter().map(|t| t.id).collect();
        let items = repo::items(self.c(), &ids).await?;
        let mut out = Vec::new();
        for t in rows {
            let mine: Vec<_> = items.iter().filter(|i| i.template_id == t.id).cloned().collect();
            let in_use = repo::template_in_use(self.c(), t.id).await?;
            out.push(template_view(t, mine, in_use));
        }
        Ok(out)
    }

    /// The starter template, for HR to adapt into a new one.
    pub fn starter(&self, actor: &Actor, lang: &str) -> AppResult<ReviewTemplateInput> {
        if !allowed(actor, Action::Write, Resource::ReviewTemplate, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        Ok(starter_template(lang))
    }

    pub async fn template(&self, actor: &Actor, id: Uuid) -> AppResult<ReviewTemplateView> {
        if !allowed(actor, Action::Read, Resource::ReviewTemplate, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let t = repo::template(self.c(), id).await?.ok_or(AppError::NotFound("review template"))?;
        let items = repo::items(self.c(), &[id]).await?;
        let in_use = repo::template_in_use(self.c(), id).await?;
        Ok(template_view(t, items, in_use))
    }

    /// Creates a template, or replaces one no cycle uses yet.
    pub async fn save_template(
        &self,
        actor: &Actor,
        id: Option<Uuid>,
        input: ReviewTemplateInput,
    ) -> AppResult<ReviewTemplateView> {
        if !allowed(actor, Action::Write, Resource::ReviewTemplate, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let c = self.c();
        let before = match id {
            Some(id) => {
                let t = repo::template(c, id).await?.ok_or(AppError::NotFound("review template"))?;
                if repo::template_in_use(c, id).await? {
                    return Err(AppError::field(
                        "id",
                        "in_use",
                        "a cycle uses this template: create a new one for changes",
                    ));
                }
                Some(t)
            }
            None => None,
        };
        let checked = check_template(&input, actor.locale.as_deref().unwrap_or("zh-CN"))?;
        let now = self.app.clock.now();
        let tid = id.unwrap_or_else(Uuid::now_v7);
        let row = review_template::Model {
            id: tid,
            name: input.name.trim().into(),
            job_families: json(&clean_list(&input.job_families)),
            levels: json(&clean_list(&input.levels)),
            scale: json(&checked.scale.points),
            grades: json(&checked.grades.bands),
            formula: checked.formula.text().into(),
            self_weight: input.weights.self_review as i32,
            manager_weight: input.weights.manager as i32,
            peer_weight: input.weights.peers as i32,
            upward_weight: input.weights.upward as i32,
            peers_min: input.peers_min as i32,
            peers_max: input.peers_max as i32,
            active: input.active,
            prorate_late_goals: input.prorate_late_goals,
            updated_by: actor.user_id,
            created_at: before.as_ref().map_or(now, |b| b.created_at),
            updated_at: now,
        };
        let items: Vec<review_item::Model> = input
            .items
            .iter()
            .enumerate()
            .map(|(i, it)| review_item::Model {
                id: Uuid::now_v7(),
                template_id: tid,
                section: it.section.clone(),
                title: it.title.trim().into(),
                description: it.description.trim().into(),
                weight_bp: it.weight.map(|w| (w * 100.0).round() as i32),
                required: it.required,
                position: i as i32,
            })
            .collect();
        let tx = self.app.db.begin_write().await?;
        repo::save_template(&*tx, row.clone(), items.clone(), before.is_none()).await?;
        let view = template_view(row, items, false);
        let after = serde_json::to_string(&view).ok();
        let action = if before.is_some() { "update" } else { "create" };
        let a = entry(actor, now, "review_template", tid, None, action, None, after, None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(view)
    }
}

struct Checked {
    scale: RatingScale,
    grades: GradeBands,
    formula: Formula,
}

/// Everything about a template that can be wrong, each named by its field.
fn check_template(input: &ReviewTemplateInput, lang: &str) -> AppResult<Checked> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > MAX_TITLE_CHARS {
        return Err(AppError::field("name", "required", format!("1 to {MAX_TITLE_CHARS} characters")));
    }
    let scale = RatingScale { points: input.scale.clone().unwrap_or_else(|| default_scale(lang)) };
    scale.check().map_err(scale_problem)?;
    let grades = GradeBands { bands: input.grades.clone().unwrap_or_else(|| GradeBands::default().bands) };
    grades.check().map_err(grade_problem)?;
    let w = input.weights;
    let weights = SourceWeights { self_review: w.self_review, manager: w.manager, peers: w.peers, upward: w.upward };
    if let Err(total) = weights.check() {
        return Err(AppError::field("weights", "weights_total", format!("the weights add up to {total} %, not 100 %")));
    }
    if input.peers_min > input.peers_max || input.peers_max > MAX_PEERS {
        return Err(AppError::field("peers_min", "peer_count", format!("0 ≤ minimum ≤ maximum ≤ {MAX_PEERS}")));
    }
    if (w.peers > 0) != (input.peers_max > 0) {
        return Err(AppError::field(
            "peers_max",
            "peers_without_weight",
            "peers need both a weight and a number to nominate, or neither",
        ));
    }
    check_items(&input.items)?;
    let formula = Formula::parse(&input.formula).map_err(formula_problem)?;
    // Each variable the formula reads must be something this template can provide.
    for v in formula.variables() {
        let provided = match *v {
            "goals" => input.items.iter().any(|i| i.section == "goals"),
            s if RATED_SECTIONS.contains(&s) => input.items.iter().any(|i| i.section == s),
            "self" => w.self_review > 0,
            "manager" => w.manager > 0,
            "peers" => w.peers > 0,
            "upward" => w.upward > 0,
            _ => false,
        };
        if !provided {
            return Err(AppError::field(
                "formula",
                "variable_not_provided",
                format!(
                    "the formula reads `{v}`, which this template does not provide (no such section, or a weight of 0)"
                ),
            ));
        }
    }
    Ok(Checked { scale, grades, formula })
}

fn check_items(items: &[ItemInput]) -> AppResult<()> {
    if items.is_empty() || items.len() > MAX_ITEMS {
        return Err(AppError::field("items", "item_count", format!("1 to {MAX_ITEMS} items")));
    }
    for (i, it) in items.iter().enumerate() {
        let f = |name: &str| format!("items[{i}].{name}");
        if !SECTIONS.contains(&it.section.as_str()) {
            return Err(AppError::field(&f("section"), "invalid", SECTIONS.join(", ")));
        }
        let title = it.title.trim();
        if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
            return Err(AppError::field(&f("title"), "required", format!("1 to {MAX_TITLE_CHARS} characters")));
        }
        if it.description.chars().count() > MAX_DESCRIPTION_CHARS {
            return Err(AppError::field(
                &f("description"),
                "too_long",
                format!("at most {MAX_DESCRIPTION_CHARS} characters"),
            ));
        }
        if let Some(w) = it.weight
            && !(w.is_finite() && (0.0..=100.0).contains(&w))
        {
            return Err(AppError::field(&f("weight"), "out_of_range", "a percentage from 0 to 100"));
        }
    }
    if items.iter().filter(|i| i.section == "goals").count() > 1 {
        return Err(AppError::field("items", "goals_twice", "one goals section is enough"));
    }
    if !items.iter().any(|i| i.section != "text") {
        return Err(AppError::field("items", "nothing_rated", "rate something: the goals or at least one item"));
    }
    for s in RATED_SECTIONS {
        let weights: Vec<Option<f64>> = items.iter().filter(|i| i.section == s).map(|i| i.weight).collect();
        let entered: f64 = weights.iter().flatten().sum();
        let all = !weights.is_empty() && weights.iter().all(Option::is_some);
        if (all && (entered - 100.0).abs() > 0.005) || entered > 100.005 {
            return Err(AppError::field(
                "items",
                "section_weights",
                format!("the {s} weights add up to {entered} %: they must make 100 % (blank ones share what is left)"),
            ));
        }
    }
    Ok(())
}

fn scale_problem(p: ScaleProblem) -> AppError {
    use waymark_domain::reviews::scale::*;
    match p {
        ScaleProblem::PointCount => {
            AppError::field("scale", "point_count", format!("{MIN_POINTS} to {MAX_POINTS} points"))
        }
        ScaleProblem::NotRising(i) => {
            AppError::field(&format!("scale[{i}].value"), "not_rising", "each point's value above the one before")
        }
        ScaleProblem::LabelEmpty(i) => AppError::field(&format!("scale[{i}].label"), "required", "name the point"),
        ScaleProblem::LabelTooLong(i) => {
            AppError::field(&format!("scale[{i}].label"), "too_long", format!("at most {MAX_LABEL_CHARS} characters"))
        }
        ScaleProblem::AnchorTooLong(i) => {
            AppError::field(&format!("scale[{i}].anchor"), "too_long", format!("at most {MAX_ANCHOR_CHARS} characters"))
        }
    }
}

fn grade_problem(p: GradeProblem) -> AppError {
    match p {
        GradeProblem::Count => AppError::field("grades", "grade_count", "2 to 9 grades"),
        GradeProblem::CodeEmpty(i) => AppError::field(&format!("grades[{i}].code"), "required", "1 to 8 characters"),
        GradeProblem::CodeRepeated(i) => AppError::field(&format!("grades[{i}].code"), "repeated", "each grade once"),
        GradeProblem::NotFalling(i) => AppError::field(
            &format!("grades[{i}].min"),
            "not_falling",
            "each grade's lowest score below the one before",
        ),
        GradeProblem::LastNotZero => AppError::field("grades", "last_not_zero", "the lowest grade starts at 0"),
        GradeProblem::GuidelineTotal(t) => {
            AppError::field("grades", "guideline_total", format!("the guideline shares add up to {t} %, not 100 %"))
        }
    }
}

pub(crate) fn formula_problem(e: FormulaError) -> AppError {
    let code = match &e {
        FormulaError::Empty => "required",
        FormulaError::TooLong => "too_long",
        FormulaError::Syntax(_) => "syntax",
        FormulaError::UnknownVariable(_) => "unknown_variable",
        FormulaError::UnknownFunction(_) => "unknown_function",
        FormulaError::NotAllowed(_) => "not_allowed",
        FormulaError::NotFinite(_) => "division_by_zero",
        FormulaError::NotANumber => "not_a_number",
        FormulaError::Evaluation(_) => "evaluation",
    };
    AppError::field("formula", code, e.to_string())
}

fn clean_list(v: &[String]) -> Vec<String> {
    let mut out: Vec<String> = v.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
    out.dedup();
    out
}

pub(crate) fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).expect("plain data serializes")
}

pub(crate) fn scale_of(t: &review_template::Model) -> RatingScale {
    RatingScale { points: serde_json::from_str(&t.scale).unwrap_or_default() }
}

pub(crate) fn grades_of(t: &review_template::Model) -> GradeBands {
    serde_json::from_str(&t.grades).map(|bands| GradeBands { bands }).unwrap_or_default()
}

pub(crate) fn weights_of(t: &review_template::Model) -> SourceWeights {
    SourceWeights {
        self_review: t.self_weight as u32,
        manager: t.manager_weight as u32,
        peers: t.peer_weight as u32,
        upward: t.upward_weight as u32,
    }
}

pub(crate) fn item_view(i: review_item::Model) -> ItemView {
    ItemView {
        id: i.id,
        section: i.section,
        title: i.title,
        description: i.description,
        weight: i.weight_bp.map(|w| w as f64 / 100.0),
        required: i.required,
    }
}

fn template_view(t: review_template::Model, items: Vec<review_item::Model>, in_use: bool) -> ReviewTemplateView {
    let list = |s: &str| serde_json::from_str::<Vec<String>>(s).unwrap_or_default();
    ReviewTemplateView {
        id: t.id,
        name: t.name.clone(),
        job_families: list(&t.job_families),
        levels: list(&t.levels),
        scale: scale_of(&t).points,
        grades: grades_of(&t).bands,
        formula: t.formula.clone(),
        weights: WeightsInput {
            self_review: t.self_weight as u32,
            manager: t.manager_weight as u32,
            peers: t.peer_weight as u32,
            upward: t.upward_weight as u32,
        },
        peers_min: t.peers_min as u32,
        peers_max: t.peers_max as u32,
        items: items.into_iter().map(item_view).collect(),
        active: t.active,
        prorate_late_goals: t.prorate_late_goals,
        in_use,
    }
}
