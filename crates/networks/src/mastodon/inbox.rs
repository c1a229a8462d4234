//! Metrics from the Status and Account entities, and the inbox: mentions and replies from
//! notifications (<https://docs.joinmastodon.org/methods/notifications/>) and direct messages
//! from conversations (<https://docs.joinmastodon.org/methods/conversations/>).

use zenalto_domain::Timestamp;

use super::{MastodonConnector, errors, instance_of_account, wire};
use crate::{
    AccountContext, AccountMetrics, InboxItem, InboxKind, InboxPage, PostMetrics, PublishError,
};

impl MastodonConnector {
    pub(super) async fn status_metrics(
        &self,
        account: &AccountContext,
        id: &str,
    ) -> Result<PostMetrics, PublishError> {
        let instance = instance_of_account(account)?;
        let request = self
            .http
            .get(format!("{instance}/api/v1/statuses/{id}"))
            .bearer_auth(account.token()?);
        let status: wire::Status = errors::json(errors::send(request).await?).await?;
        Ok(PostMetrics {
            likes: status.favourites_count,
            comments: status.replies_count,
            shares: status.reblogs_count,
            ..PostMetrics::default()
        })
    }

    pub(super) async fn account_figures(
        &self,
        account: &AccountContext,
    ) -> Result<AccountMetrics, PublishError> {
        let instance = instance_of_account(account)?;
        let request = self
            .http
            .get(format!("{instance}/api/v1/accounts/verify_credentials"))
            .bearer_auth(account.token()?);
        let me: wire::Account = errors::json(errors::send(request).await?).await?;
        Ok(AccountMetrics {
            followers: me.followers_count,
            following: me.following_count,
            posts: me.statuses_count,
            ..AccountMetrics::default()
        })
    }

    /// The cursor is `<last notification id>:<last direct status id>` (ids are Mastodon's
    /// snowflakes, ordered by length then text).
    pub(super) async fn inbox_page(
        &self,
        account: &AccountContext,
        since: Option<&str>,
    ) -> Result<InboxPage, PublishError> {
        let instance = instance_of_account(account)?;
        let token = account.token()?;
        let (since_notification, since_direct) =
            since
                .and_then(|s| s.split_once(':'))
                .map_or((None, None), |(n, d)| {
                    (
                        Some(n).filter(|n| !n.is_empty()),
                        Some(d).filter(|d| !d.is_empty()),
                    )
                });
        let mut query = vec![("types[]", "mention"), ("limit", "40")];
        if let Some(id) = since_notification {
            query.push(("since_id", id));
        }
        let request = self
            .http
            .get(format!("{instance}/api/v1/notifications"))
            .bearer_auth(token)
            .query(&query);
        let notifications: Vec<wire::Notification> =
            errors::json(errors::send(request).await?).await?;
        let request = self
            .http
            .get(format!("{instance}/api/v1/conversations"))
            .bearer_auth(token)
            .query(&[("limit", "40")]);
        let conversations: Vec<wire::Conversation> =
            errors::json(errors::send(request).await?).await?;

        let mut items = Vec::new();
        let mut newest_notification = since_notification.map(str::to_owned);
        for n in notifications {
            if n.kind != "mention" || since_notification.is_some_and(|s| !newer(&n.id, s)) {
                continue;
            }
            if newest_notification
                .as_deref()
                .is_none_or(|s| newer(&n.id, s))
            {
                newest_notification = Some(n.id.clone());
            }
            let Some(status) = n.status else { continue };
            let kind = if status.in_reply_to_id.is_some() {
                InboxKind::Reply
            } else {
                InboxKind::Mention
            };
            items.push(item(status, kind, &n.account, None));
        }
        let mut newest_direct = since_direct.map(str::to_owned);
        for conversation in conversations {
            let Some(status) = conversation.last_status else {
                continue;
            };
            if since_direct.is_some_and(|s| !newer(&status.id, s)) {
                continue;
            }
            let Some(author) = status
                .account
                .as_ref()
                .map(|a| (a.id.clone(), a.acct.clone()))
            else {
                continue;
            };
            if author.0 == account.platform_account_id {
                continue; // our own last message
            }
            if newest_direct
                .as_deref()
                .is_none_or(|s| newer(&status.id, s))
            {
                newest_direct = Some(status.id.clone());
            }
            let sender = wire::Account {
                id: author.0,
                acct: author.1,
                username: String::new(),
                display_name: String::new(),
                followers_count: None,
                following_count: None,
                statuses_count: None,
            };
            items.push(item(
                status,
                InboxKind::DirectMessage,
                &sender,
                Some(conversation.id),
            ));
        }
        let cursor = Some(format!(
            "{}:{}",
            newest_notification.unwrap_or_default(),
            newest_direct.unwrap_or_default()
        ));
        Ok(InboxPage { items, cursor })
    }
}

fn item(
    status: wire::Status,
    kind: InboxKind,
    author: &wire::Account,
    conversation: Option<String>,
) -> InboxItem {
    let at = Timestamp::parse_rfc3339(&status.created_at).unwrap_or_else(Timestamp::now);
    InboxItem {
        thread_id: conversation.unwrap_or_else(|| {
            status
                .in_reply_to_id
                .clone()
                .unwrap_or_else(|| status.id.clone())
        }),
        in_reply_to: status.in_reply_to_id.clone(),
        text: wire::plain_text(&status.content),
        platform_id: status.id,
        kind,
        author_id: author.id.clone(),
        author: author.acct.clone(),
        at,
    }
}

/// Snowflake ids compare by length, then as text.
fn newer(id: &str, than: &str) -> bool {
    (id.len(), id) > (than.len(), than)
}
