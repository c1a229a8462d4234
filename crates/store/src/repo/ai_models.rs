//! What the AI models learn from and keep: engagement history of published posts (a target, its
//! post's content and its latest figures), the trained models per workspace, and the
//! workspace's own prompt templates.

use sqlx::AnyConnection;
use zenalto_domain::{AccountId, Timestamp, WorkspaceId};

use crate::Result;

/// A published target with figures: what was posted where and when, and how it did.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct EngagementRow {
    pub account_id: String,
    pub network: String,
    pub published_at: i64,
    /// The post's content JSON and the target's per-network override JSON.
    pub content: String,
    pub overrides: Option<String>,
    pub likes: Option<i64>,
    pub comments: Option<i64>,
    pub shares: Option<i64>,
    pub saves: Option<i64>,
}

impl EngagementRow {
    /// Interactions: likes + comments + shares + saves (impressions and clicks are reported by
    /// too few networks to compare across them).
    pub fn engagement(&self) -> f64 {
        [self.likes, self.comments, self.shares, self.saves]
            .iter()
            .map(|v| v.unwrap_or(0).max(0))
            .sum::<i64>() as f64
    }
}

/// The latest `limit` published targets with figures, newest first; one account's or all.
pub async fn engagement_history(
    conn: &mut AnyConnection,
    workspace: WorkspaceId,
    account: Option<AccountId>,
    limit: i64,
) -> Result<Vec<EngagementRow>> {
    let query = match account {
        None => sqlx::query_as::<_, EngagementRow>(
            "SELECT t.account_id, t.network, t.published_at, p.content, t.overrides, m.likes, m.comments, m.shares, m.saves \
             FROM post_metrics m JOIN post_targets t ON t.id = m.target_id JOIN posts p ON p.id = t.post_id \
             WHERE m.workspace_id = $1 AND t.workspace_id = $1 AND t.status = 'published' AND t.published_at IS NOT NULL \
             ORDER BY t.published_at DESC LIMIT $2",
        )
        .bind(workspace.to_string())
        .bind(limit),
        Some(account) => sqlx::query_as::<_, EngagementRow>(
            "SELECT t.account_id, t.network, t.published_at, p.content, t.overrides, m.likes, m.comments, m.shares, m.saves \
             FROM post_metrics m JOIN post_targets t ON t.id = m.target_id JOIN posts p ON p.id = t.post_id \
             WHERE m.workspace_id = $1 AND t.workspace_id = $1 AND t.status = 'published' AND t.published_at IS NOT NULL \
             AND t.account_id = $3 ORDER BY t.published_at DESC LIMIT $2",
        )
        .bind(workspace.to_string())
        .bind(limit)
        .bind(account.to_string()),
    };
    Ok(query.fetch_all(conn).await?)
}

