//! Risk signals with their evidence chain (SPEC I-4; issue 26, items 1 and 2) over real
//! databases: a person whose 1:1s keep being cancelled and whose feedback turns harsh gets a
//! flight/burnout hint with exactly that evidence, is told first, reads it and answers it; their
//! manager sees a count, not a name, until HR allows names; HR opens it only with a reason,
//! which the audit log keeps, and replies once; a person who leaves has their signal cleared.

mod common;

use chrono::{TimeZone, Utc};
use waymark_app::AppError;
use waymark_app::feedback::FeedbackInput;
use waymark_app::one_on_ones::SeriesInput;
use waymark_app::org::{EmployeeInput, StatusChange};
use waymark_domain::signals::{SignalKind, SignalState};
use waymark_store::repo::{audit, inbox};
use waymark_store::{Db, dual_test};

use common::{fields, monday_demo};

/// The demo on Monday 30 November with the demo employee at a level of their own (no peers
/// to compare time at it with), three of their four weekly 1:1s since 14 September cancelled,
/// and two of three pieces of feedback this month harsh or labelling.
async fn troubled(db: Db) -> common::Demo {
    let d = monday_demo(db).await;
    let c = &d.app.db.conn;
    let me = d.employee.employee_id.unwrap();
    let boss = d.manager.employee_id.unwrap();
    let set = |t| *d.clock.0.lock().unwrap() = t;
    let monday = Utc.with_ymd_and_hms(2026, 11, 30, 1, 0, 0).unwrap();

    // A level no one else holds: time at it has no norm to compare with (fewer than five peers).
    let input = EmployeeInput { level: Some("T9-solo".into()), ..common::employee_input(c, me, boss).await };
    d.app.org().update_employee(&d.hr, me, input, Some("test".into())).await.unwrap();

    // Weekly 1:1s from Monday 14 September: three cancelled, one held (all within 90 days).
    set(Utc.with_ymd_and_hms(2026, 9, 7, 1, 0, 0).unwrap());
    let oo = d.app.one_on_ones();
    let series = oo
        .create_series(
            &d.manager,
            SeriesInput {
                with: me,
                cadence: "weekly".into(),
                first_at: "2026-09-14T10:00".into(),
                duration_min: 30,
                location: None,
            },
        )
        .await
        .unwrap();
    for _ in 0..3 {
        let next = oo.series_view(&d.manager, series.id).await.unwrap().next.unwrap();
        oo.cancel(&d.manager, next.id).await.unwrap();
    }
    set(Utc.with_ymd_and_hms(2026, 10, 5, 1, 30, 0).unwrap());
    let next = oo.series_view(&d.manager, series.id).await.unwrap().next.unwrap();
    oo.mark_held(&d.manager, next.id).await.unwrap();
    set(monday);

    // Three pieces of improvement feedback this month, two of them harsh or labelling.
    let fb = |parts: [&str; 3]| FeedbackInput {
        recipient_id: me,
        kind: "improvement".into(),
        visibility: "recipient".into(),
        template: "sbi".into(),
        parts: parts.iter().map(|p| p.to_string()).collect(),
        goal_id: None,
        request_id: None,
    };
    for parts in [
        ["周一的周会上", "你总是一塌糊涂，交付拖拖拉拉", "大家都很失望"],
        ["这周的评审", "你太不靠谱了，说好的方案没有给", "项目被延误"],
        ["周三的对齐会", "你在结论里没有给出数据来源", "客户追问了两次才确认"],
    ] {
        d.app.feedback().give(&d.manager, fb(parts)).await.unwrap();
    }

    d
}

