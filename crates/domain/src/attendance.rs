//! Working time and leave (issue 26, item 1; SPEC I-4): one row per person and week, as an
//! attendance system exports it — hours worked, days of leave taken. Imported from CSV/XLSX
//! or pushed through the API; all rows or all errors, each naming its row and column like the
//! other imports. The signal rules read these weeks for sustained overtime and leave not taken
//! ([`crate::signals`]); nothing else does, and they never enter a score.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate, Weekday};
use serde::Serialize;
use uuid::Uuid;

use crate::calendar::week_start;
use crate::import::{ImportColumn, ImportError, Problem, RowReader, Sheet, Table, header_key};
use crate::org::{self, FieldError};

/// Hours a week can hold.
pub const MAX_WEEK_HOURS: u32 = 168;
/// Days of leave a week can hold.
pub const MAX_WEEK_LEAVE_DAYS: u32 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceColumn {
    EmployeeNo,
    Week,
    Hours,
    LeaveDays,
}

impl AttendanceColumn {
    pub const ALL: [AttendanceColumn; 4] = [Self::EmployeeNo, Self::Week, Self::Hours, Self::LeaveDays];
}

impl ImportColumn for AttendanceColumn {
    const REQUIRED: &'static [Self] = &[Self::EmployeeNo, Self::Week, Self::Hours];

    fn from_header(cell: &str) -> Option<Self> {
        Some(match header_key(cell).as_str() {
            "工号" | "员工工号" | "employeeno" | "employee" => Self::EmployeeNo,
            "周" | "周次" | "所在周" | "周开始" | "周起始日" | "周一" | "日期" | "week" | "weekstart" | "weekof" => {
                Self::Week
            }
            "工时" | "工作时长" | "工作小时" | "出勤工时" | "工时(小时)" | "工时（小时）" | "hours" | "hoursworked"
            | "workedhours" => Self::Hours,
            "休假" | "休假天数" | "请假天数" | "假期天数" | "休假(天)" | "休假（天）" | "leave" | "leavedays"
            | "daysofleave" => Self::LeaveDays,
            _ => return None,
        })
    }

    fn header(self, chinese: bool) -> &'static str {
        let (zh, en) = match self {
            Self::EmployeeNo => ("工号", "employee_no"),
            Self::Week => ("周", "week"),
            Self::Hours => ("工时", "hours"),
            Self::LeaveDays => ("休假天数", "leave_days"),
        };
        if chinese { zh } else { en }
    }
}

/// One person's week: its Monday, the hours worked and the days of leave taken, in tenths —
/// leave unknown when the file had no leave column (not "none taken": an export of hours alone
/// says nothing about leave).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkWeek {
    pub person: Uuid,
    pub week: NaiveDate,
    pub hours_tenths: u32,
    pub leave_tenths: Option<u32>,
}

/// A week read from a file, with its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkWeekRow {
    pub row: usize,
    pub week: WorkWeek,
}

/// A week as attendance systems write it: any day in it (2026-11-30, 2026/11/30, 2026年11月30日)
/// or its ISO number (2026-W49, 2026W49); the week's Monday.
pub fn parse_week(value: &str) -> Result<Option<NaiveDate>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let upper = v.to_ascii_uppercase().replace('-', "");
    if let Some((year, week)) = upper.split_once('W') {
        let week = week.get(..2).unwrap_or(week);
        let (Ok(year), Ok(week)) = (year.parse::<i32>(), week.parse::<u32>()) else {
            return Err(FieldError::InvalidDate);
        };
        return NaiveDate::from_isoywd_opt(year, week, Weekday::Mon).map(Some).ok_or(FieldError::InvalidDate);
    }
    Ok(org::parse_date(v)?.map(week_start))
}

/// A figure between 0 and `max`, in tenths (rounded): "37.5" → 375. `None` when it is not one.
fn tenths(value: &str, max: u32) -> Option<u32> {
    let v: f64 = value.trim().parse().ok()?;
    (v.is_finite() && (0.0..=f64::from(max)).contains(&v)).then(|| (v * 10.0).round() as u32)
}

/// A person weeks may be recorded for, with the days their employment began and ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Employed {
    pub id: Uuid,
    pub hired: NaiveDate,
    pub left: Option<NaiveDate>,
}