/// Per workspace: published targets with figures (what a model could train on).
pub async fn figure_counts(conn: &mut AnyConnection) -> Result<Vec<(String, i64)>> {
    Ok(sqlx::query_as(
        "SELECT m.workspace_id, COUNT(*) FROM post_metrics m JOIN post_targets t ON t.id = m.target_id \
         WHERE t.status = 'published' AND t.published_at IS NOT NULL GROUP BY m.workspace_id",
    )
    .fetch_all(conn)
    .await?)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ModelRow {
    pub trained_at: i64,
    pub samples: i64,
    pub metrics: String,
    pub parameters: String,
}

pub async fn get_model(
    conn: &mut AnyConnection,
    workspace: WorkspaceId,
    kind: &str,
) -> Result<Option<ModelRow>> {
    Ok(sqlx::query_as("SELECT trained_at, samples, metrics, parameters FROM ai_models WHERE workspace_id = $1 AND kind = $2")
        .bind(workspace.to_string())
        .bind(kind)
        .fetch_optional(conn)
        .await?)
}

/// Every stored model of a kind: (workspace, samples, trained_at), for the retraining loop.
pub async fn trained(conn: &mut AnyConnection, kind: &str) -> Result<Vec<(String, i64, i64)>> {
    Ok(
        sqlx::query_as("SELECT workspace_id, samples, trained_at FROM ai_models WHERE kind = $1")
            .bind(kind)
            .fetch_all(conn)
            .await?,
    )
}

pub async fn put_model(
    conn: &mut AnyConnection,
    workspace: WorkspaceId,
    kind: &str,
    row: &ModelRow,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO ai_models (workspace_id, kind, trained_at, samples, metrics, parameters) VALUES ($1, $2, $3, $4, $5, $6) \
         ON CONFLICT (workspace_id, kind) DO UPDATE SET trained_at = excluded.trained_at, samples = excluded.samples, \
         metrics = excluded.metrics, parameters = excluded.parameters",
    )
    .bind(workspace.to_string())
    .bind(kind)
    .bind(row.trained_at)
    .bind(row.samples)
    .bind(&row.metrics)
    .bind(&row.parameters)
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TemplateRow {
    pub id: String,
    pub name: String,
    pub category: String,
    pub instructions: String,
    pub body: String,
    /// JSON array of variables.
    pub variables: String,
    pub created_at: i64,
    pub updated_at: i64,
}

pub async fn list_templates(
    conn: &mut AnyConnection,
    workspace: WorkspaceId,
    limit: i64,
) -> Result<Vec<TemplateRow>> {
    Ok(sqlx::query_as(
        "SELECT id, name, category, instructions, body, variables, created_at, updated_at FROM ai_templates WHERE workspace_id = $1 ORDER BY name, id LIMIT $2",
    )
        .bind(workspace.to_string())
        .bind(limit)
        .fetch_all(conn)
        .await?)
}

pub async fn get_template(
    conn: &mut AnyConnection,
    workspace: WorkspaceId,
    id: &str,
) -> Result<Option<TemplateRow>> {
    Ok(sqlx::query_as("SELECT id, name, category, instructions, body, variables, created_at, updated_at FROM ai_templates WHERE workspace_id = $1 AND id = $2")
        .bind(workspace.to_string())
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

pub async fn count_templates(conn: &mut AnyConnection, workspace: WorkspaceId) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM ai_templates WHERE workspace_id = $1")
        .bind(workspace.to_string())
        .fetch_one(conn)
        .await?;
    Ok(n)
}

pub async fn insert_template(
    conn: &mut AnyConnection,
    workspace: WorkspaceId,
    author: Option<&str>,
    row: &TemplateRow,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO ai_templates (id, workspace_id, name, category, instructions, body, variables, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(&row.id)
    .bind(workspace.to_string())
    .bind(&row.name)
    .bind(&row.category)
    .bind(&row.instructions)
    .bind(&row.body)
    .bind(&row.variables)
    .bind(author)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Replaces a template's fields; false when it is not the workspace's.
pub async fn update_template(
    conn: &mut AnyConnection,
    workspace: WorkspaceId,
    row: &TemplateRow,
    now: Timestamp,
) -> Result<bool> {
    let done = sqlx::query(
        "UPDATE ai_templates SET name = $1, category = $2, instructions = $3, body = $4, variables = $5, updated_at = $6 \
         WHERE workspace_id = $7 AND id = $8",
    )
    .bind(&row.name)
    .bind(&row.category)
    .bind(&row.instructions)
    .bind(&row.body)
    .bind(&row.variables)
    .bind(now.as_millis())
    .bind(workspace.to_string())
    .bind(&row.id)
    .execute(conn)
    .await?;
    Ok(done.rows_affected() > 0)
}

pub async fn delete_template(
    conn: &mut AnyConnection,
    workspace: WorkspaceId,
    id: &str,
) -> Result<bool> {
    let done = sqlx::query("DELETE FROM ai_templates WHERE workspace_id = $1 AND id = $2")
        .bind(workspace.to_string())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() > 0)
}
