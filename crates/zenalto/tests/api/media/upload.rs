//! Uploads: one request, resumable with a chunk cut off mid-way, plan limits, disguised files,
//! duplicates, and what probing finds in images and videos.

use zenalto_testkit::{StatusCode, TestApp, both_backends, both_backends_with, json, media};

use super::expect_error;

both_backends!(an_image_upload_is_sniffed_measured_and_thumbnailed, |app: TestApp| async move {
    let owner = app.signed_in("media-up@example.org").await;
    // Named .txt and sent as octet-stream: the bytes say PNG, and that is what counts.
    let asset = app.uploaded(&owner, "holiday.txt", &media::png(640, 480, 1)).await;
    assert_eq!(asset["type"], "image", "{asset}");
    assert_eq!(asset["mime"], "image/png", "{asset}");
    assert_eq!((asset["width"].as_u64(), asset["height"].as_u64()), (Some(640), Some(480)), "{asset}");
    assert_eq!(asset["sha256"].as_str().unwrap().len(), 64, "{asset}");
    assert!(!asset["colors"].as_array().unwrap().is_empty(), "dominant colours: {asset}");
    assert_eq!(asset["hasThumbnail"], true, "{asset}");

    let path = format!("{}/{}/content?variant=thumbnail", app.media_path(&owner), asset["id"].as_str().unwrap());
    let (status, headers, thumb) = app.get_bytes(&path, Some(&owner.access), &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/jpeg");
    let thumb = image::load_from_memory(&thumb).unwrap();
    assert!(thumb.width() <= 320 && thumb.height() <= 320, "{}×{}", thumb.width(), thumb.height());
});

both_backends!(the_same_file_twice_is_one_asset, |app: TestApp| async move {
    let owner = app.signed_in("media-dup@example.org").await;
    let bytes = media::jpeg(300, 200, 9);
    let first = app.uploaded(&owner, "a.jpg", &bytes).await;
    let (status, again) = app.upload(&owner, "copy of a.jpg", &bytes).await;
    assert_eq!(status, StatusCode::OK, "{again}");
    assert_eq!(again["duplicate"], true);
    assert_eq!(again["asset"]["id"], first["id"], "the existing asset comes back");
    let (_, list) = app.get(&app.media_path(&owner), &owner.access).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "{list}");
});

