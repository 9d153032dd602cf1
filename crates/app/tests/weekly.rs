//! Weekly reports, the team digest and follow-up (T-2, T-6), and reminders on the
//! organization's calendar (T-6), over real databases with the clock moved by hand.

use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use waymark_app::calendar::{CalendarDayInput, CalendarSettings};
use waymark_app::clock::FixedClock;
use waymark_app::demo::DemoOptions;
use waymark_app::goals::PeriodInput;
use waymark_app::goals::workflow::SubmitInput;
use waymark_app::jobs::Worker;
use waymark_app::policy::Actor;
use waymark_app::tracking::{AcknowledgeInput, CheckInInput, GoalCheckInInput, WeeklyReportInput};
use waymark_app::{App, AppConfig, AppError};
use waymark_domain::calendar::Reminder;
use waymark_store::{Db, dual_test};

mod common;
use common::{fields, login, numeric_kr, private_okr};

struct World {
    app: App,
    clock: Arc<FixedClock>,
    hr: Actor,
    manager: Actor,
    employee: Actor,
    admin: Actor,
}

impl World {
    /// `h`:00 in the organization's time zone (UTC+8) on 2026-`m`-`d`.
    fn set(&self, m: u32, d: u32, h: u32) {
        *self.clock.0.lock().unwrap() =
            Utc.with_ymd_and_hms(2026, m, d, 0, 0, 0).unwrap() + chrono::Duration::hours(i64::from(h) - 8);
    }
}

