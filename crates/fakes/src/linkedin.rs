//! A fake of LinkedIn's REST API for the LinkedIn adapter's tests: the OAuth 2.0 token endpoint
//! (client secret in the body), OpenID `userinfo`, organization roles, the Images and Videos
//! APIs (upload URLs on this server, multipart video parts with ETags, processing polls), the
//! Posts API (URN in `x-restli-id`, duplicates refused with `DUPLICATE_POST`), comments through
//! socialActions, share statistics and follower counts. Every versioned call must carry
//! `LinkedIn-Version` and `X-Restli-Protocol-Version: 2.0.0`. Follows
//! <https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/posts-api>,
//! <https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/images-api>,
//! <https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/videos-api>,
//! <https://learn.microsoft.com/en-us/linkedin/marketing/community-management/shares/comments-api> and
//! <https://learn.microsoft.com/en-us/linkedin/shared/authentication/authorization-code-flow>.

use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex, MutexGuard},
};

use axum::{
    Router,
    body::{Body, Bytes},
    extract::{Path, Query, RawQuery, State},
    http::{HeaderMap, HeaderValue, StatusCode},
    response::Response,
    routing::{get, post, put},
};
use serde_json::{Value, json};

use crate::{FakeServer, Fault, FaultQueue};

pub const CLIENT_ID: &str = "li-client";
pub const CLIENT_SECRET: &str = "li-secret";
pub const MEMBER_SUB: &str = "aBcD123";
pub const PERSON_URN: &str = "urn:li:person:aBcD123";
pub const ORG_URN: &str = "urn:li:organization:1001";
/// A page the member may only read (role ANALYST): not offered for posting.
pub const ANALYST_ORG_URN: &str = "urn:li:organization:1002";
pub const TEXT_LIMIT: usize = 3000;
/// The oldest `LinkedIn-Version` the fake still serves.
pub const OLDEST_VERSION: &str = "202505";

#[derive(Clone, Debug, Default)]
pub struct Stats {
    pub likes: u64,
    pub comments: u64,
    pub impressions: u64,
    pub unique_impressions: u64,
    pub clicks: u64,
    pub shares: u64,
}

#[derive(Clone, Debug)]
pub struct Post {
    pub urn: String,
    pub author: String,
    pub commentary: String,
    pub content: Value,
    pub deleted: bool,
    pub stats: Stats,
}

#[derive(Clone, Debug)]
pub struct Comment {
    pub urn: String,
    pub post: String,
    pub actor: String,
    pub text: String,
    pub parent: Option<String>,
    pub time: i64,
}

#[derive(Clone, Debug)]
pub struct Image {
    pub urn: String,
    pub owner: String,
    pub bytes: Option<Vec<u8>>,
}

#[derive(Clone, Debug)]
pub struct Video {
    pub urn: String,
    pub owner: String,
    pub size: usize,
    pub parts: Vec<Option<Vec<u8>>>,
    pub upload_token: String,
    pub finalized: bool,
    pub polls_left: u32,
    pub status_polls: u32,
}

#[derive(Default)]
struct LiState {
    tokens: HashSet<String>,
    refresh_tokens: HashSet<String>,
    codes: HashMap<String, String>,
    posts: Vec<Post>,
    comments: Vec<Comment>,
    images: HashMap<String, Image>,
    videos: HashMap<String, Video>,
    next: u64,
    part_size: usize,
    processing_polls: u32,
    no_org_scopes: bool,
    followers: u64,
    clock: i64,
}

impl LiState {
    fn id(&mut self) -> u64 {
        self.next += 1;
        7_100_000_000_000_000_000 + self.next
    }
}

#[derive(Clone)]
struct App {
    state: Arc<Mutex<LiState>>,
    faults: FaultQueue,
    base: Arc<Mutex<String>>,
}

impl App {
    fn lock(&self) -> MutexGuard<'_, LiState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn base(&self) -> String {
        self.base.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn bearer_ok(&self, headers: &HeaderMap) -> bool {
        let token = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
        self.lock().tokens.contains(token)
    }

