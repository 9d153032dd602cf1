//! Evaluating goals: the status light after an update (T-3) and the alerts of the goal that was
//! checked in (T-4), and the sweep that re-evaluates every tracked goal (staleness and pace move
//! with the calendar, not only with updates). The rules are the domain's; here they are fed
//! and their results recorded: a status change with its reason, an alert with its evidence.

use std::collections::HashMap;
use waymark_domain::goals::period::Period;
use waymark_store::WriteTxn;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::tracking::Settings;
use waymark_domain::tracking::checkin::is_tracked;
use waymark_domain::tracking::risk::{self, CheckIn, Risk};
use waymark_domain::tracking::status::{self, Facts, Reason, Status, Thresholds};
use waymark_store::entities::{goal_status_change, goal_tracking, risk_alert};
use waymark_store::repo::goals::{self as goals_repo, GoalRecord};
use waymark_store::repo::tracking as repo;
use waymark_store::sea_orm::ConnectionTrait;

use super::views::{ReasonView, RiskEvidence};
use super::{TrackingService, confidence_of};
use crate::clock::Zone;
use crate::inbox::{Message, notify_each};
use crate::policy::Actor;
use crate::{AppError, AppResult};

pub(crate) fn status_name(s: Status) -> &'static str {
    match s {
        Status::Green => "green",
        Status::Yellow => "yellow",
        Status::Red => "red",
    }
}

/// What a goal's status is computed from, whichever way it was read.
pub(crate) use waymark_store::repo::tracking::TrackedGoal as GoalFacts;

/// The status of a goal on `today`.
pub(crate) fn decide(
    g: &GoalFacts,
    period: &Period,
    last_update: Option<DateTime<Utc>>,
    zone: Zone,
    today: NaiveDate,
    t: &Thresholds,
) -> (Status, Reason) {
    let facts = Facts {
        progress: g.progress_bp as f64 / 10_000.0,
        period_start: period.starts_on,
        period_end: period.ends_on,
        last_update: last_update.map(|t| zone.date(t)),
        tracked_since: zone.date(g.created_at),
        today,
    };
    status::status(&facts, t)
}

/// The goal's tracking row after an evaluation and, if the status moved, the change record.
pub(crate) fn next_row(
    prev: Option<&goal_tracking::Model>,
    goal_id: Uuid,
    (s, reason): (Status, Reason),
    last_update_at: Option<DateTime<Utc>>,
    confidence: Option<String>,
    now: DateTime<Utc>,
    today: NaiveDate,
) -> (goal_tracking::Model, Option<goal_status_change::Model>) {
    let name = status_name(s);
    let reason = serde_json::to_string(&ReasonView::from(reason)).unwrap_or_default();
    let moved = prev.is_none_or(|p| p.status != name);
    let row = goal_tracking::Model {
        goal_id,
        status: name.into(),
        reason: if moved { reason.clone() } else { prev.map(|p| p.reason.clone()).unwrap_or_default() },
        status_since: if moved { now } else { prev.map(|p| p.status_since).unwrap_or(now) },
        last_update_at,
        confidence,
        evaluated_on: today,
    };
    let change = moved.then(|| goal_status_change::Model {
        id: Uuid::now_v7(),
        goal_id,
        from_status: prev.map(|p| p.status.clone()),
        to_status: name.into(),
        reason,
        changed_at: now,
    });
    (row, change)
}

/// What a check-in knew before its transaction began: the thresholds and the checked goal's
/// period (read outside the writer lock; a period's dates or the thresholds changing in the
/// same instant would be the next evaluation's to see).
pub(crate) struct Known<'k> {
    pub settings: &'k Settings,
    pub period: &'k Period,
}

