//! Validation of an employee import (SPEC O-4). The app turns a CSV or XLSX file into a
//! [`Table`]; this module maps its headers (Chinese or English), checks every row and the
//! rows against each other and the existing organization, and returns either every record
//! or every error, each naming its row and column. Nothing is written unless all is well.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use chrono::NaiveDate;
use serde::Serialize;
use uuid::Uuid;

use crate::hierarchy::find_cycle;
use crate::org::{self, CareerTrack, EmployeeStatus, EmploymentDates, FieldError};

/// A sheet of text cells; `rows[0]` is the header row.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub rows: Vec<Vec<String>>,
}

/// The columns Waymark understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    EmployeeNo,
    Name,
    Email,
    Unit,
    ManagerNo,
    JobFamily,
    CareerTrack,
    Level,
    Location,
    HireDate,
    ProbationEnd,
    Status,
    StatusSince,
}

impl ImportColumn for Column {
    const REQUIRED: &'static [Self] = &[Self::EmployeeNo, Self::Name, Self::Unit, Self::HireDate];
    fn from_header(cell: &str) -> Option<Self> {
        Column::from_header(cell)
    }
    fn header(self, chinese: bool) -> &'static str {
        Column::header(self, chinese)
    }
}

impl Column {
    pub const ALL: [Column; 13] = [
        Self::EmployeeNo,
        Self::Name,
        Self::Email,
        Self::Unit,
        Self::ManagerNo,
        Self::JobFamily,
        Self::CareerTrack,
        Self::Level,
        Self::Location,
        Self::HireDate,
        Self::ProbationEnd,
        Self::Status,
        Self::StatusSince,
    ];

    /// The header written by exports, in Chinese and English.
    pub fn header(self, chinese: bool) -> &'static str {
        let (zh, en) = match self {
            Self::EmployeeNo => ("工号", "employee_no"),
            Self::Name => ("姓名", "name"),
            Self::Email => ("邮箱", "email"),
            Self::Unit => ("部门", "unit"),
            Self::ManagerNo => ("直属上级工号", "manager_no"),
            Self::JobFamily => ("岗位族", "job_family"),
            Self::CareerTrack => ("职业序列", "career_track"),
            Self::Level => ("职级", "level"),
            Self::Location => ("工作地点", "location"),
            Self::HireDate => ("入职日期", "hire_date"),
            Self::ProbationEnd => ("试用期结束日期", "probation_end"),
            Self::Status => ("状态", "status"),
            Self::StatusSince => ("状态日期", "status_since"),
        };
        if chinese { zh } else { en }
    }

    /// Recognizes a header cell, forgiving case, spaces, underscores and common synonyms.
    pub fn from_header(cell: &str) -> Option<Column> {
        let key = header_key(cell);
        Some(match key.as_str() {
            "工号" | "员工编号" | "员工工号" | "employeeno" | "employeenumber" | "employeeid" => {
                Self::EmployeeNo
            }
            "姓名" | "名字" | "员工姓名" | "name" | "fullname" | "employeename" => Self::Name,
            "邮箱" | "电子邮箱" | "邮件" | "工作邮箱" | "企业邮箱" | "email" | "e mail" | "mail" | "workemail" => {
                Self::Email
            }
            "部门" | "所属部门" | "组织" | "单元" | "unit" | "department" | "orgunit" => Self::Unit,
            "直属上级工号" | "上级工号" | "直属上级" | "汇报对象工号" | "managerno" | "manageremployeeno"
            | "managernumber" | "manager" | "reportsto" => Self::ManagerNo,
            "岗位族" | "职位族" | "职族" | "岗位类别" | "jobfamily" | "jobcategory" => Self::JobFamily,
            "职业序列" | "序列" | "careertrack" | "track" => Self::CareerTrack,
            "职级" | "级别" | "职等" | "level" | "grade" | "joblevel" => Self::Level,
            "工作地点" | "地点" | "地区" | "办公地点" | "城市" | "location" | "region" | "city" | "office" => {
                Self::Location
            }
            "入职日期" | "入职时间" | "到岗日期" | "hiredate" | "startdate" | "dateofhire" | "joindate" => {
                Self::HireDate
            }
            "试用期结束日期"
            | "试用期结束"
            | "试用期截止"
            | "试用期截止日期"
            | "试用期到期日"
            | "转正日期"
            | "probationend"
            | "probationenddate"
            | "probationends" => Self::ProbationEnd,
            "状态" | "在职状态" | "员工状态" | "status" | "employmentstatus" => Self::Status,
            "状态日期" | "状态生效日期" | "离职日期" | "statussince" | "statusdate" => Self::StatusSince,
            _ => return None,
        })
    }
}

