//! The Facebook Pages adapter against the Graph fake: Facebook Login with PKCE and the
//! long-lived exchange, Pages as identities, each kind of post, comments, delete, metrics, the
//! inbox and every error class.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use bytes::Bytes;
use zenalto_domain::{
    Secret, Timestamp,
    ids::{AccountId, WorkspaceId},
    publishing::Network,
};
use zenalto_fakes::{
    Fault,
    graph::{APP_ID, APP_SECRET, GraphFake},
};
use zenalto_networks::{
    AccountContext, AuthorizationRequest, Connector, InboxKind, Lookup, MediaAttachment, MediaKind,
    OAuthClient, PublishError, PublishRequest, facebook::FacebookConnector, http, pkce,
};
use zenalto_settings::NetworkSettings;

const PAGE: &str = "5550001";

struct Setup {
    fake: GraphFake,
    page_token: String,
}

async fn setup() -> Setup {
    let fake = GraphFake::start().await;
    let page_token = fake.add_page(PAGE, "Zenalto Café", "zenaltocafe");
    Setup { fake, page_token }
}

fn settings(base: &str) -> NetworkSettings {
    let mut settings = NetworkSettings {
        client_id: Some(APP_ID.into()),
        client_secret: Secret::new(APP_SECRET.into()),
        ..NetworkSettings::default()
    };
    for name in ["graph", "graph_video"] {
        settings.urls.insert(name.into(), base.into());
    }
    settings
}

fn connector(setup: &Setup) -> FacebookConnector {
    connector_with_timeout(setup, Duration::from_secs(5))
}

fn connector_with_timeout(setup: &Setup, timeout: Duration) -> FacebookConnector {
    FacebookConnector::new(&settings(setup.fake.base_url()), http::client(timeout))
        .with_polling(Duration::from_millis(5), 5)
}

fn account(setup: &Setup) -> AccountContext {
    AccountContext {
        workspace_id: WorkspaceId::new(),
        account_id: AccountId::new(),
        network: Network::Facebook,
        handle: "zenaltocafe".into(),
        platform_account_id: PAGE.into(),
        instance_url: None,
        access_token: Some(Secret::new(setup.page_token.clone())),
    }
}

fn client() -> OAuthClient {
    OAuthClient {
        client_id: APP_ID.into(),
        client_secret: Some(Secret::new(APP_SECRET.into())),
        instance_url: None,
    }
}

fn text(key: &str, parts: &[&str]) -> PublishRequest {
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

fn jpeg(id: &str, alt: Option<&str>) -> MediaAttachment {
    MediaAttachment {
        id: id.into(),
        kind: MediaKind::Image,
        mime: "image/jpeg".into(),
        file_name: format!("{id}.jpg"),
        bytes: Bytes::from_static(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, b'J', b'F', b'I', b'F']),
        alt_text: alt.map(str::to_owned),
        public_url: None,
        width: Some(100),
        height: Some(100),
        duration_ms: None,
    }
}

fn mp4(len: usize) -> MediaAttachment {
    let mut bytes = vec![
        0, 0, 0, 0x18, b'f', b't', b'y', b'p', b'i', b's', b'o', b'm',
    ];
    bytes.resize(len, 7);
    MediaAttachment {
        id: "v1".into(),
        kind: MediaKind::Video,
        mime: "video/mp4".into(),
        file_name: "clip.mp4".into(),
        bytes: Bytes::from(bytes),
        alt_text: None,
        public_url: None,
        width: None,
        height: None,
        duration_ms: Some(3000),
    }
}

