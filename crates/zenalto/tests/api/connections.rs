//! Connecting real network accounts through a real OAuth 2.0 server (oauth2-mock-server from
//! npm) with a test-only connector in front of it: the state is single use and bound to the
//! session and workspace that started it, PKCE is enforced by the server, tokens are sealed at
//! rest and never returned, a reconnect updates the account, refreshes happen ahead of expiry,
//! failures show in the account's health and reach the owners, and disconnecting revokes.

use std::collections::HashMap;

use reqwest::redirect::Policy;
use zenalto_domain::publishing::Network;
use zenalto_testkit::{
    Account, Backend, StatusCode, TestApp, json,
    oauth::{MockOAuthConnector, OAuthMock},
    spawn_app_with_connectors,
};

async fn app_with_mock(backend: Backend, mock: &OAuthMock) -> TestApp {
    spawn_app_with_connectors(
        backend,
        |s| {
            let x = s.networks.entry("x".into()).or_default();
            x.client_id = Some("zenalto-test-client".into());
            x.client_secret = zenalto_domain::Secret::new("test-client-secret".into());
        },
        vec![MockOAuthConnector::new(Network::X, mock)],
    )
    .await
}

fn connections(owner: &Account) -> String {
    format!("/api/v1/workspaces/{}/connections", owner.workspace_id)
}

/// Starts a connect and follows the authorization URL to the mock, which sends the person
/// straight back: returns the callback's query (code, state) and the URL's own query.
async fn authorize(app: &TestApp, owner: &Account) -> (HashMap<String, String>, HashMap<String, String>) {
    let (status, start) = app.post(&connections(owner), Some(&owner.access), json!({ "network": "x" })).await;
    assert_eq!(status, StatusCode::OK, "{start}");
    let url = start["authorizationUrl"].as_str().unwrap();
    let asked: HashMap<String, String> = url::Url::parse(url).unwrap().query_pairs().into_owned().collect();
    let browser = reqwest::Client::builder().redirect(Policy::none()).build().unwrap();
    let response = browser.get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::FOUND, "the server sends the person back");
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with(&format!("{}/connect/callback?", app.services.settings.server.public_url.trim_end_matches('/'))), "{location}");
    let back: HashMap<String, String> = url::Url::parse(&location).unwrap().query_pairs().into_owned().collect();
    (back, asked)
}

async fn sealed_tokens(app: &TestApp, account: &str) -> (Option<String>, Option<String>, Option<i64>) {
    let mut conn = app.services.db.read().await.unwrap();
    sqlx::query_as("SELECT access_token, refresh_token, token_expires_at FROM social_accounts WHERE id = $1").bind(account).fetch_one(&mut *conn).await.unwrap()
}

