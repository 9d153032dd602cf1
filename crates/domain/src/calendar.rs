//! The organization's calendar (T-6): its time zone as an offset from UTC, which days are
//! working days (Monday–Friday unless HR says otherwise: public holidays off, the make-up
//! working weekends of 调休 on), and the reminder schedule that runs on it.
//!
//! The time zone is a fixed offset: mainland China, the first market, has no daylight saving;
//! an organization that follows daylight saving changes the offset twice a year.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};

/// UTC+8 (Asia/Shanghai), the default.
pub const DEFAULT_OFFSET_MINUTES: i32 = 8 * 60;

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Calendar {
    pub offset_minutes: i32,
    /// Days that differ from the Monday–Friday week: `false` a holiday, `true` a working day.
    pub exceptions: HashMap<NaiveDate, bool>,
}

impl Calendar {
    pub fn new(offset_minutes: i32) -> Self {
        Calendar { offset_minutes, exceptions: HashMap::new() }
    }

    /// The organization's calendar day of an instant.
    pub fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        local_date(t, self.offset_minutes)
    }

    /// The instant `hour`:00 of the organization's day `date`.
    pub fn instant(&self, date: NaiveDate, hour: u32) -> DateTime<Utc> {
        instant(date, hour, self.offset_minutes)
    }

    pub fn is_working(&self, d: NaiveDate) -> bool {
        self.exceptions.get(&d).copied().unwrap_or(!matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
    }

    /// The `n`-th working day after `from` (F-2: a feedback request is reminded after three).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        let mut d = from;
        let mut left = n;
        // A year of days off in a row would be a broken calendar: stop rather than loop.
        for _ in 0..366 {
            if left == 0 {
                break;
            }
            d = d.succ_opt().unwrap_or(d);
            if self.is_working(d) {
                left -= 1;
            }
        }
        d
    }

    /// The last working day before `d` (D-1: a checkpoint is reminded then).
    pub fn working_day_before(&self, d: NaiveDate) -> NaiveDate {
        let mut x = d;
        for _ in 0..366 {
            x = x.pred_opt().unwrap_or(x);
            if self.is_working(x) {
                break;
            }
        }
        x
    }

    /// When to remind of something due on `due`: `hour` local on the working day before it,
    /// and never before `today` (a checkpoint set for tomorrow is reminded today).
    pub fn reminder_before(&self, due: NaiveDate, today: NaiveDate, hour: u32) -> DateTime<Utc> {
        self.instant(self.working_day_before(due).max(today), hour)
    }

    /// The weekly report's reminder day in the week starting `monday`: the configured weekday
    /// (1 = Monday … 7 = Sunday), or, when that is a holiday, the last working day before it in
    /// the same week; none when the whole stretch is off (the National Day week).
    pub fn weekly_report_day(&self, monday: NaiveDate, weekday: u32) -> Option<NaiveDate> {
        let wanted = monday + Duration::days(i64::from(weekday.clamp(1, 7)) - 1);
        let mut d = wanted;
        while d >= monday {
            if self.is_working(d) {
                return Some(d);
            }
            d -= Duration::days(1);
        }
        None
    }

    /// The reminder days of a deadline (goal setting, a review stage's close): the last [`GOAL_SETTING_LEAD_DAYS`] working
    /// days up to and including it (a deadline on a holiday is reminded on the days before).
    /// None further back than a month: a deadline inside a long holiday is not reminded weeks ahead.
    pub fn goal_setting_days(&self, deadline: NaiveDate) -> Vec<NaiveDate> {
        let mut out = Vec::new();
        let mut d = deadline;
        while out.len() < GOAL_SETTING_LEAD_DAYS && (deadline - d).num_days() <= 31 {
            if self.is_working(d) {
                out.push(d);
            }
            d -= Duration::days(1);
        }
        out.reverse();
        out
    }

    /// The first working day of the week starting `monday` (stale-goal reminders), if any.
    pub fn first_working_day(&self, monday: NaiveDate) -> Option<NaiveDate> {
        (0..7).map(|i| monday + Duration::days(i)).find(|d| self.is_working(*d))
    }

    /// The first working day of the month's last working week (T-6's monthly check-in): the
    /// week (Monday–Sunday) holding the month's last working day, from its Monday or the 1st.
    pub fn last_working_week_start(&self, year: i32, month: u32) -> Option<NaiveDate> {
        let first = NaiveDate::from_ymd_opt(year, month, 1)?;
        let next = if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1)? } else { first.with_month(month + 1)? };
        let mut last = next - Duration::days(1);
        while last >= first && !self.is_working(last) {
            last -= Duration::days(1);
        }
        if last < first {
            return None;
        }
        let monday = week_start(last).max(first);
        (0..7).map(|i| monday + Duration::days(i)).take_while(|d| *d <= last).find(|d| self.is_working(*d))
    }
}

