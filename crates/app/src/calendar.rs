//! The organization's calendar (T-6): time zone, holidays and make-up working days, and the
//! reminder schedule — what HR sets, and what the scheduler and the reminders read.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::calendar::{self, Calendar, Schedule, Settings, SpecialDay, format_offset, parse_offset};
use waymark_store::repo::calendar as repo;

use crate::audit::{entry, json};
use crate::clock::Zone;
use crate::error::text_field;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppError, AppResult, FieldIssue};

pub struct CalendarService<'a> {
    pub(crate) app: &'a App,
}

/// The time zone and the reminder schedule, as the API and the settings page show them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CalendarSettings {
    /// The organization's offset from UTC, e.g. "+08:00".
    #[schema(example = "+08:00")]
    pub utc_offset: String,
    /// Remind people who have not submitted the week's report.
    pub weekly_report: bool,
    /// 1 = Monday … 7 = Sunday; a holiday moves it to the working day before.
    pub weekly_weekday: u32,
    /// Local hour of the weekly report reminder (7–21).
    pub weekly_hour: u32,
    /// Remind owners of goals without an update this month, in the month's last working week.
    pub monthly_check_in: bool,
    /// Remind owners of goals silent for the stale threshold, on the week's first working day.
    pub stale_goals: bool,
    /// Remind approvers of goals waiting for them, every working day.
    pub pending_approvals: bool,
    /// Remind people who have not submitted goals in the last three working days before a
    /// period's goal-setting deadline.
    #[serde(default = "yes")]
    pub goal_setting: bool,
    /// Remind reviewers whose review is not submitted in the last three working days before
    /// its writing stage (self, peer or manager review) closes.
    #[serde(default = "yes")]
    pub review_writing: bool,
    /// Local hour of the other reminders (7–21).
    pub reminder_hour: u32,
}

/// A day that differs from Monday–Friday.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct CalendarDay {
    pub day: NaiveDate,
    /// false: a holiday; true: a working day on a weekend (调休).
    pub working: bool,
    pub name: String,
}

/// A holiday or make-up working day to set.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CalendarDayInput {
    pub working: bool,
    #[serde(default)]
    pub name: Option<String>,
}

/// A reminder on the coming days.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct UpcomingReminder {
    /// weekly-report, monthly-check-in, stale-goals, pending-approvals or goal-setting.
    pub reminder: String,
    pub day: NaiveDate,
    pub hour: u32,
}

/// A reminder that went out.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct ReminderRun {
    pub key: String,
    /// The reminder the run sent (weekly-report, monthly-check-in, …) and the day it was for,
    /// read from its key.
    pub reminder: Option<String>,
    pub day: Option<NaiveDate>,
    pub recipients: i32,
    pub sent_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarView {
    pub settings: CalendarSettings,
    pub days: Vec<CalendarDay>,
    /// The next 14 days' reminders, as the schedule and calendar make them.
    pub upcoming: Vec<UpcomingReminder>,
    /// The latest reminders sent, newest first.
    pub recent: Vec<ReminderRun>,
    pub today: NaiveDate,
}

fn view_of(offset: i32, s: &Schedule) -> CalendarSettings {
    CalendarSettings {
        utc_offset: format_offset(offset),
        weekly_report: s.weekly_report,
        weekly_weekday: s.weekly_weekday,
        weekly_hour: s.weekly_hour,
        monthly_check_in: s.monthly_check_in,
        stale_goals: s.stale_goals,
        pending_approvals: s.pending_approvals,
        goal_setting: s.goal_setting,
        review_writing: s.review_writing,
        reminder_hour: s.reminder_hour,
    }
}

fn yes() -> bool {
    true
}

/// Holidays further than this from today are refused: a typo in the year, not a plan.
const DAY_RANGE_DAYS: i64 = 3 * 366;

fn require(actor: &Actor, action: Action) -> AppResult<()> {
    if allowed(actor, action, Resource::Calendar, Facts::default()) { Ok(()) } else { Err(AppError::Forbidden) }
}

