//! Local fakes of the AI providers, each an axum server on port 0 speaking its provider's wire
//! format: requests are checked as the real service checks them (missing key, malformed body →
//! the provider's own error shape), answers are deterministic (echo text, a call of the first
//! tool, an object matching the asked schema), and faults can be queued: 429 with retry-after,
//! 5xx, a slow answer, content filtered, quota exceeded.

pub mod anthropic;
pub mod gemini;
pub mod openai;

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use serde_json::{Value, json};

/// The key every fake accepts.
pub const KEY: &str = "fake-provider-key";

#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// 429 with `retry-after` in seconds (Gemini: `RetryInfo.retryDelay`).
    RateLimited { retry_after_secs: u64 },
    /// The provider's 5xx (500, 529 overloaded, 503 unavailable).
    ServerError,
    /// Answers only after this long.
    Slow(Duration),
    /// A 200 whose answer was withheld by the safety filter.
    ContentFiltered,
    /// The account's quota or credit is used up.
    QuotaExceeded,
}

/// One scripted answer: the fake plays these in order before its default behaviour, so a test
/// can have the model call a tool with chosen arguments, then answer with text once it has the
/// tool's result.
#[derive(Clone, Debug, PartialEq)]
pub enum Scripted {
    ToolCall { name: String, arguments: Value },
    Text(String),
}

#[derive(Default)]
pub struct State {
    faults: Mutex<VecDeque<Fault>>,
    script: Mutex<VecDeque<Scripted>>,
    calls: AtomicUsize,
    requests: Mutex<Vec<Value>>,
}

impl State {
    /// Records a call and returns the fault to play for it, if any.
    pub(crate) fn call(&self, body: &Value) -> Option<Fault> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.requests.lock().unwrap().push(body.clone());
        self.faults.lock().unwrap().pop_front()
    }

    /// The next scripted answer, if any is left.
    pub(crate) fn scripted(&self) -> Option<Scripted> {
        self.script.lock().unwrap().pop_front()
    }
}

/// A running fake. Dropping it stops the server.
pub struct FakeProvider {
    /// What to configure as the provider's base URL.
    pub base_url: String,
    state: Arc<State>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for FakeProvider {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl FakeProvider {
    pub(crate) async fn spawn(router: axum::Router<Arc<State>>, base_path: &str) -> Self {
        let state = Arc::new(State::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let app = router.with_state(state.clone());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        FakeProvider { base_url: format!("http://{address}{base_path}"), state, task }
    }

    /// Plays `fault` on each of the next `times` calls (after those already queued).
    pub fn fail_next(&self, fault: Fault, times: usize) {
        let mut faults = self.state.faults.lock().unwrap();
        faults.extend(std::iter::repeat_n(fault, times));
    }

    /// Answers the next calls with these, in order (after those already scripted).
    pub fn script(&self, answers: Vec<Scripted>) {
        self.state.script.lock().unwrap().extend(answers);
    }

    /// Every request body received, oldest first.
    pub fn requests(&self) -> Vec<Value> {
        self.state.requests.lock().unwrap().clone()
    }

    pub fn calls(&self) -> usize {
        self.state.calls.load(Ordering::SeqCst)
    }

    /// The body of the latest call.
    pub fn last_request(&self) -> Value {
        self.state.requests.lock().unwrap().last().cloned().unwrap_or(Value::Null)
    }
}

pub(crate) fn json_response(status: StatusCode, body: Value) -> Response {
    let mut response = Response::new(Body::from(body.to_string()));
    *response.status_mut() = status;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

pub(crate) fn with_retry_after(mut response: Response, seconds: u64) -> Response {
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

pub(crate) fn sse_response(events: Vec<(Option<&str>, Value)>, done: bool) -> Response {
    let mut body = String::new();
    for (event, data) in events {
        if let Some(event) = event {
            body.push_str(&format!("event: {event}\n"));
        }
        body.push_str(&format!("data: {data}\n\n"));
    }
    if done {
        body.push_str("data: [DONE]\n\n");
    }
    let mut response = Response::new(Body::from(body));
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/event-stream"));
    response
}

/// The deterministic answer text to a user message.
pub(crate) fn echo(user: &str) -> String {
    format!("Echo: {user}")
}

/// A value matching a JSON schema: strings "fake", numbers 1, booleans true, arrays of one item.
pub fn sample(schema: &Value) -> Value {
    match schema["type"].as_str().map(str::to_lowercase).as_deref() {
        Some("object") => {
            let mut object = serde_json::Map::new();
            for (name, property) in schema["properties"].as_object().into_iter().flatten() {
                object.insert(name.clone(), sample(property));
            }
            Value::Object(object)
        }
        Some("array") => json!([sample(&schema["items"])]),
        Some("integer") | Some("number") => json!(1),
        Some("boolean") => json!(true),
        _ => json!("fake"),
    }
}

/// Splits a text into streaming pieces (words with their following space).
pub(crate) fn pieces(text: &str) -> Vec<String> {
    text.split_inclusive(' ').map(str::to_owned).collect()
}

/// Checks an inline picture as the providers do: a vision type, valid base64, and bytes that
/// really are that type (the services decode them and refuse what they cannot read).
pub(crate) fn check_image(mime: &str, data: &str) -> Result<(), String> {
    use base64::Engine;
    let magic: &[u8] = match mime {
        "image/jpeg" => &[0xFF, 0xD8, 0xFF],
        "image/png" => b"\x89PNG",
        "image/gif" => b"GIF8",
        "image/webp" => b"RIFF",
        other => return Err(format!("image media type '{other}' is not supported; use image/jpeg, image/png, image/gif or image/webp")),
    };
    let bytes = base64::engine::general_purpose::STANDARD.decode(data).map_err(|_| "image data is not valid base64".to_owned())?;
    if !bytes.starts_with(magic) {
        return Err(format!("image data does not match its media type {mime}"));
    }
    Ok(())
}

pub(crate) async fn maybe_slow(fault: &Option<Fault>) {
    if let Some(Fault::Slow(duration)) = fault {
        tokio::time::sleep(*duration).await;
    }
}
