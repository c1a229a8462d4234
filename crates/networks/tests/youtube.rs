//! The YouTube adapter against the local fake of the Data API v3 (crates/fakes/src/youtube.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use bytes::Bytes;
use zenalto_domain::{AccountId, Secret, Timestamp, WorkspaceId, publishing::Network};
use zenalto_fakes::{
    Fault,
    youtube::{self, YouTubeFake, google_error},
};
use zenalto_networks::{
    AccountContext, AuthorizationRequest, Connector, InboxKind, Lookup, MediaAttachment, MediaKind, OAuthClient, PublishError, PublishRequest, Tokens,
    http, youtube::YouTubeConnector,
};
use zenalto_settings::NetworkSettings;

/// What an error case expects of the classification.
type Expect = fn(&PublishError) -> bool;

fn settings(fake: &YouTubeFake) -> NetworkSettings {
    let base = fake.base_url();
    let mut settings = NetworkSettings::default();
    for (name, path) in [("auth", "/o/oauth2/v2/auth"), ("token", "/token"), ("revoke", "/revoke"), ("api", "/youtube/v3"), ("upload", "/upload/youtube/v3")] {
        settings.urls.insert(name.into(), format!("{base}{path}"));
    }
    settings
}

fn connector_with_timeout(fake: &YouTubeFake, timeout: Duration) -> YouTubeConnector {
    YouTubeConnector::new(&settings(fake), http::client(timeout)).with_chunk_size(256 * 1024).with_processing_polls(Duration::from_millis(5), 10)
}

fn connector(fake: &YouTubeFake) -> YouTubeConnector {
    connector_with_timeout(fake, Duration::from_secs(5))
}

fn account() -> AccountContext {
    AccountContext {
        workspace_id: WorkspaceId::new(),
        account_id: AccountId::new(),
        network: Network::YouTube,
        handle: "@fakechannel".into(),
        platform_account_id: youtube::CHANNEL_ID.into(),
        instance_url: None,
        access_token: Some(Secret::new(youtube::ACCESS_TOKEN.into())),
    }
}

fn client() -> OAuthClient {
    OAuthClient { client_id: youtube::CLIENT_ID.into(), client_secret: Some(Secret::new(youtube::CLIENT_SECRET.into())), instance_url: None }
}

/// An MP4-looking file of `len` bytes (`ftyp` at offset 4, as the fake checks).
fn mp4(len: usize) -> Bytes {
    let mut bytes = vec![0u8; len.max(12)];
    bytes[4..8].copy_from_slice(b"ftyp");
    for (i, b) in bytes.iter_mut().enumerate().skip(12) {
        *b = (i % 251) as u8;
    }
    Bytes::from(bytes)
}

fn video(len: usize) -> MediaAttachment {
    MediaAttachment {
        id: "m1".into(),
        kind: MediaKind::Video,
        mime: "video/mp4".into(),
        file_name: "clip.mp4".into(),
        bytes: mp4(len),
        alt_text: None,
        public_url: None,
        width: Some(1920),
        height: Some(1080),
        duration_ms: Some(30_000),
    }
}

/// What the engine hands a verification of `request`'s attempt, begun a moment ago: the post as
/// sent, its media by id only (no bytes are loaded to verify).
fn lookup(request: &PublishRequest) -> Lookup<'_> {
    Lookup { idempotency_key: &request.idempotency_key, request, attempted_at: Timestamp::now().plus_seconds(-5) }
}

fn verified(request: &PublishRequest) -> PublishRequest {
    PublishRequest { media: Vec::new(), ..request.clone() }
}

fn request(key: &str, title: Option<&str>, text: &str, len: usize) -> PublishRequest {
    PublishRequest {
        idempotency_key: key.into(),
        parts: vec![text.into()],
        media_ids: vec!["m1".into()],
        media: vec![video(len)],
        title: title.map(str::to_owned),
        ..PublishRequest::default()
    }
}

const SIX_HUNDRED_KIB: usize = 600 * 1024;

