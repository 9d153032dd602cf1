//! Probation 1-3-6 (V-8): HR starts a new hire's probation with the contract's terms, checked
//! against PRC Labour Contract Law art. 19 (the cap for the contract; one probation per employer
//! and employee), which sets the person's probation end date. The checkpoints — month 1
//! adaptation and attitude, month 3 delivery, month 6 level and potential, and the conversion
//! at the end — are reminded to the manager the working day before; the manager (or HR) holds
//! them with what was found and decides the conversion: convert, not convert, or extend once
//! within the cap. Every step is audited about the person.

use std::collections::HashMap;

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::org::Employee;
use waymark_domain::reviews::probation::{
    ContractTerm, Focus, Probation, ProbationCheckpoint, ProbationProblem, ProbationState, check, check_extension,
    checkpoints, max_months,
};
use waymark_store::repo::{accounts, org as org_repo, probation as repo};

use crate::audit::entry;
use crate::inbox::{Message, notify_each};
use crate::jobs::{Job, enqueue_once};
use crate::org::Person;
use crate::policy::{Action, Actor, Facts, Resource, allowed, could_about_others};
use crate::{App, AppError, AppResult};

/// The local hour of a checkpoint's reminder, the working day before it.
const REMIND_HOUR: u32 = 10;
pub const MAX_NOTE_CHARS: usize = 2_000;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProbationInput {
    /// fixed (with `contract_months`), open_ended or task.
    pub contract: String,
    #[serde(default)]
    pub contract_months: Option<u32>,
    /// The probation's length in months: 1 to the contract's cap.
    pub months: u32,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProbationNoteInput {
    /// What was found: required, at most 2 000 characters.
    pub note: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConversionOutcome {
    Convert,
    NotConvert,
    Extend,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ConversionInput {
    pub outcome: ConversionOutcome,
    /// For an extension: the probation's new length in months, within the cap.
    #[serde(default)]
    pub months: Option<u32>,
    /// Why: required, at most 2 000 characters.
    pub note: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProbationCheckpointView {
    pub id: Uuid,
    pub month: i32,
    /// adaptation, delivery, potential or conversion.
    pub focus: String,
    pub due_on: NaiveDate,
    pub note: Option<String>,
    pub held_by: Option<String>,
    pub held_at: Option<DateTime<Utc>>,
    /// Past due and not held.
    pub overdue: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ProbationView {
    pub id: Uuid,
    pub person: Person,
    pub manager: Option<Person>,
    pub contract: String,
    pub contract_months: Option<i32>,
    /// The longest probation the contract allows.
    pub max_months: u32,
    pub months: i32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// in_progress, converted or not_converted.
    pub state: String,
    pub extended: bool,
    pub decision_note: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub checkpoints: Vec<ProbationCheckpointView>,
    pub can_write: bool,
}

/// A checkpoint to hold soon, with whose it is (the home page).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DueCheckpoint {
    pub person: Person,
    pub checkpoint: ProbationCheckpointView,
}

/// A person's probation page: theirs if started, and whether the actor may start one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonProbation {
    pub person: Person,
    pub hire_date: NaiveDate,
    pub probation: Option<ProbationView>,
    pub can_start: bool,
}

pub struct ProbationService<'a> {
    pub(crate) app: &'a App,
}

impl ProbationService<'_> {
    fn c(&self) -> &waymark_store::sea_orm::DatabaseConnection {
        &self.app.db.conn
    }

    pub async fn of_person(&self, actor: &Actor, employee: Uuid) -> AppResult<PersonProbation> {
        let e = org_repo::employee(self.c(), employee).await?.ok_or(AppError::NotFound("employee"))?;
        let facts = self.app.org().facts_for_employee(actor, &e).await?;
        if !allowed(actor, Action::Read, Resource::Probation, facts) {
            return Err(AppError::NotFound("employee"));
        }
        let probation = match repo::of_employee(self.c(), e.id).await? {
            Some(p) => Some(self.view(actor, p, facts).await?),
            None => None,
        };
        Ok(PersonProbation {
            person: Person { id: e.id, name: e.name },
            hire_date: e.hire_date,
            can_start: probation.is_none() && allowed(actor, Action::Write, Resource::PersonalRecord, facts),
            probation,
        })
    }

    /// Running probations the actor follows: their reports' and, for HR, their units', ending
    /// soonest first. Read in a fixed number of queries however many there are.
    pub async fn in_progress(&self, actor: &Actor) -> AppResult<Vec<ProbationView>> {
        // Only managers and HR follow anyone's probation; most home pages stop here.
        if !could_about_others(actor, Action::Read, Resource::Probation) {
            return Ok(Vec::new());
        }
        let c = self.c();
        let running = repo::in_progress(c).await?;
        let people: Vec<Uuid> = running.iter().map(|p| p.employee_id).collect();
        let rel = self.app.org().relations(actor, &people).await?;
        let facts_of = |e: Uuid| Facts {
            is_self: actor.employee_id == Some(e),
            manages: rel.manages(e),
            in_hr_scope: rel.in_hr_scope(actor, e),
            ..Facts::default()
        };
        let followed: Vec<Probation> = running
            .into_iter()
            .filter(|p| {
                let f = facts_of(p.employee_id);
                !f.is_self && allowed(actor, Action::Read, Resource::Probation, f)
            })
            .collect();
        let ids: Vec<Uuid> = followed.iter().map(|p| p.id).collect();
        let mut checkpoints: HashMap<Uuid, Vec<ProbationCheckpoint>> = HashMap::new();
        for k in repo::checkpoints_of(c, &ids).await? {
            checkpoints.entry(k.probation_id).or_default().push(k);
        }
        let employees: HashMap<Uuid, Employee> =
            org_repo::employees_by_ids(c, &followed.iter().map(|p| p.employee_id).collect::<Vec<_>>())
                .await?
                .into_iter()
                .map(|e| (e.id, e))
                .collect();
        let managers: Vec<Uuid> = employees.values().filter_map(|e| e.manager_id).collect();
        let names = crate::org::employee_names(c, &managers).await?;
        let today = self.app.today();
        Ok(followed
            .into_iter()
            .map(|p| {
                let e = employees.get(&p.employee_id);
                let manager =
                    e.and_then(|e| e.manager_id).and_then(|m| names.get(&m).map(|n| Person { id: m, name: n.clone() }));
                let name = e.map(|e| e.name.clone()).unwrap_or_default();
                let ks = checkpoints.remove(&p.id).unwrap_or_default();
                let facts = facts_of(p.employee_id);
                view_of(actor, p, name, manager, ks, facts, today)
            })
            .collect())
    }

    /// Checkpoints not yet held that are due within `days` (or overdue), of the probations the
    /// actor follows, soonest first: what the home page puts before a manager or HR.
    pub async fn due_soon(&self, actor: &Actor, days: i64) -> AppResult<Vec<DueCheckpoint>> {
        let until = self.app.today() + chrono::Duration::days(days);
        let mut out: Vec<DueCheckpoint> = self
            .in_progress(actor)
            .await?
            .into_iter()
            .flat_map(|p| {
                let person = p.person.clone();
                p.checkpoints
                    .into_iter()
                    .filter(move |k| k.held_at.is_none() && k.due_on <= until)
                    .map(move |k| DueCheckpoint { person: person.clone(), checkpoint: k })
            })
            .collect();
        out.sort_by_key(|d| d.checkpoint.due_on);
        Ok(out)
    }

    /// Starts a probation from the hire date (HR of the person's unit).
    pub async fn start(&self, actor: &Actor, employee: Uuid, input: ProbationInput) -> AppResult<ProbationView> {
        let c = self.c();
        let e = org_repo::employee(c, employee).await?.ok_or(AppError::NotFound("employee"))?;
        let facts = self.app.org().facts_for_employee(actor, &e).await?;
        if !allowed(actor, Action::Read, Resource::Probation, facts) {
            return Err(AppError::NotFound("employee"));
        }
        if !allowed(actor, Action::Write, Resource::PersonalRecord, facts) {
            return Err(AppError::Forbidden);
        }
        let term = ContractTerm::parse(&input.contract, input.contract_months)
            .ok_or_else(|| AppError::field("contract", "invalid", "fixed (with its months), open_ended or task"))?;
        let had = repo::of_employee(c, e.id).await?.is_some();
        check(term, input.months, had).map_err(problem)?;
        let now = self.app.clock.now();
        let ends_on = add_months(e.hire_date, input.months);
        let row = Probation {
            id: Uuid::now_v7(),
            employee_id: e.id,
            term,
            months: input.months,
            starts_on: e.hire_date,
            ends_on,
            state: ProbationState::InProgress,
            extended: false,
            decision_note: None,
            decided_by_name: None,
            decided_at: None,
            created_by_name: actor.display_name.clone(),
            created_at: now,
        };
        let points: Vec<ProbationCheckpoint> = checkpoints(e.hire_date, input.months)
            .into_iter()
            .map(|k| ProbationCheckpoint {
                id: Uuid::now_v7(),
                probation_id: row.id,
                month: k.month,
                focus: k.focus,
                due_on: k.due_on,
                note: None,
                held_by_name: None,
                held_at: None,
            })
            .collect();
        let (cal, _) = self.app.calendar().current().await?;
        let today = self.app.today();
        let tx = self.app.db.begin_write().await?;
        repo::insert(&*tx, row.clone(), points.clone()).await?;
        let before = e.clone();
        let after_e = Employee { probation_end: Some(ends_on), updated_at: now, ..e };
        org_repo::update_employee(&*tx, &before, after_e).await?;
        for k in points.iter().filter(|k| k.due_on >= today) {
            let at = cal.reminder_before(k.due_on, today, REMIND_HOUR);
            let job = Job::ProbationCheckpointReminder { checkpoint: k.id, due_on: k.due_on };
            enqueue_once(&*tx, now, at, &format!("probation-checkpoint:{}", k.id), job).await?;
        }
        let (contract, contract_months) = row.term.code();
        let after = serde_json::json!({
            "contract": contract, "contract_months": contract_months, "months": row.months,
            "starts_on": row.starts_on, "ends_on": row.ends_on,
        });
        let a =
            entry(actor, now, "probation", row.id, Some(row.employee_id), "start", None, Some(after.to_string()), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        self.get(actor, row.id).await
    }

    /// Holds a checkpoint (not the conversion, which is the decision) with what was found.
    pub async fn hold(&self, actor: &Actor, checkpoint: Uuid, input: ProbationNoteInput) -> AppResult<ProbationView> {
        let k = repo::checkpoint(self.c(), checkpoint).await?.ok_or(AppError::NotFound("checkpoint"))?;
        let (p, _) = self.writable(actor, k.probation_id).await?;
        if k.focus == Focus::Conversion {
            return Err(AppError::field("note", "conversion", "the conversion is recorded by deciding it"));
        }
        if k.held_at.is_some() {
            return Err(AppError::field("note", "held", "this checkpoint has been held"));
        }
        let note = note_of(&input.note, "note")?;
        let now = self.app.clock.now();
        let row = ProbationCheckpoint {
            note: Some(note.clone()),
            held_by_name: Some(actor.display_name.clone()),
            held_at: Some(now),
            ..k
        };
        let tx = self.app.db.begin_write().await?;
        repo::update_checkpoint(&*tx, row.clone()).await?;
        let after = serde_json::json!({ "month": row.month, "focus": row.focus.code(), "note": note }).to_string();
        let a = entry(actor, now, "probation", p.id, Some(p.employee_id), "checkpoint", None, Some(after), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        self.get(actor, p.id).await
    }

    /// Decides the conversion: convert, not convert, or extend once within the cap (the
    /// conversion checkpoint moves to the new end). The person is told of a conversion decision.
    pub async fn decide(&self, actor: &Actor, id: Uuid, input: ConversionInput) -> AppResult<ProbationView> {
        let (mut p, _) = self.writable(actor, id).await?;
        if p.state != ProbationState::InProgress {
            return Err(AppError::field("outcome", "decided", "this probation has been decided"));
        }
        let note = note_of(&input.note, "note")?;
        let c = self.c();
        let e = org_repo::employee(c, p.employee_id).await?.ok_or(AppError::NotFound("employee"))?;
        let now = self.app.clock.now();
        let before =
            serde_json::json!({ "state": p.state.code(), "months": p.months, "ends_on": p.ends_on }).to_string();
        let mut moved: Option<ProbationCheckpoint> = None;
        match input.outcome {
            ConversionOutcome::Extend => {
                let new = input.months.ok_or_else(|| AppError::field("months", "required", "the new length"))?;
                check_extension(p.term, p.months, new, p.extended).map_err(problem)?;
                p.months = new;
                p.ends_on = add_months(p.starts_on, new);
                p.extended = true;
                let conversion = repo::checkpoints(c, p.id).await?.into_iter().find(|k| k.focus == Focus::Conversion);
                moved = conversion.map(|k| ProbationCheckpoint { month: new, due_on: p.ends_on, ..k });
            }
            ConversionOutcome::Convert => p.state = ProbationState::Converted,
            ConversionOutcome::NotConvert => p.state = ProbationState::NotConverted,
        }
        p.decision_note = Some(note.clone());
        p.decided_by_name = Some(actor.display_name.clone());
        p.decided_at = Some(now);
        let (cal, _) = self.app.calendar().current().await?;
        let today = self.app.today();
        let tx = self.app.db.begin_write().await?;
        repo::update(&*tx, p.clone()).await?;
        if let Some(k) = moved.clone() {
            repo::update_checkpoint(&*tx, k.clone()).await?;
            let at = cal.reminder_before(k.due_on, today, REMIND_HOUR);
            let job = Job::ProbationCheckpointReminder { checkpoint: k.id, due_on: k.due_on };
            enqueue_once(&*tx, now, at, &format!("probation-checkpoint:{}:{}", k.id, k.due_on), job).await?;
        }
        let converted = p.state == ProbationState::Converted;
        if converted || moved.is_some() {
            let after_e = Employee {
                probation_end: Some(if converted { today.min(p.ends_on) } else { p.ends_on }),
                updated_at: now,
                ..e.clone()
            };
            org_repo::update_employee(&*tx, &e, after_e).await?;
        }
        let outcome = match input.outcome {
            ConversionOutcome::Convert => "convert",
            ConversionOutcome::NotConvert => "not_convert",
            ConversionOutcome::Extend => "extend",
        };
        let after = serde_json::json!({ "outcome": outcome, "state": p.state.code(), "months": p.months, "ends_on": p.ends_on });
        let a = entry(
            actor,
            now,
            "probation",
            p.id,
            Some(p.employee_id),
            "decide",
            Some(before),
            Some(after.to_string()),
            Some(note),
        );
        tx.audit(vec![a]);
        let users = accounts::users_of_employees(&*tx, &[p.employee_id]).await?;
        let kind = format!("probation-{}", outcome.replace('_', "-"));
        let messages = users
            .iter()
            .map(|(u, _)| {
                let m = Message {
                    kind: &kind,
                    entity_type: "probation",
                    entity_id: p.employee_id,
                    subject: &e.name,
                    body: None,
                };
                (*u, m)
            })
            .collect();
        notify_each(&tx, actor, now, messages);
        tx.commit().await?;
        self.get(actor, p.id).await
    }

    async fn get(&self, actor: &Actor, id: Uuid) -> AppResult<ProbationView> {
        let p = repo::get(self.c(), id).await?.ok_or(AppError::NotFound("probation"))?;
        let facts = self.facts(actor, p.employee_id).await?;
        if !allowed(actor, Action::Read, Resource::Probation, facts) {
            return Err(AppError::NotFound("probation"));
        }
        self.view(actor, p, facts).await
    }

    async fn writable(&self, actor: &Actor, id: Uuid) -> AppResult<(Probation, Facts)> {
        let p = repo::get(self.c(), id).await?.ok_or(AppError::NotFound("probation"))?;
        let facts = self.facts(actor, p.employee_id).await?;
        if !allowed(actor, Action::Read, Resource::Probation, facts) {
            return Err(AppError::NotFound("probation"));
        }
        if !allowed(actor, Action::Write, Resource::Probation, facts) {
            return Err(AppError::Forbidden);
        }
        Ok((p, facts))
    }

    async fn facts(&self, actor: &Actor, employee: Uuid) -> AppResult<Facts> {
        let e = org_repo::employee(self.c(), employee).await?.ok_or(AppError::NotFound("employee"))?;
        self.app.org().facts_for_employee(actor, &e).await
    }

    async fn view(&self, actor: &Actor, p: Probation, facts: Facts) -> AppResult<ProbationView> {
        let c = self.c();
        let e = org_repo::employee(c, p.employee_id).await?;
        let manager = match e.as_ref().and_then(|e| e.manager_id) {
            Some(m) => org_repo::employee(c, m).await?.map(|m| Person { id: m.id, name: m.name }),
            None => None,
        };
        let checkpoints = repo::checkpoints(c, p.id).await?;
        let name = e.map(|e| e.name).unwrap_or_default();
        Ok(view_of(actor, p, name, manager, checkpoints, facts, self.app.today()))
    }
}

/// A probation as its pages show it, from what was read.
fn view_of(
    actor: &Actor,
    p: Probation,
    name: String,
    manager: Option<Person>,
    checkpoints: Vec<ProbationCheckpoint>,
    facts: Facts,
    today: NaiveDate,
) -> ProbationView {
    let decided = p.state != ProbationState::InProgress;
    let checkpoints = checkpoints
        .into_iter()
        .map(|k| ProbationCheckpointView {
            overdue: k.held_at.is_none() && k.due_on < today && !(k.focus == Focus::Conversion && decided),
            id: k.id,
            month: k.month as i32,
            focus: k.focus.code().into(),
            due_on: k.due_on,
            note: k.note,
            held_by: k.held_by_name,
            held_at: k.held_at,
        })
        .collect();
    ProbationView {
        id: p.id,
        person: Person { id: p.employee_id, name },
        manager,
        contract: p.term.code().0.into(),
        contract_months: p.term.code().1.map(|m| m as i32),
        max_months: max_months(p.term),
        months: p.months as i32,
        starts_on: p.starts_on,
        ends_on: p.ends_on,
        state: p.state.code().into(),
        extended: p.extended,
        decision_note: p.decision_note,
        decided_by: p.decided_by_name,
        decided_at: p.decided_at,
        checkpoints,
        can_write: allowed(actor, Action::Write, Resource::Probation, facts),
    }
}

fn add_months(d: NaiveDate, m: u32) -> NaiveDate {
    d.checked_add_months(Months::new(m)).unwrap_or(d)
}

fn note_of(s: &str, field: &str) -> AppResult<String> {
    let s = s.trim();
    if s.is_empty() || s.chars().count() > MAX_NOTE_CHARS {
        return Err(AppError::field(field, "required", format!("1 to {MAX_NOTE_CHARS} characters")));
    }
    Ok(s.to_string())
}

fn problem(p: ProbationProblem) -> AppError {
    match p {
        ProbationProblem::TooLong { max_months } => AppError::field(
            "months",
            "probation_too_long",
            format!("this contract allows at most {max_months} months of probation (Labour Contract Law art. 19)"),
        ),
        ProbationProblem::Repeated => {
            AppError::field("employee_id", "probation_repeated", "one probation per employer and employee (art. 19)")
        }
        ProbationProblem::NoMonths => AppError::field("months", "required", "at least one month"),
        ProbationProblem::NotLonger => AppError::field("months", "not_longer", "longer than the probation now"),
        ProbationProblem::AlreadyExtended => {
            AppError::field("months", "already_extended", "a probation is extended once")
        }
    }
}

/// The checkpoint's reminder to the person's manager (HR of their unit if they have none),
/// unless it has been held, moved, or the probation decided.
pub(crate) async fn remind_checkpoint(app: &App, checkpoint: Uuid, due_on: NaiveDate) -> AppResult<usize> {
    let c = &app.db.conn;
    let Some(k) = repo::checkpoint(c, checkpoint).await? else { return Ok(0) };
    // Moved by an extension: the reminder queued for the new date says it.
    if k.held_at.is_some() || k.due_on != due_on {
        return Ok(0);
    }
    let Some(p) = repo::get(c, k.probation_id).await? else { return Ok(0) };
    if p.state != ProbationState::InProgress && k.focus == Focus::Conversion {
        return Ok(0);
    }
    let Some(e) = org_repo::employee(c, p.employee_id).await? else { return Ok(0) };
    let users: Vec<Uuid> = match e.manager_id {
        Some(m) => accounts::users_of_employees(c, &[m]).await?.into_iter().map(|(u, _)| u).collect(),
        None => {
            let mut units = org_repo::unit_ancestors(c, e.unit_id).await?;
            units.push(e.unit_id);
            waymark_store::repo::workflow::hr_users_covering(c, &units).await?
        }
    };
    let now = app.clock.now();
    let kind = format!("reminder-probation-{}", k.focus.code());
    let tx = app.db.begin_write().await?;
    let messages = users
        .iter()
        .map(|u| {
            let m = Message { kind: &kind, entity_type: "probation", entity_id: e.id, subject: &e.name, body: None };
            (*u, m)
        })
        .collect();
    notify_each(&tx, &Actor::system("probation"), now, messages);
    tx.commit().await?;
    Ok(users.len())
}
