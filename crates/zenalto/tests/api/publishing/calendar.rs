//! The calendar (grouping in a time zone, filters, range checks) and its iCalendar feed.

use zenalto_testkit::{StatusCode, TestApp, Value, both_backends, both_backends_with, json};

use super::{expect_error, manual_worker};

/// `[(key, start, [post texts])]` of a calendar answer.
fn groups(calendar: &Value) -> Vec<(String, String, Vec<String>)> {
    calendar["groups"]
        .as_array()
        .unwrap_or_else(|| panic!("no groups: {calendar}"))
        .iter()
        .map(|g| {
            let texts = g["posts"].as_array().unwrap().iter().map(|p| p["content"]["text"].as_str().unwrap().to_owned()).collect();
            (g["key"].as_str().unwrap().to_owned(), g["start"].as_str().unwrap().to_owned(), texts)
        })
        .collect()
}

fn group(key: &str, start: &str, texts: &[&str]) -> (String, String, Vec<String>) {
    (key.to_owned(), start.to_owned(), texts.iter().map(|t| (*t).to_owned()).collect())
}

both_backends!(calendar_groups_posts_by_period_in_the_requested_zone, |app: TestApp| async move {
    let owner = app.signed_in("calendar@example.org").await;
    let account = app.sandbox_account(&owner, "cal").await;
    for (text, at) in [
        // Tuesday 3 December in UTC, already Wednesday the 4th in Berlin.
        ("late tuesday", "2030-12-03T23:30:00Z"),
        ("wednesday", "2030-12-04T10:00:00Z"),
        // Sunday in UTC (ISO week 49), Monday in Berlin (week 50).
        ("sunday night", "2030-12-08T23:30:00Z"),
        // New Year's Eve in UTC, New Year's Day in Berlin; ISO week 1 of 2031 either way.
        ("new year", "2030-12-31T23:30:00Z"),
        ("out of range", "2031-02-01T12:00:00Z"),
    ] {
        let post = app.draft(&owner, text, &[&account]).await;
        app.schedule_at(&owner, post["id"].as_str().unwrap(), at).await;
    }
    app.draft(&owner, "never scheduled", &[&account]).await;
    let range = "from=2030-12-01T00:00:00Z&to=2031-01-15T00:00:00Z";

    let (status, berlin) = app.calendar(&owner, &format!("{range}&groupBy=day&timeZone=Europe/Berlin")).await;
    assert_eq!(status, StatusCode::OK, "{berlin}");
    assert_eq!(berlin["timeZone"], "Europe/Berlin");
    assert_eq!(berlin["groupBy"], "day");
    assert_eq!(
        groups(&berlin),
        vec![
            group("2030-12-04", "2030-12-04T00:00:00+01:00", &["late tuesday", "wednesday"]),
            group("2030-12-09", "2030-12-09T00:00:00+01:00", &["sunday night"]),
            group("2031-01-01", "2031-01-01T00:00:00+01:00", &["new year"]),
        ]
    );
    let post = &berlin["groups"][0]["posts"][0];
    assert_eq!(post["status"], "scheduled", "the posts are the post list's: {post}");
    assert_eq!(post["targets"][0]["accountId"], account.as_str());

    let (_, utc) = app.calendar(&owner, &format!("{range}&groupBy=day")).await;
    assert_eq!(utc["timeZone"], "UTC", "UTC is the default zone");
    let keys: Vec<String> = groups(&utc).into_iter().map(|g| g.0).collect();
    assert_eq!(keys, ["2030-12-03", "2030-12-04", "2030-12-08", "2030-12-31"]);

    let (_, weeks) = app.calendar(&owner, &format!("{range}&groupBy=week&timeZone=Europe/Berlin")).await;
    assert_eq!(
        groups(&weeks),
        vec![
            group("2030-W49", "2030-12-02T00:00:00+01:00", &["late tuesday", "wednesday"]),
            group("2030-W50", "2030-12-09T00:00:00+01:00", &["sunday night"]),
            group("2031-W01", "2030-12-30T00:00:00+01:00", &["new year"]),
        ]
    );
    let (_, utc_weeks) = app.calendar(&owner, &format!("{range}&groupBy=week")).await;
    assert_eq!(
        groups(&utc_weeks),
        vec![
            group("2030-W49", "2030-12-02T00:00:00+00:00", &["late tuesday", "wednesday", "sunday night"]),
            group("2031-W01", "2030-12-30T00:00:00+00:00", &["new year"]),
        ]
    );

    let (_, months) = app.calendar(&owner, range).await;
    assert_eq!(months["groupBy"], "month", "month is the default grouping");
    assert_eq!(groups(&months), vec![group("2030-12", "2030-12-01T00:00:00+00:00", &["late tuesday", "wednesday", "sunday night", "new year"])]);
    let (_, berlin_months) = app.calendar(&owner, &format!("{range}&timeZone=europe/berlin")).await;
    assert_eq!(berlin_months["timeZone"], "Europe/Berlin", "the canonical spelling is answered");
    assert_eq!(
        groups(&berlin_months),
        vec![
            group("2030-12", "2030-12-01T00:00:00+01:00", &["late tuesday", "wednesday", "sunday night"]),
            group("2031-01", "2031-01-01T00:00:00+01:00", &["new year"]),
        ]
    );
});

