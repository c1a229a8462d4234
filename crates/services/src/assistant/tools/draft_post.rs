//! `draft_post`: drafts from a brief with one version per network (`ai_generate`: the
//! workspace's providers, or the local engine), each saved as a draft post whose targets are the
//! connected accounts of those networks and whose per-network text is an override.

use serde_json::{Value, json};
use zenalto_ai::local::draft::Brief;
use zenalto_ai::local::rewrite::{Style, rewrite};
use zenalto_domain::{
    Permission,
    posts::{ContentOverride, PostContent},
    publishing::Network,
};

use super::{Confirm, Done, Prepared, Tool, ToolContext, args};
use crate::publishing::accounts::Account;
use crate::publishing::posts::{PostInput, TargetInput};
use crate::{Result, ServiceError};

pub const TOOL: Tool = Tool {
    name: "draft_post",
    description: "Write 1–4 draft posts from a brief, each with a version fitted to every chosen network and validated, saved as drafts for the connected accounts of those networks. Nothing is scheduled.",
    permission: Permission::PostCreate,
    confirm: Confirm::WhenSpending,
    schema: || {
        json!({ "type": "object", "properties": {
            "topic": { "type": "string", "description": "what the posts are about" },
            "networks": { "type": "array", "items": { "type": "string" }, "description": "network names (linkedin, bluesky, x, …); default: the only connected network" },
            "count": { "type": "integer", "minimum": 1, "maximum": 4, "description": "how many separate drafts (default 1)" },
            "points": { "type": "array", "items": { "type": "string" }, "description": "facts to mention" },
            "callToAction": { "type": "string" },
            "tone": { "type": "string", "enum": ["casual", "formal", "shorten", "simplify"] }
        }, "required": ["topic"], "additionalProperties": false })
    },
};

struct Plan {
    brief: Brief,
    networks: Vec<Network>,
    accounts: Vec<Account>,
    count: usize,
    tone: Option<Style>,
}

async fn plan(cx: &ToolContext<'_>, args: &Value) -> Result<Plan> {
    let topic = args::text(args, "topic")?.to_owned();
    let count = match &args["count"] {
        Value::Null => 1,
        v => v.as_u64().filter(|n| (1..=4).contains(n)).ok_or_else(|| ServiceError::field("count", "between 1 and 4"))? as usize,
    };
    let tone = match args::optional_text(args, "tone") {
        Some(t) => Some(serde_json::from_value::<Style>(json!(t)).map_err(|_| ServiceError::field("tone", "one of casual, formal, shorten, simplify"))?),
        None => None,
    };
    let connected = cx.services.list_accounts(cx.access).await?;
    let mut networks: Vec<Network> = Vec::new();
    for name in args["networks"].as_array().into_iter().flatten() {
        let raw = name.as_str().unwrap_or_default().to_lowercase();
        let network = Network::ALL
            .into_iter()
            .find(|n| n.as_str() == raw || n.label().to_lowercase() == raw)
            .ok_or_else(|| ServiceError::field("networks", format!("unknown network {raw}")))?;
        if !connected.iter().any(|a| a.network == network) {
            return Err(ServiceError::field("networks", format!("no {} account is connected; connect one first", network.label())));
        }
        if !networks.contains(&network) {
            networks.push(network);
        }
    }
    if networks.is_empty() {
        let mut available: Vec<Network> = connected.iter().map(|a| a.network).collect();
        available.dedup();
        available.sort_by_key(|n| n.as_str());
        available.dedup();
        match available.as_slice() {
            [] => {
                return Err(ServiceError::field("networks", "no account is connected yet; connect one first"));
            }
            [one] => networks.push(*one),
            many => {
                let names: Vec<&str> = many.iter().map(|n| n.label()).collect();
                return Err(ServiceError::field("networks", format!("say which networks: {} are connected", names.join(", "))));
            }
        }
    }
    let accounts = connected.into_iter().filter(|a| networks.contains(&a.network)).collect();
    let points = args["points"].as_array().into_iter().flatten().filter_map(|p| p.as_str().map(str::to_owned)).collect();
    let brief = Brief { topic, points, call_to_action: args::optional_text(args, "callToAction").map(str::to_owned), link: None };
    Ok(Plan { brief, networks, accounts, count, tone })
}

fn resolved(plan: &Plan) -> Value {
    json!({ "topic": plan.brief.topic, "networks": plan.networks.iter().map(|n| n.as_str()).collect::<Vec<_>>(), "count": plan.count,
            "points": plan.brief.points, "callToAction": plan.brief.call_to_action, "tone": plan.tone })
}

fn describe(plan: &Plan) -> String {
    let names: Vec<String> = plan.networks.iter().map(|n| n.label().to_owned()).collect();
    format!("{} draft{} about “{}” for {}", plan.count, if plan.count == 1 { "" } else { "s" }, plan.brief.topic, names.join(" and "))
}

pub async fn prepare(cx: &ToolContext<'_>, args: &Value) -> Result<Prepared> {
    let plan = plan(cx, args).await?;
    let summary = format!("Write {} with the workspace's AI provider (this spends AI budget). Nothing is scheduled.", describe(&plan));
    Ok(Prepared { args: resolved(&plan), summary, posts: Vec::new() })
}

pub async fn run(cx: &ToolContext<'_>, args: &Value) -> Result<Done> {
    let plan = plan(cx, args).await?;
    let generation = cx.services.ai_generate(cx.access, &plan.brief, &plan.networks, plan.count).await?;
    let toned = |text: &str| match plan.tone {
        Some(style) => rewrite(text, style).text,
        None => text.to_owned(),
    };
    let mut created = Vec::new();
    for index in 0..plan.count {
        let text_for = |network: Network| {
            generation
                .networks
                .iter()
                .find(|n| n.network == network)
                .and_then(|n| n.variations.get(index).or(n.variations.first()))
                .map(|v| toned(&v.fitted.text))
        };
        let Some(base) = plan.networks.first().and_then(|n| text_for(*n)) else {
            continue;
        };
        let targets = plan
            .accounts
            .iter()
            .map(|a| {
                let text = text_for(a.network).filter(|t| *t != base);
                TargetInput { account_id: a.id, overrides: text.map(|t| ContentOverride { text: Some(t), ..ContentOverride::default() }) }
            })
            .collect();
        let input = PostInput { content: PostContent { text: base, ..PostContent::default() }, targets, ..PostInput::default() };
        created.push(cx.services.create_post(cx.access, input, cx.meta).await?);
    }
    let lines: Vec<String> = created.iter().enumerate().map(|(i, p)| format!("{}. {}", i + 1, args::post_title(p))).collect();
    let engine = match &generation.fallback {
        Some(f) => format!(" ({}; {})", generation.engine, f.message),
        None => format!(" (written by {})", if generation.engine == "local" { "the local engine" } else { generation.engine.as_str() }),
    };
    let summary = format!("I saved {} as draft{}{engine}:\n{}", describe(&plan), if created.len() == 1 { "" } else { "s" }, lines.join("\n"));
    let data = json!({
        "engine": generation.engine, "costMicros": generation.cost_micros, "fallback": generation.fallback.as_ref().map(|f| json!({ "kind": f.kind, "message": f.message })),
        "posts": created.iter().map(|p| args::post_line(p, &cx.zone)).collect::<Vec<_>>(),
    });
    Ok(Done { summary, data, posts: created.iter().map(|p| p.id.to_string()).collect() })
}
