//! Team signals (SPEC I-4; issue 26, item 1): a team whose people are leaving or whose results
//! swing from one review to the next (unstable), and a team working long hours with results
//! above the organization's (high pressure, high performance). They are read from the same
//! facts as people's signals, only over groups of at least [`MIN_TEAM`] people, and carry the
//! figures they stand on; they name no one and decide nothing.

use serde::Serialize;

use super::facts::PersonFacts;

/// The smallest group read: fewer could point at one person.
pub const MIN_TEAM: usize = 5;
/// Unstable: this share (percent) or more of the people the team had over the last year left…
pub const LEAVER_SHARE: f64 = 20.0;
/// …and at least this many did (one leaver in a team of four is not a pattern).
pub const MIN_LEAVERS: usize = 2;
/// Unstable: a person's last two released results differ by this much or more (0–100)…
pub const SWING_POINTS: f64 = 15.0;
/// …for this share (percent) or more of the people compared (at least [`MIN_TEAM`]).
pub const SWING_SHARE: f64 = 40.0;
/// High pressure: the average recorded week of the people with attendance, in hours.
pub const PRESSURE_HOURS: f64 = 48.0;
/// High performance: the mean of their latest results at least this far above the
/// organization's (0–100 points).
pub const PERFORMANCE_MARGIN: f64 = 5.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TeamKind {
    Unstable,
    PressurePerformance,
}

impl TeamKind {
    pub fn code(self) -> &'static str {
        match self {
            TeamKind::Unstable => "unstable",
            TeamKind::PressurePerformance => "pressure_performance",
        }
    }
}

/// What the rules read about one team.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct TeamFacts {
    /// Its people today.
    pub people: usize,
    /// People who left it in the last year.
    pub leavers: usize,
    /// People with two released results, and those whose last two differ by [`SWING_POINTS`].
    pub compared: usize,
    pub swung: usize,
    /// People with recent attendance weeks, and their average week in hours.
    pub with_hours: usize,
    pub mean_hours: Option<f64>,
    /// People with a released result, and the mean of their latest (0–100).
    pub scored: usize,
    pub mean_score: Option<f64>,
}

/// A person's latest released result on 0–100.
fn latest(p: &PersonFacts) -> Option<f64> {
    p.released.last().map(|r| f64::from(r.score_bp) / 100.0)
}

fn mean(xs: &[f64]) -> Option<f64> {
    (!xs.is_empty()).then(|| xs.iter().sum::<f64>() / xs.len() as f64)
}

/// The team's facts from its people's and how many left it in the last year.
pub fn team_facts(members: &[&PersonFacts], leavers: usize) -> TeamFacts {
    let pairs: Vec<f64> = members
        .iter()
        .filter_map(|p| match p.released.as_slice() {
            [.., a, b] => Some((f64::from(b.score_bp) - f64::from(a.score_bp)).abs() / 100.0),
            _ => None,
        })
        .collect();
    let hours: Vec<f64> =
        members.iter().filter_map(|p| p.work.recent.average_tenths().map(|t| f64::from(t) / 10.0)).collect();
    let scores: Vec<f64> = members.iter().filter_map(|p| latest(p)).collect();
    TeamFacts {
        people: members.len(),
        leavers,
        compared: pairs.len(),
        swung: pairs.iter().filter(|d| **d >= SWING_POINTS).count(),
        with_hours: hours.len(),
        mean_hours: mean(&hours),
        scored: scores.len(),
        mean_score: mean(&scores),
    }
}

/// The mean of everyone's latest result: what "above the organization's" is measured against.
pub fn organization_mean<'a>(people: impl Iterator<Item = &'a PersonFacts>) -> Option<f64> {
    mean(&people.filter_map(latest).collect::<Vec<_>>())
}

/// One fact a team hint stands on, with the figures a sentence needs.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum TeamFinding {
    /// `count` of the `of` people it had over the year left: `share` percent.
    Leavers { count: usize, of: usize, share: f64 },
    /// `count` of the `of` people compared had results `points` or more apart.
    Swings { count: usize, of: usize, share: f64 },
    /// The `of` people with attendance averaged `hours` a week.
    Hours { of: usize, hours: f64 },
    /// The `of` people's latest results averaged `score`, the organization's `organization`.
    Results { of: usize, score: f64, organization: f64 },
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TeamHint {
    pub kind: TeamKind,
    pub findings: Vec<TeamFinding>,
}

fn share(count: usize, of: usize) -> f64 {
    if of == 0 { 0.0 } else { (count as f64 * 1000.0 / of as f64).round() / 10.0 }
}

