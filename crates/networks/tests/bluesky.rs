//! The Bluesky adapter against a real PDS (`@atproto/pds` with a real PLC directory, started by
//! `source scripts/services.sh`), plus the failure classes a PDS cannot be made to play (429,
//! 5xx, no answer) against a one-line HTTP responder.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use bytes::Bytes;
use serde_json::{Value, json};
use zenalto_domain::{AccountId, Secret, Timestamp, WorkspaceId, publishing::Network};
use zenalto_fakes::{
    Fault,
    bluesky_chat::{self, BlueskyChatFake},
};
use zenalto_networks::{
    AccountContext, ConnectFlow, Connector, InboxItem, InboxKind, Lookup, MediaAttachment,
    MediaKind, OAuthClient, PublishError, PublishRequest,
    bluesky::{BlueskyConnector, record_key},
    pkce,
};
use zenalto_settings::NetworkSettings;

/// A 2×2 RGB PNG.
const PNG: [u8; 74] = [
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0,
    0, 0, 253, 212, 154, 115, 0, 0, 0, 17, 73, 68, 65, 84, 120, 156, 99, 248, 207, 192, 192, 240,
    31, 140, 128, 24, 0, 29, 240, 3, 253, 211, 208, 125, 38, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66,
    96, 130,
];

fn pds_url() -> String {
    std::env::var("ZENALTO_TEST_PDS_URL")
        .unwrap_or_else(|_| panic!("ZENALTO_TEST_PDS_URL is not set: run `source scripts/services.sh` first (it installs and starts a real Bluesky PDS on 127.0.0.1:2583)"))
}

fn connector(pds: &str, timeout: Duration) -> BlueskyConnector {
    let mut settings = NetworkSettings::default();
    settings.urls.insert("pds".into(), pds.into());
    settings.urls.insert("appview".into(), pds.into());
    BlueskyConnector::new(&settings, zenalto_networks::http::client(timeout))
}

/// A fresh account on the PDS, signed in through the adapter with an app password.
struct Person {
    did: String,
    handle: String,
    account: AccountContext,
    refresh: Secret<String>,
    app_password: String,
}

fn unique(prefix: &str) -> String {
    let random: String = pkce::random_token()
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(10)
        .collect::<String>()
        .to_ascii_lowercase();
    format!("{prefix}{random}")
}

