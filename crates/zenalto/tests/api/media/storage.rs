//! The S3 backend, against moto's S3 server: uploads (one request and resumable), serving,
//! derivatives and delete go through the same interface as the data folder.

use zenalto_testkit::{StatusCode, TestApp, both_backends_with, json, media};

both_backends_with!(the_s3_backend_stores_serves_and_deletes, media::use_s3, |app: TestApp| async move {
    app.create_bucket().await;
    let owner = app.signed_in("media-s3@example.org").await;
    let bytes = media::png(300, 200, 6);
    let asset = app.uploaded(&owner, "on-s3.png", &bytes).await;
    let id = asset["id"].as_str().unwrap();
    let (status, headers, stored) = app.get_bytes(&format!("{}/{id}/content", app.media_path(&owner)), Some(&owner.access), &[("range", "bytes=1-3")]).await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(stored, bytes[1..4]);
    assert_eq!(headers["content-range"], format!("bytes 1-3/{}", bytes.len()));

    // A resumable upload through S3 (chunks are objects there too).
    let file = media::encode(&media::noise(120, 120, 2), image::ImageFormat::Png);
    let (_, session) = app.open_upload(&owner, "chunks.png", "image/png", file.len()).await;
    let upload = session["id"].as_str().unwrap();
    let half = file.len() / 2;
    assert_eq!(app.send_chunk(&owner, upload, 0, &file[..half]).await.0, StatusCode::OK);
    assert_eq!(app.send_chunk(&owner, upload, half, &file[half..]).await.0, StatusCode::OK);
    let (status, done) = app.post(&format!("{}/{upload}/complete", app.uploads_path(&owner)), Some(&owner.access), json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{done}");
    let chunked = done["asset"]["id"].as_str().unwrap();
    let (_, _, whole) = app.get_bytes(&format!("{}/{chunked}/content", app.media_path(&owner)), Some(&owner.access), &[]).await;
    assert!(whole == file, "the assembled file differs");

    let (status, derived) = app.get(&format!("{}/{id}/derivatives/instagram", app.media_path(&owner)), &owner.access).await;
    assert_eq!((status, derived["mime"].as_str()), (StatusCode::OK, Some("image/jpeg")), "{derived}");

    let (status, _) = app.call(reqwest::Method::DELETE, &format!("{}/{id}", app.media_path(&owner)), Some(&owner.access), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let listing = reqwest::get(format!("{}/{}?list-type=2", app.settings.media.s3.endpoint, app.settings.media.s3.bucket)).await.unwrap().text().await.unwrap();
    assert!(!listing.contains(id), "the asset's objects are gone from the bucket: {listing}");
    assert!(listing.contains(chunked), "the other asset stays: {listing}");
    assert!(!listing.contains("uploads/"), "finished upload sessions leave no chunks: {listing}");
});

/// A file stored for an asset whose row was never written (the process died in between) is
/// removed once it is older than an upload can take; files with rows stay.
async fn orphans_are_swept(app: TestApp) {
    let owner = app.signed_in("media-orphans@example.org").await;
    let bytes = media::png(64, 48, 4);
    let kept = app.uploaded(&owner, "kept.png", &bytes).await;
    let kept_id = kept["id"].as_str().unwrap();
    let orphan = format!("assets/{}/{}/", owner.workspace_id, uuid::Uuid::now_v7());
    app.services.media.put(&format!("{orphan}original.png"), bytes.clone().into()).await.unwrap();
    app.services.media.put(&format!("{orphan}thumbnail.jpg"), bytes.clone().into()).await.unwrap();

    assert_eq!(app.services.sweep_media_orphans().await.unwrap(), 0, "too young: its upload may still be writing the row");
    app.clock.advance_secs(2 * 3600);
    assert_eq!(app.services.sweep_media_orphans().await.unwrap(), 1);
    assert!(app.services.media.get(&format!("{orphan}original.png")).await.is_err(), "the orphan's files are gone");
    // (The clock moved past the access token's life: read the store directly.)
    let stored = app.services.media.get(&format!("assets/{}/{kept_id}/original.png", owner.workspace_id)).await.unwrap();
    assert!(stored == bytes, "an asset with its row is untouched");
    assert_eq!(app.services.sweep_media_orphans().await.unwrap(), 0);
}

zenalto_testkit::both_backends!(orphaned_files_are_swept_from_the_data_folder, orphans_are_swept);

both_backends_with!(orphaned_files_are_swept_from_s3, media::use_s3, |app: TestApp| async move {
    app.create_bucket().await;
    orphans_are_swept(app).await;
});
