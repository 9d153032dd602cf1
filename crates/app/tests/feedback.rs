//! Feedback (F-2 … F-4) over real databases with the clock moved by hand: giving it with each
//! visibility and who then reads it (recipient, managers, HR, a colleague, the administrator),
//! requests with their reminder after three working days, answering and declining, the coach,
//! a manager's balance, and bad input refused with nothing written.

mod common;

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use uuid::Uuid;
use waymark_app::clock::FixedClock;
use waymark_app::demo::DemoOptions;
use waymark_app::feedback::{FeedbackInput, RequestInput, Which};
use waymark_app::jobs::Worker;
use waymark_app::policy::Actor;
use waymark_app::{App, AppConfig, AppError};
use waymark_store::{Db, dual_test};

use common::{fields, login};

fn input(to: Uuid, kind: &str, visibility: &str, template: &str, parts: &[&str]) -> FeedbackInput {
    FeedbackInput {
        recipient_id: to,
        kind: kind.into(),
        visibility: visibility.into(),
        template: template.into(),
        parts: parts.iter().map(|p| p.to_string()).collect(),
        goal_id: None,
        request_id: None,
    }
}

fn me(a: &Actor) -> Uuid {
    a.employee_id.unwrap()
}

async fn kinds(app: &App, who: &Actor) -> Vec<String> {
    app.inbox().list(who).await.unwrap().items.into_iter().map(|n| n.kind).collect()
}

async fn ids(app: &App, who: &Actor, which: Which) -> Vec<Uuid> {
    app.feedback().list(who, which).await.unwrap().into_iter().map(|f| f.id).collect()
}