/// The columns of one kind of import file (employees, units …).
pub trait ImportColumn: Copy + Eq + Hash + 'static {
    /// Columns without which the file is refused.
    const REQUIRED: &'static [Self];
    fn from_header(cell: &str) -> Option<Self>;
    /// The header written by exports, in Chinese or English.
    fn header(self, chinese: bool) -> &'static str;
}

/// A header cell reduced to what identifies it: lower case, no BOM, spaces, `_`, `-` or `*`.
pub fn header_key(cell: &str) -> String {
    cell.trim()
        .trim_start_matches('\u{feff}')
        .to_lowercase()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-' && *c != '*')
        .collect()
}

/// Takes out of `table` the columns whose header Waymark does not read (when the importer has
/// chosen to have them ignored rather than refused, issue 22, item 8) and returns their headers,
/// so the result can list them: nothing is dropped without being named.
pub fn drop_unknown_columns<C: ImportColumn>(table: &mut Table) -> Vec<String> {
    let Some(header) = table.rows.first() else { return vec![] };
    let unknown: Vec<usize> = header
        .iter()
        .enumerate()
        .filter(|(_, h)| !h.trim().is_empty() && C::from_header(h).is_none())
        .map(|(i, _)| i)
        .collect();
    let names = unknown.iter().map(|&i| header[i].trim().to_string()).collect();
    for row in table.rows.iter_mut() {
        for &i in unknown.iter().rev() {
            if i < row.len() {
                row.remove(i);
            }
        }
    }
    names
}

/// The header text a file uses for `col` (or the expected Chinese header when it has none), for
/// errors found after validation.
pub fn header_text<C: ImportColumn>(header: &[String], col: C) -> String {
    header
        .iter()
        .find(|h| C::from_header(h) == Some(col))
        .map(|h| h.trim().to_string())
        .unwrap_or_else(|| col.header(true).into())
}

/// A table whose header row has been mapped to columns.
pub(crate) struct Sheet<'a, C> {
    table: &'a Table,
    header: &'a [String],
    columns: HashMap<C, usize>,
}

impl<'a, C: ImportColumn> Sheet<'a, C> {
    /// Maps the header row; refuses empty files, duplicate or missing columns and too many rows.
    pub(crate) fn read(table: &'a Table, max_rows: usize) -> Result<Self, Vec<ImportError>> {
        let file_error =
            |row: usize, column: String, problem: Problem| ImportError { row, column, value: String::new(), problem };
        let Some(header) = table.rows.first().filter(|h| h.iter().any(|c| !c.trim().is_empty())) else {
            return Err(vec![file_error(1, String::new(), Problem::EmptyFile)]);
        };
        let mut columns: HashMap<C, usize> = HashMap::new();
        let mut errors = Vec::new();
        for (i, cell) in header.iter().enumerate() {
            match C::from_header(cell) {
                Some(col) if columns.insert(col, i).is_some() => {
                    errors.push(file_error(1, cell.trim().into(), Problem::DuplicateColumn));
                }
                Some(_) => {}
                // A column Waymark does not know is refused, not skipped: a people file headed
                // 试用期结束 was imported as "5 created" with every probation end date lost
                // (issue 22, item 8).
                None if !cell.trim().is_empty() => {
                    errors.push(file_error(1, cell.trim().into(), Problem::UnknownColumn));
                }
                None => {}
            }
        }
        for &col in C::REQUIRED {
            if !columns.contains_key(&col) {
                errors.push(file_error(1, col.header(true).into(), Problem::MissingColumn));
            }
        }
        if table.rows.len().saturating_sub(1) > max_rows {
            errors.push(file_error(max_rows + 2, String::new(), Problem::TooManyRows { limit: max_rows }));
        }
        if errors.is_empty() { Ok(Sheet { table, header, columns }) } else { Err(errors) }
    }

    /// The data rows that are not blank.
    pub(crate) fn rows(&self) -> impl Iterator<Item = RowReader<'_, C>> {
        self.table
            .rows
            .iter()
            .enumerate()
            .skip(1)
            .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
            .map(move |(i, cells)| RowReader { row: i + 1, cells, sheet: self })
    }

    pub(crate) fn has(&self, col: C) -> bool {
        self.columns.contains_key(&col)
    }

    /// The header text as written in the file, or the expected header when the column is absent.
    pub(crate) fn column_name(&self, col: C) -> String {
        self.columns
            .get(&col)
            .and_then(|&i| self.header.get(i))
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|| col.header(true).into())
    }

    pub(crate) fn error(&self, row: usize, col: C, value: &str, problem: Problem) -> ImportError {
        ImportError { row, column: self.column_name(col), value: value.into(), problem }
    }
}

