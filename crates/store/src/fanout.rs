//! Cross-process fan-out of live events on PostgreSQL: every process NOTIFYs the events it
//! raises on one channel and LISTENs to the others'. A NOTIFY is delivered when its transaction
//! commits, at most 8,000 bytes each, and only to sessions listening at that moment; that suits
//! hints for live screens, which reload on any event. SQLite has no equivalent (and the default
//! single `zenalto serve` process shares events in memory).

use sqlx::{AnyConnection, postgres::PgListener};

use crate::Result;

pub const CHANNEL: &str = "zenalto_events";

/// The largest payload PostgreSQL accepts on a NOTIFY is 7,999 bytes; stay well under it.
pub const MAX_PAYLOAD: usize = 7_000;

/// Sends payloads to every listening process, in one statement.
pub async fn publish(conn: &mut AnyConnection, payloads: &[String]) -> Result<()> {
    if payloads.is_empty() {
        return Ok(());
    }
    let values: Vec<String> = (0..payloads.len()).map(|i| format!("(${})", i + 2)).collect();
    let sql = format!("SELECT pg_notify($1, v.column1) FROM (VALUES {}) AS v", values.join(", "));
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(CHANNEL);
    for payload in payloads {
        query = query.bind(payload.clone());
    }
    query.execute(conn).await?;
    Ok(())
}

/// A dedicated connection listening on [`CHANNEL`].
pub async fn listen(url: &str) -> Result<PgListener> {
    let mut listener = PgListener::connect(url).await?;
    listener.listen(CHANNEL).await?;
    Ok(listener)
}
