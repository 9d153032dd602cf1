//! Goal import from CSV and XLSX (SPEC G-8). The rows are read and grouped in
//! `waymark_domain::import_goals`; here the owners are limited to the importer's HR scope, each
//! key result is checked with the same rules as forms and the API, a goal already there by
//! owner, period and title is refused, and everything is written in one transaction as drafts
//! the owners then align and submit.

use std::collections::{HashMap, HashSet};

use uuid::Uuid;
use waymark_domain::import::{ImportError, Problem, header_text};
use waymark_domain::import_goals::{GoalColumn, GoalImportContext, validate_goals};
use waymark_store::entities::goal;
use waymark_store::repo::goals::{self as goal_repo, GoalRecord};
use waymark_store::repo::org as org_repo;

use crate::audit::entry;
use crate::goals::convert::{KeyResultInput, blank_key_result, check_key_result};
use crate::goals::evaluate::{Fixed, evaluate};
use crate::goals::goal_audit_json;
use crate::import::{ImportService, ImportSummary};
use crate::policy::Actor;
use crate::{AppError, AppResult};

/// The column a key-result field's error belongs to.
fn column_of(field: &str) -> GoalColumn {
    match field.rsplit('.').next().unwrap_or("") {
        "start" => GoalColumn::Start,
        "target" => GoalColumn::Target,
        "weight" => GoalColumn::Weight,
        "kind" => GoalColumn::Kind,
        _ => GoalColumn::KeyResult,
    }
}

impl ImportService<'_> {
    /// Validates and writes a file of goals; all or nothing. HR only, for people in their units.
    pub async fn import_goals(&self, actor: &Actor, bytes: &[u8], filename: Option<&str>) -> AppResult<ImportSummary> {
        self.ensure_allowed(actor)?;
        let (table, ignored) = self.read_columns::<GoalColumn>(bytes, filename)?;
        let c = &self.app.db.conn;
        let hr = actor.hr.clone();
        let owners: HashMap<String, Uuid> = org_repo::all_employees(c)
            .await?
            .into_iter()
            .filter(|e| e.is_current())
            .filter(|e| actor.system || hr.as_ref().is_some_and(|s| s.covers(e.unit_id)))
            .map(|e| (e.employee_no, e.id))
            .collect();
        let periods: HashMap<String, Uuid> = goal_repo::periods(c).await?.into_iter().map(|p| (p.name, p.id)).collect();
        let ctx = GoalImportContext { owners: &owners, periods: &periods, max_rows: self.app.config.import_max_rows };
        let records = validate_goals(&table, &ctx).map_err(AppError::Import)?;
        let header = &table.rows[0];
        let column = |col: GoalColumn| header_text(header, col);
        let now = self.app.clock.now();
        // Goals already there, by (owner, period, title): one read per period in the file.
        let mut existing: HashSet<(Uuid, Uuid, String)> = HashSet::new();
        let periods_in_file: HashSet<Uuid> = records.iter().map(|r| r.period).collect();
        for period in periods_in_file {
            let owners: HashSet<Uuid> = records.iter().filter(|r| r.period == period).map(|r| r.owner).collect();
            let pairs = goal_repo::goals_owned_by_any(c, &owners.into_iter().collect::<Vec<_>>(), period).await?;
            let ids: Vec<Uuid> = pairs.iter().map(|(g, _)| *g).collect();
            let titles: HashMap<Uuid, String> =
                goal_repo::goals(c, &ids).await?.into_iter().map(|g| (g.goal.id, g.goal.title)).collect();
            existing.extend(pairs.into_iter().filter_map(|(g, o)| titles.get(&g).map(|t| (o, period, t.clone()))));
        }
        let mut errors = Vec::new();
        let mut goals = Vec::new();
        for r in records {
            if existing.contains(&(r.owner, r.period, r.title.clone())) {
                let detail = "this person already has a goal with this title in the period".to_string();
                let problem = Problem::Rule { rule: "duplicate_goal".into(), detail };
                errors.push(ImportError {
                    row: r.row,
                    column: column(GoalColumn::Goal),
                    value: r.title.clone(),
                    problem,
                });
                continue;
            }
            let id = Uuid::now_v7();
            let mut key_results = Vec::new();
            for (i, k) in r.key_results.iter().enumerate() {
                let input = KeyResultInput {
                    title: k.title.clone(),
                    kind: k.kind.to_string(),
                    start: k.start,
                    target: k.target,
                    unit_label: k.unit.clone(),
                    weight: k.weight,
                    ..Default::default()
                };
                let mut row = blank_key_result(id, i as i32, now);
                let mut issues = Vec::new();
                check_key_result(&input, "", &mut row, &mut issues);
                for f in issues {
                    let col = column_of(&f.field);
                    let value = match col {
                        GoalColumn::Start => k.start.map(|v| v.to_string()).unwrap_or_default(),
                        GoalColumn::Target => k.target.map(|v| v.to_string()).unwrap_or_default(),
                        GoalColumn::Weight => k.weight.map(|v| v.to_string()).unwrap_or_default(),
                        _ => k.title.clone(),
                    };
                    let problem = Problem::Rule { rule: f.code, detail: f.message };
                    errors.push(ImportError { row: k.row, column: column(col), value, problem });
                }
                key_results.push(row);
            }
            if key_results.is_empty() && r.framework != "mbo" {
                let problem = Problem::Rule { rule: "required".into(), detail: "add at least one key result".into() };
                errors.push(ImportError {
                    row: r.row,
                    column: column(GoalColumn::KeyResult),
                    value: String::new(),
                    problem,
                });
            }
            goals.push(GoalRecord {
                goal: goal::Model {
                    id,
                    period_id: r.period,
                    title: r.title,
                    description: None,
                    framework: r.framework.to_string(),
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
                    created_by: actor.user_id,
                    created_at: now,
                    updated_at: now,
                },
                owners: vec![r.owner],
                key_results,
            });
        }
        if !errors.is_empty() {
            errors.sort_by_key(|e| e.row);
            return Err(AppError::Import(errors));
        }
        let none = HashMap::new();
        let ev = evaluate(&goals, &[], Fixed { goals: &none, key_results: &none, agreed: &Default::default() })
            .map_err(|_| AppError::Internal("an imported goal made a cycle".into()))?;
        crate::goals::evaluate::fill_progress(&mut goals, &ev);
        let audits = goals
            .iter()
            .map(|g| {
                let why = Some("imported".to_string());
                entry(actor, now, "goal", g.goal.id, g.owners.first().copied(), "create", None, goal_audit_json(g), why)
            })
            .collect();
        let created = goals.len();
        self.app.progress.step(crate::progress::Step::Writing, created);
        let tx = self.app.db.begin_write().await?;
        goal_repo::insert_goals(&*tx, goals).await?;
        tx.audit(audits);
        tx.commit().await?;
        self.app.progress.advance(created);
        self.app.after_bulk_write(created).await;
        Ok(ImportSummary { created, updated: 0, unchanged: 0, ignored_columns: ignored })
    }
}
