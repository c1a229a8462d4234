//! Without a provider: the local interpreter over written requests — drafting for several
//! networks, scheduling, asking about the calendar, moving and cancelling, and asking back when
//! a request is ambiguous. Nothing is scheduled before the card is confirmed.

use super::{act, berlin_date, berlin_instant, card, conversation, next_weekday, say, tools_called};
use zenalto_domain::Timestamp;
use zenalto_testkit::{StatusCode, TestApp, both_backends, json};

fn instant(value: &zenalto_testkit::Value) -> Timestamp {
    Timestamp::parse_rfc3339(value.as_str().unwrap()).unwrap()
}

both_backends!(assistant_local_drafts_for_two_networks_then_schedules_on_confirmation, |app: TestApp| async move {
    let owner = app.signed_in("assist-local@example.org").await;
    let linkedin = app.fixture_account(&owner, "linkedin", "bakery-in").await;
    let bluesky = app.fixture_account(&owner, "bluesky", "bakery.bsky.social").await;
    let chat = conversation(&app, &owner).await;

    let reply = say(&app, &owner, &chat, "write three friendly posts about our spring sale for LinkedIn and Bluesky").await;
    assert_eq!(tools_called(&reply), ["draft_post"], "{reply}");
    let result = reply["events"].as_array().unwrap().iter().find(|e| e["type"] == "tool_result").unwrap().clone();
    assert_eq!(result["ok"], true, "{result}");
    let drafts = result["data"]["posts"].as_array().unwrap().clone();
    assert_eq!(drafts.len(), 3, "{result}");
    for draft in &drafts {
        let post = app.get_post(&owner, draft["postId"].as_str().unwrap()).await;
        assert_eq!(post["status"], "draft");
        let accounts: Vec<&str> = post["targets"].as_array().unwrap().iter().map(|t| t["accountId"].as_str().unwrap()).collect();
        assert_eq!(accounts, [linkedin.as_str(), bluesky.as_str()], "{post}");
        assert!(post["content"]["text"].as_str().unwrap().to_lowercase().contains("spring sale"), "{post}");
    }

    // Three drafts: "it" is ambiguous, so the assistant asks instead of guessing.
    let reply = say(&app, &owner, &chat, "schedule it tomorrow at 9am").await;
    assert!(reply["cards"].as_array().unwrap().is_empty(), "{reply}");
    assert!(reply["text"].as_str().unwrap().contains("which one do you mean"), "{reply}");

    let reply = say(&app, &owner, &chat, "schedule the second one tomorrow at 9am").await;
    let proposal = card(&reply);
    let tomorrow = berlin_date(1);
    assert_eq!(proposal["tool"], "schedule_post");
    assert_eq!(proposal["args"]["localTime"], format!("{tomorrow}T09:00:00"), "{proposal}");
    let summary = proposal["summary"].as_str().unwrap();
    assert!(
        summary.contains("09:00 (Europe/Berlin)") && summary.contains("@bakery-in (LinkedIn)") && summary.contains("@bakery.bsky.social (Bluesky)"),
        "{summary}"
    );
    let second = drafts[1]["postId"].as_str().unwrap();
    assert_eq!(proposal["args"]["postId"], second);
    assert_eq!(app.get_post(&owner, second).await["status"], "draft", "nothing is scheduled before confirmation");

    let (status, done) = act(&app, &owner, proposal["actionId"].as_str().unwrap(), "confirm").await;
    assert_eq!((status, done["status"].clone()), (StatusCode::OK, json!("done")), "{done}");
    let post = app.get_post(&owner, second).await;
    assert_eq!(post["status"], "scheduled", "{post}");
    assert_eq!(instant(&post["scheduledAt"]), Timestamp::parse_rfc3339(&berlin_instant(&tomorrow, "09:00")).unwrap(), "{post}");

    let (status, again) = act(&app, &owner, proposal["actionId"].as_str().unwrap(), "confirm").await;
    zenalto_testkit::expect_error(status, &again, StatusCode::CONFLICT, "CONFLICT", "runs once");

    // The calendar question sees it.
    let reply = say(&app, &owner, &chat, "what is on the calendar for the next 3 days").await;
    assert_eq!(tools_called(&reply), ["list_calendar"]);
    assert!(reply["text"].as_str().unwrap().contains("1 post scheduled"), "{reply}");
});

