//! The goal-setting workflow (G-10): submit, approve or return with comments, HR filing, the
//! approval queue, the approval nodes per unit and level, and the inbox messages each step
//! sends. The domain (`waymark_domain::goals::workflow`) decides the path and the statuses.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::goals::workflow::{self as flow, Approvers, Nodes, Rule, Step};
use waymark_store::WriteTxn;
use waymark_store::entities::{goal_approval, goal_approval_rule};
use waymark_store::repo::goals::{self as repo, GoalRecord};
use waymark_store::repo::org as org_repo;
use waymark_store::repo::workflow as wf_repo;

use super::{GoalService, GoalSummary, LEVELS};
use crate::audit::entry;
use crate::inbox::{Message, notify};
use crate::policy::{Action, Actor, Facts, Resource, Scope, allowed};
use crate::{AppError, AppResult};

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SubmitInput {
    /// A note for the approver.
    #[serde(default)]
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct DecisionInput {
    #[schema(pattern = "^(approve|return)$")]
    pub decision: String,
    /// Required when returning: what to change.
    #[serde(default)]
    pub comment: Option<String>,
}

/// A goal waiting for the actor's decision.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PendingApproval {
    pub goal: GoalSummary,
    /// manager, skip_level or hr_filing.
    pub step: String,
    pub submitted_at: DateTime<Utc>,
    /// Why an agreed goal was changed, when the change is approved again (G-11).
    pub reason: Option<String>,
}

