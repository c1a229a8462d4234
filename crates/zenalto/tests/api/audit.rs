//! The audit log: rows for every mutating action, filters, pagination, CSV, access.

use reqwest::Method;
use zenalto_testkit::{expect_error, items, Account, Sent, StatusCode, TestApp, Value, both_backends, json};

const AGENT: &str = "zenalto-audit-test/2.0";

/// The whole log of a workspace, newest first.
async fn log(app: &TestApp, owner: &Account, query: &str) -> Vec<Value> {
    let (status, page) = app.get(&format!("/api/v1/workspaces/{}/audit-log?limit=200{query}", owner.workspace_id), &owner.access).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["nextCursor"], Value::Null, "fits one page");
    items(&page).clone()
}

/// One request whose audit row the test will check.
struct Expected {
    request_id: String,
    action: &'static str,
    resource_type: &'static str,
    resource_id: String,
    actor: Account,
    changes: Value,
}

both_backends!(mutations_are_audited_with_actor_and_request, |app: TestApp| async move {
    let owner = app.signed_in("audit@example.org").await;
    let base = format!("/api/v1/workspaces/{}", owner.workspace_id);
    let mut expected: Vec<Expected> = Vec::new();
    let mut record = |sent: &Sent, action: &'static str, resource_type: &'static str, resource_id: &str, actor: &Account, changes: Value| {
        assert!(sent.status.is_success(), "{action}: {} {}", sent.status, sent.body);
        assert!(!sent.request_id.is_empty());
        expected.push(Expected { request_id: sent.request_id.clone(), action, resource_type, resource_id: resource_id.to_owned(), actor: actor.clone(), changes });
    };

    let sent = app.send_as(AGENT, Method::PATCH, &base, Some(&owner.access), Some(json!({ "name": "Renamed" }))).await;
    record(&sent, "workspace.update", "workspace", &owner.workspace_id, &owner, json!({ "name": { "from": "Test User's workspace", "to": "Renamed" } }));

    let sent = app.send_as(AGENT, Method::POST, &format!("{base}/invitations"), Some(&owner.access), Some(json!({ "email": "audited@example.org", "role": "editor" }))).await;
    let invitation_id = sent.body["id"].as_str().unwrap().to_owned();
    record(&sent, "invitation.create", "invitation", &invitation_id, &owner, json!({ "email": "audited@example.org", "role": "editor" }));
    let token = app.invitation_token("audited@example.org").await;
    let mut member = app.signed_in("audited@example.org").await;
    member.workspace_id = owner.workspace_id.clone();
    let sent = app.send_as(AGENT, Method::POST, "/api/v1/invitations/accept", Some(&member.access), Some(json!({ "token": token }))).await;
    record(&sent, "invitation.accept", "member", &member.user_id, &member, json!({ "role": "editor", "invitationId": invitation_id }));

    let sent = app.send_as(AGENT, Method::POST, &format!("{base}/invitations"), Some(&owner.access), Some(json!({ "email": "withdrawn@example.org", "role": "viewer" }))).await;
    let withdrawn = sent.body["id"].as_str().unwrap().to_owned();
    record(&sent, "invitation.create", "invitation", &withdrawn, &owner, json!({ "email": "withdrawn@example.org", "role": "viewer" }));
    let sent = app.send_as(AGENT, Method::DELETE, &format!("{base}/invitations/{withdrawn}"), Some(&owner.access), None).await;
    record(&sent, "invitation.revoke", "invitation", &withdrawn, &owner, Value::Null);

    let sent = app.send_as(AGENT, Method::PATCH, &format!("{base}/members/{}", member.user_id), Some(&owner.access), Some(json!({ "role": "viewer" }))).await;
    record(&sent, "member.role_change", "member", &member.user_id, &owner, json!({ "role": { "from": "editor", "to": "viewer" } }));

    let sent = app.send_as(AGENT, Method::POST, &format!("{base}/api-keys"), Some(&owner.access), Some(json!({ "name": "k", "scopes": ["post:read"] }))).await;
    let key_id = sent.body["key"]["id"].as_str().unwrap().to_owned();
    let secret = sent.body["secret"].as_str().unwrap().to_owned();
    record(&sent, "api_key.create", "api_key", &key_id, &owner, json!({ "name": "k", "personal": true, "role": "owner", "scopes": ["post:read"] }));
    let sent = app.send_as(AGENT, Method::DELETE, &format!("{base}/api-keys/{key_id}"), Some(&owner.access), None).await;
    record(&sent, "api_key.revoke", "api_key", &key_id, &owner, Value::Null);

    let sent = app.send_as(AGENT, Method::DELETE, &format!("{base}/members/{}", member.user_id), Some(&member.access), None).await;
    record(&sent, "member.leave", "member", &member.user_id, &member, json!({ "role": "viewer" }));
    let kicked = app.member(&owner, "kicked@example.org", "manager").await;
    let sent = app.send_as(AGENT, Method::DELETE, &format!("{base}/members/{}", kicked.user_id), Some(&owner.access), None).await;
    record(&sent, "member.remove", "member", &kicked.user_id, &owner, json!({ "role": "manager" }));

    let sent = app.send_as(AGENT, Method::POST, "/api/v1/workspaces", Some(&owner.access), Some(json!({ "name": "Second" }))).await;
    let second = sent.body["id"].as_str().unwrap().to_owned();
    let second_create = sent.request_id.clone();

    // Refused and read-only requests leave no rows.
    let viewer = app.member(&owner, "audit-viewer@example.org", "viewer").await;
    let (status, _) = app.call(Method::PATCH, &base, Some(&viewer.access), Some(json!({ "name": "Nope" }))).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app.post(&format!("{base}/invitations"), Some(&owner.access), json!({ "email": "audit@example.org", "role": "viewer" })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    app.get(&format!("{base}/members"), &owner.access).await;

    let rows = log(&app, &owner, "").await;
    for want in &expected {
        let matching: Vec<&Value> = rows.iter().filter(|r| r["requestId"] == want.request_id.as_str()).collect();
        assert_eq!(matching.len(), 1, "{}: one row for request {}: {rows:#?}", want.action, want.request_id);
        let row = matching[0];
        assert_eq!(row["action"], want.action);
        assert_eq!(row["resourceType"], want.resource_type, "{}", want.action);
        assert_eq!(row["resourceId"], want.resource_id.as_str(), "{}", want.action);
        assert_eq!(row["actorType"], "user", "{}", want.action);
        assert_eq!(row["actorId"], want.actor.user_id.as_str(), "{}", want.action);
        assert_eq!(row["actorEmail"], want.actor.email.as_str(), "{}", want.action);
        assert_eq!(row["changes"], want.changes, "{}", want.action);
        assert_eq!(row["ip"], "127.0.0.1", "{}", want.action);
        assert_eq!(row["userAgent"], AGENT, "{}", want.action);
        assert!(row["createdAt"].as_str().unwrap().ends_with('Z'));
    }
    // Sign-up, the three joins by invitation and the actions above; nothing else.
    let mut actions: Vec<&str> = rows.iter().map(|r| r["action"].as_str().unwrap()).collect();
    actions.sort();
    let mut want: Vec<&str> = expected.iter().map(|e| e.action).chain(["workspace.create", "invitation.create", "invitation.create", "invitation.accept", "invitation.accept"]).collect();
    want.sort();
    assert_eq!(actions, want);
    assert!(!serde_json::to_string(&rows).unwrap().contains(&secret), "no key secrets in the log");
    assert!(!rows.iter().any(|r| r["action"].as_str().unwrap().starts_with("auth.")), "account events stay out of workspace logs");

    // The new workspace has its own log, starting with its creation.
    let mut second_owner = owner.clone();
    second_owner.workspace_id = second;
    let rows = log(&app, &second_owner, "").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0]["action"], "workspace.create");
    assert_eq!(rows[0]["resourceId"], second_owner.workspace_id.as_str());
    assert_eq!(rows[0]["changes"], json!({ "name": "Second" }));
    assert_eq!(rows[0]["requestId"], second_create.as_str());
    assert_eq!(rows[0]["actorId"], owner.user_id.as_str());
    assert_eq!(rows[0]["userAgent"], AGENT);
});

