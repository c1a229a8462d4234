use super::*;
use zenalto_testkit::both_backends;

both_backends!(profile_defaults_validation_permissions_and_isolation, |app: TestApp| async move {
    let owner = app.signed_in("profile-owner@example.org").await;
    let viewer = app.member(&owner, "profile-viewer@example.org", "viewer").await;
    let editor = app.member(&owner, "profile-editor@example.org", "editor").await;
    let account = app.sandbox_account(&owner, "bakery").await;
    let path = format!("/api/v1/workspaces/{}/accounts/{account}/profile", owner.workspace_id);

    let (status, body) = app.get(&path, &viewer.access).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["postsPerWeek"], 3, "defaults until saved: {body}");
    assert_eq!(body["tone"], "friendly");
    assert!(body["updatedAt"].is_null());

    let profile = json!({
        "goals": "Sell more weekend pastries", "audience": "Neighbours and commuters", "topics": ["sourdough", "croissants"],
        "currentProjects": ["Saturday croissant box"], "postsPerWeek": 4, "tone": "playful", "timeZone": "Europe/Berlin", "autofill": true
    });
    let (status, body) = app.put(&path, &editor.access, profile.clone()).await;
    assert_eq!(status, StatusCode::OK, "editors plan content: {body}");
    let (_, body) = app.get(&path, &owner.access).await;
    assert_eq!(body["topics"], json!(["sourdough", "croissants"]));
    assert_eq!(body["currentProjects"], json!(["Saturday croissant box"]));
    assert_eq!(body["postsPerWeek"], 4);
    assert_eq!(body["autofill"], true);
    assert_eq!(body["timeZone"], "Europe/Berlin");
    assert!(body["updatedAt"].is_string());

    let (status, body) = app.put(&path, &viewer.access, profile.clone()).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");

    let too_many: Vec<String> = (0..21).map(|i| format!("topic {i}")).collect();
    let cases = [
        (json!({ "postsPerWeek": 51, "tone": "friendly" }), "postsPerWeek"),
        (json!({ "postsPerWeek": -1, "tone": "friendly" }), "postsPerWeek"),
        (json!({ "postsPerWeek": 3, "tone": "sarcastic" }), "tone"),
        (json!({ "postsPerWeek": 3, "tone": "friendly", "topics": too_many }), "topics"),
        (json!({ "postsPerWeek": 3, "tone": "friendly", "topics": [" "] }), "topics"),
        (json!({ "postsPerWeek": 3, "tone": "friendly", "goals": "x".repeat(1001) }), "goals"),
        (json!({ "postsPerWeek": 3, "tone": "friendly", "timeZone": "Mars/Olympus" }), "timeZone"),
        (json!({ "postsPerWeek": 0, "tone": "friendly", "goals": "sell", "autofill": true }), "autofill"),
    ];
    for (input, field) in cases {
        let (status, body) = app.put(&path, &owner.access, input.clone()).await;
        expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
        assert!(body["error"]["details"].to_string().contains(field), "{input} → {body}");
    }

    // Another workspace's account, or no account at all: 404.
    let other = app.signed_in("profile-other@example.org").await;
    let foreign = format!("/api/v1/workspaces/{}/accounts/{account}/profile", other.workspace_id);
    let (status, body) = app.get(&foreign, &other.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    let (status, body) = app.put(&foreign, &other.access, profile).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    let (status, body) = app.get(&path, &other.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
    let (status, body) = app.get(&format!("/api/v1/workspaces/{}/accounts/not-an-id/profile", owner.workspace_id), &owner.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
});
