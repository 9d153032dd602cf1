//! The AI drafting endpoint as the administrator sees it (issue 26, item 5): whether one is
//! connected, and a test that it answers. Wire types live here.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AiStatusOut {
    /// An endpoint is connected (`[ai]` in the configuration).
    pub on: bool,
    /// Its host and port, never its path or key.
    pub host: Option<String>,
    pub model: Option<String>,
    pub timeout_secs: Option<u64>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AiTestOut {
    /// It answered in the protocol, with a JSON object as asked.
    pub ok: bool,
    /// Why not: off, timeout, unreachable, refused or bad_reply.
    #[schema(pattern = "^(off|timeout|unreachable|refused|bad_reply)$")]
    pub fallback: Option<String>,
    /// How long the exchange took, in milliseconds.
    pub ms: u64,
}

/// Whether an AI drafting endpoint is connected, and which (administrators).
#[utoipa::path(get, path = "/api/v1/ai", tag = "webhooks",
    responses((status = 200, body = AiStatusOut), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn status(State(st): State<AppState>, ApiUser(actor): ApiUser) -> Result<Json<AiStatusOut>, ApiError> {
    use waymark_app::policy::{Action, Facts, Resource, allowed};
    if !allowed(&actor, Action::Write, Resource::Integrations, Facts::default()) {
        return Err(waymark_app::AppError::Forbidden.into());
    }
    let s = st.app.ai_status();
    Ok(Json(AiStatusOut { on: s.on, host: s.host, model: s.model, timeout_secs: s.timeout_secs }))
}

/// Asks the connected endpoint a question about no one and says whether it answered as asked;
/// audited like every call (administrators).
#[utoipa::path(post, path = "/api/v1/ai/test", tag = "webhooks",
    responses((status = 200, body = AiTestOut), (status = 401, body = Problem), (status = 403, body = Problem)),
    security(("bearer" = [])))]
pub async fn test(State(st): State<AppState>, ApiUser(actor): ApiUser) -> Result<Json<AiTestOut>, ApiError> {
    let t = st.app.ai_test(&actor).await?;
    Ok(Json(AiTestOut { ok: t.ok(), fallback: t.fallback.map(|f| f.code().into()), ms: t.ms }))
}
