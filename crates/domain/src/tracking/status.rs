//! T-3: green / yellow / red from pace — progress against the share of the period that has
//! passed — and staleness: no update for 14 days or more is red. Thresholds are the
//! organization's; the reason comes with the status so the page can explain it.

use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Green,
    Yellow,
    Red,
}

/// The organization's thresholds, in fractions of the whole goal (0.10 = 10 points).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// Behind pace by at least this much is yellow.
    pub yellow_behind: f64,
    /// Behind pace by at least this much is red.
    pub red_behind: f64,
    /// No update for this many days or more is red.
    pub stale_days: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds { yellow_behind: 0.10, red_behind: 0.25, stale_days: 14 }
    }
}

/// Why a goal has its status.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reason {
    /// Fully achieved: nothing left to chase, however long ago the last update.
    Done,
    /// The period has not started.
    NotStarted,
    /// No update for `days` days (counted from the last update, or from the goal's start when
    /// it never had one), with the pace as it stands: silence is red whatever the pace, but the
    /// reader needs both to know how far behind the silent goal is (issue 22, item 4).
    Stale { days: i64, expected: f64, actual: f64 },
    /// `expected` of the goal should be done by now (the elapsed share of the period); `actual`
    /// is done.
    Pace { expected: f64, actual: f64 },
}

/// What the status is computed from. Progress is a fraction (1.0 = achieved).
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub progress: f64,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    /// The last check-in or value update, if any.
    pub last_update: Option<NaiveDate>,
    /// When tracking of this goal began (its creation, or the period start if later).
    pub tracked_since: NaiveDate,
    pub today: NaiveDate,
}

/// The share of the period elapsed at the end of `today`, 0.0–1.0.
pub fn elapsed(start: NaiveDate, end: NaiveDate, today: NaiveDate) -> f64 {
    let total = (end - start).num_days() + 1;
    if total <= 0 {
        return 1.0;
    }
    let done = (today - start).num_days() + 1;
    (done as f64 / total as f64).clamp(0.0, 1.0)
}

pub fn status(f: &Facts, t: &Thresholds) -> (Status, Reason) {
    if f.progress >= 1.0 {
        return (Status::Green, Reason::Done);
    }
    if f.today < f.period_start {
        return (Status::Green, Reason::NotStarted);
    }
    // Once the period is over the goal is judged as it ended: its last day's pace, and the
    // silence up to then. Weeks later it has not gone quiet; its time is up.
    let today = f.today.min(f.period_end);
    let since = f.last_update.unwrap_or(f.tracked_since).max(f.period_start);
    let idle = (today - since).num_days().max(0);
    let expected = elapsed(f.period_start, f.period_end, today);
    if idle >= t.stale_days {
        return (Status::Red, Reason::Stale { days: idle, expected, actual: f.progress });
    }
    // A hair of tolerance: 0.5 − 0.4 is 0.0999… in floating point, and 10 points behind is
    // meant to be yellow.
    let behind = expected - f.progress.max(0.0) + 1e-9;
    let s = if behind >= t.red_behind {
        Status::Red
    } else if behind >= t.yellow_behind {
        Status::Yellow
    } else {
        Status::Green
    };
    // A goal set part-way through its period starts behind the ideal pace: red on its first day
    // would say "intervene" before anyone could act (issue 22, item 3).
    let s = if s == Status::Red && in_grace(f) { Status::Yellow } else { s };
    (s, Reason::Pace { expected, actual: f.progress })
}

/// Days after tracking begins during which pace alone turns a goal yellow at most, not red.
pub const GRACE_DAYS: i64 = 7;

/// Whether the goal is within its first [`GRACE_DAYS`] of tracking.
pub fn in_grace(f: &Facts) -> bool {
    (f.today - f.tracked_since).num_days() < GRACE_DAYS
}

#[cfg(test)]
mod tests {
    //! T-3, on a quarter of 92 days (2026-10-01 … 2026-12-31).
    use super::*;

