//! The demo's weekly reports (T-2): for the last weeks of check-in history, most people's
//! reports written from their own check-ins (as the prefill would), blockers where they were
//! worried, and most of the finished weeks acknowledged by their manager — who thereby has
//! seen the week's check-ins — so the digest and the follow-up rates have something true to show.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use uuid::Uuid;
use waymark_domain::calendar::week_start;
use waymark_domain::tracking::weekly::{WeekCheckIn, prefill};
use waymark_store::entities::{check_in, weekly_report};

use crate::demo::Rng;
use crate::tracking::weekly::value_text;

/// Which weeks the demo writes reports for.
pub(crate) struct Plan {
    pub seed: u64,
    pub english: bool,
    pub today: NaiveDate,
    /// How many finished weeks before today's.
    pub weeks: i64,
}

/// Reports of the plan's finished weeks, from `rows` (the check-ins about to be written, marked
/// seen where a manager acknowledged the week).
pub(crate) fn demo_reports(
    plan: Plan,
    rows: &mut [check_in::Model],
    titles: &HashMap<Uuid, String>,
    key_results: &HashMap<Uuid, (String, Option<String>)>,
    managers: &HashMap<Uuid, (Uuid, String)>,
    at: impl Fn(NaiveDate) -> DateTime<Utc>,
) -> Vec<weekly_report::Model> {
    let Plan { seed, english, today, weeks } = plan;
    let mut rng = Rng(seed ^ 0x3EE7);
    let this_week = week_start(today);
    let next = if english { "• Keep going: " } else { "• 继续推进：" };
    // (author, week) → indexes of their check-ins that week, oldest first.
    let mut by_week: HashMap<(Uuid, NaiveDate), Vec<usize>> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let monday = week_start(r.on_date);
        // Finished weeks only: this week's reports are still being written.
        if let Some(a) = r.author_id
            && monday < this_week
            && (this_week - monday).num_weeks() <= weeks
        {
            by_week.entry((a, monday)).or_default().push(i);
        }
    }
    let mut keys: Vec<(Uuid, NaiveDate)> = by_week.keys().copied().collect();
    keys.sort();
    let mut out = Vec::new();
    for (author, monday) in keys {
        // 15 % never wrote theirs.
        if rng.below(100) < 15 {
            continue;
        }
        let idx = &by_week[&(author, monday)];
        let week: Vec<WeekCheckIn> = idx
            .iter()
            .map(|i| {
                let r = &rows[*i];
                let kr = r.key_result_id.and_then(|k| key_results.get(&k));
                WeekCheckIn {
                    goal: titles.get(&r.goal_id).cloned().unwrap_or_default(),
                    key_result: kr.map(|k| k.0.clone()),
                    value: value_text(r, kr.and_then(|k| k.1.as_deref())),
                    note: r.note.clone(),
                    worried: matches!(r.confidence.as_deref(), Some("at_risk" | "off_track")),
                }
            })
            .collect();
        let mut goals: Vec<String> = Vec::new();
        for w in &week {
            if !goals.contains(&w.goal) {
                goals.push(w.goal.clone());
            }
        }
        let mut p = prefill(&week, &[]);
        p.next_week = goals.iter().map(|g| format!("{next}{g}")).collect::<Vec<_>>().join("\n");
        let submitted = at(monday + Duration::days(4)) + Duration::hours(7);
        // 65 % are acknowledged by the manager on the Monday after.
        let ack = managers.get(&author).filter(|_| rng.below(100) < 65);
        let acked_at = at(monday + Duration::days(7));
        if let Some((manager, _)) = ack {
            for i in idx {
                rows[*i].reviewed_by = Some(*manager);
                rows[*i].reviewed_at = Some(acked_at);
            }
        }
        out.push(weekly_report::Model {
            id: Uuid::now_v7(),
            employee_id: author,
            week_start: monday,
            done: p.done,
            blockers: p.blockers,
            next_week: p.next_week,
            state: "submitted".into(),
            submitted_at: Some(submitted),
            acknowledged_by: ack.map(|m| m.0),
            acknowledged_name: ack.map(|m| m.1.clone()),
            acknowledged_at: ack.map(|_| acked_at),
            comment: None,
            created_at: submitted,
            updated_at: submitted,
        });
    }
    out
}
