//! T-1: when a goal takes check-ins. Archived goals take none; a goal whose period has ended
//! takes its final values for one more week, then it is closed and the review takes over.

use chrono::NaiveDate;

/// Days after the period's end in which final values are still accepted.
pub const GRACE_DAYS: i64 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    Archived,
    /// The period ended on this day and the grace week has passed.
    PeriodEnded(NaiveDate),
}

/// Goals that have a status light: agreed or waiting for approval. Drafts are still being
/// written; archived goals are out of play.
pub fn is_tracked(goal_status: &str) -> bool {
    matches!(goal_status, "submitted" | "approved" | "filed")
}

pub fn accepts(goal_status: &str, period_end: NaiveDate, today: NaiveDate) -> Result<(), Closed> {
    if goal_status == "archived" {
        return Err(Closed::Archived);
    }
    if (today - period_end).num_days() > GRACE_DAYS {
        return Err(Closed::PeriodEnded(period_end));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t1_a_goal_closes_a_week_after_its_period() {
        let end = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
        let day = |m, d| NaiveDate::from_ymd_opt(if m == 12 { 2026 } else { 2027 }, m, d).unwrap();
        assert_eq!(accepts("approved", end, day(12, 1)), Ok(()));
        // 7 January is day 7 of the grace week; 8 January is closed.
        assert_eq!(accepts("approved", end, day(1, 7)), Ok(()));
        assert_eq!(accepts("filed", end, day(1, 8)), Err(Closed::PeriodEnded(end)));
        assert_eq!(accepts("archived", end, day(12, 1)), Err(Closed::Archived));
    }
}
