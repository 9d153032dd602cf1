//! Changing goals (G-11): editing, key results added or changed, archiving, removing an
//! alignment — free while the goal is a draft, with a reason once it is agreed (and through
//! approval again where the unit's rule says so); resource commitments (G-12); and the goal's
//! history read back from the audit chain.

use std::collections::{BTreeMap, HashMap, HashSet};
use waymark_store::WriteTxn;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::goals::workflow as flow;
use waymark_domain::org as rules;
use waymark_store::entities::goal_commitment;
use waymark_store::repo::goals::{self as repo, GoalRecord};
use waymark_store::repo::workflow as wf_repo;

use super::convert::{KeyResultInput, blank_key_result, check_key_result};
use super::workflow::clean;
use super::{GoalService, GoalView, MAX_KEY_RESULTS, WeightInput, convert, views};
use crate::audit::{entry, json};
use crate::inbox::{Message, notify};
use crate::policy::{Action, Actor, Resource, allowed};
use crate::{AppError, AppResult, FieldIssue};

/// Fields of a goal that can change; blank fields stay as they are.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct GoalPatch {
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub visibility: Option<String>,
    #[serde(default)]
    pub is_key: Option<bool>,
    /// Percent, 0–100, among the owner's goals of the period; send `clear_weight` to blank it.
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    pub clear_weight: Option<bool>,
    #[serde(default)]
    #[schema(format = Date)]
    pub due_on: Option<String>,
    /// New owners, in order (a team goal's co-owners); the actor must be able to set goals for
    /// each of them.
    #[serde(default)]
    pub owner_ids: Option<Vec<Uuid>>,
    /// New owners by employee number, instead of `owner_ids`.
    #[serde(default)]
    pub owner_nos: Option<Vec<String>>,
    /// Required once the goal is approved or filed (G-11).
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct KeyResultChange {
    pub key_result: KeyResultInput,
    /// Required once the goal is approved or filed (G-11).
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct ReasonInput {
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CommitmentInput {
    #[schema(pattern = "^(training|budget|collaboration|people|other)$")]
    pub kind: String,
    pub description: String,
    /// Who promised it; default: the actor.
    #[serde(default)]
    pub provider_id: Option<Uuid>,
    #[serde(default)]
    #[schema(format = Date)]
    pub due_on: Option<String>,
}

pub const COMMITMENT_KINDS: [&str; 5] = ["training", "budget", "collaboration", "people", "other"];

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CommitmentView {
    pub id: Uuid,
    pub kind: String,
    pub description: String,
    pub provider_id: Option<Uuid>,
    pub provider_name: Option<String>,
    pub due_on: Option<chrono::NaiveDate>,
    pub done: bool,
    pub done_at: Option<DateTime<Utc>>,
}

/// One field's before and after in a history entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryEntry {
    pub at: DateTime<Utc>,
    /// The sign-in (or `system:<what>`) the audit log records.
    pub actor: String,
    /// The person's name, as a page shows it; none for the system (an import, the demo, a job).
    pub actor_name: Option<String>,
    /// What changed: goal, key_result or goal_commitment.
    pub entity_type: String,
    /// create, submit, approve, return, file, update, progress, align, unalign, archive …
    pub action: String,
    pub reason: Option<String>,
    pub changes: Vec<FieldChange>,
}

/// Snapshot fields that hold ids, meaningless on a history page (the audit log keeps them).
/// Owners and the goals supported are ids too, but shown: the history names them.
const ID_FIELDS: [&str; 3] = ["period_id", "unit_id", "key_result_id"];
/// Fields naming the goals a goal supports, by id.
const GOAL_FIELDS: [&str; 2] = ["supports", "parent"];

/// The fields that differ between two audit snapshots (JSON objects), in name order, without
/// the ones that only hold ids (a goal's history and the audit log show them as sentences).
pub fn field_changes(before: Option<&str>, after: Option<&str>) -> Vec<FieldChange> {
    let obj = |s: Option<&str>| -> BTreeMap<String, serde_json::Value> {
        s.and_then(|s| serde_json::from_str(s).ok()).unwrap_or_default()
    };
    let (b, a) = (obj(before), obj(after));
    let text = |v: Option<&serde_json::Value>| match v {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s.clone()),
        Some(v) => Some(v.to_string()),
    };
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| b.get(*k) != a.get(*k) && !ID_FIELDS.contains(&k.as_str()))
        .map(|k| FieldChange { field: k.clone(), before: text(b.get(k)), after: text(a.get(k)) })
        // Absent before and blank after (or the reverse) is no change to tell.
        .filter(|c| c.before.is_some() || c.after.is_some())
        .collect()
}

