//! Import and export of employees as CSV and XLSX (SPEC O-4). Reading a file into a
//! table, decoding GB18030/GBK, and writing the result in one transaction live here; the
//! row rules live in `waymark_domain::import`.

use std::collections::{HashMap, HashSet};
use std::io::Cursor;

use calamine::{Data, DataType, Reader, Xlsx};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::import::{
    Column, ExistingEmployee, ImportContext, ImportError, ImportRecord, Problem, Table, UnitLookup, header_text,
    validate,
};
use waymark_domain::org::{Employee, EmployeeStatus, StatusRecord};
use waymark_store::repo::org as repo;

use crate::org::{OrgService, employee_entry};
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::progress::Step;
use crate::{App, AppError, AppResult};

pub struct ImportService<'a> {
    pub(crate) app: &'a App,
    /// Columns Waymark does not read are left out and listed instead of refusing the file
    /// (the importer's choice; refused by default).
    pub(crate) ignore_unknown_columns: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FileFormat {
    Csv,
    Xlsx,
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ImportSummary {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// The headers of the columns left out because Waymark does not read them (only when the
    /// importer chose to have unknown columns ignored).
    pub ignored_columns: Vec<String>,
}

/// Which format a file is: XLSX files are ZIP archives and start with `PK`.
pub fn sniff(bytes: &[u8], filename: Option<&str>) -> FileFormat {
    let by_name = filename.map(|f| f.to_lowercase());
    if bytes.starts_with(b"PK\x03\x04") || by_name.as_deref().is_some_and(|f| f.ends_with(".xlsx")) {
        FileFormat::Xlsx
    } else {
        FileFormat::Csv
    }
}

/// Text of a CSV file: UTF-8 (BOM stripped) when valid, otherwise GB18030 (a superset of
/// GBK, which is what Excel in China writes).
pub fn decode_text(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => encoding_rs::GB18030.decode(bytes).0.into_owned(),
    }
}

pub(crate) fn file_error(problem: Problem, detail: &str) -> AppError {
    AppError::Import(vec![ImportError { row: 1, column: String::new(), value: detail.to_string(), problem }])
}

/// What a file may hold before it is read (issue 21, item 1): every import reads through
/// [`read_table`] with these caps, so no file can make the server allocate more than a few
/// times its own size.
#[derive(Debug, Clone, Copy)]
pub struct ReadLimits {
    /// Data rows (the header is one more).
    pub max_rows: usize,
    /// Columns read; cells to the right of this are ignored.
    pub max_columns: usize,
    /// Characters in one cell (no field takes more).
    pub max_cell_chars: usize,
    /// Bytes an XLSX file may unpack to, all its parts together.
    pub max_unpacked: u64,
}

impl ReadLimits {
    pub fn for_upload(max_bytes: usize, max_rows: usize) -> Self {
        Self { max_rows, max_columns: 256, max_cell_chars: 10_000, max_unpacked: (max_bytes as u64).saturating_mul(10) }
    }
}

fn too_large(what: String) -> AppError {
    file_error(Problem::FileTooLarge { what }, "")
}

/// The cell as imported: not longer than any field takes, and without the `'` an export put
/// before a formula-like value.
fn checked_cell(v: String, row: usize, col: usize, limits: &ReadLimits) -> AppResult<String> {
    if v.chars().count() > limits.max_cell_chars {
        return Err(AppError::Import(vec![ImportError {
            row,
            column: column_name(col),
            value: v.chars().take(waymark_domain::import::QUOTED_CHARS + 1).collect(),
            problem: Problem::CellTooLong { limit: limits.max_cell_chars },
        }]));
    }
    Ok(match waymark_domain::import::strip_inert_quote(&v) {
        s if s.len() == v.len() => v,
        s => s.to_string(),
    })
}

/// A column as Excel names it: 0 → A, 26 → AA.
fn column_name(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (i % 26) as u8);
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

pub fn read_table(bytes: &[u8], format: FileFormat, limits: &ReadLimits) -> AppResult<Table> {
    match format {
        FileFormat::Csv => read_csv(bytes, limits),
        FileFormat::Xlsx => read_xlsx(bytes, limits),
    }
}

