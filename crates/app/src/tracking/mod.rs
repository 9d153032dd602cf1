//! Progress tracking (SPEC §3): check-ins with attachments and KPI actuals pushed by other
//! systems (T-1, T-4), each goal's red/yellow/green status with its reason and recorded changes
//! (T-3), risk alerts with their evidence and review tasks (T-4), and the organization's
//! thresholds. The rules are `waymark_domain::tracking`'s; this module decides who may do what
//! and keeps the records.

mod alerts;
mod board;
mod checkins;
pub(crate) mod evaluate;
mod executive;
mod views;
pub(crate) mod weekly;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::tracking::Settings;
use waymark_domain::tracking::risk::{Confidence, Rules};
use waymark_domain::tracking::status::Thresholds;
use waymark_store::entities::tracking_settings;
use waymark_store::repo::tracking as repo;

use crate::audit::{entry, json};
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppError, AppResult, FieldIssue};

pub use alerts::{DismissInput, ReviewTaskInput, TaskDoneInput};
pub use board::{BOARD_PAGE, BoardGoalView, BoardQuery, HrBoard, LightCounts, UnitLights};
pub use checkins::{Attachment, CheckInInput, GoalCheckInInput, KpiActualInput, Upload};
pub use evaluate::SweepReport;
pub use executive::{ExecutiveBoard, ExecutiveQuery, StrategicGoal, StrategicNode, StrategyBrief};
pub use views::{
    AlertView, AttachmentView, CheckInView, DayProgress, EvidencePoint, ReasonView, ReviewTaskView, RiskEvidence,
    StatusChangeView, StatusView, TimelinePage, TrackingView,
};
pub use weekly::{
    AcknowledgeInput, DigestEntry, DigestGoal, FOLLOW_UP_PAGE, FollowUpBoard, FollowUpLine, FollowUpOverview,
    FollowUpView, TeamDigest, WeeklyReportInput, WeeklyReportView,
};

pub struct TrackingService<'a> {
    pub(crate) app: &'a App,
}

/// How sure the owner is, as the API and the pages name it.
pub const CONFIDENCES: [&str; 3] = ["on_track", "at_risk", "off_track"];

pub(crate) fn confidence_of(s: &str) -> Option<Confidence> {
    match s {
        "on_track" => Some(Confidence::OnTrack),
        "at_risk" => Some(Confidence::AtRisk),
        "off_track" => Some(Confidence::OffTrack),
        _ => None,
    }
}

pub(crate) fn confidence_name(c: Confidence) -> &'static str {
    match c {
        Confidence::OnTrack => "on_track",
        Confidence::AtRisk => "at_risk",
        Confidence::OffTrack => "off_track",
    }
}

/// The organization's thresholds as the API and the settings page show them: points of the
/// whole goal (10 = 10 %), days and weeks.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct TrackingSettingsView {
    /// Behind the ideal pace by this many points or more is yellow.
    pub yellow_behind: f64,
    /// Behind the ideal pace by this many points or more is red.
    pub red_behind: f64,
    /// No update for this many days or more is red.
    pub stale_days: i64,
    /// Consecutive weekly check-ins without progress that raise a stall alert.
    pub stall_weeks: i64,
    /// How far back the recent pace is measured for the projection, in days.
    pub pace_window_days: i64,
}

impl From<Settings> for TrackingSettingsView {
    fn from(s: Settings) -> Self {
        TrackingSettingsView {
            yellow_behind: crate::goals::views::percent(s.thresholds.yellow_behind),
            red_behind: crate::goals::views::percent(s.thresholds.red_behind),
            stale_days: s.thresholds.stale_days,
            stall_weeks: s.rules.stall_weeks as i64,
            pace_window_days: s.rules.pace_window_days,
        }
    }
}

