//! Connecting: LinkedIn's 3-legged OAuth 2.0 for web apps authenticates the app with its client
//! secret. LinkedIn offers PKCE only to native apps it enables one by one, with loopback
//! redirects (authorization-code-flow-native), so the authorization URL carries no challenge
//! and the exchange sends no verifier; `state` still binds the callback to the session.
//! <https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow>

use serde::Deserialize;
use url::Url;
use zenalto_domain::{Timestamp, publishing::Network};

use super::{LinkedInConnector, errors, urn_path, wire};
use crate::{AuthorizationRequest, Identity, OAuthClient, PublishError, Tokens, http, oauth::TokenResponse};

/// Sign-in (OpenID Connect, for the member id), posting and commenting as the member and as
/// their pages, reading the pages' posts, comments and statistics, and listing the pages the
/// member administers.
pub const SCOPES: &[&str] = &["openid", "profile", "w_member_social", "w_organization_social", "r_organization_social", "rw_organization_admin"];

/// Page roles that may post for an organization.
const POSTING_ROLES: &[&str] = &["ADMINISTRATOR", "CONTENT_ADMINISTRATOR", "DIRECT_SPONSORED_CONTENT_POSTER"];

pub fn authorization_url(base: &str, request: &AuthorizationRequest<'_>) -> Result<String, PublishError> {
    let mut url = Url::parse(base).map_err(|e| PublishError::Permanent { message: format!("the authorization URL {base} is not a URL: {e}") })?;
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", &request.client.client_id)
        .append_pair("redirect_uri", request.redirect_uri)
        .append_pair("state", request.state)
        .append_pair("scope", &SCOPES.join(" "));
    Ok(url.into())
}

#[derive(Deserialize)]
struct TokenError {
    error: String,
    #[serde(default)]
    error_description: Option<String>,
}

pub async fn exchange(http_client: &reqwest::Client, token_url: &str, client: &OAuthClient, code: &str, redirect_uri: &str) -> Result<Tokens, PublishError> {
    let secret = client.client_secret.as_ref().map(|s| s.expose().as_str()).unwrap_or("");
    let form = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect_uri), ("client_id", client.client_id.as_str()), ("client_secret", secret)];
    let response = http::send(Network::LinkedIn, http_client.post(token_url).header("accept", "application/json").form(&form)).await?;
    let status = response.status();
    if status.is_success() {
        let token: TokenResponse = http::json(Network::LinkedIn, response).await?;
        return Ok(token.into_tokens(Timestamp::now()));
    }
    let headers = response.headers().clone();
    let body = response.text().await.unwrap_or_default();
    let Ok(error) = serde_json::from_str::<TokenError>(&body) else {
        return Err(http::classify(Network::LinkedIn, status, &headers, &body, Timestamp::now()));
    };
    let detail = error.error_description.unwrap_or_else(|| error.error.clone());
    Err(match error.error.as_str() {
        "invalid_client" | "unauthorized_client" => {
            PublishError::Permanent { message: format!("LinkedIn does not accept Zenalto's app credentials: check networks.linkedin client_id and client_secret ({detail})") }
        }
        _ if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS => http::classify(Network::LinkedIn, status, &headers, &body, Timestamp::now()),
        _ => PublishError::Permanent { message: format!("LinkedIn refused the authorization code (used, expired or for another redirect): start connecting again ({detail})") },
    })
}

impl LinkedInConnector {
    /// The member, and the organizations whose pages they may post for.
    pub(super) async fn find_identities(&self, token: &str) -> Result<Vec<Identity>, PublishError> {
        let request = self.http.get(format!("{}/v2/userinfo", self.api)).bearer_auth(token);
        let me: wire::UserInfo = http::json(Network::LinkedIn, errors::send_ok(request).await?).await?;
        let mut identities =
            vec![Identity { platform_account_id: format!("urn:li:person:{}", me.sub), handle: me.name.clone(), display_name: me.name, kind: "profile".into(), tokens: None }];

        let request = self.rest(self.http.get(format!("{}/rest/organizationAcls", self.api)), token).query(&[("q", "roleAssignee"), ("state", "APPROVED")]);
        let acls: wire::Elements<wire::OrganizationAcl> = match errors::send_ok(request).await {
            Ok(response) => http::json(Network::LinkedIn, response).await?,
            // Without the organization scopes (the app lacks the Community Management product)
            // the member can still connect their own profile.
            Err(PublishError::Permanent { message } | PublishError::Reconnect { message }) => {
                tracing::info!(%message, "LinkedIn: the member's pages cannot be listed; connecting the profile only");
                return Ok(identities);
            }
            Err(e) => return Err(e),
        };
        let mut seen = Vec::new();
        for acl in acls.elements.into_iter().filter(|a| a.state == "APPROVED" && POSTING_ROLES.contains(&a.role.as_str())) {
            if seen.contains(&acl.organization) {
                continue;
            }
            seen.push(acl.organization.clone());
            let id = acl.organization.rsplit(':').next().unwrap_or_default();
            let request = self.rest(self.http.get(format!("{}/rest/organizations/{}", self.api, urn_path(id))), token);
            let organization: wire::Organization = http::json(Network::LinkedIn, errors::send_ok(request).await?).await?;
            identities.push(Identity {
                platform_account_id: acl.organization.clone(),
                handle: organization.vanity_name.unwrap_or_else(|| organization.localized_name.clone()),
                display_name: organization.localized_name,
                kind: "organization".into(),
                tokens: None,
            });
        }
        Ok(identities)
    }
}
