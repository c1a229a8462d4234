//! A fake of the X API v2 for the X adapter's tests: OAuth 2.0 token and revoke endpoints (HTTP
//! Basic for a confidential client, PKCE S256 checked), `POST /2/tweets` with media and replies,
//! `DELETE /2/tweets/:id`, the v2 chunked media upload with status polls and alt text, users,
//! timelines, mentions, DMs and metrics. Errors use X's problem bodies. Follows
//! <https://docs.x.com/x-api/posts/manage-tweets>, <https://docs.x.com/x-api/media/quickstart/media-upload-chunked>,
//! <https://docs.x.com/fundamentals/authentication/oauth-2-0/user-access-token> and
//! <https://docs.x.com/x-api/fundamentals/response-codes-and-errors>.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex, MutexGuard},
};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{Multipart, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::Response,
    routing::{delete, get, post},
};
use base64::{Engine, engine::general_purpose::STANDARD, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{FakeServer, Fault, FaultQueue};

pub const CLIENT_ID: &str = "x-client";
pub const CLIENT_SECRET: &str = "x-secret";
pub const USER_ID: &str = "1700000000000000001";
pub const USERNAME: &str = "zenalto_test";
/// The weighted-length limit, counted here in code points (the fake does not weigh CJK or URLs).
pub const TEXT_LIMIT: usize = 280;

#[derive(Clone, Debug, Default)]
pub struct Metrics {
    pub likes: u64,
    pub replies: u64,
    pub retweets: u64,
    pub quotes: u64,
    pub bookmarks: u64,
    pub impressions: u64,
    pub link_clicks: u64,
    pub profile_clicks: u64,
}

#[derive(Clone, Debug)]
pub struct Tweet {
    pub id: String,
    pub author_id: String,
    pub text: String,
    pub media_ids: Vec<String>,
    pub reply_to: Option<String>,
    pub conversation_id: String,
    pub deleted: bool,
    pub metrics: Metrics,
}

#[derive(Clone, Debug)]
pub struct Media {
    pub id: String,
    pub media_type: String,
    pub category: String,
    pub total_bytes: usize,
    pub bytes: Vec<u8>,
    pub segments: Vec<usize>,
    pub finalized: bool,
    pub polls_left: u32,
    pub status_polls: u32,
    pub alt_text: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Dm {
    pub id: String,
    pub conversation_id: String,
    pub sender_id: String,
    pub text: String,
}

#[derive(Default)]
struct XState {
    tokens: HashSet<String>,
    refresh_tokens: HashSet<String>,
    codes: HashMap<String, (String, String)>,
    tweets: Vec<Tweet>,
    media: HashMap<String, Media>,
    dms: Vec<Dm>,
    users: HashMap<String, String>,
    revoked: Vec<String>,
    next_id: u64,
    processing_polls: u32,
    dms_forbidden: bool,
    followers: u64,
}

impl XState {
    fn id(&mut self) -> String {
        self.next_id += 1;
        (1_800_000_000_000_000_000u64 + self.next_id).to_string()
    }
}

#[derive(Clone)]
struct App {
    state: Arc<Mutex<XState>>,
    faults: FaultQueue,
}

impl App {
    fn lock(&self) -> MutexGuard<'_, XState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn authorized(&self, headers: &HeaderMap) -> bool {
        let token = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
        self.lock().tokens.contains(token)
    }
}

/// A running fake X.
pub struct XFake {
    pub server: FakeServer,
    pub faults: FaultQueue,
    state: Arc<Mutex<XState>>,
}

impl XFake {
    pub async fn start() -> Self {
        let mut initial = XState { followers: 42, ..XState::default() };
        initial.tokens.insert("x-access-1".into());
        initial.users.insert(USER_ID.into(), USERNAME.into());
        let state = Arc::new(Mutex::new(initial));
        let faults = FaultQueue::default();
        let app = App { state: state.clone(), faults: faults.clone() };
        let router = Router::new()
            .route("/2/oauth2/token", post(token))
            .route("/2/oauth2/revoke", post(revoke))
            .route("/2/users/me", get(me))
            .route("/2/users/{id}/tweets", get(user_tweets))
            .route("/2/users/{id}/mentions", get(mentions))
            .route("/2/tweets", post(create_tweet))
            .route("/2/tweets/{id}", delete(delete_tweet).get(get_tweet))
            .route("/2/media/upload/initialize", post(media_init))
            .route("/2/media/upload/{id}/append", post(media_append))
            .route("/2/media/upload/{id}/finalize", post(media_finalize))
            .route("/2/media/upload", get(media_status))
            .route("/2/media/metadata", post(media_metadata))
            .route("/2/dm_events", get(dm_events))
            .route("/2/dm_conversations/{id}/messages", post(dm_send))
            .with_state(app);
        Self { server: FakeServer::start(router).await, faults, state }
    }

    fn lock(&self) -> MutexGuard<'_, XState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn base_url(&self) -> &str {
        &self.server.base_url
    }

    /// A valid access token of the test user.
    pub fn token(&self) -> &'static str {
        "x-access-1"
    }

    /// The person approved the app: a code bound to this PKCE challenge and redirect.
    pub fn authorize(&self, challenge: &str, redirect_uri: &str) -> String {
        let mut state = self.lock();
        let code = format!("code-{}", state.id());
        state.codes.insert(code.clone(), (challenge.to_owned(), redirect_uri.to_owned()));
        code
    }

    /// Every tweet posted through the API, deleted ones included (see `Tweet::deleted`).
    pub fn tweets(&self) -> Vec<Tweet> {
        self.lock().tweets.iter().filter(|t| t.author_id == USER_ID).cloned().collect()
    }

    /// The tweets still up.
    pub fn live_tweets(&self) -> Vec<Tweet> {
        self.tweets().into_iter().filter(|t| !t.deleted).collect()
    }

    pub fn media(&self, id: &str) -> Option<Media> {
        self.lock().media.get(id).cloned()
    }

    pub fn dms(&self) -> Vec<Dm> {
        self.lock().dms.clone()
    }

    pub fn revoked(&self) -> Vec<String> {
        self.lock().revoked.clone()
    }

    pub fn token_is_valid(&self, token: &str) -> bool {
        self.lock().tokens.contains(token)
    }

    /// How many status checks a video or GIF needs before it is processed.
    pub fn set_processing_polls(&self, polls: u32) {
        self.lock().processing_polls = polls;
    }

    /// The app's access tier has no DM endpoints.
    pub fn forbid_dms(&self) {
        self.lock().dms_forbidden = true;
    }

    pub fn set_metrics(&self, tweet_id: &str, metrics: Metrics) {
        if let Some(tweet) = self.lock().tweets.iter_mut().find(|t| t.id == tweet_id) {
            tweet.metrics = metrics;
        }
    }

    /// Someone else mentions the user, or replies to `reply_to`.
    pub fn add_mention(&self, author_id: &str, username: &str, text: &str, reply_to: Option<&str>) -> String {
        let mut state = self.lock();
        let id = state.id();
        state.users.insert(author_id.to_owned(), username.to_owned());
        let conversation_id = reply_to.and_then(|r| state.tweets.iter().find(|t| t.id == r)).map(|t| t.conversation_id.clone()).unwrap_or_else(|| id.clone());
        let text = if text.contains(&format!("@{USERNAME}")) { text.to_owned() } else { format!("@{USERNAME} {text}") };
        state.tweets.push(Tweet {
            id: id.clone(),
            author_id: author_id.to_owned(),
            text,
            media_ids: vec![],
            reply_to: reply_to.map(str::to_owned),
            conversation_id,
            deleted: false,
            metrics: Metrics::default(),
        });
        id
    }

    /// A direct message to the user; returns the event id.
    pub fn add_dm(&self, sender_id: &str, text: &str) -> String {
        let mut state = self.lock();
        let id = state.id();
        let conversation_id = format!("{sender_id}-{USER_ID}");
        state.dms.push(Dm { id: id.clone(), conversation_id, sender_id: sender_id.to_owned(), text: text.to_owned() });
        id
    }
}

