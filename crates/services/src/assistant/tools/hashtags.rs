//! `suggest_hashtags`: hashtags for a post (or a text), ranked from the workspace's own posts.

use serde_json::{Value, json};
use zenalto_domain::Permission;

use super::{Confirm, Done, Tool, ToolContext, args};
use crate::{Result, ServiceError};

pub const TOOL: Tool = Tool {
    name: "suggest_hashtags",
    description: "Suggest hashtags for a post (by id) or a text, ranked from the hashtags the workspace's own posts used and the text's key phrases.",
    permission: Permission::PostRead,
    confirm: Confirm::Never,
    schema: || {
        json!({ "type": "object", "properties": {
            "postId": { "type": "string" },
            "text": { "type": "string" },
            "limit": { "type": "integer", "minimum": 1, "maximum": 30 }
        }, "additionalProperties": false })
    },
};

pub async fn run(cx: &ToolContext<'_>, args: &Value) -> Result<Done> {
    let (text, posts) = match (args::optional_text(args, "postId"), args::optional_text(args, "text")) {
        (Some(_), _) => {
            let post = cx.services.get_post(cx.access, args::post_id(args)?).await?;
            (post.content.text.clone(), vec![post.id.to_string()])
        }
        (None, Some(text)) => (text.to_owned(), Vec::new()),
        (None, None) => return Err(ServiceError::field("postId", "name a post or give a text")),
    };
    let limit = args["limit"].as_u64().unwrap_or(8) as usize;
    let found = cx.services.ai_hashtags(cx.access, &text, limit).await?;
    let tags: Vec<String> = found.suggestions.iter().map(|s| format!("#{}", s.tag)).collect();
    let summary = if tags.is_empty() { "I found no hashtag worth suggesting for this text.".to_owned() } else { format!("Hashtags: {}", tags.join(" ")) };
    let data = serde_json::to_value(&found).map_err(ServiceError::internal)?;
    Ok(Done { summary, data, posts })
}
