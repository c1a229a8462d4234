//! Assertions shared by the HTTP tests.

use reqwest::StatusCode;
use serde_json::Value;

/// Asserts an error answer: status, envelope code, and the rest of the envelope.
#[track_caller]
pub fn expect_error(status: StatusCode, body: &Value, want: StatusCode, code: &str, context: &str) {
    assert_eq!(status, want, "{context}: {body}");
    assert_eq!(body["error"]["code"], code, "{context}: {body}");
    assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{context}: {body}");
    assert!(body["error"]["timestamp"].is_string(), "{context}: {body}");
    assert!(body["error"]["requestId"].as_str().is_some_and(|r| !r.is_empty()), "{context}: {body}");
}

/// The items of a list response.
#[track_caller]
pub fn items(list: &Value) -> &Vec<Value> {
    list["items"].as_array().expect("a list response")
}
