//! Publishing: posts, validation, scheduling, the durable queue and exactly-once publishing.

mod crash;
mod bulk;
mod calendar;
mod csv;
mod events;
mod posts;
mod queue;
mod scheduling;
mod validation;

use zenalto_settings::Settings;
use zenalto_testkit::{StatusCode, Value};

/// Tests that drive the queue themselves turn the background worker off.
/// Such tests also move the clock by hours, so their access tokens are made to outlive that.
pub fn manual_worker(s: &mut Settings) {
    s.workers.enabled = false;
    s.auth.access_token_ttl_secs = 20 * 86_400;
}

/// The shared envelope check, without a context line.
#[track_caller]
pub fn expect_error(status: StatusCode, body: &Value, want: StatusCode, code: &str) {
    zenalto_testkit::expect_error(status, body, want, code, "");
}
