//! Reuse of one's history (G-8): the actor's goals of an earlier period copied into another as
//! drafts — same titles, frameworks, weights and key results, values back at their start — to
//! adjust, align to the new period's goals and submit.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_store::entities::goal;
use waymark_store::repo::goals::{self as repo, GoalRecord};

use super::evaluate::{Fixed, evaluate};
use super::{GoalService, MyGoals, goal_audit_json};
use crate::audit::entry;
use crate::policy::{Action, Actor};
use crate::{AppError, AppResult};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReuseInput {
    /// The period whose goals are copied.
    pub from_period_id: Uuid,
}

impl GoalService<'_> {
    /// Copies the actor's own goals of `from` (not archived, not already in `to` by title) into
    /// `to` as drafts, without alignment, and answers the actor's goals of `to`.
    pub async fn reuse_goals(&self, actor: &Actor, to: Uuid, input: ReuseInput) -> AppResult<MyGoals> {
        let me = actor.employee_id.ok_or(AppError::NotFound("employee"))?;
        let c = self.c();
        let from = input.from_period_id;
        if repo::period(c, to).await?.is_none() {
            return Err(AppError::NotFound("period"));
        }
        if from == to {
            return Err(AppError::field("from_period_id", "same_period", "choose another period to copy from"));
        }
        let from_period = repo::period(c, from)
            .await?
            .ok_or_else(|| AppError::field("from_period_id", "unknown_period", "no such period"))?;
        let existing: HashSet<String> = repo::goals(c, &repo::goal_ids_owned_by(c, me, to).await?)
            .await?
            .into_iter()
            .map(|r| r.goal.title)
            .collect();
        let now = self.app.clock.now();
        let mut copies: Vec<GoalRecord> = Vec::new();
        for r in repo::goals(c, &repo::goal_ids_owned_by(c, me, from).await?).await? {
            if r.goal.status == "archived" || existing.contains(&r.goal.title) {
                continue;
            }
            let id = Uuid::now_v7();
            let key_results = r
                .key_results
                .iter()
                .filter(|k| !k.archived)
                .map(|k| waymark_store::entities::key_result::Model {
                    id: Uuid::now_v7(),
                    goal_id: id,
                    current_e4: k.start_e4,
                    done: false,
                    progress_bp: 0,
                    created_at: now,
                    updated_at: now,
                    ..k.clone()
                })
                .collect();
            copies.push(GoalRecord {
                goal: goal::Model {
                    id,
                    period_id: to,
                    status: "draft".into(),
                    progress_bp: 0,
                    due_on: None,
                    created_by: actor.user_id,
                    created_at: now,
                    updated_at: now,
                    ..r.goal.clone()
                },
                owners: r.owners.clone(),
                key_results,
            });
        }
        self.require_all(actor, Action::Write, &copies.iter().collect::<Vec<_>>()).await?;
        // New drafts have nothing aligned to them yet: their progress is their own measures'.
        let none = HashMap::new();
        let ev = evaluate(&copies, &[], Fixed { goals: &none, key_results: &none, agreed: &Default::default() })
            .map_err(|_| AppError::Internal("a copied goal made a cycle".into()))?;
        super::evaluate::fill_progress(&mut copies, &ev);
        let why = format!("reused from {}", from_period.name);
        let audits = copies
            .iter()
            .map(|r| {
                let owner = r.owners.first().copied();
                entry(actor, now, "goal", r.goal.id, owner, "create", None, goal_audit_json(r), Some(why.clone()))
            })
            .collect();
        let tx = self.app.db.begin_write().await?;
        repo::insert_goals(&*tx, copies).await?;
        tx.audit(audits);
        tx.commit().await?;
        self.my_goals(actor, to).await
    }
}
