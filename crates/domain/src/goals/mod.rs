//! Goals and alignment (SPEC §2): measures and their scores (G-1, G-14), weights (G-2), the
//! roll-up through the alignment graph (G-5), and the checks people see while planning
//! (focus, G-9).

pub mod balance;
pub mod combos;
pub mod library;
pub mod measure;
pub mod period;
pub mod rollup;
pub mod weights;
pub mod workflow;

/// More key goals than this in one period is a warning (G-9: 5–7 recommended).
pub const FOCUS_LIMIT: usize = 7;

/// The focus warning for a person's key goals in a period, if any.
pub fn focus_warning(key_goals: usize) -> Option<usize> {
    (key_goals > FOCUS_LIMIT).then_some(key_goals)
}

#[cfg(test)]
mod tests {
    #[test]
    fn g9_more_than_seven_key_goals_is_a_warning() {
        assert_eq!(super::focus_warning(7), None);
        assert_eq!(super::focus_warning(8), Some(8));
    }
}
