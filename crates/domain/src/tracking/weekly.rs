//! The weekly report (T-2): done, blockers, next week — prefilled from the week's check-ins so
//! it takes minutes, not an evening — and the order a manager's team digest puts people in:
//! blockers first, then those with goals in trouble, then the rest.

use std::cmp::Ordering;

/// Longest text of each part, in characters.
pub const PART_MAX: usize = 4000;

/// One check-in of the week, as the prefill uses it (oldest first).
#[derive(Debug, Clone, PartialEq)]
pub struct WeekCheckIn {
    pub goal: String,
    /// The key result it was on, if any.
    pub key_result: Option<String>,
    /// The value it reached, with its unit ("95 万元", "60%", "完成").
    pub value: Option<String>,
    pub note: Option<String>,
    /// The owner said at risk or off track.
    pub worried: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Prefill {
    pub done: String,
    pub blockers: String,
    pub next_week: String,
}

/// The draft of a week's report: each check-in as a line of what was done, the worried ones
/// also as blockers, and next week the goals behind pace or not touched this week (`behind`,
/// in the order given). The person edits it; nothing is sent unless they submit.
pub fn prefill(check_ins: &[WeekCheckIn], behind: &[String]) -> Prefill {
    let mut done = Vec::new();
    let mut blockers = Vec::new();
    for c in check_ins {
        let mut line = format!("• {}", c.goal);
        if let Some(kr) = &c.key_result {
            line.push_str(" · ");
            line.push_str(kr);
        }
        if let Some(v) = &c.value {
            line.push_str(": ");
            line.push_str(v);
        }
        if let Some(n) = c.note.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            line.push_str(" — ");
            line.push_str(&n.replace('\n', " "));
        }
        if c.worried {
            blockers.push(line.clone());
        }
        done.push(line);
    }
    let mut next: Vec<String> = Vec::new();
    for g in behind {
        let line = format!("• {g}");
        if !next.contains(&line) {
            next.push(line);
        }
    }
    Prefill { done: clip(done), blockers: clip(blockers), next_week: clip(next) }
}

/// Joins lines, keeping whole lines within [`PART_MAX`].
fn clip(lines: Vec<String>) -> String {
    let mut out = String::new();
    for l in lines {
        let extra = l.chars().count() + usize::from(!out.is_empty());
        if out.chars().count() + extra > PART_MAX {
            break;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&l);
    }
    out
}

/// What the digest knows of one report's week.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Attention {
    /// Their report names blockers.
    pub blockers: bool,
    pub red: u32,
    pub yellow: u32,
    pub open_alerts: u32,
}

impl Attention {
    fn rank(&self) -> u8 {
        if self.blockers {
            0
        } else if self.red > 0 || self.open_alerts > 0 {
            1
        } else if self.yellow > 0 {
            2
        } else {
            3
        }
    }
}

/// Digest order: blockers first, then red goals or open alerts, then yellow, then the rest;
/// within a group the most red, then the most alerts and yellow, first.
pub fn digest_order(a: &Attention, b: &Attention) -> Ordering {
    a.rank()
        .cmp(&b.rank())
        .then(b.red.cmp(&a.red))
        .then(b.open_alerts.cmp(&a.open_alerts))
        .then(b.yellow.cmp(&a.yellow))
}

/// A manager's follow-up over a month (T-6): of the check-ins their direct reports made, how
/// many they reviewed; of the weekly reports submitted, how many they acknowledged; and how
/// many 1:1s they held (F-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FollowUp {
    pub check_ins: u32,
    pub reviewed: u32,
    pub reports: u32,
    pub acknowledged: u32,
    pub one_on_ones: u32,
}

impl FollowUp {
    /// The share followed up, 0–1; none when there was nothing to follow up.
    pub fn rate(&self) -> Option<f64> {
        let total = self.check_ins + self.reports;
        (total > 0).then(|| {
            f64::from(self.reviewed.min(self.check_ins) + self.acknowledged.min(self.reports)) / f64::from(total)
        })
    }

