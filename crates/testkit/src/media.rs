//! Helpers for media tests: real images (PNG, JPEG with EXIF orientation and GPS), a short real
//! video made with ffmpeg, uploads (one request, chunks, and a chunk cut off mid-way), and an S3
//! bucket on the test moto server.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tokio::io::AsyncWriteExt;
use zenalto_settings::{MediaStorageKind, Settings};

use crate::{Account, TestApp, read};

/// A `width × height` picture with smooth gradients (compresses like a photo).
pub fn gradient(width: u32, height: u32, seed: u8) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 255 / width.max(1)) as u8 ^ seed, (y * 255 / height.max(1)) as u8, seed.wrapping_mul(7)])
    }))
}

/// A picture of pseudo-random pixels: hardly compressible, so it is large for its size.
pub fn noise(width: u32, height: u32, seed: u32) -> DynamicImage {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |_, _| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let [a, b, c, _] = state.to_le_bytes();
        Rgb([a, b, c])
    }))
}

pub fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Vec::new();
    image.write_to(&mut Cursor::new(&mut out), format).expect("encode test image");
    out
}

pub fn png(width: u32, height: u32, seed: u8) -> Vec<u8> {
    encode(&gradient(width, height, seed), ImageFormat::Png)
}

pub fn jpeg(width: u32, height: u32, seed: u8) -> Vec<u8> {
    encode(&gradient(width, height, seed), ImageFormat::Jpeg)
}

/// A JPEG whose EXIF says "rotate 90° clockwise to display" (orientation 6) and holds a GPS
/// latitude reference, as phone pictures do. The APP1 segment is written by hand (little-endian
/// TIFF: IFD0 with Orientation and a GPS IFD pointer; the GPS IFD with GPSLatitudeRef = "N").
pub fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let plain = jpeg(width, height, 3);
    let mut tiff: Vec<u8> = b"II\x2a\x00".to_vec();
    tiff.extend(8u32.to_le_bytes()); // IFD0 right after the header
    tiff.extend(2u16.to_le_bytes());
    tiff.extend([0x12, 0x01, 3, 0]); // Orientation, SHORT
    tiff.extend(1u32.to_le_bytes());
    tiff.extend([6, 0, 0, 0]);
    tiff.extend([0x25, 0x88, 4, 0]); // GPSInfo IFD pointer, LONG
    tiff.extend(1u32.to_le_bytes());
    tiff.extend(38u32.to_le_bytes()); // 8 + (2 + 2 × 12 + 4)
    tiff.extend(0u32.to_le_bytes());
    tiff.extend(1u16.to_le_bytes());
    tiff.extend([0x01, 0x00, 2, 0]); // GPSLatitudeRef, ASCII
    tiff.extend(2u32.to_le_bytes());
    tiff.extend(*b"N\0\0\0");
    tiff.extend(0u32.to_le_bytes());
    let mut app1 = vec![0xFF, 0xE1];
    app1.extend(u16::try_from(2 + 6 + tiff.len()).unwrap().to_be_bytes());
    app1.extend(b"Exif\0\0");
    app1.extend(tiff);
    let mut out = plain[..2].to_vec(); // SOI
    out.extend(app1);
    out.extend(&plain[2..]);
    out
}

/// A short real video (H.264 when available) made by ffmpeg from its test pattern.
pub fn mp4(seconds: u32, width: u32, height: u32) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("clip.mp4");
    let output = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-f", "lavfi", "-i", &format!("testsrc=duration={seconds}:size={width}x{height}:rate=25"), "-pix_fmt", "yuv420p"])
        .arg(&path)
        .output()
        .expect("ffmpeg is required by the media tests; scripts/services.sh installs Debian's ffmpeg");
    assert!(output.status.success(), "ffmpeg failed: {}", String::from_utf8_lossy(&output.stderr));
    std::fs::read(path).expect("read the test video")
}

/// A real animated GIF made by ffmpeg from its test pattern (15 frames a second, its own palette).
pub fn gif(seconds: u32, width: u32, height: u32) -> Vec<u8> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("clip.gif");
    let output = std::process::Command::new("ffmpeg")
        .args(["-v", "error", "-f", "lavfi", "-i", &format!("testsrc=duration={seconds}:size={width}x{height}:rate=15")])
        .args(["-vf", "split[a][b];[a]palettegen[p];[b][p]paletteuse"])
        .arg(&path)
        .output()
        .expect("ffmpeg is required by the media tests; scripts/services.sh installs Debian's ffmpeg");
    assert!(output.status.success(), "ffmpeg failed: {}", String::from_utf8_lossy(&output.stderr));
    std::fs::read(path).expect("read the test GIF")
}

