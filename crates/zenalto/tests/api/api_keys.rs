//! Personal and workspace API keys: creation, scopes, roles, expiry, revocation.

use reqwest::Method;
use zenalto_testkit::{StatusCode, TestApp, both_backends, json};

fn code_of(body: &zenalto_testkit::Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

both_backends!(personal_keys_act_within_their_scopes, |app: TestApp| async move {
    let owner = app.signed_in("keys@example.org").await;
    let keys = format!("/api/v1/workspaces/{}/api-keys", owner.workspace_id);
    let (status, created) =
        app.post(&keys, Some(&owner.access), json!({ "name": "CI reader", "scopes": ["post:read", "settings:view"] })).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("zk_"));
    assert!(secret.starts_with(created["key"]["prefix"].as_str().unwrap()));
    assert_eq!(created["key"]["kind"], "personal");
    assert_eq!(created["key"]["lastUsedAt"], zenalto_testkit::Value::Null);

    let (status, rights) = app.get(&format!("/api/v1/workspaces/{}/me", owner.workspace_id), &secret).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rights["permissions"], json!(["post:read", "settings:view"]), "the key has only its scopes");
    let (status, body) = app.get(&format!("/api/v1/workspaces/{}/invitations", owner.workspace_id), &secret).await;
    assert_eq!((status, code_of(&body)), (StatusCode::FORBIDDEN, "FORBIDDEN"));
    let (status, body) = app.get("/api/v1/me", &secret).await;
    assert_eq!((status, code_of(&body)), (StatusCode::FORBIDDEN, "FORBIDDEN"), "account endpoints are for people");

    let (_, list) = app.get(&keys, &owner.access).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert!(list["items"][0]["lastUsedAt"].is_string(), "use is recorded: {list}");
    assert!(!list.to_string().contains(&secret), "the secret is shown only once");

    let (status, _) = app.call(Method::DELETE, &format!("{keys}/{}", created["key"]["id"].as_str().unwrap()), Some(&owner.access), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.get(&format!("/api/v1/workspaces/{}/me", owner.workspace_id), &secret).await;
    assert_eq!((status, code_of(&body)), (StatusCode::UNAUTHORIZED, "INVALID_TOKEN"), "revoked keys stop at once");
});

both_backends!(keys_cannot_exceed_their_creator, |app: TestApp| async move {
    let owner = app.signed_in("k-owner@example.org").await;
    let editor = app.member(&owner, "k-editor@example.org", "editor").await;
    let keys = format!("/api/v1/workspaces/{}/api-keys", owner.workspace_id);

    let (status, body) = app.post(&keys, Some(&editor.access), json!({ "name": "x", "scopes": ["team:invite"] })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["details"]["scopes"].as_str().unwrap().contains("team:invite"));
    let (status, body) = app.post(&keys, Some(&editor.access), json!({ "name": "x", "scopes": ["post:explode"] })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["details"]["scopes"].as_str().unwrap().contains("unknown permission"));
    let (status, _) = app.post(&keys, Some(&editor.access), json!({ "name": "x", "scopes": [] })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, body) = app.post(&keys, Some(&editor.access), json!({ "name": "bot", "kind": "workspace", "role": "viewer", "scopes": ["post:read"] })).await;
    assert_eq!((status, code_of(&body)), (StatusCode::FORBIDDEN, "FORBIDDEN"), "workspace keys need settings:update");

    // A workspace key has its own role; an owner may create one.
    let (status, created) =
        app.post(&keys, Some(&owner.access), json!({ "name": "bot", "kind": "workspace", "role": "manager", "scopes": ["post:read", "team:invite"] })).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["key"]["kind"], "workspace");
    let bot = created["secret"].as_str().unwrap();
    let (status, rights) = app.get(&format!("/api/v1/workspaces/{}/me", owner.workspace_id), bot).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rights["role"], "manager");
    let (_, list) = app.get(&format!("{keys}?kind=workspace"), &owner.access).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    let (status, _) = app.get(&format!("{keys}?kind=workspace"), &editor.access).await;
    assert_eq!(status, StatusCode::OK, "editors may view settings");
    let (status, body) = app.post(&keys, Some(&owner.access), json!({ "name": "x", "kind": "workspace", "scopes": ["post:read"] })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "workspace keys need a role: {body}");
});

both_backends!(a_personal_key_follows_its_owner, |app: TestApp| async move {
    let owner = app.signed_in("f-owner@example.org").await;
    let manager = app.member(&owner, "f-manager@example.org", "manager").await;
    let keys = format!("/api/v1/workspaces/{}/api-keys", owner.workspace_id);
    let rights = format!("/api/v1/workspaces/{}/me", owner.workspace_id);
    let (_, created) = app.post(&keys, Some(&manager.access), json!({ "name": "mine", "scopes": ["post:read", "post:publish"] })).await;
    let key = created["secret"].as_str().unwrap().to_owned();
    let (_, before) = app.get(&rights, &key).await;
    assert_eq!(before["permissions"], json!(["post:read", "post:publish"]));

    let members = format!("/api/v1/workspaces/{}/members/{}", owner.workspace_id, manager.user_id);
    app.call(Method::PATCH, &members, Some(&owner.access), Some(json!({ "role": "viewer" }))).await;
    let (_, after) = app.get(&rights, &key).await;
    assert_eq!(after["role"], "viewer");
    assert_eq!(after["permissions"], json!(["post:read"]), "never beyond the owner's current role");

    app.call(Method::DELETE, &members, Some(&owner.access), None).await;
    let (status, _) = app.get(&rights, &key).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the key dies with the membership");
});

both_backends!(keys_expire_and_stay_in_their_workspace, |app: TestApp| async move {
    let owner = app.signed_in("e-owner@example.org").await;
    let other = app.signed_in("e-other@example.org").await;
    let keys = format!("/api/v1/workspaces/{}/api-keys", owner.workspace_id);
    let (status, body) = app.post(&keys, Some(&owner.access), json!({ "name": "old", "scopes": ["post:read"], "expiresAt": "2000-01-01T00:00:00Z" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["expiresAt"], "must be in the future");
    let (status, body) = app.post(&keys, Some(&owner.access), json!({ "name": "old", "scopes": ["post:read"], "expiresAt": "tomorrow" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    let soon = zenalto_domain::Timestamp::from_millis(app.clock.now().as_millis() + 3_600_000).to_string();
    let (status, created) = app.post(&keys, Some(&owner.access), json!({ "name": "hour", "scopes": ["post:read"], "expiresAt": soon })).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let key = created["secret"].as_str().unwrap().to_owned();
    let (status, _) = app.get(&format!("/api/v1/workspaces/{}/members", other.workspace_id), &key).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a key of workspace A sees nothing of workspace B");
    let (status, _) = app.get(&format!("/api/v1/workspaces/{}/members", owner.workspace_id), &key).await;
    assert_eq!(status, StatusCode::OK);
    app.clock.advance_secs(3601);
    let (status, body) = app.get(&format!("/api/v1/workspaces/{}/members", owner.workspace_id), &key).await;
    assert_eq!((status, code_of(&body)), (StatusCode::UNAUTHORIZED, "TOKEN_EXPIRED"));
    let (status, body) = app.get(&format!("/api/v1/workspaces/{}/members", owner.workspace_id), "zk_forged_key").await;
    assert_eq!((status, code_of(&body)), (StatusCode::UNAUTHORIZED, "INVALID_TOKEN"));
});