/// One data row; `row` counts as Excel does, the header being row 1.
pub(crate) struct RowReader<'a, C> {
    pub(crate) row: usize,
    cells: &'a [String],
    sheet: &'a Sheet<'a, C>,
}

impl<C: ImportColumn> RowReader<'_, C> {
    pub(crate) fn get(&self, col: C) -> &str {
        self.sheet.columns.get(&col).and_then(|&i| self.cells.get(i)).map(|s| s.trim()).unwrap_or("")
    }
    pub(crate) fn error(&self, col: C, problem: Problem) -> ImportError {
        self.sheet.error(self.row, col, self.get(col), problem)
    }
}

/// Why a row, or the file, is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum Problem {
    Field {
        error: FieldError,
    },
    EmptyFile,
    MissingColumn,
    DuplicateColumn,
    /// A header that names no column Waymark reads.
    UnknownColumn,
    DuplicateEmployeeNo {
        first_row: usize,
    },
    DuplicateEmail {
        employee_no: String,
    },
    UnknownUnit,
    AmbiguousUnit,
    UnknownManager,
    OwnManager,
    ManagerCycle {
        cycle: Vec<String>,
    },
    TooManyRows {
        limit: usize,
    },
    /// A spreadsheet that unpacks or declares far more than any import reads (issue 21): refused
    /// before it is read.
    FileTooLarge {
        what: String,
    },
    /// A cell longer than any field takes.
    CellTooLong {
        limit: usize,
    },
    DuplicateCode {
        first_row: usize,
    },
    UnknownParent,
    UnitCycle {
        cycle: Vec<String>,
    },
    /// Goal import: no employee (within the importer's units) has this number.
    UnknownOwner,
    UnknownPeriod,
    InvalidChoice,
    /// A rule of the goal model, by its code (e.g. `target_equals_start`), with its text.
    Rule {
        rule: String,
        detail: String,
    },
}

impl Problem {
    pub fn code(&self) -> &str {
        match self {
            Self::Rule { rule, .. } => rule,
            Self::Field { error } => error.code(),
            Self::EmptyFile => "empty_file",
            Self::MissingColumn => "missing_column",
            Self::DuplicateColumn => "duplicate_column",
            Self::UnknownColumn => "unknown_column",
            Self::DuplicateEmployeeNo { .. } => "duplicate_employee_no",
            Self::DuplicateEmail { .. } => "duplicate_email",
            Self::UnknownUnit => "unknown_unit",
            Self::AmbiguousUnit => "ambiguous_unit",
            Self::UnknownManager => "unknown_manager",
            Self::OwnManager => "own_manager",
            Self::ManagerCycle { .. } => "manager_cycle",
            Self::TooManyRows { .. } => "too_many_rows",
            Self::FileTooLarge { .. } => "file_too_large",
            Self::CellTooLong { .. } => "cell_too_long",
            Self::DuplicateCode { .. } => "duplicate_code",
            Self::UnknownParent => "unknown_parent",
            Self::UnitCycle { .. } => "unit_cycle",
            Self::UnknownOwner => "unknown_owner",
            Self::UnknownPeriod => "unknown_period",
            Self::InvalidChoice => "invalid_choice",
        }
    }

    /// English text for the command line; pages translate `code` instead.
    pub fn message(&self) -> String {
        match self {
            Self::Field { error } => error.message().to_string(),
            Self::EmptyFile => "the file has no header row".into(),
            Self::MissingColumn => "this required column is missing".into(),
            Self::DuplicateColumn => "this column appears twice".into(),
            Self::UnknownColumn => "Waymark does not read this column: rename it to a known one or remove it".into(),
            Self::DuplicateEmployeeNo { first_row } => {
                format!("employee number already used in row {first_row}")
            }
            Self::DuplicateEmail { employee_no } => {
                format!("e-mail already belongs to employee {employee_no}")
            }
            Self::UnknownUnit => "no unit has this code, path or name".into(),
            Self::AmbiguousUnit => {
                "several units have this name; use the unit code or full path (公司/事业部/部门)".into()
            }
            Self::UnknownManager => "no employee with this number in the file or the organization".into(),
            Self::OwnManager => "an employee cannot be their own manager".into(),
            Self::ManagerCycle { cycle } => format!("manager cycle: {}", cycle.join(" → ")),
            Self::TooManyRows { limit } => format!("more than {limit} rows"),
            Self::FileTooLarge { what } => format!("the file is too large to read: {what}"),
            Self::CellTooLong { limit } => format!("longer than {limit} characters"),
            Self::DuplicateCode { first_row } => format!("unit code already used in row {first_row}"),
            Self::UnknownParent => "no unit has this code in the file or the organization".into(),
            Self::UnitCycle { cycle } => format!("unit would be under itself: {}", cycle.join(" → ")),
            Self::UnknownOwner => "no employee with this number (in your units)".into(),
            Self::UnknownPeriod => "no goal period has this name".into(),
            Self::InvalidChoice => "not one of the choices".into(),
            Self::Rule { detail, .. } => detail.clone(),
        }
    }
}

