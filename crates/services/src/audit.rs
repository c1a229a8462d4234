//! Writing and reading the audit log.

use serde_json::Value;
use zenalto_domain::{Permission, UserId, WorkspaceId};
use zenalto_store::{
    Conn, Cursor, Page,
    repo::audit::{self, AuditFilter, AuditRow, NewAuditEntry},
};

use crate::{Access, RequestMeta, Result, Services};

/// What happened, to be recorded beside the change itself.
pub struct Event<'a> {
    pub action: &'a str,
    pub resource_type: &'static str,
    pub resource_id: Option<String>,
    pub changes: Option<Value>,
}

/// Records a workspace action by the caller described in `access`.
pub async fn record(conn: &mut Conn, access: &Access, meta: &RequestMeta, event: Event<'_>, services: &Services) -> Result<()> {
    let entry = NewAuditEntry {
        workspace_id: Some(access.workspace_id),
        actor_type: access.actor.kind,
        actor_id: Some(access.actor.id.clone()),
        actor_email: access.actor.email.clone(),
        ..entry(meta, event)
    };
    audit::insert(conn, &entry, services.now()).await?;
    Ok(())
}

/// Records an account-level action (no workspace), e.g. a login or password change.
pub async fn record_account(conn: &mut Conn, user: UserId, email: &str, meta: &RequestMeta, event: Event<'_>, services: &Services) -> Result<()> {
    let entry = NewAuditEntry {
        workspace_id: None,
        actor_type: "user",
        actor_id: Some(user.to_string()),
        actor_email: Some(email.to_owned()),
        ..entry(meta, event)
    };
    audit::insert(conn, &entry, services.now()).await?;
    Ok(())
}

/// Records a workspace action taken on behalf of a user outside any access check (sign-up
/// creating the first workspace, accepting an invitation).
pub async fn record_for_user(
    conn: &mut Conn,
    workspace: WorkspaceId,
    user: UserId,
    email: &str,
    meta: &RequestMeta,
    event: Event<'_>,
    services: &Services,
) -> Result<()> {
    let entry = NewAuditEntry {
        workspace_id: Some(workspace),
        actor_type: "user",
        actor_id: Some(user.to_string()),
        actor_email: Some(email.to_owned()),
        ..entry(meta, event)
    };
    audit::insert(conn, &entry, services.now()).await?;
    Ok(())
}

fn entry(meta: &RequestMeta, event: Event<'_>) -> NewAuditEntry {
    NewAuditEntry {
        action: event.action.to_owned(),
        resource_type: event.resource_type,
        resource_id: event.resource_id,
        changes: event.changes.map(|c| c.to_string()),
        ip: meta.ip.clone(),
        user_agent: meta.user_agent.clone(),
        request_id: meta.request_id.clone(),
        ..NewAuditEntry::default()
    }
}

impl Services {
    /// A page of the workspace's audit log (owners and admins).
    pub async fn audit_log(&self, access: &Access, filter: &AuditFilter, cursor: &Cursor) -> Result<Page<AuditRow>> {
        access.require(Permission::AuditView)?;
        let mut conn = self.db.read().await?;
        Ok(audit::list_for_workspace(&mut conn, access.workspace_id, filter, cursor).await?)
    }

    /// The whole filtered log as CSV, newest first.
    pub async fn audit_log_csv(&self, access: &Access, filter: &AuditFilter) -> Result<String> {
        access.require(Permission::AuditView)?;
        let mut writer = csv::Writer::from_writer(Vec::new());
        let header = ["id", "created_at", "actor_type", "actor_id", "actor_email", "action", "resource_type", "resource_id", "changes", "ip", "user_agent", "request_id"];
        writer.write_record(header).map_err(crate::ServiceError::internal)?;
        let mut cursor = Cursor::new(None, Some(zenalto_store::page::MAX_LIMIT)).map_err(crate::ServiceError::internal)?;
        let mut conn = self.db.read().await?;
        loop {
            let page = audit::list_for_workspace(&mut conn, access.workspace_id, filter, &cursor).await?;
            for row in &page.items {
                // Every cell, not only the obviously free-text ones: an e-mail address
                // ("=1+2@example.org") or a client-chosen request id ("-1-1") can be a formula too.
                let record = [
                    row.id.to_string(),
                    row.created_at.to_string(),
                    row.actor_type.clone(),
                    row.actor_id.clone().unwrap_or_default(),
                    row.actor_email.clone().unwrap_or_default(),
                    row.action.clone(),
                    row.resource_type.clone(),
                    row.resource_id.clone().unwrap_or_default(),
                    row.changes.clone().unwrap_or_default(),
                    row.ip.clone().unwrap_or_default(),
                    row.user_agent.clone().unwrap_or_default(),
                    row.request_id.clone().unwrap_or_default(),
                ];
                writer.write_record(record.iter().map(|cell| crate::publishing::export::csv_safe(cell))).map_err(crate::ServiceError::internal)?;
            }
            match page.next_cursor {
                Some(next) => cursor = Cursor::new(Some(&next), Some(zenalto_store::page::MAX_LIMIT)).map_err(crate::ServiceError::internal)?,
                None => break,
            }
        }
        String::from_utf8(writer.into_inner().map_err(crate::ServiceError::internal)?).map_err(crate::ServiceError::internal)
    }

    /// The caller's own account events.
    pub async fn account_activity(&self, user: UserId, cursor: &Cursor) -> Result<Page<AuditRow>> {
        let mut conn = self.db.read().await?;
        Ok(audit::list_for_account(&mut conn, user, cursor).await?)
    }
}
