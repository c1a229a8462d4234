//! Serving: signed, expiring URLs without a token, ETags and 304, byte ranges and 416.

use zenalto_testkit::{StatusCode, TestApp, both_backends, both_backends_with, json, media};

use super::expect_error;

both_backends!(signed_urls_etags_and_ranges, |app: TestApp| async move {
    let owner = app.signed_in("media-serve@example.org").await;
    let bytes = media::png(100, 50, 2);
    let asset = app.uploaded(&owner, "logo.png", &bytes).await;
    let id = asset["id"].as_str().unwrap();

    let (status, signed) = app.post(&format!("{}/{id}/signed-url", app.media_path(&owner)), Some(&owner.access), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    let absolute = signed["url"].as_str().unwrap();
    // Absolute on the server's public URL (which the test app leaves at its default).
    assert!(absolute.starts_with(&app.services.settings.server.public_url), "{absolute}");
    let url = app.url(&absolute[absolute.find("/api/v1/").unwrap()..]);

    // No token needed.
    let (status, headers, body) = app.get_bytes(&url, None, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body == bytes, "the signed URL serves the file");
    assert_eq!(headers["content-type"], "image/png");
    assert_eq!(headers["accept-ranges"], "bytes");
    let etag = headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(etag, format!("\"{}\"", asset["sha256"].as_str().unwrap()));

    let (status, _, body) = app.get_bytes(&url, None, &[("if-none-match", &etag)]).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert!(body.is_empty());

    let (status, headers, body) = app.get_bytes(&url, None, &[("range", "bytes=0-9")]).await;
    assert_eq!(status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(body, bytes[..10]);
    assert_eq!(headers["content-range"], format!("bytes 0-9/{}", bytes.len()));
    let (status, _, body) = app.get_bytes(&url, None, &[("range", "bytes=-5")]).await;
    assert_eq!((status, body.as_slice()), (StatusCode::PARTIAL_CONTENT, &bytes[bytes.len() - 5..]));
    let (status, headers, body) = app.get_bytes(&url, None, &[("range", &format!("bytes={}-", bytes.len() + 10))]).await;
    assert_eq!(status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(headers["content-range"], format!("bytes */{}", bytes.len()));
    let envelope: zenalto_testkit::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(envelope["error"]["code"], "RANGE_NOT_SATISFIABLE");

    // Tampering with any part of the URL makes it unknown.
    let other = app.signed_in("media-serve2@example.org").await;
    let tampered = [
        url.replace("variant=original", "variant=thumbnail"),
        url.replace(&owner.workspace_id, &other.workspace_id),
        url.replace("signature=", "signature=0"),
        {
            let expires: i64 = url.split("expires=").nth(1).unwrap().split('&').next().unwrap().parse().unwrap();
            url.replace(&format!("expires={expires}"), &format!("expires={}", expires + 3600))
        },
    ];
    for bad in tampered {
        let (status, _, body) = app.get_bytes(&bad, None, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
        let envelope: zenalto_testkit::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(envelope["error"]["code"], "NOT_FOUND");
    }

    // Thumbnails can be signed too; unknown variants are refused.
    let (status, signed) = app.post(&format!("{}/{id}/signed-url", app.media_path(&owner)), Some(&owner.access), json!({ "variant": "thumbnail" })).await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    let thumb = signed["url"].as_str().unwrap();
    let (status, headers, _) = app.get_bytes(&app.url(&thumb[thumb.find("/api/v1/").unwrap()..]), None, &[]).await;
    assert_eq!((status, headers["content-type"].to_str().unwrap()), (StatusCode::OK, "image/jpeg"));
    let (status, body) = app.post(&format!("{}/{id}/signed-url", app.media_path(&owner)), Some(&owner.access), json!({ "variant": "network:myspace" })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
});

both_backends_with!(
    signed_urls_expire,
    |s: &mut zenalto_settings::Settings| s.media.signed_url_ttl_secs = 60,
    |app: TestApp| async move {
        let owner = app.signed_in("media-expire@example.org").await;
        let asset = app.uploaded(&owner, "soon.png", &media::png(20, 20, 1)).await;
        let path = format!("{}/{}/signed-url", app.media_path(&owner), asset["id"].as_str().unwrap());
        let (_, signed) = app.post(&path, Some(&owner.access), json!({})).await;
        let absolute = signed["url"].as_str().unwrap();
        let url = app.url(&absolute[absolute.find("/api/v1/").unwrap()..]);
        let (status, _, _) = app.get_bytes(&url, None, &[]).await;
        assert_eq!(status, StatusCode::OK);
        app.clock.advance_secs(61);
        let (status, _, _) = app.get_bytes(&url, None, &[]).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "expired");
    }
);
