//! 1:1 meetings (F-1): the cadence of a manager–report pair and the meetings it makes on the
//! organization's calendar, and the limits a meeting's content keeps to.

use chrono::{DateTime, Duration, Months, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use uuid::Uuid;

use crate::calendar::Calendar;

/// How often a pair meets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cadence {
    Weekly,
    Biweekly,
    Monthly,
}

impl Cadence {
    pub const ALL: [Cadence; 3] = [Cadence::Weekly, Cadence::Biweekly, Cadence::Monthly];

    pub fn code(self) -> &'static str {
        match self {
            Cadence::Weekly => "weekly",
            Cadence::Biweekly => "biweekly",
            Cadence::Monthly => "monthly",
        }
    }

    pub fn parse(s: &str) -> Option<Cadence> {
        Cadence::ALL.into_iter().find(|c| c.code() == s)
    }

    /// The `k`-th meeting's nominal local time (the first is `k` = 0). Monthly meetings keep
    /// the day of the month, or the month's last day when it is shorter (31 January → 28
    /// February).
    pub fn nth(self, first: NaiveDateTime, k: u32) -> Option<NaiveDateTime> {
        match self {
            Cadence::Weekly => first.checked_add_signed(Duration::days(7 * i64::from(k))),
            Cadence::Biweekly => first.checked_add_signed(Duration::days(14 * i64::from(k))),
            Cadence::Monthly => first.checked_add_months(Months::new(k)),
        }
    }
}

/// Meetings are materialized this far ahead, so calendars show the coming ones.
pub const HORIZON_DAYS: i64 = 56;
/// A meeting lasts 15 minutes to 3 hours.
pub const DURATIONS: std::ops::RangeInclusive<u32> = 15..=180;
/// A meeting starts between 06:00 and 22:00 in the organization's time zone.
pub const EARLIEST: NaiveTime = NaiveTime::from_hms_opt(6, 0, 0).expect("06:00");
pub const LATEST: NaiveTime = NaiveTime::from_hms_opt(22, 0, 0).expect("22:00");
/// A meeting ends with one to three action items (F-1); more are refused.
pub const MAX_ACTIONS_PER_MEETING: usize = 3;
pub const MAX_AGENDA_ITEMS: usize = 30;
pub const MAX_ITEM_CHARS: usize = 500;
pub const MAX_NOTES_CHARS: usize = 20_000;

/// Whether a local start time is within the hours meetings may start.
pub fn sensible_start(t: NaiveDateTime) -> bool {
    (EARLIEST..=LATEST).contains(&t.time())
}

/// A scheduled meeting: the series' occurrence index and its local start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub index: u32,
    pub starts: NaiveDateTime,
}

/// The occurrences of a series starting at `first` whose (moved) start falls in
/// `[from, to)`. An occurrence on a day off moves to the next working day at the same time; if
/// that reaches the next occurrence's day (a week-long holiday for a weekly 1:1), it is skipped.
pub fn occurrences(
    first: NaiveDateTime,
    cadence: Cadence,
    from: NaiveDateTime,
    to: NaiveDateTime,
    cal: &Calendar,
) -> Vec<Occurrence> {
    let mut out = Vec::new();
    for k in 0..10_000u32 {
        let Some(nominal) = cadence.nth(first, k) else { break };
        if nominal >= to {
            break;
        }
        let next = cadence.nth(first, k + 1);
        let mut day = nominal.date();
        while !cal.is_working(day) {
            day = day.succ_opt().unwrap_or(day);
            if next.is_some_and(|n| day >= n.date()) {
                break;
            }
        }
        if next.is_some_and(|n| day >= n.date()) || !cal.is_working(day) {
            continue;
        }
        let starts = day.and_time(nominal.time());
        if starts >= from && starts < to {
            out.push(Occurrence { index: k, starts });
        }
    }
    out
}

