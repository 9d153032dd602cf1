//! What the signal rules read about one person, and the windows of time they read it over.

use std::collections::HashMap;

use chrono::{Datelike, Duration, NaiveDate};

use uuid::Uuid;

use crate::coach::Flag;
use crate::feedback::Kind;

/// The time windows of one computation, all ending today.
#[derive(Debug, Clone, Copy)]
pub struct Windows {
    pub today: NaiveDate,
}

/// Weeks of check-ins compared: the recent ones against as many before them.
const CHECK_IN_WEEKS: u32 = 6;
/// Days of 1:1s read.
const ONE_ON_ONE_DAYS: i64 = 90;
/// Days of each of the two feedback windows (recent, and the one before it).
const FEEDBACK_DAYS: i64 = 90;
/// Days of completed learning read.
const LEARNING_DAYS: i64 = 180;
/// Days back a change of manager is read.
const MANAGER_CHANGE_DAYS: i64 = 90;
/// Complete weeks of attendance read for overtime (the recent ones, and as many before).
const WORK_WEEKS: u32 = 12;
/// Complete weeks of attendance read for leave taken: half a year.
const LEAVE_WEEKS: u32 = 26;

impl Windows {
    pub fn new(today: NaiveDate) -> Self {
        Windows { today }
    }
    pub fn check_in_weeks(&self) -> u32 {
        CHECK_IN_WEEKS
    }
    /// The first day of the recent check-in weeks (check-ins on or after it are recent).
    pub fn check_ins_recent_from(&self) -> NaiveDate {
        self.today - Duration::days(7 * i64::from(CHECK_IN_WEEKS))
    }
    /// The first day of the check-in weeks before the recent ones.
    pub fn check_ins_earlier_from(&self) -> NaiveDate {
        self.today - Duration::days(14 * i64::from(CHECK_IN_WEEKS))
    }
    pub fn one_on_ones_from(&self) -> NaiveDate {
        self.today - Duration::days(ONE_ON_ONE_DAYS)
    }
    /// The first day of the recent feedback window.
    pub fn feedback_recent_from(&self) -> NaiveDate {
        self.today - Duration::days(FEEDBACK_DAYS)
    }
    /// The first day of the feedback window before it.
    pub fn feedback_earlier_from(&self) -> NaiveDate {
        self.today - Duration::days(2 * FEEDBACK_DAYS)
    }
    pub fn learning_from(&self) -> NaiveDate {
        self.today - Duration::days(LEARNING_DAYS)
    }
    /// The first day a change of manager counts from.
    pub fn manager_change_from(&self) -> NaiveDate {
        self.today - Duration::days(MANAGER_CHANGE_DAYS)
    }
    pub fn work_weeks(&self) -> u32 {
        WORK_WEEKS
    }
    pub fn leave_weeks(&self) -> u32 {
        LEAVE_WEEKS
    }
    /// The Monday of this week: attendance weeks before it are complete, this one is not yet.
    pub fn work_until(&self) -> NaiveDate {
        crate::calendar::week_start(self.today)
    }
    /// The first Monday of the recent attendance weeks.
    pub fn work_recent_from(&self) -> NaiveDate {
        self.work_until() - Duration::days(7 * i64::from(WORK_WEEKS))
    }
    /// The first Monday of the attendance weeks before the recent ones.
    pub fn work_earlier_from(&self) -> NaiveDate {
        self.work_until() - Duration::days(14 * i64::from(WORK_WEEKS))
    }
    /// The first Monday of the weeks read for leave taken.
    pub fn leave_from(&self) -> NaiveDate {
        self.work_until() - Duration::days(7 * i64::from(LEAVE_WEEKS))
    }
}

/// A released review result: its cycle's name, when it was released, the score (0–10 000).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Released {
    pub cycle: String,
    pub on: NaiveDate,
    pub score_bp: i32,
}

/// Feedback received in one window: in all, how much was harsh or labelled the person (the
/// coach's reading), how much recognized what went well.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FeedbackTally {
    pub total: u32,
    pub critical: u32,
    pub recognition: u32,
}

