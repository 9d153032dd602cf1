//! T-1 check-ins on a key result (a new value or %, confidence, note, files) or on a goal
//! (confidence, note, files), KPI actuals pushed by another system (T-4), and attachments kept
//! in the data directory and served only to people who may read the goal.

use std::collections::HashSet;
use std::path::PathBuf;
use waymark_domain::goals::period::Period;

use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::tracking::attachment::{self, FileType};
use waymark_domain::tracking::checkin::{Closed, accepts};
use waymark_store::entities::{check_in, check_in_attachment, key_result};
use waymark_store::repo::goals::{self as goals_repo, GoalRecord};
use waymark_store::repo::tracking as repo;
use waymark_store::sea_orm::ConnectionTrait;

use super::{CONFIDENCES, CheckInView, TrackingService, evaluate};
use crate::audit::{entry, json};
use crate::error::text_field;
use crate::goals::convert::{measure_of, to_e4};
use crate::policy::{Action, Actor, Resource, allowed};
use crate::{AppError, AppResult, FieldIssue};

/// A check-in on a key result. Give the new value as `current` (in the key result's unit) or
/// as `percent` of the way from start to target; deliverables take `done`. A check-in may
/// also carry only a confidence and a note ("no change this week, and here is why").
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct CheckInInput {
    #[serde(default)]
    pub current: Option<f64>,
    #[serde(default)]
    pub percent: Option<f64>,
    #[serde(default)]
    pub done: Option<bool>,
    /// The unit of `current`, if the sender states it: it must be the key result's unit.
    #[serde(default)]
    pub unit: Option<String>,
    /// on_track, at_risk or off_track.
    #[serde(default)]
    #[schema(pattern = "^(on_track|at_risk|off_track)$")]
    pub confidence: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A check-in on a goal as a whole: how sure the owner is and why.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct GoalCheckInInput {
    #[serde(default)]
    #[schema(pattern = "^(on_track|at_risk|off_track)$")]
    pub confidence: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A metric value pushed from another system (CRM, BI, ERP): a check-in by that system.
/// `external_id` makes a resend harmless: the same id for the same key result is recorded once.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct KpiActualInput {
    pub key_result_id: Uuid,
    pub value: f64,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub external_id: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A file as uploaded.
pub struct Upload {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// A file to send back, with the type we decided when it was accepted.
pub struct Attachment {
    pub file_name: String,
    pub content_type: String,
    pub inline: bool,
    pub bytes: Vec<u8>,
}

const NOTE_MAX: usize = 4000;

/// A goal open for check-ins, as read before the write began.
struct Writable {
    record: GoalRecord,
    period: Period,
}

/// What a check-in records, once checked.
struct Entry {
    key_result: Option<key_result::Model>,
    /// The key result after the new value, if it changed.
    updated: Option<key_result::Model>,
    confidence: Option<String>,
    note: Option<String>,
    source: &'static str,
    external_id: Option<String>,
    files: Vec<(Upload, FileType)>,
}

impl<'a> TrackingService<'a> {
    pub async fn check_in_key_result(
        &self,
        actor: &Actor,
        kr_id: Uuid,
        input: CheckInInput,
        files: Vec<Upload>,
    ) -> AppResult<CheckInView> {
        let kr = goals_repo::key_result(self.c(), kr_id).await?.ok_or(AppError::NotFound("key_result"))?;
        let goal = self.writable_goal(actor, kr.goal_id).await?;
        let mut issues = Vec::new();
        if kr.archived {
            issues.push(FieldIssue::new("key_result_id", "archived", "archived key results take no check-ins"));
        }
        let updated = new_value(&kr, &input, &mut issues);
        let confidence = check_confidence(input.confidence.as_deref(), &mut issues);
        let note = text_field("note", input.note.as_deref(), NOTE_MAX, &mut issues);
        if updated.is_none() && confidence.is_none() && note.is_none() && issues.is_empty() {
            let field = if kr.kind == "done" { "done" } else { "current" };
            issues.push(FieldIssue::new(field, "required", "give a new value, a confidence or a note"));
        }
        let files = self.check_files(0, files, &mut issues);
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let e = Entry { key_result: Some(kr), updated, confidence, note, source: "person", external_id: None, files };
        self.record(actor, &goal, e).await
    }

    pub async fn check_in_goal(
        &self,
        actor: &Actor,
        goal_id: Uuid,
        input: GoalCheckInInput,
        files: Vec<Upload>,
    ) -> AppResult<CheckInView> {
        let goal = self.writable_goal(actor, goal_id).await?;
        let mut issues = Vec::new();
        let confidence = check_confidence(input.confidence.as_deref(), &mut issues);
        let note = text_field("note", input.note.as_deref(), NOTE_MAX, &mut issues);
        if confidence.is_none() && note.is_none() && issues.is_empty() {
            issues.push(FieldIssue::new("confidence", "required", "give a confidence or a note"));
        }
        let files = self.check_files(0, files, &mut issues);
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let e = Entry { key_result: None, updated: None, confidence, note, source: "person", external_id: None, files };
        self.record(actor, &goal, e).await
    }

    /// A KPI actual from another system (T-4): recorded as that system's check-in, with the
    /// same checks as a person's; a resend with the same `external_id` returns the first.
    pub async fn push_actual(&self, actor: &Actor, input: KpiActualInput) -> AppResult<CheckInView> {
        let kr = goals_repo::key_result(self.c(), input.key_result_id)
            .await?
            .ok_or_else(|| AppError::field("key_result_id", "unknown", "no such key result"))?;
        let goal = self.writable_goal(actor, kr.goal_id).await?;
        let mut issues = Vec::new();
        let external_id = text_field("external_id", input.external_id.as_deref(), 200, &mut issues);
        if let Some(ext) = &external_id
            && let Some(first) = repo::check_in_by_external(self.c(), kr.id, ext).await?
        {
            return self.check_in_view(first).await;
        }
        if kr.archived {
            issues.push(FieldIssue::new("key_result_id", "archived", "archived key results take no values"));
        }
        if matches!(kr.kind.as_str(), "done" | "rollup") {
            issues.push(FieldIssue::new("key_result_id", "not_a_metric", "this key result takes no metric values"));
        }
        let as_check_in = CheckInInput { current: Some(input.value), unit: input.unit, ..Default::default() };
        let updated = if issues.is_empty() { new_value(&kr, &as_check_in, &mut issues) } else { None };
        let note = text_field("note", input.note.as_deref(), NOTE_MAX, &mut issues);
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let e =
            Entry { key_result: Some(kr), updated, confidence: None, note, source: "api", external_id, files: vec![] };
        self.record(actor, &goal, e).await
    }

    /// Adds files to an existing check-in: its author, or anyone who may change the goal.
    pub async fn attach(&self, actor: &Actor, check_in_id: Uuid, files: Vec<Upload>) -> AppResult<CheckInView> {
        let ci = repo::check_in(self.c(), check_in_id).await?.ok_or(AppError::NotFound("check_in"))?;
        self.writable_goal(actor, ci.goal_id).await?;
        let mut issues = Vec::new();
        if files.is_empty() {
            issues.push(FieldIssue::new("file", "required", "choose a file"));
        }
        let existing = repo::attachments_of_check_in(self.c(), ci.id).await?.len();
        let files = self.check_files(existing, files, &mut issues);
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = self.app.clock.now();
        let rows = self.write_files(&ci, &files, now).await?;
        let tx = self.app.db.begin_write().await?;
        let stored = async {
            repo::insert_attachments(&*tx, rows.clone()).await?;
            let after = json(&rows.iter().map(|r| &r.file_name).collect::<Vec<_>>());
            let a = entry(actor, now, "check_in", ci.id, None, "attach", None, after, None);
            tx.audit(vec![a]);
            AppResult::Ok(())
        }
        .await;
        match stored {
            Ok(()) => tx.commit().await?,
            Err(e) => {
                self.remove_files(&rows).await;
                return Err(e);
            }
        }
        self.check_in_view(ci).await
    }

    /// An attachment's bytes, to a reader of its goal (anyone else: not found).
    pub async fn attachment(&self, actor: &Actor, id: Uuid) -> AppResult<Attachment> {
        let a = repo::attachment(self.c(), id).await?.ok_or(AppError::NotFound("attachment"))?;
        self.readable_goal(actor, a.goal_id).await.map_err(|_| AppError::NotFound("attachment"))?;
        let bytes = tokio::fs::read(self.file_path(a.id))
            .await
            .map_err(|e| AppError::Internal(format!("attachment {} unreadable: {e}", a.id)))?;
        let inline = attachment::check(&a.file_name, &bytes, usize::MAX).map(|t| t.inline).unwrap_or(false);
        Ok(Attachment { file_name: a.file_name, content_type: a.content_type, inline, bytes })
    }

    // ---- shared ------------------------------------------------------------------------------

    /// The goal and whether the actor may change it, from one access check; a goal the actor
    /// may not read is not found.
    pub(crate) async fn goal_access(&self, actor: &Actor, goal_id: Uuid) -> AppResult<(GoalRecord, bool)> {
        let goals = self.app.goals();
        let record = goals.load(goal_id).await?;
        let facts = goals.facts(actor, &[&record]).await?[0];
        if !allowed(actor, Action::Read, Resource::Goal, facts) {
            return Err(AppError::NotFound("goal"));
        }
        Ok((record, allowed(actor, Action::Write, Resource::Goal, facts)))
    }

    pub(crate) async fn readable_goal(&self, actor: &Actor, goal_id: Uuid) -> AppResult<GoalRecord> {
        Ok(self.goal_access(actor, goal_id).await?.0)
    }

    /// A goal the actor may change (alerts and review tasks, which may follow the period).
    pub(crate) async fn changeable_goal(&self, actor: &Actor, goal_id: Uuid) -> AppResult<GoalRecord> {
        match self.goal_access(actor, goal_id).await? {
            (record, true) => Ok(record),
            (_, false) => Err(AppError::Forbidden),
        }
    }

    /// A goal the actor may check in on: changeable and still open; with its period.
    async fn writable_goal(&self, actor: &Actor, goal_id: Uuid) -> AppResult<Writable> {
        let record = self.changeable_goal(actor, goal_id).await?;
        let period = goals_repo::period(self.c(), record.goal.period_id).await?.ok_or(AppError::NotFound("period"))?;
        open_for_check_ins(&record.goal.status, period.ends_on, self.app.today())?;
        Ok(Writable { record, period })
    }

    /// The files, typed, for a check-in that already has `already` of them.
    fn check_files(&self, already: usize, files: Vec<Upload>, issues: &mut Vec<FieldIssue>) -> Vec<(Upload, FileType)> {
        let max = self.app.config.attachment_max_files;
        if already + files.len() > max {
            issues.push(FieldIssue::new("file", "too_many", format!("at most {max} files per check-in")));
            return vec![];
        }
        let mut out = Vec::new();
        for f in files {
            let name = attachment::clean_name(&f.file_name);
            match attachment::check(&name, &f.bytes, self.app.config.attachment_max_bytes) {
                Ok(t) => out.push((Upload { file_name: name, bytes: f.bytes }, t)),
                Err(e) => issues.push(FieldIssue::new("file", e.code(), format!("{name}: {}", e.message()))),
            }
        }
        out
    }

    fn file_path(&self, id: Uuid) -> PathBuf {
        self.app.config.files_dir.join(id.to_string())
    }

    /// Writes the files under fresh ids before the transaction that names them; the caller
    /// removes them again if that transaction fails, so no row names a missing file.
    async fn write_files(
        &self,
        ci: &check_in::Model,
        files: &[(Upload, FileType)],
        now: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<Vec<check_in_attachment::Model>> {
        let mut rows = Vec::new();
        if files.is_empty() {
            return Ok(rows);
        }
        let dir = &self.app.config.files_dir;
        tokio::fs::create_dir_all(dir)
            .await
            .map_err(|e| AppError::Internal(format!("cannot create {}: {e}", dir.display())))?;
        for (f, t) in files {
            let id = Uuid::now_v7();
            if let Err(e) = tokio::fs::write(self.file_path(id), &f.bytes).await {
                self.remove_files(&rows).await;
                return Err(AppError::Internal(format!("cannot store attachment: {e}")));
            }
            rows.push(check_in_attachment::Model {
                id,
                check_in_id: ci.id,
                goal_id: ci.goal_id,
                file_name: f.file_name.clone(),
                content_type: t.content_type.into(),
                size_bytes: f.bytes.len() as i64,
                sha256: hex::encode(Sha256::digest(&f.bytes)),
                created_at: now,
            });
        }
        Ok(rows)
    }

    async fn remove_files(&self, rows: &[check_in_attachment::Model]) {
        for r in rows {
            let _ = tokio::fs::remove_file(self.file_path(r.id)).await;
        }
    }

    /// Writes the check-in: the key result's new value rolled up through every goal it
    /// supports, the check-in with the goal's progress after it, its files, the audit record,
    /// and the statuses and alerts that follow — all in one transaction.
    ///
    /// On SQLite the transaction holds the one writer lock, and every statement in it is a hop
    /// to the database thread: what can be known before it (the settings, the period, the
    /// goal's owners) is read before it, and what the roll-up has just computed is not read
    /// again.
    async fn record(&self, actor: &Actor, goal: &Writable, e: Entry) -> AppResult<CheckInView> {
        let now = self.app.clock.now();
        let today = self.app.today();
        let record = &goal.record;
        let goal_id = record.goal.id;
        let settings = self.current_settings(self.c()).await?;
        let mut ci = check_in::Model {
            id: Uuid::now_v7(),
            goal_id,
            key_result_id: e.key_result.as_ref().map(|k| k.id),
            author_id: actor.employee_id,
            author_name: if actor.display_name.is_empty() { actor.label.clone() } else { actor.display_name.clone() },
            source: e.source.into(),
            external_id: e.external_id,
            value_e4: None,
            done: None,
            kr_progress_bp: None,
            goal_progress_bp: record.goal.progress_bp,
            confidence: e.confidence,
            note: e.note,
            on_date: today,
            created_at: now,
            reviewed_by: None,
            reviewed_at: None,
        };
        let files = self.write_files(&ci, &e.files, now).await?;
        let tx = self.app.db.begin_write().await?;
        let written = async {
            let mut touched = vec![goal_id];
            // The change's records, handed to the write unit once they are all made.
            let mut audit = Vec::with_capacity(2);
            // The goal and the goals above it as they stand inside the transaction.
            let standing = if let Some(after) = &e.updated {
                let mut after = after.clone();
                after.updated_at = now;
                goals_repo::update_key_result(&*tx, after.clone()).await?;
                let before = e.key_result.as_ref().map(crate::goals::kr_json).unwrap_or_default();
                let a = entry(
                    actor,
                    now,
                    "key_result",
                    after.id,
                    record.owners.first().copied(),
                    "progress",
                    before,
                    crate::goals::kr_json(&after),
                    None,
                );
                audit.push(a);
                let (changed, standing) = self.app.goals().refresh_upward_records(&*tx, &[goal_id]).await?;
                touched.extend(changed);
                standing
            } else {
                vec![as_it_stands(&*tx, record, e.key_result.as_ref().map(|k| k.id)).await?]
            };
            let this = standing.iter().find(|r| r.goal.id == goal_id).ok_or(AppError::NotFound("goal"))?;
            if let Some(k) = &e.key_result {
                let k = this.key_results.iter().find(|x| x.id == k.id).ok_or(AppError::NotFound("key_result"))?;
                ci.value_e4 = (k.kind != "done").then_some(k.current_e4).flatten();
                ci.done = (k.kind == "done").then_some(k.done);
                ci.kr_progress_bp = Some(k.progress_bp);
            }
            ci.goal_progress_bp = this.goal.progress_bp;
            repo::insert_check_in(&*tx, ci.clone()).await?;
            repo::insert_attachments(&*tx, files.clone()).await?;
            let after = json(&serde_json::json!({
                "key_result_id": ci.key_result_id, "value_e4": ci.value_e4, "done": ci.done,
                "confidence": ci.confidence, "note": ci.note, "source": ci.source,
                "attachments": files.iter().map(|f| &f.file_name).collect::<Vec<_>>(),
            }));
            audit.push(entry(
                actor,
                now,
                "check_in",
                ci.id,
                record.owners.first().copied(),
                "check_in",
                None,
                after,
                None,
            ));
            tx.audit(audit);
            let touched: HashSet<Uuid> = touched.into_iter().collect();
            let touched: Vec<&GoalRecord> = standing.iter().filter(|r| touched.contains(&r.goal.id)).collect();
            let known = evaluate::Known { settings: &settings, period: &goal.period };
            evaluate::after_update(self, &tx, actor, &touched, goal_id, now, known).await?;
            AppResult::Ok(())
        }
        .await;
        match written {
            Ok(()) => tx.commit().await?,
            Err(err) => {
                drop(tx);
                self.remove_files(&files).await;
                return Err(err);
            }
        }
        self.check_in_view(ci).await
    }
}

/// A goal read before the write, brought up to date inside it where another write may have
/// moved it since: its progress and status, and the key result checked in on.
async fn as_it_stands<C: ConnectionTrait>(c: &C, record: &GoalRecord, kr: Option<Uuid>) -> AppResult<GoalRecord> {
    let mut now = record.clone();
    if let Some((_, bp, status)) = goals_repo::goal_progress(c, &[record.goal.id]).await?.into_iter().next() {
        now.goal.progress_bp = bp;
        now.goal.status = status;
    }
    if let Some(id) = kr {
        let fresh = goals_repo::key_result(c, id).await?.ok_or(AppError::NotFound("key_result"))?;
        match now.key_results.iter_mut().find(|k| k.id == id) {
            Some(k) => *k = fresh,
            None => now.key_results.push(fresh),
        }
    }
    Ok(now)
}

/// Whether a goal still takes check-ins, as the error the user sees.
pub(crate) fn open_for_check_ins(
    status: &str,
    period_end: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> AppResult<()> {
    match accepts(status, period_end, today) {
        Ok(()) => Ok(()),
        Err(Closed::Archived) => Err(AppError::field("goal_id", "archived", "archived goals take no check-ins")),
        Err(Closed::PeriodEnded(end)) => Err(AppError::field(
            "goal_id",
            "closed",
            format!("the goal's period ended on {end}: it is closed for check-ins"),
        )),
    }
}

fn check_confidence(v: Option<&str>, issues: &mut Vec<FieldIssue>) -> Option<String> {
    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
    if CONFIDENCES.contains(&v) {
        Some(v.into())
    } else {
        issues.push(FieldIssue::new("confidence", "unknown", "must be on_track, at_risk or off_track"));
        None
    }
}

/// The key result with its new value, if the input gives one; problems go to `issues`.
fn new_value(kr: &key_result::Model, input: &CheckInInput, issues: &mut Vec<FieldIssue>) -> Option<key_result::Model> {
    let mut after = kr.clone();
    match kr.kind.as_str() {
        "rollup" => {
            if input.current.is_some() || input.percent.is_some() || input.done.is_some() {
                issues.push(FieldIssue::new(
                    "current",
                    "rolled_up",
                    "this key result takes its progress from aligned goals",
                ));
            }
            return None;
        }
        "done" => {
            if input.current.is_some() || input.percent.is_some() {
                issues.push(FieldIssue::new("done", "done_only", "this deliverable is done or not: use done"));
            }
            after.done = input.done?;
        }
        _ => {
            if input.done.is_some() {
                issues.push(FieldIssue::new("done", "not_a_deliverable", "this key result takes a value"));
            }
            if let Some(unit) = input.unit.as_deref().map(str::trim).filter(|u| !u.is_empty()) {
                let own = kr.unit_label.as_deref().unwrap_or("").trim();
                if unit != own {
                    issues.push(FieldIssue::new(
                        "unit",
                        "unit_mismatch",
                        format!("this key result is measured in {own:?}, not {unit:?}"),
                    ));
                    return None;
                }
            }
            let v = match (input.current, input.percent) {
                (Some(_), Some(_)) => {
                    issues.push(FieldIssue::new("percent", "both", "give either the value or the percentage"));
                    return None;
                }
                (Some(v), None) => v,
                (None, Some(p)) => {
                    if !p.is_finite() || !(0.0..=1000.0).contains(&p) {
                        issues.push(FieldIssue::new("percent", "out_of_range", "must be 0–1000"));
                        return None;
                    }
                    measure_of(kr).value_at(p / 100.0)?
                }
                (None, None) => return None,
            };
            if !v.is_finite() || v.abs() > waymark_domain::goals::measure::MAX_ABS_VALUE {
                issues.push(FieldIssue::new("current", "not_finite", "must be a number"));
                return None;
            }
            after.current_e4 = Some(to_e4(v));
        }
    }
    if let Err(e) = measure_of(&after).validate() {
        issues.push(FieldIssue::new("current", e.code, e.message()));
        return None;
    }
    Some(after)
}