dual_test!(i4_a_signal_with_its_evidence_seen_first_answered_and_looked_at_with_a_reason, |db: Db| async move {
    let d = troubled(db).await;
    let c = &d.app.db.conn;
    let s = d.app.signals();
    let me = d.employee.employee_id.unwrap();
    // The person asked to be told first; only org-wide HR (or the sweep) runs the rules.
    s.set_notify_first(&d.employee, true).await.unwrap();
    assert!(matches!(s.compute(&d.manager).await, Err(AppError::Forbidden)));
    let r = s.compute(&d.hr).await.unwrap();
    assert_eq!((r.raised, r.updated, r.cleared), (1, 0, 0), "{r:?}");
    assert!(r.people >= 50, "everyone current is read: {r:?}");

    // The person sees it with exactly its evidence: the 1:1s (system-recorded) before the
    // feedback (others' words), one point each, and what could help.
    let mine = s.mine(&d.employee).await.unwrap();
    assert!(mine.notify_first);
    assert_eq!(mine.signals.len(), 1);
    let v = &mine.signals[0];
    assert_eq!((v.signal.kind, v.signal.state, v.signal.points), (SignalKind::FlightBurnout, SignalState::Open, 2));
    let codes: Vec<&str> = v.signal.evidence.iter().map(|e| e.factor.code()).collect();
    assert_eq!(codes, ["one_on_ones_cancelled", "feedback_turning_critical"]);
    assert_eq!(format!("{:?}", v.signal.evidence[0].factor), "OneOnOnesCancelled { cancelled: 3, held: 1 }");
    assert_eq!(
        format!("{:?}", v.signal.evidence[1].factor),
        "FeedbackTurningCritical { recent_critical: 2, recent_total: 3, earlier_critical: 0, earlier_total: 0 }"
    );
    assert_eq!(v.suggestions, ["hold_one_on_one", "talk_about_feedback"]);
    assert!(v.can_answer && !v.can_reply);
    let user = d.employee.user_id.unwrap();
    assert!(inbox::latest(c, user, 20).await.unwrap().iter().any(|n| n.kind == "signal-raised"), "told first");
    let id = v.signal.id;
    // Home: the person's to-do until they answer; HR's once an answer waits for them.
    let todos =
        |h: waymark_app::home::HomeView| h.todos.into_iter().map(|t| (t.kind, t.variant, t.count)).collect::<Vec<_>>();
    let signal_todo = ("signal".to_string(), Some("flight_burnout".to_string()), None);
    assert!(todos(d.app.home().today(&d.employee).await.unwrap()).contains(&signal_todo));

    // Only the person answers, with one of the three stances and some words.
    assert!(matches!(s.answer(&d.manager, id, "explain", "x").await, Err(AppError::NotFound(_))));
    assert!(matches!(s.answer(&d.hr, id, "explain", "x").await, Err(AppError::Forbidden)));
    assert_eq!(
        fields(s.answer(&d.employee, id, "agree", "x").await.unwrap_err()),
        [("stance".into(), "signal_stance".into())]
    );
    assert_eq!(
        fields(s.answer(&d.employee, id, "explain", "  ").await.unwrap_err()),
        [("answer".into(), "required".into())]
    );
    let a = s.answer(&d.employee, id, "explain", "九月家里有事，已经和主管说过").await.unwrap();
    assert!(!todos(d.app.home().today(&d.employee).await.unwrap()).contains(&signal_todo), "answered");
    let reply_todo = ("signal-reply".to_string(), None, Some(1));
    assert!(todos(d.app.home().today(&d.hr).await.unwrap()).contains(&reply_todo));
    assert!(!todos(d.app.home().today(&d.manager).await.unwrap()).iter().any(|t| t.0 == "signal-reply"));
    let hr_user = d.hr.user_id.unwrap();
    assert!(inbox::latest(c, hr_user, 20).await.unwrap().iter().any(|n| n.kind == "signal-answered"));

    // The manager of four: no counts at all (a count of four could point at one person), no
    // names, no evidence. The head of the company, whose line is everyone: counts only.
    let o = s.overview(&d.manager).await.unwrap();
    let line = o.line.expect("a manager sees their line");
    assert_eq!((line.people, line.counts), (4, None));
    assert!(o.listed.is_empty() && !o.managers_see_names);
    assert!(matches!(s.look(&d.manager, id, Some("想了解")).await, Err(AppError::NotFound(_))));
    let o = s.overview(&d.ceo).await.unwrap();
    let line = o.line.expect("the head of the company manages everyone");
    assert!(line.people >= 50, "{}", line.people);
    assert_eq!(line.counts, Some(vec![(SignalKind::FlightBurnout, 1), (SignalKind::HighPotential, 0)]));
    assert!(o.listed.is_empty());

    // HR of the unit: listed by name with one answer waiting; opening it takes a reason, kept.
    let o = s.overview(&d.hr).await.unwrap();
    let row = o.listed.iter().find(|p| p.person.id == me).expect("HR lists the person");
    assert_eq!((row.signals.len(), row.unanswered), (1, 1));
    assert_eq!(fields(s.look(&d.hr, id, None).await.unwrap_err()), [("look_reason".into(), "required".into())]);
    let seen = s.look(&d.hr, id, Some("准备与主管的人才讨论")).await.unwrap();
    assert!(seen.can_reply && !seen.can_answer);
    assert_eq!(seen.answers.len(), 1);
    let log = audit::history(c, &[("risk_signal", vec![id])]).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].action.as_str(), log[0].reason.as_deref()), ("view", Some("准备与主管的人才讨论")));
    assert_eq!((log[0].actor_user_id, log[0].subject_employee_id), (d.hr.user_id, Some(me)));
    // The person's own look is theirs: no reason asked, nothing logged.
    s.look(&d.employee, id, None).await.unwrap();
    assert_eq!(audit::history(c, &[("risk_signal", vec![id])]).await.unwrap().len(), 1);

    // HR replies, once; the person hears of it; nobody else replies.
    assert!(matches!(s.reply(&d.employee, a.answer.id, "x").await, Err(AppError::Forbidden)));
    s.reply(&d.hr, a.answer.id, "收到，下周和你聊聊").await.unwrap();
    assert_eq!(fields(s.reply(&d.hr, a.answer.id, "再说一次").await.unwrap_err()), [("reply".into(), "held".into())]);
    assert!(inbox::latest(c, user, 20).await.unwrap().iter().any(|n| n.kind == "signal-replied"));
    assert!(!todos(d.app.home().today(&d.hr).await.unwrap()).iter().any(|t| t.0 == "signal-reply"), "replied");
    let mine = s.mine(&d.employee).await.unwrap();
    assert_eq!(mine.signals[0].answers[0].answer.reply.as_ref().unwrap().body, "收到，下周和你聊聊");

    // HR lets managers see names: the manager lists the person and opens it with a reason.
    assert!(matches!(s.set_managers_see_names(&d.manager, true).await, Err(AppError::Forbidden)));
    s.set_managers_see_names(&d.hr, true).await.unwrap();
    let o = s.overview(&d.manager).await.unwrap();
    assert_eq!(o.listed.iter().map(|p| p.person.id).collect::<Vec<_>>(), [me]);
    assert!(s.look(&d.manager, id, Some("一对一前准备")).await.is_ok());
    assert!(matches!(s.look(&d.admin, id, Some("好奇")).await, Err(AppError::NotFound(_))));

    // The same facts the next night: nothing new. The person leaves: the signal is cleared and
    // kept with its answer.
    let r = s.compute(&d.hr).await.unwrap();
    assert_eq!((r.raised, r.updated, r.cleared), (0, 0, 0));
    let left = StatusChange { status: "left".into(), effective_on: "2026-11-30".into(), reason: None };
    d.app.org().change_status(&d.hr, me, left).await.unwrap();
    let r = s.compute(&d.hr).await.unwrap();
    assert_eq!((r.raised, r.cleared), (0, 1));
    let seen = s.look(&d.hr, id, Some("离职后复盘")).await.unwrap();
    assert_eq!(seen.signal.state, SignalState::Cleared);
    assert!(seen.signal.cleared_at.is_some() && seen.answers.len() == 1);
    // A cleared signal takes no more answers, as its page offers none.
    assert_eq!(
        fields(s.answer(&d.employee, id, "explain", "补充一点").await.unwrap_err()),
        [("signal".into(), "signal_cleared".into())]
    );
});

dual_test!(i4_two_computations_at_once_raise_a_signal_once, |db: Db| async move {
    let d = troubled(db).await;
    let s = d.app.signals();
    let (a, b) = tokio::join!(s.compute(&d.hr), s.compute(&d.hr));
    // Each either raised it or found it raised, or was told another ran at the same time.
    let mut raised = 0;
    for r in [a, b] {
        match r {
            Ok(r) => raised += r.raised,
            Err(e) => assert_eq!(fields(e), [("compute".into(), "running".into())]),
        }
    }
    assert_eq!(raised, 1);
    assert_eq!(s.mine(&d.employee).await.unwrap().signals.len(), 1);
});
