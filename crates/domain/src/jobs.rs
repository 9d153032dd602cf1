//! Durable jobs (T-7) as the queue keeps them: where each is, how often it was tried and why it
//! last failed. What a job does (its payload) is the app's to read.

use chrono::{DateTime, Utc};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JobState {
    /// Waiting for its time, or for another try.
    Queued,
    /// Leased to a worker until its lease runs out.
    Running,
    Done,
    /// Given up with its reason, until an administrator retries it.
    Failed,
}

impl JobState {
    pub const ALL: [JobState; 4] = [JobState::Queued, JobState::Running, JobState::Done, JobState::Failed];
    pub fn code(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Failed => "failed",
        }
    }
    pub fn parse(s: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|j| j.code() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobRecord {
    pub id: Uuid,
    /// What the payload is, for the lists.
    pub kind: String,
    /// The job's input, as the app wrote it.
    pub payload: String,
    pub state: JobState,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    pub locked_by: Option<String>,
    pub locked_until: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    /// Scheduled work is queued once for its key, however many instances ask.
    pub dedupe_key: Option<String>,
    /// Whom a delivery is for.
    pub recipient_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t7_job_states_read_back_from_their_codes() {
        for s in JobState::ALL {
            assert_eq!(JobState::parse(s.code()), Some(s));
        }
        assert_eq!(JobState::parse("cancelled"), None);
    }
}
