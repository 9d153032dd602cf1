//! A participant's score (V-3): their goals of the period and the submitted reviews, through
//! the template's formula, to a grade — stored with the explanation of every step, and
//! recomputed whenever another review about them is submitted.

use std::collections::HashMap;
use waymark_domain::goals::period::Period;

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::goals::workflow::is_agreed;
use waymark_domain::reviews::formula::Formula;
use waymark_domain::reviews::review::ReviewState;
use waymark_domain::reviews::scoring::{
    Explanation, GoalInput, ItemRating, RATED_SECTIONS, Source, SourceScores, held, score, section_score,
};
use waymark_store::entities::{review_item, review_participant};
use waymark_store::repo::{goals as goal_repo, org as org_repo, reviews as repo};
use waymark_store::sea_orm::ConnectionTrait;

use super::ReviewService;
use super::release::ReleaseView;
use super::templates::{formula_problem, grades_of, scale_of, weights_of};
use crate::org::Person;
use crate::policy::{Action, Actor, Resource, allowed};
use crate::{AppError, AppResult};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResultView {
    pub participant_id: Uuid,
    pub cycle_id: Uuid,
    pub cycle_name: String,
    pub person: Person,
    pub score: Option<f64>,
    pub grade: Option<String>,
    /// How the score was computed: inputs with their parts and shares, the formula, the
    /// variables still missing.
    #[schema(value_type = Option<Object>)]
    pub explanation: Option<Explanation>,
    pub scored_at: Option<DateTime<Utc>>,
    /// Reviews submitted of those asked, per source.
    pub submitted: Vec<SourceCount>,
    /// The grade the person ends with: after calibration and any appeal.
    pub final_grade: Option<String>,
    /// The manager's overall words, once submitted.
    pub manager_summary: Option<String>,
    /// Release, acknowledgement and appeal (V-6).
    pub release: ReleaseView,
    /// Every step of the result, oldest first: scored, calibrated, released, acknowledged,
    /// appealed, assigned, decided.
    pub history: Vec<ResultEvent>,
    /// The potential assessed for the nine-box (V-7): the person's managers and HR only.
    pub potential: Option<super::ninebox::PotentialView>,
    pub can_assess_potential: bool,
    /// Promotion nomination and incentives from the result (V-9).
    pub application: super::application::ApplicationView,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResultEvent {
    pub at: DateTime<Utc>,
    /// scored, calibrated, released, acknowledged, appealed, appeal_assigned, appeal_decided.
    pub kind: String,
    /// Who did it, where the viewer may know.
    pub by: Option<String>,
    /// The grade it ended with, the words given.
    pub grade: Option<String>,
    pub detail: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourceCount {
    pub source: String,
    pub submitted: usize,
    pub asked: usize,
}

impl ReviewService<'_> {
    /// A participant's score and how it was computed: their managers and HR of their unit, and
    /// the person once it is released.
    pub async fn result(&self, actor: &Actor, participant: Uuid) -> AppResult<ResultView> {
        let c = self.c();
        let p = repo::participant(c, participant).await?.ok_or(AppError::NotFound("participant"))?;
        let e = org_repo::employee(c, p.employee_id).await?.ok_or(AppError::NotFound("employee"))?;
        let facts = self.app.org().facts_for_employee(actor, &e).await?;
        let resource = if p.released_at.is_some() { Resource::ReleasedReviewResult } else { Resource::ReviewResult };
        if !allowed(actor, Action::Read, resource, facts) {
            return Err(AppError::NotFound("participant"));
        }
        let cy = repo::cycle(c, p.cycle_id).await?.ok_or(AppError::NotFound("review cycle"))?;
        let reviews = repo::reviews_of(c, &[p.id]).await?;
        let submitted = Source::ALL
            .iter()
            .filter_map(|s| {
                let asked: Vec<_> = reviews.iter().filter(|r| r.source == *s && r.state.is_asked()).collect();
                (!asked.is_empty()).then(|| SourceCount {
                    source: s.code().to_string(),
                    submitted: asked.iter().filter(|r| r.state == ReviewState::Submitted).count(),
                    asked: asked.len(),
                })
            })
            .collect();
        let manager_summary = reviews
            .iter()
            .find(|r| r.source == Source::Manager && r.state == ReviewState::Submitted)
            .map(|r| r.summary.clone())
            .filter(|s| !s.is_empty());
        // The appeal, read once: the release card shows it, and an open one holds a nomination.
        let appeal = waymark_store::repo::review_release::appeal_of(c, p.id).await?;
        let appeal_open = appeal.as_ref().is_some_and(super::release::appeal_is_open);
        let release = self.release_view(actor, &p, appeal, facts).await?;
        let history = self.history(&p, facts.is_self, release.appeal.as_ref()).await?;
        let potential = self.potential_of(actor, p.id, facts).await?;
        let can_assess_potential = allowed(actor, Action::Write, Resource::PotentialAssessment, facts);
        let application = self.application_view(actor, &p, &cy, e.level.clone(), appeal_open, facts).await?;
        Ok(ResultView {
            application,
            potential,
            can_assess_potential,
            final_grade: final_grade(&p),
            manager_summary,
            release,
            history,
            participant_id: p.id,
            cycle_id: cy.id,
            cycle_name: cy.name,
            person: Person { id: p.employee_id, name: e.name },
            score: p.score_bp.map(|s| s as f64 / 100.0),
            grade: p.grade,
            explanation: p.explanation.as_deref().and_then(|e| serde_json::from_str(e).ok()),
            scored_at: p.scored_at,
            submitted,
        })
    }
}

/// The grade a participant ends with: a decided appeal's, else calibration's, else the formula's.
pub(crate) fn final_grade(p: &review_participant::Model) -> Option<String> {
    p.appeal_grade.clone().or_else(|| p.calibrated_grade.clone()).or_else(|| p.grade.clone())
}

/// Computes and stores a participant's score from what has been submitted so far.
pub(crate) async fn rescore<C: ConnectionTrait>(
    c: &C,
    p: &review_participant::Model,
    period: Uuid,
    now: DateTime<Utc>,
    zone: crate::clock::Zone,
) -> AppResult<Explanation> {
    let mut all = rescore_all(c, std::slice::from_ref(p), period, now, zone).await?;
    all.pop().ok_or(AppError::NotFound("participant"))
}

/// The same for many participants of one period (a whole cycle's reviews written at once):
/// each table is read once for all of them, not once a person.
pub(crate) async fn rescore_all<C: ConnectionTrait>(
    c: &C,
    ps: &[review_participant::Model],
    period: Uuid,
    now: DateTime<Utc>,
    zone: crate::clock::Zone,
) -> AppResult<Vec<Explanation>> {
    let mut template_ids: Vec<Uuid> = ps.iter().map(|p| p.template_id).collect();
    template_ids.sort();
    template_ids.dedup();
    let all_items = repo::items(c, &template_ids).await?;
    // Each template once: its formula, items and scale.
    let mut templates = HashMap::new();
    for id in &template_ids {
        let t = repo::template(c, *id).await?.ok_or(AppError::NotFound("review template"))?;
        let formula = Formula::parse(&t.formula).map_err(formula_problem)?;
        let items: Vec<review_item::Model> = all_items.iter().filter(|i| i.template_id == t.id).cloned().collect();
        let scale = scale_of(&t);
        templates.insert(*id, (t, formula, items, scale));
    }
    let pids: Vec<Uuid> = ps.iter().map(|p| p.id).collect();
    let reviews: Vec<_> =
        repo::reviews_of(c, &pids).await?.into_iter().filter(|r| r.state == ReviewState::Submitted).collect();
    let ids: Vec<Uuid> = reviews.iter().map(|r| r.id).collect();
    let mut ratings: HashMap<Uuid, Vec<(Uuid, i32)>> = HashMap::new();
    for r in repo::ratings(c, &ids).await? {
        if let Some(v) = r.value {
            ratings.entry(r.review_id).or_default().push((r.item_id, v));
        }
    }
    let mut reviews_of: HashMap<Uuid, Vec<_>> = HashMap::new();
    for r in reviews {
        reviews_of.entry(r.participant_id).or_default().push(r);
    }
    let goals_of = goals_counted(c, ps, &all_items, period).await?;
    let mut out = Vec::with_capacity(ps.len());
    let mut scored = Vec::with_capacity(ps.len());
    for p in ps {
        let (t, formula, items, scale) = &templates[&p.template_id];
        let sources: Vec<SourceScores> = reviews_of
            .get(&p.id)
            .into_iter()
            .flatten()
            .map(|r| {
                let given = ratings.get(&r.id).cloned().unwrap_or_default();
                let sections = RATED_SECTIONS
                    .iter()
                    .filter_map(|s| section_score(scale, &section_ratings(items, s, &given)).map(|v| (*s, v)))
                    .collect();
                SourceScores { source: r.source, sections }
            })
            .collect();
        let goals: Vec<GoalInput> = match &goals_of {
            Some((period, by_owner)) if items.iter().any(|i| i.section == "goals") => {
                let period_days = (period.ends_on - period.starts_on).num_days() + 1;
                by_owner
                    .get(&p.employee_id)
                    .into_iter()
                    .flatten()
                    .map(|g| {
                        let set_on = zone.date(g.created_at).max(period.starts_on);
                        let held = if t.prorate_late_goals {
                            held((period.ends_on - set_on).num_days() + 1, period_days)
                        } else {
                            1.0
                        };
                        GoalInput {
                            title: g.title.clone(),
                            weight: g.weight_bp.map(|w| w as f64 / 100.0),
                            achievement: g.progress_bp as f64 / 100.0,
                            held,
                        }
                    })
                    .collect()
            }
            _ => Vec::new(),
        };
        let e = score(formula, &weights_of(t), &grades_of(t), &goals, &sources).map_err(formula_problem)?;
        let json = serde_json::to_string(&e).expect("an explanation serializes");
        scored.push(review_participant::Model {
            score_bp: e.score.map(|s| (s * 100.0).round() as i32),
            grade: e.grade.clone(),
            explanation: Some(json),
            scored_at: Some(now),
            ..p.clone()
        });
        out.push(e);
    }
    repo::set_scores(c, scored).await?;
    Ok(out)
}

/// The period and each person's goals that count in it, oldest first, if any template scores
/// goals. Only agreed goals count, as in the roll-up: a draft or a goal still waiting for
/// approval is not yet what the person was asked to do.
async fn goals_counted<C: ConnectionTrait>(
    c: &C,
    ps: &[review_participant::Model],
    items: &[review_item::Model],
    period: Uuid,
) -> AppResult<Option<(Period, HashMap<Uuid, Vec<waymark_store::entities::goal::Model>>)>> {
    if !items.iter().any(|i| i.section == "goals") {
        return Ok(None);
    }
    let period = goal_repo::period(c, period).await?.ok_or(AppError::NotFound("goal period"))?;
    let people: Vec<Uuid> = ps.iter().map(|p| p.employee_id).collect();
    let pairs = goal_repo::goals_owned_by_any(c, &people, period.id).await?;
    let ids: Vec<Uuid> = pairs.iter().map(|(g, _)| *g).collect();
    let goals: HashMap<Uuid, _> = goal_repo::goals_without_key_results(c, &ids)
        .await?
        .into_iter()
        .filter(|g| is_agreed(&g.goal.status))
        .map(|g| (g.goal.id, g.goal))
        .collect();
    let mut by_owner: HashMap<Uuid, Vec<waymark_store::entities::goal::Model>> = HashMap::new();
    for (g, owner) in pairs {
        if let Some(goal) = goals.get(&g) {
            by_owner.entry(owner).or_default().push(goal.clone());
        }
    }
    for gs in by_owner.values_mut() {
        gs.sort_by_key(|g| (g.created_at, g.id));
        gs.dedup_by_key(|g| g.id);
    }
    Ok(Some((period, by_owner)))
}

/// A reviewer's ratings of one section's items, with the items' weights.
fn section_ratings(items: &[review_item::Model], section: &str, given: &[(Uuid, i32)]) -> Vec<ItemRating> {
    items
        .iter()
        .filter(|i| i.section == section)
        .filter_map(|i| {
            given
                .iter()
                .find(|(id, _)| *id == i.id)
                .map(|(_, v)| ItemRating { weight: i.weight_bp.map(|w| w as f64 / 100.0), value: *v })
        })
        .collect()
}
