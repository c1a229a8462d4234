//! Reading the unified inbox: conversations with filters, their messages, marking read.

use zenalto_domain::{ConversationId, Permission};
use zenalto_store::{
    Cursor, Page,
    repo::{inbox, inbox::Filters},
};

pub use zenalto_store::repo::inbox::{ConversationRow as Conversation, MessageRow as Message};

use crate::{Access, Result, ServiceError, Services};

/// The messages a conversation answer holds at most (the latest ones).
const MESSAGES_MAX: i64 = 500;

impl Services {
    /// Conversations, newest first, filtered by account, kind (`comments` / `direct`) and unread.
    pub async fn list_conversations(&self, access: &Access, filters: &Filters, cursor: &Cursor) -> Result<Page<Conversation>> {
        access.require(Permission::PostRead)?;
        if filters.kind.as_deref().is_some_and(|k| k != "comments" && k != "direct") {
            return Err(ServiceError::field("kind", "use comments or direct"));
        }
        let mut conn = self.db.read().await?;
        Ok(inbox::list(&mut conn, access.workspace_id, filters, cursor).await?)
    }

    /// A conversation and its messages, oldest first.
    pub async fn conversation_messages(&self, access: &Access, id: ConversationId) -> Result<(Conversation, Vec<Message>)> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        let conversation = inbox::get(&mut conn, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        let messages = inbox::messages(&mut conn, access.workspace_id, id, MESSAGES_MAX).await?;
        Ok((conversation, messages))
    }

    /// Marks a conversation read for the whole workspace (the inbox is shared by the team).
    pub async fn mark_conversation_read(&self, access: &Access, id: ConversationId) -> Result<Conversation> {
        access.require(Permission::PostCreate)?;
        let mut tx = self.db.begin().await?;
        if !inbox::mark_read(&mut tx, access.workspace_id, id).await? {
            return Err(ServiceError::NotFound);
        }
        let conversation = inbox::get(&mut tx, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        tx.commit().await.map_err(zenalto_store::StoreError::from)?;
        Ok(conversation)
    }
}
