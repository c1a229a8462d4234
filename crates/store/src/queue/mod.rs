//! The durable job queue: rows in the `jobs` table, written in the same transaction as the state
//! change that needs them. Claims are the only backend-specific part (one small file each):
//! PostgreSQL uses `FOR UPDATE SKIP LOCKED` so many workers claim disjoint batches; SQLite has a
//! single writer, so a plain `UPDATE … RETURNING` is already exclusive.
//!
//! A claimed job is leased to one worker until `lease_expires_at`; the worker extends the lease
//! while it works (heartbeat), and every later write checks it still holds the lease, so a worker
//! that lost its lease (paused, partitioned) cannot overwrite the work of the one that took over.
//!
//! A job goes `queued` → `running` → one of: deleted (it succeeded: the ledger keeps the record,
//! `succeed`), `failed`, `superseded`, `done` (its target was already published), or back to
//! `queued` (retry, expired lease). Ended jobs that were not deleted are kept a week.

pub mod batch;
mod binds;
pub mod bulk;
mod claim_postgres;
mod claim_sqlite;

use sqlx::AnyConnection;
use zenalto_domain::{AccountId, JobId, PostId, TargetId, Timestamp, WorkspaceId};

use crate::{Backend, Result};

/// Job kinds. Today only publishing one target of a post.
pub const PUBLISH: &str = "publish";

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct JobRow {
    #[sqlx(try_from = "String")]
    pub id: JobId,
    #[sqlx(try_from = "String")]
    pub workspace_id: WorkspaceId,
    pub kind: String,
    pub target_id: Option<String>,
    pub post_id: Option<String>,
    pub post_version: i64,
    pub account_id: Option<String>,
    pub network: Option<String>,
    pub state: String,
    pub run_at: i64,
    pub attempt: i64,
    pub max_attempts: i64,
    pub last_error: Option<String>,
}

macro_rules! columns {
    () => {
        "id, workspace_id, kind, target_id, post_id, post_version, account_id, network, state, run_at, attempt, max_attempts, last_error"
    };
}
pub(crate) use columns;

pub struct NewJob {
    pub workspace_id: WorkspaceId,
    pub target_id: TargetId,
    pub post_id: PostId,
    pub post_version: i64,
    pub account_id: AccountId,
    pub network: String,
    pub run_at: Timestamp,
    pub max_attempts: i64,
}

pub async fn enqueue_publish(conn: &mut AnyConnection, j: &NewJob, now: Timestamp) -> Result<JobId> {
    let id = JobId::new();
    sqlx::query(
        "INSERT INTO jobs (id, workspace_id, kind, target_id, post_id, post_version, account_id, network, state, run_at, max_attempts, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9, $10, $11)",
    )
    .bind(id.to_string())
    .bind(j.workspace_id.to_string())
    .bind(PUBLISH)
    .bind(j.target_id.to_string())
    .bind(j.post_id.to_string())
    .bind(j.post_version)
    .bind(j.account_id.to_string())
    .bind(&j.network)
    .bind(j.run_at.as_millis())
    .bind(j.max_attempts)
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(id)
}