fn settings_of(m: &tracking_settings::Model) -> Settings {
    Settings {
        thresholds: Thresholds {
            yellow_behind: m.yellow_behind_bp as f64 / 10_000.0,
            red_behind: m.red_behind_bp as f64 / 10_000.0,
            stale_days: m.stale_days as i64,
        },
        rules: Rules { stall_weeks: m.stall_weeks.max(1) as usize, pace_window_days: m.pace_window_days as i64 },
    }
}

/// The policy's word on the thresholds and the sweep (no facts: they are the organization's).
pub(crate) fn require_settings(actor: &Actor, action: Action) -> AppResult<()> {
    if allowed(actor, action, Resource::TrackingSettings, Facts::default()) { Ok(()) } else { Err(AppError::Forbidden) }
}

impl<'a> TrackingService<'a> {
    fn c(&self) -> &waymark_store::sea_orm::DatabaseConnection {
        &self.app.db.conn
    }

    /// The organization's settings (the defaults until HR changes them).
    pub(crate) async fn current_settings<C: waymark_store::sea_orm::ConnectionTrait>(
        &self,
        c: &C,
    ) -> AppResult<Settings> {
        Ok(repo::settings(c).await?.map(|m| settings_of(&m)).unwrap_or_default())
    }

    /// Everyone may read the thresholds: the status lights are explained with them.
    pub async fn settings(&self, actor: &Actor) -> AppResult<TrackingSettingsView> {
        require_settings(actor, Action::Read)?;
        Ok(self.current_settings(self.c()).await?.into())
    }

    /// The thresholds for the form that changes them: only to those who may.
    pub async fn settings_to_edit(&self, actor: &Actor) -> AppResult<TrackingSettingsView> {
        require_settings(actor, Action::Write)?;
        self.settings(actor).await
    }

    /// Organization-wide HR sets the thresholds (T-3); statuses follow at the next evaluation.
    pub async fn save_settings(&self, actor: &Actor, input: TrackingSettingsView) -> AppResult<TrackingSettingsView> {
        require_settings(actor, Action::Write)?;
        let finite = |f: &str, v: f64, issues: &mut Vec<FieldIssue>| {
            if !v.is_finite() {
                issues.push(FieldIssue::new(f, "not_finite", "must be a number"));
            }
        };
        let mut issues = Vec::new();
        finite("yellow_behind", input.yellow_behind, &mut issues);
        finite("red_behind", input.red_behind, &mut issues);
        let settings = Settings {
            thresholds: Thresholds {
                yellow_behind: input.yellow_behind / 100.0,
                red_behind: input.red_behind / 100.0,
                stale_days: input.stale_days,
            },
            rules: Rules {
                stall_weeks: input.stall_weeks.clamp(0, 1000) as usize,
                pace_window_days: input.pace_window_days,
            },
        };
        if issues.is_empty() {
            issues.extend(settings.check().into_iter().map(|(f, code, msg)| FieldIssue::new(f, code, msg)));
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let before = self.current_settings(self.c()).await?;
        let now = self.app.clock.now();
        let row = tracking_settings::Model {
            id: 1,
            yellow_behind_bp: (settings.thresholds.yellow_behind * 10_000.0).round() as i32,
            red_behind_bp: (settings.thresholds.red_behind * 10_000.0).round() as i32,
            stale_days: settings.thresholds.stale_days as i32,
            stall_weeks: settings.rules.stall_weeks as i32,
            pace_window_days: settings.rules.pace_window_days as i32,
            updated_by: actor.user_id,
            updated_at: now,
        };
        let tx = self.app.db.begin_write().await?;
        repo::save_settings(&*tx, row).await?;
        let (b, a) = (json(&TrackingSettingsView::from(before)), json(&TrackingSettingsView::from(settings)));
        let audit = entry(actor, now, "tracking_settings", Uuid::nil(), None, "update", b, a, None);
        tx.audit(vec![audit]);
        tx.commit().await?;
        Ok(settings.into())
    }
}
