//! The nine-box (V-7, 九宫格): performance from each participant's final grade (after
//! calibration and any appeal), potential from a separate assessment by their manager or HR,
//! placed in nine named boxes (the organization's names), per unit, with each person's
//! movement since the previous cycle; exported as XLSX for the talent-review meeting.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::reviews::grades::GradeBands;
use waymark_domain::reviews::ninebox::{
    BoxNames, Level, Movement, box_number, level_code, movement, parse_level, performance_level,
};
use waymark_store::entities::{ninebox_names, potential_assessment, review_participant};
use waymark_store::repo::{org as org_repo, reviews as repo, talent as talent_repo};

use super::ReviewService;
use super::scoring::final_grade;
use crate::audit::entry;
use crate::import::{FileFormat, write_table};
use crate::org::Person;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{AppError, AppResult};

pub const MAX_RATIONALE_CHARS: usize = 1_000;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PotentialInput {
    /// low, medium or high.
    pub level: String,
    /// Why: required, at most 1 000 characters.
    pub rationale: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PotentialView {
    /// low, medium or high.
    pub level: String,
    pub rationale: String,
    pub assessed_by: String,
    pub assessed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PlacedPerson {
    pub participant_id: Uuid,
    pub person: Person,
    pub unit: String,
    pub grade: String,
    /// The box the person was in at the previous cycle, if they were placed there.
    pub previous_box: Option<u8>,
    /// new, up, down, across or same.
    #[schema(value_type = String)]
    pub movement: Movement,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BoxView {
    /// 1 (low performance, low potential) to 9 (high, high).
    pub number: u8,
    pub name: String,
    /// low, medium or high.
    pub performance: String,
    pub potential: String,
    pub people: Vec<PlacedPerson>,
}

/// Someone with a grade whose potential is not assessed yet: not in the grid.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Unplaced {
    pub participant_id: Uuid,
    pub person: Person,
    pub grade: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NineBoxView {
    pub cycle_id: Uuid,
    pub cycle_name: String,
    pub unit: Option<Person>,
    /// The cycle compared with for movement.
    pub previous_cycle: Option<String>,
    /// Rows of potential from high to low, each from low to high performance.
    pub rows: Vec<Vec<BoxView>>,
    /// Whether the reader may rename the boxes (org-wide HR).
    pub can_name: bool,
    /// Graded, potential not assessed yet.
    pub unplaced: Vec<Unplaced>,
    /// Without a grade yet (not in the grid, not listed).
    pub ungraded: usize,
}

impl ReviewService<'_> {
    /// Assesses (or assesses again) a participant's potential; audited.
    pub async fn assess_potential(&self, actor: &Actor, participant: Uuid, input: PotentialInput) -> AppResult<()> {
        let c = self.c();
        let p = repo::participant(c, participant).await?.ok_or(AppError::NotFound("participant"))?;
        let facts = self.facts_about(actor, p.employee_id).await?;
        if !allowed(actor, Action::Read, Resource::PotentialAssessment, facts) {
            return Err(AppError::NotFound("participant"));
        }
        if !allowed(actor, Action::Write, Resource::PotentialAssessment, facts) {
            return Err(AppError::Forbidden);
        }
        let level =
            parse_level(&input.level).ok_or_else(|| AppError::field("potential", "invalid", "low, medium or high"))?;
        let rationale = input.rationale.trim();
        if rationale.is_empty() || rationale.chars().count() > MAX_RATIONALE_CHARS {
            return Err(AppError::field(
                "rationale",
                "required",
                format!("why, 1 to {MAX_RATIONALE_CHARS} characters"),
            ));
        }
        let now = self.app.clock.now();
        let before = talent_repo::potential(c, p.id).await?.map(|b| potential_json(&b));
        let row = potential_assessment::Model {
            participant_id: p.id,
            level: level as i32,
            rationale: rationale.into(),
            assessed_by_name: actor.display_name.clone(),
            assessed_at: now,
        };
        let tx = self.app.db.begin_write().await?;
        talent_repo::save_potential(&*tx, row.clone()).await?;
        let a = entry(
            actor,
            now,
            "review_participant",
            p.id,
            Some(p.employee_id),
            "assess_potential",
            before,
            Some(potential_json(&row)),
            None,
        );
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(())
    }

    /// The participant's potential, for their managers and HR (None for anyone else too).
    pub(crate) async fn potential_of(&self, actor: &Actor, p: Uuid, facts: Facts) -> AppResult<Option<PotentialView>> {
        if !allowed(actor, Action::Read, Resource::PotentialAssessment, facts) {
            return Ok(None);
        }
        Ok(talent_repo::potential(self.c(), p).await?.map(|a| PotentialView {
            level: level_code(a.level as Level).into(),
            rationale: a.rationale,
            assessed_by: a.assessed_by_name,
            assessed_at: a.assessed_at,
        }))
    }

    /// The grid of the cycle, or of one unit of it (with those below), for HR of the cycle.
    pub async fn ninebox(&self, actor: &Actor, cycle: Uuid, unit: Option<Uuid>) -> AppResult<NineBoxView> {
        let cy = self.readable_cycle(actor, cycle).await?;
        let c = self.c();
        let bands = self.cycle_bands(&cy).await?;
        let names = self.box_names(actor).await?;
        let mut people = repo::participants(c, cy.id).await?;
        people.retain(|p| super::listable(actor, p.employee_id));
        let unit_ref = match unit {
            Some(u) => {
                let found = org_repo::unit(c, u)
                    .await?
                    .ok_or_else(|| AppError::field("unit_id", "unknown_unit", "no such unit"))?;
                let under: HashSet<Uuid> = org_repo::unit_subtree(c, u).await?.into_iter().collect();
                people.retain(|p| under.contains(&p.unit_id));
                Some(Person { id: found.id, name: found.name })
            }
            None => None,
        };
        let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
        let potentials: HashMap<Uuid, Level> =
            talent_repo::potentials(c, &ids).await?.into_iter().map(|a| (a.participant_id, a.level as Level)).collect();
        // The previous cycle: the latest launched before this one.
        let previous = repo::cycles(c)
            .await?
            .into_iter()
            .filter(|x| x.id != cy.id && !x.is_draft() && x.created_at < cy.created_at)
            .max_by_key(|x| x.created_at);
        let mut before: HashMap<Uuid, (Level, Level)> = HashMap::new();
        if let Some(prev) = &previous {
            let prev_bands = self.cycle_bands(prev).await?;
            let theirs = repo::participants(c, prev.id).await?;
            let prev_ids: Vec<Uuid> = theirs.iter().map(|p| p.id).collect();
            let prev_potentials: HashMap<Uuid, Level> = talent_repo::potentials(c, &prev_ids)
                .await?
                .into_iter()
                .map(|a| (a.participant_id, a.level as Level))
                .collect();
            for p in &theirs {
                if let (Some(perf), Some(pot)) = (performance_of(&prev_bands, p), prev_potentials.get(&p.id)) {
                    before.insert(p.employee_id, (perf, *pot));
                }
            }
        }
        let names_of = crate::org::employee_names(c, &people.iter().map(|p| p.employee_id).collect::<Vec<_>>()).await?;
        let units: HashMap<Uuid, String> = org_repo::all_units(c).await?.into_iter().map(|u| (u.id, u.name)).collect();
        let person = |id: Uuid| Person { id, name: names_of.get(&id).cloned().unwrap_or_default() };
        let mut grid: Vec<Vec<BoxView>> = (0..3u8)
            .rev()
            .map(|pot| {
                (0..3u8)
                    .map(|perf| BoxView {
                        number: box_number(perf, pot),
                        name: names.name(perf, pot).to_string(),
                        performance: level_code(perf).into(),
                        potential: level_code(pot).into(),
                        people: Vec::new(),
                    })
                    .collect()
            })
            .collect();
        let mut unplaced = Vec::new();
        let mut ungraded = 0;
        for p in &people {
            let grade = final_grade(p);
            match (performance_of(&bands, p), potentials.get(&p.id)) {
                (Some(perf), Some(pot)) => {
                    let prev = before.get(&p.employee_id).copied();
                    grid[2 - *pot as usize][perf as usize].people.push(PlacedPerson {
                        participant_id: p.id,
                        person: person(p.employee_id),
                        unit: units.get(&p.unit_id).cloned().unwrap_or_default(),
                        grade: grade.unwrap_or_default(),
                        previous_box: prev.map(|(a, b)| box_number(a, b)),
                        movement: movement(prev, (perf, *pot)),
                    });
                }
                (Some(_), None) => unplaced.push(Unplaced {
                    participant_id: p.id,
                    person: person(p.employee_id),
                    grade: grade.unwrap_or_default(),
                }),
                (None, _) => ungraded += 1,
            }
        }
        for row in &mut grid {
            for b in row.iter_mut() {
                b.people.sort_by(|x, y| x.person.name.cmp(&y.person.name));
            }
        }
        unplaced.sort_by(|a, b| a.person.name.cmp(&b.person.name));
        Ok(NineBoxView {
            cycle_id: cy.id,
            cycle_name: cy.name,
            unit: unit_ref,
            previous_cycle: previous.map(|p| p.name),
            rows: grid,
            can_name: allowed(actor, Action::Write, Resource::NineBoxNames, Facts::default()),
            unplaced,
            ungraded,
        })
    }

    /// The grid as XLSX, one row per placed person.
    pub async fn ninebox_xlsx(
        &self,
        actor: &Actor,
        cycle: Uuid,
        unit: Option<Uuid>,
        chinese: bool,
    ) -> AppResult<Vec<u8>> {
        let v = self.ninebox(actor, cycle, unit).await?;
        let names = self.box_names(actor).await?;
        let header: &[&str] = if chinese {
            &["姓名", "部门", "最终等级", "绩效", "潜力", "格子", "格子名称", "上期格子", "上期名称", "变化"]
        } else {
            &[
                "Name",
                "Unit",
                "Final grade",
                "Performance",
                "Potential",
                "Box",
                "Box name",
                "Previous box",
                "Previous name",
                "Movement",
            ]
        };
        let mut table = vec![header.iter().map(|h| h.to_string()).collect::<Vec<_>>()];
        for row in &v.rows {
            for b in row {
                for p in &b.people {
                    let prev_name = p.previous_box.map(|n| {
                        let (perf, pot) = ((n - 1) % 3, (n - 1) / 3);
                        names.name(perf, pot).to_string()
                    });
                    table.push(vec![
                        p.person.name.clone(),
                        p.unit.clone(),
                        p.grade.clone(),
                        b.performance.clone(),
                        b.potential.clone(),
                        b.number.to_string(),
                        b.name.clone(),
                        p.previous_box.map(|n| n.to_string()).unwrap_or_default(),
                        prev_name.unwrap_or_default(),
                        p.movement.code().to_string(),
                    ]);
                }
            }
        }
        write_table(&table, FileFormat::Xlsx)
    }

    /// The organization's box names (the defaults in the reader's language until HR names them).
    pub async fn box_names(&self, actor: &Actor) -> AppResult<BoxNames> {
        let stored = talent_repo::names(self.c()).await?;
        let list: Option<Vec<String>> = stored.and_then(|s| serde_json::from_str(&s.names).ok());
        Ok(match list {
            Some(l) if l.len() == 9 => names_from(&l),
            _ => BoxNames::default_for(actor.locale.as_deref().unwrap_or("zh-CN")),
        })
    }

    /// Names the nine boxes (org-wide HR), box 1 to 9; audited.
    pub async fn set_box_names(&self, actor: &Actor, names: Vec<String>) -> AppResult<BoxNames> {
        if !allowed(actor, Action::Write, Resource::NineBoxNames, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let list: Vec<String> = names.iter().map(|s| s.trim().to_string()).collect();
        if list.len() != 9 || list.iter().any(|s| s.is_empty() || s.chars().count() > 20) {
            return Err(AppError::field("names", "nine_names", "nine names, 1 to 20 characters each"));
        }
        let now = self.app.clock.now();
        let row = ninebox_names::Model {
            id: 1,
            names: serde_json::to_string(&list).expect("strings serialize"),
            updated_by_name: actor.display_name.clone(),
            updated_at: now,
        };
        let tx = self.app.db.begin_write().await?;
        talent_repo::save_names(&*tx, row.clone()).await?;
        let a = entry(actor, now, "ninebox_names", Uuid::nil(), None, "update", None, Some(row.names), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(names_from(&list))
    }
}

/// The performance level of a participant's final grade, if they have one.
fn performance_of(bands: &GradeBands, p: &review_participant::Model) -> Option<Level> {
    let grade = final_grade(p)?;
    bands.position(&grade).map(|i| performance_level(i, bands.bands.len()))
}

/// Names listed box 1 to 9 as the grid `[potential][performance]`.
fn names_from(list: &[String]) -> BoxNames {
    let at = |i: usize| list[i].clone();
    BoxNames([[at(0), at(1), at(2)], [at(3), at(4), at(5)], [at(6), at(7), at(8)]])
}

pub(crate) fn potential_json(a: &potential_assessment::Model) -> String {
    serde_json::json!({ "level": level_code(a.level as Level), "rationale": a.rationale }).to_string()
}
