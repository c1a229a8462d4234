//! The library: search, edits, folders, bulk operations, usage and delete protection, and
//! tenant isolation.

use zenalto_testkit::{StatusCode, TestApp, both_backends, json, media};

use super::expect_error;

both_backends!(search_edit_folders_and_bulk, |app: TestApp| async move {
    let owner = app.signed_in("media-lib@example.org").await;
    let beach = app.uploaded(&owner, "beach.png", &media::png(120, 80, 1)).await;
    let city = app.uploaded(&owner, "city.jpg", &media::jpeg(120, 80, 2)).await;
    let (beach_id, city_id) = (beach["id"].as_str().unwrap(), city["id"].as_str().unwrap());
    let base = app.media_path(&owner);

    let (status, edited) = app
        .call(reqwest::Method::PATCH, &format!("{base}/{beach_id}"), Some(&owner.access), Some(json!({ "altText": "Waves on a sandy beach", "tags": ["Summer", "#travel"] })))
        .await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["altText"], "Waves on a sandy beach");
    assert_eq!(edited["tags"], json!(["summer", "travel"]));

    let (status, folder) = app.post(&format!("/api/v1/workspaces/{}/media-folders", owner.workspace_id), Some(&owner.access), json!({ "name": "Campaign" })).await;
    assert_eq!(status, StatusCode::CREATED, "{folder}");
    let folder_id = folder["id"].as_str().unwrap();
    let (status, body) = app.post(&format!("/api/v1/workspaces/{}/media-folders", owner.workspace_id), Some(&owner.access), json!({ "name": "Campaign" })).await;
    expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT");

    let (status, results) = app.post(&format!("{base}/bulk"), Some(&owner.access), json!({ "ids": [beach_id, city_id, "not-an-id"], "action": "move", "folderId": folder_id })).await;
    assert_eq!(status, StatusCode::OK, "{results}");
    assert_eq!(results[0]["ok"], true);
    assert_eq!(results[2]["error"]["code"], "NOT_FOUND", "{results}");
    let (status, results) = app.post(&format!("{base}/bulk"), Some(&owner.access), json!({ "ids": [city_id], "action": "addTags", "tags": ["night"] })).await;
    assert_eq!((status, results[0]["ok"].clone()), (StatusCode::OK, json!(true)), "{results}");

    let names = |list: &zenalto_testkit::Value| -> Vec<String> { list["items"].as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap().to_owned()).collect() };
    let (_, list) = app.get(&format!("{base}?tag=summer"), &owner.access).await;
    assert_eq!(names(&list), ["beach.png"]);
    let (_, list) = app.get(&format!("{base}?name=CIT"), &owner.access).await;
    assert_eq!(names(&list), ["city.jpg"]);
    let (_, list) = app.get(&format!("{base}?type=image&folderId={folder_id}"), &owner.access).await;
    assert_eq!(names(&list), ["city.jpg", "beach.png"], "newest first");
    let (_, list) = app.get(&format!("{base}?from=2099-01-01T00:00:00Z"), &owner.access).await;
    assert!(names(&list).is_empty());
    let (_, page) = app.get(&format!("{base}?limit=1"), &owner.access).await;
    let cursor = page["nextCursor"].as_str().unwrap();
    let (_, next) = app.get(&format!("{base}?limit=1&cursor={cursor}"), &owner.access).await;
    assert_eq!(names(&next), ["beach.png"]);
    let (status, body) = app.get(&format!("{base}?type=pdf"), &owner.access).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");

    let (status, results) = app.post(&format!("{base}/bulk"), Some(&owner.access), json!({ "ids": [beach_id], "action": "delete" })).await;
    assert_eq!((status, results[0]["ok"].clone()), (StatusCode::OK, json!(true)), "{results}");
    let (status, body) = app.get(&format!("{base}/{beach_id}"), &owner.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
});

