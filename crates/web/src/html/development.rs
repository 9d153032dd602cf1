//! The review conversation page (V-5) and development plans (D-1): a person's plans with the
//! form for a new one, and one plan with its actions and checkpoints.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::development::{ACTION_KINDS, CheckpointInput, PlanActionInput, PlanInput, PlanView};
use waymark_app::goals::PeriodView;
use waymark_app::policy::Actor;
use waymark_app::reviews::{ConversationInput, ConversationView};

use super::{DoneQuery, Page, Pairs, field_messages, pair, pairs_of, render_form, settle};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

/// Rows of actions and checkpoint dates the new-plan form offers.
const ACTION_ROWS: usize = 4;
const CHECKPOINT_ROWS: usize = 3;

// ---- the conversation (V-5) ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "review_conversation.html")]
struct ConversationPage {
    page: Page,
    v: ConversationView,
    periods: Vec<PeriodView>,
    today: String,
    notice: Option<String>,
    errors: Vec<String>,
}

impl ConversationPage {
    fn capability(&self, i: &usize) -> &str {
        self.v.capabilities.get(*i).map(String::as_str).unwrap_or("")
    }
}

async fn conversation_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let loaded = async {
        let v = st.app.reviews().conversation(actor, id).await?;
        let periods = if v.can_edit { st.app.goals().periods(actor).await? } else { Vec::new() };
        Ok::<_, AppError>((v, periods))
    }
    .await;
    match loaded {
        Ok((v, periods)) => {
            let today = st.app.today();
            let periods = periods.into_iter().filter(|p| p.ends_on >= today).collect();
            let title = format!("{} · {}", ctx.lang.t("conversation-title"), v.person.name);
            let page =
                Page::for_user(actor, ctx, title, "reviews", &format!("/reviews/participants/{id}/conversation"));
            let p = ConversationPage { page, v, periods, today: today.to_string(), notice, errors };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn conversation(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("conversation-done-{d}")));
    conversation_page(&st, &actor, &ctx, id, notice, vec![]).await
}

pub async fn save_conversation(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let Ok(held_on) = pair(&pairs, "held_on").parse() else {
        let errors = vec![format!("{}: {}", ctx.lang.t("conversation-held-on"), ctx.lang.t("error-invalid-date"))];
        return conversation_page(&st, &actor, &ctx, id, None, errors).await;
    };
    let input = ConversationInput {
        held_on,
        standing: pair(&pairs, "standing").into(),
        facts: pair(&pairs, "facts").into(),
        next_grade: pair(&pairs, "next_grade").into(),
        conclusion: pair(&pairs, "conclusion").into(),
        capabilities: pairs_of(&pairs, "capability"),
        next_period_id: pair(&pairs, "next_period").parse().ok(),
        draft_goals: pairs_of(&pairs, "draft_goal"),
    };
    settle(
        ctx.lang,
        st.app.reviews().save_conversation(&actor, id, input).await,
        format!("/reviews/participants/{id}/conversation?done=saved"),
        |errors| conversation_page(&st, &actor, &ctx, id, None, errors),
    )
    .await
}

// ---- a person's plans (D-1) ------------------------------------------------------------------

