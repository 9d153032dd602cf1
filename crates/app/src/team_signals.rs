//! Team signals (SPEC I-4; issue 26, item 1): each unit of HR's scope, and a manager's line as
//! one group, read by `waymark_domain::signals::team` from the same facts as people's signals.
//! Computed when asked from a narrow read (results and hours, once for everyone); groups under
//! five are never read, and nothing names a person.

use std::collections::{HashMap, HashSet};

use chrono::Duration;
use serde::Serialize;
use uuid::Uuid;
use waymark_domain::signals::team::{MIN_TEAM, TeamHint, assess_team, organization_mean, team_facts};
use waymark_domain::signals::{self, PersonFacts, Windows};
use waymark_store::repo::org as org_repo;
use waymark_store::repo::signals as repo;

use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::signals::SignalService;
use crate::{AppError, AppResult};

/// Days back a leaver counts against their team.
const LEAVER_DAYS: i64 = 365;

/// One group as its reader sees it.
#[derive(Debug, Clone, Serialize)]
pub struct TeamView {
    /// The unit, or none for the reader's own line.
    pub unit: Option<Uuid>,
    /// The unit's path (集团 / 研发中心 / 平台组), or none for the reader's own line.
    pub name: Option<String>,
    pub people: usize,
    pub hints: Vec<TeamHint>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TeamSignals {
    /// Groups with a hint first, then by name; groups under five are left out.
    pub teams: Vec<TeamView>,
    /// Groups of five or more read.
    pub read: usize,
    /// Groups under five, not read.
    pub too_small: usize,
    /// The organization's mean latest result (0–100) the results are held against.
    pub organization_mean: Option<f64>,
}

/// A group before it is read: its unit (none for a line), name, people's facts and leavers.
struct Group<'a> {
    unit: Option<Uuid>,
    name: Option<String>,
    people: Vec<&'a PersonFacts>,
    left: usize,
}

impl SignalService<'_> {
    /// The team signals the actor may read: HR each unit of their scope (its own people), a
    /// manager their whole line as one group. Others: forbidden.
    pub async fn teams(&self, actor: &Actor) -> AppResult<TeamSignals> {
        let c = &self.app.db.conn;
        let line_facts = Facts { manages: true, ..Facts::default() };
        let as_manager = actor.is_manager && allowed(actor, Action::Read, Resource::SignalCounts, line_facts);
        let hr_covers = |unit: Uuid| {
            actor.hr.as_ref().is_some_and(|s| s.covers(unit))
                && allowed(actor, Action::Read, Resource::SignalCounts, Facts { in_hr_scope: true, ..Facts::default() })
        };
        if !as_manager && !actor.is_hr() {
            return Err(AppError::Forbidden);
        }
        let now = self.app.clock.now();
        let today = self.app.today();
        let w = Windows::new(today);
        // Only what the team rules read (results and hours), not every person's whole facts.
        let facts = signals::gather(repo::team_inputs(c, &w, now).await?, &w);
        let organization = organization_mean(facts.values());
        let placements = repo::placements(c).await?;
        let leavers = repo::leavers_placed(c, today - Duration::days(LEAVER_DAYS), today).await?;
        let mut groups: Vec<Group> = Vec::new();
        if actor.is_hr() {
            let paths = self.app.org().unit_paths().await?;
            let mut members: HashMap<Uuid, Vec<&PersonFacts>> = HashMap::new();
            for (person, unit, _) in &placements {
                if let Some(f) = facts.get(person) {
                    members.entry(*unit).or_default().push(f);
                }
            }
            let mut left: HashMap<Uuid, usize> = HashMap::new();
            for (_, unit, _) in &leavers {
                *left.entry(*unit).or_default() += 1;
            }
            for (unit, people) in members {
                if !hr_covers(unit) {
                    continue;
                }
                let name = paths.get(&unit).map(|(_, path)| path.clone());
                groups.push(Group { unit: Some(unit), name, people, left: left.get(&unit).copied().unwrap_or(0) });
            }
        } else if let Some(me) = actor.employee_id {
            let line: HashSet<Uuid> = org_repo::all_reports(c, me).await?.into_iter().collect();
            let people: Vec<&PersonFacts> = line.iter().filter_map(|p| facts.get(p)).collect();
            // Those who left from the line: their manager was the reader or someone in it.
            let left = leavers.iter().filter(|(_, _, m)| m.is_some_and(|m| m == me || line.contains(&m))).count();
            groups.push(Group { unit: None, name: None, people, left });
        }
        let too_small = groups.iter().filter(|g| g.people.len() < MIN_TEAM).count();
        let mut teams: Vec<TeamView> = groups
            .into_iter()
            .filter(|g| g.people.len() >= MIN_TEAM)
            .map(|g| TeamView {
                hints: assess_team(&team_facts(&g.people, g.left), organization),
                unit: g.unit,
                name: g.name,
                people: g.people.len(),
            })
            .collect();
        teams.sort_by(|a, b| a.hints.is_empty().cmp(&b.hints.is_empty()).then_with(|| a.name.cmp(&b.name)));
        Ok(TeamSignals { read: teams.len(), teams, too_small, organization_mean: organization })
    }
}
