//! Progress tracking over real databases (SPEC §3): check-ins by value and by % with their
//! bad inputs (T-1), attachments kept to readers of the goal, the status light and its
//! recorded changes as the calendar moves (T-3), alerts with evidence from a real timeline,
//! dismissal and review tasks (T-4), KPI actuals pushed twice, and the organization's
//! thresholds. The clock is moved by hand, week by week.

use std::sync::Arc;

use chrono::{Datelike, TimeZone, Utc};
use waymark_app::clock::FixedClock;
use waymark_app::demo::DemoOptions;
use waymark_app::goals::PeriodInput;
use waymark_app::goals::convert::KeyResultInput;
use waymark_app::goals::workflow::SubmitInput;
use waymark_app::policy::Actor;
use waymark_app::tracking::{
    CheckInInput, DismissInput, GoalCheckInInput, KpiActualInput, ReviewTaskInput, TaskDoneInput, TimelinePage,
    TrackingSettingsView, Upload,
};
use waymark_app::{App, AppConfig, AppError};
use waymark_store::{Db, dual_test};

mod common;
use common::{fields, login, numeric_kr, private_okr};

struct World {
    app: App,
    clock: Arc<FixedClock>,
    hr: Actor,
    manager: Actor,
    employee: Actor,
    other: Actor,
}

impl World {
    /// 02:00 UTC is 10:00 in the organization's time zone: the same calendar day.
    fn set_day(&self, m: u32, d: u32) {
        let y = if m >= 10 { 2026 } else { 2027 };
        *self.clock.0.lock().unwrap() = Utc.with_ymd_and_hms(y, m, d, 2, 0, 0).unwrap();
    }
}

async fn setup(db: Db, files: &std::path::Path) -> World {
    let clock = Arc::new(FixedClock::at(Utc.with_ymd_and_hms(2026, 10, 1, 2, 0, 0).unwrap()));
    let config = AppConfig { files_dir: files.to_path_buf(), attachment_max_bytes: 1024, ..AppConfig::default() };
    let app = App::new(db, clock.clone(), config);
    app.create_demo(&DemoOptions { employees: 60, seed: 5, ..Default::default() }).await.unwrap();
    let (hr, manager, employee, other) = (
        login(&app, "hr").await,
        login(&app, "manager").await,
        login(&app, "employee").await,
        login(&app, "admin").await,
    );
    World { app, clock, hr, manager, employee, other }
}

/// A fresh directory for this test's attachments.
fn files_dir() -> std::path::PathBuf {
    std::env::temp_dir().join(format!("waymark-test-files-{}", uuid::Uuid::now_v7()))
}

/// A private OKR of the employee in the quarter 2026-10-01 … 2026-12-31 (92 days) with one key
/// result 0 → 100 and a deliverable; submitted, so it has a status light.
async fn quarter_goal(w: &World) -> (uuid::Uuid, uuid::Uuid, uuid::Uuid) {
    let goals = w.app.goals();
    let q = PeriodInput {
        name: "跟踪季度".into(),
        kind: "quarter".into(),
        starts_on: "2026-10-01".into(),
        ends_on: "2026-12-31".into(),
        setting_due_on: None,
    };
    let q = goals.create_period(&w.hr, q).await.unwrap();
    let deliverable =
        KeyResultInput { title: "方案评审".into(), kind: "done".into(), weight: Some(0.0), ..Default::default() };
    let krs = vec![numeric_kr("签约客户数", Some("家"), 0.0, 100.0), deliverable];
    let input = private_okr(q.id, "新客户签约", krs);
    let g = goals.create_goal(&w.employee, input).await.unwrap();
    goals.submit(&w.employee, g.summary.id, SubmitInput { comment: None }).await.unwrap();
    (g.summary.id, g.key_results[0].id, g.key_results[1].id)
}

fn value(v: f64, confidence: Option<&str>) -> CheckInInput {
    CheckInInput { current: Some(v), confidence: confidence.map(Into::into), ..Default::default() }
}

