//! Calibration sessions (V-4): HR groups a cycle's participants — one unit with those below,
//! optionally one level — and sees the distribution of grades against the guideline, each
//! manager's leniency or severity against the others with its evidence, and the outlying
//! scores; moves people between grades, each with a reason and recorded; and locks the session
//! when done. Nothing moves in a locked session; unlocking is audited with its reason.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::reviews::calibration::{GradeCount, ManagerStat, distribution, fences, leniency};
use waymark_domain::reviews::cycle::ReviewCycle;
use waymark_domain::reviews::grades::GradeBands;
use waymark_store::entities::{calibration_move, calibration_session, review_participant};
use waymark_store::repo::{org as org_repo, reviews as repo};

use super::ReviewService;
use super::scoring::final_grade;
use super::templates::grades_of;
use crate::audit::entry;
use crate::org::Person;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{AppError, AppResult};

pub const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct SessionInput {
    pub name: String,
    /// The unit calibrated with those below it; the whole cycle when absent.
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    /// Only people at this level.
    #[serde(default)]
    pub level: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct MoveInput {
    pub participant_id: Uuid,
    /// The grade to move them to (a code of the cycle's grades).
    pub grade: String,
    /// Why: required, at most 500 characters.
    pub reason: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct UnlockInput {
    /// Why the locked session is opened again: required.
    pub reason: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionSummary {
    pub id: Uuid,
    pub name: String,
    pub unit: Option<Person>,
    pub level: Option<String>,
    /// open or locked.
    pub state: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalibrationRow {
    pub participant_id: Uuid,
    pub person: Person,
    pub manager: Option<Person>,
    pub score: Option<f64>,
    /// The grade the formula gave.
    pub grade: Option<String>,
    /// The grade after calibration (the formula's when not moved).
    pub final_grade: Option<String>,
    pub moved: bool,
    /// Outside Tukey's fences of the session's scores.
    pub outlier: bool,
    /// Released to the person: calibration no longer moves it (a change goes through an appeal).
    pub released: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ManagerRow {
    pub manager: Person,
    #[schema(value_type = Object)]
    pub stat: ManagerStat,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MoveView {
    pub person: Person,
    pub from_grade: String,
    pub to_grade: String,
    pub reason: String,
    pub moved_by: String,
    pub moved_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SessionView {
    pub id: Uuid,
    pub cycle_id: Uuid,
    pub cycle_name: String,
    pub name: String,
    pub unit: Option<Person>,
    pub level: Option<String>,
    pub state: String,
    pub locked_at: Option<DateTime<Utc>>,
    /// The cycle's grades, best first.
    pub grades: Vec<String>,
    /// Final grades against the guideline.
    #[schema(value_type = Vec<Object>)]
    pub distribution: Vec<GradeCount>,
    /// Each manager's scores against the other managers' (Welch's t-test, Hedges' g).
    pub managers: Vec<ManagerRow>,
    /// Tukey's fences (low, high) of the scores, from four scores on.
    pub fences: Option<(f64, f64)>,
    /// The people with a score, highest first.
    pub people: Vec<CalibrationRow>,
    /// People in the session without a score yet (not calibrated).
    pub unscored: usize,
    pub moves: Vec<MoveView>,
}

impl ReviewService<'_> {
    pub async fn sessions(&self, actor: &Actor, cycle: Uuid) -> AppResult<Vec<SessionSummary>> {
        let cy = self.readable_cycle(actor, cycle).await?;
        let c = self.c();
        let mut out = Vec::new();
        for s in repo::sessions(c, cy.id).await? {
            if self.covers_session(actor, &cy, &s) {
                out.push(SessionSummary {
                    id: s.id,
                    name: s.name,
                    unit: self.unit_ref(s.unit_id).await?,
                    level: s.level,
                    state: s.state,
                });
            }
        }
        Ok(out)
    }

    pub async fn create_session(&self, actor: &Actor, cycle: Uuid, input: SessionInput) -> AppResult<SessionView> {
        let cy = self.readable_cycle(actor, cycle).await?;
        if cy.is_draft() {
            return Err(AppError::field("cycle_id", "not_launched", "launch the cycle first"));
        }
        let name = input.name.trim();
        if name.is_empty() || name.chars().count() > 100 {
            return Err(AppError::field("name", "required", "1 to 100 characters"));
        }
        if let Some(u) = input.unit_id {
            org_repo::unit(self.c(), u)
                .await?
                .ok_or_else(|| AppError::field("unit_id", "unknown_unit", "no such unit"))?;
        }
        let row = calibration_session::Model {
            id: Uuid::now_v7(),
            cycle_id: cy.id,
            name: name.into(),
            unit_id: input.unit_id,
            level: input.level.map(|l| l.trim().to_string()).filter(|l| !l.is_empty()),
            state: "open".into(),
            created_by: actor.user_id,
            created_at: self.app.clock.now(),
            locked_at: None,
        };
        let facts = Facts { in_hr_scope: self.covers_session(actor, &cy, &row), ..Facts::default() };
        if !allowed(actor, Action::Write, Resource::ReviewCycle, facts) {
            return Err(AppError::field("unit_id", "outside_scope", "units within your HR scope"));
        }
        // A person is calibrated in one session: otherwise a locked session's result could be
        // moved again from another one still open.
        let everyone = repo::participants(self.c(), cy.id).await?;
        let members: HashSet<Uuid> =
            self.members_among(&row, everyone.clone()).await?.into_iter().map(|p| p.id).collect();
        for other in repo::sessions(self.c(), cy.id).await? {
            let theirs = self.members_among(&other, everyone.clone()).await?;
            let shared = theirs.iter().filter(|p| members.contains(&p.id)).count();
            if shared > 0 {
                return Err(AppError::field(
                    "unit_id",
                    "session_overlap",
                    format!("{shared} of these people are in the session «{}» already", other.name),
                ));
            }
        }
        let now = row.created_at;
        let tx = self.app.db.begin_write().await?;
        repo::insert_session(&*tx, row.clone()).await?;
        let after = serde_json::json!({ "name": row.name, "unit_id": row.unit_id, "level": row.level });
        let a = entry(actor, now, "calibration_session", row.id, None, "create", None, Some(after.to_string()), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        self.session(actor, row.id).await
    }

    /// The session with its statistics, as they stand now.
    pub async fn session(&self, actor: &Actor, id: Uuid) -> AppResult<SessionView> {
        let (s, cy) = self.readable_session(actor, id).await?;
        let c = self.c();
        let bands = self.cycle_bands(&cy).await?;
        let members = self.members(&s).await?;
        let people: Vec<Uuid> = members.iter().flat_map(|p| [Some(p.employee_id), p.manager_id]).flatten().collect();
        let names = crate::org::employee_names(c, &people).await?;
        let name = |id: Uuid| Person { id, name: names.get(&id).cloned().unwrap_or_default() };
        let scored: Vec<&review_participant::Model> = members.iter().filter(|p| p.score_bp.is_some()).collect();
        let scores: Vec<f64> = scored.iter().map(|p| p.score_bp.unwrap_or(0) as f64 / 100.0).collect();
        let fence = fences(&scores);
        let grades: Vec<usize> =
            scored.iter().filter_map(|p| final_grade(p)).filter_map(|g| bands.position(&g)).collect();
        let mut managers: Vec<Uuid> =
            scored.iter().filter_map(|p| p.manager_id).collect::<HashSet<_>>().into_iter().collect();
        managers.sort();
        let index: HashMap<Uuid, u32> = managers.iter().enumerate().map(|(i, m)| (*m, i as u32)).collect();
        let ratings: Vec<(u32, f64)> = scored
            .iter()
            .filter_map(|p| {
                p.manager_id.and_then(|m| index.get(&m)).map(|i| (*i, p.score_bp.unwrap_or(0) as f64 / 100.0))
            })
            .collect();
        let mut manager_rows: Vec<ManagerRow> = leniency(&ratings)
            .into_iter()
            .map(|stat| ManagerRow { manager: name(managers[stat.manager as usize]), stat })
            .collect();
        manager_rows.sort_by(|a, b| b.stat.difference.total_cmp(&a.stat.difference));
        // Only those with a score are calibrated; the others are counted in `unscored`.
        let mut rows: Vec<CalibrationRow> = scored
            .iter()
            .map(|p| {
                let score = p.score_bp.map(|s| s as f64 / 100.0);
                CalibrationRow {
                    participant_id: p.id,
                    person: name(p.employee_id),
                    manager: p.manager_id.map(name),
                    score,
                    grade: p.grade.clone(),
                    final_grade: final_grade(p),
                    moved: p.calibrated_grade.is_some(),
                    outlier: matches!((score, fence), (Some(x), Some((lo, hi))) if x < lo || x > hi),
                    released: p.released_at.is_some(),
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            b.score.unwrap_or(f64::MIN).total_cmp(&a.score.unwrap_or(f64::MIN)).then(a.person.name.cmp(&b.person.name))
        });
        let by_participant: HashMap<Uuid, Uuid> = members.iter().map(|p| (p.id, p.employee_id)).collect();
        let moves = repo::moves(c, s.id)
            .await?
            .into_iter()
            .map(|m| {
                let who = by_participant.get(&m.participant_id).copied().unwrap_or_default();
                MoveView {
                    person: name(who),
                    from_grade: m.from_grade,
                    to_grade: m.to_grade,
                    reason: m.reason,
                    moved_by: m.moved_by_name,
                    moved_at: m.moved_at,
                }
            })
            .collect();
        Ok(SessionView {
            id: s.id,
            cycle_id: cy.id,
            cycle_name: cy.name.clone(),
            name: s.name.clone(),
            unit: self.unit_ref(s.unit_id).await?,
            level: s.level.clone(),
            state: s.state.clone(),
            locked_at: s.locked_at,
            grades: bands.bands.iter().map(|b| b.code.clone()).collect(),
            distribution: distribution(&bands, &grades),
            managers: manager_rows,
            fences: fence.map(|(a, b)| ((a * 100.0).round() / 100.0, (b * 100.0).round() / 100.0)),
            unscored: members.len() - scored.len(),
            // The session's figures count everyone in it; the reader's own row is not shown to
            // them (issue 21, item 4: nobody reads their own unreleased score).
            people: rows.into_iter().filter(|r| super::listable(actor, r.person.id)).collect(),
            moves,
        })
    }

    /// Moves a person to another grade, with the reason; recorded and audited.
    pub async fn move_grade(&self, actor: &Actor, session: Uuid, input: MoveInput) -> AppResult<SessionView> {
        let (s, cy) = self.writable_session(actor, session).await?;
        if s.state != "open" {
            return Err(AppError::field(
                "state",
                "locked",
                "the session is locked: unlock it (with a reason) to change it",
            ));
        }
        let reason = input.reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
            return Err(AppError::field("reason", "required", format!("why, in 1 to {MAX_REASON_CHARS} characters")));
        }
        let bands = self.cycle_bands(&cy).await?;
        if bands.position(&input.grade).is_none() {
            let codes: Vec<&str> = bands.bands.iter().map(|b| b.code.as_str()).collect();
            return Err(AppError::field("grade", "unknown_grade", format!("one of {}", codes.join(", "))));
        }
        let p = self
            .members(&s)
            .await?
            .into_iter()
            .find(|p| p.id == input.participant_id)
            .ok_or_else(|| AppError::field("participant_id", "not_in_session", "not a person of this session"))?;
        if p.released_at.is_some() {
            return Err(AppError::field(
                "participant_id",
                "released",
                "this result is released: a change now goes through an appeal",
            ));
        }
        // Nobody calibrates their own grade (issue 21, item 4): asked of the policy with the person.
        let about = Facts {
            is_self: actor.employee_id == Some(p.employee_id),
            in_hr_scope: self.covers_session(actor, &cy, &s),
            ..Facts::default()
        };
        if !allowed(actor, Action::Write, Resource::ReviewCycle, about) {
            return Err(AppError::Forbidden);
        }
        let Some(from) = final_grade(&p) else {
            return Err(AppError::field("participant_id", "not_scored", "this person has no score yet"));
        };
        if from == input.grade {
            return Err(AppError::field("grade", "unchanged", "already at this grade"));
        }
        let now = self.app.clock.now();
        let m = calibration_move::Model {
            id: Uuid::now_v7(),
            session_id: s.id,
            participant_id: p.id,
            from_grade: from.clone(),
            to_grade: input.grade.clone(),
            reason: reason.into(),
            moved_by: actor.user_id,
            moved_by_name: actor.display_name.clone(),
            moved_at: now,
        };
        let tx = self.app.db.begin_write().await?;
        repo::move_grade(&*tx, m).await?;
        let a = entry(
            actor,
            now,
            "review_participant",
            p.id,
            Some(p.employee_id),
            "calibrate",
            Some(serde_json::json!({ "grade": from }).to_string()),
            Some(serde_json::json!({ "grade": input.grade, "session_id": s.id }).to_string()),
            Some(reason.into()),
        );
        tx.audit(vec![a]);
        tx.commit().await?;
        self.session(actor, s.id).await
    }

    /// Locks the session: its grades stand.
    pub async fn lock_session(&self, actor: &Actor, session: Uuid) -> AppResult<SessionView> {
        let (mut s, _) = self.writable_session(actor, session).await?;
        if s.state == "locked" {
            return Err(AppError::field("state", "locked", "already locked"));
        }
        let now = self.app.clock.now();
        s.state = "locked".into();
        s.locked_at = Some(now);
        self.save_session_state(actor, s, "lock", None).await
    }

    /// Opens a locked session again, with the reason (audited).
    pub async fn unlock_session(&self, actor: &Actor, session: Uuid, input: UnlockInput) -> AppResult<SessionView> {
        let (mut s, _) = self.writable_session(actor, session).await?;
        if s.state != "locked" {
            return Err(AppError::field("state", "not_locked", "the session is open"));
        }
        let reason = input.reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
            return Err(AppError::field("reason", "required", format!("why, in 1 to {MAX_REASON_CHARS} characters")));
        }
        s.state = "open".into();
        s.locked_at = None;
        self.save_session_state(actor, s, "unlock", Some(reason.to_string())).await
    }

    async fn save_session_state(
        &self,
        actor: &Actor,
        s: calibration_session::Model,
        action: &str,
        reason: Option<String>,
    ) -> AppResult<SessionView> {
        let now = self.app.clock.now();
        let id = s.id;
        let after = serde_json::json!({ "state": s.state }).to_string();
        let tx = self.app.db.begin_write().await?;
        repo::update_session(&*tx, s).await?;
        let a = entry(actor, now, "calibration_session", id, None, action, None, Some(after), reason);
        tx.audit(vec![a]);
        tx.commit().await?;
        self.session(actor, id).await
    }

    /// The cycle's participants the session covers.
    pub(super) async fn members(&self, s: &calibration_session::Model) -> AppResult<Vec<review_participant::Model>> {
        let all = repo::participants(self.c(), s.cycle_id).await?;
        self.members_among(s, all).await
    }

    /// The session's members among `all` (the cycle's participants, read once by a caller that
    /// looks at several sessions).
    pub(super) async fn members_among(
        &self,
        s: &calibration_session::Model,
        mut all: Vec<review_participant::Model>,
    ) -> AppResult<Vec<review_participant::Model>> {
        let c = self.c();
        if let Some(u) = s.unit_id {
            let under: HashSet<Uuid> = org_repo::unit_subtree(c, u).await?.into_iter().collect();
            all.retain(|p| under.contains(&p.unit_id));
        }
        if let Some(level) = &s.level {
            let ids: Vec<Uuid> = all.iter().map(|p| p.employee_id).collect();
            let at_level: HashSet<Uuid> = org_repo::employees_by_ids(c, &ids)
                .await?
                .into_iter()
                .filter(|e| e.level.as_deref() == Some(level.as_str()))
                .map(|e| e.id)
                .collect();
            all.retain(|p| at_level.contains(&p.employee_id));
        }
        Ok(all)
    }

    pub(super) async fn cycle_bands(&self, cy: &ReviewCycle) -> AppResult<GradeBands> {
        let t = repo::template(self.c(), cy.template_id).await?.ok_or(AppError::NotFound("review template"))?;
        Ok(grades_of(&t))
    }

    async fn readable_session(&self, actor: &Actor, id: Uuid) -> AppResult<(calibration_session::Model, ReviewCycle)> {
        let s = repo::session(self.c(), id).await?.ok_or(AppError::NotFound("calibration session"))?;
        let cy = repo::cycle(self.c(), s.cycle_id).await?.ok_or(AppError::NotFound("calibration session"))?;
        let facts = Facts { in_hr_scope: self.covers_session(actor, &cy, &s), ..Facts::default() };
        if !allowed(actor, Action::Read, Resource::ReviewCycle, facts) {
            return Err(AppError::NotFound("calibration session"));
        }
        Ok((s, cy))
    }

    async fn writable_session(&self, actor: &Actor, id: Uuid) -> AppResult<(calibration_session::Model, ReviewCycle)> {
        let (s, cy) = self.readable_session(actor, id).await?;
        let facts = Facts { in_hr_scope: self.covers_session(actor, &cy, &s), ..Facts::default() };
        if !allowed(actor, Action::Write, Resource::ReviewCycle, facts) {
            return Err(AppError::Forbidden);
        }
        Ok((s, cy))
    }

    /// A session over one unit: HR of that unit; over the whole cycle: HR of the whole cycle.
    fn covers_session(&self, actor: &Actor, cy: &ReviewCycle, s: &calibration_session::Model) -> bool {
        match s.unit_id {
            Some(u) => actor.system || actor.hr.as_ref().is_some_and(|h| h.covers(u)),
            None => self.covers_cycle(actor, cy),
        }
    }

    async fn unit_ref(&self, unit: Option<Uuid>) -> AppResult<Option<Person>> {
        Ok(match unit {
            Some(u) => org_repo::unit(self.c(), u).await?.map(|u| Person { id: u.id, name: u.name }),
            None => None,
        })
    }
}
