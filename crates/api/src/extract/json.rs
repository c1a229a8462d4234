//! `ApiJson<T>`: the JSON body extractor. Unlike axum's `Json`, every failure is answered in the
//! envelope with the offending field named: malformed JSON (400), a missing, unknown or
//! mistyped field (422), a wrong content type (415) or an oversized body (413).

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::de::DeserializeOwned;
use serde_json::json;

use crate::error::{ApiError, ErrorCode};

pub struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| {
                let mime = mime.trim().to_ascii_lowercase();
                mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
            });
        if !is_json {
            return Err(ApiError::new(ErrorCode::UnsupportedMediaType, "send the body as JSON with Content-Type: application/json"));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(ErrorCode::PayloadTooLarge, "the request body is too large")
            } else {
                ApiError::new(ErrorCode::ValidationError, format!("could not read the request body: {rejection}"))
            }
        })?;
        parse(&bytes).map(ApiJson)
    }
}

/// Parses a body, naming the field at fault.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return ApiError::new(ErrorCode::ValidationError, format!("the body is not valid JSON: {inner}"))
                .with_details(json!({ "body": inner.to_string() }));
        }
        let message = inner.to_string();
        // serde reports missing and unknown fields on the parent; name the field itself.
        let (field, text) = if let Some(name) = backticked(&message, "missing field `") {
            (join(&path, &name), "is required".to_owned())
        } else if let Some(name) = backticked(&message, "unknown field `") {
            // Here the path already ends with the unknown field.
            let field = if path.ends_with(&name) { path } else { join(&path, &name) };
            (field, "is not a known field".to_owned())
        } else {
            (if path == "." { "body".to_owned() } else { path }, strip_position(&message))
        };
        ApiError::new(ErrorCode::ValidationError, "some fields are invalid").with_details(json!({ field: text }))
    })
}

fn backticked(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?;
    Some(rest.split('`').next()?.to_owned())
}

fn join(path: &str, field: &str) -> String {
    if path == "." { field.to_owned() } else { format!("{path}.{field}") }
}

fn strip_position(message: &str) -> String {
    message.split(" at line ").next().unwrap_or(message).to_owned()
}

impl<T> IntoResponse for ApiJson<T>
where
    axum::Json<T>: IntoResponse,
{
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        email: String,
        age: u8,
    }

    fn details(body: &str) -> serde_json::Value {
        parse::<Body>(body.as_bytes()).unwrap_err().details.unwrap()
    }

    #[test]
    fn names_the_field_at_fault() {
        assert_eq!(details(r#"{"age": 3}"#), json!({ "email": "is required" }));
        assert_eq!(details(r#"{"email": "a", "age": 3, "admin": true}"#), json!({ "admin": "is not a known field" }));
        assert_eq!(details(r#"{"email": 5, "age": 3}"#)["email"], json!("invalid type: integer `5`, expected a string"));
        assert!(details("{nope").get("body").is_some());
    }
}
