//! Review cycles (V-1): HR sets one up for a goal period with its stages and who takes part,
//! launches it — each participant gets a self review, their manager a review of them, their
//! reports an upward review where the template asks for one — and follows its health: who has
//! not started, who is late, who has no goals or no feedback in the period.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::org::Employee;
use waymark_domain::reviews::cycle::{CycleState, ReviewCycle};
use waymark_domain::reviews::cycle::{
    Lock, ParticipantFilter, Stage, StageDates, StageProblem, TaskState, check_stages, current, is_over,
    locked_by_move, task_state,
};
use waymark_domain::reviews::review::{Review, ReviewState};
use waymark_domain::reviews::scoring::Source;
use waymark_store::entities::{review_participant, review_template};
use waymark_store::repo::{accounts, goals as goal_repo, org as org_repo, reviews as repo};

use super::ReviewService;
use super::templates::json;
use crate::audit::entry;
use crate::inbox::{Message, notify_each};
use crate::org::Person;
use crate::policy::{Action, Actor, Facts, Resource, Scope, allowed};
use crate::{AppError, AppResult};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StageInput {
    /// self_review, peer_nomination, peer_review, manager_review, calibration, release,
    /// acknowledgement or appeals.
    pub stage: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

/// An open review that new stage dates would lock.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LockedReview {
    pub review_id: Uuid,
    /// The person reviewed.
    pub person: Person,
    /// Who writes the review.
    pub reviewer: Person,
    /// self, peers, manager or upward.
    pub source: String,
    /// closed (calibration would have begun) or not_open (its stage would open later).
    pub lock: String,
}

