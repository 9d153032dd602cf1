//! A review cycle (V-1): its stages in order with their dates, who takes part, and where each
//! review task stands.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::scoring::Source;

/// The stages, in the order they happen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    SelfReview,
    PeerNomination,
    PeerReview,
    ManagerReview,
    Calibration,
    Release,
    Acknowledgement,
    Appeals,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::SelfReview,
        Stage::PeerNomination,
        Stage::PeerReview,
        Stage::ManagerReview,
        Stage::Calibration,
        Stage::Release,
        Stage::Acknowledgement,
        Stage::Appeals,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Stage::SelfReview => "self_review",
            Stage::PeerNomination => "peer_nomination",
            Stage::PeerReview => "peer_review",
            Stage::ManagerReview => "manager_review",
            Stage::Calibration => "calibration",
            Stage::Release => "release",
            Stage::Acknowledgement => "acknowledgement",
            Stage::Appeals => "appeals",
        }
    }
    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|x| x.code() == s)
    }
    /// Peers are optional in a cycle; everything else is always there.
    pub fn optional(self) -> bool {
        matches!(self, Stage::PeerNomination | Stage::PeerReview)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StageDates {
    pub stage: Stage,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StageProblem {
    Missing(Stage),
    Repeated(Stage),
    /// Closes before it opens.
    Backwards(Stage),
    /// Opens before the stage before it opened.
    OutOfOrder(Stage),
    /// Reviews must be closed before calibration opens, calibration before release.
    Overlaps(Stage),
    /// Peer nomination and peer review come together or not at all.
    PeersHalf,
    /// The review writing starts before the period being reviewed has begun.
    BeforePeriod(Stage),
}

/// Checks the stages of a cycle reviewing the period starting `period_start`; returns them in order.
pub fn check_stages(mut stages: Vec<StageDates>, period_start: NaiveDate) -> Result<Vec<StageDates>, StageProblem> {
    stages.sort_by_key(|s| s.stage);
    for w in stages.windows(2) {
        if w[0].stage == w[1].stage {
            return Err(StageProblem::Repeated(w[0].stage));
        }
    }
    for st in Stage::ALL {
        if !st.optional() && !stages.iter().any(|s| s.stage == st) {
            return Err(StageProblem::Missing(st));
        }
    }
    let has = |st: Stage| stages.iter().any(|s| s.stage == st);
    if has(Stage::PeerNomination) != has(Stage::PeerReview) {
        return Err(StageProblem::PeersHalf);
    }
    for (i, s) in stages.iter().enumerate() {
        if s.closes_on < s.opens_on {
            return Err(StageProblem::Backwards(s.stage));
        }
        if s.opens_on < period_start {
            return Err(StageProblem::BeforePeriod(s.stage));
        }
        if i > 0 && s.opens_on < stages[i - 1].opens_on {
            return Err(StageProblem::OutOfOrder(s.stage));
        }
    }
    let get = |st: Stage| stages.iter().find(|s| s.stage == st).copied();
    let calibration = get(Stage::Calibration).expect("checked above");
    let release = get(Stage::Release).expect("checked above");
    for review in [Stage::SelfReview, Stage::PeerReview, Stage::ManagerReview] {
        if get(review).is_some_and(|r| r.closes_on >= calibration.opens_on) {
            return Err(StageProblem::Overlaps(review));
        }
    }
    if calibration.closes_on >= release.opens_on {
        return Err(StageProblem::Overlaps(Stage::Calibration));
    }
    Ok(stages)
}

/// The stage open on `today` (the latest opened, if several), if any.
pub fn current(stages: &[StageDates], today: NaiveDate) -> Option<Stage> {
    stages.iter().filter(|s| s.opens_on <= today && today <= s.closes_on).map(|s| s.stage).max()
}

/// A launched cycle is over once its last stage (appeals) has closed: nothing in it is open to
/// anyone any more, so pages call it finished rather than running.
pub fn is_over(stages: &[StageDates], today: NaiveDate) -> bool {
    stages.iter().map(|s| s.closes_on).max().is_some_and(|last| last < today)
}

/// Where a cycle is: set up (a draft HR may still change) or launched (its reviews exist).
/// A launched cycle whose stages have all closed is shown as finished ([`is_over`]); that is a
/// reading of the dates, not a state of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CycleState {
    Draft,
    Launched,
}

impl CycleState {
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Launched => "launched",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "draft" => Some(Self::Draft),
            "launched" => Some(Self::Launched),
            _ => None,
        }
    }
}

/// A review cycle (V-1) as the app sees it: the units taking part (none: the whole
/// organization), the filter on people and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewCycle {
    pub id: Uuid,
    pub name: String,
    pub period_id: Uuid,
    pub template_id: Uuid,
    pub units: Vec<Uuid>,
    pub filter: ParticipantFilter,
    pub state: CycleState,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub launched_at: Option<DateTime<Utc>>,
}

