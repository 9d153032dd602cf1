//! People and organization vocabulary (SPEC O-1, O-2): statuses, career tracks and the
//! field rules that every entry path (forms, API, import) shares.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Employment status (O-2). Leaving keeps the record and its history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum EmployeeStatus {
    Active,
    OnLeave,
    Left,
}

impl EmployeeStatus {
    pub const ALL: [EmployeeStatus; 3] = [Self::Active, Self::OnLeave, Self::Left];

    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::OnLeave => "on_leave",
            Self::Left => "left",
        }
    }

    /// Accepts the stored code and the words HR writes in a spreadsheet.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "active" | "在职" | "正式" | "试用" => Some(Self::Active),
            "on_leave" | "on leave" | "leave" | "休假" | "停薪留职" => Some(Self::OnLeave),
            "left" | "离职" | "已离职" => Some(Self::Left),
            _ => None,
        }
    }
}

/// Career track (技术序列 / 管理序列).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash)]
#[serde(rename_all = "snake_case")]
pub enum CareerTrack {
    Technical,
    Management,
}

impl CareerTrack {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Technical => "technical",
            Self::Management => "management",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "technical" | "tech" | "professional" | "技术序列" | "技术" | "专业序列" | "专业" => {
                Some(Self::Technical)
            }
            "management" | "manager" | "管理序列" | "管理" => Some(Self::Management),
            _ => None,
        }
    }
}

/// A person of the organization (O-1, O-2) as every module reads them: the store maps its
/// rows to this and back, so statuses and tracks are compared as enums, never as stored text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Employee {
    pub id: Uuid,
    pub employee_no: String,
    pub name: String,
    pub email: Option<String>,
    pub unit_id: Uuid,
    pub manager_id: Option<Uuid>,
    pub job_family: Option<String>,
    pub career_track: Option<CareerTrack>,
    pub level: Option<String>,
    pub location: Option<String>,
    pub hire_date: NaiveDate,
    pub probation_end: Option<NaiveDate>,
    pub status: EmployeeStatus,
    pub status_since: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Employee {
    /// Still with the organization (active or on leave): who may be named, invited, thanked.
    pub fn is_current(&self) -> bool {
        self.status != EmployeeStatus::Left
    }
    /// At work now (not on leave, not left): who is given new work such as demo activity.
    pub fn is_active(&self) -> bool {
        self.status == EmployeeStatus::Active
    }
}

/// One entry of a person's status history (O-2): joining, going on leave, leaving.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusRecord {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub status: EmployeeStatus,
    pub effective_on: NaiveDate,
    pub reason: Option<String>,
    pub recorded_at: DateTime<Utc>,
    /// The user account that recorded it; none for the system (import by command, demo).
    pub recorded_by: Option<Uuid>,
}

/// A unit of the organization (O-1) as every module reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub id: Uuid,
    pub code: Option<String>,
    pub name: String,
    pub parent_id: Option<Uuid>,
    /// One of [`UNIT_KINDS`] (checked by [`unit_kind`] on every way in).
    pub kind: String,
    pub sort_order: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Kinds of unit (O-1): 公司 → 事业部 → 部门 → 团队, plus `other` for anything else.
pub const UNIT_KINDS: [&str; 5] = ["company", "business_unit", "department", "team", "other"];

/// A unit kind from its code or the word HR writes in a spreadsheet.
pub fn unit_kind(value: &str) -> Result<&'static str, FieldError> {
    Ok(match value.trim().to_lowercase().replace([' ', '-'], "_").as_str() {
        "company" | "group" | "公司" | "集团" | "总公司" => "company",
        "business_unit" | "bu" | "division" | "事业部" | "事业群" | "分公司" => "business_unit",
        "department" | "dept" | "部门" | "部" | "中心" => "department",
        "team" | "团队" | "小组" | "组" => "team",
        "other" | "其他" => "other",
        _ => return Err(FieldError::InvalidUnitKind),
    })
}

/// Why a field value is refused; the same codes are used by forms, the API and import,
/// and translated at the edge (`field-error-<code>` in the Fluent files).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldError {
    Required,
    TooLong,
    InvalidEmail,
    InvalidEmployeeNo,
    InvalidDate,
    InvalidStatus,
    InvalidCareerTrack,
    ProbationBeforeHire,
    StatusBeforeHire,
    HireDateTooFarAhead,
    InvalidUnitKind,
    InvalidNumber,
}

