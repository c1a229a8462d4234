//! The Threads adapter against the Threads fake: the Authorization Window, the code and
//! long-lived exchanges and the refresh, text, image, carousel and video posts with status
//! polling, reply chains rolled back when a part fails, delete, metrics, the inbox and every
//! error class.
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
    graph::now_secs,
    threads::{APP_ID, APP_SECRET, ThreadsFake, text_length},
};
use zenalto_networks::{
    AccountContext, AuthorizationRequest, Connector, InboxKind, Lookup, MediaAttachment, MediaKind,
    OAuthClient, PublishError, PublishRequest, http, threads::ThreadsConnector,
};
use zenalto_settings::NetworkSettings;

const USER: &str = "2540000001";
const TOKEN: &str = "long-threads-initial";

async fn fake() -> ThreadsFake {
    ThreadsFake::start(USER, "zenalto.cafe", TOKEN).await
}

fn connector(fake: &ThreadsFake) -> ThreadsConnector {
    connector_with_timeout(fake, Duration::from_secs(5))
}

fn connector_with_timeout(fake: &ThreadsFake, timeout: Duration) -> ThreadsConnector {
    let mut settings = NetworkSettings {
        client_id: Some(APP_ID.into()),
        client_secret: Secret::new(APP_SECRET.into()),
        ..NetworkSettings::default()
    };
    settings
        .urls
        .insert("threads_graph".into(), fake.base_url().into());
    ThreadsConnector::new(&settings, http::client(timeout))
        .with_polling(Duration::from_millis(5), 5)
}

fn account() -> AccountContext {
    AccountContext {
        workspace_id: WorkspaceId::new(),
        account_id: AccountId::new(),
        network: Network::Threads,
        handle: "zenalto.cafe".into(),
        platform_account_id: USER.into(),
        instance_url: None,
        access_token: Some(Secret::new(TOKEN.into())),
    }
}

fn client() -> OAuthClient {
    OAuthClient {
        client_id: APP_ID.into(),
        client_secret: Some(Secret::new(APP_SECRET.into())),
        instance_url: None,
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
        attempted_at: zenalto_domain::Timestamp::now().plus_seconds(-5),
    }
}

fn media(id: &str, kind: MediaKind, alt: Option<&str>) -> MediaAttachment {
    MediaAttachment {
        id: id.into(),
        kind,
        mime: if kind == MediaKind::Video {
            "video/mp4"
        } else {
            "image/png"
        }
        .into(),
        file_name: format!("{id}.bin"),
        bytes: Bytes::from_static(b"\x89PNG\r\n"),
        alt_text: alt.map(str::to_owned),
        public_url: Some(format!("https://z.example/m/{id}")),
        width: None,
        height: None,
        duration_ms: None,
    }
}

fn graph_error(code: i64, message: &str) -> String {
    serde_json::json!({"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "x"}}).to_string()
}

#[tokio::test]
async fn connect_exchanges_the_code_for_a_long_lived_token_that_refreshes_itself() {
    let fake = fake().await;
    let threads = connector(&fake);
    let client = client();
    let url = threads
        .authorization_url(&AuthorizationRequest {
            client: &client,
            redirect_uri: "https://z.example/cb",
            state: "st",
            pkce_challenge: "unused",
        })
        .unwrap();
    let parsed = url::Url::parse(&url).unwrap();
    assert_eq!(
        (parsed.host_str(), parsed.path()),
        (Some("threads.com"), "/oauth/authorize")
    );
    let query: std::collections::HashMap<_, _> = parsed.query_pairs().into_owned().collect();
    assert_eq!(
        (
            query["response_type"].as_str(),
            query["state"].as_str(),
            query["client_id"].as_str()
        ),
        ("code", "st", APP_ID)
    );
    assert!(
        query["scope"].contains("threads_content_publish")
            && query["scope"].contains("threads_delete")
    );

    fake.state().codes.push("the-code".into());
    let tokens = threads
        .exchange(&client, "the-code", "unused", "https://z.example/cb")
        .await
        .unwrap();
    assert!(
        tokens.access_token.expose().starts_with("long-threads"),
        "exchanged for a long-lived token"
    );
    assert_eq!(
        tokens.refresh_token.as_ref().map(|t| t.expose().clone()),
        Some(tokens.access_token.expose().clone())
    );
    let days = (tokens.expires_at.unwrap().as_millis() - Timestamp::now().as_millis()) / 86_400_000;
    assert!((58..=60).contains(&days), "{days}");
    let again = threads
        .exchange(&client, "the-code", "unused", "https://z.example/cb")
        .await
        .unwrap_err();
    assert!(
        matches!(&again, PublishError::Permanent { message } if message.contains("authorization code")),
        "{again:?}"
    );
    fake.state().codes.push("code-2".into());
    let bad_app = OAuthClient {
        client_secret: Some(Secret::new("wrong".into())),
        ..client.clone()
    };
    let refused = threads
        .exchange(&bad_app, "code-2", "unused", "https://z.example/cb")
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, PublishError::Permanent { message } if message.contains("networks.threads.client_id")),
        "{refused:?}"
    );

    let identities = threads.identities(&client, &tokens).await.unwrap();
    assert_eq!(
        (
            identities[0].platform_account_id.as_str(),
            identities[0].handle.as_str(),
            identities[0].kind.as_str()
        ),
        (USER, "zenalto.cafe", "profile")
    );

    let refreshed = threads
        .refresh(&client, &account(), tokens.refresh_token.as_ref().unwrap())
        .await
        .unwrap();
    assert_ne!(
        refreshed.access_token.expose(),
        tokens.access_token.expose()
    );
    let expired = threads
        .refresh(&client, &account(), &Secret::new("expired".into()))
        .await
        .unwrap_err();
    assert!(
        matches!(expired, PublishError::Reconnect { .. }),
        "{expired:?}"
    );
}