impl CalendarService<'_> {
    /// The calendar and schedule as stored (the defaults until HR sets them).
    pub async fn current(&self) -> AppResult<(Calendar, Schedule)> {
        let c = &self.app.db.conn;
        let settings = repo::calendar(c).await?.unwrap_or_default();
        let mut cal = Calendar::new(settings.offset_minutes);
        cal.exceptions = repo::days(c).await?.into_iter().map(|d| (d.day, d.working)).collect();
        Ok((cal, settings.schedule))
    }

    /// The deadlines whose reminders may go out from `today` on (a month ahead): periods'
    /// goal setting, review cycles' writing stages.
    pub async fn deadlines(&self, today: NaiveDate) -> AppResult<calendar::Deadlines> {
        let c = &self.app.db.conn;
        let until = today + Duration::days(45);
        let periods = waymark_store::repo::goals::periods_due_between(c, today, until).await?;
        let stages = waymark_store::repo::reviews::writing_stages_closing(c, today, until).await?;
        Ok(calendar::Deadlines {
            goal_setting: periods.into_iter().filter_map(|p| p.setting_due_on).collect(),
            review_writing: stages.into_iter().map(|s| s.closes_on).collect(),
        })
    }

    pub async fn view(&self, actor: &Actor) -> AppResult<CalendarView> {
        require(actor, Action::Read)?;
        let (cal, schedule) = self.current().await?;
        let c = &self.app.db.conn;
        let today = cal.local_date(self.app.clock.now());
        let deadlines = self.deadlines(today).await?;
        let upcoming = (0..14)
            .map(|i| today + Duration::days(i))
            .flat_map(|d| {
                calendar::due(&cal, &schedule, d, &deadlines).into_iter().map(move |(r, hour)| UpcomingReminder {
                    reminder: r.code().into(),
                    day: d,
                    hour,
                })
            })
            .collect();
        let days = repo::days(c)
            .await?
            .into_iter()
            .map(|d| CalendarDay { day: d.day, working: d.working, name: d.name })
            .collect();
        let recent = repo::recent_runs(c, 20)
            .await?
            .into_iter()
            .map(|r| {
                let named = calendar::Reminder::parse_key(&r.key);
                ReminderRun {
                    reminder: named.map(|(reminder, _)| reminder.code().to_string()),
                    day: named.map(|(_, day)| day),
                    key: r.key,
                    recipients: r.recipients,
                    sent_at: r.sent_at,
                }
            })
            .collect();
        Ok(CalendarView { settings: view_of(cal.offset_minutes, &schedule), days, upcoming, recent, today })
    }

    /// The calendar for the page that changes it: only to those who may.
    pub async fn view_to_edit(&self, actor: &Actor) -> AppResult<CalendarView> {
        require(actor, Action::Write)?;
        self.view(actor).await
    }

    /// Org-wide HR sets the time zone and schedule; a schedule that makes no sense is refused
    /// field by field. The new time zone applies at once on this instance and within a minute
    /// on the others (their schedulers read it).
    pub async fn save(&self, actor: &Actor, input: CalendarSettings) -> AppResult<CalendarSettings> {
        require(actor, Action::Write)?;
        let mut issues = Vec::new();
        let offset = parse_offset(&input.utc_offset);
        if offset.is_none() {
            issues.push(FieldIssue::new("utc_offset", "invalid_format", "write the offset as +08:00"));
        }
        let schedule = Schedule {
            weekly_report: input.weekly_report,
            weekly_weekday: input.weekly_weekday,
            weekly_hour: input.weekly_hour,
            monthly_check_in: input.monthly_check_in,
            stale_goals: input.stale_goals,
            pending_approvals: input.pending_approvals,
            goal_setting: input.goal_setting,
            review_writing: input.review_writing,
            reminder_hour: input.reminder_hour,
        };
        let offset = offset.unwrap_or(calendar::DEFAULT_OFFSET_MINUTES);
        issues.extend(schedule.check(offset).into_iter().map(|(f, code, msg)| FieldIssue::new(f, code, msg)));
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let c = &self.app.db.conn;
        let before = repo::calendar(c).await?.unwrap_or_default();
        let now = self.app.clock.now();
        let settings = Settings { offset_minutes: offset, schedule };
        let after = view_of(offset, &schedule);
        let tx = self.app.db.begin_write().await?;
        repo::save_calendar(&*tx, &settings, actor.user_id, now).await?;
        let a = entry(
            actor,
            now,
            "org_calendar",
            Uuid::nil(),
            None,
            "update",
            json(&view_of(before.offset_minutes, &before.schedule)),
            json(&after),
            None,
        );
        tx.audit(vec![a]);
        tx.commit().await?;
        self.app.set_zone(Zone(offset));
        Ok(after)
    }

    /// Sets a holiday or make-up working day (replacing what that day was).
    pub async fn put_day(&self, actor: &Actor, day: NaiveDate, input: CalendarDayInput) -> AppResult<CalendarDay> {
        require(actor, Action::Write)?;
        let mut issues = Vec::new();
        let today = self.app.today();
        if (day - today).num_days().abs() > DAY_RANGE_DAYS {
            issues.push(FieldIssue::new("day", "out_of_range", "must be within three years of today"));
        }
        let name = text_field("name", input.name.as_deref(), 60, &mut issues);
        if name.is_none() && issues.iter().all(|i| i.field != "name") {
            issues.push(FieldIssue::new("name", "required", "name the day, e.g. 国庆节 or 调休上班"));
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let d = CalendarDay { day, working: input.working, name: name.unwrap_or_default() };
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        repo::put_day(&*tx, SpecialDay { day, working: d.working, name: d.name.clone() }).await?;
        let a = entry(actor, now, "calendar_day", Uuid::nil(), None, "set", None, json(&d), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(d)
    }

    /// Back to an ordinary day (Monday–Friday working, weekends off).
    pub async fn delete_day(&self, actor: &Actor, day: NaiveDate) -> AppResult<()> {
        require(actor, Action::Write)?;
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        if !repo::delete_day(&*tx, day).await? {
            return Err(AppError::NotFound("calendar_day"));
        }
        let a = entry(actor, now, "calendar_day", Uuid::nil(), None, "remove", json(&day), None, None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(())
    }
}
