//! The unified inbox: conversations (a post's comments, a direct-message thread) and their
//! messages, and where each account's fetch left off.

use sqlx::AnyConnection;
use zenalto_domain::{AccountId, ConversationId, MessageId, Timestamp, UserId, WorkspaceId};

use super::dynamic::{Bind, Dynamic};
use crate::{Cursor, Page, Result};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct ConversationRow {
    #[sqlx(try_from = "String")]
    pub id: ConversationId,
    #[sqlx(try_from = "String")]
    pub account_id: AccountId,
    pub network: String,
    pub handle: String,
    /// comments / direct
    pub kind: String,
    pub platform_thread_id: String,
    pub last_message_at: i64,
    pub unread: i64,
    pub created_at: i64,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct MessageRow {
    #[sqlx(try_from = "String")]
    pub id: MessageId,
    #[sqlx(try_from = "String")]
    pub conversation_id: ConversationId,
    pub platform_id: String,
    /// comment / reply / mention / direct_message
    pub kind: String,
    pub author_id: String,
    pub author: String,
    pub text: String,
    pub in_reply_to: Option<String>,
    pub outgoing: i64,
    pub sent_by: Option<String>,
    pub at: i64,
}

/// A message to store (received, or sent through Zenalto).
pub struct NewMessage<'a> {
    pub platform_id: &'a str,
    pub kind: &'a str,
    pub author_id: &'a str,
    pub author: &'a str,
    pub text: &'a str,
    pub in_reply_to: Option<&'a str>,
    pub outgoing: bool,
    pub sent_by: Option<UserId>,
    pub at: Timestamp,
}

#[derive(Clone, Debug, Default)]
pub struct Filters {
    pub account: Option<AccountId>,
    pub kind: Option<String>,
    pub unread_only: bool,
}

macro_rules! conversation_columns {
    () => {
        "c.id, c.account_id, a.network, a.handle, c.kind, c.platform_thread_id, c.last_message_at, c.unread, c.created_at"
    };
}

macro_rules! message_columns {
    () => {
        "id, conversation_id, platform_id, kind, author_id, author, text, in_reply_to, outgoing, sent_by, at"
    };
}

/// The conversation of `thread` on `account`, made on first sight; returns its id.
pub async fn conversation_for(
    conn: &mut AnyConnection,
    workspace: WorkspaceId,
    account: AccountId,
    thread: &str,
    kind: &str,
    now: Timestamp,
) -> Result<ConversationId> {
    sqlx::query(
        "INSERT INTO conversations (id, workspace_id, account_id, kind, platform_thread_id, last_message_at, unread, created_at) \
         VALUES ($1, $2, $3, $4, $5, 0, 0, $6) ON CONFLICT (account_id, platform_thread_id) DO NOTHING",
    )
    .bind(ConversationId::new().to_string())
    .bind(workspace.to_string())
    .bind(account.to_string())
    .bind(kind)
    .bind(thread)
    .bind(now.as_millis())
    .execute(&mut *conn)
    .await?;
    let (id,): (String,) = sqlx::query_as("SELECT id FROM conversations WHERE account_id = $1 AND platform_thread_id = $2")
        .bind(account.to_string())
        .bind(thread)
        .fetch_one(conn)
        .await?;
    id.parse().map_err(|_| crate::StoreError::Corrupt(format!("conversation id {id}")))
}

/// Stores a message unless the conversation has it already; a new message moves the
/// conversation's last activity, and a received one counts as unread. Returns whether it was new.
pub async fn add_message(conn: &mut AnyConnection, workspace: WorkspaceId, conversation: ConversationId, m: &NewMessage<'_>) -> Result<bool> {
    let added = sqlx::query(
        "INSERT INTO messages (id, workspace_id, conversation_id, platform_id, kind, author_id, author, text, in_reply_to, outgoing, sent_by, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (conversation_id, platform_id) DO NOTHING",
    )
    .bind(MessageId::new().to_string())
    .bind(workspace.to_string())
    .bind(conversation.to_string())
    .bind(m.platform_id)
    .bind(m.kind)
    .bind(m.author_id)
    .bind(m.author)
    .bind(m.text)
    .bind(m.in_reply_to.map(str::to_owned))
    .bind(i64::from(m.outgoing))
    .bind(m.sent_by.map(|u| u.to_string()))
    .bind(m.at.as_millis())
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if added {
        sqlx::query(
            "UPDATE conversations SET unread = unread + $1, last_message_at = CASE WHEN last_message_at < $2 THEN $2 ELSE last_message_at END \
             WHERE workspace_id = $3 AND id = $4",
        )
        .bind(if m.outgoing { 0_i64 } else { 1 })
        .bind(m.at.as_millis())
        .bind(workspace.to_string())
        .bind(conversation.to_string())
        .execute(conn)
        .await?;
    }
    Ok(added)
}

