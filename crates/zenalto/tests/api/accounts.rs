//! Sign-up, e-mail verification, login, lockout, tokens, logout, password reset and change.

use zenalto_testkit::{StatusCode, TestApp, both_backends, json};

const PASSWORD: &str = "correct horse battery";

fn code_of(body: &zenalto_testkit::Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

both_backends!(register_verify_and_read_me, |app: TestApp| async move {
    let account = app.signed_in("ada@example.org").await;
    let (status, me) = app.get("/api/v1/me", &account.access).await;
    assert_eq!(status, StatusCode::OK, "{me}");
    assert_eq!(me["user"]["email"], "ada@example.org");
    assert_eq!(me["user"]["emailVerified"], true);
    assert_eq!(me["user"]["twoFactorEnabled"], false);
    assert_eq!(me["workspaces"][0]["role"], "owner");
    assert_eq!(me["workspaces"][0]["name"], "Test User's workspace");
    assert_eq!(me["workspaces"][0]["id"], account.workspace_id.as_str());
    let text = me.to_string();
    assert!(!text.contains("argon2") && !text.contains(PASSWORD), "no secrets in /me: {text}");
});

both_backends!(registration_rejects_bad_input_per_field, |app: TestApp| async move {
    let (status, body) =
        app.post("/api/v1/auth/register", None, json!({ "email": "not-an-email", "password": "short", "name": "  " })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code_of(&body), "VALIDATION_ERROR");
    assert_eq!(body["error"]["details"]["email"], "must be a valid e-mail address");
    assert_eq!(body["error"]["details"]["password"], "must be at least 10 characters");
    assert_eq!(body["error"]["details"]["name"], "must not be empty");

    let (status, body) = app.post("/api/v1/auth/register", None, json!({ "email": "a@example.org", "name": "A" })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["password"], "is required");

    let (status, body) = app
        .post("/api/v1/auth/register", None, json!({ "email": "a@example.org", "password": PASSWORD, "name": "A", "isAdmin": true }))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["isAdmin"], "is not a known field");

    // None of the refused attempts created the account.
    let (status, _) = app.login("a@example.org", PASSWORD).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
});

both_backends!(duplicate_email_conflicts_whatever_its_case, |app: TestApp| async move {
    app.signed_in("dup@example.org").await;
    let (status, body) =
        app.post("/api/v1/auth/register", None, json!({ "email": "DUP@Example.org", "password": PASSWORD, "name": "Again" })).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(code_of(&body), "CONFLICT");
    assert_eq!(body["error"]["details"]["email"], "an account with this e-mail already exists");
});

both_backends!(unverified_accounts_cannot_log_in_and_can_get_a_new_code, |app: TestApp| async move {
    let (status, _) =
        app.post("/api/v1/auth/register", None, json!({ "email": "new@example.org", "password": PASSWORD, "name": "New" })).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, body) = app.login("new@example.org", PASSWORD).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(code_of(&body), "EMAIL_NOT_VERIFIED");

    let first = app.last_code("new@example.org").await;
    let (status, _) = app.post("/api/v1/auth/resend-verification", None, json!({ "email": "new@example.org" })).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let second = app.last_code("new@example.org").await;
    if first != second {
        let (status, body) = app.post("/api/v1/auth/verify-email", None, json!({ "email": "new@example.org", "code": first })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "the replaced code no longer works: {body}");
    }
    let (status, session) = app.post("/api/v1/auth/verify-email", None, json!({ "email": "new@example.org", "code": second })).await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["tokenType"], "Bearer");
    assert_eq!(session["expiresIn"], 900);

    // Unknown addresses get the same 202, so the endpoint reveals nothing.
    let (status, _) = app.post("/api/v1/auth/resend-verification", None, json!({ "email": "nobody@example.org" })).await;
    assert_eq!(status, StatusCode::ACCEPTED);
});

