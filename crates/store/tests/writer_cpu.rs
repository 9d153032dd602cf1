//! Issue 21, item 11: a server on SQLite keeps its writing on one CPU — the write connection's
//! database thread, and the thread that asks to join it — and writes still commit. Its own
//! test binary: it counts the process's threads, which other tests would add to.

use sea_orm::{ConnectionTrait, Statement};
use waymark_store::{Db, WRITER_THREAD, sqlite_url_for_dir};

/// The CPUs each thread of this process with `name` may run on (Linux's view of them).
fn cpus_of_threads(name: &str) -> Vec<String> {
    let mut out = Vec::new();
    for task in std::fs::read_dir("/proc/self/task").expect("Linux's /proc") {
        let dir = task.unwrap().path();
        let comm = std::fs::read_to_string(dir.join("comm")).unwrap_or_default();
        if comm.trim() != name {
            continue;
        }
        let status = std::fs::read_to_string(dir.join("status")).unwrap_or_default();
        if let Some(line) = status.lines().find(|l| l.starts_with("Cpus_allowed_list:")) {
            out.push(line.split(':').nth(1).unwrap().trim().to_string());
        }
    }
    out
}

fn this_thread_cpus() -> String {
    let status = std::fs::read_to_string("/proc/thread-self/status").unwrap();
    status.lines().find(|l| l.starts_with("Cpus_allowed_list:")).unwrap().split(':').nth(1).unwrap().trim().to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_writer_and_the_write_thread_share_one_cpu() {
    let dir = std::env::temp_dir().join(format!("waymark-writer-cpu-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = Db::connect(&sqlite_url_for_dir(&dir)).await.unwrap();
    let all_cpus = this_thread_cpus();
    // Opened as any connection: one writer thread, on every CPU the process may use.
    assert_eq!(cpus_of_threads(WRITER_THREAD), vec![all_cpus.clone()]);
    assert_eq!(db.writer_cpu(), None);
    assert!(!db.pin_to_writer_cpu(), "nothing to join when the writer is not kept on one CPU");
    db.close().await;

    let db = Db::connect_for_server(&sqlite_url_for_dir(&dir)).await.unwrap();
    let several = std::thread::available_parallelism().map(|n| n.get() > 1).unwrap_or(false);
    match db.writer_cpu() {
        Some(cpu) => {
            // The first database's writer thread ends as it closes; the server's stays on the CPU.
            let mut cpus = cpus_of_threads(WRITER_THREAD);
            for _ in 0..50 {
                if cpus.len() == 1 {
                    break;
                }
                tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                cpus = cpus_of_threads(WRITER_THREAD);
            }
            assert_eq!(cpus, vec![cpu.to_string()], "the writer's thread is on the chosen CPU");
            // A thread that asks joins it.
            let joined = std::thread::spawn({
                let db = db.clone();
                move || (db.pin_to_writer_cpu(), this_thread_cpus())
            })
            .join()
            .unwrap();
            assert_eq!(joined, (true, cpu.to_string()));
        }
        None => assert!(!several, "with {all_cpus} to choose from, the writing is kept on one"),
    }

    // Writes still commit through the reopened writer, and reads see them.
    let tx = db.begin_write().await.unwrap();
    tx.execute_unprepared("CREATE TABLE probe (n INTEGER)").await.unwrap();
    tx.execute_unprepared("INSERT INTO probe VALUES (42)").await.unwrap();
    tx.commit().await.unwrap();
    let row =
        db.conn.query_one_raw(Statement::from_string(db.backend(), "SELECT n FROM probe")).await.unwrap().unwrap();
    assert_eq!(row.try_get::<i32>("", "n").unwrap(), 42);
    db.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
