//! The assistant's typed tool set, shared by the chat (with a model or the local interpreter)
//! and the MCP server. Each tool is one file: its JSON Schema, the permission it needs, whether
//! it needs confirmation, and how it runs — always through the `Services` methods the UI uses,
//! so their permission checks and tenant scoping apply unchanged.

mod accounts;
mod args;
mod attach_media;
mod best_time;
mod calendar;
mod cancel_post;
mod draft_post;
mod find_posts;
mod hashtags;
mod performance;
mod queue;
mod rewrite_post;
mod schedule_post;

pub(crate) use args::post_title;
pub(crate) use find_posts::describe as describe_post;

use serde::Serialize;
use serde_json::Value;
use zenalto_domain::{Permission, schedule::TimeZoneName};

use crate::{Access, RequestMeta, Result, ServiceError, Services};

/// When a tool's call waits for the person to confirm it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirm {
    /// Reads, and edits of drafts that cost nothing.
    Never,
    /// Publishes, schedules, unschedules or deletes.
    Always,
    /// Spends AI budget: only when the workspace has providers configured.
    WhenSpending,
}

pub struct Tool {
    pub name: &'static str,
    pub description: &'static str,
    pub permission: Permission,
    pub confirm: Confirm,
    /// The JSON Schema of the arguments (an object).
    pub schema: fn() -> Value,
}

impl Tool {
    pub fn confirmation(&self) -> &'static str {
        match self.confirm {
            Confirm::Never => "never",
            Confirm::Always => "always",
            Confirm::WhenSpending => "when an AI provider is configured",
        }
    }
}

/// Every tool, in the order models and MCP clients see them.
pub const TOOLS: &[Tool] = &[
    accounts::TOOL,
    find_posts::TOOL,
    calendar::TOOL,
    performance::TOOL,
    draft_post::TOOL,
    rewrite_post::TOOL,
    hashtags::TOOL,
    best_time::TOOL,
    attach_media::TOOL,
    schedule_post::SCHEDULE,
    schedule_post::RESCHEDULE,
    queue::TOOL,
    cancel_post::TOOL,
];

pub fn find(name: &str) -> Option<&'static Tool> {
    TOOLS.iter().find(|t| t.name == name)
}

/// Who calls, where their times are read, and where a proposal is filed.
pub struct ToolContext<'a> {
    pub services: &'a Services,
    pub access: &'a Access,
    pub meta: &'a RequestMeta,
    /// The person's zone: "tomorrow at 9" and every time shown is in it.
    pub zone: TimeZoneName,
    pub conversation: Option<String>,
}

/// A tool's answer: a sentence for people, data for models and clients, and the posts it is
/// about (so "it" means them next).
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Done {
    pub summary: String,
    pub data: Value,
    #[serde(skip)]
    pub posts: Vec<String>,
}

/// A mutating call, checked and resolved to its exact arguments, waiting to be confirmed.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub args: Value,
    pub summary: String,
    pub posts: Vec<String>,
}

/// Runs a tool now (reads, free edits, and confirmed actions).
pub(crate) async fn execute(cx: &ToolContext<'_>, tool: &Tool, args: &Value) -> Result<Done> {
    match tool.name {
        "list_accounts" => accounts::run(cx).await,
        "find_posts" => find_posts::run(cx, args).await,
        "list_calendar" => calendar::run(cx, args).await,
        "summarize_performance" => performance::run(cx, args).await,
        "draft_post" => draft_post::run(cx, args).await,
        "rewrite_post" => rewrite_post::run(cx, args).await,
        "suggest_hashtags" => hashtags::run(cx, args).await,
        "suggest_best_time" => best_time::run(cx, args).await,
        "attach_media" => attach_media::run(cx, args).await,
        "schedule_post" | "reschedule_post" => schedule_post::run(cx, args).await,
        "add_to_queue" => queue::run(cx, args).await,
        "cancel_post" => cancel_post::run(cx, args).await,
        other => Err(ServiceError::field("tool", format!("no tool named {other}"))),
    }
}

/// Checks and resolves a call that needs confirmation, and says exactly what it will do.
pub(crate) async fn prepare(cx: &ToolContext<'_>, tool: &Tool, args: &Value) -> Result<Prepared> {
    match tool.name {
        "schedule_post" => schedule_post::prepare(cx, args, false).await,
        "reschedule_post" => schedule_post::prepare(cx, args, true).await,
        "add_to_queue" => queue::prepare(cx, args).await,
        "cancel_post" => cancel_post::prepare(cx, args).await,
        "draft_post" => draft_post::prepare(cx, args).await,
        "rewrite_post" => rewrite_post::prepare(cx, args).await,
        other => Err(ServiceError::field("tool", format!("{other} does not need confirmation"))),
    }
}

/// Whether this call waits for confirmation in this workspace.
pub(crate) async fn needs_confirmation(services: &Services, access: &Access, tool: &Tool) -> Result<bool> {
    Ok(match tool.confirm {
        Confirm::Never => false,
        Confirm::Always => true,
        Confirm::WhenSpending => services.ai_chain(access.workspace_id).await?.is_some(),
    })
}
