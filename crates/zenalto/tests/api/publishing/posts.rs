//! Posts: create, read, edit, versions, duplicate, delete, tenancy and permissions.

use zenalto_testkit::{StatusCode, TestApp, both_backends, json};

use super::expect_error;

both_backends!(a_post_is_created_edited_versioned_and_restored, |app: TestApp| async move {
    let owner = app.signed_in("writer@example.org").await;
    let account = app.sandbox_account(&owner, "zen").await;
    let post = app.draft(&owner, "First line\nSecond line", &[&account]).await;
    assert_eq!(post["status"], "draft");
    assert_eq!(post["version"], 1);
    assert_eq!(post["targets"][0]["network"], "sandbox");
    assert_eq!(post["targets"][0]["status"], "draft");
    let id = post["id"].as_str().unwrap();
    let path = format!("{}/{id}", app.posts_path(&owner));

    let edit = json!({ "content": { "text": "First line\nSecond line, edited", "hashtags": ["launch"] }, "targets": [{ "accountId": account }], "campaign": "Spring", "tags": ["promo"] });
    let (status, edited) = app.put(&path, &owner.access, edit).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["version"], 2);
    assert_eq!(edited["campaign"], "Spring");
    assert_eq!(edited["targets"][0]["id"], post["targets"][0]["id"], "a kept account keeps its target");

    let (_, versions) = app.get(&format!("{path}/versions"), &owner.access).await;
    let numbers: Vec<i64> = versions.as_array().unwrap().iter().map(|v| v["version"].as_i64().unwrap()).collect();
    assert_eq!(numbers, vec![2, 1], "newest first");

    let (status, diff) = app.get(&format!("{path}/diff?from=1&to=2"), &owner.access).await;
    assert_eq!(status, StatusCode::OK, "{diff}");
    let text = diff.as_array().unwrap().iter().find(|c| c["field"] == "content.text").expect("the text changed");
    let lines: Vec<String> = text["lines"].as_array().unwrap().iter().map(|l| format!("{}{}", l["op"].as_str().unwrap(), l["text"].as_str().unwrap())).collect();
    assert_eq!(lines, vec![" First line", "-Second line", "+Second line, edited"]);
    assert!(diff.as_array().unwrap().iter().any(|c| c["field"] == "campaign"), "{diff}");

    let (status, restored) = app.post(&format!("{path}/versions/1/restore"), Some(&owner.access), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{restored}");
    assert_eq!(restored["version"], 3, "a restore is a new version");
    assert_eq!(restored["content"]["text"], "First line\nSecond line");
    assert!(restored["campaign"].is_null());

    let (status, copy) = app.post(&format!("{path}/duplicate"), Some(&owner.access), json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{copy}");
    assert_ne!(copy["id"], post["id"]);
    assert_eq!(copy["content"], restored["content"]);
    assert_eq!(copy["status"], "draft");

    let (status, _) = app.delete(&path, &owner.access).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.get(&path, &owner.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    let (_, versions) = app.get(&format!("{path}/versions"), &owner.access).await;
    assert_eq!(versions["error"]["code"], "NOT_FOUND", "a deleted post's history is not served: {versions}");
});

both_backends!(bad_post_input_is_refused_with_field_errors_and_nothing_is_stored, |app: TestApp| async move {
    let owner = app.signed_in("strict@example.org").await;
    let account = app.sandbox_account(&owner, "strict").await;
    let path = app.posts_path(&owner);
    let cases = [
        (json!({ "content": { "text": "x" }, "targets": [{ "accountId": "nope" }] }), "targets[0].accountId"),
        (json!({ "content": { "text": "x" }, "targets": [{ "accountId": account }, { "accountId": account }] }), "targets[1].accountId"),
        (json!({ "content": { "text": "x".repeat(10_001) }, "targets": [] }), "content.text"),
        (json!({ "content": { "text": "x" }, "targets": [], "tags": [""] }), "tags"),
        (json!({ "content": { "text": "x" }, "targets": [{ "accountId": zenalto_domain::AccountId::new().to_string() }] }), "targets[0].accountId"),
    ];
    for (body, field) in cases {
        let (status, answer) = app.post(&path, Some(&owner.access), body).await;
        expect_error(status, &answer, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
        assert!(answer["error"]["details"].get(field).is_some(), "{field}: {answer}");
    }
    let (status, answer) = app.post(&path, Some(&owner.access), json!({ "content": { "text": "x", "colour": "red" }, "targets": [] })).await;
    expect_error(status, &answer, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    let (_, list) = app.get(&path, &owner.access).await;
    assert_eq!(list.as_array().unwrap().len(), 0, "no post was stored: {list}");
});

both_backends!(posts_and_accounts_are_invisible_to_other_workspaces, |app: TestApp| async move {
    let alice = app.signed_in("alice@example.org").await;
    let mallory = app.signed_in("mallory@example.org").await;
    let alice_account = app.sandbox_account(&alice, "alice").await;
    let post = app.draft(&alice, "private plans", &[&alice_account]).await;
    let id = post["id"].as_str().unwrap();

    // Mallory uses her own workspace id with Alice's post and account ids.
    let theirs = format!("{}/{id}", app.posts_path(&mallory));
    for (method, path) in [
        (reqwest::Method::GET, theirs.clone()),
        (reqwest::Method::DELETE, theirs.clone()),
        (reqwest::Method::GET, format!("{theirs}/versions")),
        (reqwest::Method::POST, format!("{theirs}/duplicate")),
        (reqwest::Method::POST, format!("{theirs}/publish")),
        (reqwest::Method::GET, format!("/api/v1/workspaces/{}/accounts/{alice_account}", mallory.workspace_id)),
    ] {
        let (status, body) = app.call(method.clone(), &path, Some(&mallory.access), Some(json!({}))).await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
    // Alice's workspace itself is not Mallory's.
    let (status, body) = app.get(&app.posts_path(&alice), &mallory.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    // Nor can Mallory target Alice's account from her own workspace.
    let (status, body) = app.post(&app.posts_path(&mallory), Some(&mallory.access), json!({ "content": { "text": "hi" }, "targets": [{ "accountId": alice_account }] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    assert_eq!(app.get_post(&alice, id).await["status"], "draft", "Alice's post is untouched");
});

both_backends!(roles_decide_who_may_draft_and_who_may_publish, |app: TestApp| async move {
    let owner = app.signed_in("boss@example.org").await;
    let account = app.sandbox_account(&owner, "brand").await;
    let editor = app.member(&owner, "editor@example.org", "editor").await;
    let viewer = app.member(&owner, "viewer@example.org", "viewer").await;

    let post = app.draft(&editor, "drafted by an editor", &[&account]).await;
    let id = post["id"].as_str().unwrap();
    let (status, body) = app.post_action(&editor, id, "publish", json!({})).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
    let (status, body) = app.post(&app.posts_path(&viewer), Some(&viewer.access), json!({ "content": { "text": "x" }, "targets": [] })).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
    let (status, body) = app.post(&format!("/api/v1/workspaces/{}/accounts", owner.workspace_id), Some(&editor.access), json!({ "network": "sandbox", "handle": "sneaky" })).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
    assert_eq!(app.get_post(&viewer, id).await["content"]["text"], "drafted by an editor", "viewers read");
});

both_backends!(real_networks_cannot_be_connected_without_oauth_yet, |app: TestApp| async move {
    let owner = app.signed_in("eager@example.org").await;
    let path = format!("/api/v1/workspaces/{}/accounts", owner.workspace_id);
    let (status, body) = app.post(&path, Some(&owner.access), json!({ "network": "x", "handle": "someone" })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    assert!(body["error"]["details"]["network"].as_str().unwrap().contains("OAuth"), "{body}");
    let (status, body) = app.post(&path, Some(&owner.access), json!({ "network": "myspace", "handle": "tom" })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    let (_, accounts) = app.get(&path, &owner.access).await;
    assert_eq!(accounts.as_array().unwrap().len(), 0);
});

both_backends!(an_edit_with_if_match_never_overwrites_a_newer_version, |app: TestApp| async move {
    let owner = app.signed_in("editors@example.org").await;
    let account = app.sandbox_account(&owner, "editors").await;
    let post = app.draft(&owner, "first words", &[&account]).await;
    let path = format!("{}/{}", app.posts_path(&owner), post["id"].as_str().unwrap());
    let edit = |text: &str| json!({ "content": { "text": text }, "targets": [{ "accountId": account }] });
    let put_if = |version: &'static str, body: zenalto_testkit::Value| {
        app.request(reqwest::Method::PUT, &path, Some(&owner.access)).header("if-match", version).json(&body).send()
    };

    let first = put_if("\"1\"", edit("the first editor's words")).await.unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    // The second editor read version 1 too: refused, and nothing of theirs is written.
    let (status, body) = zenalto_testkit::read(put_if("\"1\"", edit("the second editor's words")).await.unwrap()).await;
    expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT");
    assert!(body["error"]["message"].as_str().unwrap().contains("now 2"), "{body}");
    let (status, body) = zenalto_testkit::read(put_if("three", edit("x")).await.unwrap()).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    let now = app.get_post(&owner, post["id"].as_str().unwrap()).await;
    assert_eq!((now["version"].as_i64(), now["content"]["text"].as_str()), (Some(2), Some("the first editor's words")));
    let (status, _) = zenalto_testkit::read(put_if("2", edit("after reading again")).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "the version read, without quotes, is accepted too");
});
