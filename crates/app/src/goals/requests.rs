//! Alignment as a request (issue 22, item 1; SPEC G-5). Aligning a goal to one the actor may
//! not change (a goal of someone else, a unit's or the company's) asks the parent's owner — or
//! HR in scope, or the owner's manager: whoever may change the parent — to accept it with the
//! contribution weight. Until then it is pending: shown on both goals' pages, told in the
//! parent owner's inbox, and never counted in the parent's progress, since only an accepted
//! request becomes a link.

use std::collections::HashMap;
use waymark_store::WriteTxn;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_store::entities::{alignment_request, goal_link};
use waymark_store::repo::alignment_requests as repo;
use waymark_store::repo::audit::NewAudit;
use waymark_store::repo::goals::{self as goals_repo, GoalRecord};

use super::{GoalService, GoalView, convert};
use crate::audit::{entry, json};
use crate::error::text_field;
use crate::inbox::{Message, notify};
use crate::policy::{Action, Actor, Resource, allowed};
use crate::{AppError, AppResult, FieldIssue};

/// A pending request to align one goal to another, as either goal's page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlignmentRequestView {
    pub id: Uuid,
    pub child_goal_id: Uuid,
    pub child_title: String,
    /// The child's own key result that would support the parent, if any.
    pub child_kr_title: Option<String>,
    pub parent_goal_id: Uuid,
    pub parent_title: String,
    /// The parent's key result it would support, if any.
    pub parent_kr_title: Option<String>,
    /// The contribution weight asked for, in percent (blank: an equal share).
    pub weight: Option<f64>,
    pub requested_by_name: String,
    pub requested_at: DateTime<Utc>,
    /// The actor may accept or decline it (they may change the parent).
    pub can_decide: bool,
    /// The actor may withdraw it (they may change the child).
    pub can_withdraw: bool,
}

/// Accepting (with the weight the parent's owner settles on) or declining (with why).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AlignmentDecision {
    /// Percent, 0–100, when accepting; blank keeps the weight asked for.
    #[serde(default)]
    pub weight: Option<f64>,
    /// Required when declining: why the goal does not support this one.
    #[serde(default)]
    pub comment: Option<String>,
}

const NOTE_MAX: usize = 1000;

/// The name a request or a decision is recorded under.
fn name_of(actor: &Actor) -> String {
    if actor.display_name.is_empty() { actor.label.clone() } else { actor.display_name.clone() }
}

/// The request for a link the actor may not make directly.
pub(super) fn request_of(l: &goal_link::Model, actor: &Actor) -> alignment_request::Model {
    alignment_request::Model {
        id: l.id,
        child_goal_id: l.child_goal_id,
        child_kr_id: l.child_kr_id,
        parent_goal_id: l.parent_goal_id,
        parent_kr_id: l.parent_kr_id,
        weight_bp: l.weight_bp,
        requested_by: actor.user_id,
        requested_by_name: name_of(actor),
        requested_at: l.created_at,
        state: "pending".into(),
        decided_by_name: None,
        decided_at: None,
        decision_note: None,
    }
}

