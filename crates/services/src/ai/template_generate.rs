//! Drafts from a template: the template is filled with the caller's variables, then written per
//! network by the workspace's provider chain (told the template's instructions) when configured
//! and within budget (through `ai_call`, like `ai_generate`) — else, or when every provider fails, by the local engine, which offers the
//! filled template as written, with the workspace's hashtags, and simplified or shortened. Every
//! variation is fitted to and validated for its network and scored, as in `ai_generate`.

use std::collections::BTreeMap;

use zenalto_ai::local::draft::{Brief, Variation, assess};
use zenalto_ai::local::hashtags::suggest;
use zenalto_ai::local::rewrite::{Style, rewrite};
use zenalto_ai::local::templates as library;
use zenalto_ai::Message;
use zenalto_domain::Permission;
use zenalto_domain::publishing::{Network, NetworkRules};

use super::templates::{TemplateView, render_error};
use super::{Generation, MAX_VARIATIONS, NetworkVariations, prompt};
use crate::{Access, Result, ServiceError, Services};

/// The brief a template's output is scored against: its filled variables are the points.
fn brief_for(template: &TemplateView, values: &BTreeMap<String, String>) -> Brief {
    let required = |name: &String| {
        template
            .variables
            .iter()
            .any(|v| &v.name == name && v.required)
    };
    Brief {
        topic: template.name.clone(),
        points: values
            .iter()
            .filter(|(k, v)| required(k) && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_owned())
            .collect(),
        call_to_action: values
            .get("call_to_action")
            .filter(|v| !v.trim().is_empty())
            .cloned(),
        link: values.get("link").cloned(),
    }
}

/// Local variations of the filled template, best first, distinct texts only.
fn local(
    rendered: &str,
    brief: &Brief,
    network: Network,
    hashtags: &[String],
    count: usize,
) -> Vec<Variation> {
    let rules = NetworkRules::for_network(network);
    let room = rules
        .recommended_max_hashtags
        .as_ref()
        .map(|f| f.value)
        .unwrap_or(3)
        .min(3);
    let tagged = if hashtags.is_empty() || room == 0 {
        None
    } else {
        Some(format!(
            "{rendered}\n\n{}",
            hashtags
                .iter()
                .take(room)
                .cloned()
                .collect::<Vec<_>>()
                .join(" ")
        ))
    };
    let candidates = [
        Some((rendered.to_owned(), "the template filled as written")),
        tagged.map(|t| (t, "with hashtags ranked from the workspace's posts")),
        Some((
            rewrite(rendered, Style::Simplify).text,
            "simplified wording",
        )),
        Some((rewrite(rendered, Style::Shorten).text, "shortened wording")),
    ];
    let mut seen = Vec::new();
    let mut out: Vec<Variation> = candidates
        .into_iter()
        .flatten()
        .filter(|(text, _)| {
            let fresh = !seen.contains(text);
            seen.push(text.clone());
            fresh
        })
        .take(count)
        .map(|(text, reason)| assess(brief, network, &text, Some(reason)))
        .collect();
    out.sort_by_key(|v| std::cmp::Reverse(v.quality));
    out
}

impl Services {
    /// Fills template `id` with `values` and writes `count` variations per network (post:create).
    pub async fn ai_generate_from_template(
        &self,
        access: &Access,
        id: &str,
        values: &BTreeMap<String, String>,
        networks: &[Network],
        count: usize,
    ) -> Result<Generation> {
        access.require(Permission::PostCreate)?;
        let template = self.ai_template(access, id).await?;
        let rendered =
            library::render(&template.body, &template.variables, values).map_err(render_error)?;
        if networks.is_empty() {
            return Err(ServiceError::field(
                "networks",
                "choose at least one network",
            ));
        }
        if !(1..=MAX_VARIATIONS).contains(&count) {
            return Err(ServiceError::field(
                "variations",
                format!("between 1 and {MAX_VARIATIONS}"),
            ));
        }
        let brief = brief_for(&template, values);
        let history = self.ai_history(access).await?;
        let hashtags: Vec<String> = suggest(&rendered, &history, 3)
            .into_iter()
            .map(|s| format!("#{}", s.tag))
            .collect();
        let local_for = |network: Network| NetworkVariations {
            network,
            variations: local(&rendered, &brief, network, &hashtags, count),
        };
        let Some(configured) = self.ai_chain(access.workspace_id).await? else {
            return Ok(Generation::local(networks, &local_for, None));
        };
        let request_for = |network: Network| {
            let mut request = prompt(&brief, network, count, "");
            request.messages = vec![
                Message::system(format!(
                    "You write social media posts for {}. {} Write {count} distinct variations of the user's post. Keep its facts; \
                     keep within the network's length; put hashtags at the end. For each variation give one sentence of reasoning.",
                    network.label(),
                    template.instructions
                )),
                Message::user(rendered.clone()),
            ];
            request
        };
        // The one call path: cache, budget and plan caps, the chain, the usage ledger.
        let drafting = super::drafts::Drafting { brief: &brief, count, request_for: &request_for, local_for: &local_for };
        self.provider_drafts(access.workspace_id, &configured, networks, drafting).await
    }
}
