//! The goal-setting workflow over real databases (SQLite and PostgreSQL): submit, return with
//! comments, approve, HR filing, the approval queue and inbox (G-10); changes after approval
//! with a reason and approval again where configured, and the history (G-11); resource
//! commitments (G-12); the goal map and break points (G-6, G-7).

use std::sync::Arc;

use chrono::TimeZone;
use waymark_app::clock::FixedClock;
use waymark_app::demo::{DEMO_PASSWORD, DemoOptions};
use waymark_app::goals::changes::{CommitmentInput, GoalPatch, ReasonInput};
use waymark_app::goals::convert::KeyResultInput;
use waymark_app::goals::workflow::{ApprovalRuleInput, DecisionInput, SubmitInput};
use waymark_app::goals::{AlignInput, GoalInput, PeriodInput};
use waymark_app::policy::Actor;
use waymark_app::{App, AppConfig, AppError};
use waymark_store::{Db, dual_test};

async fn setup(db: Db) -> (App, Actor, Actor, Actor) {
    let clock = FixedClock::at(chrono::Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap());
    let app = App::new(db, Arc::new(clock), AppConfig::default());
    app.create_demo(&DemoOptions { employees: 60, seed: 5, ..Default::default() }).await.unwrap();
    let login = |u: &'static str| {
        let app = app.clone();
        async move { app.accounts().login(u, DEMO_PASSWORD, "127.0.0.1").await.unwrap().1 }
    };
    (app.clone(), login("hr").await, login("manager").await, login("employee").await)
}

fn goal(period: uuid::Uuid, title: &str) -> GoalInput {
    GoalInput {
        period_id: period,
        title: title.into(),
        description: None,
        framework: "okr".into(),
        level: None,
        unit_id: None,
        owner_ids: vec![],
        visibility: None,
        is_key: None,
        weight: None,
        progress_source: None,
        due_on: None,
        key_results: (1..=3)
            .map(|i| KeyResultInput {
                title: format!("KR{i}"),
                kind: "numeric".into(),
                start: Some(0.0),
                target: Some(10.0),
                ..Default::default()
            })
            .collect(),
        aligned_to: vec![],
    }
}

fn field_code(e: AppError) -> (String, String) {
    match e {
        AppError::Invalid(f) => (f[0].field.clone(), f[0].code.clone()),
        other => panic!("expected a field error, got {other:?}"),
    }
}

fn decision(d: &str, comment: Option<&str>) -> DecisionInput {
    DecisionInput { decision: d.into(), comment: comment.map(str::to_string) }
}

