//! Validation per target against each network's rules: errors block scheduling, warnings and
//! suggestions do not; long text on a network with threads becomes a thread.

use zenalto_testkit::{StatusCode, TestApp, both_backends, json};

use super::expect_error;

both_backends!(each_target_is_checked_the_way_its_network_counts, |app: TestApp| async move {
    let owner = app.signed_in("checker@example.org").await;
    let x = app.fixture_account(&owner, "x", "on_x").await;
    let bluesky = app.fixture_account(&owner, "bluesky", "on.bsky").await;
    let instagram = app.fixture_account(&owner, "instagram", "on_ig").await;
    // 150 CJK characters weigh 300 on X (limit 280) but are 150 graphemes on Bluesky (limit 300).
    let text = "漢".repeat(150);
    let post = app.draft(&owner, &text, &[&x, &bluesky, &instagram]).await;
    let id = post["id"].as_str().unwrap();

    let (status, reports) = app.get(&format!("{}/{id}/validation", app.posts_path(&owner)), &owner.access).await;
    assert_eq!(status, StatusCode::OK, "{reports}");
    let by_network = |n: &str| reports.as_array().unwrap().iter().find(|r| r["network"] == n).cloned().unwrap();
    let codes = |r: &zenalto_testkit::Value, severity: &str| -> Vec<String> {
        r["issues"].as_array().unwrap().iter().filter(|i| i["severity"] == severity).map(|i| i["code"].as_str().unwrap().to_owned()).collect()
    };
    let on_x = by_network("x");
    assert_eq!(on_x["publishable"], true, "too long for one X post, so it becomes a thread: {on_x}");
    assert!(codes(&on_x, "suggestion").contains(&"posted_as_thread".to_owned()), "{on_x}");
    assert_eq!(on_x["parts"].as_array().unwrap().len(), 2, "{on_x}");
    let on_bluesky = by_network("bluesky");
    assert_eq!(on_bluesky["publishable"], true, "{on_bluesky}");
    assert_eq!(on_bluesky["parts"].as_array().unwrap().len(), 1, "{on_bluesky}");
    let on_instagram = by_network("instagram");
    assert_eq!(on_instagram["publishable"], false, "{on_instagram}");
    assert!(codes(&on_instagram, "error").contains(&"media_required".to_owned()), "{on_instagram}");

    // Scheduling is refused because of Instagram, and the error names that target.
    let (status, body) = app.post_action(&owner, id, "schedule", json!({ "at": "2099-01-01T09:00:00Z" })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    let details = body["error"]["details"].as_object().unwrap();
    assert!(details.keys().all(|k| k.starts_with("targets[2].")), "only the Instagram target is at fault: {body}");
    assert_eq!(app.get_post(&owner, id).await["status"], "draft", "nothing changed");
    assert!(app.job_counts().await.is_empty(), "no job was written");
});

both_backends!(media_that_does_not_exist_blocks_scheduling, |app: TestApp| async move {
    let owner = app.signed_in("media@example.org").await;
    let account = app.sandbox_account(&owner, "pics").await;
    let (status, post) = app
        .post(&app.posts_path(&owner), Some(&owner.access), json!({ "content": { "text": "look", "mediaIds": ["m-1"] }, "targets": [{ "accountId": account }] }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    let (status, body) = app.post_action(&owner, post["id"].as_str().unwrap(), "publish", json!({})).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    assert!(body["error"]["details"]["targets[0].media[0]"].as_str().unwrap().contains("m-1"), "{body}");
});

both_backends!(a_post_needs_a_target_to_be_scheduled, |app: TestApp| async move {
    let owner = app.signed_in("lonely@example.org").await;
    let post = app.draft(&owner, "nowhere to go", &[]).await;
    let (status, body) = app.post_action(&owner, post["id"].as_str().unwrap(), "publish", json!({})).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    assert!(body["error"]["details"]["targets"].is_string(), "{body}");
});

both_backends!(an_unsaved_draft_is_previewed_per_network_without_storing_anything, |app: TestApp| async move {
    let owner = app.signed_in("composer@example.org").await;
    let x = app.fixture_account(&owner, "x", "on_x").await;
    let bluesky = app.fixture_account(&owner, "bluesky", "on.bsky").await;
    let path = format!("{}/preview", app.posts_path(&owner));
    // A URL weighs 23 on X whatever its length; Bluesky counts graphemes of the whole text.
    let text = format!("Read this {}", "https://example.com/a/very/long/path/indeed");
    let (status, previews) = app.post(&path, Some(&owner.access), json!({ "content": { "text": text }, "targets": [{ "accountId": x }, { "accountId": bluesky }] })).await;
    assert_eq!(status, StatusCode::OK, "{previews}");
    let previews = previews.as_array().unwrap();
    assert_eq!(previews[0]["network"], "x");
    assert_eq!(previews[0]["handle"], "on_x");
    assert_eq!(previews[0]["length"], json!({ "used": 10 + 23, "limit": 280, "unit": "characters" }));
    assert_eq!(previews[1]["network"], "bluesky");
    assert_eq!(previews[1]["length"]["used"], text.chars().count());
    assert_eq!(previews[1]["length"]["limit"], 300);
    assert!(previews.iter().all(|p| p["publishable"] == true), "{previews:?}");

    // Too long for X: previewed as a thread; an override shortens it for Bluesky only.
    let long = "A sentence that is long enough to matter. ".repeat(10);
    let (_, previews) = app.post(&path, Some(&owner.access), json!({ "content": { "text": long }, "targets": [{ "accountId": x }, { "accountId": bluesky, "overrides": { "text": "Short for Bluesky" } }] })).await;
    assert!(previews[0]["parts"].as_array().unwrap().len() >= 2, "{previews}");
    assert_eq!(previews[1]["parts"], json!(["Short for Bluesky"]), "{previews}");

    let (status, body) = app.post(&path, Some(&owner.access), json!({ "content": { "text": "hi" }, "targets": [{ "accountId": zenalto_domain::AccountId::new().to_string() }] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    assert!(body["error"]["details"]["targets[0].accountId"].is_string(), "{body}");
    let (_, listed) = app.get(&app.posts_path(&owner), &owner.access).await;
    assert!(listed.as_array().unwrap().is_empty(), "a preview stores nothing: {listed}");
});
