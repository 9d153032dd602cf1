//! Working hours and leave per person and week (issue 26, item 1; SPEC I-4), from the
//! attendance system: a CSV/XLSX import on the admin page, or weeks pushed through the API.
//! Both read the same way (`waymark_domain::attendance`): all rows or none, each refused cell
//! named. HR records the people of their units, never themselves; each person's recorded
//! weeks are audited on their record. The signal rules read the weeks for sustained overtime
//! and leave not taken; nothing else does.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use uuid::Uuid;
use waymark_domain::attendance::{AttendanceColumn, AttendanceContext, Employed, WorkWeek, validate_attendance};
use waymark_domain::import::{ImportColumn, Table};
use waymark_domain::org::EmployeeStatus;
use waymark_domain::signals::Windows;
use waymark_store::repo::attendance as repo;
use waymark_store::repo::org as org_repo;

use crate::audit::{entry, json};
use crate::import::{ImportService, ImportSummary};
use crate::policy::{Action, Actor, Facts, Resource, allowed, could_about_others};
use crate::{App, AppError, AppResult};

/// One week pushed by another system, as a file row would carry it.
#[derive(Debug, Clone)]
pub struct WeekInput {
    pub employee_no: String,
    /// Any day of the week (2026-11-30) or its ISO number (2026-W49).
    pub week: String,
    /// Hours worked in the week, 0–168.
    pub hours: f64,
    /// Days of leave taken in the week, 0–7; none when absent.
    pub leave_days: Option<f64>,
}

pub struct AttendanceService<'a> {
    pub(crate) app: &'a App,
}

impl AttendanceService<'_> {
    /// Records weeks pushed by another system; all or none, errors numbered as file rows
    /// (the first week is row 2).
    pub async fn record(&self, actor: &Actor, weeks: &[WeekInput]) -> AppResult<ImportSummary> {
        let header: Vec<String> = AttendanceColumn::ALL.iter().map(|c| c.header(false).to_string()).collect();
        let mut rows = vec![header];
        rows.extend(weeks.iter().map(|w| {
            vec![
                w.employee_no.clone(),
                w.week.clone(),
                w.hours.to_string(),
                w.leave_days.map(|d| d.to_string()).unwrap_or_default(),
            ]
        }));
        self.record_table(actor, &Table { rows }, "api").await
    }

    /// Validates and saves a table of weeks in one transaction.
    pub(crate) async fn record_table(&self, actor: &Actor, table: &Table, source: &str) -> AppResult<ImportSummary> {
        if !could_about_others(actor, Action::Write, Resource::WorkTime) {
            return Err(AppError::Forbidden);
        }
        let c = &self.app.db.conn;
        let people: HashMap<String, Employed> = org_repo::all_employees(c)
            .await?
            .into_iter()
            .filter(|e| {
                let facts = Facts {
                    is_self: actor.employee_id == Some(e.id),
                    in_hr_scope: actor.hr.as_ref().is_some_and(|s| s.covers(e.unit_id)),
                    ..Facts::default()
                };
                allowed(actor, Action::Write, Resource::WorkTime, facts)
            })
            .map(|e| {
                let left = (e.status == EmployeeStatus::Left).then_some(e.status_since).flatten();
                (e.employee_no, Employed { id: e.id, hired: e.hire_date, left })
            })
            .collect();
        let ctx =
            AttendanceContext { people: &people, today: self.app.today(), max_rows: self.app.config.import_max_rows };
        let weeks: Vec<WorkWeek> =
            validate_attendance(table, &ctx).map_err(AppError::Import)?.into_iter().map(|r| r.week).collect();
        let now = self.app.clock.now();
        // One audit record per person: how many weeks, which, from where.
        let mut per_person: BTreeMap<Uuid, (usize, NaiveDate, NaiveDate)> = BTreeMap::new();
        for w in &weeks {
            let e = per_person.entry(w.person).or_insert((0, w.week, w.week));
            *e = (e.0 + 1, e.1.min(w.week), e.2.max(w.week));
        }
        let audits = per_person
            .iter()
            .map(|(person, (n, first, last))| {
                let after = serde_json::json!({ "weeks": n, "from": first, "to": last, "source": source });
                entry(actor, now, "work_week", *person, Some(*person), "record", None, json(&after), None)
            })
            .collect();
        let tx = self.app.db.begin_write().await?;
        let saved = repo::save(&*tx, &weeks, source, now, actor.user_id).await?;
        tx.audit(audits);
        tx.commit().await?;
        Ok(ImportSummary {
            created: saved.created,
            updated: saved.updated,
            unchanged: saved.unchanged,
            ignored_columns: vec![],
        })
    }

    /// A person's recorded weeks of the last half year (the weeks the signal rules read), for
    /// themselves and HR of their unit.
    pub async fn recent_weeks(&self, actor: &Actor, person: Uuid) -> AppResult<Vec<WorkWeek>> {
        if !self.can_read(actor, person).await? {
            return Err(AppError::Forbidden);
        }
        let from = Windows::new(self.app.today()).leave_from();
        Ok(repo::weeks_of(&self.app.db.conn, person, from).await?)
    }

    /// Whether the actor may see `person`'s weeks (pages show them only then).
    pub async fn can_read(&self, actor: &Actor, person: Uuid) -> AppResult<bool> {
        let target = org_repo::employee(&self.app.db.conn, person).await?.ok_or(AppError::NotFound("employee"))?;
        let facts = self.app.org().facts_for_employee(actor, &target).await?;
        Ok(allowed(actor, Action::Read, Resource::WorkTime, facts))
    }
}

impl ImportService<'_> {
    /// Validates and saves a file of weeks; all or nothing. HR, for the people of their units.
    pub async fn import_attendance(
        &self,
        actor: &Actor,
        bytes: &[u8],
        filename: Option<&str>,
    ) -> AppResult<ImportSummary> {
        if !could_about_others(actor, Action::Write, Resource::WorkTime) {
            return Err(AppError::Forbidden);
        }
        let (table, ignored) = self.read_columns::<AttendanceColumn>(bytes, filename)?;
        let summary = self.app.attendance().record_table(actor, &table, "import").await?;
        Ok(ImportSummary { ignored_columns: ignored, ..summary })
    }
}
