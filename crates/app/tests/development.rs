//! The review conversation (V-5) and development plans (D-1) over real databases: the manager
//! records the conversation with its four outputs — draft goals become the person's draft goals,
//! a plan is made from it — the person reads it and keeps the plan; checkpoints are reminded
//! the working day before; who may not do what.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use waymark_app::AppError;
use waymark_app::development::{CheckpointInput, PlanActionInput, PlanInput};
use waymark_app::jobs::Worker;
use waymark_app::reviews::ConversationInput;
use waymark_store::repo::{accounts, audit, goals as goal_repo, inbox, org as org_repo, reviews as review_repo};
use waymark_store::{Db, dual_test};

use common::{fields, monday_demo};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

dual_test!(v5_d1_conversation_outputs_and_a_development_plan, |db: Db| async move {
    let d = monday_demo(db).await;
    let opts = waymark_app::demo::DemoOptions { employees: 60, seed: 7, ..Default::default() };
    d.app.create_demo_goals(&opts).await.unwrap().expect("the demo's goals");
    let (r, dev) = (d.app.reviews(), d.app.development());
    let c = &d.app.db.conn;
    let cycle = r.cycles(&d.hr).await.unwrap().remove(0);
    let me = d.employee.employee_id.unwrap();
    let people = review_repo::participants(c, cycle.id).await.unwrap();
    let pid = people.iter().find(|p| p.employee_id == me).unwrap().id;
    let mut teammate = None;
    for p in people.iter().filter(|p| p.employee_id != me && p.manager_id == d.manager.employee_id) {
        if accounts::user_by_employee(c, p.employee_id).await.unwrap().is_none() {
            teammate = Some(p.clone());
            break;
        }
    }
    let teammate = teammate.expect("a teammate without an account");
    let no = org_repo::employee(c, teammate.employee_id).await.unwrap().unwrap().employee_no;
    let colleague = common::sign_up(&d.app, &no, "colleague").await;

    // ---- the conversation: by the manager, every question answered, 2–3 capabilities ----
    let input = |caps: &[&str], drafts: &[&str], period| ConversationInput {
        held_on: day(11, 30),
        standing: "目标达成 84%，处于 B 的上沿".into(),
        facts: "两个里程碑按期交付；一次线上故障复盘及时".into(),
        next_grade: "独立负责一个跨团队项目并按期交付".into(),
        conclusion: "B：交付稳定，主动性强；依据：目标达成与关键事件".into(),
        capabilities: caps.iter().map(|s| s.to_string()).collect(),
        next_period_id: period,
        draft_goals: drafts.iter().map(|s| s.to_string()).collect(),
    };
    let caps = ["跨团队协作", "技术方案表达"];
    let drafts = ["独立负责结算系统重构", "带教一名新人"];
    let period = Some(cycle.period_id);
    assert!(matches!(r.save_conversation(&d.employee, pid, input(&caps, &[], None)).await, Err(AppError::Forbidden)));
    assert!(matches!(r.save_conversation(&colleague, pid, input(&caps, &[], None)).await, Err(AppError::NotFound(_))));
    for (bad, field, code) in [
        (input(&["跨团队协作"], &[], None), "capabilities", "capability_count"),
        (input(&["a", "b", "c", "d"], &[], None), "capabilities", "capability_count"),
        (input(&caps, &drafts, None), "next_period_id", "required"),
        (ConversationInput { held_on: day(12, 1), ..input(&caps, &[], None) }, "held_on", "in_the_future"),
        (ConversationInput { facts: " ".into(), ..input(&caps, &[], None) }, "facts", "required"),
    ] {
        let e = r.save_conversation(&d.manager, pid, bad).await.unwrap_err();
        assert_eq!(fields(e), [(field.into(), code.into())]);
    }
    assert!(r.conversation(&d.manager, pid).await.unwrap().held_on.is_none(), "nothing half-written");
    let v = r.save_conversation(&d.manager, pid, input(&caps, &drafts, period)).await.unwrap();
    assert_eq!(v.capabilities, caps);
    assert_eq!(
        v.goals.iter().map(|g| (g.title.as_str(), g.status.as_str())).collect::<Vec<_>>(),
        [("独立负责结算系统重构", "draft"), ("带教一名新人", "draft")]
    );
    // The draft goals are the person's, in the period, and they are told.
    let owned = goal_repo::goal_ids_owned_by(c, me, cycle.period_id).await.unwrap();
    assert!(v.goals.iter().all(|g| owned.contains(&g.id)));
    let user = d.employee.user_id.unwrap();
    let told = inbox::latest(c, user, 20).await.unwrap();
    assert_eq!(told.iter().filter(|n| n.kind == "goal-assigned").count(), 2);
    // Corrected later: the goals stay, the change is audited with before and after.
    let again = ConversationInput { conclusion: "B+：交付稳定".into(), ..input(&caps, &[], None) };
    let v = r.save_conversation(&d.manager, pid, again).await.unwrap();
    assert_eq!((v.conclusion.as_str(), v.goals.len()), ("B+：交付稳定", 2));
    let log = audit::history(c, &[("review_participant", vec![pid])]).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|a| a.action.as_str()).collect();
    assert!(actions.contains(&"conversation") && actions.contains(&"conversation_update"), "{actions:?}");
    // The person reads it and cannot change it; a colleague does not see it.
    let mine = r.conversation(&d.employee, pid).await.unwrap();
    assert_eq!((mine.conclusion.as_str(), mine.can_edit), ("B+：交付稳定", false));
    assert!(matches!(r.conversation(&colleague, pid).await, Err(AppError::NotFound(_))));

    // ---- the development plan from the conversation ----
    let action = |kind: &str, title: &str, due| PlanActionInput {
        kind: kind.into(),
        title: title.into(),
        capability: Some("跨团队协作".into()),
        due_on: due,
    };
    let plan = |actions: Vec<PlanActionInput>, checkpoints: Vec<NaiveDate>, participant| PlanInput {
        employee_id: me,
        participant_id: participant,
        title: "成为能独立牵头跨团队项目的工程师".into(),
        capabilities: caps.iter().map(|s| s.to_string()).collect(),
        actions,
        checkpoints,
    };
    let good = || {
        vec![
            action("course", "《高效协作》内训", Some(day(12, 20))),
            action("mentor", "每两周与架构师导师交流一次", None),
        ]
    };
    for (bad, field, code) in [
        (plan(vec![], vec![], Some(pid)), "actions", "count"),
        (plan(vec![action("book", "读书", None)], vec![], Some(pid)), "actions[0].kind", "invalid"),
        (plan(good(), vec![day(11, 1)], Some(pid)), "checkpoints", "in_the_past"),
        (plan(good(), vec![], Some(teammate.id)), "participant_id", "not_their_review"),
    ] {
        let e = dev.create_plan(&d.manager, bad).await.unwrap_err();
        assert_eq!(fields(e), [(field.into(), code.into())]);
    }
    // Someone outside the person's line does not learn of them.
    assert_eq!(
        fields(dev.create_plan(&colleague, plan(good(), vec![], None)).await.unwrap_err()),
        [("employee_id".into(), "unknown_employee".into())]
    );
    // Checkpoints on Monday 14 December and Thursday 31 December.
    let p = dev.create_plan(&d.manager, plan(good(), vec![day(12, 31), day(12, 14)], Some(pid))).await.unwrap();
    assert_eq!((p.state.as_str(), p.cycle_name.as_deref()), ("active", Some(cycle.name.as_str())));
    assert_eq!(p.checkpoints.iter().map(|k| k.due_on).collect::<Vec<_>>(), [day(12, 14), day(12, 31)]);
    assert!(inbox::latest(c, user, 20).await.unwrap().iter().any(|n| n.kind == "dev-plan-created"));
    assert_eq!(r.conversation(&d.employee, pid).await.unwrap().plans.len(), 1, "linked to the review");
    assert_eq!(dev.plans_of(&d.hr, me).await.unwrap().len(), 1, "HR of the unit reads it");
    assert!(matches!(dev.plan(&colleague, p.id).await, Err(AppError::NotFound(_))));
    // The person keeps it: both actions done → the plan is done; a checkpoint held once.
    let p2 = dev.set_action_done(&d.employee, p.actions[0].id, true).await.unwrap();
    assert_eq!((p2.state.as_str(), p2.done), ("active", 1));
    let p2 = dev.set_action_done(&d.employee, p.actions[1].id, true).await.unwrap();
    assert_eq!(p2.state, "done");
    let p2 = dev.set_action_done(&d.employee, p.actions[1].id, false).await.unwrap();
    assert_eq!(p2.state, "active", "undone again");
    let note = |s: &str| CheckpointInput { note: s.into() };
    assert_eq!(
        fields(dev.hold_checkpoint(&d.employee, p.checkpoints[0].id, note(" ")).await.unwrap_err()),
        [("note".into(), "required".into())]
    );
    dev.hold_checkpoint(&d.manager, p.checkpoints[0].id, note("内训已完成，协作评价提升")).await.unwrap();
    assert_eq!(
        fields(dev.hold_checkpoint(&d.manager, p.checkpoints[0].id, note("again")).await.unwrap_err()),
        [("note".into(), "held".into())]
    );
    // The reminders: the held checkpoint's goes nowhere; the other's reaches the person and the
    // manager on Wednesday 30 December, 10:00 in Shanghai — not before.
    let worker = Worker::new(d.app.clone());
    *d.clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 30, 1, 59, 0).unwrap();
    while worker.run_once().await.unwrap() > 0 {}
    let reminded = |u| async move {
        inbox::latest(c, u, 50).await.unwrap().iter().filter(|n| n.kind == "reminder-dev-checkpoint").count()
    };
    assert_eq!(reminded(user).await, 0);
    *d.clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 30, 2, 1, 0).unwrap();
    while worker.run_once().await.unwrap() > 0 {}
    assert_eq!(reminded(user).await, 1);
    assert_eq!(reminded(d.manager.user_id.unwrap()).await, 1);
    let log = audit::history(c, &[("dev_plan", vec![p.id])]).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|a| a.action.as_str()).collect();
    assert_eq!(actions, ["create", "action", "action", "action", "checkpoint"]);
});
