//! Sealing and opening tokens, the app's OAuth client per network, and the account context a
//! network call needs.

use zenalto_domain::{Secret, publishing::Network};
use zenalto_networks::{AccountContext, ConnectFlow, Connector, OAuthClient};
use zenalto_store::{
    Conn,
    repo::{connections, social_accounts, social_accounts::SocialAccountRow},
};

use crate::{Result, ServiceError, Services};

impl Services {
    pub(crate) fn seal(&self, plain: &str) -> Result<String> {
        self.keys.keyring.encrypt(plain).map_err(ServiceError::internal)
    }

    pub(crate) fn open(&self, sealed: &str) -> Result<Secret<String>> {
        self.keys.keyring.decrypt(sealed).map(Secret::new).map_err(ServiceError::internal)
    }

    /// Where people come back after authorizing at a network: the web app's callback page,
    /// which hands the code and state to the API in the person's own session.
    pub(crate) fn oauth_redirect_uri(&self) -> String {
        format!("{}/connect/callback", self.settings.server.public_url.trim_end_matches('/'))
    }

    /// The adapter of a real network this server can connect.
    pub(crate) fn connector(&self, network: Network) -> Result<std::sync::Arc<dyn Connector>> {
        self.connectors.get(network).ok_or_else(|| ServiceError::field("network", format!("{} is not available on this server", network.label())))
    }

    /// The app's OAuth client at `network`: from `[networks.<name>]`, or registered at the
    /// instance (Mastodon) the first time someone connects there.
    pub(crate) async fn oauth_client(&self, conn: &mut Conn, connector: &dyn Connector, instance_url: Option<&str>) -> Result<OAuthClient> {
        let network = connector.network();
        if connector.connect_flow() == ConnectFlow::OAuthPerInstance {
            let instance = instance_url.ok_or_else(|| ServiceError::field("instanceUrl", format!("{} needs the address of your server", network.label())))?;
            let redirect_uri = self.oauth_redirect_uri();
            if let Some(row) = connections::find_client(conn, &network.to_string(), instance, &redirect_uri).await? {
                let client_secret = row.client_secret.as_deref().map(|s| self.open(s)).transpose()?;
                return Ok(OAuthClient { client_id: row.client_id, client_secret, instance_url: Some(instance.to_owned()) });
            }
            let client = connector.register_client(instance, &redirect_uri).await.map_err(|e| ServiceError::Network(e.message().to_owned()))?;
            let sealed_secret = client.client_secret.as_ref().map(|s| self.seal(s.expose())).transpose()?;
            let row = connections::ClientRow { client_id: client.client_id.clone(), client_secret: sealed_secret };
            connections::insert_client(conn, &network.to_string(), instance, &redirect_uri, &row, self.now()).await?;
            return Ok(client);
        }
        let settings = self.settings.networks.get(&network.to_string());
        let client_id = settings.and_then(|s| s.client_id.clone()).filter(|id| !id.is_empty()).ok_or_else(|| {
            ServiceError::field("network", format!("{} is not set up on this server: an administrator sets networks.{network}.client_id", network.label()))
        })?;
        let client_secret = settings.map(|s| s.client_secret.clone()).filter(|s| s.is_set());
        Ok(OAuthClient { client_id, client_secret, instance_url: instance_url.map(str::to_owned) })
    }

    /// The account as a network call sees it, with its access token opened for the call.
    pub(crate) async fn account_context(&self, conn: &mut Conn, row: &SocialAccountRow) -> Result<AccountContext> {
        let network: Network = row.network.parse().map_err(ServiceError::internal)?;
        let sealed = social_accounts::sealed_tokens(conn, row.workspace_id, row.id).await?;
        let access_token = sealed.and_then(|s| s.access_token).map(|s| self.open(&s)).transpose()?;
        Ok(AccountContext {
            workspace_id: row.workspace_id,
            account_id: row.id,
            network,
            handle: row.handle.clone(),
            platform_account_id: row.platform_account_id.clone().unwrap_or_default(),
            instance_url: row.instance_url.clone(),
            access_token,
        })
    }
}
