//! The review conversation (V-5): the manager records where the person stands, on which facts,
//! and what they need for the next grade, with the four outputs — the conclusion with its
//! evidence, draft goals for the next period (made as the person's draft goals, for them to
//! adjust and submit), the 2–3 capabilities to strengthen, and the development plan (D-1,
//! made from the conversation page and linked to this review). The person reads it.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_store::entities::{goal, review_conversation};
use waymark_store::repo::goals::GoalRecord;
use waymark_store::repo::{accounts, development as dev_repo, goals as goal_repo, org as org_repo, reviews as repo};

use super::ReviewService;
use super::scoring::final_grade;
use crate::audit::entry;
use crate::development::{PlanView, capabilities_of};
use crate::inbox::{Message, notify_each};
use crate::org::Person;
use crate::policy::{Action, Actor, Resource, allowed};
use crate::{AppError, AppResult};

pub const MAX_CONVERSATION_CHARS: usize = 4_000;
pub const MAX_DRAFT_GOALS: usize = 5;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ConversationInput {
    /// The day it was held: not in the future.
    pub held_on: NaiveDate,
    /// Where the person stands now.
    pub standing: String,
    /// On which facts.
    pub facts: String,
    /// What they need to reach the next grade.
    pub next_grade: String,
    /// The conclusion with its evidence.
    pub conclusion: String,
    /// Two or three capabilities to strengthen.
    pub capabilities: Vec<String>,
    /// The period of the draft goals.
    #[serde(default)]
    pub next_period_id: Option<Uuid>,
    /// Titles of goals to draft for the person in the next period (at most 5 at a time); each
    /// becomes one of their draft goals.
    #[serde(default)]
    pub draft_goals: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DraftGoal {
    pub id: Uuid,
    pub title: String,
    /// The goal's status now (draft until the person submits it).
    pub status: String,
    pub period_name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ConversationView {
    pub participant_id: Uuid,
    pub cycle_id: Uuid,
    pub cycle_name: String,
    pub person: Person,
    pub grade: Option<String>,
    /// Not held yet when absent.
    pub held_on: Option<NaiveDate>,
    pub standing: String,
    pub facts: String,
    pub next_grade: String,
    pub conclusion: String,
    pub capabilities: Vec<String>,
    pub goals: Vec<DraftGoal>,
    pub plans: Vec<PlanView>,
    pub recorded_by: Option<String>,
    pub updated_at: Option<DateTime<Utc>>,
    pub can_edit: bool,
}

impl ReviewService<'_> {
    pub async fn conversation(&self, actor: &Actor, participant: Uuid) -> AppResult<ConversationView> {
        let c = self.c();
        let p = repo::participant(c, participant).await?.ok_or(AppError::NotFound("participant"))?;
        let facts = self.facts_about(actor, p.employee_id).await?;
        if !allowed(actor, Action::Read, Resource::ReviewConversation, facts) {
            return Err(AppError::NotFound("participant"));
        }
        let cy = repo::cycle(c, p.cycle_id).await?.ok_or(AppError::NotFound("review cycle"))?;
        let row = dev_repo::conversation(c, p.id).await?;
        let name = org_repo::employee(c, p.employee_id).await?.map(|e| e.name).unwrap_or_default();
        let goal_ids: Vec<Uuid> = row.as_ref().map(|r| ids_of(&r.goal_ids)).unwrap_or_default();
        let mut goals = Vec::new();
        for g in goal_repo::goals_without_key_results(c, &goal_ids).await? {
            let period_name = goal_repo::period(c, g.goal.period_id).await?.map(|p| p.name).unwrap_or_default();
            goals.push(DraftGoal { id: g.goal.id, title: g.goal.title, status: g.goal.status, period_name });
        }
        let plans = self.app.development().plans_from(actor, p.id, facts).await?;
        let r = row.as_ref();
        Ok(ConversationView {
            participant_id: p.id,
            cycle_id: cy.id,
            cycle_name: cy.name,
            person: Person { id: p.employee_id, name },
            grade: final_grade(&p),
            held_on: r.map(|r| r.held_on),
            standing: r.map(|r| r.standing.clone()).unwrap_or_default(),
            facts: r.map(|r| r.facts.clone()).unwrap_or_default(),
            next_grade: r.map(|r| r.next_grade.clone()).unwrap_or_default(),
            conclusion: r.map(|r| r.conclusion.clone()).unwrap_or_default(),
            capabilities: r.map(|r| serde_json::from_str(&r.capabilities).unwrap_or_default()).unwrap_or_default(),
            goals,
            plans,
            recorded_by: r.map(|r| r.recorded_by_name.clone()),
            updated_at: r.map(|r| r.updated_at),
            can_edit: allowed(actor, Action::Write, Resource::ReviewConversation, facts),
        })
    }

    /// Records (or corrects) the conversation; the draft goals named are made now, in the same
    /// transaction, and the person is told of each.
    pub async fn save_conversation(
        &self,
        actor: &Actor,
        participant: Uuid,
        input: ConversationInput,
    ) -> AppResult<ConversationView> {
        let c = self.c();
        let p = repo::participant(c, participant).await?.ok_or(AppError::NotFound("participant"))?;
        let facts = self.facts_about(actor, p.employee_id).await?;
        if !allowed(actor, Action::Read, Resource::ReviewConversation, facts) {
            return Err(AppError::NotFound("participant"));
        }
        if !allowed(actor, Action::Write, Resource::ReviewConversation, facts) {
            return Err(AppError::Forbidden);
        }
        let today = self.app.today();
        if input.held_on > today {
            return Err(AppError::field("held_on", "in_the_future", "the day it was held"));
        }
        let text = |field: &str, v: &str| -> AppResult<String> {
            let v = v.trim();
            if v.is_empty() || v.chars().count() > MAX_CONVERSATION_CHARS {
                return Err(AppError::field(field, "required", format!("1 to {MAX_CONVERSATION_CHARS} characters")));
            }
            Ok(v.to_string())
        };
        let standing = text("standing", &input.standing)?;
        let facts_text = text("facts", &input.facts)?;
        let next_grade = text("next_grade", &input.next_grade)?;
        let conclusion = text("conclusion", &input.conclusion)?;
        let capabilities = capabilities_of(&input.capabilities, 2)?;
        let drafts: Vec<String> =
            input.draft_goals.iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty()).collect();
        if drafts.len() > MAX_DRAFT_GOALS {
            return Err(AppError::field("draft_goals", "too_many", format!("at most {MAX_DRAFT_GOALS} at a time")));
        }
        if drafts.iter().any(|d| d.chars().count() > 200) {
            return Err(AppError::field("draft_goals", "too_long", "at most 200 characters each"));
        }
        let period = match (input.next_period_id, drafts.is_empty()) {
            (None, false) => return Err(AppError::field("next_period_id", "required", "the period of the goals")),
            (None, true) => None,
            (Some(id), _) => {
                let period = goal_repo::period(c, id)
                    .await?
                    .ok_or_else(|| AppError::field("next_period_id", "unknown_period", "no such period"))?;
                if period.ends_on < today {
                    return Err(AppError::field("next_period_id", "period_over", "a period that has not ended"));
                }
                Some(period)
            }
        };
        let person = org_repo::employee(c, p.employee_id).await?.ok_or(AppError::NotFound("employee"))?;
        let now = self.app.clock.now();
        let existing = dev_repo::conversation(c, p.id).await?;
        let mut goal_ids = existing.as_ref().map(|r| ids_of(&r.goal_ids)).unwrap_or_default();
        let records: Vec<GoalRecord> = match &period {
            Some(period) => drafts
                .iter()
                .map(|title| GoalRecord {
                    goal: draft_goal(period.id, title, actor.user_id, now),
                    owners: vec![person.id],
                    key_results: Vec::new(),
                })
                .collect(),
            None => Vec::new(),
        };
        goal_ids.extend(records.iter().map(|r| r.goal.id));
        let row = review_conversation::Model {
            participant_id: p.id,
            held_on: input.held_on,
            standing,
            facts: facts_text,
            next_grade,
            conclusion,
            capabilities: serde_json::to_string(&capabilities).expect("strings serialize"),
            goal_ids: serde_json::to_string(&goal_ids).expect("ids serialize"),
            recorded_by: actor.employee_id,
            recorded_by_name: actor.display_name.clone(),
            updated_at: now,
        };
        let tx = self.app.db.begin_write().await?;
        goal_repo::insert_goals(&*tx, records.clone()).await?;
        dev_repo::save_conversation(&*tx, row.clone()).await?;
        let mut audits: Vec<_> = records
            .iter()
            .map(|r| {
                let after = serde_json::json!({ "title": r.goal.title, "from_review": p.id }).to_string();
                entry(actor, now, "goal", r.goal.id, Some(person.id), "create", None, Some(after), None)
            })
            .collect();
        let before = existing.map(|r| conversation_json(&r));
        let action = if before.is_some() { "conversation_update" } else { "conversation" };
        audits.push(entry(
            actor,
            now,
            "review_participant",
            p.id,
            Some(person.id),
            action,
            before,
            Some(conversation_json(&row)),
            None,
        ));
        tx.audit(audits);
        let users = accounts::users_of_employees(&*tx, &[person.id]).await?;
        let messages = users
            .iter()
            .flat_map(|(u, _)| {
                records.iter().map(move |r| {
                    let m = Message {
                        kind: "goal-assigned",
                        entity_type: "goal",
                        entity_id: r.goal.id,
                        subject: &r.goal.title,
                        body: None,
                    };
                    (*u, m)
                })
            })
            .collect();
        notify_each(&tx, actor, now, messages);
        tx.commit().await?;
        self.conversation(actor, p.id).await
    }
}

