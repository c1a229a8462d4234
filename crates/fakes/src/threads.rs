//! A fake of the Threads API (`graph.threads.net`) as the Threads adapter uses it: the token
//! endpoints (<https://developers.facebook.com/documentation/threads/get-started/get-access-tokens-and-permissions>,
//! <https://developers.facebook.com/docs/threads/get-started/long-lived-tokens/>), containers and
//! `threads_publish` (<https://developers.facebook.com/documentation/threads/reference/publishing>),
//! delete, insights and conversations, with Meta's error object.
//!
//! Fault routes: `POST /oauth/access_token`, `GET /access_token`, `GET /refresh_access_token`,
//! `GET /me`, `POST /threads`, `GET /threads`, `POST /threads_publish`, `GET /insights`,
//! `GET /threads_insights`, `GET /threads_publishing_limit`, `GET /conversation`, `GET /{id}`,
//! `DELETE /{id}`.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::{
    Json, Router,
    extract::{Request, State},
    http::Method,
    response::{IntoResponse, Response},
};
use serde_json::{Value, json};

use crate::{
    FakeServer, FaultQueue,
    graph::{Params, before, graph_error, invalid_token, missing, now_secs, time},
};

pub const APP_ID: &str = "fake-threads-app";
pub const APP_SECRET: &str = "fake-threads-secret";
/// The Threads limit, with emoji counted as their UTF-8 bytes.
pub const MAX_TEXT: usize = 500;

#[derive(Clone, Debug)]
pub struct Container {
    pub id: String,
    pub media_type: String,
    pub text: Option<String>,
    pub url: Option<String>,
    pub alt_text: Option<String>,
    pub reply_to: Option<String>,
    pub link: Option<String>,
    pub carousel_item: bool,
    pub children: Vec<String>,
    pub polls_left: u32,
    pub status: String,
}

#[derive(Clone, Debug)]
pub struct ThreadPost {
    pub id: String,
    pub author: String,
    pub text: String,
    pub media_type: String,
    pub urls: Vec<String>,
    pub alt_texts: Vec<Option<String>>,
    pub reply_to: Option<String>,
    pub link: Option<String>,
    pub created: i64,
}

#[derive(Debug)]
pub struct ThreadsState {
    pub user_id: String,
    pub username: String,
    /// Codes the person "came back with".
    pub codes: Vec<String>,
    pub short_tokens: Vec<String>,
    /// Long-lived tokens the API accepts.
    pub tokens: Vec<String>,
    pub containers: Vec<Container>,
    pub posts: Vec<ThreadPost>,
    pub deleted: Vec<String>,
    /// Status checks a media container answers `IN_PROGRESS` before `FINISHED`.
    pub processing_polls: u32,
    /// Containers made from now on end in `ERROR` with this message.
    pub container_error: Option<String>,
    /// The 24-hour quotas of `threads_publishing_limit` (250 posts, 1,000 replies).
    pub quota_total: u64,
    pub reply_quota_total: u64,
    next: u64,
}

impl ThreadsState {
    fn id(&mut self) -> String {
        self.next += 1;
        self.next.to_string()
    }

    pub fn live(&self) -> Vec<&ThreadPost> {
        self.posts
            .iter()
            .filter(|p| !self.deleted.contains(&p.id))
            .collect()
    }

    /// A reply by someone else, for inbox tests.
    pub fn add_reply(&mut self, to: &str, author: &str, text: &str, created: i64) -> String {
        let id = self.id();
        self.posts.push(ThreadPost {
            id: id.clone(),
            author: author.into(),
            text: text.into(),
            media_type: "TEXT".into(),
            urls: Vec::new(),
            alt_texts: Vec::new(),
            reply_to: Some(to.into()),
            link: None,
            created,
        });
        id
    }

    /// Posts and replies the account published in the last 24 hours.
    fn usage(&self) -> (u64, u64) {
        let recent: Vec<&ThreadPost> = self
            .posts
            .iter()
            .filter(|p| p.author == self.username && p.created > now_secs() - 86_400)
            .collect();
        let replies = recent.iter().filter(|p| p.reply_to.is_some()).count() as u64;
        (recent.len() as u64 - replies, replies)
    }

    fn root_of(&self, id: &str) -> String {
        let mut current = id.to_owned();
        while let Some(parent) = self
            .posts
            .iter()
            .find(|p| p.id == current)
            .and_then(|p| p.reply_to.clone())
        {
            current = parent;
        }
        current
    }
}

pub struct ThreadsFake {
    pub server: FakeServer,
    pub faults: FaultQueue,
    state: Arc<Mutex<ThreadsState>>,
}

