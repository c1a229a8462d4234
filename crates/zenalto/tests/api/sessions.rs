//! Listing and revoking one's own sessions.

use zenalto_testkit::{StatusCode, TestApp, Value, both_backends};

both_backends!(sessions_are_listed_and_revocable, |app: TestApp| async move {
    let account = app.signed_in("sessions@example.org").await;
    let (status, laptop) = app.login(&account.email, &account.password).await;
    assert_eq!(status, StatusCode::OK);
    let laptop_access = laptop["accessToken"].as_str().unwrap();

    let (status, list) = app.get("/api/v1/me/sessions", &account.access).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items.iter().filter(|s| s["current"] == Value::Bool(true)).count(), 1);
    assert!(items.iter().all(|s| s["ip"] == "127.0.0.1"));
    let other = items.iter().find(|s| s["current"] == Value::Bool(false)).unwrap()["id"].as_str().unwrap().to_owned();

    let (status, _) = app.call(reqwest::Method::DELETE, &format!("/api/v1/me/sessions/{other}"), Some(&account.access), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.get("/api/v1/me", laptop_access).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the revoked session's tokens stop working");
    let (status, _) = app.call(reqwest::Method::DELETE, &format!("/api/v1/me/sessions/{other}"), Some(&account.access), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "already revoked");

    // Another user's session id is simply not found; a malformed id too.
    let stranger = app.signed_in("stranger@example.org").await;
    let (_, theirs) = app.get("/api/v1/me/sessions", &stranger.access).await;
    let theirs = theirs["items"][0]["id"].as_str().unwrap().to_owned();
    let (status, body) = app.call(reqwest::Method::DELETE, &format!("/api/v1/me/sessions/{theirs}"), Some(&account.access), None).await;
    assert_eq!((status, body["error"]["code"].as_str().unwrap()), (StatusCode::NOT_FOUND, "NOT_FOUND"));
    let (status, _) = app.get("/api/v1/me", &stranger.access).await;
    assert_eq!(status, StatusCode::OK, "the stranger's session is untouched");
    let (status, _) = app.call(reqwest::Method::DELETE, "/api/v1/me/sessions/not-a-uuid", Some(&account.access), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
});

both_backends!(account_activity_lists_security_events, |app: TestApp| async move {
    let account = app.signed_in("activity@example.org").await;
    app.login(&account.email, "wrong password!").await;
    app.login(&account.email, &account.password).await;
    let (status, page) = app.get("/api/v1/me/activity", &account.access).await;
    assert_eq!(status, StatusCode::OK);
    let actions: Vec<&str> = page["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["auth.login", "auth.login_failed", "auth.email_verified", "auth.register"], "newest first");
});