both_backends!(assistant_local_moves_and_cancels_the_post_about_the_webinar, |app: TestApp| async move {
    let owner = app.signed_in("assist-move@example.org").await;
    let account = app.sandbox_account(&owner, "studio").await;
    let webinar = app.draft(&owner, "Join our webinar on growing a bakery online", &[&account]).await;
    let webinar_id = webinar["id"].as_str().unwrap();
    let monday = next_weekday(0);
    let start = berlin_instant(&monday, "15:30");
    let (status, body) = app.post_action(&owner, webinar_id, "schedule", json!({ "at": start })).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let chat = conversation(&app, &owner).await;

    let reply = say(&app, &owner, &chat, "what is on the calendar next week").await;
    // The coming Monday always falls in next week (weeks start on Monday).
    assert!(reply["text"].as_str().unwrap().contains("webinar"), "{reply}");

    // No time given: the post keeps its time of day.
    let reply = say(&app, &owner, &chat, "move the post about the webinar to Friday").await;
    let proposal = card(&reply);
    let friday = next_weekday(4);
    assert_eq!(proposal["tool"], "reschedule_post");
    assert_eq!(proposal["args"]["localTime"], format!("{friday}T15:30:00"), "{proposal}");
    assert!(proposal["summary"].as_str().unwrap().starts_with("Move “Join our webinar"), "{proposal}");
    let (status, _) = act(&app, &owner, proposal["actionId"].as_str().unwrap(), "confirm").await;
    assert_eq!(status, StatusCode::OK);
    let post = app.get_post(&owner, webinar_id).await;
    assert_eq!(instant(&post["scheduledAt"]), Timestamp::parse_rfc3339(&berlin_instant(&friday, "15:30")).unwrap(), "{post}");

    // Cancel, then withdraw the card: nothing changes; confirming a cancelled card refuses.
    let reply = say(&app, &owner, &chat, "cancel the post about the webinar").await;
    let proposal = card(&reply);
    let action = proposal["actionId"].as_str().unwrap().to_owned();
    let (status, body) = act(&app, &owner, &action, "cancel").await;
    assert_eq!((status, body["status"].clone()), (StatusCode::OK, json!("cancelled")), "{body}");
    let (status, body) = act(&app, &owner, &action, "confirm").await;
    zenalto_testkit::expect_error(status, &body, StatusCode::CONFLICT, "CONFLICT", "cancelled card");
    assert_eq!(app.get_post(&owner, webinar_id).await["status"], "scheduled");

    let reply = say(&app, &owner, &chat, "cancel the post about the webinar").await;
    let (status, _) = act(&app, &owner, card(&reply)["actionId"].as_str().unwrap(), "confirm").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.get_post(&owner, webinar_id).await["status"], "draft", "cancelled: back to draft");
});

both_backends!(assistant_local_asks_when_a_request_is_ambiguous, |app: TestApp| async move {
    let owner = app.signed_in("assist-ask@example.org").await;
    let chat = conversation(&app, &owner).await;

    let reply = say(&app, &owner, &chat, "schedule it tomorrow at 9am").await;
    assert!(reply["text"].as_str().unwrap().contains("Which post?"), "nothing drafted yet: {reply}");

    app.fixture_account(&owner, "linkedin", "acme-in").await;
    let mastodon = app.fixture_account(&owner, "mastodon", "acme@social.example").await;
    let reply = say(&app, &owner, &chat, "write a post about our new opening hours").await;
    assert!(reply["text"].as_str().unwrap().contains("Which networks should I write for?"), "{reply}");
    assert!(tools_called(&reply).is_empty());

    app.draft(&owner, "Webinar part one: pricing", &[&mastodon]).await;
    app.draft(&owner, "Webinar part two: packaging", &[&mastodon]).await;
    let reply = say(&app, &owner, &chat, "schedule the post about the webinar on friday").await;
    let text = reply["text"].as_str().unwrap();
    assert!(text.contains("2 posts mention “webinar”") && text.contains("pricing") && text.contains("packaging"), "{reply}");
    // The listed posts become the references: "the first one" now works, and without a time the
    // assistant asks for one.
    let reply = say(&app, &owner, &chat, "schedule the first one on friday").await;
    assert!(reply["text"].as_str().unwrap().contains("At what time"), "{reply}");
    assert!(reply["cards"].as_array().unwrap().is_empty());

    // Best time: one Mastodon account, no figures yet — the estimate says it is not theirs.
    let reply = say(&app, &owner, &chat, "when should I post on Mastodon").await;
    assert_eq!(tools_called(&reply), ["suggest_best_time"]);
    let text = reply["text"].as_str().unwrap();
    assert!(text.contains("Best times for") && text.contains("Mastodon") && text.contains("not yours"), "{reply}");
    let reply = say(&app, &owner, &chat, "how did my posts do last week").await;
    assert_eq!(tools_called(&reply), ["summarize_performance"]);
    assert!(reply["text"].as_str().unwrap().contains("No post was published"), "{reply}");
});

both_backends!(assistant_local_suggests_hashtags_and_rewrites_the_draft_it_just_wrote, |app: TestApp| async move {
    let owner = app.signed_in("assist-rewrite@example.org").await;
    let account = app.sandbox_account(&owner, "roastery").await;
    app.draft(&owner, "Fresh single-origin coffee beans roasted today #coffee #roastery", &[&account]).await;
    let chat = conversation(&app, &owner).await;

    let reply = say(&app, &owner, &chat, "write a post about our coffee tasting evening").await;
    assert_eq!(tools_called(&reply), ["draft_post"], "one network connected: no question: {reply}");
    let draft = reply["events"].as_array().unwrap().iter().find(|e| e["type"] == "tool_result").unwrap()["data"]["posts"][0]["postId"].as_str().unwrap().to_owned();

    let reply = say(&app, &owner, &chat, "suggest hashtags for it").await;
    assert_eq!(tools_called(&reply), ["suggest_hashtags"]);
    let result = reply["events"].as_array().unwrap().iter().find(|e| e["type"] == "tool_result").unwrap().clone();
    assert_eq!(result["data"]["historyPosts"], 2, "ranked from the workspace's own posts (the new draft included): {result}");
    assert!(reply["text"].as_str().unwrap().starts_with("Hashtags: #"), "{reply}");

    let before = app.get_post(&owner, &draft).await;
    let reply = say(&app, &owner, &chat, "make it more formal").await;
    assert_eq!(tools_called(&reply), ["rewrite_post"], "{reply}");
    assert!(reply["cards"].as_array().unwrap().is_empty(), "no provider: rewriting spends nothing and runs at once");
    let after = app.get_post(&owner, &draft).await;
    assert_eq!(after["version"].as_i64().unwrap(), before["version"].as_i64().unwrap() + 1, "saved as a new version: {after}");
});
