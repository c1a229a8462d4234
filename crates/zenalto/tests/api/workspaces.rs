//! Workspaces, members and the permission matrix as seen through the API.

use std::sync::Arc;

use reqwest::Method;
use zenalto_testkit::{expect_error, items, Account, StatusCode, TestApp, Value, both_backends, json};

/// The members of a workspace as user id → role.
async fn roles(app: &TestApp, owner: &Account) -> Vec<(String, String)> {
    let (status, list) = app.get(&format!("/api/v1/workspaces/{}/members", owner.workspace_id), &owner.access).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let mut roles: Vec<(String, String)> =
        items(&list).iter().map(|m| (m["userId"].as_str().unwrap().to_owned(), m["role"].as_str().unwrap().to_owned())).collect();
    roles.sort();
    roles
}

fn role_of(roles: &[(String, String)], user: &str) -> Option<String> {
    roles.iter().find(|(id, _)| id == user).map(|(_, role)| role.clone())
}

both_backends!(workspaces_are_created_listed_and_renamed, |app: TestApp| async move {
    let owner = app.signed_in("owner@example.org").await;
    let (status, list) = app.get("/api/v1/workspaces", &owner.access).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(items(&list).len(), 1, "sign-up creates one workspace: {list}");
    assert_eq!(items(&list)[0]["id"], owner.workspace_id.as_str());
    assert_eq!(items(&list)[0]["role"], "owner");
    assert_eq!(list["nextCursor"], Value::Null);

    let (status, created) = app.post("/api/v1/workspaces", Some(&owner.access), json!({ "name": "  Acme Launch " })).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["name"], "Acme Launch", "the name is trimmed");
    assert_eq!(created["role"], "owner", "the creator owns the new workspace");
    assert_eq!(created["plan"], "free");
    assert!(created["createdAt"].is_string());
    let slug = created["slug"].as_str().unwrap();
    assert!(slug.starts_with("acme-launch-"), "{slug}");
    let id = created["id"].as_str().unwrap().to_owned();
    let (_, twin) = app.post("/api/v1/workspaces", Some(&owner.access), json!({ "name": "Acme Launch" })).await;
    assert_ne!(twin["slug"], created["slug"], "slugs are unique");

    let (_, list) = app.get("/api/v1/workspaces", &owner.access).await;
    assert_eq!(items(&list).len(), 3, "a user may belong to several workspaces");
    assert!(items(&list).iter().all(|w| w["role"] == "owner"));
    assert!(items(&list).iter().any(|w| w["id"] == id.as_str()));

    let path = format!("/api/v1/workspaces/{id}");
    let (status, one) = app.get(&path, &owner.access).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["name"], "Acme Launch");
    assert_eq!(one["role"], "owner");
    assert_eq!(one["slug"], created["slug"]);
    let (status, members) = app.get(&format!("{path}/members"), &owner.access).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(items(&members).len(), 1);
    assert_eq!(items(&members)[0]["userId"], owner.user_id.as_str());
    assert_eq!(items(&members)[0]["role"], "owner");

    let (status, renamed) = app.call(Method::PATCH, &path, Some(&owner.access), Some(json!({ "name": "Acme" }))).await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["name"], "Acme");
    assert_eq!(renamed["role"], "owner");
    assert_eq!(renamed["slug"], created["slug"], "renaming keeps the slug");
    let (_, one) = app.get(&path, &owner.access).await;
    assert_eq!(one["name"], "Acme", "the new name is stored");

    let (status, body) = app.call(Method::PATCH, &path, Some(&owner.access), Some(json!({ "name": "   " }))).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "blank name");
    assert_eq!(body["error"]["details"]["name"], "must not be empty");
    let (status, body) = app.call(Method::PATCH, &path, Some(&owner.access), Some(json!({ "name": "x".repeat(101) }))).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "long name");
    assert!(body["error"]["details"]["name"].is_string());
    let (status, body) = app.call(Method::PATCH, &path, Some(&owner.access), Some(json!({ "name": "A", "plan": "pro" }))).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "unknown field");
    assert_eq!(body["error"]["details"]["plan"], "is not a known field");
    let (status, body) = app.post("/api/v1/workspaces", Some(&owner.access), json!({})).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "missing name");
    assert_eq!(body["error"]["details"]["name"], "is required");
    let (_, one) = app.get(&path, &owner.access).await;
    assert_eq!(one["name"], "Acme", "refused renames change nothing");

    let (status, body) = app.call(Method::GET, "/api/v1/workspaces", None, None).await;
    expect_error(status, &body, StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "no token");
    let (status, body) = app.call(Method::POST, "/api/v1/workspaces", None, Some(json!({ "name": "Anon" }))).await;
    expect_error(status, &body, StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "no token");
});

