//! The weekly report (T-2) and the manager's follow-up (T-6): a person's report of the week,
//! prefilled from their check-ins; the team digest with blockers and goals in trouble first;
//! acknowledging a report (which marks the week's check-ins seen); the follow-up rate.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::calendar::{month_of, week_start};
use waymark_domain::org::Employee;
use waymark_domain::tracking::weekly::{self as rules, Attention, PART_MAX, WeekCheckIn};
use waymark_store::entities::weekly_report;
use waymark_store::repo::weekly::{self as repo, DRAFT, SUBMITTED};
use waymark_store::repo::{goals as goals_repo, org as org_repo, workflow};

use super::TrackingService;
use crate::audit::{entry, json};
use crate::error::text_field;
use crate::goals::convert::from_e4;
use crate::inbox::{Message, notify};
use crate::policy::{Action, Actor, Resource, allowed};
use crate::{AppError, AppResult, FieldIssue};

/// How far back a report may still be written or changed.
const WRITABLE_WEEKS: i64 = 8;

/// A person's report of one week.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct WeeklyReportView {
    /// None until first saved.
    pub id: Option<Uuid>,
    pub employee_id: Uuid,
    pub employee_name: String,
    /// The week's Monday and Sunday.
    pub week_start: NaiveDate,
    pub week_end: NaiveDate,
    pub done: String,
    pub blockers: String,
    pub next_week: String,
    /// new (never saved: the text is prefilled from the week's check-ins), draft or submitted.
    pub state: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    /// The manager's comment with the acknowledgement.
    pub comment: Option<String>,
    /// How many check-ins the person made that week.
    pub check_ins: usize,
    /// The person may still change it (their own, not acknowledged, not too old).
    pub editable: bool,
}

/// A report to save; `submit` sends it to the manager (it stays editable until acknowledged).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct WeeklyReportInput {
    #[serde(default)]
    pub done: Option<String>,
    #[serde(default)]
    pub blockers: Option<String>,
    #[serde(default)]
    pub next_week: Option<String>,
    #[serde(default)]
    pub submit: bool,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct AcknowledgeInput {
    #[serde(default)]
    pub comment: Option<String>,
}

/// A goal of a report that needs attention.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct DigestGoal {
    pub goal_id: Uuid,
    pub title: String,
    pub light: Option<String>,
    pub open_alerts: i64,
}

/// One report in the team digest.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct DigestEntry {
    pub employee_id: Uuid,
    pub name: String,
    /// Their submitted report, if any.
    pub report: Option<WeeklyReportView>,
    pub red: u32,
    pub yellow: u32,
    pub open_alerts: u32,
    /// Their red and yellow goals and goals with open alerts.
    pub goals: Vec<DigestGoal>,
}

/// A manager's week: blockers first, then goals in trouble, then the rest (T-2).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamDigest {
    pub manager_id: Uuid,
    pub manager_name: String,
    pub week_start: NaiveDate,
    pub week_end: NaiveDate,
    pub reports: usize,
    pub submitted: usize,
    pub with_blockers: usize,
    pub entries: Vec<DigestEntry>,
}

/// Follow-up counts of one person (a report, or a manager on HR's list).
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
pub struct FollowUpLine {
    pub employee_id: Uuid,
    pub name: String,
    pub check_ins: u32,
    pub reviewed: u32,
    pub reports: u32,
    pub acknowledged: u32,
    /// Share followed up in %, none when there was nothing to follow up.
    pub rate: Option<f64>,
    /// 1:1s held in the month (F-1).
    pub one_on_ones: u32,
    /// For a manager: 1:1s held per direct report in the month.
    pub one_on_ones_per_report: Option<f64>,
}

/// A manager's follow-up in a month (T-6), per direct report.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowUpView {
    pub manager_id: Uuid,
    pub manager_name: String,
    /// The month's first and last day.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub total: FollowUpLine,
    pub reports: Vec<FollowUpLine>,
}

/// Managers' follow-up in a month for HR (T-6), lowest rate first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowUpBoard {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub managers: Vec<FollowUpLine>,
    pub total_managers: usize,
    pub page: u32,
    pub pages: u32,
}

