//! The demo's check-in history (T-1): weekly check-ins on each key result of this quarter's
//! personal goals up to today, most on pace, some stalled and some gone quiet, so the status
//! lights, the charts and the alerts have something true to show; and last quarter's, week by
//! week to its end. The lights and alerts are then computed by the same rules as always (the
//! sweep).
//!
//! Written in slices of whole owners (a large benchmark organization has millions of
//! check-ins, which never sit in memory all at once) inside one transaction, so the board copy
//! is rebuilt once at the end and nothing half-made is ever committed.

use std::collections::HashMap;
use waymark_domain::goals::period::Period;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use uuid::Uuid;
use waymark_domain::goals::measure::Measure;
use waymark_domain::tracking::checkin::is_tracked;
use waymark_store::entities::{check_in, goal_status_change, goal_tracking, weekly_report};
use waymark_store::repo::goals::GoalRecord;
use waymark_store::repo::{boards, tracking as repo};

use crate::demo::Rng;
use crate::demo_weekly::{Plan, demo_reports};
use crate::goals::convert::{from_e4, measure_of, to_e4};
use crate::goals::evaluate::to_bp;
use crate::tracking::evaluate::{GoalFacts, decide, next_row};
use crate::{App, AppResult};

/// What the history of one goal is made from.
pub(crate) struct DemoTracked {
    goal_id: Uuid,
    title: String,
    owner: Uuid,
    progress_bp: i32,
    created_at: DateTime<Utc>,
    key_results: Vec<DemoKr>,
}

/// A key result's measure and the value it has reached by today.
struct DemoKr {
    id: Uuid,
    title: String,
    unit: Option<String>,
    measure: Measure,
    start: f64,
    target: f64,
    current: f64,
}

impl DemoTracked {
    /// This quarter's tracked personal goals with key results, each owner's goals together.
    pub(crate) fn pick(records: &[GoalRecord], quarter: Uuid) -> Vec<DemoTracked> {
        records
            .iter()
            .filter(|r| r.goal.period_id == quarter && r.goal.level == "individual" && is_tracked(&r.goal.status))
            .filter_map(|r| {
                let key_results: Vec<DemoKr> = r
                    .key_results
                    .iter()
                    .map(|k| DemoKr {
                        id: k.id,
                        title: k.title.clone(),
                        unit: k.unit_label.clone(),
                        measure: measure_of(k),
                        start: k.start_e4.map(from_e4).unwrap_or(0.0),
                        target: k.target_e4.map(from_e4).unwrap_or(0.0),
                        current: k.current_e4.map(from_e4).unwrap_or(0.0),
                    })
                    .collect();
                (!key_results.is_empty()).then_some(())?;
                Some(DemoTracked {
                    goal_id: r.goal.id,
                    title: r.goal.title.clone(),
                    owner: *r.owners.first()?,
                    progress_bp: r.goal.progress_bp,
                    created_at: r.goal.created_at,
                    key_results,
                })
            })
            .collect()
    }
}

/// A key result's progress (0–1) at another value, by the same measure rule as a real check-in.
fn progress_at(m: &Measure, value: f64) -> f64 {
    let at = match m.clone() {
        Measure::Numeric { start, target, direction, flat, .. } => {
            Measure::Numeric { start, target, current: value, direction, flat }
        }
        Measure::Kpi { baseline, threshold, target, stretch, direction, formula, .. } => {
            Measure::Kpi { baseline, threshold, target, stretch, actual: value, direction, formula }
        }
        other => other,
    };
    at.evaluate(0.0).0
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

/// Goals per slice: a slice's check-ins (up to ~30 per goal at a quarter's end) stay well under
/// a few hundred MB.
const SLICE_GOALS: usize = 20_000;

/// The rows one slice of goals makes.
#[derive(Default)]
struct Slice {
    check_ins: Vec<check_in::Model>,
    tracking: Vec<goal_tracking::Model>,
    changes: Vec<goal_status_change::Model>,
}

/// What every goal's history shares.
struct History<'a> {
    quarter: &'a Period,
    fridays: Vec<NaiveDate>,
    notes: &'static [&'static str; 5],
    names: &'a HashMap<Uuid, String>,
    now: DateTime<Utc>,
}

