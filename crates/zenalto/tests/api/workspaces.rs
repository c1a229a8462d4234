//! Workspaces, members and the permission matrix as seen through the API.

use reqwest::Method;
use zenalto_testkit::{StatusCode, TestApp, both_backends, json};

fn code_of(body: &zenalto_testkit::Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

both_backends!(workspaces_are_created_listed_and_renamed, |app: TestApp| async move {
    let owner = app.signed_in("owner@example.org").await;
    let (status, created) = app.post("/api/v1/workspaces", Some(&owner.access), json!({ "name": "Acme Launch" })).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["role"], "owner");
    assert!(created["slug"].as_str().unwrap().starts_with("acme-launch-"));
    let (_, list) = app.get("/api/v1/workspaces", &owner.access).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2, "a user may belong to several workspaces");

    let id = created["id"].as_str().unwrap();
    let (status, renamed) = app.call(Method::PATCH, &format!("/api/v1/workspaces/{id}"), Some(&owner.access), Some(json!({ "name": "Acme" }))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(renamed["name"], "Acme");
    let (status, body) = app.call(Method::PATCH, &format!("/api/v1/workspaces/{id}"), Some(&owner.access), Some(json!({ "name": "" }))).await;
    assert_eq!((status, code_of(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR"));
    let (status, body) = app.post("/api/v1/workspaces", Some(&owner.access), json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["name"], "is required");
});

both_backends!(each_role_gets_exactly_its_permissions, |app: TestApp| async move {
    let owner = app.signed_in("boss@example.org").await;
    let expected: [(&str, &[&str]); 5] = [
        ("owner", &["post:create", "post:read", "post:update", "post:delete", "post:publish", "analytics:view", "analytics:export", "team:invite", "team:manage", "settings:view", "settings:update", "billing:view", "billing:manage", "audit:view"]),
        ("admin", &["post:create", "post:read", "post:update", "post:delete", "post:publish", "analytics:view", "analytics:export", "team:invite", "team:manage", "settings:view", "settings:update", "billing:view", "audit:view"]),
        ("manager", &["post:create", "post:read", "post:update", "post:delete", "post:publish", "analytics:view", "analytics:export", "team:invite", "settings:view"]),
        ("editor", &["post:create", "post:read", "post:update", "post:delete", "analytics:view", "settings:view"]),
        ("viewer", &["post:read", "analytics:view"]),
    ];
    for (role, permissions) in expected {
        let token = if role == "owner" { owner.access.clone() } else { app.member(&owner, &format!("{role}@example.org"), role).await.access };
        let (status, rights) = app.get(&format!("/api/v1/workspaces/{}/me", owner.workspace_id), &token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(rights["role"], role);
        let mut got: Vec<&str> = rights["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        let mut want = permissions.to_vec();
        got.sort();
        want.sort();
        assert_eq!(got, want, "permissions of {role}");
    }
    let (_, members) = app.get(&format!("/api/v1/workspaces/{}/members", owner.workspace_id), &owner.access).await;
    assert_eq!(members["items"].as_array().unwrap().len(), 5);
});

both_backends!(roles_change_within_limits_and_one_owner_always_remains, |app: TestApp| async move {
    let owner = app.signed_in("o@example.org").await;
    let admin = app.member(&owner, "a@example.org", "admin").await;
    let editor = app.member(&owner, "e@example.org", "editor").await;
    let base = format!("/api/v1/workspaces/{}/members", owner.workspace_id);
    let set_role = |who: &str, role: &str| (format!("{base}/{who}"), json!({ "role": role }));

    let (path, body) = set_role(&editor.user_id, "manager");
    let (status, _) = app.call(Method::PATCH, &path, Some(&admin.access), Some(body)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "admin promotes an editor to manager");
    let (path, body) = set_role(&editor.user_id, "owner");
    let (status, resp) = app.call(Method::PATCH, &path, Some(&admin.access), Some(body)).await;
    assert_eq!((status, code_of(&resp)), (StatusCode::FORBIDDEN, "FORBIDDEN"), "admins cannot make owners");
    let (path, body) = set_role(&owner.user_id, "viewer");
    let (status, _) = app.call(Method::PATCH, &path, Some(&admin.access), Some(body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "admins cannot touch owners");
    let (path, body) = set_role(&owner.user_id, "admin");
    let (status, resp) = app.call(Method::PATCH, &path, Some(&owner.access), Some(body)).await;
    assert_eq!((status, code_of(&resp)), (StatusCode::CONFLICT, "CONFLICT"), "the last owner stays owner");
    let (path, body) = set_role(&admin.user_id, "editor");
    let (status, _) = app.call(Method::PATCH, &path, Some(&editor.access), Some(body)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "managers cannot manage the team");
    let (path, _) = set_role(&admin.user_id, "editor");
    let (status, resp) = app.call(Method::PATCH, &path, Some(&owner.access), Some(json!({ "role": "emperor" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{resp}");
    let (status, _) = app.call(Method::PATCH, &format!("{base}/{}", uuid_like()), Some(&owner.access), Some(json!({ "role": "viewer" }))).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "not a member");
});

both_backends!(members_are_removed_or_leave, |app: TestApp| async move {
    let owner = app.signed_in("o2@example.org").await;
    let viewer = app.member(&owner, "v2@example.org", "viewer").await;
    let editor = app.member(&owner, "e2@example.org", "editor").await;
    let base = format!("/api/v1/workspaces/{}/members", owner.workspace_id);

    let (status, _) = app.call(Method::DELETE, &format!("{base}/{}", viewer.user_id), Some(&editor.access), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "editors cannot remove members");
    let (status, _) = app.call(Method::DELETE, &format!("{base}/{}", editor.user_id), Some(&editor.access), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "anyone may leave");
    let (status, _) = app.get(&format!("/api/v1/workspaces/{}", owner.workspace_id), &editor.access).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a former member sees nothing");
    let (status, _) = app.call(Method::DELETE, &format!("{base}/{}", viewer.user_id), Some(&owner.access), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.call(Method::DELETE, &format!("{base}/{}", owner.user_id), Some(&owner.access), None).await;
    assert_eq!((status, code_of(&body)), (StatusCode::CONFLICT, "CONFLICT"), "the last owner cannot leave");
});

fn uuid_like() -> String {
    "01900000-0000-7000-8000-000000000000".into()
}