dual_test!(t1_t3_t4_a_quarter_of_check_ins, |db: Db| async move {
    let files = files_dir();
    let w = setup(db, &files).await;
    let t = w.app.tracking();
    let (goal, kr, _deliverable) = quarter_goal(&w).await;
    // Submitted, neither checked in nor swept yet: the lists show the light the goal's page
    // computes (issue 22, item 5).
    let on_page = t.tracking(&w.employee, goal, Default::default()).await.unwrap().status.unwrap().status;
    assert_eq!(w.app.goals().view(&w.employee, goal).await.unwrap().summary.light.as_deref(), Some(on_page.as_str()));

    // 15 Oct: 10 of 100. Elapsed 15/92 = 16.3 %, 6.3 points behind: green (T-3).
    w.set_day(10, 15);
    let c = t.check_in_key_result(&w.employee, kr, value(10.0, Some("on_track")), vec![]).await.unwrap();
    assert_eq!((c.value, c.goal_progress, c.unit.as_deref()), (Some(10.0), 10.0, Some("家")));
    let v = t.tracking(&w.employee, goal, Default::default()).await.unwrap();
    let s = v.status.unwrap();
    assert_eq!(s.status, "green");
    assert_eq!(
        serde_json::to_value(&s.reason).unwrap(),
        serde_json::json!({"kind": "pace", "expected": 16.3, "actual": 10.0})
    );

    // By % of the way: 20 % of 0 → 100 is 20, on 22 Oct; then flat for two weeks, with
    // confidence falling at the last one.
    w.set_day(10, 22);
    let pct = CheckInInput { percent: Some(20.0), note: Some("两家签约".into()), ..Default::default() };
    assert_eq!(t.check_in_key_result(&w.employee, kr, pct, vec![]).await.unwrap().value, Some(20.0));
    w.set_day(10, 29);
    t.check_in_key_result(&w.employee, kr, value(20.0, Some("on_track")), vec![]).await.unwrap();
    w.set_day(11, 5);
    t.check_in_key_result(&w.employee, kr, value(20.0, Some("at_risk")), vec![]).await.unwrap();

    // 5 Nov: elapsed 36/92 = 39.1 %, 19.1 points behind: yellow, recorded with its reason.
    let v = t.tracking(&w.manager, goal, Default::default()).await.unwrap();
    assert_eq!(v.status.as_ref().unwrap().status, "yellow");
    let changes: Vec<(Option<&str>, &str)> =
        v.status_changes.iter().map(|c| (c.from.as_deref(), c.to.as_str())).collect();
    assert_eq!(changes, vec![(Some("green"), "yellow"), (None, "green")]);
    assert_eq!(v.check_ins.len(), 4);
    assert_eq!(v.check_ins[2].note.as_deref(), Some("两家签约"));

    // T-4: two flat weeks (22 Oct → 29 Oct → 5 Nov) are a stall; the recent pace (10 points in
    // 21 days) reaches 20 + 10/21 × 56 = 46.7 % by 31 Dec; confidence fell on → at risk.
    let mut kinds: Vec<&str> = v.alerts.iter().map(|a| a.kind.as_str()).collect();
    kinds.sort();
    assert_eq!(kinds, vec!["falling_confidence", "projected_short", "stall"]);
    let stall = v.alerts.iter().find(|a| a.kind == "stall").unwrap();
    let e = stall.evidence.as_ref().unwrap();
    assert_eq!(e.weeks, Some(2));
    assert_eq!(e.check_ins.iter().map(|c| c.progress).collect::<Vec<_>>(), vec![20.0, 20.0, 20.0]);
    assert_eq!(e.actions[0], "review_task");
    let projected = v.alerts.iter().find(|a| a.kind == "projected_short").unwrap().evidence.clone().unwrap();
    assert_eq!(projected.projected, Some(46.7));
    // The manager heard of each alert in their inbox.
    let inbox = w.app.inbox().list(&w.manager).await.unwrap().items;
    assert_eq!(inbox.iter().filter(|m| m.kind == "risk-alert").count(), 3);

    // Dismissing takes a note; a review task from the stall, led by the manager, due in a week.
    let err = t.dismiss_alert(&w.manager, stall.id, DismissInput::default()).await.unwrap_err();
    assert_eq!(fields(err), vec![("note".into(), "required".into())]);
    let falling = v.alerts.iter().find(|a| a.kind == "falling_confidence").unwrap();
    let d = t
        .dismiss_alert(&w.manager, falling.id, DismissInput { note: Some("客户年底预算已确认".into()) })
        .await
        .unwrap();
    assert_eq!(d.state, "dismissed");
    let manager_no = waymark_store::repo::org::employee(&w.app.db.conn, w.manager.employee_id.unwrap())
        .await
        .unwrap()
        .unwrap()
        .employee_no;
    let bad = ReviewTaskInput {
        alert_id: Some(stall.id),
        owner_no: Some(manager_no.clone()),
        due_on: "2026-11-01".into(),
        ..Default::default()
    };
    let err = t.open_review_task(&w.manager, goal, bad.clone()).await.unwrap_err();
    assert_eq!(fields(err), vec![("due_on".into(), "in_the_past".into())]);
    let hr_no = waymark_store::repo::org::employee(&w.app.db.conn, w.hr.employee_id.unwrap())
        .await
        .unwrap()
        .unwrap()
        .employee_no;
    let unrelated = ReviewTaskInput { owner_no: Some(hr_no), due_on: "2026-11-12".into(), ..bad.clone() };
    let err = t.open_review_task(&w.manager, goal, unrelated).await.unwrap_err();
    assert_eq!(fields(err), vec![("owner_id".into(), "not_related".into())]);
    let task =
        t.open_review_task(&w.manager, goal, ReviewTaskInput { due_on: "2026-11-12".into(), ..bad }).await.unwrap();
    assert_eq!(task.title, "专项复盘：新客户签约");
    assert_eq!(task.alert_id, Some(stall.id));
    assert!(matches!(
        t.open_review_task(&w.other, goal, ReviewTaskInput { due_on: "2026-11-12".into(), ..Default::default() }).await,
        Err(AppError::NotFound(_))
    ));

    // Progress resumes on 12 Nov: the stall and the projection clear (resolved), the dismissed
    // alert stays dismissed; the task is closed with its outcome.
    w.set_day(11, 12);
    t.check_in_key_result(&w.employee, kr, value(60.0, Some("on_track")), vec![]).await.unwrap();
    let v = t.tracking(&w.employee, goal, Default::default()).await.unwrap();
    let states: Vec<(&str, &str)> = v.alerts.iter().map(|a| (a.kind.as_str(), a.state.as_str())).collect();
    assert!(states.contains(&("stall", "resolved")) && states.contains(&("projected_short", "resolved")), "{states:?}");
    assert!(states.contains(&("falling_confidence", "dismissed")), "{states:?}");
    assert_eq!(v.status.as_ref().unwrap().status, "green", "60 % against 45.7 % elapsed");
    let err = t.complete_task(&w.manager, task.id, TaskDoneInput::default()).await.unwrap_err();
    assert_eq!(fields(err), vec![("outcome".into(), "required".into())]);
    let done =
        t.complete_task(&w.manager, task.id, TaskDoneInput { outcome: Some("增加售前支持".into()) }).await.unwrap();
    assert_eq!(done.state, "done");

    // No update for 15 days: the sweep turns it red (stale) and records why (T-3).
    w.set_day(11, 27);
    let r = t.sweep(&w.hr).await.unwrap();
    assert!(r.status_changes >= 1, "{r:?}");
    let v = t.tracking(&w.employee, goal, Default::default()).await.unwrap();
    let s = v.status.as_ref().unwrap();
    // The reason tells the pace with the silence (issue 22, item 4): 27 Nov is day 58 of 92,
    // 63.0 % due; 60 % done.
    assert_eq!(
        (s.status.as_str(), serde_json::to_value(&s.reason).unwrap()),
        ("red", serde_json::json!({"kind": "stale", "days": 15, "expected": 63.0, "actual": 60.0}))
    );
    assert_eq!(v.status_changes[0].to, "red");
    // Silence is evidence: an alert with its days, the pace, the last update and the actions.
    let silent: Vec<_> = v.alerts.iter().filter(|a| a.kind == "silent").collect();
    assert_eq!(silent.len(), 1, "{:?}", v.alerts);
    assert_eq!(silent[0].state, "open");
    let e = silent[0].evidence.clone().unwrap();
    assert_eq!((e.days, e.expected, e.actual), (Some(15), Some(63.0), Some(60.0)));
    let last: Vec<_> = e.check_ins.iter().map(|c| (c.on.to_string(), c.progress, c.confidence.clone())).collect();
    assert_eq!(last, vec![("2026-11-12".to_string(), 60.0, Some("on_track".to_string()))]);
    assert_eq!(e.actions, vec!["check_in_conversation", "replan", "retarget"]);
    // The sweep's alert is told like a check-in's (issue 22, item 4): the owner and their
    // manager hear of it, with the risk named in the reader's language, not its code.
    let told = |inbox: Vec<waymark_app::inbox::NotificationView>| {
        inbox.into_iter().filter(|m| m.kind == "risk-alert" && m.body.as_deref() == Some("silent")).count()
    };
    assert_eq!(told(w.app.inbox().list(&w.employee).await.unwrap().items), 1);
    assert_eq!(told(w.app.inbox().list(&w.manager).await.unwrap().items), 1);
    assert_eq!(waymark_app::i18n::Lang::ZhCn.inbox_body("risk-alert", "silent"), "长时间没有更新");
    assert_eq!(waymark_app::i18n::Lang::En.inbox_body("risk-alert", "projected_short"), "Will fall short at this pace");
    assert!(matches!(t.sweep(&w.employee).await, Err(AppError::Forbidden)));
    // A second sweep the same day changes nothing and raises nothing twice.
    let again = t.sweep(&w.hr).await.unwrap();
    assert_eq!((again.status_changes, again.alerts_raised), (0, 0));
    // The next day the same alert says 16 days.
    w.set_day(11, 28);
    t.sweep(&w.hr).await.unwrap();
    let v = t.tracking(&w.employee, goal, Default::default()).await.unwrap();
    let silent: Vec<_> = v.alerts.iter().filter(|a| a.kind == "silent").collect();
    assert_eq!(silent.len(), 1);
    assert_eq!(silent[0].evidence.as_ref().unwrap().days, Some(16));
    // A check-in answers the silence: the alert is resolved, and no sweep raises it again.
    w.set_day(11, 29);
    t.check_in_goal(&w.employee, goal, GoalCheckInInput { confidence: Some("at_risk".into()), note: None }, vec![])
        .await
        .unwrap();
    t.sweep(&w.hr).await.unwrap();
    let v = t.tracking(&w.employee, goal, Default::default()).await.unwrap();
    let states: Vec<&str> = v.alerts.iter().filter(|a| a.kind == "silent").map(|a| a.state.as_str()).collect();
    assert_eq!(states, vec!["resolved"]);
    // Silent again from 13 Dec: a new alert; dismissed with a reason, it is not raised again
    // while the silence goes on.
    let silent_states = |v: &waymark_app::tracking::TrackingView| -> Vec<String> {
        v.alerts.iter().filter(|a| a.kind == "silent").map(|a| a.state.clone()).collect()
    };
    w.set_day(12, 13);
    t.sweep(&w.hr).await.unwrap();
    let v = t.tracking(&w.employee, goal, Default::default()).await.unwrap();
    assert_eq!(silent_states(&v), vec!["open", "resolved"]);
    let open = v.alerts.iter().find(|a| a.kind == "silent" && a.state == "open").unwrap();
    t.dismiss_alert(&w.manager, open.id, DismissInput { note: Some("休产假，已交接".into()) }).await.unwrap();
    w.set_day(12, 14);
    t.sweep(&w.hr).await.unwrap();
    let v = t.tracking(&w.employee, goal, Default::default()).await.unwrap();
    assert_eq!(silent_states(&v), vec!["dismissed", "resolved"]);
});

