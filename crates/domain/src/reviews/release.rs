//! After calibration (V-6): HR releases results, the person acknowledges having read theirs and,
//! inside the appeals window, may appeal (申诉); HR assigns the appeal to someone, who decides it
//! and answers. These are the rules of when each step may happen.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::cycle::{Stage, StageDates};

fn stage(stages: &[StageDates], s: Stage) -> Option<&StageDates> {
    stages.iter().find(|d| d.stage == s)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseBlock {
    /// The release stage opens on this day.
    NotYet(NaiveDate),
    /// The cycle has no release stage (cannot happen for a checked cycle).
    NoStage,
}

/// Results may be released from the first day of the release stage on (late groups after it
/// closes too: a result is never held back by the calendar once it is due).
pub fn release_block(stages: &[StageDates], today: NaiveDate) -> Option<ReleaseBlock> {
    match stage(stages, Stage::Release) {
        None => Some(ReleaseBlock::NoStage),
        Some(d) if today < d.opens_on => Some(ReleaseBlock::NotYet(d.opens_on)),
        Some(_) => None,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AppealBlock {
    /// Nothing to appeal before the result is released.
    NotReleased,
    /// The window opens on this day.
    NotOpen(NaiveDate),
    /// The window closed on this day.
    Closed(NaiveDate),
    /// One appeal per result.
    AlreadyAppealed,
}

/// Whether the person may appeal their result today: it is released, it has not been appealed,
/// and today is inside the appeals stage. Acknowledging (having read it) does not waive it.
pub fn appeal_block(
    released: bool,
    already_appealed: bool,
    stages: &[StageDates],
    today: NaiveDate,
) -> Option<AppealBlock> {
    if !released {
        return Some(AppealBlock::NotReleased);
    }
    if already_appealed {
        return Some(AppealBlock::AlreadyAppealed);
    }
    let Some(w) = stage(stages, Stage::Appeals) else {
        return Some(AppealBlock::Closed(today));
    };
    if today < w.opens_on {
        Some(AppealBlock::NotOpen(w.opens_on))
    } else if today > w.closes_on {
        Some(AppealBlock::Closed(w.closes_on))
    } else {
        None
    }
}

/// Where an appeal stands: submitted by the person, assigned to a handler by HR, decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AppealState {
    Submitted,
    Assigned,
    Decided,
}

impl AppealState {
    pub fn code(self) -> &'static str {
        match self {
            AppealState::Submitted => "submitted",
            AppealState::Assigned => "assigned",
            AppealState::Decided => "decided",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [AppealState::Submitted, AppealState::Assigned, AppealState::Decided].into_iter().find(|x| x.code() == s)
    }
    /// Assigning (or handing over to someone else) is possible until it is decided.
    pub fn can_assign(self) -> bool {
        self != AppealState::Decided
    }
    /// Only an assigned appeal is decided, and only once.
    pub fn can_decide(self) -> bool {
        self == AppealState::Assigned
    }
}

/// How an appeal ends: the result stands, or the grade is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Upheld,
    Changed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionProblem {
    /// A changed result needs the new grade.
    GradeRequired,
    /// The new grade is the one the person already has.
    Unchanged,
    /// A result that stands takes no grade.
    GradeWithUpheld,
}

/// Checks a decision against the person's current grade; returns the grade they end with.
pub fn decide<'a>(outcome: Outcome, current: &'a str, new: Option<&'a str>) -> Result<&'a str, DecisionProblem> {
    match (outcome, new) {
        (Outcome::Upheld, None) => Ok(current),
        (Outcome::Upheld, Some(_)) => Err(DecisionProblem::GradeWithUpheld),
        (Outcome::Changed, None) => Err(DecisionProblem::GradeRequired),
        (Outcome::Changed, Some(g)) if g == current => Err(DecisionProblem::Unchanged),
        (Outcome::Changed, Some(g)) => Ok(g),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn stages() -> Vec<StageDates> {
        let s = |stage, a, b| StageDates { stage, opens_on: a, closes_on: b };
        vec![
            s(Stage::Release, d(12, 28), d(12, 28)),
            s(Stage::Acknowledgement, d(12, 28), d(12, 31)),
            s(Stage::Appeals, d(12, 29), d(12, 31)),
        ]
    }

    #[test]
    fn v6_release_from_the_first_day_of_its_stage() {
        assert_eq!(release_block(&stages(), d(12, 27)), Some(ReleaseBlock::NotYet(d(12, 28))));
        assert_eq!(release_block(&stages(), d(12, 28)), None);
        // A late group is still released after the stage's last day.
        assert_eq!(release_block(&stages(), d(12, 30)), None);
        assert_eq!(release_block(&[], d(12, 30)), Some(ReleaseBlock::NoStage));
    }

    #[test]
    fn v6_appeals_only_inside_the_window_once_released() {
        let s = stages();
        assert_eq!(appeal_block(false, false, &s, d(12, 30)), Some(AppealBlock::NotReleased));
        assert_eq!(appeal_block(true, false, &s, d(12, 28)), Some(AppealBlock::NotOpen(d(12, 29))));
        assert_eq!(appeal_block(true, false, &s, d(12, 29)), None);
        assert_eq!(appeal_block(true, false, &s, d(12, 31)), None);
        assert_eq!(
            appeal_block(true, false, &s, NaiveDate::from_ymd_opt(2027, 1, 1).unwrap()),
            Some(AppealBlock::Closed(d(12, 31)))
        );
        assert_eq!(appeal_block(true, true, &s, d(12, 30)), Some(AppealBlock::AlreadyAppealed));
    }

    #[test]
    fn v6_appeal_states_move_forward_only() {
        assert!(AppealState::Submitted.can_assign());
        assert!(AppealState::Assigned.can_assign(), "handed over to another handler");
        assert!(!AppealState::Decided.can_assign());
        assert!(!AppealState::Submitted.can_decide(), "someone must own it first");
        assert!(AppealState::Assigned.can_decide());
        assert!(!AppealState::Decided.can_decide());
        assert_eq!(AppealState::parse("assigned"), Some(AppealState::Assigned));
        assert_eq!(AppealState::parse("open"), None);
    }

    #[test]
    fn v6_decisions() {
        assert_eq!(decide(Outcome::Upheld, "C", None), Ok("C"));
        assert_eq!(decide(Outcome::Changed, "C", Some("B")), Ok("B"));
        assert_eq!(decide(Outcome::Changed, "C", None), Err(DecisionProblem::GradeRequired));
        assert_eq!(decide(Outcome::Changed, "C", Some("C")), Err(DecisionProblem::Unchanged));
        assert_eq!(decide(Outcome::Upheld, "C", Some("B")), Err(DecisionProblem::GradeWithUpheld));
    }
}
