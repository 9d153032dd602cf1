//! Notifications by e-mail and IM through the durable job queue (T-7), against real peers: the
//! aiosmtpd SMTP sink and a local receiver that checks each IM platform's documented body and
//! signature with its own implementation. Preferences and their bad inputs, both languages,
//! categories switched off, a webhook that refuses (failed job with its reason, retried by the
//! administrator) and an unreachable mail server (retried with backoff, then failed; nothing lost).

mod common;
mod peers;
use common::fields;

use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};
use uuid::Uuid;
use waymark_app::clock::{Clock, FixedClock};
use waymark_app::demo::{DEMO_PASSWORD, DemoOptions};
use waymark_app::inbox::{Message, notify_each};
use waymark_app::jobs::Worker;
use waymark_app::notify::{MailConfig, NotifyConfig, NotifyPrefsInput};
use waymark_app::policy::Actor;
use waymark_app::{App, AppConfig, AppError};
use waymark_store::{Db, dual_test};

fn config(smtp_port: u16) -> AppConfig {
    AppConfig {
        notify: NotifyConfig {
            mail: Some(
                MailConfig::new("127.0.0.1", smtp_port, "none", None, None, "路标 <waymark@example.com>", 5).unwrap(),
            ),
            public_url: "https://pm.example.com/".into(),
            im_hosts: vec!["127.0.0.1".into()],
        },
        ..AppConfig::default()
    }
}

async fn world(db: Db, smtp_port: u16) -> (App, Arc<FixedClock>, [Actor; 4]) {
    // Real time: the platforms refuse a signature whose timestamp is an hour away from theirs.
    // Whole seconds: PostgreSQL keeps microseconds.
    let clock = Arc::new(FixedClock::at(Utc.timestamp_opt(Utc::now().timestamp(), 0).unwrap()));
    let app = App::new(db, clock.clone(), config(smtp_port));
    app.create_demo(&DemoOptions { employees: 30, seed: 3, ..Default::default() }).await.unwrap();
    let mut actors = Vec::new();
    for u in ["employee", "manager", "hr", "admin"] {
        actors.push(app.accounts().login(u, DEMO_PASSWORD, "127.0.0.1").await.unwrap().1);
    }
    (app, clock, actors.try_into().unwrap())
}

fn im(platform: &str, url: String, secret: Option<&str>) -> NotifyPrefsInput {
    NotifyPrefsInput {
        email_enabled: true,
        email_off: vec![],
        im_enabled: true,
        im_platform: Some(platform.into()),
        im_url: Some(url),
        im_secret: secret.map(str::to_string),
        im_off: vec![],
    }
}

async fn send(app: &App, from: &Actor, to: &[(Uuid, &str)], subject: &str, body: Option<&str>) {
    let tx = app.db.begin_write().await.unwrap();
    let messages = to
        .iter()
        .map(|(u, kind)| (*u, Message { kind, entity_type: "goal", entity_id: Uuid::from_u128(42), subject, body }))
        .collect();
    notify_each(&tx, from, app.clock.now(), messages);
    tx.commit().await.unwrap();
}

async fn drain(app: &App) {
    let w = Worker::new(app.clone());
    while w.run_once().await.unwrap() > 0 {}
}

