//! Risk and potential signals (SPEC I-4; issue 26, items 1 and 2): computed by the nightly
//! sweep and on HR's demand with the domain's rules, kept with their evidence chain, and shown
//! by who asks — the person sees every signal about themselves first and answers it; managers
//! see how many people of their line have one (never for a line under five) and names only
//! when HR's setting allows; HR sees the people of their units, and opens a signal's evidence
//! only with a reason, which the audit log keeps. A signal decides nothing by itself.

use std::collections::{HashMap, HashSet};
use std::time::Instant;

use uuid::Uuid;
use waymark_domain::flight_risk::history::{self, ModelRun, Outcome};
use waymark_domain::org as rules;
use waymark_domain::signals::{self, Answer, Reply, Signal, SignalKind, SignalState, Stance, Windows};
use waymark_store::repo::flight_model as flight_repo;
use waymark_store::repo::signals::{self as repo, Changes};
use waymark_store::repo::{org as org_repo, workflow as wf_repo};

use crate::audit::{entry, json};
use crate::inbox::{Message, notify, notify_each};
use crate::org::{Person, employee_names};
use crate::policy::{Action, Actor, Facts, Resource, allowed, could_about_others};
use crate::{App, AppError, AppResult};

/// The smallest group whose counts a manager sees: fewer could point at one person.
pub const MIN_GROUP: usize = 5;
/// At most this many people listed for HR at once, the strongest signals first.
pub const LIST_LIMIT: usize = 200;
const MAX_TEXT: usize = 2_000;
const MAX_REASON: usize = 500;

/// What one computation did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ComputeReport {
    pub people: usize,
    pub raised: usize,
    pub updated: usize,
    pub cleared: usize,
    pub elapsed_ms: u64,
}

/// A signal with what its reader may see and do.
#[derive(Debug, Clone)]
pub struct SignalView {
    pub signal: Signal,
    pub person: Person,
    pub suggestions: Vec<&'static str>,
    pub answers: Vec<AnswerView>,
    /// The person may answer it (their own, still open).
    pub can_answer: bool,
    /// The reader may reply to its answers (HR of the person's unit).
    pub can_reply: bool,
}

#[derive(Debug, Clone)]
pub struct AnswerView {
    pub answer: Answer,
    pub author: String,
}

/// A person's own signals and their choice to be told first.
#[derive(Debug, Clone)]
pub struct MySignals {
    pub signals: Vec<SignalView>,
    pub notify_first: bool,
}

/// One person with open signals, as listed for HR (or a manager where HR allows names).
#[derive(Debug, Clone)]
pub struct ListedPerson {
    pub person: Person,
    pub unit: String,
    /// (signal id, kind, points), strongest first.
    pub signals: Vec<(Uuid, SignalKind, u32)>,
    /// Answers the person gave that wait for a reply.
    pub unanswered: usize,
}

/// What a manager sees of their line.
#[derive(Debug, Clone)]
pub struct LineCounts {
    pub people: usize,
    /// None when the line is under [`MIN_GROUP`]: no counts at all.
    pub counts: Option<Vec<(SignalKind, usize)>>,
}

#[derive(Debug, Clone)]
pub struct Overview {
    pub line: Option<LineCounts>,
    /// People listed by name: HR's units, or the manager's line if HR allows names.
    pub listed: Vec<ListedPerson>,
    /// How many people have open signals in what the reader may list (all, not just the first).
    pub listed_total: usize,
    pub managers_see_names: bool,
    pub can_compute: bool,
}

/// What waits on a reader: (signal, kind) of their own not answered, and answers to reply to.
#[derive(Debug, Clone, Default)]
pub struct Waiting {
    pub unanswered: Vec<(Uuid, SignalKind)>,
    pub replies: usize,
}

pub struct SignalService<'a> {
    pub(crate) app: &'a App,
}

