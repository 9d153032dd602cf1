//! The HR board (T-5): for a period and a unit, completion and alignment, the status lights per
//! unit directly below, and the "进展异常" (red and yellow) and "更新滞后" (no update for the
//! organization's stale days) lists with filters, paging and CSV export. HR of the unit only:
//! the lists name people and goals, private ones included.

use std::collections::HashMap;
use waymark_domain::goals::period::Period;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use waymark_domain::org::Unit;
use waymark_store::repo::boards::{self as repo, BoardList};
use waymark_store::repo::goals as goals_repo;
use waymark_store::repo::org as org_repo;

use super::TrackingService;
use crate::import::{FileFormat, write_table};
use crate::policy::{Action, Actor, Facts, Resource, Scope, allowed};
use crate::{AppError, AppResult};

pub const BOARD_PAGE: u64 = 50;
/// Most rows in one export.
pub const EXPORT_MAX: u64 = 100_000;

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardQuery {
    /// Default: the current period.
    pub period: Option<Uuid>,
    /// Default: the whole organization (or the first unit of a unit's HR).
    pub unit: Option<Uuid>,
    /// abnormal (default) or stale.
    pub list: Option<String>,
    /// red or yellow: narrows the abnormal list.
    pub light: Option<String>,
    /// 1-based page of the list.
    #[param(minimum = 1)]
    pub page: Option<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema, Default)]
pub struct LightCounts {
    pub goals: i64,
    pub green: i64,
    pub yellow: i64,
    pub red: i64,
    /// Average progress, in %.
    pub completion_percent: f64,
    /// Share of goals fully achieved, in %.
    pub achieved_percent: f64,
    /// Share of goals (other than company goals) that support another goal, in %.
    pub alignment_percent: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UnitLights {
    pub unit_id: Uuid,
    pub name: String,
    /// The board's own unit (its own-level goals), not one below it.
    pub is_self: bool,
    pub counts: LightCounts,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoardGoalView {
    pub goal_id: Uuid,
    pub title: String,
    pub progress_percent: f64,
    pub unit_name: String,
    pub owner_name: String,
    pub owner_no: String,
    pub light: Option<String>,
    pub last_update_at: Option<DateTime<Utc>>,
    /// Calendar days since the last update (or since the goal was set, if never updated).
    pub days_silent: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HrBoard {
    pub period_id: Uuid,
    pub period_name: String,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub totals: LightCounts,
    pub units: Vec<UnitLights>,
    /// abnormal or stale.
    pub list: String,
    pub light: Option<String>,
    pub page: u64,
    pub total: i64,
    pub items: Vec<BoardGoalView>,
    pub stale_days: i64,
    /// As of when the lights counted here were judged.
    pub lights_as_of: LightsAsOf,
}

/// The lights a board counts are those stored by the check-ins and the nightly sweep: a light
/// that turns with the calendar alone (pace, silence) turns at the sweep. The board says when
/// the sweep last ran, and whether it has run today (a server down at midnight leaves
/// yesterday's lights standing until it runs).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LightsAsOf {
    /// When the sweep last finished; none if it never ran.
    pub swept_at: Option<DateTime<Utc>>,
    /// It ran on the organization's today: the lights are today's.
    pub today: bool,
}

/// Which list a board shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListKind {
    Abnormal,
    Stale,
}

/// A board request, checked.
struct Target {
    period: Period,
    unit: Unit,
    list: ListKind,
    light: Option<String>,
    page: u64,
    stale_days: i64,
}

#[derive(Default)]
struct Acc {
    goals: i64,
    green: i64,
    yellow: i64,
    red: i64,
    progress: i64,
    achieved: i64,
    aligned: i64,
    alignable: i64,
}

impl Acc {
    fn add(&mut self, c: &repo::UnitCount) {
        self.goals += c.goals;
        match c.light.as_deref() {
            Some("green") => self.green += c.goals,
            Some("yellow") => self.yellow += c.goals,
            Some("red") => self.red += c.goals,
            _ => {}
        }
        self.progress += c.progress_bp;
        self.achieved += c.achieved;
        self.aligned += c.aligned;
        self.alignable += c.alignable;
    }