impl History<'_> {
    /// A week's check-ins are made on Friday at 10:00 UTC, one key result a minute apart.
    fn at(&self, day: NaiveDate, minute: usize) -> DateTime<Utc> {
        day.and_hms_opt(10, 0, 0).map(|t| t.and_utc() + Duration::minutes(minute as i64)).unwrap_or(self.now)
    }

    /// One goal's weekly check-ins: each week every key result moves the same share of the
    /// way to the value it has today. 84 % check in every week, 10 % stall for the last two
    /// weeks, 6 % stopped updating three weeks ago (as in a real company, a few go quiet).
    /// Returns the last update and confidence said.
    fn goal(&self, g: &DemoTracked, rng: &mut Rng, out: &mut Vec<check_in::Model>) -> Option<(DateTime<Utc>, String)> {
        let weeks = self.fridays.len();
        let (last_week, flat_from) = match rng.below(100) {
            0..=83 => (weeks, weeks),
            84..=93 => (weeks, weeks.saturating_sub(2)),
            _ => (weeks.saturating_sub(3), weeks.saturating_sub(3)),
        };
        let end = g.progress_bp as f64 / 10_000.0;
        let n = g.key_results.len() as f64;
        let mut progress: Vec<f64> = g.key_results.iter().map(|k| progress_at(&k.measure, k.start)).collect();
        let mut last = None;
        for (i, day) in self.fridays.iter().enumerate().take(last_week) {
            let share = (i + 1).min(flat_from.max(1)) as f64 / flat_from.max(1) as f64;
            let expected =
                waymark_domain::tracking::status::elapsed(self.quarter.starts_on, self.quarter.ends_on, *day);
            let confidence = if i + 1 > flat_from {
                "at_risk"
            } else if end * share + 0.10 >= expected {
                "on_track"
            } else {
                "at_risk"
            };
            let note = (rng.below(3) == 0).then(|| self.notes[rng.below(self.notes.len())].to_string());
            for (j, k) in g.key_results.iter().enumerate() {
                let value = crate::demo_content::as_entered(k.start + share * (k.current - k.start), k.start, k.target);
                progress[j] = progress_at(&k.measure, value);
                // Equal weights, as the demo's key results have none set.
                let goal_progress = progress.iter().sum::<f64>() / n;
                let at = self.at(*day, j);
                out.push(check_in::Model {
                    // Time-ordered ids are set after sorting: index pages fill in order.
                    id: Uuid::nil(),
                    goal_id: g.goal_id,
                    key_result_id: Some(k.id),
                    author_id: Some(g.owner),
                    author_name: self.names.get(&g.owner).cloned().unwrap_or_default(),
                    source: "person".into(),
                    external_id: None,
                    value_e4: Some(to_e4(value)),
                    done: None,
                    kr_progress_bp: Some(to_bp(progress[j])),
                    goal_progress_bp: to_bp(goal_progress),
                    confidence: Some(confidence.into()),
                    note: if j == 0 { note.clone() } else { None },
                    on_date: *day,
                    created_at: at,
                    reviewed_by: None,
                    reviewed_at: None,
                });
                last = Some((at, confidence.to_string()));
            }
        }
        last
    }
}

impl App {
    /// Writes each quarter's check-in history (its seed, the quarter, its tracked goals), each
    /// goal's status and its first status record and, for the running quarter, the last weeks'
    /// reports, in one transaction with the board copy rebuilt once at the end. Returns the
    /// number of check-ins; the caller runs the sweep (the lights and alerts).
    pub(crate) async fn create_demo_check_ins(
        &self,
        english: bool,
        quarters: Vec<(u64, &Period, Vec<DemoTracked>)>,
        names: &HashMap<Uuid, String>,
    ) -> AppResult<usize> {
        let started = std::time::Instant::now();
        let settings = self.tracking().current_settings(&self.db.conn).await?;
        let tx = self.db.begin_bulk_write().await?;
        let mut count = 0;
        for (seed, quarter, goals) in quarters {
            count += self.write_demo_quarter(&tx, seed, english, quarter, goals, names, &settings).await?;
        }
        let written = started.elapsed();
        boards::rebuild_all(&*tx).await?;
        tx.commit().await?;
        tracing::info!(
            check_ins = count,
            total_ms = started.elapsed().as_millis() as u64,
            write_ms = written.as_millis() as u64,
            board_ms = (started.elapsed() - written).as_millis() as u64,
            "demo check-ins"
        );
        Ok(count)
    }