/// Re-evaluates the goals an update touched (the goal and the ancestors its progress moved,
/// as they stand inside the transaction), all updated `now`, and the alerts of the goal that
/// was checked in.
pub(crate) async fn after_update(
    svc: &TrackingService<'_>,
    tx: &WriteTxn,
    actor: &Actor,
    records: &[&GoalRecord],
    checked: Uuid,
    now: DateTime<Utc>,
    known: Known<'_>,
) -> AppResult<()> {
    let c = &**tx;
    let settings = known.settings;
    let zone = svc.app.zone();
    let today = zone.date(now);
    let touched: Vec<Uuid> = records.iter().map(|r| r.goal.id).collect();
    let prev: HashMap<Uuid, goal_tracking::Model> =
        repo::tracking(c, &touched).await?.into_iter().map(|t| (t.goal_id, t)).collect();
    let since = look_back_from(settings, today);
    let pace_from = risk::pace_from(today, &settings.rules);
    let points = repo::sampled_points(c, checked, since, pace_from, &risk::sample_weeks(since, today)).await?;
    let said = points.iter().rev().find_map(|p| p.confidence.clone());
    let mut periods: HashMap<Uuid, Period> = HashMap::from([(known.period.id, known.period.clone())]);
    let (mut rows, mut changes) = (Vec::new(), Vec::new());
    for r in records.iter().filter(|r| is_tracked(&r.goal.status)) {
        let g = &r.goal;
        if let std::collections::hash_map::Entry::Vacant(slot) = periods.entry(g.period_id) {
            slot.insert(goals_repo::period(c, g.period_id).await?.ok_or(AppError::NotFound("period"))?);
        }
        let facts =
            GoalFacts { goal_id: g.id, progress_bp: g.progress_bp, created_at: g.created_at, period_id: g.period_id };
        let s = decide(&facts, &periods[&g.period_id], Some(now), zone, today, &settings.thresholds);
        let before = prev.get(&g.id).and_then(|p| p.confidence.clone());
        let confidence = if g.id == checked { said.clone().or(before) } else { before };
        let (row, change) = next_row(prev.get(&g.id), g.id, s, Some(now), confidence, now, today);
        rows.push(row);
        changes.extend(change);
    }
    repo::upsert_tracking(c, rows).await?;
    repo::insert_status_changes(c, changes).await?;
    let Some(r) = records.iter().find(|r| r.goal.id == checked) else { return Ok(()) };
    if !is_tracked(&r.goal.status) {
        return Ok(());
    }
    let end = periods[&r.goal.period_id].ends_on;
    let timeline = risk::sample(&points.iter().map(point).collect::<Vec<_>>(), today, &settings.rules);
    let found = risk::risks(&timeline, today, end, &settings.rules);
    let (open, dismissed): (Vec<_>, Vec<_>) =
        repo::unresolved_alerts_of_goal(c, checked).await?.into_iter().partition(|a| a.state == "open");
    let mut plan = AlertPlan { zone, ..AlertPlan::default() };
    plan.add(checked, &found, open, &dismissed, timeline.last().map(|p| p.on), now);
    let raised = plan.raise.clone();
    plan.write(c, now).await?;
    tell_of_alerts(tx, actor, now, &raised, &[r]).await
}

/// More alerts than this for one person from one evaluation come as one message that counts
/// them: a night's sweep can find a manager's whole team gone quiet, and thirty messages would
/// bury the other news.
const ALERTS_ONE_BY_ONE: usize = 3;

