//! The Pinterest adapter against the local fake of API v5 (crates/fakes/src/pinterest.rs).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use bytes::Bytes;
use zenalto_domain::{AccountId, Secret, Timestamp, WorkspaceId, publishing::Network};
use zenalto_fakes::{
    Fault,
    pinterest::{self, PinterestFake, pinterest_error},
};
use zenalto_networks::{
    AccountContext, AuthorizationRequest, Connector, Lookup, MediaAttachment, MediaKind, OAuthClient, PublishError, PublishRequest, Tokens, http,
    pinterest::PinterestConnector,
};
use zenalto_settings::NetworkSettings;

/// What an error case expects of the classification.
type Expect = fn(&PublishError) -> bool;

fn connector_with_timeout(fake: &PinterestFake, timeout: Duration) -> PinterestConnector {
    let mut settings = NetworkSettings::default();
    settings.urls.insert("auth".into(), format!("{}/oauth/", fake.base_url()));
    settings.urls.insert("api".into(), format!("{}/v5", fake.base_url()));
    PinterestConnector::new(&settings, http::client(timeout)).with_media_polls(Duration::from_millis(5), 10)
}

fn connector(fake: &PinterestFake) -> PinterestConnector {
    connector_with_timeout(fake, Duration::from_secs(5))
}

fn account() -> AccountContext {
    AccountContext {
        workspace_id: WorkspaceId::new(),
        account_id: AccountId::new(),
        network: Network::Pinterest,
        handle: pinterest::USERNAME.into(),
        platform_account_id: format!("{}/{}", pinterest::USERNAME, pinterest::BOARD_ID),
        instance_url: None,
        access_token: Some(Secret::new(pinterest::ACCESS_TOKEN.into())),
    }
}

fn client() -> OAuthClient {
    OAuthClient { client_id: pinterest::CLIENT_ID.into(), client_secret: Some(Secret::new(pinterest::CLIENT_SECRET.into())), instance_url: None }
}

const JPEG: &[u8] = &[0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1];

fn image(n: usize, public: bool) -> MediaAttachment {
    MediaAttachment {
        id: format!("i{n}"),
        kind: MediaKind::Image,
        mime: "image/jpeg".into(),
        file_name: format!("i{n}.jpg"),
        bytes: Bytes::from_static(JPEG),
        alt_text: Some(format!("a bowl of soup {n}")),
        public_url: public.then(|| format!("https://media.zenalto.example/i{n}.jpg")),
        width: Some(1000),
        height: Some(1500),
        duration_ms: None,
    }
}

fn video() -> MediaAttachment {
    let mut bytes = vec![1u8; 2048];
    bytes[4..8].copy_from_slice(b"ftyp");
    MediaAttachment {
        id: "v".into(),
        kind: MediaKind::Video,
        mime: "video/mp4".into(),
        file_name: "v.mp4".into(),
        bytes: Bytes::from(bytes),
        alt_text: None,
        public_url: None,
        width: Some(1080),
        height: Some(1920),
        duration_ms: Some(10_000),
    }
}

/// What the engine hands a verification of `request`'s attempt, begun a moment ago.
fn lookup(request: &PublishRequest) -> Lookup<'_> {
    Lookup { idempotency_key: &request.idempotency_key, request, attempted_at: Timestamp::now().plus_seconds(-5) }
}

fn request(key: &str, title: &str, text: &str, media: Vec<MediaAttachment>) -> PublishRequest {
    PublishRequest {
        idempotency_key: key.into(),
        parts: vec![text.into()],
        media_ids: media.iter().map(|m| m.id.clone()).collect(),
        media,
        title: Some(title.into()),
        link: Some("https://example.com/soup".into()),
        ..PublishRequest::default()
    }
}

