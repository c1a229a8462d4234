//! A fake of the YouTube Data API v3 and Google's OAuth token endpoint: resumable uploads with
//! 256 KiB chunk rules, `308 Resume Incomplete` and session status queries, videos that take a
//! number of status polls to process, comment threads and replies, statistics, and Google's error
//! shape `{"error":{"code","message","errors":[{"reason"}]}}`.
//! <https://developers.google.com/youtube/v3/guides/using_resumable_upload_protocol>

// Handlers answer with a `Response` either way; a refusal is one too (test-only code).
#![allow(clippy::result_large_err)]

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Query, State},
    http::{HeaderMap, StatusCode, header},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::{Value, json};

use crate::{FakeServer, Fault, FaultQueue};

pub const CLIENT_ID: &str = "yt-client";
pub const CLIENT_SECRET: &str = "yt-secret";
pub const CODE: &str = "yt-code";
pub const ACCESS_TOKEN: &str = "yt-access";
pub const REFRESH_TOKEN: &str = "yt-refresh";
pub const CHANNEL_ID: &str = "UCfakechannel";
const CHUNK_UNIT: usize = 256 * 1024;

/// Plays the fault armed for `route`: `Err` is the answer to give instead; `Ok(Some(d))` means
/// "do the work, then wait `d` before answering".
pub(crate) async fn play(faults: &FaultQueue, route: &str) -> Result<Option<Duration>, Response> {
    match faults.take(route) {
        Some(fault @ Fault::Status { .. }) => Err(fault.response().unwrap_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())),
        Some(Fault::Delay(wait)) => {
            tokio::time::sleep(wait).await;
            Ok(None)
        }
        Some(Fault::ApplyThenDelay(wait)) => Ok(Some(wait)),
        None => Ok(None),
    }
}

/// Answers `response` after the delay an `ApplyThenDelay` fault asked for.
pub(crate) async fn after(delay: Option<Duration>, response: Response) -> Response {
    if let Some(wait) = delay {
        tokio::time::sleep(wait).await;
    }
    response
}

/// The bearer token of a request.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Bearer ")
}

/// An `application/x-www-form-urlencoded` body.
pub(crate) fn form(body: &Bytes) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// Google's error body.
pub fn google_error(status: u16, reason: &str, message: &str) -> String {
    json!({ "error": { "code": status, "message": message, "errors": [{ "domain": "youtube", "reason": reason, "message": message }] } }).to_string()
}

fn error(status: u16, reason: &str, message: &str) -> Response {
    Fault::status(status, google_error(status, reason, message)).response().unwrap_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

#[derive(Clone, Debug)]
pub struct FakeVideo {
    pub id: String,
    pub title: String,
    pub description: String,
    pub privacy: String,
    pub bytes: usize,
    /// Status polls left before the video is processed.
    pub polls_left: u32,
    pub rejected: bool,
    pub views: u64,
    pub likes: u64,
}

#[derive(Clone, Debug)]
pub struct FakeComment {
    pub id: String,
    pub video_id: String,
    pub parent_id: Option<String>,
    pub author_channel_id: String,
    pub author: String,
    pub text: String,
    pub published_at: String,
}

#[derive(Default)]
struct Session {
    title: String,
    description: String,
    privacy: String,
    total: usize,
    received: Vec<u8>,
    video_id: Option<String>,
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    videos: Vec<FakeVideo>,
    sessions: HashMap<String, Session>,
    comments: Vec<FakeComment>,
    processing_polls: u32,
    subscribers: u64,
    access_tokens: Vec<String>,
    revoked: Vec<String>,
    chunks: Vec<(usize, usize)>,
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
        if ok { Ok(()) } else { Err(error(401, "authError", "Request had invalid authentication credentials.")) }
    }
}

pub struct YouTubeFake {
    pub server: FakeServer,
    pub faults: FaultQueue,
    shared: Shared,
}

impl YouTubeFake {
    pub async fn start() -> Self {
        let faults = FaultQueue::default();
        let inner = Inner { access_tokens: vec![ACCESS_TOKEN.into()], subscribers: 1234, ..Inner::default() };
        let shared = Shared { inner: Arc::new(Mutex::new(inner)), faults: faults.clone() };
        let router = Router::new()
            .route("/token", post(token))
            .route("/revoke", post(revoke))
            .route("/youtube/v3/channels", get(channels))
            .route("/youtube/v3/videos", get(list_videos).delete(delete_video))
            .route("/youtube/v3/playlistItems", get(playlist_items))
            .route("/youtube/v3/commentThreads", get(list_threads).post(insert_thread))
            .route("/youtube/v3/comments", post(insert_reply))
            .route("/upload/youtube/v3/videos", post(open_session).put(put_chunk))
            .with_state(shared.clone());
        Self { server: FakeServer::start(router).await, faults, shared }
    }

