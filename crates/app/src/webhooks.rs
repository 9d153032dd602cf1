//! Inbound webhooks (F-7): the administrator sets up an integration per sending system and
//! maps people's ids there to employees; deliveries are verified, recorded once by their
//! event id and queued; a job turns each into feedback to-dos (participants about each
//! other, or a manager about their report) and records whom it could not match.
//!
//! A delivery is answered before any matching happens, so a burst of events costs one signed
//! check, one insert and one job each (the ingestion benchmark in docs/benchmarks.md).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::webhooks::{
    self as rules, Event, EventState, ExternalIdentity, Ident, Integration, Refusal, Source, Todo, TodoState,
};
use waymark_store::repo::{accounts, org as org_repo, webhooks as repo};

use crate::audit::entry;
use crate::inbox::{Message, notify_each};
use crate::jobs::{Job, enqueue};
use crate::org::{Person, employee_names};
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppError, AppResult};

pub struct WebhookService<'a> {
    pub(crate) app: &'a App,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct IntegrationInput {
    /// github, gitlab, jira, generic or learning.
    #[schema(pattern = "^(github|gitlab|jira|generic|learning)$")]
    pub kind: String,
    /// A name for people (at most 100 characters).
    pub name: String,
    /// Employees asked when an event names no one (a Jira version, a GitLab milestone).
    #[serde(default)]
    pub team: Vec<Uuid>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct IntegrationUpdate {
    #[serde(default)]
    pub team: Option<Vec<Uuid>>,
    #[serde(default)]
    pub active: Option<bool>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IntegrationView {
    pub id: Uuid,
    pub kind: String,
    pub name: String,
    pub active: bool,
    /// Where the sending system posts, relative to Waymark's address.
    pub endpoint: String,
    pub team: Vec<Person>,
    pub created_at: DateTime<Utc>,
    /// The signing secret: shown once, when created or renewed.
    pub secret: Option<String>,
    /// The latest events received (at most 20).
    pub recent: Vec<EventView>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    pub event_id: String,
    pub received_at: DateTime<Utc>,
    /// queued or done.
    pub state: String,
    pub todos: i32,
    /// People the event named that no employee matched (map them, or they are left out).
    pub unknown: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct IdentityInput {
    /// github, gitlab, jira, generic or learning.
    #[schema(pattern = "^(github|gitlab|jira|generic|learning)$")]
    pub system: String,
    /// The person's id there (a GitHub login); compared without case.
    pub external_id: String,
    pub employee_id: Uuid,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct IdentityView {
    pub system: String,
    pub external_id: String,
    pub employee: Person,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TodoView {
    pub id: Uuid,
    /// Whom to write about.
    pub about: Person,
    /// project, collaboration or learning.
    pub ask: String,
    pub title: String,
    pub url: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// What became of a delivery.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ingested {
    /// Verified, but not a trigger (another event or action): nothing written.
    Ignored,
    /// Recorded and queued for its to-dos.
    Queued,
}

const MAX_NAME_CHARS: usize = 100;
const MAX_TEAM: usize = 50;
/// The note recorded when an event names no one and the integration has no team.
const NO_ONE_NAMED: &str = "(no one named)";

impl<'a> WebhookService<'a> {
    fn c(&self) -> &waymark_store::sea_orm::DatabaseConnection {
        &self.app.db.conn
    }

    fn admin(actor: &Actor) -> AppResult<()> {
        if allowed(actor, Action::Write, Resource::Integrations, Facts::default()) {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub async fn create(&self, actor: &Actor, input: IntegrationInput) -> AppResult<IntegrationView> {
        Self::admin(actor)?;
        let kind = Source::parse(&input.kind)
            .ok_or_else(|| AppError::field("kind", "invalid", "github, gitlab, jira, generic or learning"))?;
        let name = input.name.trim();
        if name.is_empty() {
            return Err(AppError::field("name", "required", "name it"));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(AppError::field("name", "too_long", format!("at most {MAX_NAME_CHARS} characters")));
        }
        let team = self.checked_team(&input.team).await?;
        let now = self.app.clock.now();
        let row = Integration {
            id: Uuid::now_v7(),
            source: kind,
            name: name.into(),
            secret: new_secret()?,
            team: team.clone(),
            active: true,
            created_at: now,
        };
        let tx = self.app.db.begin_write().await?;
        repo::insert_integration(&*tx, row.clone()).await?;
        // The secret is never audited.
        let after = serde_json::json!({ "kind": kind.code(), "name": row.name, "team": team });
        let a = entry(actor, now, "integration", row.id, None, "create", None, Some(after.to_string()), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        let secret = row.secret.clone();
        let mut v = self.view(row).await?;
        v.secret = Some(secret);
        Ok(v)
    }

    pub async fn list(&self, actor: &Actor) -> AppResult<Vec<IntegrationView>> {
        Self::admin(actor)?;
        let mut out = Vec::new();
        for i in repo::integrations(self.c()).await? {
            out.push(self.view(i).await?);
        }
        Ok(out)
    }

    pub async fn get(&self, actor: &Actor, id: Uuid) -> AppResult<IntegrationView> {
        Self::admin(actor)?;
        let i = repo::integration(self.c(), id).await?.ok_or(AppError::NotFound("integration"))?;
        self.view(i).await
    }

    /// A new secret; the old one stops working at once.
    pub async fn renew_secret(&self, actor: &Actor, id: Uuid) -> AppResult<IntegrationView> {
        Self::admin(actor)?;
        let i = repo::integration(self.c(), id).await?.ok_or(AppError::NotFound("integration"))?;
        let secret = new_secret()?;
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        repo::update_integration(&*tx, id, Some(&secret), None, None).await?;
        let a = entry(actor, now, "integration", id, None, "renew_secret", None, None, None);
        tx.audit(vec![a]);
        tx.commit().await?;
        let mut v = self.view(Integration { secret: secret.clone(), ..i }).await?;
        v.secret = Some(secret);
        Ok(v)
    }

    pub async fn update(&self, actor: &Actor, id: Uuid, input: IntegrationUpdate) -> AppResult<IntegrationView> {
        Self::admin(actor)?;
        let before = repo::integration(self.c(), id).await?.ok_or(AppError::NotFound("integration"))?;
        let team = match &input.team {
            Some(t) => Some(self.checked_team(t).await?),
            None => None,
        };
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        repo::update_integration(&*tx, id, None, team.as_deref(), input.active).await?;
        let b = serde_json::json!({ "team": before.team, "active": before.active });
        let after = serde_json::json!({ "team": team.as_ref().unwrap_or(&before.team), "active": input.active.unwrap_or(before.active) });
        let a =
            entry(actor, now, "integration", id, None, "update", Some(b.to_string()), Some(after.to_string()), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        self.get(actor, id).await
    }

    async fn checked_team(&self, team: &[Uuid]) -> AppResult<Vec<Uuid>> {
        let mut t = team.to_vec();
        t.sort();
        t.dedup();
        if t.len() > MAX_TEAM {
            return Err(AppError::field("team", "too_many", format!("at most {MAX_TEAM} people")));
        }
        let found = org_repo::employees_by_ids(self.c(), &t).await?;
        if found.iter().filter(|e| e.is_current()).count() != t.len() {
            return Err(AppError::field("team", "unknown_employee", "someone is not in the organization"));
        }
        Ok(t)
    }

    async fn view(&self, i: Integration) -> AppResult<IntegrationView> {
        let names = employee_names(self.c(), &i.team).await?;
        let recent = repo::recent_events(self.c(), i.id, 20)
            .await?
            .into_iter()
            .map(|e| EventView {
                event_id: e.event_id,
                received_at: e.received_at,
                state: e.state.code().into(),
                todos: e.todos,
                unknown: e.unknown,
            })
            .collect();
        Ok(IntegrationView {
            endpoint: format!("/api/v1/hooks/{}", i.id),
            team: i
                .team
                .iter()
                .map(|id| Person { id: *id, name: names.get(id).cloned().unwrap_or_default() })
                .collect(),
            id: i.id,
            kind: i.source.code().into(),
            name: i.name,
            active: i.active,
            created_at: i.created_at,
            secret: None,
            recent,
        })
    }

    // ---- people's ids elsewhere -------------------------------------------------------------

    pub async fn put_identity(&self, actor: &Actor, input: IdentityInput) -> AppResult<IdentityView> {
        Self::admin(actor)?;
        let system = Source::parse(&input.system)
            .ok_or_else(|| AppError::field("system", "invalid", "github, gitlab, jira, generic or learning"))?;
        let external = input.external_id.trim().to_lowercase();
        if external.is_empty() || external.chars().count() > 200 {
            return Err(AppError::field("external_id", "required", "1 to 200 characters"));
        }
        let e = org_repo::employee(self.c(), input.employee_id)
            .await?
            .ok_or_else(|| AppError::field("employee_id", "unknown_employee", "no such person"))?;
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        let mapping = ExternalIdentity { system, external_id: external.clone(), employee_id: e.id };
        repo::put_identity(&*tx, mapping).await?;
        let after = serde_json::json!({ "system": system.code(), "external_id": external });
        let a = entry(actor, now, "external_identity", e.id, Some(e.id), "map", None, Some(after.to_string()), None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(IdentityView {
            system: system.code().into(),
            external_id: external,
            employee: Person { id: e.id, name: e.name },
        })
    }

    pub async fn delete_identity(&self, actor: &Actor, system: &str, external_id: &str) -> AppResult<()> {
        Self::admin(actor)?;
        let external = external_id.trim().to_lowercase();
        let system = Source::parse(system).ok_or(AppError::NotFound("external_identity"))?;
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        if !repo::delete_identity(&*tx, system, &external).await? {
            return Err(AppError::NotFound("external_identity"));
        }
        let before = serde_json::json!({ "system": system.code(), "external_id": external });
        let a =
            entry(actor, now, "external_identity", Uuid::nil(), None, "unmap", Some(before.to_string()), None, None);
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(())
    }

    pub async fn identities(&self, actor: &Actor) -> AppResult<Vec<IdentityView>> {
        Self::admin(actor)?;
        let rows = repo::identities(self.c(), 1_000).await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.employee_id).collect();
        let names = employee_names(self.c(), &ids).await?;
        Ok(rows
            .into_iter()
            .map(|r| IdentityView {
                employee: Person { id: r.employee_id, name: names.get(&r.employee_id).cloned().unwrap_or_default() },
                system: r.system.code().into(),
                external_id: r.external_id,
            })
            .collect())
    }

    // ---- deliveries ---------------------------------------------------------------------------

    /// Takes a delivery: unknown or inactive integration 404, too large 413, bad signature or
    /// stale time 401, malformed 422, an event id already received 422 — each with nothing
    /// written. A trigger is recorded and queued.
    pub async fn ingest(&self, integration: Uuid, headers: &[(&str, &str)], body: &[u8]) -> AppResult<Ingested> {
        let i = repo::integration(self.c(), integration)
            .await?
            .filter(|i| i.active)
            .ok_or(AppError::NotFound("integration"))?;
        if body.len() > rules::MAX_BODY_BYTES {
            return Err(AppError::TooLarge { limit: rules::MAX_BODY_BYTES });
        }
        let source = i.source;
        let now = self.app.clock.now();
        rules::verify(source, &i.secret, headers, body, now.timestamp()).map_err(refusal)?;
        let Some(trigger) = rules::read(source, headers, body).map_err(refusal)? else {
            return Ok(Ingested::Ignored);
        };
        let event = trigger.event_id.clone();
        let row = Event {
            integration_id: i.id,
            event_id: event.clone(),
            received_at: now,
            digest: crate::accounts::sha256_hex_bytes(body),
            trigger,
            state: EventState::Queued,
            todos: 0,
            unknown: vec![],
        };
        let tx = self.app.db.begin_write().await?;
        if !repo::record_event(&*tx, row).await? {
            return Err(AppError::field("event_id", "duplicate_event", "this event was already received"));
        }
        enqueue(&*tx, now, vec![(Job::Webhook { integration: i.id, event }, None)]).await?;
        tx.commit().await?;
        Ok(Ingested::Queued)
    }

    // ---- to-dos -------------------------------------------------------------------------------

    /// The actor's open feedback to-dos, newest first.
    pub async fn todos(&self, actor: &Actor) -> AppResult<Vec<TodoView>> {
        let Some(me) = actor.employee_id else { return Ok(vec![]) };
        let rows = repo::open_todos(self.c(), me, 100).await?;
        let about: Vec<Uuid> = rows.iter().map(|r| r.about_id).collect();
        let names = employee_names(self.c(), &about).await?;
        Ok(rows
            .into_iter()
            .map(|r| TodoView {
                id: r.id,
                about: Person { id: r.about_id, name: names.get(&r.about_id).cloned().unwrap_or_default() },
                ask: r.ask.code().into(),
                title: r.title,
                url: r.url,
                created_at: r.created_at,
            })
            .collect())
    }

    /// Puts aside one of one's own to-dos.
    pub async fn dismiss(&self, actor: &Actor, id: Uuid) -> AppResult<()> {
        let me = actor.employee_id.ok_or(AppError::NotFound("feedback_todo"))?;
        let t = repo::todo(self.c(), id).await?.ok_or(AppError::NotFound("feedback_todo"))?;
        let facts = Facts { is_self: t.owner_id == me, ..Facts::default() };
        if !allowed(actor, Action::Write, Resource::FeedbackTodo, facts) {
            return Err(AppError::NotFound("feedback_todo"));
        }
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        if repo::close_todos(&*tx, me, Some(id), None, TodoState::Dismissed, now).await? == 0 {
            return Err(AppError::field("todo", "not_open", "this to-do is already closed"));
        }
        tx.commit().await?;
        Ok(())
    }
}

fn new_secret() -> AppResult<String> {
    let mut b = [0u8; 32];
    getrandom::fill(&mut b).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
    Ok(hex::encode(b))
}

fn refusal(r: Refusal) -> AppError {
    match r {
        Refusal::BadSignature => AppError::Unauthenticated,
        Refusal::Stale => AppError::field(
            "signature",
            "stale",
            format!("signed more than {} seconds away", rules::REPLAY_WINDOW_SECS),
        ),
        Refusal::NoEventId => AppError::field("event_id", "required", "the delivery has no event id"),
        Refusal::Malformed(what) => AppError::field(what, "malformed", "missing or not as the sender documents it"),
    }
}

/// The job: matches the event's people to employees (by e-mail, or by their id in the sending
/// system), asks each about each other (or the manager, for one person or learning), tells
/// each person asked once, and records whom it could not match. Safe to run twice.
pub(crate) async fn process(app: &App, integration: Uuid, event: &str) -> AppResult<usize> {
    let c = &app.db.conn;
    let (Some(i), Some(e)) = (repo::integration(c, integration).await?, repo::event(c, integration, event).await?)
    else {
        return Ok(0);
    };
    let trigger = &e.trigger;
    let emails: Vec<String> =
        trigger.people.iter().filter_map(|p| if let Ident::Email(m) = p { Some(m.clone()) } else { None }).collect();
    let externals: Vec<String> =
        trigger.people.iter().filter_map(|p| if let Ident::External(x) = p { Some(x.clone()) } else { None }).collect();
    let by_email: HashMap<String, Uuid> = org_repo::employees_by_emails(c, &emails)
        .await?
        .into_iter()
        .filter(|e| e.is_current())
        .filter_map(|e| e.email.map(|m| (m.to_lowercase(), e.id)))
        .collect();
    let by_external: HashMap<String, Uuid> = repo::mapped(c, i.source, &externals).await?.into_iter().collect();
    let mut people: Vec<Uuid> = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    for p in &trigger.people {
        let found = match p {
            Ident::Email(m) => by_email.get(m),
            Ident::External(x) => by_external.get(x),
        };
        match found {
            Some(id) if !people.contains(id) => people.push(*id),
            Some(_) => {}
            None => unknown.push(p.label().to_string()),
        }
    }
    if trigger.people.is_empty() {
        people = i.team.clone();
        if people.is_empty() {
            unknown.push(NO_ONE_NAMED.into());
        }
    }
    let employees = org_repo::employees_by_ids(c, &people).await?;
    let active: Vec<Uuid> =
        people.iter().copied().filter(|p| employees.iter().any(|e| e.id == *p && e.is_current())).collect();
    let managers: HashMap<Uuid, Uuid> = employees.iter().filter_map(|e| e.manager_id.map(|m| (e.id, m))).collect();
    let pairs = rules::asks(trigger.ask, &active, |p| managers.get(&p).copied());
    let now = app.clock.now();
    let rows: Vec<Todo> = pairs
        .iter()
        .map(|(owner, about)| Todo {
            id: Uuid::now_v7(),
            owner_id: *owner,
            about_id: *about,
            ask: trigger.ask,
            title: trigger.title.clone(),
            url: trigger.url.clone(),
            integration_id: i.id,
            event_id: e.event_id.clone(),
            state: TodoState::Open,
            created_at: now,
            closed_at: None,
        })
        .collect();
    let mut owners: Vec<Uuid> = pairs.iter().map(|(o, _)| *o).collect();
    owners.sort();
    owners.dedup();
    let users = accounts::users_of_employees(c, &owners).await?;
    let tx = app.db.begin_write().await?;
    let first_run = e.state == EventState::Queued;
    repo::insert_todos(&*tx, rows).await?;
    if first_run {
        let messages = users
            .iter()
            .map(|(user, _)| {
                let m = Message {
                    kind: "feedback-todo",
                    entity_type: "feedback_todo",
                    entity_id: Uuid::nil(),
                    subject: &trigger.title,
                    body: None,
                };
                (*user, m)
            })
            .collect();
        notify_each(&tx, &Actor::system(&format!("webhook:{}", i.source.code())), now, messages);
    }
    repo::finish_event(&*tx, i.id, &e.event_id, pairs.len() as i32, &unknown).await?;
    tx.commit().await?;
    Ok(pairs.len())
}
