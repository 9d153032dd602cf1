//! The home page's to-dos, each read from the service that owns the work and ordered by
//! `waymark_domain::home::order_key`.

use std::collections::HashMap;

use chrono::NaiveDate;
use waymark_domain::calendar::week_start;
use waymark_domain::home::{Due, TodoKind, check_in_due, order_key};
use waymark_domain::tracking::checkin::is_tracked;

use super::{HomeService, Todo, timed};
use crate::AppResult;
use crate::goals::GoalSummary;
use crate::policy::Actor;

/// Reviews of one kind (source), cycle and deadline.
type ReviewGroup = (String, uuid::Uuid, Option<NaiveDate>);

/// From this many reviews of one kind, cycle and deadline, they are one to-do.
const GROUP_FROM: usize = 3;

/// A part only a person has: an account without one (the administrator) has no reviews to
/// write or goals to update, and the part is not read at all.
async fn mine(
    employee: bool,
    part: &'static str,
    f: impl std::future::Future<Output = AppResult<Vec<Item>>>,
) -> AppResult<Vec<Item>> {
    if employee { timed(part, f).await } else { Ok(vec![]) }
}

/// A to-do before it is ordered.
struct Item {
    kind: TodoKind,
    due: Due,
    todo: Todo,
}

fn item(kind: TodoKind, subject: String, due: Due, link: String) -> Item {
    let todo = Todo {
        kind: kind.code().into(),
        subject,
        person: None,
        variant: None,
        count: None,
        starts_at: None,
        agenda_items: None,
        due_on: due.on,
        overdue: due.overdue,
        link,
    };
    Item { kind, due, todo }
}

