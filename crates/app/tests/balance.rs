//! Lopsided indicator sets over real databases (issue 22, item 9; SPEC G-8): a bus driver's
//! goals measured only by fares and trips are flagged where they are written and on the goal
//! page while submitted for approval, with the library's safety indicators for drivers to add;
//! one safety key result clears the warning. HR loads the standard indicators once, and a
//! second load adds nothing.

use waymark_app::AppError;
use waymark_app::goals::PeriodInput;
use waymark_app::goals::changes::KeyResultChange;
use waymark_app::goals::convert::KeyResultInput;
use waymark_app::goals::workflow::SubmitInput;
use waymark_store::repo::org as org_repo;
use waymark_store::{Db, dual_test};

mod common;
use common::{monday_demo, numeric_kr, private_okr};

dual_test!(g8_a_drivers_fares_and_trips_are_flagged_until_safety_is_measured, |db: Db| async move {
    let d = monday_demo(db).await;
    let c = &d.app.db.conn;
    // The employee drives a bus.
    let me = d.employee.employee_id.unwrap();
    let before = org_repo::employee(c, me).await.unwrap().unwrap();
    let after = waymark_domain::org::Employee { job_family: Some("公交司机".into()), ..before.clone() };
    org_repo::update_employee(c, &before, after).await.unwrap();

    // The standard indicators: HR only; loaded twice, added once.
    assert!(matches!(d.app.add_standard_library_items(&d.employee, false).await, Err(AppError::Forbidden)));
    let first = d.app.add_standard_library_items(&d.hr, false).await.unwrap();
    assert!(first.added >= 12, "{first:?}");
    let again = d.app.add_standard_library_items(&d.hr, false).await.unwrap();
    assert_eq!((again.added, again.ids), (0, first.ids.clone()));

    // The framework recommendation covers the family, with a safe-driving part.
    let r = d.app.goals().recommendation(&d.employee).await.unwrap().expect("a driver gets a recommendation");
    assert_eq!(r.group, "transport");
    assert!(r.parts.iter().any(|p| p.what == "safe-driving" && p.framework == "behaviour"), "{:?}", r.parts);

    let goals = d.app.goals();
    let period = PeriodInput {
        name: "一季度".into(),
        kind: "quarter".into(),
        starts_on: "2027-01-01".into(),
        ends_on: "2027-03-31".into(),
        setting_due_on: None,
    };
    let q = goals.create_period(&d.hr, period).await.unwrap();
    let mut input = private_okr(
        q.id,
        "完成营运指标",
        vec![numeric_kr("票款收入", Some("万元"), 0.0, 30.0), numeric_kr("月度趟次", Some("趟"), 0.0, 300.0)],
    );
    input.framework = "kpi".into();
    input.visibility = Some("public".into());
    let g = goals.create_goal(&d.employee, input).await.unwrap();

    // Written: my goals say so, with the drivers' safety indicators first.
    let mine = goals.my_goals(&d.employee, q.id).await.unwrap();
    let b = mine.balance.expect("fares and trips alone are results only");
    assert!(!b.suggestions.is_empty() && b.suggestions.len() <= 5);
    assert!(b.suggestions.iter().all(|s| s.dimension != "results"), "{:?}", b.suggestions);
    assert!(b.suggestions.iter().all(|s| s.job_family.as_deref() == Some("运输")), "{:?}", b.suggestions);
    assert_eq!(b.suggestions[0].dimension, "safety");
    // Submitted: the approver sees the same on the goal page.
    goals.submit(&d.employee, g.summary.id, SubmitInput { comment: None }).await.unwrap();
    let v = goals.view(&d.manager, g.summary.id).await.unwrap();
    assert_eq!(v.balance.as_ref().map(|b| b.suggestions.len()), Some(b.suggestions.len()));

    // Returned, the driver adds a suggested safety indicator from the library: no warning.
    let decide = waymark_app::goals::workflow::DecisionInput {
        decision: "return".into(),
        comment: Some("请补充安全指标".into()),
    };
    goals.decide(&d.manager, g.summary.id, decide).await.unwrap();
    let safety = b.suggestions[0].id;
    let add = KeyResultChange {
        key_result: KeyResultInput { library_item_id: Some(safety), weight: Some(20.0), ..Default::default() },
        reason: None,
    };
    goals.add_key_result(&d.employee, g.summary.id, add).await.unwrap();
    assert_eq!(goals.my_goals(&d.employee, q.id).await.unwrap().balance, None);
    assert_eq!(goals.view(&d.employee, g.summary.id).await.unwrap().balance, None);
});
