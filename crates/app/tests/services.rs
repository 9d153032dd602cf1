//! Services over real databases (SQLite and PostgreSQL): import (O-4), audit chain (P-2),
//! reporting lines (O-3) and the policy as the services apply it (§0).

mod common;

use std::sync::Arc;

use chrono::TimeZone;
use waymark_app::audit::Verification;
use waymark_app::clock::FixedClock;
use waymark_app::demo::DemoOptions;
use waymark_app::org::{EmployeeInput, StatusChange, UnitInput};
use waymark_app::policy::Actor;
use waymark_app::{App, AppConfig, AppError};
use waymark_domain::audit::ChainBreak;
use waymark_store::sea_orm::ConnectionTrait;
use waymark_store::{Db, dual_test};

fn app(db: Db) -> App {
    let clock = FixedClock::at(chrono::Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap());
    App::new(db, Arc::new(clock), AppConfig { import_max_bytes: 64 * 1024, ..AppConfig::default() })
}

fn hr() -> Actor {
    Actor::system("test")
}

async fn root_unit(app: &App) -> uuid::Uuid {
    app.org()
        .create_unit(
            &hr(),
            UnitInput { name: "公司".into(), code: Some("HQ".into()), parent_id: None, kind: "company".into() },
        )
        .await
        .unwrap()
        .id
}

/// A root unit and `n` people in it (numbers `{prefix}0…`): one audit record each, and one for the unit.
async fn hire_people(app: &App, prefix: &str, n: usize) {
    let root = root_unit(app).await;
    for i in 0..n {
        let input = EmployeeInput {
            employee_no: format!("{prefix}{i}"),
            name: format!("员工{prefix}{i}"),
            unit_id: root,
            hire_date: "2024-01-02".into(),
            ..EmployeeInput::default()
        };
        app.org().create_employee(&hr(), input).await.unwrap();
    }
}

const GOOD_CSV: &str = "工号,姓名,邮箱,部门,直属上级工号,岗位族,职业序列,职级,入职日期,试用期结束日期,状态\n\
E1,王伟,wang.wei@corp.cn,HQ,,职能支持,管理序列,M5,2020-01-01,2020-07-01,在职\n\
E2,李娜,li.na@corp.cn,公司/研发部,E1,产品/研发,技术序列,P6,2024/3/1,2024-09-01,在职\n\
E3,张敏,,研发部,E2,产品/研发,技术序列,P4,2025-05-06,,休假\n";

dual_test!(o4_import_gbk_csv_then_reimport_updates_by_number, |db: Db| async move {
    let app = app(db);
    let root = root_unit(&app).await;
    app.org()
        .create_unit(
            &hr(),
            UnitInput { name: "研发部".into(), code: None, parent_id: Some(root), kind: "department".into() },
        )
        .await
        .unwrap();
    // Excel in China saves CSV as GBK: the same content must import.
    let (gbk, _, bad) = encoding_rs::GBK.encode(GOOD_CSV);
    assert!(!bad);
    let s = app.imports().import_employees(&hr(), &gbk, Some("people.csv")).await.unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (3, 0, 0));
    let e3 = app.org().employee_id_by_no(&hr(), "E3").await.unwrap();
    let e1 = app.org().employee_id_by_no(&hr(), "E1").await.unwrap();
    let chain: Vec<_> = app.org().profile(&hr(), e3).await.unwrap().chain.into_iter().map(|c| c.employee_no).collect();
    assert_eq!(chain, vec!["E2", "E1"]);
    assert_eq!(app.org().all_reports(&hr(), e1).await.unwrap().len(), 2);

    // Re-import with a UTF-8 BOM: E3 moves to report to E1 directly, E2 unchanged, E1 unchanged.
    let second = GOOD_CSV.replace("E3,张敏,,研发部,E2", "E3,张敏,,研发部,E1");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(second.as_bytes());
    let s = app.imports().import_employees(&hr(), &bytes, None).await.unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 1, 2));
    let e2 = app.org().employee_id_by_no(&hr(), "E2").await.unwrap();
    assert!(app.org().all_reports(&hr(), e2).await.unwrap().is_empty());
    let p = app.org().profile(&hr(), e3).await.unwrap();
    assert_eq!(p.chain.len(), 1);
    assert_eq!(p.record.unwrap().status_history.len(), 1, "status unchanged: no new history");
    assert!(matches!(app.audit().verify().await.unwrap(), Verification::Intact { .. }));
});

