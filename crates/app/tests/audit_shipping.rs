//! Signed audit checkpoints sent out of the server (SPEC P-2, issue 21 item 5), against real
//! peers: the aiosmtpd SMTP sink and the local IM robot receiver. Someone who can write to the
//! database and the data directory rewinds the chain and wipes the checkpoint file; the chain
//! alone then looks intact, and the copies kept in a mailbox find the rewind.

mod peers;

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use waymark_app::audit::Verification;
use waymark_app::audit_ship::Shipping;
use waymark_app::clock::FixedClock;
use waymark_app::demo::DemoOptions;
use waymark_app::jobs::Worker;
use waymark_app::notify::{MailConfig, NotifyConfig};
use waymark_app::{App, AppConfig};
use waymark_domain::audit::ChainBreak;
use waymark_store::{Db, dual_test};

dual_test!(p2_checkpoints_kept_outside_find_a_rewind_the_server_cannot_see, |db: Db| async move {
    if !peers::available() {
        return;
    }
    let smtp = peers::smtp_sink();
    let robot = peers::im_receiver("unused");
    let dir = std::env::temp_dir().join(format!("waymark-audit-ship-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("audit-checkpoints.log");
    let robot_url = format!("http://127.0.0.1:{}/slack/T0/B0/keeper", robot.port);
    let shipping = Shipping::configured(
        &["安全组 <security@example.com>".into()],
        true,
        (Some("slack"), Some(&robot_url), None),
        "zh-CN",
    )
    .unwrap();
    assert_eq!(shipping.destinations(), vec!["security@example.com".to_string(), "slack (127.0.0.1)".to_string()]);
    let config = AppConfig {
        notify: NotifyConfig {
            mail: Some(
                MailConfig::new("127.0.0.1", smtp.port, "none", None, None, "路标 <waymark@example.com>", 5).unwrap(),
            ),
            public_url: "https://pm.example.com".into(),
            im_hosts: vec![],
        },
        audit_checkpoints: Some(file.clone()),
        audit_shipping: shipping,
        ..AppConfig::default()
    };
    let clock = Arc::new(FixedClock::at(Utc.with_ymd_and_hms(2026, 12, 6, 2, 0, 0).unwrap()));
    let app = App::new(db, clock, config);
    app.create_demo(&DemoOptions { employees: 20, seed: 4, ..Default::default() }).await.unwrap();
    let (seq, _hash) = app.audit().checkpoint(None).await.unwrap().expect("a checkpoint of the head");
    let w = Worker::new(app.clone());
    while w.run_once().await.unwrap() > 0 {}

    // The line in the file went to the mailbox and the robot, with what it is and why to keep it.
    let line = std::fs::read_to_string(&file).unwrap().trim().to_string();
    assert!(line.starts_with(&format!("{seq} ")), "{line}");
    let mails = peers::mails(&smtp);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(mails[0]["subject"], format!("[路标] 审计检查点：第 {seq} 条记录"));
    let text = mails[0]["text"].as_str().unwrap().to_string();
    assert!(text.contains("2026-12-06 10:00:00"), "the organization's time: {text}");
    assert!(text.contains(&format!("> {line}")), "{text}");
    assert!(text.contains("waymark audit verify --checkpoints"), "{text}");
    let calls = peers::webhooks(&robot);
    assert_eq!(calls.len(), 1);
    assert!(calls[0]["body"]["text"].as_str().unwrap().contains(&line), "{:?}", calls[0]);

    // Someone with write access to both rewinds the chain by three records and wipes the file.
    let c = &app.db.conn;
    use waymark_store::sea_orm::{ConnectionTrait, Statement};
    let keep = seq - 3;
    let row = c
        .query_one_raw(Statement::from_string(
            c.get_database_backend(),
            format!("SELECT hash FROM audit_log WHERE seq = {keep}"),
        ))
        .await
        .unwrap()
        .unwrap();
    let hash: String = row.try_get("", "hash").unwrap();
    c.execute_unprepared(&format!("DELETE FROM audit_log WHERE seq > {keep}")).await.unwrap();
    c.execute_unprepared(&format!("UPDATE audit_head SET seq = {keep}, hash = '{hash}'")).await.unwrap();
    std::fs::remove_file(&file).unwrap();
    assert!(matches!(app.audit().verify().await.unwrap(), Verification::Intact { .. }), "what the server alone sees");

    // The saved e-mail, whole (greeting, quote marks and all), finds it.
    let kept = app.audit().outside_checkpoints(&text).unwrap();
    assert_eq!(kept.len(), 1);
    let found = app.audit().verify_with(kept).await.unwrap();
    assert_eq!(found, Verification::Broken(ChainBreak::Rewound { checkpoint_seq: seq, head_seq: keep }));
    assert!(found_text(&found).contains("3 record(s) are missing"), "{}", found_text(&found));

    // A copy whose signature was changed is refused as forged, naming its line.
    let sig = line.rsplit(' ').next().unwrap();
    let forged_sig: String = sig.chars().rev().collect();
    let forged = text.replace(sig, &forged_sig);
    let at = forged.lines().position(|l| l.contains(&forged_sig)).unwrap() + 1;
    assert_eq!(app.audit().outside_checkpoints(&forged).unwrap_err(), ChainBreak::ForgedCheckpoint { line: at });
    std::fs::remove_dir_all(&dir).ok();
});

fn found_text(v: &Verification) -> String {
    match v {
        Verification::Broken(b) => b.to_string(),
        Verification::Intact { .. } => "intact".into(),
    }
}

#[test]
fn p2_a_wrong_destination_is_named_before_the_server_starts() {
    let err = |mail: &[&str], im: (Option<&str>, Option<&str>, Option<&str>), lang: &str| {
        let mail: Vec<String> = mail.iter().map(|s| s.to_string()).collect();
        Shipping::configured(&mail, true, im, lang).unwrap_err()
    };
    assert!(err(&["not an address"], (None, None, None), "zh-CN").starts_with("mail_to: \"not an address\""));
    assert!(err(&[], (Some("feishu"), None, None), "zh-CN").starts_with("im_platform and im_url"));
    assert!(err(&[], (Some("telegram"), Some("https://x.example"), None), "zh-CN").starts_with("im_platform:"));
    assert!(err(&[], (Some("wecom"), Some("ftp://x.example"), None), "zh-CN").starts_with("im_url:"));
    assert!(err(&[], (None, None, None), "fr").starts_with("lang:"));
    assert!(Shipping::configured(&[], false, (None, None, None), "en").unwrap().is_empty());
    // Mailboxes need the mail server: named before start, not as failed jobs later.
    let no_server = Shipping::configured(&["security@example.com".into()], false, (None, None, None), "en");
    assert!(no_server.unwrap_err().starts_with("mail_to: needs a mail server"));
}
