//! Tenant isolation: another workspace's ids answer 404 on every route, never 403 and never
//! data; a viewer's writes answer 403.

use reqwest::Method;
use zenalto_testkit::{expect_error, items, Account, StatusCode, TestApp, Value, both_backends, json};

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
        (Method::GET, format!("{w}/api-keys?kind=workspace"), None),
        (Method::POST, format!("{w}/api-keys"), Some(json!({ "name": "k", "kind": "workspace", "role": "viewer", "scopes": ["post:read"] }))),
        (Method::DELETE, format!("{w}/api-keys/{key}"), None),
        (Method::GET, format!("{w}/audit-log"), None),
        (Method::GET, format!("{w}/audit-log.csv"), None),
    ]
}

/// Alice's workspace with one of everything: a member, an open invitation, a workspace key.
struct Tenant {
    owner: Account,
    member: Account,
    invitation_id: String,
    key_id: String,
}

async fn tenant(app: &TestApp, name: &str) -> Tenant {
    let owner = app.signed_in(&format!("{name}@example.org")).await;
    let member = app.member(&owner, &format!("{name}-member@example.org"), "editor").await;
    let (status, invitation) = app.invite(&owner, &format!("{name}-invitee@example.org"), "viewer").await;
    assert_eq!(status, StatusCode::CREATED, "{invitation}");
    let invitation_id = invitation["id"].as_str().unwrap().to_owned();
    let key_id = workspace_key(app, &owner).await.1;
    Tenant { owner, member, invitation_id, key_id }
}

