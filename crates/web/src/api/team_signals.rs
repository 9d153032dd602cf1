//! Team signals over the API (SPEC I-4; issue 26, item 1): the groups the reader may read —
//! HR's units, a manager's line — with each hint's figures. Wire types live here.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_app::team_signals::TeamSignals;
use waymark_domain::signals::team::TeamFinding;

use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamFindingOut {
    /// leavers (left in the last year), swings (last two results 15 or more apart), hours
    /// (average recorded week) or results (mean latest result against the organization's).
    #[schema(pattern = "^(leavers|swings|hours|results)$")]
    pub code: String,
    /// How many people the finding is about (leavers, swings), and of how many.
    pub count: Option<usize>,
    pub of: usize,
    /// count / of, in percent.
    pub share: Option<f64>,
    pub hours: Option<f64>,
    /// The group's mean latest result and the organization's, 0–100.
    pub score: Option<f64>,
    pub organization: Option<f64>,
}

impl From<&TeamFinding> for TeamFindingOut {
    fn from(f: &TeamFinding) -> Self {
        let out = |code: &str, of: usize| TeamFindingOut {
            code: code.into(),
            count: None,
            of,
            share: None,
            hours: None,
            score: None,
            organization: None,
        };
        match *f {
            TeamFinding::Leavers { count, of, share } => {
                TeamFindingOut { count: Some(count), share: Some(share), ..out("leavers", of) }
            }
            TeamFinding::Swings { count, of, share } => {
                TeamFindingOut { count: Some(count), share: Some(share), ..out("swings", of) }
            }
            TeamFinding::Hours { of, hours } => TeamFindingOut { hours: Some(hours), ..out("hours", of) },
            TeamFinding::Results { of, score, organization } => {
                TeamFindingOut { score: Some(score), organization: Some(organization), ..out("results", of) }
            }
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamHintOut {
    /// unstable or pressure_performance.
    #[schema(pattern = "^(unstable|pressure_performance)$")]
    pub kind: String,
    pub findings: Vec<TeamFindingOut>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamOut {
    /// The unit; none for the reader's own line.
    pub unit_id: Option<Uuid>,
    pub name: Option<String>,
    pub people: usize,
    pub hints: Vec<TeamHintOut>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TeamSignalsOut {
    /// Groups with a hint first; groups under five people are left out.
    pub teams: Vec<TeamOut>,
    pub read: usize,
    pub too_small: usize,
    /// The organization's mean latest result (0–100).
    pub organization_mean: Option<f64>,
}

impl From<TeamSignals> for TeamSignalsOut {
    fn from(t: TeamSignals) -> Self {
        TeamSignalsOut {
            teams: t
                .teams
                .into_iter()
                .map(|g| TeamOut {
                    unit_id: g.unit,
                    name: g.name,
                    people: g.people,
                    hints: g
                        .hints
                        .iter()
                        .map(|h| TeamHintOut {
                            kind: h.kind.code().into(),
                            findings: h.findings.iter().map(Into::into).collect(),
                        })
                        .collect(),
                })
                .collect(),
            read: t.read,
            too_small: t.too_small,
            organization_mean: t.organization_mean,
        }
    }
}

/// Team signals: HR reads each unit of their scope, a manager their line as one group; groups
/// under five people are never read, and no person is named.
#[utoipa::path(get, path = "/api/v1/signals/teams", tag = "signals",
    responses((status = 200, body = TeamSignalsOut), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn teams(State(st): State<AppState>, ApiUser(actor): ApiUser) -> Result<Json<TeamSignalsOut>, ApiError> {
    Ok(Json(st.app.signals().teams(&actor).await?.into()))
}
