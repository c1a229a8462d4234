//! Reading tool arguments (a model or an MCP client may send anything: each bad argument is a
//! field error naming it) and describing posts in the person's zone.

use jiff::civil::Date;
use serde_json::{Value, json};
use zenalto_domain::{
    PostId, Timestamp,
    schedule::{TimeZoneName, resolve, to_local},
};

use crate::publishing::PostView;
use crate::{Result, ServiceError};

pub fn text<'a>(args: &'a Value, name: &str) -> Result<&'a str> {
    args[name].as_str().map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| ServiceError::field(name, "is required (text)"))
}

pub fn optional_text<'a>(args: &'a Value, name: &str) -> Option<&'a str> {
    args[name].as_str().map(str::trim).filter(|s| !s.is_empty())
}

pub fn post_id(args: &Value) -> Result<PostId> {
    text(args, "postId")?.parse().map_err(|_| ServiceError::field("postId", "is not a post id"))
}

pub fn date(args: &Value, name: &str) -> Result<Date> {
    text(args, name)?.parse().map_err(|_| ServiceError::field(name, "a date as YYYY-MM-DD"))
}

/// `from`..`to` (dates, `to` included) as instants in `zone`.
pub fn date_range(args: &Value, zone: &TimeZoneName) -> Result<(Date, Date, Timestamp, Timestamp)> {
    let from = date(args, "from")?;
    let to = date(args, "to")?;
    if to < from {
        return Err(ServiceError::field("to", "must not be before from"));
    }
    let end = to.tomorrow().map_err(ServiceError::internal)?;
    Ok((from, to, midnight(from, zone)?, midnight(end, zone)?))
}

/// The first instant of a day in a zone (a day starting in a DST gap starts when clocks resume).
pub fn midnight(date: Date, zone: &TimeZoneName) -> Result<Timestamp> {
    let zoned = date.to_zoned(zone.time_zone().clone()).map_err(ServiceError::internal)?;
    Ok(Timestamp::from_millis(zoned.timestamp().as_millisecond()))
}

/// The zone a call names (`timeZone`), else the caller's.
pub fn zone(args: &Value, default: &TimeZoneName) -> Result<TimeZoneName> {
    match optional_text(args, "timeZone") {
        Some(raw) => TimeZoneName::parse(raw).map_err(|e| ServiceError::field("timeZone", e.to_string())),
        None => Ok(default.clone()),
    }
}

/// "Wed 2 Dec 2026, 09:00 (Europe/Berlin)".
pub fn local_label(at: Timestamp, zone: &TimeZoneName) -> String {
    let local = to_local(at, zone).as_civil();
    format!("{} ({})", local.strftime("%a %-d %b %Y, %H:%M"), zone.as_str())
}

/// When a wall-clock time in a zone falls, as a label.
pub fn wall_clock_label(local: &str, zone: &TimeZoneName) -> Result<String> {
    let parsed = zenalto_domain::schedule::LocalDateTime::parse(local).map_err(|e| ServiceError::field("localTime", e.to_string()))?;
    Ok(local_label(resolve(parsed, zone).at, zone))
}

/// The first words of a post, to name it in a sentence.
pub fn post_title(post: &PostView) -> String {
    // One line: a title never carries the post's line breaks.
    let text = post.content.text.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = text.chars().take(60).collect();
    let short = if text.chars().count() > 60 { format!("{}…", short.trim_end()) } else { short };
    if short.is_empty() { "(no text)".into() } else { format!("“{short}”") }
}

/// A post as data for models, clients and cards: id, excerpt, status, networks, and its time in
/// the person's zone.
pub fn post_line(post: &PostView, zone: &TimeZoneName) -> Value {
    json!({
        "postId": post.id.to_string(),
        "title": post_title(post),
        "status": post.status.as_str(),
        "networks": post.targets.iter().map(|t| t.network.as_str()).collect::<Vec<_>>(),
        "scheduledAt": post.scheduled_at.map(|at| at.to_string()),
        "localTime": post.scheduled_at.map(|at| local_label(at, zone)),
    })
}

/// Who a post goes to, for a card: "@bakery (LinkedIn), @bakery.bsky.social (Bluesky)".
pub async fn audience(cx: &super::ToolContext<'_>, post: &PostView) -> Result<String> {
    let accounts = cx.services.list_accounts(cx.access).await?;
    let names: Vec<String> = post
        .targets
        .iter()
        .map(|t| match accounts.iter().find(|a| a.id == t.account_id) {
            Some(a) => format!("@{} ({})", a.handle, t.network.label()),
            None => t.network.label().to_owned(),
        })
        .collect();
    Ok(if names.is_empty() { "no account yet".into() } else { names.join(", ") })
}
