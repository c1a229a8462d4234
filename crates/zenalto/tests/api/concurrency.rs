//! Concurrent writers: on SQLite every write goes through one writer connection, so bursts of
//! writes queue instead of failing with "database is locked"; PostgreSQL takes them in parallel.

use reqwest::Method;
use zenalto_testkit::{StatusCode, TestApp, both_backends, json};

both_backends!(bursts_of_concurrent_writes_all_succeed, |app: TestApp| async move {
    let account = app.signed_in("burst@example.org").await;
    let app = std::sync::Arc::new(app);
    let mut tasks = Vec::new();
    for n in 0..64 {
        let (app, token, workspace) = (app.clone(), account.access.clone(), account.workspace_id.clone());
        tasks.push(tokio::spawn(async move {
            let path = format!("/api/v1/workspaces/{workspace}");
            app.call(Method::PATCH, &path, Some(&token), Some(json!({ "name": format!("Burst {n}") }))).await
        }));
    }
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let (_, log) = app.get(&format!("/api/v1/workspaces/{}/audit-log?action=workspace.update&limit=200", account.workspace_id), &account.access).await;
    assert_eq!(log["items"].as_array().unwrap().len(), 64, "every write and its audit row landed");
});