both_backends_with!(calendar_filters_and_range_checks, manual_worker, |app: TestApp| async move {
    let owner = app.signed_in("filters@example.org").await;
    let alpha = app.sandbox_account(&owner, "alpha").await;
    let beta = app.sandbox_account(&owner, "beta").await;
    let x = app.fixture_account(&owner, "x", "xhandle").await;
    let in_a_week = app.clock.now().plus_seconds(7 * 86_400).to_string();
    let cases = [("spring promo", &alpha, Some("Spring"), vec!["promo"]), ("x post", &x, Some("Fall"), vec![]), ("beta news", &beta, None, vec!["news"])];
    for (text, account, campaign, tags) in cases {
        let post = app.full_draft(&owner, json!({ "text": text }), &[account], campaign, &tags, None).await;
        app.schedule_at(&owner, post["id"].as_str().unwrap(), &in_a_week).await;
    }
    let published = app.draft(&owner, "gone out", &[&beta]).await;
    let (status, body) = app.post_action(&owner, published["id"].as_str().unwrap(), "publish", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.run_due_jobs().await;

    let from = app.clock.now().plus_seconds(-86_400).to_string();
    let to = app.clock.now().plus_seconds(30 * 86_400).to_string();
    let texts = |calendar: &Value| {
        let mut texts: Vec<String> = groups(calendar).into_iter().flat_map(|g| g.2).collect();
        texts.sort();
        texts
    };
    for (filter, want) in [
        ("", vec!["beta news", "gone out", "spring promo", "x post"]),
        ("&status=published", vec!["gone out"]),
        ("&status=scheduled,published", vec!["beta news", "gone out", "spring promo", "x post"]),
        ("&network=x", vec!["x post"]),
        ("&network=sandbox", vec!["beta news", "gone out", "spring promo"]),
        (&format!("&accountId={beta}"), vec!["beta news", "gone out"]),
        ("&campaign=Spring", vec!["spring promo"]),
        ("&tag=news", vec!["beta news"]),
        ("&tag=news&status=published", vec![]),
    ] {
        let query = format!("from={}&to={}{filter}", urlencode(&from), urlencode(&to));
        let (status, calendar) = app.calendar(&owner, &query).await;
        assert_eq!(status, StatusCode::OK, "{filter}: {calendar}");
        assert_eq!(texts(&calendar), want, "{filter}");
    }

    for (query, field) in [
        ("to=2030-01-01T00:00:00Z", "from"),
        ("from=2030-01-01T00:00:00Z", "to"),
        ("from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", "to"),
        ("from=2030-01-01T00:00:00Z&to=2031-01-02T00:00:01Z", "to"),
        ("from=yesterday&to=2030-01-02T00:00:00Z", "from"),
        ("from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z&groupBy=year", "groupBy"),
        ("from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z&timeZone=Mars/Olympus", "timeZone"),
        ("from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z&status=lost", "status"),
        ("from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z&colour=red", "query"),
    ] {
        let (status, body) = app.calendar(&owner, query).await;
        expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");
        assert!(body["error"]["details"].get(field).is_some(), "{query} should blame {field}: {body}");
    }
    let (status, body) = app.calendar(&owner, "from=2030-01-01T00:00:00Z&to=2031-01-02T00:00:00Z").await;
    assert_eq!(status, StatusCode::OK, "366 days are allowed: {body}");

    let stranger = app.signed_in("stranger@example.org").await;
    let path = format!("/api/v1/workspaces/{}/calendar?from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:00Z", owner.workspace_id);
    let (status, body) = app.get(&path, &stranger.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND");
});

fn urlencode(raw: &str) -> String {
    raw.replace(':', "%3A").replace('+', "%2B")
}

/// The feed's lines with folding undone, as a calendar app reads them.
fn unfolded(ics: &str) -> Vec<String> {
    ics.replace("\r\n ", "").split("\r\n").map(str::to_owned).collect()
}

both_backends_with!(the_ical_feed_shows_a_members_workspace_until_they_leave, manual_worker, |app: TestApp| async move {
    let owner = app.signed_in("feed-owner@example.org").await;
    let member = app.member(&owner, "feed-member@example.org", "viewer").await;
    let account = app.sandbox_account(&owner, "feed").await;
    let long = "Launch day for the new feed: calendars, weeks, zones and more, more, more!";
    let scheduled = app.draft(&owner, long, &[&account]).await;
    let scheduled_id = scheduled["id"].as_str().unwrap();
    app.schedule_at(&owner, scheduled_id, &app.clock.now().plus_seconds(3 * 86_400).to_string()).await;
    let draft = app.draft(&owner, "only a draft", &[&account]).await;
    let published = app.draft(&owner, "already out", &[&account]).await;
    app.post_action(&owner, published["id"].as_str().unwrap(), "publish", json!({})).await;
    app.run_due_jobs().await;
    let far = app.draft(&owner, "too far ahead", &[&account]).await;
    app.schedule_at(&owner, far["id"].as_str().unwrap(), &app.clock.now().plus_seconds(400 * 86_400).to_string()).await;

    let other = app.signed_in("feed-other@example.org").await;
    let other_account = app.sandbox_account(&other, "elsewhere").await;
    let secret = app.draft(&other, "another tenant's secret", &[&other_account]).await;
    app.schedule_at(&other, secret["id"].as_str().unwrap(), &app.clock.now().plus_seconds(86_400).to_string()).await;

    let path = app.feed_path(&member).await;
    assert!(path.ends_with(".ics"), "{path}");
    let feed = app.get_text(&path, None).await;
    assert_eq!(feed.status, StatusCode::OK, "{}", feed.text);
    assert_eq!(feed.content_type, "text/calendar; charset=utf-8");
    assert!(feed.text.starts_with("BEGIN:VCALENDAR\r\n") && feed.text.ends_with("END:VCALENDAR\r\n"), "{}", feed.text);
    assert!(!feed.text.replace("\r\n", "").contains(['\r', '\n']), "every line ends in CRLF: {:?}", feed.text);
    let lines = unfolded(&feed.text);
    let has = |line: &str| lines.iter().any(|l| l == line);
    assert!(has(&format!("UID:{scheduled_id}@zenalto")), "{lines:#?}");
    let summary: String = long.chars().take(60).collect();
    assert!(has(&format!("SUMMARY:{}", summary.replace(',', "\\,"))), "the summary is the first 60 characters: {lines:#?}");
    assert!(has("DESCRIPTION:Networks: Sandbox\\nStatus: scheduled"), "{lines:#?}");
    let public_url = app.services.settings.server.public_url.trim_end_matches('/');
    assert!(has(&format!("URL:{public_url}/posts/{scheduled_id}")), "{lines:#?}");
    assert!(has(&format!("UID:{}@zenalto", published["id"].as_str().unwrap())), "published posts are shown");
    assert_eq!(lines.iter().filter(|l| *l == "BEGIN:VEVENT").count(), 2, "{lines:#?}");
    for absent in [draft["id"].as_str().unwrap(), far["id"].as_str().unwrap(), secret["id"].as_str().unwrap(), "another tenant"] {
        assert!(!feed.text.contains(absent), "{absent} must not be in the feed");
    }

    let key_path = format!("/api/v1/workspaces/{}/api-keys", owner.workspace_id);
    let key_body = json!({ "name": "feeds", "kind": "workspace", "role": "viewer", "scopes": ["post:read"] });
    let (status, key) = app.post(&key_path, Some(&owner.access), key_body).await;
    assert_eq!(status, StatusCode::CREATED, "{key}");
    let feed_token_path = format!("/api/v1/workspaces/{}/calendar/feed-token", owner.workspace_id);
    let (status, body) = app.post(&feed_token_path, Some(key["secret"].as_str().unwrap()), json!({})).await;
    expect_error(status, &body, StatusCode::FORBIDDEN, "FORBIDDEN");

    let other_feed = app.get_text(&app.feed_path(&other).await, None).await;
    assert_eq!(other_feed.status, StatusCode::OK);
    assert!(other_feed.text.contains("another tenant's secret") && !other_feed.text.contains(scheduled_id), "{}", other_feed.text);

    // A changed character anywhere in the token, or a missing suffix, finds nothing.
    let token = path.trim_start_matches("/api/v1/calendar-feeds/").trim_end_matches(".ics");
    for position in [3, 20, 40, 70] {
        let mut tampered: Vec<char> = token.chars().collect();
        tampered[position] = if tampered[position] == 'A' { 'B' } else { 'A' };
        let tampered: String = tampered.into_iter().collect();
        let answer = app.get_text(&format!("/api/v1/calendar-feeds/{tampered}.ics"), None).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "position {position}");
        assert!(answer.text.contains("NOT_FOUND"), "{}", answer.text);
    }
    for bad in [format!("/api/v1/calendar-feeds/{token}"), "/api/v1/calendar-feeds/nonsense.ics".into(), format!("/api/v1/calendar-feeds/{token}xx.ics")] {
        assert_eq!(app.get_text(&bad, None).await.status, StatusCode::NOT_FOUND, "{bad}");
    }

    let (status, body) = app.delete(&format!("/api/v1/workspaces/{}/members/{}", owner.workspace_id, member.user_id), &owner.access).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let after = app.get_text(&path, None).await;
    assert_eq!(after.status, StatusCode::NOT_FOUND, "a removed member's feed is gone: {}", after.text);
    assert_eq!(app.get_text(&app.feed_path(&owner).await, None).await.status, StatusCode::OK, "the owner's still works");
});

both_backends!(a_list_a_calendar_or_an_export_that_stops_at_its_limit_says_so, |app: TestApp| async move {
    let owner = app.signed_in("ceiling@example.org").await;
    let account = app.sandbox_account(&owner, "ceiling").await;
    for (text, at) in [("one", "2030-05-01T09:00:00Z"), ("two", "2030-05-02T09:00:00Z"), ("three", "2030-05-03T09:00:00Z")] {
        let post = app.draft(&owner, text, &[&account]).await;
        app.schedule_at(&owner, post["id"].as_str().unwrap(), at).await;
    }
    let more = |response: &reqwest::Response| response.headers().get("zenalto-more-results").map(|v| v.to_str().unwrap().to_owned());
    let list = |query: &'static str| app.request(reqwest::Method::GET, &format!("{}?{query}", app.posts_path(&owner)), Some(&owner.access)).send();

    let cut = list("limit=2").await.unwrap();
    assert_eq!(more(&cut), Some("true".to_owned()));
    assert_eq!(cut.json::<Value>().await.unwrap().as_array().unwrap().len(), 2);
    let whole = list("limit=3").await.unwrap();
    assert_eq!(more(&whole), None, "all three fit");

    let range = "from=2030-05-01T00:00:00Z&to=2030-06-01T00:00:00Z&groupBy=day";
    let (status, calendar) = app.calendar(&owner, &format!("{range}&limit=2")).await;
    assert_eq!(status, StatusCode::OK, "{calendar}");
    assert_eq!(calendar["truncated"], true);
    assert_eq!(groups(&calendar).iter().map(|g| g.2.clone()).collect::<Vec<_>>(), vec![vec!["one".to_owned()], vec!["two".to_owned()]], "the earliest two");
    let (_, calendar) = app.calendar(&owner, range).await;
    assert_eq!(calendar["truncated"], false);
    let (status, body) = app.calendar(&owner, &format!("{range}&limit=0")).await;
    expect_error(status, &body, StatusCode::UNPROCESSABLE_ENTITY, "VALIDATION_ERROR");

    let export = app.request(reqwest::Method::GET, &format!("{}/export.csv?limit=2", app.posts_path(&owner)), Some(&owner.access)).send().await.unwrap();
    assert_eq!(more(&export), Some("true".to_owned()));
    assert_eq!(export.text().await.unwrap().lines().count(), 3, "header and two posts");
});
