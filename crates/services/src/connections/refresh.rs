//! Refreshing tokens ahead of expiry (a background job), and marking tokens that cannot be
//! refreshed as expiring a week before they run out.

use zenalto_domain::publishing::Network;
use zenalto_networks::PublishError;
use zenalto_store::{StoreError, repo::social_accounts};

use super::health::Health;
use crate::{Result, ServiceError, Services};

/// Refresh this long before the access token expires.
const REFRESH_AHEAD_SECS: i64 = 15 * 60;
/// A failed refresh is tried again after this long.
const RETRY_AFTER_SECS: i64 = 5 * 60;
/// Tokens that cannot be refreshed are announced this long before they expire.
const WARN_AHEAD_SECS: i64 = 7 * 86_400;
const BATCH: i64 = 50;

impl Services {
    /// One round of the refresher: returns how many accounts got new tokens.
    pub async fn refresh_due_tokens(&self) -> Result<usize> {
        let now = self.now();
        let mut conn = self.db.read().await?;
        let due = social_accounts::due_for_refresh(&mut conn, now.plus_seconds(REFRESH_AHEAD_SECS), now.plus_seconds(-RETRY_AFTER_SECS), BATCH).await?;
        let expiring = social_accounts::expiring_without_refresh(&mut conn, now.plus_seconds(WARN_AHEAD_SECS)).await?;
        drop(conn);
        let mut refreshed = 0;
        for row in due {
            match self.refresh_account(&row).await {
                Ok(()) => refreshed += 1,
                Err(error) => tracing::warn!(account = %row.id, network = %row.network, %error, "token refresh failed"),
            }
        }
        for row in expiring {
            let mut tx = self.db.begin().await?;
            let message = "The network's access token cannot be refreshed automatically and expires within a week: connect the account again.";
            self.record_health(&mut tx, row.workspace_id, row.id, Health::Expiring, Some(message)).await?;
            tx.commit().await.map_err(StoreError::from)?;
        }
        Ok(refreshed)
    }

    async fn refresh_account(&self, row: &social_accounts::SocialAccountRow) -> Result<()> {
        let now = self.now();
        let mut tx = self.db.begin().await?;
        social_accounts::mark_refresh_attempted(&mut tx, row.id, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        let network: Network = row.network.parse().map_err(ServiceError::internal)?;
        let connector = self.connector(network)?;
        let mut conn = self.db.read().await?;
        let client = self.oauth_client(&mut conn, connector.as_ref(), row.instance_url.as_deref()).await?;
        let account = self.account_context(&mut conn, row).await?;
        let sealed = social_accounts::sealed_tokens(&mut conn, row.workspace_id, row.id).await?;
        drop(conn);
        let Some(refresh_token) = sealed.and_then(|s| s.refresh_token).map(|s| self.open(&s)).transpose()? else { return Ok(()) };
        let outcome = connector.refresh(&client, &account, &refresh_token).await;
        let mut tx = self.db.begin().await?;
        let result = match outcome {
            Ok(tokens) => {
                let access = self.seal(tokens.access_token.expose())?;
                let refresh = tokens.refresh_token.as_ref().map(|t| self.seal(t.expose())).transpose()?;
                social_accounts::store_refreshed(&mut tx, row.id, &access, refresh.as_deref(), tokens.expires_at, self.now()).await?;
                Ok(())
            }
            Err(PublishError::Reconnect { message }) => {
                self.record_health(&mut tx, row.workspace_id, row.id, Health::Expired, Some(&message)).await?;
                Err(ServiceError::Network(message))
            }
            Err(other) => {
                // Still valid for a while: an error now, retried; past expiry: expired.
                let expired = row.token_expires_at.is_some_and(|at| at <= self.now().as_millis());
                let health = if expired { Health::Expired } else { Health::Error };
                self.record_health(&mut tx, row.workspace_id, row.id, health, Some(other.message())).await?;
                Err(ServiceError::Network(other.message().to_owned()))
            }
        };
        tx.commit().await.map_err(StoreError::from)?;
        result
    }
}
