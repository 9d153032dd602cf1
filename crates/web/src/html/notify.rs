//! Notification settings (T-7): the user's own channels with a test message and their latest
//! deliveries; and the administrator's job queue with failures and retry.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::jobs::{JOB_PAGE, JobList};
use waymark_app::notify::{NotifyPrefsInput, NotifyPrefsView};

use super::{Page, field_messages, render, render_form};
use crate::AppState;
use crate::context::{PageUser, RequestContext};
use crate::error::page_error;

#[derive(Template)]
#[template(path = "notify_settings.html")]
struct SettingsPage {
    page: Page,
    p: NotifyPrefsView,
    notice: Option<String>,
    errors: Vec<String>,
}

impl SettingsPage {
    fn email_off(&self, c: &str) -> bool {
        self.p.email_off.iter().any(|x| x == c)
    }
    fn im_off(&self, c: &str) -> bool {
        self.p.im_off.iter().any(|x| x == c)
    }
}

fn settings_page(actor: &waymark_app::policy::Actor, ctx: &RequestContext, p: NotifyPrefsView) -> SettingsPage {
    let page = Page::for_user(actor, ctx, ctx.lang.t("notify-title"), "account", "/account/notifications");
    SettingsPage { page, p, notice: None, errors: vec![] }
}

pub async fn settings(State(st): State<AppState>, PageUser(actor, ctx): PageUser) -> Response {
    match st.app.notify().prefs(&actor).await {
        Ok(p) => render(&settings_page(&actor, &ctx, p)),
        Err(e) => page_error(ctx.lang, e),
    }
}

/// The form: checkboxes arrive only when ticked; a category is "on" when its box is ticked, so
/// the ones left unticked are the ones switched off.
#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    email_enabled: Option<String>,
    #[serde(default)]
    im_enabled: Option<String>,
    #[serde(default)]
    im_platform: String,
    #[serde(default)]
    im_url: String,
    #[serde(default)]
    im_secret: String,
    #[serde(default)]
    remove_secret: Option<String>,
    #[serde(default)]
    email_on_workflow: Option<String>,
    #[serde(default)]
    email_on_tracking: Option<String>,
    #[serde(default)]
    email_on_reminders: Option<String>,
    #[serde(default)]
    im_on_workflow: Option<String>,
    #[serde(default)]
    im_on_tracking: Option<String>,
    #[serde(default)]
    im_on_reminders: Option<String>,
}

impl SettingsForm {
    fn input(&self) -> NotifyPrefsInput {
        let off = |on: [(&Option<String>, &str); 3]| {
            on.iter().filter(|(v, _)| v.is_none()).map(|(_, c)| c.to_string()).collect()
        };
        NotifyPrefsInput {
            email_enabled: self.email_enabled.is_some(),
            email_off: off([
                (&self.email_on_workflow, "workflow"),
                (&self.email_on_tracking, "tracking"),
                (&self.email_on_reminders, "reminders"),
            ]),
            im_enabled: self.im_enabled.is_some(),
            im_platform: Some(self.im_platform.clone()),
            im_url: Some(self.im_url.clone()),
            // An empty secret field keeps the secret; the checkbox removes it.
            im_secret: if self.remove_secret.is_some() {
                Some(String::new())
            } else {
                Some(self.im_secret.clone()).filter(|s| !s.trim().is_empty())
            },
            im_off: off([
                (&self.im_on_workflow, "workflow"),
                (&self.im_on_tracking, "tracking"),
                (&self.im_on_reminders, "reminders"),
            ]),
        }
    }
}

pub async fn save(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Form(f): Form<SettingsForm>) -> Response {
    let input = f.input();
    match st.app.notify().set_prefs(&actor, input.clone()).await {
        Ok(p) => {
            let mut page = settings_page(&actor, &ctx, p);
            page.notice = Some(ctx.lang.t("saved"));
            render(&page)
        }
        Err(e @ AppError::Invalid(_)) => {
            let current = match st.app.notify().prefs(&actor).await {
                Ok(p) => p,
                Err(e) => return page_error(ctx.lang, e),
            };
            // Show what was typed, not what is kept, so it can be corrected.
            let shown = NotifyPrefsView {
                email_enabled: input.email_enabled,
                email_off: input.email_off,
                im_enabled: input.im_enabled,
                im_platform: input.im_platform,
                im_url: input.im_url,
                im_off: input.im_off,
                ..current
            };
            let mut page = settings_page(&actor, &ctx, shown);
            page.errors = field_messages(ctx.lang, &e);
            render_form(&page, &page.errors)
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Deserialize)]
pub struct TestForm {
    #[serde(default)]
    channel: String,
}

pub async fn test(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Form(f): Form<TestForm>) -> Response {
    let n = st.app.notify();
    match n.send_test(&actor, &f.channel).await {
        Ok(_) => match n.prefs(&actor).await {
            Ok(p) => {
                let mut page = settings_page(&actor, &ctx, p);
                page.notice = Some(ctx.lang.t("notify-test-queued"));
                render(&page)
            }
            Err(e) => page_error(ctx.lang, e),
        },
        Err(e @ AppError::Invalid(_)) => match n.prefs(&actor).await {
            Ok(p) => {
                let mut page = settings_page(&actor, &ctx, p);
                page.errors = field_messages(ctx.lang, &e);
                render_form(&page, &page.errors)
            }
            Err(e) => page_error(ctx.lang, e),
        },
        Err(e) => page_error(ctx.lang, e),
    }
}

#[derive(Template)]
#[template(path = "jobs.html")]
struct JobsPage {
    page: Page,
    list: JobList,
    state: String,
    page_no: i32,
    has_more: bool,
}

#[derive(Deserialize)]
pub struct JobsQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    page: Option<String>,
}

pub async fn jobs(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Query(q): Query<JobsQuery>) -> Response {
    // A page number that is not one shows the first page (a hand-edited link).
    let page_no = q.page.as_deref().and_then(|p| p.parse::<i32>().ok()).filter(|p| *p >= 1).unwrap_or(1);
    match st.app.jobs().list(&actor, Some(&q.state), Some(page_no)).await {
        Ok(list) => {
            let page = Page::for_user(&actor, &ctx, ctx.lang.t("jobs-title"), "admin", "/admin/jobs");
            let has_more = list.items.len() as u64 == JOB_PAGE;
            render(&JobsPage { page, list, state: q.state, page_no, has_more })
        }
        Err(e) => page_error(ctx.lang, e),
    }
}

pub async fn retry(State(st): State<AppState>, PageUser(actor, ctx): PageUser, Path(id): Path<Uuid>) -> Response {
    match st.app.jobs().retry(&actor, id).await {
        Ok(_) => Redirect::to("/admin/jobs?state=failed").into_response(),
        Err(e) => page_error(ctx.lang, e),
    }
}
