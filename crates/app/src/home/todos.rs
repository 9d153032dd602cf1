//! The home page's to-dos, each read from the service that owns the work and ordered by
//! `waymark_domain::home::order_key`.

use std::collections::HashMap;

use chrono::NaiveDate;
use waymark_domain::calendar::week_start;
use waymark_domain::home::{Due, TodoKind, check_in_due, order_key};
use waymark_domain::tracking::checkin::is_tracked;

use super::{HomeService, Todo};
use crate::AppResult;
use crate::goals::GoalSummary;
use crate::policy::Actor;

/// Reviews of one kind (source), cycle and deadline.
type ReviewGroup = (String, uuid::Uuid, Option<NaiveDate>);

/// From this many reviews of one kind, cycle and deadline, they are one to-do.
const GROUP_FROM: usize = 3;

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
    pub(super) async fn todos(
        &self,
        actor: &Actor,
        goals: &[GoalSummary],
        today: NaiveDate,
        t: &mut super::Timer,
    ) -> AppResult<Vec<Todo>> {
        let mut items = Vec::new();
        let undated = Due::by(None, today);
        let app = self.app;
        if actor.employee_id.is_some() {
            self.reviews(actor, today, &mut items).await?;
            t.lap("todo: reviews");
            for a in app.goals().approval_queue(actor).await? {
                let mut i = item(TodoKind::Approval, a.goal.title, undated, "/approvals".into());
                i.todo.person = Some(a.goal.owner_names.join(", "));
                items.push(i);
            }
            t.lap("todo: approvals");
            for (parent, child_title) in app.goals().alignment_requests_into(goals).await? {
                items.push(item(TodoKind::Alignment, child_title, undated, format!("/goals/{parent}")));
            }
            t.lap("todo: alignment");
            self.one_on_ones_today(actor, today, &mut items).await?;
            t.lap("todo: 1:1s");
            let (waiting, _) = app.feedback().requests(actor).await?;
            for r in waiting {
                let link = format!("/feedback/new?request={}", r.id);
                items.push(item(TodoKind::FeedbackRequest, r.requester.name, undated, link));
            }
            t.lap("todo: feedback");
            for s in app.light360().lists(actor).await?.to_answer {
                let due = Due::by(Some(s.closes_on), today);
                items.push(item(TodoKind::Light360, s.subject.name, due, format!("/light360/{}", s.id)));
            }
            t.lap("todo: light360");
            self.check_ins(actor, goals, today, &mut items).await?;
            t.lap("todo: check-ins");
            self.weekly_report(actor, today, &mut items).await?;
            t.lap("todo: weekly");
        }
        for d in app.probation().due_soon(actor, 14).await? {
            let due = Due { on: Some(d.checkpoint.due_on), overdue: d.checkpoint.overdue };
            let link = format!("/people/{}/probation", d.person.id);
            let mut i = item(TodoKind::Probation, d.person.name, due, link);
            i.todo.variant = Some(d.checkpoint.focus);
            items.push(i);
        }
        t.lap("todo: probation");
        for a in app.reviews().appeals_waiting(actor).await? {
            let mut i = item(TodoKind::Appeal, a.person.name, undated, format!("/admin/reviews/appeals/{}", a.id));
            i.todo.variant = (!a.assigned).then(|| "unassigned".into());
            items.push(i);
        }
        t.lap("todo: appeals");
        items.sort_by_key(|i| order_key(i.kind, i.due));
        Ok(items.into_iter().map(|i| i.todo).collect())
    }

    /// Results to acknowledge, reviews to write, peers to name.
    async fn reviews(&self, actor: &Actor, today: NaiveDate, items: &mut Vec<Item>) -> AppResult<()> {
        let reviews = self.app.reviews();
        for r in reviews.my_results(actor).await?.into_iter().filter(|r| !r.acknowledged) {
            let link = format!("/reviews/participants/{}/result", r.participant_id);
            items.push(item(TodoKind::Result, r.cycle_name, Due::by(None, today), link));
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
        Ok(())
    }

    /// Today's 1:1s still to be held, with the size of their agenda.
    async fn one_on_ones_today(&self, actor: &Actor, today: NaiveDate, items: &mut Vec<Item>) -> AppResult<()> {
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
        Ok(())
    }

    /// The person's tracked goals not updated this month (T-6's monthly check-in).
    async fn check_ins(
        &self,
        actor: &Actor,
        goals: &[GoalSummary],
        today: NaiveDate,
        items: &mut Vec<Item>,
    ) -> AppResult<()> {
        let tracked: Vec<&GoalSummary> = goals.iter().filter(|g| is_tracked(&g.status)).collect();
        if tracked.is_empty() {
            return Ok(());
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
        Ok(())
    }

    /// This week's report, when the organization asks for one and it is not yet submitted; due
    /// on the calendar's report day.
    async fn weekly_report(&self, actor: &Actor, today: NaiveDate, items: &mut Vec<Item>) -> AppResult<()> {
        let (cal, schedule) = self.app.calendar().current().await?;
        if !schedule.weekly_report {
            return Ok(());
        }
        if self.app.tracking().week_submitted(actor).await? {
            return Ok(());
        }
        let day = cal.weekly_report_day(week_start(today), schedule.weekly_weekday);
        items.push(item(TodoKind::WeeklyReport, String::new(), Due::by(day, today), "/tracking/weekly".into()));
        Ok(())
    }
}