pub struct AttendanceContext<'a> {
    /// Employee number → employee, for the people the importer may record weeks of (those who
    /// left too: their weeks before leaving are their history).
    pub people: &'a HashMap<String, Employed>,
    /// Weeks that have not begun are refused.
    pub today: NaiveDate,
    pub max_rows: usize,
}

/// Validates a whole table of weeks; all rows or all errors.
pub fn validate_attendance(table: &Table, ctx: &AttendanceContext) -> Result<Vec<WorkWeekRow>, Vec<ImportError>> {
    use AttendanceColumn as C;
    let sheet = Sheet::<C>::read(table, ctx.max_rows)?;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    let mut seen: HashMap<(Uuid, NaiveDate), usize> = HashMap::new();
    for r in sheet.rows() {
        let before = errors.len();
        let person = ctx.people.get(r.get(C::EmployeeNo)).copied();
        if person.is_none() {
            errors.push(r.error(C::EmployeeNo, Problem::UnknownOwner));
        }
        let week = match parse_week(r.get(C::Week)) {
            Ok(Some(w)) if w > ctx.today => {
                errors.push(rule(&r, C::Week, "week_not_begun", "the week has not begun yet"));
                None
            }
            // A week must overlap the employment: it ends on its Sunday.
            Ok(Some(w)) if person.is_some_and(|p| w + Duration::days(6) < p.hired) => {
                errors.push(rule(&r, C::Week, "week_before_hiring", "the week ended before the person was hired"));
                None
            }
            Ok(Some(w)) if person.is_some_and(|p| p.left.is_some_and(|left| w > left)) => {
                errors.push(rule(&r, C::Week, "week_after_leaving", "the person had left before this week"));
                None
            }
            Ok(Some(w)) => Some(w),
            Ok(None) => {
                errors.push(r.error(C::Week, Problem::Field { error: FieldError::Required }));
                None
            }
            Err(error) => {
                errors.push(r.error(C::Week, Problem::Field { error }));
                None
            }
        };
        let hours = tenths(r.get(C::Hours), MAX_WEEK_HOURS);
        if hours.is_none() {
            errors.push(rule(&r, C::Hours, "invalid_hours", "hours worked in the week: a number from 0 to 168"));
        }
        // A blank cell of a leave column is none taken; no leave column, leave not known.
        let leave = match (sheet.has(C::LeaveDays), r.get(C::LeaveDays)) {
            (false, _) => Some(None),
            (true, "") => Some(Some(0)),
            (true, v) => tenths(v, MAX_WEEK_LEAVE_DAYS).map(Some),
        };
        if leave.is_none() {
            errors.push(rule(&r, C::LeaveDays, "invalid_leave", "days of leave in the week: a number from 0 to 7"));
        }
        if errors.len() > before {
            continue;
        }
        let (Some(person), Some(week), Some(hours_tenths), Some(leave_tenths)) = (person, week, hours, leave) else {
            continue;
        };
        let person = person.id;
        if let Some(first) = seen.insert((person, week), r.row) {
            let detail = format!("this person's week is already in row {first}");
            errors.push(r.error(C::Week, Problem::Rule { rule: "duplicate_week".into(), detail }));
            continue;
        }
        out.push(WorkWeekRow { row: r.row, week: WorkWeek { person, week, hours_tenths, leave_tenths } });
    }
    if errors.is_empty() { Ok(out) } else { Err(errors) }
}

fn rule(r: &RowReader<AttendanceColumn>, col: AttendanceColumn, code: &str, detail: &str) -> ImportError {
    r.error(col, Problem::Rule { rule: code.into(), detail: detail.into() })
}

#[cfg(test)]
mod tests {
    //! Issue 26 item 1: the attendance import, each refused cell named by row and column.
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn employed(id: u128, hired: &str, left: Option<&str>) -> Employed {
        Employed { id: Uuid::from_u128(id), hired: d(hired), left: left.map(d) }
    }
    fn table(rows: &[&[&str]]) -> Table {
        Table { rows: rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect() }
    }