    pub fn base_url(&self) -> &str {
        &self.server.base_url
    }

    pub fn videos(&self) -> Vec<FakeVideo> {
        self.shared.lock().videos.clone()
    }

    pub fn comments(&self) -> Vec<FakeComment> {
        self.shared.lock().comments.clone()
    }

    /// Every chunk received: (first byte, length).
    pub fn chunks(&self) -> Vec<(usize, usize)> {
        self.shared.lock().chunks.clone()
    }

    pub fn revoked(&self) -> Vec<String> {
        self.shared.lock().revoked.clone()
    }

    /// How many status polls a new video answers "processing" to.
    pub fn set_processing_polls(&self, polls: u32) {
        self.shared.lock().processing_polls = polls;
    }

    /// The next video YouTube rejects after processing (a duplicate, say).
    pub fn reject_next_video(&self) {
        self.shared.lock().processing_polls = u32::MAX;
    }

    pub fn set_video_stats(&self, id: &str, views: u64, likes: u64) {
        if let Some(video) = self.shared.lock().videos.iter_mut().find(|v| v.id == id) {
            video.views = views;
            video.likes = likes;
        }
    }

    /// A viewer's comment (or reply, with `parent_id`) on a video.
    pub fn add_comment(&self, video_id: &str, parent_id: Option<&str>, author_channel_id: &str, text: &str, published_at: &str) -> String {
        let mut inner = self.shared.lock();
        inner.next_id += 1;
        let id = format!("Ug{}", inner.next_id);
        inner.comments.push(FakeComment {
            id: id.clone(),
            video_id: video_id.into(),
            parent_id: parent_id.map(str::to_owned),
            author_channel_id: author_channel_id.into(),
            author: format!("Viewer {author_channel_id}"),
            text: text.into(),
            published_at: published_at.into(),
        });
        id
    }
}

async fn token(State(shared): State<Shared>, body: Bytes) -> Response {
    if let Err(response) = play(&shared.faults, "POST /token").await {
        return response;
    }
    let form = form(&body);
    let field = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    if field("client_id") != CLIENT_ID || field("client_secret") != CLIENT_SECRET {
        return (StatusCode::UNAUTHORIZED, Json(json!({ "error": "invalid_client", "error_description": "Unauthorized" }))).into_response();
    }
    let invalid =
        || (StatusCode::BAD_REQUEST, Json(json!({ "error": "invalid_grant", "error_description": "Token has been expired or revoked." }))).into_response();
    let scope = "https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.force-ssl";
    match field("grant_type") {
        "authorization_code" => {
            if field("code") != CODE || field("code_verifier").len() < 43 || field("redirect_uri").is_empty() {
                return invalid();
            }
            Json(json!({ "access_token": ACCESS_TOKEN, "expires_in": 3599, "refresh_token": REFRESH_TOKEN, "scope": scope, "token_type": "Bearer" }))
                .into_response()
        }
        "refresh_token" => {
            if field("refresh_token") != REFRESH_TOKEN {
                return invalid();
            }
            let mut inner = shared.lock();
            inner.next_id += 1;
            let fresh = format!("yt-access-{}", inner.next_id);
            inner.access_tokens.push(fresh.clone());
            Json(json!({ "access_token": fresh, "expires_in": 3599, "scope": scope, "token_type": "Bearer" })).into_response()
        }
        _ => (StatusCode::BAD_REQUEST, Json(json!({ "error": "unsupported_grant_type" }))).into_response(),
    }
}

async fn revoke(State(shared): State<Shared>, body: Bytes) -> Response {
    let form = form(&body);
    let mut inner = shared.lock();
    let token = form.get("token").cloned().unwrap_or_default();
    if !inner.access_tokens.contains(&token) {
        return (StatusCode::BAD_REQUEST, Json(json!({ "error": "invalid_token", "error_description": "Token expired or revoked" }))).into_response();
    }
    inner.access_tokens.retain(|t| *t != token);
    inner.revoked.push(token);
    StatusCode::OK.into_response()
}

