//! Alt text and a caption for a library asset. A vision-capable provider of the workspace is
//! shown the picture (the image scaled down, or a GIF's or video's poster frame) and asked for
//! both; without one, or when they all fail or the budget is spent, the local engine describes
//! the file from what the library measured and says that is all it did.

use serde::Serialize;
use serde_json::json;
use zenalto_ai::local::describe::{FileFacts, describe};
use zenalto_ai::routing::Task;
use zenalto_ai::{ChatRequest, Image, Message};
use zenalto_domain::{MediaId, Permission};
use zenalto_store::repo::media;

use super::Fallback;
use crate::media::{AssetUpdate, kind_name};
use crate::{Access, RequestMeta, Result, ServiceError, Services};

/// Longest alt text kept: X's limit, the tightest of the networks that take alt text.
const MAX_ALT: usize = 1000;

#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AltText {
    pub alt_text: String,
    /// A caption to post with the picture; only a model that saw it writes one.
    pub caption: Option<String>,
    /// "local", "cache" or the provider kind that answered.
    pub engine: String,
    pub cost_micros: u64,
    pub fallback: Option<Fallback>,
    /// For the local engine: what the text was made from, and that it cannot see the picture.
    pub note: Option<String>,
    /// Whether the alt text was stored on the asset.
    pub saved: bool,
}

impl Services {
    /// Writes alt text (and a caption) for asset `id` (post:create), stored on the asset when
    /// `save` (which needs post:update too).
    pub async fn ai_alt_text(
        &self,
        access: &Access,
        id: MediaId,
        save: bool,
        meta: &RequestMeta,
    ) -> Result<AltText> {
        access.require(Permission::PostCreate)?;
        if save {
            access.require(Permission::PostUpdate)?;
        }
        let asset = self.get_media(access, id).await?;
        let local = |fallback: Option<Fallback>| {
            let facts = FileFacts {
                kind: kind_name(asset.kind),
                width: asset.width,
                height: asset.height,
                duration_ms: asset.duration_ms,
                colors: &asset.colors,
                name: &asset.name,
            };
            let description = describe(&facts);
            AltText {
                alt_text: description.text,
                caption: None,
                engine: "local".into(),
                cost_micros: 0,
                fallback,
                note: Some(format!(
                    "Made from the file's {} only: the built-in engine cannot see what the picture shows. Add the subject, or configure a vision-capable provider.",
                    description.from.join(", ")
                )),
                saved: false,
            }
        };
        let mut out = match self.ai_vision_chain(access.workspace_id).await? {
            None => local(None),
            Some(configured) => match self.vision_picture(access, id).await? {
                None => local(Some(Fallback {
                    kind: "invalid_request".into(),
                    message:
                        "this file has no picture to show a model (no poster frame could be made)"
                            .into(),
                })),
                Some(picture) => {
                    let request = alt_text_request(&asset.name, picture);
                    match self
                        .ai_call(access.workspace_id, &configured, Task::AltText, &request)
                        .await?
                    {
                        Err(fallback) => local(Some(fallback)),
                        Ok(called) => match parse(&called.response.text) {
                            Some((alt_text, caption)) => AltText {
                                alt_text,
                                caption,
                                engine: called.engine,
                                cost_micros: called.cost_micros,
                                fallback: None,
                                note: None,
                                saved: false,
                            },
                            None => {
                                let mut out = local(Some(Fallback {
                                    kind: "malformed_answer".into(),
                                    message: format!(
                                        "{} did not answer in the asked structure",
                                        called.engine
                                    ),
                                }));
                                out.cost_micros = called.cost_micros;
                                out
                            }
                        },
                    }
                }
            },
        };
        if save {
            let update = AssetUpdate {
                alt_text: Some(out.alt_text.clone()),
                ..Default::default()
            };
            self.update_media(access, id, update, meta).await?;
            out.saved = true;
        }
        Ok(out)
    }

    /// The picture a model is shown: the image itself scaled down, or the poster frame of a GIF
    /// or video; `None` when there is none.
    async fn vision_picture(&self, access: &Access, id: MediaId) -> Result<Option<Image>> {
        let mut conn = self.db.read().await?;
        let row = media::get(&mut conn, access.workspace_id, id)
            .await?
            .ok_or(ServiceError::NotFound)?;
        drop(conn);
        if row.kind == "image" {
            let bytes = self
                .media
                .get(&row.storage_key)
                .await
                .map_err(ServiceError::internal)?;
            let mime = row.mime.clone();
            let preview = tokio::task::spawn_blocking(move || {
                zenalto_media::probe::vision_preview(&bytes, &mime)
            })
            .await
            .map_err(ServiceError::internal)?
            .map_err(ServiceError::internal)?;
            return Ok(Some(Image::new("image/jpeg", &preview)));
        }
        match row.thumb_key {
            Some(key) => Ok(Some(Image::new(
                "image/jpeg",
                &self.media.get(&key).await.map_err(ServiceError::internal)?,
            ))),
            None => Ok(None),
        }
    }
}

fn alt_text_request(file_name: &str, picture: Image) -> ChatRequest {
    let system = "You write alt text for social media pictures, for people using screen readers: say what the picture shows \
                  and any text in it, plainly, in one or two sentences, without 'image of'. Then suggest a short caption \
                  to post with it.";
    let question =
        format!("Write alt text and a caption for this picture (file name: {file_name}).");
    let mut request = ChatRequest::new(
        "",
        vec![
            Message::system(system),
            Message::user_with_images(question, vec![picture]),
        ],
    );
    request.json_schema = Some(json!({ "type": "object",
        "properties": { "altText": { "type": "string" }, "caption": { "type": "string" } },
        "required": ["altText", "caption"] }));
    request.max_tokens = 400;
    request
}

fn parse(answer: &str) -> Option<(String, Option<String>)> {
    let value: serde_json::Value = serde_json::from_str(answer.trim()).ok()?;
    let alt = value["altText"]
        .as_str()
        .map(str::trim)
        .filter(|t| !t.is_empty())?;
    let alt: String = if alt.chars().count() > MAX_ALT {
        alt.chars().take(MAX_ALT - 1).chain(['…']).collect()
    } else {
        alt.to_owned()
    };
    let caption = value["caption"]
        .as_str()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned);
    Some((alt, caption))
}