dual_test!(o4_q2_a_bad_row_writes_nothing, |db: Db| async move {
    let app = app(db);
    root_unit(&app).await;
    let csv = "工号,姓名,部门,直属上级工号,入职日期\nE1,甲,HQ,,2020-01-01\nE2,乙,HQ,E1,2020-02-30\nE3,丙,火星,E1,2020-01-01\n";
    let err = app.imports().import_employees(&hr(), csv.as_bytes(), None).await.unwrap_err();
    let AppError::Import(rows) = err else { panic!("expected import errors, got {err:?}") };
    let found: Vec<(usize, &str, &str)> = rows.iter().map(|r| (r.row, r.column.as_str(), r.problem.code())).collect();
    assert_eq!(found, vec![(3, "入职日期", "invalid_date"), (4, "部门", "unknown_unit")]);
    assert_eq!(app.org().search(&hr(), None, None, true, 0, 10).await.unwrap().total, 0, "nothing was written");
    // A column Waymark does not read refuses the file, naming it, unless the importer chose to
    // have such columns ignored: then it is left out and listed (issue 22, item 8).
    let extra = "工号,姓名,部门,备注,入职日期\nE1,甲,HQ,新人,2020-01-01\n";
    let err = app.imports().import_employees(&hr(), extra.as_bytes(), None).await.unwrap_err();
    let AppError::Import(rows) = err else { panic!("expected import errors, got {err:?}") };
    assert_eq!((rows[0].column.as_str(), rows[0].problem.code()), ("备注", "unknown_column"));
    assert_eq!(app.org().search(&hr(), None, None, true, 0, 10).await.unwrap().total, 0, "nothing was written");
    let s = app.imports().ignoring_unknown_columns(true).import_employees(&hr(), extra.as_bytes(), None).await.unwrap();
    assert_eq!((s.created, s.ignored_columns.clone()), (1, vec!["备注".to_string()]));
    // Too large a file is refused before it is read.
    let big = vec![b'x'; 70 * 1024];
    assert!(matches!(app.imports().import_employees(&hr(), &big, None).await, Err(AppError::TooLarge { .. })));
});

dual_test!(o4_xlsx_export_imports_back_unchanged, |db: Db| async move {
    let app = app(db);
    app.create_demo(&DemoOptions { employees: 60, seed: 7, accounts: false, ..Default::default() }).await.unwrap();
    let xlsx = app.imports().export_employees(&hr(), waymark_app::import::FileFormat::Xlsx, true).await.unwrap();
    let s = app.imports().import_employees(&hr(), &xlsx, Some("export.xlsx")).await.unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 0, 60));
    let csv = app.imports().export_employees(&hr(), waymark_app::import::FileFormat::Csv, false).await.unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBFemployee_no,name,email,unit,manager_no"));
});

