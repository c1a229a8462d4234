//! Metrics and the unified inbox against the local Mastodon and X fakes (crates/fakes): figures
//! fetched on demand and by the scheduled rounds, stored figures kept when a network fails, a
//! refused token marking the account expired, inbox items stored once with the cursor moving,
//! unread counts, replies reaching the network and stored as outgoing, tenant isolation and
//! who may do what. The background workers are off: each test runs the rounds itself.

use serde_json::Value;
use zenalto_domain::{AccountId, Timestamp, WorkspaceId};
use zenalto_fakes::{Fault, mastodon::MastodonFake, x, x::XFake};
use zenalto_store::repo::social_accounts::{self, Connection};
use zenalto_testkit::{Account, Backend, StatusCode, TestApp, expect_error, items, json, spawn_app_with};

const BACKENDS: [Backend; 2] = [Backend::Sqlite, Backend::Postgres];

struct Setup {
    app: TestApp,
    mastodon: MastodonFake,
    x: XFake,
    owner: Account,
    /// The owner's Mastodon account (alice on the fake) and X account.
    toot: String,
    tweet: String,
    mastodon_token: String,
}

async fn setup(backend: Backend) -> Setup {
    let mastodon = MastodonFake::start().await;
    let x = XFake::start().await;
    let api = x.base_url().to_owned();
    let app = spawn_app_with(backend, |s| {
        s.workers.enabled = false;
        s.networks.entry("x".into()).or_default().urls.insert("api".into(), api);
    })
    .await;
    let owner = app.signed_in("owner@example.org").await;
    let mastodon_token = mastodon.token_for("alice", &["read", "write"]);
    let toot = connect(&app, &owner, "mastodon", "610", "alice", Some(mastodon.url()), &mastodon_token).await;
    let tweet = connect(&app, &owner, "x", x::USER_ID, x::USERNAME, None, x.token()).await;
    Setup { app, mastodon, x, owner, toot, tweet, mastodon_token }
}

/// An account connected with a real token of the fake, sealed as the connect flow seals it.
async fn connect(app: &TestApp, owner: &Account, network: &str, platform_id: &str, handle: &str, instance: Option<&str>, token: &str) -> String {
    let sealed = app.services.keys.keyring.encrypt(token).unwrap();
    let connection = Connection {
        platform_account_id: platform_id,
        instance_url: instance,
        handle,
        display_name: handle,
        access_token: &sealed,
        refresh_token: None,
        token_expires_at: None,
        scopes: "read write",
    };
    let id = AccountId::new();
    let workspace: WorkspaceId = owner.workspace_id.parse().unwrap();
    let mut tx = app.services.db.begin().await.unwrap();
    social_accounts::insert_connected(&mut tx, id, workspace, network, &connection, Timestamp::now()).await.unwrap();
    tx.commit().await.unwrap();
    id.to_string()
}

