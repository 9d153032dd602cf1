//! The light 360 (F-6) over real databases: setting one up, answering once, results only when
//! closed with three answers or more, and anonymity proved at every exit — the API views, the
//! rows in the database, the order of answers and comments, the audit log, notifications and
//! the job queue.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use uuid::Uuid;
use waymark_app::jobs::Worker;
use waymark_app::light360::{AnswerInput, AnswerItem, Light360Input};
use waymark_app::policy::Actor;
use waymark_app::{App, AppError};
use waymark_store::entities::{job, light360_answered, light360_response};
use waymark_store::sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, Statement};
use waymark_store::{Db, dual_test};

use common::{Demo, fields, monday_demo, sign_up};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn survey(subject: Option<Uuid>, invitees: &[Uuid]) -> Light360Input {
    Light360Input {
        subject_id: subject,
        project: "支付网关重构".into(),
        ended_on: day(11, 27),
        closes_on: Some(day(12, 4)),
        questions: vec!["沟通效率".into(), "专业支持".into()],
        invitee_ids: invitees.to_vec(),
    }
}

fn answers(r: &[(i64, &str)]) -> AnswerInput {
    AnswerInput {
        answers: r.iter().map(|(rating, c)| AnswerItem { rating: *rating, comment: c.to_string() }).collect(),
    }
}

async fn kinds(app: &App, who: &Actor) -> Vec<String> {
    app.inbox().list(who).await.unwrap().items.into_iter().map(|n| n.kind).collect()
}

