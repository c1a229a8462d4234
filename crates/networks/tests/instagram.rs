//! The Instagram adapter (Instagram API with Facebook Login) against the Graph fake: accounts
//! linked to Pages, the container flow for images, carousels and Reels with status polling, the
//! publishing quota, comments, delete, metrics, the inbox and every error class.
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
    graph::{APP_ID, APP_SECRET, GraphFake, now_secs},
};
use zenalto_networks::{
    AccountContext, Connector, InboxKind, Lookup, MediaAttachment, MediaKind, OAuthClient,
    PublishError, PublishRequest, http, instagram::InstagramConnector, pkce,
};
use zenalto_settings::NetworkSettings;

const PAGE: &str = "5550001";
const IG: &str = "17841400000000001";

struct Setup {
    fake: GraphFake,
    page_token: String,
}

async fn setup() -> Setup {
    let fake = GraphFake::start().await;
    let page_token = fake.add_page(PAGE, "Zenalto Café", "zenaltocafe");
    fake.link_instagram(PAGE, IG, "zenalto.cafe");
    Setup { fake, page_token }
}

fn connector(setup: &Setup) -> InstagramConnector {
    connector_with_timeout(setup, Duration::from_secs(5))
}

fn connector_with_timeout(setup: &Setup, timeout: Duration) -> InstagramConnector {
    let mut settings = NetworkSettings {
        client_id: Some(APP_ID.into()),
        client_secret: Secret::new(APP_SECRET.into()),
        ..NetworkSettings::default()
    };
    settings
        .urls
        .insert("graph".into(), setup.fake.base_url().into());
    InstagramConnector::new(&settings, http::client(timeout))
        .with_polling(Duration::from_millis(5), 5)
}