/// The Monday of the week a day is in (weeks run Monday–Sunday, as in China).
pub fn week_start(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// The first and last day of the month a day is in.
pub fn month_of(d: NaiveDate) -> (NaiveDate, NaiveDate) {
    let first = d.with_day(1).expect("day 1");
    let next = if d.month() == 12 {
        NaiveDate::from_ymd_opt(d.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(d.year(), d.month() + 1, 1)
    }
    .expect("a month");
    (first, next - Duration::days(1))
}

/// "2026-11" → 1 November 2026; None if it is not a month.
pub fn parse_month(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{}-01", s.trim()), "%Y-%m-%d").ok()
}

/// The week before the one starting `monday`, and the week after unless it has not begun by
/// `today` (reports and digests are of weeks that have started).
pub fn week_nav(monday: NaiveDate, today: NaiveDate) -> (NaiveDate, Option<NaiveDate>) {
    let next = monday + Duration::days(7);
    (monday - Duration::days(7), (next <= week_start(today)).then_some(next))
}

/// The first days of the month before `d`'s and, unless it has not begun by `today`, after.
pub fn month_nav(d: NaiveDate, today: NaiveDate) -> (NaiveDate, Option<NaiveDate>) {
    let (first, last) = month_of(d);
    let next = last + Duration::days(1);
    (month_of(first - Duration::days(1)).0, (next <= today).then_some(next))
}

pub fn local_date(t: DateTime<Utc>, offset_minutes: i32) -> NaiveDate {
    local_time(t, offset_minutes).date()
}

/// The organization's wall-clock time of an instant.
pub fn local_time(t: DateTime<Utc>, offset_minutes: i32) -> chrono::NaiveDateTime {
    (t + Duration::minutes(i64::from(offset_minutes))).naive_utc()
}

pub fn instant(date: NaiveDate, hour: u32, offset_minutes: i32) -> DateTime<Utc> {
    let local = date.and_hms_opt(hour.min(23), 0, 0).expect("an hour of the day");
    DateTime::from_naive_utc_and_offset(local - Duration::minutes(i64::from(offset_minutes)), Utc)
}

/// How many working days before a goal-setting deadline (the day itself included) people who
/// have not submitted their goals are reminded.
pub const GOAL_SETTING_LEAD_DAYS: usize = 3;

/// When reminders go out (T-6). Hours are the organization's local hours.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schedule {
    pub weekly_report: bool,
    /// 1 = Monday … 7 = Sunday; Friday by default.
    pub weekly_weekday: u32,
    pub weekly_hour: u32,
    pub monthly_check_in: bool,
    pub stale_goals: bool,
    pub pending_approvals: bool,
    /// Before a period's goal-setting deadline, to those who have not submitted goals.
    pub goal_setting: bool,
    /// Before a review cycle's writing stage closes, to those whose review is not submitted.
    pub review_writing: bool,
    /// The hour the other reminders go out.
    pub reminder_hour: u32,
}

impl Default for Schedule {
    fn default() -> Self {
        Schedule {
            weekly_report: true,
            weekly_weekday: 5,
            weekly_hour: 15,
            monthly_check_in: true,
            stale_goals: true,
            pending_approvals: true,
            goal_setting: true,
            review_writing: true,
            reminder_hour: 10,
        }
    }
}

/// What HR set: the organization's offset from UTC and when reminders go out (the defaults
/// until HR sets them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    pub offset_minutes: i32,
    pub schedule: Schedule,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { offset_minutes: DEFAULT_OFFSET_MINUTES, schedule: Schedule::default() }
    }
}

