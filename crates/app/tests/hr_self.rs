//! Issue 21, item 4: HR who is also an employee acts on their own records as any employee
//! does — through the services, over real databases.

mod common;

use common::*;
use waymark_app::AppError;
use waymark_app::feedback::FeedbackInput;
use waymark_app::org::EmployeeInput;
use waymark_app::reviews::PotentialInput;
use waymark_store::repo::{org as org_repo, reviews as review_repo};
use waymark_store::{Db, dual_test};

fn refused<T: std::fmt::Debug>(r: Result<T, AppError>) -> bool {
    matches!(r, Err(AppError::Forbidden) | Err(AppError::NotFound(_)))
}

dual_test!(issue21_hr_about_themselves_is_an_employee, |db: Db| async move {
    let d = monday_demo(db).await;
    let opts = waymark_app::demo::DemoOptions { employees: 60, seed: 7, ..Default::default() };
    d.app.create_demo_goals(&opts).await.unwrap().expect("the demo's goals and its review cycle");
    let c = &d.app.db.conn;
    let me = d.hr.employee_id.expect("the demo's HR is an employee");
    let record = org_repo::employee(c, me).await.unwrap().unwrap();
    let boss_id = record.manager_id.expect("HR has a manager");
    let boss_no = org_repo::employee(c, boss_id).await.unwrap().unwrap().employee_no;
    let boss = match waymark_store::repo::accounts::user_by_employee(c, boss_id).await.unwrap() {
        Some(u) => login(&d.app, &u.username).await,
        None => sign_up(&d.app, &boss_no, "hr-boss").await,
    };

    // Manager-only feedback about HR: the giver reads it, HR does not.
    let fb = FeedbackInput {
        recipient_id: me,
        kind: "improvement".into(),
        visibility: "manager".into(),
        template: "free".into(),
        parts: vec!["汇报时可以更聚焦结论，先讲结论再讲过程。".into()],
        goal_id: None,
        request_id: None,
    };
    let given = d.app.feedback().give(&boss, fb).await.unwrap();
    assert!(d.app.feedback().get(&boss, given.id).await.is_ok());
    assert!(refused(d.app.feedback().get(&d.hr, given.id).await), "HR reads manager-only feedback about themselves");

    // HR's own level: not theirs to change.
    let input = EmployeeInput {
        employee_no: record.employee_no.clone(),
        name: record.name.clone(),
        email: record.email.clone(),
        unit_id: record.unit_id,
        manager_no: Some(boss_no.clone()),
        job_family: record.job_family.clone(),
        career_track: record.career_track.map(|t| t.as_str().to_string()),
        level: Some("M9".into()),
        location: record.location.clone(),
        hire_date: record.hire_date.to_string(),
        ..EmployeeInput::default()
    };
    assert!(refused(d.app.org().update_employee(&d.hr, me, input, None).await), "HR raises their own level");

    // HR's own unreleased result and potential.
    let r = d.app.reviews();
    let cycle = r.cycles(&d.hr).await.unwrap().remove(0);
    let mine = review_repo::participants(c, cycle.id).await.unwrap().into_iter().find(|p| p.employee_id == me).unwrap();
    assert!(refused(r.result(&d.hr, mine.id).await), "HR reads their own result before release");
    let potential = PotentialInput { level: "high".into(), rationale: "自评".into() };
    assert!(refused(r.assess_potential(&d.hr, mine.id, potential).await), "HR assesses their own potential");
    // Their manager may do both.
    assert!(r.result(&boss, mine.id).await.is_ok());
    // The audit log HR browses leaves out what was recorded about themselves.
    let about_me = d
        .app
        .audit()
        .list(&d.hr, waymark_app::audit::AuditFilter { subject_employee_id: Some(me), ..Default::default() })
        .await
        .unwrap();
    assert!(about_me.is_empty(), "{} records about HR shown to HR", about_me.len());
});
