//! The home page (issue 23, item 1): the person's to-dos first, then their goals, what changed,
//! and what their role oversees. The service decides what is there; this renders it in words.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use waymark_app::home::{Change, CycleLine, HomeView, Todo};
use waymark_app::org::EmployeeCard;
use waymark_app::probation::{ProbationCheckpointView, ProbationView};
use waymark_app::reviews::Progress;

use super::{Page, render};
use crate::AppState;
use crate::context::PageUser;
use crate::error::page_error;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    page: Page,
    name: String,
    me: Option<EmployeeCard>,
    /// The person's own probation while it runs.
    probation: Option<ProbationView>,
    next_checkpoint: Option<ProbationCheckpointView>,
    home: HomeView,
}

impl HomePage {
    /// A to-do in a sentence: `home-todo-<kind>[-<variant>]` with its subject.
    fn todo_text(&self, t: &Todo) -> String {
        // A probation checkpoint's variant is its focus, named in the sentence.
        let (key, detail) = match (&t.variant, t.kind.as_str()) {
            (Some(v), "probation") => ("home-todo-probation".to_string(), self.page.label("probation-focus", v)),
            (Some(v), _) => (format!("home-todo-{}-{}", t.kind, v.replace('_', "-")), String::new()),
            (None, _) => (format!("home-todo-{}", t.kind), String::new()),
        };
        let agenda = t.agenda_items.unwrap_or(0).to_string();
        let at = t.starts_at.map(|s| self.page.zone.time(s).format("%H:%M").to_string()).unwrap_or_default();
        let count = t.count.unwrap_or(1).to_string();
        self.page.lang.ta(
            &key,
            &[
                ("subject", t.subject.clone()),
                ("person", t.person.clone().unwrap_or_default()),
                ("agenda", agenda),
                ("time", at),
                ("count", count),
                ("detail", detail),
            ],
        )
    }
    /// When a to-do is due, in words.
    fn due_text(&self, t: &Todo) -> String {
        match t.due_on {
            Some(d) if d == self.home.today => self.page.t("home-due-today"),
            Some(d) if t.overdue => self.page.ta("home-due-overdue", "date", self.page.on(&d)),
            Some(d) => self.page.ta("home-due-by", "date", self.page.on(&d)),
            None if t.overdue => self.page.t("home-overdue"),
            None => String::new(),
        }
    }
    /// A cycle's kinds of review that have any, each with its label.
    fn progress_lines(&self, c: &CycleLine) -> Vec<(&'static str, Progress)> {
        [
            ("home-cycle-self", &c.self_reviews),
            ("home-cycle-manager", &c.manager_reviews),
            ("home-cycle-peers", &c.peer_reviews),
        ]
        .into_iter()
        .filter(|(_, p)| p.total > 0)
        .map(|(l, p)| (l, p.clone()))
        .collect()
    }
    fn change_text(&self, c: &Change) -> String {
        self.page.ta(&format!("home-change-{}", c.kind), "subject", &c.subject)
    }
}

pub async fn home(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    let home = match st.app.home().today(&actor).await {
        Ok(h) => h,
        Err(e) => return page_error(ctx.lang, e),
    };
    let (me, probation) = match actor.employee_id {
        Some(id) => {
            let me = match st.app.org().employee(&actor, id).await {
                Ok(me) => Some(me),
                Err(e) => return page_error(ctx.lang, e),
            };
            let probation = match st.app.probation().of_person(&actor, id).await {
                Ok(p) => p.probation.filter(|p| p.state == "in_progress"),
                Err(e) => return page_error(ctx.lang, e),
            };
            (me, probation)
        }
        None => (None, None),
    };
    let page = Page::for_user(&actor, &ctx, ctx.lang.t("nav-home"), "home", "/");
    let name = page.user.as_ref().map(|u| u.name.clone()).unwrap_or_default();
    let next_checkpoint = probation.as_ref().and_then(|p| p.checkpoints.iter().find(|k| k.held_at.is_none()).cloned());
    render(&HomePage { page, name, me, probation, next_checkpoint, home })
}
