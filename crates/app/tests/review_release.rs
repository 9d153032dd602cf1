//! Release, acknowledgement and appeals (V-6) over real databases: HR releases once the stage has
//! opened and calibration is locked; the person reads their result with its history,
//! acknowledges it and appeals inside the window; HR assigns the appeal, the handler decides and
//! answers; every step is audited about the person and nothing changes outside its rules.

mod common;

use chrono::{TimeZone, Utc};
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::reviews::{
    AppealDecisionInput, AppealInput, AssignAppealInput, MoveInput, ReleaseInput, ResultAcknowledgeInput, SessionInput,
    StageInput, UnlockInput,
};
use waymark_domain::reviews::release::Outcome;
use waymark_store::repo::{audit, inbox, org as org_repo, reviews as review_repo};
use waymark_store::{Db, dual_test};

use common::{fields, monday_demo};

fn at(m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, 2, 0, 0).unwrap()
}

dual_test!(v6_release_acknowledge_appeal_decide, |db: Db| async move {
    let d = monday_demo(db).await;
    let opts = waymark_app::demo::DemoOptions { employees: 60, seed: 7, ..Default::default() };
    d.app.create_demo_goals(&opts).await.unwrap().expect("the demo's goals");
    let r = d.app.reviews();
    let c = &d.app.db.conn;
    // The demo's quarterly cycle (release on 15 December, appeals until the 22nd). The employee
    // scores 50 (B) and a colleague 30 (C); everyone else has no score yet.
    let cycle = r.cycles(&d.hr).await.unwrap().remove(0);
    let people = review_repo::participants(c, cycle.id).await.unwrap();
    let me = people.iter().find(|p| Some(p.employee_id) == d.employee.employee_id).unwrap().clone();
    let mut other = None;
    for p in people.iter().filter(|p| p.id != me.id && p.manager_id == me.manager_id) {
        if waymark_store::repo::accounts::user_by_employee(c, p.employee_id).await.unwrap().is_none() {
            other = Some(p.clone());
            break;
        }
    }
    let other = other.expect("a teammate without an account yet");
    let now = d.clock.0.lock().unwrap().to_owned();
    for (p, x, g) in [(&me, 5000, "B"), (&other, 3000, "C")] {
        review_repo::set_score(c, p.id, Some(x), Some(g.into()), "{}".into(), now).await.unwrap();
    }
    let whole = ReleaseInput::default();
    // HR gives a day more for appeals (until the 23rd); stages are kept once launched.
    let mut stages: Vec<StageInput> = cycle
        .stages
        .iter()
        .map(|s| StageInput { stage: s.stage.clone(), opens_on: s.opens_on, closes_on: s.closes_on })
        .collect();
    stages.last_mut().unwrap().closes_on = at(12, 23).date_naive();
    assert!(matches!(r.reschedule(&d.manager, cycle.id, stages.clone(), false).await, Err(AppError::NotFound(_))));
    let fewer: Vec<StageInput> = stages.iter().filter(|s| !s.stage.starts_with("peer")).cloned().collect();
    assert_eq!(
        fields(r.reschedule(&d.hr, cycle.id, fewer, false).await.unwrap_err()),
        [("stages".into(), "stages_fixed".into())]
    );
    // Issue 22, item 12: bringing calibration forward to today would close every review still
    // being written. The effect names them, the change is refused until confirmed, and
    // nothing has moved meanwhile.
    let today = d.clock.0.lock().unwrap().date_naive();
    let mut sooner = stages.clone();
    for s in sooner.iter_mut() {
        if matches!(s.stage.as_str(), "self_review" | "peer_nomination" | "peer_review" | "manager_review") {
            s.opens_on = s.opens_on.min(today - chrono::Duration::days(1));
            s.closes_on = today - chrono::Duration::days(1);
        }
        if s.stage == "calibration" {
            s.opens_on = today;
        }
    }
    let open_now = r.health(&d.hr, cycle.id).await.unwrap();
    let locked = r.reschedule_effect(&d.hr, cycle.id, &sooner).await.unwrap();
    assert!(!locked.is_empty());
    assert!(locked.iter().all(|l| l.lock == "closed"), "{locked:?}");
    assert!(locked.iter().any(|l| l.person.id == me.employee_id && l.source == "self"), "{locked:?}");
    assert!(matches!(r.reschedule_effect(&d.employee, cycle.id, &sooner).await, Err(AppError::NotFound(_))));
    assert_eq!(
        fields(r.reschedule(&d.hr, cycle.id, sooner.clone(), false).await.unwrap_err()),
        [("stages".into(), "locks_open_reviews".into())]
    );
    let stages_now = |h: waymark_app::reviews::CycleHealth| serde_json::to_value(h.cycle.stages).unwrap();
    assert_eq!(stages_now(r.health(&d.hr, cycle.id).await.unwrap()), stages_now(open_now), "nothing moved");
    // Confirmed, it goes ahead and the audit record says how many were locked; moving back
    // reopens them and locks nothing.
    r.reschedule(&d.hr, cycle.id, sooner, true).await.unwrap();
    let log = audit::history(c, &[("review_cycle", vec![cycle.id])]).await.unwrap();
    let why = format!("locks {} open reviews", locked.len());
    assert!(log.iter().any(|a| a.action == "reschedule" && a.reason.as_deref() == Some(why.as_str())), "{log:?}");
    r.reschedule(&d.hr, cycle.id, stages.clone(), false).await.unwrap();
    // An extension locks nothing and needs no confirmation.
    assert!(r.reschedule_effect(&d.hr, cycle.id, &stages).await.unwrap().is_empty());
    let moved = r.reschedule(&d.hr, cycle.id, stages, false).await.unwrap();
    assert_eq!(moved.stages.last().map(|s| s.closes_on), Some(at(12, 23).date_naive()));
    let log = audit::history(c, &[("review_cycle", vec![cycle.id])]).await.unwrap();
    assert!(
        log.iter().any(|a| a.action == "reschedule" && a.after.as_deref().is_some_and(|x| x.contains("2026-12-23")))
    );

    // ---- release: not before its stage, not while calibration is open, not by others ----
    let e = r.release(&d.hr, cycle.id, whole.clone()).await.unwrap_err();
    assert_eq!(fields(e), [("cycle_id".into(), "not_yet".into())]);
    assert!(matches!(r.result(&d.employee, me.id).await, Err(AppError::NotFound(_))), "not before release");
    *d.clock.0.lock().unwrap() = at(12, 15);
    let s = r.create_session(&d.hr, cycle.id, SessionInput { name: "全公司".into(), unit_id: None, level: None }).await;
    let s = s.unwrap();
    let e = r.release(&d.hr, cycle.id, whole.clone()).await.unwrap_err();
    assert_eq!(fields(e), [("unit_id".into(), "calibration_open".into())]);
    r.lock_session(&d.hr, s.id).await.unwrap();
    assert!(matches!(r.release(&d.manager, cycle.id, whole.clone()).await, Err(AppError::NotFound(_))));
    let out = r.release(&d.hr, cycle.id, whole.clone()).await.unwrap();
    assert_eq!((out.released, out.already, out.not_scored), (2, 0, people.len() - 2));
    let again = r.release(&d.hr, cycle.id, whole.clone()).await.unwrap();
    assert_eq!((again.released, again.already), (0, 2), "a result is released once");
    // Released results are no longer calibrated: a change goes through an appeal.
    r.unlock_session(&d.hr, s.id, UnlockInput { reason: "复核".into() }).await.unwrap();
    let mv = MoveInput { participant_id: me.id, grade: "A".into(), reason: "上调".into() };
    assert_eq!(
        fields(r.move_grade(&d.hr, s.id, mv).await.unwrap_err()),
        [("participant_id".into(), "released".into())]
    );

    // ---- the person reads it, with how and its history, and is told ----
    let user = waymark_store::repo::accounts::user_by_employee(c, me.employee_id).await.unwrap().unwrap();
    let told = inbox::latest(c, user.id, 20).await.unwrap();
    assert!(told.iter().any(|n| n.kind == "review-released" && n.entity_id == me.id));
    let mine = r.my_results(&d.employee).await.unwrap();
    assert_eq!(mine.iter().map(|m| (m.participant_id, m.grade.as_deref())).collect::<Vec<_>>(), [(me.id, Some("B"))]);
    let v = r.result(&d.employee, me.id).await.unwrap();
    assert_eq!(v.final_grade.as_deref(), Some("B"));
    assert!(v.release.own && v.release.can_acknowledge && v.release.can_appeal);
    assert_eq!(v.history.iter().map(|h| h.kind.as_str()).collect::<Vec<_>>(), ["scored", "released"]);
    // A colleague still does not see it.
    let colleague_no = org_repo::employee(c, other.employee_id).await.unwrap().unwrap().employee_no;
    let colleague = common::sign_up(&d.app, &colleague_no, "colleague").await;
    assert!(matches!(r.result(&colleague, me.id).await, Err(AppError::NotFound(_))));

    // ---- acknowledgement: once, by the person only ----
    let ack = |s: &str| ResultAcknowledgeInput { comment: Some(s.into()) };
    assert!(matches!(r.acknowledge(&d.manager, me.id, ack("")).await, Err(AppError::Forbidden)));
    let e = r.acknowledge(&d.employee, me.id, ack(&"长".repeat(1001))).await.unwrap_err();
    assert_eq!(fields(e), [("comment".into(), "too_long".into())]);
    r.acknowledge(&d.employee, me.id, ack("已阅，认同目标部分的评价")).await.unwrap();
    let e = r.acknowledge(&d.employee, me.id, ack("")).await.unwrap_err();
    assert_eq!(fields(e), [("participant_id".into(), "acknowledged".into())]);
    let v = r.result(&d.manager, me.id).await.unwrap();
    assert!(v.release.acknowledged_at.is_some() && !v.release.can_acknowledge);
    assert_eq!(v.release.ack_comment.as_deref(), Some("已阅，认同目标部分的评价"));

    // ---- the appeal: reasons required, once, inside the window; HR of the unit is told ----
    let appeal = |s: &str| AppealInput { reasons: s.into() };
    assert!(matches!(r.appeal(&d.manager, me.id, appeal("x")).await, Err(AppError::Forbidden)));
    let e = r.appeal(&d.employee, me.id, appeal("  ")).await.unwrap_err();
    assert_eq!(fields(e), [("reasons".into(), "required".into())]);
    let a = r.appeal(&d.employee, me.id, appeal("支付网关上线推迟是供应商原因，已在周报中记录")).await.unwrap();
    assert_eq!((a.state.as_str(), a.grade_before.as_str()), ("submitted", "B"));
    assert!(!a.can_assign && !a.can_decide, "the person only reads their appeal");
    let e = r.appeal(&d.employee, me.id, appeal("再申诉")).await.unwrap_err();
    assert_eq!(fields(e), [("reasons".into(), "already_appealed".into())]);
    let hr_user = d.hr.user_id.unwrap();
    assert!(inbox::latest(c, hr_user, 20).await.unwrap().iter().any(|n| n.kind == "review-appealed"));
    // Appeals are between the person and HR: not their manager.
    assert!(matches!(r.appeal_view(&d.manager, a.id).await, Err(AppError::NotFound(_))));
    assert!(r.result(&d.manager, me.id).await.unwrap().release.appeal.is_none());

    // ---- HR assigns it to an HR user of the person's unit; the handler decides and answers ----
    let hr_view = r.appeal_view(&d.hr, a.id).await.unwrap();
    assert!(hr_view.can_assign && hr_view.handlers.iter().any(|h| h.user_id == hr_user));
    let decision = |o: Outcome, g: Option<&str>, ans: &str| AppealDecisionInput {
        outcome: o,
        grade: g.map(str::to_string),
        answer: ans.into(),
    };
    let e = r.decide_appeal(&d.hr, a.id, decision(Outcome::Upheld, None, "维持")).await.unwrap_err();
    assert_eq!(fields(e), [("state".into(), "unassigned".into())]);
    assert!(matches!(
        r.assign_appeal(&d.employee, a.id, AssignAppealInput { assignee_id: hr_user }).await,
        Err(AppError::Forbidden)
    ));
    let not_hr = d.manager.user_id.unwrap();
    let e = r.assign_appeal(&d.hr, a.id, AssignAppealInput { assignee_id: not_hr }).await.unwrap_err();
    assert_eq!(fields(e), [("assignee_id".into(), "not_hr".into())]);
    let a = r.assign_appeal(&d.hr, a.id, AssignAppealInput { assignee_id: hr_user }).await.unwrap();
    assert_eq!(a.state, "assigned");
    assert!(a.can_decide);
    for (input, field, code) in [
        (decision(Outcome::Changed, None, "调整"), "grade", "required"),
        (decision(Outcome::Changed, Some("B"), "调整"), "grade", "unchanged"),
        (decision(Outcome::Changed, Some("Z"), "调整"), "grade", "unknown_grade"),
        (decision(Outcome::Upheld, Some("A"), "维持"), "grade", "with_upheld"),
        (decision(Outcome::Changed, Some("A"), " "), "answer", "required"),
    ] {
        let e = r.decide_appeal(&d.hr, a.id, input).await.unwrap_err();
        assert_eq!(fields(e), [(field.into(), code.into())]);
    }
    let answer = "核实周报记录属实，延期非本人原因，目标达成按调整后口径计为 A";
    let a = r.decide_appeal(&d.hr, a.id, decision(Outcome::Changed, Some("A"), answer)).await.unwrap();
    assert_eq!(
        (a.state.as_str(), a.outcome.as_deref(), a.grade_after.as_deref()),
        ("decided", Some("changed"), Some("A"))
    );
    let e = r.decide_appeal(&d.hr, a.id, decision(Outcome::Upheld, None, "再议")).await.unwrap_err();
    assert_eq!(fields(e), [("state".into(), "appeal_decided".into())]);
    // The person ends with A, sees the answer and every step; nothing about who calibrated.
    let v = r.result(&d.employee, me.id).await.unwrap();
    assert_eq!((v.grade.as_deref(), v.final_grade.as_deref()), (Some("B"), Some("A")));
    assert_eq!(v.release.appeal.as_ref().and_then(|a| a.answer.as_deref()), Some(answer));
    assert_eq!(
        v.history.iter().map(|h| h.kind.as_str()).collect::<Vec<_>>(),
        ["scored", "released", "acknowledged", "appealed", "appeal_assigned", "appeal_decided"]
    );
    assert!(told_about(c, user.id, "review-appeal-decided").await);
    // Every step is audited about the person.
    let log = audit::history(c, &[("review_participant", vec![me.id])]).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|a| a.action.as_str()).collect();
    for step in ["release", "acknowledge", "appeal", "assign_appeal", "decide_appeal"] {
        assert!(actions.contains(&step), "{step} missing from {actions:?}");
    }
    assert!(log.iter().any(|a| a.action == "decide_appeal" && a.reason.as_deref() == Some(answer)));
    assert!(log.iter().all(|a| a.subject_employee_id == Some(me.employee_id)));
    // The results record carries the final grade and the appeal's outcome.
    let bytes = r.results_xlsx(&d.hr, cycle.id, true).await.unwrap();
    let table = waymark_app::import::read_table(
        &bytes,
        waymark_app::import::FileFormat::Xlsx,
        &waymark_app::import::ReadLimits::for_upload(10 << 20, 200_000),
    )
    .unwrap();
    let row = table.rows.iter().find(|row| row.iter().any(|c| c == "changed")).expect("the appealed row");
    assert!(row.contains(&"A".to_string()) && table.rows[0].contains(&"最终等级".to_string()));
    // The HR list of the cycle's appeals.
    assert_eq!(r.appeals(&d.hr, cycle.id).await.unwrap().len(), 1);

    // ---- after the window: no appeal ----
    *d.clock.0.lock().unwrap() = at(12, 24);
    let e = r.appeal(&colleague, other.id, appeal("太晚了")).await.unwrap_err();
    assert_eq!(fields(e), [("reasons".into(), "appeals_closed".into())]);
    let v = r.result(&colleague, other.id).await.unwrap();
    assert_eq!((v.release.can_appeal, v.release.appeal_blocked.as_deref()), (false, Some("closed")));
    // Nothing was written by the refused appeal.
    assert!(waymark_store::repo::review_release::appeal_of(c, other.id).await.unwrap().is_none());
});

async fn told_about(c: &waymark_store::sea_orm::DatabaseConnection, user: Uuid, kind: &str) -> bool {
    inbox::latest(c, user, 50).await.unwrap().iter().any(|n| n.kind == kind)
}
