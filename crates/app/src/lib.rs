//! Use cases. Services take the acting [`policy::Actor`], ask the policy module, call the
//! domain for rules and the store for data, and write the audit record in the same
//! transaction as the change.

pub mod accounts;
pub mod ai;
pub mod attendance;
pub mod audit;
pub mod audit_ship;
pub mod calendar;
pub mod clock;
pub mod coaching;
pub mod demo;
mod demo_activity;
mod demo_attendance;
mod demo_content;
pub mod demo_goals;
pub mod demo_library;
mod demo_one_on_ones;
mod demo_recognition;
mod demo_review_history;
mod demo_reviews;
mod demo_tracking;
mod demo_weekly;
pub mod development;
pub mod development_report;
pub mod error;
pub mod feedback;
pub mod flight_model;
pub mod flight_risk;
pub mod goals;
pub mod home;
pub mod i18n;
pub mod import;
pub mod import_goals;
pub mod import_units;
pub mod inbox;
pub mod jobs;
pub mod journal;
pub mod light360;
pub mod menu;
pub mod notify;
pub mod one_on_ones;
pub mod org;
pub mod policy;
pub mod probation;
pub mod progress;
pub mod recognition;
pub mod recognition_network;
pub mod reminders;
pub mod reviews;
pub mod secret;
pub mod signals;
pub mod team_signals;
pub mod tracking;
pub mod webhooks;

use std::sync::Arc;

pub use error::{AppError, AppResult, FieldIssue};

/// Runs a request that reads with each small fact it asks for (the periods, a cycle and its
/// stages, a few people) read once and shared by every part of its page; a write begun inside
/// it reads afresh from then on. See `waymark_store::memo`.
pub async fn reading<F: std::future::Future>(f: F) -> F::Output {
    waymark_store::memo::within(f).await
}
use waymark_store::Db;

/// Settings the services need (the binary fills them from the configuration).
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Largest accepted import file, in bytes.
    pub import_max_bytes: usize,
    /// Most data rows in one import.
    pub import_max_rows: usize,
    pub session_hours: i64,
    /// Where check-in attachments are kept (the binary uses `<data dir>/files`).
    pub files_dir: std::path::PathBuf,
    /// Largest attachment, in bytes, and most attachments on one check-in.
    pub attachment_max_bytes: usize,
    pub attachment_max_files: usize,
    /// Mail server, links in messages, allowed webhook hosts (T-7).
    pub notify: notify::NotifyConfig,
    pub jobs: jobs::JobsConfig,
    /// The server's own key, kept outside the database (the binary reads `<data dir>/secret.key`
    /// or the configuration); keys the audit chain and CSRF tokens.
    pub server_key: secret::ServerKey,
    /// The append-only file of signed audit checkpoints (`<data dir>/audit-checkpoints.log`);
    /// none: no checkpoints are written.
    pub audit_checkpoints: Option<std::path::PathBuf>,
    /// Where each checkpoint is also sent (mailboxes, an IM robot); empty: the file alone.
    pub audit_shipping: audit_ship::Shipping,
    /// The OpenAI-compatible endpoint that drafts wording (issue 26, item 5); none: off.
    pub ai: Option<ai::AiConfig>,
}

impl Default for AppConfig {
    fn default() -> Self {
        Self {
            import_max_bytes: 10 * 1024 * 1024,
            import_max_rows: 200_000,
            session_hours: 12,
            files_dir: std::env::temp_dir().join("waymark-files"),
            attachment_max_bytes: 10 * 1024 * 1024,
            attachment_max_files: 5,
            notify: notify::NotifyConfig::default(),
            jobs: jobs::JobsConfig::default(),
            // A fresh key per configuration: tests and examples; the binary always sets its own.
            server_key: secret::ServerKey::random().expect("the operating system gives randomness"),
            audit_checkpoints: None,
            audit_shipping: audit_ship::Shipping::default(),
            ai: None,
        }
    }
}

/// The services, sharing one database and clock.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub clock: Arc<dyn clock::Clock>,
    pub config: AppConfig,
    /// E-mail and IM senders, built once from the configuration.
    pub(crate) channels: Arc<notify::Channels>,
    /// The organization's UTC offset in minutes, read from its calendar at start, when HR
    /// changes it, and by every instance's scheduler once a minute.
    zone: Arc<std::sync::atomic::AtomicI32>,
    /// Where long work (imports, exports, the demo, bulk assignment) reports how far it is.
    pub progress: progress::Progress,
}

impl App {
    pub fn new(db: Db, clock: Arc<dyn clock::Clock>, config: AppConfig) -> Self {
        let channels = notify::Channels::new(&config.notify);
        let zone = Arc::new(std::sync::atomic::AtomicI32::new(clock::Zone::default().0));
        db.set_audit_key(config.server_key.derive(secret::Purpose::AuditChain));
        Self { db, clock, config, channels, zone, progress: progress::Progress::default() }
    }

