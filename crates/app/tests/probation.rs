//! Probation 1-3-6 (V-8) over real databases: a new hire's probation checked against Labour
//! Contract Law art. 19, the checkpoints held by the manager, the reminders, an extension
//! within the cap and the conversion; who may do what.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use waymark_app::AppError;
use waymark_app::jobs::Worker;
use waymark_app::org::EmployeeInput;
use waymark_app::probation::{ConversionInput, ConversionOutcome, ProbationInput, ProbationNoteInput};
use waymark_store::repo::{audit, inbox, org as org_repo};
use waymark_store::{Db, dual_test};

use common::{fields, monday_demo};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

dual_test!(v8_probation_checked_held_reminded_extended_and_converted, |db: Db| async move {
    let d = monday_demo(db).await;
    let c = &d.app.db.conn;
    let pr = d.app.probation();
    // A new hire in the manager's team, hired Monday 16 November 2026, with an account.
    let boss = org_repo::employee(c, d.manager.employee_id.unwrap()).await.unwrap().unwrap();
    let input = EmployeeInput {
        employee_no: "N2026".into(),
        name: "新同事".into(),
        unit_id: boss.unit_id,
        manager_no: Some(boss.employee_no.clone()),
        hire_date: "2026-11-16".into(),
        ..EmployeeInput::default()
    };
    let hire = d.app.org().create_employee(&d.hr, input).await.unwrap();
    let newcomer = common::sign_up(&d.app, "N2026", "newcomer").await;
    let terms = |contract: &str, contract_months: Option<u32>, months| ProbationInput {
        contract: contract.into(),
        contract_months,
        months,
    };

    // ---- art. 19: the cap for the contract; HR only ----
    assert!(matches!(pr.start(&d.manager, hire.id, terms("open_ended", None, 6)).await, Err(AppError::Forbidden)));
    for (t, field, code) in [
        (terms("fixed", Some(24), 3), "months", "probation_too_long"),
        (terms("fixed", Some(2), 1), "months", "probation_too_long"),
        (terms("task", None, 1), "months", "probation_too_long"),
        (terms("fixed", None, 1), "contract", "invalid"),
        (terms("fixed", Some(24), 0), "months", "required"),
    ] {
        assert_eq!(fields(pr.start(&d.hr, hire.id, t).await.unwrap_err()), [(field.into(), code.into())]);
    }
    // A two-year contract, one month: checkpoints on 16 December (the conversion, the same day
    // as month 1), then months 3 and 6 of the 1-3-6 follow-up.
    let p = pr.start(&d.hr, hire.id, terms("fixed", Some(24), 1)).await.unwrap();
    assert_eq!((p.ends_on, p.max_months, p.state.as_str()), (day(2026, 12, 16), 2, "in_progress"));
    assert_eq!(
        p.checkpoints.iter().map(|k| (k.focus.as_str(), k.due_on)).collect::<Vec<_>>(),
        [("conversion", day(2026, 12, 16)), ("delivery", day(2027, 2, 16)), ("potential", day(2027, 5, 16))]
    );
    let e = org_repo::employee(c, hire.id).await.unwrap().unwrap();
    assert_eq!(e.probation_end, Some(day(2026, 12, 16)), "the person's record carries the end");
    assert_eq!(
        fields(pr.start(&d.hr, hire.id, terms("open_ended", None, 6)).await.unwrap_err()),
        [("employee_id".into(), "probation_repeated".into())]
    );
    // A state written by hand that we do not know is refused as unreadable (issue 24), not read
    // as a probation still to decide.
    {
        use waymark_store::entities::probation;
        use waymark_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        let set = |state: &'static str| {
            probation::Entity::update_many()
                .col_expr(probation::Column::State, Expr::value(state))
                .filter(probation::Column::Id.eq(p.id))
        };
        set("pending").exec(c).await.unwrap();
        assert!(matches!(pr.of_person(&d.hr, hire.id).await, Err(AppError::Store(_))));
        set("in_progress").exec(c).await.unwrap();
    }
    // The person reads it; a colleague does not; the manager lists it.
    assert!(!pr.of_person(&newcomer, hire.id).await.unwrap().probation.unwrap().can_write);
    assert!(matches!(pr.of_person(&d.employee, hire.id).await, Err(AppError::NotFound(_))));
    assert_eq!(pr.in_progress(&d.manager).await.unwrap().iter().filter(|x| x.person.id == hire.id).count(), 1);
    // The home page's list: on 30 November the conversion (16 December) is not within two weeks;
    // it is within 16 days, for the manager and HR, never for the person themselves.
    let theirs = |v: Vec<waymark_app::probation::DueCheckpoint>| {
        v.into_iter().filter(|k| k.person.id == hire.id).map(|k| k.checkpoint.focus).collect::<Vec<_>>()
    };
    assert!(theirs(pr.due_soon(&d.manager, 14).await.unwrap()).is_empty());
    assert_eq!(theirs(pr.due_soon(&d.manager, 16).await.unwrap()), ["conversion"]);
    assert_eq!(theirs(pr.due_soon(&d.hr, 16).await.unwrap()), ["conversion"]);
    assert!(pr.due_soon(&newcomer, 16).await.unwrap().is_empty());

    // ---- the reminder of the conversion: the manager, Tuesday 15 December at 10:00 ----
    let worker = Worker::new(d.app.clone());
    let manager_user = d.manager.user_id.unwrap();
    let reminded = |kind: &'static str| async move {
        inbox::latest(c, manager_user, 50).await.unwrap().iter().filter(|n| n.kind == kind).count()
    };
    *d.clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 15, 1, 59, 0).unwrap();
    while worker.run_once().await.unwrap() > 0 {}
    assert_eq!(reminded("reminder-probation-conversion").await, 0);
    *d.clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 15, 2, 1, 0).unwrap();
    while worker.run_once().await.unwrap() > 0 {}
    assert_eq!(reminded("reminder-probation-conversion").await, 1);

    // ---- the conversion: extend once within the cap (2 months), then convert ----
    let decide = |o, months, note: &str| ConversionInput { outcome: o, months, note: note.into() };
    assert!(matches!(
        pr.decide(&newcomer, p.id, decide(ConversionOutcome::Convert, None, "x")).await,
        Err(AppError::Forbidden)
    ));
    for (input, code) in [
        (decide(ConversionOutcome::Extend, Some(3), "再看一个月"), "probation_too_long"),
        (decide(ConversionOutcome::Extend, Some(1), "再看一个月"), "not_longer"),
        (decide(ConversionOutcome::Extend, None, "再看一个月"), "required"),
    ] {
        assert_eq!(fields(pr.decide(&d.manager, p.id, input).await.unwrap_err()), [("months".into(), code.into())]);
    }
    let p = pr.decide(&d.manager, p.id, decide(ConversionOutcome::Extend, Some(2), "交付节奏还需观察")).await.unwrap();
    assert_eq!((p.ends_on, p.extended, p.state.as_str()), (day(2027, 1, 16), true, "in_progress"));
    assert_eq!(p.checkpoints.iter().find(|k| k.focus == "conversion").map(|k| k.due_on), Some(day(2027, 1, 16)));
    assert_eq!(
        fields(pr.decide(&d.manager, p.id, decide(ConversionOutcome::Extend, Some(2), "x")).await.unwrap_err()),
        [("months".into(), "already_extended".into())]
    );
    assert!(
        inbox::latest(c, newcomer.user_id.unwrap(), 20).await.unwrap().iter().any(|n| n.kind == "probation-extend")
    );
    // The old date's reminder is dropped: nothing more on 15 December's run, one on 15 January.
    *d.clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2027, 1, 15, 2, 1, 0).unwrap();
    while worker.run_once().await.unwrap() > 0 {}
    assert_eq!(reminded("reminder-probation-conversion").await, 2);
    // The month-3 checkpoint can be held ahead; the conversion only by deciding.
    let delivery = p.checkpoints.iter().find(|k| k.focus == "delivery").unwrap().id;
    let conversion = p.checkpoints.iter().find(|k| k.focus == "conversion").unwrap().id;
    let note = |s: &str| ProbationNoteInput { note: s.into() };
    assert_eq!(
        fields(pr.hold(&d.manager, conversion, note("x")).await.unwrap_err()),
        [("note".into(), "conversion".into())]
    );
    pr.hold(&d.manager, delivery, note("独立完成两个需求")).await.unwrap();
    let p = pr.decide(&d.manager, p.id, decide(ConversionOutcome::Convert, None, "适应良好，交付稳定")).await.unwrap();
    assert_eq!(p.state, "converted");
    assert_eq!(
        fields(pr.decide(&d.hr, p.id, decide(ConversionOutcome::NotConvert, None, "x")).await.unwrap_err()),
        [("outcome".into(), "decided".into())]
    );
    let log = audit::history(c, &[("probation", vec![p.id])]).await.unwrap();
    assert_eq!(log.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(), ["start", "decide", "checkpoint", "decide"]);
    assert!(log.iter().all(|a| a.subject_employee_id == Some(hire.id)));
});
