//! Goal periods (G-3): year, half, quarter, month or custom, set by org-wide HR, each with an
//! optional goal-setting deadline (T-6) before which people who have not submitted goals are
//! reminded.

use chrono::{Duration, NaiveDate};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::goals::period::{Period, PeriodKind};
use waymark_domain::org as rules;
use waymark_store::repo::goals as repo;

use super::{GoalService, PeriodView, one_of};
use crate::audit::{entry, json};
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{AppError, AppResult, FieldIssue};

/// A deadline may come this long before its period starts (goals are often agreed ahead).
const DEADLINE_LEAD_DAYS: i64 = 90;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PeriodInput {
    pub name: String,
    #[schema(pattern = "^(year|half|quarter|month|custom)$")]
    pub kind: String,
    #[schema(format = Date)]
    pub starts_on: String,
    #[schema(format = Date)]
    pub ends_on: String,
    /// The goal-setting deadline (目标制定截止日), blank for none: no later than the period's
    /// end and no earlier than 90 days before its start.
    #[serde(default)]
    #[schema(pattern = r"^\s*(\d{4}-\d{2}-\d{2})?\s*$")]
    pub setting_due_on: Option<String>,
}

/// What can change on a period once goals may hang on its dates: its name and deadline.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PeriodUpdate {
    pub name: String,
    /// Blank or absent removes the deadline.
    #[serde(default)]
    #[schema(pattern = r"^\s*(\d{4}-\d{2}-\d{2})?\s*$")]
    pub setting_due_on: Option<String>,
}

fn date(field: &str, v: &str, issues: &mut Vec<FieldIssue>) -> Option<NaiveDate> {
    match rules::parse_date(v) {
        Ok(Some(d)) => Some(d),
        _ => {
            issues.push(FieldIssue::new(field, "invalid_date", "is not a date (use YYYY-MM-DD)"));
            None
        }
    }
}

/// The deadline as entered (blank is none), checked against the period's dates.
fn deadline(v: Option<&str>, starts: NaiveDate, ends: NaiveDate, issues: &mut Vec<FieldIssue>) -> Option<NaiveDate> {
    let v = v.map(str::trim).filter(|v| !v.is_empty())?;
    let d = date("setting_due_on", v, issues)?;
    if d > ends {
        issues.push(FieldIssue::new("setting_due_on", "after_period_end", "the deadline is after the period ends"));
    } else if d < starts - Duration::days(DEADLINE_LEAD_DAYS) {
        issues.push(FieldIssue::new(
            "setting_due_on",
            "too_early",
            "the deadline is more than 90 days before the period starts",
        ));
    }
    Some(d)
}

fn name_of(v: &str, issues: &mut Vec<FieldIssue>) -> String {
    rules::required_text(v, 60)
        .map_err(|e| issues.push(FieldIssue::new("name", e.code(), e.message())))
        .unwrap_or_default()
}

fn audit_json(p: &Period) -> Option<String> {
    json(&serde_json::json!({
        "name": p.name, "kind": p.kind.code(), "starts_on": p.starts_on, "ends_on": p.ends_on,
        "setting_due_on": p.setting_due_on,
    }))
}

impl GoalService<'_> {
    fn may_set_periods(&self, actor: &Actor) -> AppResult<()> {
        if allowed(actor, Action::Write, Resource::GoalPeriod, Facts::default()) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// Periods are set by org-wide HR (G-3).
    pub async fn create_period(&self, actor: &Actor, input: PeriodInput) -> AppResult<PeriodView> {
        self.may_set_periods(actor)?;
        let mut issues = Vec::new();
        let name = name_of(&input.name, &mut issues);
        let kind = PeriodKind::parse(&input.kind);
        one_of("kind", &input.kind, &PeriodKind::codes(), &mut issues);
        let starts = date("starts_on", &input.starts_on, &mut issues);
        let ends = date("ends_on", &input.ends_on, &mut issues);
        let mut due = None;
        if let (Some(s), Some(e)) = (starts, ends) {
            if e < s {
                issues.push(FieldIssue::new("ends_on", "ends_before_start", "the period ends before it starts"));
            }
            due = deadline(input.setting_due_on.as_deref(), s, e, &mut issues);
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        if repo::period_by_name(self.c(), &name).await?.is_some() {
            return Err(AppError::field("name", "duplicate_name", "another period has this name"));
        }
        let now = self.app.clock.now();
        // Each is there: a missing one was named in `issues` above.
        let (Some(kind), Some(starts_on), Some(ends_on)) = (kind, starts, ends) else {
            return Err(AppError::Invalid(issues));
        };
        let p = Period { id: Uuid::now_v7(), name, kind, starts_on, ends_on, setting_due_on: due, created_at: now };
        let tx = self.app.db.begin_write().await?;
        repo::insert_period(&*tx, p.clone()).await?;
        let a = entry(actor, now, "goal_period", p.id, None, "create", None, audit_json(&p), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(PeriodView::from(p))
    }

    /// Renames a period or sets its goal-setting deadline (org-wide HR). Its dates stay: goals,
    /// alignments and check-in windows depend on them.
    pub async fn update_period(&self, actor: &Actor, id: Uuid, input: PeriodUpdate) -> AppResult<PeriodView> {
        self.may_set_periods(actor)?;
        let before = repo::period(self.c(), id).await?.ok_or(AppError::NotFound("period"))?;
        let mut issues = Vec::new();
        let name = name_of(&input.name, &mut issues);
        let due = deadline(input.setting_due_on.as_deref(), before.starts_on, before.ends_on, &mut issues);
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        if repo::period_by_name(self.c(), &name).await?.is_some_and(|p| p.id != id) {
            return Err(AppError::field("name", "duplicate_name", "another period has this name"));
        }
        let after = Period { name, setting_due_on: due, ..before.clone() };
        if after == before {
            return Ok(PeriodView::from(after));
        }
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        repo::update_period(&*tx, after.clone()).await?;
        let a = entry(actor, now, "goal_period", id, None, "update", audit_json(&before), audit_json(&after), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(PeriodView::from(after))
    }

    /// All periods and the one a page shows: the one asked for, else the most recently started
    /// one that contains today, else the newest.
    pub async fn periods_with_current(
        &self,
        actor: &Actor,
        asked: Option<Uuid>,
    ) -> AppResult<(Vec<PeriodView>, Option<PeriodView>)> {
        let periods = self.periods(actor).await?;
        let today = self.app.today();
        let current = asked
            .and_then(|id| periods.iter().find(|p| p.id == id))
            .or_else(|| {
                periods.iter().filter(|p| p.starts_on <= today && today <= p.ends_on).max_by_key(|p| p.starts_on)
            })
            .or_else(|| periods.first())
            .cloned();
        Ok((periods, current))
    }

    pub async fn periods(&self, actor: &Actor) -> AppResult<Vec<PeriodView>> {
        if !allowed(actor, Action::Read, Resource::GoalPeriod, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        Ok(repo::periods(self.c()).await?.into_iter().map(PeriodView::from).collect())
    }

    /// The periods for the page that sets them: only to those who may.
    pub async fn periods_to_edit(&self, actor: &Actor) -> AppResult<Vec<PeriodView>> {
        self.may_set_periods(actor)?;
        self.periods(actor).await
    }
}