fn account(setup: &Setup) -> AccountContext {
    AccountContext {
        workspace_id: WorkspaceId::new(),
        account_id: AccountId::new(),
        network: Network::Instagram,
        handle: "zenalto.cafe".into(),
        platform_account_id: IG.into(),
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

fn media(id: &str, kind: MediaKind, alt: Option<&str>) -> MediaAttachment {
    let (mime, bytes): (&str, &'static [u8]) = match kind {
        MediaKind::Video => ("video/mp4", b"\0\0\0\x18ftypisom"),
        _ => ("image/jpeg", &[0xFF, 0xD8, 0xFF, 0xE0]),
    };
    MediaAttachment {
        id: id.into(),
        kind,
        mime: mime.into(),
        file_name: format!("{id}.bin"),
        bytes: Bytes::from_static(bytes),
        alt_text: alt.map(str::to_owned),
        public_url: Some(format!("https://z.example/media/{id}?sig=abc")),
        width: None,
        height: None,
        duration_ms: None,
    }
}

fn post(key: &str, caption: &str, media: Vec<MediaAttachment>) -> PublishRequest {
    PublishRequest {
        idempotency_key: key.into(),
        parts: vec![caption.into()],
        media,
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

fn graph_error(code: i64, subcode: Option<i64>, message: &str) -> String {
    serde_json::json!({"error": {"message": message, "type": "OAuthException", "code": code, "error_subcode": subcode, "fbtrace_id": "x"}}).to_string()
}

#[tokio::test]
async fn identities_are_the_instagram_accounts_linked_to_the_pages_with_the_page_token() {
    let setup = setup().await;
    setup.fake.add_page("5550002", "No Instagram here", "plain");
    let instagram = connector(&setup);
    let pair = pkce::Pkce::generate();
    let client = client();
    let url = instagram
        .authorization_url(&zenalto_networks::AuthorizationRequest {
            client: &client,
            redirect_uri: "https://z.example/cb",
            state: "s",
            pkce_challenge: &pair.challenge,
        })
        .unwrap();
    assert!(
        url.contains("instagram_content_publish") && url.contains("code_challenge_method=S256"),
        "{url}"
    );
    setup.fake.issue_code("c", Some(&pair.challenge));
    let tokens = instagram
        .exchange(&client, "c", &pair.verifier, "https://z.example/cb")
        .await
        .unwrap();
    let identities = instagram.identities(&client, &tokens).await.unwrap();
    assert_eq!(identities.len(), 1, "only the Page with a linked account");
    let only = &identities[0];
    assert_eq!(
        (
            only.platform_account_id.as_str(),
            only.handle.as_str(),
            only.kind.as_str()
        ),
        (IG, "zenalto.cafe", "business")
    );
    assert_eq!(
        only.tokens.as_ref().unwrap().access_token.expose(),
        &setup.page_token
    );
}

#[tokio::test]
async fn one_image_goes_through_a_container_with_caption_and_alt_text() {
    let setup = setup().await;
    let instagram = connector(&setup);
    let published = instagram
        .publish(
            &account(&setup),
            &post(
                "k1",
                "Morning light #coffee",
                vec![media("a", MediaKind::Image, Some("A cup by the window"))],
            ),
        )
        .await
        .unwrap();
    assert_eq!(
        published.url.as_deref(),
        Some(
            format!(
                "https://www.instagram.com/p/fake{}/",
                published.platform_post_id
            )
            .as_str()
        )
    );
    let state = setup.fake.state();
    let made = state
        .live_media()
        .into_iter()
        .find(|m| m.id == published.platform_post_id)
        .cloned()
        .unwrap();
    assert_eq!(made.caption, "Morning light #coffee");
    assert_eq!(made.media_type, "IMAGE");
    assert_eq!(made.urls, ["https://z.example/media/a?sig=abc"]);
    assert_eq!(made.alt_texts, [Some("A cup by the window".to_owned())]);
}

#[tokio::test]
async fn a_reel_is_polled_until_finished_before_publishing() {
    let setup = setup().await;
    setup.fake.state().processing_polls = 3;
    let instagram = connector(&setup);
    let published = instagram
        .publish(
            &account(&setup),
            &post("k2", "Pour-over", vec![media("v", MediaKind::Video, None)]),
        )
        .await
        .unwrap();
    let state = setup.fake.state();
    let made = state
        .live_media()
        .into_iter()
        .find(|m| m.id == published.platform_post_id)
        .cloned()
        .unwrap();
    assert_eq!(made.media_type, "REELS");
    assert_eq!(made.urls, ["https://z.example/media/v?sig=abc"]);
}

#[tokio::test]
async fn a_carousel_mixes_images_and_a_video_and_counts_as_one_post() {
    let setup = setup().await;
    setup.fake.state().processing_polls = 2;
    let instagram = connector(&setup);
    let items = vec![
        media("a", MediaKind::Image, Some("first")),
        media("v", MediaKind::Video, None),
        media("b", MediaKind::Image, None),
    ];
    let published = instagram
        .publish(&account(&setup), &post("k3", "Three views", items))
        .await
        .unwrap();
    let state = setup.fake.state();
    assert_eq!(state.live_media().len(), 1);
    let made = state.live_media()[0].clone();
    assert_eq!(made.id, published.platform_post_id);
    assert_eq!(made.media_type, "CAROUSEL");
    assert_eq!(made.caption, "Three views");
    assert_eq!(made.urls.len(), 3);
    assert_eq!(made.alt_texts[0].as_deref(), Some("first"));
}

#[tokio::test]
async fn media_without_a_public_url_is_refused_with_what_to_configure() {
    let setup = setup().await;
    let instagram = connector(&setup);
    let mut private = media("a", MediaKind::Image, None);
    private.public_url = None;
    let error = instagram
        .publish(&account(&setup), &post("k4", "x", vec![private]))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, PublishError::Permanent { message } if message.contains("server.public_url")),
        "{error:?}"
    );
    let none = instagram
        .publish(&account(&setup), &post("k5", "text only", Vec::new()))
        .await
        .unwrap_err();
    assert!(matches!(none, PublishError::Permanent { .. }), "{none:?}");
    let eleven = (0..11)
        .map(|i| media(&format!("m{i}"), MediaKind::Image, None))
        .collect();
    let too_many = instagram
        .publish(&account(&setup), &post("k6", "x", eleven))
        .await
        .unwrap_err();
    assert!(
        matches!(too_many, PublishError::Permanent { .. }),
        "{too_many:?}"
    );
    assert!(setup.fake.state().containers.is_empty(), "nothing was sent");
}

#[tokio::test]
async fn a_container_instagram_cannot_process_is_permanent_and_a_slow_one_transient() {
    let setup = setup().await;
    let instagram = connector(&setup);
    setup.fake.state().container_error = Some("ERROR: the image could not be downloaded".into());
    let error = instagram
        .publish(
            &account(&setup),
            &post("k7", "x", vec![media("a", MediaKind::Image, None)]),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, PublishError::Permanent { .. }), "{error:?}");

    setup.fake.state().container_error = None;
    setup.fake.state().processing_polls = 100;
    let slow = instagram
        .publish(
            &account(&setup),
            &post("k8", "x", vec![media("v", MediaKind::Video, None)]),
        )
        .await
        .unwrap_err();
    assert!(matches!(slow, PublishError::Transient { .. }), "{slow:?}");
    assert!(
        setup.fake.state().live_media().is_empty(),
        "nothing was published"
    );
}

#[tokio::test]
async fn an_exhausted_publishing_quota_is_said_before_any_container() {
    let setup = setup().await;
    setup.fake.state().ig_quota_total = 1;
    let instagram = connector(&setup);
    instagram
        .publish(
            &account(&setup),
            &post("q1", "first", vec![media("a", MediaKind::Image, None)]),
        )
        .await
        .unwrap();
    let containers = setup.fake.state().containers.len();
    let error = instagram
        .publish(
            &account(&setup),
            &post("q2", "second", vec![media("b", MediaKind::Image, None)]),
        )
        .await
        .unwrap_err();
    match &error {
        PublishError::RateLimited { message, reset_at } => {
            assert!(
                message.contains("1 posts") && message.contains("24 hours"),
                "{message}"
            );
            assert!(reset_at.is_some());
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        setup.fake.state().containers.len(),
        containers,
        "no container was made"
    );
}

#[tokio::test]
async fn the_quota_error_of_media_publish_is_rate_limited_too() {
    let setup = setup().await;
    let instagram = connector(&setup);
    setup.fake.faults.push(
        "POST /media_publish",
        Fault::status(
            400,
            graph_error(9, Some(2_207_042), "Application request limit reached"),
        ),
    );
    let error = instagram
        .publish(
            &account(&setup),
            &post("q3", "x", vec![media("a", MediaKind::Image, None)]),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, PublishError::RateLimited { .. }),
        "{error:?}"
    );
}

#[tokio::test]
async fn later_parts_and_the_first_comment_are_comments_and_a_failure_rolls_back() {
    let setup = setup().await;
    let instagram = connector(&setup);
    let mut request = post("c1", "Caption", vec![media("a", MediaKind::Image, None)]);
    request.parts.push("More in the comments".into());
    request.first_comment = Some("#coffee #morning".into());
    let published = instagram.publish(&account(&setup), &request).await.unwrap();
    let comments: Vec<String> = setup
        .fake
        .state()
        .comments_on(&published.platform_post_id)
        .iter()
        .map(|c| c.message.clone())
        .collect();
    assert_eq!(comments, ["More in the comments", "#coffee #morning"]);

    setup.fake.faults.push(
        "POST /comments",
        Fault::status(500, graph_error(2, None, "down")),
    );
    let mut request = post("c2", "Another", vec![media("b", MediaKind::Image, None)]);
    request.parts.push("part two".into());
    let error = instagram
        .publish(&account(&setup), &request)
        .await
        .unwrap_err();
    assert!(matches!(error, PublishError::Transient { .. }), "{error:?}");
    assert_eq!(
        setup.fake.state().live_media().len(),
        1,
        "the second post was deleted again"
    );
}

#[tokio::test]
async fn delete_and_find_published_even_after_a_restart() {
    let setup = setup().await;
    let instagram = connector_with_timeout(&setup, Duration::from_millis(300));
    setup.fake.faults.push(
        "POST /media_publish",
        Fault::ApplyThenDelay(Duration::from_millis(800)),
    );
    let request = post(
        "lost",
        "Was it posted?",
        vec![media("a", MediaKind::Image, None)],
    );
    let lost = instagram
        .publish(&account(&setup), &request)
        .await
        .unwrap_err();
    assert!(matches!(lost, PublishError::Unknown { .. }), "{lost:?}");
    let found = instagram
        .find_published(&account(&setup), &lookup(&request))
        .await
        .unwrap()
        .expect("it was");
    assert!(found.url.is_some());

    // A new process (after a restart) verifies from the request alone, as the engine builds it:
    // media by id, no bytes.
    let restarted = connector(&setup);
    let verified = PublishRequest {
        media: Vec::new(),
        media_ids: vec!["a".into()],
        ..request.clone()
    };
    let again = restarted
        .find_published(&account(&setup), &lookup(&verified))
        .await
        .unwrap()
        .expect("still found");
    assert_eq!(again, found);
    let never = post("never", "Never sent", Vec::new());
    assert_eq!(
        restarted
            .find_published(&account(&setup), &lookup(&never))
            .await
            .unwrap(),
        None
    );
    instagram
        .delete(&account(&setup), &found.platform_post_id)
        .await
        .unwrap();
    assert!(setup.fake.state().live_media().is_empty());
    assert!(
        instagram
            .find_published(&account(&setup), &lookup(&request))
            .await
            .unwrap()
            .is_none(),
        "deleted, so not found"
    );
}

#[tokio::test]
async fn metrics_come_from_insights_or_the_counts() {
    let setup = setup().await;
    let instagram = connector(&setup);
    let published = instagram
        .publish(
            &account(&setup),
            &post("m", "Measured", vec![media("a", MediaKind::Image, None)]),
        )
        .await
        .unwrap();
    setup.fake.state().ig_media[0].likes = 4;
    let metrics = instagram
        .post_metrics(&account(&setup), &published.platform_post_id)
        .await
        .unwrap();
    assert_eq!(
        (
            metrics.likes,
            metrics.reach,
            metrics.saves,
            metrics.impressions,
            metrics.shares
        ),
        (Some(4), Some(50), Some(3), Some(120), Some(2))
    );
    setup.fake.faults.push(
        "GET /insights",
        Fault::status(400, graph_error(100, None, "(#100) invalid metric")),
    );
    let counts = instagram
        .post_metrics(&account(&setup), &published.platform_post_id)
        .await
        .unwrap();
    assert_eq!(
        (counts.likes, counts.comments, counts.reach),
        (Some(4), Some(0), None)
    );
    let whole = instagram.account_metrics(&account(&setup)).await.unwrap();
    assert_eq!(
        (whole.followers, whole.following, whole.posts),
        (Some(321), Some(12), Some(1))
    );
}

#[tokio::test]
async fn the_inbox_lists_others_comments_and_replies_and_a_reply_answers_under_the_comment() {
    let setup = setup().await;
    let instagram = connector(&setup);
    let published = instagram
        .publish(
            &account(&setup),
            &post("i", "Ask away", vec![media("a", MediaKind::Image, None)]),
        )
        .await
        .unwrap();
    let media_id = published.platform_post_id.clone();
    let comment = setup.fake.state().add_comment(
        &media_id,
        "ig-user-9",
        "ana.b",
        "Vegan options?",
        now_secs() - 20,
    );
    setup
        .fake
        .state()
        .add_comment(&comment, "ig-user-10", "ben.c", "+1", now_secs() - 10);
    let page = instagram.inbox(&account(&setup), None).await.unwrap();
    assert_eq!(page.items.len(), 2);
    let first = &page.items[0];
    assert_eq!(
        (
            first.kind,
            first.text.as_str(),
            first.author.as_str(),
            first.thread_id.as_str()
        ),
        (
            InboxKind::Comment,
            "Vegan options?",
            "ana.b",
            media_id.as_str()
        )
    );
    let second = &page.items[1];
    assert_eq!(
        (
            second.kind,
            second.in_reply_to.as_deref(),
            second.thread_id.as_str()
        ),
        (InboxKind::Reply, Some(comment.as_str()), media_id.as_str())
    );

    let reply = instagram
        .reply(&account(&setup), second, "Yes, oat milk too")
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
        (comment.as_str(), IG),
        "answered under the comment, as the account"
    );
    let next = instagram
        .inbox(&account(&setup), page.cursor.as_deref())
        .await
        .unwrap();
    assert!(next.items.is_empty(), "{:?}", next.items);
}

