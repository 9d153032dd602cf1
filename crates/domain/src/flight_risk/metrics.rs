//! How good a risk score is (issue 26, item 3): how well it ranks leavers above stayers
//! (ROC-AUC), how well its top holds leavers when leavers are few (PR-AUC, as average
//! precision), and whether its probabilities mean what they say (Brier score, calibration
//! table). Each over (probability, left) pairs.

/// The area under the ROC curve: the chance that a random leaver scores above a random stayer,
/// ties counting half (the Mann–Whitney statistic). None without both classes.
pub fn roc_auc(scored: &[(f64, bool)]) -> Option<f64> {
    let positives = scored.iter().filter(|(_, y)| *y).count();
    let negatives = scored.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Sum of the leavers' ranks (1-based, ties given their average rank).
    let mut rank_sum = 0.0;
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            j += 1;
        }
        let average_rank = (i + 1 + j) as f64 / 2.0;
        rank_sum += average_rank * sorted[i..j].iter().filter(|(_, y)| *y).count() as f64;
        i = j;
    }
    let (p, n) = (positives as f64, negatives as f64);
    Some((rank_sum - p * (p + 1.0) / 2.0) / (p * n))
}

/// The area under the precision–recall curve as average precision: over the thresholds from
/// the highest score down, the precision at each step weighted by the recall it adds (people
/// with one score form one step). None without a leaver.
pub fn pr_auc(scored: &[(f64, bool)]) -> Option<f64> {
    let positives = scored.iter().filter(|(_, y)| *y).count();
    if positives == 0 {
        return None;
    }
    let mut sorted: Vec<(f64, bool)> = scored.to_vec();
    sorted.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (mut true_pos, mut seen, mut area, mut last_recall) = (0usize, 0usize, 0.0, 0.0);
    let mut i = 0;
    while i < sorted.len() {
        let mut j = i;
        while j < sorted.len() && sorted[j].0 == sorted[i].0 {
            true_pos += usize::from(sorted[j].1);
            j += 1;
        }
        seen = j;
        let recall = true_pos as f64 / positives as f64;
        area += (recall - last_recall) * (true_pos as f64 / seen as f64);
        last_recall = recall;
        i = j;
    }
    debug_assert_eq!(seen, sorted.len());
    Some(area)
}

/// The mean squared distance between the probability and what happened (0 perfect; always
/// saying the base rate b scores b(1 − b)). None for no people.
pub fn brier(scored: &[(f64, bool)]) -> Option<f64> {
    if scored.is_empty() {
        return None;
    }
    let sum: f64 = scored.iter().map(|(p, y)| (p - f64::from(u8::from(*y))).powi(2)).sum();
    Some(sum / scored.len() as f64)
}

/// One row of a calibration table: the people whose probability fell in [from, to), how many,
/// the mean probability said and the share who left.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CalibrationBin {
    pub from: f64,
    pub to: f64,
    pub people: usize,
    pub mean_predicted: f64,
    pub share_left: f64,
}

/// Probabilities in `bins` equal bands of [0, 1] (the last closed), empty bands left out.
pub fn calibration(scored: &[(f64, bool)], bins: usize) -> Vec<CalibrationBin> {
    let bins = bins.max(1);
    let mut sums = vec![(0usize, 0.0, 0usize); bins];
    for (p, y) in scored {
        let b = ((p.clamp(0.0, 1.0) * bins as f64) as usize).min(bins - 1);
        sums[b].0 += 1;
        sums[b].1 += p;
        sums[b].2 += usize::from(*y);
    }
    sums.iter()
        .enumerate()
        .filter(|(_, (n, _, _))| *n > 0)
        .map(|(b, (n, said, left))| CalibrationBin {
            from: b as f64 / bins as f64,
            to: (b + 1) as f64 / bins as f64,
            people: *n,
            mean_predicted: said / *n as f64,
            share_left: *left as f64 / *n as f64,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-12, "{a} ≠ {b}");
    }

    #[test]
    fn i4_roc_auc_counts_pairs_ranked_right_and_ties_as_half() {
        // Leavers 0.9, 0.4; stayers 0.8, 0.4, 0.1. Pairs (leaver, stayer): 0.9 beats all three
        // (3); 0.4 loses to 0.8, ties 0.4 (½), beats 0.1 (1). 4.5 of 6 = 0.75.
        let s = [(0.9, true), (0.4, true), (0.8, false), (0.4, false), (0.1, false)];
        close(roc_auc(&s).unwrap(), 0.75);
        close(roc_auc(&[(0.2, true), (0.1, false)]).unwrap(), 1.0);
        close(roc_auc(&[(0.1, true), (0.2, false)]).unwrap(), 0.0);
        assert_eq!(roc_auc(&[(0.1, true), (0.2, true)]), None, "one class only");
    }

    #[test]
    fn i4_average_precision_weights_each_step_by_the_recall_it_adds() {
        // Scores high to low: 0.9 leaver (P 1/1, R ½), 0.8 stayer, 0.7 leaver (P 2/3, R 1).
        // AP = ½ × 1 + ½ × ⅔ = ⅚.
        let s = [(0.9, true), (0.8, false), (0.7, true), (0.1, false)];
        close(pr_auc(&s).unwrap(), 5.0 / 6.0);
        // A tie of a leaver and a stayer at the top is one step: P ½ for all the recall.
        close(pr_auc(&[(0.5, true), (0.5, false)]).unwrap(), 0.5);
        assert_eq!(pr_auc(&[(0.5, false)]), None);
    }

    #[test]
    fn i4_brier_is_the_mean_squared_miss() {
        // (0.9 − 1)² + (0.2 − 0)² + (0.5 − 1)² = 0.01 + 0.04 + 0.25 = 0.30, over 3 = 0.1.
        close(brier(&[(0.9, true), (0.2, false), (0.5, true)]).unwrap(), 0.1);
        assert_eq!(brier(&[]), None);
    }

    #[test]
    fn i4_calibration_bands_hold_what_was_said_and_what_happened() {
        let s = [(0.05, false), (0.15, false), (0.12, true), (0.95, true), (1.0, true)];
        let t = calibration(&s, 10);
        assert_eq!(t.len(), 3);
        assert_eq!((t[0].people, t[0].share_left), (1, 0.0));
        assert_eq!(t[1].people, 2);
        close(t[1].mean_predicted, 0.135);
        close(t[1].share_left, 0.5);
        assert_eq!((t[2].from, t[2].people, t[2].share_left), (0.9, 2, 1.0), "1.0 falls in the last band");
    }
}
