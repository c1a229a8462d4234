//! Performance prediction trained on a workspace's own history: ridge regression of
//! log(1 + engagement) on what a post says, shows and when it goes out ([`features`]), with
//! λ chosen and accuracy reported by k-fold cross-validation against the workspace mean
//! ([`cv`]). The interval around a prediction is the spread of held-out errors, so it is as
//! wide as the model has actually been wrong.

pub mod cv;
pub mod features;
pub mod ridge;
#[cfg(test)]
pub(crate) mod tests;

use serde::{Deserialize, Serialize};

pub use cv::{CvReport, Scores};
pub use features::PostShape;
use ridge::Ridge;

/// Fewer published posts with figures than this and no model is trained: five folds of six
/// posts is the least that says anything about a few dozen features.
pub const MIN_SAMPLES: usize = 30;
/// Folds of the cross-validation.
pub const FOLDS: usize = 5;

/// A published post with its engagement (interactions: likes, comments, shares, saves).
#[derive(Clone, Debug)]
pub struct Sample<'a> {
    pub shape: PostShape<'a>,
    pub engagement: f64,
}

/// A trained model: what is stored as the model's parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Model {
    /// The feature names it was trained on; a model whose names differ from today's
    /// [`features::names`] is stale and must be retrained.
    pub features: Vec<String>,
    pub ridge: Ridge,
}

/// A prediction in engagement units with its 80 % interval.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Estimate {
    pub expected: f64,
    pub low: f64,
    pub high: f64,
    /// 0–1: cross-validated R² (floored at 0) discounted for few samples, n / (n + 30).
    pub confidence: f64,
}

impl Model {
    pub fn is_current(&self) -> bool {
        self.features == features::names()
    }

    /// log(1 + engagement) predicted for a post.
    pub fn predict_log(&self, shape: &PostShape<'_>) -> f64 {
        self.ridge.predict(&features::features(shape))
    }

    /// The prediction with the interval and confidence its cross-validation supports.
    pub fn estimate(&self, shape: &PostShape<'_>, cv: &CvReport) -> Estimate {
        let log = self.predict_log(shape);
        Estimate {
            expected: round(log.exp_m1().max(0.0)),
            low: round((log + cv.residual_p10).exp_m1().max(0.0)),
            high: round((log + cv.residual_p90).exp_m1().max(0.0)),
            confidence: confidence(cv),
        }
    }

    /// How much each feature moves the prediction, strongest first: `(name, multiplier per
    /// unit)` — e.g. `("question", 1.4)`: a question goes with 40 % more engagement.
    pub fn effects(&self) -> Vec<(String, f64)> {
        let mut out: Vec<(String, f64)> = self
            .features
            .iter()
            .cloned()
            .zip(self.ridge.raw_effects().into_iter().map(|w| round(w.exp())))
            .collect();
        out.sort_by(|a, b| (b.1.ln().abs()).total_cmp(&a.1.ln().abs()));
        out
    }
}

pub fn confidence(cv: &CvReport) -> f64 {
    let n = cv.samples as f64;
    round(cv.model.r2.clamp(0.0, 1.0) * n / (n + MIN_SAMPLES as f64))
}

/// Trains on `samples` when there are at least [`MIN_SAMPLES`]; the model comes with its
/// cross-validation report.
pub fn train(samples: &[Sample<'_>]) -> Option<(Model, CvReport)> {
    if samples.len() < MIN_SAMPLES {
        return None;
    }
    let rows: Vec<Vec<f64>> = samples
        .iter()
        .map(|s| features::features(&s.shape))
        .collect();
    let y: Vec<f64> = samples
        .iter()
        .map(|s| s.engagement.max(0.0).ln_1p())
        .collect();
    let (lambda, report) = cv::cross_validate(&rows, &y, FOLDS);
    let ridge = Ridge::fit(&rows, &y, lambda);
    Some((
        Model {
            features: features::names(),
            ridge,
        },
        report,
    ))
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
