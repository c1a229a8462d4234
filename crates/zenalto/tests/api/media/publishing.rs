//! Posts attach library assets by id: the validator checks each network's media limits against
//! the facts measured at upload, and the post publishes.

use zenalto_testkit::{StatusCode, TestApp, both_backends, json, media};

use super::expect_error;

both_backends!(posts_validate_and_publish_library_media, |app: TestApp| async move {
    let owner = app.signed_in("media-post@example.org").await;
    let instagram = app.fixture_account(&owner, "instagram", "on_ig").await;
    let png = app.uploaded(&owner, "wide.png", &media::png(1200, 400, 1)).await;
    let jpeg = app.uploaded(&owner, "square.jpg", &media::jpeg(1080, 1080, 2)).await;

    // A PNG panorama breaks Instagram's type and aspect-ratio rules.
    let (status, post) = app
        .post(&app.posts_path(&owner), Some(&owner.access), json!({ "content": { "text": "look", "mediaIds": [png["id"]] }, "targets": [{ "accountId": instagram }] }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    let id = post["id"].as_str().unwrap();
    let (_, reports) = app.get(&format!("{}/{id}/validation", app.posts_path(&owner)), &owner.access).await;
    let codes: Vec<&str> = reports[0]["issues"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"media_type_not_allowed"), "{reports}");
    assert!(codes.contains(&"aspect_ratio_out_of_range"), "{reports}");
    assert!(!codes.contains(&"media_not_found"), "{reports}");
    assert!(!codes.contains(&"media_required"), "{reports}");

    // A square JPEG with alt text is publishable.
    let path = format!("{}/{}", app.media_path(&owner), jpeg["id"].as_str().unwrap());
    let (status, _) = app.call(reqwest::Method::PATCH, &path, Some(&owner.access), Some(json!({ "altText": "A square" }))).await;
    assert_eq!(status, StatusCode::OK);
    let (status, post) = app
        .post(&app.posts_path(&owner), Some(&owner.access), json!({ "content": { "text": "square", "mediaIds": [jpeg["id"]] }, "targets": [{ "accountId": instagram }] }))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{post}");
    let (_, reports) = app.get(&format!("{}/{}/validation", app.posts_path(&owner), post["id"].as_str().unwrap()), &owner.access).await;
    assert_eq!(reports[0]["publishable"], true, "{reports}");
});

both_backends!(a_sandbox_post_with_media_goes_out, |app: TestApp| async move {
    let owner = app.signed_in("media-publish@example.org").await;
    let account = app.sandbox_account(&owner, "pics").await;
    let asset = app.uploaded(&owner, "photo.jpg", &media::jpeg(640, 480, 8)).await;
    let (_, post) = app
        .post(&app.posts_path(&owner), Some(&owner.access), json!({ "content": { "text": "with a photo", "mediaIds": [asset["id"]] }, "targets": [{ "accountId": account }] }))
        .await;
    let id = post["id"].as_str().unwrap();
    let (status, body) = app.post_action(&owner, id, "publish", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut last = zenalto_testkit::Value::Null;
    for _ in 0..100 {
        last = app.get_post(&owner, id).await;
        if last["status"] == "published" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(last["status"], "published", "{last}");
    // Unknown ids are still refused.
    let (_, post) = app
        .post(&app.posts_path(&owner), Some(&owner.access), json!({ "content": { "text": "x", "mediaIds": ["m-1"] }, "targets": [{ "accountId": account }] }))
        .await;
    let (status, body) = app.post_action(&owner, post["id"].as_str().unwrap(), "publish", json!({})).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
});

both_backends!(the_composer_preview_checks_library_media, |app: TestApp| async move {
    let owner = app.signed_in("media-preview@example.org").await;
    let instagram = app.fixture_account(&owner, "instagram", "on_ig").await;
    let png = app.uploaded(&owner, "wide.png", &media::png(1200, 400, 3)).await;
    let jpeg = app.uploaded(&owner, "square.jpg", &media::jpeg(1080, 1080, 4)).await;
    let path = format!("{}/preview", app.posts_path(&owner));
    // The post's own media is the PNG; the Instagram version attaches the JPEG instead.
    let (status, previews) = app
        .post(&path, Some(&owner.access), json!({ "content": { "text": "hi", "mediaIds": [png["id"]] }, "targets": [{ "accountId": instagram, "overrides": { "mediaIds": [jpeg["id"]] } }] }))
        .await;
    assert_eq!(status, StatusCode::OK, "{previews}");
    assert_eq!(previews[0]["publishable"], true, "{previews}");
    let (_, previews) = app.post(&path, Some(&owner.access), json!({ "content": { "text": "hi", "mediaIds": [png["id"]] }, "targets": [{ "accountId": instagram }] })).await;
    let codes: Vec<&str> = previews[0]["issues"].as_array().unwrap().iter().map(|i| i["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"media_type_not_allowed") && !codes.contains(&"media_not_found"), "{previews}");
});