/// Where one meeting stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MeetingState {
    /// Still to come, or past and marked neither held nor cancelled.
    Scheduled,
    /// Marked held (it counts in the manager's follow-up).
    Held,
    Cancelled,
}

impl MeetingState {
    pub const ALL: [MeetingState; 3] = [MeetingState::Scheduled, MeetingState::Held, MeetingState::Cancelled];

    pub fn code(self) -> &'static str {
        match self {
            MeetingState::Scheduled => "scheduled",
            MeetingState::Held => "held",
            MeetingState::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<MeetingState> {
        MeetingState::ALL.into_iter().find(|m| m.code() == s)
    }
}

/// A manager–report pair's cadence: it makes the pair's meetings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    pub id: Uuid,
    pub manager_id: Uuid,
    pub report_id: Uuid,
    pub cadence: Cadence,
    pub first_at: DateTime<Utc>,
    /// The occurrence number of the meeting at `first_at` (a new schedule continues the count).
    pub first_occurrence: i32,
    pub duration_min: i32,
    /// A room or a video link.
    pub location: Option<String>,
    pub active: bool,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One meeting of a series, with the notes both participants share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub id: Uuid,
    pub series_id: Uuid,
    pub manager_id: Uuid,
    pub report_id: Uuid,
    /// Its number in the series: a series makes each number once.
    pub occurrence: i32,
    pub starts_at: DateTime<Utc>,
    pub duration_min: i32,
    pub state: MeetingState,
    /// Rescheduled by hand (a change of the series leaves it where it is).
    pub moved: bool,
    pub shared_notes: String,
    pub notes_by: Option<Uuid>,
    pub notes_at: Option<DateTime<Utc>>,
    pub held_at: Option<DateTime<Utc>>,
    /// The ICS SEQUENCE, raised on every change calendar apps should see.
    pub sequence: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Meeting {
    /// A new meeting `id` of `series`, numbered `occurrence`, at `starts_at`, made at `now`.
    pub fn of(id: Uuid, series: &Series, occurrence: i32, starts_at: DateTime<Utc>, now: DateTime<Utc>) -> Meeting {
        Meeting {
            id,
            series_id: series.id,
            manager_id: series.manager_id,
            report_id: series.report_id,
            occurrence,
            starts_at,
            duration_min: series.duration_min,
            state: MeetingState::Scheduled,
            moved: false,
            shared_notes: String::new(),
            notes_by: None,
            notes_at: None,
            held_at: None,
            sequence: 0,
            created_at: now,
            updated_at: now,
        }
    }

    pub fn ends_at(&self) -> DateTime<Utc> {
        self.starts_at + Duration::minutes(i64::from(self.duration_min))
    }

    pub fn is_scheduled(&self) -> bool {
        self.state == MeetingState::Scheduled
    }

    pub fn is_cancelled(&self) -> bool {
        self.state == MeetingState::Cancelled
    }

    /// The participant who is not `me`.
    pub fn other_than(&self, me: Uuid) -> Uuid {
        if self.manager_id == me { self.report_id } else { self.manager_id }
    }
}

/// A topic on a meeting's agenda.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub author_id: Uuid,
    pub text: String,
    pub position: i32,
    pub discussed: bool,
    pub created_at: DateTime<Utc>,
}

/// An action item agreed in a meeting; it stays on the pair's meetings until done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionItem {
    pub id: Uuid,
    pub series_id: Uuid,
    /// The meeting it was agreed in.
    pub meeting_id: Uuid,
    pub owner_id: Uuid,
    pub text: String,
    pub due_on: Option<NaiveDate>,
    pub done_at: Option<DateTime<Utc>>,
    pub done_by: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// One participant's own note on a meeting: read by its author alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrivateNote {
    pub meeting_id: Uuid,
    pub author_id: Uuid,
    pub text: String,
    pub updated_at: DateTime<Utc>,
}

/// A goal linked to a meeting to talk about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalLink {
    pub meeting_id: Uuid,
    pub goal_id: Uuid,
    pub added_by: Option<Uuid>,
    pub added_at: DateTime<Utc>,
}

