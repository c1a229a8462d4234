//! A fake of Pinterest API v5: the token endpoint with HTTP Basic client authentication, the
//! user account and boards, Pins from image URLs, base64 images, carousels and uploaded videos
//! (media registration, a multipart upload to the returned URL, processing that takes a number
//! of polls), board Pin lists, delete, analytics, and Pinterest's `{"code","message"}` errors.
//! <https://developers.pinterest.com/docs/api/v5/>

// Handlers answer with a `Response` either way; a refusal is one too (test-only code).
#![allow(clippy::result_large_err)]

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Multipart, Path, Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use base64::{Engine, engine::general_purpose::STANDARD};
use serde_json::{Value, json};

use crate::{
    FakeServer, Fault, FaultQueue,
    youtube::{after, bearer, form, play},
};

pub const CLIENT_ID: &str = "pin-client";
pub const CLIENT_SECRET: &str = "pin-secret";
pub const CODE: &str = "pin-code";
pub const ACCESS_TOKEN: &str = "pina_access";
pub const REFRESH_TOKEN: &str = "pinr_refresh";
pub const USERNAME: &str = "fakepinner";
pub const BOARD_ID: &str = "549755885175";
pub const OTHER_BOARD_ID: &str = "549755885176";

/// Pinterest's error body.
pub fn pinterest_error(code: i64, message: &str) -> String {
    json!({ "code": code, "message": message }).to_string()
}

fn error(status: u16, code: i64, message: &str) -> Response {
    Fault::status(status, pinterest_error(code, message)).response().unwrap_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

#[derive(Clone, Debug)]
pub struct FakePin {
    pub id: String,
    pub board_id: String,
    pub title: Option<String>,
    pub description: String,
    pub link: Option<String>,
    pub alt_text: Option<String>,
    /// `image_url`, `image_base64`, `multiple_image_urls`, `multiple_image_base64`, `video_id`.
    pub source_type: String,
    /// Image URLs, or the decoded length of each base64 image.
    pub images: Vec<String>,
    pub media_id: Option<String>,
    pub cover: Option<String>,
}

#[derive(Clone, Debug, Default)]
pub struct FakeMedia {
    pub id: String,
    pub uploaded: Option<usize>,
    pub polls_left: u32,
}

struct Inner {
    next_id: u64,
    pins: Vec<FakePin>,
    media: Vec<FakeMedia>,
    access_tokens: Vec<String>,
    processing_polls: u32,
    upload_fields: Vec<String>,
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

    async fn enter(&self, route: &str, headers: &HeaderMap) -> Result<Option<std::time::Duration>, Response> {
        let delay = play(&self.faults, route).await?;
        let ok = bearer(headers).is_some_and(|t| self.lock().access_tokens.iter().any(|known| known == t));
        if !ok {
            return Err(error(401, 2, "Authentication failed."));
        }
        Ok(delay)
    }
}

pub struct PinterestFake {
    pub server: FakeServer,
    pub faults: FaultQueue,
    shared: Shared,
}

impl PinterestFake {
    pub async fn start() -> Self {
        let faults = FaultQueue::default();
        let inner = Inner {
            next_id: 1_000_000,
            pins: Vec::new(),
            media: Vec::new(),
            access_tokens: vec![ACCESS_TOKEN.into()],
            processing_polls: 0,
            upload_fields: Vec::new(),
        };
        let shared = Shared { inner: Arc::new(Mutex::new(inner)), faults: faults.clone() };
        let router = Router::new()
            .route("/v5/oauth/token", post(token))
            .route("/v5/user_account", get(user_account))
            .route("/v5/boards", get(boards))
            .route("/v5/boards/{board_id}/pins", get(board_pins))
            .route("/v5/pins", post(create_pin))
            .route("/v5/pins/{pin_id}", axum::routing::delete(delete_pin))
            .route("/v5/pins/{pin_id}/analytics", get(pin_analytics))
            .route("/v5/media", post(register_media))
            .route("/v5/media/{media_id}", get(media_status))
            .route("/bucket", post(bucket_upload))
            .with_state(shared.clone());
        Self { server: FakeServer::start(router).await, faults, shared }
    }

    pub fn base_url(&self) -> &str {
        &self.server.base_url
    }

    pub fn pins(&self) -> Vec<FakePin> {
        self.shared.lock().pins.clone()
    }

    pub fn media(&self) -> Vec<FakeMedia> {
        self.shared.lock().media.clone()
    }

    /// The form fields the last bucket upload carried, in order.
    pub fn upload_fields(&self) -> Vec<String> {
        self.shared.lock().upload_fields.clone()
    }

    pub fn set_processing_polls(&self, polls: u32) {
        self.shared.lock().processing_polls = polls;
    }
}

async fn token(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    if let Err(response) = play(&shared.faults, "POST /v5/oauth/token").await {
        return response;
    }
    let expected = format!("Basic {}", STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}")));
    if headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()) != Some(expected.as_str()) {
        return error(401, 2, "Authentication failed.");
    }
    let form = form(&body);
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    match field("grant_type") {
        "authorization_code" if field("code") == CODE && !field("redirect_uri").is_empty() => {}
        "authorization_code" => return error(400, 1, "Invalid authorization code."),
        "refresh_token" if field("refresh_token") == REFRESH_TOKEN => {}
        "refresh_token" => return error(400, 1, "Invalid refresh token."),
        _ => return error(400, 1, "Invalid grant_type."),
    }
    let mut inner = shared.lock();
    inner.next_id += 1;
    let access = format!("pina_{}", inner.next_id);
    inner.access_tokens.push(access.clone());
    Json(json!({
        "access_token": access, "token_type": "bearer", "expires_in": 2_592_000, "refresh_token": REFRESH_TOKEN,
        "refresh_token_expires_in": 31_536_000, "scope": "boards:read,pins:read,pins:write,user_accounts:read", "response_type": "authorization_code",
    }))
    .into_response()
}

