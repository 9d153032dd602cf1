//! The key-event journal (F-5) over real databases: the person and their manager record
//! dated events with evidence and goals; who reads them (the person, the manager, HR — not a
//! colleague, not the administrator, not an executive); only the author changes or removes
//! an entry; each change audited; bad input refused with nothing written.

mod common;

use chrono::NaiveDate;
use uuid::Uuid;
use waymark_app::goals::PeriodInput;
use waymark_app::journal::JournalInput;
use waymark_app::policy::Actor;
use waymark_app::{App, AppError};
use waymark_store::{Db, dual_test};

use common::{Demo, fields, monday_demo, numeric_kr, private_okr};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn event(about: Option<Uuid>, kind: &str, on: NaiveDate, title: &str, evidence: &str) -> JournalInput {
    JournalInput {
        employee_id: about,
        kind: kind.into(),
        occurred_on: on,
        title: title.into(),
        evidence: evidence.into(),
        links: vec![],
        goal_ids: vec![],
    }
}

async fn titles(app: &App, who: &Actor, about: Uuid) -> Vec<String> {
    app.journal().list(who, Some(about), None, None).await.unwrap().into_iter().map(|e| e.title).collect()
}

dual_test!(f5_key_events_recorded_read_changed_and_refused, |db: Db| async move {
    // Monday 30 November 2026, 09:00 in Shanghai.
    let Demo { app, manager, employee, hr, ceo, admin, .. } = monday_demo(db).await;
    let me = employee.employee_id.unwrap();
    let j = app.journal();

    // A goal of the employee's to link; a private goal of HR's the employee cannot read.
    let g = app.goals();
    let q = g
        .create_period(
            &hr,
            PeriodInput {
                name: "Q4".into(),
                kind: "quarter".into(),
                starts_on: "2026-10-01".into(),
                ends_on: "2026-12-31".into(),
                setting_due_on: None,
            },
        )
        .await
        .unwrap();
    let mine =
        g.create_goal(&employee, private_okr(q.id, "大促稳定性", vec![numeric_kr("可用性", Some("%"), 99.0, 99.99)]));
    let mine = mine.await.unwrap().summary.id;
    let hr_goal = g.create_goal(&hr, private_okr(q.id, "HR 的目标", vec![numeric_kr("x", None, 0.0, 1.0)]));
    let hr_goal = hr_goal.await.unwrap().summary.id;

    // The employee records a contribution about themselves, linked to their goal.
    let own = j
        .record(
            &employee,
            JournalInput {
                links: vec!["https://git.example.cn/infra/merge_requests/42".into()],
                goal_ids: vec![mine],
                ..event(None, "contribution", day(2026, 11, 11), "双十一零故障", "峰值 12 万 QPS，扩容脚本提前两天演练")
            },
        )
        .await
        .unwrap();
    assert_eq!(own.employee.id, me);
    assert_eq!(own.goals.iter().map(|g| g.id).collect::<Vec<_>>(), vec![mine]);
    assert!(own.editable);
    // Links garbled in the database are refused as unreadable (issue 24), not read as "no
    // evidence".
    {
        use waymark_store::entities::journal_entry;
        use waymark_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        let set = |links: &'static str| {
            journal_entry::Entity::update_many()
                .col_expr(journal_entry::Column::Links, Expr::value(links))
                .filter(journal_entry::Column::Id.eq(own.id))
        };
        set("not json").exec(&app.db.conn).await.unwrap();
        assert!(matches!(j.get(&employee, own.id).await, Err(AppError::Store(_))));
        set(r#"["https://git.example.cn/infra/merge_requests/42"]"#).exec(&app.db.conn).await.unwrap();
        assert_eq!(j.get(&employee, own.id).await.unwrap().links, own.links);
    }

    // The manager records a problem about their report; the report is told.
    let by_manager = j
        .record(
            &manager,
            event(Some(me), "problem", day(2026, 11, 20), "周报连续两周未交", "11/13 与 11/20 两周未提交"),
        )
        .await
        .unwrap();
    assert_eq!(by_manager.author.id, manager.employee_id.unwrap());
    let told: Vec<String> = app.inbox().list(&employee).await.unwrap().items.into_iter().map(|n| n.kind).collect();
    assert!(told.contains(&"journal-recorded".to_string()));

    // Read: the person (both entries, newest event first), their manager and HR.
    let both = vec!["周报连续两周未交".to_string(), "双十一零故障".to_string()];
    assert_eq!(titles(&app, &employee, me).await, both);
    assert_eq!(titles(&app, &manager, me).await, both);
    assert_eq!(titles(&app, &hr, me).await, both);
    assert!(!j.get(&employee, by_manager.id).await.unwrap().editable, "only the author may change it");
    // The chief executive is at the top of the reporting line, so reads it as a manager.
    assert_eq!(titles(&app, &ceo, me).await, both);
    // Not the administrator: the person does not exist for them; nor the manager's journal for
    // their report.
    assert!(matches!(j.list(&admin, Some(me), None, None).await, Err(AppError::NotFound(_))));
    assert!(matches!(j.get(&admin, own.id).await, Err(AppError::NotFound(_))));
    let boss = manager.employee_id.unwrap();
    let about_boss = j.record(&manager, event(None, "contribution", day(2026, 11, 2), "预算提前完成", "10/30 提交"));
    let about_boss = about_boss.await.unwrap();
    assert!(matches!(j.list(&employee, Some(boss), None, None).await, Err(AppError::NotFound(_))));
    assert!(matches!(j.get(&employee, about_boss.id).await, Err(AppError::NotFound(_))));
    // A date range: only November 15 onwards.
    let late = j.list(&employee, Some(me), Some(day(2026, 11, 15)), None).await.unwrap();
    assert_eq!(late.len(), 1);

    // Only the author changes or removes an entry.
    assert!(matches!(
        j.update(&employee, by_manager.id, event(None, "problem", day(2026, 11, 20), "改掉", "x")).await,
        Err(AppError::Forbidden)
    ));
    assert!(matches!(j.delete(&employee, by_manager.id).await, Err(AppError::Forbidden)));
    let changed = j
        .update(
            &employee,
            own.id,
            event(None, "contribution", day(2026, 11, 11), "双十一零故障（复盘已归档）", "峰值 12 万 QPS"),
        )
        .await
        .unwrap();
    assert!(changed.goals.is_empty(), "goals not given are unlinked");
    assert_eq!(changed.created_at, own.created_at);
    j.delete(&manager, by_manager.id).await.unwrap();
    assert_eq!(titles(&app, &hr, me).await, vec!["双十一零故障（复盘已归档）".to_string()]);

    // Audited: created, changed (before and after), removed (with what it said).
    let filter = waymark_store::repo::audit::AuditFilter {
        entity_type: Some("journal_entry".into()),
        limit: 10,
        ..Default::default()
    };
    let mut log: Vec<String> = app.audit().list(&hr, filter).await.unwrap().into_iter().map(|a| a.action).collect();
    log.sort();
    assert_eq!(log, ["create", "create", "create", "delete", "update"]);

    // Bad input: a clear error naming the field, nothing written.
    let before = titles(&app, &hr, me).await.len();
    let cases: Vec<(JournalInput, &str, &str)> = vec![
        (event(None, "praise", day(2026, 11, 1), "t", "e"), "kind", "invalid"),
        (event(None, "problem", day(2026, 12, 1), "t", "e"), "occurred_on", "in_future"),
        (event(None, "problem", day(2025, 10, 25), "t", "e"), "occurred_on", "too_long_ago"),
        (event(None, "problem", day(2026, 11, 1), "  ", "e"), "title", "required"),
        (event(None, "problem", day(2026, 11, 1), "t", ""), "evidence", "required"),
        (
            JournalInput {
                links: vec!["javascript:alert(1)".into()],
                ..event(None, "problem", day(2026, 11, 1), "t", "e")
            },
            "links",
            "not_web_link",
        ),
        (
            JournalInput { goal_ids: vec![hr_goal], ..event(None, "problem", day(2026, 11, 1), "t", "e") },
            "goal_ids",
            "unknown_goal",
        ),
    ];
    for (input, field, code) in cases {
        assert_eq!(fields(j.record(&employee, input).await.unwrap_err()), vec![(field.into(), code.into())]);
    }
    // About their manager: that journal does not exist for the employee.
    let up = j.record(&employee, event(Some(boss), "problem", day(2026, 11, 1), "t", "e")).await;
    assert!(matches!(up, Err(AppError::NotFound(_))));
    // An administrator without a person record writes nothing.
    assert!(matches!(
        j.record(&admin, event(Some(me), "problem", day(2026, 11, 1), "t", "e")).await,
        Err(AppError::Forbidden)
    ));
    assert_eq!(titles(&app, &hr, me).await.len(), before);
});
