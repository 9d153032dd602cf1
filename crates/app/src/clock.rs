//! Injected time, so rules that depend on "now" are tested on hand-built timelines.

use chrono::{DateTime, NaiveDate, Utc};
use std::sync::Mutex;

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
    /// Today in the organization's time zone (Asia/Shanghai, UTC+8, no daylight saving).
    fn today(&self) -> NaiveDate {
        org_date(self.now())
    }
}

/// The organization's calendar day of an instant (Asia/Shanghai, UTC+8).
pub fn org_date(t: DateTime<Utc>) -> NaiveDate {
    (t + chrono::Duration::hours(8)).date_naive()
}

/// The instant `hour`:00 of the organization's calendar day `date` (UTC+8).
pub fn org_instant(date: NaiveDate, hour: u32) -> DateTime<Utc> {
    let local = date.and_hms_opt(hour, 0, 0).expect("an hour of the day");
    DateTime::from_naive_utc_and_offset(local - chrono::Duration::hours(8), Utc)
}

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until moved; for tests.
pub struct FixedClock(pub Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn at(t: DateTime<Utc>) -> Self {
        Self(Mutex::new(t))
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}
