//! What every adapter does with HTTP the same way: send a call and tell "nothing was sent" from
//! "sent, no answer", and turn an error response into a [`PublishError`] the queue understands,
//! with the wait a 429 asks for read from whichever header the network uses.

use std::time::Duration;

use reqwest::{RequestBuilder, Response, StatusCode, header::HeaderMap};
use zenalto_domain::{Timestamp, publishing::Network};

use crate::PublishError;

/// The client adapters share: bounded waits, no redirects followed on API calls (a redirect to
/// a login page must surface as an error, not as HTML parsed as JSON).
pub fn client(timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("Zenalto/", env!("CARGO_PKG_VERSION")))
        .build()
        .unwrap_or_else(|_| reqwest::Client::new())
}

/// Sends a request. A connection that was never made is transient (nothing reached the
/// network); a timeout or a dropped connection after sending is unknown (the post may exist).
pub async fn send(network: Network, request: RequestBuilder) -> Result<Response, PublishError> {
    request.send().await.map_err(|e| transport_error(network, &e))
}

/// Sends a request and turns an error status into its [`PublishError`].
pub async fn send_ok(network: Network, request: RequestBuilder) -> Result<Response, PublishError> {
    let response = send(network, request).await?;
    if response.status().is_success() {
        return Ok(response);
    }
    Err(error_from(network, response).await)
}

/// Reads a JSON body, classifying a body that is not the JSON expected as the network's fault.
pub async fn json<T: serde::de::DeserializeOwned>(network: Network, response: Response) -> Result<T, PublishError> {
    let bytes = response.bytes().await.map_err(|e| transport_error(network, &e))?;
    serde_json::from_slice(&bytes).map_err(|e| PublishError::Transient {
        message: format!("{} answered with something unexpected ({e})", network.label()),
        retry_after_secs: None,
    })
}

pub fn transport_error(network: Network, error: &reqwest::Error) -> PublishError {
    if error.is_connect() {
        PublishError::Transient { message: format!("{} could not be reached: {}", network.label(), root_cause(error)), retry_after_secs: None }
    } else if error.is_timeout() {
        PublishError::Unknown { message: format!("{} did not answer in time", network.label()) }
    } else {
        PublishError::Unknown { message: format!("the connection to {} failed: {}", network.label(), root_cause(error)) }
    }
}

fn root_cause(error: &(dyn std::error::Error + 'static)) -> String {
    let mut cause = error;
    while let Some(next) = cause.source() {
        cause = next;
    }
    cause.to_string()
}

/// Classifies an error response by its status, with the network's own message from the body.
pub async fn error_from(network: Network, response: Response) -> PublishError {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.text().await.unwrap_or_default();
    classify(network, status, &headers, &body, Timestamp::now())
}

/// The common mapping; adapters look at their own error codes first (Meta's code 190, X's
/// duplicate content) and fall back to this.
pub fn classify(network: Network, status: StatusCode, headers: &HeaderMap, body: &str, now: Timestamp) -> PublishError {
    let label = network.label();
    let detail = short(body);
    match status {
        StatusCode::UNAUTHORIZED => PublishError::Reconnect { message: format!("{label} no longer accepts this account's access: connect it again ({detail})") },
        StatusCode::FORBIDDEN => PublishError::Permanent { message: format!("{label} refused: the account lacks a permission or is restricted ({detail})") },
        StatusCode::TOO_MANY_REQUESTS => PublishError::RateLimited {
            message: format!("{label} rate limit reached ({detail})"),
            reset_at: rate_limit_reset(headers, now).or(Some(now.plus_seconds(60))),
        },
        s if s.is_server_error() => PublishError::Transient {
            message: format!("{label} had a server error {} ({detail})", s.as_u16()),
            retry_after_secs: retry_after(headers, now),
        },
        s => PublishError::Permanent { message: format!("{label} refused the request with {} ({detail})", s.as_u16()) },
    }
}

/// The first 300 characters of a body, for messages.
pub fn short(body: &str) -> String {
    let trimmed = body.trim();
    match trimmed.char_indices().nth(300) {
        Some((cut, _)) => format!("{}…", &trimmed[..cut]),
        None if trimmed.is_empty() => "no details".into(),
        None => trimmed.to_owned(),
    }
}

/// When a throttled account may call again, from the headers networks use:
/// `Retry-After` (seconds or an HTTP date; Mastodon, LinkedIn, Meta, YouTube), `x-rate-limit-reset`
/// (X: epoch seconds), `ratelimit-reset` (Bluesky: epoch seconds), `x-ratelimit-reset`
/// (Mastodon: an ISO 8601 time; Pinterest: seconds from now).
pub fn rate_limit_reset(headers: &HeaderMap, now: Timestamp) -> Option<Timestamp> {
    if let Some(seconds) = retry_after(headers, now) {
        return Some(now.plus_seconds(seconds as i64));
    }
    for name in ["x-rate-limit-reset", "ratelimit-reset", "x-ratelimit-reset"] {
        let Some(raw) = headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim) else { continue };
        if let Some(at) = Timestamp::parse_rfc3339(raw) {
            return Some(at);
        }
        if let Ok(number) = raw.parse::<i64>() {
            // Epoch seconds are large; a small number is "seconds from now".
            return Some(if number > 1_000_000_000 { Timestamp::from_millis(number * 1000) } else { now.plus_seconds(number) });
        }
    }
    None
}