dual_test!(t4_many_alerts_at_once_come_as_one_message_that_counts_them, |db: Db| async move {
    // Issue 22, item 4: the night's sweep finds four of the employee's goals gone quiet. The
    // employee hears of them as one message that counts them, leading to their goals; their
    // manager as one leading to the team's goals; nobody gets a message per goal.
    let files = files_dir();
    let w = setup(db, &files).await;
    let (first, _, _) = quarter_goal(&w).await;
    let period = w.app.goals().view(&w.employee, first).await.unwrap().summary.period_id;
    for title in ["老客户续约", "渠道拓展", "回款管理"] {
        let input = private_okr(period, title, vec![numeric_kr("数量", None, 0.0, 10.0)]);
        let g = w.app.goals().create_goal(&w.employee, input).await.unwrap();
        w.app.goals().submit(&w.employee, g.summary.id, SubmitInput { comment: None }).await.unwrap();
    }
    w.set_day(11, 27);
    let before = |inbox: &[waymark_app::inbox::NotificationView]| inbox.len();
    let employee_before = before(&w.app.inbox().list(&w.employee).await.unwrap().items);
    let r = w.app.tracking().sweep(&w.hr).await.unwrap();
    assert!(r.alerts_raised >= 4, "{r:?}");
    let inbox = w.app.inbox().list(&w.employee).await.unwrap().items;
    let new: Vec<_> = inbox.iter().take(inbox.len() - employee_before).collect();
    let kinds: Vec<(&str, &str, &str)> =
        new.iter().map(|m| (m.kind.as_str(), m.subject.as_str(), m.link.as_str())).collect();
    assert_eq!(kinds, vec![("risk-alerts-own", "4", "/goals")]);
    let manager: Vec<_> = w.app.inbox().list(&w.manager).await.unwrap().items;
    let digests: Vec<_> = manager.iter().filter(|m| m.kind.starts_with("risk-alert")).collect();
    assert_eq!(digests.len(), 1, "{:?}", digests.iter().map(|m| &m.kind).collect::<Vec<_>>());
    assert_eq!((digests[0].kind.as_str(), digests[0].link.as_str()), ("risk-alerts-team", "/goals/team"));
    assert!(digests[0].subject.parse::<usize>().unwrap() >= 4);
    assert_eq!(
        waymark_app::i18n::Lang::ZhCn.inbox_message("risk-alerts-team", "系统", "4"),
        "你的下属有 4 个目标出现了风险预警，请查看并和他们聊一聊"
    );
});

