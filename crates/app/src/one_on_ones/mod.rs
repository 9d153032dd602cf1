//! 1:1s (F-1): a recurring cadence per manager–report pair and its meetings — their shared
//! agenda and notes, each participant's private note, action items that carry forward until
//! done, linked goals with their lights — ICS files and a per-user subscription feed, and
//! reminders before each meeting through the notification jobs.
//!
//! Everything of a 1:1 is the two participants' own (policy `OneOnOne`); a private note is its
//! author's alone (`PrivateNote`): it is read for nobody else, audited without its text and
//! leaves through no list, export or feed.

mod feed;
mod meeting;
mod schedule;

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::one_on_one::{self as rules, Cadence, Meeting, Series};
use waymark_domain::org::Employee;
use waymark_store::repo::{one_on_ones as repo, org as org_repo};

use crate::audit::{entry, json};
use crate::error::text_field;
pub use crate::org::Person;
use crate::org::employee_names as names;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppError, AppResult, FieldIssue};

pub use feed::FeedLink;
pub use meeting::{
    ActionInput, ActionView, AgendaInput, AgendaView, GoalLinkInput, MeetingView, NotesInput, RescheduleInput,
};
pub(crate) use schedule::{remind, top_up as top_up_series, top_up_all};

pub struct OneOnOneService<'a> {
    pub(crate) app: &'a App,
}

/// A new 1:1 cadence with the manager or a direct report (`with`), from the first meeting on.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SeriesInput {
    /// The other person: one of the actor's direct reports, or the actor's manager.
    pub with: Uuid,
    /// weekly, biweekly or monthly.
    #[schema(pattern = "^(weekly|biweekly|monthly)$")]
    pub cadence: String,
    /// The first meeting, on the organization's clock: `2026-12-03T14:00`.
    #[schema(example = "2026-12-03T14:00")]
    pub first_at: String,
    /// Minutes, 15–180.
    pub duration_min: u32,
    /// A room or a video link.
    #[serde(default)]
    pub location: Option<String>,
}

/// A change of a cadence: the meetings to come follow it (those rescheduled by hand or with
/// something in them stay where they are); `active: false` ends the 1:1s.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SeriesUpdate {
    #[schema(pattern = "^(weekly|biweekly|monthly)$")]
    pub cadence: String,
    #[schema(example = "2026-12-03T14:00")]
    pub first_at: String,
    pub duration_min: u32,
    #[serde(default)]
    pub location: Option<String>,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SeriesView {
    pub id: Uuid,
    pub manager_id: Uuid,
    pub manager_name: String,
    pub report_id: Uuid,
    pub report_name: String,
    pub cadence: String,
    pub first_at: DateTime<Utc>,
    pub duration_min: i32,
    pub location: Option<String>,
    pub active: bool,
    /// The next meeting still to come, if any.
    pub next: Option<MeetingSummary>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingSummary {
    pub id: Uuid,
    pub series_id: Uuid,
    pub manager_id: Uuid,
    pub manager_name: String,
    pub report_id: Uuid,
    pub report_name: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub duration_min: i32,
    /// scheduled, held or cancelled.
    pub state: String,
}

/// A person's 1:1s: their cadences, the meetings to come and the latest ones, and (for a
/// manager) the direct reports without a cadence yet.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OneOnOnesOverview {
    pub series: Vec<SeriesView>,
    pub upcoming: Vec<MeetingSummary>,
    pub recent: Vec<MeetingSummary>,
    /// Direct reports (and the person's own manager) with no 1:1s set up.
    pub without: Vec<Person>,
}

/// Reads a wall-clock time as forms and the API write it: `2026-12-03T14:00` (seconds allowed).
pub(crate) fn parse_local(field: &str, s: &str, issues: &mut Vec<FieldIssue>) -> Option<NaiveDateTime> {
    let s = s.trim();
    let t = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"));
    match t {
        Ok(t) if rules::sensible_start(t) => Some(t),
        Ok(_) => {
            issues.push(FieldIssue::new(field, "outside_hours", "a 1:1 starts between 06:00 and 22:00"));
            None
        }
        Err(_) => {
            issues.push(FieldIssue::new(field, "invalid_time", "write the time as 2026-12-03T14:00"));
            None
        }
    }
}

