//! The boards (T-5) over real databases: the executive board of company goals two levels down,
//! shown only to executives and HR and only with goals the reader may see; the my-goals board's
//! numbers.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use waymark_app::accounts::GrantedRole;
use waymark_app::clock::FixedClock;
use waymark_app::demo::DemoOptions;
use waymark_app::goals::workflow::SubmitInput;
use waymark_app::goals::{AlignInput, GoalInput};
use waymark_app::tracking::{ExecutiveQuery, StrategicNode};
use waymark_app::{App, AppConfig, AppError};
use waymark_store::{Db, dual_test};

mod common;
use common::{login, numeric_kr, private_okr};

fn count(n: &StrategicNode) -> usize {
    n.children.iter().map(|c| 1 + count(c)).sum()
}

fn contains(n: &StrategicNode, id: uuid::Uuid) -> bool {
    n.children.iter().any(|c| c.goal.id == id || contains(c, id))
}

dual_test!(t5_the_strategy_board_and_my_board, |db: Db| async move {
    // Saturday 21 November 2026 in Shanghai.
    let clock = Arc::new(FixedClock::at(Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap()));
    let app = App::new(db, clock, AppConfig::default());
    app.create_demo(&DemoOptions { employees: 80, seed: 3, ..Default::default() }).await.unwrap();
    app.create_demo_goals(&DemoOptions { seed: 3, ..Default::default() }).await.unwrap().expect("the demo's goals");
    let (ceo, hr, employee, manager) = (
        login(&app, "executive").await,
        login(&app, "hr").await,
        login(&app, "employee").await,
        login(&app, "manager").await,
    );
    let t = app.tracking();

    // Executives and HR only.
    assert!(matches!(t.executive_board(&employee, &ExecutiveQuery::default()).await, Err(AppError::Forbidden)));
    assert!(matches!(t.executive_board(&manager, &ExecutiveQuery::default()).await, Err(AppError::Forbidden)));
    let q = ExecutiveQuery { period: Some(uuid::Uuid::nil()) };
    assert!(matches!(t.executive_board(&ceo, &q).await, Err(AppError::NotFound(_))));

    // By default the longest period running today: the year 2026, 325 of 365 days gone.
    let b = t.executive_board(&ceo, &ExecutiveQuery::default()).await.unwrap();
    assert_eq!(
        (b.period.starts_on.to_string(), b.period.ends_on.to_string()),
        ("2026-01-01".into(), "2026-12-31".into())
    );
    assert_eq!(b.pace_percent, (325.0_f64 / 365.0 * 1000.0).round() / 10.0);
    assert!(!b.goals.is_empty());
    for s in &b.goals {
        assert_eq!(s.node.goal.level, "company");
        assert_eq!(s.supporting, count(&s.node));
        assert!(s.green + s.yellow + s.red <= s.supporting);
        // Two levels down, no deeper.
        assert!(s.node.children.iter().all(|c| c.children.iter().all(|g| g.children.is_empty())));
    }
    assert!(b.goals.iter().any(|s| s.supporting > 0), "the demo's goals support the strategy");

    // A private goal supporting a company goal: HR and the CEO (at the top of the employee's
    // line) see it on the board, an executive outside the line does not.
    let root = b.goals[0].node.goal.id;
    let quarter = app
        .goals()
        .periods(&employee)
        .await
        .unwrap()
        .into_iter()
        .find(|p| p.kind == "quarter" && p.starts_on.to_string() == "2026-10-01")
        .unwrap();
    let krs = vec![numeric_kr("签约渠道数", None, 0.0, 5.0)];
    let input = GoalInput {
        aligned_to: vec![AlignInput { goal_id: root, key_result_id: None, from_key_result_id: None, weight: None }],
        ..private_okr(quarter.id, "保密的渠道谈判", krs)
    };
    let g = app.goals().create_goal(&employee, input).await.unwrap();
    // Aligning to the company goal is a request until HR accepts it (issue 22, item 1): the
    // strategy board shows it as pending, not among the supporters.
    let before = t.executive_board(&hr, &ExecutiveQuery::default()).await.unwrap();
    let root_before = before.goals.iter().find(|s| s.node.goal.id == root).unwrap();
    assert_eq!(root_before.pending, 1);
    assert!(!contains(&root_before.node, g.summary.id));
    for r in &g.requests_out {
        app.goals().accept_alignment(&hr, r.id, Default::default()).await.unwrap();
    }
    app.goals().submit(&employee, g.summary.id, SubmitInput { comment: None }).await.unwrap();
    // An executive outside the employee's reporting line (a board member's account).
    let system = waymark_app::policy::Actor::system("test");
    app.accounts().set_role(&system, "admin", GrantedRole::Executive, vec![None]).await.unwrap();
    let board_member = login(&app, "admin").await;
    let for_member = t.executive_board(&board_member, &ExecutiveQuery::default()).await.unwrap();
    let for_ceo = t.executive_board(&ceo, &ExecutiveQuery::default()).await.unwrap();
    let for_hr = t.executive_board(&hr, &ExecutiveQuery::default()).await.unwrap();
    let node =
        |b: &waymark_app::tracking::ExecutiveBoard| b.goals.iter().find(|s| s.node.goal.id == root).unwrap().clone();
    assert!(!contains(&node(&for_member).node, g.summary.id));
    assert!(contains(&node(&for_ceo).node, g.summary.id));
    assert!(contains(&node(&for_hr).node, g.summary.id));
    assert_eq!(node(&for_hr).supporting, node(&for_member).supporting + 1);

    // My board: the quarter is 52 of 92 days gone; the weighted progress is the weights'
    // sum of each goal's progress.
    let mine = app.goals().my_goals(&employee, quarter.id).await.unwrap();
    assert_eq!(mine.board.pace_percent, (52.0_f64 / 92.0 * 1000.0).round() / 10.0);
    let weighted: f64 =
        mine.goals.iter().zip(&mine.weights_effective).map(|(g, w)| g.progress_percent * w / 100.0).sum();
    assert_eq!(mine.board.weighted_progress, (weighted * 10.0).round() / 10.0);
    let lit = mine.goals.iter().filter(|g| g.light.is_some()).count();
    assert_eq!(mine.board.green + mine.board.yellow + mine.board.red, lit);
    assert!(lit >= 2, "the demo goal and the new one are tracked");

    // T-5: the HR board's copy of each goal follows every change to its sources.
    let e = waymark_store::repo::org::employee(&app.db.conn, employee.employee_id.unwrap()).await.unwrap().unwrap();
    let other_unit = waymark_store::repo::org::all_units(&app.db.conn)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.id != e.unit_id && u.parent_id.is_some())
        .unwrap();
    let tx = app.db.begin_write().await.unwrap();
    let moved = waymark_domain::org::Employee { unit_id: other_unit.id, ..e.clone() };
    waymark_store::repo::org::update_employee(&*tx, &e, moved).await.unwrap();
    tx.commit().await.unwrap();
    let kr = g.key_results[0].id;
    let ci = waymark_app::tracking::CheckInInput { current: Some(2.0), ..Default::default() };
    t.check_in_key_result(&employee, kr, ci, vec![]).await.unwrap();
    // Approved by the manager (then HR may file it), so its alignment can change.
    let approve = waymark_app::goals::workflow::DecisionInput { decision: "approve".into(), comment: None };
    app.goals().decide(&manager, g.summary.id, approve).await.unwrap();
    let view = app.goals().view(&employee, g.summary.id).await.unwrap();
    let link = view.supports[0].link_id;
    let why = waymark_app::goals::changes::ReasonInput { reason: Some("战略调整".into()) };
    app.goals().unalign(&employee, link, why).await.unwrap();
    let mine = app.goals().my_goals(&employee, quarter.id).await.unwrap();
    let other = mine.goals.iter().find(|x| x.id != g.summary.id).unwrap();
    // Waiting for approval, it cannot be archived until its approver has decided.
    if other.status == "submitted" {
        let approve = waymark_app::goals::workflow::DecisionInput { decision: "approve".into(), comment: None };
        app.goals().decide(&manager, other.id, approve).await.unwrap();
    }
    let other = other.id;
    let why = waymark_app::goals::changes::ReasonInput { reason: Some("客户取消".into()) };
    app.goals().archive_goal(&employee, other, why).await.unwrap();
    t.sweep(&waymark_app::policy::Actor::system("test")).await.unwrap();

    let stored = waymark_store::repo::boards::rows(&app.db.conn).await.unwrap();
    let row = stored.iter().find(|r| r.goal_id == g.summary.id).unwrap();
    assert_eq!((row.unit_id, row.progress_bp, row.aligned, row.tracked), (Some(other_unit.id), 4000, false, true));
    assert!(!stored.iter().find(|r| r.goal_id == other).unwrap().tracked, "archived");
    // Rebuilt from the sources, nothing changes: neither the copy nor the kept counts drifted
    // (the move took the goal's counts from one unit to the other, the archive out of both).
    let counted = waymark_store::repo::boards::counts(&app.db.conn).await.unwrap();
    assert!(counted.iter().any(|c| c.unit_id == other_unit.id), "the moved person's goals count there");
    let tx = app.db.begin_write().await.unwrap();
    waymark_store::repo::boards::rebuild_all(&*tx).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(waymark_store::repo::boards::rows(&app.db.conn).await.unwrap(), stored);
    assert_eq!(waymark_store::repo::boards::counts(&app.db.conn).await.unwrap(), counted);
});

