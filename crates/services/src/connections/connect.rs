//! Connecting an account: OAuth 2.0 with PKCE (start → the network → complete), a pick among
//! several accounts when a grant has more than one (Meta Pages), and app passwords (Bluesky).

use serde::{Deserialize, Serialize};
use serde_json::json;
use zenalto_domain::{AccountId, Permission, Secret, Timestamp, publishing::Network};
use zenalto_networks::{AuthorizationRequest, ConnectFlow, Identity, Tokens, pkce::Pkce};
use zenalto_store::{
    Conn, StoreError,
    repo::{connections, social_accounts},
};

use crate::{Access, RequestMeta, Result, ServiceError, Services, audit, crypto, publishing::accounts::Account};

/// How long a person has to come back from the network.
const STATE_TTL_SECS: i64 = 600;
/// How long a grant with several accounts waits for the pick.
const PENDING_TTL_SECS: i64 = 900;

/// A network as the accounts page offers it.
#[derive(Clone, Debug)]
pub struct NetworkInfo {
    pub network: Network,
    /// `oauth`, `oauth_per_instance`, `app_password` or `none` (the sandbox).
    pub connect_flow: &'static str,
    /// Whether an administrator set the app credentials (per-instance networks need none).
    pub configured: bool,
}

/// Where to send the person, and until when the link works.
#[derive(Clone, Debug)]
pub struct ConnectStart {
    pub authorization_url: String,
    pub expires_at: Timestamp,
}

/// One account a grant gives access to, for the person to pick.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Candidate {
    pub platform_account_id: String,
    pub handle: String,
    pub display_name: String,
    pub kind: String,
    /// Sealed tokens of this candidate (never leave the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    access_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    expires_at: Option<i64>,
    #[serde(default)]
    scopes: Vec<String>,
}

#[derive(Clone, Debug)]
pub enum ConnectOutcome {
    Connected(Vec<Account>),
    /// Several accounts: the person picks with `select_connections`.
    Choose { pending_id: String, network: Network, candidates: Vec<Candidate>, expires_at: Timestamp },
}

fn flow_name(flow: ConnectFlow) -> &'static str {
    match flow {
        ConnectFlow::None => "none",
        ConnectFlow::OAuth => "oauth",
        ConnectFlow::OAuthPerInstance => "oauth_per_instance",
        ConnectFlow::AppPassword => "app_password",
    }
}

/// An instance address as `scheme://host[:port]`: https, or http on this machine only (tests,
/// a local server), so tokens never cross the internet in the clear.
pub(crate) fn instance_origin(raw: &str) -> Result<String> {
    let candidate = if raw.contains("://") { raw.trim().to_owned() } else { format!("https://{}", raw.trim()) };
    let url = url::Url::parse(&candidate).map_err(|_| ServiceError::field("instanceUrl", "give the server's address, like mastodon.social"))?;
    let host = url.host_str().ok_or_else(|| ServiceError::field("instanceUrl", "the address has no host"))?;
    let local = matches!(host, "localhost" | "127.0.0.1" | "[::1]");
    if url.scheme() != "https" && !(url.scheme() == "http" && local) {
        return Err(ServiceError::field("instanceUrl", "the server must be reached over https"));
    }
    Ok(url.origin().ascii_serialization())
}

impl Services {
    /// The networks this server has adapters for, and how each connects.
    pub fn connectable_networks(&self) -> Vec<NetworkInfo> {
        Network::ALL
            .iter()
            .filter_map(|&network| {
                let connector = self.connectors.get(network)?;
                let flow = connector.connect_flow();
                let configured = match flow {
                    ConnectFlow::OAuth => self.settings.networks.get(&network.to_string()).and_then(|s| s.client_id.as_deref()).is_some_and(|id| !id.is_empty()),
                    _ => true,
                };
                Some(NetworkInfo { network, connect_flow: flow_name(flow), configured })
            })
            .collect()
    }

