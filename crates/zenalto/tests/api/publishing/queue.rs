//! The durable queue and the publishing ledger: retries, rate limits, permanent failures,
//! verification of unknown outcomes, notifications, and the background worker.

use zenalto_services::publishing::worker::JobOutcome;
use zenalto_settings::Settings;
use zenalto_testkit::{StatusCode, TestApp, both_backends, both_backends_with, json};

use super::manual_worker;

both_backends!(the_background_worker_publishes_a_post_published_now, |app: TestApp| async move {
    let owner = app.signed_in("now@example.org").await;
    let account = app.sandbox_account(&owner, "now").await;
    let post = app.draft(&owner, "Hello from the sandbox", &[&account]).await;
    let id = post["id"].as_str().unwrap();
    let (status, body) = app.post_action(&owner, id, "publish", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let published = app.wait_for_status(&owner, id, "published", 20).await;
    let target = &published["targets"][0];
    assert_eq!(target["status"], "published");
    assert!(target["platformPostId"].is_string(), "{published}");
    assert!(target["platformUrl"].as_str().unwrap().contains("/sandbox/posts/"), "{published}");
    let feed = app.sandbox_feed(&owner).await;
    assert_eq!(feed.len(), 1);
    assert_eq!(feed[0]["text"], "Hello from the sandbox");
    assert_eq!(feed[0]["id"], target["platformPostId"]);

    let (_, notes) = app.get(&format!("/api/v1/workspaces/{}/notifications?unread=true", owner.workspace_id), &owner.access).await;
    let note = &notes["items"][0];
    assert_eq!(note["kind"], "post.published", "{notes}");
    assert_eq!(note["postId"], id);
    let path = format!("/api/v1/workspaces/{}/notifications/{}/read", owner.workspace_id, note["id"].as_str().unwrap());
    let (status, _) = app.post(&path, Some(&owner.access), json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, unread) = app.get(&format!("/api/v1/workspaces/{}/notifications?unread=true", owner.workspace_id), &owner.access).await;
    assert!(unread["items"].as_array().unwrap().is_empty());
    let mail = app.last_mail("now@example.org").await;
    assert!(mail.subject.contains("Published"), "{}", mail.subject);
});

both_backends_with!(an_account_without_a_token_fails_its_target_for_good_and_asks_to_reconnect, manual_worker, |app: TestApp| async move {
    let owner = app.signed_in("mixed@example.org").await;
    let sandbox = app.sandbox_account(&owner, "ok").await;
    // An X account row with no token (as after a failed import): the X adapter refuses to call.
    let x = app.fixture_account(&owner, "x", "tokenless").await;
    let post = app.draft(&owner, "two places", &[&sandbox, &x]).await;
    let id = post["id"].as_str().unwrap();
    let (status, body) = app.post_action(&owner, id, "publish", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mut outcomes = app.run_due_jobs().await;
    outcomes.sort_by_key(|o| format!("{o:?}"));
    assert!(matches!(&outcomes[..], [JobOutcome::Failed { reason }, JobOutcome::Published] if reason.contains("connect it again")), "{outcomes:?}");
    let post = app.get_post(&owner, id).await;
    assert_eq!(post["status"], "partially_published", "{post}");
    let failed = post["targets"].as_array().unwrap().iter().find(|t| t["network"] == "x").unwrap();
    assert_eq!(failed["status"], "failed");
    assert!(failed["error"].as_str().unwrap().contains("connect it again"), "{failed}");
    let (_, account) = app.get(&format!("/api/v1/workspaces/{}/accounts/{x}", owner.workspace_id), &owner.access).await;
    assert_eq!(account["health"], "expired", "the account itself says it needs reconnecting: {account}");
    let (_, notes) = app.get(&format!("/api/v1/workspaces/{}/notifications", owner.workspace_id), &owner.access).await;
    let kinds: Vec<&str> = notes["items"].as_array().unwrap().iter().filter_map(|n| n["kind"].as_str()).collect();
    assert!(kinds.contains(&"post.partially_published") && kinds.contains(&"account.health"), "{notes}");
});

fn always_failing(s: &mut Settings) {
    manual_worker(s);
    s.publishing.sandbox.fail_percent = 100;
    s.publishing.max_attempts = 3;
}

both_backends_with!(transient_errors_back_off_then_fail_after_the_last_attempt, always_failing, |app: TestApp| async move {
    let owner = app.signed_in("flaky@example.org").await;
    let account = app.sandbox_account(&owner, "flaky").await;
    let post = app.draft(&owner, "try, try again", &[&account]).await;
    let id = post["id"].as_str().unwrap();
    app.post_action(&owner, id, "publish", json!({})).await;

    let mut retry_gaps = Vec::new();
    for round in 1..=3 {
        let before = app.clock.now();
        let outcomes = app.run_due_jobs().await;
        assert_eq!(outcomes.len(), 1, "round {round}: {outcomes:?}");
        match &outcomes[0] {
            JobOutcome::Retrying { at } => {
                retry_gaps.push(at.as_millis() - before.as_millis());
                assert_eq!(app.get_post(&owner, id).await["status"], "publishing");
                assert!(app.run_due_jobs().await.is_empty(), "not due again before its backoff");
                app.clock.advance_secs(3600);
            }
            JobOutcome::Failed { reason } => {
                assert_eq!(round, 3, "fails on the last attempt");
                assert!(reason.contains("after 3 attempts") && reason.contains("503"), "{reason}");
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    // Backoff grows: base 5 s, then 10 s, each jittered within its upper half (plus the
    // milliseconds the round itself took).
    assert!((2_500..=5_500).contains(&retry_gaps[0]) && (5_000..=10_500).contains(&retry_gaps[1]), "{retry_gaps:?}");
    let post = app.get_post(&owner, id).await;
    assert_eq!(post["status"], "failed");
    assert!(post["targets"][0]["error"].as_str().unwrap().contains("503"), "{post}");
    assert!(app.sandbox_feed(&owner).await.is_empty());
});

fn always_throttled(s: &mut Settings) {
    manual_worker(s);
    s.publishing.sandbox.throttle_percent = 100;
    s.publishing.max_attempts = 1;
}

both_backends_with!(a_rate_limit_holds_the_account_back_until_the_reset_without_using_up_attempts, always_throttled, |app: TestApp| async move {
    let owner = app.signed_in("busy@example.org").await;
    let account = app.sandbox_account(&owner, "busy").await;
    let first = app.draft(&owner, "first", &[&account]).await;
    let second = app.draft(&owner, "second", &[&account]).await;
    let later = app.clock.now().plus_seconds(1).to_string();
    app.post_action(&owner, first["id"].as_str().unwrap(), "publish", json!({})).await;
    app.post_action(&owner, second["id"].as_str().unwrap(), "schedule", json!({ "at": later })).await;

    let outcomes = app.run_due_jobs().await;
    assert!(matches!(outcomes[..], [JobOutcome::Retrying { .. }]), "{outcomes:?}");
    // Three more rounds: with max_attempts = 1 a counted attempt would already have failed.
    for _ in 0..3 {
        app.clock.advance_secs(10);
        let outcomes = app.run_due_jobs().await;
        assert!(outcomes.iter().all(|o| matches!(o, JobOutcome::Retrying { .. })), "{outcomes:?}");
    }
    let (_, account) = app.get(&format!("/api/v1/workspaces/{}/accounts/{account}", owner.workspace_id), &owner.access).await;
    assert!(account["throttledUntil"].is_string(), "{account}");
    assert_eq!(app.get_post(&owner, first["id"].as_str().unwrap()).await["status"], "publishing");
});

fn lost_answers(s: &mut Settings) {
    manual_worker(s);
    // Every call times out, and half of them had stored the post: only verification against the
    // network stands between a retry and a double post, because this mode ignores record keys.
    s.publishing.sandbox.timeout_percent = 100;
    s.publishing.sandbox.ignore_record_keys = true;
    s.publishing.max_attempts = 60;
}

both_backends_with!(an_unknown_outcome_is_verified_before_any_retry_so_nothing_is_doubled, lost_answers, |app: TestApp| async move {
    let owner = app.signed_in("unsure@example.org").await;
    let account = app.sandbox_account(&owner, "unsure").await;
    let mut ids = Vec::new();
    for n in 0..6 {
        let post = app.draft(&owner, &format!("post {n}"), &[&account]).await;
        app.post_action(&owner, post["id"].as_str().unwrap(), "publish", json!({})).await;
        ids.push(post["id"].as_str().unwrap().to_owned());
    }
    for _ in 0..60 {
        app.run_due_jobs().await;
        app.clock.advance_secs(3600);
    }
    let feed = app.sandbox_feed(&owner).await;
    for id in &ids {
        let post = app.get_post(&owner, id).await;
        assert_eq!(post["status"], "published", "{post}");
        let copies = feed.iter().filter(|p| p["text"] == post["content"]["text"]).count();
        assert_eq!(copies, 1, "{} went out {copies} times", post["content"]["text"]);
        assert_eq!(feed.iter().find(|p| p["text"] == post["content"]["text"]).unwrap()["id"], post["targets"][0]["platformPostId"]);
    }
});

both_backends_with!(a_long_post_goes_out_as_a_thread_of_replies, manual_worker, |app: TestApp| async move {
    let owner = app.signed_in("threads@example.org").await;
    let account = app.sandbox_account(&owner, "long").await;
    let paragraph = "A sentence that is long enough to matter. ".repeat(40);
    let text = format!("{paragraph}\n\n{paragraph}\n\n{paragraph}");
    let post = app.draft(&owner, &text, &[&account]).await;
    let (status, body) = app.post_action(&owner, post["id"].as_str().unwrap(), "publish", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["warnings"].as_array().unwrap().iter().any(|w| w["code"] == "posted_as_thread"), "{body}");
    app.run_due_jobs().await;
    let mut feed = app.sandbox_feed(&owner).await;
    feed.reverse();
    assert!(feed.len() >= 2, "{feed:?}");
    assert!(feed[0]["replyTo"].is_null());
    for pair in feed.windows(2) {
        assert_eq!(pair[1]["replyTo"], pair[0]["id"], "each part replies to the one before");
    }
});

both_backends_with!(a_job_that_succeeds_is_deleted_and_other_ended_jobs_are_swept_after_a_week, manual_worker, |app: TestApp| async move {
    let owner = app.signed_in("tidy@example.org").await;
    let account = app.sandbox_account(&owner, "tidy").await;
    let post = app.draft(&owner, "tidy up after me", &[&account]).await;
    let id = post["id"].as_str().unwrap();
    app.post_action(&owner, id, "publish", json!({})).await;
    app.run_due_jobs().await;
    assert!(app.job_counts().await.is_empty(), "a job that succeeded is gone at once: {:?}", app.job_counts().await);
    let published = app.get_post(&owner, id).await;
    assert_eq!(published["status"], "published", "the outcome lives on the post");
    let mut conn = app.services.db.read().await.unwrap();
    let (outcome, platform_id): (String, Option<String>) = sqlx::query_as("SELECT outcome, platform_post_id FROM publish_attempts WHERE workspace_id = $1")
        .bind(&owner.workspace_id)
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    assert_eq!((outcome.as_str(), platform_id.as_deref()), ("published", published["targets"][0]["platformPostId"].as_str()), "and in the ledger");

    // A job superseded by a reschedule is kept a week, then swept; the queued one stays.
    let later = app.draft(&owner, "not yet", &[&account]).await;
    let later = later["id"].as_str().unwrap();
    let at = |days: i64| app.clock.now().plus_seconds(days * 86_400).to_string();
    app.post_action(&owner, later, "schedule", json!({ "at": at(30) })).await;
    app.post_action(&owner, later, "schedule", json!({ "at": at(31) })).await;
    zenalto_jobs::sweep::sweep(&app.services).await.unwrap();
    assert_eq!(app.job_counts().await, vec![("queued".to_owned(), 1), ("superseded".to_owned(), 1)], "a fresh ended job is kept");
    app.clock.advance_secs(8 * 86_400);
    zenalto_jobs::sweep::sweep(&app.services).await.unwrap();
    assert_eq!(app.job_counts().await, vec![("queued".to_owned(), 1)], "a job ended over a week ago is gone");
});

fn lost_last_answers(s: &mut Settings) {
    manual_worker(s);
    // One attempt only, and its answer is always lost (half the time after the post was stored).
    s.publishing.sandbox.timeout_percent = 100;
    s.publishing.sandbox.ignore_record_keys = true;
    s.publishing.max_attempts = 1;
}

both_backends_with!(a_last_attempt_with_an_unknown_outcome_is_verified_before_the_target_may_fail, lost_last_answers, |app: TestApp| async move {
    let owner = app.signed_in("last@example.org").await;
    let account = app.sandbox_account(&owner, "last").await;
    let mut ids = Vec::new();
    for n in 0..8 {
        let post = app.draft(&owner, &format!("last chance {n}"), &[&account]).await;
        app.post_action(&owner, post["id"].as_str().unwrap(), "publish", json!({})).await;
        ids.push(post["id"].as_str().unwrap().to_owned());
    }
    let outcomes = app.run_due_jobs().await;
    assert!(outcomes.iter().all(|o| matches!(o, JobOutcome::Retrying { .. })), "unknown is not failed: {outcomes:?}");
    app.clock.advance_secs(3600);
    let outcomes = app.run_due_jobs().await;
    assert_eq!(outcomes.len(), ids.len(), "each job came back once, to verify: {outcomes:?}");

    let feed = app.sandbox_feed(&owner).await;
    for id in &ids {
        let post = app.get_post(&owner, id).await;
        let copies: Vec<_> = feed.iter().filter(|p| p["text"] == post["content"]["text"]).collect();
        match post["status"].as_str().unwrap() {
            "published" => {
                assert_eq!(copies.len(), 1, "{post}");
                assert_eq!(copies[0]["id"], post["targets"][0]["platformPostId"]);
            }
            "failed" => {
                assert!(copies.is_empty(), "reported failed but it is live: {post}");
                assert!(post["targets"][0]["error"].as_str().unwrap().contains("not found on the network"), "{post}");
                // Nothing is left unsettled, so the failed post can be edited again.
                let (status, body) = app.put(&format!("{}/{id}", app.posts_path(&owner)), &owner.access, json!({ "content": { "text": "second try" }, "targets": [{ "accountId": account }] })).await;
                assert_eq!(status, StatusCode::OK, "{body}");
            }
            other => panic!("{id} ended {other}: {post}"),
        }
    }
    assert!(app.job_counts().await.iter().all(|(state, _)| state != "queued" && state != "running"), "{:?}", app.job_counts().await);
});

both_backends_with!(a_heartbeat_keeps_only_the_jobs_still_being_worked_on, manual_worker, |app: TestApp| async move {
    let owner = app.signed_in("beat@example.org").await;
    let account = app.sandbox_account(&owner, "beat").await;
    for text in ["kept", "let go"] {
        let post = app.draft(&owner, text, &[&account]).await;
        app.post_action(&owner, post["id"].as_str().unwrap(), "publish", json!({})).await;
    }
    let claimed = app.services.claim_jobs("worker-a", 10).await.unwrap();
    assert_eq!(claimed.len(), 2);
    // The worker still works on the first job; the run of the second one failed.
    let lease_secs = app.services.settings.publishing.lease_secs;
    app.clock.advance_secs(lease_secs - 1);
    assert_eq!(app.services.heartbeat_jobs("worker-a", &[claimed[0].id]).await.unwrap(), 1);
    assert_eq!(app.services.heartbeat_jobs("worker-b", &[claimed[1].id]).await.unwrap(), 0, "not worker-b's lease");
    app.clock.advance_secs(2);
    assert_eq!(app.services.rescue_expired_jobs().await.unwrap(), 1, "only the job nobody works on is rescued");
    let mut counts = app.job_counts().await;
    counts.sort();
    assert_eq!(counts, vec![("queued".to_owned(), 1), ("running".to_owned(), 1)]);
    let again = app.services.claim_jobs("worker-b", 10).await.unwrap();
    assert_eq!(again.iter().map(|j| j.id).collect::<Vec<_>>(), vec![claimed[1].id]);
});
