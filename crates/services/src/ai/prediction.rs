//! Performance prediction of a draft: from the workspace's model with an interval from its
//! cross-validated error. With fewer than `MIN_SAMPLES` posts there is no model: the answer is
//! the workspace's own median for the network (or overall), labelled as such, with low
//! confidence — or no number at all when there are no figures.

use serde::Serialize;
use zenalto_ai::local::predict::{Estimate, MIN_SAMPLES, PostShape};
use zenalto_domain::publishing::Network;
use zenalto_domain::{AccountId, Permission, Timestamp, WorkspaceId};
use zenalto_store::repo::social_accounts;

use super::engagement::{PublishedPost, utc_hour_weekday};
use crate::{Access, Result, ServiceError, Services};

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

pub fn confidence_label(confidence: f64) -> &'static str {
    if confidence >= 0.5 {
        "high"
    } else if confidence >= 0.25 {
        "medium"
    } else {
        "low"
    }
}

impl Services {
    /// Predicted engagement of a draft (post:read). The network comes from `network` or the
    /// account; the time from `scheduled_at` (default: now).
    pub async fn ai_predict(&self, access: &Access, input: PredictInput) -> Result<Prediction> {
        access.require(Permission::PostRead)?;
        super::check_text(&input.text)?;
        let network = match (input.network, input.account_id) {
            (Some(network), _) => network,
            (None, Some(account)) => {
                let mut conn = self.db.read().await?;
                let row = social_accounts::get(&mut conn, access.workspace_id, account)
                    .await?
                    .ok_or(ServiceError::NotFound)?;
                row.network.parse().map_err(|_| {
                    ServiceError::field("accountId", "the account's network is unknown")
                })?
            }
            (None, None) => {
                return Err(ServiceError::field(
                    "network",
                    "give a network or an accountId",
                ));
            }
        };
        let (images, videos) = self
            .ai_media_mix(access.workspace_id, &input.media_ids)
            .await?;
        let at = input.scheduled_at.unwrap_or_else(|| self.now());
        let (hour, weekday) = utc_hour_weekday(at);
        let shape = PostShape {
            text: &input.text,
            network,
            hour,
            weekday,
            images,
            videos,
        };
        self.ai_predict_shape(access.workspace_id, &shape, at).await
    }

    pub(crate) async fn ai_predict_shape(
        &self,
        workspace: WorkspaceId,
        shape: &PostShape<'_>,
        at: Timestamp,
    ) -> Result<Prediction> {
        let mut stored = self.ai_stored_model(workspace).await?;
        let mut posts = None;
        if stored.is_none() {
            // Not trained yet (or trained by an older feature set): train now if there is enough.
            let all = self.ai_published(workspace, None).await?;
            stored = self.ai_train(workspace, &all).await?;
            posts = Some(all);
        }
        if let Some(s) = stored {
            let Estimate {
                expected,
                low,
                high,
                confidence,
            } = s.model.estimate(shape, &s.cv);
            let note = format!(
                "from this workspace's model, trained {} on {} posts; cross-validated R² {:.2} (the workspace mean scores {:.2})",
                s.trained_at, s.cv.samples, s.cv.model.r2, s.cv.baseline.r2
            );
            return Ok(Prediction {
                expected: Some(expected),
                low: Some(low),
                high: Some(high),
                confidence,
                confidence_label: confidence_label(confidence),
                source: "workspace_model",
                samples: s.cv.samples,
                note,
                network: shape.network,
                at,
            });
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
    let on_network: Vec<f64> = posts
        .iter()
        .filter(|p| p.network == network)
        .map(|p| p.engagement)
        .collect();
    let (values, source) = if on_network.is_empty() {
        (
            posts.iter().map(|p| p.engagement).collect::<Vec<_>>(),
            "workspace_median",
        )
    } else {
        (on_network, "workspace_network_median")
    };
    if values.is_empty() {
        let note = format!("no published posts with figures yet; a model needs {MIN_SAMPLES}");
        return Prediction {
            expected: None,
            low: None,
            high: None,
            confidence: 0.0,
            confidence_label: "low",
            source: "none",
            samples: 0,
            note,
            network,
            at,
        };
    }
    let mut sorted = values;
    sorted.sort_by(f64::total_cmp);
    let pick = |q: f64| sorted[((sorted.len() - 1) as f64 * q).round() as usize];
    let n = sorted.len() as f64;
    let confidence = (0.2 * n / (n + MIN_SAMPLES as f64) * 1000.0).round() / 1000.0;
    let note = format!(
        "not a learnt prediction: the median of {} of this workspace's posts{}; a model needs {MIN_SAMPLES} posts with figures",
        sorted.len(),
        if source == "workspace_network_median" {
            format!(" on {}", network.label())
        } else {
            String::new()
        }
    );
    Prediction {
        expected: Some(pick(0.5)),
        low: Some(pick(0.1)),
        high: Some(pick(0.9)),
        confidence,
        confidence_label: "low",
        source,
        samples: sorted.len(),
        note,
        network,
        at,
    }
}