#[tokio::test]
async fn connects_with_google_oauth_pkce_and_finds_the_channel() {
    let fake = YouTubeFake::start().await;
    let yt = connector(&fake);
    let client = client();
    let url = yt
        .authorization_url(&AuthorizationRequest {
            client: &client,
            redirect_uri: "https://z.example/cb",
            state: "st",
            pkce_challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
        })
        .unwrap();
    let parsed = url::Url::parse(&url).unwrap();
    let query: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
    assert_eq!(query["access_type"], "offline");
    assert_eq!(query["prompt"], "consent");
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["client_id"], youtube::CLIENT_ID);
    assert!(query["scope"].contains("youtube.upload") && query["scope"].contains("youtube.force-ssl"));

    let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    let tokens = yt.exchange(&client, youtube::CODE, verifier, "https://z.example/cb").await.unwrap();
    assert_eq!(tokens.access_token.expose(), youtube::ACCESS_TOKEN);
    assert_eq!(tokens.refresh_token.as_ref().map(|t| t.expose().as_str()), Some(youtube::REFRESH_TOKEN));
    assert!(tokens.expires_at.is_some());
    assert!(matches!(yt.exchange(&client, "wrong", verifier, "https://z.example/cb").await, Err(PublishError::Permanent { .. })));

    let identities = yt.identities(&client, &tokens).await.unwrap();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].platform_account_id, youtube::CHANNEL_ID);
    assert_eq!(identities[0].handle, "@fakechannel");
    assert_eq!(identities[0].kind, "channel");

    let refreshed = yt.refresh(&client, &account(), &Secret::new(youtube::REFRESH_TOKEN.into())).await.unwrap();
    assert_ne!(refreshed.access_token.expose(), youtube::ACCESS_TOKEN);
    let refused = yt.refresh(&client, &account(), &Secret::new("revoked".into())).await;
    assert!(matches!(refused, Err(PublishError::Reconnect { .. })), "{refused:?}");

    yt.revoke(&client, &account()).await.unwrap();
    assert_eq!(fake.revoked(), vec![youtube::ACCESS_TOKEN.to_owned()]);
    let tokens = Tokens { access_token: Secret::new(youtube::ACCESS_TOKEN.into()), refresh_token: None, expires_at: None, scopes: vec![] };
    assert!(matches!(yt.identities(&client, &tokens).await, Err(PublishError::Reconnect { .. })), "a revoked token no longer works");
}

#[tokio::test]
async fn publishes_a_video_in_256_kib_chunks_waits_for_processing_and_comments_first() {
    let fake = YouTubeFake::start().await;
    fake.set_processing_polls(2);
    let yt = connector(&fake);
    let mut request = request("k1", Some("Launch day"), "Our new thing", SIX_HUNDRED_KIB);
    request.link = Some("https://example.com/launch".into());
    request.first_comment = Some("Questions welcome!".into());
    let published = yt.publish(&account(), &request).await.unwrap();

    let videos = fake.videos();
    assert_eq!(videos.len(), 1);
    assert_eq!(published.platform_post_id, videos[0].id);
    assert_eq!(published.url.as_deref(), Some(format!("https://www.youtube.com/watch?v={}", videos[0].id).as_str()));
    assert_eq!(videos[0].title, "Launch day");
    assert_eq!(videos[0].description, "Our new thing\n\nhttps://example.com/launch");
    assert_eq!(videos[0].privacy, "public");
    assert_eq!(videos[0].bytes, SIX_HUNDRED_KIB);
    assert_eq!(fake.chunks(), vec![(0, 262_144), (262_144, 262_144), (524_288, SIX_HUNDRED_KIB - 524_288)]);
    assert_eq!(videos[0].polls_left, 0, "the adapter waited until processing finished");
    let comments = fake.comments();
    assert_eq!(comments.len(), 1);
    assert_eq!((comments[0].video_id.as_str(), comments[0].text.as_str()), (videos[0].id.as_str(), "Questions welcome!"));

    // Verification after an unknown outcome finds it by title and description.
    let found = yt.find_published(&account(), &lookup(&verified(&request))).await.unwrap();
    assert_eq!(found.map(|p| p.platform_post_id), Some(videos[0].id.clone()));
}

