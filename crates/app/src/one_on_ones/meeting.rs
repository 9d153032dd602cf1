//! One 1:1 meeting: its page (agenda, shared notes, the reader's own private note, the pair's
//! action items, linked goals with their lights, coaching prompts for the manager) and every
//! change to it. Only the two participants get here; the words of a 1:1 are audited without
//! the words themselves (the audit log is HR's to read, the conversation is the pair's).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::one_on_one::{self as rules, ActionItem, AgendaItem, GoalLink, Meeting, MeetingState, PrivateNote};
use waymark_store::repo::one_on_ones as repo;

use super::{MeetingSummary, OneOnOneService, check_duration, names, parse_local, schedule, summary};
use crate::audit::{entry, json};
use crate::goals::GoalSummary;
use crate::policy::{Actor, Resource};
use crate::{AppError, AppResult, FieldIssue};

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RescheduleInput {
    /// The new start on the organization's clock: `2026-12-03T15:30`.
    #[schema(example = "2026-12-03T15:30")]
    pub starts_at: String,
    /// Minutes, 15–180; unchanged when absent.
    #[serde(default)]
    pub duration_min: Option<u32>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AgendaInput {
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct NotesInput {
    /// Up to 20 000 characters; blank clears.
    pub text: String,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct ActionInput {
    pub text: String,
    /// The manager or the report; the report when absent.
    #[serde(default)]
    pub owner_id: Option<Uuid>,
    #[serde(default)]
    #[schema(format = Date)]
    pub due_on: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct GoalLinkInput {
    pub goal_id: Uuid,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgendaView {
    pub id: Uuid,
    pub text: String,
    pub author_id: Uuid,
    pub author_name: String,
    pub discussed: bool,
    /// The reader added it (and may take it off while not discussed).
    pub mine: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ActionView {
    pub id: Uuid,
    pub text: String,
    pub owner_id: Uuid,
    pub owner_name: String,
    pub due_on: Option<NaiveDate>,
    pub done: bool,
    pub done_at: Option<DateTime<Utc>>,
    /// Agreed in this meeting (otherwise carried forward from an earlier one).
    pub agreed_here: bool,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingView {
    pub meeting: MeetingSummary,
    pub location: Option<String>,
    pub shared_notes: String,
    pub notes_by: Option<String>,
    pub notes_at: Option<DateTime<Utc>>,
    /// The reader's own private note: nobody else's is ever sent.
    pub private_note: String,
    pub agenda: Vec<AgendaView>,
    /// The pair's open action items (carried forward until done) and those agreed here.
    pub actions: Vec<ActionView>,
    /// Goals linked to this meeting, as far as the reader may see them, with their lights.
    pub goals: Vec<GoalSummary>,
    /// The report's goals of the running periods, to link.
    pub report_goals: Vec<GoalSummary>,
    pub previous: Option<Uuid>,
    pub next: Option<Uuid>,
    pub is_manager: bool,
    /// Not cancelled: the agenda, notes and actions can change.
    pub editable: bool,
    /// From an hour before it starts, a scheduled meeting can be marked held.
    pub can_mark_held: bool,
}

/// Required text of at most `max` characters, named by `field`.
fn required(field: &str, v: &str, max: usize) -> AppResult<String> {
    waymark_domain::org::required_text(v, max).map_err(|e| AppError::field(field, e.code(), e.message()))
}

/// Audit of 1:1 content: what changed and how long it is, never the words.
fn shape(meeting: Uuid, what: &str, text: &str) -> Option<String> {
    json(&serde_json::json!({"meeting_id": meeting, "what": what, "chars": text.chars().count()}))
}

impl OneOnOneService<'_> {
    /// A meeting the actor takes part in, and the actor's employee id.
    pub(super) async fn meeting_for(&self, actor: &Actor, id: Uuid) -> AppResult<(Meeting, Uuid)> {
        let m = repo::meeting(self.c(), id).await?.ok_or(AppError::NotFound("one_on_one"))?;
        let me = self.require(actor, Resource::OneOnOne, m.manager_id, m.report_id)?;
        Ok((m, me))
    }

    /// The same, for a change: a cancelled meeting takes none.
    async fn editable_meeting(&self, actor: &Actor, id: Uuid) -> AppResult<(Meeting, Uuid)> {
        let (m, me) = self.meeting_for(actor, id).await?;
        if m.is_cancelled() {
            return Err(AppError::field("state", "cancelled", "this 1:1 was cancelled"));
        }
        Ok((m, me))
    }

    async fn write(&self, actor: &Actor, m: &Meeting, action: &str, after: Option<String>) -> AppResult<()> {
        let now = self.app.clock.now();
        let a = entry(actor, now, "one_on_one", m.id, Some(m.report_id), action, None, after, None);
        let tx = self.app.db.begin_write().await?;
        repo::update_meeting(&*tx, m.clone()).await?;
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(())
    }

    pub async fn meeting(&self, actor: &Actor, id: Uuid) -> AppResult<MeetingView> {
        let (m, me) = self.meeting_for(actor, id).await?;
        let c = self.c();
        let now = self.app.clock.now();
        let series = repo::series(c, m.series_id).await?.ok_or(AppError::NotFound("one_on_one"))?;
        let agenda = repo::agenda(c, id).await?;
        let actions: Vec<ActionItem> = repo::actions_of_series(c, m.series_id)
            .await?
            .into_iter()
            .filter(|a| a.meeting_id == id || a.done_at.is_none())
            .collect();
        let mut ids = vec![m.manager_id, m.report_id];
        ids.extend(agenda.iter().map(|a| a.author_id));
        ids.extend(actions.iter().map(|a| a.owner_id));
        ids.extend(m.notes_by);
        ids.sort();
        ids.dedup();
        let names = names(c, &ids).await?;
        let name = |id: &Uuid| names.get(id).cloned().unwrap_or_default();
        let private_note = match repo::private_note(c, id, me).await? {
            Some(n) if n.author_id == me => n.text,
            _ => String::new(),
        };
        let goals = self.app.goals().summaries_readable(actor, &repo::goals_of_meeting(c, id).await?).await?;
        let report_goals = self.app.goals().running_goals_of(actor, m.report_id).await?;
        let (previous, next) = repo::neighbours(c, m.series_id, m.starts_at).await?;
        let is_manager = me == m.manager_id;
        Ok(MeetingView {
            location: series.location,
            shared_notes: m.shared_notes.clone(),
            notes_by: m.notes_by.as_ref().map(name),
            notes_at: m.notes_at,
            private_note,
            agenda: agenda
                .iter()
                .map(|a| AgendaView {
                    id: a.id,
                    text: a.text.clone(),
                    author_id: a.author_id,
                    author_name: name(&a.author_id),
                    discussed: a.discussed,
                    mine: a.author_id == me,
                })
                .collect(),
            actions: actions
                .iter()
                .map(|a| ActionView {
                    id: a.id,
                    text: a.text.clone(),
                    owner_id: a.owner_id,
                    owner_name: name(&a.owner_id),
                    due_on: a.due_on,
                    done: a.done_at.is_some(),
                    done_at: a.done_at,
                    agreed_here: a.meeting_id == id,
                    created_at: a.created_at,
                })
                .collect(),
            goals,
            report_goals,
            previous,
            next,
            is_manager,
            editable: !m.is_cancelled(),
            can_mark_held: m.is_scheduled() && now >= m.starts_at - chrono::Duration::hours(1),
            meeting: summary(&m, &names),
        })
    }

    /// Moves one meeting (its reminder follows); calendars see the change by its SEQUENCE.
    pub async fn reschedule(&self, actor: &Actor, id: Uuid, input: RescheduleInput) -> AppResult<MeetingView> {
        let (mut m, _) = self.meeting_for(actor, id).await?;
        if !m.is_scheduled() {
            return Err(AppError::field("state", "not_scheduled", "only a 1:1 still to come can be moved"));
        }
        let mut issues = Vec::new();
        let starts = parse_local("starts_at", &input.starts_at, &mut issues);
        let duration = input.duration_min.unwrap_or(m.duration_min as u32);
        check_duration(duration, &mut issues);
        let now = self.app.clock.now();
        let zone = self.app.zone();
        if let Some(s) = starts
            && zone.at(s) < now
        {
            issues.push(FieldIssue::new("starts_at", "past_time", "a 1:1 is moved to a time still to come"));
        }
        let Some(starts) = starts.filter(|_| issues.is_empty()) else { return Err(AppError::Invalid(issues)) };
        m.starts_at = zone.at(starts);
        m.duration_min = duration as i32;
        m.moved = true;
        m.sequence += 1;
        m.updated_at = now;
        let after = json(&serde_json::json!({"starts_at": m.starts_at, "duration_min": m.duration_min}));
        let a = entry(actor, now, "one_on_one", m.id, Some(m.report_id), "reschedule", None, after, None);
        let tx = self.app.db.begin_write().await?;
        repo::update_meeting(&*tx, m.clone()).await?;
        schedule::queue_reminder(&*tx, &m, now).await?;
        tx.audit(vec![a]);
        tx.commit().await?;
        self.meeting(actor, id).await
    }

    pub async fn cancel(&self, actor: &Actor, id: Uuid) -> AppResult<MeetingView> {
        let (mut m, _) = self.meeting_for(actor, id).await?;
        if !m.is_scheduled() {
            return Err(AppError::field("state", "not_scheduled", "only a 1:1 still to come can be cancelled"));
        }
        m.state = MeetingState::Cancelled;
        m.sequence += 1;
        m.updated_at = self.app.clock.now();
        self.write(actor, &m, "cancel", None).await?;
        self.meeting(actor, id).await
    }

    /// Marks a meeting held (it counts in the manager's follow-up), from an hour before its start.
    pub async fn mark_held(&self, actor: &Actor, id: Uuid) -> AppResult<MeetingView> {
        let (mut m, _) = self.meeting_for(actor, id).await?;
        let now = self.app.clock.now();
        if !m.is_scheduled() {
            return Err(AppError::field("state", "not_scheduled", "this 1:1 is not waiting to be held"));
        }
        if now < m.starts_at - chrono::Duration::hours(1) {
            return Err(AppError::field("state", "not_started", "a 1:1 is marked held from an hour before it starts"));
        }
        m.state = MeetingState::Held;
        m.held_at = Some(now);
        m.updated_at = now;
        self.write(actor, &m, "held", None).await?;
        self.meeting(actor, id).await
    }

    pub async fn add_agenda_item(&self, actor: &Actor, id: Uuid, input: AgendaInput) -> AppResult<AgendaView> {
        let (m, me) = self.editable_meeting(actor, id).await?;
        let text = required("text", &input.text, rules::MAX_ITEM_CHARS)?;
        let existing = repo::agenda(self.c(), id).await?;
        if existing.len() >= rules::MAX_AGENDA_ITEMS {
            return Err(AppError::field("text", "too_many", "an agenda holds at most 30 topics"));
        }
        let now = self.app.clock.now();
        let item = AgendaItem {
            id: Uuid::now_v7(),
            meeting_id: id,
            author_id: me,
            text: text.clone(),
            position: existing.iter().map(|a| a.position + 1).max().unwrap_or(0),
            discussed: false,
            created_at: now,
        };
        let a = entry(
            actor,
            now,
            "one_on_one_agenda",
            item.id,
            Some(m.report_id),
            "create",
            None,
            shape(id, "agenda", &text),
            None,
        );
        let tx = self.app.db.begin_write().await?;
        repo::insert_agenda_item(&*tx, item.clone()).await?;
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(AgendaView {
            id: item.id,
            text,
            author_id: me,
            author_name: actor.display_name.clone(),
            discussed: false,
            mine: true,
        })
    }

    /// Ticks a topic off as discussed (or back): either participant.
    pub async fn set_discussed(&self, actor: &Actor, item: Uuid, discussed: bool) -> AppResult<()> {
        let mut a = repo::agenda_item(self.c(), item).await?.ok_or(AppError::NotFound("agenda_item"))?;
        let (m, _) = self.editable_meeting(actor, a.meeting_id).await?;
        a.discussed = discussed;
        let now = self.app.clock.now();
        let after = json(&serde_json::json!({"discussed": discussed}));
        let audit = entry(actor, now, "one_on_one_agenda", item, Some(m.report_id), "update", None, after, None);
        let tx = self.app.db.begin_write().await?;
        repo::update_agenda_item(&*tx, a).await?;
        tx.audit(vec![audit]);
        tx.commit().await?;
        Ok(())
    }

    /// Takes one's own topic off the agenda while it has not been discussed.
    pub async fn remove_agenda_item(&self, actor: &Actor, item: Uuid) -> AppResult<()> {
        let a = repo::agenda_item(self.c(), item).await?.ok_or(AppError::NotFound("agenda_item"))?;
        let (m, me) = self.editable_meeting(actor, a.meeting_id).await?;
        if a.author_id != me {
            return Err(AppError::Forbidden);
        }
        if a.discussed {
            return Err(AppError::field("id", "discussed", "a topic already discussed stays on the record"));
        }
        let now = self.app.clock.now();
        let audit = entry(
            actor,
            now,
            "one_on_one_agenda",
            item,
            Some(m.report_id),
            "remove",
            shape(m.id, "agenda", &a.text),
            None,
            None,
        );
        let tx = self.app.db.begin_write().await?;
        repo::delete_agenda_item(&*tx, item).await?;
        tx.audit(vec![audit]);
        tx.commit().await?;
        Ok(())
    }

    pub async fn save_shared_notes(&self, actor: &Actor, id: Uuid, input: NotesInput) -> AppResult<()> {
        let (mut m, me) = self.editable_meeting(actor, id).await?;
        let text = notes(&input.text)?;
        let now = self.app.clock.now();
        m.shared_notes = text;
        m.notes_by = Some(me);
        m.notes_at = Some(now);
        m.updated_at = now;
        let after = shape(id, "shared_notes", &m.shared_notes);
        self.write(actor, &m, "notes", after).await
    }

    /// The author's private note: stored for them alone; the audit says only that it changed.
    pub async fn save_private_note(&self, actor: &Actor, id: Uuid, input: NotesInput) -> AppResult<()> {
        let (_, me) = self.meeting_for(actor, id).await?;
        let text = notes(&input.text)?;
        let now = self.app.clock.now();
        let note = PrivateNote { meeting_id: id, author_id: me, text, updated_at: now };
        let a = entry(actor, now, "one_on_one_private_note", id, None, "save", None, None, None);
        let tx = self.app.db.begin_write().await?;
        repo::put_private_note(&*tx, note).await?;
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(())
    }

    /// Agrees an action item in this meeting (at most three per meeting); it stays on the pair's
    /// meetings until done.
    pub async fn add_action(&self, actor: &Actor, id: Uuid, input: ActionInput) -> AppResult<ActionView> {
        let (m, _) = self.editable_meeting(actor, id).await?;
        let mut issues = Vec::new();
        let text = waymark_domain::org::required_text(&input.text, rules::MAX_ITEM_CHARS)
            .map_err(|e| issues.push(FieldIssue::new("text", e.code(), e.message())))
            .unwrap_or_default();
        let owner = input.owner_id.unwrap_or(m.report_id);
        if owner != m.manager_id && owner != m.report_id {
            issues.push(FieldIssue::new(
                "owner_id",
                "not_participant",
                "the manager or the report owns an action item",
            ));
        }
        let due_on = match input.due_on.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            None => None,
            Some(d) => match NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(d) if (d - self.app.today()).num_days().abs() <= 366 => Some(d),
                Ok(_) => {
                    issues.push(FieldIssue::new("due_on", "out_of_range", "must be within a year of today"));
                    None
                }
                Err(_) => {
                    issues.push(FieldIssue::new("due_on", "invalid_date", "is not a date (use YYYY-MM-DD)"));
                    None
                }
            },
        };
        if issues.is_empty() && repo::actions_agreed_in(self.c(), id).await? as usize >= rules::MAX_ACTIONS_PER_MEETING
        {
            issues.push(FieldIssue::new("text", "too_many", "a 1:1 ends with one to three action items"));
        }
        if !issues.is_empty() {
            return Err(AppError::Invalid(issues));
        }
        let now = self.app.clock.now();
        let a = ActionItem {
            id: Uuid::now_v7(),
            series_id: m.series_id,
            meeting_id: id,
            owner_id: owner,
            text: text.clone(),
            due_on,
            done_at: None,
            done_by: None,
            created_by: actor.employee_id,
            created_at: now,
        };
        let audit = entry(
            actor,
            now,
            "one_on_one_action",
            a.id,
            Some(m.report_id),
            "create",
            None,
            shape(id, "action", &text),
            None,
        );
        let tx = self.app.db.begin_write().await?;
        repo::insert_action(&*tx, a.clone()).await?;
        tx.audit(vec![audit]);
        tx.commit().await?;
        let owner_name = names(self.c(), &[owner]).await?.remove(&owner).unwrap_or_default();
        Ok(ActionView {
            id: a.id,
            text,
            owner_id: owner,
            owner_name,
            due_on,
            done: false,
            done_at: None,
            agreed_here: true,
            created_at: now,
        })
    }

    /// Marks an action item done (or open again): either participant.
    pub async fn set_action_done(&self, actor: &Actor, action: Uuid, done: bool) -> AppResult<()> {
        let c = self.c();
        let mut a = repo::action(c, action).await?.ok_or(AppError::NotFound("action"))?;
        let s = repo::series(c, a.series_id).await?.ok_or(AppError::NotFound("one_on_one"))?;
        let me = self.require(actor, Resource::OneOnOne, s.manager_id, s.report_id)?;
        let now = self.app.clock.now();
        a.done_at = done.then_some(now);
        a.done_by = done.then_some(me);
        let after = json(&serde_json::json!({"done": done}));
        let audit = entry(actor, now, "one_on_one_action", action, Some(s.report_id), "update", None, after, None);
        let tx = self.app.db.begin_write().await?;
        repo::update_action(&*tx, a).await?;
        tx.audit(vec![audit]);
        tx.commit().await?;
        Ok(())
    }

    /// Links a goal of either participant (that the actor may see) to talk about.
    pub async fn link_goal(&self, actor: &Actor, id: Uuid, input: GoalLinkInput) -> AppResult<()> {
        let (m, _) = self.editable_meeting(actor, id).await?;
        let goal = self.app.goals().view(actor, input.goal_id).await.map_err(|e| match e {
            AppError::NotFound(_) | AppError::Forbidden => AppError::field("goal_id", "unknown_goal", "no such goal"),
            other => other,
        })?;
        if !goal.summary.owner_ids.iter().any(|o| *o == m.manager_id || *o == m.report_id) {
            return Err(AppError::field("goal_id", "not_theirs", "link a goal of one of the two"));
        }
        let now = self.app.clock.now();
        let link = GoalLink { meeting_id: id, goal_id: input.goal_id, added_by: actor.employee_id, added_at: now };
        let after = json(&serde_json::json!({"goal_id": input.goal_id}));
        let a = entry(actor, now, "one_on_one", id, Some(m.report_id), "link_goal", None, after, None);
        let tx = self.app.db.begin_write().await?;
        if repo::link_goal(&*tx, link).await? {
            tx.audit(vec![a]);
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn unlink_goal(&self, actor: &Actor, id: Uuid, goal: Uuid) -> AppResult<()> {
        let (m, _) = self.editable_meeting(actor, id).await?;
        let now = self.app.clock.now();
        let before = json(&serde_json::json!({"goal_id": goal}));
        let a = entry(actor, now, "one_on_one", id, Some(m.report_id), "unlink_goal", before, None, None);
        let tx = self.app.db.begin_write().await?;
        if !repo::unlink_goal(&*tx, id, goal).await? {
            return Err(AppError::NotFound("goal"));
        }
        tx.audit(vec![a]);
        tx.commit().await?;
        Ok(())
    }
}

fn notes(v: &str) -> AppResult<String> {
    let v = v.trim();
    if v.chars().count() > rules::MAX_NOTES_CHARS {
        return Err(AppError::field("text", "too_long", "at most 20 000 characters"));
    }
    Ok(v.to_string())
}
