//! The Page's Messenger conversations in the inbox
//! (<https://developers.facebook.com/docs/graph-api/reference/page/conversations>):
//! `GET /{page-id}/conversations?platform=messenger`, then each conversation's messages; answered
//! with the Send API, `POST /{page-id}/messages` with `messaging_type=RESPONSE`, which Meta
//! allows within 24 hours of the person's last message. Reading needs `pages_messaging`, which
//! an app only gets after App Review: without it (codes 10, 200–299) the inbox carries comments
//! only, with a warning, instead of failing.

use serde::Deserialize;
use serde_json::json;
use zenalto_domain::Timestamp;

use super::FacebookConnector;
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
    name: Option<String>,
}

#[derive(Deserialize)]
struct Sent {
    message_id: String,
}

impl FacebookConnector {
    /// Messages from people (not the Page) newer than `after`; empty when the app may not read
    /// the Page's conversations.
    pub(super) async fn messages(
        &self,
        token: &str,
        page: &str,
        after: Option<Timestamp>,
    ) -> Result<Vec<InboxItem>, PublishError> {
        let request = self
            .graph
            .http
            .get(self.graph.url(&format!("{page}/conversations")))
            .bearer_auth(token)
            .query(&[("platform", "messenger"), ("fields", "id"), ("limit", "10")]);
        let conversations: List<Conversation> = match self.graph.call_detailed(request).await {
            Ok(list) => list,
            Err(failure) if matches!(failure.code(), Some((10 | 200..=299, _))) => {
                tracing::warn!(network = "facebook", page = %page, error = %failure.error, "Messenger conversations are not readable (pages_messaging not granted); comments only");
                return Ok(Vec::new());
            }
            Err(failure) => return Err(failure.error),
        };
        let mut items = Vec::new();
        for conversation in conversations.data {
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
                if from.id == page || after.is_some_and(|after| at <= after) {
                    continue;
                }
                items.push(InboxItem {
                    platform_id: message.id,
                    kind: InboxKind::DirectMessage,
                    thread_id: conversation.id.clone(),
                    author: from.name.unwrap_or_else(|| from.id.clone()),
                    author_id: from.id,
                    text: message.message.unwrap_or_default(),
                    in_reply_to: None,
                    at,
                });
            }
        }
        Ok(items)
    }

    /// Answers the person through the Send API (a `RESPONSE` within Meta's 24-hour window).
    pub(super) async fn send_message(
        &self,
        token: &str,
        page: &str,
        to: &InboxItem,
        text: &str,
    ) -> Result<Published, PublishError> {
        let recipient = json!({ "id": to.author_id }).to_string();
        let message = json!({ "text": text }).to_string();
        let form = [
            ("recipient", recipient.as_str()),
            ("messaging_type", "RESPONSE"),
            ("message", message.as_str()),
        ];
        let sent: Sent = self
            .graph
            .post(token, &format!("{page}/messages"), &form)
            .await?;
        Ok(Published {
            platform_post_id: sent.message_id,
            url: None,
        })
    }
}