#[tokio::test]
async fn after_a_restart_verification_still_finds_the_lost_upload_and_only_it() {
    let fake = YouTubeFake::start().await;
    // The engine's time limit drops the call while YouTube holds the answer to the last chunk.
    fake.faults.push("PUT /upload/youtube/v3/videos", Fault::ApplyThenDelay(Duration::from_secs(2)));
    let lost = request("k-lost", Some("Lost answer"), "Uploaded before the crash", 1000);
    let cut = tokio::time::timeout(Duration::from_millis(500), connector(&fake).publish(&account(), &lost)).await;
    assert!(cut.is_err(), "the call was cut off: {cut:?}");
    assert_eq!(fake.videos().len(), 1, "but the video was made");

    // A new process: nothing remembered, the request says what to look for.
    let restarted = connector(&fake);
    let found = restarted.find_published(&account(), &lookup(&verified(&lost))).await.unwrap().expect("it was uploaded");
    assert_eq!(found.platform_post_id, fake.videos()[0].id);
    let never = request("k-never", Some("Never sent"), "Never sent", 1000);
    assert_eq!(restarted.find_published(&account(), &lookup(&verified(&never))).await.unwrap(), None);
}

#[tokio::test]
async fn malformed_posts_are_refused_before_anything_is_uploaded() {
    let fake = YouTubeFake::start().await;
    let yt = connector(&fake);
    let no_title = request("k", None, "text", 1000);
    let mut image = request("k", Some("t"), "text", 1000);
    image.media[0].kind = MediaKind::Image;
    let mut thread = request("k", Some("t"), "one", 1000);
    thread.parts.push("two".into());
    let mut no_media = request("k", Some("t"), "text", 1000);
    no_media.media.clear();
    let long_title = request("k", Some(&"x".repeat(101)), "text", 1000);
    for (name, request) in [("no title", no_title), ("image", image), ("thread", thread), ("no media", no_media), ("long title", long_title)] {
        let result = yt.publish(&account(), &request).await;
        assert!(matches!(result, Err(PublishError::Permanent { .. })), "{name}: {result:?}");
    }
    assert!(fake.videos().is_empty());
    assert!(fake.chunks().is_empty());
}

#[tokio::test]
async fn an_interrupted_chunk_resumes_where_the_session_stands() {
    let fake = YouTubeFake::start().await;
    fake.faults.push_after("PUT /upload/youtube/v3/videos", 1, Fault::status(503, google_error(503, "backendError", "Backend Error")));
    let yt = connector(&fake);
    yt.publish(&account(), &request("k", Some("Resumed"), "text", SIX_HUNDRED_KIB)).await.unwrap();
    assert_eq!(fake.videos().len(), 1);
    assert_eq!(fake.chunks(), vec![(0, 262_144), (262_144, 262_144), (524_288, SIX_HUNDRED_KIB - 524_288)], "no byte sent twice");
}

#[tokio::test]
async fn a_lost_answer_to_the_last_chunk_is_found_complete_not_uploaded_twice() {
    let fake = YouTubeFake::start().await;
    // One chunk only: the video is created, but the answer comes after the client gave up.
    fake.faults.push("PUT /upload/youtube/v3/videos", Fault::ApplyThenDelay(Duration::from_millis(1500)));
    let yt = connector_with_timeout(&fake, Duration::from_millis(500));
    let published = yt.publish(&account(), &request("k", Some("Slow"), "text", 1000)).await.unwrap();
    let videos = fake.videos();
    assert_eq!(videos.len(), 1);
    assert_eq!(published.platform_post_id, videos[0].id);
    assert_eq!(fake.chunks().len(), 1);
}

