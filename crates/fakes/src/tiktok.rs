//! A fake of TikTok's Login Kit token endpoints and the Content Posting and Display APIs: the
//! `{"data","error":{"code","message","log_id"}}` envelope, creator info, video init with
//! `FILE_UPLOAD` chunk rules or `PULL_FROM_URL` from verified domains, photo posts, chunked PUTs
//! with `Content-Range`, a publish status that takes a number of polls, video list and query,
//! and user info with stats.
//! <https://developers.tiktok.com/doc/content-posting-api-reference-direct-post>

// Handlers answer with a `Response` either way; a refusal is one too (test-only code).
#![allow(clippy::result_large_err)]

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post, put},
};
use serde_json::{Value, json};

use crate::{
    FakeServer, Fault, FaultQueue,
    youtube::{after, bearer, form, play},
};

pub const CLIENT_KEY: &str = "tt-client-key";
pub const CLIENT_SECRET: &str = "tt-secret";
pub const CODE: &str = "tt-code";
pub const ACCESS_TOKEN: &str = "act.tt-access";
pub const REFRESH_TOKEN: &str = "rft.tt-refresh";
pub const OPEN_ID: &str = "tt-open-id";
pub const USERNAME: &str = "fakecreator";
/// Media on this prefix counts as on a verified domain for `PULL_FROM_URL`.
pub const VERIFIED_PREFIX: &str = "https://media.zenalto.example/";

/// TikTok's error envelope.
pub fn tiktok_error(code: &str, message: &str) -> String {
    json!({ "data": {}, "error": { "code": code, "message": message, "log_id": "202612010000000000" } }).to_string()
}

fn error(status: u16, code: &str, message: &str) -> Response {
    Fault::status(status, tiktok_error(code, message)).response().unwrap_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

fn ok(data: Value) -> Response {
    Json(json!({ "data": data, "error": { "code": "ok", "message": "", "log_id": "202612010000000000" } })).into_response()
}

#[derive(Clone, Debug, Default)]
pub struct FakePublish {
    pub publish_id: String,
    /// `VIDEO` or `PHOTO`.
    pub media_type: String,
    /// `FILE_UPLOAD` or `PULL_FROM_URL`.
    pub source: String,
    pub caption: String,
    pub title: String,
    pub privacy: String,
    pub urls: Vec<String>,
    pub video_size: usize,
    pub chunk_size: usize,
    pub chunk_count: usize,
    pub received: Vec<u8>,
    pub chunks: Vec<(usize, usize)>,
    pub polls_left: u32,
    pub fail_reason: Option<String>,
    pub post_id: Option<String>,
}

#[derive(Clone, Debug)]
pub struct FakeVideo {
    pub id: String,
    pub caption: String,
    pub privacy: String,
    pub likes: u64,
    pub views: u64,
}

struct Inner {
    next_id: u64,
    publishes: Vec<FakePublish>,
    videos: Vec<FakeVideo>,
    access_tokens: Vec<String>,
    refresh_tokens: Vec<String>,
    revoked: Vec<String>,
    privacy_options: Vec<String>,
    max_duration_sec: u64,
    min_chunk: usize,
    processing_polls: u32,
    fail_next: Option<String>,
}

#[derive(Clone)]
struct Shared {
    inner: Arc<Mutex<Inner>>,
    faults: FaultQueue,
}

impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn authorized(&self, headers: &HeaderMap) -> Result<(), Response> {
        let ok = bearer(headers).is_some_and(|t| self.lock().access_tokens.iter().any(|known| known == t));
        if ok { Ok(()) } else { Err(error(401, "access_token_invalid", "The access token is invalid or not found in the request.")) }
    }

    /// Faults, then the token: the common start of every API handler.
    async fn enter(&self, route: &str, headers: &HeaderMap) -> Result<Option<std::time::Duration>, Response> {
        let delay = play(&self.faults, route).await?;
        self.authorized(headers)?;
        Ok(delay)
    }
}

pub struct TikTokFake {
    pub server: FakeServer,
    pub faults: FaultQueue,
    shared: Shared,
}