/// Attendance weeks of one window: how many are recorded, how many of them ran over
/// [`super::OVERTIME_TENTHS`], and the hours worked and days of leave taken in all (tenths).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkTally {
    pub weeks: u32,
    pub over: u32,
    pub hours_tenths: u32,
    pub leave_tenths: u32,
}

impl WorkTally {
    /// The average week's hours, in tenths; none without weeks.
    pub fn average_tenths(&self) -> Option<u32> {
        (self.weeks > 0).then(|| (self.hours_tenths + self.weeks / 2) / self.weeks)
    }
}

/// A person's recorded attendance: the recent complete weeks, as many before them, and the
/// half year read for leave. All empty where no attendance is recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkFacts {
    pub recent: WorkTally,
    pub earlier: WorkTally,
    pub leave: WorkTally,
}

/// Everything the rules read about one person.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PersonFacts {
    /// Released results, oldest first.
    pub released: Vec<Released>,
    /// Check-ins the person wrote in the recent weeks, and in as many weeks before.
    pub check_ins_recent: u32,
    pub check_ins_earlier: u32,
    /// Their 1:1s in the window that were held and that were cancelled.
    pub one_on_ones_held: u32,
    pub one_on_ones_cancelled: u32,
    pub feedback_recent: FeedbackTally,
    pub feedback_earlier: FeedbackTally,
    pub level: Option<String>,
    pub hired: Option<NaiveDate>,
    /// Since when the person has been at their level: their last approved promotion, else hiring.
    pub at_level_since: Option<NaiveDate>,
    /// The median months at the level of the people at the same level, and how many they are.
    pub peer_median_months: Option<(u32, u32)>,
    /// The latest potential assessment: its level (0 low … 2 high) and date.
    pub potential: Option<(i32, NaiveDate)>,
    /// Development actions completed in the learning window.
    pub learning_done: u32,
    /// Attendance weeks, where the organization records them.
    pub work: WorkFacts,
    /// The day their manager last changed, if within the window.
    pub manager_changed: Option<NaiveDate>,
}

/// What the store read for one computation, organization-wide, as rows; [`gather`] makes each
/// person's facts of them.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// Every current person: id, level, hiring date.
    pub people: Vec<(Uuid, Option<String>, NaiveDate)>,
    /// The date of each approved promotion.
    pub promotions: Vec<(Uuid, NaiveDate)>,
    /// Released results, in any order.
    pub released: Vec<(Uuid, Released)>,
    /// Each person's own check-ins: in the recent weeks, in the weeks before.
    pub check_ins: Vec<(Uuid, u32, u32)>,
    /// Each person's 1:1s in the window: held, cancelled.
    pub one_on_ones: Vec<(Uuid, u32, u32)>,
    /// Feedback received in both windows: recipient, its kind, its text, its date.
    pub feedback: Vec<(Uuid, Kind, String, NaiveDate)>,
    /// Potential assessments: person, level, date (any order; the latest counts).
    pub potential: Vec<(Uuid, i32, NaiveDate)>,
    /// Development actions completed in the learning window, per person.
    pub learning: Vec<(Uuid, u32)>,
    /// Attendance, per person who has weeks recorded in the windows.
    pub work: Vec<(Uuid, WorkFacts)>,
    /// Changes of manager in the window: person, day (any order; the latest counts).
    pub manager_changes: Vec<(Uuid, NaiveDate)>,
}

