//! The goal-setting workflow (G-10, G-11): which approval nodes apply to a goal, the order of
//! its steps, and the status a goal has after each decision.
//!
//! A goal is drafted, submitted, approved by the owner's manager (optionally also by the
//! skip-level manager) and filed by HR (备案). Each node can be switched off per unit and level;
//! the rule nearest to the goal's unit wins, a rule for the goal's level beats one for every level.

use uuid::Uuid;

/// One approval node, in the order they are passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Manager,
    SkipLevel,
    HrFiling,
}

impl Step {
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Manager => "manager",
            Step::SkipLevel => "skip_level",
            Step::HrFiling => "hr_filing",
        }
    }
    pub fn parse(s: &str) -> Option<Step> {
        match s {
            "manager" => Some(Step::Manager),
            "skip_level" => Some(Step::SkipLevel),
            "hr_filing" => Some(Step::HrFiling),
            _ => None,
        }
    }
}

/// Which nodes a goal passes, and whether changes after approval go through them again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Nodes {
    pub manager: bool,
    pub skip_level: bool,
    pub hr_filing: bool,
    /// G-11: a change to an approved goal is approved again (otherwise a reason suffices).
    pub change_approval: bool,
}

/// Without any configured rule: manager approves, HR files, changes need only a reason.
pub const DEFAULT_NODES: Nodes = Nodes { manager: true, skip_level: false, hr_filing: true, change_approval: false };

/// A configured rule: for a unit (and the units below it) or the whole organization, for one
/// goal level or every level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub unit_id: Option<Uuid>,
    pub level: Option<String>,
    pub nodes: Nodes,
}

/// The nodes for a goal of `level` whose unit's chain, nearest first, is `unit_chain`.
pub fn resolve(unit_chain: &[Uuid], level: &str, rules: &[Rule]) -> Nodes {
    let find = |unit: Option<Uuid>| {
        let here = rules.iter().filter(|r| r.unit_id == unit);
        let mut exact = here.clone().filter(|r| r.level.as_deref() == Some(level));
        exact.next().or_else(|| here.clone().find(|r| r.level.is_none())).map(|r| r.nodes)
    };
    unit_chain.iter().find_map(|u| find(Some(*u))).or_else(|| find(None)).unwrap_or(DEFAULT_NODES)
}

/// Who exists to take the manager steps: a goal without an owner's manager skips them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Approvers {
    pub manager: bool,
    pub skip_level: bool,
}

/// The steps a submitted goal passes, in order.
pub fn steps(nodes: Nodes, approvers: Approvers) -> Vec<Step> {
    let mut out = Vec::new();
    if nodes.manager && approvers.manager {
        out.push(Step::Manager);
    }
    if nodes.skip_level && approvers.skip_level {
        out.push(Step::SkipLevel);
    }
    if nodes.hr_filing {
        out.push(Step::HrFiling);
    }
    out
}

/// The step after `done` (or the first step when nothing is done yet).
pub fn next_step(path: &[Step], done: Option<Step>) -> Option<Step> {
    match done {
        None => path.first().copied(),
        Some(d) => path.iter().position(|s| *s == d).and_then(|i| path.get(i + 1)).copied(),
    }
}

/// A goal's status while `pending` is the step waiting (none: the workflow is through).
/// `filed` when HR filing was the last step, otherwise `approved` once managers have agreed.
pub fn status_while(pending: Option<Step>, path: &[Step]) -> &'static str {
    match pending {
        Some(Step::Manager) | Some(Step::SkipLevel) => "submitted",
        Some(Step::HrFiling) => "approved",
        None if path.last() == Some(&Step::HrFiling) => "filed",
        None => "approved",
    }
}

/// Statuses in which the goal is agreed: changing it then needs a reason (G-11).
pub fn is_agreed(status: &str) -> bool {
    matches!(status, "approved" | "filed")
}

/// Statuses in which the goal takes changes at all: not while an approver looks at it, not
/// once archived.
pub fn takes_changes(status: &str) -> bool {
    !matches!(status, "submitted" | "archived")
}

