//! Posts: the content, the schedule and the status of the whole post.

use sqlx::AnyConnection;
use zenalto_domain::{PostId, Timestamp, UserId, WorkspaceId};

use super::dynamic::{Bind, Dynamic, json_array_member};
use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct PostRow {
    #[sqlx(try_from = "String")]
    pub id: PostId,
    #[sqlx(try_from = "String")]
    pub workspace_id: WorkspaceId,
    pub author_id: Option<String>,
    pub status: String,
    pub content: String,
    pub campaign: Option<String>,
    pub tags: String,
    pub notes: Option<String>,
    pub scheduled_at: Option<i64>,
    pub time_zone: Option<String>,
    pub local_time: Option<String>,
    pub recurrence: Option<String>,
    pub version: i64,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
    #[sqlx(try_from = "i64")]
    pub updated_at: Timestamp,
    pub deleted_at: Option<i64>,
}

macro_rules! columns {
    () => {
        "id, workspace_id, author_id, status, content, campaign, tags, notes, scheduled_at, time_zone, local_time, \
         recurrence, version, created_at, updated_at, deleted_at"
    };
}

/// The editable fields of a post, written on create and on every edit.
#[derive(Clone, Debug)]
pub struct PostFields {
    pub content: String,
    pub campaign: Option<String>,
    pub tags: String,
    pub notes: Option<String>,
}

pub async fn insert(conn: &mut AnyConnection, id: PostId, workspace: WorkspaceId, author: Option<UserId>, status: &str, f: &PostFields, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO posts (id, workspace_id, author_id, status, content, campaign, tags, notes, version, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)",
    )
    .bind(id.to_string())
    .bind(workspace.to_string())
    .bind(author.map(|a| a.to_string()))
    .bind(status)
    .bind(&f.content)
    .bind(f.campaign.clone())
    .bind(&f.tags)
    .bind(f.notes.clone())
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get(conn: &mut AnyConnection, workspace: WorkspaceId, id: PostId) -> Result<Option<PostRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", columns!(), " FROM posts WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL"))
        .bind(workspace.to_string())
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?)
}

/// Reads the post and, on PostgreSQL, locks its row until the transaction ends, so an edit and
/// the worker's "is this still the version I was asked to publish?" check cannot interleave.
/// (SQLite has one writer: every write transaction is already serialised.)
pub async fn get_for_update(conn: &mut AnyConnection, backend: crate::Backend, workspace: WorkspaceId, id: PostId) -> Result<Option<PostRow>> {
    let sql = match backend {
        crate::Backend::Postgres => concat!("SELECT ", columns!(), " FROM posts WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL FOR UPDATE"),
        crate::Backend::Sqlite => concat!("SELECT ", columns!(), " FROM posts WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL"),
    };
    Ok(sqlx::query_as(sql).bind(workspace.to_string()).bind(id.to_string()).fetch_optional(conn).await?)
}

/// Writes new editable fields and bumps the version; returns the new version.
pub async fn update_fields(conn: &mut AnyConnection, workspace: WorkspaceId, id: PostId, f: &PostFields, now: Timestamp) -> Result<i64> {
    let (version,): (i64,) = sqlx::query_as(
        "UPDATE posts SET content = $1, campaign = $2, tags = $3, notes = $4, version = version + 1, updated_at = $5 \
         WHERE workspace_id = $6 AND id = $7 AND deleted_at IS NULL RETURNING version",
    )
    .bind(&f.content)
    .bind(f.campaign.clone())
    .bind(&f.tags)
    .bind(f.notes.clone())
    .bind(now.as_millis())
    .bind(workspace.to_string())
    .bind(id.to_string())
    .fetch_one(conn)
    .await?;
    Ok(version)
}

/// The schedule of a post (all `None` to unschedule); bumps the version so pending jobs are
/// superseded. Returns the new version.
pub struct Schedule<'a> {
    pub at: Option<Timestamp>,
    pub time_zone: Option<&'a str>,
    pub local_time: Option<&'a str>,
    pub recurrence: Option<&'a str>,
}

pub async fn set_schedule(conn: &mut AnyConnection, workspace: WorkspaceId, id: PostId, s: &Schedule<'_>, status: &str, now: Timestamp) -> Result<i64> {
    let (version,): (i64,) = sqlx::query_as(
        "UPDATE posts SET scheduled_at = $1, time_zone = $2, local_time = $3, recurrence = $4, status = $5, version = version + 1, updated_at = $6 \
         WHERE workspace_id = $7 AND id = $8 AND deleted_at IS NULL RETURNING version",
    )
    .bind(s.at.map(|t| t.as_millis()))
    .bind(s.time_zone.map(str::to_owned))
    .bind(s.local_time.map(str::to_owned))
    .bind(s.recurrence.map(str::to_owned))
    .bind(status)
    .bind(now.as_millis())
    .bind(workspace.to_string())
    .bind(id.to_string())
    .fetch_one(conn)
    .await?;
    Ok(version)
}

