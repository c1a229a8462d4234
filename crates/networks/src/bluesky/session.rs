//! App-password sessions (<https://docs.bsky.app/docs/api/com-atproto-server-create-session>):
//! `createSession` gives an access JWT (about 2 hours) and a refresh JWT (about 90 days);
//! `refreshSession`, called with the refresh JWT as the bearer, rotates both.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::json;
use zenalto_domain::{Secret, Timestamp};

use super::{BlueskyConnector, wire::Session, xrpc};
use crate::{Identity, PublishError, Tokens};

impl BlueskyConnector {
    pub(super) async fn create_session(
        &self,
        pds: &str,
        identifier: &str,
        password: &Secret<String>,
    ) -> Result<(Tokens, Identity), PublishError> {
        let url = format!("{pds}/xrpc/com.atproto.server.createSession");
        let request = self.http.post(url).json(&json!({ "identifier": identifier.trim().trim_start_matches('@'), "password": password.expose() }));
        let session: Session = match xrpc::send(request).await {
            Ok(response) => xrpc::json(response).await?,
            // A wrong password is the person's typo, not a lost grant.
            // The account password with two-factor sign-in asks for an e-mailed code.
            Err(PublishError::Reconnect { message })
                if message.contains("AuthFactorTokenRequired") =>
            {
                return Err(PublishError::Permanent { message: "Bluesky asks for a sign-in code: use an app password instead of the account password".into() });
            }
            Err(PublishError::Reconnect { .. }) => {
                return Err(PublishError::Permanent { message: "Bluesky refused the identifier or app password: check both (create an app password under Settings → Privacy and security → App passwords)".into() });
            }
            Err(other) => return Err(other),
        };
        let tokens = tokens_of(&session)?;
        Ok((tokens, identity_of(&session)))
    }

    pub(super) async fn refresh_session(
        &self,
        pds: &str,
        refresh_jwt: &Secret<String>,
    ) -> Result<Tokens, PublishError> {
        let url = format!("{pds}/xrpc/com.atproto.server.refreshSession");
        let response = xrpc::send(self.http.post(url).bearer_auth(refresh_jwt.expose())).await?;
        let session: Session = xrpc::json(response).await?;
        tokens_of(&session)
    }

    pub(super) async fn get_session(
        &self,
        pds: &str,
        access_jwt: &str,
    ) -> Result<Identity, PublishError> {
        let url = format!("{pds}/xrpc/com.atproto.server.getSession");
        let response = xrpc::send(self.http.get(url).bearer_auth(access_jwt)).await?;
        let session: Session = xrpc::json(response).await?;
        Ok(identity_of(&session))
    }
}

fn tokens_of(session: &Session) -> Result<Tokens, PublishError> {
    let access = session
        .access_jwt
        .clone()
        .ok_or_else(|| PublishError::Transient {
            message: "Bluesky answered a session without an access token".into(),
            retry_after_secs: None,
        })?;
    let expires_at = jwt_expiry(&access);
    let scopes = jwt_scope(&access).into_iter().collect();
    Ok(Tokens {
        access_token: Secret::new(access),
        refresh_token: session.refresh_jwt.clone().map(Secret::new),
        expires_at,
        scopes,
    })
}

fn identity_of(session: &Session) -> Identity {
    Identity {
        platform_account_id: session.did.clone(),
        handle: session.handle.clone(),
        display_name: session.handle.clone(),
        kind: "profile".into(),
        tokens: None,
    }
}

fn claims(jwt: &str) -> Option<serde_json::Value> {
    let payload = jwt.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?).ok()
}

/// The `exp` claim: when the core should refresh. The JWT is only read, never trusted for more.
fn jwt_expiry(jwt: &str) -> Option<Timestamp> {
    claims(jwt)?
        .get("exp")?
        .as_i64()
        .map(|exp| Timestamp::from_millis(exp * 1000))
}

/// The `scope` claim (`com.atproto.appPass` for an app password session).
fn jwt_scope(jwt: &str) -> Option<String> {
    claims(jwt)?.get("scope")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_and_scope_come_from_the_claims() {
        let payload =
            URL_SAFE_NO_PAD.encode(br#"{"scope":"com.atproto.appPass","exp":1800000000}"#);
        let jwt = format!("e30.{payload}.sig");
        assert_eq!(
            jwt_expiry(&jwt),
            Some(Timestamp::from_millis(1_800_000_000_000))
        );
        assert_eq!(jwt_scope(&jwt).as_deref(), Some("com.atproto.appPass"));
        assert_eq!(jwt_expiry("not-a-jwt"), None);
    }
}
