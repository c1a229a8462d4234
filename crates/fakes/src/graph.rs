//! A fake of Meta's Graph API as the Facebook Pages and Instagram adapters use it (one server:
//! both live on `graph.facebook.com`, and Facebook's video host is the same server here).
//!
//! Follows <https://developers.facebook.com/docs/pages-api/posts>,
//! <https://developers.facebook.com/docs/video-api/guides/publishing>,
//! <https://developers.facebook.com/docs/instagram-platform/content-publishing/> and the error
//! object of <https://developers.facebook.com/docs/graph-api/guides/error-handling/>.
//!
//! Paths are `/{version}/{node}` and `/{version}/{node}/{edge}`. Fault routes are named by the
//! method and the edge (or `{id}` for a node): `POST /feed`, `POST /photos`, `POST /videos`,
//! `POST /comments`, `POST /replies`, `POST /media`, `POST /media_publish`, `GET /feed`,
//! `GET /published_posts`, `GET /media`, `GET /comments`, `GET /insights`, `GET /accounts`,
//! `GET /oauth/access_token`,
//! `GET /content_publishing_limit`, `GET /conversations`, `GET /messages`, `POST /messages`,
//! `GET /{id}`, `DELETE /{id}`, `DELETE /permissions`.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};

use axum::{
    Json, Router,
    body::Bytes,
    extract::{FromRequest, Multipart, Request, State},
    http::{Method, StatusCode},
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::{FakeServer, Fault, FaultQueue};

pub const APP_ID: &str = "fake-meta-app";
pub const APP_SECRET: &str = "fake-meta-secret";

/// The parameters of a call (query, form or multipart text fields) and its files.
#[derive(Debug, Default)]
pub(crate) struct Params {
    pub values: Vec<(String, String)>,
    pub files: HashMap<String, Bytes>,
}

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn starting_with(&self, prefix: &str) -> Vec<&str> {
        self.values
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// Reads query, url-encoded body and multipart fields, and the bearer token (header or
    /// `access_token` parameter).
    pub async fn read(request: Request) -> (Self, Option<String>) {
        let mut params = Self::default();
        if let Some(query) = request.uri().query() {
            params
                .values
                .extend(url::form_urlencoded::parse(query.as_bytes()).into_owned());
        }
        let bearer = request
            .headers()
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::to_owned);
        let content_type = request
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        if content_type.starts_with("multipart/form-data") {
            if let Ok(mut multipart) = Multipart::from_request(request, &()).await {
                while let Ok(Some(field)) = multipart.next_field().await {
                    let name = field.name().unwrap_or_default().to_owned();
                    let is_file = field.file_name().is_some();
                    let Ok(bytes) = field.bytes().await else {
                        break;
                    };
                    if is_file {
                        params.files.insert(name, bytes);
                    } else {
                        params
                            .values
                            .push((name, String::from_utf8_lossy(&bytes).into_owned()));
                    }
                }
            }
        } else if let Ok(body) = Bytes::from_request(request, &()).await {
            params
                .values
                .extend(url::form_urlencoded::parse(&body).into_owned());
        }
        let token = bearer.or_else(|| params.get("access_token").map(str::to_owned));
        (params, token)
    }
}

/// Meta's error object with the status Meta uses for it.
pub(crate) fn graph_error(status: u16, code: i64, subcode: Option<i64>, message: &str) -> Response {
    let mut error = json!({"message": message, "type": if matches!(code, 1 | 101 | 102 | 190) { "OAuthException" } else { "GraphMethodException" }, "code": code, "fbtrace_id": "AFakeTrace"});
    if let Some(sub) = subcode {
        error["error_subcode"] = json!(sub);
    }
    (
        StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST),
        Json(json!({ "error": error })),
    )
        .into_response()
}

pub(crate) fn invalid_token() -> Response {
    graph_error(
        400,
        190,
        None,
        "Invalid OAuth access token - Cannot parse access token",
    )
}

pub(crate) fn missing(param: &str) -> Response {
    graph_error(
        400,
        100,
        None,
        &format!("(#100) The parameter {param} is required"),
    )
}

/// Plays the fault armed for `route`: `Some(response)` to answer at once; a delay is slept
/// here; `ApplyThenDelay` is returned for the caller to sleep after doing the work.
pub(crate) async fn before(faults: &FaultQueue, route: &str) -> Result<Option<Duration>, Response> {
    match faults.take(route) {
        Some(Fault::Delay(wait)) => {
            tokio::time::sleep(wait).await;
            Ok(None)
        }
        Some(Fault::ApplyThenDelay(wait)) => Ok(Some(wait)),
        Some(fault) => Err(fault
            .response()
            .unwrap_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())),
        None => Ok(None),
    }
}

pub(crate) fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

pub(crate) fn is_image(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8, 0xFF])
        || bytes.starts_with(b"\x89PNG")
        || bytes.starts_with(b"GIF8")
}

pub(crate) fn is_video(bytes: &[u8]) -> bool {
    bytes.len() >= 8 && &bytes[4..8] == b"ftyp"
}

