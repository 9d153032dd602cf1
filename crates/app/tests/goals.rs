//! Goals over real databases (SQLite and PostgreSQL): creation with key results of several
//! frameworks, alignment with roll-up through every ancestor (G-5, G-14), cycles and bad
//! input refused with the field named (nothing half-written), visibility (G-13), focus (G-9).

use std::sync::Arc;

use chrono::TimeZone;
use waymark_app::clock::FixedClock;
use waymark_app::demo::{DEMO_PASSWORD, DemoOptions};
use waymark_app::goals::convert::KeyResultInput;
use waymark_app::goals::workflow::{DecisionInput, SubmitInput};
use waymark_app::goals::{AlignInput, GoalInput, PeriodInput, ProgressInput, WeightInput};
use waymark_app::policy::Actor;
use waymark_app::{App, AppConfig, AppError};
use waymark_store::{Db, dual_test};

async fn setup(db: Db) -> (App, Actor, Actor, Actor) {
    let clock = FixedClock::at(chrono::Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap());
    let app = App::new(db, Arc::new(clock), AppConfig::default());
    app.create_demo(&DemoOptions { employees: 60, seed: 5, ..Default::default() }).await.unwrap();
    let login = |u: &'static str| {
        let app = app.clone();
        async move { app.accounts().login(u, DEMO_PASSWORD, "127.0.0.1").await.unwrap().1 }
    };
    let (hr, manager, employee) = (login("hr").await, login("manager").await, login("employee").await);
    (app, hr, manager, employee)
}

fn year_2026() -> PeriodInput {
    PeriodInput {
        name: "2026".into(),
        kind: "year".into(),
        starts_on: "2026-01-01".into(),
        ends_on: "2026-12-31".into(),
        setting_due_on: None,
    }
}

/// HR accepts every pending request of `child` to support another goal, with the weights asked.
async fn accept_all(app: &App, hr: &Actor, child: uuid::Uuid) {
    let requests = app.goals().view(hr, child).await.unwrap().requests_out;
    for r in requests {
        app.goals().accept_alignment(hr, r.id, Default::default()).await.unwrap();
    }
}

fn decision(d: &str) -> DecisionInput {
    DecisionInput { decision: d.into(), comment: None }
}

fn numeric(title: &str, start: f64, target: f64, weight: Option<f64>) -> KeyResultInput {
    KeyResultInput {
        title: title.into(),
        kind: "numeric".into(),
        start: Some(start),
        target: Some(target),
        weight,
        ..Default::default()
    }
}

fn goal(period: uuid::Uuid, title: &str, framework: &str) -> GoalInput {
    GoalInput {
        period_id: period,
        title: title.into(),
        description: None,
        framework: framework.into(),
        level: None,
        unit_id: None,
        owner_ids: vec![],
        visibility: None,
        is_key: None,
        weight: None,
        progress_source: None,
        due_on: None,
        key_results: vec![],
        aligned_to: vec![],
    }
}

