//! The inbox: mentions and replies (`GET /2/users/:id/mentions`, newer than the last id seen)
//! and direct messages (`GET /2/dm_events`) where the app's access tier allows them. The cursor
//! is `m:<newest mention id>;d:<newest DM event id>`.

use zenalto_domain::{Timestamp, publishing::Network};

use super::{XConnector, errors, wire};
use crate::{AccountContext, InboxItem, InboxKind, InboxPage, PublishError, http};

#[derive(Default)]
struct Cursor {
    mentions: Option<String>,
    dms: Option<String>,
}

impl Cursor {
    fn parse(raw: Option<&str>) -> Self {
        let mut cursor = Self::default();
        for piece in raw.unwrap_or("").split(';') {
            match piece.split_once(':') {
                Some(("m", id)) if !id.is_empty() => cursor.mentions = Some(id.to_owned()),
                Some(("d", id)) if !id.is_empty() => cursor.dms = Some(id.to_owned()),
                _ => {}
            }
        }
        cursor
    }

    fn render(&self) -> String {
        format!("m:{};d:{}", self.mentions.as_deref().unwrap_or(""), self.dms.as_deref().unwrap_or(""))
    }
}

/// Snowflake ids grow with time; compare them as numbers (longer is newer).
fn newer(a: &str, than: &str) -> bool {
    (a.len(), a) > (than.len(), than)
}

fn at(raw: Option<&str>) -> Timestamp {
    raw.and_then(Timestamp::parse_rfc3339).unwrap_or_else(Timestamp::now)
}

impl XConnector {
    pub(super) async fn read_inbox(&self, account: &AccountContext, since: Option<&str>) -> Result<InboxPage, PublishError> {
        let token = account.token()?;
        let me = self.user_id(account)?;
        let mut cursor = Cursor::parse(since);
        let mut items = Vec::new();

        let mut query = vec![
            ("max_results", "100".to_owned()),
            ("tweet.fields", "created_at,author_id,conversation_id,referenced_tweets".to_owned()),
            ("expansions", "author_id".to_owned()),
            ("user.fields", "username".to_owned()),
        ];
        if let Some(id) = &cursor.mentions {
            query.push(("since_id", id.clone()));
        }
        let request = self.http.get(format!("{}/2/users/{me}/mentions", self.api)).bearer_auth(token).query(&query);
        let page: wire::Page<wire::Tweet> = http::json(Network::X, errors::send_ok(request).await?).await?;
        for tweet in page.data {
            let author_id = tweet.author_id.clone().unwrap_or_default();
            let author = page.includes.users.iter().find(|u| u.id == author_id).map(|u| u.username.clone()).unwrap_or_else(|| author_id.clone());
            let in_reply_to = tweet.referenced_tweets.iter().find(|r| r.kind == "replied_to").map(|r| r.id.clone());
            items.push(InboxItem {
                kind: if in_reply_to.is_some() { InboxKind::Reply } else { InboxKind::Mention },
                thread_id: tweet.conversation_id.clone().unwrap_or_else(|| tweet.id.clone()),
                author_id,
                author,
                text: tweet.text,
                in_reply_to,
                at: at(tweet.created_at.as_deref()),
                platform_id: tweet.id,
            });
        }
        if let Some(newest) = page.meta.newest_id {
            cursor.mentions = Some(newest);
        }

        let request = self.http.get(format!("{}/2/dm_events", self.api)).bearer_auth(token).query(&[
            ("event_types", "MessageCreate"),
            ("max_results", "50"),
            ("dm_event.fields", "id,text,sender_id,dm_conversation_id,created_at,event_type"),
        ]);
        match errors::send_ok(request).await {
            Ok(response) => {
                let page: wire::Page<wire::DmEvent> = http::json(Network::X, response).await?;
                let seen = cursor.dms.clone();
                for event in page.data {
                    if event.event_type != "MessageCreate" || seen.as_deref().is_some_and(|s| !newer(&event.id, s)) {
                        continue;
                    }
                    if cursor.dms.as_deref().is_none_or(|s| newer(&event.id, s)) {
                        cursor.dms = Some(event.id.clone());
                    }
                    let sender = event.sender_id.clone().unwrap_or_default();
                    if sender == me {
                        continue;
                    }
                    items.push(InboxItem {
                        platform_id: event.id,
                        kind: InboxKind::DirectMessage,
                        thread_id: event.dm_conversation_id.unwrap_or_default(),
                        author: sender.clone(),
                        author_id: sender,
                        text: event.text,
                        in_reply_to: None,
                        at: at(event.created_at.as_deref()),
                    });
                }
            }
            // DMs need a paid access tier and the dm.read scope: without them the inbox still
            // shows mentions.
            Err(PublishError::Permanent { message } | PublishError::Reconnect { message }) => {
                tracing::debug!(%message, "X: direct messages are not available to this app or grant")
            }
            Err(e) => return Err(e),
        }
        Ok(InboxPage { items, cursor: Some(cursor.render()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_round_trips_and_ids_compare_as_numbers() {
        let cursor = Cursor::parse(Some("m:120;d:99"));
        assert_eq!(cursor.render(), "m:120;d:99");
        assert_eq!(Cursor::parse(None).render(), "m:;d:");
        assert!(newer("100", "99"));
        assert!(!newer("99", "100"));
    }
}
