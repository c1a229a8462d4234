//! Rate limits: per IP (stricter on credential routes), per caller, and X-Forwarded-For only
//! from trusted proxies, read right to left.

use reqwest::Method;
use zenalto_testkit::{Backend, StatusCode, json, read, spawn_app_with};

fn login(app: &zenalto_testkit::TestApp, forwarded_for: Option<&str>) -> reqwest::RequestBuilder {
    let request = app.request(Method::POST, "/api/v1/auth/login", None).json(&json!({ "email": "a@example.org", "password": "x" }));
    match forwarded_for {
        Some(xff) => request.header("x-forwarded-for", xff),
        None => request,
    }
}

#[tokio::test]
async fn credential_routes_are_limited_per_ip_with_retry_after() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.rate_limit.auth_per_ip_per_minute = 3).await;
    for _ in 0..3 {
        assert_eq!(login(&app, None).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
    let response = login(&app, None).send().await.unwrap();
    let retry_after: u64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after));
    let (status, body) = read(response).await;
    assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::TOO_MANY_REQUESTS, "RATE_LIMIT_EXCEEDED"));
    assert_eq!(body["error"]["details"]["retryAfterSecs"], retry_after);
    // A forged X-Forwarded-For from an untrusted peer does not buy a fresh bucket.
    assert_eq!(login(&app, Some("203.0.113.77")).send().await.unwrap().status(), StatusCode::TOO_MANY_REQUESTS);
    // Other routes keep their own, larger budget.
    assert_eq!(app.request(Method::GET, "/health", None).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn behind_a_trusted_proxy_each_client_has_its_own_bucket() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.rate_limit.auth_per_ip_per_minute = 2;
        s.server.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    for _ in 0..2 {
        assert_eq!(login(&app, Some("198.51.100.1")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(login(&app, Some("198.51.100.1")).send().await.unwrap().status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(login(&app, Some("198.51.100.2")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED, "another client");
    // The client forges a leftmost entry; the proxy appended the real address, which is the key.
    assert_eq!(login(&app, Some("10.9.9.9, 198.51.100.1")).send().await.unwrap().status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn authenticated_callers_have_a_budget_of_their_own() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.rate_limit.per_user_per_minute = 3).await;
    let account = app.signed_in("busy@example.org").await;
    for _ in 0..3 {
        let (status, _) = app.get("/api/v1/me", &account.access).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, body) = app.get("/api/v1/me", &account.access).await;
    assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::TOO_MANY_REQUESTS, "RATE_LIMIT_EXCEEDED"));
    let other = app.signed_in("calm@example.org").await;
    let (status, _) = app.get("/api/v1/me", &other.access).await;
    assert_eq!(status, StatusCode::OK, "another user is unaffected");
}

async fn assert_limited(response: reqwest::Response, what: &str) {
    let retry_after: u64 = response
        .headers()
        .get("retry-after")
        .unwrap_or_else(|| panic!("{what}: no Retry-After"))
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let (status, body) = read(response).await;
    assert_eq!((status, body["error"]["code"].as_str()), (StatusCode::TOO_MANY_REQUESTS, Some("RATE_LIMIT_EXCEEDED")), "{what}: {body}");
    assert_eq!(body["error"]["details"]["retryAfterSecs"], retry_after, "{what}");
    assert!((1..=60).contains(&retry_after), "{what}: {retry_after}");
}

#[tokio::test]
async fn the_per_user_budget_follows_the_user_across_addresses_and_sessions() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.rate_limit.per_user_per_minute = 4;
        s.server.trusted_proxies = vec!["127.0.0.1/32".parse().unwrap()];
    })
    .await;
    let account = app.signed_in("roaming@example.org").await;
    let me = |token: &str, xff: &str| app.request(Method::GET, "/api/v1/me", Some(token)).header("x-forwarded-for", xff).send();
    for i in 0..4 {
        assert_eq!(me(&account.access, &format!("198.51.100.{i}")).await.unwrap().status(), StatusCode::OK);
    }
    assert_limited(me(&account.access, "198.51.100.99").await.unwrap(), "a new address").await;
    // Signing in again gives a new token, not a new budget.
    let (status, session) = app.login(&account.email, &account.password).await;
    assert_eq!(status, StatusCode::OK);
    assert_limited(me(session["accessToken"].as_str().unwrap(), "198.51.100.100").await.unwrap(), "a new session").await;
    // Unauthenticated answers are not spent from (or blocked by) the user's budget.
    let (status, _) = app.call(Method::GET, "/api/v1/me", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn every_api_route_is_limited_per_ip() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.rate_limit.per_ip_per_minute = 5).await;
    for _ in 0..5 {
        assert_eq!(app.request(Method::GET, "/api/v1/nope", None).send().await.unwrap().status(), StatusCode::NOT_FOUND);
    }
    assert_limited(app.request(Method::GET, "/api/v1/nope", None).send().await.unwrap(), "unknown route").await;
    assert_limited(login(&app, None).send().await.unwrap(), "credential route").await;
    assert_limited(app.request(Method::GET, "/api/v1/me", None).send().await.unwrap(), "authenticated route").await;
    // The web UI is not an API route.
    assert_eq!(app.request(Method::GET, "/", None).send().await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn limits_can_be_switched_off() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.rate_limit.enabled = false;
        s.rate_limit.auth_per_ip_per_minute = 1;
        s.rate_limit.per_ip_per_minute = 1;
    })
    .await;
    for _ in 0..5 {
        assert_eq!(login(&app, None).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn forwarded_chains_are_read_right_to_left_past_trusted_hops() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.rate_limit.auth_per_ip_per_minute = 1;
        s.server.trusted_proxies = vec!["127.0.0.0/8".parse().unwrap(), "10.0.0.0/8".parse().unwrap()];
    })
    .await;
    // Client 198.51.100.7 behind two trusted proxies.
    assert_eq!(login(&app, Some("198.51.100.7, 10.0.0.2")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    // Same client, forged prefix, through one proxy: same bucket.
    assert_limited(login(&app, Some("203.0.113.1, 198.51.100.7")).send().await.unwrap(), "same client, forged prefix").await;
    // Several X-Forwarded-For header lines are one list, in order.
    let split = app
        .request(Method::POST, "/api/v1/auth/login", None)
        .json(&json!({ "email": "a@example.org", "password": "x" }))
        .header("x-forwarded-for", "203.0.113.2")
        .header("x-forwarded-for", "198.51.100.7")
        .send()
        .await
        .unwrap();
    assert_limited(split, "split header").await;
    // A proxy that forwards garbage: the proxy itself is the client (one shared bucket, never a free one).
    assert_eq!(login(&app, Some("not-an-ip")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
    assert_limited(login(&app, Some("also garbage")).send().await.unwrap(), "garbage header").await;
    assert_limited(login(&app, None).send().await.unwrap(), "no header: the peer").await;
}
