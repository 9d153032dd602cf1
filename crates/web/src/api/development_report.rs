//! The development report (D-2) over the API: read it (the manager and HR get the analysis,
//! recommendations, the rules' draft and the saved report; the person the shared report),
//! save and share it, and turn it into a development plan. Wire types live here.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_app::development::PlanView;
use waymark_app::development_report::{ReportInput, ReportView, SavedReport};
use waymark_domain::development_report::{Analysis, ReportText};

use super::{ApiJson, ApiPath};
use crate::AppState;
use crate::context::{ApiUser, RequestContext};
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

/// The report's four parts.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct ReportTextWire {
    /// Stable strengths (at most 4 000 characters each part).
    pub strengths: String,
    /// Volatile and growth areas, and whether learning showed up.
    pub areas: String,
    /// Recommended actions.
    pub actions: String,
    /// How the manager can support them.
    pub support: String,
}

impl From<ReportText> for ReportTextWire {
    fn from(t: ReportText) -> Self {
        ReportTextWire { strengths: t.strengths, areas: t.areas, actions: t.actions, support: t.support }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ReportIn {
    #[serde(flatten)]
    pub text: ReportTextWire,
    /// Share it with the person now (a shared report stays shared).
    #[serde(default)]
    pub share: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FindingOut {
    pub dimension: String,
    /// strength, volatile, growth, steady or too_few.
    pub assessment: String,
    /// Colleagues' ratings (managers, peers, reports), over how many cycles.
    pub ratings: usize,
    pub cycles: usize,
    /// Colleagues' mean, lowest and highest rating on 0–100.
    pub mean: Option<f64>,
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// The person's own mean (shown, never deciding).
    pub self_mean: Option<f64>,
    /// How many of the colleagues' ratings are anonymous (peers, reports); with one or two the
    /// person is not shown the figures.
    pub anonymous: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LearningOut {
    pub dimension: String,
    pub title: String,
    pub done_on: NaiveDate,
    /// Colleagues' mean in the dimension in the cycle before and the first after (0–100).
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// shows_up, not_visible, not_yet or no_baseline.
    pub verdict: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AnalysisOut {
    /// Released cycles the ratings come from.
    pub cycles: usize,
    pub findings: Vec<FindingOut>,
    pub learning: Vec<LearningOut>,
}

impl From<Analysis> for AnalysisOut {
    fn from(a: Analysis) -> Self {
        AnalysisOut {
            cycles: a.cycles,
            findings: a
                .findings
                .into_iter()
                .map(|f| FindingOut {
                    dimension: f.dimension,
                    assessment: f.assessment.code().into(),
                    ratings: f.ratings,
                    cycles: f.cycles,
                    mean: f.mean,
                    low: f.low,
                    high: f.high,
                    self_mean: f.self_mean,
                    anonymous: f.anonymous,
                })
                .collect(),
            learning: a
                .learning
                .into_iter()
                .map(|l| LearningOut {
                    verdict: l.verdict.code().into(),
                    dimension: l.dimension,
                    title: l.title,
                    done_on: l.done_on,
                    before: l.before,
                    after: l.after,
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentorOut {
    pub employee_id: Uuid,
    pub name: String,
    pub dimension: String,
    pub mean: f64,
    pub ratings: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SuggestedOut {
    /// course or project.
    pub kind: String,
    pub title: String,
    pub dimension: String,
    /// People whose plans name it, and how many completed it.
    pub people: usize,
    pub completed: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SavedOut {
    #[serde(flatten)]
    pub text: ReportTextWire,
    /// draft or shared.
    pub state: String,
    pub written_by: String,
    pub updated_at: DateTime<Utc>,
    pub shared_at: Option<DateTime<Utc>>,
    /// The development plan made from it.
    pub plan_id: Option<Uuid>,
}

impl From<SavedReport> for SavedOut {
    fn from(s: SavedReport) -> Self {
        SavedOut {
            text: s.text.into(),
            state: s.state.code().into(),
            written_by: s.written_by,
            updated_at: s.updated_at,
            shared_at: s.shared_at,
            plan_id: s.plan,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ReportOut {
    pub employee_id: Uuid,
    pub name: String,
    /// The latest released cycle it covers (none: nothing released to them yet).
    pub cycle_id: Option<Uuid>,
    pub cycle_name: Option<String>,
    pub analysis: AnalysisOut,
    /// For the manager and HR only.
    pub mentors: Vec<MentorOut>,
    pub suggested: Vec<SuggestedOut>,
    /// The rules' draft, in the caller's language (manager and HR only; empty for the person).
    pub draft: ReportTextWire,
    pub saved: Option<SavedOut>,
    pub can_edit: bool,
}

impl From<ReportView> for ReportOut {
    fn from(v: ReportView) -> Self {
        let rec = v.recommendations.unwrap_or_default();
        ReportOut {
            employee_id: v.person.id,
            name: v.person.name,
            cycle_id: v.cycle.as_ref().map(|c| c.id),
            cycle_name: v.cycle.map(|c| c.name),
            analysis: v.analysis.into(),
            mentors: rec
                .mentors
                .into_iter()
                .map(|m| MentorOut {
                    employee_id: m.person.id,
                    name: m.person.name,
                    dimension: m.dimension,
                    mean: m.mean,
                    ratings: m.ratings,
                })
                .collect(),
            suggested: rec
                .actions
                .into_iter()
                .map(|s| SuggestedOut {
                    kind: s.kind.into(),
                    title: s.title,
                    dimension: s.dimension,
                    people: s.people,
                    completed: s.completed,
                })
                .collect(),
            draft: v.draft.into(),
            saved: v.saved.map(Into::into),
            can_edit: v.can_edit,
        }
    }
}

/// A person's development report: the manager and HR of their unit see the analysis, the
/// recommendations, the rules' draft (in the caller's language) and the saved report; the
/// person sees the report once shared with them.
#[utoipa::path(get, path = "/api/v1/people/{id}/development-report", tag = "development", params(("id" = Uuid, Path)),
    responses((status = 200, body = ReportOut), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn report(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ctx: RequestContext,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<ReportOut>> {
    Ok(Json(st.app.development_reports().report(&actor, ctx.lang, id).await?.into()))
}

/// Saves the report on the latest released cycle (the manager or HR of their unit, never about
/// themselves); `share` shows it to the person and tells them.
#[utoipa::path(put, path = "/api/v1/people/{id}/development-report", tag = "development", params(("id" = Uuid, Path)), request_body = ReportIn,
    responses((status = 200, body = SavedOut), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn save(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<ReportIn>,
) -> ApiResult<Json<SavedOut>> {
    let t = input.text;
    let input = ReportInput {
        text: ReportText { strengths: t.strengths, areas: t.areas, actions: t.actions, support: t.support },
        share: input.share,
    };
    Ok(Json(st.app.development_reports().save(&actor, id, input).await?.into()))
}

/// Turns the saved report into a development plan: its areas as capabilities, the recommended
/// mentors, courses and projects as actions. Once per report.
#[utoipa::path(post, path = "/api/v1/people/{id}/development-report/plan", tag = "development", params(("id" = Uuid, Path)),
    responses((status = 201, body = PlanView), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn make_plan(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ctx: RequestContext,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<(StatusCode, Json<PlanView>)> {
    Ok((StatusCode::CREATED, Json(st.app.development_reports().make_plan(&actor, ctx.lang, id).await?)))
}

/// Wording for the report's form, drafted by the AI endpoint an administrator connected.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DraftOut {
    #[serde(flatten)]
    pub text: ReportTextWire,
    /// The AI wrote it: a person must edit it before it can be shared.
    pub by_ai: bool,
    /// Why the rules' draft is given instead: off, timeout, unreachable, refused or bad_reply.
    #[schema(pattern = "^(off|timeout|unreachable|refused|bad_reply)$")]
    pub fallback: Option<String>,
}

/// Drafts the report's wording with the connected AI endpoint (off by default): only the rules'
/// findings are sent, the person named by role, and the call is audited. Nothing is saved;
/// when no endpoint is connected or it fails, the rules' draft comes back with the reason.
#[utoipa::path(post, path = "/api/v1/people/{id}/development-report/ai-draft", tag = "development", params(("id" = Uuid, Path)),
    responses((status = 200, body = DraftOut), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn ai_draft(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ctx: RequestContext,
    ApiPath(id): ApiPath<Uuid>,
) -> ApiResult<Json<DraftOut>> {
    let d = st.app.development_reports().ai_draft(&actor, ctx.lang, id).await?;
    let by_ai = d.by_ai();
    Ok(Json(DraftOut { text: d.text.into(), by_ai, fallback: d.fallback.map(|f| f.code().into()) }))
}