async fn setup(db: Db) -> World {
    // Thursday 1 October 2026, 10:00 in Shanghai.
    let clock = Arc::new(FixedClock::at(Utc.with_ymd_and_hms(2026, 10, 1, 2, 0, 0).unwrap()));
    let app = App::new(db, clock.clone(), AppConfig::default());
    app.create_demo(&DemoOptions { employees: 60, seed: 7, ..Default::default() }).await.unwrap();
    let (hr, manager, employee, admin) = (
        login(&app, "hr").await,
        login(&app, "manager").await,
        login(&app, "employee").await,
        login(&app, "admin").await,
    );
    World { app, clock, hr, manager, employee, admin }
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// The employee's submitted goal in the quarter, with a key result 0 → 100 家.
async fn quarter_goal(w: &World) -> (uuid::Uuid, uuid::Uuid) {
    let goals = w.app.goals();
    let q = PeriodInput {
        name: "周报季度".into(),
        kind: "quarter".into(),
        starts_on: "2026-10-01".into(),
        ends_on: "2026-12-31".into(),
        setting_due_on: None,
    };
    let q = goals.create_period(&w.hr, q).await.unwrap();
    let input = private_okr(q.id, "新客户签约", vec![numeric_kr("签约客户数", Some("家"), 0.0, 100.0)]);
    let g = goals.create_goal(&w.employee, input).await.unwrap();
    goals.submit(&w.employee, g.summary.id, SubmitInput { comment: None }).await.unwrap();
    (g.summary.id, g.key_results[0].id)
}

fn report(done: &str, blockers: &str, submit: bool) -> WeeklyReportInput {
    WeeklyReportInput {
        done: Some(done.into()),
        blockers: Some(blockers.into()),
        next_week: Some("继续拜访".into()),
        submit,
    }
}

async fn kinds(app: &App, who: &Actor) -> Vec<(String, String)> {
    app.inbox().list(who).await.unwrap().items.into_iter().map(|n| (n.kind, n.subject)).collect()
}

dual_test!(t2_t6_a_week_reported_digested_and_followed_up, |db: Db| async move {
    let w = setup(db).await;
    let t = w.app.tracking();
    let (goal, kr) = quarter_goal(&w).await;
    let ci = CheckInInput {
        current: Some(30.0),
        confidence: Some("on_track".into()),
        note: Some("签下30家".into()),
        ..Default::default()
    };
    t.check_in_key_result(&w.employee, kr, ci, vec![]).await.unwrap();
    let worried =
        GoalCheckInInput { confidence: Some("at_risk".into()), note: Some("支付通道审批卡住".into()) };
    t.check_in_goal(&w.employee, goal, worried, vec![]).await.unwrap();

    // T-2: the draft of this week (28 September – 4 October) comes from the week's check-ins.
    let draft = t.my_week(&w.employee, None).await.unwrap();
    assert_eq!((draft.state.as_str(), draft.week_start, draft.week_end), ("new", day(9, 28), day(10, 4)));
    assert!(draft.id.is_none() && draft.editable);
    assert!(draft.check_ins >= 2);
    assert!(draft.done.contains("• 新客户签约 · 签约客户数: 30 家 (30%) — 签下30家"), "{}", draft.done);
    assert!(draft.blockers.contains("• 新客户签约: 30% — 支付通道审批卡住"), "{}", draft.blockers);

    // Bad input: a future week, a week too old, an empty submission, text too long.
    let e = t.save_week(&w.employee, day(10, 12), report("x", "", false)).await.unwrap_err();
    assert_eq!(fields(e), vec![("week".into(), "future_week".into())]);
    let e = t.save_week(&w.employee, day(7, 1), report("x", "", false)).await.unwrap_err();
    assert_eq!(fields(e), vec![("week".into(), "too_old".into())]);
    let empty = WeeklyReportInput { submit: true, ..Default::default() };
    assert_eq!(
        fields(t.save_week(&w.employee, day(10, 1), empty).await.unwrap_err()),
        vec![("done".into(), "required".into())]
    );
    let long = "长".repeat(4001);
    assert_eq!(
        fields(t.save_week(&w.employee, day(10, 1), report(&long, "", true)).await.unwrap_err()),
        vec![("done".into(), "too_long".into())]
    );
    // Nobody writes another person's report; a peer reads no digest of a team not theirs.
    assert!(matches!(t.team_digest(&w.admin, None, w.manager.employee_id).await, Err(AppError::Forbidden)));
    assert!(matches!(t.team_digest(&w.employee, None, w.manager.employee_id).await, Err(AppError::Forbidden)));

    // A draft is the person's own: the digest shows no report yet.
    let saved = t.save_week(&w.employee, day(10, 1), report(&draft.done, &draft.blockers, false)).await.unwrap();
    assert_eq!(saved.state, "draft");
    let d = t.team_digest(&w.manager, None, None).await.unwrap();
    let me = d.entries.iter().find(|e| Some(e.employee_id) == w.employee.employee_id).unwrap();
    assert!(me.report.is_none());
    assert_eq!(d.submitted, 0);

    // Submitted with blockers: the manager hears at once, and the digest puts it first.
    let sent = t.save_week(&w.employee, day(9, 30), report(&draft.done, &draft.blockers, true)).await.unwrap();
    assert_eq!((sent.state.as_str(), sent.id), ("submitted", saved.id));
    assert!(kinds(&w.app, &w.manager).await.contains(&("weekly-blockers".into(), "2026-09-28".into())));
    let d = t.team_digest(&w.manager, None, None).await.unwrap();
    assert_eq!((d.submitted, d.with_blockers), (1, 1));
    assert_eq!(d.entries[0].employee_id, w.employee.employee_id.unwrap());
    assert!(d.entries[0].goals.iter().any(|g| g.goal_id == goal) || d.entries[0].report.is_some());
    // HR of the organization reads the same digest.
    assert_eq!(t.team_digest(&w.hr, None, w.manager.employee_id).await.unwrap().submitted, 1);

    // Only a manager in the line acknowledges; then the week is closed for edits.
    let id = sent.id.unwrap();
    assert!(matches!(t.acknowledge(&w.employee, id, AcknowledgeInput::default()).await, Err(AppError::Forbidden)));
    assert!(matches!(t.acknowledge(&w.hr, id, AcknowledgeInput::default()).await, Err(AppError::Forbidden)));
    let ack =
        t.acknowledge(&w.manager, id, AcknowledgeInput { comment: Some("先找财务协调审批".into()) }).await.unwrap();
    assert_eq!(ack.comment.as_deref(), Some("先找财务协调审批"));
    assert!(kinds(&w.app, &w.employee).await.contains(&("weekly-acknowledged".into(), "2026-09-28".into())));
    let again = t.acknowledge(&w.manager, id, AcknowledgeInput::default()).await.unwrap_err();
    assert_eq!(fields(again), vec![("state".into(), "acknowledged".into())]);
    let late = t.save_week(&w.employee, day(10, 1), report("改一下", "", true)).await.unwrap_err();
    assert_eq!(fields(late), vec![("week".into(), "acknowledged".into())]);
    let mine = t.my_week(&w.employee, Some(day(10, 2))).await.unwrap();
    assert!(!mine.editable && mine.acknowledged_by.is_some());

    // T-6: acknowledging marked the week's check-ins seen: the employee's October line is full.
    let f = t.follow_up(&w.manager, None, None).await.unwrap();
    let line = f.reports.iter().find(|l| Some(l.employee_id) == w.employee.employee_id).unwrap();
    assert!(line.check_ins >= 2);
    assert_eq!((line.reviewed, line.reports, line.acknowledged, line.rate), (line.check_ins, 1, 1, Some(100.0)));

    // Next week a new check-in is unseen until the manager marks it from the timeline.
    w.set(10, 6, 10);
    let ci = t
        .check_in_key_result(&w.employee, kr, CheckInInput { current: Some(40.0), ..Default::default() }, vec![])
        .await
        .unwrap();
    let f = t.follow_up(&w.manager, None, None).await.unwrap();
    let line = f.reports.iter().find(|l| Some(l.employee_id) == w.employee.employee_id).unwrap().clone();
    assert_eq!(line.reviewed + 1, line.check_ins);
    // Hand-worked: (check-ins seen + reports seen) / (check-ins + reports).
    let expected = f64::from(line.reviewed + 1) / f64::from(line.check_ins + 1) * 100.0;
    assert_eq!(line.rate, Some((expected * 10.0).round() / 10.0));
    let tracking = t.tracking(&w.manager, goal, Default::default()).await.unwrap();
    let newest = &tracking.check_ins[0];
    assert!(newest.id == ci.id && newest.can_review && newest.reviewed_at.is_none());
    assert!(matches!(t.review_check_in(&w.employee, ci.id).await, Err(AppError::Forbidden)));
    t.review_check_in(&w.manager, ci.id).await.unwrap();
    let tracking = t.tracking(&w.manager, goal, Default::default()).await.unwrap();
    assert!(tracking.check_ins[0].reviewed_at.is_some() && !tracking.check_ins[0].can_review);
    let f = t.follow_up(&w.manager, None, None).await.unwrap();
    let line = f.reports.iter().find(|l| Some(l.employee_id) == w.employee.employee_id).unwrap();
    assert_eq!(line.rate, Some(100.0));

    // HR sees every manager's rate, lowest first; the employee sees nobody's.
    let board = t.follow_up_board(&w.hr, None, None).await.unwrap();
    assert!(board.managers.iter().any(|m| Some(m.employee_id) == w.manager.employee_id));
    let rates: Vec<f64> = board.managers.iter().filter_map(|m| m.rate).collect();
    assert!(rates.windows(2).all(|p| p[0] <= p[1]), "{rates:?}");
    assert!(matches!(t.follow_up_board(&w.employee, None, None).await, Err(AppError::Forbidden)));
    assert!(matches!(t.follow_up(&w.employee, w.manager.employee_id, None).await, Err(AppError::Forbidden)));
});

fn settings() -> CalendarSettings {
    CalendarSettings {
        utc_offset: "+08:00".into(),
        weekly_report: true,
        weekly_weekday: 5,
        weekly_hour: 15,
        monthly_check_in: true,
        stale_goals: true,
        pending_approvals: true,
        goal_setting: true,
        review_writing: true,
        reminder_hour: 10,
    }
}

dual_test!(t6_reminders_go_out_once_on_the_organizations_calendar, |db: Db| async move {
    let w = setup(db).await;
    let cal = w.app.calendar();
    // A schedule that makes no sense is refused field by field, and only org-wide HR sets it.
    let bad = CalendarSettings {
        utc_offset: "+8:07".into(),
        weekly_weekday: 0,
        weekly_hour: 3,
        reminder_hour: 22,
        ..settings()
    };
    assert_eq!(
        fields(cal.save(&w.hr, bad).await.unwrap_err()),
        vec![
            ("utc_offset".into(), "out_of_range".into()),
            ("weekly_weekday".into(), "out_of_range".into()),
            ("weekly_hour".into(), "out_of_hours".into()),
            ("reminder_hour".into(), "out_of_hours".into()),
        ]
    );
    let unreadable = CalendarSettings { utc_offset: "Beijing".into(), ..settings() };
    assert_eq!(
        fields(cal.save(&w.hr, unreadable).await.unwrap_err()),
        vec![("utc_offset".into(), "invalid_format".into())]
    );
    assert!(matches!(cal.save(&w.employee, settings()).await, Err(AppError::Forbidden)));
    cal.save(&w.hr, settings()).await.unwrap();

    // National Day: 1–7 October off, Saturday 10 October worked in exchange.
    for d in 1..=7 {
        let input = CalendarDayInput { working: false, name: Some("国庆节".into()) };
        cal.put_day(&w.hr, day(10, d), input).await.unwrap();
    }
    cal.put_day(&w.hr, day(10, 10), CalendarDayInput { working: true, name: Some("调休上班".into()) }).await.unwrap();
    let nameless = cal.put_day(&w.hr, day(10, 11), CalendarDayInput { working: true, name: None }).await.unwrap_err();
    assert_eq!(fields(nameless), vec![("name".into(), "required".into())]);
    let far = CalendarDayInput { working: false, name: Some("x".into()) };
    let far = cal.put_day(&w.hr, NaiveDate::from_ymd_opt(2031, 1, 1).unwrap(), far).await.unwrap_err();
    assert_eq!(fields(far), vec![("day".into(), "out_of_range".into())]);
    let v = cal.view(&w.employee).await.unwrap();
    assert_eq!(v.days.len(), 8);
    // The coming reminders follow the calendar: no approvals reminder during the holiday,
    // the first working day (Thursday 8th) brings the stale-goals one, Friday 9th the report's.
    let on = |d: NaiveDate| v.upcoming.iter().filter(|u| u.day == d).map(|u| u.reminder.clone()).collect::<Vec<_>>();
    assert_eq!(on(day(10, 2)), Vec::<String>::new());
    assert_eq!(on(day(10, 8)), vec!["stale-goals", "pending-approvals"]);
    assert_eq!(on(day(10, 9)), vec!["weekly-report", "pending-approvals"]);

    // The manager writes the week's report in time; the employee does not.
    w.set(10, 9, 9);
    w.app.tracking().save_week(&w.manager, day(10, 9), report("团队周会", "", true)).await.unwrap();
    // 09:00: the scheduler queues today's reminders for later; nothing is due yet.
    let worker = Worker::new(w.app.clone());
    waymark_app::jobs::schedule_tick(&w.app, w.app.clock.now()).await.unwrap();
    waymark_app::jobs::schedule_tick(&w.app, w.app.clock.now()).await.unwrap(); // a second instance
    let queued = w.app.jobs().list(&w.admin, Some("queued"), None).await.unwrap();
    let reminders: Vec<_> = queued.items.iter().filter(|j| j.kind == "remind").collect();
    assert_eq!(reminders.len(), 2, "weekly report and approvals, each once");
    // The day's sweep is due as the organization's day begins (issue 22, item 5): midnight of
    // 9 October in Shanghai, queued late and so run at once.
    let sweep = queued.items.iter().find(|j| j.kind == "sweep").expect("today's sweep");
    assert_eq!(sweep.run_at.to_rfc3339(), "2026-10-08T16:00:00+00:00");
    while worker.run_once().await.unwrap() > 0 {}
    assert!(!kinds(&w.app, &w.employee).await.iter().any(|k| k.0 == "reminder-weekly-report"));

    // 15:00: the weekly report reminder goes to those who have not submitted.
    w.set(10, 9, 15);
    while worker.run_once().await.unwrap() > 0 {}
    let weekly = ("reminder-weekly-report".to_string(), "2026-10-05".to_string());
    assert!(kinds(&w.app, &w.employee).await.contains(&weekly));
    assert!(!kinds(&w.app, &w.manager).await.contains(&weekly));
    // Sent once: running the reminder again (a worker died after its commit) reaches nobody.
    assert_eq!(waymark_app::reminders::send(&w.app, Reminder::WeeklyReport, day(10, 9)).await.unwrap(), 0);
    assert_eq!(kinds(&w.app, &w.employee).await.iter().filter(|k| **k == weekly).count(), 1);
    let v = cal.view(&w.hr).await.unwrap();
    assert!(v.recent.iter().any(|r| r.key == "remind-weekly-report:2026-10-09" && r.recipients > 0));

    // Switched off after it was queued: it does not go out.
    let quiet = CalendarSettings { stale_goals: false, ..settings() };
    cal.save(&w.hr, quiet).await.unwrap();
    assert_eq!(waymark_app::reminders::send(&w.app, Reminder::StaleGoals, day(10, 8)).await.unwrap(), 0);

    // The time zone moves "today": 01:00 on the 10th in Shanghai is still the 9th in London.
    *w.clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, 10, 9, 17, 0, 0).unwrap();
    assert_eq!(w.app.today(), day(10, 10));
    cal.save(&w.hr, CalendarSettings { utc_offset: "+00:00".into(), ..settings() }).await.unwrap();
    assert_eq!(w.app.today(), day(10, 9));
    // Every switch is kept on a second save too (the upsert once left two columns out, so
    // switching the goal-setting or review-writing reminders off after the first save did nothing).
    let off =
        CalendarSettings { utc_offset: "+00:00".into(), goal_setting: false, review_writing: false, ..settings() };
    cal.save(&w.hr, off.clone()).await.unwrap();
    assert_eq!(cal.view(&w.hr).await.unwrap().settings, off);
    let on = CalendarSettings { utc_offset: "+00:00".into(), ..settings() };
    cal.save(&w.hr, on.clone()).await.unwrap();
    assert_eq!(cal.view(&w.hr).await.unwrap().settings, on);
    cal.delete_day(&w.hr, day(10, 10)).await.unwrap();
    assert!(matches!(cal.delete_day(&w.hr, day(10, 10)).await, Err(AppError::NotFound(_))));
});