    /// The same services, reporting their long work to `progress` (a command-line bar, a page
    /// being sent).
    pub fn watched(&self, progress: progress::Progress) -> App {
        App { progress, ..self.clone() }
    }

    /// The organization's time zone.
    pub fn zone(&self) -> clock::Zone {
        clock::Zone(self.zone.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Today in the organization's time zone.
    pub fn today(&self) -> chrono::NaiveDate {
        self.zone().date(self.clock.now())
    }

    /// After a write of `rows` rows at once (an import, a bulk assignment), refreshes the
    /// planner's statistics so the next requests are not planned on the old table sizes
    /// (PostgreSQL; docs/architecture-notes.md, "Statistics after a bulk load"). The write is
    /// already committed: a failure here is logged, not returned.
    pub(crate) async fn after_bulk_write(&self, rows: usize) {
        const BULK_ROWS: usize = 5_000;
        if rows >= BULK_ROWS
            && let Err(e) = self.db.analyze().await
        {
            tracing::warn!(error = %e, "statistics not refreshed after a bulk write");
        }
    }

    pub(crate) fn set_zone(&self, zone: clock::Zone) {
        self.zone.store(zone.0, std::sync::atomic::Ordering::Relaxed);
    }

    /// Reads the organization's time zone from its calendar (at start; the scheduler repeats it).
    pub async fn load_calendar(&self) -> AppResult<()> {
        let (cal, _) = self.calendar().current().await?;
        self.set_zone(clock::Zone(cal.offset_minutes));
        Ok(())
    }

    pub fn one_on_ones(&self) -> one_on_ones::OneOnOneService<'_> {
        one_on_ones::OneOnOneService { app: self }
    }
    pub fn feedback(&self) -> feedback::FeedbackService<'_> {
        feedback::FeedbackService { app: self }
    }
    pub fn journal(&self) -> journal::JournalService<'_> {
        journal::JournalService { app: self }
    }
    pub fn light360(&self) -> light360::Light360Service<'_> {
        light360::Light360Service { app: self }
    }
    pub fn webhooks(&self) -> webhooks::WebhookService<'_> {
        webhooks::WebhookService { app: self }
    }
    pub fn recognition(&self) -> recognition::RecognitionService<'_> {
        recognition::RecognitionService { app: self }
    }
    pub fn reviews(&self) -> reviews::ReviewService<'_> {
        reviews::ReviewService { app: self }
    }
    pub fn probation(&self) -> probation::ProbationService<'_> {
        probation::ProbationService { app: self }
    }
    pub fn development(&self) -> development::DevelopmentService<'_> {
        development::DevelopmentService { app: self }
    }
    pub fn development_reports(&self) -> development_report::DevelopmentReportService<'_> {
        development_report::DevelopmentReportService { app: self }
    }
    pub fn signals(&self) -> signals::SignalService<'_> {
        signals::SignalService { app: self }
    }
    pub fn attendance(&self) -> attendance::AttendanceService<'_> {
        attendance::AttendanceService { app: self }
    }
    pub fn flight_model(&self) -> flight_model::FlightModelService<'_> {
        flight_model::FlightModelService { app: self }
    }
    pub fn coaching(&self) -> coaching::CoachingService<'_> {
        coaching::CoachingService { app: self }
    }

    pub fn calendar(&self) -> calendar::CalendarService<'_> {
        calendar::CalendarService { app: self }
    }

    pub fn tracking(&self) -> tracking::TrackingService<'_> {
        tracking::TrackingService { app: self }
    }
    pub fn org(&self) -> org::OrgService<'_> {
        org::OrgService { app: self }
    }
    pub fn accounts(&self) -> accounts::AccountService<'_> {
        accounts::AccountService { app: self }
    }
    pub fn audit(&self) -> audit::AuditService<'_> {
        audit::AuditService { app: self }
    }
    pub fn goals(&self) -> goals::GoalService<'_> {
        goals::GoalService { app: self }
    }
    pub fn notify(&self) -> notify::NotifyService<'_> {
        notify::NotifyService { app: self }
    }
    pub fn jobs(&self) -> jobs::JobService<'_> {
        jobs::JobService { app: self }
    }
    pub fn home(&self) -> home::HomeService<'_> {
        home::HomeService { app: self }
    }
    pub fn inbox(&self) -> inbox::InboxService<'_> {
        inbox::InboxService { app: self }
    }
    pub fn imports(&self) -> import::ImportService<'_> {
        import::ImportService { app: self, ignore_unknown_columns: false }
    }
}
