//! TOTP two-factor: enrolment, login with codes and recovery codes, replay protection, disabling.

use zenalto_testkit::{StatusCode, TestApp, both_backends, json, totp_code};

fn code_of(body: &zenalto_testkit::Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

both_backends!(two_factor_lifecycle, |app: TestApp| async move {
    let account = app.signed_in("totp@example.org").await;
    let (status, setup) = app.post("/api/v1/me/2fa/setup", Some(&account.access), json!({})).await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    let secret = setup["secret"].as_str().unwrap().to_owned();
    assert!(setup["otpauthUrl"].as_str().unwrap().starts_with("otpauth://totp/Zenalto:totp%40example.org?"), "{setup}");

    let wrong = if totp_code(&secret, &app.clock, 0) == "000000" { "111111" } else { "000000" };
    let (status, body) = app.post("/api/v1/me/2fa/enable", Some(&account.access), json!({ "code": wrong })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["error"]["details"]["code"].is_string());

    let (status, enabled) = app.post("/api/v1/me/2fa/enable", Some(&account.access), json!({ "code": totp_code(&secret, &app.clock, 0) })).await;
    assert_eq!(status, StatusCode::OK, "{enabled}");
    let recovery: Vec<String> = enabled["recoveryCodes"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_owned()).collect();
    assert_eq!(recovery.len(), 10);
    let (_, me) = app.get("/api/v1/me", &account.access).await;
    assert_eq!(me["user"]["twoFactorEnabled"], true);
    let (status, body) = app.post("/api/v1/me/2fa/setup", Some(&account.access), json!({})).await;
    assert_eq!((status, code_of(&body)), (StatusCode::CONFLICT, "CONFLICT"));

    // Password alone is no longer enough.
    let (status, body) = app.login(&account.email, &account.password).await;
    assert_eq!((status, code_of(&body)), (StatusCode::UNAUTHORIZED, "TWO_FACTOR_REQUIRED"));

    // The next time step's code logs in once; the same code again is a replay.
    app.clock.advance_secs(30);
    let code = totp_code(&secret, &app.clock, 0);
    let with_code = json!({ "email": account.email, "password": account.password, "totpCode": code });
    let (status, body) = app.post("/api/v1/auth/login", None, with_code.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = app.post("/api/v1/auth/login", None, with_code).await;
    assert_eq!((status, code_of(&body)), (StatusCode::UNAUTHORIZED, "INVALID_CREDENTIALS"), "a TOTP code is accepted once");

    // A recovery code works once, in any case and with or without its dash.
    let with_recovery = json!({ "email": account.email, "password": account.password, "recoveryCode": recovery[0].to_uppercase().replace('-', "") });
    let (status, body) = app.post("/api/v1/auth/login", None, with_recovery.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = app.post("/api/v1/auth/login", None, with_recovery).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // Disabling needs the password and a current code.
    app.clock.advance_secs(30);
    let code = totp_code(&secret, &app.clock, 0);
    let (status, body) = app.post("/api/v1/me/2fa/disable", Some(&account.access), json!({ "password": "nope nope nope", "code": code })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["details"]["password"], "is incorrect");
    let (status, _) = app.post("/api/v1/me/2fa/disable", Some(&account.access), json!({ "password": account.password, "code": code })).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.login(&account.email, &account.password).await;
    assert_eq!(status, StatusCode::OK, "no second factor needed any more");

    let (_, activity) = app.get("/api/v1/me/activity", &account.access).await;
    let text = activity.to_string();
    assert!(text.contains("auth.two_factor_enabled") && text.contains("auth.two_factor_disabled"));
    assert!(!text.contains("v1:k") && !text.contains(&secret), "no secret material in the activity log");
});

both_backends!(wrong_second_factors_count_towards_the_lockout, |app: TestApp| async move {
    let account = app.signed_in("totp-lock@example.org").await;
    let (_, setup) = app.post("/api/v1/me/2fa/setup", Some(&account.access), json!({})).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    app.post("/api/v1/me/2fa/enable", Some(&account.access), json!({ "code": totp_code(&secret, &app.clock, 0) })).await;
    let wrong = if totp_code(&secret, &app.clock, 0) == "000000" { "111111" } else { "000000" };
    let attempt = json!({ "email": account.email, "password": account.password, "totpCode": wrong });
    for _ in 0..4 {
        let (_, body) = app.post("/api/v1/auth/login", None, attempt.clone()).await;
        assert_eq!(code_of(&body), "INVALID_CREDENTIALS");
    }
    let (status, body) = app.post("/api/v1/auth/login", None, attempt).await;
    assert_eq!((status, code_of(&body)), (StatusCode::LOCKED, "ACCOUNT_LOCKED"));
});

both_backends!(recovery_codes_can_be_regenerated, |app: TestApp| async move {
    let account = app.signed_in("regen@example.org").await;
    let (_, setup) = app.post("/api/v1/me/2fa/setup", Some(&account.access), json!({})).await;
    let secret = setup["secret"].as_str().unwrap().to_owned();
    let (_, enabled) = app.post("/api/v1/me/2fa/enable", Some(&account.access), json!({ "code": totp_code(&secret, &app.clock, 0) })).await;
    let old = enabled["recoveryCodes"][0].as_str().unwrap().to_owned();
    app.clock.advance_secs(30);
    let (status, fresh) =
        app.post("/api/v1/me/2fa/recovery-codes", Some(&account.access), json!({ "code": totp_code(&secret, &app.clock, 0) })).await;
    assert_eq!(status, StatusCode::OK, "{fresh}");
    let (status, _) = app.post("/api/v1/auth/login", None, json!({ "email": account.email, "password": account.password, "recoveryCode": old })).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "old recovery codes stop working");
    let new = fresh["recoveryCodes"][0].as_str().unwrap();
    let (status, _) = app.post("/api/v1/auth/login", None, json!({ "email": account.email, "password": account.password, "recoveryCode": new })).await;
    assert_eq!(status, StatusCode::OK);
});
