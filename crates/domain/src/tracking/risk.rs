//! T-4: risks read from a goal's (or key result's) check-in timeline, each with the evidence it
//! came from and the actions that usually help. Values are progress fractions (1.0 = the
//! target), so the rules hold for any unit and either direction; values pushed from another
//! system through the API are check-ins like any other.

use chrono::{Datelike, NaiveDate};

use super::status::Reason;

/// How sure the owner is, as they said at a check-in; ordered from worst to best.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    OffTrack,
    AtRisk,
    OnTrack,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckIn {
    pub on: NaiveDate,
    /// Progress after this check-in, as a fraction of the goal.
    pub progress: f64,
    pub confidence: Option<Confidence>,
}

/// What to do about a risk (the page words each one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    AdjustKeyResult,
    AddResources,
    ReduceScope,
    SplitOrMergeGoal,
    ReviewTask,
    /// Talk it over: a 1:1 about where the goal stands.
    CheckInConversation,
    /// Re-plan the work: the steps, who does them, by when.
    Replan,
    /// Re-set the target to what can still be reached (an approved change, with its reason).
    Retarget,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Risk {
    /// No progress across the last `weeks` weekly check-ins: `evidence` holds them, with the
    /// one before as the baseline.
    Stall { weeks: usize, evidence: Vec<CheckIn> },
    /// At the recent pace (`per_week`, from `evidence`) the period ends at `projected`, short of
    /// the target (1.0).
    ProjectedShort { per_week: f64, projected: f64, evidence: Vec<CheckIn> },
    /// Confidence fell from `from` to `to` at the latest check-in.
    FallingConfidence { from: Confidence, to: Confidence, evidence: Vec<CheckIn> },
    /// No update for `days` days (the organization's stale threshold or more): silence is
    /// itself evidence (issue 22, item 4). With the pace as it stands — `expected` of the goal
    /// due by now, `actual` done — and the last check-in, if there was one.
    Silent { days: i64, expected: f64, actual: f64, last: Option<CheckIn> },
}