/// A meeting's length, for a cadence and for one meeting moved.
pub(crate) fn check_duration(minutes: u32, issues: &mut Vec<FieldIssue>) {
    if !rules::DURATIONS.contains(&minutes) {
        issues.push(FieldIssue::new("duration_min", "out_of_range", "must be 15 to 180 minutes"));
    }
}

/// The schedule a series input describes, checked field by field.
struct Schedule {
    cadence: Cadence,
    first: NaiveDateTime,
    duration: u32,
    location: Option<String>,
}

fn check_schedule(
    cadence: &str,
    first_at: &str,
    duration: u32,
    location: Option<&str>,
    today: chrono::NaiveDate,
) -> AppResult<Schedule> {
    let mut issues = Vec::new();
    let cadence = Cadence::parse(cadence.trim());
    if cadence.is_none() {
        issues.push(FieldIssue::new("cadence", "invalid_choice", "must be weekly, biweekly or monthly"));
    }
    let first = parse_local("first_at", first_at, &mut issues);
    if let Some(f) = first
        && (f.date() - today).num_days().abs() > 366
    {
        issues.push(FieldIssue::new("first_at", "out_of_range", "must be within a year of today"));
    }
    check_duration(duration, &mut issues);
    let location = text_field("location", location, 200, &mut issues);
    match (cadence, first) {
        (Some(cadence), Some(first)) if issues.is_empty() => Ok(Schedule { cadence, first, duration, location }),
        _ => Err(AppError::Invalid(issues)),
    }
}

