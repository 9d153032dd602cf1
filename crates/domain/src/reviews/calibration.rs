//! Calibration statistics (V-4): the session's distribution against the guideline, each
//! manager's leniency or severity against the other managers, and the outlying scores.
//!
//! Leniency: a manager's ratings are compared with the ratings the session's other managers
//! gave, by Welch's t-test (two unequal, small groups, unequal spreads) and Hedges' g (the size
//! of the difference in pooled standard deviations, corrected for small groups). A manager is
//! flagged when the difference is both significant after a Holm–Bonferroni correction for the
//! number of managers tested, and at least moderate (|g| ≥ 0.5). Flagging goes one manager at a
//! time, the clearest first, and a flagged manager leaves the baseline of the others: otherwise
//! one very lenient manager makes everyone else look severe.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

use super::grades::GradeBands;

/// Fewer ratings than this (on either side) are shown but not tested.
pub const MIN_GROUP: usize = 3;
pub const ALPHA: f64 = 0.05;
pub const MIN_EFFECT: f64 = 0.5;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct GradeCount {
    pub code: String,
    pub count: usize,
    /// Share of the session in percent.
    pub share: f64,
    pub guideline: u32,
    /// How many the guideline would put here (rounded).
    pub expected: usize,
    /// count − expected.
    pub delta: i64,
}

/// The session's grades against the guideline. `grades` are band indexes.
pub fn distribution(bands: &GradeBands, grades: &[usize]) -> Vec<GradeCount> {
    let n = grades.len();
    bands
        .bands
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let count = grades.iter().filter(|g| **g == i).count();
            let expected = (n as f64 * b.guideline as f64 / 100.0).round() as usize;
            GradeCount {
                code: b.code.clone(),
                count,
                share: if n == 0 { 0.0 } else { (count as f64 * 1000.0 / n as f64).round() / 10.0 },
                guideline: b.guideline,
                expected,
                delta: count as i64 - expected as i64,
            }
        })
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Lenient,
    Severe,
    InLine,
    /// Too few ratings on one side to test.
    TooFew,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct ManagerStat {
    /// The caller's index of the manager.
    pub manager: u32,
    pub n: usize,
    pub mean: f64,
    pub sd: f64,
    /// The baseline: the other managers' ratings (less any flagged as lenient or severe).
    pub others_n: usize,
    pub others_mean: f64,
    pub others_sd: f64,
    /// mean − others_mean; 0 when there are no others to compare with (see `compared`).
    pub difference: f64,
    pub t: f64,
    pub df: f64,
    /// Two-sided p-value of Welch's test.
    pub p: f64,
    /// Hedges' g.
    pub effect: f64,
    pub verdict: Verdict,
}

impl ManagerStat {
    /// Whether there were other managers' ratings to compare with.
    pub fn compared(&self) -> bool {
        self.others_n > 0
    }

    /// The spread of the manager's ratings, where one is defined (two ratings or more).
    pub fn spread(&self) -> Option<f64> {
        (self.n > 1).then_some(self.sd)
    }

    /// The spread of the others' ratings, where one is defined.
    pub fn others_spread(&self) -> Option<f64> {
        (self.others_n > 1).then_some(self.others_sd)
    }
}

/// Each manager's ratings against the others'. `ratings` are (manager, score). Runs on sums per
/// manager, so a session of any size costs one pass over the ratings plus a little per manager
/// and flagging round.
pub fn leniency(ratings: &[(u32, f64)]) -> Vec<ManagerStat> {
    let mut sums: Vec<(u32, Sums)> = Vec::new();
    {
        let mut by: std::collections::HashMap<u32, Sums> = std::collections::HashMap::new();
        for (m, x) in ratings {
            by.entry(*m).or_default().add(*x);
        }
        sums.extend(by);
    }
    sums.sort_unstable_by_key(|(m, _)| *m);
    let total = sums.iter().fold(Sums::default(), |acc, (_, s)| acc.plus(s));
    let mut flagged: Vec<usize> = Vec::new();
    let baseline = |flagged: &[usize]| flagged.iter().fold(total, |acc, i| acc.minus(&sums[*i].1));
    loop {
        let base = baseline(&flagged);
        let candidates: Vec<(usize, ManagerStat)> = (0..sums.len())
            .filter(|i| !flagged.contains(i))
            .map(|i| (i, compare(sums[i].0, &sums[i].1, &base.minus(&sums[i].1))))
            .filter(|(_, s)| s.verdict != Verdict::TooFew)
            .collect();
        let k = candidates.len().max(1) as f64;
        let clearest = candidates
            .iter()
            .min_by(|a, b| a.1.p.total_cmp(&b.1.p).then(b.1.effect.abs().total_cmp(&a.1.effect.abs())));
        match clearest {
            Some((i, s)) if s.p < ALPHA / k && s.effect.abs() >= MIN_EFFECT => flagged.push(*i),
            _ => break,
        }
    }
    let base = baseline(&flagged);
    (0..sums.len())
        .map(|i| {
            let (m, mine) = &sums[i];
            // A flagged manager is compared with the unflagged others; the rest with the
            // unflagged others too (themselves left out).
            let others = if flagged.contains(&i) { base } else { base.minus(mine) };
            let mut s = compare(*m, mine, &others);
            s.verdict = match (flagged.contains(&i), s.verdict) {
                (_, Verdict::TooFew) => Verdict::TooFew,
                (true, _) if s.difference > 0.0 => Verdict::Lenient,
                (true, _) => Verdict::Severe,
                (false, _) => Verdict::InLine,
            };
            s
        })
        .collect()
}