fn reply(status: u16, body: Value) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert("content-type", axum::http::HeaderValue::from_static("application/json"));
    response.headers_mut().insert("x-rate-limit-limit", axum::http::HeaderValue::from_static("100"));
    response.headers_mut().insert("x-rate-limit-remaining", axum::http::HeaderValue::from_static("99"));
    response
}

fn unauthorized() -> Response {
    reply(401, json!({ "title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized" }))
}

fn invalid(message: &str) -> Response {
    reply(
        400,
        json!({ "errors": [{ "message": message }], "title": "Invalid Request", "detail": "One or more parameters to your request was invalid.", "type": "https://api.x.com/2/problems/invalid-request" }),
    )
}

fn not_found(id: &str) -> Response {
    reply(
        404,
        json!({ "errors": [{ "value": id, "detail": format!("Could not find tweet with id: [{id}].") , "title": "Not Found Error", "type": "https://api.x.com/2/problems/resource-not-found" }], "title": "Not Found Error", "type": "https://api.x.com/2/problems/resource-not-found" }),
    )
}

/// Plays the fault armed for `route`, or does the work.
async fn play(faults: &FaultQueue, route: &str, work: impl Future<Output = Response>) -> Response {
    match faults.take(route) {
        Some(fault @ Fault::Status { .. }) => fault.response().unwrap_or_else(|| reply(500, json!({}))),
        Some(Fault::Delay(wait)) => {
            tokio::time::sleep(wait).await;
            work.await
        }
        Some(Fault::ApplyThenDelay(wait)) => {
            let response = work.await;
            tokio::time::sleep(wait).await;
            response
        }
        None => work.await,
    }
}

