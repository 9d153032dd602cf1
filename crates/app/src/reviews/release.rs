//! Release, acknowledgement and appeals (V-6). HR releases a cycle's results, all at once or one
//! unit (with those below) at a time, once the release stage has opened and no open calibration
//! session still holds any of those people. The person then reads their result with how it was
//! computed, acknowledges having read it and, inside the appeals window, may appeal with their
//! reasons. HR of their unit assigns the appeal to a handler (an HR user of that unit), who
//! decides — the result stands, or the grade changes — and answers. Every step is audited about
//! the person and shows in the result's history.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::reviews::cycle::ReviewCycle;
use waymark_domain::reviews::cycle::Stage;
use waymark_domain::reviews::release::{
    AppealBlock, AppealState, DecisionProblem, Outcome, ReleaseBlock, appeal_block, decide, release_block,
};
use waymark_store::entities::{review_appeal, review_participant};
use waymark_store::repo::{
    accounts, org as org_repo, review_release as release_repo, reviews as repo, workflow as workflow_repo,
};

use super::ReviewService;
use super::scoring::{ResultEvent, final_grade};
use crate::audit::entry;
use crate::inbox::{Message, notify_each};
use crate::org::Person;
use crate::policy::{Action, Actor, Facts, Resource, allowed, could_about_others};
use crate::{AppError, AppResult};

