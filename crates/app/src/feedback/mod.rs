//! Feedback (F-2 … F-4): giving it to anyone in the organization with a template, who reads
//! each item (its visibility, decided by the policy), requests for feedback with their
//! reminder, the coach's reading of a draft, and a manager's balance of recognition and
//! improvement.

mod ai_rewrite;
mod requests;

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::coach::{self, Advice, Piece};
use waymark_domain::feedback::{self as rules, Feedback, Kind, Problem, Template, Visibility};
use waymark_store::repo::{feedback as repo, org as org_repo};

use crate::audit::entry;
pub use crate::org::Person;
use crate::org::employee_names;
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppError, AppResult};

pub use ai_rewrite::RewriteOffer;
pub(crate) use requests::remind;
pub use requests::{AskView, RequestInput, RequestView};

pub struct FeedbackService<'a> {
    pub(crate) app: &'a App,
}

/// Feedback to give: `parts` in the order of the template's parts (SBI: situation, behaviour,
/// impact; STAR: situation, task, action, result; sandwich: affirm, improve, encourage; free:
/// one text).
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct FeedbackInput {
    pub recipient_id: Uuid,
    /// recognition or improvement.
    #[schema(pattern = "^(recognition|improvement)$")]
    pub kind: String,
    /// manager (the recipient's managers only), recipient (shared with them) or public (praise).
    #[schema(pattern = "^(manager|recipient|public)$")]
    pub visibility: String,
    #[schema(pattern = "^(sbi|star|sandwich|free)$")]
    pub template: String,
    pub parts: Vec<String>,
    #[serde(default)]
    pub goal_id: Option<Uuid>,
    /// The request this answers; the giver must be one of the people it asked.
    #[serde(default)]
    pub request_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PartView {
    /// The part's code: situation, behaviour, impact, task, action, result, affirm, improve,
    /// encourage or text.
    pub part: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FeedbackView {
    pub id: Uuid,
    pub giver: Person,
    pub recipient: Person,
    pub kind: String,
    pub visibility: String,
    pub template: String,
    pub parts: Vec<PartView>,
    pub goal: Option<GoalRef>,
    pub request_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GoalRef {
    pub id: Uuid,
    pub title: String,
}

/// Which feedback to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Which {
    /// Given to the actor and shared with them.
    Received,
    /// Given by the actor.
    Given,
    /// Public praise across the organization.
    Public,
    /// Everything about one person the actor may read (their managers, HR).
    About(Uuid),
}

impl Which {
    /// The list named by the API's `box` (received by default) and, for `about`, whose.
    pub fn parse(name: Option<&str>, employee: Option<Uuid>) -> AppResult<Which> {
        match (name.unwrap_or("received"), employee) {
            ("received", _) => Ok(Which::Received),
            ("given", _) => Ok(Which::Given),
            ("public", _) => Ok(Which::Public),
            ("about", Some(e)) => Ok(Which::About(e)),
            ("about", None) => Err(AppError::field("employee", "required", "whose feedback")),
            _ => Err(AppError::field("box", "invalid", "received, given, public or about")),
        }
    }
}

/// The coach's reading of a draft, for the API and the live hints.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoachView {
    /// zh or en: the language the text was read in.
    pub lang: String,
    /// empty (nothing written yet), hints (something to improve), complete (situation,
    /// behaviour and impact, nothing to improve) or unflagged (nothing to point out, but not a
    /// full situation–behaviour–impact either).
    pub state: String,
    pub hints: Vec<CoachHint>,
    pub situation: bool,
    pub behaviour: bool,
    pub impact: bool,
    /// The writer's text with slots to fill: `{"text": "…"}`, `{"slot": "situation"}`,
    /// `{"slot": "instead", "word": "总是"}`, `{"slot": "impact"}`.
    pub rewrite: Vec<RewritePiece>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CoachHint {
    /// vague, harsh, label or no_impact.
    pub flag: String,
    pub words: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RewritePiece {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub slot: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub word: Option<String>,
}

/// A manager's own feedback over the last 90 days (F-4).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BalanceView {
    pub days: i64,
    pub recognition: u32,
    pub improvement: u32,
    /// Recognition's share in percent, one decimal; none without feedback.
    pub recognition_percent: Option<f64>,
    /// mostly_improvement or only_recognition when one-sided.
    pub nudge: Option<String>,
}

/// How many items a list shows.
const LIST_LIMIT: u64 = 100;

impl<'a> FeedbackService<'a> {
    fn c(&self) -> &waymark_store::sea_orm::DatabaseConnection {
        &self.app.db.conn
    }

    /// Gives feedback; answers a request when `request_id` is set. The recipient is told in
    /// their inbox unless the item is for their managers only.
    pub async fn give(&self, actor: &Actor, input: FeedbackInput) -> AppResult<FeedbackView> {
        let me = actor.employee_id.ok_or(AppError::Forbidden)?;
        if !allowed(actor, Action::Write, Resource::Feedback, Facts { is_self: true, ..Facts::default() }) {
            return Err(AppError::Forbidden);
        }
        let c = self.c();
        let kind =
            Kind::parse(&input.kind).ok_or_else(|| AppError::field("kind", "invalid", "recognition or improvement"))?;
        let visibility = Visibility::parse(&input.visibility)
            .ok_or_else(|| AppError::field("visibility", "invalid", "manager, recipient or public"))?;
        let template = Template::parse(&input.template)
            .ok_or_else(|| AppError::field("template", "invalid", "sbi, star, sandwich or free"))?;
        if input.recipient_id == me {
            return Err(AppError::field("recipient_id", "feedback_to_self", "feedback is for someone else"));
        }
        let recipient = org_repo::employee(c, input.recipient_id)
            .await?
            .filter(|e| e.is_current())
            .ok_or_else(|| AppError::field("recipient_id", "unknown_employee", "no such person in the organization"))?;
        let body = rules::compose(template, kind, visibility, &input.parts).map_err(problem)?;
        if let Some(g) = input.goal_id
            && self.app.goals().summaries_readable(actor, &[g]).await?.is_empty()
        {
            return Err(AppError::field("goal_id", "unknown_goal", "no such goal"));
        }
        let now = self.app.clock.now();
        let row = Feedback {
            id: Uuid::now_v7(),
            giver_id: me,
            recipient_id: recipient.id,
            kind,
            visibility,
            template,
            parts: input.parts.iter().map(|p| p.trim().to_string()).collect(),
            body,
            goal_id: input.goal_id,
            request_id: input.request_id,
            created_at: now,
        };
        let tx = self.app.db.begin_write().await?;
        if let Some(r) = input.request_id {
            let request = repo::request(&*tx, r).await?.ok_or(AppError::NotFound("feedback_request"))?;
            if request.subject_id != recipient.id {
                return Err(AppError::field("request_id", "other_subject", "the request asks about someone else"));
            }
            repo::insert_feedback(&*tx, row.clone()).await?;
            if !repo::close_ask(&*tx, r, me, Some(row.id), now).await? {
                return Err(AppError::field(
                    "request_id",
                    "request_not_open",
                    "this request is not waiting for your answer",
                ));
            }
        } else {
            repo::insert_feedback(&*tx, row.clone()).await?;
        }
        // Feedback about someone settles the to-dos events elsewhere asked of the giver about them.
        waymark_store::repo::webhooks::close_todos(
            &*tx,
            me,
            None,
            Some(recipient.id),
            waymark_domain::webhooks::TodoState::Done,
            now,
        )
        .await?;
        let after = serde_json::json!({
            "recipient_id": row.recipient_id, "kind": row.kind.code(), "visibility": row.visibility.code(),
            "template": row.template.code(), "body": row.body, "goal_id": row.goal_id, "request_id": row.request_id,
        });
        let a =
            entry(actor, now, "feedback", row.id, Some(recipient.id), "create", None, Some(after.to_string()), None);
        tx.audit(vec![a]);
        if visibility != Visibility::Manager
            && let Some((user, _)) =
                waymark_store::repo::accounts::users_of_employees(&*tx, &[recipient.id]).await?.into_iter().next()
        {
            let giver = org_repo::employee(&*tx, me).await?.map(|e| e.name).unwrap_or_default();
            let msg = crate::inbox::Message {
                kind: "feedback-received",
                entity_type: "feedback",
                entity_id: row.id,
                subject: &giver,
                body: None,
            };
            crate::inbox::notify_each(&tx, actor, now, vec![(user, msg)]);
        }
        tx.commit().await?;
        Ok(self.views(actor, vec![row]).await?.remove(0))
    }

    /// One item, if the actor may read it (otherwise it does not exist for them).
    pub async fn get(&self, actor: &Actor, id: Uuid) -> AppResult<FeedbackView> {
        let row = repo::feedback(self.c(), id).await?.ok_or(AppError::NotFound("feedback"))?;
        let readable = self.readable(actor, vec![row]).await?;
        let row = readable.into_iter().next().ok_or(AppError::NotFound("feedback"))?;
        Ok(self.views(actor, vec![row]).await?.remove(0))
    }

    /// A list, newest first, of what the actor may read.
    pub async fn list(&self, actor: &Actor, which: Which) -> AppResult<Vec<FeedbackView>> {
        let c = self.c();
        let me = actor.employee_id;
        let rows = match which {
            Which::Received => match me {
                Some(me) => repo::feedback_to(c, me, LIST_LIMIT).await?,
                None => vec![],
            },
            Which::Given => match me {
                Some(me) => repo::feedback_from(c, me, LIST_LIMIT).await?,
                None => vec![],
            },
            Which::Public => repo::public_feedback(c, LIST_LIMIT).await?,
            Which::About(person) => {
                // One person's feedback as a whole is their performance content; each item is
                // then still filtered by its own visibility.
                let target = org_repo::employee(c, person).await?.ok_or(AppError::NotFound("employee"))?;
                let facts = self.app.org().facts_for_employee(actor, &target).await?;
                if !allowed(actor, Action::Read, Resource::PerformanceContent, facts) {
                    return Err(AppError::NotFound("employee"));
                }
                repo::feedback_to(c, person, LIST_LIMIT).await?
            }
        };
        let rows = self.readable(actor, rows).await?;
        self.views(actor, rows).await
    }

    /// Keeps the items the policy lets the actor read.
    async fn readable(&self, actor: &Actor, rows: Vec<Feedback>) -> AppResult<Vec<Feedback>> {
        let recipients: Vec<Uuid> = rows.iter().map(|r| r.recipient_id).collect::<HashSet<_>>().into_iter().collect();
        let rel = self.app.org().relations(actor, &recipients).await?;
        Ok(rows
            .into_iter()
            .filter(|r| {
                let facts = Facts {
                    assigned: actor.employee_id == Some(r.giver_id),
                    is_self: actor.employee_id == Some(r.recipient_id),
                    manages: rel.manages(r.recipient_id),
                    in_hr_scope: rel.in_hr_scope(actor, r.recipient_id),
                    public: r.visibility == Visibility::Public,
                    ..Facts::default()
                };
                allowed(actor, Action::Read, resource_of(r.visibility), facts)
            })
            .collect())
    }

    /// Linked goals are named only where the reader may read them.
    async fn views(&self, actor: &Actor, rows: Vec<Feedback>) -> AppResult<Vec<FeedbackView>> {
        let c = self.c();
        let people: Vec<Uuid> = rows.iter().flat_map(|r| [r.giver_id, r.recipient_id]).collect();
        let names = employee_names(c, &people).await?;
        let goal_ids: Vec<Uuid> = rows.iter().filter_map(|r| r.goal_id).collect();
        let titles: HashMap<Uuid, String> =
            self.app.goals().summaries_readable(actor, &goal_ids).await?.into_iter().map(|g| (g.id, g.title)).collect();
        let person = |id: Uuid| Person { id, name: names.get(&id).cloned().unwrap_or_default() };
        Ok(rows
            .into_iter()
            .map(|r| {
                let codes = r.template.parts();
                FeedbackView {
                    id: r.id,
                    giver: person(r.giver_id),
                    recipient: person(r.recipient_id),
                    parts: codes
                        .iter()
                        .zip(r.parts)
                        .filter(|(_, t)| !t.is_empty())
                        .map(|(p, text)| PartView { part: p.to_string(), text })
                        .collect(),
                    goal: r.goal_id.and_then(|id| titles.get(&id).map(|t| GoalRef { id, title: t.clone() })),
                    kind: r.kind.code().into(),
                    visibility: r.visibility.code().into(),
                    template: r.template.code().into(),
                    request_id: r.request_id,
                    created_at: r.created_at,
                }
            })
            .collect())
    }

    /// The coach's reading of a draft (F-3): anyone signed in may ask.
    pub fn coach(&self, actor: &Actor, text: &str) -> AppResult<CoachView> {
        may_coach(actor, text.chars().count())?;
        Ok(coach_view(coach::advise(text)))
    }

    /// The coach on a draft written in a template's parts (their codes and texts in order):
    /// the parts the template has for the situation, the behaviour and the impact decide those.
    pub fn coach_parts(&self, actor: &Actor, parts: &[(&str, &str)]) -> AppResult<CoachView> {
        may_coach(actor, parts.iter().map(|(_, t)| t.chars().count()).sum())?;
        Ok(coach_view(coach::advise_parts(parts)))
    }

    /// The coach on a draft in a template (sbi, star, sandwich or free), its parts' texts in the
    /// template's order.
    pub fn coach_template(&self, actor: &Actor, template: &str, texts: &[String]) -> AppResult<CoachView> {
        self.coach_parts(actor, &template_parts(template, texts)?)
    }

    /// The balance of a manager's own feedback over the last 90 days (F-4), the actor's by
    /// default; another manager's for their own managers and HR.
    pub async fn balance(&self, actor: &Actor, manager: Option<Uuid>) -> AppResult<BalanceView> {
        let c = self.c();
        let who = manager.or(actor.employee_id).ok_or(AppError::NotFound("employee"))?;
        let target = org_repo::employee(c, who).await?.ok_or(AppError::NotFound("employee"))?;
        let facts = self.app.org().facts_for_employee(actor, &target).await?;
        if !allowed(actor, Action::Read, Resource::FeedbackBalance, facts) {
            return Err(AppError::NotFound("employee"));
        }
        let since = self.app.clock.now() - Duration::days(rules::BALANCE_DAYS);
        let count = |kind: Kind| repo::given_since(c, who, kind, since);
        let b = rules::balance(count(Kind::Recognition).await? as u32, count(Kind::Improvement).await? as u32);
        Ok(BalanceView {
            days: rules::BALANCE_DAYS,
            recognition: b.recognition,
            improvement: b.improvement,
            recognition_percent: b.recognition_share.map(crate::goals::views::percent),
            nudge: b.nudge.map(|n| n.code().to_string()),
        })
    }
}

/// Manager-only feedback is its own resource: the recipient never reads it.
fn resource_of(visibility: Visibility) -> Resource {
    if visibility == Visibility::Manager { Resource::ManagerFeedback } else { Resource::Feedback }
}

fn problem(p: Problem) -> AppError {
    match p {
        Problem::Parts { expected } => {
            AppError::field("parts", "part_count", format!("this template has {expected} parts"))
        }
        Problem::Empty => AppError::field("parts", "nothing_written", "write something"),
        Problem::PartTooLong { part } => AppError::field(
            "parts",
            "too_long",
            format!("the {part} part is longer than {} characters", rules::MAX_PART_CHARS),
        ),
        Problem::TooLong => AppError::field("parts", "too_long", format!("at most {} characters", rules::MAX_CHARS)),
        Problem::PublicImprovement => {
            AppError::field("visibility", "public_improvement", "only recognition can be public")
        }
        Problem::SandwichIsImprovement => {
            AppError::field("template", "sandwich_is_improvement", "the sandwich template is for improvement")
        }
    }
}

/// Anyone signed in may ask the coach, about at most [`coach::MAX_CHARS`] characters.
/// A draft's parts as (code, text) in a template's order: the template named, one text a part.
pub(crate) fn template_parts<'a>(template: &str, texts: &'a [String]) -> AppResult<Vec<(&'static str, &'a str)>> {
    let t = Template::parse(template)
        .ok_or_else(|| AppError::field("template", "invalid_choice", "sbi, star, sandwich or free"))?;
    let codes = t.parts();
    if codes.len() != texts.len() {
        return Err(AppError::field("parts", "parts_count", format!("this template has {} parts", codes.len())));
    }
    Ok(codes.iter().copied().zip(texts.iter().map(String::as_str)).collect())
}

fn may_coach(actor: &Actor, chars: usize) -> AppResult<()> {
    if actor.user_id.is_none() && !actor.system {
        return Err(AppError::Unauthenticated);
    }
    if chars > coach::MAX_CHARS {
        return Err(AppError::field("text", "too_long", format!("at most {} characters", coach::MAX_CHARS)));
    }
    Ok(())
}

pub(crate) fn coach_view(a: Advice) -> CoachView {
    CoachView {
        lang: a.lang.code().into(),
        state: a.verdict().code().into(),
        hints: a.hints.iter().map(|h| CoachHint { flag: h.flag.code().into(), words: h.words.clone() }).collect(),
        situation: a.situation,
        behaviour: a.behaviour,
        impact: a.impact,
        rewrite: a
            .rewrite
            .into_iter()
            .map(|p| {
                let (text, slot, word) = match p {
                    Piece::Text(t) => (Some(t), None, None),
                    Piece::Situation => (None, Some("situation"), None),
                    Piece::Instead(w) => (None, Some("instead"), Some(w)),
                    Piece::Impact => (None, Some("impact"), None),
                };
                RewritePiece { text, slot: slot.map(str::to_string), word }
            })
            .collect(),
    }
}
