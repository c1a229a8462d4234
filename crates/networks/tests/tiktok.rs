//! The TikTok adapter against the local fake of Login Kit and the Content Posting API
//! (crates/fakes/src/tiktok.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use bytes::Bytes;
use zenalto_domain::{AccountId, Secret, Timestamp, WorkspaceId, publishing::Network};
use zenalto_fakes::{
    Fault,
    tiktok::{self, TikTokFake, tiktok_error},
};
use zenalto_networks::{
    AccountContext, AuthorizationRequest, Connector, Lookup, MediaAttachment, MediaKind, OAuthClient, PublishError, PublishRequest, Tokens, http,
    tiktok::TikTokConnector,
};
use zenalto_settings::NetworkSettings;

const MIN_CHUNK: usize = 1000;

async fn fake() -> TikTokFake {
    let fake = TikTokFake::start().await;
    fake.set_min_chunk(MIN_CHUNK);
    fake
}

/// What an error case expects of the classification.
type Expect = fn(&PublishError) -> bool;

fn connector_with_timeout(fake: &TikTokFake, timeout: Duration) -> TikTokConnector {
    let mut settings = NetworkSettings::default();
    settings.urls.insert("auth".into(), format!("{}/v2/auth/authorize/", fake.base_url()));
    settings.urls.insert("api".into(), fake.base_url().to_owned());
    TikTokConnector::new(&settings, http::client(timeout)).with_chunks(MIN_CHUNK, MIN_CHUNK).with_status_polls(Duration::from_millis(5), 10)
}

fn connector(fake: &TikTokFake) -> TikTokConnector {
    connector_with_timeout(fake, Duration::from_secs(5))
}

fn account() -> AccountContext {
    AccountContext {
        workspace_id: WorkspaceId::new(),
        account_id: AccountId::new(),
        network: Network::TikTok,
        handle: tiktok::USERNAME.into(),
        platform_account_id: tiktok::OPEN_ID.into(),
        instance_url: None,
        access_token: Some(Secret::new(tiktok::ACCESS_TOKEN.into())),
    }
}

fn client() -> OAuthClient {
    OAuthClient { client_id: tiktok::CLIENT_KEY.into(), client_secret: Some(Secret::new(tiktok::CLIENT_SECRET.into())), instance_url: None }
}

fn mp4(len: usize) -> Bytes {
    let mut bytes = vec![7u8; len.max(12)];
    bytes[4..8].copy_from_slice(b"ftyp");
    Bytes::from(bytes)
}

fn video(len: usize) -> MediaAttachment {
    MediaAttachment {
        id: "v".into(),
        kind: MediaKind::Video,
        mime: "video/mp4".into(),
        file_name: "clip.mp4".into(),
        bytes: mp4(len),
        alt_text: None,
        public_url: None,
        width: Some(1080),
        height: Some(1920),
        duration_ms: Some(15_000),
    }
}

fn photo(n: usize, public: bool) -> MediaAttachment {
    MediaAttachment {
        id: format!("p{n}"),
        kind: MediaKind::Image,
        mime: "image/jpeg".into(),
        file_name: format!("p{n}.jpg"),
        bytes: Bytes::from_static(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]),
        alt_text: Some(format!("photo {n}")),
        public_url: public.then(|| format!("{}p{n}.jpg", tiktok::VERIFIED_PREFIX)),
        width: Some(1080),
        height: Some(1920),
        duration_ms: None,
    }
}

/// What the engine hands a verification of `request`'s attempt, begun a moment ago.
fn lookup(request: &PublishRequest) -> Lookup<'_> {
    Lookup { idempotency_key: &request.idempotency_key, request, attempted_at: Timestamp::now().plus_seconds(-5) }
}

fn request(key: &str, text: &str, media: Vec<MediaAttachment>) -> PublishRequest {
    PublishRequest {
        idempotency_key: key.into(),
        parts: vec![text.into()],
        media_ids: media.iter().map(|m| m.id.clone()).collect(),
        media,
        ..PublishRequest::default()
    }
}