#[tokio::test]
async fn connects_with_basic_client_auth_and_offers_each_board() {
    let fake = PinterestFake::start().await;
    let pin = connector(&fake);
    let client = client();
    let url =
        pin.authorization_url(&AuthorizationRequest { client: &client, redirect_uri: "https://z.example/cb", state: "st", pkce_challenge: "ch" }).unwrap();
    let parsed = url::Url::parse(&url).unwrap();
    assert!(parsed.path().ends_with("/oauth/"), "{url}");
    let query: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
    assert_eq!(query["client_id"], pinterest::CLIENT_ID);
    assert_eq!(query["scope"], "boards:read,pins:read,pins:write,user_accounts:read");
    assert_eq!((query["response_type"].as_str(), query["state"].as_str()), ("code", "st"));

    let tokens = pin.exchange(&client, pinterest::CODE, "v", "https://z.example/cb").await.unwrap();
    assert!(tokens.access_token.expose().starts_with("pina_"));
    assert_eq!(tokens.refresh_token.as_ref().map(|t| t.expose().as_str()), Some(pinterest::REFRESH_TOKEN));
    assert!(matches!(pin.exchange(&client, "stale", "v", "https://z.example/cb").await, Err(PublishError::Permanent { .. })));
    let wrong = OAuthClient { client_secret: Some(Secret::new("nope".into())), ..client.clone() };
    match pin.exchange(&wrong, pinterest::CODE, "v", "https://z.example/cb").await {
        Err(PublishError::Permanent { message }) => assert!(message.contains("client_secret"), "{message}"),
        other => panic!("{other:?}"),
    }

    let identities = pin.identities(&client, &tokens).await.unwrap();
    let ids: Vec<&str> = identities.iter().map(|i| i.platform_account_id.as_str()).collect();
    assert_eq!(ids, vec![format!("{}/{}", pinterest::USERNAME, pinterest::BOARD_ID), format!("{}/{}", pinterest::USERNAME, pinterest::OTHER_BOARD_ID)]);
    assert_eq!((identities[0].kind.as_str(), identities[0].display_name.as_str()), ("board", "Fake Pins Co — Recipes"));

    let refreshed = pin.refresh(&client, &account(), &Secret::new(pinterest::REFRESH_TOKEN.into())).await.unwrap();
    assert_ne!(refreshed.access_token.expose(), tokens.access_token.expose());
    assert!(matches!(pin.refresh(&client, &account(), &Secret::new("revoked".into())).await, Err(PublishError::Reconnect { .. })));
    assert!(matches!(pin.revoke(&client, &account()).await, Err(PublishError::Permanent { .. })), "Pinterest has no revocation endpoint");
    let stale = Tokens { access_token: Secret::new("pina_unknown".into()), refresh_token: None, expires_at: None, scopes: vec![] };
    assert!(matches!(pin.identities(&client, &stale).await, Err(PublishError::Reconnect { .. })));
}

#[tokio::test]
async fn pins_an_image_by_url_or_by_bytes_with_title_link_and_alt_text() {
    let fake = PinterestFake::start().await;
    let pin = connector(&fake);
    let by_url = pin.publish(&account(), &request("k1", "Winter soup", "Warm and easy", vec![image(1, true)])).await.unwrap();
    pin.publish(&account(), &request("k2", "Bytes soup", "Uploaded", vec![image(2, false)])).await.unwrap();
    let pins = fake.pins();
    assert_eq!(pins.len(), 2);
    assert_eq!(by_url.platform_post_id, pins[0].id);
    assert_eq!(by_url.url, Some(format!("https://www.pinterest.com/pin/{}/", pins[0].id)));
    assert_eq!((pins[0].source_type.as_str(), pins[0].images.clone()), ("image_url", vec!["https://media.zenalto.example/i1.jpg".to_owned()]));
    assert_eq!((pins[0].title.as_deref(), pins[0].description.as_str()), (Some("Winter soup"), "Warm and easy"));
    assert_eq!((pins[0].link.as_deref(), pins[0].alt_text.as_deref()), (Some("https://example.com/soup"), Some("a bowl of soup 1")));
    assert_eq!(pins[0].board_id, pinterest::BOARD_ID);
    assert_eq!((pins[1].source_type.as_str(), pins[1].images.clone()), ("image_base64", vec![format!("{} bytes", JPEG.len())]));
}

