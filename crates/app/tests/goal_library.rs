//! Goal templates, the key-result library and bulk assignment over real databases (SPEC G-8):
//! HR keeps them, everyone uses them; library definitions fill what a key result leaves blank;
//! a template suits a job family, level and period; bulk assignment previews, skips people who
//! already have the goal, tells each person, and is refused outside the actor's reach.

use std::sync::Arc;

use chrono::TimeZone;
use waymark_app::clock::FixedClock;
use waymark_app::demo::{DEMO_PASSWORD, DemoOptions};
use waymark_app::goals::PeriodInput;
use waymark_app::goals::changes::KeyResultChange;
use waymark_app::goals::convert::KeyResultInput;
use waymark_app::goals::library::{AssignInput, LibraryFilter, LibraryItemInput, TemplateInput, UseTemplateInput};
use waymark_app::{App, AppConfig, AppError};
use waymark_store::{Db, dual_test};

fn fields(e: &AppError) -> Vec<(String, String)> {
    match e {
        AppError::Invalid(f) => f.iter().map(|i| (i.field.clone(), i.code.clone())).collect(),
        other => panic!("expected field errors, got {other:?}"),
    }
}

fn assign(period_id: Option<uuid::Uuid>, dry_run: bool) -> AssignInput {
    AssignInput { period_id, unit_id: None, include_subunits: true, job_family: None, level: None, dry_run }
}

