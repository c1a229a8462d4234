//! Recording what each agent did: input, output, who answered (a provider and model, or the
//! local engine), tokens, cost and duration — one row per step, written as the step ends, so a
//! run that fails half-way still shows how far it got.

use std::time::Instant;

use serde_json::Value;
use zenalto_domain::{AccountId, Timestamp, WorkspaceId};
use zenalto_store::{StoreError, repo::agents::runs};

use crate::{Result, Services};

/// Who did the work of a step.
pub(crate) struct Engine {
    provider: String,
    model: String,
    input_tokens: u64,
    output_tokens: u64,
    cost_micros: u64,
}

impl Engine {
    pub fn local() -> Self {
        Engine { provider: "local".into(), model: "local".into(), input_tokens: 0, output_tokens: 0, cost_micros: 0 }
    }

    /// Adds a generation's usage; a provider that answered names the step's engine.
    pub fn add(&mut self, generation: &crate::ai::Generation) {
        if generation.engine != "local" {
            self.provider = generation.engine.clone();
            self.model = generation.model.clone().unwrap_or_else(|| generation.engine.clone());
        }
        self.input_tokens += generation.usage.input_tokens;
        self.output_tokens += generation.usage.output_tokens;
        self.cost_micros += generation.cost_micros;
    }
}

pub(crate) struct Recorder<'a> {
    services: &'a Services,
    workspace: WorkspaceId,
    run_id: String,
    seq: i64,
}

/// When a step started, by the clock (for the record) and the monotonic timer (for its duration).
pub(crate) struct Started {
    at: Timestamp,
    timer: Instant,
}

impl<'a> Recorder<'a> {
    pub fn new(services: &'a Services, workspace: WorkspaceId, run_id: &str) -> Self {
        Recorder { services, workspace, run_id: run_id.to_owned(), seq: 0 }
    }

    pub fn run_id(&self) -> &str {
        &self.run_id
    }

    pub fn start(&self) -> Started {
        Started { at: self.services.now(), timer: Instant::now() }
    }

    pub async fn record(&mut self, agent: &str, account: AccountId, input: Value, output: Value, engine: Engine, started: Started) -> Result<()> {
        self.seq += 1;
        let clamp = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
        let step = runs::StepRow {
            seq: self.seq,
            agent: agent.to_owned(),
            account_id: Some(account.to_string()),
            input: input.to_string(),
            output: output.to_string(),
            provider: engine.provider,
            model: engine.model,
            input_tokens: clamp(engine.input_tokens),
            output_tokens: clamp(engine.output_tokens),
            cost_micros: clamp(engine.cost_micros),
            duration_ms: super::elapsed_ms(started.timer),
            started_at: started.at.as_millis(),
            finished_at: self.services.now().as_millis(),
        };
        let mut tx = self.services.db.begin().await?;
        runs::insert_step(&mut tx, self.workspace, &self.run_id, &step).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}
