//! A conversation's stored messages: what was said, which tools ran with what result, and the
//! cards proposed, so a person can come back to it.

use serde::Serialize;
use serde_json::Value;
use zenalto_domain::{Timestamp, WorkspaceId};
use zenalto_store::{
    Conn,
    repo::assistant::{self as repo, MessageRow},
};

use crate::Result;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MessageView {
    pub id: String,
    /// user, assistant, tool or card
    pub role: String,
    pub content: String,
    pub data: Option<Value>,
    pub created_at: Timestamp,
}

impl From<MessageRow> for MessageView {
    fn from(row: MessageRow) -> Self {
        MessageView {
            id: row.id,
            role: row.role,
            content: row.content,
            data: row.data.and_then(|d| serde_json::from_str(&d).ok()),
            created_at: Timestamp::from_millis(row.created_at),
        }
    }
}

pub async fn append(
    conn: &mut Conn,
    workspace: WorkspaceId,
    conversation: &str,
    role: &str,
    content: &str,
    data: Option<Value>,
    now: Timestamp,
) -> Result<String> {
    let row = MessageRow {
        id: uuid::Uuid::now_v7().to_string(),
        conversation_id: conversation.to_owned(),
        role: role.to_owned(),
        content: content.to_owned(),
        data: data.map(|d| d.to_string()),
        created_at: now.as_millis(),
    };
    repo::insert_message(conn, workspace, &row).await?;
    Ok(row.id)
}
