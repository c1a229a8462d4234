//! With a provider: the fake OpenAI-compatible server answers with scripted tool calls, then
//! with text once it has the results; mutating calls come back to it as proposals, usage is
//! recorded, and the reply streams as Server-Sent Events.

use super::{act, base, berlin_date, card, conversation, say, tools_called};
use zenalto_testkit::ai::{Fault, KEY, Scripted, openai};
use zenalto_testkit::{Account, StatusCode, TestApp, both_backends, json};

async fn use_provider(app: &TestApp, who: &Account, base_url: &str) {
    let settings =
        json!({ "providers": [{ "kind": "openai", "baseUrl": base_url, "model": "gpt-test", "inputPrice": 1.0, "outputPrice": 2.0, "apiKey": KEY }] });
    let (status, body) =
        app.call(reqwest::Method::PUT, &format!("/api/v1/workspaces/{}/ai/settings", who.workspace_id), Some(&who.access), Some(settings)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

both_backends!(assistant_provider_tool_calls_become_cards_and_stream, |app: TestApp| async move {
    let owner = app.signed_in("assist-llm@example.org").await;
    let account = app.sandbox_account(&owner, "llm").await;
    let post = app.draft(&owner, "Spring sale: 20% off every sourdough loaf", &[&account]).await;
    let post_id = post["id"].as_str().unwrap();
    let fake = openai::spawn().await;
    use_provider(&app, &owner, &fake.base_url).await;
    let chat = conversation(&app, &owner).await;

    let tomorrow = berlin_date(1);
    fake.script(vec![
        Scripted::ToolCall { name: "schedule_post".into(), arguments: json!({ "postId": post_id, "localTime": format!("{tomorrow}T09:00") }) },
        Scripted::Text("I proposed it; please confirm the card.".into()),
    ]);
    let reply = say(&app, &owner, &chat, "schedule the spring sale post tomorrow at 9am").await;
    assert_eq!(reply["engine"], "openai", "{reply}");
    assert_eq!(tools_called(&reply), ["schedule_post"]);
    let proposal = card(&reply);
    assert!(proposal["summary"].as_str().unwrap().contains("09:00 (Europe/Berlin)"), "{proposal}");
    assert!(reply["text"].as_str().unwrap().contains("I proposed it"), "{reply}");
    assert_eq!(app.get_post(&owner, post_id).await["status"], "draft", "nothing is scheduled before confirmation");
    // The model was offered the tool set, and got the card back as a proposal, not as done.
    let last = fake.last_request();
    let offered: Vec<&str> = last["tools"].as_array().unwrap().iter().map(|t| t["function"]["name"].as_str().unwrap()).collect();
    assert!(offered.contains(&"schedule_post") && offered.contains(&"find_posts"), "{offered:?}");
    let tool_message = last["messages"].as_array().unwrap().iter().rev().find(|m| m["role"] == "tool").unwrap().clone();
    assert!(tool_message["content"].as_str().unwrap().contains("\"proposed\":true"), "{tool_message}");
    let system = last["messages"][0]["content"].as_str().unwrap();
    assert!(system.contains("Europe/Berlin") && system.contains("@llm on Sandbox (active)"), "zone and accounts with health: {system}");
    assert!(system.contains("The last seven days: No post was published"), "recent performance: {system}");

    let (status, done) = act(&app, &owner, proposal["actionId"].as_str().unwrap(), "confirm").await;
    assert_eq!((status, done["status"].clone()), (StatusCode::OK, json!("done")), "{done}");
    assert_eq!(app.get_post(&owner, post_id).await["status"], "scheduled");

    let (_, usage) = app.get(&format!("/api/v1/workspaces/{}/ai/usage", owner.workspace_id), &owner.access).await;
    assert!(usage["spentMicros"].as_i64().unwrap() > 0, "each round is priced and recorded: {usage}");
    assert_eq!(usage["lines"][0]["requests"], 2, "two rounds: {usage}");

    // Drafting spends budget with a provider configured: a card first, the provider on confirmation.
    fake.script(vec![
        Scripted::ToolCall { name: "draft_post".into(), arguments: json!({ "topic": "our spring sale" }) },
        Scripted::Text("Confirm to write it.".into()),
    ]);
    let reply = say(&app, &owner, &chat, "write a post about the spring sale").await;
    let proposal = card(&reply);
    assert!(proposal["summary"].as_str().unwrap().contains("spends AI budget"), "{proposal}");
    let (status, done) = act(&app, &owner, proposal["actionId"].as_str().unwrap(), "confirm").await;
    assert_eq!(status, StatusCode::OK, "{done}");
    assert!(done["result"].as_str().unwrap().contains("written by openai"), "{done}");

    // Streaming: the fake's default calls the first tool, then answers with what it returned.
    let response = app
        .request(reqwest::Method::POST, &format!("{}/conversations/{chat}/messages", base(&owner)), Some(&owner.access))
        .header("accept", "text/event-stream")
        .json(&json!({ "text": "which accounts do we have?" }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let body = response.text().await.unwrap();
    let order: Vec<usize> = ["event: tool_call", "event: tool_result", "event: text", "event: done"]
        .iter()
        .map(|e| body.find(e).unwrap_or_else(|| panic!("{e} in {body}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "in order: {body}");
    let text: String = body
        .lines()
        .filter_map(|line| line.strip_prefix("data: "))
        .filter_map(|data| serde_json::from_str::<zenalto_testkit::Value>(data).ok())
        .filter(|event| event["type"] == "text")
        .map(|event| event["delta"].as_str().unwrap().to_owned())
        .collect();
    assert!(body.contains("list_accounts") && text.starts_with("Tool said:") && text.contains("@llm"), "streamed word by word: {text}");

    // Another workspace's post id, asked for by a model working for a stranger, is not found.
    let stranger = app.signed_in("assist-llm-stranger@example.org").await;
    use_provider(&app, &stranger, &fake.base_url).await;
    let theirs = conversation(&app, &stranger).await;
    fake.script(vec![Scripted::ToolCall { name: "cancel_post".into(), arguments: json!({ "postId": post_id }) }, Scripted::Text("Could not.".into())]);
    let reply = say(&app, &stranger, &theirs, "cancel that post").await;
    assert!(reply["cards"].as_array().unwrap().is_empty(), "{reply}");
    let result = reply["events"].as_array().unwrap().iter().find(|e| e["type"] == "tool_result").unwrap().clone();
    assert_eq!((result["ok"].clone(), result["summary"].clone()), (json!(false), json!("not found in this workspace")), "{result}");
    assert_eq!(app.get_post(&owner, post_id).await["status"], "scheduled");
});

both_backends!(assistant_provider_attaches_media_from_the_library, |app: TestApp| async move {
    let owner = app.signed_in("assist-media@example.org").await;
    let account = app.sandbox_account(&owner, "gallery").await;
    let post = app.draft(&owner, "Our spring collection is here", &[&account]).await;
    let post_id = post["id"].as_str().unwrap();
    let asset = app.uploaded(&owner, "spring-banner.png", &zenalto_testkit::media::png(64, 48, 3)).await;
    let fake = openai::spawn().await;
    use_provider(&app, &owner, &fake.base_url).await;
    let chat = conversation(&app, &owner).await;

    fake.script(vec![
        Scripted::ToolCall { name: "attach_media".into(), arguments: json!({ "postId": post_id, "query": "nothing-like-this" }) },
        Scripted::ToolCall { name: "attach_media".into(), arguments: json!({ "postId": post_id, "query": "banner" }) },
        Scripted::Text("Attached.".into()),
    ]);
    let reply = say(&app, &owner, &chat, "add the spring banner to it").await;
    let results: Vec<_> = reply["events"].as_array().unwrap().iter().filter(|e| e["type"] == "tool_result").cloned().collect();
    assert_eq!(results[0]["ok"], false, "no such file: a clear refusal: {reply}");
    assert!(results[0]["summary"].as_str().unwrap().contains("no file in the media library"), "{reply}");
    assert_eq!(results[1]["ok"], true, "{reply}");
    let post = app.get_post(&owner, post_id).await;
    assert_eq!(post["content"]["mediaIds"], json!([asset["id"]]), "{post}");
});

both_backends!(assistant_provider_failure_falls_back_to_the_local_interpreter_and_says_why, |app: TestApp| async move {
    let owner = app.signed_in("assist-fallback@example.org").await;
    app.sandbox_account(&owner, "fallback").await;
    let fake = openai::spawn().await;
    use_provider(&app, &owner, &fake.base_url).await;
    let chat = conversation(&app, &owner).await;

    fake.fail_next(Fault::ServerError, 1);
    let reply = say(&app, &owner, &chat, "show my accounts").await;
    let text = reply["text"].as_str().unwrap();
    assert!(text.starts_with("(every AI provider failed") && text.contains("The local assistant answers instead."), "says why: {reply}");
    assert!(text.contains("@fallback"), "and still answers: {reply}");
    assert_eq!(reply["engine"], "local");
    assert_eq!(tools_called(&reply), ["list_accounts"]);
});