dual_test!(g5_g14_an_okr_rolls_up_into_the_company_goal, |db: Db| async move {
    let (app, hr, manager, employee) = setup(db).await;
    let goals = app.goals();
    let year = goals.create_period(&hr, year_2026()).await.unwrap();
    let q4 = PeriodInput {
        name: "2026 Q4".into(),
        kind: "quarter".into(),
        starts_on: "2026-10-01".into(),
        ends_on: "2026-12-31".into(),
        setting_due_on: None,
    };
    let q4 = goals.create_period(&hr, q4).await.unwrap();

    // The company goal rolls up from its supporters.
    let company = GoalInput {
        level: Some("company".into()),
        progress_source: Some("children".into()),
        ..goal(year.id, "成为华东第一", "okr")
    };
    let company = goals.create_goal(&hr, company).await.unwrap();
    assert_eq!(company.summary.progress_percent, 0.0);

    // The employee's OKR: three key results, 50/30/20, aligned to the company goal.
    let mut okr = goal(q4.id, "拿下重点客户", "okr");
    okr.key_results = vec![
        numeric("签约金额（万元）", 200.0, 500.0, Some(50.0)),
        numeric("拜访客户数", 0.0, 40.0, Some(30.0)),
        KeyResultInput {
            title: "投诉率".into(),
            kind: "numeric".into(),
            direction: Some("lower_is_better".into()),
            start: Some(5.0),
            target: Some(2.0),
            weight: Some(20.0),
            ..Default::default()
        },
    ];
    okr.aligned_to =
        vec![AlignInput { goal_id: company.summary.id, key_result_id: None, from_key_result_id: None, weight: None }];
    let okr = goals.create_goal(&employee, okr).await.unwrap();
    assert!(okr.weights_sum_to_100);
    // Issue 22, item 1: the employee may not change the company goal, so aligning to it asks
    // its owner; HR accepts.
    assert_eq!((okr.supports.len(), okr.requests_out.len()), (0, 1));
    accept_all(&app, &hr, okr.summary.id).await;
    let okr = goals.view(&employee, okr.summary.id).await.unwrap();
    assert_eq!((okr.supports.len(), okr.requests_out.len()), (1, 0));

    // 320 of 200→500 = 0.4; 30 of 40 = 0.75; complaints 3.5 of 5→2 = 0.5.
    // 0.5 × 0.4 + 0.3 × 0.75 + 0.2 × 0.5 = 0.525
    let krs: Vec<_> = okr.key_results.iter().map(|k| k.id).collect();
    for (kr, v) in krs.iter().zip([320.0, 30.0, 3.5]) {
        goals.update_progress(&employee, *kr, ProgressInput { current: Some(v), done: None }).await.unwrap();
    }
    let okr = goals.view(&employee, okr.summary.id).await.unwrap();
    assert_eq!(okr.summary.progress_percent, 52.5);
    assert_eq!(okr.key_results[1].band, Some(waymark_domain::goals::measure::OkrBand::Green));
    // G-5: a draft, and a submitted goal not yet approved, count for nothing in the parent.
    let company = goals.view(&employee, company.summary.id).await.unwrap();
    assert_eq!(company.summary.progress_percent, 0.0, "a draft does not count");
    assert_eq!(company.supported_by[0].waiting, Some(true));
    assert_eq!(company.supported_by[0].contribution_percent, Some(0.0));
    goals.submit(&employee, okr.summary.id, SubmitInput { comment: None }).await.unwrap();
    let company = goals.view(&employee, company.summary.id).await.unwrap();
    assert_eq!(company.summary.progress_percent, 0.0, "submitted is not approved");
    let approved = goals.decide(&manager, okr.summary.id, decision("approve")).await.unwrap();
    assert!(matches!(approved.summary.status.as_str(), "approved" | "filed"), "{}", approved.summary.status);
    let company = goals.view(&employee, company.summary.id).await.unwrap();
    assert_eq!(company.supported_by[0].waiting, Some(false));
    assert_eq!(company.summary.progress_percent, 52.5, "the only supporter carries it all");
    assert_eq!(company.supported_by[0].contribution_percent, Some(52.5));

    // A cycle is refused, naming the goals on it; nothing is written.
    let err = goals
        .align(
            &hr,
            company.summary.id,
            AlignInput { goal_id: okr.summary.id, key_result_id: None, from_key_result_id: None, weight: None },
        )
        .await
        .unwrap_err();
    let AppError::Invalid(fields) = err else { panic!("{err:?}") };
    assert_eq!((fields[0].field.as_str(), fields[0].code.as_str()), ("aligned_to[0].goal_id", "parent_period"));
    let mut sibling = goal(year.id, "年度交付", "okr");
    sibling.key_results = vec![numeric("交付项目", 0.0, 10.0, None)];
    sibling.aligned_to = vec![AlignInput {
        goal_id: company.summary.id,
        key_result_id: None,
        from_key_result_id: None,
        weight: Some(50.0),
    }];
    let sibling = goals.create_goal(&employee, sibling).await.unwrap();
    accept_all(&app, &hr, sibling.summary.id).await;
    goals.submit(&employee, sibling.summary.id, SubmitInput { comment: None }).await.unwrap();
    goals.decide(&manager, sibling.summary.id, decision("approve")).await.unwrap();
    let err = goals
        .align(
            &hr,
            company.summary.id,
            AlignInput { goal_id: sibling.summary.id, key_result_id: None, from_key_result_id: None, weight: None },
        )
        .await
        .unwrap_err();
    let AppError::Invalid(fields) = err else { panic!("{err:?}") };
    assert_eq!(fields[0].code, "alignment_cycle");
    assert!(fields[0].message.contains("成为华东第一"), "{}", fields[0].message);
    // Two supporters now: 52.5 % (blank weight: the 50 % left) and 0 % (50 %).
    let company = goals.view(&hr, company.summary.id).await.unwrap();
    assert_eq!(company.summary.progress_percent, 26.3);
});

