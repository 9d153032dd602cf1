//! 1:1s (F-1) over real databases with the clock moved by hand: a cadence between the demo
//! manager and their report, its meetings on the calendar, agenda, shared and private notes,
//! action items carried forward, linked goals, moving, cancelling and holding a meeting, the
//! reminder a day before, the follow-up count, ICS files and the subscription feed checked by
//! two independent parsers (Python's icalendar and vobject), and who may see what — private
//! notes their author only, at every exit (API views, audit log, feed).

mod common;
mod peers;

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use uuid::Uuid;
use waymark_app::clock::FixedClock;
use waymark_app::demo::DemoOptions;
use waymark_app::goals::PeriodInput;
use waymark_app::jobs::Worker;
use waymark_app::one_on_ones::{
    ActionInput, AgendaInput, GoalLinkInput, NotesInput, RescheduleInput, SeriesInput, SeriesUpdate,
};
use waymark_app::policy::Actor;
use waymark_app::{App, AppConfig, AppError};
use waymark_store::{Db, dual_test};

use common::{fields, login, numeric_kr, private_okr};

struct World {
    app: App,
    clock: Arc<FixedClock>,
    manager: Actor,
    employee: Actor,
    hr: Actor,
    ceo: Actor,
    admin: Actor,
}

impl World {
    /// `h:mm` on 2026-`m`-`d` in Shanghai (UTC+8).
    fn set(&self, m: u32, d: u32, h: u32, min: u32) {
        *self.clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, m, d, 0, 0, 0).unwrap()
            + chrono::Duration::minutes(i64::from(h * 60 + min) - 480);
    }
}

async fn setup(db: Db) -> World {
    // Monday 30 November 2026, 09:00 in Shanghai.
    let clock = Arc::new(FixedClock::at(Utc.with_ymd_and_hms(2026, 11, 30, 1, 0, 0).unwrap()));
    let config = AppConfig {
        notify: waymark_app::notify::NotifyConfig { public_url: "https://pm.example.com".into(), ..Default::default() },
        ..AppConfig::default()
    };
    let app = App::new(db, clock.clone(), config);
    app.create_demo(&DemoOptions { employees: 60, seed: 7, ..Default::default() }).await.unwrap();
    World {
        manager: login(&app, "manager").await,
        employee: login(&app, "employee").await,
        hr: login(&app, "hr").await,
        ceo: login(&app, "executive").await,
        admin: login(&app, "admin").await,
        app,
        clock,
    }
}

fn weekly(with: Uuid, first_at: &str) -> SeriesInput {
    SeriesInput {
        with,
        cadence: "weekly".into(),
        first_at: first_at.into(),
        duration_min: 30,
        location: Some("3F 会议室".into()),
    }
}

async fn kinds(app: &App, who: &Actor) -> Vec<(String, String)> {
    app.inbox().list(who).await.unwrap().items.into_iter().map(|n| (n.kind, n.subject)).collect()
}

/// Both parsers' reading of an ICS document, or None when Python's peers are not installed.
fn parse_ics(body: &str) -> Option<serde_json::Value> {
    let ok = std::process::Command::new("python3")
        .args(["-c", "import icalendar, vobject"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var("WAYMARK_REQUIRE_PEERS").as_deref() != Ok("1"),
            "python3 with icalendar and vobject is required (pip install icalendar vobject)"
        );
        eprintln!("SKIPPED: python3 with icalendar and vobject is not installed");
        return None;
    }
    let path = std::env::temp_dir().join(format!("waymark-{}.ics", Uuid::now_v7()));
    std::fs::write(&path, body).unwrap();
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/peers/ics_check.py");
    let out = std::process::Command::new("python3").arg(script).arg(&path).output().unwrap();
    let _ = std::fs::remove_file(&path);
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "the parsers refused the ICS: {text}\n{body}");
    Some(serde_json::from_str(&text).unwrap())
}