fn read_csv(bytes: &[u8], limits: &ReadLimits) -> AppResult<Table> {
    let text = decode_text(bytes);
    let first = text.lines().next().unwrap_or("");
    let delimiter = if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else if first.contains(';') && !first.contains(',') {
        b';'
    } else {
        b','
    };
    let mut r =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        if i > limits.max_rows {
            return Err(file_error(Problem::TooManyRows { limit: limits.max_rows }, ""));
        }
        let rec = rec.map_err(|e| file_error(Problem::EmptyFile, &format!("CSV: {e}")))?;
        let row = rec
            .iter()
            .take(limits.max_columns)
            .enumerate()
            .map(|(j, v)| checked_cell(v.to_string(), i + 1, j, limits))
            .collect::<AppResult<Vec<String>>>()?;
        rows.push(row);
    }
    Ok(Table { rows })
}

/// An XLSX workbook's first sheet, streamed cell by cell. Before anything is unpacked, the
/// archive's declared sizes are added up (a 1 MB file may hold a 1 GB shared string); before a
/// cell is read, the sheet's declared range is checked (a 2 KB file may declare A1:XFD1048576,
/// which a grid reader would allocate at once).
fn read_xlsx(bytes: &[u8], limits: &ReadLimits) -> AppResult<Table> {
    let bad = |e: &dyn std::fmt::Display| file_error(Problem::EmptyFile, &format!("XLSX: {e}"));
    {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
        let mut unpacked = 0u64;
        for i in 0..zip.len() {
            let f = zip.by_index_raw(i).map_err(|e| bad(&e))?;
            unpacked = unpacked.saturating_add(f.size());
        }
        if unpacked > limits.max_unpacked {
            return Err(too_large(format!(
                "it unpacks to {} MB, more than {} MB",
                unpacked / 1_000_000,
                limits.max_unpacked / 1_000_000
            )));
        }
    }
    let mut wb: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
    let Some(sheet) = wb.sheet_names().first().cloned() else { return Ok(Table::default()) };
    let mut cells = wb.worksheet_cells_reader(&sheet).map_err(|e| bad(&e))?;
    let dims = cells.dimensions();
    let declared_rows = (dims.end.0 as u64).saturating_sub(dims.start.0 as u64) + 1;
    if dims.end != (0, 0) && declared_rows > limits.max_rows as u64 + 1 {
        return Err(too_large(format!(
            "the sheet declares {declared_rows} rows (range ending at row {}), more than {} — delete the empty rows",
            dims.end.0 + 1,
            limits.max_rows + 1
        )));
    }
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = cells.next_cell().map_err(|e| bad(&e))? {
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        if c >= limits.max_columns {
            continue;
        }
        if r > limits.max_rows {
            return Err(file_error(Problem::TooManyRows { limit: limits.max_rows }, ""));
        }
        let value: Data = cell.get_value().clone().into();
        let text = checked_cell(cell_text(&value), r + 1, c, limits)?;
        if text.is_empty() {
            continue;
        }
        if rows.len() <= r {
            rows.resize_with(r + 1, Vec::new);
        }
        let row = &mut rows[r];
        if row.len() <= c {
            row.resize(c + 1, String::new());
        }
        row[c] = text;
    }
    // As before the streaming reader: the table starts at the first row that holds anything.
    let first = rows.iter().position(|r| !r.is_empty()).unwrap_or(rows.len());
    rows.drain(..first);
    Ok(Table { rows })
}

