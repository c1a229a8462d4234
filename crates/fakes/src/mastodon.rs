//! A fake Mastodon instance: the REST API calls Zenalto makes, in Mastodon's wire format
//! (<https://docs.joinmastodon.org/methods/>), with its error bodies (`{"error": "..."}`).
//!
//! It registers apps (`POST /api/v1/apps`), runs the OAuth code flow with PKCE S256 (the person's
//! consent is [`MastodonFake::approve`]), checks bearer tokens and their scopes, keeps statuses
//! with `Idempotency-Key` replay, media that needs a configurable number of status polls before
//! it is ready, mentions and direct conversations for the inbox, and plays [`Fault`]s armed per
//! route (`"POST /api/v1/statuses"`, `"POST /api/v2/media"`, `"GET /api/v1/media"`, …).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Json, Router,
    body::Bytes,
    extract::{Multipart, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::{Value, json};

use crate::{FakeServer, Fault, FaultQueue};

/// The instance's default `max_characters`.
pub const MAX_CHARACTERS: usize = 500;
/// The account the fake's tokens belong to unless a test names another.
pub const OWNER: &str = "alice";

#[derive(Clone, Debug)]
pub struct FakeApp {
    pub client_id: String,
    pub client_secret: String,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct FakeMedia {
    pub id: String,
    pub account: String,
    pub mime: String,
    pub size: usize,
    pub description: Option<String>,
    /// Status polls still answered with 206 before the file is ready.
    pub polls_left: u32,
    pub polls_seen: u32,
}

#[derive(Clone, Debug)]
pub struct FakeStatus {
    pub id: String,
    pub account: String,
    pub text: String,
    pub visibility: String,
    pub in_reply_to_id: Option<String>,
    pub media_ids: Vec<String>,
    pub idempotency_key: Option<String>,
    pub favourites: u64,
    pub reblogs: u64,
    pub replies: u64,
    pub created_at: String,
}

struct Code {
    client_id: String,
    redirect_uri: String,
    challenge: String,
    account: String,
    scopes: Vec<String>,
}

#[derive(Clone)]
struct Token {
    account: String,
    scopes: Vec<String>,
    revoked: bool,
}

#[derive(Default)]
struct Inner {
    next_id: u64,
    apps: Vec<FakeApp>,
    codes: HashMap<String, Code>,
    tokens: HashMap<String, Token>,
    media: HashMap<String, FakeMedia>,
    statuses: Vec<FakeStatus>,
    idempotency: HashMap<(String, String), String>,
    /// (notification id, mentioned account, status id).
    mentions: Vec<(String, String, String)>,
    /// (conversation id, status ids), for direct statuses.
    conversations: Vec<(String, Vec<String>)>,
    followers: u64,
    media_polls: u32,
}

impl Inner {
    fn id(&mut self) -> String {
        self.next_id += 1;
        (113_000_000_000_000_000 + self.next_id).to_string()
    }
}

#[derive(Clone)]
struct Shared {
    inner: Arc<Mutex<Inner>>,
    faults: FaultQueue,
    base_url: Arc<Mutex<String>>,
}

// The error side is the finished HTTP answer a handler returns as is; boxing it buys nothing in
// a test fake.
#[allow(clippy::result_large_err)]
impl Shared {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn base(&self) -> String {
        self.base_url
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// `Err`: answer this now. `Ok(Some(d))`: do the work, then wait `d` before answering.
    async fn fault(&self, route: &str) -> Result<Option<Duration>, Response> {
        match self.faults.take(route) {
            Some(fault @ Fault::Status { .. }) => Err(fault
                .response()
                .unwrap_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())),
            Some(Fault::Delay(wait)) => {
                tokio::time::sleep(wait).await;
                Ok(None)
            }
            Some(Fault::ApplyThenDelay(wait)) => Ok(Some(wait)),
            None => Ok(None),
        }
    }

    /// The account behind the bearer token, or Mastodon's 401/403 answer.
    fn authorize(&self, headers: &HeaderMap, scope: &str) -> Result<String, Response> {
        let token = headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let inner = self.lock();
        let Some(found) = inner.tokens.get(token) else {
            return Err(error(
                StatusCode::UNAUTHORIZED,
                "The access token is invalid",
            ));
        };
        if found.revoked {
            return Err(error(
                StatusCode::UNAUTHORIZED,
                "The access token was revoked",
            ));
        }
        let granted = found
            .scopes
            .iter()
            .any(|s| s == scope || scope.starts_with(&format!("{s}:")));
        if !granted {
            return Err(error(
                StatusCode::FORBIDDEN,
                "This action is outside the authorized scopes",
            ));
        }
        Ok(found.account.clone())
    }
}

fn error(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// A running fake instance.
pub struct MastodonFake {
    pub server: FakeServer,
    pub faults: FaultQueue,
    shared: Shared,
}

impl MastodonFake {
    pub async fn start() -> Self {
        let shared = Shared {
            inner: Arc::new(Mutex::new(Inner::default())),
            faults: FaultQueue::default(),
            base_url: Arc::new(Mutex::new(String::new())),
        };
        let router = Router::new()
            .route("/api/v1/apps", post(create_app))
            .route("/oauth/token", post(token))
            .route("/oauth/revoke", post(revoke))
            .route(
                "/api/v1/accounts/verify_credentials",
                get(verify_credentials),
            )
            .route("/api/v2/media", post(upload_media))
            .route("/api/v1/media/{id}", get(get_media))
            .route("/api/v1/statuses", post(create_status))
            .route(
                "/api/v1/statuses/{id}",
                get(get_status).delete(delete_status),
            )
            .route("/api/v1/notifications", get(notifications))
            .route("/api/v1/conversations", get(conversations))
            .with_state(shared.clone());
        let server = FakeServer::start(router).await;
        *shared.base_url.lock().unwrap_or_else(|p| p.into_inner()) = server.base_url.clone();
        Self {
            faults: shared.faults.clone(),
            server,
            shared,
        }
    }

    pub fn url(&self) -> &str {
        &self.server.base_url
    }

    /// A token for `account` with these scopes, as if the person had connected.
    pub fn token_for(&self, account: &str, scopes: &[&str]) -> String {
        let token = format!("tok-{account}-{}", self.shared.lock().id());
        self.shared.lock().tokens.insert(
            token.clone(),
            Token {
                account: account.into(),
                scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
                revoked: false,
            },
        );
        token
    }

    /// The person approves the app on the authorization page: the code the redirect carries.
    pub fn approve(
        &self,
        client_id: &str,
        redirect_uri: &str,
        code_challenge: &str,
        scopes: &[&str],
    ) -> String {
        let mut inner = self.shared.lock();
        let code = format!("code-{}", inner.id());
        inner.codes.insert(
            code.clone(),
            Code {
                client_id: client_id.into(),
                redirect_uri: redirect_uri.into(),
                challenge: code_challenge.into(),
                account: OWNER.into(),
                scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            },
        );
        code
    }

    /// Uploaded media stays "processing" for this many status polls.
    pub fn set_media_polls(&self, polls: u32) {
        self.shared.lock().media_polls = polls;
    }

    pub fn set_followers(&self, followers: u64) {
        self.shared.lock().followers = followers;
    }

    pub fn apps(&self) -> Vec<FakeApp> {
        self.shared.lock().apps.clone()
    }

    pub fn statuses(&self) -> Vec<FakeStatus> {
        self.shared.lock().statuses.clone()
    }

    pub fn media(&self, id: &str) -> Option<FakeMedia> {
        self.shared.lock().media.get(id).cloned()
    }

    pub fn token_revoked(&self, token: &str) -> bool {
        self.shared
            .lock()
            .tokens
            .get(token)
            .is_some_and(|t| t.revoked)
    }

    pub fn set_counts(&self, status_id: &str, favourites: u64, reblogs: u64, replies: u64) {
        if let Some(status) = self
            .shared
            .lock()
            .statuses
            .iter_mut()
            .find(|s| s.id == status_id)
        {
            (status.favourites, status.reblogs, status.replies) = (favourites, reblogs, replies);
        }
    }

    /// `from` mentions the owner (a reply when `in_reply_to` is set): a status and a notification.
    pub fn mention(&self, from: &str, text: &str, in_reply_to: Option<&str>) -> String {
        let mut inner = self.shared.lock();
        let id = insert_status(
            &mut inner,
            from,
            &format!("@{OWNER} {text}"),
            "public",
            in_reply_to,
            vec![],
            None,
        );
        let notification = inner.id();
        inner
            .mentions
            .push((notification, OWNER.into(), id.clone()));
        id
    }

    /// `from` writes the owner a direct message: a new conversation.
    pub fn direct_message(&self, from: &str, text: &str) -> String {
        let mut inner = self.shared.lock();
        let id = insert_status(
            &mut inner,
            from,
            &format!("@{OWNER} {text}"),
            "direct",
            None,
            vec![],
            None,
        );
        let conversation = inner.id();
        inner.conversations.push((conversation, vec![id.clone()]));
        id
    }
}

fn insert_status(
    inner: &mut Inner,
    account: &str,
    text: &str,
    visibility: &str,
    in_reply_to: Option<&str>,
    media_ids: Vec<String>,
    key: Option<String>,
) -> String {
    let id = inner.id();
    if let Some(parent) = in_reply_to.and_then(|p| inner.statuses.iter_mut().find(|s| s.id == p)) {
        parent.replies += 1;
    }
    inner.statuses.push(FakeStatus {
        id: id.clone(),
        account: account.into(),
        text: text.into(),
        visibility: visibility.into(),
        in_reply_to_id: in_reply_to.map(str::to_owned),
        media_ids,
        idempotency_key: key,
        favourites: 0,
        reblogs: 0,
        replies: 0,
        created_at: format!("2026-11-30T12:00:{:02}.000Z", inner.next_id % 60),
    });
    id
}

fn account_id(acct: &str) -> String {
    format!("{}", 100 + acct.bytes().map(u64::from).sum::<u64>())
}

fn account_json(acct: &str, followers: u64, statuses: usize) -> Value {
    json!({ "id": account_id(acct), "username": acct, "acct": acct, "display_name": format!("{acct} (fake)"), "followers_count": followers, "following_count": 3, "statuses_count": statuses })
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn status_json(shared: &Shared, inner: &Inner, status: &FakeStatus) -> Value {
    let base = shared.base();
    let media: Vec<Value> = status
        .media_ids
        .iter()
        .filter_map(|id| inner.media.get(id))
        .map(|m| json!({ "id": m.id, "type": if m.mime.starts_with("video/") { "video" } else { "image" }, "url": format!("{base}/media/{}", m.id), "description": m.description }))
        .collect();
    let own = inner
        .statuses
        .iter()
        .filter(|s| s.account == status.account)
        .count();
    json!({
        "id": status.id,
        "uri": format!("{base}/users/{}/statuses/{}", status.account, status.id),
        "url": format!("{base}/@{}/{}", status.account, status.id),
        "created_at": status.created_at,
        "content": format!("<p>{}</p>", escape(&status.text)),
        "visibility": status.visibility,
        "in_reply_to_id": status.in_reply_to_id,
        "media_attachments": media,
        "account": account_json(&status.account, inner.followers, own),
        "replies_count": status.replies,
        "reblogs_count": status.reblogs,
        "favourites_count": status.favourites,
    })
}

fn form(body: &Bytes) -> Vec<(String, String)> {
    url::form_urlencoded::parse(body).into_owned().collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

async fn create_app(State(shared): State<Shared>, body: Bytes) -> Response {
    if let Err(response) = shared.fault("POST /api/v1/apps").await {
        return response;
    }
    let pairs = form(&body);
    let (Some(name), Some(redirect)) =
        (field(&pairs, "client_name"), field(&pairs, "redirect_uris"))
    else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Validation failed: Application name can't be blank, Redirect URI can't be blank",
        );
    };
    if name.is_empty() {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Validation failed: Application name can't be blank",
        );
    }
    let scopes: Vec<String> = field(&pairs, "scopes")
        .unwrap_or("read")
        .split(' ')
        .map(str::to_owned)
        .collect();
    let mut inner = shared.lock();
    let n = inner.id();
    let app = FakeApp {
        client_id: format!("client-{n}"),
        client_secret: format!("secret-{n}"),
        redirect_uris: redirect.split('\n').map(str::to_owned).collect(),
        scopes: scopes.clone(),
    };
    inner.apps.push(app.clone());
    Json(json!({ "id": n, "name": name, "redirect_uri": redirect, "redirect_uris": app.redirect_uris, "client_id": app.client_id, "client_secret": app.client_secret, "scopes": scopes }))
        .into_response()
}

fn oauth_error(status: StatusCode, code: &str, description: &str) -> Response {
    (
        status,
        Json(json!({ "error": code, "error_description": description })),
    )
        .into_response()
}

async fn token(State(shared): State<Shared>, body: Bytes) -> Response {
    if let Err(response) = shared.fault("POST /oauth/token").await {
        return response;
    }
    let pairs = form(&body);
    let mut inner = shared.lock();
    let client_id = field(&pairs, "client_id").unwrap_or_default();
    let Some(app) = inner
        .apps
        .iter()
        .find(|a| a.client_id == client_id)
        .cloned()
    else {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        );
    };
    if field(&pairs, "client_secret") != Some(app.client_secret.as_str()) {
        return oauth_error(
            StatusCode::UNAUTHORIZED,
            "invalid_client",
            "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.",
        );
    }
    if field(&pairs, "grant_type") != Some("authorization_code") {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "unsupported_grant_type",
            "The authorization grant type is not supported by the authorization server.",
        );
    }
    let invalid_grant = || {
        oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_grant",
            "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.",
        )
    };
    let Some(code) = inner
        .codes
        .remove(field(&pairs, "code").unwrap_or_default())
    else {
        return invalid_grant();
    };
    if code.client_id != app.client_id
        || Some(code.redirect_uri.as_str()) != field(&pairs, "redirect_uri")
    {
        return invalid_grant();
    }
    let verifier = field(&pairs, "code_verifier").unwrap_or_default();
    use base64::Engine;
    use sha2::Digest;
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    if challenge != code.challenge {
        return invalid_grant();
    }
    let n = inner.id();
    let access = format!("tok-{}-{n}", code.account);
    inner.tokens.insert(
        access.clone(),
        Token {
            account: code.account,
            scopes: code.scopes.clone(),
            revoked: false,
        },
    );
    Json(json!({ "access_token": access, "token_type": "Bearer", "scope": code.scopes.join(" "), "created_at": 1_795_000_000 })).into_response()
}

