//! The X adapter against the local fake of the X API v2 (zenalto_fakes::x): OAuth, publishing
//! (text, images with alt text, video with status polls, threads, first comment), verification,
//! deletion, metrics, the inbox, and every error class.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use bytes::Bytes;
use zenalto_domain::{AccountId, Secret, Timestamp, WorkspaceId, publishing::Network};
use zenalto_fakes::{
    Fault,
    x::{self as fake, XFake},
};
use zenalto_networks::{
    AccountContext, AuthorizationRequest, Connector, InboxKind, Lookup, MediaAttachment, MediaKind, OAuthClient, PublishError, PublishRequest, http, pkce::Pkce,
    x::XConnector,
};
use zenalto_settings::NetworkSettings;

fn connector_with_timeout(fake: &XFake, timeout: Duration) -> XConnector {
    let mut settings = NetworkSettings::default();
    settings.urls.insert("api".into(), fake.base_url().into());
    settings.urls.insert("auth".into(), format!("{}/i/oauth2/authorize", fake.base_url()));
    XConnector::new(&settings, http::client(timeout)).with_polling(Duration::from_millis(5), 10).with_chunk_size(8)
}

fn connector(fake: &XFake) -> XConnector {
    connector_with_timeout(fake, Duration::from_secs(5))
}

fn account(token: &str) -> AccountContext {
    AccountContext {
        workspace_id: WorkspaceId::new(),
        account_id: AccountId::new(),
        network: Network::X,
        handle: fake::USERNAME.into(),
        platform_account_id: fake::USER_ID.into(),
        instance_url: None,
        access_token: Some(Secret::new(token.to_owned())),
    }
}

fn client(confidential: bool) -> OAuthClient {
    OAuthClient { client_id: fake::CLIENT_ID.into(), client_secret: confidential.then(|| Secret::new(fake::CLIENT_SECRET.to_owned())), instance_url: None }
}

fn file(kind: MediaKind, mime: &str, bytes: Vec<u8>, alt: Option<&str>) -> MediaAttachment {
    MediaAttachment {
        id: format!("m-{}", bytes.len()),
        kind,
        mime: mime.into(),
        file_name: "file".into(),
        bytes: Bytes::from(bytes),
        alt_text: alt.map(str::to_owned),
        public_url: None,
        width: None,
        height: None,
        duration_ms: None,
    }
}

fn jpeg(alt: Option<&str>) -> MediaAttachment {
    let mut bytes = vec![0xFF, 0xD8, 0xFF, 0xE0];
    bytes.extend_from_slice(b"a small jpeg body");
    file(MediaKind::Image, "image/jpeg", bytes, alt)
}

fn png() -> MediaAttachment {
    file(MediaKind::Image, "image/png", b"\x89PNG\r\n\x1a\nsome png".to_vec(), None)
}

fn mp4() -> MediaAttachment {
    file(MediaKind::Video, "video/mp4", b"\0\0\0\x18ftypmp42 and some frames".to_vec(), None)
}

fn post(key: &str, parts: &[&str]) -> PublishRequest {
    PublishRequest { idempotency_key: key.into(), parts: parts.iter().map(|p| (*p).to_owned()).collect(), ..PublishRequest::default() }
}

/// What the engine hands a verification of `request`'s attempt, begun a moment ago.
fn lookup(request: &PublishRequest) -> Lookup<'_> {
    Lookup { idempotency_key: &request.idempotency_key, request, attempted_at: Timestamp::now().plus_seconds(-5) }
}

