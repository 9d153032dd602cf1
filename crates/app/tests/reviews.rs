//! Reviews (V-1, V-2, V-3) over real databases: a template with its checks, a cycle set up and
//! launched, peers named and approved, self, peer and manager reviews written beside their
//! evidence, the score computed with its explanation, and what each role may not do.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::reviews::{
    CycleInput, PeerDecisionInput, PeersInput, RatingInput, ReviewInput, ReviewTemplateInput, StageInput,
    starter_template,
};
use waymark_store::repo::{audit, org as org_repo};
use waymark_store::{Db, dual_test};

use common::{fields, monday_demo, numeric_kr, private_okr};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn stages() -> Vec<StageInput> {
    let s = |stage: &str, a: NaiveDate, b: NaiveDate| StageInput { stage: stage.into(), opens_on: a, closes_on: b };
    vec![
        s("self_review", day(11, 30), day(12, 4)),
        s("peer_nomination", day(11, 30), day(12, 1)),
        s("peer_review", day(12, 2), day(12, 6)),
        s("manager_review", day(12, 2), day(12, 9)),
        s("calibration", day(12, 10), day(12, 12)),
        s("release", day(12, 14), day(12, 14)),
        s("acknowledgement", day(12, 14), day(12, 18)),
        s("appeals", day(12, 14), day(12, 21)),
    ]
}

fn template() -> ReviewTemplateInput {
    starter_template("zh-CN")
}

/// Rates every rated item `value` and answers the text items.
fn all_rated(form: &waymark_app::reviews::ReviewForm, value: i32) -> Vec<RatingInput> {
    form.items
        .iter()
        .filter(|i| i.item.section != "goals")
        .map(|i| RatingInput {
            item_id: i.item.id,
            value: (i.item.section != "text").then_some(value),
            comment: "在支付网关项目中主动承担了联调".into(),
        })
        .collect()
}