dual_test!(t6_a_goal_setting_deadline_reminds_who_has_not_submitted, |db: Db| async move {
    let w = setup(db).await;
    let goals = w.app.goals();
    let period = |due: Option<&str>| PeriodInput {
        name: "2027 Q1".into(),
        kind: "quarter".into(),
        starts_on: "2027-01-01".into(),
        ends_on: "2027-03-31".into(),
        setting_due_on: due.map(Into::into),
    };
    // A deadline after the period, 90 days before it or not a date is named; only HR sets one.
    for (due, code) in
        [("2027-04-01", "after_period_end"), ("2026-10-02", "too_early"), ("next friday", "invalid_date")]
    {
        let e = goals.create_period(&w.hr, period(Some(due))).await.unwrap_err();
        assert_eq!(fields(e), vec![("setting_due_on".into(), code.into())], "{due}");
    }
    assert!(matches!(goals.create_period(&w.employee, period(None)).await, Err(AppError::Forbidden)));
    let p = goals.create_period(&w.hr, period(Some(""))).await.unwrap();
    assert_eq!(p.setting_due_on, None, "blank is no deadline");
    // Set later, with the name; the dates stay.
    let edit =
        waymark_app::goals::PeriodUpdate { name: "2027 一季度".into(), setting_due_on: Some("2027-01-08".into()) };
    assert!(matches!(goals.update_period(&w.manager, p.id, edit.clone()).await, Err(AppError::Forbidden)));
    let p = goals.update_period(&w.hr, p.id, edit).await.unwrap();
    assert_eq!(
        (p.name.as_str(), p.setting_due_on),
        ("2027 一季度", Some(NaiveDate::from_ymd_opt(2027, 1, 8).unwrap()))
    );
    let late = waymark_app::goals::PeriodUpdate { name: p.name.clone(), setting_due_on: Some("2027-05-01".into()) };
    assert_eq!(
        fields(goals.update_period(&w.hr, p.id, late).await.unwrap_err()),
        vec![("setting_due_on".into(), "after_period_end".into())]
    );

    // The employee submits goals for the quarter; the manager only drafts one.
    let mine = private_okr(p.id, "一季度新客户", vec![numeric_kr("签约客户数", Some("家"), 0.0, 40.0)]);
    let g = goals.create_goal(&w.employee, mine).await.unwrap();
    goals.submit(&w.employee, g.summary.id, SubmitInput { comment: None }).await.unwrap();
    let draft = private_okr(p.id, "团队建设", vec![numeric_kr("招聘到岗", Some("人"), 0.0, 3.0)]);
    goals.create_goal(&w.manager, draft).await.unwrap();

    // Friday 8 January 2027 is the deadline: Wednesday 6th, Thursday 7th and Friday 8th remind.
    let at = |d: u32, h: i64| Utc.with_ymd_and_hms(2027, 1, d, 0, 0, 0).unwrap() + chrono::Duration::hours(h - 8);
    *w.clock.0.lock().unwrap() = at(4, 9);
    let v = w.app.calendar().view(&w.hr).await.unwrap();
    let days: Vec<NaiveDate> = v.upcoming.iter().filter(|u| u.reminder == "goal-setting").map(|u| u.day).collect();
    let jan = |d: u32| NaiveDate::from_ymd_opt(2027, 1, d).unwrap();
    assert_eq!(days, vec![jan(6), jan(7), jan(8)]);
    let worker = Worker::new(w.app.clone());
    let queued_on = |d: u32| {
        let app = w.app.clone();
        let clock = w.clock.clone();
        async move {
            *clock.0.lock().unwrap() = at(d, 9);
            waymark_app::jobs::schedule_tick(&app, app.clock.now()).await.unwrap();
        }
    };
    queued_on(5).await;
    *w.clock.0.lock().unwrap() = at(5, 11);
    while worker.run_once().await.unwrap() > 0 {}
    let reminded = ("reminder-goal-setting".to_string(), "2027 一季度 · 2027-01-08".to_string());
    assert!(!kinds(&w.app, &w.manager).await.contains(&reminded), "Tuesday is too early");
    queued_on(6).await;
    *w.clock.0.lock().unwrap() = at(6, 11);
    while worker.run_once().await.unwrap() > 0 {}
    assert!(kinds(&w.app, &w.manager).await.contains(&reminded), "a draft is not submitted");
    assert!(!kinds(&w.app, &w.employee).await.iter().any(|k| k.0 == "reminder-goal-setting"));
    // Sent once a day, whoever runs it again; switched off, it stops.
    assert_eq!(waymark_app::reminders::send(&w.app, Reminder::GoalSetting, jan(6)).await.unwrap(), 0);
    w.app.calendar().save(&w.hr, CalendarSettings { goal_setting: false, ..settings() }).await.unwrap();
    assert_eq!(waymark_app::reminders::send(&w.app, Reminder::GoalSetting, jan(7)).await.unwrap(), 0);
    assert_eq!(kinds(&w.app, &w.manager).await.iter().filter(|k| **k == reminded).count(), 1);
});
