//! the monthly kudos flow is counted as kudos are given, and the migration that added it
//! counts the kudos given before it, on SQLite and PostgreSQL.

use chrono::{Datelike, NaiveDate, TimeZone, Utc};
use sea_orm_migration::MigratorTrait;
use uuid::Uuid;
use waymark_domain::org::{Employee, EmployeeStatus, Unit};
use waymark_store::entities::kudos;
use waymark_store::migration::Migrator;
use waymark_store::repo::{org, recognition};
use waymark_store::{Db, dual_test};

fn person(no: &str, unit: Uuid) -> Employee {
    let now = Utc::now();
    Employee {
        id: Uuid::now_v7(),
        employee_no: no.into(),
        name: format!("员工{no}"),
        email: None,
        unit_id: unit,
        manager_id: None,
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

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

dual_test!(r3_flow_counts_kudos_per_month_and_the_migration_counts_earlier_ones, |db: Db| async move {
    let now = Utc::now();
    let tx = db.begin_write().await.unwrap();
    let u = Unit {
        id: Uuid::now_v7(),
        code: None,
        name: "团队".into(),
        parent_id: None,
        kind: "team".into(),
        sort_order: 0,
        created_at: now,
        updated_at: now,
    };
    let u = org::insert_unit(&*tx, u).await.unwrap();
    let (a, b, c) = (person("1", u.id), person("2", u.id), person("3", u.id));
    for p in [&a, &b, &c] {
        org::insert_employee(&*tx, p.clone()).await.unwrap();
    }
    let value = recognition::values(&*tx).await.unwrap()[0].id;
    // a thanks b twice in October (once with c), b thanks a once in November. 31 October 17:00 UTC
    // is 1 November 01:00 in Beijing: a November kudos for the organization.
    let given = [
        (a.id, Utc.with_ymd_and_hms(2026, 10, 3, 2, 0, 0).unwrap(), vec![b.id, c.id], day(10, 1)),
        (a.id, Utc.with_ymd_and_hms(2026, 10, 20, 2, 0, 0).unwrap(), vec![b.id], day(10, 1)),
        (b.id, Utc.with_ymd_and_hms(2026, 10, 31, 17, 0, 0).unwrap(), vec![a.id], day(11, 1)),
    ];
    for (giver, at, to, month) in &given {
        let k = kudos::Model {
            id: Uuid::now_v7(),
            giver_id: *giver,
            audience: "organization".into(),
            message: "谢谢".into(),
            created_at: *at,
        };
        recognition::insert_kudos(&*tx, k, *month, to, &[value]).await.unwrap();
    }
    tx.commit().await.unwrap();
    let mut expected = vec![(day(10, 1), a.id, b.id, 2), (day(10, 1), a.id, c.id, 1), (day(11, 1), b.id, a.id, 1)];
    expected.sort();
    let read = |db: Db| async move {
        let mut f = recognition::flows(&db.conn, day(10, 1), day(1, 1).with_year(2027).unwrap()).await.unwrap();
        f.sort();
        f
    };
    assert_eq!(read(db.clone()).await, expected);
    // Only the months asked for.
    assert_eq!(recognition::flows(&db.conn, day(11, 1), day(12, 1)).await.unwrap(), vec![expected[2]]);
    let mut received = recognition::received_between(&db.conn, day(10, 1), day(12, 1)).await.unwrap();
    received.sort();
    let mut want = vec![(b.id, 2), (c.id, 1), (a.id, 1)];
    want.sort();
    assert_eq!(received, want);
    // Undo the migration and apply it again: the kudos already given are counted, in the
    // organization's local months (UTC+8 by default).
    // Down to before the kudos flow migration (the migrations after it go down with it).
    let all: Vec<String> = Migrator::migrations().iter().map(|m| m.name().to_string()).collect();
    let kudos = all.iter().position(|n| n == "m0018_kudos_flow").expect("the kudos flow migration");
    Migrator::down(&db.conn, Some((all.len() - kudos) as u32)).await.unwrap();
    Migrator::up(&db.conn, None).await.unwrap();
    assert_eq!(read(db.clone()).await, expected);
});