#[tokio::test]
async fn direct_messages_join_the_inbox_once_and_are_answered_with_a_message() {
    let setup = setup().await;
    let instagram = connector(&setup);
    let now = now_secs();
    let published = instagram
        .publish(
            &account(&setup),
            &post("dm", "Ask away", vec![media("a", MediaKind::Image, None)]),
        )
        .await
        .unwrap();
    setup.fake.state().add_comment(
        &published.platform_post_id,
        "ig-user-9",
        "ana.b",
        "Open today?",
        now - 30,
    );
    let (conversation, message) =
        setup
            .fake
            .state()
            .add_ig_message(IG, "igsid-7", "carla.d", "Do you deliver?", now - 10);
    // A Messenger conversation of the same Page is not the Instagram account's.
    setup
        .fake
        .state()
        .add_message(PAGE, "psid-1", "Eve", "Messenger only", now - 5);

    let page = instagram.inbox(&account(&setup), None).await.unwrap();
    assert_eq!(page.items.len(), 2, "{:?}", page.items);
    assert_eq!(page.items[0].kind, InboxKind::Comment);
    let dm = &page.items[1];
    assert_eq!(
        (
            dm.kind,
            dm.platform_id.as_str(),
            dm.thread_id.as_str(),
            dm.author_id.as_str(),
            dm.author.as_str(),
            dm.text.as_str(),
            dm.in_reply_to.as_deref()
        ),
        (
            InboxKind::DirectMessage,
            message.as_str(),
            conversation.as_str(),
            "igsid-7",
            "carla.d",
            "Do you deliver?",
            None
        )
    );
    assert_eq!(
        page.cursor.as_deref(),
        Some((now - 10).to_string().as_str()),
        "the cursor is the newest item's time"
    );

    let sent = instagram
        .reply(&account(&setup), dm, "Yes, within 5 km")
        .await
        .unwrap();
    let answer = setup
        .fake
        .state()
        .conversations
        .iter()
        .find(|c| c.id == conversation)
        .and_then(|c| c.messages.last().cloned())
        .unwrap();
    assert_eq!(
        (
            answer.id.as_str(),
            answer.from_id.as_str(),
            answer.text.as_str()
        ),
        (sent.platform_post_id.as_str(), IG, "Yes, within 5 km"),
        "a direct message from the account to the person who wrote"
    );
    assert!(
        setup
            .fake
            .state()
            .comments_on(&published.platform_post_id)
            .iter()
            .all(|c| c.from_id != IG),
        "no comment was made"
    );

    // The account's own answer is not inbox, and nothing older than the cursor comes back.
    let next = instagram
        .inbox(&account(&setup), page.cursor.as_deref())
        .await
        .unwrap();
    assert!(next.items.is_empty(), "{:?}", next.items);
    let (_, later) =
        setup
            .fake
            .state()
            .add_ig_message(IG, "igsid-7", "carla.d", "Great, thanks", now + 5);
    let after = instagram
        .inbox(&account(&setup), page.cursor.as_deref())
        .await
        .unwrap();
    assert_eq!(
        after
            .items
            .iter()
            .map(|i| (i.platform_id.as_str(), i.thread_id.as_str()))
            .collect::<Vec<_>>(),
        vec![(later.as_str(), conversation.as_str())]
    );
    assert_ne!(after.cursor, page.cursor, "the cursor moves");
}

