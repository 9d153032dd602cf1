//! The nine-box (V-7) over real databases: potential assessed by the manager or HR (not seen by
//! the person), people placed by final grade × potential in the named boxes, movement since the
//! previous cycle, the organization's names, the export.

mod common;

use chrono::Duration;
use waymark_app::AppError;
use waymark_app::reviews::{CycleInput, PotentialInput, StageInput};
use waymark_store::repo::{accounts, audit, org as org_repo, reviews as review_repo};
use waymark_store::{Db, dual_test};

use common::{fields, monday_demo};

dual_test!(v7_potential_placement_movement_names_and_export, |db: Db| async move {
    let d = monday_demo(db).await;
    let opts = waymark_app::demo::DemoOptions { employees: 60, seed: 7, ..Default::default() };
    d.app.create_demo_goals(&opts).await.unwrap().expect("the demo's goals");
    let r = d.app.reviews();
    let c = &d.app.db.conn;
    let cycle = r.cycles(&d.hr).await.unwrap().remove(0);
    let me = d.employee.employee_id.unwrap();
    let people = review_repo::participants(c, cycle.id).await.unwrap();
    let mine = people.iter().find(|p| p.employee_id == me).unwrap().clone();
    let mut mates = Vec::new();
    for p in people.iter().filter(|p| p.employee_id != me && p.manager_id == d.manager.employee_id) {
        if accounts::user_by_employee(c, p.employee_id).await.unwrap().is_none() {
            mates.push(p.clone());
        }
    }
    assert!(mates.len() >= 2, "two teammates");
    let now = d.clock.0.lock().unwrap().to_owned();
    // The employee B (medium performance), a teammate A (high), another D (low).
    for (p, x, g) in [(&mine, 7200, "B"), (&mates[0], 8500, "A"), (&mates[1], 4000, "D")] {
        review_repo::set_score(c, p.id, Some(x), Some(g.into()), "{}".into(), now).await.unwrap();
    }
    let potential = |level: &str, why: &str| PotentialInput { level: level.into(), rationale: why.into() };

    // ---- potential: the manager or HR, with a reason; never the person ----
    let no = org_repo::employee(c, mates[0].employee_id).await.unwrap().unwrap().employee_no;
    let colleague = common::sign_up(&d.app, &no, "colleague").await;
    for who in [&d.employee, &colleague] {
        assert!(matches!(r.assess_potential(who, mine.id, potential("high", "x")).await, Err(AppError::NotFound(_))));
    }
    assert_eq!(
        fields(r.assess_potential(&d.manager, mine.id, potential("huge", "x")).await.unwrap_err()),
        [("potential".into(), "invalid".into())]
    );
    assert_eq!(
        fields(r.assess_potential(&d.manager, mine.id, potential("high", " ")).await.unwrap_err()),
        [("rationale".into(), "required".into())]
    );
    r.assess_potential(&d.manager, mine.id, potential("high", "学习快，主动承担跨团队工作")).await.unwrap();
    r.assess_potential(&d.hr, mates[0].id, potential("medium", "专业扎实，意愿偏稳定")).await.unwrap();
    let v = r.result(&d.manager, mine.id).await.unwrap();
    assert_eq!(v.potential.as_ref().map(|p| p.level.as_str()), Some("high"));
    assert!(v.can_assess_potential);

    // ---- the grid: B × high = box 8 潜力股, A × medium = box 6 高绩效者; D is not placed ----
    let g = r.ninebox(&d.hr, cycle.id, None).await.unwrap();
    let boxed =
        |g: &waymark_app::reviews::NineBoxView, n: u8| g.rows.iter().flatten().find(|b| b.number == n).unwrap().clone();
    let b8 = boxed(&g, 8);
    assert_eq!((b8.name.as_str(), b8.performance.as_str(), b8.potential.as_str()), ("潜力股", "medium", "high"));
    assert_eq!(b8.people.iter().map(|p| p.participant_id).collect::<Vec<_>>(), [mine.id]);
    assert_eq!(b8.people[0].movement.code(), "new");
    assert_eq!(boxed(&g, 6).people.iter().map(|p| p.participant_id).collect::<Vec<_>>(), [mates[0].id]);
    assert_eq!(g.rows[0][2].number, 9, "the top row is high potential, high performance on the right");
    // D is graded but not assessed: listed to assess; the ungraded are only counted.
    assert_eq!(g.unplaced.iter().map(|u| u.participant_id).collect::<Vec<_>>(), [mates[1].id]);
    // HR is in the cycle too, but never sees themselves on the grid (issue 21, item 4).
    let hr_in_cycle = people.iter().filter(|p| Some(p.employee_id) == d.hr.employee_id).count();
    assert_eq!(hr_in_cycle, 1, "the demo's HR is a participant");
    assert_eq!(g.ungraded, people.len() - 3 - hr_in_cycle);
    assert!(matches!(r.ninebox(&d.manager, cycle.id, None).await, Err(AppError::NotFound(_))));

    // ---- the next cycle: the employee rises to A × high = 明星, up from box 8 ----
    *d.clock.0.lock().unwrap() = now + Duration::days(1);
    let stages = cycle
        .stages
        .iter()
        .map(|s| StageInput { stage: s.stage.clone(), opens_on: s.opens_on, closes_on: s.closes_on })
        .collect();
    let next = r
        .create_cycle(
            &d.hr,
            CycleInput {
                name: "下季度考核".into(),
                period_id: cycle.period_id,
                template_id: cycle.template_id,
                unit_ids: vec![],
                job_families: vec![],
                levels: vec![],
                hired_by: None,
                stages,
            },
        )
        .await
        .unwrap();
    r.launch(&d.hr, next.id).await.unwrap();
    let again = review_repo::participants(c, next.id).await.unwrap().into_iter().find(|p| p.employee_id == me).unwrap();
    review_repo::set_score(c, again.id, Some(9100), Some("S".into()), "{}".into(), now).await.unwrap();
    r.assess_potential(&d.manager, again.id, potential("high", "已独立牵头项目")).await.unwrap();
    let g2 = r.ninebox(&d.hr, next.id, None).await.unwrap();
    assert_eq!(g2.previous_cycle.as_deref(), Some(cycle.name.as_str()));
    let star = boxed(&g2, 9);
    assert_eq!(star.name, "明星");
    assert_eq!((star.people[0].previous_box, star.people[0].movement.code()), (Some(8), "up"));

    // ---- the organization's names: org-wide HR, nine of them ----
    let names: Vec<String> = (1..=9).map(|i| format!("第{i}格")).collect();
    assert!(matches!(r.set_box_names(&d.manager, names.clone()).await, Err(AppError::Forbidden)));
    assert_eq!(
        fields(r.set_box_names(&d.hr, names[..8].to_vec()).await.unwrap_err()),
        [("names".into(), "nine_names".into())]
    );
    r.set_box_names(&d.hr, names).await.unwrap();
    assert_eq!(boxed(&r.ninebox(&d.hr, next.id, None).await.unwrap(), 9).name, "第9格");
    // The export for the talent review, and the assessments in the audit log.
    let bytes = r.ninebox_xlsx(&d.hr, next.id, None, true).await.unwrap();
    let table = waymark_app::import::read_table(
        &bytes,
        waymark_app::import::FileFormat::Xlsx,
        &waymark_app::import::ReadLimits::for_upload(10 << 20, 200_000),
    )
    .unwrap();
    let row = table.rows.iter().find(|row| row.contains(&"第9格".to_string())).expect("the star's row");
    assert!(row.contains(&"8".to_string()) && row.contains(&"第8格".to_string()) && row.contains(&"up".to_string()));
    let log = audit::history(c, &[("review_participant", vec![mine.id])]).await.unwrap();
    assert!(
        log.iter().any(|a| a.action == "assess_potential" && a.after.as_deref().is_some_and(|x| x.contains("high")))
    );
});