    /// The checks of a versioned REST call: the token, then the version headers.
    fn refused(&self, headers: &HeaderMap) -> Option<Response> {
        if !self.bearer_ok(headers) {
            return Some(reply(401, json!({ "status": 401, "serviceErrorCode": 65600, "code": "INVALID_ACCESS_TOKEN", "message": "Invalid access token" })));
        }
        let version = headers.get("linkedin-version").and_then(|v| v.to_str().ok()).unwrap_or("");
        if version.is_empty() {
            return Some(reply(
                400,
                json!({ "status": 400, "code": "VERSION_MISSING", "message": "A version must be present. Please specify a version by adding the LinkedIn-Version header." }),
            ));
        }
        if version.len() != 6 || !version.bytes().all(|b| b.is_ascii_digit()) || version < OLDEST_VERSION {
            return Some(reply(426, json!({ "status": 426, "code": "NONEXISTENT_VERSION", "message": format!("Requested version {version}01 is not active") })));
        }
        if headers.get("x-restli-protocol-version").and_then(|v| v.to_str().ok()) != Some("2.0.0") {
            return Some(reply(400, json!({ "status": 400, "message": "Rest.li protocol version 2.0.0 is required (X-Restli-Protocol-Version)" })));
        }
        None
    }

    /// Whether the member may act as `actor` (themselves, or a page they administer).
    fn may_act_as(&self, actor: &str) -> bool {
        actor == PERSON_URN || (actor == ORG_URN && !self.lock().no_org_scopes)
    }
}

/// A running fake LinkedIn.
pub struct LinkedInFake {
    pub server: FakeServer,
    pub faults: FaultQueue,
    state: Arc<Mutex<LiState>>,
}

impl LinkedInFake {
    pub async fn start() -> Self {
        let mut initial = LiState { part_size: 16, followers: 314, clock: 1_767_000_000_000, ..LiState::default() };
        initial.tokens.insert("li-access-1".into());
        let state = Arc::new(Mutex::new(initial));
        let faults = FaultQueue::default();
        let base = Arc::new(Mutex::new(String::new()));
        let app = App { state: state.clone(), faults: faults.clone(), base: base.clone() };
        let router = Router::new()
            .route("/oauth/v2/accessToken", post(token))
            .route("/v2/userinfo", get(userinfo))
            .route("/rest/organizationAcls", get(organization_acls))
            .route("/rest/organizations/{id}", get(organization))
            .route("/rest/images", post(images_action))
            .route("/upload/images/{id}", put(image_put))
            .route("/rest/videos", post(videos_action))
            .route("/rest/videos/{urn}", get(video_get))
            .route("/upload/videos/{id}/{part}", put(video_part_put))
            .route("/rest/posts", post(create_post).get(find_posts))
            .route("/rest/posts/{urn}", axum::routing::delete(delete_post))
            .route("/rest/socialActions/{urn}/comments", post(create_comment).get(list_comments))
            .route("/rest/socialActions/{urn}", get(social_actions))
            .route("/rest/organizationalEntityShareStatistics", get(share_statistics))
            .route("/rest/networkSizes/{urn}", get(network_size))
            .with_state(app);
        let server = FakeServer::start(router).await;
        *base.lock().unwrap_or_else(|p| p.into_inner()) = server.base_url.clone();
        Self { server, faults, state }
    }

