//! T-4: acting on an alert — dismissing it with a note, or opening a review task (专项复盘)
//! with an owner and a due date — and closing review tasks with their outcome.

use std::collections::HashMap;

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::org::parse_date;
use waymark_store::entities::{review_task, risk_alert};
use waymark_store::repo::org as org_repo;
use waymark_store::repo::tracking as repo;

use super::views::task_view;
use super::{AlertView, ReviewTaskView, TrackingService};
use crate::audit::{entry, json};
use crate::error::text_field;
use crate::inbox::{Message, notify};
use crate::policy::Actor;
use crate::{AppError, AppResult, FieldIssue};

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct DismissInput {
    /// Why it needs no action (required).
    #[serde(default)]
    pub note: Option<String>,
}

/// A review task on a goal, from an alert or on its own.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReviewTaskInput {
    #[serde(default)]
    pub alert_id: Option<Uuid>,
    /// Default: 专项复盘 with the goal's title.
    #[serde(default)]
    pub title: Option<String>,
    /// Who leads it: an owner of the goal, one of their managers, or the person opening it.
    #[serde(default)]
    pub owner_id: Option<Uuid>,
    /// The same, by employee number (forms).
    #[serde(default)]
    pub owner_no: Option<String>,
    #[schema(format = Date)]
    pub due_on: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct TaskDoneInput {
    /// What the review found and decided (required).
    #[serde(default)]
    pub outcome: Option<String>,
}

/// Review tasks are due within this many days.
const TASK_HORIZON_DAYS: i64 = 180;

impl<'a> TrackingService<'a> {
    pub async fn dismiss_alert(&self, actor: &Actor, id: Uuid, input: DismissInput) -> AppResult<AlertView> {
        let a = repo::alert(self.c(), id).await?.ok_or(AppError::NotFound("alert"))?;
        let record = self.changeable_goal(actor, a.goal_id).await?;
        if a.state != "open" {
            return Err(AppError::field("alert_id", "closed", "this alert is already closed"));
        }
        let mut issues = Vec::new();
        let note = text_field("note", input.note.as_deref(), 2000, &mut issues);
        if note.is_none() && issues.is_empty() {
            issues.push(FieldIssue::new("note", "required", "say why it needs no action"));
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = self.app.clock.now();
        let after = risk_alert::Model {
            state: "dismissed".into(),
            closed_at: Some(now),
            closed_by: actor.user_id,
            close_note: note.clone(),
            ..a.clone()
        };
        let tx = self.app.db.begin_write().await?;
        repo::update_alert(&*tx, after.clone()).await?;
        let audit = entry(
            actor,
            now,
            "risk_alert",
            a.id,
            record.owners.first().copied(),
            "dismiss",
            json(&serde_json::json!({"state": a.state})),
            json(&serde_json::json!({"state": "dismissed"})),
            note,
        );
        tx.audit(vec![audit]);
        tx.commit().await?;
        Ok(AlertView::from(&after))
    }

    pub async fn open_review_task(
        &self,
        actor: &Actor,
        goal_id: Uuid,
        input: ReviewTaskInput,
    ) -> AppResult<ReviewTaskView> {
        let record = self.changeable_goal(actor, goal_id).await?;
        let c = self.c();
        let today = self.app.today();
        let mut issues = Vec::new();
        let alert = match input.alert_id {
            Some(id) => match repo::alert(c, id).await? {
                Some(a) if a.goal_id == goal_id => Some(a),
                _ => {
                    issues.push(FieldIssue::new("alert_id", "unknown", "no such alert on this goal"));
                    None
                }
            },
            None => None,
        };
        let title = text_field("title", input.title.as_deref(), 200, &mut issues)
            .unwrap_or_else(|| format!("专项复盘：{}", record.goal.title));
        let owner = match (input.owner_id, input.owner_no.as_deref().map(str::trim).filter(|s| !s.is_empty())) {
            (Some(id), _) => org_repo::employee(c, id).await?,
            (None, Some(no)) => org_repo::employee_by_no(c, no).await?,
            (None, None) => match actor.employee_id {
                Some(me) => org_repo::employee(c, me).await?,
                None => None,
            },
        };
        let owner = match owner {
            Some(o) => {
                let related = record.owners.contains(&o.id)
                    || actor.employee_id == Some(o.id)
                    || !org_repo::managed_among(c, o.id, &record.owners).await?.is_empty();
                if related {
                    Some(o)
                } else {
                    issues.push(FieldIssue::new(
                        "owner_id",
                        "not_related",
                        "the owner must be an owner of the goal, one of their managers, or you",
                    ));
                    None
                }
            }
            None => {
                issues.push(FieldIssue::new("owner_id", "unknown", "no such employee"));
                None
            }
        };
        let due = match parse_date(&input.due_on) {
            Ok(Some(d)) if d < today => {
                issues.push(FieldIssue::new("due_on", "in_the_past", "must be today or later"));
                None
            }
            Ok(Some(d)) if (d - today).num_days() > TASK_HORIZON_DAYS => {
                issues.push(FieldIssue::new("due_on", "too_far", "must be within 180 days"));
                None
            }
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                issues.push(FieldIssue::new("due_on", "required", "is required"));
                None
            }
            Err(e) => {
                issues.push(FieldIssue::new("due_on", e.code(), e.message()));
                None
            }
        };
        let (Some(owner), Some(due_on)) = (owner, due) else { return Err(AppError::Invalid(issues)) };
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = self.app.clock.now();
        let task = review_task::Model {
            id: Uuid::now_v7(),
            goal_id,
            alert_id: alert.as_ref().map(|a| a.id),
            title,
            owner_id: owner.id,
            due_on,
            state: "open".into(),
            outcome: None,
            created_by: actor.user_id,
            created_at: now,
            done_at: None,
        };
        let tx = self.app.db.begin_write().await?;
        repo::insert_task(&*tx, task.clone()).await?;
        let after = json(&serde_json::json!({"title": task.title, "owner": owner.employee_no, "due_on": due_on}));
        let audit = entry(actor, now, "review_task", task.id, Some(owner.id), "open", None, after, None);
        tx.audit(vec![audit]);
        let users = waymark_store::repo::workflow::users_of_employees(&*tx, &[owner.id]).await?;
        let m = Message {
            kind: "review-task",
            entity_type: "goal",
            entity_id: goal_id,
            subject: &record.goal.title,
            body: Some(&task.title),
        };
        notify(&tx, actor, now, &users, m);
        tx.commit().await?;
        Ok(task_view(&task, &HashMap::from([(owner.id, owner.name)]), today))
    }

