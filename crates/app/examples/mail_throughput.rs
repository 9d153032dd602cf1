//! Notification throughput through the job queue to an SMTP server (T-7 benchmark):
//! N inbox messages, their fan-out, and N e-mails delivered by one worker as `serve` runs it.
//!
//! usage: mail_throughput <smtp port> <messages> [postgres]
//! (PostgreSQL: a fresh database next to WAYMARK_TEST_POSTGRES_URL's, dropped at the end.)
//! (benches/mail.sh starts the aiosmtpd sink and runs this in release mode.)

use std::sync::Arc;
use std::time::Instant;

use uuid::Uuid;
use waymark_app::clock::SystemClock;
use waymark_app::demo::DemoOptions;
use waymark_app::inbox::{Message, notify_each};
use waymark_app::jobs::Worker;
use waymark_app::notify::{MailConfig, NotifyConfig};
use waymark_app::policy::Actor;
use waymark_app::{App, AppConfig};
use waymark_store::Db;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let port: u16 = args[1].parse().expect("smtp port");
    let n: usize = args[2].parse().expect("messages");
    let mut drop_after = None;
    let (db, backend) = match args.get(3) {
        Some(_) => {
            let (db, admin, name) =
                waymark_store::testing::fresh_postgres().await.expect("set WAYMARK_TEST_POSTGRES_URL");
            drop_after = Some((admin, name));
            (db, "postgres")
        }
        None => {
            let dir = std::env::temp_dir().join(format!("waymark-mailbench-{}", Uuid::now_v7()));
            std::fs::create_dir_all(&dir).unwrap();
            let db = Db::connect(&waymark_store::sqlite_url_for_dir(&dir)).await.unwrap();
            db.migrate().await.unwrap();
            (db, "sqlite")
        }
    };
    let config = AppConfig {
        notify: NotifyConfig {
            mail: Some(
                MailConfig::new("127.0.0.1", port, "none", None, None, "路标 <waymark@example.com>", 20).unwrap(),
            ),
            ..NotifyConfig::default()
        },
        ..AppConfig::default()
    };
    let app = App::new(db, Arc::new(SystemClock), config);
    app.create_demo(&DemoOptions::default()).await.unwrap();
    let to = waymark_store::repo::accounts::user_by_username(&app.db.conn, "employee").await.unwrap().unwrap().id;
    let subjects: Vec<String> = (0..n).map(|i| format!("目标 {i}")).collect();

    let started = Instant::now();
    let tx = app.db.begin_write().await.unwrap();
    let messages = subjects
        .iter()
        .map(|s| {
            (to, Message { kind: "goal-filed", entity_type: "goal", entity_id: Uuid::nil(), subject: s, body: None })
        })
        .collect();
    notify_each(&tx, &Actor::system("bench"), chrono::Utc::now(), messages);
    tx.commit().await.unwrap();
    let queued = started.elapsed();

    let worker = Worker::new(app.clone());
    let delivery = Instant::now();
    let mut jobs = 0;
    loop {
        let k = worker.run_once().await.unwrap();
        if k == 0 {
            break;
        }
        jobs += k;
    }
    let took = delivery.elapsed();
    let failed = app.jobs().list(&Actor { admin: true, ..Actor::system("bench") }, Some("failed"), None).await.unwrap();
    println!(
        "{backend}: {n} messages queued in {:.2} s; {jobs} jobs (fan-out + e-mails) in {:.2} s = {:.0} e-mails/s; failed: {}",
        queued.as_secs_f64(),
        took.as_secs_f64(),
        n as f64 / took.as_secs_f64(),
        failed.counts.failed
    );
    app.db.close().await;
    if let Some((admin, name)) = drop_after {
        waymark_store::testing::drop_postgres(&admin, &name).await;
    }
}
