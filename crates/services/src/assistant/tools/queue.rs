//! `add_to_queue`: a post scheduled at the next free posting slot of its first account.

use serde_json::{Value, json};
use zenalto_domain::Permission;

use super::{Confirm, Done, Prepared, Tool, ToolContext, args};
use crate::Result;
use crate::publishing::schedule::ScheduleRequest;

pub const TOOL: Tool = Tool {
    name: "add_to_queue",
    description: "Schedule a post at the next free posting slot of its first account. Needs the user's confirmation.",
    permission: Permission::PostPublish,
    confirm: Confirm::Always,
    schema: || json!({ "type": "object", "properties": { "postId": { "type": "string" } }, "required": ["postId"], "additionalProperties": false }),
};

pub async fn prepare(cx: &ToolContext<'_>, args: &Value) -> Result<Prepared> {
    let post = cx.services.get_post(cx.access, args::post_id(args)?).await?;
    let audience = args::audience(cx, &post).await?;
    let summary = format!("Add {} to the queue (the next free posting slot of its first account), to {audience}.", args::post_title(&post));
    Ok(Prepared { args: json!({ "postId": post.id.to_string() }), summary, posts: vec![post.id.to_string()] })
}

pub async fn run(cx: &ToolContext<'_>, args: &Value) -> Result<Done> {
    let request = ScheduleRequest { next_free_slot: true, ..ScheduleRequest::default() };
    let scheduled = cx.services.schedule_post(cx.access, args::post_id(args)?, request, cx.meta).await?;
    let post = &scheduled.post;
    let when = post.scheduled_at.map(|at| args::local_label(at, &cx.zone)).unwrap_or_default();
    Ok(Done {
        summary: format!("Queued {} for {when}.", args::post_title(post)),
        data: json!({ "post": args::post_line(post, &cx.zone) }),
        posts: vec![post.id.to_string()],
    })
}
