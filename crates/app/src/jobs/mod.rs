//! Durable jobs (T-7): work that must happen even if the process stops — deliveries of
//! notifications by e-mail and IM, tonight's status sweep — kept in the database, claimed by one
//! worker at a time across all instances, retried with backoff and, when they keep failing,
//! kept as failed with their reason for the administrator to see and retry.

mod schedule;
mod worker;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::jobs::{JobRecord, JobState};
use waymark_domain::notify::MAX_ATTEMPTS;
use waymark_store::repo::jobs as repo;
use waymark_store::sea_orm::ConnectionTrait;

use crate::audit::record::{entry, json};
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppError, AppResult};

pub use schedule::tick as schedule_tick;
pub use worker::Worker;

/// What a job does, as kept in its payload (`kind` is also its own column, for the lists).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Job {
    /// Turns new inbox messages into deliveries on each recipient's channels.
    Fanout { notifications: Vec<Uuid> },
    /// One message by e-mail to its recipient.
    Email { notification: Uuid },
    /// One message to its recipient's IM webhook.
    Im { notification: Uuid },
    /// A test message the user asked for on one channel (`email` or `im`).
    Test { user: Uuid, channel: String },
    /// Status and risk evaluation of every goal for one night (T-3, T-4).
    Sweep { date: NaiveDate },
    /// Forgets finished jobs older than two weeks.
    PurgeJobs { date: NaiveDate },
    /// One of the day's reminders on the organization's calendar (T-6).
    Remind { reminder: waymark_domain::calendar::Reminder, date: NaiveDate },
    /// The reminder of a 1:1 due at `starts_at` (F-1); nothing if it moved or was cancelled.
    OneOnOneReminder { meeting: Uuid, starts_at: DateTime<Utc> },
    /// Makes the coming weeks' 1:1 meetings of every cadence (F-1), once a day.
    OneOnOneTopUp { date: NaiveDate },
    /// Reminds the people who have not answered a feedback request (F-2).
    FeedbackRequestReminder { request: Uuid },
    /// The last-day reminder of a light 360 (F-6), to every invitee.
    Light360Reminder { survey: Uuid },
    /// Closes a light 360 the day after its last day and tells whether there are results.
    Light360Close { survey: Uuid },
    /// Turns a received webhook event into feedback to-dos (F-7).
    Webhook { integration: Uuid, event: String },
    /// The reminder of a development plan's checkpoint (D-1); nothing once it is held.
    DevelopmentCheckpointReminder { checkpoint: Uuid },
    /// The reminder of a probation checkpoint due on `due_on` (V-8); nothing once held or moved.
    ProbationCheckpointReminder { checkpoint: Uuid, due_on: NaiveDate },
    /// A signed checkpoint of the audit chain sent out of the server (`to`: `mail:<address>` or
    /// `im`), where the database's writers cannot take it back (P-2).
    ShipCheckpoint { line: String, to: String },
}

impl Job {
    /// Every kind of job, as [`Job::kind`] names them (each has its label, `jobs-kind-<kind>`).
    pub const KINDS: [&'static str; 16] = [
        "fanout",
        "email",
        "im",
        "test",
        "sweep",
        "purge-jobs",
        "remind",
        "one-on-one-reminder",
        "one-on-one-top-up",
        "feedback-request-reminder",
        "light360-reminder",
        "light360-close",
        "webhook",
        "dev-checkpoint-reminder",
        "probation-checkpoint-reminder",
        "ship-checkpoint",
    ];

    pub fn kind(&self) -> &'static str {
        match self {
            Job::Fanout { .. } => "fanout",
            Job::Email { .. } => "email",
            Job::Im { .. } => "im",
            Job::Test { .. } => "test",
            Job::Sweep { .. } => "sweep",
            Job::PurgeJobs { .. } => "purge-jobs",
            Job::Remind { .. } => "remind",
            Job::OneOnOneReminder { .. } => "one-on-one-reminder",
            Job::OneOnOneTopUp { .. } => "one-on-one-top-up",
            Job::FeedbackRequestReminder { .. } => "feedback-request-reminder",
            Job::Light360Reminder { .. } => "light360-reminder",
            Job::Light360Close { .. } => "light360-close",
            Job::Webhook { .. } => "webhook",
            Job::DevelopmentCheckpointReminder { .. } => "dev-checkpoint-reminder",
            Job::ProbationCheckpointReminder { .. } => "probation-checkpoint-reminder",
            Job::ShipCheckpoint { .. } => "ship-checkpoint",
        }
    }

    pub(crate) fn row(&self, now: DateTime<Utc>, run_at: DateTime<Utc>, recipient: Option<Uuid>) -> JobRecord {
        JobRecord {
            id: Uuid::now_v7(),
            kind: self.kind().to_string(),
            payload: serde_json::to_string(self).expect("a job serializes"),
            state: JobState::Queued,
            attempts: 0,
            max_attempts: MAX_ATTEMPTS,
            run_at,
            locked_by: None,
            locked_until: None,
            last_error: None,
            dedupe_key: None,
            recipient_id: recipient,
            created_at: now,
            finished_at: None,
        }
    }
}