dual_test!(g10_g11_submit_return_approve_file_and_change_with_a_reason, |db: Db| async move {
    let (app, hr, manager, employee) = setup(db).await;
    let goals = app.goals();
    let period = PeriodInput {
        name: "2026 H2".into(),
        kind: "half".into(),
        starts_on: "2026-07-01".into(),
        ends_on: "2026-12-31".into(),
        setting_due_on: None,
    };
    let period = goals.create_period(&hr, period).await.unwrap();
    let company = GoalInput {
        level: Some("company".into()),
        progress_source: Some("children".into()),
        key_results: vec![],
        ..goal(period.id, "公司目标")
    };
    let company = goals.create_goal(&hr, company).await.unwrap();
    let mine = GoalInput {
        aligned_to: vec![AlignInput {
            goal_id: company.summary.id,
            key_result_id: None,
            from_key_result_id: None,
            weight: None,
        }],
        ..goal(period.id, "提升续约率")
    };
    let mine = goals.create_goal(&employee, mine).await.unwrap();
    let id = mine.summary.id;
    // The company goal is HR's: the alignment is a request until HR accepts it (issue 22, item 1).
    goals.accept_alignment(&hr, mine.requests_out[0].id, Default::default()).await.unwrap();
    assert_eq!(mine.summary.status, "draft");
    assert_eq!(mine.workflow.path, vec!["manager", "hr_filing"], "G-10 default nodes");
    assert!(mine.workflow.can_submit);

    // Submitted: waits for the manager, who hears of it.
    let v = goals.submit(&employee, id, SubmitInput { comment: Some("请审阅".into()) }).await.unwrap();
    assert_eq!((v.summary.status.as_str(), v.workflow.pending_step.as_deref()), ("submitted", Some("manager")));
    let queue = goals.approval_queue(&manager).await.unwrap();
    assert_eq!(queue.iter().map(|p| p.goal.id).collect::<Vec<_>>(), vec![id]);
    assert_eq!(queue[0].goal.owner_names.len(), 1);
    let inbox = app.inbox().list(&manager).await.unwrap();
    assert_eq!((inbox.unread, inbox.items[0].kind.as_str()), (1, "goal-to-approve"));
    assert!(goals.approval_queue(&employee).await.unwrap().is_empty());
    assert!(matches!(goals.decide(&employee, id, decision("approve", None)).await, Err(AppError::Forbidden)));
    assert!(
        matches!(goals.decide(&hr, id, decision("approve", None)).await, Err(AppError::Forbidden)),
        "HR does not approve for the manager"
    );
    // Under review the owner cannot change it.
    let e = goals
        .update_goal(&employee, id, GoalPatch { title: Some("x".into()), ..Default::default() })
        .await
        .unwrap_err();
    assert_eq!(field_code(e), ("status".into(), "under_review".into()));

    // Returned: a comment is required, and reaches the owner.
    let e = goals.decide(&manager, id, decision("return", Some("  "))).await.unwrap_err();
    assert_eq!(field_code(e), ("comment".into(), "required".into()));
    let v = goals.decide(&manager, id, decision("return", Some("目标值太保守，请提高到 15"))).await.unwrap();
    assert_eq!(v.summary.status, "returned");
    let v = goals.view(&employee, id).await.unwrap();
    assert_eq!(v.workflow.returned_comment.as_deref(), Some("目标值太保守，请提高到 15"));
    let inbox = app.inbox().list(&employee).await.unwrap();
    assert_eq!(inbox.items[0].kind, "goal-returned");
    assert_eq!(inbox.items[0].body.as_deref(), Some("目标值太保守，请提高到 15"));
    assert_eq!(app.inbox().mark_read(&employee, None).await.unwrap(), inbox.unread);
    assert_eq!(app.inbox().unread(&employee).await.unwrap(), 0);
    // A returned goal changes freely, then goes again.
    goals
        .update_goal(&employee, id, GoalPatch { title: Some("提升续约率到 15%".into()), ..Default::default() })
        .await
        .unwrap();
    goals.submit(&employee, id, SubmitInput::default()).await.unwrap();
    let v = goals.decide(&manager, id, decision("approve", Some("好"))).await.unwrap();
    assert_eq!((v.summary.status.as_str(), v.workflow.pending_step.as_deref()), ("approved", Some("hr_filing")));
    assert!(goals.approval_queue(&manager).await.unwrap().is_empty());
    assert_eq!(goals.approval_queue(&hr).await.unwrap()[0].step, "hr_filing");
    let v = goals.decide(&hr, id, decision("approve", None)).await.unwrap();
    assert_eq!((v.summary.status.as_str(), v.workflow.pending_step), ("filed", None));
    assert!(matches!(goals.decide(&hr, id, decision("approve", None)).await.unwrap_err(), AppError::Invalid(_)));

    // G-11: an agreed goal changes only with a reason, and the history tells who, what, why.
    let patch = GoalPatch { title: Some("提升续约率到 18%".into()), ..Default::default() };
    let e = goals.update_goal(&employee, id, patch.clone()).await.unwrap_err();
    assert_eq!(field_code(e), ("reason".into(), "reason_required".into()));
    let v =
        goals.update_goal(&employee, id, GoalPatch { reason: Some("大客户提前续约".into()), ..patch }).await.unwrap();
    assert_eq!((v.summary.title.as_str(), v.summary.status.as_str()), ("提升续约率到 18%", "filed"));
    let h = goals.history(&employee, id).await.unwrap();
    let actions: Vec<&str> = h.iter().filter(|e| e.entity_type == "goal").map(|e| e.action.as_str()).collect();
    // The alignment to HR's company goal was asked for, then made by HR (issue 22, item 1).
    let expected =
        ["create", "request_alignment", "align", "submit", "return", "update", "submit", "approve", "file", "update"];
    assert_eq!(actions, expected);
    let last = h.iter().rev().find(|e| e.action == "update").unwrap();
    assert_eq!(last.reason.as_deref(), Some("大客户提前续约"));
    let title = last.changes.iter().find(|c| c.field == "title").unwrap();
    assert_eq!((title.before.as_deref(), title.after.as_deref()), (Some("提升续约率到 15%"), Some("提升续约率到 18%")));
    assert_eq!(h.iter().find(|e| e.action == "return").unwrap().reason.as_deref(), Some("目标值太保守，请提高到 15"));

    // Configured: the organization files nothing, but agreed changes are approved again.
    let rule = ApprovalRuleInput {
        unit_id: None,
        level: None,
        manager_review: true,
        skip_level: false,
        hr_filing: false,
        change_approval: true,
    };
    assert!(matches!(goals.set_approval_rule(&manager, rule.clone()).await, Err(AppError::Forbidden)));
    let rules = goals.set_approval_rule(&hr, rule.clone()).await.unwrap();
    assert_eq!(rules.len(), 1);
    assert_eq!(goals.set_approval_rule(&hr, rule).await.unwrap().len(), 1, "one rule per unit and level");
    let v = goals
        .update_goal(
            &employee,
            id,
            GoalPatch { is_key: Some(false), reason: Some("调整重点".into()), ..Default::default() },
        )
        .await
        .unwrap();
    assert_eq!((v.summary.status.as_str(), v.workflow.pending_step.as_deref()), ("submitted", Some("manager")));
    let q = goals.approval_queue(&manager).await.unwrap();
    assert_eq!(q[0].reason.as_deref(), Some("调整重点"));
    let v = goals.decide(&manager, id, decision("approve", None)).await.unwrap();
    assert_eq!((v.summary.status.as_str(), v.workflow.path.clone()), ("approved", vec!["manager".to_string()]));

    // G-12: the manager promises support; the owner hears of it and it is tracked to done.
    let promise = CommitmentInput {
        kind: "training".into(),
        description: "参加谈判培训".into(),
        provider_id: None,
        due_on: Some("2026-12-15".into()),
    };
    assert!(matches!(goals.add_commitment(&employee, id, promise.clone()).await, Err(AppError::Forbidden)));
    let bad = CommitmentInput { kind: "money".into(), ..promise.clone() };
    assert_eq!(field_code(goals.add_commitment(&manager, id, bad).await.unwrap_err()).0, "kind");
    let v = goals.add_commitment(&manager, id, promise).await.unwrap();
    assert_eq!((v.commitments.len(), v.commitments[0].done), (1, false));
    assert_eq!(app.inbox().list(&employee).await.unwrap().items[0].kind, "goal-commitment");
    let v = goals.complete_commitment(&manager, v.commitments[0].id, true).await.unwrap();
    assert!(v.commitments[0].done);

    // G-6 map: the company goal's tree holds the employee's goal; its chain up is the company goal.
    let map = goals.map(&employee, company.summary.id, 2).await.unwrap();
    assert_eq!(map.tree.children.iter().map(|n| n.goal.id).collect::<Vec<_>>(), vec![id]);
    assert_eq!(map.tree.supporters, 1);
    let up = goals.map(&employee, id, 1).await.unwrap();
    assert_eq!(up.chain_up.iter().map(|g| g.id).collect::<Vec<_>>(), vec![company.summary.id]);

    // G-7: a goal aligned to nothing is a break point for the owner's manager, not for others.
    let loose =
        goals.create_goal(&employee, GoalInput { aligned_to: vec![], ..goal(period.id, "学习 Rust") }).await.unwrap();
    let bp = goals.break_points(&manager, period.id).await.unwrap();
    assert_eq!(bp.orphans.iter().map(|g| g.id).collect::<Vec<_>>(), vec![loose.summary.id]);
    let bp = goals.break_points(&hr, period.id).await.unwrap();
    assert!(bp.orphans.iter().any(|g| g.id == loose.summary.id));
    assert!(bp.unsupported.is_empty(), "the company goal is supported");
    // Unaligning the first goal makes the company goal unsupported again.
    let link = goals.view(&employee, id).await.unwrap().supports[0].link_id;
    let e = goals.unalign(&employee, link, ReasonInput::default()).await.unwrap_err();
    assert_eq!(field_code(e).1, "reason_required");
    goals.unalign(&employee, link, ReasonInput { reason: Some("改为支持部门目标".into()) }).await.unwrap();
    let bp = goals.break_points(&hr, period.id).await.unwrap();
    assert_eq!(bp.unsupported.iter().map(|g| g.id).collect::<Vec<_>>(), vec![company.summary.id]);
});

