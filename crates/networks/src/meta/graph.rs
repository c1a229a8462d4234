//! A Graph API client bound to one host and version (`https://graph.facebook.com/v25.0`,
//! `https://graph.threads.net/v1.0`). Tokens go in the `Authorization: Bearer` header, never in
//! URLs, so they cannot end up in a logged URL.

use reqwest::{RequestBuilder, multipart::Form};
use serde::{Deserialize, de::DeserializeOwned};
use zenalto_domain::{Timestamp, publishing::Network};

use super::error::{self, GraphError};
use crate::{PublishError, http};

#[derive(Clone)]
pub struct Graph {
    pub network: Network,
    pub http: reqwest::Client,
    /// `https://graph.facebook.com` (no trailing slash).
    pub base: String,
    /// `v25.0`
    pub version: String,
}

/// `{"success": true}` and friends.
#[derive(Debug, Deserialize)]
pub struct Success {
    #[serde(default)]
    pub success: bool,
}

/// `{"id": "…"}`, the answer of most creating calls.
#[derive(Debug, Deserialize)]
pub struct Created {
    pub id: String,
    /// `POST /{page-id}/photos` also names the feed post it made.
    #[serde(default)]
    pub post_id: Option<String>,
}

/// A list edge: `{"data": [...], "paging": {...}}`.
#[derive(Debug, Deserialize)]
pub struct List<T> {
    #[serde(default = "Vec::new")]
    pub data: Vec<T>,
}

impl Graph {
    pub fn new(network: Network, http: reqwest::Client, base: String, version: String) -> Self {
        Self {
            network,
            http,
            base,
            version,
        }
    }

    /// `{base}/{version}/{path}`.
    pub fn url(&self, path: &str) -> String {
        format!(
            "{}/{}/{}",
            self.base,
            self.version,
            path.trim_start_matches('/')
        )
    }

    pub async fn get<T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, PublishError> {
        self.call(
            self.http
                .get(self.url(path))
                .bearer_auth(token)
                .query(query),
        )
        .await
    }

    pub async fn post<T: DeserializeOwned>(
        &self,
        token: &str,
        path: &str,
        form: &[(&str, &str)],
    ) -> Result<T, PublishError> {
        self.call(self.http.post(self.url(path)).bearer_auth(token).form(form))
            .await
    }

    pub async fn post_multipart<T: DeserializeOwned>(
        &self,
        token: &str,
        url: String,
        form: Form,
    ) -> Result<T, PublishError> {
        self.call(self.http.post(url).bearer_auth(token).multipart(form))
            .await
    }

    pub async fn delete(&self, token: &str, path: &str) -> Result<(), PublishError> {
        let answer: Success = self
            .call(self.http.delete(self.url(path)).bearer_auth(token))
            .await?;
        if answer.success {
            Ok(())
        } else {
            Err(PublishError::Permanent {
                message: format!("{} did not confirm deleting {path}", self.network.label()),
            })
        }
    }

    /// Sends a request and reads its JSON, classifying Meta's error object on failure.
    pub async fn call<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
    ) -> Result<T, PublishError> {
        self.call_detailed(request)
            .await
            .map_err(|failure| failure.error)
    }

    /// As [`Self::call`], keeping Meta's own error for callers that treat a code specially.
    pub async fn call_detailed<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
    ) -> Result<T, Failure> {
        let response = http::send(self.network, request)
            .await
            .map_err(Failure::plain)?;
        let status = response.status();
        if status.is_success() {
            return http::json(self.network, response)
                .await
                .map_err(Failure::plain);
        }
        let headers = response.headers().clone();
        let body = response.text().await.unwrap_or_default();
        Err(Failure {
            error: error::classify(self.network, status, &headers, &body, Timestamp::now()),
            graph: GraphError::parse(&body),
        })
    }
}

/// A failed call: its class, and Meta's error object when the body was one.
#[derive(Debug)]
pub struct Failure {
    pub error: PublishError,
    pub graph: Option<GraphError>,
}

impl Failure {
    fn plain(error: PublishError) -> Self {
        Self { error, graph: None }
    }

    /// Meta's code, when it sent one.
    pub fn code(&self) -> Option<(i64, Option<i64>)> {
        self.graph.as_ref().map(|g| (g.code, g.error_subcode))
    }
}

/// Whether an error means the account itself is unusable (stop there rather than carry on with
/// the next step, e.g. a metric we could go without).
pub fn is_fatal(error: &PublishError) -> bool {
    matches!(
        error,
        PublishError::Reconnect { .. }
            | PublishError::RateLimited { .. }
            | PublishError::Unknown { .. }
    )
}
