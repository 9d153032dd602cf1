//! The light 360 (F-6): after a project ends, the person, their manager or HR invites at least
//! three collaborators to rate the person on a few questions. Anonymity is kept by the server
//! at every exit:
//! - an answer is stored with no respondent and no time, apart from the keyed-hash mark that
//!   stops a second answer (see `waymark_domain::light360::answered_mark` and migration m0015);
//! - results exist only once the survey is closed and only from three answers, with comments
//!   sorted by their text, so neither a count ticking up nor an order points at anyone;
//! - while a survey is open nobody sees how many have answered, only whether three have; the
//!   person who asks for it and the person it is about can never be invited;
//! - answering writes nothing to the audit log or anyone's inbox (an audit entry is, by its
//!   nature, who and when); reminders go to every invitee, so the notifications do not tell
//!   who has answered either.

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use waymark_domain::light360::{self as rules, Answer, Problem, Setup, Survey};
use waymark_domain::org::Employee;
use waymark_store::repo::{accounts, light360 as repo, org as org_repo};

use crate::audit::entry;
use crate::inbox::{Message, notify_each};
use crate::jobs::{Job, enqueue_once};
use crate::org::{Person, employee_names};
use crate::policy::{Action, Actor, Facts, Resource, allowed};
use crate::{App, AppError, AppResult};

pub struct Light360Service<'a> {
    pub(crate) app: &'a App,
}