async fn revoke(State(shared): State<Shared>, body: Bytes) -> Response {
    let pairs = form(&body);
    let mut inner = shared.lock();
    let known = inner.apps.iter().any(|a| {
        Some(a.client_id.as_str()) == field(&pairs, "client_id")
            && Some(a.client_secret.as_str()) == field(&pairs, "client_secret")
    });
    if !known {
        return oauth_error(
            StatusCode::FORBIDDEN,
            "unauthorized_client",
            "You are not authorized to revoke this token",
        );
    }
    if let Some(token) = inner
        .tokens
        .get_mut(field(&pairs, "token").unwrap_or_default())
    {
        token.revoked = true;
    }
    Json(json!({})).into_response()
}

async fn verify_credentials(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    if let Err(response) = shared
        .fault("GET /api/v1/accounts/verify_credentials")
        .await
    {
        return response;
    }
    let account = match shared.authorize(&headers, "read") {
        Ok(a) => a,
        Err(response) => return response,
    };
    let inner = shared.lock();
    let own = inner
        .statuses
        .iter()
        .filter(|s| s.account == account)
        .count();
    Json(account_json(&account, inner.followers, own)).into_response()
}

/// Magic numbers of the files the fake takes: PNG, JPEG, GIF, MP4/MOV.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG") {
        Some("image/png")
    } else if bytes.starts_with(b"\xff\xd8\xff") {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF8") {
        Some("image/gif")
    } else if bytes.len() > 8 && &bytes[4..8] == b"ftyp" {
        Some("video/mp4")
    } else {
        None
    }
}

