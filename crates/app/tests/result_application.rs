//! Using released results (V-9) over real databases: a promotion nomination on the technical or
//! management track for a result in the best grades, made by the manager, decided by HR (the
//! person's level changes when approved); incentives from the reward menu granted to one person
//! or to everyone with chosen grades, all or none as the stock allows; the cycle's record.

mod common;

use chrono::{TimeZone, Utc};
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::recognition::RewardInput;
use waymark_app::reviews::{AppealInput, GrantInput, PromotionDecisionInput, PromotionInput, ReleaseInput};
use waymark_store::repo::{
    accounts, audit, inbox, org as org_repo, recognition as reward_repo, reviews as review_repo,
};
use waymark_store::{Db, dual_test};

use common::{fields, monday_demo};

fn at(m: u32, d: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, m, d, 2, 0, 0).unwrap()
}

fn promotion(track: &str, to: &str, why: &str) -> PromotionInput {
    PromotionInput { track: track.into(), to_level: to.into(), reasons: why.into() }
}

fn by_grades(reward: Uuid, grades: &[&str]) -> GrantInput {
    GrantInput {
        reward_id: reward,
        reason: "季度绩效优秀".into(),
        participant_id: None,
        grades: grades.iter().map(|g| g.to_string()).collect(),
        unit_id: None,
    }
}

