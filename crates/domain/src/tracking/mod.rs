//! Progress tracking (SPEC §3): a goal's red/yellow/green status from pace and staleness (T-3)
//! and the risk rules over its check-in timeline (T-4). Everything takes "today" as an input,
//! so the rules are tested on hand-built timelines.

pub mod attachment;
pub mod checkin;
pub mod risk;
pub mod status;
pub mod weekly;

/// The nightly sweep's run of one day in the organization's calendar: when it finished and what
/// it did. The boards say their lights are as of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SweepRun {
    pub on_date: chrono::NaiveDate,
    pub finished_at: chrono::DateTime<chrono::Utc>,
    pub goals: u32,
    pub status_changes: u32,
    pub alerts_raised: u32,
    pub alerts_resolved: u32,
    pub elapsed_ms: u64,
}

/// The organization's tracking settings: status thresholds and risk rules.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Settings {
    pub thresholds: status::Thresholds,
    pub rules: risk::Rules,
}

/// A setting out of range: the field, a code and what would be accepted.
pub type SettingIssue = (&'static str, &'static str, String);

impl Settings {
    /// Settings that make sense: yellow comes before red, both within the goal; a goal can be
    /// stale after one day to a quarter; a stall takes 1–12 weeks; the pace window is 1–13 weeks.
    pub fn check(&self) -> Vec<SettingIssue> {
        let t = &self.thresholds;
        let r = &self.rules;
        let mut out = Vec::new();
        if !(t.yellow_behind > 0.0 && t.yellow_behind < 1.0) {
            out.push(("yellow_behind", "out_of_range", "must be more than 0 and less than 100 points".into()));
        }
        if !(t.red_behind > 0.0 && t.red_behind <= 1.0) {
            out.push(("red_behind", "out_of_range", "must be more than 0 and at most 100 points".into()));
        } else if t.red_behind <= t.yellow_behind {
            out.push(("red_behind", "not_after_yellow", "must be further behind than yellow".into()));
        }
        if !(1..=92).contains(&t.stale_days) {
            out.push(("stale_days", "out_of_range", "must be 1–92 days".into()));
        }
        if !(1..=12).contains(&r.stall_weeks) {
            out.push(("stall_weeks", "out_of_range", "must be 1–12 weeks".into()));
        }
        if !(7..=91).contains(&r.pace_window_days) {
            out.push(("pace_window_days", "out_of_range", "must be 7–91 days".into()));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t3_settings_that_make_no_sense_are_named() {
        assert!(Settings::default().check().is_empty());
        let mut s = Settings::default();
        s.thresholds.yellow_behind = 0.30; // red is 0.25
        s.thresholds.stale_days = 0;
        s.rules.stall_weeks = 13;
        let fields: Vec<&str> = s.check().iter().map(|i| i.0).collect();
        assert_eq!(fields, vec!["red_behind", "stale_days", "stall_weeks"]);
        s = Settings::default();
        s.thresholds.red_behind = f64::NAN;
        s.rules.pace_window_days = 3;
        let fields: Vec<&str> = s.check().iter().map(|i| i.0).collect();
        assert_eq!(fields, vec!["red_behind", "pace_window_days"]);
    }
}