#[derive(Clone)]
struct Shared {
    state: Arc<Mutex<ThreadsState>>,
    faults: FaultQueue,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, ThreadsState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

impl ThreadsFake {
    /// A fake with one user (`user_id`, `username`) and one long-lived token for them.
    pub async fn start(user_id: &str, username: &str, token: &str) -> Self {
        let state = Arc::new(Mutex::new(ThreadsState {
            user_id: user_id.into(),
            username: username.into(),
            codes: Vec::new(),
            short_tokens: Vec::new(),
            tokens: vec![token.into()],
            containers: Vec::new(),
            posts: Vec::new(),
            deleted: Vec::new(),
            processing_polls: 0,
            container_error: None,
            quota_total: 250,
            reply_quota_total: 1000,
            next: 18_000_000,
        }));
        let faults = FaultQueue::default();
        let router = Router::new().fallback(handle).with_state(Shared {
            state: state.clone(),
            faults: faults.clone(),
        });
        Self {
            server: FakeServer::start(router).await,
            faults,
            state,
        }
    }

    pub fn base_url(&self) -> &str {
        &self.server.base_url
    }

    pub fn state(&self) -> MutexGuard<'_, ThreadsState> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The official counter: characters, with each emoji counted as its UTF-8 bytes.
pub fn text_length(text: &str) -> usize {
    text.chars()
        .map(|c| {
            if u32::from(c) >= 0x1F000 || (0x2600..0x27C0).contains(&u32::from(c)) {
                c.len_utf8()
            } else {
                1
            }
        })
        .sum()
}

async fn handle(State(shared): State<Shared>, method: Method, request: Request) -> Response {
    let path = request.uri().path().trim_matches('/').to_owned();
    let segments: Vec<String> = path.split('/').map(str::to_owned).collect();
    let (route, rest): (String, Vec<String>) = match segments.as_slice() {
        [one] | [one, _]
            if matches!(
                one.as_str(),
                "oauth" | "access_token" | "refresh_access_token"
            ) =>
        {
            (format!("{method} /{path}"), segments.clone())
        }
        [version, node] if version.starts_with('v') => (
            if node == "me" {
                format!("{method} /me")
            } else {
                format!("{method} /{{id}}")
            },
            vec![node.clone()],
        ),
        [version, node, edge] if version.starts_with('v') => (
            format!("{method} /{edge}"),
            vec![node.clone(), edge.clone()],
        ),
        _ => {
            return graph_error(
                400,
                2500,
                None,
                &format!("Unknown path components: /{path}"),
            );
        }
    };
    let after = match before(&shared.faults, &route).await {
        Ok(after) => after,
        Err(response) => return response,
    };
    let (params, token) = Params::read(request).await;
    let response = route_call(&shared, &method, &rest, &params, token.as_deref());
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
    let mut state = shared.lock();
    match rest
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["oauth", "access_token"] if method == Method::POST => {
            return code_exchange(&mut state, params);
        }
        ["access_token"] => return long_lived(&mut state, params),
        ["refresh_access_token"] => return refresh(&mut state, params),
        _ => {}
    }
    let Some(_token) = token.filter(|t| state.tokens.iter().any(|known| known == t)) else {
        return invalid_token();
    };
    let node = if rest[0] == "me" {
        state.user_id.clone()
    } else {
        rest[0].clone()
    };
    match (method.as_str(), rest.get(1).map(String::as_str)) {
        ("GET", None) => read_node(&mut state, &node),
        ("DELETE", None) => {
            if state.live().iter().any(|p| p.id == node && p.author == state.username) {
                state.deleted.push(node.clone());
                Json(json!({"success": true, "deleted_id": node})).into_response()
            } else {
                graph_error(400, 100, Some(33), &format!("Object with ID '{node}' does not exist"))
            }
        }
        ("POST", Some("threads")) => create_container(&mut state, &node, params),
        ("GET", Some("threads")) => {
            let mut own: Vec<&ThreadPost> = state.live().into_iter().filter(|p| p.author == state.username && p.reply_to.is_none()).collect();
            own.sort_by_key(|p| std::cmp::Reverse((p.created, p.id.clone())));
            let limit: usize = params.get("limit").and_then(|l| l.parse().ok()).unwrap_or(25);
            let data: Vec<Value> = own.iter().take(limit).map(|p| json!({"id": p.id, "text": p.text, "timestamp": time(p.created), "permalink": permalink(&p.id)})).collect();
            Json(json!({ "data": data })).into_response()
        }
        ("POST", Some("threads_publish")) => publish(&mut state, &node, params),
        ("GET", Some("threads_publishing_limit")) => {
            let (posts, replies) = state.usage();
            Json(json!({"data": [{
                "quota_usage": posts, "config": {"quota_total": state.quota_total, "quota_duration": 86_400},
                "reply_quota_usage": replies, "reply_config": {"quota_total": state.reply_quota_total, "quota_duration": 86_400},
            }]}))
            .into_response()
        }
        ("GET", Some("conversation")) => {
            let mut replies: Vec<&ThreadPost> = state.live().into_iter().filter(|p| p.reply_to.is_some() && state.root_of(&p.id) == node).collect();
            replies.sort_by_key(|p| p.created);
            let data: Vec<Value> = replies.iter().map(|p| json!({"id": p.id, "text": p.text, "username": p.author, "timestamp": time(p.created), "replied_to": {"id": p.reply_to}})).collect();
            Json(json!({ "data": data })).into_response()
        }
        ("GET", Some("insights")) => {
            if !state.live().iter().any(|p| p.id == node) {
                return graph_error(400, 100, Some(33), &format!("Object with ID '{node}' does not exist"));
            }
            let replies = state.live().iter().filter(|p| p.reply_to.as_deref() == Some(node.as_str())).count() as u64;
            let values = [("views", 300), ("likes", 12), ("replies", replies), ("reposts", 2), ("quotes", 1), ("shares", 3)];
            let metrics = params.get("metric").unwrap_or_default();
            let data: Vec<Value> = values.iter().filter(|(name, _)| metrics.split(',').any(|m| m == *name)).map(|(name, value)| json!({"name": name, "period": "lifetime", "values": [{"value": value}]})).collect();
            Json(json!({ "data": data })).into_response()
        }
        ("GET", Some("threads_insights")) => Json(json!({"data": [{"name": "followers_count", "period": "day", "total_value": {"value": 4321}}]})).into_response(),
        _ => graph_error(400, 100, None, &format!("(#100) Unsupported {method} request to {}", rest.join("/"))),
    }
}

fn permalink(id: &str) -> String {
    format!("https://www.threads.com/@fake/post/{id}")
}

fn code_exchange(state: &mut ThreadsState, params: &Params) -> Response {
    if params.get("client_id") != Some(APP_ID) || params.get("client_secret") != Some(APP_SECRET) {
        return graph_error(
            400,
            101,
            None,
            "Error validating application. Invalid application ID or secret",
        );
    }
    if params.get("grant_type") != Some("authorization_code")
        || params.get("redirect_uri").is_none()
    {
        return missing("grant_type and redirect_uri");
    }
    let code = params.get("code").unwrap_or_default().to_owned();
    let Some(position) = state.codes.iter().position(|c| *c == code) else {
        return graph_error(400, 100, Some(36_007), "Invalid authorization code");
    };
    state.codes.remove(position);
    let token = format!("short-threads-{}", state.id());
    state.short_tokens.push(token.clone());
    Json(json!({"access_token": token, "user_id": state.user_id})).into_response()
}

fn long_lived(state: &mut ThreadsState, params: &Params) -> Response {
    if params.get("grant_type") != Some("th_exchange_token")
        || params.get("client_secret") != Some(APP_SECRET)
    {
        return graph_error(
            400,
            101,
            None,
            "Error validating application. Invalid application secret",
        );
    }
    let short = params.get("access_token").unwrap_or_default().to_owned();
    if !state.short_tokens.contains(&short) {
        return invalid_token();
    }
    let token = format!("long-threads-{}", state.id());
    state.tokens.push(token.clone());
    Json(json!({"access_token": token, "token_type": "bearer", "expires_in": 5_183_944}))
        .into_response()
}

fn refresh(state: &mut ThreadsState, params: &Params) -> Response {
    let old = params.get("access_token").unwrap_or_default().to_owned();
    if params.get("grant_type") != Some("th_refresh_token") || !state.tokens.contains(&old) {
        return graph_error(
            400,
            190,
            None,
            "Error validating access token: Session has expired",
        );
    }
    let token = format!("long-threads-{}", state.id());
    state.tokens.push(token.clone());
    Json(json!({"access_token": token, "token_type": "bearer", "expires_in": 5_183_944}))
        .into_response()
}

fn read_node(state: &mut ThreadsState, node: &str) -> Response {
    if node == state.user_id {
        return Json(
            json!({"id": state.user_id, "username": state.username, "name": "Zenalto Café"}),
        )
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
        let mut answer = json!({"id": container.id, "status": container.status});
        if container.status == "ERROR" {
            answer["error_message"] = json!("FAILED_DOWNLOADING_VIDEO");
        }
        return Json(answer).into_response();
    }
    if let Some(post) = state.live().into_iter().find(|p| p.id == node) {
        return Json(json!({"id": post.id, "text": post.text, "permalink": permalink(&post.id), "timestamp": time(post.created)})).into_response();
    }
    graph_error(
        400,
        100,
        Some(33),
        &format!("Object with ID '{node}' does not exist"),
    )
}

fn create_container(state: &mut ThreadsState, user: &str, params: &Params) -> Response {
    if user != state.user_id {
        return graph_error(
            403,
            10,
            None,
            "(#10) The user has not authorized application: threads_content_publish",
        );
    }
    let Some(media_type) = params.get("media_type").map(str::to_owned) else {
        return missing("media_type");
    };
    let text = params.get("text").map(str::to_owned);
    if text.as_deref().is_some_and(|t| text_length(t) > MAX_TEXT) {
        return graph_error(
            400,
            100,
            Some(4_279_009),
            "The post text is longer than 500 characters",
        );
    }
    let carousel_item = params.get("is_carousel_item") == Some("true");
    let reply_to = params.get("reply_to_id").map(str::to_owned);
    if let Some(parent) = &reply_to
        && !state.live().iter().any(|p| &p.id == parent)
    {
        return graph_error(
            400,
            100,
            Some(4_279_013),
            &format!("The post {parent} you are replying to does not exist"),
        );
    }
    let (url, children) = match media_type.as_str() {
        "TEXT" if text.as_deref().is_none_or(|t| t.trim().is_empty()) => return missing("text"),
        "TEXT" => (None, Vec::new()),
        "IMAGE" => (params.get("image_url").map(str::to_owned), Vec::new()),
        "VIDEO" => (params.get("video_url").map(str::to_owned), Vec::new()),
        "CAROUSEL" => {
            let children: Vec<String> = params
                .get("children")
                .unwrap_or_default()
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect();
            if !(2..=20).contains(&children.len()) {
                return graph_error(400, 100, None, "A carousel takes 2 to 20 children");
            }
            if let Some(bad) = children.iter().find(|id| {
                !state
                    .containers
                    .iter()
                    .any(|c| &c.id == *id && c.carousel_item && c.status == "FINISHED")
            }) {
                return graph_error(
                    400,
                    100,
                    None,
                    &format!("The child {bad} is not a finished carousel item"),
                );
            }
            (None, children)
        }
        other => {
            return graph_error(
                400,
                100,
                None,
                &format!("(#100) media_type {other} must be TEXT, IMAGE, VIDEO or CAROUSEL"),
            );
        }
    };
    if matches!(media_type.as_str(), "IMAGE" | "VIDEO")
        && !url.as_deref().is_some_and(|u| u.starts_with("http"))
    {
        return missing(if media_type == "IMAGE" {
            "image_url"
        } else {
            "video_url"
        });
    }
    let (status, polls_left) = match (&state.container_error, media_type.as_str()) {
        (Some(_), "IMAGE" | "VIDEO") => ("ERROR", 0),
        (_, "VIDEO") => ("IN_PROGRESS", state.processing_polls),
        _ => ("IN_PROGRESS", 0),
    };
    let id = state.id();
    state.containers.push(Container {
        id: id.clone(),
        media_type,
        text,
        url,
        alt_text: params.get("alt_text").map(str::to_owned),
        reply_to,
        link: params.get("link_attachment").map(str::to_owned),
        carousel_item,
        children,
        polls_left,
        status: status.into(),
    });
    Json(json!({ "id": id })).into_response()
}

fn publish(state: &mut ThreadsState, user: &str, params: &Params) -> Response {
    if user != state.user_id {
        return graph_error(
            403,
            10,
            None,
            "(#10) The user has not authorized application: threads_content_publish",
        );
    }
    let Some(creation_id) = params.get("creation_id") else {
        return missing("creation_id");
    };
    let Some(container) = state
        .containers
        .iter()
        .find(|c| c.id == creation_id && !c.carousel_item)
        .cloned()
    else {
        return graph_error(
            400,
            24,
            Some(4_279_009),
            "The requested resource does not exist",
        );
    };
    if container.status != "FINISHED" {
        return graph_error(
            400,
            24,
            Some(4_279_009),
            &format!(
                "The media is not ready to be published ({})",
                container.status
            ),
        );
    }
    let (urls, alt_texts) = if container.children.is_empty() {
        (
            container.url.iter().cloned().collect(),
            vec![container.alt_text.clone()],
        )
    } else {
        let kids: Vec<&Container> = container
            .children
            .iter()
            .filter_map(|id| state.containers.iter().find(|c| &c.id == id))
            .collect();
        (
            kids.iter().filter_map(|c| c.url.clone()).collect(),
            kids.iter().map(|c| c.alt_text.clone()).collect(),
        )
    };
    let id = state.id();
    let post = ThreadPost {
        id: id.clone(),
        author: state.username.clone(),
        text: container.text.clone().unwrap_or_default(),
        media_type: container.media_type.clone(),
        urls,
        alt_texts,
        reply_to: container.reply_to.clone(),
        link: container.link.clone(),
        created: now_secs(),
    };
    state.posts.push(post);
    if let Some(c) = state.containers.iter_mut().find(|c| c.id == creation_id) {
        c.status = "PUBLISHED".into();
    }
    Json(json!({ "id": id })).into_response()
}
