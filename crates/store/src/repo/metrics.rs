//! What the networks report about published posts (latest figures, one row per target) and
//! about accounts (one row per fetch, so growth can be drawn).

use sqlx::AnyConnection;
use zenalto_domain::{AccountId, AccountMetricsId, PostId, TargetId, Timestamp, WorkspaceId};

use crate::Result;

/// A post's figures as a network reported them; `None`: not reported.
#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct PostFigures {
    pub impressions: Option<i64>,
    pub reach: Option<i64>,
    pub likes: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub saves: Option<i64>,
    pub clicks: Option<i64>,
    pub video_views: Option<i64>,
}

/// One target of a post with its latest figures (none until the first fetch).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TargetMetricsRow {
    #[sqlx(try_from = "String")]
    pub target_id: TargetId,
    #[sqlx(try_from = "String")]
    pub account_id: AccountId,
    pub network: String,
    pub status: String,
    pub platform_post_id: Option<String>,
    pub platform_url: Option<String>,
    pub published_at: Option<i64>,
    #[sqlx(flatten)]
    pub figures: PostFigures,
    pub fetched_at: Option<i64>,
}

/// A published target whose figures are due.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DueTarget {
    #[sqlx(try_from = "String")]
    pub target_id: TargetId,
    #[sqlx(try_from = "String")]
    pub workspace_id: WorkspaceId,
    #[sqlx(try_from = "String")]
    pub account_id: AccountId,
    pub platform_post_id: String,
}

/// An account's figures as a network reported them.
#[derive(Clone, Debug, Default, sqlx::FromRow)]
pub struct AccountFigures {
    pub followers: Option<i64>,
    pub following: Option<i64>,
    pub posts: Option<i64>,
    pub impressions: Option<i64>,
    pub reach: Option<i64>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AccountMetricsRow {
    #[sqlx(flatten)]
    pub figures: AccountFigures,
    pub fetched_at: i64,
}

/// Replaces the target's figures with the latest ones.
pub async fn upsert_post(
    conn: &mut AnyConnection,
    workspace: WorkspaceId,
    target: TargetId,
    account: AccountId,
    f: &PostFigures,
    now: Timestamp,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO post_metrics (target_id, workspace_id, account_id, impressions, reach, likes, comments, shares, saves, clicks, video_views, fetched_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (target_id) DO UPDATE SET impressions = excluded.impressions, reach = excluded.reach, likes = excluded.likes, \
         comments = excluded.comments, shares = excluded.shares, saves = excluded.saves, clicks = excluded.clicks, video_views = excluded.video_views, \
         fetched_at = excluded.fetched_at",
    )
    .bind(target.to_string())
    .bind(workspace.to_string())
    .bind(account.to_string())
    .bind(f.impressions)
    .bind(f.reach)
    .bind(f.likes)
    .bind(f.comments)
    .bind(f.shares)
    .bind(f.saves)
    .bind(f.clicks)
    .bind(f.video_views)
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// Every target of a post with its latest figures.
pub async fn for_post(conn: &mut AnyConnection, workspace: WorkspaceId, post: PostId) -> Result<Vec<TargetMetricsRow>> {
    Ok(sqlx::query_as(
        "SELECT t.id AS target_id, t.account_id, t.network, t.status, t.platform_post_id, t.platform_url, t.published_at, \
         m.impressions, m.reach, m.likes, m.comments, m.shares, m.saves, m.clicks, m.video_views, m.fetched_at \
         FROM post_targets t LEFT JOIN post_metrics m ON m.target_id = t.id \
         WHERE t.workspace_id = $1 AND t.post_id = $2 ORDER BY t.id",
    )
    .bind(workspace.to_string())
    .bind(post.to_string())
    .fetch_all(conn)
    .await?)
}

/// Published targets of real networks, published after `published_after`, whose figures were
/// not tried since `tried_before`; the longest waiting first. Accounts that need reconnecting
/// are left out: their calls would only fail.
pub async fn due_targets(conn: &mut AnyConnection, published_after: Timestamp, tried_before: Timestamp, limit: i64) -> Result<Vec<DueTarget>> {
    Ok(sqlx::query_as(
        "SELECT t.id AS target_id, t.workspace_id, t.account_id, t.platform_post_id FROM post_targets t JOIN social_accounts a ON a.id = t.account_id \
         WHERE t.status = 'published' AND t.platform_post_id IS NOT NULL AND t.network <> 'sandbox' AND t.published_at >= $1 \
         AND (t.metrics_attempted_at IS NULL OR t.metrics_attempted_at < $2) AND a.disconnected_at IS NULL AND a.health NOT IN ('expired', 'revoked') \
         ORDER BY COALESCE(t.metrics_attempted_at, 0), t.id LIMIT $3",
    )
    .bind(published_after.as_millis())
    .bind(tried_before.as_millis())
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Records a try at the target's figures (before the call, so a crash still counts it).
pub async fn mark_target_tried(conn: &mut AnyConnection, target: TargetId, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE post_targets SET metrics_attempted_at = $1 WHERE id = $2").bind(now.as_millis()).bind(target.to_string()).execute(conn).await?;
    Ok(())
}

/// Records a try at the account's figures.
pub async fn mark_account_tried(conn: &mut AnyConnection, account: AccountId, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE social_accounts SET metrics_attempted_at = $1 WHERE id = $2").bind(now.as_millis()).bind(account.to_string()).execute(conn).await?;
    Ok(())
}

pub async fn insert_account(conn: &mut AnyConnection, workspace: WorkspaceId, account: AccountId, f: &AccountFigures, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO account_metrics (id, workspace_id, account_id, followers, following, posts, impressions, reach, fetched_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(AccountMetricsId::new().to_string())
    .bind(workspace.to_string())
    .bind(account.to_string())
    .bind(f.followers)
    .bind(f.following)
    .bind(f.posts)
    .bind(f.impressions)
    .bind(f.reach)
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// The account's figures fetched since `since`, oldest first (a series to draw).
pub async fn account_series(
    conn: &mut AnyConnection,
    workspace: WorkspaceId,
    account: AccountId,
    since: Timestamp,
    limit: i64,
) -> Result<Vec<AccountMetricsRow>> {
    let mut rows: Vec<AccountMetricsRow> = sqlx::query_as(
        "SELECT followers, following, posts, impressions, reach, fetched_at FROM account_metrics \
         WHERE workspace_id = $1 AND account_id = $2 AND fetched_at >= $3 ORDER BY fetched_at DESC LIMIT $4",
    )
    .bind(workspace.to_string())
    .bind(account.to_string())
    .bind(since.as_millis())
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.reverse();
    Ok(rows)
}

/// Connected accounts of real networks whose figures were not tried since `tried_before`.
pub async fn accounts_due(conn: &mut AnyConnection, tried_before: Timestamp, limit: i64) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT workspace_id, id FROM social_accounts WHERE network <> 'sandbox' AND disconnected_at IS NULL AND health NOT IN ('expired', 'revoked') \
         AND (metrics_attempted_at IS NULL OR metrics_attempted_at < $1) ORDER BY COALESCE(metrics_attempted_at, 0), id LIMIT $2",
    )
    .bind(tried_before.as_millis())
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
