//! Recommended actions for a report's areas, from the organization's own records: mentors are
//! colleagues rated a stable strength in the dimension whose development evidence the viewer
//! may see (so a recommendation never tells a manager about someone outside their reach);
//! courses and projects are those that at least [`MIN_PEOPLE`] colleagues' plans name for the
//! dimension (one person's action may be private; several people's is a course), most
//! completed first.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use uuid::Uuid;
use waymark_domain::development_report::{Analysis, Assessment, RatingSum, STRENGTH_MEAN, same_dimension};
use waymark_store::repo::{development_report as repo, org as org_repo};

use crate::org::Person;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppResult};

/// Mentors, courses and projects offered per area.
pub const PER_AREA: usize = 3;
/// An action is offered when at least this many people's plans name it.
pub const MIN_PEOPLE: usize = 2;

#[derive(Debug, Clone, Serialize)]
pub struct Mentor {
    pub person: Person,
    pub dimension: String,
    /// Their colleagues' mean rating in it (0–100) and how many ratings.
    pub mean: f64,
    pub ratings: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct Suggested {
    /// course or project.
    pub kind: &'static str,
    pub title: String,
    pub dimension: String,
    /// People whose plans name it, and how many of them completed it.
    pub people: usize,
    pub completed: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Recommendations {
    pub mentors: Vec<Mentor>,
    pub actions: Vec<Suggested>,
}

/// Names as stored that are the same dimension as one of `areas`.
fn matching(names: Vec<String>, areas: &[String]) -> Vec<String> {
    names.into_iter().filter(|n| areas.iter().any(|a| same_dimension(n, a))).collect()
}

pub(super) async fn recommend(
    app: &App,
    actor: &Actor,
    person: Uuid,
    analysis: &Analysis,
) -> AppResult<Recommendations> {
    let areas: Vec<String> = analysis.areas().map(|f| f.dimension.clone()).collect();
    if areas.is_empty() {
        return Ok(Recommendations::default());
    }
    let c = &app.db.conn;
    let mentors = mentors(app, actor, person, &areas).await?;
    let caps = matching(repo::capability_names(c).await?, &areas);
    let named = repo::actions_naming(c, &["course", "project"], &caps).await?;
    let mut actions = Vec::new();
    for area in &areas {
        for kind in ["course", "project"] {
            // (title) → (people, people who completed it), the person's own plans left out.
            let mut by_title: HashMap<String, (HashSet<Uuid>, HashSet<Uuid>)> = HashMap::new();
            for a in
                named.iter().filter(|a| a.kind == kind && a.employee != person && same_dimension(&a.capability, area))
            {
                let e = by_title.entry(a.title.trim().to_string()).or_default();
                e.0.insert(a.employee);
                if a.done_at.is_some() {
                    e.1.insert(a.employee);
                }
            }
            let mut found: Vec<Suggested> = by_title
                .into_iter()
                .filter(|(_, (people, _))| people.len() >= MIN_PEOPLE)
                .map(|(title, (people, done))| Suggested {
                    kind,
                    title,
                    dimension: area.clone(),
                    people: people.len(),
                    completed: done.len(),
                })
                .collect();
            found.sort_by(|a, b| {
                b.completed.cmp(&a.completed).then(b.people.cmp(&a.people)).then(a.title.cmp(&b.title))
            });
            actions.extend(found.into_iter().take(PER_AREA));
        }
    }
    Ok(Recommendations { mentors, actions })
}

async fn mentors(app: &App, actor: &Actor, person: Uuid, areas: &[String]) -> AppResult<Vec<Mentor>> {
    let c = &app.db.conn;
    let titles = matching(repo::dimension_names(c).await?, areas);
    // (colleague, area index) → their colleagues' ratings summed (self-ratings never make a
    // mentor; the database sums only those whose mean could make a strength).
    let mut sums: HashMap<(Uuid, usize), RatingSum> = HashMap::new();
    for (who, title, sum) in repo::sums_in(c, &titles, STRENGTH_MEAN).await? {
        if who == person {
            continue;
        }
        if let Some(i) = areas.iter().position(|a| same_dimension(a, &title)) {
            sums.entry((who, i)).and_modify(|s| *s = s.merge(sum)).or_insert(sum);
        }
    }
    let strong: Vec<((Uuid, usize), f64, usize)> = sums
        .into_iter()
        .filter(|(_, s)| s.assess() == Assessment::Strength)
        .map(|(k, s)| (k, s.mean(), s.count))
        .collect();
    let ids: Vec<Uuid> = strong.iter().map(|((who, _), _, _)| *who).collect::<HashSet<_>>().into_iter().collect();
    let relations = app.org().relations(actor, &ids).await?;
    let names: HashMap<Uuid, String> =
        org_repo::employees_by_ids(c, &ids).await?.into_iter().map(|e| (e.id, e.name)).collect();
    let visible = |who: Uuid| {
        let facts = Facts {
            is_self: actor.employee_id == Some(who),
            manages: relations.manages(who),
            in_hr_scope: relations.in_hr_scope(actor, who),
            ..Facts::default()
        };
        allowed(actor, Action::Read, Resource::DevelopmentReport, facts)
    };
    let mut out = Vec::new();
    for (i, area) in areas.iter().enumerate() {
        let mut here: Vec<Mentor> = strong
            .iter()
            .filter(|((who, at), _, _)| *at == i && visible(*who))
            .filter_map(|((who, _), mean, n)| {
                names.get(who).map(|name| Mentor {
                    person: Person { id: *who, name: name.clone() },
                    dimension: area.clone(),
                    mean: *mean,
                    ratings: *n,
                })
            })
            .collect();
        here.sort_by(|a, b| {
            b.mean.total_cmp(&a.mean).then(b.ratings.cmp(&a.ratings)).then(a.person.name.cmp(&b.person.name))
        });
        out.extend(here.into_iter().take(PER_AREA));
    }
    Ok(out)
}
