//! The prompt template library over the API on both backends: built-ins, the workspace's own
//! templates (create, read, update, delete; who may), strict rendering, and drafts generated
//! from a template by the local engine and by a provider (the OpenAI fake).

use serde_json::Value;
use zenalto_testkit::{StatusCode, TestApp, both_backends, json};

fn expect_error(status: StatusCode, body: &Value, want: StatusCode, code: &str) {
    zenalto_testkit::expect_error(status, body, want, code, "");
}

fn field(body: &Value) -> String {
    body["error"]["details"].to_string()
}

both_backends!(
    ai_template_library_renders_and_keeps_the_workspaces_own,
    |app: TestApp| async move {
        let owner = app.signed_in("tpl-owner@example.org").await;
        let viewer = app.member(&owner, "tpl-viewer@example.org", "viewer").await;
        let base = format!("/api/v1/workspaces/{}/ai/templates", owner.workspace_id);

        let (status, body) = app.get(&base, &viewer.access).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let ids: Vec<&str> = body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_str().unwrap())
            .collect();
        for id in [
            "promotional",
            "educational",
            "storytelling",
            "engagement",
            "announcement",
            "behind_the_scenes",
        ] {
            assert!(ids.contains(&id), "{id} in {ids:?}");
        }

        let values = json!({ "variables": { "product": "Oat latte", "benefit": "creamy without dairy", "callToAction": "x" } });
        let (status, body) = app
            .post(
                &format!("{base}/promotional/render"),
                Some(&viewer.access),
                values,
            )
            .await;
        expect_error(
            status,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        );
        assert!(
            field(&body).contains("variables.callToAction"),
            "the unknown variable is named: {body}"
        );
        let (status, body) = app
            .post(
                &format!("{base}/promotional/render"),
                Some(&viewer.access),
                json!({ "variables": { "product": "Oat latte" } }),
            )
            .await;
        expect_error(
            status,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        );
        assert!(
            field(&body).contains("variables.benefit"),
            "the missing variable is named: {body}"
        );
        let values = json!({ "variables": { "product": "Oat latte", "benefit": "creamy without dairy", "call_to_action": "Try one this week." } });
        let (status, body) = app
            .post(
                &format!("{base}/promotional/render"),
                Some(&viewer.access),
                values,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            body["text"], "Oat latte: creamy without dairy.\n\nTry one this week.",
            "{body}"
        );

        let own = json!({
            "name": "Weekly special", "category": "promotional", "instructions": "Mention the day.",
            "body": "This {{day}}: {{dish}}! {{note}}",
            "variables": [{ "name": "day", "description": "Weekday" }, { "name": "dish", "description": "The dish" }, { "name": "note", "description": "Extra", "required": false }]
        });
        let (status, body) = app.post(&base, Some(&viewer.access), own.clone()).await;
        expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
        let (status, created) = app.post(&base, Some(&owner.access), own.clone()).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_str().unwrap().to_owned();
        assert_eq!(
            (
                created["builtin"].clone(),
                created["variables"][2]["required"].clone()
            ),
            (json!(false), json!(false)),
            "{created}"
        );
        let (_, body) = app
            .post(
                &format!("{base}/{id}/render"),
                Some(&viewer.access),
                json!({ "variables": { "day": "Friday", "dish": "fish pie" } }),
            )
            .await;
        assert_eq!(
            body["text"], "This Friday: fish pie!",
            "the unset optional variable leaves no trace: {body}"
        );

        let mut undeclared = own.clone();
        undeclared["body"] = json!("This {{day}}: {{price}}");
        let (status, body) = app.post(&base, Some(&owner.access), undeclared).await;
        expect_error(
            status,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        );
        assert!(
            field(&body).contains("body") && body["error"]["details"].to_string().contains("price"),
            "{body}"
        );

        let mut renamed = own.clone();
        renamed["name"] = json!("Friday special");
        let (status, body) = app
            .call(
                reqwest::Method::PUT,
                &format!("{base}/{id}"),
                Some(&owner.access),
                Some(renamed),
            )
            .await;
        assert_eq!(
            (status, body["name"].clone()),
            (StatusCode::OK, json!("Friday special")),
            "{body}"
        );
        let (status, body) = app
            .call(
                reqwest::Method::PUT,
                &format!("{base}/promotional"),
                Some(&owner.access),
                Some(own.clone()),
            )
            .await;
        expect_error(
            status,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        );

        // Another workspace sees neither the template nor a way to change it.
        let other = app.signed_in("tpl-other@example.org").await;
        let foreign = format!(
            "/api/v1/workspaces/{}/ai/templates/{id}",
            other.workspace_id
        );
        let (status, body) = app.get(&foreign, &other.access).await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
        let (status, _) = app
            .call(reqwest::Method::DELETE, &foreign, Some(&other.access), None)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        let (status, _) = app
            .call(
                reqwest::Method::DELETE,
                &format!("{base}/{id}"),
                Some(&owner.access),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, body) = app.get(&format!("{base}/{id}"), &owner.access).await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
        let (_, audit) = app
            .get(
                &format!("/api/v1/workspaces/{}/audit-log", owner.workspace_id),
                &owner.access,
            )
            .await;
        assert!(audit.to_string().contains("ai.template.delete"), "{audit}");
    }
);

