//! A real adapter end to end: an X account connected through the core's OAuth flow with the X
//! adapter against its local fake (PKCE checked by the fake's token endpoint), a post scheduled
//! to it published by the worker and read back from the fake, and a token the network refuses
//! turning into an account that asks to be reconnected.

use std::collections::HashMap;

use zenalto_fakes::{
    Fault,
    x::{CLIENT_ID, CLIENT_SECRET, XFake},
};
use zenalto_testkit::{Account, Backend, StatusCode, TestApp, json, spawn_app_with};

async fn app_with_x(backend: Backend, fake: &XFake) -> TestApp {
    let base = fake.base_url().to_owned();
    spawn_app_with(backend, move |s| {
        let x = s.networks.entry("x".into()).or_default();
        x.client_id = Some(CLIENT_ID.into());
        x.client_secret = zenalto_domain::Secret::new(CLIENT_SECRET.into());
        x.urls.insert("api".into(), base.clone());
        x.urls.insert("auth".into(), format!("{base}/i/oauth2/authorize"));
    })
    .await
}

/// Connects the fake's user: the authorization URL's challenge is what the fake's person
/// "approves"; the code comes back to the core, which exchanges it with its own verifier.
async fn connect_x(app: &TestApp, fake: &XFake, owner: &Account) -> String {
    let connections = format!("/api/v1/workspaces/{}/connections", owner.workspace_id);
    let (status, start) = app.post(&connections, Some(&owner.access), json!({ "network": "x" })).await;
    assert_eq!(status, StatusCode::OK, "{start}");
    let url = url::Url::parse(start["authorizationUrl"].as_str().unwrap()).unwrap();
    let asked: HashMap<String, String> = url.query_pairs().into_owned().collect();
    assert!(asked["scope"].contains("offline.access"), "a refresh token is asked for: {asked:?}");
    let code = fake.authorize(&asked["code_challenge"], &asked["redirect_uri"]);
    let (status, done) = app.post(&format!("{connections}/complete"), Some(&owner.access), json!({ "state": asked["state"], "code": code })).await;
    assert_eq!(status, StatusCode::OK, "{done}");
    let account = &done["accounts"][0];
    assert_eq!(account["handle"], zenalto_fakes::x::USERNAME);
    assert_eq!(account["platformAccountId"], zenalto_fakes::x::USER_ID);
    account["id"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn an_x_account_is_connected_published_to_and_read_back() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let fake = XFake::start().await;
        let app = app_with_x(backend, &fake).await;
        let owner = app.signed_in("owner@example.org").await;
        let account = connect_x(&app, &fake, &owner).await;

        let post = app.draft(&owner, "Hello from Zenalto to X", &[&account]).await;
        let id = post["id"].as_str().unwrap();
        let (status, body) = app.post_action(&owner, id, "publish", json!({})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let done = app.wait_for_status(&owner, id, "published", 20).await;
        let target = &done["targets"][0];
        let tweets = fake.live_tweets();
        assert_eq!(tweets.len(), 1, "{backend:?}: exactly one tweet: {tweets:?}");
        assert_eq!(tweets[0].text, "Hello from Zenalto to X");
        assert_eq!(target["platformPostId"], tweets[0].id.as_str(), "{target}");
        assert!(target["platformUrl"].as_str().unwrap().ends_with(&format!("/status/{}", tweets[0].id)), "{target}");
    }
}

#[tokio::test]
async fn a_token_the_network_refuses_asks_for_a_reconnect() {
    let fake = XFake::start().await;
    let app = app_with_x(Backend::Postgres, &fake).await;
    let owner = app.signed_in("owner@example.org").await;
    let account = connect_x(&app, &fake, &owner).await;
    fake.faults.push("POST /2/tweets", Fault::status(401, r#"{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}"#));

    let post = app.draft(&owner, "This one meets a revoked token", &[&account]).await;
    let id = post["id"].as_str().unwrap();
    app.post_action(&owner, id, "publish", json!({})).await;
    let failed = app.wait_for_status(&owner, id, "failed", 20).await;
    assert!(failed["targets"][0]["error"].as_str().unwrap().contains("connect it again"), "{failed}");
    let (_, account) = app.get(&format!("/api/v1/workspaces/{}/accounts/{account}", owner.workspace_id), &owner.access).await;
    assert_eq!(account["health"], "expired", "{account}");
    assert!(fake.live_tweets().is_empty(), "nothing was posted");
    let (_, notes) = app.get(&format!("/api/v1/workspaces/{}/notifications", owner.workspace_id), &owner.access).await;
    assert!(notes["items"].as_array().unwrap().iter().any(|n| n["kind"] == "account.health"), "{notes}");

    // Reconnecting brings the account back, and the next post goes out.
    let again = connect_x(&app, &fake, &owner).await;
    let (_, account) = app.get(&format!("/api/v1/workspaces/{}/accounts/{again}", owner.workspace_id), &owner.access).await;
    assert_eq!(account["health"], "active", "{account}");
    let post = app.draft(&owner, "Back again", &[&again]).await;
    let id = post["id"].as_str().unwrap();
    app.post_action(&owner, id, "publish", json!({})).await;
    app.wait_for_status(&owner, id, "published", 20).await;
    assert_eq!(fake.live_tweets().len(), 1);
}

#[tokio::test]
async fn x_tokens_are_refreshed_through_the_adapter() {
    let fake = XFake::start().await;
    let app = app_with_x(Backend::Sqlite, &fake).await;
    let owner = app.signed_in("owner@example.org").await;
    let account = connect_x(&app, &fake, &owner).await;
    // X access tokens live two hours: push the expiry into the refresh window.
    let mut conn = app.services.db.begin().await.unwrap();
    sqlx::query("UPDATE social_accounts SET token_expires_at = $1 WHERE id = $2").bind(app.services.now().plus_seconds(300).as_millis()).bind(&account).execute(&mut *conn).await.unwrap();
    conn.commit().await.unwrap();
    let before = access_token(&app, &account).await;
    assert_eq!(app.services.refresh_due_tokens().await.unwrap(), 1);
    let after = access_token(&app, &account).await;
    assert_ne!(before, after, "a new access token is stored");
    assert!(fake.token_is_valid(&after), "and it is one X issued");
    // The new token works (the old refresh token is spent at the fake).
    let post = app.draft(&owner, "After a refresh", &[&account]).await;
    let id = post["id"].as_str().unwrap();
    app.post_action(&owner, id, "publish", json!({})).await;
    app.wait_for_status(&owner, id, "published", 20).await;
    assert_eq!(fake.live_tweets().len(), 1);
}

/// The account's access token, opened with the vault.
async fn access_token(app: &TestApp, account: &str) -> String {
    let mut conn = app.services.db.read().await.unwrap();
    let (sealed,): (String,) = sqlx::query_as("SELECT access_token FROM social_accounts WHERE id = $1").bind(account).fetch_one(&mut *conn).await.unwrap();
    app.services.keys.keyring.decrypt(&sealed).unwrap()
}

/// Meta's code 4 is the app's own budget: both Pages wait, not only the one that met it.
#[tokio::test]
async fn an_app_wide_limit_holds_back_every_account_of_the_network() {
    use zenalto_fakes::graph::{APP_ID, APP_SECRET, GraphFake};
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let fake = GraphFake::start().await;
        let (first_token, second_token) = (fake.add_page("1001", "Shop", "shop"), fake.add_page("1002", "Cafe", "cafe"));
        let base = fake.base_url().to_owned();
        let app = spawn_app_with(backend, move |s| {
            s.workers.enabled = false;
            let facebook = s.networks.entry("facebook".into()).or_default();
            facebook.client_id = Some(APP_ID.into());
            facebook.client_secret = zenalto_domain::Secret::new(APP_SECRET.into());
            for name in ["graph", "graph_video"] {
                facebook.urls.insert(name.into(), base.clone());
            }
        })
        .await;
        let owner = app.signed_in("owner@example.org").await;
        let shop = app.connected_account(&owner, "facebook", "1001", "shop", &first_token).await;
        let cafe = app.connected_account(&owner, "facebook", "1002", "cafe", &second_token).await;
        let first = app.draft(&owner, "Open today", &[&shop]).await;
        let second = app.draft(&owner, "Fresh bread", &[&cafe]).await;
        fake.faults.push("POST /feed", zenalto_fakes::Fault::status(400, r#"{"error":{"message":"(#4) Application request limit reached","type":"OAuthException","code":4,"fbtrace_id":"x"}}"#));

        // One job at a time, so the first meets the limit before the second is claimed.
        for post in [&first, &second] {
            app.post_action(&owner, post["id"].as_str().unwrap(), "publish", json!({})).await;
        }
        let claimed = app.services.claim_jobs("test-worker", 1).await.unwrap();
        for job in claimed {
            app.services.run_job(job, "test-worker").await.unwrap();
        }
        assert!(app.services.claim_jobs("test-worker", 10).await.unwrap().is_empty(), "{backend:?}: the other Page's job waits too");
        assert!(fake.state().live_posts().is_empty(), "nothing was posted");
        let mut conn = app.services.db.read().await.unwrap();
        let (waiting,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND run_at > $1")
            .bind(app.services.now().plus_seconds(600).as_millis())
            .fetch_one(&mut *conn)
            .await
            .unwrap();
        assert_eq!(waiting, 2, "{backend:?}: both jobs wait for Meta's reset (an hour without a usage header)");
    }
}

/// A Facebook grant names two Pages: the person picks one, which is stored with its own Page
/// token; the pick is used once.
#[tokio::test]
async fn a_grant_with_several_pages_waits_for_the_persons_pick() {
    use zenalto_fakes::graph::{APP_ID, APP_SECRET, GraphFake};
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let fake = GraphFake::start().await;
        fake.add_page("1001", "Shop", "shop");
        let cafe_token = fake.add_page("1002", "Cafe", "cafe");
        let base = fake.base_url().to_owned();
        let app = spawn_app_with(backend, move |s| {
            let facebook = s.networks.entry("facebook".into()).or_default();
            facebook.client_id = Some(APP_ID.into());
            facebook.client_secret = zenalto_domain::Secret::new(APP_SECRET.into());
            for name in ["graph", "graph_video", "dialog"] {
                facebook.urls.insert(name.into(), base.clone());
            }
        })
        .await;
        let owner = app.signed_in("owner@example.org").await;
        let connections = format!("/api/v1/workspaces/{}/connections", owner.workspace_id);
        let (status, start) = app.post(&connections, Some(&owner.access), json!({ "network": "facebook" })).await;
        assert_eq!(status, StatusCode::OK, "{start}");
        let url = url::Url::parse(start["authorizationUrl"].as_str().unwrap()).unwrap();
        let asked: HashMap<String, String> = url.query_pairs().into_owned().collect();
        fake.issue_code("meta-code", Some(&asked["code_challenge"]));
        let (status, done) = app.post(&format!("{connections}/complete"), Some(&owner.access), json!({ "state": asked["state"], "code": "meta-code" })).await;
        assert_eq!(status, StatusCode::OK, "{done}");
        assert!(done["accounts"].as_array().unwrap().is_empty(), "nothing connected before the pick: {done}");
        let pending = &done["pending"];
        let offered: Vec<&str> = pending["candidates"].as_array().unwrap().iter().map(|c| c["platformAccountId"].as_str().unwrap()).collect();
        assert_eq!(offered, ["1001", "1002"], "{backend:?}");
        assert!(!done.to_string().contains("page-token"), "no token in the answer: {done}");
        let pick = format!("{connections}/pending/{}", pending["id"].as_str().unwrap());

        let (status, body) = app.post(&pick, Some(&owner.access), json!({ "platformAccountIds": ["9999"] })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "not offered: {body}");
        let (status, picked) = app.post(&pick, Some(&owner.access), json!({ "platformAccountIds": ["1002"] })).await;
        assert_eq!(status, StatusCode::OK, "{picked}");
        assert_eq!(picked[0]["handle"], "cafe");
        assert_eq!(access_token(&app, picked[0]["id"].as_str().unwrap()).await, cafe_token, "{backend:?}: the Page's own token is kept");
        let (status, _) = app.post(&pick, Some(&owner.access), json!({ "platformAccountIds": ["1001"] })).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{backend:?}: a pick is used once");
        let (_, listed) = app.get(&format!("/api/v1/workspaces/{}/accounts", owner.workspace_id), &owner.access).await;
        assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    }
}