    fn lock(&self) -> MutexGuard<'_, LiState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub fn base_url(&self) -> &str {
        &self.server.base_url
    }

    pub fn token(&self) -> &'static str {
        "li-access-1"
    }

    pub fn token_is_valid(&self, token: &str) -> bool {
        self.lock().tokens.contains(token)
    }

    /// The member approved the app: a code for this redirect.
    pub fn authorize(&self, redirect_uri: &str) -> String {
        let mut state = self.lock();
        let code = format!("li-code-{}", state.id());
        state.codes.insert(code.clone(), redirect_uri.to_owned());
        code
    }

    /// The app lacks the Community Management product: no organization roles or org posting.
    pub fn without_organization_scopes(&self) {
        self.lock().no_org_scopes = true;
    }

    pub fn set_processing_polls(&self, polls: u32) {
        self.lock().processing_polls = polls;
    }

    /// The size of each part of a video upload.
    pub fn set_part_size(&self, bytes: usize) {
        self.lock().part_size = bytes.max(1);
    }

    /// Every post created, deleted ones included.
    pub fn posts(&self) -> Vec<Post> {
        self.lock().posts.clone()
    }

    pub fn live_posts(&self) -> Vec<Post> {
        self.posts().into_iter().filter(|p| !p.deleted).collect()
    }

    pub fn comments(&self) -> Vec<Comment> {
        self.lock().comments.clone()
    }

    pub fn image(&self, urn: &str) -> Option<Image> {
        self.lock().images.get(urn).cloned()
    }

    pub fn video(&self, urn: &str) -> Option<Video> {
        self.lock().videos.get(urn).cloned()
    }

    pub fn set_stats(&self, post: &str, stats: Stats) {
        if let Some(p) = self.lock().posts.iter_mut().find(|p| p.urn == post) {
            p.stats = stats;
        }
    }

    /// Someone comments on `post` (or replies to `parent`); returns the comment URN.
    pub fn add_comment(&self, post: &str, actor: &str, text: &str, parent: Option<&str>) -> String {
        let mut state = self.lock();
        new_comment(&mut state, post, actor, text, parent)
    }
}

fn new_comment(state: &mut LiState, post: &str, actor: &str, text: &str, parent: Option<&str>) -> String {
    let id = state.id();
    state.clock += 1000;
    let activity = post.rsplit(':').next().unwrap_or_default();
    let urn = format!("urn:li:comment:(urn:li:activity:{activity},{id})");
    let time = state.clock;
    state.comments.push(Comment { urn: urn.clone(), post: post.to_owned(), actor: actor.to_owned(), text: text.to_owned(), parent: parent.map(str::to_owned), time });
    urn
}

fn reply(status: u16, body: Value) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    response.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
    response
}

fn created(id: &str, body: Value) -> Response {
    let mut response = reply(201, body);
    if let Ok(value) = HeaderValue::from_str(id) {
        response.headers_mut().insert("x-restli-id", value);
    }
    response
}

fn unprocessable(code: &str, description: &str, message: &str) -> Response {
    reply(
        422,
        json!({ "errorDetailType": "com.linkedin.common.error.BadRequest", "message": message, "errorDetails": { "inputErrors": [{ "description": description, "input": {}, "code": code }] }, "status": 422 }),
    )
}

fn forbidden(what: &str) -> Response {
    reply(403, json!({ "status": 403, "serviceErrorCode": 100, "code": "ACCESS_DENIED", "message": format!("Not enough permissions to access: {what}") }))
}

