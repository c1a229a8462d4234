//! One reply as it happens: the events a client sees (text pieces, tool calls and results,
//! cards, the end), each also stored in the conversation's history, and the posts the reply
//! was about (what "it" means next).

use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::mpsc::UnboundedSender;
use zenalto_store::StoreError;

use super::actions::{Card, Outcome};
use super::history;
use super::tools::ToolContext;
use crate::{Result, Services};

/// What a client receives while the assistant answers (Server-Sent Events: the `type` is the
/// event name, the whole object its data).
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// A piece of the assistant's text.
    Text {
        delta: String,
    },
    ToolCall {
        id: String,
        name: String,
        arguments: Value,
    },
    /// `ok: false` carries the refusal or error in `summary`.
    ToolResult {
        id: String,
        name: String,
        ok: bool,
        summary: String,
        data: Value,
    },
    Card {
        card: Card,
    },
    /// The reply is complete; `engine` is "local" or the provider that answered.
    Done {
        #[serde(rename = "messageId")]
        message_id: String,
        engine: String,
    },
    Error {
        message: String,
    },
}

pub type Sink = UnboundedSender<Event>;

pub struct Reply<'a> {
    pub sink: &'a Sink,
    pub text: String,
    /// Posts the reply touched, in order; they become the conversation's references.
    pub posts: Vec<String>,
    pub engine: String,
    calls: usize,
}

impl<'a> Reply<'a> {
    pub fn new(sink: &'a Sink) -> Self {
        Reply { sink, text: String::new(), posts: Vec::new(), engine: "local".into(), calls: 0 }
    }

    pub fn emit(&self, event: Event) {
        // A client that went away does not stop the reply: it is stored and can be read later.
        let _ = self.sink.send(event);
    }

    /// Adds text to the reply (a paragraph of its own when the reply already has text).
    pub fn say(&mut self, text: &str) {
        let piece = if self.text.is_empty() || text.is_empty() { text.to_owned() } else { format!("\n\n{text}") };
        self.delta(&piece);
    }

    /// A streamed piece, as it came.
    pub fn delta(&mut self, piece: &str) {
        self.text.push_str(piece);
        self.emit(Event::Text { delta: piece.to_owned() });
    }

    /// Calls a tool through [`Services::assistant_tool`], telling the client and storing the call,
    /// its result or its card. A refusal is an answer too (`Err` is its message).
    pub async fn call(&mut self, cx: &ToolContext<'_>, id: Option<String>, name: &str, args: Value) -> Result<std::result::Result<Outcome, String>> {
        self.calls += 1;
        let id = id.unwrap_or_else(|| format!("local_{}", self.calls));
        self.emit(Event::ToolCall { id: id.clone(), name: name.to_owned(), arguments: args.clone() });
        let outcome = cx.services.assistant_tool(cx, name, &args).await;
        let (role, content, data, out) = match outcome {
            Ok(Outcome::Done(done)) => {
                self.remember(&done.posts);
                self.emit(Event::ToolResult { id: id.clone(), name: name.to_owned(), ok: true, summary: done.summary.clone(), data: done.data.clone() });
                ("tool", done.summary.clone(), json!({ "callId": id, "tool": name, "arguments": args, "ok": true, "data": done.data }), Ok(Outcome::Done(done)))
            }
            Ok(Outcome::Card(card, posts)) => {
                self.remember(&posts);
                self.emit(Event::Card { card: card.clone() });
                ("card", card.summary.clone(), json!({ "callId": id, "card": card }), Ok(Outcome::Card(card, posts)))
            }
            Err(error) => {
                let message = super::describe_error(&error);
                self.emit(Event::ToolResult { id: id.clone(), name: name.to_owned(), ok: false, summary: message.clone(), data: Value::Null });
                ("tool", message.clone(), json!({ "callId": id, "tool": name, "arguments": args, "ok": false }), Err(message))
            }
        };
        store(cx.services, cx, role, &content, Some(data)).await?;
        Ok(out)
    }

    pub fn remember(&mut self, posts: &[String]) {
        if !posts.is_empty() {
            self.posts = posts.to_vec();
        }
    }
}

pub async fn store(services: &Services, cx: &ToolContext<'_>, role: &str, content: &str, data: Option<Value>) -> Result<String> {
    let Some(conversation) = &cx.conversation else {
        return Ok(String::new());
    };
    let mut tx = services.db.begin().await?;
    let id = history::append(&mut tx, cx.access.workspace_id, conversation, role, content, data, services.now()).await?;
    tx.commit().await.map_err(StoreError::from)?;
    Ok(id)
}
