//! Invitations: who may invite whom, accepting, expiry, revocation.

use std::sync::Arc;

use reqwest::Method;
use zenalto_testkit::{expect_error, items, StatusCode, TestApp, Value, both_backends, json};

const ACCEPT: &str = "/api/v1/invitations/accept";

fn millis(rfc3339: &Value) -> i64 {
    zenalto_domain::Timestamp::parse_rfc3339(rfc3339.as_str().expect("a timestamp")).expect("RFC 3339").as_millis()
}

both_backends!(an_invitation_is_accepted_once_by_the_invited_address, |app: TestApp| async move {
    let owner = app.signed_in("host@example.org").await;
    let path = format!("/api/v1/workspaces/{}/invitations", owner.workspace_id);
    let (status, invitation) = app.post(&path, Some(&owner.access), json!({ "email": " Guest@Example.org ", "role": "editor" })).await;
    assert_eq!(status, StatusCode::CREATED, "{invitation}");
    assert_eq!(invitation["email"], "guest@example.org", "addresses are normalised");
    assert_eq!(invitation["role"], "editor");
    assert_eq!(millis(&invitation["expiresAt"]) - millis(&invitation["createdAt"]), 7 * 86_400_000, "valid for 7 days");

    let mail = app.last_mail("guest@example.org").await;
    assert_eq!(mail.subject, "Test User invited you to Test User's workspace on Zenalto");
    assert!(mail.body.contains("as editor"), "{}", mail.body);
    assert!(mail.body.contains("/invite?token="), "{}", mail.body);
    let token = app.invitation_token("guest@example.org").await;
    assert!(token.len() >= 20, "a long random token: {token}");
    assert!(!invitation.to_string().contains(&token), "the token travels only by mail");
    let (_, open) = app.get(&path, &owner.access).await;
    assert!(!open.to_string().contains(&token), "nor in the list");
    assert_eq!(items(&open).len(), 1);
    assert_eq!(items(&open)[0]["id"], invitation["id"]);
    assert_eq!(items(&open)[0]["email"], "guest@example.org");

    let (status, body) = app.call(Method::POST, ACCEPT, None, Some(json!({ "token": token }))).await;
    expect_error(status, &body, StatusCode::UNAUTHORIZED, "UNAUTHORIZED", "accepting needs a sign-in");
    let intruder = app.signed_in("intruder@example.org").await;
    let (status, body) = app.post(ACCEPT, Some(&intruder.access), json!({ "token": token })).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "only the invited address may accept");
    let (status, body) = app.get(&format!("/api/v1/workspaces/{}", owner.workspace_id), &intruder.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "the intruder did not join");
    let (_, open) = app.get(&path, &owner.access).await;
    assert_eq!(items(&open).len(), 1, "a refused accept leaves the invitation open");

    let guest = app.signed_in("guest@example.org").await;
    let (status, joined) = app.post(ACCEPT, Some(&guest.access), json!({ "token": token })).await;
    assert_eq!(status, StatusCode::OK, "{joined}");
    assert_eq!(joined["id"], owner.workspace_id.as_str());
    assert_eq!(joined["role"], "editor");
    assert_eq!(joined["name"], "Test User's workspace");
    let (status, rights) = app.get(&format!("/api/v1/workspaces/{}/me", owner.workspace_id), &guest.access).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(rights["role"], "editor");
    let (_, members) = app.get(&format!("/api/v1/workspaces/{}/members", owner.workspace_id), &owner.access).await;
    let member = items(&members).iter().find(|m| m["userId"] == guest.user_id.as_str()).expect("the guest is a member");
    assert_eq!(member["role"], "editor");
    assert_eq!(member["email"], "guest@example.org");
    let (_, open) = app.get(&path, &owner.access).await;
    assert_eq!(items(&open).len(), 0, "an accepted invitation is no longer open");

    let (status, body) = app.post(ACCEPT, Some(&guest.access), json!({ "token": token })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "accepting twice");
    assert!(body["error"]["details"]["token"].is_string(), "{body}");
    let (status, body) = app.post(ACCEPT, Some(&intruder.access), json!({ "token": token })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "a used token is spent for everyone");
    for unknown in ["no-such-token", "", &token[..token.len() - 1]] {
        let (status, body) = app.post(ACCEPT, Some(&guest.access), json!({ "token": unknown })).await;
        expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", &format!("unknown token {unknown:?}"));
    }
    let (status, body) = app.post(ACCEPT, Some(&guest.access), json!({})).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "no token");
    assert_eq!(body["error"]["details"]["token"], "is required");

    for email in ["guest@example.org", "GUEST@example.org", "host@example.org"] {
        let (status, body) = app.post(&path, Some(&owner.access), json!({ "email": email, "role": "viewer" })).await;
        expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT", &format!("{email} is already a member"));
        assert!(body["error"]["details"]["email"].is_string(), "{body}");
    }
    let (status, body) = app.post(&path, Some(&owner.access), json!({ "email": "nope", "role": "viewer" })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "bad address");
    assert!(body["error"]["details"]["email"].is_string());
    let (status, body) = app.post(&path, Some(&owner.access), json!({ "email": "x@example.org", "role": "emperor" })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "bad role");
    assert!(body["error"]["details"]["role"].is_string(), "{body}");
    let (status, body) = app.post(&path, Some(&owner.access), json!({ "email": "x@example.org" })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "missing role");
    assert_eq!(body["error"]["details"]["role"], "is required");
    let (_, open) = app.get(&path, &owner.access).await;
    assert_eq!(items(&open).len(), 0, "refused invitations were not stored");
});