/// Count, sum and sum of squares: enough for a mean and a variance.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    n: usize,
    sum: f64,
    sq: f64,
}

impl Sums {
    fn add(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
        self.sq += x * x;
    }
    fn plus(&self, o: &Sums) -> Sums {
        Sums { n: self.n + o.n, sum: self.sum + o.sum, sq: self.sq + o.sq }
    }
    fn minus(&self, o: &Sums) -> Sums {
        Sums { n: self.n.saturating_sub(o.n), sum: self.sum - o.sum, sq: self.sq - o.sq }
    }
    /// (n, mean, sample variance).
    fn moments(&self) -> (usize, f64, f64) {
        if self.n == 0 {
            return (0, 0.0, 0.0);
        }
        let mean = self.sum / self.n as f64;
        let var =
            if self.n < 2 { 0.0 } else { ((self.sq - self.n as f64 * mean * mean) / (self.n - 1) as f64).max(0.0) };
        (self.n, mean, var)
    }
}

/// Welch's test of one manager's ratings against the others'.
fn compare(manager: u32, mine: &Sums, others: &Sums) -> ManagerStat {
    let (n1, m1, v1) = mine.moments();
    let (n2, m2, v2) = others.moments();
    let mut s = ManagerStat {
        manager,
        n: n1,
        mean: round2(m1),
        sd: round2(v1.sqrt()),
        others_n: n2,
        others_mean: round2(m2),
        others_sd: round2(v2.sqrt()),
        // Against nobody there is no difference (m1 − 0 would rank a lone manager as lenient).
        difference: if n2 == 0 { 0.0 } else { round2(m1 - m2) },
        t: 0.0,
        df: 0.0,
        p: 1.0,
        effect: 0.0,
        verdict: Verdict::TooFew,
    };
    if n1 < MIN_GROUP || n2 < MIN_GROUP {
        return s;
    }
    let (a, b) = (v1 / n1 as f64, v2 / n2 as f64);
    let se = (a + b).sqrt();
    let diff = m1 - m2;
    // Below this the spreads are rounding noise: treat both groups as constant.
    if se < 1e-9 {
        s.p = if diff.abs() < 1e-9 { 1.0 } else { 0.0 };
        s.effect = if diff.abs() < 1e-9 { 0.0 } else { diff.signum() * f64::INFINITY };
    } else {
        let t = diff / se;
        let df = (a + b).powi(2) / (a * a / (n1 - 1) as f64 + b * b / (n2 - 1) as f64);
        let dist = StudentsT::new(0.0, 1.0, df).expect("degrees of freedom are positive");
        s.t = round2(t);
        s.df = round2(df);
        s.p = (2.0 * dist.sf(t.abs())).min(1.0);
        let pooled = (((n1 - 1) as f64 * v1 + (n2 - 1) as f64 * v2) / (n1 + n2 - 2) as f64).sqrt();
        let j = 1.0 - 3.0 / (4.0 * (n1 + n2) as f64 - 9.0);
        s.effect = if pooled < 1e-9 { diff.signum() * f64::INFINITY } else { round2(j * diff / pooled) };
    }
    s.verdict = Verdict::InLine;
    s
}

