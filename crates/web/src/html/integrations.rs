//! The administrator's inbound webhooks page (F-7): integrations with their endpoint, secret
//! (shown once), team and latest events with the people they could not match; people's ids in
//! other systems mapped to employees. And the feedback to-dos' dismiss button.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::policy::Actor;
use waymark_app::webhooks::{IdentityInput, IdentityView, IntegrationInput, IntegrationUpdate, IntegrationView};

use super::{Page, Pairs, field_messages, pair, pair_ids, render_form};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

#[derive(Template)]
#[template(path = "integrations.html")]
struct IntegrationsPage {
    page: Page,
    integrations: Vec<IntegrationView>,
    identities: Vec<IdentityView>,
    /// Just created or renewed: its secret, shown this once.
    fresh: Option<IntegrationView>,
    errors: Vec<String>,
    /// The AI drafting endpoint, as the operator configured it (issue 26, item 5).
    ai: waymark_app::ai::AiStatus,
    /// What the administrator's test of the AI connection found, in words.
    ai_test: Option<(bool, String)>,
}

async fn show(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    fresh: Option<IntegrationView>,
    errors: Vec<String>,
) -> Response {
    show_with(st, actor, ctx, fresh, errors, None).await
}

async fn show_with(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    fresh: Option<IntegrationView>,
    errors: Vec<String>,
    ai_test: Option<(bool, String)>,
) -> Response {
    let w = st.app.webhooks();
    let loaded = async { Ok::<_, AppError>((w.list(actor).await?, w.identities(actor).await?)) };
    let (integrations, identities) = match loaded.await {
        Ok(l) => l,
        Err(e) => return page_error(ctx.lang, e),
    };
    let page = Page::for_user(actor, ctx, ctx.lang.t("integrations-title"), "admin", "/admin/integrations");
    let p = IntegrationsPage { page, integrations, identities, fresh, errors, ai: st.app.ai_status(), ai_test };
    render_form(&p, &p.errors)
}

pub async fn page(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    show(&st, &actor, &ctx, None, vec![]).await
}

/// Asks the connected AI endpoint a question about no one and says whether it answered.
pub async fn ai_test(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    match st.app.ai_test(&actor).await {
        Ok(t) => {
            let secs = format!("{:.2}", t.ms as f64 / 1000.0);
            let said = match t.fallback {
                None => ctx.lang.ta("ai-test-ok", &[("secs", secs)]),
                Some(f) => {
                    let why = ctx.lang.t(&format!("ai-outcome-{}", f.code().replace('_', "-")));
                    ctx.lang.ta("ai-test-failed", &[("why", why)])
                }
            };
            show_with(&st, &actor, &ctx, None, vec![], Some((t.ok(), said))).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn create(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Form(pairs): Form<Pairs>) -> Response {
    let input = IntegrationInput {
        kind: pair(&pairs, "kind").into(),
        name: pair(&pairs, "name").into(),
        team: pair_ids(&pairs, "from"),
    };
    match st.app.webhooks().create(&actor, input).await {
        Ok(v) => show(&st, &actor, &ctx, Some(v), vec![]).await,
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            show(&st, &actor, &ctx, None, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn renew(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    match st.app.webhooks().renew_secret(&actor, id).await {
        Ok(v) => show(&st, &actor, &ctx, Some(v), vec![]).await,
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn set_active(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let update = IntegrationUpdate { team: None, active: Some(pair(&pairs, "active") == "true") };
    match st.app.webhooks().update(&actor, id, update).await {
        Ok(_) => Redirect::to("/admin/integrations").into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn map(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Form(pairs): Form<Pairs>) -> Response {
    let Ok(employee_id) = pair(&pairs, "to").parse::<Uuid>() else {
        let msg = format!("{}: {}", ctx.lang.t("field-employee-id"), ctx.lang.t("error-required"));
        return show(&st, &actor, &ctx, None, vec![msg]).await;
    };
    let input = IdentityInput {
        system: pair(&pairs, "system").into(),
        external_id: pair(&pairs, "external_id").into(),
        employee_id,
    };
    match st.app.webhooks().put_identity(&actor, input).await {
        Ok(_) => Redirect::to("/admin/integrations#identities").into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            show(&st, &actor, &ctx, None, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn unmap(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Form(pairs): Form<Pairs>) -> Response {
    match st.app.webhooks().delete_identity(&actor, pair(&pairs, "system"), pair(&pairs, "external_id")).await {
        Ok(()) => Redirect::to("/admin/integrations#identities").into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}

/// Puts a feedback to-do aside (from the feedback page).
pub async fn dismiss_todo(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
) -> Response {
    match st.app.webhooks().dismiss(&actor, id).await {
        Ok(()) => Redirect::to("/feedback#todos").into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}
