//! The one error envelope: `{"error":{"code","message","details","timestamp","requestId"}}`.
//! Codes are stable identifiers clients may branch on; messages are for people. Internal
//! failures are logged with their cause and answered with a generic message.

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use zenalto_services::ServiceError;

use crate::middleware::request_id;

/// Every error code the API answers with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    Unauthorized,
    Forbidden,
    InvalidToken,
    TokenExpired,
    InvalidCredentials,
    EmailNotVerified,
    TwoFactorRequired,
    CodeInvalid,
    CodeExpired,
    AccountLocked,
    ValidationError,
    NotFound,
    MethodNotAllowed,
    Conflict,
    PayloadTooLarge,
    UnsupportedMediaType,
    RangeNotSatisfiable,
    RateLimitExceeded,
    RequestTimeout,
    /// A social network refused or failed the call made for this request.
    NetworkError,
    /// Every AI provider failed a request that only a provider can serve (e.g. translation).
    AiUnavailable,
    InternalError,
}

impl ErrorCode {
    pub const ALL: [ErrorCode; 22] = [
        Self::Unauthorized,
        Self::Forbidden,
        Self::InvalidToken,
        Self::TokenExpired,
        Self::InvalidCredentials,
        Self::EmailNotVerified,
        Self::TwoFactorRequired,
        Self::CodeInvalid,
        Self::CodeExpired,
        Self::AccountLocked,
        Self::ValidationError,
        Self::NotFound,
        Self::MethodNotAllowed,
        Self::Conflict,
        Self::PayloadTooLarge,
        Self::UnsupportedMediaType,
        Self::RangeNotSatisfiable,
        Self::RateLimitExceeded,
        Self::RequestTimeout,
        Self::NetworkError,
        Self::AiUnavailable,
        Self::InternalError,
    ];

    pub fn status(&self) -> StatusCode {
        match self {
            Self::Unauthorized | Self::InvalidToken | Self::TokenExpired | Self::InvalidCredentials | Self::TwoFactorRequired => {
                StatusCode::UNAUTHORIZED
            }
            Self::Forbidden | Self::EmailNotVerified => StatusCode::FORBIDDEN,
            Self::CodeInvalid | Self::CodeExpired | Self::ValidationError => StatusCode::UNPROCESSABLE_ENTITY,
            Self::AccountLocked => StatusCode::LOCKED,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict => StatusCode::CONFLICT,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RangeNotSatisfiable => StatusCode::RANGE_NOT_SATISFIABLE,
            Self::RateLimitExceeded => StatusCode::TOO_MANY_REQUESTS,
            Self::RequestTimeout => StatusCode::SERVICE_UNAVAILABLE,
            Self::NetworkError => StatusCode::BAD_GATEWAY,
            Self::AiUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::InternalError => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

#[derive(Debug)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    pub details: Option<Value>,
    /// Seconds, for RATE_LIMIT_EXCEEDED and ACCOUNT_LOCKED.
    pub retry_after: Option<u64>,
}

/// The envelope as documented in the OpenAPI schema.
#[derive(Serialize, ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorBody,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// For VALIDATION_ERROR: field name → message. Otherwise extra facts or null.
    #[schema(value_type = Option<Object>)]
    pub details: Option<Value>,
    pub timestamp: String,
    pub request_id: String,
}

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { code, message: message.into(), details: None, retry_after: None }
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn not_found() -> Self {
        Self::new(ErrorCode::NotFound, "the requested resource does not exist")
    }

    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        Self::new(ErrorCode::ValidationError, "some fields are invalid").with_details(serde_json::json!({ field: message.into() }))
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(%cause, "internal error");
        Self::new(ErrorCode::InternalError, "something went wrong on our side; try again, and quote the request id if it persists")
    }
}

/// The inner error of the envelope without its timestamp and request id: the per-item error of
/// batch endpoints, so one item fails exactly as the single-item request would have.
#[derive(Debug, Serialize, ToSchema)]
pub struct ItemError {
    pub code: ErrorCode,
    pub message: String,
    #[schema(value_type = Option<Object>)]
    pub details: Option<Value>,
}

impl From<ApiError> for ItemError {
    fn from(e: ApiError) -> Self {
        Self { code: e.code, message: e.message, details: e.details }
    }
}

impl From<ServiceError> for ItemError {
    fn from(e: ServiceError) -> Self {
        ApiError::from(e).into()
    }
}