dual_test!(t1_the_timeline_comes_a_page_at_a_time_and_the_chart_a_point_a_day, |db: Db| async move {
    // A goal's page reads one page of check-ins and one chart point per day, however long its
    // history (issue 21: a check-in and its page cost the same on the ten-thousandth).
    let files = files_dir();
    let w = setup(db, &files).await;
    let t = w.app.tracking();
    let (goal, kr, _deliverable) = quarter_goal(&w).await;
    // 15 Oct: 10 then 12 the same day; 22 Oct: 20; 29 Oct: 25. Four check-ins on three days.
    w.set_day(10, 15);
    t.check_in_key_result(&w.employee, kr, value(10.0, None), vec![]).await.unwrap();
    t.check_in_key_result(&w.employee, kr, value(12.0, None), vec![]).await.unwrap();
    w.set_day(10, 22);
    t.check_in_key_result(&w.employee, kr, value(20.0, None), vec![]).await.unwrap();
    w.set_day(10, 29);
    t.check_in_key_result(&w.employee, kr, value(25.0, None), vec![]).await.unwrap();

    let page = |before, limit| TimelinePage { before, limit: Some(limit) };
    let first = t.tracking(&w.employee, goal, page(None, 3)).await.unwrap();
    assert_eq!(first.check_in_count, 4);
    let values: Vec<Option<f64>> = first.check_ins.iter().map(|c| c.value).collect();
    assert_eq!(values, vec![Some(25.0), Some(20.0), Some(12.0)], "newest first");
    assert_eq!(first.older_before, Some(first.check_ins[2].id));
    let days: Vec<(u32, f64)> = first.progress_by_day.iter().map(|d| (d.on.day(), d.progress)).collect();
    assert_eq!(days, vec![(15, 12.0), (22, 20.0), (29, 25.0)], "the day's last progress, one point a day");

    let second = t.tracking(&w.employee, goal, page(first.older_before, 3)).await.unwrap();
    assert_eq!(second.check_ins.iter().map(|c| c.value).collect::<Vec<_>>(), vec![Some(10.0)]);
    assert_eq!(second.older_before, None, "the last page says so");
    // The default page holds all four; a limit outside 1–200 is refused by name.
    assert_eq!(t.tracking(&w.employee, goal, TimelinePage::default()).await.unwrap().check_ins.len(), 4);
    let err = t.tracking(&w.employee, goal, page(None, 0)).await.unwrap_err();
    assert_eq!(fields(err), vec![("limit".to_string(), "out_of_range".to_string())]);
    assert!(t.tracking(&w.employee, goal, page(None, 201)).await.is_err());
    // An id that is not one of this goal's check-ins as `before` gives an empty page.
    let stranger = t.tracking(&w.employee, goal, page(Some(uuid::Uuid::now_v7()), 3)).await.unwrap();
    assert!(stranger.check_ins.is_empty());
});