both_backends!(a_request_id_chosen_by_the_client_is_recorded, |app: TestApp| async move {
    let owner = app.signed_in("rid@example.org").await;
    let base = format!("/api/v1/workspaces/{}", owner.workspace_id);
    let response = app.request(Method::PATCH, &base, Some(&owner.access)).header("x-request-id", "client-chosen_42").json(&json!({ "name": "R" })).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["x-request-id"], "client-chosen_42");
    let rows = log(&app, &owner, "&action=workspace.update").await;
    assert_eq!(rows[0]["requestId"], "client-chosen_42");
    assert_eq!(rows[0]["userAgent"], Value::Null, "no User-Agent sent, none recorded");
});

both_backends!(filters_and_cursor_pagination, |app: TestApp| async move {
    let owner = app.signed_in("pages@example.org").await;
    let base = format!("/api/v1/workspaces/{}", owner.workspace_id);
    for n in 0..3 {
        let (status, _) = app.call(Method::PATCH, &base, Some(&owner.access), Some(json!({ "name": format!("Name {n}") }))).await;
        assert_eq!(status, StatusCode::OK);
    }
    app.clock.advance_secs(3_600);
    let (_, session) = app.login(&owner.email, &owner.password).await;
    let owner = Account { access: session["accessToken"].as_str().unwrap().to_owned(), ..owner };
    let admin = app.member(&owner, "pages-admin@example.org", "admin").await;
    let (status, _) = app.invite(&admin, "pages-viewer@example.org", "viewer").await;
    assert_eq!(status, StatusCode::CREATED);
    app.clock.advance_secs(3_600);
    let (_, session) = app.login(&owner.email, &owner.password).await;
    let owner = Account { access: session["accessToken"].as_str().unwrap().to_owned(), ..owner };
    let (status, _) = app.post(&format!("{base}/api-keys"), Some(&owner.access), json!({ "name": "k", "scopes": ["post:read"] })).await;
    assert_eq!(status, StatusCode::CREATED);

    // create, 3 renames | invite admin, admin accepts, admin invites | key
    let all = log(&app, &owner, "").await;
    let actions: Vec<&str> = all.iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        ["api_key.create", "invitation.create", "invitation.accept", "invitation.create", "workspace.update", "workspace.update", "workspace.update", "workspace.create"],
        "newest first"
    );
    let count = |rows: &[Value]| rows.len();
    assert_eq!(count(&log(&app, &owner, "&action=workspace.update").await), 3);
    assert_eq!(count(&log(&app, &owner, "&action=invitation.create").await), 2);
    assert_eq!(count(&log(&app, &owner, "&action=no.such").await), 0);
    assert_eq!(count(&log(&app, &owner, "&resourceType=invitation").await), 2);
    assert_eq!(count(&log(&app, &owner, "&resourceType=workspace").await), 4);
    let by_admin = log(&app, &owner, &format!("&actorId={}", admin.user_id)).await;
    let by_admin: Vec<&str> = by_admin.iter().map(|r| r["action"].as_str().unwrap()).collect();
    assert_eq!(by_admin, ["invitation.create", "invitation.accept"]);
    assert_eq!(count(&log(&app, &owner, &format!("&actorId={}", owner.user_id)).await), 6);
    assert_eq!(count(&log(&app, &owner, &format!("&actorId={}&action=invitation.create", admin.user_id)).await), 1, "filters combine");

    // from/to are inclusive instants; the clock moved an hour between the three groups.
    let at = |i: usize| all[i]["createdAt"].as_str().unwrap().to_owned();
    let (last_rename, first_invite, key) = (at(4), at(3), at(0));
    let q = |from: &str, to: &str| format!("&from={}&to={}", from.replace('+', "%2B"), to.replace('+', "%2B"));
    assert_eq!(count(&log(&app, &owner, &format!("&to={last_rename}")).await), 4, "up to and including the last rename");
    assert_eq!(count(&log(&app, &owner, &format!("&from={first_invite}")).await), 4, "from the first invitation on");
    assert_eq!(count(&log(&app, &owner, &q(&first_invite, &at(1))).await), 3, "the middle hour");
    assert_eq!(count(&log(&app, &owner, &format!("&from={key}&to={key}")).await), 1, "one instant");
    assert_eq!(count(&log(&app, &owner, &q(&key, &first_invite)).await), 0, "from after to");
    assert_eq!(count(&log(&app, &owner, "&from=2999-01-01T00:00:00Z").await), 0);
    assert_eq!(count(&log(&app, &owner, "&to=2000-01-01T00:00:00Z").await), 0);
    assert_eq!(count(&log(&app, &owner, &format!("&from={first_invite}&action=invitation.create")).await), 2);
    for (query, field) in [("from=yesterday", "from"), ("to=soon", "to")] {
        let (status, body) = app.get(&format!("{base}/audit-log?{query}"), &owner.access).await;
        expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", query);
        assert!(body["error"]["details"][field].is_string(), "{body}");
    }

    // Pages of two walk the whole log once, in the same order as one big page.
    let mut seen: Vec<String> = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("{base}/audit-log?limit=2&cursor={c}"),
            None => format!("{base}/audit-log?limit=2"),
        };
        let (status, page) = app.get(&path, &owner.access).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        pages += 1;
        assert!(items(&page).len() <= 2);
        seen.extend(items(&page).iter().map(|e| e["id"].as_str().unwrap().to_owned()));
        match &page["nextCursor"] {
            Value::String(next) => cursor = Some(next.clone()),
            Value::Null => break,
            other => panic!("nextCursor {other}"),
        }
        assert!(pages < 10, "pagination does not end");
    }
    let ids: Vec<String> = all.iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect();
    assert_eq!(seen, ids, "every row once, none twice, newest first");
    assert_eq!(pages, 4);
    // Filters hold across pages.
    let (_, page) = app.get(&format!("{base}/audit-log?limit=2&action=workspace.update"), &owner.access).await;
    assert_eq!(items(&page).len(), 2);
    let next = page["nextCursor"].as_str().unwrap();
    let (_, page) = app.get(&format!("{base}/audit-log?limit=2&action=workspace.update&cursor={next}"), &owner.access).await;
    assert_eq!(items(&page).len(), 1);
    assert_eq!(items(&page)[0]["action"], "workspace.update");
    assert_eq!(page["nextCursor"], Value::Null);

    let (status, body) = app.get(&format!("{base}/audit-log?cursor=bogus"), &owner.access).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "bad cursor");
    assert_eq!(body["error"]["details"]["cursor"], "is not a cursor this API issued");
    for limit in ["0", "201", "-1"] {
        let (status, body) = app.get(&format!("{base}/audit-log?limit={limit}"), &owner.access).await;
        expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", &format!("limit {limit}"));
        assert!(body["error"]["details"]["limit"].is_string(), "{body}");
    }
    let (status, body) = app.get(&format!("{base}/audit-log?limit=many"), &owner.access).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "limit many");
});