/// Conversations of a workspace, newest first, filtered.
pub async fn list(conn: &mut AnyConnection, workspace: WorkspaceId, filters: &Filters, cursor: &Cursor) -> Result<Page<ConversationRow>> {
    let mut query = Dynamic::new(
        concat!(
            "SELECT ",
            conversation_columns!(),
            " FROM conversations c JOIN social_accounts a ON a.id = c.account_id WHERE c.workspace_id = $1 AND c.id < $2"
        ),
        vec![Bind::Text(workspace.to_string()), Bind::Text(cursor.bound())],
    );
    if let Some(account) = filters.account {
        let p = query.param(Bind::Text(account.to_string()));
        query.push(&format!(" AND c.account_id = {p}"));
    }
    if let Some(kind) = &filters.kind {
        let p = query.param(Bind::Text(kind.clone()));
        query.push(&format!(" AND c.kind = {p}"));
    }
    if filters.unread_only {
        query.push(" AND c.unread > 0");
    }
    let p = query.param(Bind::Int(cursor.fetch_limit()));
    query.push(&format!(" ORDER BY c.id DESC LIMIT {p}"));
    let rows: Vec<ConversationRow> = query.fetch_all(conn).await?;
    Ok(Page::from_rows(rows, cursor, |r| r.id.to_string()))
}

pub async fn get(conn: &mut AnyConnection, workspace: WorkspaceId, id: ConversationId) -> Result<Option<ConversationRow>> {
    Ok(sqlx::query_as(concat!(
        "SELECT ",
        conversation_columns!(),
        " FROM conversations c JOIN social_accounts a ON a.id = c.account_id WHERE c.workspace_id = $1 AND c.id = $2"
    ))
    .bind(workspace.to_string())
    .bind(id.to_string())
    .fetch_optional(conn)
    .await?)
}

/// A conversation's messages, oldest first (the last `limit`).
pub async fn messages(conn: &mut AnyConnection, workspace: WorkspaceId, conversation: ConversationId, limit: i64) -> Result<Vec<MessageRow>> {
    let mut rows: Vec<MessageRow> = sqlx::query_as(concat!(
        "SELECT ",
        message_columns!(),
        " FROM messages WHERE workspace_id = $1 AND conversation_id = $2 ORDER BY at DESC, id DESC LIMIT $3"
    ))
    .bind(workspace.to_string())
    .bind(conversation.to_string())
    .bind(limit)
    .fetch_all(conn)
    .await?;
    rows.reverse();
    Ok(rows)
}

pub async fn message(conn: &mut AnyConnection, workspace: WorkspaceId, conversation: ConversationId, id: MessageId) -> Result<Option<MessageRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", message_columns!(), " FROM messages WHERE workspace_id = $1 AND conversation_id = $2 AND id = $3"))
        .bind(workspace.to_string())
        .bind(conversation.to_string())
        .bind(id.to_string())
        .fetch_optional(conn)
        .await?)
}

/// The conversation's latest received message (what a reply answers when none is named).
pub async fn last_received(conn: &mut AnyConnection, workspace: WorkspaceId, conversation: ConversationId) -> Result<Option<MessageRow>> {
    Ok(sqlx::query_as(concat!(
        "SELECT ",
        message_columns!(),
        " FROM messages WHERE workspace_id = $1 AND conversation_id = $2 AND outgoing = 0 ORDER BY at DESC, id DESC LIMIT 1"
    ))
    .bind(workspace.to_string())
    .bind(conversation.to_string())
    .fetch_optional(conn)
    .await?)
}

pub async fn mark_read(conn: &mut AnyConnection, workspace: WorkspaceId, id: ConversationId) -> Result<bool> {
    let done = sqlx::query("UPDATE conversations SET unread = 0 WHERE workspace_id = $1 AND id = $2")
        .bind(workspace.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// Where the account's last inbox fetch left off.
pub async fn cursor(conn: &mut AnyConnection, workspace: WorkspaceId, account: AccountId) -> Result<Option<String>> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT inbox_cursor FROM social_accounts WHERE workspace_id = $1 AND id = $2")
        .bind(workspace.to_string())
        .bind(account.to_string())
        .fetch_optional(conn)
        .await?;
    Ok(row.and_then(|(c,)| c))
}

/// Records a fetch: the new cursor (kept when the network gave none) and when.
pub async fn set_cursor(conn: &mut AnyConnection, account: AccountId, cursor: Option<&str>, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE social_accounts SET inbox_cursor = COALESCE($1, inbox_cursor), inbox_synced_at = $2 WHERE id = $3")
        .bind(cursor.map(str::to_owned))
        .bind(now.as_millis())
        .bind(account.to_string())
        .execute(conn)
        .await?;
    Ok(())
}

/// Marks a fetch as tried, so a failing account waits its turn like the others.
pub async fn mark_tried(conn: &mut AnyConnection, account: AccountId, now: Timestamp) -> Result<()> {
    sqlx::query("UPDATE social_accounts SET inbox_synced_at = $1 WHERE id = $2").bind(now.as_millis()).bind(account.to_string()).execute(conn).await?;
    Ok(())
}

/// Connected accounts of real networks not synced since `synced_before`, longest waiting first.
pub async fn accounts_due(conn: &mut AnyConnection, synced_before: Timestamp, limit: i64) -> Result<Vec<(String, String)>> {
    Ok(sqlx::query_as(
        "SELECT workspace_id, id FROM social_accounts WHERE network <> 'sandbox' AND disconnected_at IS NULL AND health NOT IN ('expired', 'revoked') \
         AND (inbox_synced_at IS NULL OR inbox_synced_at < $1) ORDER BY COALESCE(inbox_synced_at, 0), id LIMIT $2",
    )
    .bind(synced_before.as_millis())
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
