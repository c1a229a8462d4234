//! `schedule_post` and `reschedule_post`: a post to go out at a wall-clock time in the person's
//! zone (DST handled by the scheduler). Proposed first; the card names the post, its accounts
//! and the time in the person's zone.

use serde_json::{Value, json};
use zenalto_domain::{
    Permission,
    posts::PostStatus,
    publishing::Severity,
    schedule::{LocalDateTime, resolve},
};

use super::{Confirm, Done, Prepared, Tool, ToolContext, args};
use crate::publishing::schedule::ScheduleRequest;
use crate::{FieldErrors, Result, ServiceError};

fn schema() -> Value {
    json!({ "type": "object", "properties": {
        "postId": { "type": "string" },
        "localTime": { "type": "string", "description": "wall-clock time YYYY-MM-DDTHH:MM in the time zone" },
        "timeZone": { "type": "string", "description": "IANA zone; default the user's" }
    }, "required": ["postId", "localTime"], "additionalProperties": false })
}

pub const SCHEDULE: Tool = Tool {
    name: "schedule_post",
    description: "Schedule a post (a draft) to be published at a wall-clock time in the user's time zone. Needs the user's confirmation.",
    permission: Permission::PostPublish,
    confirm: Confirm::Always,
    schema,
};

pub const RESCHEDULE: Tool = Tool {
    name: "reschedule_post",
    description: "Move a scheduled post to another wall-clock time in the user's time zone. Needs the user's confirmation.",
    permission: Permission::PostPublish,
    confirm: Confirm::Always,
    schema,
};

pub async fn prepare(cx: &ToolContext<'_>, args: &Value, moving: bool) -> Result<Prepared> {
    let post = cx.services.get_post(cx.access, args::post_id(args)?).await?;
    let zone = args::zone(args, &cx.zone)?;
    let raw = args::text(args, "localTime")?;
    let local = LocalDateTime::parse(raw).map_err(|e| ServiceError::field("localTime", e.to_string()))?;
    if resolve(local, &zone).at < cx.services.now() {
        return Err(ServiceError::field("localTime", format!("{} is in the past", args::wall_clock_label(&local.to_string(), &zone)?)));
    }
    match (moving, post.status) {
        (true, PostStatus::Scheduled) => {}
        (true, status) => {
            return Err(ServiceError::field("postId", format!("{} is {status}, not scheduled; schedule it instead", args::post_title(&post))));
        }
        (false, status) if !status.is_editable() => {
            return Err(ServiceError::field("postId", format!("{} is {status} and cannot be scheduled", args::post_title(&post))));
        }
        _ => {}
    }
    // Refuse now what the scheduler would refuse on confirmation.
    let mut errors = FieldErrors::new();
    for report in cx.services.validate_post(cx.access, post.id).await? {
        for issue in report.report.issues.iter().filter(|i| i.severity == Severity::Error) {
            errors.entry(format!("post.{}", report.target.network.as_str())).or_insert(format!("{}: {}", report.target.network.label(), issue.message));
        }
    }
    if post.targets.is_empty() {
        errors.insert("post.targets".into(), "the post has no account to go to".into());
    }
    if !errors.is_empty() {
        return Err(ServiceError::Validation(errors));
    }
    let when = args::wall_clock_label(&local.to_string(), &zone)?;
    let audience = args::audience(cx, &post).await?;
    let summary = match (moving, post.scheduled_at) {
        (true, Some(old)) => format!("Move {} from {} to {when}, for {audience}.", args::post_title(&post), args::local_label(old, &zone)),
        _ => format!("Schedule {} for {when}, to {audience}.", args::post_title(&post)),
    };
    let resolved = json!({ "postId": post.id.to_string(), "localTime": local.to_string(), "timeZone": zone.as_str() });
    Ok(Prepared { args: resolved, summary, posts: vec![post.id.to_string()] })
}

pub async fn run(cx: &ToolContext<'_>, args: &Value) -> Result<Done> {
    let zone = args::zone(args, &cx.zone)?;
    let request = ScheduleRequest {
        local_time: Some(args::text(args, "localTime")?.to_owned()),
        time_zone: Some(zone.as_str().to_owned()),
        ..ScheduleRequest::default()
    };
    let scheduled = cx.services.schedule_post(cx.access, args::post_id(args)?, request, cx.meta).await?;
    let post = &scheduled.post;
    let when = post.scheduled_at.map(|at| args::local_label(at, &zone)).unwrap_or_default();
    let summary = format!("Scheduled {} for {when}.", args::post_title(post));
    Ok(Done { summary, data: json!({ "post": args::post_line(post, &zone) }), posts: vec![post.id.to_string()] })
}
