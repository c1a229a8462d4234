//! The performance model over the API on both backends: trained from published posts with
//! figures (written straight into the store here: the sandbox reports no figures), predictions
//! and their labelled fallbacks, the retraining round, permissions, input and tenancy. Best
//! times and optimize are in `ai_timing.rs`, using the helpers here.

use serde_json::Value;
use zenalto_domain::{AccountId, PostId, TargetId, Timestamp, WorkspaceId};
use zenalto_store::repo::metrics::{self, PostFigures};
use zenalto_testkit::{Account, StatusCode, TestApp, both_backends, json};

pub(super) fn expect_error(status: StatusCode, body: &Value, want: StatusCode, code: &str) {
    zenalto_testkit::expect_error(status, body, want, code, "");
}

pub(super) fn field(body: &Value) -> String {
    body["error"]["details"].to_string()
}

/// 2026-11-03 (a Tuesday) 00:00 UTC, in milliseconds.
const TUESDAY: i64 = 1_793_664_000_000;
/// 2027-03-09 (a Tuesday) 00:00 UTC: it and the twelve weeks before are all winter time in Berlin.
pub(super) const WINTER_TUESDAY: i64 = 1_804_550_400_000;
pub(super) const HOUR: i64 = 3_600_000;

/// A published post on `account` at `at` with `likes` (and one comment), as the metrics round
/// would leave it.
pub(super) async fn published(
    app: &TestApp,
    owner: &Account,
    account: &str,
    network: &str,
    text: &str,
    at: i64,
    likes: i64,
) {
    let workspace: WorkspaceId = owner.workspace_id.parse().unwrap();
    let (post, target) = (PostId::new(), TargetId::new());
    let account_id: AccountId = account.parse().unwrap();
    let mut tx = app.services.db.begin().await.unwrap();
    sqlx::query("INSERT INTO posts (id, workspace_id, status, content, created_at, updated_at) VALUES ($1, $2, 'published', $3, $4, $4)")
        .bind(post.to_string())
        .bind(workspace.to_string())
        .bind(json!({ "text": text }).to_string())
        .bind(at)
        .execute(&mut *tx)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO post_targets (id, workspace_id, post_id, account_id, network, status, platform_post_id, published_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'published', $6, $7, $7, $7)",
    )
    .bind(target.to_string())
    .bind(workspace.to_string())
    .bind(post.to_string())
    .bind(account)
    .bind(network)
    .bind(format!("p-{target}"))
    .bind(at)
    .execute(&mut *tx)
    .await
    .unwrap();
    let figures = PostFigures {
        likes: Some(likes),
        comments: Some(1),
        ..PostFigures::default()
    };
    metrics::upsert_post(
        &mut tx,
        workspace,
        target,
        account_id,
        &figures,
        Timestamp::from_millis(at + HOUR),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
}

/// `n` posts over `n` days at varying hours: 20 likes, ×1.4 with a question, ×2 at 18:00 UTC,
/// ×0.5 on X — with a small deterministic wobble so nothing is exactly collinear.
pub(super) async fn history(app: &TestApp, owner: &Account, mastodon: &str, x: &str, n: usize, from: usize) {
    for i in from..from + n {
        let question = i % 3 == 0;
        let hour = [9, 12, 18, 21, 7][i % 5] as i64;
        let on_x = i % 4 == 1;
        let mut likes = 20.0
            * if question { 1.4 } else { 1.0 }
            * if hour == 18 { 2.0 } else { 1.0 }
            * if on_x { 0.5 } else { 1.0 };
        likes *= 1.0 + 0.1 * (((i * 7) % 5) as f64 - 2.0) / 2.0;
        let text = format!(
            "Bakery note {i}: fresh loaves today{}",
            if question {
                ". Which one is your favourite?"
            } else {
                "."
            }
        );
        let (account, network) = if on_x {
            (x, "x")
        } else {
            (mastodon, "mastodon")
        };
        published(
            app,
            owner,
            account,
            network,
            &text,
            TUESDAY - (i as i64) * 24 * HOUR + hour * HOUR,
            likes.round() as i64,
        )
        .await;
    }
}

