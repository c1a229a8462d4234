//! The workspace's performance model: trained on its own published posts with figures
//! (`zenalto_ai::local::predict`), stored with its cross-validation report, shown, retrained on
//! demand and by the jobs crate's hourly round when due.

use serde::Serialize;
use zenalto_ai::local::predict::{self, CvReport, MIN_SAMPLES, Model};
use zenalto_domain::{Permission, Timestamp, WorkspaceId};
use zenalto_store::repo::ai_models;

use super::engagement::{HISTORY, PublishedPost};
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

pub(crate) struct Stored {
    pub model: Model,
    pub cv: CvReport,
    pub trained_at: Timestamp,
}

fn view(stored: Option<&Stored>) -> ModelView {
    match stored {
        None => ModelView {
            trained: false,
            trained_at: None,
            samples: 0,
            min_samples: MIN_SAMPLES,
            cross_validation: None,
            confidence: None,
            effects: vec![],
        },
        Some(s) => ModelView {
            trained: true,
            trained_at: Some(s.trained_at),
            samples: s.cv.samples,
            min_samples: MIN_SAMPLES,
            confidence: Some(predict::confidence(&s.cv)),
            cross_validation: Some(s.cv.clone()),
            effects: s
                .model
                .effects()
                .into_iter()
                .take(12)
                .map(|(feature, multiplier)| Effect {
                    feature,
                    multiplier,
                })
                .collect(),
        },
    }
}

impl Services {
    pub(crate) async fn ai_stored_model(&self, workspace: WorkspaceId) -> Result<Option<Stored>> {
        let mut conn = self.db.read().await?;
        let Some(row) = ai_models::get_model(&mut conn, workspace, PERFORMANCE).await? else {
            return Ok(None);
        };
        let (Ok(model), Ok(cv)) = (
            serde_json::from_str::<Model>(&row.parameters),
            serde_json::from_str::<CvReport>(&row.metrics),
        ) else {
            return Ok(None);
        };
        Ok(model.is_current().then(|| Stored {
            model,
            cv,
            trained_at: Timestamp::from_millis(row.trained_at),
        }))
    }

    /// Trains the workspace's model from its published posts and stores it; None when there
    /// are fewer than `MIN_SAMPLES` (a stored model is then left as it was).
    pub(crate) async fn ai_train(
        &self,
        workspace: WorkspaceId,
        posts: &[PublishedPost],
    ) -> Result<Option<Stored>> {
        let samples: Vec<_> = posts.iter().map(PublishedPost::sample).collect();
        let Some((model, cv)) = predict::train(&samples) else {
            return Ok(None);
        };
        let row = ai_models::ModelRow {
            trained_at: self.now().as_millis(),
            samples: cv.samples as i64,
            metrics: serde_json::to_string(&cv).map_err(ServiceError::internal)?,
            parameters: serde_json::to_string(&model).map_err(ServiceError::internal)?,
        };
        let mut tx = self.db.begin().await?;
        ai_models::put_model(&mut tx, workspace, PERFORMANCE, &row).await?;
        tx.commit().await.map_err(zenalto_store::StoreError::from)?;
        Ok(Some(Stored {
            model,
            cv,
            trained_at: self.now(),
        }))
    }

    /// The workspace's performance model: samples, cross-validated figures, when it was trained
    /// (analytics:view).
    pub async fn ai_performance_model(&self, access: &Access) -> Result<ModelView> {
        access.require(Permission::AnalyticsView)?;
        Ok(view(
            self.ai_stored_model(access.workspace_id).await?.as_ref(),
        ))
    }

    /// Retrains the model now (analytics:view: it only refreshes what is derived from the
    /// workspace's analytics). 422 when there are too few posts with figures.
    pub async fn ai_train_performance(&self, access: &Access) -> Result<ModelView> {
        access.require(Permission::AnalyticsView)?;
        let posts = self.ai_published(access.workspace_id, None).await?;
        match self.ai_train(access.workspace_id, &posts).await? {
            Some(stored) => Ok(view(Some(&stored))),
            None => Err(ServiceError::field(
                "samples",
                format!(
                    "{} published posts with figures; a model needs at least {MIN_SAMPLES}",
                    posts.len()
                ),
            )),
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
                Some((_, samples, at)) => {
                    // The history read is capped: beyond it only the daily retrain applies.
                    count.min(HISTORY) >= samples + (samples / 10).max(10)
                        || (count != *samples && now - at >= RETRAIN_AFTER_MS)
                }
            };
            let Ok(workspace) = workspace.parse::<WorkspaceId>() else {
                continue;
            };
            if due {
                let posts = self.ai_published(workspace, None).await?;
                done += usize::from(self.ai_train(workspace, &posts).await?.is_some());
            }
        }
        Ok(done)
    }
}
