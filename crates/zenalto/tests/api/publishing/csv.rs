//! CSV export and import: a round trip, formula neutralisation, row-by-row import results, and
//! files that are refused as a whole.

use zenalto_testkit::{StatusCode, TestApp, Value, both_backends, both_backends_with, json};

use super::{expect_error, manual_worker};

const EXPORT_HEADER: [&str; 12] = ["id", "status", "text", "scheduled_at", "time_zone", "local_time", "accounts", "campaign", "tags", "notes", "link", "first_comment"];

/// The header and rows of a CSV file, parsed as a spreadsheet app would.
fn parse(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = ::csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    (header, rows)
}

/// What an import must reproduce of a post.
fn essence(post: &Value) -> Value {
    let mut accounts: Vec<&str> = post["targets"].as_array().unwrap().iter().map(|t| t["accountId"].as_str().unwrap()).collect();
    accounts.sort_unstable();
    json!({
        "status": post["status"], "content": post["content"], "accounts": accounts, "campaign": post["campaign"], "tags": post["tags"],
        "notes": post["notes"], "scheduledAt": post["scheduledAt"], "timeZone": post["timeZone"], "localTime": post["localTime"],
    })
}

both_backends_with!(an_exported_file_imports_as_equal_posts_and_formulas_are_neutralised, manual_worker, |app: TestApp| async move {
    let owner = app.signed_in("csv@example.org").await;
    let alpha = app.sandbox_account(&owner, "alpha").await;
    let beta = app.sandbox_account(&owner, "beta").await;
    let launch = app
        .full_draft(&owner, json!({ "text": "Hello, \"world\"\nsecond line", "link": "https://example.org/a", "firstComment": "first!" }), &[&alpha, &beta], Some("Spring"), &["promo", "launch"], Some("check with legal"))
        .await;
    let formulas = app.full_draft(&owner, json!({ "text": "@alice look =here" }), &[&alpha], Some("+SUM(1)"), &["-minus", "=eq"], Some("=cmd|' /C calc'!A0")).await;
    let evening = app.full_draft(&owner, json!({ "text": "=HYPERLINK(\"http://evil.example\")" }), &[&beta], None, &[], None).await;
    let id = |post: &Value| post["id"].as_str().unwrap().to_owned();
    for (post, local, zone) in [(&launch, "2030-03-31T09:00", "Europe/Berlin"), (&evening, "2030-04-01T18:30", "America/New_York")] {
        let (status, body) = app.post_action(&owner, &id(post), "schedule", json!({ "localTime": local, "timeZone": zone })).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    let export = app.export_csv(&owner, "").await;
    assert_eq!(export.status, StatusCode::OK, "{}", export.text);
    assert_eq!(export.content_type, "text/csv; charset=utf-8");
    let (header, rows) = parse(&export.text);
    assert_eq!(header, EXPORT_HEADER);
    let ids: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert_eq!(ids, [id(&launch), id(&evening), id(&formulas)], "by scheduled time, unscheduled last");
    let cell = |row: usize, column: &str| rows[row][EXPORT_HEADER.iter().position(|c| *c == column).unwrap()].clone();
    assert_eq!(cell(0, "status"), "scheduled");
    assert_eq!(cell(0, "text"), "Hello, \"world\"\nsecond line");
    assert_eq!(cell(0, "scheduled_at"), "2030-03-31T07:00:00.000Z");
    assert_eq!((cell(0, "time_zone"), cell(0, "local_time")), ("Europe/Berlin".into(), "2030-03-31T09:00:00".into()));
    let mut accounts: Vec<String> = cell(0, "accounts").split(';').map(str::to_owned).collect();
    accounts.sort();
    let mut want = vec![alpha.clone(), beta.clone()];
    want.sort();
    assert_eq!(accounts, want);
    assert_eq!((cell(0, "tags"), cell(0, "link"), cell(0, "first_comment")), ("promo;launch".into(), "https://example.org/a".into(), "first!".into()));
    // Anything a spreadsheet would run as a formula starts with a quote instead.
    assert_eq!(cell(1, "text"), "'=HYPERLINK(\"http://evil.example\")");
    assert_eq!(cell(2, "text"), "'@alice look =here");
    assert_eq!(cell(2, "campaign"), "'+SUM(1)");
    assert_eq!(cell(2, "tags"), "'-minus;=eq");
    assert_eq!(cell(2, "notes"), "'=cmd|' /C calc'!A0");
    assert_eq!(cell(2, "scheduled_at"), "");

    let scheduled = app.export_csv(&owner, "status=scheduled&campaign=Spring").await;
    assert_eq!(parse(&scheduled.text).1.len(), 1, "the post list's filters apply: {}", scheduled.text);
    let bad = app.export_csv(&owner, "status=lost").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.text);

    let (status, imported) = app.import_csv(&owner, &export.text).await;
    assert_eq!(status, StatusCode::OK, "{imported}");
    let results = imported["rows"].as_array().unwrap();
    let summary: Vec<(i64, &str)> = results.iter().map(|r| (r["row"].as_i64().unwrap(), r["status"].as_str().unwrap())).collect();
    assert_eq!(summary, [(2, "scheduled"), (3, "scheduled"), (4, "created")], "{imported}");
    for (original, result) in [&launch, &evening, &formulas].into_iter().zip(results) {
        assert!(result.get("errors").is_none(), "{result}");
        let copy = app.get_post(&owner, result["postId"].as_str().unwrap()).await;
        assert_ne!(copy["id"], original["id"]);
        assert_eq!(essence(&copy), essence(&app.get_post(&owner, &id(original)).await));
    }
});

