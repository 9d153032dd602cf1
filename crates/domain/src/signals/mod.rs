//! Risk and potential signals (SPEC I-4): a hint with its evidence chain, never a verdict.
//! Each signal is raised by rules over what Waymark recorded about one person — released
//! results, their own check-ins, 1:1s, feedback received, time at their level, potential
//! assessments, learning — and carries every fact it stands on: the values, how many points
//! each contributed, where the data came from (and how far it can be trusted), and the dates
//! it covers. A signal never needs a single fact alone: it is raised only when two or more
//! agree. Signals never enter a score and never trigger anything by themselves (PIPL art. 24).

pub mod facts;
pub mod record;
pub mod team;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

pub use facts::{FeedbackTally, Inputs, PersonFacts, Released, Windows, WorkFacts, WorkTally, gather};
pub use record::{Answer, Reply, Signal, SignalState, Stance};

/// What a signal hints at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SignalKind {
    /// The person may be thinking of leaving or burning out.
    FlightBurnout,
    /// A candidate for the talent review: sustained high results and signs of growth.
    HighPotential,
}

impl SignalKind {
    pub const ALL: [SignalKind; 2] = [SignalKind::FlightBurnout, SignalKind::HighPotential];
    pub fn code(self) -> &'static str {
        match self {
            SignalKind::FlightBurnout => "flight_burnout",
            SignalKind::HighPotential => "high_potential",
        }
    }
    pub fn parse(s: &str) -> Option<SignalKind> {
        SignalKind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// How far a source can be trusted (SPEC I-1), most first: what a system recorded as it
/// happened, what the person said of themselves, others' ratings that need calibrating, and a
/// model's estimate (an association learned from others, never a fact about this person).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Credibility {
    SystemRecorded,
    SelfReported,
    Rating,
    ModelEstimate,
}

impl Credibility {
    pub fn code(self) -> &'static str {
        match self {
            Credibility::SystemRecorded => "system_recorded",
            Credibility::SelfReported => "self_reported",
            Credibility::Rating => "rating",
            Credibility::ModelEstimate => "model_estimate",
        }
    }
}

/// One fact a signal stands on, with its figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "factor", rename_all = "snake_case")]
pub enum Factor {
    /// The latest released result is at least [`DECLINE_BP`] below the one before.
    ResultsDeclining { earlier_cycle: String, earlier_bp: i32, latest_cycle: String, latest_bp: i32 },
    /// Own check-ins in the recent weeks fell to half or less of the weeks before.
    FewerCheckIns { earlier: u32, recent: u32, weeks: u32 },
    /// 1:1s cancelled at least as often as held.
    OneOnOnesCancelled { cancelled: u32, held: u32 },
    /// A larger share of the feedback received is harsh or labels the person.
    FeedbackTurningCritical { recent_critical: u32, recent_total: u32, earlier_critical: u32, earlier_total: u32 },
    /// Most recorded weeks of the recent ones ran over [`OVERTIME_TENTHS`]; the average week
    /// then, and in as many weeks before where enough are recorded (in tenths of hours).
    SustainedOvertime { weeks_over: u32, weeks: u32, average_tenths: u32, earlier_average_tenths: Option<u32> },
    /// No day of leave in the half year read, with most of its weeks recorded.
    NoLeaveTaken { weeks: u32 },
    /// Their manager changed `days` ago (within the window read).
    ManagerChanged { days: u32 },
    /// Longer at the current level than peers of the same level, by a year or more.
    LongAtLevel { level: String, months: u32, peer_median_months: u32, peers: u32 },
    /// The last two released results both at or above [`HIGH_BP`].
    SustainedHighResults { cycles: Vec<String>, scores_bp: Vec<i32> },
    /// Most of the feedback received recognizes what went well.
    MostlyRecognition { recognition: u32, total: u32 },
    /// The latest potential assessment is high.
    HighPotentialAssessed,
    /// Development actions completed.
    LearningCompleted { actions_done: u32 },
    /// The flight-risk model puts the chance of leaving high (see [`ModelEstimate`]).
    ModelEstimate(ModelEstimate),
}