dual_test!(g5_g11_one_link_per_pair_and_a_weight_changes_with_a_reason, |db: Db| async move {
    // Issue 22, item 2: aligning twice to the same parent counted the child twice; a weight
    // could only be changed by removing the link and adding it again, without a reason.
    let (app, hr, manager, employee) = setup(db).await;
    let goals = app.goals();
    let year = goals.create_period(&hr, year_2026()).await.unwrap();
    let company = GoalInput {
        level: Some("company".into()),
        progress_source: Some("children".into()),
        ..goal(year.id, "全年营收", "okr")
    };
    let company = goals.create_goal(&hr, company).await.unwrap().summary.id;
    let to_company = |weight| AlignInput { goal_id: company, key_result_id: None, from_key_result_id: None, weight };
    // Two approved supporters with blank weights: 40 % and 0 % → (40 + 0) / 2 = 20 %.
    let mut ids = Vec::new();
    for (title, value) in [("华东签约", 40.0), ("华南签约", 0.0)] {
        let mut g = goal(year.id, title, "okr");
        g.key_results = vec![numeric("签约数", 0.0, 100.0, None)];
        g.aligned_to = vec![to_company(None)];
        let g = goals.create_goal(&employee, g).await.unwrap();
        accept_all(&app, &hr, g.summary.id).await;
        let kr = g.key_results[0].id;
        goals.update_progress(&employee, kr, ProgressInput { current: Some(value), done: None }).await.unwrap();
        goals.submit(&employee, g.summary.id, SubmitInput { comment: None }).await.unwrap();
        goals.decide(&manager, g.summary.id, decision("approve")).await.unwrap();
        ids.push(g.summary.id);
    }
    let progress = |id| {
        let goals = app.goals();
        let hr = hr.clone();
        async move { goals.view(&hr, id).await.unwrap().summary.progress_percent }
    };
    assert_eq!(progress(company).await, 20.0);

    // The same pair again: refused by name, after creation and within one new goal's list.
    let err = goals.align(&employee, ids[0], to_company(Some(50.0))).await.unwrap_err();
    let AppError::Invalid(fields) = err else { panic!("{err:?}") };
    assert_eq!((fields[0].field.as_str(), fields[0].code.as_str()), ("aligned_to[0].goal_id", "already_aligned"));
    let mut twice = goal(year.id, "重复对齐", "okr");
    twice.key_results = vec![numeric("签约数", 0.0, 100.0, None)];
    twice.aligned_to = vec![to_company(None), to_company(Some(30.0))];
    let AppError::Invalid(fields) = goals.create_goal(&employee, twice).await.unwrap_err() else { panic!() };
    let fields: Vec<(&str, &str)> = fields.iter().map(|f| (f.field.as_str(), f.code.as_str())).collect();
    assert_eq!(fields, vec![("aligned_to[1].goal_id", "already_aligned")]);
    assert_eq!(progress(company).await, 20.0, "still counted once");

    // Changing the weight of an agreed goal's link needs a reason, a real change and 0–100.
    let link = goals.view(&employee, ids[0]).await.unwrap().supports[0].link_id;
    let weight = |w: Option<f64>, reason: Option<&str>| WeightInput { weight: w, reason: reason.map(Into::into) };
    let err = goals.reweight(&employee, link, weight(Some(75.0), None)).await.unwrap_err();
    assert!(matches!(&err, AppError::Invalid(f) if f[0].code == "reason_required"), "{err:?}");
    let err = goals.reweight(&employee, link, weight(Some(150.0), Some("x"))).await.unwrap_err();
    assert!(matches!(&err, AppError::Invalid(f) if f[0].code == "weight_out_of_range"), "{err:?}");
    let err = goals.reweight(&employee, link, weight(None, Some("x"))).await.unwrap_err();
    assert!(matches!(&err, AppError::Invalid(f) if f[0].code == "weight_unchanged"), "{err:?}");
    assert!(matches!(goals.reweight(&hr, uuid::Uuid::now_v7(), weight(None, None)).await, Err(AppError::NotFound(_))));

    // 75 % for the first and the 25 % left for the blank one: 0.75 × 40 + 0.25 × 0 = 30 %.
    let after = goals.reweight(&employee, link, weight(Some(75.0), Some("华东是今年重点"))).await.unwrap();
    assert_eq!(after.supports[0].weight_entered, Some(75.0));
    assert_eq!(progress(company).await, 30.0);
    let history = goals.history(&employee, ids[0]).await.unwrap();
    let last = history.iter().rev().find(|h| h.action == "reweight").expect("the change is in the history");
    assert_eq!(last.reason.as_deref(), Some("华东是今年重点"));
});

