//! Who is calling, and what they may do in a workspace. Access tokens are short-lived JWTs
//! (HS256) naming a session; the session is checked on every request so logout and session
//! revocation take effect at once. API keys are opaque `zk_…` secrets stored as hashes.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use zenalto_domain::{ApiKeyId, Permission, Role, SessionId, Timestamp, UserId, WorkspaceId};
use zenalto_store::repo::{api_keys, sessions, users, workspaces};

use crate::{Result, ServiceError, Services, crypto};

/// The authenticated caller.
#[derive(Clone, Debug)]
pub enum Principal {
    User { user_id: UserId, session_id: SessionId, email: String },
    ApiKey { key_id: ApiKeyId, workspace_id: WorkspaceId, owner: Option<UserId>, role: Role, scopes: Vec<Permission> },
}

impl Principal {
    /// Account endpoints (password, sessions, two-factor) are for people in a login session only.
    pub fn user(&self) -> Result<(UserId, SessionId)> {
        match self {
            Principal::User { user_id, session_id, .. } => Ok((*user_id, *session_id)),
            Principal::ApiKey { .. } => Err(ServiceError::Forbidden("use this endpoint with an API key".into())),
        }
    }

    /// A stable key for per-caller rate limits.
    pub fn rate_key(&self) -> String {
        match self {
            Principal::User { user_id, .. } => format!("user:{user_id}"),
            Principal::ApiKey { key_id, .. } => format!("key:{key_id}"),
        }
    }
}

/// A caller's rights in one workspace.
#[derive(Clone, Debug)]
pub struct Access {
    pub workspace_id: WorkspaceId,
    pub role: Role,
    /// API-key scopes; None for people, whose rights are their role's.
    pub scopes: Option<Vec<Permission>>,
    pub actor: Actor,
}

/// The audit log's view of a caller.
#[derive(Clone, Debug)]
pub struct Actor {
    pub kind: &'static str,
    pub id: String,
    pub email: Option<String>,
    pub user_id: Option<UserId>,
    /// The login session of a person (connects are bound to it); None for API keys.
    pub session_id: Option<SessionId>,
}

impl Access {
    pub fn can(&self, permission: Permission) -> bool {
        self.role.allows(permission) && self.scopes.as_ref().is_none_or(|s| s.contains(&permission))
    }

    pub fn require(&self, permission: Permission) -> Result<()> {
        if self.can(permission) { Ok(()) } else { Err(ServiceError::Forbidden(permission.as_str().replace(':', " "))) }
    }

    pub fn permissions(&self) -> Vec<Permission> {
        Permission::ALL.into_iter().filter(|p| self.can(*p)).collect()
    }
}

#[derive(Serialize, Deserialize)]
struct Claims {
    sub: String,
    sid: String,
    iat: i64,
    exp: i64,
}

pub const API_KEY_PREFIX: &str = "zk_";

impl Services {
    /// Signs an access token for a session.
    pub fn issue_access_token(&self, user: UserId, session: SessionId) -> Result<String> {
        let now = self.clock.now().as_millis() / 1000;
        let claims = Claims { sub: user.to_string(), sid: session.to_string(), iat: now, exp: now + self.settings.auth.access_token_ttl_secs };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &EncodingKey::from_secret(self.keys.jwt_signing_key.expose()))
            .map_err(ServiceError::internal)
    }

    /// Resolves a bearer credential (access token or API key) to a principal.
    pub async fn authenticate(&self, bearer: &str) -> Result<Principal> {
        if bearer.starts_with(API_KEY_PREFIX) {
            return self.authenticate_api_key(bearer).await;
        }
        let mut validation = Validation::new(Algorithm::HS256);
        // Expiry is checked against the service clock below, so tests can move time.
        validation.validate_exp = false;
        validation.required_spec_claims = ["exp".to_string(), "sub".to_string()].into();
        let data = jsonwebtoken::decode::<Claims>(bearer, &DecodingKey::from_secret(self.keys.jwt_signing_key.expose()), &validation)
            .map_err(|_| ServiceError::InvalidToken)?;
        let now = self.clock.now();
        if data.claims.exp * 1000 <= now.as_millis() {
            return Err(ServiceError::TokenExpired);
        }
        let user_id: UserId = data.claims.sub.parse().map_err(|_| ServiceError::InvalidToken)?;
        let session_id: SessionId = data.claims.sid.parse().map_err(|_| ServiceError::InvalidToken)?;
        let mut conn = self.db.read().await?;
        if !sessions::is_active(&mut conn, session_id, now).await? {
            return Err(ServiceError::InvalidToken);
        }
        let user = users::get(&mut conn, user_id).await?.ok_or(ServiceError::InvalidToken)?;
        Ok(Principal::User { user_id, session_id, email: user.email })
    }

    async fn authenticate_api_key(&self, raw: &str) -> Result<Principal> {
        let now = self.clock.now();
        let hash = crypto::sha256_hex(raw);
        let key = {
            let mut conn = self.db.read().await?;
            api_keys::find_by_hash(&mut conn, &hash).await?.ok_or(ServiceError::InvalidToken)?
        };
        if key.revoked_at.is_some() {
            return Err(ServiceError::InvalidToken);
        }
        if key.expires_at.is_some_and(|t| t <= now.as_millis()) {
            return Err(ServiceError::TokenExpired);
        }
        // Recording use on every request would serialise all API-key traffic on SQLite's single
        // writer; a minute's resolution is what "last used" needs.
        if key.last_used_at.is_none_or(|t| t < now.as_millis() - 60_000) {
            let mut tx = self.db.begin().await?;
            api_keys::touch(&mut tx, key.id, now).await?;
            tx.commit().await.map_err(zenalto_store::StoreError::from)?;
        }
        Ok(Principal::ApiKey { key_id: key.id, workspace_id: key.workspace_id, owner: key.owner_user_id, role: key.role, scopes: key.scopes })
    }

    /// The caller's rights in a workspace. Not being a member answers NotFound, never Forbidden,
    /// so nobody learns which workspace ids exist.
    pub async fn access(&self, principal: &Principal, workspace: WorkspaceId) -> Result<Access> {
        let mut conn = self.db.read().await?;
        match principal {
            Principal::User { user_id, email, session_id } => {
                let role = workspaces::role_of(&mut conn, workspace, *user_id).await?.ok_or(ServiceError::NotFound)?;
                Ok(Access {
                    workspace_id: workspace,
                    role,
                    scopes: None,
                    actor: Actor { kind: "user", id: user_id.to_string(), email: Some(email.clone()), user_id: Some(*user_id), session_id: Some(*session_id) },
                })
            }
            Principal::ApiKey { key_id, workspace_id, owner, role, scopes } => {
                if *workspace_id != workspace {
                    return Err(ServiceError::NotFound);
                }
                // A personal key never exceeds its owner's current role, and dies with the membership.
                let role = match owner {
                    Some(owner) => {
                        let member_role = workspaces::role_of(&mut conn, workspace, *owner).await?.ok_or(ServiceError::NotFound)?;
                        (*role).max(member_role)
                    }
                    None => *role,
                };
                Ok(Access {
                    workspace_id: workspace,
                    role,
                    scopes: Some(scopes.clone()),
                    actor: Actor { kind: "api_key", id: key_id.to_string(), email: None, user_id: *owner, session_id: None },
                })
            }
        }
    }

    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }
}