#[tokio::test]
async fn an_account_connects_through_a_real_oauth_server_with_pkce() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let mock = OAuthMock::start().await;
        let app = app_with_mock(backend, &mock).await;
        let owner = app.signed_in("owner@example.org").await;

        let (status, networks) = app.get(&format!("/api/v1/workspaces/{}/networks", owner.workspace_id), &owner.access).await;
        assert_eq!(status, StatusCode::OK);
        let x = networks.as_array().unwrap().iter().find(|n| n["network"] == "x").unwrap_or_else(|| panic!("{networks}"));
        assert_eq!((x["connectFlow"].as_str(), x["configured"].as_bool()), (Some("oauth"), Some(true)), "{backend:?}");

        let (back, asked) = authorize(&app, &owner).await;
        assert_eq!(asked["code_challenge_method"], "S256");
        assert_eq!(asked["code_challenge"].len(), 43, "BASE64URL of SHA-256");
        assert_eq!(asked["client_id"], "zenalto-test-client");
        assert_eq!(back["state"], asked["state"], "the state comes back unchanged");

        // A made-up state, and the right state from another session of the same person, are
        // refused — and the second does not burn the state for its owner.
        let complete = format!("{}/complete", connections(&owner));
        let (status, body) = app.post(&complete, Some(&owner.access), json!({ "state": "forged", "code": back["code"] })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert!(body["error"]["details"]["state"].is_string(), "{body}");
        let (_, other_session) = app.login("owner@example.org", &owner.password).await;
        let other = other_session["accessToken"].as_str().unwrap();
        let (status, _) = app.post(&complete, Some(other), json!({ "state": back["state"], "code": back["code"] })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}: bound to the session that started it");

        let (status, done) = app.post(&complete, Some(&owner.access), json!({ "state": back["state"], "code": back["code"] })).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: {done}");
        let account = &done["accounts"][0];
        assert_eq!(account["network"], "x");
        assert_eq!(account["handle"], "johndoe", "the identity the server's userinfo names");
        assert_eq!(account["platformAccountId"], "johndoe");
        assert_eq!(account["health"], "active");
        assert!(account["tokenExpiresAt"].is_string(), "{account}");
        let id = account["id"].as_str().unwrap().to_owned();

        // Sealed at rest, never in an answer.
        let (access, refresh, _) = sealed_tokens(&app, &id).await;
        let (access, refresh) = (access.unwrap(), refresh.unwrap());
        assert!(access.starts_with("v1:") && refresh.starts_with("v1:"), "vault ciphertexts with their key id: {access}");
        assert!(!access.contains("eyJ"), "no JWT in the clear");
        let (_, listed) = app.get(&format!("/api/v1/workspaces/{}/accounts", owner.workspace_id), &owner.access).await;
        assert!(!listed.to_string().contains("v1:") && !listed.to_string().contains("eyJ"), "{listed}");

        // Used once.
        let (status, _) = app.post(&complete, Some(&owner.access), json!({ "state": back["state"], "code": back["code"] })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{backend:?}: a replayed state is refused");

        // Connecting the same account again updates it (new tokens), never a twin.
        let (back, _) = authorize(&app, &owner).await;
        let (status, again) = app.post(&complete, Some(&owner.access), json!({ "state": back["state"], "code": back["code"] })).await;
        assert_eq!(status, StatusCode::OK, "{again}");
        assert_eq!(again["accounts"][0]["id"], id.as_str(), "{backend:?}: the same account");
        let (new_access, _, _) = sealed_tokens(&app, &id).await;
        assert_ne!(new_access.unwrap(), access, "new tokens stored");
        let (_, listed) = app.get(&format!("/api/v1/workspaces/{}/accounts", owner.workspace_id), &owner.access).await;
        assert_eq!(listed.as_array().unwrap().iter().filter(|a| a["network"] == "x").count(), 1, "{listed}");

        let (_, audit) = app.get(&format!("/api/v1/workspaces/{}/audit-log", owner.workspace_id), &owner.access).await;
        let actions: Vec<&str> = audit["items"].as_array().map(|items| items.iter().filter_map(|e| e["action"].as_str()).collect()).unwrap_or_default();
        assert!(actions.contains(&"account.connect") && actions.contains(&"account.reconnect"), "{audit}");
    }
}

#[tokio::test]
async fn a_code_without_its_pkce_verifier_is_refused_by_the_server() {
    let mock = OAuthMock::start().await;
    let app = app_with_mock(Backend::Sqlite, &mock).await;
    let owner = app.signed_in("owner@example.org").await;
    let (back, _) = authorize(&app, &owner).await;
    // The code, redeemed directly with a verifier that is not the one behind the challenge.
    let client = reqwest::Client::new();
    let wrong_verifier = "x".repeat(43);
    let form = [("grant_type", "authorization_code"), ("code", back["code"].as_str()), ("redirect_uri", "http://example.org/cb"), ("code_verifier", wrong_verifier.as_str()), ("client_id", "zenalto-test-client")];
    let response = client.post(format!("{}/token", mock.base_url)).form(&form).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "the real server enforces PKCE: a stolen code is useless without the verifier");
    // The server burnt the code on the failed try: completing now fails with the network's
    // reason in the error envelope, and nothing is connected.
    let complete = format!("{}/complete", connections(&owner));
    let (status, body) = app.post(&complete, Some(&owner.access), json!({ "state": back["state"], "code": back["code"] })).await;
    assert_eq!(status, StatusCode::BAD_GATEWAY, "{body}");
    assert_eq!(body["error"]["code"], "NETWORK_ERROR");
    assert!(body["error"]["message"].as_str().unwrap().contains("refused"), "{body}");
    let (_, listed) = app.get(&format!("/api/v1/workspaces/{}/accounts", owner.workspace_id), &owner.access).await;
    assert_eq!(listed.as_array().unwrap().len(), 0, "{listed}");
    // Starting again works.
    let (back, _) = authorize(&app, &owner).await;
    let (status, done) = app.post(&complete, Some(&owner.access), json!({ "state": back["state"], "code": back["code"] })).await;
    assert_eq!(status, StatusCode::OK, "{done}");
}

