//! A rewrite streamed as the provider writes it, so the composer can show words as they come.
//! The stream always ends with one `Done` carrying the whole result as the non-streaming call
//! would return it: the provider's text with its cost, or — when no provider is configured,
//! the budget is spent, or the provider fails before or during the answer — the local engine's
//! rewrite with the reason, which replaces whatever partial text was shown.

use futures::StreamExt;
use futures::stream::BoxStream;
use zenalto_ai::local::rewrite::Style;
use zenalto_ai::routing::Task;
use zenalto_ai::{ChatRequest, Delta, Message, Usage};

use super::rewrite::rewrite_instruction;
use super::{Fallback, Rewritten, check_text};
use crate::{Access, Result, Services};
use zenalto_domain::Permission;

/// One event of a streamed rewrite.
#[derive(Clone, Debug)]
pub enum RewriteEvent {
    /// More text of the provider's answer.
    Delta(String),
    /// The whole result; nothing follows.
    Done(Rewritten),
}

impl Services {
    /// [`Services::ai_rewrite`] as a stream of events (post:create).
    pub async fn ai_rewrite_stream(
        &self,
        access: &Access,
        text: &str,
        style: Style,
    ) -> Result<BoxStream<'static, RewriteEvent>> {
        access.require(Permission::PostCreate)?;
        check_text(text)?;
        let local_done =
            |services: &Services, access: &Access, text: &str, fallback: Option<Fallback>| {
                let (services, access, text) = (services.clone(), access.clone(), text.to_owned());
                async move {
                    let mut result = services.ai_rewrite_local(&access, &text, style).await?;
                    result.fallback = fallback;
                    Ok::<_, crate::ServiceError>(
                        futures::stream::iter([RewriteEvent::Done(result)]).boxed(),
                    )
                }
            };
        let Some(configured) = self.ai_chain(access.workspace_id).await? else {
            return local_done(self, access, text, None).await;
        };
        if let Some(refusal) = self
            .ai_over_budget(access.workspace_id, &configured)
            .await?
        {
            return local_done(self, access, text, Some(refusal)).await;
        }
        let system = format!(
            "Rewrite the user's social media post to be {}. Keep links, mentions and hashtags. Answer with the rewritten post only.",
            rewrite_instruction(style)
        );
        let request = ChatRequest::new("", vec![Message::system(system), Message::user(text)]);
        let (provider, mut deltas) = match configured.chain.stream(Task::Rewrite, &request).await {
            Ok(started) => started,
            Err(error) => {
                let kind = error
                    .kind()
                    .map(|k| k.as_str().to_owned())
                    .unwrap_or_else(|| "unavailable".into());
                return local_done(
                    self,
                    access,
                    text,
                    Some(Fallback {
                        kind,
                        message: format!("{error}. This rewrite comes from the local engine."),
                    }),
                )
                .await;
            }
        };
        let engine = provider.split('#').next().unwrap_or_default().to_owned();
        let (sender, receiver) = tokio::sync::mpsc::channel(32);
        let (services, access, original) = (self.clone(), access.clone(), text.to_owned());
        tokio::spawn(async move {
            let mut written = String::new();
            let mut usage = Usage::default();
            let mut failure = None;
            while let Some(delta) = deltas.next().await {
                match delta {
                    Ok(Delta::Text(piece)) => {
                        written.push_str(&piece);
                        // A client that went away stops the stream; the usage is still recorded.
                        let _ = sender.send(RewriteEvent::Delta(piece)).await;
                    }
                    Ok(Delta::Usage(u)) => usage = u,
                    Ok(_) => {}
                    Err(error) => {
                        failure = Some(Fallback {
                            kind: error.kind.as_str().into(),
                            message: format!("{error}. This rewrite comes from the local engine."),
                        });
                        break;
                    }
                }
            }
            let model = configured
                .chain
                .model_of(Task::Rewrite, &provider)
                .unwrap_or_default();
            let cost = configured.prices.cost_micros(&model, usage);
            let recorded = async {
                let mut tx = services.db.begin().await?;
                services
                    .ai_record(
                        &mut tx,
                        access.workspace_id,
                        Task::Rewrite.as_str(),
                        (&engine, &model),
                        usage,
                        cost,
                    )
                    .await?;
                tx.commit().await.map_err(zenalto_store::StoreError::from)?;
                Ok::<_, crate::ServiceError>(())
            };
            if let Err(error) = recorded.await {
                tracing::error!(%error, "could not record a streamed AI answer's usage");
            }
            let done = match (failure, written.trim()) {
                (None, text) if !text.is_empty() => Ok(Rewritten {
                    text: text.to_owned(),
                    changes: Vec::new(),
                    engine,
                    cost_micros: cost,
                    fallback: None,
                }),
                (failure, _) => {
                    let fallback = failure.unwrap_or(Fallback { kind: "malformed_answer".into(), message: format!("{engine} answered with nothing. This rewrite comes from the local engine.") });
                    services
                        .ai_rewrite_local(&access, &original, style)
                        .await
                        .map(|mut local| {
                            local.fallback = Some(fallback);
                            local.cost_micros = cost;
                            local
                        })
                }
            };
            match done {
                Ok(result) => {
                    let _ = sender.send(RewriteEvent::Done(result)).await;
                }
                Err(error) => tracing::error!(%error, "a streamed rewrite could not finish"),
            }
        });
        Ok(tokio_stream_from(receiver))
    }
}

fn tokio_stream_from(
    mut receiver: tokio::sync::mpsc::Receiver<RewriteEvent>,
) -> BoxStream<'static, RewriteEvent> {
    futures::stream::poll_fn(move |cx| receiver.poll_recv(cx)).boxed()
}