/// A day that differs from the Monday–Friday week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpecialDay {
    pub day: NaiveDate,
    /// false: a holiday; true: a working day on a weekend (调休).
    pub working: bool,
    pub name: String,
}

/// A reminder that went out: its key (the reminder and the day it was for), to how many people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentReminder {
    pub key: String,
    pub recipients: i32,
    pub sent_at: DateTime<Utc>,
}

/// A setting that makes no sense: the field, a code and what would be accepted.
pub type CalendarIssue = (&'static str, &'static str, String);

/// The hours a reminder may go out: nobody is woken at three in the morning by a nudge.
pub const REMINDER_HOURS: std::ops::RangeInclusive<u32> = 7..=21;

impl Schedule {
    pub fn check(&self, offset_minutes: i32) -> Vec<CalendarIssue> {
        let mut out = Vec::new();
        if !(-12 * 60..=14 * 60).contains(&offset_minutes) || offset_minutes % 15 != 0 {
            out.push(("utc_offset", "out_of_range", "must be between -12:00 and +14:00 in steps of 15 minutes".into()));
        }
        if !(1..=7).contains(&self.weekly_weekday) {
            out.push(("weekly_weekday", "out_of_range", "must be 1 (Monday) to 7 (Sunday)".into()));
        }
        let hours = format!("must be an hour from {} to {}", REMINDER_HOURS.start(), REMINDER_HOURS.end());
        if !REMINDER_HOURS.contains(&self.weekly_hour) {
            out.push(("weekly_hour", "out_of_hours", hours.clone()));
        }
        if !REMINDER_HOURS.contains(&self.reminder_hour) {
            out.push(("reminder_hour", "out_of_hours", hours));
        }
        out
    }
}

/// The reminders of T-6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reminder {
    /// The week's report, on the weekly report day.
    WeeklyReport,
    /// Goals without an update this month, on the first day of the month's last working week.
    MonthlyCheckIn,
    /// Goals silent for the stale threshold, on the first working day of the week.
    StaleGoals,
    /// Goals waiting for one's approval, every working day.
    PendingApprovals,
    /// No goals submitted yet for a period whose goal-setting deadline is near.
    GoalSetting,
    /// A review not yet submitted whose writing stage (self, peer, manager) closes soon.
    ReviewWriting,
}

impl Reminder {
    pub const ALL: [Reminder; 6] = [
        Reminder::WeeklyReport,
        Reminder::MonthlyCheckIn,
        Reminder::StaleGoals,
        Reminder::PendingApprovals,
        Reminder::GoalSetting,
        Reminder::ReviewWriting,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Reminder::WeeklyReport => "weekly-report",
            Reminder::MonthlyCheckIn => "monthly-check-in",
            Reminder::StaleGoals => "stale-goals",
            Reminder::PendingApprovals => "pending-approvals",
            Reminder::GoalSetting => "goal-setting",
            Reminder::ReviewWriting => "review-writing",
        }
    }

    /// Its schedule key on a day: the job and the record of its sending share it.
    pub fn key(self, day: NaiveDate) -> String {
        format!("remind-{}:{day}", self.code())
    }

    /// The reminder and day a run's key names ([`Reminder::key`]); None for any other key.
    pub fn parse_key(key: &str) -> Option<(Reminder, NaiveDate)> {
        let (code, day) = key.strip_prefix("remind-")?.split_once(':')?;
        let reminder = Reminder::ALL.into_iter().find(|r| r.code() == code)?;
        Some((reminder, NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?))
    }

    pub fn enabled(self, s: &Schedule) -> bool {
        match self {
            Reminder::WeeklyReport => s.weekly_report,
            Reminder::MonthlyCheckIn => s.monthly_check_in,
            Reminder::StaleGoals => s.stale_goals,
            Reminder::PendingApprovals => s.pending_approvals,
            Reminder::GoalSetting => s.goal_setting,
            Reminder::ReviewWriting => s.review_writing,
        }
    }
}