fn not_found() -> Response {
    reply(404, json!({ "status": 404, "code": "NOT_FOUND", "message": "Not Found" }))
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

fn issue(state: &mut LiState, refresh: Option<String>) -> Value {
    let access = format!("li-access-{}", state.id());
    let refresh = refresh.unwrap_or_else(|| format!("li-refresh-{}", state.id()));
    state.tokens.insert(access.clone());
    state.refresh_tokens.insert(refresh.clone());
    json!({ "access_token": access, "expires_in": 5_184_000, "refresh_token": refresh, "refresh_token_expires_in": 31_536_000, "scope": "openid,profile,w_member_social,w_organization_social,r_organization_social,rw_organization_admin" })
}

async fn token(State(app): State<App>, body: Bytes) -> Response {
    play(&app.faults.clone(), "POST /oauth/v2/accessToken", async move {
        let fields: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
        if fields.get("client_id").map(String::as_str) != Some(CLIENT_ID) || fields.get("client_secret").map(String::as_str) != Some(CLIENT_SECRET) {
            return reply(401, json!({ "error": "invalid_client", "error_description": "Client authentication failed" }));
        }
        let mut state = app.lock();
        match fields.get("grant_type").map(String::as_str) {
            Some("authorization_code") => {
                let code = fields.get("code").cloned().unwrap_or_default();
                match state.codes.remove(&code) {
                    Some(redirect) if fields.get("redirect_uri") == Some(&redirect) => reply(200, issue(&mut state, None)),
                    _ => reply(
                        400,
                        json!({ "error": "invalid_request", "error_description": "Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired." }),
                    ),
                }
            }
            Some("refresh_token") => {
                let refresh = fields.get("refresh_token").cloned().unwrap_or_default();
                if !state.refresh_tokens.contains(&refresh) {
                    return reply(400, json!({ "error": "invalid_grant", "error_description": "The provided authorization grant or refresh token is invalid, expired or revoked." }));
                }
                // The refresh token keeps its original lifetime and is handed back unchanged.
                reply(200, issue(&mut state, Some(refresh)))
            }
            _ => reply(400, json!({ "error": "unsupported_grant_type", "error_description": "grant_type is invalid" })),
        }
    })
    .await
}

async fn userinfo(State(app): State<App>, headers: HeaderMap) -> Response {
    play(&app.faults.clone(), "GET /v2/userinfo", async move {
        if !app.bearer_ok(&headers) {
            return reply(401, json!({ "status": 401, "serviceErrorCode": 65600, "code": "INVALID_ACCESS_TOKEN", "message": "Invalid access token" }));
        }
        reply(200, json!({ "sub": MEMBER_SUB, "name": "Zenalto Tester", "given_name": "Zenalto", "family_name": "Tester", "locale": { "country": "US", "language": "en" } }))
    })
    .await
}

async fn organization_acls(State(app): State<App>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    play(&app.faults.clone(), "GET /rest/organizationAcls", async move {
        if let Some(refused) = app.refused(&headers) {
            return refused;
        }
        if query.get("q").map(String::as_str) != Some("roleAssignee") {
            return reply(400, json!({ "status": 400, "message": "Invalid query parameters passed to request" }));
        }
        if app.lock().no_org_scopes {
            return forbidden("organizationAcls.FINDER-roleAssignee (missing scope rw_organization_admin)");
        }
        let acl = |org: &str, role: &str| json!({ "roleAssignee": PERSON_URN, "state": "APPROVED", "role": role, "organization": org });
        reply(200, json!({ "paging": { "count": 10, "start": 0, "links": [] }, "elements": [acl(ORG_URN, "ADMINISTRATOR"), acl(ANALYST_ORG_URN, "ANALYST")] }))
    })
    .await
}

async fn organization(State(app): State<App>, headers: HeaderMap, Path(id): Path<String>) -> Response {
    if let Some(refused) = app.refused(&headers) {
        return refused;
    }
    match id.as_str() {
        "1001" => reply(200, json!({ "id": 1001, "localizedName": "Zenalto Inc", "vanityName": "zenalto" })),
        "1002" => reply(200, json!({ "id": 1002, "localizedName": "Other Co", "vanityName": "other" })),
        _ => not_found(),
    }
}

async fn images_action(State(app): State<App>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>, body: Bytes) -> Response {
    play(&app.faults.clone(), "POST /rest/images", async move {
        if let Some(refused) = app.refused(&headers) {
            return refused;
        }
        if query.get("action").map(String::as_str) != Some("initializeUpload") {
            return reply(400, json!({ "status": 400, "message": "Unknown action" }));
        }
        let Ok(body) = serde_json::from_slice::<Value>(&body) else { return reply(400, json!({ "status": 400, "message": "Invalid JSON" })) };
        let owner = body["initializeUploadRequest"]["owner"].as_str().unwrap_or("").to_owned();
        if owner.is_empty() {
            return unprocessable("FIELD_REQUIRED", "Field /initializeUploadRequest/owner is required", "Field Value validation failed in REQUEST_BODY");
        }
        if !app.may_act_as(&owner) {
            return forbidden("images.ACTION-initializeUpload");
        }
        let mut state = app.lock();
        let id = state.id();
        let urn = format!("urn:li:image:D4E10AQ{id}");
        state.images.insert(urn.clone(), Image { urn: urn.clone(), owner, bytes: None });
        reply(200, json!({ "value": { "uploadUrlExpiresAt": 1_900_000_000_000i64, "uploadUrl": format!("{}/upload/images/{id}", app.base()), "image": urn } }))
    })
    .await
}

fn magic_ok(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8, 0xFF]) || bytes.starts_with(&[0x89, b'P', b'N', b'G']) || bytes.starts_with(b"GIF8")
}