async fn upload_media(
    State(shared): State<Shared>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    if let Err(response) = shared.fault("POST /api/v2/media").await {
        return response;
    }
    let account = match shared.authorize(&headers, "write") {
        Ok(a) => a,
        Err(response) => return response,
    };
    let (mut file, mut description) = (None, None);
    while let Ok(Some(part)) = multipart.next_field().await {
        match part.name() {
            Some("file") => file = part.bytes().await.ok(),
            Some("description") => description = part.text().await.ok(),
            _ => {}
        }
    }
    let Some(file) = file else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Validation failed: File can't be blank",
        );
    };
    let Some(mime) = sniff(&file) else {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Validation failed: File content type is invalid, File is invalid",
        );
    };
    if description
        .as_deref()
        .is_some_and(|d| d.chars().count() > 1500)
    {
        return error(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Validation failed: Description is too long (maximum is 1500 characters)",
        );
    }
    let mut inner = shared.lock();
    let id = inner.id();
    let polls = inner.media_polls;
    let media = FakeMedia {
        id: id.clone(),
        account,
        mime: mime.into(),
        size: file.len(),
        description: description.clone(),
        polls_left: polls,
        polls_seen: 0,
    };
    inner.media.insert(id.clone(), media);
    let ready = polls == 0;
    let url = ready.then(|| format!("{}/media/{id}", shared.base()));
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::ACCEPTED
    };
    (status, Json(json!({ "id": id, "type": if mime.starts_with("video/") { "video" } else { "image" }, "url": url, "preview_url": url, "description": description }))).into_response()
}

