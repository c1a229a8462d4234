//! Answering with the workspace's AI providers: native tool calling through the provider chain,
//! streamed. The loop is model → tool calls → results → model, bounded in rounds; mutating
//! calls come back to the model as proposals (cards), never as done. Tokens and cost of every
//! round are recorded like any other AI call.

use std::collections::HashMap;

use futures::StreamExt;
use serde_json::json;
use zenalto_ai::pricing::PriceTable;
use zenalto_ai::resilience::Chain;
use zenalto_ai::routing::Task;
use zenalto_ai::{ChatRequest, Delta, Message, ToolDef, Usage};
use zenalto_domain::schedule::to_local;
use zenalto_store::StoreError;

use super::actions::Outcome;
use super::reply::Reply;
use super::tools::{TOOLS, ToolContext, post_title};
use super::turn::Turn;
use crate::Result;

/// Model → tools → model rounds in one reply, at most.
const MAX_ROUNDS: usize = 6;

/// The chain, with what is needed to price a streamed answer.
pub struct Providers<'a> {
    pub chain: &'a Chain,
    pub prices: &'a PriceTable,
    pub models: &'a HashMap<String, String>,
    /// The monthly budget in micro-dollars, checked again before every round after the first.
    pub budget: Option<i64>,
}

/// The reply from the providers. `Ok(Err(reason))`: they failed before saying anything, and the
/// caller answers with the local interpreter instead.
pub async fn converse(cx: &ToolContext<'_>, providers: Providers<'_>, turn: &Turn, reply: &mut Reply<'_>) -> Result<std::result::Result<(), String>> {
    let mut messages = vec![Message::system(system_prompt(cx, turn).await?)];
    for earlier in &turn.earlier {
        match earlier.role.as_str() {
            "user" => messages.push(Message::user(earlier.content.clone())),
            "assistant" if !earlier.content.is_empty() => messages.push(Message::assistant(earlier.content.clone())),
            // Earlier tool results and cards as notes, so "it" and past figures stay in view.
            "tool" | "card" => messages.push(Message::assistant(format!("({} note) {}", earlier.role, earlier.content))),
            _ => {}
        }
    }
    messages.push(Message::user(turn.text.clone()));
    let tools: Vec<ToolDef> = TOOLS.iter().map(|t| ToolDef { name: t.name.into(), description: t.description.into(), parameters: (t.schema)() }).collect();
    for round in 0..MAX_ROUNDS {
        if round > 0
            && let Some(refusal) = cx.services.ai_budget_refusal(cx.access.workspace_id, providers.budget).await?
        {
            reply.say(&format!("({}; I stopped here.)", refusal.message));
            return Ok(Ok(()));
        }
        let mut request = ChatRequest::new("", messages.clone());
        request.tools = tools.clone();
        request.max_tokens = 1500;
        let (provider, mut stream) = match providers.chain.stream(Task::Generate, &request).await {
            Ok(started) => started,
            Err(error) if round == 0 => return Ok(Err(error.to_string())),
            Err(error) => {
                reply.say(&format!("(The AI provider stopped answering: {error})"));
                return Ok(Ok(()));
            }
        };
        let kind = provider.split('#').next().unwrap_or_default().to_owned();
        reply.engine = kind.clone();
        let mut text = String::new();
        let mut calls = Vec::new();
        let mut usage = Usage::default();
        while let Some(delta) = stream.next().await {
            match delta {
                Ok(Delta::Text(piece)) => {
                    if text.is_empty() && !reply.text.is_empty() {
                        reply.delta("\n\n");
                    }
                    text.push_str(&piece);
                    reply.delta(&piece);
                }
                Ok(Delta::ToolCall(call)) => calls.push(call),
                Ok(Delta::Usage(u)) => {
                    usage.input_tokens = usage.input_tokens.max(u.input_tokens);
                    usage.output_tokens = usage.output_tokens.max(u.output_tokens);
                }
                Ok(Delta::Finish(_)) => {}
                Err(error) if round == 0 && text.is_empty() && calls.is_empty() => {
                    return Ok(Err(error.to_string()));
                }
                Err(error) => {
                    reply.say(&format!("(The answer broke off: {error})"));
                    calls.clear();
                    break;
                }
            }
        }
        let model = providers.models.get(&provider).cloned().unwrap_or_default();
        let cost = providers.prices.cost_micros(&model, usage);
        let mut tx = cx.services.db.begin().await?;
        cx.services.ai_record(&mut tx, cx.access.workspace_id, "assistant", (&kind, &model), usage, cost).await?;
        tx.commit().await.map_err(StoreError::from)?;
        if calls.is_empty() {
            return Ok(Ok(()));
        }
        let mut asked = Message::assistant(text);
        asked.tool_calls = calls.clone();
        messages.push(asked);
        for call in calls {
            let outcome = reply.call(cx, Some(call.id.clone()), &call.name, call.arguments.clone()).await?;
            let content = match outcome {
                Ok(Outcome::Done(done)) => json!({ "summary": done.summary, "data": done.data }),
                Ok(Outcome::Card(card, _)) => json!({
                    "proposed": true, "actionId": card.action_id, "summary": card.summary,
                    "note": "Nothing has happened yet: the user must confirm this card. Tell them what it will do."
                }),
                Err(message) => json!({ "error": message }),
            };
            messages.push(Message::tool_result(call.id, call.name, content.to_string()));
        }
    }
    reply.say("(I stopped after several rounds of tool calls; ask again more specifically.)");
    Ok(Ok(()))
}

