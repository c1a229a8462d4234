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

// Every kind of answer — success, API error, SPA page, preflight, metrics — carries a request
// id; a generated one is a UUID, unique per request, and is the `requestId` of the envelope.
both_backends!(every_response_carries_a_request_id, |app: TestApp| async move {
    let account = app.signed_in("ids@example.org").await;
    let requests = [
        app.request(Method::GET, "/health", None),
        app.request(Method::GET, "/ready", None),
        app.request(Method::GET, "/metrics", None),
        app.request(Method::GET, "/api/openapi.json", None),
        app.request(Method::GET, "/some/page/of/the/ui", None),
        app.request(Method::GET, "/api/v1/me", Some(&account.access)),
        app.request(Method::GET, "/api/v1/me", None),
        app.request(Method::GET, "/api/v1/nope", None),
        app.request(Method::DELETE, "/api/v1/auth/login", None),
        app.request(Method::POST, "/api/v1/auth/login", None).header("content-type", "text/plain").body("x"),
        app.request(Method::POST, "/api/v1/auth/login", None).header("content-type", "application/json").body("{"),
        app.request(Method::OPTIONS, "/api/v1/auth/login", None)
            .header("origin", "https://elsewhere.example.org")
            .header("access-control-request-method", "POST"),
    ];
    let mut seen = std::collections::HashSet::new();
    for request in requests {
        let response = request.send().await.unwrap();
        let what = format!("{} {}", response.status(), response.url().path());
        let id = response.headers().get("x-request-id").unwrap_or_else(|| panic!("{what}: no x-request-id")).to_str().unwrap().to_owned();
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "{what}: generated id {id} is not a UUID");
        assert!(seen.insert(id.clone()), "{what}: id {id} was reused");
        let is_json = response.headers().get("content-type").is_some_and(|v| v.to_str().unwrap().starts_with("application/json"));
        let status = response.status();
        let (_, body) = read(response).await;
        if is_json && (status.is_client_error() || status.is_server_error()) {
            assert_eq!(body["error"]["requestId"], id.as_str(), "{what}: the envelope quotes the header's id");
        }
    }

    // A sane id is echoed on errors too, and ids at the edge of sanity are judged exactly.
    let limit = "a".repeat(64);
    for (sent, kept) in [(limit.as_str(), true), (&*"a".repeat(65), false), ("", false), ("ünïcode", false), ("a/b", false)] {
        let response = app.request(Method::GET, "/api/v1/nope", None).header("x-request-id", sent).send().await.unwrap();
        let echoed = response.headers()["x-request-id"].to_str().unwrap().to_owned();
        let (_, body) = read(response).await;
        assert_eq!(body["error"]["requestId"], echoed.as_str());
        assert_eq!(echoed == sent, kept, "{sent:?} came back as {echoed:?}");
    }
});

// The envelope exactly: five keys, a stable code, a human message, RFC 3339 timestamp (UTC,
// close to now) and the request id.
both_backends!(the_error_envelope_is_exact, |app: TestApp| async move {
    let before = zenalto_domain::Timestamp::now().as_millis();
    let response = app.request(Method::GET, "/api/v1/nope", None).send().await.unwrap();
    let header = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
    let (status, body) = read(response).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body.as_object().unwrap().len(), 1, "only the `error` key at the top: {body}");
    assert_eq!(body["error"]["code"], "NOT_FOUND");
    assert_eq!(body["error"]["message"], "no such endpoint; see /api/docs");
    assert_eq!(body["error"]["details"], Value::Null);
    assert_eq!(body["error"]["requestId"], header.as_str());
    let timestamp = body["error"]["timestamp"].as_str().unwrap();
    let parsed = zenalto_domain::Timestamp::parse_rfc3339(timestamp).unwrap_or_else(|| panic!("{timestamp} is not RFC 3339")).as_millis();
    assert!(timestamp.ends_with('Z') && timestamp.contains('T'), "UTC date-time: {timestamp}");
    let after = zenalto_domain::Timestamp::now().as_millis();
    assert!(parsed >= before - 1000 && parsed <= after + 1000, "{timestamp} is not now");

    // 405 names what is allowed (RFC 9110 requires Allow).
    let response = app.request(Method::DELETE, "/api/v1/auth/register", None).send().await.unwrap();
    assert_eq!(response.headers()["allow"], "POST");
    let (status, body) = read(response).await;
    assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED"));
    assert_eq!(body["error"]["details"], Value::Null);

    // An unknown id under a real route is NOT_FOUND too, but not the catch-all.
    let account = app.signed_in("envelope@example.org").await;
    let (status, body) = app.get("/api/v1/workspaces/01900000-0000-7000-8000-000000000000", &account.access).await;
    assert!(matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN), "{status} {body}");
    assert_ne!(body["error"]["message"], "no such endpoint; see /api/docs");
    // A deeper unknown path under a real prefix is the catch-all.
    let path = format!("/api/v1/workspaces/{}/nope", account.workspace_id);
    let (status, body) = app.get(&path, &account.access).await;
    assert_eq!((status, body["error"]["message"].as_str().unwrap()), (StatusCode::NOT_FOUND, "no such endpoint; see /api/docs"));
});

