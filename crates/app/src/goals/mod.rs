//! Goals and alignment (SPEC §2): periods, goals of every framework with their key results,
//! alignment links with cycle and period checks, progress updates that roll up through every
//! ancestor, and the views of a goal and of one's own goals.

pub mod balance;
pub mod changes;
pub mod convert;
pub(crate) mod evaluate;
pub mod library;
pub mod map;
pub mod periods;
pub mod requests;
pub mod reuse;
pub(crate) mod views;
pub mod workflow;

use std::collections::{HashMap, HashSet};
use waymark_domain::goals::period::Period;
use waymark_store::WriteTxn;

use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::org as rules;
use waymark_domain::tracking::checkin::is_tracked;
use waymark_store::entities::{goal, goal_link};
use waymark_store::repo::goals::{self as repo, GoalRecord};
use waymark_store::repo::org as org_repo;

use crate::audit::{entry, json};
use crate::policy::{Action, Actor, Facts, Resource, Scope, allowed};
use crate::{App, AppError, AppResult, FieldIssue};
use convert::{KeyResultInput, check_key_result};
use evaluate::{Fixed, RollupGoal, evaluate, from_bp, kr_progress};
pub use periods::{PeriodInput, PeriodUpdate};
pub(crate) use views::kr_json;
pub use views::{GoalSummary, GoalView, KeyResultView, LinkView, MyBoard, MyGoals, PeriodView, TeamMember};

pub struct GoalService<'a> {
    pub(crate) app: &'a App,
}

pub const FRAMEWORKS: [&str; 5] = ["okr", "kpi", "mbo", "milestone", "behaviour"];
pub const LEVELS: [&str; 4] = ["company", "unit", "team", "individual"];
/// Bounds on one request, so a form or API call cannot make the service do unbounded work.
pub const MAX_KEY_RESULTS: usize = 50;
pub const MAX_PARENTS: usize = 20;

/// A link's new contribution weight, in % (absent or null: an equal share), and why.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct WeightInput {
    #[serde(default)]
    pub weight: Option<f64>,
    /// Required when the supporting goal is approved or filed.
    #[serde(default)]
    pub reason: Option<String>,
}

/// What makes two links the same: the parent (goal, or one of its key results) and the
/// child's side (the whole goal, or one of its key results).
#[derive(PartialEq, Eq, Hash)]
struct LinkPair {
    parent: Uuid,
    parent_kr: Option<Uuid>,
    child_kr: Option<Uuid>,
}

impl LinkPair {
    fn of(l: &goal_link::Model) -> Self {
        LinkPair { parent: l.parent_goal_id, parent_kr: l.parent_kr_id, child_kr: l.child_kr_id }
    }
}

/// A checked alignment: made at once when the actor may change the parent, else asked for.
struct Alignment {
    direct: bool,
    link: goal_link::Model,
}

fn already_aligned(field: &str) -> FieldIssue {
    FieldIssue::new(
        field,
        "already_aligned",
        "this goal already supports that goal this way: change its weight instead",
    )
}

/// "This goal supports that goal (or that key result)", with a contribution weight.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AlignInput {
    pub goal_id: Uuid,
    #[serde(default)]
    pub key_result_id: Option<Uuid>,
    /// The child's own key result that supports the parent (key result to key result).
    #[serde(default)]
    pub from_key_result_id: Option<Uuid>,
    /// Percent, 0–100; blank shares equally with the parent's other supporters.
    #[serde(default)]
    pub weight: Option<f64>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct GoalInput {
    pub period_id: Uuid,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[schema(pattern = "^(okr|kpi|mbo|milestone|behaviour)$")]
    pub framework: String,
    /// company, unit, team or individual (default).
    #[serde(default)]
    pub level: Option<String>,
    /// For unit and team goals; default: the first owner's unit.
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    /// Employees who own the goal together; default: the actor.
    #[serde(default)]
    pub owner_ids: Vec<Uuid>,
    /// public (default) or private.
    #[serde(default)]
    pub visibility: Option<String>,
    /// Counts towards the focus limit of 7 key goals (default true).
    #[serde(default)]
    pub is_key: Option<bool>,
    /// Percent, 0–100, among the owner's goals of the period (G-2); blank shares what the
    /// others leave.
    #[serde(default)]
    pub weight: Option<f64>,
    /// key_results (default) or children: where the goal's progress comes from.
    #[serde(default)]
    pub progress_source: Option<String>,
    #[serde(default)]
    #[schema(format = Date)]
    pub due_on: Option<String>,
    #[serde(default)]
    pub key_results: Vec<KeyResultInput>,
    #[serde(default)]
    pub aligned_to: Vec<AlignInput>,
}

/// A new value for a key result: `current` for measured kinds, `done` for deliverables.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ProgressInput {
    #[serde(default)]
    pub current: Option<f64>,
    #[serde(default)]
    pub done: Option<bool>,
}

/// A recommended mix of frameworks for a job family (G-8): advice the person may override.
#[derive(Debug, Clone, serde::Serialize, ToSchema)]
pub struct Recommendation {
    pub job_family: String,
    /// The kind of work: sales, rnd, functions, service or production (explained per language).
    pub group: String,
    pub parts: Vec<RecommendedPart>,
}

#[derive(Debug, Clone, serde::Serialize, ToSchema)]
pub struct RecommendedPart {
    pub framework: String,
    /// Share of the person's goals, in percent.
    pub weight: f64,
    /// What this part measures (results, visits, outcomes, delivery, tasks, satisfaction …).
    pub what: String,
}

