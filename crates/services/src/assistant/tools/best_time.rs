//! `suggest_best_time`: the hours an account's posts do best, from its engagement history
//! (shrunk toward the network prior when it has few posts), in the conversation's time zone.

use serde_json::{Value, json};
use zenalto_domain::Permission;
use zenalto_domain::publishing::Network;

use super::{Confirm, Done, Tool, ToolContext, args};
use crate::{Result, ServiceError};

pub const TOOL: Tool = Tool {
    name: "suggest_best_time",
    description: "Suggest the best hours of the week to post for one connected account (by id, or by network when only one account of it is connected), from the account's own engagement history, in the user's time zone.",
    permission: Permission::PostRead,
    confirm: Confirm::Never,
    schema: || {
        json!({ "type": "object", "properties": {
            "accountId": { "type": "string" },
            "network": { "type": "string", "description": "x, linkedin, mastodon, bluesky, …" },
            "limit": { "type": "integer", "minimum": 1, "maximum": 10 }
        }, "additionalProperties": false })
    },
};

const WEEKDAYS: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

pub async fn run(cx: &ToolContext<'_>, args: &Value) -> Result<Done> {
    let accounts = cx.services.list_accounts(cx.access).await?;
    let account = match (args::optional_text(args, "accountId"), args::optional_text(args, "network")) {
        (Some(id), _) => accounts.iter().find(|a| a.id.to_string() == id).ok_or_else(|| ServiceError::field("accountId", "no such account in this workspace"))?,
        (None, network) => {
            let wanted: Option<Network> = network.map(|n| n.parse().map_err(|_| ServiceError::field("network", format!("unknown network {n}")))).transpose()?;
            let matching: Vec<_> = accounts.iter().filter(|a| wanted.is_none_or(|n| a.network == n)).collect();
            match matching.as_slice() {
                [one] => *one,
                [] => return Err(ServiceError::field("network", "no connected account of that network")),
                several => {
                    let names: Vec<String> = several.iter().map(|a| format!("{} ({})", a.display_name, a.network.label())).collect();
                    return Err(ServiceError::field("accountId", format!("several accounts match: {}; name one", names.join(", "))));
                }
            }
        }
    };
    let limit = args["limit"].as_u64().unwrap_or(3).clamp(1, 10) as usize;
    let best = cx.services.ai_best_times(cx.access, account.id, cx.zone.as_str(), limit).await?;
    let hours: Vec<String> = best
        .slots
        .iter()
        .map(|s| format!("{} {:02}:00 ({:.1}× your average, {} of your posts there)", WEEKDAYS[usize::from(s.weekday.min(6))], s.hour, s.score, s.posts))
        .collect();
    let basis = if best.samples == 0 {
        "You have no published posts with figures yet, so this is our typical-engagement estimate, not yours.".to_owned()
    } else {
        format!("From {} of your published posts with figures (confidence {:.0} %).", best.samples, best.confidence * 100.0)
    };
    let summary = format!("Best times for {} on {} ({}): {}. {basis}", account.display_name, account.network.label(), best.time_zone, hours.join("; "));
    let data = serde_json::to_value(&best).map_err(ServiceError::internal)?;
    Ok(Done { summary, data, posts: Vec::new() })
}