    fn view(&self) -> LightCounts {
        let share = |n: i64, of: i64| if of == 0 { 0.0 } else { (n as f64 * 1000.0 / of as f64).round() / 10.0 };
        LightCounts {
            goals: self.goals,
            green: self.green,
            yellow: self.yellow,
            red: self.red,
            completion_percent: if self.goals == 0 {
                0.0
            } else {
                (self.progress as f64 / self.goals as f64 / 10.0).round() / 10.0
            },
            achieved_percent: share(self.achieved, self.goals),
            alignment_percent: share(self.aligned, self.alignable),
        }
    }
}

impl<'a> TrackingService<'a> {
    /// The unit the board is about, if the actor is HR over it.
    async fn board_unit(&self, actor: &Actor, unit: Option<Uuid>) -> AppResult<Unit> {
        let c = self.c();
        let scope = actor.hr.as_ref().ok_or(AppError::Forbidden)?;
        let id = match (unit, scope) {
            (Some(u), _) => u,
            (None, Scope::Organization) => {
                org_repo::child_units(c, None).await?.first().map(|u| u.id).ok_or(AppError::NotFound("unit"))?
            }
            (None, Scope::Units(units)) => {
                let all = org_repo::units_by_ids(c, &units.iter().copied().collect::<Vec<_>>()).await?;
                let top =
                    all.iter().filter(|u| u.parent_id.is_none_or(|p| !units.contains(&p))).min_by_key(|u| &u.name);
                top.map(|u| u.id).ok_or(AppError::Forbidden)?
            }
        };
        let facts = Facts { in_hr_scope: scope.covers(id), ..Facts::default() };
        if !allowed(actor, Action::Read, Resource::HrBoard, facts) {
            return Err(AppError::Forbidden);
        }
        org_repo::unit(c, id).await?.ok_or(AppError::NotFound("unit"))
    }

    /// What a board request is about, checked: HR over the unit, a known period, the list, the
    /// light filter and the page.
    async fn board_target(&self, actor: &Actor, q: &BoardQuery) -> AppResult<Target> {
        let c = self.c();
        let unit = self.board_unit(actor, q.unit).await?;
        let period = match q.period {
            Some(p) => goals_repo::period(c, p).await?.ok_or(AppError::NotFound("period"))?,
            None => {
                let today = self.app.today();
                let periods = goals_repo::periods(c).await?;
                let current = periods
                    .iter()
                    .filter(|p| p.starts_on <= today && today <= p.ends_on)
                    .min_by_key(|p| p.ends_on - p.starts_on);
                current.or(periods.first()).cloned().ok_or(AppError::NotFound("period"))?
            }
        };
        let (list, light) = self.board_filter(q)?;
        let page = match q.page {
            None => 1,
            Some(p) if p >= 1 => p as u64,
            Some(_) => return Err(AppError::field("page", "out_of_range", "pages start at 1")),
        };
        let stale_days = self.current_settings(c).await?.thresholds.stale_days;
        Ok(Target { period, unit, list, light, page, stale_days })
    }

    pub async fn hr_board(&self, actor: &Actor, q: &BoardQuery) -> AppResult<HrBoard> {
        let c = self.c();
        let t = self.board_target(actor, q).await?;
        let counts = repo::unit_counts(c, t.period.id, t.unit.id).await?;
        let mut per_unit: HashMap<Uuid, Acc> = HashMap::new();
        let mut totals = Acc::default();
        for row in &counts {
            per_unit.entry(row.unit_id).or_default().add(row);
            totals.add(row);
        }
        let names: HashMap<Uuid, String> = org_repo::units_by_ids(c, &per_unit.keys().copied().collect::<Vec<_>>())
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        let mut units: Vec<UnitLights> = per_unit
            .iter()
            .map(|(id, acc)| UnitLights {
                unit_id: *id,
                name: names.get(id).cloned().unwrap_or_default(),
                is_self: *id == t.unit.id,
                counts: acc.view(),
            })
            .collect();
        // Most red first: where attention is needed.
        units.sort_by(|a, b| (b.counts.red, b.counts.yellow, &a.name).cmp(&(a.counts.red, a.counts.yellow, &b.name)));
        let items = self.board_items(&t, BOARD_PAGE, (t.page - 1) * BOARD_PAGE, totals.red).await?;
        // The abnormal list's length is in the counts; the stale list's is an index range.
        let total = match (t.list, t.light.as_deref()) {
            (ListKind::Abnormal, Some("red")) => totals.red,
            (ListKind::Abnormal, Some(_)) => totals.yellow,
            (ListKind::Abnormal, None) => totals.red + totals.yellow,
            (ListKind::Stale, _) => repo::stale_count(c, t.period.id, t.unit.id, self.stale_cutoff(&t)).await?,
        };
        Ok(HrBoard {
            period_id: t.period.id,
            period_name: t.period.name,
            unit_id: t.unit.id,
            unit_name: t.unit.name,
            totals: totals.view(),
            units,
            list: if t.list == ListKind::Stale { "stale" } else { "abnormal" }.into(),
            light: t.light,
            page: t.page,
            total,
            items,
            stale_days: t.stale_days,
            lights_as_of: self.lights_as_of().await?,
        })
    }

