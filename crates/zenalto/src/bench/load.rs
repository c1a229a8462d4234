//! Authenticated HTTP load: a fixed number of requests shared by concurrent keep-alive clients.

use std::{
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Instant,
};

use anyhow::{Context, bail};
use serde::Serialize;
use serde_json::json;

use super::server::{EMAIL, PASSWORD};

/// Logs in over HTTP and returns the access token.
pub async fn login(client: &reqwest::Client, base: &str) -> anyhow::Result<String> {
    let response = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": EMAIL, "password": PASSWORD }))
        .send()
        .await
        .context("login request failed")?;
    let status = response.status();
    let body: serde_json::Value = response.json().await.context("login answered no JSON")?;
    if !status.is_success() {
        bail!("login answered {status}: {body}");
    }
    body["accessToken"].as_str().map(str::to_owned).context("the login answer has no accessToken")
}

#[derive(Clone, Copy)]
pub enum Workload {
    /// GET /api/v1/me: authentication (JWT, session row) and the user with their workspaces.
    Read,
    /// PATCH /api/v1/me: a write transaction updating the user row and adding an audit row.
    Write,
}

impl Workload {
    fn endpoint(self) -> &'static str {
        match self {
            Workload::Read => "GET /api/v1/me",
            Workload::Write => "PATCH /api/v1/me",
        }
    }
}

#[derive(Serialize)]
pub struct Load {
    pub endpoint: &'static str,
    pub requests: usize,
    pub concurrency: usize,
    /// Answers other than 2xx, and transport failures; not counted in the rate or latencies.
    pub errors: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_error: Option<String>,
    pub seconds: f64,
    /// Successful requests per second of wall-clock time.
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// CPU used by the server during the load, in cores (CPU seconds per second of wall time).
    pub server_cpu_cores: f64,
    /// CPU used by this load generator during the load, in cores.
    pub client_cpu_cores: f64,
}

struct Outcome {
    latencies_ms: Vec<f64>,
    errors: usize,
    first_error: Option<String>,
}

/// Sends `requests` requests from `concurrency` tasks sharing `client` (one keep-alive
/// connection per task); latency is measured per request by the client.
pub async fn run(client: &reqwest::Client, base: &str, token: &str, requests: usize, concurrency: usize, workload: Workload) -> anyhow::Result<Load> {
    let concurrency = concurrency.max(1);
    let url = format!("{base}/api/v1/me");
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(concurrency);
    for _ in 0..concurrency {
        let (client, next, url, token) = (client.clone(), next.clone(), url.clone(), token.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut outcome = Outcome { latencies_ms: Vec::new(), errors: 0, first_error: None };
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= requests {
                    break outcome;
                }
                let request = match workload {
                    Workload::Read => client.get(&url),
                    Workload::Write => client.patch(&url).json(&json!({ "name": format!("Bench {n}") })),
                };
                let sent = Instant::now();
                let result = match request.bearer_auth(&token).send().await {
                    Ok(response) => {
                        let status = response.status();
                        match response.bytes().await {
                            Ok(_) if status.is_success() => Ok(()),
                            Ok(body) => Err(format!("{status}: {}", String::from_utf8_lossy(&body))),
                            Err(e) => Err(e.to_string()),
                        }
                    }
                    Err(e) => Err(e.to_string()),
                };
                let elapsed_ms = sent.elapsed().as_secs_f64() * 1000.0;
                match result {
                    Ok(()) => outcome.latencies_ms.push(elapsed_ms),
                    Err(e) => {
                        outcome.errors += 1;
                        outcome.first_error.get_or_insert(e);
                    }
                }
            }
        }));
    }
    let mut latencies = Vec::with_capacity(requests);
    let (mut errors, mut first_error) = (0, None);
    for task in tasks {
        let outcome = task.await.context("a load task failed")?;
        latencies.extend(outcome.latencies_ms);
        errors += outcome.errors;
        first_error = first_error.or(outcome.first_error);
    }
    let seconds = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let at = |q: f64| percentile(&latencies, q);
    Ok(Load {
        endpoint: workload.endpoint(),
        requests: latencies.len(),
        concurrency,
        errors,
        first_error,
        seconds,
        requests_per_sec: latencies.len() as f64 / seconds,
        p50_ms: at(0.50),
        p90_ms: at(0.90),
        p99_ms: at(0.99),
        max_ms: at(1.0),
        server_cpu_cores: 0.0,
        client_cpu_cores: 0.0,
    })
}

/// Nearest-rank percentile of sorted samples (0 when there are none).
pub(super) fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = (q * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied().unwrap_or(0.0)
}
