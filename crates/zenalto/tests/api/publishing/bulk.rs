//! Bulk operations: each item runs as its single-post request and fails on its own.

use zenalto_testkit::{StatusCode, TestApp, Value, both_backends, both_backends_with, json};

use super::{expect_error, manual_worker};

/// `[(ok, error code)]` of a bulk answer, asserting each item's shape on the way.
fn outcomes(body: &Value, ids: &[&str]) -> Vec<(bool, Option<String>)> {
    let results = body["results"].as_array().unwrap_or_else(|| panic!("no results: {body}"));
    let given: Vec<&str> = results.iter().map(|r| r["postId"].as_str().unwrap()).collect();
    assert_eq!(given, ids, "one result per id, in order");
    results
        .iter()
        .map(|r| {
            let error = r.get("error").map(|e| {
                let mut keys: Vec<&str> = e.as_object().unwrap().keys().map(String::as_str).collect();
                keys.sort_unstable();
                assert_eq!(keys, ["code", "details", "message"], "the envelope's inner error: {e}");
                assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{e}");
                e["code"].as_str().unwrap().to_owned()
            });
            assert_eq!(r["ok"].as_bool().unwrap(), error.is_none(), "{r}");
            (r["ok"].as_bool().unwrap(), error)
        })
        .collect()
}

fn ok() -> (bool, Option<String>) {
    (true, None)
}

fn failed(code: &str) -> (bool, Option<String>) {
    (false, Some(code.to_owned()))
}

