//! Using released results (V-9). A manager of the person, or HR of their unit, nominates a
//! released result in the best grades for promotion on the technical or the management track,
//! with the target level and the reasons; HR of the unit approves — the person's level becomes
//! the target level — or declines with why. HR grants non-monetary incentives from the reward
//! menu on results: to one person, or to everyone released with chosen grades in the cycle
//! or one unit of it, all or none as the stock allows; no points are spent. The development plan
//! from a result is the conversation's (V-5, D-1).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::org::Employee;
use waymark_domain::reviews::application::{
    GrantProblem, NominationBlock, NominationDecisionProblem, NominationState, Track, check_grant, decide_nomination,
    level_block, nominable_grades, nomination_block,
};
use waymark_domain::reviews::cycle::ReviewCycle;
use waymark_store::entities::{promotion_nomination, result_incentive, review_participant};
use waymark_store::repo::{
    accounts, org as org_repo, recognition as reward_repo, result_application as app_repo,
    review_release as release_repo, reviews as repo, workflow as workflow_repo,
};

use super::ReviewService;
use super::scoring::final_grade;
use super::writing::tell_users;
use crate::audit::entry;
use crate::inbox::{Message, notify_each};
use crate::org::{Person, employee_names};
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{AppError, AppResult};

pub const MAX_REASONS_CHARS: usize = 2_000;
pub const MAX_NOTE_CHARS: usize = 1_000;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PromotionInput {
    /// technical or management.
    pub track: String,
    /// The level nominated for (e.g. P7, M2): required, at most 20 characters, not the
    /// person's level now.
    pub to_level: String,
    /// Why, on which results and facts: required, at most 2 000 characters.
    pub reasons: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PromotionDecisionInput {
    pub approve: bool,
    /// Required when declining (the nominator reads it); at most 1 000 characters.
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct GrantInput {
    /// A reward of the menu.
    pub reward_id: Uuid,
    /// Why it is granted: required, at most 1 000 characters (the person reads it).
    pub reason: String,
    /// One person: this participant of the cycle.
    #[serde(default)]
    pub participant_id: Option<Uuid>,
    /// Or everyone released whose final grade is one of these…
    #[serde(default)]
    pub grades: Vec<String>,
    /// …in this unit and those below it (the whole cycle when absent).
    #[serde(default)]
    pub unit_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantOutcome {
    pub granted: usize,
    /// Chosen but holding this reward from this cycle already: skipped.
    pub already: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PromotionView {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub person: Person,
    /// technical or management.
    pub track: String,
    pub from_level: Option<String>,
    pub to_level: String,
    /// The final grade it was made on.
    pub grade: String,
    pub reasons: String,
    /// nominated, approved or declined.
    pub state: String,
    pub nominated_by: String,
    pub created_at: DateTime<Utc>,
    pub decision_note: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// The reader may approve or decline it now.
    pub can_decide: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IncentiveView {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub person: Person,
    pub reward: String,
    pub grade: String,
    pub reason: String,
    pub granted_by: String,
    pub created_at: DateTime<Utc>,
}

/// A reward HR may grant: on the menu, with what is left.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GrantableReward {
    pub id: Uuid,
    pub name: String,
    /// None: unlimited.
    pub stock: Option<i32>,
}

/// What a released result leads to, on the result page.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationView {
    /// For the person's managers and HR; for the person once approved.
    pub nomination: Option<PromotionView>,
    pub incentives: Vec<IncentiveView>,
    /// The reader may nominate this result now.
    pub can_nominate: bool,
    /// Why not, for those who may nominate: not_released, appeal_open, grade or nominated.
    pub nomination_blocked: Option<String>,
    /// The grades whose results may be nominated, best first.
    pub nominable_grades: Vec<String>,
    pub level: Option<String>,
    /// The reader may grant incentives on this result, from these rewards.
    pub can_grant: bool,
    pub rewards: Vec<GrantableReward>,
}

/// A cycle's nominations and incentives, for HR.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CycleApplicationView {
    pub cycle_id: Uuid,
    pub cycle_name: String,
    pub nominations: Vec<PromotionView>,
    pub incentives: Vec<IncentiveView>,
    /// The cycle's grades, best first, and the rewards that may be granted.
    pub grades: Vec<String>,
    pub rewards: Vec<GrantableReward>,
}

impl ReviewService<'_> {
    /// Nominates a released result for promotion; HR of the person's unit is told.
    pub async fn nominate_for_promotion(
        &self,
        actor: &Actor,
        participant: Uuid,
        input: PromotionInput,
    ) -> AppResult<PromotionView> {
        let c = self.c();
        let p = repo::participant(c, participant).await?.ok_or(AppError::NotFound("participant"))?;
        let e = org_repo::employee(c, p.employee_id).await?.ok_or(AppError::NotFound("employee"))?;
        let facts = self.app.org().facts_for_employee(actor, &e).await?;
        if !allowed(actor, Action::Read, Resource::PromotionNomination, facts) {
            return Err(AppError::NotFound("participant"));
        }
        if !allowed(actor, Action::Write, Resource::PromotionNomination, facts) {
            return Err(AppError::Forbidden);
        }
        if app_repo::nomination_of(c, p.id).await?.is_some() {
            return Err(AppError::field("participant_id", "already_nominated", "this result is nominated already"));
        }
        let track = Track::parse(input.track.trim())
            .ok_or_else(|| AppError::field("track", "invalid", "technical or management"))?;
        let cy = repo::cycle(c, p.cycle_id).await?.ok_or(AppError::NotFound("review cycle"))?;
        let grade = final_grade(&p);
        let appeal_open = self.appeal_open(p.id).await?;
        let bands = self.cycle_bands(&cy).await?;
        let to = input.to_level.trim();
        let blocked = nomination_block(p.released_at.is_some(), appeal_open, grade.as_deref(), &bands)
            .or_else(|| level_block(e.level.as_deref(), to));
        if let Some(b) = blocked {
            return Err(nomination_problem(b));
        }
        let reasons = input.reasons.trim();
        if reasons.is_empty() || reasons.chars().count() > MAX_REASONS_CHARS {
            return Err(AppError::field(
                "reasons",
                "required",
                format!("why, on which results: 1 to {MAX_REASONS_CHARS} characters"),
            ));
        }
        let now = self.app.clock.now();
        let row = promotion_nomination::Model {
            id: Uuid::now_v7(),
            participant_id: p.id,
            cycle_id: cy.id,
            employee_id: e.id,
            track: track.code().into(),
            from_level: e.level.clone(),
            to_level: to.into(),
            grade: grade.unwrap_or_default(),
            reasons: reasons.into(),
            state: NominationState::Nominated.code().into(),
            nominated_by: actor.user_id,
            nominated_by_name: actor.display_name.clone(),
            created_at: now,
            decision_note: None,
            decided_by_name: None,
            decided_at: None,
        };
        let tx = self.app.db.begin_write().await?;
        app_repo::insert_nomination(&*tx, row.clone()).await?;
        let after = serde_json::json!({
            "nomination_id": row.id, "track": row.track, "from_level": row.from_level,
            "to_level": row.to_level, "grade": row.grade,
        });
        let a =
            entry(actor, now, "review_participant", p.id, Some(e.id), "nominate", None, Some(after.to_string()), None);
        tx.audit(vec![a]);
        let hr = workflow_repo::hr_users_covering(&*tx, &self.unit_and_ancestors(e.unit_id).await?).await?;
        let to_tell: Vec<Uuid> = hr.into_iter().filter(|u| Some(*u) != actor.user_id).collect();
        tell_users(&tx, actor, now, &to_tell, "promotion-nominated", p.id, &e.name, None).await?;
        tx.commit().await?;
        Ok(self.nomination_views(actor, vec![row]).await?.remove(0))
    }

    /// HR of the person's unit approves — the person's level becomes the nominated one — or
    /// declines with why. The nominator is told either way, the person when approved.
    pub async fn decide_promotion(
        &self,
        actor: &Actor,
        id: Uuid,
        input: PromotionDecisionInput,
    ) -> AppResult<PromotionView> {
        let c = self.c();
        let n = app_repo::nomination(c, id).await?.ok_or(AppError::NotFound("nomination"))?;
        let e = org_repo::employee(c, n.employee_id).await?.ok_or(AppError::NotFound("employee"))?;
        let facts = self.app.org().facts_for_employee(actor, &e).await?;
        if !allowed(actor, Action::Read, Resource::PromotionNomination, facts) {
            return Err(AppError::NotFound("nomination"));
        }
        if !allowed(actor, Action::Write, Resource::PromotionDecision, facts) {
            return Err(AppError::Forbidden);
        }
        let note = input.note.trim();
        if note.chars().count() > MAX_NOTE_CHARS {
            return Err(AppError::field("note", "too_long", format!("at most {MAX_NOTE_CHARS} characters")));
        }
        let state = NominationState::parse(&n.state).unwrap_or(NominationState::Declined);
        let to = decide_nomination(state, input.approve, note).map_err(|p| match p {
            NominationDecisionProblem::AlreadyDecided => {
                AppError::field("state", "nomination_decided", "this nomination is decided")
            }
            NominationDecisionProblem::NoteRequired => AppError::field("note", "required", "say why it is declined"),
        })?;
        let now = self.app.clock.now();
        let note = Some(note.to_string()).filter(|s| !s.is_empty());
        let tx = self.app.db.begin_write().await?;
        if !app_repo::decide_nomination(&*tx, n.id, to.code(), note.clone(), &actor.display_name, now).await? {
            return Err(AppError::field("state", "nomination_decided", "this nomination is decided"));
        }
        let mut audits = vec![entry(
            actor,
            now,
            "review_participant",
            n.participant_id,
            Some(e.id),
            "decide_nomination",
            Some(serde_json::json!({ "state": n.state }).to_string()),
            Some(serde_json::json!({ "nomination_id": n.id, "state": to.code(), "note": note }).to_string()),
            None,
        )];
        if to == NominationState::Approved {
            let level = |e: &Employee| serde_json::json!({ "level": e.level }).to_string();
            let after = Employee { level: Some(n.to_level.clone()), updated_at: now, ..e.clone() };
            org_repo::update_employee(&*tx, &e, after.clone()).await?;
            audits.push(entry(
                actor,
                now,
                "employee",
                e.id,
                Some(e.id),
                "promote",
                Some(level(&e)),
                Some(level(&after)),
                Some(format!("{} track nomination {}", n.track, n.id)),
            ));
        }
        tx.audit(audits);
        let kind = if to == NominationState::Approved { "promotion-approved" } else { "promotion-declined" };
        let mut users: Vec<Uuid> = n.nominated_by.into_iter().collect();
        if to == NominationState::Approved {
            users.extend(accounts::users_of_employees(&*tx, &[e.id]).await?.into_iter().map(|(u, _)| u));
        }
        users.retain(|u| Some(*u) != actor.user_id);
        tell_users(&tx, actor, now, &users, kind, n.participant_id, &e.name, note.as_deref()).await?;
        tx.commit().await?;
        let row = app_repo::nomination(c, id).await?.ok_or(AppError::NotFound("nomination"))?;
        Ok(self.nomination_views(actor, vec![row]).await?.remove(0))
    }

    /// Grants a reward of the menu on released results — to one person, or to everyone with
    /// the chosen grades — taking the stock for all of them at once or granting none. Each
    /// person is told.
    pub async fn grant_incentives(&self, actor: &Actor, cycle: Uuid, input: GrantInput) -> AppResult<GrantOutcome> {
        let c = self.c();
        let reason = input.reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_NOTE_CHARS {
            return Err(AppError::field("reason", "required", format!("why: 1 to {MAX_NOTE_CHARS} characters")));
        }
        let reward = reward_repo::reward(c, input.reward_id)
            .await?
            .ok_or_else(|| AppError::field("reward_id", "unknown_reward", "no such reward on the menu"))?;
        let (cy, chosen) = match input.participant_id {
            Some(pid) => {
                let p = repo::participant(c, pid).await?.ok_or(AppError::NotFound("participant"))?;
                if p.cycle_id != cycle {
                    return Err(AppError::NotFound("participant"));
                }
                let facts = self.facts_about(actor, p.employee_id).await?;
                if !allowed(actor, Action::Read, Resource::ResultIncentive, facts) {
                    return Err(AppError::NotFound("participant"));
                }
                if !allowed(actor, Action::Write, Resource::ResultIncentive, facts) {
                    return Err(AppError::Forbidden);
                }
                if p.released_at.is_none() {
                    return Err(AppError::field("participant_id", "not_released", "this result is not released yet"));
                }
                (repo::cycle(c, cycle).await?.ok_or(AppError::NotFound("review cycle"))?, vec![p])
            }
            None => {
                let cy = self.writable_cycle(actor, cycle).await?;
                let known: HashSet<String> = self.cycle_bands(&cy).await?.bands.into_iter().map(|b| b.code).collect();
                if input.grades.is_empty() || input.grades.iter().any(|g| !known.contains(g)) {
                    return Err(AppError::field("grades", "invalid", "one or more of the cycle's grades"));
                }
                let mut people = repo::participants(c, cy.id).await?;
                if let Some(u) = input.unit_id {
                    org_repo::unit(c, u)
                        .await?
                        .ok_or_else(|| AppError::field("unit_id", "unknown_unit", "no such unit"))?;
                    let under: HashSet<Uuid> = org_repo::unit_subtree(c, u).await?.into_iter().collect();
                    people.retain(|p| under.contains(&p.unit_id));
                }
                people.retain(|p| {
                    p.released_at.is_some()
                        && Some(p.employee_id) != actor.employee_id
                        && final_grade(p).is_some_and(|g| input.grades.contains(&g))
                });
                (cy, people)
            }
        };
        let holding: HashSet<Uuid> = app_repo::incentives_of_cycle(c, cy.id)
            .await?
            .into_iter()
            .filter(|i| i.reward_id == reward.id)
            .map(|i| i.participant_id)
            .collect();
        let (already, to_grant): (Vec<_>, Vec<_>) = chosen.into_iter().partition(|p| holding.contains(&p.id));
        if to_grant.is_empty() && !already.is_empty() {
            return Err(AppError::field("reward_id", "already_granted", "everyone chosen holds this reward already"));
        }
        check_grant(reward.active, reward.stock, to_grant.len()).map_err(grant_problem)?;
        let now = self.app.clock.now();
        let rows: Vec<result_incentive::Model> = to_grant
            .iter()
            .map(|p| result_incentive::Model {
                id: Uuid::now_v7(),
                participant_id: p.id,
                cycle_id: cy.id,
                employee_id: p.employee_id,
                reward_id: reward.id,
                grade: final_grade(p).unwrap_or_default(),
                reason: reason.into(),
                granted_by_name: actor.display_name.clone(),
                created_at: now,
            })
            .collect();
        let tx = self.app.db.begin_write().await?;
        // Checked again in the update itself: two grants at once cannot both take the last.
        if !reward_repo::move_stock(&*tx, reward.id, -(rows.len() as i32)).await? {
            let left = reward_repo::reward(&*tx, reward.id).await?.and_then(|r| r.stock).unwrap_or(0);
            return Err(grant_problem(GrantProblem::NotEnoughStock { left, wanted: rows.len() }));
        }
        app_repo::insert_incentives(&*tx, rows.clone()).await?;
        let audits = rows
            .iter()
            .map(|r| {
                let after = serde_json::json!({ "incentive_id": r.id, "reward": reward.name, "grade": r.grade, "reason": r.reason });
                entry(actor, now, "review_participant", r.participant_id, Some(r.employee_id), "grant_incentive", None, Some(after.to_string()), None)
            })
            .collect();
        tx.audit(audits);
        let by_employee: HashMap<Uuid, Uuid> = rows.iter().map(|r| (r.employee_id, r.participant_id)).collect();
        let employees: Vec<Uuid> = by_employee.keys().copied().collect();
        let messages = accounts::users_of_employees(&*tx, &employees)
            .await?
            .into_iter()
            .filter_map(|(u, e)| by_employee.get(&e).map(|pid| (u, *pid)))
            .map(|(u, pid)| {
                let m = Message {
                    kind: "incentive-granted",
                    entity_type: "review_participant",
                    entity_id: pid,
                    subject: &reward.name,
                    body: Some(reason),
                };
                (u, m)
            })
            .collect();
        notify_each(&tx, actor, now, messages);
        tx.commit().await?;
        Ok(GrantOutcome { granted: rows.len(), already: already.len() })
    }

    /// The cycle's nominations and incentives, for HR of the whole cycle.
    pub async fn cycle_application(&self, actor: &Actor, cycle: Uuid) -> AppResult<CycleApplicationView> {
        let cy = self.writable_cycle(actor, cycle).await?;
        let c = self.c();
        let nominations = app_repo::nominations_of_cycle(c, cy.id).await?;
        let incentives = app_repo::incentives_of_cycle(c, cy.id).await?;
        Ok(CycleApplicationView {
            cycle_id: cy.id,
            nominations: self.nomination_views(actor, nominations).await?,
            incentives: self.incentive_views(incentives).await?,
            grades: self.cycle_bands(&cy).await?.bands.into_iter().map(|b| b.code).collect(),
            rewards: self.grantable_rewards().await?,
            cycle_name: cy.name,
        })
    }

    /// What the result leads to, for the result page; the person's level, whether an appeal
    /// is open and `facts` as the page read them.
    pub(crate) async fn application_view(
        &self,
        actor: &Actor,
        p: &review_participant::Model,
        cy: &ReviewCycle,
        level: Option<String>,
        appeal_open: bool,
        facts: Facts,
    ) -> AppResult<ApplicationView> {
        let c = self.c();
        let existing = app_repo::nomination_of(c, p.id).await?;
        let nomination = match existing.clone() {
            Some(n)
                if allowed(actor, Action::Read, Resource::PromotionNomination, facts)
                    || (facts.is_self && n.state == NominationState::Approved.code()) =>
            {
                Some(self.nomination_views(actor, vec![n]).await?.remove(0))
            }
            _ => None,
        };
        let incentives = if allowed(actor, Action::Read, Resource::ResultIncentive, facts) {
            self.incentive_views(app_repo::incentives_of_participant(c, p.id).await?).await?
        } else {
            Vec::new()
        };
        let bands = self.cycle_bands(cy).await?;
        let may_nominate = allowed(actor, Action::Write, Resource::PromotionNomination, facts);
        let blocked = if !may_nominate {
            None
        } else if existing.is_some() {
            Some("nominated".to_string())
        } else {
            let grade = final_grade(p);
            let b = nomination_block(p.released_at.is_some(), appeal_open, grade.as_deref(), &bands);
            b.map(|b| {
                match b {
                    NominationBlock::NotReleased => "not_released",
                    NominationBlock::AppealOpen => "appeal_open",
                    _ => "grade",
                }
                .to_string()
            })
        };
        let can_grant = p.released_at.is_some() && allowed(actor, Action::Write, Resource::ResultIncentive, facts);
        Ok(ApplicationView {
            nomination,
            incentives,
            can_nominate: may_nominate && blocked.is_none(),
            nomination_blocked: blocked,
            nominable_grades: nominable_grades(&bands),
            level,
            rewards: if can_grant { self.grantable_rewards().await? } else { Vec::new() },
            can_grant,
        })
    }

    async fn appeal_open(&self, participant: Uuid) -> AppResult<bool> {
        Ok(release_repo::appeal_of(self.c(), participant).await?.is_some_and(|a| super::release::appeal_is_open(&a)))
    }

    async fn grantable_rewards(&self) -> AppResult<Vec<GrantableReward>> {
        Ok(reward_repo::rewards(self.c())
            .await?
            .into_iter()
            .filter(|r| r.active && r.stock.is_none_or(|s| s > 0))
            .map(|r| GrantableReward { id: r.id, name: r.name, stock: r.stock })
            .collect())
    }

    async fn nomination_views(
        &self,
        actor: &Actor,
        rows: Vec<promotion_nomination::Model>,
    ) -> AppResult<Vec<PromotionView>> {
        let people: Vec<Uuid> = rows.iter().map(|n| n.employee_id).collect();
        let names = employee_names(self.c(), &people).await?;
        let rel = self.app.org().relations(actor, &people).await?;
        Ok(rows
            .into_iter()
            .map(|n| {
                let facts = Facts {
                    is_self: actor.employee_id == Some(n.employee_id),
                    in_hr_scope: rel.in_hr_scope(actor, n.employee_id),
                    ..Facts::default()
                };
                PromotionView {
                    id: n.id,
                    participant_id: n.participant_id,
                    person: Person { id: n.employee_id, name: names.get(&n.employee_id).cloned().unwrap_or_default() },
                    can_decide: n.state == NominationState::Nominated.code()
                        && allowed(actor, Action::Write, Resource::PromotionDecision, facts),
                    track: n.track,
                    from_level: n.from_level,
                    to_level: n.to_level,
                    grade: n.grade,
                    reasons: n.reasons,
                    state: n.state,
                    nominated_by: n.nominated_by_name,
                    created_at: n.created_at,
                    decision_note: n.decision_note,
                    decided_by: n.decided_by_name,
                    decided_at: n.decided_at,
                }
            })
            .collect())
    }

    async fn incentive_views(&self, rows: Vec<result_incentive::Model>) -> AppResult<Vec<IncentiveView>> {
        let c = self.c();
        let people: Vec<Uuid> = rows.iter().map(|r| r.employee_id).collect();
        let names = employee_names(c, &people).await?;
        let rewards: HashMap<Uuid, String> =
            reward_repo::rewards(c).await?.into_iter().map(|r| (r.id, r.name)).collect();
        Ok(rows
            .into_iter()
            .map(|r| IncentiveView {
                id: r.id,
                participant_id: r.participant_id,
                person: Person { id: r.employee_id, name: names.get(&r.employee_id).cloned().unwrap_or_default() },
                reward: rewards.get(&r.reward_id).cloned().unwrap_or_default(),
                grade: r.grade,
                reason: r.reason,
                granted_by: r.granted_by_name,
                created_at: r.created_at,
            })
            .collect())
    }
}

fn nomination_problem(b: NominationBlock) -> AppError {
    match b {
        NominationBlock::NotReleased => {
            AppError::field("participant_id", "not_released", "the result is not released yet")
        }
        NominationBlock::AppealOpen => {
            AppError::field("participant_id", "appeal_open", "the result is under appeal: wait for its decision")
        }
        NominationBlock::GradeTooLow(grades) => AppError::field(
            "participant_id",
            "grade_not_nominable",
            format!("only results graded {} are nominated", grades.join(" / ")),
        ),
        NominationBlock::LevelInvalid => {
            AppError::field("to_level", "required", "the level nominated for, 1 to 20 characters")
        }
        NominationBlock::SameLevel => AppError::field("to_level", "same_level", "this is the person's level now"),
    }
}

fn grant_problem(p: GrantProblem) -> AppError {
    match p {
        GrantProblem::Inactive => AppError::field("reward_id", "inactive", "this reward is no longer on the menu"),
        GrantProblem::NobodyEligible => {
            AppError::field("grades", "nobody", "nobody released in this cycle has these grades")
        }
        GrantProblem::NotEnoughStock { left, wanted } => AppError::field(
            "reward_id",
            "not_enough_stock",
            format!("{left} left for {wanted} people: granted to nobody"),
        ),
    }
}
