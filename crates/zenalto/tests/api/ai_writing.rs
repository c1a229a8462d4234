//! AI writing help beyond drafts: alt text (vision providers, or the library's facts),
//! translation (providers only), expansion, a streamed rewrite, and the plan's monthly caps.

use base64::Engine;
use zenalto_testkit::ai::{Fault, KEY};
use zenalto_testkit::media::jpeg;
use zenalto_testkit::{StatusCode, TestApp, both_backends, both_backends_with, json};

fn expect_error(status: StatusCode, body: &zenalto_testkit::Value, want: StatusCode, code: &str) {
    zenalto_testkit::expect_error(status, body, want, code, "");
}

async fn configure(
    app: &TestApp,
    access: &str,
    workspace: &str,
    providers: zenalto_testkit::Value,
) {
    let path = format!("/api/v1/workspaces/{workspace}/ai/settings");
    let (status, body) = app
        .call(
            reqwest::Method::PUT,
            &path,
            Some(access),
            Some(json!({ "providers": providers })),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

both_backends!(
    ai_alt_text_comes_from_a_vision_provider_or_from_the_file_facts,
    |app: TestApp| async move {
        let owner = app.signed_in("alt-owner@example.org").await;
        let base = format!("/api/v1/workspaces/{}/ai", owner.workspace_id);
        let asset = app
            .uploaded(&owner, "spring-sale-banner.jpg", &jpeg(1600, 900, 7))
            .await;
        let id = asset["id"].as_str().unwrap().to_owned();

        // No provider: the file's facts, and a note saying that is all.
        let (status, body) = app
            .post(
                &format!("{base}/alt-text"),
                Some(&owner.access),
                json!({ "mediaId": id }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["engine"], "local", "{body}");
        let alt = body["altText"].as_str().unwrap();
        assert!(
            alt.starts_with("Landscape image (1600 × 900) in mostly"),
            "{body}"
        );
        assert!(alt.ends_with("titled “spring sale banner”."), "{body}");
        assert!(
            body["note"].as_str().unwrap().contains("cannot see"),
            "{body}"
        );
        assert_eq!(
            (body["caption"].clone(), body["saved"].clone()),
            (json!(null), json!(false)),
            "{body}"
        );

        // A text-only provider is never shown pictures; the vision one is.
        let text_only = zenalto_testkit::ai::anthropic::spawn().await;
        let vision = zenalto_testkit::ai::openai::spawn().await;
        let providers = json!([
            { "kind": "anthropic", "baseUrl": text_only.base_url, "model": "claude-text", "apiKey": KEY },
            { "kind": "openai", "baseUrl": vision.base_url, "model": "gpt-vision", "inputPrice": 1.0, "outputPrice": 2.0, "apiKey": KEY, "vision": true },
        ]);
        configure(&app, &owner.access, &owner.workspace_id, providers).await;
        let (status, body) = app
            .post(
                &format!("{base}/alt-text"),
                Some(&owner.access),
                json!({ "mediaId": id, "save": true }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (
                body["engine"].clone(),
                body["altText"].clone(),
                body["caption"].clone(),
                body["saved"].clone()
            ),
            (json!("openai"), json!("fake"), json!("fake"), json!(true)),
            "{body}"
        );
        assert!(body["costMicros"].as_u64().unwrap() > 0, "{body}");
        assert_eq!(text_only.calls(), 0, "not a vision provider");
        let sent = vision.last_request();
        let url = sent["messages"][1]["content"][1]["image_url"]["url"]
            .as_str()
            .unwrap();
        let jpeg_bytes = base64::engine::general_purpose::STANDARD
            .decode(url.strip_prefix("data:image/jpeg;base64,").unwrap())
            .unwrap();
        let shown = image::load_from_memory(&jpeg_bytes).unwrap();
        assert_eq!(
            (shown.width(), shown.height()),
            (1024, 576),
            "scaled down to 1024 px on the long side"
        );
        let (_, stored) = app
            .get(
                &format!("/api/v1/workspaces/{}/media/{id}", owner.workspace_id),
                &owner.access,
            )
            .await;
        assert_eq!(stored["altText"], "fake", "saved on the asset: {stored}");

        // The same picture again comes from the cache; another one with the provider failing gets
        // the file's facts, with the reason.
        let (_, body) = app
            .post(
                &format!("{base}/alt-text"),
                Some(&owner.access),
                json!({ "mediaId": id }),
            )
            .await;
        assert_eq!(
            (body["engine"].clone(), body["costMicros"].clone()),
            (json!("cache"), json!(0)),
            "{body}"
        );
        let other = app
            .uploaded(&owner, "IMG_0001.jpg", &jpeg(600, 800, 9))
            .await;
        vision.fail_next(Fault::ContentFiltered, 1);
        let (_, body) = app
            .post(
                &format!("{base}/alt-text"),
                Some(&owner.access),
                json!({ "mediaId": other["id"] }),
            )
            .await;
        assert_eq!(
            (body["engine"].clone(), body["fallback"]["kind"].clone()),
            (json!("local"), json!("content_filtered")),
            "{body}"
        );
        assert!(
            body["altText"]
                .as_str()
                .unwrap()
                .starts_with("Portrait image (600 × 800)"),
            "{body}"
        );

        // Who may, and what.
        let viewer = app.member(&owner, "alt-viewer@example.org", "viewer").await;
        let (status, body) = app
            .post(
                &format!("{base}/alt-text"),
                Some(&viewer.access),
                json!({ "mediaId": id }),
            )
            .await;
        expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
        let stranger = app.signed_in("alt-stranger@example.org").await;
        let (status, body) = app
            .post(
                &format!("/api/v1/workspaces/{}/ai/alt-text", stranger.workspace_id),
                Some(&stranger.access),
                json!({ "mediaId": id }),
            )
            .await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
        let (status, body) = app
            .post(
                &format!("{base}/alt-text"),
                Some(&owner.access),
                json!({ "mediaId": "nope" }),
            )
            .await;
        expect_error(
            status,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        );
    }
);

both_backends!(
    ai_translation_needs_a_provider_and_expansion_works_without_one,
    |app: TestApp| async move {
        let owner = app.signed_in("translate-owner@example.org").await;
        let account = app.sandbox_account(&owner, "bakery").await;
        app.draft(
            &owner,
            "Sourdough class this Saturday #sourdough #baking",
            &[&account],
        )
        .await;
        app.draft(
            &owner,
            "Our sourdough starter is ten years old #sourdough",
            &[&account],
        )
        .await;
        let base = format!("/api/v1/workspaces/{}/ai", owner.workspace_id);
        let ask = json!({ "text": "Fresh bread at 8am", "language": "German" });

        let (status, body) = app
            .post(
                &format!("{base}/translate"),
                Some(&owner.access),
                ask.clone(),
            )
            .await;
        expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT");
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("needs an AI provider"),
            "{body}"
        );

        // Expanding locally: shorthand spelled out, and the workspace's own hashtag added.
        let (status, body) = app
            .post(
                &format!("{base}/rewrite"),
                Some(&owner.access),
                json!({ "text": "New sourdough class tmrw w/ pics", "style": "expand" }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let expanded = body["text"].as_str().unwrap();
        assert!(
            expanded.starts_with("New sourdough class tomorrow with pictures #sourdough"),
            "{body}"
        );
        assert!(
            expanded
                .split('#')
                .skip(1)
                .all(|tag| ["sourdough ", "sourdough", "baking"].contains(&tag)),
            "only tags the workspace used: {body}"
        );
        assert!(
            body["changes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c.as_str().unwrap().starts_with("added hashtags")),
            "{body}"
        );

        let openai = zenalto_testkit::ai::openai::spawn().await;
        configure(&app, &owner.access, &owner.workspace_id, json!([{ "kind": "openai", "baseUrl": openai.base_url, "model": "gpt-test", "apiKey": KEY }])).await;
        let (status, body) = app
            .post(
                &format!("{base}/translate"),
                Some(&owner.access),
                ask.clone(),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (
                body["text"].clone(),
                body["engine"].clone(),
                body["language"].clone()
            ),
            (json!("fake"), json!("openai"), json!("German")),
            "{body}"
        );
        assert!(
            openai.last_request()["messages"][0]["content"]
                .as_str()
                .unwrap()
                .contains("into German")
        );

        openai.fail_next(Fault::ServerError, 5);
        let (status, body) = app
            .post(
                &format!("{base}/translate"),
                Some(&owner.access),
                json!({ "text": "Closed on Monday", "language": "fr" }),
            )
            .await;
        expect_error(
            status,
            &body,
            StatusCode::SERVICE_UNAVAILABLE,
            "AI_UNAVAILABLE",
        );
        assert!(
            body["error"]["message"]
                .as_str()
                .unwrap()
                .contains("translate it yourself"),
            "{body}"
        );

        let (status, body) = app
            .post(
                &format!("{base}/translate"),
                Some(&owner.access),
                json!({ "text": "hi", "language": "<script>" }),
            )
            .await;
        expect_error(
            status,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        );
        assert!(body["error"]["details"]["language"].is_string(), "{body}");
    }
);

/// The streamed response's events as (name, data) pairs.
async fn events(
    app: &TestApp,
    path: &str,
    access: &str,
    body: zenalto_testkit::Value,
) -> Vec<(String, zenalto_testkit::Value)> {
    let response = app
        .request(reqwest::Method::POST, path, Some(access))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    let text = response.text().await.unwrap();
    text.split("\n\n")
        .filter_map(|block| {
            let name = block.lines().find_map(|l| l.strip_prefix("event: "))?;
            let data = block.lines().find_map(|l| l.strip_prefix("data: "))?;
            Some((name.to_owned(), serde_json::from_str(data).unwrap()))
        })
        .collect()
}

both_backends!(
    ai_rewrite_streams_the_provider_text_and_ends_with_the_whole_result,
    |app: TestApp| async move {
        let owner = app.signed_in("stream-owner@example.org").await;
        let base = format!("/api/v1/workspaces/{}/ai", owner.workspace_id);
        let path = format!("{base}/rewrite/stream");
        let ask = json!({ "text": "We do not open on Mondays", "style": "casual" });

        // The local engine: no deltas, one done.
        let got = events(&app, &path, &owner.access, ask.clone()).await;
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(
            (
                got[0].0.as_str(),
                got[0].1["engine"].clone(),
                got[0].1["text"].clone()
            ),
            ("done", json!("local"), json!("We don't open on Mondays"))
        );

        let openai = zenalto_testkit::ai::openai::spawn().await;
        configure(&app, &owner.access, &owner.workspace_id, json!([{ "kind": "openai", "baseUrl": openai.base_url, "model": "gpt-test", "inputPrice": 1.0, "outputPrice": 1.0, "apiKey": KEY }])).await;
        let got = events(&app, &path, &owner.access, ask.clone()).await;
        let (deltas, done): (Vec<_>, Vec<_>) = got.iter().partition(|(name, _)| name == "delta");
        assert!(deltas.len() > 3, "word by word: {got:?}");
        let joined: String = deltas
            .iter()
            .map(|(_, d)| d["text"].as_str().unwrap())
            .collect();
        assert_eq!(done.len(), 1);
        assert_eq!(
            joined,
            done[0].1["text"].as_str().unwrap(),
            "done carries what the deltas said"
        );
        assert!(
            joined.ends_with("We do not open on Mondays"),
            "the fake echoes the post: {joined}"
        );
        assert_eq!(done[0].1["engine"], "openai");
        assert!(done[0].1["costMicros"].as_u64().unwrap() > 0);
        assert_eq!(openai.last_request()["stream"], true);
        let (_, usage) = app.get(&format!("{base}/usage"), &owner.access).await;
        assert!(
            usage["lines"]
                .as_array()
                .unwrap()
                .iter()
                .any(|l| l["provider"] == "openai"
                    && l["requests"] == 1
                    && l["model"] == "gpt-test"),
            "the streamed call is on the bill: {usage}"
        );

        // Withheld mid-stream: done replaces it with the local rewrite and says why.
        openai.fail_next(Fault::ContentFiltered, 1);
        let got = events(&app, &path, &owner.access, ask.clone()).await;
        let done = &got.last().unwrap().1;
        assert_eq!(
            (
                done["engine"].clone(),
                done["fallback"]["kind"].clone(),
                done["text"].clone()
            ),
            (
                json!("local"),
                json!("content_filtered"),
                json!("We don't open on Mondays")
            ),
            "{got:?}"
        );

        // Errors before the stream are the JSON envelope.
        let (status, body) = app
            .post(
                &path,
                Some(&owner.access),
                json!({ "text": "x", "style": "loud" }),
            )
            .await;
        expect_error(
            status,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        );
        let viewer = app
            .member(&owner, "stream-viewer@example.org", "viewer")
            .await;
        let (status, body) = app.post(&path, Some(&viewer.access), ask).await;
        expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
    }
);

both_backends_with!(
    ai_plan_caps_limit_provider_calls_and_spend_each_month,
    |s: &mut zenalto_settings::Settings| {
        s.ai.plans.insert(
            "free".into(),
            zenalto_settings::AiPlanLimits {
                monthly_budget_micros: None,
                monthly_requests: Some(2),
            },
        );
    },
    |app: TestApp| async move {
        let owner = app.signed_in("plan-owner@example.org").await;
        let base = format!("/api/v1/workspaces/{}/ai", owner.workspace_id);
        let openai = zenalto_testkit::ai::openai::spawn().await;
        configure(&app, &owner.access, &owner.workspace_id, json!([{ "kind": "openai", "baseUrl": openai.base_url, "model": "gpt-test", "apiKey": KEY }])).await;
        for text in ["First post", "Second post"] {
            let (_, body) = app
                .post(
                    &format!("{base}/rewrite"),
                    Some(&owner.access),
                    json!({ "text": text, "style": "formal" }),
                )
                .await;
            assert_eq!(body["engine"], "openai", "{body}");
        }
        // A cache hit is not a call, so it does not count.
        let (_, body) = app
            .post(
                &format!("{base}/rewrite"),
                Some(&owner.access),
                json!({ "text": "First post", "style": "formal" }),
            )
            .await;
        assert_eq!(body["engine"], "cache", "{body}");
        let (_, body) = app
            .post(
                &format!("{base}/rewrite"),
                Some(&owner.access),
                json!({ "text": "Third post", "style": "formal" }),
            )
            .await;
        assert_eq!(
            (body["engine"].clone(), body["fallback"]["kind"].clone()),
            (json!("local"), json!("budget_exceeded")),
            "{body}"
        );
        assert!(
            body["fallback"]["message"]
                .as_str()
                .unwrap()
                .contains("free plan's 2 AI provider calls"),
            "{body}"
        );
        assert_eq!(openai.calls(), 2);
        let (status, body) = app
            .post(
                &format!("{base}/translate"),
                Some(&owner.access),
                json!({ "text": "Hello", "language": "Dutch" }),
            )
            .await;
        expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT");
    }
);

both_backends_with!(
    ai_plan_budget_applies_when_lower_than_the_workspace_budget,
    |s: &mut zenalto_settings::Settings| {
        s.ai.plans.insert(
            "free".into(),
            zenalto_settings::AiPlanLimits {
                monthly_budget_micros: Some(1),
                monthly_requests: None,
            },
        );
    },
    |app: TestApp| async move {
        let owner = app.signed_in("plan-budget@example.org").await;
        let base = format!("/api/v1/workspaces/{}/ai", owner.workspace_id);
        let openai = zenalto_testkit::ai::openai::spawn().await;
        let providers = json!([{ "kind": "openai", "baseUrl": openai.base_url, "model": "gpt-test", "inputPrice": 1.0, "outputPrice": 1.0, "apiKey": KEY }]);
        let path = format!("{base}/settings");
        let (status, _) = app
            .call(
                reqwest::Method::PUT,
                &path,
                Some(&owner.access),
                Some(json!({ "providers": providers, "monthlyBudgetMicros": 50_000_000 })),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, body) = app
            .post(
                &format!("{base}/rewrite"),
                Some(&owner.access),
                json!({ "text": "One", "style": "formal" }),
            )
            .await;
        assert_eq!(body["engine"], "openai", "nothing spent yet: {body}");
        let (_, body) = app
            .post(
                &format!("{base}/rewrite"),
                Some(&owner.access),
                json!({ "text": "Two", "style": "formal" }),
            )
            .await;
        assert_eq!(body["fallback"]["kind"], "budget_exceeded", "{body}");
        assert!(
            body["fallback"]["message"]
                .as_str()
                .unwrap()
                .contains("free plan's monthly AI budget"),
            "{body}"
        );
    }
);