fn form(body: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

/// The client's credentials: HTTP Basic (confidential) or `client_id` in the body (public).
fn client_ok(headers: &HeaderMap, fields: &HashMap<String, String>) -> bool {
    if let Some(basic) = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Basic ")) {
        return STANDARD.decode(basic).ok().and_then(|raw| String::from_utf8(raw).ok()).is_some_and(|pair| pair == format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    }
    fields.get("client_id").is_some_and(|id| id == CLIENT_ID)
}

fn issue(state: &mut XState) -> Value {
    let access = format!("x-access-{}", state.id());
    let refresh = format!("x-refresh-{}", state.id());
    state.tokens.insert(access.clone());
    state.refresh_tokens.insert(refresh.clone());
    json!({ "token_type": "bearer", "expires_in": 7200, "access_token": access, "scope": "tweet.read tweet.write users.read media.write offline.access", "refresh_token": refresh })
}

async fn token(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    play(&app.faults.clone(), "POST /2/oauth2/token", async move {
        let fields = form(&body);
        if !client_ok(&headers, &fields) {
            return reply(401, json!({ "error": "unauthorized_client", "error_description": "Missing valid authorization header" }));
        }
        let mut state = app.lock();
        match fields.get("grant_type").map(String::as_str) {
            Some("authorization_code") => {
                let code = fields.get("code").cloned().unwrap_or_default();
                let Some((challenge, redirect)) = state.codes.remove(&code) else {
                    return reply(400, json!({ "error": "invalid_request", "error_description": "Value passed for the authorization code was invalid." }));
                };
                let verifier = fields.get("code_verifier").cloned().unwrap_or_default();
                if URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())) != challenge || fields.get("redirect_uri") != Some(&redirect) {
                    return reply(400, json!({ "error": "invalid_request", "error_description": "Value passed for the authorization code was invalid." }));
                }
                reply(200, issue(&mut state))
            }
            Some("refresh_token") => {
                let refresh = fields.get("refresh_token").cloned().unwrap_or_default();
                if !state.refresh_tokens.remove(&refresh) {
                    return reply(400, json!({ "error": "invalid_request", "error_description": "Value passed for the token was invalid." }));
                }
                reply(200, issue(&mut state))
            }
            _ => reply(400, json!({ "error": "invalid_request", "error_description": "Missing required parameter [grant_type]." })),
        }
    })
    .await
}

async fn revoke(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    play(&app.faults.clone(), "POST /2/oauth2/revoke", async move {
        let fields = form(&body);
        if !client_ok(&headers, &fields) {
            return reply(401, json!({ "error": "unauthorized_client", "error_description": "Missing valid authorization header" }));
        }
        let token = fields.get("token").cloned().unwrap_or_default();
        let mut state = app.lock();
        state.tokens.remove(&token);
        state.refresh_tokens.remove(&token);
        state.revoked.push(token);
        reply(200, json!({ "revoked": true }))
    })
    .await
}