    #[test]
    fn t3_a_goal_set_late_is_not_red_by_pace_in_its_first_week() {
        // Set on 15 Nov with nothing done: 46 of 92 days gone, 50 points behind — red by pace,
        // but yellow for its first seven days; red on the eighth (22 Nov: 53/92 = 57.6 %).
        let t = Thresholds::default();
        let late = |today| Facts {
            progress: 0.0,
            period_start: d(10, 1),
            period_end: d(12, 31),
            last_update: None,
            tracked_since: d(11, 15),
            today,
        };
        assert_eq!(status(&late(d(11, 15)), &t).0, Status::Yellow);
        assert_eq!(status(&late(d(11, 21)), &t).0, Status::Yellow);
        let (s, r) = status(&late(d(11, 22)), &t);
        assert_eq!(s, Status::Red);
        assert!(matches!(r, Reason::Pace { expected, .. } if (expected - 53.0 / 92.0).abs() < 1e-9));
        // Staleness is not pace: a goal silent for 14 days is red whenever it was set.
        let silent = Facts { tracked_since: d(10, 1), today: d(10, 15), progress: 0.0, ..late(d(10, 15)) };
        assert_eq!(status(&silent, &t), (Status::Red, Reason::Stale { days: 14, expected: 15.0 / 92.0, actual: 0.0 }));
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn facts(progress: f64, last: Option<NaiveDate>, today: NaiveDate) -> Facts {
        Facts {
            progress,
            period_start: d(10, 1),
            period_end: d(12, 31),
            last_update: last,
            tracked_since: d(10, 1),
            today,
        }
    }

    #[test]
    fn t3_elapsed_counts_whole_days_of_the_period() {
        // 15 Nov is day 46 of 92: exactly half.
        assert_eq!(elapsed(d(10, 1), d(12, 31), d(11, 15)), 0.5);
        assert_eq!(elapsed(d(10, 1), d(12, 31), d(9, 30)), 0.0);
        assert_eq!(elapsed(d(10, 1), d(12, 31), d(12, 31)), 1.0);
        assert_eq!(elapsed(d(10, 1), d(12, 31), d(2, 1)), 0.0, "before the start");
    }

    #[test]
    fn t3_pace_gives_green_yellow_red() {
        let t = Thresholds::default();
        let today = d(11, 15); // half the quarter gone
        let (s, r) = status(&facts(0.45, Some(d(11, 10)), today), &t);
        assert_eq!((s, r), (Status::Green, Reason::Pace { expected: 0.5, actual: 0.45 }), "5 points behind");
        assert_eq!(status(&facts(0.40, Some(d(11, 10)), today), &t).0, Status::Yellow, "10 points behind");
        assert_eq!(status(&facts(0.26, Some(d(11, 10)), today), &t).0, Status::Yellow, "24 points behind");
        assert_eq!(status(&facts(0.25, Some(d(11, 10)), today), &t).0, Status::Red, "25 points behind");
        assert_eq!(status(&facts(0.80, Some(d(11, 10)), today), &t).0, Status::Green, "ahead");
        assert_eq!(status(&facts(-0.3, Some(d(11, 10)), today), &t).0, Status::Red, "below the start counts as 0");
    }

    #[test]
    fn t3_fourteen_days_without_an_update_is_red() {
        let t = Thresholds::default();
        let today = d(11, 15);
        assert_eq!(status(&facts(0.6, Some(d(11, 2)), today), &t).0, Status::Green, "13 days");
        assert_eq!(
            status(&facts(0.6, Some(d(11, 1)), today), &t),
            (Status::Red, Reason::Stale { days: 14, expected: 0.5, actual: 0.6 })
        );
        // 15 November is day 46 of 92: half the quarter gone, 60 % done — ahead of pace, and
        // still red, since nobody has said so for two weeks (issue 22, item 4: the pace is told).
        // Never updated: counted from when tracking began.
        assert_eq!(status(&facts(0.0, None, d(10, 10)), &t).1, Reason::Pace { expected: 10.0 / 92.0, actual: 0.0 });
        assert_eq!(
            status(&facts(0.0, None, d(10, 15)), &t),
            (Status::Red, Reason::Stale { days: 14, expected: 15.0 / 92.0, actual: 0.0 })
        );
        // An update before the period does not make a goal stale earlier than the period allows.
        assert_eq!(status(&facts(0.1, Some(d(9, 1)), d(10, 5)), &t).0, Status::Green);
    }

    #[test]
    fn t3_after_the_period_a_goal_is_judged_as_it_ended() {
        // Last updated on 24 Dec, 92 % done: on 31 Dec (7 days idle, the whole quarter gone)
        // 8 points behind — green. A month later it is still judged on 31 Dec: green, not red
        // for five weeks of silence after its time was up.
        let t = Thresholds::default();
        let ended = status(&facts(0.92, Some(d(12, 24)), d(12, 31)), &t);
        assert_eq!(ended, (Status::Green, Reason::Pace { expected: 1.0, actual: 0.92 }));
        let later =
            Facts { today: NaiveDate::from_ymd_opt(2027, 2, 1).unwrap(), ..facts(0.92, Some(d(12, 24)), d(12, 31)) };
        assert_eq!(status(&later, &t), ended);
        // One silent for its last three weeks stays red for that silence (14 days counted to
        // its end, not to today), and one far behind stays red by pace.
        let quiet =
            Facts { today: NaiveDate::from_ymd_opt(2027, 2, 1).unwrap(), ..facts(0.9, Some(d(12, 10)), d(12, 31)) };
        assert_eq!(status(&quiet, &t), (Status::Red, Reason::Stale { days: 21, expected: 1.0, actual: 0.9 }));
        let behind =
            Facts { today: NaiveDate::from_ymd_opt(2027, 2, 1).unwrap(), ..facts(0.6, Some(d(12, 30)), d(12, 31)) };
        assert_eq!(status(&behind, &t).0, Status::Red);
    }

    #[test]
    fn t3_done_and_not_started_are_green() {
        let t = Thresholds::default();
        assert_eq!(status(&facts(1.0, Some(d(10, 2)), d(12, 20)), &t), (Status::Green, Reason::Done));
        assert_eq!(status(&facts(0.0, None, d(9, 20)), &t), (Status::Green, Reason::NotStarted));
    }

    #[test]
    fn t3_thresholds_are_the_organizations() {
        let strict = Thresholds { yellow_behind: 0.05, red_behind: 0.15, stale_days: 7 };
        let today = d(11, 15);
        assert_eq!(status(&facts(0.45, Some(d(11, 10)), today), &strict).0, Status::Yellow);
        assert_eq!(status(&facts(0.35, Some(d(11, 10)), today), &strict).0, Status::Red);
        assert_eq!(
            status(&facts(0.6, Some(d(11, 8)), today), &strict),
            (Status::Red, Reason::Stale { days: 7, expected: 0.5, actual: 0.6 })
        );
    }
}