dual_test!(g8_reuse_of_the_previous_period_copies_drafts_once, |db: Db| async move {
    use waymark_app::goals::reuse::ReuseInput;
    let (app, hr, _manager, employee) = setup(db).await;
    let goals = app.goals();
    let period = |name: &str, s: &str, e: &str| PeriodInput {
        name: name.into(),
        kind: "quarter".into(),
        starts_on: s.into(),
        ends_on: e.into(),
        setting_due_on: None,
    };
    let q3 = goals.create_period(&hr, period("2026 Q3", "2026-07-01", "2026-09-30")).await.unwrap();
    let q4 = goals.create_period(&hr, period("2026 Q4", "2026-10-01", "2026-12-31")).await.unwrap();
    // Q3 has ended (today is 21 November): its value was entered while it ran.
    let mut old = goal(q3.id, "提升续约率");
    old.key_results[0].current = Some(7.0);
    let old = goals.create_goal(&employee, old).await.unwrap();
    assert_eq!(old.key_results[0].current, Some(7.0));
    let mine = goals.reuse_goals(&employee, q4.id, ReuseInput { from_period_id: q3.id }).await.unwrap();
    assert_eq!(mine.goals.len(), 1);
    let copy = goals.view(&employee, mine.goals[0].id).await.unwrap();
    assert_eq!((copy.summary.title.as_str(), copy.summary.status.as_str()), ("提升续约率", "draft"));
    assert_eq!(copy.key_results.len(), 3);
    assert_eq!((copy.key_results[0].current, copy.summary.progress_percent), (Some(0.0), 0.0), "values back at start");
    assert!(copy.supports.is_empty());
    // Again: nothing copied twice; the same period is refused.
    assert_eq!(goals.reuse_goals(&employee, q4.id, ReuseInput { from_period_id: q3.id }).await.unwrap().goals.len(), 1);
    let e = goals.reuse_goals(&employee, q4.id, ReuseInput { from_period_id: q4.id }).await.unwrap_err();
    assert_eq!(field_code(e), ("from_period_id".into(), "same_period".into()));
    assert!(
        goals.history(&employee, copy.summary.id).await.unwrap()[0].reason.as_deref() == Some("reused from 2026 Q3")
    );
});
