//! Risk and potential signals (SPEC I-4): one's own with their evidence and answers, what a
//! manager and HR may see of others', looking at one with a reason, answering and replying, and
//! HR's setting and computation. The wire types live here; the service's views are converted.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_app::signals::{AnswerView, ComputeReport, MySignals, Overview, SignalView};
use waymark_domain::signals::Evidence;

use super::{ApiJson, ApiPath};
use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Debug, Serialize, ToSchema)]
pub struct SignalPerson {
    pub id: Uuid,
    pub name: String,
}

/// One fact a signal stands on.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignalEvidence {
    /// results_declining, fewer_check_ins, one_on_ones_cancelled, sustained_overtime (hours in
    /// tenths), no_leave_taken, manager_changed, feedback_turning_critical, long_at_level,
    /// sustained_high_results, mostly_recognition, high_potential_assessed, learning_completed
    /// or model_estimate (the flight-risk model's, with the features that raised it most).
    pub factor: String,
    /// The fact's figures (e.g. `{"earlier": 9, "recent": 3, "weeks": 6}`); names depend on the factor.
    #[schema(value_type = Object)]
    pub figures: serde_json::Value,
    /// What it contributed to the signal's points.
    pub points: u32,
    /// Where it comes from: system_recorded, self_reported, rating (needs calibrating) or
    /// model_estimate (learned from others' history, never a fact about the person).
    pub credibility: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl From<&Evidence> for SignalEvidence {
    fn from(e: &Evidence) -> Self {
        let mut figures = serde_json::to_value(&e.factor).unwrap_or_default();
        if let Some(o) = figures.as_object_mut() {
            o.remove("factor");
        }
        SignalEvidence {
            factor: e.factor.code().into(),
            figures,
            points: e.points,
            credibility: e.credibility().code().into(),
            from: e.from,
            to: e.to,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignalReplyOut {
    pub body: String,
    pub by: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignalAnswerOut {
    pub id: Uuid,
    /// explain, contest or wrong.
    pub stance: String,
    pub body: String,
    pub author: String,
    pub created_at: DateTime<Utc>,
    pub reply: Option<SignalReplyOut>,
}

impl From<AnswerView> for SignalAnswerOut {
    fn from(v: AnswerView) -> Self {
        let a = v.answer;
        SignalAnswerOut {
            id: a.id,
            stance: a.stance.code().into(),
            body: a.body,
            author: v.author,
            created_at: a.created_at,
            reply: a.reply.map(|r| SignalReplyOut { body: r.body, by: r.by_name, at: r.at }),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignalOut {
    pub id: Uuid,
    pub person: SignalPerson,
    /// flight_burnout or high_potential.
    pub kind: String,
    /// open, or cleared once the rules no longer find it.
    pub state: String,
    pub points: u32,
    /// Strongest first.
    pub evidence: Vec<SignalEvidence>,
    /// What could be done: ask_what_changed, check_workload, hold_one_on_one,
    /// talk_about_feedback, career_conversation, talent_review, share_strengths, stretch_assignment.
    pub suggestions: Vec<String>,
    pub raised_at: DateTime<Utc>,
    pub computed_at: DateTime<Utc>,
    pub cleared_at: Option<DateTime<Utc>>,
    pub answers: Vec<SignalAnswerOut>,
    pub can_answer: bool,
    pub can_reply: bool,
}

impl From<SignalView> for SignalOut {
    fn from(v: SignalView) -> Self {
        let s = v.signal;
        SignalOut {
            id: s.id,
            person: SignalPerson { id: v.person.id, name: v.person.name },
            kind: s.kind.code().into(),
            state: s.state.code().into(),
            points: s.points,
            evidence: s.evidence.iter().map(SignalEvidence::from).collect(),
            suggestions: v.suggestions.into_iter().map(String::from).collect(),
            raised_at: s.raised_at,
            computed_at: s.computed_at,
            cleared_at: s.cleared_at,
            answers: v.answers.into_iter().map(SignalAnswerOut::from).collect(),
            can_answer: v.can_answer,
            can_reply: v.can_reply,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MySignalsOut {
    pub signals: Vec<SignalOut>,
    /// Told at once when a signal about me is raised.
    pub notify_first: bool,
}

impl From<MySignals> for MySignalsOut {
    fn from(m: MySignals) -> Self {
        MySignalsOut { signals: m.signals.into_iter().map(SignalOut::from).collect(), notify_first: m.notify_first }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignalKindCount {
    pub kind: String,
    pub people: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LineSignals {
    /// People in the manager's line, at any depth.
    pub people: usize,
    /// Absent when the line is under five people.
    pub counts: Option<Vec<SignalKindCount>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListedSignal {
    pub id: Uuid,
    pub kind: String,
    pub points: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListedPersonOut {
    pub person: SignalPerson,
    pub unit: String,
    pub signals: Vec<ListedSignal>,
    /// The person's answers still waiting for a reply.
    pub unanswered: usize,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignalOverviewOut {
    pub line: Option<LineSignals>,
    /// At most 200, answers waiting first, then the strongest.
    pub listed: Vec<ListedPersonOut>,
    pub listed_total: usize,
    pub managers_see_names: bool,
    pub can_compute: bool,
}

impl From<Overview> for SignalOverviewOut {
    fn from(o: Overview) -> Self {
        SignalOverviewOut {
            line: o.line.map(|l| LineSignals {
                people: l.people,
                counts: l.counts.map(|c| {
                    c.into_iter().map(|(k, people)| SignalKindCount { kind: k.code().into(), people }).collect()
                }),
            }),
            listed: o
                .listed
                .into_iter()
                .map(|p| ListedPersonOut {
                    person: SignalPerson { id: p.person.id, name: p.person.name },
                    unit: p.unit,
                    signals: p
                        .signals
                        .into_iter()
                        .map(|(id, k, points)| ListedSignal { id, kind: k.code().into(), points })
                        .collect(),
                    unanswered: p.unanswered,
                })
                .collect(),
            listed_total: o.listed_total,
            managers_see_names: o.managers_see_names,
            can_compute: o.can_compute,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignalComputeOut {
    pub people: usize,
    pub raised: usize,
    pub updated: usize,
    pub cleared: usize,
    pub elapsed_ms: u64,
}

impl From<ComputeReport> for SignalComputeOut {
    fn from(r: ComputeReport) -> Self {
        SignalComputeOut {
            people: r.people,
            raised: r.raised,
            updated: r.updated,
            cleared: r.cleared,
            elapsed_ms: r.elapsed_ms,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignalLookIn {
    /// Why you open it (required for someone else's signal; kept in the audit log). 1–500 characters.
    #[serde(default)]
    pub look_reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignalAnswerIn {
    /// explain, contest or wrong.
    pub stance: String,
    /// 1–2 000 characters.
    pub answer: String,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignalReplyIn {
    /// 1–2 000 characters.
    pub reply: String,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct SignalSettingsIo {
    /// Managers see the names (and, with a reason, the evidence) of their line's signals.
    pub managers_see_names: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SignalPreferenceIn {
    pub notify_first: bool,
}

/// My signals, open and cleared, with their evidence and answers.
#[utoipa::path(get, path = "/api/v1/signals/mine", tag = "signals",
    responses((status = 200, body = MySignalsOut), (status = 401, body = Problem), (status = 404, body = Problem)),
    security(("bearer" = [])))]
pub async fn mine(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<MySignalsOut>> {
    Ok(Json(st.app.signals().mine(&actor).await?.into()))
}

/// Others' signals as the reader may see them: a manager's line in counts (none under five
/// people), names where HR allows; HR the people of their units.
#[utoipa::path(get, path = "/api/v1/signals", tag = "signals",
    responses((status = 200, body = SignalOverviewOut), (status = 401, body = Problem)),
    security(("bearer" = [])))]
pub async fn overview(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<SignalOverviewOut>> {
    Ok(Json(st.app.signals().overview(&actor).await?.into()))
}

/// Opens a signal's evidence. Someone else's needs a reason, which the audit log keeps.
#[utoipa::path(post, path = "/api/v1/signals/{id}/look", tag = "signals", params(("id" = Uuid, Path)), request_body = SignalLookIn,
    responses((status = 200, body = SignalOut), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn look(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<SignalLookIn>,
) -> ApiResult<Json<SignalOut>> {
    Ok(Json(st.app.signals().look(&actor, id, input.look_reason.as_deref()).await?.into()))
}

/// Answers a signal about me: explain it, contest it, or say its data is wrong.
#[utoipa::path(post, path = "/api/v1/signals/{id}/answers", tag = "signals", params(("id" = Uuid, Path)), request_body = SignalAnswerIn,
    responses((status = 201, body = SignalAnswerOut), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn answer(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<SignalAnswerIn>,
) -> ApiResult<(StatusCode, Json<SignalAnswerOut>)> {
    let a = st.app.signals().answer(&actor, id, &input.stance, &input.answer).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// Replies to a person's answer (HR of their unit, once).
#[utoipa::path(post, path = "/api/v1/signal-answers/{id}/reply", tag = "signals", params(("id" = Uuid, Path)), request_body = SignalReplyIn,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn reply(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(input): ApiJson<SignalReplyIn>,
) -> ApiResult<StatusCode> {
    st.app.signals().reply(&actor, id, &input.reply).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Runs the rules for everyone now (org-wide HR; the nightly sweep runs them too).
#[utoipa::path(post, path = "/api/v1/signals/compute", tag = "signals",
    responses((status = 200, body = SignalComputeOut), (status = 401, body = Problem), (status = 403, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn compute(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<SignalComputeOut>> {
    Ok(Json(st.app.signals().compute(&actor).await?.into()))
}

/// Whether managers see names of their line's signals.
#[utoipa::path(get, path = "/api/v1/signal-settings", tag = "signals",
    responses((status = 200, body = SignalSettingsIo), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn settings(State(st): State<AppState>, ApiUser(actor): ApiUser) -> ApiResult<Json<SignalSettingsIo>> {
    Ok(Json(SignalSettingsIo { managers_see_names: st.app.signals().managers_see_names(&actor).await? }))
}

/// Sets whether managers see names of their line's signals (org-wide HR).
#[utoipa::path(put, path = "/api/v1/signal-settings", tag = "signals", request_body = SignalSettingsIo,
    responses((status = 200, body = SignalSettingsIo), (status = 400, body = Problem), (status = 401, body = Problem), (status = 403, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn set_settings(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<SignalSettingsIo>,
) -> ApiResult<Json<SignalSettingsIo>> {
    st.app.signals().set_managers_see_names(&actor, input.managers_see_names).await?;
    Ok(Json(input))
}

/// Whether I am told at once when a signal about me is raised.
#[utoipa::path(put, path = "/api/v1/signals/preference", tag = "signals", request_body = SignalPreferenceIn,
    responses((status = 204), (status = 400, body = Problem), (status = 401, body = Problem), (status = 404, body = Problem), (status = 415, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = [])))]
pub async fn preference(
    State(st): State<AppState>,
    ApiUser(actor): ApiUser,
    ApiJson(input): ApiJson<SignalPreferenceIn>,
) -> ApiResult<StatusCode> {
    st.app.signals().set_notify_first(&actor, input.notify_first).await?;
    Ok(StatusCode::NO_CONTENT)
}