impl TikTokFake {
    pub async fn start() -> Self {
        let faults = FaultQueue::default();
        let inner = Inner {
            next_id: 7_300_000_000_000_000_000,
            publishes: Vec::new(),
            videos: Vec::new(),
            access_tokens: vec![ACCESS_TOKEN.into()],
            refresh_tokens: vec![REFRESH_TOKEN.into()],
            revoked: Vec::new(),
            privacy_options: vec!["PUBLIC_TO_EVERYONE".into(), "MUTUAL_FOLLOW_FRIENDS".into(), "SELF_ONLY".into()],
            max_duration_sec: 600,
            min_chunk: 5 * 1024 * 1024,
            processing_polls: 0,
            fail_next: None,
        };
        let shared = Shared { inner: Arc::new(Mutex::new(inner)), faults: faults.clone() };
        let router = Router::new()
            .route("/v2/oauth/token/", post(token))
            .route("/v2/oauth/revoke/", post(revoke))
            .route("/v2/user/info/", get(user_info))
            .route("/v2/post/publish/creator_info/query/", post(creator_info))
            .route("/v2/post/publish/video/init/", post(video_init))
            .route("/v2/post/publish/content/init/", post(content_init))
            .route("/v2/post/publish/status/fetch/", post(status_fetch))
            .route("/v2/video/list/", post(video_list))
            .route("/v2/video/query/", post(video_query))
            .route("/upload/{publish_id}", put(upload_chunk))
            .with_state(shared.clone());
        Self { server: FakeServer::start(router).await, faults, shared }
    }

    pub fn base_url(&self) -> &str {
        &self.server.base_url
    }

    pub fn publishes(&self) -> Vec<FakePublish> {
        self.shared.lock().publishes.clone()
    }

    pub fn videos(&self) -> Vec<FakeVideo> {
        self.shared.lock().videos.clone()
    }

    pub fn revoked(&self) -> Vec<String> {
        self.shared.lock().revoked.clone()
    }

    /// The visibilities creator info offers (an unaudited app: `SELF_ONLY` only).
    pub fn set_privacy_options(&self, options: &[&str]) {
        self.shared.lock().privacy_options = options.iter().map(|o| (*o).to_owned()).collect();
    }

    /// The smallest chunk TikTok accepts (5 MB for real; tests use small files).
    pub fn set_min_chunk(&self, bytes: usize) {
        self.shared.lock().min_chunk = bytes;
    }

    pub fn set_processing_polls(&self, polls: u32) {
        self.shared.lock().processing_polls = polls;
    }

    /// The next publish ends `FAILED` with this `fail_reason`.
    pub fn fail_next_publish(&self, reason: &str) {
        self.shared.lock().fail_next = Some(reason.to_owned());
    }

    pub fn set_video_stats(&self, id: &str, views: u64, likes: u64) {
        if let Some(video) = self.shared.lock().videos.iter_mut().find(|v| v.id == id) {
            video.views = views;
            video.likes = likes;
        }
    }
}

async fn token(State(shared): State<Shared>, body: Bytes) -> Response {
    if let Err(response) = play(&shared.faults, "POST /v2/oauth/token/").await {
        return response;
    }
    let form = form(&body);
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let refuse = |error: &str, description: &str| {
        (StatusCode::BAD_REQUEST, Json(json!({ "error": error, "error_description": description, "log_id": "202612010000000000" }))).into_response()
    };
    if form.contains_key("client_id") || field("client_key") != CLIENT_KEY || field("client_secret") != CLIENT_SECRET {
        return refuse("invalid_client", "Client key or secret is incorrect.");
    }
    let mut inner = shared.lock();
    inner.next_id += 1;
    let (access, refresh) = (format!("act.tt-{}", inner.next_id), format!("rft.tt-{}", inner.next_id));
    match field("grant_type") {
        "authorization_code" => {
            if field("code") != CODE || field("redirect_uri").is_empty() {
                return refuse("invalid_grant", "Authorization code is expired.");
            }
        }
        "refresh_token" => {
            let presented = field("refresh_token").to_owned();
            if !inner.refresh_tokens.contains(&presented) {
                return refuse("invalid_grant", "Refresh token is invalid or expired.");
            }
            // Rotation: the old refresh token stops working.
            inner.refresh_tokens.retain(|t| *t != presented);
        }
        _ => return refuse("unsupported_grant_type", "grant_type is not supported"),
    }
    inner.access_tokens.push(access.clone());
    inner.refresh_tokens.push(refresh.clone());
    Json(json!({
        "access_token": access, "expires_in": 86_400, "open_id": OPEN_ID, "refresh_expires_in": 31_536_000,
        "refresh_token": refresh, "scope": "user.info.basic,user.info.profile,user.info.stats,video.publish,video.list", "token_type": "Bearer",
    }))
    .into_response()
}

