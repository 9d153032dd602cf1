//! Development reports (SPEC D-2; issue 26, item 4) over real databases: two released cycles
//! rate a person's competencies; the rules find a stable strength, a volatile area and one that
//! needs growth, and see that a course in it showed up in the next cycle's ratings; mentors are
//! colleagues strong in the area whom the viewer may see, courses those several colleagues'
//! plans name. The manager edits, saves and shares the report (the person sees nothing before),
//! and turns it into one development plan however often the button is pressed.

mod common;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use uuid::Uuid;
use waymark_app::AppError;
use waymark_app::development::{PlanActionInput, PlanInput};
use waymark_app::development_report::ReportInput;
use waymark_app::goals::PeriodInput;
use waymark_app::i18n::Lang;
use waymark_app::reviews::starter_template;
use waymark_domain::development_report::{Assessment, LearningVerdict, ReportState, ReportText};
use waymark_domain::reviews::cycle::{CycleState, ParticipantFilter, ReviewCycle, Stage, StageDates};
use waymark_domain::reviews::review::{Review, ReviewState};
use waymark_domain::reviews::scoring::Source;
use waymark_store::entities::{review_participant, review_rating};
use waymark_store::repo::{audit, org as org_repo, reviews as review_repo};
use waymark_store::{Db, dual_test};

use common::{Demo, monday_demo};

/// (person, reviewer, source, dimension, rating 1–5)
type Rated<'a> = (Uuid, Uuid, Source, &'a str, i32);

