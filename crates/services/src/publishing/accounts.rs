//! Connected social accounts. Real networks connect through OAuth (issue 6); the sandbox network
//! connects with a handle alone, so a fresh install can try the whole flow.

use serde_json::json;
use zenalto_domain::{AccountId, Permission, Timestamp, publishing::Network};
use zenalto_store::repo::{social_accounts, social_accounts::SocialAccountRow};

use crate::{Access, RequestMeta, Result, ServiceError, Services, audit};

#[derive(Clone, Debug)]
pub struct Account {
    pub id: AccountId,
    pub network: Network,
    pub handle: String,
    pub display_name: String,
    pub posting_slots: Option<serde_json::Value>,
    pub throttled_until: Option<Timestamp>,
    pub created_at: Timestamp,
    /// The account's id at the network (None for the sandbox).
    pub platform_account_id: Option<String>,
    pub instance_url: Option<String>,
    pub token_expires_at: Option<Timestamp>,
    pub scopes: Vec<String>,
    /// active / expiring / expired / revoked / error, and what the network last said.
    pub health: String,
    pub last_error: Option<String>,
}

impl TryFrom<SocialAccountRow> for Account {
    type Error = ServiceError;
    fn try_from(row: SocialAccountRow) -> Result<Self> {
        Ok(Self {
            id: row.id,
            network: row.network.parse().map_err(ServiceError::internal)?,
            handle: row.handle,
            display_name: row.display_name,
            posting_slots: row.posting_slots.as_deref().map(serde_json::from_str).transpose().map_err(ServiceError::internal)?,
            throttled_until: row.throttled_until.map(Timestamp::from_millis),
            created_at: row.created_at,
            platform_account_id: row.platform_account_id,
            instance_url: row.instance_url,
            token_expires_at: row.token_expires_at.map(Timestamp::from_millis),
            scopes: row.scopes.map(|s| s.split_whitespace().map(str::to_owned).collect()).unwrap_or_default(),
            health: row.health,
            last_error: row.last_error,
        })
    }
}

impl Services {
    /// Connects a sandbox account (settings:update).
    pub async fn connect_sandbox_account(&self, access: &Access, handle: &str, display_name: Option<&str>, meta: &RequestMeta) -> Result<Account> {
        access.require(Permission::SettingsUpdate)?;
        let handle = handle.trim().trim_start_matches('@');
        if handle.is_empty() || handle.chars().count() > 50 || !handle.chars().all(|c| c.is_alphanumeric() || "._-".contains(c)) {
            return Err(ServiceError::field("handle", "use 1–50 letters, digits, dots, dashes or underscores"));
        }
        let now = self.now();
        let row = SocialAccountRow {
            id: AccountId::new(),
            workspace_id: access.workspace_id,
            network: Network::Sandbox.to_string(),
            handle: handle.to_owned(),
            display_name: display_name.map(str::trim).filter(|d| !d.is_empty()).unwrap_or(handle).chars().take(100).collect(),
            posting_slots: None,
            throttled_until: None,
            created_at: now,
            platform_account_id: None,
            instance_url: None,
            token_expires_at: None,
            scopes: None,
            health: "active".into(),
            last_error: None,
        };
        let mut tx = self.db.begin().await?;
        social_accounts::insert(&mut tx, &row).await?;
        let event = audit::Event {
            action: "account.connect",
            resource_type: "social_account",
            resource_id: Some(row.id.to_string()),
            changes: Some(json!({ "network": row.network, "handle": row.handle })),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(zenalto_store::StoreError::from)?;
        Account::try_from(row)
    }

    pub async fn list_accounts(&self, access: &Access) -> Result<Vec<Account>> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        social_accounts::list(&mut conn, access.workspace_id).await?.into_iter().map(Account::try_from).collect()
    }