/// One error, located as a person sees it in Excel: row 1 is the header row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportError {
    pub row: usize,
    /// The header text as written in the file (or the expected header when missing).
    pub column: String,
    pub value: String,
    pub problem: Problem,
}

/// At most this many characters of a refused value are quoted back (issue 21: a refused 1 GB
/// cell must not come back in the error).
pub const QUOTED_CHARS: usize = 40;

impl ImportError {
    /// The refused value as an error quotes it: its first [`QUOTED_CHARS`] characters.
    pub fn quoted_value(&self) -> String {
        let mut chars = self.value.chars();
        let head: String = chars.by_ref().take(QUOTED_CHARS).collect();
        if chars.next().is_some() { format!("{head}…") } else { head }
    }
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "row {}, column {}", self.row, self.column)?;
        if !self.value.is_empty() {
            write!(f, " ({:?})", self.quoted_value())?;
        }
        write!(f, ": {}", self.problem.message())
    }
}

/// An employee already in the database, as the validation needs to see it.
#[derive(Debug, Clone)]
pub struct ExistingEmployee {
    pub id: Uuid,
    pub manager_no: Option<String>,
    pub email: Option<String>,
}

/// Units by every name an import may use; `None` marks a name shared by several units.
#[derive(Debug, Clone, Default)]
pub struct UnitLookup {
    keys: HashMap<String, Option<Uuid>>,
}

impl UnitLookup {
    /// `code` and `path` (names joined by `/`) are unique; `name` may not be.
    pub fn add(&mut self, id: Uuid, code: Option<&str>, path: &str, name: &str) {
        if let Some(c) = code {
            self.keys.insert(norm(c), Some(id));
        }
        self.keys.insert(norm(path), Some(id));
        self.keys
            .entry(norm(name))
            .and_modify(|v| {
                if *v != Some(id) {
                    *v = None
                }
            })
            .or_insert(Some(id));
    }

    pub(crate) fn resolve(&self, key: &str) -> Result<Uuid, Problem> {
        match self.keys.get(&norm(key)) {
            Some(Some(id)) => Ok(*id),
            Some(None) => Err(Problem::AmbiguousUnit),
            None => Err(Problem::UnknownUnit),
        }
    }
}

fn norm(s: &str) -> String {
    s.trim().split('/').map(str::trim).collect::<Vec<_>>().join("/").to_lowercase()
}

pub struct ImportContext<'a> {
    pub existing: &'a HashMap<String, ExistingEmployee>,
    pub units: &'a UnitLookup,
    pub today: NaiveDate,
    pub max_rows: usize,
}

/// A validated row, ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportRecord {
    pub row: usize,
    pub employee_no: String,
    pub name: String,
    pub email: Option<String>,
    pub unit_id: Uuid,
    pub manager_no: Option<String>,
    pub job_family: Option<String>,
    pub career_track: Option<CareerTrack>,
    pub level: Option<String>,
    pub location: Option<String>,
    pub hire_date: NaiveDate,
    pub probation_end: Option<NaiveDate>,
    /// `None` when the file has no status column: an update keeps the current status.
    pub status: Option<EmployeeStatus>,
    pub status_since: Option<NaiveDate>,
}

/// Validates a whole table; all records or all errors (O-4, Q-2).
pub fn validate(table: &Table, ctx: &ImportContext) -> Result<Vec<ImportRecord>, Vec<ImportError>> {
    let sheet = Sheet::<Column>::read(table, ctx.max_rows)?;
    let mut errors = Vec::new();
    let mut records = Vec::new();
    for row in sheet.rows() {
        if let Some(rec) = read_row(&row, ctx, &mut errors) {
            records.push(rec);
        }
    }
    check_across_rows(&records, &sheet, ctx, &mut errors);
    if errors.is_empty() { Ok(records) } else { Err(errors) }
}