async fn user_account(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    if let Err(response) = shared.enter("GET /v5/user_account", &headers).await {
        return response;
    }
    let pins = shared.lock().pins.len();
    Json(json!({
        "account_type": "BUSINESS", "username": USERNAME, "business_name": "Fake Pins Co", "profile_image": "https://i.pinimg.com/p.jpg",
        "website_url": "https://example.com", "board_count": 2, "pin_count": pins, "follower_count": 4321, "following_count": 21, "monthly_views": 98765,
    }))
    .into_response()
}

async fn boards(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    if let Err(response) = shared.enter("GET /v5/boards", &headers).await {
        return response;
    }
    Json(json!({ "items": [
        { "id": BOARD_ID, "name": "Recipes", "privacy": "PUBLIC", "owner": { "username": USERNAME } },
        { "id": OTHER_BOARD_ID, "name": "Travel", "privacy": "PUBLIC", "owner": { "username": USERNAME } },
    ], "bookmark": null }))
    .into_response()
}

fn pin_json(pin: &FakePin) -> Value {
    json!({ "id": pin.id, "board_id": pin.board_id, "title": pin.title, "description": pin.description, "link": pin.link, "alt_text": pin.alt_text, "created_at": "2026-12-01T00:00:00" })
}

async fn board_pins(State(shared): State<Shared>, headers: HeaderMap, Path(board_id): Path<String>) -> Response {
    if let Err(response) = shared.enter("GET /v5/boards/pins", &headers).await {
        return response;
    }
    if board_id != BOARD_ID && board_id != OTHER_BOARD_ID {
        return error(404, 40, "Board not found.");
    }
    let inner = shared.lock();
    let items: Vec<Value> = inner.pins.iter().rev().filter(|p| p.board_id == board_id).map(pin_json).collect();
    Json(json!({ "items": items, "bookmark": null })).into_response()
}