// A missing, unknown or mistyped field is named in `details`, also when nested or camelCased.
both_backends!(missing_and_unknown_fields_are_named, |app: TestApp| async move {
    let cases = [
        (json!({ "email": "f@example.org", "name": "F" }), "password", "is required"),
        (json!({ "email": "f@example.org", "password": "correct horse battery", "name": "F", "admin": true }), "admin", "is not a known field"),
        (json!({ "email": "f@example.org", "password": "correct horse battery", "name": "F", "workspace_name": "W" }), "workspace_name", "is not a known field"),
        (json!({ "email": "f@example.org", "password": "correct horse battery", "name": ["F"] }), "name", "invalid type"),
    ];
    for (payload, field, text) in cases {
        let (status, body) = app.post("/api/v1/auth/register", None, payload.clone()).await;
        assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR"), "{payload}");
        let details = body["error"]["details"].as_object().unwrap();
        assert_eq!(details.len(), 1, "{body}");
        assert!(details[field].as_str().unwrap().starts_with(text), "{payload} → {body}");
    }
    let (status, body) = app.post("/api/v1/auth/login", None, json!({ "email": "f@example.org", "password": "x", "totpCode": 123456 })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["details"]["totpCode"].is_string(), "{body}");

    // An empty JSON body and a JSON body that is not an object are refused, naming the body.
    for raw in ["", "null", "\"text\""] {
        let response = app.request(Method::POST, "/api/v1/auth/register", None).header("content-type", "application/json").body(raw).send().await.unwrap();
        let (status, body) = read(response).await;
        assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR"), "{raw:?}");
        assert!(body["error"]["details"]["body"].is_string(), "{raw:?}: {body}");
    }
    // No Content-Type at all, and a JSON-looking but different one, are 415.
    for content_type in [None, Some("text/json"), Some("application/jsonx")] {
        let mut request = app.request(Method::POST, "/api/v1/auth/login", None).body("{}");
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let (status, body) = read(request.send().await.unwrap()).await;
        assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE"), "{content_type:?}");
    }
    // Parameters and case in the media type are fine.
    let response = app
        .request(Method::POST, "/api/v1/auth/login", None)
        .header("content-type", "Application/JSON; charset=utf-8")
        .body(json!({ "email": "f@example.org", "password": "x" }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
});

async fn count(app: &TestApp, sql: &str, email: &str) -> i64 {
    let mut conn = app.services.db.read().await.unwrap();
    let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql.to_owned())).bind(email).fetch_one(&mut *conn).await.unwrap();
    n
}

/// Over the limit with Content-Length, and with a chunked body that announces no length: 413 in
/// the envelope, and the request had no effect.
#[tokio::test]
async fn oversized_bodies_leave_no_trace() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        oversized_body(backend).await;
    }
}

async fn oversized_body(backend: Backend) {
    let app = spawn_app_with(backend, |s| s.server.body_limit_bytes = 2048).await;
    let email = "huge@example.org";
    // Valid in every respect but its size (whitespace padding), so only the limit can refuse it.
    let valid = json!({ "email": email, "password": "correct horse battery", "name": "Huge" }).to_string();
    let payload = format!("{valid}{}", " ".repeat(4096));

    let response = app.request(Method::POST, "/api/v1/auth/register", None).header("content-type", "application/json").body(payload.clone()).send().await.unwrap();
    let id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    let (status, body) = read(response).await;
    assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE"));
    assert_eq!(body["error"]["requestId"], id.as_str());

    // Chunked: the limit is enforced while reading, not only from Content-Length.
    let mut stream = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    let chunk = format!("{:x}\r\n{payload}\r\n0\r\n\r\n", payload.len());
    let head = format!(
        "POST /api/v1/auth/register HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        app.addr
    );
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    stream.write_all(head.as_bytes()).await.unwrap();
    stream.write_all(chunk.as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), stream.read_to_end(&mut answer)).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("PAYLOAD_TOO_LARGE"), "{answer}");

    assert_eq!(count(&app, "SELECT COUNT(*) FROM users WHERE email = $1", email).await, 0, "no user was stored");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM outbox_emails WHERE to_address = $1", email).await, 0, "no mail was queued");

    // The same request just under the limit is accepted.
    let under = format!("{valid}{}", " ".repeat(2048 - valid.len()));
    let response = app.request(Method::POST, "/api/v1/auth/register", None).header("content-type", "application/json").body(under).send().await.unwrap();
    let (status, body) = read(response).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM users WHERE email = $1", email).await, 1);
}