dual_test!(v1_v3_a_cycle_from_template_to_explained_score, |db: Db| async move {
    let d = monday_demo(db).await;
    let opts = waymark_app::demo::DemoOptions { employees: 60, seed: 7, ..Default::default() };
    d.app.create_demo_goals(&opts).await.unwrap().expect("the demo's goals");
    let r = d.app.reviews();
    // ---- the template, and what is refused about one (V-2, V-3) ----
    let mut bad = template();
    bad.formula = "0.6*goals + 0.4*bonus".into();
    assert_eq!(
        fields(r.save_template(&d.hr, None, bad).await.unwrap_err()),
        [("formula".into(), "unknown_variable".into())]
    );
    let mut bad = template();
    bad.formula = "goals / (manager - 50)".into();
    assert_eq!(
        fields(r.save_template(&d.hr, None, bad).await.unwrap_err()),
        [("formula".into(), "division_by_zero".into())]
    );
    let mut bad = template();
    bad.formula = "0.6*goals +".into();
    assert_eq!(fields(r.save_template(&d.hr, None, bad).await.unwrap_err()), [("formula".into(), "syntax".into())]);
    let mut bad = template();
    bad.formula = "0.5*goals + 0.5*skills".into(); // no key-skill items in this template
    assert_eq!(
        fields(r.save_template(&d.hr, None, bad).await.unwrap_err()),
        [("formula".into(), "variable_not_provided".into())]
    );
    let mut bad = template();
    bad.weights.self_review = 20; // 20 + 70 + 20 = 110
    assert_eq!(
        fields(r.save_template(&d.hr, None, bad).await.unwrap_err()),
        [("weights".into(), "weights_total".into())]
    );
    let mut bad = template();
    bad.items[1].weight = Some(50.0); // competencies 50 + 30 + 20 + 20 = 120
    assert_eq!(
        fields(r.save_template(&d.hr, None, bad).await.unwrap_err()),
        [("items".into(), "section_weights".into())]
    );
    assert!(matches!(r.save_template(&d.manager, None, template()).await, Err(AppError::Forbidden)));
    let t = r.save_template(&d.hr, None, template()).await.unwrap();
    assert_eq!(t.items.len(), 7);
    // Everyone reads templates: the demo's starter one and this one.
    assert_eq!(r.templates(&d.employee).await.unwrap().len(), 2);

    // ---- the cycle (V-1) ----
    let periods = d.app.goals().periods(&d.hr).await.unwrap();
    let quarter =
        periods.iter().find(|p| p.kind == "quarter" && p.starts_on <= day(11, 30) && day(11, 30) <= p.ends_on).unwrap();
    let me = d.employee.employee_id.unwrap();
    let boss = d.manager.employee_id.unwrap();
    // A draft the employee is still writing: it must not count in their score.
    let draft = private_okr(quarter.id, "还在起草的目标", vec![numeric_kr("草稿指标", None, 0.0, 10.0)]);
    d.app.goals().create_goal(&d.employee, draft).await.unwrap();
    let unit = org_repo::employee(&d.app.db.conn, boss).await.unwrap().unwrap().unit_id;
    let input = |stages: Vec<StageInput>| CycleInput {
        name: "2026 年度考核".into(),
        period_id: quarter.id,
        template_id: t.id,
        unit_ids: vec![unit],
        job_families: vec![],
        levels: vec![],
        hired_by: None,
        stages,
    };
    let mut overlapping = stages();
    overlapping[3].closes_on = day(12, 11); // the manager review runs into calibration
    assert_eq!(
        fields(r.create_cycle(&d.hr, input(overlapping)).await.unwrap_err()),
        [("stages.manager_review".into(), "overlaps".into())]
    );
    assert!(matches!(r.create_cycle(&d.manager, input(stages())).await, Err(AppError::Forbidden)));
    let cy = r.create_cycle(&d.hr, input(stages())).await.unwrap();
    assert_eq!((cy.state.as_str(), cy.current_stage.as_deref()), ("draft", Some("peer_nomination")));
    // Someone with write access to the database garbles a draft's units: the cycle is refused
    // (not read as a cycle over the whole organization, which launching would then enrol).
    let spoiled = r.create_cycle(&d.hr, input(stages())).await.unwrap();
    {
        use waymark_store::entities::review_cycle;
        use waymark_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        let garble = review_cycle::Entity::update_many()
            .col_expr(review_cycle::Column::Units, Expr::value("not a list"))
            .filter(review_cycle::Column::Id.eq(spoiled.id));
        assert_eq!(garble.exec(&d.app.db.conn).await.unwrap().rows_affected, 1);
    }
    assert!(r.launch(&d.hr, spoiled.id).await.is_err(), "a cycle with unreadable units launches");
    assert!(r.cycle(&d.hr, spoiled.id).await.is_err());
    {
        use waymark_store::entities::review_cycle;
        use waymark_store::sea_orm::EntityTrait;
        review_cycle::Entity::delete_by_id(spoiled.id).exec(&d.app.db.conn).await.unwrap();
    }
    let launched = r.launch(&d.hr, cy.id).await.unwrap();
    assert_eq!(launched.state, "launched");
    assert!(launched.participants >= 2, "the manager's unit and those below it take part");
    assert_eq!(fields(r.launch(&d.hr, cy.id).await.unwrap_err()), [("state".into(), "already_launched".into())]);
    // The template is now in use: it no longer changes.
    assert_eq!(
        fields(r.save_template(&d.hr, Some(t.id), template()).await.unwrap_err()),
        [("id".into(), "in_use".into())]
    );

    // ---- peers named by the person, approved by their manager ----
    let mine = r.my_nominations(&d.employee).await.unwrap();
    let participant = mine.iter().find(|n| n.cycle_name == "2026 年度考核").unwrap().participant_id;
    let colleagues: Vec<Uuid> = org_repo::direct_reports(&d.app.db.conn, boss)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .filter(|id| *id != me)
        .take(2)
        .collect();
    assert_eq!(colleagues.len(), 2, "the demo manager has at least three reports");
    let named = |ids: Vec<Uuid>| PeersInput { peer_ids: ids };
    assert_eq!(
        fields(r.nominate(&d.employee, participant, named(vec![me, colleagues[0]])).await.unwrap_err()),
        [("peer_ids".into(), "self".into())]
    );
    assert_eq!(
        fields(r.nominate(&d.employee, participant, named(vec![colleagues[0]])).await.unwrap_err()),
        [("peer_ids".into(), "peer_count".into())]
    );
    assert!(matches!(r.nominate(&d.manager, participant, named(colleagues.clone())).await, Err(AppError::Forbidden)));
    let n = r.nominate(&d.employee, participant, named(colleagues.clone())).await.unwrap();
    assert!(n.peers.iter().all(|p| p.state == "nominated"));
    assert!(matches!(
        r.decide_peers(&d.employee, participant, PeerDecisionInput { approve: colleagues.clone(), reject: vec![] })
            .await,
        Err(AppError::Forbidden)
    ));
    let n = r
        .decide_peers(&d.manager, participant, PeerDecisionInput { approve: colleagues.clone(), reject: vec![] })
        .await
        .unwrap();
    assert!(n.peers.iter().all(|p| p.state == "open"));

    // ---- the self review: bad ratings refused, a draft, then submitted ----
    let tasks = r.my_tasks(&d.employee).await.unwrap();
    let self_task = tasks.iter().find(|t| t.source == "self" && t.cycle_id == cy.id).unwrap();
    let form = r.form(&d.employee, self_task.review_id).await.unwrap();
    assert!(form.editable);
    let ev = form.evidence.as_ref().expect("a self review shows the evidence");
    assert!(!ev.goals.is_empty(), "the demo gives everyone a goal in the quarter");
    let mut ratings = all_rated(&form, 4);
    ratings[0].value = Some(6);
    let e = r
        .save_review(&d.employee, self_task.review_id, ReviewInput { ratings, summary: String::new(), submit: false })
        .await
        .unwrap_err();
    assert_eq!(fields(e), [("ratings[0].value".into(), "not_on_scale".into())]);
    let some = all_rated(&form, 4).into_iter().take(2).collect();
    let e = r
        .save_review(
            &d.employee,
            self_task.review_id,
            ReviewInput { ratings: some, summary: String::new(), submit: true },
        )
        .await
        .unwrap_err();
    assert_eq!(fields(e)[0].1, "required", "submitting needs every required item");
    let draft = r
        .save_review(
            &d.employee,
            self_task.review_id,
            ReviewInput { ratings: all_rated(&form, 5), summary: String::new(), submit: false },
        )
        .await
        .unwrap();
    assert_eq!(draft.state, "draft");
    let submitted = r
        .save_review(
            &d.employee,
            self_task.review_id,
            ReviewInput { ratings: all_rated(&form, 5), summary: "本期交付稳定".into(), submit: true },
        )
        .await
        .unwrap();
    assert_eq!((submitted.state.as_str(), submitted.editable), ("submitted", false));
    let e = r
        .save_review(
            &d.employee,
            self_task.review_id,
            ReviewInput { ratings: vec![], summary: String::new(), submit: false },
        )
        .await
        .unwrap_err();
    assert_eq!(fields(e), [("state".into(), "already_submitted".into())]);

    // ---- peers and the manager write from 2 December ----
    *d.clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 2, 2, 0, 0).unwrap();
    let reviews = waymark_store::repo::reviews::reviews_of(&d.app.db.conn, &[participant]).await.unwrap();
    for (peer, value) in colleagues.iter().zip([3, 4]) {
        let review = reviews
            .iter()
            .find(|x| x.reviewer_id == *peer && x.source == waymark_domain::reviews::scoring::Source::Peers)
            .unwrap();
        let no = org_repo::employee(&d.app.db.conn, *peer).await.unwrap().unwrap().employee_no;
        let acting = common::sign_up(&d.app, &no, &format!("peer{value}")).await;
        let f = r.form(&acting, review.id).await.unwrap();
        assert!(f.evidence.is_none(), "peers rate without the person's private evidence");
        // A peer cannot open the self review.
        assert!(matches!(r.form(&acting, self_task.review_id).await, Err(AppError::NotFound(_))));
        r.save_review(
            &acting,
            review.id,
            ReviewInput { ratings: all_rated(&f, value), summary: String::new(), submit: true },
        )
        .await
        .unwrap();
    }
    let manager_task = r
        .my_tasks(&d.manager)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.source == "manager" && t.person.id == me && t.cycle_id == cy.id)
        .unwrap();
    let f = r.form(&d.manager, manager_task.review_id).await.unwrap();
    assert!(f.evidence.as_ref().is_some_and(|e| !e.goals.is_empty()), "the manager sees the goals beside the form");
    // The manager reads the person's self review too; the person does not read the manager's.
    assert_eq!(r.form(&d.manager, self_task.review_id).await.unwrap().state, "submitted");
    assert!(matches!(r.form(&d.employee, manager_task.review_id).await, Err(AppError::NotFound(_))));
    let e = r
        .save_review(
            &d.manager,
            manager_task.review_id,
            ReviewInput { ratings: all_rated(&f, 4), summary: " ".into(), submit: true },
        )
        .await
        .unwrap_err();
    assert_eq!(fields(e), [("summary".into(), "required".into())]);
    r.save_review(
        &d.manager,
        manager_task.review_id,
        ReviewInput {
            ratings: all_rated(&f, 4), summary: "依据：目标达成与两次关键交付".into(), submit: true
        },
    )
    .await
    .unwrap();

    // ---- the score, explained (V-3) ----
    let result = r.result(&d.manager, participant).await.unwrap();
    let e = result.explanation.clone().unwrap();
    let input = |v: &str| e.inputs.iter().find(|i| i.variable == v).unwrap().clone();
    // Competencies on 1–5: self 5 → 100, manager 4 → 75, peers 3 and 4 → 50 and 75, mean 62.5.
    // Weighted 10 / 70 / 20: 10 + 52.5 + 12.5 = 75.
    let c = input("competencies");
    assert_eq!(c.value, Some(75.0));
    assert_eq!(
        c.parts.iter().map(|p| (p.label.as_str(), p.value)).collect::<Vec<_>>(),
        [("self", 100.0), ("manager", 75.0), ("peers", 62.5)]
    );
    let goals = input("goals").value.unwrap();
    // Only the person's agreed goals count (issue 22, item 11: drafts and goals waiting for
    // approval never do), each placed on the ratings' 0–100 from its achievement.
    let owned = waymark_store::repo::goals::goal_ids_owned_by(&d.app.db.conn, me, quarter.id).await.unwrap();
    let mut agreed: Vec<String> = waymark_store::repo::goals::goals_without_key_results(&d.app.db.conn, &owned)
        .await
        .unwrap()
        .into_iter()
        .filter(|g| waymark_domain::goals::workflow::is_agreed(&g.goal.status))
        .map(|g| g.goal.title)
        .collect();
    agreed.sort();
    let mut parts: Vec<String> = input("goals").parts.iter().map(|p| p.label.clone()).collect();
    parts.sort();
    assert!(!parts.is_empty() && !parts.contains(&"还在起草的目标".to_string()), "{parts:?}");
    assert_eq!(parts, agreed);
    for p in &input("goals").parts {
        let placed = waymark_domain::reviews::scoring::goal_score(p.achievement.unwrap());
        assert_eq!(p.value, (placed * 100.0).round() / 100.0);
    }
    let expected = ((0.6 * goals + 0.4 * 75.0) * 100.0).round() / 100.0;
    assert_eq!(result.score, Some(expected));
    assert_eq!(
        result.grade.as_deref(),
        Some(waymark_domain::reviews::grades::GradeBands::default().grade_of(expected))
    );
    assert_eq!(
        result.submitted.iter().map(|s| (s.source.as_str(), s.submitted, s.asked)).collect::<Vec<_>>(),
        [("self", 1, 1), ("manager", 1, 1), ("peers", 2, 2)]
    );
    // Not for the person before release, nor for a colleague.
    assert!(matches!(r.result(&d.employee, participant).await, Err(AppError::NotFound(_))));
    // Every submission is in the audit log with what it said.
    let c = &d.app.db.conn;
    let log = audit::history(c, &[("review", vec![manager_task.review_id])]).await.unwrap();
    assert!(log.iter().any(|a| a.action == "submit" && a.after.as_deref().is_some_and(|x| x.contains("两次关键交付"))));

    // ---- the cycle's health ----
    let h = r.health(&d.hr, cy.id).await.unwrap();
    assert_eq!(h.cycle.participants, h.self_reviews.total);
    assert!(h.self_reviews.submitted >= 1 && h.manager_reviews.submitted >= 1);
    assert_eq!(h.peer_reviews.submitted, 2);
    assert!(matches!(r.health(&d.employee, cy.id).await, Err(AppError::NotFound(_))));

    // ---- once calibration opens, reviews are closed ----
    *d.clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 10, 2, 0, 0).unwrap();
    let late = r
        .my_tasks(&d.manager)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.state != "submitted" && t.cycle_id == cy.id)
        .unwrap();
    let e = r
        .save_review(&d.manager, late.review_id, ReviewInput { ratings: vec![], summary: String::new(), submit: false })
        .await
        .unwrap_err();
    assert_eq!(fields(e), [("state".into(), "reviews_closed".into())]);
});

