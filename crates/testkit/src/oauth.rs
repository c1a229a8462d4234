//! A real OAuth 2.0 authorization server for tests — oauth2-mock-server from npm, started per
//! test on a free port (`scripts/services.sh` installs it and exports `ZENALTO_TEST_OAUTH_MOCK`)
//! — and a test-only connector that connects through it, so the core's connect flow (state
//! bound to the session, PKCE, sealed tokens, refresh) is tested against a real server
//! independently of any one network's adapter.
//!
//! The mock redirects `/authorize` straight back with a code (no login page), enforces PKCE
//! S256 on the code exchange, returns JWT access tokens and refresh tokens, and answers
//! `/userinfo` with `{"sub": "johndoe"}`.

use std::{process::Stdio, sync::Arc, time::Duration};

use async_trait::async_trait;
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};
use zenalto_domain::{Secret, publishing::Network};
use zenalto_networks::{
    AccountContext, AuthorizationRequest, Capabilities, ConnectFlow, Connector, Identity, Lookup, OAuthClient, PublishError, PublishRequest, Published, Tokens,
    http,
    oauth::{self, ClientAuth, TokenEndpoint},
};

pub struct OAuthMock {
    /// `http://127.0.0.1:<port>`.
    pub base_url: String,
    child: Child,
}

impl OAuthMock {
    pub async fn start() -> Self {
        let script = std::env::var("ZENALTO_TEST_OAUTH_MOCK")
            .unwrap_or_else(|_| panic!("ZENALTO_TEST_OAUTH_MOCK is not set: run `source scripts/services.sh` (./scripts/test does), which installs oauth2-mock-server"));
        let mut child = Command::new("node")
            .args([script.as_str(), "-a", "127.0.0.1", "-p", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start oauth2-mock-server: {e}"));
        let mut lines = BufReader::new(child.stdout.take().expect("piped stdout")).lines();
        let base_url = tokio::time::timeout(Duration::from_secs(20), async {
            while let Ok(Some(line)) = lines.next_line().await {
                // "OAuth 2 server listening on http://127.0.0.1:PORT"
                if let Some(at) = line.find("http://") {
                    return line[at..].split_whitespace().next().map(|u| u.trim_end_matches('/').to_owned());
                }
            }
            None
        })
        .await
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("oauth2-mock-server did not say where it listens"));
        // Keep draining its output so the pipe never fills.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Self { base_url, child }
    }
}

impl Drop for OAuthMock {
    fn drop(&mut self) {
        let _ = self.child.start_kill();
    }
}

/// TEST ONLY: a connector for `network` whose OAuth endpoints are the mock's. It connects and
/// refreshes for real against the mock; it publishes nothing.
pub struct MockOAuthConnector {
    network: Network,
    base_url: String,
    http: reqwest::Client,
}

impl MockOAuthConnector {
    pub fn new(network: Network, mock: &OAuthMock) -> Arc<Self> {
        Arc::new(Self { network, base_url: mock.base_url.clone(), http: http::client(Duration::from_secs(10)) })
    }

    fn token_endpoint<'a>(&'a self, client: &'a OAuthClient, url: &'a str) -> TokenEndpoint<'a> {
        TokenEndpoint { network: self.network, url, client, auth: ClientAuth::Basic }
    }
}

#[async_trait]
impl Connector for MockOAuthConnector {
    fn network(&self) -> Network {
        self.network
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities { refreshes_tokens: true, can_revoke: true, ..Capabilities::default() }
    }

    fn connect_flow(&self) -> ConnectFlow {
        ConnectFlow::OAuth
    }

    async fn publish(&self, _account: &AccountContext, _request: &PublishRequest) -> Result<Published, PublishError> {
        Err(PublishError::Permanent { message: "the OAuth test connector publishes nothing".into() })
    }

    async fn find_published(&self, _account: &AccountContext, _lookup: &Lookup<'_>) -> Result<Option<Published>, PublishError> {
        Err(PublishError::Permanent { message: "the OAuth test connector cannot verify".into() })
    }

    async fn delete(&self, _account: &AccountContext, _id: &str) -> Result<(), PublishError> {
        Ok(())
    }

    fn authorization_url(&self, request: &AuthorizationRequest<'_>) -> Result<String, PublishError> {
        oauth::authorization_url(&format!("{}/authorize", self.base_url), request, &["openid", "offline_access"], " ", &[])
    }

    async fn exchange(&self, client: &OAuthClient, code: &str, verifier: &str, redirect_uri: &str) -> Result<Tokens, PublishError> {
        let url = format!("{}/token", self.base_url);
        oauth::exchange_code(&self.http, &self.token_endpoint(client, &url), code, verifier, redirect_uri).await
    }

    async fn identities(&self, _client: &OAuthClient, tokens: &Tokens) -> Result<Vec<Identity>, PublishError> {
        #[derive(serde::Deserialize)]
        struct UserInfo {
            sub: String,
        }
        let request = self.http.get(format!("{}/userinfo", self.base_url)).bearer_auth(tokens.access_token.expose());
        let info: UserInfo = http::json(self.network, http::send_ok(self.network, request).await?).await?;
        Ok(vec![Identity { platform_account_id: info.sub.clone(), handle: info.sub.clone(), display_name: info.sub, kind: "profile".into(), tokens: None }])
    }

    async fn refresh(&self, client: &OAuthClient, _account: &AccountContext, refresh_token: &Secret<String>) -> Result<Tokens, PublishError> {
        let url = format!("{}/token", self.base_url);
        oauth::refresh(&self.http, &self.token_endpoint(client, &url), refresh_token).await
    }

    async fn revoke(&self, client: &OAuthClient, account: &AccountContext) -> Result<(), PublishError> {
        let form = [("token", account.token()?), ("client_id", client.client_id.as_str())];
        http::send_ok(self.network, self.http.post(format!("{}/revoke", self.base_url)).form(&form)).await.map(|_| ())
    }
}
