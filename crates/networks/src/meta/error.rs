//! Meta's error object, the same on Facebook, Instagram and Threads:
//! `{"error":{"message","type","code","error_subcode","error_user_msg","is_transient","fbtrace_id"}}`
//! (<https://developers.facebook.com/docs/graph-api/guides/error-handling/>), and the usage
//! headers that say when a throttled app, Page or account may call again
//! (<https://developers.facebook.com/docs/graph-api/overview/rate-limiting/>).

use reqwest::{StatusCode, header::HeaderMap};
use serde::Deserialize;
use zenalto_domain::{Timestamp, publishing::Network};

use crate::{PublishError, http};

#[derive(Debug, Deserialize)]
struct Envelope {
    error: GraphError,
}

/// One Graph error.
#[derive(Clone, Debug, Deserialize)]
pub struct GraphError {
    #[serde(default)]
    pub message: String,
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    #[serde(default)]
    pub code: i64,
    #[serde(default)]
    pub error_subcode: Option<i64>,
    #[serde(default)]
    pub error_user_msg: Option<String>,
    #[serde(default)]
    pub is_transient: Option<bool>,
}

impl GraphError {
    pub fn parse(body: &str) -> Option<Self> {
        serde_json::from_str::<Envelope>(body).ok().map(|e| e.error)
    }

    fn detail(&self) -> String {
        let text = self
            .error_user_msg
            .as_deref()
            .filter(|m| !m.is_empty())
            .unwrap_or(&self.message);
        match self.error_subcode {
            Some(sub) => format!("{} (code {}, subcode {sub})", http::short(text), self.code),
            None => format!("{} (code {})", http::short(text), self.code),
        }
    }
}

/// Without a usage header saying otherwise, Meta's windows are a rolling hour.
const DEFAULT_WAIT_SECS: i64 = 3600;

/// Maps a failed Graph or Threads call: Meta's own codes first, then the status.
pub fn classify(
    network: Network,
    status: StatusCode,
    headers: &HeaderMap,
    body: &str,
    now: Timestamp,
) -> PublishError {
    let label = network.label();
    let Some(error) = GraphError::parse(body) else {
        return http::classify(network, status, headers, body, now);
    };
    let detail = error.detail();
    let throttled = |what: &str| PublishError::RateLimited {
        message: format!("{label} {what}: {detail}"),
        reset_at: usage_reset(headers, now)
            .or_else(|| http::rate_limit_reset(headers, now))
            .or(Some(now.plus_seconds(DEFAULT_WAIT_SECS))),
    };
    match (error.code, error.error_subcode) {
        // 190: the token expired, was revoked or the password changed; 102: the session is gone.
        (190 | 102, _) => PublishError::Reconnect {
            message: format!(
                "{label} no longer accepts this account's access token: connect it again ({detail})"
            ),
        },
        // Messenger: a reply outside the 24-hour window is refused with code 10 too, but it is
        // about that conversation, not the grant.
        (10, Some(2_018_278)) => PublishError::Permanent {
            message: format!(
                "{label} only allows replying to a message within 24 hours of it: {detail}"
            ),
        },
        // 10 and 200–299: a permission the token does not carry.
        (10 | 200..=299, _) => PublishError::Reconnect {
            message: match missing_permission(&error.message) {
                Some(permission) => format!(
                    "{label} needs the permission {permission}, which this connection lacks: connect the account again and grant it ({detail})"
                ),
                None => format!(
                    "{label} refused for lack of a permission: connect the account again and grant every permission asked ({detail})"
                ),
            },
        },
        // Instagram's publishing cap (code 9, subcode 2207042).
        (9, _) => throttled("reached its limit of posts published through the API in 24 hours"),
        // 4: the app's own call budget, shared by every account connected through this server.
        (4, _) => match throttled("throttled Zenalto's app (too many calls)") {
            PublishError::RateLimited { message, reset_at } => PublishError::AppRateLimited { message, reset_at },
            other => other,
        },
        (17, _) => throttled("throttled this account (too many calls)"),
        (32, _) => throttled("throttled calls for this Page"),
        (613, _) | (80_000..=80_099, _) => throttled("rate limit reached"),
        (368, _) => PublishError::Permanent {
            message: format!(
                "{label} blocked this as abusive or against its policies; the account may be restricted: {detail}"
            ),
        },
        (506, _) => PublishError::Permanent {
            message: format!(
                "{label} refused a duplicate of a recent post: change the text before trying again ({detail})"
            ),
        },
        // "Error validating client secret." (code 1) and "Invalid application ID" (101) come
        // back as OAuthException from the token endpoints: the app's credentials, not a blip.
        (1 | 101, _)
            if error.kind.as_deref() == Some("OAuthException")
                && (error.code == 101 || error.message.contains("client secret")) =>
        {
            PublishError::Permanent {
                message: format!(
                    "{label} does not accept Zenalto's app credentials: check networks.{network}.client_id and client_secret ({detail})"
                ),
            }
        }
        (1 | 2, _) => PublishError::Transient {
            message: format!("{label} had a temporary problem: {detail}"),
            retry_after_secs: None,
        },
        _ if error.is_transient == Some(true) => PublishError::Transient {
            message: format!("{label} had a temporary problem: {detail}"),
            retry_after_secs: None,
        },
        _ if status.is_server_error() => PublishError::Transient {
            message: format!("{label} had a server error {}: {detail}", status.as_u16()),
            retry_after_secs: None,
        },
        _ if status == StatusCode::TOO_MANY_REQUESTS => throttled("rate limit reached"),
        _ if status == StatusCode::UNAUTHORIZED => PublishError::Reconnect {
            message: format!(
                "{label} no longer accepts this account's access: connect it again ({detail})"
            ),
        },
        _ => PublishError::Permanent {
            message: format!("{label} refused the request: {detail}"),
        },
    }
}

