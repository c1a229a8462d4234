//! API conventions: request ids, the error envelope, body parsing errors, size limits, headers,
//! CORS, health, metrics and the OpenAPI document.

use reqwest::Method;
use zenalto_testkit::{Backend, StatusCode, TestApp, Value, both_backends, json, read, spawn_app, spawn_app_with};

both_backends!(errors_use_the_envelope_with_the_request_id, |app: TestApp| async move {
    let response = app.request(Method::GET, "/api/v1/me", None).header("x-request-id", "trace-abc_123").send().await.unwrap();
    assert_eq!(response.headers()["x-request-id"], "trace-abc_123", "a sane incoming id is kept");
    let (status, body) = read(response).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let error = body["error"].as_object().unwrap();
    let mut keys: Vec<&str> = error.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["code", "details", "message", "requestId", "timestamp"]);
    assert_eq!(body["error"]["requestId"], "trace-abc_123");
    assert!(zenalto_domain::Timestamp::parse_rfc3339(body["error"]["timestamp"].as_str().unwrap()).is_some());

    let insane = "x".repeat(200);
    let response = app.request(Method::GET, "/health", None).header("x-request-id", &insane).send().await.unwrap();
    let id = response.headers()["x-request-id"].to_str().unwrap();
    assert!(id != insane && uuid::Uuid::parse_str(id).is_ok(), "an unusable id is replaced: {id}");
    let response = app.request(Method::GET, "/health", None).header("x-request-id", "has spaces").send().await.unwrap();
    assert_ne!(response.headers()["x-request-id"], "has spaces");

    let (status, body) = app.call(Method::GET, "/api/v1/nope", None, None).await;
    assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::NOT_FOUND, "NOT_FOUND"));
    let (status, body) = app.call(Method::PUT, "/api/v1/auth/login", None, Some(json!({}))).await;
    assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED"));
});

both_backends!(malformed_bodies_are_refused_clearly, |app: TestApp| async move {
    let raw = |body: &'static str, content_type: &'static str| {
        app.request(Method::POST, "/api/v1/auth/register", None).header("content-type", content_type).body(body).send()
    };
    let (status, body) = read(raw("{\"email\": ", "application/json").await.unwrap()).await;
    assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR"));
    assert!(body["error"]["details"]["body"].is_string(), "{body}");
    let (status, body) = read(raw("email=a", "application/x-www-form-urlencoded").await.unwrap()).await;
    assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE"));
    let (status, body) = read(raw("[1, 2]", "application/json").await.unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app.post("/api/v1/auth/register", None, json!({ "email": 42, "password": "x", "name": "y" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["details"]["email"].as_str().unwrap().contains("expected a string"), "{body}");
});

both_backends!(pagination_parameters_are_validated, |app: TestApp| async move {
    let account = app.signed_in("pager@example.org").await;
    for query in ["limit=0", "limit=500", "limit=abc", "cursor=%%%"] {
        let (status, body) = app.get(&format!("/api/v1/me/sessions?{query}"), &account.access).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(body["error"]["code"], "VALIDATION_ERROR");
    }
});

#[tokio::test]
async fn oversized_bodies_are_refused_and_nothing_is_stored() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let app = spawn_app_with(backend, |s| s.server.body_limit_bytes = 2048).await;
        let padding = "x".repeat(4096);
        let (status, body) =
            app.post("/api/v1/auth/register", None, json!({ "email": "big@example.org", "password": "correct horse battery", "name": padding })).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{backend:?}");
        assert_eq!(body["error"]["code"], "PAYLOAD_TOO_LARGE");
        let (status, body) = app.post("/api/v1/auth/login", None, json!({ "email": "big@example.org", "password": "correct horse battery" })).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "no account was created: {body}");
    }
}

#[tokio::test]
async fn security_headers_and_cors() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.server.cors_origins = vec!["https://app.example.org".into()]).await;
    let response = app.request(Method::GET, "/health", None).send().await.unwrap();
    let headers = response.headers();
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert!(headers["content-security-policy"].to_str().unwrap().contains("default-src 'self'"));
    assert!(headers.get("strict-transport-security").is_none(), "no HSTS over plain http");

    let preflight = |origin: &'static str| {
        app.request(Method::OPTIONS, "/api/v1/auth/login", None)
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let allowed = preflight("https://app.example.org").await.unwrap();
    assert_eq!(allowed.headers()["access-control-allow-origin"], "https://app.example.org");
    let refused = preflight("https://evil.example.com").await.unwrap();
    assert!(refused.headers().get("access-control-allow-origin").is_none());

    let https = spawn_app_with(Backend::Sqlite, |s| s.server.public_url = "https://zenalto.example.org".into()).await;
    // spawn_app_with rewrites public_url to the test address after start-up, but HSTS is decided
    // from the configured value at router construction.
    let response = https.request(Method::GET, "/health", None).send().await.unwrap();
    assert!(response.headers()["strict-transport-security"].to_str().unwrap().starts_with("max-age="));
}

both_backends!(health_ready_and_metrics, |app: TestApp| async move {
    let (status, health) = app.call(Method::GET, "/health", None, None).await;
    assert_eq!((status, health["status"].as_str().unwrap()), (StatusCode::OK, "ok"));
    let (status, ready) = app.call(Method::GET, "/ready", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(ready["database"], "ok");

    let account = app.signed_in("metrics@example.org").await;
    app.get(&format!("/api/v1/workspaces/{}/members", account.workspace_id), &account.access).await;
    let text = app.request(Method::GET, "/metrics", None).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("http_requests_total"), "{text}");
    assert!(text.contains("http_request_duration_seconds_bucket"));
    assert!(text.contains("route=\"/api/v1/workspaces/{workspaceId}/members\""), "route templates, not raw ids");
    assert!(!text.contains(&account.workspace_id), "no ids in metric labels");
});

#[tokio::test]
async fn ready_reports_a_dead_database() {
    let app = spawn_app(Backend::Sqlite).await;
    app.services.db.close().await;
    let (status, ready) = app.call(Method::GET, "/ready", None, None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(ready["status"], "not_ready");
}

#[tokio::test]
async fn every_documented_operation_is_served_and_described() {
    let app = spawn_app(Backend::Sqlite).await;
    let (status, doc) = app.call(Method::GET, "/api/openapi.json", None, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"), "{}", doc["openapi"]);
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.len() >= 25, "only {} paths documented", paths.len());
    let id = "01900000-0000-7000-8000-000000000000";
    for (path, operations) in paths {
        for (method, operation) in operations.as_object().unwrap() {
            assert!(!operation["responses"].as_object().unwrap().is_empty(), "{method} {path} documents no response");
            let concrete = path
                .replace("{workspaceId}", id)
                .replace("{userId}", id)
                .replace("{sessionId}", id)
                .replace("{invitationId}", id)
                .replace("{keyId}", id);
            let method: Method = method.to_uppercase().parse().unwrap();
            let (status, body) = app.call(method.clone(), &concrete, None, None).await;
            let catch_all = body["error"]["message"] == Value::String("no such endpoint; see /api/docs".into());
            assert!(!catch_all && status != StatusCode::METHOD_NOT_ALLOWED, "{method} {path} is documented but not served");
        }
    }
    assert!(doc["components"]["schemas"]["ErrorEnvelope"].is_object());
    let codes = doc["components"]["schemas"]["ErrorCode"].to_string();
    for code in ["VALIDATION_ERROR", "RATE_LIMIT_EXCEEDED", "NOT_FOUND", "INTERNAL_ERROR"] {
        assert!(codes.contains(code), "{code} missing from the ErrorCode schema");
    }
}
