//! The JSON of the Mastodon REST API calls this adapter makes
//! (<https://docs.joinmastodon.org/entities/>).

use serde::Deserialize;

/// `POST /api/v1/apps` (<https://docs.joinmastodon.org/methods/apps/>).
#[derive(Deserialize)]
pub struct Application {
    pub client_id: String,
    #[serde(default)]
    pub client_secret: Option<String>,
}

/// The Account entity.
#[derive(Deserialize)]
pub struct Account {
    pub id: String,
    pub acct: String,
    #[serde(default)]
    pub username: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub followers_count: Option<u64>,
    #[serde(default)]
    pub following_count: Option<u64>,
    #[serde(default)]
    pub statuses_count: Option<u64>,
}

/// The MediaAttachment entity: `url` is null while the server still processes the file.
#[derive(Deserialize)]
pub struct MediaAttachment {
    pub id: String,
    #[serde(default)]
    pub url: Option<String>,
}

/// The Status entity.
#[derive(Deserialize)]
pub struct Status {
    pub id: String,
    #[serde(default)]
    pub url: Option<String>,
    #[serde(default)]
    pub uri: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    pub created_at: String,
    #[serde(default)]
    pub in_reply_to_id: Option<String>,
    #[serde(default)]
    pub replies_count: Option<u64>,
    #[serde(default)]
    pub reblogs_count: Option<u64>,
    #[serde(default)]
    pub favourites_count: Option<u64>,
    #[serde(default)]
    pub account: Option<Account>,
}

/// The Notification entity (`GET /api/v1/notifications`).
#[derive(Deserialize)]
pub struct Notification {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub account: Account,
    #[serde(default)]
    pub status: Option<Status>,
}

/// The Conversation entity (`GET /api/v1/conversations`): direct messages.
#[derive(Deserialize)]
pub struct Conversation {
    pub id: String,
    #[serde(default)]
    pub last_status: Option<Status>,
}

/// `{"error": "...", "error_description": "..."}`.
#[derive(Deserialize, Default)]
pub struct ApiError {
    #[serde(default)]
    pub error: String,
    #[serde(default)]
    pub error_description: Option<String>,
}

/// A status's HTML content as plain text: tags dropped, paragraphs and breaks as newlines, the
/// few entities Mastodon emits decoded.
pub fn plain_text(html: &str) -> String {
    let spaced = html
        .replace("</p><p>", "\n\n")
        .replace("<br>", "\n")
        .replace("<br/>", "\n")
        .replace("<br />", "\n");
    let mut out = String::with_capacity(spaced.len());
    let mut in_tag = false;
    for c in spaced.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
        .trim()
        .to_owned()
}

#[cfg(test)]
mod tests {
    #[test]
    fn html_becomes_text() {
        assert_eq!(
            super::plain_text("<p>a &amp; <a href=\"x\">@b</a></p><p>c<br>d</p>"),
            "a & @b\n\nc\nd"
        );
    }
}
