//! The local interpreter: answers plain-English requests without a language model. `intent`
//! reads what is asked, `when` reads dates and times in the person's zone, and this module
//! resolves which post is meant and calls the same tools a model would — asking a question
//! when a request is ambiguous, and saying plainly what it cannot do.

pub mod intent;
mod posts;
pub mod when;

use serde_json::json;
use zenalto_domain::{posts::PostStatus, schedule::to_local};

use self::intent::{Intent, PostRef};
use self::posts::{Resolved, resolve};
use super::actions::Outcome;
use super::reply::Reply;
use super::tools::ToolContext;
use super::turn::Turn;
use crate::Result;

pub const HELP: &str = "I can: write posts (“write three friendly posts about our spring sale for LinkedIn and Bluesky”), \
schedule or queue them (“schedule it tomorrow at 9am”, “add it to the queue”), move or cancel scheduled ones (“move the post about the webinar to Friday”, \
“cancel the post about the webinar”), show the calendar (“what is on the calendar next week”), your accounts (“show my accounts”), \
how posts did (“how did my posts do last week”), suggest hashtags, rewrite a post (“make it shorter”) and find posts (“find the post about the webinar”).";

pub async fn respond(cx: &ToolContext<'_>, turn: &Turn, reply: &mut Reply<'_>) -> Result<()> {
    let today = to_local(cx.services.now(), &cx.zone).date();
    match intent::parse(&turn.text, today) {
        Intent::Draft { topic, count, networks, style } => {
            if topic.trim().is_empty() {
                reply.say("What should the posts be about? For example: “write a post about our spring sale for LinkedIn”.");
                return Ok(());
            }
            if networks.is_empty() {
                let mut connected: Vec<_> = cx.services.list_accounts(cx.access).await?.into_iter().map(|a| a.network).collect();
                connected.sort_by_key(|n| n.as_str());
                connected.dedup();
                if connected.len() > 1 {
                    let names: Vec<&str> = connected.iter().map(|n| n.label()).collect();
                    reply.say(&format!("Which networks should I write for? {} are connected.", names.join(", ")));
                    return Ok(());
                }
            }
            let args = json!({ "topic": topic, "count": count, "networks": networks.iter().map(|n| n.as_str()).collect::<Vec<_>>(), "tone": style });
            let outcome = reply.call(cx, None, "draft_post", args).await?;
            if matches!(outcome, Ok(Outcome::Done(ref done)) if done.posts.len() > 1) {
                say(reply, outcome);
                reply.say("Say “schedule the first one tomorrow at 9am” when you want one to go out.");
            } else {
                say(reply, outcome);
            }
        }
        Intent::Schedule { post, when } => {
            let Some(post) = pick(cx, turn, reply, &post, &[PostStatus::Draft, PostStatus::Failed, PostStatus::Cancelled, PostStatus::Scheduled]).await? else {
                return Ok(());
            };
            let Some((date, time)) = when.resolve(today, None) else {
                let day = when.day.map(|d| format!(" on {}", when::day_date(d, today))).unwrap_or_default();
                reply.say(&format!("At what time{day} should {} go out? For example “tomorrow at 9am”.", super::tools::post_title(&post)));
                return Ok(());
            };
            let local = format!("{}T{}", date, time.strftime("%H:%M"));
            let outcome = reply.call(cx, None, "schedule_post", json!({ "postId": post.id.to_string(), "localTime": local })).await?;
            say(reply, outcome);
        }
        Intent::Reschedule { post, when } => {
            let Some(post) = pick(cx, turn, reply, &post, &[PostStatus::Scheduled]).await? else {
                return Ok(());
            };
            let keep = post.scheduled_at.map(|at| to_local(at, &cx.zone).time());
            let Some((date, time)) = when.resolve(today, keep).filter(|_| !when.is_empty()) else {
                reply.say(&format!("When should {} go out instead? For example “Friday at 10am”.", super::tools::post_title(&post)));
                return Ok(());
            };
            let local = format!("{}T{}", date, time.strftime("%H:%M"));
            let outcome = reply.call(cx, None, "reschedule_post", json!({ "postId": post.id.to_string(), "localTime": local })).await?;
            say(reply, outcome);
        }
        Intent::Queue { post } => {
            let Some(post) = pick(cx, turn, reply, &post, &[PostStatus::Draft, PostStatus::Failed, PostStatus::Cancelled]).await? else {
                return Ok(());
            };
            let outcome = reply.call(cx, None, "add_to_queue", json!({ "postId": post.id.to_string() })).await?;
            say(reply, outcome);
        }
        Intent::Cancel { post } => {
            let Some(post) = pick(cx, turn, reply, &post, &[PostStatus::Scheduled]).await? else {
                return Ok(());
            };
            let outcome = reply.call(cx, None, "cancel_post", json!({ "postId": post.id.to_string() })).await?;
            say(reply, outcome);
        }
        Intent::Calendar { range } => {
            let last = range.end.yesterday().unwrap_or(range.end);
            let outcome = reply.call(cx, None, "list_calendar", json!({ "from": range.start.to_string(), "to": last.to_string() })).await?;
            say(reply, outcome);
        }
        Intent::Performance { range } => {
            let last = range.end.yesterday().unwrap_or(range.end);
            let outcome = reply.call(cx, None, "summarize_performance", json!({ "from": range.start.to_string(), "to": last.to_string() })).await?;
            say(reply, outcome);
        }
        Intent::BestTime { network } => {
            let args = match network {
                Some(network) => json!({ "network": network.to_string() }),
                None => json!({}),
            };
            let outcome = reply.call(cx, None, "suggest_best_time", args).await?;
            say(reply, outcome);
        }
        Intent::Accounts => {
            let outcome = reply.call(cx, None, "list_accounts", json!({})).await?;
            say(reply, outcome);
        }
        Intent::Hashtags { post } => {
            let Some(post) = pick(cx, turn, reply, &post, &[]).await? else {
                return Ok(());
            };
            let outcome = reply.call(cx, None, "suggest_hashtags", json!({ "postId": post.id.to_string() })).await?;
            say(reply, outcome);
        }
        Intent::Rewrite { post, style } => {
            let Some(post) = pick(cx, turn, reply, &post, &[PostStatus::Draft, PostStatus::Scheduled, PostStatus::Failed, PostStatus::Cancelled]).await? else {
                return Ok(());
            };
            let outcome = reply.call(cx, None, "rewrite_post", json!({ "postId": post.id.to_string(), "style": style })).await?;
            say(reply, outcome);
        }
        Intent::Find { words } => {
            let outcome = reply.call(cx, None, "find_posts", json!({ "words": words.join(" ") })).await?;
            say(reply, outcome);
        }
        Intent::Unsupported(what) => reply.say(&format!("Sorry — {what}.")),
        Intent::Help => reply.say(HELP),
        Intent::Unknown => reply.say(&format!("I did not understand that. {HELP}")),
    }
    Ok(())
}

/// The post a request means, or `None` after asking which one.
async fn pick(
    cx: &ToolContext<'_>,
    turn: &Turn,
    reply: &mut Reply<'_>,
    reference: &PostRef,
    statuses: &[PostStatus],
) -> Result<Option<crate::publishing::PostView>> {
    match resolve(cx, &turn.refs, reference, statuses).await? {
        Resolved::Post(post) => {
            reply.remember(&[post.id.to_string()]);
            Ok(Some(*post))
        }
        Resolved::Ask { question, candidates } => {
            reply.remember(&candidates);
            reply.say(&question);
            Ok(None)
        }
    }
}

/// Puts a tool's outcome into words.
fn say(reply: &mut Reply<'_>, outcome: std::result::Result<Outcome, String>) {
    match outcome {
        Ok(Outcome::Done(done)) => reply.say(&done.summary),
        Ok(Outcome::Card(card, _)) => reply.say(&format!("Please confirm: {} (nothing happens until you confirm)", card.summary)),
        Err(message) => reply.say(&format!("I could not do that: {message}")),
    }
}