#[tokio::test]
async fn connecting_builds_the_pkce_url_exchanges_refreshes_names_the_account_and_revokes() {
    let fake = XFake::start().await;
    let x = connector(&fake);
    let pkce = Pkce::generate();
    let redirect = "https://zenalto.example/connect/x/callback";
    for confidential in [true, false] {
        let client = client(confidential);
        let url = x.authorization_url(&AuthorizationRequest { client: &client, redirect_uri: redirect, state: "st", pkce_challenge: &pkce.challenge }).unwrap();
        let url = url::Url::parse(&url).unwrap();
        let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
        assert_eq!(url.path(), "/i/oauth2/authorize");
        assert_eq!(query["code_challenge"], pkce.challenge);
        assert_eq!(query["code_challenge_method"], "S256");
        assert!(
            query["scope"].split(' ').any(|s| s == "offline.access") && ["tweet.write", "media.write"].iter().all(|s| query["scope"].split(' ').any(|q| q == *s)),
            "{}",
            query["scope"]
        );

        let code = fake.authorize(&pkce.challenge, redirect);
        let tokens = x.exchange(&client, &code, &pkce.verifier, redirect).await.unwrap();
        assert!(fake.token_is_valid(tokens.access_token.expose()));
        assert!(tokens.expires_at.is_some() && tokens.scopes.contains(&"tweet.write".to_owned()));

        let identities = x.identities(&client, &tokens).await.unwrap();
        assert_eq!((identities[0].platform_account_id.as_str(), identities[0].handle.as_str(), identities[0].kind.as_str()), (fake::USER_ID, fake::USERNAME, "profile"));

        let refresh = tokens.refresh_token.clone().unwrap();
        let renewed = x.refresh(&client, &account(""), &refresh).await.unwrap();
        assert!(fake.token_is_valid(renewed.access_token.expose()));
        let reused = x.refresh(&client, &account(""), &refresh).await.unwrap_err();
        assert!(matches!(reused, PublishError::Reconnect { .. }), "a used refresh token means connecting again: {reused:?}");

        x.revoke(&client, &account(renewed.access_token.expose())).await.unwrap();
        assert!(!fake.token_is_valid(renewed.access_token.expose()));
    }
    // A code whose verifier does not match is refused, and so are wrong app credentials.
    let code = fake.authorize(&pkce.challenge, redirect);
    assert!(matches!(x.exchange(&client(true), &code, "another-verifier-of-enough-length-0000000000", redirect).await, Err(PublishError::Permanent { .. })));
    let wrong = OAuthClient { client_id: fake::CLIENT_ID.into(), client_secret: Some(Secret::new("nope".into())), instance_url: None };
    let code = fake.authorize(&pkce.challenge, redirect);
    assert!(matches!(x.exchange(&wrong, &code, &pkce.verifier, redirect).await, Err(PublishError::Permanent { .. })));
}

#[tokio::test]
async fn a_text_post_is_created_with_its_url() {
    let fake = XFake::start().await;
    let published = connector(&fake).publish(&account(fake.token()), &post("k1", &["Hello from Zenalto"])).await.unwrap();
    let tweets = fake.live_tweets();
    assert_eq!(tweets.len(), 1);
    assert_eq!(tweets[0].text, "Hello from Zenalto");
    assert_eq!(published.platform_post_id, tweets[0].id);
    assert_eq!(published.url.unwrap(), format!("https://x.com/{}/status/{}", fake::USERNAME, tweets[0].id));
}

#[tokio::test]
async fn images_are_uploaded_in_chunks_with_alt_text_and_attached() {
    let fake = XFake::start().await;
    let mut request = post("k-img", &["Two pictures"]);
    request.media = vec![jpeg(Some("A red bicycle against a wall")), png()];
    connector(&fake).publish(&account(fake.token()), &request).await.unwrap();
    let tweet = &fake.live_tweets()[0];
    assert_eq!(tweet.media_ids.len(), 2);
    let first = fake.media(&tweet.media_ids[0]).unwrap();
    assert_eq!(first.category, "tweet_image");
    assert!(first.segments.len() > 1, "8-byte chunks: several appends, got {:?}", first.segments);
    assert_eq!(first.bytes, request.media[0].bytes.to_vec());
    assert_eq!(first.alt_text.as_deref(), Some("A red bicycle against a wall"));
    assert_eq!(fake.media(&tweet.media_ids[1]).unwrap().alt_text, None);
}

