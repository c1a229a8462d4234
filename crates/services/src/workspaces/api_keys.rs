//! API keys for integrations. A personal key acts as its owner (never beyond the owner's current
//! role) within one workspace; a workspace key has a role of its own, chosen by an admin. Both
//! carry scopes (permission names). The secret is shown once, at creation.

use serde_json::json;
use zenalto_domain::{ApiKeyId, Permission, Role, Timestamp};
use zenalto_store::{
    Cursor, Page, StoreError,
    repo::api_keys::{self, ApiKeyRow, NewApiKey},
};

use crate::{
    Access, FieldErrors, RequestMeta, Result, ServiceError, Services,
    audit::{self, Event},
    auth::API_KEY_PREFIX,
    crypto,
};

pub struct NewApiKeyInput {
    pub name: String,
    pub scopes: Vec<String>,
    /// Workspace keys only: the key's role (at most the creator's).
    pub role: Option<Role>,
    pub expires_at: Option<Timestamp>,
}

pub struct CreatedApiKey {
    pub key: ApiKeyRow,
    /// The full secret, returned exactly once.
    pub secret: String,
}

impl Services {
    /// `personal`: a key acting as the caller; otherwise a workspace key (needs settings:update).
    pub async fn create_api_key(&self, access: &Access, personal: bool, input: NewApiKeyInput, meta: &RequestMeta) -> Result<CreatedApiKey> {
        let creator = match (access.actor.kind, access.actor.user_id) {
            ("user", Some(user)) => user,
            _ => return Err(ServiceError::Forbidden("create API keys with an API key".into())),
        };
        if !personal {
            access.require(Permission::SettingsUpdate)?;
        }
        let mut errors = FieldErrors::new();
        let name = crate::accounts::parse_name(&input.name, "name", &mut errors);
        let mut scopes = Vec::new();
        for raw in &input.scopes {
            match raw.parse::<Permission>() {
                Ok(p) if access.can(p) => scopes.push(p),
                Ok(p) => {
                    errors.insert("scopes".into(), format!("you cannot grant `{p}`, which your role does not have"));
                }
                Err(e) => {
                    errors.insert("scopes".into(), e.to_string());
                }
            }
        }
        if scopes.is_empty() && !errors.contains_key("scopes") {
            errors.insert("scopes".into(), "name at least one permission, e.g. post:read".into());
        }
        let role = match (personal, input.role) {
            (true, Some(_)) => {
                errors.insert("role".into(), "personal keys act with your own role; omit it".into());
                access.role
            }
            (true, None) => access.role,
            (false, Some(role)) if access.role.may_grant(role) => role,
            (false, Some(role)) => {
                errors.insert("role".into(), format!("you cannot grant the role {role}"));
                role
            }
            (false, None) => {
                errors.insert("role".into(), "workspace keys need a role".into());
                Role::Viewer
            }
        };
        let now = self.now();
        if input.expires_at.is_some_and(|t| t <= now) {
            errors.insert("expiresAt".into(), "must be in the future".into());
        }
        if !errors.is_empty() {
            return Err(ServiceError::Validation(errors));
        }
        scopes.sort();
        scopes.dedup();
        let prefix = hex::encode(crypto::random_bytes::<4>());
        let secret = format!("{API_KEY_PREFIX}{prefix}_{}", crypto::random_token());
        let id = ApiKeyId::new();
        let mut tx = self.db.begin().await?;
        let new = NewApiKey {
            id,
            workspace_id: access.workspace_id,
            owner_user_id: personal.then_some(creator),
            name: &name,
            prefix: &format!("{API_KEY_PREFIX}{prefix}"),
            key_hash: &crypto::sha256_hex(&secret),
            role,
            scopes: &scopes,
            created_by: creator,
            expires_at: input.expires_at,
        };
        api_keys::insert(&mut tx, &new, now).await?;
        let event = Event {
            action: "api_key.create",
            resource_type: "api_key",
            resource_id: Some(id.to_string()),
            changes: Some(json!({ "name": name, "personal": personal, "role": role, "scopes": scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>() })),
        };
        audit::record(&mut tx, access, meta, event, self).await?;
        let key = api_keys::get(&mut tx, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(CreatedApiKey { key, secret })
    }

    /// `personal`: the caller's own keys; otherwise the workspace keys (needs settings:view).
    pub async fn list_api_keys(&self, access: &Access, personal: bool, cursor: &Cursor) -> Result<Page<ApiKeyRow>> {
        let owner = if personal {
            Some(access.actor.user_id.ok_or_else(|| ServiceError::Forbidden("list personal keys with a workspace key".into()))?)
        } else {
            access.require(Permission::SettingsView)?;
            None
        };
        let mut conn = self.db.read().await?;
        Ok(api_keys::list(&mut conn, access.workspace_id, owner, cursor).await?)
    }

    /// Revokes a key: its owner may revoke a personal key; settings:update revokes any key.
    pub async fn revoke_api_key(&self, access: &Access, id: ApiKeyId, meta: &RequestMeta) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let key = api_keys::get(&mut tx, access.workspace_id, id).await?.ok_or(ServiceError::NotFound)?;
        let own = key.owner_user_id.is_some() && key.owner_user_id == access.actor.user_id && access.actor.kind == "user";
        if !own {
            access.require(Permission::SettingsUpdate)?;
        }
        if !api_keys::revoke(&mut tx, access.workspace_id, id, self.now()).await? {
            return Err(ServiceError::NotFound);
        }
        let event = Event { action: "api_key.revoke", resource_type: "api_key", resource_id: Some(id.to_string()), changes: None };
        audit::record(&mut tx, access, meta, event, self).await?;
        tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}