impl HomeService<'_> {
    /// Every kind of to-do, each read at once from the service that owns it.
    pub(super) async fn todos(&self, actor: &Actor, goals: &[GoalSummary], today: NaiveDate) -> AppResult<Vec<Todo>> {
        let employee = actor.employee_id.is_some();
        // Each part on the heap: joined in place, the parts' states together overflow a worker
        // thread's stack in a debug build.
        let parts = tokio::try_join!(
            Box::pin(mine(employee, "todo: reviews", self.reviews(actor, today))),
            Box::pin(mine(employee, "todo: approvals", self.approvals(actor))),
            Box::pin(mine(employee, "todo: alignment", self.alignment(goals))),
            Box::pin(mine(employee, "todo: 1:1s", self.one_on_ones_today(actor, today))),
            Box::pin(mine(employee, "todo: feedback", self.feedback_requests(actor))),
            Box::pin(mine(employee, "todo: light360", self.light360(actor, today))),
            Box::pin(mine(employee, "todo: check-ins", self.check_ins(actor, goals, today))),
            Box::pin(mine(employee, "todo: weekly", self.weekly_report(actor, today))),
            Box::pin(timed("todo: probation", self.probation(actor))),
            Box::pin(timed("todo: appeals", self.appeals(actor))),
            Box::pin(timed("todo: signals", self.signals(actor))),
        )?;
        let (a, b, c, d, e, f, g, h, i, j, k) = parts;
        let mut items: Vec<Item> = [a, b, c, d, e, f, g, h, i, j, k].into_iter().flatten().collect();
        items.sort_by_key(|i| order_key(i.kind, i.due));
        Ok(items.into_iter().map(|i| i.todo).collect())
    }

    async fn approvals(&self, actor: &Actor) -> AppResult<Vec<Item>> {
        let undated = Due::by(None, self.app.today());
        let mut items = Vec::new();
        for a in self.app.goals().approval_queue(actor).await? {
            let mut i = item(TodoKind::Approval, a.goal.title, undated, "/approvals".into());
            i.todo.person = Some(a.goal.owner_names.join(", "));
            items.push(i);
        }
        Ok(items)
    }

    async fn alignment(&self, goals: &[GoalSummary]) -> AppResult<Vec<Item>> {
        let undated = Due::by(None, self.app.today());
        let requests = self.app.goals().alignment_requests_into(goals).await?;
        Ok(requests
            .into_iter()
            .map(|(parent, child_title)| item(TodoKind::Alignment, child_title, undated, format!("/goals/{parent}")))
            .collect())
    }

    async fn feedback_requests(&self, actor: &Actor) -> AppResult<Vec<Item>> {
        let undated = Due::by(None, self.app.today());
        let (waiting, _) = self.app.feedback().requests(actor).await?;
        Ok(waiting
            .into_iter()
            .map(|r| {
                let link = format!("/feedback/new?request={}", r.id);
                item(TodoKind::FeedbackRequest, r.requester.name, undated, link)
            })
            .collect())
    }

    async fn light360(&self, actor: &Actor, today: NaiveDate) -> AppResult<Vec<Item>> {
        let to_answer = self.app.light360().lists(actor).await?.to_answer;
        Ok(to_answer
            .into_iter()
            .map(|s| {
                item(
                    TodoKind::Light360,
                    s.subject.name,
                    Due::by(Some(s.closes_on), today),
                    format!("/light360/{}", s.id),
                )
            })
            .collect())
    }

    /// Probation checkpoints due in the next two weeks, for the managers and HR who hold them.
    async fn probation(&self, actor: &Actor) -> AppResult<Vec<Item>> {
        let mut items = Vec::new();
        for d in self.app.probation().due_soon(actor, 14).await? {
            let due = Due { on: Some(d.checkpoint.due_on), overdue: d.checkpoint.overdue };
            let link = format!("/people/{}/probation", d.person.id);
            let mut i = item(TodoKind::Probation, d.person.name, due, link);
            i.todo.variant = Some(d.checkpoint.focus);
            items.push(i);
        }
        Ok(items)
    }

    async fn appeals(&self, actor: &Actor) -> AppResult<Vec<Item>> {
        let undated = Due::by(None, self.app.today());
        let mut items = Vec::new();
        for a in self.app.reviews().appeals_waiting(actor).await? {
            let mut i = item(TodoKind::Appeal, a.person.name, undated, format!("/admin/reviews/appeals/{}", a.id));
            i.todo.variant = (!a.assigned).then(|| "unassigned".into());
            items.push(i);
        }
        Ok(items)
    }

    /// Signals about the person still to answer; people's answers waiting for HR's reply.
    async fn signals(&self, actor: &Actor) -> AppResult<Vec<Item>> {
        let undated = Due::by(None, self.app.today());
        let w = self.app.signals().waiting(actor).await?;
        let mut items = Vec::new();
        for (id, kind) in w.unanswered {
            let mut i = item(TodoKind::Signal, String::new(), undated, format!("/signals#signal-{id}"));
            i.todo.variant = Some(kind.code().into());
            items.push(i);
        }
        if w.replies > 0 {
            let mut i = item(TodoKind::SignalReply, String::new(), undated, "/signals#people".into());
            i.todo.count = Some(w.replies);
            items.push(i);
        }
        Ok(items)
    }

    /// Results to acknowledge, reviews to write, peers to name.
    async fn reviews(&self, actor: &Actor, today: NaiveDate) -> AppResult<Vec<Item>> {
        let mut items = Vec::new();
        let reviews = self.app.reviews();
        for r in reviews.my_results(actor).await?.into_iter().filter(|r| !r.acknowledged) {
            let link = format!("/reviews/participants/{}/result", r.participant_id);
            items.push(item(TodoKind::Result, r.cycle_name, Due::by(r.acknowledge_by, today), link));
        }
        // Open for writing and not submitted: not_started, draft or late. One's self-review is
        // named by its cycle; three or more of one kind, cycle and deadline are one to-do.
        let mut groups: Vec<(ReviewGroup, Vec<crate::reviews::TaskView>)> = Vec::new();
        for t in reviews.my_tasks(actor).await? {
            if matches!(t.state.as_str(), "not_open" | "submitted") {
                continue;
            }
            let key = (t.source.clone(), t.cycle_id, t.closes_on);
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, list)) => list.push(t),
                None => groups.push((key, vec![t])),
            }
        }
        for ((source, _, closes_on), tasks) in groups {
            let due = Due::by(closes_on, today);
            if tasks.len() >= GROUP_FROM {
                let mut i = item(TodoKind::Review, tasks[0].cycle_name.clone(), due, "/reviews".into());
                i.todo.variant = Some(format!("{source}-many"));
                i.todo.count = Some(tasks.len());
                items.push(i);
                continue;
            }
            for t in tasks {
                let subject = if t.source == "self" { t.cycle_name } else { t.person.name };
                let mut i = item(TodoKind::Review, subject, due, format!("/reviews/{}", t.review_id));
                i.todo.variant = Some(t.source);
                items.push(i);
            }
        }
        for n in reviews.my_nominations(actor).await? {
            let named = n.peers.iter().filter(|p| p.state != "rejected").count();
            if n.can_nominate && named < n.peers_min as usize {
                let link = format!("/reviews/participants/{}/peers", n.participant_id);
                items.push(item(TodoKind::Peers, n.cycle_name, Due::by(None, today), link));
            }
        }
        Ok(items)
    }

    /// Today's 1:1s still to be held, with the size of their agenda.
    async fn one_on_ones_today(&self, actor: &Actor, today: NaiveDate) -> AppResult<Vec<Item>> {
        let mut items = Vec::new();
        let service = self.app.one_on_ones();
        let me = actor.employee_id;
        for m in service.scheduled_on(actor, today).await? {
            let other = if Some(m.manager_id) == me { m.report_name.clone() } else { m.manager_name.clone() };
            let agenda = service.meeting(actor, m.id).await?.agenda.len();
            let mut i = item(TodoKind::OneOnOne, other, Due::by(Some(today), today), format!("/one-on-ones/{}", m.id));
            i.todo.starts_at = Some(m.starts_at);
            i.todo.agenda_items = Some(agenda);
            items.push(i);
        }
        Ok(items)
    }

    /// The person's tracked goals not updated this month (T-6's monthly check-in).
    async fn check_ins(&self, actor: &Actor, goals: &[GoalSummary], today: NaiveDate) -> AppResult<Vec<Item>> {
        let mut items = Vec::new();
        let tracked: Vec<&GoalSummary> = goals.iter().filter(|g| is_tracked(&g.status)).collect();
        if tracked.is_empty() {
            return Ok(items);
        }
        let stale_days = self.app.tracking().current_settings(&self.app.db.conn).await?.thresholds.stale_days;
        let starts: HashMap<uuid::Uuid, NaiveDate> =
            self.app.goals().periods(actor).await?.into_iter().map(|p| (p.id, p.starts_on)).collect();
        let zone = self.app.zone();
        for g in tracked {
            let Some(start) = starts.get(&g.period_id) else { continue };
            let last = g.last_update_at.map(|t| zone.date(t));
            if let Some(due) = check_in_due(last, zone.date(g.created_at), *start, today, stale_days) {
                items.push(item(TodoKind::CheckIn, g.title.clone(), due, format!("/goals/{}", g.id)));
            }
        }
        Ok(items)
    }

    /// This week's report, when the organization asks for one and it is not yet submitted; due
    /// on the calendar's report day.
    async fn weekly_report(&self, actor: &Actor, today: NaiveDate) -> AppResult<Vec<Item>> {
        let (cal, schedule) = self.app.calendar().current().await?;
        if !schedule.weekly_report || self.app.tracking().week_submitted(actor).await? {
            return Ok(vec![]);
        }
        let day = cal.weekly_report_day(week_start(today), schedule.weekly_weekday);
        Ok(vec![item(TodoKind::WeeklyReport, String::new(), Due::by(day, today), "/tracking/weekly".into())])
    }
}
