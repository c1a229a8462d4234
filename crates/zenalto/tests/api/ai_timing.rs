//! Best time to post and optimize over the API on both backends, on published posts with
//! figures written through the store (helpers in `ai_models.rs`).

use zenalto_testkit::{StatusCode, TestApp, both_backends, json};

use super::ai_models::{HOUR, WINTER_TUESDAY, expect_error, field, history, published};

both_backends!(
    ai_best_times_rank_an_accounts_hours_in_its_time_zone,
    |app: TestApp| async move {
        let owner = app.signed_in("best-owner@example.org").await;
        let account = app.fixture_account(&owner, "mastodon", "bakery").await;
        let quiet = app.fixture_account(&owner, "linkedin", "quiet").await;
        // 12 weeks, 6 posts a week at fixed hours; Tuesday 18:00 UTC gets 3× the engagement.
        for week in 0..12i64 {
            for (day, hour) in [(0, 9), (1, 18), (2, 12), (3, 18), (4, 9), (1, 9)] {
                let likes = if (day, hour) == (1, 18) {
                    60
                } else {
                    20 + (week % 3)
                };
                let at =
                    WINTER_TUESDAY - HOUR * 24 + (day * 24 + hour) * HOUR - week * 7 * 24 * HOUR;
                published(
                    &app,
                    &owner,
                    &account,
                    "mastodon",
                    &format!("Week {week} note"),
                    at,
                    likes,
                )
                .await;
            }
        }
        let path = |account: &str, query: &str| {
            format!(
                "/api/v1/workspaces/{}/accounts/{account}/best-times{query}",
                owner.workspace_id
            )
        };
        let (status, body) = app.get(&path(&account, "?limit=3"), &owner.access).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (
                body["timeZone"].clone(),
                body["samples"].clone(),
                body["source"].clone()
            ),
            (json!("UTC"), json!(72), json!("account_history")),
            "{body}"
        );
        let top = &body["slots"][0];
        assert_eq!(
            (
                top["weekday"].clone(),
                top["hour"].clone(),
                top["posts"].clone()
            ),
            (json!(1), json!(18), json!(12)),
            "{body}"
        );
        assert!(
            top["score"].as_f64().unwrap() > 2.0 && top["confidence"].as_f64().unwrap() > 0.5,
            "{body}"
        );
        assert_eq!(body["slots"].as_array().unwrap().len(), 3);

        // In Berlin (UTC+1 in winter) the same posts went out at 19:00 local.
        let (_, body) = app
            .get(
                &path(&account, "?timeZone=Europe/Berlin&limit=1"),
                &owner.access,
            )
            .await;
        assert_eq!(
            (
                body["slots"][0]["weekday"].clone(),
                body["slots"][0]["hour"].clone(),
                body["timeZone"].clone()
            ),
            (json!(1), json!(19), json!("Europe/Berlin")),
            "{body}"
        );

        // No history: the assumed prior, said to be one, with no confidence.
        let (_, body) = app.get(&path(&quiet, ""), &owner.access).await;
        assert_eq!(
            (
                body["samples"].clone(),
                body["source"].clone(),
                body["confidence"].clone()
            ),
            (json!(0), json!("account_history_and_prior"), json!(0.0)),
            "{body}"
        );
        assert!(
            body["note"].as_str().unwrap().contains("assumed prior"),
            "{body}"
        );
        assert_eq!(body["slots"].as_array().unwrap().len(), 10, "default limit");

        for (query, name) in [
            ("?timeZone=Mars/Olympus", "timeZone"),
            ("?limit=0", "limit"),
            ("?limit=500", "limit"),
            ("?limit=abc", "query"),
        ] {
            let (status, body) = app.get(&path(&account, query), &owner.access).await;
            expect_error(
                status,
                &body,
                StatusCode::UNPROCESSABLE_ENTITY,
                "VALIDATION_ERROR",
            );
            assert!(field(&body).contains(name), "{query}: {body}");
        }
        let viewer = app
            .member(&owner, "best-viewer@example.org", "viewer")
            .await;
        let (status, _) = app.get(&path(&account, ""), &viewer.access).await;
        assert_eq!(status, StatusCode::OK, "post:read is enough");
    }
);

both_backends!(
    ai_optimize_suggests_changes_priced_by_the_workspace_model,
    |app: TestApp| async move {
        let owner = app.signed_in("optimize-owner@example.org").await;
        let ai = format!("/api/v1/workspaces/{}/ai", owner.workspace_id);
        let draft = json!({ "text": "Fresh loaves today.", "network": "mastodon" });

        // No history: suggestions from the rules, effects not measured.
        let (status, body) = app
            .post(
                &format!("{ai}/optimize"),
                Some(&owner.access),
                draft.clone(),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let question = body["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["kind"] == "question")
            .unwrap()
            .clone();
        assert_eq!(
            question["expectedEffect"],
            json!({ "change": null, "source": "not_measured" }),
            "{body}"
        );
        assert_eq!(body["prediction"]["source"], "none", "{body}");

        let mastodon = app.fixture_account(&owner, "mastodon", "bakery").await;
        let x = app.fixture_account(&owner, "x", "bakery").await;
        history(&app, &owner, &mastodon, &x, 60, 0).await;
        let (_, body) = app
            .post(&format!("{ai}/optimize"), Some(&owner.access), draft)
            .await;
        assert_eq!(
            (
                body["historyPosts"].clone(),
                body["prediction"]["source"].clone()
            ),
            (json!(60), json!("workspace_model")),
            "{body}"
        );
        let suggestions = body["suggestions"].as_array().unwrap();
        let question = suggestions
            .iter()
            .find(|s| s["kind"] == "question")
            .unwrap();
        assert_eq!(
            question["expectedEffect"]["source"], "workspace_model",
            "{question}"
        );
        assert!(
            question["expectedEffect"]["change"].as_f64().unwrap() > 0.15,
            "the history rewards questions (×1.4): {question}"
        );
        assert!(
            suggestions
                .iter()
                .all(|s| s["what"].is_string() && s["why"].is_string()),
            "{body}"
        );
        assert!(
            suggestions.iter().any(|s| s["kind"] == "call_to_action"),
            "{body}"
        );

        let (status, body) = app
            .post(
                &format!("{ai}/optimize"),
                Some(&owner.access),
                json!({ "text": "word ".repeat(120), "network": "x" }),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            body["suggestions"][0]["kind"], "validation",
            "over X's limit comes first: {body}"
        );
    }
);