#[tokio::test]
async fn a_text_post_with_a_link_attachment() {
    let fake = fake().await;
    let threads = connector(&fake);
    let mut post = request("t1", &["New seasonal menu 🍂"]);
    post.link = Some("https://cafe.example/menu".into());
    let published = threads.publish(&account(), &post).await.unwrap();
    assert_eq!(
        published.url.as_deref(),
        Some(
            format!(
                "https://www.threads.com/@fake/post/{}",
                published.platform_post_id
            )
            .as_str()
        )
    );
    let state = fake.state();
    let made = state.live()[0].clone();
    assert_eq!(
        (
            made.text.as_str(),
            made.media_type.as_str(),
            made.link.as_deref()
        ),
        (
            "New seasonal menu 🍂",
            "TEXT",
            Some("https://cafe.example/menu")
        )
    );
}

#[tokio::test]
async fn an_image_with_alt_text_and_a_carousel() {
    let fake = fake().await;
    let threads = connector(&fake);
    let mut one = request("t2", &["One photo"]);
    one.media = vec![media("a", MediaKind::Image, Some("A croissant"))];
    threads.publish(&account(), &one).await.unwrap();
    let mut many = request("t3", &["Three photos"]);
    many.media = vec![
        media("a", MediaKind::Image, None),
        media("b", MediaKind::Image, Some("b alt")),
        media("c", MediaKind::Image, None),
    ];
    let carousel = threads.publish(&account(), &many).await.unwrap();
    let state = fake.state();
    let single = state.live()[0].clone();
    assert_eq!(
        (
            single.media_type.as_str(),
            single.urls.clone(),
            single.alt_texts.clone()
        ),
        (
            "IMAGE",
            vec!["https://z.example/m/a".to_owned()],
            vec![Some("A croissant".to_owned())]
        )
    );
    let made = state
        .live()
        .into_iter()
        .find(|p| p.id == carousel.platform_post_id)
        .cloned()
        .unwrap();
    assert_eq!(
        (
            made.media_type.as_str(),
            made.urls.len(),
            made.text.as_str()
        ),
        ("CAROUSEL", 3, "Three photos")
    );
    assert_eq!(made.alt_texts[1].as_deref(), Some("b alt"));
}

#[tokio::test]
async fn a_video_is_polled_until_finished_and_one_that_never_finishes_publishes_nothing() {
    let fake = fake().await;
    fake.state().processing_polls = 3;
    let threads = connector(&fake);
    let mut post = request("t4", &["Latte art"]);
    post.media = vec![media("v", MediaKind::Video, None)];
    threads.publish(&account(), &post).await.unwrap();
    assert_eq!(fake.state().live()[0].media_type, "VIDEO");

    fake.state().processing_polls = 100;
    let slow = threads
        .publish(
            &account(),
            &request("t5", &["x"]).tap_media(media("v2", MediaKind::Video, None)),
        )
        .await
        .unwrap_err();
    assert!(matches!(slow, PublishError::Transient { .. }), "{slow:?}");
    fake.state().container_error = Some("bad".into());
    let failed = threads
        .publish(
            &account(),
            &request("t6", &["x"]).tap_media(media("v3", MediaKind::Video, None)),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&failed, PublishError::Permanent { message } if message.contains("FAILED_DOWNLOADING_VIDEO")),
        "{failed:?}"
    );
    assert_eq!(fake.state().live().len(), 1);
}

trait TapMedia {
    fn tap_media(self, media: MediaAttachment) -> Self;
}

impl TapMedia for PublishRequest {
    fn tap_media(mut self, media: MediaAttachment) -> Self {
        self.media.push(media);
        self
    }
}