async fn get_media(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(response) = shared.fault("GET /api/v1/media").await {
        return response;
    }
    let account = match shared.authorize(&headers, "write") {
        Ok(a) => a,
        Err(response) => return response,
    };
    let base = shared.base();
    let mut inner = shared.lock();
    let Some(media) = inner.media.get_mut(&id).filter(|m| m.account == account) else {
        return error(StatusCode::NOT_FOUND, "Record not found");
    };
    media.polls_seen += 1;
    if media.polls_left > 0 {
        media.polls_left -= 1;
        return (
            StatusCode::PARTIAL_CONTENT,
            Json(
                json!({ "id": id, "type": "image", "url": null, "description": media.description }),
            ),
        )
            .into_response();
    }
    Json(json!({ "id": id, "type": if media.mime.starts_with("video/") { "video" } else { "image" }, "url": format!("{base}/media/{id}"), "description": media.description })).into_response()
}

/// The parameters of `POST /api/v1/statuses`, from JSON or a form.
struct NewStatus {
    status: String,
    media_ids: Vec<String>,
    in_reply_to_id: Option<String>,
    visibility: String,
}

fn parse_status(headers: &HeaderMap, body: &Bytes) -> Option<NewStatus> {
    let is_json = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        let value: Value = serde_json::from_slice(body).ok()?;
        let media_ids = match value.get("media_ids") {
            None | Some(Value::Null) => vec![],
            Some(Value::Array(ids)) => ids
                .iter()
                .map(|i| i.as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()?,
            Some(_) => return None,
        };
        return Some(NewStatus {
            status: value
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            media_ids,
            in_reply_to_id: value
                .get("in_reply_to_id")
                .and_then(Value::as_str)
                .map(str::to_owned),
            visibility: value
                .get("visibility")
                .and_then(Value::as_str)
                .unwrap_or("public")
                .to_owned(),
        });
    }
    let pairs = form(body);
    Some(NewStatus {
        status: field(&pairs, "status").unwrap_or_default().to_owned(),
        media_ids: pairs
            .iter()
            .filter(|(k, _)| k == "media_ids[]")
            .map(|(_, v)| v.clone())
            .collect(),
        in_reply_to_id: field(&pairs, "in_reply_to_id").map(str::to_owned),
        visibility: field(&pairs, "visibility").unwrap_or("public").to_owned(),
    })
}

