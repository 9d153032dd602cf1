//! O-3: the reporting-line and unit closures stay right through inserts and moves,
//! on SQLite and PostgreSQL.

use chrono::{NaiveDate, Utc};
use uuid::Uuid;
use waymark_domain::org::{Employee, EmployeeStatus, Unit};
use waymark_store::repo::org;
use waymark_store::{Db, dual_test};

fn unit_row(name: &str, parent: Option<Uuid>) -> Unit {
    let now = Utc::now();
    Unit {
        id: Uuid::now_v7(),
        code: None,
        name: name.into(),
        parent_id: parent,
        kind: "team".into(),
        sort_order: 0,
        created_at: now,
        updated_at: now,
    }
}

fn person(no: &str, unit: Uuid, manager: Option<Uuid>) -> Employee {
    let now = Utc::now();
    Employee {
        id: Uuid::now_v7(),
        employee_no: no.into(),
        name: format!("员工{no}"),
        email: None,
        unit_id: unit,
        manager_id: manager,
        job_family: None,
        career_track: None,
        level: None,
        location: None,
        hire_date: NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(),
        probation_end: None,
        status: EmployeeStatus::Active,
        status_since: None,
        created_at: now,
        updated_at: now,
    }
}

dual_test!(o3_reporting_line_follows_manager_changes, |db: Db| async move {
    let tx = db.begin_write().await.unwrap();
    let root = org::insert_unit(&*tx, unit_row("公司", None)).await.unwrap();
    // ceo ← a ← a1 ← a11 ; ceo ← b
    let ceo = person("1", root.id, None);
    let a = person("2", root.id, Some(ceo.id));
    let b = person("3", root.id, Some(ceo.id));
    let a1 = person("4", root.id, Some(a.id));
    let a11 = person("5", root.id, Some(a1.id));
    for p in [&ceo, &a, &b, &a1, &a11] {
        org::insert_employee(&*tx, p.clone()).await.unwrap();
    }
    tx.commit().await.unwrap();
    let c = &db.conn;
    let mut all = org::all_reports(c, ceo.id).await.unwrap();
    all.sort();
    let mut expected = vec![a.id, b.id, a1.id, a11.id];
    expected.sort();
    assert_eq!(all, expected);
    assert_eq!(org::chain_of_command(c, a11.id).await.unwrap(), vec![a1.id, a.id, ceo.id]);

    // Move a1 (with a11) under b: a no longer manages them, b does, the CEO still does.
    let tx = db.begin_write().await.unwrap();
    let moved = Employee { manager_id: Some(b.id), ..a1.clone() };
    org::update_employee(&*tx, &a1, moved).await.unwrap();
    tx.commit().await.unwrap();
    assert!(org::all_reports(c, a.id).await.unwrap().is_empty());
    assert!(org::manages(c, b.id, a11.id).await.unwrap());
    assert!(!org::manages(c, a.id, a11.id).await.unwrap());
    assert_eq!(org::chain_of_command(c, a11.id).await.unwrap(), vec![a1.id, b.id, ceo.id]);
    assert_eq!(org::count_all_reports(c, ceo.id).await.unwrap(), 4);
});

dual_test!(o1_unit_tree_any_depth_and_moves, |db: Db| async move {
    let tx = db.begin_write().await.unwrap();
    let co = org::insert_unit(&*tx, unit_row("公司", None)).await.unwrap();
    let bu = org::insert_unit(&*tx, unit_row("事业部", Some(co.id))).await.unwrap();
    let dept = org::insert_unit(&*tx, unit_row("部门", Some(bu.id))).await.unwrap();
    let team = org::insert_unit(&*tx, unit_row("团队", Some(dept.id))).await.unwrap();
    let squad = org::insert_unit(&*tx, unit_row("小组", Some(team.id))).await.unwrap();
    tx.commit().await.unwrap();
    let c = &db.conn;
    assert_eq!(org::unit_ancestors(c, squad.id).await.unwrap(), vec![team.id, dept.id, bu.id, co.id]);
    assert_eq!(org::unit_subtree(c, dept.id).await.unwrap().len(), 3);
    // Move the team (and its squad) directly under the company.
    let tx = db.begin_write().await.unwrap();
    org::update_unit(&*tx, &team, Unit { parent_id: Some(co.id), ..team.clone() }).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(org::unit_ancestors(c, squad.id).await.unwrap(), vec![team.id, co.id]);
    assert!(!org::unit_is_below(c, dept.id, squad.id).await.unwrap());
    assert_eq!(org::unit_subtree(c, dept.id).await.unwrap(), vec![dept.id]);
});
