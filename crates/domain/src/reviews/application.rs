//! Using a released result (V-9): promotion nominations on two separate tracks — technical
//! (专业通道) and management (管理通道) — and non-monetary incentives from the reward menu.
//! These are the rules of who may be nominated, how a nomination is decided and whether enough
//! of an incentive is left for everyone it is granted to.

use super::grades::GradeBands;

/// The two career tracks a promotion can be on; a person is nominated on one of them per cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Track {
    Technical,
    Management,
}

impl Track {
    pub fn code(self) -> &'static str {
        match self {
            Track::Technical => "technical",
            Track::Management => "management",
        }
    }

    pub fn parse(s: &str) -> Option<Track> {
        match s {
            "technical" => Some(Track::Technical),
            "management" => Some(Track::Management),
            _ => None,
        }
    }
}

/// Only results in the best grades of the scale lead to a nomination: the top two (S and A on
/// the default scale). A scale of two grades leaves only its best.
pub const NOMINATION_TOP_GRADES: usize = 2;

pub const MAX_LEVEL_CHARS: usize = 20;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NominationBlock {
    /// The person has not seen their result yet.
    NotReleased,
    /// An appeal against the result is still open: its grade may change.
    AppealOpen,
    /// The final grade is not among the grades that lead to a nomination; they are listed.
    GradeTooLow(Vec<String>),
    /// The target level is empty or too long.
    LevelInvalid,
    /// The target level is the person's level now.
    SameLevel,
}

/// The grades whose results may be nominated, best first.
pub fn nominable_grades(bands: &GradeBands) -> Vec<String> {
    let top = NOMINATION_TOP_GRADES.min(bands.bands.len().saturating_sub(1)).max(1);
    bands.bands.iter().take(top).map(|b| b.code.clone()).collect()
}

/// Whether a participant's result may be nominated for promotion at all.
pub fn nomination_block(
    released: bool,
    appeal_open: bool,
    final_grade: Option<&str>,
    bands: &GradeBands,
) -> Option<NominationBlock> {
    if !released {
        return Some(NominationBlock::NotReleased);
    }
    if appeal_open {
        return Some(NominationBlock::AppealOpen);
    }
    let grades = nominable_grades(bands);
    if !final_grade.is_some_and(|g| grades.iter().any(|n| n == g)) {
        return Some(NominationBlock::GradeTooLow(grades));
    }
    None
}

