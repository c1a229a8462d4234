//! Reading agent runs back: the run with its input and output, and every step in order.

use serde::Serialize;
use serde_json::Value;
use zenalto_domain::{Permission, Timestamp};
use zenalto_store::repo::agents::runs;

use crate::{Access, Result, ServiceError, Services};

const MAX_RUNS: i64 = 100;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StepView {
    pub seq: i64,
    /// research, strategy, content, review, schedule
    pub agent: String,
    pub account_id: Option<String>,
    pub input: Value,
    pub output: Value,
    /// The provider kind that answered, or "local".
    pub provider: String,
    pub model: String,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cost_micros: i64,
    pub duration_ms: i64,
    pub started_at: Timestamp,
    pub finished_at: Timestamp,
}

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RunView {
    pub id: String,
    /// manual or autofill
    pub trigger: String,
    /// running, succeeded, failed
    pub status: String,
    pub input: Value,
    /// The drafts made, each with the reasoning behind it.
    pub output: Option<Value>,
    pub error: Option<String>,
    pub started_by: Option<String>,
    pub created_at: Timestamp,
    pub finished_at: Option<Timestamp>,
    /// Empty in lists; every step when one run is read.
    pub steps: Vec<StepView>,
}

fn json(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap_or(Value::Null)
}

fn view(row: runs::RunRow) -> RunView {
    RunView {
        id: row.id,
        trigger: row.trigger_kind,
        status: row.status,
        input: json(&row.input),
        output: row.output.as_deref().map(json),
        error: row.error,
        started_by: row.started_by,
        created_at: Timestamp::from_millis(row.created_at),
        finished_at: row.finished_at.map(Timestamp::from_millis),
        steps: Vec::new(),
    }
}

impl Services {
    /// The latest runs, newest first, without their steps (post:read).
    pub async fn agent_runs(&self, access: &Access) -> Result<Vec<RunView>> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        Ok(runs::list(&mut conn, access.workspace_id, MAX_RUNS).await?.into_iter().map(view).collect())
    }

    /// One run with every step (post:read).
    pub async fn agent_run(&self, access: &Access, id: &str) -> Result<RunView> {
        access.require(Permission::PostRead)?;
        let mut conn = self.db.read().await?;
        let row = runs::get(&mut conn, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        let mut run = view(row);
        run.steps = runs::steps(&mut conn, access.workspace_id, id)
            .await?
            .into_iter()
            .map(|s| StepView {
                seq: s.seq,
                agent: s.agent,
                account_id: s.account_id,
                input: json(&s.input),
                output: json(&s.output),
                provider: s.provider,
                model: s.model,
                input_tokens: s.input_tokens,
                output_tokens: s.output_tokens,
                cost_micros: s.cost_micros,
                duration_ms: s.duration_ms,
                started_at: Timestamp::from_millis(s.started_at),
                finished_at: Timestamp::from_millis(s.finished_at),
            })
            .collect();
        Ok(run)
    }
}