both_backends!(only_settings_updaters_rename, |app: TestApp| async move {
    let owner = app.signed_in("namer@example.org").await;
    let path = format!("/api/v1/workspaces/{}", owner.workspace_id);
    let admin = app.member(&owner, "namer-admin@example.org", "admin").await;
    let (status, renamed) = app.call(Method::PATCH, &path, Some(&admin.access), Some(json!({ "name": "By admin" }))).await;
    assert_eq!(status, StatusCode::OK, "admins have settings:update: {renamed}");
    assert_eq!(renamed["role"], "admin", "the answer carries the caller's role");
    for role in ["manager", "editor", "viewer"] {
        let member = app.member(&owner, &format!("namer-{role}@example.org"), role).await;
        let (status, one) = app.get(&path, &member.access).await;
        assert_eq!(status, StatusCode::OK, "every member may read the workspace");
        assert_eq!(one["role"], role);
        let (status, body) = app.call(Method::PATCH, &path, Some(&member.access), Some(json!({ "name": format!("By {role}") }))).await;
        expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", role);
    }
    let (_, one) = app.get(&path, &owner.access).await;
    assert_eq!(one["name"], "By admin", "refused renames changed nothing");
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
        let account = if role == "owner" { owner.clone() } else { app.member(&owner, &format!("{role}@example.org"), role).await };
        let (status, rights) = app.get(&format!("/api/v1/workspaces/{}/me", owner.workspace_id), &account.access).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(rights["role"], role);
        let mut got: Vec<&str> = rights["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
        let mut want = permissions.to_vec();
        got.sort();
        want.sort();
        assert_eq!(got, want, "permissions of {role}");

        // The invitee now sees the workspace in their own list, with that role.
        let (_, mine) = app.get("/api/v1/workspaces", &account.access).await;
        let joined = items(&mine).iter().find(|w| w["id"] == owner.workspace_id.as_str()).expect("joined workspace listed");
        assert_eq!(joined["role"], role);
    }
    let members = roles(&app, &owner).await;
    assert_eq!(members.len(), 5);
    let mut held: Vec<&str> = members.iter().map(|(_, r)| r.as_str()).collect();
    held.sort();
    assert_eq!(held, ["admin", "editor", "manager", "owner", "viewer"]);
});

both_backends!(members_are_listed_with_their_details_and_paged, |app: TestApp| async move {
    let owner = app.signed_in("lister@example.org").await;
    let editor = app.member(&owner, "listed-editor@example.org", "editor").await;
    app.member(&owner, "listed-viewer@example.org", "viewer").await;
    let base = format!("/api/v1/workspaces/{}/members", owner.workspace_id);
    let (status, list) = app.get(&base, &editor.access).await;
    assert_eq!(status, StatusCode::OK, "every member may see the team: {list}");
    let me = items(&list).iter().find(|m| m["userId"] == editor.user_id.as_str()).unwrap();
    assert_eq!(me["email"], "listed-editor@example.org");
    assert_eq!(me["name"], "Test User");
    assert_eq!(me["role"], "editor");
    assert!(me["joinedAt"].as_str().unwrap().ends_with('Z'));

    let mut seen = Vec::new();
    let mut path = format!("{base}?limit=2");
    loop {
        let (status, page) = app.get(&path, &owner.access).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        assert!(items(&page).len() <= 2);
        seen.extend(items(&page).iter().map(|m| m["userId"].as_str().unwrap().to_owned()));
        match page["nextCursor"].as_str() {
            Some(next) => path = format!("{base}?limit=2&cursor={next}"),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (3, 3), "every member once: {seen:?}");
    let (status, body) = app.get(&format!("{base}?limit=0"), &owner.access).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "limit 0");
    let (status, body) = app.get(&format!("{base}?cursor=nonsense"), &owner.access).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "bad cursor");
});

