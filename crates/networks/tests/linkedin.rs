//! The LinkedIn adapter against the local fake of LinkedIn's REST API (zenalto_fakes::linkedin):
//! OAuth and identities, posts with images, multi-image and video, the first comment, the
//! version headers, verification, deletion, metrics, the comment inbox, and every error class.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use bytes::Bytes;
use zenalto_domain::{AccountId, Secret, Timestamp, WorkspaceId, publishing::Network};
use zenalto_fakes::{
    Fault,
    linkedin::{self as fake, LinkedInFake},
};
use zenalto_networks::{
    AccountContext, AuthorizationRequest, Connector, InboxKind, Lookup, MediaAttachment, MediaKind, OAuthClient, PublishError, PublishRequest, http,
    linkedin::LinkedInConnector,
};
use zenalto_settings::NetworkSettings;

fn settings(fake: &LinkedInFake) -> NetworkSettings {
    let mut settings = NetworkSettings::default();
    settings.urls.insert("api".into(), fake.base_url().into());
    settings.urls.insert("token".into(), format!("{}/oauth/v2/accessToken", fake.base_url()));
    settings.urls.insert("auth".into(), format!("{}/oauth/v2/authorization", fake.base_url()));
    settings
}

fn connector_with(settings: &NetworkSettings, timeout: Duration) -> LinkedInConnector {
    LinkedInConnector::new(settings, http::client(timeout)).with_polling(Duration::from_millis(5), 10)
}

fn connector(fake: &LinkedInFake) -> LinkedInConnector {
    connector_with(&settings(fake), Duration::from_secs(5))
}

fn account(urn: &str, token: &str) -> AccountContext {
    AccountContext {
        workspace_id: WorkspaceId::new(),
        account_id: AccountId::new(),
        network: Network::LinkedIn,
        handle: "Zenalto".into(),
        platform_account_id: urn.into(),
        instance_url: None,
        access_token: Some(Secret::new(token.to_owned())),
    }
}

fn org(fake: &LinkedInFake) -> AccountContext {
    account(fake::ORG_URN, fake.token())
}

fn client() -> OAuthClient {
    OAuthClient { client_id: fake::CLIENT_ID.into(), client_secret: Some(Secret::new(fake::CLIENT_SECRET.to_owned())), instance_url: None }
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
    file(MediaKind::Image, "image/jpeg", b"\xFF\xD8\xFF\xE0 a small jpeg".to_vec(), alt)
}

fn mp4(len: usize) -> MediaAttachment {
    let mut bytes = b"\0\0\0\x18ftypmp42".to_vec();
    bytes.resize(len, 7);
    file(MediaKind::Video, "video/mp4", bytes, None)
}

fn post(key: &str, text: &str) -> PublishRequest {
    PublishRequest { idempotency_key: key.into(), parts: vec![text.to_owned()], ..PublishRequest::default() }
}

/// What the engine hands a verification of `request`'s attempt, begun a moment ago.
fn lookup(request: &PublishRequest) -> Lookup<'_> {
    Lookup { idempotency_key: &request.idempotency_key, request, attempted_at: Timestamp::now().plus_seconds(-5) }
}