    /// One quarter's history, up to today or its end, in slices of whole owners.
    #[allow(clippy::too_many_arguments)]
    async fn write_demo_quarter(
        &self,
        tx: &waymark_store::WriteTxn,
        seed: u64,
        english: bool,
        quarter: &Period,
        goals: Vec<DemoTracked>,
        names: &HashMap<Uuid, String>,
        settings: &waymark_domain::tracking::Settings,
    ) -> AppResult<usize> {
        let today = self.today();
        let running = today <= quarter.ends_on;
        let now = self.clock.now();
        let mut fridays = Vec::new();
        let mut d = quarter.starts_on;
        while d <= today.min(quarter.ends_on) {
            if d.weekday() == Weekday::Fri {
                fridays.push(d);
            }
            d = d.succ_opt().unwrap_or(d);
        }
        if fridays.is_empty() {
            return Ok(0);
        }
        let history = History { quarter, fridays, notes: if english { &NOTES_EN } else { &NOTES_ZH }, names, now };
        let managers = self.demo_managers(&goals, names).await?;
        let mut rng = Rng(seed ^ 0x7A11);
        let mut count = 0;
        self.progress.step(crate::progress::Step::CheckIns, goals.len());
        let mut rest = goals.as_slice();
        while !rest.is_empty() {
            // Cut after an owner's last goal, so a person's week is in one slice.
            let mut cut = rest.len().min(SLICE_GOALS);
            while cut < rest.len() && rest[cut].owner == rest[cut - 1].owner {
                cut += 1;
            }
            let (slice, tail) = rest.split_at(cut);
            rest = tail;
            let mut s = Slice::default();
            for g in slice {
                let Some((last_at, confidence)) = history.goal(g, &mut rng, &mut s.check_ins) else { continue };
                let facts = GoalFacts {
                    goal_id: g.goal_id,
                    progress_bp: g.progress_bp,
                    created_at: g.created_at,
                    period_id: quarter.id,
                };
                let status = decide(&facts, quarter, Some(last_at), self.zone(), today, &settings.thresholds);
                let (row, change) = next_row(None, g.goal_id, status, Some(last_at), Some(confidence), now, today);
                s.tracking.push(row);
                s.changes.extend(change);
            }
            count += s.check_ins.len();
            let reports = if running {
                self.demo_slice_reports(seed, english, slice, &mut s.check_ins, &managers, &history)
            } else {
                Vec::new()
            };
            // In index order (goal, time), so the big insert appends instead of scattering pages.
            s.check_ins.sort_by_key(|r| (r.goal_id, r.created_at));
            for r in &mut s.check_ins {
                r.id = Uuid::now_v7();
            }
            repo::insert_check_ins(&**tx, s.check_ins).await?;
            repo::upsert_tracking_bulk(&**tx, s.tracking).await?;
            repo::insert_status_changes(&**tx, s.changes).await?;
            waymark_store::repo::weekly::insert_reports(&**tx, reports).await?;
            self.progress.advance(slice.len());
        }
        Ok(count)
    }

    /// Each goal owner's manager (id and name), read once for every slice.
    async fn demo_managers(
        &self,
        goals: &[DemoTracked],
        names: &HashMap<Uuid, String>,
    ) -> AppResult<HashMap<Uuid, (Uuid, String)>> {
        let mut owners: Vec<Uuid> = goals.iter().map(|g| g.owner).collect();
        owners.sort();
        owners.dedup();
        Ok(waymark_store::repo::org::employees_by_ids(&self.db.conn, &owners)
            .await?
            .into_iter()
            .filter_map(|e| {
                let m = e.manager_id?;
                Some((e.id, (m, names.get(&m).cloned().unwrap_or_default())))
            })
            .collect())
    }

    /// Three finished weeks of reports from a slice's history (see [`demo_reports`]).
    fn demo_slice_reports(
        &self,
        seed: u64,
        english: bool,
        slice: &[DemoTracked],
        rows: &mut [check_in::Model],
        managers: &HashMap<Uuid, (Uuid, String)>,
        history: &History<'_>,
    ) -> Vec<weekly_report::Model> {
        let titles: HashMap<Uuid, String> = slice.iter().map(|g| (g.goal_id, g.title.clone())).collect();
        let krs: HashMap<Uuid, (String, Option<String>)> = slice
            .iter()
            .flat_map(|g| g.key_results.iter().map(|k| (k.id, (k.title.clone(), k.unit.clone()))))
            .collect();
        // Each slice its own seed, so slices do not repeat each other's choices.
        let first = slice.first().map(|g| g.goal_id.as_u128() as u64).unwrap_or(0);
        let plan = Plan { seed: seed ^ first, english, today: self.today(), weeks: 3 };
        demo_reports(plan, rows, &titles, &krs, managers, |d| history.at(d, 0))
    }
}
