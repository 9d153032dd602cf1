//! The recognition network for HR: over a quarter, who recognizes whom among the people
//! of HR's units — frequent givers and receivers, bridges between teams, people and teams
//! receiving none, flows between teams, activity per team month by month — and the quarter's
//! stars (绩效之星) with the words their colleagues wrote.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, Months, NaiveDate, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::recognition_network::{Edge, analyze};
use waymark_store::repo::{org as org_repo, recognition as repo};

use crate::org::Person;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::recognition::RecognitionService;
use crate::{AppError, AppResult};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NetworkView {
    /// The quarter, e.g. 2026-Q4.
    pub quarter: String,
    pub from: NaiveDate,
    /// The last day.
    pub to: NaiveDate,
    pub people: usize,
    pub kudos: i64,
    pub top_givers: Vec<PersonCount>,
    pub top_receivers: Vec<PersonCount>,
    /// People on the most paths between others: bridges between teams.
    pub bridges: Vec<PersonScore>,
    pub receiving_none: usize,
    /// The first 100 of them, by name.
    pub receiving_none_people: Vec<Person>,
    pub teams_receiving_none: Vec<TeamRef>,
    /// Kudos between different teams, most first (at most 50): the network picture's edges.
    pub team_flows: Vec<TeamFlow>,
    /// Kudos received per team and month (teams with any).
    pub activity: Vec<TeamActivity>,
    /// Betweenness from a sample of people (large organizations).
    pub sampled: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonCount {
    pub person: Person,
    pub team: String,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonScore {
    pub person: Person,
    pub team: String,
    /// Betweenness: how many pairs of others have their shortest recognition path through them.
    pub score: f64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamRef {
    pub id: Uuid,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamFlow {
    pub from: TeamRef,
    pub to: TeamRef,
    pub kudos: u32,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamActivity {
    pub team: TeamRef,
    /// Kudos received by the team's people in each month of the quarter, in order.
    pub months: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StarView {
    pub person: Person,
    pub team: String,
    pub kudos: u32,
    /// What colleagues wrote (the latest 5).
    pub stories: Vec<String>,
}

const TOP: usize = 10;

/// A person of the network: who, in which unit, called what.
struct Member {
    id: Uuid,
    unit_id: Uuid,
    name: String,
}

/// The quarter named `2026-Q4`, or the one containing `today`: first day, last day.
pub fn quarter(name: Option<&str>, today: NaiveDate) -> AppResult<(String, NaiveDate, NaiveDate)> {
    let (year, q) = match name {
        None => (today.year(), (today.month0() / 3) + 1),
        Some(s) => {
            let bad = || AppError::field("quarter", "invalid", "like 2026-Q4");
            let (y, q) = s.split_once("-Q").ok_or_else(bad)?;
            let (y, q): (i32, u32) = (y.parse().map_err(|_| bad())?, q.parse().map_err(|_| bad())?);
            if !(1..=4).contains(&q) || !(2000..=2100).contains(&y) {
                return Err(bad());
            }
            (y, q)
        }
    };
    let from = NaiveDate::from_ymd_opt(year, (q - 1) * 3 + 1, 1).expect("a quarter's first day");
    let to = from + Months::new(3) - chrono::Duration::days(1);
    Ok((format!("{year}-Q{q}"), from, to))
}

impl RecognitionService<'_> {
    /// The network of a quarter among the people of the actor's HR units.
    pub async fn network(&self, actor: &Actor, quarter_name: Option<&str>) -> AppResult<NetworkView> {
        if !allowed(actor, Action::Read, Resource::RecognitionNetwork, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let c = &self.app.db.conn;
        let started = std::time::Instant::now();
        let (name, from, to) = quarter(quarter_name, self.app.today())?;
        // The people (active, in the actor's units), the units and the quarter's monthly flows
        // (kept as kudos are given), read at once on separate connections.
        let (everyone, units, flows) = tokio::try_join!(
            org_repo::active_people(c),
            org_repo::all_units(c),
            repo::flows(c, from, from + Months::new(3)),
        )?;
        let read_ms = started.elapsed().as_millis();
        let scope = actor.hr.clone();
        let people: Vec<Member> = everyone
            .into_iter()
            .filter(|(_, unit, _)| scope.as_ref().is_some_and(|s| s.covers(*unit)))
            .map(|(id, unit_id, name)| Member { id, unit_id, name })
            .collect();
        let index: HashMap<Uuid, u32> = people.iter().enumerate().map(|(i, e)| (e.id, i as u32)).collect();
        let unit_index: HashMap<Uuid, u32> = units.iter().enumerate().map(|(i, u)| (u.id, i as u32)).collect();
        let team_of: Vec<u32> = people.iter().map(|e| unit_index.get(&e.unit_id).copied().unwrap_or(0)).collect();
        // The edges summed over the months, and each team's activity month by month.
        let mut kudos = 0i64;
        let mut pairs: HashMap<(u32, u32), u32> = HashMap::new();
        let mut activity: HashMap<Uuid, Vec<i64>> = HashMap::new();
        for (month, g, r, n) in flows {
            let (Some(&a), Some(&b)) = (index.get(&g), index.get(&r)) else { continue };
            let m = ((month.month0() + 12 - from.month0()) % 12).min(2) as usize;
            kudos += n as i64;
            *pairs.entry((a, b)).or_default() += n as u32;
            activity.entry(people[b as usize].unit_id).or_insert_with(|| vec![0; 3])[m] += n as i64;
        }
        let mut edges: Vec<Edge> = pairs.into_iter().map(|((from, to), count)| Edge { from, to, count }).collect();
        edges.sort_unstable_by_key(|e| (e.from, e.to));
        let seed = from.num_days_from_ce() as u64;
        let teams = units.len() as u32;
        let (prepared_ms, edge_count) = (started.elapsed().as_millis(), edges.len());
        // Betweenness is CPU work: off the request threads.
        let net = tokio::task::spawn_blocking(move || analyze(&team_of, teams, &edges, TOP, seed))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        // Where a slow answer's time went: the reads, building the edges, the analysis.
        tracing::info!(
            people = people.len(),
            edges = edge_count,
            read_ms,
            edges_ms = prepared_ms - read_ms,
            analysis_ms = started.elapsed().as_millis() - prepared_ms,
            "recognition network"
        );
        let person = |i: u32| {
            let e = &people[i as usize];
            Person { id: e.id, name: e.name.clone() }
        };
        let team = |u: u32| TeamRef { id: units[u as usize].id, name: units[u as usize].name.clone() };
        let team_name = |i: u32| {
            units
                .get(*unit_index.get(&people[i as usize].unit_id).unwrap_or(&0) as usize)
                .map(|u| u.name.clone())
                .unwrap_or_default()
        };
        let counted = |v: &[(u32, u32)]| {
            v.iter().map(|(p, n)| PersonCount { person: person(*p), team: team_name(*p), count: *n }).collect()
        };
        let mut none: Vec<Person> = net.receiving_none.iter().map(|p| person(*p)).collect();
        none.sort_by(|a, b| a.name.cmp(&b.name));
        let receiving_none = none.len();
        none.truncate(100);
        let mut activity: Vec<TeamActivity> = activity
            .into_iter()
            .filter_map(|(u, months)| unit_index.get(&u).map(|i| TeamActivity { team: team(*i), months }))
            .collect();
        activity.sort_by(|a, b| {
            b.months.iter().sum::<i64>().cmp(&a.months.iter().sum::<i64>()).then(a.team.name.cmp(&b.team.name))
        });
        Ok(NetworkView {
            quarter: name,
            from,
            to,
            people: people.len(),
            kudos,
            top_givers: counted(&net.top_givers),
            top_receivers: counted(&net.top_receivers),
            bridges: net
                .bridges
                .iter()
                .map(|(p, s)| PersonScore { person: person(*p), team: team_name(*p), score: (s * 10.0).round() / 10.0 })
                .collect(),
            receiving_none,
            receiving_none_people: none,
            teams_receiving_none: net.teams_receiving_none.iter().map(|u| team(*u)).collect(),
            team_flows: net
                .team_flows
                .iter()
                .take(50)
                .map(|(a, b, n)| TeamFlow { from: team(*a), to: team(*b), kudos: *n })
                .collect(),
            activity,
            sampled: net.sampled,
        })
    }

    /// The quarter's stars (绩效之星): the most recognized people with what was written about
    /// them. Everyone of the organization may read it; kudos seen only by a team are not quoted.
    pub async fn stars(&self, actor: &Actor, quarter_name: Option<&str>) -> AppResult<(String, Vec<StarView>)> {
        // What is quoted is organization-wide kudos: those who may read public kudos.
        if !allowed(actor, Action::Read, Resource::Kudos, Facts { public: true, ..Facts::default() }) {
            return Err(AppError::Forbidden);
        }
        let c = &self.app.db.conn;
        let (name, from, to) = quarter(quarter_name, self.app.today())?;
        let (cal, _) = self.app.calendar().current().await?;
        let (start, end): (DateTime<Utc>, DateTime<Utc>) =
            (cal.instant(from, 0), cal.instant(to + chrono::Duration::days(1), 0));
        let mut counts = repo::received_between(c, from, from + Months::new(3)).await?;
        counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        counts.truncate(5);
        let ids: Vec<Uuid> = counts.iter().map(|(p, _)| *p).collect();
        let employees: HashMap<Uuid, _> =
            org_repo::employees_by_ids(c, &ids).await?.into_iter().map(|e| (e.id, e)).collect();
        let units: HashMap<Uuid, String> = org_repo::all_units(c).await?.into_iter().map(|u| (u.id, u.name)).collect();
        let mut out = Vec::new();
        for (p, n) in counts {
            let Some(e) = employees.get(&p) else { continue };
            let stories = repo::received_kudos(c, p, start, end, 20)
                .await?
                .into_iter()
                .filter(|k| k.audience == "organization")
                .take(5)
                .map(|k| k.message)
                .collect();
            out.push(StarView {
                person: Person { id: e.id, name: e.name.clone() },
                team: units.get(&e.unit_id).cloned().unwrap_or_default(),
                kudos: n as u32,
                stories,
            });
        }
        Ok((name, out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn r3_quarters() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let (n, a, b) = quarter(None, d).unwrap();
        assert_eq!((n.as_str(), a.to_string(), b.to_string()), ("2026-Q4", "2026-10-01".into(), "2026-12-31".into()));
        let (_, a, b) = quarter(Some("2024-Q1"), d).unwrap();
        assert_eq!(
            (a.to_string(), b.to_string()),
            ("2024-01-01".into(), "2024-03-31".into()),
            "2024 is a leap year: 31 March"
        );
        assert!(quarter(Some("2026-Q5"), d).is_err());
        assert!(quarter(Some("Q4"), d).is_err());
    }
}