/// A finished, released cycle over `ratings` on the starter template (scale 1–5).
async fn released_cycle(d: &Demo, name: &str, at: DateTime<Utc>, ratings: &[Rated<'_>]) -> Uuid {
    let c = &d.app.db.conn;
    let period = PeriodInput {
        name: name.into(),
        kind: "custom".into(),
        starts_on: (at.date_naive() - Duration::days(120)).to_string(),
        ends_on: (at.date_naive() - Duration::days(20)).to_string(),
        setting_due_on: None,
    };
    let period = d.app.goals().create_period(&d.hr, period).await.unwrap().id;
    let template = d.app.reviews().save_template(&d.hr, None, starter_template("zh-CN")).await.unwrap().id;
    let items = review_repo::items(c, &[template]).await.unwrap();
    let cycle = ReviewCycle {
        id: Uuid::now_v7(),
        name: name.into(),
        period_id: period,
        template_id: template,
        units: vec![],
        filter: ParticipantFilter::default(),
        state: CycleState::Launched,
        created_by: None,
        created_at: at,
        launched_at: Some(at),
    };
    let release = StageDates { stage: Stage::Release, opens_on: at.date_naive(), closes_on: at.date_naive() };
    review_repo::insert_cycle(c, cycle.clone(), &[release]).await.unwrap();
    let mut people: Vec<Uuid> = ratings.iter().map(|r| r.0).collect();
    people.sort();
    people.dedup();
    let mut parts = Vec::new();
    for p in &people {
        let e = org_repo::employee(c, *p).await.unwrap().unwrap();
        parts.push(review_participant::Model {
            id: Uuid::now_v7(),
            cycle_id: cycle.id,
            employee_id: e.id,
            manager_id: e.manager_id,
            unit_id: e.unit_id,
            template_id: template,
            score_bp: Some(7_000),
            grade: None,
            explanation: None,
            scored_at: Some(at),
            calibrated_grade: None,
            released_at: Some(at),
            released_by_name: Some("HR".into()),
            acknowledged_at: None,
            ack_comment: None,
            appeal_grade: None,
        });
    }
    review_repo::insert_participants(c, parts.clone()).await.unwrap();
    // One review per person, reviewer and source, with its items' ratings.
    let mut reviews: Vec<(Uuid, Uuid, Source, Uuid)> = Vec::new();
    for (person, reviewer, source, dimension, value) in ratings {
        let part = parts.iter().find(|p| p.employee_id == *person).unwrap();
        let review_id = match reviews.iter().find(|r| (r.0, r.1, r.2) == (*person, *reviewer, *source)) {
            Some(r) => r.3,
            None => {
                let review = Review {
                    id: Uuid::now_v7(),
                    participant_id: part.id,
                    cycle_id: cycle.id,
                    reviewer_id: *reviewer,
                    source: *source,
                    state: ReviewState::Submitted,
                    summary: String::new(),
                    created_at: at,
                    updated_at: at,
                    submitted_at: Some(at),
                };
                review_repo::insert_reviews(c, vec![review.clone()]).await.unwrap();
                reviews.push((*person, *reviewer, *source, review.id));
                review.id
            }
        };
        let item = items.iter().find(|i| i.title == *dimension).unwrap();
        let row = review_rating::Model { review_id, item_id: item.id, value: Some(*value), comment: String::new() };
        review_repo::insert_ratings(c, vec![row]).await.unwrap();
    }
    cycle.id
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn text(s: &str) -> ReportText {
    ReportText {
        strengths: s.into(),
        areas: "协作沟通需要更稳定".into(),
        actions: "向同事请教".into(),
        support: "每月 1:1".into(),
    }
}

dual_test!(d2_a_report_finds_strengths_areas_and_learning_and_becomes_one_plan, |db: Db| async move {
    let d = monday_demo(db).await;
    let c = &d.app.db.conn;
    let me = d.employee.employee_id.unwrap();
    let boss = d.manager.employee_id.unwrap();
    let everyone = org_repo::all_employees(c).await.unwrap();
    let teammate = everyone.iter().find(|e| e.manager_id == Some(boss) && e.id != me).unwrap().id;
    let mut outsiders = Vec::new();
    for e in &everyone {
        let hr_self = d.hr.employee_id == Some(e.id);
        if e.id != boss && e.id != me && !hr_self && !org_repo::manages(c, boss, e.id).await.unwrap() {
            outsiders.push(e.id);
        }
    }
    let (outsider, other) = (outsiders[0], outsiders[1]);

    // Nothing released to them yet: nothing to report on, and nothing can be saved.
    let v = d.app.development_reports().report(&d.manager, Lang::ZhCn, me).await.unwrap();
    assert!(v.cycle.is_none() && v.analysis.findings.is_empty());
    let none = d.app.development_reports().save(&d.manager, me, ReportInput { text: text("x"), share: false }).await;
    assert!(matches!(none, Err(AppError::Invalid(ref f)) if f[0].code == "no_released_review"), "{none:?}");

    use Source::{Manager, Peers, SelfReview};
    // Q2: 执行力 4 and 5 (a strength), 协作沟通 1 (volatile with Q3's 4), 专业能力 2 and 2 (growth);
    // the teammate and an outsider are rated 5 and 5 in 专业能力 (mentors).
    released_cycle(
        &d,
        "2026 Q2",
        Utc.with_ymd_and_hms(2026, 7, 10, 2, 0, 0).unwrap(),
        &[
            (me, boss, Manager, "执行力", 4),
            (me, teammate, Peers, "执行力", 5),
            (me, boss, Manager, "协作沟通", 1),
            (me, boss, Manager, "专业能力", 2),
            (me, teammate, Peers, "专业能力", 2),
            (me, me, SelfReview, "专业能力", 5),
            (teammate, boss, Manager, "专业能力", 5),
            (teammate, me, Peers, "专业能力", 5),
            (outsider, other, Peers, "专业能力", 5),
            (outsider, other, Manager, "专业能力", 5),
        ],
    )
    .await;
    // Learning in 专业能力, completed between the cycles.
    let course = |title: &str| PlanActionInput {
        kind: "course".into(),
        title: title.into(),
        capability: Some("专业能力".into()),
        due_on: None,
    };
    let plan = |who: Uuid, title: &str| PlanInput {
        employee_id: who,
        participant_id: None,
        title: "提升专业能力".into(),
        capabilities: vec!["专业能力".into()],
        actions: vec![course(title)],
        checkpoints: vec![],
    };
    *d.clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, 8, 1, 2, 0, 0).unwrap();
    let mine = d.app.development().create_plan(&d.manager, plan(me, "领域建模")).await.unwrap();
    d.app.development().set_action_done(&d.manager, mine.actions[0].id, true).await.unwrap();
    // Two colleagues' plans name the course "结构化思维" (one completed it); one names a private one.
    let a = d.app.development().create_plan(&d.hr, plan(teammate, "结构化思维")).await.unwrap();
    d.app.development().set_action_done(&d.hr, a.actions[0].id, true).await.unwrap();
    d.app.development().create_plan(&d.hr, plan(outsider, "结构化思维")).await.unwrap();
    d.app.development().create_plan(&d.hr, plan(other, "只有一人的课")).await.unwrap();
    *d.clock.0.lock().unwrap() = Utc.with_ymd_and_hms(2026, 11, 30, 1, 0, 0).unwrap();
    // Q3: 执行力 5 (manager), 协作沟通 4, 专业能力 3.
    let q3 = released_cycle(
        &d,
        "2026 Q3",
        Utc.with_ymd_and_hms(2026, 10, 10, 2, 0, 0).unwrap(),
        &[(me, boss, Manager, "执行力", 5), (me, boss, Manager, "协作沟通", 4), (me, boss, Manager, "专业能力", 3)],
    )
    .await;

    // The manager: findings with their figures (0–100: 1→0 … 5→100), areas first.
    let reports = d.app.development_reports();
    let v = reports.report(&d.manager, Lang::ZhCn, me).await.unwrap();
    assert_eq!(v.cycle.as_ref().unwrap().id, q3);
    assert_eq!(v.analysis.cycles, 2);
    let got: Vec<(&str, Assessment, Option<f64>)> =
        v.analysis.findings.iter().map(|f| (f.dimension.as_str(), f.assessment, f.mean)).collect();
    assert_eq!(
        got,
        [
            ("协作沟通", Assessment::Volatile, Some(37.5)),      // 0 and 75
            ("专业能力", Assessment::Growth, Some(100.0 / 3.0)), // 25, 25, 50; the self 100 not counted
            ("执行力", Assessment::Strength, Some(275.0 / 3.0)), // 75, 100, 100
        ]
    );
    assert_eq!(v.analysis.findings[1].self_mean, Some(100.0));
    // The course: 25 in Q2, 50 in Q3.
    let l = &v.analysis.learning[0];
    assert_eq!(
        (l.title.as_str(), l.before, l.after, l.verdict),
        ("领域建模", Some(25.0), Some(50.0), LearningVerdict::ShowsUp)
    );
    assert_eq!(l.done_on, day("2026-08-01"));
    // Mentors the manager may see (the teammate, not the outsider); the course two plans name.
    let rec = v.recommendations.as_ref().unwrap();
    let mentors: Vec<Uuid> = rec.mentors.iter().map(|m| m.person.id).collect();
    assert_eq!(mentors, [teammate]);
    let titles: Vec<(&str, usize, usize)> =
        rec.actions.iter().map(|a| (a.title.as_str(), a.people, a.completed)).collect();
    assert_eq!(titles, [("结构化思维", 2, 1)]);
    // HR of the whole organization sees both mentors.
    let by_hr = reports.report(&d.hr, Lang::ZhCn, me).await.unwrap();
    assert_eq!(by_hr.recommendations.unwrap().mentors.len(), 2);
    // The draft states the figures.
    // The draft states the figures, except where one peer's rating could be worked out from
    // them (执行力 and 专业能力 have one peer's each; 协作沟通 only the manager's).
    assert!(v.draft.strengths.contains("执行力：同事的评价一致地高（3 条评分，跨 2 个周期）"), "{}", v.draft.strengths);
    assert!(!v.draft.strengths.contains("92"), "{}", v.draft.strengths);
    assert!(v.draft.areas.contains("协作沟通：评分在 0 到 75 之间起伏"), "{}", v.draft.areas);
    assert!(v.draft.areas.contains("完成「领域建模」后，专业能力的同事评分明显提高"), "{}", v.draft.areas);
    assert!(v.draft.actions.contains("结构化思维"), "{}", v.draft.actions);
    let en = reports.report(&d.manager, Lang::En, me).await.unwrap();
    assert!(en.draft.support.contains("practise 专业能力"), "{}", en.draft.support);

    // The person sees nothing before it is shared; a colleague nothing at all.
    let seen = reports.report(&d.employee, Lang::ZhCn, me).await.unwrap();
    assert!(seen.saved.is_none() && seen.recommendations.is_none() && seen.draft == ReportText::default());
    assert!(matches!(reports.report(&d.employee, Lang::ZhCn, teammate).await, Err(AppError::NotFound(_))));
    // Nobody writes their own; bad text is refused and nothing is written.
    let mine_input = ReportInput { text: text("x"), share: true };
    assert!(reports.save(&d.employee, me, mine_input.clone()).await.is_err());
    let empty = ReportInput { text: ReportText { strengths: "  ".into(), ..ReportText::default() }, share: false };
    assert!(
        matches!(reports.save(&d.manager, me, empty).await, Err(AppError::Invalid(ref f)) if f[0].code == "report_empty")
    );
    let long = ReportInput { text: ReportText { support: "长".repeat(4_001), ..text("x") }, share: false };
    assert!(
        matches!(reports.save(&d.manager, me, long).await, Err(AppError::Invalid(ref f)) if f[0].field == "support")
    );
    assert!(reports.report(&d.manager, Lang::ZhCn, me).await.unwrap().saved.is_none());

    // A draft: still hidden from the person. Then shared: they see the text and the analysis,
    // are told, and every step is audited.
    let saved = reports.save(&d.manager, me, ReportInput { text: text("执行力稳定"), share: false }).await.unwrap();
    assert_eq!(saved.state, ReportState::Draft);
    assert!(reports.report(&d.employee, Lang::ZhCn, me).await.unwrap().saved.is_none());
    let shared =
        reports.save(&d.manager, me, ReportInput { text: text("执行力稳定、可靠"), share: true }).await.unwrap();
    assert_eq!(shared.state, ReportState::Shared);
    assert!(shared.shared_at.is_some());
    let seen = reports.report(&d.employee, Lang::ZhCn, me).await.unwrap();
    assert_eq!(seen.saved.unwrap().text.strengths, "执行力稳定、可靠");
    assert_eq!(seen.analysis.findings.len(), 3);
    // The person reads the manager-only figures, not those that could unmask their teammate.
    let figures: Vec<(&str, Option<f64>)> =
        seen.analysis.findings.iter().map(|f| (f.dimension.as_str(), f.mean)).collect();
    assert_eq!(figures, [("协作沟通", Some(37.5)), ("专业能力", None), ("执行力", None)]);
    assert_eq!((seen.analysis.learning[0].before, seen.analysis.learning[0].after), (None, None));
    assert!(seen.recommendations.is_none() && !seen.can_edit);
    let inbox = d.app.inbox().list(&d.employee).await.unwrap();
    assert!(inbox.items.iter().any(|n| n.kind == "dev-report-shared"));
    // Saving without sharing keeps it shared (the person has read it).
    let again =
        reports.save(&d.manager, me, ReportInput { text: text("执行力稳定、可靠。"), share: false }).await.unwrap();
    assert_eq!(again.state, ReportState::Shared);
    let report_id = waymark_store::repo::development_report::report(c, me, q3).await.unwrap().unwrap().id;
    let log = audit::history(c, &[("dev_report", vec![report_id])]).await.unwrap();
    let mut actions: Vec<&str> = log.iter().map(|a| a.action.as_str()).collect();
    actions.sort();
    assert_eq!(actions, ["create", "share", "update"]);

    // One plan, however many presses at once: the areas as capabilities, the mentor and the
    // course as actions.
    let (x, y) =
        tokio::join!(reports.make_plan(&d.manager, Lang::ZhCn, me), reports.make_plan(&d.manager, Lang::ZhCn, me));
    let made: Vec<_> = [x, y].into_iter().filter_map(Result::ok).collect();
    assert_eq!(made.len(), 1, "one plan");
    let p = &made[0];
    assert_eq!(p.capabilities, ["协作沟通", "专业能力"]);
    let acts: Vec<(&str, &str)> = p.actions.iter().map(|a| (a.kind.as_str(), a.title.as_str())).collect();
    let teammate_name = everyone.iter().find(|e| e.id == teammate).unwrap().name.clone();
    assert_eq!(
        acts,
        [
            ("project", "在工作中找一个需要协作沟通的任务来练习"),
            ("mentor", format!("向{teammate_name}请教专业能力").as_str()),
            ("course", "结构化思维"),
        ]
    );
    let again = reports.make_plan(&d.manager, Lang::ZhCn, me).await;
    assert!(matches!(again, Err(AppError::Invalid(ref f)) if f[0].code == "plan_exists"));
    assert_eq!(reports.report(&d.employee, Lang::ZhCn, me).await.unwrap().saved.unwrap().plan, Some(p.id));
});
