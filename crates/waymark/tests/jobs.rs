//! Durable delivery across processes (T-7), with the real binary and the aiosmtpd sink:
//! a worker killed in the middle of a delivery leaves the job to the next worker, which sends
//! it once; two worker processes on one PostgreSQL database never send the same job twice.

#[path = "../../app/tests/peers/mod.rs"]
mod peers;

use std::collections::HashMap;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use uuid::Uuid;
use waymark_app::clock::SystemClock;
use waymark_app::inbox::{Message, notify_each};
use waymark_app::policy::Actor;
use waymark_app::{App, AppConfig};
use waymark_store::Db;
use waymark_store::entities::job;
use waymark_store::sea_orm::EntityTrait;

/// `waymark worker` against `database` (a URL) with mail to the sink; short lease, quick polls.
/// A worker process, killed when the test ends however it ends (a failed assertion must not
/// leave workers running against the next test's output).
struct Running(Child);

impl std::ops::Deref for Running {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Running {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn worker(database: &str, smtp_port: u16) -> Running {
    Running(
        Command::new(env!("CARGO_BIN_EXE_waymark"))
            .args(["worker", "--database-url", database])
            .env("WAYMARK_LOG", "warn")
            .env("WAYMARK_MAIL__HOST", "127.0.0.1")
            .env("WAYMARK_MAIL__PORT", smtp_port.to_string())
            .env("WAYMARK_MAIL__TLS", "none")
            .env("WAYMARK_MAIL__FROM", "路标 <waymark@example.com>")
            .env("WAYMARK_JOB_LEASE_SECS", "5")
            .env("WAYMARK_JOB_IDLE_MS", "100")
            .stdout(Stdio::null())
            .spawn()
            .expect("start the worker"),
    )
}

fn demo(dir: &Path) {
    let out = Command::new(env!("CARGO_BIN_EXE_waymark"))
        .args(["demo", "--no-serve", "--employees", "20", "--seed", "9", "--data-dir"])
        .arg(dir)
        .env_remove("WAYMARK_DATABASE_URL")
        .env("WAYMARK_LOG", "warn")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

async fn app_on(url: &str) -> App {
    let db = Db::connect(url).await.unwrap();
    db.migrate().await.unwrap();
    App::new(db, Arc::new(SystemClock), AppConfig::default())
}

async fn user(app: &App, name: &str) -> Uuid {
    waymark_store::repo::accounts::user_by_username(&app.db.conn, name).await.unwrap().unwrap().id
}

/// Turns the organization's reminders off: a worker sends the day's reminders (approvals
/// waiting, reports due) on working days, and these tests count only the messages they send.
async fn no_reminders(app: &App) {
    let off = waymark_app::calendar::CalendarSettings {
        utc_offset: "+08:00".into(),
        weekly_report: false,
        weekly_weekday: 5,
        weekly_hour: 17,
        monthly_check_in: false,
        stale_goals: false,
        pending_approvals: false,
        goal_setting: false,
        review_writing: false,
        reminder_hour: 10,
    };
    app.calendar().save(&Actor::system("test"), off).await.unwrap();
}

/// Puts `n` messages for `to` in the inbox (and so their fan-out in the queue).
async fn send(app: &App, to: Uuid, subjects: &[String]) {
    let tx = app.db.begin_write().await.unwrap();
    let messages = subjects
        .iter()
        .map(|s| {
            (to, Message { kind: "goal-filed", entity_type: "goal", entity_id: Uuid::nil(), subject: s, body: None })
        })
        .collect();
    notify_each(&tx, &Actor::system("test"), chrono::Utc::now(), messages);
    tx.commit().await.unwrap();
}

fn wait_for(what: &str, secs: u64, mut ok: impl FnMut() -> bool) {
    let started = Instant::now();
    while !ok() {
        assert!(started.elapsed() < Duration::from_secs(secs), "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// How many times each Message-ID arrived.
fn arrivals(sink: &peers::Peer) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for m in peers::mails(sink) {
        *out.entry(m["message_id"].as_str().unwrap().to_string()).or_default() += 1;
    }
    out
}

async fn email_jobs(app: &App) -> Vec<job::Model> {
    job::Entity::find().all(&app.db.conn).await.unwrap().into_iter().filter(|j| j.kind == "email").collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t7_a_worker_killed_mid_delivery_leaves_the_message_to_be_sent_once_after_restart() {
    if !peers::available() {
        return;
    }
    let sink = peers::smtp_sink();
    let dir = std::env::temp_dir().join(format!("waymark-jobs-{}", Uuid::now_v7()));
    demo(&dir);
    let url = waymark_store::sqlite_url_for_dir(&dir);
    let app = app_on(&url).await;
    let employee = user(&app, "employee").await;
    no_reminders(&app).await;
    // The demo's own messages (feedback, risk alerts) wait in the queue too: this test follows
    // only the two it sends, so the queue starts empty.
    use waymark_store::sea_orm::ConnectionTrait;
    app.db.conn.execute_unprepared("DELETE FROM job").await.unwrap();

    // A is delivered by the first worker, which then stops.
    send(&app, employee, &["A".into()]).await;
    let mut first = worker(&url, sink.port);
    wait_for("A", 60, || peers::mails(&sink).len() == 1);
    // Its job recorded as done before the worker stops: the delivery interrupted here is B's,
    // not A's (killed between the mail server's answer and that record, A would rightly go
    // out again — at least once).
    let started = Instant::now();
    while !email_jobs(&app).await.iter().all(|j| j.state == "done") {
        assert!(started.elapsed() < Duration::from_secs(60), "timed out waiting for A's job to be done");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    first.kill().unwrap();
    first.wait().unwrap();

    // B: the second worker claims it and is killed while the mail server has not answered its
    // EHLO yet — in the middle of the delivery.
    std::fs::write(sink.dir.join("hold"), b"").unwrap();
    send(&app, employee, &["B".into()]).await;
    let mut second = worker(&url, sink.port);
    wait_for("the delivery of B to start", 60, || sink.dir.join("held").exists());
    second.kill().unwrap(); // SIGKILL: no chance to clean up
    second.wait().unwrap();
    let jobs = email_jobs(&app).await;
    let b = jobs.iter().find(|j| j.state == "running").expect("B is left running under a lease");
    assert_eq!(b.attempts, 1);
    std::fs::remove_file(sink.dir.join("hold")).unwrap();

    // A third worker takes B once the lease runs out and sends it; A is not sent again.
    let mut third = worker(&url, sink.port);
    wait_for("B", 60, || peers::mails(&sink).len() == 2);
    std::thread::sleep(Duration::from_secs(2));
    third.kill().unwrap();
    third.wait().unwrap();
    let seen = arrivals(&sink);
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(seen.values().all(|n| *n == 1), "each message once: {seen:?}");
    let subjects: Vec<String> =
        peers::mails(&sink).iter().map(|m| m["subject"].as_str().unwrap().to_string()).collect();
    assert!(
        subjects.iter().any(|s| s.ends_with("「A」已由 HR 备案"))
            && subjects.iter().any(|s| s.ends_with("「B」已由 HR 备案")),
        "{subjects:?}"
    );
    let jobs = email_jobs(&app).await;
    assert!(jobs.iter().all(|j| j.state == "done"), "{jobs:?}");
    let b = jobs.iter().find(|j| j.id == b.id).unwrap();
    assert_eq!(b.attempts, 2, "B took a second attempt, after the kill");
    app.db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn t7_two_worker_processes_on_postgres_never_send_the_same_job_twice() {
    if !peers::available() {
        return;
    }
    let Some((db, admin_url, name)) = waymark_store::testing::fresh_postgres().await else {
        eprintln!("PostgreSQL variant skipped: set WAYMARK_TEST_POSTGRES_URL to run it");
        return;
    };
    db.close().await;
    let base = admin_url.rsplit_once('/').unwrap().0;
    let url = format!("{base}/{name}");
    let sink = peers::smtp_sink();
    let app = app_on(&url).await;
    app.create_demo(&waymark_app::demo::DemoOptions { employees: 20, seed: 9, ..Default::default() }).await.unwrap();
    let employee = user(&app, "employee").await;
    no_reminders(&app).await;
    let subjects: Vec<String> = (0..300).map(|i| format!("G{i:03}")).collect();
    send(&app, employee, &subjects).await;

    let mut a = worker(&url, sink.port);
    let mut b = worker(&url, sink.port);
    wait_for("300 messages", 120, || peers::mails(&sink).len() >= 300);
    std::thread::sleep(Duration::from_secs(2));
    a.kill().unwrap();
    b.kill().unwrap();
    a.wait().unwrap();
    b.wait().unwrap();
    let seen = arrivals(&sink);
    assert_eq!(seen.len(), 300);
    assert!(
        seen.values().all(|n| *n == 1),
        "a message sent twice: {:?}",
        seen.iter().filter(|(_, n)| **n > 1).collect::<Vec<_>>()
    );
    let jobs = email_jobs(&app).await;
    assert_eq!(jobs.len(), 300);
    assert!(jobs.iter().all(|j| j.state == "done" && j.attempts == 1));
    // Both workers took part (each leases batches of 16).
    let by: std::collections::HashSet<_> = jobs.iter().filter_map(|j| j.locked_by.clone()).collect();
    assert_eq!(by.len(), 2, "both workers delivered: {by:?}");
    app.db.close().await;
    waymark_store::testing::drop_postgres(&admin_url, &name).await;
}
