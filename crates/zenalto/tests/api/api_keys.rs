//! Personal and workspace API keys: creation, scopes, roles, expiry, revocation.

use reqwest::Method;
use zenalto_testkit::{expect_error, items, Account, StatusCode, TestApp, Value, both_backends, json};

fn keys_path(account: &Account) -> String {
    format!("/api/v1/workspaces/{}/api-keys", account.workspace_id)
}

/// Creates a key as `account`; returns (secret, key id).
async fn create_key(app: &TestApp, account: &Account, body: Value) -> (String, String) {
    let (status, created) = app.post(&keys_path(account), Some(&account.access), body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    (created["secret"].as_str().unwrap().to_owned(), created["key"]["id"].as_str().unwrap().to_owned())
}

both_backends!(personal_keys_act_within_their_scopes, |app: TestApp| async move {
    let owner = app.signed_in("keys@example.org").await;
    let keys = keys_path(&owner);
    let workspace = format!("/api/v1/workspaces/{}", owner.workspace_id);
    let (status, created) =
        app.post(&keys, Some(&owner.access), json!({ "name": "CI reader", "scopes": ["settings:view", "post:read", "post:read"] })).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let secret = created["secret"].as_str().unwrap().to_owned();
    let prefix = created["key"]["prefix"].as_str().unwrap();
    assert!(secret.starts_with("zk_"), "{secret}");
    assert!(prefix.starts_with("zk_") && prefix.len() > 3, "{prefix}");
    assert!(secret.starts_with(prefix), "the prefix recognises the key");
    assert!(secret.len() > prefix.len() + 20, "a long random secret");
    assert_eq!(created["key"]["name"], "CI reader");
    assert_eq!(created["key"]["kind"], "personal");
    assert_eq!(created["key"]["role"], "owner", "a personal key acts with its creator's role");
    assert_eq!(created["key"]["scopes"], json!(["post:read", "settings:view"]), "deduplicated, in matrix order");
    assert_eq!(created["key"]["expiresAt"], Value::Null);
    assert_eq!(created["key"]["lastUsedAt"], Value::Null);

    let (status, rights) = app.get(&format!("{workspace}/me"), &secret).await;
    assert_eq!(status, StatusCode::OK, "{rights}");
    assert_eq!(rights["role"], "owner");
    assert_eq!(rights["permissions"], json!(["post:read", "settings:view"]), "the key has only its scopes");
    let (status, one) = app.get(&workspace, &secret).await;
    assert_eq!(status, StatusCode::OK, "the key reads its workspace");
    assert_eq!(one["id"], owner.workspace_id.as_str());
    let (status, _) = app.get(&format!("{workspace}/members"), &secret).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.get(&format!("{workspace}/invitations"), &secret).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "no team:invite scope");
    let (status, body) = app.post(&format!("{workspace}/invitations"), Some(&secret), json!({ "email": "x@example.org", "role": "viewer" })).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "no team:invite scope");
    let (status, body) = app.call(Method::PATCH, &workspace, Some(&secret), Some(json!({ "name": "Key" }))).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "no settings:update scope");
    let (status, body) = app.get(&format!("{workspace}/audit-log"), &secret).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "no audit:view scope");
    let (status, body) = app.post(&keys, Some(&secret), json!({ "name": "child", "scopes": ["post:read"] })).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "keys do not mint keys");
    let (_, one) = app.get(&workspace, &owner.access).await;
    assert_eq!(one["name"], "Test User's workspace", "the refused rename changed nothing");

    let (_, list) = app.get(&keys, &owner.access).await;
    assert_eq!(items(&list).len(), 1);
    let used = items(&list)[0]["lastUsedAt"].as_str().unwrap_or_else(|| panic!("use is recorded: {list}"));
    let used = zenalto_domain::Timestamp::parse_rfc3339(used).unwrap().as_millis();
    assert!((app.clock.now().as_millis() - used).abs() < 60_000, "recently used");
    assert!(!list.to_string().contains(&secret), "the secret is shown only once");
    let (_, log) = app.get(&format!("{workspace}/audit-log"), &owner.access).await;
    assert!(!log.to_string().contains(&secret), "no secret in the audit log");

    let (status, _) = app.call(Method::DELETE, &format!("{keys}/{}", created["key"]["id"].as_str().unwrap()), Some(&owner.access), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for path in [workspace.clone(), format!("{workspace}/me")] {
        let (status, body) = app.get(&path, &secret).await;
        expect_error(status, &body, StatusCode::UNAUTHORIZED, "INVALID_TOKEN", "revoked keys stop at once");
    }
    let (_, list) = app.get(&keys, &owner.access).await;
    assert_eq!(items(&list).len(), 0, "revoked keys leave the list");
    let (status, body) = app.call(Method::DELETE, &format!("{keys}/{}", created["key"]["id"].as_str().unwrap()), Some(&owner.access), None).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "revoking twice");
    for forged in ["zk_forged_key", &format!("{secret}x"), &secret[..secret.len() - 1]] {
        let (status, body) = app.get(&workspace, forged).await;
        expect_error(status, &body, StatusCode::UNAUTHORIZED, "INVALID_TOKEN", "unknown key");
    }
});