fn read_row(r: &RowReader<Column>, ctx: &ImportContext, errors: &mut Vec<ImportError>) -> Option<ImportRecord> {
    let before = errors.len();
    let mut field = |col: Column, res: Result<(), FieldError>| {
        if let Err(error) = res {
            errors.push(r.error(col, Problem::Field { error }));
        }
    };
    let employee_no = org::employee_no(r.get(Column::EmployeeNo));
    field(Column::EmployeeNo, employee_no.as_ref().map(|_| ()).map_err(|e| *e));
    let name = org::required_text(r.get(Column::Name), org::MAX_NAME_LEN);
    field(Column::Name, name.as_ref().map(|_| ()).map_err(|e| *e));
    let email = org::email(r.get(Column::Email));
    field(Column::Email, email.as_ref().map(|_| ()).map_err(|e| *e));
    let text = |col: Column| org::optional_text(r.get(col), org::MAX_TEXT_LEN);
    let (job_family, level, location) = (text(Column::JobFamily), text(Column::Level), text(Column::Location));
    field(Column::JobFamily, job_family.as_ref().map(|_| ()).map_err(|e| *e));
    field(Column::Level, level.as_ref().map(|_| ()).map_err(|e| *e));
    field(Column::Location, location.as_ref().map(|_| ()).map_err(|e| *e));
    let track = match r.get(Column::CareerTrack) {
        "" => Ok(None),
        s => CareerTrack::parse(s).map(Some).ok_or(FieldError::InvalidCareerTrack),
    };
    field(Column::CareerTrack, track.map(|_| ()));
    let status = match r.get(Column::Status) {
        "" => Ok(None),
        s => EmployeeStatus::parse(s).map(Some).ok_or(FieldError::InvalidStatus),
    };
    field(Column::Status, status.map(|_| ()));
    let hire = org::parse_date(r.get(Column::HireDate)).and_then(|d| d.ok_or(FieldError::Required));
    field(Column::HireDate, hire.map(|_| ()));
    let probation = org::parse_date(r.get(Column::ProbationEnd));
    field(Column::ProbationEnd, probation.map(|_| ()));
    let since = org::parse_date(r.get(Column::StatusSince));
    field(Column::StatusSince, since.map(|_| ()));
    let manager_no = match r.get(Column::ManagerNo) {
        "" => None,
        s => match org::employee_no(s) {
            Ok(m) => Some(m),
            Err(error) => {
                errors.push(r.error(Column::ManagerNo, Problem::Field { error }));
                None
            }
        },
    };
    let unit = match r.get(Column::Unit) {
        "" => Err(Problem::Field { error: FieldError::Required }),
        s => ctx.units.resolve(s),
    };
    if let Err(p) = &unit {
        errors.push(r.error(Column::Unit, p.clone()));
    }
    if let (Ok(hire_date), Ok(probation_end), Ok(status_since)) = (hire, probation, since) {
        let dates = EmploymentDates { hire_date, probation_end, status_since };
        if let Err((which, error)) = org::check_dates(&dates, ctx.today) {
            let col = match which {
                "hire_date" => Column::HireDate,
                "probation_end" => Column::ProbationEnd,
                _ => Column::StatusSince,
            };
            errors.push(r.error(col, Problem::Field { error }));
        }
    }
    if errors.len() > before {
        return None;
    }
    Some(ImportRecord {
        row: r.row,
        employee_no: employee_no.ok()?,
        name: name.ok()?,
        email: email.ok()?,
        unit_id: unit.ok()?,
        manager_no,
        job_family: job_family.ok()?,
        career_track: track.ok()?,
        level: level.ok()?,
        location: location.ok()?,
        hire_date: hire.ok()?,
        probation_end: probation.ok()?,
        status: status.ok()?,
        status_since: since.ok()?,
    })
}

