//! The demo's check-in history (T-1): weekly check-ins on this quarter's personal goals up to
//! today, most on pace, some stalled and some gone quiet, so the status lights, the charts and
//! the alerts have something true to show. The lights and alerts are then computed by the same
//! rules as always (the sweep).

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, Utc, Weekday};
use uuid::Uuid;
use waymark_domain::tracking::checkin::is_tracked;
use waymark_store::entities::{check_in, goal_period};
use waymark_store::repo::goals::GoalRecord;
use waymark_store::repo::tracking as repo;

use crate::demo::Rng;
use crate::demo_weekly::{Plan, demo_reports};
use crate::policy::Actor;
use crate::tracking::evaluate::{GoalFacts, decide, next_row};
use crate::{App, AppResult};

/// What the history of one goal is made from.
pub(crate) struct DemoTracked {
    goal_id: Uuid,
    title: String,
    owner: Uuid,
    progress_bp: i32,
    created_at: DateTime<Utc>,
}

impl DemoTracked {
    /// This quarter's tracked personal goals with key results.
    pub(crate) fn pick(records: &[GoalRecord], quarter: Uuid) -> Vec<DemoTracked> {
        records
            .iter()
            .filter(|r| r.goal.period_id == quarter && r.goal.level == "individual" && is_tracked(&r.goal.status))
            .filter_map(|r| {
                Some(DemoTracked {
                    goal_id: r.goal.id,
                    title: r.goal.title.clone(),
                    owner: *r.owners.first()?,
                    progress_bp: r.goal.progress_bp,
                    created_at: r.goal.created_at,
                })
            })
            .collect()
    }
}

const NOTES_ZH: [&str; 5] = [
    "本周拜访了 3 家重点客户，推进顺利。",
    "方案已提交评审，等待反馈。",
    "遇到资源冲突，需要主管协调。",
    "完成阶段性交付，下周开始第二阶段。",
    "数据口径与财务确认中。",
];
const NOTES_EN: [&str; 5] = [
    "Visited 3 key accounts this week; moving well.",
    "Proposal submitted for review; waiting for feedback.",
    "Resource conflict: need my manager's help.",
    "First milestone delivered; phase two starts next week.",
    "Confirming the metric definition with finance.",
];