/// The dated deadlines reminders lead up to, each reminded on its last working days
/// ([`Calendar::goal_setting_days`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Deadlines {
    /// The periods' goal-setting deadlines.
    pub goal_setting: Vec<NaiveDate>,
    /// The last days of review cycles' writing stages (self, peer and manager review).
    pub review_writing: Vec<NaiveDate>,
}

/// The reminders that go out on `day`, with their local hour.
pub fn due(cal: &Calendar, s: &Schedule, day: NaiveDate, deadlines: &Deadlines) -> Vec<(Reminder, u32)> {
    let monday = week_start(day);
    let mut out = Vec::new();
    if s.weekly_report && cal.weekly_report_day(monday, s.weekly_weekday) == Some(day) {
        out.push((Reminder::WeeklyReport, s.weekly_hour));
    }
    if s.monthly_check_in && cal.last_working_week_start(day.year(), day.month()) == Some(day) {
        out.push((Reminder::MonthlyCheckIn, s.reminder_hour));
    }
    if s.stale_goals && cal.first_working_day(monday) == Some(day) {
        out.push((Reminder::StaleGoals, s.reminder_hour));
    }
    if s.pending_approvals && cal.is_working(day) {
        out.push((Reminder::PendingApprovals, s.reminder_hour));
    }
    let near = |list: &[NaiveDate]| list.iter().any(|d| cal.goal_setting_days(*d).contains(&day));
    if s.goal_setting && near(&deadlines.goal_setting) {
        out.push((Reminder::GoalSetting, s.reminder_hour));
    }
    if s.review_writing && near(&deadlines.review_writing) {
        out.push((Reminder::ReviewWriting, s.reminder_hour));
    }
    out
}

/// "+08:00" for 480 minutes, "-03:30" for -210.
pub fn format_offset(minutes: i32) -> String {
    let sign = if minutes < 0 { '-' } else { '+' };
    let m = minutes.unsigned_abs();
    format!("{sign}{:02}:{:02}", m / 60, m % 60)
}

