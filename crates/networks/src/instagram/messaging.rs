//! The account's Instagram direct messages in the inbox, through the Messenger Platform's
//! Conversations API (<https://developers.facebook.com/docs/messenger-platform/conversations>):
//! `GET /{page-id}/conversations?platform=instagram` on the Page linked to the account, then each
//! conversation's messages; answered with `POST /{page-id}/messages` and the person's
//! Instagram-scoped id (<https://developers.facebook.com/docs/messenger-platform/instagram/features/send-message>),
//! which Meta allows within 24 hours of the person's last message. The Page is addressed as `me`:
//! every call carries the linked Page's token, so `me` is that Page and its id need not be
//! stored. Reading needs `instagram_manage_messages` (granted only after App Review): without it
//! (codes 10, 200–299) the inbox carries comments only, with a warning, instead of failing.

use serde::Deserialize;
use serde_json::json;
use zenalto_domain::Timestamp;

use super::InstagramConnector;
use crate::{
    InboxItem, InboxKind, PublishError, Published,
    meta::{self, graph::List},
};

#[derive(Deserialize)]
struct Conversation {
    id: String,
}

#[derive(Deserialize)]
struct Message {
    id: String,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    created_time: Option<String>,
    #[serde(default)]
    from: Option<From>,
}

#[derive(Deserialize)]
struct From {
    id: String,
    #[serde(default)]
    username: Option<String>,
}

#[derive(Deserialize)]
struct Sent {
    message_id: String,
}

impl InstagramConnector {
    /// Messages from people (not the account `ig`) newer than `after`; empty when the app may
    /// not read the account's conversations.
    pub(super) async fn direct_messages(
        &self,
        token: &str,
        ig: &str,
        after: Option<Timestamp>,
    ) -> Result<Vec<InboxItem>, PublishError> {
        let request = self
            .graph
            .http
            .get(self.graph.url("me/conversations"))
            .bearer_auth(token)
            .query(&[("platform", "instagram"), ("fields", "id"), ("limit", "10")]);
        let conversations: List<Conversation> = match self.graph.call_detailed(request).await {
            Ok(list) => list,
            Err(failure) if matches!(failure.code(), Some((10 | 200..=299, _))) => {
                tracing::warn!(network = "instagram", account = %ig, error = %failure.error, "Instagram conversations are not readable (instagram_manage_messages not granted); comments only");
                return Ok(Vec::new());
            }
            Err(failure) => return Err(failure.error),
        };
        let mut items = Vec::new();
        for conversation in conversations.data {
            // Meta returns details for a conversation's 20 latest messages only.
            let messages: List<Message> = self
                .graph
                .get(
                    token,
                    &format!("{}/messages", conversation.id),
                    &[("fields", "id,message,created_time,from"), ("limit", "20")],
                )
                .await?;
            for message in messages.data {
                let Some(at) = message.created_time.as_deref().and_then(meta::parse_time) else {
                    continue;
                };
                let Some(from) = message.from else { continue };
                if from.id == ig || after.is_some_and(|after| at <= after) {
                    continue;
                }
                items.push(InboxItem {
                    platform_id: message.id,
                    kind: InboxKind::DirectMessage,
                    thread_id: conversation.id.clone(),
                    author: from.username.unwrap_or_else(|| from.id.clone()),
                    author_id: from.id,
                    text: message.message.unwrap_or_default(),
                    in_reply_to: None,
                    at,
                });
            }
        }
        Ok(items)
    }

    /// Answers the person (by the Instagram-scoped id the message came from) with a direct
    /// message; past the 24-hour window Meta refuses with code 10 / 2018278, a Permanent error.
    pub(super) async fn send_direct_message(
        &self,
        token: &str,
        to: &InboxItem,
        text: &str,
    ) -> Result<Published, PublishError> {
        let recipient = json!({ "id": to.author_id }).to_string();
        let message = json!({ "text": text }).to_string();
        let form = [
            ("recipient", recipient.as_str()),
            ("message", message.as_str()),
        ];
        let sent: Sent = self.graph.post(token, "me/messages", &form).await?;
        Ok(Published {
            platform_post_id: sent.message_id,
            url: None,
        })
    }
}