impl App {
    /// Writes the check-in history, each goal's status and its first status record, then
    /// runs the sweep for the alerts. Returns the number of check-ins.
    pub(crate) async fn create_demo_check_ins(
        &self,
        seed: u64,
        english: bool,
        quarter: &goal_period::Model,
        goals: Vec<DemoTracked>,
        names: &HashMap<Uuid, String>,
    ) -> AppResult<usize> {
        let started = std::time::Instant::now();
        let today = self.today();
        let now = self.clock.now();
        let mut fridays = Vec::new();
        let mut d = quarter.starts_on;
        while d <= today.min(quarter.ends_on) {
            if d.weekday() == Weekday::Fri {
                fridays.push(d);
            }
            d = d.succ_opt().unwrap_or(d);
        }
        let weeks = fridays.len();
        if weeks == 0 {
            return Ok(0);
        }
        let settings = self.tracking().current_settings(&self.db.conn).await?;
        let mut rng = Rng(seed ^ 0x7A11);
        let titles: HashMap<Uuid, String> = goals.iter().map(|g| (g.goal_id, g.title.clone())).collect();
        let (mut rows, mut tracking, mut changes) = (Vec::new(), Vec::new(), Vec::new());
        let notes = if english { &NOTES_EN } else { &NOTES_ZH };
        let at = |day: NaiveDate| day.and_hms_opt(10, 0, 0).map(|t| t.and_utc()).unwrap_or(now);
        for g in goals {
            let end = g.progress_bp as f64 / 10_000.0;
            // 70 % check in every week on pace, 15 % stall for the last two weeks, 15 % stopped
            // updating three weeks ago.
            let kind = rng.below(100);
            let (last_week, flat_from) = match kind {
                0..=69 => (weeks, weeks),
                70..=84 => (weeks, weeks.saturating_sub(2)),
                _ => (weeks.saturating_sub(3), weeks.saturating_sub(3)),
            };
            if last_week == 0 {
                continue;
            }
            let mut last: Option<(DateTime<Utc>, String)> = None;
            for (i, day) in fridays.iter().enumerate().take(last_week) {
                let step = (i + 1).min(flat_from.max(1));
                let p = end * step as f64 / flat_from.max(1) as f64;
                let expected = waymark_domain::tracking::status::elapsed(quarter.starts_on, quarter.ends_on, *day);
                let confidence = if i + 1 > flat_from {
                    "at_risk"
                } else if p + 0.10 >= expected {
                    "on_track"
                } else {
                    "at_risk"
                };
                let note = (rng.below(3) == 0).then(|| notes[rng.below(notes.len())].to_string());
                rows.push(check_in::Model {
                    // Time-ordered ids (set below, after sorting): index pages fill in order.
                    id: Uuid::nil(),
                    goal_id: g.goal_id,
                    key_result_id: None,
                    author_id: Some(g.owner),
                    author_name: names.get(&g.owner).cloned().unwrap_or_default(),
                    source: "person".into(),
                    external_id: None,
                    value_e4: None,
                    done: None,
                    kr_progress_bp: None,
                    goal_progress_bp: (p * 10_000.0).round() as i32,
                    confidence: Some(confidence.into()),
                    note,
                    on_date: *day,
                    created_at: at(*day),
                    reviewed_by: None,
                    reviewed_at: None,
                });
                last = Some((at(*day), confidence.into()));
            }
            let last_update = last.as_ref().map(|l| l.0);
            let facts = GoalFacts {
                goal_id: g.goal_id,
                progress_bp: g.progress_bp,
                created_at: g.created_at,
                period_id: quarter.id,
            };
            let status = decide(&facts, quarter, last_update, self.zone(), today, &settings.thresholds);
            let (row, change) = next_row(None, g.goal_id, status, last_update, last.map(|l| l.1), now, today);
            tracking.push(row);
            changes.extend(change);
        }
        let count = rows.len();
        let reports = self.demo_weekly_reports(seed, english, &mut rows, &titles, names, at).await?;
        // In index order (goal, time), so the big insert appends instead of scattering pages.
        rows.sort_by_key(|r| (r.goal_id, r.created_at));
        for r in &mut rows {
            r.id = Uuid::now_v7();
        }
        let t0 = std::time::Instant::now();
        let tx = self.db.begin_write().await?;
        repo::insert_check_ins(&*tx, rows).await?;
        let t1 = t0.elapsed();
        repo::upsert_tracking(&*tx, tracking).await?;
        repo::insert_status_changes(&*tx, changes).await?;
        waymark_store::repo::weekly::insert_reports(&*tx, reports).await?;
        tx.commit().await?;
        let t2 = t0.elapsed();
        let sweep = self.tracking().sweep(&Actor::system("demo")).await?;
        tracing::info!(
            check_ins = count,
            total_ms = started.elapsed().as_millis() as u64,
            insert_ms = t1.as_millis() as u64,
            write_ms = t2.as_millis() as u64,
            sweep_ms = sweep.elapsed_ms,
            "demo check-ins"
        );
        Ok(count)
    }

    /// Three finished weeks of reports from the history (see [`demo_reports`]), with each
    /// author's manager read from the organization.
    async fn demo_weekly_reports(
        &self,
        seed: u64,
        english: bool,
        rows: &mut [check_in::Model],
        titles: &HashMap<Uuid, String>,
        names: &HashMap<Uuid, String>,
        at: impl Fn(NaiveDate) -> DateTime<Utc>,
    ) -> AppResult<Vec<waymark_store::entities::weekly_report::Model>> {
        let mut authors: Vec<Uuid> = rows.iter().filter_map(|r| r.author_id).collect();
        authors.sort();
        authors.dedup();
        let managers: HashMap<Uuid, (Uuid, String)> =
            waymark_store::repo::org::employees_by_ids(&self.db.conn, &authors)
                .await?
                .into_iter()
                .filter_map(|e| {
                    let m = e.manager_id?;
                    Some((e.id, (m, names.get(&m).cloned().unwrap_or_default())))
                })
                .collect();
        let plan = Plan { seed, english, today: self.today(), weeks: 3 };
        Ok(demo_reports(plan, rows, titles, &managers, at))
    }
}