/// What the model needs to know that the conversation does not say: today in the person's
/// zone, the accounts and their health, and the posts under discussion.
async fn system_prompt(cx: &ToolContext<'_>, turn: &Turn) -> Result<String> {
    let now = to_local(cx.services.now(), &cx.zone).as_civil();
    let accounts = cx.services.list_accounts(cx.access).await?;
    let accounts: Vec<String> = accounts.iter().map(|a| format!("@{} on {} ({})", a.handle, a.network.label(), a.health)).collect();
    let mut posts = Vec::new();
    for id in turn.refs.posts.iter().filter_map(|id| id.parse().ok()) {
        if let Ok(post) = cx.services.get_post(cx.access, id).await {
            posts.push(format!("{} {} ({})", post.id, post_title(&post), post.status));
        }
    }
    let performance = recent_performance(cx).await;
    Ok(format!(
        "You are Zenalto's assistant for a social media team. Act only through the tools. \
         The user's time zone is {zone}; now it is {now} there. Tool times are wall-clock YYYY-MM-DDTHH:MM in that zone. \
         Scheduling, rescheduling, queueing and cancelling come back as proposals the user must confirm: never say they are done before a tool result says so. \
         If a request is ambiguous (several matching posts, no time, no network), ask one short question. Say plainly what you cannot do.\n\
         Connected accounts: {accounts}.\nPosts under discussion (\"it\"): {posts}.\nThe last seven days: {performance}",
        zone = cx.zone.as_str(),
        now = now.strftime("%A %Y-%m-%d %H:%M"),
        accounts = if accounts.is_empty() { "none".into() } else { accounts.join(", ") },
        posts = if posts.is_empty() { "none".into() } else { posts.join("; ") },
    ))
}

/// How the last seven days' posts did, from the figures the networks reported, when the caller
/// may see analytics (the same tool a model would call).
async fn recent_performance(cx: &ToolContext<'_>) -> String {
    let Some(tool) = super::tools::find("summarize_performance").filter(|t| cx.access.can(t.permission)) else {
        return "not visible to this user.".into();
    };
    let today = to_local(cx.services.now(), &cx.zone).date();
    let week_ago = today.checked_sub(jiff::Span::new().days(6)).unwrap_or(today);
    let args = json!({ "from": week_ago.to_string(), "to": today.to_string() });
    match super::tools::execute(cx, tool, &args).await {
        Ok(done) => done.summary,
        Err(error) => super::describe_error(&error),
    }
}