dual_test!(g14_bad_input_names_the_field_and_writes_nothing, |db: Db| async move {
    let (app, hr, _manager, employee) = setup(db).await;
    let goals = app.goals();
    let q = PeriodInput {
        name: "Q".into(),
        kind: "quarter".into(),
        starts_on: "2026-10-01".into(),
        ends_on: "2026-09-30".into(),
        setting_due_on: None,
    };
    let AppError::Invalid(f) = goals.create_period(&hr, q).await.unwrap_err() else { panic!() };
    assert_eq!(f[0].field, "ends_on");
    let q = PeriodInput {
        name: "Q".into(),
        kind: "quarter".into(),
        starts_on: "2026-10-01".into(),
        ends_on: "2026-12-31".into(),
        setting_due_on: None,
    };
    assert!(matches!(goals.create_period(&employee, q.clone()).await, Err(AppError::Forbidden)));
    let q = goals.create_period(&hr, q).await.unwrap();
    let mut bad = goal(q.id, "目标", "okr");
    bad.key_results = vec![
        numeric("持平", 95.0, 95.0, Some(50.0)),
        numeric("超重", 0.0, 10.0, Some(150.0)),
        KeyResultInput {
            title: "方向反了".into(),
            kind: "numeric".into(),
            direction: Some("lower_is_better".into()),
            start: Some(1.0),
            target: Some(9.0),
            ..Default::default()
        },
    ];
    let AppError::Invalid(f) = goals.create_goal(&employee, bad).await.unwrap_err() else { panic!() };
    let found: Vec<(&str, &str)> = f.iter().map(|x| (x.field.as_str(), x.code.as_str())).collect();
    assert_eq!(
        found,
        vec![
            ("key_results[0].target", "target_equals_start"),
            ("key_results[1].weight", "weight_out_of_range"),
            ("key_results[2].target", "direction_mismatch"),
        ]
    );
    let mine = goals.my_goals(&employee, q.id).await.unwrap();
    assert!(mine.goals.is_empty(), "nothing was written");
    // With the hold rule, a flat target is fine.
    let mut ok = goal(q.id, "保持满意度", "kpi");
    ok.key_results = vec![KeyResultInput {
        flat_rule: Some("hold".into()),
        current: Some(96.0),
        ..numeric("满意度", 95.0, 95.0, None)
    }];
    let v = goals.create_goal(&employee, ok).await.unwrap();
    assert_eq!(v.summary.progress_percent, 100.0);
    // Without a stated direction, a target below the start means lower is better.
    let mut faster = goal(q.id, "更快响应", "okr");
    faster.key_results = vec![numeric("响应时长（小时）", 48.0, 12.0, None)];
    let v = goals.create_goal(&employee, faster).await.unwrap();
    assert_eq!(v.key_results[0].direction.as_deref(), Some("lower_is_better"));
});