impl Risk {
    pub fn actions(&self) -> &'static [Action] {
        match self {
            Risk::Stall { .. } => &[Action::ReviewTask, Action::AddResources, Action::SplitOrMergeGoal],
            Risk::ProjectedShort { .. } => &[Action::AddResources, Action::AdjustKeyResult, Action::ReduceScope],
            Risk::FallingConfidence { .. } => &[Action::ReviewTask, Action::AddResources, Action::AdjustKeyResult],
            Risk::Silent { .. } => &[Action::CheckInConversation, Action::Replan, Action::Retarget],
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rules {
    /// Consecutive weekly check-ins without progress that make a stall (default 2).
    pub stall_weeks: usize,
    /// How far back the recent pace is measured, in days.
    pub pace_window_days: i64,
}

impl Default for Rules {
    fn default() -> Self {
        Rules { stall_weeks: 2, pace_window_days: 28 }
    }
}

/// The last check-in of each ISO week (Monday to Sunday), in order: people check in more
/// than once a week, and a stall is counted in weeks.
pub fn weekly(timeline: &[CheckIn]) -> Vec<CheckIn> {
    let mut out: Vec<CheckIn> = Vec::new();
    for c in timeline {
        match out.last_mut() {
            Some(last) if last.on.iso_week() == c.on.iso_week() => *last = *c,
            _ => out.push(*c),
        }
    }
    out
}

/// The check-ins the rules read, and so the evidence they show: the first of the pace window,
/// the last of each week, the last two that said a confidence, and the latest (in timeline
/// order). [`risks`] finds the same risks on this sample as on the whole timeline, and it has
/// at most a few points a week however often a goal is checked in (issue 21, item 11: a check-in
/// on a goal with thousands before it cost 30 times one on a new goal, and its alert's evidence
/// grew with every one).
pub fn sample(timeline: &[CheckIn], today: NaiveDate, rules: &Rules) -> Vec<CheckIn> {
    let n = timeline.len();
    let mut keep = vec![false; n];
    if let Some(last) = keep.last_mut() {
        *last = true;
    }
    for i in 0..n {
        if i + 1 == n || timeline[i + 1].on.iso_week() != timeline[i].on.iso_week() {
            keep[i] = true;
        }
    }
    let from = pace_from(today, rules);
    if let Some(i) = timeline.iter().position(|c| c.on >= from) {
        keep[i] = true;
    }
    for i in (0..n).rev().filter(|&i| timeline[i].confidence.is_some()).take(2) {
        keep[i] = true;
    }
    timeline.iter().zip(keep).filter_map(|(c, k)| k.then_some(*c)).collect()
}

/// The Monday–Sunday weeks from the one holding `since` to the one holding `today`, the first
/// starting no earlier than `since`: the weeks whose last check-in [`sample`] keeps, for a
/// store that reads the sample by index seeks instead of reading the whole timeline.
pub fn sample_weeks(since: NaiveDate, today: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut monday = since - chrono::Days::new(since.weekday().num_days_from_monday() as u64);
    let mut out = Vec::new();
    while monday <= today {
        out.push((monday.max(since), monday + chrono::Days::new(6)));
        monday = monday + chrono::Days::new(7);
    }
    out
}

/// The first day of the pace window.
pub fn pace_from(today: NaiveDate, rules: &Rules) -> NaiveDate {
    today - chrono::Days::new(rules.pace_window_days.max(1) as u64)
}

/// The risk of a goal whose status is red for silence (T-3's stale rule): the same days and
/// pace as its status reason, so the light and the alert tell one story. `last` is the goal's
/// last check-in, if it ever had one. Any other status reason is no silence.
pub fn silence(reason: &Reason, last: Option<CheckIn>) -> Option<Risk> {
    match *reason {
        Reason::Stale { days, expected, actual } => Some(Risk::Silent { days, expected, actual, last }),
        _ => None,
    }
}

/// Progress this small counts as none (rounding in stored values).
const NO_GAIN: f64 = 1e-6;

/// The risks of a timeline (check-ins in date order) on `today`, in a period ending `end`.
/// A goal already achieved has none.
pub fn risks(timeline: &[CheckIn], today: NaiveDate, end: NaiveDate, rules: &Rules) -> Vec<Risk> {
    let mut out = Vec::new();
    let Some(last) = timeline.last() else { return out };
    if last.progress >= 1.0 {
        return out;
    }
    // Stall: the last N weekly check-ins each gained nothing over the week before.
    let n = rules.stall_weeks.max(1);
    let weeks = weekly(timeline);
    if weeks.len() > n {
        let tail = &weeks[weeks.len() - n - 1..];
        if tail.windows(2).all(|w| w[1].progress - w[0].progress <= NO_GAIN) {
            out.push(Risk::Stall { weeks: n, evidence: tail.to_vec() });
        }
    }
    // Projection: the pace over the recent window, carried to the end of the period.
    let from = pace_from(today, rules);
    let recent: Vec<CheckIn> = timeline.iter().filter(|c| c.on >= from).copied().collect();
    if let (Some(first), Some(latest)) = (recent.first(), recent.last()) {
        let days = (latest.on - first.on).num_days();
        if recent.len() >= 2 && days > 0 && end > latest.on {
            let per_day = (latest.progress - first.progress) / days as f64;
            let projected = latest.progress + per_day * (end - latest.on).num_days() as f64;
            if projected < 1.0 - NO_GAIN {
                out.push(Risk::ProjectedShort { per_week: per_day * 7.0, projected, evidence: recent.clone() });
            }
        }
    }
    // Falling confidence: the latest said is lower than the one said before it.
    let said: Vec<&CheckIn> = timeline.iter().filter(|c| c.confidence.is_some()).collect();
    if let [.., before, latest] = said.as_slice()
        && let (Some(from), Some(to)) = (before.confidence, latest.confidence)
        && to < from
    {
        out.push(Risk::FallingConfidence { from, to, evidence: vec![**before, **latest] });
    }
    out
}

#[cfg(test)]
mod tests {
    //! T-4 on hand-built weekly timelines in a quarter ending 2026-12-31.
    use super::*;
    use Confidence::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }
    fn c(m: u32, day: u32, progress: f64, confidence: Option<Confidence>) -> CheckIn {
        CheckIn { on: d(m, day), progress, confidence }
    }
    fn end() -> NaiveDate {
        d(12, 31)
    }

    #[test]
    fn t4_two_weeks_without_progress_is_a_stall() {
        let rules = Rules::default();
        let timeline = [c(10, 30, 0.30, None), c(11, 6, 0.40, None), c(11, 13, 0.40, None), c(11, 20, 0.40, None)];
        let r = risks(&timeline, d(11, 20), end(), &rules);
        assert_eq!(r[0], Risk::Stall { weeks: 2, evidence: timeline[1..].to_vec() });
        assert_eq!(r[0].actions()[0], Action::ReviewTask);
        // One flat week is not yet a stall; a lower value is no progress either.
        let one = [c(11, 6, 0.40, None), c(11, 13, 0.45, None), c(11, 20, 0.45, None)];
        assert!(!risks(&one, d(11, 20), end(), &rules).iter().any(|r| matches!(r, Risk::Stall { .. })));
        let down = [c(11, 6, 0.40, None), c(11, 13, 0.38, None), c(11, 20, 0.38, None)];
        assert!(matches!(risks(&down, d(11, 20), end(), &rules)[0], Risk::Stall { weeks: 2, .. }));
        // N is the organization's.
        let three = Rules { stall_weeks: 3, ..rules };
        assert!(!risks(&timeline[1..], d(11, 20), end(), &three).iter().any(|r| matches!(r, Risk::Stall { .. })));
    }

    #[test]
    fn t4_a_stall_counts_weeks_not_check_ins() {
        let rules = Rules::default();
        // Three check-ins in the week of 16 Nov, the last of them flat with 13 Nov: one flat
        // week so far, not a stall, however often the owner checks in.
        let busy = [c(11, 13, 0.40, None), c(11, 16, 0.40, None), c(11, 18, 0.40, None), c(11, 20, 0.40, None)];
        assert_eq!(weekly(&busy), vec![busy[0], busy[3]]);
        assert!(!risks(&busy, d(11, 20), end(), &rules).iter().any(|r| matches!(r, Risk::Stall { .. })));
        // Sunday 22 Nov is still that week; Monday 23 Nov starts the next.
        let turn = [c(11, 16, 0.4, None), c(11, 22, 0.4, None), c(11, 23, 0.4, None)];
        assert_eq!(weekly(&turn), vec![turn[1], turn[2]]);
    }

    #[test]
    fn t4_recent_pace_projects_the_end_value() {
        let rules = Rules::default();
        // Four weeks: 0.20 → 0.32, i.e. 0.03 a week (12 points in 28 days). From 20 Nov, 41
        // days remain: 0.32 + 0.12 / 28 × 41 = 0.4957… < 1.0.
        let slow = [
            c(10, 23, 0.20, None),
            c(10, 30, 0.23, None),
            c(11, 6, 0.26, None),
            c(11, 13, 0.29, None),
            c(11, 20, 0.32, None),
        ];
        let r = risks(&slow, d(11, 20), end(), &rules);
        let Risk::ProjectedShort { per_week, projected, evidence } = &r[0] else { panic!("{r:?}") };
        assert!((per_week - 0.03).abs() < 1e-9);
        assert!((projected - (0.32 + 0.12 / 28.0 * 41.0)).abs() < 1e-9, "{projected}");
        assert_eq!(evidence.len(), 5, "the window holds 23 Oct … 20 Nov");
        // 0.15 a week: 0.60 + 0.60 / 28 × 41 = 1.48 by the end, no risk.
        let fast = [c(10, 23, 0.00, None), c(11, 20, 0.60, None)];
        assert!(risks(&fast, d(11, 20), end(), &rules).is_empty());
        // A single check-in has no pace; an achieved goal has no risk.
        assert!(risks(&[c(11, 20, 0.1, None)], d(11, 20), end(), &rules).is_empty());
        assert!(risks(&[c(11, 13, 0.5, None), c(11, 20, 1.0, None)], d(11, 20), end(), &rules).is_empty());
    }

    #[test]
    fn t4_falling_confidence_is_a_risk_with_both_check_ins() {
        let rules = Rules::default();
        let t = [c(11, 6, 0.40, Some(OnTrack)), c(11, 13, 0.70, None), c(11, 20, 0.90, Some(AtRisk))];
        let r = risks(&t, d(11, 20), end(), &rules);
        assert_eq!(r, vec![Risk::FallingConfidence { from: OnTrack, to: AtRisk, evidence: vec![t[0], t[2]] }]);
        let rising = [c(11, 13, 0.80, Some(OffTrack)), c(11, 20, 0.90, Some(AtRisk))];
        assert!(risks(&rising, d(11, 20), end(), &rules).is_empty());
    }

    #[test]
    fn t4_silence_is_a_risk_with_the_status_reasons_numbers() {
        // Issue 22, item 4: last heard of on 2 October at 20 %; on 5 December, 64 days on, 66 of
        // the quarter's 92 days are gone (71.7 %): red for silence, with the pace beside it,
        // and the actions that help a silent goal.
        let last = c(10, 2, 0.20, Some(OnTrack));
        let reason = Reason::Stale { days: 64, expected: 66.0 / 92.0, actual: 0.20 };
        let r = silence(&reason, Some(last)).expect("a silent goal is a risk");
        assert_eq!(r, Risk::Silent { days: 64, expected: 66.0 / 92.0, actual: 0.20, last: Some(last) });
        assert_eq!(r.actions(), &[Action::CheckInConversation, Action::Replan, Action::Retarget]);
        // Behind pace but heard from, done, or not started: no silence.
        assert_eq!(silence(&Reason::Pace { expected: 0.7, actual: 0.2 }, Some(last)), None);
        assert_eq!(silence(&Reason::Done, None), None);
        assert_eq!(silence(&Reason::NotStarted, None), None);
    }

    #[test]
    fn issue21_sample_weeks_run_monday_to_sunday_from_the_first_day_looked_at() {
        // From Wednesday 4 November to Tuesday 17 November 2026: the first week is cut at the
        // Wednesday, the last runs to its Sunday.
        assert_eq!(
            sample_weeks(d(11, 4), d(11, 17)),
            vec![(d(11, 4), d(11, 8)), (d(11, 9), d(11, 15)), (d(11, 16), d(11, 22))]
        );
    }

    #[test]
    fn issue21_the_sample_finds_the_same_risks_with_a_bounded_evidence() {
        // Five check-ins a day for six weeks, progress flat for the last three weeks, confidence
        // falling at the very end.
        let mut t = Vec::new();
        for day in 0..42u64 {
            let on = d(10, 19) + chrono::Days::new(day);
            for k in 0..5 {
                let progress = if day < 21 { day as f64 * 0.01 } else { 0.2 };
                let confidence = if day == 41 && k == 4 {
                    Some(AtRisk)
                } else if k == 2 {
                    Some(OnTrack)
                } else {
                    None
                };
                t.push(CheckIn { on, progress, confidence });
            }
        }
        let today = d(11, 29);
        let rules = Rules::default();
        let s = sample(&t, today, &rules);
        assert!(s.len() <= 12, "{} points", s.len());
        let kinds = |r: &[Risk]| r.iter().map(std::mem::discriminant).collect::<Vec<_>>();
        let (all, few) = (risks(&t, today, end(), &rules), risks(&s, today, end(), &rules));
        assert_eq!(kinds(&all), kinds(&few));
        assert_eq!(all.len(), 3, "stall, projected short and falling confidence: {all:?}");
        // Sampling a sample changes nothing: the check-in and the sweep show the same evidence.
        assert_eq!(sample(&s, today, &rules), s);
    }
}