#[tokio::test]
async fn a_video_is_polled_until_processed_and_abandoned_if_it_never_is() {
    let fake = XFake::start().await;
    fake.set_processing_polls(3);
    let mut request = post("k-video", &["A video"]);
    request.media = vec![mp4()];
    connector(&fake).publish(&account(fake.token()), &request).await.unwrap();
    let tweet = &fake.live_tweets()[0];
    let video = fake.media(&tweet.media_ids[0]).unwrap();
    assert_eq!((video.category.as_str(), video.status_polls), ("tweet_video", 3));

    let mut gif = post("k-gif", &["A GIF"]);
    gif.media = vec![file(MediaKind::Gif, "image/gif", b"GIF89a and frames".to_vec(), Some("A cat"))];
    connector(&fake).publish(&account(fake.token()), &gif).await.unwrap();
    let tweet = fake.live_tweets().into_iter().find(|t| t.text == "A GIF").unwrap();
    let animated = fake.media(&tweet.media_ids[0]).unwrap();
    assert_eq!((animated.category.as_str(), animated.status_polls, animated.alt_text.as_deref()), ("tweet_gif", 3, Some("A cat")));

    fake.set_processing_polls(100);
    let mut request = post("k-video-2", &["Another video"]);
    request.media = vec![mp4()];
    let error = connector(&fake).publish(&account(fake.token()), &request).await.unwrap_err();
    assert!(matches!(error, PublishError::Transient { .. }), "{error:?}");
    assert_eq!(fake.live_tweets().len(), 2, "no post without its video");
}

#[tokio::test]
async fn a_thread_chains_replies_and_the_first_comment_follows_it() {
    let fake = XFake::start().await;
    let mut request = post("k-thread", &["1/3 start", "2/3 middle", "3/3 end"]);
    request.first_comment = Some("Links in this reply".into());
    let published = connector(&fake).publish(&account(fake.token()), &request).await.unwrap();
    let tweets = fake.live_tweets();
    assert_eq!(tweets.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(), ["1/3 start", "2/3 middle", "3/3 end", "Links in this reply"]);
    assert_eq!(published.platform_post_id, tweets[0].id);
    for pair in tweets.windows(2) {
        assert_eq!(pair[1].reply_to.as_deref(), Some(pair[0].id.as_str()));
        assert_eq!(pair[1].conversation_id, tweets[0].id);
    }
}