impl FieldError {
    pub fn code(self) -> &'static str {
        match self {
            Self::Required => "required",
            Self::TooLong => "too_long",
            Self::InvalidEmail => "invalid_email",
            Self::InvalidEmployeeNo => "invalid_employee_no",
            Self::InvalidDate => "invalid_date",
            Self::InvalidStatus => "invalid_status",
            Self::InvalidCareerTrack => "invalid_career_track",
            Self::ProbationBeforeHire => "probation_before_hire",
            Self::StatusBeforeHire => "status_before_hire",
            Self::HireDateTooFarAhead => "hire_date_too_far_ahead",
            Self::InvalidUnitKind => "invalid_unit_kind",
            Self::InvalidNumber => "invalid_number",
        }
    }

    /// English text for the command line and logs; pages use the Fluent files.
    pub fn message(self) -> &'static str {
        match self {
            Self::Required => "is required",
            Self::TooLong => "is too long",
            Self::InvalidEmail => "is not a valid e-mail address",
            Self::InvalidEmployeeNo => "must be 1-32 letters, digits, '-' or '_' (no spaces)",
            Self::InvalidDate => "is not a date (use YYYY-MM-DD)",
            Self::InvalidStatus => "must be active, on_leave or left (在职/休假/离职)",
            Self::InvalidCareerTrack => "must be technical or management (技术序列/管理序列)",
            Self::ProbationBeforeHire => "probation end is before the hire date",
            Self::StatusBeforeHire => "status date is before the hire date",
            Self::HireDateTooFarAhead => "hire date is more than a year in the future",
            Self::InvalidUnitKind => {
                "must be company, business_unit, department, team or other (公司/事业部/部门/团队/其他)"
            }
            Self::InvalidNumber => "is not a whole number",
        }
    }
}

pub const MAX_NAME_LEN: usize = 100;
pub const MAX_TEXT_LEN: usize = 200;

/// A required, trimmed text of bounded length.
pub fn required_text(value: &str, max: usize) -> Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(FieldError::Required);
    }
    optional_text(v, max).map(|o| o.unwrap_or_default())
}

/// An optional trimmed text: blank becomes `None`.
pub fn optional_text(value: &str, max: usize) -> Result<Option<String>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        Ok(None)
    } else if v.chars().count() > max {
        Err(FieldError::TooLong)
    } else {
        Ok(Some(v.to_string()))
    }
}

/// Employee numbers are identifiers HR types and re-imports by: letters, digits, `-`, `_`.
pub fn employee_no(value: &str) -> Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(FieldError::Required);
    }
    let ok = v.len() <= 32 && v.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok { Ok(v.to_string()) } else { Err(FieldError::InvalidEmployeeNo) }
}

/// A plain structural e-mail check: one `@`, a dotted domain, no spaces.
pub fn email(value: &str) -> Result<Option<String>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    if v.len() > 254 {
        return Err(FieldError::TooLong);
    }
    let mut parts = v.split('@');
    let (local, domain) = match (parts.next(), parts.next(), parts.next()) {
        (Some(l), Some(d), None) => (l, d),
        _ => return Err(FieldError::InvalidEmail),
    };
    let domain_ok =
        domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') && !domain.contains("..");
    if local.is_empty() || !domain_ok || v.chars().any(char::is_whitespace) {
        return Err(FieldError::InvalidEmail);
    }
    Ok(Some(v.to_lowercase()))
}

/// Dates as HR writes them: 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日.
pub fn parse_date(value: &str) -> Result<Option<NaiveDate>, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let normalized: String = v.replace(['/', '.', '年', '月'], "-").trim_end_matches('日').to_string();
    NaiveDate::parse_from_str(&normalized, "%Y-%m-%d").map(Some).map_err(|_| FieldError::InvalidDate)
}

/// Dates of one employee must be possible together (O-4 "impossible dates").
pub struct EmploymentDates {
    pub hire_date: NaiveDate,
    pub probation_end: Option<NaiveDate>,
    pub status_since: Option<NaiveDate>,
}