/// Each current person's facts. Someone no longer current is left out whatever their rows.
pub fn gather(inputs: Inputs, w: &Windows) -> HashMap<Uuid, PersonFacts> {
    let mut promoted: HashMap<Uuid, NaiveDate> = HashMap::new();
    for (id, on) in inputs.promotions {
        let last = promoted.entry(id).or_insert(on);
        *last = (*last).max(on);
    }
    let mut out: HashMap<Uuid, PersonFacts> = HashMap::with_capacity(inputs.people.len());
    for (id, level, hired) in &inputs.people {
        let since = promoted.get(id).copied().unwrap_or(*hired).max(*hired);
        out.insert(
            *id,
            PersonFacts {
                level: level.clone(),
                hired: Some(*hired),
                at_level_since: Some(since),
                ..PersonFacts::default()
            },
        );
    }
    let medians = peer_medians(out.values().filter_map(|f| Some((f.level.as_deref()?, f.at_level_since?))), w.today);
    for f in out.values_mut() {
        f.peer_median_months = f.level.as_ref().and_then(|l| medians.get(l).copied());
    }
    for (id, r) in inputs.released {
        if let Some(f) = out.get_mut(&id) {
            f.released.push(r);
        }
    }
    for f in out.values_mut() {
        f.released.sort_by(|a, b| a.on.cmp(&b.on).then_with(|| a.cycle.cmp(&b.cycle)));
    }
    for (id, recent, earlier) in inputs.check_ins {
        if let Some(f) = out.get_mut(&id) {
            (f.check_ins_recent, f.check_ins_earlier) = (recent, earlier);
        }
    }
    for (id, held, cancelled) in inputs.one_on_ones {
        if let Some(f) = out.get_mut(&id) {
            (f.one_on_ones_held, f.one_on_ones_cancelled) = (held, cancelled);
        }
    }
    let recent_from = w.feedback_recent_from();
    for (id, kind, text, on) in inputs.feedback {
        let Some(f) = out.get_mut(&id) else { continue };
        let tally = if on >= recent_from { &mut f.feedback_recent } else { &mut f.feedback_earlier };
        tally.total += 1;
        match kind {
            Kind::Recognition => tally.recognition += 1,
            Kind::Improvement => tally.critical += u32::from(is_critical(&text)),
        }
    }
    for (id, level, on) in inputs.potential {
        if let Some(f) = out.get_mut(&id)
            && f.potential.is_none_or(|(_, last)| on >= last)
        {
            f.potential = Some((level, on));
        }
    }
    for (id, done) in inputs.learning {
        if let Some(f) = out.get_mut(&id) {
            f.learning_done = done;
        }
    }
    for (id, work) in inputs.work {
        if let Some(f) = out.get_mut(&id) {
            f.work = work;
        }
    }
    for (id, on) in inputs.manager_changes {
        if let Some(f) = out.get_mut(&id)
            && f.manager_changed.is_none_or(|last| on > last)
        {
            f.manager_changed = Some(on);
        }
    }
    out
}

/// Whether a piece of feedback reads as critical of the person: the coach finds harsh wording
/// or a label on them (not a request to change something: that is improvement feedback).
pub fn is_critical(text: &str) -> bool {
    crate::coach::advise(text).hints.iter().any(|h| matches!(h.flag, Flag::Harsh | Flag::Label))
}

/// Whole months from `from` to `to` (a month counts once its day of the month is reached).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    let months = if to.day() < from.day() { months - 1 } else { months };
    months.max(0) as u32
}