both_backends!(bad_rows_are_reported_while_good_rows_land, |app: TestApp| async move {
    let owner = app.signed_in("rows@example.org").await;
    let alpha = app.sandbox_account(&owner, "alpha").await;
    let beta = app.sandbox_account(&owner, "beta").await;
    app.fixture_account(&owner, "instagram", "gram").await;
    let too_long = "x".repeat(10_001);
    let file = [
        "Text,Accounts,Local_Time,Time_Zone,Campaign,Tags".to_owned(),
        "draft by handle,@alpha,,,Spring,a; b".into(),
        format!("scheduled by id,{alpha},2030-05-01T10:00,Europe/Berlin,,"),
        "unknown account,nobody,,,,".into(),
        "no zone,alpha,2030-05-01T10:00,,,".into(),
        "in the past,alpha,2020-01-01T10:00,Europe/Berlin,,".into(),
        format!("{too_long},alpha,,,,"),
        "ragged,alpha,,,,,extra".into(),
        "nowhere to go,,2030-05-01T10:00,Europe/Berlin,,".into(),
        "an image network without an image,gram,2030-05-01T10:00,Europe/Berlin,,".into(),
        "\"quoted, with comma\nand a line\",ALPHA; @Beta,,,,".into(),
    ]
    .join("\r\n");
    let (status, body) = app.import_csv(&owner, &file).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let rows = body["rows"].as_array().unwrap();
    let outcome: Vec<(i64, &str, Vec<String>)> = rows
        .iter()
        .map(|r| {
            let fields = r["errors"].as_object().map(|e| e.keys().cloned().collect()).unwrap_or_default();
            (r["row"].as_i64().unwrap(), r["status"].as_str().unwrap(), fields)
        })
        .collect();
    let expect = |row: i64, status: &'static str, fields: &[&str]| (row, status, fields.iter().map(|f| (*f).to_owned()).collect::<Vec<_>>());
    assert_eq!(
        outcome,
        vec![
            expect(2, "created", &[]),
            expect(3, "scheduled", &[]),
            expect(4, "error", &["accounts"]),
            expect(5, "error", &["time_zone"]),
            expect(6, "error", &["local_time"]),
            expect(7, "error", &["text"]),
            expect(8, "error", &["row"]),
            expect(9, "error", &["accounts"]),
            expect(10, "error", &["targets[0].media"]),
            expect(11, "created", &[]),
        ],
        "{body}"
    );
    for r in rows {
        let has_post = r["postId"].is_string();
        assert_eq!(has_post, r["status"] != "error" || r["row"] == 10, "only rows that made a post name one: {r}");
        if let Some(errors) = r["errors"].as_object() {
            assert!(errors.values().all(|m| m.as_str().is_some_and(|m| !m.is_empty())), "{r}");
        }
    }
    assert!(rows[2]["errors"]["accounts"].as_str().unwrap().contains("nobody"), "{body}");

    let kept = app.get_post(&owner, rows[8]["postId"].as_str().unwrap()).await;
    assert_eq!(kept["status"], "draft", "a row that could not be scheduled keeps its draft to fix");
    let first = app.get_post(&owner, rows[0]["postId"].as_str().unwrap()).await;
    assert_eq!((first["campaign"].clone(), first["tags"].clone()), (json!("Spring"), json!(["a", "b"])));
    assert_eq!(first["targets"][0]["accountId"], alpha.as_str());
    let scheduled = app.get_post(&owner, rows[1]["postId"].as_str().unwrap()).await;
    assert_eq!((scheduled["status"].clone(), scheduled["scheduledAt"].clone()), (json!("scheduled"), json!("2030-05-01T08:00:00.000Z")));
    let last = app.get_post(&owner, rows[9]["postId"].as_str().unwrap()).await;
    assert_eq!(last["content"]["text"], "quoted, with comma\nand a line");
    let targets: Vec<&str> = last["targets"].as_array().unwrap().iter().map(|t| t["accountId"].as_str().unwrap()).collect();
    assert_eq!(targets, [alpha.as_str(), beta.as_str()], "handles match whatever their case");
    assert_eq!(app.list_posts(&owner, "").await.len(), 4);
});

both_backends!(a_file_that_is_not_csv_is_refused_whole, |app: TestApp| async move {
    let owner = app.signed_in("notcsv@example.org").await;
    app.sandbox_account(&owner, "alpha").await;
    let png: Vec<u8> = [b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".as_slice(), &[0xff; 64]].concat();
    let (status, body) = app.import_csv_as(&owner, "text/csv", png).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
    assert!(body["error"]["details"]["body"].is_string(), "{body}");
    for file in ["accounts,local_time\nalpha,2030-01-01T10:00\n".to_owned(), String::new(), "{\"text\": \"hello\"}".into(), format!("text\n{}", "row\n".repeat(1001))] {
        let (status, body) = app.import_csv(&owner, &file).await;
        expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
        assert!(body["error"]["details"]["body"].is_string(), "{body}");
    }
    let (status, body) = app.import_csv_as(&owner, "application/json", "{\"text\": \"hello\"}").await;
    expect_error(status, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE");
    let viewer = app.member(&owner, "viewer-csv@example.org", "viewer").await;
    let (status, body) = app.import_csv(&viewer, "text\nhello\n").await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");
    let big = format!("text\n{}\n", "y".repeat(app.settings.server.body_limit_bytes + 1));
    let (status, body) = app.import_csv(&owner, &big).await;
    expect_error(status, &body, StatusCode::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE");
    assert!(app.list_posts(&owner, "").await.is_empty(), "nothing was created");
});
