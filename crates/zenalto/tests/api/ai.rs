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

both_backends!(ai_generate_uses_the_workspace_providers_records_cost_and_falls_back, |app: TestApp| async move {
    let owner = app.signed_in("ai-providers@example.org").await;
    let base = format!("/api/v1/workspaces/{}/ai", owner.workspace_id);
    let openai = zenalto_testkit::ai::openai::spawn().await;
    let key = zenalto_testkit::ai::KEY;

    // No provider: the local engine, at no cost.
    let brief = json!({ "topic": "our repair café", "points": ["every first Sunday"] });
    let generate = json!({ "brief": brief, "networks": ["x"], "variations": 2 });
    let (status, body) = app.post(&format!("{base}/generate"), Some(&owner.access), generate.clone()).await;
    assert_eq!((status, body["engine"].clone(), body["fallback"].clone()), (StatusCode::OK, json!("local"), json!(null)), "{body}");

    let settings = json!({ "providers": [{ "kind": "openai", "baseUrl": openai.base_url, "model": "gpt-test", "inputPrice": 1.0, "outputPrice": 2.0, "apiKey": key }], "monthlyBudgetMicros": 1_000_000 });
    let (status, body) = app.call(reqwest::Method::PUT, &format!("{base}/settings"), Some(&owner.access), Some(settings)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(!body.to_string().contains(key), "the key is never returned: {body}");
    assert_eq!(body["providers"][0]["keySet"], true, "{body}");
    let (status, body) = app.get(&format!("{base}/settings"), &owner.access).await;
    assert_eq!((status, body["providers"][0]["keySet"].clone()), (StatusCode::OK, json!(true)), "{body}");
    assert!(!body.to_string().contains(key));

    let (status, body) = app.post(&format!("{base}/generate"), Some(&owner.access), generate.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["engine"], "openai", "{body}");
    let cost = body["costMicros"].as_u64().unwrap();
    assert!(cost > 0, "cost from the price table: {body}");
    let variation = &body["networks"][0]["variations"][0];
    assert_eq!(variation["fitted"]["text"], "fake", "the provider's text, fitted and validated: {variation}");
    assert_eq!(variation["reasoning"][0], "fake", "{variation}");
    assert!(variation["fitted"]["report"]["issues"].is_array());
    assert_eq!(openai.last_request()["model"], "gpt-test");
    assert!(openai.last_request()["response_format"]["json_schema"]["schema"].is_object(), "structured output asked");

    // The same brief again comes from the cache, free.
    let (_, body) = app.post(&format!("{base}/generate"), Some(&owner.access), generate.clone()).await;
    assert_eq!((body["engine"].clone(), body["costMicros"].clone()), (json!("cache"), json!(0)), "{body}");
    assert_eq!(openai.calls(), 1);
    let metrics = app.request(reqwest::Method::GET, "/metrics", None).send().await.unwrap().text().await.unwrap();
    assert!(metrics.contains("ai_cache_requests_total{result=\"hit\"}"), "cache hits are exported: {metrics}");

    let (status, usage) = app.get(&format!("{base}/usage"), &owner.access).await;
    assert_eq!(status, StatusCode::OK, "{usage}");
    assert_eq!(usage["spentMicros"].as_u64(), Some(cost), "{usage}");
    assert_eq!(usage["cacheHits"], 1, "{usage}");
    let lines = usage["lines"].as_array().unwrap();
    assert!(lines.iter().any(|l| l["provider"] == "openai" && l["model"] == "gpt-test" && l["inputTokens"] == 12), "{usage}");

    // Rewrites go through the provider too, with their cost.
    let (status, body) = app.post(&format!("{base}/rewrite"), Some(&owner.access), json!({ "text": "Hey guys, we're gonna launch!!", "style": "formal" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((body["engine"].clone(), body["text"].clone(), body["changes"].clone()), (json!("openai"), json!("fake"), json!(["fake"])), "{body}");
    assert!(body["costMicros"].as_u64().unwrap() > 0, "{body}");

    // A failing provider: classified, and the local engine writes instead.
    openai.fail_next(zenalto_testkit::ai::Fault::QuotaExceeded, 1);
    let other = json!({ "brief": { "topic": "our tool library" }, "networks": ["x"], "variations": 1 });
    let (_, body) = app.post(&format!("{base}/generate"), Some(&owner.access), other).await;
    assert_eq!(body["engine"], "local", "{body}");
    assert_eq!(body["fallback"]["kind"], "quota_exceeded", "{body}");
    assert!(body["fallback"]["message"].as_str().unwrap().contains("local engine"), "{body}");
    openai.fail_next(zenalto_testkit::ai::Fault::ServerError, 3);
    let (_, body) = app.post(&format!("{base}/rewrite"), Some(&owner.access), json!({ "text": "We do not know yet.", "style": "casual" })).await;
    assert_eq!((body["engine"].clone(), body["fallback"]["kind"].clone(), body["text"].clone()), (json!("local"), json!("unavailable"), json!("We don't know yet.")), "{body}");

    // Budget used up: no provider call, and the answer says why.
    let settings = json!({ "providers": [{ "kind": "openai", "baseUrl": openai.base_url, "model": "gpt-test", "inputPrice": 1.0, "outputPrice": 2.0 }], "monthlyBudgetMicros": cost });
    let (status, body) = app.call(reqwest::Method::PUT, &format!("{base}/settings"), Some(&owner.access), Some(settings)).await;
    assert_eq!((status, body["providers"][0]["keySet"].clone()), (StatusCode::OK, json!(true)), "an omitted key is kept: {body}");
    let calls = openai.calls();
    let third = json!({ "brief": { "topic": "our seed swap" }, "networks": ["x"], "variations": 1 });
    let (_, body) = app.post(&format!("{base}/generate"), Some(&owner.access), third).await;
    assert_eq!((body["engine"].clone(), body["fallback"]["kind"].clone()), (json!("local"), json!("budget_exceeded")), "{body}");
    assert!(body["fallback"]["message"].as_str().unwrap().contains("monthly AI budget"), "{body}");
    assert_eq!(openai.calls(), calls, "no call over budget");

    // Settings are for those who may change them.
    let viewer = app.member(&owner, "ai-settings-viewer@example.org", "viewer").await;
    let (status, body) = app.call(reqwest::Method::PUT, &format!("{base}/settings"), Some(&viewer.access), Some(json!({ "providers": [] }))).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
    let (status, body) = app.call(reqwest::Method::PUT, &format!("{base}/settings"), Some(&owner.access), Some(json!({ "providers": [{ "kind": "skynet", "baseUrl": "http://x", "model": "m" }] }))).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
});