dual_test!(v4_calibration_flags_the_lenient_manager_moves_with_reasons_and_locks, |db: Db| async move {
    let d = monday_demo(db).await;
    let opts = waymark_app::demo::DemoOptions { employees: 60, seed: 7, ..Default::default() };
    d.app.create_demo_goals(&opts).await.unwrap().expect("the demo's goals");
    let r = d.app.reviews();
    let c = &d.app.db.conn;
    // The demo's quarterly cycle; three managers with three reports each get scores: one of
    // them (A) rates 90-95, the other two about 70-76 (the domain test's numbers).
    let cycle = r.cycles(&d.hr).await.unwrap().remove(0);
    let participants = waymark_store::repo::reviews::participants(c, cycle.id).await.unwrap();
    let mut by_manager: std::collections::BTreeMap<Uuid, Vec<Uuid>> = Default::default();
    for p in &participants {
        if let Some(m) = p.manager_id {
            by_manager.entry(m).or_default().push(p.id);
        }
    }
    let teams: Vec<(Uuid, Vec<Uuid>)> = by_manager.into_iter().filter(|(_, ps)| ps.len() >= 3).take(3).collect();
    assert_eq!(teams.len(), 3, "the demo has three managers with three reports");
    let scores = [[92.0, 95.0, 90.0], [70.0, 75.0, 68.0], [71.0, 69.0, 76.0]];
    let bands = waymark_domain::reviews::grades::GradeBands::default();
    let now = d.clock.0.lock().unwrap().to_owned();
    for ((_, team), s) in teams.iter().zip(scores) {
        for (p, x) in team.iter().zip(s) {
            let grade = bands.grade_of(x).to_string();
            waymark_store::repo::reviews::set_score(c, *p, Some((x * 100.0) as i32), Some(grade), "{}".into(), now)
                .await
                .unwrap();
        }
    }
    let input = |name: &str| waymark_app::reviews::SessionInput { name: name.into(), unit_id: None, level: None };
    assert!(matches!(r.create_session(&d.employee, cycle.id, input("x")).await, Err(AppError::NotFound(_))));
    let s = r.create_session(&d.hr, cycle.id, input("全公司校准")).await.unwrap();
    // One session per person: a second over the same people is refused, naming the first.
    let team_unit = org_repo::employee(c, teams[0].0).await.unwrap().unwrap().unit_id;
    let again = waymark_app::reviews::SessionInput { unit_id: Some(team_unit), ..input("销售组复核") };
    assert_eq!(
        fields(r.create_session(&d.hr, cycle.id, again).await.unwrap_err()),
        [("unit_id".into(), "session_overlap".into())]
    );
    let verdict = |s: &waymark_app::reviews::SessionView, m: Uuid| {
        s.managers.iter().find(|x| x.manager.id == m).map(|x| x.stat.verdict)
    };
    use waymark_domain::reviews::calibration::Verdict;
    assert_eq!(verdict(&s, teams[0].0), Some(Verdict::Lenient), "{:?}", s.managers);
    assert_eq!(verdict(&s, teams[1].0), Some(Verdict::InLine));
    assert_eq!(verdict(&s, teams[2].0), Some(Verdict::InLine));
    let lenient = s.managers.iter().find(|x| x.manager.id == teams[0].0).unwrap();
    assert_eq!((lenient.stat.mean, lenient.stat.others_mean), (92.33, 71.5));
    // The distribution: 9 scored — 3 S (A's team, 90-95, S from 85), 6 A (68-76, A from 58).
    let count = |code: &str| s.distribution.iter().find(|g| g.code == code).unwrap().count;
    assert_eq!((count("S"), count("A"), count("B"), count("C"), count("D")), (3, 6, 0, 0, 0));
    // Against the guideline (10/20/50/15/5 % of 9: 1, 2, 5 (4.5 rounded), 1, 0): S +2, A +4,
    // B -5.
    let delta = |code: &str| s.distribution.iter().find(|g| g.code == code).unwrap().delta;
    assert_eq!((delta("S"), delta("A"), delta("B")), (2, 4, -5));
    assert_eq!(s.unscored, participants.len() - 9);
    // Moving needs a known grade and a reason; it is recorded and audited with the reason.
    let who = teams[0].1[2]; // 90 → S
    let mv = |grade: &str, reason: &str| waymark_app::reviews::MoveInput {
        participant_id: who,
        grade: grade.into(),
        reason: reason.into(),
    };
    assert_eq!(
        fields(r.move_grade(&d.hr, s.id, mv("A", " ")).await.unwrap_err()),
        [("reason".into(), "required".into())]
    );
    assert_eq!(
        fields(r.move_grade(&d.hr, s.id, mv("Z", "x")).await.unwrap_err()),
        [("grade".into(), "unknown_grade".into())]
    );
    assert_eq!(
        fields(r.move_grade(&d.hr, s.id, mv("S", "x")).await.unwrap_err()),
        [("grade".into(), "unchanged".into())]
    );
    assert!(matches!(r.move_grade(&d.manager, s.id, mv("A", "x")).await, Err(AppError::NotFound(_))));
    let s = r.move_grade(&d.hr, s.id, mv("A", "主管评分整体偏高，对照目标达成下调一级")).await.unwrap();
    let row = s.people.iter().find(|p| p.participant_id == who).unwrap();
    assert_eq!((row.grade.as_deref(), row.final_grade.as_deref(), row.moved), (Some("S"), Some("A"), true));
    assert_eq!(s.moves.len(), 1);
    assert_eq!(s.moves[0].reason, "主管评分整体偏高，对照目标达成下调一级");
    let log = audit::history(c, &[("review_participant", vec![who])]).await.unwrap();
    assert!(
        log.iter()
            .any(|a| a.action == "calibrate" && a.reason.as_deref() == Some("主管评分整体偏高，对照目标达成下调一级"))
    );
    // Locked: nothing moves; unlocking needs a reason and is audited.
    let s = r.lock_session(&d.hr, s.id).await.unwrap();
    assert_eq!(s.state, "locked");
    assert_eq!(
        fields(r.move_grade(&d.hr, s.id, mv("B", "再调")).await.unwrap_err()),
        [("state".into(), "locked".into())]
    );
    let unlock = |reason: &str| waymark_app::reviews::UnlockInput { reason: reason.into() };
    assert_eq!(
        fields(r.unlock_session(&d.hr, s.id, unlock("")).await.unwrap_err()),
        [("reason".into(), "required".into())]
    );
    let s = r.unlock_session(&d.hr, s.id, unlock("总经理要求复核销售部")).await.unwrap();
    assert_eq!(s.state, "open");
    let log = audit::history(c, &[("calibration_session", vec![s.id])]).await.unwrap();
    assert_eq!(log.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(), ["create", "lock", "unlock"]);
    assert_eq!(log[2].reason.as_deref(), Some("总经理要求复核销售部"));
    // The results and calibration record as XLSX, read back.
    let bytes = r.results_xlsx(&d.hr, cycle.id, true).await.unwrap();
    let table = waymark_app::import::read_table(
        &bytes,
        waymark_app::import::FileFormat::Xlsx,
        &waymark_app::import::ReadLimits::for_upload(10 << 20, 200_000),
    )
    .unwrap();
    let text = format!("{table:?}");
    assert!(text.contains("校准后等级") && text.contains("主管评分整体偏高，对照目标达成下调一级"), "{text}");
    assert!(matches!(r.results_xlsx(&d.employee, cycle.id, true).await, Err(AppError::NotFound(_))));
});