dual_test!(g13_g9_private_goals_and_the_focus_warning, |db: Db| async move {
    let (app, hr, manager, employee) = setup(db).await;
    let goals = app.goals();
    let q = PeriodInput {
        name: "Q4".into(),
        kind: "quarter".into(),
        starts_on: "2026-10-01".into(),
        ends_on: "2026-12-31".into(),
        setting_due_on: None,
    };
    let q = goals.create_period(&hr, q).await.unwrap();
    let mut ids = Vec::new();
    for i in 0..8 {
        let mut g = goal(q.id, &format!("目标 {i}"), "mbo");
        g.visibility = Some(if i == 0 { "private" } else { "public" }.into());
        ids.push(goals.create_goal(&employee, g).await.unwrap().summary.id);
    }
    let mine = goals.my_goals(&employee, q.id).await.unwrap();
    assert_eq!((mine.key_goals, mine.focus_warning), (8, Some(8)));
    // A peer (the manager is not the demo employee's manager necessarily): use HR's own actor
    // without HR rights as a plain colleague.
    let colleague = Actor { hr: None, is_manager: false, ..hr.clone() };
    assert!(matches!(goals.view(&colleague, ids[0]).await, Err(AppError::NotFound(_))), "private: hidden");
    assert!(goals.view(&colleague, ids[1]).await.is_ok(), "public: visible inside the organization");
    assert!(goals.view(&hr, ids[0]).await.is_ok(), "HR in scope sees private goals");
    let line = app.org().all_reports(&hr, manager.employee_id.unwrap()).await.unwrap();
    if line.contains(&employee.employee_id.unwrap()) {
        assert!(goals.view(&manager, ids[0]).await.is_ok(), "the manager sees a report's private goal");
    }
    let theirs = goals.goals_of(&colleague, employee.employee_id.unwrap(), q.id).await.unwrap();
    assert_eq!(theirs.goals.len(), 7);
});

dual_test!(g5_the_whole_graph_reads_every_measure_as_stored, |db: Db| async move {
    // The organization-wide roll-up reads key results its own way (one JSON document on
    // SQLite); every column must come back as the row-by-row read has it: NULLs, negative and
    // fractional values, lower-is-better, KPI thresholds, done and archived flags.
    let (app, hr, _, employee) = setup(db.clone()).await;
    app.create_demo_goals(&DemoOptions { seed: 5, ..Default::default() }).await.unwrap();
    let period = app.goals().periods(&hr).await.unwrap().into_iter().find(|p| p.kind == "quarter").unwrap();
    let mut input = goal(period.id, "口径各异的关键结果", "kpi");
    input.key_results = vec![
        numeric("亏损收窄", -1250.5, -300.25, Some(40.0)),
        KeyResultInput {
            title: "满意度".into(),
            kind: "kpi".into(),
            start: Some(80.0),
            threshold: Some(85.0),
            target: Some(90.0),
            stretch: Some(95.0),
            formula: Some("linear".into()),
            ..Default::default()
        },
        KeyResultInput { title: "上线".into(), kind: "done".into(), done: Some(true), ..Default::default() },
        numeric("响应小时", 48.0, 12.0, None),
    ];
    let g = app.goals().create_goal(&employee, input).await.unwrap();
    let last = g.key_results[3].id;
    app.goals()
        .archive_key_result(&employee, last, true, waymark_app::goals::changes::ReasonInput::default())
        .await
        .unwrap();
    let (graph, links) = waymark_store::repo::goals::whole_graph(&db.conn).await.unwrap();
    assert!(!links.is_empty());
    let ids: Vec<uuid::Uuid> = graph.iter().map(|m| m.id).collect();
    let stored = waymark_store::repo::goals::goals(&db.conn, &ids).await.unwrap();
    assert_eq!(graph.len(), stored.len());
    let mut compared = 0;
    for (m, r) in graph.iter().zip(&stored) {
        assert_eq!((m.id, &m.progress_source, m.progress_bp), (r.goal.id, &r.goal.progress_source, r.goal.progress_bp));
        let mut read: Vec<_> = m.key_results.iter().collect();
        read.sort_by_key(|k| k.id);
        let mut rows: Vec<_> = r.key_results.iter().collect();
        rows.sort_by_key(|k| k.id);
        assert_eq!(read.len(), rows.len());
        for (k, row) in read.iter().zip(rows) {
            let ids = |id, goal_id, kind: &String| (id, goal_id, kind.clone());
            assert_eq!(ids(k.id, k.goal_id, &k.kind), ids(row.id, row.goal_id, &row.kind));
            assert_eq!(
                (&k.direction, &k.flat_rule, &k.formula, k.done, k.archived, k.weight_bp, k.progress_bp),
                (&row.direction, &row.flat_rule, &row.formula, row.done, row.archived, row.weight_bp, row.progress_bp)
            );
            assert_eq!(
                (k.start_e4, k.target_e4, k.current_e4, k.threshold_e4, k.stretch_e4),
                (row.start_e4, row.target_e4, row.current_e4, row.threshold_e4, row.stretch_e4)
            );
            compared += 1;
        }
    }
    assert!(compared > 100, "{compared} key results compared");
    let mine = stored.iter().find(|r| r.goal.id == g.summary.id).unwrap();
    assert_eq!(mine.key_results[0].start_e4, Some(-12_505_000));
    assert!(mine.key_results[2].done && mine.key_results[3].archived);
});