    /// Closes a review task with its outcome: its owner, or anyone who may change the goal.
    pub async fn complete_task(&self, actor: &Actor, id: Uuid, input: TaskDoneInput) -> AppResult<ReviewTaskView> {
        let t = repo::task(self.c(), id).await?.ok_or(AppError::NotFound("review_task"))?;
        let (record, may_change) = self.goal_access(actor, t.goal_id).await?;
        if !may_change && actor.employee_id != Some(t.owner_id) {
            return Err(AppError::Forbidden);
        }
        if t.state != "open" {
            return Err(AppError::field("review_task_id", "closed", "this review task is already done"));
        }
        let mut issues = Vec::new();
        let outcome = text_field("outcome", input.outcome.as_deref(), 4000, &mut issues);
        if outcome.is_none() && issues.is_empty() {
            issues.push(FieldIssue::new("outcome", "required", "write down what the review found and decided"));
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = self.app.clock.now();
        let after =
            review_task::Model { state: "done".into(), outcome: outcome.clone(), done_at: Some(now), ..t.clone() };
        let tx = self.app.db.begin_write().await?;
        repo::update_task(&*tx, after.clone()).await?;
        let audit = entry(
            actor,
            now,
            "review_task",
            t.id,
            record.owners.first().copied(),
            "done",
            json(&serde_json::json!({"state": "open"})),
            json(&serde_json::json!({"state": "done", "outcome": outcome})),
            None,
        );
        tx.audit(vec![audit]);
        tx.commit().await?;
        let owners = org_repo::employees_by_ids(self.c(), &[t.owner_id]).await?;
        let names = owners.into_iter().map(|e| (e.id, e.name)).collect();
        Ok(task_view(&after, &names, self.app.today()))
    }
}