#[tokio::test]
async fn a_failed_first_comment_leaves_the_video_published() {
    let fake = YouTubeFake::start().await;
    fake.faults.push("POST /youtube/v3/commentThreads", Fault::status(500, google_error(500, "backendError", "oops")));
    let yt = connector(&fake);
    let mut request = request("k", Some("t"), "text", 1000);
    request.first_comment = Some("first!".into());
    let published = yt.publish(&account(), &request).await.unwrap();
    assert_eq!(fake.videos().len(), 1);
    assert_eq!(published.platform_post_id, fake.videos()[0].id);
    assert!(fake.comments().is_empty());
}

#[tokio::test]
async fn a_rejected_video_is_permanent() {
    let fake = YouTubeFake::start().await;
    fake.reject_next_video();
    let yt = connector(&fake);
    let result = yt.publish(&account(), &request("k", Some("t"), "text", 1000)).await;
    match result {
        Err(PublishError::Permanent { message }) => assert!(message.contains("duplicate"), "{message}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn errors_are_classified() {
    let now = Timestamp::now();
    let cases: Vec<(&str, Fault, Expect)> = vec![
        ("401", Fault::status(401, google_error(401, "authError", "Invalid Credentials")), |e| matches!(e, PublishError::Reconnect { .. })),
        (
            "403 scope",
            Fault::status(403, google_error(403, "insufficientPermissions", "Insufficient Permission")),
            |e| matches!(e, PublishError::Reconnect { message } if message.contains("youtube.upload")),
        ),
        ("403 forbidden", Fault::status(403, google_error(403, "forbidden", "Forbidden")), |e| matches!(e, PublishError::Permanent { .. })),
        ("5xx", Fault::status(503, google_error(503, "backendError", "Backend Error")), |e| matches!(e, PublishError::Transient { .. })),
        ("html 502", Fault::status(502, "<html>bad gateway</html>"), |e| matches!(e, PublishError::Transient { .. })),
        ("slow", Fault::Delay(Duration::from_millis(1500)), |e| matches!(e, PublishError::Unknown { .. })),
        ("upload cap", Fault::status(400, google_error(400, "uploadLimitExceeded", "The user has exceeded the number of videos they may upload.")), |e| {
            matches!(e, PublishError::RateLimited { .. })
        }),
    ];
    for (name, fault, expected) in cases {
        let fake = YouTubeFake::start().await;
        fake.faults.push("POST /upload/youtube/v3/videos", fault);
        let yt = connector_with_timeout(&fake, Duration::from_millis(500));
        let error = yt.publish(&account(), &request("k", Some("t"), "text", 1000)).await.unwrap_err();
        assert!(expected(&error), "{name}: {error:?}");
        assert!(fake.videos().is_empty(), "{name}");
    }

    // The daily quota resets at the next midnight Pacific time (07:00 or 08:00 UTC).
    let fake = YouTubeFake::start().await;
    fake.faults.push(
        "POST /upload/youtube/v3/videos",
        Fault::status(403, google_error(403, "quotaExceeded", "The request cannot be completed because you have exceeded your quota.")),
    );
    match connector(&fake).publish(&account(), &request("k", Some("t"), "text", 1000)).await {
        Err(PublishError::AppRateLimited { reset_at: Some(at), .. }) => {
            let ahead = at.as_millis() - now.as_millis();
            assert!(ahead > 0 && ahead <= 24 * 3600 * 1000, "{at}");
            let seconds_of_day = (at.as_millis() / 1000).rem_euclid(86_400);
            assert!(seconds_of_day == 7 * 3600 || seconds_of_day == 8 * 3600, "{at}");
        }
        other => panic!("{other:?}"),
    }

    // A short-term throttle waits for Retry-After.
    let fake = YouTubeFake::start().await;
    fake.faults.push(
        "POST /upload/youtube/v3/videos",
        Fault::status(429, google_error(429, "rateLimitExceeded", "Rate Limit Exceeded")).with_header("retry-after", "30"),
    );
    match connector(&fake).publish(&account(), &request("k", Some("t"), "text", 1000)).await {
        Err(PublishError::RateLimited { reset_at: Some(at), .. }) => {
            let ahead = at.as_millis() - now.as_millis();
            assert!((29_000..=40_000).contains(&ahead), "{ahead}");
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_failed_attempt_is_verified_as_not_published() {
    let fake = YouTubeFake::start().await;
    fake.faults.push("PUT /upload/youtube/v3/videos", Fault::status(400, google_error(400, "badContent", "bad")));
    let yt = connector(&fake);
    let failed = request("k-failed", Some("Never"), "text", 1000);
    assert!(yt.publish(&account(), &failed).await.is_err());
    assert_eq!(yt.find_published(&account(), &lookup(&verified(&failed))).await.unwrap(), None);
}

#[tokio::test]
async fn deletes_and_reads_metrics() {
    let fake = YouTubeFake::start().await;
    let yt = connector(&fake);
    let published = yt.publish(&account(), &request("k", Some("t"), "text", 1000)).await.unwrap();
    let id = published.platform_post_id;
    fake.set_video_stats(&id, 1500, 42);
    fake.add_comment(&id, None, "UCviewer", "nice", "2026-12-01T01:00:00Z");
    let metrics = yt.post_metrics(&account(), &id).await.unwrap();
    assert_eq!((metrics.video_views, metrics.likes, metrics.comments, metrics.impressions), (Some(1500), Some(42), Some(1), None));
    let account_metrics = yt.account_metrics(&account()).await.unwrap();
    assert_eq!(account_metrics.followers, Some(1234));
    assert_eq!(account_metrics.posts, Some(1));

    yt.delete(&account(), &id).await.unwrap();
    assert!(fake.videos().is_empty());
    assert!(matches!(yt.delete(&account(), &id).await, Err(PublishError::Permanent { .. })));
}

#[tokio::test]
async fn the_inbox_lists_viewer_comments_and_replies_answer_them() {
    let fake = YouTubeFake::start().await;
    let yt = connector(&fake);
    let id = yt.publish(&account(), &request("k", Some("t"), "text", 1000)).await.unwrap().platform_post_id;
    let top = fake.add_comment(&id, None, "UCviewer", "Great video", "2026-12-01T01:00:00Z");
    fake.add_comment(&id, Some(&top), "UCother", "Agreed", "2026-12-01T01:05:00Z");
    fake.add_comment(&id, Some(&top), youtube::CHANNEL_ID, "Thanks (our own reply)", "2026-12-01T01:06:00Z");

    let page = yt.inbox(&account(), None).await.unwrap();
    assert_eq!(page.items.len(), 2, "{:?}", page.items);
    assert_eq!((page.items[0].kind, page.items[0].text.as_str(), page.items[0].thread_id.as_str()), (InboxKind::Comment, "Great video", id.as_str()));
    assert_eq!((page.items[1].kind, page.items[1].in_reply_to.as_deref()), (InboxKind::Reply, Some(top.as_str())));
    assert_eq!(page.items[1].author_id, "UCother");
    let again = yt.inbox(&account(), page.cursor.as_deref()).await.unwrap();
    assert!(again.items.is_empty(), "nothing new since the cursor");

    // Replying to a reply answers the top-level comment (YouTube threads are one level deep).
    let answer = yt.reply(&account(), &page.items[1], "Thank you!").await.unwrap();
    let stored = fake.comments().into_iter().find(|c| c.id == answer.platform_post_id).unwrap();
    assert_eq!((stored.parent_id.as_deref(), stored.text.as_str()), (Some(top.as_str()), "Thank you!"));
    assert!(answer.url.unwrap().contains(&id));
}

#[tokio::test]
async fn an_unreadable_processing_status_after_the_upload_still_counts_as_published() {
    let fake = YouTubeFake::start().await;
    fake.faults.push("GET /youtube/v3/videos", Fault::status(503, google_error(503, "backendError", "Backend Error")));
    let published = connector(&fake).publish(&account(), &request("k", Some("t"), "text", 1000)).await.unwrap();
    assert_eq!(fake.videos().len(), 1);
    assert_eq!(published.platform_post_id, fake.videos()[0].id);
}