impl OneOnOneService<'_> {
    fn c(&self) -> &waymark_store::sea_orm::DatabaseConnection {
        &self.app.db.conn
    }

    /// Whether the actor is one of the pair; anything else is "not found" to them, so a 1:1's
    /// existence is not told to people it does not concern.
    fn require(&self, actor: &Actor, resource: Resource, manager: Uuid, report: Uuid) -> AppResult<Uuid> {
        let me = actor.employee_id.ok_or(AppError::NotFound("one_on_one"))?;
        let facts = Facts { is_self: me == manager || me == report, ..Facts::default() };
        if allowed(actor, Action::Read, resource, facts) { Ok(me) } else { Err(AppError::NotFound("one_on_one")) }
    }

    /// Sets up a 1:1 cadence with a direct report or with the actor's own manager (or restarts
    /// an ended one), and schedules the coming meetings.
    pub async fn create_series(&self, actor: &Actor, input: SeriesInput) -> AppResult<SeriesView> {
        let me = actor.employee_id.ok_or(AppError::Forbidden)?;
        let c = self.c();
        let other = org_repo::employee(c, input.with)
            .await?
            .filter(|e| e.is_current())
            .ok_or_else(|| AppError::field("with", "unknown_employee", "no such person"))?;
        let (manager, report) = if other.manager_id == Some(me) {
            (me, other.id)
        } else if org_repo::employee(c, me).await?.and_then(|e| e.manager_id) == Some(other.id) {
            (other.id, me)
        } else {
            return Err(AppError::field("with", "not_direct", "1:1s are between a manager and a direct report"));
        };
        self.require(actor, Resource::OneOnOne, manager, report)?;
        let s = check_schedule(
            &input.cadence,
            &input.first_at,
            input.duration_min,
            input.location.as_deref(),
            self.app.today(),
        )?;
        let before = repo::series_of_pair(c, manager, report).await?;
        if before.as_ref().is_some_and(|b| b.active) {
            return Err(AppError::field("with", "exists", "these two have 1:1s already: change their cadence instead"));
        }
        let now = self.app.clock.now();
        let zone = self.app.zone();
        let next_number = match &before {
            Some(b) => next_occurrence(c, b.id).await?,
            None => 0,
        };
        let row = Series {
            id: before.as_ref().map(|b| b.id).unwrap_or_else(Uuid::now_v7),
            manager_id: manager,
            report_id: report,
            cadence: s.cadence,
            first_at: zone.at(s.first),
            first_occurrence: next_number,
            duration_min: s.duration as i32,
            location: s.location,
            active: true,
            created_by: actor.user_id,
            created_at: before.as_ref().map(|b| b.created_at).unwrap_or(now),
            updated_at: now,
        };
        let tx = self.app.db.begin_write().await?;
        match &before {
            Some(_) => repo::update_series(&*tx, row.clone()).await?,
            None => repo::insert_series(&*tx, row.clone()).await?,
        }
        let (cal, _) = self.app.calendar().current().await?;
        schedule::top_up(self.app, &*tx, &row, &cal, now).await?;
        let a = entry(
            actor,
            now,
            "one_on_one_series",
            row.id,
            Some(report),
            "create",
            before.as_ref().and_then(series_json),
            series_json(&row),
            None,
        );
        tx.audit(vec![a]);
        tx.commit().await?;
        self.series_view(actor, row.id).await
    }

    /// Changes a cadence (or ends it). Meetings to come that nobody touched follow the new
    /// schedule; those rescheduled by hand or holding an agenda, notes or action items stay.
    pub async fn update_series(&self, actor: &Actor, id: Uuid, input: SeriesUpdate) -> AppResult<SeriesView> {
        let c = self.c();
        let before = repo::series(c, id).await?.ok_or(AppError::NotFound("one_on_one"))?;
        self.require(actor, Resource::OneOnOne, before.manager_id, before.report_id)?;
        let s = check_schedule(
            &input.cadence,
            &input.first_at,
            input.duration_min,
            input.location.as_deref(),
            self.app.today(),
        )?;
        let now = self.app.clock.now();
        let zone = self.app.zone();
        let schedule_changed = before.cadence != s.cadence
            || before.first_at != zone.at(s.first)
            || before.duration_min != s.duration as i32
            || before.location != s.location;
        // Meetings still to come that follow the schedule and hold nothing are made again.
        let coming = repo::meetings_of_series_from(c, id, now).await?;
        let candidates: Vec<Uuid> = coming.iter().filter(|m| m.is_scheduled() && !m.moved).map(|m| m.id).collect();
        let kept: std::collections::HashSet<Uuid> =
            repo::meetings_with_content(c, &candidates).await?.into_iter().collect();
        let stale: Vec<Uuid> = candidates.into_iter().filter(|m| !kept.contains(m)).collect();
        let after = Series {
            cadence: s.cadence,
            first_at: zone.at(s.first),
            first_occurrence: if schedule_changed { next_occurrence(c, id).await? } else { before.first_occurrence },
            duration_min: s.duration as i32,
            location: s.location,
            active: input.active,
            updated_at: now,
            ..before.clone()
        };
        let tx = self.app.db.begin_write().await?;
        if schedule_changed || !input.active {
            repo::delete_meetings(&*tx, &stale).await?;
        }
        repo::update_series(&*tx, after.clone()).await?;
        if after.active {
            let (cal, _) = self.app.calendar().current().await?;
            schedule::top_up(self.app, &*tx, &after, &cal, now).await?;
        }
        let action = if input.active { "update" } else { "end" };
        let a = entry(
            actor,
            now,
            "one_on_one_series",
            id,
            Some(after.report_id),
            action,
            series_json(&before),
            series_json(&after),
            None,
        );
        tx.audit(vec![a]);
        tx.commit().await?;
        self.series_view(actor, id).await
    }

    pub async fn series_view(&self, actor: &Actor, id: Uuid) -> AppResult<SeriesView> {
        let c = self.c();
        let s = repo::series(c, id).await?.ok_or(AppError::NotFound("one_on_one"))?;
        self.require(actor, Resource::OneOnOne, s.manager_id, s.report_id)?;
        let names = names(c, &[s.manager_id, s.report_id]).await?;
        let now = self.app.clock.now();
        let next = repo::meetings_of_series_from(c, id, now)
            .await?
            .into_iter()
            .find(Meeting::is_scheduled)
            .map(|m| summary(&m, &names));
        Ok(series_view(&s, &names, next))
    }

    /// The actor's 1:1s: cadences, the next 8 weeks' meetings, the last 90 days' and who has
    /// none yet among their direct reports and their manager.
    /// The actor's 1:1s still scheduled on the organization's calendar day `day` (the home page's
    /// to-dos): only meetings the actor is one of the two of.
    pub async fn scheduled_on(&self, actor: &Actor, day: chrono::NaiveDate) -> AppResult<Vec<MeetingSummary>> {
        let Some(me) = actor.employee_id else { return Ok(vec![]) };
        let c = self.c();
        let zone = self.app.zone();
        let (from, to) = (zone.instant(day, 0), zone.instant(day + chrono::Duration::days(1), 0));
        let meetings: Vec<Meeting> =
            repo::meetings_of(c, me, from, to).await?.into_iter().filter(Meeting::is_scheduled).collect();
        if meetings.is_empty() {
            return Ok(vec![]);
        }
        let ids: Vec<Uuid> = meetings.iter().flat_map(|m| [m.manager_id, m.report_id]).collect();
        let names = names(c, &ids).await?;
        Ok(meetings.iter().map(|m| summary(m, &names)).collect())
    }

    pub async fn overview(&self, actor: &Actor) -> AppResult<OneOnOnesOverview> {
        let me = actor.employee_id.ok_or(AppError::NotFound("employee"))?;
        let c = self.c();
        let now = self.app.clock.now();
        let series = repo::series_of(c, me).await?;
        let meetings = repo::meetings_of(
            c,
            me,
            now - chrono::Duration::days(90),
            now + chrono::Duration::days(rules::HORIZON_DAYS),
        )
        .await?;
        let mut people: Vec<Employee> = org_repo::direct_reports(c, me).await?;
        people.retain(|e| e.is_current());
        if let Some(boss) = org_repo::employee(c, me).await?.and_then(|e| e.manager_id) {
            people.extend(org_repo::employee(c, boss).await?);
        }
        let mut ids: Vec<Uuid> = series.iter().flat_map(|s| [s.manager_id, s.report_id]).collect();
        ids.extend(meetings.iter().flat_map(|m| [m.manager_id, m.report_id]));
        ids.sort();
        ids.dedup();
        let names = names(c, &ids).await?;
        // Still to come: scheduled and not over; the rest, newest first, is what happened.
        let (coming, past): (Vec<&Meeting>, Vec<&Meeting>) =
            meetings.iter().partition(|m| m.is_scheduled() && m.ends_at() >= now);
        let upcoming: Vec<MeetingSummary> = coming.into_iter().map(|m| summary(m, &names)).collect();
        let recent: Vec<MeetingSummary> = past.into_iter().rev().map(|m| summary(m, &names)).collect();
        let with_series: std::collections::HashSet<Uuid> =
            series.iter().filter(|s| s.active).flat_map(|s| [s.manager_id, s.report_id]).collect();
        let without = people
            .into_iter()
            .filter(|p| !with_series.contains(&p.id))
            .map(|p| Person { id: p.id, name: p.name })
            .collect();
        let views = series
            .iter()
            .map(|s| {
                let next = upcoming.iter().find(|m| m.series_id == s.id).cloned();
                series_view(s, &names, next)
            })
            .collect();
        Ok(OneOnOnesOverview { series: views, upcoming, recent, without })
    }
}