fn graph_error(code: i64, message: &str) -> String {
    serde_json::json!({"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "x"}}).to_string()
}

#[tokio::test]
async fn login_uses_pkce_exchanges_for_a_long_lived_token_and_lists_pages_with_their_tokens() {
    let setup = setup().await;
    let facebook = connector(&setup);
    let pair = pkce::Pkce::generate();
    let client = client();
    let url = facebook
        .authorization_url(&AuthorizationRequest {
            client: &client,
            redirect_uri: "https://z.example/cb",
            state: "st8",
            pkce_challenge: &pair.challenge,
        })
        .unwrap();
    let parsed = url::Url::parse(&url).unwrap();
    assert_eq!(parsed.path(), "/v25.0/dialog/oauth");
    let query: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["code_challenge"], pair.challenge);
    assert!(
        query["scope"].split(',').any(|s| s == "pages_manage_posts"),
        "{}",
        query["scope"]
    );

    setup.fake.issue_code("the-code", Some(&pair.challenge));
    let tokens = facebook
        .exchange(&client, "the-code", &pair.verifier, "https://z.example/cb")
        .await
        .unwrap();
    assert!(
        tokens.access_token.expose().starts_with("long-user-token"),
        "the short-lived token was exchanged"
    );
    assert!(tokens.refresh_token.is_none());
    let in_days =
        (tokens.expires_at.unwrap().as_millis() - Timestamp::now().as_millis()) / 86_400_000;
    assert!((58..=60).contains(&in_days), "{in_days}");

    let identities = facebook.identities(&client, &tokens).await.unwrap();
    assert_eq!(identities.len(), 1);
    assert_eq!(identities[0].platform_account_id, PAGE);
    assert_eq!(identities[0].kind, "page");
    assert_eq!(identities[0].handle, "zenaltocafe");
    let page_tokens = identities[0].tokens.as_ref().unwrap();
    assert_eq!(page_tokens.access_token.expose(), &setup.page_token);
    assert!(
        page_tokens.expires_at.is_none(),
        "Page tokens from a long-lived user token do not expire"
    );

    // The code is single use, and a wrong verifier is refused.
    let again = facebook
        .exchange(&client, "the-code", &pair.verifier, "https://z.example/cb")
        .await
        .unwrap_err();
    assert!(matches!(again, PublishError::Permanent { .. }), "{again:?}");
    setup.fake.issue_code("code-2", Some(&pair.challenge));
    let wrong = facebook
        .exchange(
            &client,
            "code-2",
            "not-the-verifier",
            "https://z.example/cb",
        )
        .await
        .unwrap_err();
    assert!(matches!(wrong, PublishError::Permanent { .. }), "{wrong:?}");

    // A wrong app secret says which setting to fix.
    setup.fake.issue_code("code-3", None);
    let bad_app = OAuthClient {
        client_secret: Some(Secret::new("wrong".into())),
        ..client.clone()
    };
    let refused = facebook
        .exchange(&bad_app, "code-3", &pair.verifier, "https://z.example/cb")
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, PublishError::Permanent { message } if message.contains("networks.facebook.client_id")),
        "{refused:?}"
    );
}

#[tokio::test]
async fn refresh_re_exchanges_a_valid_token_and_sends_an_expired_one_to_reconnect() {
    let setup = setup().await;
    let facebook = connector(&setup);
    setup.fake.state().user_tokens.push("still-valid".into());
    let fresh = facebook
        .refresh(
            &client(),
            &account(&setup),
            &Secret::new("still-valid".into()),
        )
        .await
        .unwrap();
    assert!(fresh.access_token.expose().starts_with("long-user-token"));
    let gone = facebook
        .refresh(&client(), &account(&setup), &Secret::new("expired".into()))
        .await
        .unwrap_err();
    assert!(matches!(gone, PublishError::Reconnect { .. }), "{gone:?}");
}

#[tokio::test]
async fn revoke_drops_the_grant() {
    let setup = setup().await;
    let facebook = connector(&setup);
    facebook.revoke(&client(), &account(&setup)).await.unwrap();
    assert!(setup.fake.state().revoked.contains(&setup.page_token));
    let after = facebook
        .publish(&account(&setup), &text("k", &["hello"]))
        .await
        .unwrap_err();
    assert!(matches!(after, PublishError::Reconnect { .. }), "{after:?}");
}

#[tokio::test]
async fn text_with_a_link_goes_to_the_feed() {
    let setup = setup().await;
    let facebook = connector(&setup);
    let mut request = text("k1", &["Fresh croissants today"]);
    request.link = Some("https://cafe.example/menu".into());
    let published = facebook.publish(&account(&setup), &request).await.unwrap();
    assert!(published.platform_post_id.starts_with(&format!("{PAGE}_")));
    assert_eq!(
        published.url.as_deref(),
        Some(format!("https://www.facebook.com/{}", published.platform_post_id).as_str())
    );
    let state = setup.fake.state();
    let post = state
        .posts
        .iter()
        .find(|p| p.id == published.platform_post_id)
        .unwrap();
    assert_eq!(post.message, "Fresh croissants today");
    assert_eq!(post.link.as_deref(), Some("https://cafe.example/menu"));
}

