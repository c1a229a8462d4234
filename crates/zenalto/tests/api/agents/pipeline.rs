use std::collections::{BTreeMap, HashSet};

use super::*;
use zenalto_testkit::both_backends;

const FOUR_HOURS_MS: i64 = 4 * 3_600_000;

fn millis(rfc3339: &str) -> i64 {
    Timestamp::parse_rfc3339(rfc3339).unwrap().as_millis()
}

both_backends!(agents_fill_a_week_for_three_accounts_with_different_goals, |app: TestApp| async move {
    let owner = app.signed_in("agents-owner@example.org").await;
    let bakery = app.fixture_account(&owner, "bluesky", "bakery.example").await;
    let consultancy = app.fixture_account(&owner, "linkedin", "northwind-consulting").await;
    let festival = app.fixture_account(&owner, "mastodon", "harbourjazz").await;
    set_profile(
        &app,
        &owner,
        &bakery,
        json!({
            "goals": "Sell more weekend pastries and bread orders", "audience": "Neighbours and commuters",
            "topics": ["sourdough", "croissants"], "currentProjects": ["Saturday croissant box"], "postsPerWeek": 3, "tone": "friendly"
        }),
    )
    .await;
    set_profile(
        &app,
        &owner,
        &consultancy,
        json!({
            "goals": "Thought leadership: be seen as the experts in data strategy", "audience": "CIOs of mid-sized companies",
            "topics": ["data governance", "analytics maturity", "AI readiness"], "postsPerWeek": 2, "tone": "professional"
        }),
    )
    .await;
    set_profile(
        &app,
        &owner,
        &festival,
        json!({
            "goals": "Sell tickets: get people to register for the festival event", "audience": "Jazz fans in the region",
            "topics": ["live jazz"], "currentProjects": ["Harbour Jazz Festival lineup", "early-bird tickets"], "postsPerWeek": 4, "tone": "playful"
        }),
    )
    .await;
    let (week, week_end) = next_week("Europe/Berlin");

    // Already scheduled for the bakery: Tuesday 09:00, the best time of the interim spread.
    let tuesday = {
        let zone = TimeZoneName::parse("Europe/Berlin").unwrap();
        let monday = zenalto_domain::schedule::LocalDateTime::parse(&format!("{week}T00:00")).unwrap();
        to_local(zenalto_domain::schedule::resolve(monday, &zone).at.plus_seconds(33 * 3600), &zone).to_string()
    };
    let booked = app.draft(&owner, "Bread class on Tuesday", &[&bakery]).await;
    let (status, body) =
        app.post_action(&owner, booked["id"].as_str().unwrap(), "schedule", json!({ "localTime": tuesday, "timeZone": "Europe/Berlin" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let booked_at = millis(body["post"]["scheduledAt"].as_str().unwrap());

    let run = fill_week(&app, &owner, &[&bakery, &consultancy, &festival], &week).await;
    let drafts = run["output"]["drafts"].as_array().unwrap();
    let mut by_account: BTreeMap<String, Vec<&Value>> = BTreeMap::new();
    for draft in drafts {
        by_account.entry(draft["accountId"].as_str().unwrap().to_owned()).or_default().push(draft);
    }
    for (account, frequency) in [(&bakery, 3), (&consultancy, 2), (&festival, 4)] {
        let mine = &by_account[account.as_str()];
        assert_eq!(mine.len(), frequency, "the profile's posts per week for {account}");
        let mut times: Vec<i64> = Vec::new();
        let mut days = HashSet::new();
        for draft in mine {
            let post = app.get_post(&owner, draft["postId"].as_str().unwrap()).await;
            assert_eq!(post["status"], "pending_approval", "{post}");
            assert!(post["tags"].as_array().unwrap().contains(&json!("agents")));
            let local = post["localTime"].as_str().unwrap();
            assert!(local >= week.as_str() && local < week_end.as_str(), "{local} inside the week {week}");
            days.insert(local[..10].to_owned());
            times.push(millis(post["scheduledAt"].as_str().unwrap()));
            // Network validation by the publishing engine: nothing blocks scheduling.
            let (status, report) = app.get(&format!("{}/{}/validation", app.posts_path(&owner), draft["postId"].as_str().unwrap()), &owner.access).await;
            assert_eq!(status, StatusCode::OK);
            assert!(report.as_array().unwrap().iter().all(|t| t["publishable"] == true), "{report}");
            // The reasoning travels with the draft.
            let reasoning = &draft["reasoning"];
            assert!(reasoning["strategy"].is_string() && reasoning["slot"]["why"].is_string(), "{reasoning}");
            assert_eq!(reasoning["review"]["passesValidation"], true);
        }
        times.sort();
        assert!(times.windows(2).all(|w| w[1] - w[0] >= FOUR_HOURS_MS), "spacing for {account}: {times:?}");
        assert_eq!(days.len(), frequency, "one post a day while days are free");
        if account == &bakery {
            assert!(times.iter().all(|t| (t - booked_at).abs() >= FOUR_HOURS_MS), "no collision with the scheduled post");
        }
    }

    // Every agent's step is recorded, in order, per account.
    let (status, run) = app.get(&format!("/api/v1/workspaces/{}/agents/runs/{}", owner.workspace_id, run["id"].as_str().unwrap()), &owner.access).await;
    assert_eq!(status, StatusCode::OK, "{run}");
    let steps = run["steps"].as_array().unwrap();
    let agents: Vec<&str> = steps.iter().map(|s| s["agent"].as_str().unwrap()).collect();
    assert_eq!(agents, ["research", "strategy", "content", "review", "schedule"].repeat(3));
    for step in steps {
        assert_eq!(step["provider"], "local", "no provider configured: {step}");
        assert!(step["durationMs"].as_i64().unwrap() >= 0 && step["startedAt"].is_string());
    }
    let strategy = |account: &str| steps.iter().find(|s| s["agent"] == "strategy" && s["accountId"] == account).unwrap()["output"].clone();
    assert_eq!(strategy(&bakery)["goalKind"], "sales");
    assert_eq!(strategy(&consultancy)["goalKind"], "thought_leadership");
    assert_eq!(strategy(&festival)["goalKind"], "event");
    assert_eq!(strategy(&bakery)["posts"][0]["theme"], "Saturday croissant box", "current projects first");
    assert_eq!(strategy(&consultancy)["posts"][0]["angle"], "educational");
    let content = steps.iter().find(|s| s["agent"] == "content" && s["accountId"] == festival).unwrap();
    for draft in content["output"]["drafts"].as_array().unwrap() {
        assert!(draft["text"].as_str().unwrap().to_lowercase().contains(&draft["theme"].as_str().unwrap().to_lowercase()), "about its theme: {draft}");
    }
    let schedule = steps.iter().find(|s| s["agent"] == "schedule" && s["accountId"] == bakery).unwrap();
    assert_eq!(schedule["output"]["occupied"].as_array().unwrap().len(), 1, "saw the scheduled post: {schedule}");
    let (_, list) = app.get(&format!("/api/v1/workspaces/{}/agents/runs", owner.workspace_id), &owner.access).await;
    assert_eq!(list[0]["id"], run["id"]);
});

both_backends!(agents_a_rejection_reason_changes_the_next_run, |app: TestApp| async move {
    let owner = app.signed_in("agents-reject@example.org").await;
    let bakery = app.sandbox_account(&owner, "bakery").await;
    set_profile(
        &app,
        &owner,
        &bakery,
        json!({
            "goals": "Sell more bread", "topics": ["sourdough", "guaranteed fresh bread"], "currentProjects": ["Saturday croissant box"], "postsPerWeek": 2, "tone": "friendly"
        }),
    )
    .await;
    let (week, week_end) = next_week("Europe/Berlin");
    let first = fill_week(&app, &owner, &[&bakery], &week).await;
    let review = |run: &Value| run["steps"].as_array().unwrap().iter().find(|s| s["agent"] == "review").unwrap().clone();
    assert_eq!(review(&first)["input"]["rejectedPhrases"], json!([]));
    let croissant = first["output"]["drafts"].as_array().unwrap().iter().find(|d| d["theme"] == "Saturday croissant box").unwrap();
    let (status, body) =
        app.post_action(&owner, croissant["postId"].as_str().unwrap(), "reject", json!({ "reason": "Please stop pushing the Saturday croissant box" })).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let second = fill_week(&app, &owner, &[&bakery], &week_end).await;
    assert_eq!(review(&second)["input"]["rejectedPhrases"], json!(["saturday croissant box"]), "{second}");
    let strategy = second["steps"].as_array().unwrap().iter().find(|s| s["agent"] == "strategy").unwrap().clone();
    assert!(strategy["output"]["avoided"][0].as_str().unwrap().starts_with("Saturday croissant box"), "{strategy}");
    for draft in second["output"]["drafts"].as_array().unwrap() {
        assert!(!draft["reasoning"]["content"]["text"].as_str().unwrap().to_lowercase().contains("croissant box"), "{draft}");
    }
    // Risky wording is flagged for the approver, not silently submitted.
    let flags = review(&second)["output"]["reviews"].to_string();
    assert!(flags.contains("\"rule\":\"absolute_claim\"") && flags.contains("\"matched\":\"guaranteed\""), "{flags}");
    let research = second["steps"].as_array().unwrap().iter().find(|s| s["agent"] == "research").unwrap().clone();
    assert_eq!(research["output"]["rejectionReasons"], json!(["Please stop pushing the Saturday croissant box"]));
});

both_backends!(agents_runs_check_input_permissions_isolation_and_autofill_once, |app: TestApp| async move {
    let owner = app.signed_in("agents-perm@example.org").await;
    let viewer = app.member(&owner, "agents-viewer@example.org", "viewer").await;
    let account = app.sandbox_account(&owner, "shop").await;
    let runs = format!("/api/v1/workspaces/{}/agents/runs", owner.workspace_id);
    let (status, body) = app.post(&runs, Some(&viewer.access), json!({ "accountIds": [account], "timeZone": "UTC" })).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
    for (input, field) in [
        (json!({ "accountIds": [], "timeZone": "UTC" }), "accountIds"),
        (json!({ "accountIds": [account, account], "timeZone": "UTC" }), "accountIds[1]"),
        (json!({ "accountIds": [account], "timeZone": "Nowhere/City" }), "timeZone"),
        (json!({ "accountIds": [account], "timeZone": "UTC", "weekStart": "2020-01-06" }), "weekStart"),
        (json!({ "accountIds": [account], "timeZone": "UTC", "weekStart": "next week" }), "weekStart"),
    ] {
        let (status, body) = app.post(&runs, Some(&owner.access), input.clone()).await;
        expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
        assert!(body["error"]["details"].to_string().contains(field), "{input} → {body}");
    }
    let other = app.signed_in("agents-other@example.org").await;
    let theirs = app.sandbox_account(&other, "theirs").await;
    let (status, body) = app.post(&runs, Some(&owner.access), json!({ "accountIds": [theirs], "timeZone": "UTC" })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");

    // Without a week, the run fills next week.
    set_profile(
        &app,
        &owner,
        &account,
        json!({ "goals": "Grow the community", "topics": ["repair cafés"], "postsPerWeek": 1, "tone": "friendly", "timeZone": "UTC", "autofill": true }),
    )
    .await;
    let (status, run) = app.post(&runs, Some(&owner.access), json!({ "accountIds": [account], "timeZone": "UTC" })).await;
    assert_eq!(status, StatusCode::CREATED, "{run}");
    assert_eq!(run["input"]["weekStart"], next_week("UTC").0);
    let (status, body) = app.get(&format!("{runs}/{}", run["id"].as_str().unwrap()), &other.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    let (status, body) = app.get(&format!("/api/v1/workspaces/{}/agents/runs/{}", other.workspace_id, run["id"].as_str().unwrap()), &other.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");

    // Weekly autofill starts next week's run once, however often it looks.
    let mut started = 0;
    for _ in 0..3 {
        started += app.services.autofill_due().await.unwrap();
    }
    assert!(started <= 1, "at most once (the background loop may have started it already)");
    let (_, list) = app.get(&runs, &owner.access).await;
    let autofill: Vec<&Value> = list.as_array().unwrap().iter().filter(|r| r["trigger"] == "autofill").collect();
    assert_eq!(autofill.len(), 1, "{list}");
    assert_eq!(autofill[0]["status"], "succeeded");
    assert_eq!(autofill[0]["startedBy"], "agents.autofill");
});

both_backends!(agents_write_through_the_provider_chain_and_record_its_usage, |app: TestApp| async move {
    let owner = app.signed_in("agents-provider@example.org").await;
    let account = app.sandbox_account(&owner, "studio").await;
    let openai = zenalto_testkit::ai::openai::spawn().await;
    let settings = json!({ "providers": [{ "kind": "openai", "baseUrl": openai.base_url, "model": "gpt-test", "inputPrice": 1.0, "outputPrice": 2.0, "apiKey": zenalto_testkit::ai::KEY }] });
    let (status, body) = app.call(reqwest::Method::PUT, &format!("/api/v1/workspaces/{}/ai/settings", owner.workspace_id), Some(&owner.access), Some(settings)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    set_profile(&app, &owner, &account, json!({ "goals": "Grow the community", "audience": "Makers", "topics": ["pottery classes", "glaze recipes"], "postsPerWeek": 2, "tone": "playful" })).await;
    let (week, _) = next_week("Europe/Berlin");
    let run = fill_week(&app, &owner, &[&account], &week).await;

    let content = run["steps"].as_array().unwrap().iter().find(|s| s["agent"] == "content").unwrap().clone();
    assert_eq!((content["provider"].clone(), content["model"].clone()), (json!("openai"), json!("gpt-test")), "{content}");
    assert!(content["inputTokens"].as_i64().unwrap() > 0 && content["costMicros"].as_i64().unwrap() > 0, "{content}");
    assert_eq!(openai.calls(), 2, "one generation per planned post");
    let system = openai.last_request()["messages"][0]["content"].as_str().unwrap().to_owned();
    assert!(system.contains("Tone: playful") && system.contains("Audience: Makers"), "the profile is in the brief: {system}");
    let drafts = run["output"]["drafts"].as_array().unwrap();
    assert_eq!(drafts.len(), 2);
    assert!(drafts.iter().all(|d| d["reasoning"]["content"]["engine"] == "openai"), "{run}");
    for step in run["steps"].as_array().unwrap().iter().filter(|s| s["agent"] != "content") {
        assert_eq!(step["provider"], "local", "{step}");
    }
});