/// For each level, the median months at it of the people at it (the lower middle for an even
/// count) and how many they are: `(level, since)` for every current person with a level.
pub fn peer_medians<'a>(
    people: impl IntoIterator<Item = (&'a str, NaiveDate)>,
    today: NaiveDate,
) -> HashMap<String, (u32, u32)> {
    let mut by_level: HashMap<&str, Vec<u32>> = HashMap::new();
    for (level, since) in people {
        by_level.entry(level).or_default().push(months_between(since, today));
    }
    by_level
        .into_iter()
        .map(|(level, mut months)| {
            months.sort_unstable();
            let median = months[(months.len() - 1) / 2];
            (level.to_string(), (median, months.len() as u32))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn i4_months_count_once_the_day_is_reached() {
        assert_eq!(months_between(d("2026-01-31"), d("2026-02-28")), 0);
        assert_eq!(months_between(d("2026-01-15"), d("2026-02-15")), 1);
        assert_eq!(months_between(d("2023-03-01"), d("2026-12-07")), 45);
        assert_eq!(months_between(d("2026-12-07"), d("2026-01-01")), 0, "a date ahead is no time");
    }

    #[test]
    fn i4_peer_median_is_the_lower_middle() {
        // P5: 10, 20, 30, 40 months → the lower middle, 20; P6: one person, 5.
        let today = d("2026-12-07");
        let people = [
            ("P5", d("2026-02-07")),
            ("P5", d("2025-04-07")),
            ("P5", d("2024-06-07")),
            ("P5", d("2023-08-07")),
            ("P6", d("2026-07-07")),
        ];
        let m = peer_medians(people, today);
        assert_eq!(m["P5"], (20, 4));
        assert_eq!(m["P6"], (5, 1));
    }

    #[test]
    fn i4_gather_reads_each_persons_rows() {
        // Ann (P5, hired 2020-01-10, promoted 2024-03-01 and 2022-05-01 — the later counts) and
        // five more P5 people hired 2025-12-07 (12 months); Bo has left (not in `people`).
        let (ann, bo) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let today = d("2026-12-07");
        let mut people = vec![(ann, Some("P5".to_string()), d("2020-01-10"))];
        people.extend((10..15).map(|i| (Uuid::from_u128(i), Some("P5".to_string()), d("2025-12-07"))));
        let inputs = Inputs {
            people,
            promotions: vec![(ann, d("2024-03-01")), (ann, d("2022-05-01"))],
            released: vec![
                (ann, Released { cycle: "B".into(), on: d("2026-07-20"), score_bp: 6_000 }),
                (ann, Released { cycle: "A".into(), on: d("2026-01-20"), score_bp: 7_500 }),
                (bo, Released { cycle: "A".into(), on: d("2026-01-20"), score_bp: 9_000 }),
            ],
            check_ins: vec![(ann, 2, 8)],
            one_on_ones: vec![(ann, 1, 3)],
            feedback: vec![
                (ann, Kind::Improvement, "你总是一塌糊涂".into(), d("2026-11-01")),
                (ann, Kind::Improvement, "下次评审前请先对齐数据口径。".into(), d("2026-11-02")),
                (ann, Kind::Recognition, "周二的演示很清楚。".into(), d("2026-07-01")),
            ],
            potential: vec![(ann, 2, d("2026-07-25")), (ann, 1, d("2026-01-25"))],
            learning: vec![(ann, 2), (bo, 5)],
            manager_changes: vec![(ann, d("2026-10-01")), (ann, d("2026-11-02")), (bo, d("2026-11-03"))],
            work: vec![(
                ann,
                WorkFacts {
                    recent: WorkTally { weeks: 2, over: 1, hours_tenths: 1000, leave_tenths: 0 },
                    ..WorkFacts::default()
                },
            )],
        };
        let all = gather(inputs, &Windows::new(today));
        assert_eq!(all.len(), 6);
        assert!(!all.contains_key(&bo));
        let f = &all[&ann];
        assert_eq!(f.at_level_since, Some(d("2024-03-01")));
        // Months at P5: Ann 33, five others 12 → sorted [12,12,12,12,12,33], lower middle 12.
        assert_eq!(f.peer_median_months, Some((12, 6)));
        assert_eq!(f.released.iter().map(|r| r.score_bp).collect::<Vec<_>>(), [7_500, 6_000]);
        assert_eq!((f.check_ins_recent, f.check_ins_earlier), (2, 8));
        assert_eq!((f.one_on_ones_held, f.one_on_ones_cancelled), (1, 3));
        assert_eq!(f.feedback_recent, FeedbackTally { total: 2, critical: 1, recognition: 0 });
        assert_eq!(f.feedback_earlier, FeedbackTally { total: 1, critical: 0, recognition: 1 });
        assert_eq!(f.potential, Some((2, d("2026-07-25"))));
        assert_eq!(f.learning_done, 2);
        assert_eq!(f.work.recent.average_tenths(), Some(500));
        assert_eq!(f.manager_changed, Some(d("2026-11-02")), "the latest change");
    }

    #[test]
    fn i4_critical_feedback_is_harsh_or_labels_the_person() {
        assert!(is_critical("你总是一塌糊涂，太不靠谱了"));
        assert!(is_critical("You are lazy and always late."));
        assert!(!is_critical("周二评审会上你提前准备了数据，客户当场确认了方案。"));
    }
}
