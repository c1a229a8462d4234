//! Ridge regression in closed form: features standardised, the intercept left unpenalised,
//! `(ZᵀZ + λI) w = Zᵀ(y − ȳ)` solved by Cholesky (the matrix is symmetric positive definite for
//! any λ > 0, so there is no pivoting to get wrong). A few dozen features and a few thousand
//! posts take well under a millisecond; no linear-algebra crate is needed for that.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ridge {
    pub lambda: f64,
    pub intercept: f64,
    /// Per feature: mean and standard deviation used to standardise it (1 for a constant one).
    pub means: Vec<f64>,
    pub scales: Vec<f64>,
    /// Weights on the standardised features.
    pub weights: Vec<f64>,
}

impl Ridge {
    /// Fits `y ≈ intercept + Σ wᵢ·zᵢ`. `rows` must all have the same length and not be empty.
    // Matrix algebra reads best with the indices of its formulas.
    #[allow(clippy::needless_range_loop)]
    pub fn fit(rows: &[Vec<f64>], y: &[f64], lambda: f64) -> Ridge {
        let n = rows.len().max(1) as f64;
        let p = rows.first().map(Vec::len).unwrap_or(0);
        let means: Vec<f64> = (0..p)
            .map(|j| rows.iter().map(|r| r[j]).sum::<f64>() / n)
            .collect();
        let scales: Vec<f64> = (0..p)
            .map(|j| {
                let var = rows.iter().map(|r| (r[j] - means[j]).powi(2)).sum::<f64>() / n;
                if var > 1e-12 { var.sqrt() } else { 1.0 }
            })
            .collect();
        let y_mean = y.iter().sum::<f64>() / n;
        let mut gram = vec![vec![0.0; p]; p];
        let mut rhs = vec![0.0; p];
        let mut z = vec![0.0; p];
        for (row, target) in rows.iter().zip(y) {
            for j in 0..p {
                z[j] = (row[j] - means[j]) / scales[j];
            }
            for j in 0..p {
                rhs[j] += z[j] * (target - y_mean);
                for k in 0..=j {
                    gram[j][k] += z[j] * z[k];
                }
            }
        }
        for j in 0..p {
            for k in 0..j {
                gram[k][j] = gram[j][k];
            }
            gram[j][j] += lambda;
        }
        let weights = solve_spd(gram, rhs);
        Ridge {
            lambda,
            intercept: y_mean,
            means,
            scales,
            weights,
        }
    }

    pub fn predict(&self, row: &[f64]) -> f64 {
        self.intercept
            + row
                .iter()
                .zip(&self.means)
                .zip(&self.scales)
                .zip(&self.weights)
                .map(|(((x, m), s), w)| w * (x - m) / s)
                .sum::<f64>()
    }

    /// The weight of each feature in its own units: the change in the prediction per unit.
    pub fn raw_effects(&self) -> Vec<f64> {
        self.weights
            .iter()
            .zip(&self.scales)
            .map(|(w, s)| w / s)
            .collect()
    }
}

/// Solves `a·x = b` for a symmetric positive definite `a` (Cholesky, then two substitutions).
#[allow(clippy::needless_range_loop)]
fn solve_spd(mut a: Vec<Vec<f64>>, b: Vec<f64>) -> Vec<f64> {
    let p = b.len();
    for j in 0..p {
        let mut d = a[j][j];
        for k in 0..j {
            d -= a[j][k] * a[j][k];
        }
        let d = d.max(1e-12).sqrt();
        a[j][j] = d;
        for i in j + 1..p {
            let mut s = a[i][j];
            for k in 0..j {
                s -= a[i][k] * a[j][k];
            }
            a[i][j] = s / d;
        }
    }
    let mut y = vec![0.0; p];
    for i in 0..p {
        let s: f64 = (0..i).map(|k| a[i][k] * y[k]).sum();
        y[i] = (b[i] - s) / a[i][i];
    }
    let mut x = vec![0.0; p];
    for i in (0..p).rev() {
        let s: f64 = (i + 1..p).map(|k| a[k][i] * x[k]).sum();
        x[i] = (y[i] - s) / a[i][i];
    }
    x
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recovers_a_linear_rule_and_shrinks_with_lambda() {
        // y = 3 + 2·a − 1·b exactly, on a small grid.
        let rows: Vec<Vec<f64>> = (0..50)
            .map(|i| vec![f64::from(i % 7), f64::from(i % 5)])
            .collect();
        let y: Vec<f64> = rows.iter().map(|r| 3.0 + 2.0 * r[0] - r[1]).collect();
        let model = Ridge::fit(&rows, &y, 1e-6);
        let effects = model.raw_effects();
        assert!(
            (effects[0] - 2.0).abs() < 1e-4 && (effects[1] + 1.0).abs() < 1e-4,
            "{effects:?}"
        );
        assert!((model.predict(&[4.0, 1.0]) - 10.0).abs() < 1e-4);
        let shrunk = Ridge::fit(&rows, &y, 1000.0);
        assert!(
            shrunk.raw_effects()[0].abs() < effects[0].abs(),
            "a large λ pulls weights toward zero"
        );
    }

    #[test]
    fn a_constant_feature_gets_no_weight() {
        let rows: Vec<Vec<f64>> = (0..20).map(|i| vec![f64::from(i), 1.0]).collect();
        let y: Vec<f64> = rows.iter().map(|r| r[0]).collect();
        let model = Ridge::fit(&rows, &y, 0.01);
        assert!(model.weights[1].abs() < 1e-9 && model.predict(&[5.0, 1.0]).is_finite());
    }
}