dual_test!(t5_the_hr_board_pages_red_then_yellow_and_counts_what_it_lists, |db: Db| async move {
    use waymark_app::tracking::BoardQuery;
    // Monday 30 November 2026: a whole quarter of demo history, with reds, yellows and silence.
    let clock = Arc::new(FixedClock::at(Utc.with_ymd_and_hms(2026, 11, 30, 2, 0, 0).unwrap()));
    let app = App::new(db, clock, AppConfig::default());
    let opts = DemoOptions { employees: 150, seed: 5, personal_goals: Some(3), ..Default::default() };
    app.create_demo(&opts).await.unwrap();
    app.create_demo_goals(&opts).await.unwrap().expect("the demo's goals");
    let hr = login(&app, "hr").await;
    let t = app.tracking();
    let board = t.hr_board(&hr, &BoardQuery::default()).await.unwrap();
    let abnormal = board.totals.red + board.totals.yellow;
    assert!(abnormal > 50 && board.totals.red > 0 && board.totals.yellow > 0, "{:?}", board.totals);
    assert_eq!(board.total, abnormal);
    // Page after page: every red goal, least progress first, then every yellow one; the pages
    // together are the export, and as long as the counts say.
    let mut paged = Vec::new();
    for page in 1.. {
        let b = t.hr_board(&hr, &BoardQuery { page: Some(page), ..Default::default() }).await.unwrap();
        if b.items.is_empty() {
            break;
        }
        paged.extend(b.items);
    }
    assert_eq!(paged.len() as i64, abnormal);
    let lights: Vec<&str> = paged.iter().map(|i| i.light.as_deref().unwrap()).collect();
    let reds = board.totals.red as usize;
    assert!(lights[..reds].iter().all(|l| *l == "red") && lights[reds..].iter().all(|l| *l == "yellow"));
    assert!(paged[..reds].windows(2).all(|w| w[0].progress_percent <= w[1].progress_percent));
    assert!(paged[reds..].windows(2).all(|w| w[0].progress_percent <= w[1].progress_percent));
    let csv = String::from_utf8(t.hr_board_csv(&hr, &BoardQuery::default(), true).await.unwrap()).unwrap();
    let exported: Vec<&str> = csv.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(exported, paged.iter().map(|i| i.title.as_str()).collect::<Vec<_>>());
    // The stale list's length is what it lists: the goals silent for the stale days (14).
    let stale = t.hr_board(&hr, &BoardQuery { list: Some("stale".into()), ..Default::default() }).await.unwrap();
    let cutoff = Utc.with_ymd_and_hms(2026, 11, 16, 2, 0, 0).unwrap();
    let rows = waymark_store::repo::boards::rows(&app.db.conn).await.unwrap();
    let silent = rows
        .iter()
        .filter(|r| r.period_id == board.period_id && r.tracked && r.active_at.is_some_and(|a| a < cutoff))
        .count();
    assert!(silent > 0);
    assert_eq!(stale.total as usize, silent);
    assert!(stale.items.windows(2).all(|w| w[0].days_silent >= w[1].days_silent), "the longest silent first");
});
