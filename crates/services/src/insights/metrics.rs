//! Post and account figures: fetched from the networks on demand and by the scheduled rounds,
//! stored in `post_metrics` (latest per target) and `account_metrics` (one row per fetch).

use zenalto_domain::{AccountId, Permission, PostId, TargetId, WorkspaceId, publishing::Network};
use zenalto_networks::{Connector, PublishError};
use zenalto_store::{
    StoreError,
    repo::{metrics, posts, social_accounts, social_accounts::SocialAccountRow, targets},
};

pub use zenalto_store::repo::metrics::{AccountMetricsRow as AccountFigures, TargetMetricsRow as TargetMetrics};

use crate::{Access, Result, ServiceError, Services, connections::Health};

/// Posts are followed this long after publishing; later figures barely move.
const FOLLOW_POSTS_SECS: i64 = 30 * 86_400;
/// A post's figures are fetched again after this long.
const POST_EVERY_SECS: i64 = 3_600;
/// An account's figures are fetched about daily (a little less, so a round that runs late does
/// not skip a day).
const ACCOUNT_EVERY_SECS: i64 = 20 * 3_600;
const BATCH: i64 = 50;
/// The account series an answer holds at most (a year of daily fetches).
const SERIES_MAX: i64 = 400;

/// A post's targets with their figures, and what failed when they were refreshed.
#[derive(Clone, Debug, Default)]
pub struct PostMetricsReport {
    pub targets: Vec<TargetMetrics>,
    /// Targets whose network refused or failed, with what it said (their stored figures stay).
    pub errors: Vec<(TargetId, String)>,
}

fn figure(value: Option<u64>) -> Option<i64> {
    value.map(|v| i64::try_from(v).unwrap_or(i64::MAX))
}

impl Services {
    /// The latest figures of each target of a post.
    pub async fn post_metrics(&self, access: &Access, post: PostId) -> Result<PostMetricsReport> {
        access.require(Permission::AnalyticsView)?;
        let mut conn = self.db.read().await?;
        posts::get(&mut conn, access.workspace_id, post).await?.ok_or(ServiceError::NotFound)?;
        Ok(PostMetricsReport { targets: metrics::for_post(&mut conn, access.workspace_id, post).await?, errors: Vec::new() })
    }

    /// Fetches fresh figures for every published target of a post, then answers as
    /// [`Services::post_metrics`] with what failed.
    pub async fn refresh_post_metrics(&self, access: &Access, post: PostId) -> Result<PostMetricsReport> {
        access.require(Permission::AnalyticsView)?;
        let mut conn = self.db.read().await?;
        posts::get(&mut conn, access.workspace_id, post).await?.ok_or(ServiceError::NotFound)?;
        let published: Vec<_> = targets::list_for_post(&mut conn, access.workspace_id, post).await?.into_iter().filter(|t| t.status == "published").collect();
        drop(conn);
        let mut errors = Vec::new();
        for target in published {
            let Some(platform_id) = target.platform_post_id.as_deref() else { continue };
            if let Err(error) = self.fetch_post_figures(access.workspace_id, target.account_id, target.id, platform_id).await {
                errors.push((target.id, error.to_string()));
            }
        }
        let mut report = self.post_metrics(access, post).await?;
        report.errors = errors;
        Ok(report)
    }

    /// One scheduled round: figures of posts published within 30 days and not tried within the
    /// hour, longest waiting first. Returns how many were stored.
    pub async fn refresh_due_metrics(&self) -> Result<usize> {
        let now = self.now();
        let mut conn = self.db.read().await?;
        let due = metrics::due_targets(&mut conn, now.plus_seconds(-FOLLOW_POSTS_SECS), now.plus_seconds(-POST_EVERY_SECS), BATCH).await?;
        drop(conn);
        let mut stored = 0;
        for target in due {
            match self.fetch_post_figures(target.workspace_id, target.account_id, target.target_id, &target.platform_post_id).await {
                Ok(true) => stored += 1,
                Ok(false) => {}
                Err(error) => tracing::warn!(target = %target.target_id, %error, "post metrics fetch failed; tried again in an hour"),
            }
        }
        Ok(stored)
    }

    /// An account's figures over the last `days` days, oldest first.
    pub async fn account_metrics(&self, access: &Access, account: AccountId, days: i64) -> Result<Vec<AccountFigures>> {
        access.require(Permission::AnalyticsView)?;
        let mut conn = self.db.read().await?;
        social_accounts::get(&mut conn, access.workspace_id, account).await?.ok_or(ServiceError::NotFound)?;
        let since = self.now().plus_seconds(-days.clamp(1, 3_660) * 86_400);
        Ok(metrics::account_series(&mut conn, access.workspace_id, account, since, SERIES_MAX).await?)
    }

