//! Calling a tool, and the confirmation cards: a call that publishes, schedules, unschedules or
//! spends budget is checked, resolved to its exact arguments and stored as a proposed action; it
//! runs only when the caller who proposed it confirms it, once, before it expires, with the
//! permission checked again at that moment.

use serde::Serialize;
use serde_json::Value;
use zenalto_domain::{Timestamp, schedule::TimeZoneName};
use zenalto_store::{
    StoreError,
    repo::assistant::{self as repo, ActionRow},
};

use super::tools::{self, Done, ToolContext};
use super::{conversations::owner_of, history};
use crate::{Access, RequestMeta, Result, ServiceError, Services};

/// How long a card may wait for its confirmation.
pub const CARD_TTL_SECS: i64 = 3_600;

/// A proposed action as people and clients see it.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Card {
    pub action_id: String,
    pub tool: String,
    /// Exactly what will happen: which post, which accounts, what time in the person's zone.
    pub summary: String,
    /// proposed, running, done, failed, cancelled (or expired, computed)
    pub status: String,
    pub args: Value,
    pub expires_at: String,
    pub result: Option<String>,
    pub error: Option<String>,
}

impl Card {
    fn from_row(row: &ActionRow, now: Timestamp) -> Self {
        let expired = row.status == "proposed" && row.expires_at <= now.as_millis();
        Card {
            action_id: row.id.clone(),
            tool: row.tool.clone(),
            summary: row.summary.clone(),
            status: if expired { "expired".into() } else { row.status.clone() },
            args: serde_json::from_str(&row.args).unwrap_or(Value::Null),
            expires_at: Timestamp::from_millis(row.expires_at).to_string(),
            result: row.result.clone(),
            error: row.error.clone(),
        }
    }
}

/// What calling a tool gave: its result, or a card waiting for confirmation.
#[derive(Clone, Debug)]
pub enum Outcome {
    Done(Done),
    Card(Card, Vec<String>),
}

impl Services {
    /// Calls one tool for the caller: unknown tools and missing permissions are refused, mutating
    /// calls become cards. The chat (model or interpreter) and MCP all come through here.
    pub async fn assistant_tool(&self, cx: &ToolContext<'_>, name: &str, args: &Value) -> Result<Outcome> {
        let tool = tools::find(name).ok_or_else(|| ServiceError::field("tool", format!("no tool named {name}")))?;
        cx.access.require(tool.permission)?;
        if !tools::needs_confirmation(self, cx.access, tool).await? {
            return Ok(Outcome::Done(tools::execute(cx, tool, args).await?));
        }
        let prepared = tools::prepare(cx, tool, args).await?;
        let now = self.now();
        let row = ActionRow {
            id: uuid::Uuid::now_v7().to_string(),
            workspace_id: cx.access.workspace_id.to_string(),
            conversation_id: cx.conversation.clone(),
            owner: owner_of(cx.access),
            tool: tool.name.to_owned(),
            args: prepared.args.to_string(),
            summary: prepared.summary,
            status: "proposed".into(),
            result: None,
            error: None,
            expires_at: now.plus_seconds(CARD_TTL_SECS).as_millis(),
            created_at: now.as_millis(),
            updated_at: now.as_millis(),
        };
        let mut tx = self.db.begin().await?;
        repo::insert_action(&mut tx, &row).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Outcome::Card(Card::from_row(&row, now), prepared.posts))
    }

    /// The caller's own action (another's answers NotFound, as another workspace's would).
    async fn own_action(&self, access: &Access, id: &str) -> Result<ActionRow> {
        let mut conn = self.db.read().await?;
        let row = repo::get_action(&mut conn, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        if row.owner != owner_of(access) {
            return Err(ServiceError::NotFound);
        }
        Ok(row)
    }

    pub async fn assistant_action(&self, access: &Access, id: &str) -> Result<Card> {
        Ok(Card::from_row(&self.own_action(access, id).await?, self.now()))
    }

    /// Runs a proposed action: only its proposer, only once, only before it expires, and only
    /// with the permission its tool needs now.
    pub async fn assistant_confirm(&self, access: &Access, id: &str, meta: &RequestMeta) -> Result<Card> {
        let row = self.own_action(access, id).await?;
        let now = self.now();
        refuse_unless_open(&row, now)?;
        let tool = tools::find(&row.tool).ok_or_else(|| ServiceError::internal(format!("stored action names unknown tool {}", row.tool)))?;
        access.require(tool.permission)?;
        let mut tx = self.db.begin().await?;
        let claimed = repo::transition_action(&mut tx, access.workspace_id, id, "proposed", "running", now).await?;
        tx.commit().await.map_err(StoreError::from)?;
        if !claimed {
            return Err(ServiceError::Conflict { field: None, message: "this action was already confirmed or cancelled".into() });
        }
        let args: Value = serde_json::from_str(&row.args).map_err(ServiceError::internal)?;
        let zone = match row.conversation_id.as_deref() {
            Some(conversation) => self.conversation_zone(access, conversation).await?,
            None => TimeZoneName::utc(),
        };
        let cx = ToolContext { services: self, access, meta, zone, conversation: row.conversation_id.clone() };
        let outcome = tools::execute(&cx, tool, &args).await;
        let (status, result, error) = match &outcome {
            Ok(done) => ("done", Some(done.summary.clone()), None),
            Err(e) => ("failed", None, Some(super::describe_error(e))),
        };
        let mut tx = self.db.begin().await?;
        repo::finish_action(&mut tx, access.workspace_id, id, status, result.as_deref(), error.as_deref(), self.now()).await?;
        if let Some(conversation) = &row.conversation_id {
            let text = result.clone().or(error.clone()).unwrap_or_default();
            history::append(
                &mut tx,
                access.workspace_id,
                conversation,
                "tool",
                &text,
                Some(serde_json::json!({ "actionId": id, "tool": tool.name, "status": status })),
                self.now(),
            )
            .await?;
        }
        tx.commit().await.map_err(StoreError::from)?;
        outcome?;
        self.assistant_action(access, id).await
    }

    /// Withdraws a proposed action; it can never run afterwards.
    pub async fn assistant_cancel(&self, access: &Access, id: &str) -> Result<Card> {
        let row = self.own_action(access, id).await?;
        refuse_unless_open(&row, self.now())?;
        let mut tx = self.db.begin().await?;
        let cancelled = repo::transition_action(&mut tx, access.workspace_id, id, "proposed", "cancelled", self.now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        if !cancelled {
            return Err(ServiceError::Conflict { field: None, message: "this action was already confirmed or cancelled".into() });
        }
        self.assistant_action(access, id).await
    }
}

fn refuse_unless_open(row: &ActionRow, now: Timestamp) -> Result<()> {
    let message = match row.status.as_str() {
        "proposed" if row.expires_at <= now.as_millis() => "this action expired before it was confirmed; ask again",
        "proposed" => return Ok(()),
        "cancelled" => "this action was cancelled; ask again if you still want it",
        "running" | "done" => "this action has already run",
        _ => "this action already ran and failed; ask again",
    };
    Err(ServiceError::Conflict { field: None, message: message.into() })
}