dual_test!(t1_bad_check_ins_are_refused_and_nothing_is_written, |db: Db| async move {
    let files = files_dir();
    let w = setup(db, &files).await;
    let t = w.app.tracking();
    let (goal, kr, deliverable) = quarter_goal(&w).await;
    w.set_day(10, 20);
    let cases = [
        (CheckInInput { current: Some(5.0), unit: Some("万元".into()), ..Default::default() }, "unit", "unit_mismatch"),
        (CheckInInput { current: Some(5.0), percent: Some(5.0), ..Default::default() }, "percent", "both"),
        (CheckInInput { percent: Some(-1.0), ..Default::default() }, "percent", "out_of_range"),
        (CheckInInput { current: Some(f64::INFINITY), ..Default::default() }, "current", "not_finite"),
        (CheckInInput { done: Some(true), ..Default::default() }, "done", "not_a_deliverable"),
        (
            CheckInInput { confidence: Some("fine".into()), current: Some(1.0), ..Default::default() },
            "confidence",
            "unknown",
        ),
        (CheckInInput::default(), "current", "required"),
    ];
    for (input, field, code) in cases {
        let err = t.check_in_key_result(&w.employee, kr, input, vec![]).await.unwrap_err();
        assert_eq!(fields(err), vec![(field.into(), code.into())]);
    }
    let err = t.check_in_key_result(&w.employee, deliverable, value(1.0, None), vec![]).await.unwrap_err();
    assert_eq!(fields(err), vec![("done".into(), "done_only".into())]);
    // Attachments: a renamed program and a file over the limit (1 KiB here) are refused with
    // the whole check-in; no file is left behind.
    let png = Upload { file_name: "进展.png".into(), bytes: b"\x89PNG\r\n\x1a\nimage".to_vec() };
    let exe = Upload { file_name: "报告.png".into(), bytes: b"MZ\x90\x00".to_vec() };
    let big = Upload { file_name: "大.txt".into(), bytes: vec![b'a'; 2048] };
    let note = GoalCheckInInput { confidence: Some("at_risk".into()), note: Some("见附件".into()) };
    let err = t.check_in_goal(&w.employee, goal, note.clone(), vec![exe, big]).await.unwrap_err();
    assert_eq!(fields(err), vec![("file".into(), "content_mismatch".into()), ("file".into(), "too_large".into())]);
    assert!(t.tracking(&w.employee, goal, Default::default()).await.unwrap().check_ins.is_empty());
    assert_eq!(std::fs::read_dir(&files).map(|d| d.count()).unwrap_or(0), 0);

    // A good file is kept and served to readers of the (private) goal only.
    let c = t.check_in_goal(&w.employee, goal, note, vec![png]).await.unwrap();
    let a = &c.attachments[0];
    assert_eq!((a.file_name.as_str(), a.content_type.as_str(), a.size_bytes), ("进展.png", "image/png", 13));
    assert_eq!(t.attachment(&w.manager, a.id).await.unwrap().bytes, b"\x89PNG\r\n\x1a\nimage");
    assert!(matches!(t.attachment(&w.other, a.id).await, Err(AppError::NotFound(_))));
    assert!(matches!(
        t.check_in_goal(&w.other, goal, GoalCheckInInput { confidence: Some("on_track".into()), note: None }, vec![])
            .await,
        Err(AppError::NotFound(_))
    ));

    // A KPI actual pushed twice with the same id is recorded once.
    let push = KpiActualInput {
        key_result_id: kr,
        value: 33.0,
        unit: Some("家".into()),
        external_id: Some("crm-2026-10-20".into()),
        note: None,
    };
    let first = w.app.tracking().push_actual(&w.hr, push.clone()).await.unwrap();
    let again = w.app.tracking().push_actual(&w.hr, push).await.unwrap();
    assert_eq!((first.id, first.source.as_str(), first.value), (again.id, "api", Some(33.0)));
    assert_eq!(t.tracking(&w.employee, goal, Default::default()).await.unwrap().check_ins.len(), 2);

    // Archived goals and closed periods take no check-ins.
    w.set_day(1, 8);
    let err = t.check_in_key_result(&w.employee, kr, value(40.0, None), vec![]).await.unwrap_err();
    assert_eq!(fields(err), vec![("goal_id".into(), "closed".into())]);
});

