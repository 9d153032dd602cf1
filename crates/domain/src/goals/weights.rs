//! Weights of key results within a goal, and of supporting links within a parent (SPEC G-2,
//! G-5, G-14). People enter percentages; some may be left blank.

use serde::Serialize;

/// One entered weight: `None` when left blank; archived items take no share.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weighted {
    pub percent: Option<f64>,
    pub archived: bool,
}

/// A weight must be a percentage.
pub fn check_weight(percent: f64) -> Result<(), &'static str> {
    if percent.is_finite() && (0.0..=100.0).contains(&percent) { Ok(()) } else { Err("weight_out_of_range") }
}

/// The weights as they count, in percent: blanks share what the entered weights leave of
/// 100 % equally (nothing when they leave nothing); archived items count 0. Equal shares when
/// nothing is entered.
pub fn effective_percents(items: &[Weighted]) -> Vec<f64> {
    let live = items.iter().filter(|w| !w.archived);
    let entered: f64 = live.clone().filter_map(|w| w.percent).sum();
    let blanks = live.filter(|w| w.percent.is_none()).count();
    let blank_share = if blanks == 0 { 0.0 } else { ((100.0 - entered).max(0.0)) / blanks as f64 };
    items
        .iter()
        .map(|w| match (w.archived, w.percent) {
            (true, _) => 0.0,
            (false, Some(p)) => p,
            (false, None) => blank_share,
        })
        .collect()
}

/// Shares summing to 1 over the live items. When every live weight is zero, the live items
/// share equally, so a set of zeros never silences a goal (the weight check still flags it).
pub fn normalized(items: &[Weighted]) -> Vec<f64> {
    let eff = effective_percents(items);
    let total: f64 = eff.iter().sum();
    if total > 0.0 {
        return eff.iter().map(|p| p / total).collect();
    }
    let live = items.iter().filter(|w| !w.archived).count();
    items.iter().map(|w| if w.archived || live == 0 { 0.0 } else { 1.0 / live as f64 }).collect()
}

/// What the page shows about a set of weights (G-2).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WeightSum {
    /// The effective weights of the live items, added up, in percent.
    pub total: f64,
    pub sums_to_100: bool,
}

pub fn weight_sum(items: &[Weighted]) -> WeightSum {
    let total: f64 = effective_percents(items).iter().sum();
    WeightSum { total, sums_to_100: (total - 100.0).abs() < 0.005 || items.iter().all(|w| w.archived) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(p: Option<f64>) -> Weighted {
        Weighted { percent: p, archived: false }
    }

    #[test]
    fn g2_equal_by_default_and_normalized_over_live_items() {
        assert_eq!(normalized(&[w(None), w(None), w(None), w(None)]), vec![0.25; 4]);
        // The archived one drops out: the other two share equally.
        let archived = Weighted { percent: None, archived: true };
        assert_eq!(normalized(&[w(None), archived, w(None)]), vec![0.5, 0.0, 0.5]);
        // 60/20/20 with the 20 archived: 60/80 and 20/80.
        let set = [w(Some(60.0)), Weighted { percent: Some(20.0), archived: true }, w(Some(20.0))];
        assert_eq!(normalized(&set), vec![0.75, 0.0, 0.25]);
        assert!(!weight_sum(&set).sums_to_100);
        assert_eq!(weight_sum(&set).total, 80.0);
    }

    #[test]
    fn g2_blanks_share_the_rest() {
        assert_eq!(effective_percents(&[w(Some(50.0)), w(None), w(None)]), vec![50.0, 25.0, 25.0]);
        assert!(weight_sum(&[w(Some(50.0)), w(None), w(None)]).sums_to_100);
        // Entered weights already over 100: blanks get nothing and the sum is flagged.
        let over = [w(Some(70.0)), w(Some(50.0)), w(None)];
        assert_eq!(effective_percents(&over), vec![70.0, 50.0, 0.0]);
        assert_eq!(weight_sum(&over), WeightSum { total: 120.0, sums_to_100: false });
        assert_eq!(normalized(&over), vec![70.0 / 120.0, 50.0 / 120.0, 0.0]);
    }

    #[test]
    fn g14_zero_weights() {
        // One zero weight contributes nothing.
        assert_eq!(normalized(&[w(Some(0.0)), w(Some(100.0))]), vec![0.0, 1.0]);
        // All zeros: equal shares, and the page says the set does not sum to 100 %.
        assert_eq!(normalized(&[w(Some(0.0)), w(Some(0.0))]), vec![0.5, 0.5]);
        assert!(!weight_sum(&[w(Some(0.0)), w(Some(0.0))]).sums_to_100);
        assert_eq!(check_weight(100.5), Err("weight_out_of_range"));
        assert_eq!(check_weight(-1.0), Err("weight_out_of_range"));
        assert_eq!(check_weight(f64::NAN), Err("weight_out_of_range"));
        assert_eq!(check_weight(0.0), Ok(()));
    }
}
