use super::*;
use zenalto_testkit::both_backends;

fn examples() -> Value {
    json!([
        "Fresh sourdough is out of the oven! Come grab a warm loaf before noon 🍞 #sourdough",
        "We baked cinnamon rolls this morning. You know what to do! 😋 #bakery",
        "Our rye bread is back! We missed it too. See you at the counter 🥖 #sourdough #bakery",
        "Saturday means croissants. We start baking at 5am so you don't have to! ☕",
        "Try our new seeded loaf! It's crunchy, nutty and warm 🍞 #bakery"
    ])
}

both_backends!(brand_voice_learn_and_score, |app: TestApp| async move {
    let owner = app.signed_in("voice-owner@example.org").await;
    let viewer = app.member(&owner, "voice-viewer@example.org", "viewer").await;
    let base = format!("/api/v1/workspaces/{}/ai/brand-voice", owner.workspace_id);

    let (status, body) = app.get(&base, &viewer.access).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["profile"].is_null());
    let (status, body) = app.post(&format!("{base}/score"), Some(&viewer.access), json!({ "text": "hello" })).await;
    expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT");
    let (status, body) = app.put(&base, &owner.access, json!({ "examples": [] })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");

    let account = app.sandbox_account(&owner, "bakery").await;
    app.draft(&owner, "We just took the first batch of pretzels out! Come by 🥨 #bakery", &[&account]).await;
    let (status, body) = app.put(&base, &viewer.access, json!({ "examples": examples() })).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
    let (status, body) = app.put(&base, &owner.access, json!({ "examples": examples(), "bestPosts": 101 })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    let (status, body) = app.put(&base, &owner.access, json!({ "examples": examples() })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["profile"]["samples"], 6, "five examples and the one post: {body}");
    assert_eq!(body["sources"]["bestPosts"]["rankedBy"], "latest_posts", "nothing published, no figures yet");
    assert!(body["profile"]["vocabulary"].as_array().unwrap().iter().any(|w| w == "sourdough" || w == "bakery"), "{body}");

    let score = |text: &'static str| {
        let app = &app;
        let path = format!("{base}/score");
        let token = viewer.access.clone();
        async move {
            let (status, body) = app.post(&path, Some(&token), json!({ "text": text })).await;
            assert_eq!(status, StatusCode::OK, "{body}");
            body
        }
    };
    let in_voice = score("Warm sourdough loaves are back this Friday! We saved one for you 🍞 #sourdough").await;
    let out_of_voice = score(
        "Furthermore, the organisation hereby announces that, following a comprehensive strategic review of its operational framework, \
         the quarterly production schedule for baked goods will be adjusted accordingly across all regional locations.",
    )
    .await;
    let (good, bad) = (in_voice["score"].as_u64().unwrap(), out_of_voice["score"].as_u64().unwrap());
    assert!(good >= 70 && good >= bad + 30, "in voice {good}, out of voice {bad}: {out_of_voice}");
    let findings = out_of_voice["findings"].to_string();
    assert!(findings.contains("as long as your usual") && findings.contains("More formal than usual"), "{findings}");
    assert_eq!(in_voice["dimensions"].as_array().unwrap().len(), 13);

    // Once the networks report figures, the best posts are ranked by engagement.
    let other_post = app.draft(&owner, "Closed on Monday for a family wedding.", &[&account]).await;
    let target = &other_post["targets"][0];
    let figures = zenalto_store::repo::metrics::PostFigures { likes: Some(40), comments: Some(5), ..Default::default() };
    let mut tx = app.services.db.begin().await.unwrap();
    zenalto_store::repo::metrics::upsert_post(
        &mut tx,
        owner.workspace_id.parse().unwrap(),
        target["id"].as_str().unwrap().parse().unwrap(),
        account.parse().unwrap(),
        &figures,
        Timestamp::now(),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let (status, body) = app.put(&base, &owner.access, json!({ "examples": examples(), "bestPosts": 5 })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["sources"]["bestPosts"], json!({ "count": 1, "rankedBy": "engagement" }), "only posts with figures: {body}");

    let (status, body) = app.post(&format!("{base}/score"), Some(&owner.access), json!({ "text": " " })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    let (_, body) = app.get(&base, &viewer.access).await;
    assert_eq!(body["profile"]["samples"], 6, "five examples and the one post with figures");
    assert_eq!(body["sources"]["bestPosts"]["rankedBy"], "engagement");
    // Not a member: 404.
    let other = app.signed_in("voice-other@example.org").await;
    let (status, body) = app.get(&base, &other.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
});
