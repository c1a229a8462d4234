//! Best time to post for one account, from its own published posts' engagement by hour of the
//! week in the caller's time zone, shrunk toward the assumed prior curve where it has few posts
//! (`zenalto_ai::local::timing`).

use serde::Serialize;
use zenalto_ai::local::timing::{self, Observation, Slot};
use zenalto_domain::publishing::Network;
use zenalto_domain::schedule::TimeZoneName;
use zenalto_domain::{AccountId, Permission};
use zenalto_store::repo::social_accounts;

use crate::{Access, Result, ServiceError, Services};

/// Below this many posts with figures the ranking is mostly the prior; the answer says so.
pub const THIN_DATA: usize = 20;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BestTimes {
    pub account_id: AccountId,
    pub network: Network,
    /// The IANA zone the hours are in.
    pub time_zone: String,
    /// Best first.
    pub slots: Vec<Slot>,
    /// The account's published posts with figures that were used.
    pub samples: usize,
    /// How many posts a slot needs to weigh as much as the prior (estimated from the account).
    pub prior_weight: f64,
    /// 0–1: the share of the best slots' scores that comes from the account's own posts.
    pub confidence: f64,
    /// account_history, or account_history_and_prior when data is thin.
    pub source: &'static str,
    pub note: String,
}

impl Services {
    /// The account's best hours of the week to post, in `time_zone`, at most `limit` (1–168)
    /// (post:read). `time_zone` is an IANA name ("Europe/Berlin"); another workspace's account is
    /// not found. Where the account has few posts the ranking leans on an assumed prior curve,
    /// and says so in `source`, `confidence` and each slot's `confidence`.
    pub async fn ai_best_times(
        &self,
        access: &Access,
        account: AccountId,
        time_zone: &str,
        limit: usize,
    ) -> Result<BestTimes> {
        access.require(Permission::PostRead)?;
        let zone = TimeZoneName::parse(time_zone)
            .map_err(|e| ServiceError::field("timeZone", e.to_string()))?;
        if !(1..=timing::SLOTS).contains(&limit) {
            return Err(ServiceError::field(
                "limit",
                format!("between 1 and {}", timing::SLOTS),
            ));
        }
        let network: Network = {
            let mut conn = self.db.read().await?;
            let row = social_accounts::get(&mut conn, access.workspace_id, account)
                .await?
                .ok_or(ServiceError::NotFound)?;
            row.network
                .parse()
                .map_err(|_| ServiceError::field("accountId", "the account's network is unknown"))?
        };
        let posts = self
            .ai_published(access.workspace_id, Some(account))
            .await?;
        let observations: Vec<Observation> = posts
            .iter()
            .filter_map(|p| {
                let local = jiff::Timestamp::from_millisecond(p.published_at.as_millis())
                    .ok()?
                    .to_zoned(zone.time_zone().clone());
                let slot =
                    local.weekday().to_monday_zero_offset() as usize * 24 + local.hour() as usize;
                Some(Observation {
                    slot,
                    engagement: p.engagement,
                })
            })
            .collect();
        let ranking = timing::rank(&observations, &timing::prior(Some(network)), limit);
        let confidence = ranking.slots.iter().map(|s| s.confidence).sum::<f64>()
            / ranking.slots.len().max(1) as f64;
        let thin = ranking.samples < THIN_DATA;
        let note = if ranking.samples == 0 {
            format!(
                "no published posts with figures for this account yet: these hours are our assumed prior for {}, not measured",
                network.label()
            )
        } else if thin {
            format!(
                "only {} posts with figures: the ranking leans on our assumed prior for {}",
                ranking.samples,
                network.label()
            )
        } else {
            format!(
                "from {} of this account's posts with figures, hours in {}",
                ranking.samples,
                zone.as_str()
            )
        };
        Ok(BestTimes {
            account_id: account,
            network,
            time_zone: zone.as_str().to_owned(),
            samples: ranking.samples,
            prior_weight: ranking.prior_weight,
            confidence: (confidence * 1000.0).round() / 1000.0,
            source: if thin {
                "account_history_and_prior"
            } else {
                "account_history"
            },
            note,
            slots: ranking.slots,
        })
    }
}