both_backends!(invitations_expire_after_seven_days, |app: TestApp| async move {
    let owner = app.signed_in("host2@example.org").await;
    let (status, _) = app.invite(&owner, "late@example.org", "viewer").await;
    assert_eq!(status, StatusCode::CREATED);
    let late_token = app.invitation_token("late@example.org").await;
    let (status, _) = app.invite(&owner, "ontime@example.org", "manager").await;
    assert_eq!(status, StatusCode::CREATED);
    let ontime_token = app.invitation_token("ontime@example.org").await;
    let late = app.signed_in("late@example.org").await;
    let ontime = app.signed_in("ontime@example.org").await;

    // A minute before the deadline the link still works.
    app.clock.advance_secs(7 * 86_400 - 60);
    let (_, session) = app.login(&ontime.email, &ontime.password).await;
    let access = session["accessToken"].as_str().unwrap();
    let (status, joined) = app.post(ACCEPT, Some(access), json!({ "token": ontime_token })).await;
    assert_eq!(status, StatusCode::OK, "{joined}");
    assert_eq!(joined["role"], "manager");

    app.clock.advance_secs(61);
    let (_, session) = app.login(&late.email, &late.password).await;
    let access = session["accessToken"].as_str().unwrap();
    let (status, body) = app.post(ACCEPT, Some(access), json!({ "token": late_token })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "expired invitation");
    assert_eq!(body["error"]["details"]["token"], "this invitation has expired; ask for a new one");
    let (status, _) = app.get(&format!("/api/v1/workspaces/{}", owner.workspace_id), access).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an expired invitation grants nothing");

    // A fresh invitation works again.
    let (_, owner_session) = app.login(&owner.email, &owner.password).await;
    let mut owner = owner.clone();
    owner.access = owner_session["accessToken"].as_str().unwrap().to_owned();
    let (status, _) = app.invite(&owner, "late@example.org", "viewer").await;
    assert_eq!(status, StatusCode::CREATED);
    let fresh = app.invitation_token("late@example.org").await;
    assert_ne!(fresh, late_token);
    let (status, joined) = app.post(ACCEPT, Some(access), json!({ "token": fresh })).await;
    assert_eq!(status, StatusCode::OK, "{joined}");
});