/// Reads "+08:00", "-3:30", "+8" or "UTC+8"; None if it is not an offset.
pub fn parse_offset(s: &str) -> Option<i32> {
    let s = s.trim();
    let s = s.strip_prefix("UTC").or_else(|| s.strip_prefix("GMT")).unwrap_or(s);
    let (sign, rest) = match s.chars().next()? {
        '+' => (1, &s[1..]),
        '-' => (-1, &s[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None => (rest, "0"),
    };
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    if h.to_string().len() > 2 || !(0..60).contains(&m) {
        return None;
    }
    Some(sign * (h * 60 + m))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// 2026's National Day: 1–7 October off, Saturday 10 October a make-up working day.
    fn with_national_day() -> Calendar {
        let mut c = Calendar::new(DEFAULT_OFFSET_MINUTES);
        for day in 1..=7 {
            c.exceptions.insert(d(2026, 10, day), false);
        }
        c.exceptions.insert(d(2026, 10, 10), true);
        c
    }

    #[test]
    fn d1_the_working_day_before_skips_weekends_and_holidays() {
        let c = with_national_day();
        // Monday 23 November: Friday the 20th.
        assert_eq!(c.working_day_before(d(2026, 11, 23)), d(2026, 11, 20));
        assert_eq!(c.working_day_before(d(2026, 11, 25)), d(2026, 11, 24));
        // Thursday 8 October, after the National Day week: Wednesday 30 September.
        assert_eq!(c.working_day_before(d(2026, 10, 8)), d(2026, 9, 30));
        // Sunday 11 October: the make-up Saturday the 10th.
        assert_eq!(c.working_day_before(d(2026, 10, 11)), d(2026, 10, 10));
    }

    #[test]
    fn t6_weeks_start_on_monday() {
        assert_eq!(week_start(d(2026, 11, 22)), d(2026, 11, 16)); // a Sunday
        assert_eq!(week_start(d(2026, 11, 16)), d(2026, 11, 16));
        assert_eq!(week_start(d(2026, 11, 20)), d(2026, 11, 16));
    }

    #[test]
    fn t6_local_days_and_hours_follow_the_offset() {
        let t = DateTime::parse_from_rfc3339("2026-11-21T17:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(local_date(t, 480), d(2026, 11, 22)); // 01:00 on the 22nd in Shanghai
        assert_eq!(local_date(t, 0), d(2026, 11, 21));
        assert_eq!(local_date(t, -300), d(2026, 11, 21)); // 12:00 in New York (UTC-5)
        assert_eq!(instant(d(2026, 11, 22), 1, 480), t);
        assert_eq!(instant(d(2026, 11, 22), 15, -300).to_rfc3339(), "2026-11-22T20:00:00+00:00");
    }

    #[test]
    fn t6_the_weekly_report_day_moves_back_over_holidays() {
        let c = with_national_day();
        // An ordinary week: Friday 20 November.
        assert_eq!(c.weekly_report_day(d(2026, 11, 16), 5), Some(d(2026, 11, 20)));
        // Friday 2 and Thursday 1 October are holidays: Wednesday 30 September.
        assert_eq!(c.weekly_report_day(d(2026, 9, 28), 5), Some(d(2026, 9, 30)));
        assert_eq!(c.weekly_report_day(d(2026, 10, 5), 5), Some(d(2026, 10, 9)));
        // A Saturday reminder lands on the make-up working Saturday 10 October.
        assert_eq!(c.weekly_report_day(d(2026, 10, 5), 6), Some(d(2026, 10, 10)));
        // Spring Festival 2026: Monday 16 to Friday 20 February off: no reminder that week.
        let mut spring = Calendar::new(480);
        for day in 16..=20 {
            spring.exceptions.insert(d(2026, 2, day), false);
        }
        assert_eq!(spring.weekly_report_day(d(2026, 2, 16), 5), None);
        assert_eq!(spring.first_working_day(d(2026, 2, 16)), None);
    }

    #[test]
    fn t6_the_last_working_week_of_a_month() {
        let c = Calendar::new(480);
        // November 2026 ends on a Monday: its last working day is Monday 30th, its week starts then.
        assert_eq!(c.last_working_week_start(2026, 11), Some(d(2026, 11, 30)));
        // December 2026 ends on Thursday 31st: that week's Monday is the 28th.
        assert_eq!(c.last_working_week_start(2026, 12), Some(d(2026, 12, 28)));
        // May 2026 ends on Sunday 31st: last working day Friday 29th, week from Monday 25th.
        assert_eq!(c.last_working_week_start(2026, 5), Some(d(2026, 5, 25)));
        // September 2026 ends on Wednesday 30th, but with 28–29 September off it starts on the 30th.
        let mut h = with_national_day();
        h.exceptions.insert(d(2026, 9, 28), false);
        h.exceptions.insert(d(2026, 9, 29), false);
        assert_eq!(h.last_working_week_start(2026, 9), Some(d(2026, 9, 30)));
        // October: the 31st is a Saturday, last working day Friday 30th, week from Monday 26th.
        assert_eq!(h.last_working_week_start(2026, 10), Some(d(2026, 10, 26)));
    }

    #[test]
    fn t6_the_first_working_day_of_a_week() {
        let c = with_national_day();
        assert_eq!(c.first_working_day(d(2026, 11, 16)), Some(d(2026, 11, 16)));
        assert_eq!(c.first_working_day(d(2026, 10, 5)), Some(d(2026, 10, 8)));
    }

    #[test]
    fn t6_a_schedule_that_makes_no_sense_is_named() {
        assert!(Schedule::default().check(480).is_empty());
        let s = Schedule { weekly_weekday: 8, weekly_hour: 3, reminder_hour: 25, ..Schedule::default() };
        let fields: Vec<&str> = s.check(481).iter().map(|i| i.0).collect();
        assert_eq!(fields, vec!["utc_offset", "weekly_weekday", "weekly_hour", "reminder_hour"]);
        assert_eq!(Schedule::default().check(15 * 60)[0].0, "utc_offset");
        assert!(Schedule::default().check(-210).is_empty()); // Newfoundland, -03:30
    }

    #[test]
    fn t6_which_reminders_go_out_on_a_day() {
        use Reminder::*;
        let c = with_national_day();
        let s = Schedule::default();
        // Monday 30 November 2026: first day of the week (stale goals), the month's last working
        // week (monthly check-in), a working day (approvals); the weekly report is on Friday.
        assert_eq!(
            due(&c, &s, d(2026, 11, 30), &Deadlines::default()),
            vec![(MonthlyCheckIn, 10), (StaleGoals, 10), (PendingApprovals, 10)]
        );
        assert_eq!(
            due(&c, &s, d(2026, 11, 20), &Deadlines::default()),
            vec![(WeeklyReport, 15), (PendingApprovals, 10)]
        );
        assert_eq!(due(&c, &s, d(2026, 11, 22), &Deadlines::default()), vec![]); // a Sunday
        // Thursday 8 October, the first working day after National Day: stale goals go out then.
        assert_eq!(due(&c, &s, d(2026, 10, 8), &Deadlines::default()), vec![(StaleGoals, 10), (PendingApprovals, 10)]);
        // Switched off, nothing of it goes out.
        let quiet = Schedule { stale_goals: false, pending_approvals: false, ..s };
        assert_eq!(due(&c, &quiet, d(2026, 10, 8), &Deadlines::default()), vec![]);
        assert_eq!(WeeklyReport.key(d(2026, 11, 20)), "remind-weekly-report:2026-11-20");
    }

    #[test]
    fn t6_goal_setting_deadlines_are_reminded_on_the_last_three_working_days() {
        use Reminder::*;
        let c = with_national_day();
        let s = Schedule::default();
        // Friday 4 December 2026: Wednesday 2nd, Thursday 3rd and Friday 4th.
        assert_eq!(c.goal_setting_days(d(2026, 12, 4)), vec![d(2026, 12, 2), d(2026, 12, 3), d(2026, 12, 4)]);
        // Monday 7 December: the weekend is skipped, Thursday 3rd to Monday 7th.
        assert_eq!(c.goal_setting_days(d(2026, 12, 7)), vec![d(2026, 12, 3), d(2026, 12, 4), d(2026, 12, 7)]);
        // Thursday 8 October, after National Day (1–7 October off, Saturday 10th worked):
        // Tuesday 29 and Wednesday 30 September, then the 8th itself.
        assert_eq!(c.goal_setting_days(d(2026, 10, 8)), vec![d(2026, 9, 29), d(2026, 9, 30), d(2026, 10, 8)]);
        // A deadline on Sunday 11 October: Thursday 8th, Friday 9th and the make-up Saturday 10th.
        assert_eq!(c.goal_setting_days(d(2026, 10, 11)), vec![d(2026, 10, 8), d(2026, 10, 9), d(2026, 10, 10)]);
        let deadlines = Deadlines { goal_setting: vec![d(2026, 12, 4)], ..Deadlines::default() };
        assert_eq!(due(&c, &s, d(2026, 12, 1), &deadlines), vec![(PendingApprovals, 10)]);
        assert_eq!(due(&c, &s, d(2026, 12, 2), &deadlines), vec![(PendingApprovals, 10), (GoalSetting, 10)]);
        assert_eq!(due(&c, &s, d(2026, 12, 4), &deadlines).last(), Some(&(GoalSetting, 10)));
        assert!(!due(&c, &s, d(2026, 12, 7), &deadlines).contains(&(GoalSetting, 10)), "the deadline passed");
        let off = Schedule { goal_setting: false, ..s };
        assert_eq!(due(&c, &off, d(2026, 12, 3), &deadlines), vec![(PendingApprovals, 10)]);
    }

    #[test]
    fn t6_v1_a_review_stage_closing_is_reminded_on_its_last_three_working_days() {
        use Reminder::*;
        let c = with_national_day();
        let s = Schedule::default();
        // The manager review closes on Thursday 8 October, after National Day: reminded on
        // Tuesday 29 and Wednesday 30 September and on the 8th; not during the holiday.
        let closes = Deadlines { review_writing: vec![d(2026, 10, 8)], ..Deadlines::default() };
        assert_eq!(due(&c, &s, d(2026, 9, 29), &closes), vec![(PendingApprovals, 10), (ReviewWriting, 10)]);
        assert_eq!(due(&c, &s, d(2026, 10, 2), &closes), vec![]);
        assert_eq!(due(&c, &s, d(2026, 10, 8), &closes).last(), Some(&(ReviewWriting, 10)));
        assert!(!due(&c, &s, d(2026, 10, 9), &closes).contains(&(ReviewWriting, 10)), "closed");
        let off = Schedule { review_writing: false, ..s };
        assert!(!due(&c, &off, d(2026, 10, 8), &closes).contains(&(ReviewWriting, 10)));
        assert_eq!(ReviewWriting.key(d(2026, 10, 8)), "remind-review-writing:2026-10-08");
    }

    #[test]
    fn t7_a_run_key_reads_back_as_its_reminder_and_day() {
        let key = Reminder::WeeklyReport.key(d(2026, 12, 7));
        assert_eq!(Reminder::parse_key(&key), Some((Reminder::WeeklyReport, d(2026, 12, 7))));
        assert_eq!(Reminder::parse_key("remind-weekly-report:2026-13-01"), None);
        assert_eq!(Reminder::parse_key("remind-nothing:2026-12-07"), None);
        assert_eq!(Reminder::parse_key("sweep:2026-12-07"), None);
    }

    #[test]
    fn t2_t6_months_and_weeks_to_page_through() {
        assert_eq!(month_of(d(2026, 12, 15)), (d(2026, 12, 1), d(2026, 12, 31)));
        assert_eq!(month_of(d(2026, 2, 3)), (d(2026, 2, 1), d(2026, 2, 28)));
        assert_eq!(parse_month("2026-11"), Some(d(2026, 11, 1)));
        assert_eq!(parse_month("2026-13"), None);
        // Sunday 22 November 2026: this week (from the 16th) has no next; last week does.
        assert_eq!(week_nav(d(2026, 11, 16), d(2026, 11, 22)), (d(2026, 11, 9), None));
        assert_eq!(week_nav(d(2026, 11, 9), d(2026, 11, 22)), (d(2026, 11, 2), Some(d(2026, 11, 16))));
        assert_eq!(month_nav(d(2026, 11, 5), d(2026, 11, 22)), (d(2026, 10, 1), None));
        assert_eq!(month_nav(d(2026, 1, 5), d(2026, 11, 22)), (d(2025, 12, 1), Some(d(2026, 2, 1))));
    }

    #[test]
    fn t6_offsets_read_and_written() {
        assert_eq!(parse_offset("+08:00"), Some(480));
        assert_eq!(parse_offset("UTC+8"), Some(480));
        assert_eq!(parse_offset("-03:30"), Some(-210));
        assert_eq!(parse_offset("+5:45"), Some(345));
        assert_eq!(parse_offset("8"), None);
        assert_eq!(parse_offset("+08:60"), None);
        assert_eq!(parse_offset("+123"), None);
        assert_eq!(format_offset(480), "+08:00");
        assert_eq!(format_offset(-210), "-03:30");
        assert_eq!(format_offset(0), "+00:00");
    }

    #[test]
    fn f2_three_working_days_skip_weekends_and_holidays_and_count_swapped_days() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let mut cal = Calendar::new(480);
        // Thursday 2026-12-03 + 3 working days: Fri 4, Mon 7, Tue 8.
        assert_eq!(cal.add_working_days(d(12, 3), 3), d(12, 8));
        // National Day week: 1–7 October off, Saturday 10 October a swapped working day.
        for day in 1..=7 {
            cal.exceptions.insert(d(10, day), false);
        }
        cal.exceptions.insert(d(10, 10), true);
        // Wednesday 30 September: Thu 8, Fri 9, Sat 10.
        assert_eq!(cal.add_working_days(d(9, 30), 3), d(10, 10));
    }
}