#[tokio::test]
async fn media_without_a_public_url_is_refused() {
    let fake = fake().await;
    let threads = connector(&fake);
    let mut private = media("a", MediaKind::Image, None);
    private.public_url = None;
    let error = threads
        .publish(&account(), &request("t7", &["x"]).tap_media(private))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, PublishError::Permanent { message } if message.contains("server.public_url")),
        "{error:?}"
    );
    assert!(fake.state().containers.is_empty());
}

#[tokio::test]
async fn a_thread_is_a_reply_chain_and_the_first_comment_replies_to_the_root() {
    let fake = fake().await;
    let threads = connector(&fake);
    let mut post = request("t8", &["1/3 Our story", "2/3 Beans", "3/3 People"]);
    post.first_comment = Some("Visit us!".into());
    let published = threads.publish(&account(), &post).await.unwrap();
    let state = fake.state();
    let live = state.live();
    assert_eq!(live.len(), 4);
    assert_eq!(live[0].id, published.platform_post_id);
    assert_eq!(live[1].reply_to.as_deref(), Some(live[0].id.as_str()));
    assert_eq!(live[2].reply_to.as_deref(), Some(live[1].id.as_str()));
    assert_eq!(
        (live[3].text.as_str(), live[3].reply_to.as_deref()),
        ("Visit us!", Some(live[0].id.as_str()))
    );
}

#[tokio::test]
async fn a_failing_second_part_deletes_the_first_so_a_retry_starts_clean() {
    let fake = fake().await;
    let threads = connector(&fake);
    fake.faults.push_after(
        "POST /threads_publish",
        1,
        Fault::status(500, graph_error(2, "Service temporarily unavailable")),
    );
    let error = threads
        .publish(&account(), &request("t9", &["first", "second"]))
        .await
        .unwrap_err();
    assert!(matches!(error, PublishError::Transient { .. }), "{error:?}");
    assert!(fake.state().live().is_empty(), "the first part was deleted");
    threads
        .publish(&account(), &request("t9", &["first", "second"]))
        .await
        .unwrap();
    assert_eq!(
        fake.state().live().len(),
        2,
        "the retry made the thread once"
    );

    fake.faults.push_after(
        "POST /threads_publish",
        1,
        Fault::status(500, graph_error(2, "down")),
    );
    fake.faults
        .push("DELETE /{id}", Fault::status(500, graph_error(2, "down")));
    let stuck = threads
        .publish(&account(), &request("t10", &["again one", "again two"]))
        .await
        .unwrap_err();
    let left = fake
        .state()
        .live()
        .iter()
        .find(|p| p.text == "again one")
        .map(|p| p.id.clone())
        .unwrap();
    assert!(
        matches!(&stuck, PublishError::Permanent { message } if message.contains(&left)),
        "{stuck:?}"
    );
}

#[tokio::test]
async fn the_publishing_quota_is_read_first_for_posts_and_replies() {
    let fake = fake().await;
    fake.state().quota_total = 1;
    fake.state().reply_quota_total = 1;
    let threads = connector(&fake);
    threads
        .publish(&account(), &request("q1", &["first", "a reply"]))
        .await
        .unwrap();
    let containers = fake.state().containers.len();
    let posts = threads
        .publish(&account(), &request("q2", &["second"]))
        .await
        .unwrap_err();
    assert!(
        matches!(&posts, PublishError::RateLimited { message, reset_at: Some(_) } if message.contains("1 posts")),
        "{posts:?}"
    );
    fake.state().quota_total = 10;
    let replies = threads
        .publish(&account(), &request("q3", &["third", "another reply"]))
        .await
        .unwrap_err();
    assert!(
        matches!(&replies, PublishError::RateLimited { message, .. } if message.contains("replies")),
        "{replies:?}"
    );
    assert_eq!(
        fake.state().containers.len(),
        containers,
        "nothing was created"
    );
    assert_eq!(fake.state().live().len(), 2);
}

#[tokio::test]
async fn text_over_the_limit_is_refused_by_threads_as_permanent() {
    let fake = fake().await;
    let threads = connector(&fake);
    let long = "☕".repeat(170);
    assert!(text_length(&long) > 500, "emoji count as their UTF-8 bytes");
    let error = threads
        .publish(&account(), &request("t11", &[&long]))
        .await
        .unwrap_err();
    assert!(matches!(error, PublishError::Permanent { .. }), "{error:?}");
    let empty = threads
        .publish(&account(), &request("t12", &[" "]))
        .await
        .unwrap_err();
    assert!(matches!(empty, PublishError::Permanent { .. }), "{empty:?}");
    assert!(fake.state().live().is_empty());
}

