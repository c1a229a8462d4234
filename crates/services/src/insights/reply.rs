//! Answering an inbox message through the account's network; the answer is stored as an
//! outgoing message of the conversation, with the network's id and the person who sent it.

use serde_json::json;
use zenalto_domain::{ConversationId, MessageId, Permission, Timestamp, publishing::Network};
use zenalto_networks::{InboxItem, InboxKind};
use zenalto_store::{
    StoreError,
    repo::{inbox, social_accounts},
};

use super::{
    Message,
    sync::{kind_name, kind_of},
};
use crate::{Access, RequestMeta, Result, ServiceError, Services, audit};

impl Services {
    /// Replies to `message` (by default the conversation's latest received one) with `text`.
    pub async fn reply(&self, access: &Access, conversation: ConversationId, message: Option<MessageId>, text: &str, meta: &RequestMeta) -> Result<Message> {
        access.require(Permission::PostCreate)?;
        let text = text.trim();
        if text.is_empty() {
            return Err(ServiceError::field("text", "write something to reply"));
        }
        let mut conn = self.db.read().await?;
        let workspace = access.workspace_id;
        let thread = inbox::get(&mut conn, workspace, conversation).await?.ok_or(ServiceError::NotFound)?;
        let row = social_accounts::get(&mut conn, workspace, thread.account_id).await?.ok_or(ServiceError::NotFound)?;
        let network: Network = row.network.parse().map_err(ServiceError::internal)?;
        let length = zenalto_domain::publishing::count(network, text);
        if !length.fits() {
            return Err(ServiceError::field(
                "text",
                format!("{} allows {} characters; this reply is {} over", network.label(), length.limit, length.over_by()),
            ));
        }
        let to = match message {
            Some(id) => inbox::message(&mut conn, workspace, conversation, id)
                .await?
                .ok_or_else(|| ServiceError::field("messageId", "not a message of this conversation"))?,
            None => inbox::last_received(&mut conn, workspace, conversation)
                .await?
                .ok_or_else(|| ServiceError::field("messageId", "this conversation has nothing to reply to"))?,
        };
        let connector = self.connector(network)?;
        if !connector.capabilities().inbox {
            return Err(ServiceError::field("conversationId", format!("{} replies are not available here", network.label())));
        }
        let context = self.account_context(&mut conn, &row).await?;
        drop(conn);
        let item = InboxItem {
            platform_id: to.platform_id.clone(),
            kind: kind_of(&to.kind),
            thread_id: thread.platform_thread_id.clone(),
            author_id: to.author_id.clone(),
            author: to.author.clone(),
            text: to.text.clone(),
            in_reply_to: to.in_reply_to.clone(),
            at: Timestamp::from_millis(to.at),
        };
        let published = match connector.reply(&context, &item, text).await {
            Ok(published) => published,
            Err(error) => return Err(self.network_failed(&row, error).await),
        };
        let kind = if item.kind == InboxKind::DirectMessage { InboxKind::DirectMessage } else { InboxKind::Reply };
        let now = self.now();
        let sent = inbox::NewMessage {
            platform_id: &published.platform_post_id,
            kind: kind_name(kind),
            author_id: row.platform_account_id.as_deref().unwrap_or_default(),
            author: &row.handle,
            text,
            in_reply_to: Some(&item.platform_id),
            outgoing: true,
            sent_by: access.actor.user_id,
            at: now,
        };
        let mut tx = self.db.begin().await?;
        inbox::add_message(&mut tx, workspace, conversation, &sent).await?;
        let event = audit::Event {
            action: "inbox.reply",
            resource_type: "conversation",
            resource_id: Some(conversation.to_string()),
            changes: Some(json!({ "messageId": to.id.to_string(), "platformId": published.platform_post_id })),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        let mut conn = self.db.read().await?;
        let messages = inbox::messages(&mut conn, workspace, conversation, 500).await?;
        messages.into_iter().rev().find(|m| m.platform_id == published.platform_post_id).ok_or_else(|| ServiceError::internal("the stored reply is missing"))
    }
}
