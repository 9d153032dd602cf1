//! Working hours and leave from the attendance system (SPEC I-4; issue 26, item 1) over real
//! databases: HR imports half a year of weeks for the people of their units — all or nothing,
//! each bad cell named, never their own —; a person working long and rising hours with no
//! leave for six months, whose results fell, gets a flight/burnout hint with exactly that
//! evidence, sees it with their weeks and answers it; their manager sees no name and no weeks;
//! HR looks with a reason, audited. Pushing the same weeks through the API path replaces them.

mod common;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::attendance::WeekInput;
use waymark_app::goals::PeriodInput;
use waymark_app::reviews::starter_template;
use waymark_domain::org::Employee;
use waymark_domain::reviews::cycle::{CycleState, ParticipantFilter, ReviewCycle, Stage, StageDates};
use waymark_domain::signals::{Factor, SignalKind, Windows};
use waymark_store::entities::review_participant;
use waymark_store::repo::{attendance as attendance_repo, audit, org as org_repo, reviews as review_repo};
use waymark_store::{Db, dual_test};

use common::{Demo, monday_demo};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// Half a year of weeks up to Monday 30 November: 44–45 hours until September, then 50 rising
/// to 61 for twelve weeks, and not a day of leave.
fn long_weeks_csv(employee_no: &str) -> String {
    let mut csv = String::from("工号,周,工时,休假天数\n");
    for i in 0..26 {
        let week = day("2026-06-01") + Duration::days(7 * i);
        let hours = if i < 14 { 44 + i % 2 } else { 50 + (i - 14) };
        csv.push_str(&format!("{employee_no},{week},{hours},0\n"));
    }
    csv
}

/// A finished cycle of an earlier half year with the person's released result, as a history
/// import would leave it (the 60-person demo has no finished cycle of its own).
async fn released_result(d: &Demo, person: &Employee, name: &str, score_bp: i32, at: DateTime<Utc>) {
    let c = &d.app.db.conn;
    let half = PeriodInput {
        name: name.into(),
        kind: "custom".into(),
        starts_on: (at.date_naive() - Duration::days(200)).to_string(),
        ends_on: (at.date_naive() - Duration::days(20)).to_string(),
        setting_due_on: None,
    };
    let period = d.app.goals().create_period(&d.hr, half).await.unwrap().id;
    let template = d.app.reviews().save_template(&d.hr, None, starter_template("zh-CN")).await.unwrap().id;
    let cycle = ReviewCycle {
        id: Uuid::now_v7(),
        name: name.into(),
        period_id: period,
        template_id: template,
        units: vec![],
        filter: ParticipantFilter::default(),
        state: CycleState::Launched,
        created_by: None,
        created_at: at,
        launched_at: Some(at),
    };
    let release = StageDates { stage: Stage::Release, opens_on: at.date_naive(), closes_on: at.date_naive() };
    review_repo::insert_cycle(c, cycle.clone(), &[release]).await.unwrap();
    let row = review_participant::Model {
        id: Uuid::now_v7(),
        cycle_id: cycle.id,
        employee_id: person.id,
        manager_id: person.manager_id,
        unit_id: person.unit_id,
        template_id: template,
        score_bp: Some(score_bp),
        grade: None,
        explanation: None,
        scored_at: Some(at),
        calibrated_grade: None,
        released_at: Some(at),
        released_by_name: Some("HR".into()),
        acknowledged_at: None,
        ack_comment: None,
        appeal_grade: None,
    };
    review_repo::insert_participants(c, vec![row]).await.unwrap();
}