dual_test!(f1_a_weekly_one_on_one_from_setup_to_follow_up, |db: Db| async move {
    let w = setup(db).await;
    let s = w.app.one_on_ones();
    let me = w.employee.employee_id.unwrap();
    let boss = w.manager.employee_id.unwrap();

    // Bad set-ups are named field by field; only a manager and a direct report pair up.
    let bad =
        SeriesInput { cadence: "daily".into(), first_at: "2026-12-03T03:00".into(), duration_min: 5, ..weekly(me, "") };
    assert_eq!(
        fields(s.create_series(&w.manager, bad).await.unwrap_err()),
        vec![
            ("cadence".into(), "invalid_choice".into()),
            ("first_at".into(), "outside_hours".into()),
            ("duration_min".into(), "out_of_range".into()),
        ]
    );
    let unreadable = weekly(me, "next thursday");
    assert_eq!(
        fields(s.create_series(&w.manager, unreadable).await.unwrap_err()),
        vec![("first_at".into(), "invalid_time".into())]
    );
    let hr_person = w.hr.employee_id.unwrap();
    let stranger = s.create_series(&w.employee, weekly(hr_person, "2026-12-03T14:00")).await.unwrap_err();
    assert_eq!(fields(stranger), vec![("with".into(), "not_direct".into())]);

    // The report sets it up with their manager: Thursdays 14:00, 30 minutes.
    let series = s.create_series(&w.employee, weekly(boss, "2026-12-03T14:00")).await.unwrap();
    assert_eq!((series.manager_id, series.report_id, series.cadence.as_str()), (boss, me, "weekly"));
    let twice = s.create_series(&w.manager, weekly(me, "2026-12-04T10:00")).await.unwrap_err();
    assert_eq!(fields(twice), vec![("with".into(), "exists".into())]);
    // Eight weeks of Thursdays are on both calendars.
    let mine = s.overview(&w.employee).await.unwrap();
    let theirs = s.overview(&w.manager).await.unwrap();
    let when: Vec<String> = mine.upcoming.iter().map(|m| m.starts_at.to_rfc3339()).collect();
    assert_eq!(when.len(), 8);
    assert_eq!(when[0], "2026-12-03T06:00:00+00:00");
    assert_eq!(when[7], "2027-01-21T06:00:00+00:00");
    assert_eq!(
        theirs.upcoming.iter().map(|m| m.id).collect::<Vec<_>>(),
        mine.upcoming.iter().map(|m| m.id).collect::<Vec<_>>()
    );
    assert!(!theirs.without.iter().any(|p| p.id == me), "the report has 1:1s now");
    let (first, second, third) = (mine.upcoming[0].id, mine.upcoming[1].id, mine.upcoming[2].id);

    // Nobody else sees it: not the CEO above the manager, not HR, not an administrator.
    for other in [&w.ceo, &w.hr, &w.admin] {
        assert!(matches!(s.meeting(other, first).await, Err(AppError::NotFound(_))), "{}", other.label);
        assert!(matches!(s.meeting_ics(other, first, Default::default()).await, Err(AppError::NotFound(_))));
    }

    // A shared agenda both add to; shared notes; each one's private note.
    s.add_agenda_item(&w.employee, first, AgendaInput { text: "晋升答辩准备".into() }).await.unwrap();
    let topic = s.add_agenda_item(&w.manager, first, AgendaInput { text: "Q4 目标复盘".into() }).await.unwrap();
    assert_eq!(
        fields(s.add_agenda_item(&w.manager, first, AgendaInput { text: "  ".into() }).await.unwrap_err()),
        vec![("text".into(), "required".into())]
    );
    assert!(matches!(s.remove_agenda_item(&w.employee, topic.id).await, Err(AppError::Forbidden)), "only its author");
    s.set_discussed(&w.employee, topic.id, true).await.unwrap();
    s.save_shared_notes(&w.manager, first, NotesInput { text: "结论：先准备答辩材料".into() }).await.unwrap();
    s.save_private_note(&w.manager, first, NotesInput { text: "考虑让他带新人".into() }).await.unwrap();
    s.save_private_note(&w.employee, first, NotesInput { text: "想谈调薪".into() }).await.unwrap();
    let mv = s.meeting(&w.manager, first).await.unwrap();
    let ev = s.meeting(&w.employee, first).await.unwrap();
    assert_eq!(mv.agenda.len(), 2);
    assert_eq!(ev.shared_notes, "结论：先准备答辩材料");
    assert_eq!((mv.private_note.as_str(), ev.private_note.as_str()), ("考虑让他带新人", "想谈调薪"));
    let both = format!("{}{}", serde_json::to_string(&mv).unwrap(), serde_json::to_string(&ev).unwrap());
    assert_eq!(both.matches("考虑让他带新人").count(), 1, "the manager's note goes to the manager only");
    assert_eq!(both.matches("想谈调薪").count(), 1, "the report's note goes to the report only");
    // The audit log (HR reads it) knows that notes changed, never their words.
    let filter = waymark_store::repo::audit::AuditFilter { limit: 500, ..Default::default() };
    let audit = format!("{:?}", w.app.audit().list(&w.hr, filter).await.unwrap());
    for words in ["考虑让他带新人", "想谈调薪", "结论：先准备答辩材料", "晋升答辩准备"] {
        assert!(!audit.contains(words), "{words} is in the audit log");
    }
    assert!(audit.contains("one_on_one_private_note"), "the change itself is audited");

    // Action items: one to three per meeting, the manager's or the report's, carried forward.
    let first_action = s
        .add_action(
            &w.manager,
            first,
            ActionInput { text: "整理答辩材料".into(), owner_id: None, due_on: Some("2026-12-09".into()) },
        )
        .await
        .unwrap();
    assert_eq!(first_action.owner_id, me, "the report by default");
    s.add_action(
        &w.employee,
        first,
        ActionInput { text: "约 HRBP 聊职级标准".into(), owner_id: Some(boss), due_on: None },
    )
    .await
    .unwrap();
    let done = s
        .add_action(&w.employee, first, ActionInput { text: "更新 OKR".into(), owner_id: None, due_on: None })
        .await
        .unwrap();
    let fourth = ActionInput { text: "第四项".into(), owner_id: None, due_on: None };
    assert_eq!(
        fields(s.add_action(&w.manager, first, fourth).await.unwrap_err()),
        vec![("text".into(), "too_many".into())]
    );
    let outsider = ActionInput { text: "x".into(), owner_id: Some(hr_person), due_on: Some("someday".into()) };
    assert_eq!(
        fields(s.add_action(&w.manager, second, outsider).await.unwrap_err()),
        vec![("owner_id".into(), "not_participant".into()), ("due_on".into(), "invalid_date".into())]
    );
    s.set_action_done(&w.employee, done.id, true).await.unwrap();
    let next = s.meeting(&w.employee, second).await.unwrap();
    assert_eq!(next.actions.len(), 2, "the two open ones carry forward, the done one stays behind");
    assert!(next.actions.iter().all(|a| !a.agreed_here && !a.done));
    assert_eq!(next.previous, Some(first));

    // Goals: one of the report's, with its light; not someone else's.
    let q = w
        .app
        .goals()
        .create_period(
            &w.hr,
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
    let g = w
        .app
        .goals()
        .create_goal(&w.employee, private_okr(q.id, "答辩通过", vec![numeric_kr("准备度", Some("%"), 0.0, 100.0)]))
        .await
        .unwrap();
    let h = w
        .app
        .goals()
        .create_goal(&w.hr, private_okr(q.id, "HR 的目标", vec![numeric_kr("x", None, 0.0, 1.0)]))
        .await
        .unwrap();
    s.link_goal(&w.manager, first, GoalLinkInput { goal_id: g.summary.id }).await.unwrap();
    assert_eq!(
        fields(s.link_goal(&w.manager, first, GoalLinkInput { goal_id: h.summary.id }).await.unwrap_err()),
        vec![("goal_id".into(), "unknown_goal".into())],
        "the manager may not even see HR's private goal"
    );
    assert_eq!(s.meeting(&w.employee, first).await.unwrap().goals[0].title, "答辩通过");
    assert!(s.meeting(&w.manager, first).await.unwrap().report_goals.iter().any(|x| x.id == g.summary.id));

    // Moved by hand: a new time, its SEQUENCE up; cancelled: no more changes.
    let moved = s
        .reschedule(
            &w.manager,
            second,
            RescheduleInput { starts_at: "2026-12-11T15:30".into(), duration_min: Some(45) },
        )
        .await
        .unwrap();
    assert_eq!(
        (moved.meeting.starts_at.to_rfc3339().as_str(), moved.meeting.duration_min),
        ("2026-12-11T07:30:00+00:00", 45)
    );
    let past = RescheduleInput { starts_at: "2026-11-01T10:00".into(), duration_min: None };
    assert_eq!(
        fields(s.reschedule(&w.manager, second, past).await.unwrap_err()),
        vec![("starts_at".into(), "past_time".into())]
    );
    s.cancel(&w.employee, third).await.unwrap();
    let late = s.add_agenda_item(&w.employee, third, AgendaInput { text: "x".into() }).await.unwrap_err();
    assert_eq!(fields(late), vec![("state".into(), "cancelled".into())]);
    // Someone with write access to the database garbles the cancelled meeting's state: it is
    // refused as unreadable (issue 24), not read as scheduled and opened to changes again.
    {
        use waymark_store::entities::one_on_one;
        use waymark_store::sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        let garble = |state: &'static str| {
            one_on_one::Entity::update_many()
                .col_expr(one_on_one::Column::State, Expr::value(state))
                .filter(one_on_one::Column::Id.eq(third))
        };
        assert_eq!(garble("maybe").exec(&w.app.db.conn).await.unwrap().rows_affected, 1);
        assert!(matches!(s.meeting(&w.employee, third).await, Err(AppError::Store(_))));
        let refused = s.add_agenda_item(&w.employee, third, AgendaInput { text: "x".into() }).await;
        assert!(matches!(refused, Err(AppError::Store(_))), "{refused:?}");
        garble("cancelled").exec(&w.app.db.conn).await.unwrap();
    }

    // ICS: each meeting, and the feed, read back by two independent parsers.
    let ics = s.meeting_ics(&w.employee, second, Default::default()).await.unwrap();
    assert!(ics.contains(&format!("UID:{second}@waymark")), "{ics}");
    if let Some(v) = parse_ics(&ics) {
        let e = &v["events"][0];
        assert_eq!(
            (e["start"].as_str(), e["end"].as_str()),
            (Some("2026-12-11T07:30:00Z"), Some("2026-12-11T08:15:00Z"))
        );
        assert_eq!(
            (e["sequence"].as_i64(), e["status"].as_str(), e["location"].as_str()),
            (Some(1), Some("CONFIRMED"), Some("3F 会议室"))
        );
        assert!(e["summary"].as_str().unwrap().contains(&w.manager.display_name), "{e}");
    }
    let link = s.renew_feed(&w.employee).await.unwrap();
    let url = link.url.unwrap();
    let token = url.rsplit('/').next().unwrap().trim_end_matches(".ics").to_string();
    assert!(url.starts_with("https://pm.example.com/calendar/wmcal_"), "{url}");
    let feed = s.feed_ics(&token).await.unwrap();
    assert!(
        !feed.contains("考虑让他带新人") && !feed.contains("结论") && !feed.contains("晋升答辩准备"),
        "no words of the meeting in a feed"
    );
    if let Some(v) = parse_ics(&feed) {
        let events = v["events"].as_array().unwrap();
        assert_eq!(events.len(), 8);
        let cancelled: Vec<&serde_json::Value> = events.iter().filter(|e| e["status"] == "CANCELLED").collect();
        assert_eq!(cancelled.len(), 1);
        assert_eq!(cancelled[0]["uid"], format!("{third}@waymark"));
    }
    // A new address retires the old one; revoked, none works; someone else's feed is theirs.
    let renewed = s.renew_feed(&w.employee).await.unwrap().url.unwrap();
    assert!(matches!(s.feed_ics(&token).await, Err(AppError::NotFound(_))));
    let token2 = renewed.rsplit('/').next().unwrap().trim_end_matches(".ics").to_string();
    assert!(s.feed_ics(&token2).await.is_ok());
    s.revoke_feed(&w.employee).await.unwrap();
    assert!(matches!(s.feed_ics(&token2).await, Err(AppError::NotFound(_))));
    assert!(matches!(s.revoke_feed(&w.employee).await, Err(AppError::NotFound(_))));

    // The day before, both get the reminder; the moved meeting's old reminder says nothing.
    let worker = Worker::new(w.app.clone());
    w.set(12, 2, 14, 1);
    while worker.run_once().await.unwrap() > 0 {}
    let reminded = |k: &(String, String)| k.0 == "reminder-one-on-one";
    let for_employee: Vec<(String, String)> = kinds(&w.app, &w.employee).await.into_iter().filter(reminded).collect();
    assert_eq!(
        for_employee,
        vec![("reminder-one-on-one".into(), format!("{} · 2026-12-03 14:00", w.manager.display_name))]
    );
    assert_eq!(kinds(&w.app, &w.manager).await.into_iter().filter(reminded).count(), 1);
    w.set(12, 9, 14, 5);
    while worker.run_once().await.unwrap() > 0 {}
    assert_eq!(kinds(&w.app, &w.employee).await.into_iter().filter(reminded).count(), 1, "the 10th moved to the 11th");
    w.set(12, 10, 15, 31);
    while worker.run_once().await.unwrap() > 0 {}
    assert_eq!(kinds(&w.app, &w.employee).await.into_iter().filter(reminded).count(), 2, "reminded at the new time");

    // Held: not before an hour ahead of its start; then it counts in the month's follow-up.
    w.set(12, 2, 9, 0);
    assert_eq!(fields(s.mark_held(&w.manager, first).await.unwrap_err()), vec![("state".into(), "not_started".into())]);
    w.set(12, 3, 14, 20);
    s.mark_held(&w.manager, first).await.unwrap();
    let f = w.app.tracking().follow_up(&w.manager, None, None).await.unwrap();
    let line = f.reports.iter().find(|l| l.employee_id == me).unwrap();
    assert_eq!(line.one_on_ones, 1);
    assert_eq!(f.total.one_on_ones, 1);
    assert!(f.total.one_on_ones_per_report.unwrap() > 0.0);

    // A new cadence: untouched meetings to come follow it; the moved and the cancelled stay.
    let update = SeriesUpdate {
        cadence: "biweekly".into(),
        first_at: "2026-12-17T10:00".into(),
        duration_min: 30,
        location: None,
        active: true,
    };
    s.update_series(&w.manager, series.id, update).await.unwrap();
    let after = s.overview(&w.employee).await.unwrap();
    let times: Vec<String> =
        after.upcoming.iter().map(|m| w.app.zone().time(m.starts_at).format("%m-%d %H:%M").to_string()).collect();
    assert_eq!(times, vec!["12-11 15:30", "12-17 10:00", "12-31 10:00", "01-14 10:00", "01-28 10:00"]);
    assert!(after.recent.iter().any(|m| m.id == third && m.state == "cancelled"));
    // Ended: nothing more to come, and the report is free for a new cadence.
    let end = SeriesUpdate {
        cadence: "biweekly".into(),
        first_at: "2026-12-17T10:00".into(),
        duration_min: 30,
        location: None,
        active: false,
    };
    s.update_series(&w.manager, series.id, end).await.unwrap();
    let ended = s.overview(&w.manager).await.unwrap();
    assert_eq!(ended.upcoming.len(), 1, "only the meeting moved by hand stays");
    assert!(ended.without.iter().any(|p| p.id == me));
});
