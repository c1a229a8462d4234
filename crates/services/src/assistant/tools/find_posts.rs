//! `find_posts`: posts whose text holds every given word ("the post about the webinar").

use serde_json::{Value, json};
use zenalto_domain::{Permission, posts::PostStatus};

use super::{Confirm, Done, Tool, ToolContext, args};
use crate::{Result, ServiceError};

pub const TOOL: Tool = Tool {
    name: "find_posts",
    description: "Find posts of the workspace by words in their text (all words must appear, any case), optionally only those in one status. Returns ids to use with the other tools.",
    permission: Permission::PostRead,
    confirm: Confirm::Never,
    schema: || {
        json!({ "type": "object", "properties": {
            "words": { "type": "string", "description": "words the post's text contains, e.g. \"webinar\"" },
            "status": { "type": "string", "enum": ["draft", "pending_approval", "scheduled", "published", "failed", "cancelled"] }
        }, "required": ["words"], "additionalProperties": false })
    },
};

const LIMIT: i64 = 20;

pub async fn run(cx: &ToolContext<'_>, args: &Value) -> Result<Done> {
    let words: Vec<String> = args::text(args, "words")?.split_whitespace().map(str::to_owned).take(8).collect();
    let statuses = match args::optional_text(args, "status") {
        Some(s) => vec![s.parse::<PostStatus>().map_err(|_| ServiceError::field("status", "not a post status"))?.as_str().to_owned()],
        None => Vec::new(),
    };
    let posts = cx.services.find_posts(cx.access, &words, &statuses, LIMIT).await?;
    let lines: Vec<Value> = posts.iter().map(|p| args::post_line(p, &cx.zone)).collect();
    let summary = match posts.len() {
        0 => format!("No post mentions “{}”.", words.join(" ")),
        n => {
            let list: Vec<String> = posts.iter().enumerate().map(|(i, p)| format!("{}. {} — {}", i + 1, args::post_title(p), describe(p, &cx.zone))).collect();
            format!("{n} post{} mention “{}”:\n{}", if n == 1 { "" } else { "s" }, words.join(" "), list.join("\n"))
        }
    };
    Ok(Done { summary, data: json!({ "posts": lines }), posts: posts.iter().map(|p| p.id.to_string()).collect() })
}

/// "scheduled for Fri 4 Dec 2026, 15:00 (Europe/Berlin)", or the status.
pub fn describe(post: &crate::publishing::PostView, zone: &zenalto_domain::schedule::TimeZoneName) -> String {
    match (post.status, post.scheduled_at) {
        (PostStatus::Scheduled, Some(at)) => {
            format!("scheduled for {}", args::local_label(at, zone))
        }
        (status, _) => status.as_str().replace('_', " "),
    }
}