// Someone with write access to the database but not to the data directory or the key (issue
// 21, item 5): a recomputed chain, a changed subject or actor id, a rewind of the newest records,
// and a forged checkpoint are all found.
dual_test!(p2_audit_chain_is_keyed_covers_every_column_and_is_anchored_outside_the_database, |db: Db| async move {
    let dir = std::env::temp_dir().join(format!("wm-cp-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("audit-checkpoints.log");
    let clock = FixedClock::at(chrono::Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap());
    let app = App::new(
        db.clone(),
        Arc::new(clock),
        AppConfig { audit_checkpoints: Some(file.clone()), ..AppConfig::default() },
    );
    hire_people(&app, "E", 5).await;
    // A checkpoint of the head (6 records) is signed and written outside the database.
    assert_eq!(app.audit().checkpoint(None).await.unwrap().map(|c| c.0), Some(6));
    assert_eq!(app.audit().verify().await.unwrap(), Verification::Intact { records: 6, checkpoints: 1 });

    // Rewind: the two newest records deleted and the head moved back to #4. The chain itself is
    // consistent; the checkpoint that saw #6 says two records are missing.
    let h4: String = {
        let r = db.conn.query_one_raw(waymark_store::sea_orm::Statement::from_string(
            db.backend(),
            "SELECT hash FROM audit_log WHERE seq = 4".to_string(),
        ));
        r.await.unwrap().unwrap().try_get_by_index(0).unwrap()
    };
    db.conn.execute_unprepared("DELETE FROM audit_log WHERE seq > 4").await.unwrap();
    db.conn.execute_unprepared(&format!("UPDATE audit_head SET seq = 4, hash = '{h4}'")).await.unwrap();
    let found = app.audit().verify().await.unwrap();
    assert_eq!(found, Verification::Broken(ChainBreak::Rewound { checkpoint_seq: 6, head_seq: 4 }));
    let Verification::Broken(b) = found else { unreachable!() };
    assert!(b.to_string().contains("2 record(s) are missing"), "{b}");

    // A line added to the file by hand is not signed with the server's key.
    std::fs::write(
        &file,
        format!("{}4 {h4} 2026-11-21T02:00:00.000000Z 00\n", std::fs::read_to_string(&file).unwrap()),
    )
    .unwrap();
    assert_eq!(app.audit().verify().await.unwrap(), Verification::Broken(ChainBreak::ForgedCheckpoint { line: 2 }));

    // Who a record is about was not covered by the first scheme's hash: now it is.
    db.conn
        .execute_unprepared(
            "UPDATE audit_log SET subject_employee_id = (SELECT subject_employee_id FROM audit_log WHERE seq = 4) \
             WHERE seq = 3",
        )
        .await
        .unwrap();
    assert_eq!(app.audit().verify().await.unwrap(), Verification::Broken(ChainBreak::Altered { seq: 3 }));

    // The same database under another key (someone recomputed the chain without ours): altered.
    let other = App::new(db.clone(), Arc::new(FixedClock::at(chrono::Utc::now())), AppConfig::default());
    assert_eq!(other.audit().verify().await.unwrap(), Verification::Broken(ChainBreak::Altered { seq: 1 }));
    let _ = std::fs::remove_dir_all(dir);
});

// A chain written before issue 21 (unkeyed, scheme 1) is checked as written and re-hashed under
// the key at start; what the check found is the first keyed record.
dual_test!(p2_a_chain_from_before_the_key_is_checked_and_rehashed_once, |db: Db| async move {
    let app = app(db.clone());
    hire_people(&app, "L", 3).await;
    // Write the chain as the first scheme did.
    let rows = waymark_store::repo::audit::page_after(&db.conn, 0, 100).await.unwrap();
    let mut prev = waymark_domain::audit::GENESIS.to_string();
    for r in &rows {
        let f = waymark_domain::audit::AuditFields {
            seq: r.seq,
            id: &r.id,
            occurred_at: &r.occurred_at,
            actor: &r.actor,
            actor_user_id: None,
            entity_type: &r.entity_type,
            entity_id: &r.entity_id,
            subject_employee_id: None,
            action: &r.action,
            before: r.before.as_deref(),
            after: r.after.as_deref(),
            reason: r.reason.as_deref(),
        };
        let h = waymark_domain::audit::legacy_chain_hash(&prev, &f);
        let sql = format!("UPDATE audit_log SET prev_hash = '{prev}', hash = '{h}' WHERE seq = {}", r.seq);
        db.conn.execute_unprepared(&sql).await.unwrap();
        prev = h;
    }
    db.conn.execute_unprepared(&format!("UPDATE audit_head SET scheme = 1, hash = '{prev}'")).await.unwrap();
    assert_eq!(app.audit().verify().await.unwrap(), Verification::Intact { records: 4, checkpoints: 0 });
    app.audit().upgrade().await.unwrap();
    assert_eq!(app.audit().verify().await.unwrap(), Verification::Intact { records: 5, checkpoints: 0 });
    let rekey = app.audit().list(&hr(), waymark_app::audit::AuditFilter::default()).await.unwrap().remove(0);
    assert_eq!(
        (rekey.action.as_str(), rekey.after.as_deref()),
        ("rekey", Some(r#"{"previous_chain":"intact","records":4}"#))
    );
    // Once only.
    app.audit().upgrade().await.unwrap();
    assert_eq!(app.audit().verify().await.unwrap(), Verification::Intact { records: 5, checkpoints: 0 });
});

dual_test!(p2_audit_verify_detects_an_altered_and_a_deleted_record, |db: Db| async move {
    let app = app(db.clone());
    let root = root_unit(&app).await;
    let input = EmployeeInput {
        employee_no: "E1".into(),
        name: "王伟".into(),
        unit_id: root,
        hire_date: "2024-01-02".into(),
        ..EmployeeInput::default()
    };
    let e = app.org().create_employee(&hr(), input).await.unwrap();
    app.org()
        .change_status(
            &hr(),
            e.id,
            StatusChange {
                status: "left".into(), effective_on: "2026-10-31".into(), reason: Some("合同到期".into())
            },
        )
        .await
        .unwrap();
    assert_eq!(app.audit().verify().await.unwrap(), Verification::Intact { records: 3, checkpoints: 0 });

    // Someone edits history directly in the database.
    db.conn.execute_unprepared("UPDATE audit_log SET reason = '个人原因' WHERE seq = 3").await.unwrap();
    assert_eq!(app.audit().verify().await.unwrap(), Verification::Broken(ChainBreak::Altered { seq: 3 }));
    db.conn.execute_unprepared("UPDATE audit_log SET reason = '合同到期' WHERE seq = 3").await.unwrap();
    assert_eq!(app.audit().verify().await.unwrap(), Verification::Intact { records: 3, checkpoints: 0 });

    db.conn.execute_unprepared("DELETE FROM audit_log WHERE seq = 2").await.unwrap();
    assert_eq!(
        app.audit().verify().await.unwrap(),
        Verification::Broken(ChainBreak::Gap { expected_seq: 2, found_seq: 3 })
    );
});

dual_test!(o2_status_change_keeps_history_and_refuses_bad_dates, |db: Db| async move {
    let app = app(db);
    let root = root_unit(&app).await;
    let bad = EmployeeInput {
        employee_no: "E 1".into(),
        name: "".into(),
        email: Some("nope".into()),
        unit_id: root,
        hire_date: "2024-13-01".into(),
        ..EmployeeInput::default()
    };
    let AppError::Invalid(fields) = app.org().create_employee(&hr(), bad).await.unwrap_err() else { panic!() };
    let named: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(named, vec!["employee_no", "name", "email", "hire_date"]);
    let ok = EmployeeInput {
        employee_no: "E1".into(),
        name: "王伟".into(),
        unit_id: root,
        hire_date: "2024-01-02".into(),
        ..EmployeeInput::default()
    };
    let e = app.org().create_employee(&hr(), ok).await.unwrap();
    let early = StatusChange { status: "left".into(), effective_on: "2023-12-31".into(), reason: None };
    assert!(matches!(app.org().change_status(&hr(), e.id, early).await, Err(AppError::Invalid(_))));
    app.org()
        .change_status(
            &hr(),
            e.id,
            StatusChange { status: "on_leave".into(), effective_on: "2026-03-01".into(), reason: None },
        )
        .await
        .unwrap();
    app.org()
        .change_status(
            &hr(),
            e.id,
            StatusChange { status: "left".into(), effective_on: "2026-10-31".into(), reason: None },
        )
        .await
        .unwrap();
    let p = app.org().profile(&hr(), e.id).await.unwrap();
    let history: Vec<String> =
        p.record.unwrap().status_history.iter().map(|h| format!("{} {}", h.effective_on, h.status.as_str())).collect();
    assert_eq!(history, vec!["2026-10-31 left", "2026-03-01 on_leave", "2024-01-02 active"]);
    // People who left still show up when asked for, and keep their profile.
    assert_eq!(app.org().search(&hr(), Some("王伟".into()), None, true, 0, 10).await.unwrap().total, 1);
    assert_eq!(app.org().search(&hr(), Some("王伟".into()), None, false, 0, 10).await.unwrap().total, 0);
});

dual_test!(section0_services_apply_the_policy, |db: Db| async move {
    let app = app(db);
    app.create_demo(&DemoOptions { employees: 80, seed: 3, ..Default::default() }).await.unwrap();
    let login = |u: &'static str| {
        let app = app.clone();
        async move { app.accounts().login(u, waymark_app::demo::DEMO_PASSWORD, "127.0.0.1").await.unwrap().1 }
    };
    let (employee, manager, hr_user, exec, admin) = (
        login("employee").await,
        login("manager").await,
        login("hr").await,
        login("executive").await,
        login("admin").await,
    );
    let me = employee.employee_id.unwrap();
    // A peer: someone in the organization who is neither the employee nor on their line.
    let peer = app
        .org()
        .search(&hr_user, None, None, false, 0, 200)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|c| c.id != me && Some(c.id) != manager.employee_id && c.manager_id.is_some())
        .unwrap()
        .id;
    let org = app.org();
    assert!(org.profile(&employee, me).await.unwrap().record.is_some(), "own record");
    assert!(org.profile(&employee, peer).await.unwrap().record.is_none(), "a peer's record is private");
    assert!(org.profile(&manager, me).await.unwrap().record.is_some(), "manager sees their line (transitively)");
    let outside = app
        .org()
        .search(&hr_user, None, None, false, 0, 200)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|c| Some(c.id) != manager.employee_id)
        .unwrap();
    let managed = app.org().all_reports(&hr_user, manager.employee_id.unwrap()).await.unwrap();
    let outsider = app
        .org()
        .search(&hr_user, None, None, false, 0, 200)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|c| !managed.contains(&c.id) && Some(c.id) != manager.employee_id)
        .unwrap_or(outside);
    assert!(org.profile(&manager, outsider.id).await.unwrap().record.is_none(), "manager outside their line");
    assert!(org.profile(&hr_user, peer).await.unwrap().record.is_some(), "HR in scope");
    // The demo executive is the CEO, at the top of everyone's reporting line: manager rights
    // apply. (An executive off the line sees none: the policy matrix covers that case.)
    assert!(exec.is_manager && org.profile(&exec, peer).await.unwrap().record.is_some());
    let p = org.profile(&admin, peer).await.unwrap();
    assert!(p.record.is_none() && !p.can_read_performance, "system admin sees no performance content");
    let change = StatusChange { status: "left".into(), effective_on: "2026-11-01".into(), reason: None };
    assert!(matches!(org.change_status(&manager, me, change.clone()).await, Err(AppError::Forbidden)));
    assert!(matches!(org.change_status(&employee, me, change.clone()).await, Err(AppError::Forbidden)));
    assert!(matches!(app.audit().list(&admin, Default::default()).await, Err(AppError::Forbidden)));
    assert!(app.audit().list(&hr_user, Default::default()).await.is_ok());
    assert!(matches!(
        app.imports().export_employees(&employee, waymark_app::import::FileFormat::Csv, true).await,
        Err(AppError::Forbidden)
    ));
    org.change_status(&hr_user, me, change).await.unwrap();
});

