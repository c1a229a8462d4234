//! `cancel_post`: a scheduled post taken off the calendar (back to draft; nothing is deleted).

use serde_json::{Value, json};
use zenalto_domain::{Permission, posts::PostStatus};

use super::{Confirm, Done, Prepared, Tool, ToolContext, args};
use crate::{Result, ServiceError};

pub const TOOL: Tool = Tool {
    name: "cancel_post",
    description: "Cancel a scheduled post: it will not be published and goes back to draft (nothing is deleted). Needs the user's confirmation.",
    permission: Permission::PostPublish,
    confirm: Confirm::Always,
    schema: || json!({ "type": "object", "properties": { "postId": { "type": "string" } }, "required": ["postId"], "additionalProperties": false }),
};

pub async fn prepare(cx: &ToolContext<'_>, args: &Value) -> Result<Prepared> {
    let post = cx.services.get_post(cx.access, args::post_id(args)?).await?;
    let Some(at) = post.scheduled_at.filter(|_| post.status == PostStatus::Scheduled) else {
        return Err(ServiceError::field("postId", format!("{} is {}, not scheduled; there is nothing to cancel", args::post_title(&post), post.status)));
    };
    let audience = args::audience(cx, &post).await?;
    let summary = format!("Cancel {} (scheduled for {} to {audience}); it goes back to draft.", args::post_title(&post), args::local_label(at, &cx.zone));
    Ok(Prepared { args: json!({ "postId": post.id.to_string() }), summary, posts: vec![post.id.to_string()] })
}

pub async fn run(cx: &ToolContext<'_>, args: &Value) -> Result<Done> {
    let post = cx.services.unschedule_post(cx.access, args::post_id(args)?, cx.meta).await?;
    Ok(Done {
        summary: format!("Cancelled {}; it is a draft again.", args::post_title(&post)),
        data: json!({ "post": args::post_line(&post, &cx.zone) }),
        posts: vec![post.id.to_string()],
    })
}
