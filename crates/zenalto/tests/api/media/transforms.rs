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

/// The codec and frame size ffprobe reads from `bytes`.
fn ffprobe(bytes: &[u8]) -> (String, u64, u64, u64) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("file");
    std::fs::write(&path, bytes).unwrap();
    let output = std::process::Command::new("ffprobe")
        .args(["-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height,nb_read_frames", "-of", "json"])
        .arg(&path)
        .output()
        .unwrap();
    let json: zenalto_testkit::Value = serde_json::from_slice(&output.stdout).unwrap();
    let stream = &json["streams"][0];
    let number = |v: &zenalto_testkit::Value| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())).unwrap_or(0);
    (stream["codec_name"].as_str().unwrap_or_default().to_owned(), number(&stream["width"]), number(&stream["height"]), number(&stream["nb_read_frames"]))
}

both_backends!(videos_and_gifs_outside_a_networks_limits_are_converted, |app: TestApp| async move {
    let owner = app.signed_in("media-transcode@example.org").await;
    let path = app.media_path(&owner);

    // X takes videos up to 1280 × 1024: a 1080p clip comes back as 720p H.264 in MP4.
    let clip = app.uploaded(&owner, "launch.mp4", &media::mp4(2, 1920, 1080)).await;
    let id = clip["id"].as_str().unwrap();
    let (status, derived) = app.get(&format!("{path}/{id}/derivatives/x"), &owner.access).await;
    assert_eq!(status, StatusCode::OK, "{derived}");
    assert_eq!((derived["mime"].clone(), derived["width"].clone(), derived["height"].clone(), derived["original"].clone()), (serde_json::json!("video/mp4"), serde_json::json!(1280), serde_json::json!(720), serde_json::json!(false)), "{derived}");
    let bytes = app.request(reqwest::Method::GET, &format!("{path}/{id}/content?variant=network:x"), Some(&owner.access)).send().await.unwrap().bytes().await.unwrap();
    let (codec, width, height, frames) = ffprobe(&bytes);
    assert_eq!((codec.as_str(), width, height), ("h264", 1280, 720), "a real, playable H.264 file");
    assert_eq!(frames, 50, "every frame of the 2 s at 25 fps is kept");

    // Bluesky takes a GIF as an image blob under 1 MB: redrawn smaller, still animated.
    let animation = media::gif(4, 800, 600);
    assert!(animation.len() > 1_000_000, "the test GIF is over the limit: {}", animation.len());
    let asset = app.uploaded(&owner, "dance.gif", &animation).await;
    let id = asset["id"].as_str().unwrap();
    let (status, derived) = app.get(&format!("{path}/{id}/derivatives/bluesky"), &owner.access).await;
    assert_eq!(status, StatusCode::OK, "{derived}");
    assert_eq!(derived["mime"], "image/gif", "{derived}");
    assert!(derived["bytes"].as_u64().unwrap() <= 1_000_000, "{derived}");
    let bytes = app.request(reqwest::Method::GET, &format!("{path}/{id}/content?variant=network:bluesky"), Some(&owner.access)).send().await.unwrap().bytes().await.unwrap();
    let (codec, width, _, frames) = ffprobe(&bytes);
    assert_eq!(codec, "gif");
    assert!(width < 800 && width as i64 == derived["width"].as_i64().unwrap(), "smaller: {derived}");
    assert_eq!(frames, 60, "all 4 s at 15 fps still move");

    // A video outside a network's length limits is refused, not cut, even when its frame could be fitted.
    let blink = app.uploaded(&owner, "blink.mp4", &media::mp4(1, 2560, 1440)).await;
    let (status, body) = app.get(&format!("{path}/{}/derivatives/instagram", blink["id"].as_str().unwrap()), &owner.access).await;
    expect_error(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE");
    assert!(body["error"]["message"].as_str().unwrap().contains("lasts 1.0 s"), "{body}");
});