#[tokio::test]
async fn several_images_make_a_carousel() {
    let fake = PinterestFake::start().await;
    let pin = connector(&fake);
    pin.publish(&account(), &request("k1", "Three soups", "Pick one", vec![image(1, true), image(2, true), image(3, true)])).await.unwrap();
    pin.publish(&account(), &request("k2", "Two soups", "Mixed", vec![image(1, true), image(2, false)])).await.unwrap();
    let pins = fake.pins();
    assert_eq!((pins[0].source_type.as_str(), pins[0].images.len()), ("multiple_image_urls", 3));
    assert_eq!((pins[1].source_type.as_str(), pins[1].images.len()), ("multiple_image_base64", 2), "one image without a URL: all go as bytes");
    let six: Vec<MediaAttachment> = (1..=6).map(|n| image(n, true)).collect();
    assert!(matches!(pin.publish(&account(), &request("k3", "t", "x", six)).await, Err(PublishError::Permanent { .. })));
    assert_eq!(fake.pins().len(), 2);
}

#[tokio::test]
async fn a_video_is_registered_uploaded_processed_then_pinned() {
    let fake = PinterestFake::start().await;
    fake.set_processing_polls(2);
    let pin = connector(&fake);
    let published = pin.publish(&account(), &request("k", "Soup in 10s", "Watch", vec![video(), image(1, true)])).await.unwrap();
    let pins = fake.pins();
    assert_eq!(pins.len(), 1);
    assert_eq!(published.platform_post_id, pins[0].id);
    assert_eq!(pins[0].source_type, "video_id");
    assert_eq!(pins[0].cover.as_deref(), Some("https://media.zenalto.example/i1.jpg"));
    let media = fake.media();
    assert_eq!((media[0].uploaded, media[0].polls_left), (Some(2048), 0));
    assert_eq!(pins[0].media_id.as_deref(), Some(media[0].id.as_str()));
    assert_eq!(fake.upload_fields().last().map(String::as_str), Some("file"), "the bucket's fields first, the file last");

    // No cover image: a key frame.
    pin.publish(&account(), &request("k2", "No cover", "x", vec![video()])).await.unwrap();
    assert_eq!(fake.pins()[1].cover.as_deref(), Some("key frame 0"));
}

#[tokio::test]
async fn a_video_still_processing_after_the_last_poll_is_transient_and_nothing_is_pinned() {
    let fake = PinterestFake::start().await;
    fake.set_processing_polls(50);
    let result = connector(&fake).publish(&account(), &request("k", "t", "x", vec![video()])).await;
    assert!(matches!(result, Err(PublishError::Transient { .. })), "{result:?}");
    assert!(fake.pins().is_empty());
}

#[tokio::test]
async fn malformed_pins_are_refused() {
    let fake = PinterestFake::start().await;
    let pin = connector(&fake);
    let mut thread = request("k", "t", "one", vec![image(1, true)]);
    thread.parts.push("two".into());
    let mut no_board = account();
    no_board.platform_account_id = pinterest::USERNAME.into();
    let mut webp = image(1, false);
    webp.mime = "image/webp".into();
    let cases = [
        ("thread", account(), thread),
        ("no media", account(), request("k", "t", "x", vec![])),
        ("long title", account(), request("k", &"t".repeat(101), "x", vec![image(1, true)])),
        ("long description", account(), request("k", "t", &"x".repeat(801), vec![image(1, true)])),
        ("two videos", account(), request("k", "t", "x", vec![video(), video()])),
        ("webp bytes", account(), request("k", "t", "x", vec![webp])),
        ("no board", no_board, request("k", "t", "x", vec![image(1, true)])),
    ];
    for (name, account, request) in cases {
        let result = pin.publish(&account, &request).await;
        assert!(matches!(result, Err(PublishError::Permanent { .. })), "{name}: {result:?}");
    }
    assert!(fake.pins().is_empty());
    assert!(matches!(pin.inbox(&account(), None).await, Err(PublishError::Permanent { .. })), "no inbox API");
}