/// What one organization-wide roll-up did and how long its parts took.
#[derive(Debug, Clone)]
pub struct RollUpReport {
    pub goals: usize,
    pub key_results: usize,
    pub links: usize,
    pub changed: usize,
    pub load_ms: u64,
    pub compute_ms: u64,
    pub total_ms: u64,
}

/// What the audit log records of a new goal.
pub(crate) fn goal_audit_json(r: &GoalRecord) -> Option<String> {
    views::goal_json(r, &[])
}

fn one_of(field: &str, value: &str, allowed: &[&str], issues: &mut Vec<FieldIssue>) {
    if !allowed.contains(&value) {
        issues.push(FieldIssue::new(field, "invalid_choice", format!("must be one of {}", allowed.join(", "))));
    }
}

impl GoalService<'_> {
    fn c(&self) -> &waymark_store::sea_orm::DatabaseConnection {
        &self.app.db.conn
    }

    // ---- access ------------------------------------------------------------------------------

    /// How each goal relates to the actor: owner, manager of an owner, HR of an owner's unit
    /// or of the goal's unit (company goals: org-wide HR), and whether it is public. Two reads
    /// at most, whatever the number of goals.
    pub(crate) async fn facts(&self, actor: &Actor, records: &[&GoalRecord]) -> AppResult<Vec<Facts>> {
        let owners: Vec<Uuid> =
            records.iter().flat_map(|r| r.owners.iter().copied()).collect::<HashSet<_>>().into_iter().collect();
        let rel = self.app.org().relations(actor, &owners).await?;
        Ok(records
            .iter()
            .map(|r| {
                let in_hr_scope = match &actor.hr {
                    None => false,
                    Some(scope) if r.goal.level == "company" => *scope == Scope::Organization,
                    Some(scope) => {
                        r.owners.iter().filter_map(|o| rel.unit_of(*o)).chain(r.goal.unit_id).any(|u| scope.covers(u))
                    }
                };
                Facts {
                    is_self: actor.employee_id.is_some_and(|me| r.owners.contains(&me)),
                    manages: r.owners.iter().any(|o| rel.manages(*o)),
                    in_hr_scope,
                    public: r.goal.visibility == "public",
                    ..Facts::default()
                }
            })
            .collect())
    }

    async fn may(&self, actor: &Actor, action: Action, r: &GoalRecord) -> AppResult<bool> {
        let f = self.facts(actor, &[r]).await?[0];
        Ok(allowed(actor, action, Resource::Goal, f))
    }

    pub(crate) async fn require(&self, actor: &Actor, action: Action, r: &GoalRecord) -> AppResult<()> {
        self.require_all(actor, action, &[r]).await
    }

    /// The actor may do `action` on every one of `records` (one access check for all).
    async fn require_all(&self, actor: &Actor, action: Action, records: &[&GoalRecord]) -> AppResult<()> {
        let facts = self.facts(actor, records).await?;
        if facts.into_iter().all(|f| allowed(actor, action, Resource::Goal, f)) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// The records the actor may read, in order.
    pub(crate) async fn readable(&self, actor: &Actor, records: Vec<GoalRecord>) -> AppResult<Vec<GoalRecord>> {
        let facts = self.facts(actor, &records.iter().collect::<Vec<_>>()).await?;
        Ok(records
            .into_iter()
            .zip(facts)
            .filter(|(_, f)| allowed(actor, Action::Read, Resource::Goal, *f))
            .map(|(r, _)| r)
            .collect())
    }

    pub(crate) async fn load(&self, id: Uuid) -> AppResult<GoalRecord> {
        repo::goal(self.c(), id).await?.ok_or(AppError::NotFound("goal"))
    }

    // ---- creating ----------------------------------------------------------------------------

    pub async fn create_goal(&self, actor: &Actor, input: GoalInput) -> AppResult<GoalView> {
        let c = self.c();
        let mut issues = Vec::new();
        let title = rules::required_text(&input.title, 200)
            .map_err(|e| issues.push(FieldIssue::new("title", e.code(), e.message())))
            .unwrap_or_default();
        let description = rules::optional_text(input.description.as_deref().unwrap_or(""), 4000)
            .map_err(|e| issues.push(FieldIssue::new("description", e.code(), e.message())))
            .ok()
            .flatten();
        one_of("framework", &input.framework, &FRAMEWORKS, &mut issues);
        let level = input.level.clone().unwrap_or_else(|| "individual".into());
        one_of("level", &level, &LEVELS, &mut issues);
        let visibility = input.visibility.clone().unwrap_or_else(|| "public".into());
        one_of("visibility", &visibility, &["public", "private"], &mut issues);
        let source = input.progress_source.clone().unwrap_or_else(|| "key_results".into());
        one_of("progress_source", &source, &["key_results", "children"], &mut issues);
        let weight_bp = convert::weight_bp("weight", input.weight, &mut issues);
        let due_on = rules::parse_date(input.due_on.as_deref().unwrap_or(""))
            .map_err(|_| issues.push(FieldIssue::new("due_on", "invalid_date", "is not a date (use YYYY-MM-DD)")))
            .ok()
            .flatten();
        let period = repo::period(c, input.period_id).await?;
        if period.is_none() {
            issues.push(FieldIssue::new("period_id", "unknown_period", "no such period"));
        }
        let owners: Vec<Uuid> = if input.owner_ids.is_empty() {
            actor.employee_id.into_iter().collect()
        } else {
            let mut seen = HashSet::new();
            input.owner_ids.iter().copied().filter(|o| seen.insert(*o)).collect()
        };
        let found = org_repo::employees_by_ids(c, &owners).await?;
        if found.len() != owners.len() {
            issues.push(FieldIssue::new("owner_ids", "unknown_employee", "no employee with this id"));
        }
        if owners.is_empty() && level == "individual" {
            issues.push(FieldIssue::new("owner_ids", "required", "an individual goal needs an owner"));
        }
        if let Some(u) = input.unit_id
            && org_repo::unit(c, u).await?.is_none()
        {
            issues.push(FieldIssue::new("unit_id", "unknown_unit", "no such unit"));
        }
        // A unit or team goal belongs to the unit it names, else to its first owner's unit.
        let unit_id = match (level.as_str(), input.unit_id) {
            ("unit" | "team", None) => {
                owners.first().and_then(|o| found.iter().find(|e| e.id == *o)).map(|e| e.unit_id)
            }
            (_, u) => u,
        };
        if level != "individual" && unit_id.is_none() && level != "company" {
            issues.push(FieldIssue::new("unit_id", "required", "a unit or team goal names its unit or has an owner"));
        }
        let now = self.app.clock.now();
        let goal_id = Uuid::now_v7();
        let mut krs = Vec::new();
        if input.key_results.len() > MAX_KEY_RESULTS {
            issues.push(FieldIssue::new("key_results", "too_many", format!("at most {MAX_KEY_RESULTS}")));
        }
        let mut kr_inputs: Vec<KeyResultInput> = input.key_results.iter().take(MAX_KEY_RESULTS).cloned().collect();
        self.resolve_library(&mut kr_inputs, |i| format!("key_results[{i}].library_item_id"), &mut issues).await?;
        for (i, k) in kr_inputs.iter().enumerate() {
            let mut row = convert::blank_key_result(goal_id, i as i32, now);
            check_key_result(k, &format!("key_results[{i}]."), &mut row, &mut issues);
            krs.push(row);
        }
        if source == "key_results" && krs.is_empty() && input.framework != "mbo" {
            issues.push(FieldIssue::new("key_results", "required", "add at least one key result or measure"));
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let record = GoalRecord {
            goal: goal::Model {
                id: goal_id,
                period_id: input.period_id,
                title,
                description,
                framework: input.framework.clone(),
                level,
                unit_id,
                visibility,
                status: "draft".into(),
                progress_source: source,
                is_key: input.is_key.unwrap_or(true),
                weight_bp,
                due_on,
                template_id: None,
                progress_bp: 0,
                created_by: actor.user_id,
                created_at: now,
                updated_at: now,
            },
            owners,
            key_results: krs,
        };
        // Individual goals by their owner, the owner's managers or HR; unit and team goals by
        // HR of the unit or the managers who own them; company goals by org-wide HR.
        self.require(actor, Action::Write, &record).await?;
        let aligns = self.check_alignment(actor, &record, &input.aligned_to, period.as_ref()).await?;
        let links: Vec<goal_link::Model> = aligns.iter().filter(|a| a.direct).map(|a| a.link.clone()).collect();
        let tx = self.app.db.begin_write().await?;
        repo::insert_goals(&*tx, vec![record.clone()]).await?;
        let after = views::goal_json(&record, &links);
        let a = entry(actor, now, "goal", goal_id, record.owners.first().copied(), "create", None, after, None);
        let mut audit = vec![a];
        audit.extend(self.write_alignments(&tx, actor, &record, aligns).await?);
        tx.audit(audit);
        self.refresh_upward(&*tx, &[goal_id]).await?;
        tx.commit().await?;
        self.view(actor, goal_id).await
    }

    /// Validates the links a new goal asks for: parents exist and are visible, the parent's
    /// period contains the child's (G-3), key results belong to their goals.
    async fn check_alignment(
        &self,
        actor: &Actor,
        child: &GoalRecord,
        aligns: &[AlignInput],
        period: Option<&Period>,
    ) -> AppResult<Vec<Alignment>> {
        let mut issues = Vec::new();
        let mut links = Vec::new();
        if aligns.len() > MAX_PARENTS {
            return Err(AppError::field("aligned_to", "too_many", format!("at most {MAX_PARENTS}")));
        }
        // One link per pair (G-5): a second would count the child twice in the parent's progress.
        let mut pairs: HashSet<LinkPair> =
            repo::links_from(self.c(), &[child.goal.id]).await?.iter().map(LinkPair::of).collect();
        // A pending request for the same pair counts as asked already.
        pairs.extend(
            waymark_store::repo::alignment_requests::pending_from(self.c(), &[child.goal.id])
                .await?
                .iter()
                .map(|r| LinkPair { parent: r.parent_goal_id, parent_kr: r.parent_kr_id, child_kr: r.child_kr_id }),
        );
        for (i, a) in aligns.iter().enumerate() {
            let field = |f: &str| format!("aligned_to[{i}].{f}");
            let pair = LinkPair { parent: a.goal_id, parent_kr: a.key_result_id, child_kr: a.from_key_result_id };
            if !pairs.insert(pair) {
                issues.push(already_aligned(&field("goal_id")));
                continue;
            }
            let weight_bp = convert::weight_bp(&field("weight"), a.weight, &mut issues);
            let Some(parent) = repo::goal(self.c(), a.goal_id).await? else {
                issues.push(FieldIssue::new(&field("goal_id"), "unknown_goal", "no such goal"));
                continue;
            };
            if parent.goal.id == child.goal.id {
                issues.push(FieldIssue::new(&field("goal_id"), "alignment_cycle", "a goal cannot support itself"));
                continue;
            }
            if !self.may(actor, Action::Read, &parent).await? {
                issues.push(FieldIssue::new(&field("goal_id"), "unknown_goal", "no such goal"));
                continue;
            }
            if let Some(k) = a.key_result_id
                && !parent.key_results.iter().any(|x| x.id == k)
            {
                issues.push(FieldIssue::new(
                    &field("key_result_id"),
                    "unknown_key_result",
                    "not a key result of that goal",
                ));
            }
            if let Some(k) = a.from_key_result_id
                && !child.key_results.iter().any(|x| x.id == k)
            {
                issues.push(FieldIssue::new(
                    &field("from_key_result_id"),
                    "unknown_key_result",
                    "not a key result of this goal",
                ));
            }
            if let (Some(p), Some(cp)) = (repo::period(self.c(), parent.goal.period_id).await?, period)
                && (p.starts_on > cp.starts_on || p.ends_on < cp.ends_on)
            {
                issues.push(FieldIssue::new(
                    &field("goal_id"),
                    "parent_period",
                    "the parent goal's period must contain this goal's period",
                ));
            }
            let link = goal_link::Model {
                id: Uuid::now_v7(),
                child_goal_id: child.goal.id,
                child_kr_id: a.from_key_result_id,
                parent_goal_id: parent.goal.id,
                parent_kr_id: a.key_result_id,
                weight_bp,
                created_at: self.app.clock.now(),
            };
            // A goal the actor may not change is aligned to by asking its owner (issue 22,
            // item 1: anyone could align to a company goal and move it).
            links.push(Alignment { direct: self.may(actor, Action::Write, &parent).await?, link });
        }
        if issues.is_empty() { Ok(links) } else { Err(AppError::Invalid(issues)) }
    }

    /// Writes checked alignments of `child`: the direct ones as links, the others as requests
    /// to the parents' owners; returns the audit entries of the requests.
    async fn write_alignments(
        &self,
        tx: &WriteTxn,
        actor: &Actor,
        child: &GoalRecord,
        aligns: Vec<Alignment>,
    ) -> AppResult<Vec<waymark_store::repo::audit::NewAudit>> {
        let c = &**tx;
        let (direct, asked): (Vec<Alignment>, Vec<Alignment>) = aligns.into_iter().partition(|a| a.direct);
        // The same pair sent twice at once: the second finds the first's link in the index.
        repo::insert_links(c, direct.into_iter().map(|a| a.link).collect()).await.map_err(|e| {
            match e.is_unique_violation() {
                true => AppError::Invalid(vec![already_aligned("goal_id")]),
                false => e.into(),
            }
        })?;
        let requests = asked.iter().map(|a| requests::request_of(&a.link, actor)).collect();
        self.file_requests(tx, actor, child, requests, self.app.clock.now()).await
    }

    // ---- alignment after creation -----------------------------------------------------------

    /// Aligns an existing goal to a parent; refuses cycles (G-5) naming the goals on it.
    pub async fn align(&self, actor: &Actor, child_id: Uuid, input: AlignInput) -> AppResult<GoalView> {
        let child = self.load(child_id).await?;
        self.require(actor, Action::Write, &child).await?;
        let period = repo::period(self.c(), child.goal.period_id).await?;
        let aligns = self.check_alignment(actor, &child, std::slice::from_ref(&input), period.as_ref()).await?;
        let now = self.app.clock.now();
        let direct: Vec<Uuid> = aligns.iter().filter(|a| a.direct).map(|a| a.link.parent_goal_id).collect();
        let tx = self.app.db.begin_write().await?;
        let mut audit = self.write_alignments(&tx, actor, &child, aligns).await?;
        for parent in direct {
            let after = json(&parent);
            audit.push(entry(actor, now, "goal", child_id, child.owners.first().copied(), "align", None, after, None));
        }
        tx.audit(audit);
        // A cycle shows up as the roll-up fails; the transaction is then dropped unwritten.
        self.refresh_upward(&*tx, &[child_id]).await?;
        tx.commit().await?;
        self.view(actor, child_id).await
    }

    // ---- progress ----------------------------------------------------------------------------

    /// Records a key result's new value and rolls it up through every goal it supports: a
    /// check-in with a value and nothing else (T-1).
    pub async fn update_progress(&self, actor: &Actor, kr_id: Uuid, input: ProgressInput) -> AppResult<GoalView> {
        let input = crate::tracking::CheckInInput { current: input.current, done: input.done, ..Default::default() };
        let c = self.app.tracking().check_in_key_result(actor, kr_id, input, vec![]).await?;
        self.view(actor, c.goal_id).await
    }

    /// Recomputes `start` goals and all their ancestors from their key results and children,
    /// and stores the new progress (children outside the set keep their stored progress).
    /// Returns the goals whose progress changed.
    pub(crate) async fn refresh_upward<C: waymark_store::sea_orm::ConnectionTrait>(
        &self,
        c: &C,
        start: &[Uuid],
    ) -> AppResult<Vec<Uuid>> {
        Ok(self.refresh_upward_records(c, start).await?.0)
    }

    /// `refresh_upward`, also giving every goal on the way up as it now stands (with its new
    /// progress and its key results'), so that a check-in reads none of them again.
    pub(crate) async fn refresh_upward_records<C: waymark_store::sea_orm::ConnectionTrait>(
        &self,
        c: &C,
        start: &[Uuid],
    ) -> AppResult<(Vec<Uuid>, Vec<GoalRecord>)> {
        let mut set: Vec<Uuid> = start.to_vec();
        let mut seen: HashSet<Uuid> = start.iter().copied().collect();
        set.extend(repo::goals_above(c, start).await?.into_iter().filter(|g| seen.insert(*g)));
        let records = repo::goals(c, &set).await?;
        let links = repo::links_into(c, &set).await?;
        // Children outside the set are unaffected by the change: they enter with stored progress.
        let outside: Vec<&goal_link::Model> = links.iter().filter(|l| !seen.contains(&l.child_goal_id)).collect();
        let outside_goals: Vec<Uuid> = outside.iter().map(|l| l.child_goal_id).collect();
        let outside_progress = repo::goal_progress(c, &outside_goals).await?;
        let fixed_goals: HashMap<Uuid, f64> = outside_progress.iter().map(|(id, bp, _)| (*id, from_bp(*bp))).collect();
        let agreed: HashSet<Uuid> = outside_progress
            .iter()
            .filter(|(_, _, status)| waymark_domain::goals::workflow::is_agreed(status))
            .map(|(id, _, _)| *id)
            .collect();
        let outside_krs: Vec<Uuid> = outside.iter().filter_map(|l| l.child_kr_id).collect();
        let fixed_krs = kr_progress(&repo::key_results(c, &outside_krs).await?);
        let fixed = Fixed { goals: &fixed_goals, key_results: &fixed_krs, agreed: &agreed };
        let ev = match evaluate(&records, &links, fixed) {
            Ok(ev) => ev,
            Err(cycle) => {
                // Only a new alignment can close a cycle; name the goals on it.
                let titles: Vec<String> = cycle
                    .iter()
                    .filter_map(|id| records.iter().find(|r| r.goal.id == *id))
                    .map(|r| r.goal.title.clone())
                    .collect();
                return Err(AppError::field(
                    "aligned_to[0].goal_id",
                    "alignment_cycle",
                    format!("this would make a cycle: {}", titles.join(" → ")),
                ));
            }
        };
        let (goal_changes, kr_changes) = evaluate::changes(&records, &ev);
        repo::set_progress(c, &goal_changes, &kr_changes).await?;
        let mut records = records;
        evaluate::fill_progress(&mut records, &ev);
        Ok((goal_changes.into_iter().map(|(id, _)| id).collect(), records))
    }

    /// Recomputes the stored progress of every goal and key result in one pass over the whole
    /// alignment graph (G-5), e.g. after an import or to repair. Org-wide HR or the operator.
    pub async fn roll_up_everything(&self, actor: &Actor) -> AppResult<RollUpReport> {
        if !actor.org_wide_hr() {
            return Err(AppError::Forbidden);
        }
        let t0 = std::time::Instant::now();
        // Writers wait while the graph is read (on parallel connections of the pool) and the
        // result is written, so no update slips in between.
        let tx = self.app.db.begin_write().await?;
        let (records, links) = repo::whole_graph(self.c()).await?;
        let t1 = std::time::Instant::now();
        let empty = HashMap::new();
        let none = HashSet::new();
        let ev = evaluate(&records, &links, Fixed { goals: &empty, key_results: &empty, agreed: &none })
            .map_err(|_| AppError::Internal("alignment cycle in stored links".into()))?;
        let t2 = std::time::Instant::now();
        let (goal_changes, kr_changes) = evaluate::changes(&records, &ev);
        repo::set_progress(&*tx, &goal_changes, &kr_changes).await?;
        tx.commit().await?;
        Ok(RollUpReport {
            goals: records.len(),
            key_results: records.iter().map(|r| r.key_results.len()).sum(),
            links: links.len(),
            changed: goal_changes.len() + kr_changes.len(),
            load_ms: (t1 - t0).as_millis() as u64,
            compute_ms: (t2 - t1).as_millis() as u64,
            total_ms: t0.elapsed().as_millis() as u64,
        })
    }

    // ---- reading -----------------------------------------------------------------------------

    /// A goal with its key results, weights, the goals it supports and those supporting it.
    pub async fn view(&self, actor: &Actor, id: Uuid) -> AppResult<GoalView> {
        let record = self.load(id).await?;
        let facts = self.facts(actor, &[&record]).await?[0];
        if !allowed(actor, Action::Read, Resource::Goal, facts) {
            return Err(AppError::NotFound("goal"));
        }
        let c = self.c();
        let into = repo::links_into(c, &[id]).await?;
        let up = repo::links_from(c, &[id]).await?;
        let child_ids: Vec<Uuid> = into.iter().map(|l| l.child_goal_id).collect();
        let parent_ids: Vec<Uuid> = up.iter().map(|l| l.parent_goal_id).collect();
        let children = repo::goals(c, &child_ids).await?;
        let parents = repo::goals(c, &parent_ids).await?;
        let fixed_goals: HashMap<Uuid, f64> =
            children.iter().map(|r| (r.goal.id, from_bp(r.goal.progress_bp))).collect();
        let fixed_krs = kr_progress(&children.iter().flat_map(|r| r.key_results.clone()).collect::<Vec<_>>());
        let agreed: HashSet<Uuid> = children.iter().filter(|r| r.agreed()).map(|r| r.goal.id).collect();
        let fixed = Fixed { goals: &fixed_goals, key_results: &fixed_krs, agreed: &agreed };
        let ev = evaluate(std::slice::from_ref(&record), &into, fixed)
            .map_err(|_| AppError::Internal("alignment cycle in stored links".into()))?;
        let linked: Vec<&GoalRecord> = children.iter().chain(&parents).collect();
        let visible: Vec<Uuid> = linked
            .iter()
            .zip(self.facts(actor, &linked).await?)
            .filter(|(_, f)| allowed(actor, Action::Read, Resource::Goal, *f))
            .map(|(r, _)| r.goal.id)
            .collect();
        let can_edit = allowed(actor, Action::Write, Resource::Goal, facts);
        let workflow = self.workflow_state(actor, &record, can_edit).await?;
        let mut v = views::goal_view(&record, &ev, &into, &up, &children, &parents, &visible, can_edit, workflow);
        // The same light as every list shows (issue 22, item 5: it was null here).
        self.fill_lights(std::slice::from_mut(&mut v.summary), std::slice::from_ref(&record)).await?;
        v.commitments = self.commitment_views(id).await?;
        v.can_commit = allowed(actor, Action::Write, Resource::GoalCommitment, facts);
        let mut all: Vec<&mut GoalSummary> = vec![&mut v.summary];
        all.extend(v.supports.iter_mut().chain(v.supported_by.iter_mut()).filter_map(|l| l.goal.as_mut()));
        self.name_owners(all, HashMap::new()).await?;
        (v.requests_in, v.requests_out) = self.request_views(actor, &record).await?;
        // While the goal is written, submitted and approved, the owner's whole set for the
        // period is what a lopsided warning is about (issue 22, item 9).
        if matches!(record.goal.status.as_str(), "draft" | "submitted" | "returned")
            && let Some(&owner) = record.owners.first()
        {
            let ids = repo::goal_ids_owned_by(c, owner, record.goal.period_id).await?;
            v.balance = self.balance_of(Some(owner), &repo::goals(c, &ids).await?).await?;
        }
        Ok(v)
    }

    /// The actor's goals in a period, with the focus warning (G-9).
    pub async fn my_goals(&self, actor: &Actor, period_id: Uuid) -> AppResult<MyGoals> {
        let me = actor.employee_id.ok_or(AppError::NotFound("employee"))?;
        self.goals_of(actor, me, period_id).await
    }

    /// A person's goals in a period, as far as the actor may see them.
    pub async fn goals_of(&self, actor: &Actor, employee: Uuid, period_id: Uuid) -> AppResult<MyGoals> {
        let c = self.c();
        let period = repo::period(c, period_id).await?.ok_or(AppError::NotFound("period"))?;
        let ids = repo::goal_ids_owned_by(c, employee, period_id).await?;
        let goals = self.readable(actor, repo::goals(c, &ids).await?).await?;
        let mut mine = views::my_goals(PeriodView::from(period), &goals);
        self.name_owners(mine.goals.iter_mut().collect(), HashMap::new()).await?;
        self.fill_lights(&mut mine.goals, &goals).await?;
        mine.board = views::board(&mine, self.app.today());
        mine.balance = self.balance_of(Some(employee), &goals).await?;
        Ok(mine)
    }

    /// Goals by id as the actor may see them (the others left out), as summaries with their
    /// lights: the goals linked to a 1:1.
    pub async fn summaries_readable(&self, actor: &Actor, ids: &[Uuid]) -> AppResult<Vec<GoalSummary>> {
        let records = self.readable(actor, repo::goals_without_key_results(self.c(), ids).await?).await?;
        self.summaries(&records).await
    }

    /// A person's goals of the periods running today, as the actor may see them: what a 1:1
    /// can link to.
    pub async fn running_goals_of(&self, actor: &Actor, employee: Uuid) -> AppResult<Vec<GoalSummary>> {
        let c = self.c();
        let today = self.app.today();
        let mut ids = Vec::new();
        for p in repo::periods(c).await?.into_iter().filter(|p| p.starts_on <= today && today <= p.ends_on) {
            ids.extend(repo::goal_ids_owned_by(c, employee, p.id).await?);
        }
        let mut records = self.readable(actor, repo::goals_without_key_results(c, &ids).await?).await?;
        records.retain(|r| r.goal.status != "archived");
        self.summaries(&records).await
    }

    /// The goals of the actor's direct reports in the periods running today, person by person,
    /// with their lights: the home page's team summary (no follow-up figures, no owners' names,
    /// which the team page adds).
    pub async fn reports_running_goals(&self, actor: &Actor) -> AppResult<Vec<(crate::org::Person, Vec<GoalSummary>)>> {
        let Some(me) = actor.employee_id else { return Ok(vec![]) };
        let c = self.c();
        let today = self.app.today();
        let reports = org_repo::direct_reports(c, me).await?;
        let ids: Vec<Uuid> = reports.iter().map(|e| e.id).collect();
        let mut pairs = Vec::new();
        for p in repo::periods(c).await?.into_iter().filter(|p| p.starts_on <= today && today <= p.ends_on) {
            pairs.extend(repo::goals_owned_by_any(c, &ids, p.id).await?);
        }
        let goal_ids: Vec<Uuid> = pairs.iter().map(|(g, _)| *g).collect::<HashSet<_>>().into_iter().collect();
        let records = self.readable(actor, repo::goals_without_key_results(c, &goal_ids).await?).await?;
        let mut summaries: Vec<GoalSummary> = records.iter().map(GoalSummary::from).collect();
        self.fill_lights(&mut summaries, &records).await?;
        let owned: HashSet<(Uuid, Uuid)> = pairs.into_iter().collect();
        Ok(reports
            .into_iter()
            .map(|e| {
                let goals = summaries.iter().filter(|s| owned.contains(&(s.id, e.id))).cloned().collect();
                (crate::org::Person { id: e.id, name: e.name }, goals)
            })
            .collect())
    }

    /// The goals of the actor's direct reports in a period, person by person (team goals page).
    pub async fn team_goals(&self, actor: &Actor, period_id: Uuid) -> AppResult<Vec<TeamMember>> {
        let c = self.c();
        repo::period(c, period_id).await?.ok_or(AppError::NotFound("period"))?;
        let Some(me) = actor.employee_id else { return Ok(vec![]) };
        let reports = org_repo::direct_reports(c, me).await?;
        let ids: Vec<Uuid> = reports.iter().map(|e| e.id).collect();
        let pairs = repo::goals_owned_by_any(c, &ids, period_id).await?;
        let goal_ids: Vec<Uuid> = pairs.iter().map(|(g, _)| *g).collect::<HashSet<_>>().into_iter().collect();
        let owned: HashSet<(Uuid, Uuid)> = pairs.into_iter().collect();
        let mut records = self.readable(actor, repo::goals_without_key_results(c, &goal_ids).await?).await?;
        records.sort_by_key(|r| r.goal.created_at);
        // The owners are mostly the reports themselves, whose names are here already.
        let known: HashMap<Uuid, (String, String)> =
            reports.iter().map(|e| (e.id, (e.name.clone(), e.employee_no.clone()))).collect();
        let mut summaries: Vec<GoalSummary> = records.iter().map(GoalSummary::from).collect();
        self.name_owners(summaries.iter_mut().collect(), known).await?;
        self.fill_lights(&mut summaries, &records).await?;
        let (from, to) = waymark_domain::calendar::month_of(self.app.today());
        let (follow_up, _) =
            crate::tracking::weekly::follow_up_lines(c, self.app.zone(), me, &reports, from, to).await?;
        let mut follow_up: HashMap<Uuid, crate::tracking::FollowUpLine> =
            follow_up.into_iter().map(|l| (l.employee_id, l)).collect();
        Ok(reports
            .into_iter()
            .map(|e| {
                let goals: Vec<GoalSummary> =
                    summaries.iter().filter(|s| owned.contains(&(s.id, e.id))).cloned().collect();
                let key_goals = goals.iter().filter(|g| g.is_key && g.status != "archived").count();
                let lit = |l: &str| goals.iter().filter(|g| g.light.as_deref() == Some(l)).count();
                let (green, yellow, red) = (lit("green"), lit("yellow"), lit("red"));
                let last_update_at = goals.iter().filter_map(|g| g.last_update_at).max();
                let follow_up = follow_up.remove(&e.id);
                TeamMember {
                    employee_id: e.id,
                    name: e.name,
                    goals,
                    key_goals,
                    green,
                    yellow,
                    red,
                    last_update_at,
                    follow_up,
                }
            })
            .collect())
    }

    /// Company, unit and team goals of a period that the actor may see: what people align to.
    pub async fn shared_goals(&self, actor: &Actor, period_id: Uuid) -> AppResult<Vec<GoalSummary>> {
        let c = self.c();
        let ids = repo::shared_goal_ids(c, period_id).await?;
        let goals = self.readable(actor, repo::goals(c, &ids).await?).await?;
        self.summaries(&goals).await
    }

    /// What the actor would align a goal of this period to: company goals and the goals of their
    /// own unit and the units above it, in this period or a longer one containing it (a quarter's
    /// goal supports the year's company goals).
    pub async fn alignable_goals(&self, actor: &Actor, period_id: Uuid) -> AppResult<Vec<GoalSummary>> {
        Ok(self.alignable_targets(actor, period_id).await?.0)
    }

    /// The alignable goals with their live key results (id, title), which a key result can
    /// align to (G-5: key result to key result).
    pub async fn alignable_targets(
        &self,
        actor: &Actor,
        period_id: Uuid,
    ) -> AppResult<(Vec<GoalSummary>, HashMap<Uuid, Vec<(Uuid, String)>>)> {
        let c = self.c();
        let ids = self.alignable_ids(actor, &repo::periods(c).await?, period_id).await?;
        let goals = self.readable(actor, repo::goals(c, &ids).await?).await?;
        let krs = goals
            .iter()
            .map(|r| {
                let live = r.key_results.iter().filter(|k| !k.archived).map(|k| (k.id, k.title.clone()));
                (r.goal.id, live.collect())
            })
            .collect();
        Ok((self.summaries(&goals).await?, krs))
    }

    async fn alignable_ids(&self, actor: &Actor, all: &[Period], period_id: Uuid) -> AppResult<Vec<Uuid>> {
        let c = self.c();
        let cur = all.iter().find(|p| p.id == period_id).ok_or(AppError::NotFound("period"))?;
        let periods: Vec<Uuid> =
            all.iter().filter(|p| p.starts_on <= cur.starts_on && p.ends_on >= cur.ends_on).map(|p| p.id).collect();
        let mut units = Vec::new();
        if let Some(me) = actor.employee_id
            && let Some(e) = org_repo::employee(c, me).await?
        {
            units.push(e.unit_id);
            units.extend(org_repo::unit_ancestors(c, e.unit_id).await?);
        }
        Ok(repo::shared_goal_ids_for_units(c, &periods, &units).await?)
    }

    /// The my-goals page in one go: the actor's goals of the period and what they can align
    /// to, read together (one goal read, one access check, one name lookup).
    pub async fn goals_home(&self, actor: &Actor, period_id: Uuid) -> AppResult<(Option<MyGoals>, Vec<GoalSummary>)> {
        let c = self.c();
        let all = repo::periods(c).await?;
        let period = all.iter().find(|p| p.id == period_id).cloned().ok_or(AppError::NotFound("period"))?;
        let mine_ids = match actor.employee_id {
            Some(me) => repo::goal_ids_owned_by(c, me, period_id).await?,
            None => vec![],
        };
        let shared_ids = self.alignable_ids(actor, &all, period_id).await?;
        let mut ids = mine_ids.clone();
        ids.extend(shared_ids.iter().filter(|id| !mine_ids.contains(id)));
        let records = self.readable(actor, repo::goals(c, &ids).await?).await?;
        let (mine, shared): (Vec<GoalRecord>, Vec<GoalRecord>) =
            records.into_iter().partition(|r| mine_ids.contains(&r.goal.id));
        let mut my = views::my_goals(PeriodView::from(period), &mine);
        let mut shared: Vec<GoalSummary> = shared.iter().map(GoalSummary::from).collect();
        self.name_owners(my.goals.iter_mut().chain(shared.iter_mut()).collect(), HashMap::new()).await?;
        self.fill_lights(&mut my.goals, &mine).await?;
        my.board = views::board(&my, self.app.today());
        my.balance = self.balance_of(actor.employee_id, &mine).await?;
        Ok((actor.employee_id.map(|_| my), shared))
    }

    /// The framework combination recommended for the actor's job family (G-8), if any.
    pub async fn recommendation(&self, actor: &Actor) -> AppResult<Option<Recommendation>> {
        let Some(me) = actor.employee_id else { return Ok(None) };
        let Some(e) = org_repo::employee(self.c(), me).await? else { return Ok(None) };
        let family = e.job_family.unwrap_or_default();
        Ok(waymark_domain::goals::combos::recommend(&family).map(|c| Recommendation {
            job_family: family,
            group: c.group.to_string(),
            parts: c
                .parts
                .iter()
                .map(|p| RecommendedPart {
                    framework: p.framework.to_string(),
                    weight: p.weight,
                    what: p.what.to_string(),
                })
                .collect(),
        }))
    }

    /// Summaries of goals with their owners' names.
    pub(crate) async fn summaries(&self, records: &[GoalRecord]) -> AppResult<Vec<GoalSummary>> {
        let mut out: Vec<GoalSummary> = records.iter().map(GoalSummary::from).collect();
        self.name_owners(out.iter_mut().collect(), HashMap::new()).await?;
        self.fill_lights(&mut out, records).await?;
        Ok(out)
    }

    /// Each summary's status light and last update (T-3), in one read.
    async fn fill_lights(&self, out: &mut [GoalSummary], records: &[GoalRecord]) -> AppResult<()> {
        // The lights of archived and draft goals are not shown: they are not tracked.
        let ids: Vec<Uuid> = records.iter().filter(|r| is_tracked(&r.goal.status)).map(|r| r.goal.id).collect();
        let lights: HashMap<Uuid, _> = waymark_store::repo::tracking::tracking(self.c(), &ids)
            .await?
            .into_iter()
            .map(|t| (t.goal_id, t))
            .collect();
        // A goal tracked since today (submitted, no check-in yet) has no stored light until the
        // next sweep: it gets the light its own page computes, by the same rule (issue 22,
        // item 5: the page showed a light the lists did not).
        let unlit: Vec<&GoalRecord> =
            records.iter().filter(|r| is_tracked(&r.goal.status) && !lights.contains_key(&r.goal.id)).collect();
        let mut fresh: HashMap<Uuid, String> = HashMap::new();
        if !unlit.is_empty() {
            let c = self.c();
            let settings = self.app.tracking().current_settings(c).await?;
            let periods: HashMap<Uuid, Period> = repo::periods(c).await?.into_iter().map(|p| (p.id, p)).collect();
            let (zone, today) = (self.app.zone(), self.app.today());
            for r in unlit {
                let Some(period) = periods.get(&r.goal.period_id) else { continue };
                let facts = crate::tracking::evaluate::GoalFacts {
                    goal_id: r.goal.id,
                    progress_bp: r.goal.progress_bp,
                    created_at: r.goal.created_at,
                    period_id: r.goal.period_id,
                };
                let s = crate::tracking::evaluate::decide(&facts, period, None, zone, today, &settings.thresholds);
                fresh.insert(r.goal.id, crate::tracking::evaluate::status_name(s.0).to_string());
            }
        }
        for s in out {
            if let Some(t) = lights.get(&s.id) {
                s.light = Some(t.status.clone());
                s.last_update_at = t.last_update_at;
            } else if let Some(l) = fresh.remove(&s.id) {
                s.light = Some(l);
            }
        }
        Ok(())
    }

    /// Fills in owners' names (name, employee number), in one read for all summaries of those
    /// not `known` already.
    async fn name_owners(
        &self,
        summaries: Vec<&mut GoalSummary>,
        mut people: HashMap<Uuid, (String, String)>,
    ) -> AppResult<()> {
        let ids: Vec<Uuid> = summaries
            .iter()
            .flat_map(|s| s.owner_ids.iter().copied())
            .filter(|o| !people.contains_key(o))
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        if !ids.is_empty() {
            let found = org_repo::employees_by_ids(self.c(), &ids).await?;
            people.extend(found.into_iter().map(|e| (e.id, (e.name, e.employee_no))));
        }
        for s in summaries {
            let known = |o: &Uuid| people.get(o).cloned().unwrap_or_default();
            (s.owner_names, s.owner_nos) = s.owner_ids.iter().map(known).unzip();
        }
        Ok(())
    }
}