dual_test!(i4_overtime_no_leave_and_falling_results_raise_a_hint_with_exactly_that_evidence, |db: Db| async move {
    let d = monday_demo(db).await;
    let c = &d.app.db.conn;
    let me = d.employee.employee_id.unwrap();
    let me_no = org_repo::employee(c, me).await.unwrap().unwrap().employee_no;
    let hr_no = org_repo::employee(c, d.hr.employee_id.unwrap()).await.unwrap().unwrap().employee_no;
    let imports = d.app.imports();

    // Only HR imports, for others: the manager is refused; HR's own number is not theirs to record.
    let csv = long_weeks_csv(&me_no);
    assert!(matches!(imports.import_attendance(&d.manager, csv.as_bytes(), None).await, Err(AppError::Forbidden)));
    let own = format!("工号,周,工时\n{hr_no},2026-11-23,40\n");
    let Err(AppError::Import(errors)) = imports.import_attendance(&d.hr, own.as_bytes(), None).await else {
        panic!("HR's own weeks are refused")
    };
    assert_eq!((errors[0].row, errors[0].column.as_str(), errors[0].problem.code()), (2, "工号", "unknown_owner"));

    // A bad row refuses the whole file, named by row and column; nothing is written.
    let before = attendance_repo::weeks_of(c, me, day("2026-06-01")).await.unwrap();
    let bad = format!("{csv}{me_no},2026-11-30,170,0\n");
    let Err(AppError::Import(errors)) = imports.import_attendance(&d.hr, bad.as_bytes(), Some("a.csv")).await else {
        panic!("a bad row refuses the file")
    };
    let got: Vec<(usize, &str, &str)> = errors.iter().map(|e| (e.row, e.column.as_str(), e.problem.code())).collect();
    assert_eq!(got, [(28, "工时", "invalid_hours")]);
    assert_eq!(attendance_repo::weeks_of(c, me, day("2026-06-01")).await.unwrap(), before, "nothing written");

    // The file as it is: 26 weeks, the demo's own weeks of the person replaced; audited on
    // the person's record.
    let s = imports.import_attendance(&d.hr, csv.as_bytes(), Some("考勤.csv")).await.unwrap();
    assert_eq!(s.created + s.updated + s.unchanged, 26, "{s:?}");
    let weeks = attendance_repo::weeks_of(c, me, day("2026-06-01")).await.unwrap();
    assert_eq!(weeks.len(), 26);
    assert_eq!((weeks[25].week, weeks[25].hours_tenths, weeks[25].leave_tenths), (day("2026-11-23"), 610, Some(0)));
    let log = audit::history(c, &[("work_week", vec![me])]).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].action.as_str(), log[0].subject_employee_id), ("record", Some(me)));

    // Two released results, the latest 15 points below the one before: results falling.
    let person = org_repo::employee(c, me).await.unwrap().unwrap();
    released_result(&d, &person, "2025 年度考核", 8_200, Utc.with_ymd_and_hms(2026, 1, 20, 2, 0, 0).unwrap()).await;
    released_result(&d, &person, "2026 上半年考核", 6_700, Utc.with_ymd_and_hms(2026, 7, 20, 2, 0, 0).unwrap()).await;

    // The rules: exactly the falling results, the long weeks and the leave not taken.
    let signals = d.app.signals();
    signals.compute(&d.hr).await.unwrap();
    let mine = signals.mine(&d.employee).await.unwrap();
    let v = mine.signals.iter().find(|v| v.signal.kind == SignalKind::FlightBurnout).expect("a hint");
    let codes: Vec<&str> = v.signal.evidence.iter().map(|e| e.factor.code()).collect();
    assert_eq!(codes, ["results_declining", "sustained_overtime", "no_leave_taken"]);
    assert_eq!(v.signal.points, 4);
    // Twelve weeks from 7 September over 49 hours, 55.5 on average against 44.5 before
    // (44 and 45 by turns over the twelve weeks from 15 June); 26 weeks without leave.
    assert_eq!(
        v.signal.evidence[1].factor,
        Factor::SustainedOvertime { weeks_over: 12, weeks: 12, average_tenths: 555, earlier_average_tenths: Some(445) }
    );
    assert_eq!((v.signal.evidence[1].from, v.signal.evidence[1].to), (day("2026-09-07"), day("2026-11-29")));
    assert_eq!(v.signal.evidence[2].factor, Factor::NoLeaveTaken { weeks: 26 });
    assert_eq!(v.suggestions, ["ask_what_changed", "check_workload", "encourage_leave"]);
    // The person sees the weeks the rules read; the manager does not, nor a named signal.
    assert_eq!(d.app.attendance().recent_weeks(&d.employee, me).await.unwrap().len(), 26);
    assert!(matches!(d.app.attendance().recent_weeks(&d.manager, me).await, Err(AppError::Forbidden)));
    assert!(!signals.overview(&d.manager).await.unwrap().listed.iter().any(|p| p.person.id == me));
    // They answer it; HR looks with a reason, and the look is kept.
    signals.answer(&d.employee, v.signal.id, "explain", "九月起在赶发布，十二月会调休").await.unwrap();
    let seen = signals.look(&d.hr, v.signal.id, Some("与主管讨论工作量")).await.unwrap();
    assert_eq!(seen.answers.len(), 1);
    let log = audit::history(c, &[("risk_signal", vec![v.signal.id])]).await.unwrap();
    assert_eq!((log[0].action.as_str(), log[0].reason.as_deref()), ("view", Some("与主管讨论工作量")));

    // Weeks pushed through the API replace the imported ones: a week off in November, and the
    // hint loses the leave fact at the next computation.
    let week = |w: &str, hours: f64, leave: Option<f64>| WeekInput {
        employee_no: me_no.clone(),
        week: w.into(),
        hours,
        leave_days: leave,
    };
    let s = d
        .app
        .attendance()
        .record(&d.hr, &[week("2026-W47", 0.0, Some(5.0)), week("2026-11-23", 61.0, Some(0.0))])
        .await
        .unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 1, 1));
    signals.compute(&d.hr).await.unwrap();
    let mine = signals.mine(&d.employee).await.unwrap();
    let v = mine.signals.iter().find(|v| v.signal.kind == SignalKind::FlightBurnout).expect("still a hint");
    let codes: Vec<&str> = v.signal.evidence.iter().map(|e| e.factor.code()).collect();
    assert_eq!(codes, ["results_declining", "sustained_overtime"], "11 of 12 weeks still over 49 hours");
    // HR moves them to another manager: a new manager joins the evidence, dated today.
    let input = common::employee_input(c, me, d.ceo.employee_id.unwrap()).await;
    d.app.org().update_employee(&d.hr, me, input, Some("调整汇报线".into())).await.unwrap();
    signals.compute(&d.hr).await.unwrap();
    let mine = signals.mine(&d.employee).await.unwrap();
    let v = mine.signals.iter().find(|v| v.signal.kind == SignalKind::FlightBurnout).expect("still a hint");
    let moved = v.signal.evidence.iter().find(|e| e.factor.code() == "manager_changed").expect("a new manager");
    assert_eq!((&moved.factor, moved.from), (&Factor::ManagerChanged { days: 0 }, day("2026-11-30")));
    assert!(v.suggestions.contains(&"meet_new_manager"));
    // A pushed week with a bad value: refused, numbered as a file row, nothing written.
    let Err(AppError::Import(errors)) =
        d.app.attendance().record(&d.hr, &[week("2026-11-16", 40.0, None), week("2026-11-23", f64::NAN, None)]).await
    else {
        panic!("NaN hours are refused")
    };
    assert_eq!((errors[0].row, errors[0].column.as_str()), (3, "hours"));

    // Two imports of the same new weeks at once: both succeed, and each week is kept once.
    let boss = d.manager.employee_id.unwrap();
    let boss_csv = long_weeks_csv(&org_repo::employee(c, boss).await.unwrap().unwrap().employee_no);
    let (a, b) = tokio::join!(
        imports.import_attendance(&d.hr, boss_csv.as_bytes(), None),
        imports.import_attendance(&d.hr, boss_csv.as_bytes(), None)
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.created + a.updated + a.unchanged + b.created + b.updated + b.unchanged, 52);
    assert_eq!(attendance_repo::weeks_of(c, boss, day("2026-06-01")).await.unwrap().len(), 26);
    // The same weeks from an export of hours alone: leave is no longer known, so the leave
    // window counts none of them (never "no leave taken" for want of a column).
    let hours_only: String = boss_csv.lines().map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n").collect();
    imports.import_attendance(&d.hr, hours_only.as_bytes(), None).await.unwrap();
    let tallies = attendance_repo::tallies(c, &Windows::new(d.app.today())).await.unwrap();
    let boss_work = tallies.iter().find(|(id, _)| *id == boss).unwrap().1;
    assert_eq!((boss_work.recent.weeks, boss_work.leave.weeks, boss_work.leave.leave_tenths), (12, 0, 0));
});