dual_test!(f6_light_360_answers_once_results_from_three_and_anonymous_at_every_exit, |db: Db| async move {
    // Monday 30 November 2026, 09:00 in Shanghai.
    let Demo { app, clock, manager, employee, hr, admin, .. } = monday_demo(db).await;
    let me = employee.employee_id.unwrap();
    // Three of the employee's colleagues (the manager's other reports), with accounts.
    let peers: Vec<_> = waymark_store::repo::org::direct_reports(&app.db.conn, manager.employee_id.unwrap())
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.id != me)
        .take(3)
        .collect();
    assert_eq!(peers.len(), 3, "the demo gives the manager at least four reports");
    let mut p = Vec::new();
    for (i, e) in peers.iter().enumerate() {
        p.push(sign_up(&app, &e.employee_no, &format!("peer{i}")).await);
    }
    let peer_ids: Vec<Uuid> = peers.iter().map(|e| e.id).collect();
    let l = app.light360();

    // Bad set-ups: a clear error naming the field, nothing written.
    let bad: Vec<(Light360Input, &str, &str)> = vec![
        (survey(None, &peer_ids[..2]), "invitee_ids", "invitee_count"),
        (survey(None, &[peer_ids[0], peer_ids[1], me]), "invitee_ids", "invitee_is_subject"),
        (Light360Input { ended_on: day(12, 1), ..survey(None, &peer_ids) }, "ended_on", "in_future"),
        (Light360Input { closes_on: Some(day(11, 30)), ..survey(None, &peer_ids) }, "closes_on", "closes_on"),
        (
            Light360Input { questions: vec!["沟通".into(), "沟通".into()], ..survey(None, &peer_ids) },
            "questions[1]",
            "repeated",
        ),
        (Light360Input { project: " ".into(), ..survey(None, &peer_ids) }, "project", "required"),
    ];
    for (input, field, code) in bad {
        assert_eq!(fields(l.create(&employee, input).await.unwrap_err()), vec![(field.into(), code.into())]);
    }
    // About a colleague: not theirs to set up.
    assert_eq!(
        fields(
            l.create(&p[0], survey(Some(me), &[peer_ids[1], peer_ids[2], manager.employee_id.unwrap()]))
                .await
                .unwrap_err()
        ),
        vec![("subject_id".into(), "not_your_report".into())]
    );
    assert!(l.lists(&employee).await.unwrap().mine.is_empty());
    // Issue 22, item 6: the manager asking about their report invites themselves, so that their
    // own answer is one of three and the other two could be worked out: refused.
    let with_me = [peer_ids[0], peer_ids[1], manager.employee_id.unwrap()];
    assert_eq!(
        fields(l.create(&manager, survey(Some(me), &with_me)).await.unwrap_err()),
        vec![("invitee_ids".into(), "invitee_is_requester".into())]
    );
    assert!(l.lists(&manager).await.unwrap().mine.is_empty());

    // The employee asks three colleagues and their manager about themselves.
    let mut invited = peer_ids.clone();
    invited.push(manager.employee_id.unwrap());
    let s = l.create(&employee, survey(None, &invited)).await.unwrap();
    assert_eq!((s.state.as_str(), s.invitee_count, s.response_count, s.threshold_reached), ("open", 4, None, false));
    for who in &p {
        assert!(kinds(&app, who).await.contains(&"light360-invited".to_string()));
        assert_eq!(l.lists(who).await.unwrap().to_answer.len(), 1);
    }

    // Answers: once each, by invitees only, every question rated 1–5.
    let jobs_before = job::Entity::find().count(&app.db.conn).await.unwrap();
    let audit_before = app.audit().list(&hr, Default::default()).await.unwrap().len();
    l.answer(&p[2], s.id, answers(&[(5, "需求澄清很快"), (4, "")])).await.unwrap();
    assert_eq!(
        fields(l.answer(&p[2], s.id, answers(&[(1, ""), (1, "")])).await.unwrap_err()),
        vec![("answers".into(), "already_answered".into())]
    );
    assert!(matches!(l.answer(&employee, s.id, answers(&[(5, ""), (5, "")])).await, Err(AppError::Forbidden)));
    assert!(matches!(
        l.answer(&hr, s.id, answers(&[(5, ""), (5, "")])).await,
        Err(AppError::NotFound(_) | AppError::Forbidden)
    ));
    assert_eq!(
        fields(l.answer(&p[0], s.id, answers(&[(6, ""), (3, "")])).await.unwrap_err()),
        vec![("answers[0].rating".into(), "out_of_scale".into())]
    );
    assert_eq!(
        fields(l.answer(&p[0], s.id, answers(&[(3, "")])).await.unwrap_err()),
        vec![("answers".into(), "answer_count".into())]
    );
    assert!(l.get(&p[2], s.id).await.unwrap().answered);
    // A mark key emptied in the database is refused as unreadable (issue 24): read as an empty
    // key, every answered mark would be computable by anyone.
    {
        use waymark_store::entities::light360;
        use waymark_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        let kept = light360::Entity::find_by_id(s.id).one(&app.db.conn).await.unwrap().unwrap().mark_key;
        let set = |key: String| {
            light360::Entity::update_many()
                .col_expr(light360::Column::MarkKey, Expr::value(key))
                .filter(light360::Column::Id.eq(s.id))
        };
        set(String::new()).exec(&app.db.conn).await.unwrap();
        assert!(matches!(l.get(&p[2], s.id).await, Err(AppError::Store(_))));
        set(kept).exec(&app.db.conn).await.unwrap();
    }
    // While open, no count ticks up for anyone to watch (issue 22, item 6): not for the person
    // who asked, not for an invitee, not for HR.
    for who in [&employee, &p[0], &hr] {
        let v = l.get(who, s.id).await.unwrap();
        assert_eq!((v.response_count, v.threshold_reached), (None, false));
        let json = serde_json::to_value(&v).unwrap();
        assert!(json["response_count"].is_null(), "the API carries no count while open");
    }
    assert!(!l.get(&p[0], s.id).await.unwrap().answered);

    // While open there are no results, whatever the count.
    l.answer(&p[0], s.id, answers(&[(2, "周会经常迟到"), (3, "")])).await.unwrap();
    l.answer(&p[1], s.id, answers(&[(4, "按时交付"), (5, "帮我排查了线上问题")])).await.unwrap();
    let open = l.get(&employee, s.id).await.unwrap();
    assert_eq!(
        (open.response_count, open.threshold_reached, open.results.is_none(), open.results_withheld.as_deref()),
        (None, true, true, Some("open"))
    );
    // Answering wrote nothing to the audit log or the job queue.
    let jobs_after = job::Entity::find().count(&app.db.conn).await.unwrap();
    assert_eq!(jobs_after, jobs_before, "no job, so no notification, per answer");
    assert_eq!(
        app.audit().list(&hr, Default::default()).await.unwrap().len(),
        audit_before,
        "no audit record per answer"
    );

    // An invitee may not close it; the creator may, early.
    assert!(matches!(l.close(&p[0], s.id).await, Err(AppError::Forbidden)));
    let closed = l.close(&employee, s.id).await.unwrap();
    assert_eq!((closed.state.as_str(), closed.response_count), ("closed", Some(3)), "the count once closed");
    assert!(matches!(l.answer(&manager, s.id, answers(&[(5, ""), (5, "")])).await, Err(AppError::Invalid(_))));

    // Results, hand-worked: 沟通效率 5, 2, 4 → 11 / 3 = 3.67 → 3.7; 专业支持 4, 3, 5 → 4.0.
    let r = closed.results.clone().expect("closed with three answers");
    assert_eq!((r[0].question.as_str(), r[0].count, r[0].mean), ("沟通效率", 3, 3.7));
    assert_eq!(r[0].distribution, vec![0, 1, 0, 1, 1]);
    assert_eq!(r[1].mean, 4.0);
    // Comments sorted by their text (周 U+5468 < 按 U+6309 < 需 U+9700), not in the order
    // given (需…, 周…, 按…).
    assert_eq!(r[0].comments, vec!["周会经常迟到", "按时交付", "需求澄清很快"]);
    // The person's manager and HR read the same results; an invitee and the administrator do not.
    assert_eq!(l.get(&manager, s.id).await.unwrap().results.unwrap()[0].mean, 3.7);
    assert!(l.get(&hr, s.id).await.unwrap().results.is_some());
    assert!(l.get(&p[0], s.id).await.unwrap().results.is_none());
    assert!(matches!(l.get(&admin, s.id).await, Err(AppError::NotFound(_))));

    // Exit: the API. Nothing in the manager's or HR's view names or identifies a respondent.
    for reader in [&manager, &hr] {
        let json = serde_json::to_string(&l.get(reader, s.id).await.unwrap()).unwrap();
        for e in &peers {
            assert!(!json.contains(&e.id.to_string()) && !json.contains(&e.name), "{} named in {json}", e.name);
        }
    }
    // Exit: the database. An answer row holds the survey, a random id and the answers; a mark
    // is a keyed hash that is no one's id. Neither has a time.
    let rows = light360_response::Entity::find().all(&app.db.conn).await.unwrap();
    assert_eq!(rows.len(), 3);
    for row in &rows {
        assert_eq!(row.id.get_version_num(), 4, "random, so it orders nothing");
        for e in &peers {
            assert!(!row.answers.contains(&e.id.to_string()) && !row.answers.contains(&e.name));
        }
    }
    let marks = light360_answered::Entity::find().all(&app.db.conn).await.unwrap();
    assert_eq!(marks.len(), 3);
    for m in &marks {
        assert!(
            peers.iter().all(|e| !m.mark.contains(&e.id.simple().to_string()) && !m.mark.contains(&e.id.to_string()))
        );
    }
    for table in ["light360_response", "light360_answered"] {
        let sql = match app.db.conn.get_database_backend() {
            waymark_store::sea_orm::DbBackend::Postgres => {
                format!("SELECT column_name AS name FROM information_schema.columns WHERE table_name = '{table}'")
            }
            _ => format!("SELECT name FROM pragma_table_info('{table}')"),
        };
        let cols: Vec<String> = app
            .db
            .conn
            .query_all_raw(Statement::from_string(app.db.conn.get_database_backend(), sql))
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.try_get::<String>("", "name").unwrap())
            .collect();
        assert!(cols.iter().all(|c| ["survey_id", "id", "answers", "mark"].contains(&c.as_str())), "{table}: {cols:?}");
    }
    // On SQLite the two tables have no rowid, whose order would be the order of arrival.
    if app.db.conn.get_database_backend() == waymark_store::sea_orm::DbBackend::Sqlite {
        let sql = "SELECT sql FROM sqlite_master WHERE name IN ('light360_response', 'light360_answered')";
        let defs =
            app.db.conn.query_all_raw(Statement::from_string(app.db.conn.get_database_backend(), sql)).await.unwrap();
        assert_eq!(defs.len(), 2);
        for d in defs {
            assert!(d.try_get::<String>("", "sql").unwrap().ends_with("WITHOUT ROWID"));
        }
    }
    // Exit: the audit log. The set-up and the close, by their actors; nothing by a respondent.
    for who in &p {
        let filter =
            waymark_store::repo::audit::AuditFilter { actor_user_id: who.user_id, limit: 100, ..Default::default() };
        let by_them = app.audit().list(&hr, filter).await.unwrap();
        assert!(by_them.iter().all(|a| a.entity_type != "light360"), "{by_them:?}");
    }
    let filter = waymark_store::repo::audit::AuditFilter {
        entity_type: Some("light360".into()),
        limit: 100,
        ..Default::default()
    };
    let mut log: Vec<String> = app.audit().list(&hr, filter).await.unwrap().into_iter().map(|a| a.action).collect();
    log.sort();
    assert_eq!(log, ["close", "create"]);
    // Exit: notifications. The person and their manager were told nothing by a respondent.
    for reader in [&employee, &manager] {
        let names: Vec<String> =
            app.inbox().list(reader).await.unwrap().items.into_iter().map(|n| n.actor_name).collect();
        for e in &p {
            assert!(!names.contains(&e.display_name), "{} in {names:?}", e.display_name);
        }
    }

    // A survey closing with two answers shows nothing, to anyone, ever; the last-day reminder
    // goes to every invitee, answered or not; the closing job closes it the day after.
    let s2 = l.create(&manager, survey(Some(me), &peer_ids)).await.unwrap();
    l.answer(&p[0], s2.id, answers(&[(5, ""), (5, "")])).await.unwrap();
    l.answer(&p[1], s2.id, answers(&[(1, ""), (1, "")])).await.unwrap();
    let worker = Worker::new(app.clone());
    // Friday 4 December, 10:01 in Shanghai: the reminder.
    *clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 4, 2, 1, 0).unwrap();
    while worker.run_once().await.unwrap() > 0 {}
    for who in &p {
        assert!(kinds(&app, who).await.contains(&"reminder-light360".to_string()));
    }
    assert_eq!(l.get(&employee, s2.id).await.unwrap().state, "open", "the last day is still open");
    // Saturday 5 December, 00:01: closed.
    *clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, 12, 4, 16, 1, 0).unwrap();
    while worker.run_once().await.unwrap() > 0 {}
    for reader in [&employee, &manager, &hr] {
        let v = l.get(reader, s2.id).await.unwrap();
        assert_eq!(
            (v.state.as_str(), v.results.is_none(), v.results_withheld.as_deref()),
            ("closed", true, Some("too_few"))
        );
    }
    assert!(kinds(&app, &manager).await.contains(&"light360-too-few".to_string()));
    assert!(matches!(l.answer(&p[2], s2.id, answers(&[(3, ""), (3, "")])).await, Err(AppError::Invalid(_))));
});