#[tokio::test]
async fn one_photo_is_uploaded_with_its_alt_text_and_the_post_id_is_the_feed_post() {
    let setup = setup().await;
    let facebook = connector(&setup);
    let mut request = text("k2", &["Our terrace"]);
    request.media = vec![jpeg("m1", Some("Tables in the sun"))];
    let published = facebook.publish(&account(&setup), &request).await.unwrap();
    let state = setup.fake.state();
    let post = state
        .posts
        .iter()
        .find(|p| p.id == published.platform_post_id)
        .unwrap();
    assert_eq!(post.message, "Our terrace");
    assert_eq!(post.photos.len(), 1);
    let photo = state
        .photos
        .iter()
        .find(|p| p.id == post.photos[0])
        .unwrap();
    assert!(photo.published);
    assert_eq!(photo.alt_text.as_deref(), Some("Tables in the sun"));
    assert_eq!(photo.size, 10);
}

#[tokio::test]
async fn several_photos_are_uploaded_unpublished_and_attached_to_one_post() {
    let setup = setup().await;
    let facebook = connector(&setup);
    let mut request = text("k3", &["Three cakes"]);
    request.media = vec![
        jpeg("a", Some("lemon")),
        jpeg("b", None),
        jpeg("c", Some("chocolate")),
    ];
    let published = facebook.publish(&account(&setup), &request).await.unwrap();
    let state = setup.fake.state();
    assert_eq!(state.posts.len(), 1, "one post, not one per photo");
    let post = &state.posts[0];
    assert_eq!(post.id, published.platform_post_id);
    assert_eq!(post.photos.len(), 3);
    assert!(state.photos.iter().all(|p| !p.published && p.attached));
    assert_eq!(state.photos[2].alt_text.as_deref(), Some("chocolate"));
}

#[tokio::test]
async fn a_file_that_is_not_an_image_is_refused_for_good() {
    let setup = setup().await;
    let facebook = connector(&setup);
    let mut request = text("k4", &["Broken"]);
    let mut fake = jpeg("x", None);
    fake.bytes = Bytes::from_static(b"<html>not an image</html>");
    request.media = vec![fake];
    let error = facebook
        .publish(&account(&setup), &request)
        .await
        .unwrap_err();
    assert!(
        matches!(&error, PublishError::Permanent { message } if message.contains("x.jpg")),
        "{error:?}"
    );
    assert!(setup.fake.state().posts.is_empty());
}

#[tokio::test]
async fn a_video_goes_up_in_the_chunks_facebook_asks_for_and_is_polled_until_ready() {
    let setup = setup().await;
    setup.fake.state().processing_polls = 2;
    setup.fake.state().video_chunk = 1000;
    let facebook = connector(&setup);
    let mut request = text("k5", &["Latte art in motion"]);
    request.media = vec![mp4(2500)];
    request.title = Some("Latte art".into());
    let published = facebook.publish(&account(&setup), &request).await.unwrap();
    let state = setup.fake.state();
    let video = state
        .videos
        .iter()
        .find(|v| v.id == published.platform_post_id)
        .unwrap();
    assert!(video.finished);
    assert_eq!(video.received.len(), 2500, "every chunk arrived once");
    assert_eq!(video.received, mp4(2500).bytes.to_vec());
    assert_eq!(video.description, "Latte art in motion");
    assert_eq!(video.title.as_deref(), Some("Latte art"));
    assert_eq!(video.polls_left, 0, "polled until ready");
}

#[tokio::test]
async fn a_video_still_processing_after_the_checks_counts_as_published_not_retried() {
    let setup = setup().await;
    setup.fake.state().processing_polls = 50;
    let facebook = connector(&setup);
    let mut request = text("k6", &["Slow video"]);
    request.media = vec![mp4(300)];
    let published = facebook.publish(&account(&setup), &request).await.unwrap();
    assert_eq!(
        setup
            .fake
            .state()
            .videos
            .iter()
            .filter(|v| v.finished)
            .count(),
        1
    );
    assert!(!published.platform_post_id.is_empty());
}

