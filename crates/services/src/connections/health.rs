//! An account's health, recorded when a network call or a refresh says something about it, and
//! announced once per change to the workspace's owners and admins (in-app and by e-mail).

use zenalto_domain::{AccountId, WorkspaceId};
use zenalto_store::{
    Conn,
    repo::{notifications, social_accounts, users, workspaces},
};

use crate::{Result, Services, mail};

/// What an account's health can be.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Health {
    Active,
    /// The token runs out soon and cannot be refreshed (Meta's long-lived tokens).
    Expiring,
    /// The network no longer accepts the token: reconnect.
    Expired,
    /// Access was withdrawn (at the network, or by disconnecting).
    Revoked,
    /// The last refresh or call failed for another reason; it is tried again.
    Error,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Expiring => "expiring",
            Self::Expired => "expired",
            Self::Revoked => "revoked",
            Self::Error => "error",
        }
    }
}

impl Services {
    /// Records the health of an account; on a change to anything but active, tells the
    /// workspace's owners and admins what to do.
    pub(crate) async fn record_health(&self, conn: &mut Conn, workspace: WorkspaceId, account: AccountId, health: Health, error: Option<&str>) -> Result<()> {
        let now = self.now();
        if !social_accounts::set_health(conn, account, health.as_str(), error, now).await? || health == Health::Active {
            return Ok(());
        }
        let Some(row) = social_accounts::get(conn, workspace, account).await? else { return Ok(()) };
        let network = row.network.parse::<zenalto_domain::publishing::Network>().map(|n| n.label()).unwrap_or("The network");
        let title = match health {
            Health::Expiring => format!("{network} account @{} needs reconnecting soon", row.handle),
            Health::Expired | Health::Revoked => format!("Reconnect {network} account @{}", row.handle),
            _ => format!("{network} account @{} has a problem", row.handle),
        };
        let link = format!("{}/accounts", self.settings.server.public_url.trim_end_matches('/'));
        let body = format!("{}\n\n{link}", error.unwrap_or("Posts to this account will fail until it is connected again."));
        for user in workspaces::managers(conn, workspace).await? {
            let new = notifications::NewNotification { workspace_id: workspace, user_id: user, kind: "account.health", title: &title, body: &body, post_id: None };
            notifications::insert(conn, &new, now).await?;
            if let Some(person) = users::get(conn, user).await? {
                mail::enqueue(conn, &person.email, mail::Mail { subject: format!("Zenalto: {title}"), body: format!("Hello {},\n\n{body}\n", person.name) }, now).await?;
                self.mail_wakeup.notify_one();
            }
        }
        Ok(())
    }
}