/// Queues jobs inside the caller's transaction, so the work is queued exactly when the change
/// that calls for it is committed. `recipient` names whom a delivery is for.
pub(crate) async fn enqueue<C: ConnectionTrait>(
    c: &C,
    now: DateTime<Utc>,
    jobs: Vec<(Job, Option<Uuid>)>,
) -> AppResult<Vec<Uuid>> {
    let rows: Vec<JobRecord> = jobs.iter().map(|(j, r)| j.row(now, now, *r)).collect();
    let ids = rows.iter().map(|r| r.id).collect();
    repo::insert(c, rows).await?;
    Ok(ids)
}

/// Queues a job once for `key` however many instances ask (scheduled work); true if queued now.
pub(crate) async fn enqueue_once<C: ConnectionTrait>(
    c: &C,
    now: DateTime<Utc>,
    run_at: DateTime<Utc>,
    key: &str,
    job: Job,
) -> AppResult<bool> {
    let mut row = job.row(now, run_at, None);
    row.dedupe_key = Some(key.to_string());
    Ok(repo::insert_once(c, row).await?)
}

/// How the worker runs: lease length, batch size and how often it looks for work.
#[derive(Debug, Clone)]
pub struct JobsConfig {
    /// A claimed job is another worker's to take after this long (the first worker died).
    pub lease_secs: i64,
    /// Jobs claimed and run together by one worker.
    pub batch: u64,
    /// Pause between looks at an empty queue, in milliseconds.
    pub idle_ms: u64,
}

impl Default for JobsConfig {
    fn default() -> Self {
        Self { lease_secs: 300, batch: 16, idle_ms: 1000 }
    }
}

/// A job as the administrator sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobView {
    pub id: Uuid,
    pub kind: String,
    /// queued, running, done or failed.
    pub state: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub run_at: DateTime<Utc>,
    /// Why the last attempt failed.
    pub last_error: Option<String>,
    pub recipient_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<JobRecord> for JobView {
    fn from(j: JobRecord) -> Self {
        JobView {
            id: j.id,
            kind: j.kind,
            state: j.state.code().into(),
            attempts: j.attempts,
            max_attempts: j.max_attempts,
            run_at: j.run_at,
            last_error: j.last_error,
            recipient_id: j.recipient_id,
            created_at: j.created_at,
            finished_at: j.finished_at,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct JobCounts {
    pub queued: i64,
    pub running: i64,
    pub done: i64,
    pub failed: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JobList {
    pub counts: JobCounts,
    pub items: Vec<JobView>,
}

pub const JOB_PAGE: u64 = 50;

pub struct JobService<'a> {
    pub(crate) app: &'a App,
}

impl JobService<'_> {
    fn require(actor: &Actor, action: Action) -> AppResult<()> {
        if allowed(actor, action, Resource::Jobs, Facts::default()) { Ok(()) } else { Err(AppError::Forbidden) }
    }

    /// The queue's counts and one state's jobs (failed first is what an admin looks for), newest
    /// first, a page at a time.
    /// `state` empty or absent: every state; `page` absent: the first.
    pub async fn list(&self, actor: &Actor, state: Option<&str>, page: Option<i32>) -> AppResult<JobList> {
        Self::require(actor, Action::Read)?;
        let state = match state.filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => Some(
                JobState::parse(s)
                    .ok_or_else(|| AppError::field("state", "unknown", "must be queued, running, done or failed"))?,
            ),
        };
        let page = match page {
            None => 1,
            Some(p) if p >= 1 => p as u64,
            Some(_) => return Err(AppError::field("page", "out_of_range", "pages start at 1")),
        };
        let c = &self.app.db.conn;
        let mut counts = JobCounts::default();
        for (state, n) in repo::count_by_state(c).await? {
            match state {
                JobState::Queued => counts.queued = n,
                JobState::Running => counts.running = n,
                JobState::Done => counts.done = n,
                JobState::Failed => counts.failed = n,
            }
        }
        let items = repo::list(c, state, JOB_PAGE, (page - 1) * JOB_PAGE).await?;
        Ok(JobList { counts, items: items.into_iter().map(JobView::from).collect() })
    }

    /// Queues a failed job again from its first attempt, audited.
    pub async fn retry(&self, actor: &Actor, id: Uuid) -> AppResult<JobView> {
        Self::require(actor, Action::Write)?;
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        let before = repo::get(&*tx, id).await?.ok_or(AppError::NotFound("job"))?;
        if before.state != JobState::Failed {
            return Err(AppError::field("state", "not_failed", "only a failed job can be retried"));
        }
        repo::requeue(&*tx, id, now).await?;
        let audit = entry(
            actor,
            now,
            "job",
            id,
            None,
            "job.retry",
            json(
                &serde_json::json!({"state": before.state.code(), "attempts": before.attempts, "last_error": before.last_error}),
            ),
            json(&serde_json::json!({"state": JobState::Queued.code()})),
            None,
        );
        tx.audit(vec![audit]);
        let after = repo::get(&*tx, id).await?.ok_or(AppError::NotFound("job"))?;
        tx.commit().await?;
        Ok(after.into())
    }
}