/// A user's calendar subscription: the secret of its address is kept only as a hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarFeed {
    pub user_id: Uuid,
    pub token_hash: String,
    pub created_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    //! F-1 on a calendar with 2026's National Day (1–7 October off, Saturday 10 October worked).
    use super::*;
    use chrono::NaiveDate;

    fn at(m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap().and_hms_opt(h, min, 0).unwrap()
    }

    fn national_day() -> Calendar {
        let mut c = Calendar::new(480);
        for d in 1..=7 {
            c.exceptions.insert(NaiveDate::from_ymd_opt(2026, 10, d).unwrap(), false);
        }
        c.exceptions.insert(NaiveDate::from_ymd_opt(2026, 10, 10).unwrap(), true);
        c
    }

    #[test]
    fn f1_cadences_step_by_week_fortnight_and_month() {
        let first = at(1, 31, 14, 0);
        assert_eq!(Cadence::Weekly.nth(first, 2), Some(at(2, 14, 14, 0)));
        assert_eq!(Cadence::Biweekly.nth(first, 2), Some(at(2, 28, 14, 0)));
        // 31 January + 1 month is the last day of February; + 2 months is 31 March.
        assert_eq!(Cadence::Monthly.nth(first, 1), Some(at(2, 28, 14, 0)));
        assert_eq!(Cadence::Monthly.nth(first, 2), Some(at(3, 31, 14, 0)));
        assert_eq!(Cadence::parse("biweekly"), Some(Cadence::Biweekly));
        assert_eq!(Cadence::parse("daily"), None);
    }

    #[test]
    fn f1_holidays_move_a_meeting_to_the_next_working_day_or_skip_it() {
        let cal = national_day();
        // Tuesdays at 10:30 from 22 September: 29 September, then 6 October is a holiday and
        // the next working day (Thursday 8th) is before the next Tuesday — moved there.
        let first = at(9, 22, 10, 30);
        let got = occurrences(first, Cadence::Weekly, at(9, 23, 0, 0), at(10, 21, 0, 0), &cal);
        let starts: Vec<NaiveDateTime> = got.iter().map(|o| o.starts).collect();
        assert_eq!(starts, vec![at(9, 29, 10, 30), at(10, 8, 10, 30), at(10, 13, 10, 30), at(10, 20, 10, 30)]);
        assert_eq!(got.iter().map(|o| o.index).collect::<Vec<_>>(), vec![1, 2, 3, 4]);
        // Thursdays: 1 October is off and so is every day to the 7th; the 8th is the next
        // Thursday itself, so the 1 October meeting is skipped, not doubled.
        let thursdays = occurrences(at(9, 24, 15, 0), Cadence::Weekly, at(9, 24, 0, 0), at(10, 9, 0, 0), &cal);
        let starts: Vec<NaiveDateTime> = thursdays.iter().map(|o| o.starts).collect();
        assert_eq!(starts, vec![at(9, 24, 15, 0), at(10, 8, 15, 0)]);
        // Saturdays: the 3rd is in the holiday (moved to Thursday 8th), the 10th is the make-up
        // working Saturday, the 17th moves to Monday 19th.
        let sat = occurrences(at(10, 3, 9, 0), Cadence::Weekly, at(10, 1, 0, 0), at(10, 20, 0, 0), &cal);
        let starts: Vec<NaiveDateTime> = sat.iter().map(|o| o.starts).collect();
        assert_eq!(starts, vec![at(10, 8, 9, 0), at(10, 10, 9, 0), at(10, 19, 9, 0)]);
    }

    #[test]
    fn f1_sensible_hours() {
        assert!(sensible_start(at(11, 30, 6, 0)));
        assert!(sensible_start(at(11, 30, 22, 0)));
        assert!(!sensible_start(at(11, 30, 5, 59)));
        assert!(!sensible_start(at(11, 30, 22, 1)));
    }
}
