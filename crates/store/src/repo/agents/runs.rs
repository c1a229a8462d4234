//! Runs of the agent pipeline and the steps each agent took.

use sqlx::AnyConnection;
use zenalto_domain::{Timestamp, WorkspaceId};

use crate::Result;

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RunRow {
    pub id: String,
    pub trigger_kind: String,
    pub status: String,
    pub input: String,
    pub output: Option<String>,
    pub error: Option<String>,
    pub started_by: Option<String>,
    pub created_at: i64,
    pub finished_at: Option<i64>,
}

macro_rules! run_columns {
    () => {
        "id, trigger_kind, status, input, output, error, started_by, created_at, finished_at"
    };
}

pub struct NewRun<'a> {
    pub id: &'a str,
    pub trigger_kind: &'a str,
    pub input: &'a str,
    pub autofill_key: Option<&'a str>,
    pub started_by: Option<&'a str>,
}

/// Starts a run. With an autofill key already used, nothing is inserted and `false` returned:
/// that week was already filled (or is being filled) for that account.
pub async fn insert(conn: &mut AnyConnection, workspace: WorkspaceId, run: &NewRun<'_>, now: Timestamp) -> Result<bool> {
    let done = sqlx::query(
        "INSERT INTO agent_runs (id, workspace_id, trigger_kind, status, input, autofill_key, started_by, created_at) \
         VALUES ($1, $2, $3, 'running', $4, $5, $6, $7) ON CONFLICT (autofill_key) DO NOTHING",
    )
    .bind(run.id)
    .bind(workspace.to_string())
    .bind(run.trigger_kind)
    .bind(run.input)
    .bind(run.autofill_key.map(str::to_owned))
    .bind(run.started_by.map(str::to_owned))
    .bind(now.as_millis())
    .execute(conn)
    .await?;
    Ok(done.rows_affected() == 1)
}

pub async fn finish(
    conn: &mut AnyConnection,
    workspace: WorkspaceId,
    id: &str,
    status: &str,
    output: Option<&str>,
    error: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    sqlx::query("UPDATE agent_runs SET status = $1, output = $2, error = $3, finished_at = $4 WHERE workspace_id = $5 AND id = $6")
        .bind(status)
        .bind(output.map(str::to_owned))
        .bind(error.map(str::to_owned))
        .bind(now.as_millis())
        .bind(workspace.to_string())
        .bind(id)
        .execute(conn)
        .await?;
    Ok(())
}

pub async fn get(conn: &mut AnyConnection, workspace: WorkspaceId, id: &str) -> Result<Option<RunRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", run_columns!(), " FROM agent_runs WHERE workspace_id = $1 AND id = $2"))
        .bind(workspace.to_string())
        .bind(id)
        .fetch_optional(conn)
        .await?)
}

/// The latest runs, newest first.
pub async fn list(conn: &mut AnyConnection, workspace: WorkspaceId, limit: i64) -> Result<Vec<RunRow>> {
    Ok(sqlx::query_as(concat!("SELECT ", run_columns!(), " FROM agent_runs WHERE workspace_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"))
        .bind(workspace.to_string())
        .bind(limit)
        .fetch_all(conn)
        .await?)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct StepRow {
    pub seq: i64,
    pub agent: String,
    pub account_id: Option<String>,
    pub input: String,
    pub output: String,
    pub provider: String,
    pub model: String,
    pub input_tokens: i64,
    pub output_tokens: i64,
    pub cost_micros: i64,
    pub duration_ms: i64,
    pub started_at: i64,
    pub finished_at: i64,
}

pub async fn insert_step(conn: &mut AnyConnection, workspace: WorkspaceId, run: &str, step: &StepRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO agent_steps (id, run_id, workspace_id, seq, agent, account_id, input, output, provider, model, input_tokens, output_tokens, \
         cost_micros, duration_ms, started_at, finished_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
    )
    .bind(uuid::Uuid::now_v7().to_string())
    .bind(run)
    .bind(workspace.to_string())
    .bind(step.seq)
    .bind(&step.agent)
    .bind(step.account_id.clone())
    .bind(&step.input)
    .bind(&step.output)
    .bind(&step.provider)
    .bind(&step.model)
    .bind(step.input_tokens)
    .bind(step.output_tokens)
    .bind(step.cost_micros)
    .bind(step.duration_ms)
    .bind(step.started_at)
    .bind(step.finished_at)
    .execute(conn)
    .await?;
    Ok(())
}

pub async fn steps(conn: &mut AnyConnection, workspace: WorkspaceId, run: &str) -> Result<Vec<StepRow>> {
    Ok(sqlx::query_as(
        "SELECT seq, agent, account_id, input, output, provider, model, input_tokens, output_tokens, cost_micros, duration_ms, started_at, finished_at \
         FROM agent_steps WHERE workspace_id = $1 AND run_id = $2 ORDER BY seq",
    )
    .bind(workspace.to_string())
    .bind(run)
    .fetch_all(conn)
    .await?)
}
