//! Goal import over real databases (SPEC G-8): rows grouped into goals written as drafts; every
//! refused cell named by row and column (unknown owner, a key-result rule, a goal already there);
//! nothing half-written; only HR imports.

use std::sync::Arc;

use chrono::TimeZone;
use waymark_app::clock::FixedClock;
use waymark_app::demo::{DEMO_PASSWORD, DemoOptions};
use waymark_app::goals::PeriodInput;
use waymark_app::{App, AppConfig, AppError};
use waymark_store::{Db, dual_test};

dual_test!(g8_goals_import_from_csv_all_or_nothing, |db: Db| async move {
    let clock = FixedClock::at(chrono::Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap());
    let app = App::new(db, Arc::new(clock), AppConfig::default());
    app.create_demo(&DemoOptions { employees: 60, seed: 5, ..Default::default() }).await.unwrap();
    let login = |u: &'static str| {
        let app = app.clone();
        async move { app.accounts().login(u, DEMO_PASSWORD, "127.0.0.1").await.unwrap().1 }
    };
    let (hr, employee) = (login("hr").await, login("employee").await);
    let q4 = PeriodInput {
        name: "2026 Q4".into(),
        kind: "quarter".into(),
        starts_on: "2026-10-01".into(),
        ends_on: "2026-12-31".into(),
        setting_due_on: None,
    };
    let q4 = app.goals().create_period(&hr, q4).await.unwrap();
    let me = app.org().profile(&employee, employee.employee_id.unwrap()).await.unwrap().card.employee_no;
    let good = format!(
        "负责人工号,周期,目标,目标类型,关键结果,起始值,目标值,单位,权重\n\
         {me},2026 Q4,提升续约率,OKR,续约客户数,0,40,家,60\n\
         ,,,,大客户回访,0,20,次,40\n\
         {me},2026 Q4,服务质量,KPI,满意度,80,90,分,\n"
    );
    assert!(matches!(
        app.imports().import_goals(&employee, good.as_bytes(), Some("g.csv")).await,
        Err(AppError::Forbidden)
    ));
    let s = app.imports().import_goals(&hr, good.as_bytes(), Some("g.csv")).await.unwrap();
    assert_eq!(s.created, 2);
    let mine = app.goals().my_goals(&employee, q4.id).await.unwrap();
    assert_eq!(
        mine.goals.iter().map(|g| (g.title.as_str(), g.status.as_str())).collect::<Vec<_>>(),
        [("提升续约率", "draft"), ("服务质量", "draft")]
    );
    let okr = app.goals().view(&employee, mine.goals[0].id).await.unwrap();
    assert_eq!(okr.key_results.iter().map(|k| k.weight_effective).collect::<Vec<_>>(), [60.0, 40.0]);

    // Again, with mistakes: every one named; nothing written.
    let bad = format!(
        "负责人工号,周期,目标,目标类型,关键结果,起始值,目标值\n\
         {me},2026 Q4,提升续约率,OKR,重复,0,1\n\
         NOBODY,2026 Q4,新目标,OKR,k,0,1\n\
         {me},2026 Q4,持平目标,OKR,持平,5,5\n\
         {me},2026 Q4,正常目标,OKR,k,0,1\n"
    );
    let AppError::Import(errs) = app.imports().import_goals(&hr, bad.as_bytes(), Some("g.csv")).await.unwrap_err()
    else {
        panic!("expected row errors")
    };
    let got: Vec<(usize, &str, &str)> = errs.iter().map(|e| (e.row, e.column.as_str(), e.problem.code())).collect();
    assert_eq!(got, vec![(3, "负责人工号", "unknown_owner")], "owner errors come first, before the rules");
    let bad = bad.replace("NOBODY", &me);
    let AppError::Import(errs) = app.imports().import_goals(&hr, bad.as_bytes(), Some("g.csv")).await.unwrap_err()
    else {
        panic!("expected row errors")
    };
    let got: Vec<(usize, &str, &str)> = errs.iter().map(|e| (e.row, e.column.as_str(), e.problem.code())).collect();
    assert_eq!(got, vec![(2, "目标", "duplicate_goal"), (4, "目标值", "target_equals_start")]);
    assert_eq!(app.goals().my_goals(&employee, q4.id).await.unwrap().goals.len(), 2, "nothing half-written");
});
