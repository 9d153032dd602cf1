//! What a person's home page puts first (Q-1's "what to do now"): the kinds of work, when a goal
//! is due its monthly check-in (the same rule as T-6's monthly reminder), when a person has gone
//! quiet (T-3's staleness), and the order the to-dos are read in.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::month_of;

/// A kind of work waiting on a person; its text is `home-todo-<code>` in the language files.
/// The order of the variants is the order of importance among to-dos due the same day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum TodoKind {
    /// A released review result to read and acknowledge.
    Result,
    /// An appeal to assign or decide (HR).
    Appeal,
    /// A signal about the person they have not answered yet (I-4).
    Signal,
    /// People's answers to signals waiting for HR's reply (I-4).
    SignalReply,
    /// A review (self, peer, manager) to write.
    Review,
    /// Peers to propose or approve for a review.
    Peers,
    /// A goal waiting for the person's approval.
    Approval,
    /// A request to align a goal to one of the person's goals.
    Alignment,
    /// A 1:1 today, with its agenda.
    OneOnOne,
    /// A probation checkpoint due or overdue.
    Probation,
    /// Feedback someone asked the person for.
    FeedbackRequest,
    /// A light 360 survey to answer.
    Light360,
    /// A goal with no progress update this month.
    CheckIn,
    /// This week's report.
    WeeklyReport,
}

impl TodoKind {
    pub fn code(self) -> &'static str {
        match self {
            TodoKind::Result => "result",
            TodoKind::Appeal => "appeal",
            TodoKind::Signal => "signal",
            TodoKind::SignalReply => "signal-reply",
            TodoKind::Review => "review",
            TodoKind::Peers => "peers",
            TodoKind::Approval => "approval",
            TodoKind::Alignment => "alignment",
            TodoKind::OneOnOne => "one-on-one",
            TodoKind::Probation => "probation",
            TodoKind::FeedbackRequest => "feedback-request",
            TodoKind::Light360 => "light360",
            TodoKind::CheckIn => "check-in",
            TodoKind::WeeklyReport => "weekly-report",
        }
    }
}

/// When a to-do is due, as the home page sorts and marks it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub on: Option<NaiveDate>,
    pub overdue: bool,
}

impl Due {
    pub fn by(on: Option<NaiveDate>, today: NaiveDate) -> Due {
        Due { on, overdue: on.is_some_and(|d| d < today) }
    }
}

/// Whether a tracked goal still wants this month's check-in, and by when: T-6 reminds of goals
/// not updated since the first of the month, so a goal updated this month is done until the next
/// one. It is due by the month's last day or, sooner, by the last day before it goes stale (T-3
/// turns a goal red after `stale_days` without an update), and overdue after that day. Silence
/// is counted as the status light counts it: from the last update, else from when tracking
/// began, and never from before the period started.
pub fn check_in_due(
    last_update: Option<NaiveDate>,
    tracked_since: NaiveDate,
    period_start: NaiveDate,
    today: NaiveDate,
    stale_days: i64,
) -> Option<Due> {
    let (first, last) = month_of(today);
    if last_update.is_some_and(|d| d >= first) {
        return None;
    }
    let since = last_update.unwrap_or(tracked_since).max(period_start);
    let before_stale = since + chrono::Duration::days(stale_days - 1);
    Some(Due::by(Some(before_stale.min(last)), today))
}

/// Whether someone has gone quiet: none of their tracked goals updated (or set) for `stale_days`
/// (T-3's red for staleness). Someone without tracked goals is not quiet, only without goals.
pub fn gone_quiet(
    newest_update: Option<NaiveDate>,
    has_tracked_goals: bool,
    today: NaiveDate,
    stale_days: i64,
) -> bool {
    has_tracked_goals && newest_update.is_none_or(|d| (today - d).num_days() >= stale_days)
}