impl ReviewCycle {
    pub fn is_draft(&self) -> bool {
        self.state == CycleState::Draft
    }
}

/// Who takes part: every active employee in the units (and below), of the job families and
/// levels named (any when empty), hired on or before `hired_by`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantFilter {
    #[serde(default)]
    pub job_families: Vec<String>,
    #[serde(default)]
    pub levels: Vec<String>,
    pub hired_by: Option<NaiveDate>,
}

impl ParticipantFilter {
    pub fn admits(&self, job_family: Option<&str>, level: Option<&str>, hired_on: NaiveDate) -> bool {
        let listed =
            |list: &[String], v: Option<&str>| list.is_empty() || v.is_some_and(|v| list.iter().any(|x| x == v));
        listed(&self.job_families, job_family)
            && listed(&self.levels, level)
            && self.hired_by.is_none_or(|d| hired_on <= d)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskState {
    NotOpen,
    NotStarted,
    Draft,
    Submitted,
    /// Past its stage's last day and not submitted.
    Late,
}

pub fn task_state(dates: Option<&StageDates>, started: bool, submitted: bool, today: NaiveDate) -> TaskState {
    match (submitted, dates) {
        (true, _) => TaskState::Submitted,
        (false, Some(d)) if today > d.closes_on => TaskState::Late,
        (false, Some(d)) if today < d.opens_on => TaskState::NotOpen,
        (false, _) if started => TaskState::Draft,
        (false, _) => TaskState::NotStarted,
    }
}

/// The stage in which a review by `source` (self, peers, manager or upward) is written.
pub fn writing_stage(source: Source) -> Stage {
    match source {
        Source::SelfReview => Stage::SelfReview,
        Source::Peers => Stage::PeerReview,
        Source::Manager | Source::Upward => Stage::ManagerReview,
    }
}

/// Why a review cannot be changed on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Lock {
    Submitted,
    /// Its writing stage has not opened yet.
    NotOpen,
    /// Calibration has begun (late reviews are taken until then).
    Closed,
}

impl Lock {
    pub fn code(self) -> &'static str {
        match self {
            Lock::Submitted => "submitted",
            Lock::NotOpen => "not_open",
            Lock::Closed => "closed",
        }
    }
}

/// Whether a review by `source` can be changed on `today` under these stage dates.
pub fn lock(submitted: bool, source: Source, stages: &[StageDates], today: NaiveDate) -> Option<Lock> {
    if submitted {
        return Some(Lock::Submitted);
    }
    let stage = writing_stage(source);
    if stages.iter().find(|d| d.stage == stage).is_some_and(|d| today < d.opens_on) {
        return Some(Lock::NotOpen);
    }
    if stages.iter().find(|d| d.stage == Stage::Calibration).is_some_and(|d| today >= d.opens_on) {
        return Some(Lock::Closed);
    }
    None
}