/// What the follow-up page shows a reader (T-6): a manager's rate per report (their own, or a
/// named manager's), and for HR with no manager named, every manager in scope.
#[derive(Debug, Clone)]
pub struct FollowUpOverview {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub manager: Option<FollowUpView>,
    pub managers: Option<FollowUpBoard>,
}

pub const FOLLOW_UP_PAGE: usize = 50;

fn line(employee_id: Uuid, name: String, f: rules::FollowUp) -> FollowUpLine {
    FollowUpLine {
        employee_id,
        name,
        check_ins: f.check_ins,
        reviewed: f.reviewed,
        reports: f.reports,
        acknowledged: f.acknowledged,
        rate: f.rate().map(crate::goals::views::percent),
        one_on_ones: f.one_on_ones,
        one_on_ones_per_report: None,
    }
}

/// What a check-in reached, as the report shows it: the key result's value in its unit and %,
/// a deliverable's ✓/✗, or for a check-in on the whole goal, where the goal stands.
pub(crate) fn value_text(ci: &waymark_store::entities::check_in::Model, unit: Option<&str>) -> Option<String> {
    if let Some(done) = ci.done {
        return Some(if done { "✓".into() } else { "✗".into() });
    }
    if ci.key_result_id.is_none() {
        return Some(format!("{}%", (ci.goal_progress_bp as f64 / 100.0).round()));
    }
    let v = from_e4(ci.value_e4?);
    let mut s = format!("{}", (v * 100.0).round() / 100.0);
    if let Some(u) = unit.filter(|u| !u.is_empty()) {
        s.push(' ');
        s.push_str(u);
    }
    if let Some(p) = ci.kr_progress_bp {
        s.push_str(&format!(" ({}%)", (p as f64 / 100.0).round()));
    }
    Some(s)
}

