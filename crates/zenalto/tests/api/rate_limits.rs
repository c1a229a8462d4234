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