/// Excel cells as the text a person sees; dates as `YYYY-MM-DD`, whole numbers without `.0`.
fn cell_text(d: &Data) -> String {
    match d {
        Data::DateTime(_) | Data::DateTimeIso(_) => {
            d.as_date().map(|x| x.format("%Y-%m-%d").to_string()).unwrap_or_default()
        }
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

impl ImportService<'_> {
    /// The same imports, leaving out (and listing) the columns Waymark does not read instead of
    /// refusing the file.
    pub fn ignoring_unknown_columns(self, ignore: bool) -> Self {
        ImportService { ignore_unknown_columns: ignore, ..self }
    }

    /// An uploaded file as a table with the columns of `C` only if unknown ones are to be
    /// ignored, and the headers left out.
    pub(crate) fn read_columns<C: waymark_domain::import::ImportColumn>(
        &self,
        bytes: &[u8],
        filename: Option<&str>,
    ) -> AppResult<(Table, Vec<String>)> {
        self.app.progress.step(Step::Reading, 0);
        let mut table = self.read_upload(bytes, filename)?;
        let ignored = match self.ignore_unknown_columns {
            true => waymark_domain::import::drop_unknown_columns::<C>(&mut table),
            false => vec![],
        };
        // Every row is checked before anything is written.
        self.app.progress.step(Step::Checking, table.rows.len().saturating_sub(1));
        Ok((table, ignored))
    }

    /// An uploaded file as a table, refused over the size limit.
    pub(crate) fn read_upload(&self, bytes: &[u8], filename: Option<&str>) -> AppResult<Table> {
        let limit = self.app.config.import_max_bytes;
        if bytes.len() > limit {
            return Err(AppError::TooLarge { limit });
        }
        read_table(bytes, sniff(bytes, filename), &ReadLimits::for_upload(limit, self.app.config.import_max_rows))
    }

    /// An export's table as a file, its rows counted for whoever watches.
    pub(crate) fn write_out(&self, table: &[Vec<String>], format: FileFormat) -> AppResult<Vec<u8>> {
        let rows = table.len().saturating_sub(1);
        self.app.progress.step(Step::Writing, rows);
        let out = write_table(table, format);
        self.app.progress.advance(rows);
        out
    }

    /// Whether the actor may import and export people at all (the admin page asks first).
    pub fn ensure_allowed(&self, actor: &Actor) -> AppResult<()> {
        if allowed(actor, Action::Write, Resource::PeopleTransfer, Facts::default()) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Validates and applies a file of employees; all or nothing (O-4, Q-2).
    pub async fn import_employees(
        &self,
        actor: &Actor,
        bytes: &[u8],
        filename: Option<&str>,
    ) -> AppResult<ImportSummary> {
        if !allowed(actor, Action::Write, Resource::PeopleTransfer, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let (table, ignored) = self.read_columns::<Column>(bytes, filename)?;
        let c = &self.app.db.conn;
        let existing_rows = repo::all_employees(c).await?;
        let no_of: HashMap<Uuid, String> = existing_rows.iter().map(|e| (e.id, e.employee_no.clone())).collect();
        let existing: HashMap<String, ExistingEmployee> = existing_rows
            .iter()
            .map(|e| {
                (
                    e.employee_no.clone(),
                    ExistingEmployee {
                        id: e.id,
                        manager_no: e.manager_id.and_then(|m| no_of.get(&m).cloned()),
                        email: e.email.clone(),
                    },
                )
            })
            .collect();
        let mut units = UnitLookup::default();
        for (id, (u, path)) in self.app.org().unit_paths().await? {
            units.add(id, u.code.as_deref(), &path, &u.name);
        }
        let ctx = ImportContext {
            existing: &existing,
            units: &units,
            today: self.app.today(),
            max_rows: self.app.config.import_max_rows,
        };
        let records = validate(&table, &ctx).map_err(AppError::Import)?;
        self.check_scope(actor, &records, &existing_rows, &table)?;
        let n = records.len();
        self.app.progress.step(Step::Writing, n);
        let summary = self.apply(actor, records, existing_rows).await?;
        self.app.progress.advance(n);
        Ok(ImportSummary { ignored_columns: ignored, ..summary })
    }

    /// HR may only import people into, and out of, units in their scope.
    fn check_scope(
        &self,
        actor: &Actor,
        records: &[ImportRecord],
        existing: &[Employee],
        table: &Table,
    ) -> AppResult<()> {
        let by_no: HashMap<&str, &Employee> = existing.iter().map(|e| (e.employee_no.as_str(), e)).collect();
        let unit_header = header_text(&table.rows[0], Column::Unit);
        let may = |unit: Uuid| {
            allowed(actor, Action::Write, Resource::PersonalRecord, OrgService::facts_for_unit(actor, Some(unit)))
        };
        let errors: Vec<ImportError> = records
            .iter()
            .filter(|r| !may(r.unit_id) || by_no.get(r.employee_no.as_str()).is_some_and(|e| !may(e.unit_id)))
            .map(|r| ImportError {
                row: r.row,
                column: unit_header.clone(),
                value: String::new(),
                problem: Problem::UnknownUnit,
            })
            .collect();
        if errors.is_empty() { Ok(()) } else { Err(AppError::Import(errors)) }
    }

    async fn apply(
        &self,
        actor: &Actor,
        records: Vec<ImportRecord>,
        existing: Vec<Employee>,
    ) -> AppResult<ImportSummary> {
        let now = self.app.clock.now();
        let mut by_no: HashMap<String, Employee> = existing.into_iter().map(|e| (e.employee_no.clone(), e)).collect();
        let ids: HashMap<String, Uuid> = records
            .iter()
            .map(|r| (r.employee_no.clone(), by_no.get(&r.employee_no).map(|e| e.id).unwrap_or_else(Uuid::now_v7)))
            .collect();
        let known: HashMap<String, Uuid> = by_no.iter().map(|(no, e)| (no.clone(), e.id)).collect();
        let id_of = |no: &str| ids.get(no).or_else(|| known.get(no)).copied();
        let mut summary = ImportSummary::default();
        let mut audits = Vec::new();
        let mut events = Vec::new();
        let mut new_rows = Vec::new();
        let mut changed: Vec<(Employee, Employee)> = Vec::new();
        let mut moved: HashMap<Uuid, Option<Uuid>> = HashMap::new();
        for r in &records {
            let manager_id = r.manager_no.as_deref().and_then(id_of);
            let before = by_no.get(&r.employee_no).cloned();
            let status = r.status.or_else(|| before.as_ref().map(|b| b.status)).unwrap_or(EmployeeStatus::Active);
            let status_changed = before.as_ref().is_none_or(|b| b.status != status);
            let status_since = match (r.status_since, status_changed) {
                (Some(d), _) => Some(d),
                (None, true) => Some(if before.is_none() { r.hire_date } else { self.app.today() }),
                (None, false) => before.as_ref().and_then(|b| b.status_since),
            };
            let after = Employee {
                id: ids[&r.employee_no],
                employee_no: r.employee_no.clone(),
                name: r.name.clone(),
                email: r.email.clone(),
                unit_id: r.unit_id,
                manager_id,
                job_family: r.job_family.clone(),
                career_track: r.career_track,
                level: r.level.clone(),
                location: r.location.clone(),
                hire_date: r.hire_date,
                probation_end: r.probation_end,
                status,
                status_since,
                created_at: before.as_ref().map(|b| b.created_at).unwrap_or(now),
                updated_at: now,
            };
            if status_changed {
                events.push(StatusRecord {
                    id: Uuid::now_v7(),
                    employee_id: after.id,
                    status,
                    effective_on: status_since.unwrap_or(r.hire_date),
                    reason: Some("import".into()),
                    recorded_at: now,
                    recorded_by: actor.user_id,
                });
            }
            match before {
                None => {
                    summary.created += 1;
                    audits.push(employee_entry(actor, now, "import_create", None, &after, None));
                    if after.manager_id.is_some() {
                        moved.insert(after.id, after.manager_id);
                    }
                    new_rows.push(Employee { manager_id: None, ..after.clone() });
                }
                Some(b) if same_content(&b, &after) => summary.unchanged += 1,
                Some(b) => {
                    summary.updated += 1;
                    audits.push(employee_entry(actor, now, "import_update", Some(&b), &after, None));
                    if b.manager_id != after.manager_id {
                        moved.insert(after.id, after.manager_id);
                    }
                    changed.push((b, after.clone()));
                }
            }
            by_no.insert(r.employee_no.clone(), after);
        }
        // Managers are placed top-down in the final tree so that no step makes a cycle.
        let final_parent: HashMap<Uuid, Uuid> =
            by_no.values().filter_map(|e| e.manager_id.map(|m| (e.id, m))).collect();
        let order = top_down(&final_parent, moved.keys().copied().collect());

        let written = new_rows.len() + changed.len();
        let tx = self.app.db.begin_write().await?;
        repo::insert_employees_bulk(&*tx, new_rows).await?;
        for (b, a) in changed {
            // The closure is re-pointed below, in a safe order, so save without moving.
            repo::update_employee(&*tx, &b, Employee { manager_id: b.manager_id, ..a }).await?;
        }
        for id in order {
            let target = moved[&id];
            let current = repo::employee(&*tx, id).await?.ok_or(AppError::NotFound("employee"))?;
            repo::update_employee(&*tx, &current, Employee { manager_id: target, ..current.clone() }).await?;
        }
        let leavers: Vec<Uuid> =
            events.iter().filter(|e| e.status == EmployeeStatus::Left).map(|e| e.employee_id).collect();
        crate::accounts::AccountService::end_access_of_employees(&*tx, &leavers, now).await?;
        repo::insert_status_events_bulk(&*tx, events).await?;
        tx.audit(audits);
        tx.commit().await?;
        self.app.after_bulk_write(written).await;
        Ok(summary)
    }

    /// Employees in the actor's scope as CSV (UTF-8 with BOM, so Excel opens it) or XLSX,
    /// with Chinese or English headers; units are written as full paths for re-import.
    pub async fn export_employees(&self, actor: &Actor, format: FileFormat, chinese: bool) -> AppResult<Vec<u8>> {
        if !allowed(actor, Action::Read, Resource::PeopleTransfer, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let rows = repo::all_employees(&self.app.db.conn).await?;
        let paths = self.app.org().unit_paths().await?;
        let no_of: HashMap<Uuid, &str> = rows.iter().map(|e| (e.id, e.employee_no.as_str())).collect();
        let visible = rows.iter().filter(|e| {
            allowed(actor, Action::Read, Resource::PersonalRecord, OrgService::facts_for_unit(actor, Some(e.unit_id)))
        });
        let header: Vec<&str> = Column::ALL.iter().map(|c| c.header(chinese)).collect();
        let mut table: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];
        for e in visible {
            let d = |x: Option<chrono::NaiveDate>| x.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_default();
            table.push(vec![
                e.employee_no.clone(),
                e.name.clone(),
                e.email.clone().unwrap_or_default(),
                paths.get(&e.unit_id).map(|p| p.1.clone()).unwrap_or_default(),
                e.manager_id.and_then(|m| no_of.get(&m).map(|s| s.to_string())).unwrap_or_default(),
                e.job_family.clone().unwrap_or_default(),
                e.career_track.map(|t| t.as_str().to_string()).unwrap_or_default(),
                e.level.clone().unwrap_or_default(),
                e.location.clone().unwrap_or_default(),
                d(Some(e.hire_date)),
                d(e.probation_end),
                e.status.as_str().to_string(),
                d(e.status_since),
            ]);
        }
        self.write_out(&table, format)
    }
}

/// A table as a CSV file (UTF-8 with BOM, so Excel opens it) or an XLSX workbook. Every
/// export goes through here, so no cell becomes a formula (issue 21, item 9): in CSV a value
/// that a spreadsheet would read as one is neutralized (`waymark_domain::import::inert_cell`);
/// in XLSX every cell is written as a string cell, which a spreadsheet never evaluates.
pub(crate) fn write_table(table: &[Vec<String>], format: FileFormat) -> AppResult<Vec<u8>> {
    let internal = |e: &dyn std::fmt::Display| AppError::Internal(e.to_string());
    match format {
        FileFormat::Csv => {
            let mut w = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
            for r in table {
                w.write_record(r.iter().map(|v| waymark_domain::import::inert_cell(v).into_owned()))
                    .map_err(|e| internal(&e))?;
            }
            w.into_inner().map_err(|e| internal(&e))
        }
        FileFormat::Xlsx => {
            let mut wb = rust_xlsxwriter::Workbook::new();
            let ws = wb.add_worksheet();
            for (i, r) in table.iter().enumerate() {
                for (j, v) in r.iter().enumerate() {
                    ws.write_string(i as u32, j as u16, v).map_err(|e| internal(&e))?;
                }
            }
            wb.save_to_buffer().map_err(|e| internal(&e))
        }
    }
}

fn same_content(a: &Employee, b: &Employee) -> bool {
    Employee { created_at: a.created_at, updated_at: a.updated_at, ..b.clone() } == *a
}

/// `nodes` ordered so that each comes after every one of its ancestors in `parents`.
pub(crate) fn top_down(parents: &HashMap<Uuid, Uuid>, nodes: HashSet<Uuid>) -> Vec<Uuid> {
    let mut depth: Vec<(usize, Uuid)> =
        nodes.iter().map(|&n| (waymark_domain::hierarchy::ancestors(parents, n).len(), n)).collect();
    depth.sort();
    depth.into_iter().map(|(_, n)| n).collect()
}
