//! AI settings per workspace and the usage ledger of provider answers.

use sqlx::AnyConnection;
use zenalto_domain::{Timestamp, WorkspaceId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct AiSettingsRow {
    /// JSON array; keys inside are vault ciphertexts.
    pub providers: String,
    pub monthly_budget_micros: Option<i64>,
}

pub async fn get_settings(conn: &mut AnyConnection, workspace: WorkspaceId) -> Result<Option<AiSettingsRow>> {
    Ok(sqlx::query_as::<_, AiSettingsRow>("SELECT providers, monthly_budget_micros FROM ai_settings WHERE workspace_id = $1")
        .bind(workspace.to_string())
        .fetch_optional(conn)
        .await?)
}

pub async fn put_settings(conn: &mut AnyConnection, workspace: WorkspaceId, row: &AiSettingsRow, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO ai_settings (workspace_id, providers, monthly_budget_micros, updated_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (workspace_id) DO UPDATE SET providers = $2, monthly_budget_micros = $3, updated_at = $4",
    )
    .bind(workspace.to_string())
    .bind(&row.providers)
    .bind(row.monthly_budget_micros)
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

#[derive(Clone, Debug)]
pub struct NewUsage<'a> {
    pub task: &'a str,
    pub provider: &'a str,
    pub model: &'a str,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cost_micros: i64,
}

pub async fn insert_usage(conn: &mut AnyConnection, workspace: WorkspaceId, usage: &NewUsage<'_>, now: Timestamp) -> Result<()> {
    sqlx::query(
        "INSERT INTO ai_usage (id, workspace_id, task, provider, model, input_tokens, output_tokens, cost_micros, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(workspace.to_string())
    .bind(usage.task)
    .bind(usage.provider)
    .bind(usage.model)
    .bind(usage.input_tokens)
    .bind(usage.output_tokens)
    .bind(usage.cost_micros)
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

/// Micro-dollars spent since `since`.
pub async fn spend_since(conn: &mut AnyConnection, workspace: WorkspaceId, since: Timestamp) -> Result<i64> {
    // SUM of BIGINT is NUMERIC on PostgreSQL: cast back so both backends decode an i64.
    let (spent,): (i64,) =
        sqlx::query_as("SELECT CAST(COALESCE(SUM(cost_micros), 0) AS BIGINT) FROM ai_usage WHERE workspace_id = $1 AND created_at >= $2")
            .bind(workspace.to_string())
            .bind(since.as_millis())
            .fetch_one(conn)
            .await?;
    Ok(spent)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct UsageLine {
    pub provider: String,
    pub model: String,
    pub requests: i64,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cost_micros: i64,
}

/// Provider calls since `since` (cache hits, recorded at no cost, are not calls).
pub async fn calls_since(conn: &mut AnyConnection, workspace: WorkspaceId, since: Timestamp) -> Result<i64> {
    let (calls,): (i64,) = sqlx::query_as("SELECT CAST(COUNT(*) AS BIGINT) FROM ai_usage WHERE workspace_id = $1 AND created_at >= $2 AND provider <> 'cache'")
        .bind(workspace.to_string())
        .bind(since.as_millis())
        .fetch_one(conn)
        .await?;
    Ok(calls)
}

/// Usage since `since`, per provider and model.
pub async fn usage_since(conn: &mut AnyConnection, workspace: WorkspaceId, since: Timestamp) -> Result<Vec<UsageLine>> {
    Ok(sqlx::query_as::<_, UsageLine>(
        "SELECT provider, model, CAST(COUNT(*) AS BIGINT) AS requests, CAST(SUM(input_tokens) AS BIGINT) AS input_tokens, \
         CAST(SUM(output_tokens) AS BIGINT) AS output_tokens, CAST(SUM(cost_micros) AS BIGINT) AS cost_micros \
         FROM ai_usage WHERE workspace_id = $1 AND created_at >= $2 GROUP BY provider, model ORDER BY provider, model",
    )
    .bind(workspace.to_string())
    .bind(since.as_millis())
    .fetch_all(conn)
    .await?)
}

/// Every workspace's stored chain, for re-encrypting keys after a key rotation.
pub async fn all_settings(conn: &mut AnyConnection) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as("SELECT workspace_id, providers FROM ai_settings ORDER BY workspace_id").fetch_all(conn).await?)
}

pub async fn replace_providers(conn: &mut AnyConnection, workspace: &str, providers: &str) -> Result<()> {
    sqlx::query("UPDATE ai_settings SET providers = $1 WHERE workspace_id = $2").bind(providers).bind(workspace).execute(conn).await?;
    Ok(())
}
