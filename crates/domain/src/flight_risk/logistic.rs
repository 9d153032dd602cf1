//! An L2-regularized logistic regression fitted by Newton's method (issue 26, item 3).
//!
//! Written here rather than taken from a crate: it is forty lines of arithmetic over a few
//! dozen features, and the crates that offer it bring a linear-algebra stack the rest of
//! Waymark does not need. Newton's method on this convex loss converges in a handful of steps;
//! each solves the Hessian system by Cholesky (the Hessian is positive definite: the penalty
//! adds λ to every diagonal entry but the intercept's, and the intercept's entry is the sum of
//! p(1 − p) over the people, positive whenever a probability is strictly inside (0, 1)).
//!
//! The objective is scikit-learn's: Σ log-loss + ‖w‖² / (2C), the intercept not penalized, so
//! that a C tuned there means the same here.

/// A fitted model: one weight per feature and an intercept, over the features as given.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Logistic {
    pub intercept: f64,
    pub weights: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    #[error("no rows to fit on")]
    Empty,
    #[error("rows of different lengths")]
    Ragged,
    #[error("only one class among the rows: nothing to tell apart")]
    OneClass,
    #[error("the regularization strength C must be a positive number")]
    BadC,
    #[error("the fit did not settle (a feature without variation dominates?)")]
    NoConvergence,
}

const MAX_STEPS: usize = 100;
const TOLERANCE: f64 = 1e-10;

impl Logistic {
    /// Fits on rows `x` (each the same length) with outcomes `y`, regularization strength `c`
    /// (smaller is stronger).
    pub fn fit(x: &[Vec<f64>], y: &[bool], c: f64) -> Result<Logistic, FitError> {
        let n = x.len();
        if n == 0 || n != y.len() {
            return Err(FitError::Empty);
        }
        let k = x[0].len();
        if x.iter().any(|r| r.len() != k) {
            return Err(FitError::Ragged);
        }
        let positives = y.iter().filter(|v| **v).count();
        if positives == 0 || positives == n {
            return Err(FitError::OneClass);
        }
        if !(c.is_finite() && c > 0.0) {
            return Err(FitError::BadC);
        }
        let lambda = 1.0 / c;
        // Parameters: [intercept, w_1 … w_k]; the intercept starts at the base rate's log-odds.
        let dim = k + 1;
        let base = positives as f64 / n as f64;
        let mut beta = vec![0.0; dim];
        beta[0] = (base / (1.0 - base)).ln();
        // Each row with a leading 1 for the intercept, once.
        let rows: Vec<Vec<f64>> = x
            .iter()
            .map(|r| {
                let mut v = Vec::with_capacity(dim);
                v.push(1.0);
                v.extend_from_slice(r);
                v
            })
            .collect();
        for _ in 0..MAX_STEPS {
            let mut grad = vec![0.0; dim];
            let mut hess = vec![0.0; dim * dim];
            for (row, outcome) in rows.iter().zip(y) {
                let p = sigmoid(dot(&beta, row));
                let residual = p - f64::from(u8::from(*outcome));
                let w = (p * (1.0 - p)).max(1e-12);
                for (a, xa) in row.iter().enumerate() {
                    // A one-hot row is mostly zeros: they add nothing.
                    if *xa == 0.0 {
                        continue;
                    }
                    grad[a] += residual * xa;
                    let wa = w * xa;
                    let lower = &mut hess[a * dim..a * dim + a + 1];
                    for (h, xb) in lower.iter_mut().zip(&row[..=a]) {
                        *h += wa * xb;
                    }
                }
            }
            for j in 1..dim {
                grad[j] += lambda * beta[j];
                hess[j * dim + j] += lambda;
            }
            for a in 0..dim {
                for b in 0..a {
                    hess[b * dim + a] = hess[a * dim + b];
                }
            }
            let step = solve_cholesky(&hess, &grad, dim).ok_or(FitError::NoConvergence)?;
            let mut moved = 0.0f64;
            for (b, s) in beta.iter_mut().zip(&step) {
                *b -= s;
                moved = moved.max(s.abs());
            }
            if moved < TOLERANCE * (1.0 + beta.iter().fold(0.0f64, |m, b| m.max(b.abs()))) {
                return Ok(Logistic { intercept: beta[0], weights: beta[1..].to_vec() });
            }
        }
        Err(FitError::NoConvergence)
    }

    /// The log-odds for one row: the intercept plus each feature's contribution.
    pub fn log_odds(&self, row: &[f64]) -> f64 {
        self.intercept + dot(&self.weights, row)
    }

    /// The probability of the outcome for one row.
    pub fn probability(&self, row: &[f64]) -> f64 {
        sigmoid(self.log_odds(row))
    }