both_backends!(verification_codes_allow_five_tries_expire_and_work_once, |app: TestApp| async move {
    let email = "codes@example.org";
    app.post("/api/v1/auth/register", None, json!({ "email": email, "password": PASSWORD, "name": "C" })).await;
    let code = app.last_code(email).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    for attempts_left in (1..=4).rev() {
        let (status, body) = app.post("/api/v1/auth/verify-email", None, json!({ "email": email, "code": wrong })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(code_of(&body), "CODE_INVALID");
        assert_eq!(body["error"]["details"]["attemptsLeft"], attempts_left);
    }
    let (_, body) = app.post("/api/v1/auth/verify-email", None, json!({ "email": email, "code": wrong })).await;
    assert_eq!(code_of(&body), "CODE_EXPIRED", "the fifth wrong try spends the code");
    let (_, body) = app.post("/api/v1/auth/verify-email", None, json!({ "email": email, "code": code })).await;
    assert_eq!(code_of(&body), "CODE_EXPIRED", "even the right code is dead now");

    // A fresh code expires after ten minutes.
    app.post("/api/v1/auth/resend-verification", None, json!({ "email": email })).await;
    let code = app.last_code(email).await;
    app.clock.advance_secs(601);
    let (_, body) = app.post("/api/v1/auth/verify-email", None, json!({ "email": email, "code": code })).await;
    assert_eq!(code_of(&body), "CODE_EXPIRED");

    // And a code works exactly once.
    app.post("/api/v1/auth/resend-verification", None, json!({ "email": email })).await;
    let code = app.last_code(email).await;
    let (status, _) = app.post("/api/v1/auth/verify-email", None, json!({ "email": email, "code": code })).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.post("/api/v1/auth/verify-email", None, json!({ "email": email, "code": code })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code_of(&body), "CODE_EXPIRED");
});

both_backends!(wrong_passwords_lock_the_account_until_the_lock_expires, |app: TestApp| async move {
    let account = app.signed_in("lock@example.org").await;
    let (status, body) = app.login("nobody@example.org", PASSWORD).await;
    assert_eq!((status, code_of(&body)), (StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS"), "unknown e-mail answers alike");
    for _ in 0..4 {
        let (status, body) = app.login(&account.email, "wrong password!").await;
        assert_eq!((status, code_of(&body)), (StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS"));
    }
    let response = app
        .request(reqwest::Method::POST, "/api/v1/auth/login", None)
        .json(&json!({ "email": account.email, "password": "wrong password!" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::LOCKED);
    let retry_after: i64 = response.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry_after), "Retry-After {retry_after}");
    let (status, body) = app.login(&account.email, &account.password).await;
    assert_eq!((status, code_of(&body)), (StatusCode::LOCKED, "ACCOUNT_LOCKED"), "the right password is refused while locked");

    app.clock.advance_secs(901);
    let (status, body) = app.login(&account.email, &account.password).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Success reset the counter: four more failures do not lock again.
    for _ in 0..4 {
        app.login(&account.email, "wrong password!").await;
    }
    let (status, _) = app.login(&account.email, &account.password).await;
    assert_eq!(status, StatusCode::OK);
});

both_backends!(access_and_refresh_tokens_expire, |app: TestApp| async move {
    let account = app.signed_in("expiry@example.org").await;
    let (status, body) = app.call(reqwest::Method::GET, "/api/v1/me", None, None).await;
    assert_eq!((status, code_of(&body)), (StatusCode::UNAUTHORIZED, "UNAUTHORIZED"));
    let (status, body) = app.get("/api/v1/me", "garbage").await;
    assert_eq!((status, code_of(&body)), (StatusCode::UNAUTHORIZED, "INVALID_TOKEN"));

    app.clock.advance_secs(901);
    let (status, body) = app.get("/api/v1/me", &account.access).await;
    assert_eq!((status, code_of(&body)), (StatusCode::UNAUTHORIZED, "TOKEN_EXPIRED"));
    let (status, fresh) = app.post("/api/v1/auth/refresh", None, json!({ "refreshToken": account.refresh })).await;
    assert_eq!(status, StatusCode::OK, "{fresh}");
    let (status, _) = app.get("/api/v1/me", fresh["accessToken"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);

    app.clock.advance_secs(31 * 86_400);
    let (status, body) = app.post("/api/v1/auth/refresh", None, json!({ "refreshToken": fresh["refreshToken"] })).await;
    assert_eq!((status, code_of(&body)), (StatusCode::UNAUTHORIZED, "TOKEN_EXPIRED"), "{body}");
    let (status, body) = app.post("/api/v1/auth/refresh", None, json!({ "refreshToken": "not-a-token" })).await;
    assert_eq!((status, code_of(&body)), (StatusCode::UNAUTHORIZED, "INVALID_TOKEN"));
});

both_backends!(reused_refresh_token_revokes_the_family, |app: TestApp| async move {
    let account = app.signed_in("bob@example.org").await;
    let (status, first) = app.post("/api/v1/auth/refresh", None, json!({ "refreshToken": account.refresh })).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_ne!(first["refreshToken"], account.refresh.as_str(), "refresh tokens rotate");
    // The spent token again: refused, and the whole session dies with it.
    let (status, body) = app.post("/api/v1/auth/refresh", None, json!({ "refreshToken": account.refresh })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code_of(&body), "INVALID_TOKEN");
    let (status, _) = app.post("/api/v1/auth/refresh", None, json!({ "refreshToken": first["refreshToken"] })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the rotated token belongs to the revoked family");
    let (status, body) = app.get("/api/v1/me", first["accessToken"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "access tokens of the family stop working too: {body}");
    // Another session of the same user is untouched.
    let (status, other) = app.login(&account.email, &account.password).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.get("/api/v1/me", other["accessToken"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
});

both_backends!(logout_ends_the_session_at_once, |app: TestApp| async move {
    let account = app.signed_in("logout@example.org").await;
    let (status, _) = app.post("/api/v1/auth/logout", Some(&account.access), json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app.get("/api/v1/me", &account.access).await;
    assert_eq!((status, code_of(&body)), (StatusCode::UNAUTHORIZED, "INVALID_TOKEN"));
    let (status, _) = app.post("/api/v1/auth/refresh", None, json!({ "refreshToken": account.refresh })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
});

both_backends!(password_reset_by_code_signs_out_everywhere, |app: TestApp| async move {
    let account = app.signed_in("reset@example.org").await;
    let (status, _) = app.post("/api/v1/auth/password/forgot", None, json!({ "email": account.email })).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let (status, _) = app.post("/api/v1/auth/password/forgot", None, json!({ "email": "nobody@example.org" })).await;
    assert_eq!(status, StatusCode::ACCEPTED, "no enumeration");
    let code = app.last_code(&account.email).await;
    let reset = |code: String, new_password: &str| json!({ "email": account.email, "code": code, "newPassword": new_password });

    let (status, body) = app.post("/api/v1/auth/password/reset", None, reset(code.clone(), "short")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["newPassword"], "must be at least 10 characters");
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (_, body) = app.post("/api/v1/auth/password/reset", None, reset(wrong.into(), "a brand new password")).await;
    assert_eq!(code_of(&body), "CODE_INVALID");

    let (status, _) = app.post("/api/v1/auth/password/reset", None, reset(code.clone(), "a brand new password")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.get("/api/v1/me", &account.access).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "existing sessions are signed out");
    let (status, _) = app.login(&account.email, &account.password).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "old password is dead");
    let (status, _) = app.login(&account.email, "a brand new password").await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = app.post("/api/v1/auth/password/reset", None, reset(code, "another new password")).await;
    assert_eq!((status, code_of(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "CODE_EXPIRED"), "codes work once");
});

both_backends!(password_change_needs_current_password_and_code, |app: TestApp| async move {
    let account = app.signed_in("change@example.org").await;
    let (_, other) = app.login(&account.email, &account.password).await;
    let (status, _) = app.post("/api/v1/me/password/code", Some(&account.access), json!({})).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let code = app.last_code(&account.email).await;
    let change = |current: &str, new_password: &str| json!({ "currentPassword": current, "code": code, "newPassword": new_password });

    let (status, body) = app.post("/api/v1/me/password", Some(&account.access), change("not my password", "a brand new password")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["currentPassword"], "is incorrect");

    let (status, _) = app.post("/api/v1/me/password", Some(&account.access), change(&account.password, "a brand new password")).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.get("/api/v1/me", &account.access).await;
    assert_eq!(status, StatusCode::OK, "the session that changed the password stays");
    let (status, _) = app.get("/api/v1/me", other["accessToken"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "other sessions are signed out");
    let (status, _) = app.login(&account.email, "a brand new password").await;
    assert_eq!(status, StatusCode::OK);
});

both_backends!(profile_name_can_change_and_is_validated, |app: TestApp| async move {
    let account = app.signed_in("name@example.org").await;
    let (status, user) = app.call(reqwest::Method::PATCH, "/api/v1/me", Some(&account.access), Some(json!({ "name": "Ada L." }))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(user["name"], "Ada L.");
    let (status, body) = app.call(reqwest::Method::PATCH, "/api/v1/me", Some(&account.access), Some(json!({ "name": "" }))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["name"], "must not be empty");
});

both_backends!(guessing_the_current_password_in_a_session_locks_the_account, |app: TestApp| async move {
    let account = app.signed_in("guess@example.org").await;
    app.post("/api/v1/me/password/code", Some(&account.access), json!({})).await;
    let code = app.last_code(&account.email).await;
    let attempt = json!({ "currentPassword": "a wrong guess", "code": code, "newPassword": "a brand new password" });
    for _ in 0..4 {
        let (status, body) = app.post("/api/v1/me/password", Some(&account.access), attempt.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["details"]["currentPassword"], "is incorrect");
    }
    let (status, body) = app.post("/api/v1/me/password", Some(&account.access), attempt).await;
    assert_eq!((status, code_of(&body)), (StatusCode::LOCKED, "ACCOUNT_LOCKED"), "a stolen session cannot brute-force the password");
    let (status, _) = app.login(&account.email, &account.password).await;
    assert_eq!(status, StatusCode::LOCKED, "the lock applies to logins too");
});