async fn me(State(app): State<App>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    play(&app.faults.clone(), "GET /2/users/me", async move {
        if !app.authorized(&headers) {
            return unauthorized();
        }
        let followers = app.lock().followers;
        let mut user = json!({ "id": USER_ID, "name": "Zenalto Test", "username": USERNAME });
        if query.get("user.fields").is_some_and(|f| f.contains("public_metrics")) {
            let tweets = app.lock().tweets.iter().filter(|t| t.author_id == USER_ID && !t.deleted).count();
            user["public_metrics"] = json!({ "followers_count": followers, "following_count": 7, "tweet_count": tweets, "listed_count": 0 });
        }
        reply(200, json!({ "data": user }))
    })
    .await
}

fn tweet_json(tweet: &Tweet) -> Value {
    let mut value = json!({ "id": tweet.id, "text": tweet.text, "author_id": tweet.author_id, "conversation_id": tweet.conversation_id, "created_at": "2026-01-15T08:00:00.000Z", "edit_history_tweet_ids": [tweet.id] });
    if let Some(to) = &tweet.reply_to {
        value["referenced_tweets"] = json!([{ "type": "replied_to", "id": to }]);
    }
    value
}

async fn user_tweets(State(app): State<App>, headers: HeaderMap, Path(id): Path<String>, Query(query): Query<HashMap<String, String>>) -> Response {
    play(&app.faults.clone(), "GET /2/users/tweets", async move {
        if !app.authorized(&headers) {
            return unauthorized();
        }
        let max: usize = query.get("max_results").and_then(|m| m.parse().ok()).unwrap_or(10);
        if !(5..=100).contains(&max) {
            return invalid("The `max_results` query parameter value is not between 5 and 100");
        }
        let exclude_replies = query.get("exclude").is_some_and(|e| e.contains("replies"));
        let state = app.lock();
        let data: Vec<Value> =
            state.tweets.iter().rev().filter(|t| t.author_id == id && !t.deleted && !(exclude_replies && t.reply_to.is_some())).take(max).map(tweet_json).collect();
        if data.is_empty() {
            return reply(200, json!({ "meta": { "result_count": 0 } }));
        }
        reply(200, json!({ "meta": { "result_count": data.len(), "newest_id": data[0]["id"] }, "data": data }))
    })
    .await
}

async fn mentions(State(app): State<App>, headers: HeaderMap, Path(id): Path<String>, Query(query): Query<HashMap<String, String>>) -> Response {
    play(&app.faults.clone(), "GET /2/users/mentions", async move {
        if !app.authorized(&headers) {
            return unauthorized();
        }
        let since = query.get("since_id").cloned().unwrap_or_default();
        let state = app.lock();
        let username = state.users.get(&id).cloned().unwrap_or_default();
        let found: Vec<&Tweet> = state
            .tweets
            .iter()
            .rev()
            .filter(|t| t.author_id != id && t.text.contains(&format!("@{username}")) && (since.is_empty() || (t.id.len(), &t.id) > (since.len(), &since)))
            .collect();
        if found.is_empty() {
            return reply(200, json!({ "meta": { "result_count": 0 } }));
        }
        let users: Vec<Value> =
            found.iter().map(|t| json!({ "id": t.author_id, "username": state.users.get(&t.author_id).cloned().unwrap_or_default(), "name": "Someone" })).collect();
        let data: Vec<Value> = found.iter().map(|t| tweet_json(t)).collect();
        reply(
            200,
            json!({ "data": data, "includes": { "users": users }, "meta": { "result_count": data.len(), "newest_id": found[0].id, "oldest_id": found[found.len() - 1].id } }),
        )
    })
    .await
}