/// CORS on real (non-preflight) requests: the allowed origin may read the answer and its
/// request id; another origin gets no CORS headers.
#[tokio::test]
async fn cors_on_simple_requests() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.server.cors_origins = vec!["https://app.example.org/".into()]).await;
    let response = app.request(Method::GET, "/api/v1/me", None).header("origin", "https://app.example.org").send().await.unwrap();
    assert_eq!(response.headers()["access-control-allow-origin"], "https://app.example.org", "a trailing slash in the setting is tolerated");
    let exposed = response.headers()["access-control-expose-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(exposed.contains("x-request-id") && exposed.contains("retry-after"), "{exposed}");
    let response = app.request(Method::GET, "/api/v1/me", None).header("origin", "https://evil.example.com").send().await.unwrap();
    assert!(response.headers().get("access-control-allow-origin").is_none());
    assert!(response.headers().get("access-control-allow-credentials").is_none());
    // The preflight of an allowed origin allows the methods and headers the API uses.
    let preflight = app
        .request(Method::OPTIONS, "/api/v1/me", None)
        .header("origin", "https://app.example.org")
        .header("access-control-request-method", "PATCH")
        .header("access-control-request-headers", "authorization, content-type, x-request-id")
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success(), "{}", preflight.status());
    let methods = preflight.headers()["access-control-allow-methods"].to_str().unwrap().to_owned();
    assert!(methods.contains("PATCH") && methods.contains("DELETE"), "{methods}");
    let headers = preflight.headers()["access-control-allow-headers"].to_str().unwrap().to_ascii_lowercase();
    assert!(headers.contains("authorization") && headers.contains("content-type") && headers.contains("x-request-id"), "{headers}");
}

/// Unmatched paths are counted under one label, never their raw path.
#[tokio::test]
async fn metrics_never_label_raw_paths() {
    let app = spawn_app(Backend::Sqlite).await;
    let marker = uuid::Uuid::new_v4().simple().to_string();
    for path in [format!("/api/v1/{marker}"), format!("/ui/{marker}"), format!("/api/v1/workspaces/{marker}")] {
        app.request(Method::GET, &path, None).send().await.unwrap();
    }
    let text = app.request(Method::GET, "/metrics", None).send().await.unwrap().text().await.unwrap();
    assert!(!text.contains(&marker), "a raw path became a label");
    assert!(text.contains("route=\"/api/{*rest}\"") || text.contains("route=\"unmatched\""), "{text}");
    assert!(text.contains("route=\"/api/v1/workspaces/{workspaceId}\""), "templates label matched routes");
}

/// The other direction: nothing under /api/v1 is served without being documented. The source is
/// read for every `#[utoipa::path]` (all must be in the document) and for routes mounted outside
/// the OpenAPI router (there must be none under /api/v1); and on every documented path, every
/// method the document does not list answers 405.
#[tokio::test]
async fn every_served_route_is_documented() {
    let app = spawn_app(Backend::Sqlite).await;
    let (_, doc) = app.call(Method::GET, "/api/openapi.json", None, None).await;
    let mut documented = std::collections::BTreeSet::new();
    for (path, operations) in doc["paths"].as_object().unwrap() {
        for method in operations.as_object().unwrap().keys() {
            documented.insert((method.to_uppercase(), path.clone()));
        }
    }

    let api_src = concat!(env!("CARGO_MANIFEST_DIR"), "/../api/src");
    let mut annotated = std::collections::BTreeSet::new();
    let mut stack = vec![std::path::PathBuf::from(api_src)];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let source = std::fs::read_to_string(&path).unwrap();
            for (i, _) in source.match_indices("#[utoipa::path(") {
                let rest = &source[i + "#[utoipa::path(".len()..];
                let method = rest.split(',').next().unwrap().trim().to_uppercase();
                let after = &rest[rest.find("path = \"").unwrap_or_else(|| panic!("{}: path attribute without path", path.display())) + 8..];
                let route = after.split('"').next().unwrap().to_owned();
                annotated.insert((method, route));
            }
            for mount in [".route(\"", ".nest(\"", ".route_service(\"", ".nest_service(\""] {
                for (i, _) in source.match_indices(mount) {
                    let target = source[i + mount.len()..].split('"').next().unwrap();
                    assert!(!target.starts_with("/api/v1"), "{}: {target} is mounted outside the OpenAPI router", path.display());
                }
            }
        }
    }
    assert_eq!(annotated, documented, "annotated handlers and the served document differ");

    let id = "01900000-0000-7000-8000-000000000000";
    for path in doc["paths"].as_object().unwrap().keys() {
        let concrete = path.split('/').map(|s| if s.starts_with('{') { id } else { s }).collect::<Vec<_>>().join("/");
        for method in [Method::GET, Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            if documented.contains(&(method.to_string(), path.clone())) {
                continue;
            }
            let (status, body) = app.call(method.clone(), &concrete, None, None).await;
            assert_eq!(
                (status, body["error"]["code"].as_str()),
                (StatusCode::METHOD_NOT_ALLOWED, Some("METHOD_NOT_ALLOWED")),
                "{method} {path} is served but not documented"
            );
        }
    }
}