#[tokio::test]
async fn errors_are_classified() {
    let now = Timestamp::now();
    let cases: Vec<(&str, Fault, Expect)> = vec![
        ("401", Fault::status(401, pinterest_error(2, "Authentication failed.")), |e| matches!(e, PublishError::Reconnect { .. })),
        (
            "scope",
            Fault::status(401, pinterest_error(3, "Not authorized to access the user with current scopes.")),
            |e| matches!(e, PublishError::Reconnect { message } if message.contains("pins:write")),
        ),
        ("403", Fault::status(403, pinterest_error(29, "You are not permitted to access that resource.")), |e| matches!(e, PublishError::Permanent { .. })),
        (
            "400",
            Fault::status(400, pinterest_error(1, "Invalid parameters.")),
            |e| matches!(e, PublishError::Permanent { message } if message.contains("Invalid parameters")),
        ),
        ("5xx", Fault::status(503, pinterest_error(7, "Service unavailable.")), |e| matches!(e, PublishError::Transient { .. })),
        ("slow", Fault::Delay(Duration::from_millis(1500)), |e| matches!(e, PublishError::Unknown { .. })),
    ];
    for (name, fault, expected) in cases {
        let fake = PinterestFake::start().await;
        fake.faults.push("POST /v5/pins", fault);
        let pin = connector_with_timeout(&fake, Duration::from_millis(500));
        let error = pin.publish(&account(), &request("k", "t", "x", vec![image(1, true)])).await.unwrap_err();
        assert!(expected(&error), "{name}: {error:?}");
        assert!(fake.pins().is_empty(), "{name}");
    }

    let fake = PinterestFake::start().await;
    fake.faults.push("POST /v5/pins", Fault::status(429, pinterest_error(8, "Rate limit exceeded.")).with_header("x-ratelimit-reset", "90"));
    match connector(&fake).publish(&account(), &request("k", "t", "x", vec![image(1, true)])).await {
        Err(PublishError::RateLimited { reset_at: Some(at), .. }) => assert!((89_000..=100_000).contains(&(at.as_millis() - now.as_millis())), "{at}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_lost_answer_is_found_on_the_board_not_pinned_twice_even_after_a_restart() {
    let fake = PinterestFake::start().await;
    fake.faults.push("POST /v5/pins", Fault::ApplyThenDelay(Duration::from_millis(1500)));
    let pin = connector_with_timeout(&fake, Duration::from_millis(500));
    let lost = request("k-lost", "Lost soup", "Found again", vec![image(1, true)]);
    let result = pin.publish(&account(), &lost).await;
    assert!(matches!(result, Err(PublishError::Unknown { .. })), "{result:?}");
    let found = pin.find_published(&account(), &lookup(&lost)).await.unwrap().expect("the Pin exists");
    assert_eq!(fake.pins().len(), 1);
    assert_eq!(found.platform_post_id, fake.pins()[0].id);

    fake.faults.push("POST /v5/pins", Fault::status(503, pinterest_error(7, "down")));
    let failed = request("k-failed", "Never", "pinned", vec![image(1, true)]);
    assert!(pin.publish(&account(), &failed).await.is_err());
    assert_eq!(pin.find_published(&account(), &lookup(&failed)).await.unwrap(), None);

    // A new process (after a restart) remembers nothing and verifies from the request alone, as
    // the engine sends it (media by id only).
    let restarted = connector(&fake);
    let verified = PublishRequest { media: Vec::new(), ..lost.clone() };
    let again = restarted.find_published(&account(), &lookup(&verified)).await.unwrap().expect("still found");
    assert_eq!(again, found);
    assert_eq!(restarted.find_published(&account(), &lookup(&request("k-never", "Never", "sent", Vec::new()))).await.unwrap(), None);
}

#[tokio::test]
async fn deletes_and_reads_metrics() {
    let fake = PinterestFake::start().await;
    let pin = connector(&fake);
    let id = pin.publish(&account(), &request("k", "t", "x", vec![image(1, true)])).await.unwrap().platform_post_id;
    let metrics = pin.post_metrics(&account(), &id).await.unwrap();
    assert_eq!((metrics.impressions, metrics.saves, metrics.clicks, metrics.comments, metrics.likes), (Some(1200), Some(70), Some(42), Some(2), Some(9)));
    let account_metrics = pin.account_metrics(&account()).await.unwrap();
    assert_eq!((account_metrics.followers, account_metrics.posts, account_metrics.impressions), (Some(4321), Some(1), Some(98_765)));
    pin.delete(&account(), &id).await.unwrap();
    assert!(fake.pins().is_empty());
    assert!(matches!(pin.delete(&account(), &id).await, Err(PublishError::Permanent { .. })));
}
