//! The assistant over HTTP: conversations answered by the local interpreter (no provider) and by
//! a fake LLM provider that calls tools, confirmation cards, permissions and tenant scope, and
//! the MCP server driven by the official Python SDK.

mod conversations;
mod local;
mod mcp;
mod provider;
mod scope;

use zenalto_domain::Timestamp;
use zenalto_domain::schedule::{LocalDateTime, TimeZoneName, resolve, to_local};
use zenalto_testkit::{Account, StatusCode, TestApp, Value, json};

pub const ZONE: &str = "Europe/Berlin";

pub fn base(who: &Account) -> String {
    format!("/api/v1/workspaces/{}/assistant", who.workspace_id)
}

/// Starts a conversation in Berlin time; returns its id.
pub async fn conversation(app: &TestApp, who: &Account) -> String {
    let (status, body) = app.post(&format!("{}/conversations", base(who)), Some(&who.access), json!({ "timeZone": ZONE })).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_str().unwrap().to_owned()
}

/// Sends a message and returns the whole reply (the JSON form).
pub async fn say(app: &TestApp, who: &Account, conversation: &str, text: &str) -> Value {
    let (status, body) = app.post(&format!("{}/conversations/{conversation}/messages", base(who)), Some(&who.access), json!({ "text": text })).await;
    assert_eq!(status, StatusCode::OK, "{text}: {body}");
    assert!(body["events"].as_array().unwrap().iter().any(|e| e["type"] == "done"), "the reply ends with done: {body}");
    body
}

pub async fn act(app: &TestApp, who: &Account, action: &str, verb: &str) -> (StatusCode, Value) {
    app.post(&format!("{}/actions/{action}/{verb}", base(who)), Some(&who.access), json!({})).await
}

/// The one card of a reply.
pub fn card(reply: &Value) -> Value {
    let cards = reply["cards"].as_array().unwrap();
    assert_eq!(cards.len(), 1, "one card: {reply}");
    cards[0].clone()
}

/// Names of the tools a reply called.
pub fn tools_called(reply: &Value) -> Vec<String> {
    reply["events"].as_array().unwrap().iter().filter(|e| e["type"] == "tool_call").map(|e| e["name"].as_str().unwrap().to_owned()).collect()
}

/// The local date `days` from today in Berlin, as YYYY-MM-DD.
pub fn berlin_date(days: i64) -> String {
    let zone = TimeZoneName::parse(ZONE).unwrap();
    let today = to_local(Timestamp::now(), &zone).date();
    let mut date = today;
    for _ in 0..days {
        date = date.tomorrow().unwrap();
    }
    date.to_string()
}

/// The instant of a Berlin wall-clock time, RFC 3339 in UTC.
pub fn berlin_instant(date: &str, time: &str) -> String {
    let zone = TimeZoneName::parse(ZONE).unwrap();
    resolve(LocalDateTime::parse(&format!("{date}T{time}")).unwrap(), &zone).at.to_string()
}

/// The next `weekday` (Monday = 0) strictly after today in Berlin, as YYYY-MM-DD.
pub fn next_weekday(monday_offset: i8) -> String {
    let zone = TimeZoneName::parse(ZONE).unwrap();
    let mut date = to_local(Timestamp::now(), &zone).date().tomorrow().unwrap();
    while date.weekday().to_monday_zero_offset() != monday_offset {
        date = date.tomorrow().unwrap();
    }
    date.to_string()
}
