//! Scheduled work, queued once however many instances run: each worker calls [`tick`] once a
//! minute (the nightly sweep, the job purge, the coming weeks' 1:1 meetings, and the day's reminders on the organization's
//! calendar, T-6) and the queue's dedupe key lets only the first insert of a day's job through. A job
//! whose time passed while every instance was down is queued on the next start with its
//! original time, so it runs at once (tonight's sweep after an outage, for instance).

use chrono::{DateTime, Utc};

use super::{Job, enqueue_once};
use crate::clock::Zone;
use crate::{App, AppResult};

/// Queues today's sweep (00:00), job purge (03:00) and reminders if not yet queued, at the
/// organization's local hours. The sweep runs as the organization's day begins, so the lights
/// every list and board reads (stored by the sweep and by each check-in) are the day's from its
/// first minute, as the goal page computes them (issue 22, item 5: at 01:00 a goal turned red at
/// midnight on its page and an hour later in the lists).
pub async fn tick(app: &App, now: DateTime<Utc>) -> AppResult<()> {
    // One read of the calendar: it also brings this instance's time zone up to date.
    let (cal, schedule) = app.calendar().current().await?;
    let zone = Zone(cal.offset_minutes);
    app.set_zone(zone);
    let today = zone.date(now);
    let deadlines = app.calendar().deadlines(today).await?;
    let reminders = waymark_domain::calendar::due(&cal, &schedule, today, &deadlines);
    let tx = app.db.begin_write().await?;
    enqueue_once(&*tx, now, zone.instant(today, 0), &format!("sweep:{today}"), Job::Sweep { date: today }).await?;
    enqueue_once(&*tx, now, zone.instant(today, 3), &format!("purge-jobs:{today}"), Job::PurgeJobs { date: today })
        .await?;
    let top_up = Job::OneOnOneTopUp { date: today };
    enqueue_once(&*tx, now, zone.instant(today, 2), &format!("one-on-one-top-up:{today}"), top_up).await?;
    for (reminder, hour) in reminders {
        let key = reminder.key(today);
        enqueue_once(&*tx, now, zone.instant(today, hour), &key, Job::Remind { reminder, date: today }).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_in_the_morning_in_shanghai_is_five_the_afternoon_before_in_utc() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(Zone::default().instant(d, 1).to_rfc3339(), "2026-11-21T17:00:00+00:00");
    }
}