#[tokio::test]
async fn a_direct_message_older_than_24_hours_cannot_be_answered() {
    let setup = setup().await;
    let instagram = connector(&setup);
    setup
        .fake
        .state()
        .add_ig_message(IG, "igsid-8", "dan.e", "Hello?", now_secs() - 2 * 86_400);
    let old = instagram
        .inbox(&account(&setup), None)
        .await
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.author_id == "igsid-8")
        .unwrap();
    let late = instagram
        .reply(&account(&setup), &old, "Sorry")
        .await
        .unwrap_err();
    assert!(
        matches!(&late, PublishError::Permanent { message } if message.contains("24 hours")),
        "{late:?}"
    );
    assert_eq!(setup.fake.state().conversations[0].messages.len(), 1);
}

#[tokio::test]
async fn without_instagram_manage_messages_the_inbox_still_carries_the_comments() {
    let setup = setup().await;
    let instagram = connector(&setup);
    let published = instagram
        .publish(
            &account(&setup),
            &post("np", "Ask away", vec![media("a", MediaKind::Image, None)]),
        )
        .await
        .unwrap();
    setup.fake.state().add_comment(
        &published.platform_post_id,
        "ig-user-9",
        "ana.b",
        "Hi!",
        now_secs(),
    );
    setup
        .fake
        .state()
        .add_ig_message(IG, "igsid-7", "carla.d", "Unreadable", now_secs());
    setup.fake.state().ig_messaging_granted = false;
    let page = instagram.inbox(&account(&setup), None).await.unwrap();
    assert_eq!(page.items.len(), 1, "{:?}", page.items);
    assert_eq!(page.items[0].kind, InboxKind::Comment);
}