both_backends!(keys_are_for_workspaces_not_accounts, |app: TestApp| async move {
    let owner = app.signed_in("people@example.org").await;
    let (key, _) = create_key(&app, &owner, json!({ "name": "all", "scopes": ["post:read", "team:invite", "team:manage", "settings:update"] })).await;
    let (bot, _) = create_key(&app, &owner, json!({ "name": "bot", "kind": "workspace", "role": "admin", "scopes": ["team:invite", "settings:update"] })).await;
    let calls: [(Method, &str, Option<Value>); 12] = [
        (Method::GET, "/api/v1/me", None),
        (Method::PATCH, "/api/v1/me", Some(json!({ "name": "Robot" }))),
        (Method::GET, "/api/v1/me/sessions", None),
        (Method::DELETE, "/api/v1/me/sessions/01900000-0000-7000-8000-000000000000", None),
        (Method::GET, "/api/v1/me/activity", None),
        (Method::POST, "/api/v1/me/password", Some(json!({ "currentPassword": "correct horse battery", "code": "000000", "newPassword": "another long passphrase" }))),
        (Method::POST, "/api/v1/me/2fa/setup", None),
        (Method::POST, "/api/v1/auth/logout", None),
        (Method::GET, "/api/v1/workspaces", None),
        (Method::POST, "/api/v1/workspaces", Some(json!({ "name": "Made by a key" }))),
        (Method::POST, "/api/v1/invitations/accept", Some(json!({ "token": "whatever" }))),
        (Method::POST, "/api/v1/me/password/code", None),
    ];
    for secret in [&key, &bot] {
        for (method, path, body) in &calls {
            let (status, response) = app.call(method.clone(), path, Some(secret), body.clone()).await;
            expect_error(status, &response, StatusCode::FORBIDDEN, "FORBIDDEN", &format!("{method} {path}"));
        }
    }
    let (_, me) = app.get("/api/v1/me", &owner.access).await;
    assert_eq!(me["user"]["name"], "Test User", "nothing changed: {me}");
    let (_, mine) = app.get("/api/v1/workspaces", &owner.access).await;
    assert_eq!(items(&mine).len(), 1, "no workspace was created");
    let (status, _) = app.login(&owner.email, &owner.password).await;
    assert_eq!(status, StatusCode::OK, "the password did not change");

    // Within the workspace the same keys work, and their actions are attributed to the key.
    let (status, _) = app.invite(&Account { access: key.clone(), ..owner.clone() }, "via-key@example.org", "viewer").await;
    assert_eq!(status, StatusCode::CREATED, "a personal key invites on behalf of its owner");
    let (status, body) = app.invite(&Account { access: bot.clone(), ..owner.clone() }, "via-bot@example.org", "viewer").await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "a workspace key is nobody to invite from");
    let (status, renamed) = app.call(Method::PATCH, &format!("/api/v1/workspaces/{}", owner.workspace_id), Some(&bot), Some(json!({ "name": "Bot-named" }))).await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["role"], "admin", "the workspace key's own role");
    let (_, log) = app.get(&format!("/api/v1/workspaces/{}/audit-log?action=workspace.update", owner.workspace_id), &owner.access).await;
    let row = &items(&log)[0];
    assert_eq!(row["actorType"], "api_key");
    assert_eq!(row["actorEmail"], Value::Null);
    let (_, workspace_keys) = app.get(&format!("{}?kind=workspace", keys_path(&owner)), &owner.access).await;
    assert_eq!(row["actorId"], items(&workspace_keys)[0]["id"], "the acting key is named");
    let (_, log) = app.get(&format!("/api/v1/workspaces/{}/audit-log?action=invitation.create", owner.workspace_id), &owner.access).await;
    assert_eq!(items(&log)[0]["actorType"], "api_key");

    let (status, body) = app.call(Method::GET, &format!("/api/v1/workspaces/{}", owner.workspace_id), None, None).await;
    expect_error(status, &body, StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "no credential");
});

