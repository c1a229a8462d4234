//! Per-network derivatives against each network's media limits: crop into the aspect-ratio
//! range, scale into the dimensions, convert the format, recompress under the size limit; made
//! once and cached; files that already fit are used as they are.

use zenalto_domain::publishing::{MediaKind, Network, NetworkRules};
use zenalto_testkit::{StatusCode, TestApp, both_backends, media};

use super::expect_error;

both_backends!(derivatives_meet_each_networks_limits, |app: TestApp| async move {
    let owner = app.signed_in("media-derive@example.org").await;
    // A 3:1 panorama as PNG, large for its size: outside Instagram's ratios and format, over
    // Bluesky's 1 MB.
    let panorama = media::encode(&media::noise(1500, 500, 3), image::ImageFormat::Png);
    assert!(panorama.len() > 1_000_000);
    let asset = app.uploaded(&owner, "panorama.png", &panorama).await;
    let id = asset["id"].as_str().unwrap();

    for network in [Network::Instagram, Network::Bluesky, Network::X, Network::LinkedIn, Network::Mastodon, Network::Threads] {
        let rules = NetworkRules::for_network(network);
        let kind = rules.media.kind(MediaKind::Image).unwrap();
        let path = format!("{}/{id}/derivatives/{network}", app.media_path(&owner));
        let (status, derived) = app.get(&path, &owner.access).await;
        assert_eq!(status, StatusCode::OK, "{network}: {derived}");

        // What the API says is what the file is.
        let content = format!("{}/{id}/content?variant=network:{network}", app.media_path(&owner));
        let (status, headers, bytes) = app.get_bytes(&content, Some(&owner.access), &[]).await;
        assert_eq!(status, StatusCode::OK, "{network}");
        assert_eq!(bytes.len() as u64, derived["bytes"].as_u64().unwrap(), "{network}");
        let mime = headers["content-type"].to_str().unwrap().to_owned();
        assert_eq!(mime, derived["mime"], "{network}");
        let picture = image::load_from_memory(&bytes).unwrap();
        let (w, h) = (picture.width(), picture.height());
        assert_eq!((u64::from(w), u64::from(h)), (derived["width"].as_u64().unwrap(), derived["height"].as_u64().unwrap()), "{network}");

        // And it meets every limit the network publishes.
        if let Some(max) = &kind.max_bytes {
            assert!(bytes.len() as u64 <= max.value, "{network}: {} bytes > {}", bytes.len(), max.value);
        }
        if let Some(allowed) = &kind.mime_types {
            assert!(allowed.value.iter().any(|m| *m == mime || m == "image/*"), "{network}: {mime} not in {:?}", allowed.value);
        }
        if let Some(range) = &kind.aspect_ratio {
            assert!(range.value.contains(w, h), "{network}: {w}×{h} outside {:?}", range.value);
        }
        if let Some(max) = kind.width.as_ref().and_then(|b| b.value.max) {
            assert!(w <= max, "{network}: {w} px wide");
        }
        if let Some(max) = kind.height.as_ref().and_then(|b| b.value.max) {
            assert!(h <= max, "{network}: {h} px high");
        }
        if let Some(max) = &kind.max_pixels {
            assert!(u64::from(w) * u64::from(h) <= max.value, "{network}: {w}×{h}");
        }

        // Asked again, the cached derivative comes back unchanged.
        let (_, again) = app.get(&path, &owner.access).await;
        assert_eq!(again, derived, "{network}");
    }

    // Instagram: cropped from 3:1 to at most 1.91:1 and converted to JPEG.
    let (_, instagram) = app.get(&format!("{}/{id}/derivatives/instagram", app.media_path(&owner)), &owner.access).await;
    assert_eq!(instagram["mime"], "image/jpeg");
    assert_eq!(instagram["original"], false);
});

both_backends!(a_file_that_fits_is_its_own_derivative, |app: TestApp| async move {
    let owner = app.signed_in("media-fits@example.org").await;
    let asset = app.uploaded(&owner, "square.jpg", &media::jpeg(1080, 1080, 5)).await;
    let id = asset["id"].as_str().unwrap();
    let (status, derived) = app.get(&format!("{}/{id}/derivatives/instagram", app.media_path(&owner)), &owner.access).await;
    assert_eq!(status, StatusCode::OK, "{derived}");
    assert_eq!(derived["original"], true, "{derived}");
    assert_eq!(derived["bytes"], asset["bytes"]);

    // YouTube takes videos only.
    let (status, body) = app.get(&format!("{}/{id}/derivatives/youtube", app.media_path(&owner)), &owner.access).await;
    expect_error(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE");
    let (status, body) = app.get(&format!("{}/{id}/derivatives/myspace", app.media_path(&owner)), &owner.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
});