both_backends!(roles_change_within_limits_and_one_owner_always_remains, |app: TestApp| async move {
    let owner = app.signed_in("o@example.org").await;
    let admin = app.member(&owner, "a@example.org", "admin").await;
    let editor = app.member(&owner, "e@example.org", "editor").await;
    let viewer = app.member(&owner, "v@example.org", "viewer").await;
    let base = format!("/api/v1/workspaces/{}/members", owner.workspace_id);
    let patch = |who: &Account, by: &Account, role: &str| {
        let (path, token, body) = (format!("{base}/{}", who.user_id), by.access.clone(), json!({ "role": role }));
        let app = &app;
        async move { app.call(Method::PATCH, &path, Some(&token), Some(body)).await }
    };

    let (status, body) = patch(&editor, &admin, "manager").await;
    assert_eq!(status, StatusCode::NO_CONTENT, "admin promotes an editor to manager: {body}");
    assert_eq!(role_of(&roles(&app, &owner).await, &editor.user_id).as_deref(), Some("manager"));
    let (status, body) = patch(&editor, &admin, "owner").await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "admins cannot make owners");
    let (status, body) = patch(&admin, &admin, "owner").await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "admins cannot promote themselves");
    let (status, body) = patch(&owner, &admin, "viewer").await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "admins cannot touch owners");
    let (status, body) = patch(&admin, &editor, "viewer").await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "managers cannot manage the team");
    let (status, body) = patch(&viewer, &viewer, "owner").await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "viewers cannot promote themselves");
    let (status, body) = patch(&owner, &owner, "admin").await;
    expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT", "the last owner stays owner");
    assert!(body["error"]["details"]["role"].is_string(), "{body}");
    let (status, body) = app.call(Method::PATCH, &format!("{base}/{}", admin.user_id), Some(&owner.access), Some(json!({ "role": "emperor" }))).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "unknown role");
    assert!(body["error"]["details"]["role"].is_string(), "{body}");
    let (status, body) = app.call(Method::PATCH, &format!("{base}/{}", uuid_like()), Some(&owner.access), Some(json!({ "role": "viewer" }))).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "not a member");
    let (status, body) = app.call(Method::PATCH, &format!("{base}/not-a-user"), Some(&owner.access), Some(json!({ "role": "viewer" }))).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "malformed member id");
    let outsider = app.signed_in("outsider@example.org").await;
    let (status, body) = patch(&outsider, &owner, "viewer").await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "a user of another workspace is not a member here");

    // Owners make owners; with two, either may step down, and then the other is the last one.
    let (status, _) = patch(&admin, &owner, "owner").await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = patch(&owner, &owner, "admin").await;
    assert_eq!(status, StatusCode::NO_CONTENT, "a second owner lets the first step down");
    let (status, body) = patch(&admin, &admin, "editor").await;
    expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT", "now the former admin is the last owner");
    let (status, body) = patch(&admin, &owner, "viewer").await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "the demoted owner is an admin now");
    let members = roles(&app, &owner).await;
    assert_eq!(role_of(&members, &admin.user_id).as_deref(), Some("owner"));
    assert_eq!(role_of(&members, &owner.user_id).as_deref(), Some("admin"));
    assert_eq!(role_of(&members, &viewer.user_id).as_deref(), Some("viewer"), "refused changes changed nothing");
    let (_, rights) = app.get(&format!("/api/v1/workspaces/{}/me", owner.workspace_id), &owner.access).await;
    assert_eq!(rights["role"], "admin", "a new role applies at once");
});

