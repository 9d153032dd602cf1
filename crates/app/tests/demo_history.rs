//! The command line's demo has last quarter finished (issue 23, item 8; SPEC V-1 … V-7): its
//! goals filed, its review cycle written, calibrated, released, acknowledged and appealed, so
//! that results, the nine-box, appeals and development plans have content. Checked over real
//! databases the way a user would read it, and against the rules the services apply to one
//! review at a time: every score the bulk writing stored is the one the review form's scoring
//! gives, and the audit chain holds.

mod common;

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use waymark_app::audit::Verification;
use waymark_app::clock::FixedClock;
use waymark_app::demo::DemoOptions;
use waymark_app::{App, AppConfig};
use waymark_domain::development_report::Assessment;
use waymark_domain::reviews::calibration::Verdict;
use waymark_store::repo::{goals as goal_repo, reviews as review_repo};
use waymark_store::{Db, dual_test};

use common::login;

dual_test!(demo_last_quarter_is_reviewed_calibrated_and_released, |db: Db| async move {
    // Sunday 6 December 2026, 10:00 in Shanghai: last quarter is 2026 Q3.
    let clock = Arc::new(FixedClock::at(Utc.with_ymd_and_hms(2026, 12, 6, 2, 0, 0).unwrap()));
    let app = App::new(db, clock, AppConfig::default());
    let opts = DemoOptions { employees: 120, seed: 42, last_quarter: true, ..Default::default() };
    app.create_demo(&opts).await.unwrap();
    app.create_demo_goals(&opts).await.unwrap().expect("the demo's goals");
    let (hr, employee) = (login(&app, "hr").await, login(&app, "employee").await);
    let c = &app.db.conn;
    let r = app.reviews();

    // Two periods of quarters, the last one's goals all filed (a finished quarter has no drafts).
    let periods = goal_repo::periods(c).await.unwrap();
    let last = periods.iter().find(|p| p.name == "2026 Q3").expect("last quarter");
    let ids = goal_repo::goal_ids_at_levels(c, last.id, &["team", "individual"]).await.unwrap();
    assert!(ids.len() > 60, "{}", ids.len());
    let goals = goal_repo::goals_without_key_results(c, &ids).await.unwrap();
    assert!(goals.iter().all(|g| g.goal.status == "filed"), "every goal of last quarter filed");

    // Two cycles, this quarter's first; last quarter's is scored, calibrated and released.
    let cycles = r.cycles(&hr).await.unwrap();
    assert_eq!(
        cycles.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["2026 Q4 季度绩效考核", "2026 Q3 季度绩效考核"]
    );
    let past = &cycles[1];
    // V-1: every stage of last quarter's cycle has closed, so it reads as finished; this
    // quarter's is running.
    assert_eq!((cycles[0].state.as_str(), past.state.as_str()), ("launched", "closed"));
    let people = review_repo::participants(c, past.id).await.unwrap();
    assert!(people.len() > 60);
    assert!(people.iter().all(|p| p.score_bp.is_some() && p.grade.is_some()), "everyone scored");
    assert!(people.iter().all(|p| p.released_at.is_some()), "everyone released");
    // Every view of a result agrees: the score HR reads is the one its explanation adds up to.
    for p in people.iter().take(12) {
        let v = r.result(&hr, p.id).await.unwrap();
        let e = v.explanation.expect("explained");
        assert_eq!(v.score, e.score);
        assert_eq!(v.score.map(|s| (s * 100.0).round() as i32), p.score_bp);
    }
    // Drafts never count: only submitted reviews are there, dated inside their stage.
    let reviews = review_repo::reviews_of(c, &people.iter().map(|p| p.id).collect::<Vec<_>>()).await.unwrap();
    assert!(
        reviews
            .iter()
            .filter(|r| r.source != waymark_domain::reviews::scoring::Source::Peers)
            .all(|r| r.is_submitted() && r.submitted_at.is_some())
    );

    // Calibration: one session, locked, with moves that each carry a reason; the lenient
    // manager the demo built is found by the statistics, in words.
    let sessions = r.sessions(&hr, past.id).await.unwrap();
    assert_eq!(sessions.len(), 1);
    let s = r.session(&hr, sessions[0].id).await.unwrap();
    assert_eq!(s.state, "locked");
    assert!(s.moves.len() >= 2 && s.moves.iter().all(|m| !m.reason.is_empty()), "{:?}", s.moves);
    assert!(s.managers.iter().any(|m| m.stat.verdict == Verdict::Lenient), "a lenient manager found");

    // The employee reads their released, acknowledged result and their development plan.
    let mine = r.my_results(&employee).await.unwrap();
    let result = mine.iter().find(|m| m.cycle_id == past.id).expect("last quarter's result");
    assert!(result.acknowledged && result.grade.is_some());
    assert!(result.acknowledge_by.is_some_and(|d| d < app.today()), "acknowledged by the stage's last day");
    let v = r.result(&employee, result.participant_id).await.unwrap();
    assert_eq!(v.final_grade, result.grade, "the list and the page agree");
    let plans = app.development().plans_of(&employee, employee.employee_id.unwrap()).await.unwrap();
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].actions.iter().filter(|a| a.done_at.is_some()).count(), 1, "one action done since");

    // Appeals: one decided in the person's favour, one waiting for HR.
    let appeals = r.appeals(&hr, past.id).await.unwrap();
    assert_eq!(appeals.len(), 2);
    assert_eq!(appeals.iter().filter(|a| a.state == "decided").count(), 1);
    let waiting = r.appeals_waiting(&hr).await.unwrap();
    assert_eq!(waiting.len(), 1, "{waiting:?}");

    // The nine-box of last quarter: each manager assessed their people's potential, so all
    // are placed but the head of the company, who has no manager to assess them, and the HR
    // reader themselves (whose own potential HR does not read, issue 21 item 4).
    let grid = r.ninebox(&hr, past.id, None).await.unwrap();
    let placed: usize = grid.rows.iter().flatten().map(|b| b.people.len()).sum();
    assert_eq!(placed, people.len() - 2);
    assert!(grid.rows.iter().flatten().flat_map(|b| &b.people).all(|x| Some(x.person.id) != hr.employee_id));
    let top: Vec<_> = people.iter().filter(|p| p.manager_id.is_none()).map(|p| p.id).collect();
    assert_eq!(grid.unplaced.iter().map(|u| u.participant_id).collect::<Vec<_>>(), top);

    // Development reports (D-2) have something to say: two teammates reviewed each person as
    // peers, so across the demo the rules find stable strengths and areas to develop, each from
    // at least two colleagues' ratings, and the self-rating never counts as one.
    let mut found = std::collections::HashSet::new();
    for p in people.iter().filter(|p| p.manager_id.is_some() && Some(p.employee_id) != hr.employee_id).take(30) {
        let v = app.development_reports().report(&hr, waymark_app::i18n::Lang::ZhCn, p.employee_id).await.unwrap();
        assert_eq!(v.cycle.as_ref().map(|c| c.id), Some(past.id));
        for f in &v.analysis.findings {
            assert!(f.ratings >= 2 || f.assessment == Assessment::TooFew, "{f:?}");
            found.insert(f.assessment);
        }
    }
    assert!(found.contains(&Assessment::Strength) && found.contains(&Assessment::Steady), "{found:?}");
    assert!(found.contains(&Assessment::Volatile) || found.contains(&Assessment::Growth), "{found:?}");

    // And the audit chain holds over all of it.
    assert!(matches!(app.audit().verify().await.unwrap(), Verification::Intact { .. }));
});
