//! Direct messages (`chat.bsky.convo.*`, lexicons under
//! <https://github.com/bluesky-social/atproto/tree/main/lexicons/chat/bsky/convo>), called on the
//! account's PDS with the `atproto-proxy` header naming the chat service (`chat_proxy`, default
//! `did:web:api.bsky.chat#bsky_chat`): the PDS forwards them with a service token, which keeps
//! one session and one origin for everything. An app password needs the "allow access to your
//! direct messages" privilege; without it the PDS answers `InvalidToken: Bad token method`.

use serde_json::json;
use zenalto_domain::Timestamp;

use super::{
    BlueskyConnector,
    wire::{Convos, MessageView, Messages},
    xrpc,
};
use crate::{AccountContext, InboxItem, InboxKind, PublishError, Published};

/// Pages of conversations, and of messages per conversation, read per fetch: enough for a
/// poll every few minutes; older messages wait for the next fetch rather than stall this one.
const MAX_PAGES: usize = 4;

/// The PDS's refusal of a chat call for an app password without the DM privilege.
pub(super) fn is_no_dm_privilege(error: &PublishError) -> bool {
    matches!(error, PublishError::Reconnect { message } if message.contains(NO_DM_PRIVILEGE))
}

pub(super) const NO_DM_PRIVILEGE: &str = "Bad token method";

impl BlueskyConnector {
    /// Messages from others sent after `since` (the `sentAt` of the newest message seen), and
    /// the new `since`.
    pub(super) async fn direct_messages(
        &self,
        account: &AccountContext,
        since: Option<&str>,
    ) -> Result<(Vec<InboxItem>, Option<String>), PublishError> {
        let repo = self.repo(account)?;
        let since_at = since.and_then(Timestamp::parse_rfc3339);
        let mut newest = since.map(str::to_owned);
        let mut items = Vec::new();
        let mut cursor: Option<String> = None;
        'convos: for _ in 0..MAX_PAGES {
            let url = format!("{}/xrpc/chat.bsky.convo.listConvos", repo.pds);
            let mut request = self
                .chat(self.http.get(url), repo.token)
                .query(&[("limit", "50")]);
            if let Some(c) = &cursor {
                request = request.query(&[("cursor", c)]);
            }
            let page: Convos = xrpc::json(xrpc::send(request).await?).await?;
            for convo in page.convos {
                // Conversations come most recently active first: once one has nothing newer
                // than `since`, neither has any after it.
                let last = convo.last_message.as_ref().and_then(sent_at);
                if since_at.is_some_and(|s| last.is_none_or(|l| l <= s)) {
                    break 'convos;
                }
                let mut message_cursor: Option<String> = None;
                'messages: for _ in 0..MAX_PAGES {
                    let url = format!("{}/xrpc/chat.bsky.convo.getMessages", repo.pds);
                    let mut request = self
                        .chat(self.http.get(url), repo.token)
                        .query(&[("convoId", convo.id.as_str()), ("limit", "50")]);
                    if let Some(c) = &message_cursor {
                        request = request.query(&[("cursor", c)]);
                    }
                    let page: Messages = xrpc::json(xrpc::send(request).await?).await?;
                    for message in page.messages {
                        let Some(at) = sent_at(&message) else {
                            continue;
                        };
                        if since_at.is_some_and(|s| at <= s) {
                            break 'messages;
                        }
                        if newest
                            .as_deref()
                            .and_then(Timestamp::parse_rfc3339)
                            .is_none_or(|s| at > s)
                        {
                            newest = Some(message.sent_at.clone());
                        }
                        // Our own messages are not inbox items; deleted ones have no text.
                        let Some(text) = message.text else {
                            continue;
                        };
                        if message.sender.did == repo.did {
                            continue;
                        }
                        let author = convo
                            .members
                            .iter()
                            .find(|m| m.did == message.sender.did)
                            .map_or_else(|| message.sender.did.clone(), |m| m.handle.clone());
                        items.push(InboxItem {
                            platform_id: message.id,
                            kind: InboxKind::DirectMessage,
                            thread_id: convo.id.clone(),
                            author_id: message.sender.did,
                            author,
                            text,
                            in_reply_to: None,
                            at,
                        });
                    }
                    match page.cursor {
                        Some(c) if !c.is_empty() => message_cursor = Some(c),
                        _ => break,
                    }
                }
            }
            match page.cursor {
                Some(c) if !c.is_empty() => cursor = Some(c),
                _ => break,
            }
        }
        Ok((items, newest))
    }

    /// `sendMessage` in the conversation `convo_id`; the message id is the published id.
    pub(super) async fn send_message(
        &self,
        account: &AccountContext,
        convo_id: &str,
        text: &str,
    ) -> Result<Published, PublishError> {
        let repo = self.repo(account)?;
        let url = format!("{}/xrpc/chat.bsky.convo.sendMessage", repo.pds);
        let request = self
            .chat(self.http.post(url), repo.token)
            .json(&json!({ "convoId": convo_id, "message": { "text": text } }));
        let sent: MessageView = xrpc::json(xrpc::send(request).await?).await?;
        Ok(Published {
            platform_post_id: sent.id,
            url: None,
        })
    }

    fn chat(&self, request: reqwest::RequestBuilder, token: &str) -> reqwest::RequestBuilder {
        request
            .bearer_auth(token)
            .header("atproto-proxy", &self.chat_proxy)
    }
}

fn sent_at(message: &MessageView) -> Option<Timestamp> {
    Timestamp::parse_rfc3339(&message.sent_at)
}
