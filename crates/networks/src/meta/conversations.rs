//! Meta's Conversations and Send APIs, shared by Facebook Messenger and Instagram Messaging
//! (<https://developers.facebook.com/docs/messenger-platform/conversations>,
//! <https://developers.facebook.com/docs/graph-api/reference/page/conversations>):
//! `GET /{page}/conversations?platform=messenger|instagram`, then each conversation's messages
//! (Meta details a conversation's 20 latest only); answered with `POST /{page}/messages`, which
//! Meta allows within 24 hours of the person's last message (past it: code 10 / 2018278, a
//! Permanent error in `meta::error`). Reading needs a permission granted after App Review
//! (`pages_messaging`, `instagram_manage_messages`): without it (codes 10, 200–299) the inbox
//! carries comments only, with a warning, instead of failing.

use serde::Deserialize;
use serde_json::json;
use zenalto_domain::Timestamp;

use super::graph::{Graph, List};
use crate::{InboxItem, InboxKind, PublishError, Published};

/// Whose messages, where.
pub struct Mailbox<'a> {
    /// The Page the conversations belong to: its id, or `me` when the token is the Page's own
    /// (an Instagram account is reached through its linked Page's token).
    pub page: &'a str,
    /// `messenger` or `instagram`.
    pub platform: &'a str,
    /// The account's own id in those conversations: its messages are not inbox items.
    pub own_id: &'a str,
    /// The permission whose absence leaves the inbox to comments (named in the warning).
    pub permission: &'a str,
}

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

/// Messenger names people (`name`); Instagram gives their `username`.
#[derive(Deserialize)]
struct From {
    id: String,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    username: Option<String>,
}

#[derive(Deserialize)]
struct Sent {
    message_id: String,
}

/// Messages from people newer than `after`; empty when the app may not read the conversations.
pub async fn direct_messages(graph: &Graph, token: &str, mailbox: &Mailbox<'_>, after: Option<Timestamp>) -> Result<Vec<InboxItem>, PublishError> {
    let request = graph
        .http
        .get(graph.url(&format!("{}/conversations", mailbox.page)))
        .bearer_auth(token)
        .query(&[("platform", mailbox.platform), ("fields", "id"), ("limit", "10")]);
    let conversations: List<Conversation> = match graph.call_detailed(request).await {
        Ok(list) => list,
        Err(failure) if matches!(failure.code(), Some((10 | 200..=299, _))) => {
            tracing::warn!(network = %graph.network, platform = mailbox.platform, error = %failure.error, "conversations are not readable ({} not granted); comments only", mailbox.permission);
            return Ok(Vec::new());
        }
        Err(failure) => return Err(failure.error),
    };
    let mut items = Vec::new();
    for conversation in conversations.data {
        let messages: List<Message> =
            graph.get(token, &format!("{}/messages", conversation.id), &[("fields", "id,message,created_time,from"), ("limit", "20")]).await?;
        for message in messages.data {
            let Some(at) = message.created_time.as_deref().and_then(super::parse_time) else { continue };
            let Some(from) = message.from else { continue };
            if from.id == mailbox.own_id || after.is_some_and(|after| at <= after) {
                continue;
            }
            items.push(InboxItem {
                platform_id: message.id,
                kind: InboxKind::DirectMessage,
                thread_id: conversation.id.clone(),
                author: from.username.or(from.name).unwrap_or_else(|| from.id.clone()),
                author_id: from.id,
                text: message.message.unwrap_or_default(),
                in_reply_to: None,
                at,
            });
        }
    }
    Ok(items)
}

/// Answers the person who wrote `to`. Messenger wants a `messaging_type` (`RESPONSE` within the
/// window); Instagram's send takes none.
pub async fn send(graph: &Graph, token: &str, page: &str, messaging_type: Option<&str>, to: &InboxItem, text: &str) -> Result<Published, PublishError> {
    let recipient = json!({ "id": to.author_id }).to_string();
    let message = json!({ "text": text }).to_string();
    let mut form = vec![("recipient", recipient.as_str()), ("message", message.as_str())];
    if let Some(kind) = messaging_type {
        form.push(("messaging_type", kind));
    }
    let sent: Sent = graph.post(token, &format!("{page}/messages"), &form).await?;
    Ok(Published { platform_post_id: sent.message_id, url: None })
}
