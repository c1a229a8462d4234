//! `list_accounts`: the workspace's connected accounts and their health.

use serde_json::{Value, json};
use zenalto_domain::Permission;

use super::{Confirm, Done, Tool, ToolContext};
use crate::Result;

pub const TOOL: Tool = Tool {
    name: "list_accounts",
    description: "List the workspace's connected social accounts with their network and health (active, expiring, expired, revoked, error).",
    permission: Permission::PostRead,
    confirm: Confirm::Never,
    schema: || json!({ "type": "object", "properties": {}, "additionalProperties": false }),
};

pub async fn run(cx: &ToolContext<'_>) -> Result<Done> {
    let accounts = cx.services.list_accounts(cx.access).await?;
    let data: Vec<Value> = accounts
        .iter()
        .map(|a| json!({ "accountId": a.id.to_string(), "network": a.network.as_str(), "handle": a.handle, "displayName": a.display_name, "health": a.health, "lastError": a.last_error }))
        .collect();
    let summary = if accounts.is_empty() {
        "No account is connected yet; connect one in Settings → Accounts.".to_owned()
    } else {
        let lines: Vec<String> = accounts
            .iter()
            .map(|a| {
                let problem = if a.health == "active" {
                    String::new()
                } else {
                    format!(" — {}{}", a.health, a.last_error.as_deref().map(|e| format!(": {e}")).unwrap_or_default())
                };
                format!("• @{} on {}{problem}", a.handle, a.network.label())
            })
            .collect();
        format!("{} connected account{}:\n{}", accounts.len(), if accounts.len() == 1 { "" } else { "s" }, lines.join("\n"))
    };
    Ok(Done { summary, data: json!({ "accounts": data }), posts: Vec::new() })
}
