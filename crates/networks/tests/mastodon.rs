//! The Mastodon adapter against the local fake (crates/fakes/src/mastodon.rs: every path and
//! every failure class) and against mastodon-mock 0.6.1 from PyPI, a stateful mock of the
//! Mastodon REST API started by `source scripts/services.sh`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use bytes::Bytes;
use serde_json::Value;
use zenalto_domain::{AccountId, Secret, Timestamp, WorkspaceId, publishing::Network};
use zenalto_fakes::{Fault, mastodon::MastodonFake};
use zenalto_networks::{
    AccountContext, AuthorizationRequest, ConnectFlow, Connector, InboxKind, Lookup,
    MediaAttachment, MediaKind, OAuthClient, PublishError, PublishRequest, Tokens,
    mastodon::MastodonConnector, pkce,
};
use zenalto_settings::NetworkSettings;

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00\x00\x00IEND\xaeB`\x82";
const REDIRECT: &str = "https://zenalto.example/connect/mastodon/callback";

fn connector(timeout: Duration) -> MastodonConnector {
    MastodonConnector::new(
        &NetworkSettings::default(),
        zenalto_networks::http::client(timeout),
    )
    .with_media_polling(Duration::from_millis(10), 5)
}

fn account(instance: &str, token: &str) -> AccountContext {
    AccountContext {
        workspace_id: WorkspaceId::new(),
        account_id: AccountId::new(),
        network: Network::Mastodon,
        handle: "@alice@fake".into(),
        platform_account_id: String::new(),
        instance_url: Some(instance.into()),
        access_token: Some(Secret::new(token.into())),
    }
}

fn request(key: &str, parts: &[&str]) -> PublishRequest {
    PublishRequest {
        idempotency_key: key.into(),
        parts: parts.iter().map(|p| (*p).to_owned()).collect(),
        ..PublishRequest::default()
    }
}

/// What the engine hands a verification of `request`'s attempt, begun a moment ago.
fn lookup(request: &PublishRequest) -> Lookup<'_> {
    Lookup {
        idempotency_key: &request.idempotency_key,
        request,
        attempted_at: Timestamp::now().plus_seconds(-5),
    }
}

fn image(alt: &str) -> MediaAttachment {
    MediaAttachment {
        id: "m".into(),
        kind: MediaKind::Image,
        mime: "image/png".into(),
        file_name: "dot.png".into(),
        bytes: Bytes::from_static(PNG),
        alt_text: Some(alt.into()),
        public_url: None,
        width: Some(1),
        height: Some(1),
        duration_ms: None,
    }
}

async fn fake_with_owner() -> (MastodonFake, AccountContext) {
    let fake = MastodonFake::start().await;
    let token = fake.token_for("alice", &["read", "write"]);
    let account = account(fake.url(), &token);
    (fake, account)
}

#[tokio::test]
async fn connecting_registers_an_app_and_runs_the_code_flow_with_pkce() {
    let fake = MastodonFake::start().await;
    let mastodon = connector(Duration::from_secs(5));
    assert_eq!(mastodon.connect_flow(), ConnectFlow::OAuthPerInstance);
    let client = mastodon
        .register_client(fake.url(), REDIRECT)
        .await
        .unwrap();
    assert_eq!(client.instance_url.as_deref(), Some(fake.url()));
    let apps = fake.apps();
    assert_eq!(apps.len(), 1);
    assert_eq!(apps[0].redirect_uris, [REDIRECT]);
    assert_eq!(apps[0].scopes, ["read", "write"]);

    let pkce = pkce::Pkce::generate();
    let url = mastodon
        .authorization_url(&AuthorizationRequest {
            client: &client,
            redirect_uri: REDIRECT,
            state: "st-1",
            pkce_challenge: &pkce.challenge,
        })
        .unwrap();
    let parsed = url::Url::parse(&url).unwrap();
    assert_eq!(parsed.path(), "/oauth/authorize");
    let query: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
    assert_eq!(query["client_id"], client.client_id);
    assert_eq!(query["scope"], "read write");
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["state"], "st-1");

    let wrong = fake.approve(
        &client.client_id,
        REDIRECT,
        &pkce.challenge,
        &["read", "write"],
    );
    let refused = mastodon
        .exchange(
            &client,
            &wrong,
            "not-the-verifier-not-the-verifier-not-the-ver",
            REDIRECT,
        )
        .await;
    assert!(
        matches!(refused, Err(PublishError::Permanent { .. })),
        "a wrong verifier: {refused:?}"
    );

    let code = fake.approve(
        &client.client_id,
        REDIRECT,
        &pkce.challenge,
        &["read", "write"],
    );
    let tokens = mastodon
        .exchange(&client, &code, &pkce.verifier, REDIRECT)
        .await
        .unwrap();
    assert_eq!(tokens.scopes, ["read", "write"]);
    assert!(
        tokens.refresh_token.is_none() && tokens.expires_at.is_none(),
        "Mastodon tokens do not expire"
    );
    let identities = mastodon.identities(&client, &tokens).await.unwrap();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].handle, "@alice@127.0.0.1");
    assert!(!identities[0].platform_account_id.is_empty());

    let connected = account(fake.url(), tokens.access_token.expose());
    mastodon.revoke(&client, &connected).await.unwrap();
    assert!(fake.token_revoked(tokens.access_token.expose()));
    let after = mastodon
        .publish(&connected, &request("k", &["hello"]))
        .await;
    assert!(
        matches!(after, Err(PublishError::Reconnect { .. })),
        "a revoked token: {after:?}"
    );
}

#[tokio::test]
async fn a_repeated_publish_with_the_same_key_returns_the_same_status() {
    let (fake, account) = fake_with_owner().await;
    let mastodon = connector(Duration::from_secs(5));
    let published = mastodon
        .publish(&account, &request("post-1", &["hello & <fediverse>"]))
        .await
        .unwrap();
    let again = mastodon
        .publish(&account, &request("post-1", &["hello & <fediverse>"]))
        .await
        .unwrap();
    assert_eq!(again, published);
    let statuses = fake.statuses();
    assert_eq!(statuses.len(), 1, "no duplicate");
    assert_eq!(statuses[0].text, "hello & <fediverse>");
    assert_eq!(statuses[0].idempotency_key.as_deref(), Some("post-1"));
    assert_eq!(statuses[0].visibility, "public");
    assert_eq!(
        published.url.as_deref(),
        Some(format!("{}/@alice/{}", fake.url(), statuses[0].id).as_str())
    );
    let cannot = mastodon
        .find_published(
            &account,
            &lookup(&request("post-1", &["hello & <fediverse>"])),
        )
        .await;
    assert!(
        matches!(cannot, Err(PublishError::Permanent { .. })),
        "no lookup by key: {cannot:?}"
    );
    assert!(!mastodon.capabilities().can_verify && mastodon.capabilities().native_idempotency);
}

#[tokio::test]
async fn images_carry_alt_text_and_wait_for_processing() {
    let (fake, account) = fake_with_owner().await;
    fake.set_media_polls(2);
    let mastodon = connector(Duration::from_secs(5));
    let mut post = request("img-1", &["two dots"]);
    post.media = vec![image("a red dot"), image("a second dot")];
    mastodon.publish(&account, &post).await.unwrap();
    let status = &fake.statuses()[0];
    assert_eq!(status.media_ids.len(), 2);
    let media = fake.media(&status.media_ids[0]).unwrap();
    assert_eq!(media.description.as_deref(), Some("a red dot"));
    assert_eq!(media.mime, "image/png");
    assert_eq!(media.polls_seen, 3, "two 206 answers, then 200");
    assert_eq!(
        fake.media(&status.media_ids[1])
            .unwrap()
            .description
            .as_deref(),
        Some("a second dot")
    );
}

#[tokio::test]
async fn a_video_is_uploaded_and_polled_until_ready_within_a_bound() {
    let (fake, account) = fake_with_owner().await;
    let mut mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom".to_vec();
    mp4.extend([0u8; 512]);
    let video = MediaAttachment {
        kind: MediaKind::Video,
        mime: "video/mp4".into(),
        file_name: "clip.mp4".into(),
        bytes: Bytes::from(mp4),
        ..image("a clip")
    };
    let mut post = request("vid-1", &["a clip"]);
    post.media = vec![video];
    fake.set_media_polls(4);
    let mastodon = connector(Duration::from_secs(5));
    mastodon.publish(&account, &post).await.unwrap();
    let status = fake.statuses()[0].clone();
    assert_eq!(fake.media(&status.media_ids[0]).unwrap().mime, "video/mp4");

    fake.set_media_polls(50);
    let stuck = mastodon
        .publish(
            &account,
            &PublishRequest {
                idempotency_key: "vid-2".into(),
                ..post
            },
        )
        .await;
    assert!(
        matches!(stuck, Err(PublishError::Transient { .. })),
        "gives up after 5 polls: {stuck:?}"
    );
    assert_eq!(fake.statuses().len(), 1, "nothing posted without the video");
}

#[tokio::test]
async fn a_thread_replies_in_a_chain_and_the_first_comment_follows() {
    let (fake, account) = fake_with_owner().await;
    let mastodon = connector(Duration::from_secs(5));
    let mut post = request("thread-1", &["1/3", "2/3", "3/3"]);
    post.first_comment = Some("sources: …".into());
    let published = mastodon.publish(&account, &post).await.unwrap();
    let statuses = fake.statuses();
    assert_eq!(statuses.len(), 4);
    assert_eq!(published.platform_post_id, statuses[0].id);
    assert_eq!(statuses[1].in_reply_to_id.as_ref(), Some(&statuses[0].id));
    assert_eq!(statuses[2].in_reply_to_id.as_ref(), Some(&statuses[1].id));
    assert_eq!(statuses[3].text, "sources: …");
    assert_eq!(
        statuses[3].in_reply_to_id.as_ref(),
        Some(&statuses[0].id),
        "the first comment answers the post"
    );
    let keys: Vec<_> = statuses
        .iter()
        .map(|s| s.idempotency_key.clone().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "thread-1",
            "thread-1/part/1",
            "thread-1/part/2",
            "thread-1/first-comment"
        ]
    );
}

#[tokio::test]
async fn a_thread_whose_second_part_fails_resumes_without_doubling() {
    let (fake, account) = fake_with_owner().await;
    let mastodon = connector(Duration::from_secs(5));
    fake.faults.push_after(
        "POST /api/v1/statuses",
        1,
        Fault::status(503, r#"{"error":"Service Unavailable"}"#),
    );
    let post = request("thread-2", &["one", "two", "three"]);
    let failed = mastodon.publish(&account, &post).await;
    assert!(
        matches!(failed, Err(PublishError::Transient { .. })),
        "{failed:?}"
    );
    assert_eq!(fake.statuses().len(), 1);
    let published = mastodon.publish(&account, &post).await.unwrap();
    let statuses = fake.statuses();
    assert_eq!(
        statuses.len(),
        3,
        "part one came back by its key; two and three were added"
    );
    assert_eq!(published.platform_post_id, statuses[0].id);
    assert_eq!(statuses[2].in_reply_to_id.as_ref(), Some(&statuses[1].id));
}

#[tokio::test]
async fn a_failed_first_comment_leaves_the_post_published() {
    let (fake, account) = fake_with_owner().await;
    let mastodon = connector(Duration::from_secs(5));
    fake.faults.push_after(
        "POST /api/v1/statuses",
        1,
        Fault::status(500, r#"{"error":"boom"}"#),
    );
    let mut post = request("fc-1", &["the post"]);
    post.first_comment = Some("the comment".into());
    let published = mastodon.publish(&account, &post).await.unwrap();
    assert_eq!(fake.statuses().len(), 1);
    assert_eq!(fake.statuses()[0].id, published.platform_post_id);
}

#[tokio::test]
async fn each_failure_maps_to_what_the_queue_does() {
    let reset = "2027-01-15T08:00:00.000Z";
    type Expect = fn(&PublishError) -> bool;
    let cases: Vec<(&str, Fault, Expect)> = vec![
        (
            "401",
            Fault::status(401, r#"{"error":"The access token is invalid"}"#),
            |e| matches!(e, PublishError::Reconnect { .. }),
        ),
        (
            "403 scope",
            Fault::status(
                403,
                r#"{"error":"This action is outside the authorized scopes"}"#,
            ),
            |e| matches!(e, PublishError::Reconnect { .. }),
        ),
        (
            "403 suspended",
            Fault::status(403, r#"{"error":"Your login is currently disabled"}"#),
            |e| matches!(e, PublishError::Permanent { .. }),
        ),
        (
            "429",
            Fault::status(429, r#"{"error":"Too many requests"}"#)
                .with_header("x-ratelimit-limit", "300")
                .with_header("x-ratelimit-remaining", "0")
                .with_header("x-ratelimit-reset", reset),
            |e| matches!(e, PublishError::RateLimited { reset_at, .. } if *reset_at == Timestamp::parse_rfc3339("2027-01-15T08:00:00Z")),
        ),
        ("503", Fault::status(503, "<html>down</html>"), |e| {
            matches!(e, PublishError::Transient { .. })
        }),
        (
            "422",
            Fault::status(
                422,
                r#"{"error":"Validation failed: Text character limit of 500 exceeded"}"#,
            ),
            |e| matches!(e, PublishError::Permanent { message } if message.contains("character limit")),
        ),
    ];
    for (name, fault, expected) in cases {
        let (fake, account) = fake_with_owner().await;
        fake.faults.push("POST /api/v1/statuses", fault);
        let result = connector(Duration::from_secs(5))
            .publish(&account, &request("k", &["x"]))
            .await;
        let error = result.expect_err(name);
        assert!(expected(&error), "{name}: {error:?}");
        assert!(fake.statuses().is_empty(), "{name}: nothing stored");
    }
}

#[tokio::test]
async fn a_lost_answer_is_unknown_and_the_retry_returns_the_same_status() {
    let (fake, account) = fake_with_owner().await;
    fake.faults.push(
        "POST /api/v1/statuses",
        Fault::ApplyThenDelay(Duration::from_secs(3)),
    );
    let post = request("slow-1", &["slow"]);
    let lost = connector(Duration::from_millis(300))
        .publish(&account, &post)
        .await;
    assert!(
        matches!(lost, Err(PublishError::Unknown { .. })),
        "{lost:?}"
    );
    assert_eq!(fake.statuses().len(), 1, "the status was made");
    let retried = connector(Duration::from_secs(5))
        .publish(&account, &post)
        .await
        .unwrap();
    assert_eq!(
        fake.statuses().len(),
        1,
        "the Idempotency-Key returned it instead of a second one"
    );
    assert_eq!(retried.platform_post_id, fake.statuses()[0].id);
}

#[tokio::test]
async fn a_token_without_write_scope_asks_to_reconnect() {
    let fake = MastodonFake::start().await;
    let read_only = account(fake.url(), &fake.token_for("alice", &["read"]));
    let result = connector(Duration::from_secs(5))
        .publish(&read_only, &request("k", &["x"]))
        .await;
    assert!(
        matches!(&result, Err(PublishError::Reconnect { message }) if message.contains("scope")),
        "{result:?}"
    );
    let stranger = account(fake.url(), "not-a-token");
    let result = connector(Duration::from_secs(5))
        .account_metrics(&stranger)
        .await;
    assert!(
        matches!(result, Err(PublishError::Reconnect { .. })),
        "{result:?}"
    );
    assert!(fake.statuses().is_empty());
}

#[tokio::test]
async fn malformed_input_is_refused() {
    let (fake, account) = fake_with_owner().await;
    let mastodon = connector(Duration::from_secs(5));
    let mut five = request("k1", &["five"]);
    five.media = (0..5).map(|i| image(&i.to_string())).collect();
    assert!(matches!(
        mastodon.publish(&account, &five).await,
        Err(PublishError::Permanent { .. })
    ));
    let mut junk = request("k2", &["junk"]);
    junk.media = vec![MediaAttachment {
        bytes: Bytes::from_static(b"not an image"),
        ..image("junk")
    }];
    let refused = mastodon.publish(&account, &junk).await;
    assert!(
        matches!(&refused, Err(PublishError::Permanent { message }) if message.contains("content type")),
        "{refused:?}"
    );
    let long = "a".repeat(501);
    let too_long = mastodon.publish(&account, &request("k3", &[&long])).await;
    assert!(
        matches!(&too_long, Err(PublishError::Permanent { message }) if message.contains("500")),
        "{too_long:?}"
    );
    assert!(matches!(
        mastodon
            .publish(&account, &request("k4", &["ok", " "]))
            .await,
        Err(PublishError::Permanent { .. })
    ));
    let nowhere = AccountContext {
        instance_url: None,
        ..account
    };
    assert!(matches!(
        mastodon.publish(&nowhere, &request("k5", &["x"])).await,
        Err(PublishError::Reconnect { .. })
    ));
    assert!(fake.statuses().is_empty());
}

#[tokio::test]
async fn delete_removes_the_status_and_tolerates_a_second_try() {
    let (fake, account) = fake_with_owner().await;
    let mastodon = connector(Duration::from_secs(5));
    let published = mastodon
        .publish(&account, &request("del-1", &["bye"]))
        .await
        .unwrap();
    mastodon
        .delete(&account, &published.platform_post_id)
        .await
        .unwrap();
    assert!(fake.statuses().is_empty());
    mastodon
        .delete(&account, &published.platform_post_id)
        .await
        .unwrap();
    fake.faults.push(
        "DELETE /api/v1/statuses",
        Fault::status(429, r#"{"error":"Too many requests"}"#)
            .with_header("x-ratelimit-reset", "2027-01-15T08:00:00Z"),
    );
    assert!(matches!(
        mastodon.delete(&account, "1").await,
        Err(PublishError::RateLimited { .. })
    ));
}

#[tokio::test]
async fn metrics_come_from_the_status_and_the_account() {
    let (fake, account) = fake_with_owner().await;
    let mastodon = connector(Duration::from_secs(5));
    let published = mastodon
        .publish(&account, &request("m-1", &["count me"]))
        .await
        .unwrap();
    fake.set_counts(&published.platform_post_id, 7, 3, 2);
    fake.set_followers(42);
    let metrics = mastodon
        .post_metrics(&account, &published.platform_post_id)
        .await
        .unwrap();
    assert_eq!(
        (
            metrics.likes,
            metrics.shares,
            metrics.comments,
            metrics.impressions
        ),
        (Some(7), Some(3), Some(2), None)
    );
    let figures = mastodon.account_metrics(&account).await.unwrap();
    assert_eq!(
        (figures.followers, figures.following, figures.posts),
        (Some(42), Some(3), Some(1))
    );
}

#[tokio::test]
async fn the_inbox_has_mentions_replies_and_direct_messages_and_answers_them() {
    let (fake, account) = fake_with_owner().await;
    let mastodon = connector(Duration::from_secs(5));
    let mine = mastodon
        .publish(&account, &request("in-1", &["what do you think?"]))
        .await
        .unwrap();
    fake.mention("bob", "hello there", None);
    fake.mention("carol", "I agree", Some(&mine.platform_post_id));
    fake.direct_message("dave", "a private <question> & more");

    let page = mastodon.inbox(&account, None).await.unwrap();
    assert_eq!(page.items.len(), 3, "{:?}", page.items);
    let by_author = |a: &str| page.items.iter().find(|i| i.author == a).unwrap();
    assert_eq!(by_author("bob").kind, InboxKind::Mention);
    assert_eq!(by_author("carol").kind, InboxKind::Reply);
    assert_eq!(
        by_author("carol").in_reply_to.as_ref(),
        Some(&mine.platform_post_id)
    );
    let dm = by_author("dave");
    assert_eq!(dm.kind, InboxKind::DirectMessage);
    assert_eq!(
        dm.text, "@alice a private <question> & more",
        "HTML turned back into text"
    );

    let empty = mastodon
        .inbox(&account, page.cursor.as_deref())
        .await
        .unwrap();
    assert!(
        empty.items.is_empty(),
        "nothing new since the cursor: {:?}",
        empty.items
    );
    fake.mention("erin", "one more", None);
    let next = mastodon
        .inbox(&account, page.cursor.as_deref())
        .await
        .unwrap();
    assert_eq!(next.items.len(), 1);
    assert_eq!(next.items[0].author, "erin");

    let answer = mastodon.reply(&account, dm, "sure").await.unwrap();
    let stored = fake
        .statuses()
        .into_iter()
        .find(|s| s.id == answer.platform_post_id)
        .unwrap();
    assert_eq!(stored.visibility, "direct", "a DM answer stays direct");
    assert_eq!(stored.text, "@dave sure");
    assert_eq!(stored.in_reply_to_id.as_ref(), Some(&dm.platform_id));
    let again = mastodon.reply(&account, dm, "sure").await.unwrap();
    assert_eq!(again, answer, "answering twice is one reply");
}

// ── mastodon-mock (PyPI), a second, independent implementation of the API ─────────────────────

fn mock_url() -> String {
    std::env::var("ZENALTO_TEST_MASTODON_MOCK_URL")
        .unwrap_or_else(|_| panic!("ZENALTO_TEST_MASTODON_MOCK_URL is not set: run `source scripts/services.sh` first (it installs and starts mastodon-mock on 127.0.0.1:3000)"))
}

/// Registers an app, sends "ada" through the authorization page (the mock's page is a form that
/// posts the chosen user name) and exchanges the code.
async fn mock_login(mastodon: &MastodonConnector) -> (OAuthClient, Tokens) {
    let base = mock_url();
    let client = mastodon.register_client(&base, REDIRECT).await.unwrap();
    let pkce = pkce::Pkce::generate();
    let url = mastodon
        .authorization_url(&AuthorizationRequest {
            client: &client,
            redirect_uri: REDIRECT,
            state: "st",
            pkce_challenge: &pkce.challenge,
        })
        .unwrap();
    let page = reqwest::get(&url).await.unwrap();
    assert!(
        page.status().is_success(),
        "the authorization page answers: {}",
        page.status()
    );
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let consent = browser
        .post(format!("{base}/oauth/authorize"))
        .form(&[
            ("username", "ada"),
            ("client_id", client.client_id.as_str()),
            ("redirect_uri", REDIRECT),
            ("state", "st"),
            ("code_challenge", pkce.challenge.as_str()),
            ("code_challenge_method", "S256"),
        ])
        .send()
        .await
        .unwrap();
    let location = consent
        .headers()
        .get("location")
        .and_then(|l| l.to_str().ok())
        .unwrap_or_else(|| panic!("no redirect: {}", consent.status()))
        .to_owned();
    let back = url::Url::parse(&location).unwrap();
    assert!(location.starts_with(REDIRECT));
    let query: std::collections::HashMap<_, _> = back.query_pairs().into_owned().collect();
    assert_eq!(query["state"], "st");
    let tokens = mastodon
        .exchange(&client, &query["code"], &pkce.verifier, REDIRECT)
        .await
        .unwrap();
    (client, tokens)
}

async fn mock_status(base: &str, token: &str, id: &str) -> (reqwest::StatusCode, Value) {
    let response = reqwest::Client::new()
        .get(format!("{base}/api/v1/statuses/{id}"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn mastodon_mock_connect_publish_read_back_and_delete() {
    let base = mock_url();
    let mastodon = connector(Duration::from_secs(10));
    let (client, tokens) = mock_login(&mastodon).await;
    let identity = mastodon
        .identities(&client, &tokens)
        .await
        .unwrap()
        .remove(0);
    assert!(identity.handle.starts_with("@ada@"), "{}", identity.handle);
    let token = tokens.access_token.expose().clone();
    let ada = AccountContext {
        platform_account_id: identity.platform_account_id.clone(),
        ..account(&base, &token)
    };
    let key = format!("zenalto-{}", pkce::random_token());

    let text = mastodon
        .publish(&ada, &request(&key, &["hello from Zenalto"]))
        .await
        .unwrap();
    let (code, body) = mock_status(&base, &token, &text.platform_post_id).await;
    assert!(code.is_success());
    assert!(
        body["content"]
            .as_str()
            .unwrap()
            .contains("hello from Zenalto")
    );
    assert_eq!(body["account"]["id"], identity.platform_account_id.as_str());
    let again = mastodon
        .publish(&ada, &request(&key, &["hello from Zenalto"]))
        .await
        .unwrap();
    assert_eq!(
        again.platform_post_id, text.platform_post_id,
        "Idempotency-Key honoured by the mock too"
    );

    let mut with_image = request(&format!("{key}-img"), &["with a dot"]);
    with_image.media = vec![image("a single red dot")];
    let pictured = mastodon.publish(&ada, &with_image).await.unwrap();
    let (_, body) = mock_status(&base, &token, &pictured.platform_post_id).await;
    assert_eq!(body["media_attachments"][0]["type"], "image");
    assert_eq!(
        body["media_attachments"][0]["description"],
        "a single red dot"
    );

    let thread = mastodon
        .publish(&ada, &request(&format!("{key}-thread"), &["1/2", "2/2"]))
        .await
        .unwrap();
    let context: Value = reqwest::Client::new()
        .get(format!(
            "{base}/api/v1/statuses/{}/context",
            thread.platform_post_id
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let descendants = context["descendants"].as_array().unwrap();
    assert_eq!(descendants.len(), 1, "{context}");
    assert_eq!(
        descendants[0]["in_reply_to_id"],
        thread.platform_post_id.as_str()
    );

    let metrics = mastodon
        .post_metrics(&ada, &thread.platform_post_id)
        .await
        .unwrap();
    assert_eq!(metrics.comments, Some(1));
    assert!(
        mastodon
            .account_metrics(&ada)
            .await
            .unwrap()
            .followers
            .is_some()
    );

    for id in [
        &text.platform_post_id,
        &pictured.platform_post_id,
        &thread.platform_post_id,
    ] {
        mastodon.delete(&ada, id).await.unwrap();
        assert_eq!(
            mock_status(&base, &token, id).await.0,
            reqwest::StatusCode::NOT_FOUND
        );
    }
    mastodon.revoke(&client, &ada).await.unwrap();
    let revoked = mastodon
        .publish(&ada, &request(&format!("{key}-after"), &["after revoke"]))
        .await;
    assert!(
        matches!(revoked, Err(PublishError::Reconnect { .. })),
        "{revoked:?}"
    );
}
