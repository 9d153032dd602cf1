//! Reminders on the organization's calendar (T-6): the week's report on its day, goals without
//! an update in the month's last working week, stale goals at the start of the week, approvals
//! waiting every working day, goals not yet submitted in the last working days before a period's
//! goal-setting deadline, reviews not yet submitted in the last working days before their
//! writing stage closes. The scheduler queues each as a job once per day
//! (`waymark_domain::calendar::due`); the job ([`send`]) puts the messages in the inboxes — e-mail and IM follow
//! each person's preferences — and records the run in the same transaction, so a reminder
//! goes out once even if its worker dies and the job runs again.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;
use waymark_domain::calendar::{self, Reminder};
use waymark_domain::reviews::scoring::Source;
use waymark_store::repo::calendar as repo;
use waymark_store::repo::{accounts, goals as goals_repo, org as org_repo, reviews as reviews_repo, workflow};

use crate::inbox::{Message, notify_each};
use crate::policy::Actor;
use crate::{App, AppResult};

/// The inbox message kind of a reminder (`inbox-reminder-…` in the language files).
pub fn message_kind(r: Reminder) -> String {
    format!("reminder-{}", r.code())
}

/// Sends the reminder of `day` to everyone it concerns; how many people it reached (0 when it
/// had already gone out, or HR switched it off after it was queued).
pub async fn send(app: &App, r: Reminder, day: NaiveDate) -> AppResult<usize> {
    let (_, schedule) = app.calendar().current().await?;
    if !r.enabled(&schedule) {
        return Ok(0);
    }
    let c = &app.db.conn;
    let zone = app.zone();
    let now = app.clock.now();
    // Each message's subject: the week of a weekly report, the period and its deadline for goal
    // setting, the number of goals otherwise.
    let counted = |due: Vec<repo::Due>| due.into_iter().map(|d| (d.user_id, d.count.to_string())).collect();
    let subjects: Vec<(Uuid, String)> = match r {
        Reminder::WeeklyReport => {
            let week = calendar::week_start(day);
            let due = repo::weekly_report_missing(c, week).await?;
            due.into_iter().map(|d| (d.user_id, week.to_string())).collect()
        }
        Reminder::MonthlyCheckIn => {
            let first = day.with_day(1).expect("the first of a month");
            counted(repo::goals_not_updated_since(c, day, zone.instant(first, 0)).await?)
        }
        Reminder::StaleGoals => {
            let stale_days = app.tracking().current_settings(c).await?.thresholds.stale_days;
            counted(repo::goals_not_updated_since(c, day, now - chrono::Duration::days(stale_days)).await?)
        }
        Reminder::PendingApprovals => counted(approvals_due(app).await?),
        Reminder::GoalSetting => goal_setting_due(app, day).await?,
        Reminder::ReviewWriting => review_writing_due(app, day).await?,
    };
    let kind = message_kind(r);
    let actor = Actor::system("reminders");
    let tx = app.db.begin_write().await?;
    if !repo::record_run(&*tx, &r.key(day), subjects.len() as i32, now).await? {
        return Ok(0);
    }
    let messages = subjects
        .iter()
        .map(|(user, subject)| {
            let m = Message { kind: &kind, entity_type: "reminder", entity_id: Uuid::nil(), subject, body: None };
            (*user, m)
        })
        .collect();
    notify_each(&tx, &actor, now, messages);
    tx.commit().await?;
    Ok(subjects.len())
}

/// For each period whose goal-setting deadline `day` is a reminder day of, the active people
/// with an account who have submitted no goal in it (drafts and returned goals do not count),
/// with the period's name and deadline as the subject.
async fn goal_setting_due(app: &App, day: NaiveDate) -> AppResult<Vec<(Uuid, String)>> {
    let (cal, _) = app.calendar().current().await?;
    let c = &app.db.conn;
    let mut out = Vec::new();
    for p in goals_repo::periods_due_between(c, day, day + chrono::Duration::days(45)).await? {
        let Some(deadline) = p.setting_due_on.filter(|d| cal.goal_setting_days(*d).contains(&day)) else { continue };
        let subject = format!("{} · {deadline}", p.name);
        out.extend(repo::goals_not_submitted(c, p.id).await?.into_iter().map(|d| (d.user_id, subject.clone())));
    }
    Ok(out)
}

/// For each review-writing stage (self, peer, manager) whose close `day` is a reminder day of,
/// the reviewers with an account whose reviews of that kind are open or drafts, with the cycle
/// and the last day as the subject (one message per person, however many stages close).
async fn review_writing_due(app: &App, day: NaiveDate) -> AppResult<Vec<(Uuid, String)>> {
    let (cal, _) = app.calendar().current().await?;
    let c = &app.db.conn;
    let mut out: BTreeMap<Uuid, Vec<String>> = BTreeMap::new();
    let stages = reviews_repo::writing_stages_closing(c, day, day + chrono::Duration::days(45)).await?;
    for s in stages.into_iter().filter(|s| cal.goal_setting_days(s.closes_on).contains(&day)) {
        let Some(cy) = reviews_repo::cycle(c, s.cycle_id).await? else { continue };
        let source = match s.stage.as_str() {
            "self_review" => Source::SelfReview,
            "peer_review" => Source::Peers,
            _ => Source::Manager,
        };
        let reviewers: Vec<Uuid> =
            reviews_repo::unsubmitted_reviewers(c, cy.id, source).await?.into_iter().map(|(e, _)| e).collect();
        let subject = format!("{} · {}", cy.name, s.closes_on);
        for (user, _) in accounts::users_of_employees(c, &reviewers).await? {
            let mine = out.entry(user).or_default();
            if !mine.contains(&subject) {
                mine.push(subject.clone());
            }
        }
    }
    Ok(out.into_iter().map(|(u, subjects)| (u, subjects.join("; "))).collect())
}

/// Managers with goals waiting for their step, and HR of the units with goals waiting for
/// filing (HR of a unit covers the units below it), with how many goals each.
async fn approvals_due(app: &App) -> AppResult<Vec<repo::Due>> {
    let c = &app.db.conn;
    let mut counts: BTreeMap<Uuid, i64> = BTreeMap::new();
    for d in repo::approvals_waiting(c).await? {
        *counts.entry(d.user_id).or_default() += d.count;
    }
    for f in repo::filings_waiting(c).await? {
        let mut units = org_repo::unit_ancestors(c, f.unit_id).await?;
        units.push(f.unit_id);
        for user in workflow::hr_users_covering(c, &units).await? {
            *counts.entry(user).or_default() += f.count;
        }
    }
    Ok(counts.into_iter().map(|(user_id, count)| repo::Due { user_id, count }).collect())
}