    pub fn add(&mut self, o: FollowUp) {
        self.check_ins += o.check_ins;
        self.reviewed += o.reviewed;
        self.reports += o.reports;
        self.acknowledged += o.acknowledged;
        self.one_on_ones += o.one_on_ones;
    }

    /// 1:1s held per direct report over the month; none without reports.
    pub fn one_on_ones_per_report(&self, reports: usize) -> Option<f64> {
        (reports > 0).then(|| f64::from(self.one_on_ones) / reports as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ci(goal: &str, kr: Option<&str>, value: Option<&str>, note: Option<&str>, worried: bool) -> WeekCheckIn {
        WeekCheckIn {
            goal: goal.into(),
            key_result: kr.map(Into::into),
            value: value.map(Into::into),
            note: note.map(Into::into),
            worried,
        }
    }

    #[test]
    fn t2_the_draft_comes_from_the_weeks_check_ins() {
        let week = [
            ci("华东区销售额", Some("新签合同额"), Some("95 万元"), Some("签下两家\n连锁门店"), false),
            ci("上线新版结算", None, None, Some("支付通道审批卡住"), true),
            ci("华东区销售额", Some("回款率"), Some("80%"), None, false),
        ];
        let p = prefill(&week, &["上线新版结算".into(), "客户满意度".into(), "上线新版结算".into()]);
        assert_eq!(
            p.done,
            "• 华东区销售额 · 新签合同额: 95 万元 — 签下两家 连锁门店\n• 上线新版结算 — 支付通道审批卡住\n• 华东区销售额 · 回款率: 80%"
        );
        assert_eq!(p.blockers, "• 上线新版结算 — 支付通道审批卡住");
        assert_eq!(p.next_week, "• 上线新版结算\n• 客户满意度");
        assert_eq!(prefill(&[], &[]), Prefill::default());
    }

    #[test]
    fn t2_a_long_week_is_cut_at_whole_lines() {
        let long = "长".repeat(1500);
        let week: Vec<WeekCheckIn> = (0..4).map(|_| ci(&long, None, None, None, false)).collect();
        let p = prefill(&week, &[]);
        // Two lines of 1 502 characters and a newline fit in 4 000; a third does not.
        assert_eq!(p.done.chars().count(), 1502 * 2 + 1);
    }

    #[test]
    fn t2_the_digest_puts_blockers_first_then_red() {
        let blocked = Attention { blockers: true, ..Default::default() };
        let red2 = Attention { red: 2, ..Default::default() };
        let red1_alert = Attention { red: 1, open_alerts: 1, ..Default::default() };
        let alert_only = Attention { open_alerts: 3, ..Default::default() };
        let yellow = Attention { yellow: 4, ..Default::default() };
        let calm = Attention::default();
        let mut v = [calm, yellow, alert_only, red1_alert, blocked, red2];
        v.sort_by(digest_order);
        assert_eq!(v, [blocked, red2, red1_alert, alert_only, yellow, calm]);
    }

    #[test]
    fn t6_follow_up_rate_counts_reviews_and_acknowledgements() {
        // 8 check-ins, 5 reviewed; 4 weekly reports, 3 acknowledged: 8 of 12.
        let f = FollowUp { check_ins: 8, reviewed: 5, reports: 4, acknowledged: 3, one_on_ones: 0 };
        assert_eq!(f.rate(), Some(8.0 / 12.0));
        assert_eq!(FollowUp::default().rate(), None);
        let mut sum = f;
        sum.add(FollowUp { check_ins: 2, reviewed: 2, reports: 0, acknowledged: 0, one_on_ones: 3 });
        assert_eq!(sum.rate(), Some(10.0 / 14.0));
        // F-1: 1:1s are counted beside the rate: 3 held with a team of 4 is 0.75 per report.
        assert_eq!(sum.one_on_ones_per_report(4), Some(0.75));
        assert_eq!(sum.one_on_ones_per_report(0), None);
    }
}