impl GoalService<'_> {
    /// Whether a change may go ahead and with what reason: drafts change freely, goals under
    /// review wait for the decision, agreed goals need a reason (G-11), archived ones are closed.
    fn change_reason(r: &GoalRecord, reason: Option<&str>) -> AppResult<Option<String>> {
        let reason = clean(reason, "reason")?;
        match r.goal.status.as_str() {
            "submitted" => Err(AppError::field(
                "status",
                "under_review",
                "the goal is waiting for approval; ask the approver to return it first",
            )),
            "archived" => Err(AppError::field("status", "archived", "archived goals do not change")),
            s if flow::is_agreed(s) && reason.is_none() => {
                Err(AppError::field("reason", "reason_required", "an approved goal changes only with a reason"))
            }
            _ => Ok(reason),
        }
    }

    /// After a change to an agreed goal: back through approval where the rule says so.
    async fn after_change(
        &self,
        tx: &WriteTxn,
        actor: &Actor,
        r: &mut GoalRecord,
        reason: Option<&str>,
    ) -> AppResult<()> {
        let c = &**tx;
        if !flow::is_agreed(&r.goal.status) {
            return Ok(());
        }
        let route = self.route(c, r).await?;
        if route.nodes.change_approval {
            self.start_approval(tx, actor, r, &route, reason).await?;
        }
        Ok(())
    }

    /// The end of every change to a goal's measures or links, in its transaction: the audit
    /// record, the roll-up from the goal (or from `refresh`, e.g. the parent a link left),
    /// approval again where configured, commit, and the goal as it now stands.
    async fn finish_change(
        &self,
        tx: waymark_store::WriteTxn,
        actor: &Actor,
        r: &mut GoalRecord,
        audit: waymark_store::repo::audit::NewAudit,
        refresh: Option<Uuid>,
        reason: Option<&str>,
    ) -> AppResult<GoalView> {
        tx.audit(vec![audit]);
        self.refresh_upward(&*tx, &[refresh.unwrap_or(r.goal.id)]).await?;
        self.after_change(&tx, actor, r, reason).await?;
        tx.commit().await?;
        self.view(actor, r.goal.id).await
    }

    pub async fn update_goal(&self, actor: &Actor, id: Uuid, patch: GoalPatch) -> AppResult<GoalView> {
        let mut r = self.load(id).await?;
        self.require(actor, Action::Write, &r).await?;
        let reason = Self::change_reason(&r, patch.reason.as_deref())?;
        let before = views::goal_json(&r, &[]);
        let mut issues = Vec::new();
        if let Some(t) = &patch.title {
            match rules::required_text(t, 200) {
                Ok(t) => r.goal.title = t,
                Err(e) => issues.push(FieldIssue::new("title", e.code(), e.message())),
            }
        }
        if let Some(d) = &patch.description {
            match rules::optional_text(d, 4000) {
                Ok(d) => r.goal.description = d,
                Err(e) => issues.push(FieldIssue::new("description", e.code(), e.message())),
            }
        }
        if let Some(v) = &patch.visibility {
            if v == "public" || v == "private" {
                r.goal.visibility = v.clone();
            } else {
                issues.push(FieldIssue::new("visibility", "invalid_choice", "must be public or private"));
            }
        }
        if let Some(k) = patch.is_key {
            r.goal.is_key = k;
        }
        if patch.clear_weight == Some(true) {
            r.goal.weight_bp = None;
        } else if let Some(bp) = convert::weight_bp("weight", patch.weight, &mut issues) {
            r.goal.weight_bp = Some(bp);
        }
        if let Some(d) = &patch.due_on {
            match rules::parse_date(d) {
                Ok(d) => r.goal.due_on = d,
                Err(_) => issues.push(FieldIssue::new("due_on", "invalid_date", "is not a date (use YYYY-MM-DD)")),
            }
        }
        let owners_before = r.owners.clone();
        if let Some(owners) = self.patched_owners(&patch, &mut issues).await? {
            if owners.is_empty() && r.goal.level == "individual" {
                issues.push(FieldIssue::new("owner_ids", "required", "an individual goal needs an owner"));
            }
            r.owners = owners;
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let owners_changed = r.owners != owners_before;
        if owners_changed {
            // Adding an owner is setting a goal for them: allowed only for someone the actor
            // could set a goal for alone (being an owner already does not reach further).
            let added: Vec<GoalRecord> = r
                .owners
                .iter()
                .filter(|o| !owners_before.contains(o))
                .map(|o| GoalRecord { owners: vec![*o], ..r.clone() })
                .collect();
            self.require_all(actor, Action::Write, &added.iter().collect::<Vec<_>>()).await?;
        }
        let now = self.app.clock.now();
        r.goal.updated_at = now;
        let tx = self.app.db.begin_write().await?;
        repo::update_goal(&*tx, r.goal.clone()).await?;
        if owners_changed {
            repo::set_owners(&*tx, id, &r.owners).await?;
        }
        let after = views::goal_json(&r, &[]);
        let a = entry(actor, now, "goal", id, r.owners.first().copied(), "update", before, after, reason.clone());
        tx.audit(vec![a]);
        self.after_change(&tx, actor, &mut r, reason.as_deref()).await?;
        tx.commit().await?;
        self.view(actor, id).await
    }

    /// The owners a patch names (by id or employee number), deduplicated in order; `None`
    /// when it names none. Unknown people are named in `issues`.
    async fn patched_owners(&self, patch: &GoalPatch, issues: &mut Vec<FieldIssue>) -> AppResult<Option<Vec<Uuid>>> {
        const MAX_OWNERS: usize = 20;
        let c = self.c();
        let (field, ids) = match (&patch.owner_ids, &patch.owner_nos) {
            (Some(ids), _) => ("owner_ids", ids.clone()),
            (None, Some(nos)) => {
                let nos: Vec<String> = nos.iter().map(|n| n.trim().to_string()).filter(|n| !n.is_empty()).collect();
                let found: HashMap<String, Uuid> = waymark_store::repo::org::employees_by_nos(c, &nos)
                    .await?
                    .into_iter()
                    .map(|e| (e.employee_no, e.id))
                    .collect();
                let mut ids = Vec::new();
                for no in &nos {
                    match found.get(no) {
                        Some(id) => ids.push(*id),
                        None => {
                            issues.push(FieldIssue::new("owner_nos", "unknown_employee", format!("no employee {no}")))
                        }
                    }
                }
                ("owner_nos", ids)
            }
            (None, None) => return Ok(None),
        };
        let mut seen = HashSet::new();
        let ids: Vec<Uuid> = ids.into_iter().filter(|i| seen.insert(*i)).collect();
        if ids.len() > MAX_OWNERS {
            issues.push(FieldIssue::new(field, "too_many", format!("at most {MAX_OWNERS}")));
        }
        if field == "owner_ids" && waymark_store::repo::org::employees_by_ids(c, &ids).await?.len() != ids.len() {
            issues.push(FieldIssue::new(field, "unknown_employee", "no employee with this id"));
        }
        Ok(Some(ids))
    }

    pub async fn add_key_result(&self, actor: &Actor, goal_id: Uuid, input: KeyResultChange) -> AppResult<GoalView> {
        let mut r = self.load(goal_id).await?;
        self.require(actor, Action::Write, &r).await?;
        let reason = Self::change_reason(&r, input.reason.as_deref())?;
        if r.key_results.len() >= MAX_KEY_RESULTS {
            return Err(AppError::field("key_result", "too_many", format!("at most {MAX_KEY_RESULTS}")));
        }
        let now = self.app.clock.now();
        let position = r.key_results.iter().map(|k| k.position + 1).max().unwrap_or(0);
        let mut row = blank_key_result(goal_id, position, now);
        let mut issues = Vec::new();
        let mut k = [input.key_result.clone()];
        self.resolve_library(&mut k, |_| "key_result.library_item_id".into(), &mut issues).await?;
        check_key_result(&k[0], "key_result.", &mut row, &mut issues);
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let tx = self.app.db.begin_write().await?;
        repo::insert_key_result(&*tx, row.clone()).await?;
        let a = entry(
            actor,
            now,
            "key_result",
            row.id,
            r.owners.first().copied(),
            "create",
            None,
            views::kr_json(&row),
            reason.clone(),
        );
        self.finish_change(tx, actor, &mut r, a, None, reason.as_deref()).await
    }

    /// Replaces a key result's definition (title, kind, values, weight); its current value and
    /// done flag stay unless given.
    pub async fn edit_key_result(&self, actor: &Actor, kr_id: Uuid, input: KeyResultChange) -> AppResult<GoalView> {
        let old = repo::key_result(self.c(), kr_id).await?.ok_or(AppError::NotFound("key_result"))?;
        let mut r = self.load(old.goal_id).await?;
        self.require(actor, Action::Write, &r).await?;
        let reason = Self::change_reason(&r, input.reason.as_deref())?;
        let mut row = old.clone();
        let mut issues = Vec::new();
        let mut k = [input.key_result.clone()];
        self.resolve_library(&mut k, |_| "key_result.library_item_id".into(), &mut issues).await?;
        let [mut k] = k;
        k.current = k.current.or(old.current_e4.map(super::convert::from_e4));
        k.done = k.done.or(Some(old.done));
        check_key_result(&k, "key_result.", &mut row, &mut issues);
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = self.app.clock.now();
        row.updated_at = now;
        let tx = self.app.db.begin_write().await?;
        repo::update_key_result(&*tx, row.clone()).await?;
        let a = entry(
            actor,
            now,
            "key_result",
            kr_id,
            r.owners.first().copied(),
            "update",
            views::kr_json(&old),
            views::kr_json(&row),
            reason.clone(),
        );
        self.finish_change(tx, actor, &mut r, a, None, reason.as_deref()).await
    }

    /// Archives (or brings back) a key result: archived ones leave the weights (G-2, G-14).
    pub async fn archive_key_result(
        &self,
        actor: &Actor,
        kr_id: Uuid,
        archived: bool,
        input: ReasonInput,
    ) -> AppResult<GoalView> {
        let old = repo::key_result(self.c(), kr_id).await?.ok_or(AppError::NotFound("key_result"))?;
        let mut r = self.load(old.goal_id).await?;
        self.require(actor, Action::Write, &r).await?;
        let reason = Self::change_reason(&r, input.reason.as_deref())?;
        let now = self.app.clock.now();
        let row = waymark_store::entities::key_result::Model { archived, updated_at: now, ..old.clone() };
        let tx = self.app.db.begin_write().await?;
        repo::update_key_result(&*tx, row.clone()).await?;
        let action = if archived { "archive" } else { "restore" };
        let a = entry(
            actor,
            now,
            "key_result",
            kr_id,
            r.owners.first().copied(),
            action,
            views::kr_json(&old),
            views::kr_json(&row),
            reason.clone(),
        );
        self.finish_change(tx, actor, &mut r, a, None, reason.as_deref()).await
    }

    /// Archives a goal: it keeps its history and stops taking updates; a reason is always asked.
    pub async fn archive_goal(&self, actor: &Actor, id: Uuid, input: ReasonInput) -> AppResult<GoalView> {
        let mut r = self.load(id).await?;
        self.require(actor, Action::Write, &r).await?;
        let reason = Self::change_reason(&r, input.reason.as_deref())?;
        let now = self.app.clock.now();
        let before = r.goal.status.clone();
        r.goal.status = "archived".into();
        r.goal.updated_at = now;
        let tx = self.app.db.begin_write().await?;
        repo::update_goal(&*tx, r.goal.clone()).await?;
        wf_repo::clear_approval(&*tx, id).await?;
        // An archived goal no longer counts in its parents' progress (G-5).
        self.refresh_upward(&*tx, &[id]).await?;
        let (b, a) = (json(&serde_json::json!({"status": before})), json(&serde_json::json!({"status": "archived"})));
        let e = entry(actor, now, "goal", id, r.owners.first().copied(), "archive", b, a, reason);
        tx.audit(vec![e]);
        tx.commit().await?;
        self.view(actor, id).await
    }

    /// Removes one alignment link of a goal the actor may change, and rolls the old parent up.
    pub async fn unalign(&self, actor: &Actor, link_id: Uuid, input: ReasonInput) -> AppResult<GoalView> {
        let link = repo::link(self.c(), link_id).await?.ok_or(AppError::NotFound("alignment"))?;
        let mut r = self.load(link.child_goal_id).await?;
        self.require(actor, Action::Write, &r).await?;
        let reason = Self::change_reason(&r, input.reason.as_deref())?;
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        repo::delete_link(&*tx, link_id).await?;
        let before = json(&serde_json::json!({"supports": link.parent_goal_id}));
        let e =
            entry(actor, now, "goal", r.goal.id, r.owners.first().copied(), "unalign", before, None, reason.clone());
        self.finish_change(tx, actor, &mut r, e, Some(link.parent_goal_id), reason.as_deref()).await
    }

    /// Changes how much an alignment link contributes to its parent (blank: an equal share),
    /// with a reason for an agreed goal, recorded in the goal's history (G-5, G-11). Whoever
    /// may change the supporting goal may; the parent is rolled up again.
    pub async fn reweight(&self, actor: &Actor, link_id: Uuid, input: WeightInput) -> AppResult<GoalView> {
        let link = repo::link(self.c(), link_id).await?.ok_or(AppError::NotFound("alignment"))?;
        let mut r = self.load(link.child_goal_id).await?;
        self.require(actor, Action::Write, &r).await?;
        let reason = Self::change_reason(&r, input.reason.as_deref())?;
        let mut issues = Vec::new();
        let weight_bp = convert::weight_bp("weight", input.weight, &mut issues);
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        if weight_bp == link.weight_bp {
            return Err(AppError::field("weight", "weight_unchanged", "the link already has this weight"));
        }
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        repo::set_link_weight(&*tx, link_id, weight_bp).await?;
        let weight = |bp: Option<i32>| bp.map(|b| b as f64 / convert::BP);
        let before = json(&serde_json::json!({"supports": link.parent_goal_id, "weight": weight(link.weight_bp)}));
        let after = json(&serde_json::json!({"supports": link.parent_goal_id, "weight": weight(weight_bp)}));
        let e =
            entry(actor, now, "goal", r.goal.id, r.owners.first().copied(), "reweight", before, after, reason.clone());
        self.finish_change(tx, actor, &mut r, e, Some(link.parent_goal_id), reason.as_deref()).await
    }

    // ---- resource commitments (G-12) ---------------------------------------------------------

    /// The manager (or HR) records support promised for a goal; the owners are told.
    pub async fn add_commitment(&self, actor: &Actor, goal_id: Uuid, input: CommitmentInput) -> AppResult<GoalView> {
        let r = self.load(goal_id).await?;
        let facts = self.facts(actor, &[&r]).await?[0];
        if !allowed(actor, Action::Write, Resource::GoalCommitment, facts) {
            return Err(AppError::Forbidden);
        }
        let mut issues = Vec::new();
        if !COMMITMENT_KINDS.contains(&input.kind.as_str()) {
            issues.push(FieldIssue::new(
                "kind",
                "invalid_choice",
                format!("must be one of {}", COMMITMENT_KINDS.join(", ")),
            ));
        }
        let description = rules::required_text(&input.description, 500)
            .map_err(|e| issues.push(FieldIssue::new("description", e.code(), e.message())))
            .unwrap_or_default();
        let due_on = rules::parse_date(input.due_on.as_deref().unwrap_or(""))
            .map_err(|_| issues.push(FieldIssue::new("due_on", "invalid_date", "is not a date (use YYYY-MM-DD)")))
            .ok()
            .flatten();
        let provider = input.provider_id.or(actor.employee_id);
        if let Some(p) = input.provider_id
            && waymark_store::repo::org::employee(self.c(), p).await?.is_none()
        {
            issues.push(FieldIssue::new("provider_id", "unknown_employee", "no employee with this id"));
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = self.app.clock.now();
        let m = goal_commitment::Model {
            id: Uuid::now_v7(),
            goal_id,
            kind: input.kind,
            description,
            provider_id: provider,
            due_on,
            done_at: None,
            created_by: actor.user_id,
            created_at: now,
        };
        let tx = self.app.db.begin_write().await?;
        wf_repo::insert_commitment(&*tx, m.clone()).await?;
        let after = json(&serde_json::json!({"kind": m.kind, "description": m.description, "due_on": m.due_on}));
        let e = entry(actor, now, "goal_commitment", m.id, r.owners.first().copied(), "create", None, after, None);
        tx.audit(vec![e]);
        let owners = self.owner_users(&*tx, &r).await?;
        let msg = Message {
            kind: "goal-commitment",
            entity_type: "goal",
            entity_id: goal_id,
            subject: &r.goal.title,
            body: Some(&m.description),
        };
        notify(&tx, actor, now, &owners, msg);
        tx.commit().await?;
        self.view(actor, goal_id).await
    }

    /// Marks a commitment done (or open again): anyone who may change the goal, or who promised it.
    pub async fn complete_commitment(&self, actor: &Actor, id: Uuid, done: bool) -> AppResult<GoalView> {
        let mut m = wf_repo::commitment(self.c(), id).await?.ok_or(AppError::NotFound("commitment"))?;
        let r = self.load(m.goal_id).await?;
        let is_provider = m.provider_id.is_some() && m.provider_id == actor.employee_id;
        if !is_provider {
            self.require(actor, Action::Write, &r).await?;
        }
        let now = self.app.clock.now();
        let before = json(&serde_json::json!({"done": m.done_at.is_some()}));
        m.done_at = done.then_some(now);
        let tx = self.app.db.begin_write().await?;
        wf_repo::update_commitment(&*tx, m.clone()).await?;
        let after = json(&serde_json::json!({"done": done}));
        let e = entry(
            actor,
            now,
            "goal_commitment",
            id,
            r.owners.first().copied(),
            if done { "done" } else { "reopen" },
            before,
            after,
            None,
        );
        tx.audit(vec![e]);
        tx.commit().await?;
        self.view(actor, r.goal.id).await
    }

    pub(super) async fn commitment_views(&self, goal_id: Uuid) -> AppResult<Vec<CommitmentView>> {
        let c = self.c();
        let rows = wf_repo::commitments(c, goal_id).await?;
        let ids: Vec<Uuid> = rows.iter().filter_map(|m| m.provider_id).collect();
        let people = waymark_store::repo::org::employees_by_ids(c, &ids).await?;
        Ok(rows
            .into_iter()
            .map(|m| CommitmentView {
                provider_name: m.provider_id.and_then(|p| people.iter().find(|e| e.id == p)).map(|e| e.name.clone()),
                id: m.id,
                kind: m.kind,
                description: m.description,
                provider_id: m.provider_id,
                due_on: m.due_on,
                done: m.done_at.is_some(),
                done_at: m.done_at,
            })
            .collect())
    }

    // ---- history (G-11) ----------------------------------------------------------------------

    /// Who changed what, when and why: the goal's records in the audit chain, with its key
    /// results' and commitments', oldest first.
    pub async fn history(&self, actor: &Actor, id: Uuid) -> AppResult<Vec<HistoryEntry>> {
        Ok(self.newest_history(actor, id, waymark_store::repo::audit::HISTORY_LIMIT).await?.0)
    }

    /// The goal's newest `limit` history entries, oldest first, and how many it has in all.
    pub async fn newest_history(&self, actor: &Actor, id: Uuid, limit: u64) -> AppResult<(Vec<HistoryEntry>, u64)> {
        let r = self.load(id).await?;
        if !self.may(actor, Action::Read, &r).await? {
            return Err(AppError::NotFound("goal"));
        }
        let c = self.c();
        let krs: Vec<Uuid> = r.key_results.iter().map(|k| k.id).collect();
        let commitments: Vec<Uuid> = wf_repo::commitments(c, id).await?.iter().map(|m| m.id).collect();
        let (rows, total) = waymark_store::repo::audit::newest_history(
            c,
            &[("goal", vec![id]), ("key_result", krs), ("goal_commitment", commitments)],
            limit,
        )
        .await?;
        let mut entries: Vec<HistoryEntry> = rows
            .into_iter()
            .map(|e| HistoryEntry {
                changes: field_changes(e.before.as_deref(), e.after.as_deref()),
                at: crate::audit::instant(&e.occurred_at),
                actor_name: e.actor_user_id.map(|u| u.to_string()),
                actor: e.actor,
                entity_type: e.entity_type,
                action: e.action,
                reason: e.reason,
            })
            .collect();
        self.name_owner_changes(&mut entries).await?;
        self.name_goal_changes(actor, &mut entries).await?;
        self.name_actors(&mut entries).await?;
        Ok((entries, total))
    }

    /// Who acted, by their name: the account's display name (its person's name), one read per
    /// person; the system's own entries stay unnamed.
    async fn name_actors(&self, entries: &mut [HistoryEntry]) -> AppResult<()> {
        let mut names: HashMap<String, Option<String>> = HashMap::new();
        for e in entries.iter_mut() {
            let Some(id) = e.actor_name.take() else { continue };
            if !names.contains_key(&id) {
                let user = match Uuid::parse_str(&id) {
                    Ok(u) => waymark_store::repo::accounts::user(self.c(), u).await?,
                    Err(_) => None,
                };
                names.insert(id.clone(), user.map(|u| u.display_name).filter(|n| !n.is_empty()));
            }
            // An account since removed: its sign-in is all that is known.
            e.actor_name = names[&id].clone().or_else(|| Some(e.actor.clone()));
        }
        Ok(())
    }

    /// The goals a goal supported (or asked to), by their titles as far as the reader may see
    /// them; a goal they may not read is left blank.
    async fn name_goal_changes(&self, actor: &Actor, entries: &mut [HistoryEntry]) -> AppResult<()> {
        let ids_in = |v: &Option<String>| -> Vec<Uuid> {
            let Some(s) = v.as_deref() else { return vec![] };
            serde_json::from_str::<Vec<Uuid>>(s)
                .ok()
                .or_else(|| Uuid::parse_str(s.trim_matches('"')).ok().map(|u| vec![u]))
                .unwrap_or_default()
        };
        let goal_changes =
            || entries.iter().flat_map(|e| &e.changes).filter(|c| GOAL_FIELDS.contains(&c.field.as_str()));
        let ids: Vec<Uuid> = goal_changes().flat_map(|c| [ids_in(&c.before), ids_in(&c.after)].concat()).collect();
        if ids.is_empty() {
            return Ok(());
        }
        let records = repo::goals_without_key_results(self.c(), &ids).await?;
        let titles: HashMap<Uuid, String> =
            self.readable(actor, records).await?.into_iter().map(|r| (r.goal.id, r.goal.title)).collect();
        let named = |v: &Option<String>| {
            let list: Vec<String> = ids_in(v).iter().filter_map(|i| titles.get(i).cloned()).collect();
            (!list.is_empty()).then(|| serde_json::to_string(&list).unwrap_or_default())
        };
        for c in entries.iter_mut().flat_map(|e| e.changes.iter_mut()) {
            if GOAL_FIELDS.contains(&c.field.as_str()) {
                (c.before, c.after) = (named(&c.before), named(&c.after));
            }
        }
        Ok(())
    }

    /// Owner changes as "name (employee number)" instead of ids, in one read.
    async fn name_owner_changes(&self, entries: &mut [HistoryEntry]) -> AppResult<()> {
        let ids_in = |v: &Option<String>| -> Vec<Uuid> {
            v.as_deref().and_then(|s| serde_json::from_str::<Vec<Uuid>>(s).ok()).unwrap_or_default()
        };
        let owner_changes = || entries.iter().flat_map(|e| &e.changes).filter(|c| c.field == "owners");
        let ids: Vec<Uuid> = owner_changes().flat_map(|c| [ids_in(&c.before), ids_in(&c.after)].concat()).collect();
        if ids.is_empty() {
            return Ok(());
        }
        let names: HashMap<Uuid, String> = waymark_store::repo::org::employees_by_ids(self.c(), &ids)
            .await?
            .into_iter()
            .map(|e| (e.id, format!("{} ({})", e.name, e.employee_no)))
            .collect();
        let named = |v: &Option<String>| {
            v.as_ref().map(|_| {
                ids_in(v).iter().map(|i| names.get(i).cloned().unwrap_or_default()).collect::<Vec<_>>().join(", ")
            })
        };
        for c in entries.iter_mut().flat_map(|e| e.changes.iter_mut()).filter(|c| c.field == "owners") {
            (c.before, c.after) = (named(&c.before), named(&c.after));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn g11_history_shows_only_the_fields_that_changed() {
        let d = super::field_changes(
            Some(r#"{"title":"A","weight_bp":5000,"done":false}"#),
            Some(r#"{"title":"B","weight_bp":5000,"done":true}"#),
        );
        let got: Vec<_> = d.iter().map(|c| (c.field.as_str(), c.before.as_deref(), c.after.as_deref())).collect();
        assert_eq!(got, vec![("done", Some("false"), Some("true")), ("title", Some("A"), Some("B"))]);
        let created = super::field_changes(None, Some(r#"{"title":"A"}"#));
        assert_eq!(created[0].before, None);
        assert_eq!(created[0].after.as_deref(), Some("A"));
    }
}