dual_test!(f2_f4_feedback_visibility_requests_reminders_and_balance, |db: Db| async move {
    // Monday 30 November 2026, 09:00 in Shanghai.
    let clock = Arc::new(FixedClock::at(Utc.with_ymd_and_hms(2026, 11, 30, 1, 0, 0).unwrap()));
    let app = App::new(db, clock.clone(), AppConfig::default());
    app.create_demo(&DemoOptions { employees: 60, seed: 7, ..Default::default() }).await.unwrap();
    let (manager, employee, hr, ceo, admin) = (
        login(&app, "manager").await,
        login(&app, "employee").await,
        login(&app, "hr").await,
        login(&app, "executive").await,
        login(&app, "admin").await,
    );
    let f = app.feedback();

    // F-2: shared recognition with SBI, to the manager; the manager is told.
    let shared = f
        .give(
            &employee,
            input(
                me(&manager),
                "recognition",
                "recipient",
                "sbi",
                &["周二的客户演示中", "你一步步带客户看完了新仪表盘", "客户当天就签字确认了"],
            ),
        )
        .await
        .unwrap();
    assert_eq!(shared.parts.len(), 3);
    assert_eq!(shared.parts[2].part, "impact");
    assert!(kinds(&app, &manager).await.contains(&"feedback-received".to_string()));
    assert!(ids(&app, &manager, Which::Received).await.contains(&shared.id));
    assert!(ids(&app, &employee, Which::Given).await.contains(&shared.id));

    // Manager-only improvement about the employee: never shown to the employee, nor told.
    let before = kinds(&app, &employee).await.len();
    let private = f
        .give(
            &manager,
            input(
                me(&employee),
                "improvement",
                "manager",
                "sandwich",
                &["周报写得清楚", "周五的交接没通知值班", "下次提前在群里说一声"],
            ),
        )
        .await
        .unwrap();
    assert_eq!(kinds(&app, &employee).await.len(), before, "no notice of manager-only feedback");
    assert!(!ids(&app, &employee, Which::Received).await.contains(&private.id));
    assert!(matches!(f.get(&employee, private.id).await, Err(AppError::NotFound(_))));
    // The giver, HR of the unit and the CEO (the manager's own manager, up the line) read it.
    assert_eq!(f.get(&manager, private.id).await.unwrap().visibility, "manager");
    assert!(ids(&app, &hr, Which::About(me(&employee))).await.contains(&private.id));
    assert!(f.get(&ceo, private.id).await.is_ok());
    // A colleague and the administrator do not; nor may a colleague list someone else's.
    assert!(matches!(f.get(&login(&app, "admin").await, private.id).await, Err(AppError::NotFound(_))));
    assert!(matches!(f.get(&admin, shared.id).await, Err(AppError::NotFound(_))));
    assert!(matches!(f.list(&employee, Which::About(me(&manager))).await, Err(AppError::NotFound(_))));

    // Public praise: everyone of the organization reads it.
    let public = f
        .give(
            &manager,
            input(me(&employee), "recognition", "public", "free", &["上周四你主动带新人排查故障，当天就恢复了服务。"]),
        )
        .await
        .unwrap();
    assert!(ids(&app, &ceo, Which::Public).await.contains(&public.id));
    assert!(ids(&app, &hr, Which::Public).await.contains(&public.id));

    // Bad input, each refused with nothing written.
    let count = ids(&app, &employee, Which::Given).await.len();
    let refuse = |e: AppError| fields(e).into_iter().map(|(f, c)| format!("{f}:{c}")).collect::<Vec<_>>();
    let bad = [
        (input(me(&employee), "recognition", "recipient", "free", &["自己夸自己"]), "recipient_id:feedback_to_self"),
        (input(Uuid::now_v7(), "recognition", "recipient", "free", &["谁"]), "recipient_id:unknown_employee"),
        (input(me(&manager), "recognition", "recipient", "sbi", &["", " ", ""]), "parts:nothing_written"),
        (input(me(&manager), "recognition", "recipient", "sbi", &["只有一段"]), "parts:part_count"),
        (input(me(&manager), "improvement", "public", "free", &["公开批评"]), "visibility:public_improvement"),
        (
            input(me(&manager), "recognition", "recipient", "sandwich", &["a", "b", "c"]),
            "template:sandwich_is_improvement",
        ),
        (input(me(&manager), "recognition", "recipient", "free", &[&"字".repeat(5_001)]), "parts:too_long"),
        (input(me(&manager), "praise", "recipient", "free", &["x"]), "kind:invalid"),
    ];
    for (i, want) in bad {
        assert_eq!(refuse(f.give(&employee, i).await.unwrap_err()), vec![want.to_string()]);
    }
    assert_eq!(ids(&app, &employee, Which::Given).await.len(), count);
    // An administrator has no person to give feedback as.
    assert!(matches!(
        f.give(&admin, input(me(&manager), "recognition", "recipient", "free", &["x"])).await,
        Err(AppError::Forbidden)
    ));

    // F-2 requests: the employee asks the manager and the CEO about themselves.
    let req = f
        .request(
            &employee,
            RequestInput {
                about: None, from: vec![me(&manager), me(&ceo)], message: "上周的发布，请多指教".into()
            },
        )
        .await
        .unwrap();
    assert_eq!(req.asks.len(), 2);
    assert!(kinds(&app, &manager).await.contains(&"feedback-requested".to_string()));
    // Not about someone outside one's reporting line; not asking the person it is about.
    let e = f
        .request(&employee, RequestInput { about: Some(me(&manager)), from: vec![me(&ceo)], message: String::new() })
        .await;
    assert_eq!(fields(e.unwrap_err()), vec![("about".into(), "not_yours".into())]);
    let e = f.request(&employee, RequestInput { about: None, from: vec![me(&employee)], message: String::new() }).await;
    assert_eq!(fields(e.unwrap_err()), vec![("from".into(), "asked_about_self".into())]);
    let e = f.request(&employee, RequestInput { about: None, from: vec![], message: String::new() }).await;
    assert_eq!(fields(e.unwrap_err()), vec![("from".into(), "responder_count".into())]);
    // Each person asked sees the request waiting, and only their own ask; the manager answers.
    let (waiting, _) = f.requests(&ceo).await.unwrap();
    assert_eq!(waiting.iter().find(|r| r.id == req.id).unwrap().asks.len(), 1);
    let mut answer = input(
        me(&employee),
        "recognition",
        "recipient",
        "star",
        &["上周发布", "负责回滚预案", "写好了检查清单", "值班同事顺利接手"],
    );
    answer.request_id = Some(req.id);
    f.give(&manager, answer.clone()).await.unwrap();
    assert_eq!(
        fields(f.give(&manager, answer).await.unwrap_err()),
        vec![("request_id".into(), "request_not_open".into())]
    );
    let seen = f.request_view(&employee, req.id).await.unwrap();
    let state = |id: Uuid| seen.asks.iter().find(|a| a.responder.id == id).unwrap().state.clone();
    assert_eq!((state(me(&manager)), state(me(&ceo))), ("answered".into(), "open".into()));
    assert!(matches!(f.request_view(&hr, req.id).await, Err(AppError::NotFound(_))));

    // Three working days later (Thursday 3 December, 10:00) only the CEO, who has not
    // answered, is reminded: not a minute before.
    let reminded = |k: Vec<String>| k.iter().filter(|k| *k == "reminder-feedback-request").count();
    let worker = Worker::new(app.clone());
    *clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 3, 1, 59, 0).unwrap();
    while worker.run_once().await.unwrap() > 0 {}
    assert_eq!(reminded(kinds(&app, &ceo).await), 0);
    *clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 3, 2, 1, 0).unwrap();
    while worker.run_once().await.unwrap() > 0 {}
    assert_eq!(reminded(kinds(&app, &ceo).await), 1);
    assert_eq!(reminded(kinds(&app, &manager).await), 0, "answered: no reminder");

    // Declining closes one's ask; twice is refused.
    let req2 = f
        .request(&employee, RequestInput { about: None, from: vec![me(&manager)], message: String::new() })
        .await
        .unwrap();
    assert_eq!(f.decline(&manager, req2.id).await.unwrap().asks[0].state, "declined");
    assert_eq!(
        fields(f.decline(&manager, req2.id).await.unwrap_err()),
        vec![("request".into(), "request_not_open".into())]
    );

    // F-4: the manager gave 1 recognition (public) + 1 improvement + 1 recognition (the answer).
    let b = f.balance(&manager, None).await.unwrap();
    assert_eq!((b.recognition, b.improvement, b.nudge.clone()), (2, 1, None), "three items say nothing yet");
    for text in ["周三的站会你迟到了十分钟。", "周四的周报晚交了一天。", "周五的代码评审没回复。"]
    {
        f.give(&manager, input(me(&employee), "improvement", "manager", "free", &[text])).await.unwrap();
    }
    // 2 of 6 is exactly a third: not one-sided; one more improvement makes it 2 of 7.
    assert_eq!(f.balance(&manager, None).await.unwrap().nudge, None);
    f.give(&manager, input(me(&employee), "improvement", "manager", "free", &["周一的会议纪要漏了结论。"]))
        .await
        .unwrap();
    let b = f.balance(&manager, None).await.unwrap();
    assert_eq!((b.recognition, b.improvement), (2, 5));
    assert_eq!(b.recognition_percent, Some(28.6));
    assert_eq!(b.nudge.as_deref(), Some("mostly_improvement"));
    // HR reads a manager's balance; a report does not.
    assert!(f.balance(&hr, Some(me(&manager))).await.is_ok());
    assert!(matches!(f.balance(&employee, Some(me(&manager))).await, Err(AppError::NotFound(_))));

    // F-3 through the service: a harsh draft (harsh, not also vague: issue 22, item 10), an
    // empty one (not praised) and a too-long one.
    let c = f.coach(&employee, "你总是拖延交付。").unwrap();
    assert_eq!(c.hints.iter().map(|h| h.flag.as_str()).collect::<Vec<_>>(), ["harsh"]);
    assert_eq!(c.hints[0].words, ["总是"]);
    assert_eq!(f.coach(&employee, "  ").unwrap().state, "empty");
    assert_eq!(fields(f.coach(&employee, &"字".repeat(5_001)).unwrap_err()), vec![("text".into(), "too_long".into())]);

    // Audited: each item given, with its author.
    let filter = waymark_store::repo::audit::AuditFilter {
        entity_type: Some("feedback".into()),
        entity_id: Some(shared.id.to_string()),
        limit: 10,
        ..Default::default()
    };
    let log = app.audit().list(&hr, filter).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "create");
});
