//! Probation (V-8): the 1-3-6 follow-up of a new hire and the legal cap on its length.
//!
//! PRC Labour Contract Law art. 19: a contract of 3 months to under 1 year allows at most one
//! month of probation; 1 to under 3 years at most two months; 3 years or more, or open-ended, at
//! most six months; a contract under 3 months or for the completion of a task allows none. An
//! employer may set only one probation with the same employee.

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::Serialize;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractTerm {
    /// A fixed term of this many months.
    Fixed(u32),
    OpenEnded,
    /// For the completion of a task (以完成一定工作任务为期限).
    Task,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbationProblem {
    /// The longest probation this contract allows (0: none at all).
    TooLong {
        max_months: u32,
    },
    /// The employee already had a probation with us.
    Repeated,
    NoMonths,
    /// An extension must make the probation longer.
    NotLonger,
    /// A probation is extended once at most.
    AlreadyExtended,
}

impl ContractTerm {
    /// From its code: `fixed` with its months, `open_ended` or `task`.
    pub fn parse(kind: &str, months: Option<u32>) -> Option<ContractTerm> {
        match (kind, months) {
            ("fixed", Some(m)) if m > 0 => Some(ContractTerm::Fixed(m)),
            ("open_ended", _) => Some(ContractTerm::OpenEnded),
            ("task", _) => Some(ContractTerm::Task),
            _ => None,
        }
    }

    /// Its code, and the months of a fixed term: what [`ContractTerm::parse`] reads.
    pub fn code(self) -> (&'static str, Option<u32>) {
        match self {
            ContractTerm::Fixed(m) => ("fixed", Some(m)),
            ContractTerm::OpenEnded => ("open_ended", None),
            ContractTerm::Task => ("task", None),
        }
    }
}

/// Where a probation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbationState {
    InProgress,
    Converted,
    NotConverted,
}

impl ProbationState {
    pub const ALL: [ProbationState; 3] =
        [ProbationState::InProgress, ProbationState::Converted, ProbationState::NotConverted];

    pub fn code(self) -> &'static str {
        match self {
            ProbationState::InProgress => "in_progress",
            ProbationState::Converted => "converted",
            ProbationState::NotConverted => "not_converted",
        }
    }

    pub fn parse(s: &str) -> Option<ProbationState> {
        ProbationState::ALL.into_iter().find(|p| p.code() == s)
    }
}

/// A new hire's probation as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probation {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub term: ContractTerm,
    /// Its length in months (after an extension, the new length).
    pub months: u32,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub state: ProbationState,
    pub extended: bool,
    pub decision_note: Option<String>,
    pub decided_by_name: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
}

/// One checkpoint of a probation as kept, held or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbationCheckpoint {
    pub id: Uuid,
    pub probation_id: Uuid,
    pub month: u32,
    pub focus: Focus,
    pub due_on: NaiveDate,
    pub note: Option<String>,
    pub held_by_name: Option<String>,
    pub held_at: Option<DateTime<Utc>>,
}

/// The longest probation art. 19 allows for a contract, in months.
pub fn max_months(term: ContractTerm) -> u32 {
    match term {
        ContractTerm::Task => 0,
        ContractTerm::OpenEnded => 6,
        ContractTerm::Fixed(m) if m < 3 => 0,
        ContractTerm::Fixed(m) if m < 12 => 1,
        ContractTerm::Fixed(m) if m < 36 => 2,
        ContractTerm::Fixed(_) => 6,
    }
}

pub fn check(term: ContractTerm, months: u32, had_probation_before: bool) -> Result<(), ProbationProblem> {
    if had_probation_before {
        return Err(ProbationProblem::Repeated);
    }
    if months == 0 {
        return Err(ProbationProblem::NoMonths);
    }
    let max = max_months(term);
    if months > max {
        return Err(ProbationProblem::TooLong { max_months: max });
    }
    Ok(())
}

