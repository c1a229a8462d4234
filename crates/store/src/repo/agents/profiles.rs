//! What each connected account is for: goals, audience, topics, projects, frequency and tone.

use sqlx::AnyConnection;
use zenalto_domain::{AccountId, WorkspaceId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ProfileRow {
    pub account_id: String,
    pub workspace_id: String,
    pub goals: String,
    pub audience: String,
    /// JSON array of strings.
    pub topics: String,
    /// JSON array of strings.
    pub current_projects: String,
    pub posts_per_week: i64,
    pub tone: String,
    pub time_zone: String,
    pub autofill: i64,
    pub updated_at: i64,
}

macro_rules! columns {
    () => {
        "account_id, workspace_id, goals, audience, topics, current_projects, posts_per_week, tone, time_zone, autofill, updated_at"
    };
}

pub async fn get(conn: &mut AnyConnection, workspace: WorkspaceId, account: AccountId) -> Result<Option<ProfileRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", columns!(), " FROM account_profiles WHERE workspace_id = $1 AND account_id = $2"))
        .bind(workspace.to_string())
        .bind(account.to_string())
        .fetch_optional(conn)
        .await?)
}

pub async fn put(conn: &mut AnyConnection, row: &ProfileRow, updated_by: Option<&str>) -> Result<()> {
    sqlx::query(
        "INSERT INTO account_profiles (account_id, workspace_id, goals, audience, topics, current_projects, posts_per_week, tone, time_zone, autofill, updated_by, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
         ON CONFLICT (account_id) DO UPDATE SET goals = $3, audience = $4, topics = $5, current_projects = $6, posts_per_week = $7, \
         tone = $8, time_zone = $9, autofill = $10, updated_by = $11, updated_at = $12",
    )
    .bind(&row.account_id)
    .bind(&row.workspace_id)
    .bind(&row.goals)
    .bind(&row.audience)
    .bind(&row.topics)
    .bind(&row.current_projects)
    .bind(row.posts_per_week)
    .bind(&row.tone)
    .bind(&row.time_zone)
    .bind(row.autofill)
    .bind(updated_by.map(str::to_owned))
    .bind(row.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

/// Profiles with weekly autofill on, of accounts still connected, across every workspace (for
/// the background loop, which then acts within each profile's own workspace).
pub async fn list_autofill(conn: &mut AnyConnection, limit: i64) -> Result<Vec<ProfileRow>> {
    Ok(sqlx::query_as(
        "SELECT p.account_id, p.workspace_id, p.goals, p.audience, p.topics, p.current_projects, p.posts_per_week, p.tone, p.time_zone, p.autofill, p.updated_at \
         FROM account_profiles p JOIN social_accounts a ON a.id = p.account_id \
         WHERE p.autofill = 1 AND a.disconnected_at IS NULL ORDER BY p.account_id LIMIT $1",
    )
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