async fn create_tweet(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    play(&app.faults.clone(), "POST /2/tweets", async move {
        if !app.authorized(&headers) {
            return unauthorized();
        }
        let Ok(body) = serde_json::from_slice::<Value>(&body) else {
            return invalid("Request body is not valid JSON");
        };
        let text = body["text"].as_str().unwrap_or("").to_owned();
        let media_ids: Vec<String> = body["media"]["media_ids"].as_array().map(|ids| ids.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect()).unwrap_or_default();
        if text.is_empty() && media_ids.is_empty() {
            return invalid("$.text or $.media is required");
        }
        if text.chars().count() > TEXT_LIMIT {
            return reply(400, json!({ "title": "Invalid Request", "detail": "Your Tweet text is too long.", "type": "https://api.x.com/2/problems/invalid-request" }));
        }
        let mut state = app.lock();
        if media_ids.len() > 4 {
            return invalid("$.media.media_ids: size must be between 1 and 4");
        }
        for id in &media_ids {
            match state.media.get(id) {
                Some(m) if m.finalized && m.polls_left == 0 => {}
                _ => return invalid("Your media IDs are invalid."),
            }
        }
        let reply_to = body["reply"]["in_reply_to_tweet_id"].as_str().map(str::to_owned);
        let conversation_id = match &reply_to {
            Some(to) => match state.tweets.iter().find(|t| &t.id == to && !t.deleted) {
                Some(parent) => Some(parent.conversation_id.clone()),
                None => {
                    return reply(
                        403,
                        json!({ "detail": "You attempted to reply to a Tweet that is deleted or not visible to you.", "type": "about:blank", "title": "Forbidden", "status": 403 }),
                    );
                }
            },
            None => None,
        };
        if state.tweets.iter().any(|t| t.author_id == USER_ID && !t.deleted && t.text == text && !text.is_empty()) {
            return reply(403, json!({ "detail": "You are not allowed to create a Tweet with duplicate content.", "type": "about:blank", "title": "Forbidden", "status": 403 }));
        }
        let id = state.id();
        let conversation_id = conversation_id.unwrap_or_else(|| id.clone());
        state.tweets.push(Tweet {
            id: id.clone(),
            author_id: USER_ID.into(),
            text: text.clone(),
            media_ids,
            reply_to,
            conversation_id,
            deleted: false,
            metrics: Metrics::default(),
        });
        reply(201, json!({ "data": { "id": id, "text": text, "edit_history_tweet_ids": [id] } }))
    })
    .await
}

async fn delete_tweet(State(app): State<App>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    play(&app.faults.clone(), "DELETE /2/tweets", async move {
        if !app.authorized(&headers) {
            return unauthorized();
        }
        let mut state = app.lock();
        match state.tweets.iter_mut().find(|t| t.id == id && !t.deleted) {
            Some(t) if t.author_id != USER_ID => {
                reply(403, json!({ "detail": "You are not allowed to delete this Tweet.", "type": "about:blank", "title": "Forbidden", "status": 403 }))
            }
            Some(t) => {
                t.deleted = true;
                reply(200, json!({ "data": { "deleted": true } }))
            }
            None => not_found(&id),
        }
    })
    .await
}

async fn get_tweet(State(app): State<App>, headers: HeaderMap, Path(id): Path<String>, Query(query): Query<HashMap<String, String>>) -> Response {
    play(&app.faults.clone(), "GET /2/tweets", async move {
        if !app.authorized(&headers) {
            return unauthorized();
        }
        let state = app.lock();
        let Some(tweet) = state.tweets.iter().find(|t| t.id == id && !t.deleted) else { return not_found(&id) };
        let fields = query.get("tweet.fields").cloned().unwrap_or_default();
        let m = &tweet.metrics;
        let mut value = tweet_json(tweet);
        if fields.contains("public_metrics") {
            value["public_metrics"] = json!({ "retweet_count": m.retweets, "reply_count": m.replies, "like_count": m.likes, "quote_count": m.quotes, "bookmark_count": m.bookmarks, "impression_count": m.impressions });
        }
        if fields.contains("non_public_metrics") {
            if tweet.author_id != USER_ID {
                return reply(403, json!({ "title": "Authorization Error", "detail": "Sorry, you are not authorized to see the non_public_metrics of this Tweet.", "type": "https://api.x.com/2/problems/not-authorized-for-resource" }));
            }
            value["non_public_metrics"] = json!({ "impression_count": m.impressions, "url_link_clicks": m.link_clicks, "user_profile_clicks": m.profile_clicks });
        }
        reply(200, json!({ "data": value }))
    })
    .await
}