async fn revoke(State(shared): State<Shared>, body: Bytes) -> Response {
    let form = form(&body);
    if form.get("client_key").map(String::as_str) != Some(CLIENT_KEY) || form.get("client_secret").map(String::as_str) != Some(CLIENT_SECRET) {
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": "invalid_client" }))).into_response();
    }
    let token = form.get("token").cloned().unwrap_or_default();
    let mut inner = shared.lock();
    inner.access_tokens.retain(|t| *t != token);
    inner.revoked.push(token);
    Json(json!({})).into_response()
}

async fn user_info(State(shared): State<Shared>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Err(response) = shared.enter("GET /v2/user/info/", &headers).await {
        return response;
    }
    let Some(fields) = query.get("fields") else { return error(400, "invalid_params", "fields is required") };
    let inner = shared.lock();
    let all = json!({
        "open_id": OPEN_ID, "union_id": "tt-union", "avatar_url": "https://p16.example/avatar.jpg", "display_name": "Fake Creator", "username": USERNAME,
        "follower_count": 5678, "following_count": 12, "likes_count": 99, "video_count": inner.videos.len(),
    });
    let user: serde_json::Map<String, Value> = fields.split(',').filter_map(|f| all.get(f).map(|v| (f.to_owned(), v.clone()))).collect();
    ok(json!({ "user": user }))
}

async fn creator_info(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    if let Err(response) = shared.enter("POST /v2/post/publish/creator_info/query/", &headers).await {
        return response;
    }
    let inner = shared.lock();
    ok(json!({
        "creator_avatar_url": "https://p16.example/avatar.jpg", "creator_username": USERNAME, "creator_nickname": "Fake Creator",
        "privacy_level_options": inner.privacy_options, "comment_disabled": false, "duet_disabled": false, "stitch_disabled": true,
        "max_video_post_duration_sec": inner.max_duration_sec,
    }))
}

fn new_publish(inner: &mut Inner, media_type: &str, body: &Value) -> Result<FakePublish, Response> {
    let privacy = body["post_info"]["privacy_level"].as_str().unwrap_or_default().to_owned();
    if !inner.privacy_options.contains(&privacy) {
        return Err(error(400, "privacy_level_option_mismatch", "privacy_level is not one of the creator's privacy_level_options"));
    }
    inner.next_id += 1;
    let fail_reason = inner.fail_next.take();
    Ok(FakePublish {
        publish_id: format!("v_pub_file~v2-1.{}", inner.next_id),
        media_type: media_type.into(),
        privacy,
        polls_left: inner.processing_polls,
        fail_reason,
        ..FakePublish::default()
    })
}

