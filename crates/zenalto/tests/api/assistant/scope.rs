//! Permissions and tenant scope through the assistant: a viewer gets no card and cannot run
//! another's; another workspace's posts are reachable neither by id nor by words.

use super::{act, base, card, conversation, say};
use zenalto_testkit::{StatusCode, TestApp, both_backends, expect_error, json};

both_backends!(assistant_viewer_cannot_schedule_and_other_workspaces_stay_out_of_reach, |app: TestApp| async move {
    let owner = app.signed_in("assist-scope@example.org").await;
    let viewer = app.member(&owner, "assist-viewer@example.org", "viewer").await;
    let account = app.sandbox_account(&owner, "scope").await;
    let post = app.draft(&owner, "Our webinar on sourdough starters", &[&account]).await;
    let post_id = post["id"].as_str().unwrap().to_owned();

    // A viewer may ask, but scheduling is refused before any card exists.
    let chat = conversation(&app, &viewer).await;
    let reply = say(&app, &viewer, &chat, "schedule the post about the webinar tomorrow at 9am").await;
    assert!(reply["cards"].as_array().unwrap().is_empty(), "{reply}");
    let text = reply["text"].as_str().unwrap();
    assert!(text.contains("missing permission post:publish"), "{reply}");
    assert_eq!(app.get_post(&owner, &post_id).await["status"], "draft");

    // The owner's card cannot be confirmed by the viewer (not theirs: 404), only by the owner.
    let owner_chat = conversation(&app, &owner).await;
    let reply = say(&app, &owner, &owner_chat, "schedule the post about the webinar tomorrow at 9am").await;
    let action = card(&reply)["actionId"].as_str().unwrap().to_owned();
    let (status, body) = act(&app, &viewer, &action, "confirm").await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "another's card");
    assert_eq!(app.get_post(&owner, &post_id).await["status"], "draft");

    // Another workspace: its member finds nothing by words, cannot reach the post by id through
    // the tools, and cannot touch the owner's card or conversation.
    let stranger = app.signed_in("assist-stranger@example.org").await;
    app.sandbox_account(&stranger, "elsewhere").await;
    let theirs = conversation(&app, &stranger).await;
    let reply = say(&app, &stranger, &theirs, "find the post about the webinar").await;
    assert!(reply["text"].as_str().unwrap().contains("No post mentions"), "{reply}");
    let reply = say(&app, &stranger, &theirs, "move the post about the sourdough webinar to friday at 10am").await;
    assert!(reply["text"].as_str().unwrap().contains("I found no scheduled post"), "{reply}");
    let (status, body) = act(&app, &stranger, &action, "confirm").await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "a card of another workspace, through the stranger's own workspace");
    let (status, body) = app.post(&format!("{}/actions/{action}/confirm", base(&owner)), Some(&stranger.access), json!({})).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "not a member");
    let (status, body) = app.get(&format!("{}/conversations/{owner_chat}", base(&stranger)), &stranger.access).await;
    expect_error(status, &body, StatusCode::NOT_FOUND, "NOT_FOUND", "another workspace's conversation");

    // The owner confirms: scheduled, at the asked time.
    let (status, body) = act(&app, &owner, &action, "confirm").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(app.get_post(&owner, &post_id).await["status"], "scheduled");
});