pub(crate) fn time(at: i64) -> String {
    // Graph's own format, with no colon in the offset.
    let secs = at;
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = civil(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}+0000",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Days since 1970-01-01 → (year, month, day) (H. Hinnant's algorithm).
fn civil(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

pub fn now_secs() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}

#[derive(Clone, Debug)]
pub struct Page {
    pub id: String,
    pub name: String,
    pub username: String,
    pub token: String,
    pub tasks: Vec<String>,
    pub followers: u64,
    /// The Instagram business account linked to the Page: (id, username, name).
    pub instagram: Option<(String, String, String)>,
}

#[derive(Clone, Debug)]
pub struct Post {
    pub id: String,
    pub page_id: String,
    pub message: String,
    pub link: Option<String>,
    /// Photo ids attached (one for a photo post, several for `attached_media`).
    pub photos: Vec<String>,
    pub video: Option<String>,
    pub created: i64,
    pub likes: u64,
}

#[derive(Clone, Debug)]
pub struct Photo {
    pub id: String,
    pub page_id: String,
    pub published: bool,
    pub attached: bool,
    pub size: usize,
    pub alt_text: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Video {
    pub id: String,
    pub page_id: String,
    pub session: String,
    pub size: usize,
    pub received: Vec<u8>,
    pub finished: bool,
    pub polls_left: u32,
    pub description: String,
    pub title: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Comment {
    pub id: String,
    /// The post, media or comment it answers.
    pub parent: String,
    pub from_id: String,
    pub from_name: String,
    pub message: String,
    pub created: i64,
}

#[derive(Clone, Debug)]
pub struct Container {
    pub id: String,
    pub ig_user: String,
    pub media_type: String,
    pub url: String,
    pub caption: Option<String>,
    pub alt_text: Option<String>,
    pub carousel_item: bool,
    pub children: Vec<String>,
    pub polls_left: u32,
    /// `IN_PROGRESS`, `FINISHED`, `ERROR`, `PUBLISHED`, `EXPIRED`.
    pub status: String,
}

#[derive(Clone, Debug)]
pub struct IgMedia {
    pub id: String,
    pub ig_user: String,
    pub caption: String,
    pub media_type: String,
    /// The URLs Instagram fetched (one, or each carousel item's).
    pub urls: Vec<String>,
    pub alt_texts: Vec<Option<String>>,
    pub created: i64,
    pub likes: u64,
}

#[derive(Clone, Debug)]
pub struct Message {
    pub id: String,
    pub from_id: String,
    pub text: String,
    pub created: i64,
}

/// A conversation between a Page (or the Instagram account linked to it) and one person.
#[derive(Clone, Debug)]
pub struct Conversation {
    pub id: String,
    pub page_id: String,
    /// `messenger`, or `instagram` for the linked Instagram account's direct messages.
    pub platform: &'static str,
    pub user_id: String,
    pub user_name: String,
    pub messages: Vec<Message>,
}

/// Everything the fake holds; tests read it back and arrange it.
#[derive(Debug)]
pub struct GraphState {
    /// Codes a person "came back with", each with its PKCE challenge if one was sent.
    pub codes: HashMap<String, Option<String>>,
    /// User tokens: short-lived ones may be exchanged; long-lived ones read `/me/accounts`.
    pub user_tokens: Vec<String>,
    pub revoked: Vec<String>,
    pub pages: Vec<Page>,
    pub posts: Vec<Post>,
    pub photos: Vec<Photo>,
    pub videos: Vec<Video>,
    pub comments: Vec<Comment>,
    pub containers: Vec<Container>,
    pub ig_media: Vec<IgMedia>,
    pub deleted: Vec<String>,
    /// How many status checks a video or video container answers "processing" before ready.
    pub processing_polls: u32,
    /// Containers made from now on end in `ERROR` with this status text.
    pub container_error: Option<String>,
    /// The bytes Facebook asks for in each video transfer.
    pub video_chunk: usize,
    /// Instagram's 24-hour publishing quota.
    pub ig_quota_total: u64,
    pub conversations: Vec<Conversation>,
    /// Whether the app was granted `pages_messaging` (else conversations answer code 200).
    pub messaging_granted: bool,
    /// Whether the app was granted `instagram_manage_messages` (else Instagram conversations
    /// answer code 200).
    pub ig_messaging_granted: bool,
    next: u64,
}

impl Default for GraphState {
    fn default() -> Self {
        Self {
            codes: HashMap::new(),
            user_tokens: Vec::new(),
            revoked: Vec::new(),
            pages: Vec::new(),
            posts: Vec::new(),
            photos: Vec::new(),
            videos: Vec::new(),
            comments: Vec::new(),
            containers: Vec::new(),
            ig_media: Vec::new(),
            deleted: Vec::new(),
            processing_polls: 0,
            container_error: None,
            video_chunk: 1024,
            ig_quota_total: 100,
            conversations: Vec::new(),
            messaging_granted: true,
            ig_messaging_granted: true,
            next: 1000,
        }
    }
}

impl GraphState {
    fn id(&mut self) -> String {
        self.next += 1;
        self.next.to_string()
    }

    fn page(&self, id: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.id == id)
    }

    /// The Page whose token this is.
    fn page_of_token(&self, token: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.token == token)
    }

    fn valid(&self, token: &str) -> bool {
        !self.revoked.iter().any(|t| t == token)
            && (self.user_tokens.iter().any(|t| t == token) || self.page_of_token(token).is_some())
    }

    /// The Page that owns an Instagram account.
    fn ig_page(&self, ig_user: &str) -> Option<&Page> {
        self.pages
            .iter()
            .find(|p| p.instagram.as_ref().is_some_and(|(id, _, _)| id == ig_user))
    }

    pub fn live_posts(&self) -> Vec<&Post> {
        self.posts
            .iter()
            .filter(|p| !self.deleted.contains(&p.id))
            .collect()
    }

    pub fn live_media(&self) -> Vec<&IgMedia> {
        self.ig_media
            .iter()
            .filter(|m| !self.deleted.contains(&m.id))
            .collect()
    }

    pub fn comments_on(&self, parent: &str) -> Vec<&Comment> {
        self.comments
            .iter()
            .filter(|c| c.parent == parent && !self.deleted.contains(&c.id))
            .collect()
    }

    /// A Messenger message from a person to a Page; returns (conversation id, message id).
    pub fn add_message(
        &mut self,
        page_id: &str,
        user_id: &str,
        user_name: &str,
        text: &str,
        created: i64,
    ) -> (String, String) {
        self.add_conversation_message(page_id, "messenger", user_id, user_name, text, created)
    }

    /// An Instagram direct message from a person (by IGSID and username) to an Instagram
    /// account; kept on the linked Page, as Meta does. Returns (conversation id, message id).
    pub fn add_ig_message(
        &mut self,
        ig_user: &str,
        igsid: &str,
        username: &str,
        text: &str,
        created: i64,
    ) -> (String, String) {
        let page_id = self
            .ig_page(ig_user)
            .map(|p| p.id.clone())
            .unwrap_or_default();
        self.add_conversation_message(&page_id, "instagram", igsid, username, text, created)
    }

    fn add_conversation_message(
        &mut self,
        page_id: &str,
        platform: &'static str,
        user_id: &str,
        user_name: &str,
        text: &str,
        created: i64,
    ) -> (String, String) {
        let id = self.id();
        let message = Message {
            id: id.clone(),
            from_id: user_id.into(),
            text: text.into(),
            created,
        };
        if let Some(conversation) = self
            .conversations
            .iter_mut()
            .find(|c| c.page_id == page_id && c.platform == platform && c.user_id == user_id)
        {
            conversation.messages.push(message);
            return (conversation.id.clone(), id);
        }
        let conversation = format!("t_{}", self.id());
        self.conversations.push(Conversation {
            id: conversation.clone(),
            page_id: page_id.into(),
            platform,
            user_id: user_id.into(),
            user_name: user_name.into(),
            messages: vec![message],
        });
        (conversation, id)
    }

    /// A comment "from someone else" on a post or media, for inbox tests.
    pub fn add_comment(
        &mut self,
        parent: &str,
        from_id: &str,
        from_name: &str,
        message: &str,
        created: i64,
    ) -> String {
        let id = self.id();
        self.comments.push(Comment {
            id: id.clone(),
            parent: parent.into(),
            from_id: from_id.into(),
            from_name: from_name.into(),
            message: message.into(),
            created,
        });
        id
    }
}

pub struct GraphFake {
    pub server: FakeServer,
    pub faults: FaultQueue,
    state: Arc<Mutex<GraphState>>,
}

#[derive(Clone)]
struct Shared {
    state: Arc<Mutex<GraphState>>,
    faults: FaultQueue,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, GraphState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl GraphFake {
    pub async fn start() -> Self {
        let state = Arc::new(Mutex::new(GraphState::default()));
        let faults = FaultQueue::default();
        let shared = Shared {
            state: state.clone(),
            faults: faults.clone(),
        };
        let router = Router::new().fallback(handle).with_state(shared);
        Self {
            server: FakeServer::start(router).await,
            faults,
            state,
        }
    }

    pub fn base_url(&self) -> &str {
        &self.server.base_url
    }

    pub fn state(&self) -> MutexGuard<'_, GraphState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A Page with its token; returns the token.
    pub fn add_page(&self, id: &str, name: &str, username: &str) -> String {
        let token = format!("page-token-{id}");
        self.state().pages.push(Page {
            id: id.into(),
            name: name.into(),
            username: username.into(),
            token: token.clone(),
            tasks: vec![
                "CREATE_CONTENT".into(),
                "MANAGE".into(),
                "MODERATE".into(),
                "ANALYZE".into(),
            ],
            followers: 1234,
            instagram: None,
        });
        token
    }

    /// Links an Instagram business account to a Page.
    pub fn link_instagram(&self, page_id: &str, ig_id: &str, username: &str) {
        if let Some(page) = self.state().pages.iter_mut().find(|p| p.id == page_id) {
            page.instagram = Some((ig_id.into(), username.into(), format!("{username} (IG)")));
        }
    }

    /// A code the person comes back with, bound to a PKCE challenge.
    pub fn issue_code(&self, code: &str, challenge: Option<&str>) {
        self.state()
            .codes
            .insert(code.into(), challenge.map(str::to_owned));
    }
}

async fn handle(State(shared): State<Shared>, method: Method, request: Request) -> Response {
    let path = request.uri().path().trim_matches('/').to_owned();
    let segments: Vec<String> = path.split('/').map(str::to_owned).collect();
    let Some((version, rest)) = segments.split_first() else {
        return graph_error(400, 2500, None, "Unknown path components");
    };
    if !version.starts_with('v') || rest.is_empty() || rest.len() > 2 {
        return graph_error(
            400,
            2500,
            None,
            &format!("Unknown path components: /{path}"),
        );
    }
    let route = match rest {
        [_, edge] => format!("{method} /{edge}"),
        _ => format!("{method} /{{id}}"),
    };
    let route = if rest.first().map(String::as_str) == Some("oauth") {
        format!("{method} /oauth/access_token")
    } else {
        route
    };
    let after = match before(&shared.faults, &route).await {
        Ok(after) => after,
        Err(response) => return response,
    };
    let (params, token) = Params::read(request).await;
    let response = route_call(&shared, &method, rest, &params, token.as_deref());
    if let Some(wait) = after {
        tokio::time::sleep(wait).await;
    }
    response
}

fn route_call(
    shared: &Shared,
    method: &Method,
    rest: &[String],
    params: &Params,
    token: Option<&str>,
) -> Response {
    if rest.first().map(String::as_str) == Some("oauth") {
        return access_token(shared, params);
    }
    let mut state = shared.lock();
    let Some(token) = token.filter(|t| state.valid(t)) else {
        return invalid_token();
    };
    let node = rest[0].as_str();
    let node = if node == "me" {
        me(&state, token)
    } else {
        node.to_owned()
    };
    match (method.as_str(), rest.get(1).map(String::as_str)) {
        ("GET", Some("accounts")) => accounts(&state, token),
        ("DELETE", Some("permissions")) => {
            state.revoked.push(token.to_owned());
            Json(json!({"success": true})).into_response()
        }
        ("POST", Some("feed")) => create_post(&mut state, token, &node, params),
        ("GET", Some("conversations")) => conversations(&state, token, &node, params),
        ("GET", Some("messages")) => messages(&state, &node),
        ("POST", Some("messages")) => send_message(&mut state, token, &node, params),
        ("GET", Some("feed" | "published_posts")) => feed(&state, &node, params),
        ("POST", Some("photos")) => create_photo(&mut state, token, &node, params),
        ("POST", Some("videos")) => video_upload(&mut state, token, &node, params),
        ("POST", Some("comments" | "replies")) => create_comment(&mut state, token, &node, params),
        ("GET", Some("comments")) => list_comments(&state, &node, params),
        ("GET", Some("insights")) => insights(&state, &node, params),
        ("POST", Some("media")) => create_container(&mut state, token, &node, params),
        ("POST", Some("media_publish")) => publish_container(&mut state, token, &node, params),
        ("GET", Some("media")) => list_media(&state, &node),
        ("GET", Some("content_publishing_limit")) => {
            let used = state
                .live_media()
                .iter()
                .filter(|m| m.ig_user == node && m.created > now_secs() - 86_400)
                .count();
            Json(json!({"data": [{"quota_usage": used, "config": {"quota_total": state.ig_quota_total, "quota_duration": 86_400}}]})).into_response()
        }
        ("GET", None) => read_node(&mut state, &node, params),
        ("DELETE", None) => delete_node(&mut state, token, &node),
        _ => graph_error(
            400,
            100,
            None,
            &format!("(#100) Unsupported {method} request to {}", rest.join("/")),
        ),
    }
}

/// `me` is the Page for a Page token, the person otherwise.
fn me(state: &GraphState, token: &str) -> String {
    state
        .page_of_token(token)
        .map(|p| p.id.clone())
        .unwrap_or_else(|| "person-1".into())
}

fn access_token(shared: &Shared, params: &Params) -> Response {
    let mut state = shared.lock();
    if params.get("client_id") != Some(APP_ID) || params.get("client_secret") != Some(APP_SECRET) {
        return graph_error(400, 1, None, "Error validating client secret.");
    }
    if params.get("grant_type") == Some("fb_exchange_token") {
        let Some(old) = params.get("fb_exchange_token").filter(|t| state.valid(t)) else {
            return graph_error(
                400,
                190,
                Some(460),
                "Error validating access token: The session has been invalidated.",
            );
        };
        let _ = old;
        let token = format!("long-user-token-{}", state.id());
        state.user_tokens.push(token.clone());
        return Json(
            json!({"access_token": token, "token_type": "bearer", "expires_in": 5_183_944}),
        )
        .into_response();
    }
    let (Some(code), Some(_redirect)) = (params.get("code"), params.get("redirect_uri")) else {
        return missing("code");
    };
    let Some(challenge) = state.codes.remove(code) else {
        return graph_error(
            400,
            100,
            Some(36_007),
            "This authorization code has been used.",
        );
    };
    if let Some(challenge) = challenge
        && params.get("code_verifier").map(s256) != Some(challenge)
    {
        return graph_error(400, 100, None, "Invalid code verifier");
    }
    let token = format!("short-user-token-{}", state.id());
    state.user_tokens.push(token.clone());
    Json(json!({"access_token": token, "token_type": "bearer", "expires_in": 3600})).into_response()
}

fn accounts(state: &GraphState, token: &str) -> Response {
    if !token.starts_with("long-user-token") && !token.starts_with("short-user-token") {
        return graph_error(
            400,
            100,
            None,
            "(#100) Tried accessing nonexisting field (accounts) on node type (Page)",
        );
    }
    let data: Vec<Value> = state.pages.iter().map(|p| json!({"id": p.id, "name": p.name, "username": p.username, "access_token": p.token, "tasks": p.tasks})).collect();
    Json(json!({"data": data, "paging": {"cursors": {"before": "b", "after": "a"}}}))
        .into_response()
}

/// Publishing to a Page needs that Page's token.
#[allow(clippy::result_large_err)] // the refusal is the response itself, built once per call
fn page_token_for<'a>(
    state: &'a GraphState,
    token: &str,
    page_id: &str,
) -> Result<&'a Page, Response> {
    let Some(page) = state.page(page_id) else {
        return Err(graph_error(
            400,
            100,
            Some(33),
            &format!("Unsupported post request. Object with ID '{page_id}' does not exist"),
        ));
    };
    if page.token != token {
        return Err(graph_error(
            403,
            200,
            None,
            "(#200) Requires pages_manage_posts permission to manage the object",
        ));
    }
    Ok(page)
}