/// Publishes `text` to `account` through the queue; returns the post id and the network's id.
async fn publish(app: &TestApp, owner: &Account, account: &str, text: &str) -> (String, String) {
    let post = app.draft(owner, text, &[account]).await;
    let id = post["id"].as_str().unwrap().to_owned();
    let (status, body) = app.post_action(owner, &id, "publish", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.run_due_jobs().await;
    let post = app.get_post(owner, &id).await;
    assert_eq!(post["status"], "published", "{post}");
    (id, post["targets"][0]["platformPostId"].as_str().unwrap().to_owned())
}

fn ws(owner: &Account) -> String {
    format!("/api/v1/workspaces/{}", owner.workspace_id)
}

async fn conversations(app: &TestApp, owner: &Account, query: &str) -> Vec<Value> {
    let (status, body) = app.get(&format!("{}/inbox/conversations{query}", ws(owner)), &owner.access).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    items(&body).clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_fetched_on_demand_and_by_the_scheduled_rounds() {
    for backend in BACKENDS {
        let Setup { app, mastodon, x, owner, toot, tweet, .. } = setup(backend).await;
        let (post, status_id) = publish(&app, &owner, &toot, "Counting stars").await;
        let (_, body) = app.get(&format!("{}/posts/{post}/metrics", ws(&owner)), &owner.access).await;
        assert!(body["targets"][0]["metrics"].is_null() && body["targets"][0]["fetchedAt"].is_null(), "{backend:?}: nothing fetched yet: {body}");

        mastodon.set_counts(&status_id, 5, 2, 1);
        let (status, body) = app.post(&format!("{}/posts/{post}/metrics/refresh", ws(&owner)), Some(&owner.access), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let figures = &body["targets"][0]["metrics"];
        assert_eq!((figures["likes"].as_i64(), figures["shares"].as_i64(), figures["comments"].as_i64()), (Some(5), Some(2), Some(1)), "{backend:?}: {body}");
        assert!(body["targets"][0]["fetchedAt"].is_string(), "{body}");

        // The scheduled round takes the X post (never fetched) and leaves the fresh Mastodon one.
        let (x_post, tweet_id) = publish(&app, &owner, &tweet, "Counting tweets").await;
        x.set_metrics(&tweet_id, x::Metrics { likes: 7, impressions: 300, retweets: 1, ..x::Metrics::default() });
        assert_eq!(app.services.refresh_due_metrics().await.unwrap(), 1, "{backend:?}");
        assert_eq!(app.services.refresh_due_metrics().await.unwrap(), 0, "{backend:?}: fetched within the hour");
        let (_, body) = app.get(&format!("{}/posts/{x_post}/metrics", ws(&owner)), &owner.access).await;
        assert_eq!(body["targets"][0]["metrics"]["likes"], 7, "{backend:?}: {body}");
        assert_eq!(body["targets"][0]["metrics"]["impressions"], 300, "{body}");

        // Account figures: on demand, then by the daily round for the account not yet fetched.
        mastodon.set_followers(120);
        let (status, body) = app.post(&format!("{}/accounts/{toot}/metrics/refresh", ws(&owner)), Some(&owner.access), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["series"][0]["followers"], 120, "{backend:?}: {body}");
        assert_eq!(app.services.refresh_due_account_metrics().await.unwrap(), 1, "{backend:?}: only the X account was due");
        let (_, body) = app.get(&format!("{}/accounts/{tweet}/metrics?days=7", ws(&owner)), &owner.access).await;
        assert_eq!(body["series"][0]["followers"], 42, "{backend:?}: {body}");
        assert!(body["series"][0]["fetchedAt"].is_string(), "{body}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stored_figures_survive_failures_and_a_refused_token_expires_the_account() {
    for backend in BACKENDS {
        let Setup { app, mastodon, owner, toot, .. } = setup(backend).await;
        let (post, status_id) = publish(&app, &owner, &toot, "Fragile").await;
        mastodon.set_counts(&status_id, 3, 0, 0);
        let refresh = format!("{}/posts/{post}/metrics/refresh", ws(&owner));
        let (_, body) = app.post(&refresh, Some(&owner.access), json!({})).await;
        assert_eq!(body["targets"][0]["metrics"]["likes"], 3, "{body}");
        let fetched = body["targets"][0]["fetchedAt"].clone();

        // The network fails: the answer says so, the stored figures stay.
        mastodon.faults.push("GET /api/v1/statuses", Fault::status(503, r#"{"error":"Service Unavailable"}"#));
        mastodon.set_counts(&status_id, 9, 0, 0);
        let (status, body) = app.post(&refresh, Some(&owner.access), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body["targets"][0]["refreshError"].is_string(), "{backend:?}: {body}");
        assert_eq!(body["targets"][0]["metrics"]["likes"], 3, "{backend:?}: kept: {body}");
        assert_eq!(body["targets"][0]["fetchedAt"], fetched);
        let (_, account) = app.get(&format!("{}/accounts/{toot}", ws(&owner)), &owner.access).await;
        assert_eq!(account["health"], "active", "{backend:?}: a passing failure says nothing about the token");
        assert_eq!(app.services.refresh_due_metrics().await.unwrap(), 0, "{backend:?}: a failed try waits its hour like a good one");

        // The token is refused: the account needs reconnecting, announced once.
        for _ in 0..2 {
            mastodon.faults.push("GET /api/v1/statuses", Fault::status(401, r#"{"error":"The access token is invalid"}"#));
            let (_, body) = app.post(&refresh, Some(&owner.access), json!({})).await;
            assert_eq!(body["targets"][0]["metrics"]["likes"], 3, "{body}");
        }
        let (_, account) = app.get(&format!("{}/accounts/{toot}", ws(&owner)), &owner.access).await;
        assert_eq!(account["health"], "expired", "{backend:?}: {account}");
        let (_, notes) = app.get(&format!("{}/notifications", ws(&owner)), &owner.access).await;
        assert_eq!(items(&notes).iter().filter(|n| n["kind"] == "account.health").count(), 1, "{backend:?}: {notes}");
        assert_eq!(app.services.refresh_due_metrics().await.unwrap(), 0, "{backend:?}: the schedule leaves an expired account alone");
        mastodon.faults.push("GET /api/v1/accounts/verify_credentials", Fault::status(401, r#"{"error":"The access token is invalid"}"#));
        let (status, body) = app.post(&format!("{}/accounts/{toot}/metrics/refresh", ws(&owner)), Some(&owner.access), json!({})).await;
        expect_error(status, &body, StatusCode::BAD_GATEWAY, "NETWORK_ERROR", "the token is still refused");
        let (_, notes) = app.get(&format!("{}/notifications", ws(&owner)), &owner.access).await;
        assert_eq!(items(&notes).iter().filter(|n| n["kind"] == "account.health").count(), 1, "{backend:?}: still once: {notes}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_inbox_stores_items_once_and_replies_go_through_the_network() {
    for backend in BACKENDS {
        let Setup { app, mastodon, x, owner, toot, tweet, mastodon_token } = setup(backend).await;
        let (_, status_id) = publish(&app, &owner, &toot, "Talk to me").await;
        mastodon.mention("bob", "nice post", Some(&status_id));
        mastodon.direct_message("carol", "psst");
        // The scheduled round takes both accounts (X has nothing yet), then a sync on demand
        // finds nothing new.
        assert_eq!(app.services.sync_due_inboxes().await.unwrap(), 2, "{backend:?}");
        assert_eq!(app.services.sync_due_inboxes().await.unwrap(), 0, "{backend:?}: synced within five minutes");
        let sync = format!("{}/accounts/{toot}/inbox/sync", ws(&owner));
        let (status, body) = app.post(&sync, Some(&owner.access), json!({})).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["newItems"], 0, "{backend:?}: nothing twice: {body}");
        let mut conn = app.services.db.read().await.unwrap();
        let (cursor,): (Option<String>,) =
            sqlx::query_as("SELECT inbox_cursor FROM social_accounts WHERE id = $1").bind(&toot).fetch_one(&mut *conn).await.unwrap();
        drop(conn);
        assert!(cursor.is_some_and(|c| !c.is_empty()), "{backend:?}: the cursor moved");

        let all = conversations(&app, &owner, "").await;
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(all.iter().all(|c| c["unread"] == 1), "{all:?}");
        let (_, first) = app.get(&format!("{}/inbox/conversations?limit=1", ws(&owner)), &owner.access).await;
        let next = first["nextCursor"].as_str().expect("a second page");
        let second = conversations(&app, &owner, &format!("?limit=1&cursor={next}")).await;
        assert_eq!((items(&first).len(), second.len()), (1, 1), "{backend:?}: {first}");
        assert_ne!(items(&first)[0]["id"], second[0]["id"]);
        let direct = conversations(&app, &owner, &format!("?kind=direct&accountId={toot}")).await;
        assert_eq!(direct.len(), 1, "{direct:?}");
        let comments = conversations(&app, &owner, "?kind=comments").await;
        let comments_id = comments[0]["id"].as_str().unwrap().to_owned();

        // A second mention on the same post lands in the same conversation.
        mastodon.mention("dave", "me too", Some(&status_id));
        let (_, body) = app.post(&sync, Some(&owner.access), json!({})).await;
        assert_eq!(body["newItems"], 1, "{backend:?}: {body}");
        let (_, body) = app.get(&format!("{}/inbox/conversations/{comments_id}/messages", ws(&owner)), &owner.access).await;
        assert_eq!(body["messages"].as_array().unwrap().len(), 2, "{backend:?}: {body}");
        assert_eq!(body["conversation"]["unread"], 2, "{body}");
        let (status, read) = app.post(&format!("{}/inbox/conversations/{comments_id}/read", ws(&owner)), Some(&owner.access), json!({})).await;
        assert_eq!((status, read["unread"].as_i64()), (StatusCode::OK, Some(0)), "{read}");
        assert_eq!(conversations(&app, &owner, "?unread=true").await.len(), 1, "{backend:?}: only the direct one is unread");

        // A reply to the direct message goes to Mastodon as a direct status and is stored.
        let direct_id = direct[0]["id"].as_str().unwrap();
        let reply = format!("{}/inbox/conversations/{direct_id}/reply", ws(&owner));
        let (status, sent) = app.post(&reply, Some(&owner.access), json!({ "text": "hello Carol" })).await;
        assert_eq!(status, StatusCode::CREATED, "{backend:?}: {sent}");
        assert_eq!((sent["outgoing"].as_bool(), sent["sentBy"].as_str()), (Some(true), Some(owner.user_id.as_str())), "{sent}");
        let at_network = mastodon.statuses().into_iter().find(|s| s.id == sent["platformId"].as_str().unwrap()).expect("the reply is at the network");
        assert_eq!((at_network.account.as_str(), at_network.visibility.as_str()), ("alice", "direct"));
        assert!(at_network.text.contains("hello Carol") && at_network.text.contains("@carol"), "{}", at_network.text);
        let (_, body) = app.get(&format!("{}/inbox/conversations/{direct_id}/messages", ws(&owner)), &owner.access).await;
        let messages = body["messages"].as_array().unwrap();
        assert_eq!(messages.len(), 2, "{body}");
        assert_eq!(messages[1]["outgoing"], true, "{body}");
        assert!(!mastodon.token_revoked(&mastodon_token));

        // X: a mention and a DM, and a reply to the mention posted as a tweet in reply.
        x.add_mention("2000", "erin", "hi there", None);
        x.add_dm("2001", "dm me");
        let (_, body) = app.post(&format!("{}/accounts/{tweet}/inbox/sync", ws(&owner)), Some(&owner.access), json!({})).await;
        let (_, again) = app.post(&format!("{}/accounts/{tweet}/inbox/sync", ws(&owner)), Some(&owner.access), json!({})).await;
        assert_eq!(again["newItems"], 0, "{backend:?}: {body} then {again}");
        let on_x = conversations(&app, &owner, &format!("?accountId={tweet}")).await;
        assert_eq!(on_x.len(), 2, "{backend:?}: {body} {on_x:?}");
        let mention = on_x.iter().find(|c| c["kind"] == "comments").unwrap()["id"].as_str().unwrap().to_owned();
        let (status, sent) = app.post(&format!("{}/inbox/conversations/{mention}/reply", ws(&owner)), Some(&owner.access), json!({ "text": "thanks" })).await;
        assert_eq!(status, StatusCode::CREATED, "{backend:?}: {sent}");
        assert!(x.live_tweets().iter().any(|t| t.id == sent["platformId"].as_str().unwrap() && t.reply_to.is_some()), "{sent}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn other_workspaces_viewers_and_bad_input_are_refused() {
    for backend in BACKENDS {
        let Setup { app, mastodon, owner, toot, .. } = setup(backend).await;
        let (post, _) = publish(&app, &owner, &toot, "Mine").await;
        mastodon.direct_message("carol", "psst");
        app.post(&format!("{}/accounts/{toot}/inbox/sync", ws(&owner)), Some(&owner.access), json!({})).await;
        let conversation = conversations(&app, &owner, "").await[0]["id"].as_str().unwrap().to_owned();

        let stranger = app.signed_in("stranger@example.org").await;
        let theirs = format!("/api/v1/workspaces/{}", owner.workspace_id);
        for path in [
            format!("{theirs}/posts/{post}/metrics"),
            format!("{theirs}/accounts/{toot}/metrics"),
            format!("{theirs}/inbox/conversations/{conversation}/messages"),
        ] {
            let (status, body) = app.get(&path, &stranger.access).await;
            expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", &path);
        }
        // Their own workspace does not reach our rows either.
        let mine = ws(&stranger);
        for path in [format!("{mine}/posts/{post}/metrics"), format!("{mine}/inbox/conversations/{conversation}/messages")] {
            let (status, body) = app.get(&path, &stranger.access).await;
            expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", &path);
        }
        let (status, body) = app.post(&format!("{mine}/inbox/conversations/{conversation}/reply"), Some(&stranger.access), json!({ "text": "hi" })).await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "a reply from another workspace");
        assert!(conversations(&app, &stranger, "").await.is_empty());

        let reply = format!("{}/inbox/conversations/{conversation}/reply", ws(&owner));
        for text in ["", "   ", &"x".repeat(600)] {
            let (status, body) = app.post(&reply, Some(&owner.access), json!({ "text": text })).await;
            expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", &format!("{backend:?}: {} characters", text.len()));
            assert!(body["error"]["details"]["text"].is_string(), "{body}");
        }
        let (status, body) = app.get(&format!("{}/inbox/conversations?kind=bogus", ws(&owner)), &owner.access).await;
        expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "an unknown kind");
        let (status, body) = app.post(&reply, Some(&owner.access), json!({ "text": "ok", "messageId": "nope" })).await;
        expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "a malformed message id");
        let before = mastodon.statuses().len();

        let viewer = app.member(&owner, "viewer@example.org", "viewer").await;
        let (status, _) = app.get(&format!("{}/inbox/conversations/{conversation}/messages", ws(&owner)), &viewer.access).await;
        assert_eq!(status, StatusCode::OK, "{backend:?}: viewers read the inbox");
        let (status, _) = app.get(&format!("{}/posts/{post}/metrics", ws(&owner)), &viewer.access).await;
        assert_eq!(status, StatusCode::OK, "viewers see figures");
        let (status, body) = app.post(&reply, Some(&viewer.access), json!({ "text": "hi from a viewer" })).await;
        expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", &format!("{backend:?}: a viewer cannot reply"));
        let (status, _) = app.post(&format!("{}/inbox/conversations/{conversation}/read", ws(&owner)), Some(&viewer.access), json!({})).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(mastodon.statuses().len(), before, "{backend:?}: nothing reached the network");
    }
}