/// How many days a survey stays open when no last day is given.
pub const DEFAULT_OPEN_DAYS: i64 = 7;
/// The local hour of the last-day reminder.
const REMIND_HOUR: u32 = 10;

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Light360Input {
    /// Whom the survey is about: the creator by default, one of their reports, or (HR) anyone
    /// in their units.
    #[serde(default)]
    pub subject_id: Option<Uuid>,
    /// The project that ended (at most 200 characters).
    pub project: String,
    /// When it ended: today or within the last 90 days.
    pub ended_on: NaiveDate,
    /// The last day to answer: after today, within 30 days (7 days from today by default).
    #[serde(default)]
    pub closes_on: Option<NaiveDate>,
    /// 1–8 questions of up to 60 characters; the default four (沟通效率, 专业支持, 协作态度,
    /// 交付质量, or in English) when empty.
    #[serde(default)]
    pub questions: Vec<String>,
    /// The collaborators invited: 3–30 people, not the person it is about.
    pub invitee_ids: Vec<Uuid>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AnswerInput {
    /// One per question, in order.
    pub answers: Vec<AnswerItem>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AnswerItem {
    /// 1 (poor) to 5 (excellent).
    #[schema(minimum = 1, maximum = 5)]
    pub rating: i64,
    /// Optional, at most 1 000 characters.
    #[serde(default)]
    pub comment: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Light360View {
    pub id: Uuid,
    pub subject: Person,
    pub creator: Person,
    pub project: String,
    pub ended_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub questions: Vec<String>,
    /// open or closed.
    pub state: String,
    pub invitee_count: usize,
    /// How many answered: only once the survey is closed. While it is open a count that ticks
    /// up tells its watcher who answered when; `threshold_reached` says only whether enough
    /// have answered for results.
    pub response_count: Option<u64>,
    /// At least three have answered (the results' threshold).
    pub threshold_reached: bool,
    /// The people invited: for the survey's creator only.
    pub invitees: Option<Vec<Person>>,
    /// The reader is invited to answer.
    pub invited: bool,
    /// The reader has answered (known only to the reader).
    pub answered: bool,
    /// The reader may close it (its creator or HR, while open).
    pub can_close: bool,
    /// The results, for the person, their managers and HR, once closed with 3 or more answers.
    pub results: Option<Vec<QuestionResultView>>,
    /// Why there are no results for a reader who may see them: open or too_few.
    pub results_withheld: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct QuestionResultView {
    pub question: String,
    pub count: usize,
    pub mean: f64,
    /// How many gave 1, 2, 3, 4 and 5.
    pub distribution: Vec<usize>,
    /// Sorted by their text.
    pub comments: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Light360Lists {
    /// Open surveys the reader is invited to and has not answered.
    pub to_answer: Vec<Light360View>,
    /// Surveys about the reader or set up by them, newest first (the last 50).
    pub mine: Vec<Light360View>,
}

impl<'a> Light360Service<'a> {
    fn c(&self) -> &waymark_store::sea_orm::DatabaseConnection {
        &self.app.db.conn
    }

    pub async fn create(&self, actor: &Actor, input: Light360Input) -> AppResult<Light360View> {
        let me = actor.employee_id.ok_or(AppError::Forbidden)?;
        let c = self.c();
        let subject = org_repo::employee(c, input.subject_id.unwrap_or(me))
            .await?
            .filter(|e| e.is_current())
            .ok_or_else(|| AppError::field("subject_id", "unknown_employee", "no such person"))?;
        let facts = self.app.org().facts_for_employee(actor, &subject).await?;
        if !allowed(actor, Action::Write, Resource::Light360, facts) {
            return Err(AppError::field(
                "subject_id",
                "not_your_report",
                "yourself, your reports or people in your units",
            ));
        }
        let mut invitees: Vec<Uuid> = Vec::new();
        for p in input.invitee_ids {
            if !invitees.contains(&p) {
                invitees.push(p);
            }
        }
        let questions: Vec<String> = if input.questions.iter().all(|q| q.trim().is_empty()) {
            rules::default_questions(actor.locale.as_deref().unwrap_or("zh-CN"))
        } else {
            input.questions.iter().map(|q| q.trim().to_string()).filter(|q| !q.is_empty()).collect()
        };
        let today = self.app.today();
        let closes_on = input.closes_on.unwrap_or(today + Duration::days(DEFAULT_OPEN_DAYS));
        let setup = Setup {
            project: &input.project,
            ended_on: input.ended_on,
            closes_on,
            questions: &questions,
            invitees: &invitees,
            subject: subject.id,
            requester: me,
        };
        rules::check_setup(&setup, today).map_err(problem)?;
        let found = org_repo::employees_by_ids(c, &invitees).await?;
        if found.iter().filter(|e| e.is_current()).count() != invitees.len() {
            return Err(AppError::field(
                "invitee_ids",
                "unknown_employee",
                "someone invited is not in the organization",
            ));
        }
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| AppError::Internal(format!("no randomness: {e}")))?;
        let now = self.app.clock.now();
        let row = Survey {
            id: Uuid::now_v7(),
            subject_id: subject.id,
            creator_id: me,
            project: input.project.trim().to_string(),
            ended_on: input.ended_on,
            closes_on,
            questions: questions.clone(),
            mark_key: key.to_vec(),
            created_at: now,
            closed_at: None,
        };
        let (cal, _) = self.app.calendar().current().await?;
        let users = accounts::users_of_employees(c, &invitees).await?;
        let tx = self.app.db.begin_write().await?;
        repo::insert_survey(&*tx, row.clone(), &invitees).await?;
        let after = serde_json::json!({
            "subject_id": subject.id, "project": row.project, "ended_on": row.ended_on,
            "closes_on": closes_on, "questions": questions, "invitee_ids": invitees,
        });
        let a = entry(actor, now, "light360", row.id, Some(subject.id), "create", None, Some(after.to_string()), None);
        tx.audit(vec![a]);
        let messages = users
            .iter()
            .map(|(user, _)| {
                let m = Message {
                    kind: "light360-invited",
                    entity_type: "light360",
                    entity_id: row.id,
                    subject: &subject.name,
                    body: Some(&row.project),
                };
                (*user, m)
            })
            .collect();
        notify_each(&tx, actor, now, messages);
        let id = row.id;
        enqueue_once(
            &*tx,
            now,
            cal.instant(closes_on, REMIND_HOUR),
            &format!("light360-remind:{id}"),
            Job::Light360Reminder { survey: id },
        )
        .await?;
        let close_at = cal.instant(closes_on + Duration::days(1), 0);
        enqueue_once(&*tx, now, close_at, &format!("light360-close:{id}"), Job::Light360Close { survey: id }).await?;
        tx.commit().await?;
        self.get(actor, id).await
    }

    /// Answers a survey one is invited to, once, while it is open. Nothing about the answer
    /// names the person or says when.
    pub async fn answer(&self, actor: &Actor, id: Uuid, input: AnswerInput) -> AppResult<()> {
        let (s, invitees, _) = self.readable(actor, id).await?;
        let me = actor.employee_id.ok_or(AppError::NotFound("light360"))?;
        let facts = Facts { assigned: invitees.contains(&me), ..Facts::default() };
        if !allowed(actor, Action::Write, Resource::Light360Answer, facts) {
            return Err(AppError::Forbidden);
        }
        if !self.is_open(&s) {
            return Err(AppError::field("answers", "survey_closed", "this survey is closed"));
        }
        let questions = s.questions.clone();
        let answers: Vec<Answer> = input
            .answers
            .iter()
            .map(|a| Answer { rating: u8::try_from(a.rating).unwrap_or(0), comment: a.comment.trim().to_string() })
            .collect();
        rules::check_answers(questions.len(), &answers).map_err(problem)?;
        let mark = rules::answered_mark(&s.mark_key, s.id, me);
        let tx = self.app.db.begin_write().await?;
        if !repo::leave_mark(&*tx, s.id, mark).await? {
            return Err(AppError::field("answers", "already_answered", "you have answered this survey"));
        }
        let json = serde_json::to_string(&answers).expect("answers serialize");
        repo::insert_response(&*tx, s.id, Uuid::new_v4(), json).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes a survey before its last day: its creator or HR of the person's unit.
    pub async fn close(&self, actor: &Actor, id: Uuid) -> AppResult<Light360View> {
        let (s, _, facts) = self.readable(actor, id).await?;
        if !self.closable(actor, &s, &facts) {
            return Err(AppError::Forbidden);
        }
        if !close_and_tell(self.app, actor, &s).await? {
            return Err(AppError::field("survey", "survey_closed", "this survey is closed"));
        }
        self.get(actor, id).await
    }

    pub async fn get(&self, actor: &Actor, id: Uuid) -> AppResult<Light360View> {
        let (s, invitees, facts) = self.readable(actor, id).await?;
        self.view(actor, s, invitees, facts).await
    }

    /// What the reader has to answer, and the surveys about them or set up by them.
    pub async fn lists(&self, actor: &Actor) -> AppResult<Light360Lists> {
        let Some(me) = actor.employee_id else { return Ok(Light360Lists { to_answer: vec![], mine: vec![] }) };
        let c = self.c();
        let mut to_answer = Vec::new();
        for s in repo::open_invitations(c, me, self.app.today()).await? {
            let invitees = repo::invitees(c, s.id).await?;
            let facts = self.facts(actor, &s, &invitees).await?;
            let v = self.view(actor, s, invitees, facts).await?;
            if !v.answered {
                to_answer.push(v);
            }
        }
        let mut mine = Vec::new();
        for s in repo::surveys_about_or_by(c, me, 50).await? {
            let invitees = repo::invitees(c, s.id).await?;
            let facts = self.facts(actor, &s, &invitees).await?;
            mine.push(self.view(actor, s, invitees, facts).await?);
        }
        Ok(Light360Lists { to_answer, mine })
    }

    /// The survey with its invitees, if the actor may read it (otherwise it does not exist
    /// for them).
    async fn readable(&self, actor: &Actor, id: Uuid) -> AppResult<(Survey, Vec<Uuid>, Facts)> {
        let c = self.c();
        let s = repo::survey(c, id).await?.ok_or(AppError::NotFound("light360"))?;
        let invitees = repo::invitees(c, id).await?;
        let facts = self.facts(actor, &s, &invitees).await?;
        if !allowed(actor, Action::Read, Resource::Light360, facts) {
            return Err(AppError::NotFound("light360"));
        }
        Ok((s, invitees, facts))
    }

    async fn facts(&self, actor: &Actor, s: &Survey, invitees: &[Uuid]) -> AppResult<Facts> {
        let subject = self.subject(s).await?;
        let mut facts = self.app.org().facts_for_employee(actor, &subject).await?;
        facts.assigned = actor.employee_id.is_some_and(|me| me == s.creator_id || invitees.contains(&me));
        Ok(facts)
    }

    async fn subject(&self, s: &Survey) -> AppResult<Employee> {
        org_repo::employee(self.c(), s.subject_id).await?.ok_or(AppError::NotFound("employee"))
    }

    fn is_open(&self, s: &Survey) -> bool {
        s.is_open(self.app.today())
    }

    /// Its creator or HR of the person's unit may close it while it is open.
    fn closable(&self, actor: &Actor, s: &Survey, facts: &Facts) -> bool {
        self.is_open(s) && (actor.employee_id == Some(s.creator_id) || facts.in_hr_scope)
    }

    /// `facts`: how the survey's person relates to the actor (from `facts`).
    async fn view(&self, actor: &Actor, s: Survey, invitees: Vec<Uuid>, facts: Facts) -> AppResult<Light360View> {
        let c = self.c();
        let me = actor.employee_id;
        let can_close = self.closable(actor, &s, &facts);
        let facts = Facts { assigned: false, ..facts }; // results are the person's performance content, not an invitee's
        let sees_results = allowed(actor, Action::Read, Resource::Light360Results, facts);
        let open = self.is_open(&s);
        let count = repo::response_count(c, s.id).await?;
        let questions = s.questions.clone();
        let (results, results_withheld) = if !sees_results {
            (None, None)
        } else if open {
            (None, Some("open".to_string()))
        } else {
            let answers: Vec<Vec<Answer>> =
                repo::responses(c, s.id).await?.iter().map(|j| serde_json::from_str(j).unwrap_or_default()).collect();
            match rules::results(questions.len(), &answers) {
                Some(r) => (
                    Some(
                        r.into_iter()
                            .zip(&questions)
                            .map(|(r, q)| QuestionResultView {
                                question: q.clone(),
                                count: r.count,
                                mean: r.mean,
                                distribution: r.distribution.to_vec(),
                                comments: r.comments,
                            })
                            .collect(),
                    ),
                    None,
                ),
                None => (None, Some("too_few".to_string())),
            }
        };
        let invited = me.is_some_and(|m| invitees.contains(&m));
        let answered = match me {
            Some(m) if invited => repo::has_mark(c, s.id, &rules::answered_mark(&s.mark_key, s.id, m)).await?,
            _ => false,
        };
        let is_creator = me == Some(s.creator_id);
        let mut people = vec![s.subject_id, s.creator_id];
        if is_creator {
            people.extend(&invitees);
        }
        let names = employee_names(c, &people).await?;
        let person = |id: Uuid| Person { id, name: names.get(&id).cloned().unwrap_or_default() };
        Ok(Light360View {
            id: s.id,
            subject: person(s.subject_id),
            creator: person(s.creator_id),
            invitees: is_creator.then(|| {
                let mut v: Vec<Person> = invitees.iter().map(|i| person(*i)).collect();
                v.sort_by(|a, b| a.name.cmp(&b.name));
                v
            }),
            state: if open { "open" } else { "closed" }.into(),
            invitee_count: invitees.len(),
            response_count: (!open).then_some(count),
            threshold_reached: rules::threshold_reached(count),
            questions,
            invited,
            answered,
            can_close,
            results,
            results_withheld,
            project: s.project,
            ended_on: s.ended_on,
            closes_on: s.closes_on,
        })
    }
}

/// Closes a survey, audits it with its number of answers (never who gave them) and tells the
/// person and the creator whether there are results. False when it was already closed.
async fn close_and_tell(app: &App, actor: &Actor, s: &Survey) -> AppResult<bool> {
    let now = app.clock.now();
    let count = repo::response_count(&app.db.conn, s.id).await?;
    let users = accounts::users_of_employees(&app.db.conn, &[s.subject_id, s.creator_id]).await?;
    let tx = app.db.begin_write().await?;
    if !repo::close(&*tx, s.id, now).await? {
        return Ok(false);
    }
    let after = serde_json::json!({ "responses": count, "results_shown": count as usize >= rules::MIN_RESPONSES });
    let a = entry(actor, now, "light360", s.id, Some(s.subject_id), "close", None, Some(after.to_string()), None);
    tx.audit(vec![a]);
    let kind = if count as usize >= rules::MIN_RESPONSES { "light360-results" } else { "light360-too-few" };
    let messages = users
        .iter()
        .map(|(user, _)| {
            let m = Message { kind, entity_type: "light360", entity_id: s.id, subject: &s.project, body: None };
            (*user, m)
        })
        .collect();
    notify_each(&tx, actor, now, messages);
    tx.commit().await?;
    Ok(true)
}

/// The closing job, the day after the last day: closes the survey if still open.
pub(crate) async fn close_due(app: &App, survey: Uuid) -> AppResult<bool> {
    match repo::survey(&app.db.conn, survey).await? {
        Some(s) if s.closed_at.is_none() => close_and_tell(app, &Actor::system("light360"), &s).await,
        _ => Ok(false),
    }
}

/// The last-day reminder, to every invitee of a survey still open (answered or not, so that
/// the notifications say nothing about who has answered).
pub(crate) async fn remind(app: &App, survey: Uuid) -> AppResult<usize> {
    let c = &app.db.conn;
    let Some(s) = repo::survey(c, survey).await? else { return Ok(0) };
    if s.closed_at.is_some() {
        return Ok(0);
    }
    let subject = org_repo::employee(c, s.subject_id).await?.map(|e| e.name).unwrap_or_default();
    let users = accounts::users_of_employees(c, &repo::invitees(c, s.id).await?).await?;
    let now = app.clock.now();
    let tx = app.db.begin_write().await?;
    let messages = users
        .iter()
        .map(|(user, _)| {
            let m = Message {
                kind: "reminder-light360",
                entity_type: "light360",
                entity_id: s.id,
                subject: &subject,
                body: Some(&s.project),
            };
            (*user, m)
        })
        .collect();
    notify_each(&tx, &Actor::system("light360"), now, messages);
    tx.commit().await?;
    Ok(users.len())
}

fn problem(p: Problem) -> AppError {
    use rules::*;
    match p {
        Problem::NoProject => AppError::field("project", "required", "name the project"),
        Problem::ProjectTooLong => {
            AppError::field("project", "too_long", format!("at most {MAX_PROJECT_CHARS} characters"))
        }
        Problem::ProjectNotEnded => AppError::field("ended_on", "in_future", "a project that has ended"),
        Problem::ProjectTooOld => {
            AppError::field("ended_on", "project_too_old", format!("within the last {MAX_PROJECT_AGE_DAYS} days"))
        }
        Problem::QuestionCount => {
            AppError::field("questions", "question_count", format!("1 to {MAX_QUESTIONS} questions"))
        }
        Problem::QuestionEmpty(i) => AppError::field(&format!("questions[{i}]"), "required", "write the question"),
        Problem::QuestionTooLong(i) => {
            AppError::field(&format!("questions[{i}]"), "too_long", format!("at most {MAX_QUESTION_CHARS} characters"))
        }
        Problem::QuestionRepeated(i) => AppError::field(&format!("questions[{i}]"), "repeated", "asked twice"),
        Problem::InviteeCount => AppError::field(
            "invitee_ids",
            "invitee_count",
            format!("invite {MIN_INVITEES} to {MAX_INVITEES} people: results need {MIN_RESPONSES} answers"),
        ),
        Problem::InviteeIsSubject => {
            AppError::field("invitee_ids", "invitee_is_subject", "the person it is about cannot be invited")
        }
        Problem::InviteeIsRequester => AppError::field(
            "invitee_ids",
            "invitee_is_requester",
            "whoever asks for the survey cannot answer it: their answer would unmask the others",
        ),
        Problem::ClosesOn => {
            AppError::field("closes_on", "closes_on", format!("after today and within {MAX_OPEN_DAYS} days"))
        }
        Problem::AnswerCount => AppError::field("answers", "answer_count", "rate every question once"),
        Problem::RatingOutOfScale(i) => AppError::field(&format!("answers[{i}].rating"), "out_of_scale", "1 to 5"),
        Problem::CommentTooLong(i) => AppError::field(
            &format!("answers[{i}].comment"),
            "too_long",
            format!("at most {MAX_COMMENT_CHARS} characters"),
        ),
    }
}
