//! The parts of the home page that come with a role: a manager's team, HR's review cycles, an
//! executive's strategy board.

use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::home::gone_quiet;
use waymark_domain::tracking::checkin::is_tracked;

use super::HomeService;
use crate::AppResult;
use crate::goals::PeriodView;
use crate::org::Person;
use crate::policy::Actor;
use crate::reviews::Progress;
use crate::tracking::StrategyBrief;

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

impl HomeService<'_> {
    /// The direct reports' goals of every period running today, person by person.
    pub(super) async fn team(&self, actor: &Actor, today: chrono::NaiveDate) -> AppResult<Option<TeamPulse>> {
        let goals = self.app.goals();
        let periods: Vec<PeriodView> =
            goals.periods(actor).await?.into_iter().filter(|p| p.starts_on <= today && today <= p.ends_on).collect();
        let mut people: Vec<(Person, Summary)> = Vec::new();
        for (who, goals) in goals.reports_running_goals(actor).await? {
            let mut s = Summary::default();
            let lit = |l: &str| goals.iter().filter(|g| g.light.as_deref() == Some(l)).count();
            (s.green, s.yellow, s.red) = (lit("green"), lit("yellow"), lit("red"));
            for g in goals.iter().filter(|g| is_tracked(&g.status)) {
                s.tracked = true;
                s.active_at = s.active_at.max(Some(g.last_update_at.unwrap_or(g.created_at)));
            }
            s.last_update_at = goals.iter().filter_map(|g| g.last_update_at).max();
            people.push((who, s));
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
            let (self_reviews, manager_reviews, peer_reviews) = reviews.progress(actor, cy.id).await?;
            out.push(CycleLine {
                id: cy.id,
                name: cy.name,
                current_stage: cy.current_stage,
                self_reviews,
                manager_reviews,
                peer_reviews,
            });
        }
        Ok(out)
    }

    pub(super) async fn strategy(&self, actor: &Actor) -> AppResult<Option<StrategyBrief>> {
        match self.app.tracking().strategy_brief(actor).await {
            Ok(b) => Ok(Some(b)),
            // No period yet: nothing to summarize.
            Err(crate::AppError::NotFound(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }
}
