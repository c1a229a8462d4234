//! What every fake shares: a server on port 0 that stops when dropped, and a queue of faults a
//! test arms for the next calls to a route.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    body::Body,
    http::{HeaderName, HeaderValue, StatusCode},
    response::Response,
};

/// A running fake. Dropping it stops the server.
pub struct FakeServer {
    /// `http://127.0.0.1:<port>`, to configure as the network's URLs.
    pub base_url: String,
    task: tokio::task::JoinHandle<()>,
}

impl FakeServer {
    pub async fn start(router: Router) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("fake: cannot bind: {e}"));
        let address = listener.local_addr().unwrap_or_else(|e| panic!("fake: no address: {e}"));
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        Self { base_url: format!("http://{address}"), task }
    }
}

impl Drop for FakeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// One injected misbehaviour, played instead of (or before) the normal answer.
#[derive(Clone, Debug)]
pub enum Fault {
    /// Answer with this status, these headers and this body (the network's own error shape).
    Status { status: u16, headers: Vec<(String, String)>, body: String },
    /// Wait this long, then answer normally (a test's client timeout turns it into "no answer").
    Delay(Duration),
    /// Do the work (the post exists) but wait this long before answering: the answer is lost
    /// to a client with a shorter timeout, which must then verify.
    ApplyThenDelay(Duration),
}

impl Fault {
    pub fn status(status: u16, body: impl Into<String>) -> Self {
        Self::Status { status, headers: Vec::new(), body: body.into() }
    }

    pub fn with_header(self, name: &str, value: &str) -> Self {
        match self {
            Self::Status { status, mut headers, body } => {
                headers.push((name.to_owned(), value.to_owned()));
                Self::Status { status, headers, body }
            }
            other => other,
        }
    }

    /// The response for a `Status` fault (`None` for the others).
    pub fn response(&self) -> Option<Response> {
        let Self::Status { status, headers, body } = self else { return None };
        let mut response = Response::new(Body::from(body.clone()));
        *response.status_mut() = StatusCode::from_u16(*status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        response.headers_mut().insert("content-type", HeaderValue::from_static("application/json"));
        for (name, value) in headers {
            if let (Ok(name), Ok(value)) = (HeaderName::try_from(name.as_str()), HeaderValue::from_str(value)) {
                response.headers_mut().insert(name, value);
            }
        }
        Some(response)
    }
}

/// Per route: (normal calls still to let through, fault), in order.
type Armed = HashMap<String, Vec<(usize, Fault)>>;

/// Faults armed per route key (each fake names its routes, e.g. `"POST /2/tweets"`), played in
/// order, one per call, after `skip` normal calls (so "the second tweet of a thread fails").
#[derive(Clone, Default)]
pub struct FaultQueue {
    armed: Arc<Mutex<Armed>>,
}

impl FaultQueue {
    /// Plays `fault` on the next call to `route`.
    pub fn push(&self, route: &str, fault: Fault) {
        self.push_after(route, 0, fault);
    }

    /// Lets `skip` calls to `route` through, then plays `fault` once.
    pub fn push_after(&self, route: &str, skip: usize, fault: Fault) {
        self.lock().entry(route.to_owned()).or_default().push((skip, fault));
    }

    /// Called by a fake's handler for every request: the fault to play now, if one is due.
    pub fn take(&self, route: &str) -> Option<Fault> {
        let mut armed = self.lock();
        let queue = armed.get_mut(route)?;
        let (skip, _) = queue.first_mut()?;
        if *skip > 0 {
            *skip -= 1;
            return None;
        }
        Some(queue.remove(0).1)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Armed> {
        self.armed.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fault_after_skips_is_played_once() {
        let faults = FaultQueue::default();
        faults.push_after("POST /2/tweets", 1, Fault::status(503, "{}"));
        assert!(faults.take("POST /2/tweets").is_none(), "the first call passes");
        assert!(matches!(faults.take("POST /2/tweets"), Some(Fault::Status { status: 503, .. })));
        assert!(faults.take("POST /2/tweets").is_none(), "played once");
        assert!(faults.take("GET /2/users/me").is_none());
    }
}