both_backends!(disguised_and_unknown_files_are_refused, |app: TestApp| async move {
    let owner = app.signed_in("media-exe@example.org").await;
    // A Windows executable renamed to .png.
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00".to_vec();
    exe.resize(4096, 0);
    let (status, body) = app.upload(&owner, "cute-cat.png", &exe).await;
    expect_error(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE");
    assert!(body["error"]["message"].as_str().unwrap().contains("whatever its name says"), "{body}");
    let (status, body) = app.upload(&owner, "notes.jpg", b"just some text pretending to be a picture").await;
    expect_error(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE");

    // The same in a resumable upload: refused at its first chunk, and the session is gone.
    let (status, session) = app.open_upload(&owner, "setup.png", "image/png", exe.len()).await;
    assert_eq!(status, StatusCode::CREATED, "{session}");
    let id = session["id"].as_str().unwrap();
    let (status, body) = app.send_chunk(&owner, id, 0, &exe).await;
    expect_error(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE");
    let (status, body) = app.get(&format!("{}/{id}", app.uploads_path(&owner)), &owner.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    let (_, list) = app.get(&app.media_path(&owner), &owner.access).await;
    assert!(list["items"].as_array().unwrap().is_empty(), "{list}");
});

both_backends_with!(
    files_over_the_plan_limit_are_refused,
    |s: &mut zenalto_settings::Settings| {
        let free = s.media.plans.get_mut("free").unwrap();
        free.max_image_bytes = 100_000;
        free.max_video_bytes = 1_000_000;
    },
    |app: TestApp| async move {
        let owner = app.signed_in("media-big@example.org").await;
        let big = media::encode(&media::noise(400, 400, 5), image::ImageFormat::Png);
        assert!(big.len() > 100_000);
        let (status, body) = app.upload(&owner, "big.png", &big).await;
        expect_error(status, &body, StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE");
        // A resumable upload is refused when it is opened, before any byte is sent.
        let (status, body) = app.open_upload(&owner, "film.mp4", "video/mp4", 5_000_000).await;
        expect_error(status, &body, StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE");
        let (status, body) = app.open_upload(&owner, "doc.pdf", "application/pdf", 1000).await;
        expect_error(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE");
    }
);

both_backends_with!(
    a_resumable_upload_survives_a_dropped_connection,
    |s: &mut zenalto_settings::Settings| s.media.chunk_max_bytes = 64 * 1024,
    |app: TestApp| async move {
        let owner = app.signed_in("media-resume@example.org").await;
        let file = media::encode(&media::noise(200, 200, 11), image::ImageFormat::Png);
        assert!(file.len() > 100_000, "{}", file.len());
        let chunk = 50_000;
        let (status, session) = app.open_upload(&owner, "scan.png", "image/png", file.len()).await;
        assert_eq!(status, StatusCode::CREATED, "{session}");
        assert_eq!(session["receivedBytes"], 0);
        let id = session["id"].as_str().unwrap().to_owned();

        let (status, progress) = app.send_chunk(&owner, &id, 0, &file[..chunk]).await;
        assert_eq!(status, StatusCode::OK, "{progress}");
        assert_eq!(progress["receivedBytes"], chunk as u64, "progress for the client: {progress}");

        // The second chunk is cut off after 10,000 of its 50,000 bytes.
        app.send_chunk_cut_off(&owner, &id, chunk, &file[chunk..2 * chunk], 10_000).await;
        let mut offset = 0;
        for _ in 0..50 {
            offset = app.upload_offset(&owner, &id).await;
            if offset == chunk as u64 {
                break;
            }
        }
        assert_eq!(offset, chunk as u64, "nothing of the cut-off chunk counts");

        // A chunk at the wrong offset is refused and says where to continue.
        let (status, body) = app.send_chunk(&owner, &id, 0, &file[..chunk]).await;
        expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT");
        assert!(body["error"]["message"].as_str().unwrap().contains(&chunk.to_string()), "{body}");
        // Completing early is refused too.
        let (status, body) = app.post(&format!("{}/{id}/complete", app.uploads_path(&owner)), Some(&owner.access), json!({})).await;
        expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT");
        // A chunk above the chunk limit is refused.
        let (status, body) = app.send_chunk(&owner, &id, chunk, &vec![0u8; 70 * 1024]).await;
        expect_error(status, &body, StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE");

        // Resume from the confirmed offset, then finish.
        let mut at = chunk;
        while at < file.len() {
            let end = (at + chunk).min(file.len());
            let (status, progress) = app.send_chunk(&owner, &id, at, &file[at..end]).await;
            assert_eq!(status, StatusCode::OK, "{progress}");
            at = end;
        }
        let (status, done) = app.post(&format!("{}/{id}/complete", app.uploads_path(&owner)), Some(&owner.access), json!({})).await;
        assert_eq!(status, StatusCode::CREATED, "{done}");
        let asset = &done["asset"];
        assert_eq!((asset["width"].as_u64(), asset["height"].as_u64(), asset["bytes"].as_u64()), (Some(200), Some(200), Some(file.len() as u64)), "{asset}");

        // The stored file is byte for byte the uploaded one.
        let path = format!("{}/{}/content", app.media_path(&owner), asset["id"].as_str().unwrap());
        let (status, _, stored) = app.get_bytes(&path, Some(&owner.access), &[]).await;
        assert_eq!(status, StatusCode::OK);
        assert!(stored == file, "the assembled file differs from the upload");
        // The session is over.
        let (status, body) = app.get(&format!("{}/{id}", app.uploads_path(&owner)), &owner.access).await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
);

both_backends!(exif_orientation_is_applied_and_location_removed, |app: TestApp| async move {
    let owner = app.signed_in("media-exif@example.org").await;
    // Stored 80×40 with "rotate 90°": displayed 40×80.
    let asset = app.uploaded(&owner, "phone.jpg", &media::jpeg_with_exif(80, 40)).await;
    assert_eq!((asset["width"].as_u64(), asset["height"].as_u64()), (Some(40), Some(80)), "{asset}");
    assert_eq!(asset["probe"]["orientationApplied"], true, "{asset}");
    assert_eq!(asset["probe"]["locationRemoved"], true, "{asset}");
    let path = format!("{}/{}/content", app.media_path(&owner), asset["id"].as_str().unwrap());
    let (_, _, stored) = app.get_bytes(&path, Some(&owner.access), &[]).await;
    assert!(!stored.windows(6).any(|w| w == b"Exif\0\0"), "the stored file carries no EXIF");
    let decoded = image::load_from_memory(&stored).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (40, 80), "the pixels are turned upright");
});

both_backends!(videos_are_probed_with_ffprobe, |app: TestApp| async move {
    let owner = app.signed_in("media-video@example.org").await;
    let asset = app.uploaded(&owner, "clip.mp4", &media::mp4(2, 320, 240)).await;
    assert_eq!(asset["type"], "video", "{asset}");
    assert_eq!(asset["mime"], "video/mp4", "{asset}");
    assert_eq!((asset["width"].as_u64(), asset["height"].as_u64()), (Some(320), Some(240)), "{asset}");
    let ms = asset["durationMs"].as_u64().unwrap();
    assert!((1900..=2100).contains(&ms), "{asset}");
    assert!(asset["codec"].as_str().is_some_and(|c| !c.is_empty()), "{asset}");
    assert_eq!(asset["hasThumbnail"], true, "ffmpeg made a poster frame: {asset}");
});

both_backends_with!(
    without_ffprobe_a_video_is_kept_and_says_why,
    |s: &mut zenalto_settings::Settings| {
        s.media.ffprobe = "/nonexistent/ffprobe".into();
        s.media.ffmpeg = "/nonexistent/ffmpeg".into();
    },
    |app: TestApp| async move {
        let owner = app.signed_in("media-noprobe@example.org").await;
        let asset = app.uploaded(&owner, "clip.mp4", &media::mp4(1, 160, 120)).await;
        assert_eq!(asset["type"], "video");
        assert!(asset["durationMs"].is_null(), "{asset}");
        assert!(asset["probe"]["capability"].as_str().unwrap().contains("not installed"), "{asset}");
    }
);

both_backends_with!(
    unfinished_uploads_expire_and_are_swept,
    |s: &mut zenalto_settings::Settings| s.media.upload_ttl_secs = 60,
    |app: TestApp| async move {
        let owner = app.signed_in("media-sweep@example.org").await;
        let file = media::png(64, 64, 1);
        let (_, session) = app.open_upload(&owner, "left.png", "image/png", file.len()).await;
        let id = session["id"].as_str().unwrap().to_owned();
        let (status, _) = app.send_chunk(&owner, &id, 0, &file[..file.len() / 2]).await;
        assert_eq!(status, StatusCode::OK);
        let chunks = app.settings.data_dir.join("media").join("uploads").join(&id);
        assert!(chunks.exists(), "the chunk is stored under {}", chunks.display());

        app.clock.advance_secs(61);
        let (status, body) = app.get(&format!("{}/{id}", app.uploads_path(&owner)), &owner.access).await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
        // The app's own sweep loop may get there first (its first round can land after the clock
        // moved); either way the session and its chunks are gone, and nothing is swept twice.
        assert!(app.services.sweep_media_uploads().await.unwrap() <= 1);
        assert!(!chunks.exists(), "the sweep removed the chunks");
        assert_eq!(app.services.sweep_media_uploads().await.unwrap(), 0, "nothing left to sweep");
    }
);
