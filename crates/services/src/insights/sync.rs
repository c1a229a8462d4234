//! Fetching an account's new inbox items: on demand and by the scheduled round. One
//! transaction stores the items and the new cursor together, so a crash between them neither
//! skips items (the cursor moves only with them) nor doubles them (messages are unique per
//! conversation and platform id).

use zenalto_domain::{AccountId, Permission, Timestamp, WorkspaceId, publishing::Network};
use zenalto_networks::{InboxItem, InboxKind};
use zenalto_store::{
    StoreError,
    repo::{inbox, social_accounts, social_accounts::SocialAccountRow},
};

use crate::{Access, Result, ServiceError, Services};

/// An account's inbox is fetched again after this long.
const SYNC_EVERY_SECS: i64 = 5 * 60;
const BATCH: i64 = 50;

pub(super) fn kind_name(kind: InboxKind) -> &'static str {
    match kind {
        InboxKind::Comment => "comment",
        InboxKind::Reply => "reply",
        InboxKind::Mention => "mention",
        InboxKind::DirectMessage => "direct_message",
    }
}

pub(super) fn kind_of(name: &str) -> InboxKind {
    match name {
        "comment" => InboxKind::Comment,
        "reply" => InboxKind::Reply,
        "direct_message" => InboxKind::DirectMessage,
        _ => InboxKind::Mention,
    }
}

impl Services {
    /// Fetches the account's new items now; returns how many were new.
    pub async fn sync_inbox(&self, access: &Access, account: AccountId) -> Result<usize> {
        access.require(Permission::PostCreate)?;
        let mut conn = self.db.read().await?;
        let row = social_accounts::get(&mut conn, access.workspace_id, account).await?.ok_or(ServiceError::NotFound)?;
        drop(conn);
        self.sync_account_inbox(&row).await?.ok_or_else(|| ServiceError::field("accountId", "this account's network has no inbox here"))
    }

    /// One scheduled round: accounts whose inbox was not fetched within five minutes. Returns
    /// how many new items were stored.
    pub async fn sync_due_inboxes(&self) -> Result<usize> {
        let now = self.now();
        let mut conn = self.db.read().await?;
        let due = inbox::accounts_due(&mut conn, now.plus_seconds(-SYNC_EVERY_SECS), BATCH).await?;
        let mut rows = Vec::new();
        for (workspace, account) in due {
            let (Ok(workspace), Ok(account)) = (workspace.parse::<WorkspaceId>(), account.parse::<AccountId>()) else { continue };
            rows.extend(social_accounts::get(&mut conn, workspace, account).await?);
        }
        drop(conn);
        let mut added = 0;
        for row in rows {
            match self.sync_account_inbox(&row).await {
                Ok(new) => added += new.unwrap_or(0),
                Err(error) => tracing::warn!(account = %row.id, network = %row.network, %error, "inbox fetch failed; tried again next round"),
            }
        }
        Ok(added)
    }

    /// `Ok(None)`: the account's network has no inbox (or is the sandbox).
    async fn sync_account_inbox(&self, row: &SocialAccountRow) -> Result<Option<usize>> {
        let network: Network = row.network.parse().map_err(ServiceError::internal)?;
        let connector = match self.connectors.get(network) {
            Some(c) if network != Network::Sandbox && c.capabilities().inbox => c,
            _ => {
                self.mark_inbox_tried(row).await?;
                return Ok(None);
            }
        };
        let mut conn = self.db.read().await?;
        let context = self.account_context(&mut conn, row).await?;
        let since = inbox::cursor(&mut conn, row.workspace_id, row.id).await?;
        drop(conn);
        let page = match connector.inbox(&context, since.as_deref()).await {
            Ok(page) => page,
            Err(error) => {
                self.mark_inbox_tried(row).await?;
                return Err(self.network_failed(row, error).await);
            }
        };
        let now = self.now();
        let own_id = row.platform_account_id.as_deref().unwrap_or_default();
        let mut tx = self.db.begin().await?;
        let mut added = 0;
        for item in &page.items {
            if store_item(&mut tx, row, own_id, item, now).await? {
                added += 1;
            }
        }
        inbox::set_cursor(&mut tx, row.id, page.cursor.as_deref(), now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Some(added))
    }

    async fn mark_inbox_tried(&self, row: &SocialAccountRow) -> Result<()> {
        let mut tx = self.db.begin().await?;
        inbox::mark_tried(&mut tx, row.id, self.now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

/// Stores one item in its conversation; the account's own items (seen again through the
/// network) count as outgoing, never unread.
async fn store_item(conn: &mut zenalto_store::Conn, row: &SocialAccountRow, own_id: &str, item: &InboxItem, now: Timestamp) -> Result<bool> {
    let kind = if item.kind == InboxKind::DirectMessage { "direct" } else { "comments" };
    let conversation = inbox::conversation_for(conn, row.workspace_id, row.id, &item.thread_id, kind, now).await?;
    let message = inbox::NewMessage {
        platform_id: &item.platform_id,
        kind: kind_name(item.kind),
        author_id: &item.author_id,
        author: &item.author,
        text: &item.text,
        in_reply_to: item.in_reply_to.as_deref(),
        outgoing: !own_id.is_empty() && item.author_id == own_id,
        sent_by: None,
        at: item.at,
    };
    Ok(inbox::add_message(conn, row.workspace_id, conversation, &message).await?)
}