/// Statuses in which the owner may still edit freely and submit.
pub fn is_open(status: &str) -> bool {
    matches!(status, "draft" | "returned")
}

#[cfg(test)]
mod tests {
    //! G-10 approval nodes per unit and level; G-11 agreed goals.
    use super::*;

    const ALL: Approvers = Approvers { manager: true, skip_level: true };
    fn rule(unit: Option<u128>, level: Option<&str>, manager: bool, skip: bool, hr: bool) -> Rule {
        Rule {
            unit_id: unit.map(Uuid::from_u128),
            level: level.map(str::to_string),
            nodes: Nodes { manager, skip_level: skip, hr_filing: hr, change_approval: false },
        }
    }

    #[test]
    fn g10_default_is_manager_then_hr_filing() {
        assert_eq!(steps(resolve(&[], "individual", &[]), ALL), vec![Step::Manager, Step::HrFiling]);
    }

    #[test]
    fn g10_nearest_unit_rule_wins_and_level_beats_any_level() {
        // Chain: team 3 → department 2 → company 1. The department skips HR filing; its
        // individual goals also go to the skip-level manager; the organization adds nothing.
        let rules = vec![
            rule(None, None, true, false, true),
            rule(Some(2), None, true, false, false),
            rule(Some(2), Some("individual"), true, true, false),
        ];
        let chain = [Uuid::from_u128(3), Uuid::from_u128(2), Uuid::from_u128(1)];
        assert_eq!(steps(resolve(&chain, "individual", &rules), ALL), vec![Step::Manager, Step::SkipLevel]);
        assert_eq!(steps(resolve(&chain, "team", &rules), ALL), vec![Step::Manager]);
        // Another branch falls back to the organization's rule.
        assert_eq!(steps(resolve(&[Uuid::from_u128(9)], "team", &rules), ALL), vec![Step::Manager, Step::HrFiling]);
    }

    #[test]
    fn g10_missing_managers_skip_their_steps() {
        let nodes = Nodes { skip_level: true, ..DEFAULT_NODES };
        assert_eq!(steps(nodes, Approvers { manager: true, skip_level: false }), vec![Step::Manager, Step::HrFiling]);
        assert_eq!(steps(nodes, Approvers { manager: false, skip_level: false }), vec![Step::HrFiling]);
        let none = Nodes { manager: false, skip_level: false, hr_filing: false, change_approval: false };
        assert!(steps(none, ALL).is_empty());
    }

    #[test]
    fn g10_statuses_along_the_path() {
        let path = [Step::Manager, Step::SkipLevel, Step::HrFiling];
        assert_eq!(next_step(&path, None), Some(Step::Manager));
        assert_eq!(status_while(Some(Step::Manager), &path), "submitted");
        assert_eq!(next_step(&path, Some(Step::Manager)), Some(Step::SkipLevel));
        assert_eq!(status_while(Some(Step::SkipLevel), &path), "submitted");
        assert_eq!(next_step(&path, Some(Step::SkipLevel)), Some(Step::HrFiling));
        assert_eq!(status_while(Some(Step::HrFiling), &path), "approved");
        assert_eq!(next_step(&path, Some(Step::HrFiling)), None);
        assert_eq!(status_while(None, &path), "filed");
        // Without HR filing the manager's approval is the end.
        assert_eq!(status_while(None, &[Step::Manager]), "approved");
        // Nothing to pass: submitting agrees the goal at once.
        assert_eq!(status_while(next_step(&[], None), &[]), "approved");
    }

    #[test]
    fn g11_agreed_and_open_statuses() {
        assert!(is_agreed("approved") && is_agreed("filed"));
        assert!(!is_agreed("submitted") && !is_agreed("draft"));
        assert!(is_open("draft") && is_open("returned") && !is_open("submitted"));
        assert!(takes_changes("filed") && !takes_changes("submitted") && !takes_changes("archived"));
    }
}