    /// Each feature's part of the row's log-odds (weight × value); with the intercept they add
    /// up to `log_odds`.
    pub fn contributions(&self, row: &[f64]) -> Vec<f64> {
        self.weights.iter().zip(row).map(|(w, v)| w * v).collect()
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

/// Solves A x = b for a symmetric positive definite A (row-major, n × n); None if it is not.
fn solve_cholesky(a: &[f64], b: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i * n + k] * l[j * n + k]).sum();
            if i == j {
                let d = a[i * n + i] - s;
                if !(d > 0.0 && d.is_finite()) {
                    return None;
                }
                l[i * n + i] = d.sqrt();
            } else {
                l[i * n + j] = (a[i * n + j] - s) / l[j * n + j];
            }
        }
    }
    let mut z = vec![0.0; n];
    for i in 0..n {
        let s: f64 = (0..i).map(|k| l[i * n + k] * z[k]).sum();
        z[i] = (b[i] - s) / l[i * n + i];
    }
    let mut x = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|k| l[k * n + i] * x[k]).sum();
        x[i] = (z[i] - s) / l[i * n + i];
    }
    Some(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn i4_without_features_the_intercept_is_the_base_rate() {
        // 1 leaver in 4: the only fit is p = ¼, log-odds ln(1/3).
        let x = vec![vec![]; 4];
        let m = Logistic::fit(&x, &[true, false, false, false], 1.0).unwrap();
        assert!((m.intercept - (1.0f64 / 3.0).ln()).abs() < 1e-9, "{}", m.intercept);
        assert!((m.probability(&[]) - 0.25).abs() < 1e-9);
    }

    #[test]
    fn i4_one_binary_feature_recovers_the_two_groups_odds() {
        // Weak penalty (C huge): x = 1 has 3 of 4 leaving (odds 3), x = 0 has 1 of 4 (odds ⅓).
        // The unpenalized fit is intercept ln ⅓ and weight ln 3 − ln ⅓ = ln 9.
        let x: Vec<Vec<f64>> = [1.0, 1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.0].iter().map(|v| vec![*v]).collect();
        let y = [true, true, true, false, true, false, false, false];
        let m = Logistic::fit(&x, &y, 1e9).unwrap();
        assert!((m.intercept - (1.0f64 / 3.0).ln()).abs() < 1e-6, "{}", m.intercept);
        assert!((m.weights[0] - 9.0f64.ln()).abs() < 1e-6, "{}", m.weights[0]);
        // A strong penalty pulls the weight toward zero, never past it.
        let strong = Logistic::fit(&x, &y, 0.01).unwrap();
        assert!(strong.weights[0] > 0.0 && strong.weights[0] < 0.1, "{}", strong.weights[0]);
    }

    #[test]
    fn i4_contributions_and_the_intercept_add_up_to_the_log_odds() {
        let m = Logistic { intercept: -1.5, weights: vec![0.8, -0.25, 2.0] };
        let row = [1.0, 2.0, -0.5];
        let c = m.contributions(&row);
        assert_eq!(c, vec![0.8, -0.5, -1.0]);
        assert!((m.intercept + c.iter().sum::<f64>() - m.log_odds(&row)).abs() < 1e-12);
        // −1.5 + 0.8 − 0.5 − 1.0 = −2.2
        assert!((m.log_odds(&row) + 2.2).abs() < 1e-12);
        assert!((m.probability(&row) - 1.0 / (1.0 + 2.2f64.exp())).abs() < 1e-12);
    }

    #[test]
    fn i4_a_fit_on_one_class_or_nothing_is_refused() {
        assert_eq!(Logistic::fit(&[vec![1.0], vec![2.0]], &[true, true], 1.0), Err(FitError::OneClass));
        assert_eq!(Logistic::fit(&[], &[], 1.0), Err(FitError::Empty));
        assert_eq!(Logistic::fit(&[vec![1.0], vec![]], &[true, false], 1.0), Err(FitError::Ragged));
        assert_eq!(Logistic::fit(&[vec![1.0], vec![0.0]], &[true, false], 0.0), Err(FitError::BadC));
    }

    #[test]
    fn i4_cholesky_solves_a_small_system() {
        // [[4, 2], [2, 3]] x = [2, 1] → x = [0.5, 0].
        let x = solve_cholesky(&[4.0, 2.0, 2.0, 3.0], &[2.0, 1.0], 2).unwrap();
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12, "{x:?}");
        assert_eq!(solve_cholesky(&[0.0, 0.0, 0.0, 1.0], &[1.0, 1.0], 2), None);
    }
}