/// The flight-risk model fitted on the organization's history (`people` then employed,
/// `leavers` of whom left within its horizon) puts the person's chance of leaving within the
/// horizon at `percent`, against `base_percent` for everyone; `raising` are the features that
/// raised it most.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelEstimate {
    pub percent: u32,
    pub base_percent: u32,
    pub people: u32,
    pub leavers: u32,
    pub raising: Vec<ModelPart>,
}

/// One feature's part in a model's estimate: its code, the person's value, and what it added
/// to the log-odds, in hundredths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModelPart {
    pub feature: String,
    pub value: String,
    pub hundredths: i32,
}

impl Factor {
    pub fn code(&self) -> &'static str {
        match self {
            Factor::ResultsDeclining { .. } => "results_declining",
            Factor::FewerCheckIns { .. } => "fewer_check_ins",
            Factor::OneOnOnesCancelled { .. } => "one_on_ones_cancelled",
            Factor::SustainedOvertime { .. } => "sustained_overtime",
            Factor::NoLeaveTaken { .. } => "no_leave_taken",
            Factor::ManagerChanged { .. } => "manager_changed",
            Factor::FeedbackTurningCritical { .. } => "feedback_turning_critical",
            Factor::LongAtLevel { .. } => "long_at_level",
            Factor::SustainedHighResults { .. } => "sustained_high_results",
            Factor::MostlyRecognition { .. } => "mostly_recognition",
            Factor::HighPotentialAssessed => "high_potential_assessed",
            Factor::LearningCompleted { .. } => "learning_completed",
            Factor::ModelEstimate(_) => "model_estimate",
        }
    }

    /// Where the fact comes from, as its credibility.
    pub fn credibility(&self) -> Credibility {
        match self {
            Factor::FewerCheckIns { .. }
            | Factor::OneOnOnesCancelled { .. }
            | Factor::SustainedOvertime { .. }
            | Factor::NoLeaveTaken { .. }
            | Factor::ManagerChanged { .. }
            | Factor::LongAtLevel { .. }
            | Factor::LearningCompleted { .. } => Credibility::SystemRecorded,
            Factor::ResultsDeclining { .. }
            | Factor::SustainedHighResults { .. }
            | Factor::FeedbackTurningCritical { .. }
            | Factor::MostlyRecognition { .. }
            | Factor::HighPotentialAssessed => Credibility::Rating,
            Factor::ModelEstimate(_) => Credibility::ModelEstimate,
        }
    }

    /// What someone could do about it, as a code the pages word.
    pub fn suggestion(&self) -> &'static str {
        match self {
            Factor::ResultsDeclining { .. } => "ask_what_changed",
            Factor::FewerCheckIns { .. } | Factor::SustainedOvertime { .. } => "check_workload",
            Factor::NoLeaveTaken { .. } => "encourage_leave",
            Factor::ManagerChanged { .. } => "meet_new_manager",
            Factor::OneOnOnesCancelled { .. } => "hold_one_on_one",
            Factor::FeedbackTurningCritical { .. } => "talk_about_feedback",
            Factor::LongAtLevel { .. } => "career_conversation",
            Factor::SustainedHighResults { .. } | Factor::HighPotentialAssessed => "talent_review",
            Factor::MostlyRecognition { .. } => "share_strengths",
            Factor::LearningCompleted { .. } => "stretch_assignment",
            Factor::ModelEstimate(_) => "stay_conversation",
        }
    }
}

/// A fact with what it contributed and the time it covers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    #[serde(flatten)]
    pub factor: Factor,
    pub points: u32,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Evidence {
    pub fn credibility(&self) -> Credibility {
        self.factor.credibility()
    }
}

