//! Development plans (D-1, 个人发展计划) as kept: a development goal for one person, its actions
//! and its dated checkpoints.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// What kind of step an action is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActionKind {
    Course,
    Rotation,
    Project,
    Mentor,
}

impl ActionKind {
    pub const ALL: [ActionKind; 4] =
        [ActionKind::Course, ActionKind::Rotation, ActionKind::Project, ActionKind::Mentor];
    /// The codes, in the order a form offers them.
    pub const CODES: [&'static str; 4] = ["course", "rotation", "project", "mentor"];

    pub fn code(self) -> &'static str {
        match self {
            ActionKind::Course => Self::CODES[0],
            ActionKind::Rotation => Self::CODES[1],
            ActionKind::Project => Self::CODES[2],
            ActionKind::Mentor => Self::CODES[3],
        }
    }

    pub fn parse(s: &str) -> Option<ActionKind> {
        ActionKind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// A plan is active until every action is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanState {
    Active,
    Done,
}

impl PlanState {
    pub fn code(self) -> &'static str {
        match self {
            PlanState::Active => "active",
            PlanState::Done => "done",
        }
    }

    pub fn parse(s: &str) -> Option<PlanState> {
        [PlanState::Active, PlanState::Done].into_iter().find(|p| p.code() == s)
    }

    /// The state that follows from whether every action is done.
    pub fn of(all_done: bool) -> PlanState {
        if all_done { PlanState::Done } else { PlanState::Active }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub id: Uuid,
    pub employee_id: Uuid,
    /// The review it came from, if any.
    pub participant_id: Option<Uuid>,
    pub title: String,
    /// The capabilities it strengthens.
    pub capabilities: Vec<String>,
    pub state: PlanState,
    pub created_by_name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanAction {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub kind: ActionKind,
    pub title: String,
    pub capability: Option<String>,
    pub due_on: Option<NaiveDate>,
    pub done_at: Option<DateTime<Utc>>,
    /// Its place in the plan.
    pub position: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanCheckpoint {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub due_on: NaiveDate,
    pub note: Option<String>,
    pub held_at: Option<DateTime<Utc>>,
    pub held_by_name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn d1_every_action_kind_reads_back_from_its_code() {
        for k in ActionKind::ALL {
            assert_eq!(ActionKind::parse(k.code()), Some(k));
        }
        assert_eq!(ActionKind::parse("seminar"), None);
        assert_eq!((PlanState::of(true), PlanState::of(false)), (PlanState::Done, PlanState::Active));
    }
}
