//! Scheduling in IANA zones across DST, rescheduling, unscheduling, posting slots, recurrence.

use zenalto_testkit::{StatusCode, TestApp, both_backends, both_backends_with, json};

use super::{expect_error, manual_worker};

both_backends!(wall_clock_times_resolve_in_their_zone_across_dst, |app: TestApp| async move {
    let owner = app.signed_in("tz@example.org").await;
    let account = app.sandbox_account(&owner, "tz").await;
    let cases = [
        // (local time, zone, UTC instant, adjustment kind)
        ("2027-01-15T09:00", "Europe/Berlin", "2027-01-15T08:00:00.000Z", "none"),
        ("2027-07-15T09:00", "Europe/Berlin", "2027-07-15T07:00:00.000Z", "none"),
        // 02:30 does not exist on 28 March 2027 in Berlin: moved an hour later, to 03:30 CEST.
        ("2027-03-28T02:30", "Europe/Berlin", "2027-03-28T01:30:00.000Z", "gap"),
        // 02:30 happens twice on 31 October 2027: the earlier (still summer time) is chosen.
        ("2027-10-31T02:30", "Europe/Berlin", "2027-10-31T00:30:00.000Z", "fold"),
        ("2027-03-14T02:30", "America/New_York", "2027-03-14T07:30:00.000Z", "gap"),
    ];
    for (local, zone, utc, adjustment) in cases {
        let post = app.draft(&owner, &format!("at {local} in {zone}"), &[&account]).await;
        let (status, body) = app.post_action(&owner, post["id"].as_str().unwrap(), "schedule", json!({ "localTime": local, "timeZone": zone })).await;
        assert_eq!(status, StatusCode::OK, "{local} {zone}: {body}");
        assert_eq!(body["post"]["scheduledAt"], utc, "{local} {zone}");
        assert_eq!(body["post"]["timeZone"], zone);
        assert_eq!(body["timeAdjustment"]["kind"], adjustment, "{local} {zone}: {body}");
        assert_eq!(body["post"]["status"], "scheduled");
        assert_eq!(body["post"]["targets"][0]["status"], "scheduled");
    }
});

