//! Development plans (D-1, 个人发展计划): a development goal for one person with the capabilities
//! it strengthens, actions (a course, a rotation, a project, a mentor) with their due dates, and
//! dated checkpoints, each reminded to the person and their manager the working day before.
//! A plan may come out of a review conversation (V-5) and then names it. The person, their
//! managers and HR of their unit read it; the person, their managers and HR keep it.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::development::{ActionKind, Plan, PlanAction, PlanCheckpoint, PlanState};
use waymark_store::repo::{accounts, development as repo, org as org_repo, reviews as review_repo};

use crate::audit::entry;
use crate::inbox::{Message, notify_each};
use crate::jobs::{Job, enqueue_once};
use crate::org::Person;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppError, AppResult};

pub const ACTION_KINDS: [&str; 4] = ActionKind::CODES;
pub const MAX_ACTIONS: usize = 10;
const MAX_CHECKPOINTS: usize = 6;
pub const MAX_CAPABILITIES: usize = 3;
/// The local hour of a checkpoint's reminder, the working day before it.
const REMIND_HOUR: u32 = 10;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PlanInput {
    pub employee_id: Uuid,
    /// The review it comes from (a participation of this person), if any.
    #[serde(default)]
    pub participant_id: Option<Uuid>,
    /// The development goal: 1 to 200 characters.
    pub title: String,
    /// The capabilities it strengthens (at most 3).
    #[serde(default)]
    pub capabilities: Vec<String>,
    /// 1 to 10 actions.
    pub actions: Vec<PlanActionInput>,
    /// Up to 6 checkpoint dates, from today on.
    #[serde(default)]
    pub checkpoints: Vec<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PlanActionInput {
    /// course, rotation, project or mentor.
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub capability: Option<String>,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CheckpointInput {
    /// What was found: required, at most 2 000 characters.
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanActionView {
    pub id: Uuid,
    pub kind: String,
    pub title: String,
    pub capability: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub done_at: Option<DateTime<Utc>>,
    /// Past its due date and not done.
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckpointView {
    pub id: Uuid,
    pub due_on: NaiveDate,
    pub note: Option<String>,
    pub held_at: Option<DateTime<Utc>>,
    pub held_by: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlanView {
    pub id: Uuid,
    pub person: Person,
    pub participant_id: Option<Uuid>,
    /// The review cycle it came from.
    pub cycle_name: Option<String>,
    pub title: String,
    pub capabilities: Vec<String>,
    /// active, or done once every action is.
    pub state: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub actions: Vec<PlanActionView>,
    /// Actions done of them all.
    pub done: usize,
    pub checkpoints: Vec<CheckpointView>,
    pub can_edit: bool,
}

pub struct DevelopmentService<'a> {
    pub(crate) app: &'a App,
}

impl DevelopmentService<'_> {
    fn c(&self) -> &waymark_store::sea_orm::DatabaseConnection {
        &self.app.db.conn
    }

    /// A person's plans, newest first.
    pub async fn plans_of(&self, actor: &Actor, employee: Uuid) -> AppResult<Vec<PlanView>> {
        let facts = self.facts(actor, employee).await?;
        if !allowed(actor, Action::Read, Resource::DevelopmentPlan, facts) {
            return Err(AppError::NotFound("employee"));
        }
        let mut out = Vec::new();
        for p in repo::plans_of(self.c(), employee).await? {
            out.push(self.view(actor, p, facts).await?);
        }
        Ok(out)
    }

    /// Whose plans these are, and whether the actor may make one for them.
    pub async fn planner(&self, actor: &Actor, employee: Uuid) -> AppResult<(Person, bool)> {
        let e = org_repo::employee(self.c(), employee).await?.ok_or(AppError::NotFound("employee"))?;
        let facts = self.app.org().facts_for_employee(actor, &e).await?;
        if !allowed(actor, Action::Read, Resource::DevelopmentPlan, facts) {
            return Err(AppError::NotFound("employee"));
        }
        Ok((Person { id: e.id, name: e.name }, allowed(actor, Action::Write, Resource::DevelopmentPlan, facts)))
    }

    /// The plans made from one review, for the conversation page.
    pub(crate) async fn plans_from(&self, actor: &Actor, participant: Uuid, facts: Facts) -> AppResult<Vec<PlanView>> {
        let mut out = Vec::new();
        for p in repo::plans_from(self.c(), participant).await? {
            out.push(self.view(actor, p, facts).await?);
        }
        Ok(out)
    }

    pub async fn plan(&self, actor: &Actor, id: Uuid) -> AppResult<PlanView> {
        let (p, facts) = self.readable(actor, id).await?;
        self.view(actor, p, facts).await
    }

    /// Makes a plan; its checkpoints are reminded the working day before.
    pub async fn create_plan(&self, actor: &Actor, input: PlanInput) -> AppResult<PlanView> {
        self.create_plan_linked(actor, input, None).await
    }

    /// Makes the plan a development report became, linked to it in the same transaction: a
    /// report becomes one plan, however many times the button is pressed at once.
    pub(crate) async fn create_plan_from_report(
        &self,
        actor: &Actor,
        input: PlanInput,
        report: Uuid,
    ) -> AppResult<PlanView> {
        self.create_plan_linked(actor, input, Some(report)).await
    }

    async fn create_plan_linked(&self, actor: &Actor, input: PlanInput, report: Option<Uuid>) -> AppResult<PlanView> {
        let c = self.c();
        let person = org_repo::employee(c, input.employee_id)
            .await?
            .ok_or_else(|| AppError::field("employee_id", "unknown_employee", "no such employee"))?;
        let facts = self.app.org().facts_for_employee(actor, &person).await?;
        if !allowed(actor, Action::Read, Resource::DevelopmentPlan, facts) {
            return Err(AppError::field("employee_id", "unknown_employee", "no such employee"));
        }
        if !allowed(actor, Action::Write, Resource::DevelopmentPlan, facts) {
            return Err(AppError::Forbidden);
        }
        let today = self.app.today();
        let title = input.title.trim();
        if title.is_empty() || title.chars().count() > 200 {
            return Err(AppError::field("title", "required", "the development goal, 1 to 200 characters"));
        }
        let capabilities = capabilities_of(&input.capabilities, 0)?;
        if let Some(pid) = input.participant_id
            && review_repo::participant(c, pid).await?.is_none_or(|p| p.employee_id != person.id)
        {
            return Err(AppError::field("participant_id", "not_their_review", "a review of this person"));
        }
        if input.actions.is_empty() || input.actions.len() > MAX_ACTIONS {
            return Err(AppError::field("actions", "count", format!("1 to {MAX_ACTIONS} actions")));
        }
        let now = self.app.clock.now();
        let plan = Plan {
            id: Uuid::now_v7(),
            employee_id: person.id,
            participant_id: input.participant_id,
            title: title.into(),
            capabilities: capabilities.clone(),
            state: PlanState::Active,
            created_by_name: actor.display_name.clone(),
            created_at: now,
            updated_at: now,
        };
        let mut actions = Vec::new();
        for (i, a) in input.actions.iter().enumerate() {
            let field = |f: &str| format!("actions[{i}].{f}");
            let Some(kind) = ActionKind::parse(&a.kind) else {
                return Err(AppError::field(&field("kind"), "invalid", ACTION_KINDS.join(", ")));
            };
            let t = a.title.trim();
            if t.is_empty() || t.chars().count() > 200 {
                return Err(AppError::field(&field("title"), "required", "1 to 200 characters"));
            }
            if a.due_on.is_some_and(|d| d < today) {
                return Err(AppError::field(&field("due_on"), "in_the_past", "from today on"));
            }
            let capability = a.capability.as_deref().map(str::trim).filter(|s| !s.is_empty());
            if capability.is_some_and(|s| s.chars().count() > 100) {
                return Err(AppError::field(&field("capability"), "too_long", "at most 100 characters"));
            }
            actions.push(PlanAction {
                id: Uuid::now_v7(),
                plan_id: plan.id,
                kind,
                title: t.into(),
                capability: capability.map(str::to_string),
                due_on: a.due_on,
                done_at: None,
                position: i as i32,
            });
        }
        let mut dates: Vec<NaiveDate> = input.checkpoints.clone();
        dates.sort();
        dates.dedup();
        if dates.len() > MAX_CHECKPOINTS {
            return Err(AppError::field("checkpoints", "count", format!("at most {MAX_CHECKPOINTS}")));
        }
        if dates.first().is_some_and(|d| *d < today) {
            return Err(AppError::field("checkpoints", "in_the_past", "from today on"));
        }
        let checkpoints: Vec<PlanCheckpoint> = dates
            .iter()
            .map(|d| PlanCheckpoint {
                id: Uuid::now_v7(),
                plan_id: plan.id,
                due_on: *d,
                note: None,
                held_at: None,
                held_by_name: None,
            })
            .collect();
        let (cal, _) = self.app.calendar().current().await?;
        let tx = self.app.db.begin_write().await?;
        repo::insert_plan(&*tx, plan.clone(), actions.clone(), checkpoints.clone()).await?;
        if let Some(r) = report
            && !waymark_store::repo::development_report::link_plan(&*tx, r, plan.id).await?
        {
            return Err(AppError::field("report", "plan_exists", "a plan was already made from this report"));
        }
        for k in &checkpoints {
            let at = cal.reminder_before(k.due_on, today, REMIND_HOUR);
            let job = Job::DevelopmentCheckpointReminder { checkpoint: k.id };
            enqueue_once(&*tx, now, at, &format!("dev-checkpoint:{}", k.id), job).await?;
        }
        let after = serde_json::json!({
            "title": plan.title,
            "capabilities": capabilities,
            "participant_id": plan.participant_id,
            "actions": actions.iter().map(|a| (a.kind.code(), &a.title)).collect::<Vec<_>>(),
            "checkpoints": dates,
            "from_report": report,
        });
        let a = entry(actor, now, "dev_plan", plan.id, Some(person.id), "create", None, Some(after.to_string()), None);
        tx.audit(vec![a]);
        let users = accounts::users_of_employees(&*tx, &[person.id]).await?;
        let messages = users
            .iter()
            .map(|(u, _)| {
                let m = Message {
                    kind: "dev-plan-created",
                    entity_type: "dev_plan",
                    entity_id: plan.id,
                    subject: &plan.title,
                    body: None,
                };
                (*u, m)
            })
            .collect();
        notify_each(&tx, actor, now, messages);
        tx.commit().await?;
        self.plan(actor, plan.id).await
    }

    /// Marks an action done (or not done again); the plan is done when every action is.
    pub async fn set_action_done(&self, actor: &Actor, action: Uuid, done: bool) -> AppResult<PlanView> {
        let a = repo::action(self.c(), action).await?.ok_or(AppError::NotFound("action"))?;
        let (mut plan, _) = self.writable(actor, a.plan_id).await?;
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        repo::set_action_done(&*tx, a.id, done.then_some(now)).await?;
        let all_done = repo::actions(&*tx, plan.id).await?.iter().all(|x| x.done_at.is_some());
        plan.state = PlanState::of(all_done);
        plan.updated_at = now;
        let after = serde_json::json!({ "action_id": a.id, "title": a.title, "done": done }).to_string();
        let e = entry(actor, now, "dev_plan", plan.id, Some(plan.employee_id), "action", None, Some(after), None);
        repo::update_plan(&*tx, plan.clone()).await?;
        tx.audit(vec![e]);
        tx.commit().await?;
        self.plan(actor, plan.id).await
    }

    /// Holds a checkpoint: what was found, by whom and when.
    pub async fn hold_checkpoint(
        &self,
        actor: &Actor,
        checkpoint: Uuid,
        input: CheckpointInput,
    ) -> AppResult<PlanView> {
        let k = repo::checkpoint(self.c(), checkpoint).await?.ok_or(AppError::NotFound("checkpoint"))?;
        let (plan, _) = self.writable(actor, k.plan_id).await?;
        if k.held_at.is_some() {
            return Err(AppError::field("note", "held", "this checkpoint has been held"));
        }
        let note = input.note.trim();
        if note.is_empty() || note.chars().count() > 2_000 {
            return Err(AppError::field("note", "required", "what was found, 1 to 2 000 characters"));
        }
        let now = self.app.clock.now();
        let row = PlanCheckpoint {
            note: Some(note.into()),
            held_at: Some(now),
            held_by_name: Some(actor.display_name.clone()),
            ..k
        };
        let tx = self.app.db.begin_write().await?;
        repo::update_checkpoint(&*tx, row.clone()).await?;
        let after = serde_json::json!({ "checkpoint_id": row.id, "due_on": row.due_on, "note": note }).to_string();
        let e = entry(actor, now, "dev_plan", plan.id, Some(plan.employee_id), "checkpoint", None, Some(after), None);
        tx.audit(vec![e]);
        tx.commit().await?;
        self.plan(actor, plan.id).await
    }

    async fn view(&self, actor: &Actor, p: Plan, facts: Facts) -> AppResult<PlanView> {
        let c = self.c();
        let today = self.app.today();
        let name = org_repo::employee(c, p.employee_id).await?.map(|e| e.name).unwrap_or_default();
        let cycle_name = match p.participant_id {
            Some(pid) => match review_repo::participant(c, pid).await? {
                Some(part) => review_repo::cycle(c, part.cycle_id).await?.map(|cy| cy.name),
                None => None,
            },
            None => None,
        };
        let actions: Vec<PlanActionView> = repo::actions(c, p.id)
            .await?
            .into_iter()
            .map(|a| PlanActionView {
                overdue: a.done_at.is_none() && a.due_on.is_some_and(|d| d < today),
                id: a.id,
                kind: a.kind.code().into(),
                title: a.title,
                capability: a.capability,
                due_on: a.due_on,
                done_at: a.done_at,
            })
            .collect();
        let checkpoints = repo::checkpoints(c, p.id)
            .await?
            .into_iter()
            .map(|k| CheckpointView {
                id: k.id,
                due_on: k.due_on,
                note: k.note,
                held_at: k.held_at,
                held_by: k.held_by_name,
            })
            .collect();
        Ok(PlanView {
            id: p.id,
            person: Person { id: p.employee_id, name },
            participant_id: p.participant_id,
            cycle_name,
            title: p.title,
            capabilities: p.capabilities,
            state: p.state.code().into(),
            created_by: p.created_by_name,
            created_at: p.created_at,
            done: actions.iter().filter(|a| a.done_at.is_some()).count(),
            actions,
            checkpoints,
            can_edit: allowed(actor, Action::Write, Resource::DevelopmentPlan, facts),
        })
    }

    async fn facts(&self, actor: &Actor, employee: Uuid) -> AppResult<Facts> {
        let e = org_repo::employee(self.c(), employee).await?.ok_or(AppError::NotFound("employee"))?;
        self.app.org().facts_for_employee(actor, &e).await
    }

    async fn readable(&self, actor: &Actor, id: Uuid) -> AppResult<(Plan, Facts)> {
        let p = repo::plan(self.c(), id).await?.ok_or(AppError::NotFound("development plan"))?;
        let facts = self.facts(actor, p.employee_id).await?;
        if !allowed(actor, Action::Read, Resource::DevelopmentPlan, facts) {
            return Err(AppError::NotFound("development plan"));
        }
        Ok((p, facts))
    }

    async fn writable(&self, actor: &Actor, id: Uuid) -> AppResult<(Plan, Facts)> {
        let (p, facts) = self.readable(actor, id).await?;
        if !allowed(actor, Action::Write, Resource::DevelopmentPlan, facts) {
            return Err(AppError::Forbidden);
        }
        Ok((p, facts))
    }
}

/// The capabilities named (trimmed, distinct, each at most 100 characters): at least `min`,
/// at most three.
pub(crate) fn capabilities_of(input: &[String], min: usize) -> AppResult<Vec<String>> {
    let mut seen = HashSet::new();
    let list: Vec<String> =
        input.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty() && seen.insert(s.clone())).collect();
    if list.len() < min || list.len() > MAX_CAPABILITIES {
        let msg = format!("{min} to {MAX_CAPABILITIES} capabilities");
        return Err(AppError::field("capabilities", "capability_count", msg));
    }
    if list.iter().any(|s| s.chars().count() > 100) {
        return Err(AppError::field("capabilities", "too_long", "at most 100 characters each"));
    }
    Ok(list)
}

/// The checkpoint's reminder: the person and their manager, unless it has been held.
pub(crate) async fn remind_checkpoint(app: &App, checkpoint: Uuid) -> AppResult<usize> {
    let c = &app.db.conn;
    let Some(k) = repo::checkpoint(c, checkpoint).await? else { return Ok(0) };
    if k.held_at.is_some() {
        return Ok(0);
    }
    let Some(plan) = repo::plan(c, k.plan_id).await? else { return Ok(0) };
    let Some(person) = org_repo::employee(c, plan.employee_id).await? else { return Ok(0) };
    let people: Vec<Uuid> = [Some(person.id), person.manager_id].into_iter().flatten().collect();
    let users = accounts::users_of_employees(c, &people).await?;
    let now = app.clock.now();
    let tx = app.db.begin_write().await?;
    let messages = users
        .iter()
        .map(|(u, _)| {
            let m = Message {
                kind: "reminder-dev-checkpoint",
                entity_type: "dev_plan",
                entity_id: plan.id,
                subject: &plan.title,
                body: None,
            };
            (*u, m)
        })
        .collect();
    notify_each(&tx, &Actor::system("development"), now, messages);
    tx.commit().await?;
    Ok(users.len())
}
