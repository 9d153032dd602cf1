//! The key-event journal (F-5): the person or one of their managers writes down a dated
//! contribution or problem with its evidence, linked to goals. It is the person's performance
//! content (SPEC §0): they, their managers and HR of their unit read it; reviews load it as
//! evidence for the period.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::journal::{self as rules, Draft, Entry, Kind, Problem};
use waymark_domain::org::Employee;
use waymark_store::repo::{journal as repo, org as org_repo};

use crate::audit::entry;
use crate::org::{Person, employee_names};
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppError, AppResult};

pub struct JournalService<'a> {
    pub(crate) app: &'a App,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct JournalInput {
    /// Whom the event is about: the writer by default, or one of their reports.
    #[serde(default)]
    pub employee_id: Option<Uuid>,
    /// contribution or problem.
    #[schema(pattern = "^(contribution|problem)$")]
    pub kind: String,
    /// When it happened: not after today, not more than 400 days ago.
    pub occurred_on: NaiveDate,
    /// What happened, in a line (at most 200 characters).
    pub title: String,
    /// The facts: what was done or went wrong, numbers, who saw it (at most 5 000 characters).
    pub evidence: String,
    /// Up to 5 http(s) links to the evidence (a merge request, a document, a ticket).
    #[serde(default)]
    pub links: Vec<String>,
    /// Up to 5 goals it concerns, which the writer can read.
    #[serde(default)]
    pub goal_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JournalEntryView {
    pub id: Uuid,
    pub employee: Person,
    pub author: Person,
    pub kind: String,
    pub occurred_on: NaiveDate,
    pub title: String,
    pub evidence: String,
    pub links: Vec<String>,
    /// The linked goals the reader may read, with their light.
    pub goals: Vec<JournalGoal>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The reader wrote it, so may change or remove it.
    pub editable: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct JournalGoal {
    pub id: Uuid,
    pub title: String,
    /// green, yellow or red; none while untracked.
    pub light: Option<String>,
}

/// The most entries one list returns.
const LIST_LIMIT: u64 = 500;

impl<'a> JournalService<'a> {
    fn c(&self) -> &waymark_store::sea_orm::DatabaseConnection {
        &self.app.db.conn
    }

    /// The person the journal is about, if the actor may read their journal (otherwise the
    /// person does not exist for them).
    async fn subject(&self, actor: &Actor, id: Uuid) -> AppResult<(Employee, Facts)> {
        let e = org_repo::employee(self.c(), id).await?.ok_or(AppError::NotFound("employee"))?;
        let facts = self.app.org().facts_for_employee(actor, &e).await?;
        if !allowed(actor, Action::Read, Resource::Journal, facts) {
            return Err(AppError::NotFound("employee"));
        }
        Ok((e, facts))
    }

    /// Records an event about the actor or one of their reports; the person is told when
    /// their manager wrote it.
    pub async fn record(&self, actor: &Actor, input: JournalInput) -> AppResult<JournalEntryView> {
        let me = actor.employee_id.ok_or(AppError::Forbidden)?;
        let about = input.employee_id.unwrap_or(me);
        let (person, facts) = self.subject(actor, about).await?;
        if !allowed(actor, Action::Write, Resource::Journal, Facts { assigned: true, ..facts }) {
            return Err(AppError::field(
                "employee_id",
                "not_your_report",
                "yourself or someone in your reporting line",
            ));
        }
        if !person.is_current() {
            return Err(AppError::field("employee_id", "employee_left", "this person has left"));
        }
        let (kind, links, goals) = self.checked(actor, &input).await?;
        let now = self.app.clock.now();
        let row = Entry {
            id: Uuid::now_v7(),
            employee_id: person.id,
            author_id: me,
            kind,
            occurred_on: input.occurred_on,
            title: input.title.trim().into(),
            evidence: input.evidence.trim().into(),
            links,
            created_at: now,
            updated_at: now,
        };
        let tx = self.app.db.begin_write().await?;
        repo::save(&*tx, row.clone(), &goals, true).await?;
        let a = entry(
            actor,
            now,
            "journal_entry",
            row.id,
            Some(person.id),
            "create",
            None,
            Some(audited(&row, &goals)),
            None,
        );
        tx.audit(vec![a]);
        if person.id != me
            && let Some((user, _)) =
                waymark_store::repo::accounts::users_of_employees(&*tx, &[person.id]).await?.into_iter().next()
        {
            let msg = crate::inbox::Message {
                kind: "journal-recorded",
                entity_type: "journal_entry",
                entity_id: row.id,
                subject: &row.title,
                body: None,
            };
            crate::inbox::notify_each(&tx, actor, now, vec![(user, msg)]);
        }
        tx.commit().await?;
        self.get(actor, row.id).await
    }

    /// Changes an entry: its author only, while the person is still theirs to write about.
    pub async fn update(&self, actor: &Actor, id: Uuid, input: JournalInput) -> AppResult<JournalEntryView> {
        let before = self.own_entry(actor, id).await?;
        if input.employee_id.is_some_and(|e| e != before.employee_id) {
            return Err(AppError::field("employee_id", "subject_fixed", "an entry stays about the same person"));
        }
        let (kind, links, goals) = self.checked(actor, &input).await?;
        let now = self.app.clock.now();
        let old_goals: Vec<Uuid> = repo::goals_of(self.c(), &[id]).await?.into_iter().map(|(_, g)| g).collect();
        let row = Entry {
            kind,
            occurred_on: input.occurred_on,
            title: input.title.trim().into(),
            evidence: input.evidence.trim().into(),
            links,
            updated_at: now,
            ..before.clone()
        };
        let tx = self.app.db.begin_write().await?;
        repo::save(&*tx, row.clone(), &goals, false).await?;
        let a = entry(
            actor,
            now,
            "journal_entry",
            id,
            Some(row.employee_id),
            "update",
            Some(audited(&before, &old_goals)),
            Some(audited(&row, &goals)),
            None,
        );
        tx.audit(vec![a]);
        tx.commit().await?;
        self.get(actor, id).await
    }

    /// Removes an entry: its author only. The audit log keeps what it said.
    pub async fn delete(&self, actor: &Actor, id: Uuid) -> AppResult<()> {
        let before = self.own_entry(actor, id).await?;
        let goals: Vec<Uuid> = repo::goals_of(self.c(), &[id]).await?.into_iter().map(|(_, g)| g).collect();
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        repo::delete(&*tx, id).await?;
        let a = entry(
            actor,
            now,
            "journal_entry",
            id,
            Some(before.employee_id),
            "delete",
            Some(audited(&before, &goals)),
            None,
            None,
        );
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(())
    }

    pub async fn get(&self, actor: &Actor, id: Uuid) -> AppResult<JournalEntryView> {
        let row = repo::entry(self.c(), id).await?.ok_or(AppError::NotFound("journal_entry"))?;
        self.subject(actor, row.employee_id).await.map_err(|_| AppError::NotFound("journal_entry"))?;
        Ok(self.views(actor, vec![row]).await?.remove(0))
    }

    /// One person's entries (the actor's own by default) dated within [from, to] (the last 365
    /// days by default), newest first.
    pub async fn list(
        &self,
        actor: &Actor,
        employee: Option<Uuid>,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> AppResult<Vec<JournalEntryView>> {
        let employee = employee.or(actor.employee_id).ok_or(AppError::NotFound("employee"))?;
        self.subject(actor, employee).await?;
        let to = to.unwrap_or_else(|| self.app.today());
        let from = from.unwrap_or(to - Duration::days(365));
        if from > to {
            return Err(AppError::field("from", "after_to", "from is after to"));
        }
        let rows = repo::of_employee(self.c(), employee, from, to, LIST_LIMIT).await?;
        self.views(actor, rows).await
    }

    /// Whether the actor may write about `employee` (the page shows its form only then).
    pub async fn can_write_about(&self, actor: &Actor, employee: Uuid) -> AppResult<bool> {
        let (_, facts) = self.subject(actor, employee).await?;
        Ok(actor.employee_id.is_some()
            && allowed(actor, Action::Write, Resource::Journal, Facts { assigned: true, ..facts }))
    }

    /// The entry, when the actor wrote it and may still write about its person.
    async fn own_entry(&self, actor: &Actor, id: Uuid) -> AppResult<Entry> {
        let row = repo::entry(self.c(), id).await?.ok_or(AppError::NotFound("journal_entry"))?;
        let (_, facts) = self.subject(actor, row.employee_id).await.map_err(|_| AppError::NotFound("journal_entry"))?;
        let author = actor.employee_id == Some(row.author_id);
        if !allowed(actor, Action::Write, Resource::Journal, Facts { assigned: author, ..facts }) {
            return Err(AppError::Forbidden);
        }
        Ok(row)
    }

    /// The input's kind, trimmed links and distinct goals, once the rules and the goals'
    /// readability are checked.
    async fn checked(&self, actor: &Actor, input: &JournalInput) -> AppResult<(Kind, Vec<String>, Vec<Uuid>)> {
        let kind =
            Kind::parse(&input.kind).ok_or_else(|| AppError::field("kind", "invalid", "contribution or problem"))?;
        let links: Vec<String> = input.links.iter().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect();
        let mut goals = input.goal_ids.clone();
        goals.sort();
        goals.dedup();
        let draft = Draft {
            occurred_on: input.occurred_on,
            title: &input.title,
            evidence: &input.evidence,
            links: &links,
            goals: goals.len(),
        };
        rules::check(&draft, self.app.today()).map_err(problem)?;
        if !goals.is_empty() && self.app.goals().summaries_readable(actor, &goals).await?.len() != goals.len() {
            return Err(AppError::field("goal_ids", "unknown_goal", "no such goal"));
        }
        Ok((kind, links, goals))
    }

    /// Linked goals are named only where the reader may read them.
    async fn views(&self, actor: &Actor, rows: Vec<Entry>) -> AppResult<Vec<JournalEntryView>> {
        let c = self.c();
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let links = repo::goals_of(c, &ids).await?;
        let goal_ids: Vec<Uuid> = links.iter().map(|(_, g)| *g).collect();
        let goals: HashMap<Uuid, JournalGoal> = self
            .app
            .goals()
            .summaries_readable(actor, &goal_ids)
            .await?
            .into_iter()
            .map(|g| (g.id, JournalGoal { id: g.id, title: g.title, light: g.light }))
            .collect();
        let people: Vec<Uuid> = rows.iter().flat_map(|r| [r.employee_id, r.author_id]).collect();
        let names = employee_names(c, &people).await?;
        let person = |id: Uuid| Person { id, name: names.get(&id).cloned().unwrap_or_default() };
        Ok(rows
            .into_iter()
            .map(|r| JournalEntryView {
                id: r.id,
                employee: person(r.employee_id),
                author: person(r.author_id),
                goals: links.iter().filter(|(e, _)| *e == r.id).filter_map(|(_, g)| goals.get(g).cloned()).collect(),
                links: r.links,
                editable: actor.employee_id == Some(r.author_id),
                kind: r.kind.code().into(),
                occurred_on: r.occurred_on,
                title: r.title,
                evidence: r.evidence,
                created_at: r.created_at,
                updated_at: r.updated_at,
            })
            .collect())
    }
}

fn audited(r: &Entry, goals: &[Uuid]) -> String {
    serde_json::json!({
        "employee_id": r.employee_id, "kind": r.kind.code(), "occurred_on": r.occurred_on, "title": r.title,
        "evidence": r.evidence, "links": r.links, "goal_ids": goals,
    })
    .to_string()
}

fn problem(p: Problem) -> AppError {
    match p {
        Problem::NoTitle => AppError::field("title", "required", "say what happened in a line"),
        Problem::TitleTooLong => {
            AppError::field("title", "too_long", format!("at most {} characters", rules::MAX_TITLE_CHARS))
        }
        Problem::NoEvidence => AppError::field("evidence", "required", "the facts: what was done, numbers, who saw it"),
        Problem::EvidenceTooLong => {
            AppError::field("evidence", "too_long", format!("at most {} characters", rules::MAX_EVIDENCE_CHARS))
        }
        Problem::InFuture => AppError::field("occurred_on", "in_future", "an event that has happened"),
        Problem::TooOld => {
            AppError::field("occurred_on", "too_long_ago", format!("within the last {} days", rules::MAX_AGE_DAYS))
        }
        Problem::TooManyLinks => AppError::field("links", "too_many", format!("at most {} links", rules::MAX_LINKS)),
        Problem::BadLink(i) => {
            AppError::field("links", "not_web_link", format!("link {} is not an http(s) address", i + 1))
        }
        Problem::TooManyGoals => AppError::field("goal_ids", "too_many", format!("at most {} goals", rules::MAX_GOALS)),
    }
}
