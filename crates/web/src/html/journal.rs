//! A person's key events (F-5) on their profile's feedback tab, with the feedback about them
//! the reader may see; the form to record, change and remove one's own entries.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::feedback::{FeedbackView, Which};
use waymark_app::goals::GoalSummary;
use waymark_app::journal::{JournalEntryView, JournalInput};
use waymark_app::org::EmployeeCard;
use waymark_app::policy::Actor;

use super::{Page, Pairs, field_messages, pair, pairs_of, render_form};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

#[derive(Template)]
#[template(path = "journal.html")]
struct JournalPage {
    page: Page,
    person: EmployeeCard,
    entries: Vec<JournalEntryView>,
    feedback: Vec<FeedbackView>,
    /// The reader may record events about this person.
    can_write: bool,
    /// The form: a new entry, or the one being changed.
    form: EntryForm,
    goals: Vec<GoalSummary>,
    today: String,
    notice: Option<String>,
    errors: Vec<String>,
}

#[derive(Default, Clone)]
struct EntryForm {
    editing: Option<Uuid>,
    kind: String,
    occurred_on: String,
    title: String,
    evidence: String,
    links: String,
    goal_ids: Vec<String>,
}

impl EntryForm {
    fn from_pairs(pairs: &Pairs) -> EntryForm {
        EntryForm {
            editing: pair(pairs, "entry").parse().ok(),
            kind: pair(pairs, "kind").into(),
            occurred_on: pair(pairs, "occurred_on").into(),
            title: pair(pairs, "title").into(),
            evidence: pair(pairs, "evidence").into(),
            links: pair(pairs, "links").into(),
            goal_ids: pairs_of(pairs, "goal_id"),
        }
    }
    fn of(e: &JournalEntryView) -> EntryForm {
        EntryForm {
            editing: Some(e.id),
            kind: e.kind.clone(),
            occurred_on: e.occurred_on.to_string(),
            title: e.title.clone(),
            evidence: e.evidence.clone(),
            links: e.links.join("\n"),
            goal_ids: e.goals.iter().map(|g| g.id.to_string()).collect(),
        }
    }
    fn checked(&self, goal: &Uuid) -> bool {
        self.goal_ids.iter().any(|g| *g == goal.to_string())
    }
}

#[derive(serde::Deserialize, Default)]
pub struct JournalQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    edit: Option<Uuid>,
}

/// `/journal`: one's own.
pub async fn mine(PageUser(actor, ctx): PageUser) -> Response {
    match actor.employee_id {
        Some(me) => Redirect::to(&format!("/people/{me}/journal")).into_response(),
        None => page_error(ctx.lang, AppError::NotFound("employee")),
    }
}

pub async fn page(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Query(q): Query<JournalQuery>,
) -> Response {
    let mut form = EntryForm { kind: "contribution".into(), ..EntryForm::default() };
    if let Some(e) = q.edit {
        match st.app.journal().get(&actor, e).await {
            Ok(e) if e.editable => form = EntryForm::of(&e),
            Ok(_) => return page_error(ctx.lang, AppError::Forbidden),
            Err(e) => return page_error(ctx.lang, e),
        }
    }
    let notice = q.done.map(|d| ctx.lang.t(&format!("journal-done-{d}")));
    show(&st, &actor, &ctx, id, form, notice, vec![]).await
}

async fn show(
    st: &AppState,
    actor: &Actor,
    ctx: &RequestContext,
    id: Uuid,
    form: EntryForm,
    notice: Option<String>,
    errors: Vec<String>,
) -> Response {
    let j = st.app.journal();
    let loaded = async {
        let entries = j.list(actor, Some(id), None, None).await?;
        let person = st.app.org().employee(actor, id).await?;
        let can_write = j.can_write_about(actor, id).await?;
        let feedback = st.app.feedback().list(actor, Which::About(id)).await?;
        let goals = if can_write { st.app.goals().running_goals_of(actor, id).await? } else { vec![] };
        Ok::<_, AppError>((entries, person, can_write, feedback, goals))
    };
    let (entries, person, can_write, feedback, goals) = match loaded.await {
        Ok(l) => l,
        Err(e) => return page_error(ctx.lang, e),
    };
    let title = format!("{} · {}", person.name, ctx.lang.t("journal-title"));
    let page = Page::for_user(actor, ctx, title, "org", &format!("/people/{id}/journal"));
    let today = st.app.today().to_string();
    let p = JournalPage { page, person, entries, feedback, can_write, form, goals, today, notice, errors };
    render_form(&p, &p.errors)
}

fn input(id: Uuid, f: &EntryForm) -> Result<JournalInput, ()> {
    Ok(JournalInput {
        employee_id: Some(id),
        kind: f.kind.clone(),
        occurred_on: f.occurred_on.parse().map_err(|_| ())?,
        title: f.title.clone(),
        evidence: f.evidence.clone(),
        links: f.links.lines().map(str::to_string).collect(),
        goal_ids: f.goal_ids.iter().filter_map(|g| g.parse().ok()).collect(),
    })
}

/// Records a new entry or saves the one being changed.
pub async fn save(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path(id): Path<Uuid>,
    Form(pairs): Form<Pairs>,
) -> Response {
    let form = EntryForm::from_pairs(&pairs);
    let Ok(input) = input(id, &form) else {
        let msg = format!("{}: {}", ctx.lang.t("journal-occurred-on"), ctx.lang.t("error-invalid-date"));
        return show(&st, &actor, &ctx, id, form, None, vec![msg]).await;
    };
    let j = st.app.journal();
    let (result, done) = match form.editing {
        Some(e) => (j.update(&actor, e, input).await, "saved"),
        None => (j.record(&actor, input).await, "recorded"),
    };
    match result {
        Ok(_) => Redirect::to(&format!("/people/{id}/journal?done={done}")).into_response(),
        Err(e @ AppError::Invalid(_)) => {
            let errors = field_messages(ctx.lang, &e);
            show(&st, &actor, &ctx, id, form, None, errors).await
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn delete(
    State(st): State<AppState>,
    PageUser(actor, ctx): PageUser,
    Path((id, entry)): Path<(Uuid, Uuid)>,
) -> Response {
    match st.app.journal().delete(&actor, entry).await {
        Ok(()) => Redirect::to(&format!("/people/{id}/journal?done=deleted")).into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}