dual_test!(t3_thresholds_are_the_organizations, |db: Db| async move {
    let files = files_dir();
    let w = setup(db, &files).await;
    let t = w.app.tracking();
    let defaults = t.settings(&w.employee).await.unwrap();
    assert_eq!((defaults.yellow_behind, defaults.red_behind, defaults.stale_days), (10.0, 25.0, 14));
    let mut s = TrackingSettingsView { yellow_behind: 30.0, red_behind: 20.0, stale_days: 0, ..defaults.clone() };
    assert!(matches!(t.save_settings(&w.employee, s.clone()).await, Err(AppError::Forbidden)));
    let err = t.save_settings(&w.hr, s.clone()).await.unwrap_err();
    assert_eq!(
        fields(err),
        vec![("red_behind".into(), "not_after_yellow".into()), ("stale_days".into(), "out_of_range".into())]
    );
    s = TrackingSettingsView { yellow_behind: 5.0, red_behind: 15.0, stale_days: 7, ..defaults };
    t.save_settings(&w.hr, s.clone()).await.unwrap();
    assert_eq!(t.settings(&w.employee).await.unwrap(), s);
    // 15 Oct, 10 of 100 against 16.3 %: 6.3 points behind is now yellow.
    let (goal, kr, _) = quarter_goal(&w).await;
    w.set_day(10, 15);
    t.check_in_key_result(&w.employee, kr, value(10.0, None), vec![]).await.unwrap();
    assert_eq!(t.tracking(&w.employee, goal, Default::default()).await.unwrap().status.unwrap().status, "yellow");
});