async fn media_init(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    play(&app.faults.clone(), "POST /2/media/upload/initialize", async move {
        if !app.authorized(&headers) {
            return unauthorized();
        }
        let Ok(body) = serde_json::from_slice::<Value>(&body) else { return invalid("Request body is not valid JSON") };
        let media_type = body["media_type"].as_str().unwrap_or("").to_owned();
        let category = body["media_category"].as_str().unwrap_or("").to_owned();
        let Some(total_bytes) = body["total_bytes"].as_u64() else { return invalid("$.total_bytes is required") };
        if !["image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/quicktime"].contains(&media_type.as_str()) {
            return invalid("$.media_type: unsupported media type");
        }
        if !["tweet_image", "tweet_gif", "tweet_video", "amplify_video", "subtitles"].contains(&category.as_str()) {
            return invalid("$.media_category: must be one of [tweet_image, tweet_gif, tweet_video, amplify_video, subtitles]");
        }
        let mut state = app.lock();
        let id = state.id();
        let media = Media {
            id: id.clone(),
            media_type,
            category,
            total_bytes: total_bytes as usize,
            bytes: vec![],
            segments: vec![],
            finalized: false,
            polls_left: 0,
            status_polls: 0,
            alt_text: None,
        };
        state.media.insert(id.clone(), media);
        reply(200, json!({ "data": { "id": id, "media_key": format!("3_{id}"), "expires_after_secs": 86400 } }))
    })
    .await
}

async fn media_append(State(app): State<App>, headers: HeaderMap, Path(id): Path<String>, mut form: Multipart) -> Response {
    let faults = app.faults.clone();
    if let Some(fault @ Fault::Status { .. }) = faults.take("POST /2/media/upload/append") {
        return fault.response().unwrap_or_else(|| reply(500, json!({})));
    }
    if !app.authorized(&headers) {
        return unauthorized();
    }
    let (mut index, mut chunk) = (None, None);
    while let Ok(Some(field)) = form.next_field().await {
        match field.name() {
            Some("segment_index") => index = field.text().await.ok().and_then(|t| t.parse::<usize>().ok()),
            Some("media") => chunk = field.bytes().await.ok(),
            _ => {}
        }
    }
    let (Some(index), Some(chunk)) = (index, chunk) else { return invalid("segment_index and media are required") };
    let mut state = app.lock();
    let Some(media) = state.media.get_mut(&id) else { return invalid("$.media_id: not a valid media id") };
    if media.finalized || index != media.segments.len() {
        return invalid("segment_index out of order");
    }
    media.segments.push(chunk.len());
    media.bytes.extend_from_slice(&chunk);
    reply(200, json!({ "data": { "expires_at": 1_900_000_000 } }))
}

fn magic_ok(media_type: &str, bytes: &[u8]) -> bool {
    match media_type {
        "image/jpeg" => bytes.starts_with(&[0xFF, 0xD8, 0xFF]),
        "image/png" => bytes.starts_with(&[0x89, b'P', b'N', b'G']),
        "image/gif" => bytes.starts_with(b"GIF8"),
        "image/webp" => bytes.len() > 12 && &bytes[8..12] == b"WEBP",
        _ => bytes.len() > 8 && &bytes[4..8] == b"ftyp",
    }
}

async fn media_finalize(State(app): State<App>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    play(&app.faults.clone(), "POST /2/media/upload/finalize", async move {
        if !app.authorized(&headers) {
            return unauthorized();
        }
        let mut state = app.lock();
        let polls = state.processing_polls;
        let Some(media) = state.media.get_mut(&id) else { return invalid("$.media_id: not a valid media id") };
        if media.bytes.len() != media.total_bytes {
            return invalid("File size mismatch: the segments do not add up to total_bytes");
        }
        if !magic_ok(&media.media_type, &media.bytes) {
            return invalid("InvalidMedia: the file is not the declared media_type");
        }
        media.finalized = true;
        let asynchronous = media.category != "tweet_image";
        media.polls_left = if asynchronous { polls } else { 0 };
        let mut data = json!({ "id": id, "media_key": format!("3_{id}"), "size": media.total_bytes, "expires_after_secs": 86400 });
        if asynchronous {
            let state = if media.polls_left == 0 { "succeeded" } else { "pending" };
            data["processing_info"] = json!({ "state": state, "check_after_secs": 1 });
        }
        reply(200, json!({ "data": data }))
    })
    .await
}

