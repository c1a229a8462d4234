//! k-fold cross-validation: each post is predicted by a model that never saw it, and the
//! errors are compared with a baseline that always answers the training folds' mean — the
//! number to beat, since any workspace can guess "about average".

use serde::{Deserialize, Serialize};

use super::ridge::Ridge;

/// How well predictions matched what happened, on posts held out.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Scores {
    /// Mean absolute error in engagement (interactions per post).
    pub mae: f64,
    /// Coefficient of determination on log(1 + engagement); 0 is the mean's level, 1 perfect.
    pub r2: f64,
    /// Spearman rank correlation between predicted and actual engagement; `None` when the
    /// predictions are all the same (the baseline).
    pub spearman: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CvReport {
    pub folds: usize,
    pub samples: usize,
    pub model: Scores,
    pub baseline: Scores,
    /// The 10th and 90th percentiles of held-out errors on the log scale: the 80 % interval
    /// around a prediction.
    pub residual_p10: f64,
    pub residual_p90: f64,
}

/// Fold of each sample: a fixed pseudo-random permutation dealt round-robin, so the folds do
/// not follow publishing order (time-of-day drifts would otherwise land in one fold).
fn folds(n: usize, k: usize) -> Vec<usize> {
    let mut order: Vec<usize> = (0..n).collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in (1..n).rev() {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        order.swap(i, (state >> 33) as usize % (i + 1));
    }
    let mut fold = vec![0; n];
    for (position, sample) in order.into_iter().enumerate() {
        fold[sample] = position % k;
    }
    fold
}

/// Held-out predictions (log scale) of ridge with `lambda` and of the mean baseline.
fn held_out(rows: &[Vec<f64>], y: &[f64], k: usize, lambda: f64) -> (Vec<f64>, Vec<f64>) {
    let fold = folds(y.len(), k);
    let mut model = vec![0.0; y.len()];
    let mut baseline = vec![0.0; y.len()];
    for f in 0..k {
        let train: Vec<usize> = (0..y.len()).filter(|i| fold[*i] != f).collect();
        let x: Vec<Vec<f64>> = train.iter().map(|i| rows[*i].clone()).collect();
        let t: Vec<f64> = train.iter().map(|i| y[*i]).collect();
        let ridge = Ridge::fit(&x, &t, lambda);
        let mean = t.iter().sum::<f64>() / t.len().max(1) as f64;
        for i in (0..y.len()).filter(|i| fold[*i] == f) {
            model[i] = ridge.predict(&rows[i]);
            baseline[i] = mean;
        }
    }
    (model, baseline)
}

pub fn scores(predicted_log: &[f64], actual_log: &[f64]) -> Scores {
    let n = actual_log.len().max(1) as f64;
    let mae = predicted_log
        .iter()
        .zip(actual_log)
        .map(|(p, a)| (p.exp_m1().max(0.0) - a.exp_m1()).abs())
        .sum::<f64>()
        / n;
    let mean = actual_log.iter().sum::<f64>() / n;
    let total: f64 = actual_log.iter().map(|a| (a - mean).powi(2)).sum();
    let residual: f64 = predicted_log
        .iter()
        .zip(actual_log)
        .map(|(p, a)| (a - p).powi(2))
        .sum();
    let r2 = if total > 0.0 {
        1.0 - residual / total
    } else {
        0.0
    };
    Scores {
        mae,
        r2,
        spearman: spearman(predicted_log, actual_log),
    }
}

fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|a, b| values[*a].total_cmp(&values[*b]));
    let mut out = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        for position in &order[i..=j] {
            out[*position] = (i + j) as f64 / 2.0;
        }
        i = j + 1;
    }
    out
}

/// Pearson correlation of the ranks (ties share their mean rank).
pub fn spearman(a: &[f64], b: &[f64]) -> Option<f64> {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = ra.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = ra.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = rb.iter().map(|y| (y - mb).powi(2)).sum();
    (va > 0.0 && vb > 0.0).then(|| cov / (va * vb).sqrt())
}

fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * q).round() as usize]
}

/// The λ candidates: from almost none to strong shrinkage.
pub const LAMBDAS: [f64; 5] = [0.1, 1.0, 10.0, 30.0, 100.0];

/// Chooses λ by held-out squared error, and reports that λ's cross-validated scores. (Choosing
/// λ on the same folds flatters the report a little; with five candidates the effect is small.)
pub fn cross_validate(rows: &[Vec<f64>], y: &[f64], k: usize) -> (f64, CvReport) {
    let k = k.clamp(2, y.len().max(2));
    let mut best: Option<(f64, f64, Vec<f64>, Vec<f64>)> = None;
    for lambda in LAMBDAS {
        let (model, baseline) = held_out(rows, y, k, lambda);
        let error: f64 = model.iter().zip(y).map(|(p, a)| (p - a).powi(2)).sum();
        if best.as_ref().is_none_or(|b| error < b.1) {
            best = Some((lambda, error, model, baseline));
        }
    }
    let (lambda, _, model, baseline) = best.unwrap_or((1.0, 0.0, vec![], vec![]));
    let mut residuals: Vec<f64> = model.iter().zip(y).map(|(p, a)| a - p).collect();
    residuals.sort_by(f64::total_cmp);
    let report = CvReport {
        folds: k,
        samples: y.len(),
        model: scores(&model, y),
        baseline: scores(&baseline, y),
        residual_p10: percentile(&residuals, 0.1),
        residual_p90: percentile(&residuals, 0.9),
    };
    (lambda, report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_sees_order_not_scale() {
        assert_eq!(
            spearman(&[1.0, 2.0, 3.0], &[10.0, 200.0, 3000.0]),
            Some(1.0)
        );
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
        assert_eq!(spearman(&[1.0, 1.0, 1.0], &[3.0, 2.0, 1.0]), None);
    }

    #[test]
    fn every_fold_gets_its_share() {
        let fold = folds(103, 5);
        for f in 0..5 {
            let size = fold.iter().filter(|x| **x == f).count();
            assert!((20..=21).contains(&size), "fold {f}: {size}");
        }
    }
}