#[tokio::test]
async fn connecting_uses_the_client_secret_lists_the_member_and_their_pages_and_refreshes() {
    let fake = LinkedInFake::start().await;
    let li = connector(&fake);
    let redirect = "https://zenalto.example/connect/linkedin/callback";
    let client = client();
    let url = li.authorization_url(&AuthorizationRequest { client: &client, redirect_uri: redirect, state: "st", pkce_challenge: "ch" }).unwrap();
    let url = url::Url::parse(&url).unwrap();
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!((query["response_type"].as_str(), query["state"].as_str(), query["client_id"].as_str()), ("code", "st", fake::CLIENT_ID));
    assert!(!query.contains_key("code_challenge"), "LinkedIn web apps get no PKCE");
    for scope in ["openid", "w_member_social", "w_organization_social", "r_organization_social"] {
        assert!(query["scope"].split(' ').any(|s| s == scope), "{scope} in {}", query["scope"]);
    }

    let code = fake.authorize(redirect);
    let tokens = li.exchange(&client, &code, "unused-verifier", redirect).await.unwrap();
    assert!(fake.token_is_valid(tokens.access_token.expose()));
    assert!(tokens.scopes.contains(&"w_organization_social".to_owned()), "{:?}", tokens.scopes);
    assert!(matches!(li.exchange(&client, &code, "", redirect).await, Err(PublishError::Permanent { .. })), "a code is used once");
    let wrong = OAuthClient { client_secret: Some(Secret::new("nope".into())), ..client.clone() };
    let code = fake.authorize(redirect);
    assert!(matches!(li.exchange(&wrong, &code, "", redirect).await, Err(PublishError::Permanent { message }) if message.contains("client_secret")));

    let identities = li.identities(&client, &tokens).await.unwrap();
    let ids: Vec<(&str, &str)> = identities.iter().map(|i| (i.platform_account_id.as_str(), i.kind.as_str())).collect();
    assert_eq!(ids, [(fake::PERSON_URN, "profile"), (fake::ORG_URN, "organization")], "the analyst-only page is not offered");
    assert_eq!(identities[1].display_name, "Zenalto Inc");

    let renewed = li.refresh(&client, &org(&fake), tokens.refresh_token.as_ref().unwrap()).await.unwrap();
    assert!(fake.token_is_valid(renewed.access_token.expose()));
    let refused = li.refresh(&client, &org(&fake), &Secret::new("unknown".into())).await.unwrap_err();
    assert!(matches!(refused, PublishError::Reconnect { .. }), "{refused:?}");

    // Without the organization scopes the member still connects their profile.
    fake.without_organization_scopes();
    let identities = li.identities(&client, &tokens).await.unwrap();
    assert_eq!(identities.len(), 1);
    assert!(!li.capabilities().can_revoke);
}

#[tokio::test]
async fn a_text_post_escapes_little_text_and_returns_the_urn_and_url() {
    let fake = LinkedInFake::start().await;
    let published = connector(&fake).publish(&org(&fake), &post("k1", "Launch (today) #zenalto")).await.unwrap();
    let posts = fake.live_posts();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].author, fake::ORG_URN);
    assert_eq!(posts[0].commentary, "Launch \\(today\\) {hashtag|\\#|zenalto}");
    assert_eq!(published.platform_post_id, posts[0].urn);
    assert_eq!(published.url.unwrap(), format!("https://www.linkedin.com/feed/update/{}", posts[0].urn));
}

#[tokio::test]
async fn images_upload_and_attach_with_alt_text_one_or_many() {
    let fake = LinkedInFake::start().await;
    let li = connector(&fake);
    let mut single = post("k-one", "One picture");
    single.media = vec![jpeg(Some("A lighthouse at dusk"))];
    li.publish(&org(&fake), &single).await.unwrap();
    let mut many = post("k-many", "Three pictures");
    many.media = vec![jpeg(Some("first")), jpeg(None), jpeg(Some("third"))];
    li.publish(&account(fake::PERSON_URN, fake.token()), &many).await.unwrap();

    let posts = fake.live_posts();
    let media = &posts[0].content["media"];
    assert_eq!(media["altText"], "A lighthouse at dusk");
    let image = fake.image(media["id"].as_str().unwrap()).unwrap();
    assert_eq!((image.owner.as_str(), image.bytes.as_deref()), (fake::ORG_URN, Some(single.media[0].bytes.as_ref())));
    let images = posts[1].content["multiImage"]["images"].as_array().unwrap();
    assert_eq!(images.len(), 3);
    assert_eq!((images[0]["altText"].as_str(), images[1].get("altText"), images[2]["altText"].as_str()), (Some("first"), None, Some("third")));
    assert_eq!(fake.image(images[1]["id"].as_str().unwrap()).unwrap().owner, fake::PERSON_URN);
}

