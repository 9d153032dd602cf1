//! Scheduled work, queued once however many instances run: each worker calls [`tick`] once a
//! minute and the queue's dedupe key lets only the first insert of a day's job through. A job
//! whose time passed while every instance was down is queued on the next start with its
//! original time, so it runs at once (tonight's sweep after an outage, for instance).

use chrono::{DateTime, Duration, NaiveTime, Utc};

use super::{Job, enqueue_once};
use crate::clock::org_date;
use crate::{App, AppResult};

/// The organization's 01:00 (UTC+8) of `date` as an instant.
fn org_time(date: chrono::NaiveDate, hour: u32) -> DateTime<Utc> {
    let local = date.and_time(NaiveTime::from_hms_opt(hour, 0, 0).expect("valid hour"));
    DateTime::from_naive_utc_and_offset(local - Duration::hours(8), Utc)
}

/// Queues today's sweep (01:00) and job purge (03:00) if not yet queued.
pub async fn tick(app: &App, now: DateTime<Utc>) -> AppResult<()> {
    let today = org_date(now);
    let tx = app.db.begin_write().await?;
    enqueue_once(&*tx, now, org_time(today, 1), &format!("sweep:{today}"), Job::Sweep { date: today }).await?;
    enqueue_once(&*tx, now, org_time(today, 3), &format!("purge-jobs:{today}"), Job::PurgeJobs { date: today }).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_in_the_morning_in_shanghai_is_five_in_the_afternoon_utc() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap();
        assert_eq!(org_time(d, 1).to_rfc3339(), "2026-11-21T17:00:00+00:00");
    }
}