/// Extending a running probation to `new_months` in all: once, longer, and still within the
/// contract's cap — the law allows one probation, so an extension is the same probation made
/// longer, never a second one.
pub fn check_extension(
    term: ContractTerm,
    months: u32,
    new_months: u32,
    extended_before: bool,
) -> Result<(), ProbationProblem> {
    if extended_before {
        return Err(ProbationProblem::AlreadyExtended);
    }
    if new_months <= months {
        return Err(ProbationProblem::NotLonger);
    }
    let max = max_months(term);
    if new_months > max {
        return Err(ProbationProblem::TooLong { max_months: max });
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Focus {
    /// Month 1: adaptation and attitude.
    Adaptation,
    /// Month 3: delivery.
    Delivery,
    /// Month 6: level and potential.
    Potential,
    /// The end of probation: convert, extend within the cap, or not.
    Conversion,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Checkpoint {
    pub month: u32,
    pub focus: Focus,
    pub due_on: NaiveDate,
}

impl Focus {
    pub fn code(self) -> &'static str {
        match self {
            Focus::Adaptation => "adaptation",
            Focus::Delivery => "delivery",
            Focus::Potential => "potential",
            Focus::Conversion => "conversion",
        }
    }

    pub fn parse(s: &str) -> Option<Focus> {
        [Focus::Adaptation, Focus::Delivery, Focus::Potential, Focus::Conversion].into_iter().find(|f| f.code() == s)
    }
}

/// The 1-3-6 checkpoints from the hire date and the conversion decision at the end of
/// probation; the conversion takes the place of a checkpoint falling on the same day.
pub fn checkpoints(hired_on: NaiveDate, probation_months: u32) -> Vec<Checkpoint> {
    let at = |m: u32| hired_on.checked_add_months(Months::new(m)).unwrap_or(hired_on);
    let end = at(probation_months);
    let mut out: Vec<Checkpoint> = [(1, Focus::Adaptation), (3, Focus::Delivery), (6, Focus::Potential)]
        .into_iter()
        .filter(|(m, _)| *m != probation_months)
        .map(|(month, focus)| Checkpoint { month, focus, due_on: at(month) })
        .collect();
    out.push(Checkpoint { month: probation_months, focus: Focus::Conversion, due_on: end });
    out.sort_by_key(|c| c.due_on);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v8_article_19_caps() {
        let cases = [
            (ContractTerm::Fixed(2), 0),
            (ContractTerm::Fixed(3), 1),
            (ContractTerm::Fixed(11), 1),
            (ContractTerm::Fixed(12), 2),
            (ContractTerm::Fixed(35), 2),
            (ContractTerm::Fixed(36), 6),
            (ContractTerm::OpenEnded, 6),
            (ContractTerm::Task, 0),
        ];
        for (term, max) in cases {
            assert_eq!(max_months(term), max, "{term:?}");
        }
        assert_eq!(check(ContractTerm::Fixed(24), 3, false), Err(ProbationProblem::TooLong { max_months: 2 }));
        assert_eq!(check(ContractTerm::Fixed(2), 1, false), Err(ProbationProblem::TooLong { max_months: 0 }));
        assert_eq!(check(ContractTerm::OpenEnded, 6, true), Err(ProbationProblem::Repeated));
        assert_eq!(check(ContractTerm::OpenEnded, 6, false), Ok(()));
    }

    #[test]
    fn v8_extension_once_and_within_the_cap() {
        // A two-year contract: at most two months; one month extended to two is fine, once.
        let two_years = ContractTerm::Fixed(24);
        assert_eq!(check_extension(two_years, 1, 2, false), Ok(()));
        assert_eq!(check_extension(two_years, 1, 3, false), Err(ProbationProblem::TooLong { max_months: 2 }));
        assert_eq!(check_extension(two_years, 2, 2, false), Err(ProbationProblem::NotLonger));
        assert_eq!(check_extension(two_years, 1, 2, true), Err(ProbationProblem::AlreadyExtended));
        assert_eq!(ContractTerm::parse("fixed", Some(36)), Some(ContractTerm::Fixed(36)));
        assert_eq!(ContractTerm::parse("fixed", None), None);
        assert_eq!(ContractTerm::parse("open_ended", None), Some(ContractTerm::OpenEnded));
    }

    #[test]
    fn v8_checkpoints_one_three_six_and_conversion() {
        let hired = NaiveDate::from_ymd_opt(2026, 1, 31).unwrap();
        let c = checkpoints(hired, 6);
        let got: Vec<(u32, Focus, String)> = c.iter().map(|c| (c.month, c.focus, c.due_on.to_string())).collect();
        // Month ends clamp: 31 January + 1 month is 28 February.
        assert_eq!(
            got,
            [
                (1, Focus::Adaptation, "2026-02-28".into()),
                (3, Focus::Delivery, "2026-04-30".into()),
                (6, Focus::Conversion, "2026-07-31".into()),
            ]
        );
        // Two months' probation: the conversion comes between months 1 and 3.
        let c = checkpoints(hired, 2);
        assert_eq!(
            c.iter().map(|c| c.focus).collect::<Vec<_>>(),
            [Focus::Adaptation, Focus::Conversion, Focus::Delivery, Focus::Potential]
        );
    }
}