#[tokio::test]
async fn a_refused_first_comment_leaves_the_post_published() {
    let fake = XFake::start().await;
    fake.faults.push_after("POST /2/tweets", 1, Fault::status(503, r#"{"title":"Service Unavailable"}"#));
    let mut request = post("k-comment", &["The post"]);
    request.first_comment = Some("The comment".into());
    let published = connector(&fake).publish(&account(fake.token()), &request).await.unwrap();
    let tweets = fake.live_tweets();
    assert_eq!(tweets.len(), 1);
    assert_eq!(published.platform_post_id, tweets[0].id);
}

#[tokio::test]
async fn a_thread_whose_second_part_fails_is_rolled_back_so_a_retry_starts_clean() {
    let fake = XFake::start().await;
    let x = connector(&fake);
    let request = post("k-roll", &["first part", "second part"]);
    fake.faults.push_after("POST /2/tweets", 1, Fault::status(503, r#"{"title":"Service Unavailable","status":503}"#));
    let error = x.publish(&account(fake.token()), &request).await.unwrap_err();
    assert!(matches!(error, PublishError::Transient { .. }), "{error:?}");
    assert!(fake.live_tweets().is_empty(), "the first part was deleted");

    x.publish(&account(fake.token()), &request).await.unwrap();
    assert_eq!(fake.live_tweets().iter().map(|t| t.text.as_str()).collect::<Vec<_>>(), ["first part", "second part"], "never doubled");
}

#[tokio::test]
async fn a_later_part_whose_answer_is_lost_is_found_and_rolled_back_too() {
    let fake = XFake::start().await;
    let x = connector_with_timeout(&fake, Duration::from_millis(300));
    let request = post("k-lost-part", &["part one", "part two"]);
    fake.faults.push_after("POST /2/tweets", 1, Fault::ApplyThenDelay(Duration::from_secs(2)));
    let error = x.publish(&account(fake.token()), &request).await.unwrap_err();
    assert!(matches!(error, PublishError::Unknown { .. }), "{error:?}");
    assert_eq!(fake.tweets().len(), 2, "both parts were posted");
    assert!(fake.live_tweets().is_empty(), "and both deleted");
    assert_eq!(x.find_published(&account(fake.token()), &lookup(&request)).await.unwrap(), None);
    x.publish(&account(fake.token()), &request).await.unwrap();
    assert_eq!(fake.live_tweets().len(), 2, "the retry is not refused as a duplicate and not doubled");
}

#[tokio::test]
async fn a_roll_back_that_fails_names_the_parts_left_behind() {
    let fake = XFake::start().await;
    fake.faults.push_after("POST /2/tweets", 1, Fault::status(400, r#"{"title":"Invalid Request","detail":"bad"}"#));
    fake.faults.push("DELETE /2/tweets", Fault::status(503, "{}"));
    let error = connector(&fake).publish(&account(fake.token()), &post("k-left", &["first", "second"])).await.unwrap_err();
    let left = fake.live_tweets();
    assert_eq!(left.len(), 1);
    assert!(matches!(&error, PublishError::Permanent { message } if message.contains(&left[0].id)), "{error:?}");
}

/// What a case expects of the error.
type Expect = fn(&PublishError) -> bool;

#[tokio::test]
async fn each_failure_is_classified_for_the_queue() {
    let fake = XFake::start().await;
    let x = connector(&fake);
    let reset = Timestamp::now().as_millis() / 1000 + 600;
    let cases: Vec<(Fault, Expect)> = vec![
        (Fault::status(401, r#"{"title":"Unauthorized","status":401,"detail":"Unauthorized"}"#), |e| matches!(e, PublishError::Reconnect { .. })),
        (
            Fault::status(403, r#"{"title":"Forbidden","detail":"Missing required OAuth2 scope: tweet.write"}"#),
            |e| matches!(e, PublishError::Reconnect { message } if message.contains("tweet.write")),
        ),
        (
            Fault::status(403, r#"{"title":"Forbidden","detail":"Your account is suspended and is not permitted to access this feature."}"#),
            |e| matches!(e, PublishError::Permanent { message } if message.contains("suspended")),
        ),
        (Fault::status(500, r#"{"title":"Internal Server Error"}"#), |e| matches!(e, PublishError::Transient { .. })),
        (Fault::status(503, "<html>over capacity</html>"), |e| matches!(e, PublishError::Transient { .. })),
    ];
    for (n, (fault, expected)) in cases.into_iter().enumerate() {
        fake.faults.push("POST /2/tweets", fault);
        let error = x.publish(&account(fake.token()), &post(&format!("k-err-{n}"), &[&format!("case {n}")])).await.unwrap_err();
        assert!(expected(&error), "case {n}: {error:?}");
    }
    fake.faults.push(
        "POST /2/tweets",
        Fault::status(429, r#"{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}"#)
            .with_header("x-rate-limit-limit", "100")
            .with_header("x-rate-limit-remaining", "0")
            .with_header("x-rate-limit-reset", &reset.to_string()),
    );
    match x.publish(&account(fake.token()), &post("k-429", &["throttled"])).await.unwrap_err() {
        PublishError::RateLimited { reset_at, .. } => assert_eq!(reset_at, Some(Timestamp::from_millis(reset * 1000))),
        other => panic!("{other:?}"),
    }
    assert!(fake.live_tweets().is_empty(), "none of these posted");

    // A token X does not know, duplicate text, text over the limit, too many images.
    assert!(matches!(x.publish(&account("expired"), &post("k-bad-token", &["hi"])).await, Err(PublishError::Reconnect { .. })));
    x.publish(&account(fake.token()), &post("k-dup-1", &["Same words"])).await.unwrap();
    let duplicate = x.publish(&account(fake.token()), &post("k-dup-2", &["Same words"])).await.unwrap_err();
    assert!(matches!(&duplicate, PublishError::Permanent { message } if message.contains("duplicate")), "{duplicate:?}");
    let long = "a".repeat(fake::TEXT_LIMIT + 1);
    assert!(matches!(x.publish(&account(fake.token()), &post("k-long", &[&long])).await, Err(PublishError::Permanent { .. })));
    let mut five = post("k-five", &["five images"]);
    five.media = (0..5).map(|_| jpeg(None)).collect();
    assert!(matches!(x.publish(&account(fake.token()), &five).await, Err(PublishError::Permanent { .. })));
    assert!(matches!(x.publish(&account(fake.token()), &post("k-empty", &[])).await, Err(PublishError::Permanent { .. })));
    assert_eq!(fake.live_tweets().len(), 1);
}

#[tokio::test]
async fn a_lost_answer_is_unknown_and_verification_finds_the_post_by_its_text() {
    let fake = XFake::start().await;
    let x = connector_with_timeout(&fake, Duration::from_millis(300));
    fake.faults.push("POST /2/tweets", Fault::ApplyThenDelay(Duration::from_secs(2)));
    let lost = post("k-lost", &["Launch day https://example.com/launch & more"]);
    let error = x.publish(&account(fake.token()), &lost).await.unwrap_err();
    assert!(matches!(error, PublishError::Unknown { .. }), "{error:?}");
    let found = x.find_published(&account(fake.token()), &lookup(&lost)).await.unwrap().expect("it was posted");
    assert_eq!(found.platform_post_id, fake.live_tweets()[0].id);

    // Sent but never stored: verified as not published.
    fake.faults.push("POST /2/tweets", Fault::Delay(Duration::from_secs(2)));
    let slow = post("k-slow", &["Never stored"]);
    assert!(matches!(x.publish(&account(fake.token()), &slow).await, Err(PublishError::Unknown { .. })));
    tokio::time::sleep(Duration::from_millis(300)).await;
    // (The delayed call still completes on the fake after the client gave up.)
    let stored = fake.live_tweets().iter().any(|t| t.text == "Never stored");
    assert_eq!(x.find_published(&account(fake.token()), &lookup(&slow)).await.unwrap().is_some(), stored);

    // A lost answer while uploading media made no post: a plain retry.
    fake.faults.push("POST /2/media/upload/initialize", Fault::Delay(Duration::from_secs(2)));
    let mut with_image = post("k-upload", &["With an image"]);
    with_image.media = vec![jpeg(None)];
    assert!(matches!(x.publish(&account(fake.token()), &with_image).await, Err(PublishError::Transient { .. })));
}

#[tokio::test]
async fn after_a_restart_verification_still_finds_the_lost_post_and_only_it() {
    let fake = XFake::start().await;
    let lost = post("k-lost", &["Posted before the crash"]);
    fake.faults.push("POST /2/tweets", Fault::ApplyThenDelay(Duration::from_secs(2)));
    let error = connector_with_timeout(&fake, Duration::from_millis(300)).publish(&account(fake.token()), &lost).await.unwrap_err();
    assert!(matches!(error, PublishError::Unknown { .. }), "{error:?}");

    // A new process: nothing remembered, the request says what to look for.
    let restarted = connector(&fake);
    let found = restarted.find_published(&account(fake.token()), &lookup(&lost)).await.unwrap().expect("it was posted");
    assert_eq!(found.platform_post_id, fake.live_tweets()[0].id);
    assert_eq!(restarted.find_published(&account(fake.token()), &lookup(&post("k-never", &["Never sent"]))).await.unwrap(), None);
}

#[tokio::test]
async fn deleting_removes_the_post_and_a_second_delete_is_fine() {
    let fake = XFake::start().await;
    let x = connector(&fake);
    let published = x.publish(&account(fake.token()), &post("k-del", &["to delete"])).await.unwrap();
    x.delete(&account(fake.token()), &published.platform_post_id).await.unwrap();
    assert!(fake.live_tweets().is_empty());
    x.delete(&account(fake.token()), &published.platform_post_id).await.unwrap();
    assert!(matches!(x.delete(&account("expired"), &published.platform_post_id).await, Err(PublishError::Reconnect { .. })));
}

#[tokio::test]
async fn metrics_come_from_public_and_private_figures() {
    let fake = XFake::start().await;
    let x = connector(&fake);
    let published = x.publish(&account(fake.token()), &post("k-metrics", &["measured"])).await.unwrap();
    fake.set_metrics(
        &published.platform_post_id,
        fake::Metrics { likes: 5, replies: 2, retweets: 3, quotes: 1, bookmarks: 4, impressions: 900, link_clicks: 7, profile_clicks: 1 },
    );
    let metrics = x.post_metrics(&account(fake.token()), &published.platform_post_id).await.unwrap();
    assert_eq!(metrics.likes, Some(5));
    assert_eq!(metrics.comments, Some(2));
    assert_eq!(metrics.shares, Some(4));
    assert_eq!(metrics.saves, Some(4));
    assert_eq!(metrics.impressions, Some(900));
    assert_eq!(metrics.clicks, Some(8));
    assert_eq!(metrics.reach, None);
    let account_metrics = x.account_metrics(&account(fake.token())).await.unwrap();
    assert_eq!((account_metrics.followers, account_metrics.following, account_metrics.posts), (Some(42), Some(7), Some(1)));
}

#[tokio::test]
async fn the_inbox_has_mentions_replies_and_dms_and_answers_them() {
    let fake = XFake::start().await;
    let x = connector(&fake);
    let me = account(fake.token());
    let published = x.publish(&me, &post("k-inbox", &["Ask me anything"])).await.unwrap();
    let reply_id = fake.add_mention("2001", "alice", "Great post!", Some(&published.platform_post_id));
    let mention_id = fake.add_mention("2002", "bob", "have you seen this?", None);
    let dm_id = fake.add_dm("2003", "Hello in private");

    let page = x.inbox(&me, None).await.unwrap();
    let kinds: Vec<(String, InboxKind)> = page.items.iter().map(|i| (i.platform_id.clone(), i.kind)).collect();
    assert!(kinds.contains(&(reply_id.clone(), InboxKind::Reply)), "{kinds:?}");
    assert!(kinds.contains(&(mention_id.clone(), InboxKind::Mention)), "{kinds:?}");
    assert!(kinds.contains(&(dm_id.clone(), InboxKind::DirectMessage)), "{kinds:?}");
    let reply_item = page.items.iter().find(|i| i.platform_id == reply_id).unwrap();
    assert_eq!((reply_item.author.as_str(), reply_item.thread_id.as_str()), ("alice", published.platform_post_id.as_str()));
    assert_eq!(reply_item.in_reply_to.as_deref(), Some(published.platform_post_id.as_str()));

    let again = x.inbox(&me, page.cursor.as_deref()).await.unwrap();
    assert!(again.items.is_empty(), "nothing new since the cursor: {:?}", again.items);

    let answer = x.reply(&me, reply_item, "Thank you!").await.unwrap();
    let tweets = fake.live_tweets();
    let answered = tweets.iter().find(|t| t.id == answer.platform_post_id).unwrap();
    assert_eq!((answered.text.as_str(), answered.reply_to.as_deref()), ("Thank you!", Some(reply_id.as_str())));

    let dm = page.items.iter().find(|i| i.kind == InboxKind::DirectMessage).unwrap();
    x.reply(&me, dm, "Hi back").await.unwrap();
    assert!(fake.dms().iter().any(|d| d.text == "Hi back" && d.conversation_id == dm.thread_id && d.sender_id == fake::USER_ID));

    // An app whose tier has no DM access still gets its mentions.
    fake.forbid_dms();
    fake.add_mention("2004", "carol", "one more", None);
    let page = x.inbox(&me, again.cursor.as_deref()).await.unwrap();
    assert_eq!(page.items.len(), 1);
}