both_backends!(invitations_can_be_listed_and_revoked, |app: TestApp| async move {
    let owner = app.signed_in("host3@example.org").await;
    let manager = app.member(&owner, "host3-manager@example.org", "manager").await;
    let editor = app.member(&owner, "host3-editor@example.org", "editor").await;
    let path = format!("/api/v1/workspaces/{}/invitations", owner.workspace_id);
    let (_, first) = app.invite(&owner, "keep@example.org", "viewer").await;
    let (_, second) = app.invite(&owner, "gone@example.org", "editor").await;
    let gone_token = app.invitation_token("gone@example.org").await;
    let (_, third) = app.invite(&manager, "also-gone@example.org", "viewer").await;

    let (status, list) = app.get(&path, &owner.access).await;
    assert_eq!(status, StatusCode::OK);
    let ids: Vec<&Value> = items(&list).iter().map(|i| &i["id"]).collect();
    assert_eq!(ids, [&third["id"], &second["id"], &first["id"]], "newest first");
    let (status, list) = app.get(&path, &manager.access).await;
    assert_eq!(status, StatusCode::OK, "managers see invitations");
    assert_eq!(items(&list).len(), 3);
    let (status, page) = app.get(&format!("{path}?limit=2"), &owner.access).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(items(&page).len(), 2);
    let cursor = page["nextCursor"].as_str().expect("a second page").to_owned();
    let (_, rest) = app.get(&format!("{path}?limit=2&cursor={cursor}"), &owner.access).await;
    assert_eq!(items(&rest).len(), 1);
    assert_eq!(items(&rest)[0]["id"], first["id"]);
    assert_eq!(rest["nextCursor"], Value::Null);

    let revoke = |id: &Value| format!("{path}/{}", id.as_str().unwrap());
    let (status, body) = app.call(Method::DELETE, &revoke(&second["id"]), Some(&editor.access), None).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", "editors cannot revoke");
    let (status, _) = app.call(Method::DELETE, &revoke(&second["id"]), Some(&owner.access), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.call(Method::DELETE, &revoke(&third["id"]), Some(&manager.access), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "managers revoke invitations");
    let (_, list) = app.get(&path, &owner.access).await;
    let ids: Vec<&Value> = items(&list).iter().map(|i| &i["id"]).collect();
    assert_eq!(ids, [&first["id"]], "revoked invitations leave the open list");

    let (status, body) = app.call(Method::DELETE, &revoke(&second["id"]), Some(&owner.access), None).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "revoking twice");
    let (status, body) = app.call(Method::DELETE, &format!("{path}/01900000-0000-7000-8000-000000000000"), Some(&owner.access), None).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "unknown invitation");
    let (status, body) = app.call(Method::DELETE, &format!("{path}/not-an-id"), Some(&owner.access), None).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "malformed invitation id");

    let gone = app.signed_in("gone@example.org").await;
    let (status, body) = app.post(ACCEPT, Some(&gone.access), json!({ "token": gone_token })).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR", "revoked invitation");
    assert_eq!(body["error"]["details"]["token"], "this invitation was already used or withdrawn");
    let (status, _) = app.get(&format!("/api/v1/workspaces/{}", owner.workspace_id), &gone.access).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // An accepted invitation cannot be revoked any more.
    let keep_token = app.invitation_token("keep@example.org").await;
    let keep = app.signed_in("keep@example.org").await;
    let (status, _) = app.post(ACCEPT, Some(&keep.access), json!({ "token": keep_token })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.call(Method::DELETE, &revoke(&first["id"]), Some(&owner.access), None).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "revoking an accepted invitation");
    let (status, _) = app.get(&format!("/api/v1/workspaces/{}", owner.workspace_id), &keep.access).await;
    assert_eq!(status, StatusCode::OK, "the member stays");
});

