//! Development reports (SPEC D-2; issue 26, item 4): after a released review, the rules analyse
//! the person's ratings and learning (`waymark_domain::development_report`), find mentors and
//! actions in the organization (`recommend`) and draft the report's four parts (`draft`); the
//! manager or HR edits the draft, saves it and shares it with the person, and can turn it into
//! a development plan (D-1) in one step. The person sees a report only once it is shared, with
//! the analysis it was written on; nothing reaches them that a person has not saved.

mod draft;
mod recommend;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use waymark_domain::development_report::{Analysis, Report, ReportState, ReportText, analyse};
use waymark_store::repo::{accounts, development_report as repo, org as org_repo};

pub use self::recommend::{Mentor, Recommendations, Suggested};
use crate::ai::{Fallback, Purpose};
use crate::audit::entry;
use crate::development::{PlanActionInput, PlanInput, PlanView};
use crate::i18n::Lang;
use crate::inbox::{Message, notify_each};
use crate::org::Person;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppError, AppResult};

/// The cycle a report covers: the latest released to the person.
#[derive(Debug, Clone, Serialize)]
pub struct CycleRef {
    pub id: Uuid,
    pub name: String,
    pub released_at: DateTime<Utc>,
}

/// A saved report as its readers see it.
#[derive(Debug, Clone, Serialize)]
pub struct SavedReport {
    pub text: ReportText,
    pub state: ReportState,
    pub written_by: String,
    pub updated_at: DateTime<Utc>,
    pub shared_at: Option<DateTime<Utc>>,
    /// The development plan made from it.
    pub plan: Option<Uuid>,
}

/// What the report page and the API show. For the manager and HR: the analysis as of today, the
/// recommendations, the rules' draft and the saved report. For the person: the shared report
/// and the analysis it was written on, nothing else.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub person: Person,
    /// None: no review has been released to them yet, so there is nothing to report on.
    pub cycle: Option<CycleRef>,
    pub analysis: Analysis,
    pub recommendations: Option<Recommendations>,
    /// The rules' wording, for the form (empty for the person).
    pub draft: ReportText,
    pub saved: Option<SavedReport>,
    /// The actor may edit, share and turn it into a plan.
    pub can_edit: bool,
}

/// The wording offered for the form: the AI's when an endpoint is connected and answered,
/// otherwise the rules' draft and why.
#[derive(Debug, Clone, Serialize)]
pub struct DraftOffer {
    pub text: ReportText,
    /// Why the rules' draft is offered instead; none when the AI's is.
    pub fallback: Option<Fallback>,
}

impl DraftOffer {
    /// The AI wrote it (and a person must edit it before it is shared).
    pub fn by_ai(&self) -> bool {
        self.fallback.is_none()
    }
}

/// What the manager saves.
#[derive(Debug, Clone, Deserialize)]
pub struct ReportInput {
    pub text: ReportText,
    /// Share it with the person now (a shared report stays shared).
    pub share: bool,
}

pub struct DevelopmentReportService<'a> {
    pub(crate) app: &'a App,
}