/// Settings for the S3 backend on the test moto server, with a bucket of its own (created by
/// [`TestApp::create_bucket`]).
pub fn use_s3(settings: &mut Settings) {
    let endpoint = std::env::var("ZENALTO_TEST_S3_ENDPOINT").unwrap_or_else(|_| "http://127.0.0.1:5055".into());
    settings.media.storage = MediaStorageKind::S3;
    settings.media.s3.endpoint = endpoint;
    settings.media.s3.bucket = format!("zenalto-test-{}", uuid::Uuid::new_v4().simple());
    settings.media.s3.access_key_id = zenalto_domain::Secret::new("testing".into());
    settings.media.s3.secret_access_key = zenalto_domain::Secret::new("testing".into());
    settings.media.s3.path_style = true;
}

impl TestApp {
    pub fn media_path(&self, owner: &Account) -> String {
        format!("/api/v1/workspaces/{}/media", owner.workspace_id)
    }

    /// Creates the S3 bucket the settings name, on moto (which takes unsigned requests).
    pub async fn create_bucket(&self) {
        let url = format!("{}/{}", self.settings.media.s3.endpoint, self.settings.media.s3.bucket);
        let response = reqwest::Client::new().put(&url).send().await.unwrap_or_else(|e| {
            panic!("moto's S3 server is required by the media tests and is not reachable at {url}: {e}\nRun ./scripts/test or source scripts/services.sh.")
        });
        assert!(response.status().is_success(), "create bucket: {}", response.status());
    }

    /// Uploads `bytes` as `name` in one multipart request.
    pub async fn upload(&self, owner: &Account, name: &str, bytes: &[u8]) -> (StatusCode, Value) {
        let boundary = "zenalto-test-boundary-7d1f";
        let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").into_bytes();
        body.extend_from_slice(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").into_bytes());
        let response = self
            .request(Method::POST, &self.media_path(owner), Some(&owner.access))
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .expect("upload sent");
        read(response).await
    }

    /// Uploads and expects a new asset; returns it.
    pub async fn uploaded(&self, owner: &Account, name: &str, bytes: &[u8]) -> Value {
        let (status, body) = self.upload(owner, name, bytes).await;
        assert_eq!(status, StatusCode::CREATED, "upload {name}: {body}");
        body["asset"].clone()
    }

    pub fn uploads_path(&self, owner: &Account) -> String {
        format!("/api/v1/workspaces/{}/media-uploads", owner.workspace_id)
    }

    /// Opens a resumable upload; returns status and body.
    pub async fn open_upload(&self, owner: &Account, name: &str, mime: &str, total: usize) -> (StatusCode, Value) {
        self.post(&self.uploads_path(owner), Some(&owner.access), json!({ "name": name, "mimeType": mime, "totalBytes": total })).await
    }

    /// Sends one chunk at `offset`.
    pub async fn send_chunk(&self, owner: &Account, upload: &str, offset: usize, chunk: &[u8]) -> (StatusCode, Value) {
        let path = format!("{}/{upload}?offset={offset}", self.uploads_path(owner));
        let response = self
            .request(Method::PUT, &path, Some(&owner.access))
            .header("content-type", "application/octet-stream")
            .body(chunk.to_vec())
            .send()
            .await
            .expect("chunk sent");
        read(response).await
    }

    /// Starts sending a chunk at `offset` that announces `chunk.len()` bytes, sends only the
    /// first `sent` of them and drops the connection: what a phone losing its signal does.
    pub async fn send_chunk_cut_off(&self, owner: &Account, upload: &str, offset: usize, chunk: &[u8], sent: usize) {
        let mut stream = tokio::net::TcpStream::connect(self.addr).await.expect("connect");
        let head = format!(
            "PUT {}/{upload}?offset={offset} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {}\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\n\r\n",
            self.uploads_path(owner),
            self.addr,
            owner.access,
            chunk.len()
        );
        stream.write_all(head.as_bytes()).await.expect("send head");
        stream.write_all(&chunk[..sent]).await.expect("send part of the chunk");
        stream.flush().await.expect("flush");
        drop(stream);
    }

    /// The confirmed offset of an upload.
    pub async fn upload_offset(&self, owner: &Account, upload: &str) -> u64 {
        let (status, body) = self.get(&format!("{}/{upload}", self.uploads_path(owner)), &owner.access).await;
        assert_eq!(status, StatusCode::OK, "upload status: {body}");
        body["receivedBytes"].as_u64().expect("receivedBytes")
    }

    /// GET with a bearer token, returning status, headers and raw bytes.
    pub async fn get_bytes(&self, path: &str, token: Option<&str>, headers: &[(&str, &str)]) -> (StatusCode, reqwest::header::HeaderMap, Vec<u8>) {
        let mut builder = match token {
            Some(token) => self.request(Method::GET, path, Some(token)),
            None => self.client.get(path),
        };
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let response = builder.send().await.expect("request sent");
        let (status, headers) = (response.status(), response.headers().clone());
        (status, headers, response.bytes().await.expect("body").to_vec())
    }
}
