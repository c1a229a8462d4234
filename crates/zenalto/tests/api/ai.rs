//! AI over the API, served by the local engine from the workspace's own posts.

use zenalto_testkit::{StatusCode, TestApp, both_backends, json};

fn expect_error(status: StatusCode, body: &zenalto_testkit::Value, want: StatusCode, code: &str) {
    zenalto_testkit::expect_error(status, body, want, code, "");
}

both_backends!(ai_analyze_hashtags_rewrite_and_generate_use_the_workspace_posts, |app: TestApp| async move {
    let owner = app.signed_in("ai-owner@example.org").await;
    let account = app.sandbox_account(&owner, "bakery").await;
    app.draft(&owner, "Fresh sourdough bread out of the oven #sourdough #baking", &[&account]).await;
    app.draft(&owner, "Sourdough starter tips for beginners #sourdough", &[&account]).await;
    app.draft(&owner, "We are hiring a barista #jobs", &[&account]).await;
    let base = format!("/api/v1/workspaces/{}/ai", owner.workspace_id);

    let (status, body) = app.post(&format!("{base}/analyze"), Some(&owner.access), json!({ "text": "I love this sourdough, but the crust was not great" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["sentiment"]["label"], "negative", "the clause after 'but' weighs more: {body}");
    assert_eq!(body["corpusPosts"].as_u64(), Some(3), "{body}");
    assert!(body["readability"]["fleschReadingEase"].as_f64().is_some(), "{body}");

    let (status, body) = app.post(&format!("{base}/hashtags"), Some(&owner.access), json!({ "text": "Our sourdough loaf recipe", "limit": 3 })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["suggestions"][0]["tag"], "sourdough", "{body}");
    assert_eq!(body["suggestions"][0]["usedInPosts"], 2, "{body}");
    assert!(body["suggestions"].as_array().unwrap().iter().all(|s| s["tag"] != "jobs"), "{body}");

    let (status, body) = app.post(&format!("{base}/rewrite"), Some(&owner.access), json!({ "text": "Hey guys, we're gonna launch!!", "style": "formal" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["text"], "Hello everyone, we are going to launch.", "{body}");

    let brief = json!({ "topic": "our sourdough class", "points": ["every Saturday morning", "all flour included"], "callToAction": "Book a seat" });
    let (status, body) = app.post(&format!("{base}/generate"), Some(&owner.access), json!({ "brief": brief, "networks": ["x", "linkedin"], "variations": 2 })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["engine"], "local");
    assert_eq!(body["costMicros"], 0);
    let networks = body["networks"].as_array().unwrap();
    assert_eq!(networks.len(), 2);
    for network in networks {
        let variations = network["variations"].as_array().unwrap();
        assert_eq!(variations.len(), 2, "{network}");
        for variation in variations {
            assert!(variation["fitted"]["text"].as_str().unwrap().contains("our sourdough class"), "{variation}");
            assert!(variation["quality"].as_u64().unwrap() <= 100);
            assert!(!variation["reasoning"].as_array().unwrap().is_empty());
            let errors = variation["fitted"]["report"]["issues"].as_array().unwrap().iter().filter(|i| i["severity"] == "error").count();
            assert_eq!(errors, 0, "passes the network's validation: {variation}");
        }
    }
});

both_backends!(ai_routes_check_permissions_and_input, |app: TestApp| async move {
    let owner = app.signed_in("ai-perm@example.org").await;
    let viewer = app.member(&owner, "ai-viewer@example.org", "viewer").await;
    let base = format!("/api/v1/workspaces/{}/ai", owner.workspace_id);

    let (status, _) = app.post(&format!("{base}/analyze"), Some(&viewer.access), json!({ "text": "nice" })).await;
    assert_eq!(status, StatusCode::OK, "reading is allowed to viewers");
    let (status, body) = app.post(&format!("{base}/rewrite"), Some(&viewer.access), json!({ "text": "nice", "style": "casual" })).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
    let (status, body) = app.post(&format!("{base}/generate"), Some(&viewer.access), json!({ "brief": { "topic": "x" }, "networks": ["x"] })).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");

    let (status, body) = app.post(&format!("{base}/rewrite"), Some(&owner.access), json!({ "text": "nice", "style": "poetic" })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    let (status, body) = app.post(&format!("{base}/analyze"), Some(&owner.access), json!({ "text": "   " })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    let (status, body) = app.post(&format!("{base}/generate"), Some(&owner.access), json!({ "brief": { "topic": "x" }, "networks": ["myspace"] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");

    // Not a member: 404, as for every workspace route.
    let stranger = app.signed_in("ai-stranger@example.org").await;
    let (status, body) = app.post(&format!("{base}/analyze"), Some(&stranger.access), json!({ "text": "nice" })).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
});