/// The hints a team's facts give; none for a team under [`MIN_TEAM`] people.
pub fn assess_team(f: &TeamFacts, organization: Option<f64>) -> Vec<TeamHint> {
    let mut out = Vec::new();
    if f.people < MIN_TEAM {
        return out;
    }
    let mut unstable = Vec::new();
    let had = f.people + f.leavers;
    if f.leavers >= MIN_LEAVERS && share(f.leavers, had) >= LEAVER_SHARE {
        unstable.push(TeamFinding::Leavers { count: f.leavers, of: had, share: share(f.leavers, had) });
    }
    if f.compared >= MIN_TEAM && share(f.swung, f.compared) >= SWING_SHARE {
        unstable.push(TeamFinding::Swings { count: f.swung, of: f.compared, share: share(f.swung, f.compared) });
    }
    if !unstable.is_empty() {
        out.push(TeamHint { kind: TeamKind::Unstable, findings: unstable });
    }
    if let (Some(hours), Some(score), Some(org)) = (f.mean_hours, f.mean_score, organization)
        && f.with_hours >= MIN_TEAM
        && f.scored >= MIN_TEAM
        && hours >= PRESSURE_HOURS
        && score >= org + PERFORMANCE_MARGIN
    {
        let r = |x: f64| (x * 10.0).round() / 10.0;
        out.push(TeamHint {
            kind: TeamKind::PressurePerformance,
            findings: vec![
                TeamFinding::Hours { of: f.with_hours, hours: r(hours) },
                TeamFinding::Results { of: f.scored, score: r(score), organization: r(org) },
            ],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::signals::facts::{Released, WorkFacts, WorkTally};

    /// A person with released results (percent) and an average week (hours) over 12 weeks.
    fn person(results: &[f64], hours: Option<f64>) -> PersonFacts {
        let on = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        let released =
            results.iter().map(|r| Released { cycle: "c".into(), on, score_bp: (r * 100.0).round() as i32 }).collect();
        let recent = match hours {
            Some(h) => WorkTally { weeks: 12, over: 0, hours_tenths: (h * 10.0 * 12.0) as u32, leave_tenths: 0 },
            None => WorkTally::default(),
        };
        PersonFacts { released, work: WorkFacts { recent, ..WorkFacts::default() }, ..PersonFacts::default() }
    }

    #[test]
    fn i4_a_team_losing_people_is_unstable_with_the_share_that_left() {
        // Five today, two left in the year: 2 of 7 = 28.6 % ≥ 20 %.
        let people: Vec<PersonFacts> = (0..5).map(|_| person(&[70.0], None)).collect();
        let refs: Vec<&PersonFacts> = people.iter().collect();
        let hints = assess_team(&team_facts(&refs, 2), Some(70.0));
        assert_eq!(
            hints,
            vec![TeamHint {
                kind: TeamKind::Unstable,
                findings: vec![TeamFinding::Leavers { count: 2, of: 7, share: 28.6 }]
            }]
        );
        // One leaver is not a pattern (1 of 6 = 16.7 %, and under two).
        assert!(assess_team(&team_facts(&refs, 1), Some(70.0)).is_empty());
    }

    #[test]
    fn i4_results_swinging_for_two_in_five_make_a_team_unstable() {
        // |80−60| = 20 and |55−75| = 20 swing; 70→72, 65→60 and 90→90 do not: 2 of 5 = 40 %.
        let people = [
            person(&[60.0, 80.0], None),
            person(&[75.0, 55.0], None),
            person(&[70.0, 72.0], None),
            person(&[65.0, 60.0], None),
            person(&[90.0, 90.0], None),
        ];
        let refs: Vec<&PersonFacts> = people.iter().collect();
        let f = team_facts(&refs, 0);
        assert_eq!((f.compared, f.swung), (5, 2));
        let hints = assess_team(&f, None);
        assert_eq!(hints[0].findings, vec![TeamFinding::Swings { count: 2, of: 5, share: 40.0 }]);
        // Exactly 15 points is a swing; 14.99 is not.
        assert_eq!(team_facts(&[&person(&[60.0, 75.0], None)], 0).swung, 1);
        assert_eq!(team_facts(&[&person(&[60.0, 74.99], None)], 0).swung, 0);
    }

    #[test]
    fn i4_long_hours_with_results_above_the_organization_is_high_pressure_high_performance() {
        // Hours 50, 50, 48, 46, 46 → 48.0; latest results 80, 82, 78, 80, 80 → 80 against 72.
        let hours = [50.0, 50.0, 48.0, 46.0, 46.0];
        let scores = [80.0, 82.0, 78.0, 80.0, 80.0];
        let people: Vec<PersonFacts> = hours.iter().zip(scores).map(|(h, s)| person(&[s], Some(*h))).collect();
        let refs: Vec<&PersonFacts> = people.iter().collect();
        let f = team_facts(&refs, 0);
        assert_eq!((f.with_hours, f.mean_hours, f.scored, f.mean_score), (5, Some(48.0), 5, Some(80.0)));
        let hints = assess_team(&f, Some(72.0));
        assert_eq!(hints.len(), 1);
        assert_eq!(hints[0].kind, TeamKind::PressurePerformance);
        assert_eq!(
            hints[0].findings,
            vec![
                TeamFinding::Hours { of: 5, hours: 48.0 },
                TeamFinding::Results { of: 5, score: 80.0, organization: 72.0 }
            ]
        );
        // Results only 4.9 above the organization's: pressure, but not the pattern.
        assert!(assess_team(&f, Some(75.1)).is_empty());
        // The organization's mean is everyone's latest result.
        assert_eq!(organization_mean(people.iter()), Some(80.0));
    }

    #[test]
    fn i4_a_team_under_five_is_never_read() {
        let people: Vec<PersonFacts> = (0..4).map(|_| person(&[60.0, 90.0], Some(60.0))).collect();
        let refs: Vec<&PersonFacts> = people.iter().collect();
        assert!(assess_team(&team_facts(&refs, 3), Some(10.0)).is_empty());
    }
}