/// The images of a `media_source`, checked as Pinterest does; `Err` is the 400 to answer.
fn images_of(source: &Value) -> Result<Vec<String>, Response> {
    let url_ok = |u: &str| u.starts_with("https://") || u.starts_with("http://");
    let decoded = |item: &Value| -> Result<String, Response> {
        let content_type = item["content_type"].as_str().unwrap_or_default();
        if content_type != "image/jpeg" && content_type != "image/png" {
            return Err(error(400, 1, "content_type must be image/jpeg or image/png"));
        }
        let bytes = STANDARD.decode(item["data"].as_str().unwrap_or_default()).map_err(|_| error(400, 1, "data is not base64"))?;
        let magic_ok = bytes.starts_with(&[0xFF, 0xD8, 0xFF]) || bytes.starts_with(b"\x89PNG");
        if !magic_ok {
            return Err(error(400, 1, "The image could not be read."));
        }
        Ok(format!("{} bytes", bytes.len()))
    };
    match source["source_type"].as_str().unwrap_or_default() {
        "image_url" => {
            let url = source["url"].as_str().unwrap_or_default();
            if url_ok(url) { Ok(vec![url.to_owned()]) } else { Err(error(400, 1, "media_source.url is not a URL")) }
        }
        "image_base64" => Ok(vec![decoded(source)?]),
        kind @ ("multiple_image_urls" | "multiple_image_base64") => {
            let items = source["items"].as_array().cloned().unwrap_or_default();
            if !(2..=5).contains(&items.len()) {
                return Err(error(400, 1, "A carousel needs 2 to 5 images."));
            }
            items
                .iter()
                .map(|item| {
                    if kind == "multiple_image_urls" {
                        let url = item["url"].as_str().unwrap_or_default();
                        if url_ok(url) { Ok(url.to_owned()) } else { Err(error(400, 1, "items[].url is not a URL")) }
                    } else {
                        decoded(item)
                    }
                })
                .collect()
        }
        _ => Err(error(400, 1, "Invalid media_source.source_type.")),
    }
}

async fn create_pin(State(shared): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    let delay = match shared.enter("POST /v5/pins", &headers).await {
        Ok(delay) => delay,
        Err(response) => return response,
    };
    let board_id = body["board_id"].as_str().unwrap_or_default().to_owned();
    if board_id != BOARD_ID && board_id != OTHER_BOARD_ID {
        return error(404, 40, "Board not found.");
    }
    let title = body["title"].as_str().map(str::to_owned);
    let description = body["description"].as_str().unwrap_or_default().to_owned();
    if title.as_deref().is_some_and(|t| t.chars().count() > 100) || description.chars().count() > 800 {
        return error(400, 1, "Title or description is too long.");
    }
    let source = &body["media_source"];
    let mut media_id = None;
    let mut cover = None;
    let images = if source["source_type"] == "video_id" {
        let id = source["media_id"].as_str().unwrap_or_default().to_owned();
        let inner = shared.lock();
        let ready = inner.media.iter().any(|m| m.id == id && m.uploaded.is_some() && m.polls_left == 0);
        if !ready {
            return error(400, 1, "The media upload is not ready or does not exist.");
        }
        cover = source["cover_image_url"]
            .as_str()
            .map(str::to_owned)
            .or_else(|| source["cover_image_content_type"].as_str().map(|t| format!("{t} data")))
            .or_else(|| source["cover_image_key_frame_time"].as_i64().map(|t| format!("key frame {t}")));
        if cover.is_none() {
            return error(400, 1, "A video Pin needs a cover image.");
        }
        media_id = Some(id);
        Vec::new()
    } else {
        match images_of(source) {
            Ok(images) => images,
            Err(response) => return response,
        }
    };
    let response = {
        let mut inner = shared.lock();
        inner.next_id += 1;
        let pin = FakePin {
            id: format!("8{}", inner.next_id),
            board_id,
            title,
            description,
            link: body["link"].as_str().map(str::to_owned),
            alt_text: body["alt_text"].as_str().map(str::to_owned),
            source_type: source["source_type"].as_str().unwrap_or_default().to_owned(),
            images,
            media_id,
            cover,
        };
        inner.pins.push(pin.clone());
        (StatusCode::CREATED, Json(pin_json(&pin))).into_response()
    };
    after(delay, response).await
}