/// A raised signal: its kind, the total of its evidence's points, and the evidence, strongest first.
#[derive(Debug, Clone, PartialEq)]
pub struct Assessment {
    pub kind: SignalKind,
    pub points: u32,
    pub evidence: Vec<Evidence>,
}

impl Assessment {
    /// The suggestions of its evidence ([`suggestions`]).
    pub fn suggestions(&self) -> Vec<&'static str> {
        suggestions(&self.evidence)
    }
}

/// What could be done about a chain of evidence: each fact's suggestion once, in its order.
pub fn suggestions(evidence: &[Evidence]) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for e in evidence {
        let s = e.factor.suggestion();
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// A fall of ten points (of 100) between two released results.
pub const DECLINE_BP: i32 = 1_000;
/// A high result: 80 of 100 or more.
pub const HIGH_BP: i32 = 8_000;
/// Peers needed at a level before time at it is compared (fewer say nothing about a norm).
pub const MIN_PEERS: u32 = 5;
/// Months beyond the peers' median that count as long at a level.
pub const LONG_AT_LEVEL_MONTHS: u32 = 12;
/// Feedback received in a window before its tone is read.
pub const MIN_FEEDBACK: u32 = 3;
/// Potential assessments run 0 (low) … 2 (high).
pub const HIGH_POTENTIAL: i32 = 2;
/// A week of overtime: more than 49 hours — the 40-hour week and the most overtime the Labour
/// Law allows (art. 41: 36 hours a month, about 9 a week) —, in tenths of an hour.
pub const OVERTIME_TENTHS: u32 = 490;
/// Recorded weeks of the recent ones before overtime is read (two thirds of them).
pub const MIN_WORK_WEEKS: u32 = 8;
/// Recorded weeks of the half year before "no leave taken" is said: most of it. Weeks not
/// recorded say nothing either way.
pub const MIN_LEAVE_WEEKS: u32 = 22;
/// A model's estimate counts as a fact from this chance of leaving (and twice the base rate).
pub const MODEL_MIN_PERCENT: u32 = 20;

/// Every signal the rules raise for one person. Flight/burnout needs two facts or more; high
/// potential needs sustained high results and at least three points.
pub fn assess(f: &PersonFacts, w: &Windows) -> Vec<Assessment> {
    assess_with(f, w, None)
}

/// [`assess`], with the flight-risk model's estimate for the person where a model is fitted:
/// a high estimate is one fact among the others, never a signal alone.
pub fn assess_with(f: &PersonFacts, w: &Windows, model: Option<&ModelEstimate>) -> Vec<Assessment> {
    let mut out = Vec::new();
    let mut flight = flight_burnout(f, w);
    if let Some(m) = model
        && m.percent >= MODEL_MIN_PERCENT
        && m.percent >= 2 * m.base_percent
    {
        // Its features read half a year back at most (feedback's two windows).
        flight.push(Evidence {
            factor: Factor::ModelEstimate(m.clone()),
            points: 1,
            from: w.feedback_earlier_from(),
            to: w.today,
        });
    }
    if flight.len() >= 2 {
        out.push(assessment(SignalKind::FlightBurnout, flight));
    }
    let potential = high_potential(f, w);
    let sustained = potential.iter().any(|e| matches!(e.factor, Factor::SustainedHighResults { .. }));
    let points: u32 = potential.iter().map(|e| e.points).sum();
    if sustained && points >= 3 {
        out.push(assessment(SignalKind::HighPotential, potential));
    }
    out
}

fn assessment(kind: SignalKind, mut evidence: Vec<Evidence>) -> Assessment {
    evidence.sort_by(|a, b| b.points.cmp(&a.points).then(a.credibility().cmp(&b.credibility())));
    Assessment { kind, points: evidence.iter().map(|e| e.points).sum(), evidence }
}

fn flight_burnout(f: &PersonFacts, w: &Windows) -> Vec<Evidence> {
    let mut ev = Vec::new();
    if let [.., earlier, latest] = f.released.as_slice()
        && latest.score_bp <= earlier.score_bp - DECLINE_BP
    {
        ev.push(Evidence {
            factor: Factor::ResultsDeclining {
                earlier_cycle: earlier.cycle.clone(),
                earlier_bp: earlier.score_bp,
                latest_cycle: latest.cycle.clone(),
                latest_bp: latest.score_bp,
            },
            points: 2,
            from: earlier.on,
            to: latest.on,
        });
    }
    // At least one a week before, half or less since.
    let weeks = w.check_in_weeks();
    if f.check_ins_earlier >= weeks && f.check_ins_recent * 2 <= f.check_ins_earlier {
        ev.push(Evidence {
            factor: Factor::FewerCheckIns { earlier: f.check_ins_earlier, recent: f.check_ins_recent, weeks },
            points: 1,
            from: w.check_ins_earlier_from(),
            to: w.today,
        });
    }
    if f.one_on_ones_cancelled >= 2 && f.one_on_ones_cancelled >= f.one_on_ones_held {
        ev.push(Evidence {
            factor: Factor::OneOnOnesCancelled { cancelled: f.one_on_ones_cancelled, held: f.one_on_ones_held },
            points: 1,
            from: w.one_on_ones_from(),
            to: w.today,
        });
    }
    ev.extend(overwork(f, w));
    if let Some(on) = f.manager_changed
        && on >= w.manager_change_from()
        && on <= w.today
    {
        let days = u32::try_from((w.today - on).num_days()).unwrap_or(0);
        ev.push(Evidence { factor: Factor::ManagerChanged { days }, points: 1, from: on, to: w.today });
    }
    let (r, e) = (&f.feedback_recent, &f.feedback_earlier);
    // The critical share at least half, and up by a quarter or more (compared in whole numbers:
    // r.c/r.t ≥ 1/2 and r.c/r.t − e.c/e.t ≥ 1/4).
    let rising = if e.total == 0 {
        4 * r.critical >= r.total
    } else {
        4 * (r.critical * e.total) >= 4 * (e.critical * r.total) + r.total * e.total
    };
    if r.total >= MIN_FEEDBACK && 2 * r.critical >= r.total && rising {
        ev.push(Evidence {
            factor: Factor::FeedbackTurningCritical {
                recent_critical: r.critical,
                recent_total: r.total,
                earlier_critical: e.critical,
                earlier_total: e.total,
            },
            points: 1,
            from: w.feedback_earlier_from(),
            to: w.today,
        });
    }
    if let (Some(level), Some(since)) = (&f.level, f.at_level_since)
        && let Some((median, peers)) = f.peer_median_months
        && peers >= MIN_PEERS
    {
        let months = facts::months_between(since, w.today);
        if months >= median + LONG_AT_LEVEL_MONTHS {
            ev.push(Evidence {
                factor: Factor::LongAtLevel { level: level.clone(), months, peer_median_months: median, peers },
                points: 1,
                from: since,
                to: w.today,
            });
        }
    }
    ev
}

/// Sustained overtime (two thirds of the recorded recent weeks over [`OVERTIME_TENTHS`], at
/// least [`MIN_WORK_WEEKS`] recorded) and no leave in the half year ([`MIN_LEAVE_WEEKS`] of it
/// recorded). Each is one fact: two together are enough for a hint, as for anything else.
fn overwork(f: &PersonFacts, w: &Windows) -> Vec<Evidence> {
    let mut ev = Vec::new();
    let last_day = w.work_until() - chrono::Duration::days(1);
    let (recent, earlier) = (&f.work.recent, &f.work.earlier);
    if recent.weeks >= MIN_WORK_WEEKS
        && 3 * recent.over >= 2 * recent.weeks
        && let Some(average_tenths) = recent.average_tenths()
    {
        let earlier_average_tenths = earlier.average_tenths().filter(|_| earlier.weeks >= MIN_WORK_WEEKS);
        ev.push(Evidence {
            factor: Factor::SustainedOvertime {
                weeks_over: recent.over,
                weeks: recent.weeks,
                average_tenths,
                earlier_average_tenths,
            },
            points: 1,
            from: w.work_recent_from(),
            to: last_day,
        });
    }
    let leave = &f.work.leave;
    if leave.weeks >= MIN_LEAVE_WEEKS && leave.leave_tenths == 0 {
        ev.push(Evidence {
            factor: Factor::NoLeaveTaken { weeks: leave.weeks },
            points: 1,
            from: w.leave_from(),
            to: last_day,
        });
    }
    ev
}

fn high_potential(f: &PersonFacts, w: &Windows) -> Vec<Evidence> {
    let mut ev = Vec::new();
    if let [.., earlier, latest] = f.released.as_slice()
        && earlier.score_bp >= HIGH_BP
        && latest.score_bp >= HIGH_BP
    {
        ev.push(Evidence {
            factor: Factor::SustainedHighResults {
                cycles: vec![earlier.cycle.clone(), latest.cycle.clone()],
                scores_bp: vec![earlier.score_bp, latest.score_bp],
            },
            points: 2,
            from: earlier.on,
            to: latest.on,
        });
    }
    // Both windows of feedback together: half a year.
    let (recognition, total) = (
        f.feedback_recent.recognition + f.feedback_earlier.recognition,
        f.feedback_recent.total + f.feedback_earlier.total,
    );
    if total >= MIN_FEEDBACK && 4 * recognition >= 3 * total {
        ev.push(Evidence {
            factor: Factor::MostlyRecognition { recognition, total },
            points: 1,
            from: w.feedback_earlier_from(),
            to: w.today,
        });
    }
    if let Some((level, on)) = f.potential
        && level >= HIGH_POTENTIAL
    {
        ev.push(Evidence { factor: Factor::HighPotentialAssessed, points: 2, from: on, to: on });
    }
    if f.learning_done >= 2 {
        ev.push(Evidence {
            factor: Factor::LearningCompleted { actions_done: f.learning_done },
            points: 1,
            from: w.learning_from(),
            to: w.today,
        });
    }
    ev
}

#[cfg(test)]
mod tests {
    //! SPEC I-4: each rule with numbers worked out by hand.
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn w() -> Windows {
        Windows::new(d("2026-12-07"))
    }
    fn released(cycle: &str, on: &str, bp: i32) -> Released {
        Released { cycle: cycle.into(), on: d(on), score_bp: bp }
    }

    #[test]
    fn i4_one_fact_alone_raises_nothing() {
        // Results fell 12 points, nothing else: one fact is not a signal.
        let f = PersonFacts {
            released: vec![released("2025 H2", "2026-01-20", 7_800), released("2026 H1", "2026-07-20", 6_600)],
            ..PersonFacts::default()
        };
        assert!(assess(&f, &w()).is_empty());
    }

    #[test]
    fn i4_falling_results_fewer_check_ins_and_cancelled_one_on_ones_raise_flight_burnout() {
        // 78 → 66 (−12 points: ≥ 10) = 2 points; 9 check-ins in the six weeks before, 3 since
        // (3·2 = 6 ≤ 9, and 9 ≥ 6 weeks) = 1; 3 cancelled against 1 held = 1. Total 4.
        let f = PersonFacts {
            released: vec![released("2025 H2", "2026-01-20", 7_800), released("2026 H1", "2026-07-20", 6_600)],
            check_ins_earlier: 9,
            check_ins_recent: 3,
            one_on_ones_cancelled: 3,
            one_on_ones_held: 1,
            ..PersonFacts::default()
        };
        let got = assess(&f, &w());
        assert_eq!(got.len(), 1);
        let a = &got[0];
        assert_eq!(a.kind, SignalKind::FlightBurnout);
        assert_eq!(a.points, 4);
        let codes: Vec<&str> = a.evidence.iter().map(|e| e.factor.code()).collect();
        // Strongest first; among equals the more credible (system-recorded) first.
        assert_eq!(codes, ["results_declining", "fewer_check_ins", "one_on_ones_cancelled"]);
        assert_eq!(a.evidence[0].from, d("2026-01-20"));
        assert_eq!(a.evidence[1].from, d("2026-09-14"), "84 days before 2026-12-07");
        assert_eq!(a.evidence[2].from, d("2026-09-08"), "90 days before");
        assert_eq!(a.suggestions(), ["ask_what_changed", "check_workload", "hold_one_on_one"]);
    }

    #[test]
    fn i4_rules_hold_at_their_edges() {
        // A fall of 9.99 points is not a decline; 4 of 8 check-ins is half (counts), 5 of 8 is not;
        // 5 check-ins before is under one a week; 2 cancelled vs 3 held is not.
        let base = PersonFacts {
            released: vec![released("A", "2026-01-20", 7_800), released("B", "2026-07-20", 6_801)],
            check_ins_earlier: 8,
            check_ins_recent: 4,
            one_on_ones_cancelled: 2,
            one_on_ones_held: 3,
            ..PersonFacts::default()
        };
        assert!(assess(&base, &w()).is_empty(), "only the check-ins count: one fact");
        let two = PersonFacts { one_on_ones_held: 2, ..base.clone() };
        assert_eq!(assess(&two, &w())[0].points, 2, "check-ins and 2 cancelled vs 2 held");
        let not_half = PersonFacts { check_ins_recent: 5, ..two.clone() };
        assert!(assess(&not_half, &w()).is_empty());
        let too_few_before = PersonFacts { check_ins_earlier: 5, check_ins_recent: 0, ..two };
        assert!(assess(&too_few_before, &w()).is_empty());
    }

    #[test]
    fn i4_feedback_turning_critical_and_long_at_level() {
        // Recent 3 of 5 critical (60 %), earlier 1 of 4 (25 %): up 35 points ≥ 25, and ≥ 50 %.
        // At level since 2023-03-01: 45 months by 2026-12-07; peers' median 30 + 12 = 42 ≤ 45.
        let f = PersonFacts {
            feedback_recent: FeedbackTally { total: 5, critical: 3, recognition: 1 },
            feedback_earlier: FeedbackTally { total: 4, critical: 1, recognition: 3 },
            level: Some("P5".into()),
            at_level_since: Some(d("2023-03-01")),
            peer_median_months: Some((30, 7)),
            ..PersonFacts::default()
        };
        let a = &assess(&f, &w())[0];
        assert_eq!(a.kind, SignalKind::FlightBurnout);
        let Factor::LongAtLevel { months, .. } =
            a.evidence.iter().find(|e| e.factor.code() == "long_at_level").unwrap().factor
        else {
            unreachable!()
        };
        assert_eq!(months, 45);
        // Earlier 2 of 4 (50 %): up only 10 points — not turning.
        let steady =
            PersonFacts { feedback_earlier: FeedbackTally { total: 4, critical: 2, recognition: 1 }, ..f.clone() };
        assert!(assess(&steady, &w()).is_empty());
        // Four peers say nothing about a norm.
        let few_peers = PersonFacts { peer_median_months: Some((30, 4)), ..f };
        assert!(assess(&few_peers, &w()).is_empty());
    }

    #[test]
    fn i4_high_potential_needs_sustained_results_and_three_points() {
        // 82 and 85 = 2 points; high potential assessed = 2: total 4.
        let f = PersonFacts {
            released: vec![released("A", "2026-01-20", 8_200), released("B", "2026-07-20", 8_500)],
            potential: Some((2, d("2026-07-25"))),
            ..PersonFacts::default()
        };
        let a = &assess(&f, &w())[0];
        assert_eq!((a.kind, a.points), (SignalKind::HighPotential, 4));
        // Results alone: 2 points, not enough.
        let alone = PersonFacts { potential: Some((1, d("2026-07-25"))), ..f.clone() };
        assert!(assess(&alone, &w()).is_empty());
        // With 3 of 4 feedback recognizing (75 %): 3 points.
        let praised = PersonFacts { feedback_recent: FeedbackTally { total: 4, critical: 0, recognition: 3 }, ..alone };
        assert_eq!(assess(&praised, &w())[0].points, 3);
        // Potential and learning without the results: nothing.
        let no_results = PersonFacts { released: vec![], learning_done: 3, ..f };
        assert!(assess(&no_results, &w()).is_empty());
    }

    #[test]
    fn i4_a_high_model_estimate_is_one_fact_never_a_signal_alone() {
        let model = |percent, base_percent| ModelEstimate {
            percent,
            base_percent,
            people: 400,
            leavers: 48,
            raising: vec![ModelPart { feature: "one_on_ones_cancelled".into(), value: "3".into(), hundredths: 84 }],
        };
        // Cancelled 1:1s alone: one fact, nothing raised; the model's 36 % (≥ 20 and ≥ 2 × 12)
        // is the second: raised with both, 1 point each.
        let f = PersonFacts { one_on_ones_cancelled: 3, one_on_ones_held: 1, ..PersonFacts::default() };
        assert!(assess(&f, &w()).is_empty());
        let got = assess_with(&f, &w(), Some(&model(36, 12)));
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].points, 2);
        // Among equals the more credible first: the recorded 1:1s before the model's estimate.
        let codes: Vec<&str> = got[0].evidence.iter().map(|e| e.factor.code()).collect();
        assert_eq!(codes, ["one_on_ones_cancelled", "model_estimate"]);
        assert_eq!(got[0].evidence[1].credibility(), Credibility::ModelEstimate);
        // Below twice the base rate (23 < 2 × 12), or under 20 %: not a fact.
        assert!(assess_with(&f, &w(), Some(&model(23, 12))).is_empty());
        assert!(assess_with(&f, &w(), Some(&model(19, 5))).is_empty());
        // The model alone, however high: nothing.
        assert!(assess_with(&PersonFacts::default(), &w(), Some(&model(90, 12))).is_empty());
        let json = serde_json::to_string(&got[0].evidence[1]).unwrap();
        assert!(json.contains("\"factor\":\"model_estimate\"") && json.contains("\"percent\":36"), "{json}");
        assert_eq!(serde_json::from_str::<Evidence>(&json).unwrap(), got[0].evidence[1]);
    }

    #[test]
    fn i4_sustained_overtime_and_no_leave_are_read_from_complete_weeks() {
        // 2026-12-07 is a Monday: the weeks before it are complete. Recent: the 12 weeks from
        // 2026-09-14; before them, 12 from 2026-06-22; leave: 26 weeks from 2026-06-08.
        let w = w();
        assert_eq!(w.work_until(), d("2026-12-07"));
        assert_eq!(w.work_recent_from(), d("2026-09-14"));
        assert_eq!(w.work_earlier_from(), d("2026-06-22"));
        assert_eq!(w.leave_from(), d("2026-06-08"));
        // 9 of 12 weeks over 49 h (9·3 = 27 ≥ 12·2 = 24), 642 h in all: 53.5 h a week; 12 weeks
        // before at 44.0; 26 weeks recorded without a day of leave. Two facts: a hint of 2 points.
        let tally = |weeks, over, hours_tenths, leave_tenths| WorkTally { weeks, over, hours_tenths, leave_tenths };
        let f = PersonFacts {
            work: WorkFacts {
                recent: tally(12, 9, 6_420, 0),
                earlier: tally(12, 0, 5_280, 0),
                leave: tally(26, 9, 12_000, 0),
            },
            ..PersonFacts::default()
        };
        let a = &assess(&f, &w)[0];
        assert_eq!((a.kind, a.points), (SignalKind::FlightBurnout, 2));
        assert_eq!(
            a.evidence[0].factor,
            Factor::SustainedOvertime {
                weeks_over: 9,
                weeks: 12,
                average_tenths: 535,
                earlier_average_tenths: Some(440)
            }
        );
        assert_eq!((a.evidence[0].from, a.evidence[0].to), (d("2026-09-14"), d("2026-12-06")));
        assert_eq!(a.evidence[1].factor, Factor::NoLeaveTaken { weeks: 26 });
        assert_eq!(a.evidence[1].from, d("2026-06-08"));
        assert_eq!(a.suggestions(), ["check_workload", "encourage_leave"]);
        assert!(a.evidence.iter().all(|e| e.credibility() == Credibility::SystemRecorded));
        // 7 of 11 over (21 < 22): not sustained; half a day of leave: taken; 21 weeks recorded
        // say nothing about leave; 7 weeks recorded say nothing about overtime.
        let edge =
            |recent, leave| PersonFacts { work: WorkFacts { recent, earlier: tally(0, 0, 0, 0), leave }, ..f.clone() };
        assert!(assess(&edge(tally(11, 7, 5_500, 0), tally(26, 7, 11_000, 0)), &w).is_empty());
        assert!(assess(&edge(tally(12, 9, 6_420, 0), tally(26, 9, 12_000, 5)), &w).is_empty());
        assert!(assess(&edge(tally(12, 9, 6_420, 0), tally(21, 9, 9_000, 0)), &w).is_empty());
        assert!(assess(&edge(tally(7, 7, 3_900, 0), tally(26, 7, 11_000, 0)), &w).is_empty());
        // With too few earlier weeks the comparison is left out, not guessed.
        let a = &assess(&edge(tally(12, 8, 6_000, 0), tally(26, 8, 11_000, 0)), &w)[0];
        let Factor::SustainedOvertime { earlier_average_tenths, average_tenths, .. } = a.evidence[0].factor else {
            unreachable!()
        };
        assert_eq!((average_tenths, earlier_average_tenths), (500, None));
    }

    #[test]
    fn i4_a_new_manager_is_one_fact_for_ninety_days() {
        // Changed on 2026-10-08: 60 days before 2026-12-07; with cancelled 1:1s, two facts.
        let f = PersonFacts {
            manager_changed: Some(d("2026-10-08")),
            one_on_ones_cancelled: 2,
            one_on_ones_held: 1,
            ..PersonFacts::default()
        };
        let a = &assess(&f, &w())[0];
        assert_eq!(a.points, 2);
        let e = a.evidence.iter().find(|e| e.factor.code() == "manager_changed").unwrap();
        assert_eq!((&e.factor, e.from, e.to), (&Factor::ManagerChanged { days: 60 }, d("2026-10-08"), d("2026-12-07")));
        assert_eq!(a.suggestions(), ["hold_one_on_one", "meet_new_manager"]);
        // The window's first day is 2026-09-08 (90 days back): the day before it counts no more,
        // and a change alone is no signal.
        assert_eq!(assess(&PersonFacts { manager_changed: Some(d("2026-09-08")), ..f.clone() }, &w())[0].points, 2);
        assert!(assess(&PersonFacts { manager_changed: Some(d("2026-09-07")), ..f.clone() }, &w()).is_empty());
        assert!(assess(&PersonFacts { one_on_ones_cancelled: 0, ..f }, &w()).is_empty());
    }

    #[test]
    fn i4_evidence_keeps_its_figures_through_json() {
        let e = Evidence {
            factor: Factor::FewerCheckIns { earlier: 9, recent: 3, weeks: 6 },
            points: 1,
            from: d("2026-10-12"),
            to: d("2026-12-07"),
        };
        let json = serde_json::to_string(&e).unwrap();
        assert!(json.contains("\"factor\":\"fewer_check_ins\""), "{json}");
        assert_eq!(serde_json::from_str::<Evidence>(&json).unwrap(), e);
    }
}
