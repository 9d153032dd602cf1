//! Goal templates and the key-result library (指标库, G-8). HR keeps both; everyone uses them:
//! a library item is a standard metric a key result can be made from, a template a whole goal
//! a person makes a draft from. HR can also assign a template to everyone matching a filter —
//! each gets a draft to adjust, align and submit, and nobody gets the same template twice in a
//! period.

use std::collections::HashMap;
use waymark_domain::goals::period::Period;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use waymark_domain::goals::library::Suits;
use waymark_domain::org as rules;
use waymark_domain::org::Employee;
use waymark_store::entities::{goal, goal_template, key_result, kr_library_item};
use waymark_store::repo::goals::{self as repo, GoalRecord};
use waymark_store::repo::library as lib_repo;
use waymark_store::repo::workflow as flow_repo;

use super::convert::{self, KeyResultInput, blank_key_result, check_key_result, over_library};
use super::evaluate::{Fixed, evaluate, fill_progress};
use super::{FRAMEWORKS, GoalService, GoalView, MAX_KEY_RESULTS, goal_audit_json, one_of};
use crate::audit::{entry, json};
use crate::error::text_field;
use crate::inbox::{Message, notify_each};
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{AppError, AppResult, FieldIssue};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct TemplateInput {
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    #[schema(pattern = "^(okr|kpi|mbo|milestone|behaviour)$")]
    pub framework: String,
    /// The job family it suits; blank: any.
    #[serde(default)]
    pub job_family: Option<String>,
    /// The level it suits (as HR records levels, e.g. P5); blank: any.
    #[serde(default)]
    pub level: Option<String>,
    /// The period it is for; blank: any period.
    #[serde(default)]
    pub period_id: Option<Uuid>,
    #[serde(default)]
    pub is_key: Option<bool>,
    /// The goal's weight among the person's goals, in percent; blank: an equal share.
    #[serde(default)]
    pub weight: Option<f64>,
    #[serde(default)]
    pub key_results: Vec<KeyResultInput>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TemplateView {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub framework: String,
    pub job_family: Option<String>,
    pub level: Option<String>,
    pub period_id: Option<Uuid>,
    pub period_name: Option<String>,
    pub is_key: bool,
    pub weight: Option<f64>,
    pub key_results: Vec<KeyResultInput>,
    pub archived: bool,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct LibraryItemInput {
    /// The metric as a key result: title, kind, unit, direction, formula and suggested values.
    pub key_result: KeyResultInput,
    /// How it is measured: the source of the numbers, what counts.
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub job_family: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LibraryItemView {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub job_family: Option<String>,
    pub level: Option<String>,
    pub key_result: KeyResultInput,
    pub archived: bool,
}

/// Which entries a library page shows: a blank field shows all, a filled one the entries for
/// that value and those for anyone.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LibraryFilter {
    #[serde(default)]
    pub job_family: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
    /// Templates for this period and those for any period.
    #[serde(default)]
    pub period_id: Option<Uuid>,
    #[serde(default)]
    pub include_archived: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Library {
    pub templates: Vec<TemplateView>,
    pub items: Vec<LibraryItemView>,
    /// The actor keeps the library (HR).
    pub can_edit: bool,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UseTemplateInput {
    /// The period of the new goal; blank: the template's.
    #[serde(default)]
    pub period_id: Option<Uuid>,
}

/// Whom a bulk assignment reaches: current employees of a unit (and the units below it), or
/// of the whole organization, who suit the template and match the family and level given.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AssignInput {
    /// The period of the new goals; blank: the template's.
    #[serde(default)]
    pub period_id: Option<Uuid>,
    /// Blank: the whole organization.
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    #[serde(default = "yes")]
    pub include_subunits: bool,
    #[serde(default)]
    pub job_family: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
    /// Count and list who would get it, and write nothing.
    #[serde(default)]
    pub dry_run: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AssignReport {
    pub template_id: Uuid,
    pub period_id: Uuid,
    /// People the filter matches.
    pub matched: usize,
    /// Drafts made (none on a dry run).
    pub created: usize,
    /// Matched people who already have a live goal of this template (or title) in the period.
    pub skipped_duplicates: usize,
    pub dry_run: bool,
    /// The first people who get the goal, as "name (employee number)".
    pub sample: Vec<String>,
}

/// How many names an assignment report lists.
const SAMPLE: usize = 20;

/// Whether a template for `template_period` (blank: any) may make goals in `period`.
fn fits(template_period: Option<Uuid>, period: Uuid) -> bool {
    template_period.is_none_or(|p| p == period)
}

impl TemplateView {
    /// Whether this template may make goals in `period` (pages offer only those periods).
    pub fn fits_period(&self, period: &Uuid) -> bool {
        fits(self.period_id, *period)
    }
}

fn template_view(t: &goal_template::Model, period_names: &HashMap<Uuid, String>) -> TemplateView {
    TemplateView {
        id: t.id,
        title: t.title.clone(),
        description: t.description.clone(),
        framework: t.framework.clone(),
        job_family: t.job_family.clone(),
        level: t.level.clone(),
        period_id: t.period_id,
        period_name: t.period_id.and_then(|p| period_names.get(&p).cloned()),
        is_key: t.is_key,
        weight: t.weight_bp.map(|w| w as f64 / convert::BP),
        key_results: serde_json::from_str(&t.key_results).unwrap_or_default(),
        archived: t.archived,
        updated_at: t.updated_at,
    }
}

fn item_view(i: &kr_library_item::Model) -> LibraryItemView {
    LibraryItemView {
        id: i.id,
        title: i.title.clone(),
        description: i.description.clone(),
        job_family: i.job_family.clone(),
        level: i.level.clone(),
        key_result: serde_json::from_str(&i.definition).unwrap_or_default(),
        archived: i.archived,
    }
}

impl GoalService<'_> {
    fn require_library(&self, actor: &Actor, action: Action) -> AppResult<()> {
        if allowed(actor, action, Resource::GoalLibrary, Facts::default()) { Ok(()) } else { Err(AppError::Forbidden) }
    }

    async fn period_names(&self) -> AppResult<HashMap<Uuid, String>> {
        Ok(repo::periods(self.c()).await?.into_iter().map(|p| (p.id, p.name)).collect())
    }

    /// Fills key results that name a library item from its definition (blanks only); names
    /// `field(i)` when the item is unknown or archived.
    pub(crate) async fn resolve_library(
        &self,
        inputs: &mut [KeyResultInput],
        field: impl Fn(usize) -> String,
        issues: &mut Vec<FieldIssue>,
    ) -> AppResult<()> {
        let ids: Vec<Uuid> = inputs.iter().filter_map(|k| k.library_item_id).collect();
        if ids.is_empty() {
            return Ok(());
        }
        let items: HashMap<Uuid, kr_library_item::Model> =
            lib_repo::items_by_ids(self.c(), &ids).await?.into_iter().map(|i| (i.id, i)).collect();
        for (i, k) in inputs.iter_mut().enumerate() {
            let Some(id) = k.library_item_id else { continue };
            match items.get(&id).filter(|it| !it.archived) {
                Some(it) => {
                    let base: KeyResultInput = serde_json::from_str(&it.definition).unwrap_or_default();
                    *k = over_library(&base, k);
                }
                None => issues.push(FieldIssue::new(
                    &field(i),
                    "unknown_library_item",
                    "no such item in the key-result library",
                )),
            }
        }
        Ok(())
    }

    /// Checks key results as a template or library item keeps them: library blanks filled,
    /// every rule of a goal's key result, no current value (a goal made from it starts fresh).
    async fn check_definitions(
        &self,
        inputs: &[KeyResultInput],
        prefix: &str,
        issues: &mut Vec<FieldIssue>,
    ) -> AppResult<Vec<KeyResultInput>> {
        let mut krs = inputs.to_vec();
        self.resolve_library(&mut krs, |i| format!("{prefix}[{i}].library_item_id"), issues).await?;
        let now = self.app.clock.now();
        for (i, k) in krs.iter_mut().enumerate() {
            k.current = None;
            k.done = None;
            let mut scratch = blank_key_result(Uuid::nil(), i as i32, now);
            check_key_result(k, &format!("{prefix}[{i}]."), &mut scratch, issues);
            // Kept explicit, so the library says "lower is better" where the values imply it.
            if k.direction.is_none() {
                k.direction = scratch.direction;
            }
        }
        Ok(krs)
    }

    // ---- reading -----------------------------------------------------------------------------

    /// The templates and library items under `filter`, by title.
    pub async fn library(&self, actor: &Actor, filter: &LibraryFilter) -> AppResult<Library> {
        self.require_library(actor, Action::Read)?;
        let c = self.c();
        let names = self.period_names().await?;
        let shown = |family: &Option<String>, level: &Option<String>| {
            Suits { job_family: family.as_deref(), level: level.as_deref() }
                .filter(filter.job_family.as_deref(), filter.level.as_deref())
        };
        let templates = lib_repo::templates(c, filter.include_archived)
            .await?
            .iter()
            .filter(|t| shown(&t.job_family, &t.level))
            .filter(|t| filter.period_id.is_none_or(|p| fits(t.period_id, p)))
            .map(|t| template_view(t, &names))
            .collect();
        let items = lib_repo::items(c, filter.include_archived)
            .await?
            .iter()
            .filter(|i| shown(&i.job_family, &i.level))
            .map(item_view)
            .collect();
        Ok(Library {
            templates,
            items,
            can_edit: allowed(actor, Action::Write, Resource::GoalLibrary, Facts::default()),
        })
    }

    pub async fn template(&self, actor: &Actor, id: Uuid) -> AppResult<TemplateView> {
        self.require_library(actor, Action::Read)?;
        let t = lib_repo::template(self.c(), id).await?.ok_or(AppError::NotFound("template"))?;
        Ok(template_view(&t, &self.period_names().await?))
    }

    /// Templates that suit the actor (their job family and level) for a period: what the
    /// new-goal page offers to start from.
    pub async fn templates_for_me(&self, actor: &Actor, period_id: Uuid) -> AppResult<Vec<TemplateView>> {
        self.require_library(actor, Action::Read)?;
        let Some(me) = actor.employee_id else { return Ok(vec![]) };
        let Some(e) = waymark_store::repo::org::employee(self.c(), me).await? else { return Ok(vec![]) };
        let names = self.period_names().await?;
        Ok(lib_repo::templates(self.c(), false)
            .await?
            .iter()
            .filter(|t| fits(t.period_id, period_id))
            .filter(|t| {
                Suits { job_family: t.job_family.as_deref(), level: t.level.as_deref() }
                    .person(e.job_family.as_deref(), e.level.as_deref())
            })
            .map(|t| template_view(t, &names))
            .collect())
    }

    /// Library items a key result may be made from (not archived), by title.
    pub async fn library_items(&self, actor: &Actor) -> AppResult<Vec<LibraryItemView>> {
        self.require_library(actor, Action::Read)?;
        Ok(lib_repo::items(self.c(), false).await?.iter().map(item_view).collect())
    }

    // ---- keeping templates -------------------------------------------------------------------

    async fn template_row(&self, input: &TemplateInput, base: goal_template::Model) -> AppResult<goal_template::Model> {
        let mut issues = Vec::new();
        let title = rules::required_text(&input.title, 200)
            .map_err(|e| issues.push(FieldIssue::new("title", e.code(), e.message())))
            .unwrap_or_default();
        let description = text_field("description", input.description.as_deref(), 4000, &mut issues);
        one_of("framework", &input.framework, &FRAMEWORKS, &mut issues);
        let job_family = text_field("job_family", input.job_family.as_deref(), 100, &mut issues);
        let level = text_field("level", input.level.as_deref(), 100, &mut issues);
        if let Some(p) = input.period_id
            && repo::period(self.c(), p).await?.is_none()
        {
            issues.push(FieldIssue::new("period_id", "unknown_period", "no such period"));
        }
        let weight_bp = convert::weight_bp("weight", input.weight, &mut issues);
        if input.key_results.len() > MAX_KEY_RESULTS {
            issues.push(FieldIssue::new("key_results", "too_many", format!("at most {MAX_KEY_RESULTS}")));
        }
        if input.key_results.is_empty() && input.framework != "mbo" {
            issues.push(FieldIssue::new("key_results", "required", "add at least one key result or measure"));
        }
        let krs = self.check_definitions(&input.key_results, "key_results", &mut issues).await?;
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        Ok(goal_template::Model {
            title,
            description,
            framework: input.framework.clone(),
            job_family,
            level,
            period_id: input.period_id,
            is_key: input.is_key.unwrap_or(true),
            weight_bp,
            key_results: serde_json::to_string(&krs).map_err(|e| AppError::Internal(e.to_string()))?,
            updated_at: self.app.clock.now(),
            ..base
        })
    }

    pub async fn create_template(&self, actor: &Actor, input: TemplateInput) -> AppResult<TemplateView> {
        self.require_library(actor, Action::Write)?;
        let now = self.app.clock.now();
        let blank = goal_template::Model {
            id: Uuid::now_v7(),
            title: String::new(),
            description: None,
            framework: String::new(),
            job_family: None,
            level: None,
            period_id: None,
            is_key: true,
            weight_bp: None,
            key_results: "[]".into(),
            archived: false,
            created_by: actor.user_id,
            created_at: now,
            updated_at: now,
        };
        let t = self.template_row(&input, blank).await?;
        let tx = self.app.db.begin_write().await?;
        lib_repo::insert_template(&*tx, t.clone()).await?;
        let a = entry(
            actor,
            now,
            "goal_template",
            t.id,
            None,
            "create",
            None,
            json(&template_view(&t, &HashMap::new())),
            None,
        );
        tx.audit(vec![a]);
        tx.commit().await?;
        self.template(actor, t.id).await
    }

    pub async fn update_template(&self, actor: &Actor, id: Uuid, input: TemplateInput) -> AppResult<TemplateView> {
        self.require_library(actor, Action::Write)?;
        let old = lib_repo::template(self.c(), id).await?.ok_or(AppError::NotFound("template"))?;
        let t = self.template_row(&input, old.clone()).await?;
        self.save_template(actor, &old, t, "update").await
    }

    /// Archived templates are no longer offered or assignable; goals made from them stay.
    pub async fn set_template_archived(&self, actor: &Actor, id: Uuid, archived: bool) -> AppResult<TemplateView> {
        self.require_library(actor, Action::Write)?;
        let old = lib_repo::template(self.c(), id).await?.ok_or(AppError::NotFound("template"))?;
        let t = goal_template::Model { archived, updated_at: self.app.clock.now(), ..old.clone() };
        self.save_template(actor, &old, t, if archived { "archive" } else { "restore" }).await
    }

    async fn save_template(
        &self,
        actor: &Actor,
        old: &goal_template::Model,
        t: goal_template::Model,
        action: &str,
    ) -> AppResult<TemplateView> {
        let none = HashMap::new();
        let tx = self.app.db.begin_write().await?;
        lib_repo::update_template(&*tx, t.clone()).await?;
        let (before, after) = (json(&template_view(old, &none)), json(&template_view(&t, &none)));
        let a = entry(actor, t.updated_at, "goal_template", t.id, None, action, before, after, None);
        tx.audit(vec![a]);
        tx.commit().await?;
        self.template(actor, t.id).await
    }

    // ---- keeping the key-result library ------------------------------------------------------

    async fn item_row(
        &self,
        input: &LibraryItemInput,
        base: kr_library_item::Model,
    ) -> AppResult<kr_library_item::Model> {
        let mut issues = Vec::new();
        let description = text_field("description", input.description.as_deref(), 4000, &mut issues);
        let job_family = text_field("job_family", input.job_family.as_deref(), 100, &mut issues);
        let level = text_field("level", input.level.as_deref(), 100, &mut issues);
        let mut k = input.key_result.clone();
        // An item is a definition of its own, not a copy of another.
        k.library_item_id = None;
        let k = self.check_definitions(&[k], "key_result", &mut issues).await?.remove(0);
        if !issues.is_empty() {
            // One key result: name its fields `key_result.x`, not `key_result[0].x`.
            let issues =
                issues.into_iter().map(|i| FieldIssue { field: i.field.replace("key_result[0]", "key_result"), ..i });
            return Err(AppError::Invalid(issues.collect()));
        }
        Ok(kr_library_item::Model {
            title: k.title.trim().to_string(),
            description,
            job_family,
            level,
            definition: serde_json::to_string(&k).map_err(|e| AppError::Internal(e.to_string()))?,
            updated_at: self.app.clock.now(),
            ..base
        })
    }

    pub async fn create_library_item(&self, actor: &Actor, input: LibraryItemInput) -> AppResult<LibraryItemView> {
        self.require_library(actor, Action::Write)?;
        let now = self.app.clock.now();
        let blank = kr_library_item::Model {
            id: Uuid::now_v7(),
            title: String::new(),
            description: None,
            job_family: None,
            level: None,
            definition: "{}".into(),
            archived: false,
            created_by: actor.user_id,
            created_at: now,
            updated_at: now,
        };
        let item = self.item_row(&input, blank).await?;
        let tx = self.app.db.begin_write().await?;
        lib_repo::insert_item(&*tx, item.clone()).await?;
        let a = entry(actor, now, "kr_library_item", item.id, None, "create", None, json(&item_view(&item)), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(item_view(&item))
    }

    pub async fn update_library_item(
        &self,
        actor: &Actor,
        id: Uuid,
        input: LibraryItemInput,
    ) -> AppResult<LibraryItemView> {
        self.require_library(actor, Action::Write)?;
        let old = self.item(id).await?;
        let item = self.item_row(&input, old.clone()).await?;
        self.save_item(actor, &old, item, "update").await
    }

    /// Archived items are no longer offered; key results and templates made from them keep
    /// their copy of the definition.
    pub async fn set_library_item_archived(
        &self,
        actor: &Actor,
        id: Uuid,
        archived: bool,
    ) -> AppResult<LibraryItemView> {
        self.require_library(actor, Action::Write)?;
        let old = self.item(id).await?;
        let item = kr_library_item::Model { archived, updated_at: self.app.clock.now(), ..old.clone() };
        self.save_item(actor, &old, item, if archived { "archive" } else { "restore" }).await
    }

    async fn item(&self, id: Uuid) -> AppResult<kr_library_item::Model> {
        lib_repo::items_by_ids(self.c(), &[id]).await?.pop().ok_or(AppError::NotFound("library item"))
    }

    /// One library item, archived or not (its edit page).
    pub async fn library_item(&self, actor: &Actor, id: Uuid) -> AppResult<LibraryItemView> {
        self.require_library(actor, Action::Read)?;
        Ok(item_view(&self.item(id).await?))
    }

    async fn save_item(
        &self,
        actor: &Actor,
        old: &kr_library_item::Model,
        item: kr_library_item::Model,
        action: &str,
    ) -> AppResult<LibraryItemView> {
        let tx = self.app.db.begin_write().await?;
        lib_repo::update_item(&*tx, item.clone()).await?;
        let a = entry(
            actor,
            item.updated_at,
            "kr_library_item",
            item.id,
            None,
            action,
            json(&item_view(old)),
            json(&item_view(&item)),
            None,
        );
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(item_view(&item))
    }

    // ---- making goals from a template --------------------------------------------------------

    /// The live template and the period a goal made from it goes in: the one asked for, else
    /// the template's; a template for one period is not used in another.
    async fn template_and_period(&self, id: Uuid, period: Option<Uuid>) -> AppResult<(goal_template::Model, Period)> {
        let t = lib_repo::template(self.c(), id).await?.ok_or(AppError::NotFound("template"))?;
        if t.archived {
            return Err(AppError::field("template_id", "archived", "this template is archived"));
        }
        let Some(pid) = period.or(t.period_id) else {
            return Err(AppError::field("period_id", "required", "choose the period of the goals"));
        };
        if !fits(t.period_id, pid) {
            return Err(AppError::field("period_id", "template_period", "this template is for another period"));
        }
        let p = repo::period(self.c(), pid)
            .await?
            .ok_or_else(|| AppError::field("period_id", "unknown_period", "no such period"))?;
        Ok((t, p))
    }

    /// Draft goals made from `t` for each of `owners`, with fresh key results. Every draft is
    /// the same goal: it is checked and evaluated once, then copied with new ids.
    fn drafts_from(
        &self,
        actor: &Actor,
        t: &goal_template::Model,
        period: Uuid,
        owners: &[Uuid],
    ) -> AppResult<Vec<GoalRecord>> {
        let krs: Vec<KeyResultInput> = serde_json::from_str(&t.key_results).unwrap_or_default();
        let now = self.app.clock.now();
        let mut issues = Vec::new();
        let key_results = krs
            .iter()
            .enumerate()
            .map(|(i, k)| {
                let mut row = blank_key_result(Uuid::nil(), i as i32, now);
                check_key_result(k, &format!("key_results[{i}]."), &mut row, &mut issues);
                row
            })
            .collect();
        if !issues.is_empty() {
            // A template saved under older rules: HR fixes it and assigns again.
            return Err(AppError::Invalid(issues));
        }
        let mut model = vec![GoalRecord {
            goal: goal::Model {
                id: Uuid::nil(),
                period_id: period,
                title: t.title.clone(),
                description: t.description.clone(),
                framework: t.framework.clone(),
                level: "individual".into(),
                unit_id: None,
                visibility: "public".into(),
                status: "draft".into(),
                progress_source: "key_results".into(),
                is_key: t.is_key,
                weight_bp: t.weight_bp,
                due_on: None,
                template_id: Some(t.id),
                progress_bp: 0,
                created_by: actor.user_id,
                created_at: now,
                updated_at: now,
            },
            owners: vec![],
            key_results,
        }];
        let none = HashMap::new();
        let ev = evaluate(&model, &[], Fixed { goals: &none, key_results: &none, agreed: &Default::default() })
            .map_err(|_| AppError::Internal("a new goal made a cycle".into()))?;
        fill_progress(&mut model, &ev);
        let model = model.remove(0);
        Ok(owners
            .iter()
            .map(|owner| {
                let id = Uuid::now_v7();
                let key_results = model
                    .key_results
                    .iter()
                    .map(|k| key_result::Model { id: Uuid::now_v7(), goal_id: id, ..k.clone() })
                    .collect();
                GoalRecord { goal: goal::Model { id, ..model.goal.clone() }, owners: vec![*owner], key_results }
            })
            .collect())
    }

    /// Writes the drafts, one audit entry each, and tells each owner in their inbox.
    async fn write_drafts(
        &self,
        actor: &Actor,
        t: &goal_template::Model,
        drafts: Vec<GoalRecord>,
        summary: Option<waymark_store::repo::audit::NewAudit>,
    ) -> AppResult<()> {
        let now = self.app.clock.now();
        let why = format!("from template {}", t.title);
        let mut audits: Vec<_> = drafts
            .iter()
            .map(|r| {
                let owner = r.owners.first().copied();
                entry(actor, now, "goal", r.goal.id, owner, "create", None, goal_audit_json(r), Some(why.clone()))
            })
            .collect();
        audits.extend(summary);
        let goal_of: HashMap<Uuid, Uuid> = drafts.iter().map(|r| (r.owners[0], r.goal.id)).collect();
        let owners: Vec<Uuid> = goal_of.keys().copied().collect();
        let users = flow_repo::employee_users(self.c(), &owners).await?;
        let messages = users
            .into_iter()
            .map(|(e, u)| {
                let m = Message {
                    kind: "goal-assigned",
                    entity_type: "goal",
                    entity_id: goal_of[&e],
                    subject: &t.title,
                    body: None,
                };
                (u, m)
            })
            .collect();
        let written = drafts.len();
        self.app.progress.step(crate::progress::Step::Writing, written);
        let tx = self.app.db.begin_write().await?;
        repo::insert_goals(&*tx, drafts).await?;
        tx.audit(audits);
        notify_each(&tx, actor, now, messages);
        tx.commit().await?;
        self.app.progress.advance(written);
        self.app.after_bulk_write(written).await;
        Ok(())
    }

    /// A draft goal for the actor made from a template, to adjust, align and submit.
    pub async fn use_template(&self, actor: &Actor, id: Uuid, input: UseTemplateInput) -> AppResult<GoalView> {
        self.require_library(actor, Action::Read)?;
        let me = actor.employee_id.ok_or(AppError::NotFound("employee"))?;
        let (t, period) = self.template_and_period(id, input.period_id).await?;
        let drafts = self.drafts_from(actor, &t, period.id, &[me])?;
        self.require_all(actor, Action::Write, &drafts.iter().collect::<Vec<_>>()).await?;
        let goal_id = drafts[0].goal.id;
        self.write_drafts(actor, &t, drafts, None).await?;
        self.view(actor, goal_id).await
    }

    /// Assigns a template to everyone the filter matches (or, on a dry run, says who that is).
    /// Each access is checked as if the actor made each goal by hand: HR of the people's units
    /// (or their managers); one refusal refuses all.
    pub async fn assign_template(&self, actor: &Actor, id: Uuid, input: AssignInput) -> AppResult<AssignReport> {
        let (t, period) = self.template_and_period(id, input.period_id).await?;
        let c = self.c();
        if let Some(u) = input.unit_id
            && waymark_store::repo::org::unit(c, u).await?.is_none()
        {
            return Err(AppError::field("unit_id", "unknown_unit", "no such unit"));
        }
        let template_suits = Suits { job_family: t.job_family.as_deref(), level: t.level.as_deref() };
        let asked = Suits { job_family: input.job_family.as_deref(), level: input.level.as_deref() };
        let matched: Vec<Employee> = lib_repo::current_members(c, input.unit_id, input.include_subunits)
            .await?
            .into_iter()
            .filter(|e| {
                template_suits.person(e.job_family.as_deref(), e.level.as_deref())
                    && asked.person(e.job_family.as_deref(), e.level.as_deref())
            })
            .collect();
        self.app.progress.step(crate::progress::Step::Checking, matched.len());
        let having = lib_repo::owners_having(c, period.id, t.id, &t.title).await?;
        let to_get: Vec<&Employee> = matched.iter().filter(|e| !having.contains(&e.id)).collect();
        let owners: Vec<Uuid> = to_get.iter().map(|e| e.id).collect();
        let drafts = self.drafts_from(actor, &t, period.id, &owners)?;
        if drafts.is_empty() {
            // Nothing to write; still, only those who may assign learn whom a filter matches.
            self.require_library(actor, Action::Write)?;
        } else {
            self.require_all(actor, Action::Write, &drafts.iter().collect::<Vec<_>>()).await?;
        }
        let report = AssignReport {
            template_id: t.id,
            period_id: period.id,
            matched: matched.len(),
            created: if input.dry_run { 0 } else { drafts.len() },
            skipped_duplicates: matched.len() - to_get.len(),
            dry_run: input.dry_run,
            sample: to_get.iter().take(SAMPLE).map(|e| format!("{} ({})", e.name, e.employee_no)).collect(),
        };
        if !input.dry_run && !drafts.is_empty() {
            let summary = entry(
                actor,
                self.app.clock.now(),
                "goal_template",
                t.id,
                None,
                "assign",
                None,
                json(&serde_json::json!({
                    "period_id": period.id,
                    "unit_id": input.unit_id,
                    "include_subunits": input.include_subunits,
                    "job_family": input.job_family,
                    "level": input.level,
                    "matched": report.matched,
                    "created": report.created,
                    "skipped_duplicates": report.skipped_duplicates,
                })),
                None,
            );
            self.write_drafts(actor, &t, drafts, Some(summary)).await?;
        }
        Ok(report)
    }
}
