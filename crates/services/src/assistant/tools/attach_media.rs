//! `attach_media`: finds an asset in the media library by name and attaches it to a post.

use serde_json::{Value, json};
use zenalto_domain::Permission;
use zenalto_store::Cursor;

use super::{Confirm, Done, Tool, ToolContext, args};
use crate::media::AssetFilter;
use crate::publishing::posts::{PostInput, TargetInput};
use crate::{Result, ServiceError};

pub const TOOL: Tool = Tool {
    name: "attach_media",
    description: "Search the media library by name and attach the newest matching image or video to a post (saved as the post's new version).",
    permission: Permission::PostUpdate,
    confirm: Confirm::Never,
    schema: || {
        json!({ "type": "object", "properties": {
            "postId": { "type": "string" },
            "query": { "type": "string", "description": "part of the file name, e.g. \"sale banner\"" }
        }, "required": ["postId", "query"], "additionalProperties": false })
    },
};

pub async fn run(cx: &ToolContext<'_>, args: &Value) -> Result<Done> {
    cx.access.require(Permission::PostUpdate)?;
    let post = cx.services.get_post(cx.access, args::post_id(args)?).await?;
    let query = args::text(args, "query")?;
    let filter = AssetFilter { name: Some(query.to_owned()), ..AssetFilter::default() };
    // The newest match is the one attached; one row is all that is needed.
    let page = cx.services.list_media(cx.access, filter, &Cursor { before: None, limit: 1 }).await?;
    let Some(asset) = page.items.first() else {
        return Err(ServiceError::field("query", format!("no file in the media library is named like “{query}”")));
    };
    let mut content = post.content.clone();
    if !content.media_ids.contains(&asset.id.to_string()) {
        content.media_ids.push(asset.id.to_string());
    }
    let input = PostInput {
        content,
        targets: post.targets.iter().map(|t| TargetInput { account_id: t.account_id, overrides: t.overrides.clone() }).collect(),
        campaign: post.campaign.clone(),
        tags: post.tags.clone(),
        notes: post.notes.clone(),
    };
    let updated = cx.services.update_post_if(cx.access, post.id, input, Some(post.version), cx.meta).await?;
    let summary = format!("Attached {} to {}.", asset.name, args::post_title(&updated));
    Ok(Done {
        summary,
        data: json!({ "post": args::post_line(&updated, &cx.zone), "mediaId": asset.id.to_string(), "name": asset.name }),
        posts: vec![updated.id.to_string()],
    })
}
