//! Team signals (SPEC I-4; issue 26, item 1) over real databases: HR reads each unit of their
//! scope; two people leaving a unit of seven make it unstable with exactly that share; a
//! manager reads their line as one group and never another unit; an employee reads none.

mod common;

use chrono::Duration;
use waymark_app::AppError;
use waymark_app::org::StatusChange;
use waymark_domain::signals::team::{TeamFinding, TeamKind};
use waymark_store::repo::org as org_repo;
use waymark_store::{Db, dual_test};

use common::monday_demo_of;

fn leavers_of(t: &waymark_app::team_signals::TeamView) -> Option<(usize, usize)> {
    t.hints.iter().filter(|h| h.kind == TeamKind::Unstable).flat_map(|h| &h.findings).find_map(|f| match f {
        TeamFinding::Leavers { count, of, .. } => Some((*count, *of)),
        _ => None,
    })
}

dual_test!(i4_team_signals_read_units_and_lines_never_under_five, |db: Db| async move {
    let d = monday_demo_of(db, 200).await;
    let c = &d.app.db.conn;
    let s = d.app.signals();

    // HR: every unit of five or more in their scope, none under five.
    let before = s.teams(&d.hr).await.unwrap();
    assert!(before.read > 0 && before.teams.iter().all(|t| t.people >= 5 && t.unit.is_some() && t.name.is_some()));
    // A unit of at least seven, none of them HR, the manager or the employee signed in.
    let everyone = org_repo::all_employees(c).await.unwrap();
    let signed_in = [d.hr.employee_id, d.manager.employee_id, d.employee.employee_id, d.ceo.employee_id];
    let unit = before
        .teams
        .iter()
        .filter(|t| t.people >= 7)
        .map(|t| t.unit.unwrap())
        .find(|u| everyone.iter().filter(|e| e.unit_id == *u).all(|e| !signed_in.contains(&Some(e.id))))
        .expect("a unit of seven");
    let team = |v: &waymark_app::team_signals::TeamSignals| v.teams.iter().find(|t| t.unit == Some(unit)).cloned();
    let had = team(&before).unwrap();
    let (left_before, _) = leavers_of(&had).unwrap_or((0, had.people));

    // Two of its people leave this month: 2 more leavers, 2 fewer people.
    let today = d.app.today();
    let leaving: Vec<_> = everyone.iter().filter(|e| e.unit_id == unit && e.manager_id.is_some()).take(2).collect();
    for e in &leaving {
        let change = StatusChange {
            status: "left".into(),
            effective_on: (today - Duration::days(3)).to_string(),
            reason: Some("离职".into()),
        };
        d.app.org().change_status(&d.hr, e.id, change).await.unwrap();
    }
    let after = s.teams(&d.hr).await.unwrap();
    let now = team(&after).expect("still five or more");
    assert_eq!(now.people, had.people - 2);
    let (count, of) = leavers_of(&now).expect("unstable: people are leaving");
    assert_eq!((count, of), (left_before + 2, now.people + left_before + 2));
    // Groups with a hint come first.
    let first_quiet = after.teams.iter().position(|t| t.hints.is_empty()).unwrap_or(after.teams.len());
    assert!(after.teams[..first_quiet].iter().all(|t| !t.hints.is_empty()));
    assert!(after.teams[first_quiet..].iter().all(|t| t.hints.is_empty()));

    // The manager: their whole line as one group, or nothing under five; never a unit.
    let line = org_repo::all_reports(c, d.manager.employee_id.unwrap()).await.unwrap().len();
    let mine = s.teams(&d.manager).await.unwrap();
    if line >= 5 {
        assert_eq!(mine.teams.len(), 1);
        assert_eq!((mine.teams[0].unit, mine.teams[0].people), (None, line));
    } else {
        assert!(mine.teams.is_empty() && mine.too_small == 1);
    }
    // An employee: no group to read.
    assert!(matches!(s.teams(&d.employee).await, Err(AppError::Forbidden)));
});