/// Tukey's fences: the scores below Q1 − 1.5·IQR or above Q3 + 1.5·IQR (quartiles by linear
/// interpolation). Returns (low fence, high fence); `None` under four scores.
pub fn fences(scores: &[f64]) -> Option<(f64, f64)> {
    if scores.len() < 4 {
        return None;
    }
    let mut s = scores.to_vec();
    s.sort_by(f64::total_cmp);
    let q = |p: f64| {
        let h = (s.len() - 1) as f64 * p;
        let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
        s[lo] + (h - lo as f64) * (s[hi] - s[lo])
    };
    let (q1, q3) = (q(0.25), q(0.75));
    let iqr = q3 - q1;
    Some((q1 - 1.5 * iqr, q3 + 1.5 * iqr))
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Vec<(u32, f64)> {
        let a = [92.0, 95.0, 90.0, 94.0, 93.0];
        let b = [70.0, 75.0, 68.0, 72.0, 74.0];
        let c = [71.0, 69.0, 76.0, 73.0, 70.0];
        a.iter().map(|s| (0, *s)).chain(b.iter().map(|s| (1, *s))).chain(c.iter().map(|s| (2, *s))).collect()
    }

    #[test]
    fn v4_one_clearly_lenient_manager_is_flagged_and_the_others_are_not() {
        let stats = leniency(&session());
        // A: mean 92.8, variance 14.8 / 4 = 3.7. The others (B and C): mean 71.8, variance
        // (32.8 + 30.8) / 9 = 7.067. se² = 3.7/5 + 7.067/10 = 1.4467, t = 21 / 1.2028 = 17.46,
        // df = 1.4467² / (0.74²/4 + 0.7067²/9) = 10.88; pooled sd = √((14.8 + 63.6) / 13) = 2.456,
        // g = (1 − 3/51) × 21 / 2.456 = 8.05.
        let a = &stats[0];
        assert_eq!((a.mean, a.others_mean, a.difference), (92.8, 71.8, 21.0));
        assert_eq!((a.t, a.df, a.effect), (17.46, 10.88, 8.05));
        assert!(a.p < 1e-6);
        assert_eq!(a.verdict, Verdict::Lenient);
        // B and C against each other once A has left the baseline: the same mean, in line. (Against
        // A and C together, B would have looked severe: t = −2.77, p ≈ 0.02.)
        assert_eq!(stats[1].others_mean, 71.8);
        assert_eq!(stats[1].difference, 0.0);
        assert_eq!((stats[1].verdict, stats[2].verdict), (Verdict::InLine, Verdict::InLine));
    }

    #[test]
    fn v4_a_manager_alone_is_compared_with_nobody() {
        // One manager, two ratings (60, 70): mean 65, sd √50 = 7.07; no others.
        let stats = leniency(&[(0, 60.0), (0, 70.0)]);
        let a = &stats[0];
        assert_eq!((a.n, a.mean, a.spread(), a.others_n), (2, 65.0, Some(7.07), 0));
        assert!(!a.compared());
        assert_eq!((a.difference, a.others_spread(), a.verdict), (0.0, None, Verdict::TooFew));
        // One rating has no spread.
        assert_eq!(leniency(&[(0, 60.0)])[0].spread(), None);
    }

    #[test]
    fn v4_a_severe_manager_is_flagged_as_severe() {
        let mut s = session();
        for r in s.iter_mut().filter(|(m, _)| *m == 0) {
            r.1 -= 40.0; // A now rates 50–55 while the others rate about 72.
        }
        let stats = leniency(&s);
        assert_eq!(stats[0].verdict, Verdict::Severe);
        assert_eq!((stats[1].verdict, stats[2].verdict), (Verdict::InLine, Verdict::InLine));
    }

    #[test]
    fn v4_small_groups_are_not_tested_and_noise_is_not_flagged() {
        let s = vec![(0, 90.0), (0, 95.0), (1, 70.0), (1, 72.0), (1, 74.0), (2, 71.0), (2, 73.0), (2, 75.0)];
        let stats = leniency(&s);
        assert_eq!(stats[0].verdict, Verdict::TooFew);
        assert_eq!(stats[0].n, 2);
        // A's two ratings still count in the others' baseline. B (mean 72, variance 4) against
        // A and C (mean 80.8, variance 119.2): se² = 4/3 + 119.2/5 = 25.17, t = −8.8 / 5.017 = −1.75.
        assert_eq!((stats[1].others_mean, stats[1].t), (80.8, -1.75));
        assert!(stats[1].p > 0.1, "{}", stats[1].p);
        assert_eq!((stats[1].verdict, stats[2].verdict), (Verdict::InLine, Verdict::InLine));
    }

    #[test]
    fn v4_distribution_against_the_guideline() {
        let bands = GradeBands::default();
        // 20 people: 4 S, 6 A, 8 B, 2 C, 0 D; the guideline expects 2, 4, 10, 3, 1.
        let grades: Vec<usize> = [0; 4].into_iter().chain([1; 6]).chain([2; 8]).chain([3; 2]).collect();
        let d = distribution(&bands, &grades);
        let rows: Vec<(usize, f64, usize, i64)> = d.iter().map(|g| (g.count, g.share, g.expected, g.delta)).collect();
        assert_eq!(rows, [(4, 20.0, 2, 2), (6, 30.0, 4, 2), (8, 40.0, 10, -2), (2, 10.0, 3, -1), (0, 0.0, 1, -1)]);
    }

    #[test]
    fn v4_outliers_by_tukey_fences() {
        // Sorted 60, 70, 72, 74, 76, 78, 99: Q1 = 71, Q3 = 77, IQR 6, fences 62 and 86.
        let (lo, hi) = fences(&[74.0, 99.0, 70.0, 72.0, 60.0, 76.0, 78.0]).unwrap();
        assert_eq!((lo, hi), (62.0, 86.0));
        assert_eq!(fences(&[1.0, 2.0, 3.0]), None);
    }
}