async fn workspace_key(app: &TestApp, owner: &Account) -> (String, String) {
    let path = format!("/api/v1/workspaces/{}/api-keys", owner.workspace_id);
    let body = json!({ "name": "bot", "kind": "workspace", "role": "admin", "scopes": ["post:read", "team:invite", "team:manage", "settings:view", "settings:update", "audit:view"] });
    let (status, created) = app.post(&path, Some(&owner.access), body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    (created["secret"].as_str().unwrap().to_owned(), created["key"]["id"].as_str().unwrap().to_owned())
}

/// What Alice's workspace looks like to Alice; compared before and after the attacks.
async fn snapshot(app: &TestApp, owner: &Account) -> Vec<Value> {
    let w = format!("/api/v1/workspaces/{}", owner.workspace_id);
    let mut views = Vec::new();
    for path in [w.clone(), format!("{w}/members"), format!("{w}/invitations"), format!("{w}/api-keys?kind=workspace")] {
        let (status, mut body) = app.get(&path, &owner.access).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        // Keys record their use; that may change while they are used elsewhere.
        if let Some(list) = body["items"].as_array_mut() {
            for item in list {
                item.as_object_mut().unwrap().remove("lastUsedAt");
            }
        }
        views.push(body);
    }
    let (_, log) = app.get(&format!("{w}/audit-log?limit=200"), &owner.access).await;
    views.push(json!(items(&log).len()));
    views
}

both_backends!(another_tenants_ids_answer_not_found_everywhere, |app: TestApp| async move {
    let alice = tenant(&app, "alice").await;
    let mallory = tenant(&app, "mallory").await;
    let (mallory_bot, _) = workspace_key(&app, &mallory.owner).await;
    let (status, created) = app
        .post(&format!("/api/v1/workspaces/{}/api-keys", mallory.owner.workspace_id), Some(&mallory.owner.access), json!({ "name": "mine", "scopes": ["post:read", "team:invite", "team:manage", "settings:update", "audit:view"] }))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let mallory_key = created["secret"].as_str().unwrap().to_owned();
    let before = snapshot(&app, &alice.owner).await;

    // Mallory's session, personal key and workspace key, on every route of Alice's workspace,
    // naming Alice's own members, invitation and key.
    let a = &alice;
    for credential in [&mallory.owner.access, &mallory_key, &mallory_bot] {
        for (method, path, body) in routes(&a.owner.workspace_id, &a.member.user_id, &a.invitation_id, &a.key_id) {
            let (status, response) = app.call(method.clone(), &path, Some(credential), body).await;
            expect_error(status, &response, StatusCode::NOT_FOUND, "NOT_FOUND", &format!("{method} {path}"));
            let text = response.to_string();
            assert!(!text.contains("alice") && !text.contains("Hijacked"), "{method} {path} leaked data: {response}");
        }
    }
    // Invalid input does not turn the 404 into a 422 that would confirm the workspace exists.
    let w = format!("/api/v1/workspaces/{}", a.owner.workspace_id);
    let invalid: [(Method, String, Option<Value>); 6] = [
        (Method::PATCH, w.clone(), Some(json!({ "name": "" }))),
        (Method::PATCH, format!("{w}/members/{}", a.member.user_id), Some(json!({ "role": "emperor" }))),
        (Method::POST, format!("{w}/invitations"), Some(json!({ "email": "nope" }))),
        (Method::GET, format!("{w}/audit-log?cursor=bogus&from=yesterday"), None),
        (Method::GET, format!("{w}/members?limit=0"), None),
        (Method::POST, format!("{w}/api-keys"), Some(json!({ "scopes": "all" }))),
    ];
    for (method, path, body) in invalid {
        let (status, response) = app.call(method.clone(), &path, Some(&mallory.owner.access), body).await;
        expect_error(status, &response, StatusCode::NOT_FOUND, "NOT_FOUND", &format!("invalid {method} {path}"));
    }

    // Alice's ids named under Mallory's own workspace do not reach Alice's things either.
    let m = &mallory;
    let own = format!("/api/v1/workspaces/{}", m.owner.workspace_id);
    let crossed: [(Method, String, Option<Value>); 4] = [
        (Method::PATCH, format!("{own}/members/{}", a.member.user_id), Some(json!({ "role": "viewer" }))),
        (Method::DELETE, format!("{own}/members/{}", a.member.user_id), None),
        (Method::DELETE, format!("{own}/invitations/{}", a.invitation_id), None),
        (Method::DELETE, format!("{own}/api-keys/{}", a.key_id), None),
    ];
    for (method, path, body) in crossed {
        let (status, response) = app.call(method.clone(), &path, Some(&m.owner.access), body).await;
        expect_error(status, &response, StatusCode::NOT_FOUND, "NOT_FOUND", &format!("crossed {method} {path}"));
    }

    // Nothing of Alice's changed, and her log holds none of Mallory's attempts.
    assert_eq!(snapshot(&app, &alice.owner).await, before);
    let (_, log) = app.get(&format!("{w}/audit-log?actorId={}", m.owner.user_id), &a.owner.access).await;
    assert_eq!(items(&log).len(), 0);
    let (status, _) = app.get(&w, &a.member.access).await;
    assert_eq!(status, StatusCode::OK, "Alice's member is still a member");
});

both_backends!(malformed_and_unknown_workspace_ids_answer_not_found, |app: TestApp| async move {
    let alice = app.signed_in("shapes@example.org").await;
    let upper = alice.workspace_id.to_uppercase();
    for bad in ["not-a-uuid", "01900000-0000-7000-8000-000000000000", "0", "%20", "..%2F..%2Fme", upper.as_str(), "01900000-0000-7000-8000-00000000000g"] {
        if bad == upper {
            // The same id in capitals is the same workspace, not another one.
            let (status, _) = app.get(&format!("/api/v1/workspaces/{bad}"), &alice.access).await;
            assert_eq!(status, StatusCode::OK);
            continue;
        }
        for (method, path, body) in routes(bad, &alice.user_id, "01900000-0000-7000-8000-000000000001", "01900000-0000-7000-8000-000000000002") {
            let (status, response) = app.call(method.clone(), &path, Some(&alice.access), body).await;
            expect_error(status, &response, StatusCode::NOT_FOUND, "NOT_FOUND", &format!("{method} {path}"));
        }
    }
    // Malformed ids below a real workspace too.
    let w = format!("/api/v1/workspaces/{}", alice.workspace_id);
    for (method, path) in [
        (Method::PATCH, format!("{w}/members/nobody")),
        (Method::DELETE, format!("{w}/members/nobody")),
        (Method::DELETE, format!("{w}/invitations/nothing")),
        (Method::DELETE, format!("{w}/api-keys/nothing")),
    ] {
        let body = (method == Method::PATCH).then(|| json!({ "role": "viewer" }));
        let (status, response) = app.call(method.clone(), &path, Some(&alice.access), body).await;
        expect_error(status, &response, StatusCode::NOT_FOUND, "NOT_FOUND", &format!("{method} {path}"));
    }
});

both_backends!(a_viewer_cannot_write, |app: TestApp| async move {
    let alice = tenant(&app, "w-owner").await;
    let viewer = app.member(&alice.owner, "w-viewer@example.org", "viewer").await;
    let before = snapshot(&app, &alice.owner).await;
    let owner_id = alice.owner.user_id.clone();
    for (method, path, body) in routes(&alice.owner.workspace_id, &owner_id, &alice.invitation_id, &alice.key_id) {
        let (status, response) = app.call(method.clone(), &path, Some(&viewer.access), body).await;
        let readable = method == Method::GET && !path.contains("invitations") && !path.contains("audit-log") && !path.contains("kind=workspace");
        if readable {
            // Reading the workspace, its members, one's own rights and one's own personal keys.
            assert_eq!(status, StatusCode::OK, "{method} {path}: {response}");
            continue;
        }
        expect_error(status, &response, StatusCode::FORBIDDEN, "FORBIDDEN", &format!("{method} {path}"));
    }
    // Nor on the editor, nor on themselves beyond leaving.
    let w = format!("/api/v1/workspaces/{}", alice.owner.workspace_id);
    for (method, path, body) in [
        (Method::PATCH, format!("{w}/members/{}", alice.member.user_id), Some(json!({ "role": "viewer" }))),
        (Method::DELETE, format!("{w}/members/{}", alice.member.user_id), None),
        (Method::PATCH, format!("{w}/members/{}", viewer.user_id), Some(json!({ "role": "owner" }))),
    ] {
        let (status, response) = app.call(method.clone(), &path, Some(&viewer.access), body).await;
        expect_error(status, &response, StatusCode::FORBIDDEN, "FORBIDDEN", &format!("{method} {path}"));
    }
    assert_eq!(snapshot(&app, &alice.owner).await, before, "nothing changed");
    let (_, rights) = app.get(&format!("{w}/me"), &viewer.access).await;
    assert_eq!(rights["role"], "viewer");
});