impl GoalService<'_> {
    /// Records requests, each with an audit entry on the child, and tells the parents' owners.
    pub(super) async fn file_requests(
        &self,
        tx: &WriteTxn,
        actor: &Actor,
        child: &GoalRecord,
        requests: Vec<alignment_request::Model>,
        now: DateTime<Utc>,
    ) -> AppResult<Vec<NewAudit>> {
        let c = &**tx;
        let mut audit = Vec::new();
        for r in &requests {
            let parent = goals_repo::goal(c, r.parent_goal_id).await?.ok_or(AppError::NotFound("goal"))?;
            let owners = waymark_store::repo::workflow::users_of_employees(c, &parent.owners).await?;
            let m = Message {
                kind: "alignment-request",
                entity_type: "goal",
                entity_id: parent.goal.id,
                subject: &child.goal.title,
                body: None,
            };
            notify(tx, actor, now, &owners, m);
            let after = json(&serde_json::json!({"parent": r.parent_goal_id, "weight_bp": r.weight_bp}));
            audit.push(entry(
                actor,
                now,
                "goal",
                child.goal.id,
                child.owners.first().copied(),
                "request_alignment",
                None,
                after,
                None,
            ));
        }
        repo::insert(c, requests).await?;
        Ok(audit)
    }

    /// The pending requests into these goals (the actor's own, for the home page's to-dos): each
    /// as the parent's id and the requesting goal's title.
    pub async fn alignment_requests_into(&self, goals: &[super::GoalSummary]) -> AppResult<Vec<(Uuid, String)>> {
        let c = self.c();
        let ids: Vec<Uuid> = goals.iter().map(|g| g.id).collect();
        let pending = repo::pending_into(c, &ids).await?;
        if pending.is_empty() {
            return Ok(vec![]);
        }
        let children: Vec<Uuid> = pending.iter().map(|r| r.child_goal_id).collect();
        let titles: HashMap<Uuid, String> = goals_repo::goals_without_key_results(c, &children)
            .await?
            .into_iter()
            .map(|r| (r.goal.id, r.goal.title))
            .collect();
        Ok(pending
            .into_iter()
            .filter_map(|r| Some((r.parent_goal_id, titles.get(&r.child_goal_id)?.clone())))
            .collect())
    }

    /// The pending requests into and out of a goal, as the actor may act on them.
    pub(super) async fn request_views(
        &self,
        actor: &Actor,
        goal: &GoalRecord,
    ) -> AppResult<(Vec<AlignmentRequestView>, Vec<AlignmentRequestView>)> {
        let c = self.c();
        let into = repo::pending_into(c, &[goal.goal.id]).await?;
        let from = repo::pending_from(c, &[goal.goal.id]).await?;
        if into.is_empty() && from.is_empty() {
            return Ok((vec![], vec![]));
        }
        let ids: Vec<Uuid> =
            into.iter().map(|r| r.child_goal_id).chain(from.iter().map(|r| r.parent_goal_id)).collect();
        let mut records = goals_repo::goals(c, &ids).await?;
        records.push(goal.clone());
        // Whether the actor may change each goal: one access check for all of them.
        let refs: Vec<&GoalRecord> = records.iter().collect();
        let facts = self.facts(actor, &refs).await?;
        let writable: HashMap<Uuid, bool> = records
            .iter()
            .zip(facts)
            .map(|(r, f)| (r.goal.id, allowed(actor, Action::Write, Resource::Goal, f)))
            .collect();
        let find = |id: Uuid| records.iter().find(|r| r.goal.id == id);
        let kr_title = |g: &GoalRecord, k: Option<Uuid>| {
            k.and_then(|k| g.key_results.iter().find(|x| x.id == k)).map(|x| x.title.clone())
        };
        let views = |rows: Vec<alignment_request::Model>| -> Vec<AlignmentRequestView> {
            rows.into_iter()
                .filter_map(|r| {
                    let (child, parent) = (find(r.child_goal_id)?, find(r.parent_goal_id)?);
                    Some(AlignmentRequestView {
                        id: r.id,
                        child_goal_id: child.goal.id,
                        child_title: child.goal.title.clone(),
                        child_kr_title: kr_title(child, r.child_kr_id),
                        parent_goal_id: parent.goal.id,
                        parent_title: parent.goal.title.clone(),
                        parent_kr_title: kr_title(parent, r.parent_kr_id),
                        weight: r.weight_bp.map(|w| w as f64 / 100.0),
                        requested_by_name: r.requested_by_name,
                        requested_at: r.requested_at,
                        can_decide: writable[&parent.goal.id],
                        can_withdraw: writable[&child.goal.id],
                    })
                })
                .collect()
        };
        Ok((views(into), views(from)))
    }

    /// Accepts a pending request: the link is made (with the request's id) and the weight settled
    /// on; the child's progress counts in the parent's from now on where the parent, or its key
    /// result, is made of its supporters. Whoever may change the parent.
    pub async fn accept_alignment(&self, actor: &Actor, id: Uuid, input: AlignmentDecision) -> AppResult<GoalView> {
        let (r, parent) = self.pending_request(actor, id, true).await?;
        let mut issues = Vec::new();
        let weight_bp = match input.weight {
            Some(_) => convert::weight_bp("weight", input.weight, &mut issues),
            None => r.weight_bp,
        };
        let note = text_field("comment", input.comment.as_deref(), NOTE_MAX, &mut issues);
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = self.app.clock.now();
        let link = goal_link::Model {
            id: r.id,
            child_goal_id: r.child_goal_id,
            child_kr_id: r.child_kr_id,
            parent_goal_id: r.parent_goal_id,
            parent_kr_id: r.parent_kr_id,
            weight_bp,
            created_at: now,
        };
        let decided = alignment_request::Model {
            state: "accepted".into(),
            decided_by_name: Some(name_of(actor)),
            decided_at: Some(now),
            decision_note: note.clone(),
            weight_bp,
            ..r.clone()
        };
        let tx = self.app.db.begin_write().await?;
        if !repo::decide(&*tx, decided).await? {
            return Err(AppError::field("state", "already_decided", "this request has been decided"));
        }
        goals_repo::insert_links(&*tx, vec![link]).await.map_err(|e| match e.is_unique_violation() {
            true => AppError::field("goal_id", "already_aligned", "the goals are already aligned this way"),
            false => e.into(),
        })?;
        let after = json(&serde_json::json!({"parent": r.parent_goal_id, "weight_bp": weight_bp}));
        let a = entry(actor, now, "goal", r.child_goal_id, None, "align", None, after, note);
        tx.audit(vec![a]);
        // A cycle shows up as the roll-up fails; the transaction is then dropped unwritten.
        self.refresh_upward(&*tx, &[r.child_goal_id]).await?;
        self.tell_requester(&tx, actor, &r, "alignment-accepted", &parent.goal.title, now).await?;
        tx.commit().await?;
        self.view(actor, parent.goal.id).await
    }

    /// Declines a pending request, saying why. Whoever may change the parent.
    pub async fn decline_alignment(&self, actor: &Actor, id: Uuid, input: AlignmentDecision) -> AppResult<GoalView> {
        let (r, parent) = self.pending_request(actor, id, true).await?;
        let mut issues = Vec::new();
        let note = text_field("comment", input.comment.as_deref(), NOTE_MAX, &mut issues);
        if note.is_none() && issues.is_empty() {
            issues.push(FieldIssue::new("comment", "required", "say why this goal does not support yours"));
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = self.app.clock.now();
        self.close_request(actor, &r, "declined", note, now).await?;
        self.view(actor, parent.goal.id).await
    }

    /// Withdraws one's own pending request. Whoever may change the child.
    pub async fn withdraw_alignment(&self, actor: &Actor, id: Uuid) -> AppResult<GoalView> {
        let (r, _) = self.pending_request(actor, id, false).await?;
        let now = self.app.clock.now();
        self.close_request(actor, &r, "withdrawn", None, now).await?;
        self.view(actor, r.child_goal_id).await
    }

    async fn close_request(
        &self,
        actor: &Actor,
        r: &alignment_request::Model,
        state: &str,
        note: Option<String>,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let decided = alignment_request::Model {
            state: state.into(),
            decided_by_name: Some(name_of(actor)),
            decided_at: Some(now),
            decision_note: note.clone(),
            ..r.clone()
        };
        let tx = self.app.db.begin_write().await?;
        if !repo::decide(&*tx, decided).await? {
            return Err(AppError::field("state", "already_decided", "this request has been decided"));
        }
        let action = if state == "declined" { "decline_alignment" } else { "withdraw_alignment" };
        let after = json(&serde_json::json!({"parent": r.parent_goal_id}));
        let a = entry(actor, now, "goal", r.child_goal_id, None, action, None, after, note);
        tx.audit(vec![a]);
        if state == "declined" {
            let parent = goals_repo::goal(&*tx, r.parent_goal_id).await?.ok_or(AppError::NotFound("goal"))?;
            self.tell_requester(&tx, actor, r, "alignment-declined", &parent.goal.title, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    async fn tell_requester(
        &self,
        tx: &WriteTxn,
        actor: &Actor,
        r: &alignment_request::Model,
        kind: &'static str,
        parent_title: &str,
        now: DateTime<Utc>,
    ) -> AppResult<()> {
        let Some(user) = r.requested_by else { return Ok(()) };
        let m = Message { kind, entity_type: "goal", entity_id: r.child_goal_id, subject: parent_title, body: None };
        notify(tx, actor, now, &[user], m);
        Ok(())
    }

    /// A pending request the actor may decide (`deciding`: may change the parent) or withdraw
    /// (may change the child), with the parent; one they may not even see is not found.
    async fn pending_request(
        &self,
        actor: &Actor,
        id: Uuid,
        deciding: bool,
    ) -> AppResult<(alignment_request::Model, GoalRecord)> {
        let c = self.c();
        let r = repo::get(c, id).await?.ok_or(AppError::NotFound("alignment request"))?;
        let parent = goals_repo::goal(c, r.parent_goal_id).await?.ok_or(AppError::NotFound("alignment request"))?;
        let child = goals_repo::goal(c, r.child_goal_id).await?.ok_or(AppError::NotFound("alignment request"))?;
        let side = if deciding { &parent } else { &child };
        if !self.may(actor, Action::Read, side).await? {
            return Err(AppError::NotFound("alignment request"));
        }
        if !self.may(actor, Action::Write, side).await? {
            return Err(AppError::Forbidden);
        }
        if r.state != "pending" {
            return Err(AppError::field("state", "already_decided", "this request has been decided"));
        }
        Ok((r, parent))
    }
}
