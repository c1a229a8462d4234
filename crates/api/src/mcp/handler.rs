//! The MCP tools: the assistant's tool set, plus `confirm_action` and `cancel_action`. A tool
//! that publishes, schedules, unschedules or spends budget answers with a proposal; it runs only
//! when the same API key calls `confirm_action` with its id — the confirmation invariant of the
//! chat, kept over MCP. A missing permission is a tool error naming it.

use std::sync::Arc;

use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, ContentBlock, Implementation, InitializeResult, ListToolsResult, PaginatedRequestParams,
    ServerCapabilities, Tool,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler};
use serde_json::{Value, json};
use zenalto_domain::schedule::TimeZoneName;
use zenalto_services::assistant::{Outcome, TOOLS, ToolContext, describe_error};
use zenalto_services::{Access, RequestMeta, Services};

/// The caller of one MCP request, put there by the API-key check.
#[derive(Clone)]
pub struct McpCaller {
    pub access: Access,
    pub meta: RequestMeta,
}

#[derive(Clone)]
pub struct Handler {
    services: Services,
}

impl Handler {
    pub fn new(services: Services) -> Self {
        Handler { services }
    }
}

fn schema(value: Value) -> Arc<serde_json::Map<String, Value>> {
    Arc::new(value.as_object().cloned().unwrap_or_default())
}

fn action_schema() -> Value {
    json!({ "type": "object", "properties": { "actionId": { "type": "string", "description": "the id of a proposed action" } }, "required": ["actionId"], "additionalProperties": false })
}

/// Every tool as MCP lists it.
pub fn tools() -> Vec<Tool> {
    let mut out: Vec<Tool> = TOOLS
        .iter()
        .map(|t| {
            let description = format!("{} Needs {}; confirmation: {}.", t.description, t.permission.as_str(), t.confirmation());
            Tool::new(t.name, description, schema((t.schema)()))
        })
        .collect();
    out.push(Tool::new("confirm_action", "Run an action another tool proposed (only the key that proposed it may; once; within an hour).", schema(action_schema())));
    out.push(Tool::new("cancel_action", "Withdraw a proposed action so it never runs.", schema(action_schema())));
    out
}

fn text_result(ok: bool, text: String, data: Value) -> CallToolResult {
    let content = vec![ContentBlock::text(text), ContentBlock::text(data.to_string())];
    if ok { CallToolResult::success(content) } else { CallToolResult::error(content) }
}

impl ServerHandler for Handler {
    fn get_info(&self) -> InitializeResult {
        InitializeResult::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("zenalto", env!("CARGO_PKG_VERSION")))
            .with_instructions("Zenalto's tools for one workspace (the API key's). Times are wall-clock YYYY-MM-DDTHH:MM in `timeZone` (default UTC). Tools that schedule, cancel or spend AI budget return a proposal; call confirm_action with its actionId to run it.")
    }

    async fn list_tools(&self, _request: Option<PaginatedRequestParams>, _context: RequestContext<RoleServer>) -> Result<ListToolsResult, ErrorData> {
        Ok(ListToolsResult::with_all_items(tools()))
    }

    async fn call_tool(&self, request: CallToolRequestParams, context: RequestContext<RoleServer>) -> Result<CallToolResponse, ErrorData> {
        let caller = context
            .extensions
            .get::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<McpCaller>())
            .cloned()
            .ok_or_else(|| ErrorData::internal_error("the request reached the MCP handler without a caller", None))?;
        let args = Value::Object(request.arguments.unwrap_or_default());
        let name = request.name.as_ref();
        let access = &caller.access;
        let result = match name {
            "confirm_action" | "cancel_action" => {
                let id = args["actionId"].as_str().unwrap_or_default();
                let outcome = if name == "confirm_action" {
                    self.services.assistant_confirm(access, id, &caller.meta).await
                } else {
                    self.services.assistant_cancel(access, id).await
                };
                match outcome {
                    Ok(card) => text_result(true, format!("{}: {}", card.status, card.result.clone().unwrap_or(card.summary.clone())), json!(card)),
                    Err(error) => text_result(false, describe_error(&error), Value::Null),
                }
            }
            _ if TOOLS.iter().all(|t| t.name != name) => return Err(ErrorData::invalid_params(format!("no tool named {name}"), None)),
            _ => {
                let cx = ToolContext { services: &self.services, access, meta: &caller.meta, zone: TimeZoneName::utc(), conversation: None };
                match self.services.assistant_tool(&cx, name, &args).await {
                    Ok(Outcome::Done(done)) => text_result(true, done.summary, done.data),
                    Ok(Outcome::Card(card, _)) => text_result(
                        true,
                        format!("Proposed, not done yet: {} To run it, call confirm_action with actionId {}.", card.summary, card.action_id),
                        json!(card),
                    ),
                    Err(error) => text_result(false, describe_error(&error), Value::Null),
                }
            }
        };
        Ok(result.into())
    }
}