async fn channels(State(shared): State<Shared>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Err(response) = play(&shared.faults, "GET /youtube/v3/channels").await {
        return response;
    }
    if let Err(response) = shared.authorized(&headers) {
        return response;
    }
    if query.get("mine").map(String::as_str) != Some("true") || !query.contains_key("part") {
        return error(400, "missingRequiredParameter", "No filter selected. Expected one of: mine, id, forUsername");
    }
    let inner = shared.lock();
    let videos = inner.videos.len();
    Json(json!({ "kind": "youtube#channelListResponse", "items": [{
        "id": CHANNEL_ID,
        "snippet": { "title": "Fake Channel", "customUrl": "@fakechannel" },
        "contentDetails": { "relatedPlaylists": { "uploads": format!("UU{}", &CHANNEL_ID[2..]) } },
        "statistics": { "subscriberCount": inner.subscribers.to_string(), "videoCount": videos.to_string(), "viewCount": "0", "hiddenSubscriberCount": false },
    }]}))
    .into_response()
}

fn video_json(video: &FakeVideo, processing: bool) -> Value {
    let (upload_status, processing_status) = match (video.rejected, processing) {
        (true, _) => ("rejected", "failed"),
        (false, true) => ("uploaded", "processing"),
        (false, false) => ("processed", "succeeded"),
    };
    json!({
        "kind": "youtube#video",
        "id": video.id,
        "snippet": { "title": video.title, "description": video.description, "channelId": CHANNEL_ID },
        "status": { "uploadStatus": upload_status, "privacyStatus": video.privacy, "rejectionReason": if video.rejected { Some("duplicate") } else { None } },
        "processingDetails": { "processingStatus": processing_status },
        "statistics": { "viewCount": video.views.to_string(), "likeCount": video.likes.to_string(), "favoriteCount": "0", "commentCount": "0" },
    })
}

async fn list_videos(State(shared): State<Shared>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Err(response) = play(&shared.faults, "GET /youtube/v3/videos").await {
        return response;
    }
    if let Err(response) = shared.authorized(&headers) {
        return response;
    }
    let id = query.get("id").cloned().unwrap_or_default();
    let mut inner = shared.lock();
    let comments = inner.comments.iter().filter(|c| c.video_id == id).count();
    let items: Vec<Value> = inner
        .videos
        .iter_mut()
        .filter(|v| v.id == id)
        .map(|video| {
            let processing = video.polls_left > 0;
            if processing && video.polls_left != u32::MAX {
                video.polls_left -= 1;
            } else if video.polls_left == u32::MAX {
                video.rejected = true;
            }
            let mut value = video_json(video, processing && !video.rejected);
            value["statistics"]["commentCount"] = json!(comments.to_string());
            value
        })
        .collect();
    Json(json!({ "kind": "youtube#videoListResponse", "items": items })).into_response()
}

async fn delete_video(State(shared): State<Shared>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Err(response) = play(&shared.faults, "DELETE /youtube/v3/videos").await {
        return response;
    }
    if let Err(response) = shared.authorized(&headers) {
        return response;
    }
    let id = query.get("id").cloned().unwrap_or_default();
    let mut inner = shared.lock();
    let before = inner.videos.len();
    inner.videos.retain(|v| v.id != id);
    if inner.videos.len() == before {
        return error(404, "videoNotFound", "The video that you are trying to delete cannot be found.");
    }
    StatusCode::NO_CONTENT.into_response()
}

async fn playlist_items(State(shared): State<Shared>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Err(response) = shared.authorized(&headers) {
        return response;
    }
    if query.get("playlistId").map(String::as_str) != Some(&format!("UU{}", &CHANNEL_ID[2..])) {
        return error(404, "playlistNotFound", "The playlist identified with the request's playlistId parameter cannot be found.");
    }
    let inner = shared.lock();
    let items: Vec<Value> = inner
        .videos
        .iter()
        .rev()
        .map(|v| json!({ "snippet": { "title": v.title, "description": v.description, "resourceId": { "kind": "youtube#video", "videoId": v.id } } }))
        .collect();
    Json(json!({ "items": items })).into_response()
}

fn comment_json(comment: &FakeComment) -> Value {
    json!({ "id": comment.id, "snippet": {
        "videoId": comment.video_id,
        "textDisplay": comment.text,
        "textOriginal": comment.text,
        "parentId": comment.parent_id,
        "authorDisplayName": comment.author,
        "authorChannelId": { "value": comment.author_channel_id },
        "publishedAt": comment.published_at,
    }})
}

