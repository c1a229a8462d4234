//! The audit log: rows for every mutating action, filters, pagination, CSV, access.

use reqwest::Method;
use zenalto_testkit::{StatusCode, TestApp, Value, both_backends, json};

both_backends!(mutations_are_audited_with_actor_and_request, |app: TestApp| async move {
    let owner = app.signed_in("audit@example.org").await;
    let base = format!("/api/v1/workspaces/{}", owner.workspace_id);
    let response = app
        .request(Method::PATCH, &base, Some(&owner.access))
        .header("user-agent", "audit-test/1.0")
        .json(&json!({ "name": "Renamed" }))
        .send()
        .await
        .unwrap();
    let request_id = response.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(response.status(), StatusCode::OK);
    let member = app.member(&owner, "audited@example.org", "editor").await;
    app.call(Method::PATCH, &format!("{base}/members/{}", member.user_id), Some(&owner.access), Some(json!({ "role": "viewer" }))).await;
    let (_, key) = app.post(&format!("{base}/api-keys"), Some(&owner.access), json!({ "name": "k", "scopes": ["post:read"] })).await;
    app.call(Method::DELETE, &format!("{base}/api-keys/{}", key["key"]["id"].as_str().unwrap()), Some(&owner.access), None).await;
    app.call(Method::DELETE, &format!("{base}/members/{}", member.user_id), Some(&owner.access), None).await;

    let (status, log) = app.get(&format!("{base}/audit-log"), &owner.access).await;
    assert_eq!(status, StatusCode::OK);
    let actions: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for expected in ["workspace.create", "workspace.update", "invitation.create", "invitation.accept", "member.role_change", "api_key.create", "api_key.revoke", "member.remove"] {
        assert!(actions.contains(&expected), "{expected} missing from {actions:?}");
    }
    let rename = log["items"].as_array().unwrap().iter().find(|e| e["action"] == "workspace.update").unwrap();
    assert_eq!(rename["actorType"], "user");
    assert_eq!(rename["actorId"], owner.user_id.as_str());
    assert_eq!(rename["actorEmail"], "audit@example.org");
    assert_eq!(rename["resourceType"], "workspace");
    assert_eq!(rename["changes"]["name"], json!({ "from": "Test User's workspace", "to": "Renamed" }));
    assert_eq!(rename["ip"], "127.0.0.1");
    assert_eq!(rename["userAgent"], "audit-test/1.0");
    assert_eq!(rename["requestId"], request_id.as_str());
    let role_change = log["items"].as_array().unwrap().iter().find(|e| e["action"] == "member.role_change").unwrap();
    assert_eq!(role_change["changes"]["role"], json!({ "from": "editor", "to": "viewer" }));
    assert!(!log.to_string().contains("zk_"), "no key secrets in the log");
});

both_backends!(filters_and_cursor_pagination, |app: TestApp| async move {
    let owner = app.signed_in("pages@example.org").await;
    let base = format!("/api/v1/workspaces/{}", owner.workspace_id);
    for n in 0..5 {
        app.call(Method::PATCH, &base, Some(&owner.access), Some(json!({ "name": format!("Name {n}") }))).await;
    }
    let (_, filtered) = app.get(&format!("{base}/audit-log?action=workspace.update"), &owner.access).await;
    assert_eq!(filtered["items"].as_array().unwrap().len(), 5);
    let (_, by_type) = app.get(&format!("{base}/audit-log?resourceType=workspace&actorId={}", owner.user_id), &owner.access).await;
    assert_eq!(by_type["items"].as_array().unwrap().len(), 6, "5 updates and the creation");
    let (_, future) = app.get(&format!("{base}/audit-log?from=2999-01-01T00:00:00Z"), &owner.access).await;
    assert_eq!(future["items"].as_array().unwrap().len(), 0);
    let (_, past) = app.get(&format!("{base}/audit-log?to=2000-01-01T00:00:00Z"), &owner.access).await;
    assert_eq!(past["items"].as_array().unwrap().len(), 0);
    let (status, body) = app.get(&format!("{base}/audit-log?from=yesterday"), &owner.access).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("{base}/audit-log?limit=2&cursor={c}"),
            None => format!("{base}/audit-log?limit=2"),
        };
        let (status, page) = app.get(&path, &owner.access).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|e| e["id"].as_str().unwrap().to_owned()));
        match &page["nextCursor"] {
            Value::String(next) => cursor = Some(next.clone()),
            _ => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(seen.len(), 6, "every row once");
    assert_eq!(unique.len(), 6, "no duplicates across pages");
    let (status, body) = app.get(&format!("{base}/audit-log?cursor=bogus"), &owner.access).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["cursor"], "is not a cursor this API issued");
});

both_backends!(csv_export_is_complete_and_formula_safe, |app: TestApp| async move {
    let owner = app.signed_in("csv@example.org").await;
    let base = format!("/api/v1/workspaces/{}", owner.workspace_id);
    app.request(Method::PATCH, &base, Some(&owner.access)).header("user-agent", "=HYPERLINK(\"x\")").json(&json!({ "name": "CSV" })).send().await.unwrap();
    let response = app.request(Method::GET, &format!("{base}/audit-log.csv"), Some(&owner.access)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(reader.headers().unwrap().iter().next(), Some("id"));
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2, "creation and rename: {text}");
    let agent_column = reader.headers().unwrap().iter().position(|h| h == "user_agent").unwrap();
    assert_eq!(&rows[0][agent_column], "'=HYPERLINK(\"x\")", "formula neutralised");
});

both_backends!(only_owners_and_admins_read_the_log, |app: TestApp| async move {
    let owner = app.signed_in("reader@example.org").await;
    let admin = app.member(&owner, "r-admin@example.org", "admin").await;
    let base = format!("/api/v1/workspaces/{}", owner.workspace_id);
    let (status, _) = app.get(&format!("{base}/audit-log"), &admin.access).await;
    assert_eq!(status, StatusCode::OK);
    for role in ["manager", "editor", "viewer"] {
        let member = app.member(&owner, &format!("r-{role}@example.org"), role).await;
        for path in [format!("{base}/audit-log"), format!("{base}/audit-log.csv")] {
            let (status, body) = app.get(&path, &member.access).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{role} {path}: {body}");
        }
    }
});
