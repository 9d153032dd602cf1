//! What the service tests share: the demo organization on a fixed Monday with its people
//! signed in, signing in as a demo user, reading a validation error's fields, and a goal to
//! create with the fields a test cares about.

#![allow(dead_code)]

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use uuid::Uuid;
use waymark_app::AppConfig;
use waymark_app::accounts::NewUser;
use waymark_app::clock::FixedClock;
use waymark_app::demo::{DEMO_PASSWORD, DemoOptions};
use waymark_app::goals::GoalInput;
use waymark_app::goals::convert::KeyResultInput;
use waymark_app::policy::Actor;
use waymark_app::{App, AppError};
use waymark_store::Db;

/// The 60-person demo (seed 7) on `db`, on Monday 30 November 2026 at 09:00 in Shanghai, with
/// the clock in the test's hands and the demo's five sign-ins.
pub struct Demo {
    pub app: App,
    pub clock: Arc<FixedClock>,
    pub manager: Actor,
    pub employee: Actor,
    pub hr: Actor,
    pub ceo: Actor,
    pub admin: Actor,
}

pub async fn monday_demo(db: Db) -> Demo {
    monday_demo_of(db, 60).await
}

/// The Monday demo with `employees` people (200 has units of seven and more).
pub async fn monday_demo_of(db: Db, employees: usize) -> Demo {
    let clock = Arc::new(FixedClock::at(Utc.with_ymd_and_hms(2026, 11, 30, 1, 0, 0).unwrap()));
    let app = App::new(db, clock.clone(), AppConfig::default());
    app.create_demo(&DemoOptions { employees, seed: 7, ..Default::default() }).await.unwrap();
    Demo {
        manager: login(&app, "manager").await,
        employee: login(&app, "employee").await,
        hr: login(&app, "hr").await,
        ceo: login(&app, "executive").await,
        admin: login(&app, "admin").await,
        app,
        clock,
    }
}

/// A demo user, signed in.
pub async fn login(app: &App, user: &str) -> Actor {
    app.accounts().login(user, DEMO_PASSWORD, "127.0.0.1").await.unwrap().1
}

/// Gives the employee an account and signs them in.
pub async fn sign_up(app: &App, employee_no: &str, username: &str) -> Actor {
    let u = NewUser { username, display_name: None, password: DEMO_PASSWORD, employee_no: Some(employee_no) };
    app.accounts().create_user(&Actor::system("test"), u).await.unwrap();
    login(app, username).await
}

/// The (field, code) pairs of a validation error; any other error fails the test.
pub fn fields(e: AppError) -> Vec<(String, String)> {
    match e {
        AppError::Invalid(issues) => issues.into_iter().map(|i| (i.field, i.code)).collect(),
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// A numeric key result from `start` to `target`, carrying all of the goal's weight.
pub fn numeric_kr(title: &str, unit: Option<&str>, start: f64, target: f64) -> KeyResultInput {
    KeyResultInput {
        title: title.into(),
        kind: "numeric".into(),
        unit_label: unit.map(Into::into),
        start: Some(start),
        target: Some(target),
        weight: Some(100.0),
        ..Default::default()
    }
}

/// A private OKR of the actor creating it, with these key results, aligned to nothing.
pub fn private_okr(period_id: Uuid, title: &str, key_results: Vec<KeyResultInput>) -> GoalInput {
    GoalInput {
        period_id,
        title: title.into(),
        description: None,
        framework: "okr".into(),
        level: None,
        unit_id: None,
        owner_ids: vec![],
        visibility: Some("private".into()),
        is_key: None,
        weight: None,
        progress_source: None,
        due_on: None,
        key_results,
        aligned_to: vec![],
    }
}

/// A person's record as HR's form would send it back unchanged, under the manager `boss`: a
/// test changes the fields it needs.
pub async fn employee_input(
    c: &waymark_store::sea_orm::DatabaseConnection,
    id: Uuid,
    boss: Uuid,
) -> waymark_app::org::EmployeeInput {
    use waymark_store::repo::org as org_repo;
    let e = org_repo::employee(c, id).await.unwrap().unwrap();
    let manager_no = org_repo::employee(c, boss).await.unwrap().unwrap().employee_no;
    waymark_app::org::EmployeeInput {
        employee_no: e.employee_no,
        name: e.name,
        email: e.email,
        unit_id: e.unit_id,
        manager_no: Some(manager_no),
        job_family: e.job_family,
        career_track: e.career_track.map(|t| t.as_str().to_string()),
        level: e.level,
        location: e.location,
        hire_date: e.hire_date.to_string(),
        probation_end: e.probation_end.map(|d| d.to_string()),
    }
}