async fn unit_path(app: &App, code: &str) -> String {
    let paths = app.org().unit_paths().await.unwrap();
    paths.into_values().find(|(u, _)| u.code.as_deref() == Some(code)).map(|(_, p)| p).unwrap()
}

dual_test!(o1_o4_units_import_builds_moves_and_refuses_cycles, |db: Db| async move {
    let app = app(db);
    let hq = root_unit(&app).await;
    let csv = "部门编码,部门名称,上级部门编码,类型\n\
               T1,华东一组,EAST,团队\n\
               SALES,销售事业部,HQ,事业部\n\
               EAST,华东大区,SALES,部门\n";
    let s = app.imports().import_units(&hr(), csv.as_bytes(), Some("units.csv")).await.unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (3, 0, 0));
    assert_eq!(unit_path(&app, "T1").await, "公司/销售事业部/华东大区/华东一组");
    let t1 = app.org().unit_id_by_code(&hr(), "T1").await.unwrap();
    let sales = app.org().unit_id_by_code(&hr(), "SALES").await.unwrap();
    assert!(waymark_store::repo::org::unit_is_below(&app.db.conn, hq, t1).await.unwrap());

    // Re-import by code: EAST moves up under HQ, T1 is renamed, SALES is unchanged.
    let csv = "code,name,parent_code,kind\nEAST,华东大区,HQ,department\nT1,华东1组,EAST,team\nSALES,销售事业部,HQ,business_unit\n";
    let s = app.imports().import_units(&hr(), csv.as_bytes(), None).await.unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 2, 1));
    assert_eq!(unit_path(&app, "T1").await, "公司/华东大区/华东1组");
    assert!(!waymark_store::repo::org::unit_is_below(&app.db.conn, sales, t1).await.unwrap());

    // Turning the branch upside down (T1 on top, EAST under it) works because units are
    // placed top-down; putting HQ under its own team is refused and writes nothing.
    let csv = "code,name,parent_code\nEAST,华东大区,T1\nT1,华东1组,\n";
    app.imports().import_units(&hr(), csv.as_bytes(), None).await.unwrap();
    assert_eq!(unit_path(&app, "EAST").await, "华东1组/华东大区");
    let csv = "code,name,parent_code\nHQ,公司,SALES\nSALES,销售事业部,NEW\nNEW,新部门,HQ\n";
    let AppError::Import(rows) = app.imports().import_units(&hr(), csv.as_bytes(), None).await.unwrap_err() else {
        panic!("expected row errors")
    };
    assert_eq!(rows[0].problem.code(), "unit_cycle");
    assert_eq!(app.org().unit_paths().await.unwrap().len(), 4, "nothing was written");
    assert!(matches!(app.audit().verify().await.unwrap(), Verification::Intact { .. }));
});