#[derive(Template)]
#[template(path = "development.html")]
struct PlansPage {
    page: Page,
    person: waymark_app::org::Person,
    plans: Vec<PlanView>,
    can_create: bool,
    /// The review a new plan comes from (`?review=`), with its capabilities filled in.
    review: Option<Uuid>,
    capabilities: String,
    kinds: [&'static str; 4],
    rows: Vec<usize>,
    checkpoint_rows: Vec<usize>,
    today: String,
    errors: Vec<String>,
}

#[derive(Debug, Deserialize)]
pub struct PlansQuery {
    review: Option<Uuid>,
}

async fn plans_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    employee: Uuid,
    review: Option<Uuid>,
    errors: Vec<String>,
) -> Response {
    let loaded = async {
        let plans = st.app.development().plans_of(actor, employee).await?;
        let (person, can_create) = st.app.development().planner(actor, employee).await?;
        // Filled from the conversation when the plan comes from a review.
        let capabilities = match review {
            Some(r) => {
                let conversation = crate::html::optional(st.app.reviews().conversation(actor, r).await)?;
                conversation.map(|v| v.capabilities.join("、")).unwrap_or_default()
            }
            None => String::new(),
        };
        Ok::<_, AppError>((plans, person, can_create, capabilities))
    }
    .await;
    match loaded {
        Ok((plans, person, can_create, capabilities)) => {
            let title = format!("{} · {}", ctx.lang.t("development-title"), person.name);
            let page = Page::for_user(actor, ctx, title, "reviews", &format!("/people/{employee}/development"));
            let p = PlansPage {
                page,
                person,
                plans,
                can_create,
                review,
                capabilities,
                kinds: ACTION_KINDS,
                rows: (0..ACTION_ROWS).collect(),
                checkpoint_rows: (0..CHECKPOINT_ROWS).collect(),
                today: st.app.today().to_string(),
                errors,
            };
            render_form(&p, &p.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn plans(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<PlansQuery>,
) -> Response {
    plans_page(&st, &actor, &ctx, id, q.review, vec![]).await
}

/// One's own plans.
pub async fn mine(PageUser(actor, ctx): PageUser) -> Response {
    match actor.employee_id {
        Some(me) => Redirect::to(&format!("/people/{me}/development")).into_response(),
        None => page_error(ctx.lang, AppError::NotFound("employee")),
    }
}

pub async fn create_plan(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let review = pair(&pairs, "review").parse().ok();
    let mut actions = Vec::new();
    for i in 0..ACTION_ROWS {
        let title = pair(&pairs, &format!("action_title_{i}"));
        if title.trim().is_empty() {
            continue;
        }
        let due = pair(&pairs, &format!("action_due_{i}"));
        let Ok(due_on) = (!due.is_empty()).then(|| due.parse()).transpose() else {
            let errors = vec![format!("{}: {}", ctx.lang.t("development-due"), ctx.lang.t("error-invalid-date"))];
            return plans_page(&st, &actor, &ctx, id, review, errors).await;
        };
        actions.push(PlanActionInput {
            kind: pair(&pairs, &format!("action_kind_{i}")).into(),
            title: title.into(),
            capability: Some(pair(&pairs, &format!("action_capability_{i}")).to_string()),
            due_on,
        });
    }
    let mut checkpoints = Vec::new();
    for d in pairs_of(&pairs, "checkpoint").iter().filter(|d| !d.is_empty()) {
        match d.parse() {
            Ok(d) => checkpoints.push(d),
            Err(_) => {
                let errors =
                    vec![format!("{}: {}", ctx.lang.t("development-checkpoints"), ctx.lang.t("error-invalid-date"))];
                return plans_page(&st, &actor, &ctx, id, review, errors).await;
            }
        }
    }
    let capabilities = pair(&pairs, "capabilities")
        .split([',', '，', '、'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect();
    let input = PlanInput {
        employee_id: id,
        participant_id: review,
        title: pair(&pairs, "title").into(),
        capabilities,
        actions,
        checkpoints,
    };
    match st.app.development().create_plan(&actor, input).await {
        Ok(p) => Redirect::to(&format!("/development/{}?done=created", p.id)).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            plans_page(&st, &actor, &ctx, id, review, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

// ---- one plan ---------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "dev_plan.html")]
struct PlanPage {
    page: Page,
    p: PlanView,
    notice: Option<String>,
    errors: Vec<String>,
}

async fn plan_page(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    match st.app.development().plan(actor, id).await {
        Ok(p) => {
            let title = format!("{} · {}", ctx.lang.t("development-plan"), p.title);
            let page = Page::for_user(actor, ctx, title, "reviews", &format!("/development/{id}"));
            let pg = PlanPage { page, p, notice, errors };
            render_form(&pg, &pg.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn plan(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<DoneQuery>,
) -> Response {
    let notice = q.done.map(|d| ctx.lang.t(&format!("development-done-{d}")));
    plan_page(&st, &actor, &ctx, id, notice, vec![]).await
}

/// Ticks an action done or not done (`done` = 1 or 0).
pub async fn action(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path((plan, action)): Path<(Uuid, Uuid)>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let done = pair(&pairs, "done") == "1";
    settle(
        ctx.lang,
        st.app.development().set_action_done(&actor, action, done).await,
        format!("/development/{plan}?done=action"),
        |errors| plan_page(&st, &actor, &ctx, plan, None, errors),
    )
    .await
}

pub async fn checkpoint(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path((plan, checkpoint)): Path<(Uuid, Uuid)>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let input = CheckpointInput { note: pair(&pairs, "note").into() };
    settle(
        ctx.lang,
        st.app.development().hold_checkpoint(&actor, checkpoint, input).await,
        format!("/development/{plan}?done=checkpoint"),
        |errors| plan_page(&st, &actor, &ctx, plan, None, errors),
    )
    .await
}
