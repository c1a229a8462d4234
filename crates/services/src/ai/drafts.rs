//! Drafting variations per network: one structured request per network through the one call
//! path, each answer parsed, fitted and validated; a network whose answer fails or is not the
//! asked structure gets the local engine's drafts instead, and the result says why. Shared by
//! generation from a brief and from a prompt template.

use zenalto_ai::ChatRequest;
use zenalto_ai::local::draft::Brief;
use zenalto_ai::routing::Task;
use zenalto_domain::WorkspaceId;
use zenalto_domain::publishing::Network;

use super::providers::Configured;
use super::{Fallback, Generation, NetworkVariations, parse_variations};
use crate::{Result, Services};

/// What a drafting round needs: the brief the answers are scored against, the request for each
/// network, and the local engine's drafts to fall back on.
pub(crate) struct Drafting<'a> {
    pub brief: &'a Brief,
    pub count: usize,
    pub request_for: &'a (dyn Fn(Network) -> ChatRequest + Sync),
    pub local_for: &'a (dyn Fn(Network) -> NetworkVariations + Sync),
}

impl Generation {
    /// Everything from the local engine, with the reason when providers were configured.
    pub(crate) fn local(networks: &[Network], local_for: &dyn Fn(Network) -> NetworkVariations, fallback: Option<Fallback>) -> Self {
        Generation { engine: "local".into(), cost_micros: 0, fallback, networks: networks.iter().map(|n| local_for(*n)).collect(), model: None, usage: Default::default() }
    }
}

impl Services {
    pub(crate) async fn provider_drafts(&self, workspace: WorkspaceId, configured: &Configured, networks: &[Network], drafting: Drafting<'_>) -> Result<Generation> {
        let mut out = Generation { engine: String::new(), cost_micros: 0, fallback: None, networks: Vec::new(), model: None, usage: Default::default() };
        for network in networks {
            let request = (drafting.request_for)(*network);
            match self.ai_call(workspace, configured, Task::Generate, &request).await? {
                Ok(called) => {
                    out.cost_micros += called.cost_micros;
                    out.model = Some(called.response.model.clone());
                    out.usage.input_tokens += called.usage.input_tokens;
                    out.usage.output_tokens += called.usage.output_tokens;
                    match parse_variations(&called.response.text, drafting.brief, *network, drafting.count) {
                        Some(variations) => {
                            out.engine = called.engine;
                            out.networks.push(NetworkVariations { network: *network, variations });
                        }
                        None => {
                            let message = format!("{} did not answer in the asked structure; these drafts come from the local engine", called.engine);
                            out.fallback = Some(Fallback { kind: "malformed_answer".into(), message });
                            out.networks.push((drafting.local_for)(*network));
                        }
                    }
                }
                Err(reason) => {
                    let message = format!("{}; these drafts come from the local engine", reason.message.trim_end_matches('.'));
                    out.fallback = Some(Fallback { message, ..reason });
                    out.networks.push((drafting.local_for)(*network));
                }
            }
        }
        if out.engine.is_empty() {
            out.engine = "local".into();
        }
        Ok(out)
    }
}