/// Tells of newly raised alerts: each goal's owners and their direct managers hear of each of
/// its alerts, the same after a check-in and after the sweep (owners of their own goals, managers
/// of their reports'). People and accounts are read once for all the goals, however many alerts
/// a night's sweep raises.
async fn tell_of_alerts(
    tx: &WriteTxn,
    actor: &Actor,
    now: DateTime<Utc>,
    raised: &[risk_alert::Model],
    goals: &[&GoalRecord],
) -> AppResult<()> {
    let c = &**tx;
    if raised.is_empty() {
        return Ok(());
    }
    let by_id: HashMap<Uuid, &GoalRecord> = goals.iter().map(|r| (r.goal.id, *r)).collect();
    let mut owners: Vec<Uuid> = goals.iter().flat_map(|r| r.owners.iter().copied()).collect();
    owners.sort_unstable();
    owners.dedup();
    let managers: HashMap<Uuid, Uuid> = waymark_store::repo::org::employees_by_ids(c, &owners)
        .await?
        .into_iter()
        .filter_map(|e| e.manager_id.map(|m| (e.id, m)))
        .collect();
    let mut people = owners.clone();
    people.extend(managers.values());
    let mut users: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for (employee, user) in waymark_store::repo::workflow::employee_users(c, &people).await? {
        users.entry(employee).or_default().push(user);
    }
    // (user, told as an owner) → the alerts they hear of, in the order raised.
    let mut heard: std::collections::BTreeMap<(Uuid, bool), Vec<(&GoalRecord, &str)>> = Default::default();
    for a in raised {
        let Some(r) = by_id.get(&a.goal_id) else { continue };
        let mut told = std::collections::HashSet::new();
        let as_owner = r.owners.iter().flat_map(|o| users.get(o)).flatten().map(|u| (*u, true));
        let as_manager =
            r.owners.iter().filter_map(|o| managers.get(o)).flat_map(|m| users.get(m)).flatten().map(|u| (*u, false));
        for (u, own) in as_owner.chain(as_manager) {
            if told.insert(u) {
                heard.entry((u, own)).or_default().push((r, a.kind.as_str()));
            }
        }
    }
    let counts: Vec<String> = heard.values().map(|v| v.len().to_string()).collect();
    let mut messages = Vec::new();
    for (((user, own), alerts), count) in heard.iter().zip(&counts) {
        if alerts.len() > ALERTS_ONE_BY_ONE {
            let kind = if *own { "risk-alerts-own" } else { "risk-alerts-team" };
            let first = alerts[0].0.goal.id;
            messages.push((*user, Message { kind, entity_type: "goal", entity_id: first, subject: count, body: None }));
            continue;
        }
        for (r, kind) in alerts {
            let m = Message {
                kind: "risk-alert",
                entity_type: "goal",
                entity_id: r.goal.id,
                subject: &r.goal.title,
                body: Some(kind),
            };
            messages.push((*user, m));
        }
    }
    notify_each(tx, actor, now, messages);
    Ok(())
}

pub(crate) fn risk_kind(r: &Risk) -> &'static str {
    match r {
        Risk::Stall { .. } => "stall",
        Risk::ProjectedShort { .. } => "projected_short",
        Risk::FallingConfidence { .. } => "falling_confidence",
        Risk::Silent { .. } => "silent",
    }
}

/// What to write so goals' alerts match the risks their timelines show now: a new risk raises
/// an alert (unless one of its kind is open, whose evidence is then brought up to date, or was
/// dismissed on or after the latest check-in); an open alert whose risk has gone is resolved.
/// The same rule after a check-in and in the sweep.
#[derive(Default)]
struct AlertPlan {
    /// The organization's days decide whether a dismissal came after the latest check-in.
    zone: Zone,
    raise: Vec<risk_alert::Model>,
    refresh: Vec<risk_alert::Model>,
    resolve: Vec<risk_alert::Model>,
}

impl AlertPlan {
    fn add(
        &mut self,
        goal_id: Uuid,
        found: &[Risk],
        open: Vec<risk_alert::Model>,
        dismissed: &[risk_alert::Model],
        latest: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) {
        for r in found {
            let kind = risk_kind(r);
            let evidence = serde_json::to_string(&RiskEvidence::from(r)).unwrap_or_default();
            match open.iter().find(|a| a.kind == kind) {
                Some(a) if a.evidence != evidence => self.refresh.push(risk_alert::Model { evidence, ..a.clone() }),
                Some(_) => {}
                None if dismissed_since(dismissed, kind, latest, self.zone) => {}
                None => self.raise.push(new_alert(goal_id, kind, evidence, now)),
            }
        }
        self.resolve.extend(open.into_iter().filter(|a| !found.iter().any(|r| risk_kind(r) == a.kind)));
    }

    async fn write<C: ConnectionTrait>(self, c: &C, now: DateTime<Utc>) -> AppResult<()> {
        repo::insert_alerts(c, self.raise).await?;
        for a in self.resolve {
            repo::update_alert(c, risk_alert::Model { state: "resolved".into(), closed_at: Some(now), ..a }).await?;
        }
        for a in self.refresh {
            repo::update_alert(c, a).await?;
        }
        Ok(())
    }
}

/// The first day the risk rules look at: the pace window, or enough weeks for a stall.
fn look_back_from(settings: &Settings, today: NaiveDate) -> NaiveDate {
    let days = settings.rules.pace_window_days.max(7 * (settings.rules.stall_weeks as i64 + 1));
    today - chrono::Days::new(days as u64)
}

