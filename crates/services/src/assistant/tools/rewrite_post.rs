//! `rewrite_post`: a post's text rewritten in a style (`ai_rewrite`) and saved as its new version.

use serde_json::{Value, json};
use zenalto_ai::local::rewrite::Style;
use zenalto_domain::Permission;

use super::{Confirm, Done, Prepared, Tool, ToolContext, args};
use crate::publishing::posts::{PostInput, TargetInput};
use crate::{Result, ServiceError};

pub const TOOL: Tool = Tool {
    name: "rewrite_post",
    description: "Rewrite a post's text in a style (shorten, simplify, formal, casual) and save it as the post's new version.",
    permission: Permission::PostUpdate,
    confirm: Confirm::WhenSpending,
    schema: || {
        json!({ "type": "object", "properties": {
            "postId": { "type": "string" },
            "style": { "type": "string", "enum": ["shorten", "simplify", "formal", "casual"] }
        }, "required": ["postId", "style"], "additionalProperties": false })
    },
};

fn style(args: &Value) -> Result<Style> {
    serde_json::from_value(json!(args::text(args, "style")?)).map_err(|_| ServiceError::field("style", "one of shorten, simplify, formal, casual"))
}

pub async fn prepare(cx: &ToolContext<'_>, args: &Value) -> Result<Prepared> {
    let post = cx.services.get_post(cx.access, args::post_id(args)?).await?;
    let style = style(args)?;
    let summary = format!(
        "Rewrite {} ({}) with the workspace's AI provider (this spends AI budget) and save it as a new version.",
        args::post_title(&post),
        args::text(args, "style")?
    );
    Ok(Prepared { args: json!({ "postId": post.id.to_string(), "style": style }), summary, posts: vec![post.id.to_string()] })
}

pub async fn run(cx: &ToolContext<'_>, args: &Value) -> Result<Done> {
    cx.access.require(Permission::PostUpdate)?;
    let post = cx.services.get_post(cx.access, args::post_id(args)?).await?;
    let rewritten = cx.services.ai_rewrite(cx.access, &post.content.text, style(args)?).await?;
    let mut content = post.content.clone();
    content.text = rewritten.text.clone();
    let input = PostInput {
        content,
        targets: post.targets.iter().map(|t| TargetInput { account_id: t.account_id, overrides: t.overrides.clone() }).collect(),
        campaign: post.campaign.clone(),
        tags: post.tags.clone(),
        notes: post.notes.clone(),
    };
    let updated = cx.services.update_post_if(cx.access, post.id, input, Some(post.version), cx.meta).await?;
    let changes = if rewritten.changes.is_empty() { "no rule applied".to_owned() } else { rewritten.changes.join("; ") };
    let summary = format!("Rewritten ({changes}):\n{}", updated.content.text);
    let data = json!({ "post": args::post_line(&updated, &cx.zone), "text": updated.content.text, "changes": rewritten.changes, "engine": rewritten.engine, "costMicros": rewritten.cost_micros });
    Ok(Done { summary, data, posts: vec![updated.id.to_string()] })
}
