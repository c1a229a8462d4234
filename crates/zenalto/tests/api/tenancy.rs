//! Tenant isolation: another workspace's ids answer 404 on every route, never 403 and never
//! data; a viewer's writes answer 403.

use reqwest::Method;
use zenalto_testkit::{StatusCode, TestApp, Value, both_backends, json};

/// Every workspace-scoped route, with a body for writes.
fn routes(workspace: &str, someone: &str, invitation: &str, key: &str) -> Vec<(Method, String, Option<Value>)> {
    let w = format!("/api/v1/workspaces/{workspace}");
    vec![
        (Method::GET, w.clone(), None),
        (Method::PATCH, w.clone(), Some(json!({ "name": "Hijacked" }))),
        (Method::GET, format!("{w}/me"), None),
        (Method::GET, format!("{w}/members"), None),
        (Method::PATCH, format!("{w}/members/{someone}"), Some(json!({ "role": "viewer" }))),
        (Method::DELETE, format!("{w}/members/{someone}"), None),
        (Method::GET, format!("{w}/invitations"), None),
        (Method::POST, format!("{w}/invitations"), Some(json!({ "email": "x@example.org", "role": "viewer" }))),
        (Method::DELETE, format!("{w}/invitations/{invitation}"), None),
        (Method::GET, format!("{w}/api-keys"), None),
        (Method::POST, format!("{w}/api-keys"), Some(json!({ "name": "k", "kind": "workspace", "role": "viewer", "scopes": ["post:read"] }))),
        (Method::DELETE, format!("{w}/api-keys/{key}"), None),
        (Method::GET, format!("{w}/audit-log"), None),
        (Method::GET, format!("{w}/audit-log.csv"), None),
    ]
}

both_backends!(another_tenants_ids_answer_not_found_everywhere, |app: TestApp| async move {
    let alice = app.signed_in("alice@example.org").await;
    let mallory = app.signed_in("mallory@example.org").await;
    let (_, invitation) = app
        .post(&format!("/api/v1/workspaces/{}/invitations", alice.workspace_id), Some(&alice.access), json!({ "email": "i@example.org", "role": "viewer" }))
        .await;
    let invitation_id = invitation["id"].as_str().unwrap().to_owned();
    let key_id = workspace_key(&app, &alice).await;
    for (method, path, body) in routes(&alice.workspace_id, &alice.user_id, &invitation_id, &key_id) {
        let (status, response) = app.call(method.clone(), &path, Some(&mallory.access), body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {response}");
        assert_eq!(response["error"]["code"], "NOT_FOUND", "{method} {path}");
        assert!(!response.to_string().contains("alice"), "{method} {path} leaked data: {response}");
    }
    for bad in ["not-a-uuid", "01900000-0000-7000-8000-000000000000"] {
        let (status, _) = app.get(&format!("/api/v1/workspaces/{bad}"), &mallory.access).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
    }
    // Nothing of Alice's changed.
    let (_, workspace) = app.get(&format!("/api/v1/workspaces/{}", alice.workspace_id), &alice.access).await;
    assert_eq!(workspace["name"], "Test User's workspace");
    let (_, members) = app.get(&format!("/api/v1/workspaces/{}/members", alice.workspace_id), &alice.access).await;
    assert_eq!(members["items"].as_array().unwrap().len(), 1);
    let (_, invitations) = app.get(&format!("/api/v1/workspaces/{}/invitations", alice.workspace_id), &alice.access).await;
    assert_eq!(invitations["items"].as_array().unwrap().len(), 1);
});

both_backends!(a_viewer_cannot_write, |app: TestApp| async move {
    let owner = app.signed_in("w-owner@example.org").await;
    let viewer = app.member(&owner, "w-viewer@example.org", "viewer").await;
    let (_, invitation) = app
        .post(&format!("/api/v1/workspaces/{}/invitations", owner.workspace_id), Some(&owner.access), json!({ "email": "i2@example.org", "role": "viewer" }))
        .await;
    let invitation_id = invitation["id"].as_str().unwrap().to_owned();
    let key_id = workspace_key(&app, &owner).await;
    for (method, path, body) in routes(&owner.workspace_id, &owner.user_id, &invitation_id, &key_id) {
        let writes_or_admin = method != Method::GET || path.contains("invitations") || path.contains("audit-log") || path.ends_with("api-keys");
        if !writes_or_admin {
            continue;
        }
        // The viewer's own personal keys are theirs to list; everything else is refused.
        let (status, response) = app.call(method.clone(), &path, Some(&viewer.access), body).await;
        if method == Method::GET && path.ends_with("api-keys") {
            assert_eq!(status, StatusCode::OK, "{method} {path}: {response}");
            continue;
        }
        assert_eq!(status, StatusCode::FORBIDDEN, "{method} {path}: {response}");
        assert_eq!(response["error"]["code"], "FORBIDDEN");
    }
    let (_, workspace) = app.get(&format!("/api/v1/workspaces/{}", owner.workspace_id), &owner.access).await;
    assert_eq!(workspace["name"], "Test User's workspace", "nothing changed");
});

async fn workspace_key(app: &TestApp, owner: &zenalto_testkit::Account) -> String {
    let path = format!("/api/v1/workspaces/{}/api-keys", owner.workspace_id);
    let body = json!({ "name": "bot", "kind": "workspace", "role": "viewer", "scopes": ["post:read"] });
    let (status, created) = app.post(&path, Some(&owner.access), body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["key"]["id"].as_str().unwrap().to_owned()
}