#[test]
fn login_asks_for_instagram_manage_messages() {
    assert!(zenalto_networks::instagram::SCOPES.contains(&"instagram_manage_messages"));
}

#[tokio::test]
async fn each_error_class_is_classified() {
    let setup = setup().await;
    let instagram = connector(&setup);
    let now = Timestamp::now();
    let usage = r#"{"17841400000000001":[{"type":"instagram","call_count":100,"total_cputime":5,"total_time":5,"estimated_time_to_regain_access":3}]}"#;
    let cases: Vec<(Fault, &str)> = vec![
        (
            Fault::status(
                401,
                graph_error(
                    190,
                    Some(463),
                    "Error validating access token: Session has expired",
                ),
            ),
            "reconnect",
        ),
        (
            Fault::status(
                403,
                graph_error(
                    10,
                    None,
                    "(#10) Application does not have permission for this action: instagram_content_publish",
                ),
            ),
            "reconnect:instagram_content_publish",
        ),
        (
            Fault::status(
                400,
                graph_error(4, None, "Application request limit reached"),
            )
            .with_header("x-business-use-case-usage", usage),
            "app:180",
        ),
        (
            Fault::status(500, graph_error(1, None, "An unknown error occurred")),
            "transient",
        ),
        (Fault::status(503, "Service Unavailable"), "transient"),
    ];
    for (fault, want) in cases {
        setup.fake.faults.push("POST /media", fault);
        let error = instagram
            .publish(
                &account(&setup),
                &post("e", "x", vec![media("a", MediaKind::Image, None)]),
            )
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
            _ => panic!("{want}: {error:?}"),
        }
    }
    let slow = connector_with_timeout(&setup, Duration::from_millis(200));
    setup
        .fake
        .faults
        .push("POST /media", Fault::Delay(Duration::from_millis(600)));
    let error = slow
        .publish(
            &account(&setup),
            &post("e2", "x", vec![media("a", MediaKind::Image, None)]),
        )
        .await
        .unwrap_err();
    assert!(matches!(error, PublishError::Unknown { .. }), "{error:?}");
    assert!(setup.fake.state().live_media().is_empty());
}