impl SignalService<'_> {
    fn c(&self) -> &waymark_store::sea_orm::DatabaseConnection {
        &self.app.db.conn
    }

    /// Runs the rules for everyone: raises new signals, updates the evidence of those found
    /// again, clears those no longer found. The nightly sweep and org-wide HR run it.
    pub async fn compute(&self, actor: &Actor) -> AppResult<ComputeReport> {
        if !allowed(actor, Action::Write, Resource::SignalSettings, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let started = Instant::now();
        let now = self.app.clock.now();
        let w = Windows::new(self.app.today());
        let facts = signals::gather(repo::inputs(self.c(), &w, now, repo::Population::Current).await?, &w);
        // The flight-risk model, where one is fitted: its estimate is one fact among the rules'.
        let model = match flight_repo::latest_run(self.c()).await? {
            Some(ModelRun { outcome: Outcome::Fitted { evaluation, fitted }, .. }) => {
                Some((fitted, evaluation.people, evaluation.leavers))
            }
            _ => None,
        };
        let mut found: HashMap<(Uuid, SignalKind), signals::Assessment> = HashMap::new();
        for (person, f) in &facts {
            let estimate = match &model {
                Some((fitted, people, leavers)) => Some(
                    fitted
                        .explain(history::features(f, w.today))
                        .map_err(|e| AppError::Internal(format!("flight model: {e}")))?
                        .estimate(*people, *leavers),
                ),
                None => None,
            };
            for a in signals::assess_with(f, &w, estimate.as_ref()) {
                found.insert((*person, a.kind), a);
            }
        }
        let tx = self.app.db.begin_write().await?;
        let open = repo::open_signals(&*tx).await?;
        let mut changes = Changes { raised: Vec::new(), updated: Vec::new(), cleared: Vec::new(), at: now };
        for s in open {
            match found.remove(&(s.employee_id, s.kind)) {
                Some(a) if a.evidence != s.evidence || a.points != s.points => {
                    changes.updated.push(Signal { points: a.points, evidence: a.evidence, ..s })
                }
                Some(_) => {}
                None => changes.cleared.push(s.id),
            }
        }
        let mut raised: Vec<Signal> = found
            .into_iter()
            .map(|((employee_id, kind), a)| Signal {
                id: Uuid::now_v7(),
                employee_id,
                kind,
                state: SignalState::Open,
                points: a.points,
                evidence: a.evidence,
                raised_at: now,
                computed_at: now,
                cleared_at: None,
            })
            .collect();
        raised.sort_by_key(|s| (s.employee_id, s.kind));
        changes.raised = raised;
        repo::apply(&*tx, &changes).await.map_err(|e| {
            if e.is_unique_violation() {
                AppError::field("compute", "running", "another computation ran at the same time; try again")
            } else {
                e.into()
            }
        })?;
        // Those who asked to be told first hear of a new signal about them before anyone looks.
        let people: Vec<Uuid> = changes.raised.iter().map(|s| s.employee_id).collect();
        let first = repo::notify_first_of(&*tx, &people).await?;
        let told: Vec<Uuid> = people.into_iter().filter(|p| first.contains(p)).collect();
        let users = wf_repo::employee_users(&*tx, &told).await?;
        let first_raised: HashMap<Uuid, &Signal> = changes.raised.iter().rev().map(|s| (s.employee_id, s)).collect();
        let mut messages = Vec::new();
        for (employee, user) in &users {
            if let Some(s) = first_raised.get(employee) {
                messages.push((
                    *user,
                    Message {
                        kind: "signal-raised",
                        entity_type: "risk_signal",
                        entity_id: s.id,
                        subject: s.kind.code(),
                        body: None,
                    },
                ));
            }
        }
        notify_each(&tx, actor, now, messages);
        let report = ComputeReport {
            people: facts.len(),
            raised: changes.raised.len(),
            updated: changes.updated.len(),
            cleared: changes.cleared.len(),
            elapsed_ms: 0,
        };
        let figures = serde_json::json!({
            "people": report.people, "raised": report.raised, "updated": report.updated, "cleared": report.cleared,
        });
        tx.audit(vec![entry(actor, now, "risk_signal", Uuid::now_v7(), None, "compute", None, json(&figures), None)]);
        tx.commit().await?;
        Ok(ComputeReport { elapsed_ms: started.elapsed().as_millis() as u64, ..report })
    }

    /// The signed-in person's own signals, open and cleared, newest first, with their answers.
    pub async fn mine(&self, actor: &Actor) -> AppResult<MySignals> {
        let me = actor.employee_id.ok_or(AppError::NotFound("employee"))?;
        let facts = Facts { is_self: true, ..Facts::default() };
        if !allowed(actor, Action::Read, Resource::Signal, facts) {
            return Err(AppError::Forbidden);
        }
        let list = repo::signals_of(self.c(), me, 50).await?;
        let signals = self.views(actor, list, facts).await?;
        Ok(MySignals { signals, notify_first: repo::notify_first(self.c(), me).await? })
    }

    /// Opens one signal's evidence. Someone else's needs a reason, kept in the audit log with
    /// who looked (the person's own needs none and is not logged).
    pub async fn look(&self, actor: &Actor, id: Uuid, reason: Option<&str>) -> AppResult<SignalView> {
        let s = repo::signal(self.c(), id).await?.ok_or(AppError::NotFound("signal"))?;
        let facts = self.facts(actor, s.employee_id).await?;
        if !allowed(actor, Action::Read, Resource::Signal, facts) {
            return Err(AppError::NotFound("signal"));
        }
        if !facts.is_self {
            let reason = text(reason.unwrap_or(""), "look_reason", MAX_REASON)?;
            let tx = self.app.db.begin_write().await?;
            let now = self.app.clock.now();
            tx.audit(vec![entry(
                actor,
                now,
                "risk_signal",
                s.id,
                Some(s.employee_id),
                "view",
                None,
                None,
                Some(reason),
            )]);
            tx.commit().await?;
        }
        Ok(self.views(actor, vec![s], facts).await?.remove(0))
    }

    /// The person answers a signal about them: an explanation, a disagreement, or that the data
    /// is wrong. HR of their unit is told and replies.
    pub async fn answer(&self, actor: &Actor, id: Uuid, stance: &str, body: &str) -> AppResult<AnswerView> {
        let s = repo::signal(self.c(), id).await?.ok_or(AppError::NotFound("signal"))?;
        let facts = self.facts(actor, s.employee_id).await?;
        if !allowed(actor, Action::Read, Resource::Signal, facts) {
            return Err(AppError::NotFound("signal"));
        }
        if !allowed(actor, Action::Write, Resource::Signal, facts) {
            return Err(AppError::Forbidden);
        }
        // A cleared signal is kept with its answers, and answered no more (the page offers no form).
        if !answerable(&s) {
            return Err(AppError::field("signal", "signal_cleared", "this signal is cleared"));
        }
        let stance = Stance::parse(stance)
            .ok_or_else(|| AppError::field("stance", "signal_stance", "explain, contest or wrong"))?;
        let body = text(body, "answer", MAX_TEXT)?;
        let now = self.app.clock.now();
        let a = Answer {
            id: Uuid::now_v7(),
            signal_id: s.id,
            author_id: s.employee_id,
            stance,
            body,
            created_at: now,
            reply: None,
        };
        let tx = self.app.db.begin_write().await?;
        repo::insert_answer(&*tx, &a).await?;
        let e = org_repo::employee(&*tx, s.employee_id).await?.ok_or(AppError::NotFound("employee"))?;
        let mut units = org_repo::unit_ancestors(&*tx, e.unit_id).await?;
        units.push(e.unit_id);
        let hr: Vec<Uuid> = wf_repo::hr_users_covering(&*tx, &units).await?;
        let message = Message {
            kind: "signal-answered",
            entity_type: "risk_signal",
            entity_id: s.id,
            subject: &e.name,
            body: None,
        };
        notify(&tx, actor, now, &hr, message);
        let after = serde_json::json!({"stance": stance.code(), "body": a.body});
        tx.audit(vec![entry(
            actor,
            now,
            "signal_answer",
            a.id,
            Some(s.employee_id),
            "create",
            None,
            json(&after),
            None,
        )]);
        tx.commit().await?;
        Ok(AnswerView { author: e.name, answer: a })
    }

    /// HR of the person's unit replies to an answer (once).
    pub async fn reply(&self, actor: &Actor, answer: Uuid, body: &str) -> AppResult<()> {
        let a = repo::answer(self.c(), answer).await?.ok_or(AppError::NotFound("answer"))?;
        let facts = self.facts(actor, a.author_id).await?;
        if !allowed(actor, Action::Read, Resource::Signal, facts) {
            return Err(AppError::NotFound("answer"));
        }
        if !allowed(actor, Action::Write, Resource::SignalReply, facts) {
            return Err(AppError::Forbidden);
        }
        let body = text(body, "reply", MAX_TEXT)?;
        let now = self.app.clock.now();
        let reply = Reply { body, by: actor.user_id, by_name: actor.display_name.clone(), at: now };
        let tx = self.app.db.begin_write().await?;
        if !repo::set_reply(&*tx, answer, &reply).await? {
            return Err(AppError::field("reply", "held", "this answer has a reply"));
        }
        let users = wf_repo::users_of_employees(&*tx, &[a.author_id]).await?;
        let message = Message {
            kind: "signal-replied",
            entity_type: "risk_signal",
            entity_id: a.signal_id,
            subject: &actor.display_name,
            body: None,
        };
        notify(&tx, actor, now, &users, message);
        let after = serde_json::json!({"reply": reply.body});
        tx.audit(vec![entry(actor, now, "signal_answer", a.id, Some(a.author_id), "reply", None, json(&after), None)]);
        tx.commit().await?;
        Ok(())
    }

    /// What the reader may see of others' signals: a manager their line's counts (and names if
    /// HR allows), HR the people of their units.
    pub async fn overview(&self, actor: &Actor) -> AppResult<Overview> {
        let c = self.c();
        let managers_see_names = repo::managers_see_names(c).await?;
        let can_compute = allowed(actor, Action::Write, Resource::SignalSettings, Facts::default());
        let line_facts = Facts { manages: true, ..Facts::default() };
        let mut line_people: Vec<Uuid> = Vec::new();
        let line = match actor.employee_id {
            Some(me) if actor.is_manager && allowed(actor, Action::Read, Resource::SignalCounts, line_facts) => {
                line_people = org_repo::all_reports(c, me).await?;
                Some(line_people.len())
            }
            _ => None,
        };
        let may_list_others = actor.is_hr()
            || (line.is_some()
                && allowed(
                    actor,
                    Action::Read,
                    Resource::Signal,
                    Facts { org_allows: managers_see_names, ..line_facts },
                ));
        if line.is_none() && !may_list_others {
            return Ok(Overview { line: None, listed: Vec::new(), listed_total: 0, managers_see_names, can_compute });
        }
        let open = repo::open_signals(c).await?;
        let line_set: HashSet<Uuid> = line_people.iter().copied().collect();
        let line = line.map(|people| LineCounts {
            people,
            counts: (people >= MIN_GROUP).then(|| {
                SignalKind::ALL
                    .into_iter()
                    .map(|k| (k, open.iter().filter(|s| s.kind == k && line_set.contains(&s.employee_id)).count()))
                    .collect()
            }),
        });
        let mut listed = Vec::new();
        let mut listed_total = 0;
        if may_list_others {
            let subjects: Vec<Uuid> = {
                let mut ids: Vec<Uuid> = open.iter().map(|s| s.employee_id).collect();
                ids.sort();
                ids.dedup();
                ids
            };
            let people = org_repo::employees_by_ids(c, &subjects).await?;
            let units = self.app.org().unit_paths().await?;
            let mut visible: Vec<ListedPerson> = Vec::new();
            let ids: Vec<Uuid> = open.iter().map(|s| s.id).collect();
            let waiting: HashMap<Uuid, usize> = repo::answers_to(c, &ids)
                .await?
                .into_iter()
                .filter(|a| a.reply.is_none())
                .fold(HashMap::new(), |mut m, a| {
                    *m.entry(a.signal_id).or_default() += 1;
                    m
                });
            for e in people {
                let facts = Facts {
                    is_self: actor.employee_id == Some(e.id),
                    manages: line_set.contains(&e.id),
                    in_hr_scope: actor.hr.as_ref().is_some_and(|s| s.covers(e.unit_id)),
                    org_allows: managers_see_names,
                    ..Facts::default()
                };
                // One's own signals are on one's own page, not in a list about others.
                if facts.is_self || !allowed(actor, Action::Read, Resource::Signal, facts) {
                    continue;
                }
                let mut mine: Vec<(Uuid, SignalKind, u32)> =
                    open.iter().filter(|s| s.employee_id == e.id).map(|s| (s.id, s.kind, s.points)).collect();
                mine.sort_by(|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
                let unanswered = mine.iter().map(|s| waiting.get(&s.0).copied().unwrap_or(0)).sum();
                let unit = units.get(&e.unit_id).map(|(_, path)| path.clone()).unwrap_or_default();
                visible.push(ListedPerson {
                    person: Person { id: e.id, name: e.name },
                    unit,
                    signals: mine,
                    unanswered,
                });
            }
            visible.sort_by(|a, b| {
                let top = |p: &ListedPerson| p.signals.first().map_or(0, |s| s.2);
                b.unanswered.cmp(&a.unanswered).then(top(b).cmp(&top(a))).then(a.person.name.cmp(&b.person.name))
            });
            listed_total = visible.len();
            visible.truncate(LIST_LIMIT);
            listed = visible;
        }
        Ok(Overview { line, listed, listed_total, managers_see_names, can_compute })
    }

    /// What waits on the reader, for the home page: their own open signals not answered yet,
    /// and (HR) people's answers in their scope waiting for a reply.
    pub async fn waiting(&self, actor: &Actor) -> AppResult<Waiting> {
        let c = self.c();
        let mut out = Waiting::default();
        if let Some(me) = actor.employee_id {
            let open: Vec<Signal> =
                repo::signals_of(c, me, 50).await?.into_iter().filter(|s| s.state == SignalState::Open).collect();
            let ids: Vec<Uuid> = open.iter().map(|s| s.id).collect();
            let answered: HashSet<Uuid> = repo::answers_to(c, &ids).await?.into_iter().map(|a| a.signal_id).collect();
            out.unanswered = open.into_iter().filter(|s| !answered.contains(&s.id)).map(|s| (s.id, s.kind)).collect();
        }
        if could_about_others(actor, Action::Write, Resource::SignalReply) {
            let waiting = repo::answers_waiting(c).await?;
            let people: Vec<Uuid> = waiting.iter().map(|a| a.author_id).collect();
            let units: HashMap<Uuid, Uuid> =
                org_repo::employees_by_ids(c, &people).await?.into_iter().map(|e| (e.id, e.unit_id)).collect();
            out.replies = waiting
                .iter()
                .filter(|a| {
                    let facts = Facts {
                        is_self: actor.employee_id == Some(a.author_id),
                        in_hr_scope: units
                            .get(&a.author_id)
                            .is_some_and(|u| actor.hr.as_ref().is_some_and(|s| s.covers(*u))),
                        ..Facts::default()
                    };
                    allowed(actor, Action::Write, Resource::SignalReply, facts)
                })
                .count();
        }
        Ok(out)
    }

    /// Whether managers see names of their line's signals: everyone signed in reads it (the
    /// page says who can see what), org-wide HR sets it.
    pub async fn managers_see_names(&self, actor: &Actor) -> AppResult<bool> {
        if !allowed(actor, Action::Read, Resource::SignalSettings, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        Ok(repo::managers_see_names(self.c()).await?)
    }

    pub async fn set_managers_see_names(&self, actor: &Actor, on: bool) -> AppResult<()> {
        if !allowed(actor, Action::Write, Resource::SignalSettings, Facts::default()) {
            return Err(AppError::Forbidden);
        }
        let now = self.app.clock.now();
        let tx = self.app.db.begin_write().await?;
        let before = repo::managers_see_names(&*tx).await?;
        repo::set_managers_see_names(&*tx, on, now).await?;
        let id = Uuid::from_u128(1);
        tx.audit(vec![entry(actor, now, "signal_setting", id, None, "set", json(&before), json(&on), None)]);
        tx.commit().await?;
        Ok(())
    }

    /// The person's choice to be told at once when a signal about them is raised.
    pub async fn set_notify_first(&self, actor: &Actor, on: bool) -> AppResult<()> {
        let me = actor.employee_id.ok_or(AppError::NotFound("employee"))?;
        if !allowed(actor, Action::Write, Resource::Signal, Facts { is_self: true, ..Facts::default() }) {
            return Err(AppError::Forbidden);
        }
        let tx = self.app.db.begin_write().await?;
        repo::set_notify_first(&*tx, me, on).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn facts(&self, actor: &Actor, employee: Uuid) -> AppResult<Facts> {
        let e = org_repo::employee(self.c(), employee).await?.ok_or(AppError::NotFound("signal"))?;
        let facts = self.app.org().facts_for_employee(actor, &e).await?;
        Ok(Facts { org_allows: facts.manages && repo::managers_see_names(self.c()).await?, ..facts })
    }

    async fn views(&self, actor: &Actor, list: Vec<Signal>, facts: Facts) -> AppResult<Vec<SignalView>> {
        let ids: Vec<Uuid> = list.iter().map(|s| s.id).collect();
        let mut answers: HashMap<Uuid, Vec<Answer>> = HashMap::new();
        for a in repo::answers_to(self.c(), &ids).await? {
            answers.entry(a.signal_id).or_default().push(a);
        }
        let people: Vec<Uuid> = list.iter().map(|s| s.employee_id).collect();
        let names = employee_names(self.c(), &people).await?;
        let can_answer = allowed(actor, Action::Write, Resource::Signal, facts);
        let can_reply = allowed(actor, Action::Write, Resource::SignalReply, facts);
        Ok(list
            .into_iter()
            .map(|s| {
                let name = names.get(&s.employee_id).cloned().unwrap_or_default();
                let suggestions = signals::suggestions(&s.evidence);
                let answers = answers
                    .remove(&s.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|a| AnswerView { author: name.clone(), answer: a })
                    .collect();
                SignalView {
                    can_answer: can_answer && answerable(&s),
                    can_reply,
                    person: Person { id: s.employee_id, name },
                    suggestions,
                    answers,
                    signal: s,
                }
            })
            .collect())
    }
}

/// A required text of at most `max` characters, trimmed (the organization's rule for texts).
fn text(s: &str, field: &str, max: usize) -> AppResult<String> {
    rules::required_text(s, max).map_err(|e| AppError::field(field, e.code(), e.message()))
}

/// Whether the person may still answer a signal: while it is open.
fn answerable(s: &Signal) -> bool {
    s.state == SignalState::Open
}
