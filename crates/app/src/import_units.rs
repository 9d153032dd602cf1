//! Import and export of the unit tree as CSV and XLSX (SPEC O-1, O-4). The row rules live in
//! `waymark_domain::import_units`; here the file is read, the actor's HR scope checked, and
//! the whole file written top-down in one transaction with its audit entries.

use std::collections::HashMap;
use waymark_domain::org::Unit;

use uuid::Uuid;
use waymark_domain::import::{ImportColumn, ImportError, Problem, UnitLookup, header_text};
use waymark_domain::import_units::{
    ExistingUnit, ParentRef, UnitColumn, UnitImportContext, UnitRecord, validate_units,
};
use waymark_store::repo::org as repo;

use crate::audit::entry;
use crate::import::{FileFormat, ImportService, ImportSummary, top_down};
use crate::org::{OrgService, unit_audit_json};
use crate::policy::{Action, Actor, Resource, allowed};
use crate::{AppError, AppResult};

impl ImportService<'_> {
    /// Validates and applies a file of units; all or nothing. Units are matched by code.
    pub async fn import_units(&self, actor: &Actor, bytes: &[u8], filename: Option<&str>) -> AppResult<ImportSummary> {
        self.ensure_allowed(actor)?;
        let (table, ignored) = self.read_columns::<UnitColumn>(bytes, filename)?;
        let paths = self.app.org().unit_paths().await?;
        let mut lookup = UnitLookup::default();
        let existing: Vec<ExistingUnit> = paths
            .iter()
            .map(|(id, (u, path))| {
                lookup.add(*id, u.code.as_deref(), path, &u.name);
                ExistingUnit { id: *id, code: u.code.clone(), parent_id: u.parent_id }
            })
            .collect();
        let ctx = UnitImportContext { existing: &existing, lookup: &lookup, max_rows: self.app.config.import_max_rows };
        let records = validate_units(&table, &ctx).map_err(AppError::Import)?;
        let stored: HashMap<String, Unit> =
            paths.into_values().filter_map(|(u, _)| u.code.clone().map(|c| (c, u))).collect();
        let plan = plan(records, &stored, self.app.clock.now());
        check_scope(actor, &plan, &table.rows[0])?;
        let n = plan.len();
        self.app.progress.step(crate::progress::Step::Writing, n);
        let summary = self.apply_units(actor, plan).await?;
        self.app.progress.advance(n);
        Ok(ImportSummary { ignored_columns: ignored, ..summary })
    }

    async fn apply_units(&self, actor: &Actor, plan: Vec<Planned>) -> AppResult<ImportSummary> {
        let now = self.app.clock.now();
        let mut summary = ImportSummary::default();
        let parents: HashMap<Uuid, Uuid> =
            plan.iter().filter_map(|p| p.after.parent_id.map(|q| (p.after.id, q))).collect();
        let order = top_down(&parents, plan.iter().map(|p| p.after.id).collect());
        let by_id: HashMap<Uuid, &Planned> = plan.iter().map(|p| (p.after.id, p)).collect();
        let tx = self.app.db.begin_write().await?;
        let mut audits = Vec::new();
        // Top-down: every unit's new parent is in its final place before the unit moves,
        // so no step puts a unit under its own sub-unit.
        for id in order {
            let p = by_id[&id];
            let after = Unit { updated_at: now, ..p.after.clone() };
            match &p.before {
                None => {
                    summary.created += 1;
                    audits.push(entry(
                        actor,
                        now,
                        "unit",
                        id,
                        None,
                        "import_create",
                        None,
                        unit_audit_json(&after),
                        None,
                    ));
                    repo::insert_unit(&*tx, after).await?;
                }
                Some(b) if same_unit(b, &p.after) => summary.unchanged += 1,
                Some(b) => {
                    summary.updated += 1;
                    let (before_json, after_json) = (unit_audit_json(b), unit_audit_json(&after));
                    audits.push(entry(actor, now, "unit", id, None, "import_update", before_json, after_json, None));
                    repo::update_unit(&*tx, b, after).await?;
                }
            }
        }
        tx.audit(audits);
        tx.commit().await?;
        Ok(summary)
    }

    /// Units in the actor's HR scope as CSV or XLSX, parents before children, with Chinese or
    /// English headers; the file imports back unchanged.
    pub async fn export_units(&self, actor: &Actor, format: FileFormat, chinese: bool) -> AppResult<Vec<u8>> {
        self.ensure_allowed(actor)?;
        let paths = self.app.org().unit_paths().await?;
        let mut rows: Vec<&(Unit, String)> = paths.values().filter(|(u, _)| may_change(actor, Some(u.id))).collect();
        // Path order puts every parent before its children and reads like the org chart.
        rows.sort_by(|a, b| a.1.cmp(&b.1));
        let code_of = |id: Option<Uuid>| id.and_then(|p| paths.get(&p)).and_then(|(u, _)| u.code.clone());
        let mut table = vec![UnitColumn::ALL.iter().map(|c| c.header(chinese).to_string()).collect::<Vec<_>>()];
        for (u, path) in rows {
            table.push(vec![
                u.code.clone().unwrap_or_default(),
                u.name.clone(),
                code_of(u.parent_id).unwrap_or_default(),
                u.kind.clone(),
                u.sort_order.to_string(),
                path.clone(),
            ]);
        }
        self.write_out(&table, format)
    }
}