both_backends!(csv_export_is_complete_and_formula_safe, |app: TestApp| async move {
    let owner = app.signed_in("csv@example.org").await;
    let base = format!("/api/v1/workspaces/{}", owner.workspace_id);
    for agent in ["=cmd|' /C calc'!A0", "+1+1", "@SUM(A1)", "-2-3", "plain, \"quoted\" agent"] {
        let sent = app.send_as(agent, Method::PATCH, &base, Some(&owner.access), Some(json!({ "name": format!("By {agent}") }))).await;
        assert_eq!(sent.status, StatusCode::OK);
    }
    // A formula can hide in an address or a request id as well as in a user agent.
    let sneaky = app.member(&owner, "=1+2@example.org", "admin").await;
    let response = app
        .request(Method::PATCH, &base, Some(&sneaky.access))
        .header("x-request-id", "-1-1")
        .json(&json!({ "name": "=HYPERLINK(\"http://evil.example\")" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);

    let rows = log(&app, &owner, "").await;
    assert_eq!(rows.iter().find(|r| r["userAgent"] == "=cmd|' /C calc'!A0").map(|r| &r["action"]), Some(&json!("workspace.update")), "the JSON log keeps values as sent");

    let response = app.request(Method::GET, &format!("{base}/audit-log.csv"), Some(&owner.access)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/csv"));
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let text = response.text().await.unwrap();
    assert_eq!(text.lines().count(), rows.len() + 1, "a header and one line per entry: {text}");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        ["id", "created_at", "actor_type", "actor_id", "actor_email", "action", "resource_type", "resource_id", "changes", "ip", "user_agent", "request_id"]
    );
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let ids: Vec<&str> = records.iter().map(|r| &r[column("id")]).collect();
    let json_ids: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, json_ids, "the same entries in the same order as the JSON log");
    for (record, row) in records.iter().zip(&rows) {
        assert_eq!(&record[column("action")], row["action"].as_str().unwrap());
        assert_eq!(&record[column("created_at")], row["createdAt"].as_str().unwrap());
    }

    // No cell may start with a formula character.
    for record in &records {
        for (i, cell) in record.iter().enumerate() {
            assert!(!cell.starts_with(['=', '+', '-', '@']), "column {} holds a formula: {cell:?}", header[i]);
        }
    }
    let agents: Vec<&str> = records.iter().map(|r| &r[column("user_agent")]).collect();
    for neutralised in ["'=cmd|' /C calc'!A0", "'+1+1", "'@SUM(A1)", "'-2-3", "plain, \"quoted\" agent"] {
        assert!(agents.contains(&neutralised), "{neutralised} missing from {agents:?}");
    }
    let sneaky_row = records.iter().find(|r| &r[column("request_id")] == "'-1-1").expect("the request id, neutralised");
    assert_eq!(&sneaky_row[column("actor_email")], "'=1+2@example.org");
    assert_eq!(&sneaky_row[column("action")], "workspace.update");

    // Filters apply to the export too.
    let response = app.request(Method::GET, &format!("{base}/audit-log.csv?action=invitation.accept"), Some(&owner.access)).send().await.unwrap();
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(records.len(), 1, "{text}");
    assert_eq!(&records[0][column("actor_id")], sneaky.user_id.as_str());
    let (status, body) = app.get(&format!("{base}/audit-log.csv?from=whenever"), &owner.access).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "bad filter on the export");
});

