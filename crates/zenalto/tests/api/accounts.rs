//! Sign-up, e-mail verification, login and refresh-token rotation.

use zenalto_testkit::{StatusCode, both_backends, json};

both_backends!(register_verify_and_read_me, |app: zenalto_testkit::TestApp| async move {
    let account = app.signed_in("ada@example.org").await;
    let (status, me) = app.get("/api/v1/me", &account.access).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["email"], "ada@example.org");
    assert_eq!(me["user"]["emailVerified"], true);
    assert_eq!(me["workspaces"][0]["role"], "owner");
    assert_eq!(me["workspaces"][0]["id"], account.workspace_id.as_str());
});

both_backends!(reused_refresh_token_revokes_the_family, |app: zenalto_testkit::TestApp| async move {
    let account = app.signed_in("bob@example.org").await;
    let (status, first) = app.post("/api/v1/auth/refresh", None, json!({ "refreshToken": account.refresh })).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    // The spent token again: refused, and the whole session dies with it.
    let (status, body) = app.post("/api/v1/auth/refresh", None, json!({ "refreshToken": account.refresh })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "INVALID_TOKEN");
    let (status, _) = app.post("/api/v1/auth/refresh", None, json!({ "refreshToken": first["refreshToken"] })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the rotated token belongs to the revoked family");
    let (status, body) = app.get("/api/v1/me", first["accessToken"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "access tokens of the family stop working too: {body}");
});