/// Whether the actor may change the unit (or place units at the top, for `None`).
fn may_change(actor: &Actor, unit: Option<Uuid>) -> bool {
    allowed(actor, Action::Write, Resource::OrgStructure, OrgService::facts_for_unit(actor, unit))
}

/// One row of the file with the unit as stored now (if it exists) and as it will be.
struct Planned {
    row: usize,
    before: Option<Unit>,
    after: Unit,
}

/// Gives new units their ids and resolves every parent to an id.
fn plan(records: Vec<UnitRecord>, stored: &HashMap<String, Unit>, now: chrono::DateTime<chrono::Utc>) -> Vec<Planned> {
    let ids: HashMap<String, Uuid> = records
        .iter()
        .map(|r| (r.code.clone(), stored.get(&r.code).map(|u| u.id).unwrap_or_else(Uuid::now_v7)))
        .collect();
    records
        .into_iter()
        .map(|r| {
            let before = stored.get(&r.code).cloned();
            let parent_id = match &r.parent {
                None => before.as_ref().and_then(|b| b.parent_id),
                Some(ParentRef::Root) => None,
                Some(ParentRef::InFile(code)) => ids.get(code).copied(),
                Some(ParentRef::Existing(id)) => Some(*id),
            };
            let after = Unit {
                id: ids[&r.code],
                code: Some(r.code),
                name: r.name,
                parent_id,
                kind: r
                    .kind
                    .map(str::to_string)
                    .or_else(|| before.as_ref().map(|b| b.kind.clone()))
                    .unwrap_or_else(|| "department".into()),
                sort_order: r.sort_order.or_else(|| before.as_ref().map(|b| b.sort_order)).unwrap_or(0),
                created_at: before.as_ref().map(|b| b.created_at).unwrap_or(now),
                updated_at: before.as_ref().map(|b| b.updated_at).unwrap_or(now),
            };
            Planned { row: r.row, before, after }
        })
        .collect()
}

fn same_unit(a: &Unit, b: &Unit) -> bool {
    (&a.code, &a.name, a.parent_id, &a.kind, a.sort_order) == (&b.code, &b.name, b.parent_id, &b.kind, b.sort_order)
}

/// HR changes only units in their scope, and places units only under units in their scope
/// (a new unit under another new unit is placed by that unit's own row).
fn check_scope(actor: &Actor, plan: &[Planned], header: &[String]) -> AppResult<()> {
    let new_ids: std::collections::HashSet<Uuid> =
        plan.iter().filter(|p| p.before.is_none()).map(|p| p.after.id).collect();
    let column = |col: UnitColumn| header_text(header, col);
    let mut errors = Vec::new();
    for p in plan {
        let changed = p.before.as_ref().is_none_or(|b| !same_unit(b, &p.after));
        if !changed {
            continue;
        }
        let code = p.after.code.clone().unwrap_or_default();
        if p.before.is_some() && !may_change(actor, Some(p.after.id)) {
            errors.push(ImportError {
                row: p.row,
                column: column(UnitColumn::Code),
                value: code,
                problem: Problem::UnknownUnit,
            });
            continue;
        }
        let moved = p.before.as_ref().is_none_or(|b| b.parent_id != p.after.parent_id);
        let parent_is_new = p.after.parent_id.is_some_and(|q| new_ids.contains(&q));
        if moved && !parent_is_new && !may_change(actor, p.after.parent_id) {
            errors.push(ImportError {
                row: p.row,
                column: column(UnitColumn::ParentCode),
                value: String::new(),
                problem: Problem::UnknownParent,
            });
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(AppError::Import(errors)) }
}
