//! Each client against its provider's local fake: plain, JSON output, streaming, tool calls, and
//! every failure classified.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Duration;

use futures::StreamExt;
use serde_json::json;
use zenalto_ai::providers::{Endpoint, anthropic::Anthropic, gemini::Gemini, openai::OpenAi};
use zenalto_ai::{ChatRequest, Delta, ErrorKind, Finish, Image, Message, Provider, ToolDef, collect};
use zenalto_testkit::ai::{FakeProvider, Fault, KEY};

fn endpoint(fake: &FakeProvider, key: Option<&str>) -> Endpoint {
    let mut endpoint = Endpoint::new(fake.base_url.clone(), key.map(str::to_owned));
    endpoint.timeout = Duration::from_secs(5);
    endpoint
}

fn request(text: &str) -> ChatRequest {
    ChatRequest::new("model-x", vec![Message::system("Be brief."), Message::user(text)])
}

fn tool() -> ToolDef {
    ToolDef {
        name: "lookup".into(),
        description: "Looks a word up".into(),
        parameters: json!({ "type": "object", "properties": { "q": { "type": "string" } }, "required": ["q"] }),
    }
}

macro_rules! provider_tests {
    ($module:ident, $spawn:path, $client:ident, $name:literal) => {
        mod $module {
            use super::*;

            async fn setup() -> (FakeProvider, $client) {
                let fake = $spawn().await;
                let client = $client::new($name, endpoint(&fake, Some(KEY)));
                (fake, client)
            }

            #[tokio::test]
            async fn plain_answer_with_usage() {
                let (fake, client) = setup().await;
                let response = client.chat(&request("hello there")).await.unwrap();
                assert_eq!(response.text, "Echo: hello there");
                assert_eq!(response.finish, Finish::Stop);
                assert!(response.usage.input_tokens > 0 && response.usage.output_tokens > 0);
                assert_eq!(fake.calls(), 1);
                assert_eq!(client.name(), $name);
            }

            #[tokio::test]
            async fn pictures_go_inline_in_the_providers_own_shape() {
                let (fake, client) = setup().await;
                let picture = Image::new("image/png", &zenalto_testkit::media::png(8, 6, 1));
                let ask = |image: Image| ChatRequest::new("model-x", vec![Message::user_with_images("what is this?", vec![image])]);
                let response = client.chat(&ask(picture.clone())).await.unwrap();
                assert_eq!(response.text, "Echo: what is this?", "the question travels beside the picture");
                let sent = fake.last_request().to_string();
                assert!(sent.contains(&picture.base64), "the bytes are in the body: {sent}");
                // Bytes that are not the declared type are refused, as the real services do.
                let liar = Image::new("image/png", b"not a picture at all");
                let error = client.chat(&ask(liar)).await.unwrap_err();
                assert_eq!(error.kind, ErrorKind::InvalidRequest, "{error}");
                let tiff = Image::new("image/tiff", b"II*\0");
                assert_eq!(client.chat(&ask(tiff)).await.unwrap_err().kind, ErrorKind::InvalidRequest);
            }

            #[tokio::test]
            async fn structured_json_output() {
                let (_fake, client) = setup().await;
                let mut request = request("rate this");
                request.json_schema = Some(json!({ "type": "object", "properties": {
                    "title": { "type": "string" }, "score": { "type": "integer" } }, "required": ["title", "score"] }));
                let response = client.chat(&request).await.unwrap();
                assert_eq!(response.json().unwrap(), json!({ "title": "fake", "score": 1 }));
                assert!(response.tool_calls.is_empty());
                let streamed = collect("model-x", client.stream(&request).await.unwrap()).await.unwrap();
                assert_eq!(streamed.json().unwrap(), json!({ "title": "fake", "score": 1 }));
            }

            #[tokio::test]
            async fn streaming_arrives_in_pieces() {
                let (_fake, client) = setup().await;
                let deltas: Vec<Delta> = client.stream(&request("one two three")).await.unwrap().map(|d| d.unwrap()).collect().await;
                let texts = deltas.iter().filter(|d| matches!(d, Delta::Text(_))).count();
                assert!(texts >= 3, "{deltas:?}");
                assert!(matches!(deltas.last(), Some(Delta::Finish(Finish::Stop)) | Some(Delta::Usage(_))), "{deltas:?}");
                let response = collect("model-x", client.stream(&request("one two three")).await.unwrap()).await.unwrap();
                assert_eq!(response.text, "Echo: one two three");
                assert!(response.usage.output_tokens > 0);
            }

            #[tokio::test]
            async fn tool_calls_and_results() {
                let (_fake, client) = setup().await;
                let mut request = request("define serendipity");
                request.tools = vec![tool()];
                let response = client.chat(&request).await.unwrap();
                assert_eq!(response.finish, Finish::ToolCalls);
                assert_eq!(response.tool_calls.len(), 1);
                let call = response.tool_calls[0].clone();
                assert_eq!(call.name, "lookup");
                assert_eq!(call.arguments, json!({ "q": "fake" }));

                let streamed = collect("model-x", client.stream(&request).await.unwrap()).await.unwrap();
                assert_eq!(streamed.tool_calls.len(), 1);
                assert_eq!(streamed.tool_calls[0].arguments, json!({ "q": "fake" }));
                assert_eq!(streamed.finish, Finish::ToolCalls);

                let mut assistant = Message::assistant("");
                assistant.tool_calls = vec![call.clone()];
                request.messages.push(assistant);
                request.messages.push(Message::tool_result(call.id.clone(), call.name.clone(), "{\"meaning\":\"luck\"}"));
                let answer = client.chat(&request).await.unwrap();
                assert!(answer.text.starts_with("Tool said:") && answer.text.contains("luck"), "{answer:?}");
            }

            #[tokio::test]
            async fn a_missing_or_wrong_key_is_an_invalid_request() {
                let fake = $spawn().await;
                for key in [None, Some("wrong")] {
                    let client = $client::new($name, endpoint(&fake, key));
                    let error = client.chat(&request("hi")).await.unwrap_err();
                    assert_eq!(error.kind, ErrorKind::InvalidRequest, "{error}");
                    assert!(!error.to_string().contains(KEY));
                    assert!(error.to_string().contains("check the API key"), "{error}");
                }
                assert_eq!(fake.calls(), 0);
            }

            #[tokio::test]
            async fn a_malformed_body_is_refused_with_the_providers_400() {
                let (fake, client) = setup().await;
                let error = client.chat(&ChatRequest::new("model-x", vec![])).await.unwrap_err();
                assert_eq!(error.kind, ErrorKind::InvalidRequest);
                assert!(error.message.starts_with("HTTP 400"), "{error:?}");
                assert_eq!(fake.calls(), 0);
            }

            #[tokio::test]
            async fn failures_are_classified() {
                let (fake, client) = setup().await;
                fake.fail_next(Fault::RateLimited { retry_after_secs: 7 }, 1);
                let error = client.chat(&request("hi")).await.unwrap_err();
                assert_eq!((error.kind, error.retry_after), (ErrorKind::RateLimited, Some(Duration::from_secs(7))), "{error:?}");

                fake.fail_next(Fault::ServerError, 1);
                assert_eq!(client.chat(&request("hi")).await.unwrap_err().kind, ErrorKind::Unavailable);

                fake.fail_next(Fault::QuotaExceeded, 1);
                let error = client.chat(&request("hi")).await.unwrap_err();
                assert_eq!(error.kind, ErrorKind::QuotaExceeded, "{error:?}");
                assert!(error.to_string().contains("quota or credit"));

                fake.fail_next(Fault::ContentFiltered, 2);
                assert_eq!(client.chat(&request("hi")).await.unwrap_err().kind, ErrorKind::ContentFiltered);
                let streamed = collect("model-x", client.stream(&request("hi")).await.unwrap()).await.unwrap_err();
                assert_eq!(streamed.kind, ErrorKind::ContentFiltered);

                fake.fail_next(Fault::RateLimited { retry_after_secs: 3 }, 1);
                let Err(error) = client.stream(&request("hi")).await else { panic!("a 429 before streaming is an error") };
                assert_eq!(error.kind, ErrorKind::RateLimited);

                fake.fail_next(Fault::Slow(Duration::from_secs(3)), 1);
                let mut impatient = endpoint(&fake, Some(KEY));
                impatient.timeout = Duration::from_millis(200);
                let error = $client::new($name, impatient).chat(&request("hi")).await.unwrap_err();
                assert_eq!(error.kind, ErrorKind::Timeout, "{error:?}");

                assert_eq!(client.chat(&request("hi")).await.unwrap().text, "Echo: hi", "recovered");
            }

            #[tokio::test]
            async fn an_unreachable_provider_is_unavailable() {
                let fake = $spawn().await;
                let endpoint = endpoint(&fake, Some(KEY));
                drop(fake);
                // Let the aborted server task drop its listener.
                tokio::time::sleep(Duration::from_millis(100)).await;
                let error = $client::new($name, endpoint).chat(&request("hi")).await.unwrap_err();
                assert_eq!(error.kind, ErrorKind::Unavailable, "{error:?}");
            }
        }
    };
}

provider_tests!(openai, zenalto_testkit::ai::openai::spawn, OpenAi, "openai");
provider_tests!(anthropic, zenalto_testkit::ai::anthropic::spawn, Anthropic, "anthropic");
provider_tests!(gemini, zenalto_testkit::ai::gemini::spawn, Gemini, "gemini");
