use std::collections::BTreeMap;

use zenalto_domain::Timestamp;
use zenalto_store::StoreError;

/// Field name → message, for VALIDATION_ERROR details.
pub type FieldErrors = BTreeMap<String, String>;

/// What a use case can refuse. The API maps each variant to one stable error code.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("some fields are invalid")]
    Validation(FieldErrors),
    #[error("not found")]
    NotFound,
    #[error("you do not have permission to {0}")]
    Forbidden(String),
    #[error("authentication required")]
    Unauthorized,
    #[error("email or password is incorrect")]
    InvalidCredentials,
    #[error("verify your e-mail address first; a code was sent to it")]
    EmailNotVerified,
    #[error("enter the code from your authenticator app, or a recovery code")]
    TwoFactorRequired,
    #[error("the token is invalid or has been revoked")]
    InvalidToken,
    #[error("the token has expired")]
    TokenExpired,
    #[error("the code is incorrect")]
    CodeInvalid { attempts_left: i64 },
    #[error("the code has expired or was used up; request a new one")]
    CodeExpired,
    #[error("too many failed attempts; the account is locked for now")]
    AccountLocked { until: Timestamp },
    #[error("{message}")]
    Conflict { field: Option<String>, message: String },
    /// A file larger than the workspace's plan allows (or than the request limit).
    #[error("{0}")]
    TooLarge(String),
    /// A file whose bytes are not a type the media library accepts.
    #[error("{0}")]
    UnsupportedMedia(String),
    /// A byte range outside the file.
    #[error("{0}")]
    RangeNotSatisfiable(String),
    /// A social network refused or failed a call made on the user's behalf (connecting, a
    /// reply); the message says what to do.
    #[error("{0}")]
    Network(String),
    /// Every AI provider failed something only a provider can do; the message says what to do.
    #[error("{0}")]
    AiUnavailable(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ServiceError {
    pub fn field(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(FieldErrors::from([(field.to_owned(), message.into())]))
    }

    pub fn internal(err: impl std::fmt::Display) -> Self {
        Self::Internal(err.to_string())
    }
}
