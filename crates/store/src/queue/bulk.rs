//! Bulk writes of scheduled posts, for `zenalto bench queue` (and later bulk imports) only — the
//! use cases schedule one post at a time through `services`. `insert_scheduled` writes the posts,
//! their single target and their publish job with one multi-row INSERT per table, so a
//! benchmark can put 100,000 posts in the queue in seconds. `shift_due` moves every queued job of
//! a workspace (and its post's time) by the same amount, so the posts become due at the instant
//! the benchmark chooses, after the workers are already running. The read helpers measure the
//! outcome. Nothing here checks permissions or writes audit rows: callers are operator tools.

use sqlx::AnyConnection;
use zenalto_domain::{AccountId, JobId, PostId, TargetId, Timestamp, UserId, WorkspaceId};

use super::{PUBLISH, binds::Binds};
use crate::Result;

/// Posts per statement: 10 bind parameters per job row keeps a chunk well under SQLite's limit
/// of 32,766 parameters and PostgreSQL's of 65,535.
pub const CHUNK: usize = 1_000;

/// One post to one account, due at `run_at`.
pub struct ScheduledPost {
    pub account_id: AccountId,
    pub run_at: Timestamp,
}

/// What every post of a bulk insert shares.
pub struct Common<'a> {
    pub workspace: WorkspaceId,
    pub author: Option<UserId>,
    /// The network of every target (the account's).
    pub network: &'a str,
    /// The content of every post, as JSON of `PostContent`.
    pub content: &'a str,
    pub max_attempts: i64,
}

/// Writes scheduled posts with one target each and a queued publish job each, `CHUNK` at a
/// time. Run it inside a transaction: the caller decides how many chunks one commit holds.
pub async fn insert_scheduled(conn: &mut AnyConnection, common: &Common<'_>, posts: &[ScheduledPost], now: Timestamp) -> Result<()> {
    let Common { workspace, author, network, content, max_attempts } = *common;
    for chunk in posts.chunks(CHUNK) {
        let ids: Vec<(PostId, TargetId, JobId)> = chunk.iter().map(|_| (PostId::new(), TargetId::new(), JobId::new())).collect();

        // Every value is bound per row (`Binds`: anonymous placeholders on SQLite).
        let mut binds = Binds::for_connection(conn);
        let rows: Vec<String> =
            chunk.iter().map(|_| format!("({}, 'scheduled', {}, '[]', {}, 'UTC', 1, {})", binds.list(3), binds.next(), binds.next(), binds.list(2))).collect();
        let sql = format!(
            "INSERT INTO posts (id, workspace_id, author_id, status, content, tags, scheduled_at, time_zone, version, created_at, updated_at) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (post, (id, _, _)) in chunk.iter().zip(&ids) {
            q = q.bind(id.to_string()).bind(workspace.to_string()).bind(author.map(|a| a.to_string())).bind(content).bind(post.run_at.as_millis()).bind(now.as_millis()).bind(now.as_millis());
        }
        q.execute(&mut *conn).await?;

        let mut binds = Binds::for_connection(conn);
        let rows: Vec<String> = chunk.iter().map(|_| format!("({}, 'scheduled', {})", binds.list(5), binds.list(2))).collect();
        let sql = format!("INSERT INTO post_targets (id, workspace_id, post_id, account_id, network, status, created_at, updated_at) VALUES {}", rows.join(", "));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (post, (id, target, _)) in chunk.iter().zip(&ids) {
            q = q.bind(target.to_string()).bind(workspace.to_string()).bind(id.to_string()).bind(post.account_id.to_string()).bind(network).bind(now.as_millis()).bind(now.as_millis());
        }
        q.execute(&mut *conn).await?;

        let mut binds = Binds::for_connection(conn);
        let rows: Vec<String> = chunk.iter().map(|_| format!("({}, 1, {}, 'queued', {})", binds.list(5), binds.list(2), binds.list(3))).collect();
        let sql = format!(
            "INSERT INTO jobs (id, workspace_id, kind, target_id, post_id, post_version, account_id, network, state, run_at, max_attempts, created_at) VALUES {}",
            rows.join(", ")
        );
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        for (post, (id, target, job)) in chunk.iter().zip(&ids) {
            q = q
                .bind(job.to_string())
                .bind(workspace.to_string())
                .bind(PUBLISH)
                .bind(target.to_string())
                .bind(id.to_string())
                .bind(post.account_id.to_string())
                .bind(network)
                .bind(post.run_at.as_millis())
                .bind(max_attempts)
                .bind(now.as_millis());
        }
        q.execute(&mut *conn).await?;
    }
    Ok(())
}