impl TrackingService<'_> {
    async fn person(&self, id: Uuid) -> AppResult<Employee> {
        org_repo::employee(self.c(), id).await?.ok_or(AppError::NotFound("employee"))
    }

    async fn may(&self, actor: &Actor, action: Action, resource: Resource, target: &Employee) -> AppResult<()> {
        let facts = self.app.org().facts_for_employee(actor, target).await?;
        if allowed(actor, action, resource, facts) { Ok(()) } else { Err(AppError::Forbidden) }
    }

    fn view(&self, r: &weekly_report::Model, name: &str, check_ins: usize, own: bool) -> WeeklyReportView {
        WeeklyReportView {
            id: Some(r.id),
            employee_id: r.employee_id,
            employee_name: name.to_string(),
            week_start: r.week_start,
            week_end: r.week_start + Duration::days(6),
            done: r.done.clone(),
            blockers: r.blockers.clone(),
            next_week: r.next_week.clone(),
            state: r.state.clone(),
            submitted_at: r.submitted_at,
            acknowledged_by: r.acknowledged_name.clone(),
            acknowledged_at: r.acknowledged_at,
            comment: r.comment.clone(),
            check_ins,
            editable: own && r.acknowledged_at.is_none() && self.writable_week(r.week_start).is_ok(),
        }
    }

    /// A week that may be written: not in the future, not older than [`WRITABLE_WEEKS`].
    fn writable_week(&self, monday: NaiveDate) -> Result<(), FieldIssue> {
        let this_week = week_start(self.app.today());
        if monday > this_week {
            return Err(FieldIssue::new("week", "future_week", "a report is written during or after its week"));
        }
        if (this_week - monday).num_weeks() > WRITABLE_WEEKS {
            return Err(FieldIssue::new("week", "too_old", "reports older than 8 weeks can no longer change"));
        }
        Ok(())
    }

    /// The actor's report of the week holding `day` (this week by default): as saved, or a
    /// draft prefilled from that week's check-ins and goals behind pace.
    /// Whether the actor has submitted this week's report (the home page's to-do), without
    /// prefilling a draft as [`Self::my_week`] does.
    pub async fn week_submitted(&self, actor: &Actor) -> AppResult<bool> {
        let me = actor.employee_id.ok_or(AppError::NotFound("employee"))?;
        let person = self.person(me).await?;
        self.may(actor, Action::Read, Resource::WeeklyReport, &person).await?;
        let report = repo::report(self.c(), me, week_start(self.app.today())).await?;
        Ok(report.is_some_and(|r| r.state == SUBMITTED))
    }

    pub async fn my_week(&self, actor: &Actor, day: Option<NaiveDate>) -> AppResult<WeeklyReportView> {
        let me = actor.employee_id.ok_or(AppError::NotFound("employee"))?;
        let person = self.person(me).await?;
        self.may(actor, Action::Read, Resource::WeeklyReport, &person).await?;
        let monday = week_start(day.unwrap_or_else(|| self.app.today()));
        let c = self.c();
        let check_ins = repo::check_ins_by(c, me, monday, monday + Duration::days(6)).await?;
        if let Some(r) = repo::report(c, me, monday).await? {
            return Ok(self.view(&r, &person.name, check_ins.len(), true));
        }
        let draft = self.prefill(me, monday, &check_ins).await?;
        Ok(WeeklyReportView {
            id: None,
            employee_id: me,
            employee_name: person.name,
            week_start: monday,
            week_end: monday + Duration::days(6),
            done: draft.done,
            blockers: draft.blockers,
            next_week: draft.next_week,
            state: "new".into(),
            submitted_at: None,
            acknowledged_by: None,
            acknowledged_at: None,
            comment: None,
            check_ins: check_ins.len(),
            editable: self.writable_week(monday).is_ok(),
        })
    }

    async fn prefill(
        &self,
        me: Uuid,
        monday: NaiveDate,
        check_ins: &[waymark_store::entities::check_in::Model],
    ) -> AppResult<rules::Prefill> {
        let c = self.c();
        let goal_ids: Vec<Uuid> = check_ins.iter().map(|ci| ci.goal_id).collect();
        let records = goals_repo::goals(c, &goal_ids).await?;
        let goals: HashMap<Uuid, &goals_repo::GoalRecord> = records.iter().map(|r| (r.goal.id, r)).collect();
        let week: Vec<WeekCheckIn> = check_ins
            .iter()
            .filter_map(|ci| {
                let g = goals.get(&ci.goal_id)?;
                let kr = ci.key_result_id.and_then(|k| g.key_results.iter().find(|kr| kr.id == k));
                Some(WeekCheckIn {
                    goal: g.goal.title.clone(),
                    key_result: kr.map(|k| k.title.clone()),
                    value: value_text(ci, kr.and_then(|k| k.unit_label.as_deref())),
                    note: ci.note.clone(),
                    worried: matches!(ci.confidence.as_deref(), Some("at_risk" | "off_track")),
                })
            })
            .collect();
        // Next week: goals in trouble first, then those nobody touched this week.
        let running = repo::running_goals_of(c, &[me], monday + Duration::days(6)).await?;
        let touched: std::collections::HashSet<Uuid> = goal_ids.into_iter().collect();
        let mut behind: Vec<&repo::OwnedGoal> = running
            .iter()
            .filter(|g| matches!(g.light.as_deref(), Some("red" | "yellow")) || !touched.contains(&g.goal_id))
            .collect();
        behind.sort_by_key(|g| match g.light.as_deref() {
            Some("red") => 0,
            Some("yellow") => 1,
            _ => 2,
        });
        let titles: Vec<String> = behind.into_iter().take(10).map(|g| g.title.clone()).collect();
        Ok(rules::prefill(&week, &titles))
    }

    /// The actor's latest reports, newest first.
    pub async fn my_recent_weeks(&self, actor: &Actor) -> AppResult<Vec<WeeklyReportView>> {
        let me = actor.employee_id.ok_or(AppError::NotFound("employee"))?;
        let person = self.person(me).await?;
        let rows = repo::recent_reports(self.c(), me, 8).await?;
        Ok(rows.iter().map(|r| self.view(r, &person.name, 0, true)).collect())
    }

    /// Saves the actor's report of the week holding `day`, and with `submit` sends it: its
    /// manager hears at once when it names blockers. A report acknowledged by the manager no
    /// longer changes.
    pub async fn save_week(
        &self,
        actor: &Actor,
        day: NaiveDate,
        input: WeeklyReportInput,
    ) -> AppResult<WeeklyReportView> {
        let me = actor.employee_id.ok_or(AppError::NotFound("employee"))?;
        let person = self.person(me).await?;
        self.may(actor, Action::Write, Resource::WeeklyReport, &person).await?;
        let monday = week_start(day);
        let mut issues = Vec::new();
        if let Err(i) = self.writable_week(monday) {
            issues.push(i);
        }
        let c = self.c();
        let before = repo::report(c, me, monday).await?;
        if before.as_ref().is_some_and(|b| b.acknowledged_at.is_some()) {
            issues.push(FieldIssue::new("week", "acknowledged", "your manager has acknowledged this report"));
        }
        let done = text_field("done", input.done.as_deref(), PART_MAX, &mut issues).unwrap_or_default();
        let blockers = text_field("blockers", input.blockers.as_deref(), PART_MAX, &mut issues).unwrap_or_default();
        let next_week = text_field("next_week", input.next_week.as_deref(), PART_MAX, &mut issues).unwrap_or_default();
        if input.submit && done.is_empty() && blockers.is_empty() && next_week.is_empty() && issues.is_empty() {
            issues.push(FieldIssue::new("done", "required", "write what was done, blockers or next week's plan"));
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = self.app.clock.now();
        let was_submitted = before.as_ref().is_some_and(|b| b.state == SUBMITTED);
        let submitted = was_submitted || input.submit;
        let row = weekly_report::Model {
            id: before.as_ref().map(|b| b.id).unwrap_or_else(Uuid::now_v7),
            employee_id: me,
            week_start: monday,
            done,
            blockers,
            next_week,
            state: if submitted { SUBMITTED } else { DRAFT }.into(),
            submitted_at: before.as_ref().and_then(|b| b.submitted_at).or(submitted.then_some(now)),
            acknowledged_by: None,
            acknowledged_name: None,
            acknowledged_at: None,
            comment: None,
            created_at: before.as_ref().map(|b| b.created_at).unwrap_or(now),
            updated_at: now,
        };
        let tx = self.app.db.begin_write().await?;
        if !repo::save_report(&*tx, row).await? {
            return Err(AppError::field("week", "acknowledged", "your manager has acknowledged this report"));
        }
        // The stored row (a concurrent first save of the same week keeps the first id).
        let saved = repo::report(&*tx, me, monday).await?.ok_or(AppError::NotFound("weekly_report"))?;
        let action = if input.submit && !was_submitted { "submit" } else { "save" };
        let audit = entry(actor, now, "weekly_report", saved.id, Some(me), action, None, json(&monday), None);
        tx.audit(vec![audit]);
        if action == "submit"
            && !saved.blockers.is_empty()
            && let Some(manager) = person.manager_id
        {
            let users = workflow::users_of_employees(&*tx, &[manager]).await?;
            let week = monday.to_string();
            let m = Message {
                kind: "weekly-blockers",
                entity_type: "weekly_report",
                entity_id: saved.id,
                subject: &week,
                body: Some(&saved.blockers),
            };
            notify(&tx, actor, now, &users, m);
        }
        tx.commit().await?;
        let n = repo::check_ins_by(c, me, monday, monday + Duration::days(6)).await?.len();
        Ok(self.view(&saved, &person.name, n, true))
    }

    /// The team digest of a week (this week by default) for the actor's direct reports, or
    /// for another manager's (`manager`) if the actor manages them or is their HR.
    pub async fn team_digest(
        &self,
        actor: &Actor,
        day: Option<NaiveDate>,
        manager: Option<Uuid>,
    ) -> AppResult<TeamDigest> {
        let manager_id = manager.or(actor.employee_id).ok_or(AppError::NotFound("employee"))?;
        let boss = self.person(manager_id).await?;
        self.may(actor, Action::Read, Resource::FollowUp, &boss).await?;
        let monday = week_start(day.unwrap_or_else(|| self.app.today()));
        let sunday = monday + Duration::days(6);
        let c = self.c();
        let reports: Vec<Employee> =
            org_repo::direct_reports(c, manager_id).await?.into_iter().filter(|e| e.is_current()).collect();
        let ids: Vec<Uuid> = reports.iter().map(|e| e.id).collect();
        let weekly: HashMap<Uuid, weekly_report::Model> = repo::reports_of_week(c, &ids, monday)
            .await?
            .into_iter()
            .filter(|r| r.state == SUBMITTED)
            .map(|r| (r.employee_id, r))
            .collect();
        let mut goals: HashMap<Uuid, Vec<repo::OwnedGoal>> = HashMap::new();
        for g in repo::running_goals_of(c, &ids, sunday.min(self.app.today())).await? {
            goals.entry(g.employee_id).or_default().push(g);
        }
        let mut entries: Vec<(Attention, DigestEntry)> = reports
            .into_iter()
            .map(|e| {
                let theirs = goals.remove(&e.id).unwrap_or_default();
                let lit = |l: &str| theirs.iter().filter(|g| g.light.as_deref() == Some(l)).count() as u32;
                let (red, yellow) = (lit("red"), lit("yellow"));
                let open_alerts = theirs.iter().map(|g| g.open_alerts as u32).sum();
                let report = weekly.get(&e.id).map(|r| self.view(r, &e.name, 0, false));
                let attention = Attention {
                    blockers: report.as_ref().is_some_and(|r| !r.blockers.is_empty()),
                    red,
                    yellow,
                    open_alerts,
                };
                let mut trouble: Vec<DigestGoal> = theirs
                    .into_iter()
                    .filter(|g| matches!(g.light.as_deref(), Some("red" | "yellow")) || g.open_alerts > 0)
                    .map(|g| DigestGoal {
                        goal_id: g.goal_id,
                        title: g.title,
                        light: g.light,
                        open_alerts: g.open_alerts,
                    })
                    .collect();
                trouble.sort_by_key(|g| (g.light.as_deref() != Some("red"), -g.open_alerts));
                let entry =
                    DigestEntry { employee_id: e.id, name: e.name, report, red, yellow, open_alerts, goals: trouble };
                (attention, entry)
            })
            .collect();
        entries.sort_by(|a, b| rules::digest_order(&a.0, &b.0).then_with(|| a.1.name.cmp(&b.1.name)));
        let with_blockers = entries.iter().filter(|(a, _)| a.blockers).count();
        Ok(TeamDigest {
            manager_id,
            manager_name: boss.name,
            week_start: monday,
            week_end: sunday,
            reports: entries.len(),
            submitted: weekly.len(),
            with_blockers,
            entries: entries.into_iter().map(|(_, e)| e).collect(),
        })
    }

    /// A manager in the person's line acknowledges their submitted report, with a comment if
    /// they like; the week's check-ins count as seen. The person hears of it.
    pub async fn acknowledge(&self, actor: &Actor, id: Uuid, input: AcknowledgeInput) -> AppResult<WeeklyReportView> {
        let c = self.c();
        let r = repo::report_by_id(c, id).await?.ok_or(AppError::NotFound("weekly_report"))?;
        let person = self.person(r.employee_id).await?;
        self.may(actor, Action::Write, Resource::FollowUp, &person).await?;
        let reviewer = actor.employee_id.ok_or(AppError::Forbidden)?;
        let mut issues = Vec::new();
        if r.state != SUBMITTED {
            issues.push(FieldIssue::new("state", "not_submitted", "only a submitted report is acknowledged"));
        }
        if r.acknowledged_at.is_some() {
            issues.push(FieldIssue::new("state", "acknowledged", "this report is already acknowledged"));
        }
        let comment = text_field("comment", input.comment.as_deref(), 2000, &mut issues);
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = self.app.clock.now();
        let after = weekly_report::Model {
            acknowledged_by: Some(reviewer),
            acknowledged_name: Some(actor.display_name.clone()),
            acknowledged_at: Some(now),
            comment: comment.clone(),
            ..r.clone()
        };
        let tx = self.app.db.begin_write().await?;
        if !repo::acknowledge(&*tx, r.id, reviewer, &actor.display_name, comment.clone(), now).await? {
            return Err(AppError::field("state", "acknowledged", "this report is already acknowledged"));
        }
        let seen =
            repo::mark_reviewed(&*tx, r.employee_id, r.week_start, r.week_start + Duration::days(6), reviewer, now)
                .await?;
        let audit = entry(
            actor,
            now,
            "weekly_report",
            r.id,
            Some(r.employee_id),
            "acknowledge",
            None,
            json(&seen),
            comment.clone(),
        );
        tx.audit(vec![audit]);
        let users = workflow::users_of_employees(&*tx, &[r.employee_id]).await?;
        let week = r.week_start.to_string();
        let m = Message {
            kind: "weekly-acknowledged",
            entity_type: "weekly_report",
            entity_id: r.id,
            subject: &week,
            body: comment.as_deref(),
        };
        notify(&tx, actor, now, &users, m);
        tx.commit().await?;
        let n = repo::check_ins_by(c, r.employee_id, r.week_start, r.week_start + Duration::days(6)).await?.len();
        Ok(self.view(&after, &person.name, n, false))
    }

    /// A manager marks one check-in of a report seen (from the goal's timeline).
    pub async fn review_check_in(&self, actor: &Actor, check_in_id: Uuid) -> AppResult<()> {
        let c = self.c();
        let ci = super::repo::check_in(c, check_in_id).await?.ok_or(AppError::NotFound("check_in"))?;
        let author = ci
            .author_id
            .ok_or_else(|| AppError::field("check_in", "not_a_person", "a system's value needs no review"))?;
        let person = self.person(author).await?;
        self.may(actor, Action::Write, Resource::FollowUp, &person).await?;
        let reviewer = actor.employee_id.ok_or(AppError::Forbidden)?;
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        if repo::mark_one_reviewed(&*tx, check_in_id, reviewer, now).await? {
            let audit = entry(actor, now, "check_in", check_in_id, Some(author), "review", None, None, None);
            tx.audit(vec![audit]);
        }
        tx.commit().await?;
        Ok(())
    }

    /// A manager's follow-up in the month holding `day` (this month by default), per direct
    /// report: shown to the manager, their managers and HR.
    pub async fn follow_up(
        &self,
        actor: &Actor,
        manager: Option<Uuid>,
        day: Option<NaiveDate>,
    ) -> AppResult<FollowUpView> {
        let manager_id = manager.or(actor.employee_id).ok_or(AppError::NotFound("employee"))?;
        let boss = self.person(manager_id).await?;
        self.may(actor, Action::Read, Resource::FollowUp, &boss).await?;
        let (from, to) = month_of(day.unwrap_or_else(|| self.app.today()));
        let reports = org_repo::direct_reports(self.c(), manager_id).await?;
        let (lines, total) = follow_up_lines(self.c(), self.app.zone(), manager_id, &reports, from, to).await?;
        let team = reports.iter().filter(|e| e.is_current()).count();
        let per_report = total.one_on_ones_per_report(team).map(round1);
        Ok(FollowUpView {
            manager_id,
            total: FollowUpLine { one_on_ones_per_report: per_report, ..line(manager_id, boss.name.clone(), total) },
            manager_name: boss.name,
            from,
            to,
            reports: lines,
        })
    }

    /// The follow-up of the month holding `day` as the reader may see it: a manager's (the
    /// reader's own when they manage people, or `manager`'s), HR's list of managers, or both.
    pub async fn follow_up_overview(
        &self,
        actor: &Actor,
        manager: Option<Uuid>,
        day: Option<NaiveDate>,
        page: Option<i32>,
    ) -> AppResult<FollowUpOverview> {
        let (from, to) = month_of(day.unwrap_or_else(|| self.app.today()));
        let one = match manager.is_some() || actor.is_manager {
            true => Some(self.follow_up(actor, manager, Some(from)).await?),
            false => None,
        };
        let all = match manager.is_none() && actor.is_hr() {
            true => Some(self.follow_up_board(actor, Some(from), page).await?),
            false => None,
        };
        if one.is_none() && all.is_none() {
            return Err(AppError::Forbidden);
        }
        Ok(FollowUpOverview { from, to, manager: one, managers: all })
    }

    /// Every manager's follow-up in a month within the actor's HR scope, lowest rate first.
    pub async fn follow_up_board(
        &self,
        actor: &Actor,
        day: Option<NaiveDate>,
        page: Option<i32>,
    ) -> AppResult<FollowUpBoard> {
        let scope = actor.hr.clone().ok_or(AppError::Forbidden)?;
        if page.is_some_and(|p| p < 1) {
            return Err(AppError::field("page", "out_of_range", "pages start at 1"));
        }
        let (from, to) = month_of(day.unwrap_or_else(|| self.app.today()));
        let c = self.c();
        let mut per_manager: HashMap<Uuid, rules::FollowUp> = HashMap::new();
        for r in repo::follow_up(c, from, to, held_between(self.app.zone(), from, to), None).await? {
            per_manager.entry(r.manager_id).or_default().add(counts(&r));
        }
        let ids: Vec<Uuid> = per_manager.keys().copied().collect();
        let managers = org_repo::employees_by_ids(c, &ids).await?;
        let team_sizes: HashMap<Uuid, usize> = org_repo::direct_report_counts(c, &ids).await?.into_iter().collect();
        let mut lines: Vec<FollowUpLine> = managers
            .into_iter()
            .filter(|m| scope.covers(m.unit_id))
            .map(|m| {
                let f = per_manager[&m.id];
                let per_report = f.one_on_ones_per_report(team_sizes.get(&m.id).copied().unwrap_or(0));
                FollowUpLine { one_on_ones_per_report: per_report.map(round1), ..line(m.id, m.name, f) }
            })
            .collect();
        lines.sort_by(|a, b| {
            a.rate.unwrap_or(f64::MAX).total_cmp(&b.rate.unwrap_or(f64::MAX)).then_with(|| a.name.cmp(&b.name))
        });
        let total_managers = lines.len();
        let pages = total_managers.div_ceil(FOLLOW_UP_PAGE).max(1) as u32;
        let page = (page.unwrap_or(1) as u32).clamp(1, pages);
        let managers = lines.into_iter().skip((page as usize - 1) * FOLLOW_UP_PAGE).take(FOLLOW_UP_PAGE).collect();
        Ok(FollowUpBoard { from, to, managers, total_managers, page, pages })
    }
}