fn new_alert(goal_id: Uuid, kind: &str, evidence: String, now: DateTime<Utc>) -> risk_alert::Model {
    risk_alert::Model {
        id: Uuid::now_v7(),
        goal_id,
        kind: kind.into(),
        evidence,
        state: "open".into(),
        raised_at: now,
        closed_at: None,
        closed_by: None,
        close_note: None,
    }
}

/// Someone dismissed an alert of this kind on or after the latest check-in: the evidence has
/// not changed since they looked at it.
fn dismissed_since(alerts: &[risk_alert::Model], kind: &str, latest: Option<NaiveDate>, zone: Zone) -> bool {
    alerts.iter().any(|a| {
        a.kind == kind
            && a.state == "dismissed"
            && a.closed_at.is_some_and(|t| latest.is_none_or(|l| zone.date(t) >= l))
    })
}

/// Goals whose timelines the sweep reads at once: ~150 000 points at a quarter's end.
const SWEEP_SLICE: usize = 20_000;

/// What the sweep did.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SweepReport {
    pub goals: usize,
    pub status_changes: usize,
    pub alerts_raised: usize,
    pub alerts_resolved: usize,
    pub elapsed_ms: u64,
}

impl<'a> TrackingService<'a> {
    /// The nightly sweep: every tracked goal's status on today's date, and the alerts of every
    /// goal checked in within the rules' look-back. Org-wide HR or the operator.
    pub async fn sweep(&self, actor: &Actor) -> AppResult<SweepReport> {
        super::require_settings(actor, crate::policy::Action::Write)?;
        let t0 = std::time::Instant::now();
        // Writers wait while the sweep reads and writes, so no check-in slips in between and
        // no other instance sweeps at the same time.
        let tx = self.app.db.begin_write().await?;
        repo::lock_sweep(&*tx).await?;
        let now = self.app.clock.now();
        let zone = self.app.zone();
        let today = zone.date(now);
        let c = self.c();
        let settings = self.current_settings(c).await?;
        let periods: HashMap<Uuid, Period> = goals_repo::periods(c).await?.into_iter().map(|p| (p.id, p)).collect();
        let goals = repo::tracked_goals(c).await?;
        let prev: HashMap<Uuid, goal_tracking::Model> =
            repo::all_tracking(c).await?.into_iter().map(|t| (t.goal_id, t)).collect();
        let (mut rows, mut changes) = (Vec::new(), Vec::new());
        // The goals red for silence, with their reasons: silence is a risk too (issue 22, item 4).
        let mut silent: HashMap<Uuid, Reason> = HashMap::new();
        for g in &goals {
            let Some(period) = periods.get(&g.period_id) else { continue };
            let p = prev.get(&g.goal_id);
            let last = p.and_then(|p| p.last_update_at);
            let s = decide(g, period, last, zone, today, &settings.thresholds);
            // Silence is told while someone can still act on it: not once the period is over.
            if matches!(s.1, Reason::Stale { .. }) && today <= period.ends_on {
                silent.insert(g.goal_id, s.1);
            }
            let (row, change) = next_row(p, g.goal_id, s, last, p.and_then(|p| p.confidence.clone()), now, today);
            if let Some(change) = change {
                rows.push(row);
                changes.push(change);
            }
        }
        tracing::debug!(ms = t0.elapsed().as_millis() as u64, goals = goals.len(), "sweep: statuses decided");
        // Risks: the recent check-ins of every tracked goal, a slice of goals (by id) at a time,
        // so memory stays flat however large the organization.
        let since = look_back_from(&settings, today);
        let tracked: HashMap<Uuid, &GoalFacts> = goals.iter().map(|g| (g.goal_id, g)).collect();
        let mut ids: Vec<Uuid> = tracked.keys().copied().collect();
        ids.sort_unstable();
        let by_goal = |alerts: Vec<risk_alert::Model>| {
            let mut m: HashMap<Uuid, Vec<risk_alert::Model>> = HashMap::new();
            for a in alerts {
                m.entry(a.goal_id).or_default().push(a);
            }
            m
        };
        let mut plan = AlertPlan { zone, ..AlertPlan::default() };
        for slice in ids.chunks(SWEEP_SLICE) {
            let (first, last) = (slice[0], slice[slice.len() - 1]);
            let points = repo::recent_points(c, since, first, last).await?;
            let mut open = by_goal(repo::alerts_in_state(c, "open", first, last).await?);
            let dismissed = by_goal(repo::alerts_in_state(c, "dismissed", first, last).await?);
            let recent: HashMap<Uuid, &[repo::TimelinePoint]> =
                points.chunk_by(|a, b| a.goal_id == b.goal_id).map(|rows| (rows[0].goal_id, rows)).collect();
            for gid in slice {
                let g = tracked[gid];
                let Some(period) = periods.get(&g.period_id) else { continue };
                let p = prev.get(gid);
                // The day of the last update, whether or not it is within the rules' look-back.
                let last_on = p.and_then(|p| p.last_update_at).map(|t| zone.date(t));
                let mut open = open.remove(gid).unwrap_or_default();
                let (mut found, latest) = match recent.get(gid) {
                    Some(rows_of_goal) => {
                        // The same sample the check-in reads, so both show the same evidence.
                        let all: Vec<CheckIn> = rows_of_goal.iter().map(point).collect();
                        let timeline = risk::sample(&all, today, &settings.rules);
                        let found = risk::risks(&timeline, today, period.ends_on, &settings.rules);
                        (found, timeline.last().map(|p| p.on).or(last_on))
                    }
                    None => {
                        // No check-in the rules look at: the alerts read from older check-ins
                        // stay open until someone closes them or a check-in clears them; only
                        // silence is judged.
                        open.retain(|a| a.kind == "silent");
                        (vec![], last_on)
                    }
                };
                if let Some(reason) = silent.get(gid) {
                    // The last update as the evidence: its day, the goal's progress (which only
                    // an update moves) and the confidence last said.
                    let last = last_on.map(|on| CheckIn {
                        on,
                        progress: g.progress_bp as f64 / 10_000.0,
                        confidence: p.and_then(|p| p.confidence.as_deref()).and_then(confidence_of),
                    });
                    found.extend(risk::silence(reason, last));
                }
                if found.is_empty() && open.is_empty() {
                    continue;
                }
                let dismissed = dismissed.get(gid).map(Vec::as_slice).unwrap_or_default();
                plan.add(*gid, &found, open, dismissed, latest, now);
            }
        }
        tracing::debug!(ms = t0.elapsed().as_millis() as u64, "sweep: risks found");
        repo::upsert_tracking(&*tx, rows).await?;
        let status_changes = changes.len();
        repo::insert_status_changes(&*tx, changes).await?;
        let (alerts_raised, alerts_resolved) = (plan.raise.len(), plan.resolve.len());
        let raised = plan.raise.clone();
        plan.write(&*tx, now).await?;
        // Silence found by the sweep is told like any alert (issue 22, item 4): the owners and
        // their managers hear of it in their inbox, and by mail or IM as they chose.
        let mut ids: Vec<Uuid> = raised.iter().map(|a| a.goal_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let goals_raised = goals_repo::goals_without_key_results(&*tx, &ids).await?;
        tell_of_alerts(&tx, actor, now, &raised, &goals_raised.iter().collect::<Vec<_>>()).await?;
        let report = SweepReport {
            goals: goals.len(),
            status_changes,
            alerts_raised,
            alerts_resolved,
            elapsed_ms: t0.elapsed().as_millis() as u64,
        };
        // The boards say as of when their lights were judged (issue 22, item 5).
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let run = waymark_domain::tracking::SweepRun {
            on_date: today,
            finished_at: now,
            goals: count(report.goals),
            status_changes: count(report.status_changes),
            alerts_raised: count(report.alerts_raised),
            alerts_resolved: count(report.alerts_resolved),
            elapsed_ms: report.elapsed_ms,
        };
        repo::record_sweep(&*tx, run).await?;
        tx.commit().await?;
        Ok(report)
    }
}

fn point(c: &repo::TimelinePoint) -> CheckIn {
    CheckIn {
        on: c.on_date,
        progress: c.goal_progress_bp as f64 / 10_000.0,
        confidence: c.confidence.as_deref().and_then(confidence_of),
    }
}