/// Supersedes every queued job of a post (it was edited, rescheduled, unscheduled or deleted);
/// returns how many. A running job is not touched here: it re-checks the post's version in the
/// same transaction that commits its attempt, and stops if it is stale.
pub async fn supersede_for_post(conn: &mut AnyConnection, workspace: WorkspaceId, post: PostId, now: Timestamp) -> Result<u64> {
    let done = sqlx::query("UPDATE jobs SET state = 'superseded', finished_at = $1 WHERE workspace_id = $2 AND post_id = $3 AND state = 'queued'")
        .bind(now.as_millis())
        .bind(workspace.to_string())
        .bind(post.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Whether a job of the post is running right now (its network call may be in flight).
pub async fn running_for_post(conn: &mut AnyConnection, workspace: WorkspaceId, post: PostId) -> Result<bool> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE workspace_id = $1 AND post_id = $2 AND state = 'running'")
        .bind(workspace.to_string())
        .bind(post.to_string())
        .fetch_one(conn)
        .await?;
    Ok(n > 0)
}

/// Claims up to `limit` due jobs for `owner`, leased until `lease_until`.
pub async fn claim(conn: &mut AnyConnection, backend: Backend, owner: &str, now: Timestamp, lease_until: Timestamp, limit: i64) -> Result<Vec<JobRow>> {
    match backend {
        Backend::Postgres => claim_postgres::claim(conn, owner, now, lease_until, limit).await,
        Backend::Sqlite => claim_sqlite::claim(conn, owner, now, lease_until, limit).await,
    }
}

/// Extends the lease of those of `jobs` that `owner` still holds. Only the jobs a worker is
/// still working on are named: one whose run failed is left to expire and be rescued, instead of
/// staying leased for as long as its worker lives. Held means `lease_owner = owner`, as in
/// `batch::finish_jobs` (which says why `state` is not named).
pub async fn heartbeat(conn: &mut AnyConnection, owner: &str, jobs: &[JobId], lease_until: Timestamp) -> Result<u64> {
    let mut extended = 0;
    for chunk in jobs.chunks(HEARTBEAT_CHUNK) {
        let mut binds = binds::Binds::for_connection(conn);
        let sql = format!("UPDATE jobs SET lease_expires_at = {} WHERE lease_owner = {} AND id IN ({})", binds.next(), binds.next(), binds.list(chunk.len()));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(lease_until.as_millis()).bind(owner);
        for job in chunk {
            q = q.bind(job.to_string());
        }
        extended += q.execute(&mut *conn).await?.rows_affected();
    }
    Ok(extended)
}

/// Job ids per heartbeat statement (well under either backend's bind-parameter limit).
const HEARTBEAT_CHUNK: usize = 500;

/// Ends a job `owner` holds as `done`, `failed` or `superseded`; false if the lease was lost.
pub async fn finish(conn: &mut AnyConnection, id: JobId, owner: &str, state: &str, error: Option<&str>, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET state = $1, last_error = $2, finished_at = $3, lease_owner = NULL, lease_expires_at = NULL \
         WHERE id = $4 AND lease_owner = $5 AND state = 'running'",
    )
    .bind(state)
    .bind(error.map(str::to_owned))
    .bind(now.as_millis())
    .bind(id.to_string())
    .bind(owner)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Ends a job `owner` holds that succeeded, by deleting it; false if the lease was lost. Its record
/// is the ledger row of the attempt that succeeded (job id, start, end, outcome) and the target;
/// jobs that end any other way stay a week for operators (`prune_finished`). Deleting instead of
/// marking `done` is the cheaper write on the busiest path (no new row version, no index entry).
pub async fn succeed(conn: &mut AnyConnection, id: JobId, owner: &str) -> Result<bool> {
    let done = sqlx::query("DELETE FROM jobs WHERE id = $1 AND lease_owner = $2").bind(id.to_string()).bind(owner).execute(conn).await?;
    Ok(done.rows_affected() == 1)
}

/// Puts a job `owner` holds back in the queue to run at `run_at`; false if the lease was lost.
/// `refund` gives the attempt back (a rate limit is not the post's fault).
pub async fn retry_at(conn: &mut AnyConnection, id: JobId, owner: &str, run_at: Timestamp, error: &str, refund: bool) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET state = 'queued', run_at = $1, last_error = $2, lease_owner = NULL, lease_expires_at = NULL, attempt = attempt - $5 \
         WHERE id = $3 AND lease_owner = $4 AND state = 'running'",
    )
    .bind(run_at.as_millis())
    .bind(error)
    .bind(id.to_string())
    .bind(owner)
    .bind(i64::from(refund))
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Returns jobs whose lease expired (their worker died or hung) to the queue, due now. The next
/// claim finds the attempt left `pending` in the ledger and verifies it before trying again.
pub async fn rescue_expired(conn: &mut AnyConnection, now: Timestamp) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE jobs SET state = 'queued', run_at = $1, lease_owner = NULL, lease_expires_at = NULL, last_error = 'lease expired: the worker stopped' \
         WHERE state = 'running' AND lease_expires_at < $1",
    )
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// Holds back every queued job of an account until `until` (the network said "too many
/// requests"); every worker sees it because it is in the queue itself.
pub async fn defer_account(conn: &mut AnyConnection, account: &str, until: Timestamp) -> Result<u64> {
    let done = sqlx::query("UPDATE jobs SET run_at = $1 WHERE account_id = $2 AND state = 'queued' AND run_at < $1")
        .bind(until.as_millis())
        .bind(account)
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// Holds back every queued job of every account of `network`, in all workspaces, until `until`:
/// the app's own budget at the network is spent, and it is shared by all of them.
pub async fn defer_network(conn: &mut AnyConnection, network: &str, until: Timestamp) -> Result<u64> {
    let done = sqlx::query(
        "UPDATE jobs SET run_at = $1 WHERE state = 'queued' AND run_at < $1 AND account_id IN (SELECT id FROM social_accounts WHERE network = $2)",
    )
    .bind(until.as_millis())
    .bind(network)
    .execute(conn)
    .await?;
    Ok(done.rows_affected())
}

/// When the next queued job falls due, for the worker's timer.
pub async fn next_due(conn: &mut AnyConnection) -> Result<Option<Timestamp>> {
    let (at,): (Option<i64>,) = sqlx::query_as("SELECT MIN(run_at) FROM jobs WHERE state = 'queued'").fetch_one(conn).await?;
    Ok(at.map(Timestamp::from_millis))
}

/// The newest job of a post, for the API to show why a post is where it is.
pub async fn latest_for_post(conn: &mut AnyConnection, workspace: WorkspaceId, post: PostId) -> Result<Vec<JobRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", columns!(), " FROM jobs WHERE workspace_id = $1 AND post_id = $2 ORDER BY id"))
        .bind(workspace.to_string())
        .bind(post.to_string())
        .fetch_all(conn)
        .await?)
}

/// Counts of jobs by state (operations and tests).
pub async fn counts(conn: &mut AnyConnection) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as("SELECT state, COUNT(*) FROM jobs GROUP BY state ORDER BY state").fetch_all(conn).await?)
}

/// Deletes ended jobs older than `before` so the hot table stays small (succeeded ones are
/// deleted when they succeed).
pub async fn prune_finished(conn: &mut AnyConnection, before: Timestamp) -> Result<u64> {
    let done = sqlx::query("DELETE FROM jobs WHERE state IN ('done', 'failed', 'superseded') AND finished_at < $1")
        .bind(before.as_millis())
        .execute(conn)
        .await?;
    Ok(done.rows_affected())
}

/// The PostgreSQL channel workers LISTEN on for new due jobs.
pub const NOTIFY_CHANNEL: &str = "zenalto_jobs";

/// Wakes workers in other processes once the surrounding transaction commits (PostgreSQL
/// delivers a NOTIFY at commit, never for a rolled-back transaction). A no-op on SQLite.
pub async fn notify_workers(conn: &mut AnyConnection, backend: Backend) -> Result<()> {
    if backend == Backend::Postgres {
        sqlx::query("SELECT pg_notify($1, '')").bind(NOTIFY_CHANNEL).execute(conn).await?;
    }
    Ok(())
}
