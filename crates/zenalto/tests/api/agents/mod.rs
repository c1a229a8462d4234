//! Agents over the API: account profiles, approvals, the brand voice, and the pipeline that
//! fills a week with drafts for approval.

mod approvals;
mod pipeline;
mod profiles;
mod voice;

use zenalto_domain::Timestamp;
use zenalto_domain::schedule::{TimeZoneName, to_local};
use zenalto_testkit::{Account, StatusCode, TestApp, Value, json};

fn expect_error(status: StatusCode, body: &Value, want: StatusCode, code: &str) {
    zenalto_testkit::expect_error(status, body, want, code, "");
}

/// The Monday after today in `zone`, and the Monday after that (`YYYY-MM-DD`).
fn next_week(zone: &str) -> (String, String) {
    let zone = TimeZoneName::parse(zone).unwrap();
    let mut day = to_local(Timestamp::now(), &zone).date().tomorrow().unwrap();
    while format!("{:?}", day.weekday()) != "Monday" {
        day = day.tomorrow().unwrap();
    }
    let mut end = day;
    for _ in 0..7 {
        end = end.tomorrow().unwrap();
    }
    (day.to_string(), end.to_string())
}

/// Saves an account's profile; panics unless accepted.
async fn set_profile(app: &TestApp, owner: &Account, account: &str, profile: Value) -> Value {
    let path = format!("/api/v1/workspaces/{}/accounts/{account}/profile", owner.workspace_id);
    let (status, body) = app.put(&path, &owner.access, profile).await;
    assert_eq!(status, StatusCode::OK, "set profile: {body}");
    body
}

/// Starts a run; panics unless it succeeded.
async fn fill_week(app: &TestApp, owner: &Account, accounts: &[&str], week_start: &str) -> Value {
    let path = format!("/api/v1/workspaces/{}/agents/runs", owner.workspace_id);
    let (status, body) = app.post(&path, Some(&owner.access), json!({ "accountIds": accounts, "weekStart": week_start, "timeZone": "Europe/Berlin" })).await;
    assert_eq!(status, StatusCode::CREATED, "run: {body}");
    assert_eq!(body["status"], "succeeded", "{body}");
    body
}