    #[test]
    fn i4_any_day_or_iso_number_names_its_monday() {
        // 2026-12-03 is a Thursday; its Monday 2026-11-30 is in ISO week 49 of 2026.
        assert_eq!(week_start(d("2026-12-03")), d("2026-11-30"));
        assert_eq!(week_start(d("2026-11-30")), d("2026-11-30"));
        assert_eq!(parse_week("2026/12/6"), Ok(Some(d("2026-11-30"))), "a Sunday ends the week");
        assert_eq!(parse_week("2026年12月1日"), Ok(Some(d("2026-11-30"))));
        assert_eq!(parse_week("2026-W49"), Ok(Some(d("2026-11-30"))));
        assert_eq!(parse_week("2026w01"), Ok(Some(d("2025-12-29"))), "ISO week 1 can begin in December");
        assert_eq!(parse_week(""), Ok(None));
        assert_eq!(parse_week("2026-W54"), Err(FieldError::InvalidDate));
        assert_eq!(parse_week("last week"), Err(FieldError::InvalidDate));
    }

    #[test]
    fn i4_weeks_are_read_in_tenths_and_a_blank_leave_cell_is_none_taken() {
        let people = HashMap::from([("E1".to_string(), employed(1, "2020-01-01", None))]);
        let ctx = AttendanceContext { people: &people, today: d("2026-12-07"), max_rows: 100 };
        let t = table(&[
            &["工号", "周", "工时", "休假天数"],
            &["E1", "2026-11-23", "52.5", ""],
            &["E1", "2026-W49", "38", "0.5"],
            &["E1", "2026-12-07", "0", "7"],
        ]);
        let got = validate_attendance(&t, &ctx).unwrap();
        let weeks: Vec<(NaiveDate, u32, Option<u32>)> =
            got.iter().map(|r| (r.week.week, r.week.hours_tenths, r.week.leave_tenths)).collect();
        assert_eq!(
            weeks,
            [(d("2026-11-23"), 525, Some(0)), (d("2026-11-30"), 380, Some(5)), (d("2026-12-07"), 0, Some(70))]
        );
        assert_eq!(got[1].row, 3);
        // Hours alone: leave not known, rather than none taken.
        let hours_only = table(&[&["工号", "周", "工时"], &["E1", "2026-11-23", "41"]]);
        assert_eq!(validate_attendance(&hours_only, &ctx).unwrap()[0].week.leave_tenths, None);
    }

    #[test]
    fn i4_bad_rows_are_named_and_nothing_is_read() {
        let people = HashMap::from([
            ("E1".to_string(), employed(1, "2020-01-01", None)),
            // Hired on a Wednesday, left on a Tuesday.
            ("E2".to_string(), employed(2, "2026-03-04", Some("2026-11-17"))),
        ]);
        let ctx = AttendanceContext { people: &people, today: d("2026-12-07"), max_rows: 100 };
        let t = table(&[
            &["employee_no", "week", "hours", "leave_days"],
            &["E1", "2026-11-23", "45", "0"],
            &["NOBODY", "2026-11-23", "45", "0"],
            &["E1", "2026-11-26", "45", "0"],
            &["E1", "next week", "169", "-1"],
            &["E1", "2026-12-14", "forty", "8"],
            &["E2", "2026-03-02", "40", "0"],
            &["E2", "2026-11-16", "16", "0"],
            &["E2", "2026-02-23", "40", "0"],
            &["E2", "2026-11-23", "40", "0"],
        ]);
        let errs = validate_attendance(&t, &ctx).unwrap_err();
        let got: Vec<(usize, &str, &str)> = errs.iter().map(|e| (e.row, e.column.as_str(), e.problem.code())).collect();
        assert_eq!(
            got,
            [
                (3, "employee_no", "unknown_owner"),
                (4, "week", "duplicate_week"),
                (5, "week", "invalid_date"),
                (5, "hours", "invalid_hours"),
                (5, "leave_days", "invalid_leave"),
                (6, "week", "week_not_begun"),
                (6, "hours", "invalid_hours"),
                (6, "leave_days", "invalid_leave"),
                (9, "week", "week_before_hiring"),
                (10, "week", "week_after_leaving"),
            ]
        );
        assert_eq!(errs[1].problem.message(), "this person's week is already in row 2");
        // A file without its hours column is refused as a whole.
        let no_hours = table(&[&["工号", "周"], &["E1", "2026-11-23"]]);
        let errs = validate_attendance(&no_hours, &ctx).unwrap_err();
        assert_eq!((errs[0].column.as_str(), errs[0].problem.code()), ("工时", "missing_column"));
    }
}
