//! What the API and the pages show of tracking: a goal's status with its reason, its timeline,
//! the chart's ideal pace, alerts with their evidence and actions, and review tasks.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::tracking::checkin::is_tracked;
use waymark_domain::tracking::risk::{Action, CheckIn, Risk};
use waymark_domain::tracking::status::Reason;
use waymark_store::entities::{check_in, check_in_attachment, goal_status_change, review_task, risk_alert};
use waymark_store::repo::goals as goals_repo;
use waymark_store::repo::tracking as repo;

use super::evaluate::{GoalFacts, decide, status_name};
use super::{TrackingService, TrackingSettingsView, confidence_name};
use crate::AppResult;
use crate::goals::convert::from_e4;

use crate::goals::views::percent as pct;

/// Why a goal has its status; percentages of the whole goal.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReasonView {
    Done,
    NotStarted,
    /// No update for `days` days, with the pace as it stands: `expected` % due by now, `actual`
    /// % done (absent in reasons recorded before the pace was told with the silence).
    Stale {
        days: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        expected: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        actual: Option<f64>,
    },
    /// `expected` % should be done by now (the share of the period elapsed); `actual` % is.
    Pace {
        expected: f64,
        actual: f64,
    },
}

impl From<Reason> for ReasonView {
    fn from(r: Reason) -> Self {
        match r {
            Reason::Done => ReasonView::Done,
            Reason::NotStarted => ReasonView::NotStarted,
            Reason::Stale { days, expected, actual } => {
                ReasonView::Stale { days, expected: Some(pct(expected)), actual: Some(pct(actual)) }
            }
            Reason::Pace { expected, actual } => ReasonView::Pace { expected: pct(expected), actual: pct(actual) },
        }
    }
}

/// One check-in a risk came from.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct EvidencePoint {
    pub on: NaiveDate,
    /// The goal's progress after it, in %.
    pub progress: f64,
    pub confidence: Option<String>,
}

/// The numbers behind an alert (T-4), and what usually helps.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct RiskEvidence {
    /// Stall: weekly check-ins without progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weeks: Option<usize>,
    /// Projection: the recent pace in points a week, and the progress it reaches by the end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_week: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projected: Option<f64>,
    /// Falling confidence: from and to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Silence: days without an update, and the pace as it stands (% due by now, % done).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actual: Option<f64>,
    /// The check-ins the risk was read from (for silence: the last one, if any).
    pub check_ins: Vec<EvidencePoint>,
    /// adjust_key_result, add_resources, reduce_scope, split_or_merge_goal, review_task,
    /// check_in_conversation, replan, retarget.
    pub actions: Vec<String>,
}

fn points(v: &[CheckIn]) -> Vec<EvidencePoint> {
    v.iter()
        .map(|c| EvidencePoint {
            on: c.on,
            progress: pct(c.progress),
            confidence: c.confidence.map(|c| confidence_name(c).into()),
        })
        .collect()
}

fn action_name(a: Action) -> &'static str {
    match a {
        Action::AdjustKeyResult => "adjust_key_result",
        Action::AddResources => "add_resources",
        Action::ReduceScope => "reduce_scope",
        Action::SplitOrMergeGoal => "split_or_merge_goal",
        Action::ReviewTask => "review_task",
        Action::CheckInConversation => "check_in_conversation",
        Action::Replan => "replan",
        Action::Retarget => "retarget",
    }
}