/// Refreshes the planner's statistics of the tables a bulk insert filled, as PostgreSQL's
/// manual asks after a bulk load ("Populating a Database": run ANALYZE afterwards). Autovacuum
/// would get there within a minute or so; until then the planner prices lookups in those tables
/// from their empty state. SQLite gathers its `sqlite_stat1` the same way.
pub async fn analyze(conn: &mut AnyConnection) -> Result<()> {
    for table in ["posts", "post_targets", "jobs"] {
        sqlx::query(sqlx::AssertSqlSafe(format!("ANALYZE {table}"))).execute(&mut *conn).await?;
    }
    Ok(())
}

/// Moves the due time of every queued job of the workspace, and the scheduled time of its
/// scheduled posts, by `delta_millis`.
pub async fn shift_due(conn: &mut AnyConnection, workspace: WorkspaceId, delta_millis: i64) -> Result<u64> {
    let jobs = sqlx::query("UPDATE jobs SET run_at = run_at + $1 WHERE workspace_id = $2 AND state = 'queued'")
        .bind(delta_millis)
        .bind(workspace.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query("UPDATE posts SET scheduled_at = scheduled_at + $1 WHERE workspace_id = $2 AND status = 'scheduled'")
        .bind(delta_millis)
        .bind(workspace.to_string())
        .execute(conn)
        .await?;
    Ok(jobs.rows_affected())
}

/// Whether any job is still queued or running: stops at the first one, so polling it while a
/// benchmark runs costs the database little (a count walks every outstanding job each time).
pub async fn any_outstanding(conn: &mut AnyConnection) -> Result<bool> {
    let (found,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM (SELECT 1 FROM jobs WHERE state IN ('queued', 'running') LIMIT 1) AS one").fetch_one(conn).await?;
    Ok(found > 0)
}

/// Jobs not ended yet (queued or running), in every workspace.
pub async fn outstanding(conn: &mut AnyConnection) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running')").fetch_one(conn).await?;
    Ok(n)
}

/// `(scheduled_at, published_at)` in milliseconds of every published target of the workspace.
pub async fn published_times(conn: &mut AnyConnection, workspace: WorkspaceId) -> Result<Vec<(i64, i64)>> {
    Ok(sqlx::query_as(
        "SELECT p.scheduled_at, t.published_at FROM post_targets t JOIN posts p ON p.id = t.post_id \
         WHERE t.workspace_id = $1 AND t.status = 'published' AND p.scheduled_at IS NOT NULL AND t.published_at IS NOT NULL",
    )
    .bind(workspace.to_string())
    .fetch_all(conn)
    .await?)
}

/// Targets of the workspace by status.
pub async fn target_counts(conn: &mut AnyConnection, workspace: WorkspaceId) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as("SELECT status, COUNT(*) FROM post_targets WHERE workspace_id = $1 GROUP BY status ORDER BY status")
        .bind(workspace.to_string())
        .fetch_all(conn)
        .await?)
}

/// Transactions committed in the current database so far (PostgreSQL's statistics, which lag
/// by up to a second and count read-only transactions too); None on SQLite, which keeps none.
pub async fn transactions_committed(conn: &mut AnyConnection, backend: crate::Backend) -> Result<Option<i64>> {
    if backend != crate::Backend::Postgres {
        return Ok(None);
    }
    let (n,): (i64,) = sqlx::query_as("SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()").fetch_one(conn).await?;
    Ok(Some(n))
}