async fn image_put(State(app): State<App>, headers: HeaderMap, Path(id): Path<String>, body: Bytes) -> Response {
    play(&app.faults.clone(), "PUT /upload/images", async move {
        if !app.bearer_ok(&headers) {
            return reply(401, json!({ "status": 401, "message": "Unauthorized" }));
        }
        let mut state = app.lock();
        let Some(image) = state.images.values_mut().find(|i| i.urn.ends_with(&format!("AQ{id}"))) else { return not_found() };
        if !magic_ok(&body) {
            return reply(400, json!({ "status": 400, "message": "The uploaded file is not a supported image (JPG, GIF or PNG)" }));
        }
        image.bytes = Some(body.to_vec());
        reply(201, json!({}))
    })
    .await
}

async fn videos_action(State(app): State<App>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>, body: Bytes) -> Response {
    play(&app.faults.clone(), "POST /rest/videos", async move {
        if let Some(refused) = app.refused(&headers) {
            return refused;
        }
        let Ok(body) = serde_json::from_slice::<Value>(&body) else { return reply(400, json!({ "status": 400, "message": "Invalid JSON" })) };
        match query.get("action").map(String::as_str) {
            Some("initializeUpload") => {
                let request = &body["initializeUploadRequest"];
                let owner = request["owner"].as_str().unwrap_or("").to_owned();
                let Some(size) = request["fileSizeBytes"].as_u64() else {
                    return unprocessable("FIELD_REQUIRED", "Field /initializeUploadRequest/fileSizeBytes is required", "Field Value validation failed in REQUEST_BODY");
                };
                if !app.may_act_as(&owner) {
                    return forbidden("videos.ACTION-initializeUpload");
                }
                let base = app.base();
                let mut state = app.lock();
                let id = state.id();
                let urn = format!("urn:li:video:C5F10AQ{id}");
                let part_size = state.part_size;
                let parts = (size as usize).div_ceil(part_size);
                let instructions: Vec<Value> = (0..parts)
                    .map(|n| json!({ "uploadUrl": format!("{base}/upload/videos/{id}/{n}"), "firstByte": n * part_size, "lastByte": ((n + 1) * part_size).min(size as usize) - 1 }))
                    .collect();
                let token = format!("upload-token-{id}");
                state.videos.insert(
                    urn.clone(),
                    Video { urn: urn.clone(), owner, size: size as usize, parts: vec![None; parts], upload_token: token.clone(), finalized: false, polls_left: 0, status_polls: 0 },
                );
                reply(200, json!({ "value": { "uploadUrlsExpireAt": 1_900_000_000_000i64, "video": urn, "uploadInstructions": instructions, "uploadToken": token } }))
            }
            Some("finalizeUpload") => {
                let request = &body["finalizeUploadRequest"];
                let urn = request["video"].as_str().unwrap_or("").to_owned();
                let etags: Vec<String> = request["uploadedPartIds"].as_array().map(|a| a.iter().filter_map(|e| e.as_str().map(str::to_owned)).collect()).unwrap_or_default();
                let polls = app.lock().processing_polls;
                let mut state = app.lock();
                let Some(video) = state.videos.get_mut(&urn) else { return not_found() };
                if request["uploadToken"].as_str() != Some(video.upload_token.as_str()) {
                    return unprocessable("INVALID_VALUE", "uploadToken does not match the upload", "Field Value validation failed in REQUEST_BODY");
                }
                let id = urn.rsplit("AQ").next().unwrap_or_default().to_owned();
                let expected: Vec<String> = (0..video.parts.len()).map(|n| format!("\"etag-{id}-{n}\"")).collect();
                if etags != expected || video.parts.iter().any(Option::is_none) {
                    return unprocessable("INVALID_VALUE", "uploadedPartIds do not match the uploaded parts", "Field Value validation failed in REQUEST_BODY");
                }
                let bytes: Vec<u8> = video.parts.iter().flatten().flatten().copied().collect();
                if bytes.len() != video.size || bytes.len() < 8 || &bytes[4..8] != b"ftyp" {
                    return unprocessable("INVALID_VALUE", "The uploaded file is not an MP4 video of the declared size", "Field Value validation failed in REQUEST_BODY");
                }
                video.finalized = true;
                video.polls_left = polls;
                reply(200, json!({}))
            }
            _ => reply(400, json!({ "status": 400, "message": "Unknown action" })),
        }
    })
    .await
}