async fn media_status(State(app): State<App>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    play(&app.faults.clone(), "GET /2/media/upload", async move {
        if !app.authorized(&headers) {
            return unauthorized();
        }
        if query.get("command").map(String::as_str) != Some("STATUS") {
            return invalid("command must be STATUS");
        }
        let id = query.get("media_id").cloned().unwrap_or_default();
        let mut state = app.lock();
        let Some(media) = state.media.get_mut(&id) else { return invalid("$.media_id: not a valid media id") };
        media.status_polls += 1;
        media.polls_left = media.polls_left.saturating_sub(1);
        let (state, progress) = if media.polls_left == 0 { ("succeeded", 100) } else { ("in_progress", 50) };
        reply(200, json!({ "data": { "id": id, "media_key": format!("7_{id}"), "processing_info": { "state": state, "check_after_secs": 1, "progress_percent": progress } } }))
    })
    .await
}

async fn media_metadata(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    play(&app.faults.clone(), "POST /2/media/metadata", async move {
        if !app.authorized(&headers) {
            return unauthorized();
        }
        let Ok(body) = serde_json::from_slice::<Value>(&body) else { return invalid("Request body is not valid JSON") };
        let id = body["id"].as_str().unwrap_or("").to_owned();
        let Some(alt) = body["metadata"]["alt_text"]["text"].as_str() else { return invalid("$.metadata.alt_text.text is required") };
        if alt.chars().count() > 1000 {
            return invalid("$.metadata.alt_text.text: must be at most 1000 characters");
        }
        let mut state = app.lock();
        let Some(media) = state.media.get_mut(&id) else { return invalid("$.id: not a valid media id") };
        media.alt_text = Some(alt.to_owned());
        reply(200, json!({ "data": { "id": id, "associated_metadata": { "alt_text": { "text": alt } } } }))
    })
    .await
}

fn dms_forbidden() -> Response {
    reply(
        403,
        json!({ "title": "Client Forbidden", "detail": "This request must be made using an approved developer account that is enrolled in the requested endpoint.", "type": "https://api.x.com/2/problems/client-forbidden", "reason": "client-not-enrolled" }),
    )
}

async fn dm_events(State(app): State<App>, headers: HeaderMap) -> Response {
    play(&app.faults.clone(), "GET /2/dm_events", async move {
        if !app.authorized(&headers) {
            return unauthorized();
        }
        let state = app.lock();
        if state.dms_forbidden {
            return dms_forbidden();
        }
        let data: Vec<Value> = state
            .dms
            .iter()
            .rev()
            .map(|d| json!({ "id": d.id, "event_type": "MessageCreate", "text": d.text, "sender_id": d.sender_id, "dm_conversation_id": d.conversation_id, "created_at": "2026-01-15T08:00:00.000Z" }))
            .collect();
        reply(200, json!({ "data": data, "meta": { "result_count": data.len() } }))
    })
    .await
}

async fn dm_send(State(app): State<App>, headers: HeaderMap, Path(conversation): Path<String>, body: Bytes) -> Response {
    play(&app.faults.clone(), "POST /2/dm_conversations/messages", async move {
        if !app.authorized(&headers) {
            return unauthorized();
        }
        let Ok(body) = serde_json::from_slice::<Value>(&body) else { return invalid("Request body is not valid JSON") };
        let Some(text) = body["text"].as_str() else { return invalid("$.text or $.attachments is required") };
        let mut state = app.lock();
        if state.dms_forbidden {
            return dms_forbidden();
        }
        if !state.dms.iter().any(|d| d.conversation_id == conversation) {
            return not_found(&conversation);
        }
        let id = state.id();
        state.dms.push(Dm { id: id.clone(), conversation_id: conversation.clone(), sender_id: USER_ID.into(), text: text.to_owned() });
        reply(201, json!({ "data": { "dm_conversation_id": conversation, "dm_event_id": id } }))
    })
    .await
}
