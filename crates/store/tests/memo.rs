//! Issue 23: inside a read memo a page's parts share each read; a write begun inside it ends the
//! sharing, and outside it every read goes to the database. On SQLite and PostgreSQL.

use chrono::{NaiveDate, Utc};
use uuid::Uuid;
use waymark_domain::goals::period::{Period, PeriodKind};
use waymark_store::repo::goals;
use waymark_store::{Db, dual_test, memo};

fn period(name: &str) -> Period {
    Period {
        id: Uuid::now_v7(),
        name: name.into(),
        kind: PeriodKind::Quarter,
        starts_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
        ends_on: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        setting_due_on: None,
        created_at: Utc::now(),
    }
}

dual_test!(q1_a_page_reads_each_fact_once_and_its_own_writes_afresh, |db: Db| async move {
    goals::insert_period(&db.conn, period("2026 Q4")).await.unwrap();
    let names = |ps: Vec<Period>| ps.into_iter().map(|p| p.name).collect::<Vec<_>>();

    memo::within(async {
        assert_eq!(names(goals::periods(&db.conn).await.unwrap()), ["2026 Q4"]);
        // Changed behind the page's back (another request): the page keeps what it read, so
        // its parts agree with each other.
        goals::insert_period(&db.conn, period("2027 Q1")).await.unwrap();
        let (a, b) = tokio::join!(goals::periods(&db.conn), goals::periods(&db.conn));
        assert_eq!((a.unwrap().len(), b.unwrap().len()), (1, 1), "shared, also by parts running at once");
        // A write begun inside the scope: from then on every read is fresh.
        let tx = db.begin_write().await.unwrap();
        goals::insert_period(&*tx, period("2027 Q2")).await.unwrap();
        tx.commit().await.unwrap();
        assert_eq!(goals::periods(&db.conn).await.unwrap().len(), 3);
    })
    .await;

    // Outside a scope nothing is kept.
    goals::insert_period(&db.conn, period("2027 Q3")).await.unwrap();
    assert_eq!(goals::periods(&db.conn).await.unwrap().len(), 4);
    memo::within(async {
        assert_eq!(goals::periods(&db.conn).await.unwrap().len(), 4, "a new scope reads afresh");
    })
    .await;
});
