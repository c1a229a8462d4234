//! Translation, which only a provider can do (the built-in engine knows no second language and
//! says so rather than pretend), and the hashtags a local expansion adds.

use serde::Serialize;
use serde_json::json;
use zenalto_ai::local::hashtags::suggest;
use zenalto_ai::routing::Task;
use zenalto_ai::{ChatRequest, Message};
use zenalto_domain::Permission;

use super::check_text;
use crate::{Access, Result, ServiceError, Services};

/// Hashtags a local expansion may add.
const EXPANSION_TAGS: usize = 3;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Translation {
    pub text: String,
    /// The language asked for, as given.
    pub language: String,
    /// The provider kind that answered, or "cache".
    pub engine: String,
    pub cost_micros: u64,
}

impl Services {
    /// `text` in `language` (a name or BCP 47 tag, e.g. "German", "pt-BR"), keeping links,
    /// mentions and hashtags (post:create). Needs a provider: without one, over budget, or when
    /// every provider fails, a clear error says so.
    pub async fn ai_translate(
        &self,
        access: &Access,
        text: &str,
        language: &str,
    ) -> Result<Translation> {
        access.require(Permission::PostCreate)?;
        check_text(text)?;
        let language = language.trim();
        if language.is_empty()
            || language.chars().count() > 40
            || !language
                .chars()
                .all(|c| c.is_alphabetic() || matches!(c, '-' | ' ' | '(' | ')'))
        {
            return Err(ServiceError::field(
                "language",
                "a language name or tag, e.g. German or pt-BR",
            ));
        }
        let Some(configured) = self.ai_chain(access.workspace_id).await? else {
            return Err(ServiceError::Conflict {
                field: None,
                message: "translation needs an AI provider: the built-in engine cannot translate. Add one in Settings → AI, or translate it yourself".into(),
            });
        };
        let system = format!(
            "Translate the user's social media post into {language}. Keep its tone and length, and keep links, @mentions and #hashtags exactly as they are. Answer with the translation only."
        );
        let mut request = ChatRequest::new("", vec![Message::system(system), Message::user(text)]);
        request.json_schema = Some(
            json!({ "type": "object", "properties": { "text": { "type": "string" } }, "required": ["text"] }),
        );
        match self
            .ai_call(access.workspace_id, &configured, Task::Translate, &request)
            .await?
        {
            Err(refused) if refused.kind == "budget_exceeded" => Err(ServiceError::Conflict {
                field: None,
                message: refused.message,
            }),
            Err(failed) => Err(ServiceError::AiUnavailable(format!(
                "{}. Try again later, or translate it yourself.",
                failed.message
            ))),
            Ok(called) => {
                let value: serde_json::Value =
                    serde_json::from_str(called.response.text.trim()).unwrap_or_default();
                let translated = value["text"].as_str().map(str::trim).filter(|t| !t.is_empty()).ok_or_else(|| {
                    ServiceError::AiUnavailable(format!("{} did not answer in the asked structure; try again, or translate it yourself", called.engine))
                })?;
                Ok(Translation {
                    text: translated.to_owned(),
                    language: language.to_owned(),
                    engine: called.engine,
                    cost_micros: called.cost_micros,
                })
            }
        }
    }

    /// Hashtags ranked from the workspace's own posts that `text` does not carry yet.
    pub(crate) async fn expansion_tags(&self, access: &Access, text: &str) -> Result<Vec<String>> {
        let history = self.ai_history(access).await?;
        let present = text.to_lowercase();
        // Only tags the workspace has used: the suggester also coins new ones from the text.
        Ok(suggest(text, &history, EXPANSION_TAGS * 3)
            .into_iter()
            .filter(|s| s.used_in_posts > 0)
            .map(|s| s.tag)
            .filter(|tag| !present.contains(&format!("#{}", tag.to_lowercase())))
            .take(EXPANSION_TAGS)
            .collect())
    }
}