both_backends!(assets_used_by_scheduled_posts_are_protected, |app: TestApp| async move {
    let owner = app.signed_in("media-use@example.org").await;
    let account = app.sandbox_account(&owner, "pics").await;
    let asset = app.uploaded(&owner, "launch.jpg", &media::jpeg(400, 300, 4)).await;
    let id = asset["id"].as_str().unwrap();
    let (status, post) = app
        .post(&app.posts_path(&owner), Some(&owner.access), json!({ "content": { "text": "launch day", "mediaIds": [id] }, "targets": [{ "accountId": account }] }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    let post_id = post["id"].as_str().unwrap();
    let (status, body) = app.post_action(&owner, post_id, "schedule", json!({ "at": "2099-01-01T09:00:00Z" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let (status, usage) = app.get(&format!("{}/{id}/usage", app.media_path(&owner)), &owner.access).await;
    assert_eq!(status, StatusCode::OK, "{usage}");
    assert_eq!(usage[0]["postId"], post_id);
    assert_eq!(usage[0]["status"], "scheduled");
    assert_eq!(usage[0]["performance"], json!(null), "no figures yet: {usage}");

    // Once a network reports figures for the post, usage says how it performed.
    let target = post["targets"][0]["id"].as_str().unwrap().parse::<zenalto_domain::TargetId>().unwrap();
    let workspace = owner.workspace_id.parse::<zenalto_domain::WorkspaceId>().unwrap();
    let account_id = account.parse::<zenalto_domain::AccountId>().unwrap();
    let figures = zenalto_store::repo::metrics::PostFigures { likes: Some(7), comments: Some(2), impressions: Some(300), ..Default::default() };
    let mut tx = app.services.db.begin().await.unwrap();
    zenalto_store::repo::metrics::upsert_post(&mut tx, workspace, target, account_id, &figures, app.services.now()).await.unwrap();
    tx.commit().await.unwrap();
    let (_, usage) = app.get(&format!("{}/{id}/usage", app.media_path(&owner)), &owner.access).await;
    let performance = &usage[0]["performance"];
    assert_eq!((performance["likes"].clone(), performance["impressions"].clone(), performance["targetsMeasured"].clone()), (json!(7), json!(300), json!(1)), "{usage}");
    assert_eq!(performance["shares"], json!(null), "not reported stays null: {usage}");

    let (status, body) = app.call(reqwest::Method::DELETE, &format!("{}/{id}", app.media_path(&owner)), Some(&owner.access), None).await;
    expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT");
    let (_, results) = app.post(&format!("{}/bulk", app.media_path(&owner)), Some(&owner.access), json!({ "ids": [id], "action": "delete" })).await;
    assert_eq!(results[0]["error"]["code"], "CONFLICT", "{results}");

    let (status, body) = app.post_action(&owner, post_id, "unschedule", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.call(reqwest::Method::DELETE, &format!("{}/{id}", app.media_path(&owner)), Some(&owner.access), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
});

both_backends!(another_workspaces_assets_are_not_found, |app: TestApp| async move {
    let owner = app.signed_in("media-a@example.org").await;
    let other = app.signed_in("media-b@example.org").await;
    let asset = app.uploaded(&owner, "private.png", &media::png(64, 64, 7)).await;
    let id = asset["id"].as_str().unwrap();

    // Through the other workspace's own path: the id does not exist there.
    let theirs = app.media_path(&other);
    for path in [format!("{theirs}/{id}"), format!("{theirs}/{id}/usage"), format!("{theirs}/{id}/derivatives/x")] {
        let (status, body) = app.get(&path, &other.access).await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
    let (status, _, _) = app.get_bytes(&format!("{theirs}/{id}/content"), Some(&other.access), &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, body) = app.call(reqwest::Method::DELETE, &format!("{theirs}/{id}"), Some(&other.access), None).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    let (_, results) = app.post(&format!("{theirs}/bulk"), Some(&other.access), json!({ "ids": [id], "action": "delete" })).await;
    assert_eq!(results[0]["error"]["code"], "NOT_FOUND", "{results}");
    // Through the owner's path: not a member, so the whole workspace is not found.
    let (status, body) = app.get(&format!("{}/{id}", app.media_path(&owner)), &other.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    // The same bytes uploaded by the other workspace are a new asset there, not a duplicate.
    let (status, body) = app.upload(&other, "mine.png", &media::png(64, 64, 7)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_ne!(body["asset"]["id"], asset["id"]);
    // A post of the other workspace cannot attach the asset.
    let account = app.sandbox_account(&other, "other").await;
    let (_, post) = app.post(&app.posts_path(&other), Some(&other.access), json!({ "content": { "text": "x", "mediaIds": [id] }, "targets": [{ "accountId": account }] })).await;
    let (status, body) = app.post_action(&other, post["id"].as_str().unwrap(), "publish", json!({})).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    // And the owner still has it.
    let (status, _) = app.get(&format!("{}/{id}", app.media_path(&owner)), &owner.access).await;
    assert_eq!(status, StatusCode::OK);
});