/// Each direct report's follow-up from `from` to `to` (those who left only if there was
/// something to follow up), and the manager's total.
pub(crate) async fn follow_up_lines<C: waymark_store::sea_orm::ConnectionTrait>(
    c: &C,
    zone: crate::clock::Zone,
    manager_id: Uuid,
    reports: &[Employee],
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<(Vec<FollowUpLine>, rules::FollowUp)> {
    let ids: Vec<Uuid> = reports.iter().map(|e| e.id).collect();
    let rows: HashMap<Uuid, repo::FollowUpRow> = repo::follow_up(c, from, to, held_between(zone, from, to), Some(&ids))
        .await?
        .into_iter()
        .filter(|r| r.manager_id == manager_id)
        .map(|r| (r.employee_id, r))
        .collect();
    let mut total = rules::FollowUp::default();
    let lines = reports
        .iter()
        .filter(|e| e.is_current() || rows.contains_key(&e.id))
        .map(|e| {
            let f = rows.get(&e.id).map(counts).unwrap_or_default();
            total.add(f);
            line(e.id, e.name.clone(), f)
        })
        .collect();
    Ok((lines, total))
}

fn counts(r: &repo::FollowUpRow) -> rules::FollowUp {
    rules::FollowUp {
        check_ins: r.check_ins as u32,
        reviewed: r.reviewed as u32,
        reports: r.reports as u32,
        acknowledged: r.acknowledged as u32,
        one_on_ones: r.one_on_ones as u32,
    }
}

/// The days `from` to `to` as instants on the organization's clock (1:1s are kept by time).
fn held_between(zone: crate::clock::Zone, from: NaiveDate, to: NaiveDate) -> (DateTime<Utc>, DateTime<Utc>) {
    (zone.instant(from, 0), zone.instant(to + Duration::days(1), 0))
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}
