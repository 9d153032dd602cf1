//! Runs one test body on both backends (ARCHITECTURE "Storage"): SQLite on a fresh file
//! always, PostgreSQL on a fresh database when `WAYMARK_TEST_POSTGRES_URL` is set.

use std::future::Future;

use sea_orm::{ConnectionTrait, Database};

use crate::Db;

pub const POSTGRES_ENV: &str = "WAYMARK_TEST_POSTGRES_URL";

/// Expands to a module with a `sqlite` and a `postgres` test running the same body.
#[macro_export]
macro_rules! dual_test {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                $crate::testing::on_sqlite($body).await
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                $crate::testing::on_postgres($body).await
            }
        }
    };
}

pub async fn on_sqlite<F, Fut>(body: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let dir = std::env::temp_dir().join(format!("waymark-test-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let db = Db::connect(&crate::sqlite_url_for_dir(&dir)).await.expect("sqlite connect");
    db.migrate().await.expect("migrate sqlite");
    let outcome = tokio::spawn(body(db.clone())).await;
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

/// A fresh PostgreSQL database for one test; `None` when PostgreSQL tests are not enabled.
pub async fn fresh_postgres() -> Option<(Db, String, String)> {
    let admin_url = std::env::var(POSTGRES_ENV).ok()?;
    let name = format!("waymark_test_{}", uuid::Uuid::now_v7().simple());
    let admin = Database::connect(&admin_url).await.expect("connect to WAYMARK_TEST_POSTGRES_URL");
    admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
    admin.close().await.ok();
    let base = admin_url.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin_url.clone());
    let url = format!("{base}/{name}");
    let db = Db::connect(&url).await.expect("postgres connect");
    db.migrate().await.expect("migrate postgres");
    Some((db, admin_url, name))
}

pub async fn drop_postgres(admin_url: &str, name: &str) {
    if let Ok(admin) = Database::connect(admin_url).await {
        let _ = admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await;
        admin.close().await.ok();
    }
}

pub async fn on_postgres<F, Fut>(body: F)
where
    F: FnOnce(Db) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let Some((db, admin_url, name)) = fresh_postgres().await else {
        eprintln!("PostgreSQL variant skipped: set {POSTGRES_ENV} to run it");
        return;
    };
    let outcome = tokio::spawn(body(db.clone())).await;
    db.close().await;
    drop_postgres(&admin_url, &name).await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}
