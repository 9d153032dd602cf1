//! One review of a participant by one reviewer (V-1, V-3): self, manager, a peer or upward,
//! and where it stands.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use super::cycle::{StageDates, TaskState, task_state};
use super::scoring::Source;

/// Where a review stands. Peer reviews begin as nominations the manager approves (open) or
/// rejects; every other review begins open.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewState {
    Nominated,
    Rejected,
    Open,
    Draft,
    Submitted,
}

impl ReviewState {
    pub const ALL: [ReviewState; 5] = [Self::Nominated, Self::Rejected, Self::Open, Self::Draft, Self::Submitted];

    pub fn code(self) -> &'static str {
        match self {
            Self::Nominated => "nominated",
            Self::Rejected => "rejected",
            Self::Open => "open",
            Self::Draft => "draft",
            Self::Submitted => "submitted",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.code() == s)
    }
    /// A review someone is asked to write (not a nomination awaiting, or refused by, the manager).
    pub fn is_asked(self) -> bool {
        matches!(self, Self::Open | Self::Draft | Self::Submitted)
    }
    /// Asked and not yet submitted: what reminders and progress count as outstanding.
    pub fn is_outstanding(self) -> bool {
        matches!(self, Self::Open | Self::Draft)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub id: Uuid,
    pub participant_id: Uuid,
    /// The participant's cycle, carried so that a cycle's progress is one index range.
    pub cycle_id: Uuid,
    pub reviewer_id: Uuid,
    pub source: Source,
    pub state: ReviewState,
    pub summary: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
}

impl Review {
    pub fn is_submitted(&self) -> bool {
        self.state == ReviewState::Submitted
    }
    pub fn is_draft(&self) -> bool {
        self.state == ReviewState::Draft
    }
    /// Where this review's task stands on `today` in its writing stage.
    pub fn task_state(&self, stage: Option<&StageDates>, today: NaiveDate) -> TaskState {
        task_state(stage, self.is_draft(), self.is_submitted(), today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_and_only_asked_reviews_are_outstanding() {
        for s in ReviewState::ALL {
            assert_eq!(ReviewState::parse(s.code()), Some(s));
        }
        assert_eq!(ReviewState::parse("Submitted"), None);
        let outstanding: Vec<_> = ReviewState::ALL.into_iter().filter(|s| s.is_outstanding()).collect();
        assert_eq!(outstanding, [ReviewState::Open, ReviewState::Draft]);
        assert!(!ReviewState::Nominated.is_asked() && !ReviewState::Rejected.is_asked());
    }
}