#[tokio::test]
async fn delete_find_published_even_after_a_restart_and_metrics() {
    let fake = fake().await;
    let threads = connector_with_timeout(&fake, Duration::from_millis(300));
    fake.faults.push(
        "POST /threads_publish",
        Fault::ApplyThenDelay(Duration::from_millis(800)),
    );
    let sent = request("lost", &["Out or not?"]);
    let lost = threads.publish(&account(), &sent).await.unwrap_err();
    assert!(matches!(lost, PublishError::Unknown { .. }), "{lost:?}");
    let found = threads
        .find_published(&account(), &lookup(&sent))
        .await
        .unwrap()
        .expect("it is out");

    // A new process (after a restart) remembers nothing and still finds it from the request.
    let restarted = connector(&fake);
    let again = restarted
        .find_published(&account(), &lookup(&sent))
        .await
        .unwrap()
        .expect("still found");
    assert_eq!(again, found);
    assert_eq!(
        restarted
            .find_published(&account(), &lookup(&request("never", &["Never sent"])))
            .await
            .unwrap(),
        None
    );
    fake.state()
        .add_reply(&found.platform_post_id, "ana", "Out!", now_secs());
    let metrics = threads
        .post_metrics(&account(), &found.platform_post_id)
        .await
        .unwrap();
    assert_eq!(
        (
            metrics.impressions,
            metrics.likes,
            metrics.comments,
            metrics.shares
        ),
        (Some(300), Some(12), Some(1), Some(6))
    );
    assert_eq!(
        threads.account_metrics(&account()).await.unwrap().followers,
        Some(4321)
    );
    threads
        .delete(&account(), &found.platform_post_id)
        .await
        .unwrap();
    assert!(fake.state().deleted.contains(&found.platform_post_id));
    assert!(
        threads
            .find_published(&account(), &lookup(&sent))
            .await
            .unwrap()
            .is_none()
    );
}

#[tokio::test]
async fn replies_are_the_inbox_and_a_reply_answers_with_reply_to_id() {
    let fake = fake().await;
    let threads = connector(&fake);
    let root = threads
        .publish(&account(), &request("i", &["What should we bake?"]))
        .await
        .unwrap()
        .platform_post_id;
    let now = now_secs();
    let first = fake
        .state()
        .add_reply(&root, "ana", "Cinnamon rolls", now - 20);
    fake.state()
        .add_reply(&first, "ben", "Yes please", now - 10);
    let page = threads.inbox(&account(), None).await.unwrap();
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        (
            page.items[0].kind,
            page.items[0].author.as_str(),
            page.items[0].thread_id.as_str()
        ),
        (InboxKind::Comment, "ana", root.as_str())
    );
    assert_eq!(
        (page.items[1].kind, page.items[1].in_reply_to.as_deref()),
        (InboxKind::Reply, Some(first.as_str()))
    );
    let answer = threads
        .reply(&account(), &page.items[0], "Coming Saturday")
        .await
        .unwrap();
    let made = fake
        .state()
        .live()
        .into_iter()
        .find(|p| p.id == answer.platform_post_id)
        .cloned()
        .unwrap();
    assert_eq!(made.reply_to.as_deref(), Some(first.as_str()));
    let next = threads
        .inbox(&account(), page.cursor.as_deref())
        .await
        .unwrap();
    assert!(
        next.items.is_empty(),
        "own replies are not inbox: {:?}",
        next.items
    );
}

#[tokio::test]
async fn each_error_class_is_classified() {
    let fake = fake().await;
    let threads = connector(&fake);
    let now = Timestamp::now();
    let cases: Vec<(Fault, &str)> = vec![
        (
            Fault::status(401, graph_error(190, "Error validating access token")),
            "reconnect",
        ),
        (
            Fault::status(
                403,
                graph_error(
                    10,
                    "(#10) The user has not authorized application: threads_content_publish",
                ),
            ),
            "reconnect:threads_content_publish",
        ),
        (
            Fault::status(429, graph_error(4, "Application request limit reached"))
                .with_header("retry-after", "120"),
            "app:120",
        ),
        (
            Fault::status(500, graph_error(1, "An unknown error occurred")),
            "transient",
        ),
        (Fault::status(504, "gateway timeout"), "transient"),
    ];
    for (fault, want) in cases {
        fake.faults.push("POST /threads", fault);
        let error = threads
            .publish(&account(), &request("e", &["x"]))
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
    let slow = connector_with_timeout(&fake, Duration::from_millis(200));
    fake.faults
        .push("POST /threads", Fault::Delay(Duration::from_millis(600)));
    assert!(matches!(
        slow.publish(&account(), &request("e2", &["x"]))
            .await
            .unwrap_err(),
        PublishError::Unknown { .. }
    ));
    let mut revoked = account();
    revoked.access_token = Some(Secret::new("revoked".into()));
    assert!(matches!(
        threads
            .publish(&revoked, &request("e3", &["x"]))
            .await
            .unwrap_err(),
        PublishError::Reconnect { .. }
    ));
    assert!(fake.state().live().is_empty());
}
