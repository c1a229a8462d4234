//! Performance prediction over the API: the workspace's model (trained on its own published
//! posts, retrained by the jobs crate's loop and on demand), and predictions for drafts with an
//! interval from the model's cross-validated error. With fewer than `MIN_SAMPLES` posts there is
//! no model: the answer is the workspace's own median for the network (or overall), labelled as
//! such, with low confidence — or no number at all when there are no figures.

use serde::Serialize;
use zenalto_ai::local::predict::{self, CvReport, Estimate, MIN_SAMPLES, Model, PostShape};
use zenalto_domain::publishing::Network;
use zenalto_domain::{AccountId, Permission, Timestamp, WorkspaceId};
use zenalto_store::repo::{ai_models, social_accounts};

use super::engagement::{PublishedPost, utc_hour_weekday};
use crate::{Access, Result, ServiceError, Services};

pub const PERFORMANCE: &str = "performance";
/// A model is retrained once a day when new figures arrived, or at once when the posts with
/// figures grew by a tenth (at least 10) since it was trained.
const RETRAIN_AFTER_MS: i64 = 24 * 3600 * 1000;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ModelView {
    pub trained: bool,
    pub trained_at: Option<Timestamp>,
    /// Posts it was trained on.
    pub samples: usize,
    pub min_samples: usize,
    /// k-fold cross-validation against the workspace mean.
    pub cross_validation: Option<CvReport>,
    pub confidence: Option<f64>,
    /// The strongest learnt effects: feature and engagement multiplier per unit.
    pub effects: Vec<Effect>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Effect {
    pub feature: String,
    pub multiplier: f64,
}

#[derive(Clone, Debug, Default)]
pub struct PredictInput {
    pub text: String,
    pub network: Option<Network>,
    pub account_id: Option<AccountId>,
    pub scheduled_at: Option<Timestamp>,
    pub media_ids: Vec<String>,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Prediction {
    /// Expected interactions (likes + comments + shares + saves); null when there is no data.
    pub expected: Option<f64>,
    /// The 80 % interval.
    pub low: Option<f64>,
    pub high: Option<f64>,
    /// 0–1, and low / medium / high.
    pub confidence: f64,
    pub confidence_label: &'static str,
    /// workspace_model, workspace_network_median, workspace_median or none.
    pub source: &'static str,
    /// Posts the number comes from.
    pub samples: usize,
    pub note: String,
    pub network: Network,
    /// The UTC instant the prediction assumes.
    pub at: Timestamp,
}

pub(crate) struct Stored {
    pub model: Model,
    pub cv: CvReport,
    pub trained_at: Timestamp,
}

pub fn confidence_label(confidence: f64) -> &'static str {
    if confidence >= 0.5 { "high" } else if confidence >= 0.25 { "medium" } else { "low" }
}

fn view(stored: Option<&Stored>) -> ModelView {
    match stored {
        None => ModelView { trained: false, trained_at: None, samples: 0, min_samples: MIN_SAMPLES, cross_validation: None, confidence: None, effects: vec![] },
        Some(s) => ModelView {
            trained: true,
            trained_at: Some(s.trained_at),
            samples: s.cv.samples,
            min_samples: MIN_SAMPLES,
            confidence: Some(predict::confidence(&s.cv)),
            cross_validation: Some(s.cv.clone()),
            effects: s.model.effects().into_iter().take(12).map(|(feature, multiplier)| Effect { feature, multiplier }).collect(),
        },
    }
}

impl Services {
    pub(crate) async fn ai_stored_model(&self, workspace: WorkspaceId) -> Result<Option<Stored>> {
        let mut conn = self.db.read().await?;
        let Some(row) = ai_models::get_model(&mut conn, workspace, PERFORMANCE).await? else { return Ok(None) };
        let (Ok(model), Ok(cv)) = (serde_json::from_str::<Model>(&row.parameters), serde_json::from_str::<CvReport>(&row.metrics)) else { return Ok(None) };
        Ok(model.is_current().then(|| Stored { model, cv, trained_at: Timestamp::from_millis(row.trained_at) }))
    }

    /// Trains the workspace's model from its published posts and stores it; None when there
    /// are fewer than `MIN_SAMPLES` (a stored model is then left as it was).
    pub(crate) async fn ai_train(&self, workspace: WorkspaceId, posts: &[PublishedPost]) -> Result<Option<Stored>> {
        let samples: Vec<_> = posts.iter().map(PublishedPost::sample).collect();
        let Some((model, cv)) = predict::train(&samples) else { return Ok(None) };
        let row = ai_models::ModelRow {
            trained_at: self.now().as_millis(),
            samples: cv.samples as i64,
            metrics: serde_json::to_string(&cv).map_err(ServiceError::internal)?,
            parameters: serde_json::to_string(&model).map_err(ServiceError::internal)?,
        };
        let mut tx = self.db.begin().await?;
        ai_models::put_model(&mut tx, workspace, PERFORMANCE, &row).await?;
        tx.commit().await.map_err(zenalto_store::StoreError::from)?;
        Ok(Some(Stored { model, cv, trained_at: self.now() }))
    }

    /// The workspace's performance model: samples, cross-validated figures, when it was trained
    /// (analytics:view).
    pub async fn ai_performance_model(&self, access: &Access) -> Result<ModelView> {
        access.require(Permission::AnalyticsView)?;
        Ok(view(self.ai_stored_model(access.workspace_id).await?.as_ref()))
    }

    /// Retrains the model now (analytics:view: it only refreshes what is derived from the
    /// workspace's analytics). 422 when there are too few posts with figures.
    pub async fn ai_train_performance(&self, access: &Access) -> Result<ModelView> {
        access.require(Permission::AnalyticsView)?;
        let posts = self.ai_published(access.workspace_id, None).await?;
        match self.ai_train(access.workspace_id, &posts).await? {
            Some(stored) => Ok(view(Some(&stored))),
            None => Err(ServiceError::field("samples", format!("{} published posts with figures; a model needs at least {MIN_SAMPLES}", posts.len()))),
        }
    }

    /// One scheduled round: retrains the models that are due. Returns how many were trained.
    pub async fn retrain_due_models(&self) -> Result<usize> {
        let mut conn = self.db.read().await?;
        let counts = ai_models::figure_counts(&mut conn).await?;
        let trained = ai_models::trained(&mut conn, PERFORMANCE).await?;
        drop(conn);
        let now = self.now().as_millis();
        let mut done = 0;
        for (workspace, count) in counts {
            let previous = trained.iter().find(|(w, _, _)| *w == workspace);
            let due = match previous {
                None => count >= MIN_SAMPLES as i64,
                Some((_, samples, at)) => count >= samples + (samples / 10).max(10) || (count != *samples && now - at >= RETRAIN_AFTER_MS),
            };
            let Ok(workspace) = workspace.parse::<WorkspaceId>() else { continue };
            if due {
                let posts = self.ai_published(workspace, None).await?;
                done += usize::from(self.ai_train(workspace, &posts).await?.is_some());
            }
        }
        Ok(done)
    }

    /// Predicted engagement of a draft (post:read). The network comes from `network` or the
    /// account; the time from `scheduled_at` (default: now).
    pub async fn ai_predict(&self, access: &Access, input: PredictInput) -> Result<Prediction> {
        access.require(Permission::PostRead)?;
        super::check_text(&input.text)?;
        let network = match (input.network, input.account_id) {
            (Some(network), _) => network,
            (None, Some(account)) => {
                let mut conn = self.db.read().await?;
                let row = social_accounts::get(&mut conn, access.workspace_id, account).await?.ok_or(ServiceError::NotFound)?;
                row.network.parse().map_err(|_| ServiceError::field("accountId", "the account's network is unknown"))?
            }
            (None, None) => return Err(ServiceError::field("network", "give a network or an accountId")),
        };
        let (images, videos) = self.ai_media_mix(access.workspace_id, &input.media_ids).await?;
        let at = input.scheduled_at.unwrap_or_else(|| self.now());
        let (hour, weekday) = utc_hour_weekday(at);
        let shape = PostShape { text: &input.text, network, hour, weekday, images, videos };
        self.ai_predict_shape(access.workspace_id, &shape, at).await
    }

    pub(crate) async fn ai_predict_shape(&self, workspace: WorkspaceId, shape: &PostShape<'_>, at: Timestamp) -> Result<Prediction> {
        let mut stored = self.ai_stored_model(workspace).await?;
        let mut posts = None;
        if stored.is_none() {
            // Not trained yet (or trained by an older feature set): train now if there is enough.
            let all = self.ai_published(workspace, None).await?;
            stored = self.ai_train(workspace, &all).await?;
            posts = Some(all);
        }
        if let Some(s) = stored {
            let Estimate { expected, low, high, confidence } = s.model.estimate(shape, &s.cv);
            let note = format!(
                "from this workspace's model, trained {} on {} posts; cross-validated R² {:.2} (the workspace mean scores {:.2})",
                s.trained_at, s.cv.samples, s.cv.model.r2, s.cv.baseline.r2
            );
            return Ok(Prediction { expected: Some(expected), low: Some(low), high: Some(high), confidence, confidence_label: confidence_label(confidence), source: "workspace_model", samples: s.cv.samples, note, network: shape.network, at });
        }
        let posts = match posts {
            Some(posts) => posts,
            None => self.ai_published(workspace, None).await?,
        };
        Ok(prior(&posts, shape.network, at))
    }
}

/// No model: the workspace's own median engagement on the network (else overall), with the
/// 10th–90th percentile as the interval, and a confidence that never exceeds 0.2.
fn prior(posts: &[PublishedPost], network: Network, at: Timestamp) -> Prediction {
    let on_network: Vec<f64> = posts.iter().filter(|p| p.network == network).map(|p| p.engagement).collect();
    let (values, source) = if on_network.is_empty() { (posts.iter().map(|p| p.engagement).collect::<Vec<_>>(), "workspace_median") } else { (on_network, "workspace_network_median") };
    if values.is_empty() {
        let note = format!("no published posts with figures yet; a model needs {MIN_SAMPLES}");
        return Prediction { expected: None, low: None, high: None, confidence: 0.0, confidence_label: "low", source: "none", samples: 0, note, network, at };
    }
    let mut sorted = values;
    sorted.sort_by(f64::total_cmp);
    let pick = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    let n = sorted.len() as f64;
    let confidence = (0.2 * n / (n + MIN_SAMPLES as f64) * 1000.0).round() / 1000.0;
    let note = format!(
        "not a learnt prediction: the median of {} of this workspace's posts{}; a model needs {MIN_SAMPLES} posts with figures",
        sorted.len(),
        if source == "workspace_network_median" { format!(" on {}", network.label()) } else { String::new() }
    );
    Prediction { expected: Some(pick(0.5)), low: Some(pick(0.1)), high: Some(pick(0.9)), confidence, confidence_label: "low", source, samples: sorted.len(), note, network, at }
}
