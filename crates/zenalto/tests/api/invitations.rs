//! Invitations: who may invite whom, accepting, expiry, revocation.

use reqwest::Method;
use zenalto_testkit::{StatusCode, TestApp, both_backends, json};

fn code_of(body: &zenalto_testkit::Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

both_backends!(an_invitation_is_accepted_once_by_the_invited_address, |app: TestApp| async move {
    let owner = app.signed_in("host@example.org").await;
    let path = format!("/api/v1/workspaces/{}/invitations", owner.workspace_id);
    let (status, invitation) = app.post(&path, Some(&owner.access), json!({ "email": "Guest@Example.org", "role": "editor" })).await;
    assert_eq!(status, StatusCode::CREATED, "{invitation}");
    assert_eq!(invitation["email"], "guest@example.org");
    assert_eq!(invitation["role"], "editor");
    let mail = app.last_mail("guest@example.org").await;
    assert!(mail.subject.contains("invited you"), "{}", mail.subject);
    let token = app.invitation_token("guest@example.org").await;

    let intruder = app.signed_in("intruder@example.org").await;
    let (status, body) = app.post("/api/v1/invitations/accept", Some(&intruder.access), json!({ "token": token })).await;
    assert_eq!((status, code_of(&body)), (StatusCode::FORBIDDEN, "FORBIDDEN"), "only the invited address may accept");

    let guest = app.signed_in("guest@example.org").await;
    let (status, joined) = app.post("/api/v1/invitations/accept", Some(&guest.access), json!({ "token": token })).await;
    assert_eq!(status, StatusCode::OK, "{joined}");
    assert_eq!(joined["id"], owner.workspace_id.as_str());
    assert_eq!(joined["role"], "editor");
    let (status, body) = app.post("/api/v1/invitations/accept", Some(&guest.access), json!({ "token": token })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = app.post("/api/v1/invitations/accept", Some(&guest.access), json!({ "token": "no-such-token" })).await;
    assert_eq!((status, code_of(&body)), (StatusCode::NOT_FOUND, "NOT_FOUND"));

    let (status, body) = app.post(&path, Some(&owner.access), json!({ "email": "guest@example.org", "role": "viewer" })).await;
    assert_eq!((status, code_of(&body)), (StatusCode::CONFLICT, "CONFLICT"), "already a member");
    let (status, body) = app.post(&path, Some(&owner.access), json!({ "email": "nope", "role": "viewer" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["details"]["email"].is_string());
});

both_backends!(invitations_expire_and_can_be_revoked, |app: TestApp| async move {
    let owner = app.signed_in("host2@example.org").await;
    let path = format!("/api/v1/workspaces/{}/invitations", owner.workspace_id);
    app.post(&path, Some(&owner.access), json!({ "email": "late@example.org", "role": "viewer" })).await;
    let late_token = app.invitation_token("late@example.org").await;
    let (_, revoked) = app.post(&path, Some(&owner.access), json!({ "email": "gone@example.org", "role": "viewer" })).await;
    let gone_token = app.invitation_token("gone@example.org").await;

    let (_, list) = app.get(&path, &owner.access).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 2);
    let (status, _) = app.call(Method::DELETE, &format!("{path}/{}", revoked["id"].as_str().unwrap()), Some(&owner.access), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, list) = app.get(&path, &owner.access).await;
    assert_eq!(list["items"].as_array().unwrap().len(), 1, "revoked invitations leave the open list");
    let gone = app.signed_in("gone@example.org").await;
    let (status, _) = app.post("/api/v1/invitations/accept", Some(&gone.access), json!({ "token": gone_token })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let late = app.signed_in("late@example.org").await;
    app.clock.advance_secs(7 * 86_400 + 1);
    let (_, session) = app.login(&late.email, &late.password).await;
    let access = session["accessToken"].as_str().unwrap();
    let (status, body) = app.post("/api/v1/invitations/accept", Some(access), json!({ "token": late_token })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["token"], "this invitation has expired; ask for a new one");
});

both_backends!(nobody_invites_above_their_own_role, |app: TestApp| async move {
    let owner = app.signed_in("host3@example.org").await;
    let manager = app.member(&owner, "m3@example.org", "manager").await;
    let editor = app.member(&owner, "e3@example.org", "editor").await;
    let path = format!("/api/v1/workspaces/{}/invitations", owner.workspace_id);
    let (status, _) = app.post(&path, Some(&manager.access), json!({ "email": "x@example.org", "role": "viewer" })).await;
    assert_eq!(status, StatusCode::CREATED, "managers invite viewers");
    let (status, body) = app.post(&path, Some(&manager.access), json!({ "email": "y@example.org", "role": "admin" })).await;
    assert_eq!((status, code_of(&body)), (StatusCode::FORBIDDEN, "FORBIDDEN"));
    let (status, _) = app.post(&path, Some(&editor.access), json!({ "email": "z@example.org", "role": "viewer" })).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "editors cannot invite");
    let (status, _) = app.get(&path, &editor.access).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
});