both_backends!(nobody_invites_above_their_own_role, |app: TestApp| async move {
    let owner = app.signed_in("host4@example.org").await;
    let admin = app.member(&owner, "a4@example.org", "admin").await;
    let manager = app.member(&owner, "m4@example.org", "manager").await;
    let editor = app.member(&owner, "e4@example.org", "editor").await;
    let viewer = app.member(&owner, "v4@example.org", "viewer").await;
    let path = format!("/api/v1/workspaces/{}/invitations", owner.workspace_id);

    let allowed: [(&zenalto_testkit::Account, &[&str], &[&str]); 5] = [
        (&owner, &["owner", "admin", "manager", "editor", "viewer"], &[]),
        (&admin, &["admin", "manager", "editor", "viewer"], &["owner"]),
        (&manager, &["editor", "viewer"], &["owner", "admin", "manager"]),
        (&editor, &[], &["owner", "admin", "manager", "editor", "viewer"]),
        (&viewer, &[], &["owner", "admin", "manager", "editor", "viewer"]),
    ];
    for (who, may, may_not) in allowed {
        let inviter = who.email.split('@').next().unwrap();
        for role in may {
            let email = format!("{inviter}-{role}@example.org");
            let (status, body) = app.invite(who, &email, role).await;
            assert_eq!(status, StatusCode::CREATED, "{} invites a {role}: {body}", who.email);
        }
        for role in may_not {
            let (status, body) = app.invite(who, &format!("{inviter}-no-{role}@example.org"), role).await;
            expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", &format!("{} invites a {role}", who.email));
        }
    }
    for who in [&editor, &viewer] {
        let (status, body) = app.get(&path, &who.access).await;
        expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN", &format!("{} lists invitations", who.email));
    }
    let (_, open) = app.get(&path, &owner.access).await;
    assert_eq!(items(&open).len(), 5 + 4 + 2, "only allowed invitations were stored");
    assert!(!open.to_string().contains("-no-"), "{open}");

    // The role a manager granted is the role the invitee gets.
    let token = app.invitation_token("m4-editor@example.org").await;
    let invitee = app.signed_in("m4-editor@example.org").await;
    let (status, joined) = app.post(ACCEPT, Some(&invitee.access), json!({ "token": token })).await;
    assert_eq!(status, StatusCode::OK, "{joined}");
    assert_eq!(joined["role"], "editor");
});

both_backends!(a_second_invitation_to_a_member_cannot_be_used, |app: TestApp| async move {
    let owner = app.signed_in("host5@example.org").await;
    let (status, _) = app.invite(&owner, "twice@example.org", "viewer").await;
    assert_eq!(status, StatusCode::CREATED);
    let first = app.invitation_token("twice@example.org").await;
    let (status, _) = app.invite(&owner, "twice@example.org", "admin").await;
    assert_eq!(status, StatusCode::CREATED, "a pending invitation may be sent again");
    let second = app.invitation_token("twice@example.org").await;
    assert_ne!(first, second);
    let invitee = app.signed_in("twice@example.org").await;
    let app = Arc::new(app);
    // Both links accepted at the same moment: one joins, the other is refused cleanly.
    let mut tasks = Vec::new();
    for token in [first, second] {
        let (app, access) = (app.clone(), invitee.access.clone());
        tasks.push(tokio::spawn(async move { app.post(ACCEPT, Some(&access), json!({ "token": token })).await }));
    }
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    let ok = answers.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!(ok, 1, "{answers:?}");
    let (status, body) = answers.iter().find(|(s, _)| *s != StatusCode::OK).unwrap();
    expect_error(*status, body, StatusCode::CONFLICT, "CONFLICT", "already a member");
    let (_, members) = app.get(&format!("/api/v1/workspaces/{}/members", owner.workspace_id), &owner.access).await;
    assert_eq!(items(&members).len(), 2, "{members}");
});