/// The occurrence number after every meeting a series has made.
async fn next_occurrence<C: waymark_store::sea_orm::ConnectionTrait>(c: &C, series: Uuid) -> AppResult<i32> {
    Ok(repo::occurrences_of(c, series).await?.into_iter().max().map(|n| n + 1).unwrap_or(0))
}

pub(crate) fn summary(m: &Meeting, names: &std::collections::HashMap<Uuid, String>) -> MeetingSummary {
    MeetingSummary {
        id: m.id,
        series_id: m.series_id,
        manager_id: m.manager_id,
        manager_name: names.get(&m.manager_id).cloned().unwrap_or_default(),
        report_id: m.report_id,
        report_name: names.get(&m.report_id).cloned().unwrap_or_default(),
        starts_at: m.starts_at,
        ends_at: m.ends_at(),
        duration_min: m.duration_min,
        state: m.state.code().into(),
    }
}

fn series_view(
    s: &Series,
    names: &std::collections::HashMap<Uuid, String>,
    next: Option<MeetingSummary>,
) -> SeriesView {
    SeriesView {
        id: s.id,
        manager_id: s.manager_id,
        manager_name: names.get(&s.manager_id).cloned().unwrap_or_default(),
        report_id: s.report_id,
        report_name: names.get(&s.report_id).cloned().unwrap_or_default(),
        cadence: s.cadence.code().into(),
        first_at: s.first_at,
        duration_min: s.duration_min,
        location: s.location.clone(),
        active: s.active,
        next,
    }
}

fn series_json(s: &Series) -> Option<String> {
    json(&serde_json::json!({
        "manager_id": s.manager_id, "report_id": s.report_id, "cadence": s.cadence.code(), "first_at": s.first_at,
        "duration_min": s.duration_min, "location": s.location, "active": s.active,
    }))
}