both_backends_with!(bulk_items_succeed_or_fail_on_their_own, manual_worker, |app: TestApp| async move {
    let owner = app.signed_in("bulk@example.org").await;
    let account = app.sandbox_account(&owner, "bulk").await;
    let a = app.draft(&owner, "post a", &[&account]).await["id"].as_str().unwrap().to_owned();
    let b = app.draft(&owner, "post b", &[&account]).await["id"].as_str().unwrap().to_owned();
    let nowhere = app.draft(&owner, "no account", &[]).await["id"].as_str().unwrap().to_owned();
    let other = app.signed_in("bulk-other@example.org").await;
    let other_account = app.sandbox_account(&other, "theirs").await;
    let theirs = app.draft(&other, "not yours", &[&other_account]).await["id"].as_str().unwrap().to_owned();

    let in_an_hour = app.clock.now().plus_seconds(3600).to_string();
    let ids = [a.as_str(), b.as_str(), nowhere.as_str(), theirs.as_str(), "not-an-id"];
    let (status, body) = app.bulk(&owner, json!({ "action": "schedule", "postIds": ids, "schedule": { "at": in_an_hour } })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(outcomes(&body, &ids), [ok(), ok(), failed("VALIDATION_ERROR"), failed("NOT_FOUND"), failed("NOT_FOUND")]);
    assert!(body["results"][2]["error"]["details"]["targets"].is_string(), "the single request's field errors: {body}");
    for id in [&a, &b] {
        let post = app.get_post(&owner, id).await;
        assert_eq!((post["status"].clone(), post["scheduledAt"].clone()), (json!("scheduled"), json!(in_an_hour)));
    }
    let untouched = app.get_post(&other, &theirs).await;
    assert_eq!((untouched["status"].clone(), untouched["version"].clone()), (json!("draft"), json!(1)), "another workspace's post is never touched");
    let (_, audit) = app.get(&format!("/api/v1/workspaces/{}/audit-log?action=post.schedule", owner.workspace_id), &owner.access).await;
    assert_eq!(audit["items"].as_array().unwrap().len(), 2, "one audit row per post, as for single requests: {audit}");
    assert_eq!(app.job_counts().await, vec![("queued".to_owned(), 2)]);

    let in_two_hours = app.clock.now().plus_seconds(7200).to_string();
    let ids = [a.as_str(), nowhere.as_str()];
    let (_, body) = app.bulk(&owner, json!({ "action": "reschedule", "postIds": ids, "schedule": { "at": in_two_hours } })).await;
    assert_eq!(outcomes(&body, &ids), [ok(), failed("CONFLICT")], "only scheduled posts are rescheduled");
    assert_eq!(app.get_post(&owner, &a).await["scheduledAt"], json!(in_two_hours));
    assert_eq!(app.job_counts().await, vec![("queued".to_owned(), 2), ("superseded".to_owned(), 1)]);

    let ids = [a.as_str(), b.as_str()];
    let (_, body) = app.bulk(&owner, json!({ "action": "update", "postIds": ids, "update": { "campaign": "Q4", "tags": ["x"], "notes": "n" } })).await;
    assert_eq!(outcomes(&body, &ids), [ok(), ok()]);
    let (_, body) = app.bulk(&owner, json!({ "action": "update", "postIds": [a], "update": { "campaign": null } })).await;
    assert_eq!(outcomes(&body, &[a.as_str()]), [ok()]);
    let (post_a, post_b) = (app.get_post(&owner, &a).await, app.get_post(&owner, &b).await);
    assert_eq!((post_a["campaign"].clone(), post_a["tags"].clone(), post_a["notes"].clone()), (Value::Null, json!(["x"]), json!("n")), "null clears, absent keeps");
    assert_eq!((post_b["campaign"].clone(), post_b["content"]["text"].clone()), (json!("Q4"), json!("post b")), "the rest of the post is kept");
    assert_eq!(post_a["status"], "scheduled", "an updated scheduled post stays scheduled");

    let ids = [a.as_str(), nowhere.as_str()];
    let (_, body) = app.bulk(&owner, json!({ "action": "unschedule", "postIds": ids })).await;
    assert_eq!(outcomes(&body, &ids), [ok(), failed("CONFLICT")]);
    assert_eq!(app.get_post(&owner, &a).await["status"], "draft");
});

both_backends_with!(bulk_delete_never_publishes, manual_worker, |app: TestApp| async move {
    let owner = app.signed_in("bulk-delete@example.org").await;
    let account = app.sandbox_account(&owner, "gone").await;
    let soon = app.clock.now().plus_seconds(600).to_string();
    let mut ids = Vec::new();
    for text in ["delete one", "delete two", "keep me"] {
        let id = app.draft(&owner, text, &[&account]).await["id"].as_str().unwrap().to_owned();
        app.schedule_at(&owner, &id, &soon).await;
        ids.push(id);
    }
    let doomed = [ids[0].as_str(), ids[1].as_str()];
    let (status, body) = app.bulk(&owner, json!({ "action": "delete", "postIds": doomed })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(outcomes(&body, &doomed), [ok(), ok()]);

    app.clock.advance_secs(900);
    assert_eq!(app.run_due_jobs().await, vec![zenalto_services::publishing::worker::JobOutcome::Published]);
    let feed = app.sandbox_feed(&owner).await;
    let texts: Vec<&str> = feed.iter().map(|p| p["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["keep me"], "deleted posts never go out");
    for id in doomed {
        let (status, body) = app.get(&format!("{}/{id}", app.posts_path(&owner)), &owner.access).await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
    let (_, body) = app.bulk(&owner, json!({ "action": "delete", "postIds": [ids[0]] })).await;
    assert_eq!(outcomes(&body, &[ids[0].as_str()]), [failed("NOT_FOUND")], "deleting again finds nothing");
});

both_backends!(bulk_requests_are_checked_as_a_whole, |app: TestApp| async move {
    let owner = app.signed_in("bulk-checks@example.org").await;
    let account = app.sandbox_account(&owner, "checks").await;
    let id = app.draft(&owner, "checked", &[&account]).await["id"].as_str().unwrap().to_owned();
    let many: Vec<String> = (0..501).map(|i| format!("01900000-0000-7000-8000-{i:012}")).collect();
    let at = app.clock.now().plus_seconds(3600).to_string();
    for (body, field) in [
        (json!({ "action": "delete", "postIds": many }), "postIds"),
        (json!({ "action": "delete", "postIds": [] }), "postIds"),
        (json!({ "action": "delete", "postIds": [id, id] }), "postIds"),
        (json!({ "action": "schedule", "postIds": [id] }), "schedule"),
        (json!({ "action": "delete", "postIds": [id], "schedule": { "at": at } }), "schedule"),
        (json!({ "action": "update", "postIds": [id] }), "update"),
        (json!({ "action": "update", "postIds": [id], "update": {} }), "update"),
        (json!({ "action": "schedule", "postIds": [id], "schedule": { "at": "soon" } }), "at"),
        (json!({ "action": "publish", "postIds": [id] }), "action"),
        (json!({ "action": "delete", "postIds": [id], "force": true }), "force"),
    ] {
        let (status, answer) = app.bulk(&owner, body.clone()).await;
        expect_error(status, &answer, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
        assert!(answer["error"]["details"].get(field).is_some(), "{body} should blame {field}: {answer}");
    }
    let editor = app.member(&owner, "bulk-editor@example.org", "editor").await;
    let (status, body) = app.bulk(&editor, json!({ "action": "schedule", "postIds": [id], "schedule": { "at": at } })).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
    let viewer = app.member(&owner, "bulk-viewer@example.org", "viewer").await;
    let (status, body) = app.bulk(&viewer, json!({ "action": "delete", "postIds": [id] })).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
    let post = app.get_post(&owner, &id).await;
    assert_eq!((post["status"].clone(), post["version"].clone()), (json!("draft"), json!(1)), "no refused request changed anything");
});