dual_test!(g4_team_goal_owners_change_within_reach, |db: Db| async move {
    // G-4: a team goal co-owned by several people; owners change by employee number, only to
    // people the actor may set goals for, and an individual goal always keeps one.
    let (app, hr, manager, employee) = setup(db.clone()).await;
    let q4 = PeriodInput {
        name: "2026 Q4".into(),
        kind: "quarter".into(),
        starts_on: "2026-10-01".into(),
        ends_on: "2026-12-31".into(),
        setting_due_on: None,
    };
    let period = app.goals().create_period(&hr, q4).await.unwrap();
    let mut input = goal(period.id, "本组交付质量", "okr");
    input.level = Some("team".into());
    input.key_results = vec![numeric("缺陷数", 10.0, 2.0, None)];
    let g = app.goals().create_goal(&manager, input).await.unwrap();
    let me = app.org().employee(&manager, employee.employee_id.unwrap()).await.unwrap();
    let boss = app.org().employee(&manager, manager.employee_id.unwrap()).await.unwrap();
    let patch = |nos: Vec<&str>| waymark_app::goals::changes::GoalPatch {
        owner_nos: Some(nos.into_iter().map(str::to_string).collect()),
        ..Default::default()
    };
    let v =
        app.goals().update_goal(&manager, g.summary.id, patch(vec![&boss.employee_no, &me.employee_no])).await.unwrap();
    assert_eq!(v.summary.owner_nos, [boss.employee_no.clone(), me.employee_no.clone()]);
    let e = app.goals().update_goal(&manager, g.summary.id, patch(vec!["NOBODY"])).await.unwrap_err();
    assert!(matches!(&e, AppError::Invalid(f) if f[0].field == "owner_nos" && f[0].code == "unknown_employee"));
    // The employee co-owns it now, but being an owner does not let them add people they could
    // not set a goal for: HR is outside their reach.
    let hr_no = app.org().employee(&hr, hr.employee_id.unwrap()).await.unwrap().employee_no;
    let e = app.goals().update_goal(&employee, g.summary.id, patch(vec![&me.employee_no, &hr_no])).await.unwrap_err();
    assert!(matches!(e, AppError::Forbidden), "{e:?}");
    assert_eq!(app.goals().view(&manager, g.summary.id).await.unwrap().summary.owner_ids.len(), 2, "nothing written");
    let mine = app.goals().create_goal(&employee, goal(period.id, "个人目标", "mbo")).await.unwrap();
    let e = app.goals().update_goal(&employee, mine.summary.id, patch(vec![])).await.unwrap_err();
    assert!(matches!(&e, AppError::Invalid(f) if f[0].code == "required"));
    let history = app.goals().history(&manager, g.summary.id).await.unwrap();
    assert!(
        history.iter().any(|h| h.changes.iter().any(|c| c.field == "owners")),
        "the owner change is in the history"
    );
});

