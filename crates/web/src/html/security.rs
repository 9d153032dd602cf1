//! The system administrator's security page (issue 21): accounts with lock and unlock,
//! the sign-in failures of the last quarter hour with who is throttled, and the signed
//! checkpoints of the audit chain kept outside the database.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use waymark_app::accounts::{AccountView, ThrottleView};
use waymark_app::audit::CheckpointView;

use super::{Page, render};
use crate::AppState;
use crate::context::PageUser;
use crate::error::page_error;

#[derive(Template)]
#[template(path = "security.html")]
struct SecurityPage {
    page: Page,
    accounts: Vec<AccountView>,
    throttles: ThrottleView,
    checkpoints: Vec<CheckpointView>,
    /// Where each checkpoint is also sent (mailboxes, an IM robot's host).
    shipped_to: Vec<String>,
}

pub async fn page(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    let accounts = st.app.accounts();
    let loaded = async {
        let list = accounts.list(&actor).await?;
        let throttles = accounts.throttles(&actor).await?;
        let checkpoints = st.app.audit().checkpoints(&actor, 10)?;
        let shipped_to = st.app.audit().checkpoint_destinations(&actor)?;
        Ok::<_, waymark_app::AppError>((list, throttles, checkpoints, shipped_to))
    };
    match loaded.await {
        Ok((accounts, throttles, checkpoints, shipped_to)) => {
            let page = Page::for_user(&actor, &ctx, ctx.lang.t("security-title"), "admin", "/admin/accounts");
            render(&SecurityPage { page, accounts, throttles, checkpoints, shipped_to })
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Deserialize)]
pub struct LockForm {
    locked: String,
}

pub async fn set_locked(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(username): Path<String>,
    Form(f): Form<LockForm>,
) -> Response {
    match st.app.accounts().set_locked(&actor, &username, f.locked == "1").await {
        Ok(()) => Redirect::to("/admin/accounts").into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}