dual_test!(o4_units_export_imports_back_unchanged, |db: Db| async move {
    let app = app(db);
    app.create_demo(&DemoOptions { employees: 60, seed: 7, ..Default::default() }).await.unwrap();
    let units = app.org().unit_paths().await.unwrap().len();
    let xlsx = app.imports().export_units(&hr(), waymark_app::import::FileFormat::Xlsx, true).await.unwrap();
    let s = app.imports().import_units(&hr(), &xlsx, Some("units.xlsx")).await.unwrap();
    assert_eq!((s.created, s.updated, s.unchanged), (0, 0, units));
    let csv = app.imports().export_units(&hr(), waymark_app::import::FileFormat::Csv, false).await.unwrap();
    assert!(csv.starts_with(b"\xEF\xBB\xBFcode,name,parent_code,kind,sort_order,path"));
    let employee = app.accounts().login("employee", waymark_app::demo::DEMO_PASSWORD, "127.0.0.1").await.unwrap().1;
    assert!(matches!(app.imports().import_units(&employee, &csv, None).await, Err(AppError::Forbidden)));
});

dual_test!(p2_unit_scoped_hr_browses_the_audit_records_of_their_units, |db: Db| async move {
    let app = app(db);
    let hq = root_unit(&app).await;
    let mut units = Vec::new();
    for (code, no) in [("A", "EA"), ("B", "EB")] {
        let input = UnitInput { name: code.into(), code: Some(code.into()), parent_id: Some(hq), kind: "team".into() };
        let unit = app.org().create_unit(&hr(), input).await.unwrap().id;
        let person = EmployeeInput {
            employee_no: no.into(),
            name: no.into(),
            unit_id: unit,
            hire_date: "2024-01-01".into(),
            ..Default::default()
        };
        app.org().create_employee(&hr(), person).await.unwrap();
        units.push(unit);
    }
    let scoped = Actor {
        user_id: Some(uuid::Uuid::now_v7()),
        hr: Some(waymark_app::policy::Scope::Units([units[0]].into())),
        system: false,
        ..hr()
    };
    let seen = app.audit().list(&scoped, Default::default()).await.unwrap();
    let mut about: Vec<(String, String)> = seen.iter().map(|r| (r.entity_type.clone(), r.action.clone())).collect();
    about.sort();
    assert_eq!(about, vec![("employee".into(), "create".into()), ("unit".into(), "create".into())]);
    assert!(seen.iter().all(|r| r.entity_id == units[0].to_string() || r.subject_employee_id.is_some()));
    assert_eq!(app.audit().list(&hr(), Default::default()).await.unwrap().len(), 5, "org-wide: every record");
    let admin = Actor { hr: None, admin: true, ..scoped };
    assert!(matches!(app.audit().list(&admin, Default::default()).await, Err(AppError::Forbidden)));
});

dual_test!(p4_an_api_request_does_not_wait_behind_a_long_write, |db: Db| async move {
    // The nightly sweep holds SQLite's writer for seconds; recording a token's use must not
    // make every API request wait for it. Held here by the test itself: waiting would hang.
    let d = common::monday_demo(db).await;
    let accounts = d.app.accounts();
    let (_, secret) = accounts.create_token(&d.hr, "integration").await.unwrap();
    let held = d.app.db.begin_write().await.unwrap();
    let asked = tokio::time::timeout(std::time::Duration::from_secs(5), accounts.actor_for_api_token(&secret));
    let actor = asked.await.expect("answered without waiting for the writer").unwrap().expect("a valid token");
    assert_eq!(actor.user_id, d.hr.user_id);
    drop(held);
    // Once the database is free, the use is recorded.
    accounts.actor_for_api_token(&secret).await.unwrap().unwrap();
    let used = accounts.tokens(&d.hr).await.unwrap().into_iter().find(|t| t.name == "integration").unwrap();
    assert!(used.last_used_at.is_some());
});