#[tokio::test]
async fn connects_with_login_kit_client_key_and_rotating_refresh_tokens() {
    let fake = fake().await;
    let tt = connector(&fake);
    let client = client();
    let url = tt.authorization_url(&AuthorizationRequest { client: &client, redirect_uri: "https://z.example/cb", state: "st", pkce_challenge: "ch" }).unwrap();
    let parsed = url::Url::parse(&url).unwrap();
    assert!(parsed.path().ends_with("/v2/auth/authorize/"), "{url}");
    let query: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
    assert_eq!(query["client_key"], tiktok::CLIENT_KEY);
    assert!(!query.contains_key("client_id"));
    assert_eq!(query["scope"], "user.info.basic,user.info.profile,user.info.stats,video.publish,video.list");
    assert_eq!(query["state"], "st");
    assert!(!query.contains_key("code_challenge"), "a web app sends no PKCE to TikTok (see docs/networks/tiktok.md)");

    let tokens = tt.exchange(&client, tiktok::CODE, "verifier", "https://z.example/cb").await.unwrap();
    assert!(tokens.refresh_token.is_some() && tokens.expires_at.is_some());
    assert!(tokens.scopes.contains(&"video.publish".to_owned()));
    assert!(matches!(tt.exchange(&client, "old-code", "v", "https://z.example/cb").await, Err(PublishError::Permanent { .. })));
    let wrong = OAuthClient { client_id: "nope".into(), ..client.clone() };
    match tt.exchange(&wrong, tiktok::CODE, "v", "https://z.example/cb").await {
        Err(PublishError::Permanent { message }) => assert!(message.contains("client_secret"), "{message}"),
        other => panic!("{other:?}"),
    }

    let identities = tt.identities(&client, &tokens).await.unwrap();
    assert_eq!((identities[0].platform_account_id.as_str(), identities[0].handle.as_str()), (tiktok::OPEN_ID, tiktok::USERNAME));

    let first = tokens.refresh_token.clone().unwrap();
    let refreshed = tt.refresh(&client, &account(), &first).await.unwrap();
    assert_ne!(refreshed.refresh_token.as_ref().unwrap().expose(), first.expose(), "rotated");
    assert!(matches!(tt.refresh(&client, &account(), &first).await, Err(PublishError::Reconnect { .. })), "the old refresh token is spent");

    tt.revoke(&client, &account()).await.unwrap();
    assert_eq!(fake.revoked(), vec![tiktok::ACCESS_TOKEN.to_owned()]);
    let stale = Tokens { access_token: Secret::new(tiktok::ACCESS_TOKEN.into()), refresh_token: None, expires_at: None, scopes: vec![] };
    assert!(matches!(tt.identities(&client, &stale).await, Err(PublishError::Reconnect { .. })));
}

#[tokio::test]
async fn uploads_a_video_in_chunks_and_polls_until_published() {
    let fake = fake().await;
    fake.set_processing_polls(2);
    let tt = connector(&fake);
    let mut request = request("k1", "Behind the scenes #making", vec![video(2500)]);
    request.first_comment = Some("TikTok has no comment API".into());
    let published = tt.publish(&account(), &request).await.unwrap();

    let publishes = fake.publishes();
    assert_eq!(publishes.len(), 1);
    let publish = &publishes[0];
    assert_eq!((publish.source.as_str(), publish.privacy.as_str()), ("FILE_UPLOAD", "PUBLIC_TO_EVERYONE"));
    assert_eq!((publish.chunk_size, publish.chunk_count), (1000, 2), "floor(2500 / 1000) chunks, the last one takes the rest");
    assert_eq!(publish.chunks, vec![(0, 1000), (1000, 1500)]);
    let videos = fake.videos();
    assert_eq!(videos.len(), 1);
    assert_eq!(videos[0].caption, "Behind the scenes #making");
    assert_eq!(published.platform_post_id, videos[0].id);
    assert_eq!(published.url, Some(format!("https://www.tiktok.com/@{}/video/{}", tiktok::USERNAME, videos[0].id)));
}