both_backends!(keys_cannot_exceed_their_creator, |app: TestApp| async move {
    let owner = app.signed_in("k-owner@example.org").await;
    let admin = app.member(&owner, "k-admin@example.org", "admin").await;
    let manager = app.member(&owner, "k-manager@example.org", "manager").await;
    let editor = app.member(&owner, "k-editor@example.org", "editor").await;
    let viewer = app.member(&owner, "k-viewer@example.org", "viewer").await;
    let keys = keys_path(&owner);

    let (status, body) = app.post(&keys, Some(&editor.access), json!({ "name": "x", "scopes": ["post:read", "team:invite"] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "editor grants team:invite");
    assert!(body["error"]["details"]["scopes"].as_str().unwrap().contains("team:invite"));
    let (status, body) = app.post(&keys, Some(&viewer.access), json!({ "name": "x", "scopes": ["post:create"] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "viewer grants post:create");
    let (status, body) = app.post(&keys, Some(&admin.access), json!({ "name": "x", "scopes": ["billing:manage"] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "admin grants billing:manage");
    let (status, body) = app.post(&keys, Some(&editor.access), json!({ "name": "x", "scopes": ["post:explode"] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "unknown scope");
    assert!(body["error"]["details"]["scopes"].as_str().unwrap().contains("unknown permission"));
    let (status, body) = app.post(&keys, Some(&editor.access), json!({ "name": "x", "scopes": [] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "no scopes");
    let (status, body) = app.post(&keys, Some(&editor.access), json!({ "name": " ", "scopes": ["post:read"] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "no name");
    assert!(body["error"]["details"]["name"].is_string());
    let (status, body) = app.post(&keys, Some(&editor.access), json!({ "name": "x", "role": "editor", "scopes": ["post:read"] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "personal keys take no role");
    assert!(body["error"]["details"]["role"].is_string());

    // Within their own rights everyone may have a personal key.
    let (viewer_key, _) = create_key(&app, &viewer, json!({ "name": "mine", "scopes": ["post:read", "analytics:view"] })).await;
    let (_, rights) = app.get(&format!("/api/v1/workspaces/{}/me", owner.workspace_id), &viewer_key).await;
    assert_eq!(rights["role"], "viewer");
    assert_eq!(rights["permissions"], json!(["post:read", "analytics:view"]));

    // Workspace keys need settings:update and a role no higher than the creator's.
    for who in [&editor, &manager, &viewer] {
        let (status, body) = app.post(&keys, Some(&who.access), json!({ "name": "bot", "kind": "workspace", "role": "viewer", "scopes": ["post:read"] })).await;
        expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", &format!("{} creates a workspace key", who.email));
    }
    let (status, body) = app.post(&keys, Some(&admin.access), json!({ "name": "bot", "kind": "workspace", "role": "owner", "scopes": ["post:read"] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "admin grants owner");
    assert!(body["error"]["details"]["role"].is_string());
    let (status, body) = app.post(&keys, Some(&owner.access), json!({ "name": "x", "kind": "workspace", "scopes": ["post:read"] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "workspace keys need a role");
    let (status, body) = app.post(&keys, Some(&owner.access), json!({ "name": "x", "kind": "robot", "role": "viewer", "scopes": ["post:read"] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "unknown kind");

    let (status, created) =
        app.post(&keys, Some(&admin.access), json!({ "name": "admin bot", "kind": "workspace", "role": "admin", "scopes": ["post:read", "team:manage"] })).await;
    assert_eq!(status, StatusCode::CREATED, "admins grant admin: {created}");
    assert_eq!(created["key"]["kind"], "workspace");
    assert_eq!(created["key"]["role"], "admin");
    let (status, created) =
        app.post(&keys, Some(&owner.access), json!({ "name": "bot", "kind": "workspace", "role": "manager", "scopes": ["post:read", "team:invite", "team:manage"] })).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let bot = created["secret"].as_str().unwrap();
    let (status, rights) = app.get(&format!("/api/v1/workspaces/{}/me", owner.workspace_id), bot).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rights["role"], "manager");
    assert_eq!(rights["permissions"], json!(["post:read", "team:invite"]), "scopes never exceed the key's role");
    let (status, body) = app
        .call(Method::PATCH, &format!("/api/v1/workspaces/{}/members/{}", owner.workspace_id, viewer.user_id), Some(bot), Some(json!({ "role": "editor" })))
        .await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "a manager key cannot manage the team");

    let (_, list) = app.get(&format!("{keys}?kind=workspace"), &owner.access).await;
    assert_eq!(items(&list).len(), 2);
    assert!(items(&list).iter().all(|k| k["kind"] == "workspace"));
    let (_, list) = app.get(&keys, &owner.access).await;
    assert_eq!(items(&list).len(), 0, "the owner has no personal keys");
    let (status, _) = app.get(&format!("{keys}?kind=workspace"), &editor.access).await;
    assert_eq!(status, StatusCode::OK, "editors may view settings");
    let (status, body) = app.get(&format!("{keys}?kind=workspace"), &viewer.access).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "viewers may not view settings");
    let (status, body) = app.get(&format!("{keys}?kind=robot"), &owner.access).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "unknown kind in the query");
});

both_backends!(keys_are_revoked_by_their_owner_or_settings_managers, |app: TestApp| async move {
    let owner = app.signed_in("r-owner@example.org").await;
    let editor = app.member(&owner, "r-editor@example.org", "editor").await;
    let other_editor = app.member(&owner, "r-editor2@example.org", "editor").await;
    let keys = keys_path(&owner);
    let (editor_key, editor_key_id) = create_key(&app, &editor, json!({ "name": "e", "scopes": ["post:read"] })).await;
    let (_, owner_key_id) = create_key(&app, &owner, json!({ "name": "o", "scopes": ["post:read"] })).await;
    let (bot, bot_id) = create_key(&app, &owner, json!({ "name": "b", "kind": "workspace", "role": "viewer", "scopes": ["post:read"] })).await;

    let (_, listed) = app.get(&keys, &editor.access).await;
    let ids: Vec<&str> = items(&listed).iter().map(|k| k["id"].as_str().unwrap()).collect();
    assert_eq!(ids, [editor_key_id.as_str()], "personal lists show only one's own keys");

    for id in [&owner_key_id, &bot_id, &editor_key_id] {
        let (status, body) = app.call(Method::DELETE, &format!("{keys}/{id}"), Some(&other_editor.access), None).await;
        expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "another editor's or the workspace's keys");
    }
    let (status, _) = app.call(Method::DELETE, &format!("{keys}/{bot_id}"), Some(&owner.access), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "settings:update revokes workspace keys");
    let (status, body) = app.get(&format!("/api/v1/workspaces/{}", owner.workspace_id), &bot).await;
    expect_error(status, &body, StatusCode::UNAUTHORIZED, "INVALID_TOKEN", "revoked workspace key");
    let (status, _) = app.get(&format!("/api/v1/workspaces/{}", owner.workspace_id), &editor_key).await;
    assert_eq!(status, StatusCode::OK, "untouched keys keep working");
    let (status, _) = app.call(Method::DELETE, &format!("{keys}/{editor_key_id}"), Some(&editor.access), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "the owner of a personal key revokes it");
    let (status, body) = app.get(&format!("/api/v1/workspaces/{}", owner.workspace_id), &editor_key).await;
    expect_error(status, &body, StatusCode::UNAUTHORIZED, "INVALID_TOKEN", "revoked personal key");
    let (status, body) = app.call(Method::DELETE, &format!("{keys}/not-a-key"), Some(&owner.access), None).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "malformed key id");
    let (_, log) = app.get(&format!("/api/v1/workspaces/{}/audit-log?action=api_key.revoke", owner.workspace_id), &owner.access).await;
    let revoked: Vec<&str> = items(&log).iter().map(|e| e["resourceId"].as_str().unwrap()).collect();
    assert_eq!(revoked, [editor_key_id.as_str(), bot_id.as_str()], "only the two revocations were recorded");
});

both_backends!(a_personal_key_follows_its_owner, |app: TestApp| async move {
    let owner = app.signed_in("f-owner@example.org").await;
    let manager = app.member(&owner, "f-manager@example.org", "manager").await;
    let rights = format!("/api/v1/workspaces/{}/me", owner.workspace_id);
    let (key, _) = create_key(&app, &manager, json!({ "name": "mine", "scopes": ["post:read", "post:publish", "team:invite"] })).await;
    let (status, before) = app.get(&rights, &key).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(before["role"], "manager");
    assert_eq!(before["permissions"], json!(["post:read", "post:publish", "team:invite"]));
    let (status, _) = app.get(&format!("/api/v1/workspaces/{}/invitations", owner.workspace_id), &key).await;
    assert_eq!(status, StatusCode::OK);

    let member = format!("/api/v1/workspaces/{}/members/{}", owner.workspace_id, manager.user_id);
    let (status, _) = app.call(Method::PATCH, &member, Some(&owner.access), Some(json!({ "role": "viewer" }))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, after) = app.get(&rights, &key).await;
    assert_eq!(after["role"], "viewer");
    assert_eq!(after["permissions"], json!(["post:read"]), "never beyond the owner's current role");
    let (status, body) = app.get(&format!("/api/v1/workspaces/{}/invitations", owner.workspace_id), &key).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "the demoted owner's key lost team:invite");
    let (status, body) = app.invite(&Account { access: key.clone(), ..manager.clone() }, "late@example.org", "viewer").await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "the demoted owner's key cannot invite");

    // Promoted above the key's creation role, the key still stops at its own role.
    let (status, _) = app.call(Method::PATCH, &member, Some(&owner.access), Some(json!({ "role": "admin" }))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, again) = app.get(&rights, &key).await;
    assert_eq!(again["role"], "manager");
    assert_eq!(again["permissions"], json!(["post:read", "post:publish", "team:invite"]));

    let (status, _) = app.call(Method::DELETE, &member, Some(&owner.access), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    for path in [rights.clone(), format!("/api/v1/workspaces/{}", owner.workspace_id), format!("/api/v1/workspaces/{}/members", owner.workspace_id)] {
        let (status, body) = app.get(&path, &key).await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "the key dies with the membership");
    }
});

both_backends!(keys_expire_and_stay_in_their_workspace, |app: TestApp| async move {
    let owner = app.signed_in("e-owner@example.org").await;
    let other = app.signed_in("e-other@example.org").await;
    let keys = keys_path(&owner);
    let past = zenalto_domain::Timestamp::from_millis(app.clock.now().as_millis() - 1000).to_string();
    for expires in ["2000-01-01T00:00:00Z", past.as_str()] {
        let (status, body) = app.post(&keys, Some(&owner.access), json!({ "name": "old", "scopes": ["post:read"], "expiresAt": expires })).await;
        expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", expires);
        assert_eq!(body["error"]["details"]["expiresAt"], "must be in the future");
    }
    let (status, body) = app.post(&keys, Some(&owner.access), json!({ "name": "old", "scopes": ["post:read"], "expiresAt": "tomorrow" })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "not a timestamp");
    assert!(body["error"]["details"]["expiresAt"].is_string());
    let (_, list) = app.get(&keys, &owner.access).await;
    assert_eq!(items(&list).len(), 0, "refused keys were not stored");

    let soon = zenalto_domain::Timestamp::from_millis(app.clock.now().as_millis() + 3_600_000);
    let (status, created) = app.post(&keys, Some(&owner.access), json!({ "name": "hour", "scopes": ["post:read"], "expiresAt": soon.to_string() })).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["key"]["expiresAt"], soon.to_string());
    let key = created["secret"].as_str().unwrap().to_owned();
    for path in [format!("/api/v1/workspaces/{}", other.workspace_id), format!("/api/v1/workspaces/{}/members", other.workspace_id)] {
        let (status, body) = app.get(&path, &key).await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "a key of workspace A sees nothing of workspace B");
        assert!(!body.to_string().contains("e-other"), "{body}");
    }
    let (status, body) = app.post(&format!("/api/v1/workspaces/{}/invitations", other.workspace_id), Some(&key), json!({ "email": "x@example.org", "role": "viewer" })).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "nor writes there");
    let (status, _) = app.get(&format!("/api/v1/workspaces/{}/members", owner.workspace_id), &key).await;
    assert_eq!(status, StatusCode::OK);

    app.clock.advance_secs(3_540);
    let (status, _) = app.get(&format!("/api/v1/workspaces/{}/members", owner.workspace_id), &key).await;
    assert_eq!(status, StatusCode::OK, "still valid a minute before expiry");
    app.clock.advance_secs(120);
    let (status, body) = app.get(&format!("/api/v1/workspaces/{}/members", owner.workspace_id), &key).await;
    expect_error(status, &body, StatusCode::UNAUTHORIZED, "TOKEN_EXPIRED", "expired key");
});