async fn video_part_put(State(app): State<App>, Path((id, part)): Path<(String, usize)>, body: Bytes) -> Response {
    play(&app.faults.clone(), "PUT /upload/videos", async move {
        let mut state = app.lock();
        let Some(video) = state.videos.values_mut().find(|v| v.urn.ends_with(&format!("AQ{id}"))) else { return not_found() };
        let Some(slot) = video.parts.get_mut(part) else { return not_found() };
        *slot = Some(body.to_vec());
        let mut response = reply(200, json!({}));
        if let Ok(etag) = HeaderValue::from_str(&format!("\"etag-{id}-{part}\"")) {
            response.headers_mut().insert("etag", etag);
        }
        response
    })
    .await
}

async fn video_get(State(app): State<App>, headers: HeaderMap, Path(urn): Path<String>) -> Response {
    play(&app.faults.clone(), "GET /rest/videos", async move {
        if let Some(refused) = app.refused(&headers) {
            return refused;
        }
        let mut state = app.lock();
        let Some(video) = state.videos.get_mut(&urn) else { return not_found() };
        let status = if !video.finalized {
            "WAITING_UPLOAD"
        } else if video.polls_left > 0 {
            video.polls_left -= 1;
            "PROCESSING"
        } else {
            "AVAILABLE"
        };
        video.status_polls += 1;
        reply(200, json!({ "id": urn, "owner": video.owner, "status": status }))
    })
    .await
}

/// The media a post refers to exist and are ready.
fn content_refused(state: &LiState, content: &Value) -> Option<Response> {
    let ready = |id: &str| match id {
        _ if id.starts_with("urn:li:image:") => state.images.get(id).is_some_and(|i| i.bytes.is_some()),
        _ if id.starts_with("urn:li:video:") => state.videos.get(id).is_some_and(|v| v.finalized && v.polls_left == 0),
        _ => false,
    };
    let bad = |id: &str| unprocessable("INVALID_URN_ID", &format!("{id} is not an uploaded, available asset"), "Field Value validation failed in REQUEST_BODY");
    if let Some(id) = content["media"]["id"].as_str() {
        return if ready(id) { None } else { Some(bad(id)) };
    }
    if let Some(images) = content["multiImage"]["images"].as_array() {
        if !(2..=20).contains(&images.len()) {
            return Some(unprocessable("INVALID_VALUE", "A multi-image post has 2 to 20 images", "Field Value validation failed in REQUEST_BODY"));
        }
        for image in images {
            let id = image["id"].as_str().unwrap_or("");
            if !id.starts_with("urn:li:image:") || !ready(id) {
                return Some(bad(id));
            }
        }
    }
    None
}

async fn create_post(State(app): State<App>, headers: HeaderMap, body: Bytes) -> Response {
    play(&app.faults.clone(), "POST /rest/posts", async move {
        if let Some(refused) = app.refused(&headers) {
            return refused;
        }
        let Ok(body) = serde_json::from_slice::<Value>(&body) else { return reply(400, json!({ "status": 400, "message": "Invalid JSON" })) };
        for field in ["author", "visibility", "distribution", "lifecycleState"] {
            if body.get(field).is_none() {
                return unprocessable("FIELD_REQUIRED", &format!("Field /{field} is required"), "Field Value validation failed in REQUEST_BODY");
            }
        }
        let author = body["author"].as_str().unwrap_or("").to_owned();
        if !app.may_act_as(&author) {
            return forbidden("partnerApiPostsExternal.CREATE");
        }
        let commentary = body["commentary"].as_str().unwrap_or("").to_owned();
        if commentary.chars().count() > TEXT_LIMIT {
            return unprocessable("INVALID_VALUE", "/commentary is longer than 3000 characters", "Field Value validation failed in REQUEST_BODY");
        }
        let mut state = app.lock();
        if let Some(refused) = content_refused(&state, &body["content"]) {
            return refused;
        }
        if let Some(earlier) = state.posts.iter().find(|p| !p.deleted && p.author == author && p.commentary == commentary && !commentary.is_empty()) {
            return unprocessable("DUPLICATE_POST", "Duplicate post is detected", &format!("Content is a duplicate of {}", earlier.urn));
        }
        let urn = format!("urn:li:share:{}", state.id());
        state.posts.push(Post { urn: urn.clone(), author, commentary, content: body["content"].clone(), deleted: false, stats: Stats::default() });
        created(&urn, Value::Null)
    })
    .await
}

