//! Injected time, so rules that depend on "now" are tested on hand-built timelines.

use chrono::{DateTime, NaiveDate, Utc};
use std::sync::Mutex;
use waymark_domain::calendar;

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}

/// The organization's time zone, as an offset from UTC in minutes (T-6; UTC+8 until HR sets
/// another on the calendar page). Days — "today", a check-in's date, a stale goal's silence —
/// are the organization's days, not the server's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Zone(pub i32);

impl Default for Zone {
    fn default() -> Self {
        Zone(calendar::DEFAULT_OFFSET_MINUTES)
    }
}

impl Zone {
    /// The organization's calendar day of an instant.
    pub fn date(self, t: DateTime<Utc>) -> NaiveDate {
        calendar::local_date(t, self.0)
    }

    /// The organization's wall-clock time of an instant.
    pub fn time(self, t: DateTime<Utc>) -> chrono::NaiveDateTime {
        calendar::local_time(t, self.0)
    }

    /// The instant of a wall-clock time on the organization's clock.
    pub fn at(self, local: chrono::NaiveDateTime) -> DateTime<Utc> {
        DateTime::from_naive_utc_and_offset(local - chrono::Duration::minutes(i64::from(self.0)), Utc)
    }

    /// The instant `hour`:00 of the organization's day `date`.
    pub fn instant(self, date: NaiveDate, hour: u32) -> DateTime<Utc> {
        calendar::instant(date, hour, self.0)
    }
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