    pub(crate) async fn lights_as_of(&self) -> AppResult<LightsAsOf> {
        let last = waymark_store::repo::tracking::last_sweep(self.c()).await?;
        let today = self.app.today();
        Ok(LightsAsOf {
            swept_at: last.as_ref().map(|r| r.finished_at),
            today: last.is_some_and(|r| r.on_date >= today),
        })
    }

    /// Goals last updated before this instant are stale: the start of the organization's day
    /// `stale_days - 1` days ago. The status light counts calendar days (no update for 14 days:
    /// the 14th day after the last update's), so the list must too — counting 14 × 24 hours
    /// from the update's time of day, a goal red at 00:10 joined the list at 10:10 (issue 22,
    /// item 5).
    fn stale_cutoff(&self, t: &Target) -> DateTime<Utc> {
        let first_fresh_day = self.app.today() - chrono::Duration::days(t.stale_days - 1);
        self.app.zone().instant(first_fresh_day, 0)
    }

    fn board_filter(&self, q: &BoardQuery) -> AppResult<(ListKind, Option<String>)> {
        let list = match q.list.as_deref() {
            None | Some("") | Some("abnormal") => ListKind::Abnormal,
            Some("stale") => ListKind::Stale,
            Some(_) => return Err(AppError::field("list", "invalid_choice", "must be abnormal or stale")),
        };
        let light = match q.light.as_deref() {
            None | Some("") => None,
            Some(l @ ("red" | "yellow")) => Some(l.to_string()),
            Some(_) => return Err(AppError::field("light", "invalid_choice", "must be red or yellow")),
        };
        Ok((list, light))
    }

    /// A page of the list: the abnormal list is its red goals, then its yellow ones (`reds` of
    /// them before, for a page past the red ones).
    async fn board_items(&self, t: &Target, limit: u64, offset: u64, reds: i64) -> AppResult<Vec<BoardGoalView>> {
        let c = self.c();
        let now = self.app.clock.now();
        let zone = self.app.zone();
        let (period, unit) = (t.period.id, t.unit.id);
        let rows = match (t.list, t.light.as_deref()) {
            (ListKind::Stale, _) => {
                repo::board_list(c, period, unit, BoardList::Stale(self.stale_cutoff(t)), limit, offset).await?
            }
            (ListKind::Abnormal, Some(l)) => {
                repo::board_list(c, period, unit, BoardList::Light(l), limit, offset).await?
            }
            (ListKind::Abnormal, None) => {
                let mut rows = repo::board_list(c, period, unit, BoardList::Light("red"), limit, offset).await?;
                let left = limit - rows.len() as u64;
                if left > 0 {
                    let skip = offset.saturating_sub(reds.max(0) as u64);
                    rows.extend(repo::board_list(c, period, unit, BoardList::Light("yellow"), left, skip).await?);
                }
                rows
            }
        };
        let unit_ids: Vec<Uuid> =
            rows.iter().map(|r| r.unit_id).collect::<std::collections::HashSet<_>>().into_iter().collect();
        let names: HashMap<Uuid, String> =
            org_repo::units_by_ids(c, &unit_ids).await?.into_iter().map(|u| (u.id, u.name)).collect();
        Ok(rows
            .into_iter()
            .map(|r| BoardGoalView {
                goal_id: r.goal_id,
                title: r.title,
                progress_percent: r.progress_bp as f64 / 100.0,
                unit_name: names.get(&r.unit_id).cloned().unwrap_or_default(),
                owner_name: r.owner_name,
                owner_no: r.owner_no,
                light: r.light,
                days_silent: (zone.date(now) - zone.date(r.last_update_at.unwrap_or(r.created_at))).num_days(),
                last_update_at: r.last_update_at,
            })
            .collect())
    }

    /// The chosen list in full (up to 100 000 rows) as CSV with a BOM, for Excel; the same
    /// checks as the board, without its counts.
    pub async fn hr_board_csv(&self, actor: &Actor, q: &BoardQuery, english: bool) -> AppResult<Vec<u8>> {
        let t = self.board_target(actor, q).await?;
        let items = self.board_items(&t, EXPORT_MAX, 0, 0).await?;
        let zone = self.app.zone();
        let header: [&str; 8] = if english {
            ["goal", "owner", "employee_no", "unit", "progress_percent", "status", "last_update", "days_silent"]
        } else {
            ["目标", "负责人", "工号", "部门", "进度(%)", "状态", "最近更新", "未更新天数"]
        };
        let mut table = vec![header.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
        table.extend(items.into_iter().map(|i| {
            let last = i.last_update_at.map(|t| zone.date(t).to_string()).unwrap_or_default();
            vec![
                i.title,
                i.owner_name,
                i.owner_no,
                i.unit_name,
                i.progress_percent.to_string(),
                i.light.unwrap_or_default(),
                last,
                i.days_silent.to_string(),
            ]
        }));
        write_table(&table, FileFormat::Csv)
    }
}
