//! The home page's service over real databases (issue 23, item 1; Q-1): each person's to-dos
//! come from the work itself and leave when it is done — a goal to approve, feedback asked for,
//! this month's check-in, this week's report — ordered overdue first; a manager sees who has gone
//! quiet (T-3), an executive the strategy board, an administrator nothing of anyone's work.

use chrono::{Duration, NaiveDate};
use waymark_app::demo::DemoOptions;
use waymark_app::feedback::{FeedbackInput, RequestInput};
use waymark_app::goals::workflow::{DecisionInput, SubmitInput};
use waymark_app::home::{HomeView, Todo};
use waymark_app::policy::Actor;
use waymark_app::tracking::{CheckInInput, WeeklyReportInput};
use waymark_store::{Db, dual_test};

mod common;
use common::{monday_demo, numeric_kr, private_okr};

fn of<'a>(h: &'a HomeView, kind: &str) -> Vec<&'a Todo> {
    h.todos.iter().filter(|t| t.kind == kind).collect()
}

async fn home(app: &waymark_app::App, a: &Actor) -> HomeView {
    app.home().today(a).await.unwrap()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

dual_test!(q1_the_home_page_lists_the_work_and_drops_what_is_done, |db: Db| async move {
    // Monday 30 November 2026, 09:00 in Shanghai.
    let d = monday_demo(db).await;
    let (app, employee, manager) = (&d.app, &d.employee, &d.manager);
    app.create_demo_goals(&DemoOptions { seed: 7, ..Default::default() }).await.unwrap();
    let quarter = app
        .goals()
        .periods(employee)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.kind == "quarter" && p.starts_on == day(10, 1))
        .unwrap();

    // The administrator has no work of anyone's on their home.
    let h = home(app, &d.admin).await;
    assert!(h.todos.is_empty() && h.goals.is_empty() && h.changes.is_empty());
    assert!(h.team.is_none() && h.cycles.is_empty() && h.strategy.is_none());

    // The week's report is due on Friday 4 December (the calendar's default day), not overdue.
    let h = home(app, employee).await;
    assert_eq!(h.today, day(11, 30));
    let weekly = of(&h, "weekly-report");
    assert_eq!(weekly.len(), 1);
    assert_eq!(
        (weekly[0].due_on, weekly[0].overdue, weekly[0].link.as_str()),
        (Some(day(12, 4)), false, "/tracking/weekly")
    );
    assert!(h.strategy.is_none() && h.cycles.is_empty(), "the strategy board and cycles are not an employee's");

    // A goal submitted today: the manager approves it from their home.
    let goal = private_okr(quarter.id, "本季度签约 5 家渠道", vec![numeric_kr("签约渠道数", None, 0.0, 5.0)]);
    let goal = app.goals().create_goal(employee, goal).await.unwrap();
    let id = goal.summary.id;
    app.goals().submit(employee, id, SubmitInput::default()).await.unwrap();
    let h = home(app, manager).await;
    let approvals = of(&h, "approval");
    assert_eq!(approvals.iter().filter(|t| t.subject == "本季度签约 5 家渠道").count(), 1);
    assert!(approvals.iter().all(|t| t.link == "/approvals" && t.due_on.is_none()));
    assert!(h.team.is_some(), "a manager sees the team's lights");

    // The submitted goal is tracked: never updated, set today, so its check-in is due by today
    // (the month's last day) and not overdue.
    let h = home(app, employee).await;
    assert!(h.goals.iter().any(|g| g.id == id));
    let check =
        of(&h, "check-in").into_iter().find(|t| t.link == format!("/goals/{id}")).cloned().expect("check-in due");
    assert_eq!((check.due_on, check.overdue), (Some(day(11, 30)), false));

    let decision = DecisionInput { decision: "approve".into(), comment: None };
    app.goals().decide(manager, id, decision).await.unwrap();
    let h = home(app, manager).await;
    assert!(of(&h, "approval").iter().all(|t| t.subject != "本季度签约 5 家渠道"), "approved: gone");

    // Checked in: this month's check-in is done.
    let kr = goal.key_results[0].id;
    let input = CheckInInput { current: Some(1.0), ..Default::default() };
    app.tracking().check_in_key_result(employee, kr, input, vec![]).await.unwrap();
    let h = home(app, employee).await;
    assert!(of(&h, "check-in").iter().all(|t| t.link != format!("/goals/{id}")));

    // Feedback asked of the manager: a to-do that leads to the answer form, gone once answered;
    // the employee then reads it under "what changed".
    let manager_id = manager.employee_id.unwrap();
    let input =
        RequestInput { about: None, from: vec![manager_id], message: "这季度我的客户沟通怎么样？".into() };
    let request = app.feedback().request(employee, input).await.unwrap();
    let h = home(app, manager).await;
    let asked = of(&h, "feedback-request");
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].link, format!("/feedback/new?request={}", request.id));
    let answer = FeedbackInput {
        recipient_id: employee.employee_id.unwrap(),
        kind: "recognition".into(),
        visibility: "recipient".into(),
        template: "free".into(),
        parts: vec!["客户周会准备得很充分，问题都提前列好了，客户当场确认了两项需求。".into()],
        goal_id: None,
        request_id: Some(request.id),
    };
    app.feedback().give(manager, answer).await.unwrap();
    assert!(of(&home(app, manager).await, "feedback-request").is_empty());
    let h = home(app, employee).await;
    assert!(h.changes.iter().any(|c| c.kind == "feedback" && c.subject == manager.display_name));

    // The week's report submitted: gone.
    let report = WeeklyReportInput { done: Some("签了第一家渠道".into()), submit: true, ..Default::default() };
    app.tracking().save_week(employee, day(11, 30), report).await.unwrap();
    assert!(of(&home(app, employee).await, "weekly-report").is_empty());

    // HR's home: the demo's launched cycle, counted in one grouped read exactly as the cycle's
    // health page counts it person by person.
    let h = home(app, &d.hr).await;
    assert_eq!(h.cycles.len(), 1, "the demo's cycle");
    let line = &h.cycles[0];
    let health = app.reviews().health(&d.hr, line.id).await.unwrap();
    let p = |x: &waymark_app::reviews::Progress| (x.total, x.submitted, x.draft, x.not_started, x.late);
    assert_eq!(p(&line.self_reviews), p(&health.self_reviews));
    assert_eq!(p(&line.manager_reviews), p(&health.manager_reviews));
    assert_eq!(p(&line.peer_reviews), p(&health.peer_reviews));
    assert!(line.self_reviews.total > 0);
    assert!(home(app, employee).await.cycles.is_empty(), "not an employee's");

    // The executive's home summarizes the strategy board.
    let s = home(app, &d.ceo).await.strategy.expect("the executive's strategy summary");
    assert!(!s.goals.is_empty() && s.goals.iter().all(|g| g.level == "company"));

    // Twenty days later, nothing updated since 30 November: the check-in went overdue on
    // 14 December (red from 14 days) and comes first; the manager sees the employee gone quiet.
    *d.clock.0.lock().unwrap() += Duration::days(20);
    let h = home(app, employee).await;
    assert_eq!(h.today, day(12, 20));
    let first = &h.todos[0];
    assert!(first.overdue, "overdue first: {:?}", h.todos);
    let check = of(&h, "check-in").into_iter().find(|t| t.link == format!("/goals/{id}")).cloned().unwrap();
    assert_eq!((check.due_on, check.overdue), (Some(day(12, 13)), true));
    let dues: Vec<(bool, Option<NaiveDate>)> = h.todos.iter().map(|t| (!t.overdue, t.due_on)).collect();
    assert!(dues.windows(2).all(|w| w[0].0 <= w[1].0), "overdue ones lead: {dues:?}");
    let team = home(app, manager).await.team.unwrap();
    assert!(team.quiet.iter().any(|q| Some(q.person.id) == employee.employee_id), "{:?}", team.quiet);
});