#[tokio::test]
async fn later_parts_become_comments_and_the_first_comment_follows() {
    let setup = setup().await;
    let facebook = connector(&setup);
    let mut request = text("k7", &["Part one", "Part two", "Part three"]);
    request.first_comment = Some("Menu in the link".into());
    let published = facebook.publish(&account(&setup), &request).await.unwrap();
    let state = setup.fake.state();
    let comments: Vec<&str> = state
        .comments_on(&published.platform_post_id)
        .iter()
        .map(|c| c.message.as_str())
        .collect();
    assert_eq!(comments, ["Part two", "Part three", "Menu in the link"]);
}

#[tokio::test]
async fn a_failing_later_part_deletes_the_post_so_a_retry_starts_clean() {
    let setup = setup().await;
    let facebook = connector(&setup);
    setup.fake.faults.push_after(
        "POST /comments",
        1,
        Fault::status(500, graph_error(2, "Service temporarily unavailable")),
    );
    let error = facebook
        .publish(&account(&setup), &text("k8", &["One", "Two", "Three"]))
        .await
        .unwrap_err();
    assert!(matches!(error, PublishError::Transient { .. }), "{error:?}");
    assert!(
        setup.fake.state().live_posts().is_empty(),
        "the post was rolled back"
    );
    // The retry publishes the whole thing once.
    facebook
        .publish(&account(&setup), &text("k8", &["One", "Two", "Three"]))
        .await
        .unwrap();
    let state = setup.fake.state();
    assert_eq!(state.live_posts().len(), 1);
    assert_eq!(state.comments_on(&state.live_posts()[0].id).len(), 2);
}