    pub async fn get_account(&self, access: &Access, id: AccountId) -> Result<Account> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        social_accounts::get(&mut conn, access.workspace_id, id).await?.ok_or(ServiceError::NotFound).and_then(Account::try_from)
    }

    /// Disconnects an account: its tokens are forgotten at once and, where the network's API
    /// allows, the grant is revoked there too (best effort: a network that is down does not keep
    /// the account connected here). Its queued posts stop (their jobs are superseded when they
    /// next come up, because the account is gone). Returns whether the network confirmed the revocation.
    pub async fn disconnect_account(&self, access: &Access, id: AccountId, meta: &RequestMeta) -> Result<bool> {
        access.require(Permission::SettingsUpdate)?;
        let mut tx = self.db.begin().await?;
        let row = social_accounts::get(&mut tx, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        // Opened before the tokens are wiped, for the revocation after the commit.
        let account = self.account_context(&mut tx, &row).await?;
        let network = account.network;
        if !social_accounts::disconnect(&mut tx, access.workspace_id, id, self.now()).await? {
            return Err(ServiceError::NotFound);
        }
        social_accounts::wipe_tokens(&mut tx, access.workspace_id, id).await?;
        social_accounts::set_health(&mut tx, id, crate::connections::Health::Revoked.as_str(), None, self.now()).await?;
        let event = audit::Event { action: "account.disconnect", resource_type: "social_account", resource_id: Some(id.to_string()), changes: None };
        audit::record(&mut tx, access, meta, event, self).await?;
        let connector = self.connectors.get(network).filter(|c| c.capabilities().can_revoke && account.access_token.is_some());
        let client = match &connector {
            Some(c) => self.oauth_client(&mut tx, c.as_ref(), row.instance_url.as_deref()).await.ok(),
            None => None,
        };
        tx.commit().await.map_err(zenalto_store::StoreError::from)?;
        let (Some(connector), Some(client)) = (connector, client) else { return Ok(false) };
        match connector.revoke(&client, &account).await {
            Ok(()) => Ok(true),
            Err(error) => {
                tracing::warn!(account = %id, network = %network, error = %error.message(), "revoking at the network failed; the account is disconnected here");
                Ok(false)
            }
        }
    }

    /// Sets the weekly posting slots "add to queue" fills (settings:update).
    pub async fn set_posting_slots(&self, access: &Access, id: AccountId, slots: Option<zenalto_domain::schedule::WeeklySlots>, meta: &RequestMeta) -> Result<Account> {
        access.require(Permission::SettingsUpdate)?;
        let text = slots.as_ref().map(serde_json::to_string).transpose().map_err(ServiceError::internal)?;
        let mut tx = self.db.begin().await?;
        if !social_accounts::set_posting_slots(&mut tx, access.workspace_id, id, text.as_deref(), self.now()).await? {
            return Err(ServiceError::NotFound);
        }
        let event = audit::Event {
            action: "account.slots",
            resource_type: "social_account",
            resource_id: Some(id.to_string()),
            changes: text.as_deref().map(|t| json!({ "postingSlots": serde_json::from_str::<serde_json::Value>(t).unwrap_or_default() })),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        let row = social_accounts::get(&mut tx, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        tx.commit().await.map_err(zenalto_store::StoreError::from)?;
        Account::try_from(row)
    }
}

impl Services {
    /// What the sandbox network holds for this workspace, newest first (post:read).
    pub async fn sandbox_feed(&self, access: &Access, limit: i64) -> Result<Vec<zenalto_store::repo::sandbox::SandboxPostRow>> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        Ok(zenalto_store::repo::sandbox::feed(&mut conn, access.workspace_id, limit).await?)
    }

    /// The caller's notifications in this workspace (people only; an API key has none).
    pub async fn list_notifications(&self, access: &Access, unread_only: bool, cursor: &zenalto_store::Cursor) -> Result<zenalto_store::Page<zenalto_store::repo::notifications::NotificationRow>> {
        let user = access.actor.user_id.ok_or(ServiceError::NotFound)?;
        let mut conn = self.db.read().await?;
        Ok(zenalto_store::repo::notifications::list(&mut conn, access.workspace_id, user, unread_only, cursor).await?)
    }

    pub async fn mark_notification_read(&self, access: &Access, id: zenalto_domain::NotificationId) -> Result<()> {
        let user = access.actor.user_id.ok_or(ServiceError::NotFound)?;
        let mut tx = self.db.begin().await?;
        let done = zenalto_store::repo::notifications::mark_read(&mut tx, access.workspace_id, user, id, self.now()).await?;
        tx.commit().await.map_err(zenalto_store::StoreError::from)?;
        if done { Ok(()) } else { Err(ServiceError::NotFound) }
    }
}