impl DevelopmentReportService<'_> {
    fn c(&self) -> &waymark_store::sea_orm::DatabaseConnection {
        &self.app.db.conn
    }

    async fn person(&self, actor: &Actor, employee: Uuid) -> AppResult<(Person, Facts)> {
        let e = org_repo::employee(self.c(), employee).await?.ok_or(AppError::NotFound("employee"))?;
        let facts = self.app.org().facts_for_employee(actor, &e).await?;
        Ok((Person { id: e.id, name: e.name }, facts))
    }

    /// The report on `employee` as the actor may see it (in `lang`, for the draft's words).
    pub async fn report(&self, actor: &Actor, lang: Lang, employee: Uuid) -> AppResult<ReportView> {
        let (person, facts) = self.person(actor, employee).await?;
        if allowed(actor, Action::Read, Resource::DevelopmentReport, facts) {
            return self.editor_view(actor, lang, person, facts).await;
        }
        if !allowed(actor, Action::Read, Resource::SharedDevelopmentReport, facts) {
            return Err(AppError::NotFound("employee"));
        }
        // The person: the newest shared report, as it was written.
        let shared = repo::reports_of(self.c(), employee).await?.into_iter().find(|r| r.state == ReportState::Shared);
        let cycle = match &shared {
            Some(r) => self.cycle_ref(r).await?,
            None => None,
        };
        Ok(ReportView {
            person,
            cycle,
            analysis: shared.as_ref().map(|r| r.analysis.for_the_person()).unwrap_or_else(|| analyse(&[], &[])),
            recommendations: None,
            draft: ReportText::default(),
            saved: shared.map(saved_of),
            can_edit: false,
        })
    }

    async fn cycle_ref(&self, r: &Report) -> AppResult<Option<CycleRef>> {
        let cycle = waymark_store::repo::reviews::cycle(self.c(), r.cycle).await?;
        Ok(cycle.map(|c| CycleRef { id: c.id, name: c.name, released_at: r.shared_at.unwrap_or(r.updated_at) }))
    }

    async fn editor_view(&self, actor: &Actor, lang: Lang, person: Person, facts: Facts) -> AppResult<ReportView> {
        let c = self.c();
        let cycle = self.latest_cycle(person.id).await?;
        let analysis = self.analysis(person.id).await?;
        let recommendations = recommend::recommend(self.app, actor, person.id, &analysis).await?;
        let draft = draft::draft(lang, &analysis, &recommendations);
        let saved = match &cycle {
            Some(cy) => repo::report(c, person.id, cy.id).await?.map(saved_of),
            None => None,
        };
        Ok(ReportView {
            can_edit: cycle.is_some() && allowed(actor, Action::Write, Resource::DevelopmentReport, facts),
            person,
            cycle,
            analysis,
            recommendations: Some(recommendations),
            draft,
            saved,
        })
    }

    /// The latest cycle released to `employee`: the one a report covers.
    async fn latest_cycle(&self, employee: Uuid) -> AppResult<Option<CycleRef>> {
        let latest = repo::latest_released(self.c(), employee).await?;
        Ok(latest.map(|(id, name, released_at)| CycleRef { id, name, released_at }))
    }

    async fn analysis(&self, employee: Uuid) -> AppResult<Analysis> {
        let ratings = repo::ratings_of(self.c(), employee).await?;
        let learning = repo::learning_of(self.c(), employee).await?;
        Ok(analyse(&ratings, &learning))
    }

    async fn writable(&self, actor: &Actor, employee: Uuid) -> AppResult<(Person, CycleRef)> {
        let (person, facts) = self.person(actor, employee).await?;
        if !allowed(actor, Action::Read, Resource::DevelopmentReport, facts) {
            return Err(AppError::NotFound("employee"));
        }
        if !allowed(actor, Action::Write, Resource::DevelopmentReport, facts) {
            return Err(AppError::Forbidden);
        }
        let cycle = self
            .latest_cycle(employee)
            .await?
            .ok_or_else(|| AppError::field("cycle", "no_released_review", "no review has been released to them yet"))?;
        Ok((person, cycle))
    }

    /// Drafts the report's wording with the connected AI endpoint from the rules' analysis;
    /// the rules' draft when none is connected or it fails. Nothing is saved: the text goes
    /// into the editor's form, and a draft no one edited is refused when shared ([`Self::save`]).
    pub async fn ai_draft(&self, actor: &Actor, lang: Lang, employee: Uuid) -> AppResult<DraftOffer> {
        let (person, _) = self.writable(actor, employee).await?;
        let analysis = self.analysis(employee).await?;
        let recommendations = recommend::recommend(self.app, actor, person.id, &analysis).await?;
        let rules = || draft::draft(lang, &analysis, &recommendations);
        let mut offered: Vec<(String, String, String)> = recommendations
            .mentors
            .iter()
            .map(|m| {
                (m.dimension.clone(), "mentor".into(), "a colleague whose ratings make it a stable strength".into())
            })
            .collect();
        offered.dedup();
        offered
            .extend(recommendations.actions.iter().map(|a| (a.dimension.clone(), a.kind.to_string(), a.title.clone())));
        let prompt = waymark_domain::ai_draft::report_prompt(lang == Lang::ZhCn, &analysis, &offered);
        let drafted = self
            .app
            .ai_draft(
                actor,
                Purpose::DevelopmentReport,
                Some(employee),
                &prompt,
                waymark_domain::ai_draft::read_report,
                |t| Some(waymark_domain::ai_draft::fingerprint(t)),
            )
            .await?;
        Ok(match drafted {
            Ok(text) => DraftOffer { text, fallback: None },
            Err(f) => DraftOffer { text: rules(), fallback: Some(f) },
        })
    }

    /// Saves the manager's report on the latest released cycle (replacing an earlier save of
    /// it), with the analysis as of now, and shares it when asked; audited, and the person is
    /// told when it is shared.
    pub async fn save(&self, actor: &Actor, employee: Uuid, input: ReportInput) -> AppResult<SavedReport> {
        let (_, cycle) = self.writable(actor, employee).await?;
        let text = input.text.checked().map_err(|problem| match problem {
            Some(part) => AppError::field(part, "too_long", "at most 4 000 characters"),
            None => AppError::field("strengths", "report_empty", "write at least one part"),
        })?;
        let analysis = self.analysis(employee).await?;
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        let before = repo::report(&*tx, employee, cycle.id).await?;
        let was_shared = before.as_ref().is_some_and(|r| r.state == ReportState::Shared);
        let shared = was_shared || input.share;
        // What reaches the person is a person's words: an AI draft no one edited is not shared.
        if shared && self.app.ai_fingerprints(employee).await?.contains(&waymark_domain::ai_draft::fingerprint(&text)) {
            let msg = "the AI's draft is shared only after a person has edited it";
            return Err(AppError::field("report", "ai_unedited", msg));
        }
        let report = Report {
            id: before.as_ref().map_or_else(Uuid::now_v7, |r| r.id),
            employee,
            cycle: cycle.id,
            text,
            analysis,
            state: if shared { ReportState::Shared } else { ReportState::Draft },
            written_by: actor.display_name.clone(),
            created_at: before.as_ref().map_or(now, |r| r.created_at),
            updated_at: now,
            shared_at: before.as_ref().and_then(|r| r.shared_at).or(shared.then_some(now)),
            plan: before.as_ref().and_then(|r| r.plan),
        };
        repo::save(&*tx, &report).await?;
        // Flat keys the audit page names: the four parts and the state, each in words.
        let snapshot = |t: &ReportText, state: ReportState| {
            serde_json::json!({
                "strengths": t.strengths, "areas": t.areas, "actions": t.actions, "support": t.support,
                "report_state": state.code(),
            })
        };
        let mut after = snapshot(&report.text, report.state);
        after["cycle"] = serde_json::json!(cycle.name);
        let action = if shared && !was_shared {
            "share"
        } else if before.is_some() {
            "update"
        } else {
            "create"
        };
        let before_json = before.as_ref().map(|r| snapshot(&r.text, r.state).to_string());
        let a = entry(
            actor,
            now,
            "dev_report",
            report.id,
            Some(employee),
            action,
            before_json,
            Some(after.to_string()),
            None,
        );
        tx.audit(vec![a]);
        if shared && !was_shared {
            let users = accounts::users_of_employees(&*tx, &[employee]).await?;
            let messages = users
                .iter()
                .map(|(u, _)| {
                    let m = Message {
                        kind: "dev-report-shared",
                        entity_type: "dev_report",
                        // The page is the person's: the link is made from them.
                        entity_id: employee,
                        subject: &cycle.name,
                        body: None,
                    };
                    (*u, m)
                })
                .collect();
            notify_each(&tx, actor, now, messages);
        }
        tx.commit().await?;
        Ok(saved_of(report))
    }

    /// Turns the saved report into a development plan (D-1): its areas as the capabilities, the
    /// recommended mentors, courses and projects as the actions. Once per report.
    pub async fn make_plan(&self, actor: &Actor, lang: Lang, employee: Uuid) -> AppResult<PlanView> {
        let (_, cycle) = self.writable(actor, employee).await?;
        let report = repo::report(self.c(), employee, cycle.id)
            .await?
            .ok_or_else(|| AppError::field("report", "report_not_saved", "save the report first"))?;
        if report.plan.is_some() {
            return Err(AppError::field("report", "plan_exists", "a plan was already made from this report"));
        }
        let recommendations = recommend::recommend(self.app, actor, employee, &report.analysis).await?;
        let input = plan_input(lang, employee, &report.analysis, &recommendations)
            .ok_or_else(|| AppError::field("report", "no_area", "the report names no area to develop"))?;
        self.app.development().create_plan_from_report(actor, input, report.id).await
    }
}