dual_test!(t3_t5_the_stale_list_counts_the_organizations_calendar_days, |db: Db| async move {
    // Issue 22, item 5: the light counts calendar days in the organization's zone (UTC+8), and
    // the stale list counted 14 × 24 hours from the update's time of day: a goal red at 00:10
    // on its 14th silent day joined the list only at the update's hour.
    use waymark_app::tracking::BoardQuery;
    let files = files_dir();
    let w = setup(db, &files).await;
    let t = w.app.tracking();
    let (goal, kr, _) = quarter_goal(&w).await;
    let at = |m, d, h, min| *w.clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, m, d, h, min, 0).unwrap();
    at(10, 15, 12, 0); // 15 October, 20:00 in the organization
    t.check_in_key_result(&w.employee, kr, value(10.0, None), vec![]).await.unwrap();
    let period = w.app.goals().view(&w.employee, goal).await.unwrap().summary.period_id;
    let q = BoardQuery { period: Some(period), list: Some("stale".into()), ..Default::default() };
    let light = || async { t.tracking(&w.employee, goal, Default::default()).await.unwrap().status.unwrap() };

    at(10, 28, 15, 50); // 28 October, 23:50: 13 days silent
    assert_ne!(serde_json::to_value(&light().await.reason).unwrap()["kind"], "stale");
    assert_eq!(t.hr_board(&w.hr, &q).await.unwrap().total, 0);

    at(10, 28, 16, 10); // 29 October, 00:10: the 14th day, red for staleness, and on the list
    let s = light().await;
    assert_eq!((s.status.as_str(), serde_json::to_value(&s.reason).unwrap()["days"].as_i64()), ("red", Some(14)));
    let stale = t.hr_board(&w.hr, &q).await.unwrap();
    assert_eq!((stale.total, stale.items[0].days_silent), (1, 14));
});

dual_test!(t5_the_hr_board_counts_lights_and_lists_what_needs_attention, |db: Db| async move {
    use waymark_app::tracking::BoardQuery;
    let files = files_dir();
    let w = setup(db, &files).await;
    let t = w.app.tracking();
    let (goal, kr, _) = quarter_goal(&w).await;
    w.set_day(10, 15);
    t.check_in_key_result(&w.employee, kr, value(10.0, None), vec![]).await.unwrap();
    // Three weeks without an update: red and stale.
    w.set_day(11, 5);
    t.sweep(&w.hr).await.unwrap();
    let viewed = w.app.goals().view(&w.employee, goal).await.unwrap().summary;
    let period = viewed.period_id;
    // The goal's own view carries the light every list and board shows (issue 22, item 5: null).
    assert_eq!(viewed.light.as_deref(), Some("red"));
    let q = BoardQuery { period: Some(period), ..Default::default() };
    let b = t.hr_board(&w.hr, &q).await.unwrap();
    assert_eq!((b.totals.goals, b.totals.red, b.totals.green), (1, 1, 0));
    assert_eq!(b.totals.completion_percent, 10.0);
    // The board says as of when its lights were judged (issue 22, item 5): today's sweep, 5 Nov
    // 10:00 in the organization; the next day, before that day's sweep, it says it has not run.
    assert_eq!(b.lights_as_of.swept_at, Some(Utc.with_ymd_and_hms(2026, 11, 5, 2, 0, 0).unwrap()));
    assert!(b.lights_as_of.today);
    w.set_day(11, 6);
    let b = t.hr_board(&w.hr, &q).await.unwrap();
    assert!(!b.lights_as_of.today);
    t.sweep(&w.hr).await.unwrap();
    assert!(t.hr_board(&w.hr, &q).await.unwrap().lights_as_of.today);
    w.set_day(11, 5);
    assert_eq!(b.totals.alignment_percent, 0.0, "the goal supports nothing");
    assert_eq!(b.units.iter().map(|u| u.counts.goals).sum::<i64>(), 1);
    // Issue 22, item 5: each unit's own board counts what its parent's board counts for it, down
    // to the goal's own unit (a unit's own-level goals were lost on its parent's board).
    let mut boards = vec![b.clone()];
    let mut depth = 0;
    while let Some(parent) = boards.pop() {
        for u in parent.units.iter().filter(|u| !u.is_self && u.counts.goals > 0) {
            let below = t.hr_board(&w.hr, &BoardQuery { unit: Some(u.unit_id), ..q.clone() }).await.unwrap();
            assert_eq!(below.totals.goals, u.counts.goals, "{}'s board agrees with {}'s", u.name, parent.unit_name);
            boards.push(below);
            depth += 1;
        }
    }
    assert!(depth >= 2, "the goal's unit is at least two levels below the top ({depth})");
    assert_eq!((b.list.as_str(), b.total, b.items[0].goal_id), ("abnormal", 1, goal));
    let yellow = t.hr_board(&w.hr, &BoardQuery { light: Some("yellow".into()), ..q.clone() }).await.unwrap();
    assert_eq!(yellow.total, 0);
    let stale = t.hr_board(&w.hr, &BoardQuery { list: Some("stale".into()), ..q.clone() }).await.unwrap();
    assert_eq!((stale.total, stale.items[0].days_silent), (1, 21));
    let csv = String::from_utf8(
        t.hr_board_csv(&w.hr, &BoardQuery { list: Some("stale".into()), ..q.clone() }, false).await.unwrap(),
    )
    .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].ends_with("目标,负责人,工号,部门,进度(%),状态,最近更新,未更新天数"));
    assert!(lines[1].starts_with("新客户签约,") && lines[1].ends_with(",10,red,2026-10-15,21"), "{}", lines[1]);
    // Only HR; a bad filter is named.
    assert!(matches!(t.hr_board(&w.manager, &q).await, Err(AppError::Forbidden)));
    let err = t.hr_board(&w.hr, &BoardQuery { list: Some("late".into()), ..q.clone() }).await.unwrap_err();
    assert_eq!(fields(err), vec![("list".into(), "invalid_choice".into())]);
    let err = t.hr_board_csv(&w.hr, &BoardQuery { page: Some(0), ..q }, false).await.unwrap_err();
    assert_eq!(fields(err), vec![("page".into(), "out_of_range".into())]);
});

