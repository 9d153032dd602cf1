//! The worker: claims due jobs in batches, runs them side by side, and records each outcome —
//! done, queued again after a backoff, or failed with its reason once its attempts are spent.
//! Every instance runs one; they share the queue through the database.

use std::time::Duration;

use chrono::Utc;
use tokio::task::JoinSet;
use waymark_domain::jobs::JobRecord;
use waymark_domain::notify::retry_delay;
use waymark_store::repo::jobs as repo;

use super::Job;
use crate::App;
use crate::notify::{self, DeliveryError};
use crate::policy::Actor;

#[derive(Clone)]
pub struct Worker {
    app: App,
    /// Names this worker in the leases it takes: host, process and a random part, so two
    /// workers never mistake each other's leases.
    id: String,
}

/// How often the worker writes a signed checkpoint of the audit chain's head when it moved.
const CHECKPOINT_MINUTES: i64 = 5;

impl Worker {
    pub fn new(app: App) -> Self {
        let host = std::env::var("HOSTNAME").unwrap_or_else(|_| "host".into());
        let id = format!("{host}:{}:{}", std::process::id(), uuid::Uuid::now_v7().simple().to_string().split_at(24).1);
        Self { app, id }
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Runs until the process stops: schedules due work once a minute and runs what is queued,
    /// looking again at once while there is more.
    pub async fn run(self) {
        let idle = Duration::from_millis(self.app.config.jobs.idle_ms);
        let mut last_tick: Option<chrono::DateTime<Utc>> = None;
        let (mut last_checkpoint_at, mut last_checkpoint) = (None::<chrono::DateTime<Utc>>, None);
        loop {
            let now = self.app.clock.now();
            if last_tick.is_none_or(|t| now - t >= chrono::Duration::seconds(60)) {
                if let Err(e) = super::schedule::tick(&self.app, now).await {
                    tracing::error!(error = %e, "scheduling jobs failed");
                }
                last_tick = Some(now);
            }
            // The audit chain's head, signed, outside the database (issue 21): at start and
            // every few minutes while it moves.
            if last_checkpoint_at.is_none_or(|t| now - t >= chrono::Duration::minutes(CHECKPOINT_MINUTES)) {
                match self.app.audit().checkpoint(last_checkpoint.clone()).await {
                    Ok(head) => last_checkpoint = head,
                    Err(e) => tracing::error!(error = %e, "writing the audit checkpoint failed"),
                }
                last_checkpoint_at = Some(now);
            }
            match self.run_once().await {
                Ok(0) => tokio::time::sleep(idle).await,
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "claiming jobs failed");
                    tokio::time::sleep(idle).await;
                }
            }
        }
    }

    /// Claims one batch of due jobs and runs it to the end; how many jobs were run.
    pub async fn run_once(&self) -> crate::AppResult<usize> {
        let now = self.app.clock.now();
        let cfg = &self.app.config.jobs;
        let lease_until = now + chrono::Duration::seconds(cfg.lease_secs);
        let tx = self.app.db.begin_write().await?;
        let batch = repo::claim(&*tx, &self.id, now, lease_until, cfg.batch).await?;
        tx.commit().await?;
        let n = batch.len();
        let mut running = JoinSet::new();
        for j in batch {
            let w = self.clone();
            running.spawn(async move {
                let outcome = w.execute(&j).await;
                w.record(&j, outcome).await;
            });
        }
        while running.join_next().await.is_some() {}
        Ok(n)
    }

    async fn execute(&self, j: &JobRecord) -> Result<(), DeliveryError> {
        let job: Job = serde_json::from_str(&j.payload)
            .map_err(|e| DeliveryError::permanent(format!("unreadable job payload: {e}")))?;
        match job {
            Job::Fanout { notifications } => notify::fan_out(&self.app, &notifications).await,
            Job::Email { notification } => notify::deliver(&self.app, notification, notify::Channel::Email, j.id).await,
            Job::Im { notification } => notify::deliver(&self.app, notification, notify::Channel::Im, j.id).await,
            Job::Test { user, channel } => notify::deliver_test(&self.app, user, &channel).await,
            Job::Sweep { .. } => {
                let r = self.app.tracking().sweep(&Actor::system("sweep")).await.map_err(DeliveryError::transient)?;
                tracing::info!(
                    goals = r.goals,
                    changes = r.status_changes,
                    raised = r.alerts_raised,
                    resolved = r.alerts_resolved,
                    ms = r.elapsed_ms,
                    "tracking sweep"
                );
                // The signals (I-4) are read from the day's facts, after the lights are judged.
                let s = self.app.signals().compute(&Actor::system("sweep")).await.map_err(DeliveryError::transient)?;
                tracing::info!(
                    people = s.people,
                    raised = s.raised,
                    updated = s.updated,
                    cleared = s.cleared,
                    ms = s.elapsed_ms,
                    "signals"
                );
                Ok(())
            }
            Job::Remind { reminder, date } => {
                let n = crate::reminders::send(&self.app, reminder, date).await.map_err(DeliveryError::transient)?;
                tracing::info!(reminder = reminder.code(), %date, recipients = n, "reminder sent");
                Ok(())
            }
            Job::OneOnOneReminder { meeting, starts_at } => {
                let sent = crate::one_on_ones::remind(&self.app, meeting, starts_at)
                    .await
                    .map_err(DeliveryError::transient)?;
                tracing::info!(%meeting, sent, "1:1 reminder");
                Ok(())
            }
            Job::FeedbackRequestReminder { request } => {
                let n = crate::feedback::remind(&self.app, request).await.map_err(DeliveryError::transient)?;
                tracing::info!(%request, reminded = n, "feedback request reminder");
                Ok(())
            }
            Job::Light360Reminder { survey } => {
                let n = crate::light360::remind(&self.app, survey).await.map_err(DeliveryError::transient)?;
                tracing::info!(%survey, reminded = n, "light 360 reminder");
                Ok(())
            }
            Job::DevelopmentCheckpointReminder { checkpoint } => {
                let n = crate::development::remind_checkpoint(&self.app, checkpoint)
                    .await
                    .map_err(DeliveryError::transient)?;
                tracing::info!(%checkpoint, reminded = n, "development checkpoint reminder");
                Ok(())
            }
            Job::ShipCheckpoint { line, to } => crate::audit_ship::deliver(&self.app, &line, &to).await,
            Job::ProbationCheckpointReminder { checkpoint, due_on } => {
                let n = crate::probation::remind_checkpoint(&self.app, checkpoint, due_on)
                    .await
                    .map_err(DeliveryError::transient)?;
                tracing::info!(%checkpoint, reminded = n, "probation checkpoint reminder");
                Ok(())
            }
            Job::Light360Close { survey } => {
                let closed = crate::light360::close_due(&self.app, survey).await.map_err(DeliveryError::transient)?;
                tracing::info!(%survey, closed, "light 360 closed");
                Ok(())
            }
            Job::Webhook { integration, event } => {
                let n =
                    crate::webhooks::process(&self.app, integration, &event).await.map_err(DeliveryError::transient)?;
                tracing::info!(%integration, event, todos = n, "webhook event");
                Ok(())
            }
            Job::OneOnOneTopUp { .. } => {
                let made = crate::one_on_ones::top_up_all(&self.app).await.map_err(DeliveryError::transient)?;
                tracing::info!(made, "1:1 meetings made for the coming weeks");
                Ok(())
            }
            Job::PurgeJobs { .. } => {
                let before = self.app.clock.now() - chrono::Duration::days(14);
                let tx = self.app.db.begin_write().await.map_err(DeliveryError::transient)?;
                let n = repo::purge_done(&*tx, before).await.map_err(DeliveryError::transient)?;
                tx.commit().await.map_err(DeliveryError::transient)?;
                tracing::info!(purged = n, "finished jobs purged");
                Ok(())
            }
        }
    }

    /// Writes the outcome. A lost lease (another worker took the job after ours ran out) is
    /// logged and left to the other worker.
    async fn record(&self, j: &JobRecord, outcome: Result<(), DeliveryError>) {
        let now = self.app.clock.now();
        let write = async {
            let tx = self.app.db.begin_write().await?;
            let kept = match &outcome {
                Ok(()) => repo::finish(&*tx, j.id, &self.id, now).await?,
                Err(e) if e.permanent || j.attempts >= j.max_attempts => {
                    repo::fail(&*tx, j.id, &self.id, &e.reason, now).await?
                }
                Err(e) => {
                    let at = now + retry_delay(j.attempts.max(1) as u32);
                    repo::retry_later(&*tx, j.id, &self.id, &e.reason, at).await?
                }
            };
            tx.commit().await?;
            Ok::<bool, waymark_store::StoreError>(kept)
        };
        match write.await {
            Ok(true) => match &outcome {
                Ok(()) => tracing::debug!(job = %j.id, kind = %j.kind, "job done"),
                Err(e) => {
                    tracing::warn!(job = %j.id, kind = %j.kind, attempt = j.attempts, error = %e.reason, "job failed")
                }
            },
            Ok(false) => tracing::warn!(job = %j.id, kind = %j.kind, "job lease lost before its outcome was written"),
            Err(e) => tracing::error!(job = %j.id, error = %e, "writing a job's outcome failed"),
        }
    }
}