#[tokio::test]
async fn a_roll_back_that_fails_names_the_post_left_behind() {
    let setup = setup().await;
    let facebook = connector(&setup);
    setup
        .fake
        .faults
        .push("POST /comments", Fault::status(500, graph_error(2, "down")));
    setup
        .fake
        .faults
        .push("DELETE /{id}", Fault::status(500, graph_error(2, "down")));
    let error = facebook
        .publish(&account(&setup), &text("k9", &["One", "Two"]))
        .await
        .unwrap_err();
    let post = setup.fake.state().posts[0].id.clone();
    assert!(
        matches!(&error, PublishError::Permanent { message } if message.contains(&post)),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_failed_first_comment_leaves_the_post_published() {
    let setup = setup().await;
    let facebook = connector(&setup);
    setup
        .fake
        .faults
        .push("POST /comments", Fault::status(500, graph_error(2, "down")));
    let mut request = text("k10", &["Hello"]);
    request.first_comment = Some("first!".into());
    let published = facebook.publish(&account(&setup), &request).await.unwrap();
    let state = setup.fake.state();
    assert_eq!(state.live_posts().len(), 1);
    assert!(state.comments_on(&published.platform_post_id).is_empty());
}

#[tokio::test]
async fn delete_removes_the_post() {
    let setup = setup().await;
    let facebook = connector(&setup);
    let published = facebook
        .publish(&account(&setup), &text("k11", &["Bye"]))
        .await
        .unwrap();
    facebook
        .delete(&account(&setup), &published.platform_post_id)
        .await
        .unwrap();
    assert!(setup.fake.state().live_posts().is_empty());
    let again = facebook
        .delete(&account(&setup), &published.platform_post_id)
        .await
        .unwrap_err();
    assert!(matches!(again, PublishError::Permanent { .. }), "{again:?}");
}

#[tokio::test]
async fn find_published_recognises_the_attempts_post_by_its_text() {
    let setup = setup().await;
    let facebook = connector_with_timeout(&setup, Duration::from_millis(300));
    // The answer is lost after the post was made.
    setup.fake.faults.push(
        "POST /feed",
        Fault::ApplyThenDelay(Duration::from_millis(800)),
    );
    let lost = text("lost", &["Did this go out?"]);
    let error = facebook.publish(&account(&setup), &lost).await.unwrap_err();
    assert!(matches!(error, PublishError::Unknown { .. }), "{error:?}");
    let found = facebook
        .find_published(&account(&setup), &lookup(&lost))
        .await
        .unwrap()
        .expect("the post exists");
    assert_eq!(found.platform_post_id, setup.fake.state().posts[0].id);

    // A new process (after a restart) remembers nothing and still finds it from the request.
    let restarted = connector(&setup);
    let found = restarted
        .find_published(&account(&setup), &lookup(&lost))
        .await
        .unwrap()
        .expect("still found");
    assert_eq!(found.platform_post_id, setup.fake.state().posts[0].id);
    let never = text("never", &["Never sent"]);
    assert_eq!(
        restarted
            .find_published(&account(&setup), &lookup(&never))
            .await
            .unwrap(),
        None
    );
    // The same text posted well before the attempt began is not the attempt's post.
    let later = Lookup {
        attempted_at: Timestamp::now().plus_seconds(3600),
        ..lookup(&lost)
    };
    assert_eq!(
        restarted
            .find_published(&account(&setup), &later)
            .await
            .unwrap(),
        None
    );

    // An attempt whose post did not appear is reported as not published (really checked).
    setup
        .fake
        .faults
        .push("POST /feed", Fault::status(503, graph_error(2, "down")));
    let failed = text("failed", &["Never made"]);
    facebook
        .publish(&account(&setup), &failed)
        .await
        .unwrap_err();
    assert!(
        facebook
            .find_published(&account(&setup), &lookup(&failed))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn metrics_read_counts_and_insights() {
    let setup = setup().await;
    let facebook = connector(&setup);
    let published = facebook
        .publish(&account(&setup), &text("m", &["Counted"]))
        .await
        .unwrap();
    setup.fake.state().posts[0].likes = 9;
    setup
        .fake
        .state()
        .add_comment(&published.platform_post_id, "u1", "Ana", "nice", 1);
    let metrics = facebook
        .post_metrics(&account(&setup), &published.platform_post_id)
        .await
        .unwrap();
    assert_eq!(metrics.likes, Some(9));
    assert_eq!(metrics.comments, Some(1));
    assert_eq!(metrics.shares, Some(1));
    assert_eq!(metrics.impressions, Some(100));
    assert_eq!(metrics.reach, Some(80));
    assert_eq!(metrics.clicks, Some(16));
    let page = facebook.account_metrics(&account(&setup)).await.unwrap();
    assert_eq!(page.followers, Some(1234));
}

#[tokio::test]
async fn metrics_keep_the_counts_when_insights_are_refused() {
    let setup = setup().await;
    let facebook = connector(&setup);
    let published = facebook
        .publish(&account(&setup), &text("m2", &["Small page"]))
        .await
        .unwrap();
    setup.fake.faults.push(
        "GET /insights",
        Fault::status(
            400,
            graph_error(100, "(#100) The value must be a valid insights metric"),
        ),
    );
    let metrics = facebook
        .post_metrics(&account(&setup), &published.platform_post_id)
        .await
        .unwrap();
    assert_eq!(metrics.likes, Some(0));
    assert_eq!(
        (metrics.reach, metrics.clicks),
        (None, None),
        "the refused call's figures are empty"
    );
    assert_eq!(
        metrics.impressions,
        Some(100),
        "the views, asked separately, survive"
    );

    // A token problem is not swallowed.
    setup.fake.faults.push(
        "GET /insights",
        Fault::status(400, graph_error(190, "Session has expired")),
    );
    let expired = facebook
        .post_metrics(&account(&setup), &published.platform_post_id)
        .await
        .unwrap_err();
    assert!(
        matches!(expired, PublishError::Reconnect { .. }),
        "{expired:?}"
    );
}

#[tokio::test]
async fn the_inbox_lists_others_comments_and_replies_once_and_a_reply_lands_under_the_comment() {
    let setup = setup().await;
    let facebook = connector(&setup);
    let published = facebook
        .publish(&account(&setup), &text("i", &["Ask us anything"]))
        .await
        .unwrap();
    let post = published.platform_post_id.clone();
    let now = zenalto_fakes::graph::now_secs();
    let question = setup
        .fake
        .state()
        .add_comment(&post, "u1", "Ana", "Open on Sunday?", now - 60);
    setup
        .fake
        .state()
        .add_comment(&question, "u2", "Ben", "Also wondering", now - 30);

    let page = facebook.inbox(&account(&setup), None).await.unwrap();
    assert_eq!(page.items.len(), 2);
    let first = &page.items[0];
    assert_eq!(
        (
            first.kind,
            first.text.as_str(),
            first.author.as_str(),
            first.thread_id.as_str()
        ),
        (InboxKind::Comment, "Open on Sunday?", "Ana", post.as_str())
    );
    assert_eq!(page.items[1].kind, InboxKind::Reply);
    assert_eq!(
        page.items[1].in_reply_to.as_deref(),
        Some(question.as_str())
    );

    let reply = facebook
        .reply(&account(&setup), first, "Yes, 9 to 5")
        .await
        .unwrap();
    let answer = setup
        .fake
        .state()
        .comments
        .iter()
        .find(|c| c.id == reply.platform_post_id)
        .cloned()
        .unwrap();
    assert_eq!(
        (answer.parent.as_str(), answer.from_id.as_str()),
        (question.as_str(), PAGE)
    );

    let next = facebook
        .inbox(&account(&setup), page.cursor.as_deref())
        .await
        .unwrap();
    assert!(
        next.items.is_empty(),
        "nothing new, and the Page's own reply is not inbox: {:?}",
        next.items
    );
}

#[tokio::test]
async fn messenger_messages_join_the_inbox_and_are_answered_through_the_send_api() {
    let setup = setup().await;
    let facebook = connector(&setup);
    let now = zenalto_fakes::graph::now_secs();
    let (conversation, _) =
        setup
            .fake
            .state()
            .add_message(PAGE, "psid-7", "Carla", "Do you deliver?", now - 100);
    let page = facebook.inbox(&account(&setup), None).await.unwrap();
    assert_eq!(page.items.len(), 1);
    let dm = &page.items[0];
    assert_eq!(
        (
            dm.kind,
            dm.thread_id.as_str(),
            dm.author_id.as_str(),
            dm.author.as_str(),
            dm.text.as_str()
        ),
        (
            InboxKind::DirectMessage,
            conversation.as_str(),
            "psid-7",
            "Carla",
            "Do you deliver?"
        )
    );
    facebook
        .reply(&account(&setup), dm, "Yes, within 5 km")
        .await
        .unwrap();
    let sent = setup.fake.state().conversations[0]
        .messages
        .last()
        .cloned()
        .unwrap();
    assert_eq!(
        (sent.from_id.as_str(), sent.text.as_str()),
        (PAGE, "Yes, within 5 km")
    );
    assert!(
        facebook
            .inbox(&account(&setup), page.cursor.as_deref())
            .await
            .unwrap()
            .items
            .is_empty(),
        "the Page's answer is not inbox"
    );

    // Past Meta's 24-hour window the answer is refused for good (not a reconnect).
    setup
        .fake
        .state()
        .add_message(PAGE, "psid-8", "Dan", "Hello?", now - 2 * 86_400);
    let old = facebook
        .inbox(&account(&setup), None)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.author_id == "psid-8")
        .unwrap();
    let late = facebook
        .reply(&account(&setup), &old, "Sorry")
        .await
        .unwrap_err();
    assert!(
        matches!(&late, PublishError::Permanent { message } if message.contains("24 hours")),
        "{late:?}"
    );
}

#[tokio::test]
async fn without_pages_messaging_the_inbox_still_carries_the_comments() {
    let setup = setup().await;
    let facebook = connector(&setup);
    let published = facebook
        .publish(&account(&setup), &text("pm", &["Hello"]))
        .await
        .unwrap();
    setup.fake.state().add_comment(
        &published.platform_post_id,
        "u1",
        "Ana",
        "Hi!",
        zenalto_fakes::graph::now_secs(),
    );
    setup.fake.state().messaging_granted = false;
    let page = facebook.inbox(&account(&setup), None).await.unwrap();
    assert_eq!(page.items.len(), 1);
    assert_eq!(page.items[0].kind, InboxKind::Comment);
}

#[tokio::test]
async fn each_error_class_is_classified() {
    let setup = setup().await;
    let facebook = connector(&setup);
    let now = Timestamp::now();
    let usage = r#"{"5550001":[{"type":"pages","call_count":100,"total_cputime":10,"total_time":10,"estimated_time_to_regain_access":12}]}"#;
    let cases: Vec<(Fault, &str)> = vec![
        (
            Fault::status(
                401,
                graph_error(190, "Error validating access token: Session has expired"),
            ),
            "reconnect",
        ),
        (
            Fault::status(
                403,
                graph_error(
                    200,
                    "(#200) Requires pages_manage_posts permission to manage the object",
                ),
            ),
            "reconnect:pages_manage_posts",
        ),
        (
            Fault::status(400, graph_error(32, "Page request limit reached"))
                .with_header("x-business-use-case-usage", usage),
            "rate:720",
        ),
        (
            Fault::status(429, graph_error(4, "Application request limit reached"))
                .with_header("retry-after", "90"),
            "app:90",
        ),
        (
            Fault::status(500, graph_error(2, "Service temporarily unavailable")),
            "transient",
        ),
        (Fault::status(502, "<html>bad gateway</html>"), "transient"),
        (
            Fault::status(
                400,
                graph_error(368, "The action attempted has been deemed abusive"),
            ),
            "permanent",
        ),
        (
            Fault::status(400, graph_error(506, "Duplicate status message")),
            "permanent:duplicate",
        ),
    ];
    for (fault, want) in cases {
        setup.fake.faults.push("POST /feed", fault);
        let error = facebook
            .publish(&account(&setup), &text("e", &["x"]))
            .await
            .unwrap_err();
        let (kind, detail) = want.split_once(':').unwrap_or((want, ""));
        match (&error, kind) {
            (PublishError::Reconnect { message }, "reconnect") => {
                assert!(message.contains(detail), "{message}")
            }
            (PublishError::RateLimited { reset_at, .. }, "rate") => {
                let wait = (reset_at.unwrap().as_millis() - now.as_millis()) / 1000;
                let want: i64 = detail.parse().unwrap();
                assert!((want..want + 5).contains(&wait), "{want}: {wait}");
            }
            (PublishError::AppRateLimited { reset_at, .. }, "app") => {
                let wait = (reset_at.unwrap().as_millis() - now.as_millis()) / 1000;
                let want: i64 = detail.parse().unwrap();
                assert!((want..want + 5).contains(&wait), "{want}: {wait}");
            }
            (PublishError::Transient { .. }, "transient") => {}
            (PublishError::Permanent { message }, "permanent") => {
                assert!(message.contains(detail), "{message}")
            }
            _ => panic!("{want}: {error:?}"),
        }
    }
    assert!(setup.fake.state().posts.is_empty());
}

#[tokio::test]
async fn a_slow_answer_is_unknown_and_a_duplicate_is_refused_by_the_fake() {
    let setup = setup().await;
    let facebook = connector_with_timeout(&setup, Duration::from_millis(200));
    setup
        .fake
        .faults
        .push("POST /feed", Fault::Delay(Duration::from_millis(600)));
    let error = facebook
        .publish(&account(&setup), &text("slow", &["Slow"]))
        .await
        .unwrap_err();
    assert!(matches!(error, PublishError::Unknown { .. }), "{error:?}");

    let facebook = connector(&setup);
    facebook
        .publish(&account(&setup), &text("d1", &["Same words"]))
        .await
        .unwrap();
    let duplicate = facebook
        .publish(&account(&setup), &text("d2", &["Same words"]))
        .await
        .unwrap_err();
    assert!(
        matches!(&duplicate, PublishError::Permanent { message } if message.contains("duplicate")),
        "{duplicate:?}"
    );
}

#[tokio::test]
async fn malformed_input_is_refused_before_anything_is_posted() {
    let setup = setup().await;
    let facebook = connector(&setup);
    let empty = facebook
        .publish(&account(&setup), &text("x", &[""]))
        .await
        .unwrap_err();
    assert!(matches!(empty, PublishError::Permanent { .. }), "{empty:?}");
    let mut mixed = text("y", &["both"]);
    mixed.media = vec![jpeg("a", None), mp4(100)];
    let both = facebook
        .publish(&account(&setup), &mixed)
        .await
        .unwrap_err();
    assert!(matches!(both, PublishError::Permanent { .. }), "{both:?}");
    let mut no_page = account(&setup);
    no_page.platform_account_id.clear();
    assert!(matches!(
        facebook
            .publish(&no_page, &text("z", &["hi"]))
            .await
            .unwrap_err(),
        PublishError::Reconnect { .. }
    ));
    assert!(setup.fake.state().posts.is_empty());
}