/// Whether `to_level` is a level to nominate someone at `current_level` for.
pub fn level_block(current_level: Option<&str>, to_level: &str) -> Option<NominationBlock> {
    let to = to_level.trim();
    if to.is_empty() || to.chars().count() > MAX_LEVEL_CHARS {
        return Some(NominationBlock::LevelInvalid);
    }
    if current_level.map(str::trim) == Some(to) {
        return Some(NominationBlock::SameLevel);
    }
    None
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NominationState {
    Nominated,
    Approved,
    Declined,
}

impl NominationState {
    pub fn code(self) -> &'static str {
        match self {
            NominationState::Nominated => "nominated",
            NominationState::Approved => "approved",
            NominationState::Declined => "declined",
        }
    }

    pub fn parse(s: &str) -> Option<NominationState> {
        match s {
            "nominated" => Some(NominationState::Nominated),
            "approved" => Some(NominationState::Approved),
            "declined" => Some(NominationState::Declined),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NominationDecisionProblem {
    AlreadyDecided,
    /// Declining says why (the nominator reads it).
    NoteRequired,
}

/// Where a decision takes a nomination: approved or declined, once.
pub fn decide_nomination(
    state: NominationState,
    approve: bool,
    note: &str,
) -> Result<NominationState, NominationDecisionProblem> {
    if state != NominationState::Nominated {
        return Err(NominationDecisionProblem::AlreadyDecided);
    }
    if approve {
        Ok(NominationState::Approved)
    } else if note.trim().is_empty() {
        Err(NominationDecisionProblem::NoteRequired)
    } else {
        Ok(NominationState::Declined)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantProblem {
    /// The reward is no longer on the menu.
    Inactive,
    /// Nobody to grant it to (everyone chosen has it already, or nobody has the grades).
    NobodyEligible,
    /// Fewer left than people to grant it to: granted to nobody.
    NotEnoughStock { left: i32, wanted: usize },
}

/// Whether a reward can be granted to `wanted` people at once: all of them or none.
pub fn check_grant(active: bool, stock: Option<i32>, wanted: usize) -> Result<(), GrantProblem> {
    if !active {
        return Err(GrantProblem::Inactive);
    }
    if wanted == 0 {
        return Err(GrantProblem::NobodyEligible);
    }
    match stock {
        Some(left) if (left.max(0) as usize) < wanted => Err(GrantProblem::NotEnoughStock { left, wanted }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reviews::grades::Band;

    fn bands(codes: &[&str]) -> GradeBands {
        let n = codes.len();
        GradeBands {
            bands: codes
                .iter()
                .enumerate()
                .map(|(i, c)| Band { code: c.to_string(), min: ((n - 1 - i) * 10) as f64, guideline: 0 })
                .collect(),
        }
    }

    #[test]
    fn v9_the_top_two_grades_lead_to_a_nomination() {
        assert_eq!(nominable_grades(&GradeBands::default()), vec!["S", "A"]);
        // A pass/fail scale leaves only its best grade.
        assert_eq!(nominable_grades(&bands(&["P", "F"])), vec!["P"]);
        assert_eq!(nominable_grades(&bands(&["优", "良", "中"])), vec!["优", "良"]);
    }

    #[test]
    fn v9_who_may_be_nominated() {
        let b = GradeBands::default();
        let ok = |grade: &str| nomination_block(true, false, Some(grade), &b);
        assert_eq!(ok("A"), None);
        assert_eq!(ok("S"), None);
        assert_eq!(ok("B"), Some(NominationBlock::GradeTooLow(vec!["S".into(), "A".into()])));
        assert_eq!(nomination_block(false, false, Some("S"), &b), Some(NominationBlock::NotReleased));
        assert_eq!(nomination_block(true, true, Some("S"), &b), Some(NominationBlock::AppealOpen));
        assert!(matches!(nomination_block(true, false, None, &b), Some(NominationBlock::GradeTooLow(_))));
        assert_eq!(level_block(Some("P5"), "P6"), None);
        assert_eq!(level_block(None, "M1"), None);
        assert_eq!(level_block(Some("P5"), " P5 "), Some(NominationBlock::SameLevel));
        assert_eq!(level_block(Some("P5"), "  "), Some(NominationBlock::LevelInvalid));
        assert_eq!(level_block(Some("P5"), &"P".repeat(21)), Some(NominationBlock::LevelInvalid));
    }

    #[test]
    fn v9_a_nomination_is_decided_once_and_a_decline_says_why() {
        use NominationState::*;
        assert_eq!(decide_nomination(Nominated, true, ""), Ok(Approved));
        assert_eq!(decide_nomination(Nominated, false, "明年再议"), Ok(Declined));
        assert_eq!(decide_nomination(Nominated, false, "  "), Err(NominationDecisionProblem::NoteRequired));
        assert_eq!(decide_nomination(Approved, false, "x"), Err(NominationDecisionProblem::AlreadyDecided));
        assert_eq!(decide_nomination(Declined, true, ""), Err(NominationDecisionProblem::AlreadyDecided));
        for s in [Nominated, Approved, Declined] {
            assert_eq!(NominationState::parse(s.code()), Some(s));
        }
        assert_eq!(Track::parse("management"), Some(Track::Management));
        assert_eq!(Track::parse("sales"), None);
    }

    #[test]
    fn v9_an_incentive_goes_to_everyone_chosen_or_to_nobody() {
        assert_eq!(check_grant(true, None, 40), Ok(()));
        assert_eq!(check_grant(true, Some(3), 3), Ok(()));
        assert_eq!(check_grant(true, Some(2), 3), Err(GrantProblem::NotEnoughStock { left: 2, wanted: 3 }));
        assert_eq!(check_grant(true, Some(5), 0), Err(GrantProblem::NobodyEligible));
        assert_eq!(check_grant(false, None, 1), Err(GrantProblem::Inactive));
    }
}
