//! The meetings a cadence makes, materialized eight weeks ahead (so calendars show them), topped
//! up each day by the scheduler; and the reminder a day before each meeting, queued as a job
//! when the meeting is made and sent only if the meeting is still on at that time.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;
use waymark_domain::calendar::Calendar;
use waymark_domain::one_on_one::{self as rules, Meeting, Series};
use waymark_store::repo::one_on_ones as repo;
use waymark_store::sea_orm::ConnectionTrait;

use crate::inbox::{Message, notify_each};
use crate::jobs::{Job, enqueue_once};
use crate::policy::Actor;
use crate::{App, AppResult};

/// How long before a meeting its reminder goes out.
pub(crate) const REMIND_BEFORE: Duration = Duration::hours(24);

/// Makes the meetings of `series` from `now` to the horizon that do not exist yet, each with
/// its reminder, in the caller's transaction; `cal` is the organization's calendar, read once
/// by the caller however many series it tops up.
pub(crate) async fn top_up<C: ConnectionTrait>(
    app: &App,
    c: &C,
    series: &Series,
    cal: &Calendar,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let zone = app.zone();
    let from = zone.time(now);
    let to = zone.time(now + Duration::days(rules::HORIZON_DAYS));
    let have: std::collections::HashSet<i32> = repo::occurrences_of(c, series.id).await?.into_iter().collect();
    let made: Vec<Meeting> = rules::occurrences(zone.time(series.first_at), series.cadence, from, to, cal)
        .into_iter()
        .map(|o| (series.first_occurrence + o.index as i32, zone.at(o.starts)))
        .filter(|(n, _)| !have.contains(n))
        .map(|(occurrence, starts_at)| Meeting::of(Uuid::now_v7(), series, occurrence, starts_at, now))
        .collect();
    for m in &made {
        queue_reminder(c, m, now).await?;
    }
    let n = made.len();
    repo::insert_meetings(c, made).await?;
    Ok(n)
}

/// Queues the reminder of a meeting at its (new) time, once per time: a meeting moved later gets
/// a second job, and the first finds the meeting no longer there and sends nothing.
pub(crate) async fn queue_reminder<C: ConnectionTrait>(c: &C, m: &Meeting, now: DateTime<Utc>) -> AppResult<()> {
    let at = m.starts_at - REMIND_BEFORE;
    if at <= now {
        return Ok(());
    }
    let key = format!("one-on-one:{}:{}", m.id, m.starts_at.timestamp());
    enqueue_once(c, now, at, &key, Job::OneOnOneReminder { meeting: m.id, starts_at: m.starts_at }).await?;
    Ok(())
}

/// The daily top-up of every active cadence (a scheduled job).
pub(crate) async fn top_up_all(app: &App) -> AppResult<usize> {
    let now = app.clock.now();
    let (cal, _) = app.calendar().current().await?;
    let mut made = 0;
    for s in repo::active_series(&app.db.conn).await? {
        let tx = app.db.begin_write().await?;
        made += top_up(app, &*tx, &s, &cal, now).await?;
        tx.commit().await?;
    }
    Ok(made)
}

/// The reminder of a meeting due at `starts_at`, to both participants' inboxes (e-mail and IM
/// follow their preferences): only if the meeting is still scheduled at that time.
pub(crate) async fn remind(app: &App, meeting: Uuid, starts_at: DateTime<Utc>) -> AppResult<bool> {
    let c = &app.db.conn;
    let Some(m) = repo::meeting(c, meeting).await? else { return Ok(false) };
    if !m.is_scheduled() || m.starts_at != starts_at {
        return Ok(false);
    }
    let names = super::names(c, &[m.manager_id, m.report_id]).await?;
    let users = waymark_store::repo::accounts::users_of_employees(c, &[m.manager_id, m.report_id]).await?;
    let when = app.zone().time(m.starts_at).format("%Y-%m-%d %H:%M").to_string();
    let subjects: Vec<(Uuid, String)> = users
        .into_iter()
        .map(|(user, employee)| {
            let other = m.other_than(employee);
            (user, format!("{} · {when}", names.get(&other).cloned().unwrap_or_default()))
        })
        .collect();
    let now = app.clock.now();
    let tx = app.db.begin_write().await?;
    let messages = subjects
        .iter()
        .map(|(user, subject)| {
            let msg = Message {
                kind: "reminder-one-on-one",
                entity_type: "one_on_one",
                entity_id: m.id,
                subject,
                body: None,
            };
            (*user, msg)
        })
        .collect();
    notify_each(&tx, &Actor::system("one-on-ones"), now, messages);
    tx.commit().await?;
    Ok(true)
}