dual_test!(v9_promotion_nominations_and_incentives_from_results, |db: Db| async move {
    let d = monday_demo(db).await;
    let opts = waymark_app::demo::DemoOptions { employees: 60, seed: 7, ..Default::default() };
    d.app.create_demo_goals(&opts).await.unwrap().expect("the demo's goals");
    let r = d.app.reviews();
    let c = &d.app.db.conn;
    // The demo's quarterly cycle (release on 15 December, appeals from then to the 22nd). The
    // employee scores 85 (A), a teammate 93 (S), another 72 (B); the rest are not scored.
    let cycle = r.cycles(&d.hr).await.unwrap().remove(0);
    let people = review_repo::participants(c, cycle.id).await.unwrap();
    let me = people.iter().find(|p| Some(p.employee_id) == d.employee.employee_id).unwrap().clone();
    let mut mates = Vec::new();
    for p in people.iter().filter(|p| p.id != me.id && p.manager_id == me.manager_id) {
        if accounts::user_by_employee(c, p.employee_id).await.unwrap().is_none() {
            mates.push(p.clone());
        }
    }
    let (star, steady) = (mates[0].clone(), mates[1].clone());
    let now = d.clock.0.lock().unwrap().to_owned();
    for (p, x, g) in [(&me, 8500, "A"), (&star, 9300, "S"), (&steady, 7200, "B")] {
        review_repo::set_score(c, p.id, Some(x), Some(g.into()), "{}".into(), now).await.unwrap();
    }
    // The employee is at P5 now.
    let e = org_repo::employee(c, me.employee_id).await.unwrap().unwrap();
    let after = waymark_domain::org::Employee { level: Some("P5".into()), ..e.clone() };
    org_repo::update_employee(c, &e, after).await.unwrap();
    let why = "主导支付网关重构，季度目标达成 112%";

    // ---- before release: no nomination ----
    let e = r.nominate_for_promotion(&d.manager, me.id, promotion("technical", "P6", why)).await.unwrap_err();
    assert_eq!(fields(e), [("participant_id".into(), "not_released".into())]);
    *d.clock.0.lock().unwrap() = at(12, 15);
    r.release(&d.hr, cycle.id, ReleaseInput::default()).await.unwrap();

    // ---- who may nominate, which results, what is asked ----
    assert!(matches!(
        r.nominate_for_promotion(&d.employee, me.id, promotion("technical", "P6", why)).await,
        Err(AppError::NotFound(_))
    ));
    let cases = [
        (steady.id, promotion("technical", "P6", why), ("participant_id", "grade_not_nominable")),
        (me.id, promotion("sales", "P6", why), ("track", "invalid")),
        (me.id, promotion("technical", "P5", why), ("to_level", "same_level")),
        (me.id, promotion("technical", " ", why), ("to_level", "required")),
        (me.id, promotion("technical", "P6", "  "), ("reasons", "required")),
    ];
    for (p, input, (field, code)) in cases {
        let e = r.nominate_for_promotion(&d.manager, p, input).await.unwrap_err();
        assert_eq!(fields(e), [(field.into(), code.into())]);
    }
    let n = r.nominate_for_promotion(&d.manager, me.id, promotion("technical", "P6", why)).await.unwrap();
    assert_eq!(
        (n.state.as_str(), n.from_level.as_deref(), n.to_level.as_str(), n.grade.as_str()),
        ("nominated", Some("P5"), "P6", "A")
    );
    let e = r.nominate_for_promotion(&d.hr, me.id, promotion("management", "M1", why)).await.unwrap_err();
    assert_eq!(fields(e), [("participant_id".into(), "already_nominated".into())]);
    let hr_user = d.hr.user_id.unwrap();
    assert!(told_about(c, hr_user, "promotion-nominated").await);
    // The person does not see it while HR decides; the manager sees it, not to decide.
    assert!(r.result(&d.employee, me.id).await.unwrap().application.nomination.is_none());
    let mv = r.result(&d.manager, me.id).await.unwrap().application;
    assert!(mv.nomination.as_ref().is_some_and(|n| !n.can_decide));
    assert_eq!(mv.nomination_blocked.as_deref(), Some("nominated"));

    // ---- a result under appeal waits for the appeal's decision ----
    let no = org_repo::employee(c, star.employee_id).await.unwrap().unwrap().employee_no;
    let star_user = common::sign_up(&d.app, &no, "star").await;
    r.appeal(&star_user, star.id, AppealInput { reasons: "S 之外还应记录跨团队贡献".into() }).await.unwrap();
    let e = r.nominate_for_promotion(&d.manager, star.id, promotion("management", "M1", why)).await.unwrap_err();
    assert_eq!(fields(e), [("participant_id".into(), "appeal_open".into())]);

    // ---- HR decides: not the manager, a decline says why, approval changes the level ----
    let approve = PromotionDecisionInput { approve: true, note: String::new() };
    assert!(matches!(r.decide_promotion(&d.manager, n.id, approve.clone()).await, Err(AppError::Forbidden)));
    let decline = PromotionDecisionInput { approve: false, note: " ".into() };
    assert_eq!(
        fields(r.decide_promotion(&d.hr, n.id, decline).await.unwrap_err()),
        [("note".into(), "required".into())]
    );
    let n = r.decide_promotion(&d.hr, n.id, approve.clone()).await.unwrap();
    assert_eq!((n.state.as_str(), n.decided_by.is_some()), ("approved", true));
    let level = org_repo::employee(c, me.employee_id).await.unwrap().unwrap().level;
    assert_eq!(level.as_deref(), Some("P6"));
    let e = r.decide_promotion(&d.hr, n.id, approve).await.unwrap_err();
    assert_eq!(fields(e), [("state".into(), "nomination_decided".into())]);
    assert!(told_about(c, d.manager.user_id.unwrap(), "promotion-approved").await);
    assert!(told_about(c, d.employee.user_id.unwrap(), "promotion-approved").await);
    let mine = r.result(&d.employee, me.id).await.unwrap().application;
    assert_eq!(mine.nomination.map(|n| n.state), Some("approved".into()));
    let log = audit::history(c, &[("employee", vec![me.employee_id])]).await.unwrap();
    assert!(log.iter().any(|a| a.action == "promote" && a.after.as_deref().is_some_and(|x| x.contains("P6"))));

    // ---- incentives: one reward left for two people grants nobody ----
    let points_before = reward_repo::balance(c, me.employee_id).await.unwrap();
    let reward = d
        .app
        .recognition()
        .save_reward(
            &d.hr,
            None,
            RewardInput {
                name: "核心项目参与资格".into(),
                description: String::new(),
                cost: 500,
                stock: Some(1),
                active: true,
            },
        )
        .await
        .unwrap();
    let e = r.grant_incentives(&d.hr, cycle.id, by_grades(reward.id, &["S", "A"])).await.unwrap_err();
    assert_eq!(fields(e), [("reward_id".into(), "not_enough_stock".into())]);
    assert_eq!(reward_repo::reward(c, reward.id).await.unwrap().unwrap().stock, Some(1), "nothing taken");
    assert!(r.cycle_application(&d.hr, cycle.id).await.unwrap().incentives.is_empty());
    let more =
        RewardInput { name: reward.name.clone(), description: String::new(), cost: 500, stock: Some(5), active: true };
    d.app.recognition().save_reward(&d.hr, Some(reward.id), more).await.unwrap();
    assert!(matches!(
        r.grant_incentives(&d.manager, cycle.id, by_grades(reward.id, &["S", "A"])).await,
        Err(AppError::NotFound(_))
    ));
    for (grades, (field, code)) in [(&["X"][..], ("grades", "invalid")), (&["C"][..], ("grades", "nobody"))] {
        let e = r.grant_incentives(&d.hr, cycle.id, by_grades(reward.id, grades)).await.unwrap_err();
        assert_eq!(fields(e), [(field.into(), code.into())]);
    }
    let out = r.grant_incentives(&d.hr, cycle.id, by_grades(reward.id, &["S", "A"])).await.unwrap();
    assert_eq!((out.granted, out.already), (2, 0));
    assert_eq!(reward_repo::reward(c, reward.id).await.unwrap().unwrap().stock, Some(3));
    let e = r.grant_incentives(&d.hr, cycle.id, by_grades(reward.id, &["S", "A"])).await.unwrap_err();
    assert_eq!(fields(e), [("reward_id".into(), "already_granted".into())]);
    // One person from their result page: HR only, released results only.
    let one = |p: Uuid| GrantInput { participant_id: Some(p), ..by_grades(reward.id, &[]) };
    assert!(matches!(r.grant_incentives(&d.manager, cycle.id, one(steady.id)).await, Err(AppError::Forbidden)));
    let unscored = people.iter().find(|p| ![me.id, star.id, steady.id].contains(&p.id)).unwrap();
    let e = r.grant_incentives(&d.hr, cycle.id, one(unscored.id)).await.unwrap_err();
    assert_eq!(fields(e), [("participant_id".into(), "not_released".into())]);
    let out = r.grant_incentives(&d.hr, cycle.id, one(steady.id)).await.unwrap();
    assert_eq!(out.granted, 1);
    let mine = r.result(&d.employee, me.id).await.unwrap().application;
    assert_eq!(mine.incentives.iter().map(|i| i.reward.as_str()).collect::<Vec<_>>(), ["核心项目参与资格"]);
    assert!(!mine.can_grant && !mine.can_nominate);
    assert!(told_about(c, d.employee.user_id.unwrap(), "incentive-granted").await);
    // Points are not spent by a granted incentive.
    assert_eq!(reward_repo::balance(c, me.employee_id).await.unwrap(), points_before);

    // ---- the cycle's record: the page's list and the results export ----
    let all = r.cycle_application(&d.hr, cycle.id).await.unwrap();
    assert_eq!((all.nominations.len(), all.incentives.len()), (1, 3));
    assert!(matches!(r.cycle_application(&d.manager, cycle.id).await, Err(AppError::NotFound(_))));
    let bytes = r.results_xlsx(&d.hr, cycle.id, true).await.unwrap();
    let table = waymark_app::import::read_table(
        &bytes,
        waymark_app::import::FileFormat::Xlsx,
        &waymark_app::import::ReadLimits::for_upload(10 << 20, 200_000),
    )
    .unwrap();
    let row = table.rows.iter().find(|row| row.iter().any(|x| x.contains("technical P5 → P6 approved"))).unwrap();
    assert!(row.contains(&"核心项目参与资格".to_string()));
    let log = audit::history(c, &[("review_participant", vec![steady.id])]).await.unwrap();
    assert!(log.iter().any(|a| a.action == "grant_incentive"));
});

async fn told_about(c: &waymark_store::sea_orm::DatabaseConnection, user: Uuid, kind: &str) -> bool {
    inbox::latest(c, user, 50).await.unwrap().iter().any(|n| n.kind == kind)
}