async fn list_threads(State(shared): State<Shared>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Err(response) = play(&shared.faults, "GET /youtube/v3/commentThreads").await {
        return response;
    }
    if let Err(response) = shared.authorized(&headers) {
        return response;
    }
    if query.get("allThreadsRelatedToChannelId").map(String::as_str) != Some(CHANNEL_ID) {
        return error(404, "channelNotFound", "The channel could not be found.");
    }
    let inner = shared.lock();
    let items: Vec<Value> = inner
        .comments
        .iter()
        .filter(|c| c.parent_id.is_none())
        .rev()
        .map(|top| {
            let replies: Vec<Value> = inner.comments.iter().filter(|c| c.parent_id.as_deref() == Some(top.id.as_str())).map(comment_json).collect();
            json!({ "id": top.id, "snippet": { "videoId": top.video_id, "topLevelComment": comment_json(top), "totalReplyCount": replies.len() }, "replies": { "comments": replies } })
        })
        .collect();
    Json(json!({ "items": items })).into_response()
}

/// When the fake's own comments are made: a fixed instant (the adapter skips the channel's own
/// comments in the inbox, so their time does not matter to tests).
const OWN_COMMENT_AT: &str = "2026-12-01T00:00:00Z";

async fn insert_thread(State(shared): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Err(response) = play(&shared.faults, "POST /youtube/v3/commentThreads").await {
        return response;
    }
    if let Err(response) = shared.authorized(&headers) {
        return response;
    }
    let video_id = body["snippet"]["videoId"].as_str().unwrap_or_default().to_owned();
    let text = body["snippet"]["topLevelComment"]["snippet"]["textOriginal"].as_str().unwrap_or_default().to_owned();
    if text.is_empty() {
        return error(400, "commentTextRequired", "The comment resource must contain a value for snippet.topLevelComment.snippet.textOriginal.");
    }
    let mut inner = shared.lock();
    if !inner.videos.iter().any(|v| v.id == video_id) {
        return error(404, "videoNotFound", "The video identified by the videoId parameter could not be found.");
    }
    inner.next_id += 1;
    let comment = FakeComment {
        id: format!("Ug{}", inner.next_id),
        video_id,
        parent_id: None,
        author_channel_id: CHANNEL_ID.into(),
        author: "Fake Channel".into(),
        text,
        published_at: OWN_COMMENT_AT.into(),
    };
    inner.comments.push(comment.clone());
    Json(json!({ "id": comment.id, "snippet": { "videoId": comment.video_id, "topLevelComment": comment_json(&comment) } })).into_response()
}

async fn insert_reply(State(shared): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Err(response) = play(&shared.faults, "POST /youtube/v3/comments").await {
        return response;
    }
    if let Err(response) = shared.authorized(&headers) {
        return response;
    }
    let parent = body["snippet"]["parentId"].as_str().unwrap_or_default().to_owned();
    let text = body["snippet"]["textOriginal"].as_str().unwrap_or_default().to_owned();
    let mut inner = shared.lock();
    let Some(video_id) = inner.comments.iter().find(|c| c.id == parent && c.parent_id.is_none()).map(|c| c.video_id.clone()) else {
        return error(404, "parentCommentNotFound", "The parent comment could not be found.");
    };
    if text.is_empty() {
        return error(400, "commentTextRequired", "The comment must contain text.");
    }
    inner.next_id += 1;
    let comment = FakeComment {
        id: format!("Ug{}.{}", parent, inner.next_id),
        video_id,
        parent_id: Some(parent),
        author_channel_id: CHANNEL_ID.into(),
        author: "Fake Channel".into(),
        text,
        published_at: OWN_COMMENT_AT.into(),
    };
    inner.comments.push(comment.clone());
    Json(comment_json(&comment)).into_response()
}