dual_test!(v1_t6_reviewers_are_reminded_before_their_writing_stage_closes, |db: Db| async move {
    use waymark_domain::calendar::Reminder;
    let d = monday_demo(db).await;
    let opts = waymark_app::demo::DemoOptions { employees: 60, seed: 7, ..Default::default() };
    d.app.create_demo_goals(&opts).await.unwrap().expect("the demo's goals");
    let r = d.app.reviews();
    // The demo's cycle, made on Monday 30 November: the self review closes on Sunday 6
    // December, the peer review on Tuesday 8th, the manager review on Thursday 10th. Each is
    // reminded on its last three working days.
    let v = d.app.calendar().view(&d.hr).await.unwrap();
    let days: Vec<NaiveDate> = v.upcoming.iter().filter(|u| u.reminder == "review-writing").map(|u| u.day).collect();
    assert_eq!(days, [day(12, 2), day(12, 3), day(12, 4), day(12, 7), day(12, 8), day(12, 9), day(12, 10)]);
    // The employee submits their self review; the manager has not written theirs.
    let task = r.my_tasks(&d.employee).await.unwrap().into_iter().find(|t| t.source == "self").unwrap();
    let form = r.form(&d.employee, task.review_id).await.unwrap();
    let input = ReviewInput { ratings: all_rated(&form, 4), summary: "按期交付".into(), submit: true };
    r.save_review(&d.employee, task.review_id, input).await.unwrap();
    let told = |who: &waymark_app::policy::Actor| {
        let (app, user) = (d.app.clone(), who.user_id.unwrap());
        async move {
            waymark_store::repo::inbox::latest(&app.db.conn, user, 50)
                .await
                .unwrap()
                .into_iter()
                .filter(|n| n.kind == "reminder-review-writing")
                .map(|n| n.subject)
                .collect::<Vec<_>>()
        }
    };
    let sent = waymark_app::reminders::send(&d.app, Reminder::ReviewWriting, day(12, 3)).await.unwrap();
    assert!(sent >= 2, "everyone with an account and an open self review: {sent}");
    assert_eq!(told(&d.manager).await, ["2026 Q4 季度绩效考核 · 2026-12-06"]);
    assert!(told(&d.employee).await.is_empty(), "a submitted review is not reminded");
    assert_eq!(
        waymark_app::reminders::send(&d.app, Reminder::ReviewWriting, day(12, 3)).await.unwrap(),
        0,
        "once a day"
    );
    // Wednesday 9th: the manager review closing on the 10th, to its reviewers only.
    waymark_app::reminders::send(&d.app, Reminder::ReviewWriting, day(12, 9)).await.unwrap();
    assert_eq!(told(&d.manager).await, ["2026 Q4 季度绩效考核 · 2026-12-10", "2026 Q4 季度绩效考核 · 2026-12-06"]);
    assert!(told(&d.employee).await.is_empty());
    // Switched off, it stops.
    let (_, schedule) = d.app.calendar().current().await.unwrap();
    assert!(schedule.review_writing, "on by default");
    let mut settings = v.settings.clone();
    settings.review_writing = false;
    d.app.calendar().save(&d.hr, settings).await.unwrap();
    assert_eq!(waymark_app::reminders::send(&d.app, Reminder::ReviewWriting, day(12, 10)).await.unwrap(), 0);
});