/// Meta names the missing permission in the message, e.g. "(#200) Requires
/// pages_manage_posts permission" or "… the instagram_content_publish permission".
fn missing_permission(message: &str) -> Option<&str> {
    const PREFIXES: [&str; 7] = [
        "pages_",
        "instagram_",
        "threads_",
        "publish_",
        "read_",
        "business_",
        "ads_",
    ];
    message
        .split(|c: char| !(c.is_ascii_lowercase() || c == '_'))
        .find(|word| word.contains('_') && PREFIXES.iter().any(|p| word.starts_with(p)))
}

/// The latest `estimated_time_to_regain_access` (minutes) in `X-Business-Use-Case-Usage`
/// (`{"<business-id>":[{"type","call_count",…,"estimated_time_to_regain_access"}]}`) or
/// `X-Page-Usage`. `X-App-Usage` carries only percentages, so it gives no reset.
pub fn usage_reset(headers: &HeaderMap, now: Timestamp) -> Option<Timestamp> {
    let mut minutes: Option<i64> = None;
    for name in ["x-business-use-case-usage", "x-page-usage", "x-app-usage"] {
        let Some(raw) = headers.get(name).and_then(|v| v.to_str().ok()) else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(raw) else {
            continue;
        };
        collect_regain(&value, &mut minutes);
    }
    minutes.filter(|m| *m > 0).map(|m| now.plus_seconds(m * 60))
}

fn collect_regain(value: &serde_json::Value, max: &mut Option<i64>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, inner) in map {
                if key == "estimated_time_to_regain_access" {
                    if let Some(m) = inner.as_i64() {
                        *max = Some(max.map_or(m, |current| current.max(m)));
                    }
                } else {
                    collect_regain(inner, max);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|item| collect_regain(item, max)),
        _ => {}
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn body(code: i64, message: &str) -> String {
        serde_json::json!({"error": {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "AbC"}}).to_string()
    }

    #[test]
    fn codes_map_to_what_the_queue_does() {
        let now = Timestamp::from_millis(1_800_000_000_000);
        let none = HeaderMap::new();
        let bad = StatusCode::BAD_REQUEST;
        let cases: [(i64, &str); 8] = [
            (190, "reconnect"),
            (200, "reconnect"),
            (10, "reconnect"),
            (4, "app"),
            (32, "rate"),
            (368, "permanent"),
            (506, "permanent"),
            (2, "transient"),
        ];
        for (code, want) in cases {
            let got = classify(Network::Facebook, bad, &none, &body(code, "x"), now);
            let kind = match got {
                PublishError::Reconnect { .. } => "reconnect",
                PublishError::RateLimited { .. } => "rate",
                PublishError::AppRateLimited { .. } => "app",
                PublishError::Permanent { .. } => "permanent",
                PublishError::Transient { .. } => "transient",
                PublishError::Unknown { .. } => "unknown",
            };
            assert_eq!(kind, want, "code {code}");
        }
    }

    #[test]
    fn a_wrong_app_secret_is_a_configuration_error() {
        let body = serde_json::json!({"error": {"message": "Error validating client secret.", "type": "OAuthException", "code": 1}}).to_string();
        match classify(
            Network::Facebook,
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            &body,
            Timestamp::from_millis(0),
        ) {
            PublishError::Permanent { message } => {
                assert!(message.contains("networks.facebook.client_id"), "{message}")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_missing_permission_is_named() {
        let now = Timestamp::from_millis(0);
        let got = classify(
            Network::Facebook,
            StatusCode::FORBIDDEN,
            &HeaderMap::new(),
            &body(
                200,
                "(#200) Requires pages_manage_posts permission to manage the object",
            ),
            now,
        );
        assert!(
            got.message().contains("pages_manage_posts"),
            "{}",
            got.message()
        );
    }

    #[test]
    fn the_business_use_case_header_gives_the_reset() {
        let now = Timestamp::from_millis(1_800_000_000_000);
        let mut headers = HeaderMap::new();
        let usage = r#"{"1234":[{"type":"pages","call_count":100,"total_cputime":20,"total_time":30,"estimated_time_to_regain_access":7}]}"#;
        headers.insert("x-business-use-case-usage", HeaderValue::from_static(usage));
        match classify(
            Network::Instagram,
            StatusCode::BAD_REQUEST,
            &headers,
            &body(32, "limit"),
            now,
        ) {
            PublishError::RateLimited { reset_at, .. } => {
                assert_eq!(reset_at, Some(now.plus_seconds(420)))
            }
            other => panic!("{other:?}"),
        }
        match classify(
            Network::Instagram,
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            &body(4, "limit"),
            now,
        ) {
            PublishError::AppRateLimited { reset_at, .. } => {
                assert_eq!(reset_at, Some(now.plus_seconds(3600)))
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_body_that_is_not_a_graph_error_falls_back_to_the_status() {
        let got = classify(
            Network::Threads,
            StatusCode::BAD_GATEWAY,
            &HeaderMap::new(),
            "<html>",
            Timestamp::from_millis(0),
        );
        assert!(matches!(got, PublishError::Transient { .. }));
    }
}