/// Duplicates, manager references and cycles, within the file and against the database.
fn check_across_rows(
    records: &[ImportRecord],
    sheet: &Sheet<Column>,
    ctx: &ImportContext,
    errors: &mut Vec<ImportError>,
) {
    let col = |c: Column| sheet.column_name(c);
    let mut first_row: HashMap<&str, usize> = HashMap::new();
    for r in records {
        if let Some(&first) = first_row.get(r.employee_no.as_str()) {
            errors.push(ImportError {
                row: r.row,
                column: col(Column::EmployeeNo),
                value: r.employee_no.clone(),
                problem: Problem::DuplicateEmployeeNo { first_row: first },
            });
        } else {
            first_row.insert(&r.employee_no, r.row);
        }
    }
    // E-mails are unique across the organization once the file is applied.
    let in_file: HashSet<&str> = records.iter().map(|r| r.employee_no.as_str()).collect();
    let mut email_owner: HashMap<String, String> = ctx
        .existing
        .iter()
        .filter(|(no, _)| !in_file.contains(no.as_str()))
        .filter_map(|(no, e)| e.email.clone().map(|m| (m, no.clone())))
        .collect();
    for r in records {
        if let Some(m) = &r.email {
            match email_owner.get(m) {
                Some(owner) if owner != &r.employee_no => errors.push(ImportError {
                    row: r.row,
                    column: col(Column::Email),
                    value: m.clone(),
                    problem: Problem::DuplicateEmail { employee_no: owner.clone() },
                }),
                _ => {
                    email_owner.insert(m.clone(), r.employee_no.clone());
                }
            }
        }
    }
    // The manager graph after the import: the database, overridden by the file.
    let mut manager_of: HashMap<&str, &str> =
        ctx.existing.iter().filter_map(|(no, e)| e.manager_no.as_deref().map(|m| (no.as_str(), m))).collect();
    for r in records {
        manager_of.remove(r.employee_no.as_str());
        if let Some(m) = &r.manager_no {
            if m == &r.employee_no {
                errors.push(ImportError {
                    row: r.row,
                    column: col(Column::ManagerNo),
                    value: m.clone(),
                    problem: Problem::OwnManager,
                });
                continue;
            }
            if !first_row.contains_key(m.as_str()) && !ctx.existing.contains_key(m) {
                errors.push(ImportError {
                    row: r.row,
                    column: col(Column::ManagerNo),
                    value: m.clone(),
                    problem: Problem::UnknownManager,
                });
                continue;
            }
            manager_of.insert(&r.employee_no, m);
        }
    }
    let order: Vec<&str> = records.iter().map(|r| r.employee_no.as_str()).collect();
    if let Some(cycle) = find_cycle(&manager_of, &order) {
        let row = records.iter().find(|r| cycle.contains(&r.employee_no.as_str())).map(|r| r.row).unwrap_or(2);
        let value = records.iter().find(|r| r.row == row).and_then(|r| r.manager_no.clone()).unwrap_or_default();
        errors.push(ImportError {
            row,
            column: col(Column::ManagerNo),
            value,
            problem: Problem::ManagerCycle { cycle: cycle.iter().map(|s| s.to_string()).collect() },
        });
    }
}

/// What a spreadsheet reads as the start of a formula (OWASP's list).
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell as a spreadsheet may safely open it (OWASP's CSV-injection rule): a value that
/// begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a formula
/// (`=HYPERLINK(…)` runs when HR opens the file), so it gets a leading `'`, which Excel and
/// LibreOffice show as text. Plain numbers (`-12.5`) are left as they are: they are no formula.
/// Reading a file back, [`strip_inert_quote`] undoes it.
pub fn inert_cell(v: &str) -> std::borrow::Cow<'_, str> {
    let risky = v.starts_with(FORMULA_STARTS);
    let number = v.trim().parse::<f64>().is_ok_and(f64::is_finite) && !v.starts_with(['\t', '\r']);
    if risky && !number { std::borrow::Cow::Owned(format!("'{v}")) } else { std::borrow::Cow::Borrowed(v) }
}

