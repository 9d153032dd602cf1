//! Requests for feedback (F-2): about oneself or one of one's reports, to chosen people, each
//! of whom answers with feedback or declines; a reminder to those who have not after three
//! working days on the organization's calendar.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::feedback::{Ask, AskState, FeedbackRequest};

use waymark_store::repo::{accounts, feedback as repo, org as org_repo};

use super::{FeedbackService, Person};
use crate::audit::entry;
use crate::inbox::{Message, notify_each};
use crate::jobs::{Job, enqueue_once};
use crate::org::employee_names;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppError, AppResult};

/// Working days after which the people who have not answered are reminded.
pub const REMIND_AFTER_WORKING_DAYS: u32 = 3;
/// The local hour of that reminder.
const REMIND_HOUR: u32 = 10;
pub const MAX_RESPONDERS: usize = 10;
pub const MAX_MESSAGE_CHARS: usize = 1_000;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RequestInput {
    /// Whom the feedback is about: the requester (default) or one of their reports.
    #[serde(default)]
    pub about: Option<Uuid>,
    /// The people asked: 1–10, not the person it is about.
    pub from: Vec<Uuid>,
    #[serde(default)]
    pub message: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AskView {
    pub responder: Person,
    /// open, answered or declined.
    pub state: String,
    pub answered_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RequestView {
    pub id: Uuid,
    pub requester: Person,
    pub about: Person,
    pub message: String,
    pub created_at: DateTime<Utc>,
    /// The people asked and how each answered: the requester sees all; someone asked sees
    /// only their own.
    pub asks: Vec<AskView>,
}

impl FeedbackService<'_> {
    pub async fn request(&self, actor: &Actor, input: RequestInput) -> AppResult<RequestView> {
        let me = actor.employee_id.ok_or(AppError::Forbidden)?;
        let c = self.c();
        let about_id = input.about.unwrap_or(me);
        let about = org_repo::employee(c, about_id)
            .await?
            .filter(|e| e.is_current())
            .ok_or_else(|| AppError::field("about", "unknown_employee", "no such person"))?;
        let mut facts = self.app.org().facts_for_employee(actor, &about).await?;
        facts.in_hr_scope = false; // HR asks through review cycles, not in a manager's name
        if !allowed(actor, Action::Write, Resource::FeedbackRequest, facts) {
            return Err(AppError::field("about", "not_yours", "feedback can be asked about yourself or your reports"));
        }
        let mut from: Vec<Uuid> = Vec::new();
        for p in input.from {
            if !from.contains(&p) {
                from.push(p);
            }
        }
        if from.is_empty() || from.len() > MAX_RESPONDERS {
            return Err(AppError::field("from", "responder_count", format!("ask 1 to {MAX_RESPONDERS} people")));
        }
        if from.contains(&about_id) {
            return Err(AppError::field("from", "asked_about_self", "the person it is about cannot be asked"));
        }
        let found = org_repo::employees_by_ids(c, &from).await?;
        if found.iter().filter(|e| e.is_current()).count() != from.len() {
            return Err(AppError::field("from", "unknown_employee", "someone asked is not in the organization"));
        }
        let message = input.message.trim().to_string();
        if message.chars().count() > MAX_MESSAGE_CHARS {
            return Err(AppError::field("message", "too_long", format!("at most {MAX_MESSAGE_CHARS} characters")));
        }
        let now = self.app.clock.now();
        let row =
            FeedbackRequest { id: Uuid::now_v7(), requester_id: me, subject_id: about_id, message, created_at: now };
        let (cal, _) = self.app.calendar().current().await?;
        let remind_on = cal.add_working_days(cal.local_date(now), REMIND_AFTER_WORKING_DAYS);
        let users = accounts::users_of_employees(c, &from).await?;
        let tx = self.app.db.begin_write().await?;
        repo::insert_request(&*tx, row.clone(), &from).await?;
        let after = serde_json::json!({ "about": about_id, "from": from, "message": row.message });
        let a = entry(
            actor,
            now,
            "feedback_request",
            row.id,
            Some(about_id),
            "create",
            None,
            Some(after.to_string()),
            None,
        );
        tx.audit(vec![a]);
        let messages = users
            .iter()
            .map(|(user, _)| {
                let msg = Message {
                    kind: "feedback-requested",
                    entity_type: "feedback_request",
                    entity_id: row.id,
                    subject: &about.name,
                    body: None,
                };
                (*user, msg)
            })
            .collect();
        notify_each(&tx, actor, now, messages);
        let key = format!("feedback-request:{}", row.id);
        enqueue_once(
            &*tx,
            now,
            cal.instant(remind_on, REMIND_HOUR),
            &key,
            Job::FeedbackRequestReminder { request: row.id },
        )
        .await?;
        tx.commit().await?;
        self.request_view(actor, row.id).await
    }

    /// A request, for its requester or someone it asks.
    pub async fn request_view(&self, actor: &Actor, id: Uuid) -> AppResult<RequestView> {
        let r = repo::request(self.c(), id).await?.ok_or(AppError::NotFound("feedback_request"))?;
        self.request_views(actor, vec![r]).await?.pop().ok_or(AppError::NotFound("feedback_request"))
    }

    /// The requests waiting for the actor's answer, and the last 20 the actor sent.
    pub async fn requests(&self, actor: &Actor) -> AppResult<(Vec<RequestView>, Vec<RequestView>)> {
        let Some(me) = actor.employee_id else { return Ok((vec![], vec![])) };
        let c = self.c();
        let waiting = self.request_views(actor, repo::open_asks_for(c, me).await?).await?;
        let sent = self.request_views(actor, repo::requests_by(c, me, 20).await?).await?;
        Ok((waiting, sent))
    }

    /// Views of the requests the actor may read (the others are left out), in three reads
    /// whatever their number: the requests given, their asks, the names.
    async fn request_views(&self, actor: &Actor, rows: Vec<FeedbackRequest>) -> AppResult<Vec<RequestView>> {
        let c = self.c();
        let me = actor.employee_id;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let mut asks: HashMap<Uuid, Vec<Ask>> = HashMap::new();
        for a in repo::asks_of_requests(c, &ids).await? {
            asks.entry(a.request_id).or_default().push(a);
        }
        let shown: Vec<(FeedbackRequest, Vec<Ask>)> = rows
            .into_iter()
            .filter_map(|r| {
                let asks = asks.remove(&r.id).unwrap_or_default();
                let facts = Facts {
                    is_self: me == Some(r.requester_id),
                    assigned: asks.iter().any(|a| Some(a.responder_id) == me),
                    ..Facts::default()
                };
                allowed(actor, Action::Read, Resource::FeedbackRequest, facts).then(|| {
                    // The requester sees every ask; someone asked only their own.
                    let asks = asks.into_iter().filter(|a| facts.is_self || Some(a.responder_id) == me).collect();
                    (r, asks)
                })
            })
            .collect();
        let people: Vec<Uuid> = shown
            .iter()
            .flat_map(|(r, asks)| [r.requester_id, r.subject_id].into_iter().chain(asks.iter().map(|a| a.responder_id)))
            .collect();
        let names = employee_names(c, &people).await?;
        let person = |id: Uuid| Person { id, name: names.get(&id).cloned().unwrap_or_default() };
        Ok(shown
            .into_iter()
            .map(|(r, asks)| RequestView {
                id: r.id,
                requester: person(r.requester_id),
                about: person(r.subject_id),
                message: r.message,
                created_at: r.created_at,
                asks: asks
                    .into_iter()
                    .map(|a| AskView {
                        responder: person(a.responder_id),
                        state: a.state.code().into(),
                        answered_at: a.answered_at,
                    })
                    .collect(),
            })
            .collect())
    }

    /// The request form's choices besides oneself: one's direct reports (the API takes anyone
    /// in one's reporting line; `request` decides).
    pub async fn request_subjects(&self, actor: &Actor) -> AppResult<Vec<Person>> {
        let Some(me) = actor.employee_id else { return Ok(vec![]) };
        let mut out: Vec<Person> = org_repo::direct_reports(self.c(), me)
            .await?
            .into_iter()
            .filter(|e| e.is_current())
            .map(|e| Person { id: e.id, name: e.name })
            .collect();
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// Declines to answer a request.
    pub async fn decline(&self, actor: &Actor, id: Uuid) -> AppResult<RequestView> {
        let me = actor.employee_id.ok_or(AppError::NotFound("feedback_request"))?;
        let c = self.c();
        repo::ask(c, id, me).await?.ok_or(AppError::NotFound("feedback_request"))?;
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        if !repo::close_ask(&*tx, id, me, None, now).await? {
            return Err(AppError::field("request", "request_not_open", "this request is not waiting for your answer"));
        }
        let a = entry(actor, now, "feedback_request", id, None, "decline", None, None, None);
        tx.audit(vec![a]);
        tx.commit().await?;
        self.request_view(actor, id).await
    }
}

/// The reminder job: the people who still have not answered, in their inboxes.
pub(crate) async fn remind(app: &App, request: Uuid) -> AppResult<usize> {
    let c = &app.db.conn;
    let Some(r) = repo::request(c, request).await? else { return Ok(0) };
    let open: Vec<Uuid> = repo::asks_of(c, request)
        .await?
        .into_iter()
        .filter(|a| a.state == AskState::Open)
        .map(|a| a.responder_id)
        .collect();
    if open.is_empty() {
        return Ok(0);
    }
    let about = org_repo::employee(c, r.subject_id).await?.map(|e| e.name).unwrap_or_default();
    let users = accounts::users_of_employees(c, &open).await?;
    let now = app.clock.now();
    let tx = app.db.begin_write().await?;
    let messages = users
        .iter()
        .map(|(user, _)| {
            let msg = Message {
                kind: "reminder-feedback-request",
                entity_type: "feedback_request",
                entity_id: r.id,
                subject: &about,
                body: None,
            };
            (*user, msg)
        })
        .collect();
    notify_each(&tx, &Actor::system("feedback"), now, messages);
    tx.commit().await?;
    Ok(users.len())
}
