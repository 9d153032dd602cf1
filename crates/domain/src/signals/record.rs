//! Signals as they are kept: raised, recomputed, cleared, and answered by their person.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Evidence, SignalKind};

/// Open while the rules find it; cleared once they no longer do (kept with its answers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignalState {
    Open,
    Cleared,
}

impl SignalState {
    pub fn code(self) -> &'static str {
        match self {
            SignalState::Open => "open",
            SignalState::Cleared => "cleared",
        }
    }
    pub fn parse(s: &str) -> Option<SignalState> {
        [SignalState::Open, SignalState::Cleared].into_iter().find(|k| k.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    pub id: Uuid,
    pub employee_id: Uuid,
    pub kind: SignalKind,
    pub state: SignalState,
    pub points: u32,
    /// Strongest first.
    pub evidence: Vec<Evidence>,
    pub raised_at: DateTime<Utc>,
    /// When the rules last found it (or, once cleared, last found it still there).
    pub computed_at: DateTime<Utc>,
    pub cleared_at: Option<DateTime<Utc>>,
}

/// What the person says to a signal about them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stance {
    /// There is a reason the data shows this (e.g. a project ended, leave for a family matter).
    Explain,
    /// The person disagrees with what it suggests.
    Contest,
    /// The data itself is wrong.
    Wrong,
}

impl Stance {
    pub const ALL: [Stance; 3] = [Stance::Explain, Stance::Contest, Stance::Wrong];
    pub fn code(self) -> &'static str {
        match self {
            Stance::Explain => "explain",
            Stance::Contest => "contest",
            Stance::Wrong => "wrong",
        }
    }
    pub fn parse(s: &str) -> Option<Stance> {
        Stance::ALL.into_iter().find(|k| k.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub body: String,
    pub by: Option<Uuid>,
    pub by_name: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub id: Uuid,
    pub signal_id: Uuid,
    pub author_id: Uuid,
    pub stance: Stance,
    pub body: String,
    pub created_at: DateTime<Utc>,
    /// The reply of whoever answers for the signal (HR of the person's unit).
    pub reply: Option<Reply>,
}