fn saved_of(r: Report) -> SavedReport {
    SavedReport {
        text: r.text,
        state: r.state,
        written_by: r.written_by,
        updated_at: r.updated_at,
        shared_at: r.shared_at,
        plan: r.plan,
    }
}

/// The plan a report becomes: the areas (at most three) as its capabilities; for each, the
/// mentors, courses and projects recommended, or a practice project where none is; none
/// without an area.
fn plan_input(lang: Lang, employee: Uuid, analysis: &Analysis, rec: &Recommendations) -> Option<PlanInput> {
    use crate::development::{MAX_ACTIONS, MAX_CAPABILITIES};
    let areas: Vec<String> = analysis.areas().take(MAX_CAPABILITIES).map(|f| f.dimension.clone()).collect();
    if areas.is_empty() {
        return None;
    }
    let mut actions = Vec::new();
    for area in &areas {
        let same = |d: &str| waymark_domain::development_report::same_dimension(d, area);
        let mut mine: Vec<PlanActionInput> = rec
            .mentors
            .iter()
            .filter(|m| same(&m.dimension))
            .take(1)
            .map(|m| PlanActionInput {
                kind: "mentor".into(),
                title: lang
                    .ta("devreport-plan-mentor", &[("name", m.person.name.clone()), ("dimension", area.clone())]),
                capability: Some(area.clone()),
                due_on: None,
            })
            .collect();
        mine.extend(rec.actions.iter().filter(|a| same(&a.dimension)).take(2).map(|a| PlanActionInput {
            kind: a.kind.to_string(),
            title: a.title.clone(),
            capability: Some(area.clone()),
            due_on: None,
        }));
        if mine.is_empty() {
            mine.push(PlanActionInput {
                kind: "project".into(),
                title: lang.ta("devreport-plan-practice", &[("dimension", area.clone())]),
                capability: Some(area.clone()),
                due_on: None,
            });
        }
        actions.extend(mine);
    }
    actions.truncate(MAX_ACTIONS);
    Some(PlanInput {
        employee_id: employee,
        participant_id: None,
        // A plan's goal is at most 200 characters; three long dimension names could pass it.
        title: lang
            .ta("devreport-plan-title", &[("areas", areas.join(lang.t("list-separator").as_str()))])
            .chars()
            .take(200)
            .collect(),
        capabilities: areas,
        actions,
        checkpoints: vec![],
    })
}