pub async fn set_status(conn: &mut AnyConnection, workspace: WorkspaceId, id: PostId, status: &str, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE posts SET status = $1, updated_at = $2 WHERE workspace_id = $3 AND id = $4")
        .bind(status)
        .bind(now.as_millis())
        .bind(workspace.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Soft delete (the row stays for the audit trail and the ledger); bumps the version so any
/// pending job is superseded.
pub async fn delete(conn: &mut AnyConnection, workspace: WorkspaceId, id: PostId, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE posts SET deleted_at = $1, status = 'cancelled', version = version + 1, updated_at = $1 WHERE workspace_id = $2 AND id = $3 AND deleted_at IS NULL",
    )
    .bind(now.as_millis())
    .bind(workspace.to_string())
    .bind(id.to_string())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Filters of the post list and the calendar; every one optional.
#[derive(Clone, Debug, Default)]
pub struct PostFilter {
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub statuses: Vec<String>,
    pub campaign: Option<String>,
    pub tag: Option<String>,
    pub account_id: Option<String>,
    pub network: Option<String>,
}

/// Posts of a workspace matching `filter`, by scheduled time (unscheduled last), at most `limit`.
/// Filters on tags use a JSON-text match on the stored array (both backends store it as TEXT).
pub async fn list(conn: &mut AnyConnection, workspace: WorkspaceId, filter: &PostFilter, limit: i64) -> Result<Vec<PostRow>> {
    let mut q = Dynamic::new(concat!("SELECT ", columns!(), " FROM posts p WHERE workspace_id = $1 AND deleted_at IS NULL"), vec![Bind::Text(workspace.to_string())]);
    if let Some(from) = filter.from {
        let p = q.param(Bind::Int(from.as_millis()));
        q.push(&format!(" AND scheduled_at >= {p}"));
    }
    if let Some(to) = filter.to {
        let p = q.param(Bind::Int(to.as_millis()));
        q.push(&format!(" AND scheduled_at < {p}"));
    }
    if !filter.statuses.is_empty() {
        let params: Vec<String> = filter.statuses.iter().map(|s| q.param(Bind::Text(s.clone()))).collect();
        q.push(&format!(" AND status IN ({})", params.join(", ")));
    }
    if let Some(campaign) = &filter.campaign {
        let p = q.param(Bind::Text(campaign.clone()));
        q.push(&format!(" AND campaign = {p}"));
    }
    if let Some(tag) = &filter.tag {
        let p = q.param(Bind::Text(json_array_member(tag)));
        q.push(&format!(" AND tags LIKE {p} ESCAPE '\\'"));
    }
    if let Some(account) = &filter.account_id {
        let p = q.param(Bind::Text(account.clone()));
        q.push(&format!(" AND EXISTS (SELECT 1 FROM post_targets t WHERE t.post_id = p.id AND t.account_id = {p})"));
    }
    if let Some(network) = &filter.network {
        let p = q.param(Bind::Text(network.clone()));
        q.push(&format!(" AND EXISTS (SELECT 1 FROM post_targets t WHERE t.post_id = p.id AND t.network = {p})"));
    }
    let p = q.param(Bind::Int(limit));
    q.push(&format!(" ORDER BY CASE WHEN scheduled_at IS NULL THEN 1 ELSE 0 END, scheduled_at, id LIMIT {p}"));
    q.fetch_all(conn).await
}

/// When the scheduled posts of an account go out from `from` on (for "next free slot").
pub async fn scheduled_times_for_account(conn: &mut AnyConnection, workspace: WorkspaceId, account: &str, from: Timestamp) -> Result<Vec<i64>> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT p.scheduled_at FROM posts p JOIN post_targets t ON t.post_id = p.id \
         WHERE p.workspace_id = $1 AND t.account_id = $2 AND p.deleted_at IS NULL AND p.status = 'scheduled' AND p.scheduled_at >= $3 \
         ORDER BY p.scheduled_at",
    )
    .bind(workspace.to_string())
    .bind(account)
    .bind(from.as_millis())
    .fetch_all(conn)
    .await?;
    Ok(rows.into_iter().map(|(t,)| t).collect())
}

/// Posts of a workspace whose content holds every one of `words` (case-insensitive), in the given
/// statuses (all when empty), most recently changed first: how "the post about the webinar" is
/// found.
pub async fn search_words(conn: &mut AnyConnection, workspace: WorkspaceId, words: &[String], statuses: &[String], limit: i64) -> Result<Vec<PostRow>> {
    let mut q = Dynamic::new(concat!("SELECT ", columns!(), " FROM posts p WHERE workspace_id = $1 AND deleted_at IS NULL"), vec![Bind::Text(workspace.to_string())]);
    for word in words {
        let p = q.param(Bind::Text(format!("%{}%", super::dynamic::like_escape(&word.to_lowercase()))));
        q.push(&format!(" AND LOWER(content) LIKE {p} ESCAPE '\\'"));
    }
    if !statuses.is_empty() {
        let params: Vec<String> = statuses.iter().map(|s| q.param(Bind::Text(s.clone()))).collect();
        q.push(&format!(" AND status IN ({})", params.join(", ")));
    }
    let p = q.param(Bind::Int(limit));
    q.push(&format!(" ORDER BY updated_at DESC, id DESC LIMIT {p}"));
    q.fetch_all(conn).await
}
