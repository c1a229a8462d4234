//! The unified inbox: `/api/v1/workspaces/{workspaceId}/inbox/conversations` and
//! `…/accounts/{accountId}/inbox/sync`.

use axum::{
    Json,
    extract::{Path, Query, State},
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use zenalto_domain::{ConversationId, MessageId, Timestamp};
use zenalto_services::insights::{Conversation as ConversationRow, Message as MessageRow};
use zenalto_store::repo::inbox::Filters;

use crate::{
    error::{ApiError, ApiResult, ErrorEnvelope},
    extract::{ApiJson, Meta, PageQuery, WorkspaceAccess, pagination::List},
    routes::accounts::account_id,
    state::AppState,
};

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_conversations))
        .routes(routes!(conversation_messages))
        .routes(routes!(mark_read))
        .routes(routes!(reply))
        .routes(routes!(sync_inbox))
}

fn instant(millis: i64) -> String {
    Timestamp::from_millis(millis).to_string()
}

fn conversation_id(raw: &str) -> Result<ConversationId, ApiError> {
    raw.parse().map_err(|_| ApiError::not_found())
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Conversation {
    pub id: String,
    pub account_id: String,
    pub network: String,
    pub handle: String,
    /// `comments` (a post's comments, replies and mentions) or `direct` (direct messages).
    pub kind: String,
    pub platform_thread_id: String,
    pub last_message_at: String,
    pub unread: i64,
    pub created_at: String,
}

impl From<ConversationRow> for Conversation {
    fn from(c: ConversationRow) -> Self {
        Self {
            id: c.id.to_string(),
            account_id: c.account_id.to_string(),
            network: c.network,
            handle: c.handle,
            kind: c.kind,
            platform_thread_id: c.platform_thread_id,
            last_message_at: instant(c.last_message_at),
            unread: c.unread,
            created_at: instant(c.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    pub id: String,
    pub platform_id: String,
    /// `comment`, `reply`, `mention` or `direct_message`.
    pub kind: String,
    pub author_id: String,
    pub author: String,
    pub text: String,
    pub in_reply_to: Option<String>,
    /// Sent from this account (a reply through Zenalto, or seen at the network).
    pub outgoing: bool,
    /// The member who replied through Zenalto.
    pub sent_by: Option<String>,
    pub at: String,
}

impl From<MessageRow> for Message {
    fn from(m: MessageRow) -> Self {
        Self {
            id: m.id.to_string(),
            platform_id: m.platform_id,
            kind: m.kind,
            author_id: m.author_id,
            author: m.author,
            text: m.text,
            in_reply_to: m.in_reply_to,
            outgoing: m.outgoing != 0,
            sent_by: m.sent_by,
            at: instant(m.at),
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationMessages {
    pub conversation: Conversation,
    /// Oldest first (the latest 500).
    pub messages: Vec<Message>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct InboxQuery {
    pub account_id: Option<String>,
    /// `comments` or `direct`.
    pub kind: Option<String>,
    /// Only conversations with unread messages.
    #[serde(default)]
    pub unread: bool,
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ReplyRequest {
    /// The message answered; by default the conversation's latest received one.
    pub message_id: Option<String>,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SyncResult {
    /// Items stored by this fetch (already known ones are not counted).
    pub new_items: usize,
}

/// Conversations, newest first (post:read); filter by `accountId`, `kind` and `unread`.
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/inbox/conversations", tag = "insights", security(("bearer" = [])),
    params(("workspaceId" = String, Path), InboxQuery, crate::extract::pagination::PageParams),
    responses((status = 200, body = List<Conversation>), (status = 422, body = ErrorEnvelope)))]
async fn list_conversations(
    State(state): State<AppState>,
    ws: WorkspaceAccess,
    query: Result<Query<InboxQuery>, axum::extract::rejection::QueryRejection>,
    PageQuery(cursor): PageQuery,
) -> ApiResult<Json<List<Conversation>>> {
    let Query(query) = query.map_err(|e| ApiError::validation("query", e.body_text()))?;
    let account = query.account_id.as_deref().map(|a| a.parse().map_err(|_| ApiError::validation("accountId", "is not an account id"))).transpose()?;
    let filters = Filters { account, kind: query.kind, unread_only: query.unread };
    let page = state.services.list_conversations(&ws.access, &filters, &cursor).await?;
    Ok(Json(List::from_page(page, Conversation::from)))
}

/// A conversation with its messages, oldest first (post:read).
#[utoipa::path(get, path = "/api/v1/workspaces/{workspaceId}/inbox/conversations/{conversationId}/messages", tag = "insights", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("conversationId" = String, Path)), responses((status = 200, body = ConversationMessages), (status = 404, body = ErrorEnvelope)))]
async fn conversation_messages(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<ConversationMessages>> {
    let (conversation, messages) = state.services.conversation_messages(&ws.access, conversation_id(&ids.1)?).await?;
    Ok(Json(ConversationMessages { conversation: conversation.into(), messages: messages.into_iter().map(Message::from).collect() }))
}

/// Mark a conversation read for the team (post:create).
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/inbox/conversations/{conversationId}/read", tag = "insights", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("conversationId" = String, Path)),
    responses((status = 200, body = Conversation), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
async fn mark_read(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<Conversation>> {
    Ok(Json(state.services.mark_conversation_read(&ws.access, conversation_id(&ids.1)?).await?.into()))
}

/// Reply through the account's network (post:create); stored as an outgoing message. 422 when
/// the text is empty or too long for the network, 502 with the network's reason when it fails.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/inbox/conversations/{conversationId}/reply", tag = "insights", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("conversationId" = String, Path)), request_body = ReplyRequest,
    responses((status = 201, body = Message), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 502, body = ErrorEnvelope)))]
async fn reply(
    State(state): State<AppState>,
    Meta(meta): Meta,
    ws: WorkspaceAccess,
    Path(ids): Path<(String, String)>,
    ApiJson(body): ApiJson<ReplyRequest>,
) -> ApiResult<(axum::http::StatusCode, Json<Message>)> {
    let message =
        body.message_id.as_deref().map(|m| m.parse::<MessageId>().map_err(|_| ApiError::validation("messageId", "is not a message id"))).transpose()?;
    let sent = state.services.reply(&ws.access, conversation_id(&ids.1)?, message, &body.text, &meta).await?;
    Ok((axum::http::StatusCode::CREATED, Json(sent.into())))
}

/// Fetch the account's new comments, mentions and messages now (post:create); the schedule
/// does it every five minutes.
#[utoipa::path(post, path = "/api/v1/workspaces/{workspaceId}/accounts/{accountId}/inbox/sync", tag = "insights", security(("bearer" = [])),
    params(("workspaceId" = String, Path), ("accountId" = String, Path)),
    responses((status = 200, body = SyncResult), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 422, body = ErrorEnvelope), (status = 502, body = ErrorEnvelope)))]
async fn sync_inbox(State(state): State<AppState>, ws: WorkspaceAccess, Path(ids): Path<(String, String)>) -> ApiResult<Json<SyncResult>> {
    let new_items = state.services.sync_inbox(&ws.access, account_id(&ids.1)?).await?;
    Ok(Json(SyncResult { new_items }))
}
