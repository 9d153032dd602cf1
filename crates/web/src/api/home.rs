//! The caller's home: what to do now (issue 23, item 1).

use axum::Json;
use axum::extract::State;
use waymark_app::home::HomeView;

use crate::AppState;
use crate::context::ApiUser;
use crate::error::{ApiError, Problem};

/// The caller's work for today and the week: to-dos (overdue first), their goals of the running
/// periods with their lights, what changed in the last two weeks, and by role the team's lights
/// and who has gone quiet (managers), the launched review cycles' progress (HR) and the strategy
/// board's summary (executives).
#[utoipa::path(get, path = "/api/v1/home", tag = "home",
    responses((status = 200, body = HomeView), (status = 401, body = Problem)), security(("bearer" = [])))]
pub async fn home(State(st): State<AppState>, ApiUser(actor): ApiUser) -> Result<Json<HomeView>, ApiError> {
    Ok(Json(st.app.home().today(&actor).await?))
}