dual_test!(
    g5_aligning_to_a_goal_one_may_not_change_is_a_request_that_never_counts_until_accepted,
    |db: Db| async move {
        // Issue 22, item 1: anyone could align to a company goal and move its progress.
        let (app, hr, manager, employee) = setup(db).await;
        let goals = app.goals();
        let year = goals.create_period(&hr, year_2026()).await.unwrap();
        let company = GoalInput {
            level: Some("company".into()),
            progress_source: Some("children".into()),
            ..goal(year.id, "全年营收", "okr")
        };
        let company = goals.create_goal(&hr, company).await.unwrap().summary.id;
        // An approved goal of the employee at 50 %, then asked to support the company goal at 60 %.
        let mut g = goal(year.id, "华东签约", "okr");
        g.key_results = vec![numeric("签约数", 0.0, 100.0, None)];
        let g = goals.create_goal(&employee, g).await.unwrap();
        let kr = g.key_results[0].id;
        goals.update_progress(&employee, kr, ProgressInput { current: Some(50.0), done: None }).await.unwrap();
        goals.submit(&employee, g.summary.id, SubmitInput { comment: None }).await.unwrap();
        goals.decide(&manager, g.summary.id, decision("approve")).await.unwrap();
        let ask = AlignInput { goal_id: company, key_result_id: None, from_key_result_id: None, weight: Some(60.0) };
        let asked = goals.align(&employee, g.summary.id, ask.clone()).await.unwrap();
        assert!(asked.supports.is_empty());
        let request = asked.requests_out[0].clone();
        assert_eq!((request.weight, request.can_withdraw, request.can_decide), (Some(60.0), true, false));
        // Pending: on the company goal's page, in HR's inbox, and counted nowhere.
        let c = goals.view(&hr, company).await.unwrap();
        assert_eq!((c.summary.progress_percent, c.supported_by.len(), c.requests_in.len()), (0.0, 0, 1));
        assert!(c.requests_in[0].can_decide);
        let map = goals.map(&hr, company, 2).await.unwrap().tree;
        assert_eq!((map.pending, map.supporters, map.children.len()), (1, 0, 0), "the map says it is pending");
        let inbox = app.inbox().list(&hr).await.unwrap().items;
        assert!(inbox.iter().any(|m| m.kind == "alignment-request" && m.subject == "华东签约"), "{inbox:?}");
        // Asking twice is refused; the requester cannot accept their own request.
        let again = goals.align(&employee, g.summary.id, ask.clone()).await.unwrap_err();
        assert!(matches!(&again, AppError::Invalid(f) if f[0].code == "already_aligned"), "{again:?}");
        assert!(matches!(
            goals.accept_alignment(&employee, request.id, Default::default()).await,
            Err(AppError::Forbidden)
        ));
        // Declining needs a reason.
        let e = goals.decline_alignment(&hr, request.id, Default::default()).await.unwrap_err();
        assert!(matches!(&e, AppError::Invalid(f) if f[0].field == "comment" && f[0].code == "required"), "{e:?}");
        // Accepted with the weight HR settles on (40 %, the rest left to others): it counts now.
        let decision_input = waymark_app::goals::requests::AlignmentDecision {
            weight: Some(40.0),
            comment: Some("华东是重点".into()),
        };
        let c = goals.accept_alignment(&hr, request.id, decision_input).await.unwrap();
        assert!(c.requests_in.is_empty());
        assert_eq!(c.supported_by.len(), 1);
        assert_eq!(c.summary.progress_percent, 50.0, "the only supporter, at 50 %");
        let map = goals.map(&hr, company, 2).await.unwrap().tree;
        assert_eq!((map.pending, map.supporters), (0, 1));
        let mine = goals.view(&employee, g.summary.id).await.unwrap();
        assert_eq!((mine.supports.len(), mine.supports[0].weight_entered), (1, Some(40.0)));
        let told = app.inbox().list(&employee).await.unwrap().items;
        assert!(told.iter().any(|m| m.kind == "alignment-accepted" && m.subject == "全年营收"), "{told:?}");
        let twice = goals.accept_alignment(&hr, request.id, Default::default()).await.unwrap_err();
        assert!(matches!(&twice, AppError::Invalid(f) if f[0].code == "already_decided"), "{twice:?}");

        // Another goal asks; HR declines with a reason; a third asks and is withdrawn. Neither counts.
        for (title, how) in [("华南签约", "decline"), ("华北签约", "withdraw")] {
            let mut other = goal(year.id, title, "okr");
            other.key_results = vec![numeric("签约数", 0.0, 100.0, None)];
            other.aligned_to = vec![AlignInput { weight: None, ..ask.clone() }];
            let other = goals.create_goal(&employee, other).await.unwrap();
            let id = other.requests_out[0].id;
            if how == "decline" {
                let why = waymark_app::goals::requests::AlignmentDecision {
                    weight: None,
                    comment: Some("与全年营收无直接关系".into()),
                };
                goals.decline_alignment(&hr, id, why).await.unwrap();
            } else {
                goals.withdraw_alignment(&employee, id).await.unwrap();
            }
            assert!(goals.view(&employee, other.summary.id).await.unwrap().requests_out.is_empty());
        }
        let c = goals.view(&hr, company).await.unwrap();
        assert_eq!((c.supported_by.len(), c.requests_in.len(), c.summary.progress_percent), (1, 0, 50.0));
        let log = goals.history(&employee, g.summary.id).await.unwrap();
        let actions: Vec<&str> = log.iter().map(|h| h.action.as_str()).collect();
        assert!(actions.contains(&"request_alignment") && actions.contains(&"align"), "{actions:?}");
    }
);