both_backends!(
    ai_model_trains_from_published_figures_and_predicts_with_an_interval,
    |app: TestApp| async move {
        let owner = app.signed_in("model-owner@example.org").await;
        let mastodon = app.fixture_account(&owner, "mastodon", "bakery").await;
        let x = app.fixture_account(&owner, "x", "bakery").await;
        let ai = format!("/api/v1/workspaces/{}/ai", owner.workspace_id);
        let predict = |text: &str, at: &str| json!({ "text": text, "network": "mastodon", "scheduledAt": at });

        let (status, body) = app
            .get(&format!("{ai}/models/performance"), &owner.access)
            .await;
        assert_eq!(
            (status, body["trained"].clone(), body["minSamples"].clone()),
            (StatusCode::OK, json!(false), json!(30)),
            "{body}"
        );
        let (status, body) = app
            .post(
                &format!("{ai}/predict"),
                Some(&owner.access),
                predict("Hello", "2026-12-08T18:00:00Z"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (
                body["source"].clone(),
                body["expected"].clone(),
                body["confidence"].clone()
            ),
            (json!("none"), json!(null), json!(0.0)),
            "no data, no number: {body}"
        );

        // Thin data: the workspace's own median, labelled, with low confidence; no model yet.
        history(&app, &owner, &mastodon, &x, 10, 0).await;
        let (_, body) = app
            .post(
                &format!("{ai}/predict"),
                Some(&owner.access),
                predict("Hello", "2026-12-08T18:00:00Z"),
            )
            .await;
        assert_eq!(
            (body["source"].clone(), body["confidenceLabel"].clone()),
            (json!("workspace_network_median"), json!("low")),
            "{body}"
        );
        assert!(
            body["note"]
                .as_str()
                .unwrap()
                .contains("not a learnt prediction"),
            "{body}"
        );
        assert!(
            body["confidence"].as_f64().unwrap() <= 0.2 && body["expected"].as_f64().unwrap() > 0.0,
            "{body}"
        );
        let (status, body) = app
            .post(
                &format!("{ai}/models/performance/train"),
                Some(&owner.access),
                json!({}),
            )
            .await;
        expect_error(
            status,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        );
        assert!(field(&body).contains("samples"), "{body}");

        // Enough history: a model that beats the workspace mean on held-out posts.
        history(&app, &owner, &mastodon, &x, 70, 10).await;
        let (status, body) = app
            .post(
                &format!("{ai}/models/performance/train"),
                Some(&owner.access),
                json!({}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            (body["trained"].clone(), body["samples"].clone()),
            (json!(true), json!(80)),
            "{body}"
        );
        let cv = &body["crossValidation"];
        assert_eq!(cv["folds"], 5, "{body}");
        assert!(
            cv["model"]["r2"].as_f64().unwrap() > 0.5
                && cv["baseline"]["r2"].as_f64().unwrap() <= 0.0,
            "{cv}"
        );
        assert!(
            cv["model"]["mae"].as_f64().unwrap() < cv["baseline"]["mae"].as_f64().unwrap(),
            "{cv}"
        );
        let (_, shown) = app
            .get(&format!("{ai}/models/performance"), &owner.access)
            .await;
        assert_eq!(
            (
                shown["trained"].clone(),
                shown["samples"].clone(),
                shown["trainedAt"].is_string()
            ),
            (json!(true), json!(80), true),
            "{shown}"
        );

        let evening = "Fresh loaves today. Which one is your favourite?";
        let (_, good) = app
            .post(
                &format!("{ai}/predict"),
                Some(&owner.access),
                predict(evening, "2026-12-08T18:00:00Z"),
            )
            .await;
        let (_, plain) = app
            .post(
                &format!("{ai}/predict"),
                Some(&owner.access),
                predict("Fresh loaves today.", "2026-12-08T09:00:00Z"),
            )
            .await;
        assert_eq!(good["source"], "workspace_model", "{good}");
        let (g, p) = (
            good["expected"].as_f64().unwrap(),
            plain["expected"].as_f64().unwrap(),
        );
        assert!(
            g > 2.0 * p,
            "a question at 18:00 against none at 09:00 (×2.8 in the history): {g} vs {p}"
        );
        assert!(
            good["low"].as_f64().unwrap() <= g && g <= good["high"].as_f64().unwrap(),
            "{good}"
        );
        assert!(good["confidence"].as_f64().unwrap() > 0.3, "{good}");
        // The network can come from the account; X posts did half as well in the history.
        let by_account = |account: &str| json!({ "text": evening, "accountId": account, "scheduledAt": "2026-12-08T18:00:00Z" });
        let (status, on_x) = app.post(&format!("{ai}/predict"), Some(&owner.access), by_account(&x)).await;
        assert_eq!((status, on_x["network"].clone()), (StatusCode::OK, json!("x")), "{on_x}");
        let ratio = on_x["expected"].as_f64().unwrap() / g;
        assert!((0.35..0.7).contains(&ratio), "X against Mastodon ×{ratio} (×0.5 in the history)");

        // The scheduled round: nothing due right after training, due once figures grew.
        assert_eq!(app.services.retrain_due_models().await.unwrap(), 0);
        history(&app, &owner, &mastodon, &x, 10, 80).await;
        assert_eq!(app.services.retrain_due_models().await.unwrap(), 1);
        let (_, shown) = app
            .get(&format!("{ai}/models/performance"), &owner.access)
            .await;
        assert_eq!(shown["samples"], 90, "{shown}");
    }
);

both_backends!(
    ai_model_routes_check_permissions_input_and_tenancy,
    |app: TestApp| async move {
        let owner = app.signed_in("model-perm@example.org").await;
        let ai = format!("/api/v1/workspaces/{}/ai", owner.workspace_id);
        let (status, created) = app
            .post(
                &format!("/api/v1/workspaces/{}/api-keys", owner.workspace_id),
                Some(&owner.access),
                json!({ "name": "writer", "scopes": ["post:read"] }),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let key = created["secret"].as_str().unwrap().to_owned();
        let (status, body) = app
            .post(
                &format!("{ai}/models/performance/train"),
                Some(&key),
                json!({}),
            )
            .await;
        expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
        let (status, body) = app.get(&format!("{ai}/models/performance"), &key).await;
        expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");

        for (input, name) in [
            (json!({ "text": "hi", "network": "myspace" }), "network"),
            (json!({ "text": "hi" }), "network"),
            (json!({ "text": " ", "network": "x" }), "text"),
            (
                json!({ "text": "hi", "network": "x", "scheduledAt": "tomorrow" }),
                "scheduledAt",
            ),
            (json!({ "text": "hi", "network": "x", "mediaIds": ["not-ours"] }), "mediaIds"),
        ] {
            let (status, body) = app
                .post(&format!("{ai}/predict"), Some(&owner.access), input)
                .await;
            expect_error(
                status,
                &body,
                StatusCode::UNPROCESSABLE_ENTITY,
                "VALIDATION_ERROR",
            );
            assert!(field(&body).contains(name), "{name}: {body}");
        }
        let (status, body) = app
            .post(
                &format!("{ai}/optimize"),
                Some(&owner.access),
                json!({ "text": "hi", "network": "myspace" }),
            )
            .await;
        expect_error(
            status,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        );

        // Another workspace's account is not found, for predictions and best times alike.
        let other = app.signed_in("model-other@example.org").await;
        let foreign = app.fixture_account(&other, "mastodon", "elsewhere").await;
        let (status, body) = app
            .post(
                &format!("{ai}/predict"),
                Some(&owner.access),
                json!({ "text": "hi", "accountId": foreign }),
            )
            .await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
        let (status, body) = app
            .get(
                &format!(
                    "/api/v1/workspaces/{}/accounts/{foreign}/best-times",
                    owner.workspace_id
                ),
                &owner.access,
            )
            .await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
        let (status, body) = app
            .get(
                &format!(
                    "/api/v1/workspaces/{}/ai/models/performance",
                    owner.workspace_id
                ),
                &other.access,
            )
            .await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    }
);
