//! The MCP server with a real client: the official Python SDK lists the tools, calls one,
//! proposes and confirms a schedule, and gets a tool error naming the missing permission with a
//! key that lacks it. Raw requests check the key requirement.

use super::{berlin_date, berlin_instant};
use zenalto_domain::Timestamp;
use zenalto_testkit::{StatusCode, TestApp, Value, both_backends, json};

async fn key(app: &TestApp, owner: &zenalto_testkit::Account, scopes: &[&str]) -> String {
    let path = format!("/api/v1/workspaces/{}/api-keys", owner.workspace_id);
    let (status, created) = app.post(&path, Some(&owner.access), json!({ "name": "mcp", "scopes": scopes })).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["secret"].as_str().unwrap().to_owned()
}

both_backends!(mcp_python_sdk_session_lists_calls_confirms_and_is_refused_without_permission, |app: TestApp| async move {
    let owner = app.signed_in("mcp-owner@example.org").await;
    let account = app.sandbox_account(&owner, "mcp-studio").await;
    let post = app.draft(&owner, "Our webinar on pricing, live next week", &[&account]).await;
    let post_id = post["id"].as_str().unwrap();
    let full = key(&app, &owner, &["post:read", "post:create", "post:update", "post:publish", "analytics:view"]).await;
    let limited = key(&app, &owner, &["post:read"]).await;

    // Without a key, or with a person's token, /mcp answers 401 with a Bearer challenge.
    let init = json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize", "params": { "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": { "name": "t", "version": "1" } } });
    for token in [None, Some(owner.access.as_str())] {
        let response = app.request(reqwest::Method::POST, "/mcp", token).header("accept", "application/json, text/event-stream").json(&init).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(response.headers()["www-authenticate"], "Bearer");
    }

    let date = berlin_date(2);
    let local = format!("{date}T10:15");
    let python = std::env::var("ZENALTO_TEST_PYTHON").expect("ZENALTO_TEST_PYTHON: run scripts/services.sh, which installs the mcp SDK");
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/assistant/mcp_client.py");
    let output = tokio::process::Command::new(python).arg(script).arg(app.url("/mcp")).arg(&full).arg(&limited).arg(post_id).arg(&local).output().await.unwrap();
    assert!(output.status.success(), "client failed: {}", String::from_utf8_lossy(&output.stderr));
    let out: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&output.stdout)));

    assert_eq!(out["server"], "zenalto");
    let tools: Vec<&str> = out["tools"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    for name in ["list_accounts", "find_posts", "list_calendar", "draft_post", "schedule_post", "cancel_post", "confirm_action"] {
        assert!(tools.contains(&name), "{name} in {tools:?}");
    }
    assert_eq!(out["accounts"]["isError"], false, "{out}");
    assert!(out["accounts"]["text"][0].as_str().unwrap().contains("@mcp-studio"), "{out}");
    assert_eq!(out["proposal"]["isError"], false);
    assert!(out["proposal"]["text"][0].as_str().unwrap().starts_with("Proposed, not done yet"), "{out}");
    assert!(out["proposal"]["text"][0].as_str().unwrap().contains("10:15 (Europe/Berlin)"), "{out}");
    assert_eq!(out["confirmed"]["isError"], false, "{out}");
    let scheduled = app.get_post(&owner, post_id).await;
    assert_eq!(scheduled["status"], "scheduled", "{scheduled}");
    assert_eq!(Timestamp::parse_rfc3339(scheduled["scheduledAt"].as_str().unwrap()), Timestamp::parse_rfc3339(&berlin_instant(&date, "10:15")));

    assert_eq!(out["refused"]["isError"], true, "{out}");
    assert!(out["refused"]["text"][0].as_str().unwrap().contains("missing permission post:publish"), "{out}");
    assert_eq!(out["limitedRead"]["isError"], false, "reading is within the key's scope: {out}");
    assert!(out["limitedRead"]["text"][0].as_str().unwrap().contains("1 post mention"), "{out}");
});