impl From<ServiceError> for ApiError {
    fn from(err: ServiceError) -> Self {
        use ServiceError as E;
        let message = err.to_string();
        match err {
            E::Validation(fields) => {
                Self::new(ErrorCode::ValidationError, message).with_details(serde_json::to_value(fields).unwrap_or(Value::Null))
            }
            E::NotFound => Self::not_found(),
            E::Forbidden(_) => Self::new(ErrorCode::Forbidden, message),
            E::Unauthorized => Self::new(ErrorCode::Unauthorized, message),
            E::InvalidCredentials => Self::new(ErrorCode::InvalidCredentials, message),
            E::EmailNotVerified => Self::new(ErrorCode::EmailNotVerified, message),
            E::TwoFactorRequired => Self::new(ErrorCode::TwoFactorRequired, message),
            E::InvalidToken => Self::new(ErrorCode::InvalidToken, message),
            E::TokenExpired => Self::new(ErrorCode::TokenExpired, message),
            E::CodeInvalid { attempts_left } => {
                Self::new(ErrorCode::CodeInvalid, message).with_details(serde_json::json!({ "attemptsLeft": attempts_left }))
            }
            E::CodeExpired => Self::new(ErrorCode::CodeExpired, message),
            E::AccountLocked { until } => {
                let secs = ((until.as_millis() - zenalto_domain::Timestamp::now().as_millis()) / 1000).max(1);
                let mut e = Self::new(ErrorCode::AccountLocked, message).with_details(serde_json::json!({ "lockedUntil": until }));
                e.retry_after = u64::try_from(secs).ok();
                e
            }
            E::Conflict { field: Some(field), message } => {
                Self::new(ErrorCode::Conflict, message.clone()).with_details(serde_json::json!({ field: message }))
            }
            E::Conflict { field: None, message } => Self::new(ErrorCode::Conflict, message),
            E::TooLarge(message) => Self::new(ErrorCode::PayloadTooLarge, message),
            E::UnsupportedMedia(message) => Self::new(ErrorCode::UnsupportedMediaType, message),
            E::RangeNotSatisfiable(message) => Self::new(ErrorCode::RangeNotSatisfiable, message),
            E::Network(message) => Self::new(ErrorCode::NetworkError, message),
            E::AiUnavailable(message) => Self::new(ErrorCode::AiUnavailable, message),
            E::Store(cause) => Self::internal(cause),
            E::Internal(cause) => Self::internal(cause),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorEnvelope {
            error: ErrorBody {
                code: self.code,
                message: self.message,
                details: self.details,
                timestamp: zenalto_domain::Timestamp::now().to_string(),
                request_id: request_id::current().unwrap_or_default(),
            },
        };
        let mut response = (self.code.status(), Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::ErrorCode;

    /// Every code is produced somewhere (as Lemmy checks): a code nobody answers with is noise in
    /// the contract clients code against. The enum's own definition is cut out before searching.
    #[test]
    fn every_error_code_is_used() {
        let crates = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
        let mut text = String::new();
        let mut stack: Vec<_> = std::fs::read_dir(crates).unwrap().map(|e| e.unwrap().path().join("src")).filter(|p| p.is_dir()).collect();
        assert!(stack.len() > 3, "the crates folder was not found");
        while let Some(path) = stack.pop() {
            for entry in std::fs::read_dir(path).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let source = std::fs::read_to_string(&path).unwrap();
                    // Tests do not count as producing a code.
                    let source = source.split("#[cfg(test)]").next().unwrap_or_default();
                    let source = match (source.find("pub enum ErrorCode"), source.find("pub struct ApiError")) {
                        (Some(start), Some(end)) => format!("{}{}", &source[..start], &source[end..]),
                        _ => source.to_owned(),
                    };
                    text.push_str(&source);
                }
            }
        }
        for code in ErrorCode::ALL {
            let variant = format!("ErrorCode::{code:?}");
            assert!(text.contains(&variant), "{variant} is never produced; remove it or use it");
        }
    }

    /// The variants as written in the enum's source, in order.
    fn declared_variants() -> Vec<String> {
        let source = include_str!("error.rs");
        let start = source.find("pub enum ErrorCode {").unwrap() + "pub enum ErrorCode {".len();
        let body = &source[start..start + source[start..].find('}').unwrap()];
        body.lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with("//") && !line.starts_with("#["))
            .map(|line| line.trim_end_matches(',').to_owned())
            .collect()
    }

    fn screaming_snake(camel: &str) -> String {
        let mut out = String::new();
        for (i, c) in camel.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_uppercase());
        }
        out
    }

    /// `ALL` lists every declared variant exactly once (a variant missing from it would be absent
    /// from every check built on it), each serialises as its SCREAMING_SNAKE_CASE name, maps to
    /// an error status, and appears in the OpenAPI schema clients generate code from.
    #[test]
    fn every_variant_is_listed_named_and_mapped() {
        let declared = declared_variants();
        assert!(declared.len() >= 10, "could not read the enum: {declared:?}");
        let listed: Vec<String> = ErrorCode::ALL.iter().map(|c| format!("{c:?}")).collect();
        let mut unique = listed.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), listed.len(), "ErrorCode::ALL has duplicates: {listed:?}");
        for variant in &declared {
            assert!(listed.contains(variant), "ErrorCode::{variant} is missing from ErrorCode::ALL");
        }
        assert_eq!(listed.len(), declared.len(), "ErrorCode::ALL has entries that are not variants");

        let schema = serde_json::to_string(&<ErrorCode as utoipa::PartialSchema>::schema()).unwrap();
        for code in ErrorCode::ALL {
            let name = serde_json::to_value(code).unwrap().as_str().unwrap().to_owned();
            assert_eq!(name, screaming_snake(&format!("{code:?}")), "{code:?} serialises as {name}");
            let status = code.status();
            assert!(status.is_client_error() || status.is_server_error(), "{name} maps to {status}");
            assert!(schema.contains(&format!("\"{name}\"")), "{name} is missing from the OpenAPI schema: {schema}");
        }
    }

    #[test]
    fn codes_serialise_as_screaming_snake_case() {
        assert_eq!(serde_json::to_string(&ErrorCode::RateLimitExceeded).unwrap(), "\"RATE_LIMIT_EXCEEDED\"");
        assert_eq!(serde_json::to_string(&ErrorCode::TwoFactorRequired).unwrap(), "\"TWO_FACTOR_REQUIRED\"");
    }
}