both_backends!(members_are_removed_or_leave, |app: TestApp| async move {
    let owner = app.signed_in("o2@example.org").await;
    let admin = app.member(&owner, "a2@example.org", "admin").await;
    let manager = app.member(&owner, "m2@example.org", "manager").await;
    let editor = app.member(&owner, "e2@example.org", "editor").await;
    let viewer = app.member(&owner, "v2@example.org", "viewer").await;
    let workspace = format!("/api/v1/workspaces/{}", owner.workspace_id);
    let base = format!("{workspace}/members");
    let delete = |who: &Account, by: &Account| {
        let (path, token) = (format!("{base}/{}", who.user_id), by.access.clone());
        let app = &app;
        async move { app.call(Method::DELETE, &path, Some(&token), None).await }
    };

    let (status, body) = delete(&viewer, &editor).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "editors cannot remove members");
    let (status, body) = delete(&viewer, &manager).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "managers cannot remove members");
    let (status, body) = delete(&owner, &admin).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "admins cannot remove owners");

    let (status, _) = delete(&viewer, &viewer).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "a viewer may leave without team:manage");
    let (status, _) = delete(&editor, &admin).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "admins remove editors");
    for gone in [&viewer, &editor] {
        for path in [workspace.clone(), base.clone(), format!("{workspace}/me")] {
            let (status, body) = app.get(&path, &gone.access).await;
            expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", &format!("{} after leaving, {path}", gone.email));
        }
        let (_, mine) = app.get("/api/v1/workspaces", &gone.access).await;
        assert!(!items(&mine).iter().any(|w| w["id"] == owner.workspace_id.as_str()), "no longer listed: {mine}");
        let (status, body) = delete(gone, &owner).await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "removing a former member");
    }
    let members = roles(&app, &owner).await;
    assert_eq!(members.len(), 3, "{members:?}");
    assert_eq!(role_of(&members, &viewer.user_id), None);
    assert_eq!(role_of(&members, &editor.user_id), None);

    let (status, body) = delete(&owner, &owner).await;
    expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT", "the last owner cannot leave");
    let (status, _) = app.get(&workspace, &owner.access).await;
    assert_eq!(status, StatusCode::OK, "and is still a member");

    // With a second owner, one owner may leave; the other is then the last.
    let (status, _) = app.call(Method::PATCH, &format!("{base}/{}", admin.user_id), Some(&owner.access), Some(json!({ "role": "owner" }))).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = delete(&owner, &owner).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "one of two owners leaves");
    let (status, body) = delete(&admin, &admin).await;
    expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT", "the remaining owner cannot leave");
    let members = roles(&app, &admin).await;
    assert_eq!(members, {
        let mut m = vec![(admin.user_id.clone(), "owner".to_owned()), (manager.user_id.clone(), "manager".to_owned())];
        m.sort();
        m
    });
});

both_backends!(concurrent_demotions_never_leave_a_workspace_without_owner, |app: TestApp| async move {
    let first = app.signed_in("race-a@example.org").await;
    let second = app.member(&first, "race-b@example.org", "owner").await;
    let app = Arc::new(app);
    let base = format!("/api/v1/workspaces/{}/members", first.workspace_id);
    for round in 0..15 {
        // Each owner demotes the other at the same moment: at most one may win.
        let mut tasks = Vec::new();
        for (by, target) in [(&first, &second), (&second, &first)] {
            let (app, token, path) = (app.clone(), by.access.clone(), format!("{base}/{}", target.user_id));
            tasks.push(tokio::spawn(async move { app.call(Method::PATCH, &path, Some(&token), Some(json!({ "role": "admin" }))).await }));
        }
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap().0);
        }
        let members = roles(&app, &first).await;
        let owners: Vec<&String> = members.iter().filter(|(_, r)| r == "owner").map(|(id, _)| id).collect();
        assert_eq!(owners.len(), 1, "round {round}: {statuses:?} left owners {owners:?}");
        assert_eq!(statuses.iter().filter(|s| **s == StatusCode::NO_CONTENT).count(), 1, "round {round}: {statuses:?}");
        // The surviving owner restores the other.
        let (survivor, demoted) = if owners[0] == &first.user_id { (&first, &second) } else { (&second, &first) };
        let (status, _) = app.call(Method::PATCH, &format!("{base}/{}", demoted.user_id), Some(&survivor.access), Some(json!({ "role": "owner" }))).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }
});