impl From<&Risk> for RiskEvidence {
    fn from(r: &Risk) -> Self {
        let actions = r.actions().iter().map(|a| action_name(*a).to_string()).collect();
        let blank = RiskEvidence {
            weeks: None,
            per_week: None,
            projected: None,
            from: None,
            to: None,
            days: None,
            expected: None,
            actual: None,
            check_ins: vec![],
            actions,
        };
        match r {
            Risk::Stall { weeks, evidence } => {
                RiskEvidence { weeks: Some(*weeks), check_ins: points(evidence), ..blank }
            }
            Risk::ProjectedShort { per_week, projected, evidence } => RiskEvidence {
                per_week: Some(pct(*per_week)),
                projected: Some(pct(*projected)),
                check_ins: points(evidence),
                ..blank
            },
            Risk::FallingConfidence { from, to, evidence } => RiskEvidence {
                from: Some(confidence_name(*from).into()),
                to: Some(confidence_name(*to).into()),
                check_ins: points(evidence),
                ..blank
            },
            Risk::Silent { days, expected, actual, last } => RiskEvidence {
                days: Some(*days),
                expected: Some(pct(*expected)),
                actual: Some(pct(*actual)),
                check_ins: points(last.as_slice()),
                ..blank
            },
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttachmentView {
    pub id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    /// Where to fetch it (readers of the goal only).
    pub url: String,
}

impl From<&check_in_attachment::Model> for AttachmentView {
    fn from(a: &check_in_attachment::Model) -> Self {
        AttachmentView {
            id: a.id,
            file_name: a.file_name.clone(),
            content_type: a.content_type.clone(),
            size_bytes: a.size_bytes,
            url: format!("/api/v1/attachments/{}", a.id),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckInView {
    pub id: Uuid,
    pub goal_id: Uuid,
    pub key_result_id: Option<Uuid>,
    pub key_result_title: Option<String>,
    /// The value the key result reached, in its unit.
    pub value: Option<f64>,
    pub unit: Option<String>,
    pub done: Option<bool>,
    /// The key result's and the goal's progress after the check-in, in %.
    pub key_result_progress: Option<f64>,
    pub goal_progress: f64,
    pub confidence: Option<String>,
    pub note: Option<String>,
    pub author_name: String,
    /// person, or api for a value pushed by another system.
    pub source: String,
    pub on: NaiveDate,
    pub created_at: DateTime<Utc>,
    pub attachments: Vec<AttachmentView>,
    /// When a manager marked it seen (T-6 follow-up).
    pub reviewed_at: Option<DateTime<Utc>>,
    /// The reader manages its author and may mark it seen.
    pub can_review: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusView {
    /// green, yellow or red.
    pub status: String,
    pub reason: ReasonView,
    /// Since when the goal has had this status (as recorded).
    pub since: Option<DateTime<Utc>>,
    pub last_update_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StatusChangeView {
    pub from: Option<String>,
    pub to: String,
    pub reason: Option<ReasonView>,
    pub at: DateTime<Utc>,
}

impl From<&goal_status_change::Model> for StatusChangeView {
    fn from(c: &goal_status_change::Model) -> Self {
        StatusChangeView {
            from: c.from_status.clone(),
            to: c.to_status.clone(),
            reason: serde_json::from_str(&c.reason).ok(),
            at: c.changed_at,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlertView {
    pub id: Uuid,
    pub goal_id: Uuid,
    /// stall, projected_short, falling_confidence or silent.
    pub kind: String,
    /// open, dismissed or resolved (the risk cleared).
    pub state: String,
    pub evidence: Option<RiskEvidence>,
    pub raised_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub close_note: Option<String>,
}

impl From<&risk_alert::Model> for AlertView {
    fn from(a: &risk_alert::Model) -> Self {
        AlertView {
            id: a.id,
            goal_id: a.goal_id,
            kind: a.kind.clone(),
            state: a.state.clone(),
            evidence: serde_json::from_str(&a.evidence).ok(),
            raised_at: a.raised_at,
            closed_at: a.closed_at,
            close_note: a.close_note.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReviewTaskView {
    pub id: Uuid,
    pub goal_id: Uuid,
    pub alert_id: Option<Uuid>,
    pub title: String,
    pub owner_id: Uuid,
    pub owner_name: String,
    pub due_on: NaiveDate,
    /// open or done.
    pub state: String,
    pub overdue: bool,
    pub outcome: Option<String>,
    pub created_at: DateTime<Utc>,
    pub done_at: Option<DateTime<Utc>>,
}

/// The goal's progress at the end of one day.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct DayProgress {
    pub on: NaiveDate,
    /// In %.
    pub progress: f64,
}

/// Resolved alerts and status changes a goal's tracking shows: both pile up with its history.
const RESOLVED_ALERTS_SHOWN: u64 = 10;
const STATUS_CHANGES_SHOWN: u64 = 50;

/// Which page of a goal's timeline to show.
#[derive(Debug, Clone, Copy, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelinePage {
    /// Check-ins older than this one (the previous page's `older_before`).
    pub before: Option<Uuid>,
    /// How many check-ins, 1–200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

impl TimelinePage {
    pub const DEFAULT_LIMIT: u64 = 50;
    pub const MAX_LIMIT: u64 = 200;
}

/// A goal's tracking: status, timeline, the chart's ideal pace, alerts and review tasks.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrackingView {
    pub goal_id: Uuid,
    /// Whether the goal has a status light (submitted, approved or filed).
    pub tracked: bool,
    pub status: Option<StatusView>,
    /// The goal's progress now, in %.
    pub progress: f64,
    /// The period: the ideal pace runs from 0 % at its start to 100 % at its end.
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// How many check-ins the goal has in all.
    pub check_in_count: u64,
    /// The goal's progress (%) at the end of each day with check-ins, oldest first: the
    /// chart's series.
    pub progress_by_day: Vec<DayProgress>,
    /// One page of the timeline, newest first (`limit`, default 50, older than `before`).
    pub check_ins: Vec<CheckInView>,
    /// Pass as `before` for the next, older page; absent on the last page.
    pub older_before: Option<Uuid>,
    /// Every open and dismissed alert, and the 10 most recently raised of those resolved.
    pub alerts: Vec<AlertView>,
    /// How many of the goal's alerts were resolved, in all.
    pub resolved_alert_count: u64,
    pub review_tasks: Vec<ReviewTaskView>,
    /// The 50 newest, newest first.
    pub status_changes: Vec<StatusChangeView>,
    /// How many status changes the goal has, in all.
    pub status_change_count: u64,
    pub settings: TrackingSettingsView,
    /// Whether the reader may check in, dismiss alerts and open review tasks.
    pub can_update: bool,
}

impl<'a> TrackingService<'a> {
    pub(crate) async fn check_in_view(&self, ci: check_in::Model) -> AppResult<CheckInView> {
        let files = repo::attachments_of_check_in(self.c(), ci.id).await?;
        let krs = match ci.key_result_id {
            Some(id) => goals_repo::key_results(self.c(), &[id]).await?,
            None => vec![],
        };
        Ok(check_in_view(ci, &krs.iter().map(|k| (k.id, k)).collect(), &files))
    }

    /// A goal's tracking with one page of its timeline, to anyone who may read the goal.
    pub async fn tracking(
        &self,
        actor: &crate::policy::Actor,
        goal_id: Uuid,
        page: TimelinePage,
    ) -> AppResult<TrackingView> {
        let limit = match page.limit {
            None => TimelinePage::DEFAULT_LIMIT,
            Some(n @ 1..=TimelinePage::MAX_LIMIT) => n,
            Some(_) => {
                let message = format!("must be 1–{}", TimelinePage::MAX_LIMIT);
                return Err(crate::AppError::field("limit", "out_of_range", message));
            }
        };
        let (record, may_change) = self.goal_access(actor, goal_id).await?;
        let c = self.c();
        let g = &record.goal;
        let period = goals_repo::period(c, g.period_id).await?.ok_or(crate::AppError::NotFound("period"))?;
        let can_update =
            may_change && super::checkins::open_for_check_ins(&g.status, period.ends_on, self.app.today()).is_ok();
        let settings = self.current_settings(c).await?;
        let stored = repo::tracking(c, &[goal_id]).await?.into_iter().next();
        let tracked = is_tracked(&g.status);
        // The light is computed now from the stored facts, so it is right even before the
        // night's sweep; `since` is when the recorded status last changed.
        let status = tracked.then(|| {
            let last = stored.as_ref().and_then(|t| t.last_update_at);
            let facts =
                GoalFacts { goal_id, progress_bp: g.progress_bp, created_at: g.created_at, period_id: g.period_id };
            let (s, reason) = decide(&facts, &period, last, self.app.zone(), self.app.today(), &settings.thresholds);
            let since = stored.as_ref().filter(|t| t.status == status_name(s)).map(|t| t.status_since);
            StatusView { status: status_name(s).into(), reason: reason.into(), since, last_update_at: last }
        });
        // One more than the page, to know whether an older page exists.
        let mut rows = repo::newest_check_ins(c, goal_id, page.before, limit + 1).await?;
        let older = rows.len() as u64 > limit;
        rows.truncate(limit as usize);
        let older_before = if older { rows.last().map(|r| r.id) } else { None };
        let files = repo::attachments_of_check_ins(c, &rows.iter().map(|r| r.id).collect::<Vec<_>>()).await?;
        // The whole history on one page: its length is the count.
        let check_in_count = match (page.before, older) {
            (None, false) => rows.len() as u64,
            _ => repo::check_in_count(c, goal_id).await?,
        };
        let progress_by_day = repo::progress_by_day(c, goal_id)
            .await?
            .into_iter()
            .map(|(on, bp)| DayProgress { on, progress: bp as f64 / 100.0 })
            .collect();
        let krs: HashMap<Uuid, &waymark_store::entities::key_result::Model> =
            record.key_results.iter().map(|k| (k.id, k)).collect();
        // Check-ins whose author the reader manages may be marked seen (T-6).
        let managed: std::collections::HashSet<Uuid> = match actor.employee_id {
            Some(me) if actor.is_manager => {
                let authors: Vec<Uuid> = rows.iter().filter_map(|ci| ci.author_id).filter(|a| *a != me).collect();
                waymark_store::repo::org::managed_among(c, me, &authors).await?
            }
            _ => Default::default(),
        };
        let check_ins = rows
            .into_iter()
            .map(|ci| {
                let can_review = ci.reviewed_at.is_none() && ci.author_id.is_some_and(|a| managed.contains(&a));
                CheckInView { can_review, ..check_in_view(ci, &krs, &files) }
            })
            .collect();
        let (alerts, resolved_alert_count) = repo::alerts_for_page(c, goal_id, RESOLVED_ALERTS_SHOWN).await?;
        let alerts = alerts.iter().map(AlertView::from).collect();
        let tasks = repo::tasks_of_goal(c, goal_id).await?;
        let owners = crate::org::employee_names(c, &tasks.iter().map(|t| t.owner_id).collect::<Vec<_>>()).await?;
        let today = self.app.today();
        let review_tasks = tasks.iter().map(|t| task_view(t, &owners, today)).collect();
        let (changes, status_change_count) = repo::status_changes(c, goal_id, STATUS_CHANGES_SHOWN).await?;
        let status_changes = changes.iter().map(StatusChangeView::from).collect();
        Ok(TrackingView {
            goal_id,
            tracked,
            status,
            progress: g.progress_bp as f64 / 100.0,
            period_start: period.starts_on,
            period_end: period.ends_on,
            check_in_count,
            progress_by_day,
            check_ins,
            older_before,
            alerts,
            resolved_alert_count,
            review_tasks,
            status_changes,
            status_change_count,
            settings: settings.into(),
            can_update,
        })
    }
}

pub(crate) fn task_view(t: &review_task::Model, owners: &HashMap<Uuid, String>, today: NaiveDate) -> ReviewTaskView {
    ReviewTaskView {
        id: t.id,
        goal_id: t.goal_id,
        alert_id: t.alert_id,
        title: t.title.clone(),
        owner_id: t.owner_id,
        owner_name: owners.get(&t.owner_id).cloned().unwrap_or_default(),
        due_on: t.due_on,
        state: t.state.clone(),
        overdue: t.state == "open" && t.due_on < today,
        outcome: t.outcome.clone(),
        created_at: t.created_at,
        done_at: t.done_at,
    }
}

fn check_in_view(
    ci: check_in::Model,
    krs: &HashMap<Uuid, &waymark_store::entities::key_result::Model>,
    files: &[check_in_attachment::Model],
) -> CheckInView {
    let kr = ci.key_result_id.and_then(|id| krs.get(&id));
    CheckInView {
        id: ci.id,
        goal_id: ci.goal_id,
        key_result_id: ci.key_result_id,
        key_result_title: kr.map(|k| k.title.clone()),
        value: ci.value_e4.map(from_e4),
        unit: kr.and_then(|k| k.unit_label.clone()),
        done: ci.done,
        key_result_progress: ci.kr_progress_bp.map(|bp| bp as f64 / 100.0),
        goal_progress: ci.goal_progress_bp as f64 / 100.0,
        confidence: ci.confidence,
        note: ci.note,
        author_name: ci.author_name,
        source: ci.source,
        on: ci.on_date,
        created_at: ci.created_at,
        attachments: files.iter().filter(|f| f.check_in_id == ci.id).map(AttachmentView::from).collect(),
        reviewed_at: ci.reviewed_at,
        can_review: false,
    }
}
