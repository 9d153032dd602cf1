//! What the webhook module keeps: integrations, people's ids in the sending systems, the
//! deliveries received and the feedback to-dos they made.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{Ask, Source, Trigger};

/// A sending system set up by the administrator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Integration {
    pub id: Uuid,
    pub source: Source,
    pub name: String,
    /// The signing secret (never audited, shown once).
    pub secret: String,
    /// The employees asked when an event names no one.
    pub team: Vec<Uuid>,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

/// A person's id in a sending system (a GitHub login), mapped to an employee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalIdentity {
    pub system: Source,
    pub external_id: String,
    pub employee_id: Uuid,
}

/// Where a received delivery stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventState {
    /// Recorded, its to-dos not made yet.
    Queued,
    Done,
    Failed,
}

impl EventState {
    pub const ALL: [EventState; 3] = [EventState::Queued, EventState::Done, EventState::Failed];

    pub fn code(self) -> &'static str {
        match self {
            EventState::Queued => "queued",
            EventState::Done => "done",
            EventState::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<EventState> {
        EventState::ALL.into_iter().find(|e| e.code() == s)
    }
}

/// A delivery that was a trigger, recorded once by its event id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub integration_id: Uuid,
    pub event_id: String,
    pub received_at: DateTime<Utc>,
    /// SHA-256 of the signed body, hex: the same body is recorded once.
    pub digest: String,
    pub trigger: Trigger,
    pub state: EventState,
    /// How many to-dos it made.
    pub todos: i32,
    /// Whom it named that no employee matched.
    pub unknown: Vec<String>,
}

/// A delivery as the administrator's page lists it: without its payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventSummary {
    pub event_id: String,
    pub received_at: DateTime<Utc>,
    pub state: EventState,
    pub todos: i32,
    pub unknown: Vec<String>,
}

/// Where a feedback to-do stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TodoState {
    Open,
    /// Feedback was given about the person.
    Done,
    /// Put aside by its owner.
    Dismissed,
}

impl TodoState {
    pub const ALL: [TodoState; 3] = [TodoState::Open, TodoState::Done, TodoState::Dismissed];

    pub fn code(self) -> &'static str {
        match self {
            TodoState::Open => "open",
            TodoState::Done => "done",
            TodoState::Dismissed => "dismissed",
        }
    }

    pub fn parse(s: &str) -> Option<TodoState> {
        TodoState::ALL.into_iter().find(|t| t.code() == s)
    }
}

/// A request to give feedback about someone, made by an event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Todo {
    pub id: Uuid,
    /// Who is asked.
    pub owner_id: Uuid,
    /// Whom to write about.
    pub about_id: Uuid,
    pub ask: Ask,
    pub title: String,
    pub url: Option<String>,
    pub integration_id: Uuid,
    pub event_id: String,
    pub state: TodoState,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}