both_backends!(concurrent_departures_never_leave_a_workspace_without_owner, |app: TestApp| async move {
    let founder = app.signed_in("leave-0@example.org").await;
    let app = Arc::new(app);
    let mut stayer = founder.clone();
    for round in 1..=8 {
        let other = app.member(&stayer, &format!("leave-{round}@example.org"), "owner").await;
        let mut tasks = Vec::new();
        for who in [&stayer, &other] {
            let (app, token, path) = (app.clone(), who.access.clone(), format!("/api/v1/workspaces/{}/members/{}", founder.workspace_id, who.user_id));
            tasks.push(tokio::spawn(async move { app.call(Method::DELETE, &path, Some(&token), None).await.0 }));
        }
        let mut statuses = Vec::new();
        for task in tasks {
            statuses.push(task.await.unwrap());
        }
        assert_eq!(statuses.iter().filter(|s| **s == StatusCode::NO_CONTENT).count(), 1, "round {round}: both owners left: {statuses:?}");
        // Whoever is still a member carries on.
        let (status, _) = app.get(&format!("/api/v1/workspaces/{}", founder.workspace_id), &other.access).await;
        stayer = if status == StatusCode::OK { other } else { stayer };
        stayer.workspace_id = founder.workspace_id.clone();
        let members = roles(&app, &stayer).await;
        assert_eq!(members, vec![(stayer.user_id.clone(), "owner".to_owned())], "round {round}");
    }
});

/// PostgreSQL clusters are often created with a language collation (the official Docker image
/// initialises en_US.utf8). Cursors compare ids as text, so paging must not depend on it. This
/// case is PostgreSQL-only: SQLite compares text bytewise whatever the locale.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lists_page_on_a_postgres_database_with_a_language_collation() {
    let url = zenalto_testkit::fresh_postgres_database_with("TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'").await;
    let app = zenalto_testkit::spawn_app_with(zenalto_testkit::Backend::Postgres, |s| s.database.url = zenalto_domain::Secret::new(url)).await;
    let owner = app.signed_in("collation@example.org").await;
    app.member(&owner, "collation-editor@example.org", "editor").await;
    let (status, _) = app.invite(&owner, "collation-open@example.org", "viewer").await;
    assert_eq!(status, StatusCode::CREATED);
    let w = format!("/api/v1/workspaces/{}", owner.workspace_id);
    let (status, _) = app.post(&format!("{w}/api-keys"), Some(&owner.access), json!({ "name": "k", "scopes": ["post:read"] })).await;
    assert_eq!(status, StatusCode::CREATED);
    // create, invite + accept, invite, key
    for (list, expected) in [("members", 2), ("invitations", 1), ("api-keys", 1), ("audit-log", 5)] {
        let (status, all) = app.get(&format!("{w}/{list}"), &owner.access).await;
        assert_eq!(status, StatusCode::OK, "{all}");
        assert_eq!(items(&all).len(), expected, "{list}: {all}");
        let mut seen = Vec::new();
        let mut path = format!("{w}/{list}?limit=1");
        loop {
            let (status, page) = app.get(&path, &owner.access).await;
            assert_eq!(status, StatusCode::OK, "{page}");
            seen.extend(items(&page).iter().map(Value::to_string));
            match page["nextCursor"].as_str() {
                Some(next) => path = format!("{w}/{list}?limit=1&cursor={next}"),
                None => break,
            }
            assert!(seen.len() <= expected, "{list} pages do not end");
        }
        assert_eq!(seen, items(&all).iter().map(Value::to_string).collect::<Vec<_>>(), "{list} paged like one page");
    }
}

fn uuid_like() -> String {
    "01900000-0000-7000-8000-000000000000".into()
}
