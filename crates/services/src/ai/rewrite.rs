//! Rewrites: shorter, simpler, more formal, more casual or longer. The workspace's providers
//! write them when configured and within budget; otherwise — or when they all fail, saying
//! why — the local engine's rules do.

use serde_json::json;
use zenalto_ai::local::rewrite::{Rewrite, Style, rewrite};
use zenalto_ai::routing::Task;
use zenalto_ai::{ChatRequest, Message};
use zenalto_domain::Permission;

use super::{Fallback, Rewritten, check_text};
use crate::{Access, Result, Services};

/// What the provider is asked to make of the post.
pub(super) fn rewrite_instruction(style: Style) -> &'static str {
    match style {
        Style::Shorten => "shorter, keeping every fact",
        Style::Simplify => "simpler: plain words, short sentences",
        Style::Formal => "more formal",
        Style::Casual => "more casual and friendly",
        Style::Expand => {
            "longer: one or two sentences of detail drawn only from what it already says, shorthand spelled out"
        }
    }
}

impl Services {
    /// A rewrite (post:create).
    pub async fn ai_rewrite(&self, access: &Access, text: &str, style: Style) -> Result<Rewritten> {
        access.require(Permission::PostCreate)?;
        check_text(text)?;
        let with_fallback = |mut local: Rewritten, fallback: Fallback| {
            local.fallback = Some(Fallback {
                message: format!(
                    "{}; this rewrite comes from the local engine",
                    fallback.message.trim_end_matches('.')
                ),
                ..fallback
            });
            local
        };
        let Some(configured) = self.ai_chain(access.workspace_id).await? else {
            return self.ai_rewrite_local(access, text, style).await;
        };
        let mut request = ChatRequest::new(
            "",
            vec![
                Message::system(format!(
                    "Rewrite the user's social media post to be {}. Keep links, mentions and hashtags. List the changes you made.",
                    rewrite_instruction(style)
                )),
                Message::user(text),
            ],
        );
        request.json_schema = Some(json!({ "type": "object",
            "properties": { "text": { "type": "string" }, "changes": { "type": "array", "items": { "type": "string" } } },
            "required": ["text", "changes"] }));
        let called = match self
            .ai_call(access.workspace_id, &configured, Task::Rewrite, &request)
            .await?
        {
            Ok(called) => called,
            Err(fallback) => {
                return Ok(with_fallback(
                    self.ai_rewrite_local(access, text, style).await?,
                    fallback,
                ));
            }
        };
        let value: serde_json::Value =
            serde_json::from_str(called.response.text.trim()).unwrap_or_default();
        match value["text"].as_str().filter(|t| !t.trim().is_empty()) {
            Some(new) => Ok(Rewritten {
                text: new.to_owned(),
                changes: value["changes"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|c| c.as_str().map(str::to_owned))
                    .collect(),
                engine: called.engine,
                cost_micros: called.cost_micros,
                fallback: None,
            }),
            None => {
                let malformed = Fallback {
                    kind: "malformed_answer".into(),
                    message: format!("{} did not answer in the asked structure", called.engine),
                };
                let mut out =
                    with_fallback(self.ai_rewrite_local(access, text, style).await?, malformed);
                out.cost_micros = called.cost_micros;
                Ok(out)
            }
        }
    }

    /// The local engine's rewrite. It cannot write new sentences, so an expansion also gets the
    /// hashtags the workspace's own posts use for the same words.
    pub(super) async fn ai_rewrite_local(
        &self,
        access: &Access,
        text: &str,
        style: Style,
    ) -> Result<Rewritten> {
        let Rewrite {
            mut text,
            mut applied,
        } = rewrite(text, style);
        if style == Style::Expand {
            let tags = self.expansion_tags(access, &text).await?;
            if !tags.is_empty() {
                text = format!(
                    "{text} {}",
                    tags.iter()
                        .map(|t| format!("#{t}"))
                        .collect::<Vec<_>>()
                        .join(" ")
                );
                applied.push(format!(
                    "added hashtags your posts use for this: {}",
                    tags.join(", ")
                ));
            }
        }
        Ok(Rewritten {
            text,
            changes: applied,
            engine: "local".into(),
            cost_micros: 0,
            fallback: None,
        })
    }
}