fn create_post(state: &mut GraphState, token: &str, page_id: &str, params: &Params) -> Response {
    if let Err(refused) = page_token_for(state, token, page_id) {
        return refused;
    }
    let message = params.get("message").unwrap_or_default().to_owned();
    let link = params.get("link").map(str::to_owned);
    let mut photos = Vec::new();
    for raw in params.starting_with("attached_media[") {
        let Some(id) = serde_json::from_str::<Value>(raw)
            .ok()
            .and_then(|v| v["media_fbid"].as_str().map(str::to_owned))
        else {
            return graph_error(
                400,
                100,
                None,
                "(#100) attached_media must be {\"media_fbid\": \"...\"}",
            );
        };
        match state.photos.iter().find(|p| p.id == id) {
            Some(photo) if photo.page_id == page_id && !photo.published && !photo.attached => {
                photos.push(id)
            }
            _ => {
                return graph_error(
                    400,
                    100,
                    None,
                    &format!("(#100) The media {id} is not an unpublished photo of this Page"),
                );
            }
        }
    }
    if message.is_empty() && link.is_none() && photos.is_empty() {
        return graph_error(
            400,
            100,
            None,
            "(#100) A post needs a message, a link or attached_media",
        );
    }
    if !message.is_empty()
        && state
            .live_posts()
            .iter()
            .any(|p| p.page_id == page_id && p.message == message)
    {
        return graph_error(400, 506, None, "Duplicate status message");
    }
    for id in &photos {
        if let Some(photo) = state.photos.iter_mut().find(|p| &p.id == id) {
            photo.attached = true;
        }
    }
    let id = format!("{page_id}_{}", state.id());
    state.posts.push(Post {
        id: id.clone(),
        page_id: page_id.into(),
        message,
        link,
        photos,
        video: None,
        created: now_secs(),
        likes: 0,
    });
    Json(json!({ "id": id })).into_response()
}

