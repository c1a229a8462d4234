use super::*;
use zenalto_testkit::both_backends;

fn path(owner: &Account, post: &str, action: &str) -> String {
    format!("/api/v1/workspaces/{}/posts/{post}/{action}", owner.workspace_id)
}

both_backends!(approval_submit_approve_edit_reject_and_permissions, |app: TestApp| async move {
    let owner = app.signed_in("approval-owner@example.org").await;
    let editor = app.member(&owner, "approval-editor@example.org", "editor").await;
    let viewer = app.member(&owner, "approval-viewer@example.org", "viewer").await;
    let account = app.sandbox_account(&owner, "shop").await;
    let (week, _) = next_week("Europe/Berlin");

    // An editor writes a draft and submits it; it waits in the queue.
    let draft = app.draft(&editor, "Our spring menu starts Monday", &[&account]).await;
    let id = draft["id"].as_str().unwrap().to_owned();
    let (status, body) = app.post(&path(&editor, &id, "submit"), Some(&editor.access), json!({ "note": "first try" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "pending_approval");
    let (status, body) = app.post(&path(&editor, &id, "submit"), Some(&editor.access), json!({})).await;
    expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT");
    let queue = format!("/api/v1/workspaces/{}/approvals", owner.workspace_id);
    let (status, body) = app.get(&format!("{queue}?accountId={account}"), &viewer.access).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body.as_array().unwrap().len(), 1, "{body}");
    assert_eq!(body[0]["trail"][0]["decision"], "submitted");
    assert_eq!(body[0]["trail"][0]["reason"], "first try");

    // Neither the editor nor a viewer may approve or reject: no post:publish.
    for who in [&editor, &viewer] {
        let (status, body) = app.post(&path(&owner, &id, "approve"), Some(&who.access), json!({})).await;
        expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
        let (status, body) = app.post(&path(&owner, &id, "reject"), Some(&who.access), json!({ "reason": "no" })).await;
        expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
    }
    // A person's draft has no proposed time: the approver says when.
    let (status, body) = app.post(&path(&owner, &id, "approve"), Some(&owner.access), json!({})).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    let when = json!({ "schedule": { "localTime": format!("{week}T10:00"), "timeZone": "Europe/Berlin" } });
    let (status, body) = app.post(&path(&owner, &id, "approve"), Some(&owner.access), when).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["post"]["status"], "scheduled");
    assert_eq!(body["post"]["localTime"], format!("{week}T10:00:00"));
    assert!(app.job_counts().await.iter().any(|(state, n)| state == "queued" && *n >= 1), "a publish job waits: {:?}", app.job_counts().await);
    let (status, body) = app.post(&path(&owner, &id, "approve"), Some(&owner.access), json!({})).await;
    expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT");

    // Agent drafts carry a proposed time: approving schedules them there.
    set_profile(
        &app,
        &owner,
        &account,
        json!({ "goals": "Sell more lunch menus", "topics": ["spring menu", "lunch deals"], "postsPerWeek": 3, "tone": "friendly" }),
    )
    .await;
    let run = fill_week(&app, &owner, &[&account], &week).await;
    let drafts = run["output"]["drafts"].as_array().unwrap().clone();
    assert_eq!(drafts.len(), 3, "{run}");
    let first = drafts[0]["postId"].as_str().unwrap();
    let proposed = app.get_post(&owner, first).await;
    assert_eq!(proposed["status"], "pending_approval");
    let (status, body) = app.post(&path(&owner, first, "approve"), Some(&owner.access), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["post"]["status"], "scheduled");
    assert_eq!(body["post"]["scheduledAt"], proposed["scheduledAt"], "scheduled at the proposed time");

    // Edit then approve, in one call, honouring If-Match.
    let second = drafts[1]["postId"].as_str().unwrap();
    let before = app.get_post(&owner, second).await;
    let edit = json!({ "edit": { "content": { "text": "Lunch deals all week, edited by a person" }, "targets": [{ "accountId": account }] } });
    let stale = app
        .request(reqwest::Method::POST, &path(&owner, second, "approve"), Some(&owner.access))
        .header("If-Match", "\"999\"")
        .json(&edit)
        .send()
        .await
        .unwrap();
    let (status, body) = zenalto_testkit::read(stale).await;
    expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT");
    let version = before["version"].as_i64().unwrap();
    let fresh = app
        .request(reqwest::Method::POST, &path(&owner, second, "approve"), Some(&owner.access))
        .header("If-Match", format!("\"{version}\""))
        .json(&edit)
        .send()
        .await
        .unwrap();
    let (status, body) = zenalto_testkit::read(fresh).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["post"]["content"]["text"], "Lunch deals all week, edited by a person");
    assert_eq!(body["post"]["status"], "scheduled");
    assert_eq!(body["post"]["scheduledAt"], before["scheduledAt"]);

    // Reject with a reason: back to draft, the reason on the post's trail.
    let third = drafts[2]["postId"].as_str().unwrap();
    let (status, body) = app.post(&path(&owner, third, "reject"), Some(&owner.access), json!({ "reason": "  " })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    let (status, body) = app.post(&path(&owner, third, "reject"), Some(&owner.access), json!({ "reason": "Too salesy for a Monday" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "draft");
    assert!(body["scheduledAt"].is_null());
    let (status, trail) = app.get(&path(&owner, third, "approvals"), &viewer.access).await;
    assert_eq!(status, StatusCode::OK, "{trail}");
    let decisions: Vec<&str> = trail.as_array().unwrap().iter().map(|e| e["decision"].as_str().unwrap()).collect();
    assert_eq!(decisions, ["submitted", "rejected"]);
    assert_eq!(trail[1]["reason"], "Too salesy for a Monday");
    assert!(trail[0]["reasoning"]["theme"].is_string(), "the agents' reasoning is on the trail: {trail}");
    let (status, _) = app.post(&path(&owner, third, "reject"), Some(&owner.access), json!({ "reason": "again" })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (_, body) = app.get(&queue, &owner.access).await;
    assert!(body.as_array().unwrap().is_empty(), "nothing left to approve: {body}");

    // Approving with "now" publishes through the ordinary path, here to the sandbox network.
    let urgent = app.draft(&editor, "Power cut: the shop opens at noon today", &[&account]).await;
    let urgent = urgent["id"].as_str().unwrap();
    let (status, _) = app.post(&path(&editor, urgent, "submit"), Some(&editor.access), json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let now = json!({ "schedule": { "at": Timestamp::now().to_string() } });
    let (status, body) = app.post(&path(&owner, urgent, "approve"), Some(&owner.access), now).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let published = app.wait_for_status(&owner, urgent, "published", 20).await;
    assert!(published["targets"][0]["platformPostId"].is_string(), "{published}");

    // Every decision is in the audit log.
    let (_, audit) = app.get(&format!("/api/v1/workspaces/{}/audit-log", owner.workspace_id), &owner.access).await;
    let actions = audit.to_string();
    for action in ["post.submit", "post.approve", "post.reject"] {
        assert!(actions.contains(action), "{action} audited");
    }

    // Another workspace never reaches these posts.
    let other = app.signed_in("approval-other@example.org").await;
    for (action, request) in [("approve", json!({})), ("reject", json!({ "reason": "x" }))] {
        let (status, body) = app.post(&path(&other, first, action), Some(&other.access), request.clone()).await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
        let (status, body) = app.post(&path(&owner, first, action), Some(&other.access), request.clone()).await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
    let (status, body) = app.get(&path(&other, third, "approvals"), &other.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    let (_, body) = app.get(&format!("/api/v1/workspaces/{}/approvals", other.workspace_id), &other.access).await;
    assert!(body.as_array().unwrap().is_empty());
});