/// `Retry-After` in seconds from now (either form of the header).
pub fn retry_after(headers: &HeaderMap, now: Timestamp) -> Option<u64> {
    let raw = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = raw.parse::<u64>() {
        return Some(seconds);
    }
    let at = httpdate::parse_http_date(raw).ok()?;
    let at_millis = at.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis() as i64;
    Some(((at_millis - now.as_millis()).max(0) / 1000) as u64)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use reqwest::header::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn each_networks_reset_header_is_understood() {
        let now = Timestamp::from_millis(1_800_000_000_000);
        assert_eq!(rate_limit_reset(&headers(&[("retry-after", "30")]), now), Some(now.plus_seconds(30)));
        assert_eq!(rate_limit_reset(&headers(&[("x-rate-limit-reset", "1800000120")]), now), Some(now.plus_seconds(120)));
        assert_eq!(rate_limit_reset(&headers(&[("ratelimit-reset", "1800000060")]), now), Some(now.plus_seconds(60)));
        let iso = headers(&[("x-ratelimit-reset", "2027-01-15T08:00:00.000Z")]);
        assert_eq!(rate_limit_reset(&iso, now), Timestamp::parse_rfc3339("2027-01-15T08:00:00Z"));
        assert_eq!(rate_limit_reset(&headers(&[("x-ratelimit-reset", "45")]), now), Some(now.plus_seconds(45)));
        let date = headers(&[("retry-after", "Fri, 15 Jan 2027 08:00:00 GMT")]);
        assert_eq!(rate_limit_reset(&date, now), Timestamp::parse_rfc3339("2027-01-15T08:00:00Z"));
        assert_eq!(rate_limit_reset(&HeaderMap::new(), now), None);
    }

    #[test]
    fn statuses_map_to_what_the_queue_does() {
        let now = Timestamp::from_millis(0);
        let none = HeaderMap::new();
        assert!(matches!(classify(Network::X, StatusCode::UNAUTHORIZED, &none, "", now), PublishError::Reconnect { .. }));
        assert!(matches!(classify(Network::X, StatusCode::FORBIDDEN, &none, "", now), PublishError::Permanent { .. }));
        assert!(matches!(classify(Network::X, StatusCode::BAD_REQUEST, &none, "", now), PublishError::Permanent { .. }));
        assert!(matches!(classify(Network::X, StatusCode::BAD_GATEWAY, &none, "", now), PublishError::Transient { .. }));
        match classify(Network::X, StatusCode::TOO_MANY_REQUESTS, &none, "{}", now) {
            PublishError::RateLimited { reset_at, .. } => assert_eq!(reset_at, Some(now.plus_seconds(60)), "no header: a minute"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn long_bodies_are_cut_for_messages() {
        let long = "é".repeat(400);
        assert_eq!(short(&long).chars().count(), 301);
        assert_eq!(short("  "), "no details");
    }
}