/// A change of stage dates, checked, with what it would do.
struct Reschedule {
    cycle: ReviewCycle,
    before: Vec<StageDates>,
    after: Vec<StageDates>,
    locked: Vec<LockedReview>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CycleInput {
    pub name: String,
    /// The goal period reviewed: its goals are loaded into the reviews.
    pub period_id: Uuid,
    /// For anyone no other active template fits by job family and level.
    pub template_id: Uuid,
    /// The units taking part, with everything under them; HR's whole scope when empty.
    #[serde(default)]
    pub unit_ids: Vec<Uuid>,
    #[serde(default)]
    pub job_families: Vec<String>,
    #[serde(default)]
    pub levels: Vec<String>,
    /// Only people hired on or before this day (e.g. not those who joined last week).
    #[serde(default)]
    pub hired_by: Option<NaiveDate>,
    /// Every stage but the peer ones (optional, together) is needed.
    pub stages: Vec<StageInput>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StageView {
    pub stage: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CycleView {
    pub id: Uuid,
    pub name: String,
    pub period_id: Uuid,
    pub period_name: String,
    pub template_id: Uuid,
    pub unit_ids: Vec<Uuid>,
    pub job_families: Vec<String>,
    pub levels: Vec<String>,
    pub hired_by: Option<NaiveDate>,
    /// draft, launched or closed.
    pub state: String,
    pub stages: Vec<StageView>,
    /// The stage open today, if any.
    pub current_stage: Option<String>,
    pub participants: usize,
}

/// How far one kind of review has come across a cycle.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct Progress {
    pub total: usize,
    pub submitted: usize,
    pub draft: usize,
    pub not_started: usize,
    pub late: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ParticipantRow {
    pub participant_id: Uuid,
    pub person: Person,
    pub unit: String,
    pub manager: Option<Person>,
    /// not_open, not_started, draft, submitted or late.
    pub self_review: String,
    pub manager_review: String,
    /// Peer reviews submitted of those approved.
    pub peers_submitted: usize,
    pub peers: usize,
    pub goals: i64,
    pub feedback: i64,
    pub score: Option<f64>,
    pub grade: Option<String>,
    /// After calibration and any appeal.
    pub final_grade: Option<String>,
    pub released: bool,
    pub acknowledged: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CycleHealth {
    pub cycle: CycleView,
    pub self_reviews: Progress,
    pub manager_reviews: Progress,
    pub peer_reviews: Progress,
    pub without_goals: usize,
    pub without_feedback: usize,
    /// With a score, released to them, acknowledged by them (V-6).
    pub scored: usize,
    pub released: usize,
    pub acknowledged: usize,
    /// The people needing attention (late, not started, no goals, no feedback), at most 200,
    /// then everyone else up to 200 rows.
    pub rows: Vec<ParticipantRow>,
}

/// At most this many rows on the health page; the counts cover everyone.
const HEALTH_ROWS: usize = 200;

impl ReviewService<'_> {
    pub async fn cycles(&self, actor: &Actor) -> AppResult<Vec<CycleView>> {
        if !allowed(actor, Action::Read, Resource::ReviewCycles, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let rows = repo::cycles(self.c()).await?;
        let mut out = Vec::new();
        for cy in rows {
            if self.covers_cycle(actor, &cy) {
                out.push(self.cycle_view(cy).await?);
            }
        }
        Ok(out)
    }

    pub async fn cycle(&self, actor: &Actor, id: Uuid) -> AppResult<CycleView> {
        let cy = self.readable_cycle(actor, id).await?;
        self.cycle_view(cy).await
    }

    /// Sets up a cycle (a draft until launched).
    pub async fn create_cycle(&self, actor: &Actor, input: CycleInput) -> AppResult<CycleView> {
        if !allowed(actor, Action::Write, Resource::ReviewCycles, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let c = self.c();
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::field("name", "required", "1 to 100 characters"));
        }
        let period = goal_repo::period(c, input.period_id)
            .await?
            .ok_or_else(|| AppError::field("period_id", "unknown_period", "no such goal period"))?;
        repo::template(c, input.template_id)
            .await?
            .filter(|t| t.active)
            .ok_or_else(|| AppError::field("template_id", "unknown_template", "no such active template"))?;
        for u in &input.unit_ids {
            org_repo::unit(c, *u).await?.ok_or_else(|| AppError::field("unit_ids", "unknown_unit", "no such unit"))?;
            if !allowed(
                actor,
                Action::Write,
                Resource::ReviewCycle,
                Facts { in_hr_scope: covers(actor, *u), ..Facts::default() },
            ) {
                return Err(AppError::field("unit_ids", "outside_scope", "units within your HR scope"));
            }
        }
        if input.unit_ids.is_empty() && !actor.org_wide_hr() {
            return Err(AppError::field("unit_ids", "required", "name the units taking part"));
        }
        let stages = stages_of(&input.stages, period.starts_on)?;
        let now = self.app.clock.now();
        let filter =
            ParticipantFilter { job_families: input.job_families, levels: input.levels, hired_by: input.hired_by };
        let row = ReviewCycle {
            id: Uuid::now_v7(),
            name: name.into(),
            period_id: period.id,
            template_id: input.template_id,
            units: input.unit_ids,
            filter,
            state: CycleState::Draft,
            created_by: actor.user_id,
            created_at: now,
            launched_at: None,
        };
        let tx = self.app.db.begin_write().await?;
        repo::insert_cycle(&*tx, row.clone(), &stages).await?;
        let a = entry(actor, now, "review_cycle", row.id, None, "create", None, Some(json(&row.name)), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        self.cycle_view(row).await
    }

    /// The open reviews that these stage dates would lock today: closed, if calibration would
    /// have begun, or not open, if their stage would open later. Nothing is changed.
    pub async fn reschedule_effect(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &[StageInput],
    ) -> AppResult<Vec<LockedReview>> {
        Ok(self.plan_reschedule(actor, id, input).await?.locked)
    }

    /// Moves the stages' dates (an extension, a later calibration): checked as when the cycle
    /// was set up, audited with the dates before and after. A launched cycle keeps its stages —
    /// the peer stages cannot be added or dropped once people have been asked. Dates that would
    /// lock reviews people can write today are refused, naming how many, unless
    /// `confirm_locking` says the HR user has seen who (issue 22, item 12: nothing closes
    /// silently); the audit record then says how many were locked.
    pub async fn reschedule(
        &self,
        actor: &Actor,
        id: Uuid,
        input: Vec<StageInput>,
        confirm_locking: bool,
    ) -> AppResult<CycleView> {
        let plan = self.plan_reschedule(actor, id, &input).await?;
        let (cy, before, stages) = (plan.cycle, plan.before, plan.after);
        let locked = plan.locked.len();
        if locked > 0 && !confirm_locking {
            return Err(AppError::field(
                "stages",
                "locks_open_reviews",
                format!("these dates lock {locked} reviews that can be written today; confirm to go ahead"),
            ));
        }
        let now = self.app.clock.now();
        let dates = |s: &[StageDates]| {
            let m: serde_json::Map<String, serde_json::Value> =
                s.iter().map(|d| (d.stage.code().to_string(), serde_json::json!([d.opens_on, d.closes_on]))).collect();
            serde_json::Value::Object(m).to_string()
        };
        let reason = (locked > 0).then(|| format!("locks {locked} open reviews"));
        let tx = self.app.db.begin_write().await?;
        repo::replace_stages(&*tx, cy.id, &stages).await?;
        let a = entry(
            actor,
            now,
            "review_cycle",
            cy.id,
            None,
            "reschedule",
            Some(dates(&before)),
            Some(dates(&stages)),
            reason,
        );
        tx.audit(vec![a]);
        tx.commit().await?;
        self.cycle_view(cy).await
    }

    /// The checked new dates, the dates now, and the open reviews the change would lock.
    async fn plan_reschedule(&self, actor: &Actor, id: Uuid, input: &[StageInput]) -> AppResult<Reschedule> {
        let cy = self.writable_cycle(actor, id).await?;
        let c = self.c();
        let period = goal_repo::period(c, cy.period_id).await?.ok_or(AppError::NotFound("goal period"))?;
        let after = stages_of(input, period.starts_on)?;
        let before = repo::stage_dates(c, cy.id).await?;
        let kinds = |s: &[StageDates]| s.iter().map(|d| d.stage).collect::<Vec<_>>();
        if !cy.is_draft() && kinds(&before) != kinds(&after) {
            return Err(AppError::field(
                "stages",
                "stages_fixed",
                "a launched cycle keeps its stages; move their dates",
            ));
        }
        let mut locked = Vec::new();
        if cy.state == CycleState::Launched {
            let today = self.app.today();
            let participants = repo::participants(c, cy.id).await?;
            let about: HashMap<Uuid, Uuid> = participants.iter().map(|p| (p.id, p.employee_id)).collect();
            let ids: Vec<Uuid> = participants.iter().map(|p| p.id).collect();
            let open: Vec<(Review, Lock)> = repo::reviews_of(c, &ids)
                .await?
                .into_iter()
                .filter(|r| r.state != ReviewState::Submitted)
                .filter_map(|r| locked_by_move(r.source, &before, &after, today).map(|l| (r, l)))
                .collect();
            let mut people: Vec<Uuid> = open.iter().map(|(r, _)| r.reviewer_id).collect();
            people.extend(open.iter().filter_map(|(r, _)| about.get(&r.participant_id).copied()));
            let names = crate::org::employee_names(c, &people).await?;
            let person = |id: Uuid| Person { id, name: names.get(&id).cloned().unwrap_or_default() };
            for (r, l) in open {
                let Some(&subject) = about.get(&r.participant_id) else { continue };
                locked.push(LockedReview {
                    review_id: r.id,
                    person: person(subject),
                    reviewer: person(r.reviewer_id),
                    source: r.source.code().into(),
                    lock: l.code().into(),
                });
            }
            locked.sort_by(|a, b| (&a.person.name, &a.source).cmp(&(&b.person.name, &b.source)));
        }
        Ok(Reschedule { cycle: cy, before, after, locked })
    }

    /// Launches a draft cycle: participants chosen now, as they stand now, each with a self
    /// review, a manager review and (where the template asks) upward reviews by their reports.
    pub async fn launch(&self, actor: &Actor, id: Uuid) -> AppResult<CycleView> {
        self.launch_and_tell(actor, id, true).await
    }

    /// Launches, telling the reviewers or (the demo, which must not e-mail anyone) not.
    pub(crate) async fn launch_and_tell(&self, actor: &Actor, id: Uuid, tell: bool) -> AppResult<CycleView> {
        let mut cy = self.writable_cycle(actor, id).await?;
        if !cy.is_draft() {
            return Err(AppError::field("state", "already_launched", "this cycle has been launched"));
        }
        let c = self.c();
        let now = self.app.clock.now();
        let (units, filter) = (cy.units.clone(), cy.filter.clone());
        let mut in_units: Option<HashSet<Uuid>> = None;
        if !units.is_empty() {
            let mut set = HashSet::new();
            for u in &units {
                set.extend(org_repo::unit_subtree(c, *u).await?);
            }
            in_units = Some(set);
        }
        let scope = actor.hr.clone().unwrap_or(Scope::Organization);
        let everyone = org_repo::all_employees(c).await?;
        let chosen: Vec<&Employee> = everyone
            .iter()
            .filter(|e| e.is_current())
            .filter(|e| in_units.as_ref().map_or(actor.system || scope.covers(e.unit_id), |s| s.contains(&e.unit_id)))
            .filter(|e| filter.admits(e.job_family.as_deref(), e.level.as_deref(), e.hire_date))
            .collect();
        if chosen.is_empty() {
            return Err(AppError::field("unit_ids", "no_participants", "nobody matches the cycle's units and filter"));
        }
        let templates: Vec<review_template::Model> =
            repo::templates(c).await?.into_iter().filter(|t| t.active || t.id == cy.template_id).collect();
        let audiences = Audience::of(&templates);
        let reports_of: HashMap<Uuid, Vec<Uuid>> =
            everyone.iter().filter(|e| e.is_current()).fold(HashMap::new(), |mut m, e| {
                if let Some(mgr) = e.manager_id {
                    m.entry(mgr).or_default().push(e.id);
                }
                m
            });
        let mut participants = Vec::with_capacity(chosen.len());
        let mut reviews = Vec::with_capacity(chosen.len() * 2);
        let review = |participant: Uuid, reviewer: Uuid, source: Source| Review {
            id: Uuid::now_v7(),
            participant_id: participant,
            cycle_id: cy.id,
            reviewer_id: reviewer,
            source,
            state: ReviewState::Open,
            summary: String::new(),
            created_at: now,
            updated_at: now,
            submitted_at: None,
        };
        for e in &chosen {
            let t = template_for(&audiences, cy.template_id, e);
            let p = review_participant::Model {
                id: Uuid::now_v7(),
                cycle_id: cy.id,
                employee_id: e.id,
                manager_id: e.manager_id,
                unit_id: e.unit_id,
                template_id: t.id,
                score_bp: None,
                grade: None,
                explanation: None,
                scored_at: None,
                calibrated_grade: None,
                released_at: None,
                released_by_name: None,
                acknowledged_at: None,
                ack_comment: None,
                appeal_grade: None,
            };
            if t.self_weight > 0 {
                reviews.push(review(p.id, e.id, Source::SelfReview));
            }
            if let Some(m) = e.manager_id.filter(|_| t.manager_weight > 0) {
                reviews.push(review(p.id, m, Source::Manager));
            }
            if t.upward_weight > 0 {
                for r in reports_of.get(&e.id).into_iter().flatten() {
                    reviews.push(review(p.id, *r, Source::Upward));
                }
            }
            participants.push(p);
        }
        let reviewers: Vec<Uuid> = reviews.iter().map(|r| r.reviewer_id).collect::<HashSet<_>>().into_iter().collect();
        let users = if tell { accounts::users_of_employees(c, &reviewers).await? } else { Vec::new() };
        cy.state = CycleState::Launched;
        cy.launched_at = Some(now);
        let (n_participants, n_reviews) = (participants.len(), reviews.len());
        let tx = self.app.db.begin_write().await?;
        repo::update_cycle(&*tx, cy.clone()).await?;
        repo::insert_participants(&*tx, participants).await?;
        repo::insert_reviews(&*tx, reviews).await?;
        let after = serde_json::json!({ "participants": n_participants, "reviews": n_reviews });
        let a = entry(actor, now, "review_cycle", cy.id, None, "launch", None, Some(after.to_string()), None);
        tx.audit(vec![a]);
        let messages = users
            .iter()
            .map(|(user, _)| {
                let m = Message {
                    kind: "review-cycle-launched",
                    entity_type: "review_cycle",
                    entity_id: cy.id,
                    subject: &cy.name,
                    body: None,
                };
                (*user, m)
            })
            .collect();
        notify_each(&tx, actor, now, messages);
        tx.commit().await?;
        self.app.after_bulk_write(n_participants + n_reviews).await;
        self.cycle_view(cy).await
    }

    /// Each kind of review's progress in a cycle (self, manager, peers), counted as
    /// [`Self::health`] counts them but in one grouped read: the home page's cycle lines.
    pub async fn progress(&self, actor: &Actor, id: Uuid) -> AppResult<(Progress, Progress, Progress)> {
        self.readable_cycle(actor, id).await?;
        let c = self.c();
        let today = self.app.today();
        let stages = repo::stage_dates(c, id).await?;
        let at = |s: Stage| stages.iter().find(|d| d.stage == s).copied();
        let (mut own, mut manager, mut peers) = (Progress::default(), Progress::default(), Progress::default());
        for (source, state, n) in repo::review_state_counts(c, id).await? {
            let stage = waymark_domain::reviews::cycle::writing_stage(source);
            let s = Some(task_state(
                at(stage).as_ref(),
                state == ReviewState::Draft,
                state == ReviewState::Submitted,
                today,
            ));
            let target = match source {
                Source::SelfReview => &mut own,
                Source::Manager => &mut manager,
                // Peers named but not yet approved, or rejected, are not reviews to write.
                Source::Peers if state.is_asked() => &mut peers,
                _ => continue,
            };
            for _ in 0..n {
                count(target, s);
            }
        }
        Ok((own, manager, peers))
    }

    /// Where the cycle stands: every kind of review's progress, and the people who need a nudge.
    pub async fn health(&self, actor: &Actor, id: Uuid) -> AppResult<CycleHealth> {
        let cy = self.readable_cycle(actor, id).await?;
        let c = self.c();
        let today = self.app.today();
        let stages = repo::stage_dates(c, id).await?;
        let period = goal_repo::period(c, cy.period_id).await?.ok_or(AppError::NotFound("goal period"))?;
        let participants = repo::participants(c, id).await?;
        let pids: Vec<Uuid> = participants.iter().map(|p| p.id).collect();
        let reviews = repo::reviews_of(c, &pids).await?;
        let goals = repo::goal_counts(c, cy.period_id).await?;
        let (cal, _) = self.app.calendar().current().await?;
        let feedback = repo::feedback_counts(
            c,
            cal.instant(period.starts_on, 0),
            cal.instant(period.ends_on + chrono::Duration::days(1), 0),
        )
        .await?;
        let people: Vec<Uuid> =
            participants.iter().flat_map(|p| [Some(p.employee_id), p.manager_id]).flatten().collect();
        let names: HashMap<Uuid, String> =
            org_repo::employees_by_ids(c, &people).await?.into_iter().map(|e| (e.id, e.name)).collect();
        let units: HashMap<Uuid, String> = org_repo::all_units(c).await?.into_iter().map(|u| (u.id, u.name)).collect();
        let mut by_participant: HashMap<Uuid, Vec<&Review>> = HashMap::new();
        for r in &reviews {
            by_participant.entry(r.participant_id).or_default().push(r);
        }
        let at = |s: Stage| stages.iter().find(|d| d.stage == s).copied();
        let state_of = |r: Option<&&Review>, s: Stage| r.map(|r| r.task_state(at(s).as_ref(), today));
        let mut health = CycleHealth {
            cycle: self.cycle_view(cy.clone()).await?,
            self_reviews: Progress::default(),
            manager_reviews: Progress::default(),
            peer_reviews: Progress::default(),
            without_goals: 0,
            without_feedback: 0,
            scored: participants.iter().filter(|p| p.grade.is_some()).count(),
            released: participants.iter().filter(|p| p.released_at.is_some()).count(),
            acknowledged: participants.iter().filter(|p| p.acknowledged_at.is_some()).count(),
            rows: Vec::new(),
        };
        let mut rows: Vec<(bool, ParticipantRow)> = Vec::with_capacity(participants.len());
        for p in &participants {
            let mine = by_participant.get(&p.id).cloned().unwrap_or_default();
            let self_state = state_of(mine.iter().find(|r| r.source == Source::SelfReview), Stage::SelfReview);
            let manager_state = state_of(mine.iter().find(|r| r.source == Source::Manager), Stage::ManagerReview);
            let peers: Vec<&&Review> =
                mine.iter().filter(|r| r.source == Source::Peers && r.state.is_asked()).collect();
            for r in &peers {
                count(&mut health.peer_reviews, state_of(Some(r), Stage::PeerReview));
            }
            count(&mut health.self_reviews, self_state);
            count(&mut health.manager_reviews, manager_state);
            let g = goals.get(&p.employee_id).copied().unwrap_or(0);
            let f = feedback.get(&p.employee_id).copied().unwrap_or(0);
            health.without_goals += usize::from(g == 0);
            health.without_feedback += usize::from(f == 0);
            let needs_attention = g == 0
                || f == 0
                || [self_state, manager_state]
                    .iter()
                    .any(|s| matches!(s, Some(TaskState::Late | TaskState::NotStarted)));
            let name = |id: Uuid| Person { id, name: names.get(&id).cloned().unwrap_or_default() };
            rows.push((
                needs_attention,
                ParticipantRow {
                    participant_id: p.id,
                    person: name(p.employee_id),
                    unit: units.get(&p.unit_id).cloned().unwrap_or_default(),
                    manager: p.manager_id.map(name),
                    self_review: state_code(self_state),
                    manager_review: state_code(manager_state),
                    peers_submitted: peers.iter().filter(|r| r.state == ReviewState::Submitted).count(),
                    peers: peers.len(),
                    goals: g,
                    feedback: f,
                    score: p.score_bp.map(|s| s as f64 / 100.0),
                    grade: p.grade.clone(),
                    final_grade: super::scoring::final_grade(p),
                    released: p.released_at.is_some(),
                    acknowledged: p.acknowledged_at.is_some(),
                },
            ));
        }
        rows.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.person.name.cmp(&b.1.person.name)));
        health.rows = rows.into_iter().take(HEALTH_ROWS).map(|(_, r)| r).collect();
        Ok(health)
    }

    /// The units a cycle or calibration session may name: those of the actor's HR scope.
    pub async fn units_in_scope(&self, actor: &Actor) -> AppResult<Vec<crate::org::UnitView>> {
        let mut units = self.app.org().units(actor).await?;
        units.retain(|u| covers(actor, u.id));
        Ok(units)
    }

    pub(crate) async fn readable_cycle(&self, actor: &Actor, id: Uuid) -> AppResult<ReviewCycle> {
        let cy = repo::cycle(self.c(), id).await?.ok_or(AppError::NotFound("review cycle"))?;
        let facts = Facts { in_hr_scope: self.covers_cycle(actor, &cy), ..Facts::default() };
        if !allowed(actor, Action::Read, Resource::ReviewCycle, facts) {
            return Err(AppError::NotFound("review cycle"));
        }
        Ok(cy)
    }

    pub(crate) async fn writable_cycle(&self, actor: &Actor, id: Uuid) -> AppResult<ReviewCycle> {
        let cy = self.readable_cycle(actor, id).await?;
        let facts = Facts { in_hr_scope: self.covers_cycle(actor, &cy), ..Facts::default() };
        if !allowed(actor, Action::Write, Resource::ReviewCycle, facts) {
            return Err(AppError::Forbidden);
        }
        Ok(cy)
    }

    /// Whether the actor's HR scope holds every unit of the cycle (all of the organization's
    /// for a cycle over the whole organization).
    pub(crate) fn covers_cycle(&self, actor: &Actor, cy: &ReviewCycle) -> bool {
        if cy.units.is_empty() {
            return actor.org_wide_hr();
        }
        cy.units.iter().all(|u| covers(actor, *u))
    }

    pub(crate) async fn cycle_view(&self, cy: ReviewCycle) -> AppResult<CycleView> {
        let c = self.c();
        let dates = repo::stage_dates(c, cy.id).await?;
        let period = goal_repo::period(c, cy.period_id).await?;
        let participants = if cy.is_draft() { 0 } else { repo::participant_count(c, cy.id).await? as usize };
        let filter = cy.filter;
        Ok(CycleView {
            id: cy.id,
            name: cy.name,
            period_id: cy.period_id,
            period_name: period.map(|p| p.name).unwrap_or_default(),
            template_id: cy.template_id,
            unit_ids: cy.units,
            job_families: filter.job_families,
            levels: filter.levels,
            hired_by: filter.hired_by,
            // Stored states are draft and launched; a launched cycle whose stages have all closed
            // is shown as closed.
            state: match cy.state {
                CycleState::Launched if is_over(&dates, self.app.today()) => "closed".into(),
                s => s.code().into(),
            },
            current_stage: current(&dates, self.app.today()).map(|s| s.code().to_string()),
            stages: dates
                .iter()
                .map(|d| StageView { stage: d.stage.code().into(), opens_on: d.opens_on, closes_on: d.closes_on })
                .collect(),
            participants,
        })
    }
}

fn covers(actor: &Actor, unit: Uuid) -> bool {
    actor.system || actor.hr.as_ref().is_some_and(|s| s.covers(unit))
}

fn count(p: &mut Progress, s: Option<TaskState>) {
    let Some(s) = s else { return };
    p.total += 1;
    match s {
        TaskState::Submitted => p.submitted += 1,
        TaskState::Draft => p.draft += 1,
        TaskState::Late => p.late += 1,
        TaskState::NotStarted | TaskState::NotOpen => p.not_started += 1,
    }
}

fn state_code(s: Option<TaskState>) -> String {
    match s {
        None => "none",
        Some(TaskState::NotOpen) => "not_open",
        Some(TaskState::NotStarted) => "not_started",
        Some(TaskState::Draft) => "draft",
        Some(TaskState::Submitted) => "submitted",
        Some(TaskState::Late) => "late",
    }
    .into()
}

fn stages_of(input: &[StageInput], period_start: NaiveDate) -> AppResult<Vec<StageDates>> {
    let mut out = Vec::new();
    for (i, s) in input.iter().enumerate() {
        let stage = Stage::parse(&s.stage).ok_or_else(|| {
            AppError::field(&format!("stages[{i}].stage"), "invalid", Stage::ALL.map(|s| s.code()).join(", "))
        })?;
        out.push(StageDates { stage, opens_on: s.opens_on, closes_on: s.closes_on });
    }
    check_stages(out, period_start).map_err(|p| {
        let (stage, code, msg) = match p {
            StageProblem::Missing(s) => (s, "missing", "every stage but the peer ones is needed"),
            StageProblem::Repeated(s) => (s, "repeated", "each stage once"),
            StageProblem::Backwards(s) => (s, "closes_before_opening", "a stage closes on or after the day it opens"),
            StageProblem::OutOfOrder(s) => (
                s,
                "out_of_order",
                "stages open in order: self, peers, manager, calibration, release, acknowledgement, appeals",
            ),
            StageProblem::Overlaps(s) => {
                (s, "overlaps", "reviews close before calibration opens, calibration before release")
            }
            StageProblem::PeersHalf => (Stage::PeerReview, "peers_half", "peer nomination and peer review go together"),
            StageProblem::BeforePeriod(s) => (s, "before_period", "reviews start once the period has begun"),
        };
        AppError::field(&format!("stages.{}", stage.code()), code, msg)
    })
}

/// A template's audience, parsed once per launch (not once per person).
struct Audience<'t> {
    template: &'t review_template::Model,
    families: Vec<String>,
    levels: Vec<String>,
}

impl<'t> Audience<'t> {
    fn of(templates: &'t [review_template::Model]) -> Vec<Audience<'t>> {
        let list = |s: &str| serde_json::from_str::<Vec<String>>(s).unwrap_or_default();
        templates
            .iter()
            .map(|t| Audience { template: t, families: list(&t.job_families), levels: list(&t.levels) })
            .collect()
    }

    /// How specifically it names the person: 2 family and level, 1 either, 0 not at all.
    fn fit(&self, e: &Employee) -> usize {
        if self.families.is_empty() && self.levels.is_empty() || !self.template.active {
            return 0;
        }
        let f = self.families.is_empty() || e.job_family.as_ref().is_some_and(|j| self.families.contains(j));
        let l = self.levels.is_empty() || e.level.as_ref().is_some_and(|v| self.levels.contains(v));
        if !(f && l) {
            return 0;
        }
        usize::from(!self.families.is_empty()) + usize::from(!self.levels.is_empty())
    }
}

/// The template for a person: the active template naming both their job family and level, else
/// one naming either, else the cycle's own.
fn template_for<'t>(audiences: &[Audience<'t>], fallback: Uuid, e: &Employee) -> &'t review_template::Model {
    audiences
        .iter()
        .map(|a| (a.fit(e), a.template))
        .filter(|(n, _)| *n > 0)
        .max_by_key(|(n, t)| (*n, std::cmp::Reverse(t.id)))
        .map(|(_, t)| t)
        .or_else(|| audiences.iter().map(|a| a.template).find(|t| t.id == fallback))
        .expect("the cycle's own template is among those read")
}