/// The value an exported cell stood for: the `'` that [`inert_cell`] put before a formula-like
/// value is taken off again on import, so an export imports back unchanged.
pub fn strip_inert_quote(v: &str) -> &str {
    match v.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) => rest,
        _ => v,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: &[&[&str]]) -> Table {
        Table { rows: rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect() }
    }

    fn units() -> (UnitLookup, Uuid, Uuid) {
        let (sales, rnd) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let mut u = UnitLookup::default();
        u.add(sales, Some("S01"), "公司/销售部", "销售部");
        u.add(rnd, None, "公司/研发部/一组", "一组");
        u.add(Uuid::from_u128(3), None, "公司/销售部/一组", "一组");
        (u, sales, rnd)
    }

    fn ctx<'a>(existing: &'a HashMap<String, ExistingEmployee>, units: &'a UnitLookup) -> ImportContext<'a> {
        ImportContext { existing, units, today: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(), max_rows: 100 }
    }

    const HEAD: &[&str] = &["工号", "姓名", "邮箱", "部门", "直属上级工号", "入职日期", "试用期结束日期"];

    #[test]
    fn o4_chinese_headers_and_references_within_the_file() {
        let (u, sales, rnd) = units();
        let existing = HashMap::new();
        let t = table(&[
            HEAD,
            &["E2", "李娜", "Li.Na@corp.cn", "公司/研发部/一组", "E1", "2024/3/1", "2024-09-01"],
            &["E1", "王伟", "", "S01", "", "2020-01-01", ""],
        ]);
        let recs = validate(&t, &ctx(&existing, &u)).unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].unit_id, rnd);
        assert_eq!(recs[0].manager_no.as_deref(), Some("E1"));
        assert_eq!(recs[0].email.as_deref(), Some("li.na@corp.cn"));
        assert_eq!(recs[1].unit_id, sales);
        assert_eq!(recs[1].status, None);
    }

    #[test]
    fn o4_every_column_is_read_under_common_names_in_both_languages() {
        // Issue 22, item 8: synonyms of every column, not one found the hard way.
        let names: &[(Column, &[&str])] = &[
            (Column::EmployeeNo, &["工号", "员工编号", "Employee No", "employee_id"]),
            (Column::Name, &["姓名", "员工姓名", "Name", "Full name"]),
            (Column::Email, &["邮箱", "工作邮箱", "Email", "Work email"]),
            (Column::Unit, &["部门", "所属部门", "Department", "Unit"]),
            (Column::ManagerNo, &["直属上级工号", "汇报对象工号", "Manager No", "Reports to"]),
            (Column::JobFamily, &["岗位族", "职族", "Job family", "Job category"]),
            (Column::CareerTrack, &["职业序列", "序列", "Career track", "Track"]),
            (Column::Level, &["职级", "职等", "Level", "Grade"]),
            (Column::Location, &["工作地点", "办公地点", "Location", "City"]),
            (Column::HireDate, &["入职日期", "到岗日期", "Hire date", "Start date"]),
            (Column::ProbationEnd, &["试用期结束日期", "转正日期", "Probation end", "probation_end_date"]),
            (Column::Status, &["状态", "员工状态", "Status", "Employment status"]),
            (Column::StatusSince, &["状态日期", "离职日期", "Status since", "Status date"]),
        ];
        for (col, ns) in names {
            for n in *ns {
                assert_eq!(Column::from_header(n), Some(*col), "{n}");
            }
        }
        assert_eq!(names.len(), Column::ALL.len(), "every column is listed");
    }

    #[test]
    fn o4_unknown_columns_are_dropped_only_when_asked_and_always_named() {
        let mut t = Table {
            rows: vec![
                vec!["工号".into(), "备注".into(), "姓名".into(), " ".into(), "Notes".into()],
                vec!["E1".into(), "新人".into(), "张三".into(), "".into(), "x".into()],
                vec!["E2".into()],
            ],
        };
        assert_eq!(drop_unknown_columns::<Column>(&mut t), vec!["备注".to_string(), "Notes".to_string()]);
        assert_eq!(t.rows[0], vec!["工号".to_string(), "姓名".into(), " ".into()]);
        assert_eq!(t.rows[1], vec!["E1".to_string(), "张三".into(), "".into()]);
        assert_eq!(t.rows[2], vec!["E2".to_string()], "a short row keeps what it has");
    }

    #[test]
    fn o4_an_unknown_column_is_refused_and_a_common_synonym_is_read() {
        // Issue 22, item 8: 试用期结束 was silently dropped ("5 created", every date lost).
        let (u, _, _) = units();
        let existing = HashMap::new();
        let row: &[&str] = &["E1", "王伟", "", "S01", "", "2020-01-01", "2020-04-01"];
        let head = ["工号", "姓名", "邮箱", "部门", "直属上级工号", "入职日期", "试用期结束"];
        let recs = validate(&table(&[&head, row]), &ctx(&existing, &u)).unwrap();
        assert_eq!(recs[0].probation_end, NaiveDate::from_ymd_opt(2020, 4, 1));
        let head = ["工号", "姓名", "邮箱", "部门", "直属上级工号", "入职日期", "备注"];
        let errs = validate(&table(&[&head, row]), &ctx(&existing, &u)).unwrap_err();
        let found: Vec<(usize, &str, &str)> =
            errs.iter().map(|e| (e.row, e.column.as_str(), e.problem.code())).collect();
        assert_eq!(found, vec![(1, "备注", "unknown_column")]);
    }

    #[test]
    fn o4_english_headers_are_understood() {
        let (u, ..) = units();
        let existing = HashMap::new();
        let t = table(&[
            &["Employee No", "Name", "Department", "Hire Date", "Status"],
            &["A1", "Ann", "S01", "2021-05-06", "on_leave"],
        ]);
        let recs = validate(&t, &ctx(&existing, &u)).unwrap();
        assert_eq!(recs[0].status, Some(EmployeeStatus::OnLeave));
    }

    #[test]
    fn o4_every_bad_cell_is_reported_with_row_and_column() {
        let (u, ..) = units();
        let existing = HashMap::new();
        let t = table(&[
            HEAD,
            &["E1", "", "bad-mail", "一组", "", "2024-02-30", ""],
            &["E2", "赵六", "", "火星部", "E9", "2024-01-01", "2023-12-31"],
        ]);
        let errs = validate(&t, &ctx(&existing, &u)).unwrap_err();
        let found: Vec<(usize, &str, &str)> =
            errs.iter().map(|e| (e.row, e.column.as_str(), e.problem.code())).collect();
        assert_eq!(
            found,
            vec![
                (2, "姓名", "required"),
                (2, "邮箱", "invalid_email"),
                (2, "入职日期", "invalid_date"),
                (2, "部门", "ambiguous_unit"),
                (3, "部门", "unknown_unit"),
                (3, "试用期结束日期", "probation_before_hire"),
            ]
        );
    }

    #[test]
    fn o4_duplicates_unknown_managers_and_cycles_are_refused() {
        let (u, ..) = units();
        let mut existing = HashMap::new();
        // In the database: E3 reports to E1.
        existing.insert(
            "E3".to_string(),
            ExistingEmployee { id: Uuid::from_u128(9), manager_no: Some("E1".into()), email: Some("x@corp.cn".into()) },
        );
        let t = table(&[
            HEAD,
            &["E1", "甲", "", "S01", "E2", "2020-01-01", ""],
            &["E2", "乙", "x@corp.cn", "S01", "E3", "2020-01-01", ""],
            &["E4", "丁", "", "S01", "E404", "2020-01-01", ""],
            &["E4", "丙", "", "S01", "", "2020-01-01", ""],
        ]);
        let errs = validate(&t, &ctx(&existing, &u)).unwrap_err();
        let codes: Vec<(usize, &str)> = errs.iter().map(|e| (e.row, e.problem.code())).collect();
        assert!(codes.contains(&(5, "duplicate_employee_no")), "{codes:?}");
        assert!(codes.contains(&(3, "duplicate_email")), "{codes:?}");
        assert!(codes.contains(&(4, "unknown_manager")), "{codes:?}");
        // E1 → E2 → E3 (database) → E1.
        let cycle = errs.iter().find(|e| e.problem.code() == "manager_cycle").unwrap();
        assert_eq!(cycle.problem, Problem::ManagerCycle { cycle: vec!["E1".into(), "E2".into(), "E3".into()] });
    }

    #[test]
    fn o4_reimport_may_move_a_manager_out_of_a_cycle() {
        let (u, ..) = units();
        let mut existing = HashMap::new();
        existing.insert("E1".to_string(), ExistingEmployee { id: Uuid::from_u128(1), manager_no: None, email: None });
        existing.insert(
            "E2".to_string(),
            ExistingEmployee { id: Uuid::from_u128(2), manager_no: Some("E1".into()), email: None },
        );
        // Swap: E1 now reports to E2, and E2 to nobody — no cycle once both rows apply.
        let t = table(&[
            HEAD,
            &["E1", "甲", "", "S01", "E2", "2020-01-01", ""],
            &["E2", "乙", "", "S01", "", "2020-01-01", ""],
        ]);
        assert!(validate(&t, &ctx(&existing, &u)).is_ok());
    }

    #[test]
    fn o4_missing_required_columns_and_row_limit() {
        let (u, ..) = units();
        let existing = HashMap::new();
        let errs = validate(&table(&[&["姓名", "部门"]]), &ctx(&existing, &u)).unwrap_err();
        let cols: Vec<&str> = errs.iter().map(|e| e.column.as_str()).collect();
        assert_eq!(cols, vec!["工号", "入职日期"]);
        let mut c = ctx(&existing, &u);
        c.max_rows = 1;
        let t = table(&[
            HEAD,
            &["E1", "甲", "", "S01", "", "2020-01-01", ""],
            &["E2", "乙", "", "S01", "", "2020-01-01", ""],
        ]);
        assert_eq!(validate(&t, &c).unwrap_err()[0].problem, Problem::TooManyRows { limit: 1 });
        assert_eq!(validate(&Table::default(), &c).unwrap_err()[0].problem, Problem::EmptyFile);
    }

    #[test]
    fn issue21_exported_cells_never_become_formulas_and_import_back() {
        assert_eq!(inert_cell("=HYPERLINK(\"http://x\",\"a\")"), "'=HYPERLINK(\"http://x\",\"a\")");
        for v in ["+1+cmd", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
            assert!(inert_cell(v).starts_with('\''), "{v:?}");
            assert_eq!(strip_inert_quote(&inert_cell(v)), v);
        }
        assert_eq!(inert_cell("-12.5"), "-12.5");
        assert_eq!(inert_cell("王伟"), "王伟");
        assert_eq!(strip_inert_quote("'quoted"), "'quoted");
    }
}