dual_test!(g5_a_check_in_moves_every_goal_above_it, |db: Db| async move {
    // The roll-up after a check-in finds the goals above in one recursive query: a check-in two
    // or more levels below the top moves every goal above it, leaving nothing for the
    // organization-wide roll-up to correct.
    use std::collections::HashMap;
    use waymark_store::repo::{goals as goals_repo, org as org_repo};
    let d = common::monday_demo(db.clone()).await;
    d.app.create_demo_goals(&DemoOptions { seed: 7, ..Default::default() }).await.unwrap();
    let (graph, links) = goals_repo::whole_graph(&db.conn).await.unwrap();
    let parents: HashMap<uuid::Uuid, uuid::Uuid> = links.iter().map(|l| (l.child_goal_id, l.parent_goal_id)).collect();
    let agreed =
        |id: &uuid::Uuid| graph.iter().any(|g| g.id == *id && matches!(g.status.as_str(), "approved" | "filed"));
    // A leaf two levels below another goal, with a numeric key result it can move, owned by
    // someone without an account yet (who is given one).
    let mut found = None;
    for g in graph
        .iter()
        .filter(|g| agreed(&g.id) && parents.get(&g.id).is_some_and(|p| agreed(p) && parents.contains_key(p)))
    {
        let Some(kr) = g.key_results.iter().find(|k| k.kind == "numeric" && !k.archived) else { continue };
        let owner = goals_repo::goals(&db.conn, &[g.id]).await.unwrap()[0].owners[0];
        if waymark_store::repo::workflow::employee_users(&db.conn, &[owner]).await.unwrap().is_empty() {
            found = Some((g.id, kr.clone(), owner));
            break;
        }
    }
    let (leaf, kr, owner) = found.expect("the demo aligns goals two levels deep");
    let above: Vec<uuid::Uuid> =
        std::iter::successors(parents.get(&leaf).copied(), |p| parents.get(p).copied()).collect();
    assert!(above.len() >= 2, "{above:?}");
    let progress = |ids: Vec<uuid::Uuid>| {
        let c = db.conn.clone();
        async move {
            let mut p = goals_repo::goal_progress(&c, &ids).await.unwrap();
            p.sort();
            p
        }
    };
    let before = progress(above.clone()).await;

    let person = org_repo::employees_by_ids(&db.conn, &[owner]).await.unwrap().remove(0);
    let actor = common::sign_up(&d.app, &person.employee_no, "leaf-owner").await;
    let (start, target) = (kr.start_e4.unwrap_or(0) as f64 / 1e4, kr.target_e4.unwrap() as f64 / 1e4);
    let value = if kr.current_e4 == kr.target_e4 { start } else { target };
    let input = CheckInInput { current: Some(value), ..Default::default() };
    d.app.tracking().check_in_key_result(&actor, kr.id, input, vec![]).await.unwrap();

    let after = progress(above.clone()).await;
    assert_ne!(before, after, "the goals above moved");
    let report = d.app.goals().roll_up_everything(&d.hr).await.unwrap();
    assert_eq!(report.changed, 0, "the check-in's roll-up left nothing above it out of date");
});