/// The order to-dos are read in: overdue first, then by due day (undated last), then by kind.
pub fn order_key(kind: TodoKind, due: Due) -> (bool, bool, Option<NaiveDate>, TodoKind) {
    (!due.overdue, due.on.is_none(), due.on, kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    #[test]
    fn t6_a_goal_updated_this_month_needs_no_check_in() {
        assert_eq!(check_in_due(Some(d(12, 1)), d(10, 1), d(10, 1), d(12, 6), 14), None);
    }

    #[test]
    fn t6_a_goal_last_updated_last_month_is_due_by_the_months_last_day() {
        // Updated on 28 November, today 6 December: 8 days ago; red on 12 December (14 days),
        // so due by the 11th.
        let due = check_in_due(Some(d(11, 28)), d(10, 1), d(10, 1), d(12, 6), 14).unwrap();
        assert_eq!(due, Due { on: Some(d(12, 11)), overdue: false });
        // Updated on 30 November with 40 stale days: red on 9 January, so the month's end
        // comes first.
        let due = check_in_due(Some(d(11, 30)), d(10, 1), d(10, 1), d(12, 26), 40).unwrap();
        assert_eq!(due, Due { on: Some(d(12, 31)), overdue: false });
    }

    #[test]
    fn t3_a_stale_goal_is_overdue_since_its_last_day_before_going_red() {
        // Updated on 22 November, today 6 December: 14 days, red for staleness; it was due by
        // 5 December.
        let due = check_in_due(Some(d(11, 22)), d(10, 1), d(10, 1), d(12, 6), 14).unwrap();
        assert_eq!(due, Due { on: Some(d(12, 5)), overdue: true });
        // Updated on 23 November: 13 days, still yellow at most; due today.
        let due = check_in_due(Some(d(11, 23)), d(10, 1), d(10, 1), d(12, 6), 14).unwrap();
        assert_eq!(due, Due { on: Some(d(12, 6)), overdue: false });
    }

    #[test]
    fn a_goal_never_updated_counts_from_when_it_was_set_within_its_period() {
        // Set on 1 December in a period from 1 October: silent since 1 December, not October.
        assert!(!check_in_due(None, d(12, 1), d(10, 1), d(12, 6), 14).unwrap().overdue);
        // Set before its period began: silent from the period's start.
        assert_eq!(check_in_due(None, d(9, 20), d(10, 1), d(10, 5), 14).unwrap().on, Some(d(10, 14)));
        assert_eq!(
            check_in_due(None, d(12, 1), d(12, 1), d(12, 6), 14).unwrap(),
            Due { on: Some(d(12, 14)), overdue: false }
        );
        assert!(check_in_due(None, d(10, 1), d(10, 1), d(12, 6), 14).unwrap().overdue);
    }

    #[test]
    fn t3_quiet_means_no_tracked_goal_updated_for_the_stale_days() {
        assert!(gone_quiet(Some(d(11, 22)), true, d(12, 6), 14));
        assert!(!gone_quiet(Some(d(11, 23)), true, d(12, 6), 14));
        assert!(gone_quiet(None, true, d(12, 6), 14));
        assert!(!gone_quiet(None, false, d(12, 6), 14));
    }

    #[test]
    fn overdue_first_then_soonest_then_undated_then_kind() {
        let today = d(12, 6);
        let mut items = [
            (TodoKind::WeeklyReport, Due::by(Some(d(12, 11)), today)),
            (TodoKind::FeedbackRequest, Due::by(None, today)),
            (TodoKind::Review, Due::by(Some(d(12, 20)), today)),
            (TodoKind::CheckIn, Due { on: Some(d(12, 31)), overdue: true }),
            (TodoKind::Approval, Due::by(None, today)),
            (TodoKind::Probation, Due::by(Some(d(12, 1)), today)),
        ];
        items.sort_by_key(|(k, due)| order_key(*k, *due));
        let kinds: Vec<TodoKind> = items.iter().map(|(k, _)| *k).collect();
        assert_eq!(
            kinds,
            [
                TodoKind::Probation,
                TodoKind::CheckIn,
                TodoKind::WeeklyReport,
                TodoKind::Review,
                TodoKind::Approval,
                TodoKind::FeedbackRequest
            ]
        );
    }
}