async fn person(bluesky: &BlueskyConnector) -> Person {
    let pds = pds_url();
    let http = reqwest::Client::new();
    let handle = format!("{}.test", unique("t"));
    let created: Value = http
        .post(format!("{pds}/xrpc/com.atproto.server.createAccount"))
        .json(&json!({ "handle": handle, "email": format!("{handle}@example.com"), "password": "main-password-1" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let main_jwt = created["accessJwt"]
        .as_str()
        .unwrap_or_else(|| panic!("createAccount failed: {created}"))
        .to_owned();
    let app: Value = http
        .post(format!("{pds}/xrpc/com.atproto.server.createAppPassword"))
        .bearer_auth(&main_jwt)
        .json(&json!({ "name": "zenalto" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let app_password = app["password"].as_str().unwrap().to_owned();
    let (tokens, identity) = bluesky
        .sign_in(&pds, &handle, &Secret::new(app_password.clone()))
        .await
        .unwrap();
    assert_eq!(identity.handle, handle);
    assert!(identity.platform_account_id.starts_with("did:plc:"));
    let account = AccountContext {
        workspace_id: WorkspaceId::new(),
        account_id: AccountId::new(),
        network: Network::Bluesky,
        handle: handle.clone(),
        platform_account_id: identity.platform_account_id.clone(),
        instance_url: Some(pds.clone()),
        access_token: Some(tokens.access_token),
    };
    Person {
        did: identity.platform_account_id,
        handle,
        account,
        refresh: tokens.refresh_token.unwrap(),
        app_password,
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
        id: "m1".into(),
        kind: MediaKind::Image,
        mime: "image/png".into(),
        file_name: "dot.png".into(),
        bytes: Bytes::from_static(&PNG),
        alt_text: Some(alt.into()),
        public_url: None,
        width: Some(2),
        height: Some(2),
        duration_ms: None,
    }
}

async fn get_record(person: &Person, rkey: &str) -> Option<Value> {
    let response = reqwest::Client::new()
        .get(format!("{}/xrpc/com.atproto.repo.getRecord", pds_url()))
        .query(&[
            ("repo", person.did.as_str()),
            ("collection", "app.bsky.feed.post"),
            ("rkey", rkey),
        ])
        .send()
        .await
        .unwrap();
    if response.status().is_success() {
        Some(response.json().await.unwrap())
    } else {
        None
    }
}

async fn list_records(person: &Person) -> Vec<Value> {
    let body: Value = reqwest::Client::new()
        .get(format!("{}/xrpc/com.atproto.repo.listRecords", pds_url()))
        .query(&[
            ("repo", person.did.as_str()),
            ("collection", "app.bsky.feed.post"),
            ("limit", "100"),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    body["records"].as_array().cloned().unwrap_or_default()
}

fn rkey_of(uri: &str) -> &str {
    uri.rsplit('/').next().unwrap()
}

#[tokio::test]
async fn signing_in_with_an_app_password_gives_a_refreshable_session() {
    let bluesky = connector(&pds_url(), Duration::from_secs(20));
    assert_eq!(bluesky.connect_flow(), ConnectFlow::AppPassword);
    let person = person(&bluesky).await;

    let client = OAuthClient {
        client_id: String::new(),
        client_secret: None,
        instance_url: Some(pds_url()),
    };
    let refreshed = bluesky
        .refresh(&client, &person.account, &person.refresh)
        .await
        .unwrap();
    assert!(
        refreshed.expires_at.is_some_and(|at| at > Timestamp::now()),
        "the access JWT's exp is read"
    );
    assert_eq!(refreshed.scopes, ["com.atproto.appPass"]);
    let identities = bluesky.identities(&client, &refreshed).await.unwrap();
    assert_eq!(identities[0].platform_account_id, person.did);
    // A refresh token the PDS never issued (the PDS keeps a rotated one valid for a grace period).
    let forged = bluesky
        .refresh(
            &client,
            &person.account,
            &Secret::new("eyJ0eXAiOiJKV1QifQ.e30.sig".into()),
        )
        .await;
    assert!(
        matches!(forged, Err(PublishError::Reconnect { .. })),
        "{forged:?}"
    );

    let wrong = bluesky
        .sign_in(
            &pds_url(),
            &person.handle,
            &Secret::new("wrong-password".into()),
        )
        .await;
    assert!(
        matches!(wrong, Err(PublishError::Permanent { .. })),
        "a typo is not a lost grant: {wrong:?}"
    );
    let by_did = bluesky
        .sign_in(
            &pds_url(),
            &person.did,
            &Secret::new(person.app_password.clone()),
        )
        .await
        .unwrap();
    assert_eq!(by_did.1.handle, person.handle);
}

#[tokio::test]
async fn a_text_post_gets_our_record_key_facets_and_is_never_doubled() {
    let bluesky = connector(&pds_url(), Duration::from_secs(20));
    let person = person(&bluesky).await;
    let key = unique("post-");
    let text = format!(
        "héllo ✨ https://example.com/a?b=1 #zenalto @{}",
        person.handle
    );
    let published = bluesky
        .publish(&person.account, &request(&key, &[&text]))
        .await
        .unwrap();

    let rkey = record_key(&key, Some(0));
    assert_eq!(
        published.platform_post_id,
        format!("at://{}/app.bsky.feed.post/{rkey}", person.did)
    );
    assert_eq!(
        published.url.as_deref(),
        Some(format!("https://bsky.app/profile/{}/post/{rkey}", person.handle).as_str())
    );
    let record = get_record(&person, &rkey)
        .await
        .expect("the record is at our key");
    assert_eq!(record["value"]["text"], text);
    let facets = record["value"]["facets"].as_array().unwrap();
    assert_eq!(facets.len(), 3, "{facets:?}");
    let link_start = "héllo ✨ ".len();
    assert_eq!(
        facets[0]["index"]["byteStart"], link_start,
        "UTF-8 byte offsets"
    );
    assert_eq!(facets[0]["features"][0]["uri"], "https://example.com/a?b=1");
    assert_eq!(facets[1]["features"][0]["tag"], "zenalto");
    assert_eq!(
        facets[2]["features"][0]["did"],
        person.did.as_str(),
        "the mention is resolved to a DID"
    );
    assert_eq!(
        &text.as_bytes()[facets[2]["index"]["byteStart"].as_u64().unwrap() as usize
            ..facets[2]["index"]["byteEnd"].as_u64().unwrap() as usize],
        format!("@{}", person.handle).as_bytes()
    );

    let again = bluesky
        .publish(&person.account, &request(&key, &[&text]))
        .await
        .unwrap();
    assert_eq!(again, published, "a repeat finds the same record");
    assert_eq!(list_records(&person).await.len(), 1, "no duplicate");
    assert_eq!(
        bluesky
            .find_published(&person.account, &lookup(&request(&key, &[&text])))
            .await
            .unwrap(),
        Some(published.clone())
    );
    assert_eq!(
        bluesky
            .find_published(&person.account, &lookup(&request("never-used", &[&text])))
            .await
            .unwrap(),
        None
    );

    bluesky
        .delete(&person.account, &published.platform_post_id)
        .await
        .unwrap();
    assert!(get_record(&person, &rkey).await.is_none(), "deleted");
    assert_eq!(
        bluesky
            .find_published(&person.account, &lookup(&request(&key, &[&text])))
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn images_are_uploaded_as_blobs_with_alt_text() {
    let bluesky = connector(&pds_url(), Duration::from_secs(20));
    let person = person(&bluesky).await;
    let mut post = request(&unique("img-"), &["two dots"]);
    post.media = vec![image("a red and green dot"), image("the same again")];
    let published = bluesky.publish(&person.account, &post).await.unwrap();

    let record = get_record(&person, rkey_of(&published.platform_post_id))
        .await
        .unwrap();
    let embed = &record["value"]["embed"];
    assert_eq!(embed["$type"], "app.bsky.embed.images");
    assert_eq!(embed["images"][0]["alt"], "a red and green dot");
    assert_eq!(embed["images"][1]["alt"], "the same again");
    assert_eq!(
        embed["images"][0]["aspectRatio"],
        json!({ "width": 2, "height": 2 })
    );
    let cid = embed["images"][0]["image"]["ref"]["$link"]
        .as_str()
        .unwrap();
    let blob = reqwest::Client::new()
        .get(format!("{}/xrpc/com.atproto.sync.getBlob", pds_url()))
        .query(&[("did", person.did.as_str()), ("cid", cid)])
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(
        blob.as_ref(),
        PNG.as_slice(),
        "the PDS holds the bytes we sent"
    );
}

#[tokio::test]
async fn a_video_is_embedded_as_app_bsky_embed_video() {
    let bluesky = connector(&pds_url(), Duration::from_secs(20));
    let person = person(&bluesky).await;
    let mut mp4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom".to_vec();
    mp4.extend(std::iter::repeat_n(7u8, 4000));
    let mut post = request(&unique("vid-"), &["a clip"]);
    post.media = vec![MediaAttachment {
        kind: MediaKind::Video,
        mime: "video/mp4".into(),
        file_name: "clip.mp4".into(),
        bytes: Bytes::from(mp4),
        ..image("a short clip")
    }];
    let published = bluesky.publish(&person.account, &post).await.unwrap();
    let record = get_record(&person, rkey_of(&published.platform_post_id))
        .await
        .unwrap();
    assert_eq!(record["value"]["embed"]["$type"], "app.bsky.embed.video");
    assert_eq!(record["value"]["embed"]["alt"], "a short clip");
    assert_eq!(record["value"]["embed"]["video"]["mimeType"], "video/mp4");
}

#[tokio::test]
async fn a_thread_chains_replies_and_resumes_without_doubling() {
    let bluesky = connector(&pds_url(), Duration::from_secs(20));
    let person = person(&bluesky).await;
    let key = unique("thread-");
    // A first try that only got the first part out (as if part 2 had failed).
    let partial = bluesky
        .publish(&person.account, &request(&key, &["1/3 first"]))
        .await
        .unwrap();
    let mut post = request(&key, &["1/3 first", "2/3 second", "3/3 third"]);
    post.first_comment = Some("links in here".into());
    let published = bluesky.publish(&person.account, &post).await.unwrap();
    assert_eq!(published, partial, "the retry resumes on the same root");

    let records = list_records(&person).await;
    assert_eq!(
        records.len(),
        4,
        "three parts and the first comment, nothing doubled"
    );
    let second = get_record(&person, &record_key(&key, Some(1)))
        .await
        .unwrap();
    let third = get_record(&person, &record_key(&key, Some(2)))
        .await
        .unwrap();
    let comment = get_record(&person, &record_key(&key, None)).await.unwrap();
    let root_uri = published.platform_post_id.as_str();
    assert_eq!(second["value"]["reply"]["root"]["uri"], root_uri);
    assert_eq!(second["value"]["reply"]["parent"]["uri"], root_uri);
    assert_eq!(third["value"]["reply"]["root"]["uri"], root_uri);
    assert_eq!(third["value"]["reply"]["parent"]["uri"], second["uri"]);
    assert_eq!(
        third["value"]["reply"]["parent"]["cid"], second["cid"],
        "strong refs carry the cid"
    );
    assert_eq!(comment["value"]["text"], "links in here");
    assert_eq!(comment["value"]["reply"]["parent"]["uri"], root_uri);

    bluesky.publish(&person.account, &post).await.unwrap();
    assert_eq!(
        list_records(&person).await.len(),
        4,
        "a full repeat adds nothing"
    );
}

#[tokio::test]
async fn malformed_posts_are_refused_before_anything_is_sent() {
    let bluesky = connector("http://127.0.0.1:9", Duration::from_secs(2));
    let account = AccountContext {
        workspace_id: WorkspaceId::new(),
        account_id: AccountId::new(),
        network: Network::Bluesky,
        handle: "x.test".into(),
        platform_account_id: "did:plc:abc".into(),
        instance_url: None,
        access_token: Some(Secret::new("t".into())),
    };
    let mut five = request("k", &["five"]);
    five.media = vec![image("1"), image("2"), image("3"), image("4"), image("5")];
    let mut big = request("k", &["big"]);
    big.media = vec![MediaAttachment {
        bytes: Bytes::from(vec![0u8; 1_000_001]),
        ..image("big")
    }];
    let long = "a".repeat(3001);
    for (name, post) in [
        ("five images", five),
        ("an image over 1,000,000 bytes", big),
        ("3,001 bytes of text", request("k", &[&long])),
        ("no text", request("k", &[" "])),
    ] {
        let result = bluesky.publish(&account, &post).await;
        assert!(
            matches!(result, Err(PublishError::Permanent { .. })),
            "{name}: {result:?}"
        );
    }
    let no_token = AccountContext {
        access_token: None,
        ..account
    };
    assert!(matches!(
        bluesky.publish(&no_token, &request("k", &["x"])).await,
        Err(PublishError::Reconnect { .. })
    ));
}

#[tokio::test]
async fn a_revoked_session_asks_to_reconnect() {
    let bluesky = connector(&pds_url(), Duration::from_secs(20));
    let person = person(&bluesky).await;
    let stale = AccountContext {
        access_token: Some(Secret::new("not-a-jwt".into())),
        ..person.account.clone()
    };
    let result = bluesky
        .publish(&stale, &request(&unique("k-"), &["x"]))
        .await;
    assert!(
        matches!(result, Err(PublishError::Reconnect { .. })),
        "{result:?}"
    );
}

/// A server that answers every request with `status`, `headers` and a JSON `body` after `delay`.
async fn responder(status: &str, headers: &str, body: &str, delay: Duration) -> String {
    let response: &'static str = format!("HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{headers}content-length: {}\r\nconnection: close\r\n\r\n{body}", body.len()).leak();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buffer = [0u8; 8192];
                let _ = socket.read(&mut buffer).await;
                tokio::time::sleep(delay).await;
                let _ = socket.write_all(response.as_bytes()).await;
                let _ = socket.shutdown().await;
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn throttling_server_errors_and_silence_are_classified() {
    let account = |pds: &str| AccountContext {
        workspace_id: WorkspaceId::new(),
        account_id: AccountId::new(),
        network: Network::Bluesky,
        handle: "x.test".into(),
        platform_account_id: "did:plc:abc".into(),
        instance_url: Some(pds.into()),
        access_token: Some(Secret::new("t".into())),
    };
    let throttled = responder(
        "429 Too Many Requests",
        "ratelimit-limit: 3000\r\nratelimit-remaining: 0\r\nratelimit-reset: 1900000000\r\nratelimit-policy: 3000;w=300\r\n",
        r#"{"error":"RateLimitExceeded","message":"Rate Limit Exceeded"}"#,
        Duration::ZERO,
    )
    .await;
    match connector(&throttled, Duration::from_secs(5))
        .publish(&account(&throttled), &request("k", &["x"]))
        .await
    {
        Err(PublishError::RateLimited { reset_at, .. }) => assert_eq!(
            reset_at,
            Some(Timestamp::from_millis(1_900_000_000_000)),
            "ratelimit-reset is epoch seconds"
        ),
        other => panic!("{other:?}"),
    }
    let broken = responder("502 Bad Gateway", "", "{}", Duration::ZERO).await;
    let result = connector(&broken, Duration::from_secs(5))
        .publish(&account(&broken), &request("k", &["x"]))
        .await;
    assert!(
        matches!(result, Err(PublishError::Transient { .. })),
        "{result:?}"
    );
    let expired = responder(
        "400 Bad Request",
        "",
        r#"{"error":"ExpiredToken","message":"Token has expired"}"#,
        Duration::ZERO,
    )
    .await;
    let result = connector(&expired, Duration::from_secs(5))
        .publish(&account(&expired), &request("k", &["x"]))
        .await;
    assert!(
        matches!(result, Err(PublishError::Reconnect { .. })),
        "{result:?}"
    );
    let silent = responder("200 OK", "", "{}", Duration::from_secs(30)).await;
    let result = connector(&silent, Duration::from_millis(300))
        .publish(&account(&silent), &request("k", &["x"]))
        .await;
    assert!(
        matches!(result, Err(PublishError::Unknown { .. })),
        "{result:?}"
    );
}

#[tokio::test]
async fn metrics_and_inbox_need_an_appview_which_a_bare_pds_lacks() {
    // The PDS here runs without an AppView: it refuses app.bsky.* reads, and the adapter says so
    // instead of inventing numbers.
    let bluesky = connector(&pds_url(), Duration::from_secs(20));
    let person = person(&bluesky).await;
    let published = bluesky
        .publish(&person.account, &request(&unique("m-"), &["count me"]))
        .await
        .unwrap();
    assert!(
        bluesky
            .post_metrics(&person.account, &published.platform_post_id)
            .await
            .is_err()
    );
    assert!(bluesky.inbox(&person.account, None).await.is_err());
    // Replying works on the PDS alone: a reply to our own post, with the right refs.
    let item = InboxItem {
        platform_id: published.platform_post_id.clone(),
        kind: InboxKind::Reply,
        thread_id: published.platform_post_id.clone(),
        author_id: person.did.clone(),
        author: person.handle.clone(),
        text: "count me".into(),
        in_reply_to: None,
        at: Timestamp::now(),
    };
    let reply = bluesky
        .reply(&person.account, &item, "thanks!")
        .await
        .unwrap();
    let again = bluesky
        .reply(&person.account, &item, "thanks!")
        .await
        .unwrap();
    assert_eq!(reply, again, "answering twice is one reply");
    let record = get_record(&person, rkey_of(&reply.platform_post_id))
        .await
        .unwrap();
    assert_eq!(
        record["value"]["reply"]["root"]["uri"],
        published.platform_post_id
    );
}

#[tokio::test]
async fn appview_counts_and_notifications_are_read() {
    let uri = "at://did:plc:abc/app.bsky.feed.post/3jzfcijpj2z2a";
    let posts = responder(
        "200 OK",
        "",
        r#"{"posts":[{"uri":"at://did:plc:abc/app.bsky.feed.post/3jzfcijpj2z2a","cid":"bafy","likeCount":5,"repostCount":2,"replyCount":1,"quoteCount":1,"indexedAt":"2026-11-30T12:00:00.000Z"}]}"#,
        Duration::ZERO,
    )
    .await;
    let account = AccountContext {
        workspace_id: WorkspaceId::new(),
        account_id: AccountId::new(),
        network: Network::Bluesky,
        handle: "me.test".into(),
        platform_account_id: "did:plc:abc".into(),
        instance_url: None,
        access_token: Some(Secret::new("t".into())),
    };
    let metrics = connector(&posts, Duration::from_secs(5))
        .post_metrics(&account, uri)
        .await
        .unwrap();
    assert_eq!(
        (
            metrics.likes,
            metrics.comments,
            metrics.shares,
            metrics.impressions
        ),
        (Some(5), Some(1), Some(3), None)
    );
    let missing = connector(&posts, Duration::from_secs(5))
        .post_metrics(&account, "at://did:plc:abc/app.bsky.feed.post/other")
        .await;
    assert!(
        matches!(missing, Err(PublishError::Permanent { .. })),
        "{missing:?}"
    );

    let profile = responder("200 OK", "", r#"{"did":"did:plc:abc","handle":"me.test","followersCount":42,"followsCount":7,"postsCount":9}"#, Duration::ZERO).await;
    let figures = connector(&profile, Duration::from_secs(5))
        .account_metrics(&account)
        .await
        .unwrap();
    assert_eq!(
        (figures.followers, figures.following, figures.posts),
        (Some(42), Some(7), Some(9))
    );

    let notifications = responder(
        "200 OK",
        "",
        r#"{"notifications":[
          {"uri":"at://did:plc:bob/app.bsky.feed.post/3kaaaaaaaaaa2","cid":"c1","author":{"did":"did:plc:bob","handle":"bob.test"},"reason":"reply","isRead":false,"indexedAt":"2026-11-30T12:00:02.000Z",
           "record":{"$type":"app.bsky.feed.post","text":"nice","createdAt":"2026-11-30T12:00:02.000Z","reply":{"root":{"uri":"at://did:plc:abc/app.bsky.feed.post/root","cid":"r"},"parent":{"uri":"at://did:plc:abc/app.bsky.feed.post/root","cid":"r"}}}},
          {"uri":"at://did:plc:carol/app.bsky.feed.post/3kaaaaaaaaab2","cid":"c2","author":{"did":"did:plc:carol","handle":"carol.test"},"reason":"mention","isRead":false,"indexedAt":"2026-11-30T12:00:01.000Z",
           "record":{"$type":"app.bsky.feed.post","text":"hi @me.test","createdAt":"2026-11-30T12:00:01.000Z"}},
          {"uri":"at://did:plc:dave/app.bsky.feed.like/3kaaaaaaaaac2","cid":"c3","author":{"did":"did:plc:dave","handle":"dave.test"},"reason":"like","isRead":false,"indexedAt":"2026-11-30T12:00:03.000Z","record":{}}
        ]}"#,
        Duration::ZERO,
    )
    .await;
    let inbox_account = AccountContext {
        instance_url: Some(notifications.clone()),
        ..account
    };
    let bluesky = connector(&notifications, Duration::from_secs(5));
    let page = bluesky.inbox(&inbox_account, None).await.unwrap();
    assert_eq!(page.items.len(), 2, "likes are not inbox items");
    assert_eq!(page.items[0].kind, InboxKind::Reply);
    assert_eq!(
        page.items[0].thread_id,
        "at://did:plc:abc/app.bsky.feed.post/root"
    );
    assert_eq!(page.items[0].author, "bob.test");
    assert_eq!(page.items[1].kind, InboxKind::Mention);
    assert_eq!(page.cursor.as_deref(), Some("2026-11-30T12:00:02.000Z"));
    let next = bluesky
        .inbox(&inbox_account, page.cursor.as_deref())
        .await
        .unwrap();
    assert!(next.items.is_empty(), "nothing newer than the cursor");
}

/// The account as the chat fake knows it, with the fake as its PDS: chat has no local service,
/// so these tests never touch the real PDS.
fn chat_account(fake: &BlueskyChatFake) -> AccountContext {
    AccountContext {
        workspace_id: WorkspaceId::new(),
        account_id: AccountId::new(),
        network: Network::Bluesky,
        handle: bluesky_chat::HANDLE.into(),
        platform_account_id: bluesky_chat::DID.into(),
        instance_url: Some(fake.base_url().into()),
        access_token: Some(Secret::new(bluesky_chat::ACCESS_TOKEN.into())),
    }
}

fn a_reply_notification() -> Value {
    json!({"uri":"at://did:plc:bob/app.bsky.feed.post/3kaaaaaaaaaa2","cid":"c1","author":{"did":"did:plc:bob","handle":"bob.test"},"reason":"reply","isRead":false,"indexedAt":"2026-11-30T12:00:02.000Z",
        "record":{"$type":"app.bsky.feed.post","text":"nice","createdAt":"2026-11-30T12:00:02.000Z","reply":{"root":{"uri":"at://did:plc:zenaltome/app.bsky.feed.post/root","cid":"r"},"parent":{"uri":"at://did:plc:zenaltome/app.bsky.feed.post/root","cid":"r"}}}})
}

#[tokio::test]
async fn direct_messages_join_the_inbox_once_and_replies_land_in_the_convo() {
    let fake = BlueskyChatFake::start().await;
    fake.set_page_size(1);
    fake.set_notifications(vec![a_reply_notification()]);
    let carol = fake.add_convo(("did:plc:carol", "carol.test"));
    let dave = fake.add_convo(("did:plc:dave", "dave.test"));
    let hello = fake.add_message(&carol, "did:plc:carol", "hello", "2026-11-30T12:00:00.000Z");
    fake.add_message(
        &carol,
        bluesky_chat::DID,
        "hi carol",
        "2026-11-30T12:00:05.000Z",
    );
    let again = fake.add_message(
        &carol,
        "did:plc:carol",
        "are you there?",
        "2026-11-30T12:00:06.000Z",
    );
    let dave_says = fake.add_message(&dave, "did:plc:dave", "yo", "2026-11-30T12:00:03.000Z");
    let account = chat_account(&fake);
    let bluesky = connector(fake.base_url(), Duration::from_secs(5));

    let page = bluesky.inbox(&account, None).await.unwrap();
    let dms: Vec<&InboxItem> = page
        .items
        .iter()
        .filter(|i| i.kind == InboxKind::DirectMessage)
        .collect();
    let mut ids: Vec<&str> = dms.iter().map(|i| i.platform_id.as_str()).collect();
    ids.sort_unstable();
    let mut expected = vec![hello.as_str(), again.as_str(), dave_says.as_str()];
    expected.sort_unstable();
    assert_eq!(ids, expected, "each message from others once, ours skipped");
    let yo = dms.iter().find(|i| i.platform_id == dave_says).unwrap();
    assert_eq!(
        (
            yo.thread_id.as_str(),
            yo.author_id.as_str(),
            yo.author.as_str(),
            yo.text.as_str()
        ),
        (dave.as_str(), "did:plc:dave", "dave.test", "yo")
    );
    assert_eq!(
        page.items
            .iter()
            .filter(|i| i.kind == InboxKind::Reply)
            .count(),
        1,
        "notifications are still listed"
    );

    let quiet = bluesky
        .inbox(&account, page.cursor.as_deref())
        .await
        .unwrap();
    assert!(quiet.items.is_empty(), "{:?}", quiet.items);
    assert_eq!(quiet.cursor, page.cursor);

    let later = fake.add_message(
        &dave,
        "did:plc:dave",
        "still there?",
        "2026-11-30T13:00:00.000Z",
    );
    let next = bluesky
        .inbox(&account, page.cursor.as_deref())
        .await
        .unwrap();
    assert_eq!(
        next.items
            .iter()
            .map(|i| i.platform_id.as_str())
            .collect::<Vec<_>>(),
        vec![later.as_str()]
    );
    assert_ne!(next.cursor, page.cursor, "the cursor moves");

    let sent = bluesky.reply(&account, yo, "hello dave").await.unwrap();
    assert_eq!(fake.sent(), vec![(dave.clone(), "hello dave".to_owned())]);
    let convo = fake.convo(&dave).unwrap();
    let last = convo.messages.last().unwrap();
    assert_eq!(
        (last.id.as_str(), last.sender.as_str()),
        (sent.platform_post_id.as_str(), bluesky_chat::DID)
    );
    let after_reply = bluesky
        .inbox(&account, next.cursor.as_deref())
        .await
        .unwrap();
    assert!(
        after_reply.items.is_empty(),
        "our reply is not an inbox item"
    );
}

#[tokio::test]
async fn an_old_notification_cursor_still_works_with_messages() {
    let fake = BlueskyChatFake::start().await;
    fake.set_notifications(vec![a_reply_notification()]);
    let carol = fake.add_convo(("did:plc:carol", "carol.test"));
    fake.add_message(&carol, "did:plc:carol", "hello", "2026-11-30T12:00:00.000Z");
    let bluesky = connector(fake.base_url(), Duration::from_secs(5));
    let page = bluesky
        .inbox(&chat_account(&fake), Some("2026-11-30T12:00:02.000Z"))
        .await
        .unwrap();
    let kinds: Vec<InboxKind> = page.items.iter().map(|i| i.kind).collect();
    assert_eq!(
        kinds,
        vec![InboxKind::DirectMessage],
        "the notification was seen"
    );
}

#[tokio::test]
async fn without_the_dm_privilege_the_inbox_keeps_notifications() {
    let fake = BlueskyChatFake::start().await;
    fake.set_notifications(vec![a_reply_notification()]);
    let carol = fake.add_convo(("did:plc:carol", "carol.test"));
    fake.add_message(&carol, "did:plc:carol", "hello", "2026-11-30T12:00:00.000Z");
    fake.set_no_dm_privilege(true);
    let account = chat_account(&fake);
    let bluesky = connector(fake.base_url(), Duration::from_secs(5));

    let page = bluesky.inbox(&account, None).await.unwrap();
    let kinds: Vec<InboxKind> = page.items.iter().map(|i| i.kind).collect();
    assert_eq!(kinds, vec![InboxKind::Reply]);

    let dm = InboxItem {
        platform_id: "msg1".into(),
        kind: InboxKind::DirectMessage,
        thread_id: carol,
        author_id: "did:plc:carol".into(),
        author: "carol.test".into(),
        text: "hello".into(),
        in_reply_to: None,
        at: Timestamp::now(),
    };
    match bluesky.reply(&account, &dm, "hi").await {
        Err(PublishError::Reconnect { message }) => {
            assert!(message.contains("direct messages"), "{message}");
            assert!(message.contains("app password"), "{message}");
        }
        other => panic!("expected Reconnect, got {other:?}"),
    }
    assert!(fake.sent().is_empty());
}

#[tokio::test]
async fn chat_needs_the_proxy_header_the_fake_checks() {
    let fake = BlueskyChatFake::start().await;
    fake.add_convo(("did:plc:carol", "carol.test"));
    let mut settings = NetworkSettings::default();
    settings.urls.insert(
        "chat_proxy".into(),
        "did:web:elsewhere.test#bsky_chat".into(),
    );
    let bluesky = BlueskyConnector::new(
        &settings,
        zenalto_networks::http::client(Duration::from_secs(5)),
    );
    let refused = bluesky.inbox(&chat_account(&fake), None).await;
    assert!(
        matches!(refused, Err(PublishError::Permanent { .. })),
        "{refused:?}"
    );
}

#[tokio::test]
async fn chat_throttling_is_rate_limited() {
    let fake = BlueskyChatFake::start().await;
    fake.add_convo(("did:plc:carol", "carol.test"));
    let reset = Timestamp::now().plus_seconds(120);
    fake.faults.push(
        "GET chat.bsky.convo.listConvos",
        Fault::status(
            429,
            bluesky_chat::xrpc_error("RateLimitExceeded", "Rate Limit Exceeded"),
        )
        .with_header("ratelimit-reset", &(reset.as_millis() / 1000).to_string()),
    );
    let bluesky = connector(fake.base_url(), Duration::from_secs(5));
    let throttled = bluesky.inbox(&chat_account(&fake), None).await;
    assert!(
        matches!(
            throttled,
            Err(PublishError::RateLimited {
                reset_at: Some(_),
                ..
            })
        ),
        "{throttled:?}"
    );
}
