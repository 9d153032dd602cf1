//! Real peers for the notification tests, run as child processes: the aiosmtpd SMTP sink and
//! the IM webhook receiver in `tests/peers/`. Without Python's aiosmtpd the tests that need them
//! say so and pass, unless WAYMARK_REQUIRE_PEERS=1 (CI sets it), where they fail.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Peer {
    child: Child,
    pub port: u16,
    pub dir: PathBuf,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/peers").join(name)
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Whether the peers can run here; when not and they are required, the test fails.
pub fn available() -> bool {
    let ok = Command::new("python3")
        .args(["-c", "import aiosmtpd"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var("WAYMARK_REQUIRE_PEERS").as_deref() != Ok("1"),
            "python3 with aiosmtpd is required (pip install aiosmtpd)"
        );
        eprintln!("SKIPPED: python3 with aiosmtpd is not installed (pip install aiosmtpd)");
    }
    ok
}

fn start(name: &str, extra: &[&str]) -> Peer {
    let port = free_port();
    let dir = std::env::temp_dir().join(format!("waymark-peer-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut args =
        vec![script(name).to_string_lossy().to_string(), port.to_string(), dir.to_string_lossy().to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    let child = Command::new("python3").args(&args).stdout(Stdio::null()).spawn().expect("python3 runs");
    let peer = Peer { child, port, dir };
    let started = Instant::now();
    while !peer.dir.join("ready").exists() {
        assert!(started.elapsed() < Duration::from_secs(20), "{name} did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    peer
}

pub fn smtp_sink() -> Peer {
    start("smtp_sink.py", &[])
}

pub fn im_receiver(secret: &str) -> Peer {
    start("im_receiver.py", &[secret])
}

/// The messages the SMTP sink received, as JSON records.
pub fn mails(p: &Peer) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for f in std::fs::read_dir(&p.dir).unwrap() {
        let path = f.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            out.push(serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap());
        }
    }
    out
}

/// The webhook calls the receiver accepted.
pub fn webhooks(p: &Peer) -> Vec<serde_json::Value> {
    std::fs::read_to_string(p.dir.join("received.jsonl"))
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}
