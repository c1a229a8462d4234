//! In-app notifications for one member of a workspace.

use sqlx::AnyConnection;
use zenalto_domain::{NotificationId, Timestamp, UserId, WorkspaceId};

use crate::{Cursor, Page, Result};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct NotificationRow {
    #[sqlx(try_from = "String")]
    pub id: NotificationId,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub post_id: Option<String>,
    pub read_at: Option<i64>,
    #[sqlx(try_from = "i64")]
    pub created_at: Timestamp,
}

pub struct NewNotification<'a> {
    pub workspace_id: WorkspaceId,
    pub user_id: UserId,
    pub kind: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub post_id: Option<String>,
}

pub async fn insert(conn: &mut AnyConnection, n: &NewNotification<'_>, now: Timestamp) -> Result<NotificationId> {
    let id = NotificationId::new();
    sqlx::query("INSERT INTO notifications (id, workspace_id, user_id, kind, title, body, post_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(id.to_string())
        .bind(n.workspace_id.to_string())
        .bind(n.user_id.to_string())
        .bind(n.kind)
        .bind(n.title)
        .bind(n.body)
        .bind(n.post_id.clone())
        .bind(now.as_millis())
        .execute(conn)
        .await?;
    Ok(id)
}

/// A member's notifications in a workspace, newest first.
pub async fn list(conn: &mut AnyConnection, workspace: WorkspaceId, user: UserId, unread_only: bool, cursor: &Cursor) -> Result<Page<NotificationRow>> {
    let rows: Vec<NotificationRow> = sqlx::query_as(
        "SELECT id, kind, title, body, post_id, read_at, created_at FROM notifications \
         WHERE workspace_id = $1 AND user_id = $2 AND ($3 = 0 OR read_at IS NULL) AND id < $4 ORDER BY id DESC LIMIT $5",
    )
    .bind(workspace.to_string())
    .bind(user.to_string())
    .bind(i64::from(unread_only))
    .bind(cursor.bound())
    .bind(cursor.fetch_limit())
    .fetch_all(conn)
    .await?;
    Ok(Page::from_rows(rows, cursor, |n| n.id.to_string()))
}

pub async fn mark_read(conn: &mut AnyConnection, workspace: WorkspaceId, user: UserId, id: NotificationId, now: Timestamp) -> Result<bool> {
    let done = sqlx::query("UPDATE notifications SET read_at = $1 WHERE workspace_id = $2 AND user_id = $3 AND id = $4 AND read_at IS NULL")
        .bind(now.as_millis())
        .bind(workspace.to_string())
        .bind(user.to_string())
        .bind(id.to_string())
        .execute(conn)
        .await?;
    Ok(done.rows_affected() == 1)
}
