//! Helpers for calendar, feed, CSV and bulk tests: raw-text requests and the calls they repeat.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::{Account, TestApp, read};

/// A response read as text, with its content type.
pub struct TextResponse {
    pub status: StatusCode,
    pub content_type: String,
    pub text: String,
}

impl TestApp {
    /// GET `path` (with an optional bearer token) and return the body as text.
    pub async fn get_text(&self, path: &str, token: Option<&str>) -> TextResponse {
        let response = self.request(Method::GET, path, token).send().await.expect("request sent");
        let status = response.status();
        let content_type = response.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
        TextResponse { status, content_type, text: response.text().await.expect("body") }
    }

    /// Schedules a post at an RFC 3339 instant; panics unless it is accepted.
    pub async fn schedule_at(&self, owner: &Account, post_id: &str, at: &str) -> Value {
        let (status, body) = self.post_action(owner, post_id, "schedule", json!({ "at": at })).await;
        assert_eq!(status, StatusCode::OK, "schedule {post_id} at {at}: {body}");
        body["post"].clone()
    }

    /// A draft with every editable field set, from a `content` object and the rest.
    pub async fn full_draft(&self, owner: &Account, content: Value, accounts: &[&str], campaign: Option<&str>, tags: &[&str], notes: Option<&str>) -> Value {
        let targets: Vec<Value> = accounts.iter().map(|a| json!({ "accountId": a })).collect();
        let body = json!({ "content": content, "targets": targets, "campaign": campaign, "tags": tags, "notes": notes });
        let (status, post) = self.post(&self.posts_path(owner), Some(&owner.access), body).await;
        assert_eq!(status, StatusCode::CREATED, "create post: {post}");
        post
    }

    /// GET the calendar with `query` (without the leading `?`).
    pub async fn calendar(&self, owner: &Account, query: &str) -> (StatusCode, Value) {
        self.get(&format!("/api/v1/workspaces/{}/calendar?{query}", owner.workspace_id), &owner.access).await
    }

    /// The path of the caller's iCalendar feed (the URL's host is the configured public URL,
    /// which in tests is not the test server's address).
    pub async fn feed_path(&self, who: &Account) -> String {
        let path = format!("/api/v1/workspaces/{}/calendar/feed-token", who.workspace_id);
        let (status, body) = self.post(&path, Some(&who.access), json!({})).await;
        assert_eq!(status, StatusCode::OK, "feed token: {body}");
        let url = body["url"].as_str().expect("feed url");
        let start = url.find("/api/v1/calendar-feeds/").unwrap_or_else(|| panic!("not a feed url: {url}"));
        url[start..].to_owned()
    }

    /// The export of the owner's posts, with `query` (without the leading `?`).
    pub async fn export_csv(&self, owner: &Account, query: &str) -> TextResponse {
        self.get_text(&format!("{}/export.csv?{query}", self.posts_path(owner)), Some(&owner.access)).await
    }

    /// POSTs `body` to the import with a content type.
    pub async fn import_csv_as(&self, owner: &Account, content_type: &str, body: impl Into<reqwest::Body>) -> (StatusCode, Value) {
        let request = self.request(Method::POST, &format!("{}/import", self.posts_path(owner)), Some(&owner.access)).header("content-type", content_type).body(body);
        read(request.send().await.expect("request sent")).await
    }

    pub async fn import_csv(&self, owner: &Account, csv: &str) -> (StatusCode, Value) {
        self.import_csv_as(owner, "text/csv", csv.to_owned()).await
    }

    pub async fn bulk(&self, owner: &Account, body: Value) -> (StatusCode, Value) {
        self.post(&format!("{}/bulk", self.posts_path(owner)), Some(&owner.access), body).await
    }

    /// The posts of the owner's workspace with `query` (without the leading `?`).
    pub async fn list_posts(&self, owner: &Account, query: &str) -> Vec<Value> {
        let (status, body) = self.get(&format!("{}?{query}", self.posts_path(owner)), &owner.access).await;
        assert_eq!(status, StatusCode::OK, "list posts: {body}");
        body.as_array().cloned().unwrap_or_default()
    }
}