#[tokio::test]
async fn who_may_connect_and_what_is_refused() {
    let mock = OAuthMock::start().await;
    let app = app_with_mock(Backend::Sqlite, &mock).await;
    let owner = app.signed_in("owner@example.org").await;
    let editor = app.member(&owner, "editor@example.org", "editor").await;
    let (status, body) = app.post(&connections(&owner), Some(&editor.access), json!({ "network": "x" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");

    let (status, key) = app.post(&format!("/api/v1/workspaces/{}/api-keys", owner.workspace_id), Some(&owner.access), json!({ "name": "ci", "scopes": ["settings:update", "settings:view"] })).await;
    assert_eq!(status, StatusCode::CREATED, "{key}");
    let (status, body) = app.post(&connections(&owner), key["secret"].as_str(), json!({ "network": "x" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "an API key cannot click through a consent page: {body}");

    for (request, field) in [
        (json!({ "network": "myspace" }), "network"),
        (json!({ "network": "sandbox" }), "network"),
        (json!({ "network": "mastodon", "instanceUrl": "http://example.org" }), "network"),
    ] {
        let (status, body) = app.post(&connections(&owner), Some(&owner.access), request.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{request}: {body}");
        assert!(body["error"]["details"][field].is_string() || body["error"]["details"]["instanceUrl"].is_string(), "{request}: {body}");
    }
    let (status, body) = app.post(&connections(&owner), Some(&owner.access), json!({ "network": "x", "extra": 1 })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "unknown fields are refused: {body}");
}

#[tokio::test]
async fn tokens_are_refreshed_ahead_of_expiry_and_failures_show_in_health() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let mock = OAuthMock::start().await;
        let app = app_with_mock(backend, &mock).await;
        let owner = app.signed_in("owner@example.org").await;
        let (back, _) = authorize(&app, &owner).await;
        let (_, done) = app.post(&format!("{}/complete", connections(&owner)), Some(&owner.access), json!({ "state": back["state"], "code": back["code"] })).await;
        let id = done["accounts"][0]["id"].as_str().unwrap().to_owned();
        let (before, _, _) = sealed_tokens(&app, &id).await;

        // Nothing due yet: the token has an hour left.
        assert_eq!(app.services.refresh_due_tokens().await.unwrap(), 0, "{backend:?}");
        // Ten minutes left: refreshed.
        expire_in(&app, &id, 600).await;
        assert_eq!(app.services.refresh_due_tokens().await.unwrap(), 1, "{backend:?}");
        let (after, _, expires_at) = sealed_tokens(&app, &id).await;
        assert_ne!(before, after, "{backend:?}: a new access token");
        let left = expires_at.unwrap() - app.services.now().as_millis();
        assert!(left > 3_000_000, "{backend:?}: the server's expires_in (an hour) counts from now: {left} ms");

        // The server is gone: the refresh fails; the token still works for a while, so the
        // account shows an error (retried later), and the owner hears about it once.
        expire_in(&app, &id, 600).await;
        drop(mock);
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        assert_eq!(app.services.refresh_due_tokens().await.unwrap(), 0);
        let (_, account) = app.get(&format!("/api/v1/workspaces/{}/accounts/{id}", owner.workspace_id), &owner.access).await;
        assert_eq!(account["health"], "error", "{backend:?}: {account}");
        assert!(account["lastError"].as_str().is_some_and(|e| e.contains("could not be reached")), "{account}");
        let (_, notes) = app.get(&format!("/api/v1/workspaces/{}/notifications", owner.workspace_id), &owner.access).await;
        let health_notes = notes["items"].as_array().unwrap().iter().filter(|n| n["kind"] == "account.health").count();
        assert_eq!(health_notes, 1, "{backend:?}: {notes}");
        // Not tried again at once (no hammering a failing network).
        assert_eq!(app.services.refresh_due_tokens().await.unwrap(), 0);
    }
}

async fn expire_in(app: &TestApp, account: &str, seconds: i64) {
    let mut conn = app.services.db.begin().await.unwrap();
    sqlx::query("UPDATE social_accounts SET token_expires_at = $1, refresh_attempted_at = NULL WHERE id = $2")
        .bind(app.services.now().plus_seconds(seconds).as_millis())
        .bind(account)
        .execute(&mut *conn)
        .await
        .unwrap();
    conn.commit().await.unwrap();
}

#[tokio::test]
async fn disconnecting_revokes_at_the_network_and_forgets_the_tokens() {
    let mock = OAuthMock::start().await;
    let app = app_with_mock(Backend::Postgres, &mock).await;
    let owner = app.signed_in("owner@example.org").await;
    let (back, _) = authorize(&app, &owner).await;
    let (_, done) = app.post(&format!("{}/complete", connections(&owner)), Some(&owner.access), json!({ "state": back["state"], "code": back["code"] })).await;
    let id = done["accounts"][0]["id"].as_str().unwrap().to_owned();
    let response = app.request(reqwest::Method::DELETE, &format!("/api/v1/workspaces/{}/accounts/{id}", owner.workspace_id), Some(&owner.access)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert_eq!(response.headers()["zenalto-revoked-at-network"], "true", "the server's revocation endpoint confirmed");
    assert_eq!(sealed_tokens(&app, &id).await.0, None, "the tokens are forgotten");
    assert_eq!(sealed_tokens(&app, &id).await.1, None);
}
