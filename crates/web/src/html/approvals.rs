//! The approval queue (G-10) and the in-app inbox (T-7).

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;
use waymark_app::goals::workflow::PendingApproval;
use waymark_app::inbox::Inbox;

use super::{DoneQuery, Page, render};
use crate::AppState;
use crate::context::PageUser;
use crate::error::page_error;

#[derive(Template)]
#[template(path = "approvals.html")]
struct QueuePage {
    page: Page,
    items: Vec<PendingApproval>,
    notice: Option<String>,
}

pub async fn queue(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Query(q): Query<DoneQuery>) -> Response {
    let items = match st.app.goals().approval_queue(&actor).await {
        Ok(i) => i,
        Err(e) => return page_error(ctx.lang, e),
    };
    let notice = q.done.as_deref().and_then(|d| ctx.lang.try_t(&format!("goal-done-{d}")));
    let page = Page::for_user(&actor, &ctx, ctx.lang.t("approvals-title"), "goals", "/approvals");
    render(&QueuePage { page, items, notice })
}

#[derive(Template)]
#[template(path = "inbox.html")]
struct InboxPage {
    page: Page,
    inbox: Inbox,
}

pub async fn inbox(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    let inbox = match st.app.inbox().list(&actor).await {
        Ok(i) => i,
        Err(e) => return page_error(ctx.lang, e),
    };
    let page = Page::for_user(&actor, &ctx, ctx.lang.t("inbox-title"), "inbox", "/inbox");
    render(&InboxPage { page, inbox })
}

#[derive(Deserialize)]
pub struct ReadForm {
    #[serde(default)]
    id: Option<Uuid>,
    /// Where to go next (the message's subject), else back to the inbox.
    #[serde(default)]
    next: Option<String>,
}

pub async fn mark_read(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Form(f): Form<ReadForm>,
) -> Response {
    if let Err(e) = st.app.inbox().mark_read(&actor, f.id).await {
        return page_error(ctx.lang, e);
    }
    Redirect::to(&super::safe_next(f.next.as_deref().or(Some("/inbox")))).into_response()
}

/// htmx: the unread count beside "Inbox" in the header, loaded after the page so it never
/// slows a page down.
pub async fn badge(State(st): State<AppState>, PageUser(actor, _ctx): PageUser) -> Response {
    match st.app.inbox().unread(&actor).await {
        Ok(0) => Html(String::new()).into_response(),
        // The badge is loaded after the page and must never break it; the failure is logged.
        Err(e) => {
            tracing::warn!(error = %e, "inbox badge");
            Html(String::new()).into_response()
        }
        Ok(n) => Html(format!("<span class=\"unread\">{n}</span>")).into_response(),
    }
}
