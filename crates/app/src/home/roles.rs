//! The parts of the home page that come with a role: a manager's team, HR's review cycles, an
//! executive's strategy board.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::home::gone_quiet;
use waymark_domain::tracking::checkin::is_tracked;

use super::{HomeService, person};
use crate::AppResult;
use crate::goals::{GoalSummary, PeriodView};
use crate::org::Person;
use crate::policy::Actor;
use crate::reviews::Progress;
use crate::tracking::ExecutiveQuery;

/// A person's goals summed over the running periods.
#[derive(Default)]
struct Summary {
    green: usize,
    yellow: usize,
    red: usize,
    tracked: bool,
    last_update_at: Option<DateTime<Utc>>,
    /// The newest update, or setting, of a tracked goal: silence counts from there, as the status
    /// light counts it (a goal set yesterday is not silent).
    active_at: Option<DateTime<Utc>>,
}

/// A manager's direct reports and their goals of the periods running today (T-5's team board,
/// summed).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamPulse {
    pub periods: Vec<PeriodView>,
    pub people: usize,
    pub green: usize,
    pub yellow: usize,
    pub red: usize,
    /// Reports none of whose tracked goals was updated for the staleness days (T-3).
    pub quiet: Vec<QuietPerson>,
    pub stale_days: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuietPerson {
    pub person: Person,
    /// The newest update on any of their goals; none if never.
    pub last_update_at: Option<DateTime<Utc>>,
}

/// A launched review cycle HR oversees: where it stands and who is late.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CycleLine {
    pub id: Uuid,
    pub name: String,
    /// The stage open today (self_review, peer_review, manager_review, calibration …).
    pub current_stage: Option<String>,
    pub self_reviews: Progress,
    pub manager_reviews: Progress,
    pub peer_reviews: Progress,
}

/// The executive board in a few lines.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StrategySummary {
    pub period: PeriodView,
    /// The share of the period elapsed today, in %.
    pub pace_percent: f64,
    pub goals: Vec<StrategyLine>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StrategyLine {
    pub goal: GoalSummary,
    /// Lights of the goals supporting it (two levels).
    pub green: usize,
    pub yellow: usize,
    pub red: usize,
}

impl HomeService<'_> {
    /// The direct reports' goals of every period running today, person by person.
    pub(super) async fn team(&self, actor: &Actor, today: chrono::NaiveDate) -> AppResult<Option<TeamPulse>> {
        let goals = self.app.goals();
        let periods: Vec<PeriodView> =
            goals.periods(actor).await?.into_iter().filter(|p| p.starts_on <= today && today <= p.ends_on).collect();
        let mut people: Vec<(Person, Summary)> = Vec::new();
        for p in &periods {
            for m in goals.team_goals(actor, p.id).await? {
                let at = match people.iter().position(|(who, _)| who.id == m.employee_id) {
                    Some(i) => i,
                    None => {
                        people.push((person(m.employee_id, &m.name), Summary::default()));
                        people.len() - 1
                    }
                };
                let s = &mut people[at].1;
                s.green += m.green;
                s.yellow += m.yellow;
                s.red += m.red;
                for g in m.goals.iter().filter(|g| is_tracked(&g.status)) {
                    s.tracked = true;
                    s.active_at = s.active_at.max(Some(g.last_update_at.unwrap_or(g.created_at)));
                }
                s.last_update_at = s.last_update_at.max(m.last_update_at);
            }
        }
        if periods.is_empty() {
            return Ok(None);
        }
        let stale_days = self.app.tracking().current_settings(&self.app.db.conn).await?.thresholds.stale_days;
        let zone = self.app.zone();
        let quiet = people
            .iter()
            .filter(|(_, s)| gone_quiet(s.active_at.map(|t| zone.date(t)), s.tracked, today, stale_days))
            .map(|(p, s)| QuietPerson { person: p.clone(), last_update_at: s.last_update_at })
            .collect();
        Ok(Some(TeamPulse {
            periods,
            people: people.len(),
            green: people.iter().map(|(_, s)| s.green).sum(),
            yellow: people.iter().map(|(_, s)| s.yellow).sum(),
            red: people.iter().map(|(_, s)| s.red).sum(),
            quiet,
            stale_days,
        }))
    }

    pub(super) async fn cycles(&self, actor: &Actor) -> AppResult<Vec<CycleLine>> {
        let reviews = self.app.reviews();
        let mut out = Vec::new();
        for cy in reviews.cycles(actor).await?.into_iter().filter(|c| c.state == "launched") {
            let h = reviews.health(actor, cy.id).await?;
            out.push(CycleLine {
                id: cy.id,
                name: cy.name,
                current_stage: cy.current_stage,
                self_reviews: h.self_reviews,
                manager_reviews: h.manager_reviews,
                peer_reviews: h.peer_reviews,
            });
        }
        Ok(out)
    }

    pub(super) async fn strategy(&self, actor: &Actor) -> AppResult<Option<StrategySummary>> {
        let q = ExecutiveQuery { period: None };
        let board = match self.app.tracking().executive_board(actor, &q).await {
            Ok(b) => b,
            // No period yet: nothing to summarize.
            Err(crate::AppError::NotFound(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let goals = board
            .goals
            .into_iter()
            .map(|g| StrategyLine { goal: g.node.goal, green: g.green, yellow: g.yellow, red: g.red })
            .collect();
        Ok(Some(StrategySummary { period: board.period, pace_percent: board.pace_percent, goals }))
    }
}