both_backends!(impossible_schedules_are_refused_and_leave_the_post_alone, |app: TestApp| async move {
    let owner = app.signed_in("when@example.org").await;
    let account = app.sandbox_account(&owner, "when").await;
    let post = app.draft(&owner, "sometime", &[&account]).await;
    let id = post["id"].as_str().unwrap();
    let cases = [
        (json!({ "at": "2001-01-01T00:00:00Z" }), "at"),
        (json!({ "at": "tomorrow" }), "at"),
        (json!({ "localTime": "2099-01-01T09:00", "timeZone": "Mars/Olympus_Mons" }), "timeZone"),
        (json!({ "localTime": "2099-01-01T09:00" }), "timeZone"),
        (json!({ "localTime": "2099-13-01T09:00", "timeZone": "UTC" }), "localTime"),
        (json!({ "at": "2099-01-01T00:00:00Z", "localTime": "2099-01-01T09:00", "timeZone": "UTC" }), "at"),
        (json!({}), "at"),
        (json!({ "nextFreeSlot": true }), "nextFreeSlot"),
        (json!({ "at": "2099-01-01T00:00:00Z", "recurrence": { "rrule": "FREQ=MINUTELY" } }), "recurrence.rrule"),
    ];
    for (body, field) in cases {
        let (status, answer) = app.post_action(&owner, id, "schedule", body.clone()).await;
        expect_error(status, &answer, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
        assert!(answer["error"]["details"].get(field).is_some(), "{body} should blame {field}: {answer}");
    }
    let after = app.get_post(&owner, id).await;
    assert_eq!(after["status"], "draft");
    assert_eq!(after["version"], 1);
    assert!(app.job_counts().await.is_empty());
});

both_backends_with!(rescheduling_and_editing_supersede_the_pending_job_atomically, manual_worker, |app: TestApp| async move {
    let owner = app.signed_in("again@example.org").await;
    let account = app.sandbox_account(&owner, "again").await;
    let post = app.draft(&owner, "version one", &[&account]).await;
    let id = post["id"].as_str().unwrap();
    let at = |minutes: i64| app.clock.now().plus_seconds(minutes * 60).to_string();
    let (status, body) = app.post_action(&owner, id, "schedule", json!({ "at": at(10) })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.post_action(&owner, id, "schedule", json!({ "at": at(20) })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let edit = json!({ "content": { "text": "version two" }, "targets": [{ "accountId": account }] });
    let (status, edited) = app.put(&format!("{}/{id}", app.posts_path(&owner)), &owner.access, edit).await;
    assert_eq!(status, StatusCode::OK, "{edited}");
    assert_eq!(edited["status"], "scheduled", "an edited scheduled post stays scheduled");
    assert_eq!(app.job_counts().await, vec![("queued".to_owned(), 1), ("superseded".to_owned(), 2)]);

    app.clock.advance_secs(15 * 60);
    assert!(app.run_due_jobs().await.is_empty(), "nothing is due at the old time");
    app.clock.advance_secs(10 * 60);
    let outcomes = app.run_due_jobs().await;
    assert_eq!(outcomes, vec![zenalto_services::publishing::worker::JobOutcome::Published]);
    let feed = app.sandbox_feed(&owner).await;
    assert_eq!(feed.len(), 1, "{feed:?}");
    assert_eq!(feed[0]["text"], "version two", "the latest version went out");
    assert_eq!(app.get_post(&owner, id).await["status"], "published");
});

both_backends_with!(deleted_and_unscheduled_posts_are_never_published, manual_worker, |app: TestApp| async move {
    let owner = app.signed_in("regret@example.org").await;
    let account = app.sandbox_account(&owner, "regret").await;
    let soon = app.clock.now().plus_seconds(60).to_string();
    let deleted = app.draft(&owner, "delete me", &[&account]).await;
    let unscheduled = app.draft(&owner, "not yet", &[&account]).await;
    for post in [&deleted, &unscheduled] {
        let (status, body) = app.post_action(&owner, post["id"].as_str().unwrap(), "schedule", json!({ "at": soon })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (status, _) = app.delete(&format!("{}/{}", app.posts_path(&owner), deleted["id"].as_str().unwrap()), &owner.access).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.post_action(&owner, unscheduled["id"].as_str().unwrap(), "unschedule", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["status"], "draft");
    assert!(body["scheduledAt"].is_null());

    app.clock.advance_secs(120);
    assert!(app.run_due_jobs().await.is_empty());
    assert!(app.sandbox_feed(&owner).await.is_empty(), "nothing was published");
    assert_eq!(app.job_counts().await, vec![("superseded".to_owned(), 2)]);
    let (status, body) = app.post_action(&owner, unscheduled["id"].as_str().unwrap(), "unschedule", json!({})).await;
    expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT");
});

both_backends!(add_to_queue_takes_the_next_free_posting_slot, |app: TestApp| async move {
    let owner = app.signed_in("slots@example.org").await;
    let account = app.sandbox_account(&owner, "slots").await;
    let slots_path = format!("/api/v1/workspaces/{}/accounts/{account}/posting-slots", owner.workspace_id);
    let (status, body) = app.put(&slots_path, &owner.access, json!({ "zone": "Europe/Berlin", "slots": [{ "day": "monday", "time": "09:30" }, { "day": "thursday", "time": "18:00" }] })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.put(&slots_path, &owner.access, json!({ "zone": "Nowhere/Land", "slots": [] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");

    let mut times = Vec::new();
    for n in 0..3 {
        let post = app.draft(&owner, &format!("queued {n}"), &[&account]).await;
        let (status, body) = app.post_action(&owner, post["id"].as_str().unwrap(), "schedule", json!({ "nextFreeSlot": true })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["post"]["timeZone"], "Europe/Berlin");
        let local = body["post"]["localTime"].as_str().unwrap().to_owned();
        assert!(local.ends_with("09:30:00") || local.ends_with("18:00:00"), "{local}");
        times.push(body["post"]["scheduledAt"].as_str().unwrap().to_owned());
    }
    let mut sorted = times.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted, times, "each post took a later, different slot: {times:?}");
});

both_backends_with!(a_recurring_post_schedules_its_next_occurrence_with_the_next_variation, manual_worker, |app: TestApp| async move {
    let owner = app.signed_in("weekly@example.org").await;
    let account = app.sandbox_account(&owner, "weekly").await;
    let post = app.draft(&owner, "Tip #1", &[&account]).await;
    let id = post["id"].as_str().unwrap();
    let first = app.clock.now().plus_seconds(60);
    let body = json!({ "at": first.to_string(), "timeZone": "Europe/Berlin", "recurrence": { "rrule": "FREQ=DAILY;COUNT=3", "variations": ["Tip A", "Tip B"] } });
    let (status, scheduled) = app.post_action(&owner, id, "schedule", body).await;
    assert_eq!(status, StatusCode::OK, "{scheduled}");

    app.clock.advance_secs(120);
    app.run_due_jobs().await;
    assert_eq!(app.get_post(&owner, id).await["status"], "published");
    let (_, upcoming) = app.get(&format!("{}?status=scheduled", app.posts_path(&owner)), &owner.access).await;
    let upcoming = upcoming.as_array().unwrap();
    assert_eq!(upcoming.len(), 1, "the next occurrence exists: {upcoming:?}");
    assert_eq!(upcoming[0]["content"]["text"], "Tip B", "occurrence 1 uses the second variation");
    // The same wall-clock time in Berlin the next day (24 h later, or 23/25 h across a DST change).
    let (first_local, next_local) = (scheduled["post"]["localTime"].as_str().unwrap(), upcoming[0]["localTime"].as_str().unwrap());
    assert_eq!(first_local[10..], next_local[10..], "{first_local} → {next_local}");
    let next_at = zenalto_domain::Timestamp::parse_rfc3339(upcoming[0]["scheduledAt"].as_str().unwrap()).unwrap();
    let gap_hours = (next_at.as_millis() - first.as_millis()) as f64 / 3_600_000.0;
    assert!((23.0..=25.0).contains(&gap_hours), "{gap_hours} h");
});