async fn delete_pin(State(shared): State<Shared>, headers: HeaderMap, Path(pin_id): Path<String>) -> Response {
    if let Err(response) = shared.enter("DELETE /v5/pins", &headers).await {
        return response;
    }
    let mut inner = shared.lock();
    let before = inner.pins.len();
    inner.pins.retain(|p| p.id != pin_id);
    if inner.pins.len() == before {
        return error(404, 50, "Pin not found.");
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn pin_analytics(State(shared): State<Shared>, headers: HeaderMap, Path(pin_id): Path<String>, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Err(response) = shared.enter("GET /v5/pins/analytics", &headers).await {
        return response;
    }
    let date_ok = |name: &str| query.get(name).is_some_and(|d| d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-');
    if !date_ok("start_date") || !date_ok("end_date") || !query.contains_key("metric_types") {
        return error(400, 1, "start_date, end_date (YYYY-MM-DD) and metric_types are required.");
    }
    if !shared.lock().pins.iter().any(|p| p.id == pin_id) {
        return error(404, 50, "Pin not found.");
    }
    Json(json!({ "all": {
        "daily_metrics": [{ "data_status": "READY", "date": query["end_date"], "metrics": { "IMPRESSION": 120, "SAVE": 7 } }],
        "summary_metrics": { "IMPRESSION": 1200, "SAVE": 70, "PIN_CLICK": 30, "OUTBOUND_CLICK": 12, "VIDEO_MRC_VIEW": 0, "TOTAL_COMMENTS": 2, "TOTAL_REACTIONS": 9 },
    }}))
    .into_response()
}

async fn register_media(State(shared): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Err(response) = shared.enter("POST /v5/media", &headers).await {
        return response;
    }
    if body["media_type"] != "video" {
        return error(400, 1, "media_type must be video.");
    }
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("127.0.0.1").to_owned();
    let mut inner = shared.lock();
    inner.next_id += 1;
    let id = inner.next_id.to_string();
    let polls = inner.processing_polls;
    inner.media.push(FakeMedia { id: id.clone(), uploaded: None, polls_left: polls });
    (
        StatusCode::CREATED,
        Json(json!({
            "media_id": id, "media_type": "video", "upload_url": format!("http://{host}/bucket"),
            "upload_parameters": { "key": format!("uploads/{id}.mp4"), "x-amz-algorithm": "AWS4-HMAC-SHA256", "x-amz-signature": "sig", "policy": "p" },
        })),
    )
        .into_response()
}

async fn bucket_upload(State(shared): State<Shared>, mut multipart: Multipart) -> Response {
    let delay = match play(&shared.faults, "POST /bucket").await {
        Ok(delay) => delay,
        Err(response) => return response,
    };
    let mut fields = Vec::new();
    let mut key = None;
    let mut file = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        let name = field.name().unwrap_or_default().to_owned();
        let data = field.bytes().await.unwrap_or_default();
        if name == "key" {
            key = Some(String::from_utf8_lossy(&data).into_owned());
        }
        if name == "file" {
            file = Some(data);
        } else if file.is_some() {
            // S3 ignores fields after the file: the policy fields must come first.
            return (StatusCode::BAD_REQUEST, "fields after the file").into_response();
        }
        fields.push(name);
    }
    let stored = {
        let mut inner = shared.lock();
        inner.upload_fields = fields;
        let id = key.as_deref().and_then(|k| k.strip_prefix("uploads/")).and_then(|k| k.strip_suffix(".mp4")).unwrap_or_default().to_owned();
        match (file, inner.media.iter_mut().find(|m| m.id == id)) {
            (None, _) => Err((StatusCode::BAD_REQUEST, "no file")),
            (Some(_), None) => Err((StatusCode::FORBIDDEN, "unknown key")),
            (Some(file), Some(_)) if file.len() < 12 || &file[4..8] != b"ftyp" => Err((StatusCode::BAD_REQUEST, "not a video")),
            (Some(file), Some(media)) => {
                media.uploaded = Some(file.len());
                Ok(())
            }
        }
    };
    if let Err(refused) = stored {
        return refused.into_response();
    }
    after(delay, StatusCode::NO_CONTENT.into_response()).await
}

async fn media_status(State(shared): State<Shared>, headers: HeaderMap, Path(media_id): Path<String>) -> Response {
    if let Err(response) = shared.enter("GET /v5/media", &headers).await {
        return response;
    }
    let mut inner = shared.lock();
    let Some(media) = inner.media.iter_mut().find(|m| m.id == media_id) else { return error(404, 1, "Media not found.") };
    let status = match (media.uploaded, media.polls_left) {
        (None, _) => "registered",
        (Some(_), 0) => "succeeded",
        (Some(_), _) => {
            media.polls_left -= 1;
            "processing"
        }
    };
    Json(json!({ "media_id": media.id, "media_type": "video", "status": status })).into_response()
}
