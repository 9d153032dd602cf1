//! Times the reporting-line query alone against an existing database:
//! `cargo run --release -p waymark-app --example reports_timing -- <database-url> <employee-no>`
use std::time::Instant;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let mut args = std::env::args().skip(1);
    let (url, no) = (args.next().expect("database URL"), args.next().expect("employee number"));
    let db = waymark_store::Db::connect(&url).await.expect("connect");
    let m = waymark_store::repo::org::employee_by_no(&db.conn, &no).await.unwrap().expect("employee");
    let mut times = Vec::new();
    let mut n = 0;
    for _ in 0..30 {
        let t = Instant::now();
        n = waymark_store::repo::org::all_reports(&db.conn, m.id).await.unwrap().len();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    println!("{n} reports: median {:.2} ms, p90 {:.2} ms, min {:.2} ms", times[15], times[27], times[0]);
}