#[tokio::test]
async fn a_video_is_uploaded_in_parts_finalized_with_etags_and_polled_until_available() {
    let fake = LinkedInFake::start().await;
    fake.set_part_size(10);
    fake.set_processing_polls(2);
    let mut request = post("k-video", "A video");
    request.media = vec![mp4(35)];
    request.title = Some("Our launch".into());
    connector(&fake).publish(&org(&fake), &request).await.unwrap();
    let posts = fake.live_posts();
    let urn = posts[0].content["media"]["id"].as_str().unwrap();
    assert_eq!(posts[0].content["media"]["title"], "Our launch");
    let video = fake.video(urn).unwrap();
    assert_eq!(video.parts.len(), 4);
    assert_eq!(video.parts.iter().flatten().flatten().copied().collect::<Vec<u8>>(), request.media[0].bytes.to_vec());
    assert_eq!(video.status_polls, 3, "two PROCESSING answers, then AVAILABLE");

    fake.set_processing_polls(100);
    let mut slow = post("k-video-slow", "Another video");
    slow.media = vec![mp4(12)];
    let error = connector(&fake).publish(&org(&fake), &slow).await.unwrap_err();
    assert!(matches!(error, PublishError::Transient { .. }), "{error:?}");
    assert_eq!(fake.live_posts().len(), 1, "no post without its video");
}

