//! A fake of a Bluesky PDS's chat proxy: `chat.bsky.convo.listConvos`, `getMessages` and
//! `sendMessage` as the PDS answers them when it forwards to the chat service named by the
//! `atproto-proxy` header, plus `app.bsky.notification.listNotifications` so an inbox test has
//! one origin for everything (as the adapter does). No chat service can run locally, so this
//! follows the lexicons (<https://github.com/bluesky-social/atproto/tree/main/lexicons/chat>)
//! and the PDS's refusals: `InvalidToken: Bad token method` for an app password without the DM
//! privilege. The answer to a missing proxy header is assumed, not observed: the PDS would send
//! the call to its AppView, which does not implement `chat.*`.

// Handlers answer with a `Response` either way; a refusal is one too (test-only code).
#![allow(clippy::result_large_err)]

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use axum::{
    Json, Router,
    extract::{Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use serde_json::{Value, json};

use crate::{FakeServer, Fault, FaultQueue};

pub const ACCESS_TOKEN: &str = "chat-access-jwt";
pub const DID: &str = "did:plc:zenaltome";
pub const HANDLE: &str = "me.test";
pub const CHAT_PROXY: &str = "did:web:api.bsky.chat#bsky_chat";

/// An XRPC error body.
pub fn xrpc_error(error: &str, message: &str) -> String {
    json!({ "error": error, "message": message }).to_string()
}

fn error(status: u16, name: &str, message: &str) -> Response {
    Fault::status(status, xrpc_error(name, message)).response().unwrap_or_else(|| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

#[derive(Clone, Debug)]
pub struct FakeMessage {
    pub id: String,
    pub sender: String,
    pub text: String,
    pub sent_at: String,
}

#[derive(Clone, Debug)]
pub struct FakeConvo {
    pub id: String,
    /// (DID, handle) of each member, the account included.
    pub members: Vec<(String, String)>,
    /// Oldest first.
    pub messages: Vec<FakeMessage>,
}

struct Inner {
    next_id: u64,
    convos: Vec<FakeConvo>,
    notifications: Vec<Value>,
    /// Set when the session's app password lacks "allow access to your direct messages".
    no_dm_privilege: bool,
    page_size: usize,
    sent: Vec<(String, String)>,
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

    /// The PDS's checks, in its order: the session, then the app password's privilege, then
    /// where to forward.
    fn refused(&self, route: &str, headers: &HeaderMap, chat: bool) -> Option<Response> {
        // Only `Fault::Status` is played here: no test of chat needs a slow answer yet.
        if let Some(fault) = self.faults.take(route) {
            return fault.response();
        }
        let token = headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        match token {
            None => return Some(error(401, "AuthMissing", "Authentication Required")),
            Some(t) if t != ACCESS_TOKEN => return Some(error(400, "InvalidToken", "Token could not be verified")),
            Some(_) => {}
        }
        if !chat {
            return None;
        }
        if self.lock().no_dm_privilege {
            return Some(error(400, "InvalidToken", "Bad token method"));
        }
        match headers.get("atproto-proxy").and_then(|v| v.to_str().ok()) {
            None => Some(error(501, "MethodNotImplemented", "Method Not Implemented")),
            Some(p) if p != CHAT_PROXY => Some(error(400, "InvalidRequest", "could not resolve proxy did service url")),
            Some(_) => None,
        }
    }
}

pub struct BlueskyChatFake {
    pub server: FakeServer,
    pub faults: FaultQueue,
    shared: Shared,
}

impl BlueskyChatFake {
    pub async fn start() -> Self {
        let faults = FaultQueue::default();
        let inner = Inner { next_id: 1, convos: Vec::new(), notifications: Vec::new(), no_dm_privilege: false, page_size: 50, sent: Vec::new() };
        let shared = Shared { inner: Arc::new(Mutex::new(inner)), faults: faults.clone() };
        let router = Router::new()
            .route("/xrpc/chat.bsky.convo.listConvos", get(list_convos))
            .route("/xrpc/chat.bsky.convo.getMessages", get(get_messages))
            .route("/xrpc/chat.bsky.convo.sendMessage", post(send_message))
            .route("/xrpc/app.bsky.notification.listNotifications", get(list_notifications))
            .with_state(shared.clone());
        Self { server: FakeServer::start(router).await, faults, shared }
    }

    pub fn base_url(&self) -> &str {
        &self.server.base_url
    }

    /// Adds a conversation between the account and `other` (DID, handle); returns its id.
    pub fn add_convo(&self, other: (&str, &str)) -> String {
        let mut inner = self.shared.lock();
        inner.next_id += 1;
        let id = format!("convo{}", inner.next_id);
        let members = vec![(DID.to_owned(), HANDLE.to_owned()), (other.0.to_owned(), other.1.to_owned())];
        inner.convos.push(FakeConvo { id: id.clone(), members, messages: Vec::new() });
        id
    }

    /// A message in `convo` from `sender` at `sent_at` (RFC 3339); returns its id.
    pub fn add_message(&self, convo: &str, sender: &str, text: &str, sent_at: &str) -> String {
        let mut inner = self.shared.lock();
        inner.next_id += 1;
        let id = format!("msg{}", inner.next_id);
        let message = FakeMessage { id: id.clone(), sender: sender.to_owned(), text: text.to_owned(), sent_at: sent_at.to_owned() };
        if let Some(c) = inner.convos.iter_mut().find(|c| c.id == convo) {
            c.messages.push(message);
        }
        id
    }

    /// `listNotifications` items, verbatim.
    pub fn set_notifications(&self, notifications: Vec<Value>) {
        self.shared.lock().notifications = notifications;
    }

    pub fn set_no_dm_privilege(&self, refused: bool) {
        self.shared.lock().no_dm_privilege = refused;
    }

    /// At most this many convos or messages per page, whatever `limit` asks (to force paging).
    pub fn set_page_size(&self, size: usize) {
        self.shared.lock().page_size = size.max(1);
    }

    pub fn convo(&self, id: &str) -> Option<FakeConvo> {
        self.shared.lock().convos.iter().find(|c| c.id == id).cloned()
    }

    /// (convo id, text) of each `sendMessage`, in order.
    pub fn sent(&self) -> Vec<(String, String)> {
        self.shared.lock().sent.clone()
    }
}

fn message_view(m: &FakeMessage) -> Value {
    json!({ "$type": "chat.bsky.convo.defs#messageView", "id": m.id, "rev": m.id, "text": m.text, "sender": { "did": m.sender }, "sentAt": m.sent_at })
}

/// An offset cursor over `total` items, `size` per page.
fn page(query: &HashMap<String, String>, size: usize, total: usize) -> (usize, usize, Option<String>) {
    let limit = query.get("limit").and_then(|l| l.parse::<usize>().ok()).unwrap_or(50).clamp(1, 100).min(size);
    let start = query.get("cursor").and_then(|c| c.parse::<usize>().ok()).unwrap_or(0).min(total);
    let end = (start + limit).min(total);
    (start, end, (end < total).then(|| end.to_string()))
}

async fn list_convos(State(shared): State<Shared>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Some(refusal) = shared.refused("GET chat.bsky.convo.listConvos", &headers, true) {
        return refusal;
    }
    let inner = shared.lock();
    let mut convos: Vec<&FakeConvo> = inner.convos.iter().collect();
    // Most recently active first, as the chat service lists them.
    convos.sort_by(|a, b| b.messages.last().map(|m| &m.sent_at).cmp(&a.messages.last().map(|m| &m.sent_at)));
    let (start, end, cursor) = page(&query, inner.page_size, convos.len());
    let views: Vec<Value> = convos[start..end]
        .iter()
        .map(|c| {
            let members: Vec<Value> = c.members.iter().map(|(did, handle)| json!({ "did": did, "handle": handle })).collect();
            json!({ "id": c.id, "rev": "1", "members": members, "lastMessage": c.messages.last().map(message_view), "muted": false, "unreadCount": 0 })
        })
        .collect();
    Json(json!({ "cursor": cursor, "convos": views })).into_response()
}

async fn get_messages(State(shared): State<Shared>, headers: HeaderMap, Query(query): Query<HashMap<String, String>>) -> Response {
    if let Some(refusal) = shared.refused("GET chat.bsky.convo.getMessages", &headers, true) {
        return refusal;
    }
    let inner = shared.lock();
    let Some(convo) = query.get("convoId").and_then(|id| inner.convos.iter().find(|c| &c.id == id)) else {
        return error(400, "InvalidRequest", "Convo not found");
    };
    // Newest first.
    let messages: Vec<&FakeMessage> = convo.messages.iter().rev().collect();
    let (start, end, cursor) = page(&query, inner.page_size, messages.len());
    let views: Vec<Value> = messages[start..end].iter().map(|m| message_view(m)).collect();
    Json(json!({ "cursor": cursor, "messages": views })).into_response()
}

async fn send_message(State(shared): State<Shared>, headers: HeaderMap, Json(body): Json<Value>) -> Response {
    if let Some(refusal) = shared.refused("POST chat.bsky.convo.sendMessage", &headers, true) {
        return refusal;
    }
    let convo_id = body["convoId"].as_str().unwrap_or_default().to_owned();
    let Some(text) = body.pointer("/message/text").and_then(Value::as_str).filter(|t| !t.is_empty()) else {
        return error(400, "InvalidRequest", "Input/message/text must be a string");
    };
    let mut inner = shared.lock();
    inner.next_id += 1;
    let message = FakeMessage { id: format!("msg{}", inner.next_id), sender: DID.to_owned(), text: text.to_owned(), sent_at: sent_now() };
    let Some(convo) = inner.convos.iter_mut().find(|c| c.id == convo_id) else {
        return error(400, "InvalidRequest", "Convo not found");
    };
    convo.messages.push(message.clone());
    inner.sent.push((convo_id, text.to_owned()));
    Json(message_view(&message)).into_response()
}

async fn list_notifications(State(shared): State<Shared>, headers: HeaderMap) -> Response {
    if let Some(refusal) = shared.refused("GET app.bsky.notification.listNotifications", &headers, false) {
        return refusal;
    }
    Json(json!({ "notifications": shared.lock().notifications })).into_response()
}

/// A fixed `sentAt` after any the tests set by hand (they use 2026), so replies sort last.
fn sent_now() -> String {
    "2099-01-01T00:00:00.000Z".to_owned()
}