async fn create_status(State(shared): State<Shared>, headers: HeaderMap, body: Bytes) -> Response {
    let delay_after = match shared.fault("POST /api/v1/statuses").await {
        Ok(delay) => delay,
        Err(response) => return response,
    };
    let account = match shared.authorize(&headers, "write") {
        Ok(a) => a,
        Err(response) => return response,
    };
    let Some(new) = parse_status(&headers, &body) else {
        return error(StatusCode::BAD_REQUEST, "Malformed request body");
    };
    let key = headers
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let answer = {
        let mut inner = shared.lock();
        if let Some(existing) = key
            .as_ref()
            .and_then(|k| inner.idempotency.get(&(account.clone(), k.clone())))
            .cloned()
        {
            let status = inner.statuses.iter().find(|s| s.id == existing).cloned();
            return match status {
                Some(status) => Json(status_json(&shared, &inner, &status)).into_response(),
                None => error(StatusCode::NOT_FOUND, "Record not found"),
            };
        }
        if new.status.trim().is_empty() && new.media_ids.is_empty() {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Validation failed: Text can't be blank",
            );
        }
        if new.status.chars().count() > MAX_CHARACTERS {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                &format!("Validation failed: Text character limit of {MAX_CHARACTERS} exceeded"),
            );
        }
        if !["public", "unlisted", "private", "direct"].contains(&new.visibility.as_str()) {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Validation failed: Visibility is not included in the list",
            );
        }
        if new.media_ids.len() > 4 {
            return error(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Validation failed: Media attachments too many attachments",
            );
        }
        for id in &new.media_ids {
            match inner.media.get(id) {
                Some(media) if media.account == account && media.polls_left == 0 => {}
                Some(media) if media.account == account => {
                    return error(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "Cannot attach files that have not finished processing. Try again in a moment!",
                    );
                }
                _ => {
                    return error(
                        StatusCode::UNPROCESSABLE_ENTITY,
                        "Validation failed: Media attachments are invalid",
                    );
                }
            }
        }
        if let Some(parent) = &new.in_reply_to_id
            && !inner.statuses.iter().any(|s| &s.id == parent)
        {
            return error(StatusCode::NOT_FOUND, "Record not found");
        }
        let id = insert_status(
            &mut inner,
            &account,
            &new.status,
            &new.visibility,
            new.in_reply_to_id.as_deref(),
            new.media_ids,
            key.clone(),
        );
        if new.visibility == "direct"
            && let Some(conversation) = inner
                .conversations
                .iter_mut()
                .find(|(_, ids)| new.in_reply_to_id.as_ref().is_some_and(|p| ids.contains(p)))
        {
            conversation.1.push(id.clone());
        }
        if let Some(key) = key {
            inner.idempotency.insert((account, key), id.clone());
        }
        let status = inner.statuses.iter().find(|s| s.id == id).cloned();
        status.map(|s| status_json(&shared, &inner, &s))
    };
    if let Some(wait) = delay_after {
        tokio::time::sleep(wait).await;
    }
    match answer {
        Some(json) => Json(json).into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn get_status(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(response) = shared.fault("GET /api/v1/statuses").await {
        return response;
    }
    if let Err(response) = shared.authorize(&headers, "read") {
        return response;
    }
    let inner = shared.lock();
    match inner.statuses.iter().find(|s| s.id == id) {
        Some(status) => Json(status_json(&shared, &inner, status)).into_response(),
        None => error(StatusCode::NOT_FOUND, "Record not found"),
    }
}

async fn delete_status(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(response) = shared.fault("DELETE /api/v1/statuses").await {
        return response;
    }
    let account = match shared.authorize(&headers, "write") {
        Ok(a) => a,
        Err(response) => return response,
    };
    let mut inner = shared.lock();
    let Some(index) = inner.statuses.iter().position(|s| s.id == id) else {
        return error(StatusCode::NOT_FOUND, "Record not found");
    };
    if inner.statuses[index].account != account {
        return error(StatusCode::FORBIDDEN, "This action is not allowed");
    }
    let status = inner.statuses[index].clone();
    let mut json = status_json(&shared, &inner, &status);
    json["text"] = json!(status.text);
    inner.statuses.remove(index);
    Json(json).into_response()
}

async fn notifications(
    State(shared): State<Shared>,
    headers: HeaderMap,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    if let Err(response) = shared.fault("GET /api/v1/notifications").await {
        return response;
    }
    let account = match shared.authorize(&headers, "read") {
        Ok(a) => a,
        Err(response) => return response,
    };
    let since = query
        .iter()
        .find(|(k, _)| k == "since_id")
        .map(|(_, v)| v.clone());
    let inner = shared.lock();
    let mut list: Vec<Value> = inner
        .mentions
        .iter()
        .filter(|(id, to, _)| *to == account && since.as_ref().is_none_or(|s| (id.len(), id) > (s.len(), s)))
        .filter_map(|(id, _, status_id)| {
            let status = inner.statuses.iter().find(|s| &s.id == status_id)?;
            Some(json!({ "id": id, "type": "mention", "created_at": status.created_at, "account": account_json(&status.account, 0, 1), "status": status_json(&shared, &inner, status) }))
        })
        .collect();
    list.reverse(); // newest first
    Json(list).into_response()
}

async fn conversations(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    if let Err(response) = shared.fault("GET /api/v1/conversations").await {
        return response;
    }
    let account = match shared.authorize(&headers, "read") {
        Ok(a) => a,
        Err(response) => return response,
    };
    let inner = shared.lock();
    let mut list: Vec<Value> = inner
        .conversations
        .iter()
        .filter_map(|(id, statuses)| {
            let last = inner.statuses.iter().find(|s| Some(&s.id) == statuses.last())?;
            let other = if last.account == account { OWNER } else { last.account.as_str() };
            Some(json!({ "id": id, "unread": true, "accounts": [account_json(other, 0, 1)], "last_status": status_json(&shared, &inner, last) }))
        })
        .collect();
    list.reverse();
    Json(list).into_response()
}