/// What new stage dates do to an unsubmitted review that can be written today: the lock they
/// would put on it, if any (issue 22, item 12: moving calibration to today closed 194 open
/// reviews without a word).
pub fn locked_by_move(source: Source, before: &[StageDates], after: &[StageDates], today: NaiveDate) -> Option<Lock> {
    match lock(false, source, before, today) {
        None => lock(false, source, after, today),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v1_a_cycle_is_over_the_day_after_its_last_stage_closes() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let stages = [
            StageDates { stage: Stage::SelfReview, opens_on: d(10, 1), closes_on: d(10, 7) },
            StageDates { stage: Stage::Appeals, opens_on: d(10, 20), closes_on: d(10, 31) },
        ];
        assert!(!is_over(&stages, d(10, 31)), "the appeals stage's last day is still open");
        assert!(is_over(&stages, d(11, 1)));
        assert!(!is_over(&[], d(11, 1)), "a cycle without stages is never over");
    }

    #[test]
    fn v1_moving_dates_names_the_open_reviews_it_would_lock() {
        // Today 3 December: self review 1–7 Dec open, calibration from 11 Dec.
        let today = d(12, 3);
        let s = |stage, a: NaiveDate, b: NaiveDate| StageDates { stage, opens_on: a, closes_on: b };
        let before = [
            s(Stage::SelfReview, d(12, 1), d(12, 7)),
            s(Stage::ManagerReview, d(12, 1), d(12, 10)),
            s(Stage::Calibration, d(12, 11), d(12, 14)),
        ];
        assert_eq!(lock(false, Source::SelfReview, &before, today), None);
        assert_eq!(lock(true, Source::SelfReview, &before, today), Some(Lock::Submitted));
        // Calibration brought forward to today closes every open review.
        let mut sooner = before;
        sooner[0].closes_on = d(12, 2);
        sooner[1].closes_on = d(12, 2);
        sooner[2].opens_on = today;
        assert_eq!(locked_by_move(Source::SelfReview, &before, &sooner, today), Some(Lock::Closed));
        assert_eq!(locked_by_move(Source::Manager, &before, &sooner, today), Some(Lock::Closed));
        // The manager review pushed to open next week locks it until then.
        let mut later = before;
        later[1].opens_on = d(12, 8);
        assert_eq!(locked_by_move(Source::Manager, &before, &later, today), Some(Lock::NotOpen));
        assert_eq!(locked_by_move(Source::SelfReview, &before, &later, today), None);
        // An extension locks nothing; a review already locked is not counted again.
        let mut longer = before;
        longer[0].closes_on = d(12, 9);
        assert_eq!(locked_by_move(Source::SelfReview, &before, &longer, today), None);
        assert_eq!(locked_by_move(Source::SelfReview, &sooner, &sooner, today), None);
    }

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn standard() -> Vec<StageDates> {
        let s = |stage, a: NaiveDate, b: NaiveDate| StageDates { stage, opens_on: a, closes_on: b };
        vec![
            s(Stage::ManagerReview, d(12, 8), d(12, 18)),
            s(Stage::SelfReview, d(12, 1), d(12, 7)),
            s(Stage::PeerNomination, d(12, 1), d(12, 3)),
            s(Stage::PeerReview, d(12, 4), d(12, 12)),
            s(Stage::Calibration, d(12, 19), d(12, 24)),
            s(Stage::Release, d(12, 28), d(12, 28)),
            s(Stage::Acknowledgement, d(12, 28), d(12, 31)),
            s(Stage::Appeals, d(12, 28), d(12, 31)),
        ]
    }

    #[test]
    fn v1_stages_are_put_in_order_and_checked() {
        let stages = check_stages(standard(), d(7, 1)).unwrap();
        assert_eq!(stages.iter().map(|s| s.stage).collect::<Vec<_>>(), Stage::ALL);
        assert_eq!(current(&stages, d(12, 5)), Some(Stage::PeerReview));
        assert_eq!(current(&stages, d(12, 26)), None);
        // Without peers: fine.
        let no_peers: Vec<_> = standard().into_iter().filter(|s| !s.stage.optional()).collect();
        assert!(check_stages(no_peers, d(7, 1)).is_ok());
    }

    #[test]
    fn v1_bad_stages_are_named() {
        let mut s = standard();
        s.retain(|s| s.stage != Stage::Calibration);
        assert_eq!(check_stages(s, d(7, 1)), Err(StageProblem::Missing(Stage::Calibration)));
        let mut s = standard();
        s.retain(|s| s.stage != Stage::PeerReview);
        assert_eq!(check_stages(s, d(7, 1)), Err(StageProblem::PeersHalf));
        let mut s = standard();
        s[0].closes_on = d(12, 1);
        assert_eq!(check_stages(s, d(7, 1)), Err(StageProblem::Backwards(Stage::ManagerReview)));
        let mut s = standard();
        s[0].closes_on = d(12, 20); // the manager review runs into calibration
        assert_eq!(check_stages(s, d(7, 1)), Err(StageProblem::Overlaps(Stage::ManagerReview)));
        let mut s = standard();
        s[0].opens_on = d(11, 30); // manager review before self review
        assert_eq!(check_stages(s, d(7, 1)), Err(StageProblem::OutOfOrder(Stage::ManagerReview)));
        assert_eq!(check_stages(standard(), d(12, 2)), Err(StageProblem::BeforePeriod(Stage::SelfReview)));
    }

    #[test]
    fn v1_participant_filter() {
        let f = ParticipantFilter { job_families: vec!["研发".into()], levels: vec![], hired_by: Some(d(10, 1)) };
        assert!(f.admits(Some("研发"), Some("P5"), d(9, 30)));
        assert!(!f.admits(Some("销售"), Some("P5"), d(9, 30)));
        assert!(!f.admits(None, Some("P5"), d(9, 30)));
        assert!(!f.admits(Some("研发"), Some("P5"), d(10, 2)));
        assert!(ParticipantFilter::default().admits(None, None, d(12, 1)));
    }

    #[test]
    fn v1_task_states() {
        let s = StageDates { stage: Stage::SelfReview, opens_on: d(12, 1), closes_on: d(12, 7) };
        assert_eq!(task_state(Some(&s), false, false, d(11, 30)), TaskState::NotOpen);
        assert_eq!(task_state(Some(&s), false, false, d(12, 2)), TaskState::NotStarted);
        assert_eq!(task_state(Some(&s), true, false, d(12, 2)), TaskState::Draft);
        assert_eq!(task_state(Some(&s), true, false, d(12, 8)), TaskState::Late);
        assert_eq!(task_state(Some(&s), true, true, d(12, 8)), TaskState::Submitted);
    }
}