both_backends!(only_owners_and_admins_read_the_log, |app: TestApp| async move {
    let owner = app.signed_in("reader@example.org").await;
    let admin = app.member(&owner, "r-admin@example.org", "admin").await;
    let base = format!("/api/v1/workspaces/{}", owner.workspace_id);
    for path in [format!("{base}/audit-log"), format!("{base}/audit-log.csv")] {
        let (status, _) = app.get(&path, &admin.access).await;
        assert_eq!(status, StatusCode::OK, "admin {path}");
    }
    for role in ["manager", "editor", "viewer"] {
        let member = app.member(&owner, &format!("r-{role}@example.org"), role).await;
        for path in [format!("{base}/audit-log"), format!("{base}/audit-log.csv")] {
            let (status, body) = app.get(&path, &member.access).await;
            expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", &format!("{role} {path}"));
        }
    }
    // Keys need the audit:view scope as well as the role.
    let keys = format!("{base}/api-keys");
    let (_, with) = app.post(&keys, Some(&owner.access), json!({ "name": "auditor", "scopes": ["audit:view"] })).await;
    let (_, without) = app.post(&keys, Some(&owner.access), json!({ "name": "reader", "scopes": ["post:read"] })).await;
    for path in [format!("{base}/audit-log"), format!("{base}/audit-log.csv")] {
        let (status, _) = app.get(&path, with["secret"].as_str().unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        let (status, body) = app.get(&path, without["secret"].as_str().unwrap()).await;
        expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", &path);
    }
});
