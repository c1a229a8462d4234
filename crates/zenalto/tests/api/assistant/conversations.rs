//! Conversations: created with a valid zone, listed and read back only by their owner, with
//! the stored history; deleted.

use super::{base, conversation, say};
use zenalto_testkit::{StatusCode, TestApp, both_backends, expect_error, json};

both_backends!(assistant_conversations_keep_history_per_person, |app: TestApp| async move {
    let owner = app.signed_in("assist-conv@example.org").await;
    let teammate = app.member(&owner, "assist-conv-mate@example.org", "editor").await;
    app.sandbox_account(&owner, "bakery").await;

    let (status, body) = app.post(&format!("{}/conversations", base(&owner)), Some(&owner.access), json!({ "timeZone": "Mars/Olympus" })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "unknown zone");
    assert!(body["error"]["details"]["timeZone"].is_string(), "{body}");

    let id = conversation(&app, &owner).await;
    let reply = say(&app, &owner, &id, "show my accounts").await;
    assert!(reply["text"].as_str().unwrap().contains("@bakery"), "{reply}");
    assert_eq!(reply["engine"], "local");

    let (status, body) = app.post(&format!("{}/conversations/{id}/messages", base(&owner)), Some(&owner.access), json!({ "text": "  " })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "empty message");

    let (status, body) = app.get(&format!("{}/conversations/{id}", base(&owner)), &owner.access).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["title"], "show my accounts", "titled by the first request: {body}");
    assert_eq!(body["timeZone"], "Europe/Berlin");
    let roles: Vec<&str> = body["messages"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["user", "tool", "assistant"], "{body}");
    assert_eq!(body["messages"][1]["data"]["tool"], "list_accounts", "{body}");

    // A teammate sees neither the conversation nor its list entry.
    let (status, body) = app.get(&format!("{}/conversations/{id}", base(&teammate)), &teammate.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "another person's conversation");
    let (_, list) = app.get(&format!("{}/conversations", base(&teammate)), &teammate.access).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 0, "{list}");
    let (_, list) = app.get(&format!("{}/conversations", base(&owner)), &owner.access).await;
    assert_eq!(list["items"][0]["id"], id.as_str(), "{list}");

    let (status, _) = app.delete(&format!("{}/conversations/{id}", base(&owner)), &owner.access).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.get(&format!("{}/conversations/{id}", base(&owner)), &owner.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "deleted");

    let (status, tools) = app.get(&format!("{}/tools", base(&teammate)), &teammate.access).await;
    assert_eq!(status, StatusCode::OK);
    let schedule = tools["items"].as_array().unwrap().iter().find(|t| t["name"] == "schedule_post").unwrap().clone();
    assert_eq!(
        (schedule["permission"].clone(), schedule["confirmation"].clone(), schedule["allowed"].clone()),
        (json!("post:publish"), json!("always"), json!(false)),
        "{schedule}"
    );
    assert_eq!(schedule["inputSchema"]["required"], json!(["postId", "localTime"]));
});