/// Where a goal stands in the workflow, as its page shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkflowState {
    /// The step it waits at, if submitted.
    pub pending_step: Option<String>,
    /// The steps it passes, in order (as resolved now for drafts, as submitted otherwise).
    pub path: Vec<String>,
    pub can_submit: bool,
    pub can_decide: bool,
    /// Why it was returned, when it was.
    pub returned_comment: Option<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct ApprovalRuleInput {
    /// Blank: the organization's default.
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    /// A goal level (company, unit, team, individual); blank: every level.
    #[serde(default)]
    pub level: Option<String>,
    pub manager_review: bool,
    pub skip_level: bool,
    pub hr_filing: bool,
    /// Changes to agreed goals go through approval again (otherwise a reason suffices).
    pub change_approval: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApprovalRuleView {
    pub unit_id: Option<Uuid>,
    pub unit_name: Option<String>,
    pub level: Option<String>,
    pub manager_review: bool,
    pub skip_level: bool,
    pub hr_filing: bool,
    pub change_approval: bool,
}

/// Everything a goal's path depends on, resolved from the organization as it is now.
pub(super) struct Route {
    pub nodes: Nodes,
    pub path: Vec<Step>,
    pub manager: Option<Uuid>,
    pub skip_level: Option<Uuid>,
    /// The goal's unit (or its first owner's), whose HR files it.
    pub unit: Option<Uuid>,
    /// That unit and its ancestors, nearest first.
    pub unit_chain: Vec<Uuid>,
}

fn path_text(path: &[Step]) -> String {
    path.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
}

fn parse_path(s: &str) -> Vec<Step> {
    s.split(',').filter_map(Step::parse).collect()
}

fn rule_of(m: &goal_approval_rule::Model) -> Rule {
    Rule {
        unit_id: m.unit_id,
        level: m.level.clone(),
        nodes: Nodes {
            manager: m.manager_review,
            skip_level: m.skip_level,
            hr_filing: m.hr_filing,
            change_approval: m.change_approval,
        },
    }
}

impl GoalService<'_> {
    /// The approval path of a goal under today's organization and rules.
    pub(super) async fn route<C: waymark_store::sea_orm::ConnectionTrait>(
        &self,
        c: &C,
        r: &GoalRecord,
    ) -> AppResult<Route> {
        let first_owner = match r.owners.first() {
            Some(o) => org_repo::employee(c, *o).await?,
            None => None,
        };
        let unit = r.goal.unit_id.or(first_owner.as_ref().map(|e| e.unit_id));
        let mut unit_chain = Vec::new();
        if let Some(u) = unit {
            unit_chain.push(u);
            unit_chain.extend(org_repo::unit_ancestors(c, u).await?);
        }
        let rules: Vec<Rule> = wf_repo::rules(c).await?.iter().map(rule_of).collect();
        let nodes = flow::resolve(&unit_chain, &r.goal.level, &rules);
        let manager = first_owner.and_then(|e| e.manager_id);
        let skip_level = match manager {
            Some(m) => org_repo::employee(c, m).await?.and_then(|e| e.manager_id),
            None => None,
        };
        let approvers = Approvers { manager: manager.is_some(), skip_level: skip_level.is_some() };
        let path = flow::steps(nodes, approvers);
        Ok(Route { nodes, path, manager, skip_level, unit, unit_chain })
    }

    /// The accounts to tell that `step` waits for them.
    async fn step_recipients<C: waymark_store::sea_orm::ConnectionTrait>(
        &self,
        c: &C,
        step: Step,
        approver: Option<Uuid>,
        unit_chain: &[Uuid],
    ) -> AppResult<Vec<Uuid>> {
        Ok(match step {
            Step::Manager | Step::SkipLevel => {
                wf_repo::users_of_employees(c, &approver.into_iter().collect::<Vec<_>>()).await?
            }
            Step::HrFiling => wf_repo::hr_users_covering(c, unit_chain).await?,
        })
    }

    pub(super) async fn owner_users<C: waymark_store::sea_orm::ConnectionTrait>(
        &self,
        c: &C,
        r: &GoalRecord,
    ) -> AppResult<Vec<Uuid>> {
        Ok(wf_repo::users_of_employees(c, &r.owners).await?)
    }

    /// Puts a goal on its path from the first step: the pending row, the status, the message to
    /// whoever must act. Used by submission and by changes that need approval again (G-11).
    pub(super) async fn start_approval(
        &self,
        tx: &WriteTxn,
        actor: &Actor,
        r: &mut GoalRecord,
        route: &Route,
        reason: Option<&str>,
    ) -> AppResult<()> {
        let c = &**tx;
        let now = self.app.clock.now();
        let next = flow::next_step(&route.path, None);
        r.goal.status = flow::status_while(next, &route.path).to_string();
        r.goal.updated_at = now;
        repo::update_goal(c, r.goal.clone()).await?;
        // Agreed or not, the goal counts in its parents' progress only when agreed (G-5).
        self.refresh_upward(c, &[r.goal.id]).await?;
        match next {
            Some(step) => self.wait_at(tx, actor, r, route, step, reason).await?,
            None => wf_repo::clear_approval(c, r.goal.id).await?,
        }
        Ok(())
    }

    async fn wait_at(
        &self,
        tx: &WriteTxn,
        actor: &Actor,
        r: &GoalRecord,
        route: &Route,
        step: Step,
        reason: Option<&str>,
    ) -> AppResult<()> {
        let c = &**tx;
        let approver = match step {
            Step::Manager => route.manager,
            Step::SkipLevel => route.skip_level,
            Step::HrFiling => None,
        };
        let now = self.app.clock.now();
        wf_repo::put_approval(
            c,
            goal_approval::Model {
                goal_id: r.goal.id,
                step: step.as_str().into(),
                path: path_text(&route.path),
                approver_id: approver,
                unit_id: route.unit,
                submitted_by: actor.user_id,
                submitted_at: now,
                reason: reason.map(str::to_string),
            },
        )
        .await?;
        let recipients = self.step_recipients(c, step, approver, &route.unit_chain).await?;
        let kind = if step == Step::HrFiling { "goal-to-file" } else { "goal-to-approve" };
        let m = Message { kind, entity_type: "goal", entity_id: r.goal.id, subject: &r.goal.title, body: reason };
        notify(tx, actor, now, &recipients, m);
        Ok(())
    }

    /// Draft or returned → on its way to the first approver (G-10).
    pub async fn submit(&self, actor: &Actor, goal_id: Uuid, input: SubmitInput) -> AppResult<super::GoalView> {
        let mut r = self.load(goal_id).await?;
        self.require(actor, Action::Write, &r).await?;
        if !flow::is_open(&r.goal.status) {
            return Err(AppError::field("status", "not_open", "only draft or returned goals can be submitted"));
        }
        let comment = clean(input.comment.as_deref(), "comment")?;
        let tx = self.app.db.begin_write().await?;
        let route = self.route(&*tx, &r).await?;
        self.start_approval(&tx, actor, &mut r, &route, None).await?;
        let after = crate::audit::json(&serde_json::json!({"status": r.goal.status, "path": path_text(&route.path)}));
        let a = entry(
            actor,
            self.app.clock.now(),
            "goal",
            goal_id,
            r.owners.first().copied(),
            "submit",
            None,
            after,
            comment,
        );
        tx.audit(vec![a]);
        tx.commit().await?;
        self.view(actor, goal_id).await
    }

    /// How the actor stands to a pending step: named approver, or HR of the goal's unit.
    fn approval_facts(actor: &Actor, a: &goal_approval::Model) -> Facts {
        match Step::parse(&a.step) {
            Some(Step::HrFiling) => Facts {
                in_hr_scope: crate::org::OrgService::facts_for_unit(actor, a.unit_id).in_hr_scope,
                ..Facts::default()
            },
            _ => Facts { assigned: a.approver_id.is_some() && actor.employee_id == a.approver_id, ..Facts::default() },
        }
    }

    /// Approve (on to the next step, or agreed) or return with comments (G-10).
    pub async fn decide(&self, actor: &Actor, goal_id: Uuid, input: DecisionInput) -> AppResult<super::GoalView> {
        let mut r = self.load(goal_id).await?;
        let pending = wf_repo::approval(self.c(), goal_id)
            .await?
            .ok_or_else(|| AppError::field("status", "not_pending", "this goal is not waiting for a decision"))?;
        if !allowed(actor, Action::Write, Resource::GoalApproval, Self::approval_facts(actor, &pending)) {
            return Err(AppError::Forbidden);
        }
        let comment = clean(input.comment.as_deref(), "comment")?;
        let step = Step::parse(&pending.step).ok_or_else(|| AppError::Internal("unknown approval step".into()))?;
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        let owners = self.owner_users(&*tx, &r).await?;
        let action = match input.decision.as_str() {
            "approve" => {
                let path = parse_path(&pending.path);
                let next = flow::next_step(&path, Some(step));
                r.goal.status = flow::status_while(next, &path).to_string();
                r.goal.updated_at = now;
                repo::update_goal(&*tx, r.goal.clone()).await?;
                self.refresh_upward(&*tx, &[goal_id]).await?;
                match next {
                    Some(n) => {
                        let route = self.route(&*tx, &r).await?;
                        let route = Route { path, ..route };
                        self.wait_at(&tx, actor, &r, &route, n, pending.reason.as_deref()).await?;
                    }
                    None => wf_repo::clear_approval(&*tx, goal_id).await?,
                }
                let kind = if step == Step::HrFiling { "goal-filed" } else { "goal-approved" };
                let m = Message {
                    kind,
                    entity_type: "goal",
                    entity_id: goal_id,
                    subject: &r.goal.title,
                    body: comment.as_deref(),
                };
                notify(&tx, actor, now, &owners, m);
                if step == Step::HrFiling { "file" } else { "approve" }
            }
            "return" => {
                let Some(why) = comment.as_deref() else {
                    return Err(AppError::field("comment", "required", "say what should change"));
                };
                r.goal.status = "returned".into();
                r.goal.updated_at = now;
                repo::update_goal(&*tx, r.goal.clone()).await?;
                self.refresh_upward(&*tx, &[goal_id]).await?;
                wf_repo::clear_approval(&*tx, goal_id).await?;
                let m = Message {
                    kind: "goal-returned",
                    entity_type: "goal",
                    entity_id: goal_id,
                    subject: &r.goal.title,
                    body: Some(why),
                };
                notify(&tx, actor, now, &owners, m);
                "return"
            }
            _ => return Err(AppError::field("decision", "invalid_choice", "must be approve or return")),
        };
        let after = crate::audit::json(&serde_json::json!({"status": r.goal.status, "step": pending.step}));
        let a = entry(actor, now, "goal", goal_id, r.owners.first().copied(), action, None, after, comment);
        tx.audit(vec![a]);
        tx.commit().await?;
        self.view(actor, goal_id).await
    }

    /// Goals waiting for the actor: as named approver, and as HR for filing in their units.
    pub async fn approval_queue(&self, actor: &Actor) -> AppResult<Vec<PendingApproval>> {
        let c = self.c();
        let mut pending = match actor.employee_id {
            Some(me) => wf_repo::waiting_for_employee(c, me).await?,
            None => vec![],
        };
        match &actor.hr {
            Some(Scope::Organization) => pending.extend(wf_repo::waiting_for_filing(c, None).await?),
            Some(Scope::Units(units)) => {
                let units: Vec<Uuid> = units.iter().copied().collect();
                pending.extend(wf_repo::waiting_for_filing(c, Some(&units)).await?)
            }
            None => {}
        }
        pending.retain(|a| allowed(actor, Action::Read, Resource::GoalApproval, Self::approval_facts(actor, a)));
        pending.sort_by_key(|a| a.submitted_at);
        let ids: Vec<Uuid> = pending.iter().map(|a| a.goal_id).collect();
        let records = repo::goals(c, &ids).await?;
        let summaries = self.summaries(&records).await?;
        Ok(pending
            .into_iter()
            .filter_map(|a| {
                let goal = summaries.iter().find(|s| s.id == a.goal_id)?.clone();
                Some(PendingApproval { goal, step: a.step, submitted_at: a.submitted_at, reason: a.reason })
            })
            .collect())
    }

    /// The workflow part of a goal's page.
    pub(super) async fn workflow_state(
        &self,
        actor: &Actor,
        r: &GoalRecord,
        can_edit: bool,
    ) -> AppResult<WorkflowState> {
        let c = self.c();
        let pending = wf_repo::approval(c, r.goal.id).await?;
        let path = match &pending {
            Some(p) => parse_path(&p.path),
            None => self.route(c, r).await?.path,
        };
        let returned_comment = if r.goal.status == "returned" {
            let h = waymark_store::repo::audit::history(c, &[("goal", vec![r.goal.id])]).await?;
            h.into_iter().rev().find(|e| e.action == "return").and_then(|e| e.reason)
        } else {
            None
        };
        Ok(WorkflowState {
            can_decide: pending
                .as_ref()
                .is_some_and(|p| allowed(actor, Action::Write, Resource::GoalApproval, Self::approval_facts(actor, p))),
            pending_step: pending.map(|p| p.step),
            path: path.iter().map(|s| s.as_str().to_string()).collect(),
            can_submit: can_edit && flow::is_open(&r.goal.status),
            returned_comment,
        })
    }

    // ---- approval nodes ----------------------------------------------------------------------

    pub async fn approval_rules(&self, actor: &Actor) -> AppResult<Vec<ApprovalRuleView>> {
        if !allowed(actor, Action::Read, Resource::ApprovalRules, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let c = self.c();
        let rules = wf_repo::rules(c).await?;
        let unit_ids: Vec<Uuid> = rules.iter().filter_map(|r| r.unit_id).collect();
        let units = org_repo::units_by_ids(c, &unit_ids).await?;
        Ok(rules
            .into_iter()
            .map(|r| ApprovalRuleView {
                unit_name: r.unit_id.and_then(|u| units.iter().find(|x| x.id == u)).map(|u| u.name.clone()),
                unit_id: r.unit_id,
                level: r.level,
                manager_review: r.manager_review,
                skip_level: r.skip_level,
                hr_filing: r.hr_filing,
                change_approval: r.change_approval,
            })
            .collect())
    }

    /// Sets the nodes for a unit (HR of that unit) or the organization (org-wide HR).
    pub async fn set_approval_rule(&self, actor: &Actor, input: ApprovalRuleInput) -> AppResult<Vec<ApprovalRuleView>> {
        if let Some(l) = &input.level
            && !LEVELS.contains(&l.as_str())
        {
            return Err(AppError::field("level", "invalid_choice", format!("must be one of {}", LEVELS.join(", "))));
        }
        if let Some(u) = input.unit_id
            && org_repo::unit(self.c(), u).await?.is_none()
        {
            return Err(AppError::field("unit_id", "unknown_unit", "no such unit"));
        }
        let facts = crate::org::OrgService::facts_for_unit(actor, input.unit_id);
        if !allowed(actor, Action::Write, Resource::ApprovalRules, facts) {
            return Err(AppError::Forbidden);
        }
        let now = self.app.clock.now();
        let row = goal_approval_rule::Model {
            id: Uuid::now_v7(),
            unit_id: input.unit_id,
            level: input.level.clone(),
            manager_review: input.manager_review,
            skip_level: input.skip_level,
            hr_filing: input.hr_filing,
            change_approval: input.change_approval,
            updated_at: now,
        };
        let tx = self.app.db.begin_write().await?;
        wf_repo::put_rule(&*tx, row.clone()).await?;
        let after = crate::audit::json(&input);
        let a = entry(actor, now, "goal_approval_rule", row.id, None, "set", None, after, None);
        tx.audit(vec![a]);
        tx.commit().await?;
        self.approval_rules(actor).await
    }
}

/// A trimmed optional comment, at most 2000 characters.
pub(super) fn clean(text: Option<&str>, field: &str) -> AppResult<Option<String>> {
    waymark_domain::org::optional_text(text.unwrap_or(""), 2000)
        .map_err(|e| AppError::field(field, e.code(), e.message()))
}