async fn find_posts(State(app): State<App>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    play(&app.faults.clone(), "GET /rest/posts", async move {
        if let Some(refused) = app.refused(&headers) {
            return refused;
        }
        if query.get("q").map(String::as_str) != Some("author") {
            return reply(400, json!({ "status": 400, "message": "Invalid query parameters passed to request" }));
        }
        let author = query.get("author").cloned().unwrap_or_default();
        if !app.may_act_as(&author) {
            return forbidden("partnerApiPostsExternal.FINDER-author");
        }
        let count: usize = query.get("count").and_then(|c| c.parse().ok()).unwrap_or(10);
        let state = app.lock();
        let elements: Vec<Value> = state
            .posts
            .iter()
            .rev()
            .filter(|p| p.author == author && !p.deleted)
            .take(count)
            .map(|p| json!({ "id": p.urn, "author": p.author, "commentary": p.commentary, "lifecycleState": "PUBLISHED", "visibility": "PUBLIC" }))
            .collect();
        reply(200, json!({ "paging": { "start": 0, "count": count, "links": [] }, "elements": elements }))
    })
    .await
}

async fn delete_post(State(app): State<App>, headers: HeaderMap, Path(urn): Path<String>) -> Response {
    play(&app.faults.clone(), "DELETE /rest/posts", async move {
        if let Some(refused) = app.refused(&headers) {
            return refused;
        }
        let mut state = app.lock();
        match state.posts.iter_mut().find(|p| p.urn == urn && !p.deleted) {
            Some(post) => {
                post.deleted = true;
                let mut response = Response::new(Body::empty());
                *response.status_mut() = StatusCode::NO_CONTENT;
                response
            }
            None => not_found(),
        }
    })
    .await
}

fn comment_json(c: &Comment) -> Value {
    let id = c.urn.rsplit(',').next().unwrap_or_default().trim_end_matches(')');
    let mut value = json!({ "actor": c.actor, "commentUrn": c.urn, "id": id, "object": c.post, "message": { "text": c.text }, "created": { "actor": c.actor, "time": c.time } });
    if let Some(parent) = &c.parent {
        value["parentComment"] = json!(parent);
    }
    value
}

async fn create_comment(State(app): State<App>, headers: HeaderMap, Path(urn): Path<String>, body: Bytes) -> Response {
    play(&app.faults.clone(), "POST /rest/socialActions/comments", async move {
        if let Some(refused) = app.refused(&headers) {
            return refused;
        }
        let Ok(body) = serde_json::from_slice::<Value>(&body) else { return reply(400, json!({ "status": 400, "message": "Invalid JSON" })) };
        let actor = body["actor"].as_str().unwrap_or("").to_owned();
        let Some(text) = body["message"]["text"].as_str() else {
            return unprocessable("FIELD_REQUIRED", "Field /message/text is required", "Field Value validation failed in REQUEST_BODY");
        };
        if body["object"].as_str() != Some(urn.as_str()) {
            return unprocessable("INVALID_VALUE", "/object must be the post in the path", "Field Value validation failed in REQUEST_BODY");
        }
        if !app.may_act_as(&actor) {
            return forbidden("comments.CREATE");
        }
        let mut state = app.lock();
        if !state.posts.iter().any(|p| p.urn == urn && !p.deleted) {
            return not_found();
        }
        let parent = body["parentComment"].as_str();
        if parent.is_some_and(|p| !state.comments.iter().any(|c| c.urn == p)) {
            return not_found();
        }
        let comment = new_comment(&mut state, &urn, &actor, text, parent);
        let value = state.comments.iter().find(|c| c.urn == comment).map(comment_json).unwrap_or(Value::Null);
        created(&comment, value)
    })
    .await
}