pub const MAX_APPEAL_CHARS: usize = 2_000;
pub const MAX_ACK_CHARS: usize = 1_000;

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReleaseInput {
    /// Release the people of this unit and those below it; the whole cycle when absent.
    #[serde(default)]
    pub unit_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReleaseOutcome {
    /// Released now.
    pub released: usize,
    /// Released before.
    pub already: usize,
    /// Without a score (no review submitted): not released.
    pub not_scored: usize,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ResultAcknowledgeInput {
    /// The person's words on their result, if any (at most 1 000 characters).
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AppealInput {
    /// Why the person disagrees: required, at most 2 000 characters.
    pub reasons: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AssignAppealInput {
    /// The HR user who handles it: one whose HR scope holds the person's unit.
    pub assignee_id: Uuid,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AppealDecisionInput {
    /// upheld (the result stands) or changed.
    #[schema(value_type = String, pattern = "^(upheld|changed)$")]
    pub outcome: Outcome,
    /// The new grade, for a changed result.
    #[serde(default)]
    pub grade: Option<String>,
    /// The answer to the person: required, at most 2 000 characters.
    pub answer: String,
}

/// Someone who may be assigned an appeal.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Handler {
    pub user_id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AppealView {
    pub id: Uuid,
    pub participant_id: Uuid,
    pub cycle_id: Uuid,
    pub cycle_name: String,
    pub person: Person,
    pub reasons: String,
    /// submitted, assigned or decided.
    pub state: String,
    pub grade_before: String,
    pub assignee_id: Option<Uuid>,
    pub assignee: Option<String>,
    pub assigned_at: Option<DateTime<Utc>>,
    /// upheld or changed, once decided.
    pub outcome: Option<String>,
    pub grade_after: Option<String>,
    pub answer: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// For HR: who may be assigned it, and the cycle's grades for the decision.
    pub handlers: Vec<Handler>,
    pub grades: Vec<String>,
    pub can_assign: bool,
    pub can_decide: bool,
}

/// Where a participant's result stands after calibration, as the result page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReleaseView {
    pub released_at: Option<DateTime<Utc>>,
    pub released_by: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub ack_comment: Option<String>,
    /// The appeals window.
    pub appeals_open_on: Option<NaiveDate>,
    pub appeals_close_on: Option<NaiveDate>,
    pub appeal: Option<AppealView>,
    /// The viewer is the person reviewed.
    pub own: bool,
    /// What the viewer may do now (the person only).
    pub can_acknowledge: bool,
    pub can_appeal: bool,
    /// Why the person cannot appeal now: not_released, not_open, closed or already_appealed.
    pub appeal_blocked: Option<String>,
}

/// One of the person's released results, for their list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyResult {
    pub participant_id: Uuid,
    pub cycle_id: Uuid,
    pub cycle_name: String,
    pub grade: Option<String>,
    pub released_at: DateTime<Utc>,
    pub acknowledged: bool,
    /// The last day of the cycle's acknowledgement stage: acknowledging later is still allowed,
    /// but the to-do is then overdue.
    pub acknowledge_by: Option<NaiveDate>,
    /// submitted, assigned or decided, when appealed.
    pub appeal_state: Option<String>,
}

/// An open appeal waiting on the actor: assigned to them, or not yet assigned and theirs to
/// assign (HR in scope).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WaitingAppeal {
    pub id: Uuid,
    pub person: Person,
    pub cycle_name: String,
    /// Assigned to the actor (else waiting to be assigned).
    pub assigned: bool,
    pub created_at: DateTime<Utc>,
}

impl ReviewService<'_> {
    /// Releases the results of the cycle (or of one unit of it) to the people: they are told,
    /// and each release is audited about the person.
    pub async fn release(&self, actor: &Actor, cycle: Uuid, input: ReleaseInput) -> AppResult<ReleaseOutcome> {
        let cy = self.writable_cycle(actor, cycle).await?;
        let c = self.c();
        if cy.is_draft() {
            return Err(AppError::field("cycle_id", "not_launched", "launch the cycle first"));
        }
        let dates = repo::stage_dates(c, cy.id).await?;
        match release_block(&dates, self.app.today()) {
            Some(ReleaseBlock::NotYet(d)) => {
                return Err(AppError::field("cycle_id", "not_yet", format!("results are released from {d}")));
            }
            Some(ReleaseBlock::NoStage) => {
                return Err(AppError::field("cycle_id", "no_release_stage", "the cycle has no release stage"));
            }
            None => {}
        }
        let everyone = repo::participants(c, cy.id).await?;
        let mut people = everyone.clone();
        if let Some(u) = input.unit_id {
            org_repo::unit(c, u).await?.ok_or_else(|| AppError::field("unit_id", "unknown_unit", "no such unit"))?;
            let under: HashSet<Uuid> = org_repo::unit_subtree(c, u).await?.into_iter().collect();
            people.retain(|p| under.contains(&p.unit_id));
        }
        let already = people.iter().filter(|p| p.released_at.is_some()).count();
        let not_scored = people.iter().filter(|p| p.released_at.is_none() && p.grade.is_none()).count();
        people.retain(|p| p.released_at.is_none() && p.grade.is_some());
        let ids: HashSet<Uuid> = people.iter().map(|p| p.id).collect();
        for s in repo::sessions(c, cy.id).await?.into_iter().filter(|s| s.state == "open") {
            if self.members_among(&s, everyone.clone()).await?.iter().any(|m| ids.contains(&m.id)) {
                return Err(AppError::field(
                    "unit_id",
                    "calibration_open",
                    format!("calibration session «{}» is still open: lock it first", s.name),
                ));
            }
        }
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        let list: Vec<Uuid> = people.iter().map(|p| p.id).collect();
        let released = release_repo::release(&*tx, &list, now, &actor.display_name).await? as usize;
        let audits = people
            .iter()
            .map(|p| {
                let after = serde_json::json!({ "grade": final_grade(p), "cycle_id": cy.id }).to_string();
                entry(actor, now, "review_participant", p.id, Some(p.employee_id), "release", None, Some(after), None)
            })
            .collect();
        tx.audit(audits);
        let employees: Vec<Uuid> = people.iter().map(|p| p.employee_id).collect();
        let users = accounts::users_of_employees(&*tx, &employees).await?;
        let by_employee: std::collections::HashMap<Uuid, Uuid> = people.iter().map(|p| (p.employee_id, p.id)).collect();
        let messages = users
            .iter()
            .filter_map(|(u, e)| by_employee.get(e).map(|pid| (*u, *pid)))
            .map(|(u, pid)| {
                let m = Message {
                    kind: "review-released",
                    entity_type: "review_participant",
                    entity_id: pid,
                    subject: &cy.name,
                    body: None,
                };
                (u, m)
            })
            .collect();
        notify_each(&tx, actor, now, messages);
        tx.commit().await?;
        Ok(ReleaseOutcome { released, already, not_scored })
    }

    /// The person's released results, newest cycle first.
    pub async fn my_results(&self, actor: &Actor) -> AppResult<Vec<MyResult>> {
        let Some(me) = actor.employee_id else { return Ok(Vec::new()) };
        let c = self.c();
        let mine: Vec<review_participant::Model> =
            repo::participations_of(c, me).await?.into_iter().filter(|p| p.released_at.is_some()).collect();
        let ids: Vec<Uuid> = mine.iter().map(|p| p.id).collect();
        let appeals = release_repo::appeals_of(c, &ids).await?;
        let cycle_ids: Vec<Uuid> = mine.iter().map(|p| p.cycle_id).collect();
        let stages = repo::stages_of(c, &cycle_ids).await?;
        // An organization has a few cycles a year: one read of them all, not one per result.
        let cycles: HashMap<Uuid, ReviewCycle> = repo::cycles(c).await?.into_iter().map(|cy| (cy.id, cy)).collect();
        let mut out = Vec::new();
        for p in mine {
            let cy = cycles.get(&p.cycle_id).ok_or(AppError::NotFound("review cycle"))?;
            let acknowledge_by = stages
                .get(&p.cycle_id)
                .and_then(|d| d.iter().find(|s| s.stage == Stage::Acknowledgement))
                .map(|s| s.closes_on);
            out.push(MyResult {
                participant_id: p.id,
                cycle_id: cy.id,
                cycle_name: cy.name.clone(),
                grade: final_grade(&p),
                released_at: p.released_at.unwrap_or_default(),
                acknowledged: p.acknowledged_at.is_some(),
                acknowledge_by,
                appeal_state: appeals.iter().find(|a| a.participant_id == p.id).map(|a| a.state.clone()),
            });
        }
        Ok(out)
    }

    /// The person acknowledges having read their released result, with their words if any.
    pub async fn acknowledge(&self, actor: &Actor, participant: Uuid, input: ResultAcknowledgeInput) -> AppResult<()> {
        let p = self.own_released(actor, participant).await?;
        if p.acknowledged_at.is_some() {
            return Err(AppError::field("participant_id", "acknowledged", "already acknowledged"));
        }
        let comment = input.comment.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
        if comment.as_ref().is_some_and(|s| s.chars().count() > MAX_ACK_CHARS) {
            return Err(AppError::field("comment", "too_long", format!("at most {MAX_ACK_CHARS} characters")));
        }
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        release_repo::acknowledge(&*tx, p.id, now, comment.clone()).await?;
        let after = serde_json::json!({ "comment": comment }).to_string();
        let a =
            entry(actor, now, "review_participant", p.id, Some(p.employee_id), "acknowledge", None, Some(after), None);
        tx.audit(vec![a]);
        if let Some(m) = p.manager_id {
            super::writing::tell(&tx, actor, now, &[m], "review-acknowledged", &p, comment.as_deref()).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The person appeals their released result inside the appeals window; HR of their unit
    /// is told.
    pub async fn appeal(&self, actor: &Actor, participant: Uuid, input: AppealInput) -> AppResult<AppealView> {
        let p = self.own_released(actor, participant).await?;
        let c = self.c();
        let existing = release_repo::appeal_of(c, p.id).await?;
        let dates = repo::stage_dates(c, p.cycle_id).await?;
        if let Some(b) = appeal_block(true, existing.is_some(), &dates, self.app.today()) {
            return Err(appeal_problem(b));
        }
        let reasons = input.reasons.trim();
        if reasons.is_empty() || reasons.chars().count() > MAX_APPEAL_CHARS {
            return Err(AppError::field(
                "reasons",
                "required",
                format!("your reasons, 1 to {MAX_APPEAL_CHARS} characters"),
            ));
        }
        let now = self.app.clock.now();
        let row = review_appeal::Model {
            id: Uuid::now_v7(),
            participant_id: p.id,
            reasons: reasons.into(),
            state: AppealState::Submitted.code().into(),
            grade_before: final_grade(&p).unwrap_or_default(),
            assignee_id: None,
            assignee_name: None,
            assigned_at: None,
            outcome: None,
            grade_after: None,
            answer: None,
            decided_by_name: None,
            decided_at: None,
            created_at: now,
        };
        let tx = self.app.db.begin_write().await?;
        release_repo::insert_appeal(&*tx, row.clone()).await?;
        let after = serde_json::json!({ "appeal_id": row.id, "grade": row.grade_before }).to_string();
        let a = entry(actor, now, "review_participant", p.id, Some(p.employee_id), "appeal", None, Some(after), None);
        tx.audit(vec![a]);
        let hr = workflow_repo::hr_users_covering(&*tx, &self.unit_and_ancestors(p.unit_id).await?).await?;
        let name = org_repo::employee(&*tx, p.employee_id).await?.map(|e| e.name).unwrap_or_default();
        let messages = hr
            .iter()
            .map(|u| {
                let m = Message {
                    kind: "review-appealed",
                    entity_type: "review_appeal",
                    entity_id: row.id,
                    subject: &name,
                    body: None,
                };
                (*u, m)
            })
            .collect();
        notify_each(&tx, actor, now, messages);
        tx.commit().await?;
        self.appeal_view(actor, row.id).await
    }

    /// An appeal: the person who made it and HR of their unit.
    pub async fn appeal_view(&self, actor: &Actor, id: Uuid) -> AppResult<AppealView> {
        let (a, p, facts) = self.readable_appeal(actor, id).await?;
        let cy = repo::cycle(self.c(), p.cycle_id).await?.ok_or(AppError::NotFound("review cycle"))?;
        self.appeal_view_of(actor, a, &p, &cy, facts, true).await
    }

    /// HR assigns (or hands over) an appeal to an HR user of the person's unit, who is told.
    pub async fn assign_appeal(&self, actor: &Actor, id: Uuid, input: AssignAppealInput) -> AppResult<AppealView> {
        let (a, p, facts) = self.readable_appeal(actor, id).await?;
        if !allowed(actor, Action::Write, Resource::ReviewAppeal, facts) {
            return Err(AppError::Forbidden);
        }
        let state = AppealState::parse(&a.state).unwrap_or(AppealState::Decided);
        if !state.can_assign() {
            return Err(AppError::field("state", "appeal_decided", "this appeal is decided"));
        }
        let handlers = self.handlers(&p).await?;
        let Some(h) = handlers.iter().find(|h| h.user_id == input.assignee_id) else {
            return Err(AppError::field("assignee_id", "not_hr", "an HR user whose scope holds this person's unit"));
        };
        let now = self.app.clock.now();
        let before = serde_json::json!({ "assignee_id": a.assignee_id }).to_string();
        let row = review_appeal::Model {
            state: AppealState::Assigned.code().into(),
            assignee_id: Some(h.user_id),
            assignee_name: Some(h.name.clone()),
            assigned_at: Some(now),
            ..a
        };
        let tx = self.app.db.begin_write().await?;
        release_repo::update_appeal(&*tx, row.clone()).await?;
        let after =
            serde_json::json!({ "appeal_id": row.id, "assignee_id": h.user_id, "assignee": h.name }).to_string();
        let e = entry(
            actor,
            now,
            "review_participant",
            p.id,
            Some(p.employee_id),
            "assign_appeal",
            Some(before),
            Some(after),
            None,
        );
        tx.audit(vec![e]);
        let name = org_repo::employee(&*tx, p.employee_id).await?.map(|e| e.name).unwrap_or_default();
        let m = Message {
            kind: "review-appeal-assigned",
            entity_type: "review_appeal",
            entity_id: row.id,
            subject: &name,
            body: None,
        };
        notify_each(&tx, actor, now, vec![(h.user_id, m)]);
        tx.commit().await?;
        self.appeal_view(actor, id).await
    }

    /// The assigned handler decides the appeal and answers the person, who is told. A changed
    /// grade becomes the person's result.
    pub async fn decide_appeal(&self, actor: &Actor, id: Uuid, input: AppealDecisionInput) -> AppResult<AppealView> {
        let (a, p, facts) = self.readable_appeal(actor, id).await?;
        let facts = Facts { assigned: a.assignee_id.is_some() && a.assignee_id == actor.user_id, ..facts };
        let state = AppealState::parse(&a.state).unwrap_or(AppealState::Decided);
        if state == AppealState::Decided {
            return Err(AppError::field("state", "appeal_decided", "this appeal is decided"));
        }
        if !state.can_decide() {
            return Err(AppError::field("state", "unassigned", "assign the appeal to a handler first"));
        }
        if !allowed(actor, Action::Write, Resource::AppealDecision, facts) {
            return Err(AppError::field(
                "state",
                "not_assignee",
                format!("assigned to {}: only they decide it", a.assignee_name.clone().unwrap_or_default()),
            ));
        }
        let answer = input.answer.trim();
        if answer.is_empty() || answer.chars().count() > MAX_APPEAL_CHARS {
            return Err(AppError::field(
                "answer",
                "required",
                format!("the answer, 1 to {MAX_APPEAL_CHARS} characters"),
            ));
        }
        let cy = repo::cycle(self.c(), p.cycle_id).await?.ok_or(AppError::NotFound("review cycle"))?;
        let grades = self.cycle_grades(&cy).await?;
        let new = input.grade.as_deref().map(str::trim).filter(|g| !g.is_empty());
        if let Some(g) = new
            && !grades.iter().any(|x| x == g)
        {
            return Err(AppError::field("grade", "unknown_grade", format!("one of {}", grades.join(", "))));
        }
        let current = final_grade(&p).unwrap_or_default();
        let ends_with = decide(input.outcome, &current, new).map_err(|e| match e {
            DecisionProblem::GradeRequired => AppError::field("grade", "required", "the new grade"),
            DecisionProblem::Unchanged => AppError::field("grade", "unchanged", "the person already has this grade"),
            DecisionProblem::GradeWithUpheld => {
                AppError::field("grade", "with_upheld", "a result that stands keeps its grade: leave the grade out")
            }
        })?;
        let now = self.app.clock.now();
        let outcome = match input.outcome {
            Outcome::Upheld => "upheld",
            Outcome::Changed => "changed",
        };
        let row = review_appeal::Model {
            state: AppealState::Decided.code().into(),
            outcome: Some(outcome.into()),
            grade_after: Some(ends_with.to_string()),
            answer: Some(answer.into()),
            decided_by_name: Some(actor.display_name.clone()),
            decided_at: Some(now),
            ..a
        };
        let tx = self.app.db.begin_write().await?;
        release_repo::update_appeal(&*tx, row.clone()).await?;
        if input.outcome == Outcome::Changed {
            release_repo::set_appeal_grade(&*tx, p.id, ends_with).await?;
        }
        let before = serde_json::json!({ "grade": current }).to_string();
        let after = serde_json::json!({ "appeal_id": row.id, "outcome": outcome, "grade": ends_with }).to_string();
        let e = entry(
            actor,
            now,
            "review_participant",
            p.id,
            Some(p.employee_id),
            "decide_appeal",
            Some(before),
            Some(after),
            Some(answer.into()),
        );
        tx.audit(vec![e]);
        super::writing::tell(&tx, actor, now, &[p.employee_id], "review-appeal-decided", &p, Some(answer)).await?;
        tx.commit().await?;
        self.appeal_view(actor, id).await
    }

    /// The open appeals waiting on the actor, oldest first (the home page's to-dos).
    pub async fn appeals_waiting(&self, actor: &Actor) -> AppResult<Vec<WaitingAppeal>> {
        let c = self.c();
        let open = release_repo::open_appeals(c).await?;
        let mine = |a: &review_appeal::Model| a.assignee_id.is_some() && a.assignee_id == actor.user_id;
        // Only HR may assign, and only an assigned handler decides: nobody else waits on one.
        let may_assign = could_about_others(actor, Action::Write, Resource::ReviewAppeal);
        let open: Vec<review_appeal::Model> =
            open.into_iter().filter(|a| mine(a) || (a.assignee_id.is_none() && may_assign)).collect();
        if open.is_empty() {
            return Ok(vec![]);
        }
        let pids: Vec<Uuid> = open.iter().map(|a| a.participant_id).collect();
        let people: HashMap<Uuid, review_participant::Model> =
            repo::participants_by_ids(c, &pids).await?.into_iter().map(|p| (p.id, p)).collect();
        let names = crate::org::employee_names(c, &people.values().map(|p| p.employee_id).collect::<Vec<_>>()).await?;
        let mut cycles: HashMap<Uuid, String> = HashMap::new();
        let mut out = Vec::new();
        for a in open {
            let Some(p) = people.get(&a.participant_id) else { continue };
            let facts = self.facts_about(actor, p.employee_id).await?;
            if !allowed(actor, Action::Write, Resource::ReviewAppeal, facts) {
                continue;
            }
            if let std::collections::hash_map::Entry::Vacant(e) = cycles.entry(p.cycle_id) {
                e.insert(repo::cycle(c, p.cycle_id).await?.map(|cy| cy.name).unwrap_or_default());
            }
            out.push(WaitingAppeal {
                id: a.id,
                person: Person { id: p.employee_id, name: names.get(&p.employee_id).cloned().unwrap_or_default() },
                cycle_name: cycles[&p.cycle_id].clone(),
                assigned: mine(&a),
                created_at: a.created_at,
            });
        }
        Ok(out)
    }

    /// The appeals of a cycle HR reads, oldest first.
    pub async fn appeals(&self, actor: &Actor, cycle: Uuid) -> AppResult<Vec<AppealView>> {
        let cy = self.readable_cycle(actor, cycle).await?;
        let c = self.c();
        let people = repo::participants(c, cy.id).await?;
        let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
        let mut out = Vec::new();
        for a in release_repo::appeals_of(c, &ids).await? {
            let Some(p) = people.iter().find(|p| p.id == a.participant_id) else { continue };
            let facts = self.facts_about(actor, p.employee_id).await?;
            if allowed(actor, Action::Read, Resource::ReviewAppeal, facts) {
                out.push(self.appeal_view_of(actor, a, p, &cy, facts, false).await?);
            }
        }
        Ok(out)
    }

    /// Where the result stands after calibration, for the result page of `p`.
    pub(crate) async fn release_view(
        &self,
        actor: &Actor,
        p: &review_participant::Model,
        existing: Option<review_appeal::Model>,
        facts: Facts,
    ) -> AppResult<ReleaseView> {
        let c = self.c();
        let dates = repo::stage_dates(c, p.cycle_id).await?;
        let window = dates.iter().find(|d| d.stage == Stage::Appeals);
        let released = p.released_at.is_some();
        let blocked = appeal_block(released, existing.is_some(), &dates, self.app.today());
        let own = facts.is_self && allowed(actor, Action::Write, Resource::ReleasedReviewResult, facts);
        let appeal = match existing {
            Some(a) if allowed(actor, Action::Read, Resource::ReviewAppeal, facts) => {
                let cy = repo::cycle(c, p.cycle_id).await?.ok_or(AppError::NotFound("review cycle"))?;
                Some(self.appeal_view_of(actor, a, p, &cy, facts, false).await?)
            }
            _ => None,
        };
        Ok(ReleaseView {
            released_at: p.released_at,
            released_by: p.released_by_name.clone(),
            acknowledged_at: p.acknowledged_at,
            ack_comment: p.ack_comment.clone(),
            appeals_open_on: window.map(|w| w.opens_on),
            appeals_close_on: window.map(|w| w.closes_on),
            appeal,
            own: facts.is_self,
            can_acknowledge: own && released && p.acknowledged_at.is_none(),
            can_appeal: own && blocked.is_none(),
            appeal_blocked: blocked.map(|b| {
                match b {
                    AppealBlock::NotReleased => "not_released",
                    AppealBlock::NotOpen(_) => "not_open",
                    AppealBlock::Closed(_) => "closed",
                    AppealBlock::AlreadyAppealed => "already_appealed",
                }
                .to_string()
            }),
        })
    }

    /// Every step of the result, oldest first. The person sees that calibration moved them and
    /// where, not who moved them nor the session's reasons (those are HR's record).
    pub(crate) async fn history(
        &self,
        p: &review_participant::Model,
        for_person: bool,
        appeal: Option<&AppealView>,
    ) -> AppResult<Vec<ResultEvent>> {
        let ev = |at: DateTime<Utc>, kind: &str, by: Option<String>, grade: Option<String>, detail: Option<String>| {
            ResultEvent { at, kind: kind.into(), by, grade, detail }
        };
        let mut out = Vec::new();
        if let Some(at) = p.scored_at {
            out.push(ev(at, "scored", None, p.grade.clone(), None));
        }
        for m in repo::moves_of_participant(self.c(), p.id).await? {
            let (by, why) = if for_person { (None, None) } else { (Some(m.moved_by_name), Some(m.reason)) };
            out.push(ev(m.moved_at, "calibrated", by, Some(m.to_grade), why));
        }
        if let Some(at) = p.released_at {
            out.push(ev(at, "released", p.released_by_name.clone(), final_or_before(p, appeal), None));
        }
        if let Some(at) = p.acknowledged_at {
            out.push(ev(at, "acknowledged", None, None, p.ack_comment.clone()));
        }
        if let Some(a) = appeal {
            out.push(ev(a.created_at, "appealed", None, Some(a.grade_before.clone()), Some(a.reasons.clone())));
            if let Some(at) = a.assigned_at {
                out.push(ev(at, "appeal_assigned", a.assignee.clone(), None, None));
            }
            if let Some(at) = a.decided_at {
                out.push(ev(at, "appeal_decided", a.decided_by.clone(), a.grade_after.clone(), a.answer.clone()));
            }
        }
        out.sort_by_key(|e| e.at);
        Ok(out)
    }

    async fn appeal_view_of(
        &self,
        actor: &Actor,
        a: review_appeal::Model,
        p: &review_participant::Model,
        cy: &ReviewCycle,
        facts: Facts,
        // The handlers and grades for the forms: the appeal's own page only, not lists.
        with_choices: bool,
    ) -> AppResult<AppealView> {
        let state = AppealState::parse(&a.state).unwrap_or(AppealState::Decided);
        let hr = allowed(actor, Action::Write, Resource::ReviewAppeal, facts);
        let assigned = a.assignee_id.is_some() && a.assignee_id == actor.user_id;
        let decider = allowed(actor, Action::Write, Resource::AppealDecision, Facts { assigned, ..facts });
        let name = org_repo::employee(self.c(), p.employee_id).await?.map(|e| e.name).unwrap_or_default();
        Ok(AppealView {
            id: a.id,
            participant_id: p.id,
            cycle_id: cy.id,
            cycle_name: cy.name.clone(),
            person: Person { id: p.employee_id, name },
            reasons: a.reasons,
            state: a.state,
            grade_before: a.grade_before,
            assignee_id: a.assignee_id,
            assignee: a.assignee_name,
            assigned_at: a.assigned_at,
            outcome: a.outcome,
            grade_after: a.grade_after,
            answer: a.answer,
            decided_by: a.decided_by_name,
            decided_at: a.decided_at,
            created_at: a.created_at,
            handlers: if with_choices && hr && state.can_assign() { self.handlers(p).await? } else { Vec::new() },
            grades: if with_choices && decider && state.can_decide() {
                self.cycle_grades(cy).await?
            } else {
                Vec::new()
            },
            can_assign: hr && state.can_assign(),
            can_decide: decider && state.can_decide(),
        })
    }

    async fn readable_appeal(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> AppResult<(review_appeal::Model, review_participant::Model, Facts)> {
        let c = self.c();
        let a = release_repo::appeal(c, id).await?.ok_or(AppError::NotFound("appeal"))?;
        let p = repo::participant(c, a.participant_id).await?.ok_or(AppError::NotFound("appeal"))?;
        let facts = self.facts_about(actor, p.employee_id).await?;
        if !allowed(actor, Action::Read, Resource::ReviewAppeal, facts) {
            return Err(AppError::NotFound("appeal"));
        }
        Ok((a, p, facts))
    }

    /// The participant, when it is the actor's own released result.
    async fn own_released(&self, actor: &Actor, participant: Uuid) -> AppResult<review_participant::Model> {
        let p = repo::participant(self.c(), participant).await?.ok_or(AppError::NotFound("participant"))?;
        let facts = self.facts_about(actor, p.employee_id).await?;
        let readable = if p.released_at.is_some() { Resource::ReleasedReviewResult } else { Resource::ReviewResult };
        if !allowed(actor, Action::Read, readable, facts) {
            return Err(AppError::NotFound("participant"));
        }
        if !allowed(actor, Action::Write, Resource::ReleasedReviewResult, facts) {
            return Err(AppError::Forbidden);
        }
        if p.released_at.is_none() {
            return Err(AppError::field("participant_id", "not_released", "this result is not released yet"));
        }
        Ok(p)
    }

    /// Active HR users whose scope holds the person's unit, by name.
    async fn handlers(&self, p: &review_participant::Model) -> AppResult<Vec<Handler>> {
        let c = self.c();
        let mut out = Vec::new();
        for u in workflow_repo::hr_users_covering(c, &self.unit_and_ancestors(p.unit_id).await?).await? {
            if let Some(user) = accounts::user(c, u).await? {
                out.push(Handler { user_id: u, name: user.display_name });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    pub(super) async fn unit_and_ancestors(&self, unit: Uuid) -> AppResult<Vec<Uuid>> {
        let mut units = org_repo::unit_ancestors(self.c(), unit).await?;
        units.push(unit);
        Ok(units)
    }

    async fn cycle_grades(&self, cy: &ReviewCycle) -> AppResult<Vec<String>> {
        Ok(self.cycle_bands(cy).await?.bands.into_iter().map(|b| b.code).collect())
    }
}

/// An appeal not decided yet: its result's grade may still change.
pub(super) fn appeal_is_open(a: &review_appeal::Model) -> bool {
    AppealState::parse(&a.state) != Some(AppealState::Decided)
}

/// The grade released: the one appealed against when an appeal later changed it.
fn final_or_before(p: &review_participant::Model, appeal: Option<&AppealView>) -> Option<String> {
    match appeal {
        Some(a) if a.outcome.as_deref() == Some("changed") => Some(a.grade_before.clone()),
        _ => final_grade(p),
    }
}

fn appeal_problem(b: AppealBlock) -> AppError {
    match b {
        AppealBlock::NotReleased => {
            AppError::field("participant_id", "not_released", "this result is not released yet")
        }
        AppealBlock::NotOpen(d) => AppError::field("reasons", "appeals_not_open", format!("appeals open on {d}")),
        AppealBlock::Closed(d) => {
            AppError::field("reasons", "appeals_closed", format!("the appeals window closed on {d}"))
        }
        AppealBlock::AlreadyAppealed => {
            AppError::field("reasons", "already_appealed", "this result has been appealed already")
        }
    }
}
