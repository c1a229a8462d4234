//! One provider call with its bookkeeping: the cache first (free, so served even over budget),
//! then this month's budget and plan caps, then the workspace's chain, with the tokens and cost
//! recorded in the usage ledger. A refusal or the failure of every provider comes back as the
//! reason to show beside whatever the caller falls back on.

use zenalto_ai::resilience::Answer;
use zenalto_ai::routing::Task;
use zenalto_ai::{ChatRequest, ChatResponse, Usage};
use zenalto_domain::WorkspaceId;

use super::Fallback;
use super::providers::Configured;
use crate::{Result, Services};

/// A provider's answer, who gave it and what it cost.
pub(crate) struct Called {
    pub response: ChatResponse,
    /// The provider kind ("openai", "anthropic", "gemini") or "cache".
    pub engine: String,
    pub cost_micros: u64,
}

impl Services {
    /// Answers `request` for `task`; `Err(reason)` when over budget or every provider failed.
    pub(crate) async fn ai_call(
        &self,
        workspace: WorkspaceId,
        configured: &Configured,
        task: Task,
        request: &ChatRequest,
    ) -> Result<std::result::Result<Called, Fallback>> {
        let answer = match configured.chain.cached(task, request) {
            Some(hit) => hit,
            None => {
                if let Some(refusal) = self.ai_over_budget(workspace, configured).await? {
                    return Ok(Err(refusal));
                }
                match configured.chain.call(task, request).await {
                    Ok(answer) => answer,
                    Err(error) => {
                        let kind = error
                            .kind()
                            .map(|k| k.as_str().to_owned())
                            .unwrap_or_else(|| "unavailable".into());
                        tracing::warn!(workspace = %workspace, %kind, task = task.as_str(), "every AI provider failed");
                        return Ok(Err(Fallback {
                            kind,
                            message: error.to_string(),
                        }));
                    }
                }
            }
        };
        self.ai_settle(workspace, configured, task, answer)
            .await
            .map(Ok)
    }

    /// Records an answer's tokens and cost (a cache hit at zero) and returns it as called.
    async fn ai_settle(
        &self,
        workspace: WorkspaceId,
        configured: &Configured,
        task: Task,
        answer: Answer,
    ) -> Result<Called> {
        let engine = answer
            .provider
            .split('#')
            .next()
            .unwrap_or_default()
            .to_owned();
        let (usage, cost) = if answer.cached {
            (Usage::default(), 0)
        } else {
            (
                answer.response.usage,
                configured
                    .prices
                    .cost_micros(&answer.response.model, answer.response.usage),
            )
        };
        let mut tx = self.db.begin().await?;
        self.ai_record(
            &mut tx,
            workspace,
            task.as_str(),
            (&engine, &answer.response.model),
            usage,
            cost,
        )
        .await?;
        tx.commit().await.map_err(zenalto_store::StoreError::from)?;
        Ok(Called {
            response: answer.response,
            engine,
            cost_micros: cost,
        })
    }
}