dual_test!(g8_templates_library_and_bulk_assignment, |db: Db| async move {
    let clock = FixedClock::at(chrono::Utc.with_ymd_and_hms(2026, 11, 21, 2, 0, 0).unwrap());
    let app = App::new(db.clone(), Arc::new(clock), AppConfig::default());
    app.create_demo(&DemoOptions { employees: 80, seed: 7, ..Default::default() }).await.unwrap();
    let login = |u: &'static str| {
        let app = app.clone();
        async move { app.accounts().login(u, DEMO_PASSWORD, "127.0.0.1").await.unwrap().1 }
    };
    let (hr, manager, employee) = (login("hr").await, login("manager").await, login("employee").await);
    let goals = app.goals();
    let period = |name: &str, from: &str, to: &str| PeriodInput {
        name: name.into(),
        kind: "quarter".into(),
        starts_on: from.into(),
        ends_on: to.into(),
        setting_due_on: None,
    };
    let q4 = goals.create_period(&hr, period("2026 Q4", "2026-10-01", "2026-12-31")).await.unwrap();
    let q1 = goals.create_period(&hr, period("2027 Q1", "2027-01-01", "2027-03-31")).await.unwrap();
    let me = app.org().profile(&employee, employee.employee_id.unwrap()).await.unwrap().card;
    let family = me.job_family.clone().expect("demo people have a job family");

    // The library: HR only; its definition is checked like any key result.
    let csat = LibraryItemInput {
        key_result: KeyResultInput {
            title: "客户满意度".into(),
            kind: "kpi".into(),
            unit_label: Some("分".into()),
            formula: Some("linear".into()),
            start: Some(80.0),
            threshold: Some(85.0),
            target: Some(90.0),
            stretch: Some(95.0),
            ..Default::default()
        },
        description: Some("季度客户调研平均分".into()),
        job_family: Some(family.to_uppercase()),
        level: None,
    };
    assert!(matches!(goals.create_library_item(&employee, csat.clone()).await, Err(AppError::Forbidden)));
    let mut flat = csat.clone();
    flat.key_result.kind = "numeric".into();
    flat.key_result.target = Some(80.0);
    let e = goals.create_library_item(&hr, flat).await.unwrap_err();
    assert_eq!(fields(&e), [("key_result.target".to_string(), "target_equals_start".to_string())]);
    let item = goals.create_library_item(&hr, csat).await.unwrap();

    // A template: bad input named field by field, nothing written.
    let renewals = KeyResultInput {
        title: "续约客户数".into(),
        kind: "numeric".into(),
        start: Some(0.0),
        target: Some(40.0),
        weight: Some(60.0),
        ..Default::default()
    };
    let from_library =
        KeyResultInput { library_item_id: Some(item.id), target: Some(92.0), weight: Some(40.0), ..Default::default() };
    let template = TemplateInput {
        title: "提升客户续约".into(),
        description: None,
        framework: "okr".into(),
        job_family: Some(format!(" {family} ")),
        level: None,
        period_id: Some(q4.id),
        is_key: Some(true),
        weight: Some(30.0),
        key_results: vec![renewals.clone(), from_library.clone()],
    };
    let bad = TemplateInput {
        weight: Some(120.0),
        key_results: vec![
            KeyResultInput { library_item_id: Some(uuid::Uuid::now_v7()), ..Default::default() },
            renewals.clone(),
        ],
        ..template.clone()
    };
    let e = goals.create_template(&hr, bad).await.unwrap_err();
    assert_eq!(
        fields(&e),
        [
            ("weight".to_string(), "weight_out_of_range".to_string()),
            ("key_results[0].library_item_id".to_string(), "unknown_library_item".to_string()),
            ("key_results[0].title".to_string(), "required".to_string()),
            ("key_results[0].kind".to_string(), "invalid_kind".to_string()),
        ]
    );
    assert!(goals.library(&hr, &LibraryFilter::default()).await.unwrap().templates.is_empty(), "nothing written");
    assert!(matches!(goals.create_template(&manager, template.clone()).await, Err(AppError::Forbidden)));
    let t = goals.create_template(&hr, template).await.unwrap();
    let kpi = &t.key_results[1];
    assert_eq!((kpi.title.as_str(), kpi.kind.as_str()), ("客户满意度", "kpi"), "blanks come from the library");
    assert_eq!((kpi.threshold, kpi.target, kpi.stretch), (Some(85.0), Some(92.0), Some(95.0)), "the target given wins");

    // Who sees it: the library filter, and the templates offered to the employee.
    let lib = goals
        .library(&employee, &LibraryFilter { job_family: Some(family.clone()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!((lib.templates.len(), lib.items.len(), lib.can_edit), (1, 1, false));
    let other = LibraryFilter { job_family: Some("不存在的职位族".into()), ..Default::default() };
    assert!(goals.library(&employee, &other).await.unwrap().templates.is_empty());
    assert_eq!(goals.templates_for_me(&employee, q4.id).await.unwrap().len(), 1);
    assert!(goals.templates_for_me(&employee, q1.id).await.unwrap().is_empty(), "a Q4 template is not for Q1");

    // Using it: a draft of one's own, with fresh key results and the library's definition.
    let e = goals.use_template(&employee, t.id, UseTemplateInput { period_id: Some(q1.id) }).await.unwrap_err();
    assert_eq!(fields(&e), [("period_id".to_string(), "template_period".to_string())]);
    let g = goals.use_template(&employee, t.id, UseTemplateInput { period_id: None }).await.unwrap();
    assert_eq!((g.summary.status.as_str(), g.summary.title.as_str()), ("draft", "提升客户续约"));
    assert_eq!(g.key_results.len(), 2);
    assert_eq!(g.key_results[1].threshold, Some(85.0));
    assert_eq!(g.key_results.iter().map(|k| k.weight_effective).collect::<Vec<_>>(), [60.0, 40.0]);

    // Bulk assignment: who the template suits, minus those who already have it.
    let people = waymark_store::repo::org::all_employees(&db.conn).await.unwrap();
    let suited = people
        .iter()
        .filter(|p| p.is_current() && p.job_family.as_deref().map(str::to_lowercase) == Some(family.to_lowercase()))
        .count();
    assert!(suited >= 2, "the demo has several people in {family}");
    let preview = goals.assign_template(&hr, t.id, assign(None, true)).await.unwrap();
    assert_eq!((preview.matched, preview.skipped_duplicates, preview.created), (suited, 1, 0));
    assert_eq!(preview.sample.len(), (suited - 1).min(20));
    let owned = |db: Db| async move {
        use waymark_store::sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
        waymark_store::entities::goal::Entity::find()
            .filter(waymark_store::entities::goal::Column::TemplateId.eq(t.id))
            .count(&db.conn)
            .await
            .unwrap()
    };
    assert_eq!(owned(db.clone()).await, 1, "a preview writes nothing");
    assert!(matches!(goals.assign_template(&employee, t.id, assign(None, false)).await, Err(AppError::Forbidden)));
    assert!(
        matches!(goals.assign_template(&manager, t.id, assign(None, false)).await, Err(AppError::Forbidden)),
        "a manager does not reach the whole organization"
    );
    let done = goals.assign_template(&hr, t.id, assign(None, false)).await.unwrap();
    assert_eq!((done.created, done.skipped_duplicates), (suited - 1, 1));
    assert_eq!(owned(db.clone()).await, suited as u64);
    let again = goals.assign_template(&hr, t.id, assign(None, false)).await.unwrap();
    assert_eq!((again.created, again.skipped_duplicates), (0, suited), "never the same template twice");
    let e = goals.assign_template(&hr, t.id, assign(Some(q1.id), true)).await.unwrap_err();
    assert_eq!(fields(&e), [("period_id".to_string(), "template_period".to_string())]);

    // Archived: no longer offered or used; goals made from it stay.
    goals.set_template_archived(&hr, t.id, true).await.unwrap();
    assert!(goals.templates_for_me(&employee, q4.id).await.unwrap().is_empty());
    let e = goals.use_template(&employee, t.id, UseTemplateInput { period_id: None }).await.unwrap_err();
    assert_eq!(fields(&e), [("template_id".to_string(), "archived".to_string())]);
    assert_eq!(owned(db.clone()).await, suited as u64);

    // A key result added to a goal from the library.
    let k = KeyResultInput { library_item_id: Some(item.id), ..Default::default() };
    let g =
        goals.add_key_result(&employee, g.summary.id, KeyResultChange { key_result: k, reason: None }).await.unwrap();
    let added = g.key_results.last().unwrap();
    assert_eq!((added.title.as_str(), added.target, added.stretch), ("客户满意度", Some(90.0), Some(95.0)));
});