    /// Fetches the account's figures now; answers with the series of the last 30 days.
    pub async fn refresh_account_metrics(&self, access: &Access, account: AccountId) -> Result<Vec<AccountFigures>> {
        access.require(Permission::AnalyticsView)?;
        let mut conn = self.db.read().await?;
        let row = social_accounts::get(&mut conn, access.workspace_id, account).await?.ok_or(ServiceError::NotFound)?;
        drop(conn);
        if !self.fetch_account_figures(&row).await? {
            return Err(ServiceError::field("accountId", "this account's network reports no figures here"));
        }
        self.account_metrics(access, account, 30).await
    }

    /// One scheduled round: accounts whose figures were not tried in the last 20 hours. Returns
    /// how many were stored.
    pub async fn refresh_due_account_metrics(&self) -> Result<usize> {
        let now = self.now();
        let mut conn = self.db.read().await?;
        let due = metrics::accounts_due(&mut conn, now.plus_seconds(-ACCOUNT_EVERY_SECS), BATCH).await?;
        let mut rows = Vec::new();
        for (workspace, account) in due {
            let (Ok(workspace), Ok(account)) = (workspace.parse::<WorkspaceId>(), account.parse::<AccountId>()) else { continue };
            rows.extend(social_accounts::get(&mut conn, workspace, account).await?);
        }
        drop(conn);
        let mut stored = 0;
        for row in rows {
            match self.fetch_account_figures(&row).await {
                Ok(true) => stored += 1,
                Ok(false) => {}
                Err(error) => tracing::warn!(account = %row.id, network = %row.network, %error, "account metrics fetch failed; tried again tomorrow"),
            }
        }
        Ok(stored)
    }

    /// The adapter of the account's network when it reports figures (never the sandbox).
    fn metrics_connector(&self, row: &SocialAccountRow) -> Result<Option<std::sync::Arc<dyn Connector>>> {
        let network: Network = row.network.parse().map_err(ServiceError::internal)?;
        if network == Network::Sandbox {
            return Ok(None);
        }
        Ok(self.connectors.get(network).filter(|c| c.capabilities().metrics))
    }

    /// Fetches and stores one target's figures. `Ok(false)`: its network reports none.
    async fn fetch_post_figures(&self, workspace: WorkspaceId, account: AccountId, target: TargetId, platform_post_id: &str) -> Result<bool> {
        let mut conn = self.db.read().await?;
        let Some(row) = social_accounts::get(&mut conn, workspace, account).await? else { return Ok(false) };
        let Some(connector) = self.metrics_connector(&row)? else { return Ok(false) };
        let context = self.account_context(&mut conn, &row).await?;
        drop(conn);
        let mut tx = self.db.begin().await?;
        metrics::mark_target_tried(&mut tx, target, self.now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        let figures = match connector.post_metrics(&context, platform_post_id).await {
            Ok(m) => metrics::PostFigures {
                impressions: figure(m.impressions),
                reach: figure(m.reach),
                likes: figure(m.likes),
                comments: figure(m.comments),
                shares: figure(m.shares),
                saves: figure(m.saves),
                clicks: figure(m.clicks),
                video_views: figure(m.video_views),
            },
            Err(error) => return Err(self.network_failed(&row, error).await),
        };
        let mut tx = self.db.begin().await?;
        metrics::upsert_post(&mut tx, workspace, target, account, &figures, self.now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(true)
    }

    /// Fetches and stores the account's figures. `Ok(false)`: its network reports none.
    async fn fetch_account_figures(&self, row: &SocialAccountRow) -> Result<bool> {
        let Some(connector) = self.metrics_connector(row)? else { return Ok(false) };
        let mut conn = self.db.read().await?;
        let context = self.account_context(&mut conn, row).await?;
        drop(conn);
        let mut tx = self.db.begin().await?;
        metrics::mark_account_tried(&mut tx, row.id, self.now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        let figures = match connector.account_metrics(&context).await {
            Ok(m) => metrics::AccountFigures {
                followers: figure(m.followers),
                following: figure(m.following),
                posts: figure(m.posts),
                impressions: figure(m.impressions),
                reach: figure(m.reach),
            },
            Err(error) => return Err(self.network_failed(row, error).await),
        };
        let mut tx = self.db.begin().await?;
        metrics::insert_account(&mut tx, row.workspace_id, row.id, &figures, self.now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(true)
    }

    /// What a failed read means for the account: a refused token marks it expired (the owners
    /// hear once; the schedule then leaves it alone); anything else is only reported.
    pub(crate) async fn network_failed(&self, row: &SocialAccountRow, error: PublishError) -> ServiceError {
        if let PublishError::Reconnect { message } = &error {
            let recorded = async {
                let mut tx = self.db.begin().await?;
                self.record_health(&mut tx, row.workspace_id, row.id, Health::Expired, Some(message)).await?;
                tx.commit().await.map_err(StoreError::from)?;
                Ok::<_, ServiceError>(())
            };
            if let Err(failure) = recorded.await {
                tracing::warn!(account = %row.id, %failure, "could not record the account's health");
            }
        }
        ServiceError::Network(error.message().to_owned())
    }
}