async fn video_init(State(shared): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let delay = match shared.enter("POST /v2/post/publish/video/init/", &headers).await {
        Ok(delay) => delay,
        Err(response) => return response,
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("127.0.0.1").to_owned();
    let response = {
        let mut inner = shared.lock();
        let mut publish = match new_publish(&mut inner, "VIDEO", &body) {
            Ok(p) => p,
            Err(response) => return response,
        };
        publish.caption = body["post_info"]["title"].as_str().unwrap_or_default().to_owned();
        if publish.caption.encode_utf16().count() > 2200 {
            return error(400, "invalid_params", "title is too long");
        }
        let source = &body["source_info"];
        publish.source = source["source"].as_str().unwrap_or_default().to_owned();
        let mut data = json!({ "publish_id": publish.publish_id });
        match publish.source.as_str() {
            "FILE_UPLOAD" => {
                let (size, chunk, count) = (
                    source["video_size"].as_u64().unwrap_or(0) as usize,
                    source["chunk_size"].as_u64().unwrap_or(0) as usize,
                    source["total_chunk_count"].as_u64().unwrap_or(0) as usize,
                );
                let whole = size < inner.min_chunk && chunk == size && count == 1;
                let chunked = chunk >= inner.min_chunk && chunk <= 64 * 1024 * 1024 && count == size / chunk.max(1) && (1..=1000).contains(&count);
                if size == 0 || !(whole || chunked) {
                    return error(400, "invalid_params", "video_size, chunk_size and total_chunk_count do not follow the chunk rules");
                }
                (publish.video_size, publish.chunk_size, publish.chunk_count) = (size, chunk, count);
                data["upload_url"] = json!(format!("http://{host}/upload/{}?upload_token=fake", publish.publish_id));
            }
            "PULL_FROM_URL" => {
                let url = source["video_url"].as_str().unwrap_or_default().to_owned();
                if !url.starts_with(VERIFIED_PREFIX) {
                    return error(403, "url_ownership_unverified", "The domain or URL prefix of video_url is not verified.");
                }
                publish.urls = vec![url];
            }
            _ => return error(400, "invalid_params", "source_info.source must be FILE_UPLOAD or PULL_FROM_URL"),
        }
        inner.publishes.push(publish);
        ok(data)
    };
    after(delay, response).await
}

async fn content_init(State(shared): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Err(response) = shared.enter("POST /v2/post/publish/content/init/", &headers).await {
        return response;
    }
    if body["media_type"] != "PHOTO" || body["post_mode"] != "DIRECT_POST" || body["source_info"]["source"] != "PULL_FROM_URL" {
        return error(400, "invalid_params", "media_type PHOTO, post_mode DIRECT_POST and source PULL_FROM_URL are required");
    }
    let urls: Vec<String> =
        body["source_info"]["photo_images"].as_array().map(|a| a.iter().filter_map(|u| u.as_str().map(str::to_owned)).collect()).unwrap_or_default();
    if urls.is_empty() || urls.len() > 35 {
        return error(400, "invalid_params", "photo_images must hold 1 to 35 URLs");
    }
    if urls.iter().any(|u| !u.starts_with(VERIFIED_PREFIX)) {
        return error(403, "url_ownership_unverified", "The domain or URL prefix of photo_images is not verified.");
    }
    let mut inner = shared.lock();
    let mut publish = match new_publish(&mut inner, "PHOTO", &body) {
        Ok(p) => p,
        Err(response) => return response,
    };
    publish.source = "PULL_FROM_URL".into();
    publish.caption = body["post_info"]["description"].as_str().unwrap_or_default().to_owned();
    publish.title = body["post_info"]["title"].as_str().unwrap_or_default().to_owned();
    publish.urls = urls;
    let id = publish.publish_id.clone();
    inner.publishes.push(publish);
    ok(json!({ "publish_id": id }))
}

async fn upload_chunk(State(shared): State<Shared>, Path(publish_id): Path<String>, headers: HeaderMap, body: Bytes) -> Response {
    let delay = match play(&shared.faults, "PUT /upload").await {
        Ok(delay) => delay,
        Err(response) => return response,
    };
    let range = headers.get(header::CONTENT_RANGE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let response = {
        let mut inner = shared.lock();
        let Some(publish) = inner.publishes.iter_mut().find(|p| p.publish_id == publish_id && p.source == "FILE_UPLOAD") else {
            return StatusCode::NOT_FOUND.into_response();
        };
        let parsed = range.strip_prefix("bytes ").and_then(|r| r.split_once('/')).and_then(|(span, total)| {
            let (first, last) = span.split_once('-')?;
            Some((first.parse::<usize>().ok()?, last.parse::<usize>().ok()?, total.parse::<usize>().ok()?))
        });
        let Some((first, last, total)) = parsed else { return StatusCode::BAD_REQUEST.into_response() };
        let index = publish.chunks.len();
        let expected_len = if index + 1 == publish.chunk_count { publish.video_size - index * publish.chunk_size } else { publish.chunk_size };
        if total != publish.video_size || first != publish.received.len() || last + 1 - first != body.len() || body.len() != expected_len {
            return StatusCode::RANGE_NOT_SATISFIABLE.into_response();
        }
        publish.chunks.push((first, body.len()));
        publish.received.extend_from_slice(&body);
        if publish.received.len() == publish.video_size {
            if publish.received.len() < 12 || &publish.received[4..8] != b"ftyp" {
                publish.fail_reason = Some("file_format_check_failed".into());
            }
            StatusCode::CREATED.into_response()
        } else {
            StatusCode::PARTIAL_CONTENT.into_response()
        }
    };
    after(delay, response).await
}

async fn status_fetch(State(shared): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let delay = match shared.enter("POST /v2/post/publish/status/fetch/", &headers).await {
        Ok(delay) => delay,
        Err(response) => return response,
    };
    let response = read_status(&shared, body["publish_id"].as_str().unwrap_or_default());
    after(delay, response).await
}

/// The status of a publish; a finished one becomes a video on the creator's profile here.
fn read_status(shared: &Shared, id: &str) -> Response {
    let id = id.to_owned();
    let mut inner = shared.lock();
    inner.next_id += 1;
    let next_id = inner.next_id;
    let Inner { publishes, videos, .. } = &mut *inner;
    let Some(publish) = publishes.iter_mut().find(|p| p.publish_id == id) else { return error(400, "invalid_params", "publish_id does not exist") };
    let uploaded = publish.source != "FILE_UPLOAD" || publish.received.len() == publish.video_size;
    if !uploaded {
        return ok(json!({ "status": "PROCESSING_UPLOAD", "uploaded_bytes": publish.received.len() }));
    }
    if let Some(reason) = &publish.fail_reason {
        return ok(json!({ "status": "FAILED", "fail_reason": reason }));
    }
    if publish.polls_left > 0 {
        publish.polls_left -= 1;
        let status = if publish.source == "FILE_UPLOAD" { "PROCESSING_UPLOAD" } else { "PROCESSING_DOWNLOAD" };
        return ok(json!({ "status": status }));
    }
    let post_id = publish.post_id.get_or_insert_with(|| next_id.to_string()).clone();
    if !videos.iter().any(|v| v.id == post_id) {
        videos.push(FakeVideo { id: post_id.clone(), caption: publish.caption.clone(), privacy: publish.privacy.clone(), likes: 0, views: 0 });
    }
    let numeric: u64 = post_id.parse().unwrap_or(0);
    ok(json!({ "status": "PUBLISH_COMPLETE", "publicaly_available_post_id": [numeric] }))
}

fn video_json(video: &FakeVideo) -> Value {
    json!({
        "id": video.id, "title": video.caption, "video_description": video.caption,
        "share_url": format!("https://www.tiktok.com/@{USERNAME}/video/{}", video.id), "create_time": 1_796_000_000,
        "like_count": video.likes, "comment_count": 3, "share_count": 2, "view_count": video.views,
    })
}

async fn video_list(State(shared): State<Shared>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Err(response) = shared.enter("POST /v2/video/list/", &headers).await {
        return response;
    }
    if !query.contains_key("fields") {
        return error(400, "invalid_params", "fields is required");
    }
    let inner = shared.lock();
    let videos: Vec<Value> = inner.videos.iter().rev().take(20).map(video_json).collect();
    ok(json!({ "videos": videos, "cursor": 0, "has_more": false }))
}

async fn video_query(State(shared): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Err(response) = shared.enter("POST /v2/video/query/", &headers).await {
        return response;
    }
    let ids: Vec<String> =
        body["filters"]["video_ids"].as_array().map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()).unwrap_or_default();
    if ids.is_empty() || ids.len() > 20 {
        return error(400, "invalid_params", "filters.video_ids must hold 1 to 20 ids");
    }
    let inner = shared.lock();
    let videos: Vec<Value> = inner.videos.iter().filter(|v| ids.contains(&v.id)).map(video_json).collect();
    ok(json!({ "videos": videos }))
}
