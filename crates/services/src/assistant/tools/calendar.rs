//! `list_calendar`: what is scheduled between two dates, in the person's zone.

use serde_json::{Value, json};
use zenalto_domain::Permission;
use zenalto_store::repo::posts::PostFilter;

use super::{Confirm, Done, Tool, ToolContext, args};
use crate::Result;
use crate::publishing::calendar::GroupBy;

pub const TOOL: Tool = Tool {
    name: "list_calendar",
    description: "List the posts scheduled from one date to another (both included, in the user's time zone), grouped by day.",
    permission: Permission::PostRead,
    confirm: Confirm::Never,
    schema: || {
        json!({ "type": "object", "properties": {
            "from": { "type": "string", "description": "first day, YYYY-MM-DD" },
            "to": { "type": "string", "description": "last day, YYYY-MM-DD (included)" },
            "timeZone": { "type": "string", "description": "IANA zone; default the user's" }
        }, "required": ["from", "to"], "additionalProperties": false })
    },
};

const LIMIT: i64 = 200;

pub async fn run(cx: &ToolContext<'_>, args: &Value) -> Result<Done> {
    let zone = args::zone(args, &cx.zone)?;
    let (from, to, start, end) = args::date_range(args, &zone)?;
    let filter = PostFilter { from: Some(start), to: Some(end), statuses: vec!["scheduled".into()], ..PostFilter::default() };
    let calendar = cx.services.calendar(cx.access, &filter, GroupBy::Day, zone.clone(), LIMIT).await?;
    let mut lines = Vec::new();
    let mut days = Vec::new();
    let mut ids = Vec::new();
    for group in &calendar.groups {
        lines.push(format!("{}:", group.key));
        for post in &group.posts {
            lines.push(format!("  • {} {}", post.scheduled_at.map(|at| args::local_label(at, &zone)).unwrap_or_default(), args::post_title(post)));
            ids.push(post.id.to_string());
        }
        days.push(json!({ "day": group.key, "posts": group.posts.iter().map(|p| args::post_line(p, &zone)).collect::<Vec<_>>() }));
    }
    let span = if from == to { format!("on {from}") } else { format!("from {from} to {to}") };
    let summary = if ids.is_empty() {
        format!("Nothing is scheduled {span}.")
    } else {
        format!("{} post{} scheduled {span}:\n{}", ids.len(), if ids.len() == 1 { "" } else { "s" }, lines.join("\n"))
    };
    Ok(Done {
        summary,
        data: json!({ "from": from.to_string(), "to": to.to_string(), "timeZone": zone.as_str(), "days": days, "truncated": calendar.truncated }),
        posts: ids,
    })
}
