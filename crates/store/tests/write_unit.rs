//! Issue 24: the write unit. A change's audit records are appended to the chain as the write
//! commits — after the change's own statements, chained and keyed — and a write that is dropped
//! leaves neither the change nor its records. On SQLite and PostgreSQL.

use chrono::Utc;
use uuid::Uuid;
use waymark_domain::audit::ChainVerifier;
use waymark_domain::org::Unit;
use waymark_store::repo::audit::{self, NewAudit};
use waymark_store::repo::org;
use waymark_store::{Db, dual_test};

fn unit(name: &str) -> Unit {
    let now = Utc::now();
    Unit {
        id: Uuid::now_v7(),
        code: None,
        name: name.into(),
        parent_id: None,
        kind: "team".into(),
        sort_order: 0,
        created_at: now,
        updated_at: now,
    }
}

fn record(u: &Unit, action: &str) -> NewAudit {
    NewAudit {
        id: Uuid::now_v7(),
        occurred_at: Utc::now().to_rfc3339(),
        actor: "test".into(),
        actor_user_id: None,
        entity_type: "unit".into(),
        entity_id: u.id.to_string(),
        subject_employee_id: None,
        action: action.into(),
        before: None,
        after: Some(format!("{{\"name\":\"{}\"}}", u.name)),
        reason: None,
    }
}

dual_test!(a_change_and_its_records_are_written_together_or_not_at_all, |db: Db| async move {
    let key = [7u8; 32];
    db.set_audit_key(key);
    let start = audit::head(&db.conn).await.unwrap().seq;

    // Dropped: neither the unit nor its record.
    let dropped = unit("丢弃的团队");
    let tx = db.begin_write().await.unwrap();
    org::insert_unit(&*tx, dropped.clone()).await.unwrap();
    tx.audit(vec![record(&dropped, "create")]);
    drop(tx);
    assert!(org::unit(&db.conn, dropped.id).await.unwrap().is_none());
    assert_eq!(audit::head(&db.conn).await.unwrap().seq, start, "no record of a change that was not made");

    // Committed: the unit and both records, in the order they were made, chained under the key.
    let kept = unit("保留的团队");
    let tx = db.begin_write().await.unwrap();
    tx.audit(vec![record(&kept, "create")]);
    org::insert_unit(&*tx, kept.clone()).await.unwrap();
    tx.audit(vec![record(&kept, "update")]);
    // Not in the chain before the commit, even inside the write.
    assert_eq!(audit::head(&*tx).await.unwrap().seq, start);
    tx.commit().await.unwrap();
    assert!(org::unit(&db.conn, kept.id).await.unwrap().is_some());
    let head = audit::head(&db.conn).await.unwrap();
    assert_eq!(head.seq, start + 2);
    let written = audit::page_after(&db.conn, start, 10).await.unwrap();
    let actions: Vec<&str> = written.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["create", "update"]);
    assert!(written.iter().all(|r| r.entity_id == kept.id.to_string()));
    // The whole chain verifies under the key from the first record.
    let all = audit::page_after(&db.conn, 0, 10_000).await.unwrap();
    let mut v = ChainVerifier::keyed(key);
    for r in &all {
        audit::verify_record(&mut v, r).unwrap();
    }
    assert_eq!(all.last().unwrap().hash, head.hash);

    // A write without records commits as before and leaves the chain alone.
    let quiet = unit("无记录的团队");
    let tx = db.begin_write().await.unwrap();
    org::insert_unit(&*tx, quiet.clone()).await.unwrap();
    tx.commit().await.unwrap();
    assert_eq!(audit::head(&db.conn).await.unwrap().seq, start + 2);
});