    /// Starts connecting: a single-use state bound to the person's session and this workspace,
    /// a PKCE pair whose verifier is kept sealed, and the network's authorization URL.
    pub async fn start_connect(&self, access: &Access, network: &str, instance_url: Option<&str>) -> Result<ConnectStart> {
        access.require(Permission::SettingsUpdate)?;
        let (Some(user), Some(session)) = (access.actor.user_id, access.actor.session_id) else {
            return Err(ServiceError::Forbidden("connecting an account needs a person signed in; an API key cannot".into()));
        };
        let network: Network = network.parse().map_err(|_| ServiceError::field("network", format!("unknown network {network}")))?;
        let connector = self.connector(network)?;
        let flow = connector.connect_flow();
        if !matches!(flow, ConnectFlow::OAuth | ConnectFlow::OAuthPerInstance) {
            return Err(ServiceError::field("network", format!("{} does not connect through OAuth here ({})", network.label(), flow_name(flow))));
        }
        let instance = instance_url.filter(|i| !i.trim().is_empty()).map(instance_origin).transpose()?;
        let mut tx = self.db.begin().await?;
        let client = self.oauth_client(&mut tx, connector.as_ref(), instance.as_deref()).await?;
        let state = zenalto_networks::pkce::random_token();
        let pkce = Pkce::generate();
        let redirect_uri = self.oauth_redirect_uri();
        let request = AuthorizationRequest { client: &client, redirect_uri: &redirect_uri, state: &state, pkce_challenge: &pkce.challenge };
        let authorization_url = connector.authorization_url(&request).map_err(|e| ServiceError::Network(e.message().to_owned()))?;
        let now = self.now();
        let expires_at = now.plus_seconds(STATE_TTL_SECS);
        let sealed_verifier = self.seal(&pkce.verifier)?;
        let new = connections::NewState {
            state_hash: &crypto::sha256_hex(&state),
            workspace_id: access.workspace_id,
            user_id: user,
            session_id: &session.to_string(),
            network: &network.to_string(),
            instance_url: instance.as_deref(),
            pkce_verifier: &sealed_verifier,
            redirect_uri: &redirect_uri,
            expires_at,
        };
        connections::insert_state(&mut tx, &new, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(ConnectStart { authorization_url, expires_at })
    }

    /// Completes a connect with the code the network sent back. The state must be one this
    /// person started in this session for this workspace, unused and unexpired.
    pub async fn complete_connect(&self, access: &Access, state: &str, code: &str, meta: &RequestMeta) -> Result<ConnectOutcome> {
        access.require(Permission::SettingsUpdate)?;
        let refused = || ServiceError::field("state", "this connect link was not started in this session, was already used or has expired: start connecting again");
        let (Some(user), Some(session)) = (access.actor.user_id, access.actor.session_id) else { return Err(refused()) };
        if code.trim().is_empty() {
            return Err(ServiceError::field("code", "the network sent no authorization code"));
        }
        let mut tx = self.db.begin().await?;
        // Taken (marked used) before anything else, so a replayed state never works twice.
        let row = connections::take_state(&mut tx, &crypto::sha256_hex(state), access.workspace_id, user, &session.to_string(), self.now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        let row = row.ok_or_else(refused)?;
        let network: Network = row.network.parse().map_err(ServiceError::internal)?;
        let connector = self.connector(network)?;
        let verifier = self.open(&row.pkce_verifier)?;
        let mut conn = self.db.read().await?;
        let client = self.oauth_client(&mut conn, connector.as_ref(), row.instance_url.as_deref()).await?;
        drop(conn);
        let network_error = |e: zenalto_networks::PublishError| ServiceError::Network(e.message().to_owned());
        let tokens = connector.exchange(&client, code.trim(), verifier.expose(), &row.redirect_uri).await.map_err(network_error)?;
        let identities = connector.identities(&client, &tokens).await.map_err(network_error)?;
        self.connect_identities(access, network, row.instance_url.as_deref(), identities, &tokens, meta).await
    }

    /// Connects with an identifier and an app password (Bluesky).
    pub async fn connect_with_app_password(&self, access: &Access, network: &str, instance_url: Option<&str>, identifier: &str, app_password: &Secret<String>, meta: &RequestMeta) -> Result<Account> {
        access.require(Permission::SettingsUpdate)?;
        let network: Network = network.parse().map_err(|_| ServiceError::field("network", format!("unknown network {network}")))?;
        let connector = self.connector(network)?;
        if connector.connect_flow() != ConnectFlow::AppPassword {
            return Err(ServiceError::field("network", format!("{} does not connect with an app password", network.label())));
        }
        if identifier.trim().is_empty() {
            return Err(ServiceError::field("identifier", "give the account's handle or e-mail"));
        }
        if app_password.expose().trim().is_empty() {
            return Err(ServiceError::field("appPassword", "give an app password made in the network's settings"));
        }
        let default_instance = self.settings.networks.get(&network.to_string()).map(|s| s.url("pds", "https://bsky.social")).unwrap_or_else(|| "https://bsky.social".into());
        let instance = instance_origin(instance_url.filter(|i| !i.trim().is_empty()).unwrap_or(&default_instance))?;
        let (tokens, identity) = connector.sign_in(&instance, identifier.trim(), app_password).await.map_err(|e| ServiceError::Network(e.message().to_owned()))?;
        let mut tx = self.db.begin().await?;
        let account = self.save_identity(&mut tx, access, network, Some(&instance), &identity, &tokens, meta).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(account)
    }

    /// One identity: connected at once. Several: kept (tokens sealed) for the person to pick.
    async fn connect_identities(&self, access: &Access, network: Network, instance: Option<&str>, identities: Vec<Identity>, tokens: &Tokens, meta: &RequestMeta) -> Result<ConnectOutcome> {
        if identities.is_empty() {
            return Err(ServiceError::Network(format!("{} gave access to no account Zenalto can publish to", network.label())));
        }
        if let [identity] = identities.as_slice() {
            let mut tx = self.db.begin().await?;
            let account = self.save_identity(&mut tx, access, network, instance, identity, tokens, meta).await?;
            tx.commit().await.map_err(StoreError::from)?;
            return Ok(ConnectOutcome::Connected(vec![account]));
        }
        let mut candidates = Vec::with_capacity(identities.len());
        for identity in &identities {
            let own = identity.tokens.as_ref().unwrap_or(tokens);
            candidates.push(Candidate {
                platform_account_id: identity.platform_account_id.clone(),
                handle: identity.handle.clone(),
                display_name: identity.display_name.clone(),
                kind: identity.kind.clone(),
                access_token: Some(self.seal(own.access_token.expose())?),
                refresh_token: own.refresh_token.as_ref().map(|t| self.seal(t.expose())).transpose()?,
                expires_at: own.expires_at.map(|t| t.as_millis()),
                scopes: own.scopes.clone(),
            });
        }
        let user = access.actor.user_id.ok_or(ServiceError::NotFound)?;
        let pending_id = uuid::Uuid::new_v4().to_string();
        let now = self.now();
        let expires_at = now.plus_seconds(PENDING_TTL_SECS);
        let json = serde_json::to_string(&candidates).map_err(ServiceError::internal)?;
        let mut tx = self.db.begin().await?;
        let pending = connections::NewPending { id: &pending_id, workspace_id: access.workspace_id, user_id: user, network: &network.to_string(), instance_url: instance, candidates: &json, expires_at };
        connections::insert_pending(&mut tx, &pending, now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(ConnectOutcome::Choose { pending_id, network, candidates: candidates.into_iter().map(Candidate::public).collect(), expires_at })
    }

    /// The candidates of a grant waiting for a pick (without their tokens).
    pub async fn pending_connection(&self, access: &Access, pending_id: &str) -> Result<(Network, Vec<Candidate>, Timestamp)> {
        access.require(Permission::SettingsUpdate)?;
        let mut conn = self.db.read().await?;
        let row = connections::get_pending(&mut conn, access.workspace_id, pending_id, self.now()).await?.ok_or(ServiceError::NotFound)?;
        if Some(row.user_id.as_str()) != access.actor.user_id.map(|u| u.to_string()).as_deref() {
            return Err(ServiceError::NotFound);
        }
        let candidates: Vec<Candidate> = serde_json::from_str(&row.candidates).map_err(ServiceError::internal)?;
        Ok((row.network.parse().map_err(ServiceError::internal)?, candidates.into_iter().map(Candidate::public).collect(), Timestamp::from_millis(row.expires_at)))
    }

    /// Connects the picked accounts of a pending grant; the grant is used up either way.
    pub async fn select_connections(&self, access: &Access, pending_id: &str, picked: &[String], meta: &RequestMeta) -> Result<Vec<Account>> {
        access.require(Permission::SettingsUpdate)?;
        if picked.is_empty() {
            return Err(ServiceError::field("platformAccountIds", "pick at least one account"));
        }
        let user = access.actor.user_id.ok_or(ServiceError::NotFound)?;
        let mut tx = self.db.begin().await?;
        let row = connections::get_pending(&mut tx, access.workspace_id, pending_id, self.now()).await?.ok_or(ServiceError::NotFound)?;
        if row.user_id != user.to_string() {
            return Err(ServiceError::NotFound);
        }
        let candidates: Vec<Candidate> = serde_json::from_str(&row.candidates).map_err(ServiceError::internal)?;
        if let Some(unknown) = picked.iter().find(|id| !candidates.iter().any(|c| &c.platform_account_id == *id)) {
            return Err(ServiceError::field("platformAccountIds", format!("{unknown} is not one of the accounts this grant offers")));
        }
        let network: Network = row.network.parse().map_err(ServiceError::internal)?;
        let mut accounts = Vec::new();
        for candidate in candidates.iter().filter(|c| picked.contains(&c.platform_account_id)) {
            let tokens = Tokens {
                access_token: self.open(candidate.access_token.as_deref().ok_or_else(|| ServiceError::internal("a candidate without a token"))?)?,
                refresh_token: candidate.refresh_token.as_deref().map(|t| self.open(t)).transpose()?,
                expires_at: candidate.expires_at.map(Timestamp::from_millis),
                scopes: candidate.scopes.clone(),
            };
            let identity = Identity {
                platform_account_id: candidate.platform_account_id.clone(),
                handle: candidate.handle.clone(),
                display_name: candidate.display_name.clone(),
                kind: candidate.kind.clone(),
                tokens: None,
            };
            accounts.push(self.save_identity(&mut tx, access, network, row.instance_url.as_deref(), &identity, &tokens, meta).await?);
        }
        connections::take_pending(&mut tx, access.workspace_id, pending_id, self.now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(accounts)
    }

    /// Stores a connected account, sealed tokens and all. The same account connected again in
    /// this workspace is updated (new tokens, health back to active), never duplicated.
    #[allow(clippy::too_many_arguments)]
    async fn save_identity(&self, conn: &mut Conn, access: &Access, network: Network, instance: Option<&str>, identity: &Identity, grant: &Tokens, meta: &RequestMeta) -> Result<Account> {
        let tokens = identity.tokens.as_ref().unwrap_or(grant);
        let access_token = self.seal(tokens.access_token.expose())?;
        let refresh_token = tokens.refresh_token.as_ref().map(|t| self.seal(t.expose())).transpose()?;
        let scopes = tokens.scopes.join(" ");
        let handle: String = identity.handle.trim_start_matches('@').chars().take(100).collect();
        let display_name: String = if identity.display_name.trim().is_empty() { handle.clone() } else { identity.display_name.chars().take(100).collect() };
        let connection = social_accounts::Connection {
            platform_account_id: &identity.platform_account_id,
            instance_url: instance,
            handle: &handle,
            display_name: &display_name,
            access_token: &access_token,
            refresh_token: refresh_token.as_deref(),
            token_expires_at: tokens.expires_at,
            scopes: &scopes,
        };
        let now = self.now();
        let existing = social_accounts::find_connected(conn, access.workspace_id, &network.to_string(), &identity.platform_account_id).await?;
        let (id, action) = match existing {
            Some(row) => {
                social_accounts::reconnect(conn, access.workspace_id, row.id, &connection, now).await?;
                (row.id, "account.reconnect")
            }
            None => {
                let id = AccountId::new();
                social_accounts::insert_connected(conn, id, access.workspace_id, &network.to_string(), &connection, now).await?;
                (id, "account.connect")
            }
        };
        let event = audit::Event {
            action,
            resource_type: "social_account",
            resource_id: Some(id.to_string()),
            changes: Some(json!({ "network": network.to_string(), "handle": handle, "platformAccountId": identity.platform_account_id, "scopes": scopes })),
        };
        audit::record(conn, access, meta, event, self).await?;
        let row = social_accounts::get(conn, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        Account::try_from(row)
    }
}

impl Candidate {
    /// The candidate without its sealed tokens, for answers.
    fn public(self) -> Self {
        Self { access_token: None, refresh_token: None, expires_at: None, scopes: Vec::new(), ..self }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instance_addresses_are_https_origins_or_local() {
        assert_eq!(instance_origin("mastodon.social").ok().as_deref(), Some("https://mastodon.social"));
        assert_eq!(instance_origin("https://fosstodon.org/@me").ok().as_deref(), Some("https://fosstodon.org"));
        assert_eq!(instance_origin("http://127.0.0.1:3000").ok().as_deref(), Some("http://127.0.0.1:3000"));
        assert!(instance_origin("http://example.org").is_err(), "no tokens in the clear over the internet");
        assert!(instance_origin("ftp://example.org").is_err());
    }
}
