//! The assistant's conversations, their messages, and the actions it proposed. Every query names
//! its workspace; conversations are also filtered by their owner.

use sqlx::AnyConnection;
use zenalto_domain::{Timestamp, WorkspaceId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ConversationRow {
    pub id: String,
    pub workspace_id: String,
    pub owner: String,
    pub title: String,
    pub time_zone: String,
    pub refs: String,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! conversation_columns {
    () => {
        "id, workspace_id, owner, title, time_zone, refs, created_at, updated_at"
    };
}

pub async fn insert_conversation(conn: &mut AnyConnection, row: &ConversationRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO assistant_conversations (id, workspace_id, owner, title, time_zone, refs, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&row.id)
    .bind(&row.workspace_id)
    .bind(&row.owner)
    .bind(&row.title)
    .bind(&row.time_zone)
    .bind(&row.refs)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get_conversation(conn: &mut AnyConnection, workspace: WorkspaceId, owner: &str, id: &str) -> Result<Option<ConversationRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", conversation_columns!(), " FROM assistant_conversations WHERE workspace_id = $1 AND owner = $2 AND id = $3"))
        .bind(workspace.to_string())
        .bind(owner)
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// The owner's conversations, most recently active first.
pub async fn list_conversations(conn: &mut AnyConnection, workspace: WorkspaceId, owner: &str, limit: i64) -> Result<Vec<ConversationRow>> {
    Ok(sqlx::query_as(concat!(
        "SELECT ",
        conversation_columns!(),
        " FROM assistant_conversations WHERE workspace_id = $1 AND owner = $2 ORDER BY updated_at DESC, id DESC LIMIT $3"
    ))
    .bind(workspace.to_string())
    .bind(owner)
    .bind(limit)
    .fetch_all(conn)
    .await?)
}

/// Sets the title (when still empty), the references and the activity time.
pub async fn touch_conversation(conn: &mut AnyConnection, workspace: WorkspaceId, id: &str, title: &str, refs: &str, now: Timestamp) -> Result<()> {
    sqlx::query(
        "UPDATE assistant_conversations SET title = CASE WHEN title = '' THEN $3 ELSE title END, refs = $4, updated_at = $5 \
         WHERE workspace_id = $1 AND id = $2",
    )
    .bind(workspace.to_string())
    .bind(id)
    .bind(title)
    .bind(refs)
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn delete_conversation(conn: &mut AnyConnection, workspace: WorkspaceId, owner: &str, id: &str) -> Result<bool> {
    // Messages and actions go with it (ON DELETE CASCADE needs foreign keys on in SQLite, which
    // the store turns on; the explicit deletes keep it true either way).
    for sql in [
        "DELETE FROM assistant_messages WHERE workspace_id = $1 AND conversation_id = $2",
        "DELETE FROM assistant_actions WHERE workspace_id = $1 AND conversation_id = $2",
    ] {
        sqlx::query(sql).bind(workspace.to_string()).bind(id).execute(&mut *conn).await?;
    }
    let done = sqlx::query("DELETE FROM assistant_conversations WHERE workspace_id = $1 AND owner = $2 AND id = $3")
        .bind(workspace.to_string())
        .bind(owner)
        .bind(id)
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MessageRow {
    pub id: String,
    pub conversation_id: String,
    pub role: String,
    pub content: String,
    pub data: Option<String>,
    pub created_at: i64,
}

pub async fn insert_message(conn: &mut AnyConnection, workspace: WorkspaceId, row: &MessageRow) -> Result<()> {
    sqlx::query("INSERT INTO assistant_messages (id, conversation_id, workspace_id, role, content, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
        .bind(&row.id)
        .bind(&row.conversation_id)
        .bind(workspace.to_string())
        .bind(&row.role)
        .bind(&row.content)
        .bind(row.data.clone())
        .bind(row.created_at)
        .execute(conn)
        .await?;
    Ok(())
}

/// A conversation's messages in order (ids are UUIDv7, so they sort by creation).
pub async fn messages(conn: &mut AnyConnection, workspace: WorkspaceId, conversation: &str, limit: i64) -> Result<Vec<MessageRow>> {
    let mut rows: Vec<MessageRow> = sqlx::query_as(
        "SELECT id, conversation_id, role, content, data, created_at FROM assistant_messages \
         WHERE workspace_id = $1 AND conversation_id = $2 ORDER BY id DESC LIMIT $3",
    )
    .bind(workspace.to_string())
    .bind(conversation)
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.reverse();
    Ok(rows)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ActionRow {
    pub id: String,
    pub workspace_id: String,
    pub conversation_id: Option<String>,
    pub owner: String,
    pub tool: String,
    pub args: String,
    pub summary: String,
    pub status: String,
    pub result: Option<String>,
    pub error: Option<String>,
    pub expires_at: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! action_columns {
    () => {
        "id, workspace_id, conversation_id, owner, tool, args, summary, status, result, error, expires_at, created_at, updated_at"
    };
}

pub async fn insert_action(conn: &mut AnyConnection, row: &ActionRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO assistant_actions (id, workspace_id, conversation_id, owner, tool, args, summary, status, result, error, expires_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(&row.id)
    .bind(&row.workspace_id)
    .bind(row.conversation_id.clone())
    .bind(&row.owner)
    .bind(&row.tool)
    .bind(&row.args)
    .bind(&row.summary)
    .bind(&row.status)
    .bind(row.result.clone())
    .bind(row.error.clone())
    .bind(row.expires_at)
    .bind(row.created_at)
    .bind(row.updated_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn get_action(conn: &mut AnyConnection, workspace: WorkspaceId, id: &str) -> Result<Option<ActionRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", action_columns!(), " FROM assistant_actions WHERE workspace_id = $1 AND id = $2"))
        .bind(workspace.to_string())
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// Moves an action from `from` to `to`; false when it was no longer in `from` (someone else
/// confirmed or cancelled it first), so an action runs at most once.
pub async fn transition_action(conn: &mut AnyConnection, workspace: WorkspaceId, id: &str, from: &str, to: &str, now: Timestamp) -> Result<bool> {
    let done = sqlx::query("UPDATE assistant_actions SET status = $4, updated_at = $5 WHERE workspace_id = $1 AND id = $2 AND status = $3")
        .bind(workspace.to_string())
        .bind(id)
        .bind(from)
        .bind(to)
        .bind(now.as_millis())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Records how a running action ended.
pub async fn finish_action(
    conn: &mut AnyConnection,
    workspace: WorkspaceId,
    id: &str,
    status: &str,
    result: Option<&str>,
    error: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("UPDATE assistant_actions SET status = $3, result = $4, error = $5, updated_at = $6 WHERE workspace_id = $1 AND id = $2")
        .bind(workspace.to_string())
        .bind(id)
        .bind(status)
        .bind(result)
        .bind(error)
        .bind(now.as_millis())
        .execute(conn)
        .await?;
    Ok(())
}