fn feed(state: &GraphState, page_id: &str, params: &Params) -> Response {
    let limit: usize = params
        .get("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(25);
    let mut posts: Vec<&Post> = state
        .live_posts()
        .into_iter()
        .filter(|p| p.page_id == page_id)
        .collect();
    posts.sort_by_key(|p| std::cmp::Reverse((p.created, p.id.clone())));
    let data: Vec<Value> = posts
        .iter()
        .take(limit)
        .map(|p| json!({"id": p.id, "message": p.message, "created_time": time(p.created)}))
        .collect();
    Json(json!({ "data": data })).into_response()
}

fn create_photo(state: &mut GraphState, token: &str, page_id: &str, params: &Params) -> Response {
    if let Err(refused) = page_token_for(state, token, page_id) {
        return refused;
    }
    let size = match (params.files.get("source"), params.get("url")) {
        (Some(bytes), _) if is_image(bytes) => bytes.len(),
        (Some(_), _) => return graph_error(400, 324, None, "(#324) Missing or invalid image file"),
        (None, Some(url)) if url.starts_with("http") => 1,
        _ => return graph_error(400, 324, None, "(#324) Requires upload file"),
    };
    let published = params.get("published") != Some("false");
    let id = state.id();
    state.photos.push(Photo {
        id: id.clone(),
        page_id: page_id.into(),
        published,
        attached: false,
        size,
        alt_text: params.get("alt_text_custom").map(str::to_owned),
    });
    if !published {
        return Json(json!({ "id": id })).into_response();
    }
    let post_id = format!("{page_id}_{}", state.id());
    let message = params
        .get("message")
        .or(params.get("caption"))
        .unwrap_or_default()
        .to_owned();
    state.posts.push(Post {
        id: post_id.clone(),
        page_id: page_id.into(),
        message,
        link: None,
        photos: vec![id.clone()],
        video: None,
        created: now_secs(),
        likes: 0,
    });
    Json(json!({ "id": id, "post_id": post_id })).into_response()
}

fn video_upload(state: &mut GraphState, token: &str, page_id: &str, params: &Params) -> Response {
    if let Err(refused) = page_token_for(state, token, page_id) {
        return refused;
    }
    let chunk = state.video_chunk;
    match params.get("upload_phase") {
        Some("start") => {
            let Some(size) = params
                .get("file_size")
                .and_then(|s| s.parse::<usize>().ok())
                .filter(|s| *s > 0)
            else {
                return missing("file_size");
            };
            let (id, session) = (state.id(), state.id());
            let polls_left = state.processing_polls;
            state.videos.push(Video {
                id: id.clone(),
                page_id: page_id.into(),
                session: session.clone(),
                size,
                received: Vec::new(),
                finished: false,
                polls_left,
                description: String::new(),
                title: None,
            });
            Json(json!({"video_id": id, "upload_session_id": session, "start_offset": "0", "end_offset": size.min(chunk).to_string()})).into_response()
        }
        Some("transfer") => {
            let session = params.get("upload_session_id").unwrap_or_default();
            let Some(video) = state
                .videos
                .iter_mut()
                .find(|v| v.session == session && !v.finished)
            else {
                return graph_error(400, 6000, Some(1_363_019), "Invalid upload session");
            };
            let Some(bytes) = params.files.get("video_file_chunk") else {
                return missing("video_file_chunk");
            };
            if params
                .get("start_offset")
                .and_then(|s| s.parse::<usize>().ok())
                != Some(video.received.len())
            {
                return graph_error(
                    400,
                    6001,
                    Some(1_363_037),
                    "The start_offset does not match the bytes received",
                );
            }
            video.received.extend_from_slice(bytes);
            let start = video.received.len();
            Json(json!({"start_offset": start.to_string(), "end_offset": video.size.min(start + chunk).to_string()})).into_response()
        }
        Some("finish") => {
            let session = params.get("upload_session_id").unwrap_or_default();
            let Some(video) = state
                .videos
                .iter_mut()
                .find(|v| v.session == session && !v.finished)
            else {
                return graph_error(400, 6000, Some(1_363_019), "Invalid upload session");
            };
            if video.received.len() != video.size || !is_video(&video.received) {
                return graph_error(
                    400,
                    6000,
                    Some(1_363_030),
                    "The video file is incomplete or not a video",
                );
            }
            video.finished = true;
            video.description = params.get("description").unwrap_or_default().to_owned();
            video.title = params.get("title").map(str::to_owned);
            let (id, message) = (video.id.clone(), video.description.clone());
            state.posts.push(Post {
                id: id.clone(),
                page_id: page_id.into(),
                message,
                link: None,
                photos: Vec::new(),
                video: Some(id),
                created: now_secs(),
                likes: 0,
            });
            Json(json!({ "success": true })).into_response()
        }
        _ => missing("upload_phase"),
    }
}

fn create_comment(state: &mut GraphState, token: &str, parent: &str, params: &Params) -> Response {
    let Some(message) = params
        .get("message")
        .filter(|m| !m.trim().is_empty())
        .map(str::to_owned)
    else {
        return missing("message");
    };
    let exists = state.live_posts().iter().any(|p| p.id == parent)
        || state.live_media().iter().any(|m| m.id == parent)
        || state
            .comments
            .iter()
            .any(|c| c.id == parent && !state.deleted.contains(&c.id));
    if !exists {
        return graph_error(
            400,
            100,
            Some(33),
            &format!("Unsupported post request. Object with ID '{parent}' does not exist"),
        );
    }
    let (from_id, from_name) = state
        .page_of_token(token)
        .map(|p| (p.id.clone(), p.name.clone()))
        .unwrap_or_else(|| ("person-1".into(), "Person".into()));
    // An Instagram account answers as itself.
    let from_id = state
        .page_of_token(token)
        .and_then(|p| p.instagram.as_ref())
        .filter(|_| {
            let on_media = |id: &str| state.ig_media.iter().any(|m| m.id == id);
            on_media(parent)
                || state
                    .comments
                    .iter()
                    .any(|c| c.id == parent && on_media(&c.parent))
        })
        .map(|(id, _, _)| id.clone())
        .unwrap_or(from_id);
    let id = state.add_comment(parent, &from_id, &from_name, &message, now_secs());
    Json(json!({ "id": id })).into_response()
}

fn list_comments(state: &GraphState, parent: &str, params: &Params) -> Response {
    let fields = params.get("fields").unwrap_or_default();
    // Instagram nests replies under each comment when asked (`replies{…}`); Facebook's
    // `filter=stream` lists them flat with a `parent`.
    let instagram = state.ig_media.iter().any(|m| m.id == parent);
    let nested = instagram && fields.contains("replies");
    let mut comments: Vec<&Comment> = state.comments_on(parent);
    if params.get("filter") == Some("stream") {
        let top: Vec<String> = comments.iter().map(|c| c.id.clone()).collect();
        for id in &top {
            comments.extend(state.comments_on(id));
        }
    }
    comments.sort_by_key(|c| std::cmp::Reverse(c.created));
    let top_level: Vec<String> = state
        .comments_on(parent)
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let render = |c: &Comment| json!({"id": c.id, "message": c.message, "text": c.message, "created_time": time(c.created), "timestamp": time(c.created), "from": {"id": c.from_id, "name": c.from_name, "username": c.from_name}, "username": c.from_name});
    let data: Vec<Value> = comments
        .iter()
        .map(|c| {
            let mut item = render(c);
            if !top_level.contains(&c.id) {
                item["parent"] = json!({"id": c.parent});
            }
            if nested {
                let replies: Vec<Value> =
                    state.comments_on(&c.id).into_iter().map(render).collect();
                item["replies"] = json!({ "data": replies });
            }
            item
        })
        .collect();
    Json(json!({ "data": data })).into_response()
}

fn insights(state: &GraphState, node: &str, params: &Params) -> Response {
    let metrics: Vec<&str> = params
        .get("metric")
        .unwrap_or_default()
        .split(',')
        .filter(|m| !m.is_empty())
        .collect();
    if metrics.is_empty() {
        return graph_error(
            400,
            100,
            Some(1_504_028),
            "No metric was specified to be fetched",
        );
    }
    let values: HashMap<&str, u64> =
        if let Some(post) = state.live_posts().into_iter().find(|p| p.id == node) {
            HashMap::from([
                ("post_media_view", 100),
                ("post_total_media_view_unique", 80),
                ("post_clicks", 7 + post.likes),
            ])
        } else if let Some(media) = state.live_media().into_iter().find(|m| m.id == node) {
            let comments = state.comments_on(&media.id).len() as u64;
            HashMap::from([
                ("reach", 50),
                ("likes", media.likes),
                ("comments", comments),
                ("shares", 2),
                ("saved", 3),
                ("views", 120),
                ("total_interactions", media.likes + comments + 5),
            ])
        } else {
            return graph_error(
                400,
                100,
                Some(33),
                &format!("Object with ID '{node}' does not exist"),
            );
        };
    let mut data = Vec::new();
    for metric in metrics {
        let Some(value) = values.get(metric) else {
            return graph_error(
                400,
                100,
                None,
                &format!("(#100) The value must be a valid insights metric: {metric}"),
            );
        };
        data.push(json!({"name": metric, "period": "lifetime", "values": [{"value": value}]}));
    }
    Json(json!({ "data": data })).into_response()
}

fn read_node(state: &mut GraphState, node: &str, params: &Params) -> Response {
    let fields = params.get("fields").unwrap_or_default();
    if let Some(page) = state.page(node) {
        let mut answer = json!({"id": page.id, "name": page.name, "followers_count": page.followers, "fan_count": page.followers});
        if fields.contains("instagram_business_account")
            && let Some((id, username, name)) = &page.instagram
        {
            answer["instagram_business_account"] =
                json!({"id": id, "username": username, "name": name});
        }
        return Json(answer).into_response();
    }
    if state.ig_page(node).is_some() {
        let media = state
            .live_media()
            .iter()
            .filter(|m| m.ig_user == node)
            .count();
        return Json(
            json!({"id": node, "followers_count": 321, "follows_count": 12, "media_count": media}),
        )
        .into_response();
    }
    if let Some(video) = state
        .videos
        .iter_mut()
        .find(|v| v.id == node && fields.contains("status"))
    {
        let status = if !video.finished {
            "upload_complete"
        } else if video.polls_left > 0 {
            video.polls_left -= 1;
            "processing"
        } else {
            "ready"
        };
        return Json(json!({"id": video.id, "status": {"video_status": status}})).into_response();
    }
    if let Some(post) = state.live_posts().into_iter().find(|p| p.id == node) {
        let comments = state.comments_on(&post.id).len();
        return Json(json!({"id": post.id, "message": post.message, "likes": {"data": [], "summary": {"total_count": post.likes}}, "comments": {"data": [], "summary": {"total_count": comments}}, "shares": {"count": 1}}))
            .into_response();
    }
    if let Some(container) = state.containers.iter_mut().find(|c| c.id == node) {
        if container.status == "IN_PROGRESS" {
            if container.polls_left > 0 {
                container.polls_left -= 1;
            } else {
                container.status = "FINISHED".into();
            }
        }
        return Json(json!({"id": container.id, "status_code": container.status, "status": container.status})).into_response();
    }
    if let Some(media) = state.live_media().into_iter().find(|m| m.id == node) {
        let comments = state.comments_on(&media.id).len();
        return Json(json!({"id": media.id, "caption": media.caption, "permalink": format!("https://www.instagram.com/p/fake{}/", media.id), "like_count": media.likes, "comments_count": comments})).into_response();
    }
    graph_error(
        400,
        100,
        Some(33),
        &format!("Unsupported get request. Object with ID '{node}' does not exist"),
    )
}

fn delete_node(state: &mut GraphState, token: &str, node: &str) -> Response {
    let owner = state
        .posts
        .iter()
        .find(|p| p.id == node)
        .map(|p| p.page_id.clone())
        .or_else(|| {
            state
                .ig_media
                .iter()
                .find(|m| m.id == node)
                .and_then(|m| state.ig_page(&m.ig_user))
                .map(|p| p.id.clone())
        })
        .or_else(|| {
            state
                .comments
                .iter()
                .find(|c| c.id == node)
                .map(|_| String::new())
        });
    match owner {
        Some(_) if state.deleted.iter().any(|d| d == node) => graph_error(
            400,
            100,
            Some(33),
            &format!("Unsupported delete request. Object with ID '{node}' does not exist"),
        ),
        Some(page) if page.is_empty() || state.page(&page).is_some_and(|p| p.token == token) => {
            state.deleted.push(node.to_owned());
            Json(json!({ "success": true })).into_response()
        }
        Some(_) => graph_error(
            403,
            200,
            None,
            "(#200) Requires pages_manage_posts permission to manage the object",
        ),
        None => graph_error(
            400,
            100,
            Some(33),
            &format!("Unsupported delete request. Object with ID '{node}' does not exist"),
        ),
    }
}

/// Instagram calls are made with the token of the Page the account is linked to.
#[allow(clippy::result_large_err)] // the refusal is the response itself, built once per call
fn ig_owner(state: &GraphState, token: &str, ig_user: &str) -> Result<(), Response> {
    match state.ig_page(ig_user) {
        None => Err(graph_error(
            400,
            100,
            Some(33),
            &format!("Unsupported post request. Object with ID '{ig_user}' does not exist"),
        )),
        Some(page) if page.token == token || state.user_tokens.iter().any(|t| t == token) => Ok(()),
        Some(_) => Err(graph_error(
            403,
            10,
            None,
            "(#10) Application does not have permission for this action: instagram_content_publish",
        )),
    }
}

fn create_container(
    state: &mut GraphState,
    token: &str,
    ig_user: &str,
    params: &Params,
) -> Response {
    if let Err(refused) = ig_owner(state, token, ig_user) {
        return refused;
    }
    let media_type = params.get("media_type").unwrap_or("IMAGE").to_owned();
    let carousel_item = params.get("is_carousel_item") == Some("true");
    let caption = params.get("caption").map(str::to_owned);
    if caption.as_ref().is_some_and(|c| c.chars().count() > 2200) {
        return graph_error(
            400,
            100,
            Some(2_207_035),
            "The caption is too long (2,200 characters at most)",
        );
    }
    let alt_text = params.get("alt_text").map(str::to_owned);
    let (url, children) = match media_type.as_str() {
        "IMAGE" => (params.get("image_url").map(str::to_owned), Vec::new()),
        "REELS" | "VIDEO" => (params.get("video_url").map(str::to_owned), Vec::new()),
        "CAROUSEL" => {
            let children: Vec<String> = params
                .get("children")
                .unwrap_or_default()
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect();
            if !(2..=10).contains(&children.len()) {
                return graph_error(
                    400,
                    100,
                    Some(2_207_026),
                    "A carousel takes 2 to 10 children",
                );
            }
            for child in &children {
                if !state.containers.iter().any(|c| {
                    &c.id == child
                        && c.ig_user == ig_user
                        && c.carousel_item
                        && c.status == "FINISHED"
                }) {
                    return graph_error(
                        400,
                        100,
                        Some(2_207_023),
                        &format!(
                            "The child {child} is not a finished carousel item of this account"
                        ),
                    );
                }
            }
            (Some(String::new()), children)
        }
        other => {
            return graph_error(
                400,
                100,
                None,
                &format!(
                    "(#100) media_type {other} is not one of IMAGE, REELS, VIDEO, CAROUSEL, STORIES"
                ),
            );
        }
    };
    let Some(url) = url else {
        return missing(if media_type == "IMAGE" {
            "image_url"
        } else {
            "video_url"
        });
    };
    if media_type != "CAROUSEL" && !(url.starts_with("http://") || url.starts_with("https://")) {
        return graph_error(
            400,
            9004,
            Some(2_207_052),
            "The media could not be fetched from this URI",
        );
    }
    if alt_text.is_some() && media_type != "IMAGE" {
        return graph_error(
            400,
            100,
            None,
            "(#100) alt_text is only supported for images",
        );
    }
    if media_type == "VIDEO" && !carousel_item {
        return graph_error(
            400,
            100,
            Some(2_207_067),
            "VIDEO is only for carousel items; use REELS",
        );
    }
    let video = matches!(media_type.as_str(), "REELS" | "VIDEO");
    let (status, polls_left) = match &state.container_error {
        Some(_) => ("ERROR".to_owned(), 0),
        None if video => ("IN_PROGRESS".to_owned(), state.processing_polls),
        None => ("IN_PROGRESS".to_owned(), 0),
    };
    let id = state.id();
    state.containers.push(Container {
        id: id.clone(),
        ig_user: ig_user.into(),
        media_type,
        url,
        caption,
        alt_text,
        carousel_item,
        children,
        polls_left,
        status,
    });
    Json(json!({ "id": id })).into_response()
}

fn publish_container(
    state: &mut GraphState,
    token: &str,
    ig_user: &str,
    params: &Params,
) -> Response {
    if let Err(refused) = ig_owner(state, token, ig_user) {
        return refused;
    }
    let Some(creation_id) = params.get("creation_id") else {
        return missing("creation_id");
    };
    let used = state
        .live_media()
        .iter()
        .filter(|m| m.ig_user == ig_user && m.created > now_secs() - 86_400)
        .count() as u64;
    if used >= state.ig_quota_total {
        return graph_error(400, 9, Some(2_207_042), "Application request limit reached");
    }
    let Some(container) = state
        .containers
        .iter()
        .find(|c| c.id == creation_id && c.ig_user == ig_user && !c.carousel_item)
        .cloned()
    else {
        return graph_error(400, 9007, Some(2_207_027), "Media ID is not available");
    };
    if container.status != "FINISHED" {
        return graph_error(
            400,
            9007,
            Some(2_207_027),
            &format!(
                "The media is not ready for publishing ({})",
                container.status
            ),
        );
    }
    let (urls, alt_texts) = if container.children.is_empty() {
        (
            vec![container.url.clone()],
            vec![container.alt_text.clone()],
        )
    } else {
        let kids: Vec<&Container> = container
            .children
            .iter()
            .filter_map(|id| state.containers.iter().find(|c| &c.id == id))
            .collect();
        (
            kids.iter().map(|c| c.url.clone()).collect(),
            kids.iter().map(|c| c.alt_text.clone()).collect(),
        )
    };
    let id = state.id();
    state.ig_media.push(IgMedia {
        id: id.clone(),
        ig_user: ig_user.into(),
        caption: container.caption.clone().unwrap_or_default(),
        media_type: container.media_type.clone(),
        urls,
        alt_texts,
        created: now_secs(),
        likes: 0,
    });
    if let Some(c) = state.containers.iter_mut().find(|c| c.id == creation_id) {
        c.status = "PUBLISHED".into();
    }
    Json(json!({ "id": id })).into_response()
}

fn list_media(state: &GraphState, ig_user: &str) -> Response {
    let mut media: Vec<&IgMedia> = state
        .live_media()
        .into_iter()
        .filter(|m| m.ig_user == ig_user)
        .collect();
    media.sort_by_key(|m| std::cmp::Reverse((m.created, m.id.clone())));
    let data: Vec<Value> = media.iter().map(|m| json!({"id": m.id, "caption": m.caption, "timestamp": time(m.created), "permalink": format!("https://www.instagram.com/p/fake{}/", m.id)})).collect();
    Json(json!({ "data": data })).into_response()
}

fn conversations(state: &GraphState, token: &str, page_id: &str, params: &Params) -> Response {
    if let Err(refused) = page_token_for(state, token, page_id) {
        return refused;
    }
    let platform = params.get("platform").unwrap_or("messenger");
    let (granted, permission) = match platform {
        "instagram" => (state.ig_messaging_granted, "instagram_manage_messages"),
        _ => (state.messaging_granted, "pages_messaging"),
    };
    if !granted {
        return graph_error(
            403,
            200,
            None,
            &format!("(#200) Requires {permission} permission to manage the object"),
        );
    }
    let data: Vec<Value> = state
        .conversations
        .iter()
        .filter(|c| c.page_id == page_id && c.platform == platform)
        .map(|c| json!({"id": c.id, "updated_time": time(c.messages.iter().map(|m| m.created).max().unwrap_or(0))}))
        .collect();
    Json(json!({ "data": data })).into_response()
}

fn messages(state: &GraphState, conversation: &str) -> Response {
    let Some(conversation) = state.conversations.iter().find(|c| c.id == conversation) else {
        return graph_error(
            400,
            100,
            Some(33),
            &format!("Object with ID '{conversation}' does not exist"),
        );
    };
    let page = state.page(&conversation.page_id);
    let page_name = page.map(|p| p.name.clone()).unwrap_or_default();
    let ig_username = page
        .and_then(|p| p.instagram.as_ref())
        .map(|(_, username, _)| username.clone())
        .unwrap_or_default();
    let mut messages: Vec<&Message> = conversation.messages.iter().collect();
    messages.sort_by_key(|m| std::cmp::Reverse(m.created));
    let data: Vec<Value> = messages
        .iter()
        .map(|m| {
            let person = m.from_id == conversation.user_id;
            // Instagram names the sender by username, Messenger by name.
            let from = match (conversation.platform, person) {
                ("instagram", true) => json!({"id": m.from_id, "username": conversation.user_name}),
                ("instagram", false) => json!({"id": m.from_id, "username": ig_username}),
                (_, true) => json!({"id": m.from_id, "name": conversation.user_name}),
                (_, false) => json!({"id": m.from_id, "name": page_name}),
            };
            json!({"id": m.id, "message": m.text, "created_time": time(m.created), "from": from})
        })
        .collect();
    Json(json!({ "data": data })).into_response()
}

/// The Send API: a `RESPONSE` only within 24 hours of the person's last message. A recipient
/// of an Instagram conversation gets the message from the linked Instagram account
/// (<https://developers.facebook.com/docs/messenger-platform/instagram/features/send-message>),
/// where `messaging_type` is not asked for.
fn send_message(state: &mut GraphState, token: &str, page_id: &str, params: &Params) -> Response {
    let ig_user = match page_token_for(state, token, page_id) {
        Ok(page) => page.instagram.as_ref().map(|(id, _, _)| id.clone()),
        Err(refused) => return refused,
    };
    let recipient = params
        .get("recipient")
        .and_then(|r| serde_json::from_str::<Value>(r).ok())
        .and_then(|r| r["id"].as_str().map(str::to_owned));
    let text = params
        .get("message")
        .and_then(|m| serde_json::from_str::<Value>(m).ok())
        .and_then(|m| m["text"].as_str().map(str::to_owned))
        .filter(|t| !t.is_empty());
    let (Some(recipient), Some(text)) = (recipient, text) else {
        return missing("recipient and message");
    };
    let now = now_secs();
    let id = state.id();
    let Some(conversation) = state
        .conversations
        .iter_mut()
        .find(|c| c.page_id == page_id && c.user_id == recipient)
    else {
        return graph_error(
            400,
            551,
            Some(1_545_041),
            "This person isn't available right now.",
        );
    };
    let instagram = conversation.platform == "instagram";
    if !instagram && params.get("messaging_type").is_none() {
        return missing("messaging_type");
    }
    if instagram && !state.ig_messaging_granted {
        return graph_error(
            403,
            200,
            None,
            "(#200) Requires instagram_manage_messages permission to manage the object",
        );
    }
    let last = conversation
        .messages
        .iter()
        .filter(|m| m.from_id == recipient)
        .map(|m| m.created)
        .max()
        .unwrap_or(0);
    if now - last > 86_400 {
        return graph_error(
            400,
            10,
            Some(2_018_278),
            "(#10) This message is sent outside of allowed window.",
        );
    }
    let from_id = match (instagram, ig_user) {
        (true, Some(ig_user)) => ig_user,
        _ => page_id.to_owned(),
    };
    conversation.messages.push(Message {
        id: id.clone(),
        from_id,
        text,
        created: now,
    });
    Json(json!({"recipient_id": recipient, "message_id": id})).into_response()
}