#[tokio::test]
async fn a_small_video_goes_up_whole_and_a_public_url_is_pulled() {
    let fake = fake().await;
    let tt = connector(&fake);
    tt.publish(&account(), &request("k1", "small", vec![video(400)])).await.unwrap();
    let mut pulled = video(5000);
    pulled.public_url = Some(format!("{}clip.mp4", tiktok::VERIFIED_PREFIX));
    tt.publish(&account(), &request("k2", "pulled", vec![pulled])).await.unwrap();
    let publishes = fake.publishes();
    assert_eq!((publishes[0].chunk_count, publishes[0].chunks.clone()), (1, vec![(0, 400)]));
    assert_eq!(publishes[1].source, "PULL_FROM_URL");
    assert_eq!(publishes[1].urls, vec![format!("{}clip.mp4", tiktok::VERIFIED_PREFIX)]);
    assert_eq!(fake.videos().len(), 2);
}

#[tokio::test]
async fn photos_are_pulled_from_public_urls() {
    let fake = fake().await;
    let tt = connector(&fake);
    let mut post = request("k", "Three looks", vec![photo(1, true), photo(2, true), photo(3, true)]);
    post.title = Some("Lookbook".into());
    tt.publish(&account(), &post).await.unwrap();
    let publish = &fake.publishes()[0];
    assert_eq!((publish.media_type.as_str(), publish.caption.as_str(), publish.title.as_str()), ("PHOTO", "Three looks", "Lookbook"));
    assert_eq!(publish.urls.len(), 3);

    let result = tt.publish(&account(), &request("k2", "no url", vec![photo(1, false)])).await;
    match result {
        Err(PublishError::Permanent { message }) => assert!(message.contains("server.public_url"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(fake.publishes().len(), 1);
}

#[tokio::test]
async fn an_unaudited_app_posts_with_the_only_visibility_offered() {
    let fake = fake().await;
    fake.set_privacy_options(&["SELF_ONLY"]);
    connector(&fake).publish(&account(), &request("k", "private", vec![video(300)])).await.unwrap();
    assert_eq!(fake.videos()[0].privacy, "SELF_ONLY");
}

#[tokio::test]
async fn what_tiktok_cannot_take_is_refused_before_any_init() {
    let fake = fake().await;
    let tt = connector(&fake);
    let mut long = video(300);
    long.duration_ms = Some(601_000);
    let mut thread = request("k", "one", vec![video(300)]);
    thread.parts.push("two".into());
    let mut gif = photo(1, true);
    gif.kind = MediaKind::Gif;
    let cases = [
        ("too long", request("k", "x", vec![long])),
        ("thread", thread),
        ("text only", request("k", "just words", vec![])),
        ("mixed", request("k", "x", vec![video(300), photo(1, true)])),
        ("gif", request("k", "x", vec![gif])),
        ("caption", request("k", &"x".repeat(2201), vec![video(300)])),
    ];
    for (name, request) in cases {
        let result = tt.publish(&account(), &request).await;
        assert!(matches!(result, Err(PublishError::Permanent { .. })), "{name}: {result:?}");
    }
    assert!(fake.publishes().is_empty());
    assert!(matches!(tt.delete(&account(), "123").await, Err(PublishError::Permanent { .. })), "TikTok's API cannot delete");
    assert!(matches!(tt.inbox(&account(), None).await, Err(PublishError::Permanent { .. })), "no inbox API");
}

#[tokio::test]
async fn a_failed_publish_reports_tiktoks_reason() {
    let fake = fake().await;
    fake.fail_next_publish("duration_check_failed");
    match connector(&fake).publish(&account(), &request("k", "x", vec![video(300)])).await {
        Err(PublishError::Permanent { message }) => assert!(message.contains("duration_check_failed"), "{message}"),
        other => panic!("{other:?}"),
    }
    assert!(fake.videos().is_empty());
}

#[tokio::test]
async fn errors_are_classified_from_the_envelope() {
    let now = Timestamp::now();
    let cases: Vec<(&str, Fault, Expect)> = vec![
        ("401", Fault::status(401, tiktok_error("access_token_invalid", "The access token is invalid")), |e| matches!(e, PublishError::Reconnect { .. })),
        (
            "scope",
            Fault::status(401, tiktok_error("scope_not_authorized", "The user did not authorize the scope")),
            |e| matches!(e, PublishError::Reconnect { message } if message.contains("video.publish")),
        ),
        ("429", Fault::status(429, tiktok_error("rate_limit_exceeded", "The API rate limit was exceeded")), |e| {
            matches!(e, PublishError::RateLimited { reset_at: Some(_), .. })
        }),
        (
            "daily cap with 200",
            Fault::status(200, tiktok_error("spam_risk_too_many_posts", "too many posts")),
            |e| matches!(e, PublishError::Permanent { message } if message.contains("daily limit")),
        ),
        ("unaudited", Fault::status(403, tiktok_error("unaudited_client_can_only_post_to_private_accounts", "private only")), |e| {
            matches!(e, PublishError::Permanent { .. })
        }),
        ("5xx", Fault::status(500, tiktok_error("internal_error", "internal")), |e| matches!(e, PublishError::Transient { .. })),
        ("html 502", Fault::status(502, "<html>bad gateway</html>"), |e| matches!(e, PublishError::Transient { .. })),
        ("slow", Fault::Delay(Duration::from_millis(1500)), |e| matches!(e, PublishError::Unknown { .. })),
    ];
    for (name, fault, expected) in cases {
        let fake = fake().await;
        fake.faults.push("POST /v2/post/publish/video/init/", fault);
        let tt = connector_with_timeout(&fake, Duration::from_millis(500));
        let error = tt.publish(&account(), &request("k", "x", vec![video(300)])).await.unwrap_err();
        assert!(expected(&error), "{name}: {error:?}");
        assert!(fake.videos().is_empty(), "{name}");
    }

    let fake = fake().await;
    fake.faults
        .push("POST /v2/post/publish/video/init/", Fault::status(429, tiktok_error("rate_limit_exceeded", "slow down")).with_header("retry-after", "45"));
    match connector(&fake).publish(&account(), &request("k", "x", vec![video(300)])).await {
        Err(PublishError::RateLimited { reset_at: Some(at), .. }) => assert!((44_000..=60_000).contains(&(at.as_millis() - now.as_millis())), "{at}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_lost_answer_is_verified_through_the_publish_status_not_posted_twice() {
    let fake = fake().await;
    fake.faults.push("PUT /upload", Fault::ApplyThenDelay(Duration::from_millis(1500)));
    let tt = connector_with_timeout(&fake, Duration::from_millis(500));
    let lost = request("k-lost", "once only", vec![video(300)]);
    let result = tt.publish(&account(), &lost).await;
    assert!(matches!(result, Err(PublishError::Unknown { .. })), "{result:?}");
    let found = tt.find_published(&account(), &lookup(&lost)).await.unwrap().expect("TikTok finished the post");
    assert_eq!(fake.videos().len(), 1);
    assert_eq!(found.platform_post_id, fake.videos()[0].id);
    assert_eq!(fake.publishes().len(), 1, "no second init");

    // An init whose answer was lost: found among the creator's videos by caption.
    fake.faults.push("POST /v2/post/publish/video/init/", Fault::ApplyThenDelay(Duration::from_millis(1500)));
    let init = request("k-init", "caption to find", vec![video(300)]);
    let result = tt.publish(&account(), &init).await;
    assert!(matches!(result, Err(PublishError::Unknown { .. })), "{result:?}");
    // Not listed: at first TikTok could still be processing it, so verification waits; once
    // processing would have finished, the upload never happened and nothing was posted.
    assert!(matches!(tt.find_published(&account(), &lookup(&init)).await, Err(PublishError::Transient { .. })));
    let later = Lookup { attempted_at: Timestamp::now().plus_seconds(-3600), ..lookup(&init) };
    assert_eq!(tt.find_published(&account(), &later).await.unwrap(), None, "the upload never happened, so nothing was posted");
}

#[tokio::test]
async fn after_a_restart_verification_finds_the_post_by_its_caption() {
    let fake = fake().await;
    // TikTok finishes the post as its status is read, and that answer is lost.
    fake.faults.push("POST /v2/post/publish/status/fetch/", Fault::ApplyThenDelay(Duration::from_millis(1500)));
    let lost = request("k-lost", "made before the crash https://example.com", vec![video(300)]);
    let result = connector_with_timeout(&fake, Duration::from_millis(500)).publish(&account(), &lost).await;
    assert!(matches!(result, Err(PublishError::Unknown { .. })), "{result:?}");

    // A new process has no publish_id: the creator's videos are searched for the caption, as
    // the engine sends it (media by id only).
    let restarted = connector(&fake);
    let verified = PublishRequest { media: Vec::new(), ..lost.clone() };
    let found = restarted.find_published(&account(), &lookup(&verified)).await.unwrap().expect("TikTok finished the post");
    assert_eq!(found.platform_post_id, fake.videos()[0].id);
    // A post never made: while TikTok could still be processing it, verification waits; past
    // that window, it is really not there.
    let never = request("k-never", "never sent", Vec::new());
    let recent = restarted.find_published(&account(), &lookup(&never)).await;
    assert!(matches!(recent, Err(PublishError::Transient { .. })), "{recent:?}");
    let long_ago = Lookup { attempted_at: Timestamp::now().plus_seconds(-3600), ..lookup(&never) };
    assert_eq!(restarted.find_published(&account(), &long_ago).await.unwrap(), None);
    assert_eq!(fake.publishes().len(), 1, "no second init");
}

#[tokio::test]
async fn reads_video_and_account_metrics() {
    let fake = fake().await;
    let tt = connector(&fake);
    let id = tt.publish(&account(), &request("k", "x", vec![video(300)])).await.unwrap().platform_post_id;
    fake.set_video_stats(&id, 10_000, 321);
    let metrics = tt.post_metrics(&account(), &id).await.unwrap();
    assert_eq!((metrics.video_views, metrics.likes, metrics.comments, metrics.shares, metrics.impressions), (Some(10_000), Some(321), Some(3), Some(2), None));
    let account_metrics = tt.account_metrics(&account()).await.unwrap();
    assert_eq!((account_metrics.followers, account_metrics.following, account_metrics.posts), (Some(5678), Some(12), Some(1)));
    assert!(matches!(tt.post_metrics(&account(), "999").await, Err(PublishError::Permanent { .. })));
}

#[tokio::test]
async fn a_throttled_status_check_after_the_upload_is_unknown_then_verified() {
    let fake = fake().await;
    fake.faults.push("POST /v2/post/publish/status/fetch/", Fault::status(429, tiktok_error("rate_limit_exceeded", "slow down")));
    let tt = connector(&fake);
    let result = tt.publish(&account(), &request("k", "x", vec![video(300)])).await;
    assert!(matches!(result, Err(PublishError::Unknown { .. })), "not RateLimited: a retry would init a second post ({result:?})");
    let found = tt.find_published(&account(), &lookup(&request("k", "x", vec![video(300)]))).await.unwrap().expect("published");
    assert_eq!(fake.publishes().len(), 1);
    assert_eq!(found.platform_post_id, fake.videos()[0].id);
}
