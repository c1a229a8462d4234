//! One turn of a conversation: the person's message is checked and stored, then answered — by
//! the workspace's AI providers with native tool calling when configured and within budget,
//! else by the local interpreter — with every event streamed and stored.

use zenalto_domain::schedule::TimeZoneName;
use zenalto_store::{
    StoreError,
    repo::assistant::{self as repo, MessageRow},
};

use super::conversations::Refs;
use super::reply::{Event, Reply, Sink, store};
use super::tools::ToolContext;
use super::{history, interpreter, llm};
use crate::{Access, RequestMeta, Result, ServiceError, Services};

/// The longest message accepted, in characters.
const MAX_MESSAGE: usize = 4_000;
/// How many earlier messages a model sees.
const CONTEXT_MESSAGES: i64 = 30;

/// A checked, stored message waiting for its answer.
pub struct Turn {
    pub conversation: String,
    pub zone: TimeZoneName,
    pub refs: Refs,
    pub text: String,
    /// Earlier messages, oldest first (the new one excluded).
    pub earlier: Vec<MessageRow>,
}

impl Services {
    /// Checks and stores the person's message (their own conversation only).
    pub async fn begin_turn(&self, access: &Access, conversation: &str, text: &str) -> Result<Turn> {
        let row = self.own_conversation(access, conversation).await?;
        let text = text.trim();
        if text.is_empty() {
            return Err(ServiceError::field("text", "write a message"));
        }
        if text.chars().count() > MAX_MESSAGE {
            return Err(ServiceError::field("text", format!("at most {MAX_MESSAGE} characters")));
        }
        let mut conn = self.db.read().await?;
        let earlier = repo::messages(&mut conn, access.workspace_id, conversation, CONTEXT_MESSAGES).await?;
        drop(conn);
        let mut tx = self.db.begin().await?;
        history::append(&mut tx, access.workspace_id, conversation, "user", text, None, self.now()).await?;
        let title: String = text.chars().take(80).collect();
        repo::touch_conversation(&mut tx, access.workspace_id, conversation, title.trim(), &row.refs, self.now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(Turn {
            conversation: row.id,
            zone: TimeZoneName::parse(&row.time_zone).map_err(ServiceError::internal)?,
            refs: serde_json::from_str(&row.refs).unwrap_or_default(),
            text: text.to_owned(),
            earlier,
        })
    }

    /// Answers a turn, sending events to `sink` as they happen. Failures end the stream with an
    /// error event (the cause is logged, not sent).
    pub async fn run_turn(&self, access: &Access, meta: &RequestMeta, turn: Turn, sink: &Sink) {
        if let Err(error) = self.answer(access, meta, turn, sink).await {
            tracing::error!(workspace = %access.workspace_id, %error, "assistant reply failed");
            let _ = sink.send(Event::Error { message: super::describe_error(&error) });
        }
    }

    async fn answer(&self, access: &Access, meta: &RequestMeta, turn: Turn, sink: &Sink) -> Result<()> {
        let cx = ToolContext { services: self, access, meta, zone: turn.zone.clone(), conversation: Some(turn.conversation.clone()) };
        let mut reply = Reply::new(sink);
        match self.ai_chain(access.workspace_id).await? {
            None => interpreter::respond(&cx, &turn, &mut reply).await?,
            Some(configured) => {
                match self.ai_over_budget(access.workspace_id, &configured).await? {
                    Some(refusal) => {
                        reply.say(&format!("({}; the local assistant answers instead.)", refusal.message));
                        interpreter::respond(&cx, &turn, &mut reply).await?;
                    }
                    None => {
                        let providers = llm::Providers { chain: &configured.chain, prices: &configured.prices, models: &configured.models, budget: configured.budget };
                        if let Err(failure) = llm::converse(&cx, providers, &turn, &mut reply).await? {
                            reply.say(&format!("({failure} The local assistant answers instead.)"));
                            interpreter::respond(&cx, &turn, &mut reply).await?;
                        }
                    }
                }
            }
        }
        let refs = if reply.posts.is_empty() { turn.refs.clone() } else { Refs { posts: reply.posts.clone() } };
        let message_id = store(self, &cx, "assistant", &reply.text, Some(serde_json::json!({ "engine": reply.engine }))).await?;
        let mut tx = self.db.begin().await?;
        let refs_text = serde_json::to_string(&refs).map_err(ServiceError::internal)?;
        repo::touch_conversation(&mut tx, access.workspace_id, &turn.conversation, "", &refs_text, self.now()).await?;
        tx.commit().await.map_err(StoreError::from)?;
        reply.emit(Event::Done { message_id, engine: reply.engine.clone() });
        Ok(())
    }
}