dual_test!(t7_email_and_im_through_real_peers, |db: Db| async move {
    if !peers::available() {
        return;
    }
    let smtp = peers::smtp_sink();
    let hooks = peers::im_receiver("SECtest");
    let (app, _clock, [employee, manager, hr, admin]) = world(db, smtp.port).await;
    let n = app.notify();
    let base = format!("http://127.0.0.1:{}", hooks.port);

    // Bad settings are refused, each naming its field, and nothing is saved.
    let bad = NotifyPrefsInput {
        email_off: vec!["nope".into()],
        ..im("feishu", "https://open.feishu.evil.example/hook".into(), None)
    };
    let f = fields(n.set_prefs(&employee, bad).await.unwrap_err());
    assert!(
        f.contains(&("email_off".into(), "unknown".into()))
            && f.contains(&("im_url".into(), "host_not_allowed".into())),
        "{f:?}"
    );
    let f = fields(n.set_prefs(&employee, im("wecom", format!("{base}/wecom?key=k"), Some("s"))).await.unwrap_err());
    assert_eq!(f, vec![("im_secret".to_string(), "not_signed".to_string())]);
    let f = fields(
        n.set_prefs(&employee, NotifyPrefsInput { im_url: None, ..im("slack", String::new(), None) })
            .await
            .unwrap_err(),
    );
    assert_eq!(f, vec![("im_url".to_string(), "required".to_string())]);
    let f = fields(n.set_prefs(&employee, im("dingtalk", "ftp://127.0.0.1/x".into(), None)).await.unwrap_err());
    assert_eq!(f, vec![("im_url".to_string(), "not_https".to_string())]);
    assert!(!n.prefs(&employee).await.unwrap().im_enabled);

    // Each person's channel: Feishu and DingTalk signed, WeCom, Slack-compatible.
    n.set_prefs(&employee, im("feishu", format!("{base}/feishu/tok"), Some("SECtest"))).await.unwrap();
    n.set_prefs(&manager, im("dingtalk", format!("{base}/dingtalk?access_token=abc"), Some("SECtest"))).await.unwrap();
    n.set_prefs(&hr, im("wecom", format!("{base}/wecom?key=k1"), None)).await.unwrap();
    n.set_prefs(&admin, im("slack", format!("{base}/slack/T0/B0/x"), None)).await.unwrap();
    let kept = n.prefs(&employee).await.unwrap();
    assert!(kept.im_has_secret && kept.email_address.is_some());
    // The manager reads English.
    app.accounts().set_locale(&manager, Some("en")).await.unwrap();

    let ids = [employee.user_id.unwrap(), manager.user_id.unwrap(), hr.user_id.unwrap(), admin.user_id.unwrap()];
    send(&app, &manager, &[(ids[0], "goal-returned")], "Q4 提升留存", Some("请补充关键结果")).await;
    let system = Actor::system("sweep");
    send(&app, &system, &[(ids[1], "risk-alert"), (ids[2], "risk-alert"), (ids[3], "goal-filed")], "Q4 提升留存", None)
        .await;
    drain(&app).await;

    let mails = peers::mails(&smtp);
    // The admin account has no employee record, so no address: IM only.
    assert_eq!(mails.len(), 3, "{mails:?}");
    let to_employee = mails.iter().find(|m| m["subject"].as_str().unwrap().contains("退回")).unwrap();
    let who = manager.display_name.clone();
    assert_eq!(to_employee["subject"], format!("[路标] {who} 退回了你的目标「Q4 提升留存」"));
    let text = to_employee["text"].as_str().unwrap();
    assert!(
        text.contains("请补充关键结果")
            && text.contains("https://pm.example.com/goals/00000000-0000-0000-0000-00000000002a"),
        "{text}"
    );
    assert!(to_employee["html"].as_str().unwrap().contains("<a href=\"https://pm.example.com/goals/"));
    assert!(to_employee["from"].as_str().unwrap().contains("waymark@example.com"));
    assert!(to_employee["message_id"].as_str().unwrap().ends_with("@example.com>"));
    let to_manager = mails.iter().find(|m| m["subject"].as_str().unwrap().starts_with("[Waymark]")).unwrap();
    assert_eq!(
        to_manager["subject"],
        "[Waymark] A risk alert on the goal “Q4 提升留存”: see the evidence and suggestions"
    );
    assert!(to_manager["text"].as_str().unwrap().starts_with(&format!("Hello {},", manager.display_name)));

    let hooks_got = peers::webhooks(&hooks);
    let platforms: Vec<&str> = hooks_got.iter().map(|h| h["platform"].as_str().unwrap()).collect();
    assert_eq!(hooks_got.len(), 4, "{hooks_got:?}");
    for p in ["feishu", "dingtalk", "wecom", "slack"] {
        assert!(platforms.contains(&p), "{platforms:?}");
    }
    let feishu = hooks_got.iter().find(|h| h["platform"] == "feishu").unwrap();
    assert_eq!(feishu["signed"], true);
    assert_eq!(
        feishu["body"]["content"]["post"]["zh_cn"]["title"],
        format!("[路标] {who} 退回了你的目标「Q4 提升留存」")
    );
    let dingtalk = hooks_got.iter().find(|h| h["platform"] == "dingtalk").unwrap();
    assert_eq!(dingtalk["signed"], true);
    assert!(dingtalk["body"]["markdown"]["title"].as_str().unwrap().starts_with("[Waymark] A risk alert"));

    // A category switched off on IM: tracking messages reach the employee by e-mail only.
    let mut quiet = im("feishu", format!("{base}/feishu/tok"), None);
    quiet.im_off = vec!["tracking".into()];
    n.set_prefs(&employee, quiet).await.unwrap();
    send(&app, &hr, &[(ids[0], "risk-alert")], "Q1 降本", None).await;
    drain(&app).await;
    assert_eq!(peers::mails(&smtp).len(), 4);
    assert_eq!(peers::webhooks(&hooks).len(), 4);

    // A webhook that refuses (a wrong signing secret): the job fails at once with the platform's
    // answer, visible to the administrator only, and can be retried.
    n.set_prefs(&manager, im("dingtalk", format!("{base}/dingtalk?access_token=abc"), Some("wrong"))).await.unwrap();
    send(&app, &hr, &[(ids[1], "goal-filed")], "Q1 降本", None).await;
    drain(&app).await;
    let sys_admin = Actor { admin: true, ..admin.clone() };
    assert!(matches!(app.jobs().list(&hr, Some("failed"), None).await, Err(AppError::Forbidden)));
    let failed = app.jobs().list(&sys_admin, Some("failed"), None).await.unwrap();
    assert_eq!(failed.counts.failed, 1);
    let job = &failed.items[0];
    assert_eq!((job.kind.as_str(), job.attempts), ("im", 1));
    assert!(job.last_error.as_deref().unwrap().contains("sign not match"), "{:?}", job.last_error);
    // The manager sees it among their own deliveries.
    let mine = n.prefs(&manager).await.unwrap().deliveries;
    assert!(
        mine.iter().any(|d| d.state == "failed" && d.last_error.as_deref().unwrap_or("").contains("sign not match"))
    );
    // Fixed, and retried by the administrator: delivered.
    n.set_prefs(&manager, im("dingtalk", format!("{base}/dingtalk?access_token=abc"), Some("SECtest"))).await.unwrap();
    let again = app.jobs().retry(&sys_admin, job.id).await.unwrap();
    assert_eq!((again.state.as_str(), again.attempts), ("queued", 0));
    assert!(
        fields(app.jobs().retry(&sys_admin, job.id).await.unwrap_err())
            .contains(&("state".into(), "not_failed".into()))
    );
    drain(&app).await;
    assert_eq!(peers::webhooks(&hooks).len(), 5);
    assert_eq!(app.jobs().list(&sys_admin, Some("failed"), None).await.unwrap().counts.failed, 0);

    // A test message on request, and one refused when there is no channel to test.
    n.send_test(&employee, "email").await.unwrap();
    drain(&app).await;
    let test_mail = peers::mails(&smtp).into_iter().find(|m| m["subject"].as_str().unwrap().contains("测试")).unwrap();
    assert_eq!(test_mail["subject"], "[路标] 这是一条测试消息：你的通知渠道可以正常送达。");
    assert!(
        fields(n.send_test(&sys_admin, "email").await.unwrap_err()).contains(&("channel".into(), "no_address".into()))
    );
    assert!(fields(n.send_test(&employee, "fax").await.unwrap_err()).contains(&("channel".into(), "unknown".into())));
});