/// Returns the offending field name and why.
pub fn check_dates(d: &EmploymentDates, today: NaiveDate) -> Result<(), (&'static str, FieldError)> {
    if d.hire_date > today + chrono::Days::new(366) {
        return Err(("hire_date", FieldError::HireDateTooFarAhead));
    }
    if let Some(p) = d.probation_end
        && p < d.hire_date
    {
        return Err(("probation_end", FieldError::ProbationBeforeHire));
    }
    if let Some(s) = d.status_since
        && s < d.hire_date
    {
        return Err(("status_since", FieldError::StatusBeforeHire));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn o2_status_accepts_codes_and_chinese_words() {
        assert_eq!(EmployeeStatus::parse("在职"), Some(EmployeeStatus::Active));
        assert_eq!(EmployeeStatus::parse(" Left "), Some(EmployeeStatus::Left));
        assert_eq!(EmployeeStatus::parse("休假"), Some(EmployeeStatus::OnLeave));
        assert_eq!(EmployeeStatus::parse("fired"), None);
        assert_eq!(CareerTrack::parse("管理序列"), Some(CareerTrack::Management));
    }

    #[test]
    fn o1_unit_kinds_from_codes_and_chinese_words() {
        assert_eq!(unit_kind("事业部"), Ok("business_unit"));
        assert_eq!(unit_kind(" Business Unit "), Ok("business_unit"));
        assert_eq!(unit_kind("团队"), Ok("team"));
        assert_eq!(unit_kind("集团"), Ok("company"));
        assert_eq!(unit_kind("科室"), Err(FieldError::InvalidUnitKind));
    }

    #[test]
    fn o4_dates_in_the_shapes_excel_writes() {
        assert_eq!(parse_date("2024/3/1"), Ok(Some(d(2024, 3, 1))));
        assert_eq!(parse_date("2024年3月1日"), Ok(Some(d(2024, 3, 1))));
        assert_eq!(parse_date("2024.12.31"), Ok(Some(d(2024, 12, 31))));
        assert_eq!(parse_date(""), Ok(None));
        assert_eq!(parse_date("2023-02-29"), Err(FieldError::InvalidDate));
        assert_eq!(parse_date("yesterday"), Err(FieldError::InvalidDate));
    }

    #[test]
    fn o4_impossible_dates_are_named() {
        let today = d(2026, 11, 21);
        let ok = EmploymentDates { hire_date: d(2024, 3, 1), probation_end: Some(d(2024, 9, 1)), status_since: None };
        assert_eq!(check_dates(&ok, today), Ok(()));
        let bad = EmploymentDates { hire_date: d(2024, 3, 1), probation_end: Some(d(2024, 2, 29)), status_since: None };
        assert_eq!(check_dates(&bad, today), Err(("probation_end", FieldError::ProbationBeforeHire)));
        let far = EmploymentDates { hire_date: d(2027, 11, 23), probation_end: None, status_since: None };
        assert_eq!(check_dates(&far, today), Err(("hire_date", FieldError::HireDateTooFarAhead)));
        let left_early =
            EmploymentDates { hire_date: d(2024, 3, 1), probation_end: None, status_since: Some(d(2024, 1, 1)) };
        assert_eq!(check_dates(&left_early, today), Err(("status_since", FieldError::StatusBeforeHire)));
    }

    #[test]
    fn o2_field_rules() {
        assert_eq!(employee_no(" E-001 "), Ok("E-001".into()));
        assert_eq!(employee_no("E 001"), Err(FieldError::InvalidEmployeeNo));
        assert_eq!(employee_no(""), Err(FieldError::Required));
        assert_eq!(email("Li.Na@Example.com"), Ok(Some("li.na@example.com".into())));
        assert_eq!(email("li@na@x.com"), Err(FieldError::InvalidEmail));
        assert_eq!(email("lina@localhost"), Err(FieldError::InvalidEmail));
        assert_eq!(email(""), Ok(None));
        assert_eq!(required_text("  ", 10), Err(FieldError::Required));
        assert_eq!(required_text("张三丰", 3), Ok("张三丰".into()));
        assert_eq!(required_text("张三丰丰", 3), Err(FieldError::TooLong));
    }
}