/// A draft goal from a conversation: an individual, public MBO-style objective (no key results
/// yet — the person adds them when they adjust and submit it).
fn draft_goal(period: Uuid, title: &str, by: Option<Uuid>, now: DateTime<Utc>) -> goal::Model {
    goal::Model {
        id: Uuid::now_v7(),
        period_id: period,
        title: title.into(),
        description: None,
        framework: "mbo".into(),
        level: "individual".into(),
        unit_id: None,
        visibility: "public".into(),
        status: "draft".into(),
        progress_source: "key_results".into(),
        is_key: true,
        weight_bp: None,
        due_on: None,
        template_id: None,
        progress_bp: 0,
        created_by: by,
        created_at: now,
        updated_at: now,
    }
}

fn ids_of(json: &str) -> Vec<Uuid> {
    serde_json::from_str(json).unwrap_or_default()
}

fn conversation_json(r: &review_conversation::Model) -> String {
    serde_json::json!({
        "held_on": r.held_on,
        "standing": r.standing,
        "facts": r.facts,
        "next_grade": r.next_grade,
        "conclusion": r.conclusion,
        "capabilities": serde_json::from_str::<serde_json::Value>(&r.capabilities).unwrap_or_default(),
        "goal_ids": serde_json::from_str::<serde_json::Value>(&r.goal_ids).unwrap_or_default(),
    })
    .to_string()
}