#[tokio::test]
async fn the_first_comment_follows_the_post_and_its_failure_does_not_fail_the_post() {
    let fake = LinkedInFake::start().await;
    let li = connector(&fake);
    let mut request = post("k-comment", "With a comment");
    request.first_comment = Some("Link: https://example.com (details)".into());
    let published = li.publish(&org(&fake), &request).await.unwrap();
    let comments = fake.comments();
    assert_eq!(comments.len(), 1);
    assert_eq!((comments[0].post.as_str(), comments[0].actor.as_str()), (published.platform_post_id.as_str(), fake::ORG_URN));
    assert_eq!(comments[0].text, "Link: https://example.com \\(details\\)");

    fake.faults.push("POST /rest/socialActions/comments", Fault::status(500, r#"{"status":500,"message":"Internal Server Error"}"#));
    let mut request = post("k-comment-2", "Comment refused");
    request.first_comment = Some("lost".into());
    li.publish(&org(&fake), &request).await.unwrap();
    assert_eq!(fake.live_posts().len(), 2);
    assert_eq!(fake.comments().len(), 1);
}

/// What a case expects of the error.
type Expect = fn(&PublishError) -> bool;

#[tokio::test]
async fn each_failure_is_classified_for_the_queue() {
    let fake = LinkedInFake::start().await;
    let li = connector(&fake);
    let cases: Vec<(Fault, Expect)> = vec![
        (
            Fault::status(401, r#"{"status":401,"serviceErrorCode":65601,"code":"REVOKED_ACCESS_TOKEN","message":"The token used in the request has been revoked by the user"}"#),
            |e| matches!(e, PublishError::Reconnect { .. }),
        ),
        (
            Fault::status(
                403,
                r#"{"status":403,"serviceErrorCode":100,"code":"ACCESS_DENIED","message":"Not enough permissions to access: partnerApiPostsExternal.CREATE.20260501"}"#,
            ),
            |e| matches!(e, PublishError::Permanent { message } if message.contains("role")),
        ),
        (
            Fault::status(429, r#"{"status":429,"message":"Resource level throttle APPLICATION DAY limit for calls to this resource is reached."}"#),
            |e| matches!(e, PublishError::RateLimited { reset_at: Some(at), .. } if at.as_millis() % 86_400_000 == 0 && at.as_millis() > Timestamp::now().as_millis()),
        ),
        (
            Fault::status(429, r#"{"status":429,"message":"Too many requests"}"#).with_header("retry-after", "120"),
            |e| matches!(e, PublishError::RateLimited { reset_at: Some(at), .. } if (at.as_millis() - Timestamp::now().as_millis() - 120_000).abs() < 5_000),
        ),
        (Fault::status(500, r#"{"status":500,"message":"Internal Server Error"}"#), |e| matches!(e, PublishError::Transient { .. })),
        (Fault::status(504, "<html>gateway timeout</html>"), |e| matches!(e, PublishError::Transient { .. })),
    ];
    for (n, (fault, expected)) in cases.into_iter().enumerate() {
        fake.faults.push("POST /rest/posts", fault);
        let error = li.publish(&org(&fake), &post(&format!("k-err-{n}"), &format!("case {n}"))).await.unwrap_err();
        assert!(expected(&error), "case {n}: {error:?}");
    }
    assert!(fake.live_posts().is_empty());

    li.publish(&org(&fake), &post("k-token", "hi")).await.unwrap();
    assert!(matches!(li.publish(&account(fake::ORG_URN, "expired"), &post("k-bad-token", "hello")).await, Err(PublishError::Reconnect { .. })));
    let duplicate = li.publish(&org(&fake), &post("k-dup", "hi")).await.unwrap_err();
    assert!(matches!(&duplicate, PublishError::Permanent { message } if message.contains("duplicate")), "{duplicate:?}");
    let long = "a".repeat(fake::TEXT_LIMIT + 1);
    assert!(matches!(li.publish(&org(&fake), &post("k-long", &long)).await, Err(PublishError::Permanent { .. })));
    let mut thread = post("k-thread", "one");
    thread.parts.push("two".into());
    assert!(matches!(li.publish(&org(&fake), &thread).await, Err(PublishError::Permanent { message }) if message.contains("threads")));
    let mut mixed = post("k-mixed", "mixed");
    mixed.media = vec![jpeg(None), mp4(12)];
    assert!(matches!(li.publish(&org(&fake), &mixed).await, Err(PublishError::Permanent { .. })));
    assert!(matches!(li.publish(&account("someone", fake.token()), &post("k-urn", "who")).await, Err(PublishError::Reconnect { .. })));
    assert_eq!(fake.live_posts().len(), 1);

    // A sunset API version is named, with the setting that fixes it.
    let mut old = settings(&fake);
    old.urls.insert("version".into(), "202401".into());
    let error = connector_with(&old, Duration::from_secs(5)).publish(&org(&fake), &post("k-old", "old version")).await.unwrap_err();
    assert!(matches!(&error, PublishError::Permanent { message } if message.contains("urls.version")), "{error:?}");
}

#[tokio::test]
async fn a_lost_answer_is_unknown_and_verification_finds_the_post_even_after_a_restart() {
    let fake = LinkedInFake::start().await;
    let li = connector_with(&settings(&fake), Duration::from_millis(300));
    fake.faults.push("POST /rest/posts", Fault::ApplyThenDelay(Duration::from_secs(2)));
    let lost = post("k-lost", "Lost (answer) #news");
    let error = li.publish(&org(&fake), &lost).await.unwrap_err();
    assert!(matches!(error, PublishError::Unknown { .. }), "{error:?}");
    let found = li.find_published(&org(&fake), &lookup(&lost)).await.unwrap().expect("it was posted");
    assert_eq!(found.platform_post_id, fake.live_posts()[0].urn);

    fake.faults.push("POST /rest/posts", Fault::status(503, "{}"));
    let refused = post("k-refused", "Never stored");
    assert!(li.publish(&org(&fake), &refused).await.is_err());
    assert_eq!(li.find_published(&org(&fake), &lookup(&refused)).await.unwrap(), None);

    // A new process (after a restart) remembers nothing and verifies from the request alone.
    let restarted = connector(&fake);
    let found = restarted.find_published(&org(&fake), &lookup(&lost)).await.unwrap().expect("still found");
    assert_eq!(found.platform_post_id, fake.live_posts()[0].urn);
    assert_eq!(restarted.find_published(&org(&fake), &lookup(&post("k-never", "Never sent"))).await.unwrap(), None);

    // A lost answer while uploading media made no post: a plain retry.
    fake.faults.push("POST /rest/images", Fault::Delay(Duration::from_secs(2)));
    let mut with_image = post("k-upload", "With an image");
    with_image.media = vec![jpeg(None)];
    assert!(matches!(li.publish(&org(&fake), &with_image).await, Err(PublishError::Transient { .. })));
}

#[tokio::test]
async fn deleting_removes_the_post_and_a_second_delete_is_fine() {
    let fake = LinkedInFake::start().await;
    let li = connector(&fake);
    let published = li.publish(&org(&fake), &post("k-del", "to delete")).await.unwrap();
    li.delete(&org(&fake), &published.platform_post_id).await.unwrap();
    assert!(fake.live_posts().is_empty());
    li.delete(&org(&fake), &published.platform_post_id).await.unwrap();
    assert!(matches!(li.delete(&account(fake::ORG_URN, "expired"), &published.platform_post_id).await, Err(PublishError::Reconnect { .. })));
}

#[tokio::test]
async fn metrics_read_social_actions_share_statistics_and_followers() {
    let fake = LinkedInFake::start().await;
    let li = connector(&fake);
    let published = li.publish(&org(&fake), &post("k-metrics", "measured")).await.unwrap();
    fake.set_stats(&published.platform_post_id, fake::Stats { likes: 12, comments: 3, impressions: 1500, unique_impressions: 900, clicks: 40, shares: 2 });
    let metrics = li.post_metrics(&org(&fake), &published.platform_post_id).await.unwrap();
    assert_eq!(
        (metrics.impressions, metrics.reach, metrics.clicks, metrics.likes, metrics.comments, metrics.shares),
        (Some(1500), Some(900), Some(40), Some(12), Some(3), Some(2))
    );
    assert_eq!((metrics.saves, metrics.video_views), (None, None));
    // A page editor without the ADMINISTRATOR role gets no share statistics, still the likes.
    fake.faults.push(
        "GET /rest/organizationalEntityShareStatistics",
        Fault::status(403, r#"{"status":403,"serviceErrorCode":100,"message":"Not enough permissions to access: organizationalEntityShareStatistics"}"#),
    );
    let partial = li.post_metrics(&org(&fake), &published.platform_post_id).await.unwrap();
    assert_eq!((partial.likes, partial.impressions), (Some(12), None));

    let member = account(fake::PERSON_URN, fake.token());
    let mine = li.publish(&member, &post("k-metrics-2", "mine")).await.unwrap();
    fake.set_stats(&mine.platform_post_id, fake::Stats { likes: 4, ..fake::Stats::default() });
    fake.add_comment(&mine.platform_post_id, "urn:li:person:other", "nice", None);
    let metrics = li.post_metrics(&member, &mine.platform_post_id).await.unwrap();
    assert_eq!((metrics.likes, metrics.comments, metrics.impressions), (Some(4), Some(1), None));

    assert_eq!(li.account_metrics(&org(&fake)).await.unwrap().followers, Some(314));
    assert_eq!(li.account_metrics(&member).await.unwrap().followers, None);
}

#[tokio::test]
async fn the_inbox_lists_new_comments_on_the_accounts_posts_and_answers_them() {
    let fake = LinkedInFake::start().await;
    let li = connector(&fake);
    let published = li.publish(&org(&fake), &post("k-inbox", "Tell us what you think")).await.unwrap();
    let first = fake.add_comment(&published.platform_post_id, "urn:li:person:alice", "Love it", None);
    let answer_to_first = fake.add_comment(&published.platform_post_id, "urn:li:person:bob", "Me too", Some(&first));

    let page = li.inbox(&org(&fake), None).await.unwrap();
    let items: Vec<(&str, InboxKind, &str)> = page.items.iter().map(|i| (i.platform_id.as_str(), i.kind, i.author_id.as_str())).collect();
    assert_eq!(items, [(first.as_str(), InboxKind::Comment, "urn:li:person:alice"), (answer_to_first.as_str(), InboxKind::Reply, "urn:li:person:bob")]);
    assert_eq!(page.items[0].thread_id, published.platform_post_id);
    assert_eq!(page.items[0].text, "Love it");

    let reply = li.reply(&org(&fake), &page.items[0], "Thank you (really)").await.unwrap();
    let ours = fake.comments().into_iter().find(|c| c.urn == reply.platform_post_id).unwrap();
    assert_eq!((ours.actor.as_str(), ours.parent.as_deref(), ours.text.as_str()), (fake::ORG_URN, Some(first.as_str()), "Thank you \\(really\\)"));

    let again = li.inbox(&org(&fake), page.cursor.as_deref()).await.unwrap();
    assert!(again.items.is_empty(), "our own reply and older comments are not new: {:?}", again.items);
    fake.add_comment(&published.platform_post_id, "urn:li:person:carol", "Late", None);
    assert_eq!(li.inbox(&org(&fake), again.cursor.as_deref()).await.unwrap().items.len(), 1);
}