async fn list_comments(State(app): State<App>, headers: HeaderMap, Path(urn): Path<String>) -> Response {
    play(&app.faults.clone(), "GET /rest/socialActions/comments", async move {
        if let Some(refused) = app.refused(&headers) {
            return refused;
        }
        let state = app.lock();
        let elements: Vec<Value> = state.comments.iter().filter(|c| c.post == urn).map(comment_json).collect();
        reply(200, json!({ "paging": { "start": 0, "count": 10, "total": elements.len() }, "elements": elements }))
    })
    .await
}

async fn social_actions(State(app): State<App>, headers: HeaderMap, Path(urn): Path<String>) -> Response {
    play(&app.faults.clone(), "GET /rest/socialActions", async move {
        if let Some(refused) = app.refused(&headers) {
            return refused;
        }
        let state = app.lock();
        let Some(post) = state.posts.iter().find(|p| p.urn == urn && !p.deleted) else { return not_found() };
        let comments = state.comments.iter().filter(|c| c.post == urn).count() as u64 + post.stats.comments;
        reply(
            200,
            json!({ "target": urn, "likesSummary": { "totalLikes": post.stats.likes, "likedByCurrentUser": false }, "commentsSummary": { "aggregatedTotalComments": comments, "totalFirstLevelComments": comments } }),
        )
    })
    .await
}

fn decode(raw: &str) -> String {
    url::form_urlencoded::parse(format!("v={raw}").as_bytes()).map(|(_, v)| v.into_owned()).next().unwrap_or_default()
}

async fn share_statistics(State(app): State<App>, headers: HeaderMap, RawQuery(query): RawQuery) -> Response {
    play(&app.faults.clone(), "GET /rest/organizationalEntityShareStatistics", async move {
        if let Some(refused) = app.refused(&headers) {
            return refused;
        }
        // Rest.li 2.0: `shares=List(urn%3Ali%3Ashare%3A1)`, the URNs encoded inside the list.
        let mut org = String::new();
        let mut shares = Vec::new();
        for pair in query.unwrap_or_default().split('&') {
            match pair.split_once('=') {
                Some(("organizationalEntity", value)) => org = decode(value),
                Some(("shares" | "ugcPosts", value)) => {
                    let Some(inner) = value.strip_prefix("List(").and_then(|v| v.strip_suffix(')')) else {
                        return reply(400, json!({ "status": 400, "message": "shares must be a Rest.li List(...)" }));
                    };
                    shares.extend(inner.split(',').map(decode));
                }
                _ => {}
            }
        }
        if org != ORG_URN {
            return forbidden("organizationalEntityShareStatistics.FINDER-organizationalEntity");
        }
        let state = app.lock();
        let elements: Vec<Value> = shares
            .iter()
            .filter_map(|urn| state.posts.iter().find(|p| &p.urn == urn))
            .map(|p| {
                let s = &p.stats;
                json!({ "organizationalEntity": org, "share": p.urn, "totalShareStatistics": { "impressionCount": s.impressions, "uniqueImpressionsCount": s.unique_impressions, "clickCount": s.clicks, "likeCount": s.likes, "commentCount": s.comments, "shareCount": s.shares, "engagement": 0.1 } })
            })
            .collect();
        reply(200, json!({ "paging": { "start": 0, "count": 10 }, "elements": elements }))
    })
    .await
}

async fn network_size(State(app): State<App>, headers: HeaderMap, Path(urn): Path<String>, Query(query): Query<HashMap<String, String>>) -> Response {
    play(&app.faults.clone(), "GET /rest/networkSizes", async move {
        if let Some(refused) = app.refused(&headers) {
            return refused;
        }
        if query.get("edgeType").map(String::as_str) != Some("COMPANY_FOLLOWED_BY_MEMBER") || urn != ORG_URN {
            return reply(400, json!({ "status": 400, "message": "Invalid edgeType or organization" }));
        }
        let followers = app.lock().followers;
        reply(200, json!({ "firstDegreeSize": followers }))
    })
    .await
}