dual_test!(t7_an_unreachable_mail_server_is_retried_with_backoff_then_failed, |db: Db| async move {
    // Nothing listens on this port: every attempt fails to connect.
    let closed = peers::free_port();
    let (app, clock, [employee, manager, _hr, admin]) = world(db, closed).await;
    send(&app, &manager, &[(employee.user_id.unwrap(), "goal-returned")], "Q4 提升留存", None).await;
    drain(&app).await; // the fan-out, then the first attempt
    let sys_admin = Actor { admin: true, ..admin };
    let queued = app.jobs().list(&sys_admin, Some("queued"), None).await.unwrap();
    let job = queued.items.iter().find(|j| j.kind == "email").expect("the e-mail waits for its next attempt");
    assert_eq!(job.attempts, 1);
    assert!(job.last_error.as_deref().unwrap().starts_with("mail server:"), "{:?}", job.last_error);
    // 30 s later it is due again; before that it is not.
    assert_eq!(job.run_at, clock.now() + Duration::seconds(30));
    for attempt in 2..=8 {
        let due = app
            .jobs()
            .list(&sys_admin, None, None)
            .await
            .unwrap()
            .items
            .into_iter()
            .find(|j| j.id == job.id)
            .unwrap()
            .run_at;
        *clock.0.lock().unwrap() = due - Duration::seconds(1);
        drain(&app).await;
        let j =
            app.jobs().list(&sys_admin, None, None).await.unwrap().items.into_iter().find(|j| j.id == job.id).unwrap();
        assert_eq!(j.attempts, attempt - 1, "not due yet");
        *clock.0.lock().unwrap() = due;
        drain(&app).await;
    }
    let failed = app.jobs().list(&sys_admin, Some("failed"), None).await.unwrap();
    assert_eq!(failed.items.len(), 1);
    assert_eq!(failed.items[0].attempts, 8);
    assert!(failed.items[0].last_error.as_deref().unwrap().starts_with("mail server:"));
    // The inbox message itself is there all along.
    assert_eq!(app.inbox().list(&employee).await.unwrap().items.len(), 1);
});