both_backends!(
    ai_template_generate_writes_validated_drafts_locally_and_through_a_provider,
    |app: TestApp| async move {
        let owner = app.signed_in("tpl-gen@example.org").await;
        let viewer = app
            .member(&owner, "tpl-gen-viewer@example.org", "viewer")
            .await;
        let ai = format!("/api/v1/workspaces/{}/ai", owner.workspace_id);
        let account = app.sandbox_account(&owner, "cafe").await;
        app.draft(
            &owner,
            "Our oat latte is back #oatlatte #coffee",
            &[&account],
        )
        .await;
        let request = json!({ "variables": { "news": "Our café opens on Sundays", "date": "5 December" }, "networks": ["x", "linkedin"], "variations": 3 });

        let (status, body) = app
            .post(
                &format!("{ai}/templates/announcement/generate"),
                Some(&viewer.access),
                request.clone(),
            )
            .await;
        expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
        let (status, body) = app
            .post(
                &format!("{ai}/templates/announcement/generate"),
                Some(&owner.access),
                json!({ "variables": {}, "networks": ["x"] }),
            )
            .await;
        expect_error(
            status,
            &body,
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION_ERROR",
        );
        assert!(field(&body).contains("variables.news"), "{body}");

        let (status, body) = app
            .post(
                &format!("{ai}/templates/announcement/generate"),
                Some(&owner.access),
                request.clone(),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["engine"], "local", "{body}");
        for network in body["networks"].as_array().unwrap() {
            let variations = network["variations"].as_array().unwrap();
            assert!(!variations.is_empty() && variations.len() <= 3, "{network}");
            for v in variations {
                let text = v["fitted"]["text"].as_str().unwrap();
                assert!(
                    text.contains("Sundays") && text.contains("5 December"),
                    "the filled template: {v}"
                );
                assert!(
                    v["fitted"]["report"]["issues"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .all(|i| i["severity"] != "error"),
                    "validated: {v}"
                );
            }
        }

        let openai = zenalto_testkit::ai::openai::spawn().await;
        let settings = json!({ "providers": [{ "kind": "openai", "baseUrl": openai.base_url, "model": "gpt-test", "apiKey": zenalto_testkit::ai::KEY }] });
        let (status, _) = app
            .call(
                reqwest::Method::PUT,
                &format!("{ai}/settings"),
                Some(&owner.access),
                Some(settings),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, body) = app
            .post(
                &format!("{ai}/templates/announcement/generate"),
                Some(&owner.access),
                request,
            )
            .await;
        assert_eq!(
            (status, body["engine"].clone()),
            (StatusCode::OK, json!("openai")),
            "{body}"
        );
        let sent = openai.last_request().to_string();
        assert!(
            sent.contains("Our café opens on Sundays, from 5 December.")
                && sent.contains("Say what is new"),
            "the filled template and its instructions reach the provider: {sent}"
        );
        assert!(
            body["networks"][0]["variations"][0]["fitted"]["report"]["issues"].is_array(),
            "{body}"
        );
    }
);
