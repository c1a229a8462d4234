//! Claims on SQLite. There is one writer connection, so the select-then-update below cannot race
//! another claim: no row locks needed.

use sqlx::AnyConnection;
use zenalto_domain::Timestamp;

use super::{JobRow, columns};
use crate::Result;

pub(super) async fn claim(conn: &mut AnyConnection, owner: &str, now: Timestamp, lease_until: Timestamp, limit: i64) -> Result<Vec<JobRow>> {
    Ok(sqlx::query_as(concat!(
        "UPDATE jobs SET state = 'running', lease_owner = $1, lease_expires_at = $2, attempt = attempt + 1 \
         WHERE id IN (SELECT id FROM jobs WHERE state = 'queued' AND run_at <= $3 ORDER BY run_at, id LIMIT $4) RETURNING ",
        columns!()
    ))
    .bind(owner)
    .bind(lease_until.as_millis())
    .bind(now.as_millis())
    .bind(limit)
    .fetch_all(conn)
    .await?)
}
