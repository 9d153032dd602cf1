//! The binary as an operator uses it: demo data, import, export and `audit verify`, which
//! must notice a record altered or deleted directly in the database (P-2).

use std::path::Path;
use std::process::{Command, Output};

use waymark_store::Db;
use waymark_store::sea_orm::ConnectionTrait;

fn waymark(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(args)
        .arg("--data-dir")
        .arg(dir)
        .env_remove("WAYMARK_DATABASE_URL")
        .env("WAYMARK_LOG", "warn")
        .output()
        .expect("run waymark")
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

async fn sql(dir: &Path, statement: &str) {
    let db = Db::connect(&waymark_store::sqlite_url_for_dir(dir)).await.unwrap();
    db.conn.execute_unprepared(statement).await.unwrap();
    db.close().await;
}

#[tokio::test]
async fn p2_audit_verify_exits_non_zero_naming_the_tampered_record() {
    let dir = std::env::temp_dir().join(format!("waymark-cli-{}", uuid_like()));
    let demo = waymark(&dir, &["demo", "--no-serve", "--employees", "40", "--seed", "5"]);
    assert!(demo.status.success(), "{}", text(&demo));
    let out = text(&demo);
    for login in ["hr", "executive", "manager", "employee", "admin"] {
        assert!(out.lines().any(|l| l.trim_start().starts_with(login)), "demo prints the {login} login: {out}");
    }
    let ok = waymark(&dir, &["audit", "verify"]);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(text(&ok).contains("intact"));

    sql(&dir, "UPDATE audit_log SET actor = 'hr' WHERE seq = 20").await;
    let bad = waymark(&dir, &["audit", "verify"]);
    assert_eq!(bad.status.code(), Some(2), "{}", text(&bad));
    assert!(text(&bad).contains("#20"), "{}", text(&bad));
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn o4_import_and_export_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("waymark-cli-{}", uuid_like()));
    assert!(waymark(&dir, &["demo", "--no-serve", "--employees", "30"]).status.success());
    let file = dir.join("people.csv");
    let export = waymark(&dir, &["export", "employees", file.to_str().unwrap()]);
    assert!(export.status.success(), "{}", text(&export));
    let again = waymark(&dir, &["import", "employees", file.to_str().unwrap()]);
    assert!(text(&again).contains("0 created, 0 updated, 30 unchanged"), "{}", text(&again));
    let bad = dir.join("bad.csv");
    std::fs::write(&bad, "工号,姓名,部门,入职日期\nX1,,HQ,2020-01-01\n").unwrap();
    let refused = waymark(&dir, &["import", "employees", bad.to_str().unwrap()]);
    assert!(!refused.status.success());
    assert!(text(&refused).contains("row 2, column 姓名"), "{}", text(&refused));
    let units = dir.join("units.xlsx");
    let export = waymark(&dir, &["export", "units", units.to_str().unwrap(), "--headers", "en"]);
    assert!(export.status.success(), "{}", text(&export));
    let again = waymark(&dir, &["import", "units", units.to_str().unwrap()]);
    assert!(again.status.success() && text(&again).contains("0 created, 0 updated"), "{}", text(&again));
    let _ = std::fs::remove_dir_all(&dir);
}

fn uuid_like() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    )
}