async fn open_session(State(shared): State<Shared>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>, Json(body): Json<Value>) -> Response {
    if let Err(response) = play(&shared.faults, "POST /upload/youtube/v3/videos").await {
        return response;
    }
    if let Err(response) = shared.authorized(&headers) {
        return response;
    }
    if query.get("uploadType").map(String::as_str) != Some("resumable") || !query.get("part").is_some_and(|p| p.contains("snippet")) {
        return error(400, "invalidParameter", "uploadType=resumable and part=snippet,status are required");
    }
    let title = body["snippet"]["title"].as_str().unwrap_or_default().to_owned();
    if title.trim().is_empty() || title.chars().count() > 100 || title.contains(['<', '>']) {
        return error(400, "invalidTitle", "The request metadata specifies an invalid or empty video title.");
    }
    let description = body["snippet"]["description"].as_str().unwrap_or_default().to_owned();
    if description.len() > 5000 {
        return error(400, "invalidDescription", "The request metadata specifies an invalid video description.");
    }
    let privacy = body["status"]["privacyStatus"].as_str().unwrap_or("public").to_owned();
    let Some(total) = headers.get("x-upload-content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok()) else {
        return error(400, "badContent", "X-Upload-Content-Length is required");
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).unwrap_or("127.0.0.1").to_owned();
    let mut inner = shared.lock();
    inner.next_id += 1;
    let id = format!("session{}", inner.next_id);
    inner.sessions.insert(id.clone(), Session { title, description, privacy, total, ..Session::default() });
    let location = format!("http://{host}/upload/youtube/v3/videos?uploadType=resumable&upload_id={id}");
    (StatusCode::OK, [(header::LOCATION, location)]).into_response()
}

fn incomplete(received: usize) -> Response {
    let mut response = Response::new(axum::body::Body::empty());
    *response.status_mut() = StatusCode::PERMANENT_REDIRECT;
    if received > 0
        && let Ok(value) = header::HeaderValue::from_str(&format!("bytes=0-{}", received - 1))
    {
        response.headers_mut().insert(header::RANGE, value);
    }
    response
}

async fn put_chunk(State(shared): State<Shared>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>, body: Bytes) -> Response {
    let fault = match play(&shared.faults, "PUT /upload/youtube/v3/videos").await {
        Ok(delay) => delay,
        Err(response) => return response,
    };
    if let Err(response) = shared.authorized(&headers) {
        return response;
    }
    let session_id = query.get("upload_id").cloned().unwrap_or_default();
    let range = headers.get(header::CONTENT_RANGE).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let response = {
        let mut inner = shared.lock();
        let processing_polls = inner.processing_polls;
        inner.next_id += 1;
        let next_id = inner.next_id;
        let Inner { sessions, videos, chunks, .. } = &mut *inner;
        let Some(session) = sessions.get_mut(&session_id) else { return error(404, "notFound", "Upload session not found") };
        if let Some(video_id) = &session.video_id {
            // A complete session answers with its video, whatever is asked.
            let video = videos.iter().find(|v| &v.id == video_id).cloned();
            return video.map(|v| (StatusCode::OK, Json(video_json(&v, false))).into_response()).unwrap_or_else(|| error(404, "notFound", "gone"));
        }
        if range == format!("bytes */{}", session.total) {
            return incomplete(session.received.len());
        }
        let Some((first, last, total)) = parse_range(&range) else { return error(400, "badContent", "Content-Range is malformed") };
        if total != session.total || first != session.received.len() || last + 1 - first != body.len() {
            return error(400, "badContent", "Content-Range does not match what was received");
        }
        let finishes = last + 1 == total;
        if !finishes && !body.len().is_multiple_of(CHUNK_UNIT) {
            return error(400, "badContent", "chunks other than the last must be multiples of 256 KiB");
        }
        chunks.push((first, body.len()));
        session.received.extend_from_slice(&body);
        if !finishes {
            incomplete(session.received.len())
        } else {
            if session.received.len() < 12 || &session.received[4..8] != b"ftyp" {
                return error(400, "invalidVideo", "The file is not a video YouTube can read");
            }
            let video = FakeVideo {
                id: format!("vid{next_id}"),
                title: session.title.clone(),
                description: session.description.clone(),
                privacy: session.privacy.clone(),
                bytes: total,
                polls_left: processing_polls,
                rejected: false,
                views: 0,
                likes: 0,
            };
            session.video_id = Some(video.id.clone());
            videos.push(video.clone());
            (StatusCode::CREATED, Json(video_json(&video, true))).into_response()
        }
    };
    after(fault, response).await
}

fn parse_range(raw: &str) -> Option<(usize, usize, usize)> {
    let rest = raw.strip_prefix("bytes ")?;
    let (span, total) = rest.split_once('/')?;
    let (first, last) = span.split_once('-')?;
    Some((first.parse().ok()?, last.parse().ok()?, total.parse().ok()?))
}
