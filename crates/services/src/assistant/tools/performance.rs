//! `summarize_performance`: how the posts published in a range did, from the figures the
//! networks reported (`post_metrics`), totalled and ranked by engagement.

use serde_json::{Value, json};
use zenalto_domain::{Permission, posts::PostStatus};
use zenalto_store::repo::posts::PostFilter;

use super::{Confirm, Done, Tool, ToolContext, args};
use crate::Result;

pub const TOOL: Tool = Tool {
    name: "summarize_performance",
    description: "Summarise how the posts published from one date to another did (impressions, likes, comments, shares, per post and in total), from the figures the networks reported.",
    permission: Permission::AnalyticsView,
    confirm: Confirm::Never,
    schema: || {
        json!({ "type": "object", "properties": {
            "from": { "type": "string", "description": "first day, YYYY-MM-DD" },
            "to": { "type": "string", "description": "last day, YYYY-MM-DD (included)" },
            "timeZone": { "type": "string", "description": "IANA zone; default the user's" }
        }, "required": ["from", "to"], "additionalProperties": false })
    },
};

const LIMIT: i64 = 200;

#[derive(Default, Clone, Copy)]
struct Totals {
    impressions: i64,
    likes: i64,
    comments: i64,
    shares: i64,
}

impl Totals {
    fn engagement(&self) -> i64 {
        self.likes + self.comments + self.shares
    }
}

pub async fn run(cx: &ToolContext<'_>, args: &Value) -> Result<Done> {
    cx.access.require(Permission::AnalyticsView)?;
    let zone = args::zone(args, &cx.zone)?;
    let (from, to, start, end) = args::date_range(args, &zone)?;
    let filter = PostFilter {
        from: Some(start),
        to: Some(end),
        statuses: [PostStatus::Published, PostStatus::PartiallyPublished].iter().map(|s| s.as_str().to_owned()).collect(),
        ..PostFilter::default()
    };
    let posts = cx.services.list_posts(cx.access, &filter, LIMIT).await?;
    let mut rows = Vec::new();
    let mut total = Totals::default();
    let mut measured = 0;
    for post in &posts {
        let report = cx.services.post_metrics(cx.access, post.id).await?;
        let mut t = Totals::default();
        let mut any = false;
        for target in &report.targets {
            let f = &target.figures;
            any |= target.fetched_at.is_some();
            t.impressions += f.impressions.unwrap_or(0);
            t.likes += f.likes.unwrap_or(0);
            t.comments += f.comments.unwrap_or(0);
            t.shares += f.shares.unwrap_or(0);
        }
        if any {
            measured += 1;
        }
        total.impressions += t.impressions;
        total.likes += t.likes;
        total.comments += t.comments;
        total.shares += t.shares;
        rows.push((post, t, any));
    }
    rows.sort_by_key(|(_, t, _)| std::cmp::Reverse(t.engagement()));
    let span = format!("from {from} to {to}");
    let summary = if posts.is_empty() {
        format!("No post was published {span}.")
    } else if measured == 0 {
        format!("{} post{} went out {span}, but the networks have reported no figures for them yet.", posts.len(), if posts.len() == 1 { "" } else { "s" })
    } else {
        let best = rows.first().map(|(p, t, _)| format!(" The best was {} with {} engagements.", args::post_title(p), t.engagement())).unwrap_or_default();
        format!(
            "{} post{} published {span} ({measured} with figures): {} impressions, {} likes, {} comments, {} shares.{best}",
            posts.len(),
            if posts.len() == 1 { "" } else { "s" },
            total.impressions,
            total.likes,
            total.comments,
            total.shares
        )
    };
    let data = json!({
        "from": from.to_string(), "to": to.to_string(), "posts": posts.len(), "measured": measured,
        "totals": { "impressions": total.impressions, "likes": total.likes, "comments": total.comments, "shares": total.shares },
        "ranked": rows.iter().map(|(p, t, any)| json!({ "post": args::post_line(p, &zone), "engagement": t.engagement(), "impressions": t.impressions, "measured": any })).collect::<Vec<_>>(),
    });
    Ok(Done { summary, data, posts: rows.iter().map(|(p, _, _)| p.id.to_string()).collect() })
}
